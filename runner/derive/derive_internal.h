/*
 * derive_internal.h - private to runner/derive: the generator's state, the
 * value builders and the YAML writer (derive_value.c).
 */
#ifndef CONFORM_DERIVE_INTERNAL_H
#define CONFORM_DERIVE_INTERNAL_H

#include <cjson/cJSON.h>

#include "base/util.h"
#include "derive/derive.h"

typedef struct dvar {
    char *name;
    char *comment;
} dvar;

typedef struct dgen {
    const cf_spec *spec;
    struct cf_fileset *fs;
    const cf_derive_opts *opts;
    cf_buf cases; /* the cases section, written as operations are visited */
    dvar *vars;   /* TODO variables, in order of first use */
    size_t nvars;
    char **ids; /* case ids used so far */
    size_t nids;
    const char *op_label; /* the operation being derived, for comments */
    cf_derive_stats st;
} dgen;

/* A TODO variable named after hint (made a valid name; the same name is
 * one variable), and "{{name}}" as a JSON string. */
const char *dv_var(dgen *g, const char *hint, const char *comment);
cJSON *dv_var_ref(dgen *g, const char *hint, const char *comment);
/* Follows Reference Objects from node; NULL when a ref does not resolve. */
const cJSON *dv_follow(dgen *g, const cf_doc **doc, const cJSON *node);
/* A valid value for schema: example, default, first enum member, else one
 * built from the type (objects: their required members). */
cJSON *dv_value(dgen *g, const cf_doc *doc, const cJSON *schema, const char *name, int depth);

/* YAML: a mapping key (plain when safe, else quoted), a value in flow style
 * (JSON-like, always valid YAML), a double-quoted string. */
void dv_key(cf_buf *b, const char *k);
void dv_flow(cf_buf *b, const cJSON *v);
void dv_string(cf_buf *b, const char *s);

#endif
