/* fuzz_junitread.c - reading a JUnit report back (`conform diff`, `conform
 * merge`) from a file whose bytes are the input; a report that reads is
 * written again with conform's JUnit writer, which must accept it, and
 * merged with itself. */
#include "fuzz_util.h"
#include "report/junit.h"
#include "report/junit_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("report.xml", data, size);
    cf_report *report = NULL;
    cf_error *err = NULL;
    if (cf_junit_read(&report, path, &err) < 0) {
        fuzz_error_drop(err);
        cf_report_free(report);
        return 0;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out || cf_junit_write_stream(report, out, &err) < 0)
        abort();
    fclose(out);
    free(buf);
    cf_report_free(report);
    /* The same report merged with itself (libxml2's tree, not the writer). */
    char *inputs[2] = {(char *)path, (char *)path};
    static char merged[160];
    if (!merged[0])
        snprintf(merged, sizeof merged, "%s.merged.xml", path);
    if (cf_junit_merge(merged, inputs, 2, 1, &err) < 0)
        fuzz_error_drop(err);
    return 0;
}
