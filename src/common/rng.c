#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <Random123/philox.h>

void rng_stream_init(rng_stream *s, uint64_t seed, rng_purpose purpose, uint32_t a, uint32_t b)
{
    s->key[0] = (uint32_t)seed;
    s->key[1] = (uint32_t)(seed >> 32);
    s->ctr[0] = 0;
    s->ctr[1] = a;
    s->ctr[2] = b;
    s->ctr[3] = (uint32_t)purpose << 24;
    s->left = 0;
}

static void refill(rng_stream *s)
{
    philox4x32_ctr_t c = {{s->ctr[0], s->ctr[1], s->ctr[2], s->ctr[3]}};
    philox4x32_key_t k = {{s->key[0], s->key[1]}};
    philox4x32_ctr_t r = philox4x32(c, k);
    for (int i = 0; i < 4; i++) s->buf[i] = r.v[i];
    s->left = 4;
    /* 2^32 blocks per stream, then carry into the low 24 bits of the purpose word. */
    if (++s->ctr[0] == 0) s->ctr[3]++;
}

uint32_t rng_u32(rng_stream *s)
{
    if (s->left == 0) refill(s);
    return s->buf[4 - s->left--];
}

double rng_uniform(rng_stream *s)
{
    uint32_t a = rng_u32(s) >> 5, b = rng_u32(s) >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

/* Marsaglia & Tsang's ziggurat. One word gives one normal: the low 7 bits pick
 * the layer, the upper 25 bits the value, so the two never share bits (the
 * original's sharing is a known flaw) and one Philox call yields four normals. */
static double normal_tail(rng_stream *s, int32_t hz, uint32_t iz)
{
    const double r = 3.442620;
    for (;;) {
        double x = hz * rng_zig.wn[iz];
        if (iz == 0) {
            double y;
            do {
                x = -log(1.0 - rng_uniform(s)) * 0.2904764;
                y = -log(1.0 - rng_uniform(s));
            } while (y + y < x * x);
            return hz > 0 ? r + x : -r - x;
        }
        if (rng_zig.fn[iz] + rng_uniform(s) * (rng_zig.fn[iz - 1] - rng_zig.fn[iz]) < exp(-.5 * x * x))
            return x;
        uint32_t w = rng_u32(s);
        iz = w & 127;
        hz = (int32_t)(w & ~127u);
        if (hz != INT32_MIN && (uint32_t)abs(hz) < rng_zig.kn[iz]) return hz * rng_zig.wn[iz];
        if (hz == INT32_MIN) hz = INT32_MIN + 128;
    }
}

double rng_normal(rng_stream *s)
{
    uint32_t w = rng_u32(s);
    uint32_t iz = w & 127;
    int32_t hz = (int32_t)(w & ~127u);
    /* |INT32_MIN| overflows abs(); it is never below kn, so it goes to the slow path. */
    if (hz != INT32_MIN && (uint32_t)abs(hz) < rng_zig.kn[iz]) return hz * rng_zig.wn[iz];
    if (hz == INT32_MIN) hz = INT32_MIN + 128;
    return normal_tail(s, hz, iz);
}

void rng_fill_normal(rng_stream *s, double *out, size_t n)
{
    /* Same values as calling rng_normal() n times; the fast path is inlined. */
    for (size_t i = 0; i < n; i++) {
        if (s->left == 0) refill(s);
        {
            uint32_t w = s->buf[4 - s->left];
            uint32_t iz = w & 127;
            int32_t hz = (int32_t)(w & ~127u);
            if (hz != INT32_MIN && (uint32_t)abs(hz) < rng_zig.kn[iz]) {
                s->left--;
                out[i] = hz * rng_zig.wn[iz];
                continue;
            }
        }
        out[i] = rng_normal(s);
    }
}

void rng_episode_streams(uint64_t episode_seed, uint32_t model, uint32_t rep, rng_stream *weights, rng_stream *reset)
{
    if (weights) rng_stream_init(weights, episode_seed, RNG_WEIGHTS, model, rep);
    rng_stream_init(reset, episode_seed, RNG_RESET, model, rep);
}

uint64_t rng_derive(uint64_t seed, rng_purpose purpose, uint32_t a, uint32_t b)
{
    rng_stream s;
    rng_stream_init(&s, seed, purpose, a, b);
    uint64_t hi = rng_u32(&s);
    return hi << 32 | rng_u32(&s);
}
