/* The wire's pieces: src/proto/proto.c built with 7-element pieces (as a 60,800-parameter sum is
 * one piece of 2^30), so that sums and broadcasts of 100 elements cross in 15 pieces, the last one
 * short. Run under mpirun -np 3 (CTest). Exit 0 when every rank agrees. */
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
    if (bad) fprintf(stderr, "test_proto: rank %d: %d wrong values\n", rank, bad);
    else if (rank == 0) printf("test_proto: %d ranks, sums, broadcasts and agreement in 7-element pieces: ok\n", size);
    proto_finalize();
    return bad != 0;
}
