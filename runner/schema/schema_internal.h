/*
 * schema_internal.h - private to schema.c, schema_format.c and
 * schema_regex.c: regular expressions and the format checkers.
 */
#ifndef CONFORM_SCHEMA_INTERNAL_H
#define CONFORM_SCHEMA_INTERNAL_H

#include <stddef.h>

/* ---- ECMA-262 patterns on PCRE2 (schema_regex.c; docs/REGEX.md) ----
 *
 * Patterns follow ECMA-262 with the u flag, as JSON Schema asks: code
 * points, ASCII \d \w \b, Unicode \s, \p{..} and \P{..} (PCRE2's Unicode
 * properties), lookahead, lookbehind (fixed length), backreferences and named
 * groups. A pattern PCRE2 cannot compile, or that uses syntax only PCRE2 has
 * (\A, \z, \h, (*VERB), ...), is refused with a reason and an offset.
 *
 * Limits, per match (each hit makes cf_rx_match return -1, never a pass or a
 * fail): CF_RX_MATCH_LIMIT steps (pattern items tried, counted over every
 * start position: about a second of CPU at most), CF_RX_DEPTH_LIMIT nested
 * backtracking points and CF_RX_HEAP_LIMIT_KIB of backtracking memory. Compiling: PCRE2's
 * compiled-size limit (a counted repetition is copied out, so (((a{100}){100}){100}) is "too
 * large"), and CF_RX_NEST_LIMIT nested parentheses. */
#define CF_RX_MATCH_LIMIT 10000000UL
#define CF_RX_DEPTH_LIMIT 1000000UL
#define CF_RX_HEAP_LIMIT_KIB 131072UL
#define CF_RX_NEST_LIMIT 250

typedef struct cf_rx cf_rx;

/* Compiles an ECMA pattern. 0, or -1 with *why allocated and
 * *offset the byte offset in ecma where the problem is. */
int cf_rx_compile(cf_rx **out, const char *ecma, char **why, size_t *offset);
/* 1 when s contains a match, 0 when not, -1 when it could not be decided (a
 * limit was hit; why says which). Safe from several threads. */
int cf_rx_match(const cf_rx *rx, const char *s, char *why, size_t whylen);
void cf_rx_free(cf_rx *rx);

/* ---- String formats (schema_format.c) ---- */
typedef enum cf_format {
    CF_FORMAT_NONE = 0, /* unknown formats are ignored */
    CF_FORMAT_DATE_TIME,
    CF_FORMAT_DATE,
    CF_FORMAT_INT32,
    CF_FORMAT_INT64,
    CF_FORMAT_FLOAT,
    CF_FORMAT_DOUBLE,
    CF_FORMAT_BYTE,
    CF_FORMAT_UUID,
    CF_FORMAT_EMAIL
} cf_format;

cf_format cf_format_lookup(const char *name);
/* What the format means, for messages: "an RFC 3339 date-time". */
const char *cf_format_describe(cf_format f);
/* For the string formats: 1 when s conforms; 0 when not, with the reason in
 * why ("month 13 is out of range"). */
int cf_format_check_string(cf_format f, const char *s, char *why, size_t whylen);

#endif
