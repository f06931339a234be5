/* The free-energy attractor network (docs/attractor.md), worked by hand: the Langevin function and
 * its small-x series, the sampler's mean (a statistical test), one learning step on 3 units, the
 * free-energy terms of 2 units, and the sequence result at a smaller size. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "att_task.h"
#include "testutil.h"

START_TEST(langevin_and_its_small_x_limit)
{
    ck_assert_double_eq_tol(att_langevin(1.0), 0.31303528549933146, 1e-15);    /* coth 1 - 1 */
    ck_assert_double_eq_tol(att_langevin(-2.5), -0.61356730981260832, 1e-15);
    ck_assert_double_eq(att_langevin(0.0), 0.0);
    ck_assert_double_eq_tol(att_langevin(1e-6), 1e-6 / 3.0 - 1e-18 / 45.0, 1e-21); /* x/3 - x^3/45 */
    ck_assert_double_eq_tol(att_langevin(40.0), 1.0 - 1.0 / 40.0, 1e-15);        /* coth is 1 there */
    /* the series and the closed form meet at 0.1 without a step, and L is odd */
    ck_assert_double_eq_tol(att_langevin(0.1 - 1e-14), 1.0 / tanh(0.1) - 10.0, 1e-13);
    ck_assert_double_eq_tol(att_langevin(0.1 + 1e-14), att_langevin(0.1 - 1e-14), 1e-13);
    for (double x = 0.01; x < 30; x *= 1.7) ck_assert_double_eq(att_langevin(-x), -att_langevin(x));
    /* ln(x / sinh x): 0 at 0, -x^2/6 near it, ln 2x - x far out */
    ck_assert_double_eq(att_log_x_over_sinh(0.0), 0.0);
    ck_assert_double_eq_tol(att_log_x_over_sinh(1e-3), -1e-6 / 6.0, 1e-12);
    ck_assert_double_eq_tol(att_log_x_over_sinh(2.0), log(2.0 / sinh(2.0)), 1e-15);
    ck_assert_double_eq_tol(att_log_x_over_sinh(-600.0), log(1200.0) - 600.0, 1e-9);
}
END_TEST

START_TEST(sampler_mean_is_the_langevin_mean)
{
    /* N samples of CB(u): their mean must lie within 5 standard errors of L(u), the variance of
     * CB(u) being L'(u) = 1/u^2 - 1/sinh^2 u (1/3 at 0). A correct sampler fails this once in
     * ~1.7 million runs; the test is deterministic (a fixed Philox stream). */
    const double us[] = {-8.0, -2.0, -0.3, 0.0, 1e-9, 0.7, 3.0, 499.0, 800.0};
    const int N = 200000;
    rng_stream r;
    rng_stream_init(&r, 42, RNG_TASK, 1, 2);
    for (size_t k = 0; k < sizeof us / sizeof *us; k++) {
        const double u = us[k];
        double sum = 0.0, lo = 1.0, hi = -1.0;
        for (int i = 0; i < N; i++) {
            const double x = att_sample(u, rng_uniform(&r));
            sum += x;
            lo = fmin(lo, x);
            hi = fmax(hi, x);
        }
        const double uc = u > 500 ? 500 : u; /* |u| is clipped to 500 */
        const double var = fabs(uc) < 1e-3 ? 1.0 / 3.0 : 1.0 / (uc * uc) - 1.0 / (sinh(uc) * sinh(uc));
        const double se = sqrt(var / N) + 1e-12;
        ck_assert_msg(fabs(sum / N - att_langevin(uc)) < 5 * se, "u %g: mean %.6f, L(u) %.6f, se %.2g", u, sum / N,
                      att_langevin(uc), se);
        ck_assert(lo >= -1.0 && hi <= 1.0);
    }
    /* at r = 0 and r -> 1 the inverse CDF gives the ends */
    ck_assert_double_eq_tol(att_sample(2.0, 0.0), -1.0, 1e-12);
    ck_assert_double_eq_tol(att_sample(-2.0, 1.0 - 1e-17), 1.0, 1e-12);
    ck_assert_double_eq(att_sample(0.0, 0.25), -0.5);
}
END_TEST

START_TEST(one_step_and_one_learning_step_on_3_units)
{
    /* J = [[0, .5, -.2], [.1, 0, .3], [-.4, .2, 0]], sigma = (.5, -.3, .8), b = (1, 0, -1), beta 2,
     * deterministic, eta 0.1:
     *   h = J sigma = (-.31, .29, -.26)
     *   sigma' = L(2 (b + h)) = L(1.38), L(.58), L(-2.52) = (.410499, .189132, -.616206)
     *   J_ij += .1 (sigma'_i sigma'_j - L(h_i) sigma'_j), L(h) = (-.102677, .096129, -.086279) */
    att_state s;
    ck_assert_int_eq(att_state_create(&s, 3), 0);
    const double J[9] = {0, 0.5, -0.2, 0.1, 0, 0.3, -0.4, 0.2, 0}, sigma[3] = {0.5, -0.3, 0.8}, b[3] = {1, 0, -1};
    memcpy(s.J, J, sizeof J);
    memcpy(s.sigma, sigma, sizeof sigma);
    const att_spec sp = {.n = 3, .beta = 2.0, .stochastic = 0};
    att_step(&sp, &s, b, NULL);
    const double h[3] = {-0.31, 0.29, -0.26};
    const double s2[3] = {0.41049888799147616, 0.18913190317113782, -0.61620646480348618};
    for (int i = 0; i < 3; i++) {
        ck_assert_double_eq_tol(s.h[i], h[i], 1e-15);
        ck_assert_double_eq_tol(s.sigma[i], s2[i], 1e-15);
    }
    att_learn(&s, NULL, 0.1);
    const double J2[9] = {0, 0.50970579914653813, -0.23162224923401306, 0.10381775909291047, 0,
                          0.29426910059214928, -0.42175348047253719, 0.18997737318486338, 0};
    for (int k = 0; k < 9; k++) ck_assert_double_eq_tol(s.J[k], J2[k], 1e-15);
    /* per-unit rates: unit 1's row learns at 0, the others as before */
    memcpy(s.J, J, sizeof J);
    const double eta[3] = {0.1, 0.0, 0.1};
    att_learn(&s, eta, 99.0);
    ck_assert_double_eq_tol(s.J[1], J2[1], 1e-15);
    ck_assert_double_eq(s.J[3], J[3]);
    ck_assert_double_eq(s.J[5], J[5]);
    ck_assert_double_eq_tol(s.J[6], J2[6], 1e-15);
    att_state_free(&s);
    att_state_free(NULL);
}
END_TEST

START_TEST(free_energy_terms_of_2_units)
{
    /* J = [[0, .3], [-.2, 0]], b = (.5, -1), m = (.2, .4): b_q = b + J m = (.62, -1.04);
     * complexity = sum_i ln(b_q/sinh b_q) + b_q L(b_q) - ln(b/sinh b) - b L(b_q) = 0.0024651200031735
     * accuracy = b . L(b_q) + L(b_q)^T J L(b_q) = 0.41824181515628284, VFE = their difference */
    const double J[4] = {0, 0.3, -0.2, 0}, b[2] = {0.5, -1.0}, m[2] = {0.2, 0.4};
    double scratch[4];
    const att_energy e = att_free_energy(J, 2, b, m, scratch);
    ck_assert_double_eq_tol(e.complexity, 0.0024651200031734835, 1e-14);
    ck_assert_double_eq_tol(e.accuracy, 0.41824181515628284, 1e-14);
    ck_assert_double_eq_tol(e.vfe, -0.41577669515310933, 1e-14);
    /* with no couplings and m at its mean under b, the complexity is 0 */
    const double J0[4] = {0}, m0[2] = {att_langevin(0.5), att_langevin(-1.0)};
    ck_assert_double_eq_tol(att_free_energy(J0, 2, b, m0, scratch).complexity, 0.0, 1e-15);
    /* the asymmetry of J: ||J - J^T|| / ||J|| = sqrt(2 * .5^2) / sqrt(.3^2 + .2^2) */
    double sym[4], anti[4];
    ck_assert_double_eq_tol(att_split(J, 2, sym, anti), sqrt(0.5) / sqrt(0.13), 1e-15);
    ck_assert_double_eq_tol(sym[1], 0.05, 1e-15);
    ck_assert_double_eq_tol(anti[1], 0.25, 1e-15);
}
END_TEST

START_TEST(order_of_a_free_run)
{
    const int replay[] = {-1, 0, 0, 1, -1, 2, 2, 0, 1}, back[] = {0, 1, 2, 1, 2, 0}, short_run[] = {0, 1, 2};
    att_order o = att_order_of(replay, 9, 3);
    ck_assert_int_eq(o.visits, 5);
    ck_assert_int_eq(o.forward, 4);
    ck_assert_int_eq(o.replays, 1);
    o = att_order_of(back, 6, 3);
    ck_assert_int_eq(o.other, 1);
    ck_assert_int_eq(o.replays, 0);
    ck_assert_int_eq(att_order_of(short_run, 3, 3).replays, 0); /* not yet back to the first */
}
END_TEST

/* The published result at a smaller size: 10 free runs of 60 steps instead of 20 of 100. (With
 * fewer iterations J is still mostly symmetric: 0.62 after 600.) */
START_TEST(a_presented_sequence_replays_in_order)
{
    att_digits d;
    char err[512];
    ck_assert_msg(att_digits_load(&d, "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz", err,
                                  sizeof err) == 0,
                  "%s", err);
    ck_assert_int_eq(d.n, 1797);
    ck_assert_int_eq(d.labels[1] * 100 + d.labels[2] * 10 + d.labels[3], 123);
    att_task t = {.net = {.n = ATT_PIXELS, .beta = 1.0, .stochastic = 1}, .n_patterns = 3, .iterations = 2000,
                  .free_steps = 60, .threshold = 0.5};
    for (int p = 0; p < 3; p++) att_pattern(&d, p + 1, 20.0, t.patterns[p]);
    double mean = 0.0, sd = 0.0;
    for (int k = 0; k < ATT_PIXELS; k++) mean += t.patterns[0][k] / ATT_PIXELS;
    for (int k = 0; k < ATT_PIXELS; k++) sd += (t.patterns[0][k] - mean) * (t.patterns[0][k] - mean) / ATT_PIXELS;
    ck_assert_double_eq_tol(mean, 0.0, 1e-12);
    ck_assert_double_eq_tol(sqrt(sd), 20.0, 1e-12); /* standardised, times the evidence */
    att_state s;
    ck_assert_int_eq(att_state_create(&s, ATT_PIXELS), 0);
    rng_stream r;
    rng_stream_init(&r, 3, RNG_TASK, 0xA77u, 0);
    att_present(&t, &s, NULL, 0.001, &r);
    double *sym = malloc(sizeof(double) * ATT_PIXELS * ATT_PIXELS);
    ck_assert_double_gt(att_split(s.J, ATT_PIXELS, sym, NULL), 0.9);
    for (int i = 0; i < ATT_PIXELS; i++) ck_assert_double_eq(s.J[i * ATT_PIXELS + i], 0.0);
    double x[3][ATT_PIXELS], scratch[ATT_PIXELS];
    for (int p = 0; p < 3; p++) {
        for (int i = 0; i < ATT_PIXELS; i++) x[p][i] = att_langevin(0.1 * t.patterns[p][i]);
        att_relax(sym, ATT_PIXELS, 1.0, x[p], 1000, 1e-12, scratch);
        ck_assert_double_gt(att_corr(x[p], t.patterns[p], ATT_PIXELS), 0.85);
    }
    ck_assert_double_lt(att_corr(x[0], x[1], ATT_PIXELS), 0.99); /* distinct */
    ck_assert_double_lt(att_corr(x[1], x[2], ATT_PIXELS), 0.99);
    int labels[60], replays;
    double best[60];
    att_recall_score(&t, &s, &r, 10, labels, best, &replays);
    ck_assert_int_ge(replays, 8);
    /* the control: presented in random order, J stays nearly symmetric and nothing replays */
    att_state_reset(&s);
    for (int k = 0; k < t.iterations; k++) {
        att_step(&t.net, &s, t.patterns[rng_u32(&r) % 3], &r);
        att_learn(&s, NULL, 0.001);
    }
    ck_assert_double_lt(att_split(s.J, ATT_PIXELS, NULL, NULL), 0.6);
    free(sym);
    att_state_free(&s);
    att_digits_free(&d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("attractor");
    TCase *t = tcase_create("attractor");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, langevin_and_its_small_x_limit);
    tcase_add_test(t, sampler_mean_is_the_langevin_mean);
    tcase_add_test(t, one_step_and_one_learning_step_on_3_units);
    tcase_add_test(t, free_energy_terms_of_2_units);
    tcase_add_test(t, order_of_a_free_run);
    tcase_add_test(t, a_presented_sequence_replays_in_order);
    suite_add_tcase(s, t);
    return tu_run(s);
}
