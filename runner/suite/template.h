/*
 * template.h - {{name}} substitution in request strings.
 *
 * A reference is "{{" optional spaces, a name ([A-Za-z_][A-Za-z0-9_.-]*),
 * optional spaces, "}}". Anything else is literal text. Values are strings.
 */
#ifndef CONFORM_TEMPLATE_H
#define CONFORM_TEMPLATE_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Returns the value of name, or NULL when it is undefined. */
typedef const char *(*cf_template_lookup)(void *ctx, const char *name);

/* Calls fn for each reference in s with the name (NUL-terminated copy, valid
 * during the call) and its byte offset in s; stops when fn returns nonzero
 * and returns that value. */
int cf_template_each(const char *s, int (*fn)(void *ctx, const char *name, size_t offset),
                     void *ctx);
/* Nonzero when s holds at least one reference. */
int cf_template_has_refs(const char *s);
/* s with every reference replaced. On an undefined name returns NULL and,
 * if missing is not NULL and *missing is still NULL, sets *missing to a copy
 * of the name (the caller frees it). */
char *cf_template_expand(const char *s, cf_template_lookup lookup, void *ctx, char **missing);
/* A deep copy of node with every string value (not keys) expanded. */
cJSON *cf_template_expand_json(const cJSON *node, cf_template_lookup lookup, void *ctx,
                               char **missing);

#endif
