/* checks_spec: documented-status, content-type, schema and example checks,
 * each failing with its exact message on a wrong response and passing on a
 * right one; the load-time example lookup. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine/checks_spec.h"
#include "spec/examples.h"
#include "doc/json.h"
#include "base/util.h"
#include "doc/yamldoc.h"

#define DATA "tests/spec/data/"
#define RASA_OP "post-api-apps-public-app-id-incoming"

static cf_spec *rasa, *shop;

static int setup(void **state)
{
    cf_error *err = NULL;
    if (cf_spec_load(&rasa, DATA "rasa-seed.json", &err) < 0 ||
        cf_spec_load(&shop, DATA "shop.yaml", &err) < 0) {
        char *m = cf_error_format(err);
        fprintf(stderr, "cannot load fixtures: %s\n", m);
        free(m);
        cf_error_free(err);
        return -1;
    }
    (void)state;
    return 0;
}

static int teardown(void **state)
{
    cf_spec_free(rasa);
    cf_spec_free(shop);
    (void)state;
    return 0;
}

static const cf_operation *op(const cf_spec *spec, const char *ref)
{
    const cf_operation *o = NULL;
    cf_error *err = NULL;
    assert_int_equal(cf_spec_find_operation(&o, spec, ref, &err), 0);
    return o;
}

/* Runs the checks on one response (step 3). pre_parse: hand the engine's
 * parse of the body in, as run.c does, instead of letting the checks parse. */
static cf_case_result check(const cf_operation *o, int status, const char *ct, const char *body,
                            const cf_spec_check_opts *opts, int pre_parse)
{
    cf_case_result res = {0};
    cf_doc *json = NULL;
    size_t len = body ? strlen(body) : 0;
    if (pre_parse && len) {
        cf_error *e = NULL;
        if (cf_json_parse(&json, body, len, "response body", &e) < 0)
            cf_error_free(e);
    }
    int n = cf_checks_spec(&res, 3, o, status, ct, json, body, len, opts);
    assert_int_equal(n, (int)res.nfindings);
    for (size_t i = 0; i < res.nfindings; i++) {
        assert_int_equal(res.findings[i].kind, CF_FINDING_FAILURE);
        assert_int_equal(res.findings[i].step, 3);
    }
    cf_doc_free(json);
    return res;
}

static void assert_finding(const cf_case_result *res, size_t i, const char *type,
                           const char *message)
{
    if (i >= res->nfindings)
        fail_msg("no finding %zu (%zu findings)", i, res->nfindings);
    const cf_finding *f = &res->findings[i];
    if (strcmp(f->type, type) != 0 || strcmp(f->message, message) != 0)
        fail_msg("finding %zu\n  got:      %s: %s\n  expected: %s: %s", i, f->type, f->message,
                 type, message);
}

static void assert_no_findings(cf_case_result *res)
{
    if (res->nfindings)
        fail_msg("unexpected finding: %s: %s", res->findings[0].type, res->findings[0].message);
    assert_int_equal(res->outcome, CF_OUTCOME_PASS);
}

static const char *close_chat = "{\"msg\": \" Close chat request handled successfully\"}";

/* ---- documented-status ---- */

static void documented_status(void **state)
{
    const cf_operation *o = op(rasa, RASA_OP);
    cf_case_result r =
        check(o, 500, "application/json", "{\"error\": \"Error! Session Id not valid\"}", NULL, 1);
    assert_int_equal(r.nfindings, 1);
    assert_finding(&r, 0, "documented-status",
                   "status 500 is not documented for " RASA_OP " (documented: 200, 401)");
    assert_int_equal(r.outcome, CF_OUTCOME_FAIL);
    cf_case_result_clear(&r);

    r = check(o, 200, "application/json; charset=utf-8", close_chat, NULL, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);

    /* Class and default count as documented. */
    r = check(op(shop, "getOrder"), 418, "application/json",
              "{\"code\": 418, \"message\": \"tea\"}", NULL, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);
    r = check(op(shop, "getOrder"), 503, "text/html", "<p>down</p>", NULL, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);

    /* An operation without operationId is named by method and path. */
    r = check(op(shop, "HEAD /orders/{order-id}"), 404, NULL, NULL, NULL, 1);
    assert_finding(&r, 0, "documented-status",
                   "status 404 is not documented for HEAD /orders/{order-id} (documented: 200)");
    cf_case_result_clear(&r);

    cf_spec_check_opts off = {.off = {[CF_AUTO_DOCUMENTED_STATUS] = 1}};
    r = check(o, 500, "application/json", "{}", &off, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);
    (void)state;
}

/* ---- content-type ---- */

static void content_type(void **state)
{
    const cf_operation *o = op(rasa, RASA_OP);
    /* A wrong type: reported once; the schema check does not pile on. */
    cf_case_result r = check(o, 200, "text/html; charset=utf-8", "<html>hi</html>", NULL, 1);
    assert_int_equal(r.nfindings, 1);
    assert_finding(&r, 0, "content-type",
                   "Content-Type text/html; charset=utf-8 does not match a documented media type "
                   "(documented: application/json)");
    cf_case_result_clear(&r);

    /* Missing header with a body: reported, and the only media type's schema still applies. */
    r = check(o, 200, NULL, close_chat, NULL, 1);
    assert_int_equal(r.nfindings, 1);
    assert_finding(&r, 0, "content-type",
                   "Content-Type is missing; status 200 documents a body (documented: "
                   "application/json)");
    cf_case_result_clear(&r);

    /* Neither body nor header: one finding, not two. */
    r = check(o, 200, NULL, "", NULL, 1);
    assert_int_equal(r.nfindings, 1);
    assert_finding(&r, 0, "content-type",
                   "no body and no Content-Type; status 200 documents a body (documented: "
                   "application/json)");
    cf_case_result_clear(&r);

    /* A body where the response documents none. */
    const cf_operation *del = op(shop, "deleteOrder");
    r = check(del, 204, "text/plain", "gone!", NULL, 1);
    assert_finding(&r, 0, "content-type",
                   "status 204 documents no body, got 5 bytes of text/plain");
    cf_case_result_clear(&r);
    r = check(del, 204, NULL, "gone!", NULL, 1);
    assert_finding(&r, 0, "content-type", "status 204 documents no body, got 5 bytes");
    cf_case_result_clear(&r);
    r = check(del, 204, NULL, NULL, NULL, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);

    /* Ranges and the structured suffix. */
    r = check(op(shop, "createOrder"), 201, "application/json", "{\"id\": 1, \"state\": \"open\"}",
              NULL, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);
    r = check(del, 502, "application/problem+json", "{\"code\": 502, \"message\": \"x\"}", NULL, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);

    /* Off: the header is not judged, and the schema check uses the only media type. */
    cf_spec_check_opts off = {.off = {[CF_AUTO_CONTENT_TYPE] = 1}};
    r = check(o, 200, "text/plain", "{\"msg\": 5}", &off, 1);
    assert_int_equal(r.nfindings, 1);
    assert_string_equal(r.findings[0].type, "schema");
    cf_case_result_clear(&r);
    (void)state;
}

/* ---- schema ---- */

static void schema(void **state)
{
    const cf_operation *get = op(shop, "getOrder");
    cf_case_result r =
        check(get, 200, "application/json", "{\"id\": \"34\", \"state\": \"open\"}", NULL, 1);
    assert_int_equal(r.nfindings, 1);
    assert_finding(&r, 0, "schema", "/id: expected integer, got string \"34\"");
    assert_non_null(r.findings[0].detail);
    assert_string_equal(r.findings[0].detail,
                        "schema: " DATA "shop.yaml#/components/schemas/Order/properties/id/type");
    cf_case_result_clear(&r);

    /* The checks parse the body themselves when the engine did not. */
    r = check(get, 200, "application/json", "{\"id\": \"34\", \"state\": \"open\"}", NULL, 0);
    assert_finding(&r, 0, "schema", "/id: expected integer, got string \"34\"");
    cf_case_result_clear(&r);

    r = check(get, 200, "application/json", "[1, 2]", NULL, 1);
    assert_int_equal(r.nfindings, 1);
    assert_string_equal(r.findings[0].type, "schema");
    assert_true(!strncmp(r.findings[0].message, "(root): expected object, got array", 34));
    cf_case_result_clear(&r);

    r = check(get, 200, "application/json", "{\"id\": 9007199254740993, \"state\": \"paid\"}", NULL,
              1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);

    /* Not JSON where JSON is documented: a schema failure that quotes the parse error. */
    r = check(get, 200, "application/json", "{\"id\": 1,", NULL, 1);
    assert_int_equal(r.nfindings, 1);
    assert_string_equal(r.findings[0].type, "schema");
    const char *want =
        "body is not valid JSON (status 200 documents application/json): response body:1:";
    if (strncmp(r.findings[0].message, want, strlen(want)) != 0)
        fail_msg("got: %s", r.findings[0].message);
    cf_case_result_clear(&r);
    r = check(get, 200, "application/json", "", NULL, 1);
    assert_finding(&r, 0, "schema",
                   "body is not valid JSON (status 200 documents application/json): the body is "
                   "empty");
    cf_case_result_clear(&r);

    /* A text/plain response is not judged as JSON. */
    r = check(get, 200, "text/plain", "order 7", NULL, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);

    /* HEAD answers carry no body. */
    r = check(op(shop, "HEAD /orders/{order-id}"), 200, "application/json", NULL, NULL, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);

    /* A schema reached through another file. */
    r = check(get, 404, "application/json", "{\"code\": 404}", NULL, 1);
    assert_int_equal(r.nfindings, 1);
    assert_string_equal(r.findings[0].type, "schema");
    assert_string_equal(r.findings[0].detail,
                        "schema: " DATA "common/errors.yaml#/components/schemas/Problem/required");
    cf_case_result_clear(&r);

    cf_spec_check_opts off = {.off = {[CF_AUTO_SCHEMA] = 1}};
    r = check(get, 200, "application/json", "{\"id\": \"34\", \"state\": \"open\"}", &off, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);
    r = check(get, 200, "application/json", "not json", &off, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);
    (void)state;
}

static void schema_findings_are_capped(void **state)
{
    cf_spec *spec = NULL;
    cf_error *err = NULL;
    assert_int_equal(cf_spec_load(&spec, DATA "list.yaml", &err), 0);
    cf_buf b = {0};
    cf_buf_puts(&b, "[");
    for (int i = 0; i < 25; i++)
        cf_buf_printf(&b, "%s\"%d\"", i ? "," : "", i);
    cf_buf_puts(&b, "]");
    cf_case_result r = check(op(spec, "listNumbers"), 200, "application/json", b.data, NULL, 1);
    assert_int_equal(r.nfindings, CF_CHECKS_SPEC_MAX_SCHEMA_FINDINGS + 1);
    assert_finding(&r, 0, "schema", "/0: expected integer, got string \"0\"");
    assert_finding(&r, 19, "schema", "/19: expected integer, got string \"19\"");
    assert_finding(&r, 20, "schema", "... and 5 more schema violations");
    cf_case_result_clear(&r);
    cf_buf_free(&b);
    cf_spec_free(spec);
    (void)state;
}

/* ---- example ---- */

static void example(void **state)
{
    const cf_operation *o = op(rasa, RASA_OP);
    cf_spec_check_opts ex = {.example = "Close chat", .match = CF_MATCH_SUBSET};
    cf_case_result r = check(o, 200, "application/json", close_chat, &ex, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);

    /* What the real Apps.Rasa answers. */
    const char *real = "{\"result\": \"Your request was processed successfully\"}";
    r = check(o, 200, "application/json", real, &ex, 1);
    assert_int_equal(r.nfindings, 1);
    assert_finding(&r, 0, "example",
                   "body does not match the example 'Close chat' of status 200 (match: subset): "
                   "/msg: missing");
    assert_string_equal(r.findings[0].detail, "/msg: missing");
    cf_case_result_clear(&r);

    cf_spec_check_opts exact = {.example = "Close chat", .match = CF_MATCH_EXACT};
    r = check(o, 200, "application/json", real, &exact, 1);
    assert_int_equal(r.nfindings, 1);
    const char *want =
        "body does not match the example 'Close chat' of status 200 (match: exact): ";
    if (strncmp(r.findings[0].message, want, strlen(want)) != 0 ||
        !strstr(r.findings[0].message, "(and 1 more difference)"))
        fail_msg("got: %s", r.findings[0].message);
    cf_case_result_clear(&r);

    /* The leading space matters. */
    r = check(o, 200, "application/json", "{\"msg\": \"Close chat request handled successfully\"}",
              &ex, 1);
    assert_int_equal(r.nfindings, 1);
    assert_string_equal(r.findings[0].type, "example");
    cf_case_result_clear(&r);

    /* Ignored pointers are not compared. */
    const char *const ignore[] = {"/msg"};
    cf_spec_check_opts ign = {
        .example = "Close chat", .match = CF_MATCH_EXACT, .ignore = ignore, .nignore = 1};
    r = check(o, 200, "application/json", "{\"msg\": \"whatever\"}", &ign, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);

    /* The status that came has no such example. */
    r = check(o, 401, "application/json",
              "{\"status\": \"error\", \"message\": \"You must be logged in to do this.\"}", &ex,
              1);
    assert_int_equal(r.nfindings, 1);
    assert_finding(&r, 0, "example",
                   "no example 'Close chat' for status 401 (examples of 401: 'Authorization "
                   "Error'; 'Close chat' is documented for 200)");
    cf_case_result_clear(&r);
    r = check(o, 500, "application/json", "{\"error\": \"x\"}", &ex, 1);
    assert_int_equal(r.nfindings, 2);
    assert_string_equal(r.findings[0].type, "documented-status");
    assert_finding(&r, 1, "example",
                   "no example 'Close chat' for status 500, which " RASA_OP
                   " does not document (the example is documented for 200)");
    cf_case_result_clear(&r);

    /* Not JSON: said once, by the schema check; by the example check when
     * the schema check is off. */
    r = check(o, 200, "application/json", "<html>", &ex, 1);
    assert_int_equal(r.nfindings, 1);
    assert_string_equal(r.findings[0].type, "schema");
    cf_case_result_clear(&r);
    cf_spec_check_opts ex_noschema = {.off = {[CF_AUTO_SCHEMA] = 1}, .example = "Close chat"};
    r = check(o, 200, "application/json", "<html>", &ex_noschema, 1);
    assert_int_equal(r.nfindings, 1);
    want = "body is not valid JSON, so it cannot match the example 'Close chat' of status 200: "
           "response body:1:";
    if (strncmp(r.findings[0].message, want, strlen(want)) != 0)
        fail_msg("got: %s", r.findings[0].message);
    cf_case_result_clear(&r);

    /* An example with only an externalValue. */
    cf_spec_check_opts linked = {.example = "Linked"};
    r = check(op(shop, "getOrder"), 200, "application/json", "{\"id\": 1, \"state\": \"open\"}",
              &linked, 1);
    assert_finding(&r, 0, "example",
                   "example 'Linked' of status 200 has no inline value (an externalValue is not "
                   "fetched)");
    cf_case_result_clear(&r);

    /* An example referred to by $ref, with an int64 compared exactly. */
    cf_spec_check_opts paid = {.example = "Paid", .match = CF_MATCH_EXACT};
    r = check(op(shop, "getOrder"), 200, "application/json",
              "{\"id\": 9007199254740993, \"state\": \"paid\", \"total\": 20}", &paid, 1);
    assert_no_findings(&r);
    cf_case_result_clear(&r);
    r = check(op(shop, "getOrder"), 200, "application/json",
              "{\"id\": 9007199254740992, \"state\": \"paid\", \"total\": 20}", &paid, 1);
    assert_int_equal(r.nfindings, 1);
    assert_string_equal(r.findings[0].type, "example");
    cf_case_result_clear(&r);
    (void)state;
}

/* ---- load-time example lookup ---- */

static char *exists_err(const cf_operation *o, const char *status, const char *name)
{
    cf_doc *suite = NULL;
    cf_error *err = NULL;
    const char *text = "cases:\n  - expect: {example: X}\n";
    assert_int_equal(cf_yaml_load_string(&suite, text, strlen(text), "suite.yaml", &err), 0);
    const cJSON *node = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(suite->root, "cases"), 0),
                            "expect"),
        "example");
    int rc = cf_spec_example_exists(o, status, name, suite, node, &err);
    cf_doc_free(suite);
    if (rc == 0)
        return NULL;
    assert_non_null(err);
    char *m = cf_error_format(err);
    cf_error_free(err);
    return m;
}

static void example_exists_at_load(void **state)
{
    const cf_operation *o = op(rasa, RASA_OP);
    assert_null(exists_err(o, "200", "Close chat"));
    assert_null(exists_err(o, "2XX", "Perform handover"));
    assert_null(exists_err(o, "4xx", "Authorization Error"));
    assert_null(exists_err(o, NULL, "Authorization Error"));

    char *m = exists_err(o, "200", "Close chats");
    assert_string_equal(m, "suite.yaml:2:23: no example 'Close chats' for status 200 of " RASA_OP
                           " (hint: did you mean 'Close chat'?)");
    free(m);
    m = exists_err(o, "401", "Close chat");
    assert_string_equal(m, "suite.yaml:2:23: no example 'Close chat' for status 401 of " RASA_OP
                           " (hint: 'Close chat' is an example of status 200)");
    free(m);
    m = exists_err(o, "200", "Handover done");
    assert_string_equal(m, "suite.yaml:2:23: no example 'Handover done' for status 200 of " RASA_OP
                           " (hint: examples: 'Close chat', 'Perform handover')");
    free(m);
    m = exists_err(o, "500", "Close chat");
    assert_string_equal(m, "suite.yaml:2:23: status 500 is not documented for " RASA_OP
                           ", so it has no examples (hint: documented: 200, 401)");
    free(m);
    m = exists_err(op(shop, "getOrder"), "200", "Linked");
    assert_string_equal(m, "suite.yaml:2:23: example 'Linked' has no inline value (an "
                           "externalValue is not fetched) (hint: give the example a value: NAME: "
                           "{value: ...})");
    free(m);
    m = exists_err(op(shop, "deleteOrder"), "204", "Gone");
    assert_string_equal(m, "suite.yaml:2:23: no example 'Gone' for status 204 of deleteOrder "
                           "(hint: status 204 documents no named examples)");
    free(m);
    (void)state;
}

/* ---- threads: a loaded spec is read-only ---- */

static void *hammer(void *arg)
{
    const cf_operation *o = arg;
    cf_spec_check_opts ex = {.example = "Close chat", .match = CF_MATCH_EXACT};
    for (int i = 0; i < 200; i++) {
        cf_case_result r = {0};
        const char *body = (i % 2) ? close_chat : "{\"msg\": 5}";
        int n = cf_checks_spec(&r, 1, o, 200, "application/json", NULL, body, strlen(body), &ex);
        cf_case_result_clear(&r);
        if (n != ((i % 2) ? 0 : 2))
            return (void *)1;
    }
    return NULL;
}

static void concurrent_checks(void **state)
{
    pthread_t t[8];
    const cf_operation *o = op(rasa, RASA_OP);
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&t[i], NULL, hammer, (void *)o), 0);
    for (int i = 0; i < 8; i++) {
        void *rv;
        pthread_join(t[i], &rv);
        assert_null(rv);
    }
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(documented_status),
        cmocka_unit_test(content_type),
        cmocka_unit_test(schema),
        cmocka_unit_test(schema_findings_are_capped),
        cmocka_unit_test(example),
        cmocka_unit_test(example_exists_at_load),
        cmocka_unit_test(concurrent_checks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
