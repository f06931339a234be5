/* Oja's rule on zero-mean 2-D Gaussians: w tends to the first principal
 * component of the covariance, with ||w|| -> 1/sqrt(alpha). */
#include <math.h>

#include "heb.h"
#include "testutil.h"

static void run_oja(double rho, double alpha, double *angle_deg, double *norm)
{
    heb_spec spec = {.rule = HEB_OJA, .eta = 1e-3, .oja_alpha = alpha};
    rng_stream rng;
    rng_stream_init(&rng, 11, RNG_TASK, (uint32_t)(rho * 100), 0);
    heb_real w[2] = {0.3f, -0.6f}; /* start away from the answer */
    const double l21 = rho, l22 = sqrt(1 - rho * rho); /* Cholesky of [[1, rho], [rho, 1]] */
    for (int t = 0; t < 20000; t++) {
        double z0 = rng_normal(&rng), z1 = rng_normal(&rng);
        heb_real x[2] = {(heb_real)z0, (heb_real)(l21 * z0 + l22 * z1)};
        heb_real y = w[0] * x[0] + w[1] * x[1]; /* a linear unit */
        heb_layer_update(&spec, NULL, w, x, 2, &y, 1, NULL);
    }
    /* The first principal component of [[1, rho], [rho, 1]] (rho > 0) is (1, 1)/sqrt(2), up to sign. */
    *norm = sqrt(w[0] * w[0] + w[1] * w[1]);
    double cosang = fabs(w[0] + w[1]) / sqrt(2.0) / *norm;
    *angle_deg = acos(fmin(1.0, cosang)) * 180.0 / 3.14159265358979323846;
}

START_TEST(converges_to_first_principal_component)
{
    const double rhos[2] = {0.4, 0.9};
    for (int k = 0; k < 2; k++) {
        double angle, norm;
        run_oja(rhos[k], 1.0, &angle, &norm);
        ck_assert_msg(angle < 5.0, "rho %.1f: angle %.2f degrees", rhos[k], angle);
        ck_assert_msg(fabs(norm - 1.0) < 0.05, "rho %.1f: |w| = %.4f, want 1", rhos[k], norm);
    }
}
END_TEST

START_TEST(norm_tends_to_one_over_sqrt_alpha)
{
    double angle, norm;
    run_oja(0.9, 4.0, &angle, &norm);
    ck_assert_msg(fabs(norm - 0.5) < 0.03, "|w| = %.4f, want 0.5", norm);
    ck_assert_double_lt(angle, 5.0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("oja");
    TCase *t = tcase_create("oja");
    tcase_add_test(t, converges_to_first_principal_component);
    tcase_add_test(t, norm_tends_to_one_over_sqrt_alpha);
    suite_add_tcase(s, t);
    return tu_run(s);
}
