/*
 * runprops.h - a run's metadata as name/value properties: the one list that
 * the JUnit <properties> and the --summary-md table show, so that a property
 * added here appears in both.
 *
 * From the run's start (cf_run_info):
 *   conform.version      conform's version
 *   target.NAME          each target the selected cases use: its base URL,
 *                        userinfo removed (engine/run.c removes it)
 *   filter, tags         --filter GLOB, --tag values (comma-separated)
 *   shard                --shard K/N
 *   rerun                --rerun N
 *   version, version.C   the versions the targets stated or reported
 *                        (config version / version_from, suite/version.h):
 *                        "version" for an unnamed one, version.COMPONENT
 *                        per component; version.error when version_from
 *                        could not read it (conform diff shows them)
 * From its end (cf_run_end):
 *   flaky                how many cases passed only on a rerun
 *   rate_limit.waits     "N (S s)": waits on servers' rate limits
 * A property is written only when it has a value (no filter: no `filter`).
 * To add one (e.g. the versions each target reported), add a field to
 * cf_run_info or cf_run_end (engine/sink.h) and a line to runprops.c.
 */
#ifndef CONFORM_RUNPROPS_H
#define CONFORM_RUNPROPS_H

#include "engine/result.h"
#include "engine/sink.h"

/* Appends the start properties to r->props (values copied and redacted). */
void cf_run_properties_begin(cf_report *r, const cf_run_info *info);
/* Appends the end properties. */
void cf_run_properties_end(cf_report *r, const cf_run_end *run);
/* cf_report_clear_properties (engine/result.h) frees them. */

#endif
