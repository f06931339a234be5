/* The training loop across MPI ranks. Rank 0 hands out candidate indices on
 * demand and rolls out candidates itself between answering; every rank then
 * adds its share of the gradient and applies the same update to its replica
 * of the ES state, so parameters never cross the wire. */
#ifndef HEBES_MASTER_H
#define HEBES_MASTER_H

#include <signal.h>
#include <stddef.h>

#include "cfg.h"
#include "es_state.h"
#include "worker.h"

typedef struct {
    const cfg *c;
    const char *config_json;  /* effective config, stored in checkpoints */
    const wk_setup *ws;
    wk_buffers *wb;
    const wk_setup *ws_eval;  /* env.eval_models, when run.eval_every > 0; else NULL */
    wk_buffers *wb_eval;
    es_state *s;              /* identical on every rank */
    const char *run_dir;      /* rank 0: results/NAME */
    const volatile sig_atomic_t *stop; /* rank 0: set by SIGTERM/SIGUSR1/SIGINT */
    int rank, size;
} ms_run;

typedef enum { MS_FINISHED = 0, MS_STOPPED = 1, MS_FAILED = -1 } ms_outcome;

/* Every rank calls it. Rank 0 writes progress.csv and checkpoint.h5 in run_dir. */
ms_outcome ms_train(ms_run *r, char *err, size_t errlen);

/* The end of a generation on every rank: gradient share, one integer reduction, update. */
void ms_apply_update(ms_run *r, int64_t gen, const double *pair_weight, int flag, double *eps_buf, int64_t *acc);

#endif
