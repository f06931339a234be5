/* A training run across MPI ranks: the work items of a generation, rank 0's hand-out of them
 * (dispatch.c), the other ranks' loop (follow.c) and rank 0's loop over generations (master.c).
 * Rank 0 hands out work items on demand and rolls out candidates itself between answering; every
 * rank then adds its share of the gradient and applies the same update to its replica of the ES
 * state, so parameters never cross the wire. */
#ifndef HEBES_RUN_H
#define HEBES_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "ckpt.h"
#include "es.h"
#include "proto.h"
#include "worker.h"

/* One rank's part in a training run (follow.c). */
typedef struct {
    const cfg *c;
    const wk_setup *ws;      /* the training models */
    wk_buffers *wb;
    const wk_setup *ws_eval; /* env.eval_models, when run.eval_every > 0; else NULL */
    wk_buffers *wb_eval;
    es_state *s;             /* this rank's replica: identical on every rank */
    es_gen *g;
    int rank, size;
} run_job;

/* Work items of generation gen: its held-out episodes (env.eval_episodes per eval model every
 * run.eval_every generations) come first, then its candidates. */
int64_t run_eval_items(const run_job *j, int64_t gen);
/* Before a generation's items, on every rank: the observation normaliser of the statistics so
 * far and, for an evaluation generation, the unperturbed coefficients, converted once. */
void run_items_begin(const run_job *j, int64_t n_eval);
/* Work item i of the current generation, on any rank. */
proto_result run_item(const run_job *j, int64_t n_eval, int64_t i, wk_poll_fn poll, void *ctx);

/* Rank 0's side of the work items (dispatch.c): hands them out on demand and
 * evaluates items itself between answers. */
typedef struct {
    const run_job *j;
    const volatile sig_atomic_t *stop; /* set by a stop signal: hand out nothing more */
    proto_result *eval;      /* the generation's held-out episodes' results, n_eval of them */
    int64_t n_eval, n_items;
    int64_t next, issued, received; /* items */
    int released;            /* ranks told there is no more work */
    int abandon;             /* a stop signal arrived: the generation is abandoned */
    int64_t served;          /* other ranks' requests answered over the run, and the time it took */
    double service_s;
    /* A test aid (HEBES_TEST_STOP_AT=G:K in the environment of hebes train): rank 0 raises SIGUSR1
     * on itself as it hands out item K of generation G, so that a test's stop lands inside a
     * generation whatever the machine's speed. -1: never. */
    int64_t stop_gen, stop_item;
} run_lead;

/* Monotonic seconds, for timing generations and rank 0's service. */
double run_now_s(void);

/* Returns 0, or -1 when out of memory. */
int run_lead_create(run_lead *d, const run_job *j, const volatile sig_atomic_t *stop);
void run_lead_free(run_lead *d);
/* Rank 0's es_ops evaluate (ctx: a run_lead): every item of the generation, by rank 0 between
 * answers and by the others; nonzero when a stop signal abandoned the generation. */
int run_lead_items(void *ctx, es_gen *g);

/* The es_ops of rank `rank` of `size` over the wire: the verdict and the gradient sum cross with
 * proto_generation_end and proto_sum (which use no ctx), candidates are evaluated by evaluate(ctx),
 * and rank 0 leads. */
es_ops run_wire_ops(int rank, int size, int (*evaluate)(void *ctx, es_gen *g), void *ctx);
/* The es_ops of a training rank: rank 0 evaluates through lead, the others (lead NULL) ask rank 0
 * for work. */
es_ops run_ops(run_job *j, run_lead *lead);

/* Collective, ranks > 0: works for rank 0 until it says stop; 1 if a stop signal ended the run. */
int run_follow(run_job *j);


typedef struct {
    run_job job;
    const char *config_json;  /* effective config, stored in checkpoints */
    const ckpt_models *models; /* the model files, stored in checkpoints */
    const char *run_dir;      /* rank 0: results/NAME */
    const volatile sig_atomic_t *stop; /* rank 0: set by SIGTERM/SIGUSR1/SIGUSR2/SIGINT */
    int verbose;              /* rank 0: the full line per generation and the service time */
} run_ctx;

typedef enum { RUN_FINISHED = 0, RUN_STOPPED = 1, RUN_FAILED = -1 } run_outcome;

/* Collective. Rank 0 writes progress.csv and checkpoint.h5 in run_dir; the others follow
 * (run_follow). RUN_FAILED (rank 0 only) leaves the message in err: the caller aborts. */
run_outcome run_train(run_ctx *r, char *err, size_t errlen);

#endif
