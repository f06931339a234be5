/* OpenAI-ES as in the paper: mirrored sampling, L2-penalised fitness, centered
 * ranks, plain SGD with lr and sigma decays, or Adam. The gradient itself is
 * summed by all ranks (wk_grad_share) and reduced as fixed-point integers. */
#ifndef HEBES_ES_H
#define HEBES_ES_H

#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "es_state.h"

/* Generation 0: parameters N(0, init_std^2), lr and sigma from the config. */
void es_init(es_state *s, const cfg *c);

typedef struct {
    int n_invalid;   /* diverged or non-finite: ranked worst */
    int skip;        /* all fitnesses equal (or none valid): no update */
    int best;        /* index of the best valid candidate, -1 if none */
    double mean, max, min, std; /* raw fitness over valid candidates */
} es_shape_info;

/* Centered-rank weights of the n candidates, combined per mirrored pair:
 * pair_weight[p] = u[2p] - u[2p+1]. Ties are broken by candidate index.
 * scratch holds es_shape_scratch_size(n) bytes. */
void es_shape(const cfg *c, int n, const double *fitness, const double *mean_sq, const int *diverged,
              double *pair_weight, es_shape_info *info, void *scratch);
size_t es_shape_scratch_size(int n);

/* Applies the reduced fixed-point gradient sum, then the lr and sigma decays. */
void es_update(es_state *s, const cfg *c, const int64_t *grad_acc, int skip);

#endif
