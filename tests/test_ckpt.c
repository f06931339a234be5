#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ckpt.h"
#include "h5u.h"
#include "testutil.h"

#include <hdf5.h>

#define N 300

static void fill_state(es_state *s)
{
    ck_assert_int_eq(es_state_create(s, N, NULL), 0);
    for (size_t i = 0; i < N; i++) {
        s->h[i] = sin((double)i);
        s->best_h[i] = cos((double)i);
        s->adam_m[i] = 1e-3 * (double)i;
        s->adam_v[i] = 1e-6 * (double)i;
    }
    s->generation = 3;
    s->lr = 0.19;
    s->sigma = 0.0998;
    s->best_fitness = 12.5;
    s->best_generation = 1;
    s->adam_t = 3;
    s->merged_at = 2; /* a merge before generation 3 */
    s->total_steps = 12345;
    s->elapsed = 9.5;
    for (int g = 0; g < 3; g++) {
        es_gen_stats row = {.generation = g, .mean = g, .max = 2 * g, .min = -g, .std = 0.5, .best_ever = 12.5,
                            .lr = 0.2, .sigma = 0.1, .steps = 100 + g, .seconds = 1.5, .diverged = g,
                            .n_layers = 2, .layer_norm = {1.0 + g, 2.0 + g}};
        if (g != 1) { /* an evaluation row (generation 1 did not evaluate) */
            row.evaluated = 1;
            row.eval_models = 2;
            row.eval_steps = 250.5 + g;
            row.eval_time_limit = 7 + g;
            row.eval_unhealthy_low = 1;
            row.eval_unhealthy_high = 2 + g;
            row.eval_early_stop = 3;
            row.eval_diverged = g;
            row.eval_mean[1] = 4.25 + g;
            row.eval_std[1] = 0.5 + g;
            row.eval_distance[0] = -1.5 - g;
        }
        ck_assert_int_eq(es_state_push_stats(s, &row), 0);
    }
}

static void layout(heb_layout *lay)
{
    /* 10 -> 5 -> 10 with ABCD_lr... sized to N = 300 coefficients: (50 + 50) synapses x 3 (AD_lr) */
    heb_spec spec = {.n_layers = 2, .sizes = {10, 5, 10}, .rule = HEB_AD_LR};
    char err[64];
    ck_assert_int_eq(heb_layout_init(lay, &spec, err, sizeof err), 0);
    ck_assert_uint_eq(lay->n_params, N);
}

static int same_state(const es_state *a, const es_state *b)
{
    if (a->n != b->n || a->generation != b->generation || a->lr != b->lr || a->sigma != b->sigma ||
        a->best_fitness != b->best_fitness || a->best_generation != b->best_generation || a->adam_t != b->adam_t ||
        a->merged_at != b->merged_at || a->total_steps != b->total_steps || a->n_hist != b->n_hist)
        return 0;
    if (memcmp(a->h, b->h, a->n * sizeof(double)) || memcmp(a->best_h, b->best_h, a->n * sizeof(double)) ||
        memcmp(a->adam_m, b->adam_m, a->n * sizeof(double)) || memcmp(a->adam_v, b->adam_v, a->n * sizeof(double)))
        return 0;
    for (size_t g = 0; g < a->n_hist; g++)
        if (a->hist[g].mean != b->hist[g].mean || a->hist[g].steps != b->hist[g].steps ||
            a->hist[g].layer_norm[1] != b->hist[g].layer_norm[1] || a->hist[g].diverged != b->hist[g].diverged)
            return 0;
    for (size_t g = 0; g < a->n_hist; g++) {
        const es_gen_stats *x = &a->hist[g], *y = &b->hist[g];
        if (x->evaluated != y->evaluated || x->eval_models != y->eval_models || x->eval_steps != y->eval_steps ||
            x->eval_time_limit != y->eval_time_limit || x->eval_unhealthy_low != y->eval_unhealthy_low ||
            x->eval_unhealthy_high != y->eval_unhealthy_high || x->eval_early_stop != y->eval_early_stop ||
            x->eval_diverged != y->eval_diverged ||
            memcmp(x->eval_mean, y->eval_mean, sizeof x->eval_mean) ||
            memcmp(x->eval_std, y->eval_std, sizeof x->eval_std) ||
            memcmp(x->eval_distance, y->eval_distance, sizeof x->eval_distance))
            return 0;
    }
    return 1;
}

static char *write_sample(es_state *s, char **config_out)
{
    char *dir = tu_tmpdir(), err[512];
    char *path = malloc(strlen(dir) + 32);
    sprintf(path, "%s/checkpoint.h5", dir);
    free(dir);
    cfg c;
    tu_config(&c, NULL);
    char *json = cfg_to_json(&c);
    heb_layout lay;
    layout(&lay);
    fill_state(s);
    ck_assert_msg(ckpt_write(path, s, json, &lay, NULL, NULL, err, sizeof err) == 0, "%s", err);
    *config_out = json;
    return path;
}

/* Opening and reading the whole state: 0 with the state in out, or -1 with a message naming path. */
static int read_all(const char *path, es_state *out)
{
    ckpt_file *f;
    char err[1024];
    if (ckpt_open(&f, path, err, sizeof err)) {
        ck_assert_msg(strstr(err, path) != NULL, "message without the file: %s", err);
        return -1;
    }
    ck_assert_int_eq(es_state_create(out, N, NULL), 0);
    int rc = ckpt_read_state(f, out, err, sizeof err);
    if (rc) {
        ck_assert_msg(strstr(err, path) != NULL, "message without the file: %s", err);
        es_state_free(out);
    }
    ckpt_close(f);
    return rc;
}

START_TEST(round_trip)
{
    es_state s, r;
    char *json;
    char *path = write_sample(&s, &json);
    ck_assert_int_eq(read_all(path, &r), 0);
    ck_assert(same_state(&s, &r));
    ckpt_file *f;
    char err[512];
    ck_assert_int_eq(ckpt_open(&f, path, err, sizeof err), 0);
    ck_assert_str_eq(ckpt_config_text(f), json);
    ck_assert_str_eq(ckpt_get_layout(f)->rule, "AD_lr");
    ck_assert_int_eq(ckpt_get_layout(f)->sizes[1], 5);
    double best[N];
    ck_assert_int_eq(ckpt_read_coefficients(f, "best", best, N, err, sizeof err), 0);
    ck_assert_int_eq(memcmp(best, s.best_h, sizeof best), 0);
    /* the wrong size is refused, not read */
    ck_assert_int_eq(ckpt_read_coefficients(f, "best", best, N - 1, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "holds 300 coefficients"));
    ckpt_close(f);
    es_state_free(&s);
    es_state_free(&r);
    free(json);
    free(path);
}
END_TEST

/* A format-1 checkpoint (written by hebes before the evaluation history, kept in tests/data)
 * still reads, with no evaluation rows. */
START_TEST(version_1_checkpoints_still_read)
{
    ckpt_file *f;
    char err[1024];
    ck_assert_msg(ckpt_open(&f, "tests/data/checkpoint-v1-quadratic.h5", err, sizeof err) == 0, "%s", err);
    es_state s;
    ck_assert_int_eq(es_state_create(&s, (size_t)ckpt_n_params(f), NULL), 0);
    ck_assert_uint_eq(s.n, 10);
    ck_assert_msg(ckpt_read_state(f, &s, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(s.generation, 3);
    ck_assert_int_eq(s.merged_at, 3); /* before version 6: past any merge due at its count */
    ck_assert_uint_eq(s.n_hist, 3);
    for (size_t g = 0; g < s.n_hist; g++) ck_assert_int_eq(s.hist[g].evaluated, 0);
    ck_assert(isfinite(s.hist[2].mean));
    es_state_free(&s);
    ckpt_close(f);
}
END_TEST

/* The checksum is the standard FNV-1a 64 (test vectors of its authors' reference), so that any
 * FNV-1a library can sign or check a file; format 4 files, signed with a basis one digit short,
 * still read. */
START_TEST(checksum_is_standard_fnv1a_and_version_4_still_reads)
{
    ck_assert_uint_eq(ckpt_fnv1a("", 0), 0xcbf29ce484222325ull);
    ck_assert_uint_eq(ckpt_fnv1a("a", 1), 0xaf63dc4c8601ec8cull);
    ck_assert_uint_eq(ckpt_fnv1a("foobar", 6), 0x85944171f73967e8ull);
    ckpt_file *f;
    char err[1024];
    ck_assert_msg(ckpt_open(&f, "tests/data/checkpoint-v4-ant.h5", err, sizeof err) == 0, "%s", err);
    es_state s;
    ck_assert_int_eq(es_state_create(&s, (size_t)ckpt_n_params(f), NULL), 0);
    ck_assert_msg(ckpt_read_state(f, &s, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(s.generation, 2);
    ck_assert_int_eq(s.merged_at, 2);
    ck_assert_int_eq(s.obs.n, 27);
    ck_assert_ptr_nonnull(ckpt_model_xml(f, "envs/ant.xml"));
    es_state_free(&s);
    ckpt_close(f);
}
END_TEST

/* A non-finite coefficient or optimiser value is refused, naming the dataset, and the last good
 * checkpoint stays as it was. */
START_TEST(non_finite_state_is_not_written)
{
    char *dir = tu_tmpdir(), path[512], err[1024];
    snprintf(path, sizeof path, "%s/c.h5", dir);
    es_state s;
    fill_state(&s);
    heb_layout lay;
    layout(&lay);
    ck_assert_msg(ckpt_write(path, &s, "{}", &lay, NULL, NULL, err, sizeof err) == 0, "%s", err);
    const struct {
        double *where;
        const char *name;
    } cases[] = {{&s.h[7], "/coefficients/current"}, {&s.best_h[0], "/coefficients/best"},
                 {&s.adam_m[299], "/state/adam_m"}, {&s.adam_v[3], "/state/adam_v"}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const double keep = *cases[c].where;
        *cases[c].where = c % 2 ? INFINITY : NAN;
        s.generation = 3; /* the history has 3 rows */
        ck_assert_int_eq(ckpt_write(path, &s, "{}", &lay, NULL, NULL, err, sizeof err), -1);
        ck_assert_msg(strstr(err, cases[c].name) && strstr(err, "the last good checkpoint stays"), "%s", err);
        *cases[c].where = keep;
    }
    /* the file on disk is still the good one */
    ckpt_file *f;
    ck_assert_msg(ckpt_open(&f, path, err, sizeof err) == 0, "%s", err);
    es_state r;
    ck_assert_int_eq(es_state_create(&r, N, NULL), 0);
    ck_assert_msg(ckpt_read_state(f, &r, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(memcmp(r.h, s.h, N * sizeof *s.h), 0);
    ckpt_close(f);
    es_state_free(&r);
    es_state_free(&s);
    remove(path);
    remove(dir);
    free(dir);
}
END_TEST

/* Overwrites the first occurrence of `what` (len bytes) in the file with `with`; 0 if found. */
static int patch_file(const char *path, const void *what, size_t len, const void *with)
{
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    static unsigned char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf, f);
    for (size_t i = 0; i + len <= n; i++)
        if (!memcmp(buf + i, what, len)) {
            fseek(f, (long)i, SEEK_SET);
            fwrite(with, 1, len, f);
            fclose(f);
            return 0;
        }
    fclose(f);
    return -1;
}

/* The contiguous /config is checked against its checksum; a damaged dataset is named. */
START_TEST(damage_is_named)
{
    es_state s, r;
    char *json, err[1024];
    char *path = write_sample(&s, &json);
    /* a digit of the config text */
    const char *key = "\"max_steps\":\t1000";
    char *at = strstr(json, key);
    ck_assert_ptr_nonnull(at);
    char changed[64];
    snprintf(changed, sizeof changed, "%s", key);
    changed[strlen(changed) - 1] = '1'; /* 1000 -> 1001 */
    ck_assert_int_eq(patch_file(path, key, strlen(key), changed), 0);
    ckpt_file *f;
    ck_assert_int_eq(ckpt_open(&f, path, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "/config is damaged") != NULL, "%s", err);
    patch_file(path, changed, strlen(changed), key); /* repaired */
    ck_assert_msg(ckpt_open(&f, path, err, sizeof err) == 0, "%s", err);
    ckpt_close(f);
    /* a value of state/adam_m (1e-3 x 7) */
    double v = 1e-3 * 7, w = 1e-3 * 7 + 1;
    ck_assert_int_eq(patch_file(path, &v, sizeof v, &w), 0);
    ck_assert_msg(ckpt_open(&f, path, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(es_state_create(&r, N, NULL), 0);
    ck_assert_int_eq(ckpt_read_state(f, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "state/adam_m missing, damaged or inconsistent") != NULL, "%s", err);
    ckpt_close(f);
    es_state_free(&r);
    free(json);
    free(path);
    es_state_free(&s);
}
END_TEST

/* merged_at (version 6) says which side of a merge the state is on; a value past the state's
 * generation (or below -1, "never") cannot be, and is refused by name. */
START_TEST(merged_at_is_checked)
{
    es_state s, r;
    char *json;
    char *path = write_sample(&s, &json);
    ck_assert_int_eq(read_all(path, &r), 0);
    ck_assert_int_eq(r.merged_at, 2);
    es_state_free(&r);
    heb_layout lay;
    layout(&lay);
    char err[1024];
    for (int64_t bad = -2; bad <= 4; bad += 6) { /* -2 and generation + 1 */
        s.merged_at = bad;
        ck_assert_msg(ckpt_write(path, &s, json, &lay, NULL, NULL, err, sizeof err) == 0, "%s", err);
        ckpt_file *f;
        ck_assert_msg(ckpt_open(&f, path, err, sizeof err) == 0, "%s", err);
        ck_assert_int_eq(es_state_create(&r, N, NULL), 0);
        ck_assert_int_eq(ckpt_read_state(f, &r, err, sizeof err), -1);
        ck_assert_msg(strstr(err, "state attribute merged_at") != NULL, "%s", err);
        ckpt_close(f);
        es_state_free(&r);
    }
    es_state_free(&s);
    free(json);
    free(path);
}
END_TEST

/* The MuJoCo version is kept as the root attribute mujoco_version when the writer gives one, read
 * back as written; files without it (all before it was kept) read as "not recorded", and an
 * attribute that is not a string is refused by name. */
START_TEST(engine_is_recorded)
{
    es_state s;
    char *json, err[1024];
    char *path = write_sample(&s, &json); /* no engine given */
    ckpt_file *f;
    ck_assert_msg(ckpt_open(&f, path, err, sizeof err) == 0, "%s", err);
    ck_assert_ptr_null(ckpt_engine(f));
    ckpt_close(f);
    ck_assert_msg(ckpt_open(&f, "tests/data/checkpoint-v4-ant.h5", err, sizeof err) == 0, "%s", err);
    ck_assert_ptr_null(ckpt_engine(f));
    ckpt_close(f);
    heb_layout lay;
    layout(&lay);
    ck_assert_msg(ckpt_write(path, &s, json, &lay, NULL, "3.1.4", err, sizeof err) == 0, "%s", err);
    ck_assert_msg(ckpt_open(&f, path, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(ckpt_engine(f), "3.1.4");
    ckpt_close(f);
    /* replaced by a number */
    hid_t fid = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    ck_assert_int_ge(fid, 0);
    ck_assert_int_ge(H5Adelete(fid, "mujoco_version"), 0);
    int32_t three = 3;
    ck_assert_int_eq(h5u_put_attr(fid, "mujoco_version", H5T_NATIVE_INT32, &three), 0);
    ck_assert_int_ge(H5Fclose(fid), 0);
    ck_assert_int_eq(ckpt_open(&f, path, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "mujoco_version is not a readable string") && strstr(err, path), "%s", err);
    es_state_free(&s);
    free(json);
    free(path);
}
END_TEST

START_TEST(large_datasets_are_cut_into_checksummed_chunks)
{
    ck_assert_uint_eq(h5u_chunk_rows(800, 8), 100);                 /* small: one chunk */
    ck_assert_uint_eq(h5u_chunk_rows(1ull << 30, 8), 1ull << 27);   /* 1 GiB: still one */
    ck_assert_uint_eq(h5u_chunk_rows(3ull << 30, 8), 1ull << 27);   /* 3 GiB: chunks of 1 GiB */
    ck_assert_uint_eq(h5u_chunk_rows(5ull << 31, 3ull << 20), 341); /* rows of 3 MiB: 341 a chunk */
    ck_assert_uint_eq(h5u_chunk_rows(5ull << 31, 3ull << 30), 1);   /* a row over 1 GiB: one a chunk */
}
END_TEST

START_TEST(rewrite_leaves_no_temporary_files)
{
    es_state s;
    char *json;
    char *path = write_sample(&s, &json);
    heb_layout lay;
    layout(&lay);
    char err[512];
    s.generation = 4;
    ck_assert_int_eq(ckpt_write(path, &s, json, &lay, NULL, NULL, err, sizeof err), -1); /* history has 3 rows, gen 4 */
    es_gen_stats row = {.generation = 3, .n_layers = 2};
    es_state_push_stats(&s, &row);
    ck_assert_int_eq(ckpt_write(path, &s, json, &lay, NULL, NULL, err, sizeof err), 0);
    es_state r;
    ck_assert_int_eq(read_all(path, &r), 0);
    ck_assert_int_eq(r.generation, 4);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ls %s.tmp.* 2>/dev/null | wc -l | grep -qx 0", path);
    ck_assert_int_eq(system(cmd), 0);
    es_state_free(&s);
    es_state_free(&r);
    free(json);
    free(path);
}
END_TEST

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void copy_with(const char *from, const char *to, long keep, long flip_at)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    long n = 0;
    int ch;
    while ((ch = fgetc(in)) != EOF && n < keep) {
        fputc(n == flip_at ? ch ^ 0x5A : ch, out);
        n++;
    }
    fclose(in);
    fclose(out);
}

START_TEST(truncated_files_are_refused)
{
    es_state s, r;
    char *json;
    char *path = write_sample(&s, &json);
    char bad[1024];
    snprintf(bad, sizeof bad, "%s.cut.h5", path);
    long size = file_size(path);
    for (long keep = 0; keep < size; keep += size / 23 + 1) {
        copy_with(path, bad, keep, -1);
        ck_assert_msg(read_all(bad, &r) == -1, "a file cut at %ld of %ld bytes was accepted", keep, size);
    }
    es_state_free(&s);
    free(json);
    free(path);
}
END_TEST

START_TEST(corrupt_bytes_never_pass_silently)
{
    /* Every flipped byte either makes the read fail or leaves what is read identical. */
    es_state s, r;
    char *json;
    char *path = write_sample(&s, &json);
    char bad[1024];
    snprintf(bad, sizeof bad, "%s.flip.h5", path);
    long size = file_size(path);
    int refused = 0, identical = 0;
    for (long at = 0; at < size; at += 7) {
        copy_with(path, bad, size, at);
        if (read_all(bad, &r) == -1) {
            refused++;
        } else {
            ck_assert_msg(same_state(&s, &r), "a flipped byte at %ld was read as different data", at);
            identical++;
            es_state_free(&r);
        }
    }
    ck_assert_int_gt(refused, 0);
    es_state_free(&s);
    free(json);
    free(path);
}
END_TEST

START_TEST(other_files_are_refused)
{
    es_state r;
    ck_assert_int_eq(read_all("/nonexistent/checkpoint.h5", &r), -1);
    ck_assert_int_eq(read_all("configs/ant.json", &r), -1);
    /* a valid HDF5 file that is not a checkpoint */
    char *dir = tu_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/other.h5", dir);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(f);
    ckpt_file *cf;
    char err[512];
    ck_assert_int_eq(ckpt_open(&cf, path, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a hebes checkpoint"));
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ckpt");
    TCase *t = tcase_create("ckpt");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, round_trip);
    tcase_add_test(t, version_1_checkpoints_still_read);
    tcase_add_test(t, checksum_is_standard_fnv1a_and_version_4_still_reads);
    tcase_add_test(t, non_finite_state_is_not_written);
    tcase_add_test(t, damage_is_named);
    tcase_add_test(t, merged_at_is_checked);
    tcase_add_test(t, engine_is_recorded);
    tcase_add_test(t, large_datasets_are_cut_into_checksummed_chunks);
    tcase_add_test(t, rewrite_leaves_no_temporary_files);
    tcase_add_test(t, truncated_files_are_refused);
    tcase_add_test(t, corrupt_bytes_never_pass_silently);
    tcase_add_test(t, other_files_are_refused);
    suite_add_tcase(s, t);
    return tu_run(s);
}
