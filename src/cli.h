/* Command-line front ends. Each returns the process exit code; only main() exits. */
#ifndef HEBES_CLI_H
#define HEBES_CLI_H

#include <stddef.h>

#include "cfg.h"
#include "ckpt.h"

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

/* Model files with their text, packed "path\0xml\0..." in one buffer (it crosses the wire as it
 * is): each path's file, or cf's stored copy (cf may be NULL) when the file is missing or differs
 * from it, which is said on stderr. Paths repeated are packed once. Returns the malloc'd buffer
 * (*len bytes), or NULL with a message. */
char *cli_model_bundle(const char (*paths)[CFG_PATH_MAX], int n, const ckpt_file *cf, const char *who, size_t *len,
                       char *err, size_t errlen);
/* The bundle's entries (pointers into it). */
void cli_bundle_models(const char *bundle, size_t len, ckpt_models *out);
/* The text of each of paths in m (NULL where m has none). */
void cli_models_xml(const ckpt_models *m, const char (*paths)[CFG_PATH_MAX], int n, const char **xml);

int cli_rollout(int argc, char **argv);
int cli_bench(int argc, char **argv);
int cli_train(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_inspect(int argc, char **argv);
int cli_replay(int argc, char **argv);

#endif
