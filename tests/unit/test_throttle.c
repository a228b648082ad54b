/* throttle: the default policy, wait parsing, holds and shards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "engine/preflight.h"
#include "engine/run.h"
#include "engine/throttle.h"

static void loopback_targets_are_not_limited_others_are(void **state)
{
    cf_target t = {.base_url = "http://127.0.0.1:8910", .rate = -1, .max_concurrency = -1};
    cf_throttle_limits l = cf_throttle_limits_for(&t, -1);
    assert_true(l.rate == 0 && l.max_concurrency == 0);
    t.base_url = "https://chat.example.com";
    l = cf_throttle_limits_for(&t, -1);
    assert_true(l.rate == CF_THROTTLE_DEFAULT_RATE);
    assert_int_equal(l.max_concurrency, CF_THROTTLE_DEFAULT_CONCURRENCY);
    t.rate = 0; /* rate: 0 in the config lifts the default */
    assert_true(cf_throttle_limits_for(&t, -1).rate == 0);
    assert_true(cf_throttle_limits_for(&t, 7).rate == 7); /* --rate wins */
    assert_true(cf_url_is_loopback("http://localhost:1/x"));
    assert_true(cf_url_is_loopback("http://[::1]:80"));
    assert_true(cf_url_is_loopback("http://u:p@127.0.0.2/"));
    assert_false(cf_url_is_loopback("http://127.example.com/"));
    assert_false(cf_url_is_loopback("http://localhost.example.com/"));
    (void)state;
}

static double wait_for(const char *name, const char *value)
{
    cf_http_response r = {0};
    cf_kvlist_set(&r.headers, name, value);
    double d = cf_throttle_retry_after(&r);
    cf_kvlist_clear(&r.headers);
    return d;
}

static void waits_come_from_retry_after_or_the_reset(void **state)
{
    assert_true(wait_for("Retry-After", "3") == 3);
    assert_true(wait_for("X-RateLimit-Reset", "2") == 2); /* seconds from now */
    char ms[32];
    snprintf(ms, sizeof ms, "%lld", (long long)time(NULL) * 1000 + 5000); /* Rocket.Chat */
    double d = wait_for("X-RateLimit-Reset", ms);
    assert_true(d > 3 && d <= 6);
    snprintf(ms, sizeof ms, "%lld", (long long)time(NULL) + 10); /* epoch seconds */
    d = wait_for("x-ratelimit-reset", ms);
    assert_true(d > 8 && d <= 11);
    assert_true(wait_for("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT") == 0); /* past */
    assert_true(wait_for("Retry-After", "soon") < 0);
    assert_true(wait_for("X-Other", "1") < 0);
    (void)state;
}

static int never(void)
{
    return 0;
}

static void a_route_held_beyond_the_budget_is_refused(void **state)
{
    cf_throttle *th = NULL;
    cf_target t = {.base_url = "http://127.0.0.1:1", .rate = -1, .max_concurrency = -1};
    cf_throttle_limits lim = {0, 0};
    double held = -1;
    assert_int_equal(cf_throttle_new(&th, never), 0);
    assert_int_equal(cf_throttle_acquire(th, &t, &lim, "/a", 0, &held), 0);
    assert_true(held == 0);
    cf_throttle_release(th, &t);
    cf_throttle_hold(th, &t, "/a", 30);
    assert_int_equal(cf_throttle_acquire(th, &t, &lim, "/a", 1, &held), -1);
    assert_true(held > 29);
    assert_int_equal(cf_throttle_acquire(th, &t, &lim, "/b", 1, &held), 0); /* other route */
    cf_throttle_release(th, &t);
    cf_throttle_free(th);
    (void)state;
}

static void shards_split_every_case_once(void **state)
{
    cf_case cases[40];
    char ids[40][16];
    cf_suite su = {.path = "./suites/x.yaml", .cases = cases, .ncases = 40};
    for (int i = 0; i < 40; i++) {
        snprintf(ids[i], sizeof ids[i], "case-%d", i);
        cases[i] = (cf_case){.id = ids[i]};
    }
    for (int n = 1; n <= 5; n++) {
        int count = 0;
        for (int k = 1; k <= n; k++) {
            cf_run_opts o = {.shard_k = k, .shard_n = n};
            for (int i = 0; i < 40; i++)
                count += cf_run_selected_in(&su, &cases[i], &o);
        }
        assert_int_equal(count, 40);
    }
    /* "./" does not change a case's shard. */
    cf_suite bare = su;
    bare.path = "suites/x.yaml";
    for (int i = 0; i < 40; i++)
        assert_int_equal(cf_run_shard_of(&su, &cases[i], 7), cf_run_shard_of(&bare, &cases[i], 7));
    (void)state;
}

static void userinfo_is_removed_from_urls(void **state)
{
    char *u = cf_url_without_userinfo("https://user:pw@chat.example.com:8443/a@b");
    assert_string_equal(u, "https://chat.example.com:8443/a@b");
    free(u);
    u = cf_url_without_userinfo("http://host/path?x=a@b");
    assert_string_equal(u, "http://host/path?x=a@b");
    free(u);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loopback_targets_are_not_limited_others_are),
        cmocka_unit_test(waits_come_from_retry_after_or_the_reset),
        cmocka_unit_test(a_route_held_beyond_the_budget_is_refused),
        cmocka_unit_test(shards_split_every_case_once),
        cmocka_unit_test(userinfo_is_removed_from_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
