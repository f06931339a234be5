#include <math.h>
#include <string.h>

#include "rng.h"
#include "testutil.h"

START_TEST(same_name_same_numbers)
{
    rng_stream a, b;
    rng_stream_init(&a, 42, RNG_NOISE, 3, 7);
    rng_stream_init(&b, 42, RNG_NOISE, 3, 7);
    for (int i = 0; i < 1000; i++) ck_assert_uint_eq(rng_u32(&a), rng_u32(&b));
}
END_TEST

START_TEST(different_names_differ)
{
    /* Streams differing in one part of their name must not overlap. */
    rng_stream s[5];
    rng_stream_init(&s[0], 42, RNG_NOISE, 3, 7);
    rng_stream_init(&s[1], 43, RNG_NOISE, 3, 7);
    rng_stream_init(&s[2], 42, RNG_WEIGHTS, 3, 7);
    rng_stream_init(&s[3], 42, RNG_NOISE, 4, 7);
    rng_stream_init(&s[4], 42, RNG_NOISE, 3, 8);
    uint32_t first[5];
    for (int k = 0; k < 5; k++) first[k] = rng_u32(&s[k]);
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++) ck_assert_uint_ne(first[i], first[j]);
}
END_TEST

START_TEST(fill_matches_single_draws)
{
    /* The inlined bulk path must give exactly rng_normal's sequence. */
    rng_stream a, b;
    rng_stream_init(&a, 9, RNG_NOISE, 0, 1);
    rng_stream_init(&b, 9, RNG_NOISE, 0, 1);
    static double bulk[100000];
    rng_fill_normal(&a, bulk, 100000);
    for (int i = 0; i < 100000; i++) ck_assert(bulk[i] == rng_normal(&b));
}
END_TEST

START_TEST(normal_moments_and_tails)
{
    rng_stream s;
    rng_stream_init(&s, 1, RNG_NOISE, 0, 0);
    const int n = 2000000;
    double m = 0, v = 0, k4 = 0;
    long beyond3 = 0;
    for (int i = 0; i < n; i++) {
        double x = rng_normal(&s);
        m += x;
        v += x * x;
        k4 += x * x * x * x;
        beyond3 += fabs(x) > 3.0;
    }
    m /= n;
    v = v / n - m * m;
    ck_assert_double_lt(fabs(m), 0.004);       /* 5.6 standard errors */
    ck_assert_double_lt(fabs(v - 1.0), 0.006);
    ck_assert_double_lt(fabs(k4 / n - 3.0), 0.03);
    ck_assert_double_lt(fabs((double)beyond3 / n - 0.0026998), 0.0002);
}
END_TEST

START_TEST(uniform_range_and_mean)
{
    rng_stream s;
    rng_stream_init(&s, 5, RNG_RESET, 0, 0);
    double m = 0;
    for (int i = 0; i < 1000000; i++) {
        double u = rng_uniform(&s);
        ck_assert(u >= 0.0 && u < 1.0);
        m += u;
    }
    ck_assert_double_lt(fabs(m / 1000000 - 0.5), 0.002);
}
END_TEST

START_TEST(derive_is_a_function_of_its_arguments)
{
    ck_assert_uint_eq(rng_derive(1, RNG_WEIGHTS, 5, 0), rng_derive(1, RNG_WEIGHTS, 5, 0));
    ck_assert_uint_ne(rng_derive(1, RNG_WEIGHTS, 5, 0), rng_derive(1, RNG_WEIGHTS, 6, 0));
    ck_assert_uint_ne(rng_derive(1, RNG_WEIGHTS, 5, 0), rng_derive(1, RNG_RESET, 5, 0));
    /* an episode's two streams are the ones named by its seed, model and repetition */
    rng_stream w, r, w2, r2;
    rng_episode_streams(77, 2, 3, &w, &r);
    rng_stream_init(&w2, 77, RNG_WEIGHTS, 2, 3);
    rng_stream_init(&r2, 77, RNG_RESET, 2, 3);
    ck_assert_uint_eq(rng_u32(&w), rng_u32(&w2));
    ck_assert_uint_eq(rng_u32(&r), rng_u32(&r2));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rng");
    TCase *t = tcase_create("rng");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, same_name_same_numbers);
    tcase_add_test(t, different_names_differ);
    tcase_add_test(t, fill_matches_single_draws);
    tcase_add_test(t, normal_moments_and_tails);
    tcase_add_test(t, uniform_range_and_mean);
    tcase_add_test(t, derive_is_a_function_of_its_arguments);
    suite_add_tcase(s, t);
    return tu_run(s);
}
