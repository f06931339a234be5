/* A training run across MPI ranks, what every rank does: opening the run (open.c: config,
 * checkpoint, models, this rank's replica), the work items of a generation and the wire's es_ops,
 * the other ranks' loop and Evolve & Merge's merge (follow.c), model bundles (models.c), and a
 * trained network opened for rollouts (policy.c). Rank 0's loop over generations and its hand-out
 * of work items are src/master's. Every rank adds its share of the gradient and applies the same
 * update to its replica of the ES state, so parameters never cross the wire. */
#ifndef HEBES_RUN_H
#define HEBES_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "ckpt.h"
#include "es.h"
#include "proto.h"
#include "task.h"
#include "worker.h"

/* One rank's part in a training run (follow.c). */
typedef struct {
    const cfg *c;
    const task_setup *ts;    /* the task: with a network, the training bodies */
    task_buffers *tb;
    const wk_setup *ws_eval; /* env.eval_models, when run.eval_every > 0; else NULL */
    wk_buffers *wb_eval;
    es_state *s;             /* this rank's replica: identical on every rank */
    es_gen *g;
    int rank, size;
} run_job;

/* Work items of generation gen: its held-out episodes (env.eval_episodes per eval model every
 * run.eval_every generations) come first, then its candidates. */
int64_t run_eval_items(const run_job *j, int64_t gen);
/* Before a generation's items, on every rank: the observation normaliser of the statistics so
 * far and, for an evaluation generation, the unperturbed coefficients, converted once. */
void run_items_begin(const run_job *j, int64_t n_eval);
/* Work item i of the current generation, on any rank. */
proto_result run_item(const run_job *j, int64_t n_eval, int64_t i, wk_poll_fn poll, void *ctx);

/* Whether the run has spent run.max_env_steps (0: no budget): its training env steps so far reach it.
 * Read by rank 0 before each generation and when a run is resumed. */
int run_budget_spent(const cfg *c, const es_state *s);

/* Monotonic seconds, for timing generations and rank 0's service. */
double run_now_s(void);

/* The es_ops of rank `rank` of `size` over the wire: the verdict and the gradient sum cross with
 * proto_generation_end and proto_sum (which use no ctx), candidates are evaluated by evaluate(ctx),
 * and rank 0 leads. */
es_ops run_wire_ops(int rank, int size, int (*evaluate)(void *ctx, es_gen *g), void *ctx);
/* Right before a generation runs, on every rank: Evolve & Merge's merge of the rules when the
 * generations completed, G > 0, are a multiple of net.merge_every, G's merge has not been made
 * (es_state merged_at) and more than net.merge_min rules are in use (heb_share_merge on this rank's
 * replica, then the frozen flags again). So no merge follows the run's last generation. Returns the
 * new rule count, with the count before, the k-means iterations and the inertia; or -2 when no
 * merge was due. */
long run_merge(const run_job *j, size_t *before, int *iters, double *inertia);

/* Collective, ranks > 0: works for rank 0 until it says stop; 1 if a stop signal ended the run. */
int run_follow(run_job *j);


/* Model files with their text, packed "path\0xml\0..." in one buffer (it crosses the wire as it
 * is): each path's file, or cf's stored copy (cf may be NULL) when the file is missing or differs
 * from it, which is said on stderr. Paths repeated are packed once. Returns the malloc'd buffer
 * (*len bytes), or NULL with a message. */
char *run_model_bundle(const char (*paths)[CFG_PATH_MAX], int n, const ckpt_file *cf, const char *who, size_t *len,
                       char *err, size_t errlen);
/* The bundle's entries (pointers into it). */
void run_bundle_models(const char *bundle, size_t len, ckpt_models *out);
/* The text of each of paths in m (NULL where m has none). */
void run_models_xml(const ckpt_models *m, const char (*paths)[CFG_PATH_MAX], int n, const char **xml);


/* A trained network opened for rolling out in one process (hebes eval, hebes rollout). */
typedef struct {
    const char *ckpt;   /* the coefficients' checkpoint, or NULL: generation 0's, drawn from param_seed */
    const char *config; /* NULL: the checkpoint's */
    const char *const *sets;
    int n_sets;
    const char *which;  /* current (NULL) or best */
    const char *const *models; /* n_models paths, or none: the defaults below */
    int n_models;
    int held_out;       /* hebes eval's episodes: env.eval_max_steps, and env.eval_models by default;
                         * else the training episode on env.models[0] */
    int v5;             /* under Gymnasium's v5 rules of env.body (env_spec_v5) */
    long param_seed;    /* without a checkpoint: -1 for run.seed */
    const char *who;    /* "hebes eval": for the notes about stored models */
} run_policy_request;

typedef struct {
    ckpt_file *cf; /* NULL without a checkpoint */
    cfg c;
    int n_models;
    char models[CFG_MAX_MODELS][CFG_PATH_MAX];
    const char *xml[CFG_MAX_MODELS]; /* each model's text (in bundle) */
    char *bundle;
    size_t bundle_len;
    wk_setup ws;
    wk_buffers wb; /* wb.coef: the coefficients; the normaliser set */
} run_policy;

/* Returns 0, or -1 with a message naming the file, the key or the reason. */
int run_policy_open(run_policy *p, const run_policy_request *rq, char *err, size_t errlen);
/* Accepts NULL. */
void run_policy_close(run_policy *p);

/* What hebes train was asked for: a new run from a config, a resume, an auto-resume (a requeued
 * job's: resume the run folder's checkpoint if there is one), or a new run started from another
 * run's coefficients. The last fields are the run's own while it opens. */
typedef struct {
    const char *config;     /* NULL: the checkpoint's */
    const char *resume;     /* a checkpoint to continue, or NULL */
    const char *init_from;  /* a new run starting from this checkpoint's coefficients, or NULL */
    const char *init_which; /* current (NULL) or best */
    const char *const *sets;
    int n_sets;
    int auto_resume;
    int nothing_to_do;             /* the checkpoint is already at run.generations */
    char found[CFG_PATH_MAX + 32]; /* the checkpoint auto-resume found */
    int lock_fd;                   /* rank 0: the run folder's lock, held until run_close */
} run_request;

/* The models to load and to store in checkpoints, and the text of the training models. */
typedef struct {
    char *bundle; /* run_model_bundle's buffer: it crosses the wire */
    size_t len;
    ckpt_models m;
} run_models;


/* Everything a rank holds during training, created by every rank: the config (read once on rank
 * 0, from rank 0's text elsewhere), the models (from rank 0's copies), state and buffers. */
typedef struct {
    int rank, size;
    cfg c, c_eval; /* c_eval: held-out episodes (env.eval_max_steps); ws_eval points to it */
    char run_dir[CFG_PATH_MAX];
    char *json;    /* the effective config */
    run_models rm;
    es_state s;
    task_setup ts;
    task_buffers tb;
    wk_setup ws_eval;
    wk_buffers wb_eval;
    es_gen g;
    int evaluating;
    run_request rq; /* what was asked, with what rank 0 found (auto-resume) and holds (the lock) */
} run_rank;


/* Collective, after proto_init: opens the run on every rank. Rank 0 reads the config and any
 * checkpoint, loads the models once, prepares and locks the run folder, and hands every rank the
 * config text and the model files; then every rank builds its replica and gets rank 0's state.
 * Returns 0; 1 when the checkpoint is already at run.generations (nothing is written; rank 0's err
 * says so); -1 on failure (err holds the message on the rank that has one, else is empty). */
int run_open(run_rank *t, const run_request *rq, int rank, int size, char *err, size_t errlen);
/* Frees everything and releases the run folder's lock; accepts NULL. */
void run_close(run_rank *t);

#endif
