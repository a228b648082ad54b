/* fuzz_junit.c - the JUnit writer on a report whose strings are the input:
 * NUL-separated fields become suite and case names, finding types,
 * messages, details, a skip reason and a transcript. The XML must stay
 * well-formed whatever the bytes (junit.h); libxml2 is not linked here, so
 * the harness checks what it can cheaply: the writer succeeds and never
 * lets a raw '<' of a field through. */
#include "fuzz_util.h"
#include "report/junit.h"

#define NFIELDS 9

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *f[NFIELDS];
    size_t at = 0;
    for (int i = 0; i < NFIELDS; i++) {
        const uint8_t *nul = at < size ? memchr(data + at, 0, size - at) : NULL;
        size_t n = at < size ? (nul ? (size_t)(nul - data) - at : size - at) : 0;
        f[i] = fuzz_str(data + at, n);
        at += n + (nul ? 1 : 0);
    }
    cf_case_result cases[3] = {0};
    cases[0].id = f[2];
    cases[0].title = f[3];
    cases[0].outcome = CF_OUTCOME_FAIL;
    cases[0].transcript = f[8];
    cf_case_add_finding(&cases[0], CF_FINDING_FAILURE, 1, f[4], f[6], "%s", f[5]);
    cf_case_add_finding(&cases[0], CF_FINDING_ERROR, 0, f[5], NULL, "%s", f[4]);
    cf_case_add_warning(&cases[0], "%s", f[6]);
    cases[1].id = f[3];
    cases[1].outcome = CF_OUTCOME_SKIP;
    cases[1].skip_reason = f[7];
    cases[2].id = f[4];
    cases[2].seconds = size ? (double)data[0] * 1e13 : -1.0;
    cf_suite_result suite = {.name = f[0], .file = f[1], .cases = cases, .ncases = 3};
    cf_report report = {.suites = &suite, .nsuites = 1, .timestamp = f[7], .hostname = f[1]};
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    cf_error *err = NULL;
    if (!out || cf_junit_write_stream(&report, out, &err) < 0)
        abort();
    fclose(out);
    /* Every '<' starts markup: an element, a closing tag or the declaration. */
    for (const char *p = buf; (p = strchr(p, '<')); p++)
        if (!(p[1] == '/' || p[1] == '?' || (p[1] >= 'a' && p[1] <= 'z')))
            abort();
    free(buf);
    for (size_t i = 0; i < cases[0].nfindings; i++) {
        free(cases[0].findings[i].type);
        free(cases[0].findings[i].message);
        free(cases[0].findings[i].detail);
    }
    free(cases[0].findings);
    for (size_t i = 0; i < cases[0].nwarnings; i++)
        free(cases[0].warnings[i]);
    free(cases[0].warnings);
    for (int i = 0; i < NFIELDS; i++)
        free(f[i]);
    return 0;
}
