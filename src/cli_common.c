#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "env.h"

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

char *cli_model_bundle(const char (*paths)[CFG_PATH_MAX], int n, const ckpt_file *cf, const char *who, size_t *len,
                       char *err, size_t errlen)
{
    char *bundle = NULL;
    size_t used = 0;
    for (int i = 0; i < n; i++) {
        int seen = 0;
        for (int k = 0; k < i; k++) seen |= !strcmp(paths[k], paths[i]);
        if (seen) continue;
        const char *stored = cf ? ckpt_model_xml(cf, paths[i]) : NULL;
        char *file = env_read_file(paths[i]);
        const char *xml = file;
        if (stored && (!file || strcmp(file, stored))) {
            fprintf(stderr, "%s: note: %s %s; using the copy stored in the checkpoint\n", who, paths[i],
                    file ? "differs from the run's model" : "not found");
            xml = stored;
        }
        if (!xml) {
            snprintf(err, errlen, "%s: model file cannot be read: %s", paths[i], strerror(errno));
            free(bundle);
            return NULL;
        }
        const size_t lp = strlen(paths[i]) + 1, lx = strlen(xml) + 1;
        char *grown = realloc(bundle, used + lp + lx);
        if (!grown) {
            snprintf(err, errlen, "out of memory for the model files");
            free(file);
            free(bundle);
            return NULL;
        }
        bundle = grown;
        memcpy(bundle + used, paths[i], lp);
        memcpy(bundle + used + lp, xml, lx);
        used += lp + lx;
        free(file);
    }
    *len = used;
    return bundle ? bundle : calloc(1, 1);
}

void cli_bundle_models(const char *bundle, size_t len, ckpt_models *out)
{
    out->n = 0;
    for (size_t at = 0; at < len && out->n < CKPT_MAX_MODELS;) {
        out->path[out->n] = bundle + at;
        at += strlen(bundle + at) + 1;
        out->xml[out->n++] = bundle + at;
        at += strlen(bundle + at) + 1;
    }
}

void cli_models_xml(const ckpt_models *m, const char (*paths)[CFG_PATH_MAX], int n, const char **xml)
{
    for (int i = 0; i < n; i++) {
        xml[i] = NULL;
        for (int k = 0; k < m->n; k++)
            if (!strcmp(m->path[k], paths[i])) xml[i] = m->xml[k];
    }
}
