/*
 * Allocation failure never turns a failed check into a pass.
 *
 * A counting allocator (this program is linked with -Wl,--wrap=malloc,
 * calloc, realloc: every allocation of the runner library comes here) fails
 * the N-th allocation, for every N the check-and-report path makes. Each N
 * runs in a child process, which either completes with the case FAILED and a
 * <failure> in its JUnit, or stops with "conform: out of memory" and exit 1.
 * A child that ends with the case passed (or a report without the failure)
 * exits 42 and fails the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/checks.h"
#include "engine/result.h"
#include "report/junit.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);

static long fail_at = -1; /* 1-based index of the allocation to fail; -1: none */
static long calls;

static int should_fail(void)
{
    return ++calls == fail_at;
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

/* The check path (a status check that fails) and the report path (JUnit
 * written to a memory stream). Exits 0 when the failure survived to the
 * report, 42 when it was lost. */
static void check_and_report(void)
{
    cf_status_pat want = {200, 0};
    cf_step st = {0};
    st.expect.status = &want;
    st.expect.nstatus = 1;
    cf_http_response resp = {0};
    resp.status = 500;

    cf_case_result c = {0};
    c.id = "status-mismatch";
    cf_checks_expect(&c, 1, &st, &resp, NULL, "empty", NULL, NULL);
    if (cf_case_outcome(&c) != CF_OUTCOME_FAIL)
        _exit(42);

    cf_suite_result s = {.name = "oom", .file = "oom.yaml", .cases = &c, .ncases = 1};
    cf_report r = {.suites = &s, .nsuites = 1, .timestamp = "2026-12-01T00:00:00"};
    char *xml = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&xml, &len);
    cf_error *err = NULL;
    int rc = out ? cf_junit_write_stream(&r, out, &err) : -1;
    if (out)
        fclose(out);
    /* A report that could not be written is not a pass either: the writer
     * said so, and the CLI exits non-zero. */
    if (rc == 0 && (!xml || !strstr(xml, "<failure")))
        _exit(42);
    _exit(rc == 0 ? 0 : 3);
}

/* Runs the path with allocation n failing; returns the child's wait status
 * and whether the n-th allocation was reached. */
static int run_child(long n, int *reached)
{
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(pipefd[0]);
        dup2(pipefd[1], 2);
        calls = 0;
        fail_at = n;
        check_and_report();
    }
    close(pipefd[1]);
    char msg[256] = {0};
    ssize_t got = read(pipefd[0], msg, sizeof msg - 1);
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    *reached = got > 0 && strstr(msg, "conform: out of memory") != NULL;
    return status;
}

static void test_no_pass_under_oom(void **state)
{
    (void)state;
    long injected = 0;
    for (long n = 1; n < 10000; n++) {
        int oom = 0;
        int status = run_child(n, &oom);
        assert_true(WIFEXITED(status));
        int code = WEXITSTATUS(status);
        if (code == 42)
            fail_msg("allocation %ld failing turned a failed check into a pass", n);
        if (oom) {
            assert_int_equal(code, 1);
            injected++;
            continue;
        }
        /* Allocation n was never made: every allocation of the path failed
         * once already. */
        assert_int_not_equal(code, 42);
        break;
    }
    /* The path allocates: otherwise this test would prove nothing. */
    assert_true(injected > 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_no_pass_under_oom)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
