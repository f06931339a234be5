/* hebes replay: a recorded episode (hebes eval --trace) played back without the network: its
 * actions replayed from the recorded reset must give the recorded states, and its states filmed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "cli.h"
#include "cli_film.h"
#include "trace.h"

static const cli_opt replay_opts[] = {
    {"model", "FILE", "MJCF model to replay on (default: the recorded path, or the copy the trace\n"
                      "stores when that file is missing or differs)"},
    {NULL, NULL, NULL},
};

static const cli_cmd replay_cmd = {
    .name = "replay",
    .usage = "TRACE.h5 [options]",
    .about = "Replays the actions of a recorded episode (hebes eval --trace) from its recorded reset\n"
             "(model, episode seed) and checks that MuJoCo reaches the recorded qpos and qvel at every\n"
             "step; exit 1 if not. With --video or --frames, films the recorded states (no network).",
    .opts = {replay_opts, film_opts},
    .titles = {NULL, "Filming:"},
};

typedef struct {
    const char *model;
    film_options fo;
} replay_args;

static int replay_option(void *ctx, const char *name, const char *v)
{
    replay_args *a = ctx;
    int film = film_option(&a->fo, name, v);
    if (film) return film < 0 ? -1 : 0;
    if (!strcmp(name, "model")) a->model = v;
    return 0;
}

/* How a replay differs from the recording: the values that are not equal (a NaN equals nothing),
 * the first step with one, and the largest difference (NaN once a NaN took part). */
typedef struct {
    long differ, first_step;
    double largest;
} replay_diff;

static void compare(replay_diff *d, double replayed, double recorded, long step)
{
    if (replayed == recorded) return;
    const double g = fabs(replayed - recorded);
    if (!d->differ++) d->first_step = step;
    if (isnan(g) || isnan(d->largest)) d->largest = NAN;
    else if (g > d->largest) d->largest = g;
}

/* The replayed states against the recorded ones over the episode; differ -1: out of memory. */
static replay_diff replay_compare(const env_model *em, const trace_recording *r)
{
    replay_diff d = {0, 0, 0.0};
    env_state es;
    if (env_state_create(&es, em)) return (replay_diff){-1, 0, 0.0};
    rng_stream rrng;
    rng_episode_streams(r->episode_seed, (uint32_t)r->model_index, 0, NULL, &rrng);
    double *obs = calloc((size_t)em->obs_dim + 1, sizeof *obs), rew;
    if (!obs) {
        env_state_free(&es);
        return (replay_diff){-1, 0, 0.0};
    }
    env_reset(&es, &rrng, obs);
    for (long long t = 0; t < r->steps; t++) {
        env_step(&es, r->action + (size_t)t * r->na, obs, &rew);
        for (int i = 0; i < r->nq; i++) compare(&d, es.d->qpos[i], r->qpos[(size_t)t * r->nq + i], (long)t + 1);
        for (int i = 0; i < r->nv; i++) compare(&d, es.d->qvel[i], r->qvel[(size_t)t * r->nv + i], (long)t + 1);
    }
    free(obs);
    env_state_free(&es);
    return d;
}

static int film_recording(const env_model *em, const trace_recording *r, const film_options *fo, char *err, size_t errlen)
{
    film fl;
    env_state es;
    if (env_state_create(&es, em)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    double x0 = 0.0;
    int rc = film_open(&fl, fo, em->m->opt.timestep * em->spec.frame_skip, err, errlen) ||
             film_model(&fl, fo, em, r->model, err, errlen);
    for (long long t = 0; !rc && t < r->steps; t++) {
        memcpy(es.d->qpos, r->qpos + (size_t)t * r->nq, (size_t)r->nq * sizeof(double));
        memcpy(es.d->qvel, r->qvel + (size_t)t * r->nv, (size_t)r->nv * sizeof(double));
        mj_forward(em->m, es.d);
        if (t == 0) x0 = es.d->xpos[3 * em->torso]; /* distances from the first recorded step */
        es.x0 = x0;
        wk_step st = {.t = (long)t + 1, .env = &es};
        film_step(&fl, &st);
        rc = fl.failed;
    }
    if (rc) {
        if (fl.failed) snprintf(err, errlen, "%s", fl.err);
        film_discard(&fl);
    } else {
        rc = film_close(&fl, err, errlen);
        if (!rc) printf("%ld frames of the recorded states written to %s\n", fl.frames, fo->path);
    }
    env_state_free(&es);
    return rc ? -1 : 0;
}

/* The model the trace ran on: --model, or the recorded path, or the trace's stored copy of it
 * (version 3) when the file is missing or differs (said on stderr). */
static int load_model(const char *path, const trace_recording *r, const char *model, const cfg *c, env_model *em,
                      const char **used, char *err, size_t errlen)
{
    if (model) {
        *used = model;
        return env_model_load(em, &c->env, model, NULL, err, errlen);
    }
    *used = r->model;
    char read_err[CFG_PATH_MAX + 128];
    char *file = env_read_file(r->model, read_err, sizeof read_err);
    const char *xml = file;
    if (r->model_xml && (!file || strcmp(file, r->model_xml))) {
        fprintf(stderr, "hebes replay: note: %s %s; using the copy stored in the trace\n", r->model,
                file ? "differs from the recorded model" : "not found");
        xml = r->model_xml;
    }
    int rc = -1;
    if (!xml)
        snprintf(err, errlen, "%s: the trace's model %s (a version %d trace stores none: give --model FILE)", path,
                 read_err, r->version);
    else if ((rc = env_model_load(em, &c->env, r->model, xml, err, errlen)) && xml == r->model_xml) {
        /* the stored copy is at fault, not the file of that name (which is missing or differs) */
        char inner[2 * CFG_ERR_MAX];
        snprintf(inner, sizeof inner, "%s", err);
        snprintf(err, errlen, "%s: the model stored in the trace (/model_xml, a copy of %s) is damaged: %.900s", path,
                 r->model, inner);
    }
    free(file);
    return rc;
}

/* The recorded episode's model, its states and actions, replayed and checked step by step. */
static int replay(const char *path, const char *model, trace_recording *r, env_model *em, char *err, size_t errlen)
{
    cfg c;
    char src[CFG_PATH_MAX + 16];
    snprintf(src, sizeof src, "%s:/config", path);
    const char *used;
    if (cfg_read_text(&c, r->config, src, err, errlen) || load_model(path, r, model, &c, em, &used, err, errlen) ||
        trace_read_states(r, path, em->m->nq, em->m->nv, em->act_dim, err, errlen))
        return -1;
    const replay_diff d = replay_compare(em, r);
    if (d.differ < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (d.differ) {
        snprintf(err, errlen,
                 "%s: replaying the recorded actions does not reproduce the recorded states: %ld values differ, the "
                 "first at step %ld (largest difference %.3g%s): a damaged trace, or another model file, MuJoCo "
                 "build or CPU?",
                 path, d.differ, d.first_step, d.largest, isnan(d.largest) ? ", a NaN" : "");
        return -1;
    }
    printf("replay of %lld steps on %s reproduces the recorded qpos and qvel exactly\n", r->steps, used);
    return 0;
}

int cli_replay(int argc, char **argv)
{
    replay_args ra = {.fo = {.width = 640, .height = 480}};
    const char *pos[1];
    int n_pos, p = cli_parse(&replay_cmd, argc, argv, replay_option, &ra, pos, 1, &n_pos);
    if (p) return p > 0 ? CLI_OK : CLI_USAGE;
    if (!n_pos) {
        cli_help(&replay_cmd, stderr);
        return CLI_USAGE;
    }
    const char *path = pos[0];
    const cli_file in[] = {{"the trace", path}, {"the model", ra.model}};
    const cli_file out[] = {{ra.fo.frames_dir ? "--frames" : "--video", ra.fo.path}};
    if (cli_outputs_apart("replay", in, 2, out, 1)) return CLI_USAGE;
    char err[2 * CFG_ERR_MAX];
    trace_recording r = {0};
    env_model em = {0};
    int rc = CLI_ERROR;
    if (!trace_read(&r, path, err, sizeof err) && !replay(path, ra.model, &r, &em, err, sizeof err) &&
        !(ra.fo.path && film_recording(&em, &r, &ra.fo, err, sizeof err)))
        rc = CLI_OK;
    if (rc != CLI_OK) fprintf(stderr, "hebes replay: %s\n", err);
    env_model_free(&em);
    trace_recording_free(&r);
    return rc;
}
