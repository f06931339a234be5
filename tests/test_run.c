/* The run object in one process (an MPI world of one): open a new run, train it, resume it with
 * nothing to do, refuse a second holder of its folder and a bad config; and a policy opened for
 * rolling out, from a config and from the run's checkpoint. Check runs these in this process (no
 * fork: MPI starts once). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto.h"
#include "master.h"
#include "testutil.h"

static char *dir;

static run_request request(const char *config, const char *const *sets, int n_sets)
{
    return (run_request){.config = config, .sets = sets, .n_sets = n_sets};
}

START_TEST(open_train_resume_and_refuse)
{
    static volatile sig_atomic_t stop = 0;
    char out[600], err[2048], ck[700];
    snprintf(out, sizeof out, "run.out_dir=%s", dir);
    const char *sets[] = {out, "run.generations=3", "run.name=q"};
    run_request rq = request("configs/quadratic.json", sets, 3);
    run_rank t;
    ck_assert_msg(run_open(&t, &rq, 0, 1, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(t.s.generation, 0);
    ck_assert_uint_eq(t.ts.n_params, 100);
    snprintf(ck, sizeof ck, "%s/q/config.json", dir);
    ck_assert_int_eq(access(ck, R_OK), 0); /* the run folder is prepared */
    /* the folder is locked while the run is open */
    run_rank other;
    ck_assert_int_eq(run_open(&other, &rq, 0, 1, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "/q/checkpoint.h5 exists") ? err : strstr(err, "is in use by another hebes train"));
    run_close(&other);
    ck_assert_int_eq(ms_rank_train(&t, &stop, 0, err, sizeof err), MS_FINISHED);
    ck_assert_int_eq(t.s.generation, 3);
    ck_assert_uint_eq(t.s.n_hist, 3);
    run_close(&t);
    run_close(NULL);
    /* resumed at run.generations: nothing to do, said, and nothing written */
    snprintf(ck, sizeof ck, "%s/q/checkpoint.h5", dir);
    run_request again = {.resume = ck};
    ck_assert_int_eq(run_open(&t, &again, 0, 1, err, sizeof err), 1);
    ck_assert_ptr_nonnull(strstr(err, "is at generation 3 of run.generations 3: nothing to do"));
    run_close(&t);
    /* raised: it continues where it stopped */
    const char *more[] = {"run.generations=5"};
    run_request raise = {.resume = ck, .sets = more, .n_sets = 1};
    ck_assert_msg(run_open(&t, &raise, 0, 1, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(t.s.generation, 3);
    /* while it is open, a second resume of the same checkpoint is refused by the lock itself (the
     * first refusal above may come from the existing checkpoint before the lock is asked) */
    run_request second = {.resume = ck, .sets = more, .n_sets = 1};
    ck_assert_int_eq(run_open(&other, &second, 0, 1, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "is in use by another hebes train") != NULL, "%s", err);
    run_close(&other);
    ck_assert_int_eq(ms_rank_train(&t, &stop, 0, err, sizeof err), MS_FINISHED);
    ck_assert_int_eq(t.s.generation, 5);
    run_close(&t);
    /* a bad key: refused, naming the file and the key */
    const char *bad[] = {out, "es.populaton=4"};
    run_request typo = request("configs/quadratic.json", bad, 2);
    ck_assert_int_eq(run_open(&t, &typo, 0, 1, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "es.populaton"));
    run_close(&t);
}
END_TEST

START_TEST(a_policy_from_a_config_and_from_a_checkpoint)
{
    char err[2048];
    const char *sets[] = {"net.hidden=[8]", "env.max_steps=20"};
    run_policy_request rq = {.config = "tests/configs/ant-learn.json", .sets = sets, .n_sets = 2, .param_seed = -1,
                             .who = "test"};
    run_policy p;
    ck_assert_msg(run_policy_open(&p, &rq, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(p.n_models, 1);
    ck_assert_str_eq(p.models[0], "envs/ant.xml");
    ck_assert_uint_eq(p.ws.n_params, 5 * (27 * 8 + 8 * 8)); /* ABCD_lr */
    const wk_result r = wk_episode(&p.ws, &p.wb, 0, p.wb.coef, 1, 0, NULL, NULL);
    ck_assert_int_eq(r.steps, 20);
    run_policy_close(&p);
    /* a checkpoint of the wrong task cannot be rolled out */
    char ck[700];
    snprintf(ck, sizeof ck, "%s/q/checkpoint.h5", dir);
    run_policy_request from = {.ckpt = ck, .held_out = 1, .who = "test"};
    ck_assert_int_eq(run_policy_open(&p, &from, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "run.task is not ant") != NULL, "%s", err);
    run_policy_close(&p);
}
END_TEST

int main(int argc, char **argv)
{
    int rank, size;
    proto_init(&argc, &argv, &rank, &size);
    dir = strdup("/tmp/hebes-test-run-XXXXXX");
    if (!dir || !mkdtemp(dir)) return 1;
    Suite *s = suite_create("run");
    TCase *t = tcase_create("run");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, open_train_resume_and_refuse);
    tcase_add_test(t, a_policy_from_a_config_and_from_a_checkpoint);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK); /* MPI is started once, in this process */
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    proto_finalize();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) {
    }
    free(dir);
    return failed ? 1 : 0;
}
