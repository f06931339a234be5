#include "proto.h"

#include <mpi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

enum { TAG_RESULT = 1, TAG_ASSIGN = 2 };

/* MPI counts are int: big buffers cross in pieces of at most 2^30 elements (tests/test_proto.c
 * builds this file with tiny pieces). */
#ifndef PROTO_PIECE
#define PROTO_PIECE ((size_t)1 << 30)
#endif
#define PIECE ((size_t)PROTO_PIECE)

void proto_init(int *argc, char ***argv, int *rank, int *size)
{
    if (MPI_Init(argc, argv) != MPI_SUCCESS) {
        fprintf(stderr, "hebes: fatal: MPI_Init failed\n");
        exit(1);
    }
    PROTO_CHECK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
    PROTO_CHECK(MPI_Comm_rank(MPI_COMM_WORLD, rank));
    PROTO_CHECK(MPI_Comm_size(MPI_COMM_WORLD, size));
}

void proto_finalize(void)
{
    PROTO_CHECK(MPI_Finalize());
}

_Noreturn void proto_fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "hebes: fatal: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    fflush(stderr);
    int started = 0, ended = 0;
    MPI_Initialized(&started);
    MPI_Finalized(&ended);
    if (started && !ended) MPI_Abort(MPI_COMM_WORLD, 1); /* single-process commands never start MPI */
    exit(1); /* MPI_Abort does not return; the compiler does not know */
}

void proto_check(int rc, const char *call, const char *file, int line)
{
    if (rc == MPI_SUCCESS) return;
    char msg[MPI_MAX_ERROR_STRING] = "";
    int len = 0;
    MPI_Error_string(rc, msg, &len);
    proto_fatal("%s:%d: %s: %s", file, line, call, msg);
}

void proto_control(int *word, int *signalled)
{
    int ctrl[2] = {*word, *signalled};
    PROTO_CHECK(MPI_Bcast(ctrl, 2, MPI_INT, 0, MPI_COMM_WORLD));
    *word = ctrl[0];
    *signalled = ctrl[1];
}

int64_t proto_ask(const proto_result *m)
{
    int64_t k;
    PROTO_CHECK(MPI_Send(m, sizeof *m, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD));
    PROTO_CHECK(MPI_Recv(&k, 1, MPI_INT64_T, 0, TAG_ASSIGN, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
    return k;
}

int proto_poll(proto_result *m, int *src)
{
    int flag;
    MPI_Status st;
    PROTO_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag, &st));
    if (!flag) return 0;
    PROTO_CHECK(MPI_Recv(m, sizeof *m, MPI_BYTE, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
    *src = st.MPI_SOURCE;
    return 1;
}

void proto_assign(int dst, int64_t k)
{
    PROTO_CHECK(MPI_Send(&k, 1, MPI_INT64_T, dst, TAG_ASSIGN, MPI_COMM_WORLD));
}

void proto_generation_end(int *verdict, es_gen *g, es_obs_stats *obs)
{
    PROTO_CHECK(MPI_Bcast(verdict, 1, MPI_INT, 0, MPI_COMM_WORLD));
    if (*verdict == ES_ABANDON || *verdict == ES_DIVERGED) return; /* no replica changes: nothing more crosses */
    proto_bcast(g->pair_weight, (size_t)g->n_weights * sizeof *g->pair_weight);
    if (obs) proto_bcast(obs, sizeof *obs);
}

void proto_barrier(void)
{
    PROTO_CHECK(MPI_Barrier(MPI_COMM_WORLD));
}

int proto_all(int ok)
{
    int all;
    PROTO_CHECK(MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD));
    return all;
}

void proto_sum(int64_t *acc, size_t n)
{
    for (size_t i = 0; i < n; i += PIECE) {
        const size_t k = n - i < PIECE ? n - i : PIECE;
        PROTO_CHECK(MPI_Allreduce(MPI_IN_PLACE, acc + i, (int)k, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD));
    }
}

void proto_bcast(void *buf, size_t n)
{
    for (size_t i = 0; i < n; i += PIECE) {
        const size_t k = n - i < PIECE ? n - i : PIECE;
        PROTO_CHECK(MPI_Bcast((char *)buf + i, (int)k, MPI_BYTE, 0, MPI_COMM_WORLD));
    }
}
