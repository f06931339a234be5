/* The flat C interface of hebes_capi.h: a config, one model and one episode state. */
#include "hebes_capi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "env.h"
#include "rng.h"

struct hebes_env {
    cfg c;            /* constant after open */
    env_model model;  /* constant after open */
    env_state state;  /* the episode */
};

hebes_env *hebes_env_open(const char *config, const char *const *sets, int n_sets, const char *model, int rules_v5,
                          char *err, size_t errlen)
{
    hebes_env *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    /* MuJoCo's error handlers are left alone: they are process-wide, and the host (Python's
     * mujoco bindings) installs its own. The model is checked before MuJoCo sees it. */
    if (cfg_load_sets(&e->c, config, sets, n_sets, err, errlen)) goto fail;
    if (e->c.task != CFG_TASK_ANT) {
        snprintf(err, errlen, "%s: run.task is not ant: no Ant to open", config ? config : "the defaults");
        goto fail;
    }
    if (rules_v5) cfg_rules_v5(&e->c, sets, n_sets, "env.max_steps"); /* as rollout --rules ant-v5 */
    if (env_model_load(&e->model, &e->c.env, model ? model : e->c.models[0], NULL, err, errlen)) goto fail;
    if (env_state_create(&e->state, &e->model)) {
        snprintf(err, errlen, "out of memory for MuJoCo's data");
        goto fail;
    }
    return e;
fail:
    hebes_env_close(e);
    return NULL;
}

void hebes_env_close(hebes_env *e)
{
    if (!e) return;
    if (e->state.d) env_state_free(&e->state);
    if (e->model.m) env_model_free(&e->model);
    free(e);
}

int hebes_env_obs_dim(const hebes_env *e) { return e->model.obs_dim; }
int hebes_env_act_dim(const hebes_env *e) { return e->model.act_dim; }
int hebes_env_max_steps(const hebes_env *e) { return e->c.env.max_steps; }
int hebes_env_nq(const hebes_env *e) { return e->model.m->nq; }
int hebes_env_nv(const hebes_env *e) { return e->model.m->nv; }
double hebes_env_dt(const hebes_env *e) { return e->model.m->opt.timestep * e->c.env.frame_skip; }

void hebes_env_reset(hebes_env *e, uint64_t episode_seed, double *obs)
{
    /* the episode streams of model index 0, repetition 0: those of `hebes rollout --episode-seed` */
    rng_stream reset;
    rng_episode_streams(episode_seed, 0, 0, NULL, &reset);
    env_reset(&e->state, &reset, obs);
}

int hebes_env_step(hebes_env *e, const double *action, double *obs, double *reward, double *terms, double *distance)
{
    const env_end end = env_step(&e->state, action, obs, reward);
    if (terms) memcpy(terms, e->state.terms, sizeof e->state.terms);
    if (distance) *distance = env_distance(&e->state);
    return (int)end;
}

const char *hebes_env_end_name(int end)
{
    return end >= 0 && end < ENV_END_COUNT ? env_end_names[end] : "unknown";
}

void hebes_env_state(const hebes_env *e, double *qpos, double *qvel)
{
    memcpy(qpos, e->state.d->qpos, (size_t)e->model.m->nq * sizeof *qpos);
    memcpy(qvel, e->state.d->qvel, (size_t)e->model.m->nv * sizeof *qvel);
}
