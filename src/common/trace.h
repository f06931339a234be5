/* Per-step record of one episode (`hebes eval --trace`), written to HDF5 for
 * analysing in-episode plasticity. Layout in docs/checkpoint.md. */
#ifndef HEBES_TRACE_H
#define HEBES_TRACE_H

#include <stddef.h>

#include "heb.h"

typedef struct trace trace;

/* weights_every: also keep every weight each K steps (0: never). */
trace *trace_create(const heb_layout *lay, long max_steps, int weights_every);
void trace_free(trace *t);
/* Records step t (1-based) with its reward, the activities of every layer, the action
 * and the layer weight norms. */
void trace_record(trace *t, long step, double reward, const double *action, const heb_state *net);
int trace_write(const trace *t, const char *path, const char *config_json, const char *model, double fitness,
                const char *end, char *err, size_t errlen);

#endif
