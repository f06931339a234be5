#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "es.h"
#include "task.h"
#include "testutil.h"
#include "worker.h"

static es_shape_info shape(const cfg *c, int n, const double *f, const double *msq, const int *div, double *pw)
{
    es_shape_info info;
    void *scratch = malloc(es_shape_scratch_size(n));
    es_result *res = calloc((size_t)n, sizeof *res);
    for (int k = 0; k < n; k++) res[k] = (es_result){.fitness = f[k], .mean_sq = msq[k], .diverged = div[k]};
    es_shape(&c->es, n, res, pw, &info, scratch);
    free(res);
    free(scratch);
    return info;
}

START_TEST(centered_ranks_by_hand)
{
    /* fitness 3 1 2 4 -> ranks 2 0 1 3 -> u = 1/6 -1/2 -1/6 1/2, std sqrt(5/36) */
    cfg c;
    const char *sets[] = {"es.l2_penalty=0", "es.population=4", NULL};
    tu_config(&c, sets);
    const double f[4] = {3, 1, 2, 4}, msq[4] = {0};
    const int div[4] = {0};
    double pw[2];
    es_shape_info info = shape(&c, 4, f, msq, div, pw);
    double sd = sqrt(5.0 / 36.0);
    ck_assert_double_eq_tol(pw[0], (1.0 / 6 + 0.5) / sd, 1e-12);
    ck_assert_double_eq_tol(pw[1], (-1.0 / 6 - 0.5) / sd, 1e-12);
    ck_assert_int_eq(info.skip, 0);
    ck_assert_int_eq(info.best, 3);
    ck_assert_double_eq(info.mean, 2.5);
    ck_assert_double_eq(info.max, 4);
    ck_assert_double_eq(info.min, 1);
}
END_TEST

START_TEST(ties_break_by_index_and_invalid_rank_worst)
{
    cfg c;
    const char *sets[] = {"es.l2_penalty=0", "es.population=4", NULL};
    tu_config(&c, sets);
    double pw[2];
    const double msq[4] = {0};
    int div[4] = {0};
    /* 1 1 0 0: order 2 3 0 1 -> u(0) = 1/6, u(1) = 1/2, u(2) = -1/2, u(3) = -1/6 */
    const double tie[4] = {1, 1, 0, 0};
    shape(&c, 4, tie, msq, div, pw);
    double sd = sqrt(5.0 / 36.0);
    ck_assert_double_eq_tol(pw[0], (1.0 / 6 - 0.5) / sd, 1e-12);
    ck_assert_double_eq_tol(pw[1], (-0.5 + 1.0 / 6) / sd, 1e-12);
    /* candidate 0 diverged (despite fitness 5), candidate 1 NaN: both worst, 0 below 1 */
    const double bad[4] = {5, NAN, 1, 2};
    div[0] = 1;
    es_shape_info info = shape(&c, 4, bad, msq, div, pw);
    ck_assert_int_eq(info.n_invalid, 2);
    ck_assert_double_eq_tol(pw[0], (-0.5 - (-1.0 / 6)) / sd, 1e-12);
    ck_assert_double_eq_tol(pw[1], (1.0 / 6 - 0.5) / sd, 1e-12);
    ck_assert_double_eq(info.max, 2);
    ck_assert_int_eq(info.best, 3);
}
END_TEST

START_TEST(all_equal_skips_the_update)
{
    cfg c;
    const char *sets[] = {"es.population=4", NULL};
    tu_config(&c, sets);
    const double f[4] = {7, 7, 7, 7}, msq[4] = {1, 1, 1, 1};
    const int div[4] = {0};
    double pw[2] = {9, 9};
    es_shape_info info = shape(&c, 4, f, msq, div, pw);
    ck_assert_int_eq(info.skip, 1);
    ck_assert_double_eq(pw[0], 0.0);
    ck_assert_double_eq(pw[1], 0.0);
}
END_TEST

START_TEST(l2_penalty_enters_the_ranking)
{
    cfg c;
    const char *sets[] = {"es.l2_penalty=0.01", "es.population=2", NULL};
    tu_config(&c, sets);
    const double f[2] = {1.0, 1.05}, msq[2] = {0.0, 10.0}; /* 1.05 - 0.1 < 1.0 */
    const int div[2] = {0};
    double pw[1];
    shape(&c, 2, f, msq, div, pw);
    ck_assert_double_gt(pw[0], 0.0);
}
END_TEST

START_TEST(gradient_sum_is_the_same_for_any_split)
{
    /* What 1, 2 or 3 ranks add up must be the same integers. */
    const size_t n = 5000;
    const int64_t pairs = 25;
    cfg c;
    const char *sets[] = {"es.population=50", NULL};
    tu_config(&c, sets);
    es_gen g;
    ck_assert_int_eq(es_gen_create(&g, &c.es, n, 0), 0);
    g.generation = 3;
    for (int p = 0; p < pairs; p++) g.pair_weight[p] = sin(p + 1.0);
    double *eps = malloc(n * sizeof *eps);
    int64_t *one = calloc(n, sizeof *one), *many = calloc(n, sizeof *many), *share = calloc(n, sizeof *share);
    es_grad_share(&g, 7, 0, 1, one);
    for (int ranks = 2; ranks <= 3; ranks++) {
        memset(many, 0, n * sizeof *many);
        for (int r = 0; r < ranks; r++) {
            es_grad_share(&g, 7, r, ranks, share);
            for (size_t i = 0; i < n; i++) many[i] += share[i];
        }
        ck_assert_int_eq(memcmp(one, many, n * sizeof *one), 0);
    }
    /* and it is the weighted sum of the perturbations */
    double expect = 0;
    for (int p = 0; p < pairs; p++) {
        es_perturbation(7, 3, p, eps, n);
        expect += g.pair_weight[p] * eps[17];
    }
    /* truncation toward zero loses less than one unit per pair */
    ck_assert_double_eq_tol(one[17] / ES_GRAD_SCALE, expect, pairs / ES_GRAD_SCALE);
    /* a skipped update adds nothing */
    g.skip = 1;
    es_grad_share(&g, 7, 0, 1, one);
    for (size_t i = 0; i < n; i++) ck_assert_int_eq(one[i], 0);
    es_gen_free(&g);
    es_gen_free(NULL);
    free(eps);
    free(one);
    free(many);
    free(share);
}
END_TEST

typedef struct {
    const task_setup *ts;
    task_buffers *tb;
    const es_state *s;
    int calls;
} quadratic_eval;

/* es_ops evaluate of one process: every candidate evaluated here (task_candidate, as training). */
static int evaluate_here(void *ctx, es_gen *g)
{
    quadratic_eval *q = ctx;
    for (int k = 0; k < g->n; k++) {
        wk_result r = task_candidate(q->ts, q->tb, q->s, g->generation, k, NULL, NULL);
        es_result res = {.fitness = r.fitness, .mean_sq = r.mean_sq, .steps = r.steps, .diverged = r.diverged};
        es_report(g, k, &res, NULL);
    }
    q->calls++;
    return 0;
}

/* ES on the quadratic in one process, with training's generation (es_generation); returns
 * |h - optimum| before and after. */
static void quadratic_run_with(const char *optimizer, double lr, double decay, int gens, const char *algorithm,
                               double *before, double *after)
{
    cfg c;
    char opt[64], lrs[64], dec[64], alg[64];
    snprintf(opt, sizeof opt, "es.optimizer=%s", optimizer);
    snprintf(lrs, sizeof lrs, "es.lr=%g", lr);
    snprintf(dec, sizeof dec, "es.lr_decay=%g", decay);
    snprintf(alg, sizeof alg, "es.algorithm=%s", algorithm);
    const char *sets[] = {"run.task=quadratic", "task.quadratic_dim=50", "es.population=50", "es.l2_penalty=0",
                          "es.sigma_decay=1", "es.adam_l2=0", dec, opt, lrs, alg, NULL};
    tu_config(&c, sets);
    task_setup ts;
    task_buffers tb;
    char err[256];
    ck_assert_int_eq(task_setup_init(&ts, &c, NULL, err, sizeof err), 0);
    ck_assert_int_eq(task_buffers_create(&tb, &ts), 0);
    es_state s;
    ck_assert_int_eq(es_state_create(&s, ts.n_params, &c.es), 0);
    es_init(&s, &c.es);
    double *opt_x = malloc(s.n * sizeof *opt_x);
    es_gen g;
    ck_assert_int_eq(es_gen_create(&g, &c.es, s.n, 0), 0);
    task_quadratic_optimum(opt_x, s.n, (uint64_t)c.es.seed);
    *before = 0;
    for (size_t i = 0; i < s.n; i++) *before += (s.h[i] - opt_x[i]) * (s.h[i] - opt_x[i]);
    quadratic_eval q = {.ts = &ts, .tb = &tb, .s = &s};
    const es_ops ops = {.ctx = &q, .evaluate = evaluate_here, .lead = 1, .first = 0, .stride = 1};
    for (int gen = 0; gen < gens; gen++) {
        es_gen_stats row = {0};
        ck_assert_int_eq(es_generation(&g, &s, &c.es, &ops, &row), 0);
        ck_assert_int_eq(row.generation, gen);
        ck_assert_double_eq(row.best_ever, s.best_fitness);
        ck_assert_int_eq(s.generation, gen + 1);
        ck_assert_int_eq(q.calls, gen + 1);
    }
    *after = 0;
    for (size_t i = 0; i < s.n; i++) *after += (s.h[i] - opt_x[i]) * (s.h[i] - opt_x[i]);
    *before = sqrt(*before);
    *after = sqrt(*after);
    free(opt_x);
    es_gen_free(&g);
    es_state_free(&s);
    task_buffers_free(&tb);
    task_setup_free(&ts);
}

static void quadratic_run(const char *optimizer, double lr, double decay, int gens, double *before, double *after)
{
    quadratic_run_with(optimizer, lr, decay, gens, "openai", before, after);
}

/* An es_ops that reports fitness k (or 1 for every candidate when flat), or abandons, and
 * records what es_generation asks of the other replicas. */
typedef struct {
    int abandon, flat, diverge;
    int agreed, verdict, summed;
    size_t sum_n;
} recorder;

static int report_index(void *ctx, es_gen *g)
{
    recorder *r = ctx;
    for (int k = 0; k < g->n; k++) {
        es_result res = {.fitness = r->flat ? 1.0 : (double)k, .mean_sq = 0.0, .diverged = r->diverge};
        es_report(g, k, &res, NULL);
    }
    return r->abandon;
}

static void record_agree(void *ctx, int *verdict, es_gen *g, es_obs_stats *obs)
{
    (void)g;
    (void)obs;
    recorder *r = ctx;
    r->agreed++;
    r->verdict = *verdict;
}

static void record_sum(void *ctx, int64_t *acc, size_t n)
{
    (void)acc;
    recorder *r = ctx;
    r->summed++;
    r->sum_n = n;
}

/* One generation through es_generation with rec's ops; returns its value, s as it leaves. */
static int one_generation(recorder *rec, es_state *s, double *h_before)
{
    cfg c;
    const char *sets[] = {"run.task=quadratic", "task.quadratic_dim=20", "es.population=8", NULL};
    tu_config(&c, sets);
    ck_assert_int_eq(es_state_create(s, 20, NULL), 0);
    es_init(s, &c.es);
    memcpy(h_before, s->h, 20 * sizeof *h_before);
    es_gen g;
    ck_assert_int_eq(es_gen_create(&g, &c.es, 20, 0), 0);
    const es_ops ops = {.ctx = rec, .evaluate = report_index, .agree = record_agree, .sum = record_sum,
                        .lead = 1, .first = 0, .stride = 1};
    es_gen_stats row = {0};
    const int rc = es_generation(&g, s, &c.es, &ops, &row);
    es_gen_free(&g);
    return rc;
}

START_TEST(generation_update_skip_and_abandon)
{
    /* distinct fitnesses update; equal ones skip (nothing to add up); an abandon changes nothing, and
     * neither does a generation in which every candidate diverged */
    const struct {
        recorder rec;
        int returned, verdict, summed, generation, h_moved;
    } cases[] = {
        {{0}, 0, ES_UPDATE, 1, 1, 1},
        {{.flat = 1}, 0, ES_SKIP, 0, 1, 0},
        {{.abandon = 1}, 1, ES_ABANDON, 0, 0, 0},
        {{.diverge = 1}, 2, ES_DIVERGED, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double h0[20];
        es_state s;
        recorder r = cases[i].rec;
        ck_assert_int_eq(one_generation(&r, &s, h0), cases[i].returned);
        ck_assert_int_eq(r.agreed, 1);
        ck_assert_int_eq(r.verdict, cases[i].verdict);
        ck_assert_int_eq(r.summed, cases[i].summed);
        if (r.summed) ck_assert_uint_eq(r.sum_n, 20);
        ck_assert_int_eq(s.generation, cases[i].generation);
        ck_assert_int_eq(memcmp(h0, s.h, sizeof h0) != 0, cases[i].h_moved);
        if (cases[i].returned) ck_assert(s.best_fitness == -INFINITY); /* no best candidate taken from it */
        es_state_free(&s);
    }
}
END_TEST

START_TEST(sgd_converges_on_the_quadratic)
{
    double before, after;
    quadratic_run("sgd", 0.05, 0.97, 120, &before, &after);
    ck_assert_msg(after < before / 5, "distance %.3f -> %.3f", before, after);
}
END_TEST

START_TEST(adam_converges_on_the_quadratic)
{
    double before, after;
    quadratic_run("adam", 0.05, 0.99, 120, &before, &after);
    ck_assert_msg(after < before / 5, "distance %.3f -> %.3f", before, after);
}
END_TEST

START_TEST(decays_stop_at_their_floors)
{
    cfg c;
    const char *sets[] = {"es.lr=0.2", "es.lr_decay=0.5", "es.lr_min=0.04", "es.sigma=0.1", "es.sigma_decay=0.5",
                          "es.sigma_min=0.03", "run.task=quadratic", "task.quadratic_dim=3", NULL};
    tu_config(&c, sets);
    es_state s;
    ck_assert_int_eq(es_state_create(&s, 3, NULL), 0);
    es_init(&s, &c.es);
    for (int g = 0; g < 10; g++) es_update(&s, &c.es, NULL, 1, NULL);
    /* 0.2 -> 0.1 -> 0.05 -> 0.04 (the floor); 0.1 -> 0.05 -> 0.03 */
    ck_assert_double_eq(s.lr, 0.04);
    ck_assert_double_eq(s.sigma, 0.03);
    es_state_free(&s);
}
END_TEST

START_TEST(pgpe_pair_weights_by_hand)
{
    /* fitness 3 1 2 4 -> u = 1/6 -1/2 -1/6 1/2, kept in [-0.5, 0.5]: pair 0 gives w = 2/3 and
     * b = (1/6 - 1/2) / 2 = -1/6; pair 1 gives w = -2/3 and b = 1/6 */
    cfg c;
    const char *sets[] = {"es.l2_penalty=0", "es.population=4", "es.algorithm=pgpe", NULL};
    tu_config(&c, sets);
    const double f[4] = {3, 1, 2, 4}, msq[4] = {0};
    const int div[4] = {0};
    double pw[4];
    shape(&c, 4, f, msq, div, pw);
    ck_assert_double_eq_tol(pw[0], 2.0 / 3, 1e-15);
    ck_assert_double_eq_tol(pw[1], -2.0 / 3, 1e-15);
    ck_assert_double_eq_tol(pw[2], -1.0 / 6, 1e-15);
    ck_assert_double_eq_tol(pw[3], 1.0 / 6, 1e-15);
}
END_TEST

START_TEST(pgpe_sigma_sums_are_the_same_for_any_split)
{
    const size_t n = 3000;
    const int64_t pairs = 20;
    cfg c;
    const char *sets[] = {"es.population=40", "es.algorithm=pgpe", NULL};
    tu_config(&c, sets);
    es_gen g;
    ck_assert_int_eq(es_gen_create(&g, &c.es, n, 0), 0);
    ck_assert_int_eq(g.n_weights, 40);
    ck_assert_uint_eq(g.n_acc, 2 * n);
    g.generation = 5;
    for (int p = 0; p < pairs; p++) {
        g.pair_weight[p] = 0.5 * sin(p + 1.0);
        g.pair_weight[pairs + p] = 0.5 * cos(3.0 * p);
    }
    int64_t *one = calloc(2 * n, sizeof *one), *many = calloc(2 * n, sizeof *many), *share = calloc(2 * n, sizeof *share);
    es_grad_share(&g, 11, 0, 1, one);
    for (int ranks = 2; ranks <= 3; ranks++) {
        memset(many, 0, 2 * n * sizeof *many);
        for (int r = 0; r < ranks; r++) {
            es_grad_share(&g, 11, r, ranks, share);
            for (size_t i = 0; i < 2 * n; i++) many[i] += share[i];
        }
        ck_assert_int_eq(memcmp(one, many, 2 * n * sizeof *one), 0);
    }
    /* the second half is sum_p b_p (eps_pi^2 - 1) */
    double *eps = malloc(n * sizeof *eps), expect = 0;
    for (int p = 0; p < pairs; p++) {
        es_perturbation(11, 5, p, eps, n);
        expect += g.pair_weight[pairs + p] * (eps[29] * eps[29] - 1.0);
    }
    ck_assert_double_eq_tol(one[n + 29] / ES_GRAD_SCALE, expect, pairs / ES_GRAD_SCALE);
    free(eps);
    free(one);
    free(many);
    free(share);
    es_gen_free(&g);
}
END_TEST

START_TEST(pgpe_update_by_hand)
{
    /* 2 parameters, population 4 (2 pairs), sigmas 0.1 and 0.2, SGD with lr 1:
     * mean:  h_i += lr sigma_i / n * acc_i  ->  0.1 * 4 / 4 = 0.1 and 0.2 * 8 / 4 = 0.4
     * sigma: sigma_i += 0.5 * sigma_i / pairs * acc_sigma_i, the change clipped to 20% of sigma_i:
     *        0.1 + 0.5 * 0.1 * 0.3 / 2 = 0.1075; 0.2 + 0.5 * 0.2 * (-2) / 2 = 0.1, clipped to 0.16 */
    cfg c;
    const char *sets[] = {"es.population=4", "es.algorithm=pgpe", "es.optimizer=sgd", "es.lr=1", "es.lr_decay=1",
                          "es.pgpe_sigma_lr=0.5", "es.pgpe_sigma_max_change=0.2", "run.task=quadratic",
                          "task.quadratic_dim=2", NULL};
    tu_config(&c, sets);
    es_state s;
    ck_assert_int_eq(es_state_create(&s, 2, &c.es), 0);
    ck_assert_ptr_nonnull(s.sigmas);
    ck_assert_ptr_null(s.velocity);
    s.sigmas[0] = 0.1;
    s.sigmas[1] = 0.2;
    s.lr = 1;
    const int64_t acc[4] = {(int64_t)(4 * ES_GRAD_SCALE), (int64_t)(8 * ES_GRAD_SCALE), (int64_t)(0.3 * ES_GRAD_SCALE),
                            (int64_t)(-2 * ES_GRAD_SCALE)};
    double grad[2];
    es_update(&s, &c.es, acc, 0, grad);
    ck_assert_double_eq_tol(s.h[0], 0.1, 1e-9);
    ck_assert_double_eq_tol(s.h[1], 0.4, 1e-9);
    ck_assert_double_eq_tol(s.sigmas[0], 0.1075, 1e-9);
    ck_assert_double_eq_tol(s.sigmas[1], 0.16, 1e-12);
    ck_assert_double_eq_tol(s.sigma, (0.1075 + 0.16) / 2, 1e-9); /* the mean, for logs */
    /* a skipped generation changes neither */
    es_update(&s, &c.es, acc, 1, grad);
    ck_assert_double_eq_tol(s.sigmas[1], 0.16, 1e-12);
    ck_assert_double_eq_tol(s.h[1], 0.4, 1e-9);
    /* candidates are h +- sigma_i eps_i */
    double eps[2], cand[2];
    es_candidate(3, s.h, 99.0, s.sigmas, NULL, 0, 1, eps, cand, 2);
    ck_assert_double_eq_tol(cand[0], s.h[0] - s.sigmas[0] * eps[0], 1e-15);
    ck_assert_double_eq_tol(cand[1], s.h[1] - s.sigmas[1] * eps[1], 1e-15);
    es_state_free(&s);
}
END_TEST

START_TEST(clipup_step_by_hand)
{
    /* OpenAI-ES gradient acc / (2^32 n sigma) = (3, 4) with n = 2, sigma 0.5; ClipUp with step 0.1,
     * momentum 0.9, speed limit 0.15:
     * step 1: direction (0.6, 0.8), v = (0.06, 0.08), |v| = 0.1 below the limit: h = (0.06, 0.08)
     * step 2: v = 0.9 (0.06, 0.08) + (0.06, 0.08) = (0.114, 0.152), |v| = 0.19, clipped to
     *         (0.09, 0.12): h = (0.15, 0.2) */
    cfg c;
    const char *sets[] = {"es.population=2", "es.optimizer=clipup", "es.lr=0.1", "es.lr_decay=1", "es.sigma=0.5",
                          "es.clipup_momentum=0.9", "es.clipup_max_speed=0.15", "run.task=quadratic",
                          "task.quadratic_dim=2", NULL};
    tu_config(&c, sets);
    es_state s;
    ck_assert_int_eq(es_state_create(&s, 2, &c.es), 0);
    ck_assert_ptr_nonnull(s.velocity);
    ck_assert_ptr_null(s.sigmas);
    s.lr = 0.1;
    s.sigma = 0.5;
    const int64_t acc[2] = {(int64_t)(3 * ES_GRAD_SCALE), (int64_t)(4 * ES_GRAD_SCALE)};
    double grad[2];
    es_update(&s, &c.es, acc, 0, grad);
    ck_assert_double_eq_tol(s.velocity[0], 0.06, 1e-15);
    ck_assert_double_eq_tol(s.h[1], 0.08, 1e-15);
    es_update(&s, &c.es, acc, 0, grad);
    ck_assert_double_eq_tol(s.velocity[0], 0.09, 1e-15);
    ck_assert_double_eq_tol(s.velocity[1], 0.12, 1e-15);
    ck_assert_double_eq_tol(s.h[0], 0.15, 1e-15);
    ck_assert_double_eq_tol(s.h[1], 0.2, 1e-15);
    /* the scale of the fitness does not matter: ten times the gradient, the same step */
    es_state t;
    ck_assert_int_eq(es_state_create(&t, 2, &c.es), 0);
    t.lr = 0.1;
    t.sigma = 0.5;
    const int64_t acc10[2] = {10 * acc[0], 10 * acc[1]};
    es_update(&t, &c.es, acc10, 0, grad);
    ck_assert_double_eq_tol(t.h[0], 0.06, 1e-15);
    /* max speed 0 means twice the step size */
    c.es.clipup_max_speed = 0;
    ck_assert_double_eq(es_clipup_max_speed(&c.es), 0.2);
    es_state_free(&t);
    es_state_free(&s);
}
END_TEST

START_TEST(pgpe_clipup_converges_on_the_quadratic)
{
    double before, after;
    quadratic_run_with("clipup", 0.05, 1.0, 120, "pgpe", &before, &after);
    ck_assert_msg(after < before / 5, "distance %.3f -> %.3f", before, after);
}
END_TEST

START_TEST(adam_step_by_hand)
{
    /* one parameter h = 0.3, gradient acc / (2^32 n sigma) = 1 (n 2, sigma 0.5), L2 0.1: descent
     * g = -1 + 0.1 * 0.3 = -0.97; m = 0.1 g, v = 0.001 g^2; the bias-corrected step
     * lr sqrt(1 - 0.999) / (1 - 0.9) * m / (sqrt v + eps) is -lr (Adam's first step), so h = 0.4 */
    cfg c;
    const char *sets[] = {"es.population=2", "es.optimizer=adam", "es.lr=0.1", "es.lr_decay=1", "es.sigma=0.5",
                          "es.adam_l2=0.1", "run.task=quadratic", "task.quadratic_dim=1", NULL};
    tu_config(&c, sets);
    es_state s;
    ck_assert_int_eq(es_state_create(&s, 1, &c.es), 0);
    s.h[0] = 0.3;
    s.lr = 0.1;
    s.sigma = 0.5;
    const int64_t acc[1] = {(int64_t)ES_GRAD_SCALE};
    double grad[1];
    es_update(&s, &c.es, acc, 0, grad);
    ck_assert_double_eq_tol(s.adam_m[0], -0.097, 1e-15);
    ck_assert_double_eq_tol(s.adam_v[0], 0.001 * 0.97 * 0.97, 1e-15);
    ck_assert_int_eq(s.adam_t, 1);
    ck_assert_double_eq_tol(s.h[0], 0.4, 1e-7);
    es_state_free(&s);
}
END_TEST

/* es_generation_end on a 4-candidate generation with the given fitnesses, diverged flags and
 * observation sums; returns the row. */
static es_gen_stats end_generation(es_state *s, const cfg *c, es_gen *g, const double *f, const int *div,
                                   const es_obs_stats *obs)
{
    es_generation_begin(g, s);
    for (int k = 0; k < 4; k++) {
        es_result r = {.fitness = f[k], .diverged = div[k], .steps = 10};
        es_report(g, k, &r, obs ? &obs[k] : NULL);
    }
    es_gen_stats row = {0};
    es_generation_end(g, s, &c->es, &row);
    return row;
}

START_TEST(best_ever_and_the_observation_statistics)
{
    cfg c;
    const char *sets[] = {"es.population=4", "es.l2_penalty=0", "es.sigma=0.5", "run.task=quadratic",
                          "task.quadratic_dim=3", NULL};
    tu_config(&c, sets);
    es_state s;
    ck_assert_int_eq(es_state_create(&s, 3, &c.es), 0);
    es_init(&s, &c.es);
    s.obs.n = 2;
    es_gen g;
    ck_assert_int_eq(es_gen_create(&g, &c.es, 3, 1), 0);
    /* candidate 0 diverged (its 9 does not count); candidate 1 (5) is the best: h - sigma eps_0 */
    const double f1[4] = {9, 5, 3, 2};
    const int div1[4] = {1, 0, 0, 0};
    es_obs_stats obs[4] = {{.n = 2, .count = 10, .sum = {1, 2}, .sumsq = {3, 4}},
                           {.n = 2, .count = 10, .sum = {10, 20}, .sumsq = {30, 40}},
                           {.n = 2, .count = 10, .sum = {100, 200}, .sumsq = {300, NAN}}, /* not finite: left out */
                           {.n = 3, .count = 10, .sum = {1000, 2000}}};                    /* other size: left out */
    es_gen_stats row = end_generation(&s, &c, &g, f1, div1, obs);
    ck_assert_double_eq(s.best_fitness, 5.0);
    ck_assert_int_eq(s.best_generation, 0);
    ck_assert_double_eq(row.best_ever, 5.0);
    ck_assert_double_eq(row.max, 5.0);
    ck_assert_int_eq(row.diverged, 1);
    double eps[3], cand[3];
    es_candidate((uint64_t)c.es.seed, s.h, 0.5, NULL, NULL, 0, 1, eps, cand, 3);
    for (int i = 0; i < 3; i++) ck_assert_double_eq(s.best_h[i], cand[i]);
    /* only candidate 1's observations were added (the diverged one, the non-finite and the
     * mismatched are left out) */
    ck_assert_double_eq(s.obs.count, 10.0);
    ck_assert_double_eq(s.obs.sum[1], 20.0);
    ck_assert_double_eq(s.obs.sumsq[0], 30.0);
    /* a later generation that does worse leaves the best alone; a better one replaces it */
    s.generation = 1;
    const double f2[4] = {4, 1, 2, 3};
    const int div0[4] = {0};
    row = end_generation(&s, &c, &g, f2, div0, NULL);
    ck_assert_double_eq(s.best_fitness, 5.0);
    ck_assert_int_eq(s.best_generation, 0);
    ck_assert_double_eq(row.best_ever, 5.0);
    s.generation = 2;
    const double f3[4] = {1, 2, 8, 3};
    row = end_generation(&s, &c, &g, f3, div0, NULL);
    ck_assert_double_eq(s.best_fitness, 8.0);
    ck_assert_int_eq(s.best_generation, 2);
    es_candidate((uint64_t)c.es.seed, s.h, 0.5, NULL, NULL, 2, 2, eps, cand, 3);
    for (int i = 0; i < 3; i++) ck_assert_double_eq(s.best_h[i], cand[i]);
    es_gen_free(&g);
    es_state_free(&s);
}
END_TEST

/* Frozen parameters (shared rules' count and assignment): a candidate keeps them and leaves them out
 * of mean(cand^2); an update moves neither them nor their optimizer state, while the others move
 * exactly as without the flags (Adam and SGD are per parameter; ClipUp's norm leaves them out). */
START_TEST(frozen_parameters)
{
    cfg c;
    const char *sets[] = {"es.population=2", "es.optimizer=adam", "es.lr=0.1", "es.sigma=0.5", "es.adam_l2=0.1",
                          "run.task=quadratic", "task.quadratic_dim=3", NULL};
    tu_config(&c, sets);
    es_state a, b;
    ck_assert_int_eq(es_state_create(&a, 3, &c.es), 0);
    ck_assert_int_eq(es_state_create(&b, 3, &c.es), 0);
    ck_assert_int_eq(es_state_use_frozen(&b), 0);
    b.frozen[1] = 1;
    const double h0[3] = {0.3, 7.0, -0.2};
    memcpy(a.h, h0, sizeof h0);
    memcpy(b.h, h0, sizeof h0);
    a.lr = b.lr = 0.1;
    a.sigma = b.sigma = 0.5;
    double eps[3], ca[3], cb[3];
    es_candidate(5, a.h, 0.5, NULL, NULL, 3, 1, eps, ca, 3);
    const double msq = es_candidate(5, b.h, 0.5, NULL, b.frozen, 3, 1, eps, cb, 3);
    ck_assert_double_eq(cb[0], ca[0]);
    ck_assert_double_eq(cb[1], 7.0);
    ck_assert_double_eq(cb[2], ca[2]);
    ck_assert_double_eq(msq, (ca[0] * ca[0] + ca[2] * ca[2]) / 2.0);
    const int64_t acc[3] = {(int64_t)ES_GRAD_SCALE, (int64_t)ES_GRAD_SCALE, -(int64_t)ES_GRAD_SCALE};
    double grad[3];
    es_update(&a, &c.es, acc, 0, grad);
    es_update(&b, &c.es, acc, 0, grad);
    ck_assert_double_eq(b.h[0], a.h[0]);
    ck_assert_double_eq(b.h[2], a.h[2]);
    ck_assert_double_ne(a.h[1], 7.0); /* it would have moved */
    ck_assert_double_eq(b.h[1], 7.0);
    ck_assert_double_eq(b.adam_m[1], 0.0);
    ck_assert_double_eq(b.adam_v[1], 0.0);
    es_state_free(&a);
    es_state_free(&b);
    /* ClipUp: a frozen parameter's leftover velocity (a merge retires its slot as it is) moves
     * nothing and is not in the speed limit's |v|: the others step as in a run without it */
    const char *cu[] = {"es.population=2", "es.optimizer=clipup", "es.lr=0.1", "es.sigma=0.5",
                        "run.task=quadratic", "task.quadratic_dim=3", NULL};
    tu_config(&c, cu);
    es_state p2, p3;
    ck_assert_int_eq(es_state_create(&p2, 2, &c.es), 0);
    ck_assert_int_eq(es_state_create(&p3, 3, &c.es), 0);
    ck_assert_int_eq(es_state_use_frozen(&p3), 0);
    p3.frozen[1] = 1;
    p3.velocity[1] = 5.0; /* far past the speed limit: counted, it would shrink the others' step */
    p2.lr = p3.lr = 0.1;
    p2.sigma = p3.sigma = 0.5;
    const int64_t acc2[2] = {acc[0], acc[2]};
    double grad2[2];
    es_update(&p2, &c.es, acc2, 0, grad2);
    es_update(&p3, &c.es, acc, 0, grad);
    ck_assert_double_eq(p3.h[0], p2.h[0]);
    ck_assert_double_eq(p3.h[2], p2.h[1]);
    ck_assert_double_eq(p3.velocity[0], p2.velocity[0]);
    ck_assert_double_eq(p3.h[1], 0.0);
    ck_assert_double_eq(p3.velocity[1], 5.0);
    es_state_free(&p2);
    es_state_free(&p3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("es");
    TCase *t = tcase_create("es");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, centered_ranks_by_hand);
    tcase_add_test(t, ties_break_by_index_and_invalid_rank_worst);
    tcase_add_test(t, all_equal_skips_the_update);
    tcase_add_test(t, l2_penalty_enters_the_ranking);
    tcase_add_test(t, gradient_sum_is_the_same_for_any_split);
    tcase_add_test(t, generation_update_skip_and_abandon);
    tcase_add_test(t, sgd_converges_on_the_quadratic);
    tcase_add_test(t, adam_converges_on_the_quadratic);
    tcase_add_test(t, decays_stop_at_their_floors);
    tcase_add_test(t, pgpe_pair_weights_by_hand);
    tcase_add_test(t, pgpe_sigma_sums_are_the_same_for_any_split);
    tcase_add_test(t, pgpe_update_by_hand);
    tcase_add_test(t, clipup_step_by_hand);
    tcase_add_test(t, pgpe_clipup_converges_on_the_quadratic);
    tcase_add_test(t, adam_step_by_hand);
    tcase_add_test(t, best_ever_and_the_observation_statistics);
    tcase_add_test(t, frozen_parameters);
    suite_add_tcase(s, t);
    return tu_run(s);
}
