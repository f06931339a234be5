#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "heb.h"
#include "testutil.h"

/* One synapse, pre 0.5, post -0.4, w 0.3, coefficients [2, 3, -1, 0.1, 0.5, 0.25];
 * the expected weights are worked out by hand from the rule table (in single
 * precision, hence the tolerance). */
static double one_synapse(heb_rule rule)
{
    const heb_real h[6] = {2, 3, -1, 0.1f, 0.5f, 0.25f};
    heb_real coef[6], w = 0.3f, pre = 0.5f, post = -0.4f;
    heb_spec spec = {.rule = rule, .eta = 0.1, .oja_alpha = 1.0, .clip_norm = 1e9};
    for (int c = 0; c < 6; c++) coef[c] = h[c]; /* n = 1: coefficient c of synapse 0 sits at c */
    heb_layer_update(&spec, coef, &w, &pre, 1, &post, 1, NULL);
    return w;
}

START_TEST(each_rule_by_hand)
{
    const struct {
        heb_rule rule;
        double w;
    } cases[] = {
        {HEB_STATIC, 0.3},            /* unchanged */
        {HEB_A, -0.1},                /* 0.3 + 2(0.5)(-0.4) */
        {HEB_AD, 2.9},                /* 0.3 + (-0.4 + 3) */
        {HEB_AD_LR, -2.3},            /* 0.3 - 1 (-0.4 + 3) */
        {HEB_ABC, 1.8},               /* 0.3 + (-0.4 + 1.5 + 0.4) */
        {HEB_ABC_LR, 0.45},           /* 0.3 + 0.1 (1.5) */
        {HEB_ABCD, 1.9},              /* 0.3 + 1.5 + 0.1 */
        {HEB_ABCD_LR, 0.5},           /* 0.3 + 0.1 (1.5 + 0.5) */
        {HEB_ABCD_LR_D_OUT, 0.95},    /* 0.3 + 0.1 (1.5) + 0.5 */
        {HEB_ABCD_LR_D_IN_OUT, 0.75}, /* 0.3 + 0.1 (1.5 + 0.5) + 0.25 */
        {HEB_HEBB, 0.28},             /* 0.3 + 0.1 (0.5)(-0.4) */
        {HEB_OJA, 0.2752},            /* 0.3 + 0.1 (-0.2 - 0.16 (0.3)) */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        ck_assert_msg(fabs(one_synapse(cases[k].rule) - cases[k].w) < 1e-6, "rule %s: got %.15g, want %.15g",
                      heb_rule_names[cases[k].rule], one_synapse(cases[k].rule), cases[k].w);
}
END_TEST

START_TEST(coefficient_counts)
{
    const int want[HEB_RULE_COUNT] = {1, 1, 2, 3, 3, 4, 4, 5, 5, 6, 0, 0, 0, 1};
    for (int r = 0; r < HEB_RULE_COUNT; r++) ck_assert_int_eq(heb_rule_ncoef(r), want[r]);
}
END_TEST

static void layout_3_4_2(heb_layout *lay, heb_rule rule, int coevolve)
{
    heb_spec spec = {.n_layers = 2, .sizes = {3, 4, 2}, .rule = rule, .coevolve_init = coevolve, .out_post_tanh = 1};
    char err[128];
    ck_assert_int_eq(heb_layout_init(lay, &spec, err, sizeof err), 0);
}

START_TEST(layout_round_trip)
{
    /* Every (layer, coefficient, pre, post) maps to its own index, and together they cover the vector. */
    heb_layout lay;
    layout_3_4_2(&lay, HEB_ABCD_LR, 1);
    ck_assert_uint_eq(lay.total_syn, 3 * 4 + 4 * 2);
    ck_assert_uint_eq(lay.n_params, 5 * 20 + 20);
    ck_assert_uint_eq(lay.init_off, 100);
    char *seen = calloc(lay.n_params, 1);
    for (int l = 0; l < 2; l++)
        for (int c = 0; c < 5; c++)
            for (int i = 0; i < lay.spec.sizes[l]; i++)
                for (int j = 0; j < lay.spec.sizes[l + 1]; j++) {
                    size_t k = heb_param_index(&lay, l, c, i, j);
                    ck_assert_uint_lt(k, lay.init_off);
                    ck_assert_int_eq(seen[k], 0);
                    seen[k] = 1;
                }
    for (size_t k = 0; k < lay.init_off; k++) ck_assert_int_eq(seen[k], 1);
    free(seen);
}
END_TEST

/* net.neuron_centric: 5 parameters per unit (3 + 4 + 2 = 9 units: 45), and synapse (l, i, j)'s
 * coefficient c is the mean of unit i's and unit j's, worked here by hand. */
START_TEST(neuron_centric_coefficients_by_hand)
{
    heb_spec spec = {.n_layers = 2, .sizes = {3, 4, 2}, .rule = HEB_ABCD_LR, .out_post_tanh = 1, .neuron_centric = 1};
    heb_layout lay;
    char err[256];
    ck_assert_int_eq(heb_layout_init(&lay, &spec, err, sizeof err), 0);
    ck_assert_uint_eq(lay.n_params, 5 * 9);
    ck_assert_uint_eq(lay.n_coef, 5 * 20); /* the planes the update reads are the per-synapse ones */
    double p[45];
    for (int k = 0; k < 45; k++) p[k] = 0.1 * k - 1.0; /* x_c[u] = p[9 c + u] */
    heb_real *coef = malloc(lay.n_coef * sizeof *coef);
    heb_coef_from_params(&lay, p, coef);
    /* layer 1 (hidden unit i = 2, output unit j = 1), coefficient c = 3 (the learning rate of ABCD_lr):
     * hidden units are 3..6 and outputs 7..8 in the unit order, so (p[9*3 + 3 + 2] + p[9*3 + 7 + 1]) / 2 */
    ck_assert_float_eq_tol(coef[heb_param_index(&lay, 1, 3, 2, 1)], (heb_real)(0.5 * (p[32] + p[35])), 1e-7);
    for (int l = 0; l < 2; l++)
        for (int c = 0; c < 5; c++)
            for (int i = 0; i < spec.sizes[l]; i++)
                for (int j = 0; j < spec.sizes[l + 1]; j++) {
                    const double want = 0.5 * (p[9 * c + (int)lay.unit_off[l] + i] + p[9 * c + (int)lay.unit_off[l + 1] + j]);
                    ck_assert_float_eq(coef[heb_param_index(&lay, l, c, i, j)], (heb_real)want);
                }
    free(coef);
    /* a neuron-centric static network, or evolved initial weights with it, is refused by name */
    spec.rule = HEB_STATIC;
    ck_assert_int_eq(heb_layout_init(&lay, &spec, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "net.neuron_centric needs a rule with evolved coefficients"));
    spec.rule = HEB_ABCD_LR;
    spec.coevolve_init = 1;
    ck_assert_int_eq(heb_layout_init(&lay, &spec, err, sizeof err), -1);
}
END_TEST

START_TEST(every_synapse_uses_its_own_row)
{
    /* Distinct coefficients per synapse: each weight must move by the rule applied to its own row
     * and the activities of its own pre and post units. */
    heb_layout lay;
    layout_3_4_2(&lay, HEB_ABCD_LR, 0);
    heb_state st;
    ck_assert_int_eq(heb_state_create(&st, &lay), 0);
    double *p = malloc(lay.n_params * sizeof *p);
    heb_real *coef = malloc(lay.n_params * sizeof *coef);
    for (size_t k = 0; k < lay.n_params; k++) p[k] = 0.01 * (double)(k % 37) - 0.15;
    heb_coef_from_params(&lay, p, coef);
    rng_stream rng;
    rng_stream_init(&rng, 3, RNG_WEIGHTS, 0, 0);
    heb_state_reset(&st, &lay, coef, &rng);
    const double obs[3] = {0.3, -0.7, 1.1};
    double act[2];
    ck_assert_int_eq(heb_forward(&st, &lay, obs, act), 0);
    heb_real *before = malloc(lay.total_syn * sizeof *before);
    memcpy(before, st.w, lay.total_syn * sizeof *before);
    heb_update(&st, &lay, coef);
    for (int l = 0; l < 2; l++)
        for (int i = 0; i < lay.spec.sizes[l]; i++)
            for (int j = 0; j < lay.spec.sizes[l + 1]; j++) {
                heb_real h[5];
                for (int c = 0; c < 5; c++) h[c] = (heb_real)p[heb_param_index(&lay, l, c, i, j)];
                heb_real oi = st.act[l][i], oj = st.act[l + 1][j];
                heb_real dw = h[3] * (h[0] * oi * oj + h[1] * oi + h[2] * oj + h[4]);
                size_t k = lay.w_off[l] + (size_t)i * lay.spec.sizes[l + 1] + j;
                /* the same single-precision operations in the same order: the same bits */
                ck_assert_msg(st.w[k] == before[k] + dw, "layer %d synapse %d->%d", l, i, j);
            }
    free(before);
    free(coef);
    free(p);
    heb_state_free(&st);
}
END_TEST

START_TEST(forward_pass_by_hand)
{
    /* 2 -> 1 -> 1 with weights 0.5, -1 | 2: action = tanh(2 tanh(0.5 x0 - x1)). */
    heb_spec spec = {.n_layers = 2, .sizes = {2, 1, 1}, .rule = HEB_STATIC, .out_post_tanh = 1};
    heb_layout lay;
    char err[64];
    ck_assert_int_eq(heb_layout_init(&lay, &spec, err, sizeof err), 0);
    heb_state st;
    ck_assert_int_eq(heb_state_create(&st, &lay), 0);
    const heb_real p[3] = {0.5f, -1.0f, 2.0f};
    heb_state_reset(&st, &lay, p, NULL);
    const double x[2] = {0.8, 0.1};
    double a;
    ck_assert_int_eq(heb_forward(&st, &lay, x, &a), 0);
    ck_assert_double_eq_tol(a, tanh(2.0 * tanh(0.4 - 0.1)), 1e-6);
    ck_assert_double_eq_tol(st.act[1][0], tanh(0.3), 1e-6);
    ck_assert_double_eq(st.act[2][0], a);
    /* raw post activity when configured */
    st.w[0] = 0.5f;
    lay.spec.out_post_tanh = 0;
    heb_forward(&st, &lay, x, &a);
    ck_assert_double_eq_tol(st.act[2][0], 2.0 * tanh(0.3), 1e-6);
    heb_state_free(&st);
}
END_TEST

START_TEST(modifiers)
{
    heb_real w[4], pre[2] = {1, 1}, post[2] = {1, 1}, c[4] = {0};
    heb_layout lay;
    heb_spec spec = {.n_layers = 1, .sizes = {2, 2}, .rule = HEB_A, .weight_decay = 0.1};
    char err[64];
    ck_assert_int_eq(heb_layout_init(&lay, &spec, err, sizeof err), 0);
    heb_state st;
    ck_assert_int_eq(heb_state_create(&st, &lay), 0);
    const heb_real w0[4] = {1.0f, -2.0f, 0.5f, 4.0f};
    /* decay: coefficients 0, so only (1 - 0.1) acts */
    memcpy(st.w, w0, sizeof w0);
    heb_update(&st, &lay, c);
    for (int k = 0; k < 4; k++) ck_assert_double_eq_tol(st.w[k], 0.9 * w0[k], 1e-6);
    /* bounds */
    lay.spec.weight_decay = 0;
    lay.spec.w_min = -1.5;
    lay.spec.w_max = 1.5;
    memcpy(st.w, w0, sizeof w0);
    heb_update(&st, &lay, c);
    ck_assert_double_eq(st.w[1], -1.5);
    ck_assert_double_eq(st.w[3], 1.5);
    ck_assert_double_eq(st.w[2], 0.5);
    /* normalisation by the layer's max |w| */
    lay.spec.w_min = lay.spec.w_max = 0;
    lay.spec.normalize = 1;
    memcpy(st.w, w0, sizeof w0);
    heb_update(&st, &lay, c);
    ck_assert_double_eq(st.w[3], 1.0);
    ck_assert_double_eq(st.w[1], -0.5);
    /* clipped Hebb: each post unit's incoming vector ends with norm <= clip_norm */
    heb_spec clip = {.rule = HEB_HEBB_CLIPPED, .eta = 1.0, .clip_norm = 1.0};
    memcpy(w, w0, sizeof w0);
    heb_layer_update(&clip, NULL, w, pre, 2, post, 2, NULL);
    for (int j = 0; j < 2; j++) ck_assert_double_le(sqrt(w[j] * w[j] + w[2 + j] * w[2 + j]), 1.0 + 1e-6);
    ck_assert_double_gt(sqrt(w[1] * w[1] + w[3] * w[3]), 0.999);
    heb_state_free(&st);
}
END_TEST

static void init_stats(heb_init init, double *lo, double *hi, double *sd, double *zeros)
{
    heb_spec spec = {.n_layers = 1, .sizes = {100, 200}, .rule = HEB_A, .init = init};
    heb_layout lay;
    char err[64];
    ck_assert_int_eq(heb_layout_init(&lay, &spec, err, sizeof err), 0);
    heb_state st;
    ck_assert_int_eq(heb_state_create(&st, &lay), 0);
    rng_stream rng;
    rng_stream_init(&rng, 1, RNG_WEIGHTS, 0, 0);
    heb_state_reset(&st, &lay, NULL, &rng);
    double m = 0, v = 0;
    *lo = 1e9, *hi = -1e9, *zeros = 0;
    for (size_t k = 0; k < lay.total_syn; k++) {
        *lo = fmin(*lo, st.w[k]);
        *hi = fmax(*hi, st.w[k]);
        m += st.w[k];
        v += st.w[k] * st.w[k];
        *zeros += st.w[k] == 0.0;
    }
    *sd = sqrt(v / lay.total_syn - (m / lay.total_syn) * (m / lay.total_syn));
    *zeros /= lay.total_syn;
    heb_state_free(&st);
}

START_TEST(initial_weight_distributions)
{
    double lo, hi, sd, zeros;
    init_stats(HEB_INIT_UNI, &lo, &hi, &sd, &zeros);
    ck_assert(lo >= -0.1 && hi <= 0.1 && lo < -0.099 && hi > 0.099);
    init_stats(HEB_INIT_UNI_BIG, &lo, &hi, &sd, &zeros);
    ck_assert(lo >= -1 && hi <= 1 && lo < -0.99 && hi > 0.99);
    init_stats(HEB_INIT_NORMAL, &lo, &hi, &sd, &zeros);
    ck_assert_double_lt(fabs(sd - 0.024), 0.001);
    init_stats(HEB_INIT_XA_UNI, &lo, &hi, &sd, &zeros);
    double b = 0.3 * sqrt(6.0 / 300.0);
    ck_assert(lo >= -b && hi <= b && hi > 0.99 * b);
    init_stats(HEB_INIT_KA_UNI, &lo, &hi, &sd, &zeros);
    b = sqrt(0.2) * sqrt(3.0 / 100.0);
    ck_assert(lo >= -b && hi <= b && hi > 0.99 * b);
    init_stats(HEB_INIT_SPARSE, &lo, &hi, &sd, &zeros);
    ck_assert_double_lt(fabs(zeros - 0.8), 0.01);
    init_stats(HEB_INIT_ONES, &lo, &hi, &sd, &zeros);
    ck_assert(lo == 1.0 && hi == 1.0);
    init_stats(HEB_INIT_ZEROS, &lo, &hi, &sd, &zeros);
    ck_assert(zeros == 1.0);
}
END_TEST

START_TEST(coevolved_initial_weights_come_from_params)
{
    heb_layout lay;
    layout_3_4_2(&lay, HEB_ABCD_LR, 1);
    heb_state st;
    ck_assert_int_eq(heb_state_create(&st, &lay), 0);
    double *p = calloc(lay.n_params, sizeof *p);
    heb_real *coef = malloc(lay.n_params * sizeof *coef);
    for (size_t k = 0; k < lay.total_syn; k++) p[lay.init_off + k] = (double)k;
    heb_coef_from_params(&lay, p, coef);
    heb_state_reset(&st, &lay, coef, NULL);
    for (size_t k = 0; k < lay.total_syn; k++) ck_assert_double_eq(st.w[k], (double)k);
    free(coef);
    free(p);
    heb_state_free(&st);
}
END_TEST

START_TEST(check_reports_divergence)
{
    heb_layout lay;
    layout_3_4_2(&lay, HEB_A, 0);
    heb_state st;
    ck_assert_int_eq(heb_state_create(&st, &lay), 0);
    double sq[HEB_MAX_LAYERS];
    for (size_t k = 0; k < lay.total_syn; k++) st.w[k] = 1.0;
    ck_assert_int_eq(heb_check(&st, &lay, sq), 0);
    ck_assert_double_eq(sq[0], 12.0);
    ck_assert_double_eq(sq[1], 8.0);
    st.w[lay.w_off[1] + 3] = INFINITY;
    ck_assert_int_eq(heb_check(&st, &lay, sq), -1);
    heb_state_free(&st);
}
END_TEST

/* net.shared_rules: 3 rules of AD's 2 coefficients for the 2-3-1 network's 9 synapses; the vector
 * is the two planes of 3 rule slots, the count, then each synapse's rule (heb.h), worked by hand. */
START_TEST(shared_rules_by_hand)
{
    heb_spec spec = {.n_layers = 2, .sizes = {2, 3, 1}, .rule = HEB_AD, .out_post_tanh = 1, .shared_rules = 3};
    heb_layout lay;
    char err[256];
    ck_assert_int_eq(heb_layout_init(&lay, &spec, err, sizeof err), 0);
    ck_assert_uint_eq(lay.n_rules0, 3);
    ck_assert_uint_eq(lay.share_off, 6);
    ck_assert_uint_eq(lay.n_params, 6 + 1 + 9);
    ck_assert_uint_eq(lay.n_coef, 2 * 9);
    double p[16] = {1, 2, 3, 10, 20, 30, 3, 2, 0, 1, 1, 1, 0, 2, 2, 0};
    heb_real coef[18];
    heb_coef_from_params(&lay, p, coef);
    /* layer 0, synapse (i 1, j 0) is global synapse 3, on rule 1: h0 = 2, h1 = 20; layer 1, synapse
     * (i 2, j 0) is global synapse 6 + 2 = 8, on rule 0: h0 = 1, h1 = 10 */
    ck_assert_float_eq(coef[heb_param_index(&lay, 0, 0, 1, 0)], 2.0f);
    ck_assert_float_eq(coef[heb_param_index(&lay, 0, 1, 1, 0)], 20.0f);
    ck_assert_float_eq(coef[heb_param_index(&lay, 1, 0, 2, 0)], 1.0f);
    ck_assert_float_eq(coef[heb_param_index(&lay, 1, 1, 2, 0)], 10.0f);
    for (int l = 0, g = 0; l < 2; l++)
        for (int i = 0; i < spec.sizes[l]; i++)
            for (int j = 0; j < spec.sizes[l + 1]; j++, g++)
                for (int c = 0; c < 2; c++)
                    ck_assert_float_eq(coef[heb_param_index(&lay, l, c, i, j)], (heb_real)p[3 * c + (int)p[7 + g]]);
    /* frozen: with 2 rules in use, slot 2 of each plane, the count and the assignment */
    p[6] = 2;
    p[7] = 1;
    unsigned char fz[16];
    heb_share_frozen(&lay, p, fz);
    const unsigned char want_fz[16] = {0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    ck_assert_mem_eq(fz, want_fz, 16);
    /* an assignment past the count, or a count that is no whole rule count, is refused by position */
    ck_assert_int_eq(heb_share_check(&lay, p, err, sizeof err), -1); /* synapse 6 (p[13]) is on rule 2 of 2 */
    ck_assert_ptr_nonnull(strstr(err, "synapse 6 points at rule 2"));
    p[13] = p[14] = 1;
    ck_assert_int_eq(heb_share_check(&lay, p, err, sizeof err), 0);
    p[6] = 2.5;
    ck_assert_int_eq(heb_share_check(&lay, p, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "rule count (parameter 6) is 2.5"));
    /* generation 0: K rules drawn per synapse from the run seed, the same for the same seed */
    double q[16] = {0}, r[16] = {0};
    heb_share_init(&lay, 7, q);
    heb_share_init(&lay, 7, r);
    ck_assert_mem_eq(q, r, sizeof q);
    ck_assert_double_eq(q[6], 3.0);
    ck_assert_int_eq(heb_share_check(&lay, q, err, sizeof err), 0);
    /* Evolve & Merge's start, one rule per synapse, in synapse order */
    spec.shared_rules = 0;
    spec.merge_every = 10;
    ck_assert_int_eq(heb_layout_init(&lay, &spec, err, sizeof err), 0);
    ck_assert_uint_eq(lay.n_params, 2 * 9 + 1 + 9);
    double id[28] = {0};
    heb_share_init(&lay, 7, id);
    ck_assert_double_eq(id[18], 9.0);
    for (int g = 0; g < 9; g++) ck_assert_double_eq(id[19 + g], g);
    /* from a per-synapse network's coefficients: every synapse keeps its own */
    heb_spec ps = spec;
    ps.merge_every = 0;
    heb_layout plain;
    ck_assert_int_eq(heb_layout_init(&plain, &ps, err, sizeof err), 0);
    double per[18], from[28];
    for (int k = 0; k < 18; k++) per[k] = 0.5 * k - 3.0;
    heb_share_from_synapses(&lay, per, from);
    heb_real c1[18], c2[18];
    heb_coef_from_params(&plain, per, c1);
    heb_coef_from_params(&lay, from, c2);
    ck_assert_mem_eq(c1, c2, sizeof c1);
    ck_assert_double_eq(from[18], 9.0);
    /* refused: more rules than synapses; a static or neuron-centric network */
    spec.shared_rules = 10;
    ck_assert_int_eq(heb_layout_init(&lay, &spec, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "net.shared_rules: 10 rules for 9 synapses"));
    spec.shared_rules = 2;
    spec.rule = HEB_STATIC;
    ck_assert_int_eq(heb_layout_init(&lay, &spec, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "net.shared_rules and net.merge_every need a rule with evolved coefficients"));
    spec.rule = HEB_AD;
    spec.neuron_centric = 1;
    ck_assert_int_eq(heb_layout_init(&lay, &spec, err, sizeof err), -1);
}
END_TEST

/* Evolve & Merge's step by hand: rule A (one coefficient) on 6 synapses, 4 rules at 0, 0.1, 5 and
 * 5.2 with 1, 3, 1 and 1 synapses. Two clusters: {0, 0.1} at (0 + 3 x 0.1) / 4 = 0.075 and {5, 5.2}
 * at 5.1; a second vector (an optimizer's moment, 1 2 3 4) gets the same weighted means, 1.75 and
 * 3.5; the inertia is 1 x 0.075^2 + 3 x 0.025^2 + 0.1^2 + 0.1^2 = 0.0275. */
START_TEST(merge_by_hand)
{
    heb_spec spec = {.n_layers = 1, .sizes = {2, 3}, .rule = HEB_A, .out_post_tanh = 1, .shared_rules = 4};
    heb_layout lay;
    char err[256];
    ck_assert_int_eq(heb_layout_init(&lay, &spec, err, sizeof err), 0);
    ck_assert_uint_eq(lay.n_params, 4 + 1 + 6);
    double h[11] = {0, 0.1, 5, 5.2, 4, 0, 1, 1, 1, 2, 3}, m[11] = {1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0};
    double *v[2] = {h, m};
    int iters;
    double inertia;
    ck_assert_int_eq(heb_share_merge(&lay, 2, v, 2, 1, 5, &iters, &inertia), 2);
    ck_assert_double_eq(h[4], 2.0);
    const int lo = (int)h[5], hi = (int)h[9];
    ck_assert_int_ne(lo, hi);
    for (int s = 0; s < 4; s++) ck_assert_double_eq(h[5 + s], lo); /* rules 0 and 1 merged */
    ck_assert_double_eq(h[10], hi);                                /* rules 2 and 3 merged */
    ck_assert_double_eq_tol(h[lo], 0.075, 1e-15);
    ck_assert_double_eq_tol(h[hi], 5.1, 1e-15);
    ck_assert_double_eq_tol(m[lo], 1.75, 1e-15);
    ck_assert_double_eq_tol(m[hi], 3.5, 1e-15);
    ck_assert_double_eq(h[2], 0.0); /* slots past the count: zeroed in the parameters, */
    ck_assert_double_eq(h[3], 0.0);
    ck_assert_double_eq(m[3], 4.0); /* left alone in the other vectors (frozen, never read) */
    ck_assert_double_eq_tol(inertia, 0.0275, 1e-15);
    ck_assert_int_ge(iters, 1);
    ck_assert_int_eq(heb_share_check(&lay, h, err, sizeof err), 0);
    /* nothing to merge when k is not below the rules in use: nothing changes */
    double before[11];
    memcpy(before, h, sizeof h);
    ck_assert_int_eq(heb_share_merge(&lay, 2, v, 1, 1, 6, &iters, &inertia), 2);
    ck_assert_mem_eq(before, h, sizeof h);
    /* k = 1: one rule, the mean over all six synapses: (0.075 x 4 + 5.1 x 2) / 6 = 1.75 */
    ck_assert_int_eq(heb_share_merge(&lay, 1, v, 1, 1, 7, &iters, &inertia), 1);
    ck_assert_double_eq_tol(h[0], 1.75, 1e-15);
    for (int s = 0; s < 6; s++) ck_assert_double_eq(h[5 + s], 0.0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rules");
    TCase *t = tcase_create("rules");
    tcase_add_test(t, each_rule_by_hand);
    tcase_add_test(t, coefficient_counts);
    tcase_add_test(t, layout_round_trip);
    tcase_add_test(t, every_synapse_uses_its_own_row);
    tcase_add_test(t, forward_pass_by_hand);
    tcase_add_test(t, modifiers);
    tcase_add_test(t, initial_weight_distributions);
    tcase_add_test(t, coevolved_initial_weights_come_from_params);
    tcase_add_test(t, check_reports_divergence);
    tcase_add_test(t, neuron_centric_coefficients_by_hand);
    tcase_add_test(t, shared_rules_by_hand);
    tcase_add_test(t, merge_by_hand);
    suite_add_tcase(s, t);
    return tu_run(s);
}
