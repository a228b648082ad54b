/*
 * jsonptr.h - RFC 6901 JSON Pointer on cJSON trees (Debian's cJSON 1.7.15 has
 * no cJSON_Utils, so conform carries this small module).
 */
#ifndef CONFORM_JSONPTR_H
#define CONFORM_JSONPTR_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "base/util.h"
#include "doc/doc.h"

/* 0 when ptr is a syntactically valid pointer ("" or "/..." with only ~0 and
 * ~1 escapes); otherwise -1 and, if where is not NULL, the byte offset of the
 * fault. */
int cf_jsonptr_check(const char *ptr, size_t *where);
/* The node ptr designates in root, or NULL (no such node, or invalid pointer).
 * Array tokens are decimal indexes without leading zeros; "-" matches nothing. */
cJSON *cf_jsonptr_get(const cJSON *root, const char *ptr);
/* The same inside doc (root is a node of it): large objects are looked up
 * through the doc's member index (cf_doc_member), for many lookups. */
cJSON *cf_jsonptr_get_in(const cf_doc *doc, const cJSON *root, const char *ptr);
/* Decodes the reference token p[0..n) (~1 then ~0, in one pass so "~01" is
 * "~1") into a new string. */
char *cf_jsonptr_token_decode(const char *p, size_t n);
/* 0 and the index in *out when token t is an array index ("0" or
 * [1-9][0-9]*, within size_t); -1 otherwise. */
int cf_jsonptr_token_index(const char *t, size_t *out);
/* Appends "/" and token, escaped as RFC 6901 says (~ as ~0, / as ~1), to b:
 * the one place conform escapes pointer tokens. NULL is the empty token. */
int cf_jsonptr_push(cf_buf *b, const char *token);
/* base + "/" + the escaped token, newly allocated. */
char *cf_jsonptr_append(const char *base, const char *token);
char *cf_jsonptr_append_index(const char *base, size_t index);
/* Decodes a URI fragment such as "#/components/schemas/a%20b" to the pointer
 * "/components/schemas/a b" ("#" gives ""); NULL if it is not a fragment
 * pointer (a plain name "#foo", a bad %-escape, %00, a bad ~ escape). */
char *cf_jsonptr_from_fragment(const char *fragment);
/* The decoded last reference token of ptr ("Pet" for "/components/schemas/Pet"),
 * newly allocated in *decoded and also returned; NULL for a pointer without
 * a token (""). */
const char *cf_jsonptr_last_token(const char *ptr, char **decoded);

#endif
