/*
 * compare.h - comparing a response body with an expected JSON value
 * (an inline `body_equals`/`body_includes`, or a spec's named example).
 *
 * Policies:
 *   EXACT  - the same value (object key order ignored);
 *   SUBSET - every member of the expected value is present with an equal
 *            value, recursively for objects; arrays compare element by
 *            element and must have the same length; extra object members
 *            in the actual value are allowed;
 *   SHAPE  - the same keys and the same JSON types recursively, values may
 *            differ (integer and number count as one type).
 * Strings compare as decoded values: " Close chat" differs from "Close chat",
 * and "\u0020" equals " ". Members whose JSON Pointer (in the expected value)
 * is listed in ignore are not compared, nor is anything below them.
 */
#ifndef CONFORM_COMPARE_H
#define CONFORM_COMPARE_H

#include <stddef.h>

#include "doc.h"

typedef enum cf_match { CF_MATCH_SUBSET = 0, CF_MATCH_EXACT, CF_MATCH_SHAPE } cf_match;

/* Returns 0 when actual matches expected under policy, 1 when it does not
 * (then *diff, if diff is not NULL, is a newly allocated compact diff: one
 * line per difference, "POINTER: expected X, got Y" / "POINTER: missing" /
 * "POINTER: unexpected member", at most 20 lines then "... N more"), and -1
 * on OOM. Either doc may be NULL. */
int cf_compare(char **diff, const cf_doc *expected_doc, const cJSON *expected,
               const cf_doc *actual_doc, const cJSON *actual, cf_match policy,
               const char *const *ignore, size_t nignore);

/* "subset", "exact", "shape" to a policy; -1 if unknown. */
int cf_match_parse(const char *name);
const char *cf_match_name(cf_match m);

#endif
