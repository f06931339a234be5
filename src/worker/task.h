/* Cheap objectives that test ES without MuJoCo's cost. */
#ifndef HEBES_TASK_H
#define HEBES_TASK_H

#include <stddef.h>
#include <stdint.h>

/* -sum (x_i - t_i)^2, with the optimum t ~ N(0, 1) drawn from the run seed. */
double task_quadratic(const double *x, size_t n, uint64_t seed);
/* The optimum itself, for tests and reports. */
void task_quadratic_optimum(double *t, size_t n, uint64_t seed);

#endif
