/* Rollouts of a plastic network in MuJoCo bodies: one episode on a body, and a candidate's episodes
 * on the bodies of its generation. Which task a run has is src/task's choice; who hands out which
 * candidate to whom is src/run's.
 *
 * Constant part: wk_setup (models, network layout; one per process).
 * Mutable part: wk_buffers (MuJoCo data, network state, vectors), allocated
 * once and reused for every candidate, so nothing is allocated per step. */
#ifndef HEBES_WORKER_H
#define HEBES_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "es_state.h"
#include "env.h"
#include "heb.h"

/* What one environment step did, for callbacks. */
typedef struct {
    long t;               /* steps taken so far, this one included */
    double reward;
    const double *action;
    const heb_state *net; /* activities of this step; weights not yet updated */
    env_end end;
    const env_state *env; /* the simulation after the step */
} wk_step;

/* Called after every environment step: how rank 0 answers other ranks while it
 * rolls out, and how `hebes eval --trace` records an episode. Nonzero interrupts the
 * episode (rank 0 abandoning a generation on a stop signal). */
typedef int (*wk_poll_fn)(void *ctx, const wk_step *step);

typedef struct {
    const cfg *c;
    int n_models;
    env_model models[CFG_MAX_MODELS];
    heb_layout lay;
    size_t n_params;
    int obs_dim, act_dim;
} wk_setup;

typedef struct {
    env_state envs[CFG_MAX_MODELS];
    heb_state net;
    double *obs, *act;
    heb_real *coef;     /* lay.n_coef: the episode's network coefficients */
    /* net.obs_norm: the network sees (obs - shift) * scale, clipped (wk_set_obs_norm), and
     * every episode adds its raw observations to acc (wk_candidate clears it). */
    double *net_in, *obs_shift, *obs_scale; /* obs_dim */
    es_obs_stats acc;
} wk_buffers;

typedef struct {
    double fitness;   /* mean over models and episodes */
    double mean_sq;   /* mean(candidate^2), for the L2 fitness penalty */
    long steps;       /* environment steps taken */
    int diverged;     /* some episode diverged */
    env_end end;      /* how the (last) episode ended */
    double distance;  /* torso x travelled in the (last) episode */
    double terms[ENV_TERM_COUNT]; /* its reward terms (env_term) */
    double x_damage;  /* its torso x travelled when env.damage_leg struck (NaN: it did not) */
    double sq_norm[ES_MAX_LAYERS]; /* layer weight norms^2 at the end of the last episode */
    int interrupted;  /* the poll function stopped it: the result means nothing */
} wk_result;

/* Loads the given models (NULL: the config's training models) and derives the layout. xml, when
 * not NULL, holds each model's MJCF text (NULL entries: read the file). Returns 0, or -1 with a
 * message. */
int wk_setup_init(wk_setup *ws, const cfg *c, const char (*models)[CFG_PATH_MAX], const char *const *xml,
                  int n_models, char *err, size_t errlen);
/* Accepts NULL. */
void wk_setup_free(wk_setup *ws);
int wk_buffers_create(wk_buffers *wb, const wk_setup *ws);
void wk_buffers_free(wk_buffers *wb);

/* The normaliser of net.obs_norm from running statistics (none summed yet: the identity). */
void wk_set_obs_norm(wk_buffers *wb, const wk_setup *ws, const es_obs_stats *stats);

/* One episode of the network with coefficients coef (heb_coef_from_params of the
 * parameters, converted once per candidate, not per episode) on model m. Episode
 * randomness (initial weights, reset noise) comes from episode_seed and rep. */
wk_result wk_episode(const wk_setup *ws, wk_buffers *wb, int m, const heb_real *coef, uint64_t episode_seed,
                     uint32_t rep, wk_poll_fn poll, void *ctx);

/* Episode seed of held-out episode e: those of `hebes eval --seed seed` and of run.eval_every,
 * never a training episode's (another Philox purpose). */
uint64_t wk_eval_episode_seed(uint64_t seed, int64_t e);

/* The held-out statistics of n episodes' fitnesses, written once for training's evaluation
 * (src/master/master.c) and hebes eval: the mean, and the sample standard deviation (n - 1: held-out
 * episodes are a sample; 0 for one episode). The fitnesses are read stride bytes apart, so that
 * either a plain array or a field of an array of structs serves. */
void wk_mean_std(const double *first, size_t stride, long n, double *mean, double *std);
/* The bodies (env.models indices, ascending) generation gen trains on: all n_models, or
 * env.bodies_per_generation of them drawn from (run seed, gen). Returns how many. */
int wk_bodies(const cfg *c, int n_models, int64_t gen, int *idx);
/* Candidate k of generation gen (its parameters cand, built by src/task) on the generation's bodies:
 * es.episodes_per_candidate episodes on each, combined by env.body_fitness. Both members of a pair
 * share initial weights and reset noise (common random numbers: es_episode_seed). mean_sq is left
 * to the caller. */
wk_result wk_candidate(const wk_setup *ws, wk_buffers *wb, const double *cand, int64_t gen, int64_t k,
                       wk_poll_fn poll, void *ctx);

#endif
