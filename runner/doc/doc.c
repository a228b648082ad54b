#include "doc/doc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Open-addressing hash table keyed by node address. Nodes are never removed
 * from a table; the table dies with its doc. */
typedef struct entry {
    const cJSON *node; /* NULL = empty slot */
    int line, column;
    int key_line, key_column;
    char *number_text;
} entry;

struct cf_doc_table {
    entry *slots;
    size_t cap; /* power of two */
    size_t used;
};

static size_t hash_ptr(const void *p)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static entry *table_find(const cf_doc_table *t, const cJSON *node)
{
    if (!t || !t->cap)
        return NULL;
    size_t i = hash_ptr(node) & (t->cap - 1);
    for (;;) {
        entry *e = &t->slots[i];
        if (e->node == node)
            return e;
        if (!e->node)
            return NULL;
        i = (i + 1) & (t->cap - 1);
    }
}

static int table_grow(cf_doc_table *t)
{
    /* Most documents are small responses: start small, double as needed. */
    size_t cap = t->cap ? t->cap * 2 : 16;
    entry *slots = cf_xcalloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < t->cap; i++) {
        entry *e = &t->slots[i];
        if (!e->node)
            continue;
        size_t j = hash_ptr(e->node) & (cap - 1);
        while (slots[j].node)
            j = (j + 1) & (cap - 1);
        slots[j] = *e;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

cf_doc *cf_doc_new(const char *name)
{
    cf_doc *d = cf_xcalloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->name = cf_strdup(name ? name : "");
    d->table = cf_xcalloc(1, sizeof *d->table);
    if (!d->name || !d->table) {
        cf_doc_free(d);
        return NULL;
    }
    return d;
}

void cf_doc_free(cf_doc *doc)
{
    if (!doc)
        return;
    if (doc->table) {
        for (size_t i = 0; i < doc->table->cap; i++)
            free(doc->table->slots[i].number_text);
        free(doc->table->slots);
        free(doc->table);
    }
    cJSON_Delete(doc->root);
    free(doc->name);
    free(doc);
}

static entry *table_insert(cf_doc_table *t, const cJSON *node)
{
    entry *e = table_find(t, node);
    if (e)
        return e;
    if ((t->used + 1) * 4 > t->cap * 3 && table_grow(t) < 0)
        return NULL;
    size_t i = hash_ptr(node) & (t->cap - 1);
    while (t->slots[i].node)
        i = (i + 1) & (t->cap - 1);
    e = &t->slots[i];
    e->node = node;
    t->used++;
    return e;
}

int cf_doc_note_key(cf_doc *doc, const cJSON *member, int line, int column)
{
    entry *e = table_insert(doc->table, member);
    if (!e)
        return -1;
    e->key_line = line;
    e->key_column = column;
    return 0;
}

cf_mark cf_doc_key_mark(const cf_doc *doc, const cJSON *member)
{
    const entry *e = doc ? table_find(doc->table, member) : NULL;
    cf_mark m = {0, 0};
    if (e) {
        m.line = e->key_line ? e->key_line : e->line;
        m.column = e->key_line ? e->key_column : e->column;
    }
    return m;
}

int cf_doc_note(cf_doc *doc, const cJSON *node, int line, int column, const char *number_text)
{
    entry *e = table_insert(doc->table, node);
    if (!e)
        return -1;
    e->line = line;
    e->column = column;
    if (number_text) {
        char *copy = cf_strdup(number_text);
        if (!copy)
            return -1;
        free(e->number_text);
        e->number_text = copy;
    }
    return 0;
}

cf_mark cf_doc_mark(const cf_doc *doc, const cJSON *node)
{
    cf_mark m = {0, 0};
    const entry *e = doc ? table_find(doc->table, node) : NULL;
    if (e) {
        m.line = e->line;
        m.column = e->column;
    }
    return m;
}

const char *cf_doc_number_text(const cf_doc *doc, const cJSON *node)
{
    const entry *e = doc ? table_find(doc->table, node) : NULL;
    return e ? e->number_text : NULL;
}
