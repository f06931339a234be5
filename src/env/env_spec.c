/* The environment's names and presets, without MuJoCo. */
#include "env_spec.h"

const char *const env_end_names[ENV_END_COUNT] = {"running",  "time_limit", "unhealthy_low", "unhealthy_high",
                                                  "early_stop", "diverged"};
const char *const env_leg_names[5] = {"none", "front_left", "front_right", "back_left", "back_right"};
const char *const env_term_names[ENV_TERM_COUNT] = {"forward", "healthy", "control_cost", "contact_cost"};

void env_spec_ant_v5(env_spec *s)
{
    s->frame_skip = 5;
    s->max_steps = 1000;
    s->contact_cost_weight = 5e-4;
    s->healthy_reward = 1.0;
    s->ctrl_cost_weight = 0.5;
    s->reset_noise_scale = 0.1;
    s->healthy_z_min = 0.2;
    s->healthy_z_max = 1.0;
    s->fitness = ENV_FITNESS_REWARD;
    s->early_stop = 0;
    s->unhealthy_grace = 0;
    s->notebook_counting = 0;
    s->fitness_scale = 1.0;
}

