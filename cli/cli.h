/*
 * cli.h - the command line: `conform run|list|validate`, --help, --version.
 * Exit codes: 0 all cases passed, 1 a case failed or errored, 2 bad usage,
 * config or suite file (nothing sent).
 */
#ifndef CONFORM_CLI_H
#define CONFORM_CLI_H

#include "exit.h"

int cf_cli_main(int argc, char **argv);

#endif
