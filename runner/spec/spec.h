/*
 * spec.h - OpenAPI 3.0.x documents: load, resolve, find operations and what
 * they document for a response.
 *
 * A spec is a root file (YAML or JSON) plus the files its relative $refs
 * reach. Everything is parsed, resolved and every response schema compiled
 * at load time, once per run: a dangling $ref, a $ref cycle that is not
 * through a schema, or a schema that cannot be compiled is a located error.
 * The vendor's string form `required: "true"` is accepted with a warning.
 */
#ifndef CONFORM_SPEC_H
#define CONFORM_SPEC_H

#include <stddef.h>

#include "doc/doc.h"
#include "base/error.h"
#include "schema/schema.h"

/* The checks an operation's document implies on every step that names it
 * (engine/checks_spec.h runs them); a step may turn each off with a reason
 * (`checks_off`, docs/CASEFORMAT.md). Names as written in suites. */
enum { CF_AUTO_DOCUMENTED_STATUS = 0, CF_AUTO_CONTENT_TYPE, CF_AUTO_SCHEMA, CF_AUTO_COUNT };
extern const char *const cf_auto_check_names[CF_AUTO_COUNT];

typedef struct cf_spec cf_spec;
typedef struct cf_operation cf_operation;
typedef struct cf_response cf_response;
typedef struct cf_media cf_media;

int cf_spec_load(cf_spec **out, const char *path, cf_error **err);
void cf_spec_free(cf_spec *spec);
const char *cf_spec_path(const cf_spec *spec);
/* Warnings found while loading, each one line "FILE:LINE:COLUMN: warning: ..." */
size_t cf_spec_warning_count(const cf_spec *spec);
const char *cf_spec_warning(const cf_spec *spec, size_t i);

/* A defect in one part of a document (an operation, a media type of a
 * content map) disables that part only: the part is left out, the defect is
 * a problem (its located error, as it would have failed the load) and a
 * warning "FILE:L:C: warning: operation X disabled: ...". Naming a disabled
 * operation (cf_spec_find_operation) gives the problem's error. Defects of
 * the document as a whole (syntax, not OpenAPI 3.0, no paths) still fail
 * cf_spec_load. */
size_t cf_spec_problem_count(const cf_spec *spec);
const cf_error *cf_spec_problem(const cf_spec *spec, size_t i);

/* The operations in document order (paths, then methods as written). */
size_t cf_spec_operation_count(const cf_spec *spec);
const cf_operation *cf_spec_operation_at(const cf_spec *spec, size_t i);
/* The root document, and the set of files its $refs reach (read-only after
 * load: for cf_ref_follow in derive and lint). */
const cf_doc *cf_spec_root(const cf_spec *spec);
struct cf_fileset *cf_spec_fileset(const cf_spec *spec);
/* The raw Operation Object and Path Item Object (refs followed) and the doc
 * holding each, for derive and lint, which read more than this API models. */
const cJSON *cf_operation_node(const cf_operation *op, const cf_doc **doc);
const cJSON *cf_operation_path_item(const cf_operation *op, const cf_doc **doc);

/* Finds an operation by operationId or by "METHOD /path" (method any case,
 * path as written in the spec). 0 and *out set, or -1 with an error whose
 * hint names the closest operationId ("did you mean ...?"). */
int cf_spec_find_operation(const cf_operation **out, const cf_spec *spec, const char *ref,
                           cf_error **err);

const char *cf_operation_id(const cf_operation *op);     /* may be NULL */
const char *cf_operation_method(const cf_operation *op); /* upper case: "POST" */
const char *cf_operation_path(const cf_operation *op);   /* "/api/apps/public/{app-id}/incoming" */
/* How messages name the operation: its operationId, else "METHOD /path". */
const char *cf_operation_label(const cf_operation *op);
/* Names of the header parameters marked required (path-level and operation-level). */
size_t cf_operation_required_header_count(const cf_operation *op);
const char *cf_operation_required_header(const cf_operation *op, size_t i);

/* The documented response for status: the exact code, else its class
 * ("4XX"), else "default"; NULL when undocumented. *matched_key, if not NULL,
 * gets "200", "4XX" or "default". */
const cf_response *cf_operation_response(const cf_operation *op, int status,
                                         const char **matched_key);
/* The documented status keys, comma-separated, e.g. "200, 401" (for messages). */
const char *cf_operation_status_list(const cf_operation *op);
/* The documented responses in document order. */
size_t cf_operation_response_count(const cf_operation *op);
const cf_response *cf_operation_response_at(const cf_operation *op, size_t i);
/* The response's key as the spec writes it: "200", "4XX" (upper-cased), "default". */
const char *cf_response_key(const cf_response *r);

/* Media types documented for a response; 0 means the response has no body. */
size_t cf_response_media_count(const cf_response *r);
const cf_media *cf_response_media_at(const cf_response *r, size_t i);
/* The media type matching a Content-Type header value: parameters (charset)
 * ignored, case-insensitive, media ranges (application/ANY, ANY/ANY) honoured, the
 * most specific match wins. NULL when none matches. */
const cf_media *cf_response_media_for(const cf_response *r, const char *content_type);

/* The documented media types, comma-separated, e.g. "application/json" (for messages). */
const char *cf_response_media_list(const cf_response *r);

const char *cf_media_type(const cf_media *m); /* as written in the spec */
/* Nonzero when the media type is JSON: application/json or a "+json" type. */
int cf_media_is_json(const cf_media *m);
/* The same for a media type string (a Content-Type value: parameters ignored). */
int cf_media_type_is_json(const char *type);
const cf_schema *cf_media_schema(const cf_media *m); /* compiled; NULL if none documented */
/* The named example's value (examples.NAME.value; $ref'd examples resolved),
 * or, with name NULL, the single `example` / only example. Returns the node
 * and sets *doc to the document that owns it; NULL when there is no such
 * example. */
const cJSON *cf_media_example(const cf_media *m, const char *name, const cf_doc **doc);
/* The names under `examples`, in document order (a single `example` has no
 * name and is not counted). An example with only an externalValue is listed,
 * but cf_media_example gives NULL for it: conform does not fetch URLs. */
size_t cf_media_example_count(const cf_media *m);
const char *cf_media_example_name(const cf_media *m, size_t i);

#endif
