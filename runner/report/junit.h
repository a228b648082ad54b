/*
 * junit.h - conform's own JUnit XML writer.
 *
 * Output validates against the Jenkins xunit schema
 * (../shared/data/junit/jenkins-xunit-junit-10.xsd):
 *   <testsuites name="conform" tests= failures= errors= time=>
 *     <testsuite name=SUITE tests= failures= errors= skipped= time= timestamp= hostname= file=>
 *       <testcase classname=SUITE name=CASE-ID time=>
 *         <failure type=TYPE message=MESSAGE>detail</failure>   one per failure finding
 *         <error type=TYPE message=MESSAGE>detail</error>       one per error finding
 *         <skipped message=REASON/>
 *         <skipped message="known deviation: REASON">findings</skipped>  known deviations
 *         <system-out>transcript</system-out>                    failed or errored cases
 * Whatever bytes the strings hold (control characters, invalid UTF-8, "]]>")
 * the file stays well-formed: invalid UTF-8 becomes U+FFFD and characters XML
 * 1.0 forbids are written as visible escapes such as "\x1b". The path is
 * opened through report/output.h: a regular file is replaced atomically, a
 * symlink written through, a device or FIFO written directly, "-" is stdout.
 * Cases are spooled as they come (spooled.h), so memory does not grow with
 * the number of cases.
 */
#ifndef CONFORM_JUNIT_H
#define CONFORM_JUNIT_H

#include <stdio.h>

#include "base/error.h"
#include "coverage/coverage.h"
#include "engine/result.h"
#include "engine/sink.h"

/* The JUnit reporter: writes path when the run ends (begin checks it, so an
 * unwritable path fails before anything is sent). With cov (may be NULL),
 * every <testsuite> carries its coverage.* properties, taken at the end. */
cf_sink *cf_junit_sink(const char *path, const cf_coverage *cov);

/* Writes report to path (report/output.h), creating the parent directory if
 * needed. On failure a regular file at path is untouched (an old report stays
 * as it was), no temporary file is left behind, and *err names path, the operation and strerror,
 * with a hint. The same report always gives the same bytes. */
int cf_junit_write(const cf_report *report, const char *path, cf_error **err);
/* Writes the XML document to a stream (what cf_junit_write puts in the file)
 * and flushes it. */
int cf_junit_write_stream(const cf_report *report, FILE *out, cf_error **err);

#endif
