/*
 * config.h - conform.yaml: the targets a run talks to.
 *
 *   targets:
 *     NAME:
 *       base_url: https://chat.example.com
 *       vars: {NAME: scalar, ...}
 *       headers: {Name: value, ...}
 *       timeout_ms: 10000
 *       connect_timeout_ms: 3000
 *       tls: {verify: true, ca_file: ..., cert_file: ..., key_file: ..., key_password: ...}
 *       rate: 5              # requests per second (0: no limit; throttle.h)
 *       max_concurrency: 2   # requests in flight (0: no limit)
 *       proxy: http://proxy.example.com:3128
 *       noproxy: localhost,.internal
 *       user_agent: my-agent/1.0
 *       allow_hosts: ["*.example.com", ...]   hosts besides base_url's that
 *                                             get credentials (engine/guard.h)
 *
 * The transport keys have the names of curl's options (--cacert, --cert,
 * --key, --insecure, --connect-timeout, --proxy, --noproxy, --user-agent);
 * the command line sets the same values for every target. Relative file
 * names in tls are relative to the config file's folder.
 *       version: 6.4.0                    # or {COMPONENT: VERSION, ...} (suite/version.h)
 *       version_from: {path: /api/info, pointer: /version, component: NAME}
 *       known: [deviations/FILE.yaml]     # known-deviation ledgers (ledger/ledger.h)
 *
 * ${NAME} and ${NAME:-default} in any string take values from the
 * environment ($${ writes a literal ${). An unset variable without a default
 * is an error naming it, reported only when a suite that runs uses the target
 * (cf_target.env_error), so credentials of unused targets need not be set.
 * Every value read from the environment is registered
 * as a secret (secrets.h); defaults written in the file are not secrets.
 */
#ifndef CONFORM_CONFIG_H
#define CONFORM_CONFIG_H

#include <stddef.h>

#include "doc/doc.h"
#include "base/error.h"
#include "base/kvlist.h"

typedef struct cf_tls {
    int verify; /* 1 unless the config says verify: false */
    char *ca_file, *cert_file, *key_file;
    char *key_password; /* a secret; NULL: none */
} cf_tls;

/* How requests reach a target, beyond TLS. */
typedef struct cf_transport {
    char *proxy;             /* NULL: the environment's (http_proxy, ...); "": none */
    char *noproxy;           /* NULL: the environment's no_proxy */
    char *user_agent;        /* NULL: conform/VERSION */
    long connect_timeout_ms; /* 0: libcurl's default (300 s, capped by the timeout) */
} cf_transport;

typedef struct cf_target {
    char *name;
    char *base_url; /* no trailing slash */
    cf_kvlist vars;
    cf_kvlist headers;
    long timeout_ms; /* 0: the run's default */
    cf_tls tls;
    cf_transport transport;
    char **allow_hosts; /* fnmatch patterns (engine/guard.h) */
    size_t nallow_hosts;
    double rate;             /* requests per second; -1: not set (throttle.h default) */
    int max_concurrency;     /* -1: not set */
    cf_error *env_error;     /* the first unset ${NAME} of this target, or NULL */
    cf_kvlist versions;      /* component ("" when unnamed) -> version; filled from
                              * version_from before the first case */
    char *version_path;      /* version_from: GET this path of base_url ... */
    char *version_pointer;   /* ... and take the string at this JSON Pointer ... */
    char *version_component; /* ... as this component's version ("" if not given) */
    char *version_error;     /* why version_from failed, or NULL */
    char **known;            /* ledger paths, relative to the config file's directory resolved */
    size_t nknown;
    cf_mark mark;
} cf_target;

typedef struct cf_config {
    char *path; /* NULL when no file was read */
    cf_target *targets;
    size_t ntargets;
} cf_config;

/* Loads path. With must_exist 0, a missing file gives an empty config. */
int cf_config_load(cf_config **out, const char *path, int must_exist, cf_error **err);
void cf_config_free(cf_config *cfg);

cf_target *cf_config_target(const cf_config *cfg, const char *name);
/* Adds an empty target (for --base-url NAME=URL without a config entry). */
cf_target *cf_config_add_target(cf_config *cfg, const char *name);
/* Overrides base_url of one target (name) or of all (name NULL). */
int cf_config_set_base_url(cf_config *cfg, const char *name, const char *url);

/* Expands ${NAME} / ${NAME:-default} in s (see above). On error returns -1
 * with err located at node of doc. Exposed for tests. */
int cf_config_expand_env(char **out, const char *s, const cf_doc *doc, const cJSON *node,
                         cf_error **err);

#endif
