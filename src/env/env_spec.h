/* What an environment is configured with, apart from MuJoCo: the config embeds it, and env.h
 * builds the Ant from it. */
#ifndef HEBES_ENV_SPEC_H
#define HEBES_ENV_SPEC_H

typedef enum {
    ENV_FITNESS_REWARD,   /* Gymnasium reward: healthy + forward velocity - costs */
    ENV_FITNESS_DISTANCE  /* the paper's: distance walked along x (step reward = dx) */
} env_fitness;

/* The body a model is (env.body): what it observes, how it moves forward, when it is healthy, how
 * its reset is drawn. Each follows its Gymnasium v5 environment (docs/environment.md, "Bodies"). */
typedef enum {
    ENV_BODY_ANT,          /* free root joint, body "torso": Ant-v5 */
    ENV_BODY_HALF_CHEETAH, /* planar root (rootx, rootz, rooty): HalfCheetah-v5 */
    ENV_BODY_HOPPER,       /* planar root: Hopper-v5 */
    ENV_BODY_WALKER2D,     /* planar root: Walker2d-v5 */
    ENV_BODY_SWIMMER,      /* slides x, y and a hinge about z: Swimmer-v5 */
    ENV_BODY_HUMANOID,     /* free root joint, body "torso": Humanoid-v5 */
    ENV_BODY_COUNT
} env_body;
extern const char *const env_body_names[ENV_BODY_COUNT];
/* Gymnasium's name of each body's v5 environment ("Ant-v5", ...): what --rules v5 follows. */
extern const char *const env_body_v5_names[ENV_BODY_COUNT];

/* Legs env.damage_leg can name. The Ant's four are numbered by its joints (front_left is hip_1 and
 * ankle_1, in Gymnasium's words); the other bodies' follow (env.c, leg_defs): HalfCheetah back and
 * front, Hopper its single leg, Walker2d and Humanoid right and left. New names go at the end, so that
 * a checkpoint's stored number keeps its meaning. */
typedef enum {
    ENV_LEG_NONE, ENV_LEG_FRONT_LEFT, ENV_LEG_FRONT_RIGHT, ENV_LEG_BACK_LEFT, ENV_LEG_BACK_RIGHT,
    ENV_LEG_BACK, ENV_LEG_FRONT, ENV_LEG_SINGLE, ENV_LEG_RIGHT, ENV_LEG_LEFT,
    ENV_LEG_COUNT
} env_leg;
extern const char *const env_leg_names[ENV_LEG_COUNT];

typedef struct {
    env_body body;
    int frame_skip;
    int max_steps;
    int contact_obs;            /* append clipped cfrc_ext of every body but the world */
    int foot_contacts;          /* append 4 inputs: 1 while foot N (the body of joint ankle_N) touches the world */
    int heading_obs;            /* append 2 inputs: sin and cos of the angle from the torso's facing to +x */
    double contact_cost_weight; /* 0 = off (v4 default) */
    double contact_cost_max;    /* Humanoid: the contact cost is clipped to this (0: no clip) */
    double healthy_reward;
    double ctrl_cost_weight;
    double reset_noise_scale;
    double healthy_z_min, healthy_z_max;
    double forward_reward_weight;  /* the forward term is this times dx/dt */
    double healthy_angle_min, healthy_angle_max; /* Hopper, Walker2d: the torso's angle (qpos[2]) */
    double healthy_state_max;      /* Hopper: every state but x and z within +-this (0: no bound) */
    env_fitness fitness;
    int early_stop;             /* paper: after early_stop_after steps, stop after */
    int early_stop_after;       /* early_stop_patience consecutive negative step rewards */
    int early_stop_patience;
    int unhealthy_grace;        /* an unhealthy torso ends nothing during the first N steps */
    int notebook_counting;      /* count steps as the paper's notebook: from 0, checked before the increment */
    double fitness_scale;       /* every step reward is multiplied by it */
    env_leg damage_leg;         /* from step damage_step on, this leg's motors give damage_gear */
    int damage_step;            /* times their torque (0: disabled) */
    double damage_gear;
} env_spec;

/* Gymnasium's v5 rules for reward and termination of s's body, set over s (reward fitness, no early
 * stop, grace or scale, 1000 steps; what the network observes and damage are kept):
 *   Ant-v5          healthy 1, forward 1, control 0.5, contact 5e-4, z in [0.2, 1.0], noise 0.1, skip 5
 *   HalfCheetah-v5  forward 1, control 0.1, never unhealthy, noise 0.1, skip 5
 *   Hopper-v5       healthy 1, forward 1, control 1e-3, z > 0.7, angle in (-0.2, 0.2), |state| < 100,
 *                   noise 5e-3, skip 4
 *   Walker2d-v5     healthy 1, forward 1, control 1e-3, z in (0.8, 2.0), angle in (-1, 1), noise 5e-3,
 *                   skip 4
 *   Swimmer-v5      forward 1, control 1e-4, never unhealthy, noise 0.1, skip 4
 *   Humanoid-v5     healthy 5, forward 1.25 (of the centre of mass), control 0.1, contact 5e-7 clipped to
 *                   10, z in (1.0, 2.0), noise 1e-2, skip 5 */
void env_spec_v5(env_spec *s);

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
    ENV_UNHEALTHY, /* unhealthy otherwise: the torso's angle, or a state past env.healthy_state_max */
    ENV_END_COUNT
} env_end;

extern const char *const env_end_names[ENV_END_COUNT];

#endif
