/* The Ant environment on MuJoCo, with Gymnasium Ant-v5 semantics (see
 * docs/environment.md).
 *
 * Constant part: env_spec (configuration) and env_model (the compiled mjModel,
 * shared by every episode). Mutable per-episode part: env_state (mjData). */
#ifndef HEBES_ENV_H
#define HEBES_ENV_H

#include <stddef.h>

#include <mujoco/mujoco.h>

#include "rng.h"

typedef enum {
    ENV_FITNESS_REWARD,   /* Gymnasium reward: healthy + forward velocity - costs */
    ENV_FITNESS_DISTANCE  /* the paper's: distance walked along x (step reward = dx) */
} env_fitness;

/* Legs of the Ant, as the actuators name them (hip_N, ankle_N). */
typedef enum { ENV_LEG_NONE, ENV_LEG_FRONT_LEFT, ENV_LEG_FRONT_RIGHT, ENV_LEG_BACK_LEFT, ENV_LEG_BACK_RIGHT } env_leg;
extern const char *const env_leg_names[5];

typedef struct {
    int frame_skip;
    int max_steps;
    int contact_obs;            /* append clipped cfrc_ext of every body but the world */
    double contact_cost_weight; /* 0 = off (v4 default) */
    double healthy_reward;
    double ctrl_cost_weight;
    double reset_noise_scale;
    double healthy_z_min, healthy_z_max;
    env_fitness fitness;
    int early_stop;             /* paper: after early_stop_after steps, stop after */
    int early_stop_after;       /* early_stop_patience consecutive negative step rewards */
    int early_stop_patience;
    int unhealthy_grace;        /* an unhealthy torso ends nothing during the first N steps */
    int notebook_counting;      /* count steps as the paper's notebook: from 0, checked before the increment */
    double fitness_scale;       /* every step reward is multiplied by it */
    env_leg damage_leg;         /* from step damage_step on, this leg's two motors give damage_gear */
    int damage_step;            /* times their torque (0: disabled) */
    double damage_gear;
} env_spec;

/* Gymnasium Ant-v5's rules for reward and termination (reward fitness, healthy reward 1, control
 * cost 0.5, contact cost 5e-4, torso z in [0.2, 1.0], 1000 steps, reset noise 0.1, frame skip 5,
 * no early stop, grace or scale), set over s; what the network observes and damage are kept. */
void env_spec_ant_v5(env_spec *s);

/* The terms of an episode's reward, unscaled: the return is forward + healthy - control - contact
 * (times env.fitness_scale) under reward fitness. */
typedef enum { ENV_TERM_FORWARD, ENV_TERM_HEALTHY, ENV_TERM_CONTROL, ENV_TERM_CONTACT, ENV_TERM_COUNT } env_term;
extern const char *const env_term_names[ENV_TERM_COUNT];

typedef enum {
    ENV_RUNNING = 0,
    ENV_TIME_LIMIT,
    ENV_TOO_LOW,  /* unhealthy: torso z below healthy_z_min */
    ENV_TOO_HIGH, /* unhealthy: torso z above healthy_z_max */
    ENV_EARLY_STOP,
    ENV_DIVERGED, /* MuJoCo reported an unstable simulation, or the policy gave a non-finite action */
    ENV_END_COUNT
} env_end;

extern const char *const env_end_names[ENV_END_COUNT];

typedef struct {
    env_spec spec;
    mjModel *m;
    int torso;   /* body id */
    int obs_dim;
    int act_dim;
    int damaged[2]; /* actuator ids of spec.damage_leg's hip and ankle (-1: none) */
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

/* Loads and checks an MJCF model (an Ant: free root joint, body "torso", 8 actuators): the file
 * at path, or with xml non-NULL that text (a checkpoint's copy of the file; path names it in
 * messages). Returns 0, or -1 with a message naming the file. */
int env_model_load(env_model *em, const env_spec *spec, const char *path, const char *xml, char *err,
                   size_t errlen);
/* A model file's whole text as a NUL-terminated string (malloc'd), or NULL with "PATH: model file
 * cannot be read: why" in err (missing, a folder, empty, over ENV_MAX_MODEL_BYTES). */
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

#endif
