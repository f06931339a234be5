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

_Static_assert(CFG_MAX_MODELS <= ES_EVAL_MAX_MODELS, "an evaluation row must hold every eval model");

/* Held-out episodes of generation gen: env.eval_episodes per eval model every run.eval_every generations. */
static int64_t eval_items(const ms_run *r, int64_t gen)
{
    const cfg *c = r->c;
    if (!r->ws_eval || c->eval_every <= 0 || gen % c->eval_every) return 0;
    return (int64_t)c->n_eval_models * c->eval_episodes;
}

/* Work item i of generation gen, on any rank: held-out episode i (i < n_eval) or candidate i - n_eval. */
static proto_result run_item(const ms_run *r, int64_t gen, int64_t n_eval, int64_t i, wk_poll_fn poll, void *ctx)
{
    wk_result w;
    if (i < n_eval) {
        const int64_t per = r->c->eval_episodes;
        w = wk_episode(r->ws_eval, r->wb_eval, (int)(i / per), r->wb_eval->coef,
                       wk_eval_episode_seed((uint64_t)r->c->eval_seed, i % per), 0, poll, ctx);
    } else {
        w = wk_candidate(r->ws, r->wb, r->s->h, r->s->sigma, gen, i - n_eval, poll, ctx);
    }
    proto_result m = {.k = i, .steps = w.steps, .fitness = w.fitness, .mean_sq = w.mean_sq,
                      .diverged = w.diverged, .end = (int32_t)w.end, .distance = w.distance};
    memcpy(m.sq_norm, w.sq_norm, sizeof m.sq_norm);
    if (i >= n_eval) m.obs = r->wb->acc; /* held-out episodes feed no statistics */
    return m;
}

/* Every rank, before a generation's items: the observation normaliser of the statistics so far,
 * and for an evaluation generation the unperturbed coefficients, converted once. */
static void begin_items(const ms_run *r, int64_t n_eval)
{
    if (r->c->obs_norm) {
        wk_set_obs_norm(r->wb, r->ws, &r->s->obs);
        if (r->wb_eval) wk_set_obs_norm(r->wb_eval, r->ws_eval, &r->s->obs);
    }
    if (n_eval) heb_coef_from_params(&r->ws_eval->lay, r->s->h, r->wb_eval->coef);
}

/* Rank 0: the generation's observations added to the running statistics in candidate order (so
 * the sums have the same bits for any rank count); diverged candidates are left out. */
static void add_obs_stats(es_obs_stats *total, const es_obs_stats *cand, const int *diverged, int n)
{
    for (int k = 0; k < n; k++) {
        const es_obs_stats *c = &cand[k];
        int ok = !diverged[k] && c->n == total->n;
        for (int i = 0; ok && i < c->n; i++) ok = isfinite(c->sum[i]) && isfinite(c->sumsq[i]);
        if (!ok) continue;
        total->count += c->count;
        for (int i = 0; i < c->n; i++) {
            total->sum[i] += c->sum[i];
            total->sumsq[i] += c->sumsq[i];
        }
    }
}

/* Rank 0's bookkeeping of one generation's work items. */
typedef struct {
    const ms_run *r;
    int64_t n, n_eval;              /* candidates; held-out episodes (items 0 .. n_eval - 1) */
    int64_t next, issued, received; /* items */
    int released;   /* ranks told there is no more work */
    int abandon;
    double *fitness, *mean_sq;
    int *diverged;
    int64_t *steps;
    double (*sq_norm)[HEB_MAX_LAYERS];
    proto_result *eval; /* CFG_MAX_MODELS * env.eval_episodes */
    es_obs_stats *obs;  /* net.obs_norm: per candidate (else NULL) */
} dispatch;

static void store(dispatch *d, const proto_result *m)
{
    if (m->k < 0 || m->k >= d->n_eval + d->n) return;
    d->received++;
    if (m->k < d->n_eval) {
        d->eval[m->k] = *m;
        return;
    }
    const int64_t k = m->k - d->n_eval;
    d->fitness[k] = m->fitness;
    d->mean_sq[k] = m->mean_sq;
    d->diverged[k] = m->diverged;
    d->steps[k] = m->steps;
    memcpy(d->sq_norm[k], m->sq_norm, sizeof m->sq_norm);
    if (d->obs) d->obs[k] = m->obs;
}

static void answer(dispatch *d, int src)
{
    int64_t k = -1;
    if (!d->abandon && d->next < d->n_eval + d->n) {
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
    begin_items(r, d->n_eval);
    for (;;) {
        service(d, NULL);
        if (!d->abandon && d->next < d->n_eval + d->n) {
            int64_t i = d->next++;
            d->issued++;
            proto_result m = run_item(r, gen, d->n_eval, i, service, d);
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
    fprintf(f, ",eval,eval_steps,eval_time_limit,eval_unhealthy_low,eval_unhealthy_high,eval_early_stop,"
               "eval_diverged");
    for (int m = 0; m < r->c->n_eval_models; m++) fprintf(f, ",eval_mean_m%d,eval_std_m%d,eval_distance_m%d", m, m, m);
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
static void eval_stats(const ms_run *r, const proto_result *ep, int64_t n_eval, es_gen_stats *row)
{
    const int per = r->c->eval_episodes;
    row->evaluated = 1;
    row->eval_models = r->c->n_eval_models;
    double steps = 0.0;
    for (int m = 0; m < row->eval_models; m++) {
        const proto_result *e = ep + (size_t)m * per;
        double sum = 0.0, dist = 0.0, sq = 0.0;
        for (int i = 0; i < per; i++) {
            sum += e[i].fitness;
            dist += e[i].distance;
        }
        const double mean = sum / per;
        for (int i = 0; i < per; i++) sq += (e[i].fitness - mean) * (e[i].fitness - mean);
        row->eval_mean[m] = mean;
        row->eval_std[m] = sqrt(sq / per);
        row->eval_distance[m] = dist / per;
    }
    for (int64_t i = 0; i < n_eval; i++) {
        steps += (double)ep[i].steps;
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
    return ckpt_write(path, r->s, r->config_json, r->c->task == CFG_TASK_ANT ? &r->ws->lay : NULL, err, errlen);
}

static ms_outcome follow(ms_run *r, double *pw, double *eps_buf, int64_t *acc)
{
    const cfg *c = r->c;
    for (;;) {
        int ctrl[2];
        MPI_Bcast(ctrl, 2, MPI_INT, 0, MPI_COMM_WORLD);
        if (ctrl[0] == PROTO_STOP) return ctrl[1] ? MS_STOPPED : MS_FINISHED;
        int64_t gen = r->s->generation, n_eval = eval_items(r, gen);
        begin_items(r, n_eval);
        proto_result m = {.k = -1};
        for (;;) {
            MPI_Send(&m, sizeof m, MPI_BYTE, 0, PROTO_TAG_RESULT, MPI_COMM_WORLD);
            int64_t k;
            MPI_Recv(&k, 1, MPI_INT64_T, 0, PROTO_TAG_ASSIGN, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (k < 0) break;
            m = run_item(r, gen, n_eval, k, NULL, NULL);
        }
        int flag;
        MPI_Bcast(&flag, 1, MPI_INT, 0, MPI_COMM_WORLD);
        if (flag != PROTO_ABANDON) {
            MPI_Bcast(pw, c->population / 2, MPI_DOUBLE, 0, MPI_COMM_WORLD);
            if (c->obs_norm) MPI_Bcast(&r->s->obs, sizeof r->s->obs, MPI_BYTE, 0, MPI_COMM_WORLD);
        }
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
    d.eval = calloc((size_t)c->n_eval_models * (size_t)c->eval_episodes, sizeof *d.eval);
    if (c->obs_norm) d.obs = calloc((size_t)n, sizeof *d.obs);
    void *scratch = malloc(es_shape_scratch_size(n));
    FILE *csv = open_progress(r, err, errlen);
    ms_outcome out = MS_FAILED;
    if (!d.fitness || !d.mean_sq || !d.diverged || !d.steps || !d.sq_norm || !d.eval || (c->obs_norm && !d.obs) || !scratch ||
        !csv) {
        if (csv) snprintf(err, errlen, "out of memory");
        int ctrl[2] = {PROTO_STOP, 0};
        MPI_Bcast(ctrl, 2, MPI_INT, 0, MPI_COMM_WORLD);
        goto done;
    }
    for (size_t i = 0; i < s->n_hist; i++) log_row(csv, &s->hist[i], c->n_eval_models);
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
        d.n_eval = eval_items(r, gen);
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
        if (c->obs_norm) {
            add_obs_stats(&s->obs, d.obs, d.diverged, n);
            MPI_Bcast(&s->obs, sizeof s->obs, MPI_BYTE, 0, MPI_COMM_WORLD);
        }

        es_gen_stats row = {.generation = gen, .mean = info.mean, .max = info.max, .min = info.min,
                            .std = info.std, .lr = lr, .sigma = sigma, .diverged = info.n_invalid,
                            .skipped = info.skip, .n_layers = L};
        for (int k = 0; k < n; k++) row.steps += d.steps[k];
        if (d.n_eval) eval_stats(r, d.eval, d.n_eval, &row);
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
        log_row(csv, &row, c->n_eval_models);
        printf("gen %5lld  mean %10.3f  max %10.3f  min %10.3f  best-ever %10.3f  lr %.4g  sigma %.4g  "
               "steps %8lld  %7.2f s  %8.0f steps/s%s",
               (long long)gen, row.mean, row.max, row.min, row.best_ever, lr, sigma, (long long)row.steps,
               row.seconds, row.steps / row.seconds, info.skip ? "  (all fitnesses equal: update skipped)" : "");
        if (info.n_invalid) printf("  diverged %d", info.n_invalid);
        if (row.evaluated) {
            printf("  eval");
            for (int m = 0; m < row.eval_models; m++) printf(" %.3f", row.eval_mean[m]);
            printf(" (%.0f steps, %d/%lld at the limit)", row.eval_steps, row.eval_time_limit, (long long)d.n_eval);
        }
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
    free(d.eval);
    free(d.obs);
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
