#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_take_set(int argc, char **argv, int *i, const char **sets, int *n_sets, int max_sets)
{
    const char *val = NULL;
    if (!strcmp(argv[*i], "--set")) {
        if (*i + 1 >= argc) {
            fprintf(stderr, "hebes: --set needs KEY=VALUE\n");
            return -1;
        }
        val = argv[++*i];
    } else if (!strncmp(argv[*i], "--set=", 6)) {
        val = argv[*i] + 6;
    } else {
        return 0;
    }
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
    return 1;
}

int cli_config(cfg *c, const char *path, const char *const *sets, int n_sets, char *err, size_t errlen)
{
    if (path) {
        if (cfg_read(c, path, err, errlen)) return -1;
    } else {
        cfg_defaults(c);
    }
    for (int i = 0; i < n_sets; i++)
        if (cfg_set(c, sets[i], err, errlen)) return -1;
    /* Validated once, after the overrides: --set can repair what the file says. */
    if (n_sets) {
        char src[sizeof c->source];
        snprintf(src, sizeof src, "%.*s with --set", (int)sizeof c->source - 16, c->source);
        snprintf(c->source, sizeof c->source, "%s", src);
    }
    return cfg_validate(c, err, errlen);
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
