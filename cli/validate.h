/*
 * validate.h - `conform validate`: check a saved response body against a
 * spec's documented response schema, or against a standalone Schema Object.
 *
 *   conform validate --spec FILE --operation ID --status CODE [--media TYPE] BODY
 *   conform validate --schema FILE BODY
 *
 * BODY is a file path or "-" for standard input. Exit codes: 0 the body is
 * valid; 1 it is not (one line per violation on stdout:
 * "POINTER: message (schema: LOCATION)", the root pointer shown as "(root)");
 * 2 bad usage or unreadable input (a located message plus a hint on stderr).
 * See docs/VALIDATE.md.
 */
#ifndef CONFORM_VALIDATE_H
#define CONFORM_VALIDATE_H

/* argv[0] is "validate"; the options are parsed with getopt_long (optind is
 * reset first, so the CLI may have used getopt before). Returns the exit
 * code. Writes to stdout and stderr. */
int cf_validate_main(int argc, char **argv);

#endif
