/* hebes bench: the figures the project's speed targets are stated in. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "es.h"
#include "run.h"
#include "proto.h"
#include "worker.h"

static const cli_opt bench_opts[] = {
    {"steps", "N", "env steps per measurement (default 20000)"},
    {"chunks", "K", "alternating chunks of (a), (b) and (a') (default 4)"},
    {"es", NULL, "time the ES machinery of one generation instead (under mpirun -np N)"},
    {"generations", "G", "with --es: generations to average over (default 5)"},
    {"targets", NULL, "also print the project's speed targets beside the figures (scripts/bench.sh)"},
    CLI_SET_OPT,
    {NULL, NULL, NULL},
};

static const cli_cmd bench_cmd = {
    .name = "bench",
    .usage = "[CONFIG] [--steps N] [--chunks K] [--set KEY=VALUE ...]\n--es [CONFIG] [--generations G] [--set ...]"
             "   (under mpirun -np N)",
    .about = "Default: in one process, (a) physics-only episodes with uniform random actions and (b) full\n"
             "rollouts of the configured Hebbian network (coefficients as ES generation 0 draws them), and\n"
             "(a') physics only replaying (b)'s own actions from the same reset states (identical MuJoCo\n"
             "work: what is left is the network's cost), in K alternating chunks of the same number of env\n"
             "steps; prints env-steps/s of each, the ratios, and the policy step alone (forward pass +\n"
             "Hebbian update) in microseconds.\n"
             "--es: the ES machinery of one generation without rollouts (shaping, gradient shares, the\n"
             "integer reduction, the update) for the configured population and network, across N ranks.",
    .opts = {bench_opts},
};

typedef struct {
    const char *sets[CLI_MAX_SETS];
    int n_sets, es_mode, targets;
    long steps, chunks, generations;
} bench_args;

static int bench_option(void *ctx, const char *name, const char *v)
{
    bench_args *a = ctx;
    if (!strcmp(name, "set")) return cli_add_set(v, a->sets, &a->n_sets, CLI_MAX_SETS);
    if (!strcmp(name, "es")) a->es_mode = 1;
    if (!strcmp(name, "targets")) a->targets = 1;
    if (!strcmp(name, "steps")) return cli_long("--steps", v, 100, 100000000, &a->steps);
    if (!strcmp(name, "chunks")) return cli_long("--chunks", v, 1, 1000, &a->chunks);
    if (!strcmp(name, "generations")) return cli_long("--generations", v, 1, 100000, &a->generations);
    return 0;
}

/* Physics only: the same environment steps, actions from a uniform RNG, reset on termination. */
static long physics_steps(wk_buffers *wb, const wk_setup *ws, long steps, rng_stream *rng)
{
    env_state *env = &wb->envs[0];
    long done = 0;
    while (done < steps) {
        env_reset(env, rng, wb->obs);
        env_end end = ENV_RUNNING;
        while (end == ENV_RUNNING && done < steps) {
            for (int k = 0; k < ws->act_dim; k++) wb->act[k] = 2.0 * rng_uniform(rng) - 1.0;
            double r;
            end = env_step(env, wb->act, wb->obs, &r);
            done++;
        }
    }
    return done;
}

/* The actions of full rollouts, kept to replay them through physics alone. */
typedef struct {
    double *a;
    long n, cap;
    int dim;
} action_log;

static int log_action(void *ctx, const wk_step *st)
{
    action_log *l = ctx;
    if (l->n < l->cap) memcpy(l->a + (size_t)l->n++ * l->dim, st->action, (size_t)l->dim * sizeof(double));
    return 0;
}

/* Physics only with the logged actions from the same reset states: identical MuJoCo work. */
static void replay(wk_buffers *wb, const cfg *c, const action_log *l, const uint32_t *ep_ids, const long *ep_len,
                   long n_eps)
{
    env_state *env = &wb->envs[0];
    long k = 0;
    for (long e = 0; e < n_eps; e++) {
        rng_stream rrng;
        rng_episode_streams((uint64_t)c->es.seed, 0, ep_ids[e], NULL, &rrng);
        env_reset(env, &rrng, wb->obs);
        for (long t = 0; t < ep_len[e]; t++, k++) {
            double r;
            env_step(env, l->a + (size_t)k * l->dim, wb->obs, &r);
        }
    }
}

/* Throughputs of (a) physics with random actions, (a') physics replaying (b)'s actions and (b) full
 * rollouts, in alternating chunks. */
typedef struct {
    double t_phys, t_full, t_replay;
    long n_phys, n_full, n_replay, episodes;
} bench_times;

static int time_rollouts(const cfg *c, const wk_setup *ws, wk_buffers *wb, long steps, int chunks, rng_stream *rng,
                         bench_times *bt)
{
    const long per_chunk = steps / chunks, max_eps = per_chunk + 1;
    action_log log = {malloc((size_t)(per_chunk + c->env.max_steps) * (size_t)ws->act_dim * sizeof(double)), 0,
                      per_chunk + c->env.max_steps, ws->act_dim};
    uint32_t *ep_ids = malloc((size_t)max_eps * sizeof *ep_ids);
    long *ep_len = malloc((size_t)max_eps * sizeof *ep_len);
    int ok = log.a && ep_ids && ep_len;
    uint32_t ep = 0;
    for (int ch = 0; ok && ch < chunks; ch++) {
        /* Full rollouts first, then as many physics-only steps twice: the same actions replayed,
         * and random actions. Alternating chunks cancel drifts of the machine's speed. */
        log.n = 0;
        long n_eps = 0, full = 0;
        double t0 = run_now_s();
        while (full < per_chunk) {
            ep_ids[n_eps] = ep;
            wk_result r = wk_episode(ws, wb, 0, wb->coef, (uint64_t)c->es.seed, ep++, log_action, &log);
            ep_len[n_eps++] = r.steps;
            full += r.steps;
        }
        double t1 = run_now_s();
        replay(wb, c, &log, ep_ids, ep_len, n_eps);
        double t2 = run_now_s();
        long phys = physics_steps(wb, ws, full, rng);
        double t3 = run_now_s();
        bt->t_full += t1 - t0;
        bt->t_replay += t2 - t1;
        bt->t_phys += t3 - t2;
        bt->n_full += full;
        bt->n_replay += full;
        bt->n_phys += phys;
        bt->episodes += n_eps;
    }
    free(log.a);
    free(ep_ids);
    free(ep_len);
    return ok ? 0 : -1;
}

/* The policy step alone (forward pass and update), on observations of a real episode. */
static double time_policy_step(const wk_setup *ws, wk_buffers *wb, rng_stream *rng)
{
    const int reps = 20, len = 1000; /* fresh weights every episode length, as in rollouts */
    double t_policy = 0.0;
    for (int e = 0; e < reps; e++) {
        env_reset(&wb->envs[0], rng, wb->obs);
        heb_state_reset(&wb->net, &ws->lay, wb->coef, rng);
        double t0 = run_now_s();
        for (int i = 0; i < len; i++) {
            wb->obs[i % ws->obs_dim] += 1e-3;
            heb_forward(&wb->net, &ws->lay, wb->obs, wb->act);
            heb_update(&wb->net, &ws->lay, wb->coef);
        }
        t_policy += (run_now_s() - t0) / ((double)reps * len);
    }
    return t_policy;
}

/* " (target ...)" when asked for, else nothing. */
static const char *target(int show, const char *text)
{
    return show ? text : "";
}

/* The rollout figures, with the network hebes rollout would run from this config (generation 0's
 * coefficients drawn from run.seed). */
static int rollout_bench(const char *config, const char *const *sets, int n_sets, long steps, int chunks, int targets)
{
    char err[CFG_ERR_MAX];
    const run_policy_request rq = {.config = config, .sets = sets, .n_sets = n_sets, .param_seed = -1,
                                   .who = "hebes bench"};
    run_policy p;
    if (run_policy_open(&p, &rq, err, sizeof err)) {
        fprintf(stderr, "hebes bench: %s\n", err);
        run_policy_close(&p);
        return CLI_ERROR;
    }
    const cfg *c = &p.c;
    const wk_setup *ws = &p.ws;
    wk_buffers *wb = &p.wb;
    rng_stream rng;
    rng_stream_init(&rng, (uint64_t)c->es.seed, RNG_TASK, 1, 0);
    bench_times bt = {0};
    if (time_rollouts(c, ws, wb, steps, chunks, &rng, &bt)) {
        fprintf(stderr, "hebes bench: out of memory\n");
        run_policy_close(&p);
        return CLI_ERROR;
    }
    const double t_policy = time_policy_step(ws, wb, &rng);
    const double phys_rate = bt.n_phys / bt.t_phys, full_rate = bt.n_full / bt.t_full;
    const double replay_rate = bt.n_replay / bt.t_replay;
    printf("model %s, rule %s, network", c->models[0], heb_rule_names[c->net.rule]);
    for (int l = 0; l <= ws->lay.spec.n_layers; l++) printf("%s%d", l ? "-" : " ", ws->lay.spec.sizes[l]);
    printf(", %zu coefficients, frame_skip %d\n", ws->n_params, c->env.frame_skip);
    printf("%-40s %12s %12s %14s\n", "", "env steps", "seconds", "env-steps/s");
    printf("%-40s %12ld %12.3f %14.1f\n", "(a) physics only, random actions", bt.n_phys, bt.t_phys, phys_rate);
    printf("%-40s %12ld %12.3f %14.1f\n", "(a') physics only, (b)'s actions replayed", bt.n_replay, bt.t_replay,
           replay_rate);
    printf("%-40s %12ld %12.3f %14.1f   (%ld episodes)\n", "(b) full Hebbian rollouts", bt.n_full, bt.t_full,
           full_rate, bt.episodes);
    printf("ratio full/physics: %.3f against (a), %.3f against (a') the same physics%s\n", full_rate / phys_rate,
           full_rate / replay_rate, target(targets, "   (target >= 0.95)"));
    printf("physics per env step: %.1f us; full per env step: %.1f us; policy step alone: %.2f us%s\n",
           1e6 / phys_rate, 1e6 / full_rate, 1e6 * t_policy, target(targets, " (target <= 10)"));
    run_policy_close(&p);
    return CLI_OK;
}

typedef struct {
    int lead;
    rng_stream rng;
} random_fitness;

/* es_ops evaluate without rollouts: the lead reports a random fitness for every candidate. */
static int report_random(void *ctx, es_gen *g)
{
    random_fitness *rf = ctx;
    for (int k = 0; rf->lead && k < g->n; k++) {
        es_result r = {.fitness = rng_normal(&rf->rng), .mean_sq = 1.0};
        es_report(g, k, &r, NULL);
    }
    return 0;
}

/* Training's generation (es_generation with the agreement and the sum of run_wire_ops) on random
 * fitnesses: the ES machinery's cost without rollouts. Collective. */
static int es_bench(const cfg *c, int generations, int targets)
{
    int rank, size;
    proto_init(NULL, NULL, &rank, &size);
    char err[CFG_ERR_MAX] = "out of memory";
    task_setup ts = {0};
    es_state s = {0};
    es_gen g = {0};
    int ok = task_setup_init(&ts, c, NULL, err, sizeof err) == 0;
    ok = ok && es_state_create(&s, ts.n_params, &c->es) == 0 && es_gen_create(&g, &c->es, ts.n_params, c->obs_norm) == 0;
    if (!proto_all(ok)) { /* every rank leaves together: none waits for the others */
        if (!ok) fprintf(stderr, "hebes bench: rank %d: %s\n", rank, err);
        es_gen_free(&g);
        es_state_free(&s);
        task_setup_free(&ts);
        proto_finalize();
        return CLI_ERROR;
    }
    es_init(&s, &c->es);
    random_fitness rf = {.lead = rank == 0};
    rng_stream_init(&rf.rng, 7, RNG_TASK, 2, 0);
    const es_ops ops = run_wire_ops(rank, size, report_random, &rf);
    double t_total = 0;
    for (int gen = 0; gen < generations; gen++) {
        proto_barrier();
        double t0 = run_now_s();
        es_gen_stats row = {0};
        es_generation(&g, &s, &c->es, &ops, &row);
        proto_barrier();
        t_total += run_now_s() - t0;
    }
    if (rank == 0) {
        printf("ES machinery without rollouts: population %d, %zu parameters, %d rank%s, %s with %s\n", g.n,
               ts.n_params, size, size > 1 ? "s" : "", cfg_enum_name("es.algorithm", (int)c->es.algorithm),
               cfg_enum_name("es.optimizer", (int)c->es.optimizer));
        printf("per generation: %.4f s (training's generation, es_generation, on random fitnesses: shaping, best "
               "candidate, the pair-weight broadcast, gradient shares, the reduction, the update)%s\n",
               t_total / generations, target(targets, "   (target <= 0.1 s)"));
    }
    es_gen_free(&g);
    es_state_free(&s);
    task_setup_free(&ts);
    proto_finalize();
    return CLI_OK;
}

int cli_bench(int argc, char **argv)
{
    bench_args ba = {.steps = 20000, .chunks = 4, .generations = 5};
    const char *pos[1];
    int n_pos, p = cli_parse(&bench_cmd, argc, argv, bench_option, &ba, pos, 1, &n_pos);
    if (p) return p > 0 ? CLI_OK : CLI_USAGE;
    const char *config = n_pos ? pos[0] : NULL;
    const char *const *sets = ba.sets;
    const int n_sets = ba.n_sets, es_mode = ba.es_mode;
    const long steps = ba.steps, chunks = ba.chunks, generations = ba.generations;
    char err[CFG_ERR_MAX];
    cfg c;
    if (cfg_load_sets(&c, config, sets, n_sets, err, sizeof err)) {
        fprintf(stderr, "hebes bench: %s\n", err);
        return CLI_ERROR;
    }
    if (!es_mode && !task_has_network(&c)) {
        fprintf(stderr, "hebes bench: %s: run.task is not ant: no rollouts to time (use --es)\n", c.source);
        return CLI_ERROR;
    }
    if (!es_mode) return rollout_bench(config, sets, n_sets, steps, (int)chunks, ba.targets);
    return es_bench(&c, (int)generations, ba.targets);
}
