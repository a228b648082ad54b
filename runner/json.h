/*
 * json.h - JSON text to cf_doc, and value comparison that is exact for numbers.
 *
 * Parsing goes through cJSON; a light scan of the same text (strings skipped,
 * no grammar of its own) records, in document order, each value's line and
 * column and each number's literal text in the doc's side table (doc.h), so
 * that ids beyond 2^53 compare exactly and errors can point at a value.
 */
#ifndef CONFORM_JSON_H
#define CONFORM_JSON_H

#include <stddef.h>

#include "doc.h"
#include "error.h"

/* Parses len bytes (need not be NUL-terminated). name labels the document in
 * errors ("response body", a file path). On a syntax error: err holds
 * NAME:LINE:COLUMN and a message. Empty input is an error. */
int cf_json_parse(cf_doc **out, const char *text, size_t len, const char *name, cf_error **err);
/* Reads and parses a file. */
int cf_json_load_file(cf_doc **out, const char *path, cf_error **err);

/* JSON type names as JSON Schema spells them: "null", "boolean", "object",
 * "array", "string", "integer" (a number with no fractional part), "number". */
const char *cf_json_type_name(const cf_doc *doc, const cJSON *node);

/* Compares two numbers mathematically, using their literal text when the doc
 * has it (so 12345678901234567891 != 12345678901234567890 and 1.0 == 1).
 * Returns <0, 0, >0. Either doc may be NULL. */
int cf_json_number_cmp(const cf_doc *da, const cJSON *a, const cf_doc *db, const cJSON *b);
/* Deep equality of JSON values: object key order ignored, numbers as above,
 * strings as decoded values. Returns 1 when equal. */
int cf_json_equal(const cf_doc *da, const cJSON *a, const cf_doc *db, const cJSON *b);

/* A compact one-line rendering of a value for messages, truncated to at most
 * max bytes with "..." (a string is shown quoted with JSON escapes). */
char *cf_json_brief(const cf_doc *doc, const cJSON *node, size_t max);

#endif
