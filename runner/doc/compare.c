/*
 * compare.c - response body against an expected JSON value, with a compact
 * diff by JSON Pointer (see compare.h for the policies).
 */
#include "doc/compare.h"

#include <stdlib.h>
#include <string.h>

#include "doc/json.h"
#include "doc/jsonptr.h"
#include "base/secrets.h"
#include "base/util.h"

#define DIFF_MAX_LINES 20
#define BRIEF_MAX 120   /* values in a diff line */
#define STRING_FULL 160 /* strings up to this length are shown whole */
#define WINDOW_BEFORE 24
#define WINDOW_AFTER 48

typedef struct cmp {
    cf_match policy;
    const char *const *ignore;
    size_t nignore;
    const cf_doc *ed, *ad;
    cf_buf path; /* JSON Pointer of the current position */
    cf_buf out;
    size_t lines, more;
} cmp;

static int ignored(const cmp *c)
{
    const char *p = c->path.data ? c->path.data : "";
    for (size_t i = 0; i < c->nignore; i++)
        if (c->ignore[i] && strcmp(c->ignore[i], p) == 0)
            return 1;
    return 0;
}

/* Pushes an escaped token onto the path; returns the length to pop back to. */
static size_t push_key(cmp *c, const char *key)
{
    size_t mark = c->path.len;
    cf_jsonptr_push(&c->path, key);
    return mark;
}

static size_t push_index(cmp *c, size_t i)
{
    size_t mark = c->path.len;
    cf_buf_printf(&c->path, "/%zu", i);
    return mark;
}

static void pop(cmp *c, size_t mark)
{
    if (c->path.data && mark <= c->path.len) {
        c->path.len = mark;
        c->path.data[mark] = '\0';
    }
}

/* Starts a diff line "POINTER: " or counts it when the diff is full; returns
 * 0 when the caller should write the rest of the line. */
static int line_start(cmp *c)
{
    if (c->lines >= DIFF_MAX_LINES) {
        c->more++;
        return -1;
    }
    if (c->lines++)
        cf_buf_puts(&c->out, "\n");
    cf_buf_puts(&c->out, c->path.len ? c->path.data : "(root)");
    cf_buf_puts(&c->out, ": ");
    return 0;
}

static void brief(cf_buf *b, const cf_doc *doc, const cJSON *node)
{
    char *s = cf_json_brief(doc, node, BRIEF_MAX);
    cf_buf_puts(b, s ? s : "?");
    free(s);
}

/* Kinds that must agree: integer and number are one kind, true and false. */
static int kind(const cJSON *n)
{
    int t = n->type & 0xFF;
    return t == cJSON_True ? cJSON_False : t;
}

/* "TYPE VALUE", or just "null". */
static void typed(cf_buf *b, const cf_doc *doc, const cJSON *node)
{
    if (cJSON_IsNull(node)) {
        cf_buf_puts(b, "null");
        return;
    }
    cf_buf_printf(b, "%s ", cf_json_type_name(doc, node));
    brief(b, doc, node);
}

static void diff_types(cmp *c, const cJSON *e, const cJSON *a)
{
    if (line_start(c) < 0)
        return;
    cf_buf_puts(&c->out, "expected ");
    typed(&c->out, c->ed, e);
    cf_buf_puts(&c->out, ", got ");
    typed(&c->out, c->ad, a);
}

/* Appends s[from..to) quoted, with "..." where it was cut. */
static void quoted_window(cf_buf *b, const char *s, size_t from, size_t to)
{
    size_t n = strlen(s);
    while (from > 0 && ((unsigned char)s[from] & 0xC0) == 0x80)
        from--;
    if (to > n)
        to = n;
    while (to < n && ((unsigned char)s[to] & 0xC0) == 0x80)
        to++;
    /* Masked before it is quoted: a secret cut by the window is masked too. */
    char *part = cf_secrets_redact_cut(s + from, to - from, from > 0, to < n);
    cf_buf part_q = {0};
    cf_json_quote(&part_q, part ? part : "");
    free(part);
    if (!part_q.data) {
        cf_buf_free(&part_q);
        return;
    }
    /* part_q is "..."; insert the cut marks inside the quotes */
    cf_buf_puts(b, "\"");
    if (from > 0)
        cf_buf_puts(b, "...");
    cf_buf_append(b, part_q.data + 1, part_q.len - 2);
    if (to < n)
        cf_buf_puts(b, "...");
    cf_buf_puts(b, "\"");
    cf_buf_free(&part_q);
}

static void diff_strings(cmp *c, const char *e, const char *a)
{
    if (line_start(c) < 0)
        return;
    size_t ne = strlen(e), na = strlen(a);
    if (ne <= STRING_FULL && na <= STRING_FULL) {
        cf_buf_puts(&c->out, "expected ");
        cf_json_quote(&c->out, e);
        cf_buf_puts(&c->out, ", got ");
        cf_json_quote(&c->out, a);
        return;
    }
    /* Long strings: a window around the first difference. */
    size_t d = 0;
    while (d < ne && d < na && e[d] == a[d])
        d++;
    while (d > 0 && ((unsigned char)e[d] & 0xC0) == 0x80)
        d--;
    char *head = cf_strndup(e, d);
    size_t at = head ? cf_utf8_length(head) + 1 : d + 1;
    free(head);
    size_t from = d > WINDOW_BEFORE ? d - WINDOW_BEFORE : 0;
    cf_buf_puts(&c->out, "expected ");
    quoted_window(&c->out, e, from, d + WINDOW_AFTER);
    cf_buf_puts(&c->out, ", got ");
    quoted_window(&c->out, a, from, d + WINDOW_AFTER);
    cf_buf_printf(&c->out, " (%zu vs %zu characters, first difference at character %zu)",
                  cf_utf8_length(e), cf_utf8_length(a), at);
}

static void compare_node(cmp *c, const cJSON *e, const cJSON *a);

static size_t count_items(const cJSON *n)
{
    size_t k = 0;
    for (const cJSON *x = n->child; x; x = x->next)
        k++;
    return k;
}

static void compare_arrays(cmp *c, const cJSON *e, const cJSON *a)
{
    size_t ne = count_items(e), na = count_items(a);
    if (c->policy == CF_MATCH_SHAPE) {
        /* Lengths may differ; element i is compared with expected element i,
         * or with the last expected element beyond (examples show
         * homogeneous arrays). An empty expected array says nothing. */
        if (!ne)
            return;
        const cJSON *ex = e->child;
        size_t i = 0;
        for (const cJSON *ax = a->child; ax; ax = ax->next, i++) {
            size_t mark = push_index(c, i);
            compare_node(c, ex, ax);
            pop(c, mark);
            if (ex->next)
                ex = ex->next;
        }
        return;
    }
    if (ne != na && line_start(c) == 0)
        cf_buf_printf(&c->out, "expected %zu item%s, got %zu", ne, ne == 1 ? "" : "s", na);
    const cJSON *ex = e->child, *ax = a->child;
    for (size_t i = 0; ex && ax; ex = ex->next, ax = ax->next, i++) {
        size_t mark = push_index(c, i);
        compare_node(c, ex, ax);
        pop(c, mark);
    }
}

static const cJSON *member(const cJSON *obj, const char *key)
{
    for (const cJSON *x = obj->child; x; x = x->next)
        if (x->string && key && strcmp(x->string, key) == 0)
            return x;
    return NULL;
}

static void compare_objects(cmp *c, const cJSON *e, const cJSON *a)
{
    for (const cJSON *ex = e->child; ex; ex = ex->next) {
        size_t mark = push_key(c, ex->string);
        if (!ignored(c)) {
            const cJSON *ax = member(a, ex->string);
            if (!ax) {
                if (line_start(c) == 0)
                    cf_buf_puts(&c->out, "missing");
            } else {
                compare_node(c, ex, ax);
            }
        }
        pop(c, mark);
    }
    /* Only EXACT forbids extra members: under SUBSET and SHAPE an extra
     * member is the schema's business (additionalProperties), so a server
     * adding a field the contract allows is never flagged. */
    if (c->policy != CF_MATCH_EXACT)
        return;
    for (const cJSON *ax = a->child; ax; ax = ax->next) {
        if (member(e, ax->string))
            continue;
        size_t mark = push_key(c, ax->string);
        if (!ignored(c) && line_start(c) == 0)
            cf_buf_puts(&c->out, "unexpected member");
        pop(c, mark);
    }
}

static void compare_node(cmp *c, const cJSON *e, const cJSON *a)
{
    if (ignored(c))
        return;
    if (kind(e) != kind(a)) {
        diff_types(c, e, a);
        return;
    }
    switch (kind(e)) {
    case cJSON_Array:
        compare_arrays(c, e, a);
        return;
    case cJSON_Object:
        compare_objects(c, e, a);
        return;
    default:
        break;
    }
    if (c->policy == CF_MATCH_SHAPE || cf_json_equal(c->ed, e, c->ad, a))
        return;
    if (cJSON_IsString(e)) {
        diff_strings(c, e->valuestring ? e->valuestring : "", a->valuestring ? a->valuestring : "");
        return;
    }
    if (line_start(c) < 0)
        return;
    cf_buf_puts(&c->out, "expected ");
    brief(&c->out, c->ed, e);
    cf_buf_puts(&c->out, ", got ");
    brief(&c->out, c->ad, a);
}

int cf_matches(char **diff, const cf_doc *expected_doc, const cJSON *expected,
               const cf_doc *actual_doc, const cJSON *actual, cf_match policy,
               const char *const *ignore, size_t nignore)
{
    if (diff)
        *diff = NULL;
    cmp c = {.policy = policy,
             .ignore = ignore,
             .nignore = nignore,
             .ed = expected_doc,
             .ad = actual_doc};
    cf_buf_puts(&c.path, "");
    if (!expected || !actual) {
        if (expected == actual)
            return 1;
        line_start(&c);
        cf_buf_puts(&c.out, expected ? "expected a value, got nothing" : "expected nothing");
    } else {
        compare_node(&c, expected, actual);
    }
    if (c.more)
        cf_buf_printf(&c.out, "\n... %zu more", c.more);
    cf_buf_free(&c.path);
    if (!c.lines) {
        cf_buf_free(&c.out);
        return 1;
    }
    if (diff)
        *diff = cf_buf_take(&c.out);
    else
        cf_buf_free(&c.out);
    return 0;
}

int cf_match_parse(const char *name)
{
    if (!name)
        return -1;
    if (!strcmp(name, "subset"))
        return CF_MATCH_SUBSET;
    if (!strcmp(name, "exact"))
        return CF_MATCH_EXACT;
    if (!strcmp(name, "shape"))
        return CF_MATCH_SHAPE;
    return -1;
}

const char *cf_match_name(cf_match m)
{
    switch (m) {
    case CF_MATCH_SUBSET:
        return "subset";
    case CF_MATCH_EXACT:
        return "exact";
    case CF_MATCH_SHAPE:
        return "shape";
    }
    return "?";
}
