/* Per-step record of one episode (`hebes eval --trace`), written to HDF5 for
 * analysing in-episode plasticity. Layout in docs/checkpoint.md. */
#ifndef HEBES_TRACE_H
#define HEBES_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "env.h"
#include "heb.h"

#define TRACE_FORMAT "hebes-trace"
/* 3: the model's text (/model_xml), so that a trace replays from any folder;
 * 2: qpos, qvel and the torso's pose per step, the episode's seed and origin (replayable);
 * 1 (no format_version attribute): activities, actions, rewards, norms, weights. */
#define TRACE_FORMAT_VERSION 3

typedef struct trace trace;

/* What the trace says about where the episode came from (attributes). */
typedef struct {
    const char *config_json, *model; /* the effective config; the MJCF file */
    const char *model_xml;           /* its text */
    const char *checkpoint, *which;  /* the coefficients' origin */
    uint64_t episode_seed;           /* with model_index and rep 0: the reset noise and initial weights */
    int model_index;
    double fitness;
    const char *end;
} trace_meta;

/* weights_every: also keep every weight each K steps (0: never). nq, nv: the model's sizes. */
trace *trace_create(const heb_layout *lay, long max_steps, int weights_every, int nq, int nv);
void trace_free(trace *t);
/* Records step t (1-based) with its reward, the activities of every layer, the action, the
 * layer weight norms and the simulation state after the step. */
void trace_record(trace *t, long step, double reward, const double *action, const heb_state *net,
                  const env_state *env);
int trace_write(const trace *t, const char *path, const trace_meta *meta, char *err, size_t errlen);

/* A trace read back for replaying: its origin and, after trace_read_states, its states and actions. */
typedef struct {
    int version;
    char *config, *model, *model_xml; /* model_xml: NULL in version 2 */
    uint64_t episode_seed;
    int model_index;
    long long steps;
    int nq, nv, na;
    double *qpos, *qvel, *action; /* steps x nq, nv, na */
} trace_recording;

/* The trace's format and origin (versions 2 and 3: the replayable ones). Returns 0, or -1 with a
 * message naming the file. */
int trace_read(trace_recording *r, const char *path, char *err, size_t errlen);
/* Its qpos, qvel and action, which must be steps x nq, nv, na (the model's sizes). */
int trace_read_states(trace_recording *r, const char *path, int nq, int nv, int na, char *err, size_t errlen);
/* Accepts NULL. */
void trace_recording_free(trace_recording *r);

#endif
