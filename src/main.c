/* hebes: evolution strategies that meta-learn Hebbian plasticity rules for MuJoCo's Ant. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "version.h"

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
            "  bench [CONFIG]                    physics-only vs full rollout throughput, policy step time\n"
            "  config-docs                       the table of every config key (docs/config.md)\n"
            "  --version, --help\n\n"
            "exit codes: 0 ok, 1 error, 2 bad command line, 3 interrupted by a signal after a checkpoint\n",
            HEBES_VERSION);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("hebes %s\n", HEBES_VERSION);
        return CLI_OK;
    }
    if (!strcmp(cmd, "train")) return cli_train(argc - 1, argv + 1);
    if (!strcmp(cmd, "eval")) return cli_eval(argc - 1, argv + 1);
    if (!strcmp(cmd, "inspect")) return cli_inspect(argc - 1, argv + 1);
    if (!strcmp(cmd, "rollout")) return cli_rollout(argc - 1, argv + 1);
    if (!strcmp(cmd, "bench")) return cli_bench(argc - 1, argv + 1);
    if (!strcmp(cmd, "replay")) return cli_replay(argc - 1, argv + 1);
    if (!strcmp(cmd, "config-docs")) {
        if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
            printf("usage: hebes config-docs\n\nPrints the Markdown table of every config key (docs/config.md).\n");
            return CLI_OK;
        }
        if (argc > 2) {
            fprintf(stderr, "hebes config-docs: unexpected argument '%s' (it takes none)\n", argv[2]);
            return CLI_USAGE;
        }
        cfg_print_docs(stdout);
        return CLI_OK;
    }
    fprintf(stderr, "hebes: unknown command '%s' (try hebes --help)\n", cmd);
    return CLI_USAGE;
}
