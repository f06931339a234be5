#include "es.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

void es_initial_params(uint64_t run_seed, const cfg *c, double *h, size_t n)
{
    rng_stream r;
    rng_stream_init(&r, run_seed, RNG_PARAMS_INIT, 0, 0);
    if (c->init_dist == CFG_INIT_UNIFORM) {
        for (size_t i = 0; i < n; i++) h[i] = c->init_std * (2.0 * rng_uniform(&r) - 1.0);
        return;
    }
    rng_fill_normal(&r, h, n);
    for (size_t i = 0; i < n; i++) h[i] *= c->init_std;
}

void es_init(es_state *s, const cfg *c)
{
    es_initial_params((uint64_t)c->seed, c, s->h, s->n);
    s->lr = c->lr;
    s->sigma = c->sigma;
}

void es_perturbation(uint64_t run_seed, int64_t gen, int64_t pair, double *eps, size_t n)
{
    rng_stream r;
    rng_stream_init(&r, run_seed, RNG_NOISE, (uint32_t)gen, (uint32_t)pair);
    rng_fill_normal(&r, eps, n);
}

double es_candidate(uint64_t run_seed, const double *h, double sigma, int64_t gen, int64_t k, double *eps,
                    double *cand, size_t n)
{
    const double s = k % 2 ? -sigma : sigma;
    es_perturbation(run_seed, gen, k / 2, eps, n);
    double sq = 0.0;
    for (size_t i = 0; i < n; i++) {
        cand[i] = h[i] + s * eps[i];
        sq += cand[i] * cand[i];
    }
    return sq / (double)n;
}

uint64_t es_episode_seed(uint64_t run_seed, int64_t gen, int64_t k)
{
    return rng_derive(run_seed, RNG_WEIGHTS, (uint32_t)gen, (uint32_t)(k / 2));
}

size_t es_shape_scratch_size(int n)
{
    return (size_t)n * (2 * sizeof(double) + 3 * sizeof(int));
}

typedef struct {
    const double *key;
    const int *invalid;
} rank_ctx;

/* A total order, so ranks never depend on the sort: merge sort on indices (qsort
 * takes no context). Invalid first, then by shaped fitness, then by index. */
static int before(const rank_ctx *c, int a, int b)
{
    if (c->invalid[a] != c->invalid[b]) return c->invalid[a] > c->invalid[b];
    if (!c->invalid[a] && c->key[a] != c->key[b]) return c->key[a] < c->key[b];
    return a < b;
}

static void merge_sort(const rank_ctx *c, int *idx, int *tmp, int n)
{
    if (n < 2) return;
    int h = n / 2;
    merge_sort(c, idx, tmp, h);
    merge_sort(c, idx + h, tmp, n - h);
    int i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = before(c, idx[j], idx[i]) ? idx[j++] : idx[i++];
    while (i < h) tmp[k++] = idx[i++];
    while (j < n) tmp[k++] = idx[j++];
    memcpy(idx, tmp, (size_t)n * sizeof *idx);
}

void es_shape(const cfg *c, int n, const es_result *res, double *pair_weight, es_shape_info *info, void *scratch)
{
    double *key = scratch;
    double *u = key + n;
    int *idx = (int *)(u + n), *invalid = idx + n, *tmp = invalid + n;
    memset(info, 0, sizeof *info);
    info->best = -1;
    double sum = 0.0, sq = 0.0;
    int valid = 0;
    for (int k = 0; k < n; k++) {
        const double fk = res[k].fitness;
        key[k] = fk - c->l2_penalty * res[k].mean_sq;
        invalid[k] = res[k].diverged || !isfinite(key[k]) || !isfinite(fk);
        info->n_invalid += invalid[k];
        idx[k] = k;
        if (invalid[k]) continue;
        if (!valid || fk > info->max) info->max = fk;
        if (!valid || fk < info->min) info->min = fk;
        if (info->best < 0 || key[k] > key[info->best]) info->best = k;
        sum += fk;
        valid++;
    }
    if (valid) {
        info->mean = sum / valid;
        for (int k = 0; k < n; k++)
            if (!invalid[k]) sq += (res[k].fitness - info->mean) * (res[k].fitness - info->mean);
        info->std = sqrt(sq / valid);
    }
    int all_equal = 1;
    for (int k = 1; k < n; k++) all_equal &= invalid[k] == invalid[0] && (invalid[k] || key[k] == key[0]);
    info->skip = !valid || all_equal;
    rank_ctx ctx = {key, invalid};
    merge_sort(&ctx, idx, tmp, n);
    for (int r = 0; r < n; r++) u[idx[r]] = (double)r / (n - 1) - 0.5;
    double m = 0.0, v = 0.0;
    for (int k = 0; k < n; k++) m += u[k];
    m /= n;
    for (int k = 0; k < n; k++) v += (u[k] - m) * (u[k] - m);
    double sd = sqrt(v / n);
    for (int p = 0; p < n / 2; p++)
        pair_weight[p] = info->skip ? 0.0 : ((u[2 * p] - m) - (u[2 * p + 1] - m)) / sd;
}

void es_update(es_state *s, const cfg *c, const int64_t *grad_acc, int skip)
{
    if (!skip) {
        /* Ascent direction: 1/(n sigma) sum_k u_k eps_k. */
        const double scale = 1.0 / (ES_GRAD_SCALE * c->population * s->sigma);
        if (c->optimizer == CFG_OPT_SGD) {
            for (size_t i = 0; i < s->n; i++) s->h[i] += s->lr * (grad_acc[i] * scale);
        } else {
            const double b1 = c->adam_beta1, b2 = c->adam_beta2;
            s->adam_t++;
            const double a = s->lr * sqrt(1.0 - pow(b2, (double)s->adam_t)) / (1.0 - pow(b1, (double)s->adam_t));
            for (size_t i = 0; i < s->n; i++) {
                double g = -(grad_acc[i] * scale) + c->adam_l2 * s->h[i]; /* descent gradient, as OpenAI-ES */
                s->adam_m[i] = b1 * s->adam_m[i] + (1.0 - b1) * g;
                s->adam_v[i] = b2 * s->adam_v[i] + (1.0 - b2) * g * g;
                s->h[i] -= a * s->adam_m[i] / (sqrt(s->adam_v[i]) + c->adam_eps);
            }
        }
    }
    /* Floors: a decay never takes them below (a value that starts below stays). */
    if (s->lr > c->lr_min) s->lr = fmax(s->lr * c->lr_decay, c->lr_min);
    if (s->sigma > c->sigma_min) s->sigma = fmax(s->sigma * c->sigma_decay, c->sigma_min);
}

int es_gen_create(es_gen *g, const cfg *c, size_t n_params)
{
    memset(g, 0, sizeof *g);
    const int n = c->population;
    g->n = n;
    g->n_params = n_params;
    g->res = calloc((size_t)n, sizeof *g->res);
    g->pair_weight = calloc((size_t)n / 2, sizeof *g->pair_weight);
    g->eps = malloc(n_params * sizeof *g->eps);
    g->acc = malloc(n_params * sizeof *g->acc);
    g->scratch = malloc(es_shape_scratch_size(n));
    if (c->obs_norm) g->obs = calloc((size_t)n, sizeof *g->obs);
    if (!g->res || !g->pair_weight || !g->eps || !g->acc || !g->scratch || (c->obs_norm && !g->obs)) {
        es_gen_free(g);
        return -1;
    }
    return 0;
}

void es_gen_free(es_gen *g)
{
    if (!g) return;
    free(g->res);
    free(g->obs);
    free(g->pair_weight);
    free(g->eps);
    free(g->acc);
    free(g->scratch);
    memset(g, 0, sizeof *g);
}

void es_generation_begin(es_gen *g, const es_state *s)
{
    g->generation = s->generation;
    g->lr = s->lr;
    g->sigma = s->sigma;
    g->skip = 0;
}

void es_report(es_gen *g, int64_t k, const es_result *r, const es_obs_stats *obs)
{
    if (k < 0 || k >= g->n) return;
    g->res[k] = *r;
    if (g->obs && obs) g->obs[k] = *obs;
}

/* The generation's observations added to the running statistics in candidate order (so the
 * sums have the same bits for any rank count); diverged candidates are left out. */
static void add_obs_stats(es_obs_stats *total, const es_gen *g)
{
    for (int k = 0; k < g->n; k++) {
        const es_obs_stats *c = &g->obs[k];
        int ok = !g->res[k].diverged && c->n == total->n;
        for (int i = 0; ok && i < c->n; i++) ok = isfinite(c->sum[i]) && isfinite(c->sumsq[i]);
        if (!ok) continue;
        total->count += c->count;
        for (int i = 0; i < c->n; i++) {
            total->sum[i] += c->sum[i];
            total->sumsq[i] += c->sumsq[i];
        }
    }
}

void es_generation_end(es_gen *g, es_state *s, const cfg *c, es_gen_stats *row)
{
    es_shape_info info;
    es_shape(c, g->n, g->res, g->pair_weight, &info, g->scratch);
    g->skip = info.skip;
    if (g->obs) add_obs_stats(&s->obs, g);
    row->generation = g->generation;
    row->mean = info.mean;
    row->max = info.max;
    row->min = info.min;
    row->std = info.std;
    row->lr = g->lr;
    row->sigma = g->sigma;
    row->diverged = info.n_invalid;
    row->skipped = info.skip;
    row->steps = 0;
    for (int k = 0; k < g->n; k++) row->steps += g->res[k].steps;
    if (info.best >= 0) {
        const es_result *b = &g->res[info.best];
        for (int l = 0; l < HEB_MAX_LAYERS; l++) row->layer_norm[l] = sqrt(b->sq_norm[l]);
        if (b->fitness > s->best_fitness) {
            es_candidate((uint64_t)c->seed, s->h, g->sigma, g->generation, info.best, g->eps, s->best_h, s->n);
            s->best_fitness = b->fitness;
            s->best_generation = g->generation;
        }
    }
    row->best_ever = s->best_fitness;
}

void es_grad_share(es_gen *g, uint64_t run_seed, int64_t first, int64_t stride, int64_t *acc)
{
    memset(acc, 0, g->n_params * sizeof *acc);
    if (g->skip) return;
    for (int64_t p = first; p < g->n / 2; p += stride) {
        const double wgt = g->pair_weight[p] * ES_GRAD_SCALE;
        if (wgt == 0.0) continue;
        es_perturbation(run_seed, g->generation, p, g->eps, g->n_params);
        for (size_t i = 0; i < g->n_params; i++) acc[i] += (int64_t)(wgt * g->eps[i]);
    }
}

void es_apply(es_state *s, const cfg *c, const es_gen *g, const int64_t *grad_acc)
{
    es_update(s, c, grad_acc, g->skip);
    s->generation++;
}

int es_generation(es_gen *g, es_state *s, const cfg *c, const es_ops *ops, es_gen_stats *row)
{
    es_generation_begin(g, s);
    const int abandon = ops->evaluate(ops->ctx, g);
    int verdict = ES_ABANDON;
    if (ops->lead && !abandon) {
        es_generation_end(g, s, c, row);
        verdict = g->skip ? ES_SKIP : ES_UPDATE;
    }
    if (ops->agree) ops->agree(ops->ctx, &verdict, g, c->obs_norm ? &s->obs : NULL);
    if (verdict == ES_ABANDON) return 1;
    g->skip = verdict == ES_SKIP;
    es_grad_share(g, (uint64_t)c->seed, ops->first, ops->stride, g->acc);
    if (!g->skip && ops->sum) ops->sum(ops->ctx, g->acc, s->n);
    es_apply(s, c, g, g->acc);
    return 0;
}
