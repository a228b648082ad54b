/*
 * junit.c - conform's own JUnit XML writer (contract in junit.h).
 *
 * A reporter (sink.h) built on spooled.h: each <testcase> is rendered as it
 * arrives and spooled; the <testsuites> and <testsuite> headers, whose counts
 * are known only at the end, are assembled around them into the report
 * (report/output.h opens the path). Memory is O(suites), not O(cases).
 *
 * Escaping, in one place (put_escaped):
 *   - & < > " ' become &amp; &lt; &gt; &quot; &apos; everywhere; with ">"
 *     escaped, "]]>" cannot appear, and no CDATA section is ever written.
 *   - In attributes \t and \n become &#9; and &#10;, because attribute-value
 *     normalisation would otherwise turn them into spaces.
 *   - \r becomes &#13; everywhere (attributes and text), because end-of-line
 *     handling turns a literal \r or \r\n into \n before the parser sees it.
 *   - Other C0 controls, which XML 1.0 forbids even as character references,
 *     become the visible text "\x01".."\x1f"; U+FFFE and U+FFFF become
 *     "\uFFFE" and "\uFFFF". (A literal backslash is written as is, so "\x1b"
 *     in the report may also be those four characters; the report is for
 *     people, not a round trip.)
 *   - Ill-formed UTF-8 (stray continuation bytes, C0/C1/F5..FF leads,
 *     overlongs, surrogates, code points above U+10FFFF, truncated sequences)
 *     becomes U+FFFD, one per maximal subpart as Unicode recommends (the
 *     same count Python's errors="replace" and WHATWG decoders produce).
 *   - Everything else, including 4-byte UTF-8, DEL and C1 controls (allowed
 *     by XML 1.0), is copied unchanged.
 * Every string is passed through cf_secrets_redact() before it is escaped.
 *
 * Times are written as seconds with exactly three decimals, formatted from
 * integer milliseconds so the locale's decimal separator cannot leak in, and
 * clamped to 0 when negative or not finite: the Jenkins schema's
 * SUREFIRE_TIME pattern allows neither a sign nor more than three decimals.
 */
#include "report/junit.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/secrets.h"
#include "base/utf8.h"
#include "base/util.h"
#include "report/escape.h"
#include "report/runprops.h"
#include "report/spooled.h"

/* ---------------------------------------------------------------- escaping */

/* The XML rule for cf_utf8_escape (ctx: nonzero in an attribute value). */
static const char *xml_rule(uint32_t c, char tmp[16], void *ctx)
{
    int in_attr = *(const int *)ctx;
    const char *markup = cf_markup_escape(c, 1);
    if (markup)
        return markup;
    switch (c) {
    case '\r':
        return "&#13;";
    case '\t':
        return in_attr ? "&#9;" : NULL;
    case '\n':
        return in_attr ? "&#10;" : NULL;
    case 0xFFFE:
    case 0xFFFF:
        snprintf(tmp, 16, "\\u%04X", (unsigned)c);
        return tmp;
    default:
        if (c < 0x20) {
            snprintf(tmp, 16, "\\x%02x", (unsigned)c);
            return tmp;
        }
        return NULL;
    }
}

/* Appends s to b escaped for an attribute value (in_attr) or element text. */
static void put_escaped(cf_buf *b, const char *s, int in_attr)
{
    cf_utf8_escape(b, s, xml_rule, &in_attr);
}

/* Appends s, redacted and escaped. NULL appends nothing. */
static void put_redacted(cf_buf *b, const char *s, int in_attr)
{
    if (!s)
        return;
    char *r = cf_secrets_redact(s);
    put_escaped(b, r, in_attr);
    free(r);
}

/* Appends ` name="value"`; a NULL value writes nothing (optional attribute). */
static void put_attr(cf_buf *b, const char *name, const char *value)
{
    if (!value)
        return;
    cf_buf_printf(b, " %s=\"", name);
    put_redacted(b, value, 1);
    cf_buf_puts(b, "\"");
}

/* Appends ` name="S.mmm"`: see the note on times at the top. */
static void put_time(cf_buf *b, const char *name, double seconds)
{
    unsigned long long ms = 0;
    /* 1e15 s is 31 million years: the cap only keeps the cast defined. */
    if (isfinite(seconds) && seconds > 0)
        ms = (unsigned long long)((seconds < 1e15 ? seconds : 1e15) * 1000.0 + 0.5);
    cf_buf_printf(b, " %s=\"%llu.%03llu\"", name, ms / 1000, ms % 1000);
}

/* ---------------------------------------------------------------- document */

static void put_finding(cf_buf *b, const cf_finding *f)
{
    const char *el = f->kind == CF_FINDING_ERROR ? "error" : "failure";
    cf_buf_printf(b, "      <%s", el);
    put_attr(b, "type", f->type);
    put_attr(b, "message", f->message ? f->message : "");
    cf_buf_puts(b, ">");
    if (f->known) { /* known, but the case failed on another finding */
        cf_buf_puts(b, "(known deviation, ");
        put_redacted(b, f->known_at ? f->known_at : "ledger", 0);
        cf_buf_puts(b, ") ");
    }
    /* Text: the message, then the detail, then the step, one per line, so the
     * text alone says everything (some CI views show only the text). */
    put_redacted(b, f->message ? f->message : "", 0);
    if (f->detail && *f->detail) {
        cf_buf_puts(b, "\n");
        put_redacted(b, f->detail, 0);
    }
    int ends_nl = f->detail && *f->detail && f->detail[strlen(f->detail) - 1] == '\n';
    if (f->request) {
        cf_buf_puts(b, ends_nl ? "request: " : "\nrequest: ");
        put_redacted(b, f->request, 0);
        if (f->status)
            cf_buf_printf(b, "\nresponse: HTTP %d", f->status);
        if (f->body_excerpt) {
            cf_buf_puts(b, "\nbody: ");
            put_redacted(b, f->body_excerpt, 0);
        }
        ends_nl = 0;
    }
    if (f->step > 0)
        cf_buf_printf(b, "%s(step %d)", ends_nl ? "" : "\n", f->step);
    cf_buf_printf(b, "</%s>\n", el);
}

/* A pass after a failed or errored attempt (--rerun): Surefire's
 * <flakyFailure>/<flakyError>, which the Jenkins schema allows, with the
 * first attempt's first finding. */
static void put_flaky(cf_buf *b, const cf_case_result *c)
{
    const char *note = c->flaky_note ? c->flaky_note : "failed before a rerun passed";
    size_t tl = strcspn(note, ":");
    char *type = cf_strndup(note, tl);
    const cf_finding_type *ft = cf_finding_type_lookup(type);
    const char *el = ft && ft->kind == CF_FINDING_FAILURE ? "flakyFailure" : "flakyError";
    cf_buf_printf(b, "      <%s", el);
    put_attr(b, "type", ft ? type : "rerun");
    put_attr(b, "message", note);
    cf_buf_printf(b, ">passed on attempt %d; the first attempt found: ", c->attempts);
    put_redacted(b, note, 0);
    cf_buf_printf(b, "</%s>\n", el);
    free(type);
}

/* A known deviation: one <skipped> naming the reasons, the findings as its
 * text (so a CI view still shows what the server did). */
static void put_known(cf_buf *b, const cf_case_result *c)
{
    cf_buf reasons = {0};
    for (size_t i = 0; i < c->nfindings; i++) {
        const char *r = c->findings[i].known;
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = !strcmp(c->findings[k].known, r);
        if (!seen)
            cf_buf_printf(&reasons, "%s%s", reasons.len ? "; " : "known deviation: ", r);
    }
    cf_buf_puts(b, "      <skipped");
    put_attr(b, "message", reasons.data ? reasons.data : "known deviation");
    cf_buf_puts(b, ">");
    for (size_t i = 0; i < c->nfindings; i++) {
        const cf_finding *f = &c->findings[i];
        cf_buf_printf(b, "%s%s ", i ? "\n" : "", f->kind == CF_FINDING_ERROR ? "error" : "failure");
        put_redacted(b, f->type, 0);
        cf_buf_puts(b, ": ");
        put_redacted(b, f->message, 0);
        if (f->known_at) {
            cf_buf_puts(b, " (known: ");
            put_redacted(b, f->known_at, 0);
            cf_buf_puts(b, ")");
        }
    }
    cf_buf_puts(b, "</skipped>\n");
    cf_buf_free(&reasons);
}

/* file: the suite file for GitLab's file= (NULL: not written, as the
 * Jenkins schema has no such attribute on <testcase>). */
static void put_case(cf_buf *b, const char *suite, const char *file, const cf_case_result *c)
{
    cf_buf_puts(b, "    <testcase");
    put_attr(b, "classname", suite ? suite : "");
    put_attr(b, "name", c->id ? c->id : "");
    put_time(b, "time", c->seconds);
    put_attr(b, "file", file);

    cf_outcome o = cf_case_outcome(c);
    /* A FAIL or ERROR outcome without any finding (only possible in a struct
     * breaking the rule) still gets one element of its kind. */
    int synth = (o == CF_OUTCOME_FAIL || o == CF_OUTCOME_ERROR) && !c->nfindings;
    int skipped = o == CF_OUTCOME_SKIP;
    int known = o == CF_OUTCOME_KNOWN;
    int transcript =
        (o == CF_OUTCOME_FAIL || o == CF_OUTCOME_ERROR || o == CF_OUTCOME_KNOWN) && c->transcript;
    if (!c->nfindings && !synth && !skipped && !transcript && !c->nwarnings && !c->flaky) {
        cf_buf_puts(b, "/>\n");
        return;
    }
    cf_buf_puts(b, ">\n");
    if (known)
        put_known(b, c);
    if (c->flaky && o == CF_OUTCOME_PASS)
        put_flaky(b, c);
    for (size_t i = 0; !known && i < c->nfindings; i++)
        put_finding(b, &c->findings[i]);
    if (synth && o == CF_OUTCOME_FAIL)
        cf_buf_puts(b, "      <failure type=\"internal\" message=\"failed without a recorded "
                       "finding\">failed without a recorded finding</failure>\n");
    if (synth && o == CF_OUTCOME_ERROR)
        cf_buf_puts(b, "      <error type=\"internal\" message=\"errored without a recorded "
                       "finding\">errored without a recorded finding</error>\n");
    if (skipped) {
        cf_buf_puts(b, "      <skipped");
        put_attr(b, "message", c->skip_reason);
        cf_buf_puts(b, "/>\n");
    }
    if (transcript) {
        cf_buf_puts(b, "      <system-out>");
        put_redacted(b, c->transcript, 0);
        cf_buf_puts(b, "</system-out>\n");
    }
    if (c->nwarnings) {
        /* Checks not applied as written (result.h): one "warning:" line each. */
        cf_buf_puts(b, "      <system-err>");
        for (size_t i = 0; i < c->nwarnings; i++) {
            cf_buf_puts(b, "warning: ");
            put_redacted(b, c->warnings[i], 0);
            cf_buf_puts(b, "\n");
        }
        cf_buf_puts(b, "</system-err>\n");
    }
    cf_buf_puts(b, "    </testcase>\n");
}

/* The JUnit reporter: a spooled report plus the run-level properties
 * every <testsuite> carries: the run's metadata (report/runprops.h) and the
 * coverage figures. */
typedef struct junit {
    cf_spooled base;
    const cf_coverage *cov;   /* coverage properties from here at the end */
    int testcase_file;        /* file= on <testcase> (cf_junit_opts.flavor) */
    const cf_property *props; /* what <properties> shows: held's, or a cf_report's */
    size_t nprops;
    cf_report held; /* the properties of a run, gathered from begin to end */
    int live;       /* driven by a run (cf_junit_sink), not replaying a cf_report */
} junit;

static void junit_case(cf_spooled *self, cf_buf *b, const cf_suite_info *s, const cf_case_result *c,
                       size_t nth)
{
    (void)nth;
    put_case(b, s->name, ((junit *)self)->testcase_file ? s->file : NULL, c);
}

static void junit_begin(cf_spooled *self, const cf_run_info *info)
{
    junit *j = (junit *)self;
    if (j->live)
        cf_run_properties_begin(&j->held, info);
}

static void junit_head(cf_spooled *self, cf_buf *b, const cf_run_end *run)
{
    junit *j = (junit *)self;
    if (j->live) { /* complete now: every case was seen */
        cf_run_properties_end(&j->held, run);
        if (j->cov)
            cf_coverage_add_properties(j->cov, &j->held);
        j->props = j->held.props;
        j->nprops = j->held.nprops;
    }
    const cf_totals *t = &run->totals;
    cf_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    /* No skipped= here: the Jenkins schema does not allow it on <testsuites>. */
    cf_buf_printf(b, "<testsuites name=\"conform\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"",
                  t->tests, t->failures, t->errors);
    put_time(b, "time", run->seconds);
    cf_buf_puts(b, self->nsuites ? ">\n" : "/>\n");
}

static void junit_suite_head(cf_spooled *self, cf_buf *b, const cf_spooled_suite *s, size_t i)
{
    junit *j = (junit *)self;
    (void)i;
    cf_buf_puts(b, "  <testsuite");
    put_attr(b, "name", s->name ? s->name : "");
    cf_buf_printf(b, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\"",
                  s->totals.tests, s->totals.failures, s->totals.errors,
                  s->totals.skipped + s->totals.known);
    put_time(b, "time", s->seconds);
    put_attr(b, "timestamp", self->info.timestamp);
    put_attr(b, "hostname", self->info.hostname);
    put_attr(b, "file", s->file);
    if (!s->ncases && !j->nprops) {
        cf_buf_puts(b, "/>\n");
        return;
    }
    cf_buf_puts(b, ">\n");
    if (j->nprops) {
        /* Run-level properties in every testsuite: the Jenkins schema has no
         * <properties> on <testsuites>, and a merged report keeps them. */
        cf_buf_puts(b, "    <properties>\n");
        for (size_t k = 0; k < j->nprops; k++) {
            cf_buf_puts(b, "      <property");
            put_attr(b, "name", j->props[k].name);
            put_attr(b, "value", j->props[k].value);
            cf_buf_puts(b, "/>\n");
        }
        cf_buf_puts(b, "    </properties>\n");
    }
}

static void junit_suite_tail(cf_spooled *self, cf_buf *b, const cf_spooled_suite *s, size_t i)
{
    (void)i;
    if (s->ncases || ((junit *)self)->nprops)
        cf_buf_puts(b, "  </testsuite>\n");
}

static void junit_tail(cf_spooled *self, cf_buf *b, const cf_run_end *run)
{
    (void)run;
    if (self->nsuites)
        cf_buf_puts(b, "</testsuites>\n");
}

static void junit_free(cf_spooled *self)
{
    cf_report_clear_properties(&((junit *)self)->held);
}

static junit *junit_new(const char *path, FILE *stream)
{
    junit *j = cf_xcalloc(1, sizeof *j);
    cf_spooled *s = &j->base;
    s->put_case = junit_case;
    s->put_head = junit_head;
    s->put_suite_head = junit_suite_head;
    s->put_suite_tail = junit_suite_tail;
    s->put_tail = junit_tail;
    s->free_format = junit_free;
    s->on_begin = junit_begin;
    cf_spooled_init(s, path, stream, "JUnit report", "--junit FILE");
    return j;
}

cf_sink *cf_junit_sink(const char *path, const cf_coverage *cov, const cf_junit_opts *opts)
{
    junit *j = junit_new(path ? path : "", NULL);
    j->cov = cov;
    j->live = 1;
    j->testcase_file = opts && opts->flavor == CF_JUNIT_GITLAB;
    return &j->base.base;
}

static int write_report(junit *j, const cf_report *report, cf_error **err)
{
    j->props = report->props;
    j->nprops = report->nprops;
    cf_sink *k = &j->base.base;
    int rc = cf_sink_replay(report, NULL, &k, 1, err);
    cf_sink_free(k);
    return rc;
}

int cf_junit_write_stream(const cf_report *report, FILE *out, cf_error **err)
{
    if (!report || !out)
        return cf_error_set(err, NULL, 0, 0, NULL,
                            "JUnit report: no report or no stream to write to");
    return write_report(junit_new(NULL, out), report, err);
}

/* The file is opened, replaced or written through as report/output.h says. */
int cf_junit_write(const cf_report *report, const char *path, cf_error **err)
{
    if (!report)
        return cf_error_set(err, NULL, 0, 0, "pass --junit FILE",
                            "JUnit report: no report to write");
    return write_report(junit_new(path, NULL), report, err);
}
