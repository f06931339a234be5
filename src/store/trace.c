#include "trace.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h5u.h"

struct trace {
    const heb_layout *lay;
    long cap, n;
    int every;
    long n_snap, cap_snap;
    double *act[HEB_MAX_LAYERS + 1]; /* [cap][sizes[l]] */
    double *action, *reward, *norm;  /* [cap][n_out], [cap], [cap][L] */
    double *weights;                 /* [cap_snap][total_syn] */
    long *snap_step;
    int nq, nv;
    double *qpos, *qvel, *torso_pos, *torso_quat; /* [cap][nq], [cap][nv], [cap][3], [cap][4] */
};

trace *trace_create(const heb_layout *lay, long max_steps, int weights_every, int nq, int nv)
{
    trace *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    const heb_spec *s = &lay->spec;
    t->lay = lay;
    t->cap = max_steps;
    t->every = weights_every;
    int ok = 1;
    for (int l = 0; l <= s->n_layers; l++) {
        t->act[l] = malloc((size_t)max_steps * (size_t)s->sizes[l] * sizeof(double));
        ok = ok && t->act[l];
    }
    t->action = malloc((size_t)max_steps * (size_t)s->sizes[s->n_layers] * sizeof(double));
    t->reward = malloc((size_t)max_steps * sizeof(double));
    t->norm = malloc((size_t)max_steps * (size_t)s->n_layers * sizeof(double));
    t->nq = nq;
    t->nv = nv;
    t->qpos = malloc((size_t)max_steps * (size_t)nq * sizeof(double));
    t->qvel = malloc((size_t)max_steps * (size_t)nv * sizeof(double));
    t->torso_pos = malloc((size_t)max_steps * 3 * sizeof(double));
    t->torso_quat = malloc((size_t)max_steps * 4 * sizeof(double));
    ok = ok && t->qpos && t->qvel && t->torso_pos && t->torso_quat;
    if (weights_every > 0) {
        t->cap_snap = max_steps / weights_every + 1;
        t->weights = malloc((size_t)t->cap_snap * lay->total_syn * sizeof(double));
        t->snap_step = malloc((size_t)t->cap_snap * sizeof(long));
        ok = ok && t->weights && t->snap_step;
    }
    if (!ok || !t->action || !t->reward || !t->norm) {
        trace_free(t);
        return NULL;
    }
    return t;
}

void trace_free(trace *t)
{
    if (!t) return;
    for (int l = 0; l <= HEB_MAX_LAYERS; l++) free(t->act[l]);
    free(t->action);
    free(t->reward);
    free(t->norm);
    free(t->weights);
    free(t->snap_step);
    free(t->qpos);
    free(t->qvel);
    free(t->torso_pos);
    free(t->torso_quat);
    free(t);
}

void trace_record(trace *t, long step, double reward, const double *action, const heb_state *net,
                  const env_state *env)
{
    if (t->n >= t->cap) return;
    const heb_spec *s = &t->lay->spec;
    long i = t->n++;
    const mjData *d = env->d;
    const int body = env->em->torso;
    memcpy(t->qpos + (size_t)i * t->nq, d->qpos, (size_t)t->nq * sizeof(double));
    memcpy(t->qvel + (size_t)i * t->nv, d->qvel, (size_t)t->nv * sizeof(double));
    memcpy(t->torso_pos + (size_t)i * 3, d->xpos + 3 * body, 3 * sizeof(double));
    memcpy(t->torso_quat + (size_t)i * 4, d->xquat + 4 * body, 4 * sizeof(double));
    for (int l = 0; l <= s->n_layers; l++)
        for (int k = 0; k < s->sizes[l]; k++) t->act[l][(size_t)i * s->sizes[l] + k] = net->act[l][k];
    memcpy(t->action + (size_t)i * s->sizes[s->n_layers], action, (size_t)s->sizes[s->n_layers] * sizeof(double));
    t->reward[i] = reward;
    for (int l = 0; l < s->n_layers; l++) {
        const heb_real *w = net->w + t->lay->w_off[l];
        double sq = 0.0;
        for (size_t k = 0; k < t->lay->n_syn[l]; k++) sq += (double)w[k] * w[k];
        t->norm[(size_t)i * s->n_layers + l] = sqrt(sq);
    }
    if (t->every > 0 && (step - 1) % t->every == 0 && t->n_snap < t->cap_snap) {
        double *snap = t->weights + (size_t)t->n_snap * t->lay->total_syn;
        for (size_t k = 0; k < t->lay->total_syn; k++) snap[k] = net->w[k];
        t->snap_step[t->n_snap++] = step;
    }
}

static int write_all(const trace *t, hid_t f, const trace_meta *m)
{
    const heb_spec *s = &t->lay->spec;
    int rc = 0;
    hsize_t T = (hsize_t)t->n;
    int32_t version = TRACE_FORMAT_VERSION, model_index = m->model_index;
    uint64_t seed = m->episode_seed;
    long long steps = t->n;
    rc |= h5u_put_string_attr(f, "format", TRACE_FORMAT);
    rc |= h5u_put_attr(f, "format_version", H5T_NATIVE_INT32, &version);
    rc |= h5u_put_string_attr(f, "model", m->model);
    rc |= h5u_put_attr(f, "model_index", H5T_NATIVE_INT32, &model_index);
    rc |= h5u_put_string_attr(f, "checkpoint", m->checkpoint ? m->checkpoint : "");
    rc |= h5u_put_string_attr(f, "which", m->which ? m->which : "");
    rc |= h5u_put_attr(f, "episode_seed", H5T_NATIVE_UINT64, &seed);
    rc |= h5u_put_string_attr(f, "end", m->end);
    rc |= h5u_put_attr(f, "fitness", H5T_NATIVE_DOUBLE, &m->fitness);
    rc |= h5u_put_attr(f, "steps", H5T_NATIVE_LLONG, &steps);
    rc |= h5u_put_text(f, "config", m->config_json);
    rc |= h5u_put_text(f, "model_xml", m->model_xml);
    hsize_t dq[2] = {T, (hsize_t)t->nq}, dv[2] = {T, (hsize_t)t->nv}, dp[2] = {T, 3}, dr[2] = {T, 4};
    rc |= h5u_put_dset(f, "qpos", H5T_NATIVE_DOUBLE, 2, dq, t->qpos);
    rc |= h5u_put_dset(f, "qvel", H5T_NATIVE_DOUBLE, 2, dv, t->qvel);
    rc |= h5u_put_dset(f, "torso_pos", H5T_NATIVE_DOUBLE, 2, dp, t->torso_pos);
    rc |= h5u_put_dset(f, "torso_quat", H5T_NATIVE_DOUBLE, 2, dr, t->torso_quat);
    for (int l = 0; l <= s->n_layers; l++) {
        char name[32];
        snprintf(name, sizeof name, "activity_%d", l);
        hsize_t d[2] = {T, (hsize_t)s->sizes[l]};
        rc |= h5u_put_dset(f, name, H5T_NATIVE_DOUBLE, 2, d, t->act[l]);
    }
    hsize_t da[2] = {T, (hsize_t)s->sizes[s->n_layers]}, dn[2] = {T, (hsize_t)s->n_layers};
    rc |= h5u_put_dset(f, "action", H5T_NATIVE_DOUBLE, 2, da, t->action);
    rc |= h5u_put_dset(f, "reward", H5T_NATIVE_DOUBLE, 1, &T, t->reward);
    rc |= h5u_put_dset(f, "layer_norm", H5T_NATIVE_DOUBLE, 2, dn, t->norm);
    if (t->every > 0) {
        for (int l = 0; l < s->n_layers; l++) {
            char name[32];
            snprintf(name, sizeof name, "weights_%d", l);
            hsize_t d[3] = {(hsize_t)t->n_snap, (hsize_t)s->sizes[l], (hsize_t)s->sizes[l + 1]};
            double *buf = malloc((t->n_snap ? (size_t)t->n_snap : 1) * t->lay->n_syn[l] * sizeof(double));
            if (!buf) return -1;
            for (long k = 0; k < t->n_snap; k++)
                memcpy(buf + (size_t)k * t->lay->n_syn[l], t->weights + (size_t)k * t->lay->total_syn + t->lay->w_off[l],
                       t->lay->n_syn[l] * sizeof(double));
            rc |= h5u_put_dset(f, name, H5T_NATIVE_DOUBLE, 3, d, buf);
            free(buf);
        }
        hsize_t ns = (hsize_t)t->n_snap;
        long long *steps = malloc((t->n_snap ? (size_t)t->n_snap : 1) * sizeof *steps);
        if (!steps) return -1;
        for (long k = 0; k < t->n_snap; k++) steps[k] = t->snap_step[k];
        rc |= h5u_put_dset(f, "weights_step", H5T_NATIVE_LLONG, 1, &ns, steps);
        free(steps);
    }
    return rc ? -1 : 0;
}

int trace_write(const trace *t, const char *path, const trace_meta *meta, char *err, size_t errlen)
{
    int rc = -1;
    H5E_BEGIN_TRY {
        hid_t f = h5u_create(path);
        if (f >= 0) {
            rc = write_all(t, f, meta);
            if (H5Fclose(f) < 0) rc = -1;
        }
    }
    H5E_END_TRY;
    if (rc) snprintf(err, errlen, "%s: cannot write trace: %s", path, errno ? strerror(errno) : "HDF5 error");
    return rc;
}

/* ---- reading ---- */

static hid_t open_read(const char *path)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), f = -1;
    if (fapl < 0) return -1;
    /* a damaged file may leave objects open: closing the file closes them all */
    if (H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) >= 0) f = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    H5Pclose(fapl);
    return f;
}

int trace_read(trace_recording *r, const char *path, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    int ok = 0;
    H5E_BEGIN_TRY
    {
        hid_t f = open_read(path);
        char *format = f >= 0 ? h5u_get_string(f, "format", 1) : NULL;
        int32_t version = 0, index = 0;
        ok = format && !strcmp(format, TRACE_FORMAT) && !h5u_get_attr(f, "format_version", H5T_NATIVE_INT32, &version) &&
             version >= 2 && version <= TRACE_FORMAT_VERSION;
        free(format);
        r->version = version;
        if (ok) {
            r->config = h5u_get_string(f, "config", 0);
            r->model = h5u_get_string(f, "model", 1);
            if (version >= 3) r->model_xml = h5u_get_string(f, "model_xml", 0);
            ok = r->config && r->model && (version < 3 || r->model_xml) &&
                 !h5u_get_attr(f, "episode_seed", H5T_NATIVE_UINT64, &r->episode_seed) &&
                 !h5u_get_attr(f, "model_index", H5T_NATIVE_INT32, &index) &&
                 !h5u_get_attr(f, "steps", H5T_NATIVE_LLONG, &r->steps) && r->steps >= 0;
            r->model_index = index;
            if (!ok) snprintf(err, errlen, "%s: trace attributes config, model, model_xml, episode_seed, model_index or "
                                           "steps missing or damaged", path);
        } else {
            snprintf(err, errlen, "%s: %s", path, f < 0 ? "not a readable HDF5 file"
                                               : "not a replayable hebes trace (format hebes-trace versions 2 and 3; "
                                                 "version 1 traces hold no states)");
        }
        if (f >= 0) H5Fclose(f);
    }
    H5E_END_TRY;
    if (!ok) trace_recording_free(r);
    return ok ? 0 : -1;
}

int trace_read_states(trace_recording *r, const char *path, int nq, int nv, int na, char *err, size_t errlen)
{
    r->nq = nq;
    r->nv = nv;
    r->na = na;
    const size_t T = (size_t)r->steps;
    r->qpos = malloc((T ? T : 1) * (size_t)nq * sizeof(double));
    r->qvel = malloc((T ? T : 1) * (size_t)nv * sizeof(double));
    r->action = malloc((T ? T : 1) * (size_t)na * sizeof(double));
    int bad = !r->qpos || !r->qvel || !r->action;
    H5E_BEGIN_TRY
    {
        hid_t f = bad ? -1 : open_read(path);
        bad = bad || f < 0 || h5u_get_dset(f, "qpos", H5T_NATIVE_DOUBLE, (hsize_t)T, (hsize_t)nq, r->qpos) ||
              h5u_get_dset(f, "qvel", H5T_NATIVE_DOUBLE, (hsize_t)T, (hsize_t)nv, r->qvel) ||
              h5u_get_dset(f, "action", H5T_NATIVE_DOUBLE, (hsize_t)T, (hsize_t)na, r->action);
        if (f >= 0) H5Fclose(f);
    }
    H5E_END_TRY;
    if (bad) snprintf(err, errlen, "%s: datasets qpos, qvel or action missing, damaged or not of this model's sizes", path);
    return bad ? -1 : 0;
}

void trace_recording_free(trace_recording *r)
{
    if (!r) return;
    free(r->config);
    free(r->model);
    free(r->model_xml);
    free(r->qpos);
    free(r->qvel);
    free(r->action);
    memset(r, 0, sizeof *r);
}
