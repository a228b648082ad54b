/*
 * sink.h - how reporters receive a run's results: the one interface every
 * report (console, JUnit, JSON, HTML, TAP) implements and the engine drives.
 *
 * The engine calls, on one thread (never concurrently):
 *   begin(info)                                  once, before the first request
 *   suite_begin(suite) case_done(suite, case)... suite_end(suite, totals)
 *                                                for every suite with selected cases
 *   tick(now)                                    now and then while waiting (optional)
 *   end(run)                                     once, after the last case_done
 * Cases arrive in the deterministic report order (suite file order, case
 * order, repetition), whatever the number of jobs. A case result is valid only
 * during case_done: the engine forgets it once every sink has seen it, so a
 * sink that needs it later copies what it needs (memory of a run stays
 * O(jobs + loaded suites), not O(cases x repeats)).
 *
 * begin failing stops the run before anything is sent; case_done cannot fail
 * (a sink remembers its first write error and reports it from end).
 */
#ifndef CONFORM_SINK_H
#define CONFORM_SINK_H

#include <stddef.h>

#include "base/error.h"
#include "base/kvlist.h"
#include "engine/result.h"

/* A target the selected cases talk to, for the report header. */
typedef struct cf_run_target {
    const char *name;
    const char *base_url; /* userinfo removed */
    /* The versions the target stated or reported (suite/version.h):
     * component ("" unnamed) -> version; may be NULL. version_error: why
     * version_from could not read it, or NULL. */
    const cf_kvlist *versions;
    const char *version_error;
} cf_run_target;

typedef struct cf_run_info {
    const char *version;   /* conform's version */
    const char *timestamp; /* ISO 8601 start time, UTC */
    const char *hostname;  /* may be NULL */
    size_t total;          /* case results that will be reported (cases x repeats) */
    size_t nsuites;        /* suites with at least one selected case */
    int jobs, repeat;
    const char *filter; /* may be NULL */
    char *const *tags;
    size_t ntags;
    int shard_k, shard_n; /* --shard K/N; 0/0 when not sharded */
    int rerun;            /* --rerun N; 0 when off */
    const cf_run_target *targets;
    size_t ntargets;
} cf_run_info;

typedef struct cf_suite_info {
    const char *name;   /* the suite's `suite:` title */
    const char *file;   /* the suite file as given */
    const char *target; /* target name, may be NULL */
    size_t ncases;      /* case results this suite will report */
    size_t index;       /* 0-based among the reported suites */
} cf_suite_info;

typedef struct cf_run_end {
    cf_totals totals;
    double seconds;
    int interrupted;          /* SIGINT/SIGTERM: the rest was skipped */
    int started;              /* cases were run (set even when a report then failed) */
    unsigned rate_waits;      /* waits on servers' rate limits, over all cases */
    double rate_wait_seconds; /* and their total length */
} cf_run_end;

typedef struct cf_sink cf_sink;
struct cf_sink {
    int (*begin)(cf_sink *self, const cf_run_info *info, cf_error **err);
    void (*suite_begin)(cf_sink *self, const cf_suite_info *suite);
    void (*case_done)(cf_sink *self, const cf_suite_info *suite, const cf_case_result *c);
    void (*suite_end)(cf_sink *self, const cf_suite_info *suite, const cf_totals *totals,
                      double seconds);
    void (*tick)(cf_sink *self, size_t done); /* may be NULL */
    int (*end)(cf_sink *self, const cf_run_end *run, cf_error **err);
    void (*free)(cf_sink *self);
};

/* Feeds a complete report to sinks as the engine would (tests, converters):
 * begin, every suite and case, end. Every sink's end runs even when an
 * earlier one failed; the first error is returned. */
int cf_sink_replay(const cf_report *r, const cf_run_info *info, cf_sink *const *sinks,
                   size_t nsinks, cf_error **err);

/* Feeds one complete suite result to sinks as the engine would (suite_begin,
 * every case, suite_end), as reported suite number index; its cases are
 * added to *totals when totals is not NULL. */
void cf_sink_feed_suite(cf_sink *const *sinks, size_t nsinks, const cf_suite_result *sr,
                        size_t index, cf_totals *totals);

void cf_sink_free(cf_sink *s);

#endif
