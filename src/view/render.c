#include "render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>

struct rnd_context {
    EGLDisplay dpy;
    EGLContext ctx;
    mjModel *m; /* a copy: the offscreen buffer size lives in the model's visual options */
    mjvScene scn;
    mjvCamera cam;
    mjvOption opt;
    mjrContext con;
    int width, height, track_body;
    int framed; /* frames rendered: the first one points the camera at the body */
    unsigned char *flip; /* one row */
};

static int egl_fail(char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen,
             "cannot make a headless OpenGL context: %s failed (EGL error 0x%x); it needs Mesa's EGL with the "
             "surfaceless platform (Debian: libegl-mesa0, libgl1-mesa-dri; scripts/install-deps.sh installs them)",
             what, (unsigned)eglGetError());
    return -1;
}

static int make_gl(rnd_context *r, char *err, size_t errlen)
{
    PFNEGLGETPLATFORMDISPLAYEXTPROC get_display =
        (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
    if (!get_display) return egl_fail(err, errlen, "eglGetProcAddress(eglGetPlatformDisplayEXT)");
    r->dpy = get_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
    EGLint major, minor;
    if (r->dpy == EGL_NO_DISPLAY || !eglInitialize(r->dpy, &major, &minor))
        return egl_fail(err, errlen, "eglInitialize (surfaceless platform)");
    /* MuJoCo renders into its own framebuffer object: the config needs no surface of its own. */
    const EGLint attr[] = {EGL_RED_SIZE,        8, EGL_GREEN_SIZE, 8,
                           EGL_BLUE_SIZE,       8, EGL_DEPTH_SIZE, 24,
                           EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,   EGL_SURFACE_TYPE, EGL_PBUFFER_BIT,
                           EGL_NONE};
    EGLConfig config;
    EGLint n = 0;
    if (!eglChooseConfig(r->dpy, attr, &config, 1, &n) || n < 1) return egl_fail(err, errlen, "eglChooseConfig");
    if (!eglBindAPI(EGL_OPENGL_API)) return egl_fail(err, errlen, "eglBindAPI(OpenGL)");
    r->ctx = eglCreateContext(r->dpy, config, EGL_NO_CONTEXT, NULL);
    if (r->ctx == EGL_NO_CONTEXT) return egl_fail(err, errlen, "eglCreateContext");
    if (!eglMakeCurrent(r->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, r->ctx))
        return egl_fail(err, errlen, "eglMakeCurrent (surfaceless)");
    return 0;
}

int rnd_check_size(int width, int height, char *err, size_t errlen)
{
    /* even: H.264's 4:2:0 chroma needs it */
    if (width < 16 || height < 16 || width > 4096 || height > 4096 || width % 2 || height % 2) {
        snprintf(err, errlen, "video size %d x %d: width and height must be even numbers from 16 to 4096", width,
                 height);
        return -1;
    }
    return 0;
}

rnd_context *rnd_create(const mjModel *m, int track_body, int width, int height, char *err, size_t errlen)
{
    if (rnd_check_size(width, height, err, errlen)) return NULL;
    rnd_context *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->dpy = EGL_NO_DISPLAY;
    r->ctx = EGL_NO_CONTEXT;
    r->width = width;
    r->height = height;
    r->track_body = track_body;
    mjv_defaultScene(&r->scn);
    mjr_defaultContext(&r->con);
    r->flip = malloc((size_t)width * 3);
    r->m = r->flip ? mj_copyModel(NULL, m) : NULL;
    if (!r->m) {
        snprintf(err, errlen, "out of memory");
        rnd_destroy(r);
        return NULL;
    }
    if (make_gl(r, err, errlen)) {
        rnd_destroy(r);
        return NULL;
    }
    r->m->vis.global.offwidth = width;
    r->m->vis.global.offheight = height;
    mjv_defaultOption(&r->opt);
    mjv_defaultCamera(&r->cam);
    r->cam.type = mjCAMERA_TRACKING;
    r->cam.trackbodyid = track_body;
    r->cam.distance = 4.0;
    r->cam.elevation = -25.0;
    r->cam.azimuth = 90.0; /* looking along +y: the Ant walks (+x) from left to right */
    mjv_makeScene(r->m, &r->scn, 2000);
    /* a caption of ~50 characters must fit the frame's width */
    mjr_makeContext(r->m, &r->con, width < 480 ? mjFONTSCALE_50 : width < 960 ? mjFONTSCALE_100 : mjFONTSCALE_150);
    mjr_setBuffer(mjFB_OFFSCREEN, &r->con);
    if (r->con.currentBuffer != mjFB_OFFSCREEN || r->con.offWidth < width || r->con.offHeight < height) {
        snprintf(err, errlen, "MuJoCo could not make a %d x %d offscreen buffer", width, height);
        rnd_destroy(r);
        return NULL;
    }
    return r;
}

void rnd_destroy(rnd_context *r)
{
    if (!r) return;
    if (r->ctx != EGL_NO_CONTEXT) {
        eglMakeCurrent(r->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, r->ctx);
        mjr_freeContext(&r->con);
        mjv_freeScene(&r->scn);
        eglMakeCurrent(r->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        eglDestroyContext(r->dpy, r->ctx);
    }
    /* No eglTerminate: the display is one per process, shared by every renderer alive (one per
     * model), and terminating it would end their contexts too. */
    if (r->m) mj_deleteModel(r->m);
    free(r->flip);
    free(r);
}

/* The model's floor is a finite plane (40 m each way) and its light is fixed over the origin, so a
 * long walk leaves both behind: sky under the Ant, no shadow past x ~ 14 m. The model text is
 * stored in every checkpoint and must not change, so the film moves them in the scene instead,
 * with the tracked body: the light by its position, the floor by whole steps of RND_FLOOR_STEP,
 * a multiple of its checker's period, so that the pattern stays put in the world. */
#define RND_FLOOR_STEP 2.0

static void follow_body(rnd_context *r, const mjData *d)
{
    const mjtNum *p = d->xpos + 3 * r->track_body;
    const double sx = RND_FLOOR_STEP * floor(p[0] / RND_FLOOR_STEP + 0.5);
    const double sy = RND_FLOOR_STEP * floor(p[1] / RND_FLOOR_STEP + 0.5);
    for (int i = 0; i < r->scn.ngeom; i++) {
        mjvGeom *g = &r->scn.geoms[i];
        if (g->type != mjGEOM_PLANE || g->objtype != mjOBJ_GEOM || r->m->geom_bodyid[g->objid] != 0) continue;
        g->pos[0] = (float)(r->m->geom_pos[3 * g->objid] + sx);
        g->pos[1] = (float)(r->m->geom_pos[3 * g->objid + 1] + sy);
    }
    for (int i = 0; i < r->scn.nlight; i++) {
        mjvLight *l = &r->scn.lights[i];
        if (l->headlight) continue;
        l->pos[0] += (float)p[0];
        l->pos[1] += (float)p[1];
    }
}

int rnd_frame(rnd_context *r, const mjData *d, const char *caption, unsigned char *rgb, char *err, size_t errlen)
{
    if (!eglMakeCurrent(r->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, r->ctx))
        return egl_fail(err, errlen, "eglMakeCurrent");
    /* MuJoCo's tracking camera moves by the body's motion since the last frame: the first frame of a
     * film that starts away from the origin must look at the body itself. */
    if (!r->framed++)
        for (int k = 0; k < 3; k++) r->cam.lookat[k] = d->subtree_com[3 * r->track_body + k];
    /* mjv_updateScene only reads d; its prototype predates const. */
    mjv_updateScene(r->m, (mjData *)d, &r->opt, NULL, &r->cam, mjCAT_ALL, &r->scn);
    follow_body(r, d);
    mjrRect view = {0, 0, r->width, r->height};
    mjr_render(view, &r->scn, &r->con);
    if (caption) mjr_overlay(mjFONT_NORMAL, mjGRID_TOPLEFT, view, caption, NULL, &r->con);
    mjr_readPixels(rgb, NULL, view, &r->con);
    /* OpenGL's rows run bottom up; video rows top down. */
    const size_t row = (size_t)r->width * 3;
    for (int y = 0; y < r->height / 2; y++) {
        unsigned char *a = rgb + (size_t)y * row, *b = rgb + (size_t)(r->height - 1 - y) * row;
        memcpy(r->flip, a, row);
        memcpy(a, b, row);
        memcpy(b, r->flip, row);
    }
    return 0;
}
