#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"

/* A MuJoCo error fails the test that caused it, with MuJoCo's message. */
static void mujoco_error(const char *msg)
{
    ck_abort_msg("MuJoCo error: %s", msg);
}

int tu_run(Suite *s)
{
    env_mujoco_handlers(mujoco_error);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

void tu_config(cfg *c, const char *const *sets)
{
    char err[CFG_ERR_MAX];
    cfg_defaults(c);
    for (int i = 0; sets && sets[i]; i++) ck_assert_msg(cfg_set(c, sets[i], err, sizeof err) == 0, "%s", err);
    ck_assert_msg(cfg_validate(c, err, sizeof err) == 0, "%s", err);
}

char *tu_tmpdir(void)
{
    char *t = strdup("/tmp/hebes-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(t));
    return t;
}
