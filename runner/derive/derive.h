/*
 * derive.h - suites derived from an OpenAPI document: reviewable YAML that
 * `conform list` and `conform run` load unchanged (docs/DERIVE.md).
 *
 * Per operation, in document order:
 *  - one case per documented response: 2XX/3XX with a valid request (body
 *    from the request examples, else built from the schema: required members
 *    from example, default, enum, else a value of the type); 401/403 without
 *    the credentials `security` asks for; 400/422/4XX with a required member
 *    left out; 404 with an unknown path parameter; any other status is
 *    written as a skipped case whose reason says it cannot be provoked from
 *    the document alone;
 *  - one case per named response example (`expect.example`), sending the
 *    request example of the same name when there is one;
 *  - negative cases: each required body member, query and header parameter
 *    missing, a wrong type, an enum violated, credentials missing; each
 *    expects the documented client error (400, else 422, else 4XX, else
 *    another documented 4xx; 401/403 for credentials) or, when none is
 *    documented, `4XX` with tag `undocumented` and `checks_off` with a
 *    written reason.
 * Values the document does not give (path parameters, credentials, string
 * members without example) become variables listed at the top under `vars`
 * with the value TODO and a comment. Operations whose path parameters come
 * from another operation get a comment naming it (from OpenAPI `links`, or
 * the operation that creates the collection); where a response documents
 * `links` to the operation, a setup placeholder comment shows the capture.
 *
 * The output is a function of the document and the options alone:
 * deterministic byte for byte.
 */
#ifndef CONFORM_DERIVE_H
#define CONFORM_DERIVE_H

#include <stddef.h>

#include "base/error.h"
#include "spec/spec.h"

typedef struct cf_derive_opts {
    const char *operation; /* only this operation (operationId or "METHOD /path"), or NULL */
    const char *target;    /* the suite's target */
    const char *spec_ref;  /* the spec path as the suite writes it (relative to the suite) */
} cf_derive_opts;

typedef struct cf_derive_stats {
    size_t operations, cases, negative, skipped, variables;
} cf_derive_stats;

/* The suite text for spec (allocated, YAML). -1 with *err when --operation
 * names no operation, or when spec has no operation (a suite needs a case). */
int cf_derive_suite(char **out, cf_derive_stats *stats, const cf_spec *spec,
                    const cf_derive_opts *opts, cf_error **err);

#endif
