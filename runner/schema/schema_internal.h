/*
 * schema_internal.h - private to schema.c, schema_format.c and
 * schema_regex.c: the regex translator and the format checkers.
 */
#ifndef CONFORM_SCHEMA_INTERNAL_H
#define CONFORM_SCHEMA_INTERNAL_H

#include <regex.h>
#include <stddef.h>

/* ---- ECMA-262 patterns on POSIX regex (schema_regex.c) ----
 *
 * A pattern is translated to a POSIX ERE and compiled with regcomp under the
 * C.UTF-8 locale (per thread, with uselocale), so "." and bracket
 * expressions see code points. Supported: literals, . ^ $ | ( ) (?: ) and
 * (?<name> ), greedy and lazy quantifiers * + ? {n} {n,} {n,m} (laziness is
 * irrelevant to a yes/no match), classes [..] [^..] with ranges,
 * \d \D \w \W \s \S (ECMA's ASCII \d \w and Unicode \s), \b \B, \t \n \v \f
 * \r \cX \xHH \uHHHH (surrogate pairs joined) \u{H..}, \p{..} and \P{..} for
 * Unicode general categories (L, Lu, Letter, Nd, digit, ...), and escaped
 * punctuation. Not translatable, hence a compile error: lookahead and
 * lookbehind, backreferences, unknown letter escapes (\A, \Z, \z, ...). */
typedef struct cf_rx {
    regex_t re;
} cf_rx;

/* The ERE for an ECMA pattern, newly allocated; NULL with *why (allocated)
 * saying what cannot be translated and where. */
char *cf_rx_translate(const char *ecma, char **why);
/* Translates and compiles. 0, or -1 with *why allocated (NULL on OOM). */
int cf_rx_compile(cf_rx *rx, const char *ecma, char **why);
/* 1 when s contains a match, 0 when not. Safe from several threads. */
int cf_rx_match(const cf_rx *rx, const char *s);
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
