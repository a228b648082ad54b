#include "cli.h"

#include <stdio.h>

int cf_cli_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "conform: not implemented yet\n");
    return CF_EXIT_USAGE;
}
