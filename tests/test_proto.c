/* The wire: src/proto/proto.c built with 7-element pieces (as a 60,800-parameter sum is one piece
 * of 2^30), so that sums and broadcasts of 100 elements cross in 15 pieces, the last one short;
 * then every other call of a generation, as rank 0 and the others make them. Run under mpirun
 * -np 3 (CTest). Exit 0 when every rank agrees. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "proto.h"

int main(int argc, char **argv)
{
    int rank, size, bad = 0;
    proto_init(&argc, &argv, &rank, &size);
    int64_t acc[100];
    for (int i = 0; i < 100; i++) acc[i] = (int64_t)rank * 1000 + i;
    proto_sum(acc, 100);
    for (int i = 0; i < 100; i++) {
        /* sum over ranks r of (1000 r + i) */
        int64_t want = 1000LL * size * (size - 1) / 2 + (int64_t)size * i;
        if (acc[i] != want) bad++;
    }
    char text[50];
    for (int i = 0; i < 50; i++) text[i] = rank == 0 ? (char)('a' + i % 26) : 0;
    proto_bcast(text, sizeof text);
    for (int i = 0; i < 50; i++) bad += text[i] != (char)('a' + i % 26);
    bad += proto_all(1) != 1;
    bad += proto_all(rank != size - 1) != 0; /* one rank says no: every rank hears it */

    /* the control word and whether a signal caused it, from rank 0 */
    int word = rank == 0 ? PROTO_RUN : 0, signalled = rank == 0;
    proto_control(&word, &signalled);
    bad += word != PROTO_RUN || signalled != 1;

    /* work items: each other rank returns a result and asks; rank 0 polls until it has them all
     * (never blocking), stores them and answers each with its next item */
    if (rank == 0) {
        int got = 0, seen[64] = {0};
        while (got < size - 1) {
            proto_result m;
            int src;
            if (!proto_poll(&m, &src)) continue;
            bad += m.k != 10 * src || m.r.fitness != 0.5 * src || m.r.steps != src || m.distance != -src;
            bad += src < 1 || src >= size || seen[src]++;
            proto_assign(src, 100 + src);
            got++;
        }
        proto_result none;
        int src;
        bad += proto_poll(&none, &src) != 0; /* nothing is left waiting */
    } else {
        proto_result m = {.k = 10 * rank, .r = {.fitness = 0.5 * rank, .steps = rank}, .distance = -rank};
        bad += proto_ask(&m) != 100 + rank;
    }
    proto_barrier();

    /* the end of a generation: the verdict, the pair weights and the observation statistics;
     * after an abandon, nothing more crosses */
    es_gen g = {.n = 4, .n_weights = 2};
    double weights[2] = {rank == 0 ? 1.5 : 0.0, rank == 0 ? -2.25 : 0.0};
    g.pair_weight = weights;
    es_obs_stats obs = {.n = 2, .count = rank == 0 ? 7.0 : 0.0, .sum = {rank == 0 ? 3.0 : 0.0}};
    int verdict = rank == 0 ? ES_UPDATE : 0;
    proto_generation_end(&verdict, &g, &obs);
    bad += verdict != ES_UPDATE || weights[0] != 1.5 || weights[1] != -2.25 || obs.count != 7.0 || obs.sum[0] != 3.0;
    for (int v = ES_ABANDON; v <= ES_DIVERGED; v++) {
        weights[0] = rank == 0 ? 9.0 : 1.0;
        verdict = rank == 0 ? v : 0;
        proto_generation_end(&verdict, &g, NULL);
        bad += verdict != v || weights[0] != (rank == 0 ? 9.0 : 1.0);
    }
    if (bad) fprintf(stderr, "test_proto: rank %d: %d wrong values\n", rank, bad);
    else if (rank == 0)
        printf("test_proto: %d ranks: sums, broadcasts and agreement in 7-element pieces, the control word, work "
               "items and the end of a generation: ok\n", size);
    proto_finalize();
    return bad != 0;
}
