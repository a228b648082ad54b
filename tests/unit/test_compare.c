/* test_compare.c - subset / exact / shape comparison and the compact diff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "doc/compare.h"
#include "doc/json.h"
#include "base/util.h"

static cf_doc *parse(const char *text)
{
    cf_doc *d = NULL;
    cf_error *err = NULL;
    if (cf_json_parse(&d, text, strlen(text), "t", &err) < 0)
        fail_msg("parse: %s", err->message);
    return d;
}

/* Compares and checks the result code and the diff (NULL: no diff). */
static void check(const char *expected, const char *actual, cf_match policy,
                  const char *const *ignore, size_t nignore, int want_rc, const char *want_diff)
{
    cf_doc *e = parse(expected), *a = parse(actual);
    char *diff = (char *)0x1;
    int rc = !cf_matches(&diff, e, e->root, a, a->root, policy, ignore, nignore); /* 1: differs */
    assert_int_equal(rc, want_rc);
    if (want_diff) {
        assert_non_null(diff);
        assert_string_equal(diff, want_diff);
    } else {
        assert_null(diff);
    }
    free(diff);
    cf_doc_free(e);
    cf_doc_free(a);
}

static void test_leading_space_is_visible(void **state)
{
    (void)state;
    const char *want = "{\"msg\": \" Close chat request handled successfully\"}";
    const char *got = "{\"msg\": \"Close chat request handled successfully\", \"result\": 0}";
    check(want, got, CF_MATCH_SUBSET, NULL, 0, 1,
          "/msg: expected \" Close chat request handled successfully\", got \"Close chat request "
          "handled successfully\"");
    check(want, got, CF_MATCH_EXACT, NULL, 0, 1,
          "/msg: expected \" Close chat request handled successfully\", got \"Close chat request "
          "handled successfully\"\n/result: unexpected member");
}

static void test_missing_and_types(void **state)
{
    (void)state;
    check("{\"msg\": \"x\", \"id\": 34}", "{\"id\": \"34\"}", CF_MATCH_SUBSET, NULL, 0, 1,
          "/msg: missing\n/id: expected integer 34, got string \"34\"");
    check("{\"a\": {\"b\": null}}", "{\"a\": {\"b\": false}}", CF_MATCH_SUBSET, NULL, 0, 1,
          "/a/b: expected null, got boolean false");
    check("{\"a\": [1]}", "{\"a\": null}", CF_MATCH_SUBSET, NULL, 0, 1,
          "/a: expected array [1], got null");
    check("[1, 2]", "{\"0\": 1}", CF_MATCH_EXACT, NULL, 0, 1,
          "(root): expected array [1, 2], got object {\"0\": 1}");
    check("{\"a/b\": {\"m~n\": 1}}", "{\"a/b\": {}}", CF_MATCH_SUBSET, NULL, 0, 1,
          "/a~1b/m~0n: missing");
}

static void test_numbers_and_strings(void **state)
{
    (void)state;
    check("{\"n\": 1.0, \"s\": \"\\u0020x\"}", "{\"n\": 1, \"s\": \" x\"}", CF_MATCH_EXACT, NULL, 0,
          0, NULL);
    check("{\"id\": 12345678901234567891}", "{\"id\": 12345678901234567890}", CF_MATCH_EXACT, NULL,
          0, 1, "/id: expected 12345678901234567891, got 12345678901234567890");
    check("{\"t\": true}", "{\"t\": false}", CF_MATCH_SUBSET, NULL, 0, 1,
          "/t: expected true, got false");
    check("\"a b\"", "\"a\\u00a0b\"", CF_MATCH_EXACT, NULL, 0, 1,
          "(root): expected \"a b\", got \"a\\u00a0b\"");
    check("\"tab\\there\"", "\"tab here\"", CF_MATCH_EXACT, NULL, 0, 1,
          "(root): expected \"tab\\there\", got \"tab here\"");
}

static void test_long_strings_window(void **state)
{
    (void)state;
    char e[400], a[400];
    memset(e, 'x', 200);
    memcpy(e + 200, "ABC", 3);
    memset(e + 203, 'y', 100);
    e[303] = '\0';
    strcpy(a, e);
    a[201] = 'Z';
    char *je = cf_asprintf("\"%s\"", e), *ja = cf_asprintf("\"%s\"", a);
    /* The window: 24 bytes before the first difference, 48 from it. */
    cf_buf w = {0};
    cf_buf_puts(&w, "(root): expected \"...");
    cf_buf_append(&w, e + 177, 72);
    cf_buf_puts(&w, "...\", got \"...");
    cf_buf_append(&w, a + 177, 72);
    cf_buf_puts(&w, "...\" (303 vs 303 characters, first difference at character 202)");
    assert_true(strstr(w.data, "xABCy") && strstr(w.data, "xAZCy"));
    check(je, ja, CF_MATCH_EXACT, NULL, 0, 1, w.data);
    cf_buf_free(&w);
    free(je);
    free(ja);
}

static void test_arrays(void **state)
{
    (void)state;
    check("{\"a\": [1, 2, 3]}", "{\"a\": [1, 5]}", CF_MATCH_SUBSET, NULL, 0, 1,
          "/a: expected 3 items, got 2\n/a/1: expected 2, got 5");
    check("[{\"x\": 1}]", "[{\"x\": 1, \"y\": 2}]", CF_MATCH_SUBSET, NULL, 0, 0, NULL);
    check("[{\"x\": 1}]", "[{\"x\": 1, \"y\": 2}]", CF_MATCH_EXACT, NULL, 0, 1,
          "/0/y: unexpected member");
}

static void test_ignore(void **state)
{
    (void)state;
    static const char *const ign[] = {"/ts", "/items/0/id"};
    check("{\"ts\": \"2024\", \"items\": [{\"id\": 1, \"n\": \"a\"}]}",
          "{\"ts\": \"2025\", \"items\": [{\"id\": 9, \"n\": \"a\"}]}", CF_MATCH_EXACT, ign, 2, 0,
          NULL);
    /* An ignored member may also be missing, or be extra in exact mode. */
    check("{\"ts\": \"2024\", \"a\": 1}", "{\"a\": 1}", CF_MATCH_EXACT, ign, 2, 0, NULL);
    check("{\"a\": 1}", "{\"a\": 1, \"ts\": 5}", CF_MATCH_EXACT, ign, 2, 0, NULL);
    check("{\"a\": 1}", "{\"a\": 1, \"ts2\": 5}", CF_MATCH_EXACT, ign, 2, 1,
          "/ts2: unexpected member");
    static const char *const root[] = {""};
    check("1", "2", CF_MATCH_EXACT, root, 1, 0, NULL);
}

static void test_shape(void **state)
{
    (void)state;
    check("{\"id\": 1, \"name\": \"a\", \"tags\": [\"x\"], \"o\": {\"k\": 1.5}}",
          "{\"id\": 7, \"name\": \"b\", \"tags\": [\"y\", \"z\"], \"o\": {\"k\": 2}}",
          CF_MATCH_SHAPE, NULL, 0, 0, NULL);
    check("{\"id\": 1, \"tags\": [\"x\"]}", "{\"id\": \"1\", \"tags\": [\"y\", 3], \"more\": true}",
          CF_MATCH_SHAPE, NULL, 0, 1,
          "/id: expected integer 1, got string \"1\"\n/tags/1: expected string \"x\", got integer "
          "3");
    /* Extra members are the schema's business under SHAPE, as under SUBSET. */
    check("{\"id\": 1}", "{\"id\": 2, \"extra\": \"allowed\"}", CF_MATCH_SHAPE, NULL, 0, 0, NULL);
    check("{\"id\": 1}", "{\"name\": \"x\"}", CF_MATCH_SHAPE, NULL, 0, 1, "/id: missing");
    check("[]", "[1, \"a\"]", CF_MATCH_SHAPE, NULL, 0, 0, NULL);
}

static void test_diff_is_capped(void **state)
{
    (void)state;
    cf_buf e = {0}, a = {0};
    cf_buf_puts(&e, "{");
    cf_buf_puts(&a, "{");
    for (int i = 0; i < 25; i++) {
        cf_buf_printf(&e, "%s\"k%02d\": %d", i ? ", " : "", i, i);
        cf_buf_printf(&a, "%s\"k%02d\": %d", i ? ", " : "", i, i + 1);
    }
    cf_buf_puts(&e, "}");
    cf_buf_puts(&a, "}");
    cf_doc *de = parse(e.data), *da = parse(a.data);
    char *diff = NULL;
    assert_int_equal(cf_matches(&diff, de, de->root, da, da->root, CF_MATCH_EXACT, NULL, 0), 0);
    size_t lines = 1;
    for (const char *p = diff; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 21);
    assert_non_null(strstr(diff, "/k19: expected 19, got 20\n... 5 more"));
    assert_true(strncmp(diff, "/k00: expected 0, got 1\n", 24) == 0);
    /* diff may be NULL: only the verdict */
    assert_int_equal(cf_matches(NULL, de, de->root, da, da->root, CF_MATCH_SHAPE, NULL, 0), 1);
    free(diff);
    cf_doc_free(de);
    cf_doc_free(da);
    cf_buf_free(&e);
    cf_buf_free(&a);
}

static void test_without_docs(void **state)
{
    (void)state;
    cJSON *e = cJSON_Parse("{\"a\": 1.5}"), *a = cJSON_Parse("{\"a\": 1.25}");
    char *diff = NULL;
    assert_int_equal(cf_matches(&diff, NULL, e, NULL, a, CF_MATCH_SUBSET, NULL, 0), 0);
    assert_string_equal(diff, "/a: expected 1.5, got 1.25");
    free(diff);
    cJSON_Delete(e);
    cJSON_Delete(a);
}

static void test_policy_names(void **state)
{
    (void)state;
    assert_int_equal(cf_match_parse("subset"), CF_MATCH_SUBSET);
    assert_int_equal(cf_match_parse("exact"), CF_MATCH_EXACT);
    assert_int_equal(cf_match_parse("shape"), CF_MATCH_SHAPE);
    assert_int_equal(cf_match_parse("Exact"), -1);
    assert_int_equal(cf_match_parse(NULL), -1);
    assert_string_equal(cf_match_name(CF_MATCH_SHAPE), "shape");
    assert_string_equal(cf_match_name(CF_MATCH_SUBSET), "subset");
    assert_string_equal(cf_match_name(CF_MATCH_EXACT), "exact");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leading_space_is_visible),
        cmocka_unit_test(test_missing_and_types),
        cmocka_unit_test(test_numbers_and_strings),
        cmocka_unit_test(test_long_strings_window),
        cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_ignore),
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_diff_is_capped),
        cmocka_unit_test(test_without_docs),
        cmocka_unit_test(test_policy_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
