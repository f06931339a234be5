/* hebes eval and hebes inspect: what a checkpoint holds and how well it walks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "cli.h"
#include "rng.h"
#include "worker.h"

int cli_eval(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "hebes eval: not built yet\n");
    return CLI_ERROR;
}

int cli_inspect(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "hebes inspect: not built yet\n");
    return CLI_ERROR;
}
