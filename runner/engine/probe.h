/*
 * probe.h - what conform asks a target before the first case: its version
 * (config `version_from`, suite/config.h).
 */
#ifndef CONFORM_PROBE_H
#define CONFORM_PROBE_H

#include "suite/config.h"

/* GETs t->version_path from t->base_url (the target's headers, TLS and
 * transport settings apply, as for its cases) and takes the string at
 * t->version_pointer as the version of t->version_component.
 *   0   done (or the target has no version_from);
 *   -1  the server answered without a version (status not 2XX, not JSON, no
 *       string or no version at the pointer): t->version_error says why, and
 *       the cases with since/until become errors (engine/run.c);
 *   -2  the server could not be reached (connect, TLS, timeout): a warning
 *       on stderr and no version; the cases run ungated, since their own
 *       requests meet and report the same transport error. */
int cf_probe_version(cf_target *t, long timeout_ms, size_t max_body);

#endif
