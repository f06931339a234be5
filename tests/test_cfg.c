#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "testutil.h"

static char *write_tmp(const char *text)
{
    char *dir = tu_tmpdir();
    char *path = malloc(strlen(dir) + 16);
    sprintf(path, "%s/c.json", dir);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    free(dir);
    return path;
}

/* Loading `text` must fail with a message that names the file, the key and the reason. */
static void expect_error(const char *text, const char *key, const char *reason)
{
    char *path = write_tmp(text);
    cfg c;
    char err[CFG_ERR_MAX];
    ck_assert_int_eq(cfg_load(&c, path, err, sizeof err), -1);
    ck_assert_msg(strstr(err, path) != NULL, "no file in: %s", err);
    ck_assert_msg(strstr(err, key) != NULL, "no key '%s' in: %s", key, err);
    ck_assert_msg(strstr(err, reason) != NULL, "no reason '%s' in: %s", reason, err);
    free(path);
}

START_TEST(shipped_configs_are_valid)
{
    /* every file in configs/, and the tests' own */
    DIR *dir = opendir("configs");
    ck_assert_ptr_nonnull(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json")) continue;
        char path[600];
        snprintf(path, sizeof path, "configs/%s", e->d_name);
        cfg c;
        char err[CFG_ERR_MAX];
        ck_assert_msg(cfg_load(&c, path, err, sizeof err) == 0, "%s", err);
        n++;
    }
    closedir(dir);
    ck_assert_int_ge(n, 8);
    {
        cfg c;
        char err[CFG_ERR_MAX];
        ck_assert_msg(cfg_load(&c, "tests/configs/ant-learn.json", err, sizeof err) == 0, "%s", err);
    }
    cfg c;
    char err[CFG_ERR_MAX];
    ck_assert_int_eq(cfg_load(&c, "configs/ant.json", err, sizeof err), 0);
    ck_assert_int_eq(c.es.population, 500);
    ck_assert_int_eq(c.net.rule, HEB_ABCD_LR);
    ck_assert_double_eq(c.es.sigma, 0.1);
    ck_assert_double_eq(c.es.lr, 0.2);
    ck_assert_int_eq(c.env.max_steps, 1000);
    ck_assert_int_eq(c.n_hidden, 2);
    ck_assert_int_eq(c.hidden[1], 64);
}
END_TEST

START_TEST(errors_name_file_key_and_reason)
{
    expect_error("{\"es\": {\"populaton\": 10}}", "es.populaton", "unknown key");
    expect_error("{\"es\": {\"population\": \"ten\"}}", "es.population", "expected an integer");
    expect_error("{\"es\": {\"population\": 10.5}}", "es.population", "expected an integer");
    expect_error("{\"es\": {\"population\": 33}}", "es.population", "must be even");
    expect_error("{\"es\": {\"sigma\": -1}}", "es.sigma", "out of range");
    expect_error("{\"net\": {\"rule\": \"ABCDE\"}}", "net.rule", "not one of");
    expect_error("{\"net\": {\"hidden\": []}}", "net.hidden", "1 to 4 items");
    expect_error("{\"net\": {\"hidden\": [12, 0]}}", "net.hidden[1]", "out of range");
    expect_error("{\"env\": {\"models\": [\"envs/missing.xml\"]}}", "env.models", "envs/missing.xml");
    expect_error("{\"env\": {\"contact_obs\": 1}}", "env.contact_obs", "true or false");
    expect_error("{\"run\": {\"name\": \"a/b\"}}", "run.name", "'/'");
    expect_error("{\"net\": {\"rule\": \"static\", \"plastic_steps\": 5}}", "net.plastic_steps",
                 "with the static rule it never does");
    expect_error("{\"net\": {\"plastic_steps\": -1}}", "net.plastic_steps", "out of range");
    expect_error("{\"bogus\": 1}", "bogus", "unknown key");
    expect_error("[1, 2]", "", "top level must be a JSON object");
    expect_error("{\n\"es\": {\n\"population\": 10,\n}\n}", "line 4", "not valid JSON");
}
END_TEST

START_TEST(set_overrides)
{
    cfg c;
    char err[CFG_ERR_MAX];
    cfg_defaults(&c);
    ck_assert_int_eq(cfg_set(&c, "es.population=64", err, sizeof err), 0);
    ck_assert_int_eq(c.es.population, 64);
    ck_assert_int_eq(cfg_set(&c, "net.rule=ABCD", err, sizeof err), 0); /* bare string */
    ck_assert_int_eq(c.net.rule, HEB_ABCD);
    ck_assert_int_eq(cfg_set(&c, "net.hidden=[32,16,8]", err, sizeof err), 0);
    ck_assert_int_eq(c.n_hidden, 3);
    ck_assert_int_eq(c.hidden[2], 8);
    ck_assert_int_eq(cfg_set(&c, "es.nope=1", err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "es.nope"));
    ck_assert_int_eq(cfg_set(&c, "es.population", err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "KEY=VALUE"));
}
END_TEST

START_TEST(json_round_trip)
{
    cfg a, b;
    char err[CFG_ERR_MAX];
    ck_assert_int_eq(cfg_load(&a, "configs/morph-hebbian.json", err, sizeof err), 0);
    char *t1 = cfg_to_json(&a);
    ck_assert_msg(cfg_load_text(&b, t1, "round-trip", err, sizeof err) == 0, "%s", err);
    char *t2 = cfg_to_json(&b);
    ck_assert_str_eq(t1, t2);
    ck_assert_int_eq(b.n_models, 2);
    ck_assert_str_eq(b.eval_models[2], "envs/ant-damaged-left.xml");
    free(t1);
    free(t2);
}
END_TEST

START_TEST(resume_conflicts)
{
    cfg a, b;
    char err[CFG_ERR_MAX];
    tu_config(&a, NULL);
    const char *more[] = {"run.generations=5000", "run.checkpoint_every=3", NULL};
    tu_config(&b, more);
    ck_assert_int_eq(cfg_resume_conflicts(&a, &b, err, sizeof err), 0);
    const char *other[] = {"es.sigma=0.5", "net.rule=A", NULL};
    tu_config(&b, other);
    ck_assert_int_eq(cfg_resume_conflicts(&a, &b, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "es.sigma: checkpoint has 0.1, config has 0.5"));
    ck_assert_ptr_nonnull(strstr(err, "net.rule"));
}
END_TEST

START_TEST(docs_match_the_key_table)
{
    /* docs/config.md ends with the generated table: regenerate with `hebes config-docs`. */
    FILE *f = fopen("docs/config.md", "r");
    ck_assert_ptr_nonnull(f);
    static char doc[1 << 16];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    doc[n] = 0;
    fclose(f);
    char *table;
    size_t len;
    FILE *m = open_memstream(&table, &len);
    cfg_print_docs(m);
    fclose(m);
    ck_assert_msg(strstr(doc, table) != NULL, "docs/config.md is stale: run build/hebes config-docs");
    free(table);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cfg");
    TCase *t = tcase_create("cfg");
    tcase_add_test(t, shipped_configs_are_valid);
    tcase_add_test(t, errors_name_file_key_and_reason);
    tcase_add_test(t, set_overrides);
    tcase_add_test(t, json_round_trip);
    tcase_add_test(t, resume_conflicts);
    tcase_add_test(t, docs_match_the_key_table);
    suite_add_tcase(s, t);
    return tu_run(s);
}
