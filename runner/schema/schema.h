/*
 * schema.h - OpenAPI 3.0 Schema Objects: compile once, validate many times.
 *
 * Keywords: type, format, enum, required, properties, additionalProperties,
 * items, allOf, oneOf, anyOf, not, minimum, maximum, exclusiveMinimum and
 * exclusiveMaximum (boolean forms), multipleOf (exact for decimals),
 * minLength/maxLength (code points), pattern (ECMA-262 on PCRE2, bounded:
 * docs/REGEX.md; a pattern that does not compile is a warning and is not
 * checked),
 * minItems, maxItems, uniqueItems, minProperties, maxProperties, nullable,
 * readOnly, writeOnly, discriminator, $ref. Formats checked: date-time,
 * date, int32, int64, float, double, byte, uuid, email; others are ignored.
 * Annotations (title, description, example, default, xml, externalDocs,
 * deprecated, x-*) are accepted and ignored.
 *
 * $ref: "#/..." resolves inside the schema's own document; any other ref goes
 * to the resolver (spec.c resolves relative files). Cycles are compiled once
 * and validated lazily, so recursive schemas work. A dangling $ref, a keyword
 * or a keyword of the wrong type is a compile error located at the offending
 * node (FILE:LINE:COLUMN from the doc's marks).
 *
 * Semantics where OpenAPI 3.0 and JSON Schema part ways, or are unclear:
 *  - integer is "a JSON number without a fraction or exponent part": 1.0 is
 *    not an integer when the instance doc has the literal (json.h).
 *  - nullable: true allows null only next to a type in the same schema
 *    (3.0.3); it does not add null to enum, nor reach into allOf/anyOf/oneOf
 *    branches (the message says so when that is why null fails). Without
 *    type, null passes the type check. type: "null" (JSON Schema) is
 *    accepted with a warning.
 *  - Siblings of $ref are ignored (Reference Object).
 *  - discriminator with oneOf/anyOf on an object: the property's value picks
 *    the branch (mapping first, then the branch's schema name), the value is
 *    validated against that branch only; a missing or unmapped value is a
 *    "discriminator" violation. Without oneOf/anyOf it is not used.
 *  - readOnly/writeOnly: see cf_schema_dir. The flag is read from the
 *    property's schema, through $refs.
 *  - patternProperties apply only in a document whose root declares
 *    "$schema": "http://json-schema.org/draft-04/schema#" (the official
 *    OpenAPI 3.0 schema that `conform lint` validates documents against):
 *    members whose name matches a pattern validate against its schema, and
 *    additionalProperties applies to members matched by neither. In OpenAPI
 *    Schema Objects it is not a keyword and is ignored, as below.
 *  - Other JSON Schema keywords (const, patternProperties, dependencies,
 *    additionalItems, definitions, ...) are ignored silently; other unknown
 *    keywords are ignored with a warning (cf_schema_warning).
 *  - int32/int64 are exact ranges on the literal; float/double accept any
 *    magnitude that does not round to infinity; byte is RFC 4648 base64 with
 *    padding; email is an RFC 5322 addr-spec (UTF-8 allowed).
 *  - pattern is ECMA-262 with the u flag, matched by PCRE2 under a match,
 *    depth and heap limit (schema_internal.h, docs/REGEX.md). A pattern
 *    that does not compile is a compile warning and the keyword is skipped
 *    in that schema, with an UNCHECKED note on each validation reaching it;
 *    a match that hits a limit is an UNDECIDED note (never a pass).
 *
 * Thread safety: compiling is single-threaded; a compiled schema is
 * read-only and may be validated against from any number of threads.
 */
#ifndef CONFORM_SCHEMA_H
#define CONFORM_SCHEMA_H

#include <stddef.h>

#include "doc/doc.h"
#include "base/error.h"

typedef struct cf_schema cf_schema;

/* Resolves a non-local $ref found in document from. On success sets *doc_out
 * and *node_out to the target (borrowed; must outlive the compiled schema). */
typedef struct cf_ref_resolver {
    int (*resolve)(void *ctx, const cf_doc *from, const char *ref, const cf_doc **doc_out,
                   const cJSON **node_out, cf_error **err);
    void *ctx;
} cf_ref_resolver;

/* Direction decides readOnly/writeOnly: in a response a writeOnly property
 * must not appear and a required readOnly property is required; in a request
 * the reverse. */
typedef enum cf_schema_dir { CF_SCHEMA_RESPONSE = 0, CF_SCHEMA_REQUEST } cf_schema_dir;

/* Violations come first in cf_violations; the two note kinds, at most one
 * per keyword location and call, after them. */
typedef enum cf_violation_kind {
    CF_VIOLATION = 0,       /* the instance breaks the keyword */
    CF_VIOLATION_UNDECIDED, /* the keyword could not be decided (a regex limit
                               was hit): report it as an error, never a pass */
    CF_VIOLATION_UNCHECKED, /* the keyword is disabled (its pattern does not
                               compile): report it as a warning */
} cf_violation_kind;

typedef struct cf_violation {
    char *instance_ptr; /* JSON Pointer into the validated value; "" is the root.
                           required: the object; additionalProperties, readOnly,
                           writeOnly: the offending member */
    char *schema_loc;   /* FILE#/POINTER of the failing keyword, e.g.
                           specs/x.yaml#/components/schemas/R/properties/id/type
                           (the pointer is not %-encoded) */
    char *keyword;      /* "type", "required", ..., "discriminator" */
    char *message;      /* what was expected and what came, e.g.
                           expected integer, got string "34" */
    cf_violation_kind kind;
} cf_violation;

typedef struct cf_violations {
    cf_violation *items;
    size_t count;
} cf_violations;

/* Compiles the schema at node (borrowed from doc, which must outlive the
 * result). node_ptr is its JSON Pointer in doc, used for schema_loc; resolver
 * may be NULL (local refs only). Compiling the same doc+node twice through
 * one cache is cheap: see cf_schema_cache in spec.c. */
int cf_schema_compile(cf_schema **out, const cf_doc *doc, const cJSON *node, const char *node_ptr,
                      const cf_ref_resolver *resolver, cf_error **err);
void cf_schema_free(cf_schema *schema);
/* Warnings from compiling, one line each, "FILE:LINE:COLUMN: warning: ...":
 * unknown keywords (with a did-you-mean), a discriminator mapping that names
 * no branch, readOnly and writeOnly both true. Valid while schema lives. */
size_t cf_schema_warning_count(const cf_schema *schema);
const char *cf_schema_warning(const cf_schema *schema, size_t i);

/* Validates instance (a node of instance_doc, which may be NULL: then numbers
 * are judged by their doubles). Appends each violation once to out: one per
 * (instance pointer, keyword, message) within this call. A failed oneOf/anyOf
 * gives one summary violation followed, when one branch is clearly closest
 * (its type fits, fewest violations) or the discriminator picked it, by that
 * branch's violations; otherwise the summary quotes each branch's first
 * violation. Notes (kind UNDECIDED or UNCHECKED) follow the violations; they
 * do not make the value invalid, and oneOf/anyOf/not judge branches as if
 * the keyword were absent. Returns the number of items appended, notes
 * included (0 = valid and fully checked); never negative. */
int cf_schema_validate(const cf_schema *schema, cf_schema_dir dir, const cf_doc *instance_doc,
                       const cJSON *instance, cf_violations *out);
void cf_violations_clear(cf_violations *v);

#endif
