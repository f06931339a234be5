#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "env.h"

void cli_help(const cli_cmd *cmd, FILE *out)
{
    fprintf(out, "usage: hebes %s ", cmd->name);
    for (const char *u = cmd->usage; *u; u++) {
        fputc(*u, out);
        if (*u == '\n') fprintf(out, "       hebes %s ", cmd->name);
    }
    fprintf(out, "\n\n%s\n", cmd->about);
    for (int t = 0; t < 3 && cmd->opts[t]; t++) {
        if (cmd->titles[t]) fprintf(out, "\n%s\n", cmd->titles[t]);
        else if (t == 0) fprintf(out, "\n");
        for (const cli_opt *o = cmd->opts[t]; o->name; o++) {
            char head[64];
            snprintf(head, sizeof head, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
            fprintf(out, "  %-26s ", head);
            for (const char *h = o->help; *h; h++) {
                fputc(*h, out);
                if (*h == '\n') fprintf(out, "  %-26s ", "");
            }
            fprintf(out, "\n");
        }
    }
    if (cmd->epilog) fprintf(out, "\n%s", cmd->epilog);
}

int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_on_opt on_opt, void *ctx, const char **pos, int max_pos,
              int *n_pos)
{
    enum { MAX = 48, FIRST = 256 };
    struct option lo[MAX + 2];
    const cli_opt *by[MAX];
    int n = 0;
    for (int t = 0; t < 3 && cmd->opts[t]; t++)
        for (const cli_opt *o = cmd->opts[t]; o->name && n < MAX; o++) {
            lo[n] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL, FIRST + n};
            by[n++] = o;
        }
    lo[n++] = (struct option){"help", no_argument, NULL, 'h'};
    lo[n] = (struct option){0};
    optind = 0; /* glibc: a full reset, as each command parses once */
    opterr = 0;
    *n_pos = 0;
    for (int c; (c = getopt_long(argc, argv, ":h", lo, NULL)) != -1;) {
        if (c == 'h') {
            cli_help(cmd, stdout);
            return 1;
        }
        if (c == '?' || c == ':') {
            fprintf(stderr, c == '?' ? "hebes %s: unexpected argument '%s' (see --help)\n"
                                     : "hebes %s: %s needs a value (see --help)\n",
                    cmd->name, argv[optind - 1]);
            return -1;
        }
        if (on_opt(ctx, by[c - FIRST]->name, optarg)) return -1;
    }
    for (int i = optind; i < argc; i++) {
        if (*n_pos == max_pos) {
            fprintf(stderr, "hebes %s: unexpected argument '%s' (see --help)\n", cmd->name, argv[i]);
            return -1;
        }
        pos[(*n_pos)++] = argv[i];
    }
    return 0;
}

int cli_which(const char *cmd, const char *value, const char **which)
{
    if (strcmp(value, "best") && strcmp(value, "current")) {
        fprintf(stderr, "hebes %s: --which takes current or best, not '%s'\n", cmd, value);
        return -1;
    }
    *which = value;
    return 0;
}

/* The first of the variables that is set, as a number; fallback when none is. */
static int env_number(const char *const *names, int fallback)
{
    for (; *names; names++) {
        const char *v = getenv(*names);
        if (v && *v) return atoi(v);
    }
    return fallback;
}

int cli_launch_rank(void)
{
    static const char *const names[] = {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK", "SLURM_PROCID", NULL};
    return env_number(names, 0);
}

int cli_launch_size(void)
{
    static const char *const names[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", NULL};
    return env_number(names, 1);
}

/* The same file: the same path, or both exist with the same device and inode. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (!strcmp(a, b)) return 1;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cli_outputs_apart(const char *cmd, const cli_file *in, int n_in, const cli_file *out, int n_out)
{
    for (int o = 0; o < n_out; o++) {
        if (!out[o].path) continue;
        for (int i = 0; i < n_in; i++)
            if (in[i].path && same_file(out[o].path, in[i].path)) {
                fprintf(stderr, "hebes %s: %s %s is %s %s: refusing to overwrite it\n", cmd, out[o].what, out[o].path,
                        in[i].what, in[i].path);
                return -1;
            }
        for (int k = 0; k < o; k++)
            if (out[k].path && same_file(out[o].path, out[k].path)) {
                fprintf(stderr, "hebes %s: %s %s is also %s: two outputs cannot share a file\n", cmd, out[o].what,
                        out[o].path, out[k].what);
                return -1;
            }
    }
    return 0;
}

const char *cli_csv_field(const char *s, char *buf, size_t n)
{
    size_t k = 0;
    if (n < 3) return "";
    buf[k++] = '"';
    for (; *s && k + 3 < n; s++) {
        if (*s == '"') buf[k++] = '"';
        buf[k++] = *s;
    }
    buf[k++] = '"';
    buf[k] = 0;
    return buf;
}

int cli_rules(const char *cmd, const char *value, int *v5)
{
    /* v5: the v5 rules of the config's env.body; ant-v5, the Ant's name for them, kept */
    if (strcmp(value, "ant-v5") && strcmp(value, "v5")) {
        fprintf(stderr, "hebes %s: --rules takes v5 or ant-v5 (Gymnasium's v5 reward and termination of env.body), "
                        "not '%s'\n", cmd, value);
        return -1;
    }
    *v5 = 1;
    return 0;
}

int cli_add_set(const char *val, const char **sets, int *n_sets, int max_sets)
{
    const char *eq = strchr(val, '=');
    if (!eq || eq == val) {
        fprintf(stderr, "hebes: --set %s: expected KEY=VALUE\n", val);
        return -1;
    }
    if (*n_sets >= max_sets) {
        fprintf(stderr, "hebes: more than %d --set options\n", max_sets);
        return -1;
    }
    sets[(*n_sets)++] = val;
    return 0;
}

int cli_u64(const char *opt, const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    /* strtoull would take "-1" as 2^64 - 1: digits only */
    const int digits = text && *text >= '0' && *text <= '9';
    unsigned long long v = digits ? strtoull(text, &end, 10) : 0;
    if (!digits || errno || *end) {
        fprintf(stderr, "hebes: %s needs a whole number in [0, 18446744073709551615], got '%s'\n", opt,
                text ? text : "(nothing)");
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

int cli_long(const char *opt, const char *text, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = text ? strtol(text, &end, 10) : 0;
    if (!text || errno || *end || end == text || v < min || v > max) {
        fprintf(stderr, "hebes: %s needs a whole number in [%ld, %ld], got '%s'\n", opt, min, max,
                text ? text : "(nothing)");
        return -1;
    }
    *out = v;
    return 0;
}

