/* The task a run evolves parameters for, chosen here and nowhere else (run.task):
 *   ant        episodes of a plastic network in MuJoCo bodies (src/worker: rollouts only);
 *   quadratic  -sum (x_i - t_i)^2, a cheap objective that tests the ES without MuJoCo's cost;
 *   attractor  the free-energy attractor network, whose plasticity ES evolves (src/attractor,
 *              docs/attractor.md).
 * Everything else asks this layer: how many parameters, whether there is a network (and so a
 * checkpoint layout, held-out episodes, rollouts, films, the Python environment), what to call the
 * parameters, and a candidate's fitness.
 *
 * Constant part: task_setup (one per process). Mutable part: task_buffers, allocated once and
 * reused for every candidate. */
#ifndef HEBES_TASK_H
#define HEBES_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "att_task.h"
#include "cfg.h"
#include "es_state.h"
#include "worker.h"

typedef struct {
    const cfg *c;
    size_t n_params;
    wk_setup body; /* ant: the training bodies and the network's layout */
    att_task att;  /* attractor: the presented sequence */
} task_setup;

typedef struct {
    double *eps, *cand; /* n_params: the candidate of es_candidate */
    wk_buffers body;    /* ant */
    att_state att;      /* attractor: the network, */
    double *att_eta;    /* its units' rates, */
    int *att_labels;    /* free_steps labels */
    double *att_best;   /* and correlations of a free run */
} task_buffers;

/* c's task, with (ant) the training bodies env.models, whose MJCF text xml holds when not NULL (NULL
 * entries: read the file). Returns 0, or -1 with a message. */
int task_setup_init(task_setup *t, const cfg *c, const char *const *xml, char *err, size_t errlen);
void task_setup_free(task_setup *t);
/* Returns 0, or -1 when out of memory (b is then empty). */
int task_buffers_create(task_buffers *b, const task_setup *t);
void task_buffers_free(task_buffers *b);

/* Whether c's candidates are networks in bodies: what held-out evaluation, rollouts, films, the
 * checkpoint's network layout and --init-from need. */
int task_has_network(const cfg *c);
/* The network's layout, or NULL for a task without one. */
const heb_layout *task_network(const task_setup *t);
/* What the parameters are, for messages: the plasticity rule, or the task's name. */
const char *task_label(const cfg *c);

/* Candidate k of generation gen around s (es_candidate, with s's frozen parameters kept) and its
 * fitness: episodes on the generation's bodies (wk_candidate), the quadratic, or the attractor's
 * sequence experiment (both members of a pair see the same random numbers, as an Ant pair sees the
 * same episodes). */
wk_result task_candidate(const task_setup *t, task_buffers *b, const es_state *s, int64_t gen, int64_t k,
                         wk_poll_fn poll, void *ctx);

/* run.task = attractor's experiment for these images of c's digits file. Returns 0, or -1 with a
 * message. */
int task_attractor(att_task *t, const cfg *c, const int *images, int n_images, char *err, size_t errlen);

/* hebes attractor's experiment: everything one presentation leaves, for the report and the file. */
typedef struct {
    att_task t;
    att_state s;
    double sym[ATT_PIXELS * ATT_PIXELS], anti[ATT_PIXELS * ATT_PIXELS];
    double attractors[ATT_MAX_SEQ][ATT_PIXELS];
    int relax_steps[ATT_MAX_SEQ];
    double asymmetry;
    int distinct;
    att_energy energy;
    int runs;
    double *free_run; /* runs x free_steps x n activities, from the presented state */
    int *labels;      /* runs x free_steps */
    int replays, replays_from_rest;
} task_presentation;

/* The spec's Simulation 3 with c's settings and the uniform rate attractor.eta from seed: the
 * presentation, the couplings' symmetric and antisymmetric parts, the attractors of the symmetric
 * part, and runs free runs from the presented state and as many from rest. Returns 0, or -1 with a
 * message (p then holds what was allocated: task_presentation_free). */
int task_present(task_presentation *p, const cfg *c, uint64_t seed, int runs, char *err, size_t errlen);
/* Accepts NULL. */
void task_presentation_free(task_presentation *p);
/* The presentation into a new HDF5 file (format hebes-attractor; tools/plot_attractor.py). Returns
 * 0, or -1 with "PATH: cannot write". */
int task_presentation_write(const task_presentation *p, const cfg *c, const char *path, char *err, size_t errlen);

/* One plasticity (theta NULL: the uniform rate) on a sequence over seeds seed .. seed + episodes - 1:
 * the recall score's mean and sample std, the mean asymmetry, and the free runs that replay it. */
typedef struct {
    double mean, std, asymmetry;
    int replays;
    long runs;
} task_att_scores;
int task_attractor_scores(const cfg *c, const double *theta, const int *images, int n_images, long seed,
                          long episodes, task_att_scores *out, char *err, size_t errlen);

/* -sum (x_i - t_i)^2, with the optimum t ~ N(0, 1) drawn from the run seed. */
double task_quadratic(const double *x, size_t n, uint64_t seed);
/* The optimum itself, for tests and reports. */
void task_quadratic_optimum(double *t, size_t n, uint64_t seed);

#endif
