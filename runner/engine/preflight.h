/*
 * preflight.h - what is checked after loading and before the first request.
 *
 * A mistake found after requests went out (to a real deployment: real chats
 * opened) costs more than one found before: everything that can be checked
 * up front is, and a run with any problem exits 2 with nothing sent. The
 * loader (suite.h) already checks suites and config; this adds, for the
 * targets the selected cases use (and only those):
 *   - every ${NAME} of the target's config resolved (config.h defers it);
 *   - a base URL set.
 * (TLS files are checked by the config loader, for every target.)
 * Report paths are checked by each report's sink when the run begins
 * (report/output.h: cf_output_preflight), also before anything is sent.
 * Ledgers and versions (runner/ledger/) are checked by their own loader.
 */
#ifndef CONFORM_PREFLIGHT_H
#define CONFORM_PREFLIGHT_H

#include <stdio.h>

#include "engine/run.h"

/* Prints one located line per problem to errout; returns how many. */
size_t cf_preflight_targets(cf_suite *const *suites, size_t n, const cf_run_opts *opts,
                            const char *config_path, FILE *errout);

/* Is target t used by a case that opts selects? */
int cf_preflight_target_used(cf_suite *const *suites, size_t n, const cf_run_opts *opts,
                             const cf_target *t);

#endif
