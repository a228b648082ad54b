/*
 * derive_value.c - values for derived requests, and the YAML they are
 * written in (derive_internal.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "derive/derive_internal.h"
#include "doc/json.h"
#include "spec/spec_ref.h"

enum { MAX_VALUE_DEPTH = 6, MAX_MEMBERS = 24 };

/* ---- variables ---- */

/* [A-Za-z_][A-Za-z0-9_.-]* (template.h) from any text. */
static char *var_name(const char *hint)
{
    cf_buf b = {0};
    if (!hint || !*hint)
        hint = "value";
    if (!isalpha((unsigned char)hint[0]) && hint[0] != '_')
        cf_buf_puts(&b, "v_");
    for (const char *p = hint; *p; p++) {
        char c = *p;
        cf_buf_append(&b, isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-' ? &c : "_",
                      1);
    }
    return cf_buf_take(&b);
}

const char *dv_var(dgen *g, const char *hint, const char *comment)
{
    char *name = var_name(hint);
    for (size_t i = 0; i < g->nvars; i++) {
        if (!strcmp(g->vars[i].name, name)) {
            free(name);
            return g->vars[i].name;
        }
    }
    g->vars = cf_xrealloc(g->vars, (g->nvars + 1) * sizeof *g->vars);
    g->vars[g->nvars].name = name;
    g->vars[g->nvars].comment = cf_strdup(comment);
    return g->vars[g->nvars++].name;
}

cJSON *dv_var_ref(dgen *g, const char *hint, const char *comment)
{
    const char *name = dv_var(g, hint, comment);
    char *t = cf_asprintf("{{%s}}", name);
    cJSON *s = cJSON_CreateString(t);
    free(t);
    return s;
}

/* ---- values from schemas ---- */

const cJSON *dv_follow(dgen *g, const cf_doc **doc, const cJSON *node)
{
    if (!node)
        return NULL;
    char *ptr = cf_strdup("");
    cf_error *e = NULL;
    const cJSON *n = node;
    if (cf_ref_follow(doc, &n, &ptr, g->fs, "schema", &e) < 0) {
        cf_error_free(e);
        n = NULL;
    }
    free(ptr);
    return n;
}

static cJSON *copy_value(const cf_doc *doc, const cJSON *v)
{
    (void)doc;
    return cJSON_Duplicate(v, 1);
}

static cJSON *string_for_format(const char *fmt)
{
    static const struct {
        const char *format, *value;
    } samples[] = {
        {"date-time", "2024-01-01T00:00:00Z"},
        {"date", "2024-01-01"},
        {"email", "conform@example.com"},
        {"uuid", "00000000-0000-4000-8000-000000000000"},
        {"uri", "https://example.com/"},
        {"url", "https://example.com/"},
        {"byte", "Y29uZm9ybQ=="},
        {"ipv4", "192.0.2.1"},
        {"hostname", "example.com"},
    };
    for (size_t i = 0; fmt && i < sizeof samples / sizeof *samples; i++)
        if (!strcmp(fmt, samples[i].format))
            return cJSON_CreateString(samples[i].value);
    return NULL;
}

/* The schema's own value: example, default, first enum member. */
static const cJSON *given_value(const cJSON *s)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(s, "example");
    if (!v)
        v = cJSON_GetObjectItemCaseSensitive(s, "default");
    if (!v) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(s, "enum");
        v = cJSON_IsArray(e) ? e->child : NULL;
    }
    return v;
}

static cJSON *object_value(dgen *g, const cf_doc *doc, const cJSON *s, const char *name, int depth);

cJSON *dv_value(dgen *g, const cf_doc *doc, const cJSON *schema, const char *name, int depth)
{
    const cJSON *s = dv_follow(g, &doc, schema);
    if (!cJSON_IsObject(s) || depth > MAX_VALUE_DEPTH)
        return cJSON_CreateNull();
    const cJSON *v = given_value(s);
    if (v)
        return copy_value(doc, v);
    const char *branches[] = {"allOf", "oneOf", "anyOf"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(s, branches[i]);
        if (cJSON_IsArray(b) && b->child && !cJSON_GetObjectItemCaseSensitive(s, "properties"))
            return i == 0 && cJSON_GetArraySize(b) > 1
                       ? object_value(g, doc, s, name, depth)
                       : dv_value(g, doc, b->child, name, depth + 1);
    }
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(s, "type");
    const char *type = cJSON_IsString(t) ? t->valuestring : NULL;
    if (!type && cJSON_GetObjectItemCaseSensitive(s, "properties"))
        type = "object";
    if (!type)
        type = "string";
    if (!strcmp(type, "object"))
        return object_value(g, doc, s, name, depth);
    if (!strcmp(type, "array")) {
        cJSON *arr = cJSON_CreateArray();
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(s, "items");
        const cJSON *min = cJSON_GetObjectItemCaseSensitive(s, "minItems");
        if (items && cJSON_IsNumber(min) && min->valuedouble >= 1)
            cJSON_AddItemToArray(arr, dv_value(g, doc, items, name, depth + 1));
        return arr;
    }
    if (!strcmp(type, "integer") || !strcmp(type, "number")) {
        const cJSON *min = cJSON_GetObjectItemCaseSensitive(s, "minimum");
        return cJSON_CreateNumber(cJSON_IsNumber(min) ? min->valuedouble + (min->valuedouble < 1)
                                                      : 1);
    }
    if (!strcmp(type, "boolean"))
        return cJSON_CreateBool(1);
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(s, "format");
    cJSON *sample = string_for_format(cJSON_IsString(f) ? f->valuestring : NULL);
    if (sample)
        return sample;
    char *comment = cf_asprintf("a string for %s (%s)", name ? name : "a value", g->op_label);
    cJSON *ref = dv_var_ref(g, name, comment);
    free(comment);
    return ref;
}

/* Members of an object schema (allOf parts merged): the required ones, or
 * when none is required, none. */
static void add_members(dgen *g, cJSON *obj, const cf_doc *doc, const cJSON *s, int depth)
{
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(s, "allOf");
    for (const cJSON *b = cJSON_IsArray(all) ? all->child : NULL; b; b = b->next) {
        const cf_doc *bd = doc;
        const cJSON *bs = dv_follow(g, &bd, b);
        if (cJSON_IsObject(bs))
            add_members(g, obj, bd, bs, depth + 1);
    }
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(s, "required");
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(s, "properties");
    int n = 0;
    for (const cJSON *r = cJSON_IsArray(req) ? req->child : NULL; r && n < MAX_MEMBERS;
         r = r->next, n++) {
        if (!cJSON_IsString(r) || cJSON_GetObjectItemCaseSensitive(obj, r->valuestring))
            continue;
        const cJSON *ps = cJSON_GetObjectItemCaseSensitive(props, r->valuestring);
        cJSON_AddItemToObject(obj, r->valuestring,
                              ps ? dv_value(g, doc, ps, r->valuestring, depth + 1)
                                 : dv_var_ref(g, r->valuestring, "a required member"));
    }
}

static cJSON *object_value(dgen *g, const cf_doc *doc, const cJSON *s, const char *name, int depth)
{
    (void)name;
    cJSON *obj = cJSON_CreateObject();
    add_members(g, obj, doc, s, depth);
    return obj;
}

/* ---- YAML ---- */

static int plain_key(const char *k)
{
    static const char *const words[] = {"true", "false", "null", "yes", "no",
                                        "on",   "off",   "y",    "n",   "~"};
    if (!*k || !(isalpha((unsigned char)k[0]) || k[0] == '_'))
        return 0;
    for (const char *p = k; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
            return 0;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strcasecmp(k, words[i]))
            return 0;
    return 1;
}

void dv_key(cf_buf *b, const char *k)
{
    if (plain_key(k))
        cf_buf_puts(b, k);
    else
        cf_json_quote(b, k);
}

void dv_flow(cf_buf *b, const cJSON *v)
{
    if (cJSON_IsObject(v)) {
        cf_buf_puts(b, "{");
        for (const cJSON *c = v->child; c; c = c->next) {
            dv_key(b, c->string);
            cf_buf_puts(b, ": ");
            dv_flow(b, c);
            if (c->next)
                cf_buf_puts(b, ", ");
        }
        cf_buf_puts(b, "}");
    } else if (cJSON_IsArray(v)) {
        cf_buf_puts(b, "[");
        for (const cJSON *c = v->child; c; c = c->next) {
            dv_flow(b, c);
            if (c->next)
                cf_buf_puts(b, ", ");
        }
        cf_buf_puts(b, "]");
    } else if (cJSON_IsString(v)) {
        cf_json_quote(b, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        cf_json_number_render(b, NULL, v);
    } else if (cJSON_IsBool(v)) {
        cf_buf_puts(b, cJSON_IsTrue(v) ? "true" : "false");
    } else {
        cf_buf_puts(b, "null");
    }
}

void dv_string(cf_buf *b, const char *s)
{
    cf_json_quote(b, s);
}
