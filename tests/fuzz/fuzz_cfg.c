/* libFuzzer target: the config loader (JSON text, strict parsing, every key's type and range,
 * the relations between keys) and --set assignments. Any crash, leak or sanitizer report is a bug;
 * errors are the expected answer to bad input. Run by scripts/test.sh (scripts/fuzz.sh). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The first line, when it holds '=', is also tried as a --set assignment. */
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    cfg c;
    char err[CFG_ERR_MAX];
    if (cfg_read_text(&c, text, "fuzz.json", err, sizeof err) == 0) {
        cfg_validate_keys(&c, err, sizeof err);
        char *json = cfg_to_json(&c);
        cfg back;
        /* what hebes writes, it reads back */
        if (json && cfg_read_text(&back, json, "fuzz-again.json", err, sizeof err) != 0) abort();
        free(json);
    }
    char *nl = memchr(text, '\n', size);
    if (nl) {
        *nl = 0;
        cfg_defaults(&c);
        if (strchr(text, '=')) cfg_set(&c, text, err, sizeof err);
    }
    free(text);
    return 0;
}
