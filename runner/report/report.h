/*
 * report.h - the console report. cmocka is the harness: each suite of a
 * finished run becomes one cmocka group with one CMUnitTest per case result,
 * so the console shows cmocka's familiar [ RUN ] / [ OK ] / [ FAILED ] lines,
 * failed cases carry conform's own messages, and the [ LINE ] points at the
 * case in its suite file. Reads result structs only.
 */
#ifndef CONFORM_REPORT_H
#define CONFORM_REPORT_H

#include <stdio.h>

#include "engine/result.h"

/* Waits until a case result is final (the engine's cf_run_wait), or NULL
 * when the report is already complete. */
typedef void (*cf_report_wait)(void *waiter, const cf_case_result *c);

/* Prints every suite through cmocka on stdout, case by case as results
 * become final; verbose adds transcripts. */
void cf_report_console(const cf_report *r, int verbose, cf_report_wait wait, void *waiter);
/* One summary line, e.g. "27 cases: 25 passed, 1 failed, 1 errored, 0 skipped (0.42 s)". */
void cf_report_summary(const cf_report *r, FILE *out);

#endif
