/*
 * coverage.h - which documented responses the suites exercise: the one
 * coverage computation every reporter calls (console table, JUnit
 * properties, JSON/HTML reports).
 *
 * The universe is every operation of every spec the given suites name, each
 * crossed with every response it documents (status key "200", "4XX" or
 * "default") and, below a response, every named example of its media types
 * (examples.NAME; an unnamed `example` is covered by the status row). One
 * row per (spec, operation, status, example-or-NULL), in document order,
 * specs in the order the suites first name them. Deterministic.
 *
 * Static coverage (cf_coverage_build): a row is *targeted* when a step of a
 * suite (a setup or case step naming the operation; teardown is cleanup that
 * accepts anything, and counts for neither figure; a case with `skip`
 * targets nothing) expects that
 * status: an exact code selects the row its status falls to
 * (cf_operation_response: exact, else class, else default); a class such as
 * 4XX selects every documented row of that class (or default when there is
 * none); a step without `expect.status` expects 2XX. An example row is
 * targeted by a step whose `expect.example` names it with a status of that
 * response.
 *
 * Dynamic coverage (cf_coverage_observe, after a run): a row is *observed*
 * when a request of the run to the operation came back with a status that
 * falls to the row (the same rule); an example row when the step asked for
 * that example and the status matched. Each observation counts how the case
 * that sent it ended (passed, failed, errored). Statuses that fall to no
 * documented response are counted per operation as `undocumented`.
 *
 * Percentages are rows targeted (or observed) over all rows; a spec with no
 * operation adds no row. Typical use:
 *
 *     cf_coverage *cov = cf_coverage_build(suites, nsuites); // static
 *     cf_coverage_observe(cov, report);                   // optional, after cf_run
 *     cf_coverage_print(cov, stdout);                     // console table
 *     cf_coverage_add_properties(cov, report);            // JUnit <properties>
 *     for (size_t i = 0; i < cf_coverage_count(cov); i++) // any other format
 *         use(cf_coverage_row(cov, i));
 *     cf_coverage_free(cov);
 *
 * The coverage borrows the suites and their specs: free it first.
 */
#ifndef CONFORM_COVERAGE_H
#define CONFORM_COVERAGE_H

#include <stddef.h>
#include <stdio.h>

#include "engine/result.h"
#include "suite/suite.h"

typedef struct cf_cov_row {
    const char *spec;               /* the spec's path as the suite named it */
    const char *operation;          /* operationId, else "METHOD /path" */
    const char *method;             /* "POST" */
    const char *path;               /* "/api/apps/public/{app-id}/incoming" */
    const char *status;             /* "200", "4XX" or "default" */
    const char *example;            /* example name, or NULL for the status row */
    size_t targeted;                /* steps that expect it (static) */
    size_t observed;                /* requests whose answer fell to it (dynamic) */
    size_t passed, failed, errored; /* how the cases behind `observed` ended */
} cf_cov_row;

typedef struct cf_cov_totals {
    size_t rows;         /* status and example rows */
    size_t targeted;     /* rows with targeted > 0 */
    size_t observed;     /* rows with observed > 0 */
    size_t operations;   /* operations in the universe */
    size_t ops_targeted; /* operations with a targeted row */
    size_t ops_observed; /* operations with an observed row */
    size_t undocumented; /* requests answered with a status no row documents */
    int has_run;         /* cf_coverage_observe was called */
    double pct_targeted; /* 100 * targeted / rows (100 when rows is 0) */
    double pct_observed; /* 100 * observed / rows (100 when rows is 0) */
} cf_cov_totals;

typedef struct cf_coverage cf_coverage;

/* Static coverage of suites[0..n) (never NULL: docs/INTERNALS.md, out of
 * memory). */
cf_coverage *cf_coverage_build(cf_suite *const *suites, size_t n);
/* Adds what a finished run observed (report of cf_run over the same suites). */
void cf_coverage_observe(cf_coverage *cov, const cf_report *report);
/* The same for one case result, as a run streams them (report/covsink.h). */
void cf_coverage_observe_case(cf_coverage *cov, const cf_case_result *c);
void cf_coverage_free(cf_coverage *cov);

size_t cf_coverage_count(const cf_coverage *cov);
const cf_cov_row *cf_coverage_row(const cf_coverage *cov, size_t i);
cf_cov_totals cf_coverage_totals(const cf_coverage *cov);

/* The console table: one line per row, a summary line last. */
void cf_coverage_print(const cf_coverage *cov, FILE *out);
/* One summary line, e.g. "coverage: 12/20 responses targeted (60.0%), 10/20
 * observed (50.0%)" without a trailing newline into out. */
void cf_coverage_summary(const cf_coverage *cov, FILE *out);
/* Adds coverage.* properties to report (JUnit <properties>): totals, and
 * one "coverage.row.N" = "SPEC OPERATION STATUS [EXAMPLE]: targeted=T
 * observed=O passed=P failed=F errored=E" per row. */
void cf_coverage_add_properties(const cf_coverage *cov, cf_report *report);

#endif
