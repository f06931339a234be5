/* What an environment is configured with, apart from MuJoCo: the config embeds it, and env.h
 * builds the Ant from it. */
#ifndef HEBES_ENV_SPEC_H
#define HEBES_ENV_SPEC_H

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
    int foot_contacts;          /* append 4 inputs: 1 while foot N (the body of joint ankle_N) touches the world */
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

#endif
