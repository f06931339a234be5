/* Filming episodes: `--video FILE` / `--frames DIR` of hebes rollout and hebes eval. One
 * renderer per model, frames written as the episode runs (a wk_poll_fn), a caption with the
 * model, the step and the distance walked. */
#ifndef HEBES_FILM_H
#define HEBES_FILM_H

#include <stddef.h>

#include "cli.h"
#include "render.h"
#include "video.h"
#include "worker.h"

typedef struct {
    const char *path; /* NULL: no film */
    int frames_dir;   /* path is a folder of PNG frames */
    int width, height, fps;
} film_options;

/* --video FILE, --frames DIR, --width N, --height N, --fps N: a cli_opt table for the commands that
 * film, and its handler: 1 if name is one of them (0 if not), -1 on a bad value (message printed). */
extern const cli_opt film_opts[];
int film_option(film_options *o, const char *name, const char *value);

typedef struct {
    vid_writer *vid;
    rnd_context *rnd;
    unsigned char *rgb;
    const char *model; /* for the caption */
    long frames;
    int failed;
    char err[1024];
} film;

/* Opens the video; 0, or -1 with a message. fps 0: one frame per environment step in real time. */
int film_open(film *f, const film_options *o, double env_dt, char *err, size_t errlen);
/* Before each episode: a renderer for its model (label: the caption's model name). */
int film_model(film *f, const film_options *o, const env_model *em, const char *label, char *err, size_t errlen);
/* wk_poll_fn: renders and writes the step. Errors are kept in f->err (f->failed). */
int film_step(void *ctx, const wk_step *step);
/* Finishes the file; 0, or -1 with a message (also for an error kept during the episode), and
 * then no unfinished video file is left. */
int film_close(film *f, char *err, size_t errlen);
/* On a failure elsewhere: stops and removes the unfinished video. */
void film_discard(film *f);

#endif
