#include "h5u.h"

#include <stdlib.h>
#include <string.h>

/* Every HDF5 call's result is checked: a write that half happened must not pass as a checkpoint.
 * Identifiers that were not created are negative, and closing them is skipped. The close calls'
 * results count too: HDF5 flushes on close. */
static int closed(herr_t r, int ok)
{
    return ok && r >= 0;
}

/* A fixed-length string type of len bytes (a copy of C's), or -1. */
static hid_t string_type(size_t len)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t >= 0 && H5Tset_size(t, len) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

int h5u_put_string_attr(hid_t loc, const char *name, const char *value)
{
    hid_t t = string_type(strlen(value) + 1), sp = H5Screate(H5S_SCALAR);
    hid_t a = t >= 0 && sp >= 0 ? H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT) : -1;
    int ok = a >= 0 && H5Awrite(a, t, value) >= 0;
    if (a >= 0) ok = closed(H5Aclose(a), ok);
    if (sp >= 0) ok = closed(H5Sclose(sp), ok);
    if (t >= 0) ok = closed(H5Tclose(t), ok);
    return ok ? 0 : -1;
}

int h5u_put_attr(hid_t loc, const char *name, hid_t type, const void *value)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = sp >= 0 ? H5Acreate2(loc, name, type, sp, H5P_DEFAULT, H5P_DEFAULT) : -1;
    int ok = a >= 0 && H5Awrite(a, type, value) >= 0;
    if (a >= 0) ok = closed(H5Aclose(a), ok);
    if (sp >= 0) ok = closed(H5Sclose(sp), ok);
    return ok ? 0 : -1;
}

unsigned long long h5u_chunk_rows(unsigned long long total, unsigned long long row)
{
    const unsigned long long max_chunk = 1ull << 30;
    if (row == 0) return 1;
    if (total <= max_chunk) return total / row;
    return row < max_chunk ? max_chunk / row : 1;
}

int h5u_put_dset(hid_t loc, const char *name, hid_t type, int rank, const hsize_t *dims, const void *data)
{
    hsize_t total = 1, row = H5Tget_size(type);
    for (int i = 0; i < rank; i++) total *= dims[i];
    for (int i = 1; i < rank; i++) row *= dims[i];
    /* Chunks with a Fletcher-32 checksum each: a flipped bit fails the read instead of passing
     * silently, which is the checkpoints' promise, so a filter that cannot be set fails the write.
     * HDF5 chunks stay below 4 GiB: larger datasets are cut along the first axis into chunks of at
     * most 1 GiB (one chunk otherwise). */
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    int ok = dcpl >= 0 && row > 0 && rank <= 8;
    if (ok && total > 0) {
        hsize_t chunk[8];
        for (int i = 0; i < rank; i++) chunk[i] = dims[i];
        chunk[0] = h5u_chunk_rows(total * H5Tget_size(type), row);
        ok = H5Pset_chunk(dcpl, rank, chunk) >= 0 && H5Pset_fletcher32(dcpl) >= 0;
    }
    hid_t sp = ok ? H5Screate_simple(rank, dims, NULL) : -1;
    hid_t d = sp >= 0 ? H5Dcreate2(loc, name, type, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT) : -1;
    ok = ok && d >= 0;
    if (ok && total > 0) ok = H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0;
    if (d >= 0) ok = closed(H5Dclose(d), ok);
    if (sp >= 0) ok = closed(H5Sclose(sp), ok);
    if (dcpl >= 0) ok = closed(H5Pclose(dcpl), ok);
    return ok ? 0 : -1;
}

hid_t h5u_create(const char *path)
{
    /* The 1.10 format checksums object headers and chunk indexes too; older ones
     * read a damaged chunk address as "unallocated" and return fill values. */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), f = -1;
    if (fapl < 0) return -1;
    if (H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_LATEST) >= 0)
        f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    if (H5Pclose(fapl) < 0 && f >= 0) {
        H5Fclose(f);
        f = -1;
    }
    return f;
}

int h5u_put_text(hid_t loc, const char *name, const char *text)
{
    hid_t t = string_type(strlen(text) + 1), sp = H5Screate(H5S_SCALAR);
    hid_t d = t >= 0 && sp >= 0 ? H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
    int ok = d >= 0 && H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, text) >= 0;
    if (d >= 0) ok = closed(H5Dclose(d), ok);
    if (sp >= 0) ok = closed(H5Sclose(sp), ok);
    if (t >= 0) ok = closed(H5Tclose(t), ok);
    return ok ? 0 : -1;
}

char *h5u_get_string(hid_t loc, const char *name, int is_attr)
{
    hid_t o = is_attr ? H5Aopen(loc, name, H5P_DEFAULT) : H5Dopen2(loc, name, H5P_DEFAULT);
    if (o < 0) return NULL;
    hid_t t = is_attr ? H5Aget_type(o) : H5Dget_type(o);
    char *buf = NULL;
    if (t >= 0 && H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) == 0) {
        /* Read into a null-terminated type one byte longer than the stored one: a string written
         * null-padded or space-padded by another tool (h5py's numpy.bytes_ stores "4.0.1" in 5
         * bytes) would otherwise lose its last character to the terminator. */
        size_t sz = H5Tget_size(t);
        hid_t mt = sz ? string_type(sz + 1) : -1;
        buf = mt >= 0 ? calloc(sz + 2, 1) : NULL;
        herr_t r = !buf ? -1 : is_attr ? H5Aread(o, mt, buf) : H5Dread(o, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
        if (mt >= 0 && H5Tclose(mt) < 0) r = -1;
        if (r < 0) {
            free(buf);
            buf = NULL;
        }
    }
    int ok = 1;
    if (t >= 0) ok = closed(H5Tclose(t), ok);
    ok = closed(is_attr ? H5Aclose(o) : H5Dclose(o), ok);
    if (!ok) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

int h5u_get_attr(hid_t loc, const char *name, hid_t type, void *out)
{
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return -1;
    int ok = H5Aread(a, type, out) >= 0;
    ok = closed(H5Aclose(a), ok);
    return ok ? 0 : -1;
}

int h5u_get_dset(hid_t loc, const char *name, hid_t type, hsize_t count, hsize_t cols, void *out)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) return -1;
    hid_t sp = H5Dget_space(d);
    int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    hsize_t dims[2] = {0, 0};
    int ok = rank == (cols ? 2 : 1) && H5Sget_simple_extent_dims(sp, dims, NULL) >= 0 && dims[0] == count &&
             (!cols || dims[1] == cols);
    if (ok && count * (cols ? cols : 1) > 0) ok = H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0;
    if (sp >= 0) ok = closed(H5Sclose(sp), ok);
    ok = closed(H5Dclose(d), ok);
    return ok ? 0 : -1;
}

hssize_t h5u_dset_len(hid_t loc, const char *name)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) return -1;
    hid_t sp = H5Dget_space(d);
    hssize_t n = sp >= 0 && H5Sget_simple_extent_ndims(sp) >= 1 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (sp >= 0 && H5Sclose(sp) < 0) n = -1;
    if (H5Dclose(d) < 0) n = -1;
    return n;
}
