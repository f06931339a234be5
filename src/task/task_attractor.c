/* run.task = attractor beyond the fitness: the sequence experiment of `hebes attractor`
 * (docs/attractor.md, the spec's Simulation 3), its file, and the scores of a plasticity over seeds.
 * The command keeps its options and its printing (src/cli/cli_attractor.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "h5u.h"
#include "task.h"



/* Relaxes from L(0.1 pattern) in the symmetric part; attractors closer than correlation 0.99 are one. */
static void find_attractors(task_presentation *p, double beta, int max_steps)
{
    double scratch[ATT_PIXELS];
    p->distinct = 0;
    for (int k = 0; k < p->t.n_patterns; k++) {
        double *x = p->attractors[k];
        for (int i = 0; i < ATT_PIXELS; i++) x[i] = att_langevin(0.1 * p->t.patterns[k][i]);
        p->relax_steps[k] = att_relax(p->sym, ATT_PIXELS, beta, x, max_steps, 1e-12, scratch);
        int seen = 0;
        for (int j = 0; j < k && !seen; j++) seen = att_corr(x, p->attractors[j], ATT_PIXELS) >= 0.99;
        p->distinct += !seen;
    }
}

/* runs free runs from the presented state (every one from it, its activities kept), then as many
 * from rest. */
static int free_runs(task_presentation *p, rng_stream *rng)
{
    const int T = p->t.free_steps, n = ATT_PIXELS;
    p->free_run = malloc((size_t)p->runs * T * n * sizeof *p->free_run);
    p->labels = malloc((size_t)p->runs * T * sizeof *p->labels);
    double *best = malloc((size_t)T * sizeof *best), presented[ATT_PIXELS];
    int *rest = malloc((size_t)T * sizeof *rest);
    const int ok = p->free_run && p->labels && best && rest;
    memcpy(presented, p->s.sigma, sizeof presented);
    for (int r = 0; ok && r < p->runs; r++) {
        int *labels = p->labels + (size_t)r * T;
        memcpy(p->s.sigma, presented, sizeof presented);
        att_free_run(&p->t, &p->s, rng, labels, best, p->free_run + (size_t)r * T * n);
        p->replays += att_order_of(labels, T, p->t.n_patterns).replays;
    }
    for (int r = 0; ok && r < p->runs; r++) {
        memset(p->s.sigma, 0, sizeof presented);
        att_free_run(&p->t, &p->s, rng, rest, best, NULL);
        p->replays_from_rest += att_order_of(rest, T, p->t.n_patterns).replays;
    }
    free(best);
    free(rest);
    return ok ? 0 : -1;
}

/* The spec's Simulation 3 with c's settings, uniform rate attractor.eta. */
int task_present(task_presentation *p, const cfg *c, uint64_t seed, int runs, char *err, size_t errlen)
{
    if (task_attractor(&p->t, c, c->att.sequence, c->att.n_sequence, err, errlen)) return -1;
    if (att_state_create(&p->s, ATT_PIXELS)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rng_stream rng;
    att_stream(&rng, seed);
    att_present(&p->t, &p->s, NULL, c->att.eta, &rng);
    double scratch[2 * ATT_PIXELS];
    p->energy = att_free_energy(p->s.J, ATT_PIXELS, p->t.patterns[(p->t.iterations - 1) % p->t.n_patterns],
                                p->s.sigma, scratch);
    p->asymmetry = att_split(p->s.J, ATT_PIXELS, p->sym, p->anti);
    find_attractors(p, c->att.beta, c->att.relax_steps);
    p->runs = runs;
    if (free_runs(p, &rng)) {
        snprintf(err, errlen, "out of memory for %d free runs", runs);
        return -1;
    }
    return 0;
}

void task_presentation_free(task_presentation *p)
{
    if (!p) return;
    att_state_free(&p->s);
    free(p->free_run);
    free(p->labels);
    p->free_run = NULL;
    p->labels = NULL;
}

int task_presentation_write(const task_presentation *p, const cfg *c, const char *path, char *err, size_t errlen)
{
    int rc = 0;
    char *json = cfg_to_json(c);
    H5E_BEGIN_TRY
    {
        hid_t f = h5u_create(path);
        if (f < 0) rc = -1;
        const int n = ATT_PIXELS, P = p->t.n_patterns, T = p->t.free_steps;
        hsize_t nn[2] = {(hsize_t)n, (hsize_t)n}, pn[2] = {(hsize_t)P, (hsize_t)n},
                run[3] = {(hsize_t)p->runs, (hsize_t)T, (hsize_t)n}, lab[2] = {(hsize_t)p->runs, (hsize_t)T};
        int32_t seq[ATT_MAX_SEQ], d = p->distinct, rep[2] = {p->replays, p->replays_from_rest};
        for (int k = 0; k < P; k++) seq[k] = c->att.sequence[k];
        hsize_t np = (hsize_t)P;
        if (!rc) {
            rc |= h5u_put_string_attr(f, "format", "hebes-attractor");
            rc |= json ? h5u_put_text(f, "config", json) : -1;
            rc |= h5u_put_dset(f, "J", H5T_NATIVE_DOUBLE, 2, nn, p->s.J);
            rc |= h5u_put_dset(f, "J_sym", H5T_NATIVE_DOUBLE, 2, nn, p->sym);
            rc |= h5u_put_dset(f, "J_anti", H5T_NATIVE_DOUBLE, 2, nn, p->anti);
            rc |= h5u_put_dset(f, "patterns", H5T_NATIVE_DOUBLE, 2, pn, p->t.patterns);
            rc |= h5u_put_dset(f, "images", H5T_NATIVE_INT32, 1, &np, seq);
            rc |= h5u_put_dset(f, "attractors", H5T_NATIVE_DOUBLE, 2, pn, p->attractors);
            rc |= h5u_put_dset(f, "free_run", H5T_NATIVE_DOUBLE, 3, run, p->free_run);
            rc |= h5u_put_dset(f, "free_run_labels", H5T_NATIVE_INT32, 2, lab, p->labels);
            rc |= h5u_put_attr(f, "asymmetry", H5T_NATIVE_DOUBLE, &p->asymmetry);
            rc |= h5u_put_attr(f, "distinct_attractors", H5T_NATIVE_INT32, &d);
            rc |= h5u_put_attr(f, "replays", H5T_NATIVE_INT32, &rep[0]);
            rc |= h5u_put_attr(f, "replays_from_rest", H5T_NATIVE_INT32, &rep[1]);
            if (H5Fclose(f) < 0) rc = -1;
        }
    }
    H5E_END_TRY;
    free(json);
    if (rc) snprintf(err, errlen, "%s: cannot write", path);
    return rc;
}

int task_attractor_scores(const cfg *c, const double *theta, const int *images, int n_images, long seed,
                          long episodes, task_att_scores *out, char *err, size_t errlen)
{
    att_task t;
    att_state s = {0};
    double *scores = malloc((size_t)episodes * sizeof *scores);
    int *labels = malloc((size_t)c->att.free_steps * sizeof *labels);
    double *best = malloc((size_t)c->att.free_steps * sizeof *best);
    int rc = -1;
    if (!scores || !labels || !best || att_state_create(&s, ATT_PIXELS)) snprintf(err, errlen, "out of memory");
    else if (!task_attractor(&t, c, images, n_images, err, errlen)) rc = 0;
    double eta[ATT_PIXELS], zero[ATT_PIXELS + 1] = {0}, sum = 0, sq = 0, asym = 0;
    int replays = 0;
    for (long e = 0; !rc && e < episodes; e++) {
        int r;
        scores[e] = att_fitness(&t, &s, theta ? theta : zero, c->att.eta, c->att.beta, (uint64_t)(seed + e),
                                c->att.free_runs, eta, labels, best, &r);
        replays += r;
        asym += att_split(s.J, ATT_PIXELS, NULL, NULL);
        sum += scores[e];
    }
    if (!rc) {
        /* the mean and the sample std (n - 1) of the scores over the seeds */
        const double mean = sum / episodes;
        for (long e = 0; e < episodes; e++) sq += (scores[e] - mean) * (scores[e] - mean);
        *out = (task_att_scores){.mean = mean, .std = episodes > 1 ? sqrt(sq / (episodes - 1)) : 0.0,
                                 .asymmetry = asym / episodes, .replays = replays,
                                 .runs = episodes * c->att.free_runs};
    }
    free(scores);
    free(labels);
    free(best);
    att_state_free(&s);
    return rc;
}
