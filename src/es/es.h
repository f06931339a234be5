/* The ES core: OpenAI-ES as in the paper (mirrored sampling, L2-penalised fitness,
 * centred ranks, SGD with lr and sigma decays, or Adam), and PGPE (a sigma per parameter, adapted
 * from the same samples) with ClipUp; docs/es.md. No MPI, no I/O, nothing of MuJoCo: how candidates
 * are evaluated and how replicas agree come in as es_ops, so train (src/master and
 * src/worker over MPI), `bench --es` and the tests run the same es_generation:
 *   es_generation_begin                      every replica
 *   ops->evaluate                            es_candidate + a rollout + es_report per candidate,
 *                                            wherever it is evaluated; the reports reach the lead
 *   es_generation_end                        the lead: shaping, best candidate, statistics
 *   ops->agree                               the lead's verdict and pair weights to every replica
 *   es_grad_share, ops->sum                  every replica its own pairs; the integer sums added
 *   es_apply                                 every replica: the same update
 *
 * Candidates are never sent: candidate k of generation g is regenerated anywhere from
 * (run seed, g, k / 2). */
#ifndef HEBES_ES_H
#define HEBES_ES_H

#include <stddef.h>
#include <stdint.h>

#include "es_spec.h"
#include "es_state.h"

/* Generation 0: parameters N(0, init_std^2) or U(-init_std, init_std) from the run seed; lr and
 * sigma from the config. */
void es_init(es_state *s, const es_spec *e);
/* Those parameters alone, from any seed (es.init_std, es.init_dist of e). */
void es_initial_params(uint64_t run_seed, const es_spec *e, double *h, size_t n);

/* Perturbation of pair p in generation g: eps ~ N(0, I), regenerated from the run seed. */
void es_perturbation(uint64_t run_seed, int64_t gen, int64_t pair, double *eps, size_t n);

/* Candidate k of generation gen: h + sigma eps_p (k = 2p) or h - sigma eps_p (k = 2p + 1), into
 * cand (eps is scratch of n); with sigmas (PGPE) non-NULL, sigmas[i] in place of sigma; with frozen
 * non-NULL, cand[i] = h[i] where frozen[i] (eps_p is drawn whole all the same, so that the other
 * parameters' noise does not depend on which are frozen). Returns mean(cand^2) over the parameters
 * not frozen, for the L2 fitness penalty. */
double es_candidate(uint64_t run_seed, const double *h, double sigma, const double *sigmas,
                    const unsigned char *frozen, int64_t gen, int64_t k, double *eps, double *cand, size_t n);
/* The per-parameter sigmas candidates use: s->sigmas with PGPE, else NULL. */
const double *es_sigmas(const es_spec *e, const es_state *s);

/* Episode randomness of candidate k: both members of a pair share it (common random numbers). */
uint64_t es_episode_seed(uint64_t run_seed, int64_t gen, int64_t k);

/* What the evaluation of one candidate reports. */
typedef struct {
    double fitness;  /* mean over models and episodes */
    double mean_sq;  /* mean(candidate^2) */
    int64_t steps;   /* environment steps taken */
    int32_t diverged;
    double sq_norm[ES_MAX_LAYERS]; /* layer weight norms^2 at the end of the last episode */
} es_result;

/* One generation's reports and what is derived from them. Created once per run. */
typedef struct {
    int n;              /* candidates (es.population) */
    size_t n_params;
    int64_t generation; /* the generation being evaluated */
    double lr, sigma;   /* in force during it */
    es_result *res;     /* n */
    es_obs_stats *obs;  /* n with net.obs_norm, else NULL: each candidate's raw observations */
    /* n_weights: from es_generation_end, or received from the rank that called it. Per pair p:
     * pair_weight[p] = u[2p] - u[2p+1] (standardised ranks; PGPE: in [-0.5, 0.5]) and, PGPE only,
     * pair_weight[n/2 + p] = (u[2p] + u[2p+1]) / 2, the sigma update's baseline term. */
    double *pair_weight;
    int n_weights;      /* n / 2, PGPE n */
    int skip;           /* all fitnesses equal (or none valid): no update */
    double *eps;        /* n_params of scratch */
    int64_t *acc;       /* n_acc: the fixed-point gradient sums (PGPE: then the sigma sums) */
    size_t n_acc;       /* n_params, PGPE 2 n_params */
    double *grad;       /* n_params of scratch: the ascent direction */
    void *scratch;      /* shaping */
} es_gen;

/* obs_stats (net.obs_norm): keep each candidate's observation statistics. Returns 0, or -1 when
 * out of memory (g is then empty; es_gen_free accepts it). */
int es_gen_create(es_gen *g, const es_spec *e, size_t n_params, int obs_stats);
void es_gen_free(es_gen *g);

void es_generation_begin(es_gen *g, const es_state *s);
/* Candidate k's result; obs (net.obs_norm) may be NULL. */
void es_report(es_gen *g, int64_t k, const es_result *r, const es_obs_stats *obs);

/* Fitness statistics of a generation, over valid candidates. */
typedef struct {
    int n_invalid;   /* diverged or non-finite: ranked worst */
    int skip;        /* all fitnesses equal (or none valid): no update */
    int best;        /* index of the best valid candidate, -1 if none */
    double mean, max, min, std; /* raw fitness over valid candidates */
} es_shape_info;

/* After every report: the pair weights and g->skip; the best candidate ever and the running
 * observation statistics in s; the generation's row of statistics (its evaluation columns are
 * left to the caller). */
void es_generation_end(es_gen *g, es_state *s, const es_spec *e, es_gen_stats *row);

/* Fixed-point scale of the gradient sums: integer addition is associative, so the
 * reduced sum has the same bits whichever rank added which pair. |pair weight| <=
 * 2 sqrt(3) (standardised distinct ranks) and |eps| < 14.2 (the ziggurat's tail
 * with 53-bit uniforms), so one term is below 2^38 and no sum of up to the largest
 * population's 5e6 pairs can overflow int64; PGPE's sigma terms |b_p (eps^2 - 1)|
 * are below 0.5 * 201 < 2^7 (2^39 scaled) and cannot either. The resolution 2^-32
 * is far below the noise of the estimate. */
#define ES_GRAD_SCALE 4294967296.0 /* 2^32 */

/* acc = sum of round_toward_zero(weight_p * eps_p * 2^32) over pairs p = first, first + stride, ...
 * of g's generation; PGPE: then acc[n_params + i] = the same sum of base_p * (eps_pi^2 - 1). */
void es_grad_share(es_gen *g, uint64_t run_seed, int64_t first, int64_t stride, int64_t *acc);

/* The lead's verdict on a generation, which every replica follows: update, skip the update (all
 * fitnesses equal), abandon the generation (a stop signal: no replica changes), or stop because
 * every candidate diverged (no replica changes: the run cannot go on from there). */
enum { ES_UPDATE = 1, ES_SKIP = 2, ES_ABANDON = 3, ES_DIVERGED = 4 };

/* How a generation reaches candidates and the other replicas. */
typedef struct {
    void *ctx;
    /* Every candidate of g evaluated somewhere; on the lead, every report in g (es_report).
     * Nonzero on the lead: abandon the generation. */
    int (*evaluate)(void *ctx, es_gen *g);
    /* Collective: the lead's verdict to every replica and, unless ES_ABANDON, g's pair weights and
     * (obs != NULL) the running observation statistics. NULL: a single replica. */
    void (*agree)(void *ctx, int *verdict, es_gen *g, es_obs_stats *obs);
    /* Collective: acc (g->n_acc) summed over every replica, in place. NULL: a single replica. */
    void (*sum)(void *ctx, int64_t *acc, size_t n);
    int lead;              /* this replica holds the reports and the statistics */
    int64_t first, stride; /* this replica's pairs: first, first + stride, ... */
} es_ops;

/* What es_generation did: the generation is done (s one generation on), or it was abandoned on a
 * stop signal, or every candidate diverged (in these two s is as it was), or the lead's history
 * could not grow (out of memory). */
enum { ES_GEN_DONE = 0, ES_GEN_ABANDONED = 1, ES_GEN_DIVERGED = 2, ES_GEN_NOMEM = 3 };

/* One generation on this replica (collective through ops): begin, evaluate, on the lead
 * es_generation_end into row (may be NULL elsewhere), agree, gradient share, sum, es_apply; then the
 * lead appends row to s's history, where the caller completes it (evaluation columns, time). */
int es_generation(es_gen *g, es_state *s, const es_spec *e, const es_ops *ops, es_gen_stats *row);

/* The update from the reduced gradient sums (ignored when g->skip), the lr and sigma decays, and
 * generation + 1. Frozen parameters (s->frozen) keep their value and their optimizer state. */
void es_apply(es_state *s, const es_spec *e, es_gen *g, const int64_t *grad_acc);

/* The parts, for tests: centred-rank weights of n candidates combined per mirrored pair (see
 * es_gen.pair_weight; ties broken by index; scratch: es_shape_scratch_size(n) bytes); and the
 * optimizer step (and PGPE's sigma step) with the decays, grad being n of scratch. */
void es_shape(const es_spec *e, int n, const es_result *res, double *pair_weight, es_shape_info *info, void *scratch);
size_t es_shape_scratch_size(int n);
void es_update(es_state *s, const es_spec *e, const int64_t *grad_acc, int skip, double *grad);
/* ClipUp's speed limit: es.clipup_max_speed, or twice es.lr when 0. */
double es_clipup_max_speed(const es_spec *e);

#endif
