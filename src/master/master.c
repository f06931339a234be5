#include "master.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "env.h"

_Static_assert(CFG_MAX_EVAL_MODELS <= ES_EVAL_MAX_MODELS, "an evaluation row must hold every eval model");

static FILE *open_progress(const ms_ctx *r, char *err, size_t errlen)
{
    char path[CFG_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/progress.csv", r->run_dir);
    FILE *f = fopen(path, "w"); /* rewritten from the checkpoint's history: no rows past it survive a resume */
    if (!f) {
        snprintf(err, errlen, "%s: cannot write", path);
        return NULL;
    }
    fprintf(f, "generation,mean,max,min,std,best_ever,lr,sigma,steps,seconds,steps_per_s,diverged,skipped,"
               "total_steps,total_seconds");
    const heb_layout *lay = task_network(r->job.ts);
    for (int l = 0; lay && l < lay->spec.n_layers; l++) fprintf(f, ",norm_layer%d", l);
    fprintf(f, ",eval,eval_steps,eval_time_limit,eval_unhealthy_low,eval_unhealthy_high,eval_early_stop,"
               "eval_diverged");
    for (int m = 0; m < r->job.c->n_eval_models; m++) fprintf(f, ",eval_mean_m%d,eval_std_m%d,eval_distance_m%d", m, m, m);
    fprintf(f, "\n");
    return f;
}

/* Evaluation columns are empty in rows that did not evaluate (or evaluated fewer models). total_steps
 * and total_seconds count every generation up to this one (with the time of earlier sessions), so
 * that runs with other populations compare on a fair axis. */
static void log_row(FILE *f, const es_gen_stats *g, int n_eval_models, int64_t total_steps, double total_seconds)
{
    fprintf(f, "%lld,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%lld,%.6f,%.3f,%d,%d,%lld,%.3f", (long long)g->generation,
            g->mean, g->max, g->min, g->std, g->best_ever, g->lr, g->sigma, (long long)g->steps, g->seconds,
            g->seconds > 0 ? g->steps / g->seconds : 0.0, g->diverged, g->skipped, (long long)total_steps,
            total_seconds);
    for (int l = 0; l < g->n_layers; l++) fprintf(f, ",%.9g", g->layer_norm[l]);
    if (g->evaluated)
        fprintf(f, ",1,%.6g,%d,%d,%d,%d,%d", g->eval_steps, g->eval_time_limit, g->eval_unhealthy_low,
                g->eval_unhealthy_high, g->eval_early_stop, g->eval_diverged);
    else
        fprintf(f, ",0,,,,,,");
    for (int m = 0; m < n_eval_models; m++) {
        if (g->evaluated && m < g->eval_models)
            fprintf(f, ",%.17g,%.17g,%.17g", g->eval_mean[m], g->eval_std[m], g->eval_distance[m]);
        else
            fprintf(f, ",,,");
    }
    fprintf(f, "\n");
    fflush(f);
}

/* Per-model fitness mean and std, mean distance, episode length and end counts of the held-out episodes. */
static void eval_stats(const cfg *c, const proto_result *ep, int64_t n_eval, es_gen_stats *row)
{
    const int per = c->eval_episodes;
    row->evaluated = 1;
    row->eval_models = c->n_eval_models;
    double steps = 0.0;
    for (int m = 0; m < row->eval_models; m++) {
        const proto_result *e = ep + (size_t)m * per;
        double dist = 0.0;
        for (int i = 0; i < per; i++) dist += e[i].distance;
        wk_mean_std(&e[0].r.fitness, sizeof *e, per, &row->eval_mean[m], &row->eval_std[m]);
        row->eval_distance[m] = dist / per;
    }
    for (int64_t i = 0; i < n_eval; i++) {
        steps += (double)ep[i].r.steps;
        row->eval_time_limit += ep[i].end == ENV_TIME_LIMIT;
        row->eval_unhealthy_low += ep[i].end == ENV_TOO_LOW;
        row->eval_unhealthy_high += ep[i].end == ENV_TOO_HIGH;
        row->eval_early_stop += ep[i].end == ENV_EARLY_STOP;
        row->eval_diverged += ep[i].end == ENV_DIVERGED;
    }
    row->eval_steps = steps / (double)n_eval;
}

/* "1 h 05 min", "4 min 10 s", "12 s". */
static void duration(double s, char *out, size_t n)
{
    const long t = (long)(s + 0.5);
    if (t >= 3600) snprintf(out, n, "%ld h %02ld min", t / 3600, (t % 3600) / 60);
    else if (t >= 60) snprintf(out, n, "%ld min %02ld s", t / 60, t % 60);
    else snprintf(out, n, "%ld s", t);
}

/* The generation's short line: fitness, the held-out evaluation, time so far and the estimate of
 * what is left (from this session's mean time per generation). */
static void report_short(const es_gen_stats *row, int generations, double session_s, int session_gens)
{
    char spent[32], left[32];
    duration(session_s, spent, sizeof spent);
    duration(session_s / session_gens * (generations - row->generation - 1), left, sizeof left);
    printf("gen %lld/%d  mean %.2f  max %.2f  best %.2f", (long long)row->generation + 1, generations, row->mean,
           row->max, row->best_ever);
    if (row->evaluated) {
        printf("  eval");
        for (int m = 0; m < row->eval_models; m++) printf(" %.2f", row->eval_mean[m]);
    }
    if (row->diverged) printf("  diverged %d", row->diverged);
    printf("  %s  ETA %s\n", spent, left);
    fflush(stdout);
}

/* The generation's full line (--verbose). */
static void report(const es_gen_stats *row, int64_t n_eval)
{
    printf("gen %5lld  mean %10.3f  max %10.3f  min %10.3f  best-ever %10.3f  lr %.4g  sigma %.4g  "
           "steps %8lld  %7.2f s  %8.0f steps/s%s",
           (long long)row->generation, row->mean, row->max, row->min, row->best_ever, row->lr, row->sigma,
           (long long)row->steps, row->seconds, row->steps / row->seconds,
           row->skipped ? "  (all fitnesses equal: update skipped)" : "");
    if (row->diverged) printf("  diverged %d", row->diverged);
    if (row->evaluated) {
        printf("  eval");
        for (int m = 0; m < row->eval_models; m++) printf(" %.3f", row->eval_mean[m]);
        printf(" (%.0f steps, %d/%lld at the limit)", row->eval_steps, row->eval_time_limit, (long long)n_eval);
    }
    printf("\n");
    fflush(stdout);
}

/* This session's time, for the estimate of what is left. */
typedef struct {
    double seconds;
    int generations;
} ms_session;

/* The generation's row, the history's last (es_generation put it there): its evaluation columns and
 * time, then progress.csv and stdout. */
static void record(ms_ctx *r, const ms_lead *d, es_gen_stats *row, double t0, FILE *csv, ms_session *now)
{
    es_state *s = r->job.s;
    const int n_eval_models = r->job.c->n_eval_models;
    if (d->n_eval) eval_stats(r->job.c, d->items, d->n_eval, row);
    row->seconds = run_now_s() - t0;
    s->elapsed += row->seconds;
    s->total_steps += row->steps;
    log_row(csv, row, n_eval_models, s->total_steps, s->elapsed);
    now->seconds += row->seconds;
    now->generations++;
    if (r->verbose) report(row, d->n_eval);
    else report_short(row, r->job.c->generations, now->seconds, now->generations);
}

/* Rank 0's run: one generation after another, top to bottom. */
static ms_outcome lead(ms_ctx *r, char *err, size_t errlen)
{
    run_job *j = &r->job;
    const cfg *c = j->c;
    es_state *s = j->s;
    char path[CFG_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/checkpoint.h5", r->run_dir);
    const heb_layout *lay = task_network(j->ts);
    FILE *csv = open_progress(r, err, errlen);
    int64_t steps_so_far = 0;
    double seconds_so_far = 0.0;
    for (size_t i = 0; csv && i < s->n_hist; i++) {
        steps_so_far += s->hist[i].steps;
        seconds_so_far += s->hist[i].seconds;
        log_row(csv, &s->hist[i], c->n_eval_models, steps_so_far, seconds_so_far);
    }
    ms_session now = {0.0, 0};
    ms_lead d;
    int failed = !csv, signalled = 0;
    if (ms_lead_create(&d, j, r->stop) && !failed) {
        snprintf(err, errlen, "out of memory");
        failed = 1;
    }
    const es_ops ops = ms_ops(j, &d);
    int diverged = 0;
    for (int word = 0; word != PROTO_STOP;) {
        signalled = signalled || *r->stop; /* read once a generation: every rank hears the same word */
        const int spent = run_budget_spent(c, s);
        word = failed || signalled || diverged || spent || s->generation >= c->generations ? PROTO_STOP : PROTO_RUN;
        proto_control(&word, &signalled);
        if (word == PROTO_RUN) { /* Evolve & Merge, when due: every rank, right before the generation */
            size_t before;
            int iters;
            double inertia;
            const long after = run_merge(j, &before, &iters, &inertia);
            if (after >= 0)
                printf("after generation %lld: merged %zu rules into %ld (k-means, %d iterations, inertia %.6g)\n",
                       (long long)s->generation, before, after, iters, inertia);
        }
        const double t0 = run_now_s();
        es_gen_stats row = {.n_layers = lay ? lay->spec.n_layers : 0};
        const int done = word == PROTO_RUN ? es_generation(j->g, s, &c->es, &ops, &row) : ES_GEN_DONE;
        if (done == ES_GEN_ABANDONED) {
            printf("gen %lld abandoned on signal; checkpointing generation %lld\n", (long long)s->generation,
                   (long long)s->generation);
            signalled = 1;
            continue;
        }
        if (done == ES_GEN_DIVERGED) {
            /* A mean over no valid candidate would read as fitness 0: stop, keeping the last good state. */
            snprintf(err, errlen,
                     "generation %lld: every one of the %d candidates diverged (non-finite weights, actions or "
                     "fitness; see docs/environment.md): the run stops; checkpoint.h5 keeps generation %lld, the last "
                     "good one",
                     (long long)s->generation, c->es.population, (long long)s->generation);
            diverged = 1;
            continue;
        }
        if (done == ES_GEN_NOMEM) proto_fatal("out of memory for the history");
        if (word == PROTO_RUN) {
            record(r, &d, &s->hist[s->n_hist - 1], t0, csv, &now);
        }
        const int due = s->generation % c->checkpoint_every == 0 && s->generation < c->generations;
        if (!failed && (word == PROTO_STOP || due) &&
            ckpt_write(path, s, r->config_json, lay, r->models, r->engine, err, errlen)) {
            if (word == PROTO_RUN) proto_fatal("%s", err);
            failed = 1;
        }
        /* run.keep_every: a copy no later checkpoint overwrites, written from the same state as
         * checkpoint.h5 (a resume from it replays the run's later generations bit for bit). Only after
         * a generation ran, so a stop right after one does not write its copy twice. */
        if (!failed && word == PROTO_RUN && c->keep_every && s->generation % c->keep_every == 0) {
            char kept[sizeof path + 32];
            snprintf(kept, sizeof kept, "%s/checkpoint-gen%lld.h5", r->run_dir, (long long)s->generation);
            if (ckpt_write(kept, s, r->config_json, lay, r->models, r->engine, err, errlen)) proto_fatal("%s", err);
        }
    }
    if (d.served && r->verbose) /* what bounds the rank count (docs/scaling.md) */
        printf("rank 0 answered %lld requests of other ranks, %.1f us each (receive, store, assign the next)\n",
               (long long)d.served, 1e6 * d.service_s / (double)d.served);
    if (csv) fclose(csv);
    ms_lead_free(&d);
    return failed || diverged ? MS_FAILED : signalled ? MS_STOPPED : MS_FINISHED;
}

ms_outcome ms_train(ms_ctx *r, char *err, size_t errlen)
{
    if (r->job.rank == 0) return lead(r, err, errlen);
    return run_follow(&r->job) ? MS_STOPPED : MS_FINISHED;
}

ms_outcome ms_rank_train(run_rank *t, const volatile sig_atomic_t *stop, int verbose, char *err, size_t errlen)
{
    ms_ctx run = {.job = {.c = &t->c, .ts = &t->ts, .tb = &t->tb, .ws_eval = t->evaluating ? &t->ws_eval : NULL,
                           .wb_eval = t->evaluating ? &t->wb_eval : NULL, .s = &t->s, .g = &t->g,
                           .rank = t->rank, .size = t->size},
                   .config_json = t->json, .models = &t->rm.m, .engine = env_engine_version(),
                   .run_dir = t->run_dir, .stop = stop, .verbose = verbose};
    return ms_train(&run, err, errlen);
}
