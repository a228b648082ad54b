/*
 * run.h - the engine: runs the selected cases of loaded suites and fills a
 * stream of results for reporters (engine/sink.h).
 *
 * Cases run on --jobs worker threads, each with its own HTTP client (so
 * connections are reused per worker and target); the steps of one case run in
 * order on one worker. The calling thread reports: results are handed to the
 * sinks in suite file order, then case order, then repetition, whatever the
 * number of jobs.
 */
#ifndef CONFORM_RUN_H
#define CONFORM_RUN_H

#include <stddef.h>

#include "engine/result.h"
#include "engine/sink.h"
#include "suite/suite.h"

typedef struct cf_run_opts {
    int jobs;           /* worker threads, >= 1 */
    int repeat;         /* runs of each selected case, >= 1 */
    int fail_fast;      /* after the first failed or errored case, skip the rest */
    const char *filter; /* fnmatch glob on case ids, or NULL */
    char *const *tags;  /* a case runs if it has any of these; ntags 0 = all */
    size_t ntags;
    long timeout_ms;      /* per request; 0: the target's timeout_ms, else 10000 */
    size_t max_body;      /* response body cap in bytes; 0: 8 MiB */
    int transcripts;      /* keep transcripts of passing cases too (for -v) */
    int shard_k, shard_n; /* run only shard K of N (1-based); shard_n 0: all */
    int rerun;            /* a failed or errored case runs again from its setup, up to N times */
    double rate;          /* --rate: requests per second per target; < 0: per target (throttle.h) */
    double max_wait;      /* seconds one case may wait on rate limits; < 0: the default (300) */
    /* Called on the worker for every case that ran, before its result is
     * final (the known-deviation ledger marks findings here); may be NULL. */
    void (*judge)(void *ctx, const cf_suite *suite, const cf_case *c, cf_case_result *res);
    void *judge_ctx;
    /* Would judge make every finding of this attempt known? Then --rerun
     * does not run the case again (its verdict can only be KNOWN). Must
     * record nothing; called with judge_ctx on the worker; may be NULL. */
    int (*all_known)(void *ctx, const cf_suite *suite, const cf_case *c, const cf_case_result *res);
    /* Results known only once every case is in (the ledger's verdict on
     * each of its entries): called with judge_ctx on the reporting thread
     * after the last case; the suites it appends to *extra are reported
     * after the run's own, before the sinks end, and count in the totals.
     * extra_suites / extra_cases announce them in cf_run_info. May be NULL. */
    void (*conclude)(void *ctx, cf_report *extra);
    size_t extra_suites, extra_cases;
} cf_run_opts;

/* Asks a run under way to start no further case (from a signal handler:
 * async-signal-safe). Cases already sent finish, within their timeout; the
 * rest are skipped with "not run: interrupted", so the report is complete. */
void cf_run_interrupt(void);
/* Nonzero once cf_run_interrupt() was called. */
int cf_run_interrupted(void);

/* Is case c selected by opts (filter and tags)? */
int cf_run_selected(const cf_case *c, const cf_run_opts *opts);
/* The shard (1..n) of case c of suite su: a stable hash (FNV-1a) of the
 * suite's title and the case id (JUnit's classname and name), so adding cases
 * elsewhere moves no case to another shard and every machine of a CI matrix
 * computes the same split wherever its checkout lives. */
int cf_run_shard_of(const cf_suite *su, const cf_case *c, int n);
/* Selected by filter, tags and --shard: what a run runs and lists. */
int cf_run_selected_in(const cf_suite *su, const cf_case *c, const cf_run_opts *opts);

/* Runs the selected cases of suites[0..n) and hands each result to every
 * sink as it becomes final, in report order (sink.h), then forgets it: memory
 * is O(jobs + loaded suites) whatever --repeat. *out gets the totals.
 * Fails (-1, *err set) when memory runs out or a sink cannot begin (then
 * nothing was sent and out->started is 0) or cannot end (its report could not
 * be written; out->started is 1 and the totals are valid). Every failure of a
 * server is a finding, not a failure of cf_run. */
int cf_run(cf_suite *const *suites, size_t n, const cf_run_opts *opts, cf_sink *const *sinks,
           size_t nsinks, cf_run_end *out, cf_error **err);

#endif
