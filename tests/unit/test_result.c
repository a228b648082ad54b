/* The finding-type table: names unique, every entry explained, lookups exact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "engine/result.h"

static void test_table(void **state)
{
    (void)state;
    size_t n = 0;
    const cf_finding_type *t = cf_finding_types(&n);
    assert_true(n > 10);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(t[i].meaning);
        assert_true(strlen(t[i].meaning) > 10);
        assert_ptr_equal(cf_finding_type_lookup(t[i].name), &t[i]);
        for (size_t k = i + 1; k < n; k++)
            assert_string_not_equal(t[i].name, t[k].name);
    }
    assert_null(cf_finding_type_lookup("Status"));
    assert_null(cf_finding_type_lookup(NULL));
    assert_int_equal(cf_finding_type_lookup("status")->kind, CF_FINDING_FAILURE);
    assert_int_equal(cf_finding_type_lookup("connection")->kind, CF_FINDING_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_table)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
