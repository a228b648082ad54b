/*
 * yamldoc.h - YAML files to cf_doc (a cJSON tree with every node's mark).
 *
 * libyaml's conventions stop here: the rest of the runner sees cJSON plus
 * cf_doc marks. Scalars resolve as the YAML 1.2 core schema does: plain
 * null/~/empty, true/false, integers and floats become JSON values (number
 * text kept, doc.h); everything quoted is a string. Aliases are expanded
 * within limits on nodes, depth and bytes checked while expanding (against
 * "billion laughs"); merge keys `<<` are honoured; a
 * duplicate mapping key, a non-scalar key and a multi-document stream are
 * errors. Errors are located: FILE:LINE:COLUMN.
 */
#ifndef CONFORM_YAMLDOC_H
#define CONFORM_YAMLDOC_H

#include <stddef.h>

#include "doc/doc.h"
#include "base/error.h"

/* Nodes a document may have, aliases expanded (docs/CASEFORMAT.md, "Limits"). */
#define CF_YAML_MAX_NODES ((size_t)4 * 1000 * 1000)
/* For tests: a lower node limit (0 restores CF_YAML_MAX_NODES). */
void cf_yaml_set_max_nodes(size_t n);

int cf_yaml_load_file(cf_doc **out, const char *path, cf_error **err);
/* name labels the text in errors. An empty document gives a NULL root. */
int cf_yaml_load_string(cf_doc **out, const char *text, size_t len, const char *name,
                        cf_error **err);

/* CF_YAML_PACKED: the doc's keys and strings live in blocks the doc owns
 * (cf_doc_pack: keys cJSON_StringIsConst, strings cJSON_IsReference): about
 * a third less memory and far fewer mallocs for a large suite, for a doc
 * that outlives every copy made of its nodes (the suite loader's). */
enum { CF_YAML_PACKED = 1 };
int cf_yaml_load_file_flags(cf_doc **out, const char *path, int flags, cf_error **err);
int cf_yaml_load_string_flags(cf_doc **out, const char *text, size_t len, const char *name,
                              int flags, cf_error **err);

#endif
