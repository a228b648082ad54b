/*
 * checks.h - the checks a step states in its `expect` block: status,
 * headers, body (equal or superset), response-time budget. Each mismatch is
 * a FAILURE finding naming what was expected and what came. The automatic,
 * spec-derived checks live in checks_spec.h.
 */
#ifndef CONFORM_CHECKS_H
#define CONFORM_CHECKS_H

#include "doc/doc.h"
#include "engine/http.h"
#include "engine/result.h"
#include "suite/suite.h"
#include "suite/template.h"

/* body is the response parsed as JSON, or NULL (then body_error says why:
 * empty, or the parse error). Expected values may hold {{variables}}
 * (captures of earlier steps); lookup resolves them. */
void cf_checks_expect(cf_case_result *res, int step, const cf_step *st,
                      const cf_http_response *resp, const cf_doc *body, const char *body_error,
                      cf_template_lookup lookup, void *ctx);

#endif
