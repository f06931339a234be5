#include "master.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ckpt.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

_Static_assert(CFG_MAX_MODELS <= ES_EVAL_MAX_MODELS, "an evaluation row must hold every eval model");

/* Rank 0's dispatch of one generation's work items: held-out episodes 0 .. n_eval - 1, then the
 * candidates, handed out on demand. */
typedef struct {
    const ms_run *r;
    int64_t n_items, n_eval;
    int64_t next, issued, received; /* items */
    int released;                   /* ranks told there is no more work */
    int abandon;                    /* a stop signal arrived: hand out nothing more */
    proto_result *eval;             /* the held-out episodes' results */
    int64_t served;                 /* requests answered over the run, and the time it took */
    double service_s;
} dispatch;

static void store(dispatch *d, const proto_result *m)
{
    if (m->k < 0 || m->k >= d->n_items) return;
    d->received++;
    if (m->k < d->n_eval)
        d->eval[m->k] = *m;
    else
        es_report(d->r->job.g, m->k - d->n_eval, &m->r, &m->obs);
}

/* Answers every waiting rank; called between rank 0's own environment steps. Nonzero
 * interrupts rank 0's own episode once a stop signal has arrived. */
static int service(void *ctx, const wk_step *step)
{
    (void)step;
    dispatch *d = ctx;
    if (*d->r->stop) d->abandon = 1;
    proto_result m;
    int src;
    for (double t0 = now_s(); proto_poll(&m, &src); t0 = now_s()) {
        store(d, &m);
        int64_t k = -1;
        if (!d->abandon && d->next < d->n_items) {
            k = d->next++;
            d->issued++;
        } else {
            d->released++;
        }
        proto_assign(src, k);
        d->service_s += now_s() - t0;
        d->served++;
    }
    return d->abandon;
}

/* Every item of the generation evaluated, by rank 0 between answers and by the others. */
static void run_items(dispatch *d)
{
    const wk_job *j = &d->r->job;
    const struct timespec nap = {0, 200000}; /* idle rank 0 sleeps rather than spin a core others may need */
    d->next = d->issued = d->received = 0;
    d->released = d->abandon = 0;
    wk_items_begin(j, d->n_eval);
    for (;;) {
        service(d, NULL);
        if (!d->abandon && d->next < d->n_items) {
            int64_t i = d->next++;
            d->issued++;
            proto_result m = wk_item(j, d->n_eval, i, service, d);
            store(d, &m);
            continue;
        }
        if (d->released == j->size - 1 && (d->abandon || d->received == d->issued)) return;
        nanosleep(&nap, NULL);
    }
}

static FILE *open_progress(const ms_run *r, char *err, size_t errlen)
{
    char path[CFG_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/progress.csv", r->run_dir);
    FILE *f = fopen(path, "w"); /* rewritten from the checkpoint's history: no rows past it survive a resume */
    if (!f) {
        snprintf(err, errlen, "%s: cannot write", path);
        return NULL;
    }
    fprintf(f, "generation,mean,max,min,std,best_ever,lr,sigma,steps,seconds,steps_per_s,diverged,skipped");
    for (int l = 0; l < r->job.ws->lay.spec.n_layers; l++) fprintf(f, ",norm_layer%d", l);
    fprintf(f, ",eval,eval_steps,eval_time_limit,eval_unhealthy_low,eval_unhealthy_high,eval_early_stop,"
               "eval_diverged");
    for (int m = 0; m < r->job.c->n_eval_models; m++) fprintf(f, ",eval_mean_m%d,eval_std_m%d,eval_distance_m%d", m, m, m);
    fprintf(f, "\n");
    return f;
}

/* Evaluation columns are empty in rows that did not evaluate (or evaluated fewer models). */
static void log_row(FILE *f, const es_gen_stats *g, int n_eval_models)
{
    fprintf(f, "%lld,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%lld,%.6f,%.3f,%d,%d", (long long)g->generation,
            g->mean, g->max, g->min, g->std, g->best_ever, g->lr, g->sigma, (long long)g->steps, g->seconds,
            g->seconds > 0 ? g->steps / g->seconds : 0.0, g->diverged, g->skipped);
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
        double sum = 0.0, dist = 0.0, sq = 0.0;
        for (int i = 0; i < per; i++) {
            sum += e[i].r.fitness;
            dist += e[i].distance;
        }
        const double mean = sum / per;
        for (int i = 0; i < per; i++) sq += (e[i].r.fitness - mean) * (e[i].r.fitness - mean);
        row->eval_mean[m] = mean;
        row->eval_std[m] = sqrt(sq / per);
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

static int checkpoint(const ms_run *r, char *err, size_t errlen)
{
    char path[CFG_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/checkpoint.h5", r->run_dir);
    const wk_job *j = &r->job;
    return ckpt_write(path, j->s, r->config_json, j->c->task == CFG_TASK_ANT ? &j->ws->lay : NULL, r->models, err,
                      errlen);
}


/* Prints the generation's line. */
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

/* Rank 0's run: one generation after another, top to bottom. */
static ms_outcome lead(ms_run *r, char *err, size_t errlen)
{
    wk_job *j = &r->job;
    const cfg *c = j->c;
    es_state *s = j->s;
    dispatch d = {.r = r, .eval = calloc((size_t)c->n_eval_models * (size_t)c->eval_episodes, sizeof *d.eval)};
    FILE *csv = open_progress(r, err, errlen);
    ms_outcome out = MS_FAILED;
    int signalled = 0;
    if (!d.eval || !csv) {
        if (csv) snprintf(err, errlen, "out of memory");
        int word = PROTO_STOP;
        proto_control(&word, &signalled);
        goto done;
    }
    for (size_t i = 0; i < s->n_hist; i++) log_row(csv, &s->hist[i], c->n_eval_models);
    for (;;) {
        signalled = signalled || *r->stop; /* read once a generation: every rank hears the same word */
        int word = signalled || s->generation >= c->generations ? PROTO_STOP : PROTO_RUN;
        proto_control(&word, &signalled);
        if (word == PROTO_STOP) {
            out = checkpoint(r, err, errlen) ? MS_FAILED : signalled ? MS_STOPPED : MS_FINISHED;
            break;
        }
        const double t0 = now_s();
        es_generation_begin(j->g, s);
        d.n_eval = wk_eval_items(j, s->generation);
        d.n_items = d.n_eval + j->g->n;
        run_items(&d);
        es_gen_stats row = {.n_layers = c->task == CFG_TASK_ANT ? j->ws->lay.spec.n_layers : 0};
        if (wk_end_generation(j, &row, d.abandon)) {
            printf("gen %lld abandoned on signal; checkpointing generation %lld\n", (long long)s->generation,
                   (long long)s->generation);
            signalled = 1;
            continue;
        }
        if (d.n_eval) eval_stats(c, d.eval, d.n_eval, &row);
        row.seconds = now_s() - t0;
        s->elapsed += row.seconds;
        s->total_steps += row.steps;
        if (es_state_push_stats(s, &row)) proto_fatal("out of memory for the history");
        log_row(csv, &row, c->n_eval_models);
        report(&row, d.n_eval);
        if (s->generation % c->checkpoint_every == 0 && s->generation < c->generations &&
            checkpoint(r, err, errlen))
            proto_fatal("%s", err);
    }
done:
    if (d.served) /* what bounds the rank count (docs/scaling.md) */
        printf("rank 0 answered %lld requests of other ranks, %.1f us each (receive, store, assign the next)\n",
               (long long)d.served, 1e6 * d.service_s / (double)d.served);
    if (csv) fclose(csv);
    free(d.eval);
    return out;
}

ms_outcome ms_train(ms_run *r, char *err, size_t errlen)
{
    if (r->job.rank == 0) return lead(r, err, errlen);
    return wk_follow(&r->job) ? MS_STOPPED : MS_FINISHED;
}
