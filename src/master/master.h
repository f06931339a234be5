/* Rank 0 of a training run: its loop over generations (master.c: one generation top to bottom,
 * the record, Evolve & Merge's merge, checkpoints) and its hand-out of the generation's work items
 * to the other ranks, rolling out items itself between answers (dispatch.c). What every rank does
 * is src/run's. */
#ifndef HEBES_MASTER_H
#define HEBES_MASTER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "run.h"

/* Rank 0's side of the work items (dispatch.c): hands them out on demand and evaluates items itself
 * between answers. */
typedef struct {
    const run_job *j;
    const volatile sig_atomic_t *stop; /* set by a stop signal: hand out nothing more */
    proto_result *items;     /* the generation's results by item: n_eval held-out episodes, then
                              * the candidates; k = -1 until received */
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
} ms_lead;

/* Returns 0, or -1 when out of memory. */
int ms_lead_create(ms_lead *d, const run_job *j, const volatile sig_atomic_t *stop);
void ms_lead_free(ms_lead *d);
/* Rank 0's es_ops evaluate (ctx: an ms_lead): every item of the generation, by rank 0 between
 * answers and by the others; nonzero when a stop signal abandoned the generation. */
int ms_lead_items(void *ctx, es_gen *g);

/* Rank 0's es_ops: it evaluates through lead (the other ranks' are run_follow's). */
es_ops ms_ops(run_job *j, ms_lead *lead);

typedef struct {
    run_job job;
    const char *config_json;  /* effective config, stored in checkpoints */
    const ckpt_models *models; /* the model files, stored in checkpoints */
    const char *engine;       /* the MuJoCo version, stored in checkpoints */
    const char *run_dir;      /* rank 0: results/NAME */
    const volatile sig_atomic_t *stop; /* rank 0: set by SIGTERM/SIGUSR1/SIGUSR2/SIGINT */
    int verbose;              /* rank 0: the full line per generation and the service time */
} ms_ctx;

typedef enum { MS_FINISHED = 0, MS_STOPPED = 1, MS_FAILED = -1 } ms_outcome;

/* Collective. Rank 0 writes progress.csv and checkpoint.h5 in run_dir; the others follow
 * (run_follow). MS_FAILED (rank 0 only) leaves the message in err: the caller aborts. */
ms_outcome ms_train(ms_ctx *r, char *err, size_t errlen);
/* Collective: trains a run opened by run_open (ms_train); stop is set by a signal on rank 0. */
ms_outcome ms_rank_train(run_rank *t, const volatile sig_atomic_t *stop, int verbose, char *err, size_t errlen);

#endif
