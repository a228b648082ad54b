#include "engine/checks.h"

#include <stdlib.h>
#include <string.h>

#include "doc/compare.h"
#include "doc/json.h"
#include "doc/jsonptr.h"
#include "base/util.h"

static void check_status(cf_case_result *res, int step, const cf_step *st,
                         const cf_http_response *resp)
{
    static const cf_status_pat any_2xx = {0, 2};
    const cf_status_pat *pats = st->expect.nstatus ? st->expect.status : &any_2xx;
    size_t n = st->expect.nstatus ? st->expect.nstatus : 1;
    if (cf_status_match(pats, n, resp->status))
        return;
    char *want = cf_status_describe(pats, n);
    cf_case_add_finding(res, CF_FINDING_FAILURE, step, "status", NULL,
                        "status: expected %s, got %d", want ? want : "?", resp->status);
    free(want);
}

static void check_headers(cf_case_result *res, int step, const cf_step *st,
                          const cf_http_response *resp, cf_template_lookup lookup, void *ctx)
{
    for (size_t i = 0; i < st->expect.nheaders; i++) {
        const cf_header_expect *h = &st->expect.headers[i];
        const char *got = cf_http_header(resp, h->name);
        char *want = h->exact && cf_template_has_refs(h->exact)
                         ? cf_template_expand(h->exact, lookup, ctx, NULL)
                         : NULL;
        if (h->absent) {
            if (got)
                cf_case_add_finding(res, CF_FINDING_FAILURE, step, "header", NULL,
                                    "header %s: expected absent, got \"%s\"", h->name, got);
            continue;
        }
        if (!got) {
            cf_case_add_finding(res, CF_FINDING_FAILURE, step, "header", NULL,
                                "header %s: expected %s%s%s, got no such header", h->name,
                                h->pattern ? "a match for /" : "\"",
                                h->pattern ? h->pattern : (want ? want : h->exact),
                                h->pattern ? "/" : "\"");
            free(want);
            continue;
        }
        if (h->pattern) {
            if (regexec(&h->re, got, 0, NULL, 0) != 0)
                cf_case_add_finding(res, CF_FINDING_FAILURE, step, "header", NULL,
                                    "header %s: expected a match for /%s/, got \"%s\"", h->name,
                                    h->pattern, got);
        } else if (strcmp(got, want ? want : h->exact) != 0) {
            cf_case_add_finding(res, CF_FINDING_FAILURE, step, "header", NULL,
                                "header %s: expected \"%s\", got \"%s\"", h->name,
                                want ? want : h->exact, got);
        }
        free(want);
    }
}

static void check_body(cf_case_result *res, int step, const cf_step *st, const cf_doc *body,
                       const char *body_error, cf_template_lookup lookup, void *ctx)
{
    const cJSON *want[2] = {st->expect.body_equals, st->expect.body_includes};
    static const char *const what[2] = {"equal to", "including"};
    for (int k = 0; k < 2; k++) {
        if (!want[k])
            continue;
        if (!body) {
            cf_case_add_finding(res, CF_FINDING_FAILURE, step, "body", NULL,
                                "body: expected JSON %s the expected value, got %s", what[k],
                                body_error ? body_error : "no JSON body");
            continue;
        }
        char *diff = NULL;
        /* Expanded copies lose the suite doc's number texts; only expected
         * values that hold a {{variable}} are copied. */
        cJSON *expanded = st->expect.body_has_refs[k]
                              ? cf_template_expand_json(want[k], lookup, ctx, NULL)
                              : NULL;
        int matches =
            cf_matches(&diff, expanded ? NULL : st->expect.doc, expanded ? expanded : want[k], body,
                       body->root, k == 0 ? CF_MATCH_EXACT : CF_MATCH_SUBSET, NULL, 0);
        cJSON_Delete(expanded);
        if (!matches) {
            /* The first line of the diff is the headline; the rest is detail. */
            const char *nl = diff ? strchr(diff, '\n') : NULL;
            char *first =
                diff ? (nl ? cf_strndup(diff, (size_t)(nl - diff)) : cf_strdup(diff)) : NULL;
            cf_case_add_finding(res, CF_FINDING_FAILURE, step, "body", diff,
                                "body: not %s the expected value: %s", what[k],
                                first ? first : "differs");
            free(first);
        }
        free(diff);
    }
}

/* Presence only: the member exists, whatever its value (null included). */
static void check_body_has(cf_case_result *res, int step, const cf_step *st, const cf_doc *body,
                           const char *body_error)
{
    for (size_t i = 0; i < st->expect.nbody_has; i++) {
        const char *ptr = st->expect.body_has[i];
        if (!body)
            cf_case_add_finding(res, CF_FINDING_FAILURE, step, "body", NULL,
                                "body: expected a member %s, got %s", ptr,
                                body_error ? body_error : "no JSON body");
        else if (!cf_jsonptr_get(body->root, ptr))
            cf_case_add_finding(res, CF_FINDING_FAILURE, step, "body", NULL, "body: %s: missing",
                                ptr);
    }
}

void cf_checks_expect(cf_case_result *res, int step, const cf_step *st,
                      const cf_http_response *resp, const cf_doc *body, const char *body_error,
                      cf_template_lookup lookup, void *ctx)
{
    check_status(res, step, st, resp);
    check_headers(res, step, st, resp, lookup, ctx);
    check_body(res, step, st, body, body_error, lookup, ctx);
    check_body_has(res, step, st, body, body_error);
    if (st->expect.max_ms > 0 && resp->seconds * 1000.0 > (double)st->expect.max_ms)
        cf_case_add_finding(res, CF_FINDING_FAILURE, step, "time", NULL,
                            "time: expected at most %ld ms, took %.0f ms", st->expect.max_ms,
                            resp->seconds * 1000.0);
}
