#include "cli_film.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const cli_opt film_opts[] = {
    {"video", "FILE", "film it: .mp4, .mkv, .webm or .gif (needs ffmpeg), headless (Mesa EGL)"},
    {"frames", "DIR", "film it as PNG files DIR/frame_000000.png ... (no ffmpeg needed)"},
    {"width", "N", "frame width in pixels (even; default 640)"},
    {"height", "N", "frame height in pixels (even; default 480)"},
    {"fps", "N", "frames per second of the video (default: real time, 1 / env step = 20)"},
    {NULL, NULL, NULL},
};

int film_option(film_options *o, const char *name, const char *value)
{
    long n;
    char opt[16];
    snprintf(opt, sizeof opt, "--%s", name);
    if (!strcmp(name, "video") || !strcmp(name, "frames")) {
        if (o->path) {
            fprintf(stderr, "hebes: give one of --video and --frames, once\n");
            return -1;
        }
        o->path = value;
        o->frames_dir = name[0] == 'f';
    } else if (!strcmp(name, "width") || !strcmp(name, "height")) {
        if (cli_long(opt, value, 16, 4096, &n)) return -1;
        *(name[0] == 'w' ? &o->width : &o->height) = (int)n;
    } else if (!strcmp(name, "fps")) {
        if (cli_long(opt, value, 1, 1000, &n)) return -1;
        o->fps = (int)n;
    } else {
        return 0;
    }
    return 1;
}

int film_open(film *f, const film_options *o, double env_dt, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    if (rnd_check_size(o->width, o->height, err, errlen)) return -1;
    int fps = o->fps ? o->fps : (int)lround(1.0 / env_dt);
    f->rgb = malloc((size_t)o->width * (size_t)o->height * 3);
    if (!f->rgb) {
        snprintf(err, errlen, "out of memory for %d x %d frames", o->width, o->height);
        return -1;
    }
    f->vid = vid_open(o->path, o->frames_dir, o->width, o->height, fps < 1 ? 1 : fps, err, errlen);
    return f->vid ? 0 : -1;
}

int film_model(film *f, const film_options *o, const env_model *em, const char *label, char *err, size_t errlen)
{
    rnd_destroy(f->rnd);
    f->model = label;
    f->rnd = rnd_create(em->m, em->torso, o->width, o->height, err, errlen);
    return f->rnd ? 0 : -1;
}

/* Frames between the progress lines of a long film. */
#define FILM_PROGRESS_EVERY 250

int film_step(void *ctx, const wk_step *st)
{
    film *f = ctx;
    if (f->failed) return 0;
    /* Two short lines fit a 320-pixel frame: the model's file name, then the step, x and damage. */
    const char *slash = strrchr(f->model, '/'), *name = slash ? slash + 1 : f->model;
    const env_spec *sp = &st->env->em->spec;
    char caption[512], damage[96] = "";
    if (sp->damage_leg != ENV_LEG_NONE && st->t > sp->damage_step)
        snprintf(damage, sizeof damage, "\n%s leg %s since step %d", env_leg_names[sp->damage_leg],
                 sp->damage_gear == 0.0 ? "off" : "weakened", sp->damage_step);
    snprintf(caption, sizeof caption, "%s\nstep %ld  x %+.2f m%s", name, st->t, env_distance(st->env), damage);
    if (rnd_frame(f->rnd, st->env->d, caption, f->rgb, f->err, sizeof f->err) ||
        vid_write(f->vid, f->rgb, f->err, sizeof f->err))
        f->failed = 1;
    const long n = vid_frames(f->vid);
    if (!f->failed && n % FILM_PROGRESS_EVERY == 0) {
        fprintf(stderr, "filming: %ld frames\n", n);
        fflush(stderr);
    }
    return 0; /* a failed film does not change the episode: film_close reports it */
}

static void film_free(film *f)
{
    rnd_destroy(f->rnd);
    free(f->rgb);
    f->vid = NULL;
    f->rnd = NULL;
    f->rgb = NULL;
}

void film_discard(film *f)
{
    vid_discard(f->vid);
    film_free(f);
}

int film_close(film *f, char *err, size_t errlen)
{
    if (f->failed) {
        snprintf(err, errlen, "%s", f->err);
        film_discard(f);
        return -1;
    }
    f->frames = vid_frames(f->vid);
    int rc = vid_close(f->vid, err, errlen);
    f->vid = NULL;
    film_free(f);
    return rc;
}
