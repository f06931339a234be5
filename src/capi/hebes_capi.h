/* hebes's Ant for other languages: a flat C interface over src/env and src/config, with no MPI,
 * HDF5 or network in it, built into the Python package's shared core (python/setup.py) and called
 * with ctypes by hebes.envs.HebesAnt (a Gymnasium environment).
 *
 * Every episode is the one hebes plays: the config (a hebes JSON config, or the defaults) and its
 * --set overrides choose the body, damage, observation and rules exactly as `hebes rollout` does,
 * and a reset with episode seed S draws the reset noise of S's Philox stream (model index 0). */
#ifndef HEBES_CAPI_H
#define HEBES_CAPI_H

#include <stddef.h>
#include <stdint.h>

typedef struct hebes_env hebes_env;

/* Opens the Ant of config (a JSON file, or NULL for the defaults) after the overrides sets[0..n)
 * ("env.damage_leg=front_left", as --set); model: the MJCF file to run (NULL: the config's first
 * env.models entry); rules_v5: 1 applies Gymnasium Ant-v5's reward and termination over the config
 * (as --rules ant-v5; an env.max_steps among the overrides still sets the episode length). Returns NULL with a message naming the file, the key and the reason in err. */
hebes_env *hebes_env_open(const char *config, const char *const *sets, int n_sets, const char *model, int rules_v5,
                          char *err, size_t errlen);
/* Accepts NULL. */
void hebes_env_close(hebes_env *e);

int hebes_env_obs_dim(const hebes_env *e);
int hebes_env_act_dim(const hebes_env *e);
int hebes_env_max_steps(const hebes_env *e);
int hebes_env_nq(const hebes_env *e);
int hebes_env_nv(const hebes_env *e);
/* Seconds per environment step (timestep x frame skip). */
double hebes_env_dt(const hebes_env *e);

/* Resets to the state hebes draws for this episode seed and writes the first observation. */
void hebes_env_reset(hebes_env *e, uint64_t episode_seed, double *obs);
/* One environment step with action[act_dim] (clipped to [-1, 1]); writes the observation, the step
 * reward, the episode's reward terms so far (terms[4]: forward, healthy, control cost, contact
 * cost) and the torso x travelled since reset. Returns 0 while the episode runs, else how it
 * ended: hebes_env_end_name(returned value). */
int hebes_env_step(hebes_env *e, const double *action, double *obs, double *reward, double *terms, double *distance);
/* "time_limit", "unhealthy_low", "unhealthy_high", "early_stop", "diverged" ("running" for 0). */
const char *hebes_env_end_name(int end);
/* MuJoCo's state: qpos[nq], qvel[nv]. */
void hebes_env_state(const hebes_env *e, double *qpos, double *qvel);

#endif
