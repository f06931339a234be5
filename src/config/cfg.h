/* Run configuration: JSON files (cJSON), overridable key by key.
 * Every key is declared once in cfg_keys.c with its type, default, range and
 * documentation; parsing, `--set`, docs/config.md and the resume check all
 * read that table. */
#ifndef HEBES_CFG_H
#define HEBES_CFG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "env_spec.h"
#include "es_spec.h"
#include "heb.h"

#define CFG_MAX_MODELS 16     /* env.models: bodies to train on */
#define CFG_MAX_EVAL_MODELS 8 /* env.eval_models: a row of the checkpoint's history holds this many */
#define CFG_PATH_MAX 512
#define CFG_ERR_MAX 1024

typedef enum { CFG_TASK_ANT, CFG_TASK_QUADRATIC, CFG_TASK_ATTRACTOR } cfg_task;
typedef enum { CFG_BODY_MEAN, CFG_BODY_MIN } cfg_body_fitness;

typedef struct {
    char source[CFG_PATH_MAX]; /* file it was read from, for messages */

    /* run */
    char name[128];
    int generations;
    int64_t max_env_steps; /* stop once the run's training env steps reach it (0: no budget) */
    char out_dir[CFG_PATH_MAX];
    int checkpoint_every;
    int keep_every; /* 0: keep no copy; else checkpoint-genN.h5 beside checkpoint.h5 every this many */
    cfg_task task;
    int eval_every;     /* 0: no evaluation during training */
    int64_t eval_seed;  /* held-out episodes: those of `hebes eval --seed eval_seed` */

    /* env */
    env_spec env;
    int n_models;
    char models[CFG_MAX_MODELS][CFG_PATH_MAX];
    int n_eval_models;
    char eval_models[CFG_MAX_EVAL_MODELS][CFG_PATH_MAX];
    int eval_episodes;
    int eval_max_steps; /* 0: env.max_steps */
    int bodies_per_gen; /* 0: every env.models entry each generation, else this many drawn per generation */
    int body_fitness;   /* cfg_body_fitness: how a candidate's fitness combines its bodies' */

    /* net: sizes[0] and the output size come from the environment */
    heb_spec net;
    int obs_norm;      /* normalise observations by running statistics */
    double obs_clip;
    int n_hidden;
    int hidden[HEB_MAX_LAYERS - 1];

    /* es, and run.seed */
    es_spec es;

    /* task: quadratic */
    int quadratic_dim;

    /* attractor: the free-energy attractor network (hebes attractor, run.task = attractor) */
    struct {
        char digits[CFG_PATH_MAX];
        int n_sequence, sequence[8];
        int n_held_out, held_out[8];
        double evidence, beta, eta, threshold;
        int iterations, stochastic, free_steps, free_runs, relax_steps;
        int evolve; /* att_evolve */
    } att;
} cfg;

typedef enum { CFG_INT, CFG_INT64, CFG_DOUBLE, CFG_BOOL, CFG_STRING, CFG_ENUM, CFG_INT_LIST, CFG_STRING_LIST } cfg_kind;

typedef struct {
    const char *path;     /* "es.population" */
    cfg_kind kind;
    size_t off;           /* offset of the field in cfg */
    size_t size;          /* strings: buffer size; lists: element size */
    size_t count_off;     /* lists: offset of the int count */
    int max_count;        /* lists */
    double min, max;      /* numbers and list elements; lists also need 1..max_count items */
    const char *const *names; /* enums */
    int n_names;
    const char *def;      /* default, as JSON text */
    int resume_ok;        /* may differ when resuming a checkpoint */
    const char *doc;
    int eval_ok;          /* hebes eval may set it although resume may not: a condition of the test */
} cfg_key;

extern const cfg_key cfg_keys[];
extern const size_t cfg_n_keys;

/* Defaults for every key. */
void cfg_defaults(cfg *c);
/* Reads a JSON file over the defaults without validating (overrides come next, then
 * cfg_validate once). Returns 0, or -1 with "FILE: KEY: reason" (or "FILE: line L, column C:
 * reason") in err. */
int cfg_read(cfg *c, const char *path, char *err, size_t errlen);
/* The same for JSON text (a checkpoint's copy, a test's) as if from file `source`. */
int cfg_read_text(cfg *c, const char *text, const char *source, char *err, size_t errlen);
/* cfg_read / cfg_read_text, then cfg_validate. */
int cfg_load(cfg *c, const char *path, char *err, size_t errlen);
int cfg_load_text(cfg *c, const char *text, const char *source, char *err, size_t errlen);
/* Reads path (defaults when NULL), applies the "key=value" overrides in order, then validates once
 * (the overrides may repair what the file says). Returns 0, or -1 with a message. */
int cfg_load_sets(cfg *c, const char *path, const char *const *sets, int n_sets, char *err, size_t errlen);
/* Applies "key.path=value" (value as JSON, or a bare string). Call cfg_validate after. */
int cfg_set(cfg *c, const char *assignment, char *err, size_t errlen);
/* For evaluating a checkpoint: 1 if "key=value" names a key that may change on resume (it changes
 * no result's meaning) or sets a test's conditions (env.damage_*), 0 if not, -1 if the key is
 * unknown. */
int cfg_set_eval_ok(const char *assignment);
/* The configuration held-out episodes run under: env.max_steps replaced by env.eval_max_steps when set. */
void cfg_for_eval(cfg *c);
/* Gymnasium's v5 reward and termination of env.body over c (env_spec_v5, `--rules v5` or `ant-v5`):
 * its TimeLimit of 1000 steps, unless the overrides sets[0..n_sets) assign length_key (env.max_steps,
 * or env.eval_max_steps for held-out episodes), whose episode length then stays rather than being
 * dropped without a word. */
void cfg_rules_v5(cfg *c, const char *const *sets, int n_sets, const char *length_key);
/* Checks relations between keys and that model files exist. */
int cfg_validate(const cfg *c, char *err, size_t errlen);
/* The same without looking for the model files. */
int cfg_validate_keys(const cfg *c, char *err, size_t errlen);
/* The effective configuration as JSON text (malloc'd; caller frees). */
char *cfg_to_json(const cfg *c);
/* Lists the keys that differ and may not change on resume into err; returns their count. */
int cfg_resume_conflicts(const cfg *saved, const cfg *now, char *err, size_t errlen);
/* The name of value v of enum key path ("es.optimizer", 1: "adam"), or "?" when there is none. */
const char *cfg_enum_name(const char *path, int v);
/* Markdown table of every key (docs/config.md is this output). */
void cfg_print_docs(FILE *out);

#endif
