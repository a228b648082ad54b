#include "engine/probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/secrets.h"
#include "base/util.h"
#include "doc/json.h"
#include "doc/jsonptr.h"
#include "engine/http.h"
#include "suite/version.h"

enum { PROBE_TIMEOUT_MS = 10000, PROBE_MAX_BODY = 1 << 20 };

static int probe_fail(cf_target *t, const char *url, const char *why)
{
    char *r = cf_secrets_redact(why);
    free(t->version_error);
    t->version_error = cf_asprintf("target %s: GET %s: %s", t->name, url, r);
    free(r);
    return -1;
}

int cf_probe_version(cf_target *t, long timeout_ms, size_t max_body)
{
    if (!t->version_path || !t->base_url)
        return 0;
    cf_http *h = NULL;
    cf_http_response resp = {0};
    cf_http_failure fail;
    cf_doc *doc = NULL;
    int rc = -1, unreachable = 0;
    char *url = cf_asprintf("%s%s", t->base_url, t->version_path);
    if (cf_http_new(&h) < 0) {
        probe_fail(t, url, "cannot create an HTTP client");
        goto done;
    }
    cf_http_request req = {
        .method = "GET",
        .url = url,
        .headers = &t->headers,
        .timeout_ms = timeout_ms      ? timeout_ms
                      : t->timeout_ms ? t->timeout_ms
                                      : PROBE_TIMEOUT_MS,
        .tls = &t->tls,
        .transport = &t->transport, /* the same proxy, agent and timeouts as the cases */
        .max_body = max_body && max_body < PROBE_MAX_BODY ? max_body : PROBE_MAX_BODY,
    };
    if (cf_http_send(h, &req, &resp, &fail) < 0) {
        /* Unreachable: the cases cannot pass either, and their own requests
         * report the transport error; they are not gated (see probe.h). */
        probe_fail(t, url, fail.message);
        unreachable = 1;
        goto done;
    }
    if (resp.status < 200 || resp.status > 299) {
        char msg[64];
        snprintf(msg, sizeof msg, "status %d, expected 2XX", resp.status);
        probe_fail(t, url, msg);
        goto done;
    }
    cf_error *e = NULL;
    if (cf_json_parse(&doc, resp.body, resp.body_len, "version response", &e) < 0) {
        cf_error_free(e);
        probe_fail(t, url, "the response is not JSON");
        goto done;
    }
    const cJSON *v = cf_jsonptr_get(doc->root, t->version_pointer);
    if (!cJSON_IsString(v) || !cf_version_valid(v->valuestring)) {
        char *msg = cf_asprintf("%s %s", t->version_pointer,
                                !v                  ? "matches nothing in the response"
                                : cJSON_IsString(v) ? "is not a version such as 6.4.0"
                                                    : "is not a string");
        probe_fail(t, url, msg);
        free(msg);
        goto done;
    }
    rc = cf_kvlist_set(&t->versions, t->version_component ? t->version_component : "",
                       v->valuestring);
done:
    if (unreachable) {
        fprintf(stderr, "conform: warning: %s (the version is unknown: cases run ungated)\n",
                t->version_error);
        free(t->version_error);
        t->version_error = NULL;
        rc = -2;
    }
    cf_doc_free(doc);
    cf_http_response_clear(&resp);
    cf_http_free(h);
    free(url);
    return rc;
}
