/*
 * derive.h - `conform derive SPEC... [--operation ID] [--target NAME]
 * [-o DIR]`: write suites derived from OpenAPI documents (runner/derive,
 * docs/DERIVE.md). Without -o the suite of the one SPEC goes to stdout.
 * Exit codes: 0 written, 2 bad usage or a document that does not load.
 */
#ifndef CONFORM_CLI_DERIVE_H
#define CONFORM_CLI_DERIVE_H

int cf_derive_main(int argc, char **argv);

#endif
