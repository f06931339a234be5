#include "es.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

void es_initial_params(uint64_t run_seed, const es_spec *e, double *h, size_t n)
{
    rng_stream r;
    rng_stream_init(&r, run_seed, RNG_PARAMS_INIT, 0, 0);
    if (e->init_dist == ES_INIT_UNIFORM) {
        for (size_t i = 0; i < n; i++) h[i] = e->init_std * (2.0 * rng_uniform(&r) - 1.0);
        return;
    }
    rng_fill_normal(&r, h, n);
    for (size_t i = 0; i < n; i++) h[i] *= e->init_std;
}

void es_init(es_state *s, const es_spec *e)
{
    es_initial_params((uint64_t)e->seed, e, s->h, s->n);
    s->lr = e->lr;
    s->sigma = e->sigma;
    if (e->algorithm == ES_ALGO_PGPE)
        for (size_t i = 0; i < s->n; i++) s->sigmas[i] = e->sigma;
}

void es_perturbation(uint64_t run_seed, int64_t gen, int64_t pair, double *eps, size_t n)
{
    rng_stream r;
    rng_stream_init(&r, run_seed, RNG_NOISE, (uint32_t)gen, (uint32_t)pair);
    rng_fill_normal(&r, eps, n);
}

double es_candidate(uint64_t run_seed, const double *h, double sigma, const double *sigmas,
                    const unsigned char *frozen, int64_t gen, int64_t k, double *eps, double *cand, size_t n)
{
    const double s = k % 2 ? -sigma : sigma;
    es_perturbation(run_seed, gen, k / 2, eps, n);
    double sq = 0.0;
    if (sigmas) {
        for (size_t i = 0; i < n; i++) {
            cand[i] = h[i] + (k % 2 ? -sigmas[i] : sigmas[i]) * eps[i];
            sq += cand[i] * cand[i];
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            cand[i] = h[i] + s * eps[i];
            sq += cand[i] * cand[i];
        }
    }
    if (!frozen) return sq / (double)n;
    /* Frozen parameters: put back, and out of the mean (summed again in index order, so that the
     * sum over the rest does not depend on what the frozen ones held). */
    size_t live = 0;
    sq = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (frozen[i]) {
            cand[i] = h[i];
            continue;
        }
        sq += cand[i] * cand[i];
        live++;
    }
    return live ? sq / (double)live : 0.0;
}

const double *es_sigmas(const es_spec *e, const es_state *s)
{
    return e->algorithm == ES_ALGO_PGPE ? s->sigmas : NULL;
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

void es_shape(const es_spec *e, int n, const es_result *res, double *pair_weight, es_shape_info *info, void *scratch)
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
        /* the ranking key: F_k - lambda * mean(theta_k^2), the paper's L2 penalty on the candidate */
        key[k] = fk - e->l2_penalty * res[k].mean_sq;
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
    /* Centred ranks (Salimans et al. 2017): u_k = rank(k) / (n - 1) - 1/2, worst 0, so
     * u in [-1/2, 1/2]; invalid candidates sort below every valid one (before()). A stable merge
     * sort, so ties keep index order and every rank count gives the same u. */
    rank_ctx ctx = {key, invalid};
    merge_sort(&ctx, idx, tmp, n);
    for (int r = 0; r < n; r++) u[idx[r]] = (double)r / (n - 1) - 0.5;
    /* m = mean(u) (0 up to rounding), sd = sqrt(mean((u - m)^2)): OpenAI-ES standardises the
     * shaped fitness before the gradient sum */
    double m = 0.0, v = 0.0;
    for (int k = 0; k < n; k++) m += u[k];
    m /= n;
    for (int k = 0; k < n; k++) v += (u[k] - m) * (u[k] - m);
    double sd = sqrt(v / n);
    if (e->algorithm == ES_ALGO_PGPE) {
        /* PGPE keeps the centred ranks in [-0.5, 0.5], as EvoJAX and EvoTorch do, so that their
         * sigma step sizes mean the same here; the second half holds each pair's baseline term. */
        for (int p = 0; p < n / 2; p++) {
            pair_weight[p] = info->skip ? 0.0 : (u[2 * p] - m) - (u[2 * p + 1] - m);
            pair_weight[n / 2 + p] = info->skip ? 0.0 : 0.5 * ((u[2 * p] - m) + (u[2 * p + 1] - m));
        }
        return;
    }
    /* Mirrored pair p is theta + sigma eps_p (candidate 2p) and theta - sigma eps_p (2p + 1): its
     * weight in the gradient sum is w_p = (u_2p - u_2p+1) / sd, since eps enters with both signs */
    for (int p = 0; p < n / 2; p++)
        pair_weight[p] = info->skip ? 0.0 : ((u[2 * p] - m) - (u[2 * p + 1] - m)) / sd;
}

/* Adam on the descent gradient, as OpenAI-ES. */
static void adam_step(es_state *s, const es_spec *e, const double *grad)
{
    const double b1 = e->adam_beta1, b2 = e->adam_beta2;
    s->adam_t++;
    /* the bias corrections folded into the step, as OpenAI-ES's optimizer does:
     * a_t = lr sqrt(1 - b2^t) / (1 - b1^t) */
    const double a = s->lr * sqrt(1.0 - pow(b2, (double)s->adam_t)) / (1.0 - pow(b1, (double)s->adam_t));
    for (size_t i = 0; i < s->n; i++) {
        if (s->frozen && s->frozen[i]) continue;
        /* g = -(ascent gradient) + l2 h: Adam descends, and the L2 term pulls h towards 0 */
        double g = -grad[i] + e->adam_l2 * s->h[i];
        s->adam_m[i] = b1 * s->adam_m[i] + (1.0 - b1) * g;     /* m <- b1 m + (1 - b1) g */
        s->adam_v[i] = b2 * s->adam_v[i] + (1.0 - b2) * g * g; /* v <- b2 v + (1 - b2) g^2 */
        s->h[i] -= a * s->adam_m[i] / (sqrt(s->adam_v[i]) + e->adam_eps); /* h <- h - a_t m / (sqrt v + eps) */
    }
}

double es_clipup_max_speed(const es_spec *e)
{
    return e->clipup_max_speed > 0.0 ? e->clipup_max_speed : 2.0 * e->lr;
}

/* ClipUp (Toklu et al. 2020): only the gradient's direction counts, so the step does not depend
 * on the fitness scale; momentum smooths it, and the clip bounds how far one generation moves. */
static void clipup_step(es_state *s, const es_spec *e, const double *grad)
{
    double norm = 0.0, vnorm = 0.0;
    for (size_t i = 0; i < s->n; i++) norm += grad[i] * grad[i];
    norm = sqrt(norm);
    /* v <- m v + alpha g / |g|: the step alpha (es.lr) along the gradient's direction */
    const double step = norm > 0.0 ? s->lr / norm : 0.0;
    for (size_t i = 0; i < s->n; i++) {
        /* a frozen parameter's velocity is neither updated nor in |v|: a merge leaves the velocity of
         * the rule slots it retires as it was */
        if (s->frozen && s->frozen[i]) continue;
        s->velocity[i] = e->clipup_momentum * s->velocity[i] + step * grad[i];
        vnorm += s->velocity[i] * s->velocity[i];
    }
    vnorm = sqrt(vnorm);
    /* if |v| > v_max: v <- v_max v / |v|; then h <- h + v */
    const double vmax = es_clipup_max_speed(e);
    const double shrink = vnorm > vmax ? vmax / vnorm : 1.0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->frozen && s->frozen[i]) continue;
        if (shrink != 1.0) s->velocity[i] *= shrink;
        s->h[i] += s->velocity[i];
    }
}

/* PGPE's sigma step: sigma_i += sigma_lr * sigma_i / P * sum_p b_p (eps_pi^2 - 1), the change
 * clipped to a fraction of sigma_i. The sigmas' mean is what logs show as sigma. */
static void pgpe_sigma_step(es_state *s, const es_spec *e, const int64_t *acc, int pairs)
{
    const double scale = 1.0 / (ES_GRAD_SCALE * pairs);
    double sum = 0.0;
    size_t live = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->frozen && s->frozen[i]) continue;
        const double sg = s->sigmas[i], limit = e->pgpe_sigma_max_change * sg;
        double d = e->pgpe_sigma_lr * sg * (acc[i] * scale);
        d = d < -limit ? -limit : d > limit ? limit : d;
        s->sigmas[i] = sg + d;
        sum += s->sigmas[i];
        live++;
    }
    s->sigma = live ? sum / (double)live : s->sigma;
}

void es_update(es_state *s, const es_spec *e, const int64_t *grad_acc, int skip, double *grad)
{
    if (!skip) {
        /* Ascent direction. OpenAI-ES: 1/(n sigma) sum_p w_p eps_p (the likelihood-ratio gradient);
         * PGPE: sigma_i/n sum_p w_p eps_pi (Sehnke's, the gradient scaled by sigma_i^2). */
        const int pgpe = e->algorithm == ES_ALGO_PGPE;
        /* grad_acc holds sum_p w_p eps_p in 2^-32 fixed point (ES_GRAD_SCALE), summed as integers
         * over the ranks: undo the scale and divide by n (sigma) here, once, on every replica */
        const double scale = 1.0 / (ES_GRAD_SCALE * e->population * (pgpe ? 1.0 : s->sigma));
        for (size_t i = 0; i < s->n; i++) grad[i] = (grad_acc[i] * scale) * (pgpe ? s->sigmas[i] : 1.0);
        if (s->frozen) /* a frozen parameter has no gradient: ClipUp's norm leaves it out too */
            for (size_t i = 0; i < s->n; i++)
                if (s->frozen[i]) grad[i] = 0.0;
        if (e->optimizer == ES_OPT_SGD) /* h <- h + lr grad */
            for (size_t i = 0; i < s->n; i++) s->h[i] += s->lr * grad[i];
        else if (e->optimizer == ES_OPT_ADAM)
            adam_step(s, e, grad);
        else
            clipup_step(s, e, grad);
        if (pgpe) pgpe_sigma_step(s, e, grad_acc + s->n, e->population / 2);
    }
    /* Floors: a decay never takes them below (a value that starts below stays). */
    if (s->lr > e->lr_min) s->lr = fmax(s->lr * e->lr_decay, e->lr_min);
    if (e->algorithm == ES_ALGO_OPENAI && s->sigma > e->sigma_min) s->sigma = fmax(s->sigma * e->sigma_decay, e->sigma_min);
}

int es_gen_create(es_gen *g, const es_spec *e, size_t n_params, int obs_stats)
{
    memset(g, 0, sizeof *g);
    const int n = e->population, pgpe = e->algorithm == ES_ALGO_PGPE;
    g->n = n;
    g->n_params = n_params;
    g->n_weights = pgpe ? n : n / 2;
    g->n_acc = pgpe ? 2 * n_params : n_params;
    g->res = calloc((size_t)n, sizeof *g->res);
    g->pair_weight = calloc((size_t)g->n_weights, sizeof *g->pair_weight);
    g->eps = malloc(n_params * sizeof *g->eps);
    g->acc = malloc(g->n_acc * sizeof *g->acc);
    g->grad = malloc(n_params * sizeof *g->grad);
    g->scratch = malloc(es_shape_scratch_size(n));
    if (obs_stats) g->obs = calloc((size_t)n, sizeof *g->obs);
    if (!g->res || !g->pair_weight || !g->eps || !g->acc || !g->grad || !g->scratch || (obs_stats && !g->obs)) {
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
    free(g->grad);
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

void es_generation_end(es_gen *g, es_state *s, const es_spec *e, es_gen_stats *row)
{
    es_shape_info info;
    es_shape(e, g->n, g->res, g->pair_weight, &info, g->scratch);
    g->skip = info.skip;
    /* Nothing of a generation in which every candidate diverged may reach the state. */
    if (g->obs && info.n_invalid < g->n) add_obs_stats(&s->obs, g);
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
        for (int l = 0; l < ES_MAX_LAYERS; l++) row->layer_norm[l] = sqrt(b->sq_norm[l]);
        if (b->fitness > s->best_fitness) {
            es_candidate((uint64_t)e->seed, s->h, g->sigma, es_sigmas(e, s), s->frozen, g->generation, info.best,
                         g->eps, s->best_h, s->n);
            s->best_fitness = b->fitness;
            s->best_generation = g->generation;
        }
    }
    row->best_ever = s->best_fitness;
}

void es_grad_share(es_gen *g, uint64_t run_seed, int64_t first, int64_t stride, int64_t *acc)
{
    memset(acc, 0, g->n_acc * sizeof *acc);
    if (g->skip) return;
    const int64_t pairs = g->n / 2;
    const int pgpe = g->n_acc > g->n_params;
    for (int64_t p = first; p < pairs; p += stride) {
        const double wgt = g->pair_weight[p] * ES_GRAD_SCALE;
        const double base = pgpe ? g->pair_weight[pairs + p] * ES_GRAD_SCALE : 0.0;
        if (wgt == 0.0 && base == 0.0) continue;
        es_perturbation(run_seed, g->generation, p, g->eps, g->n_params);
        for (size_t i = 0; i < g->n_params; i++) acc[i] += (int64_t)(wgt * g->eps[i]);
        if (pgpe)
            for (size_t i = 0; i < g->n_params; i++) acc[g->n_params + i] += (int64_t)(base * (g->eps[i] * g->eps[i] - 1.0));
    }
}

void es_apply(es_state *s, const es_spec *e, es_gen *g, const int64_t *grad_acc)
{
    es_update(s, e, grad_acc, g->skip, g->grad);
    s->generation++;
}

int es_generation(es_gen *g, es_state *s, const es_spec *e, const es_ops *ops, es_gen_stats *row)
{
    es_generation_begin(g, s);
    const int abandon = ops->evaluate(ops->ctx, g);
    int verdict = ES_ABANDON;
    if (ops->lead && !abandon) {
        es_generation_end(g, s, e, row);
        verdict = row->diverged == g->n ? ES_DIVERGED : g->skip ? ES_SKIP : ES_UPDATE;
    }
    if (ops->agree) ops->agree(ops->ctx, &verdict, g, g->obs ? &s->obs : NULL);
    if (verdict == ES_ABANDON) return ES_GEN_ABANDONED;
    if (verdict == ES_DIVERGED) return ES_GEN_DIVERGED;
    g->skip = verdict == ES_SKIP;
    es_grad_share(g, (uint64_t)e->seed, ops->first, ops->stride, g->acc);
    if (!g->skip && ops->sum) ops->sum(ops->ctx, g->acc, g->n_acc);
    es_apply(s, e, g, g->acc);
    return ops->lead && row && es_state_push_stats(s, row) ? ES_GEN_NOMEM : ES_GEN_DONE;
}
