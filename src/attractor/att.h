/* Free-energy attractor networks (Spisak & Friston 2025; docs/attractor.md): continuous-Bernoulli
 * units on [-1, 1] with the Langevin mean, couplings learned by a local rule that is Hebbian minus
 * the unit's own prediction of itself, so that a sequence presented in order is stored in the
 * couplings' antisymmetric part and replays on its own. No MuJoCo, no MPI, no I/O (the digits
 * file is read by att_data.c).
 *
 * Constant part: att_spec (sizes, inverse temperature, rates). Mutable part: att_state (couplings,
 * activities, scratch), created once and reset per run. Randomness comes from an rng_stream the
 * caller names, so every run is reproducible bit for bit. */
#ifndef HEBES_ATT_H
#define HEBES_ATT_H

#include <stddef.h>

#include "rng.h"

/* The Langevin function L(x) = coth(x) - 1/x, the mean of a continuous-Bernoulli unit with
 * natural parameter x; L(0) = 0 and L(x) ~ x/3 near 0. */
double att_langevin(double x);
/* A sample of CB(u) on [-1, 1] (density ~ exp(u x)) by the inverse CDF from r in [0, 1); |u| is
 * clipped to 500, as the reference does. */
double att_sample(double u, double r);
/* ln(x / sinh x), 0 at x = 0: a term of the complexity. */
double att_log_x_over_sinh(double x);

typedef struct {
    int n;            /* units */
    double beta;      /* inverse temperature */
    int stochastic;   /* sampled updates, else deterministic (least action: the mean) */
} att_spec;

typedef struct {
    int n;
    double *J;     /* n x n, row-major: J[i * n + j] is the coupling from unit j to unit i; J_ii = 0 */
    double *sigma; /* n: activities */
    double *h;     /* n: the last step's recurrent input J sigma (before the step's update) */
    double *tmp;   /* n: scratch */
} att_state;

/* Returns 0, or -1 when out of memory (s is then empty; att_state_free accepts it and NULL). */
int att_state_create(att_state *s, int n);
void att_state_free(att_state *s);
/* J = 0, sigma = 0. */
void att_state_reset(att_state *s);

/* One update step with bias b (NULL: zero): h = J sigma from the activities before the step, then
 * every unit takes a sample of CB(beta (b + h)) (stochastic, with rng) or its mean L(beta (b + h)). */
void att_step(const att_spec *sp, att_state *s, const double *b, rng_stream *rng);

/* The learning rule after a step: J_ij += eta_i (sigma_i sigma_j - L(h_i) sigma_j) for i != j, with
 * this step's new activities and its input h (no bias, no beta). eta has one rate per post-synaptic
 * unit i (NULL: eta0 for every unit). */
void att_learn(att_state *s, const double *eta, double eta0);

/* Deterministic relaxation in the couplings K (n x n; e.g. the symmetric part of J), zero bias:
 * x <- L(beta K x) from x, at most max_steps, or until max |change| < tol. Returns the steps taken;
 * x holds the fixed point (scratch: n doubles). */
int att_relax(const double *K, int n, double beta, double *x, int max_steps, double tol, double *scratch);

/* The free-energy terms of activities m under bias b and couplings J (docs/attractor.md):
 * b_q = b + J m; complexity, accuracy and VFE = complexity - accuracy. scratch: 2 n doubles. */
typedef struct {
    double complexity, accuracy, vfe;
} att_energy;
att_energy att_free_energy(const double *J, int n, const double *b, const double *m, double *scratch);

/* The symmetric and antisymmetric parts of J, (J + J^T)/2 and (J - J^T)/2 (either may be NULL),
 * and the asymmetry ||J - J^T||_F / ||J||_F (0 for J = 0). */
double att_split(const double *J, int n, double *sym, double *anti);

/* Pearson correlation of two n-vectors (0 when either is constant). */
double att_corr(const double *a, const double *b, int n);

#endif
