/*
 * suite.h - the case loader: suite files (docs/CASEFORMAT.md) to a validated,
 * ready-to-run model.
 *
 * Everything that can be checked before a request is sent is checked here:
 * keys, types, targets, operations, path parameters, examples, regexes, and
 * that every {{variable}} is defined by the time its step runs. A suite that
 * loads is one the engine can run without a usage error.
 */
#ifndef CONFORM_SUITE_H
#define CONFORM_SUITE_H

#include <regex.h>
#include <stddef.h>

#include "doc/compare.h"
#include "suite/config.h"
#include "doc/doc.h"
#include "base/error.h"
#include "spec/spec.h"
#include "suite/version.h"

/* One accepted status: an exact code (e.g. 200) or a class (4 for "4XX"). */
typedef struct cf_status_pat {
    int code;  /* 0 for a class */
    int klass; /* 1..5 for a class */
} cf_status_pat;

typedef struct cf_header_expect {
    char *name;
    char *exact;   /* exact value, or NULL */
    char *pattern; /* regex source, or NULL */
    regex_t re;    /* compiled when pattern is set */
    int absent;    /* the header must not be there */
} cf_header_expect;

typedef enum cf_capture_from { CF_CAPTURE_BODY = 0, CF_CAPTURE_HEADER } cf_capture_from;

typedef struct cf_capture {
    char *var;
    cf_capture_from from;
    char *header;  /* CF_CAPTURE_HEADER */
    char *pointer; /* CF_CAPTURE_BODY: pointer into the body */
    char *inner;   /* optional: pointer into the JSON document held in that string */
    cf_mark mark;
} cf_capture;

typedef struct cf_expect {
    cf_status_pat *status; /* NULL: 2XX unless the step has an explicit expect */
    size_t nstatus;
    cf_header_expect *headers;
    size_t nheaders;
    const cJSON *body_equals;   /* borrowed from the suite doc */
    const cJSON *body_includes; /* borrowed from the suite doc */
    int body_has_refs[2];       /* body_equals / body_includes hold {{variables}} */
    char **body_has;            /* JSON Pointers that must exist in the body, any value */
    size_t nbody_has;
    const cf_doc *doc; /* the suite doc: number texts of the expected values */
    long max_ms;       /* 0: no budget */
    char *example;     /* example name, or NULL (the suite doc's) */
    cf_match example_match;
    char **example_ignore;
    size_t nexample_ignore;
    char *checks_off[CF_AUTO_COUNT]; /* reason when that automatic check is off */
} cf_expect;

typedef struct cf_step {
    /* name, method and path are the suite doc's strings (CF_YAML_PACKED:
     * they live as long as the doc), not the step's. */
    char *name;             /* "step N" unless named */
    const cf_operation *op; /* NULL for a method/path step */
    char *method;           /* upper case */
    char *path;             /* path template, e.g. /api/apps/public/{app-id}/incoming */
    char *base_url;         /* template overriding the target's, or NULL */
    cJSON *request; /* owned: defaults merged; keys path, query, headers, body, body_raw, auth */
    int request_has_refs; /* request holds {{variables}}: expand per run */
    char *body_text;      /* the JSON body rendered once, when it holds no variables */
    cf_expect expect;
    cf_capture *captures;
    size_t ncaptures;
    cf_mark mark;
} cf_step;

typedef struct cf_case {
    char *id; /* the suite doc's */
    char *title;
    char **tags; /* suite tags first */
    size_t ntags;
    char *skip;        /* reason, or NULL */
    char *skip_unless; /* variable name, or NULL */
    cf_range range;    /* since/until: the target versions the case applies to */
    cf_step *steps;
    size_t nsteps;
    cf_mark mark;
} cf_case;

typedef struct cf_spec_cache cf_spec_cache;

typedef struct cf_suite {
    char *path; /* as given */
    char *name;
    cf_doc *doc; /* kept: expectations and names borrow from it (packed) */
    const cf_target *target;
    char *target_name;
    const cf_spec **specs; /* borrowed from the spec cache */
    size_t nspecs;
    cf_kvlist vars; /* suite vars, then target vars, then --var: later wins */
    /* Names set by the target's vars or --var (value: "config" or "--var"):
     * they outrank captures of the same name, e.g. to send the Oracle chat
     * calls to a gateway instead of the captured chat server. */
    cf_kvlist given;
    cf_range range; /* since/until: the target versions every case applies to */
    cf_step *setup;
    size_t nsetup;
    cf_step *teardown;
    size_t nteardown;
    cf_case *cases;
    size_t ncases;
    cJSON *shared; /* request maps the steps reference (suite.c shared_default) */
    cJSON *kept;   /* nodes of released cases that steps still borrow (cf_load_ctx) */
} cf_suite;

/* Specs are loaded once per run, whichever suites name them. */
int cf_spec_cache_new(cf_spec_cache **out);
/* Loads (or finds) the spec at path; the cache owns it. */
int cf_spec_cache_get(const cf_spec **out, cf_spec_cache *cache, const char *path, cf_error **err);
/* Warnings of every spec loaded so far, for the CLI to print. */
void cf_spec_cache_print_warnings(const cf_spec_cache *cache);
void cf_spec_cache_free(cf_spec_cache *cache);

typedef struct cf_load_ctx {
    const cf_config *config;
    const cf_kvlist *cli_vars; /* --var, may be NULL */
    cf_spec_cache *specs;
    /* Keep every case's nodes in suite->doc. By default each case's part of
     * the doc is freed once the case is built (what its steps borrow, request
     * bodies and expected bodies, moves to suite->kept), so the built cases
     * reuse the doc's memory instead of adding to it (a large suite's peak
     * RSS). Set it when something walks suite->doc's cases after loading
     * (lint). */
    int keep_cases;
} cf_load_ctx;

int cf_suite_load(cf_suite **out, const char *path, const cf_load_ctx *ctx, cf_error **err);
void cf_suite_free(cf_suite *suite);

/* Does status match one of pats? */
int cf_status_match(const cf_status_pat *pats, size_t n, int status);
/* "200", "4XX", "200 or 201" ... for messages; caller frees. */
char *cf_status_describe(const cf_status_pat *pats, size_t n);

#endif
