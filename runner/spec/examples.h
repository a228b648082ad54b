/*
 * examples.h - named examples of an operation's responses (OpenAPI
 * `examples`), looked up by the suite loader and the example check.
 */
#ifndef CONFORM_SPEC_EXAMPLES_H
#define CONFORM_SPEC_EXAMPLES_H

#include "base/error.h"
#include "doc/doc.h"
#include "spec/spec.h"

/* Is an example called name listed in r (with or without a value)? */
int cf_response_lists_example(const cf_response *r, const char *name);
/* The response keys of op that list an example called name, e.g. "200, 201";
 * NULL if none. The caller frees it. */
char *cf_operation_statuses_with_example(const cf_operation *op, const char *name);

/* Load-time check for `expect.example`: that an example named name is
 * documented for op under status_key, where status_key is a code ("200": the
 * response the run would use for that status, i.e. exact, class, default), a
 * class ("4XX", any case: any documented response of that class, else
 * default), or NULL (any documented response). 0 when it is, else -1 with an
 * error located at node of doc (the suite's `example` value) whose hint is a
 * did-you-mean over the example names of that status, or the list of them, or
 * the statuses that do document the name. */
int cf_spec_example_exists(const cf_operation *op, const char *status_key, const char *name,
                           const cf_doc *doc, const cJSON *node, cf_error **err);

#endif
