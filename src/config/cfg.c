#include "cfg.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "env.h"

#define AT(c, k) ((char *)(c) + (k)->off)

static const cfg_key *find_key(const char *path)
{
    for (size_t i = 0; i < cfg_n_keys; i++)
        if (strcmp(cfg_keys[i].path, path) == 0) return &cfg_keys[i];
    return NULL;
}

static int is_section(const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < cfg_n_keys; i++)
        if (strncmp(cfg_keys[i].path, prefix, n) == 0 && cfg_keys[i].path[n] == '.') return 1;
    return 0;
}

__attribute__((format(printf, 5, 6))) static int fail(char *err, size_t errlen, const char *src, const char *key, const char *fmt, ...)
{
    char msg[CFG_ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "%s: %s: %s", src, key, msg);
    return -1;
}

static const char *json_type(const cJSON *v)
{
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    if (cJSON_IsNull(v)) return "null";
    return "invalid";
}

static int number_in(const cfg_key *k, const cJSON *v, int integral, const char *src, const char *path,
                     double *out, char *err, size_t errlen)
{
    if (!cJSON_IsNumber(v))
        return fail(err, errlen, src, path, "expected %s, got %s", integral ? "an integer" : "a number",
                    json_type(v));
    double x = v->valuedouble;
    if (!isfinite(x)) return fail(err, errlen, src, path, "must be finite");
    if (integral && x != floor(x)) return fail(err, errlen, src, path, "expected an integer, got %g", x);
    if (x < k->min || x > k->max)
        return fail(err, errlen, src, path, "%.15g is out of range [%g, %g]", x, k->min, k->max);
    *out = x;
    return 0;
}

/* One case per kind of key, kept in one switch so that every kind reads in one place (68 lines). */
static int apply(cfg *c, const cfg_key *k, const cJSON *v, const char *src, char *err, size_t errlen)
{
    double x;
    switch (k->kind) {
    case CFG_INT:
        if (number_in(k, v, 1, src, k->path, &x, err, errlen)) return -1;
        *(int *)AT(c, k) = (int)x;
        return 0;
    case CFG_INT64:
        if (number_in(k, v, 1, src, k->path, &x, err, errlen)) return -1;
        *(int64_t *)AT(c, k) = (int64_t)x;
        return 0;
    case CFG_DOUBLE:
        if (number_in(k, v, 0, src, k->path, &x, err, errlen)) return -1;
        *(double *)AT(c, k) = x;
        return 0;
    case CFG_BOOL:
        if (!cJSON_IsBool(v)) return fail(err, errlen, src, k->path, "expected true or false, got %s", json_type(v));
        *(int *)AT(c, k) = cJSON_IsTrue(v);
        return 0;
    case CFG_STRING:
        if (!cJSON_IsString(v)) return fail(err, errlen, src, k->path, "expected a string, got %s", json_type(v));
        if (strlen(v->valuestring) >= k->size || !v->valuestring[0])
            return fail(err, errlen, src, k->path, "must have 1 to %zu characters", k->size - 1);
        strcpy(AT(c, k), v->valuestring);
        return 0;
    case CFG_ENUM:
        if (cJSON_IsString(v))
            for (int i = 0; i < k->n_names; i++)
                if (strcmp(v->valuestring, k->names[i]) == 0) {
                    *(int *)AT(c, k) = i;
                    return 0;
                }
        {
            char list[512] = "";
            for (int i = 0; i < k->n_names; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", k->names[i]);
            if (!cJSON_IsString(v)) return fail(err, errlen, src, k->path, "expected one of %s, got %s", list, json_type(v));
            return fail(err, errlen, src, k->path, "'%s' is not one of %s", v->valuestring, list);
        }
    case CFG_INT_LIST:
    case CFG_STRING_LIST: {
        int n = cJSON_GetArraySize(v);
        if (!cJSON_IsArray(v)) return fail(err, errlen, src, k->path, "expected an array, got %s", json_type(v));
        if (n < 1 || n > k->max_count)
            return fail(err, errlen, src, k->path, "needs 1 to %d items, got %d", k->max_count, n);
        int i = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, v) {
            char item[300];
            snprintf(item, sizeof item, "%s[%d]", k->path, i);
            if (k->kind == CFG_INT_LIST) {
                if (number_in(k, e, 1, src, item, &x, err, errlen)) return -1;
                ((int *)AT(c, k))[i] = (int)x;
            } else {
                if (!cJSON_IsString(e)) return fail(err, errlen, src, item, "expected a string, got %s", json_type(e));
                if (strlen(e->valuestring) >= k->size || !e->valuestring[0])
                    return fail(err, errlen, src, item, "must have 1 to %zu characters", k->size - 1);
                strcpy(AT(c, k) + (size_t)i * k->size, e->valuestring);
            }
            i++;
        }
        *(int *)((char *)c + k->count_off) = n;
        return 0;
    }
    }
    return -1;
}

void cfg_defaults(cfg *c)
{
    char err[CFG_ERR_MAX];
    memset(c, 0, sizeof *c);
    strcpy(c->source, "(defaults)");
    for (size_t i = 0; i < cfg_n_keys; i++) {
        cJSON *v = cJSON_Parse(cfg_keys[i].def);
        /* Defaults are ours: a bad one is a bug that the config test catches. */
        if (!v || apply(c, &cfg_keys[i], v, "(defaults)", err, sizeof err)) {
            fprintf(stderr, "hebes: bad default for %s\n", cfg_keys[i].path);
            abort();
        }
        cJSON_Delete(v);
    }
}

static int walk(cfg *c, const cJSON *obj, const char *prefix, const char *src, char *err, size_t errlen)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, obj) {
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "", v->string);
        /* cJSON keeps both of a repeated key; a strict config has one of each. */
        for (const cJSON *w = obj->child; w != v; w = w->next)
            if (!strcmp(w->string, v->string))
                return fail(err, errlen, src, path, "given twice in the same object (one of each key)");
        const cfg_key *k = find_key(path);
        if (k) {
            if (apply(c, k, v, src, err, errlen)) return -1;
        } else if (cJSON_IsObject(v) && is_section(path)) {
            if (walk(c, v, path, src, err, errlen)) return -1;
        } else if (path[0] == '_' || strstr(path, "._")) {
            continue; /* keys starting with '_' are comments */
        } else {
            return fail(err, errlen, src, path, "unknown key (see docs/config.md)");
        }
    }
    return 0;
}

/* "line L, column C" of pos in text (columns count bytes from 1). */
static void where(const char *text, const char *pos, char *out, size_t outlen)
{
    int line = 1;
    const char *line_start = text;
    for (const char *p = text; p < pos && *p; p++)
        if (*p == '\n') {
            line++;
            line_start = p + 1;
        }
    snprintf(out, outlen, "line %d, column %d", line, (int)(pos - line_start) + 1);
}

/* Why cJSON stopped at *pos, for the common mistakes; may move *pos to the culprit (cJSON
 * reports a trailing comma at the outermost bracket it unwound to). */
static const char *parse_reason(const char *text, const char **posp, char *buf, size_t buflen)
{
    const char *pos = *posp, *q = pos;
    while (q > text && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\n' || q[-1] == '\r')) q--;
    if (*pos == '/') return "comments are not JSON";
    if (*pos == '}' || *pos == ']') {
        const char *b = pos;
        while (b > text && strchr(" \t\r\n}]", b[-1])) b--;
        if (b > text && b[-1] == ',') {
            *posp = b - 1;
            return "a trailing comma before a closing bracket";
        }
    }
    if (*pos == '\'') return "strings need double quotes";
    if (!*pos) return "the text ends too early (an unclosed { or [, or a missing value?)";
    if (*pos == '"' && q > text && (q[-1] == '"' || q[-1] == '}' || q[-1] == ']' || (q[-1] >= '0' && q[-1] <= '9')))
        return "a missing comma between members";
    snprintf(buf, buflen, "unexpected character '%c'", *pos);
    return buf;
}

/* What cJSON lets pass: \u escapes that are not four hex digits (it truncates the string there)
 * and escaped NULs (which end C strings). */
static int check_escapes(const char *text, const char *source, char *err, size_t errlen)
{
    int in_string = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '"') {
            in_string = !in_string;
        } else if (in_string && *p == '\\') {
            if (p[1] == 'u') {
                int hex = 1;
                for (int i = 2; i < 6; i++)
                    hex = hex && ((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f') ||
                                  (p[i] >= 'A' && p[i] <= 'F'));
                char at[64];
                where(text, p, at, sizeof at);
                if (!hex) {
                    snprintf(err, errlen, "%s: %s: invalid \\u escape (needs four hex digits)", source, at);
                    return -1;
                }
                if (!strncmp(p + 2, "0000", 4)) {
                    snprintf(err, errlen, "%s: %s: an escaped NUL (\\u0000) cannot be part of a config string", source,
                             at);
                    return -1;
                }
            }
            if (p[1]) p++; /* skip the escaped character */
        }
    }
    return 0;
}

int cfg_read_text(cfg *c, const char *text, const char *source, char *err, size_t errlen)
{
    cfg_defaults(c);
    snprintf(c->source, sizeof c->source, "%s", source);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (!root) {
        char at[64] = "", why[64];
        const char *reason = end ? parse_reason(text, &end, why, sizeof why) : "cJSON gave no position";
        if (end) where(text, end, at, sizeof at);
        snprintf(err, errlen, "%s: %s: not valid JSON: %s", source, at[0] ? at : "somewhere", reason);
        return -1;
    }
    if (check_escapes(text, source, err, errlen)) {
        cJSON_Delete(root);
        return -1;
    }
    int rc = -1;
    if (!cJSON_IsObject(root))
        snprintf(err, errlen, "%s: the top level must be a JSON object", source);
    else
        rc = walk(c, root, "", source, err, errlen);
    cJSON_Delete(root);
    return rc;
}

int cfg_load_text(cfg *c, const char *text, const char *source, char *err, size_t errlen)
{
    return cfg_read_text(c, text, source, err, errlen) ? -1 : cfg_validate(c, err, errlen);
}

int cfg_load(cfg *c, const char *path, char *err, size_t errlen)
{
    return cfg_read(c, path, err, errlen) ? -1 : cfg_validate(c, err, errlen);
}

/* A relative model path in a config file names a file next to the config when there is one there
 * (a config and its models travel together); otherwise it is taken from the working folder, as
 * the shipped configs, written from the repository's root, take "envs/ant.xml". */
static void resolve_list(char (*paths)[CFG_PATH_MAX], int n, const char *dir)
{
    for (int i = 0; i < n; i++) {
        char joined[2 * CFG_PATH_MAX + 2];
        if (paths[i][0] == '/' || !paths[i][0]) continue;
        snprintf(joined, sizeof joined, "%s/%s", dir, paths[i]);
        if (strlen(joined) < CFG_PATH_MAX && access(joined, R_OK) == 0) snprintf(paths[i], CFG_PATH_MAX, "%s", joined);
    }
}

static void resolve_models(cfg *c, const char *config_path)
{
    char dir[CFG_PATH_MAX];
    const char *slash = strrchr(config_path, '/');
    if (!slash) return; /* the config is in the working folder: nothing to resolve */
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - config_path), config_path);
    resolve_list(c->models, c->n_models, dir);
    resolve_list(c->eval_models, c->n_eval_models, dir);
}

int cfg_read(cfg *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, n = 0;
    char *text = malloc(cap);
    size_t got;
    while (text && (got = fread(text + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *bigger = realloc(text, cap *= 2);
            if (!bigger) free(text);
            text = bigger;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!text || bad) {
        free(text);
        snprintf(err, errlen, "%s: cannot read", path);
        return -1;
    }
    text[n] = 0;
    const char *nul = memchr(text, 0, n);
    if (n >= 8 && !memcmp(text, "\x89HDF\r\n\x1a\n", 8)) { /* the HDF5 signature */
        snprintf(err, errlen,
                 "%s: an HDF5 file (a checkpoint or a trace?), not a JSON config: resume a checkpoint with "
                 "`hebes train --resume %s`",
                 path, path);
        free(text);
        return -1;
    }
    if (nul) {
        char at[64];
        where(text, nul, at, sizeof at);
        snprintf(err, errlen, "%s: %s: a NUL byte (is it a text file?)", path, at);
        free(text);
        return -1;
    }
    int rc = cfg_read_text(c, text, path, err, errlen);
    free(text);
    if (!rc) resolve_models(c, path);
    return rc;
}

int cfg_load_sets(cfg *c, const char *path, const char *const *sets, int n_sets, char *err, size_t errlen)
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

int cfg_set(cfg *c, const char *assignment, char *err, size_t errlen)
{
    const char *eq = strchr(assignment, '=');
    char path[256];
    if (!eq || eq == assignment || (size_t)(eq - assignment) >= sizeof path)
        return fail(err, errlen, "--set", assignment, "expected KEY=VALUE");
    memcpy(path, assignment, (size_t)(eq - assignment));
    path[eq - assignment] = 0;
    const cfg_key *k = find_key(path);
    if (!k) return fail(err, errlen, "--set", path, "unknown key (see docs/config.md)");
    cJSON *v = cJSON_Parse(eq + 1);
    if (!v) v = cJSON_CreateString(eq + 1); /* bare words: --set net.rule=ABCD */
    int rc = apply(c, k, v, "--set", err, errlen);
    cJSON_Delete(v);
    return rc;
}

const char *cfg_enum_name(const char *path, int v)
{
    const cfg_key *k = find_key(path);
    return k && k->kind == CFG_ENUM && v >= 0 && v < k->n_names ? k->names[v] : "?";
}

/* The key that "key=value" names, or NULL. */
static const cfg_key *assigned_key(const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    char path[256];
    size_t n = eq ? (size_t)(eq - assignment) : strlen(assignment);
    if (n >= sizeof path) return NULL;
    memcpy(path, assignment, n);
    path[n] = 0;
    return find_key(path);
}

int cfg_set_eval_ok(const char *assignment)
{
    const cfg_key *k = assigned_key(assignment);
    return k ? k->resume_ok || k->eval_ok : -1;
}

void cfg_rules_v5(cfg *c, const char *const *sets, int n_sets, const char *length_key)
{
    const int steps = c->env.max_steps;
    const size_t n = strlen(length_key);
    env_spec_v5(&c->env);
    for (int i = 0; i < n_sets; i++)
        if (!strncmp(sets[i], length_key, n) && sets[i][n] == '=') c->env.max_steps = steps;
}

void cfg_for_eval(cfg *c)
{
    if (c->eval_max_steps > 0) c->env.max_steps = c->eval_max_steps;
}

int cfg_validate(const cfg *c, char *err, size_t errlen)
{
    if (cfg_validate_keys(c, err, errlen)) return -1;
    const char *s = c->source;
    if (c->task == CFG_TASK_ANT) {
        for (int i = 0; i < c->n_models + c->n_eval_models; i++) {
            const char *path = i < c->n_models ? c->models[i] : c->eval_models[i - c->n_models];
            char file[CFG_PATH_MAX + 512];
            const char *why = env_resolve_model(path, file, sizeof file) ? "no Gymnasium models found (set "
                              "HEBES_GYM_ASSETS, or run scripts/install-deps.sh)"
                              : access(file, R_OK) ? strerror(errno) : NULL;
            if (why)
                return fail(err, errlen, s, i < c->n_models ? "env.models" : "env.eval_models",
                            "model file '%s' cannot be read: %s", path, why);
        }
    }
    return 0;
}

int cfg_validate_keys(const cfg *c, char *err, size_t errlen)
{
    const char *s = c->source;
    if (c->es.population % 2)
        return fail(err, errlen, s, "es.population", "must be even for mirrored sampling (got %d)", c->es.population);
    if (c->env.healthy_z_min >= c->env.healthy_z_max)
        return fail(err, errlen, s, "env.healthy_z_max", "must be above env.healthy_z_min");
    if (c->bodies_per_gen > c->n_models)
        return fail(err, errlen, s, "env.bodies_per_generation", "%d bodies a generation, but env.models has %d",
                    c->bodies_per_gen, c->n_models);
    if (c->eval_every > 0 && c->task != CFG_TASK_ANT)
        return fail(err, errlen, s, "run.eval_every", "evaluation during training needs run.task = ant");
    if (c->net.w_min > c->net.w_max)
        return fail(err, errlen, s, "net.w_max", "must not be below net.w_min");
    if (c->net.stp_u > 0 && c->net.stp_u < 1e-3)
        return fail(err, errlen, s, "net.stp_u",
                    "must be 0 (off) or at least 1e-3: the efficacy u x / U divides by it (got %g)", c->net.stp_u);
    if (c->net.homeo_rate > 0 && c->net.rule == HEB_STATIC)
        return fail(err, errlen, s, "net.homeo_rate",
                    "scales plastic weights: with the static rule the weights are the evolved parameters");
    if (c->net.plastic_steps > 0 && c->net.rule == HEB_STATIC)
        return fail(err, errlen, s, "net.plastic_steps",
                    "limits when the network changes: with the static rule it never does");
    if (!c->name[0] || !strcmp(c->name, ".") || !strcmp(c->name, "..") || strchr(c->name, '/'))
        return fail(err, errlen, s, "run.name", "must be one plain folder name (not empty, '.', '..', or with '/')");
    return 0;
}

static cJSON *to_json_value(const cfg *c, const cfg_key *k)
{
    const char *p = (const char *)c + k->off;
    switch (k->kind) {
    case CFG_INT: return cJSON_CreateNumber(*(const int *)p);
    case CFG_INT64: return cJSON_CreateNumber((double)*(const int64_t *)p);
    case CFG_DOUBLE: return cJSON_CreateNumber(*(const double *)p);
    case CFG_BOOL: return cJSON_CreateBool(*(const int *)p);
    case CFG_STRING: return cJSON_CreateString(p);
    case CFG_ENUM: return cJSON_CreateString(k->names[*(const int *)p]);
    case CFG_INT_LIST: return cJSON_CreateIntArray((const int *)p, *(const int *)((const char *)c + k->count_off));
    case CFG_STRING_LIST: {
        cJSON *a = cJSON_CreateArray();
        int n = *(const int *)((const char *)c + k->count_off);
        for (int i = 0; i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateString(p + (size_t)i * k->size));
        return a;
    }
    }
    return cJSON_CreateNull();
}

char *cfg_to_json(const cfg *c)
{
    cJSON *root = cJSON_CreateObject();
    for (size_t i = 0; i < cfg_n_keys; i++) {
        const cfg_key *k = &cfg_keys[i];
        char section[64];
        const char *dot = strchr(k->path, '.');
        snprintf(section, sizeof section, "%.*s", (int)(dot - k->path), k->path);
        cJSON *sec = cJSON_GetObjectItemCaseSensitive(root, section);
        if (!sec) sec = cJSON_AddObjectToObject(root, section);
        cJSON_AddItemToObject(sec, dot + 1, to_json_value(c, k));
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}

int cfg_resume_conflicts(const cfg *saved, const cfg *now, char *err, size_t errlen)
{
    int n = 0;
    err[0] = 0;
    for (size_t i = 0; i < cfg_n_keys; i++) {
        const cfg_key *k = &cfg_keys[i];
        if (k->resume_ok) continue;
        cJSON *a = to_json_value(saved, k), *b = to_json_value(now, k);
        if (!cJSON_Compare(a, b, 1)) {
            char *ta = cJSON_PrintUnformatted(a), *tb = cJSON_PrintUnformatted(b);
            size_t used = strlen(err);
            snprintf(err + used, errlen - used, "%s%s: checkpoint has %s, config has %s", n ? "; " : "", k->path, ta,
                     tb);
            free(ta);
            free(tb);
            n++;
        }
        cJSON_Delete(a);
        cJSON_Delete(b);
    }
    return n;
}

static const char *kind_name(cfg_kind k)
{
    static const char *const n[] = {"integer", "integer", "number", "boolean", "string", "string", "integer array",
                                    "string array"};
    return n[k];
}

void cfg_print_docs(FILE *out)
{
    fprintf(out, "| key | type | default | range / values | may change on resume | meaning |\n");
    fprintf(out, "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < cfg_n_keys; i++) {
        const cfg_key *k = &cfg_keys[i];
        char range[512] = "";
        if (k->kind == CFG_ENUM) {
            for (int j = 0; j < k->n_names; j++)
                snprintf(range + strlen(range), sizeof range - strlen(range), "%s`%s`", j ? ", " : "", k->names[j]);
        } else if (k->kind == CFG_INT || k->kind == CFG_INT64 || k->kind == CFG_DOUBLE || k->kind == CFG_INT_LIST) {
            snprintf(range, sizeof range, "%g .. %g%s", k->min, k->max,
                     k->kind == CFG_INT_LIST ? " each" : "");
        } else if (k->kind == CFG_STRING_LIST) {
            snprintf(range, sizeof range, "1 .. %d files", k->max_count);
        }
        fprintf(out, "| `%s` | %s | `%s` | %s | %s | %s |\n", k->path, kind_name(k->kind), k->def, range,
                k->resume_ok ? "yes" : k->eval_ok ? "no (eval may set it)" : "no", k->doc);
    }
}
