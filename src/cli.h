/* Command-line front ends. Each returns the process exit code; only main() exits. */
#ifndef HEBES_CLI_H
#define HEBES_CLI_H

#include <stddef.h>

#include "cfg.h"

/* Exit codes (documented in README.md). */
enum {
    CLI_OK = 0,
    CLI_ERROR = 1,      /* bad input or a failure, with a message on stderr */
    CLI_USAGE = 2,      /* bad command line */
    CLI_INTERRUPTED = 3 /* stopped by SIGTERM/SIGUSR1/SIGINT after writing a checkpoint: resume it */
};

/* Collects `--set KEY=VALUE` (also `--set=KEY=VALUE`): returns 1 if argv[*i] was one, 0 if not,
 * -1 (message printed; a bad command line) for a missing value, no '=' or more than max_sets. */
int cli_take_set(int argc, char **argv, int *i, const char **sets, int *n_sets, int max_sets);
/* Loads path (or defaults when NULL), applies sets, validates. */
int cli_config(cfg *c, const char *path, const char *const *sets, int n_sets, char *err, size_t errlen);
/* Parses a whole number option value; prints the error. */
int cli_long(const char *opt, const char *text, long min, long max, long *out);

int cli_rollout(int argc, char **argv);
int cli_bench(int argc, char **argv);
int cli_train(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_inspect(int argc, char **argv);
int cli_replay(int argc, char **argv);

#endif
