/*
 * junit.c - conform's own JUnit XML writer (contract in junit.h).
 *
 * The whole document is built in memory first (a report is small: transcripts
 * are capped by the engine), so the stream and the file writers share one
 * renderer and a write failure never leaves half a document behind.
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
#include "base/util.h"
#include "report/output.h"

/* ---------------------------------------------------------------- escaping */

/* Decodes the UTF-8 sequence that starts at p (p[0] >= 0x80). Returns its
 * length (2..4) and stores the code point in *cp when it is well-formed;
 * otherwise returns 0 and stores in *bad the length of its maximal subpart
 * (>= 1), the bytes that one U+FFFD replaces. Never reads past a NUL: a NUL
 * is not a continuation byte, so decoding stops at it. */
static size_t utf8_decode(const unsigned char *p, uint32_t *cp, size_t *bad)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xBF;
    size_t need;
    uint32_t v;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* below: overlong */
        else if (c == 0xED)
            hi = 0x9F; /* above: UTF-16 surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90; /* below: overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above: beyond U+10FFFF */
    } else {
        *bad = 1; /* continuation byte, C0/C1 (always overlong) or F5..FF */
        return 0;
    }
    for (size_t i = 1; i <= need; i++) {
        if (p[i] < lo || p[i] > hi) {
            *bad = i;
            return 0;
        }
        v = (v << 6) | (p[i] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    return need + 1;
}

/* Appends s to b escaped for an attribute value (in_attr) or element text. */
static void put_escaped(cf_buf *b, const char *s, int in_attr)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *plain = p; /* start of bytes not yet copied */
    char tmp[16];
    while (*p) {
        const char *rep = NULL;
        size_t used = 1;
        unsigned char c = *p;
        if (c < 0x80) {
            switch (c) {
            case '&':
                rep = "&amp;";
                break;
            case '<':
                rep = "&lt;";
                break;
            case '>':
                rep = "&gt;";
                break;
            case '"':
                rep = "&quot;";
                break;
            case '\'':
                rep = "&apos;";
                break;
            case '\r':
                rep = "&#13;";
                break;
            case '\t':
                rep = in_attr ? "&#9;" : NULL;
                break;
            case '\n':
                rep = in_attr ? "&#10;" : NULL;
                break;
            default:
                if (c < 0x20) {
                    snprintf(tmp, sizeof tmp, "\\x%02x", c);
                    rep = tmp;
                }
                break;
            }
        } else {
            uint32_t cp = 0;
            size_t bad = 0, n = utf8_decode(p, &cp, &bad);
            if (n == 0) {
                rep = "\xEF\xBF\xBD"; /* U+FFFD */
                used = bad;
            } else {
                used = n;
                if (cp == 0xFFFE || cp == 0xFFFF) {
                    snprintf(tmp, sizeof tmp, "\\u%04X", (unsigned)cp);
                    rep = tmp;
                }
            }
        }
        if (rep) {
            cf_buf_append(b, (const char *)plain, (size_t)(p - plain));
            cf_buf_puts(b, rep);
            plain = p + used;
        }
        p += used;
    }
    cf_buf_append(b, (const char *)plain, (size_t)(p - plain));
}

/* Appends s, redacted and escaped. NULL appends nothing. */
static void put_redacted(cf_buf *b, const char *s, int in_attr)
{
    if (!s)
        return;
    char *r = cf_secrets_redact(s);
    if (!r) {
        b->oom = 1;
        return;
    }
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
        ms = (unsigned long long)llround((seconds < 1e15 ? seconds : 1e15) * 1000.0);
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
    if (f->step > 0) {
        int ends_nl = f->detail && *f->detail && f->detail[strlen(f->detail) - 1] == '\n';
        cf_buf_printf(b, "%s(step %d)", ends_nl ? "" : "\n", f->step);
    }
    cf_buf_printf(b, "</%s>\n", el);
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

static void put_case(cf_buf *b, const char *suite, const cf_case_result *c)
{
    cf_buf_puts(b, "    <testcase");
    put_attr(b, "classname", suite ? suite : "");
    put_attr(b, "name", c->id ? c->id : "");
    put_time(b, "time", c->seconds);

    cf_outcome o = cf_case_outcome(c);
    /* A FAIL or ERROR outcome without any finding (only possible in a struct
     * breaking the rule) still gets one element of its kind. */
    int synth = (o == CF_OUTCOME_FAIL || o == CF_OUTCOME_ERROR) && !c->nfindings;
    int skipped = o == CF_OUTCOME_SKIP;
    int known = o == CF_OUTCOME_KNOWN;
    int transcript =
        (o == CF_OUTCOME_FAIL || o == CF_OUTCOME_ERROR || o == CF_OUTCOME_KNOWN) && c->transcript;
    if (!c->nfindings && !synth && !skipped && !transcript && !c->nwarnings) {
        cf_buf_puts(b, "/>\n");
        return;
    }
    cf_buf_puts(b, ">\n");
    if (known)
        put_known(b, c);
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

/* Where rendered text goes: the buffer is handed to flush whenever it holds
 * more than FLUSH_AT bytes, so memory stays flat however many cases a report
 * has. flush returns 0, or -1 with errno set (the first failure sticks). */
enum { FLUSH_AT = 64 * 1024 };
typedef struct sink {
    int (*flush)(void *ctx, const char *data, size_t len);
    void *ctx;
    int failed; /* errno of the first failed flush, 0 if none */
} sink;

static void sink_flush(cf_buf *b, sink *k, size_t at)
{
    if (!k || b->oom || b->len < at)
        return;
    if (!k->failed && k->flush(k->ctx, b->data, b->len) < 0)
        k->failed = errno ? errno : EIO;
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static void put_suite(cf_buf *b, const cf_report *r, const cf_suite_result *s, sink *k)
{
    cf_totals t = cf_suite_totals(s);
    cf_buf_puts(b, "  <testsuite");
    put_attr(b, "name", s->name ? s->name : "");
    cf_buf_printf(b, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\"", t.tests,
                  t.failures, t.errors, t.skipped + t.known);
    put_time(b, "time", s->seconds);
    put_attr(b, "timestamp", r->timestamp);
    put_attr(b, "hostname", r->hostname);
    put_attr(b, "file", s->file);
    if (!s->ncases && !r->nprops) {
        cf_buf_puts(b, "/>\n");
        return;
    }
    cf_buf_puts(b, ">\n");
    if (r->nprops) {
        /* Report-level properties (coverage figures) in every testsuite: the
         * Jenkins schema has no <properties> on <testsuites>. */
        cf_buf_puts(b, "    <properties>\n");
        for (size_t i = 0; i < r->nprops; i++) {
            cf_buf_puts(b, "      <property");
            put_attr(b, "name", r->props[i].name);
            put_attr(b, "value", r->props[i].value);
            cf_buf_puts(b, "/>\n");
        }
        cf_buf_puts(b, "    </properties>\n");
    }
    for (size_t i = 0; i < s->ncases; i++) {
        put_case(b, s->name, &s->cases[i]);
        sink_flush(b, k, FLUSH_AT);
    }
    cf_buf_puts(b, "  </testsuite>\n");
}

/* Renders the document into b, handing full chunks to k (if not NULL) as it
 * goes; the caller flushes the rest. Returns 0, or -1 when memory ran out. */
static int render(cf_buf *b, const cf_report *r, sink *k)
{
    cf_totals t = {0};
    for (size_t i = 0; i < r->nsuites; i++) {
        cf_totals st = cf_suite_totals(&r->suites[i]);
        t.tests += st.tests;
        t.failures += st.failures;
        t.errors += st.errors;
    }
    cf_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    /* No skipped= here: the Jenkins schema does not allow it on <testsuites>. */
    cf_buf_printf(b, "<testsuites name=\"conform\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"",
                  t.tests, t.failures, t.errors);
    put_time(b, "time", r->seconds);
    if (!r->nsuites) {
        cf_buf_puts(b, "/>\n");
    } else {
        cf_buf_puts(b, ">\n");
        for (size_t i = 0; i < r->nsuites; i++)
            put_suite(b, r, &r->suites[i], k);
        cf_buf_puts(b, "</testsuites>\n");
    }
    return b->oom ? -1 : 0;
}

/* ---------------------------------------------------------------- writing */

static const char *hint_for(int e)
{
    switch (e) {
    case EACCES:
    case EPERM:
    case EROFS:
        return "check that the directory is writable, or choose another path with --junit FILE";
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
        return "free disk space (or raise the quota or file size limit) and run again";
    case ENOTDIR:
    case EEXIST:
        return "a component of the path is a file, not a directory; choose another path with "
               "--junit FILE";
    case EISDIR:
        return "the path names a directory; give a file name such as reports/junit.xml";
    default:
        return "choose another path with --junit FILE";
    }
}

static int stream_flush(void *ctx, const char *data, size_t len)
{
    return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

int cf_junit_write_stream(const cf_report *report, FILE *out, cf_error **err)
{
    cf_buf b = {0};
    int rc = -1;
    if (!report || !out) {
        cf_error_set(err, NULL, 0, 0, NULL, "JUnit report: no report or no stream to write to");
        goto done;
    }
    sink k = {stream_flush, out, 0};
    if (render(&b, report, &k) < 0) {
        cf_error_set(err, NULL, 0, 0, NULL, "out of memory while building the JUnit report");
        goto done;
    }
    sink_flush(&b, &k, 0);
    if (k.failed || fflush(out) != 0) {
        if (k.failed)
            errno = k.failed;
        int e = errno;
        cf_error_set(err, NULL, 0, 0, hint_for(e), "cannot write the JUnit report: %s",
                     strerror(e));
        goto done;
    }
    rc = 0;
done:
    cf_buf_free(&b);
    return rc;
}

static int output_flush(void *ctx, const char *data, size_t len)
{
    return cf_output_write(ctx, data, len, NULL);
}

/* The file is opened, replaced or written through as report/output.h says. */
int cf_junit_write(const cf_report *report, const char *path, cf_error **err)
{
    if (!report) {
        cf_error_set(err, NULL, 0, 0, "pass --junit FILE", "JUnit report: no report to write");
        return -1;
    }
    cf_output *o = NULL;
    if (cf_output_open(&o, path, "JUnit report", "--junit FILE", err) < 0)
        return -1;
    cf_buf b = {0};
    /* Rendered straight into the output, chunk by chunk: a failure anywhere
     * leaves a previous regular-file report untouched. */
    sink k = {output_flush, o, 0};
    if (render(&b, report, &k) < 0) {
        cf_buf_free(&b);
        cf_output_abort(o);
        cf_error_set(err, path, 0, 0, NULL, "out of memory while building the JUnit report");
        return -1;
    }
    sink_flush(&b, &k, 0);
    cf_buf_free(&b);
    return cf_output_close(o, err); /* reports the first write error, if any */
}
