/*
 * jsonreport.h - the results as JSON (--json FILE), for programs.
 *
 * The document validates against docs/results.schema.json (JSON Schema
 * draft 4, conform's own validator checks it in the tests). Its
 * "format_version" changes only when a name is removed or changes meaning;
 * new members may appear in any version, so readers ignore what they do not
 * know. Layout (every string redacted, ill-formed UTF-8 replaced):
 *   { "format": "conform-results", "format_version": 1, "conform": VERSION,
 *     "run": { "timestamp", "hostname", "seconds", "jobs", "repeat", "filter",
 *              "tags": [..], "targets": [{"name", "base_url"}], "interrupted" },
 *     "totals": { "cases", "passed", "failed", "errored", "skipped", "known" },
 *     "suites": [ { "name", "file", "target", "seconds", "totals": {..},
 *                   "cases": [ { "id", "title", "line", "outcome", "seconds",
 *                                "skip_reason", "findings": [ { "kind", "type",
 *                                "message", "detail", "step", "known",
 *                                "known_at" } ], "warnings": [..], "requests": [ { "operation",
 *                                "method", "path", "status" } ], "transcript" } ] } ] }
 * outcome is one of cf_outcome_name()'s names. Written like every report
 * file (outfile.h): atomically, streamed, memory O(suites).
 */
#ifndef CONFORM_JSONREPORT_H
#define CONFORM_JSONREPORT_H

#include <stdio.h>

#include "engine/sink.h"

enum { CF_JSON_FORMAT_VERSION = 1 };

/* Writes path, or stream when path is NULL. */
cf_sink *cf_json_sink(const char *path, FILE *stream);

#endif
