/* Frames to a video file (ffmpeg, fed raw RGB through a pipe) or to a folder of PNG files
 * (no ffmpeg needed). */
#ifndef HEBES_VIDEO_H
#define HEBES_VIDEO_H

#include <stddef.h>

typedef struct vid_writer vid_writer;

/* path: a video file, its format from the ending (.mp4, .mkv, .webm: H.264/VP9; .gif), or with
 * frames_dir a folder that gets frame_000000.png, ... (created if missing). fps: frames per
 * second of the video. Returns NULL with a message (no ffmpeg, an unknown ending, ...). */
vid_writer *vid_open(const char *path, int frames_dir, int width, int height, int fps, char *err, size_t errlen);
/* One frame of width * height * 3 bytes, top row first. Returns 0, or -1 with a message. */
int vid_write(vid_writer *v, const unsigned char *rgb, char *err, size_t errlen);
/* Finishes the file (waits for ffmpeg), which appears at its path only now: ffmpeg writes
 * PATH.tmp.PID.EXT, renamed to PATH when whole. Frees v; returns -1 with a message if anything
 * failed, and then PATH is as it was (the temporary is removed). NULL is fine. */
int vid_close(vid_writer *v, char *err, size_t errlen);
/* Stops ffmpeg and removes the unfinished video (PATH is left as it was; a frames folder is
 * removed only when still empty); frees v. */
void vid_discard(vid_writer *v);
/* Frames written so far. */
long vid_frames(const vid_writer *v);

/* One PNG file of an RGB image (8 bits a channel). Returns 0, or -1 with a message. */
int vid_write_png(const char *path, const unsigned char *rgb, int width, int height, char *err, size_t errlen);

#endif
