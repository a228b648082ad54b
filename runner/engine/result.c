#include "engine/result.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/secrets.h"
#include "base/util.h"

/* BEGIN finding types (tests/style/finding-types.sh reads this table) */
static const cf_finding_type types[] = {
    {"status", CF_FINDING_FAILURE, "the status is not the one expected"},
    {"header", CF_FINDING_FAILURE, "a header is missing, present or has another value"},
    {"body", CF_FINDING_FAILURE, "the body does not equal, include or have what is expected"},
    {"time", CF_FINDING_FAILURE, "the response took longer than the step's budget"},
    {"documented-status", CF_FINDING_FAILURE, "the status is not documented for the operation"},
    {"content-type", CF_FINDING_FAILURE, "the media type is not a documented one"},
    {"schema", CF_FINDING_FAILURE, "the body does not validate against the documented schema"},
    {"example", CF_FINDING_FAILURE, "the body does not match the named documented example"},
    {"version", CF_FINDING_ERROR, "the deployment's version could not be read or compared"},
    {"ledger-fixed", CF_FINDING_FAILURE, "a known-deviation entry's case now passes"},
    {"ledger-expired", CF_FINDING_FAILURE, "a known-deviation entry is past its expiry date"},
    {"known", CF_FINDING_FAILURE, "a finding matched by a known-deviation entry"},
    {"connect", CF_FINDING_ERROR, "no connection: refused, unresolved host or proxy"},
    {"connection", CF_FINDING_ERROR, "the connection broke after the request was sent"},
    {"timeout", CF_FINDING_ERROR, "no complete response within the timeout"},
    {"tls", CF_FINDING_ERROR, "the TLS handshake or the certificate check failed"},
    {"http", CF_FINDING_ERROR, "the response is not valid HTTP"},
    {"body-too-large", CF_FINDING_ERROR, "the body exceeds --max-body"},
    {"header-too-large", CF_FINDING_ERROR, "a header line exceeds the header size limit"},
    {"invalid-json", CF_FINDING_ERROR, "the body is not JSON where JSON is required"},
    {"capture", CF_FINDING_ERROR, "a value to capture is missing from the response"},
    {"unsafe-value", CF_FINDING_ERROR, "a value holds CR, LF or NUL where it would be sent"},
    {"rate-limited", CF_FINDING_ERROR, "429 answers outlasted the --max-wait budget"},
    {"pattern", CF_FINDING_ERROR, "a pattern could not be checked (a PCRE2 limit was hit)"},
    {"setup", CF_FINDING_ERROR, "the suite's setup failed, so the case could not run"},
    {"internal", CF_FINDING_ERROR, "conform could not carry out the check"},
};
/* END finding types */

const cf_finding_type *cf_finding_types(size_t *n)
{
    *n = sizeof types / sizeof types[0];
    return types;
}

const cf_finding_type *cf_finding_type_lookup(const char *name)
{
    for (size_t i = 0; name && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(types[i].name, name) == 0)
            return &types[i];
    return NULL;
}

cf_outcome cf_case_outcome(const cf_case_result *c)
{
    cf_outcome o = c->outcome == CF_OUTCOME_KNOWN ? CF_OUTCOME_FAIL : c->outcome;
    size_t known = 0;
    for (size_t i = 0; i < c->nfindings; i++) {
        if (c->findings[i].known) {
            known++;
            continue;
        }
        if (c->findings[i].kind == CF_FINDING_ERROR)
            return CF_OUTCOME_ERROR;
        o = CF_OUTCOME_FAIL;
    }
    /* Known only when there is something known and nothing else: a KNOWN
     * outcome without findings would hide a result under a label. */
    if (known && known == c->nfindings)
        return CF_OUTCOME_KNOWN;
    return o;
}

const char *cf_outcome_name(cf_outcome o)
{
    switch (o) {
    case CF_OUTCOME_PASS:
        return "passed";
    case CF_OUTCOME_FAIL:
        return "failed";
    case CF_OUTCOME_ERROR:
        return "errored";
    case CF_OUTCOME_SKIP:
        return "skipped";
    case CF_OUTCOME_KNOWN:
        return "known";
    }
    return "unknown";
}

void cf_totals_add(cf_totals *t, const cf_case_result *c)
{
    t->tests++;
    switch (cf_case_outcome(c)) {
    case CF_OUTCOME_FAIL:
        t->failures++;
        break;
    case CF_OUTCOME_ERROR:
        t->errors++;
        break;
    case CF_OUTCOME_SKIP:
        t->skipped++;
        break;
    case CF_OUTCOME_KNOWN:
        t->known++;
        break;
    case CF_OUTCOME_PASS:
        t->flaky += c->flaky != 0;
        break;
    }
}

cf_totals cf_suite_totals(const cf_suite_result *s)
{
    cf_totals t = {0};
    for (size_t i = 0; i < s->ncases; i++)
        cf_totals_add(&t, &s->cases[i]);
    return t;
}

cf_totals cf_report_totals(const cf_report *r)
{
    cf_totals t = {0};
    for (size_t i = 0; i < r->nsuites; i++) {
        cf_totals s = cf_suite_totals(&r->suites[i]);
        t.tests += s.tests;
        t.failures += s.failures;
        t.errors += s.errors;
        t.skipped += s.skipped;
        t.known += s.known;
        t.flaky += s.flaky;
    }
    return t;
}

void cf_case_add_finding(cf_case_result *c, cf_finding_kind kind, int step, const char *type,
                         const char *detail, const char *fmt, ...)
{
    c->findings = cf_xrealloc(c->findings, (c->nfindings + 1) * sizeof *c->findings);
    va_list ap;
    va_start(ap, fmt);
    char *msg = cf_vasprintf(fmt, ap);
    va_end(ap);
    /* Findings quote what servers sent; redact before anything can print them. */
    cf_finding *f = &c->findings[c->nfindings++];
    *f = (cf_finding){0};
    f->kind = kind;
    f->step = step;
    f->type = cf_strdup(type);
    f->message = cf_secrets_redact(msg);
    f->detail = detail ? cf_secrets_redact(detail) : NULL;
    free(msg);
    if (kind == CF_FINDING_ERROR)
        c->outcome = CF_OUTCOME_ERROR;
    else if (c->outcome != CF_OUTCOME_ERROR)
        c->outcome = CF_OUTCOME_FAIL;
}

void cf_case_add_warning(cf_case_result *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = cf_vasprintf(fmt, ap);
    va_end(ap);
    char *line = cf_secrets_redact(msg);
    free(msg);
    for (size_t i = 0; i < c->nwarnings; i++) {
        if (!strcmp(c->warnings[i], line)) {
            free(line);
            return;
        }
    }
    c->warnings = cf_xrealloc(c->warnings, (c->nwarnings + 1) * sizeof *c->warnings);
    c->warnings[c->nwarnings++] = line;
}

void cf_finding_clear(cf_finding *f)
{
    free(f->type);
    free(f->message);
    free(f->detail);
    free(f->known);
    free(f->known_at);
    free(f->request);
    free(f->body_excerpt);
    *f = (cf_finding){0};
}

void cf_case_result_clear(cf_case_result *c)
{
    for (size_t i = 0; i < c->nwarnings; i++)
        free(c->warnings[i]);
    free(c->warnings);
    for (size_t i = 0; i < c->nfindings; i++)
        cf_finding_clear(&c->findings[i]);
    free(c->findings);
    free(c->flaky_note);
    free(c->id);
    free(c->title);
    free(c->skip_reason);
    free(c->transcript);
    free(c->observed);
    *c = (cf_case_result){0};
}

void cf_suite_add_property(cf_suite_result *s, const char *name, const char *value)
{
    s->properties = cf_xrealloc(s->properties, (s->nproperties + 1) * sizeof *s->properties);
    s->properties[s->nproperties].name = cf_strdup(name);
    s->properties[s->nproperties].value = cf_strdup(value);
    s->nproperties++;
}

void cf_suite_result_clear(cf_suite_result *s)
{
    for (size_t i = 0; i < s->nproperties; i++) {
        free(s->properties[i].name);
        free(s->properties[i].value);
    }
    free(s->properties);
    for (size_t i = 0; i < s->ncases; i++)
        cf_case_result_clear(&s->cases[i]);
    free(s->cases);
    free(s->name);
    free(s->file);
    *s = (cf_suite_result){0};
}

void cf_report_free(cf_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nsuites; i++)
        cf_suite_result_clear(&r->suites[i]);
    free(r->suites);
    free(r->timestamp);
    free(r->hostname);
    cf_report_clear_properties(r);
    free(r);
}

void cf_report_clear_properties(cf_report *r)
{
    for (size_t i = 0; i < r->nprops; i++) {
        free(r->props[i].name);
        free(r->props[i].value);
    }
    free(r->props);
    r->props = NULL;
    r->nprops = 0;
}

void cf_report_add_property(cf_report *r, const char *name, const char *value)
{
    r->props = cf_xrealloc(r->props, (r->nprops + 1) * sizeof *r->props);
    r->props[r->nprops++] = (cf_property){cf_strdup(name), cf_strdup(value)};
}
