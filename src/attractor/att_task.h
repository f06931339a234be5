/* The sequence experiment of the attractor network (docs/attractor.md, the spec's Simulation 3):
 * the 8x8 digits as biases, a sequence presented in order with learning, the attractors of the
 * couplings' symmetric part, and free runs that replay (or not) the order. Also the fitness of
 * hebes train's run.task = attractor, where ES evolves the network's plasticity. */
#ifndef HEBES_ATT_TASK_H
#define HEBES_ATT_TASK_H

#include <stddef.h>

#include "att.h"

#define ATT_PIXELS 64
#define ATT_MAX_SEQ 8

/* The 8x8 digits of the UCI test set as scikit-learn ships them (digits.csv.gz: 64 gray levels
 * 0..16 and the label per line). */
typedef struct {
    int n;
    double *pixels; /* n x 64 */
    int *labels;    /* n */
} att_digits;

/* Reads path (gzip'd CSV). Returns 0, or -1 with "PATH: ..." in err. */
int att_digits_load(att_digits *d, const char *path, char *err, size_t errlen);
void att_digits_free(att_digits *d);

/* Image i as a bias: every pixel squared, the image standardised over its 64 pixels, times evidence. */
void att_pattern(const att_digits *d, int i, double evidence, double *out);

/* What ES evolves (run.task = attractor): a log-factor on each unit's learning rate and one on the
 * inverse temperature (n + 1 numbers), or one factor on every rate and one on it (2). */
typedef enum { ATT_EVOLVE_UNIT_RATES, ATT_EVOLVE_GLOBAL } att_evolve;

/* What an experiment needs besides the network: its patterns, in the order presented. */
typedef struct {
    att_spec net;
    att_evolve evolve;
    int n_patterns;
    double patterns[ATT_MAX_SEQ][ATT_PIXELS]; /* the biases */
    double images[ATT_MAX_SEQ][ATT_PIXELS];   /* the gray levels they came from, for comparisons */
    int iterations;       /* presentation steps */
    int free_steps;       /* steps of each free run */
    double threshold;     /* correlation that labels a free-run step with a pattern */
} att_task;

/* Iterations of presentation from s as it is: iteration k biases with pattern k mod n_patterns,
 * steps (stochastic with rng), learns with rates eta (per unit; NULL: eta0), then drops the bias;
 * activities carry over. */
void att_present(const att_task *t, att_state *s, const double *eta, double eta0, rng_stream *rng);

/* A free run: from the state's activities as they are (att_present leaves the last pattern's; zero
 * them first for a run from rest), zero bias, no learning, free_steps steps of t's net.
 * labels[k] = the pattern sigma correlates with most after step k, if at least the threshold, else
 * -1; best[k] that correlation; trace (NULL, or free_steps x n) the activities. */
void att_free_run(const att_task *t, att_state *s, rng_stream *rng, int *labels, double *best, double *trace);

/* The order a free run visits the patterns in: its labels with repeats and unlabelled steps
 * dropped, and how many moves between them go forward in the presented cycle (p -> p + 1, the last
 * back to the first) or otherwise. A run replays the sequence when it visits at least one full
 * cycle plus one (n_patterns + 1 visits: 1 -> 2 -> 3 -> 1 for three) and every move is forward. */
typedef struct {
    int visits, forward, other, replays;
    int order[64]; /* the first visits */
} att_order;
att_order att_order_of(const int *labels, int steps, int n_patterns);

/* The fitness of a trained state: the mean over runs free runs, each from the activities the
 * presentation left (rng draws them all; *replays, if not NULL, counts those that replay), of
 * (forward - other moves) / n_patterns + the mean best correlation, so that ES is rewarded for
 * clean attractors before it finds the order. */
double att_recall_score(const att_task *t, att_state *s, rng_stream *rng, int runs, int *labels, double *best,
                        int *replays);

/* The stream of an attractor run with this seed: the presentation's samples, then the free runs'. */
void att_stream(rng_stream *r, uint64_t seed);

/* The fitness of plasticity parameters theta (run.task = attractor): from J = 0, the sequence presented
 * with att_rates_from_params(theta), then att_recall_score over runs free runs; every random
 * number from seed; *replays (may be NULL) counts the runs that replay the sequence. Scratch: eta
 * (n), labels and best (free_steps). */
double att_fitness(const att_task *t, att_state *s, const double *theta, double eta0, double beta0, uint64_t seed,
                   int runs, double *eta, int *labels, double *best, int *replays);

/* The parameters ES evolves for t's network. */
size_t att_params(const att_task *t);

/* Rates and inverse temperature from ES parameters (run.task = attractor, docs/attractor.md):
 * unit rates: eta_i = eta0 exp(theta_i) for the n units, beta = beta0 exp(theta_n); global:
 * eta_i = eta0 exp(theta_0), beta = beta0 exp(theta_1). */
void att_rates_from_params(const att_task *t, const double *theta, double eta0, double beta0, double *eta,
                           double *beta);

#endif
