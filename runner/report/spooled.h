/*
 * spooled.h - the common part of the report files (JUnit, JSON, HTML) whose
 * header holds totals known only at the end.
 *
 * A format fills in its callbacks and embeds cf_spooled first in its own
 * struct. Each case is rendered by put_case as it arrives and spilled to a
 * spool (outfile.h); per suite only its counts and the spool range of its
 * cases stay in memory. begin only checks that the report path can be
 * written (cf_output_preflight); at the end the report is opened and the
 * document assembled into it: put_head, then per suite put_suite_head, its cases from the spool and
 * put_suite_tail, then put_tail. Memory is O(suites), not O(cases).
 */
#ifndef CONFORM_SPOOLED_H
#define CONFORM_SPOOLED_H

#include <stdio.h>

#include "base/util.h"
#include "report/outfile.h"
#include "engine/sink.h"

typedef struct cf_spooled_suite {
    char *name, *file, *target;
    cf_totals totals;
    double seconds;
    size_t ncases;
    off_t start, len; /* its cases in the spool */
} cf_spooled_suite;

/* What cf_run_info said, kept (strings copied) for the header. */
typedef struct cf_spooled_info {
    char *version, *timestamp, *hostname, *filter;
    char **tags;
    size_t ntags;
    cf_run_target *targets; /* strings owned */
    size_t ntargets;
    int jobs, repeat;
    int shard_k, shard_n, rerun;
} cf_spooled_info;

typedef struct cf_spooled cf_spooled;
struct cf_spooled {
    cf_sink base; /* first: a cf_spooled is a cf_sink */
    /* Set by the format. */
    void (*put_case)(cf_spooled *self, cf_buf *b, const cf_suite_info *s, const cf_case_result *c,
                     size_t nth); /* nth: 0-based within the suite */
    void (*put_head)(cf_spooled *self, cf_buf *b, const cf_run_end *run);
    void (*put_suite_head)(cf_spooled *self, cf_buf *b, const cf_spooled_suite *s, size_t i);
    void (*put_suite_tail)(cf_spooled *self, cf_buf *b, const cf_spooled_suite *s, size_t i);
    void (*put_tail)(cf_spooled *self, cf_buf *b, const cf_run_end *run);
    void (*free_format)(cf_spooled *self); /* may be NULL; frees the format's own state */
    void (*on_begin)(cf_spooled *self, const cf_run_info *info); /* may be NULL */
    /* Kept by cf_spooled; the format reads them in its callbacks. */
    cf_spooled_info info;
    cf_spooled_suite *suites;
    size_t nsuites;
    /* Private. */
    const char *what, *option;
    char *path;
    FILE *stream;
    cf_outfile out;
    cf_spool body;
    cf_buf b;
    size_t cap, nth;
};

/* Sets up s (already zeroed, callbacks set) to write path, or stream when
 * path is NULL; what ("JSON report") and option ("--json FILE") are for
 * messages and must be static. */
void cf_spooled_init(cf_spooled *s, const char *path, FILE *stream, const char *what,
                     const char *option);

#endif
