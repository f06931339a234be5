/* Small HDF5 helpers shared by checkpoints and traces. All return 0 or -1. */
#ifndef HEBES_H5U_H
#define HEBES_H5U_H

#include <hdf5.h>

/* Creates (truncates) a file whose metadata and datasets are checksummed. */
hid_t h5u_create(const char *path);
int h5u_put_string_attr(hid_t loc, const char *name, const char *value);
int h5u_put_attr(hid_t loc, const char *name, hid_t type, const void *value);
/* Rows (first-axis entries) per chunk of a dataset of `total` bytes whose rows hold `row` bytes:
 * all of them up to 1 GiB, else chunks of at most 1 GiB (HDF5 chunks must stay below 4 GiB, and
 * each carries its own Fletcher-32 checksum). */
unsigned long long h5u_chunk_rows(unsigned long long total, unsigned long long row);
int h5u_put_dset(hid_t loc, const char *name, hid_t type, int rank, const hsize_t *dims, const void *data);
int h5u_put_text(hid_t loc, const char *name, const char *text);
/* A fixed-length string attribute or scalar dataset, malloc'd; NULL if absent or not a string. */
char *h5u_get_string(hid_t loc, const char *name, int is_attr);
int h5u_get_attr(hid_t loc, const char *name, hid_t type, void *out);
/* Reads a dataset of exactly `count` elements (rank 1, or [count, cols] when cols > 0). */
int h5u_get_dset(hid_t loc, const char *name, hid_t type, hsize_t count, hsize_t cols, void *out);
/* Number of elements of a dataset, -1 if absent. */
hssize_t h5u_dset_len(hid_t loc, const char *name);

#endif
