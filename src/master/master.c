#include "master.h"

#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ckpt.h"
#include "es.h"
#include "proto.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Rank 0's bookkeeping of one generation's candidates. */
typedef struct {
    const ms_run *r;
    int64_t n, next, issued, received;
    int released;   /* ranks told there is no more work */
    int abandon;
    double *fitness, *mean_sq;
    int *diverged;
    int64_t *steps;
    double (*sq_norm)[HEB_MAX_LAYERS];
} dispatch;

static void store(dispatch *d, const proto_result *m)
{
    if (m->k < 0 || m->k >= d->n) return;
    d->fitness[m->k] = m->fitness;
    d->mean_sq[m->k] = m->mean_sq;
    d->diverged[m->k] = m->diverged;
    d->steps[m->k] = m->steps;
    memcpy(d->sq_norm[m->k], m->sq_norm, sizeof m->sq_norm);
    d->received++;
}

static void answer(dispatch *d, int src)
{
    int64_t k = -1;
    if (!d->abandon && d->next < d->n) {
        k = d->next++;
        d->issued++;
    } else {
        d->released++;
    }
    MPI_Send(&k, 1, MPI_INT64_T, src, PROTO_TAG_ASSIGN, MPI_COMM_WORLD);
}

/* Answers every waiting rank; called between rank 0's own environment steps. */
static void service(void *ctx, const wk_step *step)
{
    (void)step;
    dispatch *d = ctx;
    if (*d->r->stop) d->abandon = 1;
    for (;;) {
        int flag;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, PROTO_TAG_RESULT, MPI_COMM_WORLD, &flag, &st);
        if (!flag) return;
        proto_result m;
        MPI_Recv(&m, sizeof m, MPI_BYTE, st.MPI_SOURCE, PROTO_TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        store(d, &m);
        answer(d, st.MPI_SOURCE);
    }
}

static void run_candidates(dispatch *d, int64_t gen)
{
    const ms_run *r = d->r;
    const struct timespec nap = {0, 200000}; /* idle rank 0 sleeps rather than spin a core others may need */
    for (;;) {
        service(d, NULL);
        if (!d->abandon && d->next < d->n) {
            proto_result m = {.k = d->next++};
            d->issued++;
            wk_result w = wk_candidate(r->ws, r->wb, r->s->h, r->s->sigma, gen, m.k, service, d);
            m.fitness = w.fitness;
            m.mean_sq = w.mean_sq;
            m.diverged = w.diverged;
            m.steps = w.steps;
            memcpy(m.sq_norm, w.sq_norm, sizeof m.sq_norm);
            store(d, &m);
            continue;
        }
        if (d->released == r->size - 1 && d->received == d->issued) return;
        nanosleep(&nap, NULL);
    }
}

void ms_apply_update(ms_run *r, int64_t gen, const double *pair_weight, int flag, double *eps_buf, int64_t *acc)
{
    es_state *s = r->s;
    if (flag == PROTO_ABANDON) return;
    if (flag == PROTO_UPDATE) {
        memset(acc, 0, s->n * sizeof *acc);
        wk_grad_share((uint64_t)r->c->seed, gen, pair_weight, r->c->population / 2, r->rank, r->size, eps_buf, acc,
                      s->n);
        MPI_Allreduce(MPI_IN_PLACE, acc, (int)s->n, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
    }
    es_update(s, r->c, acc, flag == PROTO_SKIP);
    s->generation++;
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
    for (int l = 0; l < r->ws->lay.spec.n_layers; l++) fprintf(f, ",norm_layer%d", l);
    fprintf(f, "\n");
    return f;
}

static void log_row(FILE *f, const es_gen_stats *g)
{
    fprintf(f, "%lld,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%lld,%.6f,%.3f,%d,%d", (long long)g->generation,
            g->mean, g->max, g->min, g->std, g->best_ever, g->lr, g->sigma, (long long)g->steps, g->seconds,
            g->seconds > 0 ? g->steps / g->seconds : 0.0, g->diverged, g->skipped);
    for (int l = 0; l < g->n_layers; l++) fprintf(f, ",%.9g", g->layer_norm[l]);
    fprintf(f, "\n");
    fflush(f);
}

static int checkpoint(const ms_run *r, char *err, size_t errlen)
{
    char path[CFG_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/checkpoint.h5", r->run_dir);
    return ckpt_write(path, r->s, r->config_json, r->c->task == CFG_TASK_ANT ? &r->ws->lay : NULL, err, errlen);
}

static ms_outcome follow(ms_run *r, double *pw, double *eps_buf, int64_t *acc)
{
    const cfg *c = r->c;
    for (;;) {
        int ctrl[2];
        MPI_Bcast(ctrl, 2, MPI_INT, 0, MPI_COMM_WORLD);
        if (ctrl[0] == PROTO_STOP) return ctrl[1] ? MS_STOPPED : MS_FINISHED;
        int64_t gen = r->s->generation;
        proto_result m = {.k = -1};
        for (;;) {
            MPI_Send(&m, sizeof m, MPI_BYTE, 0, PROTO_TAG_RESULT, MPI_COMM_WORLD);
            int64_t k;
            MPI_Recv(&k, 1, MPI_INT64_T, 0, PROTO_TAG_ASSIGN, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (k < 0) break;
            wk_result w = wk_candidate(r->ws, r->wb, r->s->h, r->s->sigma, gen, k, NULL, NULL);
            m = (proto_result){.k = k, .steps = w.steps, .fitness = w.fitness, .mean_sq = w.mean_sq,
                               .diverged = w.diverged, .end = (int32_t)w.end};
            memcpy(m.sq_norm, w.sq_norm, sizeof m.sq_norm);
        }
        int flag;
        MPI_Bcast(&flag, 1, MPI_INT, 0, MPI_COMM_WORLD);
        if (flag != PROTO_ABANDON) MPI_Bcast(pw, c->population / 2, MPI_DOUBLE, 0, MPI_COMM_WORLD);
        ms_apply_update(r, gen, pw, flag, eps_buf, acc);
    }
}

static ms_outcome lead(ms_run *r, double *pw, double *eps_buf, int64_t *acc, char *err, size_t errlen)
{
    const cfg *c = r->c;
    es_state *s = r->s;
    const int n = c->population, L = c->task == CFG_TASK_ANT ? r->ws->lay.spec.n_layers : 0;
    dispatch d = {.r = r, .n = n};
    d.fitness = calloc((size_t)n, sizeof *d.fitness);
    d.mean_sq = calloc((size_t)n, sizeof *d.mean_sq);
    d.diverged = calloc((size_t)n, sizeof *d.diverged);
    d.steps = calloc((size_t)n, sizeof *d.steps);
    d.sq_norm = calloc((size_t)n, sizeof *d.sq_norm);
    void *scratch = malloc(es_shape_scratch_size(n));
    FILE *csv = open_progress(r, err, errlen);
    ms_outcome out = MS_FAILED;
    if (!d.fitness || !d.mean_sq || !d.diverged || !d.steps || !d.sq_norm || !scratch || !csv) {
        if (csv) snprintf(err, errlen, "out of memory");
        int ctrl[2] = {PROTO_STOP, 0};
        MPI_Bcast(ctrl, 2, MPI_INT, 0, MPI_COMM_WORLD);
        goto done;
    }
    for (size_t i = 0; i < s->n_hist; i++) log_row(csv, &s->hist[i]);
    for (;;) {
        int stop_now = *r->stop || s->generation >= c->generations;
        int ctrl[2] = {stop_now ? PROTO_STOP : PROTO_RUN, *r->stop ? 1 : 0};
        MPI_Bcast(ctrl, 2, MPI_INT, 0, MPI_COMM_WORLD);
        if (stop_now) {
            out = *r->stop ? MS_STOPPED : MS_FINISHED;
            if (checkpoint(r, err, errlen)) out = MS_FAILED;
            break;
        }
        const int64_t gen = s->generation;
        const double t0 = now_s(), lr = s->lr, sigma = s->sigma;
        d.next = d.issued = d.received = 0;
        d.released = 0;
        d.abandon = 0;
        run_candidates(&d, gen);
        if (d.abandon) {
            int flag = PROTO_ABANDON;
            MPI_Bcast(&flag, 1, MPI_INT, 0, MPI_COMM_WORLD);
            printf("gen %lld abandoned on signal; checkpointing generation %lld\n", (long long)gen, (long long)gen);
            continue; /* the next control word stops every rank */
        }
        es_shape_info info;
        es_shape(c, n, d.fitness, d.mean_sq, d.diverged, pw, &info, scratch);
        int flag = info.skip ? PROTO_SKIP : PROTO_UPDATE;
        MPI_Bcast(&flag, 1, MPI_INT, 0, MPI_COMM_WORLD);
        MPI_Bcast(pw, n / 2, MPI_DOUBLE, 0, MPI_COMM_WORLD);

        es_gen_stats row = {.generation = gen, .mean = info.mean, .max = info.max, .min = info.min,
                            .std = info.std, .lr = lr, .sigma = sigma, .diverged = info.n_invalid,
                            .skipped = info.skip, .n_layers = L};
        for (int k = 0; k < n; k++) row.steps += d.steps[k];
        if (info.best >= 0) {
            for (int l = 0; l < L; l++) row.layer_norm[l] = sqrt(d.sq_norm[info.best][l]);
            if (d.fitness[info.best] > s->best_fitness) {
                /* Rebuilt before the update changes h and sigma. */
                double sgn = info.best % 2 ? -sigma : sigma;
                wk_perturbation((uint64_t)c->seed, gen, info.best / 2, eps_buf, s->n);
                for (size_t i = 0; i < s->n; i++) s->best_h[i] = s->h[i] + sgn * eps_buf[i];
                s->best_fitness = d.fitness[info.best];
                s->best_generation = gen;
            }
        }
        ms_apply_update(r, gen, pw, flag, eps_buf, acc);
        row.best_ever = s->best_fitness;
        row.seconds = now_s() - t0;
        s->elapsed += row.seconds;
        s->total_steps += row.steps;
        if (es_state_push_stats(s, &row)) {
            snprintf(err, errlen, "out of memory");
            goto done; /* the other ranks wait on a broadcast: the caller aborts */
        }
        log_row(csv, &row);
        printf("gen %5lld  mean %10.3f  max %10.3f  min %10.3f  best-ever %10.3f  lr %.4g  sigma %.4g  "
               "steps %8lld  %7.2f s  %8.0f steps/s%s",
               (long long)gen, row.mean, row.max, row.min, row.best_ever, lr, sigma, (long long)row.steps,
               row.seconds, row.steps / row.seconds, info.skip ? "  (all fitnesses equal: update skipped)" : "");
        if (info.n_invalid) printf("  diverged %d", info.n_invalid);
        printf("\n");
        fflush(stdout);
        if (s->generation % c->checkpoint_every == 0 && s->generation < c->generations &&
            checkpoint(r, err, errlen))
            goto done;
    }
done:
    if (csv) fclose(csv);
    free(d.fitness);
    free(d.mean_sq);
    free(d.diverged);
    free(d.steps);
    free(d.sq_norm);
    free(scratch);
    return out;
}

ms_outcome ms_train(ms_run *r, char *err, size_t errlen)
{
    double *pw = calloc((size_t)r->c->population / 2, sizeof *pw);
    double *eps_buf = malloc(r->s->n * sizeof *eps_buf);
    int64_t *acc = calloc(r->s->n, sizeof *acc);
    ms_outcome out = MS_FAILED;
    if (!pw || !eps_buf || !acc)
        snprintf(err, errlen, "out of memory for %zu parameters", r->s->n);
    else
        out = r->rank == 0 ? lead(r, pw, eps_buf, acc, err, errlen) : follow(r, pw, eps_buf, acc);
    free(pw);
    free(eps_buf);
    free(acc);
    return out;
}
