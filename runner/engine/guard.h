/*
 * guard.h - what conform will not send on a server's say-so.
 *
 * The server under test is untrusted, and values it returns (captures) flow
 * into later requests. Two rules hold for every request, checked just
 * before it is sent:
 *
 * 1. Injection. The method, the URL and every header name and value must
 *    not hold CR, LF or NUL: a captured "abc\r\nX-Injected: pwned" would
 *    otherwise become a header of its own, or split the request. Such a
 *    request is not sent; the case gets an error finding naming the part,
 *    the variable whose value brought the byte and where that value came
 *    from (the step and pointer or header that captured it, or the suite or
 *    config). Path parameters and query values are percent-encoded and
 *    cannot inject; request bodies are data, not framing. NUL cannot reach a
 *    request through a C string (a captured JSON string is cut at \u0000,
 *    doc/json.h); the check is there for values that are not C strings.
 *
 * 2. Credentials stay home. Credentials go only to the host of the target's
 *    base_url and to hosts matching the target's allow_hosts patterns
 *    (fnmatch(3) globs such as "*.custhelp.com", case-insensitive, matched
 *    against the host and against "host:port"), and to a host the user
 *    chose (a step base_url built only from config vars and --var values,
 *    decided by the engine). A request to any other host (a base_url built
 *    from a captured value, or a suite's literal one) is sent without the target's
 *    configured headers, without Basic auth, and without any header that is
 *    a credential by name (secrets.h's masked headers) or holds a secret; the
 *    transcript notes what was left out and why.
 */
#ifndef CONFORM_GUARD_H
#define CONFORM_GUARD_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "suite/config.h"

/* Where the value of a variable came from, for messages ("captured by step
 * 'login' from /token"); NULL when unknown. */
typedef const char *(*cf_guard_origin)(void *ctx, const char *var);
/* The value of a variable, NULL when undefined (suite/template.h's lookup). */
typedef const char *(*cf_guard_lookup)(void *ctx, const char *var);

typedef struct cf_guard_vars {
    cf_guard_lookup lookup;
    cf_guard_origin origin;
    void *ctx;
} cf_guard_vars;

/* The request parts checked by rule 1, with the text each came from before
 * {{...}} expansion (NULL when it had none), so the message can name the
 * variable. */
typedef struct cf_guard_request {
    const char *method;
    const char *url, *url_template;
    const cf_kvlist *headers;      /* as they will be sent */
    const cJSON *header_templates; /* the step's request.headers before expansion */
    const cf_target *target;       /* its headers come from the config */
} cf_guard_request;

/* Rule 1. 0 when the request may be sent; -1 with *why set (the caller
 * frees it) to a one-line reason. */
int cf_guard_injection(char **why, const cf_guard_request *r, const cf_guard_vars *v);

/* Rule 2: 1 when url's host is the target's own or allowed, 0 when not
 * (also when either URL cannot be parsed). A url that starts with the
 * target's base_url and a '/' is the target's without parsing either.
 * *host gets url's host when it is not trusted, for the caller's message
 * (caller frees; NULL when trusted or unparsable). */
int cf_guard_host_trusted(const cf_target *t, const char *url, char **host);
/* Rule 2: removes from headers the ones that must not leave the target's
 * hosts. Returns a newly allocated ", "-separated list of the names removed
 * ("" when none). */
char *cf_guard_strip_credentials(cf_kvlist *headers, const cf_target *t);

#endif
