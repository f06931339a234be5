/* hebes train: its options and printing; the run itself is src/run's (run_open) and src/master's (ms_rank_train). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "master.h"

/* The one piece of process-wide mutable state: a signal handler can only set a flag. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static const cli_opt train_opts[] = {
    {"resume", "CKPT", "continue from a checkpoint; its config is used unless CONFIG is given.\n"
                       "Only keys marked 'may change on resume' in docs/config.md may differ."},
    {"auto-resume", NULL, "resume OUT_DIR/NAME/checkpoint.h5 of CONFIG if it exists, else start\n"
                          "(for requeued batch jobs; see slurm/README.md)"},
    {"init-from", "CKPT", "start a new run (CONFIG, its own folder) from the coefficients of another\n"
                          "run's checkpoint (and its observation statistics); same network needed"},
    {"which", "current|best", "which coefficients --init-from takes (default current)"},
    {"verbose", NULL, "the full line per generation (min, lr, sigma, steps, steps/s) and rank 0's\n"
                      "service time; progress.csv has them in any case"},
    CLI_SET_OPT,
    {NULL, NULL, NULL},
};

static const cli_cmd train_cmd = {
    .name = "train",
    .usage = "CONFIG [--set KEY=VALUE ...]\n--resume CHECKPOINT [CONFIG] [--set KEY=VALUE ...]\n"
             "--auto-resume CONFIG [--set KEY=VALUE ...]\n"
             "CONFIG --init-from CHECKPOINT [--which current|best] [--set ...]",
    .about = "Trains with OpenAI-ES on N ranks under mpirun -np N (or srun --mpi=pmix); rank 0 coordinates\n"
             "and rolls out too. Writes OUT_DIR/NAME/{config.json,progress.csv,checkpoint.h5} (see\n"
             "results/README.md). Results are bit-identical for any N and across resumes.",
    .opts = {train_opts},
    .epilog = "SIGUSR1, SIGUSR2, SIGTERM or SIGINT: abandon the generation in flight, write a checkpoint of\n"
              "the last completed generation and exit with code 3 (resume it with --resume). mpirun forwards\n"
              "SIGUSR1/SIGUSR2 and exits 3; after SIGTERM or Ctrl-C mpirun itself exits 1, checkpoint written.\n",
};


typedef struct {
    const char *config, *resume, *init_from, *init_which, *sets[CLI_MAX_SETS];
    int n_sets;
    int auto_resume, verbose;
} train_args;










static int train_option(void *ctx, const char *name, const char *v)
{
    train_args *a = ctx;
    if (!strcmp(name, "set")) return cli_add_set(v, a->sets, &a->n_sets, CLI_MAX_SETS);
    if (!strcmp(name, "auto-resume")) a->auto_resume = 1;
    if (!strcmp(name, "verbose")) a->verbose = 1;
    if (!strcmp(name, "init-from")) a->init_from = v;
    if (!strcmp(name, "resume")) {
        if (a->resume) {
            fprintf(stderr, "hebes train: --resume given twice (%s, then %s)\n", a->resume, v);
            return -1;
        }
        a->resume = v;
    }
    if (!strcmp(name, "which")) return cli_which("train", v, &a->init_which);
    return 0;
}

/* Returns 0 to train, 1 after the help, -1 after a message about a bad command line. */
static int parse(int argc, char **argv, train_args *a)
{
    memset(a, 0, sizeof *a);
    const char *pos[1];
    int n_pos, p = cli_parse(&train_cmd, argc, argv, train_option, a, pos, 1, &n_pos);
    if (p) return p;
    a->config = n_pos ? pos[0] : NULL;
    if ((a->init_from || a->init_which) && (a->resume || !a->config || (a->init_which && !a->init_from))) {
        fprintf(stderr, "hebes train: --init-from CKPT [--which current|best] starts a new run from CONFIG: give "
                        "CONFIG, and no --resume\n");
        return -1;
    }
    if ((a->config || a->resume) && !(a->auto_resume && !a->config)) return 0;
    cli_help(&train_cmd, stderr);
    return -1;
}



/* Parses the command line; under mpirun only the first rank prints help and usage. */
static int parse_once(int argc, char **argv, train_args *a)
{
    int out = -1, errfd = -1, quiet = cli_launch_rank() != 0;
    if (quiet) {
        fflush(stdout);
        fflush(stderr);
        int null = open("/dev/null", O_WRONLY);
        out = dup(1);
        errfd = dup(2);
        dup2(null, 1);
        dup2(null, 2);
        close(null);
    }
    int p = parse(argc, argv, a);
    if (quiet) {
        fflush(stdout);
        fflush(stderr);
        dup2(out, 1);
        dup2(errfd, 2);
        close(out);
        close(errfd);
    }
    return p;
}

/* The stop signals (SIGTERM, SIGUSR1, SIGINT, SIGUSR2) all go to handler. */
static void stop_signals(void (*handler)(int))
{
    struct sigaction sa = {0};
    sa.sa_handler = handler;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
}

/* MPI, the check that the world is what srun launched, and the stop signals. */
static int start(int *argc, char ***argv, int *rank, int *size)
{
    /* The handler goes in before MPI starts, so that a stop signal arriving while a (requeued)
     * job is still starting is kept for rank 0's first poll instead of ending the process by the
     * default action (exit 138, no checkpoint; seen on a real Slurm, slurm/README.md). */
    stop_signals(on_signal);
    proto_init(argc, argv, rank, size);
    /* srun without the MPI plugin Open MPI needs starts N one-rank jobs that would share a folder. */
    const char *step_tasks = getenv("SLURM_STEP_NUM_TASKS");
    if (getenv("SLURM_PROCID") && step_tasks && atoi(step_tasks) != *size) {
        fprintf(stderr,
                "hebes train: srun started %s tasks but they form an MPI world of %d: launch with "
                "srun --mpi=pmix (Debian's Open MPI needs PMIx), or mpirun inside the allocation\n",
                step_tasks, *size);
        return -1;
    }
    /* Signals reach every rank under srun; only rank 0 acts, the others wait for its word. */
    if (*rank != 0) {
        stop_signals(SIG_IGN);
        stop_requested = 0; /* a signal before MPI started is rank 0's to act on */
    }
    return 0;
}



int cli_train(int argc, char **argv)
{
    train_args a;
    int p = parse_once(argc, argv, &a);
    if (p) return p > 0 ? CLI_OK : CLI_USAGE;
    int rank, size;
    if (start(&argc, &argv, &rank, &size)) {
        proto_finalize();
        return CLI_ERROR;
    }
    const run_request rq = {.config = a.config, .resume = a.resume, .init_from = a.init_from,
                            .init_which = a.init_which, .sets = a.sets, .n_sets = a.n_sets,
                            .auto_resume = a.auto_resume};
    run_rank t;
    char err[2 * CFG_ERR_MAX] = "";
    int rc = CLI_ERROR;
    const int opened = run_open(&t, &rq, rank, size, err, sizeof err);
    if (opened) {
        if (opened > 0) printf("hebes train: %s\n", err);
        else if (err[0]) fprintf(stderr, "hebes train: %s\n", err);
        rc = opened > 0 ? CLI_OK : CLI_ERROR;
        goto out;
    }
    const cfg *c = &t.c;
    if (rank == 0) {
        printf("hebes train: %s, %s on %d rank%s, %zu parameters (%s), population %d, generation %lld of %d\n",
               c->name, t.run_dir, size, size > 1 ? "s" : "", t.ts.n_params, task_label(c),
               c->es.population, (long long)t.s.generation, c->generations);
        fflush(stdout);
    }
    ms_outcome o = ms_rank_train(&t, &stop_requested, a.verbose, err, sizeof err);
    if (rank == 0) {
        if (o == MS_FAILED) proto_fatal("hebes train: %s", err);
        const es_state *s = &t.s;
        printf("hebes train: %s at generation %lld: best-ever fitness %.3f (generation %lld), %lld env steps, "
               "%.1f s, %.0f env-steps/s; checkpoint %s/checkpoint.h5\n",
               o == MS_STOPPED                                                   ? "stopped by signal"
               : s->generation < c->generations && run_budget_spent(c, s) ? "finished (run.max_env_steps spent)"
                                                                                 : "finished",
               (long long)s->generation, s->best_fitness,
               (long long)s->best_generation, (long long)s->total_steps, s->elapsed,
               s->elapsed > 0 ? s->total_steps / s->elapsed : 0.0, t.run_dir);
    }
    rc = o == MS_STOPPED ? CLI_INTERRUPTED : o == MS_FINISHED ? CLI_OK : CLI_ERROR;
out:
    run_close(&t);
    proto_finalize();
    return rc;
}
