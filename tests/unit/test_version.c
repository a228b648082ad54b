/* suite/version.c: version order and the ranges cases and ledger entries
 * apply to. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "doc/yamldoc.h"
#include "suite/version.h"

static void versions_order_as_semver_says(void **state)
{
    static const char *const sorted[] = {"1.0.0-alpha",
                                         "1.0.0-alpha.1",
                                         "1.0.0-alpha.beta",
                                         "1.0.0-beta",
                                         "1.0.0-beta.2",
                                         "1.0.0-beta.11",
                                         "1.0.0-rc.1",
                                         "1.0.0",
                                         "1.0.1",
                                         "1.2",
                                         "1.10.0",
                                         "v5.0.0",
                                         "6.4.0+build.7",
                                         "7"};
    size_t n = sizeof sorted / sizeof *sorted;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++) {
            int bad = 0, c = cf_version_cmp(sorted[i], sorted[k], &bad);
            assert_false(bad);
            assert_int_equal(c < 0 ? -1 : c > 0, i < k ? -1 : i > k);
        }
    int bad = 0;
    assert_int_equal(cf_version_cmp("1.2.0", "1.2", &bad), 0);
    assert_int_equal(cf_version_cmp("6.4.0+a", "6.4.0+b", &bad), 0);
    assert_false(bad);
    static const char *const invalid[] = {"",       "x",      "1.", "1..2",   "1.2.3.4",
                                          "1.2.3-", "1.2.3+", "-1", "1.2.3 ", "1234567890.0.0"};
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++)
        assert_false(cf_version_valid(invalid[i]));
    (void)state;
}

static void check_range(const char *yaml, const char *target_yaml, int expect, const char *why)
{
    cf_doc *d = NULL, *t = NULL;
    cf_error *err = NULL;
    assert_int_equal(cf_yaml_load_string(&d, yaml, strlen(yaml), "range", &err), 0);
    assert_int_equal(cf_yaml_load_string(&t, target_yaml, strlen(target_yaml), "t", &err), 0);
    cf_range r = {0};
    cf_kvlist v = {0};
    assert_int_equal(cf_range_parse(&r, d, d->root, &err), 0);
    assert_int_equal(cf_versions_parse(&v, t, cJSON_GetObjectItem(t->root, "version"), &err), 0);
    char *got = NULL;
    assert_int_equal(cf_range_check(&r, &v, &got), expect);
    if (why)
        assert_string_equal(got, why);
    else
        assert_null(got);
    free(got);
    cf_range_clear(&r);
    cf_kvlist_clear(&v);
    cf_doc_free(d);
    cf_doc_free(t);
}

static void ranges_name_required_and_actual_versions(void **state)
{
    check_range("since: 5.0.0", "version: 6.4.0", 1, NULL);
    check_range("since: 5.0.0", "version: 4.8.1", 0,
                "requires version >= 5.0.0, the target has 4.8.1");
    check_range("until: 7.0.0", "version: 7.0.0", 0,
                "requires version < 7.0.0, the target has 7.0.0");
    check_range("{since: {rocketchat: 5.0.0}, until: {rocketchat: 7.0.0}}",
                "version: {apps-rasa: 1.2.1, rocketchat: 6.4.0}", 1, NULL);
    check_range("since: {apps-rasa: 1.3.0}", "version: {rocketchat: 6.4.0, apps-rasa: 1.2.1}", 0,
                "requires apps-rasa >= 1.3.0, the target has 1.2.1");
    /* A plain version is the primary (first) component. */
    check_range("since: 6.0.0", "version: {rocketchat: 6.4.0, apps-rasa: 1.2.1}", 1, NULL);
    check_range("since: {apps-rasa: 1.0.0}", "version: 6.4.0", -1,
                "requires apps-rasa >= 1.0.0, and the target states no version of apps-rasa");
    (void)state;
}

static void bad_ranges_are_located(void **state)
{
    static const struct {
        const char *yaml, *msg;
    } cases[] = {
        {"since: five", "range:1:8: invalid version 'five' (hint: versions are MAJOR.MINOR.PATCH, "
                        "e.g. 6.4.0)"},
        {"since: [1]", "range:1:8: expected a version, got list (hint: write a version such as "
                       "5.0.0, or {COMPONENT: 5.0.0})"},
        {"{since: 7.0.0, until: 6.0.0}", "range:1:23: empty version range: since 7.0.0, until "
                                         "6.0.0 (hint: until is the first version excluded: make "
                                         "it greater than since)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cf_doc *d = NULL;
        cf_error *err = NULL;
        assert_int_equal(
            cf_yaml_load_string(&d, cases[i].yaml, strlen(cases[i].yaml), "range", &err), 0);
        cf_range r = {0};
        assert_int_equal(cf_range_parse(&r, d, d->root, &err), -1);
        char *msg = cf_error_format(err);
        assert_string_equal(msg, cases[i].msg);
        free(msg);
        cf_error_free(err);
        cf_range_clear(&r);
        cf_doc_free(d);
    }
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(versions_order_as_semver_says),
        cmocka_unit_test(ranges_name_required_and_actual_versions),
        cmocka_unit_test(bad_ranges_are_located),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
