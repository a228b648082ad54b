/* template: {{name}} references, expansion, undefined names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "suite/template.h"

static const char *lookup(void *ctx, const char *name)
{
    (void)ctx;
    if (!strcmp(name, "room_id"))
        return "R1";
    if (!strcmp(name, "case_id"))
        return "close-ok#2";
    return NULL;
}

static void expands_references_and_keeps_other_braces(void **state)
{
    char *s =
        cf_template_expand("{{room_id}}/{{ case_id }}/{x}/{{}}/{{ bad name}}", lookup, NULL, NULL);
    assert_string_equal(s, "R1/close-ok#2/{x}/{{}}/{{ bad name}}");
    free(s);
    (void)state;
}

static void undefined_names_are_reported(void **state)
{
    char *missing = NULL;
    assert_null(cf_template_expand("a {{nope}} b", lookup, NULL, &missing));
    assert_string_equal(missing, "nope");
    free(missing);
    (void)state;
}

static void json_strings_expand_keys_do_not(void **state)
{
    cJSON *in = cJSON_Parse("{\"{{room_id}}\":\"{{room_id}}\",\"n\":[1,\"x{{case_id}}\"]}");
    cJSON *out = cf_template_expand_json(in, lookup, NULL, NULL);
    char *s = cJSON_PrintUnformatted(out);
    assert_string_equal(s, "{\"{{room_id}}\":\"R1\",\"n\":[1,\"xclose-ok#2\"]}");
    free(s);
    cJSON_Delete(in);
    cJSON_Delete(out);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(expands_references_and_keeps_other_braces),
        cmocka_unit_test(undefined_names_are_reported),
        cmocka_unit_test(json_strings_expand_keys_do_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
