/*
 * test_secrets.c - secret masking (runner/base/secrets.h): every encoding
 * conform produces or a server may echo, and partial secrets at cuts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/secrets.h"
#include "base/util.h"

#define SECRET "tok+/en S3cr3t=="

static int setup(void **state)
{
    (void)state;
    cf_secrets_reset();
    return cf_secrets_add(SECRET);
}

static int teardown(void **state)
{
    (void)state;
    cf_secrets_reset();
    return 0;
}

/* redact(in) must equal want. */
static void redacts(const char *in, const char *want)
{
    char *got = cf_secrets_redact(in);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void plain_value(void **state)
{
    (void)state;
    redacts("x=" SECRET ";", "x=***;");
    redacts("no secret here", "no secret here");
    redacts("tok+/en S3cr3", "tok+/en S3cr3"); /* a prefix in the middle of text is not one */
}

/* curl_easy_escape's form (uppercase), lowercase hex, and form encoding. */
static void url_encoded(void **state)
{
    (void)state;
    redacts("?t=tok%2B%2Fen%20S3cr3t%3D%3D&x=1", "?t=***&x=1");
    redacts("?t=tok%2b%2fen+S3cr3t%3d%3d", "?t=***");
    redacts("/p/tok%2B/en%20S3cr3t==/q", "/p/***/q"); /* partly encoded */
}

/* cJSON's escapes of a request body and any a server may choose. */
static void json_escaped(void **state)
{
    (void)state;
    redacts("{\"t\":\"tok+\\/en S3cr3t==\"}", "{\"t\":\"***\"}");
    redacts("\"\\u0074\\u006F\\u006b+/en\\u0020S3cr3t\\u003d=\"", "\"***\"");
    cf_secrets_add("quo\"te\\back\nnl");
    redacts("{\"v\":\"quo\\\"te\\\\back\\nnl\"}", "{\"v\":\"***\"}");
    cf_secrets_add("caf\xc3\xa9-\xf0\x9f\x98\x80-key");
    redacts("\"caf\\u00e9-\\ud83d\\ude00-key\"", "\"***\"");
    redacts("\"caf\\u00E9-\\uD83D\\uDE00-key\"", "\"***\"");
}

/* Basic auth: base64("user:" SECRET) and base64(SECRET ":pw") at every
 * alignment; URL-alphabet base64 too. */
static void base64_any_alignment(void **state)
{
    (void)state;
    /* base64 of "u:" SECRET, "us:" SECRET, "use:" SECRET (python3 -c ...) */
    const char *const basic[] = {
        "Authorization: Basic dTp0b2srL2VuIFMzY3IzdD09",
        "Authorization: Basic dXM6dG9rKy9lbiBTM2NyM3Q9PQ==",
        "Authorization: Basic dXNlOnRvaysvZW4gUzNjcjN0PT0=",
    };
    for (size_t i = 0; i < 3; i++) {
        char *got = cf_secrets_redact(basic[i]);
        assert_non_null(strstr(got, "***"));
        /* What stays visible is at most the characters that mix in the
         * user name or padding: the middle of the encoding is gone. */
        const char *b64 = strstr(basic[i], "Basic ") + 6;
        size_t n = strlen(b64);
        char mid[9];
        memcpy(mid, b64 + n / 2 - 4, 8);
        mid[8] = '\0';
        assert_null(strstr(got, mid));
        assert_true(strlen(got) < strlen(basic[i]) - 10);
        free(got);
    }
    /* URL alphabet: base64url("x" SECRET) */
    char *got = cf_secrets_redact("id=eHRvaysvZW4gUzNjcjN0PT0");
    assert_non_null(strstr(got, "***"));
    free(got);
    /* In a JSON echo with \/ escapes: base64("u:" + SECRET) has no '/', so
     * use a secret whose encoding does. */
    cf_secrets_add("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8");
    redacts("\"//79/Pv6+fg=\"", "\"***g=\"");
    redacts("\"\\/\\/79\\/Pv6+fg=\"", "\"***g=\"");
}

static void short_secrets_only_exact(void **state)
{
    (void)state;
    cf_secrets_add("abc12");
    redacts("x abc12 y", "x *** y");
    redacts("YWJjMTI=", "YWJjMTI="); /* no base64 cores below 6 bytes */
}

/* A window cut out of a longer text: partial secrets at the edges. */
static void partial_at_cuts(void **state)
{
    (void)state;
    const char *text = "qqqqqqqq tok+/en S3cr3t== rrrr";
    char *end = cf_secrets_redact_cut(text, 16, 0, 1); /* "qqqqqqqq tok+/en" */
    assert_string_equal(end, "qqqqqqqq ***");
    free(end);
    char *start =
        cf_secrets_redact_cut(text + 13, strlen(text) - 13, 1, 0); /* "/en S3cr3t== rrrr" */
    assert_string_equal(start, "*** rrrr");
    free(start);
    /* URL-encoded and cut inside an escape. */
    const char *url = "?t=tok%2B%2Fen%2";
    char *u = cf_secrets_redact_cut(url, strlen(url), 0, 1);
    assert_string_equal(u, "?t=***");
    free(u);
    /* Fewer than 3 bytes of a secret at a cut are left alone. */
    char *two = cf_secrets_redact_cut("abc to", 6, 0, 1);
    assert_string_equal(two, "abc to");
    free(two);
    /* Not a cut: a prefix stays (it is text, not a secret). */
    redacts("qqqqqqqq tok+/en", "qqqqqqqq tok+/en");
    /* A whole secret inside a cut piece. */
    char *whole = cf_secrets_redact_cut("a " SECRET " b", strlen("a " SECRET " b"), 1, 1);
    assert_string_equal(whole, "a *** b");
    free(whole);
}

static void literal_percent_and_backslash_in_secrets(void **state)
{
    (void)state;
    cf_secrets_add("50%off\\now");
    redacts("code 50%off\\now!", "code ***!");
    redacts("code=50%25off%5Cnow", "code=***");
    redacts("\"50%off\\\\now\"", "\"***\"");
}

static void contains_and_nul_bytes(void **state)
{
    (void)state;
    assert_true(cf_secrets_contains("Bearer tok%2B%2Fen%20S3cr3t%3D%3D"));
    assert_false(cf_secrets_contains("Bearer other"));
    const char body[] = "a\0" SECRET "\0b";
    char *got = cf_secrets_redact_n(body, sizeof body - 1);
    assert_memory_equal(got, "a\0***\0b", 8);
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(plain_value, setup, teardown),
        cmocka_unit_test_setup_teardown(url_encoded, setup, teardown),
        cmocka_unit_test_setup_teardown(json_escaped, setup, teardown),
        cmocka_unit_test_setup_teardown(base64_any_alignment, setup, teardown),
        cmocka_unit_test_setup_teardown(short_secrets_only_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(partial_at_cuts, setup, teardown),
        cmocka_unit_test_setup_teardown(literal_percent_and_backslash_in_secrets, setup, teardown),
        cmocka_unit_test_setup_teardown(contains_and_nul_bytes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
