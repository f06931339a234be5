/* A trained network opened for rolling out in one process (hebes eval, hebes rollout): the
 * checkpoint, its config with the command line's overrides, the models (a stored copy where a
 * file is missing or differs), the coefficients and the observation normaliser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "es.h"
#include "run.h"

/* The config: CONFIG when given, else the checkpoint's, with the overrides; under the rules asked for. */
static int policy_config(run_policy *p, const run_policy_request *rq, char *err, size_t errlen)
{
    if (rq->config || !p->cf ? cfg_load_sets(&p->c, rq->config, rq->sets, rq->n_sets, err, errlen)
                             : ckpt_config(p->cf, &p->c, rq->sets, rq->n_sets, err, errlen))
        return -1;
    if (!task_has_network(&p->c)) {
        snprintf(err, errlen, "%s: run.task is not ant: nothing to roll out", rq->ckpt ? rq->ckpt : p->c.source);
        return -1;
    }
    if (rq->held_out) cfg_for_eval(&p->c);
    if (rq->v5) cfg_rules_v5(&p->c, rq->sets, rq->n_sets, rq->held_out ? "env.eval_max_steps" : "env.max_steps");
    return 0;
}

/* The coefficients: the checkpoint's, or generation 0's drawn from a seed; and the normaliser. */
static int policy_coefficients(run_policy *p, const run_policy_request *rq, char *err, size_t errlen)
{
    double *params = malloc(p->ws.n_params * sizeof *params);
    es_obs_stats obs = {0};
    int rc = -1;
    if (!params || wk_buffers_create(&p->wb, &p->ws))
        snprintf(err, errlen, "out of memory");
    else if (!p->cf)
        rc = 0, es_initial_params((uint64_t)(rq->param_seed >= 0 ? rq->param_seed : p->c.es.seed), &p->c.es, params,
                                  p->ws.n_params);
    else if (!ckpt_read_coefficients(p->cf, rq->which ? rq->which : "current", params, p->ws.n_params, err, errlen) &&
             !ckpt_read_obs_stats(p->cf, &obs, err, errlen))
        rc = 0;
    if (!rc && p->ws.lay.n_rules0) {
        if (!p->cf) heb_share_init(&p->ws.lay, (uint64_t)(rq->param_seed >= 0 ? rq->param_seed : p->c.es.seed), params);
        char why[CFG_ERR_MAX];
        if (heb_share_check(&p->ws.lay, params, why, sizeof why))
            rc = -1, snprintf(err, errlen, "%s: %s", rq->ckpt, why);
    }
    if (!rc) heb_coef_from_params(&p->ws.lay, params, p->wb.coef);
    if (!rc && p->cf && p->c.obs_norm) wk_set_obs_norm(&p->wb, &p->ws, &obs);
    free(params);
    return rc;
}

int run_policy_open(run_policy *p, const run_policy_request *rq, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    if ((rq->ckpt && ckpt_open(&p->cf, rq->ckpt, err, errlen)) || policy_config(p, rq, err, errlen)) return -1;
    /* The models: those asked for, else the held-out ones (eval) or the first training one (rollout). */
    p->n_models = rq->n_models ? rq->n_models : rq->held_out ? p->c.n_eval_models : 1;
    for (int m = 0; m < p->n_models; m++)
        snprintf(p->models[m], CFG_PATH_MAX, "%s",
                 rq->n_models ? rq->models[m] : rq->held_out ? p->c.eval_models[m] : p->c.models[0]);
    const char(*paths)[CFG_PATH_MAX] = (const char(*)[CFG_PATH_MAX])p->models;
    if (!(p->bundle = run_model_bundle(paths, p->n_models, p->cf, rq->who, &p->bundle_len, err, errlen))) return -1;
    ckpt_models bm;
    run_bundle_models(p->bundle, p->bundle_len, &bm);
    run_models_xml(&bm, paths, p->n_models, p->xml);
    if (wk_setup_init(&p->ws, &p->c, paths, p->xml, p->n_models, err, errlen)) return -1;
    return policy_coefficients(p, rq, err, errlen);
}

void run_policy_close(run_policy *p)
{
    if (!p) return;
    wk_buffers_free(&p->wb);
    wk_setup_free(&p->ws);
    free(p->bundle);
    ckpt_close(p->cf);
    memset(p, 0, sizeof *p);
}
