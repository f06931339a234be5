/* The training run as every rank holds it: opened once (config read once on rank 0, models loaded
 * once there and sent to the others as text, the run folder prepared and locked, the starting
 * state on every replica), trained, closed. hebes train is this and its options and printing. */
#define _GNU_SOURCE /* F_OFD_SETLK */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"

static int mkdir_p(const char *path)
{
    char tmp[CFG_PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0775) && errno != EEXIST) return -1;
            *p = '/';
        }
    return mkdir(tmp, 0775) && errno != EEXIST ? -1 : 0;
}
/* One training per run folder: a POSIX lock on NAME/.lock, held for the whole run and released
 * by the kernel however the process ends. Its content names the holder; a file whose lock is
 * free was left by a process that died (crash, kill -9), which is said and taken over. */
static int lock_run_folder(const char *run_dir, int *fd_out, char *err, size_t errlen)
{
    char path[CFG_PATH_MAX + 16], prev[128] = "";
    snprintf(path, sizeof path, "%s/.lock", run_dir);
    int fd = open(path, O_RDWR | O_CREAT, 0664);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot open the run folder's lock: %s", path, strerror(errno));
        return -1;
    }
    ssize_t got = read(fd, prev, sizeof prev - 1);
    prev[got > 0 ? got : 0] = 0;
    prev[strcspn(prev, "\n")] = 0;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    /* A lock of the open file, not of the process (Linux's OFD locks): a second run opened in the
     * same process (a test, a binding) is refused as another process's would be. */
#ifdef F_OFD_SETLK
    const int how = F_OFD_SETLK;
#else
    const int how = F_SETLK;
#endif
    if (fcntl(fd, how, &fl) < 0) {
        snprintf(err, errlen, "%s is in use by another hebes train (%s); wait for it, or set another run.name",
                 run_dir, prev[0] ? prev : "holder unknown");
        close(fd);
        return -1;
    }
    if (prev[0])
        fprintf(stderr, "hebes train: note: %s was left by a run that did not end cleanly (%s); taking it over\n",
                path, prev);
    char me[128];
    int n = snprintf(me, sizeof me, "pid %ld\n", (long)getpid());
    if (ftruncate(fd, 0) || pwrite(fd, me, (size_t)n, 0) != n) {
        snprintf(err, errlen, "%s: cannot write the run folder's lock: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    *fd_out = fd;
    return 0;
}

/* A clean end empties the lock file (the lock itself goes with the process). */
static void unlock_run_folder(int fd)
{
    if (fd < 0) return;
    if (ftruncate(fd, 0)) { /* a stale note at the next start is all it costs */
    }
    close(fd);
}
/* A new run's starting coefficients (and observation statistics) from another run's checkpoint. */
static int init_from(const run_request *a, const cfg *c, const wk_setup *ws, es_state *s, char *err, size_t errlen)
{
    const int best = a->init_which && !strcmp(a->init_which, "best");
    ckpt_file *f = NULL;
    if (ckpt_open(&f, a->init_from, err, errlen)) return -1;
    const ckpt_layout *l = ckpt_get_layout(f);
    int same = !strcmp(l->rule, heb_rule_names[ws->lay.spec.rule]) && l->n_layers == ws->lay.spec.n_layers;
    for (int i = 0; same && i <= l->n_layers; i++) same = l->sizes[i] == ws->lay.spec.sizes[i];
    /* Evolve & Merge from a per-synapse run: one rule per synapse, its own coefficients */
    const int per_synapse = same && ws->lay.n_rules0 == ws->lay.total_syn && l->n_params == (long long)ws->lay.n_coef;
    same = same && (l->n_params == (long long)ws->n_params || per_synapse);
    es_state o = {0};
    int rc = -1;
    if (!same) {
        snprintf(err, errlen, "--init-from %s: its network (%s, %lld parameters) is not this config's (%s, %zu)",
                 a->init_from, l->rule, l->n_params, heb_rule_names[ws->lay.spec.rule], ws->n_params);
    } else if (es_state_create(&o, (size_t)l->n_params, NULL)) {
        snprintf(err, errlen, "out of memory for %lld parameters", l->n_params);
    } else if (!ckpt_read_state(f, &o, err, errlen)) {
        if (o.obs.n && !c->obs_norm) {
            snprintf(err, errlen, "--init-from %s: its coefficients expect normalised observations: set net.obs_norm",
                     a->init_from);
        } else {
            if (per_synapse) heb_share_from_synapses(&ws->lay, best ? o.best_h : o.h, s->h);
            else memcpy(s->h, best ? o.best_h : o.h, s->n * sizeof *s->h);
            if (o.obs.n) s->obs = o.obs; /* the coefficients mean nothing without them */
            snprintf(s->origin, sizeof s->origin, "%s, %s coefficients (generation %lld)", a->init_from,
                     best ? "best" : "current", (long long)(best ? o.best_generation : o.generation));
            printf("hebes train: starting from %s\n", s->origin);
            rc = 0;
        }
    }
    es_state_free(&o);
    ckpt_close(f);
    return rc;
}
/* The run's model files: env.models, then env.eval_models. */
static int run_model_paths(const cfg *c, char (*paths)[CFG_PATH_MAX])
{
    if (!task_has_network(c)) return 0;
    memcpy(paths, c->models, (size_t)c->n_models * sizeof *paths);
    memcpy(paths + c->n_models, c->eval_models, (size_t)c->n_eval_models * sizeof *paths);
    return c->n_models + c->n_eval_models;
}
/* Rank 0: the config of a resumed run (the checkpoint's, or CONFIG / --set if they change nothing
 * that matters) and its folder. cf is the open checkpoint. */
static int resume_config(const run_request *a, ckpt_file *cf, cfg *c, char *run_dir, char *err, size_t errlen)
{
    cfg saved;
    if (ckpt_config(cf, &saved, NULL, 0, err, errlen)) return -1;
    if (a->config || a->n_sets) {
        if (a->config ? cfg_load_sets(c, a->config, a->sets, a->n_sets, err, errlen)
                      : ckpt_config(cf, c, a->sets, a->n_sets, err, errlen))
            return -1;
        char why[CFG_ERR_MAX];
        if (cfg_resume_conflicts(&saved, c, why, sizeof why)) {
            snprintf(err, errlen, "%s: cannot resume with a config that changes its meaning: %s", a->resume, why);
            return -1;
        }
    } else {
        *c = saved;
    }
    if (strcmp(c->name, saved.name)) {
        snprintf(err, errlen,
                 "%s: run.name '%s' differs from the checkpoint's '%s': a resumed run continues in its own "
                 "folder; to fork it, copy the folder under the new name and resume the copy",
                 a->resume, c->name, saved.name);
        return -1;
    }
    char dir[CFG_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", a->resume);
    snprintf(run_dir, CFG_PATH_MAX, "%s", dirname(dir));
    /* A run writes checkpoint.h5 and progress.csv in the resumed file's folder: resuming a kept copy
     * (run.keep_every) beside its run's checkpoint.h5 would overwrite the later generations. */
    char own[CFG_PATH_MAX + 32];
    snprintf(own, sizeof own, "%s/checkpoint.h5", run_dir);
    struct stat st_own, st_res;
    if (stat(own, &st_own) == 0 && stat(a->resume, &st_res) == 0 &&
        (st_own.st_dev != st_res.st_dev || st_own.st_ino != st_res.st_ino)) {
        snprintf(err, errlen,
                 "%s: its folder's checkpoint.h5 is another state of the run, which resuming here would overwrite "
                 "(with its progress.csv); to continue from this one, copy the folder, put this file in the copy as "
                 "checkpoint.h5 and resume that",
                 a->resume);
        return -1;
    }
    return 0;
}
/* Rank 0: the config of a new run and its folder, which must not hold a checkpoint yet. */
static int new_config(const run_request *a, cfg *c, char *run_dir, char *err, size_t errlen)
{
    if (cfg_load_sets(c, a->config, a->sets, a->n_sets, err, errlen)) return -1;
    if (strlen(c->out_dir) + strlen(c->name) + 2 > CFG_PATH_MAX) {
        snprintf(err, errlen, "%s: run.out_dir + run.name: path too long", c->source);
        return -1;
    }
    snprintf(run_dir, CFG_PATH_MAX, "%.*s/%s", CFG_PATH_MAX - 130, c->out_dir, c->name);
    char ck[CFG_PATH_MAX + 32];
    snprintf(ck, sizeof ck, "%s/checkpoint.h5", run_dir);
    if (access(ck, F_OK) == 0) {
        snprintf(err, errlen, "%s exists: resume it with --resume %s, or set another run.name", ck, ck);
        return -1;
    }
    return 0;
}
/* Rank 0: the starting state: the checkpoint's, or generation 0 (from es_init or --init-from). */
static int start_state(run_request *a, ckpt_file *cf, const cfg *c, const task_setup *ts, es_state *s, char *err,
                       size_t errlen)
{
    const wk_setup *ws = &ts->body; /* the network's layout and inputs (zero without a network) */
    if (es_state_create(s, ts->n_params, &c->es)) {
        snprintf(err, errlen, "out of memory for %zu parameters", ts->n_params);
        return -1;
    }
    if (cf) {
        if (ckpt_read_state(cf, s, err, errlen)) return -1;
        a->nothing_to_do = s->generation >= c->generations || run_budget_spent(c, s);
    } else {
        es_init(s, &c->es);
        if (ws->lay.n_rules0) heb_share_init(&ws->lay, (uint64_t)c->es.seed, s->h);
        s->obs.n = c->obs_norm ? ws->obs_dim : 0;
        if (a->init_from && init_from(a, c, ws, s, err, errlen)) return -1;
    }
    /* A count or an assignment out of range would index outside the rules: refused here, once. */
    if (ws->lay.n_rules0 && (cf || a->init_from)) {
        char why[CFG_ERR_MAX];
        if (heb_share_check(&ws->lay, s->h, why, sizeof why)) {
            snprintf(err, errlen, "%s: %s", a->resume ? a->resume : a->init_from, why);
            return -1;
        }
    }
    if (s->obs.n != (c->obs_norm ? ws->obs_dim : 0)) { /* the statistics came from --resume or --init-from */
        snprintf(err, errlen, "%s: holds statistics of %d observations, net.obs_norm needs %d",
                 a->resume ? a->resume : a->init_from, s->obs.n, c->obs_norm ? ws->obs_dim : 0);
        return -1;
    }
    return 0;
}
/* Rank 0: the run folder, locked, and its config.json. Returns the config text, or NULL. */
static char *open_run_folder(run_request *a, int resuming, const cfg *c, const char *run_dir, char *err,
                             size_t errlen)
{
    if (mkdir_p(run_dir)) {
        snprintf(err, errlen, "%s: cannot create run folder: %s", run_dir, strerror(errno));
        return NULL;
    }
    if (lock_run_folder(run_dir, &a->lock_fd, err, errlen)) return NULL;
    char path[CFG_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/checkpoint.h5", run_dir);
    if (!resuming && access(path, F_OK) == 0) { /* started by another run since new_config looked */
        snprintf(err, errlen, "%s exists: resume it with --resume %s, or set another run.name", path, path);
        return NULL;
    }
    char *json = cfg_to_json(c);
    snprintf(path, sizeof path, "%s/config.json", run_dir);
    FILE *f = json ? fopen(path, "w") : NULL;
    if (!f || fprintf(f, "%s\n", json) < 0 || fclose(f)) {
        snprintf(err, errlen, "%s: cannot write", path);
        free(json);
        return NULL;
    }
    return json;
}
/* Rank 0: config, run folder, model files (read once: ws keeps them for rank 0's part of the run)
 * and starting state. Returns the effective config text or NULL. */
static char *prepare(run_request *a, cfg *c, es_state *s, run_models *rm, task_setup *ts, char *run_dir, char *err,
                     size_t errlen)
{
    if (a->auto_resume && !a->resume) {
        /* Resume the run folder's checkpoint when there is one: what a requeued job wants. */
        if (cfg_load_sets(c, a->config, a->sets, a->n_sets, err, errlen)) return NULL;
        snprintf(a->found, sizeof a->found, "%.*s/%s/checkpoint.h5", CFG_PATH_MAX - 160, c->out_dir, c->name);
        if (access(a->found, F_OK) == 0) {
            printf("hebes train: --auto-resume: resuming %s\n", a->found);
            a->resume = a->found;
        }
    }
    ckpt_file *cf = NULL;
    char *json = NULL;
    if (a->resume ? ckpt_open(&cf, a->resume, err, errlen) || resume_config(a, cf, c, run_dir, err, errlen)
                  : new_config(a, c, run_dir, err, errlen))
        goto done;
    /* Allowed, since a cluster's engine may be upgraded under a week-long run, but said: the
     * physics' last bits differ between MuJoCo versions, so the run cannot repeat a straight one. */
    const char *engine = cf ? ckpt_engine(cf) : NULL;
    if (engine && strcmp(engine, env_engine_version()))
        fprintf(stderr, "hebes train: note: %s was written on MuJoCo %s, this hebes runs MuJoCo %s: the run goes on, "
                        "but not bit for bit as a straight run would (docs/mujoco.md)\n",
                a->resume, engine, env_engine_version());
    char paths[CKPT_MAX_MODELS][CFG_PATH_MAX];
    const int n_paths = run_model_paths(c, paths);
    if (!(rm->bundle = run_model_bundle((const char(*)[CFG_PATH_MAX])paths, n_paths, cf, "hebes train", &rm->len,
                                        err, errlen)))
        goto done;
    run_bundle_models(rm->bundle, rm->len, &rm->m);
    const char *xml[CFG_MAX_MODELS];
    run_models_xml(&rm->m, (const char(*)[CFG_PATH_MAX])c->models, c->n_models, xml);
    if (task_setup_init(ts, c, xml, err, errlen) || start_state(a, cf, c, ts, s, err, errlen))
        goto done;
    if (a->nothing_to_do) { /* nothing is written: the run folder stays as the checkpoint left it */
        if (s->generation >= c->generations)
            snprintf(err, errlen, "%s is at generation %lld of run.generations %d: nothing to do (raise "
                     "run.generations with --set run.generations=N to train on)", a->resume,
                     (long long)s->generation, c->generations);
        else
            snprintf(err, errlen, "%s has spent its env-step budget (%lld of run.max_env_steps %lld): nothing to do "
                     "(raise it with --set run.max_env_steps=N to train on)", a->resume, (long long)s->total_steps,
                     (long long)c->max_env_steps);
        goto done;
    }
    json = open_run_folder(a, cf != NULL, c, run_dir, err, errlen);
done:
    if (!json) task_setup_free(ts);
    if (cf) ckpt_close(cf);
    return json;
}
/* Collective: rank 0's starting state to every replica. */
static void bcast_state(es_state *s)
{
    double *v[ES_STATE_MAX_VECTORS];
    const int nv = es_state_replicated_vectors(s, v);
    for (int k = 0; k < nv; k++) proto_bcast(v[k], s->n * sizeof *v[k]);
    es_state_scalars sc;
    es_state_get_scalars(s, &sc);
    proto_bcast(&sc, sizeof sc);
    es_state_set_scalars(s, &sc);
}
void run_close(run_rank *t)
{
    if (!t) return;
    wk_buffers_free(&t->wb_eval);
    wk_setup_free(&t->ws_eval);
    task_buffers_free(&t->tb);
    task_setup_free(&t->ts);
    es_state_free(&t->s);
    es_gen_free(&t->g);
    free(t->json);
    free(t->rm.bundle);
    unlock_run_folder(t->rq.lock_fd);
    memset(t, 0, sizeof *t);
    t->rq.lock_fd = -1;
}
/* Collective: rank 0 prepares the run and hands every rank the config text and the model files.
 * Returns 0; 1 on every rank when the run is already done (rank 0 has said so); or -1 on every
 * rank (rank 0 has printed why). */
static int share_setup(run_rank *t, char *err, size_t errlen)
{
    long long len[2] = {0, 0}; /* config text, model bundle */
    run_request *a = &t->rq;
    if (t->rank == 0) {
        t->json = prepare(a, &t->c, &t->s, &t->rm, &t->ts, t->run_dir, err, errlen);
        len[0] = t->json ? (long long)strlen(t->json) + 1 : a->nothing_to_do ? -1 : 0;
        len[1] = (long long)t->rm.len;
    }
    proto_bcast(len, sizeof len);
    if (len[0] <= 0) {
        if (t->rank != 0) err[0] = 0; /* rank 0 holds the message */
        return len[0] == -1 ? 1 : -1;
    }
    if (t->rank != 0) {
        t->json = malloc((size_t)len[0]);
        t->rm.bundle = malloc((size_t)len[1] + 1);
        t->rm.len = (size_t)len[1];
    }
    if (!t->json || !t->rm.bundle) proto_fatal("rank %d: out of memory", t->rank);
    proto_bcast(t->json, (size_t)len[0]);
    proto_bcast(t->rm.bundle, t->rm.len);
    run_bundle_models(t->rm.bundle, t->rm.len, &t->rm.m); /* every rank loads the models from this text */
    return 0;
}
/* This rank's config (others), models (rank 0 has them from prepare), buffers, state and
 * generation. Returns 0, or -1 with a message. */
static int build_rank(run_rank *t, char *err, size_t errlen)
{
    cfg *c = &t->c;
    if (t->rank != 0 && (cfg_read_text(c, t->json, "(from rank 0)", err, errlen) || cfg_validate_keys(c, err, errlen)))
        return -1;
    const char *xml[CFG_MAX_MODELS], *xml_eval[CFG_MAX_MODELS];
    run_models_xml(&t->rm.m, (const char(*)[CFG_PATH_MAX])c->models, c->n_models, xml);
    run_models_xml(&t->rm.m, (const char(*)[CFG_PATH_MAX])c->eval_models, c->n_eval_models, xml_eval);
    if (t->rank != 0 && task_setup_init(&t->ts, c, xml, err, errlen)) return -1;
    if (task_buffers_create(&t->tb, &t->ts)) goto oom;
    t->evaluating = c->eval_every > 0 && task_has_network(c);
    t->c_eval = *c;
    cfg_for_eval(&t->c_eval);
    if (t->evaluating) {
        if (wk_setup_init(&t->ws_eval, &t->c_eval, (const char(*)[CFG_PATH_MAX])c->eval_models, xml_eval,
                          c->n_eval_models, err, errlen))
            return -1;
        if (t->ws_eval.n_params != t->ts.n_params) {
            snprintf(err, errlen, "%s: env.eval_models: the network on %s has %zu parameters, on %s %zu", c->source,
                     c->eval_models[0], t->ws_eval.n_params, c->models[0], t->ts.n_params);
            return -1;
        }
        if (wk_buffers_create(&t->wb_eval, &t->ws_eval)) goto oom;
    }
    if ((t->rank != 0 && es_state_create(&t->s, t->ts.n_params, &c->es)) || es_gen_create(&t->g, &c->es, t->ts.n_params, c->obs_norm))
        goto oom;
    return 0;
oom:
    snprintf(err, errlen, "out of memory for %zu parameters", t->ts.n_params);
    return -1;
}

int run_open(run_rank *t, const run_request *rq, int rank, int size, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->rq = *rq;
    t->rq.lock_fd = -1;
    t->rank = rank;
    t->size = size;
    err[0] = 0;
    const int shared = share_setup(t, err, errlen);
    if (shared) return shared;
    const int ok = build_rank(t, err, errlen) == 0;
    if (!ok) {
        char mine[CFG_ERR_MAX];
        snprintf(mine, sizeof mine, "%s", err);
        snprintf(err, errlen, "rank %d: %s", rank, mine);
    }
    if (!proto_all(ok)) {
        if (ok) err[0] = 0;
        return -1;
    }
    bcast_state(&t->s);
    const heb_layout *lay = task_network(&t->ts);
    if (lay && lay->n_rules0) { /* shared rules: what the ES must leave alone, derived from h on every rank */
        if (es_state_use_frozen(&t->s)) proto_fatal("rank %d: out of memory", rank);
        heb_share_frozen(lay, t->s.h, t->s.frozen);
    }
    return 0;
}
