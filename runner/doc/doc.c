#include "doc/doc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Entries in the order they were noted (a loader appends them: sequential
 * writes), found through an open-addressing index of 8-byte slots keyed by
 * node address. A slot keeps 32 bits of the hash, so probing and rehashing
 * read entries only on a likely match, and a probe sequence usually stays in
 * one cache line. Nodes are never removed; the table dies with its doc. */
typedef struct entry {
    const cJSON *node;
    int line, column;
    int key_line, key_column;
    char *number_text;
} entry;

typedef struct slot {
    uint32_t index; /* entry index + 1; 0 = empty */
    uint32_t hash;
} slot;

/* Member names of one large object, hashed (cf_doc_member). */
typedef struct member_index {
    const cJSON *object;
    const cJSON **slots;
    size_t cap;
} member_index;

/* Blocks of packed strings (cf_doc_pack), newest first. */
typedef struct block {
    struct block *next;
    size_t used, cap;
    char data[];
} block;

struct cf_doc_table {
    entry *entries;
    size_t n, ecap;
    size_t indexed; /* entries [0, indexed) are in slots; the rest are pending */
    size_t dead;    /* entries of deleted nodes (cf_doc_delete_subtree) */
    slot *slots;
    size_t cap; /* power of two, or 0 */
    member_index *mix;
    size_t nmix, mixcap;
    int packed;     /* cf_doc_pack: strings and number texts in blocks */
    block *blocks;  /* the current block first */
    cf_strset keys; /* packed keys */
};

static uint32_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (uint32_t)x;
}

static int table_resize(cf_doc_table *t, size_t cap)
{
    slot *slots = cf_xcalloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].index)
            continue;
        size_t j = t->slots[i].hash & (cap - 1);
        while (slots[j].index)
            j = (j + 1) & (cap - 1);
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

static int entries_reserve(cf_doc_table *t, size_t n)
{
    if (n <= t->ecap)
        return 0;
    size_t cap = t->ecap ? t->ecap : 8;
    while (cap < n)
        cap *= 2;
    entry *e = cf_xrealloc(t->entries, cap * sizeof *e);
    if (!e)
        return -1;
    t->entries = e;
    t->ecap = cap;
    return 0;
}

/* Puts the pending entries (appended by cf_doc_note_fresh) into the index in
 * one tight pass: the probes of successive entries do not depend on each
 * other, so their cache misses overlap, where inserting each node as it was
 * created paid one miss at a time between two libyaml events. */
static int index_pending(cf_doc_table *t)
{
    if (t->indexed == t->n)
        return 0;
    size_t cap = t->cap ? t->cap : 16;
    while (t->n * 4 > cap * 3)
        cap *= 2;
    if (t->n >= UINT32_MAX / 2 || (cap != t->cap && table_resize(t, cap) < 0))
        return -1;
    for (size_t k = t->indexed; k < t->n; k++) {
        uint32_t h = hash_ptr(t->entries[k].node);
        size_t i = h & (t->cap - 1);
        while (t->slots[i].index)
            i = (i + 1) & (t->cap - 1);
        t->slots[i] = (slot){(uint32_t)(k + 1), h};
    }
    t->indexed = t->n;
    return 0;
}

static entry *table_find(cf_doc_table *t, const cJSON *node)
{
    if (!t)
        return NULL;
    if (index_pending(t) < 0) { /* out of memory: a scan is slow but right */
        for (size_t k = 0; k < t->n; k++)
            if (t->entries[k].node == node)
                return &t->entries[k];
        return NULL;
    }
    if (!t->cap)
        return NULL;
    uint32_t h = hash_ptr(node);
    for (size_t i = h & (t->cap - 1); t->slots[i].index; i = (i + 1) & (t->cap - 1))
        if (t->slots[i].hash == h && t->entries[t->slots[i].index - 1].node == node)
            return &t->entries[t->slots[i].index - 1];
    return NULL;
}

int cf_doc_reserve(cf_doc *doc, size_t nodes)
{
    cf_doc_table *t = doc->table;
    if (nodes >= UINT32_MAX / 2 || entries_reserve(t, nodes) < 0)
        return -1;
    size_t cap = t->cap ? t->cap : 16;
    while (cap / 4 * 3 < nodes)
        cap *= 2;
    return cap == t->cap ? 0 : table_resize(t, cap);
}

cf_doc *cf_doc_new(const char *name)
{
    cf_doc *d = cf_xcalloc(1, sizeof *d);
    d->name = cf_strdup(name ? name : "");
    d->table = cf_xcalloc(1, sizeof *d->table);
    return d;
}

void cf_doc_free(cf_doc *doc)
{
    if (!doc)
        return;
    /* The large arrays first and the tree's small chunks last: freeing a
     * large chunk makes malloc consolidate every small free chunk it holds
     * (2 % more instructions for the 10 MB document). cJSON_Delete reads no
     * packed string (doc.h), so the blocks may go before it. */
    if (doc->table) {
        for (size_t i = 0; !doc->table->packed && i < doc->table->n; i++)
            free(doc->table->entries[i].number_text);
        for (block *b = doc->table->blocks, *next; b; b = next) {
            next = b->next;
            free(b);
        }
        cf_strset_free(&doc->table->keys);
        free(doc->table->entries);
        for (size_t i = 0; i < doc->table->nmix; i++)
            free(doc->table->mix[i].slots);
        free(doc->table->mix);
        free(doc->table->slots);
        free(doc->table);
    }
    cJSON_Delete(doc->root);
    free(doc->name);
    free(doc);
}

/* The node's entry, added (zeroed) when it has none. Small documents (most
 * are response bodies) start at 16 slots and double as needed. */
static entry *table_insert(cf_doc_table *t, const cJSON *node)
{
    if (index_pending(t) < 0)
        return NULL;
    if ((t->n + 1) * 4 > t->cap * 3) {
        if (t->n + 1 >= UINT32_MAX / 2 || table_resize(t, t->cap ? t->cap * 2 : 16) < 0)
            return NULL;
    }
    uint32_t h = hash_ptr(node);
    size_t i = h & (t->cap - 1);
    for (; t->slots[i].index; i = (i + 1) & (t->cap - 1))
        if (t->slots[i].hash == h && t->entries[t->slots[i].index - 1].node == node)
            return &t->entries[t->slots[i].index - 1];
    if (entries_reserve(t, t->n + 1) < 0)
        return NULL;
    entry *e = &t->entries[t->n++];
    *e = (entry){.node = node};
    t->slots[i] = (slot){(uint32_t)t->n, h};
    t->indexed = t->n;
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

void cf_doc_pack(cf_doc *doc)
{
    doc->table->packed = 1;
}

char *cf_doc_pack_string(cf_doc *doc, const char *s, size_t len)
{
    enum { BLOCK = 64 * 1024 };
    cf_doc_table *t = doc->table;
    block *b = t->blocks;
    if (!b || b->cap - b->used < len + 1) {
        size_t cap = len + 1 > BLOCK / 4 ? len + 1 : BLOCK - sizeof *b;
        block *nb = cf_xmalloc(sizeof *nb + cap);
        *nb = (block){.cap = cap};
        if (b && cap != BLOCK - sizeof *b) { /* a large string: keep filling the current block */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            t->blocks = nb;
        }
        b = nb;
    }
    char *p = b->data + b->used;
    memcpy(p, s, len);
    p[len] = '\0';
    b->used += len + 1;
    return p;
}

char *cf_doc_pack_key(cf_doc *doc, const char *key, size_t len)
{
    cf_doc_table *t = doc->table;
    char *p = (char *)cf_strset_find(&t->keys, key);
    if (!p) {
        p = cf_doc_pack_string(doc, key, len);
        cf_strset_add(&t->keys, p);
    }
    return p;
}

/* A number text's copy: in the doc's blocks when it is packed. */
static char *number_copy(cf_doc *doc, const char *text)
{
    return doc->table->packed ? cf_doc_pack_string(doc, text, strlen(text)) : cf_strdup(text);
}

int cf_doc_note(cf_doc *doc, const cJSON *node, int line, int column, const char *number_text)
{
    return cf_doc_note_member(doc, node, line, column, 0, 0, number_text);
}

int cf_doc_note_member(cf_doc *doc, const cJSON *node, int line, int column, int key_line,
                       int key_column, const char *number_text)
{
    entry *e = table_insert(doc->table, node);
    if (!e)
        return -1;
    e->line = line;
    e->column = column;
    if (key_line) {
        e->key_line = key_line;
        e->key_column = key_column;
    }
    if (number_text) {
        char *copy = number_copy(doc, number_text);
        if (!copy)
            return -1;
        if (!doc->table->packed)
            free(e->number_text);
        e->number_text = copy;
    }
    return 0;
}

int cf_doc_note_fresh(cf_doc *doc, const cJSON *node, int line, int column, int key_line,
                      int key_column, const char *number_text)
{
    cf_doc_table *t = doc->table;
    char *copy = number_text ? number_copy(doc, number_text) : NULL;
    if ((number_text && !copy) || t->n >= UINT32_MAX / 2 || entries_reserve(t, t->n + 1) < 0) {
        if (!t->packed)
            free(copy);
        return -1;
    }
    t->entries[t->n++] = (entry){node, line, column, key_line, key_column, copy};
    return 0;
}

int cf_doc_seal(cf_doc *doc)
{
    return index_pending(doc->table);
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

/* The entry stays in the index with a NULL node, which no lookup matches. */
static void forget(cf_doc_table *t, const cJSON *node)
{
    entry *e = table_find(t, node);
    if (e) {
        if (!t->packed)
            free(e->number_text);
        *e = (entry){0};
        t->dead++;
    }
    for (size_t i = 0; i < t->nmix; i++)
        if (t->mix[i].object == node) {
            free(t->mix[i].slots);
            t->mix[i] = t->mix[--t->nmix];
            break;
        }
}

static void forget_below(cf_doc_table *t, const cJSON *node)
{
    forget(t, node);
    if (cJSON_IsObject(node) || cJSON_IsArray(node))
        for (const cJSON *c = node->child; c; c = c->next)
            forget_below(t, c);
}

/* Drops the dead entries once they are a quarter of the table (amortised
 * linear), in place, and gives the tails of both arrays back to malloc: a
 * suite that frees its cases as it builds them reuses the table's memory. */
static void compact(cf_doc_table *t)
{
    if (t->dead < 4096 || t->dead * 4 < t->n || index_pending(t) < 0)
        return;
    size_t k = 0, cap = 16;
    for (size_t i = 0; i < t->n; i++)
        if (t->entries[i].node)
            t->entries[k++] = t->entries[i];
    while (cap / 4 * 3 < k)
        cap *= 2;
    entry *e = realloc(t->entries, (k ? k : 1) * sizeof *e); /* shrinks: cannot fail */
    slot *sl = cap < t->cap ? realloc(t->slots, cap * sizeof *sl) : t->slots;
    if (e) {
        t->entries = e;
        t->ecap = k ? k : 1;
    }
    if (sl) {
        t->slots = sl;
        t->cap = cap < t->cap ? cap : t->cap;
    }
    t->n = t->indexed = k;
    t->dead = 0;
    memset(t->slots, 0, t->cap * sizeof *t->slots);
    for (size_t i = 0; i < k; i++) {
        uint32_t h = hash_ptr(t->entries[i].node);
        size_t j = h & (t->cap - 1);
        while (t->slots[j].index)
            j = (j + 1) & (t->cap - 1);
        t->slots[j] = (slot){(uint32_t)(i + 1), h};
    }
}

void cf_doc_delete_subtree(cf_doc *doc, cJSON *node)
{
    if (!node)
        return;
    if (doc && doc->table) {
        forget_below(doc->table, node);
        compact(doc->table);
    }
    cJSON_Delete(node);
}

/* Objects with more members than this get a hashed index on first lookup. */
#define BIG_OBJECT 32

static member_index *index_object(cf_doc_table *t, const cJSON *object)
{
    for (size_t i = 0; i < t->nmix; i++)
        if (t->mix[i].object == object)
            return &t->mix[i];
    size_t n = (size_t)cJSON_GetArraySize(object), cap = 64;
    while (cap < n * 2)
        cap *= 2;
    const cJSON **slots = cf_xcalloc(cap, sizeof *slots);
    for (const cJSON *c = object->child; c; c = c->next) {
        if (!c->string)
            continue;
        size_t j = cf_str_hash(c->string) & (cap - 1);
        while (slots[j] && strcmp(slots[j]->string, c->string) != 0)
            j = (j + 1) & (cap - 1);
        if (!slots[j]) /* the first of duplicate names wins, as in a scan */
            slots[j] = c;
    }
    t->mix = cf_xgrow(t->mix, &t->mixcap, t->nmix + 1, sizeof *t->mix);
    t->mix[t->nmix] = (member_index){object, slots, cap};
    return &t->mix[t->nmix++];
}

const cJSON *cf_doc_member(const cf_doc *doc, const cJSON *object, const char *key)
{
    if (!cJSON_IsObject(object))
        return NULL;
    size_t n = 0;
    for (const cJSON *c = object->child; c && n <= BIG_OBJECT; c = c->next, n++)
        if (c->string && strcmp(c->string, key) == 0)
            return c;
    if (n <= BIG_OBJECT)
        return NULL;
    if (!doc)
        return cJSON_GetObjectItemCaseSensitive(object, key);
    const member_index *ix = index_object(doc->table, object);
    for (size_t j = cf_str_hash(key) & (ix->cap - 1); ix->slots[j]; j = (j + 1) & (ix->cap - 1))
        if (strcmp(ix->slots[j]->string, key) == 0)
            return ix->slots[j];
    return NULL;
}
