#include "task.h"

#include "rng.h"

double task_quadratic(const double *x, size_t n, uint64_t seed)
{
    rng_stream s;
    rng_stream_init(&s, seed, RNG_TASK, 0, 0);
    double f = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - rng_normal(&s);
        f -= d * d;
    }
    return f;
}

void task_quadratic_optimum(double *t, size_t n, uint64_t seed)
{
    rng_stream s;
    rng_stream_init(&s, seed, RNG_TASK, 0, 0);
    rng_fill_normal(&s, t, n);
}
