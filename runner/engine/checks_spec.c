/*
 * checks_spec.c - the automatic spec checks (checks_spec.h).
 *
 * Decisions, in the order the checks run:
 *   - An undocumented status ends the spec checks: without a documented
 *     response there is no media type, schema or example to compare with.
 *   - A response documenting no content must come with an empty body; a body
 *     there is a content-type failure (HEAD responses carry no body, so their
 *     body is never judged).
 *   - A response documenting content needs a Content-Type that matches one of
 *     its media types. An empty body without Content-Type is reported once
 *     ("no body"), not twice. When the header is missing or the check is off,
 *     the schema check still runs if the response documents exactly one media
 *     type; a Content-Type that names another type (an HTML error page) stops
 *     the schema check: its failure would only repeat the content-type one.
 *   - The schema check applies to JSON media types (application/json, +json);
 *     schemas on other media types are not checked.
 *   - The example check looks the name up in the media type the Content-Type
 *     selects, else in every media type of the response. A body that is not
 *     JSON is said once: by the schema check, or by the example check when
 *     the schema check is off.
 */
#include "engine/checks_spec.h"
#include "spec/examples.h"

#include <stdlib.h>
#include <string.h>

#include "doc/json.h"
#include "base/util.h"

/* The body as JSON: the caller's parse, or ours (owned by *mine). NULL with
 * *why set (static text or owned by *why_owned) when it is not JSON. */
typedef struct body_view {
    const cf_doc *json;
    const char *body;
    size_t len;
    cf_doc *mine;
    char *why;
    int tried;
    int not_json_reported; /* the schema check already said the body is not JSON */
} body_view;

static const cf_doc *body_json(body_view *bv)
{
    if (bv->json || bv->tried)
        return bv->json;
    bv->tried = 1;
    if (bv->len == 0) {
        bv->why = cf_strdup("the body is empty");
        return NULL;
    }
    cf_error *e = NULL;
    if (cf_json_parse(&bv->mine, bv->body, bv->len, "response body", &e) < 0) {
        bv->why = e ? cf_error_format(e) : cf_strdup("parse error");
        cf_error_free(e);
        return NULL;
    }
    bv->json = bv->mine;
    return bv->json;
}

static const char *ptr_display(const char *ptr)
{
    return ptr && *ptr ? ptr : "(root)";
}

/* "'A', 'B'" over the example names of r; NULL when it has none. */
static char *example_names(const cf_response *r)
{
    cf_buf b = {0};
    for (size_t i = 0; r && i < cf_response_media_count(r); i++) {
        const cf_media *m = cf_response_media_at(r, i);
        for (size_t k = 0; k < cf_media_example_count(m); k++)
            cf_buf_printf(&b, "%s'%s'", b.len ? ", " : "", cf_media_example_name(m, k));
    }
    if (!b.len) {
        cf_buf_free(&b);
        return NULL;
    }
    return cf_buf_take(&b);
}

/* The example's value in m if given, else in any media type of r. */
static const cJSON *find_example(const cf_response *r, const cf_media *m, const char *name,
                                 const cf_doc **doc, const cf_media **in)
{
    const cJSON *v = m ? cf_media_example(m, name, doc) : NULL;
    if (v) {
        *in = m;
        return v;
    }
    for (size_t i = 0; r && i < cf_response_media_count(r); i++) {
        const cf_media *c = cf_response_media_at(r, i);
        if ((v = cf_media_example(c, name, doc))) {
            *in = c;
            return v;
        }
    }
    return NULL;
}

/* Adds the "no such example" failure for status: which examples there are,
 * and which statuses do document the name. */
static void example_missing(cf_case_result *res, int step, const cf_operation *op, int status,
                            const cf_response *r, const char *name)
{
    cf_buf b = {0};
    char *elsewhere = cf_operation_statuses_with_example(op, name);
    if (!r) {
        cf_buf_printf(&b, "no example '%s' for status %d, which %s does not document", name, status,
                      cf_operation_label(op));
        if (elsewhere)
            cf_buf_printf(&b, " (the example is documented for %s)", elsewhere);
    } else if (cf_response_lists_example(r, name)) {
        cf_buf_printf(&b,
                      "example '%s' of status %s has no inline value (an externalValue is not "
                      "fetched)",
                      name, cf_response_key(r));
    } else {
        char *names = example_names(r);
        cf_buf_printf(&b, "no example '%s' for status %d (", name, status);
        if (names)
            cf_buf_printf(&b, "examples of %s: %s", cf_response_key(r), names);
        else
            cf_buf_printf(&b, "response %s documents no examples", cf_response_key(r));
        if (elsewhere)
            cf_buf_printf(&b, "; '%s' is documented for %s", name, elsewhere);
        cf_buf_puts(&b, ")");
        free(names);
    }
    free(elsewhere);
    char *msg = cf_buf_take(&b);
    cf_case_add_finding(res, CF_FINDING_FAILURE, step, "example", NULL, "%s", msg);
    free(msg);
}

/* Number of differences a cf_matches diff describes. */
static size_t diff_count(const char *diff)
{
    size_t lines = 0;
    const char *last = diff;
    for (const char *p = diff; *p; p++) {
        if (*p == '\n' && p[1]) {
            lines++;
            last = p + 1;
        }
    }
    lines++;
    unsigned long more;
    if (!strncmp(last, "... ", 4) && sscanf(last, "... %lu more", &more) == 1)
        return lines - 1 + more;
    return lines;
}

static void check_example(cf_case_result *res, int step, const cf_operation *op, int status,
                          const cf_response *r, const cf_media *m, body_view *bv,
                          const cf_spec_check_opts *opts)
{
    const cf_doc *exdoc = NULL;
    const cf_media *in = NULL;
    const cJSON *ex = r ? find_example(r, m, opts->example, &exdoc, &in) : NULL;
    if (!ex) {
        example_missing(res, step, op, status, r, opts->example);
        return;
    }

    const cf_doc *actual_doc = NULL;
    const cJSON *actual = NULL;
    cJSON *text = NULL;
    if (!cf_media_is_json(in) && cJSON_IsString(ex)) {
        /* A text example compares with the body as text. */
        char *copy = cf_strndup(bv->body ? bv->body : "", bv->len);
        text = cJSON_CreateString(copy);
        free(copy);
        actual = text;
    } else {
        actual_doc = body_json(bv);
        if (!actual_doc && bv->not_json_reported)
            return; /* one finding for one cause */
        if (!actual_doc) {
            cf_case_add_finding(res, CF_FINDING_FAILURE, step, "example", NULL,
                                "body is not valid JSON, so it cannot match the example "
                                "'%s' of status %s: %s",
                                opts->example, cf_response_key(r),
                                bv->why ? bv->why : "parse error");
            return;
        }
        actual = actual_doc->root;
    }
    char *diff = NULL;
    if (!cf_matches(&diff, exdoc, ex, actual_doc, actual, opts->match, opts->ignore,
                    opts->nignore)) {
        const char *d = diff ? diff : "";
        size_t first = strcspn(d, "\n");
        size_t n = diff_count(d);
        char more[64] = "";
        if (n > 1)
            snprintf(more, sizeof more, " (and %zu more difference%s)", n - 1, n > 2 ? "s" : "");
        cf_case_add_finding(res, CF_FINDING_FAILURE, step, "example", diff,
                            "body does not match the example '%s' of status %s (match: "
                            "%s): %.*s%s",
                            opts->example, cf_response_key(r), cf_match_name(opts->match),
                            (int)first, d, more);
    }
    free(diff);
    cJSON_Delete(text);
}

static void check_schema(cf_case_result *res, int step, const cf_response *r, const cf_media *m,
                         body_view *bv)
{
    if (!cf_media_is_json(m))
        return;
    const cf_doc *doc = body_json(bv);
    if (!doc) {
        bv->not_json_reported = 1;
        cf_case_add_finding(res, CF_FINDING_FAILURE, step, "schema", NULL,
                            "body is not valid JSON (status %s documents %s): %s",
                            cf_response_key(r), cf_media_type(m),
                            bv->why ? bv->why : "parse error");
        return;
    }
    const cf_schema *schema = cf_media_schema(m);
    if (!schema)
        return;
    cf_violations v = {0};
    cf_schema_validate(schema, CF_SCHEMA_RESPONSE, doc, doc->root, &v);
    /* Violations come first, then notes (schema.h): an undecided keyword is
     * an error (never a pass), an unchecked one a warning of the case. */
    size_t nviol = 0;
    while (nviol < v.count && v.items[nviol].kind == CF_VIOLATION)
        nviol++;
    size_t shown =
        nviol < CF_CHECKS_SPEC_MAX_SCHEMA_FINDINGS ? nviol : CF_CHECKS_SPEC_MAX_SCHEMA_FINDINGS;
    for (size_t i = 0; i < shown; i++) {
        const cf_violation *x = &v.items[i];
        char *detail = cf_asprintf("schema: %s", x->schema_loc ? x->schema_loc : "?");
        cf_case_add_finding(res, CF_FINDING_FAILURE, step, "schema", detail, "%s: %s",
                            ptr_display(x->instance_ptr), x->message ? x->message : "invalid");
        free(detail);
    }
    if (nviol > shown)
        cf_case_add_finding(res, CF_FINDING_FAILURE, step, "schema", NULL,
                            "... and %zu more schema violations", nviol - shown);
    for (size_t i = nviol; i < v.count; i++) {
        const cf_violation *x = &v.items[i];
        if (x->kind == CF_VIOLATION_UNCHECKED) {
            cf_case_add_warning(res, "%s", x->message);
        } else {
            char *detail = cf_asprintf("schema: %s", x->schema_loc ? x->schema_loc : "?");
            cf_case_add_finding(res, CF_FINDING_ERROR, step, "pattern", detail, "%s: %s",
                                ptr_display(x->instance_ptr), x->message);
            free(detail);
        }
    }
    cf_violations_clear(&v);
}

int cf_checks_spec(cf_case_result *res, int step, const cf_operation *op, int status,
                   const char *content_type, const cf_doc *json, const char *body, size_t body_len,
                   const cf_spec_check_opts *opts)
{
    static const cf_spec_check_opts defaults = {.match = CF_MATCH_SUBSET};
    if (!opts)
        opts = &defaults;
    size_t before = res->nfindings;
    body_view bv = {.json = json, .body = body, .len = body_len};
    int head = !strcmp(cf_operation_method(op), "HEAD");
    const char *key = NULL;
    const cf_response *r = cf_operation_response(op, status, &key);

    if (!r) {
        if (!opts->off[CF_AUTO_DOCUMENTED_STATUS])
            cf_case_add_finding(res, CF_FINDING_FAILURE, step, "documented-status", NULL,
                                "status %d is not documented for %s (documented: %s)", status,
                                cf_operation_label(op), cf_operation_status_list(op));
        if (opts->example)
            example_missing(res, step, op, status, NULL, opts->example);
        goto done;
    }

    const cf_media *m = NULL;
    size_t nm = cf_response_media_count(r);
    int ct_on = !opts->off[CF_AUTO_CONTENT_TYPE];
    int body_reported = 0;
    if (nm == 0) {
        if (ct_on && body_len > 0 && !head)
            cf_case_add_finding(res, CF_FINDING_FAILURE, step, "content-type", NULL,
                                "status %s documents no body, got %zu bytes%s%s", key, body_len,
                                content_type ? " of " : "", content_type ? content_type : "");
    } else {
        m = content_type ? cf_response_media_for(r, content_type) : NULL;
        if (!m && ct_on) {
            if (!content_type && body_len == 0 && !head) {
                body_reported = 1;
                cf_case_add_finding(res, CF_FINDING_FAILURE, step, "content-type", NULL,
                                    "no body and no Content-Type; status %s documents a "
                                    "body (documented: %s)",
                                    key, cf_response_media_list(r));
            } else if (!content_type) {
                cf_case_add_finding(res, CF_FINDING_FAILURE, step, "content-type", NULL,
                                    "Content-Type is missing; status %s documents a body "
                                    "(documented: %s)",
                                    key, cf_response_media_list(r));
            } else {
                cf_case_add_finding(res, CF_FINDING_FAILURE, step, "content-type", NULL,
                                    "Content-Type %s does not match a documented media "
                                    "type (documented: %s)",
                                    content_type, cf_response_media_list(r));
            }
        }
        if (!m && nm == 1 && (!content_type || !ct_on) && !body_reported)
            m = cf_response_media_at(r, 0);
    }

    if (m && !head && !opts->off[CF_AUTO_SCHEMA])
        check_schema(res, step, r, m, &bv);

    if (opts->example)
        check_example(res, step, op, status, r, m, &bv, opts);

done:
    cf_doc_free(bv.mine);
    free(bv.why);
    return (int)(res->nfindings - before);
}
