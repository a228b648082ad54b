/* test_jsonptr.c - RFC 6901 JSON Pointer, against the RFC's own examples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "doc/json.h"
#include "doc/jsonptr.h"

/* RFC 6901 section 5. */
static const char rfc_doc[] = "{\"foo\": [\"bar\", \"baz\"], \"\": 0, \"a/b\": 1, \"c%d\": 2, "
                              "\"e^f\": 3, \"g|h\": 4, \"i\\\\j\": 5, \"k\\\"l\": 6, \" \": 7, "
                              "\"m~n\": 8}";

static cf_doc *load(const char *text)
{
    cf_doc *d = NULL;
    cf_error *err = NULL;
    int rc = cf_json_parse(&d, text, strlen(text), "doc", &err);
    if (rc < 0)
        fail_msg("parse failed: %s", err ? err->message : "?");
    return d;
}

/* The node at ptr rendered briefly, or "(none)". */
static char *at(const cf_doc *d, const char *ptr)
{
    const cJSON *n = cf_jsonptr_get(d->root, ptr);
    return n ? cf_json_brief(d, n, 200) : strdup("(none)");
}

static void check_at(const cf_doc *d, const char *ptr, const char *want)
{
    char *got = at(d, ptr);
    assert_string_equal(got, want);
    free(got);
}

static void test_rfc6901_section5(void **state)
{
    (void)state;
    cf_doc *d = load(rfc_doc);
    assert_ptr_equal(cf_jsonptr_get(d->root, ""), d->root);
    check_at(d, "/foo", "[\"bar\", \"baz\"]");
    check_at(d, "/foo/0", "\"bar\"");
    check_at(d, "/", "0");
    check_at(d, "/a~1b", "1");
    check_at(d, "/c%d", "2");
    check_at(d, "/e^f", "3");
    check_at(d, "/g|h", "4");
    check_at(d, "/i\\j", "5");
    check_at(d, "/k\"l", "6");
    check_at(d, "/ ", "7");
    check_at(d, "/m~0n", "8");
    cf_doc_free(d);
}

/* RFC 6901 section 6: the URI fragment representation. */
static void test_rfc6901_section6_fragments(void **state)
{
    (void)state;
    static const struct {
        const char *fragment, *value;
    } cases[] = {
        {"#/foo", "[\"bar\", \"baz\"]"},
        {"#/foo/0", "\"bar\""},
        {"#/", "0"},
        {"#/a~1b", "1"},
        {"#/c%25d", "2"},
        {"#/e%5Ef", "3"},
        {"#/g%7Ch", "4"},
        {"#/i%5Cj", "5"},
        {"#/k%22l", "6"},
        {"#/%20", "7"},
        {"#/m~0n", "8"},
    };
    cf_doc *d = load(rfc_doc);
    char *p = cf_jsonptr_from_fragment("#");
    assert_non_null(p);
    assert_string_equal(p, "");
    assert_ptr_equal(cf_jsonptr_get(d->root, p), d->root);
    free(p);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        p = cf_jsonptr_from_fragment(cases[i].fragment);
        assert_non_null(p);
        check_at(d, p, cases[i].value);
        free(p);
    }
    cf_doc_free(d);
}

static void test_fragment_rejects(void **state)
{
    (void)state;
    assert_null(cf_jsonptr_from_fragment("#foo"));    /* plain name */
    assert_null(cf_jsonptr_from_fragment("/foo"));    /* no '#' */
    assert_null(cf_jsonptr_from_fragment("#/a%2"));   /* cut escape */
    assert_null(cf_jsonptr_from_fragment("#/a%zz"));  /* not hex */
    assert_null(cf_jsonptr_from_fragment("#/a%00b")); /* NUL */
    assert_null(cf_jsonptr_from_fragment("#/a~2"));   /* bad ~ escape */
    char *p = cf_jsonptr_from_fragment("#/a%20b/c");
    assert_string_equal(p, "/a b/c");
    free(p);
}

static void test_check(void **state)
{
    (void)state;
    size_t where = 99;
    assert_int_equal(cf_jsonptr_check("", NULL), 0);
    assert_int_equal(cf_jsonptr_check("/a/~0~1", NULL), 0);
    assert_int_equal(cf_jsonptr_check("a", &where), -1);
    assert_int_equal(where, 0);
    assert_int_equal(cf_jsonptr_check("/ab~2", &where), -1);
    assert_int_equal(where, 3);
    assert_int_equal(cf_jsonptr_check("/~", &where), -1);
    assert_int_equal(where, 1);
    assert_null(cf_jsonptr_get(NULL, ""));
}

static void test_array_tokens(void **state)
{
    (void)state;
    cf_doc *d = load("{\"a\": [10, 20, 30], \"~1\": \"tilde-one\"}");
    check_at(d, "/a/2", "30");
    check_at(d, "/a/3", "(none)");  /* past the end */
    check_at(d, "/a/-", "(none)");  /* "-" designates the nonexistent element */
    check_at(d, "/a/01", "(none)"); /* leading zero */
    check_at(d, "/a/x", "(none)");
    check_at(d, "/a/0/b", "(none)");      /* below a scalar */
    check_at(d, "/~01", "\"tilde-one\""); /* ~01 is "~1", not "/" */
    check_at(d, "/missing", "(none)");
    cf_doc_free(d);
}

static void test_append(void **state)
{
    (void)state;
    char *p = cf_jsonptr_append("", "a/b");
    assert_string_equal(p, "/a~1b");
    char *q = cf_jsonptr_append(p, "m~n");
    assert_string_equal(q, "/a~1b/m~0n");
    char *r = cf_jsonptr_append_index(q, 12);
    assert_string_equal(r, "/a~1b/m~0n/12");
    char *e = cf_jsonptr_append("/x", "");
    assert_string_equal(e, "/x/");
    char *tok = NULL;
    assert_string_equal(cf_jsonptr_last_token("/components/schemas/a~1b", &tok), "a/b");
    free(tok);
    assert_null(cf_jsonptr_last_token("", &tok));
    free(p);
    free(q);
    free(r);
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6901_section5), cmocka_unit_test(test_rfc6901_section6_fragments),
        cmocka_unit_test(test_fragment_rejects), cmocka_unit_test(test_check),
        cmocka_unit_test(test_array_tokens),     cmocka_unit_test(test_append),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
