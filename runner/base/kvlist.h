/*
 * kvlist.h - an ordered list of name/value strings (variables, headers).
 * The list owns its strings; names are unique (set replaces the value).
 * Lookups are linear: lists hold a handful of entries.
 */
#ifndef CONFORM_KVLIST_H
#define CONFORM_KVLIST_H

#include <stddef.h>

typedef struct cf_kv {
    char *name;
    char *value;
} cf_kv;

typedef struct cf_kvlist {
    cf_kv *items;
    size_t count;
} cf_kvlist;

/* Sets name to a copy of value (which may be NULL), replacing an earlier
 * value. Returns 0 (allocation exits on exhaustion, base/util.h). */
int cf_kvlist_set(cf_kvlist *l, const char *name, const char *value);
const char *cf_kvlist_get(const cf_kvlist *l, const char *name);
/* Index of name compared case-insensitively (header names), or -1. */
int cf_kvlist_get_ci_index(const cf_kvlist *l, const char *name);
void cf_kvlist_clear(cf_kvlist *l);

#endif
