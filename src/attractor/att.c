/* The attractor network's units, step, rule and free energy (docs/attractor.md). */
#include "att.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double att_langevin(double x)
{
    /* coth x - 1/x cancels near 0 (at x = 0.1 it loses three digits): below 0.1 its series
     * x/3 - x^3/45 + 2x^5/945 - x^7/4725 + 2x^9/93555 is used, whose next term is 1e-15 of it. */
    const double ax = fabs(x);
    if (ax < 0.1) {
        const double x2 = x * x;
        return x * (1.0 / 3.0 - x2 * (1.0 / 45.0 - x2 * (2.0 / 945.0 - x2 * (1.0 / 4725.0 - x2 * (2.0 / 93555.0)))));
    }
    if (ax > 20.0) return (x > 0 ? 1.0 : -1.0) - 1.0 / x; /* coth is 1 to double precision */
    return 1.0 / tanh(x) - 1.0 / x;
}

double att_sample(double u, double r)
{
    if (u > 500.0) u = 500.0;
    if (u < -500.0) u = -500.0;
    if (u == 0.0) return 2.0 * r - 1.0; /* uniform on [-1, 1] */
    /* x = ln(e^-u + r (e^u - e^-u)) / u, rewritten so that nothing overflows at |u| = 500 and the
     * logarithm of a number near 1 keeps its digits at small |u|:
     * u > 0: 1 + log1p((1 - r) expm1(-2u)) / u;  u < 0: -1 + log1p(r expm1(2u)) / u. */
    double x = u > 0.0 ? 1.0 + log1p((1.0 - r) * expm1(-2.0 * u)) / u : -1.0 + log1p(r * expm1(2.0 * u)) / u;
    return x < -1.0 ? -1.0 : x > 1.0 ? 1.0 : x;
}

double att_log_x_over_sinh(double x)
{
    const double ax = fabs(x);
    if (ax < 1e-4) return -ax * ax / 6.0;                   /* ln(1 + x^2/6 + ...)^-1 */
    if (ax > 20.0) return log(2.0 * ax) - ax;               /* sinh x = e^x / 2 to double precision */
    return log(ax / sinh(ax));
}

int att_state_create(att_state *s, int n)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->J = calloc((size_t)n * (size_t)n, sizeof *s->J);
    s->sigma = calloc((size_t)n, sizeof *s->sigma);
    s->h = calloc((size_t)n, sizeof *s->h);
    s->tmp = calloc((size_t)n, sizeof *s->tmp);
    if (!s->J || !s->sigma || !s->h || !s->tmp) {
        att_state_free(s);
        return -1;
    }
    return 0;
}

void att_state_free(att_state *s)
{
    if (!s) return;
    free(s->J);
    free(s->sigma);
    free(s->h);
    free(s->tmp);
    memset(s, 0, sizeof *s);
}

void att_state_reset(att_state *s)
{
    memset(s->J, 0, (size_t)s->n * (size_t)s->n * sizeof *s->J);
    memset(s->sigma, 0, (size_t)s->n * sizeof *s->sigma);
    memset(s->h, 0, (size_t)s->n * sizeof *s->h);
}

void att_step(const att_spec *sp, att_state *s, const double *b, rng_stream *rng)
{
    const int n = s->n;
    for (int i = 0; i < n; i++) {
        const double *row = s->J + (size_t)i * n;
        double h = 0.0;
        for (int j = 0; j < n; j++) h += row[j] * s->sigma[j];
        s->h[i] = h;
    }
    /* every unit updates from the activities before the step (a synchronous step) */
    for (int i = 0; i < n; i++) {
        const double u = sp->beta * ((b ? b[i] : 0.0) + s->h[i]);
        s->sigma[i] = sp->stochastic ? att_sample(u, rng_uniform(rng)) : att_langevin(u);
    }
}

void att_learn(att_state *s, const double *eta, double eta0)
{
    const int n = s->n;
    for (int i = 0; i < n; i++) {
        /* the Hebbian term sigma_i sigma_j minus the unit's prediction of itself, L(h_i) sigma_j */
        const double rate = eta ? eta[i] : eta0, post = s->sigma[i] - att_langevin(s->h[i]);
        double *row = s->J + (size_t)i * n;
        for (int j = 0; j < n; j++)
            if (j != i) row[j] += rate * post * s->sigma[j];
    }
}

int att_relax(const double *K, int n, double beta, double *x, int max_steps, double tol, double *scratch)
{
    int t = 0;
    while (t < max_steps) {
        double change = 0.0;
        for (int i = 0; i < n; i++) {
            double h = 0.0;
            for (int j = 0; j < n; j++) h += K[(size_t)i * n + j] * x[j];
            scratch[i] = att_langevin(beta * h);
        }
        for (int i = 0; i < n; i++) {
            change = fmax(change, fabs(scratch[i] - x[i]));
            x[i] = scratch[i];
        }
        t++;
        if (change < tol) break;
    }
    return t;
}

att_energy att_free_energy(const double *J, int n, const double *b, const double *m, double *scratch)
{
    double *bq = scratch, *lq = scratch + n;
    for (int i = 0; i < n; i++) {
        double h = 0.0;
        for (int j = 0; j < n; j++) h += J[(size_t)i * n + j] * m[j];
        bq[i] = b[i] + h;
        lq[i] = att_langevin(bq[i]);
    }
    att_energy e = {0.0, 0.0, 0.0};
    for (int i = 0; i < n; i++) {
        e.complexity += att_log_x_over_sinh(bq[i]) + bq[i] * lq[i] - (att_log_x_over_sinh(b[i]) + b[i] * lq[i]);
        double jl = 0.0;
        for (int j = 0; j < n; j++) jl += J[(size_t)i * n + j] * lq[j];
        e.accuracy += b[i] * lq[i] + lq[i] * jl;
    }
    e.vfe = e.complexity - e.accuracy;
    return e;
}

double att_split(const double *J, int n, double *sym, double *anti)
{
    double all = 0.0, diff = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            const double a = J[(size_t)i * n + j], t = J[(size_t)j * n + i];
            if (sym) sym[(size_t)i * n + j] = 0.5 * (a + t);
            if (anti) anti[(size_t)i * n + j] = 0.5 * (a - t);
            all += a * a;
            diff += (a - t) * (a - t);
        }
    return all > 0.0 ? sqrt(diff / all) : 0.0;
}

double att_corr(const double *a, const double *b, int n)
{
    double ma = 0.0, mb = 0.0;
    for (int i = 0; i < n; i++) {
        ma += a[i];
        mb += b[i];
    }
    ma /= n;
    mb /= n;
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (int i = 0; i < n; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0.0 && sbb > 0.0 ? sab / sqrt(saa * sbb) : 0.0;
}
