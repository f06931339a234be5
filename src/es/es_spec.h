/* The ES settings of a run: the config's es.* keys and the run seed, all that src/es reads of a
 * config (cfg.h embeds one; the keys are declared in cfg_keys.c). Kept apart from the full config
 * so that the ES core needs nothing of MuJoCo, HDF5 or MPI. */
#ifndef HEBES_ES_SPEC_H
#define HEBES_ES_SPEC_H

#include <stdint.h>

typedef enum { ES_OPT_SGD, ES_OPT_ADAM, ES_OPT_CLIPUP } es_optimizer;
typedef enum { ES_INIT_NORMAL, ES_INIT_UNIFORM } es_init_dist;
/* openai: one sigma for every parameter (OpenAI-ES, the paper's); pgpe: a sigma per parameter,
 * adapted from the same mirrored samples (Sehnke et al. 2010). */
typedef enum { ES_ALGO_OPENAI, ES_ALGO_PGPE } es_algorithm;

typedef struct {
    int64_t seed;     /* run.seed: every random number of the run derives from it */
    int population;   /* even: mirrored pairs */
    int episodes_per_candidate;
    es_algorithm algorithm;
    double sigma, sigma_decay, sigma_min; /* pgpe: sigma is every parameter's initial sigma; no decay */
    double lr, lr_decay, lr_min;
    es_optimizer optimizer;
    double adam_beta1, adam_beta2, adam_eps, adam_l2;
    double clipup_max_speed; /* 0: twice es.lr */
    double clipup_momentum;
    double pgpe_sigma_lr;         /* step size of the sigma update */
    double pgpe_sigma_max_change; /* |change| of a sigma in one update <= this fraction of it */
    double l2_penalty;
    double init_std;
    es_init_dist init_dist;
} es_spec;

#endif
