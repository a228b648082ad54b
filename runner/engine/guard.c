/*
 * guard.c - injection and credential rules for outgoing requests (guard.h).
 */
#include "engine/guard.h"

#include <curl/curl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/secrets.h"
#include "base/util.h"
#include "suite/template.h"

/* The name of the first byte HTTP framing forbids in s, or NULL. */
static const char *bad_byte(const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\r')
            return "a carriage return (CR, \\r)";
        if (*s == '\n')
            return "a line feed (LF, \\n)";
    }
    return NULL;
}

typedef struct culprit {
    const cf_guard_vars *v;
    const char *var; /* the first variable whose value holds a bad byte */
    char name[128];
} culprit;

static int find_culprit(void *ud, const char *name, size_t offset)
{
    culprit *c = ud;
    (void)offset;
    const char *value = c->v->lookup(c->v->ctx, name);
    if (!bad_byte(value))
        return 0;
    snprintf(c->name, sizeof c->name, "%s", name);
    c->var = c->name;
    return 1;
}

/* "the value of {{token}} (captured by step 'login' from /token)", or where
 * the text itself came from when no variable brought the byte. */
static char *source_of(const char *tmpl, const char *literal_origin, const cf_guard_vars *v)
{
    culprit c = {v, NULL, ""};
    if (tmpl && v && v->lookup)
        cf_template_each(tmpl, find_culprit, &c);
    if (!c.var)
        return cf_strdup(literal_origin);
    const char *origin = v->origin ? v->origin(v->ctx, c.var) : NULL;
    return cf_asprintf("the value of {{%s}} (%s)", c.var,
                       origin ? origin : "a suite or config variable");
}

static int refuse(char **why, const char *part, const char *what, char *source)
{
    *why = cf_asprintf("%s holds %s, from %s: the request was not sent (a line break in a "
                       "request line or header would let the server under test inject headers "
                       "or split the request)",
                       part, what, source);
    free(source);
    return -1;
}

static const cJSON *header_template(const cJSON *tmpls, const char *name)
{
    for (const cJSON *c = tmpls ? tmpls->child : NULL; c; c = c->next)
        if (c->string && !strcasecmp(c->string, name) && cJSON_IsString(c))
            return c;
    return NULL;
}

static int check_headers(char **why, const cf_guard_request *r, const cf_guard_vars *v)
{
    for (size_t i = 0; r->headers && i < r->headers->count; i++) {
        const cf_kv *kv = &r->headers->items[i];
        const char *what = bad_byte(kv->name);
        if (what || strchr(kv->name, ':')) {
            char *part = cf_asprintf("the name of header '%s'", kv->name);
            int rc = refuse(why, part, what ? what : "a colon", cf_strdup("the suite"));
            free(part);
            return rc;
        }
        if (!(what = bad_byte(kv->value)))
            continue;
        const cJSON *tmpl = header_template(r->header_templates, kv->name);
        char *literal = tmpl ? cf_strdup("the suite's text")
                             : cf_asprintf("the headers of target '%s' in the config",
                                           r->target && r->target->name ? r->target->name : "?");
        char *source = source_of(tmpl ? tmpl->valuestring : NULL, literal, v);
        free(literal);
        char *part = cf_asprintf("header %s", kv->name);
        int rc = refuse(why, part, what, source);
        free(part);
        return rc;
    }
    return 0;
}

int cf_guard_injection(char **why, const cf_guard_request *r, const cf_guard_vars *v)
{
    *why = NULL;
    const char *what;
    if ((what = bad_byte(r->method)) || (r->method && strchr(r->method, ' ')))
        return refuse(why, "the method", what ? what : "a space", cf_strdup("the suite"));
    if ((what = bad_byte(r->url))) {
        char *source = source_of(r->url_template, "the base URL or the path", v);
        return refuse(why, "the URL", what, source);
    }
    return check_headers(why, r, v);
}

static void lowercase(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* The host of url, lowercase; NULL when it does not parse. */
static char *host_of(const char *url, long *port)
{
    CURLU *u = curl_url();
    char *host = NULL, *portstr = NULL, *out = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        out = cf_strdup(host);
        lowercase(out);
        *port = curl_url_get(u, CURLUPART_PORT, &portstr, CURLU_DEFAULT_PORT) == CURLUE_OK
                    ? strtol(portstr, NULL, 10)
                    : 0;
    }
    curl_free(host);
    curl_free(portstr);
    curl_url_cleanup(u);
    return out;
}

/* Is url the target's base URL followed by a path (or nothing)? Its host is
 * then the base URL's, whatever a URL parser makes of either: the host ends
 * at the first '/', '?' or '#' after "//", and url repeats base_url up to
 * there. This spares parsing two URLs on every request to the target. */
static int under_base_url(const cf_target *t, const char *url)
{
    const char *b = t ? t->base_url : NULL;
    const char *auth = b ? strstr(b, "://") : NULL;
    if (!auth || !auth[3] || strchr("/?#", auth[3]))
        return 0;
    size_t n = strlen(b);
    while (n && b[n - 1] == '/')
        n--;
    return !strncmp(url, b, n) && (url[n] == '/' || url[n] == '\0');
}

int cf_guard_host_trusted(const cf_target *t, const char *url, char **host_out)
{
    if (host_out)
        *host_out = NULL;
    if (under_base_url(t, url))
        return 1;
    long port = 0, base_port = 0;
    char *host = host_of(url, &port);
    char *base = t && t->base_url ? host_of(t->base_url, &base_port) : NULL;
    int ok = host && base && !strcmp(host, base);
    if (host && !ok) {
        char *with_port = cf_asprintf("%s:%ld", host, port);
        for (size_t i = 0; t && !ok && i < t->nallow_hosts; i++) {
            char *pattern = cf_strdup(t->allow_hosts[i]);
            lowercase(pattern); /* hosts are case-insensitive; host is lowercase */
            ok = !fnmatch(pattern, host, 0) || !fnmatch(pattern, with_port, 0);
            free(pattern);
        }
        free(with_port);
    }
    if (host_out && !ok)
        *host_out = host;
    else
        free(host);
    free(base);
    return ok;
}

char *cf_guard_strip_credentials(cf_kvlist *headers, const cf_target *t)
{
    cf_buf names = {0};
    size_t kept = 0;
    for (size_t i = 0; i < headers->count; i++) {
        cf_kv *kv = &headers->items[i];
        int credential = cf_secrets_header_masked(kv->name) || cf_secrets_contains(kv->value) ||
                         (t && cf_kvlist_get_ci_index(&t->headers, kv->name) >= 0);
        if (!credential) {
            headers->items[kept++] = *kv;
            continue;
        }
        cf_buf_printf(&names, "%s%s", names.len ? ", " : "", kv->name);
        free(kv->name);
        free(kv->value);
    }
    headers->count = kept;
    return names.data ? cf_buf_take(&names) : cf_strdup("");
}
