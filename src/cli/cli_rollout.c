/* hebes rollout: one episode, for checking a model, a config or a checkpoint by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_film.h"
#include "run.h"

static const cli_opt rollout_opts[] = {
    {"ckpt", "FILE", "coefficients from a checkpoint (its config is used unless CONFIG is given)"},
    {"which", "current|best", "which coefficients of the checkpoint (default current, as eval)"},
    {"param-seed", "N", "draw the coefficients as ES draws generation 0 (es.init_dist: N(0, es.init_std^2)\n"
                        "or U(-es.init_std, es.init_std)) from seed N (default run.seed)"},
    {"episode-seed", "N", "seed of the initial weights and reset noise (default 0)"},
    {"model", "FILE", "MJCF model (default: the first of env.models)"},
    {"rules", "v5", "Gymnasium's v5 reward and termination of env.body, whatever the config\n"
                    "says (docs/environment.md): the fitness is then the v5 return; ant-v5\n"
                    "is the same"},
    CLI_SET_OPT,
    {NULL, NULL, NULL},
};

static const cli_cmd rollout_cmd = {
    .name = "rollout",
    .usage = "[CONFIG] [options]",
    .about = "Runs one episode of a Hebbian network in the Ant and prints fitness, steps and why it ended.\n"
             "Coefficients come from a checkpoint (--ckpt), or are drawn as ES draws generation 0.",
    .opts = {rollout_opts, film_opts},
    .titles = {NULL, "Filming:"},
};

typedef struct {
    const char *ckpt, *which, *model, *sets[CLI_MAX_SETS];
    film_options fo;
    int n_sets, v5;
    long param_seed;
    uint64_t episode_seed; /* 64-bit, as eval's episode seeds (eval --out's episode_seed column) */
} rollout_args;

static int rollout_option(void *ctx, const char *name, const char *v)
{
    rollout_args *a = ctx;
    int film = film_option(&a->fo, name, v);
    if (film) return film < 0 ? -1 : 0;
    if (!strcmp(name, "set")) return cli_add_set(v, a->sets, &a->n_sets, CLI_MAX_SETS);
    if (!strcmp(name, "ckpt")) a->ckpt = v;
    if (!strcmp(name, "model")) a->model = v;
    if (!strcmp(name, "which")) return cli_which("rollout", v, &a->which);
    if (!strcmp(name, "rules")) return cli_rules("rollout", v, &a->v5);
    if (!strcmp(name, "param-seed")) return cli_long("--param-seed", v, 0, (1L << 53), &a->param_seed);
    if (!strcmp(name, "episode-seed")) return cli_u64("--episode-seed", v, &a->episode_seed);
    return 0;
}

/* The episode, filmed when asked, and its summary. */
static int rollout_run(const rollout_args *a, run_policy *n, char *err, size_t errlen)
{
    film_options fo = a->fo;
    film fl = {0};
    if (fo.path && (film_open(&fl, &fo, n->ws.models[0].m->opt.timestep * n->c.env.frame_skip, err, errlen) ||
                    film_model(&fl, &fo, &n->ws.models[0], n->models[0], err, errlen))) {
        film_discard(&fl);
        return -1;
    }
    wk_result r = wk_episode(&n->ws, &n->wb, 0, n->wb.coef, a->episode_seed, 0, fo.path ? film_step : NULL,
                             fo.path ? &fl : NULL);
    printf("model %s\nrule %s (%zu coefficients)\nfitness %.6f\nsteps %ld\nend %s\ndistance %.6f\n", n->models[0],
           heb_rule_names[n->c.net.rule], n->ws.n_params, r.fitness, r.steps, env_end_names[r.end],
           env_distance(&n->wb.envs[0]));
    printf("reward terms: forward %.3f healthy %.3f control_cost %.3f contact_cost %.3f\n", r.terms[0], r.terms[1],
           r.terms[2], r.terms[3]);
    printf("layer weight norms");
    for (int l = 0; l < n->ws.lay.spec.n_layers; l++) printf(" %.6g", sqrt(r.sq_norm[l]));
    printf("\n");
    if (!fo.path) return 0;
    if (film_close(&fl, err, errlen)) return -1;
    printf("%ld frames written to %s\n", fl.frames, fo.path);
    return 0;
}

int cli_rollout(int argc, char **argv)
{
    rollout_args ra = {.which = "current", .fo = {.width = 640, .height = 480}, .param_seed = -1};
    const char *pos[1];
    int n_pos, p = cli_parse(&rollout_cmd, argc, argv, rollout_option, &ra, pos, 1, &n_pos);
    if (p) return p > 0 ? CLI_OK : CLI_USAGE;
    if (ra.ckpt && ra.param_seed >= 0) {
        fprintf(stderr, "hebes rollout: --param-seed draws coefficients; --ckpt reads them: give one\n");
        return CLI_USAGE;
    }
    const cli_file in[] = {{"the config", n_pos ? pos[0] : NULL}, {"the checkpoint", ra.ckpt}, {"the model", ra.model}};
    const cli_file out[] = {{ra.fo.frames_dir ? "--frames" : "--video", ra.fo.path}};
    if (cli_outputs_apart("rollout", in, 3, out, 1)) return CLI_USAGE;
    char err[CFG_ERR_MAX * 2];
    const run_policy_request rq = {.ckpt = ra.ckpt, .config = n_pos ? pos[0] : NULL, .sets = ra.sets,
                                   .n_sets = ra.n_sets, .which = ra.which, .models = &ra.model,
                                   .n_models = ra.model ? 1 : 0, .v5 = ra.v5, .param_seed = ra.param_seed,
                                   .who = "hebes rollout"};
    run_policy n;
    int rc = CLI_ERROR;
    if (run_policy_open(&n, &rq, err, sizeof err) || rollout_run(&ra, &n, err, sizeof err))
        fprintf(stderr, "hebes rollout: %s\n", err);
    else
        rc = CLI_OK;
    run_policy_close(&n);
    return rc;
}
