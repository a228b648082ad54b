/*
 * junit_read.h - reading JUnit XML reports back: conform's own, or any other
 * tool's that follows the Jenkins xunit schema
 * (../shared/data/junit/jenkins-xunit-junit-10.xsd), for `conform diff` and
 * `conform merge`.
 *
 * Parsing is libxml2's (no hand-written XML parser): no network access, no
 * external entities or DTDs loaded, libxml2's default limits on depth and
 * text size (a report beyond them is bad input). Inputs are read by
 * cf_read_file: at most CF_READ_MAX bytes, no devices. A file that is not
 * well-formed XML, or whose elements are not a JUnit report (root
 * <testsuites> or <testsuite>, a <testsuite> without name, a <testcase>
 * without name) gives a located error "FILE:LINE:COL: what (hint: ...)";
 * the commands exit 2.
 */
#ifndef CONFORM_JUNIT_READ_H
#define CONFORM_JUNIT_READ_H

#include <stddef.h>

#include "base/error.h"
#include "engine/result.h"

/* Reads path into a report: one cf_suite_result per <testsuite> (nested
 * ones flattened), its <property> elements as properties, one case result
 * per <testcase>. A case's id is its name, prefixed "CLASSNAME." when its
 * classname differs from the suite name (foreign reports), so ids are the
 * keys a diff compares. <failure>/<error> become findings (type, message;
 * text as detail); <skipped message="known deviation: ..."> is a known
 * deviation (CF_OUTCOME_KNOWN, one finding holding the text); any other
 * <skipped> a skip. */
int cf_junit_read(cf_report **out, const char *path, cf_error **err);

/* Merges the JUnit reports inputs[0..n) into one written to out_path
 * (report/output.h rules, "-" is stdout): suites with the same name and file
 * become one, their properties merged (a name/value pair once), totals
 * recomputed from the test cases. A case (suite, classname, name) present
 * twice is an error naming both files unless allow_duplicates. The output
 * keeps every element of the inputs that the Jenkins schema allows. */
int cf_junit_merge(const char *out_path, char *const *inputs, size_t n, int allow_duplicates,
                   cf_error **err);

#endif
