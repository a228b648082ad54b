/*
 * console.h - what a person sees while conform runs: conform's own console
 * reporter (sink.h), on stdout.
 *
 * Text format: a heading per suite, one line per case ("PASS", "FAIL",
 * "ERROR", "SKIP" and any further outcome result.h defines, each in its own
 * colour), the findings of failed and errored cases under them, transcripts
 * with -v. cmocka is the harness each case result passes through (one
 * single-case group per result, so its verdict is cmocka's), but cmocka's own
 * printer is silenced: the environment (CMOCKA_MESSAGE_OUTPUT) cannot change
 * what is printed.
 * TAP format (--format tap): TAP version 13, a plan line first, one test
 * point per case, findings as a YAML block; no colour, no progress.
 *
 * Colour (--color auto|always|never): auto means stdout is a terminal,
 * TERM is not "dumb" and NO_COLOR is unset or empty. On a terminal, a
 * progress line (done/total, failures, rate, ETA) is kept at the bottom once
 * the run has lasted a second; never when stdout is not a terminal.
 */
#ifndef CONFORM_CONSOLE_H
#define CONFORM_CONSOLE_H

#include <stdio.h>

#include "engine/sink.h"

typedef enum cf_color_mode { CF_COLOR_AUTO = 0, CF_COLOR_ALWAYS, CF_COLOR_NEVER } cf_color_mode;
typedef enum cf_console_format { CF_CONSOLE_TEXT = 0, CF_CONSOLE_TAP } cf_console_format;

typedef struct cf_console_opts {
    int verbose; /* transcripts of every case */
    cf_color_mode color;
    cf_console_format format;
    FILE *out; /* NULL: stdout */
} cf_console_opts;

/* Whether colour is on for mode and stream out (see above). */
int cf_console_color(cf_color_mode mode, FILE *out);

cf_sink *cf_console_sink(const cf_console_opts *opts);

/* One summary line, e.g. "27 cases: 25 passed, 1 failed, 1 errored, 0 skipped
 * (0.42 s)": the totals every report counts. */
void cf_console_summary(const cf_run_end *run, FILE *out, int color);

#endif
