/*
 * known.h - what `conform run` does around the engine for known-deviation
 * ledgers (runner/ledger/ledger.h) and target versions (suite/version.h):
 * the ledgers are loaded and validated before anything is sent, each
 * target's version_from is read before the first case, the ledger judges
 * every case on the workers and its verdicts are reported as suites after
 * the run's own (engine/run.h, conclude).
 */
#ifndef CONFORM_CLI_KNOWN_H
#define CONFORM_CLI_KNOWN_H

#include <stdio.h>

#include "engine/run.h"
#include "ledger/ledger.h"
#include "suite/config.h"
#include "suite/suite.h"

typedef struct cf_known {
    cf_ledger ledger;
    int fixed_warn;       /* --known-fixed=warn */
    FILE *warn;           /* one line per fixed, expired or unused entry */
    int shard_k, shard_n; /* --shard: the verdict suites are named per shard */
} cf_known;

/* Loads the ledgers of files[0..n) (--known) and those the targets of the
 * selected cases name (config `known:`); on success hooks the ledger into
 * *ro. 0, or CF_EXIT_USAGE after printing the located error. */
int cf_known_load(cf_known *k, char *const *files, size_t n, const cf_config *cfg,
                  cf_suite *const *suites, size_t nsuites, cf_run_opts *ro);

/* Reads the version of every target with version_from that a selected case
 * uses (engine/probe.h) and says what it found on out (NULL: nothing). */
void cf_known_probe(const cf_config *cfg, cf_suite *const *suites, size_t nsuites,
                    const cf_run_opts *ro, FILE *out);

void cf_known_clear(cf_known *k);

#endif
