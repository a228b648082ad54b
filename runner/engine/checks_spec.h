/*
 * checks_spec.h - the automatic, spec-aware checks on one response of a step
 * that names a spec operation (docs/CASEFORMAT.md, issue #4):
 *
 *   documented-status  the status is documented for the operation: exactly,
 *                      by its class ("4XX", any case) or by "default";
 *   content-type       the Content-Type matches a documented media type
 *                      (parameters such as charset ignored, case-insensitive,
 *                      ranges honoured); a response documenting content must
 *                      carry a Content-Type; a response documenting no content
 *                      must have an empty body;
 *   schema             the body validates against the documented schema of
 *                      that status and media type, one finding per violation;
 *                      a body that is not JSON where the media type is JSON
 *                      (application/json, any +json) is a schema failure;
 *   example            only when the step asks for it (expect.example): the
 *                      body matches the spec's named example for the status
 *                      that came, under the step's match policy.
 *
 * Every finding is a FAILURE (the server answered; the answer is wrong); a
 * check that cannot run because an earlier one failed (no documented response,
 * no matching media type) is not reported twice.
 */
#ifndef CONFORM_CHECKS_SPEC_H
#define CONFORM_CHECKS_SPEC_H

#include <stddef.h>

#include "doc/compare.h"
#include "doc/doc.h"
#include "base/error.h"
#include "engine/result.h"
#include "spec/spec.h"

/* What the step asks for beyond the always-on checks. */
typedef struct cf_spec_check_opts {
    int off[CF_AUTO_COUNT];    /* nonzero: that automatic check is off (checks_off) */
    const char *example;       /* expect.example name, or NULL: no example check */
    cf_match match;            /* policy for the example comparison (default SUBSET) */
    const char *const *ignore; /* JSON Pointers (in the example) left out of the comparison */
    size_t nignore;
} cf_spec_check_opts;

/* At most this many schema findings per response; the rest are counted in
 * one last finding ("... and N more schema violations"). */
#define CF_CHECKS_SPEC_MAX_SCHEMA_FINDINGS 20

/* Runs the automatic checks on one response and adds a FAILURE finding
 * (cf_case_add_finding, with step) for each thing that does not match.
 *
 * content_type: the response's Content-Type header value, NULL when absent.
 * json: the body parsed as JSON when the caller already parsed it (owned by
 *   the caller), else NULL; body/body_len: the raw body (body may be NULL when
 *   body_len is 0). When json is NULL and the body is needed as JSON, it is
 *   parsed here, so the failure can quote the parse error.
 * opts may be NULL (all checks on, no example).
 *
 * Returns the number of findings added (0: everything matched). Thread-safe:
 * op is only read. */
int cf_checks_spec(cf_case_result *res, int step, const cf_operation *op, int status,
                   const char *content_type, const cf_doc *json, const char *body, size_t body_len,
                   const cf_spec_check_opts *opts);

#endif
