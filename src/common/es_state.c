#include "es_state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int es_state_create(es_state *s, size_t n)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->h = calloc(n, sizeof *s->h);
    s->best_h = calloc(n, sizeof *s->best_h);
    s->adam_m = calloc(n, sizeof *s->adam_m);
    s->adam_v = calloc(n, sizeof *s->adam_v);
    s->best_fitness = -INFINITY;
    s->best_generation = -1;
    if (!s->h || !s->best_h || !s->adam_m || !s->adam_v) {
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
    free(s->hist);
    memset(s, 0, sizeof *s);
}

int es_state_push_stats(es_state *s, const es_gen_stats *row)
{
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
