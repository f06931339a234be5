/* Headless rendering under CI: frames that show the Ant, change when it moves, and PNG files
 * that decode to the same pixels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "env.h"
#include "render.h"
#include "testutil.h"
#include "video.h"

enum { W = 160, H = 120 };

/* Pixels (of W x H) whose colour differs by more than 24 in some channel. */
static long differing(const unsigned char *a, const unsigned char *b)
{
    long n = 0;
    for (long i = 0; i < (long)W * H; i++)
        for (int ch = 0; ch < 3; ch++)
            if (abs(a[3 * i + ch] - b[3 * i + ch]) > 24) {
                n++;
                break;
            }
    return n;
}

static unsigned char *frame_of(const mjModel *m, int body, const mjData *d)
{
    char err[1024];
    rnd_context *r = rnd_create(m, body, W, H, err, sizeof err);
    ck_assert_msg(r != NULL, "%s", err);
    unsigned char *rgb = malloc((size_t)W * H * 3);
    ck_assert_msg(rnd_frame(r, d, NULL, rgb, err, sizeof err) == 0, "%s", err);
    rnd_destroy(r);
    return rgb;
}

START_TEST(frames_show_the_ant_and_its_motion)
{
    cfg c;
    tu_config(&c, NULL);
    env_model em;
    char err[1024];
    ck_assert_msg(env_model_load(&em, &c.env, "envs/ant.xml", NULL, err, sizeof err) == 0, "%s", err);
    env_state es;
    ck_assert_int_eq(env_state_create(&es, &em), 0);
    rng_stream rng;
    rng_stream_init(&rng, 1, RNG_RESET, 0, 0);
    double obs[27], act[8], rew;
    env_reset(&es, &rng, obs);
    unsigned char *ant = frame_of(em.m, em.torso, es.d);

    /* not blank: the picture has many colours */
    int seen[4096] = {0}, colours = 0;
    for (long i = 0; i < (long)W * H; i++) {
        int key = (ant[3 * i] >> 4) << 8 | (ant[3 * i + 1] >> 4) << 4 | ant[3 * i + 2] >> 4;
        colours += !seen[key]++;
    }
    ck_assert_int_gt(colours, 20);

    /* the same camera on the same floor without the Ant */
    char *dir = tu_tmpdir(), path[600];
    snprintf(path, sizeof path, "%s/floor.xml", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("<mujoco><asset><texture name=\"grid\" type=\"2d\" builtin=\"checker\" rgb1=\"0.8 0.82 0.86\" "
          "rgb2=\"0.55 0.58 0.64\" width=\"256\" height=\"256\"/><material name=\"grid\" texture=\"grid\" "
          "texrepeat=\"1 1\" texuniform=\"true\"/><texture name=\"sky\" type=\"skybox\" builtin=\"gradient\" "
          "rgb1=\"0.65 0.78 0.92\" rgb2=\"0.2 0.25 0.3\" width=\"256\" height=\"256\"/></asset><worldbody>"
          "<light directional=\"true\" pos=\"0 0 3\" dir=\"0 0 -1\"/><geom type=\"plane\" size=\"40 40 40\" "
          "material=\"grid\"/><body name=\"torso\" pos=\"0 0 0.75\"><joint type=\"free\"/><geom type=\"sphere\" "
          "size=\"0.01\" rgba=\"0 0 0 0\"/></body></worldbody></mujoco>",
          f);
    fclose(f);
    mjModel *floor = mj_loadXML(path, NULL, err, sizeof err);
    ck_assert_msg(floor != NULL, "%s", err);
    mjData *fd = mj_makeData(floor);
    fd->qpos[0] = es.d->qpos[0];
    fd->qpos[1] = es.d->qpos[1];
    fd->qpos[2] = es.d->qpos[2];
    mj_forward(floor, fd);
    unsigned char *empty = frame_of(floor, 1, fd);
    ck_assert_int_gt(differing(ant, empty), (long)W * H / 20); /* the Ant covers more than 5% */

    /* after 40 steps of random actions the Ant has moved */
    for (int t = 0; t < 40; t++) {
        for (int k = 0; k < 8; k++) act[k] = 2 * rng_uniform(&rng) - 1;
        env_step(&es, act, obs, &rew);
    }
    unsigned char *moved = frame_of(em.m, em.torso, es.d);
    ck_assert_int_gt(differing(ant, moved), (long)W * H / 100);

    /* a PNG of it decodes back to the same pixels */
    snprintf(path, sizeof path, "%s/frame.png", dir);
    ck_assert_msg(vid_write_png(path, moved, W, H, err, sizeof err) == 0, "%s", err);
    f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    static unsigned char file[1 << 20];
    size_t len = fread(file, 1, sizeof file, f);
    fclose(f);
    ck_assert_int_eq(memcmp(file, "\x89PNG\r\n\x1a\n", 8), 0);
    ck_assert_int_eq(memcmp(file + 12, "IHDR", 4), 0);
    ck_assert_int_eq(file[19], W); /* width, big-endian, < 256 */
    ck_assert_int_eq(file[23], H);
    size_t idat_len = (size_t)file[33] << 24 | (size_t)file[34] << 16 | (size_t)file[35] << 8 | file[36];
    ck_assert_int_eq(memcmp(file + 37, "IDAT", 4), 0);
    ck_assert_uint_lt(41 + idat_len, len);
    uLongf raw_len = (uLongf)(W * 3 + 1) * H;
    unsigned char *raw = malloc(raw_len);
    ck_assert_int_eq(uncompress(raw, &raw_len, file + 41, (uLong)idat_len), Z_OK);
    ck_assert_uint_eq(raw_len, (W * 3 + 1) * H);
    for (int y = 0; y < H; y++) {
        ck_assert_int_eq(raw[(size_t)y * (W * 3 + 1)], 0);
        ck_assert_int_eq(memcmp(raw + (size_t)y * (W * 3 + 1) + 1, moved + (size_t)y * W * 3, W * 3), 0);
    }
    free(raw);
    free(ant);
    free(empty);
    free(moved);
    mj_deleteData(fd);
    mj_deleteModel(floor);
    env_state_free(&es);
    env_model_free(&em);
    free(dir);
}
END_TEST

/* Far down the track the film looks as it does at the start: floor under the Ant and its shadow
 * (the model's floor ends at 40 m and its light stays over the origin; the renderer moves both). */
START_TEST(the_floor_and_the_shadow_follow_the_ant)
{
    cfg c;
    tu_config(&c, NULL);
    env_model em;
    char err[1024];
    ck_assert_msg(env_model_load(&em, &c.env, "envs/ant.xml", NULL, err, sizeof err) == 0, "%s", err);
    mjData *d = mj_makeData(em.m);
    mj_forward(em.m, d);
    unsigned char *home = frame_of(em.m, em.torso, d);
    const double far[] = {14.0, 60.0, 200.0}; /* whole steps of the floor's 2 m: the same picture */
    for (size_t k = 0; k < sizeof far / sizeof *far; k++) {
        mj_resetData(em.m, d);
        d->qpos[0] = far[k];
        mj_forward(em.m, d);
        unsigned char *there = frame_of(em.m, em.torso, d);
        ck_assert_msg(differing(home, there) < (long)W * H / 100, "x = %g m: %ld of %d pixels differ", far[k],
                      differing(home, there), W * H);
        free(there);
    }
    free(home);
    mj_deleteData(d);
    env_model_free(&em);
}
END_TEST

START_TEST(bad_sizes_and_formats_are_clear_errors)
{
    char err[1024];
    ck_assert_ptr_null(rnd_create(NULL, 0, 641, 480, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "must be even"));
    ck_assert_ptr_null(vid_open("/tmp/x.avi", 0, 64, 48, 20, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "unknown video format '.avi'"));
    ck_assert_ptr_null(vid_open("/nonexistent-dir/frames", 1, 64, 48, 20, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "cannot create the frames folder"));
    ck_assert_int_eq(vid_close(NULL, err, sizeof err), 0);
    rnd_destroy(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("render");
    TCase *t = tcase_create("render");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, frames_show_the_ant_and_its_motion);
    tcase_add_test(t, bad_sizes_and_formats_are_clear_errors);
    tcase_add_test(t, the_floor_and_the_shadow_follow_the_ant);
    suite_add_tcase(s, t);
    return tu_run(s);
}
