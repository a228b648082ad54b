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
 *   SHAPE  - every member of the expected value is present with the same
 *            JSON type, recursively; values may differ (integer and number
 *            count as one type); extra members are allowed, as under SUBSET:
 *            whether the contract allows them is the schema's to say
 *            (additionalProperties), and a harmless extra field must never
 *            be flagged.
 * Strings compare as decoded values: " Close chat" differs from "Close chat",
 * and "\u0020" equals " ". Numbers compare exactly by their literal texts
 * (json.h): 1.0 equals 1, 12345678901234567891 differs from ...890. Members
 * whose JSON Pointer (in the expected value) is listed in ignore are not
 * compared, nor is anything below them; an ignored member may also be missing
 * or, under EXACT, be an extra member of the actual value.
 * SHAPE and arrays: lengths may differ; actual element i is compared with
 * expected element i, or with the last expected element beyond its length
 * (examples show homogeneous arrays); an empty expected array matches any.
 *
 * Diff lines, in document order of the expected value ("(root)" for ""):
 *   /msg: expected " Close chat request handled successfully", got "Close chat request handled
 * successfully" /id: expected integer 34, got string "34"      (types differ: both named) /tags:
 * expected 3 items, got 2                  (then the common prefix) /msg: missing /result:
 * unexpected member                      (EXACT only) Values render with cf_json_brief, strings
 * with cf_json_quote (spaces that are not U+0020 show as \uXXXX); long strings show a window around
 * the first difference and its position.
 */
#ifndef CONFORM_COMPARE_H
#define CONFORM_COMPARE_H

#include <stddef.h>

#include "doc/doc.h"

typedef enum cf_match { CF_MATCH_SUBSET = 0, CF_MATCH_EXACT, CF_MATCH_SHAPE } cf_match;

/* A predicate, like cf_json_equal: 1 when actual matches expected under
 * policy, 0 when it does not (then *diff, if diff is not NULL, is a newly
 * allocated compact diff: one line per difference, "POINTER: expected X, got
 * Y" / "POINTER: missing" / "POINTER: unexpected member", at most 20 lines
 * then "... N more"). Either doc may be NULL. */
int cf_matches(char **diff, const cf_doc *expected_doc, const cJSON *expected,
               const cf_doc *actual_doc, const cJSON *actual, cf_match policy,
               const char *const *ignore, size_t nignore);

/* "subset", "exact", "shape" to a policy; -1 if unknown. */
int cf_match_parse(const char *name);
const char *cf_match_name(cf_match m);

#endif
