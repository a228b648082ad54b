/*
 * summary_md.h - a Markdown summary of a run, fit for GitHub's
 * $GITHUB_STEP_SUMMARY (conform run --summary-md FILE), as a reporter
 * (engine/sink.h).
 *
 * A heading with the verdict and the totals, a table of the cases that
 * failed, errored or were flaky (result, suite file, case, first finding; at
 * most CF_SUMMARY_MD_ROWS rows, then a count: GitHub caps a step summary at
 * 1 MiB), the rate-limit waits, and the run's properties (report/runprops.h)
 * in a collapsed block. Text is redacted; table cells escape |, &, <, > and
 * fold newlines. The file is appended to, as GitHub expects of step
 * summaries; "-" writes to standard output. begin checks that the path can
 * be written (nothing is sent otherwise). Memory is O(rows), not O(cases).
 */
#ifndef CONFORM_SUMMARY_MD_H
#define CONFORM_SUMMARY_MD_H

#include "engine/sink.h"

#define CF_SUMMARY_MD_ROWS 200

cf_sink *cf_summary_md_sink(const char *path);

#endif
