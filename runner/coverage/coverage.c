/*
 * coverage.c - documented operation x status x example, targeted by suites
 * and observed in a run (coverage.h).
 *
 * Rows are built once per spec (deduplicated by cf_spec pointer: the spec
 * cache hands every suite the same object); each row remembers its
 * operation and response so that steps and observations map to rows by
 * pointer comparison, without string matching.
 */
#include "coverage/coverage.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

typedef struct row {
    cf_cov_row pub;
    const cf_operation *op;
    const cf_response *resp;
} row;

struct cf_coverage {
    row *rows;
    size_t nrows, cap;
    const cf_spec **specs;
    size_t nspecs;
    cf_suite *const *suites;
    size_t nsuites;
    size_t undocumented;
    int has_run;
};

static void add_row(cf_coverage *c, const cf_spec *spec, const cf_operation *op,
                    const cf_response *r, const char *example)
{
    c->rows = cf_xgrow(c->rows, &c->cap, c->nrows + 1, sizeof *c->rows);
    row *w = &c->rows[c->nrows++];
    *w = (row){0};
    w->op = op;
    w->resp = r;
    w->pub.spec = cf_spec_path(spec);
    w->pub.operation = cf_operation_label(op);
    w->pub.method = cf_operation_method(op);
    w->pub.path = cf_operation_path(op);
    w->pub.status = cf_response_key(r);
    w->pub.example = example;
}

/* The rows of one response: the status, then each example name once (the
 * same name under two media types is one row). */
static void add_response(cf_coverage *c, const cf_spec *spec, const cf_operation *op,
                         const cf_response *r)
{
    add_row(c, spec, op, r, NULL);
    size_t first = c->nrows;
    for (size_t m = 0; m < cf_response_media_count(r); m++) {
        const cf_media *md = cf_response_media_at(r, m);
        for (size_t e = 0; e < cf_media_example_count(md); e++) {
            const char *name = cf_media_example_name(md, e);
            int seen = 0;
            for (size_t k = first; k < c->nrows && !seen; k++)
                seen = !strcmp(c->rows[k].pub.example, name);
            if (!seen)
                add_row(c, spec, op, r, name);
        }
    }
}

static void add_spec(cf_coverage *c, const cf_spec *spec)
{
    for (size_t i = 0; i < c->nspecs; i++)
        if (c->specs[i] == spec)
            return;
    c->specs = cf_xrealloc(c->specs, (c->nspecs + 1) * sizeof *c->specs);
    c->specs[c->nspecs++] = spec;
    for (size_t i = 0; i < cf_spec_operation_count(spec); i++) {
        const cf_operation *op = cf_spec_operation_at(spec, i);
        for (size_t r = 0; r < cf_operation_response_count(op); r++)
            add_response(c, spec, op, cf_operation_response_at(op, r));
    }
}

/* Does a status pattern select response r of op? An exact code selects the
 * response it falls to; a class every response of the class, or the
 * fallback (default) when the class has none. */
static int pattern_selects(const cf_operation *op, const cf_status_pat *p, const cf_response *r)
{
    if (p->code)
        return cf_operation_response(op, p->code, NULL) == r;
    const char *key = cf_response_key(r);
    int any_in_class = 0;
    for (size_t i = 0; i < cf_operation_response_count(op); i++) {
        const char *k = cf_response_key(cf_operation_response_at(op, i));
        if (k[0] == '0' + p->klass)
            any_in_class = 1;
    }
    if (key[0] == '0' + p->klass)
        return 1;
    return !any_in_class && !strcmp(key, "default");
}

static int step_selects(const cf_step *st, const cf_response *r)
{
    static const cf_status_pat any_2xx = {0, 2};
    if (!st->expect.nstatus)
        return pattern_selects(st->op, &any_2xx, r);
    for (size_t i = 0; i < st->expect.nstatus; i++)
        if (pattern_selects(st->op, &st->expect.status[i], r))
            return 1;
    return 0;
}

static void target_step(cf_coverage *c, const cf_step *st)
{
    if (!st->op)
        return;
    for (size_t i = 0; i < c->nrows; i++) {
        row *w = &c->rows[i];
        if (w->op != st->op || !step_selects(st, w->resp))
            continue;
        if (!w->pub.example || (st->expect.example && !strcmp(st->expect.example, w->pub.example)))
            w->pub.targeted++;
    }
}

static void target_steps(cf_coverage *c, const cf_step *steps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        target_step(c, &steps[i]);
}

cf_coverage *cf_coverage_build(cf_suite *const *suites, size_t n)
{
    cf_coverage *c = cf_xcalloc(1, sizeof *c);
    c->suites = suites;
    c->nsuites = n;
    for (size_t s = 0; s < n; s++)
        for (size_t k = 0; k < suites[s]->nspecs; k++)
            add_spec(c, suites[s]->specs[k]);
    for (size_t s = 0; s < n; s++) {
        const cf_suite *su = suites[s];
        /* Teardown is cleanup (it accepts any status): it targets nothing. */
        target_steps(c, su->setup, su->nsetup);
        for (size_t i = 0; i < su->ncases; i++)
            if (!su->cases[i].skip) /* a skipped case targets nothing (skip_unless may run) */
                target_steps(c, su->cases[i].steps, su->cases[i].nsteps);
    }
    return c;
}

static void observe_one(cf_coverage *c, const cf_step *st, int status, cf_outcome how)
{
    if (!st->op || !status)
        return;
    const cf_response *r = cf_operation_response(st->op, status, NULL);
    if (!r) {
        c->undocumented++;
        return;
    }
    static const cf_status_pat any_2xx = {0, 2};
    int expected = st->expect.nstatus
                       ? cf_status_match(st->expect.status, st->expect.nstatus, status)
                       : cf_status_match(&any_2xx, 1, status);
    for (size_t i = 0; i < c->nrows; i++) {
        row *w = &c->rows[i];
        if (w->op != st->op || w->resp != r)
            continue;
        if (w->pub.example &&
            !(expected && st->expect.example && !strcmp(st->expect.example, w->pub.example)))
            continue;
        w->pub.observed++;
        if (how == CF_OUTCOME_PASS)
            w->pub.passed++;
        else if (how == CF_OUTCOME_FAIL)
            w->pub.failed++;
        else if (how == CF_OUTCOME_ERROR)
            w->pub.errored++;
    }
}

static int is_teardown(const cf_coverage *c, const cf_step *st)
{
    for (size_t s = 0; s < c->nsuites; s++) {
        const cf_suite *su = c->suites[s];
        if (su->nteardown && st >= su->teardown && st < su->teardown + su->nteardown)
            return 1;
    }
    return 0;
}

void cf_coverage_observe_case(cf_coverage *c, const cf_case_result *cr)
{
    c->has_run = 1;
    cf_outcome how = cf_case_outcome(cr);
    for (size_t k = 0; k < cr->nobserved; k++)
        if (!is_teardown(c, cr->observed[k].step))
            observe_one(c, cr->observed[k].step, cr->observed[k].status, how);
}

void cf_coverage_observe(cf_coverage *c, const cf_report *report)
{
    c->has_run = 1;
    for (size_t s = 0; s < report->nsuites; s++)
        for (size_t i = 0; i < report->suites[s].ncases; i++)
            cf_coverage_observe_case(c, &report->suites[s].cases[i]);
}

void cf_coverage_free(cf_coverage *c)
{
    if (!c)
        return;
    free(c->rows);
    free(c->specs);
    free(c);
}

size_t cf_coverage_count(const cf_coverage *c)
{
    return c->nrows;
}

const cf_cov_row *cf_coverage_row(const cf_coverage *c, size_t i)
{
    return i < c->nrows ? &c->rows[i].pub : NULL;
}

cf_cov_totals cf_coverage_totals(const cf_coverage *c)
{
    cf_cov_totals t = {0};
    t.rows = c->nrows;
    t.undocumented = c->undocumented;
    t.has_run = c->has_run;
    const cf_operation *op = NULL;
    int op_t = 0, op_o = 0;
    for (size_t i = 0; i <= c->nrows; i++) {
        const row *w = i < c->nrows ? &c->rows[i] : NULL;
        if (!w || w->op != op) {
            if (op) {
                t.operations++;
                t.ops_targeted += op_t;
                t.ops_observed += op_o;
            }
            if (!w)
                break;
            op = w->op;
            op_t = op_o = 0;
        }
        if (w->pub.targeted) {
            t.targeted++;
            op_t = 1;
        }
        if (w->pub.observed) {
            t.observed++;
            op_o = 1;
        }
    }
    t.pct_targeted = t.rows ? 100.0 * (double)t.targeted / (double)t.rows : 100.0;
    t.pct_observed = t.rows ? 100.0 * (double)t.observed / (double)t.rows : 100.0;
    return t;
}

void cf_coverage_summary(const cf_coverage *c, FILE *out)
{
    cf_cov_totals t = cf_coverage_totals(c);
    fprintf(out, "coverage: %zu/%zu responses and examples targeted (%.1f%%), %zu/%zu operations",
            t.targeted, t.rows, t.pct_targeted, t.ops_targeted, t.operations);
    if (t.has_run)
        fprintf(out, "; observed %zu/%zu (%.1f%%), %zu undocumented status%s", t.observed, t.rows,
                t.pct_observed, t.undocumented, t.undocumented == 1 ? "" : "es");
}

void cf_coverage_print(const cf_coverage *c, FILE *out)
{
    const char *spec = NULL;
    for (size_t i = 0; i < c->nrows; i++) {
        const cf_cov_row *r = &c->rows[i].pub;
        if (!spec || strcmp(spec, r->spec) != 0) {
            spec = r->spec;
            fprintf(out, "%s\n  %-44s %-8s %-22s %8s", spec, "operation", "status", "example",
                    "targeted");
            if (c->has_run)
                fprintf(out, " %8s %6s %6s %7s", "observed", "passed", "failed", "errored");
            fputc('\n', out);
        }
        char ex[64];
        snprintf(ex, sizeof ex, "%s", r->example ? r->example : "-");
        fprintf(out, "  %-44s %-8s %-22s %8zu", r->operation, r->status, ex, r->targeted);
        if (c->has_run)
            fprintf(out, " %8zu %6zu %6zu %7zu", r->observed, r->passed, r->failed, r->errored);
        fputs(!r->targeted ? "  <- not targeted\n" : "\n", out);
    }
    cf_coverage_summary(c, out);
    fputc('\n', out);
}

void cf_coverage_add_properties(const cf_coverage *c, cf_report *report)
{
    cf_cov_totals t = cf_coverage_totals(c);
    char v[64];
    snprintf(v, sizeof v, "%.1f", t.pct_targeted);
    cf_report_add_property(report, "coverage.targeted.percent", v);
    snprintf(v, sizeof v, "%zu/%zu", t.targeted, t.rows);
    cf_report_add_property(report, "coverage.targeted", v);
    if (t.has_run) {
        snprintf(v, sizeof v, "%.1f", t.pct_observed);
        cf_report_add_property(report, "coverage.observed.percent", v);
        snprintf(v, sizeof v, "%zu/%zu", t.observed, t.rows);
        cf_report_add_property(report, "coverage.observed", v);
        snprintf(v, sizeof v, "%zu", t.undocumented);
        cf_report_add_property(report, "coverage.undocumented", v);
    }
    for (size_t i = 0; i < c->nrows; i++) {
        const cf_cov_row *r = &c->rows[i].pub;
        char name[48];
        snprintf(name, sizeof name, "coverage.row.%zu", i + 1);
        char *val = cf_asprintf("%s %s %s%s%s: targeted=%zu observed=%zu passed=%zu failed=%zu "
                                "errored=%zu",
                                r->spec, r->operation, r->status, r->example ? " " : "",
                                r->example ? r->example : "", r->targeted, r->observed, r->passed,
                                r->failed, r->errored);
        cf_report_add_property(report, name, val);
        free(val);
    }
}
