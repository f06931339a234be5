/* The Ant environment on MuJoCo, with Gymnasium Ant-v5 semantics (see
 * docs/environment.md).
 *
 * Constant part: env_spec (configuration, env_spec.h) and env_model (the compiled mjModel,
 * shared by every episode). Mutable per-episode part: env_state (mjData). */
#ifndef HEBES_ENV_H
#define HEBES_ENV_H

#include <stddef.h>

#include <mujoco/mujoco.h>

#include "env_spec.h"
#include "rng.h"


/* Legs, and so feet, of an Ant: hip_N and ankle_N, N = 1 to 4. */
#define ENV_FEET 4
/* The most motors a damaged leg has (the Humanoid's: hip x, z, y and knee). */
#define ENV_LEG_MOTORS 4

typedef struct {
    env_spec spec;
    mjModel *m;
    int torso;   /* body id */
    int obs_dim;
    int act_dim;
    int damaged[ENV_LEG_MOTORS]; /* actuator ids of spec.damage_leg's motors, hip first */
    int n_damaged;               /* how many (0: no damage) */
    int foot[ENV_FEET]; /* with spec.foot_contacts: body ids of the four feet, leg 1 to 4 */
} env_model;

typedef struct {
    const env_model *em;
    mjData *d;
    int t;
    int neg_streak;
    double x0;   /* torso x at reset */
    double terms[ENV_TERM_COUNT]; /* summed since reset */
    double x_damage; /* torso x travelled when the damage struck (NaN before) */
} env_state;

/* Loads and checks an MJCF model of spec's body (the Ant: free root joint, body "torso", actuators;
 * the others: root slides and a hinge, body "torso"): the file at path (or gymnasium:FILE), or with xml non-NULL that text (a checkpoint's copy of the file; path names it in
 * messages). Returns 0, or -1 with a message naming the file. */
int env_model_load(env_model *em, const env_spec *spec, const char *path, const char *xml, char *err,
                   size_t errlen);
/* The file a model path names: "gymnasium:FILE" is FILE among the installed Gymnasium's MuJoCo models
 * ($HEBES_GYM_ASSETS, else the project venv's gymnasium/envs/mujoco/assets from the working folder),
 * any other path itself. Returns 0, or -1 (out then holds path) when no Gymnasium models are found. */
int env_resolve_model(const char *path, char *out, size_t n);
/* A model file's whole text as a NUL-terminated string (malloc'd), or NULL with "PATH: model file
 * cannot be read: why" in err (missing, a folder, empty, over ENV_MAX_MODEL_BYTES); path may be
 * gymnasium:FILE (env_resolve_model). */
#define ENV_MAX_MODEL_BYTES (64L << 20)
char *env_read_file(const char *path, char *err, size_t errlen);
void env_model_free(env_model *em);

int env_state_create(env_state *es, const env_model *em);
void env_state_free(env_state *es);

/* Reset with noise drawn from rng; writes the first observation. */
void env_reset(env_state *es, rng_stream *rng, double *obs);

/* One environment step (frame_skip physics steps) with action in [-1, 1]^act_dim.
 * Writes the next observation and the step reward; returns why the episode ended,
 * or ENV_RUNNING. */
env_end env_step(env_state *es, const double *action, double *obs, double *reward);

/* The step counter the stopping rules compare with: steps taken (hebes), or the notebook's
 * 0-based counter read before its increment (one less). */
int env_stop_clock(const env_state *es);

/* Torso x travelled since reset. */
double env_distance(const env_state *es);

/* MuJoCo's own handlers print errors and wait for Enter, and log warnings to a file. fatal gets
 * every error message (it must not return); warnings are counted in mjData instead. */
void env_mujoco_handlers(void (*fatal)(const char *msg));

/* The MuJoCo this binary runs on: the linked library's version string ("4.0.1"), which decides the
 * physics' last bits (a checkpoint's numbers reproduce only on the same engine). */
const char *env_engine_version(void);

#endif
