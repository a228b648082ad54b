/*
 * html.c - the HTML report (contract in html.h).
 *
 * Cases are rendered as they arrive (spooled.h); the header (summary and
 * coverage matrix), known only at the end, is assembled in front of them.
 * Passing cases are one line each, so 10,000 cases stay a few megabytes.
 */
#include "report/html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/escape.h"
#include "report/spooled.h"

/* ------------------------------------------------------------- coverage */

typedef struct html {
    cf_spooled base;
    const cf_coverage *cov; /* may be NULL */
} html;

/* Column order: numbers, then ranges ("4XX" after "499"), then "default". */
static int key_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    for (; *x && *x == *y; x++, y++)
        ;
    int cx = *x == 'X' ? '9' + 1 : *x == 'd' ? 127 : *x;
    int cy = *y == 'X' ? '9' + 1 : *y == 'd' ? 127 : *y;
    return cx - cy;
}

/* The status rows (not the example rows) of one operation. */
static const cf_cov_row *cell(const cf_coverage *cov, size_t from, size_t to, const char *status)
{
    for (size_t i = from; i < to; i++) {
        const cf_cov_row *r = cf_coverage_row(cov, i);
        if (!r->example && !strcmp(r->status, status))
            return r;
    }
    return NULL;
}

static void put_cell(cf_buf *b, const cf_cov_row *r)
{
    if (!r) {
        cf_buf_puts(b, "<td class=\"cov-na\"></td>");
        return;
    }
    const char *cls = r->failed || r->errored ? "cov-bad"
                      : r->observed           ? "cov-ok"
                      : r->targeted           ? "cov-miss"
                                              : "cov-none";
    cf_buf_printf(b,
                  "<td class=\"%s\" title=\"%zu expected by steps; reached %zu times: %zu passed, "
                  "%zu failed, %zu errored\">%zu</td>",
                  cls, r->targeted, r->observed, r->passed, r->failed, r->errored, r->observed);
}

/* The matrix operation x documented status, from coverage/coverage.h. */
static void put_coverage(const cf_coverage *cov, cf_buf *b)
{
    cf_buf_puts(b, "<section id=\"coverage\"><h2>Documented responses reached</h2>\n");
    size_t n = cov ? cf_coverage_count(cov) : 0;
    if (!n) {
        cf_buf_puts(b, "<p>No step named a documented operation.</p></section>\n");
        return;
    }
    const char **cols = NULL;
    size_t ncols = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        const cf_cov_row *r = cf_coverage_row(cov, i);
        size_t j = 0;
        while (j < ncols && strcmp(cols[j], r->status))
            j++;
        if (j == ncols) {
            cols = cf_xgrow(cols, &cap, ncols + 1, sizeof *cols);
            cols[ncols++] = r->status;
        }
    }
    qsort(cols, ncols, sizeof *cols, key_cmp);
    cf_buf_puts(b, "<p class=\"legend\">Each cell counts the requests whose answer fell to that "
                   "documented response: <span class=\"cov-ok\">reached, passed</span> "
                   "<span class=\"cov-bad\">reached, failed or errored</span> "
                   "<span class=\"cov-miss\">expected by a step, never reached</span> "
                   "<span class=\"cov-none\">not tested</span></p>\n"
                   "<table class=\"matrix\"><thead><tr><th>operation</th>");
    for (size_t j = 0; j < ncols; j++) {
        cf_buf_puts(b, "<th>");
        cf_put_html(b, cols[j]);
        cf_buf_puts(b, "</th>");
    }
    cf_buf_puts(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < n;) {
        const cf_cov_row *first = cf_coverage_row(cov, i);
        size_t end = i + 1;
        while (end < n && cf_coverage_row(cov, end)->operation == first->operation &&
               !strcmp(cf_coverage_row(cov, end)->spec, first->spec))
            end++;
        cf_buf_puts(b, "<tr><th title=\"");
        cf_put_html(b, first->spec);
        cf_buf_puts(b, ": ");
        cf_put_html(b, first->method);
        cf_buf_puts(b, " ");
        cf_put_html(b, first->path);
        cf_buf_puts(b, "\">");
        cf_put_html(b, first->operation);
        cf_buf_puts(b, "</th>");
        for (size_t j = 0; j < ncols; j++)
            put_cell(b, cell(cov, i, end, cols[j]));
        cf_buf_puts(b, "</tr>\n");
        i = end;
    }
    cf_cov_totals t = cf_coverage_totals(cov);
    cf_buf_printf(b,
                  "</tbody></table>\n<p>%zu of %zu documented responses and examples reached "
                  "(%.1f%%), %zu expected by the suites (%.1f%%); %zu answer%s with a status no "
                  "response documents.</p></section>\n",
                  t.observed, t.rows, t.pct_observed, t.targeted, t.pct_targeted, t.undocumented,
                  t.undocumented == 1 ? "" : "s");
    free(cols);
}

/* ------------------------------------------------------------- cases */

static const char *badge(cf_outcome o)
{
    switch (o) {
    case CF_OUTCOME_PASS:
        return "PASS";
    case CF_OUTCOME_FAIL:
        return "FAIL";
    case CF_OUTCOME_ERROR:
        return "ERROR";
    case CF_OUTCOME_SKIP:
        return "SKIP";
    case CF_OUTCOME_KNOWN:
        return "KNOWN";
    }
    return "?";
}

static void put_ms(cf_buf *b, double seconds)
{
    double ms = isfinite(seconds) && seconds > 0 ? seconds * 1000.0 : 0;
    cf_buf_printf(b, "<span class=\"ms\">%.0f ms</span>", ms);
}

/* A detail, with the JSON Pointer that starts a line ("/msg: missing",
 * "at /a/0: ...") set apart. */
static void put_detail(cf_buf *b, const char *detail)
{
    cf_buf_puts(b, "<pre class=\"detail\">");
    for (const char *p = detail; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = cf_strndup(p, n);
        const char *ptr = line[0] == '/' ? line : !strncmp(line, "at /", 4) ? line + 3 : NULL;
        const char *colon = ptr ? strstr(ptr, ": ") : NULL;
        if (colon) {
            char *pre = cf_strndup(line, (size_t)(ptr - line));
            char *pointer = cf_strndup(ptr, (size_t)(colon - ptr));
            cf_put_html(b, pre);
            cf_buf_puts(b, "<code class=\"ptr\">");
            cf_put_html(b, pointer);
            cf_buf_puts(b, "</code>");
            cf_put_html(b, colon);
            free(pre);
            free(pointer);
        } else {
            cf_put_html(b, line);
        }
        free(line);
        cf_buf_puts(b, "\n");
        p += n + (nl ? 1 : 0);
    }
    cf_buf_puts(b, "</pre>");
}

static void put_findings(cf_buf *b, const cf_case_result *c)
{
    if (!c->nfindings)
        return;
    cf_buf_puts(b, "<ul class=\"findings\">");
    for (size_t i = 0; i < c->nfindings; i++) {
        const cf_finding *f = &c->findings[i];
        const char *kind = f->kind == CF_FINDING_ERROR ? "error" : "failure";
        cf_buf_printf(b, "<li class=\"%s%s\"><b>%s ", kind, f->known ? " known" : "", kind);
        cf_put_html(b, f->type);
        cf_buf_puts(b, "</b>: ");
        cf_put_html(b, f->message);
        if (f->step > 0)
            cf_buf_printf(b, " <span class=\"step\">(step %d)</span>", f->step);
        if (f->known) {
            cf_buf_puts(b, " <span class=\"knowntag\">known deviation: ");
            cf_put_html(b, f->known);
            if (f->known_at) {
                cf_buf_puts(b, " (");
                cf_put_html(b, f->known_at);
                cf_buf_puts(b, ")");
            }
            cf_buf_puts(b, "</span>");
        }
        if (f->detail && *f->detail && strcmp(f->detail, f->message))
            put_detail(b, f->detail);
        cf_buf_puts(b, "</li>");
    }
    cf_buf_puts(b, "</ul>");
}

static void html_case(cf_spooled *self, cf_buf *b, const cf_suite_info *s, const cf_case_result *c,
                      size_t nth)
{
    (void)self;
    (void)nth;
    cf_outcome o = cf_case_outcome(c);
    const char *name = cf_outcome_name(o);
    int bad = o == CF_OUTCOME_FAIL || o == CF_OUTCOME_ERROR || o == CF_OUTCOME_KNOWN;
    int flaky = o == CF_OUTCOME_PASS && c->flaky; /* a pass, marked */
    int body = c->nfindings || c->transcript || c->nwarnings || flaky;
    cf_buf_printf(b,
                  "<%s class=\"case\" data-outcome=\"%s\"%s>%s<span class=\"badge %s\">%s</span> ",
                  body ? "details" : "div", name, body && bad ? " open" : "",
                  body ? "<summary>" : "", flaky ? "flaky" : name, flaky ? "FLAKY" : badge(o));
    cf_buf_puts(b, "<code class=\"id\">");
    cf_put_html(b, c->id ? c->id : "");
    cf_buf_puts(b, "</code>");
    if (c->title) {
        cf_buf_puts(b, " <span class=\"title\">");
        cf_put_html(b, c->title);
        cf_buf_puts(b, "</span>");
    }
    if (o == CF_OUTCOME_SKIP && c->skip_reason) {
        cf_buf_puts(b, " <span class=\"why\">");
        cf_put_html(b, c->skip_reason);
        cf_buf_puts(b, "</span>");
    }
    cf_buf_puts(b, " ");
    put_ms(b, c->seconds);
    if (bad && c->line > 0) {
        cf_buf_puts(b, " <span class=\"loc\">");
        cf_put_html(b, s->file);
        cf_buf_printf(b, ":%d</span>", c->line);
    }
    if (!body) {
        cf_buf_puts(b, "</div>\n");
        return;
    }
    cf_buf_puts(b, "</summary>");
    if (flaky) {
        cf_buf_printf(b,
                      "<p class=\"warning\">flaky: passed on attempt %d; the first attempt "
                      "found: ",
                      c->attempts);
        cf_put_html(b, c->flaky_note ? c->flaky_note : "?");
        cf_buf_puts(b, "</p>");
    }
    for (size_t i = 0; i < c->nwarnings; i++) {
        cf_buf_puts(b, "<p class=\"warning\">warning: ");
        cf_put_html(b, c->warnings[i]);
        cf_buf_puts(b, "</p>");
    }
    put_findings(b, c);
    if (c->transcript) {
        cf_buf_puts(b, "<details class=\"transcript\"><summary>request/response transcript "
                       "(credentials masked)</summary><pre>");
        cf_put_html(b, c->transcript);
        cf_buf_puts(b, "</pre></details>");
    }
    cf_buf_puts(b, "</details>\n");
}

/* ------------------------------------------------------------- document */

static const char css[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 1em 3em;"
    "color:#1d232a;background:#fff}\n"
    "h1{font-size:1.5em;margin:.8em 0 .2em}h2{font-size:1.15em;margin:1.4em 0 .4em}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:.5em 0}"
    "dl.meta dt{color:#5b6470}dl.meta dd{margin:0}\n"
    ".counts{display:flex;flex-wrap:wrap;gap:.5em;padding:0;list-style:none}"
    ".counts li{border-radius:4px;padding:.3em .8em;background:#eef0f2}"
    ".counts b{font-size:1.3em;margin-right:.3em}\n"
    ".badge{display:inline-block;min-width:4.2em;text-align:center;border-radius:3px;"
    "font:bold 11px/1.8 monospace;color:#fff;margin-right:.3em}\n"
    ".passed{background:#1f7a3a}.failed{background:#c62828}.errored{background:#8e24aa}"
    ".skipped{background:#b26a00}.known{background:#00838f}.flaky{background:#6d4c41}\n"
    ".counts li.passed{background:#1f7a3a}.counts li.failed{background:#c62828}"
    ".counts li.errored{background:#8e24aa}.counts li.skipped{background:#b26a00}"
    ".counts li.known{background:#00838f}.counts li.flaky{background:#6d4c41}"
    ".counts li[class]:not([class=\"\"]){color:#fff}\n"
    ".case{padding:.15em .3em;border-bottom:1px solid #eef0f2}"
    "details.case>summary{cursor:pointer}\n"
    ".warning{color:#8a5a00;margin:.2em 0 .2em "
    "1.5em}.title{color:#5b6470}.ms,.loc,.step{color:#8a929b;font-size:.9em}.why{color:#8a5a00}\n"
    ".findings{margin:.3em 0 .3em 1.5em;padding:0}.findings li{margin:.2em 0}"
    ".findings li.failure>b{color:#c62828}.findings li.error>b{color:#8e24aa}"
    ".findings li.known>b{color:#00838f}.knowntag{color:#00838f}\n"
    "pre{background:#f6f8fa;padding:.5em;overflow:auto;white-space:pre-wrap;"
    "word-break:break-all;margin:.3em 0}code.ptr{background:#fff3c4;font-weight:bold}\n"
    "details.transcript{margin-left:1.5em}details.transcript>summary{color:#5b6470;"
    "cursor:pointer}\n"
    "table.matrix{border-collapse:collapse}table.matrix th,table.matrix td{border:1px solid "
    "#d0d5da;padding:.2em .6em;text-align:center}table.matrix tbody th{text-align:left;"
    "font-weight:normal;font-family:monospace}\n"
    ".cov-ok{background:#c8e6c9}.cov-bad{background:#ffcdd2}.cov-miss{background:#ffe0b2}"
    ".cov-none{background:#eceff1;color:#8a929b}"
    ".cov-na{background:#fff}.legend span{padding:.1em .5em;margin-right:.3em}\n"
    "#filters{margin:1em 0;display:flex;gap:.4em;flex-wrap:wrap;align-items:center}"
    "#filters button{border:1px solid #c3c9cf;background:#fff;border-radius:3px;padding:.2em "
    ".7em;cursor:pointer}#filters button[aria-pressed=true]{background:#1d232a;color:#fff}\n"
    /* Off-screen suites are not laid out until scrolled to: 10,000 cases stay fluid. */
    ".suite{content-visibility:auto;contain-intrinsic-size:auto 1200px}"
    ".suite>h2 small{color:#8a929b;font-weight:normal}.suite .sum{color:#5b6470;margin:0 0 "
    ".4em}\n"
    ".hide{display:none}\n";

/* Filtering by outcome and id; without JavaScript every case shows. */
static const char script[] =
    "(function(){var f=document.getElementById('filters');f.hidden=false;"
    "var cases=[].slice.call(document.querySelectorAll('.case')),want='all',q='';"
    "function apply(){cases.forEach(function(c){var id=c.querySelector('.id').textContent;"
    "var ok=(want==='all'||c.dataset.outcome===want)&&(!q||id.indexOf(q)>=0);"
    "c.classList.toggle('hide',!ok);});"
    "[].forEach.call(document.querySelectorAll('.suite'),function(s){"
    "s.classList.toggle('hide',!s.querySelector('.case:not(.hide)'));});}"
    "f.addEventListener('click',function(e){var b=e.target.closest('button');if(!b)return;"
    "want=b.dataset.show;[].forEach.call(f.querySelectorAll('button'),function(x){"
    "x.setAttribute('aria-pressed',x===b);});apply();});"
    "document.getElementById('q').addEventListener('input',function(e){q=e.target.value;"
    "apply();});})();\n";

static void meta(cf_buf *b, const char *dt, const char *dd)
{
    if (!dd)
        return;
    cf_buf_printf(b, "<dt>%s</dt><dd>", dt);
    cf_put_html(b, dd);
    cf_buf_puts(b, "</dd>");
}

static void put_counts(cf_buf *b, const cf_totals *t, const char *idprefix)
{
    size_t passed = t->tests - t->failures - t->errors - t->skipped - t->known;
    const struct {
        cf_outcome o;
        size_t n;
    } rows[] = {{CF_OUTCOME_PASS, passed},
                {CF_OUTCOME_FAIL, t->failures},
                {CF_OUTCOME_ERROR, t->errors},
                {CF_OUTCOME_SKIP, t->skipped},
                {CF_OUTCOME_KNOWN, t->known}};
    int first = 1;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const char *name = cf_outcome_name(rows[i].o);
        if (idprefix)
            cf_buf_printf(b, "<li class=\"%s\"><b id=\"%s%s\">%zu</b>%s</li>",
                          rows[i].n ? name : "", idprefix, name, rows[i].n, name);
        else if (rows[i].n) {
            cf_buf_printf(b, "%s%zu %s", first ? "" : ", ", rows[i].n, name);
            first = 0;
        }
    }
}

static void html_head(cf_spooled *self, cf_buf *b, const cf_run_end *run)
{
    html *h = (html *)self;
    const cf_spooled_info *k = &self->info;
    const cf_totals *t = &run->totals;
    cf_buf_printf(b,
                  "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                  "<title>conform: %zu cases, %zu failed, %zu errored</title>\n<style>%s</style>"
                  "</head>\n<body>\n<header><h1>conform report</h1>\n<dl class=\"meta\">",
                  t->tests, t->failures, t->errors, css);
    meta(b, "conform", k->version);
    meta(b, "started (UTC)", k->timestamp);
    char dur[64];
    snprintf(dur, sizeof dur, "%.2f s%s", isfinite(run->seconds) ? run->seconds : 0.0,
             run->interrupted ? " (interrupted: the rest was not run)" : "");
    meta(b, "duration", dur);
    meta(b, "host", k->hostname);
    for (size_t i = 0; i < k->ntargets; i++) {
        char *v = cf_asprintf("%s: %s", k->targets[i].name, k->targets[i].base_url);
        meta(b, "target", v);
        free(v);
    }
    meta(b, "filter", k->filter);
    cf_buf tags = {0};
    for (size_t i = 0; i < k->ntags; i++)
        cf_buf_printf(&tags, "%s%s", i ? ", " : "", k->tags[i]);
    meta(b, "tags", tags.data);
    cf_buf_free(&tags);
    char jobs[64];
    snprintf(jobs, sizeof jobs, "%d jobs, each case %d time%s", k->jobs, k->repeat,
             k->repeat == 1 ? "" : "s");
    meta(b, "run", jobs);
    char ci[96] = "";
    if (k->shard_n > 0)
        snprintf(ci, sizeof ci, "shard %d of %d", k->shard_k, k->shard_n);
    if (k->rerun > 0)
        snprintf(ci + strlen(ci), sizeof ci - strlen(ci), "%s--rerun %d", *ci ? ", " : "",
                 k->rerun);
    meta(b, "CI", *ci ? ci : NULL);
    char fl[96];
    snprintf(fl, sizeof fl, "%zu passed on a rerun", t->flaky);
    meta(b, "flaky", t->flaky ? fl : NULL);
    snprintf(fl, sizeof fl, "%u (%.1f s)", run->rate_waits, run->rate_wait_seconds);
    meta(b, "rate-limit waits", run->rate_waits ? fl : NULL);
    cf_buf_printf(b, "</dl>\n<ul class=\"counts\"><li><b id=\"count-cases\">%zu</b>cases</li>",
                  t->tests);
    put_counts(b, t, "count-");
    cf_buf_puts(b, "</ul></header>\n");
    put_coverage(h->cov, b);
    cf_buf_puts(b, "<div id=\"filters\" hidden>show <button data-show=\"all\" "
                   "aria-pressed=\"true\">all</button>");
    static const cf_outcome shown[] = {CF_OUTCOME_PASS, CF_OUTCOME_FAIL, CF_OUTCOME_ERROR,
                                       CF_OUTCOME_SKIP, CF_OUTCOME_KNOWN};
    for (size_t i = 0; i < sizeof shown / sizeof *shown; i++)
        cf_buf_printf(b, "<button data-show=\"%s\" aria-pressed=\"false\">%s</button>",
                      cf_outcome_name(shown[i]), cf_outcome_name(shown[i]));
    cf_buf_puts(b, " <input id=\"q\" type=\"search\" placeholder=\"case id contains\"></div>\n"
                   "<main>\n");
}

static void html_suite_head(cf_spooled *self, cf_buf *b, const cf_spooled_suite *s, size_t i)
{
    (void)self;
    cf_buf_printf(b, "<section class=\"suite\" id=\"suite-%zu\"><h2>", i + 1);
    cf_put_html(b, s->name ? s->name : "");
    cf_buf_puts(b, " <small>");
    cf_put_html(b, s->file);
    if (s->target) {
        cf_buf_puts(b, ", target ");
        cf_put_html(b, s->target);
    }
    cf_buf_puts(b, "</small></h2>\n<p class=\"sum\">");
    put_counts(b, &s->totals, NULL);
    cf_buf_printf(b, " (%.2f s)</p>\n", isfinite(s->seconds) ? s->seconds : 0.0);
}

static void html_suite_tail(cf_spooled *self, cf_buf *b, const cf_spooled_suite *s, size_t i)
{
    (void)self;
    (void)s;
    (void)i;
    cf_buf_puts(b, "</section>\n");
}

static void html_tail(cf_spooled *self, cf_buf *b, const cf_run_end *run)
{
    (void)run;
    if (!self->nsuites)
        cf_buf_puts(b, "<p>No case was selected.</p>\n");
    cf_buf_printf(b, "</main>\n<script>%s</script>\n</body></html>\n", script);
}

cf_sink *cf_html_sink(const char *path, FILE *stream, const cf_coverage *cov)
{
    html *h = cf_xcalloc(1, sizeof *h);
    h->cov = cov;
    cf_spooled *s = &h->base;
    s->put_case = html_case;
    s->put_head = html_head;
    s->put_suite_head = html_suite_head;
    s->put_suite_tail = html_suite_tail;
    s->put_tail = html_tail;
    cf_spooled_init(s, path, stream, "HTML report", "--html FILE");
    return &s->base;
}
