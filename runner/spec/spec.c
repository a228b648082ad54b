/*
 * spec.c - OpenAPI 3.0.x documents (spec.h).
 *
 * Loading walks every path item and operation once: Reference Objects are
 * followed (spec_ref.c) for path items, parameters, request bodies,
 * responses, headers and examples; every schema an operation reaches
 * (responses, request bodies, parameters, headers) is compiled once, keyed by
 * its node, so a component schema shared by many operations is compiled once.
 * Anything broken is a located error: nothing is skipped silently. After
 * load the spec is never written again, so it may be read from many threads.
 */
#include "spec/spec.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spec/spec_ref.h"
#include "doc/jsonptr.h"
#include "base/util.h"

const char *const cf_auto_check_names[CF_AUTO_COUNT] = {"documented_status", "content_type",
                                                        "schema"};

typedef struct named_example {
    char *name;
    const cJSON *value; /* NULL when the example has only an externalValue */
    const cf_doc *doc;
} named_example;

struct cf_media {
    char *type;              /* as written */
    char *norm;              /* lower case, parameters and blanks removed: "application/json" */
    const cf_schema *schema; /* borrowed from the spec's schema cache */
    const cJSON *example;    /* the `example` member, or NULL */
    const cf_doc *example_doc;
    named_example *examples;
    size_t nexamples;
};

struct cf_response {
    char *key; /* "200", "4XX", "default" */
    int code;  /* 100..599, or 0 */
    int klass; /* 1..5 for "4XX", or 0; code == klass == 0 is "default" */
    cf_media *media;
    size_t nmedia;
    char *media_list;
};

struct cf_operation {
    const cJSON *node, *item; /* Operation and Path Item Objects, raw */
    const cf_doc *node_doc, *item_doc;
    char *id; /* may be NULL */
    char *method;
    char *path;
    char *label;
    char **req_headers;
    size_t nreq_headers;
    cf_response *responses;
    size_t nresponses;
    char *status_list;
};

/* A part of the document disabled at load (an operation, a media type), with
 * the located error that disabled it. method/path/id set for operations. */
typedef struct disabled {
    char *method, *path, *id;
    cf_error *err;
} disabled;

typedef struct schema_entry {
    const cJSON *node;
    cf_schema *schema;
} schema_entry;

struct cf_spec {
    char *path;
    const cf_doc *root;
    cf_fileset *fs;
    cf_operation *ops;
    size_t nops, capops;
    char **warnings;
    size_t nwarnings;
    schema_entry *schemas;
    size_t nschemas, capschemas;
    size_t *schema_ix;  /* open addressing by node address: schema index + 1, 0 empty */
    size_t ixcap;       /* power of two, at least twice nschemas */
    disabled *problems; /* parts disabled at load, in document order */
    size_t nproblems;
    /* Kept with the spec, not on the loader's stack: a compiled schema may
     * hold on to its resolver. */
    cf_ref_resolver resolver;
};

/* Load-time state. */
typedef struct loader {
    cf_spec *spec;
    cf_error **err;
    const cJSON **warned; /* `required` nodes already warned about */
    size_t nwarned;
    cf_strset ids; /* operationIds seen (the doc's strings): skips the linear duplicate search */
} loader;

static const char *const methods[] = {"get",     "put",  "post",  "delete",
                                      "options", "head", "patch", "trace"};

/* A part failed without saying why (cannot happen: every failure sets an
 * error); the load fails rather than pass over it. */
static int no_error(loader *L)
{
    return cf_error_set(L->err, NULL, 0, 0, NULL, "internal error: a failure without a message");
}

static const char *type_word(const cJSON *n)
{
    if (!n)
        return "nothing";
    if (cJSON_IsObject(n))
        return "a mapping";
    if (cJSON_IsArray(n))
        return "a list";
    if (cJSON_IsString(n))
        return "a string";
    if (cJSON_IsNumber(n))
        return "a number";
    if (cJSON_IsBool(n))
        return "a boolean";
    return "null";
}

static int warn_at(loader *L, const cf_doc *doc, const cJSON *node, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int warn_at(loader *L, const cf_doc *doc, const cJSON *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = cf_vasprintf(fmt, ap);
    va_end(ap);
    cf_mark m = cf_doc_mark(doc, node);
    char *line = !msg     ? NULL
                 : m.line ? cf_asprintf("%s:%d:%d: warning: %s", doc->name, m.line, m.column, msg)
                          : cf_asprintf("%s: warning: %s", doc->name, msg);
    free(msg);
    char **grown = cf_xrealloc(L->spec->warnings, (L->spec->nwarnings + 1) * sizeof *grown);
    L->spec->warnings = grown;
    grown[L->spec->nwarnings++] = line;
    return 0;
}

/* Records a defect that disables one part (what: "operation GET /x",
 * "media type 'x'") as a problem and a located warning. Takes e. */
static int disable_part(loader *L, const char *what, const char *method, const char *path,
                        const char *id, cf_error *e)
{
    cf_spec *s = L->spec;
    disabled *grown = cf_xrealloc(s->problems, (s->nproblems + 1) * sizeof *grown);
    s->problems = grown;
    disabled *d = &s->problems[s->nproblems++];
    *d = (disabled){cf_strdup(method), cf_strdup(path), cf_strdup(id), e};
    cf_buf b = {0};
    if (e->file)
        cf_buf_printf(&b, "%s:", e->file);
    if (e->line)
        cf_buf_printf(&b, "%d:%d:", e->line, e->column);
    cf_buf_printf(&b, "%swarning: %s disabled: %s", b.len ? " " : "", what, e->message);
    if (e->hint)
        cf_buf_printf(&b, " (hint: %s)", e->hint);
    char *line = cf_buf_take(&b);
    char **w = cf_xrealloc(s->warnings, (s->nwarnings + 1) * sizeof *w);
    s->warnings = w;
    w[s->nwarnings++] = line;
    return 0;
}

/* ---- media types ---- */

/* Lower case, parameters and surrounding blanks removed, into out (size n).
 * 0, or -1 when it does not fit. */
static int media_norm_into(char *out, size_t n, const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strcspn(s, ";");
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len + 1 > n)
        return -1;
    for (size_t i = 0; i < len; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[len] = '\0';
    return 0;
}

static char *media_norm(const char *s)
{
    size_t n = strlen(s) + 1;
    char *out = cf_xmalloc(n);
    if (out)
        media_norm_into(out, n, s);
    return out;
}

int cf_media_type_is_json(const char *type)
{
    char buf[256];
    if (!type || media_norm_into(buf, sizeof buf, type) < 0)
        return 0;
    if (!strcmp(buf, "application/json"))
        return 1;
    size_t len = strlen(buf);
    return strchr(buf, '/') && len > 5 && !strcmp(buf + len - 5, "+json");
}

/* ---- schemas ---- */

/* The schema's compile warnings join the spec's, once each (schemas reached
 * from several places may repeat a warning of a shared subschema). */
static int add_schema_warnings(loader *L, const cf_schema *schema)
{
    cf_spec *s = L->spec;
    for (size_t i = 0; i < cf_schema_warning_count(schema); i++) {
        const char *w = cf_schema_warning(schema, i);
        int seen = 0;
        for (size_t k = 0; k < s->nwarnings && !seen; k++)
            seen = !strcmp(s->warnings[k], w);
        if (seen)
            continue;
        char *copy = cf_strdup(w);
        char **grown = cf_xrealloc(s->warnings, (s->nwarnings + 1) * sizeof *grown);
        s->warnings = grown;
        s->warnings[s->nwarnings++] = copy;
    }
    return 0;
}

/* Compiled schemas by node, hashed: a document with 13,600 operations looked
 * through every schema compiled so far for each one it reached. */
static size_t node_slot(const cJSON *node, size_t cap)
{
    uint64_t x = (uint64_t)(uintptr_t)node;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    return (size_t)(x ^ (x >> 33)) & (cap - 1);
}

static const schema_entry *schema_find(const cf_spec *s, const cJSON *node)
{
    if (!s->ixcap)
        return NULL;
    for (size_t j = node_slot(node, s->ixcap); s->schema_ix[j]; j = (j + 1) & (s->ixcap - 1))
        if (s->schemas[s->schema_ix[j] - 1].node == node)
            return &s->schemas[s->schema_ix[j] - 1];
    return NULL;
}

/* Adds the last schema of s->schemas to the index, growing it as needed. */
static void schema_index(cf_spec *s)
{
    if (s->nschemas * 2 > s->ixcap) {
        free(s->schema_ix);
        s->ixcap = s->ixcap ? s->ixcap * 2 : 64;
        s->schema_ix = cf_xcalloc(s->ixcap, sizeof *s->schema_ix);
        for (size_t i = 0; i + 1 < s->nschemas; i++) {
            size_t j = node_slot(s->schemas[i].node, s->ixcap);
            while (s->schema_ix[j])
                j = (j + 1) & (s->ixcap - 1);
            s->schema_ix[j] = i + 1;
        }
    }
    size_t j = node_slot(s->schemas[s->nschemas - 1].node, s->ixcap);
    while (s->schema_ix[j])
        j = (j + 1) & (s->ixcap - 1);
    s->schema_ix[j] = s->nschemas;
}

/* Compiles the schema at node (following a top-level $ref first, so that a
 * component schema is compiled once and its locations read
 * FILE#/components/schemas/NAME/...). */
static int compile_schema(loader *L, const cf_doc *doc, const cJSON *node, const char *ptr,
                          const cf_schema **out)
{
    char *p = cf_strdup(ptr);
    if (cf_ref_follow(&doc, &node, &p, L->spec->fs, "schema", L->err) < 0) {
        free(p);
        return -1;
    }
    cf_spec *s = L->spec;
    const schema_entry *known = schema_find(s, node);
    if (known) {
        *out = known->schema;
        free(p);
        return 0;
    }
    if (!cJSON_IsObject(node)) {
        free(p);
        return cf_ref_error_at(L->err, doc, node, 0,
                               "a Schema Object is a mapping such as {type: string}",
                               "a schema must be a mapping, got %s", type_word(node));
    }
    s->schemas = cf_xgrow(s->schemas, &s->capschemas, s->nschemas + 1, sizeof *s->schemas);
    cf_schema *compiled = NULL;
    int rc = cf_schema_compile(&compiled, doc, node, p, &s->resolver, L->err);
    free(p);
    if (rc < 0)
        return -1;
    s->schemas[s->nschemas++] = (schema_entry){node, compiled};
    schema_index(s);
    *out = compiled;
    return add_schema_warnings(L, compiled);
}

/* ---- media type maps (content) ---- */

/* Leaves *m empty: load_content reuses a failed media type's slot. */
static void media_clear(cf_media *m)
{
    free(m->type);
    free(m->norm);
    for (size_t i = 0; i < m->nexamples; i++)
        free(m->examples[i].name);
    free(m->examples);
    *m = (cf_media){0};
}

static int load_examples(loader *L, const cf_doc *doc, const cJSON *node, const char *ptr,
                         cf_media *m)
{
    if (!cJSON_IsObject(node))
        return cf_ref_error_at(L->err, doc, node, 0, "write examples: {NAME: {value: ...}}",
                               "'examples' must be a mapping, got %s", type_word(node));
    size_t n = (size_t)cJSON_GetArraySize(node);
    m->examples = cf_xcalloc(n ? n : 1, sizeof *m->examples);
    for (const cJSON *c = node->child; c; c = c->next) {
        char *p = cf_jsonptr_append(ptr, c->string);
        const cf_doc *d = doc;
        const cJSON *ex = c;
        int rc = cf_ref_follow(&d, &ex, &p, L->spec->fs, "example", L->err);
        free(p);
        if (rc < 0)
            return -1;
        if (!cJSON_IsObject(ex))
            return cf_ref_error_at(L->err, d, ex, 0, "write NAME: {value: ...}",
                                   "example '%s' must be a mapping with a 'value', got %s",
                                   c->string, type_word(ex));
        named_example *e = &m->examples[m->nexamples++];
        e->name = cf_strdup(c->string);
        e->value = cJSON_GetObjectItemCaseSensitive(ex, "value");
        e->doc = d;
    }
    return 0;
}

static int load_media(loader *L, const cf_doc *doc, const cJSON *member, const char *ptr,
                      cf_media *m)
{
    m->type = cf_strdup(member->string);
    m->norm = media_norm(member->string);
    if (!strchr(m->norm, '/'))
        return cf_ref_error_at(L->err, doc, member, 1,
                               "write a media type such as application/json",
                               "'%s' is not a media type (type/subtype)", member->string);
    if (!cJSON_IsObject(member))
        return cf_ref_error_at(
            L->err, doc, member, 0, "write a mapping such as {schema: {type: object}}",
            "media type '%s' must be a mapping, got %s", member->string, type_word(member));
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(member, "schema");
    if (schema) {
        char *p = cf_jsonptr_append(ptr, "schema");
        int rc = compile_schema(L, doc, schema, p, &m->schema);
        free(p);
        if (rc < 0)
            return -1;
    }
    const cJSON *example = cJSON_GetObjectItemCaseSensitive(member, "example");
    if (example) {
        m->example = example;
        m->example_doc = doc;
    }
    const cJSON *examples = cJSON_GetObjectItemCaseSensitive(member, "examples");
    if (examples) {
        char *p = cf_jsonptr_append(ptr, "examples");
        int rc = load_examples(L, doc, examples, p, m);
        free(p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* content: {TYPE: Media Type Object}. On error the caller frees what was
 * stored so far (*out, *n are always consistent). */
static int load_content(loader *L, const cf_doc *doc, const cJSON *content, const char *ptr,
                        cf_media **out, size_t *n)
{
    if (!cJSON_IsObject(content))
        return cf_ref_error_at(
            L->err, doc, content, 0, "write content: {application/json: {schema: ...}}",
            "'content' must be a mapping of media types, got %s", type_word(content));
    size_t count = (size_t)cJSON_GetArraySize(content);
    *out = cf_xcalloc(count ? count : 1, sizeof **out);
    for (const cJSON *c = content->child; c; c = c->next) {
        char *p = cf_jsonptr_append(ptr, c->string);
        /* A broken media type disables that media type only. */
        cf_error *me = NULL, **saved = L->err;
        L->err = &me;
        int rc = load_media(L, doc, c, p, &(*out)[(*n)++]);
        L->err = saved;
        free(p);
        if (rc == 0)
            continue;
        media_clear(&(*out)[--(*n)]);
        if (!me) /* every failure sets an error: a fallback, never seen */
            return no_error(L);
        char *what = cf_asprintf("media type '%s'", c->string);
        rc = disable_part(L, what, NULL, NULL, NULL, me);
        free(what);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static void media_array_free(cf_media *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        media_clear(&m[i]);
    free(m);
}

/* Checks a content map (request bodies, parameters, headers) and drops it:
 * what matters is that its schemas compile and its refs resolve. */
static int check_content(loader *L, const cf_doc *doc, const cJSON *content, const char *ptr)
{
    cf_media *m = NULL;
    size_t n = 0;
    int rc = load_content(L, doc, content, ptr, &m, &n);
    media_array_free(m, n);
    return rc;
}

/* A Parameter or Header Object's schema/content/examples. */
static int check_value_description(loader *L, const cf_doc *doc, const cJSON *node, const char *ptr)
{
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(node, "schema");
    if (schema) {
        char *p = cf_jsonptr_append(ptr, "schema");
        const cf_schema *ignored;
        int rc = compile_schema(L, doc, schema, p, &ignored);
        free(p);
        if (rc < 0)
            return -1;
    }
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(node, "content");
    if (content) {
        char *p = cf_jsonptr_append(ptr, "content");
        int rc = check_content(L, doc, content, p);
        free(p);
        if (rc < 0)
            return -1;
    }
    const cJSON *examples = cJSON_GetObjectItemCaseSensitive(node, "examples");
    if (examples) {
        cf_media tmp = {0};
        char *p = cf_jsonptr_append(ptr, "examples");
        int rc = load_examples(L, doc, examples, p, &tmp);
        free(p);
        media_clear(&tmp);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* ---- responses ---- */

/* "200" -> code; "4XX"/"4xx" -> klass; "default" -> neither. -1 if none. */
static int parse_status_key(const char *k, int *code, int *klass)
{
    *code = *klass = 0;
    if (!strcmp(k, "default"))
        return 0;
    if (strlen(k) != 3 || k[0] < '1' || k[0] > '5')
        return -1;
    if ((k[1] == 'X' || k[1] == 'x') && (k[2] == 'X' || k[2] == 'x')) {
        *klass = k[0] - '0';
        return 0;
    }
    if (!isdigit((unsigned char)k[1]) || !isdigit((unsigned char)k[2]))
        return -1;
    *code = atoi(k);
    return 0;
}

static void response_clear(cf_response *r)
{
    free(r->key);
    media_array_free(r->media, r->nmedia);
    free(r->media_list);
}

static int load_response(loader *L, const cf_doc *doc, const cJSON *member, const char *ptr,
                         cf_response *r)
{
    int rc = -1;
    if (parse_status_key(member->string, &r->code, &r->klass) < 0)
        return cf_ref_error_at(L->err, doc, member, 1,
                               "a response key is a status code such as \"200\", a class such as "
                               "\"4XX\", or \"default\"",
                               "response key '%s' is not a status code", member->string);
    r->key = r->klass ? cf_asprintf("%cXX", member->string[0]) : cf_strdup(member->string);
    char *p = cf_strdup(ptr);
    const cf_doc *d = doc;
    const cJSON *node = member;
    if (cf_ref_follow(&d, &node, &p, L->spec->fs, "response", L->err) < 0)
        goto done;
    if (!cJSON_IsObject(node)) {
        cf_ref_error_at(L->err, d, node, 0, "write {description: ..., content: ...}",
                        "response %s must be a mapping, got %s", r->key, type_word(node));
        goto done;
    }
    const cJSON *headers = cJSON_GetObjectItemCaseSensitive(node, "headers");
    if (headers) {
        if (!cJSON_IsObject(headers)) {
            cf_ref_error_at(L->err, d, headers, 0, NULL,
                            "'headers' must be a mapping of header names, got %s",
                            type_word(headers));
            goto done;
        }
        char *hp = cf_jsonptr_append(p, "headers");
        for (const cJSON *h = headers->child; h; h = h->next) {
            char *one = cf_jsonptr_append(hp, h->string);
            const cf_doc *hd = d;
            const cJSON *hn = h;
            int bad = cf_ref_follow(&hd, &hn, &one, L->spec->fs, "header", L->err) < 0;
            if (!bad && !cJSON_IsObject(hn))
                bad = cf_ref_error_at(L->err, hd, hn, 0, NULL,
                                      "header '%s' must be a mapping, got %s", h->string,
                                      type_word(hn));
            if (!bad)
                bad = check_value_description(L, hd, hn, one) < 0;
            free(one);
            if (bad) {
                free(hp);
                goto done;
            }
        }
        free(hp);
    }
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(node, "content");
    if (content) {
        char *cp = cf_jsonptr_append(p, "content");
        int crc = load_content(L, d, content, cp, &r->media, &r->nmedia);
        free(cp);
        if (crc < 0)
            goto done;
    }
    cf_buf b = {0};
    for (size_t i = 0; i < r->nmedia; i++)
        cf_buf_printf(&b, "%s%s", i ? ", " : "", r->media[i].type);
    r->media_list = cf_buf_take(&b);
    rc = 0;
done:
    free(p);
    return rc;
}

/* ---- parameters ---- */

typedef struct param {
    const cf_doc *doc;
    const cJSON *node; /* the Parameter Object, refs followed */
    char *ptr;
    const char *name;
    const char *in;
} param;

static int load_param(loader *L, const cf_doc *doc, const cJSON *elem, const char *ptr, param *out)
{
    out->doc = doc;
    out->node = elem;
    out->ptr = cf_strdup(ptr);
    if (cf_ref_follow(&out->doc, &out->node, &out->ptr, L->spec->fs, "parameter", L->err) < 0)
        return -1;
    const cf_doc *d = out->doc;
    const cJSON *n = out->node;
    if (!cJSON_IsObject(n))
        return cf_ref_error_at(L->err, d, n, 0, "write {name: ..., in: query|header|path|cookie}",
                               "a parameter must be a mapping, got %s", type_word(n));
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(n, "name");
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(n, "in");
    if (!cJSON_IsString(name) || !cJSON_IsString(in))
        return cf_ref_error_at(L->err, d, n, 0, "write {name: ..., in: query|header|path|cookie}",
                               "a parameter needs a string 'name' and 'in'");
    static const char *const ins[] = {"query", "header", "path", "cookie"};
    int ok = 0;
    for (size_t i = 0; i < 4; i++)
        ok |= !strcmp(in->valuestring, ins[i]);
    if (!ok)
        return cf_ref_error_at(
            L->err, d, in, 0,
            !strcmp(in->valuestring, "body") || !strcmp(in->valuestring, "formData")
                ? "OpenAPI 3.0 describes bodies with requestBody, not parameters"
                : "write in: query, header, path or cookie",
            "parameter '%s' has in: '%s'; expected query, header, path or cookie",
            name->valuestring, in->valuestring);
    out->name = name->valuestring;
    out->in = in->valuestring;
    return check_value_description(L, d, n, out->ptr);
}

/* required: true/false; the vendor's "true"/"false" strings with a warning. */
static int param_required(loader *L, const param *pm, int *required)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(pm->node, "required");
    *required = 0;
    if (!r)
        return 0;
    if (cJSON_IsBool(r)) {
        *required = cJSON_IsTrue(r);
        return 0;
    }
    if (cJSON_IsString(r) &&
        (!strcasecmp(r->valuestring, "true") || !strcasecmp(r->valuestring, "false"))) {
        *required = !strcasecmp(r->valuestring, "true");
        for (size_t i = 0; i < L->nwarned; i++)
            if (L->warned[i] == r)
                return 0;
        const cJSON **grown = cf_xrealloc(L->warned, (L->nwarned + 1) * sizeof *grown);
        L->warned = grown;
        L->warned[L->nwarned++] = r;
        return warn_at(L, pm->doc, r,
                       "parameter '%s' (in: %s) has required: \"%s\", a string; read as %s "
                       "(write required: %s, without quotes)",
                       pm->name, pm->in, r->valuestring, *required ? "true" : "false",
                       *required ? "true" : "false");
    }
    return cf_ref_error_at(L->err, pm->doc, r, 0, "write required: true or required: false",
                           "'required' of parameter '%s' must be a boolean, got %s", pm->name,
                           type_word(r));
}

static int same_param(const param *a, const param *b)
{
    if (strcmp(a->in, b->in) != 0)
        return 0;
    return !strcmp(a->in, "header") ? !strcasecmp(a->name, b->name) : !strcmp(a->name, b->name);
}

/* Loads a `parameters` list into *ps (appending). */
static int load_param_list(loader *L, const cf_doc *doc, const cJSON *list, const char *ptr,
                           param **ps, size_t *n)
{
    if (!cJSON_IsArray(list))
        return cf_ref_error_at(L->err, doc, list, 0, "write parameters: [{name: ..., in: ...}]",
                               "'parameters' must be a list, got %s", type_word(list));
    size_t add = (size_t)cJSON_GetArraySize(list);
    param *grown = cf_xrealloc(*ps, (*n + add + 1) * sizeof *grown);
    *ps = grown;
    size_t i = 0;
    for (const cJSON *c = list->child; c; c = c->next, i++) {
        char idx[32];
        snprintf(idx, sizeof idx, "%zu", i);
        char *p = cf_jsonptr_append(ptr, idx);
        param *pm = &(*ps)[(*n)++];
        *pm = (param){0};
        int rc = load_param(L, doc, c, p, pm);
        free(p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static void params_free(param *ps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ps[i].ptr);
    free(ps);
}

/* ---- operations ---- */

static void operation_clear(cf_operation *op)
{
    free(op->id);
    free(op->method);
    free(op->path);
    free(op->label);
    for (size_t i = 0; i < op->nreq_headers; i++)
        free(op->req_headers[i]);
    free(op->req_headers);
    for (size_t i = 0; i < op->nresponses; i++)
        response_clear(&op->responses[i]);
    free(op->responses);
    free(op->status_list);
}

static const cf_operation *find_by_id(const cf_spec *s, const char *id)
{
    for (size_t i = 0; i < s->nops; i++)
        if (s->ops[i].id && !strcmp(s->ops[i].id, id))
            return &s->ops[i];
    return NULL;
}

/* The operation's method, path, operationId (unique in the document) and
 * the label messages use. */
static int op_identity(loader *L, const cf_doc *doc, const cJSON *node, cf_operation *op,
                       const char *method, const char *path)
{
    op->method = cf_strdup(method);
    op->path = cf_strdup(path);
    for (char *c = op->method; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(node, "operationId");
    if (id) {
        if (!cJSON_IsString(id) || !*id->valuestring)
            return cf_ref_error_at(L->err, doc, id, 0, NULL,
                                   "operationId must be a non-empty string, got %s", type_word(id));
        const cf_operation *dup =
            cf_strset_add(&L->ids, id->valuestring) ? find_by_id(L->spec, id->valuestring) : NULL;
        if (dup)
            return cf_ref_error_at(L->err, doc, id, 0, "operationIds are unique within a document",
                                   "operationId '%s' is also used by %s %s", id->valuestring,
                                   dup->method, dup->path);
        op->id = cf_strdup(id->valuestring);
    }
    op->label = op->id ? cf_strdup(op->id) : cf_asprintf("%s %s", op->method, op->path);
    return 0;
}

/* The operation's parameters (its own override the path item's of the same
 * name and location) and, from them, the request headers it requires. */
static int op_parameters(loader *L, const cf_doc *doc, const cJSON *node, const char *ptr,
                         cf_operation *op, const param *path_params, size_t npath_params)
{
    param *ps = NULL;
    size_t nps = 0;
    int rc = -1;
    const cJSON *plist = cJSON_GetObjectItemCaseSensitive(node, "parameters");
    if (plist) {
        char *p = cf_jsonptr_append(ptr, "parameters");
        int prc = load_param_list(L, doc, plist, p, &ps, &nps);
        free(p);
        if (prc < 0)
            goto done;
    }
    size_t nown = nps;
    for (size_t i = 0; i < npath_params; i++) {
        int overridden = 0;
        for (size_t k = 0; k < nown; k++)
            overridden |= same_param(&path_params[i], &ps[k]);
        if (overridden)
            continue;
        ps = cf_xrealloc(ps, (nps + 1) * sizeof *ps);
        ps[nps] = path_params[i];
        ps[nps++].ptr = NULL; /* borrowed; not freed here */
    }
    for (size_t i = 0; i < nps; i++) {
        int required;
        if (param_required(L, &ps[i], &required) < 0)
            goto done;
        if (!required || strcmp(ps[i].in, "header") != 0)
            continue;
        /* OpenAPI 3.0: header parameters named Accept, Content-Type or
         * Authorization are ignored. */
        if (!strcasecmp(ps[i].name, "Accept") || !strcasecmp(ps[i].name, "Content-Type") ||
            !strcasecmp(ps[i].name, "Authorization"))
            continue;
        op->req_headers =
            cf_xrealloc(op->req_headers, (op->nreq_headers + 1) * sizeof *op->req_headers);
        op->req_headers[op->nreq_headers++] = cf_strdup(ps[i].name);
    }
    rc = 0;
done:
    params_free(ps, nps);
    return rc;
}

/* The request body, when there is one: a mapping whose media types load. */
static int op_request_body(loader *L, const cf_doc *doc, const cJSON *node, const char *ptr)
{
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(node, "requestBody");
    if (!body)
        return 0;
    char *p = cf_jsonptr_append(ptr, "requestBody");
    const cf_doc *bd = doc;
    const cJSON *bn = body;
    int brc = cf_ref_follow(&bd, &bn, &p, L->spec->fs, "request body", L->err);
    if (brc == 0 && !cJSON_IsObject(bn))
        brc = cf_ref_error_at(L->err, bd, bn, 0, NULL, "requestBody must be a mapping, got %s",
                              type_word(bn));
    const cJSON *content = brc == 0 ? cJSON_GetObjectItemCaseSensitive(bn, "content") : NULL;
    if (brc == 0 && content) {
        char *cp = cf_jsonptr_append(p, "content");
        brc = check_content(L, bd, content, cp);
        free(cp);
    }
    free(p);
    return brc;
}

/* The documented responses (at least one, keys unique ignoring the case of
 * status classes) and the "200, 401" list messages quote. */
static int op_responses(loader *L, const cf_doc *doc, const cJSON *node, const char *ptr,
                        cf_operation *op)
{
    const cJSON *responses = cJSON_GetObjectItemCaseSensitive(node, "responses");
    if (!cJSON_IsObject(responses) || !responses->child)
        return cf_ref_error_at(L->err, doc, responses ? responses : node, 0,
                               "write responses: {\"200\": {description: OK}}",
                               "operation %s documents no responses", op->label);
    size_t nr = (size_t)cJSON_GetArraySize(responses);
    op->responses = cf_xcalloc(nr, sizeof *op->responses);
    char *rp = cf_jsonptr_append(ptr, "responses");
    cf_buf list = {0};
    int rc = -1;
    for (const cJSON *c = responses->child; c; c = c->next) {
        if (!strncmp(c->string, "x-", 2))
            continue;
        char *p = cf_jsonptr_append(rp, c->string);
        cf_response *r = &op->responses[op->nresponses++];
        int rrc = load_response(L, doc, c, p, r);
        free(p);
        if (rrc < 0)
            goto done;
        for (size_t k = 0; k + 1 < op->nresponses; k++) {
            if (!strcmp(op->responses[k].key, r->key)) {
                cf_ref_error_at(L->err, doc, c, 1, NULL,
                                "response '%s' repeats '%s' (status classes ignore case)",
                                c->string, r->key);
                goto done;
            }
        }
        cf_buf_printf(&list, "%s%s", op->nresponses > 1 ? ", " : "", r->key);
    }
    if (!op->nresponses) { /* only x- extensions */
        cf_ref_error_at(L->err, doc, responses, 0, "write responses: {\"200\": {description: OK}}",
                        "operation %s documents no responses (only extensions)", op->label);
        goto done;
    }
    op->status_list = cf_buf_take(&list);
    rc = 0;
done:
    cf_buf_free(&list);
    free(rp);
    return rc;
}

static int load_operation(loader *L, const cf_doc *doc, const cJSON *node, const char *ptr,
                          const char *method, const char *path, const param *path_params,
                          size_t npath_params)
{
    cf_spec *s = L->spec;
    if (!cJSON_IsObject(node))
        return cf_ref_error_at(L->err, doc, node, 0, NULL,
                               "operation %s %s must be a mapping, got %s", method, path,
                               type_word(node));
    s->ops = cf_xgrow(s->ops, &s->capops, s->nops + 1, sizeof *s->ops);
    cf_operation *op = &s->ops[s->nops++];
    *op = (cf_operation){0};
    op->node = node;
    op->node_doc = doc;
    if (op_identity(L, doc, node, op, method, path) < 0 ||
        op_parameters(L, doc, node, ptr, op, path_params, npath_params) < 0 ||
        op_request_body(L, doc, node, ptr) < 0 || op_responses(L, doc, node, ptr, op) < 0)
        return -1;
    return 0;
}

/* Loads one operation of a path item. A defect in it disables that
 * operation alone (a problem and a warning); only OOM fails the load. */
static int load_one_operation(loader *L, const cf_doc *d, const cJSON *item, const cJSON *c,
                              const char *item_ptr, const char *method, const char *path,
                              const param *pps, size_t npps)
{
    cf_spec *s = L->spec;
    char *op_ptr = cf_jsonptr_append(item_ptr, c->string);
    cf_error *oe = NULL, **saved = L->err;
    L->err = &oe;
    size_t before = s->nops;
    char upper[8] = {0};
    for (size_t i = 0; method[i] && i < 7; i++)
        upper[i] = (char)toupper((unsigned char)method[i]);
    const cJSON *ref = cf_ref_of(c);
    int rc;
    if (ref)
        rc = cf_ref_error_at(&oe, d, ref, 0,
                             "OpenAPI 3.0 allows $ref on a path item, not on an operation: "
                             "inline the operation, or move the $ref up to the path",
                             "operation %s %s is a $ref ('%s'), which OpenAPI 3.0 does not allow",
                             upper, path, cJSON_IsString(ref) ? ref->valuestring : "?");
    else
        rc = load_operation(L, d, c, op_ptr, method, path, pps, npps);
    L->err = saved;
    free(op_ptr);
    if (rc == 0) {
        s->ops[s->nops - 1].item = item;
        s->ops[s->nops - 1].item_doc = d;
        return 0;
    }
    while (s->nops > before)
        operation_clear(&s->ops[--s->nops]);
    if (!oe) /* every failure sets an error: a fallback, never seen */
        return no_error(L);
    const cJSON *id = cJSON_IsObject(c) ? cJSON_GetObjectItemCaseSensitive(c, "operationId") : NULL;
    const char *ids = cJSON_IsString(id) ? id->valuestring : NULL;
    char *what = ids ? cf_asprintf("operation %s (%s %s)", ids, upper, path)
                     : cf_asprintf("operation %s %s", upper, path);
    rc = disable_part(L, what, upper, path, ids, oe);
    free(what);
    return rc;
}

static int load_path_item(loader *L, const cf_doc *doc, const cJSON *member, const char *ptr)
{
    int rc = -1;
    param *pps = NULL;
    size_t npps = 0;
    const char *path = member->string;
    if (path[0] != '/')
        return cf_ref_error_at(L->err, doc, member, 1, "write the path as /things/{id}",
                               "path '%s' must start with '/'", path);
    char *p = cf_strdup(ptr);
    const cf_doc *d = doc;
    const cJSON *item = member;
    if (cf_ref_follow(&d, &item, &p, L->spec->fs, "path item", L->err) < 0)
        goto done;
    if (!cJSON_IsObject(item)) {
        cf_ref_error_at(L->err, d, item, 0, NULL,
                        "path '%s' must be a mapping of operations, got %s", path, type_word(item));
        goto done;
    }
    const cJSON *plist = cJSON_GetObjectItemCaseSensitive(item, "parameters");
    if (plist) {
        char *pp = cf_jsonptr_append(p, "parameters");
        int prc = load_param_list(L, d, plist, pp, &pps, &npps);
        free(pp);
        if (prc < 0)
            goto done;
        /* Judge `required` here too, so warnings come in document order. */
        for (size_t i = 0; i < npps; i++) {
            int ignored;
            if (param_required(L, &pps[i], &ignored) < 0)
                goto done;
        }
    }
    for (const cJSON *c = item->child; c; c = c->next) {
        const char *method = NULL;
        for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
            if (!strcmp(c->string, methods[i]))
                method = methods[i];
        if (!method)
            continue;
        if (load_one_operation(L, d, item, c, p, method, path, pps, npps) < 0)
            goto done;
    }
    rc = 0;
done:
    params_free(pps, npps);
    free(p);
    return rc;
}

static int check_version(loader *L, const cf_doc *doc)
{
    const cJSON *root = doc->root;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "openapi");
    if (!v) {
        const cJSON *sw = cJSON_GetObjectItemCaseSensitive(root, "swagger");
        if (sw)
            return cf_ref_error_at(L->err, doc, sw, 0,
                                   "convert it to OpenAPI 3.0 first, e.g. with swagger2openapi",
                                   "this is a Swagger 2.0 document; conform reads OpenAPI 3.0.x");
        return cf_ref_error_at(L->err, doc, root, 0,
                               "an OpenAPI 3.0 document starts with openapi: 3.0.3",
                               "not an OpenAPI document: no 'openapi' member");
    }
    if (cJSON_IsNumber(v)) {
        const char *text = cf_doc_number_text(doc, v);
        return cf_ref_error_at(L->err, doc, v, 0, "quote the version: openapi: \"3.0.3\"",
                               "'openapi' must be a version string such as \"3.0.3\", got the "
                               "number %s",
                               text ? text : "");
    }
    if (!cJSON_IsString(v))
        return cf_ref_error_at(L->err, doc, v, 0, "write openapi: 3.0.3",
                               "'openapi' must be a version string such as \"3.0.3\", got %s",
                               type_word(v));
    const char *s = v->valuestring;
    int ok = !strncmp(s, "3.0.", 4) && s[4];
    for (const char *c = s + 4; ok && *c; c++)
        ok = isdigit((unsigned char)*c);
    if (ok)
        return 0;
    return cf_ref_error_at(
        L->err, doc, v, 0,
        !strncmp(s, "3.1", 3)
            ? "OpenAPI 3.1 changes nullable, exclusiveMinimum/Maximum and examples: convert the "
              "document to 3.0.3"
            : "write openapi: 3.0.3 if the document follows OpenAPI 3.0",
        "conform reads OpenAPI 3.0.x; this document declares openapi: %s", s);
}

int cf_spec_load(cf_spec **out, const char *path, cf_error **err)
{
    *out = NULL;
    cf_spec *s = cf_xcalloc(1, sizeof *s);
    s->path = cf_strdup(path);
    cf_fileset_new(&s->fs);
    s->resolver = cf_fileset_resolver(s->fs);
    loader L = {.spec = s, .err = err};
    const cf_doc *doc;
    if (cf_fileset_load(&doc, s->fs, path, err) < 0)
        goto fail;
    s->root = doc;
    if (!cJSON_IsObject(doc->root)) {
        cf_ref_error_at(err, doc, doc->root, 0,
                        "an OpenAPI 3.0 document starts with openapi: 3.0.3",
                        "an OpenAPI document must be a mapping, got %s", type_word(doc->root));
        goto fail;
    }
    if (check_version(&L, doc) < 0)
        goto fail;
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(doc->root, "paths");
    if (!cJSON_IsObject(paths)) {
        if (paths)
            cf_ref_error_at(err, doc, paths, 0, "write paths: {/things: {get: ...}}",
                            "'paths' must be a mapping, got %s", type_word(paths));
        else
            cf_ref_error_at(err, doc, doc->root, 0, "write paths: {/things: {get: ...}}",
                            "the document has no 'paths'");
        goto fail;
    }
    for (const cJSON *c = paths->child; c; c = c->next) {
        if (!strncmp(c->string, "x-", 2))
            continue;
        char *p = cf_jsonptr_append("/paths", c->string);
        int rc = load_path_item(&L, doc, c, p);
        free(p);
        if (rc < 0)
            goto fail;
    }
    cf_fileset_freeze(s->fs);
    free(L.warned);
    cf_strset_free(&L.ids);
    *out = s;
    return 0;
fail:
    free(L.warned);
    cf_strset_free(&L.ids);
    cf_spec_free(s);
    return -1;
}

void cf_spec_free(cf_spec *spec)
{
    if (!spec)
        return;
    for (size_t i = 0; i < spec->nops; i++)
        operation_clear(&spec->ops[i]);
    free(spec->ops);
    for (size_t i = 0; i < spec->nproblems; i++) {
        free(spec->problems[i].method);
        free(spec->problems[i].path);
        free(spec->problems[i].id);
        cf_error_free(spec->problems[i].err);
    }
    free(spec->problems);
    for (size_t i = 0; i < spec->nwarnings; i++)
        free(spec->warnings[i]);
    free(spec->warnings);
    for (size_t i = 0; i < spec->nschemas; i++)
        cf_schema_free(spec->schemas[i].schema);
    free(spec->schemas);
    free(spec->schema_ix);
    cf_fileset_free(spec->fs);
    free(spec->path);
    free(spec);
}

const char *cf_spec_path(const cf_spec *spec)
{
    return spec->path;
}

size_t cf_spec_warning_count(const cf_spec *spec)
{
    return spec->nwarnings;
}

const char *cf_spec_warning(const cf_spec *spec, size_t i)
{
    return i < spec->nwarnings ? spec->warnings[i] : NULL;
}

/* ---- lookup ---- */

int cf_spec_find_operation(const cf_operation **out, const cf_spec *spec, const char *ref,
                           cf_error **err)
{
    *out = find_by_id(spec, ref);
    if (*out)
        return 0;
    /* "METHOD /path": method any case, path as written. */
    const char *sp = strchr(ref, ' ');
    const char *path = sp;
    while (path && *path == ' ')
        path++;
    if (sp && path && *path == '/') {
        for (size_t i = 0; i < spec->nops; i++) {
            const cf_operation *op = &spec->ops[i];
            if (strlen(op->method) == (size_t)(sp - ref) &&
                !strncasecmp(op->method, ref, (size_t)(sp - ref)) && !strcmp(op->path, path)) {
                *out = op;
                return 0;
            }
        }
    }

    for (size_t i = 0; i < spec->nproblems; i++) {
        const disabled *d = &spec->problems[i];
        int hit = d->id && !strcmp(d->id, ref);
        if (!hit && d->method && sp && path && *path == '/')
            hit = strlen(d->method) == (size_t)(sp - ref) &&
                  !strncasecmp(d->method, ref, (size_t)(sp - ref)) && !strcmp(d->path, path);
        if (hit) {
            const cf_error *e = d->err;
            return cf_error_set(err, e->file, e->line, e->column, e->hint, "%s", e->message);
        }
    }
    cf_buf hint = {0};
    if (sp && path && *path == '/') {
        /* The path exists with other methods? */
        size_t found = 0;
        for (size_t i = 0; i < spec->nops; i++) {
            if (strcmp(spec->ops[i].path, path) != 0)
                continue;
            cf_buf_printf(&hint, "%s%s", found ? ", " : "the path has: ", spec->ops[i].method);
            found++;
        }
    }
    if (!hint.len && spec->nops) {
        const char **cands = cf_xcalloc(spec->nops * 2, sizeof *cands);
        size_t n = 0;
        for (size_t i = 0; cands && i < spec->nops; i++) {
            if (spec->ops[i].id)
                cands[n++] = spec->ops[i].id;
        }
        const char *near = cands ? cf_did_you_mean(ref, cands, n) : NULL;
        if (near) {
            cf_buf_printf(&hint, "did you mean '%s'?", near);
        } else if (spec->nops <= 10) {
            cf_buf_puts(&hint, "operations: ");
            for (size_t i = 0; i < spec->nops; i++)
                cf_buf_printf(&hint, "%s'%s'", i ? ", " : "", spec->ops[i].label);
        }
        free(cands);
    }
    if (!hint.len && !spec->nops)
        cf_buf_puts(&hint, "the document has no operations");
    char *h = cf_buf_take(&hint);
    cf_error_set(err, NULL, 0, 0, h, "no operation '%s' in %s", ref, spec->path);
    free(h);
    return -1;
}

const char *cf_operation_id(const cf_operation *op)
{
    return op->id;
}

const char *cf_operation_method(const cf_operation *op)
{
    return op->method;
}

const char *cf_operation_path(const cf_operation *op)
{
    return op->path;
}

const char *cf_operation_label(const cf_operation *op)
{
    return op->label;
}

size_t cf_operation_required_header_count(const cf_operation *op)
{
    return op->nreq_headers;
}

const char *cf_operation_required_header(const cf_operation *op, size_t i)
{
    return i < op->nreq_headers ? op->req_headers[i] : NULL;
}

const cf_response *cf_operation_response(const cf_operation *op, int status,
                                         const char **matched_key)
{
    const cf_response *klass = NULL, *dflt = NULL, *found = NULL;
    for (size_t i = 0; i < op->nresponses && !found; i++) {
        const cf_response *r = &op->responses[i];
        if (r->code && r->code == status)
            found = r;
        else if (r->klass && r->klass == status / 100)
            klass = r;
        else if (!r->code && !r->klass)
            dflt = r;
    }
    if (!found)
        found = klass ? klass : dflt;
    if (matched_key)
        *matched_key = found ? found->key : NULL;
    return found;
}

const char *cf_operation_status_list(const cf_operation *op)
{
    return op->status_list;
}

size_t cf_operation_response_count(const cf_operation *op)
{
    return op->nresponses;
}

const cf_response *cf_operation_response_at(const cf_operation *op, size_t i)
{
    return i < op->nresponses ? &op->responses[i] : NULL;
}

const char *cf_response_key(const cf_response *r)
{
    return r->key;
}

size_t cf_response_media_count(const cf_response *r)
{
    return r->nmedia;
}

const cf_media *cf_response_media_at(const cf_response *r, size_t i)
{
    return i < r->nmedia ? &r->media[i] : NULL;
}

const char *cf_response_media_list(const cf_response *r)
{
    return r->media_list;
}

const cf_media *cf_response_media_for(const cf_response *r, const char *content_type)
{
    char want[256];
    if (!r || !content_type || media_norm_into(want, sizeof want, content_type) < 0)
        return NULL;
    const char *slash = strchr(want, '/');
    if (!slash || slash == want || !slash[1])
        return NULL;
    size_t tlen = (size_t)(slash - want);
    const cf_media *best = NULL;
    int best_score = 0;
    for (size_t i = 0; i < r->nmedia; i++) {
        const char *m = r->media[i].norm;
        int score = 0;
        if (!strcmp(m, want))
            score = 3;
        else if (!strcmp(m, "*/*"))
            score = 1;
        else if (!strncmp(m, want, tlen + 1) && !strcmp(m + tlen + 1, "*"))
            score = 2;
        if (score > best_score) {
            best_score = score;
            best = &r->media[i];
        }
    }
    return best;
}

const char *cf_media_type(const cf_media *m)
{
    return m->type;
}

int cf_media_is_json(const cf_media *m)
{
    return cf_media_type_is_json(m->norm);
}

const cf_schema *cf_media_schema(const cf_media *m)
{
    return m->schema;
}

const cJSON *cf_media_example(const cf_media *m, const char *name, const cf_doc **doc)
{
    const cJSON *v = NULL;
    const cf_doc *d = NULL;
    if (!name) {
        if (m->example) {
            v = m->example;
            d = m->example_doc;
        } else if (m->nexamples == 1) {
            v = m->examples[0].value;
            d = m->examples[0].doc;
        }
    } else {
        for (size_t i = 0; i < m->nexamples; i++) {
            if (!strcmp(m->examples[i].name, name)) {
                v = m->examples[i].value;
                d = m->examples[i].doc;
                break;
            }
        }
    }
    if (doc)
        *doc = v ? d : NULL;
    return v;
}

size_t cf_media_example_count(const cf_media *m)
{
    return m->nexamples;
}

const char *cf_media_example_name(const cf_media *m, size_t i)
{
    return i < m->nexamples ? m->examples[i].name : NULL;
}

size_t cf_spec_operation_count(const cf_spec *spec)
{
    return spec->nops;
}

const cf_operation *cf_spec_operation_at(const cf_spec *spec, size_t i)
{
    return i < spec->nops ? &spec->ops[i] : NULL;
}

const cf_doc *cf_spec_root(const cf_spec *spec)
{
    return spec->root;
}

struct cf_fileset *cf_spec_fileset(const cf_spec *spec)
{
    return spec->fs;
}

const cJSON *cf_operation_node(const cf_operation *op, const cf_doc **doc)
{
    if (doc)
        *doc = op->node_doc;
    return op->node;
}

const cJSON *cf_operation_path_item(const cf_operation *op, const cf_doc **doc)
{
    if (doc)
        *doc = op->item_doc;
    return op->item;
}

size_t cf_spec_problem_count(const cf_spec *spec)
{
    return spec->nproblems;
}

const cf_error *cf_spec_problem(const cf_spec *spec, size_t i)
{
    return i < spec->nproblems ? spec->problems[i].err : NULL;
}
