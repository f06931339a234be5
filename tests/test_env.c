#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "env.h"
#include "es.h"
#include "testutil.h"
#include "task.h"
#include "worker.h"

static void load(env_model *em, const cfg *c, const char *path)
{
    char err[512];
    ck_assert_msg(env_model_load(em, &c->env, path, NULL, err, sizeof err) == 0, "%s", err);
}

/* 300 steps of seeded random actions; returns the concatenated observations. */
static void trajectory(const char *path, uint64_t seed, double *out)
{
    cfg c;
    tu_config(&c, NULL);
    env_model em;
    load(&em, &c, path);
    env_state es;
    ck_assert_int_eq(env_state_create(&es, &em), 0);
    rng_stream rng;
    rng_stream_init(&rng, seed, RNG_RESET, 0, 0);
    double obs[27], act[8], r;
    env_reset(&es, &rng, obs);
    for (int t = 0; t < 300; t++) {
        for (int k = 0; k < 8; k++) act[k] = 2 * rng_uniform(&rng) - 1;
        env_step(&es, act, obs, &r);
        memcpy(out + 28 * t, obs, sizeof obs);
        out[28 * t + 27] = r;
    }
    env_state_free(&es);
    env_model_free(&em);
}

START_TEST(same_seed_same_bits)
{
    static double a[300 * 28], b[300 * 28], c[300 * 28];
    trajectory("envs/ant.xml", 5, a);
    trajectory("envs/ant.xml", 5, b);
    trajectory("envs/ant.xml", 6, c);
    ck_assert_int_eq(memcmp(a, b, sizeof a), 0);
    ck_assert_int_ne(memcmp(a, c, sizeof a), 0);
}
END_TEST

START_TEST(model_facts)
{
    cfg c;
    tu_config(&c, NULL);
    env_model em;
    load(&em, &c, "envs/ant.xml");
    const mjModel *m = em.m;
    ck_assert_int_eq(m->nq, 15);
    ck_assert_int_eq(m->nv, 14);
    ck_assert_int_eq(m->nu, 8);
    ck_assert_int_eq(m->nbody, 14);
    ck_assert_double_eq(m->opt.timestep, 0.01);
    ck_assert_int_eq(m->opt.integrator, mjINT_RK4);
    const char *order[8] = {"hip_4", "ankle_4", "hip_1", "ankle_1", "hip_2", "ankle_2", "hip_3", "ankle_3"};
    for (int k = 0; k < 8; k++) {
        ck_assert_str_eq(mj_id2name(m, mjOBJ_ACTUATOR, k), order[k]);
        ck_assert_double_eq(m->actuator_gear[6 * k], 150);
    }
    int ankle1 = mj_name2id(m, mjOBJ_JOINT, "ankle_1"), ankle2 = mj_name2id(m, mjOBJ_JOINT, "ankle_2");
    ck_assert_double_eq_tol(m->jnt_range[2 * ankle1], 30 * mjPI / 180, 1e-12);
    ck_assert_double_eq_tol(m->jnt_range[2 * ankle2 + 1], -30 * mjPI / 180, 1e-12);
    ck_assert_double_eq_tol(m->qpos0[2], 0.75, 1e-12);
    env_model_free(&em);
}
END_TEST

START_TEST(observation_size_and_order)
{
    cfg c;
    tu_config(&c, NULL);
    env_model em;
    load(&em, &c, "envs/ant.xml");
    ck_assert_int_eq(em.obs_dim, 27);
    env_state es;
    ck_assert_int_eq(env_state_create(&es, &em), 0);
    rng_stream rng;
    rng_stream_init(&rng, 1, RNG_RESET, 0, 0);
    double obs[27], act[8] = {0.5, -0.5, 0.3, 0.1, 0, 0, -1, 1}, r;
    env_reset(&es, &rng, obs);
    env_step(&es, act, obs, &r);
    for (int i = 0; i < 13; i++) ck_assert_double_eq(obs[i], es.d->qpos[i + 2]);
    for (int i = 0; i < 14; i++) ck_assert_double_eq(obs[13 + i], es.d->qvel[i]);
    env_state_free(&es);
    env_model_free(&em);
    /* with contact forces: 13 bodies x 6, clipped to [-1, 1] */
    const char *sets[] = {"env.contact_obs=true", NULL};
    tu_config(&c, sets);
    load(&em, &c, "envs/ant.xml");
    ck_assert_int_eq(em.obs_dim, 105);
    ck_assert_int_eq(env_state_create(&es, &em), 0);
    double big[105];
    env_reset(&es, &rng, big);
    int nonzero = 0;
    for (int t = 0; t < 20; t++) env_step(&es, act, big, &r);
    for (int i = 27; i < 105; i++) {
        ck_assert(big[i] >= -1.0 && big[i] <= 1.0);
        nonzero += big[i] != 0.0;
    }
    ck_assert_int_gt(nonzero, 0); /* the feet touch the floor */
    env_state_free(&es);
    env_model_free(&em);
}
END_TEST

START_TEST(zero_action_stays_healthy_for_1000_steps)
{
    cfg c;
    tu_config(&c, NULL);
    env_model em;
    load(&em, &c, "envs/ant.xml");
    env_state es;
    ck_assert_int_eq(env_state_create(&es, &em), 0);
    rng_stream rng;
    rng_stream_init(&rng, 2, RNG_RESET, 0, 0);
    double obs[27], act[8] = {0}, r, total = 0;
    env_reset(&es, &rng, obs);
    env_end end = ENV_RUNNING;
    int t = 0;
    while (end == ENV_RUNNING) {
        double x = es.d->xpos[3 * em.torso];
        end = env_step(&es, act, obs, &r);
        t++;
        /* reward = healthy 1 + forward velocity - 0 control cost */
        ck_assert_double_eq_tol(r, 1.0 + (es.d->xpos[3 * em.torso] - x) / 0.05, 1e-9);
        total += r;
    }
    ck_assert_int_eq(end, ENV_TIME_LIMIT);
    ck_assert_int_eq(t, 1000);
    ck_assert_double_gt(total, 900);
    env_state_free(&es);
    env_model_free(&em);
}
END_TEST

START_TEST(termination_rules)
{
    cfg c;
    const char *sets[] = {"env.fitness=distance", "env.early_stop=true", "env.early_stop_after=5",
                          "env.early_stop_patience=3", NULL};
    tu_config(&c, sets);
    env_model em;
    load(&em, &c, "envs/ant.xml");
    env_state es;
    ck_assert_int_eq(env_state_create(&es, &em), 0);
    rng_stream rng;
    rng_stream_init(&rng, 3, RNG_RESET, 0, 0);
    double obs[27], act[8] = {0}, r;
    /* walking backwards: negative step rewards; stop 3 steps after step 5 */
    env_reset(&es, &rng, obs);
    env_end end = ENV_RUNNING;
    int t = 0;
    while (end == ENV_RUNNING && t < 50) {
        es.d->qvel[0] = -1.0;
        end = env_step(&es, act, obs, &r);
        t++;
        if (end == ENV_RUNNING || end == ENV_EARLY_STOP) ck_assert_double_lt(r, 0.0);
    }
    ck_assert_int_eq(end, ENV_EARLY_STOP);
    ck_assert_int_eq(t, 8);
    ck_assert_double_lt(env_distance(&es), 0.0);
    /* torso lifted above healthy_z_max */
    env_reset(&es, &rng, obs);
    es.d->qpos[2] = 1.3;
    ck_assert_int_eq(env_step(&es, act, obs, &r), ENV_TOO_HIGH);
    /* and below healthy_z_min (raised above the standing torso's 0.75) */
    em.spec.healthy_z_min = 0.9;
    env_reset(&es, &rng, obs);
    ck_assert_int_eq(env_step(&es, act, obs, &r), ENV_TOO_LOW);
    em.spec.healthy_z_min = c.env.healthy_z_min;
    /* a non-finite action never reaches MuJoCo */
    env_reset(&es, &rng, obs);
    act[3] = NAN;
    ck_assert_int_eq(env_step(&es, act, obs, &r), ENV_DIVERGED);
    env_state_free(&es);
    env_model_free(&em);
}
END_TEST

/* Steps until the episode ends when every step walks backwards (and, with lift, the torso is
 * held above healthy_z_max): the hand-counted stopping rules of both step countings. */
static int steps_until_end(const char *counting, int lift, env_end *end_out, double *last_reward, double *last_dx)
{
    char cnt[64];
    snprintf(cnt, sizeof cnt, "env.step_counting=%s", counting);
    const char *sets[] = {"env.fitness=distance", "env.early_stop=true", "env.early_stop_after=5",
                          "env.early_stop_patience=3", "env.unhealthy_grace=4", "env.fitness_scale=60",
                          cnt, NULL};
    cfg c;
    tu_config(&c, sets);
    env_model em;
    load(&em, &c, "envs/ant.xml");
    env_state es;
    ck_assert_int_eq(env_state_create(&es, &em), 0);
    rng_stream rng;
    rng_stream_init(&rng, 3, RNG_RESET, 0, 0);
    double obs[27], act[8] = {0}, r = 0;
    env_reset(&es, &rng, obs);
    env_end end = ENV_RUNNING;
    int t = 0;
    while (end == ENV_RUNNING && t < 50) {
        es.d->qvel[0] = -1.0;
        if (lift) es.d->qpos[2] = 1.3;
        double x = es.d->xpos[3 * em.torso];
        end = env_step(&es, act, obs, &r);
        *last_dx = es.d->xpos[3 * em.torso] - x;
        t++;
    }
    *end_out = end;
    *last_reward = r;
    env_state_free(&es);
    env_model_free(&em);
    return t;
}

START_TEST(notebook_step_counting_grace_and_scale)
{
    env_end end;
    double r, dx;
    /* hebes: negatives are counted from step after + 1 = 6; the 3rd (step 8) stops */
    ck_assert_int_eq(steps_until_end("hebes", 0, &end, &r, &dx), 8);
    ck_assert_int_eq(end, ENV_EARLY_STOP);
    ck_assert_double_eq_tol(r, 60.0 * dx, 1e-12);
    ck_assert_double_lt(r, 0.0);
    /* notebook: its counter is one behind (counted from step 7) and must exceed the patience (4 negatives) */
    ck_assert_int_eq(steps_until_end("notebook", 0, &end, &r, &dx), 10);
    ck_assert_int_eq(end, ENV_EARLY_STOP);
    /* a torso held too high is ignored during the grace of 4 steps: it ends step 5 (notebook: 6) */
    ck_assert_int_eq(steps_until_end("hebes", 1, &end, &r, &dx), 5);
    ck_assert_int_eq(end, ENV_TOO_HIGH);
    ck_assert_int_eq(steps_until_end("notebook", 1, &end, &r, &dx), 6);
    ck_assert_int_eq(end, ENV_TOO_HIGH);
}
END_TEST

typedef struct {
    int n_in;
    double lo, hi; /* range of the network's input activities */
    long steps;
} input_range;

static int watch_input(void *ctx, const wk_step *st)
{
    input_range *r = ctx;
    for (int i = 0; i < r->n_in; i++) {
        r->lo = fmin(r->lo, st->net->act[0][i]);
        r->hi = fmax(r->hi, st->net->act[0][i]);
    }
    r->steps = st->t;
    return 0;
}

/* The task's setup and buffers for the default config with these overrides (the Ant's: the
 * worker's are ts.body and tb.body). */
static void task_for(const char *const *sets, cfg *c, task_setup *ts, task_buffers *tb)
{
    char err[512];
    tu_config(c, sets);
    ck_assert_msg(task_setup_init(ts, c, NULL, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(task_buffers_create(tb, ts), 0);
}

/* One worker for the defaults with these --set assignments (c must outlive ws: ws reads it). */
static void worker_for(const char *const *sets, cfg *c, wk_setup *ws, wk_buffers *wb)
{
    char err[512];
    tu_config(c, sets);
    ck_assert_msg(wk_setup_init(ws, c, NULL, NULL, 0, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(wk_buffers_create(wb, ws), 0);
}

/* net.obs_norm: shift and scale from the sums by hand, the std floor, the clip, the counting. */
START_TEST(observation_normalisation)
{
    cfg c;
    const char *sets[] = {"net.obs_norm=true", "net.obs_clip=0.5", "env.max_steps=40", NULL};
    task_setup ts;
    task_buffers tb;
    task_for(sets, &c, &ts, &tb);
    wk_setup *ws = &ts.body;
    wk_buffers *wb = &tb.body;
    ck_assert_double_eq(wb->obs_shift[3], 0.0); /* nothing summed yet: the identity */
    ck_assert_double_eq(wb->obs_scale[3], 1.0);
    es_obs_stats st = {.n = 27, .count = 4};
    st.sum[0] = 1 + 2 + 3 + 4; /* mean 2.5, variance 7.5 - 6.25 = 1.25 */
    st.sumsq[0] = 1 + 4 + 9 + 16;
    st.sum[1] = 4 * 5.0; /* constant: variance 0, std floored at 0.1 */
    st.sumsq[1] = 4 * 25.0;
    wk_set_obs_norm(wb, ws, &st);
    ck_assert_double_eq_tol(wb->obs_shift[0], 2.5, 1e-15);
    ck_assert_double_eq_tol(wb->obs_scale[0], 1.0 / sqrt(1.25), 1e-15);
    ck_assert_double_eq_tol(wb->obs_shift[1], 5.0, 1e-15);
    ck_assert_double_eq_tol(wb->obs_scale[1], 10.0, 1e-12);
    /* a candidate: the network sees clipped inputs, the raw observations are counted once a step */
    es_state s;
    ck_assert_int_eq(es_state_create(&s, ws->n_params, NULL), 0);
    s.sigma = 0.1;
    input_range r = {.n_in = ws->obs_dim, .lo = INFINITY, .hi = -INFINITY};
    wk_result res = task_candidate(&ts, &tb, &s, 0, 0, watch_input, &r);
    ck_assert_int_eq(res.steps, 40);
    ck_assert_int_eq(r.steps, 40);
    ck_assert_double_eq(wb->acc.count, 40.0);
    ck_assert_int_eq(wb->acc.n, 27);
    ck_assert_double_eq(r.lo, -0.5); /* e.g. obs 0, the torso z: (0.55 - 2.5) * 0.89 */
    ck_assert_double_eq(r.hi, 0.5);
    ck_assert(wb->acc.sum[0] > 40 * 0.2 && wb->acc.sum[0] < 40 * 1.0); /* obs 0 is the torso z, summed raw */
    es_state_free(&s);
    task_buffers_free(&tb);
    task_setup_free(&ts);
}
END_TEST

/* A poll function that asks to stop after `after` steps (rank 0 on a stop signal). */
typedef struct {
    long after, seen;
} stopper;

static int stop_after(void *ctx, const wk_step *st)
{
    stopper *s = ctx;
    s->seen++;
    return st->t >= s->after;
}

/* Rank 0 abandons a generation on a signal without finishing its own candidate: the poll
 * function's word ends the episode at once and the candidate's remaining episodes are skipped. */
START_TEST(poll_interrupts_the_candidate)
{
    cfg c;
    const char *sets[] = {"env.max_steps=200", "env.healthy_z_max=1e6", "es.episodes_per_candidate=3", NULL};
    task_setup ts;
    task_buffers tb;
    task_for(sets, &c, &ts, &tb);
    es_state s;
    ck_assert_int_eq(es_state_create(&s, ts.n_params, NULL), 0);
    s.sigma = 0.01;
    stopper st = {.after = 1000000};
    wk_result full = task_candidate(&ts, &tb, &s, 0, 0, stop_after, &st);
    ck_assert_int_eq(full.interrupted, 0);
    ck_assert_int_eq(st.seen, full.steps); /* called after every step */
    st = (stopper){.after = 17};
    wk_result cut = task_candidate(&ts, &tb, &s, 0, 0, stop_after, &st);
    ck_assert_int_eq(cut.interrupted, 1);
    ck_assert_int_eq(cut.steps, 17);
    ck_assert_int_eq(st.seen, 17); /* no further episode was started */
    es_state_free(&s);
    task_buffers_free(&tb);
    task_setup_free(&ts);
}
END_TEST

/* Records, at every step, a checksum of the weights and short-term plasticity state the step acted
 * with (the poll runs before the step's update) and of the action. */
typedef struct {
    const heb_layout *lay;
    uint64_t w[400], stp[400], act[400];
} net_log;

static int log_net(void *ctx, const wk_step *st)
{
    net_log *g = ctx;
    const size_t units = (size_t)g->lay->total_units;
    g->w[st->t] = ckpt_fnv1a(st->net->w, g->lay->total_syn * sizeof *st->net->w);
    g->stp[st->t] = ckpt_fnv1a(st->net->stp_u, units * sizeof *st->net->stp_u) ^
                    ckpt_fnv1a(st->net->stp_x, units * sizeof *st->net->stp_x);
    g->act[st->t] = ckpt_fnv1a(st->action, 8 * sizeof *st->action);
    return 0;
}

/* net.plastic_steps K: the episode is the plastic one up to step K + 1 (which acts with the weights
 * of K updates), and from then on acts with those weights and that short-term state, unchanged;
 * the plastic episode's keep changing (or the test could not fail). */
START_TEST(plastic_steps_fix_the_network)
{
    enum { K = 25, T = 300 };
    net_log *plastic = calloc(2, sizeof *plastic), *fixed = plastic + 1;
    for (int pass = 0; pass < 2; pass++) {
        cfg c;
        const char *sets[] = {"env.max_steps=300", "env.healthy_z_max=1e6", "env.healthy_z_min=-1e6",
                              "net.stp_u=0.3", pass ? "net.plastic_steps=25" : NULL, NULL};
        wk_setup ws;
        wk_buffers wb;
        worker_for(sets, &c, &ws, &wb);
        double *p = malloc(ws.n_params * sizeof *p);
        for (size_t k = 0; k < ws.n_params; k++) p[k] = 0.05 * sin(0.37 * (double)k + 1.0);
        heb_coef_from_params(&ws.lay, p, wb.coef);
        net_log *g = pass ? fixed : plastic;
        g->lay = &ws.lay;
        wk_result r = wk_episode(&ws, &wb, 0, wb.coef, 3, 0, log_net, g);
        ck_assert_int_eq(r.steps, T);
        ck_assert_int_eq(r.diverged, 0);
        free(p);
        wk_buffers_free(&wb);
        wk_setup_free(&ws);
    }
    for (int t = 1; t <= K + 1; t++) {
        ck_assert_msg(plastic->w[t] == fixed->w[t] && plastic->act[t] == fixed->act[t], "step %d differs", t);
        if (t > 1) ck_assert_uint_ne(plastic->w[t], plastic->w[t - 1]); /* each update changes the weights */
    }
    int plastic_moves = 0;
    for (int t = K + 2; t <= T; t++) {
        ck_assert_msg(fixed->w[t] == fixed->w[K + 1] && fixed->stp[t] == fixed->stp[K + 1], "step %d changed", t);
        plastic_moves += plastic->w[t] != plastic->w[K + 1] && plastic->stp[t] != plastic->stp[K + 1];
    }
    ck_assert_int_eq(plastic_moves, T - K - 1);
    free(plastic);
}
END_TEST

START_TEST(diverging_network_is_reported_with_finite_fitness)
{
    cfg c;
    wk_setup ws;
    wk_buffers wb;
    worker_for(NULL, &c, &ws, &wb);
    double *p = malloc(ws.n_params * sizeof *p);
    for (size_t k = 0; k < ws.n_params; k++) p[k] = (k % 2 ? 1e200 : -1e200);
    heb_coef_from_params(&ws.lay, p, wb.coef);
    wk_result r = wk_episode(&ws, &wb, 0, wb.coef, 1, 0, NULL, NULL);
    ck_assert_int_eq(r.diverged, 1);
    ck_assert_int_eq(r.end, ENV_DIVERGED);
    ck_assert(isfinite(r.fitness));
    ck_assert_int_lt(r.steps, 1000);
    /* zero coefficients: the random initial weights stay put and the Ant stands */
    for (size_t k = 0; k < ws.n_params; k++) p[k] = 0.0;
    heb_coef_from_params(&ws.lay, p, wb.coef);
    r = wk_episode(&ws, &wb, 0, wb.coef, 1, 0, NULL, NULL);
    ck_assert_int_eq(r.diverged, 0);
    ck_assert_int_eq(r.steps, 1000);
    free(p);
    wk_buffers_free(&wb);
    wk_setup_free(&ws);
}
END_TEST

START_TEST(damaged_morphologies)
{
    cfg c;
    tu_config(&c, NULL);
    env_model std_m, left, right, rear;
    load(&std_m, &c, "envs/ant.xml");
    load(&left, &c, "envs/ant-damaged-left.xml");
    load(&right, &c, "envs/ant-damaged-right.xml");
    load(&rear, &c, "envs/ant-short-rear-left.xml");
    /* The paper's pair: the two legs that lead along +x, mirror images across the walking axis:
     * leg 1 at (+x, +y) and leg 4 at (+x, -y). The old "right" body shortened leg 2, at (-x, +y). */
    int gl = mj_name2id(left.m, mjOBJ_GEOM, "front_left_ankle_geom");
    int gr = mj_name2id(right.m, mjOBJ_GEOM, "back_right_ankle_geom");
    int g2 = mj_name2id(rear.m, mjOBJ_GEOM, "front_right_ankle_geom");
    /* capsule half-length: 0.4 sqrt(2) / 2 standard, 0.1 sqrt(2) / 2 damaged */
    ck_assert_double_eq_tol(std_m.m->geom_size[3 * gl + 1], 0.2 * sqrt(2), 1e-9);
    ck_assert_double_eq_tol(left.m->geom_size[3 * gl + 1], 0.05 * sqrt(2), 1e-9);
    ck_assert_double_eq_tol(right.m->geom_size[3 * gr + 1], 0.05 * sqrt(2), 1e-9);
    ck_assert_double_eq_tol(rear.m->geom_size[3 * g2 + 1], 0.05 * sqrt(2), 1e-9);
    ck_assert_double_eq_tol(left.m->geom_size[3 * gr + 1], 0.2 * sqrt(2), 1e-9);
    ck_assert_double_eq_tol(right.m->geom_size[3 * gl + 1], 0.2 * sqrt(2), 1e-9);
    /* where the shortened lower legs point: +x for both leading legs, mirrored in y */
    const double *fl = left.m->body_pos + 3 * left.m->geom_bodyid[gl], *fr = right.m->body_pos + 3 * right.m->geom_bodyid[gr];
    ck_assert(fl[0] > 0 && fr[0] > 0 && fl[1] > 0 && fr[1] < 0);
    const double *f2 = rear.m->body_pos + 3 * rear.m->geom_bodyid[g2];
    ck_assert(f2[0] < 0 && f2[1] > 0);
    ck_assert_int_eq(left.obs_dim, 27);
    env_model_free(&std_m);
    env_model_free(&left);
    env_model_free(&right);
    env_model_free(&rear);
}
END_TEST

/* env.foot_contacts: four inputs after the rest, 1 for a foot on the floor, 0 in the air. */
START_TEST(foot_contacts_read_the_floor)
{
    cfg c;
    /* without reset noise the Ant settles on all four feet; with it, it may rock on two */
    const char *sets[] = {"env.foot_contacts=true", "env.healthy_z_max=1e6", "env.reset_noise_scale=0", NULL};
    tu_config(&c, sets);
    env_model em;
    load(&em, &c, "envs/ant.xml");
    ck_assert_int_eq(em.obs_dim, 31);
    for (int n = 0; n < ENV_FEET; n++) { /* the feet are the bodies the ankles move */
        char name[16];
        snprintf(name, sizeof name, "ankle_%d", n + 1);
        ck_assert_int_eq(em.foot[n], em.m->jnt_bodyid[mj_name2id(em.m, mjOBJ_JOINT, name)]);
    }
    env_state es;
    ck_assert_int_eq(env_state_create(&es, &em), 0);
    rng_stream rng;
    rng_stream_init(&rng, 4, RNG_RESET, 0, 0);
    double obs[31], act[8] = {0}, r;
    env_reset(&es, &rng, obs);
    for (int t = 0; t < 30; t++) env_step(&es, act, obs, &r); /* standing still: every foot down */
    for (int n = 0; n < ENV_FEET; n++) ck_assert_double_eq(obs[27 + n], 1.0);
    ck_assert_double_eq(obs[0], es.d->qpos[2]); /* the 27 before are unchanged */
    es.d->qpos[2] += 3.0; /* lifted 3 m: one step later no foot is down */
    env_step(&es, act, obs, &r);
    for (int n = 0; n < ENV_FEET; n++) ck_assert_double_eq(obs[27 + n], 0.0);
    env_state_free(&es);
    /* with the contact forces too: 27 + 78 + 4, the feet last */
    c.env.contact_obs = 1;
    env_model both;
    load(&both, &c, "envs/ant.xml");
    ck_assert_int_eq(both.obs_dim, 109);
    env_model_free(&both);
    env_model_free(&em);
}
END_TEST

/* env.bodies_per_generation: k distinct bodies a generation, ascending, the same for every
 * candidate (a function of run seed and generation only), every body and pair drawn in time. */
START_TEST(bodies_drawn_per_generation)
{
    cfg c;
    const char *sets[] = {"env.models=[\"envs/ant.xml\", \"envs/ant-damaged-left.xml\", \"envs/ant-damaged-right.xml\", "
                          "\"envs/ant-short-rear-left.xml\"]",
                          "env.bodies_per_generation=2", NULL};
    tu_config(&c, sets);
    int idx[CFG_MAX_MODELS], again[CFG_MAX_MODELS], seen[4] = {0}, pairs[4][4] = {{0}}, differ = 0;
    for (int64_t g = 0; g < 200; g++) {
        ck_assert_int_eq(wk_bodies(&c, 4, g, idx), 2);
        ck_assert_int_eq(wk_bodies(&c, 4, g, again), 2);
        ck_assert_int_eq(idx[0], again[0]);
        ck_assert_int_eq(idx[1], again[1]);
        ck_assert(0 <= idx[0] && idx[0] < idx[1] && idx[1] < 4);
        seen[idx[0]]++, seen[idx[1]]++, pairs[idx[0]][idx[1]]++;
    }
    for (int i = 0; i < 4; i++) {
        ck_assert_int_gt(seen[i], 70); /* 100 expected */
        for (int j = i + 1; j < 4; j++) ck_assert_int_gt(pairs[i][j], 15); /* 33 expected */
    }
    cfg other = c;
    other.es.seed = 2;
    for (int64_t g = 0; g < 20; g++) {
        wk_bodies(&c, 4, g, idx);
        wk_bodies(&other, 4, g, again);
        differ += idx[0] != again[0] || idx[1] != again[1];
    }
    ck_assert_int_gt(differ, 5); /* another run seed, other draws */
    c.bodies_per_gen = 0; /* every body */
    ck_assert_int_eq(wk_bodies(&c, 4, 7, idx), 4);
    for (int i = 0; i < 4; i++) ck_assert_int_eq(idx[i], i);
    /* more bodies a generation than env.models holds: refused, naming the key */
    char err[CFG_ERR_MAX];
    c.bodies_per_gen = 5;
    ck_assert_int_eq(cfg_validate_keys(&c, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "env.bodies_per_generation: 5 bodies a generation, but env.models has 4"));
}
END_TEST

/* env.body_fitness: a candidate's fitness is the mean of all its episodes, or its worst body's
 * mean, computed here by hand from the same episodes. */
START_TEST(body_fitness_mean_and_min_by_hand)
{
    for (int use_min = 0; use_min < 2; use_min++) {
        cfg c;
        const char *sets[] = {"env.models=[\"envs/ant.xml\", \"envs/ant-damaged-left.xml\"]", "env.max_steps=40",
                              "env.healthy_z_max=1e6", "env.fitness=distance", "es.episodes_per_candidate=2",
                              use_min ? "env.body_fitness=min" : "env.body_fitness=mean", NULL};
        task_setup ts;
        task_buffers tb;
        task_for(sets, &c, &ts, &tb);
        wk_setup *ws = &ts.body;
        wk_buffers *wb = &tb.body;
        es_state s;
        ck_assert_int_eq(es_state_create(&s, ws->n_params, NULL), 0);
        s.sigma = 0.5;
        const int64_t gen = 3, k = 5;
        wk_result res = task_candidate(&ts, &tb, &s, gen, k, NULL, NULL);
        /* wb->coef now holds candidate k's coefficients: replay its four episodes */
        const uint64_t seed = es_episode_seed((uint64_t)c.es.seed, gen, k);
        double f[2][2], all = 0.0;
        for (int m = 0; m < 2; m++)
            for (int rep = 0; rep < 2; rep++) {
                f[m][rep] = wk_episode(ws, wb, m, wb->coef, seed, (uint32_t)rep, NULL, NULL).fitness;
                all += f[m][rep];
            }
        const double m0 = (f[0][0] + f[0][1]) / 2, m1 = (f[1][0] + f[1][1]) / 2;
        ck_assert(m0 != m1);
        ck_assert_double_eq(res.fitness, use_min ? fmin(m0, m1) : all / 4);
        ck_assert_int_eq(res.steps, 160);
        es_state_free(&s);
        task_buffers_free(&tb);
        task_setup_free(&ts);
    }
}
END_TEST

START_TEST(bad_model_file_is_a_clear_error)
{
    cfg c;
    tu_config(&c, NULL);
    env_model em;
    char err[512];
    ck_assert_int_eq(env_model_load(&em, &c.env, "envs/nope.xml", NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "envs/nope.xml"));
    ck_assert_int_eq(env_model_load(&em, &c.env, "configs/ant.json", NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "configs/ant.json"));
    /* checked before MuJoCo sees them: a folder, an empty file (MuJoCo's own handler would wait for
     * Enter), and an empty stored copy */
    ck_assert_int_eq(env_model_load(&em, &c.env, "envs", NULL, err, sizeof err), -1);
    ck_assert_str_eq(err, "envs: model file cannot be read: a folder, not a model file");
    char *dir = tu_tmpdir(), path[256];
    snprintf(path, sizeof path, "%s/empty.xml", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    ck_assert_int_eq(env_model_load(&em, &c.env, path, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "empty.xml: model file cannot be read: empty"));
    ck_assert_int_eq(env_model_load(&em, &c.env, "stored.xml", "", err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "stored.xml: cannot load MuJoCo model: the model text is empty"));
    remove(path);
    remove(dir);
    free(dir);
}
END_TEST

START_TEST(ant_v5_rules_and_reward_terms)
{
    /* a distance-fitness config with the paper's bounds, judged under Ant-v5's rules */
    cfg c;
    const char *sets[] = {"env.fitness=distance", "env.healthy_z_max=1e6", "env.max_steps=300", "env.early_stop=true",
                          "env.fitness_scale=60", "env.contact_cost_weight=0", NULL};
    tu_config(&c, sets);
    env_spec_v5(&c.env);
    ck_assert_int_eq(c.env.fitness, ENV_FITNESS_REWARD);
    ck_assert_int_eq(c.env.max_steps, 1000);
    ck_assert_double_eq(c.env.healthy_z_max, 1.0);
    ck_assert_double_eq(c.env.healthy_z_min, 0.2);
    ck_assert_double_eq(c.env.contact_cost_weight, 5e-4);
    ck_assert_double_eq(c.env.ctrl_cost_weight, 0.5);
    ck_assert_double_eq(c.env.healthy_reward, 1.0);
    ck_assert_double_eq(c.env.fitness_scale, 1.0);
    ck_assert_int_eq(c.env.early_stop, 0);
    /* the step rewards add up to the terms: return = forward + healthy - control - contact */
    env_model em;
    load(&em, &c, "envs/ant.xml");
    env_state es;
    ck_assert_int_eq(env_state_create(&es, &em), 0);
    rng_stream rng;
    rng_stream_init(&rng, 9, RNG_RESET, 0, 0);
    double obs[27], act[8], r, total = 0, sq = 0;
    env_reset(&es, &rng, obs);
    env_end end = ENV_RUNNING;
    int t = 0;
    for (; t < 200 && end == ENV_RUNNING; t++) {
        for (int k = 0; k < 8; k++) act[k] = 0.6 * sin(0.3 * t + k);
        for (int k = 0; k < 8; k++) sq += act[k] * act[k];
        end = env_step(&es, act, obs, &r);
        total += r;
    }
    ck_assert_double_eq_tol(es.terms[ENV_TERM_FORWARD] + es.terms[ENV_TERM_HEALTHY] - es.terms[ENV_TERM_CONTROL] -
                                es.terms[ENV_TERM_CONTACT], total, 1e-9);
    ck_assert_double_eq_tol(es.terms[ENV_TERM_CONTROL], 0.5 * sq, 1e-9);
    ck_assert_double_eq_tol(es.terms[ENV_TERM_FORWARD], env_distance(&es) / 0.05, 1e-9);
    ck_assert_double_eq(es.terms[ENV_TERM_HEALTHY], end == ENV_RUNNING ? t : t - 1);
    ck_assert(es.terms[ENV_TERM_CONTACT] > 0.0); /* the feet touch the floor */
    env_state_free(&es);
    env_model_free(&em);
}
END_TEST

START_TEST(damage_silences_one_leg_from_step_k)
{
    /* front left (hip_1, ankle_1) off after 5 steps; the other motors untouched */
    cfg c;
    const char *sets[] = {"env.damage_leg=front_left", "env.damage_step=5", "env.damage_gear=0", NULL};
    tu_config(&c, sets);
    env_model em;
    load(&em, &c, "envs/ant.xml");
    const int hip = mj_name2id(em.m, mjOBJ_ACTUATOR, "hip_1"), ankle = mj_name2id(em.m, mjOBJ_ACTUATOR, "ankle_1");
    ck_assert_int_eq(em.damaged[0], hip);
    ck_assert_int_eq(em.damaged[1], ankle);
    ck_assert_int_eq(em.n_damaged, 2);
    env_state es;
    ck_assert_int_eq(env_state_create(&es, &em), 0);
    rng_stream rng;
    rng_stream_init(&rng, 2, RNG_RESET, 0, 0);
    double obs[27], act[8], r, x5 = 0, ctrl_cost = 0;
    for (int k = 0; k < 8; k++) act[k] = 0.5;
    env_reset(&es, &rng, obs);
    ck_assert(isnan(es.x_damage));
    for (int t = 0; t < 10; t++) {
        env_step(&es, act, obs, &r);
        ctrl_cost += 0.5 * 8 * 0.25;
        if (t == 4) x5 = env_distance(&es);
        for (int k = 0; k < 8; k++)
            ck_assert_double_eq(es.d->ctrl[k], t >= 5 && (k == hip || k == ankle) ? 0.0 : 0.5);
    }
    ck_assert_double_eq(es.x_damage, x5);             /* where it struck */
    ck_assert_double_eq_tol(es.terms[ENV_TERM_CONTROL], ctrl_cost, 1e-12); /* the policy still pays */
    env_state_free(&es);
    env_model_free(&em);
    /* a model where no motor drives joint hip_1 (its motor moved to hip_2) is refused, naming the file,
     * the key and the joint */
    char err[512];
    char *xml = env_read_file("envs/ant.xml", err, sizeof err);
    char *at = xml ? strstr(xml, "name=\"hip_1\" joint=\"hip_1\"") : NULL;
    ck_assert_ptr_nonnull(at);
    memcpy(at, "name=\"hip_1\" joint=\"hip_2\"", 26);
    ck_assert_int_eq(env_model_load(&em, &c.env, "moved.xml", xml, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "moved.xml: env.damage_leg front_left needs an actuator driving a joint named 'hip_1'"),
                  "%s", err);
    free(xml);
}
END_TEST

/* A planar body like Gymnasium's HalfCheetah, small enough to read: root slides x and z and a hinge,
 * then a back and a front leg of three joints each, whose motors are unnamed (as Gymnasium's Hopper
 * and Walker2d leave theirs): env.damage_leg finds a leg by its joints. */
static const char planar_xml[] =
    "<mujoco><worldbody><geom type='plane' size='20 20 .1'/>"
    "<body name='torso' pos='0 0 .7'>"
    "<joint name='rootx' type='slide' axis='1 0 0'/><joint name='rootz' type='slide' axis='0 0 1'/>"
    "<joint name='rooty' type='hinge' axis='0 1 0'/><geom type='capsule' fromto='-.5 0 0 .5 0 0' size='.05'/>"
    "<body pos='-.5 0 0'><joint name='bthigh' type='hinge' axis='0 1 0'/>"
    "<geom type='capsule' fromto='0 0 0 0 0 -.3' size='.04'/>"
    "<body pos='0 0 -.3'><joint name='bshin' type='hinge' axis='0 1 0'/>"
    "<geom type='capsule' fromto='0 0 0 0 0 -.2' size='.04'/>"
    "<body pos='0 0 -.2'><joint name='bfoot' type='hinge' axis='0 1 0'/>"
    "<geom type='capsule' fromto='0 0 0 .1 0 0' size='.04'/></body></body></body>"
    "<body pos='.5 0 0'><joint name='fthigh' type='hinge' axis='0 1 0'/>"
    "<geom type='capsule' fromto='0 0 0 0 0 -.3' size='.04'/>"
    "<body pos='0 0 -.3'><joint name='fshin' type='hinge' axis='0 1 0'/>"
    "<geom type='capsule' fromto='0 0 0 0 0 -.2' size='.04'/>"
    "<body pos='0 0 -.2'><joint name='ffoot' type='hinge' axis='0 1 0'/>"
    "<geom type='capsule' fromto='0 0 0 .1 0 0' size='.04'/></body></body></body>"
    "</body></worldbody><actuator>"
    "<motor joint='bthigh' gear='120'/><motor joint='bshin' gear='90'/><motor joint='bfoot' gear='60'/>"
    "<motor joint='fthigh' gear='120'/><motor joint='fshin' gear='60'/><motor joint='ffoot' gear='30'/>"
    "</actuator></mujoco>";

START_TEST(damage_finds_any_bodys_leg_by_its_joints)
{
    /* the HalfCheetah's back leg (bthigh, bshin, bfoot: motors 0-2) silenced after 3 steps */
    cfg c;
    const char *sets[] = {"env.body=half_cheetah", "env.contact_cost_weight=0", "env.damage_leg=back",
                          "env.damage_step=3",     "env.damage_gear=0",         NULL};
    tu_config(&c, sets);
    env_model em;
    char err[512];
    ck_assert_msg(env_model_load(&em, &c.env, "planar.xml", planar_xml, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(em.act_dim, 6);
    ck_assert_int_eq(em.n_damaged, 3);
    for (int j = 0; j < 3; j++) ck_assert_int_eq(em.damaged[j], j);
    env_state es;
    ck_assert_int_eq(env_state_create(&es, &em), 0);
    rng_stream rng;
    rng_stream_init(&rng, 3, RNG_RESET, 0, 0);
    double obs[64], act[6], r;
    for (int k = 0; k < 6; k++) act[k] = -0.25;
    env_reset(&es, &rng, obs);
    for (int t = 0; t < 6; t++) {
        env_step(&es, act, obs, &r);
        for (int k = 0; k < 6; k++)
            ck_assert_double_eq(es.d->ctrl[k], t >= 3 && k < 3 ? 0.0 : -0.25);
    }
    env_state_free(&es);
    env_model_free(&em);
    /* the front leg is the other three */
    c.env.damage_leg = ENV_LEG_FRONT;
    ck_assert_msg(env_model_load(&em, &c.env, "planar.xml", planar_xml, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(em.n_damaged, 3);
    for (int j = 0; j < 3; j++) ck_assert_int_eq(em.damaged[j], 3 + j);
    env_model_free(&em);
    /* a leg of another body is refused, naming this body's legs */
    c.env.damage_leg = ENV_LEG_LEFT;
    ck_assert_int_eq(env_model_load(&em, &c.env, "planar.xml", planar_xml, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "planar.xml: env.damage_leg left is not a leg of the half_cheetah (its legs: back, "
                              "front)"), "%s", err);
    /* the Swimmer has none */
    c.env.body = ENV_BODY_SWIMMER;
    c.env.damage_leg = ENV_LEG_BACK;
    ck_assert_int_eq(env_model_load(&em, &c.env, "planar.xml", planar_xml, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "env.damage_leg back is not a leg of the swimmer (it has none)"), "%s", err);
    /* and no damage, no motors */
    c.env.body = ENV_BODY_HALF_CHEETAH;
    c.env.damage_leg = ENV_LEG_NONE;
    ck_assert_msg(env_model_load(&em, &c.env, "planar.xml", planar_xml, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(em.n_damaged, 0);
    env_model_free(&em);
}
END_TEST

/* env.heading_obs: two inputs after the foot contacts, sin and cos of the angle from the torso's
 * facing to +x; worked from the torso's yaw by atan2 (the code uses ratios). */
START_TEST(heading_reads_the_torso_yaw)
{
    cfg c;
    const char *sets[] = {"env.foot_contacts=true", "env.heading_obs=true", "env.healthy_z_max=1e6",
                          "env.reset_noise_scale=0", NULL};
    tu_config(&c, sets);
    env_model em;
    load(&em, &c, "envs/ant.xml");
    ck_assert_int_eq(em.obs_dim, 33);
    env_state es;
    ck_assert_int_eq(env_state_create(&es, &em), 0);
    rng_stream rng;
    rng_stream_init(&rng, 4, RNG_RESET, 0, 0);
    double obs[33], act[8] = {0}, r;
    env_reset(&es, &rng, obs);
    ck_assert_double_eq(obs[31], 0.0); /* unturned: the angle to +x is 0 */
    ck_assert_double_eq(obs[32], 1.0);
    /* turned by psi about z, q = (cos psi/2, 0, 0, sin psi/2): the angle to +x is -psi */
    const double turns[] = {0.5235987755982988, -2.0, 3.0}; /* 30 degrees, and two far turns */
    for (int k = 0; k < 3; k++) {
        double *q = es.d->qpos + 3;
        q[0] = cos(turns[k] / 2), q[1] = q[2] = 0.0, q[3] = sin(turns[k] / 2);
        env_step(&es, act, obs, &r);
        /* by hand from the quaternion after the step (the torso settles a little in it) */
        const double psi = atan2(2.0 * (q[0] * q[3] + q[1] * q[2]), 1.0 - 2.0 * (q[2] * q[2] + q[3] * q[3]));
        ck_assert_double_eq_tol(obs[31], sin(-psi), 1e-12);
        ck_assert_double_eq_tol(obs[32], cos(-psi), 1e-12);
        ck_assert_double_eq_tol(obs[31], -sin(turns[k]), 0.02); /* and it is about the turn given */
        ck_assert_double_eq_tol(obs[32], cos(turns[k]), 0.02);
        for (int n = 0; n < ENV_FEET; n++) ck_assert(obs[27 + n] == 0.0 || obs[27 + n] == 1.0); /* feet before */
    }
    env_state_free(&es);
    env_model_free(&em);
    /* the Ant's alone: refused for a planar body, naming the key */
    cfg p;
    const char *psets[] = {"env.body=half_cheetah", "env.contact_cost_weight=0", "env.heading_obs=true", NULL};
    tu_config(&p, psets);
    char err[512];
    ck_assert_int_eq(env_model_load(&em, &p.env, "planar.xml", planar_xml, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "planar.xml: env.body half_cheetah: env.contact_obs, env.foot_contacts, env.heading_obs"),
                  "%s", err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("env");
    TCase *t = tcase_create("env");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, same_seed_same_bits);
    tcase_add_test(t, model_facts);
    tcase_add_test(t, notebook_step_counting_grace_and_scale);
    tcase_add_test(t, observation_normalisation);
    tcase_add_test(t, observation_size_and_order);
    tcase_add_test(t, zero_action_stays_healthy_for_1000_steps);
    tcase_add_test(t, termination_rules);
    tcase_add_test(t, diverging_network_is_reported_with_finite_fitness);
    tcase_add_test(t, poll_interrupts_the_candidate);
    tcase_add_test(t, plastic_steps_fix_the_network);
    tcase_add_test(t, damaged_morphologies);
    tcase_add_test(t, foot_contacts_read_the_floor);
    tcase_add_test(t, heading_reads_the_torso_yaw);
    tcase_add_test(t, bodies_drawn_per_generation);
    tcase_add_test(t, body_fitness_mean_and_min_by_hand);
    tcase_add_test(t, bad_model_file_is_a_clear_error);
    tcase_add_test(t, ant_v5_rules_and_reward_terms);
    tcase_add_test(t, damage_silences_one_leg_from_step_k);
    tcase_add_test(t, damage_finds_any_bodys_leg_by_its_joints);
    suite_add_tcase(s, t);
    return tu_run(s);
}
