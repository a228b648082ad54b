/* http: the proxy a request goes through (explicit, environment, no_proxy);
 * percent-encoding of path and query values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine/http.h"

static void clear_env(void)
{
    static const char *const names[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                        "all_proxy",  "ALL_PROXY",  "no_proxy",    "NO_PROXY"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        unsetenv(names[i]);
}

/* The proxy for url, or "-" for none. */
static char *via(const char *url, const cf_transport *tr)
{
    char *p = cf_http_proxy_for(url, tr);
    return p ? p : strdup("-");
}

#define ASSERT_VIA(want, url, tr)                                                                  \
    do {                                                                                           \
        char *got_ = via(url, tr);                                                                 \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void environment_by_scheme(void **state)
{
    clear_env();
    ASSERT_VIA("-", "http://a.example.com/x", NULL);
    setenv("HTTP_PROXY", "http://upper:1", 1); /* never used: CGI sets it from a header */
    ASSERT_VIA("-", "http://a.example.com/x", NULL);
    setenv("http_proxy", "http://p:1", 1);
    setenv("HTTPS_PROXY", "http://s:2", 1);
    ASSERT_VIA("http://p:1", "http://a.example.com/x", NULL);
    ASSERT_VIA("http://s:2", "https://a.example.com/x", NULL);
    setenv("https_proxy", "http://s-lower:2", 1);
    ASSERT_VIA("http://s-lower:2", "https://a.example.com/x", NULL);
    clear_env();
    setenv("ALL_PROXY", "http://all:3", 1);
    ASSERT_VIA("http://all:3", "https://a.example.com/x", NULL);
    clear_env();
    (void)state;
}

static void no_proxy_rules(void **state)
{
    clear_env();
    setenv("http_proxy", "http://p:1", 1);
    setenv("no_proxy", "localhost, .internal,example.org,10.0.0.0/8,[::1]", 1);
    ASSERT_VIA("-", "http://localhost:8080/x", NULL);
    ASSERT_VIA("-", "http://svc.internal/x", NULL);
    ASSERT_VIA("-", "http://internal/x", NULL);
    ASSERT_VIA("-", "http://API.Example.ORG/x", NULL);
    ASSERT_VIA("http://p:1", "http://notexample.org/x", NULL);
    ASSERT_VIA("-", "http://10.20.30.40:9/x", NULL);
    ASSERT_VIA("http://p:1", "http://11.0.0.1/x", NULL);
    ASSERT_VIA("-", "http://[::1]:8080/x", NULL);
    setenv("NO_PROXY", "*", 1);
    unsetenv("no_proxy");
    ASSERT_VIA("-", "http://anything/x", NULL);
    clear_env();
    (void)state;
}

static void explicit_settings_win(void **state)
{
    clear_env();
    setenv("http_proxy", "http://env:1", 1);
    setenv("no_proxy", "a.example.com", 1);
    cf_transport tr = {.proxy = "http://cli:9"};
    ASSERT_VIA("http://cli:9", "http://b.example.com/", &tr);
    ASSERT_VIA("-", "http://a.example.com/", &tr); /* the environment's no_proxy still applies */
    tr.noproxy = "";
    ASSERT_VIA("http://cli:9", "http://a.example.com/", &tr);
    tr.proxy = ""; /* --proxy '': none at all */
    ASSERT_VIA("-", "http://b.example.com/", &tr);
    cf_transport only_noproxy = {.noproxy = "b.example.com"};
    ASSERT_VIA("-", "http://b.example.com/", &only_noproxy);
    ASSERT_VIA("http://env:1", "http://c.example.com/", &only_noproxy);
    clear_env();
    (void)state;
}

/* cf_http_escape_to encodes as libcurl does, whether or not the value
 * needs encoding at all. */
static void escapes_like_libcurl(void **state)
{
    static const char *const values[] = {"646b8e7d-f1e1-419e-9478-10d0f5bc74d9",
                                         "A.z_0~9-",
                                         "a b",
                                         "x/y?z#w",
                                         "caf\xc3\xa9",
                                         "100%",
                                         "{{name}}",
                                         ""};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        cf_buf b = {0};
        cf_buf_puts(&b, "<");
        cf_http_escape_to(&b, values[i]);
        char *e = cf_http_escape(values[i]);
        char *want = cf_asprintf("<%s", e);
        assert_string_equal(b.data, want);
        free(want);
        free(e);
        cf_buf_free(&b);
    }
    cf_buf b = {0};
    cf_http_escape_to(&b, NULL);
    assert_int_equal(b.len, 0);
    cf_buf_free(&b);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(environment_by_scheme),
        cmocka_unit_test(no_proxy_rules),
        cmocka_unit_test(explicit_settings_win),
        cmocka_unit_test(escapes_like_libcurl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
