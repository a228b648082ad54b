/*
 * version.h - deployment versions and the ranges suites, cases and ledger
 * entries apply to.
 *
 * A version is MAJOR[.MINOR[.PATCH]] with an optional "-PRERELEASE" and
 * "+BUILD" (semantic versioning; a leading "v" is accepted): missing parts
 * are 0, a pre-release sorts before its release, build metadata is ignored.
 * Pre-release identifiers compare as semver says (numeric ones numerically).
 *
 * A deployment states versions per component (a cf_kvlist: component ->
 * version text). `version: 6.4.0` is the component "" ; the first component
 * of the list is the primary one.
 *
 * A range is `since:` (inclusive) and/or `until:` (exclusive: the first
 * version it no longer applies to), each either a version (the primary
 * component) or a mapping {COMPONENT: VERSION, ...}.
 */
#ifndef CONFORM_VERSION_H
#define CONFORM_VERSION_H

#include <stddef.h>

#include "base/error.h"
#include "doc/doc.h"
#include "base/kvlist.h"

/* Compares two version texts: <0, 0, >0. Returns 0 and sets *bad when either
 * does not parse (callers validate at load time). */
int cf_version_cmp(const char *a, const char *b, int *bad);
/* Is s a version? */
int cf_version_valid(const char *s);

typedef struct cf_bound {
    char *component; /* NULL: the primary component */
    char *version;
    int until; /* 0: since (>=), 1: until (<) */
} cf_bound;

typedef struct cf_range {
    cf_bound *bounds;
    size_t n;
} cf_range;

/* Reads the `since` and/or `until` members of obj (either may be absent) into
 * r, checking every version; errors located in doc. */
int cf_range_parse(cf_range *r, const cf_doc *doc, const cJSON *obj, cf_error **err);
/* Reads a `version:` value (a version or {COMPONENT: VERSION}) into out. */
int cf_versions_parse(cf_kvlist *out, const cf_doc *doc, const cJSON *node, cf_error **err);

/* Does the deployment with versions v fall in r? 1 yes (or r is empty),
 * 0 no, with *why set ("requires rocketchat >= 5.0.0, the target has
 * 4.8.1"); -1 when a component r names has no known version (*why says
 * which). The caller frees *why. */
int cf_range_check(const cf_range *r, const cf_kvlist *v, char **why);
/* "rocketchat >= 5.0.0, < 7.0.0" for messages; caller frees. */
char *cf_range_describe(const cf_range *r);
void cf_range_clear(cf_range *r);

#endif
