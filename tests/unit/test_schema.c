/*
 * test_schema.c - the OpenAPI 3.0 schema validator: one test per keyword and
 * format, each asserting the exact violations (instance pointer, schema
 * location, keyword, message); compile errors with their locations; refs,
 * recursion, discriminator, direction, YAML sources and threads.
 *
 * Schemas are written as the members of components/schemas in "spec.json";
 * the schema under test is always "S", so locations read
 * spec.json#/components/schemas/S/...
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "doc/json.h"
#include "doc/jsonptr.h"
#include "schema/schema.h"
#include "base/util.h"
#include "doc/yamldoc.h"

#define LOC "spec.json#/components/schemas/S"

typedef struct want {
    const char *ptr, *loc, *keyword, *message;
} want;

static cf_doc *parse(const char *text, const char *name)
{
    cf_doc *d = NULL;
    cf_error *err = NULL;
    if (cf_json_parse(&d, text, strlen(text), name, &err) < 0)
        fail_msg("parse %s: %s", name, err->message);
    return d;
}

static cf_doc *spec_of(const char *schemas)
{
    char *text = cf_asprintf("{\"components\": {\"schemas\": %s}}", schemas);
    cf_doc *d = parse(text, "spec.json");
    free(text);
    return d;
}

static cf_schema *compile_s(const cf_doc *spec)
{
    cf_schema *s = NULL;
    cf_error *err = NULL;
    const cJSON *node = cf_jsonptr_get(spec->root, "/components/schemas/S");
    assert_non_null(node);
    if (cf_schema_compile(&s, spec, node, "/components/schemas/S", NULL, &err) < 0) {
        char *m = cf_error_format(err);
        fail_msg("compile: %s", m);
    }
    return s;
}

static void print_violations(const cf_violations *v)
{
    for (size_t i = 0; i < v->count; i++)
        print_message("  [%zu] ptr=\"%s\" loc=\"%s\" keyword=\"%s\"\n      message=\"%s\"\n", i,
                      v->items[i].instance_ptr, v->items[i].schema_loc, v->items[i].keyword,
                      v->items[i].message);
}

/* Validates instance against S and asserts exactly the violations w[0..n). */
static void check_dir(const char *schemas, const char *instance, cf_schema_dir dir, const want *w,
                      size_t n)
{
    cf_doc *spec = spec_of(schemas);
    cf_schema *s = compile_s(spec);
    cf_doc *inst = parse(instance, "body");
    cf_violations v = {0};
    int rc = cf_schema_validate(s, dir, inst, inst->root, &v);
    if (rc != (int)n || v.count != n) {
        print_violations(&v);
        fail_msg("expected %zu violation(s), got %d", n, rc);
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v.items[i].instance_ptr, w[i].ptr) || strcmp(v.items[i].schema_loc, w[i].loc) ||
            strcmp(v.items[i].keyword, w[i].keyword) || strcmp(v.items[i].message, w[i].message))
            print_violations(&v);
        assert_string_equal(v.items[i].instance_ptr, w[i].ptr);
        assert_string_equal(v.items[i].schema_loc, w[i].loc);
        assert_string_equal(v.items[i].keyword, w[i].keyword);
        assert_string_equal(v.items[i].message, w[i].message);
    }
    cf_violations_clear(&v);
    assert_null(v.items);
    cf_doc_free(inst);
    cf_schema_free(s);
    cf_doc_free(spec);
}

static void check(const char *schemas, const char *instance, const want *w, size_t n)
{
    check_dir(schemas, instance, CF_SCHEMA_RESPONSE, w, n);
}

static void check1(const char *schemas, const char *instance, const char *ptr, const char *loc,
                   const char *keyword, const char *message)
{
    want w = {ptr, loc, keyword, message};
    check(schemas, instance, &w, 1);
}

static void valid(const char *schemas, const char *instance)
{
    check(schemas, instance, NULL, 0);
}

/* Compiling S fails with exactly this one-line error. */
static void compile_error(const char *spec_text, const char *want_error)
{
    cf_doc *spec = parse(spec_text, "spec.json");
    const cJSON *node = cf_jsonptr_get(spec->root, "/components/schemas/S");
    assert_non_null(node);
    cf_schema *s = (cf_schema *)0x1;
    cf_error *err = NULL;
    assert_int_equal(cf_schema_compile(&s, spec, node, "/components/schemas/S", NULL, &err), -1);
    assert_null(s);
    assert_non_null(err);
    char *m = cf_error_format(err);
    assert_string_equal(m, want_error);
    free(m);
    cf_error_free(err);
    cf_doc_free(spec);
}

/* ---- type, nullable ---------------------------------------------------- */

static void test_type(void **state)
{
    (void)state;
    check1("{\"S\": {\"type\": \"integer\"}}", "\"34\"", "", LOC "/type", "type",
           "expected integer, got string \"34\"");
    check1("{\"S\": {\"type\": \"integer\"}}", "1.0", "", LOC "/type", "type",
           "expected integer, got number 1.0 (OpenAPI 3.0 defines integer as a JSON number "
           "without a fraction or exponent part)");
    check1("{\"S\": {\"type\": \"object\"}}", "[1, 2]", "", LOC "/type", "type",
           "expected object, got array [1, 2]");
    check1("{\"S\": {\"type\": \"string\"}}", "true", "", LOC "/type", "type",
           "expected string, got boolean true");
    check1("{\"S\": {\"type\": \"boolean\"}}", "\"true\"", "", LOC "/type", "type",
           "expected boolean, got string \"true\"");
    valid("{\"S\": {\"type\": \"number\"}}", "12");
    valid("{\"S\": {\"type\": \"integer\"}}",
          "12345678910111213141516171819202122232425262728293031");
    valid("{\"S\": {\"type\": \"array\"}}", "[]");
}

static void test_nullable(void **state)
{
    (void)state;
    check1("{\"S\": {\"type\": \"string\"}}", "null", "", LOC "/type", "type",
           "expected string, got null");
    valid("{\"S\": {\"type\": \"string\", \"nullable\": true}}", "null");
    valid("{\"S\": {\"minLength\": 2}}", "null"); /* no type: null is allowed */
    valid("{\"S\": {\"nullable\": false}}", "null");
    check1("{\"S\": {\"type\": \"integer\", \"nullable\": true}}", "\"x\"", "", LOC "/type", "type",
           "expected integer or null, got string \"x\"");
    /* nullable does not reach into allOf (OpenAPI 3.0.3): say so. */
    check1("{\"S\": {\"nullable\": true, \"allOf\": [{\"$ref\": \"#/components/schemas/T\"}]},"
           " \"T\": {\"type\": \"object\"}}",
           "null", "", "spec.json#/components/schemas/T/type", "type",
           "expected object, got null (the nullable: true at " LOC " does not reach into "
           "allOf/anyOf/oneOf: OpenAPI 3.0.3 lets nullable allow null only next to type in the "
           "same schema)");
    /* nor into enum */
    check1("{\"S\": {\"type\": \"string\", \"nullable\": true, \"enum\": [\"a\"]}}", "null", "",
           LOC "/enum", "enum",
           "expected one of [\"a\"], got null (nullable: true does not add null to enum: OpenAPI "
           "3.0.3; list null among the values)");
    valid("{\"S\": {\"type\": \"string\", \"nullable\": true, \"enum\": [\"a\", null]}}", "null");
}

/* ---- enum ------------------------------------------------------------------ */

static void test_enum(void **state)
{
    (void)state;
    const char *s = "{\"S\": {\"type\": \"string\", \"enum\": [\"active\", \"inactive\"]}}";
    check1(s, "\"Active\"", "", LOC "/enum", "enum",
           "expected one of [\"active\", \"inactive\"], got \"Active\" (\"active\" differs only in "
           "case)");
    check1(s, "\"actve\"", "", LOC "/enum", "enum",
           "expected one of [\"active\", \"inactive\"], got \"actve\" (did you mean \"active\"?)");
    check1(
        s, "\" active\"", "", LOC "/enum", "enum",
        "expected one of [\"active\", \"inactive\"], got \" active\" (did you mean \"active\"?)");
    valid(s, "\"inactive\"");
    valid("{\"S\": {\"enum\": [1, {\"a\": [true]}]}}", "{\"a\": [true]}");
    valid("{\"S\": {\"enum\": [1]}}", "1.0");
    check1("{\"S\": {\"enum\": [12345678901234567890]}}", "12345678901234567891", "", LOC "/enum",
           "enum", "expected one of [12345678901234567890], got 12345678901234567891");
}

/* ---- numbers ---------------------------------------------------------------- */

static void test_minimum_maximum(void **state)
{
    (void)state;
    check1("{\"S\": {\"minimum\": 5}}", "3", "", LOC "/minimum", "minimum",
           "expected a value >= 5, got 3");
    check1("{\"S\": {\"minimum\": 5, \"exclusiveMinimum\": true}}", "5", "", LOC "/minimum",
           "minimum", "expected a value > 5, got 5");
    valid("{\"S\": {\"minimum\": 5, \"exclusiveMinimum\": false}}", "5");
    check1("{\"S\": {\"maximum\": 1.5}}", "1.50001", "", LOC "/maximum", "maximum",
           "expected a value <= 1.5, got 1.50001");
    check1("{\"S\": {\"maximum\": 10, \"exclusiveMaximum\": true}}", "10.0", "", LOC "/maximum",
           "maximum", "expected a value < 10, got 10.0");
    check1("{\"S\": {\"maximum\": 12345678901234567890}}", "12345678901234567891", "",
           LOC "/maximum", "maximum",
           "expected a value <= 12345678901234567890, got 12345678901234567891");
    valid("{\"S\": {\"maximum\": 12345678901234567890}}", "12345678901234567890");
    valid("{\"S\": {\"minimum\": 5}}", "\"3\""); /* numbers only */
}

static void test_multiple_of(void **state)
{
    (void)state;
    check1("{\"S\": {\"multipleOf\": 0.0001}}", "0.00751", "", LOC "/multipleOf", "multipleOf",
           "expected a multiple of 0.0001, got 0.00751");
    valid("{\"S\": {\"multipleOf\": 0.0001}}", "0.0075");
    valid("{\"S\": {\"multipleOf\": 0.01}}", "19.99");
    check1("{\"S\": {\"multipleOf\": 2}}", "7", "", LOC "/multipleOf", "multipleOf",
           "expected a multiple of 2, got 7");
}

/* ---- strings ------------------------------------------------------------------ */

static void test_min_max_length(void **state)
{
    (void)state;
    valid("{\"S\": {\"maxLength\": 3}}", "\"h\\u00e9\\u00e9\""); /* 3 code points, 5 bytes */
    valid("{\"S\": {\"maxLength\": 1}}", "\"\\ud83d\\udc32\"");  /* one code point */
    check1("{\"S\": {\"maxLength\": 3}}", "\"abcd\"", "", LOC "/maxLength", "maxLength",
           "expected at most 3 characters, got 4: \"abcd\"");
    check1("{\"S\": {\"minLength\": 2}}", "\"\\u00e9\"", "", LOC "/minLength", "minLength",
           "expected at least 2 characters, got 1: \"é\"");
    check1("{\"S\": {\"minLength\": 1}}", "\"\"", "", LOC "/minLength", "minLength",
           "expected at least 1 character, got 0: \"\"");
}

static void test_pattern(void **state)
{
    (void)state;
    check1("{\"S\": {\"pattern\": \"^[a-z]+$\"}}", "\"ABC\"", "", LOC "/pattern", "pattern",
           "expected a string matching /^[a-z]+$/, got \"ABC\"");
    valid("{\"S\": {\"pattern\": \"^\\\\d{3}-\\\\w+$\"}}", "\"123-ab_c\"");
    check1("{\"S\": {\"pattern\": \"^\\\\d+$\"}}", "\"\\u0663\"", "", LOC "/pattern", "pattern",
           "expected a string matching /^\\d+$/, got \"٣\""); /* ECMA \d is ASCII */
    valid("{\"S\": {\"pattern\": \"^\\\\p{Lu}\\\\p{Ll}+$\"}}", "\"\\u00c9cole\"");
    valid("{\"S\": {\"pattern\": \"^.{2}$\"}}", "\"\\u00e9\\u00e9\""); /* . is one code point */
    valid("{\"S\": {\"pattern\": \"a\"}}", "\"xax\"");                 /* not anchored */
    check1("{\"S\": {\"pattern\": \"^a.c$\"}}", "\"a\\nc\"", "", LOC "/pattern", "pattern",
           "expected a string matching /^a.c$/, got \"a\\nc\"");
}

/* ECMA-262 syntax that POSIX lacked, and what PCRE2 reads differently. */
static void test_pattern_ecma(void **state)
{
    (void)state;
    valid("{\"S\": {\"pattern\": \"^(?=.*[A-Z]).+$\"}}", "\"abC\""); /* lookahead */
    check1("{\"S\": {\"pattern\": \"^(?=.*[A-Z]).+$\"}}", "\"abc\"", "", LOC "/pattern", "pattern",
           "expected a string matching /^(?=.*[A-Z]).+$/, got \"abc\"");
    valid("{\"S\": {\"pattern\": \"^(a)\\\\1$\"}}", "\"aa\""); /* backreference */
    valid("{\"S\": {\"pattern\": \"^(?<x>b)\\\\k<x>$\"}}", "\"bb\"");
    valid("{\"S\": {\"pattern\": \"(?<!x)y\"}}", "\"ay\"");
    valid("{\"S\": {\"pattern\": \"^\\\\s\\\\S$\"}}", "\"\\u2003x\""); /* Unicode \s */
    valid("{\"S\": {\"pattern\": \"^[\\\\s\\\\S]{2}$\"}}", "\"\\ufeffx\"");
    check1("{\"S\": {\"pattern\": \"^\\\\S$\"}}", "\"\\ufeff\"", "", LOC "/pattern", "pattern",
           "expected a string matching /^\\S$/, got \"\\ufeff\"");
    valid("{\"S\": {\"pattern\": \"^\\\\v$\"}}", "\"\\u000b\""); /* \v is VT only */
    check1("{\"S\": {\"pattern\": \"^\\\\v$\"}}", "\"\\n\"", "", LOC "/pattern", "pattern",
           "expected a string matching /^\\v$/, got \"\\n\"");
    check1("{\"S\": {\"pattern\": \"^a.c$\"}}", "\"a\\u2028c\"", "", LOC "/pattern", "pattern",
           "expected a string matching /^a.c$/, got \"a\\u2028c\"");
    check1("{\"S\": {\"pattern\": \"^abc$\"}}", "\"abc\\n\"", "", LOC "/pattern", "pattern",
           "expected a string matching /^abc$/, got \"abc\\n\"");
    valid("{\"S\": {\"pattern\": \"^[[:a]+$\"}}", "\"[:a\""); /* no POSIX classes */
    valid("{\"S\": {\"pattern\": \"^[^]$\"}}", "\"x\"");      /* [^] is any character */
    valid("{\"S\": {\"pattern\": \"^\\\\uD83D\\\\uDE00$\"}}", "\"\\uD83D\\uDE00\"");
    valid("{\"S\": {\"pattern\": \"^\\\\u{1F600}$\"}}", "\"\\uD83D\\uDE00\"");
    valid("{\"S\": {\"pattern\": \"^\\\\p{Letter}\\\\p{gc=Lu}\\\\p{Script=Greek}$\"}}",
          "\"\\u00e9A\\u03b1\"");
    valid("{\"S\": {\"pattern\": \"^\\\\P{Assigned}$\"}}", "\"\\u0378\"");
}

/* A keyword given twice (found by fuzz_schema: the lists overflowed). */
static void test_duplicate_keyword(void **state)
{
    (void)state;
    check1("{\"S\": {\"required\": [\"a\"], \"required\": [\"b\", \"c\"]}}", "{}", "",
           LOC "/required", "required", "missing required property \"a\"");
}

/* Validates instance against S and returns the one item (a note) it gives. */
static cf_violation one_note(const char *schemas, const char *instance, size_t *warnings)
{
    cf_doc *spec = spec_of(schemas);
    cf_schema *s = compile_s(spec);
    *warnings = cf_schema_warning_count(s);
    for (size_t i = 0; i < *warnings; i++)
        print_message("%s\n", cf_schema_warning(s, i));
    cf_doc *inst = parse(instance, "body");
    cf_violations v = {0};
    int rc = cf_schema_validate(s, CF_SCHEMA_RESPONSE, inst, inst->root, &v);
    if (rc != 1)
        print_violations(&v);
    assert_int_equal(rc, 1);
    cf_violation out = v.items[0];
    out.instance_ptr = cf_strdup(out.instance_ptr);
    out.schema_loc = cf_strdup(out.schema_loc);
    out.keyword = cf_strdup(out.keyword);
    out.message = cf_strdup(out.message);
    cf_violations_clear(&v);
    cf_doc_free(inst);
    cf_schema_free(s);
    cf_doc_free(spec);
    return out;
}

static void free_note(cf_violation *v)
{
    free(v->instance_ptr);
    free(v->schema_loc);
    free(v->keyword);
    free(v->message);
}

/* A pattern that does not compile disables that keyword only (a warning and
 * an UNCHECKED note), never the schema; PCRE2-only syntax is refused. */
static void test_pattern_not_compiling(void **state)
{
    (void)state;
    static const char *const bad[][2] = {
        {"[a-", "missing terminating ] for character class at offset 3"},
        {"a++++++++++++++++++++++", "quantifier does not follow a repeatable item at offset 3"},
        {"(((a{100}){100}){100}){3}", "regular expression is too large at offset 25"},
        {"\\\\Aa", "\\A is not an ECMA-262 escape at offset 0"},
        {"(*LIMIT_MATCH=99999999)a",
         "(* is not ECMA-262 syntax (PCRE2 would read a control verb) at offset 0"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *schemas = cf_asprintf("{\"S\": {\"properties\": {\"p\": {\"pattern\": \"%s\"}, "
                                    "\"q\": {\"type\": \"integer\"}}}}",
                                    bad[i][0]);
        size_t nw = 0;
        cf_violation n = one_note(schemas, "{\"p\": \"zzz\"}", &nw);
        assert_int_equal(nw, 1);
        assert_int_equal(n.kind, CF_VIOLATION_UNCHECKED);
        assert_string_equal(n.schema_loc, LOC "/properties/p/pattern");
        char *tail = strstr(n.message, "is not checked: ");
        assert_non_null(tail);
        assert_string_equal(tail + 16, bad[i][1]);
        free_note(&n);
        /* The other keywords of the schema still apply. */
        char *body = "{\"p\": \"zzz\", \"q\": \"x\"}";
        cf_doc *spec = spec_of(schemas);
        cf_schema *s = compile_s(spec);
        cf_doc *inst = parse(body, "body");
        cf_violations v = {0};
        assert_int_equal(cf_schema_validate(s, CF_SCHEMA_RESPONSE, inst, inst->root, &v), 2);
        assert_int_equal(v.items[0].kind, CF_VIOLATION);
        assert_string_equal(v.items[0].keyword, "type");
        assert_int_equal(v.items[1].kind, CF_VIOLATION_UNCHECKED);
        cf_violations_clear(&v);
        cf_doc_free(inst);
        cf_schema_free(s);
        cf_doc_free(spec);
        free(schemas);
    }
}

/* A match that hits the step budget is UNDECIDED (never a pass), and inside
 * not/oneOf it does not flip the verdict of the branch. */
static void test_pattern_limit(void **state)
{
    (void)state;
    size_t n = 100 * 1024 / 2;
    cf_buf b = {0};
    cf_buf_puts(&b, "\"");
    for (size_t i = 0; i < n; i++)
        cf_buf_puts(&b, "ab");
    cf_buf_puts(&b, "c\"");
    size_t nw = 0;
    cf_violation v = one_note("{\"S\": {\"pattern\": \"(a|b)*a(a|b){18}c\"}}", b.data, &nw);
    assert_int_equal(nw, 0);
    assert_int_equal(v.kind, CF_VIOLATION_UNDECIDED);
    assert_string_equal(v.schema_loc, LOC "/pattern");
    assert_non_null(strstr(v.message, "the match limit (10000000 steps) was hit"));
    free_note(&v);
    v = one_note("{\"S\": {\"not\": {\"pattern\": \"(a|b)*a(a|b){18}c\"}}}", b.data, &nw);
    assert_int_equal(v.kind, CF_VIOLATION_UNDECIDED);
    free_note(&v);
    cf_buf_free(&b);
}

/* ---- formats ------------------------------------------------------------------- */

static void test_format_date_time(void **state)
{
    (void)state;
    const char *s = "{\"S\": {\"type\": \"string\", \"format\": \"date-time\"}}";
    valid(s, "\"2024-02-29T23:59:59.123+01:00\"");
    valid(s, "\"1998-12-31T23:59:60Z\"");
    check1(s, "\"2023-02-29T10:00:00Z\"", "", LOC "/format", "format",
           "expected an RFC 3339 date-time, got \"2023-02-29T10:00:00Z\": day 29 does not exist "
           "in 2023-02");
    check1(s, "\"2024-01-01 10:00:00Z\"", "", LOC "/format", "format",
           "expected an RFC 3339 date-time, got \"2024-01-01 10:00:00Z\": expected 'T' between "
           "date and time");
    check1(s, "\"2024-01-01T10:00:00\"", "", LOC "/format", "format",
           "expected an RFC 3339 date-time, got \"2024-01-01T10:00:00\": expected a time zone: Z, "
           "+hh:mm or -hh:mm");
    check1(s, "\"1998-12-31T22:59:60Z\"", "", LOC "/format", "format",
           "expected an RFC 3339 date-time, got \"1998-12-31T22:59:60Z\": second 60 (a leap "
           "second) occurs only at 23:59 UTC");
    check1(s, "\"2024-13-01T00:00:00Z\"", "", LOC "/format", "format",
           "expected an RFC 3339 date-time, got \"2024-13-01T00:00:00Z\": month 13 is out of "
           "range (01-12)");
}

static void test_format_date(void **state)
{
    (void)state;
    const char *s = "{\"S\": {\"format\": \"date\"}}";
    valid(s, "\"2000-02-29\"");
    check1(s, "\"1900-02-29\"", "", LOC "/format", "format",
           "expected an RFC 3339 full-date, got \"1900-02-29\": day 29 does not exist in 1900-02");
    check1(s, "\"2024-1-01\"", "", LOC "/format", "format",
           "expected an RFC 3339 full-date, got \"2024-1-01\": expected a date as YYYY-MM-DD");
    check1(s, "\"2024-01-01T00:00:00Z\"", "", LOC "/format", "format",
           "expected an RFC 3339 full-date, got \"2024-01-01T00:00:00Z\": unexpected characters "
           "after the date");
}

static void test_format_int32_int64(void **state)
{
    (void)state;
    const char *s32 = "{\"S\": {\"type\": \"integer\", \"format\": \"int32\"}}";
    valid(s32, "-2147483648");
    check1(s32, "2147483648", "", LOC "/format", "format",
           "expected a signed 32-bit integer (-2147483648 to 2147483647), got 2147483648");
    const char *s64 = "{\"S\": {\"type\": \"integer\", \"format\": \"int64\"}}";
    valid(s64, "9223372036854775807");
    check1(s64, "9223372036854775808", "", LOC "/format", "format",
           "expected a signed 64-bit integer (-9223372036854775808 to 9223372036854775807), got "
           "9223372036854775808");
    check1("{\"S\": {\"format\": \"int32\"}}", "1.5", "", LOC "/format", "format",
           "expected a signed 32-bit integer (-2147483648 to 2147483647), got 1.5");
    valid("{\"S\": {\"format\": \"int64\"}}", "\"x\""); /* numbers only */
}

static void test_format_float_double(void **state)
{
    (void)state;
    valid("{\"S\": {\"format\": \"float\"}}", "3.4028234663852886e38"); /* FLT_MAX as a double */
    valid("{\"S\": {\"format\": \"float\"}}", "-3.4028235E38");         /* as Java prints it */
    check1("{\"S\": {\"format\": \"float\"}}", "3.5e38", "", LOC "/format", "format",
           "expected a number within the range of a 32-bit float (magnitude below "
           "3.4028235677973366e38, beyond which it rounds to infinity), got 3.5e38");
    valid("{\"S\": {\"format\": \"double\"}}", "-1.7976931348623157e308");
    check1("{\"S\": {\"format\": \"double\"}}", "1e309", "", LOC "/format", "format",
           "expected a number within the range of a 64-bit double (magnitude below "
           "1.7976931348623158e308, beyond which it rounds to infinity), got 1e309");
}

static void test_format_byte(void **state)
{
    (void)state;
    const char *s = "{\"S\": {\"format\": \"byte\"}}";
    valid(s, "\"aGVsbG8=\"");
    valid(s, "\"\"");
    check1(s, "\"aGVsbG8\"", "", LOC "/format", "format",
           "expected base64-encoded data (RFC 4648), got \"aGVsbG8\": length 7 is not a multiple "
           "of 4 (missing '=' padding?)");
    check1(s, "\"a-_b\"", "", LOC "/format", "format",
           "expected base64-encoded data (RFC 4648), got \"a-_b\": '-' at offset 1 is base64url, "
           "not base64");
    check1(s, "\"ab=c\"", "", LOC "/format", "format",
           "expected base64-encoded data (RFC 4648), got \"ab=c\": '=' padding at offset 2 is "
           "followed by data");
}

static void test_format_uuid(void **state)
{
    (void)state;
    const char *s = "{\"S\": {\"format\": \"uuid\"}}";
    valid(s, "\"123e4567-E89B-12d3-a456-426614174000\"");
    check1(s, "\"123e4567e89b12d3a456426614174000\"", "", LOC "/format", "format",
           "expected a UUID, got \"123e4567e89b12d3a456426614174000\": expected 8-4-4-4-12 "
           "hexadecimal digits");
}

static void test_format_email(void **state)
{
    (void)state;
    const char *s = "{\"S\": {\"format\": \"email\"}}";
    valid(s, "\"joe.bloggs+tag@example.com\"");
    valid(s, "\"\\\"quoted local\\\"@example.com\"");
    valid(s, "\"jos\\u00e9@exemple.fr\"");
    check1(s, "\"joe..bloggs@example.com\"", "", LOC "/format", "format",
           "expected an email address (RFC 5322 addr-spec), got \"joe..bloggs@example.com\": the "
           "local part is not a dot-atom (RFC 5322 3.4.1)");
    check1(s, "\"joe@\"", "", LOC "/format", "format",
           "expected an email address (RFC 5322 addr-spec), got \"joe@\": the domain after '@' "
           "is empty");
}

static void test_format_unknown(void **state)
{
    (void)state;
    valid("{\"S\": {\"format\": \"hostname\"}}", "\"not a hostname!\"");
    valid("{\"S\": {\"format\": \"binary\"}}", "\"\\u0001\"");
}

/* ---- objects ------------------------------------------------------------------------ */

static void test_required(void **state)
{
    (void)state;
    check1("{\"S\": {\"type\": \"object\", \"required\": [\"id\"]}}", "{}", "", LOC "/required",
           "required", "missing required property \"id\"");
    check1("{\"S\": {\"properties\": {\"a\": {\"required\": [\"x y\"]}}}}", "{\"a\": {}}", "/a",
           LOC "/properties/a/required", "required", "missing required property \"x y\"");
    valid("{\"S\": {\"required\": [\"id\"]}}", "[1]"); /* objects only */
}

static void test_properties(void **state)
{
    (void)state;
    check1(
        "{\"S\": {\"properties\": {\"a\": {\"properties\": {\"b c/d\": {\"type\": \"string\"}}}}}}",
        "{\"a\": {\"b c/d\": 1}}", "/a/b c~1d", LOC "/properties/a/properties/b c~1d/type", "type",
        "expected string, got integer 1");
}

static void test_additional_properties(void **state)
{
    (void)state;
    check1("{\"S\": {\"properties\": {\"id\": {}, \"name\": {}}, \"additionalProperties\": false}}",
           "{\"id\": 1, \"nmae\": \"x\"}", "/nmae", LOC "/additionalProperties",
           "additionalProperties",
           "unexpected property \"nmae\" (additionalProperties is false; allowed: id, name; did "
           "you mean \"name\"?)");
    check1("{\"S\": {\"additionalProperties\": false}}", "{\"x\": 1}", "/x",
           LOC "/additionalProperties", "additionalProperties",
           "unexpected property \"x\" (additionalProperties is false and no properties are "
           "declared)");
    check1("{\"S\": {\"additionalProperties\": {\"type\": \"integer\"}}}", "{\"x\": \"1\"}", "/x",
           LOC "/additionalProperties/type", "type", "expected integer, got string \"1\"");
    valid("{\"S\": {\"properties\": {\"a\": {}}, \"additionalProperties\": true}}",
          "{\"a\": 1, \"b\": 2}");
    /* the classic trap: additionalProperties does not see allOf's properties */
    check1("{\"S\": {\"allOf\": [{\"$ref\": \"#/components/schemas/Base\"}], \"properties\": "
           "{\"extra\": {}}, \"additionalProperties\": false},"
           " \"Base\": {\"properties\": {\"id\": {}}}}",
           "{\"id\": 1, \"extra\": 2}", "/id", LOC "/additionalProperties", "additionalProperties",
           "unexpected property \"id\" (additionalProperties is false; allowed: extra; allOf/0 "
           "declares it, but additionalProperties does not look into allOf)");
}

static void test_min_max_properties(void **state)
{
    (void)state;
    check1("{\"S\": {\"minProperties\": 1}}", "{}", "", LOC "/minProperties", "minProperties",
           "expected at least 1 property, got 0");
    check1("{\"S\": {\"maxProperties\": 2}}", "{\"a\": 1, \"b\": 2, \"c\": 3}", "",
           LOC "/maxProperties", "maxProperties", "expected at most 2 properties, got 3");
}

/* ---- arrays --------------------------------------------------------------------------- */

static void test_items(void **state)
{
    (void)state;
    check1("{\"S\": {\"items\": {\"type\": \"string\"}}}", "[\"a\", 2]", "/1", LOC "/items/type",
           "type", "expected string, got integer 2");
}

static void test_min_max_items(void **state)
{
    (void)state;
    check1("{\"S\": {\"minItems\": 1}}", "[]", "", LOC "/minItems", "minItems",
           "expected at least 1 item, got 0");
    check1("{\"S\": {\"maxItems\": 2}}", "[1, 2, 3]", "", LOC "/maxItems", "maxItems",
           "expected at most 2 items, got 3");
}

static void test_unique_items(void **state)
{
    (void)state;
    check1("{\"S\": {\"uniqueItems\": true}}", "[1, 2, 1.0]", "", LOC "/uniqueItems", "uniqueItems",
           "expected unique items, but items 0 and 2 are equal: 1.0");
    check1("{\"S\": {\"uniqueItems\": true}}", "[{\"a\": 1, \"b\": 2}, {\"b\": 2, \"a\": 1}]", "",
           LOC "/uniqueItems", "uniqueItems",
           "expected unique items, but items 0 and 1 are equal: {\"b\": 2, \"a\": 1}");
    valid("{\"S\": {\"uniqueItems\": true}}", "[1, \"1\", true, [1], {\"a\": 1}]");
    want w[] = {
        {"", LOC "/uniqueItems", "uniqueItems",
         "expected unique items, but items 0 and 2 are equal: 1"},
        {"", LOC "/uniqueItems", "uniqueItems",
         "expected unique items, but items 1 and 3 are equal: \"a\""},
        {"", LOC "/uniqueItems", "uniqueItems",
         "expected unique items, but items 0 and 4 are equal: 1e0"},
    };
    check("{\"S\": {\"uniqueItems\": true}}", "[1, \"a\", 1, \"a\", 1e0, 2]", w, 3);
    valid("{\"S\": {\"uniqueItems\": false}}", "[1, 1]");
}

/* ---- combinators --------------------------------------------------------------------- */

static void test_all_of_reports_once(void **state)
{
    (void)state;
    check1("{\"S\": {\"allOf\": [{\"required\": [\"id\"]}, {\"required\": [\"id\"]}]}}", "{}", "",
           LOC "/allOf/0/required", "required", "missing required property \"id\"");
    want w[] = {
        {"", LOC "/allOf/0/type", "type", "expected object, got integer 5"},
        {"", LOC "/allOf/1/minimum", "minimum", "expected a value >= 6, got 5"},
    };
    check("{\"S\": {\"allOf\": [{\"type\": \"object\"}, {\"minimum\": 6}]}}", "5", w, 2);
}

static const char *pets =
    "{\"S\": {\"oneOf\": [{\"$ref\": \"#/components/schemas/Cat\"}, {\"$ref\": "
    "\"#/components/schemas/Dog\"}]},"
    " \"Cat\": {\"type\": \"object\", \"required\": [\"meow\"], \"properties\": {\"meow\": "
    "{\"type\": \"boolean\"}}},"
    " \"Dog\": {\"type\": \"object\", \"required\": [\"bark\", \"name\"], \"properties\": "
    "{\"bark\": {\"type\": \"boolean\"}}}}";

static void test_one_of(void **state)
{
    (void)state;
    want closest[] = {
        {"", LOC "/oneOf", "oneOf",
         "expected the value to match exactly one of the 2 oneOf schemas (Cat, Dog), but it "
         "matches none; the closest is Cat, whose violations follow"},
        {"/meow", "spec.json#/components/schemas/Cat/properties/meow/type", "type",
         "expected boolean, got string \"yes\""},
    };
    check(pets, "{\"meow\": \"yes\"}", closest, 2);
    valid(pets, "{\"meow\": true}");
    check1("{\"S\": {\"oneOf\": [{\"type\": \"integer\"}, {\"minimum\": 2}]}}", "3", "",
           LOC "/oneOf", "oneOf",
           "expected the value to match exactly one of the 2 oneOf schemas, but it matches 2: "
           "oneOf/0, oneOf/1");
    check1("{\"S\": {\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"boolean\", \"title\": "
           "\"Flag\"}]}}",
           "5", "", LOC "/oneOf", "oneOf",
           "expected the value to match exactly one of the 2 oneOf schemas, but it matches none: "
           "oneOf/0: expected string, got integer 5; \"Flag\": expected boolean, got integer 5");
}

static void test_any_of(void **state)
{
    (void)state;
    check1("{\"S\": {\"anyOf\": [{\"type\": \"string\", \"maxLength\": 2}, {\"type\": \"string\", "
           "\"minLength\": 4}]}}",
           "\"abc\"", "", LOC "/anyOf", "anyOf",
           "expected the value to match at least one of the 2 anyOf schemas, but it matches "
           "none: anyOf/0: expected at most 2 characters, got 3: \"abc\"; anyOf/1: expected at "
           "least 4 characters, got 3: \"abc\"");
    valid("{\"S\": {\"anyOf\": [{\"type\": \"integer\"}, {\"minimum\": 2}]}}", "3");
    want w[] = {
        {"", LOC "/anyOf", "anyOf",
         "expected the value to match at least one of the 2 anyOf schemas (anyOf/0, anyOf/1), "
         "but it matches none; the closest is anyOf/1, whose violations follow"},
        {"/a", LOC "/anyOf/1/properties/a/type", "type", "expected string, got integer 1"},
    };
    check("{\"S\": {\"anyOf\": [{\"type\": \"array\"}, {\"type\": \"object\", \"properties\": "
          "{\"a\": {\"type\": \"string\"}}}]}}",
          "{\"a\": 1}", w, 2);
}

static void test_not(void **state)
{
    (void)state;
    check1("{\"S\": {\"not\": {\"type\": \"string\"}}}", "\"x\"", "", LOC "/not", "not",
           "expected a value that does not match the schema at " LOC "/not, got string \"x\"");
    valid("{\"S\": {\"not\": {\"type\": \"string\"}}}", "1");
}

/* ---- discriminator ------------------------------------------------------------------------ */

static const char *zoo =
    "{\"S\": {\"oneOf\": [{\"$ref\": \"#/components/schemas/Cat\"}, {\"$ref\": "
    "\"#/components/schemas/Dog\"}],"
    "  \"discriminator\": {\"propertyName\": \"petType\", \"mapping\": {\"cat\": "
    "\"#/components/schemas/Cat\", \"dog\": \"Dog\"}}},"
    " \"Cat\": {\"type\": \"object\", \"required\": [\"petType\"], \"properties\": {\"petType\": "
    "{\"type\": \"string\"}, \"meow\": {\"type\": \"boolean\"}}},"
    " \"Dog\": {\"type\": \"object\", \"required\": [\"petType\"], \"properties\": {\"petType\": "
    "{\"type\": \"string\"}, \"bark\": {\"type\": \"boolean\"}}}}";

static void test_discriminator(void **state)
{
    (void)state;
    want picked[] = {
        {"", LOC "/oneOf", "oneOf",
         "discriminator petType=\"cat\" selects Cat, which the value does not match; its "
         "violations follow"},
        {"/meow", "spec.json#/components/schemas/Cat/properties/meow/type", "type",
         "expected boolean, got string \"x\""},
    };
    check(zoo, "{\"petType\": \"cat\", \"meow\": \"x\"}", picked, 2);
    /* Without the discriminator both branches would match this: it picks Dog. */
    valid(zoo, "{\"petType\": \"dog\", \"bark\": true}");
    valid(zoo, "{\"petType\": \"Dog\"}"); /* the implicit name still maps */
    check1(zoo, "{\"petType\": \"dgo\"}", "", LOC "/discriminator", "discriminator",
           "discriminator \"petType\" is \"dgo\", which selects none of the oneOf schemas "
           "(expected one of \"cat\", \"dog\", \"Cat\", \"Dog\"; did you mean \"dog\"?)");
    check1(
        zoo, "{\"meow\": true}", "", LOC "/discriminator/propertyName", "discriminator",
        "missing discriminator property \"petType\" (one of \"cat\", \"dog\", \"Cat\", \"Dog\")");
    check1(zoo, "{\"petType\": 3}", "", LOC "/discriminator/propertyName", "discriminator",
           "discriminator property \"petType\" must be a string (one of \"cat\", \"dog\", \"Cat\", "
           "\"Dog\"), got integer 3");
}

static void test_discriminator_any_of(void **state)
{
    (void)state;
    const char *s =
        "{\"S\": {\"anyOf\": [{\"$ref\": \"#/components/schemas/Card\"}, {\"$ref\": "
        "\"#/components/schemas/Iban\"}], \"discriminator\": {\"propertyName\": \"kind\"}},"
        " \"Card\": {\"type\": \"object\", \"required\": [\"number\"], \"properties\": "
        "{\"number\": "
        "{\"type\": \"string\", \"pattern\": \"^[0-9]{16}$\"}}},"
        " \"Iban\": {\"type\": \"object\", \"required\": [\"iban\"]}}";
    valid(s, "{\"kind\": \"Iban\", \"iban\": \"DE00\"}");
    want w[] = {
        {"", LOC "/anyOf", "anyOf",
         "discriminator kind=\"Card\" selects Card, which the value does not match; its "
         "violations follow"},
        {"/number", "spec.json#/components/schemas/Card/properties/number/pattern", "pattern",
         "expected a string matching /^[0-9]{16}$/, got \"1234\""},
    };
    /* the value would satisfy Iban, but the discriminator says Card */
    check(s, "{\"kind\": \"Card\", \"number\": \"1234\", \"iban\": \"x\"}", w, 2);
}

/* ---- readOnly / writeOnly ------------------------------------------------------------------ */

static const char *account =
    "{\"S\": {\"type\": \"object\", \"required\": [\"id\", \"password\"], \"properties\": {"
    "\"id\": {\"type\": \"integer\", \"readOnly\": true},"
    "\"password\": {\"$ref\": \"#/components/schemas/Secret\"}}},"
    " \"Secret\": {\"type\": \"string\", \"writeOnly\": true}}";

static void test_read_write_only(void **state)
{
    (void)state;
    valid(account, "{\"id\": 1}"); /* password is required in requests only */
    check1(account, "{\"id\": 1, \"password\": \"x\"}", "/password",
           "spec.json#/components/schemas/Secret/writeOnly", "writeOnly",
           "writeOnly property \"password\" must not appear in a response");
    check1(account, "{}", "", LOC "/required", "required", "missing required property \"id\"");
    check_dir(account, "{\"password\": \"x\"}", CF_SCHEMA_REQUEST, NULL, 0);
    want ro = {"/id", LOC "/properties/id/readOnly", "readOnly",
               "readOnly property \"id\" must not appear in a request"};
    check_dir(account, "{\"id\": 1, \"password\": \"x\"}", CF_SCHEMA_REQUEST, &ro, 1);
    want req = {"", LOC "/required", "required", "missing required property \"password\""};
    check_dir(account, "{}", CF_SCHEMA_REQUEST, &req, 1);
}

/* ---- $ref ------------------------------------------------------------------------------------ */

static void test_ref_local_and_siblings(void **state)
{
    (void)state;
    /* siblings of $ref are ignored (OpenAPI 3.0 Reference Object) */
    check1("{\"S\": {\"$ref\": \"#/components/schemas/a%20b\", \"maxLength\": 1},"
           " \"a b\": {\"type\": \"string\"}}",
           "5", "", "spec.json#/components/schemas/a b/type", "type",
           "expected string, got integer 5");
    valid("{\"S\": {\"$ref\": \"#/components/schemas/T\", \"maxLength\": 1}, \"T\": {}}",
          "\"long\"");
}

static void test_ref_recursive(void **state)
{
    (void)state;
    const char *tree =
        "{\"S\": {\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"},"
        " \"children\": {\"type\": \"array\", \"items\": {\"$ref\": "
        "\"#/components/schemas/S\"}}}}}";
    valid(tree, "{\"name\": \"r\", \"children\": [{\"name\": \"a\", \"children\": []}]}");
    check1(
        tree,
        "{\"name\": \"r\", \"children\": [{\"name\": \"a\", \"children\": [{}, {\"name\": 7}]}]}",
        "/children/0/children/1/name", LOC "/properties/name/type", "type",
        "expected string, got integer 7");
    /* a cycle that consumes no input terminates */
    check1("{\"S\": {\"type\": \"string\", \"allOf\": [{\"$ref\": \"#/components/schemas/S\"}]}}",
           "5", "", LOC "/type", "type", "expected string, got integer 5");
}

static int other_resolver(void *ctx, const cf_doc *from, const char *ref, const cf_doc **doc_out,
                          const cJSON **node_out, cf_error **err)
{
    const cf_doc *other = ctx;
    (void)from;
    if (strncmp(ref, "other.json#", 11) != 0)
        return cf_error_set(err, "spec.json", 0, 0, NULL, "cannot resolve %s", ref);
    char *p = cf_jsonptr_from_fragment(ref + 10);
    const cJSON *n = p ? cf_jsonptr_get(other->root, p) : NULL;
    free(p);
    if (!n)
        return cf_error_set(err, "other.json", 0, 0, NULL, "no %s", ref);
    *doc_out = other;
    *node_out = n;
    return 0;
}

static void test_ref_resolver(void **state)
{
    (void)state;
    cf_doc *other = parse("{\"defs\": {\"Id\": {\"type\": \"integer\", \"minimum\": 1},"
                          " \"Ids\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/defs/Id\"}}}}",
                          "other.json");
    cf_doc *spec =
        spec_of("{\"S\": {\"properties\": {\"ids\": {\"$ref\": \"other.json#/defs/Ids\"}}}}");
    cf_ref_resolver r = {other_resolver, other};
    cf_schema *s = NULL;
    cf_error *err = NULL;
    assert_int_equal(cf_schema_compile(&s, spec,
                                       cf_jsonptr_get(spec->root, "/components/schemas/S"),
                                       "/components/schemas/S", &r, &err),
                     0);
    cf_doc *inst = parse("{\"ids\": [3, 0]}", "body");
    cf_violations v = {0};
    assert_int_equal(cf_schema_validate(s, CF_SCHEMA_RESPONSE, inst, inst->root, &v), 1);
    assert_string_equal(v.items[0].instance_ptr, "/ids/1");
    assert_string_equal(v.items[0].schema_loc, "other.json#/defs/Id/minimum");
    assert_string_equal(v.items[0].message, "expected a value >= 1, got 0");
    cf_violations_clear(&v);
    cf_schema_free(s);
    /* without a resolver, a non-local ref is a located error */
    assert_int_equal(cf_schema_compile(&s, spec,
                                       cf_jsonptr_get(spec->root, "/components/schemas/S"),
                                       "/components/schemas/S", NULL, &err),
                     -1);
    char *m = cf_error_format(err);
    assert_string_equal(m, "spec.json:1:66: $ref \"other.json#/defs/Ids\" points outside this "
                           "document and no resolver was given");
    free(m);
    cf_error_free(err);
    cf_doc_free(inst);
    cf_doc_free(spec);
    cf_doc_free(other);
}

/* ---- compile errors -------------------------------------------------------------------------- */

static void test_compile_errors(void **state)
{
    (void)state;
    compile_error("{\"components\": {\"schemas\": {\n"
                  "  \"Pet\": {},\n"
                  "  \"S\": {\"$ref\": \"#/components/schemas/Pett\"}}}}",
                  "spec.json:3:17: $ref \"#/components/schemas/Pett\" does not resolve: "
                  "#/components/schemas has no member \"Pett\" (hint: did you mean \"Pet\"?)");
    compile_error("{\"components\": {\"schemas\": {\n"
                  "  \"S\": {\"$ref\": \"#/components/nope/x\"}}}}",
                  "spec.json:2:17: $ref \"#/components/nope/x\" does not resolve: #/components has "
                  "no member \"nope\"");
    compile_error("{\"components\": {\"schemas\": {\n"
                  "  \"S\": {\"type\": \"object\",\n"
                  "        \"required\": \"true\"}}}}",
                  "spec.json:3:21: required must be an array of property names, got string "
                  "\"true\" (hint: in a Schema Object, required lists the required properties: "
                  "required: [id, name])");
    compile_error("{\"components\": {\"schemas\": {\"S\": {\"minimum\": \"3\"}}}}",
                  "spec.json:1:46: minimum must be a number, got string \"3\"");
    compile_error(
        "{\"components\": {\"schemas\": {\"S\": {\"minimum\": 3, \"exclusiveMinimum\": 3}}}}",
        "spec.json:1:69: exclusiveMinimum must be a boolean, got integer 3 (hint: in "
        "OpenAPI 3.0 it is a boolean next to minimum/maximum; the numeric form is "
        "OpenAPI 3.1)");
    compile_error("{\"components\": {\"schemas\": {\"S\": {\"type\": [\"string\", \"null\"]}}}}",
                  "spec.json:1:43: type must be a string, not an array (hint: OpenAPI 3.0 allows "
                  "one type: use nullable: true for null, oneOf for several)");
    compile_error("{\"components\": {\"schemas\": {\"S\": {\"type\": \"strng\"}}}}",
                  "spec.json:1:43: unknown type \"strng\" (expected boolean, object, array, "
                  "number, string or integer) (hint: did you mean \"string\"?)");
    compile_error("{\"components\": {\"schemas\": {\"S\": {\"items\": [{}]}}}}",
                  "spec.json:1:44: items must be a schema, not an array (hint: tuple validation "
                  "is JSON Schema, not OpenAPI 3.0)");
    compile_error("{\"components\": {\"schemas\": {\"S\": {\"multipleOf\": 0}}}}",
                  "spec.json:1:49: multipleOf must be greater than 0");
    compile_error("{\"components\": {\"schemas\": {\"S\": {\"minLength\": -1}}}}",
                  "spec.json:1:48: minLength must be a non-negative integer, got integer -1");
    compile_error("{\"components\": {\"schemas\": {\"S\": {\"enum\": []}}}}",
                  "spec.json:1:43: enum must list at least one value");
    compile_error("{\"components\": {\"schemas\": {\"S\": {\"allOf\": {}}}}}",
                  "spec.json:1:44: allOf must be an array of schemas, got object {}");
    compile_error("{\"components\": {\"schemas\": {\"S\": {\"properties\": {\"a\": 5}}}}}",
                  "spec.json:1:55: a schema must be an object, got integer 5");
    compile_error("{\"components\": {\"schemas\": {\"S\": {\"$ref\": \"#/components/schemas/T\"},"
                  " \"T\": {\"$ref\": \"#/components/schemas/S\"}}}}",
                  "spec.json:1:43: $ref \"#/components/schemas/T\" is circular: the chain of "
                  "references never reaches a schema");
    compile_error("{\"components\": {\"schemas\": {\"S\": {\"$ref\": \"#Pet\"}}}}",
                  "spec.json:1:43: $ref \"#Pet\" is not a JSON Pointer fragment (hint: OpenAPI 3.0 "
                  "references use JSON Pointer fragments such as #/components/schemas/Pet)");
    compile_error("{\"components\": {\"schemas\": {\"S\": {\"discriminator\": {\"mapping\": {}},"
                  " \"oneOf\": [{}]}}}}",
                  "spec.json:1:52: discriminator needs a propertyName");
}

/* 50,000 schemas linked through properties and a 50,000-link chain of
 * pure $refs: compiled without recursion (this overflowed the stack) and in
 * linear time (the circular check walked every chain again). */
static void test_long_chains_compile(void **state)
{
    (void)state;
    enum { N = 50000 };
    cf_buf b = {0};
    cf_buf_puts(&b, "{\"S\": {\"allOf\": [{\"$ref\": \"#/components/schemas/L0\"}, "
                    "{\"$ref\": \"#/components/schemas/P0\"}]}");
    for (int i = 0; i < N; i++) {
        cf_buf_printf(&b,
                      ", \"L%d\": {\"type\": \"object\", \"properties\": {\"next\": "
                      "{\"$ref\": \"#/components/schemas/L%d\"}}}",
                      i, i + 1);
        cf_buf_printf(&b, ", \"P%d\": {\"$ref\": \"#/components/schemas/P%d\"}", i, i + 1);
    }
    cf_buf_printf(&b, ", \"L%d\": {\"type\": \"object\"}, \"P%d\": {\"type\": \"object\"}}", N, N);
    check1(b.data, "{\"next\": {\"next\": 5}}", "/next/next",
           "spec.json#/components/schemas/L2/type", "type", "expected object, got integer 5");
    free(b.data);
}

static void test_warnings_and_ignored_keywords(void **state)
{
    (void)state;
    cf_doc *spec = parse("{\"components\": {\"schemas\": {\"S\": {\n"
                         "  \"requried\": [\"id\"], \"x-internal\": true, \"const\": 1,\n"
                         "  \"patternProperties\": {\"^a\": {\"type\": \"string\"}},\n"
                         "  \"title\": 5, \"example\": {\"id\": \"x\"}, \"bogus\": 1,\n"
                         "  \"properties\": {\"n\": {\"type\": \"null\"}}}}}}",
                         "spec.json");
    cf_schema *s = compile_s(spec);
    assert_int_equal(cf_schema_warning_count(s), 3);
    assert_string_equal(cf_schema_warning(s, 0),
                        "spec.json:2:3: warning: unknown keyword "
                        "\"requried\" ignored (did you mean \"required\"?)");
    assert_string_equal(cf_schema_warning(s, 1),
                        "spec.json:4:39: warning: unknown keyword \"bogus\" ignored");
    assert_string_equal(cf_schema_warning(s, 2), "spec.json:5:32: warning: type \"null\" is not "
                                                 "an OpenAPI 3.0 type (use nullable: true)");
    assert_null(cf_schema_warning(s, 3));
    cf_doc *inst = parse("{\"ab\": 1}", "body");
    cf_violations v = {0};
    assert_int_equal(cf_schema_validate(s, CF_SCHEMA_RESPONSE, inst, inst->root, &v), 0);
    cf_schema_free(s);
    cf_doc_free(inst);
    cf_doc_free(spec);
}

/* ---- YAML sources -------------------------------------------------------------------------- */

static void test_yaml_source(void **state)
{
    (void)state;
    const char *yaml = "components:\n"
                       "  schemas:\n"
                       "    S:\n"
                       "      type: object\n"
                       "      properties:\n"
                       "        id:\n"
                       "          type: integer\n"
                       "          maximum: 12345678901234567890\n"
                       "        price:\n"
                       "          type: number\n"
                       "          multipleOf: 0.01\n";
    cf_doc *spec = NULL;
    cf_error *err = NULL;
    if (cf_yaml_load_string(&spec, yaml, strlen(yaml), "spec.yaml", &err) < 0) {
        char *m = cf_error_format(err);
        fail_msg("yaml: %s", m);
    }
    cf_schema *s = NULL;
    assert_int_equal(cf_schema_compile(&s, spec,
                                       cf_jsonptr_get(spec->root, "/components/schemas/S"),
                                       "/components/schemas/S", NULL, &err),
                     0);
    cf_doc *inst = parse("{\"id\": 12345678901234567891, \"price\": 19.999}", "body");
    cf_violations v = {0};
    assert_int_equal(cf_schema_validate(s, CF_SCHEMA_RESPONSE, inst, inst->root, &v), 2);
    assert_string_equal(v.items[0].schema_loc,
                        "spec.yaml#/components/schemas/S/properties/id/maximum");
    assert_string_equal(v.items[0].message,
                        "expected a value <= 12345678901234567890, got 12345678901234567891");
    assert_string_equal(v.items[1].message, "expected a multiple of 0.01, got 19.999");
    cf_violations_clear(&v);
    cf_schema_free(s);
    cf_doc_free(inst);
    cf_doc_free(spec);

    const char *bad = "components:\n"
                      "  schemas:\n"
                      "    S:\n"
                      "      type: object\n"
                      "      required: \"true\"\n";
    assert_int_equal(cf_yaml_load_string(&spec, bad, strlen(bad), "spec.yaml", &err), 0);
    assert_int_equal(cf_schema_compile(&s, spec,
                                       cf_jsonptr_get(spec->root, "/components/schemas/S"),
                                       "/components/schemas/S", NULL, &err),
                     -1);
    char *m = cf_error_format(err);
    assert_non_null(strstr(m, "spec.yaml:5:17: required must be an array of property names, got "
                              "string \"true\""));
    free(m);
    cf_error_free(err);
    cf_doc_free(spec);
}

/* ---- no instance doc: doubles ------------------------------------------------------------- */

static void test_without_instance_doc(void **state)
{
    (void)state;
    cf_doc *spec = spec_of("{\"S\": {\"type\": \"integer\", \"multipleOf\": 0.5}}");
    cf_schema *s = compile_s(spec);
    cJSON *n = cJSON_CreateNumber(1.0); /* no literal: 1.0 is the integer 1 */
    cf_violations v = {0};
    assert_int_equal(cf_schema_validate(s, CF_SCHEMA_RESPONSE, NULL, n, &v), 0);
    cJSON_SetNumberValue(n, 0.3);
    assert_int_equal(cf_schema_validate(s, CF_SCHEMA_RESPONSE, NULL, n, &v), 2);
    assert_string_equal(v.items[0].message, "expected integer, got number 0.3");
    assert_string_equal(v.items[1].message, "expected a multiple of 0.5, got 0.3");
    cf_violations_clear(&v);
    cJSON_Delete(n);
    cf_schema_free(s);
    cf_doc_free(spec);
}

/* ---- threads --------------------------------------------------------------------------------- */

typedef struct job {
    const cf_schema *s;
    const cf_doc *inst;
    int bad;
} job;

static void *validate_worker(void *arg)
{
    job *j = arg;
    for (int i = 0; i < 300; i++) {
        cf_violations v = {0};
        int n = cf_schema_validate(j->s, CF_SCHEMA_RESPONSE, j->inst, j->inst->root, &v);
        if (n != 5 ||
            strcmp(v.items[1].message, "expected a signed 32-bit integer (-2147483648 "
                                       "to 2147483647), got 3000000000") ||
            strcmp(v.items[4].message, "expected a string matching /^[a-z]+\\d?$/, got \"Ab\""))
            j->bad++;
        cf_violations_clear(&v);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    cf_doc *spec = spec_of(
        "{\"S\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Item\"}},"
        " \"Item\": {\"oneOf\": [{\"type\": \"integer\", \"format\": \"int32\"},"
        "  {\"type\": \"string\", \"pattern\": \"^[a-z]+\\\\d?$\"}]}}");
    cf_schema *s = compile_s(spec);
    cf_doc *inst = parse("[1, \"ab1\", 3000000000, true, \"Ab\"]", "body");
    pthread_t t[8];
    job jobs[8];
    for (int i = 0; i < 8; i++) {
        jobs[i] = (job){s, inst, 0};
        assert_int_equal(pthread_create(&t[i], NULL, validate_worker, &jobs[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(jobs[i].bad, 0);
    }
    cf_schema_free(s);
    cf_doc_free(inst);
    cf_doc_free(spec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type),
        cmocka_unit_test(test_nullable),
        cmocka_unit_test(test_enum),
        cmocka_unit_test(test_minimum_maximum),
        cmocka_unit_test(test_multiple_of),
        cmocka_unit_test(test_min_max_length),
        cmocka_unit_test(test_pattern),
        cmocka_unit_test(test_pattern_ecma),
        cmocka_unit_test(test_duplicate_keyword),
        cmocka_unit_test(test_pattern_not_compiling),
        cmocka_unit_test(test_pattern_limit),
        cmocka_unit_test(test_format_date_time),
        cmocka_unit_test(test_format_date),
        cmocka_unit_test(test_format_int32_int64),
        cmocka_unit_test(test_format_float_double),
        cmocka_unit_test(test_format_byte),
        cmocka_unit_test(test_format_uuid),
        cmocka_unit_test(test_format_email),
        cmocka_unit_test(test_format_unknown),
        cmocka_unit_test(test_required),
        cmocka_unit_test(test_properties),
        cmocka_unit_test(test_additional_properties),
        cmocka_unit_test(test_min_max_properties),
        cmocka_unit_test(test_items),
        cmocka_unit_test(test_min_max_items),
        cmocka_unit_test(test_unique_items),
        cmocka_unit_test(test_all_of_reports_once),
        cmocka_unit_test(test_one_of),
        cmocka_unit_test(test_any_of),
        cmocka_unit_test(test_not),
        cmocka_unit_test(test_discriminator),
        cmocka_unit_test(test_discriminator_any_of),
        cmocka_unit_test(test_read_write_only),
        cmocka_unit_test(test_ref_local_and_siblings),
        cmocka_unit_test(test_ref_recursive),
        cmocka_unit_test(test_ref_resolver),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_warnings_and_ignored_keywords),
        cmocka_unit_test(test_long_chains_compile),
        cmocka_unit_test(test_yaml_source),
        cmocka_unit_test(test_without_instance_doc),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
