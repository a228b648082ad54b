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

#endif
