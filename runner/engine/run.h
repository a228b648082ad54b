/*
 * run.h - the engine: runs the selected cases of loaded suites and fills a
 * cf_report. Reporting is separate (report.h, junit.h).
 *
 * Cases run on --jobs worker threads, each with its own HTTP client (so
 * connections are reused per worker and target); the steps of one case run in
 * order on one worker. Results land in slots fixed before the run starts, so
 * the report's order is suite file order, then case order, then repetition,
 * whatever the number of jobs.
 */
#ifndef CONFORM_RUN_H
#define CONFORM_RUN_H

#include <stddef.h>

#include "engine/result.h"
#include "suite/suite.h"

typedef struct cf_run_opts {
    int jobs;           /* worker threads, >= 1 */
    int repeat;         /* runs of each selected case, >= 1 */
    int fail_fast;      /* after the first failed or errored case, skip the rest */
    const char *filter; /* fnmatch glob on case ids, or NULL */
    char *const *tags;  /* a case runs if it has any of these; ntags 0 = all */
    size_t ntags;
    long timeout_ms; /* per request; 0: the target's timeout_ms, else 10000 */
    size_t max_body; /* response body cap in bytes; 0: 8 MiB */
    int transcripts; /* keep transcripts of passing cases too (for -v) */
} cf_run_opts;

/* Asks a run under way to start no further case (from a signal handler:
 * async-signal-safe). Cases already sent finish, within their timeout; the
 * rest are skipped with "not run: interrupted", so the report is complete. */
void cf_run_interrupt(void);
/* Nonzero once cf_run_interrupt() was called. */
int cf_run_interrupted(void);

/* Is case c selected by opts (filter and tags)? */
int cf_run_selected(const cf_case *c, const cf_run_opts *opts);

typedef struct cf_run_state cf_run_state;

/* Called on the calling thread while the workers run, with the report whose
 * slots they are filling: a reporter reads each case result after
 * cf_run_wait() says it is final, so output streams in report order while
 * later cases are still running. */
typedef void (*cf_run_observer)(void *ctx, const cf_report *report, cf_run_state *run);

/* Blocks until c (a case of the report under way) is final. */
void cf_run_wait(cf_run_state *run, const cf_case_result *c);

/* Runs suites[0..n) and returns the report (the caller frees it); observer
 * may be NULL. Fails only on resource exhaustion; every failure of a server
 * is a finding. */
int cf_run(cf_report **out, cf_suite *const *suites, size_t n, const cf_run_opts *opts,
           cf_run_observer observer, void *ctx, cf_error **err);

#endif
