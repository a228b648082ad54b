/*
 * lint.c - document and suite defects (lint.h).
 *
 * Documents are read raw (cf_fileset: the same parsers and marks as the
 * loader), walked once per concern; schemas met along the way are compiled
 * once per node. The loader itself (cf_spec_load) runs last, for the parts
 * it disables for reasons the walks do not cover.
 */
#include "lint/lint.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "doc/json.h"
#include "doc/jsonptr.h"
#include "schema/schema.h"
#include "spec/spec.h"
#include "spec/spec_ref.h"
#include "suite/template.h"

extern const char cf_openapi_schema[];
extern const size_t cf_openapi_schema_len;

static const char *const methods[] = {"get",     "put",  "post",  "delete",
                                      "options", "head", "patch", "trace"};

static void add(cf_lint *l, const char *file, cf_mark m, const char *kind, const char *ptr,
                const char *hint, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void add(cf_lint *l, const char *file, cf_mark m, const char *kind, const char *ptr,
                const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = cf_vasprintf(fmt, ap);
    va_end(ap);
    /* A component reached from several operations is reported once. */
    for (size_t i = 0; i < l->count; i++) {
        const cf_lint_finding *g = &l->items[i];
        if (g->line == m.line && g->column == m.column && !strcmp(g->file, file) &&
            !strcmp(g->kind, kind) && !strcmp(g->message, msg)) {
            free(msg);
            return;
        }
    }
    l->items = cf_xrealloc(l->items, (l->count + 1) * sizeof *l->items);
    cf_lint_finding *f = &l->items[l->count++];
    f->message = msg;
    f->file = cf_strdup(file);
    f->line = m.line;
    f->column = m.column;
    f->kind = cf_strdup(kind);
    f->pointer = ptr ? cf_strdup(ptr) : NULL;
    f->hint = hint ? cf_strdup(hint) : NULL;
}

static void add_error(cf_lint *l, const cf_error *e, const char *kind)
{
    cf_mark m = {e->line, e->column};
    add(l, e->file ? e->file : "", m, kind, NULL, e->hint, "%s", e->message);
}

/* ---- against the official schema ---- */

/* "Parameter" from ".../definitions/Parameter/properties/required/type". */
static char *definition_name(const char *loc)
{
    const char *d = loc ? strstr(loc, "/definitions/") : NULL;
    if (!d)
        return cf_strdup("the document");
    d += strlen("/definitions/");
    return cf_strndup(d, strcspn(d, "/"));
}

/* The official schema writes "X or a Reference Object" as oneOf [X,
 * Reference]: a defect inside X then reads as "matches neither", with the
 * Reference branch often judged closest. Lint validates against X alone and
 * drops the violations that land on Reference Objects instead. */
static void prefer_non_reference(cJSON *node)
{
    if (cJSON_IsObject(node)) {
        cJSON *one = cJSON_GetObjectItemCaseSensitive(node, "oneOf");
        if (cJSON_GetArraySize(node) == 1 && cJSON_GetArraySize(one) == 2) {
            cJSON *keep = NULL;
            int has_ref = 0;
            for (cJSON *b = one->child; b; b = b->next) {
                const cJSON *r = cJSON_GetObjectItemCaseSensitive(b, "$ref");
                if (cJSON_IsString(r) && !strcmp(r->valuestring, "#/definitions/Reference"))
                    has_ref = 1;
                else
                    keep = b;
            }
            if (has_ref && keep) {
                cJSON_DetachItemViaPointer(one, keep);
                cJSON_DeleteItemFromObject(node, "oneOf");
                for (cJSON *c = keep->child; c;) {
                    cJSON *next = c->next;
                    cJSON_AddItemToObject(node, c->string, cJSON_DetachItemViaPointer(keep, c));
                    c = next;
                }
                cJSON_Delete(keep);
                return;
            }
        }
    }
    for (cJSON *c = cJSON_IsObject(node) || cJSON_IsArray(node) ? node->child : NULL; c;
         c = c->next)
        prefer_non_reference(c);
}

/* Is the node at ptr a Reference Object, or a member of one? */
static int on_reference(const cJSON *root, const char *ptr)
{
    if (cf_ref_of(cf_jsonptr_get(root, ptr)))
        return 1;
    const char *slash = strrchr(ptr, '/');
    if (!slash)
        return 0;
    char *parent = cf_strndup(ptr, (size_t)(slash - ptr));
    int yes = cf_ref_of(cf_jsonptr_get(root, parent)) != NULL;
    free(parent);
    return yes;
}

/* A oneOf/anyOf summary is left out when a violation below it says more. */
static int summarised(const cf_violations *v, const cf_violation *x)
{
    if (strcmp(x->keyword, "oneOf") != 0 && strcmp(x->keyword, "anyOf") != 0)
        return 0;
    size_t n = strlen(x->instance_ptr);
    for (size_t i = 0; i < v->count; i++)
        if (!strncmp(v->items[i].instance_ptr, x->instance_ptr, n) &&
            v->items[i].instance_ptr[n] == '/')
            return 1;
    return 0;
}

static void lint_schema(cf_lint *l, const cf_doc *doc)
{
    cf_doc *meta = NULL;
    cf_schema *schema = NULL;
    cf_error *e = NULL;
    if (cf_json_parse(&meta, cf_openapi_schema, cf_openapi_schema_len, "openapi-3.0 schema", &e) <
            0 ||
        (prefer_non_reference(meta->root), 0) ||
        cf_schema_compile(&schema, meta, meta->root, "", NULL, &e) < 0) {
        add_error(l, e, "internal");
        cf_error_free(e);
        cf_doc_free(meta);
        return;
    }
    cf_violations v = {0};
    cf_schema_validate(schema, CF_SCHEMA_RESPONSE, doc, doc->root, &v);
    for (size_t i = 0; i < v.count; i++) {
        const cf_violation *x = &v.items[i];
        if (on_reference(doc->root, x->instance_ptr) || summarised(&v, x))
            continue;
        const cJSON *node = cf_jsonptr_get(doc->root, x->instance_ptr);
        int at_key = !strcmp(x->keyword, "additionalProperties");
        cf_mark m =
            node ? (at_key ? cf_doc_key_mark(doc, node) : cf_doc_mark(doc, node)) : (cf_mark){0, 0};
        char *def = definition_name(x->schema_loc);
        add(l, doc->name, m, "schema", *x->instance_ptr ? x->instance_ptr : "", NULL,
            "%s (OpenAPI 3.0 schema: %s, keyword %s)", x->message, def, x->keyword);
        free(def);
    }
    cf_violations_clear(&v);
    cf_schema_free(schema);
    cf_doc_free(meta);
}

/* ---- $refs ---- */

static void lint_refs(cf_lint *l, cf_fileset *fs, const cf_doc *doc, const cJSON *node,
                      const char *ptr, int depth)
{
    if (depth > 256)
        return;
    const cJSON *ref = cf_ref_of(node);
    if (cJSON_IsString(ref)) {
        const cf_doc *td = NULL;
        const cJSON *tn = NULL;
        char *tp = NULL;
        cf_error *e = NULL;
        if (cf_ref_resolve(&td, &tn, &tp, fs, doc, ref->valuestring, ref, &e) < 0) {
            add(l, e->file ? e->file : doc->name, (cf_mark){e->line, e->column}, "ref", ptr,
                e->hint, "%s", e->message);
            cf_error_free(e);
        } else {
            /* A chain of Reference Objects that comes back to itself. */
            const cf_doc *fd = doc;
            const cJSON *fn = node;
            char *fp = cf_strdup(ptr);
            if (cf_ref_follow(&fd, &fn, &fp, fs, "reference", &e) < 0) {
                if (strstr(e->message, "cycle"))
                    add(l, e->file ? e->file : doc->name, (cf_mark){e->line, e->column}, "ref", ptr,
                        e->hint, "%s", e->message);
                cf_error_free(e);
            }
            free(fp);
        }
        free(tp);
        return;
    }
    size_t i = 0;
    for (const cJSON *c = cJSON_IsObject(node) || cJSON_IsArray(node) ? node->child : NULL; c;
         c = c->next, i++) {
        char *p = cJSON_IsObject(node) ? cf_jsonptr_append(ptr, c->string)
                                       : cf_jsonptr_append_index(ptr, i);
        lint_refs(l, fs, doc, c, p, depth + 1);
        free(p);
    }
}

/* ---- operations: path parameters, operationIds, examples ---- */

typedef struct compiled {
    const cJSON *node;
    cf_schema *schema; /* NULL when it does not compile (the loader reports it) */
} compiled;

typedef struct walk {
    cf_lint *l;
    cf_fileset *fs;
    cf_ref_resolver resolver;
    compiled *schemas;
    size_t nschemas;
    const cJSON **ids;
    const cf_doc **id_docs;
    const char **id_labels;
    size_t nids;
} walk;

static const cJSON *follow(walk *w, const cf_doc **doc, const cJSON *node, char **ptr)
{
    cf_error *e = NULL;
    const cJSON *n = node;
    if (cf_ref_follow(doc, &n, ptr, w->fs, "object", &e) < 0) {
        cf_error_free(e);
        return NULL;
    }
    return n;
}

static const cf_schema *schema_for(walk *w, const cf_doc *doc, const cJSON *node, const char *ptr)
{
    char *p = cf_strdup(ptr);
    const cJSON *n = follow(w, &doc, node, &p);
    for (size_t i = 0; n && i < w->nschemas; i++)
        if (w->schemas[i].node == n) {
            free(p);
            return w->schemas[i].schema;
        }
    cf_schema *s = NULL;
    cf_error *e = NULL;
    if (n && cf_schema_compile(&s, doc, n, p, &w->resolver, &e) < 0) {
        cf_error_free(e);
        s = NULL;
    }
    free(p);
    w->schemas = cf_xrealloc(w->schemas, (w->nschemas + 1) * sizeof *w->schemas);
    w->schemas[w->nschemas++] = (compiled){n, s};
    return s;
}

static void check_example(walk *w, const cf_schema *s, cf_schema_dir dir, const cf_doc *doc,
                          const cJSON *value, const char *ptr, const char *what)
{
    cf_violations v = {0};
    if (!s || cf_schema_validate(s, dir, doc, value, &v) <= 0)
        return;
    for (size_t i = 0; i < v.count; i++) {
        const cJSON *at = cf_jsonptr_get(value, v.items[i].instance_ptr);
        char *p = cf_asprintf("%s%s", ptr, v.items[i].instance_ptr);
        /* Notes (schema.h): a pattern that is not checked or not decided. */
        cf_violation_kind k = v.items[i].kind;
        add(w->l, doc->name, cf_doc_mark(doc, at ? at : value), "example", p, NULL,
            "%s %s: %s%s: %s", what,
            k == CF_VIOLATION             ? "does not validate against its schema"
            : k == CF_VIOLATION_UNCHECKED ? "is not fully checked against its schema"
                                          : "could not be checked against its schema",
            *v.items[i].instance_ptr ? "" : "(root)", v.items[i].instance_ptr, v.items[i].message);
        free(p);
    }
    cf_violations_clear(&v);
}

/* A Media Type, Parameter or Header Object: schema with example/examples. */
static void lint_examples_of(walk *w, const cf_doc *doc, const cJSON *obj, const char *ptr,
                             cf_schema_dir dir)
{
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(obj, "schema");
    if (!schema)
        return;
    char *sp = cf_jsonptr_append(ptr, "schema");
    const cf_schema *s = schema_for(w, doc, schema, sp);
    free(sp);
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(obj, "example");
    if (ex) {
        char *p = cf_jsonptr_append(ptr, "example");
        check_example(w, s, dir, doc, ex, p, "the example");
        free(p);
    }
    const cJSON *exs = cJSON_GetObjectItemCaseSensitive(obj, "examples");
    for (const cJSON *c = cJSON_IsObject(exs) ? exs->child : NULL; c; c = c->next) {
        const cf_doc *d = doc;
        char *p = cf_jsonptr_append(ptr, "examples");
        char *pp = cf_jsonptr_append(p, c->string);
        free(p);
        const cJSON *e = follow(w, &d, c, &pp);
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(e, "value");
        if (value) {
            char *vp = cf_jsonptr_append(pp, "value");
            char *what = cf_asprintf("example '%s'", c->string);
            check_example(w, s, dir, d, value, vp, what);
            free(what);
            free(vp);
        }
        free(pp);
    }
}

static void lint_content(walk *w, const cf_doc *doc, const cJSON *content, const char *ptr,
                         cf_schema_dir dir)
{
    for (const cJSON *m = cJSON_IsObject(content) ? content->child : NULL; m; m = m->next) {
        char *p = cf_jsonptr_append(ptr, m->string);
        if (cf_media_type_is_json(m->string))
            lint_examples_of(w, doc, m, p, dir);
        free(p);
    }
}

/* Collects the `in: path` parameter names of a parameters list (refs
 * followed) into names, and lints their examples. */
static void lint_params(walk *w, const cf_doc *doc, const cJSON *list, const char *ptr,
                        const cJSON ***names, size_t *n)
{
    size_t i = 0;
    for (const cJSON *c = cJSON_IsArray(list) ? list->child : NULL; c; c = c->next, i++) {
        const cf_doc *d = doc;
        char *p = cf_jsonptr_append_index(ptr, i);
        const cJSON *pm = follow(w, &d, c, &p);
        const cJSON *in = cJSON_GetObjectItemCaseSensitive(pm, "in");
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(pm, "name");
        if (cJSON_IsString(in) && !strcmp(in->valuestring, "path") && cJSON_IsString(name)) {
            *names = cf_xrealloc(*names, (*n + 1) * sizeof **names);
            (*names)[(*n)++] = name;
        }
        if (pm) {
            lint_examples_of(w, d, pm, p, CF_SCHEMA_REQUEST);
            char *cp = cf_jsonptr_append(p, "content");
            lint_content(w, d, cJSON_GetObjectItemCaseSensitive(pm, "content"), cp,
                         CF_SCHEMA_REQUEST);
            free(cp);
        }
        free(p);
    }
}

static int template_has(const char *path, const char *name)
{
    size_t n = strlen(name);
    for (const char *t = strchr(path, '{'); t; t = strchr(t + 1, '{'))
        if (!strncmp(t + 1, name, n) && t[1 + n] == '}')
            return 1;
    return 0;
}

static void lint_path_params(walk *w, const cf_doc *doc, const cJSON *path_key, const char *label,
                             const cJSON **names, size_t n, const char *ptr)
{
    const char *path = path_key->string;
    for (const char *t = strchr(path, '{'); t; t = strchr(t + 1, '{')) {
        size_t len = strcspn(t + 1, "}");
        int declared = 0;
        for (size_t i = 0; i < n && !declared; i++)
            declared =
                strlen(names[i]->valuestring) == len && !strncmp(names[i]->valuestring, t + 1, len);
        if (!declared)
            add(w->l, doc->name, cf_doc_key_mark(doc, path_key), "path-params", ptr,
                "declare it: {name: ..., in: path, required: true, schema: {type: string}}",
                "%s: the path parameter {%.*s} is not declared", label, (int)len, t + 1);
    }
    for (size_t i = 0; i < n; i++)
        if (!template_has(path, names[i]->valuestring))
            add(w->l, doc->name, cf_doc_mark(doc, names[i]), "path-params", ptr,
                "remove the parameter or add it to the path template",
                "%s: the path parameter '%s' is not in the path %s", label, names[i]->valuestring,
                path);
}

static void lint_operation(walk *w, const cf_doc *doc, const cJSON *path_key, const cJSON *op,
                           const char *ptr, const cJSON **item_names, size_t nitem)
{
    char label[512];
    snprintf(label, sizeof label, "%s %s", op->string, path_key->string);
    for (char *c = label; *c && *c != ' '; c++)
        *c = (char)(*c - 32 * (*c >= 'a' && *c <= 'z'));
    const cJSON **names = cf_xcalloc(nitem + 1, sizeof *names);
    size_t n = nitem;
    if (nitem) /* item_names may be NULL then: memcpy's source must not be */
        memcpy(names, item_names, nitem * sizeof *names);
    char *pp = cf_jsonptr_append(ptr, "parameters");
    lint_params(w, doc, cJSON_GetObjectItemCaseSensitive(op, "parameters"), pp, &names, &n);
    free(pp);
    lint_path_params(w, doc, path_key, label, names, n, ptr);
    free(names);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(op, "operationId");
    if (cJSON_IsString(id)) {
        for (size_t i = 0; i < w->nids; i++)
            if (!strcmp(w->ids[i]->valuestring, id->valuestring)) {
                char *ip = cf_jsonptr_append(ptr, "operationId");
                add(w->l, doc->name, cf_doc_mark(doc, id), "duplicate-id", ip,
                    "operationIds are unique within a document",
                    "%s: operationId '%s' is also used by %s", label, id->valuestring,
                    w->id_labels[i]);
                free(ip);
            }
        w->ids = cf_xrealloc(w->ids, (w->nids + 1) * sizeof *w->ids);
        w->id_labels = cf_xrealloc(w->id_labels, (w->nids + 1) * sizeof *w->id_labels);
        w->id_labels[w->nids] = cf_strdup(label);
        w->ids[w->nids++] = id;
    }
    const cf_doc *bd = doc;
    char *bp = cf_jsonptr_append(ptr, "requestBody");
    const cJSON *body = follow(w, &bd, cJSON_GetObjectItemCaseSensitive(op, "requestBody"), &bp);
    char *cp = cf_jsonptr_append(bp, "content");
    lint_content(w, bd, cJSON_GetObjectItemCaseSensitive(body, "content"), cp, CF_SCHEMA_REQUEST);
    free(cp);
    free(bp);
    const cJSON *resps = cJSON_GetObjectItemCaseSensitive(op, "responses");
    for (const cJSON *r = cJSON_IsObject(resps) ? resps->child : NULL; r; r = r->next) {
        const cf_doc *rd = doc;
        char *rp = cf_jsonptr_append(ptr, "responses");
        char *one = cf_jsonptr_append(rp, r->string);
        free(rp);
        const cJSON *rn = follow(w, &rd, r, &one);
        char *c2 = cf_jsonptr_append(one, "content");
        lint_content(w, rd, cJSON_GetObjectItemCaseSensitive(rn, "content"), c2,
                     CF_SCHEMA_RESPONSE);
        free(c2);
        free(one);
    }
}

static void lint_paths(walk *w, const cf_doc *doc)
{
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(doc->root, "paths");
    for (const cJSON *pk = cJSON_IsObject(paths) ? paths->child : NULL; pk; pk = pk->next) {
        if (!strncmp(pk->string, "x-", 2))
            continue;
        const cf_doc *d = doc;
        char *p = cf_jsonptr_append("/paths", pk->string);
        const cJSON *item = follow(w, &d, pk, &p);
        const cJSON **names = NULL;
        size_t n = 0;
        char *pp = cf_jsonptr_append(p, "parameters");
        lint_params(w, d, cJSON_GetObjectItemCaseSensitive(item, "parameters"), pp, &names, &n);
        free(pp);
        for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
            const cJSON *op = cJSON_GetObjectItemCaseSensitive(item, methods[m]);
            if (!cJSON_IsObject(op) || cf_ref_of(op))
                continue;
            char *op_ptr = cf_jsonptr_append(p, methods[m]);
            lint_operation(w, d, pk, op, op_ptr, names, n);
            free(op_ptr);
        }
        free(names);
        free(p);
    }
}

int cf_lint_spec(cf_lint *out, const char *path, cf_error **err)
{
    cf_fileset *fs = NULL;
    const cf_doc *doc = NULL;
    cf_fileset_new(&fs);
    if (cf_fileset_load(&doc, fs, path, err) < 0) {
        cf_fileset_free(fs);
        return -1;
    }
    lint_schema(out, doc);
    lint_refs(out, fs, doc, doc->root, "", 0);
    walk w = {.l = out, .fs = fs, .resolver = cf_fileset_resolver(fs)};
    lint_paths(&w, doc);
    cf_spec *spec = NULL;
    cf_error *e = NULL;
    if (cf_spec_load(&spec, path, &e) < 0) {
        add_error(out, e, "disabled");
        cf_error_free(e);
    }
    for (size_t i = 0; spec && i < cf_spec_problem_count(spec); i++) {
        const cf_error *pe = cf_spec_problem(spec, i);
        /* Unresolved refs and cycles are the ref walk's findings already. */
        if (strncmp(pe->message, "$ref", 4) != 0 && strncmp(pe->message, "remote $ref", 11) != 0)
            add_error(out, pe, "disabled");
    }
    cf_spec_free(spec);
    for (size_t i = 0; i < w.nschemas; i++)
        cf_schema_free(w.schemas[i].schema);
    free(w.schemas);
    for (size_t i = 0; i < w.nids; i++)
        free((char *)w.id_labels[i]);
    free(w.id_labels);
    free(w.ids);
    cf_fileset_free(fs);
    return 0;
}

/* ---- suites ---- */

static int class_documented(const cf_operation *op, int klass)
{
    for (size_t i = 0; i < cf_operation_response_count(op); i++) {
        const char *k = cf_response_key(cf_operation_response_at(op, i));
        if (k[0] == '0' + klass || !strcmp(k, "default"))
            return 1;
    }
    return 0;
}

static void lint_step_status(cf_lint *l, const cf_suite *su, const cf_step *st)
{
    if (!st->op || st->expect.checks_off[CF_AUTO_DOCUMENTED_STATUS])
        return;
    static const cf_status_pat any_2xx = {0, 2};
    const cf_status_pat *pats = st->expect.nstatus ? st->expect.status : &any_2xx;
    size_t n = st->expect.nstatus ? st->expect.nstatus : 1;
    for (size_t i = 0; i < n; i++) {
        int ok = pats[i].code ? cf_operation_response(st->op, pats[i].code, NULL) != NULL
                              : class_documented(st->op, pats[i].klass);
        if (ok)
            continue;
        char *want = cf_status_describe(&pats[i], 1);
        add(l, su->path, st->mark, "undocumented-status", NULL,
            "expect another status, or turn the check off with a reason: checks_off: "
            "{documented_status: \"...\"}",
            "%s expects %s, which %s does not document (documented: %s)", st->name, want,
            cf_operation_label(st->op), cf_operation_status_list(st->op));
        free(want);
    }
}

static int note_name(void *ctx, const char *name, size_t offset)
{
    (void)offset;
    cJSON *used = ctx;
    if (!cJSON_GetObjectItemCaseSensitive(used, name))
        cJSON_AddTrueToObject(used, name);
    return 0;
}

static void collect_refs(const cJSON *node, cJSON *used)
{
    if (cJSON_IsString(node))
        cf_template_each(node->valuestring, note_name, used);
    for (const cJSON *c = cJSON_IsObject(node) || cJSON_IsArray(node) ? node->child : NULL; c;
         c = c->next)
        collect_refs(c, used);
}

static void lint_unused_vars(cf_lint *l, const cf_suite *su)
{
    const cJSON *vars = cJSON_GetObjectItemCaseSensitive(su->doc->root, "vars");
    if (!cJSON_IsObject(vars))
        return;
    cJSON *used = cJSON_CreateObject();
    for (const cJSON *c = su->doc->root->child; c; c = c->next)
        if (strcmp(c->string, "vars") != 0)
            collect_refs(c, used);
    /* skip_unless names a variable too (its value decides whether the case runs). */
    for (size_t i = 0; i < su->ncases; i++)
        if (su->cases[i].skip_unless &&
            !cJSON_GetObjectItemCaseSensitive(used, su->cases[i].skip_unless))
            cJSON_AddTrueToObject(used, su->cases[i].skip_unless);
    for (const cJSON *v = vars->child; v; v = v->next) {
        if (cJSON_GetObjectItemCaseSensitive(used, v->string))
            continue;
        char *p = cf_jsonptr_append("/vars", v->string);
        add(l, su->path, cf_doc_key_mark(su->doc, v), "unused-variable", p,
            "remove it, or use it as {{NAME}}", "variable '%s' is never used in the suite",
            v->string);
        free(p);
    }
    cJSON_Delete(used);
}

typedef struct checked {
    const cf_operation *op;
    const char *example;
} checked;

static void each_step(cf_suite *const *suites, size_t n,
                      void (*fn)(void *ctx, const cf_suite *, const cf_step *), void *ctx)
{
    for (size_t s = 0; s < n; s++) {
        const cf_suite *su = suites[s];
        for (size_t i = 0; i < su->nsetup; i++)
            fn(ctx, su, &su->setup[i]);
        for (size_t i = 0; i < su->ncases; i++)
            for (size_t k = 0; k < su->cases[i].nsteps; k++)
                fn(ctx, su, &su->cases[i].steps[k]);
        for (size_t i = 0; i < su->nteardown; i++)
            fn(ctx, su, &su->teardown[i]);
    }
}

typedef struct uses {
    checked *items;
    size_t n;
    cf_lint *l;
} uses;

static void note_use(void *ctx, const cf_suite *su, const cf_step *st)
{
    uses *u = ctx;
    lint_step_status(u->l, su, st);
    if (!st->op)
        return;
    u->items = cf_xrealloc(u->items, (u->n + 1) * sizeof *u->items);
    u->items[u->n++] = (checked){st->op, st->expect.example};
}

static int was_checked(const uses *u, const cf_operation *op, const char *name)
{
    for (size_t i = 0; i < u->n; i++)
        if (u->items[i].op == op && u->items[i].example && !strcmp(u->items[i].example, name))
            return 1;
    return 0;
}

static void lint_unchecked_examples(cf_lint *l, const uses *u)
{
    for (size_t i = 0; i < u->n; i++) {
        const cf_operation *op = u->items[i].op;
        int first = 1;
        for (size_t k = 0; k < i && first; k++)
            first = u->items[k].op != op;
        for (size_t r = 0; first && r < cf_operation_response_count(op); r++) {
            const cf_response *resp = cf_operation_response_at(op, r);
            for (size_t m = 0; m < cf_response_media_count(resp); m++) {
                const cf_media *md = cf_response_media_at(resp, m);
                for (size_t e = 0; e < cf_media_example_count(md); e++) {
                    const char *name = cf_media_example_name(md, e);
                    if (was_checked(u, op, name))
                        continue;
                    const cf_doc *d = NULL;
                    const cJSON *v = cf_media_example(md, name, &d);
                    add(l, d ? d->name : "", d ? cf_doc_mark(d, v) : (cf_mark){0, 0},
                        "unchecked-example", NULL, "add a case with expect: {example: NAME}",
                        "example '%s' of %s %s (%s) is never checked by the suites", name,
                        cf_operation_label(op), cf_response_key(resp), cf_media_type(md));
                }
            }
        }
    }
}

void cf_lint_suites(cf_lint *out, cf_suite *const *suites, size_t n)
{
    uses u = {.l = out};
    each_step(suites, n, note_use, &u);
    for (size_t s = 0; s < n; s++)
        lint_unused_vars(out, suites[s]);
    lint_unchecked_examples(out, &u);
    free(u.items);
}

void cf_lint_print(const cf_lint *l, FILE *out)
{
    for (size_t i = 0; i < l->count; i++) {
        const cf_lint_finding *f = &l->items[i];
        if (f->line)
            fprintf(out, "%s:%d:%d: [%s] %s", f->file, f->line, f->column, f->kind, f->message);
        else
            fprintf(out, "%s: [%s] %s", f->file, f->kind, f->message);
        if (f->pointer)
            fprintf(out, " (pointer: %s)", *f->pointer ? f->pointer : "/");
        if (f->hint)
            fprintf(out, " (hint: %s)", f->hint);
        fputc('\n', out);
    }
}

void cf_lint_clear(cf_lint *l)
{
    for (size_t i = 0; i < l->count; i++) {
        cf_lint_finding *f = &l->items[i];
        free(f->file);
        free(f->kind);
        free(f->pointer);
        free(f->message);
        free(f->hint);
    }
    free(l->items);
    *l = (cf_lint){0};
}
