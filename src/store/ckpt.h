/* HDF5 checkpoints: the whole es_state, the effective config and the layout.
 * Layout documented in docs/checkpoint.md. Writes are atomic: a temporary file
 * is written, fsynced and renamed over the old one, so a kill at any moment
 * leaves the previous checkpoint valid. */
#ifndef HEBES_CKPT_H
#define HEBES_CKPT_H

#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "es_state.h"

#define CKPT_FORMAT "hebes-checkpoint"
/* 2 added the evaluation history (and, optionally, observation statistics), 3 the checksum of
 * /config, 4 the run's model files (/models), 5 the standard FNV-1a basis, 6 /state attr merged_at
 * (Evolve & Merge's merge moved from the end of a generation to the start of the next); older
 * versions are still read. */
#define CKPT_FORMAT_VERSION 6

typedef struct ckpt_file ckpt_file;

/* What a checkpoint says about the network, for checks and `hebes inspect`. */
typedef struct {
    char rule[64];
    int n_layers;
    int sizes[HEB_MAX_LAYERS + 1];
    long long n_params;
} ckpt_layout;

/* The MJCF files a run uses, as the config names them and their text: stored in its checkpoints
 * so that eval, rollout and resume work where the files are missing or have changed. */
#define CKPT_MAX_MODELS (2 * CFG_MAX_MODELS)
typedef struct {
    int n;
    const char *path[CKPT_MAX_MODELS];
    const char *xml[CKPT_MAX_MODELS];
} ckpt_models;

/* Writes s, the config text, the layout and the models to path atomically. lay may be NULL
 * (non-network tasks), models NULL (none stored). engine: the MuJoCo version the run steps on, stored
 * as the root attribute mujoco_version (an optional attribute: no format version bump, older readers
 * ignore it); NULL stores none. */
int ckpt_write(const char *path, const es_state *s, const char *config_json, const heb_layout *lay,
               const ckpt_models *models, const char *engine, char *err, size_t errlen);

/* Opens and checks the format; every later read checks sizes and values too. */
int ckpt_open(ckpt_file **out, const char *path, char *err, size_t errlen);
void ckpt_close(ckpt_file *f);
const char *ckpt_config_text(const ckpt_file *f);
/* The MuJoCo version of the run that wrote it, or NULL (written before hebes recorded it). */
const char *ckpt_engine(const ckpt_file *f);
const ckpt_layout *ckpt_get_layout(const ckpt_file *f);
/* The stored copy of model file `path` (as the config names it), or NULL (none stored). */
const char *ckpt_model_xml(const ckpt_file *f, const char *path);
/* The stored config with overrides applied, its keys validated (model files are not looked for:
 * the checkpoint may hold them). */
int ckpt_config(const ckpt_file *f, cfg *c, const char *const *sets, int n_sets, char *err, size_t errlen);
/* which: "best" or "current". Fails unless the checkpoint holds exactly n values, all finite. */
int ckpt_read_coefficients(const ckpt_file *f, const char *which, double *out, size_t n, char *err, size_t errlen);
/* The whole state; s must be created with the checkpoint's n. */
int ckpt_read_state(const ckpt_file *f, es_state *s, char *err, size_t errlen);
long long ckpt_n_params(const ckpt_file *f);
/* The standard 64-bit FNV-1a of n bytes (offset basis 14695981039346656037): the checksum of
 * /config and /models (scalar strings are stored contiguously, without HDF5's chunk checksum) and
 * `hebes inspect --hash`. */
uint64_t ckpt_fnv1a(const void *data, size_t n);
/* The running observation statistics of net.obs_norm (out->n = 0 when the run had none). */
int ckpt_read_obs_stats(const ckpt_file *f, es_obs_stats *out, char *err, size_t errlen);

#endif
