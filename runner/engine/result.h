/*
 * result.h - what a run found, as plain data. The engine (run.c) fills these
 * structs; reporters (console, junit.c) only read them.
 *
 * Every string here is already redacted (secrets.h) and owned by the struct
 * that holds it; cf_report_free() releases the whole tree.
 */
#ifndef CONFORM_RESULT_H
#define CONFORM_RESULT_H

#include <stddef.h>

typedef enum cf_outcome {
    CF_OUTCOME_PASS = 0,
    CF_OUTCOME_FAIL,  /* a check ran and did not match: JUnit <failure> */
    CF_OUTCOME_ERROR, /* the case could not be checked: JUnit <error> */
    CF_OUTCOME_SKIP,  /* not run: JUnit <skipped> */
    CF_OUTCOME_KNOWN, /* every finding is a known deviation (runner/ledger/): reported, does
                       * not fail the run; JUnit <skipped message="known deviation: ...">
                       * with the findings in the element text */
} cf_outcome;

typedef enum cf_finding_kind {
    CF_FINDING_FAILURE = 0, /* a check did not match */
    CF_FINDING_ERROR,       /* could not check: transport, timeout, missing capture */
} cf_finding_kind;

/* Every finding type, one name each: what reporters print, what the
 * detection matrix (tests/detection/expectations.tsv) and the reference
 * server's fault catalogue expect. The table in result.c is the one list;
 * tests/style/finding-types.sh checks that every type the code records is in
 * it, with its kind. */
typedef struct cf_finding_type {
    const char *name;
    cf_finding_kind kind;
    const char *meaning;
} cf_finding_type;

/* The entry for name, or NULL. */
const cf_finding_type *cf_finding_type_lookup(const char *name);
/* All entries, in the order of result.c; *n gets their number. */
const cf_finding_type *cf_finding_types(size_t *n);

/* One failed check or one error; type is a name of the table above. */
typedef struct cf_finding {
    cf_finding_kind kind;
    char *type;
    char *message;  /* one line: what was expected and what came */
    char *detail;   /* optional, multi-line: expected/actual, a diff by JSON Pointer */
    int step;       /* 1-based index of the step among the case's steps, 0 if none */
    char *known;    /* the reason of the known-deviation entry that matched this finding, or
                     * NULL (set by runner/ledger/ before the result is final) */
    char *known_at; /* where that entry is written, "FILE:LINE", or NULL */
    /* Where it happened, so a report's text stands without the transcript
     * (set by the engine, redacted): "METHOD URL" without userinfo, the
     * response status (0: none came), the first bytes of the response body. */
    char *request;
    int status;
    char *body_excerpt;
} cf_finding;

/* One request a case sent (setup and teardown steps included), for coverage
 * (coverage/coverage.h): the step is a `const cf_step *` borrowed from the
 * loaded suite (valid while the suites are), status 0 when no answer came. */
typedef struct cf_observed {
    const void *step;
    int status;
} cf_observed;

typedef struct cf_case_result {
    char *id;           /* case id; "ID#K" for the K-th repetition under --repeat */
    char *title;        /* may be NULL */
    cf_outcome outcome; /* ERROR if any error finding, else FAIL if any failure, else PASS/SKIP;
                         * KNOWN once a ledger matched every finding (cf_case_outcome) */
    double seconds;
    cf_finding *findings;
    size_t nfindings;
    char *skip_reason;     /* set when outcome is SKIP */
    char *transcript;      /* redacted request/response transcript; set for FAIL and ERROR */
    int line;              /* where the case is defined in the suite file, 0 if unknown */
    int finished;          /* set by the engine (under its lock) once the result is final */
    cf_observed *observed; /* the requests sent, in order */
    size_t nobserved;
    char **warnings; /* a check that could not be applied as written (a schema
                        pattern that does not compile): shown with the case
                        whatever its outcome, never changes it; one line each */
    size_t nwarnings;
    /* --rerun: attempts made (1 + reruns; 0 when not run). A case that failed
     * or errored and then passed is PASS with flaky set (it counts as passed),
     * and flaky_note keeps the first attempt's first finding ("type: message"). */
    int attempts;
    int flaky;
    char *flaky_note;
    /* Rate limits: how often and how long the case waited on a server's
     * limit before sending (a 429 answered, X-RateLimit-Remaining used up);
     * --rate pacing is not counted. */
    unsigned rate_waits;
    double rate_wait_seconds;
} cf_case_result;

/* A name/value pair (JUnit <property>), both strings owned: of the whole
 * report (e.g. coverage figures, written in every testsuite) or of one suite
 * (the <properties> of a report read back, report/junit_read.h). */
typedef struct cf_property {
    char *name;
    char *value;
} cf_property;

typedef struct cf_suite_result {
    char *name; /* the suite's `suite:` title: JUnit testsuite name and testcase classname */
    char *file; /* the suite file as given on the command line */
    double seconds;
    cf_case_result *cases;
    size_t ncases;
    cf_property *properties; /* the suite's own properties (reports read back) */
    size_t nproperties;
} cf_suite_result;

typedef struct cf_report {
    cf_suite_result *suites;
    size_t nsuites;
    double seconds;
    char *timestamp; /* ISO 8601 start time, UTC, e.g. 2026-11-23T10:00:00 */
    char *hostname;  /* may be NULL */
    cf_property *props;
    size_t nprops;
} cf_report;

/* known counts CF_OUTCOME_KNOWN cases, apart from skipped; JUnit's skipped
 * attribute is skipped + known (both are <skipped> elements there). flaky
 * counts passed cases marked flaky (they are passes, not apart from them). */
typedef struct cf_totals {
    size_t tests, failures, errors, skipped, known, flaky;
} cf_totals;

/* The outcome every reporter shows for c: result.h's rule applied to the
 * findings ("ERROR if any error finding, else FAIL if any failure"), not
 * c->outcome alone, so a struct that breaks the rule still yields counts that
 * match the elements reported and never hides a finding under a pass. Only
 * findings without `known` count there; a case whose findings are all known
 * is CF_OUTCOME_KNOWN. For structs built with cf_case_add_finding this is
 * c->outcome. */
cf_outcome cf_case_outcome(const cf_case_result *c);

/* The stable name of an outcome in reports ("passed", "failed", "errored",
 * "skipped", "known"): JSON values, HTML classes, TAP diagnostics. */
const char *cf_outcome_name(cf_outcome o);

/* Totals by cf_case_outcome(): the console summary and the JUnit counts are
 * the same numbers. cf_totals_add counts one case (reporters that stream keep
 * running totals with it). */
void cf_totals_add(cf_totals *t, const cf_case_result *c);
cf_totals cf_suite_totals(const cf_suite_result *s);
cf_totals cf_report_totals(const cf_report *r);

/* Adds a finding to c (strings copied; detail may be NULL) and updates
 * c->outcome. It cannot fail: allocation exits on exhaustion (base/util.h),
 * so a finding is never lost. */
void cf_case_add_finding(cf_case_result *c, cf_finding_kind kind, int step, const char *type,
                         const char *detail, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Appends a property to the report, or to a suite (strings copied). */
void cf_report_add_property(cf_report *r, const char *name, const char *value);
/* Frees r's properties only (r itself stays the caller's). */
void cf_report_clear_properties(cf_report *r);
void cf_suite_add_property(cf_suite_result *s, const char *name, const char *value);

/* Adds a warning line to c unless c already has the same one (strings
 * copied, redacted). */
void cf_case_add_warning(cf_case_result *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Frees a finding's strings and zeroes it. */
void cf_finding_clear(cf_finding *f);
void cf_case_result_clear(cf_case_result *c);
void cf_suite_result_clear(cf_suite_result *s);
void cf_report_free(cf_report *r);

#endif
