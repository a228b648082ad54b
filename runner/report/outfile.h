/*
 * outfile.h - the two halves of a report file that must state its totals
 * before its body (JUnit, JSON, HTML): a spool the body streams into while
 * the run goes on, and the report output (report/output.h decides how a path
 * is opened: atomic replacement, symlinks, devices, "-") the document is
 * assembled into at the end, or a stdio stream (tests, converters).
 */
#ifndef CONFORM_OUTFILE_H
#define CONFORM_OUTFILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "base/error.h"
#include "report/output.h"

typedef struct cf_outfile {
    cf_output *output; /* a path (cf_outfile_open) */
    FILE *stream;      /* or a stream (cf_outfile_stream) */
    const char *what;  /* "JUnit report", for messages */
    int failed;        /* a write failed; commit reports it */
    cf_error *werr;    /* the first write error of output */
} cf_outfile;

/* Opens path through cf_output_open (what and option are for messages and
 * must outlive o). */
int cf_outfile_open(cf_outfile *o, const char *path, const char *what, const char *option,
                    cf_error **err);
/* Writes to an open stream instead (commit flushes it; it stays open). */
void cf_outfile_stream(cf_outfile *o, FILE *stream, const char *what);
/* Appends bytes; a failure is remembered and reported by commit. */
void cf_outfile_write(cf_outfile *o, const void *data, size_t len);
/* Finishes the report (cf_output_close, or a flush); on failure a previous
 * regular-file report is untouched. Closes o either way. */
int cf_outfile_commit(cf_outfile *o, cf_error **err);
/* Drops a report being written. Safe to repeat. */
void cf_outfile_abort(cf_outfile *o);

/* A body written ahead of its header: an unlinked temporary file (nothing is
 * left behind, even on a crash) in the report's directory when it is
 * writable, else in $TMPDIR or /tmp. */
typedef struct cf_spool {
    int fd;
    off_t size;
    int failed; /* errno of the first failure, 0 if none */
} cf_spool;

/* near: the report's path (NULL or "-" for none). */
int cf_spool_open(cf_spool *s, const char *near, const char *what, cf_error **err);
void cf_spool_write(cf_spool *s, const void *data, size_t len);
/* Copies [from, from+len) of the spool into o. */
void cf_spool_copy(cf_spool *s, off_t from, off_t len, cf_outfile *o);
void cf_spool_close(cf_spool *s);

#endif
