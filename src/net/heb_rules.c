#include <math.h>

#include "heb.h"

/* One loop nest per rule: the rule is chosen once per layer, never per synapse,
 * and each inner loop runs over contiguous arrays so the compiler vectorises it.
 * Only the rule's n_planes coefficient planes are formed: a pointer further than one past
 * the end of the buffer would be undefined behaviour even unused. */
#define PLANE(p, k) ((k) < n_planes ? (p) + (size_t)(k) * n : (p))
#define RULE_LOOP(EXPR)                                                     \
    for (int i = 0; i < n_pre; i++) {                                       \
        const heb_real oi = pre[i];                                         \
        const size_t b = (size_t)i * (size_t)n_post;                        \
        heb_real *restrict wr = w + b;                                      \
        const heb_real *restrict h0 = n_planes ? c + b : c, *restrict h1 = PLANE(h0, 1); \
        const heb_real *restrict h2 = PLANE(h0, 2), *restrict h3 = PLANE(h0, 3); \
        const heb_real *restrict h4 = PLANE(h0, 4), *restrict h5 = PLANE(h0, 5); \
        (void)h0, (void)h1, (void)h2, (void)h3, (void)h4, (void)h5, (void)oi; \
        for (int j = 0; j < n_post; j++) {                                  \
            const heb_real oj = post[j];                                    \
            wr[j] += (EXPR);                                                \
        }                                                                   \
    }

HEB_HOT void heb_layer_update(const heb_spec *spec, const heb_real *restrict c, heb_real *restrict w,
                              const heb_real *restrict pre, int n_pre, const heb_real *restrict post, int n_post,
                              const heb_real *restrict theta)
{
    const size_t n = (size_t)n_pre * (size_t)n_post;
    const heb_real eta = (heb_real)spec->eta, alpha = (heb_real)spec->oja_alpha;
    const int n_planes = heb_rule_ncoef(spec->rule);
    (void)n;
    switch (spec->rule) {
    case HEB_STATIC: break;
    case HEB_A: RULE_LOOP(h0[j] * oi * oj) break;
    case HEB_AD: RULE_LOOP(h0[j] * oi * oj + h1[j]) break;
    case HEB_AD_LR: RULE_LOOP(h2[j] * (h0[j] * oi * oj + h1[j])) break;
    case HEB_ABC: RULE_LOOP(h0[j] * oi * oj + h1[j] * oi + h2[j] * oj) break;
    case HEB_ABC_LR: RULE_LOOP(h3[j] * (h0[j] * oi * oj + h1[j] * oi + h2[j] * oj)) break;
    case HEB_ABCD: RULE_LOOP(h0[j] * oi * oj + h1[j] * oi + h2[j] * oj + h3[j]) break;
    case HEB_ABCD_LR: RULE_LOOP(h3[j] * (h0[j] * oi * oj + h1[j] * oi + h2[j] * oj + h4[j])) break;
    case HEB_ABCD_LR_D_OUT: RULE_LOOP(h3[j] * (h0[j] * oi * oj + h1[j] * oi + h2[j] * oj) + h4[j]) break;
    case HEB_ABCD_LR_D_IN_OUT:
        RULE_LOOP(h3[j] * (h0[j] * oi * oj + h1[j] * oi + h2[j] * oj + h4[j]) + h5[j]) break;
    case HEB_HEBB:
    case HEB_HEBB_CLIPPED: RULE_LOOP(eta * oi * oj) break;
    case HEB_OJA: RULE_LOOP(eta * (oi * oj - alpha * oj * oj * wr[j])) break;
    case HEB_BCM: RULE_LOOP(h0[j] * oi * oj * (oj - theta[j])) break;
    case HEB_RULE_COUNT: break;
    }
    if (spec->rule == HEB_HEBB_CLIPPED) {
        /* Each post-synaptic unit's incoming weight vector back inside the ball. */
        for (int j = 0; j < n_post; j++) {
            double sq = 0.0;
            for (int i = 0; i < n_pre; i++) sq += (double)w[(size_t)i * n_post + j] * w[(size_t)i * n_post + j];
            double norm = sqrt(sq);
            if (norm > spec->clip_norm && norm > 0.0) {
                heb_real f = (heb_real)(spec->clip_norm / norm);
                for (int i = 0; i < n_pre; i++) w[(size_t)i * n_post + j] *= f;
            }
        }
    }
}

static void modify_layer(const heb_spec *s, heb_real *restrict w, size_t n)
{
    if (s->weight_decay > 0.0) {
        const heb_real keep = (heb_real)(1.0 - s->weight_decay);
        for (size_t k = 0; k < n; k++) w[k] *= keep;
    }
    if (s->w_min < s->w_max) {
        const heb_real lo = (heb_real)s->w_min, hi = (heb_real)s->w_max;
        for (size_t k = 0; k < n; k++) w[k] = w[k] < lo ? lo : w[k] > hi ? hi : w[k];
    }
    if (s->normalize) {
        heb_real m = 0.0f;
        for (size_t k = 0; k < n; k++) m = fabsf(w[k]) > m ? fabsf(w[k]) : m;
        if (m > 0.0f && isfinite(m)) {
            const heb_real inv = 1.0f / m;
            for (size_t k = 0; k < n; k++) w[k] *= inv;
        }
    }
}

/* BCM: each threshold slides toward the square of its unit's activity, time constant bcm_tau. */
static void slide_thresholds(const heb_spec *s, heb_real *restrict theta, const heb_real *restrict post, int n)
{
    const heb_real k = (heb_real)(1.0 / s->bcm_tau);
    for (int j = 0; j < n; j++) theta[j] += (post[j] * post[j] - theta[j]) * k;
}

/* A rate-coded model reads an activity as a firing rate in [0, 1]: |o|, saturating at 1. Hidden
 * units are tanh and already there; raw observations and a raw output are not, and an unbounded
 * rate pushed short-term plasticity's u and x out of [0, 1] (docs/rules.md). */
static inline heb_real rate_of(heb_real o)
{
    const heb_real r = fabsf(o);
    return r < 1.0f ? r : 1.0f;
}

static inline heb_real unit_interval(heb_real v)
{
    return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
}

/* Homeostatic scaling: each unit's running mean rate (time constant homeo_tau) drives a
 * multiplicative scaling of its incoming weights toward homeo_target. With the rate and the target
 * in [0, 1] and homeo_rate <= 1, the factor stays in [1 - rate, 1 + rate]: never a sign flip. */
static void scale_homeostatic(const heb_spec *s, heb_real *restrict w, heb_real *restrict avg,
                              const heb_real *restrict post, int n_pre, int n_post, heb_real *restrict factor)
{
    const heb_real k = (heb_real)(1.0 / s->homeo_tau), rate = (heb_real)s->homeo_rate;
    const heb_real target = (heb_real)s->homeo_target;
    for (int j = 0; j < n_post; j++) {
        avg[j] += (rate_of(post[j]) - avg[j]) * k;
        factor[j] = 1.0f + rate * (target - avg[j]);
    }
    for (int i = 0; i < n_pre; i++) {
        heb_real *restrict wr = w + (size_t)i * n_post;
        for (int j = 0; j < n_post; j++) wr[j] *= factor[j];
    }
}

/* Short-term plasticity of each pre-synaptic unit (Tsodyks-Markram, rate r = min(|o_i|, 1)):
 * release u facilitates (relaxing to U with stp_tau_f; none when 0) and resources x deplete
 * (recovering with stp_tau_d), depression using this step's facilitated u. u is a probability and
 * x a fraction: a step that would overshoot them (1/tau + U r > 1) is clamped to [0, 1]. */
static void step_stp(const heb_spec *s, heb_real *restrict u, heb_real *restrict x, const heb_real *restrict pre,
                     int n)
{
    const heb_real U = (heb_real)s->stp_u, kd = (heb_real)(1.0 / s->stp_tau_d);
    const heb_real kf = s->stp_tau_f > 0.0 ? (heb_real)(1.0 / s->stp_tau_f) : 0.0f;
    for (int i = 0; i < n; i++) {
        const heb_real r = rate_of(pre[i]);
        if (kf > 0.0f) u[i] = unit_interval(u[i] + (U - u[i]) * kf + U * (1.0f - u[i]) * r);
        x[i] = unit_interval(x[i] + (1.0f - x[i]) * kd - u[i] * x[i] * r);
    }
}

void heb_update(heb_state *st, const heb_layout *lay, const heb_real *coef)
{
    const heb_spec *s = &lay->spec;
    for (int l = 0; l < s->n_layers; l++) {
        heb_real *w = st->w + lay->w_off[l];
        const int n_pre = s->sizes[l], n_post = s->sizes[l + 1];
        const size_t pre_off = lay->unit_off[l], post_off = lay->unit_off[l + 1];
        if (s->stp_u > 0.0) step_stp(s, st->stp_u + pre_off, st->stp_x + pre_off, st->act[l], n_pre);
        if (s->rule == HEB_STATIC) continue;
        heb_layer_update(s, coef + lay->coef_off[l], w, st->act[l], n_pre, st->act[l + 1], n_post,
                         st->theta + post_off);
        if (s->rule == HEB_BCM) slide_thresholds(s, st->theta + post_off, st->act[l + 1], n_post);
        if (s->homeo_rate > 0.0)
            scale_homeostatic(s, w, st->avg + post_off, st->act[l + 1], n_pre, n_post, st->eff_in);
        modify_layer(s, w, lay->n_syn[l]);
    }
}
