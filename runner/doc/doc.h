/*
 * doc.h - a parsed JSON or YAML document: a cJSON tree plus, for each node,
 * where it came from.
 *
 * cJSON ownership rule, once for the whole runner: a cf_doc owns its root and
 * every node below it. Functions that take `const cJSON *` borrow. Functions
 * that return `cJSON *` through an out parameter hand ownership to the caller,
 * who frees it with cJSON_Delete. Nobody frees a node that a cf_doc owns.
 *
 * The side table maps node pointers to their source mark (YAML and JSON
 * files loaded from disk) and, for numbers, the literal text as written, so
 * integers beyond 2^53 (Oracle's int64 ids) are never judged by their rounded
 * double. Nodes added to the tree later simply have no entry.
 */
#ifndef CONFORM_DOC_H
#define CONFORM_DOC_H

#include <cjson/cJSON.h>
#include <stddef.h>

typedef struct cf_mark {
    int line;   /* 1-based, 0 when unknown */
    int column; /* 1-based, 0 when unknown */
} cf_mark;

typedef struct cf_doc_table cf_doc_table;

typedef struct cf_doc {
    cJSON *root;
    char *name; /* the file path, or a label such as "response body" */
    cf_doc_table *table;
} cf_doc;

/* An empty document named name (copied); root is NULL until set. */
cf_doc *cf_doc_new(const char *name);
void cf_doc_free(cf_doc *doc);

/* Packs the doc's strings: from now on number texts, and the strings that
 * cf_doc_pack_key and cf_doc_pack_string return, live in blocks owned by the
 * doc (no malloc and its 16-byte minimum each); keys are stored once. A
 * loader that packs a node's strings marks them so that cJSON does not free
 * them: keys cJSON_StringIsConst, string values cJSON_IsReference (only
 * cJSON_SetValuestring refuses those). cJSON_Duplicate copies values but not
 * const keys, so a copy of a packed doc's nodes must not outlive the doc. */
void cf_doc_pack(cf_doc *doc);
/* len bytes of s, NUL-terminated, in the doc's blocks (cf_doc_pack first). */
char *cf_doc_pack_string(cf_doc *doc, const char *s, size_t len);
/* The doc's one copy of key (cf_doc_pack first). */
char *cf_doc_pack_key(cf_doc *doc, const char *key, size_t len);

/* Records node's mark and, for a number, its literal text (may be NULL). */
int cf_doc_note(cf_doc *doc, const cJSON *node, int line, int column, const char *number_text);

/* Both at once, in one lookup (loaders of large files). */
int cf_doc_note_member(cf_doc *doc, const cJSON *node, int line, int column, int key_line,
                       int key_column, const char *number_text);
/* The same for a node that has no entry yet (a loader's new node): appended
 * without a lookup; the index catches up in one pass at the next lookup.
 * Loaders call cf_doc_seal when done, so that a finished doc's lookups write
 * nothing and may run from several threads. */
int cf_doc_note_fresh(cf_doc *doc, const cJSON *node, int line, int column, int key_line,
                      int key_column, const char *number_text);
int cf_doc_seal(cf_doc *doc);
/* Sizes the side table for about nodes entries (a loader's estimate from the
 * file size), so that a large document does not rehash its table ~20 times. */
int cf_doc_reserve(cf_doc *doc, size_t nodes);

/* Deletes node and everything below it, forgetting their marks and number
 * texts first (a later node at a reused address must not find them). For a
 * loader's client that releases parts of a large doc as it consumes them;
 * node must already be detached from the tree. Not for concurrent use. */
void cf_doc_delete_subtree(cf_doc *doc, cJSON *node);

/* Records where the key of an object member was written (YAML loader). */
int cf_doc_note_key(cf_doc *doc, const cJSON *member, int line, int column);

/* The member named key of object (a node of doc), or NULL. Objects with more
 * than 32 members are hashed on the first lookup and the index is kept with
 * the doc, so resolving many $refs into components/schemas stays linear.
 * Modifies the doc's cache: not for concurrent use (load time only). The
 * object's members must not change afterwards. */
const cJSON *cf_doc_member(const cf_doc *doc, const cJSON *object, const char *key);

/* The node's mark; {0, 0} when it has none. */
cf_mark cf_doc_mark(const cf_doc *doc, const cJSON *node);
/* The mark of an object member's key (falls back to the value's mark). */
cf_mark cf_doc_key_mark(const cf_doc *doc, const cJSON *member);
/* The literal text of a number node as written in the source, or NULL. */
const char *cf_doc_number_text(const cf_doc *doc, const cJSON *node);

#endif
