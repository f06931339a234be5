#include "video.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

struct vid_writer {
    char path[1024];
    char tmp[1100];  /* what ffmpeg writes: PATH.tmp.PID.EXT, renamed to path once the film is whole */
    int frames_dir;
    int width, height;
    long frames;
    pid_t pid;       /* ffmpeg */
    int fd;          /* its standard input */
    struct sigaction old_pipe;
};

static const char *ending(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : "";
}

/* execvp would find it too, but only after the fork: look first, to give a clear message. */
static int on_path(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path) return 0;
    char buf[4096];
    for (const char *p = path; *p;) {
        size_t len = strcspn(p, ":");
        snprintf(buf, sizeof buf, "%.*s/%s", (int)len, p, prog);
        if (access(buf, X_OK) == 0) return 1;
        p += len + (p[len] == ':');
    }
    return 0;
}

static int start_ffmpeg(vid_writer *v, int fps, char *err, size_t errlen)
{
    const char *ext = ending(v->path);
    char size[32], rate[16];
    snprintf(size, sizeof size, "%dx%d", v->width, v->height);
    snprintf(rate, sizeof rate, "%d", fps);
    const char *head[] = {"ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt",
                          "rgb24", "-s", size, "-r", rate, "-i", "-"};
    const char *h264[] = {"-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "23"};
    const char *vp9[] = {"-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-b:v", "0", "-crf", "32"};
    const char *gif[] = {"-vf", "split[a][b];[a]palettegen[p];[b][p]paletteuse"};
    const char **tail;
    size_t n_tail;
    if (!strcmp(ext, "mp4") || !strcmp(ext, "mkv")) {
        tail = h264;
        n_tail = sizeof h264 / sizeof *h264;
    } else if (!strcmp(ext, "webm")) {
        tail = vp9;
        n_tail = sizeof vp9 / sizeof *vp9;
    } else if (!strcmp(ext, "gif")) {
        tail = gif;
        n_tail = sizeof gif / sizeof *gif;
    } else {
        snprintf(err, errlen, "%s: unknown video format '.%s' (use .mp4, .mkv, .webm or .gif, or --frames DIR)",
                 v->path, ext);
        return -1;
    }
    if (!on_path("ffmpeg")) {
        snprintf(err, errlen, "%s: ffmpeg is not installed (Debian: apt-get install ffmpeg); --frames DIR writes PNG "
                 "frames without it", v->path);
        return -1;
    }
    const char *argv[64];
    size_t n = 0;
    for (size_t i = 0; i < sizeof head / sizeof *head; i++) argv[n++] = head[i];
    for (size_t i = 0; i < n_tail; i++) argv[n++] = tail[i];
    /* ffmpeg writes a temporary beside the target, renamed over it only when the film is whole
     * (vid_close). Killed hebes or not, ffmpeg finishes a playable file from the frames it got
     * when its pipe closes, so a film stopped halfway would otherwise sit at PATH looking done
     * (results scripts take a non-empty film as made); and a failing film no longer wipes a good
     * one at PATH. The ending is kept last: ffmpeg picks the format from it. */
    snprintf(v->tmp, sizeof v->tmp, "%s.tmp.%ld.%s", v->path, (long)getpid(), ext);
    argv[n++] = v->tmp;
    argv[n] = NULL;
    int fds[2];
    if (pipe(fds)) {
        snprintf(err, errlen, "%s: pipe: %s", v->path, strerror(errno));
        return -1;
    }
    v->pid = fork();
    if (v->pid < 0) {
        snprintf(err, errlen, "%s: fork: %s", v->path, strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (v->pid == 0) {
        dup2(fds[0], STDIN_FILENO);
        close(fds[0]);
        close(fds[1]);
        execvp("ffmpeg", (char *const *)argv);
        _exit(127);
    }
    close(fds[0]);
    v->fd = fds[1];
    /* A dying ffmpeg must give us EPIPE and a message, not kill us. */
    struct sigaction ign = {0};
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &v->old_pipe);
    return 0;
}

vid_writer *vid_open(const char *path, int frames_dir, int width, int height, int fps, char *err, size_t errlen)
{
    vid_writer *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(v->path, sizeof v->path, "%s", path);
    v->frames_dir = frames_dir;
    v->width = width;
    v->height = height;
    v->pid = -1;
    v->fd = -1;
    int rc;
    if (frames_dir) {
        rc = mkdir(path, 0775) && errno != EEXIST ? -1 : 0;
        if (rc) snprintf(err, errlen, "%s: cannot create the frames folder: %s", path, strerror(errno));
    } else {
        rc = start_ffmpeg(v, fps, err, errlen);
    }
    if (rc) {
        free(v);
        return NULL;
    }
    return v;
}

long vid_frames(const vid_writer *v)
{
    return v ? v->frames : 0;
}

int vid_write(vid_writer *v, const unsigned char *rgb, char *err, size_t errlen)
{
    if (v->frames_dir) {
        char file[1100];
        snprintf(file, sizeof file, "%s/frame_%06ld.png", v->path, v->frames);
        if (vid_write_png(file, rgb, v->width, v->height, err, errlen)) return -1;
        v->frames++;
        return 0;
    }
    size_t left = (size_t)v->width * (size_t)v->height * 3;
    const unsigned char *p = rgb;
    while (left > 0) {
        ssize_t w = write(v->fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            snprintf(err, errlen, "%s: ffmpeg stopped taking frames: %s", v->path, strerror(errno));
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    v->frames++;
    return 0;
}

/* Ends ffmpeg (its pipe closed, it finishes the file) and frees v; keep: the temporary becomes
 * path, else it is removed. */
static int finish(vid_writer *v, int keep, char *err, size_t errlen)
{
    int rc = 0;
    if (v->fd >= 0) close(v->fd);
    if (v->pid > 0) {
        int status = 0;
        while (waitpid(v->pid, &status, 0) < 0 && errno == EINTR) {
        }
        sigaction(SIGPIPE, &v->old_pipe, NULL);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            snprintf(err, errlen, "%s: ffmpeg failed (exit status %d); its message is above", v->path,
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            rc = -1;
        } else if (keep && rename(v->tmp, v->path)) {
            snprintf(err, errlen, "%s: cannot rename the finished film %s to it: %s", v->path, v->tmp,
                     strerror(errno));
            rc = -1;
        }
        if (rc || !keep) unlink(v->tmp);
    }
    free(v);
    return rc;
}

int vid_close(vid_writer *v, char *err, size_t errlen)
{
    return v ? finish(v, 1, err, errlen) : 0;
}

void vid_discard(vid_writer *v)
{
    if (!v) return;
    char path[sizeof v->path], err[8];
    snprintf(path, sizeof path, "%s", v->path);
    int frames_dir = v->frames_dir;
    finish(v, 0, err, sizeof err);
    if (frames_dir) rmdir(path); /* only if empty: frames written so far are kept */
}

/* ---- PNG: signature, IHDR, one IDAT (zlib), IEND; every row with filter 0 ---- */

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static int chunk(FILE *f, const char *type, const unsigned char *data, uint32_t len)
{
    unsigned char head[8];
    put32(head, len);
    memcpy(head + 4, type, 4);
    uLong crc = crc32(0L, head + 4, 4);
    if (len) crc = crc32(crc, data, len);
    unsigned char tail[4];
    put32(tail, (uint32_t)crc);
    return fwrite(head, 1, 8, f) == 8 && (len == 0 || fwrite(data, 1, len, f) == len) && fwrite(tail, 1, 4, f) == 4
               ? 0
               : -1;
}

int vid_write_png(const char *path, const unsigned char *rgb, int width, int height, char *err, size_t errlen)
{
    const size_t row = (size_t)width * 3, raw_len = (row + 1) * (size_t)height;
    unsigned char *raw = malloc(raw_len);
    uLongf z_len = compressBound((uLong)raw_len);
    unsigned char *z = malloc(z_len);
    if (!raw || !z) {
        free(raw);
        free(z);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int y = 0; y < height; y++) {
        raw[(size_t)y * (row + 1)] = 0;
        memcpy(raw + (size_t)y * (row + 1) + 1, rgb + (size_t)y * row, row);
    }
    int rc = compress2(z, &z_len, raw, (uLong)raw_len, 6) == Z_OK ? 0 : -1;
    FILE *f = rc ? NULL : fopen(path, "wb");
    if (!f) rc = -1;
    if (!rc) {
        static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        unsigned char ihdr[13];
        put32(ihdr, (uint32_t)width);
        put32(ihdr + 4, (uint32_t)height);
        ihdr[8] = 8;  /* bits per channel */
        ihdr[9] = 2;  /* RGB */
        ihdr[10] = ihdr[11] = ihdr[12] = 0;
        rc = fwrite(sig, 1, 8, f) == 8 ? 0 : -1;
        rc = rc || chunk(f, "IHDR", ihdr, 13) || chunk(f, "IDAT", z, (uint32_t)z_len) || chunk(f, "IEND", NULL, 0);
        if (fclose(f)) rc = -1;
    }
    if (rc) snprintf(err, errlen, "%s: cannot write PNG: %s", path, errno ? strerror(errno) : "zlib error");
    free(raw);
    free(z);
    return rc;
}
