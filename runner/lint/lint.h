/*
 * lint.h - defects in OpenAPI documents and in suites, each located
 * (FILE:LINE:COLUMN and a JSON Pointer), none of them fatal.
 *
 * Documents (cf_lint_spec), kinds:
 *   schema        not valid against the official OpenAPI 3.0 schema shipped
 *                 with conform (schemas/openapi-3.0, embedded at build time),
 *                 e.g. `required: "true"` written as a string
 *   path-params   a {name} of a path template no `in: path` parameter
 *                 declares, or a path parameter the template does not have
 *   ref           a $ref that does not resolve, or a chain of $refs that
 *                 comes back to itself
 *   example       an example that does not validate against its schema
 *   duplicate-id  an operationId used by two operations
 *   disabled      a part the loader had to disable for another reason
 * Suites (cf_lint_suites), kinds:
 *   undocumented-status  a step expects a status its operation does not
 *                        document, without checks_off.documented_status
 *   unused-variable      a suite `vars` entry no {{reference}} uses
 *   unchecked-example    a named example of an operation the suites call
 *                        that no step checks (`expect.example`)
 */
#ifndef CONFORM_LINT_H
#define CONFORM_LINT_H

#include <stddef.h>
#include <stdio.h>

#include "base/error.h"
#include "suite/suite.h"

typedef struct cf_lint_finding {
    char *file;
    int line, column; /* 0 when unknown */
    char *kind;
    char *pointer; /* JSON Pointer in file, may be NULL */
    char *message;
    char *hint; /* may be NULL */
} cf_lint_finding;

typedef struct cf_lint {
    cf_lint_finding *items;
    size_t count;
} cf_lint;

/* Lints the document at path. -1 (with *err) only when it cannot be read or
 * parsed at all; a document that is not OpenAPI 3.0 is a finding. */
int cf_lint_spec(cf_lint *out, const char *path, cf_error **err);
/* Lints loaded suites (together: an example checked in one counts for all). */
void cf_lint_suites(cf_lint *out, cf_suite *const *suites, size_t n);

/* One line per finding: "FILE:LINE:COL: [kind] message (pointer: P) (hint: H)". */
void cf_lint_print(const cf_lint *l, FILE *out);
void cf_lint_clear(cf_lint *l);

#endif
