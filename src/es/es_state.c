#include "es_state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int es_state_create(es_state *s, size_t n, const es_spec *e)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    /* Adam's moments are allocated whatever the optimizer: a checkpoint always writes them (zeros
     * under SGD), so that part of its layout does not depend on es.optimizer. ClipUp's velocity
     * and PGPE's sigmas exist, and are written, only where they mean something. */
    s->h = calloc(n, sizeof *s->h);
    s->best_h = calloc(n, sizeof *s->best_h);
    s->adam_m = calloc(n, sizeof *s->adam_m);
    s->adam_v = calloc(n, sizeof *s->adam_v);
    const int clipup = e && e->optimizer == ES_OPT_CLIPUP, pgpe = e && e->algorithm == ES_ALGO_PGPE;
    if (clipup) s->velocity = calloc(n, sizeof *s->velocity);
    if (pgpe) s->sigmas = calloc(n, sizeof *s->sigmas);
    s->best_fitness = -INFINITY; /* any finite fitness of generation 0 is a first best */
    s->best_generation = -1;
    s->merged_at = -1;
    if (!s->h || !s->best_h || !s->adam_m || !s->adam_v || (clipup && !s->velocity) || (pgpe && !s->sigmas)) {
        es_state_free(s);
        return -1;
    }
    return 0;
}

void es_state_free(es_state *s)
{
    free(s->h);
    free(s->best_h);
    free(s->adam_m);
    free(s->adam_v);
    free(s->velocity);
    free(s->sigmas);
    free(s->frozen);
    free(s->hist);
    memset(s, 0, sizeof *s);
}

int es_state_use_frozen(es_state *s)
{
    /* n ? n : 1: calloc(0) may return NULL, which would read as out of memory */
    if (!s->frozen) s->frozen = calloc(s->n ? s->n : 1, 1);
    return s->frozen ? 0 : -1;
}

/* The vectors of n the optimizer steps, which every rank holds identical copies of: rank 0's are
 * broadcast at start (run/open.c), and a merge of rules (run/follow.c) rewrites all of them the
 * same way as h, or Adam's moments would belong to rules that no longer exist. The order is fixed,
 * h first. best_h is not among them: a snapshot of one candidate (rebuilt from its index on every
 * rank, es.c), which the optimizer never steps and a merge leaves as it was. */
int es_state_replicated_vectors(es_state *s, double *v[ES_STATE_MAX_VECTORS])
{
    int n = 0;
    v[n++] = s->h;
    v[n++] = s->adam_m;
    v[n++] = s->adam_v;
    if (s->velocity) v[n++] = s->velocity;
    if (s->sigmas) v[n++] = s->sigmas;
    return n;
}

void es_state_get_scalars(const es_state *s, es_state_scalars *out)
{
    *out = (es_state_scalars){.lr = s->lr, .sigma = s->sigma, .generation = s->generation, .adam_t = s->adam_t,
                              .merged_at = s->merged_at, .obs = s->obs};
}

void es_state_set_scalars(es_state *s, const es_state_scalars *in)
{
    s->lr = in->lr;
    s->sigma = in->sigma;
    s->generation = in->generation;
    s->adam_t = in->adam_t;
    s->merged_at = in->merged_at;
    s->obs = in->obs;
}

int es_state_push_stats(es_state *s, const es_gen_stats *row)
{
    /* doubling: amortised O(1) per generation for runs of any length */
    if (s->n_hist == s->cap_hist) {
        size_t cap = s->cap_hist ? 2 * s->cap_hist : 64;
        es_gen_stats *h = realloc(s->hist, cap * sizeof *h);
        if (!h) return -1;
        s->hist = h;
        s->cap_hist = cap;
    }
    s->hist[s->n_hist++] = *row;
    return 0;
}
