/* A rank's part in training: work items, the update, and the loop of ranks > 0. */
#include <string.h>

#include "worker.h"

int64_t wk_eval_items(const wk_job *j, int64_t gen)
{
    const cfg *c = j->c;
    if (!j->ws_eval || c->eval_every <= 0 || gen % c->eval_every) return 0;
    return (int64_t)c->n_eval_models * c->eval_episodes;
}

void wk_items_begin(const wk_job *j, int64_t n_eval)
{
    if (j->c->obs_norm) {
        wk_set_obs_norm(j->wb, j->ws, &j->s->obs);
        if (j->wb_eval) wk_set_obs_norm(j->wb_eval, j->ws_eval, &j->s->obs);
    }
    if (n_eval) heb_coef_from_params(&j->ws_eval->lay, j->s->h, j->wb_eval->coef);
}

proto_result wk_item(const wk_job *j, int64_t n_eval, int64_t i, wk_poll_fn poll, void *ctx)
{
    const int64_t gen = j->s->generation;
    wk_result w;
    if (i < n_eval) {
        const int64_t per = j->c->eval_episodes;
        w = wk_episode(j->ws_eval, j->wb_eval, (int)(i / per), j->wb_eval->coef,
                       wk_eval_episode_seed((uint64_t)j->c->eval_seed, i % per), 0, poll, ctx);
    } else {
        w = wk_candidate(j->ws, j->wb, j->s->h, j->s->sigma, gen, i - n_eval, poll, ctx);
    }
    proto_result m = {.k = w.interrupted ? -1 : i, .end = (int32_t)w.end, .distance = w.distance};
    m.r = (es_result){.fitness = w.fitness, .mean_sq = w.mean_sq, .steps = w.steps, .diverged = w.diverged};
    memcpy(m.r.sq_norm, w.sq_norm, sizeof w.sq_norm);
    if (i >= n_eval) m.obs = j->wb->acc; /* held-out episodes feed no statistics */
    return m;
}

/* Collective: this rank's gradient share, the integer sum over ranks, the update. */
static void update(wk_job *j)
{
    es_grad_share(j->g, (uint64_t)j->c->seed, j->rank, j->size, j->acc);
    if (!j->g->skip) proto_sum(j->acc, j->s->n);
    es_apply(j->s, j->c, j->g, j->acc);
}

int wk_end_generation(wk_job *j, es_gen_stats *row, int abandon)
{
    int flag = PROTO_ABANDON;
    if (j->rank == 0 && !abandon) {
        es_generation_end(j->g, j->s, j->c, row);
        flag = j->g->skip ? PROTO_SKIP : PROTO_UPDATE;
    }
    proto_generation_end(&flag, j->g, j->c->obs_norm ? &j->s->obs : NULL);
    if (flag == PROTO_ABANDON) return 1;
    update(j);
    return 0;
}

int wk_follow(wk_job *j)
{
    for (;;) {
        int word = 0, signalled = 0;
        proto_control(&word, &signalled);
        if (word == PROTO_STOP) return signalled;
        es_generation_begin(j->g, j->s);
        const int64_t n_eval = wk_eval_items(j, j->s->generation);
        wk_items_begin(j, n_eval);
        proto_result m = {.k = -1};
        for (int64_t k; (k = proto_ask(&m)) >= 0;) m = wk_item(j, n_eval, k, NULL, NULL);
        wk_end_generation(j, NULL, 0);
    }
}
