#include "suite/suite.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spec/examples.h"
#include "doc/json.h"
#include "doc/shape.h"
#include "suite/template.h"
#include "base/util.h"
#include "doc/yamldoc.h"

/* ---- spec cache ---- */

typedef struct cache_entry {
    char *key; /* realpath */
    cf_spec *spec;
} cache_entry;

struct cf_spec_cache {
    cache_entry *items;
    size_t count;
};

int cf_spec_cache_new(cf_spec_cache **out)
{
    *out = cf_xcalloc(1, sizeof **out);
    return *out ? 0 : -1;
}

int cf_spec_cache_get(const cf_spec **out, cf_spec_cache *cache, const char *path, cf_error **err)
{
    char *key = realpath(path, NULL);
    if (!key)
        key = cf_strdup(path);
    for (size_t i = 0; i < cache->count; i++) {
        if (strcmp(cache->items[i].key, key) == 0) {
            free(key);
            *out = cache->items[i].spec;
            return 0;
        }
    }
    cf_spec *spec = NULL;
    if (cf_spec_load(&spec, path, err) < 0) {
        free(key);
        return -1;
    }
    cache_entry *grown = cf_xrealloc(cache->items, (cache->count + 1) * sizeof *grown);
    if (!grown) {
        free(key);
        cf_spec_free(spec);
        return cf_error_set(err, path, 0, 0, NULL, "out of memory");
    }
    cache->items = grown;
    cache->items[cache->count++] = (cache_entry){key, spec};
    *out = spec;
    return 0;
}

void cf_spec_cache_print_warnings(const cf_spec_cache *cache)
{
    for (size_t i = 0; i < cache->count; i++) {
        const cf_spec *s = cache->items[i].spec;
        for (size_t w = 0; w < cf_spec_warning_count(s); w++)
            fprintf(stderr, "%s\n", cf_spec_warning(s, w));
    }
}

void cf_spec_cache_free(cf_spec_cache *cache)
{
    if (!cache)
        return;
    for (size_t i = 0; i < cache->count; i++) {
        free(cache->items[i].key);
        cf_spec_free(cache->items[i].spec);
    }
    free(cache->items);
    free(cache);
}

/* ---- status patterns ---- */

int cf_status_match(const cf_status_pat *pats, size_t n, int status)
{
    for (size_t i = 0; i < n; i++) {
        if (pats[i].code ? pats[i].code == status : status / 100 == pats[i].klass)
            return 1;
    }
    return 0;
}

char *cf_status_describe(const cf_status_pat *pats, size_t n)
{
    cf_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (i)
            cf_buf_puts(&b, i + 1 == n ? " or " : ", ");
        if (pats[i].code)
            cf_buf_printf(&b, "%d", pats[i].code);
        else
            cf_buf_printf(&b, "%dXX", pats[i].klass);
    }
    return cf_buf_take(&b);
}

/* ---- loading ---- */

/* Request maps built from the suite defaults alone, shared by every step
 * that sets none of its own (see shared_default). */
enum { SHARED_MAX = 16 };
typedef struct shared_map {
    size_t kind; /* 0 path, 1 query, 2 headers */
    char *tmpl;  /* the path template (kind 0), "" otherwise */
    cJSON *map;  /* owned by su->shared */
} shared_map;

typedef struct loadstate {
    const cf_load_ctx *ctx;
    cf_suite *suite;
    cf_doc *doc;
    cf_error **err;
    const char *default_op; /* the suite's `operation`, or NULL */
    const cJSON *default_op_node;
    const cJSON *defaults; /* the suite's `defaults`, or NULL */
    char *dir;             /* directory of the suite file, for relative spec paths */
    cf_strset ids;         /* case ids seen so far (borrowed from the cases) */
    shared_map shared[SHARED_MAX];
    size_t nshared;
    /* Nodes of the case being parsed that its steps borrow, with their
     * parents: moved to suite->kept when the case is released. */
    struct borrowed {
        cJSON *parent, *node;
    } * borrowed;
    size_t nborrowed, borrowedcap;
} loadstate;

/* Notes that a step borrows node (a member of parent) from the suite doc. */
static int borrow(loadstate *s, const cJSON *parent, const cJSON *node)
{
    s->borrowed = cf_xgrow(s->borrowed, &s->borrowedcap, s->nborrowed + 1, sizeof *s->borrowed);
    s->borrowed[s->nborrowed++] = (struct borrowed){(cJSON *)parent, (cJSON *)node};
    return 0;
}

static int err_at(loadstate *s, const cJSON *node, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int err_at(loadstate *s, const cJSON *node, const char *hint, const char *fmt, ...)
{
    cf_mark m = cf_doc_mark(s->doc, node);
    va_list ap;
    va_start(ap, fmt);
    cf_error_setv(s->err, s->doc->name, m.line, m.column, hint, fmt, ap);
    va_end(ap);
    return -1;
}

static int want_string(loadstate *s, const cJSON *node, char **out)
{
    if (!cJSON_IsString(node))
        return cf_shape_expect(s->doc, node, cJSON_String, "string", s->err);
    *out = cf_strdup(node->valuestring);
    return 0;
}

/* The same, borrowed: the suite doc is packed (CF_YAML_PACKED), so its
 * strings live as long as the doc, released cases included. */
static int want_doc_string(loadstate *s, const cJSON *node, char **out)
{
    if (!cJSON_IsString(node))
        return cf_shape_expect(s->doc, node, cJSON_String, "string", s->err);
    *out = node->valuestring;
    return 0;
}

/* The doc's one copy of text (step names, methods and paths repeat). */
static char *doc_key(loadstate *s, const char *text)
{
    return cf_doc_pack_key(s->doc, text, strlen(text));
}

static int want_string_list(loadstate *s, const cJSON *node, char ***out, size_t *n)
{
    if (cJSON_IsString(node)) {
        char **grown = cf_xrealloc(*out, (*n + 1) * sizeof *grown);
        if (!grown)
            return err_at(s, node, NULL, "out of memory");
        *out = grown;
        (*out)[(*n)++] = cf_strdup(node->valuestring);
        return 0;
    }
    if (cf_shape_expect(s->doc, node, cJSON_Array, "list of strings", s->err) < 0)
        return -1;
    for (const cJSON *c = node->child; c; c = c->next) {
        if (!cJSON_IsString(c))
            return err_at(s, c, NULL, "expected a string, got %s", cf_shape_type_name(c));
        char **grown = cf_xrealloc(*out, (*n + 1) * sizeof *grown);
        if (!grown)
            return err_at(s, c, NULL, "out of memory");
        *out = grown;
        (*out)[(*n)++] = cf_strdup(c->valuestring);
    }
    return 0;
}

static int parse_status_one(loadstate *s, const cJSON *node, cf_status_pat *p)
{
    *p = (cf_status_pat){0};
    if (cJSON_IsNumber(node)) {
        double v = node->valuedouble;
        if (v >= 100 && v <= 599 && v == (int)v) {
            p->code = (int)v;
            return 0;
        }
    } else if (cJSON_IsString(node)) {
        const char *t = node->valuestring;
        if (strlen(t) == 3 && t[0] >= '1' && t[0] <= '5') {
            if (toupper((unsigned char)t[1]) == 'X' && toupper((unsigned char)t[2]) == 'X') {
                p->klass = t[0] - '0';
                return 0;
            }
            if (isdigit((unsigned char)t[1]) && isdigit((unsigned char)t[2])) {
                p->code = atoi(t);
                return 0;
            }
        }
    }
    return err_at(s, node, "write e.g. 200, \"4XX\" or [200, 201]",
                  "invalid status: expected a code from 100 to 599 or a class like 4XX");
}

static int parse_status(loadstate *s, const cJSON *node, cf_expect *e)
{
    size_t n = cJSON_IsArray(node) ? (size_t)cJSON_GetArraySize(node) : 1;
    if (n == 0)
        return err_at(s, node, "write e.g. [200, 201]", "the status list is empty");
    e->status = cf_xcalloc(n, sizeof *e->status);
    if (!e->status)
        return err_at(s, node, NULL, "out of memory");
    if (!cJSON_IsArray(node)) {
        e->nstatus = 1;
        return parse_status_one(s, node, &e->status[0]);
    }
    for (const cJSON *c = node->child; c; c = c->next)
        if (parse_status_one(s, c, &e->status[e->nstatus++]) < 0)
            return -1;
    return 0;
}

static int parse_expect_headers(loadstate *s, const cJSON *node, cf_expect *e)
{
    if (cf_shape_expect(s->doc, node, cJSON_Object, "mapping", s->err) < 0)
        return -1;
    size_t n = (size_t)cJSON_GetArraySize(node);
    e->headers = cf_xcalloc(n ? n : 1, sizeof *e->headers);
    if (!e->headers)
        return err_at(s, node, NULL, "out of memory");
    for (const cJSON *c = node->child; c; c = c->next) {
        cf_header_expect *h = &e->headers[e->nheaders++];
        h->name = cf_strdup(c->string);
        if (cJSON_IsObject(c)) {
            static const char *const keys[] = {"regex", "absent", NULL};
            if (cf_shape_keys(s->doc, c, keys, "header expectation", s->err) < 0)
                return -1;
            const cJSON *re = cJSON_GetObjectItemCaseSensitive(c, "regex");
            const cJSON *ab = cJSON_GetObjectItemCaseSensitive(c, "absent");
            if (!!re == !!ab)
                return err_at(s, c, "write {regex: \"^application/json\"} or {absent: true}",
                              "a header expectation needs exactly one of 'regex' and 'absent'");
            if (ab) {
                if (!cJSON_IsTrue(ab))
                    return err_at(s, ab, "write absent: true, or leave the header out",
                                  "'absent' must be true");
                h->absent = 1;
                continue;
            }
            if (want_string(s, re, &h->pattern) < 0)
                return -1;
            int rc = regcomp(&h->re, h->pattern, REG_EXTENDED | REG_NOSUB);
            if (rc != 0) {
                char why[256];
                regerror(rc, &h->re, why, sizeof why);
                free(h->pattern);
                h->pattern = NULL;
                return err_at(s, re, "POSIX extended syntax: use [0-9] for \\d",
                              "invalid regex: %s", why);
            }
            continue;
        }
        h->exact = cf_shape_scalar_text(s->doc, c);
        if (!h->exact)
            return err_at(s, c, "write a string, {regex: ...} or {absent: true}",
                          "header '%s': expected a value, got %s", c->string,
                          cf_shape_type_name(c));
    }
    return 0;
}

static int parse_example(loadstate *s, const cJSON *node, cf_expect *e)
{
    e->example_match = CF_MATCH_SUBSET;
    if (cJSON_IsString(node))
        return want_doc_string(s, node, &e->example);
    if (!cJSON_IsObject(node))
        return err_at(s, node, "write example: NAME or example: {name: NAME, match: shape}",
                      "'example' must be a string or a mapping, got %s", cf_shape_type_name(node));
    static const char *const keys[] = {"name", "match", "ignore", NULL};
    if (cf_shape_keys(s->doc, node, keys, "example", s->err) < 0)
        return -1;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(node, "name");
    if (!name)
        return err_at(s, node, "write {name: NAME, ...}", "the example needs a 'name'");
    if (want_doc_string(s, name, &e->example) < 0)
        return -1;
    const cJSON *match = cJSON_GetObjectItemCaseSensitive(node, "match");
    if (match) {
        int m = cJSON_IsString(match) ? cf_match_parse(match->valuestring) : -1;
        if (m < 0)
            return err_at(s, match, "use subset, exact or shape", "unknown match policy");
        e->example_match = (cf_match)m;
    }
    const cJSON *ignore = cJSON_GetObjectItemCaseSensitive(node, "ignore");
    if (ignore) {
        if (want_string_list(s, ignore, &e->example_ignore, &e->nexample_ignore) < 0)
            return -1;
        for (size_t i = 0; i < e->nexample_ignore; i++)
            if (e->example_ignore[i][0] != '/')
                return err_at(s, ignore, "write a JSON Pointer such as /serviceStartTime",
                              "'%s' is not a JSON Pointer", e->example_ignore[i]);
    }
    return 0;
}

static int parse_checks_off(loadstate *s, const cJSON *node, cf_expect *e)
{
    if (cf_shape_expect(s->doc, node, cJSON_Object, "mapping", s->err) < 0)
        return -1;
    for (const cJSON *c = node->child; c; c = c->next) {
        int k;
        for (k = 0; k < CF_AUTO_COUNT; k++)
            if (strcmp(c->string, cf_auto_check_names[k]) == 0)
                break;
        if (k == CF_AUTO_COUNT) {
            const char *near = cf_did_you_mean(c->string, cf_auto_check_names, CF_AUTO_COUNT);
            char *hint = near ? cf_asprintf("did you mean '%s'?", near)
                              : cf_strdup("checks: documented_status, content_type, schema");
            cf_shape_error(s->doc, c, 1, s->err, hint, "unknown automatic check '%s'", c->string);
            free(hint);
            return -1;
        }
        if (!cJSON_IsString(c) || !*c->valuestring)
            return err_at(s, c, "write e.g. documented_status: \"the document lists only 200\"",
                          "turning '%s' off needs a written reason", c->string);
        e->checks_off[k] = cf_strdup(c->valuestring);
    }
    return 0;
}

static int valid_pointer(const char *p)
{
    if (*p && *p != '/')
        return 0;
    for (; *p; p++)
        if (*p == '~' && p[1] != '0' && p[1] != '1')
            return 0;
    return 1;
}

/* Nonzero when a string anywhere in node holds a {{variable}}. */
static int json_has_refs(const cJSON *node)
{
    if (cJSON_IsString(node))
        return cf_template_has_refs(node->valuestring);
    for (const cJSON *c = node->child; c && (cJSON_IsObject(node) || cJSON_IsArray(node));
         c = c->next)
        if (json_has_refs(c))
            return 1;
    return 0;
}

static int parse_expect(loadstate *s, const cJSON *node, cf_expect *e)
{
    e->doc = s->doc;
    static const char *const keys[] = {"status",        "headers",    "body_equals",
                                       "body_includes", "body_has",   "max_ms",
                                       "example",       "checks_off", NULL};
    if (cf_shape_expect(s->doc, node, cJSON_Object, "mapping", s->err) < 0 ||
        cf_shape_keys(s->doc, node, keys, "expect", s->err) < 0)
        return -1;
    for (const cJSON *c = node->child; c; c = c->next) {
        const char *k = c->string;
        int rc = 0;
        if (!strcmp(k, "status"))
            rc = parse_status(s, c, e);
        else if (!strcmp(k, "headers"))
            rc = parse_expect_headers(s, c, e);
        else if (!strcmp(k, "body_equals")) {
            e->body_equals = c;
            e->body_has_refs[0] = json_has_refs(c);
            rc = borrow(s, node, c);
        } else if (!strcmp(k, "body_includes")) {
            e->body_includes = c;
            e->body_has_refs[1] = json_has_refs(c);
            rc = borrow(s, node, c);
        } else if (!strcmp(k, "body_has")) {
            rc = want_string_list(s, c, &e->body_has, &e->nbody_has);
            for (size_t i = 0; rc == 0 && i < e->nbody_has; i++)
                if (!valid_pointer(e->body_has[i]) || !e->body_has[i][0])
                    rc = err_at(s, c, "write JSON Pointers such as [/jwt, /siteName]",
                                "'%s' in body_has is not a JSON Pointer to a member",
                                e->body_has[i]);
        } else if (!strcmp(k, "max_ms")) {
            if (!cJSON_IsNumber(c) || c->valuedouble < 1 || c->valuedouble > 3600000 ||
                c->valuedouble != (double)(long)c->valuedouble)
                rc = err_at(s, c, NULL, "'max_ms' must be an integer from 1 to 3600000");
            else
                e->max_ms = (long)c->valuedouble;
        } else if (!strcmp(k, "example"))
            rc = parse_example(s, c, e);
        else if (!strcmp(k, "checks_off"))
            rc = parse_checks_off(s, c, e);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int parse_captures(loadstate *s, const cJSON *node, cf_step *st)
{
    if (cf_shape_expect(s->doc, node, cJSON_Object, "mapping", s->err) < 0)
        return -1;
    size_t n = (size_t)cJSON_GetArraySize(node);
    st->captures = cf_xcalloc(n ? n : 1, sizeof *st->captures);
    if (!st->captures)
        return err_at(s, node, NULL, "out of memory");
    for (const cJSON *c = node->child; c; c = c->next) {
        cf_capture *cap = &st->captures[st->ncaptures++];
        cap->var = cf_strdup(c->string);
        cap->mark = cf_doc_key_mark(s->doc, c);
        const cJSON *ptr = c;
        if (cJSON_IsObject(c)) {
            static const char *const keys[] = {"body", "json", "header", NULL};
            if (cf_shape_keys(s->doc, c, keys, "capture", s->err) < 0)
                return -1;
            const cJSON *h = cJSON_GetObjectItemCaseSensitive(c, "header");
            const cJSON *b = cJSON_GetObjectItemCaseSensitive(c, "body");
            const cJSON *j = cJSON_GetObjectItemCaseSensitive(c, "json");
            if (!!h == !!b)
                return err_at(s, c, "write {header: NAME} or {body: /pointer}",
                              "a capture needs exactly one of 'header' and 'body'");
            if (h) {
                if (j)
                    return err_at(s, j, "'json' applies to body captures only",
                                  "'json' cannot be used with 'header'");
                cap->from = CF_CAPTURE_HEADER;
                if (want_string(s, h, &cap->header) < 0)
                    return -1;
                continue;
            }
            ptr = b;
            if (j) {
                if (!cJSON_IsString(j) || !valid_pointer(j->valuestring))
                    return err_at(s, j, "write a JSON Pointer such as /domain",
                                  "'json' must be a JSON Pointer");
                cap->inner = cf_strdup(j->valuestring);
            }
        }
        if (!cJSON_IsString(ptr) || !valid_pointer(ptr->valuestring))
            return err_at(s, ptr, "write a JSON Pointer such as /room/_id (RFC 6901)",
                          "a capture must be a JSON Pointer into the body, "
                          "{header: NAME} or {body: POINTER, json: POINTER}");
        cap->pointer = cf_strdup(ptr->valuestring);
    }
    return 0;
}

/* Finds ref across the suite's specs: exactly one must have it. */
static int resolve_operation(loadstate *s, const cJSON *node, const char *ref,
                             const cf_operation **out)
{
    cf_suite *su = s->suite;
    *out = NULL;
    if (su->nspecs == 0)
        return err_at(s, node, "add 'spec: PATH' to the suite, or use method: and path:",
                      "operation '%s' needs a spec", ref);
    cf_error *first = NULL;
    const cf_spec *found_in = NULL;
    for (size_t i = 0; i < su->nspecs; i++) {
        const cf_operation *op = NULL;
        cf_error *e = NULL;
        if (cf_spec_find_operation(&op, su->specs[i], ref, &e) == 0) {
            if (*out) {
                cf_error_free(first);
                return err_at(s, node, "operationIds must be unique across a suite's specs",
                              "operation '%s' is in both %s and %s", ref, cf_spec_path(found_in),
                              cf_spec_path(su->specs[i]));
            }
            *out = op;
            found_in = su->specs[i];
        } else if (!first) {
            first = e;
        } else {
            cf_error_free(e);
        }
    }
    if (*out) {
        cf_error_free(first);
        return 0;
    }
    if (first && first->file && first->line) {
        /* A located error: the spec has the operation, but a defect in it
         * disabled it at load (spec.h). */
        char *why = cf_error_format(first);
        err_at(s, node, NULL, "operation '%s' was disabled at load: %s", ref,
               why ? why : first->message);
        free(why);
    } else {
        err_at(s, node, first ? first->hint : NULL, "unknown operation '%s'", ref);
    }
    cf_error_free(first);
    return -1;
}

/* Merges defaults and step request maps: `null` in the step removes. */
static cJSON *merge_map(const cJSON *base, const cJSON *over, int case_insensitive)
{
    cJSON *out = base ? cJSON_Duplicate(base, 1) : cJSON_CreateObject();
    if (!out || !over)
        return out;
    for (const cJSON *c = over->child; c; c = c->next) {
        cJSON *prev = NULL;
        for (cJSON *o = out->child; o; o = o->next)
            if (case_insensitive ? !strcasecmp(o->string, c->string)
                                 : !strcmp(o->string, c->string))
                prev = o;
        if (prev)
            cJSON_Delete(cJSON_DetachItemViaPointer(out, prev));
        if (!cJSON_IsNull(c))
            cJSON_AddItemToObject(out, c->string, cJSON_Duplicate(c, 1));
    }
    return out;
}

static int check_request(loadstate *s, const cJSON *req)
{
    static const char *const keys[] = {"path",     "query", "headers", "body",
                                       "body_raw", "auth",  NULL};
    if (cf_shape_expect(s->doc, req, cJSON_Object, "mapping", s->err) < 0 ||
        cf_shape_keys(s->doc, req, keys, "request", s->err) < 0)
        return -1;
    for (const cJSON *c = req->child; c; c = c->next) {
        if (!strcmp(c->string, "path") || !strcmp(c->string, "query") ||
            !strcmp(c->string, "headers")) {
            if (cf_shape_expect(s->doc, c, cJSON_Object, "mapping", s->err) < 0)
                return -1;
            for (const cJSON *v = c->child; v; v = v->next)
                if (cJSON_IsObject(v) || cJSON_IsArray(v))
                    return err_at(s, v, "write a string or a number",
                                  "'%s' in %s must be a scalar, got %s", v->string, c->string,
                                  cf_shape_type_name(v));
        } else if (!strcmp(c->string, "body_raw")) {
            if (cf_shape_expect(s->doc, c, cJSON_String, "string", s->err) < 0)
                return -1;
        } else if (!strcmp(c->string, "auth")) {
            static const char *const akeys[] = {"user", "password", NULL};
            if (cf_shape_expect(s->doc, c, cJSON_Object, "mapping", s->err) < 0 ||
                cf_shape_keys(s->doc, c, akeys, "auth", s->err) < 0)
                return -1;
        }
    }
    if (cJSON_GetObjectItemCaseSensitive(req, "body") &&
        cJSON_GetObjectItemCaseSensitive(req, "body_raw"))
        return err_at(s, cJSON_GetObjectItemCaseSensitive(req, "body_raw"), "keep one of them",
                      "'body' and 'body_raw' cannot both be set");
    return 0;
}

/* A deep copy of a request body in which every number keeps the literal
 * text it was written with (as raw JSON): cJSON would print a double, and
 * 9007199254740993 would go out as 9007199254740992. */
static cJSON *exact_leaf(void *doc, const cJSON *leaf)
{
    const char *lit = cJSON_IsNumber(leaf) ? cf_doc_number_text(doc, leaf) : NULL;
    return lit ? cJSON_CreateRaw(lit) : cJSON_Duplicate(leaf, 0);
}

static cJSON *dup_exact(const cf_doc *doc, const cJSON *node)
{
    return cf_json_copy_map(node, exact_leaf, (void *)doc);
}

/* Scalars of path/query/headers become strings, so later stages see text. */
static void stringify_scalars(const cf_doc *doc, cJSON *map)
{
    if (!map)
        return;
    for (cJSON *c = map->child; c; c = c->next) {
        if (cJSON_IsString(c) || cJSON_IsNull(c))
            continue;
        char *t = cf_shape_scalar_text(doc, c);
        if (t) {
            cJSON *n = cJSON_CreateString(t);
            if (n)
                cJSON_ReplaceItemViaPointer(map, c, n), c = n;
            free(t);
        }
    }
}

/* Nonzero when the path template has the parameter {name}. */
static int template_has_param(const char *tmpl, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = tmpl; (p = strchr(p, '{')) != NULL; p++)
        if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '}')
            return 1;
    return 0;
}

/* Suite defaults for path parameters apply to the steps whose path has
 * them (setup steps to other endpoints share the defaults); a step's own
 * path values are checked strictly. */
static void drop_foreign_path_params(cJSON *path, const cJSON *own, const char *tmpl)
{
    for (cJSON *c = path ? path->child : NULL, *next; c; c = next) {
        next = c->next;
        if (!template_has_param(tmpl, c->string) &&
            !(own && cJSON_GetObjectItemCaseSensitive(own, c->string)))
            cJSON_Delete(cJSON_DetachItemViaPointer(path, c));
    }
}

/* The merged map of kind i (path, query, headers) of a step that sets none
 * of its own: the same for every such step (with the same path template), so
 * it is built once, owned by the suite and referenced (cJSON_IsReference)
 * from each step's request, which nothing modifies after loading. Saves
 * about 0.6 KB a case of a large suite; past SHARED_MAX distinct templates a
 * step gets its own copy. */
static cJSON *shared_default(loadstate *s, size_t i, const cJSON *d, const char *tmpl)
{
    const char *key = i == 0 ? tmpl : "";
    for (size_t k = 0; k < s->nshared; k++)
        if (s->shared[k].kind == i && !strcmp(s->shared[k].tmpl, key))
            return cJSON_CreateObjectReference(s->shared[k].map->child);
    cJSON *m = merge_map(d, NULL, i == 2);
    if (!m)
        return NULL;
    if (i == 0)
        drop_foreign_path_params(m, NULL, tmpl);
    stringify_scalars(s->doc, m);
    if (s->nshared == SHARED_MAX)
        return m;
    if (!s->suite->shared)
        s->suite->shared = cJSON_CreateArray();
    cJSON_AddItemToArray(s->suite->shared, m);
    s->shared[s->nshared++] = (shared_map){i, cf_strdup(key), m};
    return cJSON_CreateObjectReference(m->child);
}

static int has_numbers(const cJSON *node)
{
    if (cJSON_IsNumber(node))
        return 1;
    for (const cJSON *c = node->child; c && (cJSON_IsObject(node) || cJSON_IsArray(node));
         c = c->next)
        if (has_numbers(c))
            return 1;
    return 0;
}

/* The request body: the suite doc's own node, referenced, when no number in
 * it needs its literal text (the doc outlives the steps); else a copy. v is
 * a member of parent, the step's request (NULL: of the suite's defaults). */
static cJSON *body_of(loadstate *s, const cJSON *parent, const cJSON *v)
{
    if ((cJSON_IsObject(v) || cJSON_IsArray(v)) && !has_numbers(v)) {
        if (parent)
            borrow(s, parent, v);
        return cJSON_IsObject(v) ? cJSON_CreateObjectReference(v->child)
                                 : cJSON_CreateArrayReference(v->child);
    }
    return dup_exact(s->doc, v);
}

/* The request's keys are string literals, added as constants (no copy). */
static int build_request(loadstate *s, const cJSON *node, int use_defaults, const char *tmpl,
                         cJSON **out)
{
    const cJSON *defs = use_defaults ? s->defaults : NULL;
    *out = cJSON_CreateObject();
    if (!*out)
        return err_at(s, node, NULL, "out of memory");
    static const char *const maps[] = {"path", "query", "headers"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *d = defs ? cJSON_GetObjectItemCaseSensitive(defs, maps[i]) : NULL;
        const cJSON *o = node ? cJSON_GetObjectItemCaseSensitive(node, maps[i]) : NULL;
        if (!d && !o)
            continue;
        cJSON *m = o ? merge_map(d, o, i == 2) : shared_default(s, i, d, tmpl);
        if (!m)
            return err_at(s, node, NULL, "out of memory");
        if (o && i == 0)
            drop_foreign_path_params(m, o, tmpl);
        if (o)
            stringify_scalars(s->doc, m);
        cJSON_AddItemToObjectCS(*out, maps[i], m);
    }
    static const char *const whole[] = {"body", "body_raw", "auth"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *o = node ? cJSON_GetObjectItemCaseSensitive(node, whole[i]) : NULL;
        const cJSON *d = defs ? cJSON_GetObjectItemCaseSensitive(defs, whole[i]) : NULL;
        const cJSON *v = o ? o : d;
        if (i < 2 && node &&
            (cJSON_GetObjectItemCaseSensitive(node, "body") ||
             cJSON_GetObjectItemCaseSensitive(node, "body_raw")))
            v = o; /* a step's body replaces both default body kinds */
        if (!v || cJSON_IsNull(v))
            continue;
        cJSON_AddItemToObjectCS(
            *out, whole[i], i == 0 ? body_of(s, v == o ? node : NULL, v) : cJSON_Duplicate(v, 1));
    }
    return 0;
}

/* The {name}s of a path template, in order (any number, any length); the
 * caller frees each and the array. */
static char **path_params(const char *tmpl, size_t *n)
{
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    for (const char *p = tmpl; (p = strchr(p, '{')) != NULL;) {
        const char *e = strchr(p, '}');
        if (!e)
            break;
        names = cf_xgrow(names, &cap, *n + 1, sizeof *names);
        names[(*n)++] = cf_strndup(p + 1, (size_t)(e - p - 1));
        p = e + 1;
    }
    return names;
}

/* A value given for a name that is not a parameter of the step's path. */
static int foreign_path_param(loadstate *s, const cJSON *at, const cf_step *st, const cJSON *c,
                              char **names, size_t n)
{
    const char *near = cf_did_you_mean(c->string, (const char *const *)names, n);
    char *hint =
        near ? cf_asprintf("did you mean '%s'?", near) : cf_asprintf("the path is %s", st->path);
    const cJSON *own = cJSON_GetObjectItemCaseSensitive(at, "path");
    const cJSON *key = own ? cJSON_GetObjectItemCaseSensitive(own, c->string) : NULL;
    if (key)
        cf_shape_error(s->doc, key, 1, s->err, hint, "'%s' is not a parameter of the path %s",
                       c->string, st->path);
    else
        err_at(s, at, hint, "'%s' is not a parameter of the path %s", c->string, st->path);
    free(hint);
    return -1;
}

/* Every {name} of the step's path has a value, and every value names one. */
static int check_path_params(loadstate *s, const cJSON *at, cf_step *st)
{
    size_t n = 0;
    char **names = path_params(st->path, &n);
    const cJSON *given = cJSON_GetObjectItemCaseSensitive(st->request, "path");
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (!given || !cJSON_GetObjectItemCaseSensitive(given, names[i]))
            rc = err_at(s, at, "add request: {path: {NAME: VALUE}} or a suite default",
                        "path parameter '%s' of %s has no value", names[i], st->path);
    for (const cJSON *c = given ? given->child : NULL; c && rc == 0; c = c->next)
        if (!template_has_param(st->path, c->string))
            rc = foreign_path_param(s, at, st, c, names, n);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* Load-time check that the named example exists for the expected status:
 * a single expected status or class names the response; otherwise any
 * documented response may hold it. */
static int check_example(loadstate *s, const cJSON *at, const cf_step *st)
{
    const cf_expect *e = &st->expect;
    if (!e->example)
        return 0;
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(at, "example");
    if (cJSON_IsObject(node))
        node = cJSON_GetObjectItemCaseSensitive(node, "name");
    if (!st->op)
        return err_at(s, node, "name an operation of a spec", "'example' needs a spec operation");
    char key[8] = "";
    if (e->nstatus == 1) {
        if (e->status[0].code)
            snprintf(key, sizeof key, "%d", e->status[0].code);
        else
            snprintf(key, sizeof key, "%dXX", e->status[0].klass);
    }
    return cf_spec_example_exists(st->op, key[0] ? key : NULL, e->example, s->doc, node, s->err);
}

/* What the step calls: method and path, or a spec operation (its own or the
 * suite's). Sets st->method, st->path and, for an operation, st->op. */
static int parse_step_target(loadstate *s, const cJSON *node, cf_step *st)
{
    const cJSON *opn = cJSON_GetObjectItemCaseSensitive(node, "operation");
    const cJSON *meth = cJSON_GetObjectItemCaseSensitive(node, "method");
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(node, "path");
    if (!!meth != !!path)
        return err_at(s, meth ? meth : path, "give both 'method' and 'path'",
                      "'method' and 'path' go together");
    if (opn && meth)
        return err_at(s, meth, "keep one of them",
                      "a step has either 'operation' or 'method'/'path', not both");
    if (meth) {
        static const char *const methods[] = {"GET",    "POST", "PUT",     "PATCH",
                                              "DELETE", "HEAD", "OPTIONS", NULL};
        if (!cJSON_IsString(meth))
            return cf_shape_expect(s->doc, meth, cJSON_String, "string", s->err);
        size_t i;
        for (i = 0; methods[i]; i++)
            if (!strcasecmp(meth->valuestring, methods[i]))
                break;
        if (!methods[i])
            return err_at(s, meth, "GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS",
                          "unknown HTTP method '%s'", meth->valuestring);
        st->method = doc_key(s, methods[i]);
        if (!cJSON_IsString(path) || path->valuestring[0] != '/')
            return err_at(s, path, "write e.g. /api/v1/info", "'path' must start with '/'");
        st->path = path->valuestring;
        return 0;
    }
    const cJSON *ref = opn ? opn : s->default_op_node;
    if (!ref)
        return err_at(s, node, "add 'operation:' to the step or the suite, or method/path",
                      "the step says neither which operation nor which method and path");
    if (!cJSON_IsString(ref))
        return cf_shape_expect(s->doc, ref, cJSON_String, "string", s->err);
    if (resolve_operation(s, ref, ref->valuestring, &st->op) < 0)
        return -1;
    st->method = doc_key(s, cf_operation_method(st->op));
    st->path = doc_key(s, cf_operation_path(st->op));
    return 0;
}

/* The step's expect:, its checks_off and example, and its captures. */
static int parse_step_expect(loadstate *s, const cJSON *node, cf_step *st)
{
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(node, "expect");
    if (exp && parse_expect(s, exp, &st->expect) < 0)
        return -1;
    const cJSON *off = exp ? cJSON_GetObjectItemCaseSensitive(exp, "checks_off") : NULL;
    if (off && !st->op)
        return cf_shape_error(s->doc, off, 1, s->err,
                              "automatic checks run only on steps that name a spec operation",
                              "'checks_off' on a method/path step turns nothing off");
    if (exp && check_example(s, exp, st) < 0)
        return -1;
    const cJSON *cap = cJSON_GetObjectItemCaseSensitive(node, "capture");
    if (cap && parse_captures(s, cap, st) < 0)
        return -1;
    return 0;
}

static int parse_step(loadstate *s, const cJSON *node, const char *label, size_t index, cf_step *st,
                      int is_case)
{
    static const char *const step_keys[] = {"name",     "operation", "method",  "path",
                                            "base_url", "defaults",  "request", "expect",
                                            "capture",  NULL};
    if (!is_case) {
        if (cf_shape_expect(s->doc, node, cJSON_Object, "mapping", s->err) < 0 ||
            cf_shape_keys(s->doc, node, step_keys, "step", s->err) < 0)
            return -1;
    }
    st->mark = cf_doc_mark(s->doc, node);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(node, "name");
    if (name && !is_case) {
        if (want_doc_string(s, name, &st->name) < 0)
            return -1;
    } else {
        char buf[64]; /* labels are short literals */
        snprintf(buf, sizeof buf, "%s %zu", label, index + 1);
        st->name = doc_key(s, buf);
    }
    if (parse_step_target(s, node, st) < 0)
        return -1;
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(node, "base_url");
    if (base && want_string(s, base, &st->base_url) < 0)
        return -1;
    const cJSON *defs = cJSON_GetObjectItemCaseSensitive(node, "defaults");
    if (defs && !cJSON_IsBool(defs))
        return cf_shape_expect(s->doc, defs, cJSON_True | cJSON_False, "boolean", s->err);
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(node, "request");
    if (req && check_request(s, req) < 0)
        return -1;
    if (build_request(s, req, !defs || cJSON_IsTrue(defs), st->path, &st->request) < 0)
        return -1;
    if (check_path_params(s, req ? req : node, st) < 0)
        return -1;
    /* What does not change from one run of the step to the next is prepared
     * once here, not per request. */
    st->request_has_refs = json_has_refs(st->request);
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(st->request, "body");
    if (body && !json_has_refs(body))
        st->body_text = cJSON_PrintUnformatted(body);
    return parse_step_expect(s, node, st);
}

static int parse_steps(loadstate *s, const cJSON *list, const char *label, cf_step **out, size_t *n)
{
    if (cf_shape_expect(s->doc, list, cJSON_Array, "list of steps", s->err) < 0)
        return -1;
    size_t count = (size_t)cJSON_GetArraySize(list);
    *out = cf_xcalloc(count ? count : 1, sizeof **out);
    if (!*out)
        return err_at(s, list, NULL, "out of memory");
    for (const cJSON *c = list->child; c; c = c->next) {
        (*n)++;
        if (parse_step(s, c, label, *n - 1, &(*out)[*n - 1], 0) < 0)
            return -1;
    }
    return 0;
}

static int valid_case_id(const char *id)
{
    if (!*id)
        return 0;
    for (const char *p = id; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-')
            return 0;
    return 1;
}

static int parse_case(loadstate *s, const cJSON *node, cf_case *c, char **suite_tags,
                      size_t nsuite_tags)
{
    static const char *const keys[] = {"id",       "title",    "tags",      "skip",   "skip_unless",
                                       "steps",    "name",     "operation", "method", "path",
                                       "base_url", "defaults", "request",   "expect", "capture",
                                       "since",    "until",    NULL};
    if (cf_shape_expect(s->doc, node, cJSON_Object, "mapping", s->err) < 0 ||
        cf_shape_keys(s->doc, node, keys, "case", s->err) < 0)
        return -1;
    c->mark = cf_doc_mark(s->doc, node);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(node, "id");
    if (!id)
        return err_at(s, node, "add id: a-short-name", "the case has no 'id'");
    if (want_doc_string(s, id, &c->id) < 0)
        return -1;
    if (!valid_case_id(c->id))
        return err_at(s, id, "use letters, digits, '.', '_' and '-'", "invalid case id '%s'",
                      c->id);
    if (cf_strset_add(&s->ids, c->id))
        return err_at(s, id, "case ids must be unique within a suite", "duplicate case id '%s'",
                      c->id);
    const cJSON *v;
    if ((v = cJSON_GetObjectItemCaseSensitive(node, "title")) && want_string(s, v, &c->title) < 0)
        return -1;
    for (size_t i = 0; i < nsuite_tags; i++) {
        char **grown = cf_xrealloc(c->tags, (c->ntags + 1) * sizeof *grown);
        if (!grown)
            return err_at(s, node, NULL, "out of memory");
        c->tags = grown;
        c->tags[c->ntags++] = cf_strdup(suite_tags[i]);
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(node, "tags")) &&
        want_string_list(s, v, &c->tags, &c->ntags) < 0)
        return -1;
    if ((v = cJSON_GetObjectItemCaseSensitive(node, "skip")) && want_string(s, v, &c->skip) < 0)
        return -1;
    if ((v = cJSON_GetObjectItemCaseSensitive(node, "skip_unless")) &&
        want_string(s, v, &c->skip_unless) < 0)
        return -1;
    if (cf_range_parse(&c->range, s->doc, node, s->err) < 0)
        return -1;

    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(node, "steps");
    static const char *const one_step[] = {"name",     "operation", "method", "path",   "base_url",
                                           "defaults", "request",   "expect", "capture"};
    if (steps) {
        for (size_t i = 0; i < sizeof one_step / sizeof *one_step; i++) {
            const cJSON *k = cJSON_GetObjectItemCaseSensitive(node, one_step[i]);
            if (k && strcmp(one_step[i], "name") == 0)
                return cf_shape_error(s->doc, k, 1, s->err,
                                      "use 'title' to describe the case; each step has its own "
                                      "'name'",
                                      "a case with 'steps' cannot have 'name'");
            if (k)
                return cf_shape_error(s->doc, k, 1, s->err, "move it into one of the steps",
                                      "a case with 'steps' cannot have '%s'", one_step[i]);
        }
        if (cJSON_GetArraySize(steps) == 0)
            return err_at(s, steps, "add at least one step", "'steps' is empty");
        return parse_steps(s, steps, "step", &c->steps, &c->nsteps);
    }
    c->steps = cf_xcalloc(1, sizeof *c->steps);
    if (!c->steps)
        return err_at(s, node, NULL, "out of memory");
    c->nsteps = 1;
    return parse_step(s, node, "step", 0, &c->steps[0], 1);
}

/* ---- variables: every {{name}} must be defined when its step runs ---- */

typedef struct varscope {
    const char **names;
    size_t n, cap;
} varscope;

static int scope_add(varscope *v, const char *name)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 32;
        const char **g = cf_xrealloc(v->names, cap * sizeof *g);
        if (!g)
            return -1;
        v->names = g;
        v->cap = cap;
    }
    v->names[v->n++] = name;
    return 0;
}

static int scope_has(const varscope *v, const char *name)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->names[i], name))
            return 1;
    return 0;
}

typedef struct refcheck {
    loadstate *s;
    const varscope *scope;
    const cJSON *node;
} refcheck;

static int ref_defined(void *ctx, const char *name, size_t offset)
{
    refcheck *r = ctx;
    (void)offset;
    if (scope_has(r->scope, name))
        return 0;
    const char *near = cf_did_you_mean(name, r->scope->names, r->scope->n);
    char *hint = near ? cf_asprintf("did you mean '%s'?", near)
                      : cf_strdup("define it in the suite's vars, the target's vars in the "
                                  "config, with --var, or capture it in an earlier step");
    err_at(r->s, r->node, hint, "undefined variable '%s'", name);
    free(hint);
    return -1;
}

/* Walks the merged request; marks come from the suite doc's nodes, which the
 * merged copy does not have, so errors point at the step. */
static int check_refs_json(refcheck *r, const cJSON *node)
{
    if (cJSON_IsString(node))
        return cf_template_each(node->valuestring, ref_defined, r);
    for (const cJSON *c = node->child; c && (cJSON_IsObject(node) || cJSON_IsArray(node));
         c = c->next)
        if (check_refs_json(r, c) < 0)
            return -1;
    return 0;
}

static int check_step_vars(loadstate *s, const cJSON *src, const cf_step *st, varscope *scope)
{
    refcheck r = {s, scope, src};
    const cJSON *req = src ? cJSON_GetObjectItemCaseSensitive(src, "request") : NULL;
    if (req)
        r.node = req;
    if (check_refs_json(&r, st->request) < 0)
        return -1;
    if (st->base_url) {
        r.node = src ? cJSON_GetObjectItemCaseSensitive(src, "base_url") : NULL;
        if (cf_template_each(st->base_url, ref_defined, &r) < 0)
            return -1;
    }
    /* Expected values see the variables of earlier steps, not this step's
     * own captures (those come from the response being judged). */
    const cf_expect *e = &st->expect;
    const cJSON *exp = src ? cJSON_GetObjectItemCaseSensitive(src, "expect") : NULL;
    for (int k = 0; k < 2; k++) {
        const cJSON *want = k ? e->body_includes : e->body_equals;
        if (!want)
            continue;
        r.node = want;
        if (check_refs_json(&r, want) < 0)
            return -1;
    }
    for (size_t i = 0; i < e->nheaders; i++) {
        if (!e->headers[i].exact)
            continue;
        const cJSON *hs = exp ? cJSON_GetObjectItemCaseSensitive(exp, "headers") : NULL;
        r.node = hs ? cJSON_GetObjectItemCaseSensitive(hs, e->headers[i].name) : exp;
        if (cf_template_each(e->headers[i].exact, ref_defined, &r) < 0)
            return -1;
    }
    for (size_t i = 0; i < st->ncaptures; i++)
        if (scope_add(scope, st->captures[i].var) < 0)
            return -1;
    return 0;
}

static int scope_copy(varscope *dst, const varscope *src)
{
    *dst = (varscope){0};
    for (size_t i = 0; i < src->n; i++)
        if (scope_add(dst, src->names[i]) < 0)
            return -1;
    return 0;
}

/* Setup captures are visible to every case and to teardown; a case's own
 * captures only to its later steps. Fills base with the names every case
 * sees and checks setup and teardown. */
static int check_setup_vars(loadstate *s, const cJSON *root, varscope *base)
{
    int rc = -1;
    varscope scope = {0};
    cf_suite *su = s->suite;
    scope_add(base, "case_id");
    scope_add(base, "run_id");
    scope_add(base, "unique");
    for (size_t i = 0; i < su->vars.count; i++)
        scope_add(base, su->vars.items[i].name);
    const cJSON *setup = cJSON_GetObjectItemCaseSensitive(root, "setup");
    const cJSON *teardown = cJSON_GetObjectItemCaseSensitive(root, "teardown");
    const cJSON *src = setup ? setup->child : NULL;
    for (size_t i = 0; i < su->nsetup; i++, src = src ? src->next : NULL)
        if (check_step_vars(s, src, &su->setup[i], base) < 0)
            goto done;
    if (scope_copy(&scope, base) < 0)
        goto done;
    src = teardown ? teardown->child : NULL;
    for (size_t i = 0; i < su->nteardown; i++, src = src ? src->next : NULL)
        if (check_step_vars(s, src, &su->teardown[i], &scope) < 0)
            goto done;
    rc = 0;
done:
    free(scope.names);
    return rc;
}

/* The variables of case c, built from csrc. */
static int check_case_vars(loadstate *s, const cJSON *csrc, const cf_case *c, const varscope *base)
{
    int rc = -1;
    varscope scope = {0};
    if (scope_copy(&scope, base) < 0)
        goto done;
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(csrc, "steps");
    const cJSON *ssrc = steps ? steps->child : csrc;
    for (size_t k = 0; k < c->nsteps; k++, ssrc = ssrc ? ssrc->next : NULL)
        if (check_step_vars(s, ssrc, &c->steps[k], &scope) < 0)
            goto done;
    if (c->skip_unless && !scope_has(base, c->skip_unless)) {
        err_at(s, cJSON_GetObjectItemCaseSensitive(csrc, "skip_unless"),
               "define it in the target's vars or with --var", "undefined variable '%s'",
               c->skip_unless);
        goto done;
    }
    rc = 0;
done:
    free(scope.names);
    return rc;
}

/* ---- the suite ---- */

static int load_specs(loadstate *s, const cJSON *node)
{
    cf_suite *su = s->suite;
    const cJSON *one = node;
    size_t n = cJSON_IsArray(node) ? (size_t)cJSON_GetArraySize(node) : 1;
    su->specs = cf_xcalloc(n ? n : 1, sizeof *su->specs);
    if (!su->specs)
        return err_at(s, node, NULL, "out of memory");
    if (!cJSON_IsArray(node) && !cJSON_IsString(node))
        return err_at(s, node, "write spec: PATH or spec: [PATH, ...]",
                      "'spec' must be a path or a list of paths, got %s", cf_shape_type_name(node));
    for (const cJSON *c = cJSON_IsArray(node) ? node->child : one; c;
         c = cJSON_IsArray(node) ? c->next : NULL) {
        if (!cJSON_IsString(c))
            return err_at(s, c, NULL, "expected a path, got %s", cf_shape_type_name(c));
        /* Relative to the suite file, normalised so messages stay readable. */
        char *path = cf_path_join(s->dir, c->valuestring);
        cf_error *e = NULL;
        int rc = cf_spec_cache_get(&su->specs[su->nspecs], s->ctx->specs, path, &e);
        if (rc < 0) {
            /* A missing file is the suite's mistake; a broken spec is the spec's. */
            if (e && e->line == 0 && e->file && !strcmp(e->file, path)) {
                err_at(s, c, "spec paths are relative to the suite file", "spec %s: %s", path,
                       e->message);
                cf_error_free(e);
            } else {
                *s->err = e;
            }
            free(path);
            return -1;
        }
        free(path);
        su->nspecs++;
    }
    return 0;
}

static int load_vars(loadstate *s, const cJSON *node)
{
    cf_suite *su = s->suite;
    if (node) {
        if (cf_shape_expect(s->doc, node, cJSON_Object, "mapping", s->err) < 0)
            return -1;
        for (const cJSON *c = node->child; c; c = c->next) {
            char *t = cf_shape_scalar_text(s->doc, c);
            if (!t)
                return err_at(s, c, "write a string, number or boolean",
                              "variable '%s' must be a scalar, got %s", c->string,
                              cf_shape_type_name(c));
            cf_kvlist_set(&su->vars, c->string, t);
            free(t);
        }
    }
    for (size_t i = 0; su->target && i < su->target->vars.count; i++) {
        cf_kvlist_set(&su->vars, su->target->vars.items[i].name, su->target->vars.items[i].value);
        cf_kvlist_set(&su->given, su->target->vars.items[i].name, "config");
    }
    for (size_t i = 0; s->ctx->cli_vars && i < s->ctx->cli_vars->count; i++) {
        cf_kvlist_set(&su->vars, s->ctx->cli_vars->items[i].name, s->ctx->cli_vars->items[i].value);
        cf_kvlist_set(&su->given, s->ctx->cli_vars->items[i].name, "--var");
    }
    return 0;
}

/* The suite's target: a target of the config, with a base_url. */
static int load_target(loadstate *s, const cJSON *root)
{
    cf_suite *su = s->suite;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "target");
    if (!v)
        return err_at(s, root, "add target: NAME (a target of the config)",
                      "the suite has no 'target'");
    if (want_string(s, v, &su->target_name) < 0)
        return -1;
    su->target = cf_config_target(s->ctx->config, su->target_name);
    if (!su->target) {
        const cf_config *cfg = s->ctx->config;
        const char *names[64];
        size_t n = 0;
        for (size_t i = 0; i < cfg->ntargets && n < 64; i++)
            names[n++] = cfg->targets[i].name;
        const char *near = cf_did_you_mean(su->target_name, names, n);
        char *hint = near        ? cf_asprintf("did you mean '%s'?", near)
                     : cfg->path ? cf_asprintf("define it under 'targets:' in %s", cfg->path)
                                 : cf_strdup("no config file was found: pass --config FILE or "
                                             "--base-url TARGET=URL");
        err_at(s, v, hint, "unknown target '%s'", su->target_name);
        free(hint);
        return -1;
    }
    if (!su->target->base_url)
        return err_at(s, v, "set base_url in the config or pass --base-url",
                      "target '%s' has no base_url", su->target_name);
    return 0;
}

/* The top of the suite file: its keys, name, target, specs and operation. */
static int load_head(loadstate *s, const cJSON *root)
{
    static const char *const keys[] = {"suite", "spec",     "target", "operation", "tags",
                                       "vars",  "defaults", "setup",  "teardown",  "cases",
                                       "since", "until",    NULL};
    if (!root)
        return cf_error_set(s->err, s->doc->name, 0, 0, "start with 'suite:' and 'cases:'",
                            "the suite file is empty");
    if (!cJSON_IsObject(root))
        return err_at(s, root,
                      "a suite file is a mapping with suite:, target: and cases: "
                      "(docs/CASEFORMAT.md)",
                      "expected a mapping, got %s", cf_shape_type_name(root));
    if (cf_shape_keys(s->doc, root, keys, "suite", s->err) < 0)
        return -1;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "suite");
    if (!v)
        return err_at(s, root, "add suite: \"a name\"", "the suite has no 'suite' name");
    if (want_string(s, v, &s->suite->name) < 0 || load_target(s, root) < 0)
        return -1;
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "spec")) && load_specs(s, v) < 0)
        return -1;
    if (cf_range_parse(&s->suite->range, s->doc, root, s->err) < 0)
        return -1;
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "operation"))) {
        if (!cJSON_IsString(v))
            return cf_shape_expect(s->doc, v, cJSON_String, "string", s->err);
        const cf_operation *op;
        if (resolve_operation(s, v, v->valuestring, &op) < 0)
            return -1;
        s->default_op_node = v;
    }
    return 0;
}

/* Frees case node c (an item of cases) once its case is built; the nodes its
 * steps borrow move to suite->kept. */
static void release_case(loadstate *s, cJSON *cases, cJSON *c)
{
    cf_suite *su = s->suite;
    for (size_t i = 0; i < s->nborrowed; i++) {
        if (!su->kept)
            su->kept = cJSON_CreateArray();
        cJSON_AddItemToArray(
            su->kept, cJSON_DetachItemViaPointer(s->borrowed[i].parent, s->borrowed[i].node));
    }
    s->nborrowed = 0;
    cf_doc_delete_subtree(s->doc, cJSON_DetachItemViaPointer(cases, c));
}

/* cases: a non-empty list, each case with the suite's tags first. */
static int load_cases(loadstate *s, const cJSON *root, char **tags, size_t ntags)
{
    cf_suite *su = s->suite;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "cases");
    if (!v)
        return err_at(s, root, "add cases: [{id: ..., request: ..., expect: ...}]",
                      "the suite has no 'cases'");
    if (cf_shape_expect(s->doc, v, cJSON_Array, "list of cases", s->err) < 0)
        return -1;
    if (cJSON_GetArraySize(v) == 0)
        return err_at(s, v, "add at least one case", "'cases' is empty");
    su->cases = cf_xcalloc((size_t)cJSON_GetArraySize(v), sizeof *su->cases);
    /* Variables are checked as each case is built (its nodes may be freed
     * next), but their first error is reported only once every case parsed:
     * a case's own error comes first, as it did when variables were checked
     * after all cases. */
    cf_error *var_err = NULL, **err = s->err;
    varscope base = {0};
    s->err = &var_err;
    int var_rc = check_setup_vars(s, root, &base), rc = -1;
    s->err = err;
    for (cJSON *c = v->child, *next; c; c = next) {
        next = c->next;
        s->nborrowed = 0;
        su->ncases++;
        if (parse_case(s, c, &su->cases[su->ncases - 1], tags, ntags) < 0)
            goto done;
        if (var_rc == 0) {
            s->err = &var_err;
            var_rc = check_case_vars(s, c, &su->cases[su->ncases - 1], &base);
            s->err = err;
        }
        if (!s->ctx->keep_cases)
            release_case(s, (cJSON *)v, c);
    }
    if (var_rc < 0 && err && !*err) {
        *err = var_err;
        var_err = NULL;
    }
    rc = var_rc;
done:
    cf_error_free(var_err);
    free(base.names);
    return rc;
}

static int load_suite(loadstate *s)
{
    cf_suite *su = s->suite;
    const cJSON *root = s->doc->root, *v;
    if (load_head(s, root) < 0)
        return -1;
    char **tags = NULL;
    size_t ntags = 0;
    int rc = -1;
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "tags")) &&
        want_string_list(s, v, &tags, &ntags) < 0)
        goto done;
    if (load_vars(s, cJSON_GetObjectItemCaseSensitive(root, "vars")) < 0)
        goto done;
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "defaults"))) {
        if (check_request(s, v) < 0)
            goto done;
        s->defaults = v;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "setup")) &&
        parse_steps(s, v, "setup step", &su->setup, &su->nsetup) < 0)
        goto done;
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "teardown")) &&
        parse_steps(s, v, "teardown step", &su->teardown, &su->nteardown) < 0)
        goto done;
    rc = load_cases(s, root, tags, ntags);
done:
    for (size_t i = 0; i < ntags; i++)
        free(tags[i]);
    free(tags);
    return rc;
}

int cf_suite_load(cf_suite **out, const char *path, const cf_load_ctx *ctx, cf_error **err)
{
    *out = NULL;
    cf_suite *su = cf_xcalloc(1, sizeof *su);
    if (!su)
        return cf_error_set(err, path, 0, 0, NULL, "out of memory");
    su->path = cf_strdup(path);
    loadstate s = {.ctx = ctx, .suite = su, .err = err};
    const char *slash = strrchr(path, '/');
    s.dir = slash ? cf_strndup(path, (size_t)(slash - path)) : cf_strdup(".");
    int rc = cf_yaml_load_file_flags(&su->doc, path, CF_YAML_PACKED, err);
    if (rc == 0) {
        s.doc = su->doc;
        rc = load_suite(&s);
    }
    cf_strset_free(&s.ids);
    free(s.borrowed);
    for (size_t i = 0; i < s.nshared; i++)
        free(s.shared[i].tmpl);
    free(s.dir);
    if (rc < 0) {
        cf_suite_free(su);
        return -1;
    }
    *out = su;
    return 0;
}

static void expect_clear(cf_expect *e)
{
    free(e->status);
    for (size_t i = 0; i < e->nheaders; i++) {
        free(e->headers[i].name);
        free(e->headers[i].exact);
        if (e->headers[i].pattern)
            regfree(&e->headers[i].re);
        free(e->headers[i].pattern);
    }
    free(e->headers);
    for (size_t i = 0; i < e->nbody_has; i++)
        free(e->body_has[i]);
    free(e->body_has);
    for (size_t i = 0; i < e->nexample_ignore; i++)
        free(e->example_ignore[i]);
    free(e->example_ignore);
    for (int k = 0; k < CF_AUTO_COUNT; k++)
        free(e->checks_off[k]);
}

static void steps_free(cf_step *steps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cf_step *st = &steps[i];
        free(st->base_url);
        cJSON_Delete(st->request);
        free(st->body_text);
        expect_clear(&st->expect);
        for (size_t k = 0; k < st->ncaptures; k++) {
            free(st->captures[k].var);
            free(st->captures[k].header);
            free(st->captures[k].pointer);
            free(st->captures[k].inner);
        }
        free(st->captures);
    }
    free(steps);
}

void cf_suite_free(cf_suite *su)
{
    if (!su)
        return;
    for (size_t i = 0; i < su->ncases; i++) {
        cf_case *c = &su->cases[i];
        free(c->title);
        for (size_t k = 0; k < c->ntags; k++)
            free(c->tags[k]);
        free(c->tags);
        free(c->skip);
        free(c->skip_unless);
        cf_range_clear(&c->range);
        steps_free(c->steps, c->nsteps);
    }
    free(su->cases);
    steps_free(su->setup, su->nsetup);
    steps_free(su->teardown, su->nteardown);
    cJSON_Delete(su->shared);
    cJSON_Delete(su->kept);
    cf_kvlist_clear(&su->vars);
    cf_kvlist_clear(&su->given);
    cf_range_clear(&su->range);
    free(su->specs);
    free(su->path);
    free(su->name);
    free(su->target_name);
    cf_doc_free(su->doc);
    free(su);
}
