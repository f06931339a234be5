/* A rank's part in training: the work items, the es_ops of every rank, and the loop of ranks > 0. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "run.h"

int run_budget_spent(const cfg *c, const es_state *s)
{
    return c->max_env_steps > 0 && s->total_steps >= c->max_env_steps;
}

/* Monotonic seconds. */
double run_now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int64_t run_eval_items(const run_job *j, int64_t gen)
{
    const cfg *c = j->c;
    if (!j->ws_eval || c->eval_every <= 0 || gen % c->eval_every) return 0;
    return (int64_t)c->n_eval_models * c->eval_episodes;
}

void run_items_begin(const run_job *j, int64_t n_eval)
{
    if (j->c->obs_norm) {
        wk_set_obs_norm(&j->tb->body, &j->ts->body, &j->s->obs);
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
        w = task_candidate(j->ts, j->tb, j->s, gen, i - n_eval, poll, ctx);
    }
    proto_result m = {.k = w.interrupted ? -1 : i, .end = (int32_t)w.end, .distance = w.distance};
    m.r = (es_result){.fitness = w.fitness, .mean_sq = w.mean_sq, .steps = w.steps, .diverged = w.diverged};
    memcpy(m.r.sq_norm, w.sq_norm, sizeof w.sq_norm);
    if (i >= n_eval) m.obs = j->tb->body.acc; /* held-out episodes feed no statistics */
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


long run_merge(const run_job *j, size_t *before, int *iters, double *inertia)
{
    const heb_layout *lay = task_network(j->ts);
    es_state *s = j->s;
    if (!lay || !lay->n_rules0) return -2;
    const heb_spec *n = &lay->spec;
    /* Due once per count G that merge_every divides, and only when generation G+1 is about to run
     * (the callers ask right before es_generation): a merge after the run's last generation would
     * leave rules the search never tried in the final checkpoint. merged_at makes it once: a run
     * stopped after the merge (a signal abandoning generation G+1) saves the merged state with
     * merged_at = G, and its resume goes straight on. */
    if (n->merge_every <= 0 || s->generation == 0 || s->generation % n->merge_every ||
        s->merged_at == s->generation)
        return -2;
    s->merged_at = s->generation;
    *before = heb_share_rules(lay, s->h);
    /* k = max(merge_min, ceil(keep K)): Evolve & Merge shrinks the rules geometrically to a floor */
    const double want = ceil(n->merge_keep * (double)*before);
    const size_t k = want < (double)n->merge_min ? (size_t)n->merge_min : (size_t)want;
    if (k >= *before) return -2;
    /* the parameters first (they decide the clusters), then every optimizer vector the same way */
    double *v[ES_STATE_MAX_VECTORS];
    const int nv = es_state_replicated_vectors(s, v);
    const long after = heb_share_merge(lay, k, v, nv, (uint64_t)j->c->es.seed, s->generation, iters, inertia);
    if (after < 0) proto_fatal("rank %d: out of memory for merging %zu rules", j->rank, *before);
    heb_share_frozen(lay, s->h, s->frozen);
    return after;
}

int run_follow(run_job *j)
{
    const es_ops ops = run_wire_ops(j->rank, j->size, follow_items, j);
    for (;;) {
        int word = 0, signalled = 0;
        proto_control(&word, &signalled);
        if (word == PROTO_STOP) return signalled;
        size_t before;
        int iters;
        double inertia;
        run_merge(j, &before, &iters, &inertia); /* rank 0 merges at the same point (master.c) */
        es_generation(j->g, j->s, &j->c->es, &ops, NULL);
    }
}
