/* config: ${ENV} expansion, secrets registration, target shape errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "suite/config.h"
#include "base/secrets.h"

static char *write_tmp(const char *text)
{
    char *path = strdup("/tmp/conform-config-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static char *load_error(const char *text)
{
    char *path = write_tmp(text);
    cf_config *cfg = NULL;
    cf_error *err = NULL;
    assert_int_equal(cf_config_load(&cfg, path, 1, &err), -1);
    assert_null(cfg);
    char *m = cf_error_format(err);
    cf_error_free(err);
    /* Drop the temp path prefix so messages compare stably. */
    char *colon = strchr(m, ':');
    char *out = strdup(colon + 1);
    free(m);
    unlink(path);
    free(path);
    return out;
}

static void env_values_expand_and_become_secrets(void **state)
{
    cf_secrets_reset();
    setenv("CONFORM_T_TOKEN", "s3cr3t-token", 1);
    unsetenv("CONFORM_T_UNSET");
    char *path = write_tmp("targets:\n  a:\n    base_url: http://h:1/\n    vars:\n"
                           "      token: Bearer ${CONFORM_T_TOKEN}\n"
                           "      dept: ${CONFORM_T_UNSET:-Sales}\n"
                           "      lit: cost $${NOT_ENV}\n      n: 42\n"
                           "    headers: {X-Auth-Token: \"${CONFORM_T_TOKEN}\"}\n");
    cf_config *cfg = NULL;
    cf_error *err = NULL;
    assert_int_equal(cf_config_load(&cfg, path, 1, &err), 0);
    cf_target *t = cf_config_target(cfg, "a");
    assert_non_null(t);
    assert_string_equal(t->base_url, "http://h:1");
    assert_string_equal(cf_kvlist_get(&t->vars, "token"), "Bearer s3cr3t-token");
    assert_string_equal(cf_kvlist_get(&t->vars, "dept"), "Sales");
    assert_string_equal(cf_kvlist_get(&t->vars, "lit"), "cost ${NOT_ENV}");
    assert_string_equal(cf_kvlist_get(&t->vars, "n"), "42");
    assert_true(t->tls.verify);
    char *r = cf_secrets_redact("got s3cr3t-token twice: s3cr3t-token; Sales is not secret");
    assert_string_equal(r, "got *** twice: ***; Sales is not secret");
    free(r);
    cf_config_free(cfg);
    unlink(path);
    free(path);
    cf_secrets_reset();
    (void)state;
}

static void shape_errors_are_located(void **state)
{
    char *m = load_error("targets:\n  a:\n    base_ulr: http://x\n");
    assert_string_equal(m,
                        "3:5: unknown key 'base_ulr' in target (hint: did you mean 'base_url'?)");
    free(m);
    m = load_error("targets:\n  a:\n    base_url: ftp://x\n");
    assert_string_equal(m, "3:15: base_url must start with http:// or https:// (hint: write e.g. "
                           "https://chat.example.com)");
    free(m);
    m = load_error("targets:\n  a:\n    base_url: http://x\n    timeout_ms: -5\n");
    assert_string_equal(m, "4:17: 'timeout_ms' must be an integer from 1 to 3600000");
    free(m);
    m = load_error("targets:\n  a:\n    base_url: http://x\n    tls: {verify: no}\n");
    assert_string_equal(m, "4:19: 'verify' must be a boolean, got string");
    free(m);
    m = load_error("targets:\n  a:\n    base_url: http://x/${BROKEN\n");
    assert_string_equal(m, "3:15: malformed environment reference in 'http://x/${BROKEN' (hint: "
                           "write ${NAME} or ${NAME:-default}; $${ writes a literal ${)");
    free(m);
    m = load_error("target:\n  a: {}\n");
    assert_string_equal(m, "1:1: unknown key 'target' in config (hint: did you mean 'targets'?)");
    free(m);
    (void)state;
}

static void missing_default_config_is_empty(void **state)
{
    cf_config *cfg = NULL;
    cf_error *err = NULL;
    assert_int_equal(cf_config_load(&cfg, "/nonexistent/conform.yaml", 0, &err), 0);
    assert_int_equal(cfg->ntargets, 0);
    cf_config_free(cfg);
    assert_int_equal(cf_config_load(&cfg, "/nonexistent/conform.yaml", 1, &err), -1);
    char *m = cf_error_format(err);
    assert_string_equal(m, "/nonexistent/conform.yaml: cannot read file: No such file or "
                           "directory (hint: check the path)");
    free(m);
    cf_error_free(err);
    (void)state;
}

static void secrets_mask_longest_first_and_headers(void **state)
{
    cf_secrets_reset();
    cf_secrets_add("abc");
    cf_secrets_add("abcdef");
    char *r = cf_secrets_redact("xabcdefx abcx");
    assert_string_equal(r, "x***x ***x");
    free(r);
    assert_true(cf_secrets_header_masked("authorization"));
    assert_true(cf_secrets_header_masked("X-Auth-Token"));
    assert_true(cf_secrets_header_masked("sessionid"));
    assert_true(cf_secrets_header_masked("Cookie"));
    assert_false(cf_secrets_header_masked("X-User-Id"));
    cf_secrets_reset();
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(env_values_expand_and_become_secrets),
        cmocka_unit_test(shape_errors_are_located),
        cmocka_unit_test(missing_default_config_is_empty),
        cmocka_unit_test(secrets_mask_longest_first_and_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
