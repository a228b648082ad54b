/* conform's entry point: everything lives in the runner library (cli.c). */
#include "cli.h"

int main(int argc, char **argv)
{
    return cf_cli_main(argc, argv);
}
