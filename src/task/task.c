/* The one switch over run.task (task.h). */
#include "task.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "es.h"
#include "rng.h"

/* Only the Ant task evolves a Hebbian network; quadratic and attractor evolve a plain vector. */
int task_has_network(const cfg *c)
{
    return c->task == CFG_TASK_ANT;
}

const heb_layout *task_network(const task_setup *t)
{
    return task_has_network(t->c) ? &t->body.lay : NULL;
}

const char *task_label(const cfg *c)
{
    return task_has_network(c) ? heb_rule_names[c->net.rule] : cfg_enum_name("run.task", (int)c->task);
}

int task_attractor(att_task *t, const cfg *c, const int *images, int n_images, char *err, size_t errlen)
{
    att_digits d;
    if (att_digits_load(&d, c->att.digits, err, errlen)) return -1;
    *t = (att_task){.net = {.n = ATT_PIXELS, .beta = c->att.beta, .stochastic = c->att.stochastic},
                    .evolve = (att_evolve)c->att.evolve,
                    .n_patterns = n_images, .iterations = c->att.iterations, .free_steps = c->att.free_steps,
                    .threshold = c->att.threshold};
    int rc = 0;
    for (int p = 0; p < n_images && !rc; p++) {
        if (images[p] >= d.n) {
            snprintf(err, errlen, "%s: attractor: image %d: the digits file has %d", c->source, images[p], d.n);
            rc = -1;
        } else {
            att_pattern(&d, images[p], c->att.evidence, t->patterns[p]);
            memcpy(t->images[p], d.pixels + (size_t)images[p] * ATT_PIXELS, sizeof t->images[p]);
        }
    }
    att_digits_free(&d);
    return rc;
}

int task_setup_init(task_setup *t, const cfg *c, const char *const *xml, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->c = c;
    switch (c->task) {
    case CFG_TASK_QUADRATIC:
        t->n_params = (size_t)c->quadratic_dim;
        return 0;
    case CFG_TASK_ATTRACTOR:
        if (task_attractor(&t->att, c, c->att.sequence, c->att.n_sequence, err, errlen)) return -1;
        t->n_params = att_params(&t->att);
        return 0;
    case CFG_TASK_ANT:
        break;
    }
    /* The Ant: the models and the network layout, whose coefficient count is the ES dimension. */
    if (wk_setup_init(&t->body, c, NULL, xml, c->n_models, err, errlen)) return -1;
    t->n_params = t->body.n_params;
    return 0;
}

void task_setup_free(task_setup *t)
{
    if (!t) return;
    if (t->c && task_has_network(t->c)) wk_setup_free(&t->body);
    memset(t, 0, sizeof *t);
}

int task_buffers_create(task_buffers *b, const task_setup *t)
{
    memset(b, 0, sizeof *b);
    const cfg *c = t->c;
    int ok = 1;
    if (c->task == CFG_TASK_ATTRACTOR) {
        ok = att_state_create(&b->att, ATT_PIXELS) == 0;
        b->att_eta = calloc(ATT_PIXELS, sizeof *b->att_eta);
        b->att_labels = calloc((size_t)c->att.free_steps, sizeof *b->att_labels);
        b->att_best = calloc((size_t)c->att.free_steps, sizeof *b->att_best);
        ok = ok && b->att_eta && b->att_labels && b->att_best;
    }
    if (task_has_network(c)) ok = ok && wk_buffers_create(&b->body, &t->body) == 0;
    /* + 1: calloc(0) may return NULL, which would read as out of memory for a 0-dimensional task */
    b->eps = calloc(t->n_params + 1, sizeof *b->eps);
    b->cand = calloc(t->n_params + 1, sizeof *b->cand);
    if (!ok || !b->eps || !b->cand) {
        task_buffers_free(b);
        return -1;
    }
    return 0;
}

void task_buffers_free(task_buffers *b)
{
    if (!b) return;
    wk_buffers_free(&b->body);
    att_state_free(&b->att);
    free(b->att_eta);
    free(b->att_labels);
    free(b->att_best);
    free(b->eps);
    free(b->cand);
    memset(b, 0, sizeof *b);
}

wk_result task_candidate(const task_setup *t, task_buffers *b, const es_state *s, int64_t gen, int64_t k,
                         wk_poll_fn poll, void *ctx)
{
    const cfg *c = t->c;
    const uint64_t seed = (uint64_t)c->es.seed;
    /* cand = h +- sigma eps_p (k = 2p, 2p + 1), rebuilt here from the run seed: only k crossed the wire.
     * mean_sq = mean(cand^2) goes back with the fitness for the L2 penalty of the ranking (es_shape). */
    const double mean_sq =
        es_candidate(seed, s->h, s->sigma, es_sigmas(&c->es, s), s->frozen, gen, k, b->eps, b->cand, t->n_params);
    wk_result r = {0};
    switch (c->task) {
    case CFG_TASK_QUADRATIC:
        r.fitness = task_quadratic(b->cand, t->n_params, seed);
        r.steps = 1;
        break;
    case CFG_TASK_ATTRACTOR:
        /* both members of a pair see the same random numbers, as an Ant pair sees the same episode */
        r.fitness = att_fitness(&t->att, &b->att, b->cand, c->att.eta, c->att.beta, es_episode_seed(seed, gen, k),
                                c->att.free_runs, b->att_eta, b->att_labels, b->att_best, NULL);
        r.steps = c->att.iterations + (long)c->att.free_runs * c->att.free_steps;
        break;
    case CFG_TASK_ANT:
        r = wk_candidate(&t->body, &b->body, b->cand, gen, k, poll, ctx);
        break;
    }
    /* The Ant's worker flags divergence itself (a non-finite action or an unstable simulator state,
     * mid-episode); the other tasks only have the fitness to look at. Either way es_shape ranks a
     * diverged candidate worst. */
    if (c->task != CFG_TASK_ANT) r.diverged = !isfinite(r.fitness);
    r.mean_sq = mean_sq;
    return r;
}

/* f(x) = -sum_i (x_i - t_i)^2, t ~ N(0, I) from the run seed's task stream: a known optimum (f = 0
 * at x = t, task_quadratic_optimum) for testing the ES without an environment. */
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

/* The t of task_quadratic: the same stream, drawn in the same order. */
void task_quadratic_optimum(double *t, size_t n, uint64_t seed)
{
    rng_stream s;
    rng_stream_init(&s, seed, RNG_TASK, 0, 0);
    rng_fill_normal(&s, t, n);
}
