#include "ckpt.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "h5u.h"
#include "version.h"

struct ckpt_file {
    hid_t fid;
    char path[CFG_PATH_MAX];
    char *config_text;
    char *engine; /* root attribute mujoco_version, NULL when absent */
    ckpt_layout layout;
    int version;
    int n_models;
    char *model_path[CKPT_MAX_MODELS], *model_xml[CKPT_MAX_MODELS];
};

/* FNV-1a, 64 bits: for each byte b, h = (h xor b) * 1099511628211 (the FNV prime 2^40 + 2^8 + 0xb3).
 * Not cryptographic: it catches a damaged or hand-edited file, not a forged one. */
static uint64_t fnv1a_from(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

uint64_t ckpt_fnv1a(const void *data, size_t n)
{
    return fnv1a_from(14695981039346656037ull, data, n);
}

/* Format versions 3 and 4 signed with an offset basis one digit short of FNV-1a's; they are still
 * read with it. */
static uint64_t file_checksum(const ckpt_file *f, const char *text)
{
    return f->version >= 5 ? ckpt_fnv1a(text, strlen(text)) : fnv1a_from(1469598103934665603ull, text, strlen(text));
}

static int all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

static int all_positive(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(isfinite(v[i]) && v[i] > 0.0)) return 0;
    return 1;
}

/* Whether the file starts, after blanks, with '{': a config given where a checkpoint belongs. */
static int looks_like_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    int ch = ' ';
    while (f && (ch = fgetc(f)) != EOF && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'))
        ;
    if (f) fclose(f);
    return ch == '{';
}

/* ---- writing ---- */

/* History columns, one 1-D dataset each (h5py: f["history/mean"][:]). The one list that
 * both writing and reading expand: D(field) a double, I(field, buffer, HDF5 type) an integer. */
#define HISTORY_COLUMNS(D, I)                                                     \
    I(generation, i64, H5T_NATIVE_INT64)                                          \
    D(mean) D(max) D(min) D(std) D(best_ever) D(lr) D(sigma)                      \
    I(steps, i64, H5T_NATIVE_INT64)                                               \
    D(seconds)                                                                    \
    I(diverged, i32, H5T_NATIVE_INT32)                                            \
    I(skipped, i32, H5T_NATIVE_INT32)

/* Added in format version 2: the held-out evaluation of run.eval_every. */
#define EVAL_COLUMNS(D, I)                                                        \
    I(evaluated, i32, H5T_NATIVE_INT32)                                           \
    I(eval_models, i32, H5T_NATIVE_INT32)                                         \
    D(eval_steps)                                                                 \
    I(eval_time_limit, i32, H5T_NATIVE_INT32)                                     \
    I(eval_unhealthy_low, i32, H5T_NATIVE_INT32)                                  \
    I(eval_unhealthy_high, i32, H5T_NATIVE_INT32)                                 \
    I(eval_early_stop, i32, H5T_NATIVE_INT32)                                     \
    I(eval_diverged, i32, H5T_NATIVE_INT32)

/* Per-row arrays, 2-D datasets [rows][width]: P(field, width). */
#define ARRAY_COLUMNS(P, n_layers)                                                \
    P(layer_norm, n_layers) P(eval_mean, ES_EVAL_MAX_MODELS) P(eval_std, ES_EVAL_MAX_MODELS) \
    P(eval_distance, ES_EVAL_MAX_MODELS)

/* Doubles a column buffer needs per row: the widest array column. */
static size_t row_width(int n_layers)
{
    return n_layers > ES_EVAL_MAX_MODELS ? (size_t)n_layers : ES_EVAL_MAX_MODELS;
}

static int put_history(hid_t g, const es_state *s, int n_layers)
{
    size_t n = s->n_hist;
    hsize_t dims[1] = {n};
    double *d = malloc((n ? n : 1) * sizeof *d * row_width(n_layers));
    int64_t *i64 = malloc((n ? n : 1) * sizeof *i64);
    int32_t *i32 = malloc((n ? n : 1) * sizeof *i32);
    int rc = (d && i64 && i32) ? 0 : -1;
#define COL_D(field)                                          \
    if (!rc) {                                                \
        for (size_t k = 0; k < n; k++) d[k] = s->hist[k].field; \
        rc = h5u_put_dset(g, #field, H5T_NATIVE_DOUBLE, 1, dims, d); \
    }
#define COL_I(field, buf, type)                                 \
    if (!rc) {                                                  \
        for (size_t k = 0; k < n; k++) buf[k] = s->hist[k].field; \
        rc = h5u_put_dset(g, #field, type, 1, dims, buf);           \
    }
    HISTORY_COLUMNS(COL_D, COL_I)
    EVAL_COLUMNS(COL_D, COL_I)
#undef COL_D
#undef COL_I
#define COL_A(field, width)                                                        \
    if (!rc && (width) > 0) {                                                      \
        hsize_t dims2[2] = {n, (hsize_t)(width)};                                  \
        for (size_t k = 0; k < n; k++)                                             \
            for (int l = 0; l < (width); l++) d[k * (size_t)(width) + l] = s->hist[k].field[l]; \
        rc = h5u_put_dset(g, #field, H5T_NATIVE_DOUBLE, 2, dims2, d);              \
    }
    ARRAY_COLUMNS(COL_A, n_layers)
#undef COL_A
    free(d);
    free(i64);
    free(i32);
    return rc;
}

/* /models/K: the text of model K, attrs path and its checksum (scalar strings have no chunk checksum). */
static int put_models(hid_t f, const ckpt_models *models)
{
    hid_t g = H5Gcreate2(f, "models", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0) return -1;
    int rc = 0;
    for (int i = 0; models && i < models->n; i++) {
        char name[16];
        snprintf(name, sizeof name, "%d", i);
        rc |= h5u_put_text(g, name, models->xml[i]);
        hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
        uint64_t sum = ckpt_fnv1a(models->xml[i], strlen(models->xml[i]));
        rc |= d < 0 || h5u_put_string_attr(d, "path", models->path[i]) ||
              h5u_put_attr(d, "fnv1a64", H5T_NATIVE_UINT64, &sum);
        if (d >= 0 && H5Dclose(d) < 0) rc = -1;
    }
    if (g < 0 || H5Gclose(g) < 0) rc = -1;
    return rc ? -1 : 0;
}

static int write_file(const char *path, const es_state *s, const char *config_json, const heb_layout *lay,
                      const ckpt_models *models, const char *engine)
{
    hid_t f = h5u_create(path);
    if (f < 0) return -1;
    int rc = 0;
    int32_t version = CKPT_FORMAT_VERSION;
    rc |= h5u_put_string_attr(f, "format", CKPT_FORMAT);
    rc |= h5u_put_attr(f, "format_version", H5T_NATIVE_INT32, &version);
    rc |= h5u_put_string_attr(f, "hebes_version", HEBES_VERSION);
    /* The physics' last bits depend on the engine: a resume on another one cannot repeat the run. */
    if (engine) rc |= h5u_put_string_attr(f, "mujoco_version", engine);
    rc |= h5u_put_text(f, "config", config_json);
    uint64_t sum = ckpt_fnv1a(config_json, strlen(config_json));
    rc |= h5u_put_attr(f, "config_fnv1a64", H5T_NATIVE_UINT64, &sum);
    rc |= put_models(f, models);

    hid_t gl = H5Gcreate2(f, "layout", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int32_t n_layers = lay ? lay->spec.n_layers : 0, ncoef = lay ? lay->ncoef : 0;
    int32_t sizes[HEB_MAX_LAYERS + 1] = {0};
    for (int l = 0; lay && l <= lay->spec.n_layers; l++) sizes[l] = lay->spec.sizes[l];
    hsize_t nsz = (hsize_t)n_layers + 1;
    rc |= h5u_put_string_attr(gl, "rule", lay ? heb_rule_names[lay->spec.rule] : "none");
    rc |= h5u_put_attr(gl, "n_layers", H5T_NATIVE_INT32, &n_layers);
    rc |= h5u_put_attr(gl, "coefficients_per_synapse", H5T_NATIVE_INT32, &ncoef);
    rc |= h5u_put_dset(gl, "sizes", H5T_NATIVE_INT32, 1, &nsz, sizes);
    rc |= h5u_put_string_attr(gl, "order",
                          lay && lay->n_rules0
                              ? "shared rules (net.shared_rules, net.merge_every): per coefficient: net.shared_rules "
                                "rule slots (one per synapse when 0); then the rule count; then each synapse's rule, "
                                "per layer, i, j"
                          : lay && lay->spec.neuron_centric
                              ? "neuron-centric (net.neuron_centric): per coefficient: per unit of every layer, "
                                "input layer first"
                              : "per layer (input side first): per coefficient: per pre-synaptic unit i: per "
                                "post-synaptic unit j; then, with coevolve_init, initial weights per layer, i, j");
    if (gl < 0 || H5Gclose(gl) < 0) rc = -1;

    hsize_t n = s->n;
    hid_t gc = H5Gcreate2(f, "coefficients", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    rc |= h5u_put_dset(gc, "current", H5T_NATIVE_DOUBLE, 1, &n, s->h);
    rc |= h5u_put_dset(gc, "best", H5T_NATIVE_DOUBLE, 1, &n, s->best_h);
    rc |= h5u_put_attr(gc, "best_fitness", H5T_NATIVE_DOUBLE, &s->best_fitness);
    rc |= h5u_put_attr(gc, "best_generation", H5T_NATIVE_INT64, &s->best_generation);
    if (s->origin[0]) rc |= h5u_put_string_attr(gc, "init_from", s->origin);
    if (gc < 0 || H5Gclose(gc) < 0) rc = -1;

    hid_t gs = H5Gcreate2(f, "state", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    rc |= h5u_put_attr(gs, "generation", H5T_NATIVE_INT64, &s->generation);
    rc |= h5u_put_attr(gs, "lr", H5T_NATIVE_DOUBLE, &s->lr);
    rc |= h5u_put_attr(gs, "sigma", H5T_NATIVE_DOUBLE, &s->sigma);
    rc |= h5u_put_attr(gs, "adam_t", H5T_NATIVE_INT64, &s->adam_t);
    rc |= h5u_put_attr(gs, "total_steps", H5T_NATIVE_INT64, &s->total_steps);
    rc |= h5u_put_attr(gs, "elapsed_seconds", H5T_NATIVE_DOUBLE, &s->elapsed);
    rc |= h5u_put_attr(gs, "merged_at", H5T_NATIVE_INT64, &s->merged_at);
    rc |= h5u_put_dset(gs, "adam_m", H5T_NATIVE_DOUBLE, 1, &n, s->adam_m);
    rc |= h5u_put_dset(gs, "adam_v", H5T_NATIVE_DOUBLE, 1, &n, s->adam_v);
    if (s->velocity) rc |= h5u_put_dset(gs, "clipup_velocity", H5T_NATIVE_DOUBLE, 1, &n, s->velocity);
    if (s->sigmas) rc |= h5u_put_dset(gs, "pgpe_sigmas", H5T_NATIVE_DOUBLE, 1, &n, s->sigmas);
    if (s->obs.n > 0) {
        hsize_t no = (hsize_t)s->obs.n;
        rc |= h5u_put_attr(gs, "obs_count", H5T_NATIVE_DOUBLE, &s->obs.count);
        rc |= h5u_put_dset(gs, "obs_sum", H5T_NATIVE_DOUBLE, 1, &no, s->obs.sum);
        rc |= h5u_put_dset(gs, "obs_sumsq", H5T_NATIVE_DOUBLE, 1, &no, s->obs.sumsq);
    }
    if (gs < 0 || H5Gclose(gs) < 0) rc = -1;

    hid_t gh = H5Gcreate2(f, "history", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    rc |= put_history(gh, s, n_layers);
    if (gh < 0 || H5Gclose(gh) < 0) rc = -1;
    if (H5Fclose(f) < 0) rc = -1;
    return rc ? -1 : 0;
}

static int fsync_path(const char *path, int directory)
{
    int fd = open(path, directory ? O_RDONLY : O_RDWR);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* The invariants every checkpoint must hold, checked before it replaces the last good one: a
 * non-finite value would be resumed and spread, so the run stops instead. Returns the dataset that
 * breaks one, or NULL. */
static const char *broken_invariant(const es_state *s)
{
    if (!all_finite(s->h, s->n)) return "/coefficients/current";
    if (!all_finite(s->best_h, s->n)) return "/coefficients/best";
    if (!all_finite(s->adam_m, s->n)) return "/state/adam_m";
    if (!all_finite(s->adam_v, s->n)) return "/state/adam_v";
    if (s->velocity && !all_finite(s->velocity, s->n)) return "/state/clipup_velocity";
    if (s->sigmas && !all_positive(s->sigmas, s->n)) return "/state/pgpe_sigmas (must be finite and positive)";
    if (!isfinite(s->lr) || !isfinite(s->sigma) || !(s->sigma > 0)) return "/state attributes lr, sigma";
    if (!isfinite(s->obs.count) || !all_finite(s->obs.sum, (size_t)s->obs.n) ||
        !all_finite(s->obs.sumsq, (size_t)s->obs.n))
        return "/state/obs_sum, obs_sumsq, obs_count";
    return NULL;
}

int ckpt_write(const char *path, const es_state *s, const char *config_json, const heb_layout *lay,
               const ckpt_models *models, const char *engine, char *err, size_t errlen)
{
    if (s->n_hist != (size_t)s->generation) {
        snprintf(err, errlen, "%s: refusing to write an inconsistent state (%zu history rows, generation %lld)", path,
                 s->n_hist, (long long)s->generation);
        return -1;
    }
    const char *broken = broken_invariant(s);
    if (broken) {
        snprintf(err, errlen,
                 "%s: refusing to write generation %lld: %s holds a non-finite value; the last good checkpoint "
                 "stays",
                 path, (long long)s->generation, broken);
        return -1;
    }
    /* Write a temporary beside the target (the same file system, so that rename() replaces it in
     * one step: a reader sees the old checkpoint or the new one, never half of one), named by pid
     * so that two writers never share it; fsync it before the rename, or after a crash the new
     * name could point at blocks never written. */
    char tmp[CFG_PATH_MAX + 32], dir[CFG_PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    snprintf(dir, sizeof dir, "%s", path);
    int rc;
    errno = 0; /* HDF5 fails without errno, so an old one must not be reported as the cause */
    H5E_BEGIN_TRY { rc = write_file(tmp, s, config_json, lay, models, engine); }
    H5E_END_TRY;
    if (rc || fsync_path(tmp, 0)) {
        snprintf(err, errlen, "%s: cannot write checkpoint (temporary %s): %s", path, tmp,
                 errno ? strerror(errno) : "HDF5 error");
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path)) {
        snprintf(err, errlen, "%s: cannot replace checkpoint: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    /* the rename itself must survive a crash */
    if (fsync_path(dirname(dir), 1)) {
        snprintf(err, errlen, "%s: written, but its folder cannot be synced: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- reading ---- */

void ckpt_close(ckpt_file *f)
{
    if (!f) return;
    if (f->fid >= 0) H5Fclose(f->fid);
    free(f->config_text);
    free(f->engine);
    for (int i = 0; i < f->n_models; i++) {
        free(f->model_path[i]);
        free(f->model_xml[i]);
    }
    free(f);
}

/* Version 4's /models, each checked against its checksum. */
static int read_models(ckpt_file *f, char *err, size_t errlen)
{
    hid_t g = H5Gopen2(f->fid, "models", H5P_DEFAULT);
    H5G_info_t info;
    if (g < 0 || H5Gget_info(g, &info) < 0 || info.nlinks > CKPT_MAX_MODELS) {
        if (g >= 0) H5Gclose(g);
        snprintf(err, errlen, "%s: /models missing or damaged", f->path);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < (int)info.nlinks && !rc; i++) {
        char name[16];
        snprintf(name, sizeof name, "%d", i);
        char *xml = h5u_get_string(g, name, 0), *mpath = NULL;
        uint64_t sum = 0;
        hid_t d = xml ? H5Dopen2(g, name, H5P_DEFAULT) : -1;
        if (d >= 0) {
            mpath = h5u_get_string(d, "path", 1);
            if (h5u_get_attr(d, "fnv1a64", H5T_NATIVE_UINT64, &sum)) sum = 0;
            H5Dclose(d);
        }
        f->model_path[i] = mpath;
        f->model_xml[i] = xml;
        f->n_models = i + 1;
        if (!xml || !mpath || sum != file_checksum(f, xml)) {
            snprintf(err, errlen, "%s: /models/%s is damaged (missing, or its checksum fnv1a64 does not match)",
                     f->path, name);
            rc = -1;
        }
    }
    H5Gclose(g);
    return rc;
}

static int open_checked(ckpt_file *f, const char *path, char *err, size_t errlen)
{
    if (access(path, R_OK) != 0) {
        snprintf(err, errlen, "%s: cannot read checkpoint: %s", path, strerror(errno));
        return -1;
    }
    /* Strong close: a damaged file may leave objects open; closing the file closes them all. */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    f->fid = fapl >= 0 && H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) >= 0 ? H5Fopen(path, H5F_ACC_RDONLY, fapl) : -1;
    if (fapl >= 0) H5Pclose(fapl);
    if (f->fid < 0) {
        snprintf(err, errlen, "%s: %s", path,
                 looks_like_json(path) ? "a JSON file (a config?), not a checkpoint: a checkpoint is the HDF5 "
                                         "file checkpoint.h5 in a run folder"
                                       : "not a readable HDF5 file (truncated or corrupt?)");
        return -1;
    }
    char *format = h5u_get_string(f->fid, "format", 1);
    int bad = !format || strcmp(format, CKPT_FORMAT) != 0;
    free(format);
    if (bad) {
        snprintf(err, errlen, "%s: not a hebes checkpoint (attribute 'format' missing or wrong)", path);
        return -1;
    }
    int32_t version = 0;
    if (h5u_get_attr(f->fid, "format_version", H5T_NATIVE_INT32, &version) || version < 1 ||
        version > CKPT_FORMAT_VERSION) {
        snprintf(err, errlen, "%s: checkpoint format version %d, this hebes reads versions 1 to %d", path, version,
                 CKPT_FORMAT_VERSION);
        return -1;
    }
    f->version = version;
    f->config_text = h5u_get_string(f->fid, "config", 0);
    if (!f->config_text) {
        snprintf(err, errlen, "%s: checkpoint has no readable 'config'", path);
        return -1;
    }
    uint64_t sum = 0;
    if (version >= 3 && (h5u_get_attr(f->fid, "config_fnv1a64", H5T_NATIVE_UINT64, &sum) ||
                         sum != file_checksum(f, f->config_text))) {
        snprintf(err, errlen, "%s: /config is damaged (its checksum config_fnv1a64 does not match)", path);
        return -1;
    }
    if (version >= 4 && read_models(f, err, errlen)) return -1;
    if (H5Aexists(f->fid, "mujoco_version") > 0 && !(f->engine = h5u_get_string(f->fid, "mujoco_version", 1))) {
        snprintf(err, errlen, "%s: the root attribute mujoco_version is not a readable string", path);
        return -1;
    }
    hid_t gl = H5Gopen2(f->fid, "layout", H5P_DEFAULT);
    char *rule = gl >= 0 ? h5u_get_string(gl, "rule", 1) : NULL;
    int32_t nl = -1, sizes[HEB_MAX_LAYERS + 1] = {0};
    int ok = gl >= 0 && rule && h5u_get_attr(gl, "n_layers", H5T_NATIVE_INT32, &nl) == 0 && nl >= 0 &&
             nl <= HEB_MAX_LAYERS && h5u_get_dset(gl, "sizes", H5T_NATIVE_INT32, (hsize_t)nl + 1, 0, sizes) == 0;
    if (gl >= 0) H5Gclose(gl);
    if (ok) {
        snprintf(f->layout.rule, sizeof f->layout.rule, "%s", rule);
        f->layout.n_layers = nl;
        for (int l = 0; l <= nl; l++) f->layout.sizes[l] = sizes[l];
    }
    free(rule);
    hssize_t n = h5u_dset_len(f->fid, "coefficients/current");
    if (!ok || n < 1) {
        snprintf(err, errlen, "%s: checkpoint layout or coefficients missing or damaged", path);
        return -1;
    }
    f->layout.n_params = (long long)n;
    return 0;
}

int ckpt_open(ckpt_file **out, const char *path, char *err, size_t errlen)
{
    ckpt_file *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    f->fid = -1;
    snprintf(f->path, sizeof f->path, "%s", path);
    int rc;
    H5E_BEGIN_TRY { rc = open_checked(f, path, err, errlen); }
    H5E_END_TRY;
    if (rc) {
        H5E_BEGIN_TRY { ckpt_close(f); }
        H5E_END_TRY;
        *out = NULL;
        return -1;
    }
    *out = f;
    return 0;
}

const char *ckpt_config_text(const ckpt_file *f)
{
    return f->config_text;
}

const char *ckpt_engine(const ckpt_file *f)
{
    return f->engine;
}

const ckpt_layout *ckpt_get_layout(const ckpt_file *f)
{
    return &f->layout;
}

long long ckpt_n_params(const ckpt_file *f)
{
    return f->layout.n_params;
}

const char *ckpt_model_xml(const ckpt_file *f, const char *path)
{
    for (int i = 0; i < f->n_models; i++)
        if (!strcmp(f->model_path[i], path)) return f->model_xml[i];
    return NULL;
}

int ckpt_config(const ckpt_file *f, cfg *c, const char *const *sets, int n_sets, char *err, size_t errlen)
{
    char src[CFG_PATH_MAX + 16];
    snprintf(src, sizeof src, "%s:/config", f->path);
    if (cfg_read_text(c, f->config_text, src, err, errlen)) return -1;
    for (int i = 0; i < n_sets; i++)
        if (cfg_set(c, sets[i], err, errlen)) return -1;
    return cfg_validate_keys(c, err, errlen);
}

int ckpt_read_coefficients(const ckpt_file *f, const char *which, double *out, size_t n, char *err, size_t errlen)
{
    char name[64];
    snprintf(name, sizeof name, "coefficients/%s", which);
    if ((long long)n != f->layout.n_params) {
        snprintf(err, errlen, "%s: holds %lld coefficients, the configured network needs %zu", f->path,
                 f->layout.n_params, n);
        return -1;
    }
    int rc;
    H5E_BEGIN_TRY { rc = h5u_get_dset(f->fid, name, H5T_NATIVE_DOUBLE, n, 0, out); }
    H5E_END_TRY;
    if (rc || !all_finite(out, n)) {
        snprintf(err, errlen, "%s: %s is unreadable, of the wrong size or not finite", f->path, name);
        return -1;
    }
    return 0;
}

static int read_history(hid_t g, es_state *s, size_t n, int n_layers, int version)
{
    double *d = malloc((n ? n : 1) * sizeof *d * row_width(n_layers));
    int64_t *i64 = malloc((n ? n : 1) * sizeof *i64);
    int32_t *i32 = malloc((n ? n : 1) * sizeof *i32);
    es_gen_stats *rows = calloc(n ? n : 1, sizeof *rows);
    int rc = (d && i64 && i32 && rows) ? 0 : -1;
#define COL_D(field)                                                   \
    if (!rc && !(rc = h5u_get_dset(g, #field, H5T_NATIVE_DOUBLE, n, 0, d))) \
        for (size_t k = 0; k < n; k++) rows[k].field = d[k];
#define COL_I(field, buf, type)                             \
    if (!rc && !(rc = h5u_get_dset(g, #field, type, n, 0, buf))) \
        for (size_t k = 0; k < n; k++) rows[k].field = buf[k];
    HISTORY_COLUMNS(COL_D, COL_I)
    if (version >= 2) {
        EVAL_COLUMNS(COL_D, COL_I)
    }
#undef COL_D
#undef COL_I
#define COL_A(field, width)                                                                     \
    if (!rc && (width) > 0 && (version >= 2 || !strcmp(#field, "layer_norm")) &&                 \
        !(rc = h5u_get_dset(g, #field, H5T_NATIVE_DOUBLE, n, (hsize_t)(width), d)))              \
        for (size_t k = 0; k < n; k++)                                                          \
            for (int l = 0; l < (width); l++) rows[k].field[l] = d[k * (size_t)(width) + l];
    ARRAY_COLUMNS(COL_A, n_layers)
#undef COL_A
    for (size_t k = 0; !rc && k < n; k++) {
        rows[k].n_layers = n_layers;
        rc = es_state_push_stats(s, &rows[k]);
    }
    free(d);
    free(i64);
    free(i32);
    free(rows);
    return rc;
}

/* state/obs_*: present only in runs with net.obs_norm (n = 0 otherwise). */
static int read_obs_stats(hid_t fid, es_obs_stats *o)
{
    memset(o, 0, sizeof *o);
    hssize_t n = h5u_dset_len(fid, "state/obs_sum");
    if (n < 0) return 0;
    if (n < 1 || n > ES_MAX_OBS) return -1;
    o->n = (int32_t)n;
    hid_t gs = H5Gopen2(fid, "state", H5P_DEFAULT);
    int rc = gs < 0 || h5u_get_attr(gs, "obs_count", H5T_NATIVE_DOUBLE, &o->count) ||
             h5u_get_dset(gs, "obs_sum", H5T_NATIVE_DOUBLE, (hsize_t)n, 0, o->sum) ||
             h5u_get_dset(gs, "obs_sumsq", H5T_NATIVE_DOUBLE, (hsize_t)n, 0, o->sumsq) || !isfinite(o->count) ||
             o->count < 0 || !all_finite(o->sum, (size_t)n) || !all_finite(o->sumsq, (size_t)n);
    if (gs >= 0) H5Gclose(gs);
    return rc ? -1 : 0;
}

int ckpt_read_obs_stats(const ckpt_file *f, es_obs_stats *out, char *err, size_t errlen)
{
    int rc;
    H5E_BEGIN_TRY { rc = read_obs_stats(f->fid, out); }
    H5E_END_TRY;
    if (rc) snprintf(err, errlen, "%s: state/obs_sum, obs_sumsq or obs_count damaged or of the wrong size", f->path);
    return rc;
}

/* Reads the whole state; on failure *what names the part that failed. */
static int read_state(const ckpt_file *f, es_state *s, const char **what)
{
    hid_t fid = f->fid;
    char e[8];
#define STEP(name, expr)                                                                                     \
    do {                                                                                                     \
        *what = name;                                                                                        \
        if (expr) {                                                                                          \
            rc = -1;                                                                                         \
            goto out;                                                                                        \
        }                                                                                                    \
    } while (0)
    int rc = 0;
    hid_t gc = H5Gopen2(fid, "coefficients", H5P_DEFAULT), gs = H5Gopen2(fid, "state", H5P_DEFAULT),
          gh = H5Gopen2(fid, "history", H5P_DEFAULT);
    STEP("the groups coefficients, state and history", gc < 0 || gs < 0 || gh < 0);
    STEP("coefficients/current", ckpt_read_coefficients(f, "current", s->h, s->n, e, sizeof e));
    STEP("coefficients/best", ckpt_read_coefficients(f, "best", s->best_h, s->n, e, sizeof e));
    STEP("coefficients attributes best_fitness, best_generation",
         h5u_get_attr(gc, "best_fitness", H5T_NATIVE_DOUBLE, &s->best_fitness) ||
             h5u_get_attr(gc, "best_generation", H5T_NATIVE_INT64, &s->best_generation));
    char *origin = H5Aexists(gc, "init_from") > 0 ? h5u_get_string(gc, "init_from", 1) : NULL;
    snprintf(s->origin, sizeof s->origin, "%s", origin ? origin : "");
    free(origin);
    STEP("state attributes generation, lr, sigma, adam_t, total_steps, elapsed_seconds",
         h5u_get_attr(gs, "generation", H5T_NATIVE_INT64, &s->generation) ||
             h5u_get_attr(gs, "lr", H5T_NATIVE_DOUBLE, &s->lr) ||
             h5u_get_attr(gs, "sigma", H5T_NATIVE_DOUBLE, &s->sigma) ||
             h5u_get_attr(gs, "adam_t", H5T_NATIVE_INT64, &s->adam_t) ||
             h5u_get_attr(gs, "total_steps", H5T_NATIVE_INT64, &s->total_steps) ||
             h5u_get_attr(gs, "elapsed_seconds", H5T_NATIVE_DOUBLE, &s->elapsed) || s->generation < 0 ||
             !isfinite(s->lr) || !isfinite(s->sigma) || s->sigma <= 0);
    /* Before version 6 a merge followed the generation that completed the count N divides (merged
     * after generation G, then saved): an older state is on the far side of any merge due at its
     * count, which merged_at = generation says, so a resume does not merge it a second time. */
    if (f->version < 6) s->merged_at = s->generation;
    STEP("state attribute merged_at (-1 or a generation count not past state generation)",
         f->version >= 6 && (h5u_get_attr(gs, "merged_at", H5T_NATIVE_INT64, &s->merged_at) ||
                             s->merged_at < -1 || s->merged_at > s->generation));
    STEP("state/adam_m", h5u_get_dset(gs, "adam_m", H5T_NATIVE_DOUBLE, s->n, 0, s->adam_m) ||
                             !all_finite(s->adam_m, s->n));
    STEP("state/adam_v", h5u_get_dset(gs, "adam_v", H5T_NATIVE_DOUBLE, s->n, 0, s->adam_v) ||
                             !all_finite(s->adam_v, s->n));
    /* Present when the run's config uses them (es.optimizer clipup, es.algorithm pgpe). */
    STEP("state/clipup_velocity",
         s->velocity && (h5u_get_dset(gs, "clipup_velocity", H5T_NATIVE_DOUBLE, s->n, 0, s->velocity) ||
                         !all_finite(s->velocity, s->n)));
    STEP("state/pgpe_sigmas", s->sigmas && (h5u_get_dset(gs, "pgpe_sigmas", H5T_NATIVE_DOUBLE, s->n, 0, s->sigmas) ||
                                            !all_positive(s->sigmas, s->n)));
    hssize_t nh = h5u_dset_len(gh, "generation");
    STEP("history (its length must equal state generation)", nh < 0 || nh != s->generation);
    STEP("history", read_history(gh, s, (size_t)nh, f->layout.n_layers, f->version));
    STEP("state/obs_sum, obs_sumsq, obs_count", read_obs_stats(fid, &s->obs));
#undef STEP
out:
    if (gc >= 0) H5Gclose(gc);
    if (gs >= 0) H5Gclose(gs);
    if (gh >= 0) H5Gclose(gh);
    return rc;
}

int ckpt_read_state(const ckpt_file *f, es_state *s, char *err, size_t errlen)
{
    if ((long long)s->n != f->layout.n_params) {
        snprintf(err, errlen, "%s: holds %lld coefficients, the configured network needs %zu", f->path,
                 f->layout.n_params, s->n);
        return -1;
    }
    int rc;
    const char *what = "the ES state";
    H5E_BEGIN_TRY { rc = read_state(f, s, &what); }
    H5E_END_TRY;
    if (rc) snprintf(err, errlen, "%s: %s missing, damaged or inconsistent", f->path, what);
    return rc;
}
