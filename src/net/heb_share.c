/* Shared rules and their merging (Evolve & Merge: Pedersen & Risi, "Evolving and merging Hebbian
 * learning rules: increasing generalization by decreasing the number of rules", GECCO 2021).
 *
 * Each synapse points at one of K rules; a rule is a vector of the plasticity rule's ncoef
 * coefficients. The parameter vector carries the rules, K and the assignment (heb.h), so that
 * everything that copies parameters (checkpoints, --resume, --init-from, the replicas of every
 * rank) copies the assignment with them, and the ES leaves K and the assignment alone because
 * heb_share_frozen marks them frozen. Every rank merges its own replica with the same arithmetic
 * in the same order, so replicas stay equal to the bit without anything crossing the wire. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heb.h"

int heb_shared(const heb_spec *spec)
{
    return spec->shared_rules > 0 || spec->merge_every > 0;
}

void heb_share_init(const heb_layout *lay, uint64_t run_seed, double *params)
{
    double *a = params + lay->share_off + 1;
    params[lay->share_off] = (double)lay->n_rules0;
    if (lay->n_rules0 == lay->total_syn) { /* one rule per synapse: Evolve & Merge's start */
        for (size_t s = 0; s < lay->total_syn; s++) a[s] = (double)s;
        return;
    }
    /* a[s] = floor(u K), u uniform with 53 bits: every rule equally likely for every synapse */
    rng_stream r;
    rng_stream_init(&r, run_seed, RNG_RULES, 0, 0);
    for (size_t s = 0; s < lay->total_syn; s++) a[s] = floor(rng_uniform(&r) * (double)lay->n_rules0);
}

void heb_share_from_synapses(const heb_layout *lay, const double *per_syn, double *params)
{
    /* rule slot of synapse s = w_off[l] + k holds per_syn[coef_off[l] + c n_syn[l] + k] */
    for (int l = 0; l < lay->spec.n_layers; l++)
        for (int c = 0; c < lay->ncoef; c++)
            memcpy(params + (size_t)c * lay->n_rules0 + lay->w_off[l], per_syn + lay->coef_off[l] + (size_t)c * lay->n_syn[l],
                   lay->n_syn[l] * sizeof *params);
    heb_share_init(lay, 0, params); /* one rule per synapse: the identity, no random numbers */
}

size_t heb_share_rules(const heb_layout *lay, const double *params)
{
    return (size_t)params[lay->share_off];
}

void heb_share_frozen(const heb_layout *lay, const double *params, unsigned char *frozen)
{
    const size_t k = heb_share_rules(lay, params);
    for (size_t i = 0; i < lay->share_off; i++) frozen[i] = i % lay->n_rules0 >= k;
    for (size_t i = lay->share_off; i < lay->n_params; i++) frozen[i] = 1;
}

int heb_share_check(const heb_layout *lay, const double *params, char *err, size_t errlen)
{
    const double k = params[lay->share_off];
    if (!(k >= 1.0 && k <= (double)lay->n_rules0 && k == floor(k))) {
        snprintf(err, errlen, "shared rules: the rule count (parameter %zu) is %g, not a whole number in 1..%zu",
                 lay->share_off, k, lay->n_rules0);
        return -1;
    }
    const double *a = params + lay->share_off + 1;
    for (size_t s = 0; s < lay->total_syn; s++)
        if (!(a[s] >= 0.0 && a[s] < k && a[s] == floor(a[s]))) {
            snprintf(err, errlen, "shared rules: synapse %zu points at rule %g, not one of 0..%.0f", s, a[s], k - 1.0);
            return -1;
        }
    return 0;
}

/* Squared distance between two rules' coefficient vectors, summed in coefficient order. */
static double dist2(const double *x, const double *y, int d)
{
    double s = 0.0;
    for (int c = 0; c < d; c++) s += (x[c] - y[c]) * (x[c] - y[c]);
    return s;
}

/* The nearest centre of point x (ties: the lowest index) and its squared distance. */
static size_t nearest(const double *x, const double *ctr, size_t k, int d, double *best_d2)
{
    size_t best = 0;
    double bd = INFINITY;
    for (size_t j = 0; j < k; j++) {
        const double e = dist2(x, ctr + j * (size_t)d, d);
        if (e < bd) bd = e, best = j;
    }
    *best_d2 = bd;
    return best;
}

/* k-means++ (Arthur & Vassilvitskii 2007), weighted: the first centre drawn with probability
 * w_p / sum w, each next one with probability w_p D_p^2 / sum w D^2, D_p the distance to the nearest
 * centre so far. When every point sits on a centre (sum w D^2 = 0) the next unchosen point in order
 * is taken, so that k distinct points are chosen whenever there are k. */
static void seed_centres(const double *pts, const double *w, size_t n, size_t k, int d, rng_stream *r, double *ctr,
                         double *d2, unsigned char *chosen)
{
    double total = 0.0;
    for (size_t p = 0; p < n; p++) total += w[p];
    for (size_t j = 0; j < k; j++) {
        double t = 0.0;
        if (j > 0)
            for (size_t p = 0; p < n; p++) t += w[p] * d2[p];
        const double u = rng_uniform(r) * (j == 0 ? total : t);
        size_t pick = n;
        if (j == 0 || t > 0.0) {
            double acc = 0.0;
            for (size_t p = 0; p < n && pick == n; p++) {
                acc += j == 0 ? w[p] : w[p] * d2[p];
                if (acc > u && (j == 0 || d2[p] > 0.0)) pick = p;
            }
        }
        for (size_t p = 0; pick == n && p < n; p++) /* rounding left u past the sum, or all D = 0 */
            if (!chosen[p] && (j == 0 || t == 0.0 || d2[p] > 0.0)) pick = p;
        if (pick == n) pick = 0;
        chosen[pick] = 1;
        memcpy(ctr + j * (size_t)d, pts + pick * (size_t)d, (size_t)d * sizeof *ctr);
        for (size_t p = 0; p < n; p++) { /* D_p^2 against the centres so far */
            const double e = dist2(pts + p * (size_t)d, ctr + j * (size_t)d, d);
            if (j == 0 || e < d2[p]) d2[p] = e;
        }
    }
}

/* Each centre the weighted mean of its points, c_j = sum_{p in j} w_p x_p / sum_{p in j} w_p, summed
 * in point order; a centre without points keeps its place. */
static void update_centres(const double *pts, const double *w, const size_t *cl, size_t n, size_t k, int d,
                           double *ctr, double *sum, double *wsum)
{
    memset(sum, 0, k * (size_t)d * sizeof *sum);
    memset(wsum, 0, k * sizeof *wsum);
    for (size_t p = 0; p < n; p++) {
        wsum[cl[p]] += w[p];
        for (int c = 0; c < d; c++) sum[cl[p] * (size_t)d + (size_t)c] += w[p] * pts[p * (size_t)d + (size_t)c];
    }
    for (size_t j = 0; j < k; j++)
        if (wsum[j] > 0.0)
            for (int c = 0; c < d; c++) ctr[j * (size_t)d + (size_t)c] = sum[j * (size_t)d + (size_t)c] / wsum[j];
}

long heb_share_merge(const heb_layout *lay, size_t k, double *const *vecs, int n_vecs, uint64_t run_seed,
                     int64_t generation, int *iters, double *inertia)
{
    const int d = lay->ncoef;
    const size_t R0 = lay->n_rules0, K = heb_share_rules(lay, vecs[0]);
    double *h = vecs[0], *a = vecs[0] + lay->share_off + 1;
    *iters = 0;
    *inertia = 0.0;
    /* The points: the rules in use, weighted by their synapses (a rule of two synapses counts as two
     * points on one spot, so the merge is the same as clustering every synapse's rule). */
    double *cnt = calloc(K, sizeof *cnt);
    size_t *idx = malloc(K * sizeof *idx), *to = malloc(K * sizeof *to); /* point -> rule, rule -> point */
    if (!cnt || !idx || !to) goto oom0;
    for (size_t s = 0; s < lay->total_syn; s++) cnt[(size_t)a[s]] += 1.0;
    size_t n = 0;
    for (size_t r = 0; r < K; r++)
        if (cnt[r] > 0.0) to[r] = n, idx[n++] = r;
    if (k < 1) k = 1;
    if (k >= n) { /* nothing to merge */
        free(cnt), free(idx), free(to);
        return (long)K;
    }
    double *pts = malloc(n * (size_t)d * sizeof *pts), *w = malloc(n * sizeof *w);
    double *ctr = malloc(k * (size_t)d * sizeof *ctr), *sum = malloc(k * (size_t)d * sizeof *sum);
    double *wsum = malloc(k * sizeof *wsum), *d2 = malloc(n * sizeof *d2);
    size_t *cl = malloc(n * sizeof *cl), *newid = malloc(k * sizeof *newid);
    unsigned char *chosen = calloc(n, 1);
    double *tmp = malloc(k * (size_t)d * sizeof *tmp);
    if (!pts || !w || !ctr || !sum || !wsum || !d2 || !cl || !newid || !chosen || !tmp) goto oom;
    for (size_t p = 0; p < n; p++) {
        w[p] = cnt[idx[p]];
        for (int c = 0; c < d; c++) pts[p * (size_t)d + (size_t)c] = h[(size_t)c * R0 + idx[p]];
    }
    rng_stream r;
    rng_stream_init(&r, run_seed, RNG_RULES, 1, (uint32_t)generation);
    seed_centres(pts, w, n, k, d, &r, ctr, d2, chosen);
    /* Lloyd's iterations: every point to its nearest centre, every centre to its points' weighted
     * mean, until no point changes cluster. */
    for (size_t p = 0; p < n; p++) cl[p] = k; /* none yet: the first pass changes every point */
    for (int it = 0; it < HEB_MERGE_ITERS; it++) {
        size_t moved = 0;
        for (size_t p = 0; p < n; p++) {
            const size_t j = nearest(pts + p * (size_t)d, ctr, k, d, &d2[p]);
            moved += j != cl[p];
            cl[p] = j;
        }
        *iters = it + 1;
        if (!moved) break;
        update_centres(pts, w, cl, n, k, d, ctr, sum, wsum);
    }
    /* The clusters of the last assignment, numbered in cluster order without the empty ones. */
    memset(wsum, 0, k * sizeof *wsum);
    for (size_t p = 0; p < n; p++) wsum[cl[p]] += w[p];
    size_t K2 = 0;
    for (size_t j = 0; j < k; j++) newid[j] = wsum[j] > 0.0 ? K2++ : k;
    for (size_t p = 0; p < n; p++) *inertia += w[p] * d2[p];
    /* Every vector's rule slots: the new rule j' holds the weighted mean of its members' slots,
     * v'[c][j'] = sum_{r in j'} cnt_r v[c][r] / sum_{r in j'} cnt_r (for the parameters, the centre
     * of the final assignment). Slots past the new count are frozen and never read again: zeroed in
     * the parameters, left as they were in the other vectors (PGPE's sigmas must stay positive). */
    for (int v = 0; v < n_vecs; v++) {
        memset(tmp, 0, k * (size_t)d * sizeof *tmp);
        for (size_t p = 0; p < n; p++)
            for (int c = 0; c < d; c++)
                tmp[newid[cl[p]] * (size_t)d + (size_t)c] += w[p] * vecs[v][(size_t)c * R0 + idx[p]];
        for (int c = 0; c < d; c++) {
            double *plane = vecs[v] + (size_t)c * R0;
            for (size_t j = 0; j < k; j++)
                if (newid[j] < k) plane[newid[j]] = tmp[newid[j] * (size_t)d + (size_t)c] / wsum[j];
            for (size_t q = K2; v == 0 && q < R0; q++) plane[q] = 0.0;
        }
    }
    /* Each synapse follows its rule into the rule's cluster. */
    for (size_t s = 0; s < lay->total_syn; s++) a[s] = (double)newid[cl[to[(size_t)a[s]]]];
    h[lay->share_off] = (double)K2;
    free(pts), free(w), free(ctr), free(sum), free(wsum), free(d2), free(cl), free(newid), free(chosen), free(tmp);
    free(cnt), free(idx), free(to);
    return (long)K2;
oom:
    free(pts), free(w), free(ctr), free(sum), free(wsum), free(d2), free(cl), free(newid), free(chosen), free(tmp);
oom0:
    free(cnt), free(idx), free(to);
    return -1;
}
