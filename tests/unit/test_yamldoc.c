/* yamldoc: YAML to cJSON with marks, core-schema scalars, aliases, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/util.h"
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

/* A deleted subtree's entries are gone (a new node at a reused address must
 * not inherit them); the rest of the doc keeps its marks. */
static void deleted_subtrees_forget_their_marks(void **state)
{
    cf_doc *d = load_ok("cases:\n  - {id: a, n: 12345678901234567891}\n  - {id: b}\n");
    cJSON *cases = cJSON_GetObjectItem(d->root, "cases");
    cJSON *c0 = cJSON_GetArrayItem(cases, 0), *c1 = cJSON_GetArrayItem(cases, 1);
    const cJSON *n = cJSON_GetObjectItem(c0, "n");
    assert_non_null(cf_doc_number_text(d, n));
    assert_int_equal(cf_doc_mark(d, n).line, 2);
    cf_doc_delete_subtree(d, cJSON_DetachItemViaPointer(cases, c0));
    /* Only the addresses are looked up, never the freed nodes. */
    assert_null(cf_doc_number_text(d, n));
    assert_int_equal(cf_doc_mark(d, n).line, 0);
    assert_int_equal(cf_doc_mark(d, c0).line, 0);
    assert_int_equal(cf_doc_mark(d, c1).line, 3);
    assert_int_equal(cf_doc_key_mark(d, cJSON_GetObjectItem(c1, "id")).column, 6);
    cf_doc_free(d);
    (void)state;
}

/* A packed doc (strings in the doc's blocks) is the same tree with the same
 * marks and number texts; copies and deletions of its nodes leave the
 * packed strings alone (ASan checks the frees). */
static void packed_docs_load_the_same_tree(void **state)
{
    const char *text = "base: &b {k: v, n: 0x1F}\nm:\n  <<: *b\n  s: 'str'\n"
                       "  list: [*b, 12345678901234567891, \"x\"]\nkeys: {k: 1, m: 2}\n";
    cf_doc *plain = load_ok(text), *packed = NULL;
    cf_error *err = NULL;
    assert_int_equal(
        cf_yaml_load_string_flags(&packed, text, strlen(text), "t.yaml", CF_YAML_PACKED, &err), 0);
    char *a = cJSON_PrintUnformatted(plain->root), *b = cJSON_PrintUnformatted(packed->root);
    assert_string_equal(a, b);
    free(a);
    free(b);
    cJSON *m = cJSON_GetObjectItem(packed->root, "m");
    const cJSON *big = cJSON_GetArrayItem(cJSON_GetObjectItem(m, "list"), 1);
    assert_string_equal(cf_doc_number_text(packed, big), "12345678901234567891");
    assert_int_equal(cf_doc_mark(packed, big).line, 5);
    assert_int_equal(cf_doc_key_mark(packed, cJSON_GetObjectItem(m, "s")).column, 3);
    /* Keys are stored once. */
    assert_ptr_equal(cJSON_GetObjectItem(packed->root, "keys")->child->string,
                     cJSON_GetObjectItem(packed->root, "base")->child->string);
    cJSON *copy = cJSON_Duplicate(m, 1);
    cf_doc_delete_subtree(packed, cJSON_DetachItemViaPointer(packed->root, m));
    a = cJSON_PrintUnformatted(copy);
    assert_string_equal(a, "{\"s\":\"str\",\"list\":[{\"k\":\"v\",\"n\":31},"
                           "1.2345678901234567e+19,\"x\"],\"k\":\"v\",\"n\":31}");
    free(a);
    cJSON_Delete(copy);
    cf_doc_free(packed);
    packed = NULL;
    assert_int_equal(
        cf_yaml_load_string_flags(&packed, "a: 1\na: 2\n", 10, "t.yaml", CF_YAML_PACKED, &err), -1);
    assert_null(packed);
    a = cf_error_format(err);
    assert_string_equal(a, "t.yaml:2:1: duplicate key 'a' (hint: remove one of the two)");
    free(a);
    cf_error_free(err);
    cf_doc_free(plain);
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

static char *load_err_n(const char *text, size_t len)
{
    cf_doc *doc = NULL;
    cf_error *err = NULL;
    assert_int_equal(cf_yaml_load_string(&doc, text, len, "t.yaml", &err), -1);
    assert_null(doc);
    assert_non_null(err);
    char *m = cf_error_format(err);
    cf_error_free(err);
    return m;
}

/* The classic 637-byte "billion laughs" (10^9 nodes): stopped by the alias
 * budget (1 MiB for a small file) after about 55,000 copied nodes. */
static void billion_laughs_is_stopped_by_the_alias_budget(void **state)
{
    const char *bomb =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    char *m = load_err(bomb);
    assert_string_equal(m, "t.yaml:5:26: alias *d expands the document by more than 1048576 bytes "
                           "(64 times the file size, at least 1 MiB and at most 256 MiB) (hint: "
                           "aliases copy what they refer to: refer to large nodes less often)");
    free(m);
    (void)state;
}

/* A 1 MiB string referenced 100 times: 100 MiB of copies against a budget of
 * 64 times the file's size. */
static void aliases_of_a_large_string_are_stopped(void **state)
{
    size_t big = 1 << 20, n = 100;
    char *text = malloc(big + 16 + n * 4 + 16);
    assert_non_null(text);
    size_t len = 0;
    len += (size_t)sprintf(text + len, "s: &s \"");
    memset(text + len, 'x', big);
    len += big;
    len += (size_t)sprintf(text + len, "\"\nl: [");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "*s,");
    len += (size_t)sprintf(text + len, "*s]\n");
    char *m = load_err_n(text, len);
    assert_string_equal(m, "t.yaml:2:197: alias *s expands the document by more than 67129152 "
                           "bytes (64 times the file size, at least 1 MiB and at most 256 MiB) "
                           "(hint: aliases copy what they refer to: refer to large nodes less "
                           "often)");
    free(m);
    free(text);
    (void)state;
}

/* Each anchor holds an alias of the previous one: 30,000 links nest 30,000
 * levels once expanded. Stopped at the depth limit, not by the stack. */
static void alias_chains_are_stopped_at_the_depth_limit(void **state)
{
    cf_buf b = {0};
    cf_buf_puts(&b, "a0: &a0 [0]\n");
    for (int i = 1; i < 30000; i++)
        cf_buf_printf(&b, "a%d: &a%d [*a%d]\n", i, i, i - 1);
    char *m = load_err_n(b.data, b.len);
    assert_string_equal(m, "t.yaml:512:14: alias *a510 expands deeper than 512 levels (hint: an "
                           "alias of a node that holds aliases nests one more level each time)");
    free(m);
    free(b.data);
    (void)state;
}

/* Too many nodes without a single alias (a 1.6M-case suite): the hint must
 * not blame aliases. The limit is lowered so that the test stays small. */
static void a_huge_document_without_aliases_gets_no_alias_hint(void **state)
{
    cf_yaml_set_max_nodes(1000);
    cf_buf b = {0};
    for (int i = 0; i < 600; i++)
        cf_buf_printf(&b, "- {id: c%d}\n", i);
    char *m = load_err(b.data);
    assert_string_equal(m, "t.yaml:500:8: document too large: more than 1000 nodes (hint: "
                           "split it into several files)");
    free(m);
    free(b.data);
    b = (cf_buf){0};
    cf_buf_puts(&b, "- &x [1, 2, 3]\n");
    for (int i = 0; i < 400; i++)
        cf_buf_puts(&b, "- *x\n");
    m = load_err(b.data);
    assert_string_equal(m, "t.yaml:250:3: document too large: more than 1000 nodes (996 of them "
                           "copied by aliases) (hint: avoid aliases that expand into huge "
                           "documents)");
    free(m);
    cf_yaml_set_max_nodes(0);
    free(b.data);
    (void)state;
}

/* Mappings past the linear-scan size: duplicates and merges still work. */
static void large_mappings_find_duplicates_and_merge(void **state)
{
    cf_buf b = {0};
    cf_buf_puts(&b, "base: &b {k3: base, extra: 1}\nm:\n  <<: *b\n");
    for (int i = 0; i < 100; i++)
        cf_buf_printf(&b, "  k%d: %d\n", i, i);
    cf_doc *d = load_ok(b.data);
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(d->root, "m");
    assert_int_equal(cJSON_GetArraySize(m), 101);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(m, "k3")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(m, "extra")->valueint, 1);
    cf_doc_free(d);
    cf_buf_puts(&b, "  k57: again\n");
    char *e = load_err(b.data);
    assert_string_equal(e, "t.yaml:104:3: duplicate key 'k57' (hint: remove one of the two)");
    free(e);
    free(b.data);
    (void)state;
}

/* An anchor defined again replaces the earlier one for later aliases. */
static void anchors_redefined_shadow_earlier_ones(void **state)
{
    cf_doc *d = load_ok("a: &x 1\nb: &x 2\nc: *x\n");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(d->root, "c")->valueint, 2);
    cf_doc_free(d);
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
        cmocka_unit_test(deleted_subtrees_forget_their_marks),
        cmocka_unit_test(packed_docs_load_the_same_tree),
        cmocka_unit_test(aliases_and_merge_keys_expand),
        cmocka_unit_test(errors_are_located),
        cmocka_unit_test(billion_laughs_is_stopped_by_the_alias_budget),
        cmocka_unit_test(aliases_of_a_large_string_are_stopped),
        cmocka_unit_test(alias_chains_are_stopped_at_the_depth_limit),
        cmocka_unit_test(a_huge_document_without_aliases_gets_no_alias_hint),
        cmocka_unit_test(large_mappings_find_duplicates_and_merge),
        cmocka_unit_test(anchors_redefined_shadow_earlier_ones),
        cmocka_unit_test(empty_document_has_no_root),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
