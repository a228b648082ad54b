/* fuzz_ledger.c - the known-deviation ledger loader (entries, globs, dates,
 * version ranges) on a ledger file whose bytes are the input, then the
 * verdicts of a run in which no case ran. */
#include "fuzz_util.h"
#include "ledger/ledger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("known.yaml", data, size);
    cf_ledger ledger = {0};
    cf_error *err = NULL;
    if (cf_ledger_load(&ledger, path, &err) < 0) {
        fuzz_error_drop(err);
        cf_ledger_clear(&ledger);
        return 0;
    }
    cf_report *report = cf_xcalloc(1, sizeof *report);
    FILE *warn = fopen("/dev/null", "w");
    cf_ledger_verdict verdict = {0};
    if (!warn || cf_ledger_conclude(&ledger, report, 0, "2026-12-01", warn, &verdict, &err) < 0)
        abort();
    fclose(warn);
    cf_report_free(report);
    cf_ledger_clear(&ledger);
    return 0;
}
