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

#include "doc/doc.h"
#include "base/error.h"
#include "base/util.h"

/* Parses len bytes (need not be NUL-terminated). name labels the document in
 * errors ("response body", a file path). On a syntax error: err holds
 * NAME:LINE:COLUMN and a message. Empty input is an error.
 *
 * Strict RFC 8259: what cJSON tolerates but JSON forbids is a located error
 * too (leading zeros, "1.", raw control characters or invalid UTF-8 in
 * strings, whitespace other than space/tab/CR/LF, data after the value). A
 * leading UTF-8 byte order mark is ignored. Columns count code points.
 * Known cJSON 1.7.15 limit: a string holding \u0000 is cut there (cJSON
 * strings are C strings). Thread-safe. */
int cf_json_parse(cf_doc **out, const char *text, size_t len, const char *name, cf_error **err);
/* Reads and parses a file. */
int cf_json_load_file(cf_doc **out, const char *path, cf_error **err);

/* JSON type names as JSON Schema spells them: "null", "boolean", "object",
 * "array", "string", "integer", "number". A number is an "integer" as
 * OpenAPI 3.0 and draft 4 define it: "a JSON number without a fraction or
 * exponent part", judged from the literal text when the doc has it (so 1.0
 * and 1e2 are "number"; YAML 0x1F is "integer"); without text, a finite
 * double with no fractional part. */
const char *cf_json_type_name(const cf_doc *doc, const cJSON *node);
/* 1 when the number node is an "integer" in the sense above. */
int cf_json_number_is_integer(const cf_doc *doc, const cJSON *node);
/* 1 when the number's value is a whole number (1.0 and 1e2 are). */
int cf_json_number_is_integral(const cf_doc *doc, const cJSON *node);

/* Compares two numbers mathematically, using their literal text when the doc
 * has it (so 12345678901234567891 != 12345678901234567890 and 1.0 == 1).
 * Returns <0, 0, >0. Either doc may be NULL. */
int cf_json_number_cmp(const cf_doc *da, const cJSON *a, const cf_doc *db, const cJSON *b);
/* The same against a decimal literal such as "2147483647" or "-1.5e3". */
int cf_json_number_cmp_text(const cf_doc *doc, const cJSON *node, const char *text);
/* Whether number a is an integer multiple of number b (b > 0), exactly, in
 * decimal (0.0075 is a multiple of 0.0001; 1e308 of 0.5; not of 0.123456789).
 * 1 yes, 0 no (also for non-finite values). */
int cf_json_number_multiple(const cf_doc *da, const cJSON *a, const cf_doc *db, const cJSON *b);
/* Deep equality of JSON values: object key order ignored, numbers as above,
 * strings as decoded values. Returns 1 when equal. */
int cf_json_equal(const cf_doc *da, const cJSON *a, const cf_doc *db, const cJSON *b);
/* A hash consistent with cf_json_equal (equal values hash alike: 1.0 and 1,
 * {"a":1,"b":2} and {"b":2,"a":1}), for uniqueness checks on large arrays. */
size_t cf_json_hash(const cf_doc *doc, const cJSON *node);

/* A deep copy of node in which every leaf (a value that is neither an object
 * nor an array) is replaced by leaf(ctx, original): the one recursive copy
 * that request bodies and templates share. leaf returns a new node, or NULL
 * to fail the copy (then the result is NULL). */
typedef cJSON *(*cf_json_leaf_fn)(void *ctx, const cJSON *leaf);
cJSON *cf_json_copy_map(const cJSON *node, cf_json_leaf_fn leaf, void *ctx);

/* A compact one-line rendering of a value for messages, truncated to at most
 * max bytes with "..." (a string is shown quoted with JSON escapes). */
char *cf_json_brief(const cf_doc *doc, const cJSON *node, size_t max);
/* Appends s as a quoted JSON string. Beyond JSON's own escapes, characters
 * that look like a space or like nothing (U+00A0, U+200B, U+FEFF, ...) are
 * shown as \uXXXX and bytes that are not UTF-8 as \xNN, so that two strings
 * that differ always render differently. Returns cf_buf_puts's result. */
int cf_json_quote(cf_buf *b, const char *s);
/* Appends a number as written (its literal text) or, without text, the
 * shortest rendering of its double. */
int cf_json_number_render(cf_buf *b, const cf_doc *doc, const cJSON *node);
/* Number of code points in a UTF-8 string (each non-continuation byte). */
size_t cf_utf8_length(const char *s);

#endif
