/* Command-line front ends. Each returns the process exit code; only main() exits. */
#ifndef HEBES_CLI_H
#define HEBES_CLI_H

#include <stdint.h>

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

/* One option of a command: long name, placeholder of its value (NULL: a flag), help text
 * (further lines after "\n"). A command's tables drive both getopt_long and its --help. */
typedef struct {
    const char *name;
    const char *arg;
    const char *help;
} cli_opt;

typedef struct {
    const char *name;        /* "eval": messages read "hebes eval: ..." */
    const char *usage;       /* what follows "usage: hebes NAME " (more forms after "\n") */
    const char *about;       /* paragraph(s) after the usage */
    const cli_opt *opts[3];  /* option tables, each ending with {NULL}; unused entries NULL */
    const char *titles[3];   /* a heading before each table, or NULL */
    const char *epilog;      /* after the options, or NULL */
} cli_cmd;

/* Called for each option given, in order: its name and value (NULL for a flag). Returns 0, or -1
 * after printing why the value is bad. */
typedef int (*cli_on_opt)(void *ctx, const char *name, const char *value);

/* The help generated from cmd's tables. */
void cli_help(const cli_cmd *cmd, FILE *out);
/* getopt_long over argv (argv[0] is the command) with cmd's options (--opt VALUE and --opt=VALUE),
 * plus --help/-h, which prints the help. Positional arguments end up in pos[0 .. *n_pos), at most
 * max_pos. Returns 0 to go on, 1 when the help was printed, -1 after printing what is wrong (an
 * unknown option, a missing value, one positional too many, or on_opt's complaint). */
int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_on_opt on_opt, void *ctx, const char **pos, int max_pos,
              int *n_pos);

/* The --set option of every command that reads a config, and how many a command line may hold. */
#define CLI_MAX_SETS 64
#define CLI_STR_(x) #x
#define CLI_STR(x) CLI_STR_(x)
#define CLI_SET_OPT                                                                                          \
    {"set", "KEY=VALUE", "override a config key, e.g. es.population=64 (repeatable, at most " CLI_STR(CLI_MAX_SETS) ")"}
/* The value of `--which`: current or best; else -1 with a message naming the command. */
int cli_which(const char *cmd, const char *value, const char **which);
/* The value of `--rules`: ant-v5 sets *v5; else -1 with a message naming the command. */
int cli_rules(const char *cmd, const char *value, int *v5);
/* s as one CSV field: in double quotes, with its quotes doubled (RFC 4180), into buf. */
const char *cli_csv_field(const char *s, char *buf, size_t n);
/* Adds a `--set` value: returns 0, or -1 (message printed) for no '=' or more than max_sets. */
int cli_add_set(const char *val, const char **sets, int *n_sets, int max_sets);
/* A file a command reads or writes, named by what it is for messages ("the checkpoint", "--out"). */
typedef struct {
    const char *what, *path; /* path NULL: not given */
} cli_file;
/* Every output must be a file of its own: none may be one of the inputs (the same path, or an
 * existing file with the same device and inode, as a link or another spelling of the path), nor
 * another output. Returns 0, or -1 after printing "hebes CMD: OUTPUT PATH is INPUT PATH: refusing
 * to overwrite it" (a bad command line: nothing was written). */
int cli_outputs_apart(const char *cmd, const cli_file *in, int n_in, const cli_file *out, int n_out);
/* Parses a whole number in [0, 2^64) (an episode seed); prints the error. */
int cli_u64(const char *opt, const char *text, uint64_t *out);
/* Parses a whole number option value; prints the error. */
int cli_long(const char *opt, const char *text, long min, long max, long *out);

/* This process's rank and the job's size as the launcher set them before MPI starts: Open MPI's
 * mpirun (OMPI_COMM_WORLD_*), MPICH's Hydra and Slurm's PMI (PMI_*), PMIx (PMIX_RANK) and srun
 * (SLURM_PROCID); 0 and 1 when started by hand or when the launcher does not say. */
int cli_launch_rank(void);
int cli_launch_size(void);

int cli_rollout(int argc, char **argv);
int cli_bench(int argc, char **argv);
int cli_train(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_inspect(int argc, char **argv);
int cli_replay(int argc, char **argv);
int cli_attractor(int argc, char **argv);

#endif
