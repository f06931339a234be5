/* hebes rollout: one episode, for checking a model, a config or a checkpoint by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "cli.h"
#include "cli_film.h"
#include "es.h"
#include "worker.h"

static const cli_opt rollout_opts[] = {
    {"ckpt", "FILE", "coefficients from a checkpoint (its config is used unless CONFIG is given)"},
    {"which", "current|best", "which coefficients of the checkpoint (default current, as eval)"},
    {"param-seed", "N", "draw coefficients N(0, es.init_std^2) from seed N (default run.seed)"},
    {"episode-seed", "N", "seed of the initial weights and reset noise (default 0)"},
    {"model", "FILE", "MJCF model (default: the first of env.models)"},
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
    const char *ckpt, *which, *model, *sets[64];
    film_options fo;
    int n_sets;
    long param_seed, episode_seed;
} rollout_args;

static int rollout_option(void *ctx, const char *name, const char *v)
{
    rollout_args *a = ctx;
    int film = film_option(&a->fo, name, v);
    if (film) return film < 0 ? -1 : 0;
    if (!strcmp(name, "set")) return cli_add_set(v, a->sets, &a->n_sets, 64);
    if (!strcmp(name, "ckpt")) a->ckpt = v;
    if (!strcmp(name, "model")) a->model = v;
    if (!strcmp(name, "which")) {
        if (strcmp(v, "best") && strcmp(v, "current")) {
            fprintf(stderr, "hebes rollout: --which takes current or best, not '%s'\n", v);
            return -1;
        }
        a->which = v;
    }
    if (!strcmp(name, "param-seed")) return cli_long("--param-seed", v, 0, (1L << 53), &a->param_seed);
    if (!strcmp(name, "episode-seed")) return cli_long("--episode-seed", v, 0, (1L << 53), &a->episode_seed);
    return 0;
}

int cli_rollout(int argc, char **argv)
{
    rollout_args ra = {.which = "current", .fo = {.width = 640, .height = 480}, .param_seed = -1};
    const char *pos[1];
    int n_pos, p = cli_parse(&rollout_cmd, argc, argv, rollout_option, &ra, pos, 1, &n_pos);
    if (p) return p > 0 ? CLI_OK : CLI_USAGE;
    const char *config = n_pos ? pos[0] : NULL, *ckpt = ra.ckpt, *which = ra.which, *model = ra.model;
    const char *const *sets = ra.sets;
    const int n_sets = ra.n_sets;
    const long param_seed = ra.param_seed, episode_seed = ra.episode_seed;
    film_options fo = ra.fo;
    if (ckpt && param_seed >= 0) {
        fprintf(stderr, "hebes rollout: --param-seed draws coefficients; --ckpt reads them: give one\n");
        return CLI_USAGE;
    }
    char err[CFG_ERR_MAX * 2];
    cfg c;
    ckpt_file *cf = NULL;
    int rc = CLI_ERROR;
    if (ckpt && ckpt_open(&cf, ckpt, err, sizeof err)) goto fail;
    if (config || !cf) {
        if (cli_config(&c, config, sets, n_sets, err, sizeof err)) goto fail;
    } else if (ckpt_config(cf, &c, sets, n_sets, err, sizeof err)) {
        goto fail;
    }
    if (c.task != CFG_TASK_ANT) {
        fprintf(stderr, "hebes rollout: run.task is not ant\n");
        goto fail_quiet;
    }
    char one[1][CFG_PATH_MAX];
    snprintf(one[0], sizeof one[0], "%s", model ? model : c.models[0]);
    size_t blen;
    char *bundle = cli_model_bundle((const char(*)[CFG_PATH_MAX])one, 1, cf, "hebes rollout", &blen, err, sizeof err);
    if (!bundle) goto fail;
    ckpt_models bm;
    cli_bundle_models(bundle, blen, &bm);
    wk_setup ws;
    int setup = wk_setup_init(&ws, &c, (const char(*)[CFG_PATH_MAX])one, bm.xml, 1, err, sizeof err);
    free(bundle); /* the model is parsed */
    if (setup) goto fail;
    wk_buffers wb;
    double *params = malloc(ws.n_params * sizeof *params);
    if (!params || wk_buffers_create(&wb, &ws)) {
        fprintf(stderr, "hebes rollout: out of memory\n");
        free(params);
        wk_setup_free(&ws);
        goto fail_quiet;
    }
    if (cf) {
        es_obs_stats obs;
        if (ckpt_read_coefficients(cf, which, params, ws.n_params, err, sizeof err) ||
            ckpt_read_obs_stats(cf, &obs, err, sizeof err)) {
            free(params);
            wk_buffers_free(&wb);
            wk_setup_free(&ws);
            goto fail;
        }
        if (c.obs_norm) wk_set_obs_norm(&wb, &ws, &obs);
    } else {
        es_initial_params((uint64_t)(param_seed >= 0 ? param_seed : c.seed), &c, params, ws.n_params);
    }
    heb_coef_from_params(&ws.lay, params, wb.coef);
    film fl = {0};
    if (fo.path && (film_open(&fl, &fo, ws.models[0].m->opt.timestep * c.env.frame_skip, err, sizeof err) ||
                    film_model(&fl, &fo, &ws.models[0], one[0], err, sizeof err))) {
        film_discard(&fl);
        free(params);
        wk_buffers_free(&wb);
        wk_setup_free(&ws);
        goto fail;
    }
    wk_result r = wk_episode(&ws, &wb, 0, wb.coef, (uint64_t)episode_seed, 0, fo.path ? film_step : NULL,
                             fo.path ? &fl : NULL);
    printf("model %s\nrule %s (%zu coefficients)\nfitness %.6f\nsteps %ld\nend %s\ndistance %.6f\n", one[0],
           heb_rule_names[c.net.rule], ws.n_params, r.fitness, r.steps, env_end_names[r.end],
           env_distance(&wb.envs[0]));
    printf("layer weight norms");
    for (int l = 0; l < ws.lay.spec.n_layers; l++) printf(" %.6g", sqrt(r.sq_norm[l]));
    printf("\n");
    if (fo.path) {
        int bad = film_close(&fl, err, sizeof err);
        if (!bad) printf("%ld frames written to %s\n", fl.frames, fo.path);
        free(params);
        wk_buffers_free(&wb);
        wk_setup_free(&ws);
        if (bad) goto fail;
        rc = CLI_OK;
        goto done;
    }
    free(params);
    wk_buffers_free(&wb);
    wk_setup_free(&ws);
    rc = CLI_OK;
    goto done;
fail:
    fprintf(stderr, "hebes rollout: %s\n", err);
fail_quiet:
done:
    if (cf) ckpt_close(cf);
    return rc;
}
