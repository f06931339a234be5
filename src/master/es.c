#include "es.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "worker.h"

void es_init(es_state *s, const cfg *c)
{
    wk_initial_params((uint64_t)c->seed, c->init_std, c->init_dist == CFG_INIT_UNIFORM, s->h, s->n);
    s->lr = c->lr;
    s->sigma = c->sigma;
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

void es_shape(const cfg *c, int n, const double *fitness, const double *mean_sq, const int *diverged,
              double *pair_weight, es_shape_info *info, void *scratch)
{
    double *key = scratch;
    double *u = key + n;
    int *idx = (int *)(u + n), *invalid = idx + n, *tmp = invalid + n;
    memset(info, 0, sizeof *info);
    info->best = -1;
    double sum = 0.0, sq = 0.0;
    int valid = 0;
    for (int k = 0; k < n; k++) {
        key[k] = fitness[k] - c->l2_penalty * mean_sq[k];
        invalid[k] = diverged[k] || !isfinite(key[k]) || !isfinite(fitness[k]);
        info->n_invalid += invalid[k];
        idx[k] = k;
        if (invalid[k]) continue;
        if (!valid || fitness[k] > info->max) info->max = fitness[k];
        if (!valid || fitness[k] < info->min) info->min = fitness[k];
        if (info->best < 0 || key[k] > key[info->best]) info->best = k;
        sum += fitness[k];
        valid++;
    }
    if (valid) {
        info->mean = sum / valid;
        for (int k = 0; k < n; k++)
            if (!invalid[k]) sq += (fitness[k] - info->mean) * (fitness[k] - info->mean);
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
        const double scale = 1.0 / (WK_GRAD_SCALE * c->population * s->sigma);
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
    if (s->lr > c->lr_min) s->lr *= c->lr_decay;
    if (s->sigma > c->sigma_min) s->sigma *= c->sigma_decay;
}
