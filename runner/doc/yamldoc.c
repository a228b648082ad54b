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

enum {
    MAX_DEPTH = 512,             /* deeper nesting is refused, not recursed into */
    MAX_NODES = 2 * 1000 * 1000, /* bound on nodes created, aliases included */
};

typedef struct anchor {
    char *name;
    cJSON *node; /* borrowed from the tree being built */
} anchor;

typedef struct loader {
    yaml_parser_t parser;
    cf_doc *doc;
    cf_error **err;
    anchor *anchors;
    size_t nanchors;
    size_t nodes;
    cJSON *graveyard; /* merge sources: anchors may still point into them */
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

static int note(loader *l, cJSON *node, const yaml_mark_t *m, const char *number_text)
{
    if (++l->nodes > MAX_NODES)
        return fail_at(l, m, "avoid aliases that expand into huge documents",
                       "document too large: more than %d nodes", MAX_NODES);
    if (cf_doc_note(l->doc, node, (int)m->line + 1, (int)m->column + 1, number_text) < 0)
        return fail_at(l, m, NULL, "out of memory");
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

static cJSON *scalar_node(loader *l, const yaml_event_t *ev, char **number_text)
{
    const char *v = (const char *)ev->data.scalar.value;
    const char *tag = (const char *)ev->data.scalar.tag;
    int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    *number_text = NULL;

    if (tag && strcmp(tag, YAML_STR_TAG) == 0)
        return cJSON_CreateString(v);
    if (!plain && !(tag && strncmp(tag, "tag:yaml.org,2002:", 18) == 0))
        return cJSON_CreateString(v);
    if (is_null_word(v))
        return cJSON_CreateNull();
    int b = bool_word(v);
    if (b >= 0)
        return cJSON_CreateBool(b);
    if (decimal_number(v, number_text) || radix_number(v, number_text))
        return cJSON_CreateNumber(strtod(*number_text, NULL));
    (void)l;
    return cJSON_CreateString(v);
}

/* --- aliases --- */

static int remember_anchor(loader *l, const yaml_char_t *name, cJSON *node)
{
    if (!name)
        return 0;
    anchor *grown = cf_xrealloc(l->anchors, (l->nanchors + 1) * sizeof *grown);
    if (!grown)
        return -1;
    l->anchors = grown;
    /* A later anchor of the same name shadows the earlier one, as in YAML. */
    l->anchors[l->nanchors].name = cf_strdup((const char *)name);
    l->anchors[l->nanchors].node = node;
    l->nanchors++;
    return 0;
}

/* Deep copy that carries the marks and number texts of the original. */
static cJSON *copy_node(loader *l, const cJSON *src, const yaml_mark_t *at)
{
    cJSON *dst = NULL;
    if (cJSON_IsObject(src))
        dst = cJSON_CreateObject();
    else if (cJSON_IsArray(src))
        dst = cJSON_CreateArray();
    else
        dst = cJSON_Duplicate(src, 0);
    if (!dst)
        return NULL;
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
        cJSON *cc = copy_node(l, c, at);
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

static cJSON *alias_node(loader *l, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    for (size_t i = l->nanchors; i-- > 0;) {
        if (strcmp(l->anchors[i].name, name) == 0) {
            cJSON *c = copy_node(l, l->anchors[i].node, &ev->start_mark);
            if (!c && !*l->err)
                fail_at(l, &ev->start_mark, NULL, "out of memory");
            return c;
        }
    }
    fail_at(l, &ev->start_mark, "define the anchor (&NAME) before using it", "unknown alias *%s",
            name);
    return NULL;
}

/* --- the recursive walk --- */

static cJSON *parse_node(loader *l, yaml_event_t *ev, int depth);

/* `<<: *base` or `<<: [*a, *b]`: members of the merged mappings that the
 * mapping does not set itself are added, earlier sources winning. */
static int apply_merge(loader *l, cJSON *map, cJSON *src, const yaml_mark_t *at)
{
    if (cJSON_IsArray(src)) {
        for (cJSON *c = src->child; c; c = c->next)
            if (apply_merge(l, map, c, at) < 0)
                return -1;
        return 0;
    }
    if (!cJSON_IsObject(src))
        return fail_at(l, at, "merge a mapping or a list of mappings",
                       "the merge key << needs a mapping");
    for (cJSON *c = src->child; c; c = c->next) {
        if (cJSON_GetObjectItemCaseSensitive(map, c->string))
            continue;
        cJSON *cc = copy_node(l, c, at);
        if (!cc)
            return -1;
        cJSON_AddItemToObject(map, c->string, cc);
        cf_mark km = cf_doc_key_mark(l->doc, c);
        cf_doc_note_key(l->doc, cc, km.line, km.column);
    }
    return 0;
}

static cJSON *parse_mapping(loader *l, yaml_event_t *start, int depth)
{
    cJSON *map = cJSON_CreateObject();
    cJSON *merges = NULL;
    yaml_mark_t merge_mark = start->start_mark;
    if (!map || note(l, map, &start->start_mark, NULL) < 0 ||
        remember_anchor(l, start->data.mapping_start.anchor, map) < 0)
        goto fail;
    for (;;) {
        yaml_event_t kev;
        if (next_event(l, &kev) < 0)
            goto fail;
        if (kev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&kev);
            break;
        }
        if (kev.type != YAML_SCALAR_EVENT) {
            fail_at(l, &kev.start_mark, "quote the key or write it as plain text",
                    "a mapping key must be a scalar");
            yaml_event_delete(&kev);
            goto fail;
        }
        yaml_mark_t km = kev.start_mark;
        char *key = cf_strdup((const char *)kev.data.scalar.value);
        int is_merge = kev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strcmp(key, "<<") == 0;
        yaml_event_delete(&kev);
        if (!key)
            goto fail;

        yaml_event_t vev;
        if (next_event(l, &vev) < 0) {
            free(key);
            goto fail;
        }
        cJSON *val = parse_node(l, &vev, depth + 1);
        yaml_event_delete(&vev);
        if (!val) {
            free(key);
            goto fail;
        }
        if (is_merge) {
            free(key);
            if (merges)
                cJSON_AddItemToArray(l->graveyard, merges);
            merges = val;
            merge_mark = km;
            continue;
        }
        if (cJSON_GetObjectItemCaseSensitive(map, key)) {
            fail_at(l, &km, "remove one of the two", "duplicate key '%s'", key);
            free(key);
            cJSON_Delete(val);
            goto fail;
        }
        cJSON_AddItemToObject(map, key, val);
        cf_doc_note_key(l->doc, val, (int)km.line + 1, (int)km.column + 1);
        free(key);
    }
    if (merges && apply_merge(l, map, merges, &merge_mark) < 0)
        goto fail;
    if (merges)
        cJSON_AddItemToArray(l->graveyard, merges);
    return map;
fail:
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
        return alias_node(l, ev);
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

int cf_yaml_load_string(cf_doc **out, const char *text, size_t len, const char *name,
                        cf_error **err)
{
    int rc = -1;
    loader l = {0};
    *out = NULL;
    l.err = err;
    l.doc = cf_doc_new(name);
    l.graveyard = cJSON_CreateArray();
    if (!l.doc || !l.graveyard)
        return cf_error_set(err, name, 0, 0, NULL, "out of memory");
    if (!yaml_parser_initialize(&l.parser)) {
        cf_error_set(err, name, 0, 0, NULL, "out of memory");
        goto done;
    }
    yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
    if (load(&l) < 0) {
        if (err && !*err)
            cf_error_set(err, name, 0, 0, NULL, "out of memory");
        goto done;
    }
    *out = l.doc;
    l.doc = NULL;
    rc = 0;
done:
    yaml_parser_delete(&l.parser);
    for (size_t i = 0; i < l.nanchors; i++)
        free(l.anchors[i].name);
    free(l.anchors);
    cJSON_Delete(l.graveyard);
    cf_doc_free(l.doc);
    return rc;
}

int cf_yaml_load_file(cf_doc **out, const char *path, cf_error **err)
{
    size_t len = 0;
    *out = NULL;
    char *text = cf_read_file(path, &len);
    if (!text)
        return cf_error_set(err, path, 0, 0, "check the path", "cannot read file: %s",
                            strerror(errno));
    int rc = cf_yaml_load_string(out, text, len, path, err);
    free(text);
    return rc;
}
