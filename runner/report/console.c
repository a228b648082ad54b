/*
 * console.c - conform's console reporter (contract in console.h).
 */
#include "report/console.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/secrets.h"
#include "base/util.h"

/* ---------------------------------------------------------------- cmocka */

/* cmocka 1.1.5 has no switch to silence its printer, but prints everything
 * (outside its XML mode, which cf_console_sink rules out) through these two
 * functions of its public API (cmocka.h), which a program may define itself.
 * While the console replays a result through cmocka they print nothing;
 * otherwise (conform's own unit tests linking this file) they print as
 * cmocka's do. */
static int cmocka_quiet;
static const char *harness_file; /* the suite file of the case under way */

void vprint_message(const char *const format, va_list args)
{
    if (cmocka_quiet)
        return;
    vprintf(format, args);
    fflush(stdout);
}

void vprint_error(const char *const format, va_list args)
{
    if (cmocka_quiet)
        return;
    vfprintf(stderr, format, args);
}

/* The test function of every case: cmocka's verdict is the result's. */
static void harness_case(void **state)
{
    const cf_case_result *r = *state;
    switch (cf_case_outcome(r)) {
    case CF_OUTCOME_PASS:
        return;
    case CF_OUTCOME_SKIP:
    case CF_OUTCOME_KNOWN: /* reported, but does not fail the run */
        skip();
        return;
    case CF_OUTCOME_FAIL:
    case CF_OUTCOME_ERROR:
        _fail(harness_file, r->line);
    }
}

/* Runs r through cmocka as a group of one; returns cmocka's count of failed
 * tests (0 or 1). */
static int harness_run(const cf_suite_info *s, const cf_case_result *r)
{
    const char *suite = s->name;
    harness_file = s->file ? s->file : "";
    struct CMUnitTest t = {
        .name = r->id ? r->id : "", .test_func = harness_case, .initial_state = (void *)r};
    cmocka_quiet = 1;
    int failed = _cmocka_run_group_tests(suite ? suite : "", &t, 1, NULL, NULL);
    cmocka_quiet = 0;
    return failed;
}

/* ---------------------------------------------------------------- styles */

typedef struct style {
    const char *label; /* the case line's tag */
    const char *color; /* SGR parameters */
} style;

static style style_of(cf_outcome o)
{
    switch (o) {
    case CF_OUTCOME_PASS:
        return (style){"PASS", "32"};
    case CF_OUTCOME_FAIL:
        return (style){"FAIL", "1;31"};
    case CF_OUTCOME_ERROR:
        return (style){"ERROR", "1;35"};
    case CF_OUTCOME_SKIP:
        return (style){"SKIP", "33"};
    case CF_OUTCOME_KNOWN:
        return (style){"KNOWN", "36"};
    }
    return (style){"?", "0"};
}

int cf_console_color(cf_color_mode mode, FILE *out)
{
    if (mode == CF_COLOR_ALWAYS)
        return 1;
    if (mode == CF_COLOR_NEVER)
        return 0;
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
    if (no && *no)
        return 0;
    if (term && !strcmp(term, "dumb"))
        return 0;
    return isatty(fileno(out));
}

/* ---------------------------------------------------------------- sink */

typedef struct console {
    cf_sink base;
    cf_console_opts o;
    FILE *out;
    int color, tty;
    size_t total, done, bad, tap_n;
    double t0, last_draw;
    int progress_shown;
    size_t unseen_transcripts; /* of failed cases, without -v */
} console;

static const char *sgr(const console *c, const char *params)
{
    static char buf[4][16];
    static int k;
    if (!c->color)
        return "";
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "\033[%sm", params);
    return buf[k];
}

static const char *reset(const console *c)
{
    return c->color ? "\033[0m" : "";
}

static void clear_progress(console *c)
{
    if (!c->progress_shown)
        return;
    fputs("\r\033[K", c->out);
    c->progress_shown = 0;
}

/* The progress line (terminals only, once the run has lasted a second):
 * done/total, failures, rate, ETA. Redrawn at most ten times a second. */
static void draw_progress(console *c, size_t done)
{
    double now = cf_now();
    if (!c->tty || now - c->t0 < 1.0 || now - c->last_draw < 0.1)
        return;
    c->last_draw = now;
    double rate = (now - c->t0) > 0 ? (double)done / (now - c->t0) : 0;
    char eta[32] = "--";
    if (rate > 0 && done < c->total) {
        double left = (double)(c->total - done) / rate;
        snprintf(eta, sizeof eta, "%lum%02lus", (unsigned long)(left / 60),
                 (unsigned long)left % 60);
    }
    fprintf(c->out, "\r\033[K%s[%zu/%zu]%s %s%zu failed%s  %.0f cases/s  ETA %s", sgr(c, "1"), done,
            c->total, reset(c), c->bad ? sgr(c, "31") : "", c->bad, c->bad ? reset(c) : "", rate,
            eta);
    fflush(c->out);
    c->progress_shown = 1;
}

static int console_begin(cf_sink *self, const cf_run_info *info, cf_error **err)
{
    console *c = (console *)self;
    (void)err;
    c->total = info->total;
    c->t0 = cf_now();
    if (c->o.format == CF_CONSOLE_TAP)
        fprintf(c->out, "TAP version 13\n1..%zu\n", info->total);
    return 0;
}

/* Whether a finding's detail says more than its one-line message (a one-line
 * diff is already the message's tail). */
static int detail_adds(const cf_finding *f)
{
    if (!f->detail || !*f->detail)
        return 0;
    size_t dl = strlen(f->detail), ml = strlen(f->message);
    while (dl && f->detail[dl - 1] == '\n')
        dl--;
    return !(dl <= ml && memcmp(f->message + ml - dl, f->detail, dl) == 0);
}

/* Writes n bytes of text that may come from the server under test or a
 * file: control bytes are shown as \xNN (C1 controls in UTF-8 as \u00NN),
 * so that an answer cannot drive the terminal (escape sequences, a carriage
 * return that overwrites a line);
 * newline and tab too unless lines is set (a name or reason then cannot
 * start a line of its own, e.g. a forged TAP line). */
static void put_text_n(FILE *out, const char *text, size_t n, int lines)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)text[i];
        if ((ch < 0x20 && !(lines && (ch == '\n' || ch == '\t'))) || ch == 0x7f) {
            fprintf(out, "\\x%02x", ch);
        } else if (ch == 0xc2 && i + 1 < n && (unsigned char)text[i + 1] >= 0x80 &&
                   (unsigned char)text[i + 1] <= 0x9f) {
            /* A C1 control in UTF-8 (U+009B is CSI to many terminals). */
            fprintf(out, "\\u%04x", (unsigned char)text[++i]);
        } else {
            fputc(ch, out);
        }
    }
}

static void put_text(FILE *out, const char *text)
{
    put_text_n(out, text ? text : "", text ? strlen(text) : 0, 1);
}

/* A one-line text: every control byte escaped. */
static void put_line(FILE *out, const char *text)
{
    put_text_n(out, text ? text : "", text ? strlen(text) : 0, 0);
}

static void console_suite_begin(cf_sink *self, const cf_suite_info *s)
{
    console *c = (console *)self;
    if (c->o.format == CF_CONSOLE_TAP) {
        fputs("# ", c->out);
        put_line(c->out, s->name);
    } else {
        clear_progress(c);
        fprintf(c->out, "\n%s", sgr(c, "1"));
        put_line(c->out, s->name);
        fputs(reset(c), c->out);
    }
    fputs(" (", c->out);
    put_line(c->out, s->file);
    fputs(")\n", c->out);
}

/* Prints text with every line indented (put_text_n's escapes); a missing
 * final newline is added. */
static void put_indented(FILE *out, const char *indent, const char *text)
{
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        fputs(indent, out);
        put_text_n(out, p, n, 1);
        fputc('\n', out);
        p += n + (nl ? 1 : 0);
    }
}

/* A pass after a failed or errored attempt (--rerun). */
static int is_flaky(const cf_case_result *r, cf_outcome o)
{
    return o == CF_OUTCOME_PASS && r->flaky;
}

static void text_case(console *c, const cf_suite_info *s, const cf_case_result *r, cf_outcome o)
{
    style st = is_flaky(r, o) ? (style){"FLAKY", "33"} : style_of(o);
    fprintf(c->out, "  %s%-5s%s %s", sgr(c, st.color), st.label, reset(c), r->id ? r->id : "");
    if (o == CF_OUTCOME_SKIP && r->skip_reason) {
        fputs("  (", c->out);
        put_text(c->out, r->skip_reason);
        fputc(')', c->out);
    }
    /* Where the case is defined, for the ones to look at. */
    if ((o == CF_OUTCOME_FAIL || o == CF_OUTCOME_ERROR) && s->file && r->line > 0)
        fprintf(c->out, "  %s%s:%d%s", sgr(c, "2"), s->file, r->line, reset(c));
    fputc('\n', c->out);
    if (is_flaky(r, o)) {
        fprintf(c->out,
                "    %sflaky%s: passed on attempt %d; the first attempt found: ", sgr(c, "33"),
                reset(c), r->attempts);
        put_text(c->out, r->flaky_note ? r->flaky_note : "?");
        fputc('\n', c->out);
    }
    for (size_t i = 0; i < r->nwarnings; i++) {
        fprintf(c->out, "    %swarning%s: ", sgr(c, "33"), reset(c));
        put_text(c->out, r->warnings[i]);
        fputc('\n', c->out);
    }
    for (size_t i = 0; i < r->nfindings; i++) {
        const cf_finding *f = &r->findings[i];
        int err = f->kind == CF_FINDING_ERROR;
        const char *col = f->known ? "36" : err ? "35" : "31";
        fprintf(c->out, "    %s%s %s%s: ", sgr(c, col), err ? "error" : "failure", f->type,
                reset(c));
        put_text(c->out, f->message);
        if (f->known)
            fprintf(c->out, " %s(known: %s)%s", sgr(c, "36"), f->known_at ? f->known_at : f->known,
                    reset(c));
        fputc('\n', c->out);
        if (detail_adds(f))
            put_indented(c->out, "      ", f->detail);
    }
    if (r->transcript && c->o.verbose)
        put_text(c->out, r->transcript);
    else if (r->transcript && (o == CF_OUTCOME_FAIL || o == CF_OUTCOME_ERROR))
        c->unseen_transcripts++;
}

/* A YAML double-quoted scalar (JSON string syntax is valid YAML). */
static void put_yaml_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void tap_case(console *c, const cf_suite_info *s, const cf_case_result *r, cf_outcome o)
{
    c->tap_n++;
    int ok = o == CF_OUTCOME_PASS || o == CF_OUTCOME_SKIP;
    fprintf(c->out, "%s %zu - %s", ok ? "ok" : "not ok", c->tap_n, r->id ? r->id : "");
    if (o == CF_OUTCOME_SKIP) {
        /* One line, whatever the reason holds (a suite's block scalar, a
         * version a server reported). */
        fputs(" # SKIP ", c->out);
        put_line(c->out, r->skip_reason);
    }
    if (o == CF_OUTCOME_KNOWN) /* TAP's expected failure: does not fail the run */
        fputs(" # TODO known deviation", c->out);
    fputc('\n', c->out);
    if (ok && !c->o.verbose && !r->nwarnings && !is_flaky(r, o))
        return;
    fprintf(c->out, "  ---\n  outcome: %s\n", cf_outcome_name(o));
    if (is_flaky(r, o)) {
        fprintf(c->out, "  attempts: %d\n  flaky: ", r->attempts);
        put_yaml_string(c->out, r->flaky_note ? r->flaky_note : "");
        fputc('\n', c->out);
    }
    fputs("  suite: ", c->out);
    put_yaml_string(c->out, s->name);
    fprintf(c->out, "\n  file: ");
    put_yaml_string(c->out, s->file);
    fprintf(c->out, "\n  line: %d\n", r->line);
    if (r->nfindings)
        fputs("  findings:\n", c->out);
    /* The findings of a known deviation say which ledger entry matched. */
    for (size_t i = 0; i < r->nfindings; i++) {
        const cf_finding *f = &r->findings[i];
        fprintf(c->out,
                "    - kind: %s\n      type: ", f->kind == CF_FINDING_ERROR ? "error" : "failure");
        put_yaml_string(c->out, f->type);
        fputs("\n      message: ", c->out);
        put_yaml_string(c->out, f->message);
        if (f->detail) {
            fputs("\n      detail: ", c->out);
            put_yaml_string(c->out, f->detail);
        }
        if (f->known) {
            fputs("\n      known: ", c->out);
            put_yaml_string(c->out, f->known);
        }
        fputc('\n', c->out);
    }
    if (r->nwarnings)
        fputs("  warnings:\n", c->out);
    for (size_t i = 0; i < r->nwarnings; i++) {
        fputs("    - ", c->out);
        put_yaml_string(c->out, r->warnings[i]);
        fputc('\n', c->out);
    }
    if (r->transcript && c->o.verbose) {
        fputs("  transcript: ", c->out);
        put_yaml_string(c->out, r->transcript);
        fputc('\n', c->out);
    }
    fputs("  ...\n", c->out);
}

static void console_case_done(cf_sink *self, const cf_suite_info *s, const cf_case_result *r)
{
    console *c = (console *)self;
    cf_outcome o = cf_case_outcome(r);
    harness_run(s, r);
    c->done++;
    if (o == CF_OUTCOME_FAIL || o == CF_OUTCOME_ERROR)
        c->bad++;
    if (c->o.format == CF_CONSOLE_TAP) {
        tap_case(c, s, r, o);
        return;
    }
    clear_progress(c);
    text_case(c, s, r, o);
    draw_progress(c, c->done);
}

static void console_suite_end(cf_sink *self, const cf_suite_info *s, const cf_totals *t,
                              double seconds)
{
    (void)self;
    (void)s;
    (void)t;
    (void)seconds;
}

static void console_tick(cf_sink *self, size_t done)
{
    console *c = (console *)self;
    if (c->o.format == CF_CONSOLE_TEXT)
        draw_progress(c, done);
}

static int console_end(cf_sink *self, const cf_run_end *run, cf_error **err)
{
    console *c = (console *)self;
    (void)err;
    clear_progress(c);
    if (c->unseen_transcripts)
        fprintf(c->out,
                "\n%sThe request/response transcripts of failed cases are in the reports; "
                "-v prints them here.%s\n",
                sgr(c, "2"), reset(c));
    if (c->o.format == CF_CONSOLE_TAP && run->interrupted)
        fputs("Bail out! interrupted\n", c->out);
    fflush(c->out);
    return 0;
}

static void console_free(cf_sink *self)
{
    free(self);
}

cf_sink *cf_console_sink(const cf_console_opts *opts)
{
    console *c = cf_xcalloc(1, sizeof *c);
    c->base = (cf_sink){.begin = console_begin,
                        .suite_begin = console_suite_begin,
                        .case_done = console_case_done,
                        .suite_end = console_suite_end,
                        .tick = console_tick,
                        .end = console_end,
                        .free = console_free};
    c->o = *opts;
    c->out = opts->out ? opts->out : stdout;
    int tap = opts->format == CF_CONSOLE_TAP;
    c->color = !tap && cf_console_color(opts->color, c->out);
    c->tty = !tap && isatty(fileno(c->out));
    /* cmocka reads these at every group: its XML mode would write files or
     * stderr behind the console's back. Called before any thread starts. */
    unsetenv("CMOCKA_MESSAGE_OUTPUT");
    unsetenv("CMOCKA_XML_FILE");
    cmocka_set_message_output(CM_OUTPUT_STDOUT);
    /* When stdout and stderr share one log (a CI job's 2>&1), line buffering
     * keeps conform's errors next to the case they belong to; otherwise
     * stdout stays fully buffered, which is faster. */
    struct stat so, se;
    if (c->out == stdout && fstat(STDOUT_FILENO, &so) == 0 && fstat(STDERR_FILENO, &se) == 0 &&
        so.st_dev == se.st_dev && so.st_ino == se.st_ino)
        setvbuf(stdout, NULL, _IOLBF, 0);
    return &c->base;
}

void cf_console_summary(const cf_run_end *run, FILE *out, int color)
{
    const cf_totals *t = &run->totals;
    size_t passed = t->tests - t->failures - t->errors - t->skipped - t->known;
    const char *red = color && (t->failures || t->errors) ? "\033[1;31m" : "";
    const char *green = color && !t->failures && !t->errors ? "\033[1;32m" : "";
    fprintf(out, "%s%s%zu case%s: %zu passed, %zu failed, %zu errored, %zu skipped", red, green,
            t->tests, t->tests == 1 ? "" : "s", passed, t->failures, t->errors, t->skipped);
    /* Outcomes that not every run has are named only when they occur. */
    if (t->known)
        fprintf(out, ", %zu known deviation%s", t->known, t->known == 1 ? "" : "s");
    fprintf(out, " (%.2f s)%s\n", run->seconds, color ? "\033[0m" : "");
}
