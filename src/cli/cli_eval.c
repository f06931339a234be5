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
#include "trace.h"
#include "run.h"

static const cli_opt eval_opts[] = {
    {"episodes", "N", "episodes per model (default env.eval_episodes)"},
    {"model", "FILE", "evaluate on this MJCF model (repeatable)"},
    {"which", "current|best", "coefficients to use (default current: the unperturbed coefficients\n"
                              "ES converged to; 'best' is the single candidate with the best\n"
                              "training episode, a selection biased by episode luck)"},
    {"seed", "N", "evaluation seed (default 0; episodes differ from training's;\n"
                  "run.eval_every evaluates the episodes of seed run.eval_seed)"},
    {"rules", "v5", "judge under Gymnasium's v5 reward and termination of env.body (Ant-v5,\n"
                    "Hopper-v5, ...), whatever the training config (docs/environment.md):\n"
                    "the mean column is then the v5 return; ant-v5 is the same"},
    {"out", "FILE.csv", "also write one row per episode: model, episode, seed, fitness,\n"
                        "distance, steps, end, the reward's terms (forward, healthy,\n"
                        "control_cost, contact_cost) and x_at_damage (env.damage_leg)"},
    {"per-step", "FILE.csv", "also write, per model and step, the episodes still running and\n"
                             "their mean forward velocity (m/s) and torso height"},
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
    const char *which, *trace_path, *out_path, *per_step_path, *sets[CLI_MAX_SETS];
    int v5;
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
    if (!strcmp(name, "set")) return cli_add_set(v, a->sets, &a->n_sets, CLI_MAX_SETS);
    if (!strcmp(name, "trace")) a->trace_path = v;
    if (!strcmp(name, "out")) a->out_path = v;
    if (!strcmp(name, "per-step")) a->per_step_path = v;
    if (!strcmp(name, "rules")) return cli_rules("eval", v, &a->v5);
    if (!strcmp(name, "model")) {
        if (a->n_models == CFG_MAX_MODELS) {
            fprintf(stderr, "hebes eval: more than %d --model options\n", CFG_MAX_MODELS);
            return -1;
        }
        snprintf(a->models[a->n_models++], CFG_PATH_MAX, "%s", v);
    }
    if (!strcmp(name, "which")) return cli_which("eval", v, &a->which);
    if (!strcmp(name, "episodes")) return cli_long("--episodes", v, 1, 1000000, &a->episodes);
    if (!strcmp(name, "seed")) return cli_long("--seed", v, 0, 1L << 53, &a->seed);
    if (!strcmp(name, "trace-weights-every")) return cli_long("--trace-weights-every", v, 1, 1000000, &a->every);
    return 0;
}

/* --per-step: sums over a model's episodes, per step. */
typedef struct {
    long n;           /* steps */
    double *vx, *z;   /* sums of forward velocity and torso height */
    long *count;      /* episodes that took the step */
    double prev_x, dt;
} per_step;

/* What watches an episode: the trace (first episode, first model), the film (first episode), the
 * per-step sums (every episode). */
typedef struct {
    trace *tr;
    film *fl;
    per_step *ps;
} watchers;

static int watch(void *ctx, const wk_step *st)
{
    watchers *w = ctx;
    if (w->tr) trace_record(w->tr, st->t, st->reward, st->action, st->net, st->env);
    if (w->fl) film_step(w->fl, st);
    if (w->ps && st->t <= w->ps->n) {
        per_step *p = w->ps;
        const double x = env_distance(st->env);
        if (st->t == 1) p->prev_x = 0.0;
        p->vx[st->t - 1] += (x - p->prev_x) / p->dt;
        p->z[st->t - 1] += st->env->d->qpos[2];
        p->count[st->t - 1]++;
        p->prev_x = x;
    }
    return 0;
}

/* One evaluation: the checkpoint, its network on the models, and what watches the episodes. */
typedef struct {
    const eval_args *a;
    const char *path;
    int n_models;
    long episodes;
    run_policy pol; /* the checkpoint's network on the models */
    double *fit;    /* episodes */
    trace *tr;
    FILE *out, *per_step_out;
    per_step ps;
    film fl;
    film_options fo;
} eval_run;

/* Model m as the table names it: a --model, or the checkpoint's env.eval_models entry. */
static const char *model_path(const eval_run *e, int m)
{
    return e->pol.models[m];
}

/* Checkpoint, config (with --set), models (stored copies where needed), coefficients, normaliser,
 * the --out file and the film. */
static int eval_open(eval_run *e, char *err, size_t errlen)
{
    const eval_args *a = e->a;
    const char *models[CFG_MAX_MODELS];
    for (int m = 0; m < a->n_models; m++) models[m] = a->models[m];
    const run_policy_request rq = {.ckpt = e->path, .sets = a->sets, .n_sets = a->n_sets, .which = a->which,
                                   .models = models, .n_models = a->n_models, .held_out = 1, .v5 = a->v5,
                                   .who = "hebes eval"};
    if (run_policy_open(&e->pol, &rq, err, errlen)) return -1;
    e->n_models = e->pol.n_models;
    if (!e->episodes) e->episodes = e->pol.c.eval_episodes;
    if (!(e->fit = malloc((size_t)e->episodes * sizeof *e->fit))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (a->out_path) {
        if (!(e->out = fopen(a->out_path, "w"))) {
            snprintf(err, errlen, "%s: cannot write: %s", a->out_path, strerror(errno));
            return -1;
        }
        fprintf(e->out, "model,episode,episode_seed,fitness,distance,steps,end,%s,%s,%s,%s,x_at_damage\n",
                env_term_names[0], env_term_names[1], env_term_names[2], env_term_names[3]);
    }
    if (a->per_step_path) {
        per_step *p = &e->ps;
        p->n = e->pol.c.env.max_steps;
        p->dt = e->pol.ws.models[0].m->opt.timestep * e->pol.c.env.frame_skip;
        p->vx = malloc((size_t)p->n * sizeof *p->vx);
        p->z = malloc((size_t)p->n * sizeof *p->z);
        p->count = malloc((size_t)p->n * sizeof *p->count);
        if (!p->vx || !p->z || !p->count) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        if (!(e->per_step_out = fopen(a->per_step_path, "w"))) {
            snprintf(err, errlen, "%s: cannot write: %s", a->per_step_path, strerror(errno));
            return -1;
        }
        fprintf(e->per_step_out, "model,step,episodes,vx_mean,z_mean\n");
    }
    return e->fo.path ? film_open(&e->fl, &e->fo, e->pol.ws.models[0].m->opt.timestep * e->pol.c.env.frame_skip, err, errlen)
                      : 0;
}

/* Episode ep on model m, traced (first of the first model) and filmed (first of each) as asked. */
static int eval_episode(eval_run *e, int m, long ep, wk_result *r, char *err, size_t errlen)
{
    const eval_args *a = e->a;
    const char *model = model_path(e, m);
    uint64_t es = wk_eval_episode_seed((uint64_t)a->seed, ep);
    int tracing = a->trace_path && m == 0 && ep == 0, filming = e->fo.path && ep == 0;
    if (tracing && !(e->tr = trace_create(&e->pol.ws.lay, e->pol.c.env.max_steps, (int)a->every, e->pol.ws.models[0].m->nq,
                                          e->pol.ws.models[0].m->nv))) {
        snprintf(err, errlen, "out of memory for the trace");
        return -1;
    }
    if (filming && film_model(&e->fl, &e->fo, &e->pol.ws.models[m], model, err, errlen)) return -1;
    watchers w = {tracing ? e->tr : NULL, filming ? &e->fl : NULL, e->per_step_out ? &e->ps : NULL};
    const int watched = tracing || filming || e->per_step_out;
    *r = wk_episode(&e->pol.ws, &e->pol.wb, m, e->pol.wb.coef, es, 0, watched ? watch : NULL, watched ? &w : NULL);
    if (tracing) {
        char *json = cfg_to_json(&e->pol.c);
        trace_meta meta = {.config_json = json, .model = model, .model_xml = e->pol.xml[0], .checkpoint = e->path,
                           .which = a->which,
                           .episode_seed = es, .model_index = 0, .fitness = r->fitness, .end = env_end_names[r->end]};
        int bad = json ? trace_write(e->tr, a->trace_path, &meta, err, errlen) : -1;
        if (!json) snprintf(err, errlen, "out of memory");
        free(json);
        if (bad) return -1;
    }
    char xd[32] = "", field[2 * CFG_PATH_MAX + 3];
    if (!isnan(r->x_damage)) snprintf(xd, sizeof xd, "%.17g", r->x_damage);
    if (e->out && fprintf(e->out, "%s,%ld,%llu,%.17g,%.17g,%ld,%s,%.17g,%.17g,%.17g,%.17g,%s\n",
                          cli_csv_field(model, field, sizeof field), ep,
                          (unsigned long long)es, r->fitness, r->distance, r->steps, env_end_names[r->end],
                          r->terms[0], r->terms[1], r->terms[2], r->terms[3], xd) < 0) {
        snprintf(err, errlen, "%s: cannot write: %s", a->out_path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Model m's rows of the --per-step file. */
static int write_per_step(eval_run *e, int m, char *err, size_t errlen)
{
    const per_step *p = &e->ps;
    char field[2 * CFG_PATH_MAX + 3];
    cli_csv_field(model_path(e, m), field, sizeof field);
    for (long t = 0; t < p->n && p->count[t] > 0; t++)
        if (fprintf(e->per_step_out, "%s,%ld,%ld,%.9g,%.9g\n", field, t + 1, p->count[t],
                    p->vx[t] / (double)p->count[t], p->z[t] / (double)p->count[t]) < 0) {
            snprintf(err, errlen, "%s: cannot write: %s", e->a->per_step_path, strerror(errno));
            return -1;
        }
    return 0;
}

/* Every episode on model m, and its lines of the table. */
static int eval_model(eval_run *e, int m, char *err, size_t errlen)
{
    double lo = INFINITY, hi = -INFINITY, steps = 0, dist = 0, terms[ENV_TERM_COUNT] = {0};
    int ends[ENV_END_COUNT] = {0};
    if (e->per_step_out) {
        memset(e->ps.vx, 0, (size_t)e->ps.n * sizeof *e->ps.vx);
        memset(e->ps.z, 0, (size_t)e->ps.n * sizeof *e->ps.z);
        memset(e->ps.count, 0, (size_t)e->ps.n * sizeof *e->ps.count);
    }
    for (long ep = 0; ep < e->episodes; ep++) {
        wk_result r;
        if (eval_episode(e, m, ep, &r, err, errlen)) return -1;
        for (int t = 0; t < ENV_TERM_COUNT; t++) terms[t] += r.terms[t];
        e->fit[ep] = r.fitness;
        lo = fmin(lo, r.fitness);
        hi = fmax(hi, r.fitness);
        steps += (double)r.steps;
        dist += r.distance;
        ends[r.end]++;
    }
    const long n = e->episodes;
    double mean, std;
    wk_mean_std(e->fit, sizeof *e->fit, n, &mean, &std);
    printf("%-32s %10.3f %9.3f %10.3f %10.3f %9.3f %7.1f  ends: %d %d %d %d %d", model_path(e, m), mean, std, lo, hi,
           dist / n, steps / n, ends[ENV_TIME_LIMIT], ends[ENV_TOO_LOW], ends[ENV_TOO_HIGH], ends[ENV_EARLY_STOP],
           ends[ENV_DIVERGED]);
    /* Hopper's and Walker2d's other unhealthy ends (the torso's angle, a state out of range), named
     * when there are any, so that the Ant's table keeps its columns */
    if (ends[ENV_UNHEALTHY]) printf("  unhealthy %d", ends[ENV_UNHEALTHY]);
    printf("\n");
    printf("%-32s reward terms per episode: forward %.1f  healthy %.1f  control cost %.1f  contact cost %.1f\n", "",
           terms[0] / n, terms[1] / n, terms[2] / n, terms[3] / n);
    return e->per_step_out ? write_per_step(e, m, err, errlen) : 0;
}

/* The --out file and the film finished, and said. */
static int eval_finish(eval_run *e, char *err, size_t errlen)
{
    const eval_args *a = e->a;
    if (e->out) {
        int bad = fclose(e->out) != 0;
        e->out = NULL;
        if (bad) {
            snprintf(err, errlen, "%s: cannot write: %s", a->out_path, strerror(errno));
            return -1;
        }
        printf("per-episode rows written to %s\n", a->out_path);
    }
    if (e->per_step_out) {
        int bad = fclose(e->per_step_out) != 0;
        e->per_step_out = NULL;
        if (bad) {
            snprintf(err, errlen, "%s: cannot write: %s", a->per_step_path, strerror(errno));
            return -1;
        }
        printf("per-step means written to %s\n", a->per_step_path);
    }
    if (a->trace_path) printf("trace of episode 0 on %s written to %s\n", model_path(e, 0), a->trace_path);
    if (e->fo.path) {
        if (film_close(&e->fl, err, errlen)) return -1;
        printf("%ld frames of episode 0 on %d model%s written to %s\n", e->fl.frames, e->n_models,
               e->n_models > 1 ? "s" : "", e->fo.path);
        e->fo.path = NULL;
    }
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
    for (int i = 0; i < ea.n_sets; i++)
        if (cfg_set_eval_ok(ea.sets[i]) == 0) {
            fprintf(stderr, "hebes eval: --set %s: this key changes what the coefficients mean; only keys marked "
                            "'may change on resume' or 'eval may set it' in docs/config.md can be set here\n",
                    ea.sets[i]);
            return CLI_USAGE;
        }
    if (ea.every && !ea.trace_path) {
        fprintf(stderr, "hebes eval: --trace-weights-every needs --trace FILE\n");
        return CLI_USAGE;
    }
    cli_file in[1 + CFG_MAX_MODELS] = {{"the checkpoint", pos[0]}};
    for (int m = 0; m < ea.n_models; m++) in[1 + m] = (cli_file){"the model", ea.models[m]};
    const cli_file out[] = {{"--out", ea.out_path}, {"--per-step", ea.per_step_path}, {"--trace", ea.trace_path},
                            {ea.fo.frames_dir ? "--frames" : "--video", ea.fo.path}};
    if (cli_outputs_apart("eval", in, 1 + ea.n_models, out, 4)) return CLI_USAGE;
    char err[2 * CFG_ERR_MAX];
    eval_run e = {.a = &ea, .path = pos[0], .n_models = ea.n_models, .episodes = ea.episodes, .fo = ea.fo};
    int rc = CLI_ERROR;
    if (eval_open(&e, err, sizeof err)) goto fail;
    char rules[96] = "";
    if (ea.v5) { /* the body's own v5 environment: the mean column is its return */
        const char *v5 = env_body_v5_names[e.pol.c.env.body];
        snprintf(rules, sizeof rules, ", Gymnasium %s's rules (mean = %s return)", v5, v5);
    }
    printf("checkpoint %s (%s coefficients, rule %s), %ld episode%s per model, seed %ld%s\n", e.path, ea.which,
           ckpt_get_layout(e.pol.cf)->rule, e.episodes, e.episodes == 1 ? "" : "s", ea.seed, rules);
    if (e.pol.c.env.damage_leg != ENV_LEG_NONE)
        printf("damage: the %s leg's motors give %g of their torque from step %d on\n",
               env_leg_names[e.pol.c.env.damage_leg], e.pol.c.env.damage_gear, e.pol.c.env.damage_step);
    printf("%-32s %10s %9s %10s %10s %9s %7s  ends: %s %s %s %s %s\n", "model", "mean", "std", "min", "max",
           "distance", "steps", env_end_names[ENV_TIME_LIMIT], env_end_names[ENV_TOO_LOW],
           env_end_names[ENV_TOO_HIGH], env_end_names[ENV_EARLY_STOP], env_end_names[ENV_DIVERGED]);
    for (int m = 0; m < e.n_models; m++)
        if (eval_model(&e, m, err, sizeof err)) goto fail;
    if (eval_finish(&e, err, sizeof err)) goto fail;
    rc = CLI_OK;
    goto done;
fail:
    fprintf(stderr, "hebes eval: %s\n", err);
done:
    if (e.fo.path) film_discard(&e.fl);
    if (e.out) fclose(e.out);
    if (e.per_step_out) fclose(e.per_step_out);
    free(e.ps.vx);
    free(e.ps.z);
    free(e.ps.count);
    trace_free(e.tr);
    free(e.fit);
    run_policy_close(&e.pol);
    return rc;
}

static const cli_opt inspect_opts[] = {
    {"config", NULL, "also print the stored configuration"},
    {"hash", NULL, "print 64-bit FNV-1a hashes of the exact bits of the current and best\n"
                   "coefficients and the optimizer state, with PGPE's sigmas and ClipUp's\n"
                   "velocity when the run has them (to compare runs)"},
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
    if (es_state_create(&s, (size_t)ckpt_n_params(cf), &c.es)) {
        snprintf(err, sizeof err, "%s declares %lld coefficients: cannot allocate them (damaged file?)", path,
                 ckpt_n_params(cf));
        goto fail;
    }
    if (ckpt_read_state(cf, &s, err, sizeof err)) goto fail;
    const ckpt_layout *l = ckpt_get_layout(cf);
    printf("checkpoint   %s\nrun          %s (seed %lld, task %s)\n", path, c.name, (long long)c.es.seed,
           cfg_enum_name("run.task", (int)c.task));
    const char *engine = ckpt_engine(cf); /* of the write; a resume may have changed it before */
    printf("engine       %s%s\n", engine ? "MuJoCo " : "",
           engine ? engine : "not recorded (written before hebes kept it)");
    printf("network      rule %s, layers", l->rule);
    for (int k = 0; k <= l->n_layers; k++) printf("%s%d", k ? "-" : " ", l->sizes[k]);
    printf(", %lld parameters\n", l->n_params);
    heb_spec spec = c.net; /* the stored network's layout, to read the shared rules' count where it sits */
    spec.n_layers = l->n_layers;
    memcpy(spec.sizes, l->sizes, sizeof spec.sizes);
    heb_layout lay;
    char why[256];
    if (heb_shared(&spec) && heb_layout_init(&lay, &spec, why, sizeof why) == 0 && lay.n_params == s.n) {
        printf("shared rules %.0f in use for %zu synapses (%zu slots; net.merge_every %d", s.h[lay.share_off],
               lay.total_syn, lay.n_rules0, c.net.merge_every); /* as stored: a damaged count shows as it is */
        if (c.net.merge_every > 0 && s.merged_at >= 0)
            printf(", last merged after generation %lld", (long long)s.merged_at);
        else if (c.net.merge_every > 0)
            printf(", not merged yet");
        printf(")\n");
    }
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
        if (s.sigmas) printf("hash sigmas  %016llx\n", (unsigned long long)ckpt_fnv1a(s.sigmas, s.n * sizeof *s.h));
        if (s.velocity)
            printf("hash velocity %016llx\n", (unsigned long long)ckpt_fnv1a(s.velocity, s.n * sizeof *s.h));
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
