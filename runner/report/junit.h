/*
 * junit.h - conform's own JUnit XML writer.
 *
 * Output validates against the Jenkins xunit schema
 * (../shared/data/junit/jenkins-xunit-junit-10.xsd):
 *   <testsuites name="conform" tests= failures= errors= time=>
 *     <testsuite name=SUITE tests= failures= errors= skipped= time= timestamp= hostname= file=>
 *       <properties><property name= value=/>...</properties>   the run's (report/runprops.h)
 *                                                               and coverage figures
 *       <testcase classname=SUITE name=CASE-ID time= [file=]>  file=: the gitlab flavor
 *         <failure type=TYPE message=MESSAGE>text</failure>     one per failure finding
 *         <error type=TYPE message=MESSAGE>text</error>         one per error finding
 *         <flakyFailure|flakyError type= message=>...</...>     passed on a --rerun
 *         <skipped message=REASON/>
 *         <skipped message="known deviation: REASON">findings</skipped>  known deviations
 *         <system-out>transcript</system-out>                    failed or errored cases
 * The text of a failure or error stands alone (GitLab shows nothing else):
 * the message, the detail (expected vs actual), "request: METHOD URL",
 * "response: HTTP STATUS", "body: " and the start of the body (redacted),
 * "(step N)". GitLab reads file= on <testcase>, which the Jenkins schema does
 * not allow: it is written only in the gitlab flavor (--junit-flavor gitlab).
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

typedef enum cf_junit_flavor {
    CF_JUNIT_JENKINS = 0, /* valid against the Jenkins schema */
    CF_JUNIT_GITLAB,      /* also file= on every <testcase>, which GitLab reads */
} cf_junit_flavor;

typedef struct cf_junit_opts {
    cf_junit_flavor flavor;
} cf_junit_opts;

/* The JUnit reporter: writes path when the run ends (begin checks it, so an
 * unwritable path fails before anything is sent). Every <testsuite> carries
 * the run's properties (report/runprops.h) and, with cov (may be NULL), its
 * coverage.* properties, taken at the end. opts may be NULL (jenkins). */
cf_sink *cf_junit_sink(const char *path, const cf_coverage *cov, const cf_junit_opts *opts);

/* Writes report to path (report/output.h), creating the parent directory if
 * needed. On failure a regular file at path is untouched (an old report stays
 * as it was), no temporary file is left behind, and *err names path, the operation and strerror,
 * with a hint. The same report always gives the same bytes. */
int cf_junit_write(const cf_report *report, const char *path, cf_error **err);
/* Writes the XML document to a stream (what cf_junit_write puts in the file)
 * and flushes it. */
int cf_junit_write_stream(const cf_report *report, FILE *out, cf_error **err);

#endif
