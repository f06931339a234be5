/* Everything that defines where an ES run stands: what a checkpoint holds and
 * what every rank keeps an identical copy of. The logic is in src/es/es.h. */
#ifndef HEBES_ES_STATE_H
#define HEBES_ES_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "es_spec.h"

/* Weight layers a row of statistics can report (the networks' own limit, ES_MAX_LAYERS, is
 * checked against it where both are seen: src/worker/worker.c). */
#define ES_MAX_LAYERS 5

/* Models an evaluation row can report on (>= CFG_MAX_EVAL_MODELS, checked in master.c). */
#define ES_EVAL_MAX_MODELS 8

/* Observations net.obs_norm can normalise (105 with env.contact_obs). */
#define ES_MAX_OBS 128

/* Running observation statistics (net.obs_norm): sums over every step of every training
 * episode of the generations completed, added in candidate order on rank 0. */
typedef struct {
    int32_t n;                 /* observations (0: normalisation off) */
    double count;              /* steps summed */
    double sum[ES_MAX_OBS], sumsq[ES_MAX_OBS];
} es_obs_stats;

/* One row of the fitness history (also a line of progress.csv). Fitness is the
 * raw episode fitness, before the L2 penalty; diverged candidates are left out. */
typedef struct {
    int64_t generation;
    double mean, max, min, std, best_ever;
    double lr, sigma; /* in force during the generation */
    int64_t steps;    /* environment steps of the generation */
    double seconds;   /* wall time of the generation */
    int32_t diverged; /* candidates that diverged or gave a non-finite fitness */
    int32_t skipped;  /* 1 if the update was skipped (all fitnesses equal) */
    int32_t n_layers;
    double layer_norm[ES_MAX_LAYERS]; /* best candidate's weight norms at episode end */
    /* Held-out evaluation of the unperturbed parameters this generation started from
     * (run.eval_every); evaluated = 0 leaves the rest unset. */
    int32_t evaluated;
    int32_t eval_models;              /* how many entries eval_mean etc. hold */
    double eval_steps;                /* mean episode length over every model */
    int32_t eval_time_limit, eval_unhealthy_low, eval_unhealthy_high, eval_early_stop, eval_diverged;
    double eval_mean[ES_EVAL_MAX_MODELS], eval_std[ES_EVAL_MAX_MODELS]; /* fitness per model */
    double eval_distance[ES_EVAL_MAX_MODELS]; /* mean torso x travelled per model */
} es_gen_stats;

typedef struct {
    size_t n;                   /* parameters */
    int64_t generation;         /* generations completed */
    double lr, sigma;           /* for the next generation */
    double *h;                  /* current parameters */
    double *best_h;             /* best candidate ever seen */
    double best_fitness;        /* its fitness (-inf before any) */
    int64_t best_generation;
    double *adam_m, *adam_v;
    int64_t adam_t;
    double *velocity;           /* ClipUp's velocity; NULL with other optimizers */
    double *sigmas;             /* PGPE's sigma per parameter (sigma is then their mean, for logs); else NULL */
    unsigned char *frozen;      /* n flags, or NULL: parameters carried but neither perturbed nor updated
                                 * (shared rules' count and assignment, rule slots not in use). Never saved:
                                 * whoever owns the parameters' meaning derives it from h (heb_share_frozen) */
    int64_t merged_at;          /* Evolve & Merge: the generation count at which the rules were last merged
                                 * (-1: never). run_merge merges before generation G+1 runs when merge_every
                                 * divides G, once: a state stopped and saved after its merge is not merged
                                 * again when it resumes (run/follow.c) */
    int64_t total_steps;
    es_obs_stats obs;           /* net.obs_norm: what the next generation normalises with */
    double elapsed;             /* seconds spent training, over all sessions */
    char origin[640];           /* train --init-from: where generation 0's coefficients came from ("": es_init) */
    size_t n_hist, cap_hist;
    es_gen_stats *hist;
} es_state;

/* The state of n parameters, with what e's algorithm and optimizer keep (e NULL: neither
 * sigmas nor velocity). Returns 0, or -1 when out of memory. */
int es_state_create(es_state *s, size_t n, const es_spec *e);
void es_state_free(es_state *s);
/* Allocates s->frozen (all 0: every parameter evolves). Returns 0, or -1 when out of memory. */
int es_state_use_frozen(es_state *s);
int es_state_push_stats(es_state *s, const es_gen_stats *row);

/* What every replica of a run holds the same, listed here beside the struct so that starting the
 * other ranks from rank 0's state cannot miss a field: the vectors of n doubles (into v, their
 * count returned) and the scalars. The best candidate and the history stay with rank 0. */
#define ES_STATE_MAX_VECTORS 8
int es_state_replicated_vectors(es_state *s, double *v[ES_STATE_MAX_VECTORS]);
typedef struct {
    double lr, sigma;
    int64_t generation, adam_t, merged_at;
    es_obs_stats obs;
} es_state_scalars;
void es_state_get_scalars(const es_state *s, es_state_scalars *out);
void es_state_set_scalars(es_state *s, const es_state_scalars *in);

#endif
