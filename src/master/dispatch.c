/* Rank 0's side of a generation's work items: it hands them out on demand and evaluates items
 * itself between answers (its es_ops evaluate, ms_ops).
 *
 * Why rank 0 rolls out too, answering between its own environment steps: a rank that only served
 * would idle most of the time (a request takes 7-50 us, an episode 0.2 s), and on a 2-core machine
 * half the cores would go to waiting. Answering between steps (service() is the episode's poll
 * function) keeps a request's wait to about half a step, 0.1 ms. Candidates are handed out one at
 * a time, on demand, because episodes end early at different steps: a static split would leave
 * ranks idle while one finishes its long episodes. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "master.h"


int ms_lead_create(ms_lead *d, const run_job *j, const volatile sig_atomic_t *stop)
{
    *d = (ms_lead){.j = j, .stop = stop, .stop_gen = -1, .stop_item = -1};
    const char *at = getenv("HEBES_TEST_STOP_AT");
    long long g, k;
    if (at && sscanf(at, "%lld:%lld", &g, &k) == 2) d->stop_gen = g, d->stop_item = k;
    const size_t n = (size_t)j->c->n_eval_models * (size_t)j->c->eval_episodes + (size_t)j->c->es.population;
    d->items = calloc(n ? n : 1, sizeof *d->items);
    return d->items ? 0 : -1;
}

void ms_lead_free(ms_lead *d)
{
    if (!d) return;
    free(d->items);
    d->items = NULL;
}

/* Results wait in d->items and reach the ES core together once the generation's items are
 * done (report()): es_report only files each result under its index, so when it is called does
 * not change the bits, and dispatch stays one loop of hand-out, roll-out and store. */
static void store(ms_lead *d, const proto_result *m)
{
    if (m->k < 0 || m->k >= d->n_items || d->items[m->k].k == m->k) return;
    d->received++;
    d->items[m->k] = *m;
}

/* The candidates' results to the ES core; an abandoned generation's missing ones stay unset. */
static void report(const ms_lead *d, es_gen *g)
{
    for (int64_t i = d->n_eval; i < d->n_items; i++)
        if (d->items[i].k == i) es_report(g, i - d->n_eval, &d->items[i].r, &d->items[i].obs);
}

typedef struct {
    ms_lead *d;
    es_gen *g;
} serving;

/* The next item, counted as handed out (see stop_gen). */
static int64_t issue(ms_lead *d, const es_gen *g)
{
    if (g->generation == d->stop_gen && d->next == d->stop_item) raise(SIGUSR1);
    d->issued++;
    return d->next++;
}

/* Answers every waiting rank; called between rank 0's own environment steps. Nonzero
 * interrupts rank 0's own episode once a stop signal has arrived. */
static int service(void *ctx, const wk_step *step)
{
    (void)step;
    const serving *sv = ctx;
    ms_lead *d = sv->d;
    if (*d->stop) d->abandon = 1;
    proto_result m;
    int src;
    for (double t0 = run_now_s(); proto_poll(&m, &src); t0 = run_now_s()) {
        int64_t k = -1;
        if (!d->abandon && d->next < d->n_items) {
            k = issue(d, sv->g);
        } else {
            d->released++;
        }
        proto_assign(src, k);
        store(d, &m);
        d->service_s += run_now_s() - t0;
        d->served++;
    }
    return d->abandon;
}

int ms_lead_items(void *ctx, es_gen *g)
{
    ms_lead *d = ctx;
    const run_job *j = d->j;
    const struct timespec nap = {0, 200000}; /* idle rank 0 sleeps rather than spin a core others may need */
    serving sv = {d, g};
    d->n_eval = run_eval_items(j, g->generation);
    d->n_items = d->n_eval + g->n;
    d->next = d->issued = d->received = 0;
    d->released = d->abandon = 0;
    for (int64_t i = 0; i < d->n_items; i++) d->items[i].k = -1;
    run_items_begin(j, d->n_eval);
    for (;;) {
        service(&sv, NULL);
        if (!d->abandon && d->next < d->n_items) {
            const int64_t i = issue(d, g);
            proto_result m = run_item(j, d->n_eval, i, service, &sv);
            store(d, &m);
            continue;
        }
        if (d->released == j->size - 1 && (d->abandon || d->received == d->issued)) {
            report(d, g);
            return d->abandon;
        }
        nanosleep(&nap, NULL);
    }
}

es_ops ms_ops(run_job *j, ms_lead *lead)
{
    return run_wire_ops(j->rank, j->size, ms_lead_items, lead);
}
