/* What crosses the wire between rank 0 and the other ranks. Per generation:
 * a control word, candidate indices out, one wk_msg per candidate back, the
 * pair weights (population / 2 doubles) and one params-sized integer reduction.
 * Messages are raw structs: ranks of one job run the same binary. */
#ifndef HEBES_PROTO_H
#define HEBES_PROTO_H

#include <stdint.h>

#include "es_state.h"
#include "heb.h"

enum { PROTO_TAG_RESULT = 1, PROTO_TAG_ASSIGN = 2 };

/* Control broadcast at the start of every generation. */
enum { PROTO_RUN = 1, PROTO_STOP = 2 };

/* Broadcast after the candidates: update, skip the update, or abandon the generation. */
enum { PROTO_UPDATE = 1, PROTO_SKIP = 2, PROTO_ABANDON = 3 };

/* Worker -> rank 0: the result of work item k (k < 0: nothing yet, just asking for work).
 * A generation's items are its held-out evaluation episodes first (run.eval_every), then its
 * candidates: ms_item_is_eval tells which. */
typedef struct {
    int64_t k;
    int64_t steps;
    double fitness;
    double mean_sq;
    int32_t diverged;
    int32_t end;
    double distance;
    double sq_norm[HEB_MAX_LAYERS];
    es_obs_stats obs; /* net.obs_norm: the candidate's raw observations (n = 0 otherwise) */
} proto_result;

#endif
