/* The training loop across MPI ranks. Rank 0 hands out work items on demand and
 * rolls out candidates itself between answering; every rank then adds its share
 * of the gradient and applies the same update to its replica of the ES state, so
 * parameters never cross the wire. */
#ifndef HEBES_MASTER_H
#define HEBES_MASTER_H

#include <signal.h>
#include <stddef.h>

#include "ckpt.h"
#include "worker.h"

typedef struct {
    wk_job job;
    const char *config_json;  /* effective config, stored in checkpoints */
    const ckpt_models *models; /* the model files, stored in checkpoints */
    const char *run_dir;      /* rank 0: results/NAME */
    const volatile sig_atomic_t *stop; /* rank 0: set by SIGTERM/SIGUSR1/SIGUSR2/SIGINT */
    int verbose;              /* rank 0: the full line per generation and the service time */
} ms_run;

typedef enum { MS_FINISHED = 0, MS_STOPPED = 1, MS_FAILED = -1 } ms_outcome;

/* Collective. Rank 0 writes progress.csv and checkpoint.h5 in run_dir; the others follow
 * (wk_follow). MS_FAILED (rank 0 only) leaves the message in err: the caller aborts. */
ms_outcome ms_train(ms_run *r, char *err, size_t errlen);

#endif
