/* hebes eval and hebes inspect: how well a checkpoint walks, and what it holds. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "cli.h"
#include "cli_film.h"
#include "rng.h"
#include "trace.h"
#include "worker.h"

static const cli_opt eval_opts[] = {
    {"episodes", "N", "episodes per model (default env.eval_episodes)"},
    {"model", "FILE", "evaluate on this MJCF model (repeatable)"},
    {"which", "current|best", "coefficients to use (default current: the unperturbed coefficients\n"
                              "ES converged to; 'best' is the single candidate with the best\n"
                              "training episode, a selection biased by episode luck)"},
    {"seed", "N", "evaluation seed (default 0; episodes differ from training's;\n"
                  "run.eval_every evaluates the episodes of seed run.eval_seed)"},
    {"out", "FILE.csv", "also write one row per episode: model, episode, seed, fitness,\n"
                        "distance, steps, end"},
    {"trace", "OUT.h5", "record the first episode on the first model step by step"},
    {"trace-weights-every", "K", "also store all weights every K steps in the trace"},
    {"set", "KEY=VALUE", "override a config key that may change on resume (such as\n"
                         "env.eval_max_steps, the episode length; default env.max_steps)"},
    {NULL, NULL, NULL},
};

static const cli_cmd eval_cmd = {
    .name = "eval",
    .usage = "CKPT [options]",
    .about = "Mean +- std fitness of a checkpoint's coefficients over seeded episodes, per model\n"
             "(default models: env.eval_models of the checkpoint's config), and how the episodes ended.",
    .opts = {eval_opts, film_opts},
    .titles = {NULL, "Filming (episode 0 of every model, one after another):"},
};

typedef struct {
    const char *which, *trace_path, *out_path, *sets[64];
    film_options fo;
    char models[CFG_MAX_MODELS][CFG_PATH_MAX];
    int n_sets, n_models;
    long episodes, seed, every;
} eval_args;

static int eval_option(void *ctx, const char *name, const char *v)
{
    eval_args *a = ctx;
    int film = film_option(&a->fo, name, v);
    if (film) return film < 0 ? -1 : 0;
    if (!strcmp(name, "set")) return cli_add_set(v, a->sets, &a->n_sets, 64);
    if (!strcmp(name, "trace")) a->trace_path = v;
    if (!strcmp(name, "out")) a->out_path = v;
    if (!strcmp(name, "model")) {
        if (a->n_models == CFG_MAX_MODELS) {
            fprintf(stderr, "hebes eval: more than %d --model options\n", CFG_MAX_MODELS);
            return -1;
        }
        snprintf(a->models[a->n_models++], CFG_PATH_MAX, "%s", v);
    }
    if (!strcmp(name, "which")) {
        if (strcmp(v, "best") && strcmp(v, "current")) {
            fprintf(stderr, "hebes eval: --which takes current or best, not '%s'\n", v);
            return -1;
        }
        a->which = v;
    }
    if (!strcmp(name, "episodes")) return cli_long("--episodes", v, 1, 1000000, &a->episodes);
    if (!strcmp(name, "seed")) return cli_long("--seed", v, 0, 1L << 53, &a->seed);
    if (!strcmp(name, "trace-weights-every")) return cli_long("--trace-weights-every", v, 1, 1000000, &a->every);
    return 0;
}

/* What watches an episode: the trace (first episode, first model), the film (first episode). */
typedef struct {
    trace *tr;
    film *fl;
} watchers;

static int watch(void *ctx, const wk_step *st)
{
    watchers *w = ctx;
    if (w->tr) trace_record(w->tr, st->t, st->reward, st->action, st->net, st->env);
    if (w->fl) film_step(w->fl, st);
    return 0;
}

int cli_eval(int argc, char **argv)
{
    eval_args ea = {.which = "current", .fo = {.width = 640, .height = 480}};
    const char *pos[1];
    int n_pos, p = cli_parse(&eval_cmd, argc, argv, eval_option, &ea, pos, 1, &n_pos);
    if (p) return p > 0 ? CLI_OK : CLI_USAGE;
    if (!n_pos) {
        cli_help(&eval_cmd, stderr);
        return CLI_USAGE;
    }
    const char *path = pos[0], *which = ea.which, *trace_path = ea.trace_path, *out_path = ea.out_path;
    const char *const *sets = ea.sets;
    film_options fo = ea.fo;
    film fl = {0};
    char (*models)[CFG_PATH_MAX] = ea.models;
    const int n_sets = ea.n_sets;
    int n_models = ea.n_models;
    long episodes = ea.episodes;
    const long seed = ea.seed, every = ea.every;
    for (int i = 0; i < n_sets; i++)
        if (cfg_set_may_change(sets[i]) == 0) {
            fprintf(stderr, "hebes eval: --set %s: this key changes what the coefficients mean; only keys marked "
                            "'may change on resume' in docs/config.md can be set here\n", sets[i]);
            return CLI_USAGE;
        }
    if (every && !trace_path) {
        fprintf(stderr, "hebes eval: --trace-weights-every needs --trace FILE\n");
        return CLI_USAGE;
    }
    env_quiet_mujoco();
    char err[2 * CFG_ERR_MAX];
    ckpt_file *cf = NULL;
    cfg c;
    wk_setup ws = {0};
    wk_buffers wb = {0};
    double *params = NULL, *fit = NULL;
    trace *tr = NULL;
    FILE *out = NULL;
    int rc = CLI_ERROR;
    if (ckpt_open(&cf, path, err, sizeof err) || ckpt_config(cf, &c, sets, n_sets, err, sizeof err)) goto fail;
    if (c.task != CFG_TASK_ANT) {
        snprintf(err, sizeof err, "%s: run.task is not ant: nothing to roll out", path);
        goto fail;
    }
    cfg_for_eval(&c);
    if (!n_models) {
        n_models = c.n_eval_models;
        memcpy(models, c.eval_models, sizeof ea.models);
    }
    if (!episodes) episodes = c.eval_episodes;
    size_t blen;
    char *bundle = cli_model_bundle((const char(*)[CFG_PATH_MAX])models, n_models, cf, "hebes eval", &blen, err,
                                    sizeof err);
    if (!bundle) goto fail;
    ckpt_models bm;
    const char *xml[CFG_MAX_MODELS];
    cli_bundle_models(bundle, blen, &bm);
    cli_models_xml(&bm, (const char(*)[CFG_PATH_MAX])models, n_models, xml);
    int setup = wk_setup_init(&ws, &c, (const char(*)[CFG_PATH_MAX])models, xml, n_models, err, sizeof err);
    free(bundle); /* the models are parsed */
    if (setup) goto fail;
    params = malloc(ws.n_params * sizeof *params);
    fit = malloc((size_t)episodes * sizeof *fit);
    if (!params || !fit || wk_buffers_create(&wb, &ws)) {
        snprintf(err, sizeof err, "out of memory");
        goto fail;
    }
    if (ckpt_read_coefficients(cf, which, params, ws.n_params, err, sizeof err)) goto fail;
    heb_coef_from_params(&ws.lay, params, wb.coef);
    es_obs_stats obs;
    if (ckpt_read_obs_stats(cf, &obs, err, sizeof err)) goto fail;
    if (c.obs_norm) wk_set_obs_norm(&wb, &ws, &obs);
    const ckpt_layout *cl = ckpt_get_layout(cf);
    if (out_path) {
        if (!(out = fopen(out_path, "w"))) {
            snprintf(err, sizeof err, "%s: cannot write: %s", out_path, strerror(errno));
            goto fail;
        }
        fprintf(out, "model,episode,episode_seed,fitness,distance,steps,end\n");
    }
    if (fo.path && film_open(&fl, &fo, ws.models[0].m->opt.timestep * c.env.frame_skip, err, sizeof err)) goto fail;
    printf("checkpoint %s (%s coefficients, rule %s), %ld episode%s per model, seed %ld\n", path, which, cl->rule,
           episodes, episodes == 1 ? "" : "s", seed);
    printf("%-32s %10s %9s %10s %10s %9s %7s  ends: %s %s %s %s %s\n", "model", "mean", "std", "min", "max",
           "distance", "steps", env_end_names[ENV_TIME_LIMIT], env_end_names[ENV_TOO_LOW],
           env_end_names[ENV_TOO_HIGH], env_end_names[ENV_EARLY_STOP], env_end_names[ENV_DIVERGED]);
    for (int m = 0; m < n_models; m++) {
        double sum = 0, sq = 0, lo = INFINITY, hi = -INFINITY, steps = 0, dist = 0;
        int ends[ENV_END_COUNT] = {0};
        for (long e = 0; e < episodes; e++) {
            uint64_t es = wk_eval_episode_seed((uint64_t)seed, e);
            int tracing = trace_path && m == 0 && e == 0, filming = fo.path && e == 0;
            if (tracing && !(tr = trace_create(&ws.lay, c.env.max_steps, (int)every, ws.models[0].m->nq,
                                               ws.models[0].m->nv))) {
                snprintf(err, sizeof err, "out of memory for the trace");
                goto fail;
            }
            if (filming && film_model(&fl, &fo, &ws.models[m], models[m], err, sizeof err)) goto fail;
            watchers w = {tracing ? tr : NULL, filming ? &fl : NULL};
            wk_result r = wk_episode(&ws, &wb, m, wb.coef, es, 0, tracing || filming ? watch : NULL,
                                     tracing || filming ? &w : NULL);
            if (tracing) {
                char *json = cfg_to_json(&c);
                trace_meta meta = {.config_json = json, .model = models[0], .checkpoint = path, .which = which,
                                   .episode_seed = es, .model_index = 0, .fitness = r.fitness,
                                   .end = env_end_names[r.end]};
                int w = json ? trace_write(tr, trace_path, &meta, err, sizeof err) : -1;
                if (!json) snprintf(err, sizeof err, "out of memory");
                free(json);
                if (w) goto fail;
            }
            fit[e] = r.fitness;
            sum += r.fitness;
            lo = fmin(lo, r.fitness);
            hi = fmax(hi, r.fitness);
            steps += (double)r.steps;
            dist += r.distance;
            ends[r.end]++;
            if (out && fprintf(out, "%s,%ld,%llu,%.17g,%.17g,%ld,%s\n", models[m], e, (unsigned long long)es,
                               r.fitness, r.distance, r.steps, env_end_names[r.end]) < 0) {
                snprintf(err, sizeof err, "%s: cannot write: %s", out_path, strerror(errno));
                goto fail;
            }
        }
        double mean = sum / episodes;
        for (long e = 0; e < episodes; e++) sq += (fit[e] - mean) * (fit[e] - mean);
        printf("%-32s %10.3f %9.3f %10.3f %10.3f %9.3f %7.1f  ends: %d %d %d %d %d\n", models[m], mean,
               sqrt(sq / episodes), lo, hi, dist / episodes, steps / episodes, ends[ENV_TIME_LIMIT],
               ends[ENV_TOO_LOW], ends[ENV_TOO_HIGH], ends[ENV_EARLY_STOP], ends[ENV_DIVERGED]);
    }
    if (out) {
        int bad = fclose(out) != 0;
        out = NULL;
        if (bad) {
            snprintf(err, sizeof err, "%s: cannot write: %s", out_path, strerror(errno));
            goto fail;
        }
        printf("per-episode rows written to %s\n", out_path);
    }
    if (trace_path) printf("trace of episode 0 on %s written to %s\n", models[0], trace_path);
    if (fo.path) {
        if (film_close(&fl, err, sizeof err)) goto fail;
        printf("%ld frames of episode 0 on %d model%s written to %s\n", fl.frames, n_models, n_models > 1 ? "s" : "",
               fo.path);
        fo.path = NULL;
    }
    rc = CLI_OK;
    goto done;
fail:
    fprintf(stderr, "hebes eval: %s\n", err);
done:
    if (fo.path) film_discard(&fl);
    if (out) fclose(out);
    trace_free(tr);
    free(params);
    free(fit);
    wk_buffers_free(&wb);
    wk_setup_free(&ws);
    ckpt_close(cf);
    return rc;
}

static const cli_opt inspect_opts[] = {
    {"config", NULL, "also print the stored configuration"},
    {"hash", NULL, "print 64-bit FNV-1a hashes of the exact bits of the current and best\n"
                   "coefficients and the optimizer state (to compare runs)"},
    {NULL, NULL, NULL},
};

static const cli_cmd inspect_cmd = {
    .name = "inspect",
    .usage = "CKPT [--config] [--hash]",
    .about = "Summary of a checkpoint: version, network, generation, lr, sigma, fitness so far.",
    .opts = {inspect_opts},
};

static int inspect_option(void *ctx, const char *name, const char *v)
{
    (void)v;
    int *flags = ctx; /* [config, hash] */
    flags[!strcmp(name, "hash")] = 1;
    return 0;
}

int cli_inspect(int argc, char **argv)
{
    int flags[2] = {0, 0};
    const char *pos[1];
    int n_pos, p = cli_parse(&inspect_cmd, argc, argv, inspect_option, flags, pos, 1, &n_pos);
    if (p) return p > 0 ? CLI_OK : CLI_USAGE;
    if (!n_pos) {
        cli_help(&inspect_cmd, stderr);
        return CLI_USAGE;
    }
    const char *path = pos[0];
    const int show_config = flags[0], show_hash = flags[1];
    char err[2 * CFG_ERR_MAX];
    ckpt_file *cf = NULL;
    es_state s = {0};
    cfg c;
    int rc = CLI_ERROR;
    /* Only reads the file: the config is not validated (its model files need not exist here). */
    char src[CFG_PATH_MAX + 16];
    snprintf(src, sizeof src, "%s:/config", path);
    if (ckpt_open(&cf, path, err, sizeof err) || cfg_read_text(&c, ckpt_config_text(cf), src, err, sizeof err))
        goto fail;
    if (es_state_create(&s, (size_t)ckpt_n_params(cf))) {
        snprintf(err, sizeof err, "%s declares %lld coefficients: cannot allocate them (damaged file?)", path,
                 ckpt_n_params(cf));
        goto fail;
    }
    if (ckpt_read_state(cf, &s, err, sizeof err)) goto fail;
    const ckpt_layout *l = ckpt_get_layout(cf);
    printf("checkpoint   %s\nrun          %s (seed %lld, task %s)\n", path, c.name, (long long)c.seed,
           c.task == CFG_TASK_ANT ? "ant" : "quadratic");
    printf("network      rule %s, layers", l->rule);
    for (int k = 0; k <= l->n_layers; k++) printf("%s%d", k ? "-" : " ", l->sizes[k]);
    printf(", %lld parameters\n", l->n_params);
    printf("generation   %lld of %d\nlr           %.6g\nsigma        %.6g\n", (long long)s.generation,
           c.generations, s.lr, s.sigma);
    if (s.origin[0]) printf("started from %s\n", s.origin);
    printf("best-ever    %.4f (generation %lld)\nenv steps    %lld in %.1f s\n", s.best_fitness,
           (long long)s.best_generation, (long long)s.total_steps, s.elapsed);
    size_t from = s.n_hist > 10 ? s.n_hist - 10 : 0;
    if (s.n_hist) printf("%10s %12s %12s %12s %12s\n", "generation", "mean", "max", "min", "best-ever");
    for (size_t i = from; i < s.n_hist; i++)
        printf("%10lld %12.3f %12.3f %12.3f %12.3f\n", (long long)s.hist[i].generation, s.hist[i].mean,
               s.hist[i].max, s.hist[i].min, s.hist[i].best_ever);
    if (show_hash) {
        printf("hash current %016llx\nhash best    %016llx\nhash adam    %016llx\n",
               (unsigned long long)ckpt_fnv1a(s.h, s.n * sizeof *s.h), (unsigned long long)ckpt_fnv1a(s.best_h, s.n * sizeof *s.h),
               (unsigned long long)(ckpt_fnv1a(s.adam_m, s.n * sizeof *s.h) ^ ckpt_fnv1a(s.adam_v, s.n * sizeof *s.h)));
    }
    if (show_config) printf("config\n%s\n", ckpt_config_text(cf));
    rc = CLI_OK;
    goto done;
fail:
    fprintf(stderr, "hebes inspect: %s\n", err);
done:
    es_state_free(&s);
    ckpt_close(cf);
    return rc;
}
