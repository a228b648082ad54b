#include "suite/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/secrets.h"
#include "doc/shape.h"
#include "suite/version.h"
#include "base/util.h"
#include "doc/yamldoc.h"

static int is_name_char(char c, int first)
{
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (!first && c >= '0' && c <= '9');
}

int cf_config_expand_env(char **out, const char *s, const cf_doc *doc, const cJSON *node,
                         cf_error **err)
{
    cf_buf b = {0};
    *out = NULL;
    const char *p = s;
    while (*p) {
        if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
            cf_buf_puts(&b, "${");
            p += 3;
            continue;
        }
        if (!(p[0] == '$' && p[1] == '{')) {
            cf_buf_append(&b, p, 1);
            p++;
            continue;
        }
        const char *name = p + 2, *q = name;
        while (is_name_char(*q, q == name))
            q++;
        const char *def = NULL;
        size_t deflen = 0;
        if (q > name && q[0] == ':' && q[1] == '-') {
            def = q + 2;
            const char *end = strchr(def, '}');
            if (end) {
                deflen = (size_t)(end - def);
                q = end;
            } else {
                q = def + strlen(def);
            }
        }
        if (q == name || *q != '}') {
            cf_buf_free(&b);
            return cf_shape_error(doc, node, 0, err,
                                  "write ${NAME} or ${NAME:-default}; $${ writes a literal ${",
                                  "malformed environment reference in '%s'", s);
        }
        char *var = cf_strndup(name, (size_t)(strchr(name, def ? ':' : '}') - name));
        const char *val = var ? getenv(var) : NULL;
        if (val) {
            /* Environment values are credentials more often than not. */
            cf_secrets_add(val);
            cf_buf_puts(&b, val);
        } else if (def) {
            cf_buf_append(&b, def, deflen);
        } else {
            char *hint = cf_asprintf("export %s, or write ${%s:-default}", var, var);
            cf_shape_error(doc, node, 0, err, hint, "environment variable %s is not set", var);
            free(hint);
            free(var);
            cf_buf_free(&b);
            return -1;
        }
        free(var);
        p = q + 1;
    }
    *out = cf_buf_take(&b);
    return 0;
}

/* The target being loaded: an unset ${NAME} in its values is kept in its
 * env_error instead of failing the load (the value becomes ""). Config files
 * are loaded on the main thread before any worker starts. */
static cf_target *loading;

static int is_unset_env(const cf_error *e)
{
    const char *m = e ? e->message : NULL;
    return m && strstr(m, "environment variable ") && strstr(m, " is not set");
}

/* A scalar config value as an expanded string. */
static int config_string(char **out, const cf_doc *doc, const cJSON *node, cf_error **err)
{
    if (loading) {
        cf_error *e = NULL;
        cf_target *t = loading;
        loading = NULL;
        int rc = config_string(out, doc, node, &e);
        loading = t;
        if (rc == 0 || !is_unset_env(e)) {
            if (rc < 0 && err && !*err)
                *err = e;
            else
                cf_error_free(e);
            return rc;
        }
        if (!t->env_error)
            t->env_error = e;
        else
            cf_error_free(e);
        *out = cf_strdup("");
        return 0;
    }
    *out = NULL;
    char *text = cf_shape_scalar_text(doc, node);
    if (!text)
        return cf_shape_error(doc, node, 0, err, NULL, "'%s' must be a string, got %s",
                              node->string ? node->string : "value", cf_shape_type_name(node));
    int rc = cJSON_IsString(node) ? cf_config_expand_env(out, text, doc, node, err) : 0;
    if (!cJSON_IsString(node)) {
        *out = text;
        text = NULL;
    }
    free(text);
    return rc;
}

static int load_map(cf_kvlist *l, const cf_doc *doc, const cJSON *map, cf_error **err)
{
    if (cf_shape_expect(doc, map, cJSON_Object, "mapping", err) < 0)
        return -1;
    for (const cJSON *c = map->child; c; c = c->next) {
        char *v = NULL;
        if (config_string(&v, doc, c, err) < 0)
            return -1;
        cf_kvlist_set(l, c->string, v);
        free(v);
    }
    return 0;
}

static void target_clear(cf_target *t)
{
    free(t->name);
    free(t->base_url);
    cf_kvlist_clear(&t->vars);
    cf_kvlist_clear(&t->headers);
    for (size_t i = 0; i < t->nallow_hosts; i++)
        free(t->allow_hosts[i]);
    free(t->allow_hosts);
    free(t->tls.ca_file);
    free(t->tls.cert_file);
    free(t->tls.key_file);
    free(t->tls.key_password);
    free(t->transport.proxy);
    free(t->transport.noproxy);
    free(t->transport.user_agent);
    cf_error_free(t->env_error);
    cf_kvlist_clear(&t->versions);
    free(t->version_path);
    free(t->version_pointer);
    free(t->version_component);
    free(t->version_error);
    for (size_t i = 0; i < t->nknown; i++)
        free(t->known[i]);
    free(t->known);
}

static char *trim_slash(char *url)
{
    size_t n = url ? strlen(url) : 0;
    while (n > 0 && url[n - 1] == '/')
        url[--n] = '\0';
    return url;
}

/* A file the transport reads: relative to the config file's folder, and
 * readable now, so a typo stops the run before anything is sent. */
static int config_file(char **slot, const char *dir, const cf_doc *doc, const cJSON *node,
                       cf_error **err)
{
    char *raw = NULL;
    if (config_string(&raw, doc, node, err) < 0)
        return -1;
    free(*slot);
    *slot = raw[0] == '/' ? raw : cf_path_join(dir, raw);
    if (*slot != raw)
        free(raw);
    if (access(*slot, R_OK) != 0)
        return cf_shape_error(doc, node, 0, err,
                              "a relative name is relative to the config file's folder",
                              "cannot read %s: %s", *slot, strerror(errno));
    return 0;
}

static int load_tls(cf_tls *tls, const char *dir, const cf_doc *doc, const cJSON *node,
                    cf_error **err)
{
    static const char *const keys[] = {"verify",   "ca_file",      "cert_file",
                                       "key_file", "key_password", NULL};
    if (cf_shape_expect(doc, node, cJSON_Object, "mapping", err) < 0 ||
        cf_shape_keys(doc, node, keys, "tls", err) < 0)
        return -1;
    for (const cJSON *c = node->child; c; c = c->next) {
        if (strcmp(c->string, "verify") == 0) {
            if (cf_shape_expect(doc, c, cJSON_True | cJSON_False, "boolean", err) < 0)
                return -1;
            tls->verify = cJSON_IsTrue(c);
            continue;
        }
        if (strcmp(c->string, "key_password") == 0) {
            if (config_string(&tls->key_password, doc, c, err) < 0)
                return -1;
            /* A password is a secret wherever it was written. */
            cf_secrets_add(tls->key_password);
            continue;
        }
        char **slot = strcmp(c->string, "ca_file") == 0     ? &tls->ca_file
                      : strcmp(c->string, "cert_file") == 0 ? &tls->cert_file
                                                            : &tls->key_file;
        if (config_file(slot, dir, doc, c, err) < 0)
            return -1;
    }
    return 0;
}

/* version_from: {path, pointer, component}: where the deployment says its
 * version (read by the CLI before the first case). */
static int load_version_from(cf_target *t, const cf_doc *doc, const cJSON *node, cf_error **err)
{
    static const char *const keys[] = {"path", "pointer", "component", NULL};
    if (cf_shape_expect(doc, node, cJSON_Object, "mapping", err) < 0 ||
        cf_shape_keys(doc, node, keys, "version_from", err) < 0)
        return -1;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(node, "path");
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(node, "pointer");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(node, "component");
    if (!p || !cJSON_IsString(p) || p->valuestring[0] != '/')
        return cf_shape_error(doc, p ? p : node, 0, err,
                              "write e.g. version_from: {path: /api/info, pointer: /version}",
                              "version_from needs 'path', a path starting with /");
    if (!q || !cJSON_IsString(q) || (q->valuestring[0] && q->valuestring[0] != '/'))
        return cf_shape_error(doc, q ? q : node, 0, err,
                              "write e.g. version_from: {path: /api/info, pointer: /version}",
                              "version_from needs 'pointer', a JSON Pointer such as /version");
    if (c && !cJSON_IsString(c))
        return cf_shape_expect(doc, c, cJSON_String, "string", err);
    t->version_path = cf_strdup(p->valuestring);
    t->version_pointer = cf_strdup(q->valuestring);
    t->version_component = cf_strdup(c ? c->valuestring : "");
    return 0;
}

/* known: a ledger path or a list of them, relative to the config file. */
static int load_known(cf_target *t, const cf_doc *doc, const cJSON *node, cf_error **err)
{
    const cJSON *one = cJSON_IsString(node) ? node : NULL;
    if (!one && (!cJSON_IsArray(node) || !node->child))
        return cf_shape_error(doc, node, 0, err, "write known: [deviations/FILE.yaml]",
                              "'known' must be a ledger path or a list of them");
    const char *slash = strrchr(doc->name, '/');
    char *dir = slash ? cf_strndup(doc->name, (size_t)(slash - doc->name)) : cf_strdup(".");
    for (const cJSON *c = one ? one : node->child; c; c = one ? NULL : c->next) {
        if (!cJSON_IsString(c)) {
            free(dir);
            return cf_shape_error(doc, c, 0, err, NULL, "'known' entries must be paths");
        }
        t->known = cf_xrealloc(t->known, (t->nknown + 1) * sizeof *t->known);
        t->known[t->nknown++] = cf_path_join(dir, c->valuestring);
    }
    free(dir);
    return 0;
}

/* What judges the target's results: its versions and its ledgers. */
static int load_judging(cf_target *t, const cf_doc *doc, const cJSON *c, cf_error **err)
{
    if (strcmp(c->string, "version") == 0)
        return cf_versions_parse(&t->versions, doc, c, err);
    if (strcmp(c->string, "version_from") == 0)
        return load_version_from(t, doc, c, err);
    return load_known(t, doc, c, err);
}

static int load_ms(long *out, const char *key, const cf_doc *doc, const cJSON *c, cf_error **err)
{
    if (!cJSON_IsNumber(c) || c->valuedouble < 1 || c->valuedouble > 3600000 ||
        c->valuedouble != (double)(long)c->valuedouble)
        return cf_shape_error(doc, c, 0, err, NULL, "'%s' must be an integer from 1 to 3600000",
                              key);
    *out = (long)c->valuedouble;
    return 0;
}

/* rate, max_concurrency (engine/throttle.h). */
static int load_throttle(cf_target *t, const cf_doc *doc, const cJSON *c, cf_error **err)
{
    if (strcmp(c->string, "rate") == 0) {
        if (!cJSON_IsNumber(c) || !(c->valuedouble >= 0) || c->valuedouble > 100000)
            return cf_shape_error(doc, c, 0, err, "0 turns pacing off",
                                  "'rate' must be requests per second from 0 to 100000");
        t->rate = c->valuedouble;
        return 0;
    }
    if (!cJSON_IsNumber(c) || c->valuedouble < 0 || c->valuedouble > 256 ||
        c->valuedouble != (double)(int)c->valuedouble)
        return cf_shape_error(doc, c, 0, err, "0 means no limit",
                              "'max_concurrency' must be an integer from 0 to 256");
    t->max_concurrency = (int)c->valuedouble;
    return 0;
}

/* proxy, noproxy, user_agent, connect_timeout_ms. */
static int load_transport(cf_transport *tr, const cf_doc *doc, const cJSON *c, cf_error **err)
{
    if (strcmp(c->string, "connect_timeout_ms") == 0)
        return load_ms(&tr->connect_timeout_ms, c->string, doc, c, err);
    char **slot = strcmp(c->string, "proxy") == 0     ? &tr->proxy
                  : strcmp(c->string, "noproxy") == 0 ? &tr->noproxy
                                                      : &tr->user_agent;
    free(*slot);
    if (config_string(slot, doc, c, err) < 0)
        return -1;
    if (slot == &tr->proxy && **slot && !strstr(*slot, "://"))
        return cf_shape_error(doc, c, 0, err, "write e.g. http://proxy.example.com:3128",
                              "proxy must be a URL with a scheme, got '%s'", *slot);
    return 0;
}

/* allow_hosts: [PATTERN, ...]: hosts besides base_url's that may receive the
 * target's credentials (engine/guard.h). */
static int load_allow_hosts(cf_target *t, const cf_doc *doc, const cJSON *node, cf_error **err)
{
    if (cf_shape_expect(doc, node, cJSON_Array, "list of host patterns", err) < 0)
        return -1;
    for (const cJSON *c = node->child; c; c = c->next) {
        char *pattern = NULL;
        if (config_string(&pattern, doc, c, err) < 0)
            return -1;
        if (!*pattern || strchr(pattern, '/')) {
            free(pattern);
            return cf_shape_error(doc, c, 0, err,
                                  "write a host such as chat.example.com or *.example.com",
                                  "an allow_hosts entry is a host pattern, not a URL");
        }
        t->allow_hosts =
            cf_xrealloc(t->allow_hosts, (t->nallow_hosts + 1) * sizeof *t->allow_hosts);
        t->allow_hosts[t->nallow_hosts++] = pattern;
    }
    return 0;
}

static int load_target(cf_target *t, const char *dir, const cf_doc *doc, const cJSON *node,
                       cf_error **err)
{
    static const char *const keys[] = {"base_url",    "vars",         "headers",
                                       "timeout_ms",  "tls",          "proxy",
                                       "noproxy",     "user_agent",   "connect_timeout_ms",
                                       "allow_hosts", "rate",         "max_concurrency",
                                       "version",     "version_from", "known",
                                       NULL};
    cf_mark m = cf_doc_key_mark(doc, node);
    t->mark = m;
    t->tls.verify = 1;
    if (cf_shape_expect(doc, node, cJSON_Object, "mapping", err) < 0 ||
        cf_shape_keys(doc, node, keys, "target", err) < 0)
        return -1;
    for (const cJSON *c = node->child; c; c = c->next) {
        if (strcmp(c->string, "base_url") == 0) {
            if (config_string(&t->base_url, doc, c, err) < 0)
                return -1;
            trim_slash(t->base_url);
            if (*t->base_url && strncmp(t->base_url, "http://", 7) &&
                strncmp(t->base_url, "https://", 8))
                return cf_shape_error(doc, c, 0, err, "write e.g. https://chat.example.com",
                                      "base_url must start with http:// or https://");
        } else if (strcmp(c->string, "vars") == 0) {
            if (load_map(&t->vars, doc, c, err) < 0)
                return -1;
        } else if (strcmp(c->string, "headers") == 0) {
            if (load_map(&t->headers, doc, c, err) < 0)
                return -1;
        } else if (strcmp(c->string, "timeout_ms") == 0) {
            if (load_ms(&t->timeout_ms, c->string, doc, c, err) < 0)
                return -1;
        } else if (strcmp(c->string, "tls") == 0) {
            if (load_tls(&t->tls, dir, doc, c, err) < 0)
                return -1;
        } else if (strcmp(c->string, "allow_hosts") == 0) {
            if (load_allow_hosts(t, doc, c, err) < 0)
                return -1;
        } else if (strcmp(c->string, "rate") == 0 || strcmp(c->string, "max_concurrency") == 0) {
            if (load_throttle(t, doc, c, err) < 0)
                return -1;
        } else if (strcmp(c->string, "version") == 0 || strcmp(c->string, "version_from") == 0 ||
                   strcmp(c->string, "known") == 0) {
            if (load_judging(t, doc, c, err) < 0)
                return -1;
        } else if (load_transport(&t->transport, doc, c, err) < 0) {
            return -1;
        }
    }
    return 0;
}

int cf_config_load(cf_config **out, const char *path, int must_exist, cf_error **err)
{
    int rc = -1;
    cf_doc *doc = NULL;
    cf_config *cfg = cf_xcalloc(1, sizeof *cfg);
    *out = NULL;
    struct stat st;
    if (!must_exist && stat(path, &st) != 0 && errno == ENOENT) {
        *out = cfg;
        return 0;
    }
    cfg->path = cf_strdup(path);
    if (cf_yaml_load_file(&doc, path, err) < 0)
        goto done;
    if (!doc->root) {
        cf_error_set(err, path, 0, 0, "start with 'targets:'", "the config file is empty");
        goto done;
    }
    static const char *const keys[] = {"targets", NULL};
    if (cf_shape_expect(doc, doc->root, cJSON_Object, "mapping", err) < 0 ||
        cf_shape_keys(doc, doc->root, keys, "config", err) < 0)
        goto done;
    const cJSON *targets = cJSON_GetObjectItemCaseSensitive(doc->root, "targets");
    if (!targets) {
        cf_shape_error(doc, doc->root, 0, err, "add 'targets: {NAME: {base_url: URL}}'",
                       "the config has no 'targets'");
        goto done;
    }
    if (cf_shape_expect(doc, targets, cJSON_Object, "mapping", err) < 0)
        goto done;
    const char *slash = strrchr(path, '/');
    char *dir = !slash          ? cf_strdup(".")
                : slash == path ? cf_strdup("/")
                                : cf_strndup(path, (size_t)(slash - path));
    for (const cJSON *t = targets->child; t; t = t->next) {
        cf_target *target = cf_config_add_target(cfg, t->string);
        loading = target;
        int bad = load_target(target, dir ? dir : ".", doc, t, err) < 0;
        loading = NULL;
        if (bad) {
            free(dir);
            goto done;
        }
    }
    free(dir);
    *out = cfg;
    cfg = NULL;
    rc = 0;
done:
    cf_doc_free(doc);
    cf_config_free(cfg);
    return rc;
}

void cf_config_free(cf_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->ntargets; i++)
        target_clear(&cfg->targets[i]);
    free(cfg->targets);
    free(cfg->path);
    free(cfg);
}

cf_target *cf_config_target(const cf_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->ntargets; i++)
        if (strcmp(cfg->targets[i].name, name) == 0)
            return &cfg->targets[i];
    return NULL;
}

cf_target *cf_config_add_target(cf_config *cfg, const char *name)
{
    cfg->targets = cf_xrealloc(cfg->targets, (cfg->ntargets + 1) * sizeof *cfg->targets);
    cf_target *t = &cfg->targets[cfg->ntargets++];
    *t = (cf_target){0};
    t->name = cf_strdup(name);
    t->tls.verify = 1;
    t->rate = -1;
    t->max_concurrency = -1;
    return t;
}

int cf_config_set_base_url(cf_config *cfg, const char *name, const char *url)
{
    for (size_t i = 0; i < cfg->ntargets; i++) {
        cf_target *t = &cfg->targets[i];
        if (name && strcmp(t->name, name) != 0)
            continue;
        char *u = trim_slash(cf_strdup(url));
        if (!u)
            return -1;
        free(t->base_url);
        t->base_url = u;
    }
    return 0;
}
