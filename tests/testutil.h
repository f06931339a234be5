/* Helpers shared by the Check test programs. */
#ifndef HEBES_TESTUTIL_H
#define HEBES_TESTUTIL_H

#include <check.h>
#include <stddef.h>

#include "cfg.h"

/* Runs one suite; returns the process exit code. */
int tu_run(Suite *s);
/* A config with defaults, the given overrides ("key=value", NULL-terminated) and validation. */
void tu_config(cfg *c, const char *const *sets);
/* A fresh scratch directory under /tmp (malloc'd path). */
char *tu_tmpdir(void);

#endif
