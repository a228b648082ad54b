/*
 * yamldoc.c - libyaml events to a cJSON tree with marks (see yamldoc.h).
 *
 * The loader walks the event stream recursively; every node it creates is
 * noted in the doc's side table with libyaml's start mark (converted to
 * 1-based line and column here, once).
 */
#include "doc/yamldoc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/util.h"

/* Limits; docs/CASEFORMAT.md ("Limits of suite and spec files") documents them. */
enum {
    MAX_DEPTH = 512, /* deeper nesting is refused, aliases expanded included */
    SMALL_MAP = 16,  /* mappings up to this size find keys by a linear scan */
    NODE_COST = 16,  /* bytes counted for every node an alias copies */
};
static size_t max_nodes = CF_YAML_MAX_NODES;

void cf_yaml_set_max_nodes(size_t n)
{
    max_nodes = n ? n : CF_YAML_MAX_NODES;
}

/* What aliases may add, in bytes of keys and values (plus NODE_COST a node):
 * ALIAS_RATIO times the file's size, within [ALIAS_MIN, ALIAS_MAX]. Counted
 * while copying, so a bomb stops after at most ALIAS_MAX bytes of work. */
#define ALIAS_RATIO 64
#define ALIAS_MIN ((size_t)1 << 20)
#define ALIAS_MAX ((size_t)256 << 20)

/* Open-addressing set of object members (cJSON items) keyed by their name;
 * used by mappings with more than SMALL_MAP keys so that the duplicate check
 * and merges stay O(1) a key. */
typedef struct keyset {
    const cJSON **slots;
    size_t cap; /* power of two; 0 while the mapping is small */
    size_t used;
} keyset;

/* Anchors by name; a later anchor of the same name replaces the earlier one,
 * as in YAML. */
typedef struct anchor {
    char *name;  /* NULL = empty slot */
    cJSON *node; /* borrowed from the tree being built */
} anchor;

typedef struct loader {
    yaml_parser_t parser;
    cf_doc *doc;
    cf_error **err;
    anchor *anchors;
    size_t acap, aused;
    size_t nodes;
    size_t alias_nodes;       /* nodes created by alias copies (for the hint) */
    size_t alias_bytes;       /* what aliases added so far */
    size_t alias_budget;      /* what they may add */
    const char *alias;        /* the alias being expanded, for messages */
    int key_line, key_column; /* mark of the key whose value is noted next */
    cJSON *graveyard;         /* merge sources: anchors may still point into them */
    int packed;               /* CF_YAML_PACKED: strings in the doc's blocks */
} loader;

static int fail_at(loader *l, const yaml_mark_t *m, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail_at(loader *l, const yaml_mark_t *m, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cf_error_setv(l->err, l->doc->name, m ? (int)m->line + 1 : 0, m ? (int)m->column + 1 : 0, hint,
                  fmt, ap);
    va_end(ap);
    return -1;
}

static int next_event(loader *l, yaml_event_t *ev)
{
    if (yaml_parser_parse(&l->parser, ev))
        return 0;
    const yaml_parser_t *p = &l->parser;
    const char *problem = p->problem ? p->problem : "unknown problem";
    if (p->context)
        return fail_at(l, &p->problem_mark, "check indentation, quoting and the brackets",
                       "YAML syntax error: %s %s", problem, p->context);
    return fail_at(l, &p->problem_mark, "check indentation, quoting and the brackets",
                   "YAML syntax error: %s", problem);
}

static int too_many_nodes(loader *l, const yaml_mark_t *m)
{
    if (l->alias_nodes)
        return fail_at(l, m, "avoid aliases that expand into huge documents",
                       "document too large: more than %zu nodes (%zu of them copied by aliases)",
                       max_nodes, l->alias_nodes);
    return fail_at(l, m, "split it into several files", "document too large: more than %zu nodes",
                   max_nodes);
}

static int note(loader *l, cJSON *node, const yaml_mark_t *m, const char *number_text)
{
    if (++l->nodes > max_nodes)
        return too_many_nodes(l, m);
    int kl = l->key_line, kc = l->key_column;
    l->key_line = l->key_column = 0;
    if (cf_doc_note_fresh(l->doc, node, (int)m->line + 1, (int)m->column + 1, kl, kc, number_text) <
        0)
        return fail_at(l, m, NULL, "out of memory");
    return 0;
}

/* --- mapping keys --- */

static int keyset_put(keyset *ks, const cJSON *member)
{
    if ((ks->used + 1) * 2 > ks->cap) {
        size_t cap = ks->cap ? ks->cap * 2 : SMALL_MAP * 4;
        const cJSON **slots = cf_xcalloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < ks->cap; i++) {
            if (!ks->slots[i])
                continue;
            size_t j = cf_str_hash(ks->slots[i]->string) & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = ks->slots[i];
        }
        free(ks->slots);
        ks->slots = slots;
        ks->cap = cap;
    }
    size_t j = cf_str_hash(member->string) & (ks->cap - 1);
    while (ks->slots[j])
        j = (j + 1) & (ks->cap - 1);
    ks->slots[j] = member;
    ks->used++;
    return 0;
}

static const cJSON *keyset_find(const keyset *ks, const cJSON *map, const char *key)
{
    if (!ks->cap)
        return cJSON_GetObjectItemCaseSensitive(map, key);
    for (size_t j = cf_str_hash(key) & (ks->cap - 1); ks->slots[j]; j = (j + 1) & (ks->cap - 1))
        if (strcmp(ks->slots[j]->string, key) == 0)
            return ks->slots[j];
    return NULL;
}

/* Adds member (its ->string set, owned by the map from now on) to map. */
static int map_add(keyset *ks, cJSON *map, cJSON *member)
{
    cJSON_AddItemToArray(map, member);
    if (ks->cap)
        return keyset_put(ks, member);
    if (++ks->used <= SMALL_MAP)
        return 0;
    ks->used = 0; /* the mapping outgrew the linear scan: index every key */
    for (const cJSON *c = map->child; c; c = c->next)
        if (keyset_put(ks, c) < 0)
            return -1;
    return 0;
}

/* --- scalar resolution (YAML 1.2 core schema) --- */

static int is_null_word(const char *s)
{
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

static int bool_word(const char *s)
{
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
        return 1;
    if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
        return 0;
    return -1;
}

/* Decimal integer or float as the core schema spells them. On success *text
 * receives the literal in JSON spelling (no '+', "1." -> "1.0", ".5" ->
 * "0.5"), which is what the doc table keeps. */
static int decimal_number(const char *s, char **text)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    size_t int_digits = 0, frac_digits = 0;
    while (isdigit((unsigned char)p[int_digits]))
        int_digits++;
    const char *q = p + int_digits;
    int has_dot = 0;
    if (*q == '.') {
        has_dot = 1;
        q++;
        while (isdigit((unsigned char)q[frac_digits]))
            frac_digits++;
        q += frac_digits;
    }
    if (!int_digits && !frac_digits)
        return 0;
    if (*q == 'e' || *q == 'E') {
        q++;
        if (*q == '+' || *q == '-')
            q++;
        if (!isdigit((unsigned char)*q))
            return 0;
        while (isdigit((unsigned char)*q))
            q++;
    }
    if (*q)
        return 0;
    cf_buf b = {0};
    if (*s == '-')
        cf_buf_puts(&b, "-");
    if (int_digits)
        cf_buf_append(&b, p, int_digits);
    else
        cf_buf_puts(&b, "0");
    if (has_dot) {
        cf_buf_puts(&b, ".");
        if (frac_digits)
            cf_buf_append(&b, p + int_digits + 1, frac_digits);
        else
            cf_buf_puts(&b, "0");
        cf_buf_puts(&b, p + int_digits + 1 + frac_digits);
    } else {
        cf_buf_puts(&b, p + int_digits);
    }
    *text = cf_buf_take(&b);
    return *text != NULL;
}

/* 0o17 and 0x1F: converted to decimal text. */
static int radix_number(const char *s, char **text)
{
    int base = 0;
    if (s[0] == '0' && s[1] == 'o')
        base = 8;
    else if (s[0] == '0' && s[1] == 'x')
        base = 16;
    if (!base || !s[2])
        return 0;
    for (const char *p = s + 2; *p; p++)
        if (base == 8 ? (*p < '0' || *p > '7') : !isxdigit((unsigned char)*p))
            return 0;
    errno = 0;
    unsigned long long v = strtoull(s + 2, NULL, base);
    if (errno)
        return 0;
    *text = cf_asprintf("%llu", v);
    return *text != NULL;
}

/* A string node that takes over libyaml's buffer of the scalar (allocated
 * with malloc, as cJSON frees it): one malloc, copy and free less a scalar.
 * Packed, the string is copied to the doc's blocks instead. */
static cJSON *steal_string(loader *l, yaml_event_t *ev)
{
    cJSON *n = cJSON_CreateNull();
    if (!n)
        return NULL;
    n->type = cJSON_String;
    if (l->packed) {
        n->type |= cJSON_IsReference; /* cJSON_Delete leaves valuestring alone */
        n->valuestring =
            cf_doc_pack_string(l->doc, (const char *)ev->data.scalar.value, ev->data.scalar.length);
        return n;
    }
    n->valuestring = (char *)ev->data.scalar.value;
    ev->data.scalar.value = NULL; /* yaml_event_delete frees NULL */
    return n;
}

static cJSON *scalar_node(loader *l, yaml_event_t *ev, char **number_text)
{
    const char *v = (const char *)ev->data.scalar.value;
    const char *tag = (const char *)ev->data.scalar.tag;
    int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    *number_text = NULL;

    if (tag && strcmp(tag, YAML_STR_TAG) == 0)
        return steal_string(l, ev);
    if (!plain && !(tag && strncmp(tag, "tag:yaml.org,2002:", 18) == 0))
        return steal_string(l, ev);
    if (is_null_word(v))
        return cJSON_CreateNull();
    int b = bool_word(v);
    if (b >= 0)
        return cJSON_CreateBool(b);
    if (decimal_number(v, number_text) || radix_number(v, number_text))
        return cJSON_CreateNumber(strtod(*number_text, NULL));
    return steal_string(l, ev);
}

/* --- aliases --- */

static int remember_anchor(loader *l, const yaml_char_t *name, cJSON *node)
{
    if (!name)
        return 0;
    if ((l->aused + 1) * 2 > l->acap) {
        size_t cap = l->acap ? l->acap * 2 : 16;
        anchor *slots = cf_xcalloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < l->acap; i++) {
            if (!l->anchors[i].name)
                continue;
            size_t j = cf_str_hash(l->anchors[i].name) & (cap - 1);
            while (slots[j].name)
                j = (j + 1) & (cap - 1);
            slots[j] = l->anchors[i];
        }
        free(l->anchors);
        l->anchors = slots;
        l->acap = cap;
    }
    size_t j = cf_str_hash((const char *)name) & (l->acap - 1);
    while (l->anchors[j].name && strcmp(l->anchors[j].name, (const char *)name) != 0)
        j = (j + 1) & (l->acap - 1);
    if (!l->anchors[j].name) {
        if (!(l->anchors[j].name = cf_strdup((const char *)name)))
            return -1;
        l->aused++;
    }
    l->anchors[j].node = node;
    return 0;
}

static cJSON *find_anchor(const loader *l, const char *name)
{
    if (!l->acap)
        return NULL;
    for (size_t j = cf_str_hash(name) & (l->acap - 1); l->anchors[j].name;
         j = (j + 1) & (l->acap - 1))
        if (strcmp(l->anchors[j].name, name) == 0)
            return l->anchors[j].node;
    return NULL;
}

/* Charges one copied node to the alias budget; the depth and byte limits are
 * checked here, while expanding, so a bomb stops as soon as it crosses them. */
static int charge_copy(loader *l, const cJSON *src, int depth, const yaml_mark_t *at)
{
    if (depth > MAX_DEPTH)
        return fail_at(
            l, at, "an alias of a node that holds aliases nests one more level each time",
            "%s%s expands deeper than %d levels", l->alias ? "alias *" : "the merge key <<",
            l->alias ? l->alias : "", MAX_DEPTH);
    size_t cost = NODE_COST + (src->string ? strlen(src->string) : 0) +
                  (cJSON_IsString(src) && src->valuestring ? strlen(src->valuestring) : 0);
    l->alias_nodes++;
    l->alias_bytes += cost;
    if (l->alias_bytes > l->alias_budget)
        return fail_at(l, at, "aliases copy what they refer to: refer to large nodes less often",
                       "%s%s expands the document by more than %zu bytes (%d times the file "
                       "size, at least 1 MiB and at most 256 MiB)",
                       l->alias ? "alias *" : "the merge key <<", l->alias ? l->alias : "",
                       l->alias_budget, ALIAS_RATIO);
    return 0;
}

/* Deep copy, placed at depth, that carries the marks and number texts of the
 * original. Recursion is bounded by MAX_DEPTH (charge_copy). */
static cJSON *copy_node(loader *l, const cJSON *src, const yaml_mark_t *at, int depth)
{
    if (charge_copy(l, src, depth, at) < 0)
        return NULL;
    if (l->nodes >= max_nodes) { /* reported at the alias, not at the original */
        too_many_nodes(l, at);
        return NULL;
    }
    cJSON *dst = NULL;
    if (cJSON_IsObject(src))
        dst = cJSON_CreateObject();
    else if (cJSON_IsArray(src))
        dst = cJSON_CreateArray();
    else
        dst = cJSON_Duplicate(src, 0);
    if (!dst)
        return NULL;
    /* cJSON_Duplicate copies the member name too; a copy is named where the
     * alias stands, and the callers set ->string without freeing it. */
    if (dst->string && !(dst->type & cJSON_StringIsConst))
        cJSON_free(dst->string);
    dst->string = NULL;
    cf_mark m = cf_doc_mark(l->doc, src);
    yaml_mark_t ym = *at;
    if (m.line) {
        ym.line = (size_t)m.line - 1;
        ym.column = (size_t)m.column - 1;
    }
    if (note(l, dst, &ym, cf_doc_number_text(l->doc, src)) < 0)
        goto fail;
    for (const cJSON *c = src->child; c && (cJSON_IsObject(src) || cJSON_IsArray(src));
         c = c->next) {
        cJSON *cc = copy_node(l, c, at, depth + 1);
        if (!cc)
            goto fail;
        if (cJSON_IsObject(src))
            cJSON_AddItemToObject(dst, c->string, cc);
        else
            cJSON_AddItemToArray(dst, cc);
        cf_mark km = cf_doc_key_mark(l->doc, c);
        if (cJSON_IsObject(src) && km.line)
            cf_doc_note_key(l->doc, cc, km.line, km.column);
    }
    return dst;
fail:
    cJSON_Delete(dst);
    return NULL;
}

static cJSON *alias_node(loader *l, const yaml_event_t *ev, int depth)
{
    const char *name = (const char *)ev->data.alias.anchor;
    const cJSON *target = find_anchor(l, name);
    if (!target) {
        fail_at(l, &ev->start_mark, "define the anchor (&NAME) before using it",
                "unknown alias *%s", name);
        return NULL;
    }
    l->alias = name;
    cJSON *c = copy_node(l, target, &ev->start_mark, depth);
    if (!c && !*l->err)
        fail_at(l, &ev->start_mark, NULL, "out of memory");
    return c;
}

/* --- the recursive walk --- */

static void free_key(const loader *l, char *key)
{
    if (!l->packed)
        free(key);
}

/* Names member (whose ->string is unset) key, a copy the map owns. */
static void set_key(loader *l, cJSON *member, const char *key)
{
    if (!l->packed) {
        member->string = cf_strdup(key);
        return;
    }
    member->string = cf_doc_pack_key(l->doc, key, strlen(key));
    member->type |= cJSON_StringIsConst;
}

static cJSON *parse_node(loader *l, yaml_event_t *ev, int depth);

/* `<<: *base` or `<<: [*a, *b]`: members of the merged mappings that the
 * mapping does not set itself are added, earlier sources winning. */
static int apply_merge(loader *l, cJSON *map, keyset *ks, cJSON *src, const yaml_mark_t *at,
                       int depth)
{
    if (cJSON_IsArray(src)) {
        for (cJSON *c = src->child; c; c = c->next)
            if (apply_merge(l, map, ks, c, at, depth) < 0)
                return -1;
        return 0;
    }
    if (!cJSON_IsObject(src))
        return fail_at(l, at, "merge a mapping or a list of mappings",
                       "the merge key << needs a mapping");
    l->alias = NULL;
    for (cJSON *c = src->child; c; c = c->next) {
        if (keyset_find(ks, map, c->string))
            continue;
        cJSON *cc = copy_node(l, c, at, depth + 1);
        if (!cc)
            return -1;
        set_key(l, cc, c->string);
        if (!cc->string || map_add(ks, map, cc) < 0)
            return fail_at(l, at, NULL, "out of memory");
        cf_mark km = cf_doc_key_mark(l->doc, c);
        cf_doc_note_key(l->doc, cc, km.line, km.column);
    }
    return 0;
}

/* One `key: value` pair of the mapping at depth; *merge receives the value of
 * a merge key instead of adding it. 1 at the end of the mapping. */
static int parse_pair(loader *l, cJSON *map, keyset *ks, int depth, cJSON **merge,
                      yaml_mark_t *merge_mark)
{
    yaml_event_t kev;
    if (next_event(l, &kev) < 0)
        return -1;
    if (kev.type == YAML_MAPPING_END_EVENT) {
        yaml_event_delete(&kev);
        return 1;
    }
    if (kev.type != YAML_SCALAR_EVENT) {
        fail_at(l, &kev.start_mark, "quote the key or write it as plain text",
                "a mapping key must be a scalar");
        yaml_event_delete(&kev);
        return -1;
    }
    yaml_mark_t km = kev.start_mark;
    /* Taken over, as in steal_string; packed, the doc's one copy. */
    char *key = l->packed ? cf_doc_pack_key(l->doc, (const char *)kev.data.scalar.value,
                                            kev.data.scalar.length)
                          : (char *)kev.data.scalar.value;
    if (!l->packed)
        kev.data.scalar.value = NULL;
    int is_merge = kev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && key && !strcmp(key, "<<");
    yaml_event_delete(&kev);
    if (!key)
        return fail_at(l, &km, NULL, "out of memory");

    yaml_event_t vev;
    if (next_event(l, &vev) < 0) {
        free_key(l, key);
        return -1;
    }
    /* The value's first note() records the key's mark too (one table lookup). */
    l->key_line = is_merge ? 0 : (int)km.line + 1;
    l->key_column = is_merge ? 0 : (int)km.column + 1;
    cJSON *val = parse_node(l, &vev, depth + 1);
    yaml_event_delete(&vev);
    if (!val) {
        free_key(l, key);
        return -1;
    }
    if (is_merge) {
        free_key(l, key);
        if (*merge)
            cJSON_AddItemToArray(l->graveyard, *merge);
        *merge = val;
        *merge_mark = km;
        return 0;
    }
    if (keyset_find(ks, map, key)) {
        fail_at(l, &km, "remove one of the two", "duplicate key '%s'", key);
        free_key(l, key);
        cJSON_Delete(val);
        return -1;
    }
    val->string = key; /* the map owns it from here */
    if (l->packed)
        val->type |= cJSON_StringIsConst;
    if (map_add(ks, map, val) < 0)
        return fail_at(l, &km, NULL, "out of memory");
    return 0;
}

static cJSON *parse_mapping(loader *l, yaml_event_t *start, int depth)
{
    cJSON *map = cJSON_CreateObject();
    cJSON *merges = NULL;
    keyset ks = {0};
    yaml_mark_t merge_mark = start->start_mark;
    if (!map || note(l, map, &start->start_mark, NULL) < 0 ||
        remember_anchor(l, start->data.mapping_start.anchor, map) < 0)
        goto fail;
    for (;;) {
        int rc = parse_pair(l, map, &ks, depth, &merges, &merge_mark);
        if (rc < 0)
            goto fail;
        if (rc > 0)
            break;
    }
    if (merges && apply_merge(l, map, &ks, merges, &merge_mark, depth) < 0)
        goto fail;
    if (merges)
        cJSON_AddItemToArray(l->graveyard, merges);
    free(ks.slots);
    return map;
fail:
    free(ks.slots);
    cJSON_Delete(merges);
    cJSON_Delete(map);
    return NULL;
}

static cJSON *parse_sequence(loader *l, yaml_event_t *start, int depth)
{
    cJSON *arr = cJSON_CreateArray();
    if (!arr || note(l, arr, &start->start_mark, NULL) < 0 ||
        remember_anchor(l, start->data.sequence_start.anchor, arr) < 0)
        goto fail;
    for (;;) {
        yaml_event_t ev;
        if (next_event(l, &ev) < 0)
            goto fail;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        cJSON *item = parse_node(l, &ev, depth + 1);
        yaml_event_delete(&ev);
        if (!item)
            goto fail;
        cJSON_AddItemToArray(arr, item);
    }
    return arr;
fail:
    cJSON_Delete(arr);
    return NULL;
}

static cJSON *parse_node(loader *l, yaml_event_t *ev, int depth)
{
    if (depth > MAX_DEPTH) {
        fail_at(l, &ev->start_mark, NULL, "nesting deeper than %d levels", MAX_DEPTH);
        return NULL;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        char *text = NULL;
        cJSON *n = scalar_node(l, ev, &text);
        if (!n || note(l, n, &ev->start_mark, text) < 0 ||
            remember_anchor(l, ev->data.scalar.anchor, n) < 0) {
            if (!*l->err)
                fail_at(l, &ev->start_mark, NULL, "out of memory");
            free(text);
            cJSON_Delete(n);
            return NULL;
        }
        free(text);
        return n;
    }
    case YAML_ALIAS_EVENT:
        return alias_node(l, ev, depth);
    case YAML_MAPPING_START_EVENT:
        return parse_mapping(l, ev, depth);
    case YAML_SEQUENCE_START_EVENT:
        return parse_sequence(l, ev, depth);
    default:
        fail_at(l, &ev->start_mark, NULL, "unexpected YAML event");
        return NULL;
    }
}

static int load(loader *l)
{
    yaml_event_t ev;
    int docs = 0;
    for (;;) {
        if (next_event(l, &ev) < 0)
            return -1;
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            return 0;
        }
        if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
            fail_at(l, &ev.start_mark, "put each document in a file of its own",
                    "more than one YAML document in the file");
            yaml_event_delete(&ev);
            return -1;
        }
        if (t == YAML_SCALAR_EVENT || t == YAML_MAPPING_START_EVENT ||
            t == YAML_SEQUENCE_START_EVENT || t == YAML_ALIAS_EVENT) {
            cJSON *root = parse_node(l, &ev, 0);
            yaml_event_delete(&ev);
            if (!root)
                return -1;
            l->doc->root = root;
            continue;
        }
        yaml_event_delete(&ev);
    }
}

static int load_text(cf_doc **out, const char *text, size_t len, const char *name, int flags,
                     cf_error **err)
{
    int rc = -1;
    loader l = {0};
    *out = NULL;
    l.err = err;
    l.doc = cf_doc_new(name);
    l.packed = flags & CF_YAML_PACKED;
    if (l.packed)
        cf_doc_pack(l.doc);
    l.graveyard = cJSON_CreateArray();
    if (!yaml_parser_initialize(&l.parser)) {
        cf_error_set(err, name, 0, 0, NULL, "out of memory");
        goto done;
    }
    yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
    l.alias_budget = len > ALIAS_MAX / ALIAS_RATIO ? ALIAS_MAX : len * ALIAS_RATIO;
    /* A loaded document and what is built from it take 10-25 times the
     * file's size (docs/PERFORMANCE.md). */
    if (len > 1024 * 1024)
        cf_heap_expect(len * 32);
    /* About one node per 16 bytes in suites and specs; a failed estimate only
     * means the table grows as usual. */
    if (len > 64 * 1024 && cf_doc_reserve(l.doc, len / 16) < 0) {
        cf_error_set(err, name, 0, 0, NULL, "out of memory");
        goto done;
    }
    if (l.alias_budget < ALIAS_MIN)
        l.alias_budget = ALIAS_MIN;
    if (load(&l) < 0) {
        if (err && !*err)
            cf_error_set(err, name, 0, 0, NULL, "out of memory");
        goto done;
    }
    if (cf_doc_seal(l.doc) < 0) {
        cf_error_set(err, name, 0, 0, NULL, "out of memory");
        goto done;
    }
    /* Merge sources go with their marks: a later node at a reused address
     * must not find them. */
    cf_doc_delete_subtree(l.doc, l.graveyard);
    l.graveyard = NULL;
    *out = l.doc;
    l.doc = NULL;
    rc = 0;
done:
    yaml_parser_delete(&l.parser);
    for (size_t i = 0; i < l.acap; i++)
        free(l.anchors[i].name);
    free(l.anchors);
    cJSON_Delete(l.graveyard);
    cf_doc_free(l.doc);
    return rc;
}

int cf_yaml_load_string(cf_doc **out, const char *text, size_t len, const char *name,
                        cf_error **err)
{
    return load_text(out, text, len, name, 0, err);
}

int cf_yaml_load_string_flags(cf_doc **out, const char *text, size_t len, const char *name,
                              int flags, cf_error **err)
{
    return load_text(out, text, len, name, flags, err);
}

int cf_yaml_load_file(cf_doc **out, const char *path, cf_error **err)
{
    return cf_yaml_load_file_flags(out, path, 0, err);
}

int cf_yaml_load_file_flags(cf_doc **out, const char *path, int flags, cf_error **err)
{
    size_t len = 0;
    *out = NULL;
    char *text = cf_read_file(path, &len);
    if (!text)
        return cf_error_set(err, path, 0, 0, "check the path", "cannot read file: %s",
                            cf_read_strerror(errno));
    int rc = load_text(out, text, len, path, flags, err);
    free(text);
    return rc;
}
