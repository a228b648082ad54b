/*
 * test_guard.c - engine/guard.h: which hosts get credentials, which values
 * may reach a request line or header, and what the refusal names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/secrets.h"
#include "base/util.h"
#include "engine/guard.h"

static void hosts(void **state)
{
    (void)state;
    char *allow[] = {"*.CustHelp.com", "chat.example.net:8443"};
    cf_target t = {.name = "t", .base_url = "https://Site.Example.com:8443/base"};
    char *host = NULL;
    assert_true(cf_guard_host_trusted(&t, "https://site.example.com/x", &host));
    assert_null(host); /* the host is given for the message of an untrusted one */
    assert_false(cf_guard_host_trusted(&t, "https://Evil.example.com/x", &host));
    assert_string_equal(host, "evil.example.com");
    free(host);
    /* The base URL and a path: trusted without parsing; a lookalike that
     * only starts with the base URL is parsed. */
    assert_true(cf_guard_host_trusted(&t, "https://Site.Example.com:8443/base/x?y=1", NULL));
    assert_true(cf_guard_host_trusted(&t, "https://Site.Example.com:8443/base", NULL));
    /* A '@' after the base URL's path is in the path, not a user name. */
    assert_true(cf_guard_host_trusted(&t, "https://Site.Example.com:8443/base@evil.net/", NULL));
    assert_true(cf_guard_host_trusted(&t, "http://SITE.example.com:9/x", NULL));
    assert_false(cf_guard_host_trusted(&t, "https://evil.example.com/x", NULL));
    assert_false(cf_guard_host_trusted(&t, "https://site.example.com.evil.net/x", NULL));
    assert_false(cf_guard_host_trusted(&t, "https://a.custhelp.com/x", NULL));
    assert_false(cf_guard_host_trusted(&t, "not a url", NULL));
    t.allow_hosts = allow;
    t.nallow_hosts = 2;
    assert_true(cf_guard_host_trusted(&t, "https://a.custhelp.com/x", NULL));
    assert_false(cf_guard_host_trusted(&t, "https://custhelp.com.evil.net/x", NULL));
    assert_true(cf_guard_host_trusted(&t, "https://chat.example.net:8443/x", NULL));
    assert_false(cf_guard_host_trusted(&t, "https://chat.example.net/x", NULL)); /* port 443 */
    cf_target v6 = {.name = "v6", .base_url = "http://[::1]:8080"};
    assert_true(cf_guard_host_trusted(&v6, "http://[::1]:9/x", NULL));
    assert_false(cf_guard_host_trusted(&v6, "http://127.0.0.1:8080/x", NULL));
    assert_false(cf_guard_host_trusted(&v6, "http://[::1]:8080@evil.net/x", NULL));
    assert_false(cf_guard_host_trusted(&v6, "http://[::1]:8080.evil.net/x", NULL));
    cf_target none = {.name = "none", .base_url = ""};
    assert_false(cf_guard_host_trusted(&none, "/x", NULL));
}

static void strips_credentials(void **state)
{
    (void)state;
    cf_secrets_reset();
    cf_secrets_add("s3cret-value");
    cf_target t = {.name = "t"};
    cf_kvlist_set(&t.headers, "X-Deploy-Key", "k");
    cf_kvlist h = {0};
    cf_kvlist_set(&h, "x-deploy-key", "k");
    cf_kvlist_set(&h, "Accept", "application/json");
    cf_kvlist_set(&h, "authorization", "Bearer jwt");
    cf_kvlist_set(&h, "X-Other", "prefix-s3cret-value");
    cf_kvlist_set(&h, "X-Plain", "plain");
    char *names = cf_guard_strip_credentials(&h, &t);
    assert_string_equal(names, "x-deploy-key, authorization, X-Other");
    assert_int_equal(h.count, 2);
    assert_string_equal(h.items[0].name, "Accept");
    assert_string_equal(h.items[1].name, "X-Plain");
    free(names);
    cf_kvlist_clear(&h);
    cf_kvlist_clear(&t.headers);
    cf_secrets_reset();
}

static const char *lookup(void *ctx, const char *name)
{
    (void)ctx;
    return !strcmp(name, "tok") ? "abc\r\nX-Injected: pwned" : !strcmp(name, "ok") ? "fine" : NULL;
}

static const char *origin(void *ctx, const char *name)
{
    (void)ctx;
    return !strcmp(name, "tok") ? "captured by step 'login' from /token" : NULL;
}

static void injection_names_the_variable(void **state)
{
    (void)state;
    cJSON *tmpl = cJSON_Parse("{\"X-Token\": \"{{ok}} {{tok}}\"}");
    cf_kvlist h = {0};
    cf_kvlist_set(&h, "X-Token", "fine abc\r\nX-Injected: pwned");
    cf_target t = {.name = "t"};
    cf_guard_request r = {"GET", "http://h/x", NULL, &h, tmpl, &t};
    cf_guard_vars v = {lookup, origin, NULL};
    char *why = NULL;
    assert_int_equal(cf_guard_injection(&why, &r, &v), -1);
    assert_non_null(strstr(why, "header X-Token holds a carriage return"));
    assert_non_null(strstr(why, "{{tok}} (captured by step 'login' from /token)"));
    free(why);
    /* From the config's target headers: no template. */
    cf_guard_request r2 = {"GET", "http://h/x", NULL, &h, NULL, &t};
    assert_int_equal(cf_guard_injection(&why, &r2, &v), -1);
    assert_non_null(strstr(why, "the headers of target 't' in the config"));
    free(why);
    /* The URL, through a templated base_url. */
    cf_guard_request r3 = {"GET", "http://h\n/x", "http://{{tok}}", NULL, NULL, &t};
    assert_int_equal(cf_guard_injection(&why, &r3, &v), -1);
    assert_non_null(strstr(why, "the URL holds a line feed"));
    free(why);
    /* Clean requests pass; percent-encoded CR LF is data. */
    cf_kvlist_clear(&h);
    cf_kvlist_set(&h, "X-Token", "fine");
    cf_guard_request ok = {"GET", "http://h/x?v=a%0D%0Ab", NULL, &h, tmpl, &t};
    assert_int_equal(cf_guard_injection(&why, &ok, &v), 0);
    assert_null(why);
    cf_kvlist_clear(&h);
    cJSON_Delete(tmpl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hosts),
        cmocka_unit_test(strips_credentials),
        cmocka_unit_test(injection_names_the_variable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
