/*
 * schema.c - OpenAPI 3.0 Schema Objects: compile once into a graph of
 * snodes, validate many times, read-only, from any number of threads.
 *
 * Compiling memoises snodes by (doc, node) within one cf_schema, inserting a
 * node before compiling its children, so a recursive schema compiles to a
 * cyclic graph and validation simply follows it (lazily: only as deep as the
 * instance goes). A chain of $refs that never reaches a schema is an error.
 * Validation keeps a stack of (schema, instance) pairs and treats a schema
 * re-entered on the same instance as satisfied, so `A: {allOf: [$ref: A]}`
 * terminates.
 *
 * Messages say what was expected and what came, with values rendered by
 * cf_json_brief (number literals as written). oneOf/anyOf failures give one
 * summary plus, when one branch is clearly the closest or the discriminator
 * picks one, that branch's own violations. A violation is reported once per
 * (instance pointer, keyword, message).
 */
#include "schema/schema.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc/json.h"
#include "doc/jsonptr.h"
#include "schema/schema_internal.h"
#include "base/util.h"

#define BRIEF 80 /* instance values in messages */
#define BRIEF_ENUM 160
#define MAX_DEPTH 512 /* validation recursion; beyond it a subtree is not checked */

enum {
    T_NULL = 1,
    T_BOOLEAN = 2,
    T_OBJECT = 4,
    T_ARRAY = 8,
    T_NUMBER = 16,
    T_STRING = 32,
    T_INTEGER = 64
};

static const struct {
    const char *name;
    unsigned bit;
} type_names[] = {
    {"null", T_NULL},     {"boolean", T_BOOLEAN}, {"object", T_OBJECT},   {"array", T_ARRAY},
    {"number", T_NUMBER}, {"string", T_STRING},   {"integer", T_INTEGER},
};

typedef struct snode snode;

typedef struct sprop {
    const char *name; /* borrowed from the doc */
    snode *schema;
} sprop;

typedef struct spattern {
    const char *source; /* borrowed from the doc */
    cf_rx *re;
    snode *schema;
} spattern;

typedef struct sdisc {
    const char *value; /* borrowed */
    long branch;       /* index into the oneOf/anyOf branches, -1 if none */
} sdisc;

struct snode {
    const cf_doc *doc;
    const cJSON *node;
    char *ptr; /* JSON Pointer of node in doc */
    char *loc; /* "DOCNAME#" + ptr */
    const char *title;

    snode *ref; /* a Reference Object: everything else is ignored */
    const char *ref_text;
    char *ref_name; /* last token of the ref's pointer ("Pet"), may be NULL */

    unsigned types;
    const char *type_name;
    int nullable, read_only, write_only;
    cf_format format;
    const char *format_name;
    const cJSON *enum_values;
    const char **required;
    size_t nrequired;
    sprop *props;
    size_t nprops;
    int addl_false;
    snode *addl;
    spattern *pprops; /* patternProperties (JSON Schema; the OpenAPI 3.0 schema uses it) */
    size_t npprops;
    snode *items;
    snode **all_of, **any_of, **one_of;
    size_t nall, nany, none;
    snode *not_schema;
    const cJSON *minimum, *maximum, *multiple_of;
    int excl_min, excl_max;
    long long min_length, max_length, min_items, max_items, min_props, max_props;
    int unique_items;
    const char *pattern;
    cf_rx *re;
    char *pattern_off; /* why pattern is not checked (it does not compile), or NULL */
    const char *disc_prop;
    sdisc *disc;
    size_t ndisc;
    const cJSON *disc_node; /* compiled after the other nodes (cc) */
    int chain_state;        /* check_ref_chains: 0 unseen, 1 on the walk, 2 done */
};

typedef struct memo_slot {
    const cf_doc *doc;
    const cJSON *node;
    snode *s;
} memo_slot;

struct cf_schema {
    snode *root;
    snode **nodes;
    size_t nnodes, cap;
    memo_slot *memo;
    size_t mcap, mused;
    cf_ref_resolver resolver;
    int has_resolver;
    char **warnings;
    size_t nwarnings;
};

/* ======================================================================== */
/* Compiling                                                                 */

/* Compiling is iterative, not recursive, so that a long chain of schemas
 * (100,000 linked through properties or $ref) cannot overflow the stack:
 * compile_node makes a node and queues it; cf_schema_compile then compiles
 * queued nodes in document order (pre-order, as a recursion would), and
 * discriminators and $ref cycles, which need their targets done, last. */
typedef struct cc {
    cf_schema *sc;
    cf_error **err;
    int draft4;   /* the document declares $schema draft-04: patternProperties apply */
    snode **todo; /* nodes whose keywords or $ref are still to compile */
    size_t ntodo, todo_cap;
    snode **discs; /* nodes with a discriminator, compiled after the rest */
    size_t ndiscs, discs_cap;
} cc;

static size_t memo_hash(const cf_doc *d, const cJSON *n)
{
    uintptr_t x = (uintptr_t)n * 31u + (uintptr_t)d;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static snode *memo_get(const cf_schema *sc, const cf_doc *d, const cJSON *n)
{
    if (!sc->mcap)
        return NULL;
    for (size_t i = memo_hash(d, n) & (sc->mcap - 1);; i = (i + 1) & (sc->mcap - 1)) {
        if (!sc->memo[i].s)
            return NULL;
        if (sc->memo[i].doc == d && sc->memo[i].node == n)
            return sc->memo[i].s;
    }
}

static void memo_put(cf_schema *sc, snode *s)
{
    if ((sc->mused + 1) * 2 > sc->mcap) {
        size_t cap = sc->mcap ? sc->mcap * 2 : 64;
        memo_slot *m = cf_xcalloc(cap, sizeof *m);
        for (size_t i = 0; i < sc->mcap; i++) {
            if (!sc->memo[i].s)
                continue;
            size_t j = memo_hash(sc->memo[i].doc, sc->memo[i].node) & (cap - 1);
            while (m[j].s)
                j = (j + 1) & (cap - 1);
            m[j] = sc->memo[i];
        }
        free(sc->memo);
        sc->memo = m;
        sc->mcap = cap;
    }
    size_t j = memo_hash(s->doc, s->node) & (sc->mcap - 1);
    while (sc->memo[j].s)
        j = (j + 1) & (sc->mcap - 1);
    sc->memo[j] = (memo_slot){s->doc, s->node, s};
    sc->mused++;
}

static void snode_free(snode *s)
{
    free(s->ptr);
    free(s->loc);
    free(s->ref_name);
    free(s->required);
    free(s->props);
    for (size_t i = 0; i < s->npprops; i++)
        cf_rx_free(s->pprops[i].re);
    free(s->pprops);
    free(s->all_of);
    free(s->any_of);
    free(s->one_of);
    cf_rx_free(s->re);
    free(s->pattern_off);
    free(s->disc);
    free(s);
}

void cf_schema_free(cf_schema *schema)
{
    if (!schema)
        return;
    for (size_t i = 0; i < schema->nnodes; i++)
        snode_free(schema->nodes[i]);
    free(schema->nodes);
    free(schema->memo);
    for (size_t i = 0; i < schema->nwarnings; i++)
        free(schema->warnings[i]);
    free(schema->warnings);
    free(schema);
}

/* A located compile error at node `at` of doc (the schema at ptr). */
static int cerr(cc *c, const cf_doc *doc, const cJSON *at, const char *ptr, const char *hint,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int cerr(cc *c, const cf_doc *doc, const cJSON *at, const char *ptr, const char *hint,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = cf_vasprintf(fmt, ap);
    va_end(ap);
    cf_mark m = cf_doc_mark(doc, at);
    if (m.line)
        cf_error_set(c->err, doc->name, m.line, m.column, hint, "%s", msg);
    else
        cf_error_set(c->err, doc->name, 0, 0, hint, "schema #%s: %s", ptr, msg);
    free(msg);
    return -1;
}

/* A warning located at the value of member `at`, or at its key with at_key. */
static void cwarn(cc *c, const cf_doc *doc, const cJSON *at, int at_key, const char *ptr,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void cwarn(cc *c, const cf_doc *doc, const cJSON *at, int at_key, const char *ptr,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = cf_vasprintf(fmt, ap);
    va_end(ap);
    if (!msg)
        return;
    cf_mark m = at_key ? cf_doc_key_mark(doc, at) : cf_doc_mark(doc, at);
    char *line = m.line ? cf_asprintf("%s:%d:%d: warning: %s", doc->name, m.line, m.column, msg)
                        : cf_asprintf("%s: warning: schema #%s: %s", doc->name, ptr, msg);
    free(msg);
    char **w = line ? cf_xrealloc(c->sc->warnings, (c->sc->nwarnings + 1) * sizeof *w) : NULL;
    if (!w) {
        free(line);
        return;
    }
    w[c->sc->nwarnings++] = line;
    c->sc->warnings = w;
}

static char *brief(const cf_doc *doc, const cJSON *node, size_t max)
{
    char *s = cf_json_brief(doc, node, max);
    return s ? s : cf_strdup("?");
}

/* "string "x"" / "null": a value's type and rendering, for messages. */
static char *typed_brief(const cf_doc *doc, const cJSON *node, size_t max)
{
    if (cJSON_IsNull(node))
        return cf_strdup("null");
    char *b = brief(doc, node, max);
    char *s = cf_asprintf("%s %s", cf_json_type_name(doc, node), b ? b : "?");
    free(b);
    return s;
}

static int wrong_type(cc *c, const cf_doc *doc, const cJSON *v, const char *ptr, const char *kw,
                      const char *want, const char *hint)
{
    char *got = typed_brief(doc, v, 40);
    cerr(c, doc, v, ptr, hint, "%s must be %s, got %s", kw, want, got ? got : "?");
    free(got);
    return -1;
}

static snode *compile_node(cc *c, const cf_doc *doc, const cJSON *node, const char *ptr);

/* Compiles the schema at member `key` of node (a child pointer ptr/kw[/key]). */
static snode *compile_child(cc *c, const cf_doc *doc, const cJSON *child, const char *ptr,
                            const char *kw, const char *key, long index)
{
    char *p1 = cf_jsonptr_append(ptr, kw);
    char *p2 = NULL;
    if (key)
        p2 = cf_jsonptr_append(p1, key);
    else if (index >= 0)
        p2 = cf_jsonptr_append_index(p1, (size_t)index);
    snode *s = compile_node(c, doc, child, p2 ? p2 : p1);
    free(p1);
    free(p2);
    return s;
}

/* Why a local pointer does not resolve: the deepest existing ancestor and
 * what it lacks, with a did-you-mean hint. */
static int dangling(cc *c, const cf_doc *doc, const cJSON *at, const char *ptr, const char *ref,
                    const char *target)
{
    char *copy = cf_strdup(target);
    const cJSON *parent = doc->root;
    size_t parent_len = 0;
    char *missing = NULL;
    for (size_t i = 1; copy[0];) {
        char *slash = strchr(copy + i, '/');
        size_t end = slash ? (size_t)(slash - copy) : strlen(copy);
        char saved = copy[end];
        copy[end] = '\0';
        const cJSON *n = cf_jsonptr_get(doc->root, copy);
        if (!n) {
            char *decoded = NULL;
            cf_jsonptr_last_token(copy, &decoded);
            missing = decoded;
            break;
        }
        copy[end] = saved;
        parent = n;
        parent_len = end;
        if (!slash)
            break;
        i = end + 1;
    }
    copy[parent_len] = '\0';
    const char *cands[64];
    size_t ncand = 0;
    if (cJSON_IsObject(parent))
        for (const cJSON *m = parent->child; m && ncand < 64; m = m->next)
            cands[ncand++] = m->string;
    const char *close = missing ? cf_did_you_mean(missing, cands, ncand) : NULL;
    char *hint = close ? cf_asprintf("did you mean \"%s\"?", close) : NULL;
    if (cJSON_IsObject(parent) || cJSON_IsArray(parent))
        cerr(c, doc, at, ptr, hint, "$ref \"%s\" does not resolve: #%s has no %s \"%s\"", ref, copy,
             cJSON_IsArray(parent) ? "item" : "member", missing ? missing : "?");
    else
        cerr(c, doc, at, ptr, hint, "$ref \"%s\" does not resolve: #%s is %s, not an object", ref,
             copy, cf_json_type_name(doc, parent));
    free(hint);
    free(missing);
    free(copy);
    return -1;
}

/* Resolves the $ref string at refnode. *tptr gets the target's pointer. */
static int resolve_ref(cc *c, const cf_doc *doc, const cJSON *refnode, const char *ptr,
                       const cf_doc **tdoc, const cJSON **tnode, char **tptr)
{
    const char *ref = refnode->valuestring;
    const char *hash = strchr(ref, '#');
    *tptr = NULL;
    if (ref[0] == '#') {
        char *p = cf_jsonptr_from_fragment(ref);
        if (!p)
            return cerr(c, doc, refnode, ptr,
                        "OpenAPI 3.0 references use JSON Pointer fragments such as "
                        "#/components/schemas/Pet",
                        "$ref \"%s\" is not a JSON Pointer fragment", ref);
        const cJSON *t = cf_jsonptr_get_in(doc, doc->root, p);
        if (!t) {
            dangling(c, doc, refnode, ptr, ref, p);
            free(p);
            return -1;
        }
        *tdoc = doc;
        *tnode = t;
        *tptr = p;
        return 0;
    }
    if (!c->sc->has_resolver)
        return cerr(c, doc, refnode, ptr, NULL,
                    "$ref \"%s\" points outside this document and no resolver was given", ref);
    cf_error *rerr = NULL;
    const cf_doc *d = NULL;
    const cJSON *n = NULL;
    if (c->sc->resolver.resolve(c->sc->resolver.ctx, doc, ref, &d, &n, &rerr) < 0 || !d || !n) {
        if (rerr && c->err && !*c->err) {
            *c->err = rerr;
            rerr = NULL;
        } else if (!rerr) {
            cerr(c, doc, refnode, ptr, NULL, "$ref \"%s\" does not resolve", ref);
        }
        cf_error_free(rerr);
        return -1;
    }
    *tdoc = d;
    *tnode = n;
    *tptr = hash ? cf_jsonptr_from_fragment(hash) : cf_strdup("");
    if (!*tptr)
        *tptr = cf_strdup("");
    return 0;
}

/* A non-negative integer keyword value. */
static int get_count(cc *c, const cf_doc *doc, const cJSON *v, const char *ptr, const char *kw,
                     long long *out)
{
    if (!cJSON_IsNumber(v) || !cf_json_number_is_integral(doc, v) || v->valuedouble < 0 ||
        v->valuedouble > 9007199254740992.0)
        return wrong_type(c, doc, v, ptr, kw, "a non-negative integer", NULL);
    *out = (long long)v->valuedouble;
    return 0;
}

static int get_bool(cc *c, const cf_doc *doc, const cJSON *v, const char *ptr, const char *kw,
                    int *out, const char *hint)
{
    if (!cJSON_IsBool(v))
        return wrong_type(c, doc, v, ptr, kw, "a boolean", hint);
    *out = cJSON_IsTrue(v);
    return 0;
}

static int compile_list(cc *c, const cf_doc *doc, const cJSON *v, const char *ptr, const char *kw,
                        snode ***out, size_t *n)
{
    if (!cJSON_IsArray(v))
        return wrong_type(c, doc, v, ptr, kw, "an array of schemas", NULL);
    size_t k = (size_t)cJSON_GetArraySize(v);
    if (!k)
        return cerr(c, doc, v, ptr, NULL, "%s must not be empty", kw);
    *out = cf_xcalloc(k, sizeof **out);
    *n = k;
    long i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++)
        if (!((*out)[i] = compile_child(c, doc, e, ptr, kw, NULL, i)))
            return -1;
    return 0;
}

/* A pattern that does not compile disables that one keyword of that schema:
 * a located warning now, and an "unchecked" note on every validation that
 * reaches it (cf_violation_kind), never a compile error. */
static int compile_pattern(cc *c, const cf_doc *doc, const cJSON *m, snode *s)
{
    char *why = NULL;
    size_t at = 0;
    if (cf_rx_compile(&s->re, m->valuestring, &why, &at) == 0)
        return 0;
    cf_mark mk = cf_doc_mark(doc, m);
    s->pattern_off = mk.line
                         ? cf_asprintf("pattern /%s/ at %s:%d:%d is not checked: %s at offset %zu",
                                       m->valuestring, doc->name, mk.line, mk.column, why, at)
                         : cf_asprintf("pattern /%s/ at %s is not checked: %s at offset %zu",
                                       m->valuestring, s->loc, why, at);
    cwarn(c, doc, m, 0, s->ptr,
          "pattern /%s/ does not compile, so it is not checked: %s at offset %zu (hint: "
          "patterns are ECMA-262 regular expressions; see docs/REGEX.md)",
          m->valuestring, why, at);
    free(why);
    return 0;
}

static int prop_cmp(const void *a, const void *b)
{
    return strcmp(((const sprop *)a)->name, ((const sprop *)b)->name);
}

/* JSON Schema keywords outside OpenAPI 3.0's subset: ignored without a word
 * (`definitions` may still hold $ref targets, reached through the $ref). */
static const char *const json_schema_only[] = {
    "const",
    "patternProperties",
    "dependencies",
    "additionalItems",
    "definitions",
    "$schema",
    "id",
    "$id",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "examples",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "$defs",
    "$anchor",
    "$comment",
    "minContains",
    "maxContains",
    "$dynamicRef",
    "$dynamicAnchor",
    "$vocabulary",
    "$recursiveRef",
    "$recursiveAnchor",
};

static int compile_type(cc *c, snode *s, const cJSON *v)
{
    if (cJSON_IsArray(v))
        return cerr(c, s->doc, v, s->ptr,
                    "OpenAPI 3.0 allows one type: use nullable: true for null, oneOf for several",
                    "type must be a string, not an array");
    if (!cJSON_IsString(v))
        return wrong_type(c, s->doc, v, s->ptr, "type", "a string", NULL);
    for (size_t i = 0; i < sizeof type_names / sizeof *type_names; i++) {
        if (!strcmp(v->valuestring, type_names[i].name)) {
            s->types = type_names[i].bit;
            s->type_name = type_names[i].name;
            if (s->types == T_NULL) /* JSON Schema's; checked as such */
                cwarn(c, s->doc, v, 0, s->ptr,
                      "type \"null\" is not an OpenAPI 3.0 type (use nullable: true)");
            return 0;
        }
    }
    const char *names[7];
    for (size_t i = 0; i < 7; i++)
        names[i] = type_names[i].name;
    const char *close = cf_did_you_mean(v->valuestring, names, 7);
    char *hint = close ? cf_asprintf("did you mean \"%s\"?", close) : NULL;
    cerr(c, s->doc, v, s->ptr, hint,
         "unknown type \"%s\" (expected boolean, object, array, number, string or integer)",
         v->valuestring);
    free(hint);
    return -1;
}

static int compile_number_kw(cc *c, snode *s, const cJSON *v, const char *kw, const cJSON **out)
{
    if (!cJSON_IsNumber(v))
        return wrong_type(c, s->doc, v, s->ptr, kw, "a number", NULL);
    *out = v;
    return 0;
}

static int compile_discriminator(cc *c, snode *s, const cJSON *d)
{
    if (!cJSON_IsObject(d))
        return wrong_type(c, s->doc, d, s->ptr, "discriminator", "an object", NULL);
    const cJSON *pn = cJSON_GetObjectItemCaseSensitive(d, "propertyName");
    if (!pn)
        return cerr(c, s->doc, d, s->ptr, NULL, "discriminator needs a propertyName");
    if (!cJSON_IsString(pn))
        return wrong_type(c, s->doc, pn, s->ptr, "discriminator.propertyName", "a string", NULL);
    const cJSON *mapping = cJSON_GetObjectItemCaseSensitive(d, "mapping");
    if (mapping && !cJSON_IsObject(mapping))
        return wrong_type(c, s->doc, mapping, s->ptr, "discriminator.mapping", "an object", NULL);
    s->disc_prop = pn->valuestring;
    snode **branches = s->one_of ? s->one_of : s->any_of;
    size_t nb = s->one_of ? s->none : s->nany;
    if (!branches)
        return 0; /* allOf inheritance: not used to validate */
    size_t nmap = mapping ? (size_t)cJSON_GetArraySize(mapping) : 0;
    s->disc = cf_xcalloc(nmap + nb + 1, sizeof *s->disc);
    for (const cJSON *m = mapping ? mapping->child : NULL; m; m = m->next) {
        if (!cJSON_IsString(m))
            return wrong_type(c, s->doc, m, s->ptr, "a discriminator mapping value", "a string",
                              NULL);
        const char *target = m->valuestring;
        long found = -1;
        if (!strchr(target, '#') && !strchr(target, '/')) { /* a schema name */
            for (size_t i = 0; i < nb && found < 0; i++)
                if (branches[i]->ref_name && !strcmp(branches[i]->ref_name, target))
                    found = (long)i;
        } else {
            for (size_t i = 0; i < nb && found < 0; i++)
                if (branches[i]->ref_text && !strcmp(branches[i]->ref_text, target))
                    found = (long)i;
            if (found < 0) { /* the same schema under another spelling */
                const cf_doc *tdoc = NULL;
                const cJSON *tnode = NULL;
                char *tptr = NULL;
                if (resolve_ref(c, s->doc, m, s->ptr, &tdoc, &tnode, &tptr) < 0)
                    return -1;
                free(tptr);
                for (size_t i = 0; i < nb && found < 0; i++) {
                    const snode *b = branches[i];
                    while (b->ref)
                        b = b->ref;
                    if (b->doc == tdoc && b->node == tnode)
                        found = (long)i;
                }
            }
        }
        if (found < 0)
            cwarn(c, s->doc, m, 0, s->ptr,
                  "discriminator mapping \"%s\" -> \"%s\" names none of the %s schemas", m->string,
                  target, s->one_of ? "oneOf" : "anyOf");
        s->disc[s->ndisc++] = (sdisc){m->string, found};
    }
    /* Implicit mapping: a branch's schema name, unless mapped explicitly. */
    for (size_t i = 0; i < nb; i++) {
        const char *name = branches[i]->ref_name;
        if (!name)
            continue;
        int taken = 0;
        for (size_t k = 0; k < s->ndisc; k++)
            taken |= !strcmp(s->disc[k].value, name);
        if (!taken)
            s->disc[s->ndisc++] = (sdisc){name, (long)i};
    }
    return 0;
}

/* One compiler per keyword, from the keyword table below. Each checks the
 * value's type (a located error with a hint) and fills its snode members. */
typedef struct kwdef kwdef;
struct kwdef {
    const char *name;
    int (*compile)(cc *c, snode *s, const cJSON *m, const kwdef *kw);
    size_t field, count; /* offsetof the snode members a shared compiler fills */
};

#define FIELD(s, kw, type) ((type *)((char *)(s) + (kw)->field))

static int kw_type(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    (void)kw;
    return compile_type(c, s, m);
}

static int kw_format(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    if (!cJSON_IsString(m))
        return wrong_type(c, s->doc, m, s->ptr, kw->name, "a string", NULL);
    s->format_name = m->valuestring;
    s->format = cf_format_lookup(m->valuestring);
    return 0;
}

static int kw_enum(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    if (!cJSON_IsArray(m))
        return wrong_type(c, s->doc, m, s->ptr, kw->name, "an array", NULL);
    if (!m->child)
        return cerr(c, s->doc, m, s->ptr, NULL, "enum must list at least one value");
    s->enum_values = m;
    return 0;
}

static int kw_required(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    if (!cJSON_IsArray(m))
        return wrong_type(c, s->doc, m, s->ptr, kw->name, "an array of property names",
                          cJSON_IsBool(m) || cJSON_IsString(m)
                              ? "in a Schema Object, required lists the required "
                                "properties: required: [id, name]"
                              : NULL);
    size_t n = (size_t)cJSON_GetArraySize(m);
    s->required = cf_xcalloc(n ? n : 1, sizeof *s->required);
    for (const cJSON *e = m->child; e; e = e->next) {
        if (!cJSON_IsString(e))
            return wrong_type(c, s->doc, e, s->ptr, "each item of required",
                              "a property name (string)", NULL);
        s->required[s->nrequired++] = e->valuestring;
    }
    return 0;
}

static int kw_properties(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    if (!cJSON_IsObject(m))
        return wrong_type(c, s->doc, m, s->ptr, kw->name, "an object of schemas", NULL);
    size_t n = (size_t)cJSON_GetArraySize(m);
    s->props = cf_xcalloc(n ? n : 1, sizeof *s->props);
    for (const cJSON *p = m->child; p; p = p->next) {
        snode *ps = compile_child(c, s->doc, p, s->ptr, "properties", p->string, -1);
        if (!ps)
            return -1;
        s->props[s->nprops++] = (sprop){p->string, ps};
    }
    if (s->nprops)
        qsort(s->props, s->nprops, sizeof *s->props, prop_cmp);
    return 0;
}

/* JSON Schema's, compiled only for the draft-4 schema (the OpenAPI 3.0
 * schema document uses it); ignored in OpenAPI documents. */
static int kw_pattern_properties(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    if (!c->draft4)
        return 0;
    if (!cJSON_IsObject(m))
        return wrong_type(c, s->doc, m, s->ptr, kw->name, "an object of schemas", NULL);
    size_t n = (size_t)cJSON_GetArraySize(m);
    s->pprops = cf_xcalloc(n ? n : 1, sizeof *s->pprops);
    for (const cJSON *p = m->child; p; p = p->next) {
        spattern *sp = &s->pprops[s->npprops];
        char *why = NULL;
        size_t at = 0;
        if (cf_rx_compile(&sp->re, p->string, &why, &at) < 0) {
            cerr(c, s->doc, p, s->ptr, NULL,
                 "patternProperties /%s/ cannot be checked: %s at offset %zu", p->string, why, at);
            free(why);
            return -1;
        }
        s->npprops++;
        sp->source = p->string;
        if (!(sp->schema = compile_child(c, s->doc, p, s->ptr, kw->name, p->string, -1)))
            return -1;
    }
    return 0;
}

static int kw_additional(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    if (cJSON_IsBool(m)) {
        s->addl_false = cJSON_IsFalse(m);
        return 0;
    }
    if (!cJSON_IsObject(m))
        return wrong_type(c, s->doc, m, s->ptr, kw->name, "a boolean or a schema", NULL);
    return (s->addl = compile_child(c, s->doc, m, s->ptr, kw->name, NULL, -1)) ? 0 : -1;
}

static int kw_items(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    if (cJSON_IsArray(m))
        return cerr(c, s->doc, m, s->ptr, "tuple validation is JSON Schema, not OpenAPI 3.0",
                    "items must be a schema, not an array");
    if (!cJSON_IsObject(m))
        return wrong_type(c, s->doc, m, s->ptr, kw->name, "a schema", NULL);
    return (s->items = compile_child(c, s->doc, m, s->ptr, kw->name, NULL, -1)) ? 0 : -1;
}

static int kw_not(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    if (!cJSON_IsObject(m))
        return wrong_type(c, s->doc, m, s->ptr, kw->name, "a schema", NULL);
    return (s->not_schema = compile_child(c, s->doc, m, s->ptr, kw->name, NULL, -1)) ? 0 : -1;
}

/* allOf, anyOf, oneOf: field is the snode ** member, count its size_t. */
static int kw_list(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    return compile_list(c, s->doc, m, s->ptr, kw->name, FIELD(s, kw, snode **),
                        (size_t *)((char *)s + kw->count));
}

static int kw_number(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    return compile_number_kw(c, s, m, kw->name, FIELD(s, kw, const cJSON *));
}

static int kw_multiple_of(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    if (compile_number_kw(c, s, m, kw->name, &s->multiple_of) < 0)
        return -1;
    if (cf_json_number_cmp_text(s->doc, m, "0") <= 0)
        return cerr(c, s->doc, m, s->ptr, NULL, "multipleOf must be greater than 0");
    return 0;
}

static int kw_exclusive(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    return get_bool(c, s->doc, m, s->ptr, kw->name, FIELD(s, kw, int),
                    cJSON_IsNumber(m) ? "in OpenAPI 3.0 it is a boolean next to "
                                        "minimum/maximum; the numeric form is OpenAPI 3.1"
                                      : NULL);
}

static int kw_count(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    return get_count(c, s->doc, m, s->ptr, kw->name, FIELD(s, kw, long long));
}

static int kw_bool(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    return get_bool(c, s->doc, m, s->ptr, kw->name, FIELD(s, kw, int), NULL);
}

static int kw_pattern(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    if (!cJSON_IsString(m))
        return wrong_type(c, s->doc, m, s->ptr, kw->name, "a string", NULL);
    s->pattern = m->valuestring;
    return compile_pattern(c, s->doc, m, s);
}

/* Compiled after every other node (its mapping names other schemas). */
static int kw_discriminator(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    (void)kw;
    s->disc_node = m;
    c->discs = cf_xgrow(c->discs, &c->discs_cap, c->ndiscs + 1, sizeof *c->discs);
    c->discs[c->ndiscs++] = s;
    return 0;
}

static int kw_title(cc *c, snode *s, const cJSON *m, const kwdef *kw)
{
    (void)c, (void)kw;
    s->title = cJSON_IsString(m) ? m->valuestring : NULL;
    return 0;
}

#define AT(member) offsetof(snode, member)

/* The Schema Object keywords of OpenAPI 3.0 (a NULL compiler: an annotation,
 * or $ref, which compile_node handles), then patternProperties, the one
 * JSON Schema keyword compiled (for the draft-4 schema only). The OpenAPI
 * ones are also the did-you-mean list for unknown keywords. */
static const kwdef keywords[] = {
    {"type", kw_type, 0, 0},
    {"format", kw_format, 0, 0},
    {"enum", kw_enum, 0, 0},
    {"required", kw_required, 0, 0},
    {"properties", kw_properties, 0, 0},
    {"additionalProperties", kw_additional, 0, 0},
    {"items", kw_items, 0, 0},
    {"allOf", kw_list, AT(all_of), AT(nall)},
    {"oneOf", kw_list, AT(one_of), AT(none)},
    {"anyOf", kw_list, AT(any_of), AT(nany)},
    {"not", kw_not, 0, 0},
    {"minimum", kw_number, AT(minimum), 0},
    {"maximum", kw_number, AT(maximum), 0},
    {"exclusiveMinimum", kw_exclusive, AT(excl_min), 0},
    {"exclusiveMaximum", kw_exclusive, AT(excl_max), 0},
    {"multipleOf", kw_multiple_of, 0, 0},
    {"minLength", kw_count, AT(min_length), 0},
    {"maxLength", kw_count, AT(max_length), 0},
    {"pattern", kw_pattern, 0, 0},
    {"minItems", kw_count, AT(min_items), 0},
    {"maxItems", kw_count, AT(max_items), 0},
    {"uniqueItems", kw_bool, AT(unique_items), 0},
    {"minProperties", kw_count, AT(min_props), 0},
    {"maxProperties", kw_count, AT(max_props), 0},
    {"nullable", kw_bool, AT(nullable), 0},
    {"readOnly", kw_bool, AT(read_only), 0},
    {"writeOnly", kw_bool, AT(write_only), 0},
    {"discriminator", kw_discriminator, 0, 0},
    {"$ref", NULL, 0, 0},
    {"title", kw_title, 0, 0},
    {"description", NULL, 0, 0},
    {"default", NULL, 0, 0},
    {"example", NULL, 0, 0},
    {"externalDocs", NULL, 0, 0},
    {"xml", NULL, 0, 0},
    {"deprecated", NULL, 0, 0},
    {"patternProperties", kw_pattern_properties, 0, 0},
};

enum { NKEYWORDS = sizeof keywords / sizeof *keywords, NOPENAPI = NKEYWORDS - 1 };

static const kwdef *find_keyword(const char *k)
{
    for (size_t i = 0; i < NKEYWORDS; i++)
        if (!strcmp(k, keywords[i].name))
            return &keywords[i];
    return NULL;
}

/* Neither an OpenAPI 3.0 keyword nor an extension nor JSON Schema's: a
 * warning, with the closest OpenAPI keyword when one is close. */
static void unknown_keyword(cc *c, snode *s, const cJSON *m, const char *k)
{
    if (!strncmp(k, "x-", 2))
        return;
    for (size_t i = 0; i < sizeof json_schema_only / sizeof *json_schema_only; i++)
        if (!strcmp(k, json_schema_only[i]))
            return;
    const char *names[NOPENAPI];
    for (size_t i = 0; i < NOPENAPI; i++)
        names[i] = keywords[i].name;
    const char *close = cf_did_you_mean(k, names, NOPENAPI);
    if (close)
        cwarn(c, s->doc, m, 1, s->ptr, "unknown keyword \"%s\" ignored (did you mean \"%s\"?)", k,
              close);
    else
        cwarn(c, s->doc, m, 1, s->ptr, "unknown keyword \"%s\" ignored", k);
}

static int compile_keywords(cc *c, snode *s)
{
    unsigned char seen[NKEYWORDS] = {0};
    for (const cJSON *m = s->node->child; m; m = m->next) {
        const char *k = m->string ? m->string : "";
        const kwdef *kw = find_keyword(k);
        if (!kw) {
            unknown_keyword(c, s, m, k);
            continue;
        }
        /* A keyword given twice (JSON allows duplicate names): the first
         * applies; compiling both would mix two lists into one. */
        if (seen[kw - keywords]) {
            cwarn(c, s->doc, m, 1, s->ptr, "keyword \"%s\" given twice; the first one applies", k);
            continue;
        }
        seen[kw - keywords] = 1;
        if (kw->compile && kw->compile(c, s, m, kw) < 0)
            return -1;
    }
    if (s->read_only && s->write_only)
        cwarn(c, s->doc, s->node, 0, s->ptr, "a schema must not be both readOnly and writeOnly");
    return 0;
}

static snode *compile_node(cc *c, const cf_doc *doc, const cJSON *node, const char *ptr)
{
    snode *s = memo_get(c->sc, doc, node);
    if (s)
        return s;
    if (!cJSON_IsObject(node)) {
        wrong_type(c, doc, node, ptr, "a schema", "an object", NULL);
        return NULL;
    }
    s = cf_xcalloc(1, sizeof *s);
    s->doc = doc;
    s->node = node;
    s->min_length = s->max_length = s->min_items = s->max_items = -1;
    s->min_props = s->max_props = -1;
    s->ptr = cf_strdup(ptr);
    s->loc = cf_asprintf("%s#%s", doc->name ? doc->name : "", ptr);
    c->sc->nodes = cf_xgrow(c->sc->nodes, &c->sc->cap, c->sc->nnodes + 1, sizeof *c->sc->nodes);
    c->sc->nodes[c->sc->nnodes++] = s;
    memo_put(c->sc, s);
    c->todo = cf_xgrow(c->todo, &c->todo_cap, c->ntodo + 1, sizeof *c->todo);
    c->todo[c->ntodo++] = s;
    return s;
}

/* The queued part of compile_node: a Reference Object's target, or the
 * keywords. */
static int compile_body(cc *c, snode *s)
{
    const cf_doc *doc = s->doc;
    const char *ptr = s->ptr;
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(s->node, "$ref");
    if (!ref)
        return compile_keywords(c, s);
    /* A Reference Object: its other members SHALL be ignored. */
    if (!cJSON_IsString(ref))
        return wrong_type(c, doc, ref, ptr, "$ref", "a string", NULL);
    const cf_doc *tdoc = NULL;
    const cJSON *tnode = NULL;
    char *tptr = NULL;
    if (resolve_ref(c, doc, ref, ptr, &tdoc, &tnode, &tptr) < 0)
        return -1;
    s->ref_text = ref->valuestring;
    char *name = NULL;
    cf_jsonptr_last_token(tptr, &name);
    s->ref_name = name;
    snode *t = compile_node(c, tdoc, tnode, tptr);
    free(tptr);
    if (!t)
        return -1;
    s->ref = t;
    return 0;
}

/* Every chain of Reference Objects must reach a schema. Each node is walked
 * once (chain_state), so this is linear in the number of nodes. */
static int check_ref_chains(cc *c)
{
    for (size_t i = 0; i < c->sc->nnodes; i++) {
        snode *s = c->sc->nodes[i];
        snode *r = s;
        while (r && r->ref_text && r->chain_state == 0) {
            r->chain_state = 1; /* on the walk */
            r = r->ref;
        }
        if (r && r->ref_text && r->chain_state == 1) {
            const cJSON *ref = cJSON_GetObjectItemCaseSensitive(s->node, "$ref");
            return cerr(c, s->doc, ref, s->ptr, NULL,
                        "$ref \"%s\" is circular: the chain of references never reaches a schema",
                        s->ref_text);
        }
        for (r = s; r && r->ref_text && r->chain_state == 1; r = r->ref)
            r->chain_state = 2; /* reaches a schema */
    }
    return 0;
}

/* Compiles the queue in document order: the children a node queued are
 * reversed onto the stack so that the first of them is compiled next. */
static int compile_all(cc *c)
{
    while (c->ntodo) {
        snode *s = c->todo[--c->ntodo];
        size_t base = c->ntodo;
        if (compile_body(c, s) < 0)
            return -1;
        for (size_t i = base, j = c->ntodo; i + 1 < j; i++, j--) {
            snode *t = c->todo[i];
            c->todo[i] = c->todo[j - 1];
            c->todo[j - 1] = t;
        }
    }
    for (size_t i = 0; i < c->ndiscs; i++)
        if (compile_discriminator(c, c->discs[i], c->discs[i]->disc_node) < 0)
            return -1;
    return check_ref_chains(c);
}

int cf_schema_compile(cf_schema **out, const cf_doc *doc, const cJSON *node, const char *node_ptr,
                      const cf_ref_resolver *resolver, cf_error **err)
{
    *out = NULL;
    cf_schema *sc = cf_xcalloc(1, sizeof *sc);
    if (resolver && resolver->resolve) {
        sc->resolver = *resolver;
        sc->has_resolver = 1;
    }
    const cJSON *dialect = cJSON_GetObjectItemCaseSensitive(doc->root, "$schema");
    cc c = {0};
    c.sc = sc;
    c.err = err;
    c.draft4 = cJSON_IsString(dialect) && strstr(dialect->valuestring, "json-schema.org/draft-04");
    sc->root = compile_node(&c, doc, node, node_ptr ? node_ptr : "");
    if (sc->root && compile_all(&c) < 0)
        sc->root = NULL;
    free(c.todo);
    free(c.discs);
    /* The memo is for compiling; validation walks the graph. */
    free(sc->memo);
    sc->memo = NULL;
    sc->mcap = sc->mused = 0;
    if (!sc->root) {
        if (err && !*err) /* every failure sets an error: a fallback, never seen */
            cf_error_set(err, NULL, 0, 0, NULL, "internal error: the schema did not compile");
        cf_schema_free(sc);
        return -1;
    }
    *out = sc;
    return 0;
}

size_t cf_schema_warning_count(const cf_schema *schema)
{
    return schema ? schema->nwarnings : 0;
}

const char *cf_schema_warning(const cf_schema *schema, size_t i)
{
    return schema && i < schema->nwarnings ? schema->warnings[i] : NULL;
}

/* ======================================================================== */
/* Validating                                                                */

/* A list of violations with a hash set for "once per (pointer, keyword,
 * message)". */
typedef struct vlist {
    cf_violation *items;
    size_t n, cap;
    size_t *hash; /* slots hold index + 1; 0 is empty */
    size_t hcap;
    int quick; /* only whether there is a violation matters */
} vlist;

typedef struct frame {
    const snode *s;
    const cJSON *inst;
} frame;

typedef struct vctx {
    cf_schema_dir dir;
    const cf_doc *idoc;
    cf_buf path;
    frame stack[MAX_DEPTH];
    size_t depth;
    const snode *nullable_outer; /* a typeless nullable: true above, for the hint */
    vlist notes;                 /* undecided and unchecked keywords, one per keyword */
} vctx;

static size_t str_hash(size_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (h ^ 0xff) * 1099511628211ULL;
}

static size_t viol_hash(const cf_violation *v)
{
    return str_hash(str_hash(str_hash(14695981039346656037ULL, v->instance_ptr), v->keyword),
                    v->message);
}

static int viol_same(const cf_violation *a, const cf_violation *b)
{
    return !strcmp(a->instance_ptr, b->instance_ptr) && !strcmp(a->keyword, b->keyword) &&
           !strcmp(a->message, b->message);
}

static void viol_free(cf_violation *v)
{
    free(v->instance_ptr);
    free(v->schema_loc);
    free(v->keyword);
    free(v->message);
}

static void vlist_free(vlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        viol_free(&l->items[i]);
    free(l->items);
    free(l->hash);
    memset(l, 0, sizeof *l);
}

static void vlist_rehash(vlist *l, size_t cap)
{
    size_t *h = cf_xcalloc(cap, sizeof *h);
    for (size_t i = 0; i < l->n; i++) {
        size_t j = viol_hash(&l->items[i]) & (cap - 1);
        while (h[j])
            j = (j + 1) & (cap - 1);
        h[j] = i + 1;
    }
    free(l->hash);
    l->hash = h;
    l->hcap = cap;
}

/* Takes ownership of v's strings. Drops a duplicate. */
static void vlist_push(vlist *l, cf_violation *v)
{
    if ((l->n + 1) * 2 > l->hcap)
        vlist_rehash(l, l->hcap ? l->hcap * 2 : 16);
    size_t j = viol_hash(v) & (l->hcap - 1);
    for (; l->hash[j]; j = (j + 1) & (l->hcap - 1)) {
        if (viol_same(&l->items[l->hash[j] - 1], v)) {
            viol_free(v);
            return;
        }
    }
    l->items = cf_xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
    l->items[l->n] = *v;
    l->hash[j] = ++l->n;
}

/* Moves every violation of from into to (from is left empty). */
static void vlist_merge(vctx *c, vlist *to, vlist *from)
{
    for (size_t i = 0; i < from->n; i++)
        vlist_push(to, &from->items[i]);
    from->n = 0;
    vlist_free(from);
}

static const char *cur_ptr(const vctx *c)
{
    return c->path.data ? c->path.data : "";
}

/* Adds a violation at the current instance pointer; keyword_path is the
 * keyword's location below s (usually the keyword itself). */
static void violate(vctx *c, vlist *l, const snode *s, const char *keyword,
                    const char *keyword_path, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void violate(vctx *c, vlist *l, const snode *s, const char *keyword,
                    const char *keyword_path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cf_violation v = {
        .instance_ptr = cf_strdup(cur_ptr(c)),
        .schema_loc = keyword_path && !*keyword_path
                          ? cf_strdup(s->loc)
                          : cf_asprintf("%s/%s", s->loc, keyword_path ? keyword_path : keyword),
        .keyword = cf_strdup(keyword),
        .message = cf_vasprintf(fmt, ap),
    };
    va_end(ap);
    vlist_push(l, &v);
}

/* A note: a keyword that was not decided (kind UNDECIDED) or not applied
 * (UNCHECKED) here. Kept apart from violations, so oneOf, anyOf and not
 * judge their branches as if the keyword were absent; one per keyword. */
static void note(vctx *c, const snode *s, cf_violation_kind kind, const char *keyword,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void note(vctx *c, const snode *s, cf_violation_kind kind, const char *keyword,
                 const char *fmt, ...)
{
    char *loc = cf_asprintf("%s/%s", s->loc, keyword);
    for (size_t i = 0; loc && i < c->notes.n; i++) {
        if (c->notes.items[i].kind == kind && !strcmp(c->notes.items[i].schema_loc, loc)) {
            free(loc);
            return;
        }
    }
    va_list ap;
    va_start(ap, fmt);
    cf_violation v = {
        .instance_ptr = cf_strdup(cur_ptr(c)),
        .schema_loc = loc,
        .keyword = cf_strdup(keyword),
        .message = cf_vasprintf(fmt, ap),
        .kind = kind,
    };
    va_end(ap);
    vlist_push(&c->notes, &v);
}

static int stop(const vlist *l)
{
    return l->quick && l->n > 0;
}

static size_t path_push_key(vctx *c, const char *key)
{
    size_t mark = c->path.len;
    cf_jsonptr_push(&c->path, key);
    return mark;
}

static size_t path_push_index(vctx *c, size_t i)
{
    size_t mark = c->path.len;
    cf_buf_printf(&c->path, "/%zu", i);
    return mark;
}

static void path_pop(vctx *c, size_t mark)
{
    if (c->path.data && mark <= c->path.len) {
        c->path.len = mark;
        c->path.data[mark] = '\0';
    }
}

static void v_node(vctx *c, const snode *s, const cJSON *inst, vlist *out);

static const snode *deref(const snode *s)
{
    while (s && s->ref)
        s = s->ref;
    return s;
}

/* A branch's name for messages: its $ref's schema name, its title, or its
 * place ("oneOf/1"). */
static char *branch_label(const char *kw, size_t i, const snode *b)
{
    if (b->ref_name && *b->ref_name)
        return cf_strdup(b->ref_name);
    const snode *t = deref(b);
    if (t->title && *t->title)
        return cf_asprintf("\"%s\"", t->title);
    return cf_asprintf("%s/%zu", kw, i);
}

static unsigned instance_type(vctx *c, const cJSON *inst)
{
    if (cJSON_IsNull(inst))
        return T_NULL;
    if (cJSON_IsBool(inst))
        return T_BOOLEAN;
    if (cJSON_IsObject(inst))
        return T_OBJECT;
    if (cJSON_IsArray(inst))
        return T_ARRAY;
    if (cJSON_IsString(inst))
        return T_STRING;
    if (cJSON_IsNumber(inst))
        return cf_json_number_is_integer(c->idoc, inst) ? T_INTEGER : T_NUMBER;
    return 0;
}

static void v_type(vctx *c, const snode *s, const cJSON *inst, vlist *out)
{
    unsigned t = instance_type(c, inst);
    if (!s->types)
        return;
    if (t == T_NULL) {
        if ((s->types & T_NULL) || s->nullable)
            return;
        if (c->nullable_outer)
            violate(c, out, s, "type", NULL,
                    "expected %s, got null (the nullable: true at %s does not reach into "
                    "allOf/anyOf/oneOf: OpenAPI 3.0.3 lets nullable allow null only next to "
                    "type in the same schema)",
                    s->type_name, c->nullable_outer->loc);
        else
            violate(c, out, s, "type", NULL, "expected %s, got null", s->type_name);
        return;
    }
    if ((s->types & t) || ((s->types & T_NUMBER) && t == T_INTEGER))
        return;
    char *got = typed_brief(c->idoc, inst, BRIEF);
    const char *note = "";
    if ((s->types & T_INTEGER) && t == T_NUMBER && cf_json_number_is_integral(c->idoc, inst))
        note = " (OpenAPI 3.0 defines integer as a JSON number without a fraction or exponent "
               "part)";
    violate(c, out, s, "type", NULL, "expected %s%s, got %s%s", s->type_name,
            s->nullable ? " or null" : "", got ? got : "?", note);
    free(got);
}

static void v_enum(vctx *c, const snode *s, const cJSON *inst, vlist *out)
{
    for (const cJSON *e = s->enum_values->child; e; e = e->next)
        if (cf_json_equal(s->doc, e, c->idoc, inst))
            return;
    char *list = brief(s->doc, s->enum_values, BRIEF_ENUM);
    char *got = brief(c->idoc, inst, BRIEF);
    char *hint = NULL;
    if (cJSON_IsNull(inst) && s->nullable) {
        hint = cf_strdup(" (nullable: true does not add null to enum: OpenAPI 3.0.3; list null "
                         "among the values)");
    } else if (cJSON_IsString(inst)) {
        const char *cands[64];
        size_t n = 0;
        for (const cJSON *e = s->enum_values->child; e && n < 64; e = e->next)
            if (cJSON_IsString(e))
                cands[n++] = e->valuestring;
        for (size_t i = 0; i < n && !hint; i++)
            if (!strcasecmp(cands[i], inst->valuestring))
                hint = cf_asprintf(" (\"%s\" differs only in case)", cands[i]);
        const char *close = hint ? NULL : cf_did_you_mean(inst->valuestring, cands, n);
        if (close)
            hint = cf_asprintf(" (did you mean \"%s\"?)", close);
    }
    violate(c, out, s, "enum", NULL, "expected one of %s, got %s%s", list ? list : "?",
            got ? got : "?", hint ? hint : "");
    free(list);
    free(got);
    free(hint);
}

/* Exact bounds of the numeric formats. */
#define INT32_MIN_TEXT "-2147483648"
#define INT32_MAX_TEXT "2147483647"
#define INT64_MIN_TEXT "-9223372036854775808"
#define INT64_MAX_TEXT "9223372036854775807"
/* float and double: a magnitude that does not round to infinity, i.e. below
 * the midpoint between the largest finite value and the next power of two
 * (2^128 - 2^103, 2^1024 - 2^970). A server printing FLT_MAX as Java does,
 * 3.4028235E38, conforms. */
#define FLT_LIMIT_TEXT "340282356779733661637539395458142568448"
#define DBL_LIMIT_TEXT                                                                             \
    "1797693134862315807937289714053034150799341327100378269361737789804449682927647509466490"     \
    "1797758720709633028641669288791094655554785194040263065748867150582068190890200070838367"     \
    "6273854845817711531764475730270069855571366959622842914819860834936475292719074168444365"     \
    "510704342711559699508093042880177904174497792"

static void v_format(vctx *c, const snode *s, const cJSON *inst, vlist *out)
{
    const char *what = cf_format_describe(s->format);
    if (cJSON_IsString(inst)) {
        char why[160];
        if (cf_format_check_string(s->format, inst->valuestring, why, sizeof why))
            return;
        char *got = brief(c->idoc, inst, BRIEF);
        violate(c, out, s, "format", NULL, "expected %s, got %s: %s", what, got ? got : "?", why);
        free(got);
        return;
    }
    if (!cJSON_IsNumber(inst))
        return;
    const char *lo = NULL, *hi = NULL, *range = NULL;
    int whole = 0, strict = 0;
    switch (s->format) {
    case CF_FORMAT_INT32:
        lo = INT32_MIN_TEXT, hi = INT32_MAX_TEXT, whole = 1;
        range = INT32_MIN_TEXT " to " INT32_MAX_TEXT;
        break;
    case CF_FORMAT_INT64:
        lo = INT64_MIN_TEXT, hi = INT64_MAX_TEXT, whole = 1;
        range = INT64_MIN_TEXT " to " INT64_MAX_TEXT;
        break;
    case CF_FORMAT_FLOAT:
        lo = "-" FLT_LIMIT_TEXT, hi = FLT_LIMIT_TEXT, strict = 1;
        range = "magnitude below 3.4028235677973366e38, beyond which it rounds to infinity";
        break;
    case CF_FORMAT_DOUBLE:
        lo = "-" DBL_LIMIT_TEXT, hi = DBL_LIMIT_TEXT, strict = 1;
        range = "magnitude below 1.7976931348623158e308, beyond which it rounds to infinity";
        break;
    default:
        return;
    }
    int bad_whole = whole && !cf_json_number_is_integral(c->idoc, inst);
    int clo = cf_json_number_cmp_text(c->idoc, inst, lo);
    int chi = cf_json_number_cmp_text(c->idoc, inst, hi);
    if (!bad_whole && (strict ? clo > 0 && chi < 0 : clo >= 0 && chi <= 0))
        return;
    char *got = brief(c->idoc, inst, BRIEF);
    violate(c, out, s, "format", NULL, "expected %s (%s), got %s", what, range, got ? got : "?");
    free(got);
}

static char *number_text_of(const cf_doc *doc, const cJSON *n)
{
    cf_buf b = {0};
    cf_json_number_render(&b, doc, n);
    return cf_buf_take(&b);
}

static void v_number(vctx *c, const snode *s, const cJSON *inst, vlist *out)
{
    if (s->minimum) {
        int cmp = cf_json_number_cmp(c->idoc, inst, s->doc, s->minimum);
        if (cmp < 0 || (cmp == 0 && s->excl_min)) {
            char *lim = number_text_of(s->doc, s->minimum), *got = brief(c->idoc, inst, BRIEF);
            violate(c, out, s, "minimum", NULL, "expected a value %s %s, got %s",
                    s->excl_min ? ">" : ">=", lim ? lim : "?", got ? got : "?");
            free(lim);
            free(got);
        }
    }
    if (s->maximum) {
        int cmp = cf_json_number_cmp(c->idoc, inst, s->doc, s->maximum);
        if (cmp > 0 || (cmp == 0 && s->excl_max)) {
            char *lim = number_text_of(s->doc, s->maximum), *got = brief(c->idoc, inst, BRIEF);
            violate(c, out, s, "maximum", NULL, "expected a value %s %s, got %s",
                    s->excl_max ? "<" : "<=", lim ? lim : "?", got ? got : "?");
            free(lim);
            free(got);
        }
    }
    if (s->multiple_of) {
        if (!cf_json_number_multiple(c->idoc, inst, s->doc, s->multiple_of)) {
            char *m = number_text_of(s->doc, s->multiple_of), *got = brief(c->idoc, inst, BRIEF);
            violate(c, out, s, "multipleOf", NULL, "expected a multiple of %s, got %s", m ? m : "?",
                    got ? got : "?");
            free(m);
            free(got);
        }
    }
}

static void v_string(vctx *c, const snode *s, const cJSON *inst, vlist *out)
{
    const char *str = inst->valuestring ? inst->valuestring : "";
    if (s->min_length >= 0 || s->max_length >= 0) {
        long long len = (long long)cf_utf8_length(str);
        if ((s->min_length >= 0 && len < s->min_length) ||
            (s->max_length >= 0 && len > s->max_length)) {
            int is_min = s->min_length >= 0 && len < s->min_length;
            long long lim = is_min ? s->min_length : s->max_length;
            char *got = brief(c->idoc, inst, BRIEF);
            violate(c, out, s, is_min ? "minLength" : "maxLength", NULL,
                    "expected %s %lld character%s, got %lld: %s", is_min ? "at least" : "at most",
                    lim, lim == 1 ? "" : "s", len, got ? got : "?");
            free(got);
        }
    }
    if (s->pattern_off) {
        note(c, s, CF_VIOLATION_UNCHECKED, "pattern", "%s", s->pattern_off);
    } else if (s->re) {
        char why[128];
        int r = cf_rx_match(s->re, str, why, sizeof why);
        char *got = r == 1 ? NULL : brief(c->idoc, inst, BRIEF);
        if (r == 0)
            violate(c, out, s, "pattern", NULL, "expected a string matching /%s/, got %s",
                    s->pattern, got ? got : "?");
        else if (r < 0)
            note(c, s, CF_VIOLATION_UNDECIDED, "pattern",
                 "pattern /%s/ could not be decided on a string of %zu bytes: %s (hint: the "
                 "pattern backtracks too much for this value; docs/REGEX.md): %s",
                 s->pattern, strlen(str), why, got ? got : "?");
        free(got);
    }
}

/* Each item equal to an earlier one is reported once, against the first of
 * its equals. Items are hashed (cf_json_hash agrees with cf_json_equal), so
 * a long array costs n hashes, not n^2 comparisons. */
static void v_unique(vctx *c, const snode *s, const cJSON *inst, vlist *out)
{
    size_t n = (size_t)cJSON_GetArraySize(inst), cap = 16;
    while (cap < n * 2)
        cap *= 2;
    struct slot {
        size_t hash, index;
        const cJSON *item;
    } *tab = cf_xcalloc(cap, sizeof *tab);
    size_t j = 0;
    for (const cJSON *b = inst->child; b && !stop(out); b = b->next, j++) {
        size_t h = cf_json_hash(c->idoc, b), k = h & (cap - 1);
        const struct slot *dup = NULL;
        for (; tab[k].item; k = (k + 1) & (cap - 1)) {
            if (tab[k].hash == h && cf_json_equal(c->idoc, tab[k].item, c->idoc, b)) {
                dup = &tab[k];
                break;
            }
        }
        if (dup) {
            char *v = brief(c->idoc, b, BRIEF);
            violate(c, out, s, "uniqueItems", NULL,
                    "expected unique items, but items %zu and %zu are equal: %s", dup->index, j,
                    v ? v : "?");
            free(v);
            continue;
        }
        tab[k] = (struct slot){h, j, b};
    }
    free(tab);
}

static void v_array(vctx *c, const snode *s, const cJSON *inst, vlist *out)
{
    long long n = cJSON_GetArraySize(inst);
    if (s->min_items >= 0 && n < s->min_items)
        violate(c, out, s, "minItems", NULL, "expected at least %lld item%s, got %lld",
                s->min_items, s->min_items == 1 ? "" : "s", n);
    if (s->max_items >= 0 && n > s->max_items)
        violate(c, out, s, "maxItems", NULL, "expected at most %lld item%s, got %lld", s->max_items,
                s->max_items == 1 ? "" : "s", n);
    if (s->unique_items && n > 1)
        v_unique(c, s, inst, out);
    if (s->items) {
        size_t i = 0;
        for (const cJSON *e = inst->child; e && !stop(out); e = e->next, i++) {
            size_t mark = path_push_index(c, i);
            v_node(c, s->items, e, out);
            path_pop(c, mark);
        }
    }
}

static const sprop *find_prop(const snode *s, const char *name)
{
    if (!s->nprops || !name)
        return NULL;
    sprop key = {name, NULL};
    return bsearch(&key, s->props, s->nprops, sizeof *s->props, prop_cmp);
}

/* "id, name, tags" (at most 8 names), for messages. */
static char *prop_list(const snode *s)
{
    cf_buf b = {0};
    for (size_t i = 0; i < s->nprops && i < 8; i++)
        cf_buf_printf(&b, "%s%s", i ? ", " : "", s->props[i].name);
    if (s->nprops > 8)
        cf_buf_printf(&b, ", ... (%zu in all)", s->nprops);
    return cf_buf_take(&b);
}

/* required: each missing property, unless it only applies to the other
 * direction (readOnly ones to responses, writeOnly ones to requests). */
static void v_required(vctx *c, const snode *s, const cJSON *inst, vlist *out)
{
    for (size_t i = 0; i < s->nrequired && !stop(out); i++) {
        const char *name = s->required[i];
        if (cJSON_GetObjectItemCaseSensitive(inst, name))
            continue;
        const sprop *p = find_prop(s, name);
        const snode *ps = p ? deref(p->schema) : NULL;
        if (ps && c->dir == CF_SCHEMA_RESPONSE && ps->write_only)
            continue; /* required applies to requests only */
        if (ps && c->dir == CF_SCHEMA_REQUEST && ps->read_only)
            continue; /* required applies to responses only */
        char *q = NULL;
        cf_buf qb = {0};
        cf_json_quote(&qb, name);
        q = cf_buf_take(&qb);
        violate(c, out, s, "required", NULL, "missing required property %s", q ? q : name);
        free(q);
    }
}

/* Validates member m against every patternProperties schema whose pattern
 * matches its name; returns whether one matched. */
static int v_pattern_props(vctx *c, const snode *s, const cJSON *m, vlist *out)
{
    int matched = 0;
    for (size_t i = 0; i < s->npprops; i++) {
        char why[128];
        int r = cf_rx_match(s->pprops[i].re, m->string ? m->string : "", why, sizeof why);
        if (r < 0) {
            size_t pm = path_push_key(c, m->string);
            note(c, s, CF_VIOLATION_UNDECIDED, "patternProperties",
                 "patternProperties /%s/ could not be decided on this key: %s", s->pprops[i].source,
                 why);
            path_pop(c, pm);
        }
        if (r != 1)
            continue;
        size_t pm = path_push_key(c, m->string);
        v_node(c, s->pprops[i].schema, m, out);
        path_pop(c, pm);
        matched = 1;
    }
    return matched;
}

/* Member m (quoted q) under additionalProperties: false, with a hint: a
 * close declared name, or the allOf branch that declares it. */
static void v_unexpected(vctx *c, const snode *s, const cJSON *inst, const cJSON *m, const char *q,
                         vlist *out)
{
    char *allowed = prop_list(s);
    const char *cands[64];
    size_t n = 0;
    for (size_t i = 0; i < s->nprops && n < 64; i++)
        if (!cJSON_GetObjectItemCaseSensitive(inst, s->props[i].name))
            cands[n++] = s->props[i].name;
    const char *close = cf_did_you_mean(m->string ? m->string : "", cands, n);
    char *hint = close ? cf_asprintf("; did you mean \"%s\"?", close) : NULL;
    for (size_t i = 0; i < s->nall && !hint; i++)
        if (find_prop(deref(s->all_of[i]), m->string))
            hint = cf_asprintf("; allOf/%zu declares it, but additionalProperties does "
                               "not look into allOf",
                               i);
    if (s->nprops)
        violate(c, out, s, "additionalProperties", NULL,
                "unexpected property %s (additionalProperties is false; allowed: %s%s)",
                q ? q : "?", allowed ? allowed : "?", hint ? hint : "");
    else
        violate(c, out, s, "additionalProperties", NULL,
                "unexpected property %s (additionalProperties is false and no "
                "properties are declared)",
                q ? q : "?");
    free(hint);
    free(allowed);
}

static void v_object(vctx *c, const snode *s, const cJSON *inst, vlist *out)
{
    v_required(c, s, inst, out);
    for (const cJSON *m = inst->child; m && !stop(out); m = m->next) {
        const sprop *p = find_prop(s, m->string);
        int matched = v_pattern_props(c, s, m, out);
        if (!p && (matched || (!s->addl_false && !s->addl)))
            continue;
        size_t mark = path_push_key(c, m->string);
        cf_buf qb = {0};
        cf_json_quote(&qb, m->string);
        char *q = cf_buf_take(&qb);
        if (p) {
            const snode *ps = deref(p->schema);
            if (c->dir == CF_SCHEMA_RESPONSE && ps->write_only)
                violate(c, out, ps, "writeOnly", NULL,
                        "writeOnly property %s must not appear in a response", q ? q : "?");
            else if (c->dir == CF_SCHEMA_REQUEST && ps->read_only)
                violate(c, out, ps, "readOnly", NULL,
                        "readOnly property %s must not appear in a request", q ? q : "?");
            v_node(c, p->schema, m, out);
        } else if (s->addl_false) {
            v_unexpected(c, s, inst, m, q, out);
        } else {
            v_node(c, s->addl, m, out);
        }
        free(q);
        path_pop(c, mark);
    }
    if (s->min_props >= 0 || s->max_props >= 0) {
        long long count = cJSON_GetArraySize(inst);
        if (s->min_props >= 0 && count < s->min_props)
            violate(c, out, s, "minProperties", NULL, "expected at least %lld propert%s, got %lld",
                    s->min_props, s->min_props == 1 ? "y" : "ies", count);
        if (s->max_props >= 0 && count > s->max_props)
            violate(c, out, s, "maxProperties", NULL, "expected at most %lld propert%s, got %lld",
                    s->max_props, s->max_props == 1 ? "y" : "ies", count);
    }
}

/* Evaluates branch b on inst into a fresh list. */
static void v_branch(vctx *c, const snode *b, const cJSON *inst, vlist *l, int quick)
{
    memset(l, 0, sizeof *l);
    l->quick = quick;
    v_node(c, b, inst, l);
}

/* Whether l has a type violation at the current instance pointer: the
 * branch is about a different kind of value altogether. */
static int type_mismatch_here(const vctx *c, const vlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].keyword, "type") && !strcmp(l->items[i].instance_ptr, cur_ptr(c)))
            return 1;
    return 0;
}

/* The index of the one failing branch that is closest to matching, or -1:
 * branches whose type fits beat those whose type does not, then fewer
 * violations win; a tie means there is no closest. */
static long closest_branch(const vctx *c, const vlist *res, size_t n)
{
    long best = -1;
    int best_type_ok = -1, tie = 0;
    size_t best_n = 0;
    for (size_t i = 0; i < n; i++) {
        int ok = !type_mismatch_here(c, &res[i]);
        if (best < 0 || ok > best_type_ok || (ok == best_type_ok && res[i].n < best_n)) {
            best = (long)i;
            best_type_ok = ok;
            best_n = res[i].n;
            tie = 0;
        } else if (ok == best_type_ok && res[i].n == best_n) {
            tie = 1;
        }
    }
    return tie ? -1 : best;
}

static char *branch_names(const char *kw, snode **br, size_t n)
{
    cf_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        char *l = branch_label(kw, i, br[i]);
        cf_buf_printf(&b, "%s%s", i ? ", " : "", l ? l : "?");
        free(l);
    }
    return cf_buf_take(&b);
}

/* The failure of a oneOf/anyOf that no branch satisfied. */
static void report_none(vctx *c, const snode *s, const char *kw, snode **br, size_t n, vlist *res,
                        vlist *out)
{
    long best = closest_branch(c, res, n);
    char *names = branch_names(kw, br, n);
    if (best >= 0) {
        char *label = branch_label(kw, (size_t)best, br[best]);
        violate(c, out, s, kw, NULL,
                "expected the value to match %s of the %zu %s schemas (%s), but it matches "
                "none; the closest is %s, whose violations follow",
                !strcmp(kw, "oneOf") ? "exactly one" : "at least one", n, kw, names ? names : "?",
                label ? label : "?");
        free(label);
        vlist_merge(c, out, &res[best]);
    } else {
        cf_buf b = {0};
        for (size_t i = 0; i < n && i < 4; i++) {
            char *label = branch_label(kw, i, br[i]);
            const cf_violation *v = res[i].n ? &res[i].items[0] : NULL;
            cf_buf_printf(
                &b, "%s%s: %s%s%s%s", i ? "; " : "", label ? label : "?",
                v && *v->instance_ptr && strcmp(v->instance_ptr, cur_ptr(c)) ? v->instance_ptr : "",
                v && *v->instance_ptr && strcmp(v->instance_ptr, cur_ptr(c)) ? ": " : "",
                v ? v->message : "?", res[i].n > 1 ? " (and more)" : "");
            free(label);
        }
        if (n > 4)
            cf_buf_printf(&b, "; ... %zu more", n - 4);
        char *why = cf_buf_take(&b);
        violate(c, out, s, kw, NULL,
                "expected the value to match %s of the %zu %s schemas, but it matches none: %s",
                !strcmp(kw, "oneOf") ? "exactly one" : "at least one", n, kw, why ? why : "?");
        free(why);
    }
    free(names);
}

/* oneOf/anyOf with a discriminator on an object: the property picks the
 * branch. Returns 1 when handled. */
static int v_discriminated(vctx *c, const snode *s, const char *kw, snode **br, size_t n,
                           const cJSON *inst, vlist *out)
{
    if (!s->disc_prop || !s->ndisc || !cJSON_IsObject(inst))
        return 0;
    const cJSON *pv = cJSON_GetObjectItemCaseSensitive(inst, s->disc_prop);
    cf_buf vb = {0};
    for (size_t i = 0; i < s->ndisc && i < 12; i++)
        cf_buf_printf(&vb, "%s\"%s\"", i ? ", " : "", s->disc[i].value);
    if (s->ndisc > 12)
        cf_buf_puts(&vb, ", ...");
    char *values = cf_buf_take(&vb);
    int handled = 1;
    if (!pv) {
        violate(c, out, s, "discriminator", "discriminator/propertyName",
                "missing discriminator property \"%s\" (one of %s)", s->disc_prop,
                values ? values : "?");
        goto done;
    }
    if (!cJSON_IsString(pv)) {
        char *got = typed_brief(c->idoc, pv, BRIEF);
        violate(c, out, s, "discriminator", "discriminator/propertyName",
                "discriminator property \"%s\" must be a string (one of %s), got %s", s->disc_prop,
                values ? values : "?", got ? got : "?");
        free(got);
        goto done;
    }
    long idx = -2;
    for (size_t i = 0; i < s->ndisc && idx == -2; i++)
        if (!strcmp(s->disc[i].value, pv->valuestring))
            idx = s->disc[i].branch;
    if (idx == -1) { /* mapped, but to no branch: plain oneOf/anyOf semantics */
        handled = 0;
        goto done;
    }
    if (idx < 0) {
        const char *cands[64];
        size_t nc = 0;
        for (size_t i = 0; i < s->ndisc && nc < 64; i++)
            cands[nc++] = s->disc[i].value;
        const char *close = cf_did_you_mean(pv->valuestring, cands, nc);
        char *hint = close ? cf_asprintf("; did you mean \"%s\"?", close) : NULL;
        char *got = brief(c->idoc, pv, BRIEF);
        violate(c, out, s, "discriminator", "discriminator",
                "discriminator \"%s\" is %s, which selects none of the %s schemas (expected one "
                "of %s%s)",
                s->disc_prop, got ? got : "?", kw, values ? values : "?", hint ? hint : "");
        free(got);
        free(hint);
        goto done;
    }
    vlist res;
    v_branch(c, br[idx], inst, &res, out->quick);
    char *label = branch_label(kw, (size_t)idx, br[idx]);
    if (res.n) {
        violate(c, out, s, kw, NULL,
                "discriminator %s=\"%s\" selects %s, which the value does not match; its "
                "violations follow",
                s->disc_prop, pv->valuestring, label ? label : "?");
        vlist_merge(c, out, &res);
    } else {
        /* The discriminator "will indicate that the Cat schema be used"
         * (OpenAPI 3.0.3): other branches that the value happens to match
         * as well do not count against oneOf. */
        vlist_free(&res);
    }
    free(label);
done:
    free(values);
    return handled;
}

static void v_any_of(vctx *c, const snode *s, const cJSON *inst, vlist *out)
{
    if (v_discriminated(c, s, "anyOf", s->any_of, s->nany, inst, out))
        return;
    vlist *res = cf_xcalloc(s->nany, sizeof *res);
    size_t done = 0;
    int ok = 0;
    for (; done < s->nany && !ok; done++) {
        v_branch(c, s->any_of[done], inst, &res[done], out->quick);
        ok = res[done].n == 0;
    }
    if (!ok) {
        if (out->quick)
            violate(c, out, s, "anyOf", NULL, "matches none of the anyOf schemas");
        else
            report_none(c, s, "anyOf", s->any_of, s->nany, res, out);
    }
    for (size_t i = 0; i < done; i++)
        vlist_free(&res[i]);
    free(res);
}

static void v_one_of(vctx *c, const snode *s, const cJSON *inst, vlist *out)
{
    if (v_discriminated(c, s, "oneOf", s->one_of, s->none, inst, out))
        return;
    vlist *res = cf_xcalloc(s->none, sizeof *res);
    size_t passed = 0;
    cf_buf names = {0};
    for (size_t i = 0; i < s->none; i++) {
        v_branch(c, s->one_of[i], inst, &res[i], out->quick);
        if (!res[i].n) {
            passed++;
            char *l = branch_label("oneOf", i, s->one_of[i]);
            cf_buf_printf(&names, "%s%s", names.len ? ", " : "", l ? l : "?");
            free(l);
        }
    }
    if (passed == 0) {
        if (out->quick)
            violate(c, out, s, "oneOf", NULL, "matches none of the oneOf schemas");
        else
            report_none(c, s, "oneOf", s->one_of, s->none, res, out);
    } else if (passed > 1) {
        violate(c, out, s, "oneOf", NULL,
                "expected the value to match exactly one of the %zu oneOf schemas, but it "
                "matches %zu: %s",
                s->none, passed, names.data ? names.data : "?");
    }
    cf_buf_free(&names);
    for (size_t i = 0; i < s->none; i++)
        vlist_free(&res[i]);
    free(res);
}

/* A not whose subschema left a keyword undecided has no verdict: the
 * UNDECIDED note says so, and no "not" violation is made up. (In oneOf and
 * anyOf an undecided keyword counts as satisfied; the note makes the result
 * an error either way.) */
static void v_not(vctx *c, const snode *s, const cJSON *inst, vlist *out)
{
    vlist res;
    size_t notes = c->notes.n;
    v_branch(c, s->not_schema, inst, &res, 1);
    int undecided = 0;
    for (size_t i = notes; i < c->notes.n; i++)
        undecided |= c->notes.items[i].kind == CF_VIOLATION_UNDECIDED;
    if (!res.n && !undecided) {
        char *got = typed_brief(c->idoc, inst, BRIEF);
        violate(c, out, s, "not", NULL,
                "expected a value that does not match the schema at %s/not, got %s", s->loc,
                got ? got : "?");
        free(got);
    }
    vlist_free(&res);
}

static void v_node(vctx *c, const snode *s, const cJSON *inst, vlist *out)
{
    s = deref(s);
    if (stop(out))
        return;
    /* The same schema on the same value further up: a cycle that consumes
     * nothing; it adds no constraint beyond what is being checked. */
    for (size_t i = 0; i < c->depth; i++)
        if (c->stack[i].s == s && c->stack[i].inst == inst)
            return;
    if (c->depth == MAX_DEPTH) {
        violate(c, out, s, "$ref", "", "not checked: schemas nest more than %d deep here",
                MAX_DEPTH);
        return;
    }
    c->stack[c->depth++] = (frame){s, inst};
    const snode *saved_outer = c->nullable_outer;
    if (cJSON_IsNull(inst) && s->nullable && !s->types)
        c->nullable_outer = s;

    v_type(c, s, inst, out);
    if (s->enum_values && !stop(out))
        v_enum(c, s, inst, out);
    if (s->format != CF_FORMAT_NONE && !stop(out))
        v_format(c, s, inst, out);
    if (cJSON_IsNumber(inst) && !stop(out))
        v_number(c, s, inst, out);
    else if (cJSON_IsString(inst) && !stop(out))
        v_string(c, s, inst, out);
    else if (cJSON_IsArray(inst) && !stop(out))
        v_array(c, s, inst, out);
    else if (cJSON_IsObject(inst) && !stop(out))
        v_object(c, s, inst, out);
    for (size_t i = 0; i < s->nall && !stop(out); i++)
        v_node(c, s->all_of[i], inst, out);
    if (s->any_of && !stop(out))
        v_any_of(c, s, inst, out);
    if (s->one_of && !stop(out))
        v_one_of(c, s, inst, out);
    if (s->not_schema && !stop(out)) {
        const snode *o = c->nullable_outer;
        c->nullable_outer = NULL;
        v_not(c, s, inst, out);
        c->nullable_outer = o;
    }

    c->nullable_outer = saved_outer;
    c->depth--;
}

int cf_schema_validate(const cf_schema *schema, cf_schema_dir dir, const cf_doc *instance_doc,
                       const cJSON *instance, cf_violations *out)
{
    /* Not calloc: the frame stack is 8 KiB and only its used prefix is read. */
    vctx *c = cf_xmalloc(sizeof *c);
    c->path = (cf_buf){0};
    c->depth = 0;
    c->nullable_outer = NULL;
    c->notes = (vlist){0};
    c->dir = dir;
    c->idoc = instance_doc;
    cf_buf_puts(&c->path, "");
    vlist l = {0};
    if (!instance) {
        violate(c, &l, schema->root, "type", NULL, "expected a value, got nothing");
    } else {
        v_node(c, schema->root, instance, &l);
    }
    size_t total = l.n + c->notes.n;
    if (total)
        out->items = cf_xrealloc(out->items, (out->count + total) * sizeof *out->items);
    /* l.items is NULL when l is empty: memcpy's source must not be. */
    if (l.n)
        memcpy(out->items + out->count, l.items, l.n * sizeof *l.items);
    if (c->notes.n)
        memcpy(out->items + out->count + l.n, c->notes.items, c->notes.n * sizeof *c->notes.items);
    out->count += total;
    int rc = (int)total;
    l.n = 0;
    c->notes.n = 0;
    vlist_free(&l);
    vlist_free(&c->notes);
    cf_buf_free(&c->path);
    free(c);
    return rc;
}

void cf_violations_clear(cf_violations *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->count; i++)
        viol_free(&v->items[i]);
    free(v->items);
    v->items = NULL;
    v->count = 0;
}
