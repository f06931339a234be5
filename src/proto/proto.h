/* The wire: everything that crosses between ranks, written once for rank 0 (the leader) and
 * the others (followers). Per generation, in this order:
 *   proto_control          collective: run a generation, or stop
 *   proto_ask / proto_poll + proto_assign
 *                          followers ask for work items and return results; rank 0 answers
 *   proto_generation_end   collective: the verdict (ES_UPDATE, ES_SKIP, ES_ABANDON); the pair
 *                          weights (es_gen.n_weights doubles) and the observation statistics
 *   proto_sum              collective: one params-sized integer reduction
 * The last two are what es_ops' agree and sum do in training (src/run/follow.c).
 * Messages are raw structs: ranks of one job run the same binary.
 * Every MPI call is checked; a failure goes to proto_fatal, the one fatal path. */
#ifndef HEBES_PROTO_H
#define HEBES_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "es.h"

/* Control word at the start of every generation. */
enum { PROTO_RUN = 1, PROTO_STOP = 2 };

/* Follower -> rank 0: the result of work item k (k < 0: nothing yet, just asking for work).
 * A generation's items are its held-out evaluation episodes first (run.eval_every), then its
 * candidates. */
typedef struct {
    int64_t k;
    es_result r;
    int32_t end;      /* env_end of the (last) episode */
    double distance;  /* torso x travelled in the (last) episode */
    es_obs_stats obs; /* net.obs_norm: the candidate's raw observations (n = 0 otherwise) */
} proto_result;

/* MPI_Init with errors returned to the caller (so they reach proto_fatal), then rank and size. */
void proto_init(int *argc, char ***argv, int *rank, int *size);
/* Collective. */
void proto_finalize(void);

/* Prints "hebes: fatal: ..." and aborts every rank (MPI_Abort with exit code 1); exits 1 in a
 * process that has not started MPI. */
_Noreturn void proto_fatal(const char *fmt, ...);
/* proto_fatal naming the call, the file and line, and MPI's message, unless rc is MPI_SUCCESS. */
void proto_check(int rc, const char *call, const char *file, int line);
#define PROTO_CHECK(call) proto_check((call), #call, __FILE__, __LINE__)

/* Collective: rank 0's word (PROTO_RUN or PROTO_STOP) and whether a stop signal caused it. */
void proto_control(int *word, int *signalled);

/* Follower: returns m to rank 0 and waits for the next item's index (-1: no more this generation). */
int64_t proto_ask(const proto_result *m);
/* Rank 0: a waiting result, if any: 1 and its sender, else 0 (never blocks). */
int proto_poll(proto_result *m, int *src);
/* Rank 0: the next item for rank dst (-1: no more). */
void proto_assign(int dst, int64_t k);

/* Collective: rank 0's verdict; unless ES_ABANDON or ES_DIVERGED, g's pair weights and (obs !=
 * NULL) the running observation statistics. */
void proto_generation_end(int *verdict, es_gen *g, es_obs_stats *obs);

/* Collective: returns when every rank has called it (for timing). */
void proto_barrier(void);
/* Collective: 1 if ok is nonzero on every rank. */
int proto_all(int ok);
/* Collective: acc summed over every rank, in place (in pieces: counts above 2^31 - 1 are fine). */
void proto_sum(int64_t *acc, size_t n);
/* Collective: n bytes from rank 0 (in pieces, as proto_sum). */
void proto_bcast(void *buf, size_t n);

#endif
