/* libFuzzer target: the checkpoint reader. The input is written to a file and read as hebes eval,
 * inspect and train --resume do: open (format, version, /config and its checksum, layout, stored
 * models), config, coefficients, observation statistics, the whole state. Errors are the expected
 * answer to a damaged file; a crash, leak or sanitizer report is a bug. */
#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ckpt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/hebes-fuzz-ckpt-%ld.h5", (long)getpid());
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    }
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    char err[2 * CFG_ERR_MAX];
    ckpt_file *cf = NULL;
    if (ckpt_open(&cf, path, err, sizeof err) == 0) {
        cfg c;
        ckpt_config(cf, &c, NULL, 0, err, sizeof err);
        ckpt_model_xml(cf, "envs/ant.xml");
        long long n = ckpt_n_params(cf);
        if (n > 0 && n <= 1000000) {
            double *h = malloc((size_t)n * sizeof *h);
            if (h) ckpt_read_coefficients(cf, "best", h, (size_t)n, err, sizeof err);
            free(h);
            es_obs_stats obs;
            ckpt_read_obs_stats(cf, &obs, err, sizeof err);
            es_state s;
            if (es_state_create(&s, (size_t)n, NULL) == 0) {
                ckpt_read_state(cf, &s, err, sizeof err);
                es_state_free(&s);
            }
        }
        ckpt_close(cf);
    }
    unlink(path);
    return 0;
}
