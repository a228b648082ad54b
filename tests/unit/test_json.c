/* test_json.c - parsing with marks and literal texts, strict RFC 8259 errors,
 * exact number comparison and arithmetic, equality, brief renderings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "doc/json.h"
#include "doc/jsonptr.h"

static cf_doc *parse_ok(const char *text)
{
    cf_doc *d = NULL;
    cf_error *err = NULL;
    if (cf_json_parse(&d, text, strlen(text), "body", &err) < 0) {
        char *m = cf_error_format(err);
        fail_msg("unexpected parse error: %s", m);
    }
    assert_null(err);
    return d;
}

/* The one-line error for text, e.g. "body:1:8: unexpected character '}'". */
static char *parse_err(const char *text, size_t len)
{
    cf_doc *d = (cf_doc *)0x1;
    cf_error *err = NULL;
    int rc = cf_json_parse(&d, text, len, "body", &err);
    assert_int_equal(rc, -1);
    assert_null(d);
    assert_non_null(err);
    char *s = cf_error_format(err);
    cf_error_free(err);
    return s;
}

static void check_err(const char *text, const char *want)
{
    char *got = parse_err(text, strlen(text));
    assert_string_equal(got, want);
    free(got);
}

static const cJSON *node(const cf_doc *d, const char *ptr)
{
    const cJSON *n = cf_jsonptr_get(d->root, ptr);
    if (!n)
        fail_msg("no node at %s", ptr);
    return n;
}

static void test_marks_and_texts(void **state)
{
    (void)state;
    cf_doc *d = parse_ok("{\n  \"id\": 12345678901234567891,\n  \"l\": [1.0, \"x\", {\"é\": -0}],\n"
                         "\t\"n\": null}");
    cf_mark m = cf_doc_mark(d, node(d, "/id"));
    assert_int_equal(m.line, 2);
    assert_int_equal(m.column, 9);
    m = cf_doc_key_mark(d, node(d, "/id"));
    assert_int_equal(m.line, 2);
    assert_int_equal(m.column, 3);
    m = cf_doc_mark(d, node(d, "/l/2/é"));
    assert_int_equal(m.line, 3);
    assert_int_equal(m.column, 25); /* columns count code points: é is one */
    m = cf_doc_mark(d, node(d, "/n"));
    assert_int_equal(m.line, 4);
    assert_int_equal(m.column, 7);
    m = cf_doc_mark(d, d->root);
    assert_int_equal(m.line, 1);
    assert_int_equal(m.column, 1);
    assert_string_equal(cf_doc_number_text(d, node(d, "/id")), "12345678901234567891");
    assert_string_equal(cf_doc_number_text(d, node(d, "/l/0")), "1.0");
    assert_string_equal(cf_doc_number_text(d, node(d, "/l/2/é")), "-0");
    assert_null(cf_doc_number_text(d, node(d, "/l/1")));
    cf_doc_free(d);
}

static void test_not_nul_terminated_and_bom(void **state)
{
    (void)state;
    const char text[] = "[1, 2]garbage";
    cf_doc *d = NULL;
    cf_error *err = NULL;
    assert_int_equal(cf_json_parse(&d, text, 6, "body", &err), 0);
    assert_int_equal(cJSON_GetArraySize(d->root), 2);
    cf_doc_free(d);
    const char bom[] = "\xEF\xBB\xBF{\"a\": 1}";
    assert_int_equal(cf_json_parse(&d, bom, strlen(bom), "body", &err), 0);
    cf_mark m = cf_doc_mark(d, node(d, "/a"));
    assert_int_equal(m.column, 7);
    cf_doc_free(d);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    check_err("{\"a\":1,}",
              "body:1:8: unexpected character '}' (hint: JSON allows no comma before a closing "
              "bracket)");
    check_err("{\"a\" 1}", "body:1:6: unexpected character '1'");
    check_err("[1,2", "body:1:5: unexpected end of input");
    check_err("{\n  \"a\": [1,\n   tru]\n}", "body:3:4: unexpected character 't'");
    check_err("{'a': 1}",
              "body:1:2: unexpected character ''' (hint: JSON strings use double quotes)");
    check_err("\"abc", "body:1:1: unterminated string");
    check_err("[\"a\\x\"]",
              "body:1:4: invalid escape sequence (JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
              "\\uXXXX)");
    check_err("[\"\\ud800\"]",
              "body:1:3: invalid \\u escape: a high surrogate must be followed by a low "
              "surrogate escape");
    check_err("", "body:1:1: empty document: expected a JSON value");
    check_err(" \n ", "body:2:2: empty document: expected a JSON value");
    check_err("[1] x", "body:1:5: unexpected 'x' after the JSON value (hint: a JSON text holds "
                       "exactly one value)");
    check_err("nul", "body:1:1: unexpected character 'n'");
    check_err("{,}", "body:1:2: unexpected character ','");
    check_err("{\"a\": 1, 2: 3}", "body:1:10: unexpected character '2'");
    check_err("[1,2x]", "body:1:5: unexpected character 'x'");
    check_err("{\"a\":1,", "body:1:8: unexpected end of input");
    check_err("[{\"a\":[1,{}]},}", "body:1:15: unexpected character '}' (hint: JSON allows no "
                                   "comma before a closing bracket)");
}

/* cJSON stops at CJSON_NESTING_LIMIT: a 100,000-deep body gets a depth
 * message, not "unexpected character". */
static void test_depth(void **state)
{
    (void)state;
    size_t n = 100000;
    char *text = cf_xmalloc(2 * n + 1);
    memset(text, '[', n);
    memset(text + n, ']', n);
    text[2 * n] = '\0';
    cf_doc *d = NULL;
    cf_error *e = NULL;
    assert_int_equal(cf_json_parse(&d, text, 2 * n, "body", &e), -1);
    char *m = cf_error_format(e);
    assert_string_equal(m, "body:1:1001: JSON nested deeper than 1000 arrays and objects (hint: "
                           "conform parses JSON up to that depth; flatten the document)");
    free(m);
    cf_error_free(e);
    free(text);
}

/* What cJSON 1.7.15 accepts but RFC 8259 forbids. */
static void test_strict_rfc8259(void **state)
{
    (void)state;
    check_err("01", "body:1:1: invalid number 01: leading zeros are not allowed");
    check_err("[1, -01]", "body:1:5: invalid number -01: leading zeros are not allowed");
    check_err("{\"a\": 1.}", "body:1:7: invalid number 1.: digits must follow the decimal point");
    check_err("[1.5e]", "body:1:5: unexpected character 'e'"); /* cJSON itself refuses */
    check_err("[\"a\tb\"]", "body:1:4: control character U+0009 must be escaped in a JSON string");
    check_err("[\"\xC3\x28\"]", "body:1:3: invalid UTF-8 byte 0xC3 in a JSON string");
    check_err("\x0C[1]", "body:1:1: invalid whitespace character U+000C (JSON allows space, tab, "
                         "CR, LF)");
    char *s = parse_err("[1]\0", 4);
    assert_string_equal(s, "body:1:4: invalid whitespace character U+0000 (JSON allows space, "
                           "tab, CR, LF)");
    free(s);
}

static void test_long_literals(void **state)
{
    (void)state;
    char text[1100] = "[";
    for (int i = 0; i < 1000; i++)
        strcat(text, i % 10 == 0 ? "1" : "0");
    strcat(text, ", 2]");
    cf_doc *d = parse_ok(text);
    const char *t = cf_doc_number_text(d, node(d, "/0"));
    assert_non_null(t);
    assert_int_equal(strlen(t), 1000);
    assert_memory_equal(t, text + 1, 1000);
    assert_string_equal(cf_json_type_name(d, node(d, "/0")), "integer");
    cf_doc_free(d);
}

static void test_load_file(void **state)
{
    (void)state;
    cf_doc *d = NULL;
    cf_error *err = NULL;
    assert_int_equal(cf_json_load_file(&d, "/nonexistent/x.json", &err), -1);
    char *s = cf_error_format(err);
    assert_string_equal(s, "/nonexistent/x.json: cannot read: No such file or directory");
    free(s);
    cf_error_free(err);
    err = NULL;
    char path[] = "/tmp/conform-test-json-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("{\"a\": [1,\n 2,,]}", f);
    fclose(f);
    assert_int_equal(cf_json_load_file(&d, path, &err), -1);
    s = cf_error_format(err);
    char *want = NULL;
    size_t n = strlen(path) + 64;
    want = malloc(n);
    snprintf(want, n, "%s:2:4: unexpected character ','", path);
    assert_string_equal(s, want);
    free(want);
    free(s);
    cf_error_free(err);
    unlink(path);
}

/* cmp of two literals, each parsed on its own. */
static int cmp_text(const char *a, const char *b)
{
    cf_doc *da = parse_ok(a), *db = parse_ok(b);
    int c = cf_json_number_cmp(da, da->root, db, db->root);
    cf_doc_free(da);
    cf_doc_free(db);
    return c;
}

static void test_number_cmp_exact(void **state)
{
    (void)state;
    assert_true(cmp_text("12345678901234567891", "12345678901234567890") > 0);
    assert_true(cmp_text("12345678901234567890", "12345678901234567891") < 0);
    assert_int_equal(cmp_text("1.0", "1"), 0);
    assert_int_equal(cmp_text("1e2", "100"), 0);
    assert_int_equal(cmp_text("100E-2", "1"), 0);
    assert_int_equal(cmp_text("-0", "0"), 0);
    assert_int_equal(cmp_text("0.10", "0.1"), 0);
    assert_true(cmp_text("-18446744073709551600", "-18446744073709551615") > 0);
    assert_true(cmp_text("972783798187987123879878123.188781371",
                         "972783798187987123879878123.18878137") > 0);
    assert_true(cmp_text("-1", "0.5") < 0);
    assert_true(cmp_text("1e400", "1e399") > 0); /* beyond double range, still exact */
    assert_int_equal(cmp_text("0.000", "0"), 0);
    /* Without a doc the doubles decide: the two ids collapse. */
    cf_doc *da = parse_ok("12345678901234567891"), *db = parse_ok("12345678901234567890");
    assert_int_equal(cf_json_number_cmp(NULL, da->root, NULL, db->root), 0);
    assert_true(cf_json_number_cmp_text(da, da->root, "12345678901234567890") > 0);
    assert_int_equal(cf_json_number_cmp_text(db, db->root, "1.2345678901234567890e19"), 0);
    cf_doc_free(da);
    cf_doc_free(db);
}

static int multiple(const char *a, const char *b)
{
    cf_doc *da = parse_ok(a), *db = parse_ok(b);
    int r = cf_json_number_multiple(da, da->root, db, db->root);
    cf_doc_free(da);
    cf_doc_free(db);
    return r;
}

static void test_number_multiple(void **state)
{
    (void)state;
    assert_int_equal(multiple("0.0075", "0.0001"), 1);
    assert_int_equal(multiple("0.00751", "0.0001"), 0);
    assert_int_equal(multiple("4.5", "1.5"), 1);
    assert_int_equal(multiple("-4.5", "1.5"), 1);
    assert_int_equal(multiple("35", "1.5"), 0);
    assert_int_equal(multiple("0", "7"), 1);
    assert_int_equal(multiple("10", "3"), 0);
    assert_int_equal(multiple("1e308", "0.5"), 1);
    assert_int_equal(multiple("1e308", "0.123456789"), 0);
    assert_int_equal(multiple("12391239123", "1e-8"), 1);
    assert_int_equal(multiple("19.99", "0.01"), 1);
    assert_int_equal(multiple("0.3", "0.1"), 1); /* 0.3 % 0.1 != 0 in doubles */
    assert_int_equal(multiple("123456789012345678901234567890", "10"), 1);
    assert_int_equal(multiple("123456789012345678901234567891", "10"), 0);
    assert_int_equal(multiple("123456789012345678901234567890", "123456789012345678901234567890"),
                     1);
    assert_int_equal(multiple("246913578024691357802469135780", "123456789012345678901234567890"),
                     1);
    assert_int_equal(multiple("7.5", "2.5e0"), 1);
    assert_int_equal(multiple("0.75", "0.25"), 1);
}

static void test_type_names(void **state)
{
    (void)state;
    cf_doc *d = parse_ok("[1, 1.0, 1e2, -5, 12345678910111213141516171819202122232425262728293031,"
                         " 0.5, \"s\", true, null, {}, []]");
    static const char *const want[] = {"integer", "number", "number", "integer",
                                       "integer", "number", "string", "boolean",
                                       "null",    "object", "array"};
    size_t i = 0;
    for (const cJSON *n = d->root->child; n; n = n->next, i++)
        assert_string_equal(cf_json_type_name(d, n), want[i]);
    /* Without literal texts 1.0 cannot be told from 1. */
    assert_string_equal(cf_json_type_name(NULL, node(d, "/1")), "integer");
    assert_string_equal(cf_json_type_name(NULL, node(d, "/5")), "number");
    assert_true(cf_json_number_is_integral(d, node(d, "/1")));
    assert_true(cf_json_number_is_integral(d, node(d, "/2")));
    assert_false(cf_json_number_is_integral(d, node(d, "/5")));
    cf_doc_free(d);
}

static int equal(const char *a, const char *b)
{
    cf_doc *da = parse_ok(a), *db = parse_ok(b);
    int r = cf_json_equal(da, da->root, db, db->root);
    cf_doc_free(da);
    cf_doc_free(db);
    return r;
}

static void test_equal(void **state)
{
    (void)state;
    assert_true(equal("{\"a\": 1, \"b\": [1, {\"c\": null}]}",
                      "{\"b\": [1.0, {\"c\": null}], \"a\": 1e0}"));
    assert_false(equal("{\"a\": 1}", "{\"a\": 1, \"b\": 2}"));
    assert_false(equal("[1, 2]", "[2, 1]"));
    assert_false(equal("[1]", "[1, 1]"));
    assert_false(equal("\" x\"", "\"x\""));
    assert_true(equal("\"\\u0020\"", "\" \""));
    assert_false(equal("true", "1"));
    assert_false(equal("0", "false"));
    assert_false(equal("null", "{}"));
    assert_false(equal("12345678901234567891", "12345678901234567890"));
    assert_false(equal("\"\\u00e4\"", "\"a\\u0308\""));
}

static size_t hash_of(const char *text)
{
    cf_doc *d = parse_ok(text);
    size_t h = cf_json_hash(d, d->root);
    cf_doc_free(d);
    return h;
}

static void test_hash_agrees_with_equal(void **state)
{
    (void)state;
    assert_true(hash_of("1.0") == hash_of("1"));
    assert_true(hash_of("1e2") == hash_of("100"));
    assert_true(hash_of("{\"a\": 1, \"b\": [true, null]}") ==
                hash_of("{\"b\": [true, null], \"a\": 1.0}"));
    assert_true(hash_of("[1, 2]") != hash_of("[2, 1]"));
    assert_true(hash_of("12345678901234567891") != hash_of("12345678901234567890"));
    assert_true(hash_of("\"1\"") != hash_of("1"));
    assert_true(hash_of("{\"a\": 1}") != hash_of("{\"b\": 1}"));
}

static void check_brief(const char *text, size_t max, const char *want)
{
    cf_doc *d = parse_ok(text);
    char *b = cf_json_brief(d, d->root, max);
    assert_string_equal(b, want);
    free(b);
    cf_doc_free(d);
}

static void test_brief(void **state)
{
    (void)state;
    check_brief("{\"a\":[1.50,true,null],\"b\":\"x\\\"y\\n\"}", 100,
                "{\"a\": [1.50, true, null], \"b\": \"x\\\"y\\n\"}");
    check_brief("\" Close chat\"", 100, "\" Close chat\"");
    check_brief("\"a\\u00a0b\\u200bc\\ufeff\"", 100, "\"a\\u00a0b\\u200bc\\ufeff\"");
    check_brief("\"\\u0001\\t\"", 100, "\"\\u0001\\t\"");
    check_brief("\"0123456789abcdef\"", 10, "\"012345...");
    check_brief("\"ééééé\"", 8, "\"éé..."); /* never cut inside a character */
    check_brief("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]", 20, "[1, 2, 3, 4, 5, 6...");
    check_brief("12345678901234567891", 100, "12345678901234567891");
    /* Without a doc: the double, shortest form. */
    cJSON *n = cJSON_CreateNumber(0.1);
    char *b = cf_json_brief(NULL, n, 50);
    assert_string_equal(b, "0.1");
    free(b);
    cJSON_Delete(n);
    n = cJSON_CreateNumber(1e21);
    b = cf_json_brief(NULL, n, 50);
    assert_string_equal(b, "1e+21");
    free(b);
    cJSON_Delete(n);
}

/* Several threads parsing at once, good and bad texts: no shared state. */
static void *parse_worker(void *arg)
{
    long bad = 0;
    for (int i = 0; i < 2000; i++) {
        const char *text = (i + (long)(size_t)arg) % 2
                               ? "{\"id\": 12345678901234567891, \"v\": [1.0, 2]}"
                               : "{\"id\": 1,\n \"v\": [1.0, 2,]}";
        cf_doc *d = NULL;
        cf_error *err = NULL;
        int rc = cf_json_parse(&d, text, strlen(text), "t", &err);
        if ((i + (long)(size_t)arg) % 2) {
            if (rc != 0 || strcmp(cf_doc_number_text(d, d->root->child), "12345678901234567891"))
                bad++;
        } else if (rc != -1 || err->line != 2 || err->column != 15) {
            bad++;
        }
        cf_doc_free(d);
        cf_error_free(err);
    }
    return (void *)bad;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t t[6];
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(pthread_create(&t[i], NULL, parse_worker, (void *)i), 0);
    for (size_t i = 0; i < 6; i++) {
        void *bad = NULL;
        pthread_join(t[i], &bad);
        assert_int_equal((long)(size_t)bad, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marks_and_texts), cmocka_unit_test(test_not_nul_terminated_and_bom),
        cmocka_unit_test(test_syntax_errors),   cmocka_unit_test(test_depth),
        cmocka_unit_test(test_strict_rfc8259),  cmocka_unit_test(test_long_literals),
        cmocka_unit_test(test_load_file),       cmocka_unit_test(test_number_cmp_exact),
        cmocka_unit_test(test_number_multiple), cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_equal),           cmocka_unit_test(test_hash_agrees_with_equal),
        cmocka_unit_test(test_brief),           cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
