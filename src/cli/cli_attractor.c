/* hebes attractor: the free-energy attractor network's sequence experiment (docs/attractor.md), and
 * the evaluation of plasticity that ES evolved for it (run.task = attractor). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "att_task.h"
#include "ckpt.h"
#include "cli.h"
#include "h5u.h"
#include "run.h"

static const cli_opt attractor_opts[] = {
    {"out", "FILE.h5", "write J, its symmetric and antisymmetric parts, the patterns, the attractors\n"
                       "and the free runs (tools/plot_attractor.py draws them)"},
    {"seed", "N", "seed of the presentation and the free runs (default 0)"},
    {"ckpt", "CKPT", "compare the plasticity a run.task = attractor run evolved (its current\n"
                     "coefficients) with the uniform rate, on held-out seeds and on\n"
                     "attractor.held_out, a sequence it never trained on"},
    {"episodes", "N", "with --ckpt: seeds per plasticity and sequence (default 10)"},
    CLI_SET_OPT,
    {NULL, NULL, NULL},
};

static const cli_cmd attractor_cmd = {
    .name = "attractor",
    .usage = "CONFIG [--out FILE.h5] [--seed N] [--set KEY=VALUE ...]\nCONFIG --ckpt CKPT [--episodes N] [--seed N]",
    .about = "Presents attractor.sequence (images of the 8x8 digits) in order to a 64-unit free-energy\n"
             "attractor network that learns with its local rule, then prints the asymmetry of the couplings,\n"
             "the attractors of their symmetric part and the order free runs visit the images in.",
    .opts = {attractor_opts},
};

typedef struct {
    const char *out, *ckpt, *sets[CLI_MAX_SETS];
    int n_sets, episodes_given;
    long seed, episodes;
} attractor_args;

static int attractor_option(void *ctx, const char *name, const char *v)
{
    attractor_args *a = ctx;
    if (!strcmp(name, "set")) return cli_add_set(v, a->sets, &a->n_sets, CLI_MAX_SETS);
    if (!strcmp(name, "out")) a->out = v;
    if (!strcmp(name, "ckpt")) a->ckpt = v;
    if (!strcmp(name, "seed")) return cli_long("--seed", v, 0, 1L << 53, &a->seed);
    if (!strcmp(name, "episodes")) return a->episodes_given = 1, cli_long("--episodes", v, 1, 1000000, &a->episodes);
    return 0;
}

/* Everything one presentation leaves, for the report and the file. */
typedef struct {
    att_task t;
    att_state s;
    double sym[ATT_PIXELS * ATT_PIXELS], anti[ATT_PIXELS * ATT_PIXELS];
    double attractors[ATT_MAX_SEQ][ATT_PIXELS];
    int relax_steps[ATT_MAX_SEQ];
    double asymmetry;
    int distinct;
    att_energy energy;
    int runs;
    double *free_run; /* runs x free_steps x n activities, from the presented state */
    int *labels;      /* runs x free_steps */
    int replays, replays_from_rest;
} presentation;

/* Relaxes from L(0.1 pattern) in the symmetric part; attractors closer than correlation 0.99 are one. */
static void find_attractors(presentation *p, double beta, int max_steps)
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
static int free_runs(presentation *p, rng_stream *rng)
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
static int present(presentation *p, const cfg *c, uint64_t seed, int runs, char *err, size_t errlen)
{
    if (wk_attractor_task(&p->t, c, c->att.sequence, c->att.n_sequence, err, errlen)) return -1;
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

static void print_presentation(const presentation *p, const cfg *c, long seed)
{
    printf("attractor: %d units, sequence of images", ATT_PIXELS);
    for (int k = 0; k < c->att.n_sequence; k++) printf(" %d", c->att.sequence[k]);
    printf(", %d iterations, eta %g, beta %g, %s updates, seed %ld\n", c->att.iterations, c->att.eta, c->att.beta,
           c->att.stochastic ? "stochastic" : "deterministic", seed);
    printf("asymmetry ||J - J^T|| / ||J||: %.4f\n", p->asymmetry);
    printf("attractors of the symmetric part (relaxed from L(0.1 pattern), zero bias): %d distinct\n", p->distinct);
    for (int k = 0; k < p->t.n_patterns; k++) {
        printf("  image %d: correlation %.3f with the image (", c->att.sequence[k],
               att_corr(p->attractors[k], p->t.images[k], ATT_PIXELS));
        for (int j = 0; j < p->t.n_patterns; j++)
            if (j != k) printf("%s%.2f", j == (k == 0) ? "" : " ", att_corr(p->attractors[k], p->t.images[j], ATT_PIXELS));
        printf(" with the others), %.3f with its bias; %d steps\n", att_corr(p->attractors[k], p->t.patterns[k], ATT_PIXELS),
               p->relax_steps[k]);
    }
    const int T = p->t.free_steps;
    const att_order o = att_order_of(p->labels, T, p->t.n_patterns);
    printf("free run 0 (zero bias, no learning, %d steps) visits images:", T);
    for (int k = 0; k < o.visits && k < 24; k++) printf(" %d", c->att.sequence[o.order[k]]);
    printf("%s\n", o.visits > 24 ? " ..." : "");
    printf("free runs that replay the sequence in order (every move forward, a whole cycle and one more):\n");
    printf("  from the state the presentation left: %d of %d\n", p->replays, p->runs);
    printf("  from rest (activities 0):             %d of %d\n", p->replays_from_rest, p->runs);
    printf("free energy at the end (last image's bias): complexity %.3f, accuracy %.3f, VFE %.3f\n",
           p->energy.complexity, p->energy.accuracy, p->energy.vfe);
}

static int write_presentation(const presentation *p, const cfg *c, const char *path, char *err, size_t errlen)
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

/* One plasticity (theta NULL: the uniform rate) on one sequence over episodes seeds: the mean and
 * std of the recall score, the asymmetry, and the free runs that replay the sequence. */
static int compare_row(const cfg *c, const char *who, const double *theta, const char *seq_name, const int *images,
                       int n_images, long seed, long episodes, char *err, size_t errlen)
{
    att_task t;
    att_state s = {0};
    double *scores = malloc((size_t)episodes * sizeof *scores);
    int *labels = malloc((size_t)c->att.free_steps * sizeof *labels);
    double *best = malloc((size_t)c->att.free_steps * sizeof *best);
    int rc = -1;
    if (!scores || !labels || !best || att_state_create(&s, ATT_PIXELS)) snprintf(err, errlen, "out of memory");
    else if (!wk_attractor_task(&t, c, images, n_images, err, errlen)) rc = 0;
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
        const double mean = sum / episodes;
        for (long e = 0; e < episodes; e++) sq += (scores[e] - mean) * (scores[e] - mean);
        printf("%-10s %-10s %8.3f %8.3f %8.3f   %5d of %-5ld\n", who, seq_name, mean,
               episodes > 1 ? sqrt(sq / (episodes - 1)) : 0.0, asym / episodes, replays, episodes * c->att.free_runs);
    }
    free(scores);
    free(labels);
    free(best);
    att_state_free(&s);
    return rc;
}

static int compare(const attractor_args *a, const cfg *c, char *err, size_t errlen)
{
    ckpt_file *cf = NULL;
    cfg saved;
    double theta[ATT_PIXELS + 1];
    att_task shape;
    if (ckpt_open(&cf, a->ckpt, err, errlen) || ckpt_config(cf, &saved, NULL, 0, err, errlen)) {
        ckpt_close(cf);
        return -1;
    }
    int rc = -1;
    shape = (att_task){.net = {.n = ATT_PIXELS}, .evolve = (att_evolve)saved.att.evolve};
    if (saved.task != CFG_TASK_ATTRACTOR || ckpt_n_params(cf) != (long long)att_params(&shape))
        snprintf(err, errlen, "%s: not a run.task = attractor checkpoint (%lld parameters)", a->ckpt, ckpt_n_params(cf));
    else if (saved.att.evolve != c->att.evolve)
        snprintf(err, errlen, "%s: evolved attractor.evolve = %s, %s says %s", a->ckpt,
                 cfg_enum_name("attractor.evolve", saved.att.evolve), c->source,
                 cfg_enum_name("attractor.evolve", c->att.evolve));
    else if (!ckpt_read_coefficients(cf, "current", theta, att_params(&shape), err, errlen))
        rc = 0;
    ckpt_close(cf);
    if (rc) return -1;
    double eta[ATT_PIXELS], beta, mean_log = 0, lo = INFINITY, hi = 0;
    att_rates_from_params(&shape, theta, 1.0, 1.0, eta, &beta);
    for (int i = 0; i < ATT_PIXELS; i++) {
        mean_log += log(eta[i]) / ATT_PIXELS;
        lo = fmin(lo, eta[i]);
        hi = fmax(hi, eta[i]);
    }
    printf("evolved plasticity of %s (%s): rate factors %.3g to %.3g, geometric mean %.3f; beta factor %.3f\n",
           a->ckpt, cfg_enum_name("attractor.evolve", saved.att.evolve), lo, hi, exp(mean_log), beta);
    printf("%ld episodes (seeds %ld..%ld), %d iterations, %d free runs of %d steps each\n", a->episodes, a->seed,
           a->seed + a->episodes - 1, c->att.iterations, c->att.free_runs, c->att.free_steps);
    printf("%-10s %-10s %8s %8s %8s   %s\n", "plasticity", "sequence", "score", "std", "asym.", "replays");
    for (int which = 0; which < 2; which++) {
        const double *th = which ? theta : NULL;
        const char *who = which ? "evolved" : "uniform";
        if (compare_row(c, who, th, "trained", c->att.sequence, c->att.n_sequence, a->seed, a->episodes, err, errlen) ||
            compare_row(c, who, th, "held-out", c->att.held_out, c->att.n_held_out, a->seed, a->episodes, err, errlen))
            return -1;
    }
    return 0;
}

int cli_attractor(int argc, char **argv)
{
    attractor_args aa = {.episodes = 10};
    const char *pos[1];
    int n_pos, p = cli_parse(&attractor_cmd, argc, argv, attractor_option, &aa, pos, 1, &n_pos);
    if (p) return p > 0 ? CLI_OK : CLI_USAGE;
    if (!n_pos) {
        cli_help(&attractor_cmd, stderr);
        return CLI_USAGE;
    }
    const cli_file in[] = {{"the config", pos[0]}, {"the checkpoint", aa.ckpt}};
    const cli_file out[] = {{"--out", aa.out}};
    if (cli_outputs_apart("attractor", in, 2, out, 1)) return CLI_USAGE;
    if (aa.episodes_given && !aa.ckpt) {
        fprintf(stderr, "hebes attractor: --episodes counts the seeds of a --ckpt comparison; without --ckpt it "
                        "has nothing to count\n");
        return CLI_USAGE;
    }
    if (aa.ckpt && aa.out) {
        fprintf(stderr, "hebes attractor: --out writes a presentation; with --ckpt there is none to write\n");
        return CLI_USAGE;
    }
    char err[2 * CFG_ERR_MAX];
    cfg c;
    if (cfg_load_sets(&c, pos[0], aa.sets, aa.n_sets, err, sizeof err)) {
        fprintf(stderr, "hebes attractor: %s\n", err);
        return CLI_ERROR;
    }
    if (aa.ckpt) {
        if (compare(&aa, &c, err, sizeof err)) {
            fprintf(stderr, "hebes attractor: %s\n", err);
            return CLI_ERROR;
        }
        return CLI_OK;
    }
    presentation *pr = calloc(1, sizeof *pr);
    int rc = CLI_ERROR;
    if (!pr) snprintf(err, sizeof err, "out of memory");
    else if (!present(pr, &c, (uint64_t)aa.seed, c.att.free_runs, err, sizeof err)) {
        print_presentation(pr, &c, aa.seed);
        if (!aa.out || !write_presentation(pr, &c, aa.out, err, sizeof err)) rc = CLI_OK;
        if (aa.out && rc == CLI_OK) printf("written to %s\n", aa.out);
    }
    if (rc != CLI_OK) fprintf(stderr, "hebes attractor: %s\n", err);
    if (pr) {
        att_state_free(&pr->s);
        free(pr->free_run);
        free(pr->labels);
        free(pr);
    }
    return rc;
}
