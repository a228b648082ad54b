#include "report/report.h"

#include "base/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>
#include <cmocka.h>

/* What the replay of the group under way needs besides each case's result
 * (cmocka hands a test only its initial_state: the result itself, so the
 * report costs no memory per case beyond cmocka's own CMUnitTest). */
static struct {
    const char *file;
    int verbose;
    cf_report_wait wait;
    void *waiter;
} group;

/* Whether a finding's detail says more than its one-line message (a one-line
 * diff is already the message's tail). */
static int detail_adds(const cf_finding *f)
{
    if (!f->detail || !*f->detail)
        return 0;
    size_t dl = strlen(f->detail), ml = strlen(f->message);
    while (dl && f->detail[dl - 1] == '\n')
        dl--;
    return !(dl <= ml && memcmp(f->message + ml - dl, f->detail, dl) == 0);
}

/* The test function of every case: replays the result the engine found.
 * Details go to stdout ourselves: cmocka 1.1.5's print_error truncates long
 * messages and writes to stderr, which would tear transcripts apart. */
static void replay_case(void **state)
{
    const cf_case_result *r = *state;
    if (group.wait)
        group.wait(group.waiter, r);
    if (group.verbose && r->transcript)
        fputs(r->transcript, stdout);
    for (size_t i = 0; i < r->nwarnings; i++)
        printf("    warning: %s\n", r->warnings[i]);
    switch (cf_case_outcome(r)) {
    case CF_OUTCOME_PASS:
        return;
    case CF_OUTCOME_SKIP:
        printf("[  SKIP    ] %s\n", r->skip_reason ? r->skip_reason : "skipped");
        skip();
        return;
    case CF_OUTCOME_KNOWN:
        for (size_t i = 0; i < r->nfindings; i++)
            printf("[  KNOWN   ] %s: %s (%s)\n", r->findings[i].type, r->findings[i].message,
                   r->findings[i].known_at ? r->findings[i].known_at : "ledger");
        skip();
        return;
    case CF_OUTCOME_FAIL:
    case CF_OUTCOME_ERROR:
        for (size_t i = 0; i < r->nfindings; i++) {
            const cf_finding *f = &r->findings[i];
            printf("    %s %s: %s%s%s%s\n", f->kind == CF_FINDING_ERROR ? "error" : "failure",
                   f->type, f->message, f->known ? " (known: " : "",
                   f->known ? (f->known_at ? f->known_at : "ledger") : "", f->known ? ")" : "");
            if (detail_adds(f))
                printf("%s%s", f->detail, f->detail[strlen(f->detail) - 1] == '\n' ? "" : "\n");
        }
        if (!group.verbose && r->transcript)
            printf("    (the request/response transcript is in the JUnit report; -v prints it "
                   "here)\n");
        /* cmocka writes its verdict to stderr: flush ours first, in order. */
        fflush(stdout);
        /* cmocka marks the case failed and points at it in the suite file. */
        _fail(group.file, r->line);
    }
}

void cf_report_console(const cf_report *r, int verbose, cf_report_wait wait, void *waiter)
{
    cmocka_set_message_output(CM_OUTPUT_STDOUT);
    /* cmocka writes some verdict lines to stderr. When both streams go to one
     * log (a CI job's 2>&1), line buffering keeps them in order; otherwise
     * stdout stays fully buffered, which is faster. */
    struct stat out, err;
    if (fstat(STDOUT_FILENO, &out) == 0 && fstat(STDERR_FILENO, &err) == 0 &&
        out.st_dev == err.st_dev && out.st_ino == err.st_ino)
        setvbuf(stdout, NULL, _IOLBF, 0);
    for (size_t s = 0; s < r->nsuites; s++) {
        const cf_suite_result *sr = &r->suites[s];
        struct CMUnitTest *tests = cf_xcalloc(sr->ncases, sizeof *tests);
        if (!tests)
            return;
        for (size_t i = 0; i < sr->ncases; i++) {
            tests[i].name = sr->cases[i].id;
            tests[i].test_func = replay_case;
            tests[i].initial_state = (void *)&sr->cases[i];
        }
        group.file = sr->file;
        group.verbose = verbose;
        group.wait = wait;
        group.waiter = waiter;
        printf("\n%s (%s)\n", sr->name, sr->file);
        _cmocka_run_group_tests(sr->name, tests, sr->ncases, NULL, NULL);
        free(tests);
    }
    fflush(stdout);
}

void cf_report_summary(const cf_report *r, FILE *out)
{
    cf_totals t = cf_report_totals(r);
    size_t passed = t.tests - t.failures - t.errors - t.skipped - t.known;
    fprintf(out, "%zu case%s: %zu passed, %zu failed, %zu errored, %zu skipped", t.tests,
            t.tests == 1 ? "" : "s", passed, t.failures, t.errors, t.skipped);
    if (t.known)
        fprintf(out, ", %zu known deviation%s", t.known, t.known == 1 ? "" : "s");
    fprintf(out, " (%.2f s)\n", r->seconds);
}
