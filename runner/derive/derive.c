/*
 * derive.c - cases from an OpenAPI document (derive.h).
 *
 * Each operation is read from its raw Operation Object (spec.h gives it):
 * parameters (path item's, overridden by the operation's), the JSON request
 * body and its examples, the security requirement, the documented
 * responses. A base request is built once; every case is that request with
 * one change, written as a block of YAML with the values in flow style.
 */
#include "derive/derive.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "derive/derive_internal.h"
#include "suite/template.h"

typedef struct dparam {
    const cf_doc *doc;
    const cJSON *node;
    const char *name, *in;
    int required;
} dparam;

/* Credentials one scheme asks for: where they go and under which name. */
typedef struct dcred {
    const char *where; /* "headers", "query" or "auth" */
    const char *name;  /* header or query name; NULL for auth */
} dcred;

typedef struct dop {
    const cf_operation *op;
    const char *label;
    const cf_doc *doc;
    const cJSON *node;
    dparam *params;
    size_t nparams;
    const cf_doc *body_doc;
    const cJSON *body_media; /* the JSON media type object of the request body */
    const char *body_type;   /* a non-JSON body's media type: cases are skipped */
    int body_required;
    dcred creds[4];
    size_t ncreds;
    cJSON *base; /* the valid request */
    /* An OpenAPI link into this operation: its cases call link_label first
     * (link_request) and capture what the link passes (link_capture:
     * variable -> pointer); preset holds the parameters it sets. */
    const char *link_label, *link_name;
    cJSON *link_request, *link_capture, *preset;
} dop;

/* ---- reading the operation ---- */

static int param_required(const cJSON *p)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(p, "required");
    return cJSON_IsTrue(r) || (cJSON_IsString(r) && !strcasecmp(r->valuestring, "true"));
}

static void add_params(dgen *g, dop *o, const cf_doc *doc, const cJSON *list)
{
    for (const cJSON *c = cJSON_IsArray(list) ? list->child : NULL; c; c = c->next) {
        const cf_doc *d = doc;
        const cJSON *p = dv_follow(g, &d, c);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
        const cJSON *in = cJSON_GetObjectItemCaseSensitive(p, "in");
        if (!cJSON_IsString(name) || !cJSON_IsString(in))
            continue;
        size_t k = 0;
        while (k < o->nparams && !(!strcmp(o->params[k].name, name->valuestring) &&
                                   !strcmp(o->params[k].in, in->valuestring)))
            k++;
        if (k == o->nparams)
            o->params = cf_xrealloc(o->params, ++o->nparams * sizeof *o->params);
        o->params[k] = (dparam){d, p, name->valuestring, in->valuestring, param_required(p)};
    }
}

static const cJSON *json_media(const cJSON *content, const char **first_type)
{
    *first_type = NULL;
    for (const cJSON *m = cJSON_IsObject(content) ? content->child : NULL; m; m = m->next) {
        if (cf_media_type_is_json(m->string))
            return m;
        if (!*first_type)
            *first_type = m->string;
    }
    return NULL;
}

static void read_body(dgen *g, dop *o)
{
    const cf_doc *d = o->doc;
    const cJSON *b = dv_follow(g, &d, cJSON_GetObjectItemCaseSensitive(o->node, "requestBody"));
    if (!cJSON_IsObject(b))
        return;
    o->body_doc = d;
    o->body_required = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "required"));
    o->body_media = json_media(cJSON_GetObjectItemCaseSensitive(b, "content"), &o->body_type);
    if (o->body_media)
        o->body_type = NULL;
}

/* The first security requirement of the operation (else the document's). */
static void read_security(dgen *g, dop *o)
{
    const cJSON *root = cf_spec_root(g->spec)->root;
    const cJSON *sec = cJSON_GetObjectItemCaseSensitive(o->node, "security");
    if (!sec)
        sec = cJSON_GetObjectItemCaseSensitive(root, "security");
    const cJSON *req = cJSON_IsArray(sec) ? sec->child : NULL;
    const cJSON *schemes = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, "components"), "securitySchemes");
    for (const cJSON *c = cJSON_IsObject(req) ? req->child : NULL; c && o->ncreds < 4;
         c = c->next) {
        const cf_doc *d = cf_spec_root(g->spec);
        const cJSON *s = dv_follow(g, &d, cJSON_GetObjectItemCaseSensitive(schemes, c->string));
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(s, "type");
        if (!cJSON_IsString(type))
            continue;
        dcred *cr = &o->creds[o->ncreds];
        const cJSON *in = cJSON_GetObjectItemCaseSensitive(s, "in");
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(s, "name");
        const cJSON *scheme = cJSON_GetObjectItemCaseSensitive(s, "scheme");
        if (!strcmp(type->valuestring, "apiKey") && cJSON_IsString(in) && cJSON_IsString(name) &&
            (!strcmp(in->valuestring, "header") || !strcmp(in->valuestring, "query"))) {
            *cr = (dcred){!strcmp(in->valuestring, "header") ? "headers" : "query",
                          name->valuestring};
        } else if (!strcmp(type->valuestring, "http") && cJSON_IsString(scheme) &&
                   !strcasecmp(scheme->valuestring, "basic")) {
            *cr = (dcred){"auth", NULL};
        } else if (!strcmp(type->valuestring, "http") || !strcmp(type->valuestring, "oauth2") ||
                   !strcmp(type->valuestring, "openIdConnect")) {
            *cr = (dcred){"headers", "Authorization"};
        } else {
            continue;
        }
        o->ncreds++;
    }
}

static cJSON *section(cJSON *req, const char *name)
{
    cJSON *s = cJSON_GetObjectItemCaseSensitive(req, name);
    if (!s)
        s = cJSON_AddObjectToObject(req, name);
    return s;
}

static int ignored_header(const char *name)
{
    return !strcasecmp(name, "Accept") || !strcasecmp(name, "Content-Type") ||
           !strcasecmp(name, "Authorization");
}

/* A parameter's value: its example (or the first of its examples), its
 * schema's example/default/enum, else a TODO variable. */
static cJSON *param_value(dgen *g, const dparam *p)
{
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(p->node, "example");
    if (ex)
        return cJSON_Duplicate(ex, 1);
    const cJSON *exs = cJSON_GetObjectItemCaseSensitive(p->node, "examples");
    if (cJSON_IsObject(exs) && exs->child) {
        const cf_doc *d = p->doc;
        const cJSON *e = dv_follow(g, &d, exs->child);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "value");
        if (v)
            return cJSON_Duplicate(v, 1);
    }
    const cf_doc *d = p->doc;
    const cJSON *s = dv_follow(g, &d, cJSON_GetObjectItemCaseSensitive(p->node, "schema"));
    const char *keys[] = {"example", "default"};
    for (size_t i = 0; s && i < 2; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(s, keys[i]);
        if (v)
            return cJSON_Duplicate(v, 1);
    }
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(s, "enum");
    if (cJSON_IsArray(en) && en->child)
        return cJSON_Duplicate(en->child, 1);
    char *comment = cf_asprintf("%s parameter '%s' of %s", p->in, p->name, g->op_label);
    cJSON *v = dv_var_ref(g, p->name, comment);
    free(comment);
    return v;
}

/* Query and header values are strings on the wire: scalars become text. */
static cJSON *as_text(cJSON *v)
{
    if (cJSON_IsString(v) || cJSON_IsObject(v) || cJSON_IsArray(v))
        return v;
    char *t = cJSON_PrintUnformatted(v);
    cJSON *s = cJSON_CreateString(t ? t : "");
    free(t);
    cJSON_Delete(v);
    return s;
}

/* The request example named name (or any when name is NULL). */
static const cJSON *request_example(dgen *g, const dop *o, const char *name)
{
    if (!o->body_media)
        return NULL;
    const cJSON *exs = cJSON_GetObjectItemCaseSensitive(o->body_media, "examples");
    for (const cJSON *e = cJSON_IsObject(exs) ? exs->child : NULL; e; e = e->next) {
        if (name && strcmp(e->string, name) != 0)
            continue;
        const cf_doc *d = o->body_doc;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(dv_follow(g, &d, e), "value");
        if (v)
            return v;
    }
    if (name)
        return NULL;
    return cJSON_GetObjectItemCaseSensitive(o->body_media, "example");
}

static void add_path_values(dgen *g, dop *o, cJSON *req)
{
    const char *t = cf_operation_path(o->op);
    while ((t = strchr(t, '{')) != NULL) {
        const char *end = strchr(t, '}');
        if (!end)
            break;
        char *name = cf_strndup(t + 1, (size_t)(end - t - 1));
        cJSON *path = section(req, "path");
        const cJSON *pre = cJSON_GetObjectItemCaseSensitive(o->preset, name);
        if (pre && !cJSON_GetObjectItemCaseSensitive(path, name))
            cJSON_AddItemToObject(path, name, cJSON_Duplicate(pre, 1));
        if (!cJSON_GetObjectItemCaseSensitive(path, name)) {
            char *comment = cf_asprintf("path parameter '%s' of %s (an existing one: see the "
                                        "setup note of its cases)",
                                        name, g->op_label);
            cJSON_AddItemToObject(path, name, dv_var_ref(g, name, comment));
            free(comment);
        }
        free(name);
        t = end + 1;
    }
}

static int is_credential(const dop *o, const char *where, const char *name)
{
    for (size_t i = 0; i < o->ncreds; i++)
        if (o->creds[i].name && !strcmp(o->creds[i].where, where) &&
            !strcasecmp(o->creds[i].name, name))
            return 1;
    return 0;
}

static void build_base(dgen *g, dop *o)
{
    cJSON *req = cJSON_CreateObject();
    add_path_values(g, o, req);
    for (size_t i = 0; i < o->nparams; i++) {
        const dparam *p = &o->params[i];
        if (!p->required || !strcmp(p->in, "path") || !strcmp(p->in, "cookie"))
            continue;
        if (!strcmp(p->in, "header") && ignored_header(p->name))
            continue;
        /* Credentials are variables, whatever example the parameter shows. */
        if (is_credential(o, !strcmp(p->in, "query") ? "query" : "headers", p->name))
            continue;
        const cJSON *pre = cJSON_GetObjectItemCaseSensitive(o->preset, p->name);
        cJSON_AddItemToObject(section(req, !strcmp(p->in, "query") ? "query" : "headers"), p->name,
                              pre ? cJSON_Duplicate(pre, 1) : as_text(param_value(g, p)));
    }
    for (size_t i = 0; i < o->ncreds; i++) {
        const dcred *c = &o->creds[i];
        if (!strcmp(c->where, "auth")) {
            cJSON *a = section(req, "auth");
            cJSON_AddItemToObject(a, "user", dv_var_ref(g, "basic_user", "HTTP Basic user"));
            cJSON_AddItemToObject(a, "password",
                                  dv_var_ref(g, "basic_password", "HTTP Basic password"));
            continue;
        }
        char *comment = cf_asprintf("credentials: %s %s", c->where, c->name);
        const char *var =
            dv_var(g, !strcmp(c->name, "Authorization") ? "access_token" : c->name, comment);
        free(comment);
        char *v = !strcmp(c->name, "Authorization") ? cf_asprintf("Bearer {{%s}}", var)
                                                    : cf_asprintf("{{%s}}", var);
        cJSON *sec = section(req, c->where);
        if (!cJSON_GetObjectItemCaseSensitive(sec, c->name))
            cJSON_AddStringToObject(sec, c->name, v);
        free(v);
    }
    if (o->body_media) {
        const cJSON *ex = request_example(g, o, NULL);
        const cf_doc *d = o->body_doc;
        cJSON_AddItemToObject(
            req, "body",
            ex ? cJSON_Duplicate(ex, 1)
               : dv_value(g, d, cJSON_GetObjectItemCaseSensitive(o->body_media, "schema"), "body",
                          0));
    }
    o->base = req;
}

/* ---- writing cases ---- */

static char *slug(const char *s)
{
    cf_buf b = {0};
    int dash = 0;
    for (const char *p = s; *p && b.len < 60; p++) {
        if (isalnum((unsigned char)*p) || *p == '_' || *p == '.') {
            if (dash && b.len)
                cf_buf_puts(&b, "-");
            dash = 0;
            char c = (char)tolower((unsigned char)*p);
            cf_buf_append(&b, &c, 1);
        } else {
            dash = 1;
        }
    }
    if (!b.len)
        cf_buf_puts(&b, "x");
    return cf_buf_take(&b);
}

static int id_taken(const dgen *g, const char *id)
{
    for (size_t i = 0; i < g->nids; i++)
        if (!strcmp(g->ids[i], id))
            return 1;
    return 0;
}

/* A unique case id: the slug of base and what, "-2", "-3" ... on a clash. */
static char *case_id(dgen *g, const char *base, const char *what)
{
    char *joined = what ? cf_asprintf("%s %s", base, what) : cf_strdup(base);
    char *id = slug(joined);
    free(joined);
    char *cand = cf_strdup(id);
    for (int n = 2; id_taken(g, cand); n++) {
        free(cand);
        cand = cf_asprintf("%s-%d", id, n);
    }
    free(id);
    g->ids = cf_xrealloc(g->ids, (g->nids + 1) * sizeof *g->ids);
    g->ids[g->nids++] = cand;
    return cand;
}

typedef struct dcase {
    const char *what; /* id suffix */
    const char *title;
    const cJSON *request;     /* NULL: the base request */
    const char *status;       /* "200", "4XX" */
    const char *example;      /* NULL or the example name */
    const char *undocumented; /* reason for checks_off.documented_status */
    const char *skip;
    const char *note; /* a comment line above the case */
} dcase;

static void put_request(cf_buf *b, const cJSON *req, const char *indent)
{
    if (!req || !req->child)
        return;
    cf_buf_printf(b, "%srequest:\n", indent);
    for (const cJSON *c = req->child; c; c = c->next) {
        cf_buf_printf(b, "%s  ", indent);
        dv_key(b, c->string);
        cf_buf_puts(b, ": ");
        dv_flow(b, c);
        cf_buf_puts(b, "\n");
    }
}

static void emit(dgen *g, const dop *o, const dcase *k)
{
    cf_buf *b = &g->cases;
    char *id = case_id(g, o->label, k->what);
    cf_buf_puts(b, "\n");
    if (k->note)
        cf_buf_printf(b, "  # %s\n", k->note);
    cf_buf_puts(b, "  - id: ");
    dv_string(b, id);
    cf_buf_puts(b, "\n    title: ");
    dv_string(b, k->title);
    cf_buf_puts(b, "\n");
    if (!o->link_request) {
        cf_buf_puts(b, "    operation: ");
        dv_string(b, o->label);
        cf_buf_puts(b, "\n");
    }
    if (k->undocumented)
        cf_buf_puts(b, "    tags: [undocumented]\n");
    if (k->skip) {
        cf_buf_puts(b, "    skip: ");
        dv_string(b, k->skip);
        cf_buf_puts(b, "\n");
        g->st.skipped++;
    }
    const char *in = "    ";
    if (o->link_request) {
        /* Follow the link: call the operation it starts from, capture what
         * it passes, then this operation. */
        cf_buf_puts(b, "    steps:\n      - name: ");
        char *name = cf_asprintf("setup: %s (OpenAPI link '%s')", o->link_label, o->link_name);
        dv_string(b, name);
        free(name);
        cf_buf_puts(b, "\n        operation: ");
        dv_string(b, o->link_label);
        cf_buf_puts(b, "\n");
        put_request(b, o->link_request, "        ");
        cf_buf_puts(b, "        capture: ");
        dv_flow(b, o->link_capture);
        cf_buf_puts(b, "\n      - name: ");
        dv_string(b, o->label);
        cf_buf_puts(b, "\n");
        in = "        ";
    }
    if (o->link_request) {
        cf_buf_printf(b, "%soperation: ", in);
        dv_string(b, o->label);
        cf_buf_puts(b, "\n");
    }
    put_request(b, k->request ? k->request : o->base, in);
    cf_buf_printf(b, "%sexpect:\n%s  status: ", in, in);
    if (!strcmp(k->status, "default"))
        cf_buf_puts(b, "[\"4XX\", \"5XX\"]"); /* any status the others do not list */
    else if (isdigit((unsigned char)k->status[1]))
        cf_buf_puts(b, k->status);
    else
        dv_string(b, k->status);
    cf_buf_puts(b, "\n");
    if (k->example) {
        cf_buf_printf(b, "%s  example: ", in);
        dv_string(b, k->example);
        cf_buf_puts(b, "\n");
    }
    if (k->undocumented) {
        cf_buf_printf(b, "%s  checks_off: {documented_status: ", in);
        dv_string(b, k->undocumented);
        cf_buf_puts(b, "}\n");
    }
    g->st.cases++;
}

/* ---- negative variants ---- */

typedef struct variant {
    char *what;
    char *title;
    cJSON *request;
    int credentials; /* a credentials case: expects 401/403 */
} variant;

typedef struct variants {
    variant *v;
    size_t n;
} variants;

static cJSON *push_variant(variants *vs, const dop *o, int credentials, const char *what,
                           const char *title)
{
    vs->v = cf_xrealloc(vs->v, (vs->n + 1) * sizeof *vs->v);
    variant *v = &vs->v[vs->n++];
    v->what = cf_strdup(what);
    v->title = cf_asprintf("%s: %s", cf_operation_label(o->op), title);
    v->request = cJSON_Duplicate(o->base, 1);
    v->credentials = credentials;
    return v->request;
}

static const char *type_of(dgen *g, const cf_doc *doc, const cJSON *schema)
{
    const cJSON *s = dv_follow(g, &doc, schema);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(s, "type");
    return cJSON_IsString(t) ? t->valuestring : NULL;
}

static cJSON *wrong_value(const char *type)
{
    if (!strcmp(type, "string"))
        return cJSON_CreateNumber(12345);
    if (!strcmp(type, "integer") || !strcmp(type, "number"))
        return cJSON_CreateString("not-a-number");
    if (!strcmp(type, "boolean"))
        return cJSON_CreateString("not-a-boolean");
    return cJSON_CreateString(!strcmp(type, "array") ? "not-an-array" : "not-an-object");
}

/* Body variants: each required member missing, one wrong type, one enum
 * value outside the enum. */
static void body_variants(dgen *g, const dop *o, variants *vs)
{
    const cf_doc *d = o->body_doc;
    const cJSON *s = dv_follow(g, &d, cJSON_GetObjectItemCaseSensitive(o->body_media, "schema"));
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(o->base, "body");
    if (o->body_required)
        cJSON_DeleteItemFromObject(push_variant(vs, o, 0, "no body", "the required body missing"),
                                   "body");
    if (!cJSON_IsObject(s) || !cJSON_IsObject(body))
        return;
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(s, "properties");
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(s, "required");
    int wrong = 0, outside = 0;
    for (const cJSON *r = cJSON_IsArray(req) ? req->child : NULL; r; r = r->next) {
        if (!cJSON_IsString(r) || !cJSON_GetObjectItemCaseSensitive(body, r->valuestring))
            continue;
        char *what = cf_asprintf("missing %s", r->valuestring);
        char *title = cf_asprintf("the required member '%s' missing", r->valuestring);
        cJSON *rq = push_variant(vs, o, 0, what, title);
        cJSON_DeleteItemFromObject(cJSON_GetObjectItemCaseSensitive(rq, "body"), r->valuestring);
        free(what);
        free(title);
        const cJSON *ps = cJSON_GetObjectItemCaseSensitive(props, r->valuestring);
        const char *type = ps ? type_of(g, d, ps) : NULL;
        if (type && !wrong++) {
            what = cf_asprintf("wrong type %s", r->valuestring);
            title = cf_asprintf("member '%s' of the wrong type (not %s)", r->valuestring, type);
            rq = push_variant(vs, o, 0, what, title);
            cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(rq, "body"),
                                                   r->valuestring, wrong_value(type));
            free(what);
            free(title);
        }
        const cf_doc *pd = d;
        const cJSON *pss = ps ? dv_follow(g, &pd, ps) : NULL;
        if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(pss, "enum")) && !outside++) {
            what = cf_asprintf("not in enum %s", r->valuestring);
            title = cf_asprintf("member '%s' outside its enum", r->valuestring);
            rq = push_variant(vs, o, 0, what, title);
            cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(rq, "body"),
                                                   r->valuestring,
                                                   cJSON_CreateString("conform-not-in-enum"));
            free(what);
            free(title);
        }
    }
}

static void negative_variants(dgen *g, const dop *o, variants *vs)
{
    if (o->body_media)
        body_variants(g, o, vs);
    for (size_t i = 0; i < o->nparams; i++) {
        const dparam *p = &o->params[i];
        const char *where = !strcmp(p->in, "query") ? "query" : "headers";
        if (!p->required || (strcmp(p->in, "query") && strcmp(p->in, "header")))
            continue;
        cJSON *sec = cJSON_GetObjectItemCaseSensitive(o->base, where);
        if (!cJSON_GetObjectItemCaseSensitive(sec, p->name) || is_credential(o, where, p->name))
            continue;
        char *what = cf_asprintf("missing %s %s", p->in, p->name);
        char *title = cf_asprintf("the required %s parameter '%s' missing", p->in, p->name);
        cJSON *rq = push_variant(vs, o, 0, what, title);
        cJSON_DeleteItemFromObject(cJSON_GetObjectItemCaseSensitive(rq, where), p->name);
        free(what);
        free(title);
    }
    if (o->ncreds) {
        cJSON *rq = push_variant(vs, o, 1, "no credentials", "no credentials");
        cJSON_DeleteItemFromObject(rq, "auth");
        for (size_t i = 0; i < o->ncreds; i++)
            if (o->creds[i].name)
                cJSON_DeleteItemFromObject(cJSON_GetObjectItemCaseSensitive(rq, o->creds[i].where),
                                           o->creds[i].name);
    }
}

/* Sections a variant emptied ("headers: {}") are left out. */
static void drop_empty(cJSON *req)
{
    cJSON *c = req ? req->child : NULL;
    while (c) {
        cJSON *next = c->next;
        if (cJSON_IsObject(c) && !c->child && strcmp(c->string, "body") != 0)
            cJSON_Delete(cJSON_DetachItemViaPointer(req, c));
        c = next;
    }
}

static void variants_free(variants *vs)
{
    for (size_t i = 0; i < vs->n; i++) {
        free(vs->v[i].what);
        free(vs->v[i].title);
        cJSON_Delete(vs->v[i].request);
    }
    free(vs->v);
}

/* ---- statuses ---- */

static const char *has_key(const cf_operation *op, const char *key)
{
    for (size_t i = 0; i < cf_operation_response_count(op); i++) {
        const char *k = cf_response_key(cf_operation_response_at(op, i));
        if (!strcmp(k, key))
            return k;
    }
    return NULL;
}

/* The documented response a client error should get: 401/403 for missing
 * credentials, else 400, 422, 4XX, another documented 4xx. NULL: none. */
static const char *client_error(const cf_operation *op, int credentials)
{
    static const char *const cred[] = {"401", "403", "4XX"};
    static const char *const plain[] = {"400", "422", "4XX"};
    const char *const *prefs = credentials ? cred : plain;
    for (size_t i = 0; i < 3; i++)
        if (has_key(op, prefs[i]))
            return has_key(op, prefs[i]);
    for (size_t i = 0; !credentials && i < cf_operation_response_count(op); i++) {
        const char *k = cf_response_key(cf_operation_response_at(op, i));
        if (k[0] == '4' && strcmp(k, "401") && strcmp(k, "403") && strcmp(k, "404"))
            return k;
    }
    return NULL;
}

static void emit_variant(dgen *g, const dop *o, const variant *v)
{
    const char *status = client_error(o->op, v->credentials);
    char *reason = NULL;
    if (!status)
        reason = cf_asprintf("the document lists no %s response for %s: any 4XX is accepted",
                             v->credentials ? "401/403" : "client error (4XX)", o->label);
    dcase k = {.what = v->what,
               .title = v->title,
               .request = v->request,
               .status = status ? status : "4XX",
               .undocumented = reason,
               .skip = o->body_type ? "TODO: the request body is not JSON; derive writes JSON "
                                      "bodies only"
                                    : NULL};
    emit(g, o, &k);
    free(reason);
    g->st.negative++;
}

/* ---- one operation ---- */

/* Where the operation's path parameters come from: OpenAPI links that
 * target it, else the operation that creates the collection (POST on the
 * path up to the last parameter). NULL when it has no path parameter. */
typedef struct dlink {
    const cf_operation *from;
    const char *status; /* the response key of `from` that holds the link */
    const char *name;
    const cJSON *params;
} dlink;

/* The first OpenAPI link (by operationId) into op, in document order. */
static int find_link(dgen *g, const cf_operation *op, dlink *out)
{
    const char *id = cf_operation_id(op);
    for (size_t i = 0; id && i < cf_spec_operation_count(g->spec); i++) {
        const cf_operation *from = cf_spec_operation_at(g->spec, i);
        const cf_doc *od = NULL;
        const cJSON *resps =
            cJSON_GetObjectItemCaseSensitive(cf_operation_node(from, &od), "responses");
        for (const cJSON *r = resps ? resps->child : NULL; r; r = r->next) {
            const cf_doc *d = od;
            const cJSON *links = cJSON_GetObjectItemCaseSensitive(dv_follow(g, &d, r), "links");
            for (const cJSON *l = links ? links->child : NULL; l; l = l->next) {
                const cf_doc *ld = d;
                const cJSON *ln = dv_follow(g, &ld, l);
                const cJSON *target = cJSON_GetObjectItemCaseSensitive(ln, "operationId");
                if (!cJSON_IsString(target) || strcmp(target->valuestring, id) != 0 || from == op)
                    continue;
                *out = (dlink){from, r->string, l->string,
                               cJSON_GetObjectItemCaseSensitive(ln, "parameters")};
                return 1;
            }
        }
    }
    return 0;
}

/* Where the operation's path parameters come from: the OpenAPI link its
 * cases follow, else the operation that creates the collection (POST on the
 * path up to the last parameter). NULL when it has no path parameter. */
static char *setup_note(dgen *g, const dop *o)
{
    if (o->link_request)
        return cf_asprintf("setup: each case follows the OpenAPI link '%s' from %s", o->link_name,
                           o->link_label);
    const char *path = cf_operation_path(o->op);
    const char *last = strrchr(path, '{');
    if (!last)
        return NULL;
    size_t prefix = (size_t)(last - path);
    while (prefix > 1 && path[prefix - 1] == '/')
        prefix--;
    for (size_t i = 0; i < cf_spec_operation_count(g->spec); i++) {
        const cf_operation *from = cf_spec_operation_at(g->spec, i);
        const char *fp = cf_operation_path(from);
        if (!strcmp(cf_operation_method(from), "POST") && strlen(fp) == prefix &&
            !strncmp(fp, path, prefix))
            return cf_asprintf("setup: TODO: the path parameters name an existing resource; "
                               "%s (POST %s) creates one: capture its id into the variable",
                               cf_operation_label(from), fp);
    }
    return cf_strdup("setup: TODO: the path parameters must name an existing resource");
}

/* One case per named example of response r (key), sent as request req (an
 * example's request body when the document has one of the same name). An
 * example with only an externalValue gets none: a suite cannot name it
 * (conform does not fetch URLs). */
static void example_cases(dgen *g, const dop *o, const cf_response *r, const cJSON *req,
                          const char *skip)
{
    const char *key = cf_response_key(r);
    for (size_t m = 0; m < cf_response_media_count(r); m++) {
        const cf_media *md = cf_response_media_at(r, m);
        for (size_t e = 0; e < cf_media_example_count(md); e++) {
            const char *name = cf_media_example_name(md, e);
            if (!cf_media_example(md, name, NULL))
                continue;
            const cJSON *ex = (key[0] == '2' || key[0] == '3') ? request_example(g, o, name) : NULL;
            cJSON *rq = NULL;
            if (ex) {
                rq = cJSON_Duplicate(req, 1);
                cJSON_ReplaceItemInObjectCaseSensitive(rq, "body", cJSON_Duplicate(ex, 1));
            }
            int guessed = !ex && o->body_media && (key[0] == '2' || key[0] == '3') &&
                          cf_media_example_count(md) > 1;
            char *what = cf_asprintf("%s %s", key, name);
            char *t = cf_asprintf("%s answers %s with the example '%s'", o->label, key, name);
            dcase k = {.what = what,
                       .title = t,
                       .request = rq ? rq : req,
                       .status = key,
                       .example = name,
                       .skip = skip,
                       .note = guessed ? "TODO: the document has no request example of this "
                                         "name: the request is the default one; adjust it to "
                                         "the one this answer belongs to"
                                       : NULL};
            emit(g, o, &k);
            cJSON_Delete(rq);
            free(what);
            free(t);
        }
    }
}

static void status_cases(dgen *g, const dop *o, const variants *vs, const char *note)
{
    const char *plain = client_error(o->op, 0), *cred = client_error(o->op, 1);
    const cJSON *plain_req = NULL, *cred_req = NULL;
    for (size_t i = 0; i < vs->n; i++) {
        if (vs->v[i].credentials && !cred_req)
            cred_req = vs->v[i].request;
        if (!vs->v[i].credentials && !plain_req)
            plain_req = vs->v[i].request;
    }
    cJSON *missing = NULL;
    for (size_t i = 0; i < cf_operation_response_count(o->op); i++) {
        const cf_response *r = cf_operation_response_at(o->op, i);
        const char *key = cf_response_key(r);
        const cJSON *req = o->base;
        const char *skip = NULL;
        char *skip_text = NULL, *title = NULL;
        int covered = 0;
        if (key[0] == '2' || key[0] == '3') {
            title = cf_asprintf("%s answers %s", o->label, key);
        } else if (plain && !strcmp(key, plain) && plain_req) {
            req = plain_req;
            covered = 1;
        } else if (cred && !strcmp(key, cred) && cred_req) {
            req = cred_req;
            covered = 1;
        } else if (!strcmp(key, "404") && strchr(cf_operation_path(o->op), '{')) {
            cJSON_Delete(missing);
            missing = cJSON_Duplicate(o->base, 1);
            cJSON *path = cJSON_GetObjectItemCaseSensitive(missing, "path");
            for (cJSON *p = path ? path->child : NULL; p; p = p->next)
                cJSON_SetValuestring(p, "conform-no-such-id");
            req = missing;
            title = cf_asprintf("%s answers 404 for an unknown path parameter", o->label);
        } else {
            skip = skip_text = cf_asprintf("TODO: the document does not say how to provoke %s "
                                           "(write the request that does, then remove the skip)",
                                           key);
            title = cf_asprintf("%s answers %s", o->label, key);
        }
        if (!skip && o->body_type)
            skip = "TODO: the request body is not JSON; derive writes JSON bodies only";
        if (!covered) {
            dcase k = {.what = key,
                       .title = title,
                       .request = req,
                       .status = key,
                       .skip = skip,
                       .note = i == 0 ? note : NULL};
            emit(g, o, &k);
        }
        example_cases(g, o, r, req, skip);
        free(skip_text);
        free(title);
    }
    cJSON_Delete(missing);
}

/* Reads the operation and builds its valid request (o->preset applied). */
static void read_operation(dgen *g, dop *o, const cf_operation *op)
{
    o->op = op;
    o->label = cf_operation_label(op);
    o->node = cf_operation_node(op, &o->doc);
    const cf_doc *idoc = NULL;
    const cJSON *item = cf_operation_path_item(op, &idoc);
    g->op_label = o->label;
    add_params(g, o, idoc, cJSON_GetObjectItemCaseSensitive(item, "parameters"));
    add_params(g, o, o->doc, cJSON_GetObjectItemCaseSensitive(o->node, "parameters"));
    read_body(g, o);
    read_security(g, o);
    build_base(g, o);
}

/* Prepares the setup step of a link: the linked-from operation's valid
 * request, a capture per `$response.body#/POINTER` parameter, and the
 * parameters of o set to the captured variables. Other runtime
 * expressions are left to TODO variables. */
static void follow_link(dgen *g, dop *o, const dlink *lk)
{
    dop a = {0};
    read_operation(g, &a, lk->from);
    o->link_label = a.label;
    o->link_name = lk->name;
    o->link_request = a.base;
    o->link_capture = cJSON_CreateObject();
    o->preset = cJSON_CreateObject();
    for (const cJSON *p = lk->params ? lk->params->child : NULL; p; p = p->next) {
        const char *expr = cJSON_IsString(p) ? p->valuestring : "";
        if (strncmp(expr, "$response.body#", 15) != 0)
            continue;
        const char *name = strchr(p->string, '.') ? strchr(p->string, '.') + 1 : p->string;
        char *var = cf_asprintf("link.%s", name);
        for (char *c = var; *c; c++)
            if (!isalnum((unsigned char)*c) && *c != '_' && *c != '.' && *c != '-')
                *c = '_';
        cJSON_AddStringToObject(o->link_capture, var, expr + 15);
        char *ref = cf_asprintf("{{%s}}", var);
        cJSON_AddStringToObject(o->preset, name, ref);
        free(ref);
        free(var);
    }
    free(a.params);
}

static void derive_operation(dgen *g, const cf_operation *op)
{
    dop o = {0};
    dlink lk;
    if (find_link(g, op, &lk))
        follow_link(g, &o, &lk);
    read_operation(g, &o, op);
    variants vs = {0};
    negative_variants(g, &o, &vs);
    for (size_t i = 0; i < vs.n; i++)
        drop_empty(vs.v[i].request);
    cf_buf_printf(&g->cases, "\n  # ---- %s: %s %s ----\n", o.label, cf_operation_method(op),
                  cf_operation_path(op));
    char *note = setup_note(g, &o);
    status_cases(g, &o, &vs, note);
    free(note);
    for (size_t i = 0; i < vs.n; i++)
        emit_variant(g, &o, &vs.v[i]);
    variants_free(&vs);
    cJSON_Delete(o.base);
    cJSON_Delete(o.link_request);
    cJSON_Delete(o.link_capture);
    cJSON_Delete(o.preset);
    free(o.params);
    g->st.operations++;
}

/* ---- the suite ---- */

static void put_header(dgen *g, cf_buf *b)
{
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(cf_spec_root(g->spec)->root, "info");
    const cJSON *title = cJSON_GetObjectItemCaseSensitive(info, "title");
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(info, "version");
    const char *t = cJSON_IsString(title) ? title->valuestring : cf_spec_path(g->spec);
    cf_buf_printf(b,
                  "# Derived by `conform derive` from %s: review before use.\n"
                  "# Regenerating writes the same bytes; edit a copy, or derive again.\n"
                  "# Variables set to TODO are values the document does not give: set them in\n"
                  "# the target's vars (conform.yaml) or with --var NAME=VALUE.\n",
                  g->opts->spec_ref);
    cf_buf_puts(b, "suite: ");
    char *name = cf_asprintf("derived: %s%s%s", t, cJSON_IsString(version) ? " " : "",
                             cJSON_IsString(version) ? version->valuestring : "");
    dv_string(b, name);
    free(name);
    cf_buf_puts(b, "\nspec: ");
    dv_string(b, g->opts->spec_ref);
    cf_buf_puts(b, "\ntarget: ");
    dv_string(b, g->opts->target);
    cf_buf_puts(b, "\n");
    if (g->nvars)
        cf_buf_puts(b, "vars:\n");
    for (size_t i = 0; i < g->nvars; i++) {
        cf_buf_printf(b, "  # TODO: %s\n  ", g->vars[i].comment);
        dv_key(b, g->vars[i].name);
        cf_buf_puts(b, ": TODO\n");
    }
    cf_buf_puts(b, "cases:\n");
}

static int note_template_var(void *ctx, const char *name, size_t offset)
{
    (void)offset;
    dv_var(ctx, name, "a {{variable}} written in the document's own example");
    return 0;
}

int cf_derive_suite(char **out, cf_derive_stats *stats, const cf_spec *spec,
                    const cf_derive_opts *opts, cf_error **err)
{
    *out = NULL;
    dgen g = {.spec = spec, .fs = cf_spec_fileset(spec), .opts = opts};
    const cf_operation *only = NULL;
    if (opts->operation && cf_spec_find_operation(&only, spec, opts->operation, err) < 0)
        return -1;
    /* A suite needs a case, and every operation gives at least one. */
    if (!cf_spec_operation_count(spec))
        return cf_error_set(err, cf_spec_path(spec), 0, 0,
                            "document an operation under 'paths', or fix the operations "
                            "reported disabled",
                            "no operation to derive cases from: the document has none that loads");
    for (size_t i = 0; i < cf_spec_operation_count(spec); i++) {
        const cf_operation *op = cf_spec_operation_at(spec, i);
        if (!only || op == only)
            derive_operation(&g, op);
    }
    /* Values copied from the document may hold {{name}} (Postman-style
     * examples): such names become TODO variables too, so the suite loads. */
    if (g.cases.data)
        cf_template_each(g.cases.data, note_template_var, &g);
    cf_buf b = {0};
    put_header(&g, &b);
    cf_buf_puts(&b, g.cases.data + 1); /* without the first blank line */
    g.st.variables = g.nvars;
    if (stats)
        *stats = g.st;
    *out = cf_buf_take(&b);
    cf_buf_free(&g.cases);
    for (size_t i = 0; i < g.nvars; i++) {
        free(g.vars[i].name);
        free(g.vars[i].comment);
    }
    free(g.vars);
    for (size_t i = 0; i < g.nids; i++)
        free(g.ids[i]);
    free(g.ids);
    return 0;
}
