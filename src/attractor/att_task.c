/* The digits, the presentation of a sequence, free runs and the order they replay. */
#include "att_task.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

int att_digits_load(att_digits *d, const char *path, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    gzFile f = gzopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open the digits file (Debian: python3-sklearn ships it)", path);
        return -1;
    }
    int cap = 2048, line = 0;
    d->pixels = malloc((size_t)cap * ATT_PIXELS * sizeof *d->pixels);
    d->labels = malloc((size_t)cap * sizeof *d->labels);
    char buf[1024];
    int rc = d->pixels && d->labels ? 0 : -1;
    if (rc) snprintf(err, errlen, "out of memory");
    while (!rc && gzgets(f, buf, sizeof buf)) {
        line++;
        if (d->n == cap) {
            snprintf(err, errlen, "%s: more than %d images", path, cap);
            rc = -1;
            break;
        }
        char *p = buf, *end;
        for (int k = 0; k <= ATT_PIXELS && !rc; k++) {
            const long v = strtol(p, &end, 10);
            if (end == p || v < 0 || v > (k < ATT_PIXELS ? 16 : 9) || (k < ATT_PIXELS && *end != ',')) {
                snprintf(err, errlen, "%s: line %d, value %d: expected 64 gray levels 0..16 and a label 0..9", path,
                         line, k + 1);
                rc = -1;
                break;
            }
            if (k < ATT_PIXELS) d->pixels[(size_t)d->n * ATT_PIXELS + k] = (double)v;
            else d->labels[d->n] = (int)v;
            p = end + 1;
        }
        d->n++;
    }
    if (!rc && d->n == 0) {
        snprintf(err, errlen, "%s: no images (not the digits file?)", path);
        rc = -1;
    }
    gzclose(f);
    if (rc) att_digits_free(d);
    return rc;
}

void att_digits_free(att_digits *d)
{
    if (!d) return;
    free(d->pixels);
    free(d->labels);
    memset(d, 0, sizeof *d);
}

void att_pattern(const att_digits *d, int i, double evidence, double *out)
{
    const double *px = d->pixels + (size_t)i * ATT_PIXELS;
    double mean = 0.0, var = 0.0;
    for (int k = 0; k < ATT_PIXELS; k++) mean += px[k] * px[k];
    mean /= ATT_PIXELS;
    for (int k = 0; k < ATT_PIXELS; k++) var += (px[k] * px[k] - mean) * (px[k] * px[k] - mean);
    const double sd = sqrt(var / ATT_PIXELS);
    for (int k = 0; k < ATT_PIXELS; k++) out[k] = sd > 0.0 ? evidence * (px[k] * px[k] - mean) / sd : 0.0;
}

void att_present(const att_task *t, att_state *s, const double *eta, double eta0, rng_stream *rng)
{
    for (int k = 0; k < t->iterations; k++) {
        att_step(&t->net, s, t->patterns[k % t->n_patterns], rng);
        att_learn(s, eta, eta0);
    }
}

void att_free_run(const att_task *t, att_state *s, rng_stream *rng, int *labels, double *best, double *trace)
{
    for (int k = 0; k < t->free_steps; k++) {
        att_step(&t->net, s, NULL, rng);
        if (trace) memcpy(trace + (size_t)k * s->n, s->sigma, (size_t)s->n * sizeof *s->sigma);
        int arg = -1;
        double top = -2.0;
        for (int p = 0; p < t->n_patterns; p++) {
            const double c = att_corr(s->sigma, t->patterns[p], s->n);
            if (c > top) top = c, arg = p;
        }
        if (labels) labels[k] = top >= t->threshold ? arg : -1;
        if (best) best[k] = top;
    }
}

att_order att_order_of(const int *labels, int steps, int n_patterns)
{
    att_order o = {0, 0, 0, 0, {0}};
    int last = -1;
    for (int k = 0; k < steps; k++) {
        if (labels[k] < 0 || labels[k] == last) continue;
        if (last >= 0) {
            if (labels[k] == (last + 1) % n_patterns) o.forward++;
            else o.other++;
        }
        if (o.visits < (int)(sizeof o.order / sizeof *o.order)) o.order[o.visits] = labels[k];
        o.visits++;
        last = labels[k];
    }
    o.replays = o.visits >= n_patterns + 1 && o.other == 0;
    return o;
}

double att_recall_score(const att_task *t, att_state *s, rng_stream *rng, int runs, int *labels, double *best,
                        int *replays)
{
    double score = 0.0;
    if (replays) *replays = 0;
    memcpy(s->tmp, s->sigma, (size_t)s->n * sizeof *s->tmp);
    for (int r = 0; r < runs; r++) {
        memcpy(s->sigma, s->tmp, (size_t)s->n * sizeof *s->sigma);
        att_free_run(t, s, rng, labels, best, NULL);
        const att_order o = att_order_of(labels, t->free_steps, t->n_patterns);
        if (replays) *replays += o.replays;
        double mean_best = 0.0;
        for (int k = 0; k < t->free_steps; k++) mean_best += best[k];
        score += (double)(o.forward - o.other) / t->n_patterns + mean_best / t->free_steps;
    }
    return score / runs;
}

void att_stream(rng_stream *r, uint64_t seed)
{
    rng_stream_init(r, seed, RNG_TASK, 0xA77u, 0);
}

double att_fitness(const att_task *t, att_state *s, const double *theta, double eta0, double beta0, uint64_t seed,
                   int runs, double *eta, int *labels, double *best, int *replays)
{
    att_task mine = *t;
    att_rates_from_params(t, theta, eta0, beta0, eta, &mine.net.beta);
    att_state_reset(s);
    rng_stream r;
    att_stream(&r, seed);
    att_present(&mine, s, eta, 0.0, &r);
    return att_recall_score(&mine, s, &r, runs, labels, best, replays);
}

size_t att_params(const att_task *t)
{
    return t->evolve == ATT_EVOLVE_GLOBAL ? 2 : (size_t)t->net.n + 1;
}

void att_rates_from_params(const att_task *t, const double *theta, double eta0, double beta0, double *eta,
                           double *beta)
{
    const int n = t->net.n, global = t->evolve == ATT_EVOLVE_GLOBAL;
    for (int i = 0; i < n; i++) eta[i] = eta0 * exp(theta[global ? 0 : i]);
    *beta = beta0 * exp(theta[global ? 1 : n]);
}
