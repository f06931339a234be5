#include "trace.h"

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
};

trace *trace_create(const heb_layout *lay, long max_steps, int weights_every)
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
    free(t);
}

void trace_record(trace *t, long step, double reward, const double *action, const heb_state *net)
{
    if (t->n >= t->cap) return;
    const heb_spec *s = &t->lay->spec;
    long i = t->n++;
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

static int write_all(const trace *t, hid_t f, const char *config_json, const char *model, double fitness,
                     const char *end)
{
    const heb_spec *s = &t->lay->spec;
    int rc = 0;
    hsize_t T = (hsize_t)t->n;
    rc |= h5u_put_string_attr(f, "format", "hebes-trace");
    rc |= h5u_put_string_attr(f, "model", model);
    rc |= h5u_put_string_attr(f, "end", end);
    rc |= h5u_put_attr(f, "fitness", H5T_NATIVE_DOUBLE, &fitness);
    rc |= h5u_put_text(f, "config", config_json);
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

int trace_write(const trace *t, const char *path, const char *config_json, const char *model, double fitness,
                const char *end, char *err, size_t errlen)
{
    int rc = -1;
    H5E_BEGIN_TRY {
        hid_t f = h5u_create(path);
        if (f >= 0) {
            rc = write_all(t, f, config_json, model, fitness, end);
            if (H5Fclose(f) < 0) rc = -1;
        }
    }
    H5E_END_TRY;
    if (rc) snprintf(err, errlen, "%s: cannot write trace", path);
    return rc;
}
