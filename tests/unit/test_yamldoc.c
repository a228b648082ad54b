/* yamldoc: YAML to cJSON with marks, core-schema scalars, aliases, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "doc/yamldoc.h"

static cf_doc *load_ok(const char *text)
{
    cf_doc *doc = NULL;
    cf_error *err = NULL;
    int rc = cf_yaml_load_string(&doc, text, strlen(text), "t.yaml", &err);
    if (rc != 0) {
        char *m = cf_error_format(err);
        fail_msg("unexpected error: %s", m);
    }
    assert_non_null(doc);
    return doc;
}

static char *load_err(const char *text)
{
    cf_doc *doc = NULL;
    cf_error *err = NULL;
    assert_int_equal(cf_yaml_load_string(&doc, text, strlen(text), "t.yaml", &err), -1);
    assert_null(doc);
    assert_non_null(err);
    char *m = cf_error_format(err);
    cf_error_free(err);
    return m;
}

static void scalars_resolve_like_yaml_1_2(void **state)
{
    cf_doc *d = load_ok("a: 1\nb: '1'\nc: true\nd: yes\ne: ~\nf: 1.5e3\ng: 0x1F\n"
                        "h: 12345678901234567891\ni: -0.0075\nj: \"\"\nk:\nl: !!str 12\n");
    char *s = cJSON_PrintUnformatted(d->root);
    assert_string_equal(s, "{\"a\":1,\"b\":\"1\",\"c\":true,\"d\":\"yes\",\"e\":null,\"f\":1500,"
                           "\"g\":31,\"h\":1.2345678901234567e+19,\"i\":-0.0075,\"j\":\"\","
                           "\"k\":null,\"l\":\"12\"}");
    free(s);
    assert_string_equal(cf_doc_number_text(d, cJSON_GetObjectItem(d->root, "h")),
                        "12345678901234567891");
    assert_string_equal(cf_doc_number_text(d, cJSON_GetObjectItem(d->root, "g")), "31");
    assert_null(cf_doc_number_text(d, cJSON_GetObjectItem(d->root, "b")));
    cf_doc_free(d);
    (void)state;
}

static void marks_point_at_values_and_keys(void **state)
{
    cf_doc *d = load_ok("suite: x\ncases:\n  - id: a\n    expect: {status: 200}\n");
    cJSON *cases = cJSON_GetObjectItem(d->root, "cases");
    cJSON *c0 = cJSON_GetArrayItem(cases, 0);
    cJSON *st = cJSON_GetObjectItem(cJSON_GetObjectItem(c0, "expect"), "status");
    cf_mark m = cf_doc_mark(d, st);
    assert_int_equal(m.line, 4);
    assert_int_equal(m.column, 22);
    m = cf_doc_key_mark(d, cJSON_GetObjectItem(c0, "expect"));
    assert_int_equal(m.line, 4);
    assert_int_equal(m.column, 5);
    m = cf_doc_mark(d, c0);
    assert_int_equal(m.line, 3);
    assert_int_equal(m.column, 5);
    cf_doc_free(d);
    (void)state;
}

static void aliases_and_merge_keys_expand(void **state)
{
    cf_doc *d = load_ok("base: &b {x: 1, y: 2}\nuse: {<<: *b, y: 3}\nlist: [*b]\n"
                        "m: {<<: &z {q: 1}}\nn: *z\n");
    char *s = cJSON_PrintUnformatted(d->root);
    assert_string_equal(s, "{\"base\":{\"x\":1,\"y\":2},\"use\":{\"y\":3,\"x\":1},"
                           "\"list\":[{\"x\":1,\"y\":2}],\"m\":{\"q\":1},\"n\":{\"q\":1}}");
    free(s);
    cf_doc_free(d);
    (void)state;
}

static void errors_are_located(void **state)
{
    char *m = load_err("a: 1\na: 2\n");
    assert_string_equal(m, "t.yaml:2:1: duplicate key 'a' (hint: remove one of the two)");
    free(m);
    m = load_err("a: [1, 2\n");
    assert_string_equal(m, "t.yaml:2:1: YAML syntax error: did not find expected ',' or ']' "
                           "while parsing a flow sequence (hint: check indentation, quoting "
                           "and the brackets)");
    free(m);
    m = load_err("a: *nope\n");
    assert_string_equal(m, "t.yaml:1:4: unknown alias *nope (hint: define the anchor (&NAME) "
                           "before using it)");
    free(m);
    m = load_err("a: 1\n---\nb: 2\n");
    assert_string_equal(m, "t.yaml:2:1: more than one YAML document in the file (hint: put "
                           "each document in a file of its own)");
    free(m);
    m = load_err("? [a]\n: 1\n");
    assert_string_equal(m, "t.yaml:1:3: a mapping key must be a scalar (hint: quote the key "
                           "or write it as plain text)");
    free(m);
    (void)state;
}

static void alias_bombs_are_refused(void **state)
{
    const char *bomb = "a: &a [1,1,1,1,1,1,1,1,1,1]\n"
                       "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                       "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                       "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                       "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                       "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                       "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
    char *m = load_err(bomb);
    assert_non_null(strstr(m, "document too large"));
    free(m);
    (void)state;
}

static void empty_document_has_no_root(void **state)
{
    cf_doc *d = load_ok("# only a comment\n");
    assert_null(d->root);
    cf_doc_free(d);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scalars_resolve_like_yaml_1_2),
        cmocka_unit_test(marks_point_at_values_and_keys),
        cmocka_unit_test(aliases_and_merge_keys_expand),
        cmocka_unit_test(errors_are_located),
        cmocka_unit_test(alias_bombs_are_refused),
        cmocka_unit_test(empty_document_has_no_root),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
