/*
 * config.h - conform.yaml: the targets a run talks to.
 *
 *   targets:
 *     NAME:
 *       base_url: https://chat.example.com
 *       vars: {NAME: scalar, ...}
 *       headers: {Name: value, ...}
 *       timeout_ms: 10000
 *       tls: {verify: true, ca_file: ..., cert_file: ..., key_file: ...}
 *
 * ${NAME} and ${NAME:-default} in any string take values from the
 * environment ($${ writes a literal ${). An unset variable without a default
 * is an error naming it. Every value read from the environment is registered
 * as a secret (secrets.h); defaults written in the file are not secrets.
 */
#ifndef CONFORM_CONFIG_H
#define CONFORM_CONFIG_H

#include <stddef.h>

#include "doc/doc.h"
#include "base/error.h"

typedef struct cf_kv {
    char *name;
    char *value;
} cf_kv;

typedef struct cf_kvlist {
    cf_kv *items;
    size_t count;
} cf_kvlist;

typedef struct cf_tls {
    int verify; /* 1 unless the config says verify: false */
    char *ca_file, *cert_file, *key_file;
} cf_tls;

typedef struct cf_target {
    char *name;
    char *base_url; /* no trailing slash */
    cf_kvlist vars;
    cf_kvlist headers;
    long timeout_ms; /* 0: the run's default */
    cf_tls tls;
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

int cf_kvlist_set(cf_kvlist *l, const char *name, const char *value);
const char *cf_kvlist_get(const cf_kvlist *l, const char *name);
int cf_kvlist_get_ci_index(const cf_kvlist *l, const char *name); /* case-insensitive, -1 */
void cf_kvlist_clear(cf_kvlist *l);

/* Expands ${NAME} / ${NAME:-default} in s (see above). On error returns -1
 * with err located at node of doc. Exposed for tests. */
int cf_config_expand_env(char **out, const char *s, const cf_doc *doc, const cJSON *node,
                         cf_error **err);

#endif
