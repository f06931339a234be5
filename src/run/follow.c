/* A rank's part in training: the work items, the es_ops of every rank, and the loop of ranks > 0. */
#include <string.h>

#include "run.h"

int64_t run_eval_items(const run_job *j, int64_t gen)
{
    const cfg *c = j->c;
    if (!j->ws_eval || c->eval_every <= 0 || gen % c->eval_every) return 0;
    return (int64_t)c->n_eval_models * c->eval_episodes;
}

void run_items_begin(const run_job *j, int64_t n_eval)
{
    if (j->c->obs_norm) {
        wk_set_obs_norm(j->wb, j->ws, &j->s->obs);
        if (j->wb_eval) wk_set_obs_norm(j->wb_eval, j->ws_eval, &j->s->obs);
    }
    if (n_eval) heb_coef_from_params(&j->ws_eval->lay, j->s->h, j->wb_eval->coef);
}

proto_result run_item(const run_job *j, int64_t n_eval, int64_t i, wk_poll_fn poll, void *ctx)
{
    const int64_t gen = j->s->generation;
    wk_result w;
    if (i < n_eval) {
        const int64_t per = j->c->eval_episodes;
        w = wk_episode(j->ws_eval, j->wb_eval, (int)(i / per), j->wb_eval->coef,
                       wk_eval_episode_seed((uint64_t)j->c->eval_seed, i % per), 0, poll, ctx);
    } else {
        w = wk_candidate(j->ws, j->wb, j->s, gen, i - n_eval, poll, ctx);
    }
    proto_result m = {.k = w.interrupted ? -1 : i, .end = (int32_t)w.end, .distance = w.distance};
    m.r = (es_result){.fitness = w.fitness, .mean_sq = w.mean_sq, .steps = w.steps, .diverged = w.diverged};
    memcpy(m.r.sq_norm, w.sq_norm, sizeof w.sq_norm);
    if (i >= n_eval) m.obs = j->wb->acc; /* held-out episodes feed no statistics */
    return m;
}

/* The other ranks' items: ask rank 0 for one, evaluate it, return its result with the next ask. */
static int follow_items(void *ctx, es_gen *g)
{
    const run_job *j = ctx;
    const int64_t n_eval = run_eval_items(j, g->generation);
    run_items_begin(j, n_eval);
    proto_result m = {.k = -1};
    for (int64_t k; (k = proto_ask(&m)) >= 0;) m = run_item(j, n_eval, k, NULL, NULL);
    return 0;
}

static void agree(void *ctx, int *verdict, es_gen *g, es_obs_stats *obs)
{
    (void)ctx;
    proto_generation_end(verdict, g, obs);
}

static void sum(void *ctx, int64_t *acc, size_t n)
{
    (void)ctx;
    proto_sum(acc, n);
}

es_ops run_wire_ops(int rank, int size, int (*evaluate)(void *ctx, es_gen *g), void *ctx)
{
    return (es_ops){.ctx = ctx, .evaluate = evaluate, .agree = agree, .sum = sum, .lead = rank == 0,
                    .first = rank, .stride = size};
}

es_ops run_ops(run_job *j, run_lead *lead)
{
    return run_wire_ops(j->rank, j->size, lead ? run_lead_items : follow_items, lead ? (void *)lead : (void *)j);
}

int run_follow(run_job *j)
{
    const es_ops ops = run_ops(j, NULL);
    for (;;) {
        int word = 0, signalled = 0;
        proto_control(&word, &signalled);
        if (word == PROTO_STOP) return signalled;
        es_generation(j->g, j->s, &j->c->es, &ops, NULL);
    }
}
