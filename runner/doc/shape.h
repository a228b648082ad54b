/*
 * shape.h - checking the shape of a loaded YAML document (config, suites):
 * allowed keys with "did you mean", types, with every error located at the
 * offending node (FILE:LINE:COLUMN).
 */
#ifndef CONFORM_SHAPE_H
#define CONFORM_SHAPE_H

#include "doc/doc.h"
#include "base/error.h"

/* Every key of obj must be in allowed (NULL-terminated). what names the
 * mapping in messages ("case", "expect"). */
int cf_shape_keys(const cf_doc *doc, const cJSON *obj, const char *const *allowed, const char *what,
                  cf_error **err);
/* Type checks: 0 when node has the type, else a located error
 * "KEY must be a TYPE, got TYPE". key may be NULL (uses node->string). */
int cf_shape_expect(const cf_doc *doc, const cJSON *node, int cjson_type, const char *type_name,
                    cf_error **err);
/* The JSON type name of a node as users read it: mapping, list, string, ... */
const char *cf_shape_type_name(const cJSON *node);
/* A scalar (string, number, bool) as text: number literal text kept. NULL
 * for null, mappings and lists. Caller frees. */
char *cf_shape_scalar_text(const cf_doc *doc, const cJSON *node);
/* A located error at node (at its key when at_key). Returns -1. */
int cf_shape_error(const cf_doc *doc, const cJSON *node, int at_key, cf_error **err,
                   const char *hint, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
