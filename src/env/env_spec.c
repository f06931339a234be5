/* The environment's names and presets, without MuJoCo. */
#include "env_spec.h"

const char *const env_end_names[ENV_END_COUNT] = {"running",    "time_limit", "unhealthy_low", "unhealthy_high",
                                                  "early_stop", "diverged",   "unhealthy"};
const char *const env_body_names[ENV_BODY_COUNT] = {"ant", "half_cheetah", "hopper", "walker2d", "swimmer", "humanoid"};
const char *const env_body_v5_names[ENV_BODY_COUNT] = {"Ant-v5",      "HalfCheetah-v5", "Hopper-v5",
                                                     "Walker2d-v5", "Swimmer-v5",     "Humanoid-v5"};
const char *const env_leg_names[ENV_LEG_COUNT] = {"none", "front_left", "front_right", "back_left", "back_right",
                                                  "back",  "front",      "single",     "right",     "left"};
const char *const env_term_names[ENV_TERM_COUNT] = {"forward", "healthy", "control_cost", "contact_cost"};

void env_spec_v5(env_spec *s)
{
    /* what every v5 body shares */
    s->max_steps = 1000;
    s->fitness = ENV_FITNESS_REWARD;
    s->early_stop = 0;
    s->unhealthy_grace = 0;
    s->notebook_counting = 0;
    s->fitness_scale = 1.0;
    s->forward_reward_weight = 1.0;
    s->contact_cost_weight = 0.0;
    s->contact_cost_max = 0.0;
    s->healthy_angle_min = s->healthy_angle_max = 0.0; /* off unless the body has them */
    s->healthy_state_max = 0.0;
    switch (s->body) {
    case ENV_BODY_ANT:
        s->frame_skip = 5;
        s->contact_cost_weight = 5e-4;
        s->healthy_reward = 1.0;
        s->ctrl_cost_weight = 0.5;
        s->reset_noise_scale = 0.1;
        s->healthy_z_min = 0.2;
        s->healthy_z_max = 1.0;
        break;
    case ENV_BODY_HALF_CHEETAH:
    case ENV_BODY_SWIMMER:
        s->frame_skip = s->body == ENV_BODY_SWIMMER ? 4 : 5;
        s->healthy_reward = 0.0;
        s->ctrl_cost_weight = s->body == ENV_BODY_SWIMMER ? 1e-4 : 0.1;
        s->reset_noise_scale = 0.1;
        s->healthy_z_min = -1e6; /* not read: never unhealthy, never terminated */
        s->healthy_z_max = 1e6;
        break;
    case ENV_BODY_HOPPER:
    case ENV_BODY_WALKER2D:
        s->frame_skip = 4;
        s->healthy_reward = 1.0;
        s->ctrl_cost_weight = 1e-3;
        s->reset_noise_scale = 5e-3;
        s->healthy_z_min = s->body == ENV_BODY_HOPPER ? 0.7 : 0.8;
        s->healthy_z_max = s->body == ENV_BODY_HOPPER ? 1e6 : 2.0; /* Hopper: (0.7, inf) */
        s->healthy_angle_min = s->body == ENV_BODY_HOPPER ? -0.2 : -1.0;
        s->healthy_angle_max = s->body == ENV_BODY_HOPPER ? 0.2 : 1.0;
        s->healthy_state_max = s->body == ENV_BODY_HOPPER ? 100.0 : 0.0;
        break;
    case ENV_BODY_HUMANOID:
        s->frame_skip = 5;
        s->forward_reward_weight = 1.25;
        s->contact_cost_weight = 5e-7;
        s->contact_cost_max = 10.0;
        s->healthy_reward = 5.0;
        s->ctrl_cost_weight = 0.1;
        s->reset_noise_scale = 1e-2;
        s->healthy_z_min = 1.0;
        s->healthy_z_max = 2.0;
        break;
    case ENV_BODY_COUNT:
        break;
    }
}
