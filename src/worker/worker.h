/* Worker side of hebes: builds a candidate from (parameters, generation, index),
 * rolls it out, and adds its share of the gradient estimate.
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
 * rolls out, and how `hebes eval --trace` records an episode. */
typedef void (*wk_poll_fn)(void *ctx, const wk_step *step);

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
    double *eps, *cand; /* n_params */
    heb_real *coef;     /* n_params: the episode's network coefficients */
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
    double sq_norm[HEB_MAX_LAYERS]; /* layer weight norms^2 at the end of the last episode */
} wk_result;

/* Loads the given models (NULL: the config's training models) and derives the layout.
 * Returns 0, or -1 with a message. */
int wk_setup_init(wk_setup *ws, const cfg *c, const char (*models)[CFG_PATH_MAX], int n_models, char *err,
                  size_t errlen);
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

/* The parameters of generation 0 from the run seed: N(0, init_std^2), or with uniform
 * U(-init_std, init_std). */
void wk_initial_params(uint64_t run_seed, double init_std, int uniform, double *h, size_t n);

/* Perturbation of pair p in generation g: eps ~ N(0, I), regenerated from the run seed. */
void wk_perturbation(uint64_t run_seed, int64_t gen, int64_t pair, double *eps, size_t n);

/* Candidate k of generation g: h + sigma eps_p (k = 2p) or h - sigma eps_p (k = 2p + 1),
 * evaluated on every model. Both members of a pair share initial weights and reset noise
 * (common random numbers). */
wk_result wk_candidate(const wk_setup *ws, wk_buffers *wb, const double *h, double sigma, int64_t gen, int64_t k,
                       wk_poll_fn poll, void *ctx);

/* Fixed-point scale of the gradient sums: integer addition is associative, so the
 * reduced sum has the same bits whichever rank added which pair. |pair weight| <=
 * 2 sqrt(3) (standardised distinct ranks) and |eps| < 14.2 (the ziggurat's tail
 * with 53-bit uniforms), so one term is below 2^38 and no sum of up to the largest
 * population's 5e6 pairs can overflow int64; the resolution 2^-32 is far below
 * the noise of the estimate. */
#define WK_GRAD_SCALE 4294967296.0 /* 2^32 */

/* acc += round_toward_zero(weight_p * eps_p * 2^32) for pairs p = first, first + stride, ... < n_pairs. */
void wk_grad_share(uint64_t run_seed, int64_t gen, const double *pair_weight, int64_t n_pairs, int64_t first,
                   int64_t stride, double *eps_buf, int64_t *acc, size_t n);

#endif
