/* spec: loading OpenAPI 3.0 documents, $refs, broken specs, lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "spec/spec.h"

#define DATA "tests/spec/data/"

static cf_spec *load_ok(const char *path)
{
    cf_spec *spec = NULL;
    cf_error *err = NULL;
    if (cf_spec_load(&spec, path, &err) != 0) {
        char *m = cf_error_format(err);
        fail_msg("unexpected error: %s", m);
    }
    assert_non_null(spec);
    return spec;
}

/* The one-line rendering of the load error (caller frees). */
/* The error that fails the load or, for a defect inside one operation or
 * media type, the first part disabled at load (the same located error). */
static char *load_err(const char *path)
{
    cf_spec *spec = NULL;
    cf_error *err = NULL;
    if (cf_spec_load(&spec, path, &err) == 0) {
        assert_true(cf_spec_problem_count(spec) > 0);
        char *m = cf_error_format(cf_spec_problem(spec, 0));
        cf_spec_free(spec);
        return m;
    }
    assert_null(spec);
    assert_non_null(err);
    char *m = cf_error_format(err);
    cf_error_free(err);
    return m;
}

static void assert_load_err(const char *path, const char *expected)
{
    char *m = load_err(path);
    if (strcmp(m, expected) != 0)
        fail_msg("for %s\n  got:      %s\n  expected: %s", path, m, expected);
    free(m);
}

static const cf_operation *op_ok(const cf_spec *spec, const char *ref)
{
    const cf_operation *op = NULL;
    cf_error *err = NULL;
    if (cf_spec_find_operation(&op, spec, ref, &err) != 0) {
        char *m = cf_error_format(err);
        fail_msg("unexpected error: %s", m);
    }
    assert_non_null(op);
    return op;
}

static char *op_err(const cf_spec *spec, const char *ref)
{
    const cf_operation *op = NULL;
    cf_error *err = NULL;
    assert_int_equal(cf_spec_find_operation(&op, spec, ref, &err), -1);
    assert_non_null(err);
    char *m = cf_error_format(err);
    cf_error_free(err);
    return m;
}

static void good_spec_loads_and_indexes_operations(void **state)
{
    cf_spec *spec = load_ok(DATA "shop.yaml");
    assert_string_equal(cf_spec_path(spec), DATA "shop.yaml");
    assert_int_equal(cf_spec_warning_count(spec), 0);

    const cf_operation *get = op_ok(spec, "getOrder");
    assert_string_equal(cf_operation_id(get), "getOrder");
    assert_string_equal(cf_operation_method(get), "GET");
    assert_string_equal(cf_operation_path(get), "/orders/{order-id}");
    assert_string_equal(cf_operation_label(get), "getOrder");
    assert_ptr_equal(op_ok(spec, "get /orders/{order-id}"), get);
    assert_ptr_equal(op_ok(spec, "GET  /orders/{order-id}"), get);

    const cf_operation *head = op_ok(spec, "HEAD /orders/{order-id}");
    assert_null(cf_operation_id(head));
    assert_string_equal(cf_operation_label(head), "HEAD /orders/{order-id}");
    assert_string_equal(cf_operation_method(op_ok(spec, "createOrder")), "POST");
    cf_spec_free(spec);
    (void)state;
}

static void path_level_parameters_merge_with_operation_ones(void **state)
{
    cf_spec *spec = load_ok(DATA "shop.yaml");
    /* getOrder: its own x-trace (required) replaces the path's X-Trace
     * (optional); Authorization is ignored as OpenAPI 3.0 says; X-Tenant
     * comes from the path item. */
    const cf_operation *get = op_ok(spec, "getOrder");
    assert_int_equal(cf_operation_required_header_count(get), 2);
    assert_string_equal(cf_operation_required_header(get, 0), "x-trace");
    assert_string_equal(cf_operation_required_header(get, 1), "X-Tenant");
    assert_null(cf_operation_required_header(get, 2));
    const cf_operation *del = op_ok(spec, "deleteOrder");
    assert_int_equal(cf_operation_required_header_count(del), 1);
    assert_string_equal(cf_operation_required_header(del, 0), "X-Tenant");
    cf_spec_free(spec);
    (void)state;
}

static void response_lookup_exact_then_class_then_default(void **state)
{
    cf_spec *spec = load_ok(DATA "shop.yaml");
    const cf_operation *get = op_ok(spec, "getOrder");
    const char *key = NULL;
    assert_non_null(cf_operation_response(get, 200, &key));
    assert_string_equal(key, "200");
    assert_non_null(cf_operation_response(get, 404, &key));
    assert_string_equal(key, "404");
    assert_non_null(cf_operation_response(get, 401, &key));
    assert_string_equal(key, "4XX");
    assert_non_null(cf_operation_response(get, 500, &key));
    assert_string_equal(key, "default");
    assert_non_null(cf_operation_response(get, 201, &key));
    assert_string_equal(key, "default");
    assert_string_equal(cf_operation_status_list(get), "200, 404, 4XX, default");

    const cf_operation *del = op_ok(spec, "deleteOrder");
    /* "5xx" in the document: a class, any case; shown as 5XX. */
    assert_non_null(cf_operation_response(del, 503, &key));
    assert_string_equal(key, "5XX");
    assert_null(cf_operation_response(del, 404, &key));
    assert_null(key);
    assert_null(cf_operation_response(del, 200, NULL));
    assert_string_equal(cf_operation_status_list(del), "204, 5XX");
    const cf_response *r204 = cf_operation_response(del, 204, NULL);
    assert_int_equal(cf_response_media_count(r204), 0);
    assert_string_equal(cf_response_media_list(r204), "");
    assert_int_equal(cf_operation_response_count(del), 2);
    assert_string_equal(cf_response_key(cf_operation_response_at(del, 1)), "5XX");
    assert_null(cf_operation_response_at(del, 2));
    cf_spec_free(spec);
    (void)state;
}

static void media_lookup_ignores_parameters_and_case_and_prefers_specific(void **state)
{
    cf_spec *spec = load_ok(DATA "shop.yaml");
    const cf_response *r = cf_operation_response(op_ok(spec, "getOrder"), 200, NULL);
    assert_int_equal(cf_response_media_count(r), 2);
    assert_string_equal(cf_response_media_list(r), "application/json, text/plain");
    const cf_media *m = cf_response_media_for(r, "application/json; charset=utf-8");
    assert_non_null(m);
    assert_string_equal(cf_media_type(m), "application/json");
    assert_true(cf_media_is_json(m));
    assert_ptr_equal(cf_response_media_for(r, " Application/JSON;charset=UTF-8"), m);
    m = cf_response_media_for(r, "TEXT/PLAIN");
    assert_non_null(m);
    assert_string_equal(cf_media_type(m), "text/plain");
    assert_false(cf_media_is_json(m));
    assert_null(cf_response_media_for(r, "text/html"));
    assert_null(cf_response_media_for(r, "application/jsonx"));
    assert_null(cf_response_media_for(r, NULL));
    assert_null(cf_response_media_for(r, ""));

    /* Ranges: "application/ *" catches JSON; the exact vendor type wins over it. */
    const cf_response *c = cf_operation_response(op_ok(spec, "createOrder"), 201, NULL);
    m = cf_response_media_for(c, "application/json");
    assert_non_null(m);
    assert_string_equal(cf_media_type(m), "application/*");
    m = cf_response_media_for(c, "application/vnd.shop+json; version=3");
    assert_non_null(m);
    assert_string_equal(cf_media_type(m), "application/vnd.shop+json; version=2");
    assert_true(cf_media_is_json(m));
    assert_null(cf_response_media_for(c, "text/plain"));

    const cf_response *d = cf_operation_response(op_ok(spec, "getOrder"), 500, NULL);
    m = cf_response_media_for(d, "image/png");
    assert_non_null(m);
    assert_string_equal(cf_media_type(m), "*/*");
    assert_null(cf_media_schema(m));

    assert_true(cf_media_type_is_json("application/problem+json; charset=utf-8"));
    assert_true(cf_media_type_is_json("APPLICATION/JSON"));
    assert_false(cf_media_type_is_json("text/json-seq"));
    assert_false(cf_media_type_is_json("+json"));
    assert_false(cf_media_type_is_json(NULL));
    cf_spec_free(spec);
    (void)state;
}

static void schemas_compile_once_per_node(void **state)
{
    cf_spec *spec = load_ok(DATA "shop.yaml");
    const cf_media *get200 =
        cf_response_media_at(cf_operation_response(op_ok(spec, "getOrder"), 200, NULL), 0);
    const cf_media *head200 = cf_response_media_at(
        cf_operation_response(op_ok(spec, "HEAD /orders/{order-id}"), 200, NULL), 0);
    assert_non_null(cf_media_schema(get200));
    /* Both name #/components/schemas/Order: one compiled schema. */
    assert_ptr_equal(cf_media_schema(get200), cf_media_schema(head200));
    /* Problem, reached from shop.yaml and from common/errors.yaml itself. */
    const cf_media *nf =
        cf_response_media_at(cf_operation_response(op_ok(spec, "getOrder"), 404, NULL), 0);
    const cf_media *ce =
        cf_response_media_at(cf_operation_response(op_ok(spec, "getOrder"), 400, NULL), 0);
    const cf_media *se =
        cf_response_media_at(cf_operation_response(op_ok(spec, "deleteOrder"), 500, NULL), 0);
    assert_non_null(cf_media_schema(nf));
    assert_ptr_equal(cf_media_schema(nf), cf_media_schema(ce));
    assert_ptr_equal(cf_media_schema(nf), cf_media_schema(se));
    assert_ptr_not_equal(cf_media_schema(nf), cf_media_schema(get200));
    cf_spec_free(spec);
    (void)state;
}

static void examples_by_name_through_refs_and_files(void **state)
{
    cf_spec *spec = load_ok(DATA "shop.yaml");
    const cf_response *r = cf_operation_response(op_ok(spec, "getOrder"), 200, NULL);
    const cf_media *json = cf_response_media_for(r, "application/json");
    assert_int_equal(cf_media_example_count(json), 3);
    assert_string_equal(cf_media_example_name(json, 0), "Paid");
    assert_string_equal(cf_media_example_name(json, 1), "Open");
    assert_string_equal(cf_media_example_name(json, 2), "Linked");
    assert_null(cf_media_example_name(json, 3));

    const cf_doc *doc = NULL;
    const cJSON *paid = cf_media_example(json, "Paid", &doc);
    assert_non_null(paid);
    assert_string_equal(doc->name, DATA "shop.yaml");
    /* The int64 id keeps its literal text. */
    assert_string_equal(cf_doc_number_text(doc, cJSON_GetObjectItem(paid, "id")),
                        "9007199254740993");
    const cJSON *open = cf_media_example(json, "Open", &doc);
    assert_string_equal(cJSON_GetObjectItem(open, "state")->valuestring, "open");
    /* externalValue only: listed, but no value. */
    assert_null(cf_media_example(json, "Linked", &doc));
    assert_null(doc);
    assert_null(cf_media_example(json, "paid", NULL));
    /* Several named examples: no "the" example. */
    assert_null(cf_media_example(json, NULL, NULL));

    const cf_media *text = cf_response_media_for(r, "text/plain");
    assert_int_equal(cf_media_example_count(text), 0);
    const cJSON *single = cf_media_example(text, NULL, &doc);
    assert_non_null(single);
    assert_string_equal(single->valuestring, "order 7");

    /* From the 4XX response, which lives in common/errors.yaml. */
    const cf_media *ce =
        cf_response_media_at(cf_operation_response(op_ok(spec, "getOrder"), 409, NULL), 0);
    const cJSON *bad = cf_media_example(ce, "Bad", &doc);
    assert_non_null(bad);
    assert_string_equal(doc->name, DATA "common/errors.yaml");
    /* The only named example is "the" example. */
    assert_ptr_equal(cf_media_example(ce, NULL, NULL), bad);
    cf_spec_free(spec);
    (void)state;
}

static void vendor_string_required_is_a_warning(void **state)
{
    cf_spec *spec = load_ok(DATA "rasa-seed.json");
    assert_int_equal(cf_spec_warning_count(spec), 3);
    /* In document order: the path item's app-id, then the components. */
    assert_string_equal(cf_spec_warning(spec, 0),
                        DATA "rasa-seed.json:21:23: warning: parameter 'app-id' (in: path) "
                             "has required: \"true\", a string; read as true (write required: "
                             "true, without quotes)");
    assert_string_equal(cf_spec_warning(spec, 1),
                        DATA "rasa-seed.json:149:21: warning: parameter 'X-Auth-Token' (in: "
                             "header) has required: \"true\", a string; read as true (write "
                             "required: true, without quotes)");
    assert_string_equal(cf_spec_warning(spec, 2),
                        DATA "rasa-seed.json:159:21: warning: parameter 'X-User-Id' (in: "
                             "header) has required: \"true\", a string; read as true (write "
                             "required: true, without quotes)");
    assert_null(cf_spec_warning(spec, 3));
    const cf_operation *op = op_ok(spec, "post-api-apps-public-app-id-incoming");
    assert_ptr_equal(op_ok(spec, "POST /api/apps/public/{app-id}/incoming"), op);
    assert_int_equal(cf_operation_required_header_count(op), 2);
    assert_string_equal(cf_operation_required_header(op, 0), "X-Auth-Token");
    assert_string_equal(cf_operation_required_header(op, 1), "X-User-Id");
    assert_string_equal(cf_operation_status_list(op), "200, 401");
    const cf_media *m = cf_response_media_at(cf_operation_response(op, 401, NULL), 0);
    const cJSON *ex = cf_media_example(m, "Authorization Error", NULL);
    assert_non_null(ex);
    assert_string_equal(cJSON_GetObjectItem(ex, "message")->valuestring,
                        "You must be logged in to do this.");
    const cf_media *ok = cf_response_media_at(cf_operation_response(op, 200, NULL), 0);
    assert_string_equal(
        cJSON_GetObjectItem(cf_media_example(ok, "Close chat", NULL), "msg")->valuestring,
        " Close chat request handled successfully");
    cf_spec_free(spec);
    (void)state;
}

static void unknown_operation_says_what_there_is(void **state)
{
    cf_spec *spec = load_ok(DATA "shop.yaml");
    char *m = op_err(spec, "getOrders");
    assert_string_equal(m, "no operation 'getOrders' in " DATA "shop.yaml (hint: did you mean "
                           "'getOrder'?)");
    free(m);
    m = op_err(spec, "PUT /orders");
    assert_string_equal(m, "no operation 'PUT /orders' in " DATA "shop.yaml (hint: the path "
                           "has: POST)");
    free(m);
    m = op_err(spec, "listEverything");
    assert_string_equal(m, "no operation 'listEverything' in " DATA "shop.yaml (hint: "
                           "operations: 'getOrder', 'deleteOrder', 'HEAD /orders/{order-id}', "
                           "'createOrder')");
    free(m);
    cf_spec_free(spec);
    (void)state;
}

static void broken_refs_are_located_errors(void **state)
{
    assert_load_err(DATA "bad-dangling.yaml",
                    DATA "bad-dangling.yaml:9:17: $ref '#/components/responses/authorisationError' "
                         "does not resolve: /components/responses has no member "
                         "'authorisationError' (hint: did you mean "
                         "'#/components/responses/authorizationError'?)");
    assert_load_err(DATA "bad-cycle.yaml",
                    DATA "bad-cycle.yaml:9:17: $ref cycle: '#/components/responses/A' -> "
                         "'#/components/responses/B' -> '#/components/responses/A' (hint: a $ref "
                         "chain must end at a response, not come back to itself)");
    assert_load_err(DATA "bad-remote.yaml",
                    DATA "bad-remote.yaml:9:17: remote $ref "
                         "'https://example.com/errors.yaml#/components/responses/E' is not "
                         "supported (hint: conform reads only local files: save the document "
                         "next to the spec and refer to it by a relative path)");
    assert_load_err(DATA "bad-missing-file.yaml",
                    DATA "bad-missing-file.yaml:9:17: $ref "
                         "'common/nowhere.yaml#/components/responses/E' does not resolve: " DATA
                         "common/nowhere.yaml: cannot read file: No such file or directory "
                         "(hint: paths in $ref are relative to the file that holds the $ref)");
    /* Inside a schema, in another file: the resolver reports it at the $ref. */
    assert_load_err(DATA "bad-schema-ref.yaml",
                    DATA "bad-schema-ref.yaml:15:33: $ref "
                         "'common/errors.yaml#/components/schemas/Problm' does not resolve: "
                         "/components/schemas of " DATA "common/errors.yaml has no member "
                         "'Problm' (hint: did you mean "
                         "'common/errors.yaml#/components/schemas/Problem'?)");
    (void)state;
}

static void broken_documents_are_located_errors(void **state)
{
    assert_load_err(DATA "bad-status.yaml",
                    DATA "bad-status.yaml:9:9: response key 'ok' is not a status code (hint: a "
                         "response key is a status code such as \"200\", a class such as "
                         "\"4XX\", or \"default\")");
    assert_load_err(DATA "bad-version.yaml",
                    DATA "bad-version.yaml:1:10: conform reads OpenAPI 3.0.x; this document "
                         "declares openapi: 3.1.0 (hint: OpenAPI 3.1 changes nullable, "
                         "exclusiveMinimum/Maximum and examples: convert the document to 3.0.3)");
    assert_load_err(DATA "bad-version-number.yaml",
                    DATA "bad-version-number.yaml:1:10: 'openapi' must be a version string such "
                         "as \"3.0.3\", got the number 3.0 (hint: quote the version: openapi: "
                         "\"3.0.3\")");
    assert_load_err(DATA "bad-swagger.yaml",
                    DATA "bad-swagger.yaml:1:10: this is a Swagger 2.0 document; conform reads "
                         "OpenAPI 3.0.x (hint: convert it to OpenAPI 3.0 first, e.g. with "
                         "swagger2openapi)");
    assert_load_err(DATA "bad-required.yaml",
                    DATA "bad-required.yaml:8:49: 'required' of parameter 'X-Token' must be a "
                         "boolean, got a string (hint: write required: true or required: false)");
    assert_load_err(DATA "bad-duplicate-id.yaml",
                    DATA "bad-duplicate-id.yaml:11:20: operationId 'getX' is also used by GET "
                         "/x (hint: operationIds are unique within a document)");
    assert_load_err(DATA "bad-schema-shape.yaml",
                    DATA "bad-schema-shape.yaml:12:23: a schema must be a mapping, got a number "
                         "(hint: a Schema Object is a mapping such as {type: string})");
    assert_load_err(DATA "no-such-spec.yaml",
                    DATA "no-such-spec.yaml: cannot read file: No such file or directory (hint: "
                         "check the path)");
    (void)state;
}

static void uncompilable_schema_is_located_at_the_keyword(void **state)
{
    /* The wording is schema.c's; the location must be the `type: 5` value. */
    char *m = load_err(DATA "bad-schema.yaml");
    const char *prefix = DATA "bad-schema.yaml:15:30: ";
    if (strncmp(m, prefix, strlen(prefix)) != 0 || !strstr(m, "type"))
        fail_msg("got: %s", m);
    free(m);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_spec_loads_and_indexes_operations),
        cmocka_unit_test(path_level_parameters_merge_with_operation_ones),
        cmocka_unit_test(response_lookup_exact_then_class_then_default),
        cmocka_unit_test(media_lookup_ignores_parameters_and_case_and_prefers_specific),
        cmocka_unit_test(schemas_compile_once_per_node),
        cmocka_unit_test(examples_by_name_through_refs_and_files),
        cmocka_unit_test(vendor_string_required_is_a_warning),
        cmocka_unit_test(unknown_operation_says_what_there_is),
        cmocka_unit_test(broken_refs_are_located_errors),
        cmocka_unit_test(broken_documents_are_located_errors),
        cmocka_unit_test(uncompilable_schema_is_located_at_the_keyword),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
