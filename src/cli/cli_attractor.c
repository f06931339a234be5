/* hebes attractor: the free-energy attractor network's sequence experiment (docs/attractor.md), and
 * the evaluation of plasticity that ES evolved for it (run.task = attractor). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "att_task.h"
#include "ckpt.h"
#include "cli.h"
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

static void print_presentation(const task_presentation *p, const cfg *c, long seed)
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

/* One row of the comparison: a plasticity on a sequence over the seeds. */
static int compare_row(const cfg *c, const char *who, const double *theta, const char *seq_name, const int *images,
                       int n_images, long seed, long episodes, char *err, size_t errlen)
{
    task_att_scores sc;
    if (task_attractor_scores(c, theta, images, n_images, seed, episodes, &sc, err, errlen)) return -1;
    printf("%-10s %-10s %8.3f %8.3f %8.3f   %5d of %-5ld\n", who, seq_name, sc.mean, sc.std, sc.asymmetry, sc.replays,
           sc.runs);
    return 0;
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
    task_presentation *pr = calloc(1, sizeof *pr);
    int rc = CLI_ERROR;
    if (!pr) snprintf(err, sizeof err, "out of memory");
    else if (!task_present(pr, &c, (uint64_t)aa.seed, c.att.free_runs, err, sizeof err)) {
        print_presentation(pr, &c, aa.seed);
        if (!aa.out || !task_presentation_write(pr, &c, aa.out, err, sizeof err)) rc = CLI_OK;
        if (aa.out && rc == CLI_OK) printf("written to %s\n", aa.out);
    }
    if (rc != CLI_OK) fprintf(stderr, "hebes attractor: %s\n", err);
    task_presentation_free(pr);
    free(pr);
    return rc;
}
