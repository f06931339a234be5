/* BCM metaplasticity, homeostatic scaling and short-term plasticity, worked by hand and against
 * their closed forms (docs/rules.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "heb.h"
#include "testutil.h"

/* A one-layer network n_in -> 1, set up from spec, with weights from coef (static) or ones. */
static void one_layer(heb_spec *spec, int n_in, heb_layout *lay, heb_state *st)
{
    spec->n_layers = 1;
    spec->sizes[0] = n_in;
    spec->sizes[1] = 1;
    spec->out_post_tanh = 1;
    spec->init = HEB_INIT_ONES;
    char err[128];
    ck_assert_msg(heb_layout_init(lay, spec, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(heb_state_create(st, lay), 0);
}

START_TEST(bcm_by_hand)
{
    /* pre 0.5, post -0.4, w 0.3, eta 2, theta 0.1: dw = 2 (0.5)(-0.4)(-0.4 - 0.1) = 0.2 */
    heb_spec spec = {.rule = HEB_BCM};
    heb_real eta = 2.0f, w = 0.3f, pre = 0.5f, post = -0.4f, theta = 0.1f;
    heb_layer_update(&spec, &eta, &w, &pre, 1, &post, 1, &theta);
    ck_assert_double_eq_tol(w, 0.5, 1e-6);
    /* above the threshold: potentiation; below: depression (eta, pre > 0) */
    post = 0.6f, w = 0.0f;
    heb_layer_update(&spec, &eta, &w, &pre, 1, &post, 1, &theta);
    ck_assert_double_eq_tol(w, 2 * 0.5 * 0.6 * 0.5, 1e-6);
    post = 0.05f, w = 0.0f;
    heb_layer_update(&spec, &eta, &w, &pre, 1, &post, 1, &theta);
    ck_assert_double_eq_tol(w, 2 * 0.5 * 0.05 * (0.05 - 0.1), 1e-7);
    ck_assert(w < 0.0f);
}
END_TEST

START_TEST(bcm_threshold_slides_to_the_mean_square)
{
    /* Constant post activity 0.8: theta_k = 0.64 + (theta0 - 0.64)(1 - 1/tau)^k. */
    heb_spec spec = {.rule = HEB_BCM, .bcm_tau = 10, .bcm_theta0 = 0.1};
    heb_layout lay;
    heb_state st;
    one_layer(&spec, 1, &lay, &st);
    const heb_real eta = 0.0f; /* the weights stay; only the threshold moves */
    heb_state_reset(&st, &lay, &eta, NULL);
    ck_assert_double_eq_tol(st.theta[lay.unit_off[1]], 0.1, 1e-7);
    for (int k = 1; k <= 40; k++) {
        st.act[0][0] = 0.5f;
        st.act[1][0] = 0.8f;
        heb_update(&st, &lay, &eta);
        const double want = 0.64 + (0.1 - 0.64) * pow(0.9, k);
        ck_assert_msg(fabs(st.theta[lay.unit_off[1]] - want) < 1e-5, "step %d: theta %.7f, want %.7f", k,
                      st.theta[lay.unit_off[1]], want);
    }
    /* and the rule reads it: a post activity below it now depresses */
    const heb_real lr = 1.0f;
    const double w0 = st.w[0];
    st.act[1][0] = 0.5f; /* below theta ~ 0.63 */
    heb_update(&st, &lay, &lr);
    ck_assert(st.w[0] < w0);
    heb_state_free(&st);
}
END_TEST

START_TEST(homeostasis_drives_mean_activity_to_target)
{
    /* Weights ones on inputs 0.5, 0.5: |o| = tanh(1) = 0.76 at first; scaling alone (Hebb with
     * eta 0) must bring the running mean of |o| to the target 0.3. */
    heb_spec spec = {.rule = HEB_HEBB, .eta = 0.0, .homeo_rate = 0.02, .homeo_target = 0.3, .homeo_tau = 10};
    heb_layout lay;
    heb_state st;
    one_layer(&spec, 2, &lay, &st);
    heb_state_reset(&st, &lay, NULL, NULL);
    const double obs[2] = {0.5, 0.5};
    double a = 0.0;
    heb_forward(&st, &lay, obs, &a);
    ck_assert_double_eq_tol(a, tanh(1.0), 1e-6);
    for (int t = 0; t < 2000; t++) {
        heb_forward(&st, &lay, obs, &a);
        heb_update(&st, &lay, NULL);
    }
    ck_assert_msg(fabs(fabs(a) - 0.3) < 0.005, "|o| = %.4f after 2000 steps, target 0.3", fabs(a));
    ck_assert_msg(fabs(st.avg[lay.unit_off[1]] - 0.3) < 0.005, "running mean %.4f", st.avg[lay.unit_off[1]]);
    /* from below too: a unit driven at 0.1 grows to the target */
    st.w[0] = st.w[1] = 0.1f;
    for (int t = 0; t < 3000; t++) {
        heb_forward(&st, &lay, obs, &a);
        heb_update(&st, &lay, NULL);
    }
    ck_assert_msg(fabs(fabs(a) - 0.3) < 0.005, "|o| = %.4f from below", fabs(a));
    heb_state_free(&st);
}
END_TEST

START_TEST(stp_depression_and_facilitation_follow_their_closed_forms)
{
    /* Static weight 1, input 0.5 (rate r = 0.5), U = 0.2. Depression alone (tau_f = 0, u = U):
     * x_t = x* + (1 - x*)(1 - 1/tau_d - U r)^t, x* = (1/tau_d) / (1/tau_d + U r), and the layer sees
     * the input times u x / U = x. */
    const double U = 0.2, r = 0.5, td = 10;
    heb_spec spec = {.rule = HEB_STATIC, .stp_u = U, .stp_tau_f = 0, .stp_tau_d = td};
    heb_layout lay;
    heb_state st;
    one_layer(&spec, 1, &lay, &st);
    const heb_real w = 1.0f;
    heb_state_reset(&st, &lay, &w, NULL);
    const double obs[1] = {r}, xs = (1 / td) / (1 / td + U * r);
    double a;
    for (int t = 0; t < 60; t++) {
        const double x = xs + (1 - xs) * pow(1 - 1 / td - U * r, t);
        heb_forward(&st, &lay, obs, &a);
        ck_assert_msg(fabs(st.raw_out[0] - r * x) < 1e-5, "step %d: input %.6f, want %.6f", t, st.raw_out[0], r * x);
        heb_update(&st, &lay, &w);
    }
    ck_assert_double_eq_tol(st.stp_x[0], xs, 1e-4); /* depressed to the steady state */
    ck_assert_double_eq_tol(st.stp_u[0], U, 1e-7);  /* no facilitation */
    heb_state_free(&st);

    /* Facilitation: u_t = u* + (U - u*)(1 - 1/tau_f - U r)^t, u* = U (1/tau_f + r) / (1/tau_f + U r). */
    const double tf = 50;
    heb_spec fac = {.rule = HEB_STATIC, .stp_u = U, .stp_tau_f = tf, .stp_tau_d = td};
    one_layer(&fac, 1, &lay, &st);
    heb_state_reset(&st, &lay, &w, NULL);
    const double us = U * (1 / tf + r) / (1 / tf + U * r);
    for (int t = 0; t < 200; t++) {
        const double u = us + (U - us) * pow(1 - 1 / tf - U * r, t);
        ck_assert_msg(fabs(st.stp_u[0] - u) < 1e-5, "step %d: u %.6f, want %.6f", t, st.stp_u[0], u);
        heb_forward(&st, &lay, obs, &a);
        heb_update(&st, &lay, &w);
    }
    /* a fresh episode starts at rest */
    heb_state_reset(&st, &lay, &w, NULL);
    ck_assert_double_eq_tol(st.stp_u[0], U, 1e-7);
    ck_assert_double_eq(st.stp_x[0], 1.0);
    heb_state_free(&st);
}
END_TEST

START_TEST(stp_and_homeostasis_stay_in_their_physical_ranges)
{
    /* A raw observation of 9.7 is a rate of 1, not 9.7: with U 0.9 and tau_f 1, facilitation would
     * take u to 0.1 + 0.9 * 0.9 * 9.7 = 7.96 and depression x below 0 (u x r > 1). Clamped, u stays a
     * probability and x a fraction, and the efficacy u x / U stays within [0, 1 / U]. */
    heb_spec spec = {.rule = HEB_STATIC, .stp_u = 0.9, .stp_tau_f = 1, .stp_tau_d = 2};
    heb_layout lay;
    heb_state st;
    one_layer(&spec, 2, &lay, &st);
    const heb_real w[2] = {1.0f, 1.0f};
    heb_state_reset(&st, &lay, w, NULL);
    double a;
    for (int t = 0; t < 80; t++) {
        const double obs[2] = {t % 2 ? 9.7 : -7.8, 0.3};
        heb_forward(&st, &lay, obs, &a);
        ck_assert(isfinite(st.raw_out[0]));
        heb_update(&st, &lay, w);
        for (int i = 0; i < 2; i++) {
            ck_assert_msg(st.stp_u[i] >= 0.0f && st.stp_u[i] <= 1.0f, "step %d: u%d = %g", t, i, st.stp_u[i]);
            ck_assert_msg(st.stp_x[i] >= 0.0f && st.stp_x[i] <= 1.0f, "step %d: x%d = %g", t, i, st.stp_x[i]);
        }
    }
    /* rate 1 and tau_f 1: u = U + U (1 - U) = 0.99 after one step from rest, as by hand */
    heb_state_reset(&st, &lay, w, NULL);
    const double big[2] = {9.7, 0.0};
    heb_forward(&st, &lay, big, &a);
    heb_update(&st, &lay, w);
    ck_assert_double_eq_tol(st.stp_u[0], 0.99, 1e-6);
    /* depression with this step's u: 1 + 0 - 0.99 * 1 * 1 = 0.01 */
    ck_assert_double_eq_tol(st.stp_x[0], 0.01, 1e-6);
    heb_state_free(&st);

    /* Homeostasis on a raw output of 40 (out_post_activity raw): the running mean is of rates in
     * [0, 1], so the factor 1 + rate (target - a) stays positive and the weights keep their sign. */
    heb_spec h = {.rule = HEB_HEBB, .eta = 0.0, .homeo_rate = 1.0, .homeo_target = 0.0, .homeo_tau = 1};
    one_layer(&h, 2, &lay, &st);
    lay.spec.out_post_tanh = 0;
    heb_state_reset(&st, &lay, NULL, NULL);
    st.w[0] = st.w[1] = 20.0f;
    const double in[2] = {1.0, 1.0};
    heb_forward(&st, &lay, in, &a);
    heb_update(&st, &lay, NULL);
    ck_assert_float_eq_tol(st.avg[lay.unit_off[1]], 1.0f, 1e-6); /* a rate of 1, not 40 */
    ck_assert(st.w[0] >= 0.0f && st.w[1] >= 0.0f);                /* scaled by 1 - 1 = 0, not -39 */
    heb_state_free(&st);
}
END_TEST

START_TEST(off_means_off)
{
    /* With the mechanisms off the update is the rule alone: ABCD_lr by hand as in test_rules. */
    heb_spec spec = {.rule = HEB_ABCD_LR, .bcm_tau = 10, .homeo_tau = 10, .stp_tau_d = 10};
    heb_layout lay;
    heb_state st;
    one_layer(&spec, 1, &lay, &st);
    const heb_real h[5] = {2, 3, -1, 0.1f, 0.5f};
    heb_state_reset(&st, &lay, h, NULL);
    st.w[0] = 0.3f;
    st.act[0][0] = 0.5f;
    st.act[1][0] = -0.4f;
    heb_update(&st, &lay, h);
    /* 0.3 + 0.1 (2(0.5)(-0.4) + 3(0.5) - (-0.4) + 0.5) = 0.3 + 0.1 * 2.0 */
    ck_assert_double_eq_tol(st.w[0], 0.5, 1e-6);
    heb_state_free(&st);
}
END_TEST

START_TEST(homeostasis_needs_a_plastic_rule)
{
    cfg c;
    cfg_defaults(&c);
    char err[CFG_ERR_MAX];
    ck_assert_int_eq(cfg_set(&c, "net.rule=static", err, sizeof err), 0);
    ck_assert_int_eq(cfg_set(&c, "net.homeo_rate=0.01", err, sizeof err), 0);
    ck_assert_int_eq(cfg_validate_keys(&c, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "net.homeo_rate") != NULL, "%s", err);
    ck_assert_int_eq(cfg_set(&c, "net.rule=BCM", err, sizeof err), 0);
    ck_assert_int_eq(cfg_validate_keys(&c, err, sizeof err), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("plasticity");
    TCase *t = tcase_create("plasticity");
    tcase_add_test(t, bcm_by_hand);
    tcase_add_test(t, bcm_threshold_slides_to_the_mean_square);
    tcase_add_test(t, homeostasis_drives_mean_activity_to_target);
    tcase_add_test(t, stp_depression_and_facilitation_follow_their_closed_forms);
    tcase_add_test(t, off_means_off);
    tcase_add_test(t, stp_and_homeostasis_stay_in_their_physical_ranges);
    tcase_add_test(t, homeostasis_needs_a_plastic_rule);
    suite_add_tcase(s, t);
    return tu_run(s);
}
