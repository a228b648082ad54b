/*
 * spec_ref.h - internal to spec.c and validate.c: the set of files a document
 * reaches through $ref, and $ref resolution over it.
 *
 * A $ref is "#/POINTER" (inside the referring file) or "PATH#/POINTER" /
 * "PATH" (PATH relative to the referring file's directory, percent-decoded).
 * Refs with a URI scheme (http:, https:, file:, urn:, ...) are refused with a
 * clear error: conform reads only local files. Refs may leave the spec's
 * directory (`../common.yaml`): specs are trusted local input, and a file
 * that is not there fails loudly anyway. Each file is loaded once (identified
 * by its realpath).
 *
 * Errors are located at the offending "$ref" value: FILE:LINE:COLUMN.
 */
#ifndef CONFORM_SPEC_REF_H
#define CONFORM_SPEC_REF_H

#include <stddef.h>

#include "doc/doc.h"
#include "base/error.h"
#include "schema/schema.h"

typedef struct cf_fileset cf_fileset;

int cf_fileset_new(cf_fileset **out);
void cf_fileset_free(cf_fileset *fs);
/* Loads path (YAML or JSON) unless already loaded; *out is borrowed from fs
 * and stays valid until cf_fileset_free. An empty file is an error. */
int cf_fileset_load(const cf_doc **out, cf_fileset *fs, const char *path, cf_error **err);
/* After freezing, no file is loaded any more (a ref to a file not yet loaded
 * is an error): fs is then read-only, and safe to use from many threads. */
void cf_fileset_freeze(cf_fileset *fs);

/* The "$ref" member's value when node is a Reference Object (an object with
 * a "$ref" member; OpenAPI 3.0 ignores its siblings), else NULL. */
const cJSON *cf_ref_of(const cJSON *node);

/* Resolves ref, written in from. at is the "$ref" value node, for the error's
 * location; when NULL, the first "$ref" with that value in from is used. On
 * success sets the target's doc, node and JSON Pointer (newly allocated; ""
 * for a whole file). */
int cf_ref_resolve(const cf_doc **doc_out, const cJSON **node_out, char **ptr_out, cf_fileset *fs,
                   const cf_doc *from, const char *ref, const cJSON *at, cf_error **err);

/* Follows a chain of Reference Objects from (*doc, *node) (whose pointer is
 * *ptr, owned, replaced as the chain advances) to the first node that is not
 * one. what names the object kind for messages ("response", "parameter").
 * A chain that comes back to a node it passed is a located error. */
int cf_ref_follow(const cf_doc **doc, const cJSON **node, char **ptr, cf_fileset *fs,
                  const char *what, cf_error **err);

/* A schema.h resolver over fs (for refs schema.c does not resolve itself). */
cf_ref_resolver cf_fileset_resolver(cf_fileset *fs);

/* base + "/" + token escaped per RFC 6901, newly allocated. */

/* cf_error_set located at node of doc (its mark; the file alone when it has
 * none). at_key: locate at the member's key instead of its value. */
int cf_ref_error_at(cf_error **err, const cf_doc *doc, const cJSON *node, int at_key,
                    const char *hint, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
