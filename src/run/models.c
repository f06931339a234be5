/* The model files a run uses, read once on rank 0 and packed for the wire: each file, or a
 * checkpoint's stored copy where the file is missing or differs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

char *run_model_bundle(const char (*paths)[CFG_PATH_MAX], int n, const ckpt_file *cf, const char *who, size_t *len,
                       char *err, size_t errlen)
{
    char *bundle = NULL;
    size_t used = 0;
    for (int i = 0; i < n; i++) {
        int seen = 0;
        for (int k = 0; k < i; k++) seen |= !strcmp(paths[k], paths[i]);
        if (seen) continue;
        const char *stored = cf ? ckpt_model_xml(cf, paths[i]) : NULL;
        char read_err[CFG_PATH_MAX + 128] = "";
        char *file = env_read_file(paths[i], read_err, sizeof read_err);
        const char *xml = file;
        if (stored && (!file || strcmp(file, stored))) {
            fprintf(stderr, "%s: note: %s %s; using the copy stored in the checkpoint\n", who, paths[i],
                    file ? "differs from the run's model" : "not found");
            xml = stored;
        }
        if (!xml) {
            snprintf(err, errlen, "%s", read_err);
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

void run_bundle_models(const char *bundle, size_t len, ckpt_models *out)
{
    out->n = 0;
    for (size_t at = 0; at < len && out->n < CKPT_MAX_MODELS;) {
        out->path[out->n] = bundle + at;
        at += strlen(bundle + at) + 1;
        out->xml[out->n++] = bundle + at;
        at += strlen(bundle + at) + 1;
    }
}

void run_models_xml(const ckpt_models *m, const char (*paths)[CFG_PATH_MAX], int n, const char **xml)
{
    for (int i = 0; i < n; i++) {
        xml[i] = NULL;
        for (int k = 0; k < m->n; k++)
            if (!strcmp(m->path[k], paths[i])) xml[i] = m->xml[k];
    }
}
