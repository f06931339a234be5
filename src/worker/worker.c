/* Rollouts: one episode of a network in the Ant, and a candidate of a generation on every model. */
#include "worker.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "es.h"

_Static_assert(HEB_MAX_LAYERS <= ES_MAX_LAYERS, "a row of statistics must hold every layer's norm");

/* How often the full weight check runs inside an episode; non-finite actions are caught every step. */
#define WK_CHECK_EVERY 50

int wk_setup_init(wk_setup *ws, const cfg *c, const char (*models)[CFG_PATH_MAX], const char *const *xml,
                  int n_models, char *err, size_t errlen)
{
    memset(ws, 0, sizeof *ws);
    ws->c = c;
    if (!models) {
        models = c->models;
        n_models = c->n_models;
    }
    for (int i = 0; i < n_models; i++) {
        if (env_model_load(&ws->models[i], &c->env, models[i], xml ? xml[i] : NULL, err, errlen)) {
            wk_setup_free(ws);
            return -1;
        }
        ws->n_models = i + 1;
        if (i > 0 && (ws->models[i].obs_dim != ws->models[0].obs_dim ||
                      ws->models[i].act_dim != ws->models[0].act_dim)) {
            snprintf(err, errlen, "%s: observation/action sizes differ from %s", models[i], models[0]);
            wk_setup_free(ws);
            return -1;
        }
    }
    ws->obs_dim = ws->models[0].obs_dim;
    ws->act_dim = ws->models[0].act_dim;
    if (c->obs_norm && ws->obs_dim > ES_MAX_OBS) {
        snprintf(err, errlen, "%s: net.obs_norm: %d observations, at most %d can be normalised", c->source,
                 ws->obs_dim, ES_MAX_OBS);
        wk_setup_free(ws);
        return -1;
    }
    heb_spec spec = c->net;
    spec.n_layers = c->n_hidden + 1;
    spec.sizes[0] = ws->obs_dim;
    for (int l = 0; l < c->n_hidden; l++) spec.sizes[l + 1] = c->hidden[l];
    spec.sizes[spec.n_layers] = ws->act_dim;
    if (heb_layout_init(&ws->lay, &spec, err, errlen)) {
        wk_setup_free(ws);
        return -1;
    }
    ws->n_params = ws->lay.n_params;
    if (ws->n_params == 0) {
        snprintf(err, errlen, "%s: net.rule: '%s' evolves nothing; set net.coevolve_init to evolve the initial weights",
                 c->source, heb_rule_names[spec.rule]);
        wk_setup_free(ws);
        return -1;
    }
    return 0;
}

void wk_setup_free(wk_setup *ws)
{
    if (!ws) return;
    for (int i = 0; i < ws->n_models; i++) env_model_free(&ws->models[i]);
    memset(ws, 0, sizeof *ws);
}

int wk_buffers_create(wk_buffers *wb, const wk_setup *ws)
{
    memset(wb, 0, sizeof *wb);
    int ok = 1;
    for (int i = 0; i < ws->n_models; i++) ok = ok && env_state_create(&wb->envs[i], &ws->models[i]) == 0;
    if (ws->n_models) ok = ok && heb_state_create(&wb->net, &ws->lay) == 0;
    wb->obs = calloc((size_t)ws->obs_dim + 1, sizeof *wb->obs);
    wb->act = calloc((size_t)ws->act_dim + 1, sizeof *wb->act);
    wb->coef = calloc(ws->lay.n_coef + 1, sizeof *wb->coef);
    wb->net_in = calloc((size_t)ws->obs_dim + 1, sizeof *wb->net_in);
    wb->obs_shift = calloc((size_t)ws->obs_dim + 1, sizeof *wb->obs_shift);
    wb->obs_scale = calloc((size_t)ws->obs_dim + 1, sizeof *wb->obs_scale);
    if (!ok || !wb->obs || !wb->act || !wb->coef || !wb->net_in || !wb->obs_shift ||
        !wb->obs_scale) {
        wk_buffers_free(wb);
        return -1;
    }
    wk_set_obs_norm(wb, ws, NULL);
    return 0;
}

void wk_buffers_free(wk_buffers *wb)
{
    if (!wb) return;
    for (int i = 0; i < CFG_MAX_MODELS; i++)
        if (wb->envs[i].d) env_state_free(&wb->envs[i]);
    if (wb->net.w) heb_state_free(&wb->net);
    free(wb->obs);
    free(wb->act);
    free(wb->coef);
    free(wb->net_in);
    free(wb->obs_shift);
    free(wb->obs_scale);
    memset(wb, 0, sizeof *wb);
}

/* OpenAI-ES's floor on the standard deviation (its variance floor 1e-2). */
#define WK_OBS_STD_MIN 0.1

void wk_set_obs_norm(wk_buffers *wb, const wk_setup *ws, const es_obs_stats *stats)
{
    for (int i = 0; i < ws->obs_dim; i++) {
        wb->obs_shift[i] = 0.0;
        wb->obs_scale[i] = 1.0;
        if (!stats || stats->count <= 0 || i >= stats->n) continue;
        const double mean = stats->sum[i] / stats->count;
        const double var = stats->sumsq[i] / stats->count - mean * mean;
        wb->obs_shift[i] = mean;
        wb->obs_scale[i] = 1.0 / fmax(sqrt(fmax(var, 0.0)), WK_OBS_STD_MIN);
    }
}

/* The network's input: the raw observation, or with net.obs_norm its normalised copy (the raw
 * one counted into the running statistics). */
static const double *network_input(const wk_setup *ws, wk_buffers *wb)
{
    const cfg *c = ws->c;
    if (!c->obs_norm) return wb->obs;
    es_obs_stats *a = &wb->acc;
    a->count += 1.0;
    for (int i = 0; i < ws->obs_dim; i++) {
        const double x = wb->obs[i];
        a->sum[i] += x;
        a->sumsq[i] += x * x;
        const double z = (x - wb->obs_shift[i]) * wb->obs_scale[i];
        wb->net_in[i] = z < -c->obs_clip ? -c->obs_clip : z > c->obs_clip ? c->obs_clip : z;
    }
    return wb->net_in;
}

/* The order of a step is the paper's and must not change: the network acts on the observation
 * (forward pass), the Ant steps, the episode may end, and only then do the synapses learn from
 * this step's activities. Learning before the check would update on a step that ends the episode;
 * learning before the action would let the weights see the observation they answer. The poll runs
 * between the step and the update, when the activities and the weights still belong together
 * (what a trace records, and when rank 0 answers other ranks). */
wk_result wk_episode(const wk_setup *ws, wk_buffers *wb, int m, const heb_real *coef, uint64_t episode_seed,
                     uint32_t rep, wk_poll_fn poll, void *ctx)
{
    wk_result r = {0};
    env_state *env = &wb->envs[m];
    rng_stream wrng, rrng;
    rng_episode_streams(episode_seed, (uint32_t)m, rep, &wrng, &rrng);
    env_reset(env, &rrng, wb->obs);
    heb_state_reset(&wb->net, &ws->lay, coef, &wrng);
    env_end end = ENV_RUNNING;
    while (end == ENV_RUNNING) {
        double reward;
        if (heb_forward(&wb->net, &ws->lay, network_input(ws, wb), wb->act)) {
            end = ENV_DIVERGED;
            break;
        }
        end = env_step(env, wb->act, wb->obs, &reward);
        r.steps++;
        if (end != ENV_DIVERGED) r.fitness += reward;
        if (poll) {
            wk_step info = {r.steps, reward, wb->act, &wb->net, end, env};
            if (poll(ctx, &info)) {
                r.interrupted = 1;
                break;
            }
        }
        if (end != ENV_RUNNING) break; /* the paper stops before updating */
        /* net.plastic_steps K: the update after steps 1..K only; step K + 1 on acts with a fixed net */
        const long k_plastic = ws->lay.spec.plastic_steps;
        if (!k_plastic || r.steps <= k_plastic) heb_update(&wb->net, &ws->lay, coef);
        if (r.steps % WK_CHECK_EVERY == 0 && heb_check(&wb->net, &ws->lay, r.sq_norm)) end = ENV_DIVERGED;
    }
    if (heb_check(&wb->net, &ws->lay, r.sq_norm)) end = ENV_DIVERGED;
    r.end = end;
    r.diverged = end == ENV_DIVERGED;
    r.distance = env_distance(env);
    memcpy(r.terms, env->terms, sizeof r.terms);
    r.x_damage = env->x_damage;
    return r;
}

uint64_t wk_eval_episode_seed(uint64_t seed, int64_t e)
{
    return rng_derive(seed, RNG_RESET, 0xE7A1u, (uint32_t)e);
}

void wk_mean_std(const double *first, size_t stride, long n, double *mean, double *std)
{
    const char *p = (const char *)first;
#define WK_AT(i) (*(const double *)(p + (size_t)(i) * stride))
    /* mean = (1/n) sum_i x_i; std = sqrt(sum_i (x_i - mean)^2 / (n - 1)), in this order of sums */
    double sum = 0.0, sq = 0.0;
    for (long i = 0; i < n; i++) sum += WK_AT(i);
    *mean = sum / n;
    for (long i = 0; i < n; i++) sq += (WK_AT(i) - *mean) * (WK_AT(i) - *mean);
    *std = n > 1 ? sqrt(sq / (n - 1)) : 0.0;
#undef WK_AT
}

int wk_bodies(const cfg *c, int n_models, int64_t gen, int *idx)
{
    for (int i = 0; i < n_models; i++) idx[i] = i;
    const int k = c->bodies_per_gen;
    if (k <= 0 || k >= n_models) return n_models;
    /* The first k steps of a Fisher-Yates shuffle: k distinct bodies, each k-subset equally likely
     * (up to the modulo's bias of at most n / 2^32). Sorted after, so that the episodes of a
     * candidate run in env.models order whatever was drawn. */
    rng_stream r;
    rng_stream_init(&r, (uint64_t)c->es.seed, RNG_BODIES, (uint32_t)gen, 0);
    for (int i = 0; i < k; i++) {
        const int j = i + (int)(rng_u32(&r) % (uint32_t)(n_models - i));
        const int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
    for (int i = 1; i < k; i++)
        for (int j = i; j > 0 && idx[j - 1] > idx[j]; j--) {
            const int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    return k;
}

wk_result wk_candidate(const wk_setup *ws, wk_buffers *wb, const double *cand, int64_t gen, int64_t k,
                       wk_poll_fn poll, void *ctx)
{
    const cfg *c = ws->c;
    wk_result total = {0};
    heb_coef_from_params(&ws->lay, cand, wb->coef);
    memset(&wb->acc, 0, sizeof wb->acc);
    wb->acc.n = c->obs_norm ? ws->obs_dim : 0;
    const uint64_t episode_seed = es_episode_seed((uint64_t)c->es.seed, gen, k);
    int bodies[CFG_MAX_MODELS];
    const int n_bodies = wk_bodies(c, ws->n_models, gen, bodies);
    const int reps = c->es.episodes_per_candidate;
    double sum = 0.0, worst = INFINITY;
    for (int b = 0; b < n_bodies; b++) {
        /* The episode streams are named by the body's index in env.models, not its place among the
         * generation's draws: a body's episodes do not depend on which others were drawn with it. */
        const int m = bodies[b];
        double body = 0.0;
        for (int rep = 0; rep < reps; rep++) {
            wk_result r = wk_episode(ws, wb, m, wb->coef, episode_seed, (uint32_t)rep, poll, ctx);
            if (r.interrupted) return r;
            body += r.fitness;
            sum += r.fitness; /* episode by episode, in the order (and so the bits) of before bodies */
            total.steps += r.steps;
            total.diverged |= r.diverged;
            total.end = r.end;
            total.distance = r.distance;
            memcpy(total.sq_norm, r.sq_norm, sizeof r.sq_norm);
        }
        worst = fmin(worst, body / reps);
    }
    /* mean: (1/(B R)) sum over bodies b and repetitions r of F_br;  min: min over b of (1/R) sum_r F_br */
    total.fitness = c->body_fitness == CFG_BODY_MIN ? worst : sum / (n_bodies * reps);
    return total;
}
