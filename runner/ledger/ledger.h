/*
 * ledger.h - known deviations: what a deployment is known to do differently
 * from its document, written down so that a CI gate can be green without
 * forgetting it (docs/LEDGER.md).
 *
 *   deviations:
 *     - case: [close-chat-ok, handover-*]   # ids or fnmatch globs (or one string)
 *       suite: "Rasa app: *"          # optional: glob on the suite file or name
 *       check: example                      # optional: finding types (string or list)
 *       finding: "/msg: missing"            # optional: a substring of the finding
 *       reason: the app answers {"result": ...}, never {"msg": ...}
 *       link: https://github.com/...        # optional
 *       expires: 2027-06-30                 # optional: the entry fails the run after it
 *       since: {apps-rasa: 1.2.0}           # optional: versions it applies to
 *       until: {apps-rasa: 1.3.0}
 *
 * Semantics (strict):
 *   - a finding that an applicable entry matches is known; a case whose
 *     findings are all known is CF_OUTCOME_KNOWN and does not fail the run;
 *   - a finding no entry matches still fails its case;
 *   - an entry that names cases which ran, none of them showing its finding,
 *     is fixed: the run fails (a warning with --known-fixed=warn);
 *   - an entry past its expiry date fails the run;
 *   - an entry that names no case which ran is unused: a warning.
 * Each entry's verdict is also a case of the report (a suite per ledger
 * file), so JUnit and every reporter show it.
 */
#ifndef CONFORM_LEDGER_H
#define CONFORM_LEDGER_H

#include <stdatomic.h>
#include <stdio.h>
#include <stddef.h>

#include "base/error.h"
#include "engine/result.h"
#include "suite/config.h"
#include "suite/version.h"

typedef struct cf_ledger_entry {
    char **cases; /* fnmatch globs on case ids */
    size_t ncases;
    char *suite;   /* glob on the suite file or the suite name, or NULL */
    char **checks; /* finding types; none: any */
    size_t nchecks;
    char *finding; /* substring of the finding's message, or NULL */
    char *reason;
    char *link;       /* may be NULL */
    char expires[11]; /* YYYY-MM-DD, or "" */
    cf_range range;
    char *file;
    int line;
    char *where; /* "FILE:LINE" */
    /* What the run saw; updated by workers. */
    atomic_size_t ran;          /* cases it names that ran, in its version range */
    atomic_size_t matched;      /* findings it matched */
    atomic_size_t out_of_range; /* cases it names, run against a version outside its range */
} cf_ledger_entry;

typedef struct cf_ledger {
    cf_ledger_entry **entries;
    size_t n;
    char **files; /* in load order */
    size_t nfiles;
} cf_ledger;

/* Appends the entries of the ledger file at path to l, after validating the
 * whole file (located errors with hints). A path loaded before is ignored. */
int cf_ledger_load(cf_ledger *l, const char *path, cf_error **err);
void cf_ledger_clear(cf_ledger *l);

/* Marks the findings of res (a final result of case_id in the suite
 * suite_file / suite_name, run against a target with versions v) that
 * entries match. Thread-safe; skipped cases are left alone. Sets
 * res->outcome to CF_OUTCOME_KNOWN when every finding is known. */
void cf_ledger_apply(cf_ledger *l, const char *suite_file, const char *suite_name,
                     const char *case_id, const cf_kvlist *v, cf_case_result *res);

/* Would cf_ledger_apply judge every finding of res known (so that its
 * outcome becomes CF_OUTCOME_KNOWN)? 0 for a result without findings or a
 * skipped one. Records nothing (no entry counts as ran or matched), so it
 * may be asked about any attempt of a case (--rerun skips a rerun that
 * could only end known) and leaves the verdicts to cf_ledger_apply.
 * Thread-safe. */
int cf_ledger_all_known(const cf_ledger *l, const char *suite_file, const char *suite_name,
                        const char *case_id, const cf_kvlist *v, const cf_case_result *res);

typedef struct cf_ledger_verdict {
    size_t used, fixed, expired, unused;
    int failed; /* the ledger fails the run */
} cf_ledger_verdict;

/* After the run: one suite per ledger file appended to r, one case per entry
 * (used: pass; fixed or expired: failure; unused: skipped; fixed with
 * fixed_warn: skipped), and one line per problem on warn_out. today is
 * YYYY-MM-DD (UTC), or NULL for today. */
int cf_ledger_conclude(cf_ledger *l, cf_report *r, int fixed_warn, const char *today,
                       FILE *warn_out, cf_ledger_verdict *out, cf_error **err);

#endif
