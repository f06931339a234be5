/* Headless pictures of the Ant: MuJoCo's own scene and renderer (mjv_/mjr_) in an OpenGL
 * context from Mesa's EGL without any display (the surfaceless platform), as on a cluster node.
 *
 * Constant part: rnd_context (the GL context, a copy of the model with its assets uploaded),
 * one per model. Per frame: rnd_frame renders an mjData of that model into RGB bytes. */
#ifndef HEBES_RENDER_H
#define HEBES_RENDER_H

#include <stddef.h>

#include <mujoco/mujoco.h>

typedef struct rnd_context rnd_context;

/* 0 if width x height can be rendered (even numbers from 16 to 4096), else -1 with a message. */
int rnd_check_size(int width, int height, char *err, size_t errlen);

/* A renderer of width x height pixels (even numbers, at most 4096) for model m, its camera
 * following body track_body. Returns NULL with a message when no GL context can be made. */
rnd_context *rnd_create(const mjModel *m, int track_body, int width, int height, char *err, size_t errlen);
void rnd_destroy(rnd_context *r);

/* Renders d (of the model given to rnd_create) into rgb, width * height * 3 bytes, top row
 * first; caption (NULL: none) is written top left. Returns 0, or -1 with a message. */
int rnd_frame(rnd_context *r, const mjData *d, const char *caption, unsigned char *rgb, char *err, size_t errlen);

#endif
