#include "heb.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const heb_rule_names[HEB_RULE_COUNT] = {
    "static", "A", "AD", "AD_lr", "ABC", "ABC_lr", "ABCD", "ABCD_lr",
    "ABCD_lr_D_out", "ABCD_lr_D_in_and_out", "hebb", "hebb_clipped", "oja", "BCM",
};

const char *const heb_init_names[HEB_INIT_COUNT] = {
    "uni", "normal", "xa_uni", "sparse", "ka_uni", "uni_big", "xa_uni_big", "ones", "zeros",
};

int heb_rule_ncoef(heb_rule rule)
{
    static const int n[HEB_RULE_COUNT] = {1, 1, 2, 3, 3, 4, 4, 5, 5, 6, 0, 0, 0, 1};
    return rule < HEB_RULE_COUNT ? n[rule] : 0;
}

int heb_layout_init(heb_layout *lay, const heb_spec *spec, char *err, size_t errlen)
{
    memset(lay, 0, sizeof *lay);
    if (spec->n_layers < 1 || spec->n_layers > HEB_MAX_LAYERS) {
        snprintf(err, errlen, "network needs 1..%d weight layers, got %d", HEB_MAX_LAYERS, spec->n_layers);
        return -1;
    }
    if (spec->rule >= HEB_RULE_COUNT || spec->init >= HEB_INIT_COUNT) {
        snprintf(err, errlen, "unknown rule or initialisation");
        return -1;
    }
    lay->spec = *spec;
    lay->ncoef = heb_rule_ncoef(spec->rule);
    size_t coef = 0, syn = 0;
    for (int l = 0; l <= spec->n_layers; l++) {
        if (spec->sizes[l] < 1) {
            snprintf(err, errlen, "layer %d has %d units", l, spec->sizes[l]);
            return -1;
        }
        if ((size_t)spec->sizes[l] > lay->max_units) lay->max_units = (size_t)spec->sizes[l];
        lay->unit_off[l] = lay->total_units;
        lay->total_units += (size_t)spec->sizes[l];
    }
    for (int l = 0; l < spec->n_layers; l++) {
        lay->n_syn[l] = (size_t)spec->sizes[l] * (size_t)spec->sizes[l + 1];
        lay->coef_off[l] = coef;
        lay->w_off[l] = syn;
        coef += lay->n_syn[l] * (size_t)lay->ncoef;
        syn += lay->n_syn[l];
    }
    lay->total_syn = syn;
    lay->init_off = coef;
    /* The static rule's single coefficient already is the weight. */
    lay->n_coef = coef + (spec->coevolve_init && spec->rule != HEB_STATIC ? syn : 0);
    lay->n_params = lay->n_coef;
    if (spec->neuron_centric) {
        /* A weight of its own per synapse (static, or evolved initial weights) is what a
         * neuron-centric rule does without: refused rather than silently ignored. */
        if (spec->rule == HEB_STATIC || spec->coevolve_init || lay->ncoef == 0) {
            snprintf(err, errlen, "net.neuron_centric needs a rule with evolved coefficients (not static, hebb, "
                                  "hebb_clipped or oja) and net.coevolve_init false");
            return -1;
        }
        lay->n_params = (size_t)lay->ncoef * lay->total_units;
    }
    if (heb_shared(spec)) {
        if (spec->rule == HEB_STATIC || spec->coevolve_init || lay->ncoef == 0 || spec->neuron_centric) {
            snprintf(err, errlen, "net.shared_rules and net.merge_every need a rule with evolved coefficients (not "
                                  "static, hebb, hebb_clipped or oja), net.coevolve_init false and "
                                  "net.neuron_centric false");
            return -1;
        }
        if ((size_t)spec->shared_rules > syn) {
            snprintf(err, errlen, "net.shared_rules: %d rules for %zu synapses: at most one per synapse",
                     spec->shared_rules, syn);
            return -1;
        }
        lay->n_rules0 = spec->shared_rules > 0 ? (size_t)spec->shared_rules : syn;
        lay->share_off = (size_t)lay->ncoef * lay->n_rules0;
        lay->n_params = lay->share_off + 1 + syn; /* the planes, the count, the assignment */
    }
    return 0;
}

size_t heb_param_index(const heb_layout *lay, int l, int c, int i, int j)
{
    return lay->coef_off[l] + (size_t)c * lay->n_syn[l] + (size_t)i * (size_t)lay->spec.sizes[l + 1] + (size_t)j;
}

int heb_state_create(heb_state *st, const heb_layout *lay)
{
    memset(st, 0, sizeof *st);
    /* Zeroed, so that a state is defined before its first forward pass: an update or a read of
     * the activities before it sees zeros, not whatever the heap held (test_rules' modifiers did). */
    st->w = calloc(lay->total_syn, sizeof *st->w);
    st->raw_out = calloc((size_t)lay->spec.sizes[lay->spec.n_layers], sizeof *st->raw_out);
    st->scratch = calloc(lay->max_units, sizeof *st->scratch);
    st->theta = calloc(lay->total_units, sizeof *st->theta);
    st->avg = calloc(lay->total_units, sizeof *st->avg);
    st->stp_u = calloc(lay->total_units, sizeof *st->stp_u);
    st->stp_x = calloc(lay->total_units, sizeof *st->stp_x);
    st->eff_in = calloc(lay->max_units, sizeof *st->eff_in);
    int ok = st->w && st->raw_out && st->scratch && st->theta && st->avg && st->stp_u && st->stp_x && st->eff_in;
    for (int l = 0; l <= lay->spec.n_layers; l++) {
        st->act[l] = calloc((size_t)lay->spec.sizes[l], sizeof *st->act[l]);
        ok = ok && st->act[l];
    }
    if (!ok) {
        heb_state_free(st);
        return -1;
    }
    return 0;
}

void heb_state_free(heb_state *st)
{
    free(st->w);
    free(st->raw_out);
    free(st->scratch);
    free(st->theta);
    free(st->avg);
    free(st->stp_u);
    free(st->stp_x);
    free(st->eff_in);
    for (int l = 0; l <= HEB_MAX_LAYERS; l++) free(st->act[l]);
    memset(st, 0, sizeof *st);
}

static void init_layer(heb_real *w, int n_pre, int n_post, heb_init init, rng_stream *rng)
{
    size_t n = (size_t)n_pre * (size_t)n_post;
    double bound = 0.0, std = 0.0;
    switch (init) {
    case HEB_INIT_UNI: bound = 0.1; break;
    case HEB_INIT_UNI_BIG: bound = 1.0; break;
    case HEB_INIT_XA_UNI: bound = 0.3 * sqrt(6.0 / (n_pre + n_post)); break;
    case HEB_INIT_XA_UNI_BIG: bound = sqrt(6.0 / (n_pre + n_post)); break;
    case HEB_INIT_KA_UNI: bound = sqrt(2.0 / (1.0 + 3.0 * 3.0)) * sqrt(3.0 / n_pre); break;
    case HEB_INIT_NORMAL: std = 0.024; break;
    case HEB_INIT_SPARSE: std = 0.01; break;
    case HEB_INIT_ONES:
    case HEB_INIT_ZEROS:
    case HEB_INIT_COUNT:
        for (size_t k = 0; k < n; k++) w[k] = init == HEB_INIT_ONES ? 1.0f : 0.0f;
        return;
    }
    if (init == HEB_INIT_NORMAL) {
        for (size_t k = 0; k < n; k++) w[k] = (heb_real)(std * rng_normal(rng));
    } else if (init == HEB_INIT_SPARSE) {
        for (size_t k = 0; k < n; k++) {
            double keep = rng_uniform(rng) >= 0.8;
            double v = std * rng_normal(rng); /* always drawn: the stream's use does not depend on keep */
            w[k] = keep ? (heb_real)v : 0.0f;
        }
    } else {
        for (size_t k = 0; k < n; k++) w[k] = (heb_real)(bound * (2.0 * rng_uniform(rng) - 1.0));
    }
}

void heb_coef_from_params(const heb_layout *lay, const double *params, heb_real *coef)
{
    if (lay->n_rules0) {
        /* h[l][c][i][j] = x_c[a[s]], s = w_off[l] + i n_post + j: the synapse's rule's coefficient */
        const double *a = params + lay->share_off + 1;
        for (int l = 0; l < lay->spec.n_layers; l++)
            for (int c = 0; c < lay->ncoef; c++) {
                const double *x = params + (size_t)c * lay->n_rules0;
                heb_real *h = coef + lay->coef_off[l] + (size_t)c * lay->n_syn[l];
                const double *al = a + lay->w_off[l];
                for (size_t s = 0; s < lay->n_syn[l]; s++) h[s] = (heb_real)x[(size_t)al[s]];
            }
        return;
    }
    if (!lay->spec.neuron_centric) {
        for (size_t k = 0; k < lay->n_params; k++) coef[k] = (heb_real)params[k];
        return;
    }
    /* h[l][c][i][j] = (x_c[pre i] + x_c[post j]) / 2, summed in double and rounded once, in the
     * order of the planes (docs/rules.md, "Neuron-centric coefficients"). */
    const heb_spec *s = &lay->spec;
    for (int l = 0; l < s->n_layers; l++) {
        const int n_pre = s->sizes[l], n_post = s->sizes[l + 1];
        for (int c = 0; c < lay->ncoef; c++) {
            const double *x = params + (size_t)c * lay->total_units;
            const double *pre = x + lay->unit_off[l], *post = x + lay->unit_off[l + 1];
            heb_real *h = coef + lay->coef_off[l] + (size_t)c * lay->n_syn[l];
            for (int i = 0; i < n_pre; i++)
                for (int j = 0; j < n_post; j++) h[(size_t)i * n_post + j] = (heb_real)(0.5 * (pre[i] + post[j]));
        }
    }
}

void heb_state_reset(heb_state *st, const heb_layout *lay, const heb_real *coef, rng_stream *rng)
{
    const heb_spec *s = &lay->spec;
    /* Every per-unit state starts at rest each episode: BCM's threshold at theta0, homeostasis'
     * running rate at its target (no scaling at first), STP at u = U and all resources x = 1. */
    for (size_t k = 0; k < lay->total_units; k++) {
        st->theta[k] = (heb_real)s->bcm_theta0;
        st->avg[k] = (heb_real)s->homeo_target;
        st->stp_u[k] = (heb_real)s->stp_u;
        st->stp_x[k] = 1.0f;
    }
    if (s->rule == HEB_STATIC) {
        memcpy(st->w, coef, lay->total_syn * sizeof *st->w);
    } else if (s->coevolve_init) {
        memcpy(st->w, coef + lay->init_off, lay->total_syn * sizeof *st->w);
    } else {
        for (int l = 0; l < s->n_layers; l++)
            init_layer(st->w + lay->w_off[l], s->sizes[l], s->sizes[l + 1], s->init, rng);
    }
}

HEB_HOT int heb_forward(heb_state *st, const heb_layout *lay, const double *obs, double *action)
{
    const heb_spec *s = &lay->spec;
    int L = s->n_layers;
    for (int i = 0; i < s->sizes[0]; i++) st->act[0][i] = (heb_real)obs[i];
    for (int l = 0; l < L; l++) {
        int n_pre = s->sizes[l], n_post = s->sizes[l + 1];
        const heb_real *w = st->w + lay->w_off[l];
        const heb_real *pre = st->act[l];
        if (s->stp_u > 0.0) { /* short-term plasticity: the input through its efficacy u x / U */
            const heb_real *u = st->stp_u + lay->unit_off[l], *x = st->stp_x + lay->unit_off[l];
            const heb_real inv_u = (heb_real)(1.0 / s->stp_u);
            for (int i = 0; i < n_pre; i++) st->eff_in[i] = pre[i] * (u[i] * x[i] * inv_u);
            pre = st->eff_in;
        }
        heb_real *out = l == L - 1 ? st->raw_out : st->act[l + 1];
        /* o_j = sum_i w_ij o_i in float32, input by input (i outer): the order the Python API
         * copies, and one that vectorises over j; no bias, as the paper's network */
        for (int j = 0; j < n_post; j++) out[j] = 0.0f;
        for (int i = 0; i < n_pre; i++) {
            const heb_real *row = w + (size_t)i * n_post;
            heb_real oi = pre[i];
            for (int j = 0; j < n_post; j++) out[j] += row[j] * oi;
        }
        if (l < L - 1) /* hidden units: o_j <- tanh(o_j) */
            for (int j = 0; j < n_post; j++) out[j] = tanhf(out[j]);
    }
    /* The action is tanh(output) in [-1, 1]; what the last layer's synapses learn from is the same
     * tanh, or the raw output (net.out_post_activity raw). A non-finite output ends the episode as
     * diverged before it reaches MuJoCo. */
    int n_out = s->sizes[L], finite = 1;
    for (int k = 0; k < n_out; k++) {
        heb_real a = tanhf(st->raw_out[k]);
        action[k] = a;
        st->act[L][k] = s->out_post_tanh ? a : st->raw_out[k];
        finite &= isfinite(st->raw_out[k]);
    }
    return finite ? 0 : -1;
}

HEB_HOT int heb_check(heb_state *st, const heb_layout *lay, double *sq_norm)
{
    int finite = 1;
    for (int l = 0; l < lay->spec.n_layers; l++) {
        int n_pre = lay->spec.sizes[l], n_post = lay->spec.sizes[l + 1];
        const heb_real *w = st->w + lay->w_off[l];
        double *acc = st->scratch;
        /* Per-column partial sums in double: a fixed order that still vectorises. */
        for (int j = 0; j < n_post; j++) acc[j] = 0.0;
        for (int i = 0; i < n_pre; i++)
            for (int j = 0; j < n_post; j++) {
                double v = w[(size_t)i * n_post + j];
                acc[j] += v * v;
            }
        double total = 0.0;
        for (int j = 0; j < n_post; j++) total += acc[j];
        sq_norm[l] = total;
        finite &= isfinite(total);
    }
    return finite ? 0 : -1;
}
