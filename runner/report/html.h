/*
 * html.h - the report people open in a browser (--html FILE).
 *
 * One self-contained file: inline CSS, no external resource, readable with
 * JavaScript off (a small inline script only adds filtering by outcome and
 * id). It shows the run summary (counts, duration, conform version, host,
 * targets, filter and tags), a coverage matrix of documented responses
 * (operation x status from coverage/coverage.h, coloured by how the cases
 * that reached it ended), and
 * every suite and case with its outcome; failed, errored and known cases are
 * open with their findings (message, then expected vs actual and the JSON
 * Pointers of the differences as the checks state them), redacted
 * transcripts collapsed under them. Stable hooks for tools: every case is an
 * element with class "case" and data-outcome=NAME (cf_outcome_name), the
 * counts are in elements with id "count-NAME".
 * Written like every report file (outfile.h): atomically, streamed, memory
 * O(suites + documented responses).
 */
#ifndef CONFORM_HTML_H
#define CONFORM_HTML_H

#include <stdio.h>

#include "coverage/coverage.h"
#include "engine/sink.h"

/* Writes path, or stream when path is NULL; the matrix comes from cov
 * (borrowed; may be NULL), read at the end of the run. */
cf_sink *cf_html_sink(const char *path, FILE *stream, const cf_coverage *cov);

#endif
