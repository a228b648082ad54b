/*
 * summary_md.c - the Markdown summary (contract in summary_md.h).
 */
#include "report/summary_md.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/secrets.h"
#include "base/util.h"
#include "report/output.h"
#include "report/runprops.h"

typedef struct summary {
    cf_sink base;
    char *path;
    cf_buf rows;   /* the table's rows so far */
    size_t nrows;  /* up to CF_SUMMARY_MD_ROWS */
    size_t more;   /* rows beyond that, only counted */
    cf_report run; /* the run's properties */
} summary;

/* A table cell: redacted, one line, Markdown and HTML specials escaped. */
static void cell(cf_buf *b, const char *s)
{
    char *r = cf_secrets_redact(s ? s : "");
    for (const char *p = r ? r : ""; *p; p++) {
        switch (*p) {
        case '|':
            cf_buf_puts(b, "\\|");
            break;
        case '<':
            cf_buf_puts(b, "&lt;");
            break;
        case '>':
            cf_buf_puts(b, "&gt;");
            break;
        case '&':
            cf_buf_puts(b, "&amp;");
            break;
        case '\n':
        case '\r':
        case '\t':
            cf_buf_puts(b, " ");
            break;
        default:
            cf_buf_append(b, p, 1);
        }
    }
    free(r);
}

static int sum_begin(cf_sink *self, const cf_run_info *info, cf_error **err)
{
    summary *m = (summary *)self;
    cf_run_properties_begin(&m->run, info);
    if (strcmp(m->path, "-") == 0)
        return 0;
    return cf_output_preflight(m->path, "Markdown summary", "--summary-md FILE", err);
}

static void sum_suite(cf_sink *self, const cf_suite_info *s)
{
    (void)self;
    (void)s;
}

/* The label of a row, or NULL when the case gets none. */
static const char *row_label(const cf_case_result *c)
{
    switch (cf_case_outcome(c)) {
    case CF_OUTCOME_PASS:
        return c->flaky ? "flaky" : NULL;
    case CF_OUTCOME_FAIL:
        return "**failed**";
    case CF_OUTCOME_ERROR:
        return "**errored**";
    case CF_OUTCOME_SKIP:
    case CF_OUTCOME_KNOWN:
        return NULL;
    }
    return NULL;
}

static void sum_case(cf_sink *self, const cf_suite_info *s, const cf_case_result *c)
{
    summary *m = (summary *)self;
    const char *label = row_label(c);
    if (!label)
        return;
    if (m->nrows == CF_SUMMARY_MD_ROWS) {
        m->more++;
        return;
    }
    m->nrows++;
    char *f = NULL;
    if (c->flaky)
        f = cf_asprintf("passed on attempt %d; first attempt: %s", c->attempts,
                        c->flaky_note ? c->flaky_note : "?");
    else if (c->nfindings)
        f = cf_asprintf("%s: %s", c->findings[0].type, c->findings[0].message);
    cf_buf_printf(&m->rows, "| %s | ", label);
    cell(&m->rows, s->file);
    cf_buf_puts(&m->rows, " | ");
    cell(&m->rows, c->id);
    cf_buf_puts(&m->rows, " | ");
    cell(&m->rows, f);
    cf_buf_puts(&m->rows, " |\n");
    free(f);
}

static void sum_suite_end(cf_sink *self, const cf_suite_info *s, const cf_totals *t, double secs)
{
    (void)self;
    (void)s;
    (void)t;
    (void)secs;
}

static void render(summary *m, cf_buf *b, const cf_run_end *run)
{
    const cf_totals *t = &run->totals;
    size_t passed = t->tests - t->failures - t->errors - t->skipped - t->known;
    int failed = t->failures || t->errors || run->interrupted;
    cf_buf_printf(b,
                  "## conform: %s\n\n%zu case%s: %zu passed, %zu failed, %zu errored, %zu "
                  "skipped, %zu known, %zu flaky (%.2f s)%s\n\n",
                  failed ? "failed" : "passed", t->tests, t->tests == 1 ? "" : "s", passed,
                  t->failures, t->errors, t->skipped, t->known, t->flaky, run->seconds,
                  run->interrupted ? ", interrupted" : "");
    if (m->nrows)
        cf_buf_printf(b, "| result | suite | case | first finding |\n|---|---|---|---|\n%s",
                      m->rows.data);
    if (m->more)
        cf_buf_printf(b, "\n... and %zu more (see the JUnit report)\n", m->more);
    if (run->rate_waits)
        cf_buf_printf(b, "\nWaited %u time%s (%.1f s) on the servers' rate limits.\n",
                      run->rate_waits, run->rate_waits == 1 ? "" : "s", run->rate_wait_seconds);
    cf_run_properties_end(&m->run, run);
    cf_buf_puts(b, "\n<details><summary>Run properties</summary>\n\n"
                   "| property | value |\n|---|---|\n");
    for (size_t i = 0; i < m->run.nprops; i++) {
        cf_buf_puts(b, "| ");
        cell(b, m->run.props[i].name);
        cf_buf_puts(b, " | ");
        cell(b, m->run.props[i].value);
        cf_buf_puts(b, " |\n");
    }
    cf_buf_puts(b, "\n</details>\n\n");
}

/* Appends text to the path ("-": stdout). */
static int append(const char *path, const cf_buf *b, cf_error **err)
{
    int to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "a");
    int bad = !f || (b->len && fwrite(b->data, 1, b->len, f) != b->len) || fflush(f) != 0;
    int e = errno;
    if (f && !to_stdout && fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad)
        return cf_error_set(err, to_stdout ? NULL : path, 0, 0,
                            "choose another path with --summary-md FILE",
                            "cannot write the Markdown summary: %s", strerror(e));
    return 0;
}

static int sum_end(cf_sink *self, const cf_run_end *run, cf_error **err)
{
    summary *m = (summary *)self;
    cf_buf b = {0};
    render(m, &b, run);
    int rc = append(m->path, &b, err);
    cf_buf_free(&b);
    return rc;
}

static void sum_free(cf_sink *self)
{
    summary *m = (summary *)self;
    cf_report_clear_properties(&m->run);
    cf_buf_free(&m->rows);
    free(m->path);
    free(m);
}

cf_sink *cf_summary_md_sink(const char *path)
{
    summary *m = cf_xcalloc(1, sizeof *m);
    m->base = (cf_sink){.begin = sum_begin,
                        .suite_begin = sum_suite,
                        .case_done = sum_case,
                        .suite_end = sum_suite_end,
                        .end = sum_end,
                        .free = sum_free};
    m->path = cf_strdup(path);
    return &m->base;
}
