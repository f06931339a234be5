/* hebes: evolution strategies that meta-learn Hebbian plasticity rules for MuJoCo's Ant. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "env.h"
#include "proto.h"
#include "version.h"

/* MuJoCo's default handler prints "Press Enter to exit" and waits: a job must fail instead. Model
 * files are checked before MuJoCo sees them (env_read_file), so this is the last resort. */
static void mujoco_error(const char *msg)
{
    proto_fatal("MuJoCo: %s", msg);
}

static void usage(FILE *out)
{
    fprintf(out,
            "hebes %s: evolve Hebbian plasticity rules for MuJoCo's Ant with parallel ES\n\n"
            "usage: hebes COMMAND [options]        (hebes COMMAND --help for each)\n\n"
            "  train CONFIG | --resume CKPT      train (run under mpirun -np N for N ranks)\n"
            "  eval CKPT                         mean +- std fitness per model, how episodes ended, video\n"
            "  inspect CKPT                      human summary of a checkpoint\n"
            "  rollout [CONFIG]                  one episode; prints fitness, steps and how it ended; video\n"
            "  replay TRACE                      check a recorded episode replays exactly; film it\n"
            "  attractor CONFIG                  free-energy attractor network: learn a sequence, find its attractors\n"
            "  bench [CONFIG]                    physics-only vs full rollout throughput, policy step time\n"
            "  config-docs                       the table of every config key (docs/config.md)\n"
            "  --version, --help\n\n"
            "exit codes: 0 ok, 1 error, 2 bad command line, 3 interrupted by a signal after a checkpoint\n",
            HEBES_VERSION);
}

static const cli_opt no_opts[] = {{NULL, NULL, NULL}};
static const cli_cmd docs_cmd = {
    .name = "config-docs",
    .usage = "",
    .about = "Prints the Markdown table of every config key (docs/config.md).",
    .opts = {no_opts},
};

static int no_option(void *ctx, const char *name, const char *value)
{
    (void)ctx, (void)name, (void)value;
    return 0;
}

static int config_docs(int argc, char **argv)
{
    int n_pos, p = cli_parse(&docs_cmd, argc, argv, no_option, NULL, NULL, 0, &n_pos);
    if (p) return p > 0 ? CLI_OK : CLI_USAGE;
    cfg_print_docs(stdout);
    return CLI_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    env_mujoco_handlers(mujoco_error);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("hebes %s (MuJoCo %s)\n", HEBES_VERSION, env_engine_version());
        return CLI_OK;
    }
    if (!strcmp(cmd, "train")) return cli_train(argc - 1, argv + 1);
    if (strcmp(cmd, "bench") && (cli_launch_size() > 1 || cli_launch_rank() > 0)) {
        /* Each rank would run the whole command and write its files: one process is meant. */
        if (cli_launch_rank() == 0)
            fprintf(stderr, "hebes %s runs in one process: start it without mpirun or srun (only train and bench "
                            "use several ranks)\n", cmd);
        return CLI_USAGE;
    }
    if (!strcmp(cmd, "eval")) return cli_eval(argc - 1, argv + 1);
    if (!strcmp(cmd, "inspect")) return cli_inspect(argc - 1, argv + 1);
    if (!strcmp(cmd, "rollout")) return cli_rollout(argc - 1, argv + 1);
    if (!strcmp(cmd, "bench")) return cli_bench(argc - 1, argv + 1);
    if (!strcmp(cmd, "replay")) return cli_replay(argc - 1, argv + 1);
    if (!strcmp(cmd, "attractor")) return cli_attractor(argc - 1, argv + 1);
    if (!strcmp(cmd, "config-docs")) return config_docs(argc - 1, argv + 1);
    fprintf(stderr, "hebes: unknown command '%s' (try hebes --help)\n", cmd);
    return CLI_USAGE;
}
