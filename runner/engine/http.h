/*
 * http.h - one HTTP exchange through libcurl.
 *
 * A cf_http is one worker's client: one curl easy handle whose connection
 * cache keeps connections to each target alive between requests. It is used
 * by one thread at a time.
 *
 * Proxies: the target's transport.proxy / noproxy when set, else libcurl's
 * usual environment variables (http_proxy for http:, HTTPS_PROXY or
 * https_proxy for https:, then ALL_PROXY/all_proxy; NO_PROXY/no_proxy).
 * conform picks the proxy itself and hands libcurl the result, so that
 * every transport failure can name the proxy that was used.
 */
#ifndef CONFORM_HTTP_H
#define CONFORM_HTTP_H

#include <stddef.h>

#include "base/util.h"
#include "suite/config.h"

typedef struct cf_http cf_http;

typedef struct cf_http_request {
    const char *method;
    const char *url;
    const cf_kvlist *headers;
    const char *body; /* may be NULL */
    size_t body_len;
    const char *user, *password; /* Basic auth, or NULL */
    long timeout_ms;
    const cf_tls *tls;
    const cf_transport *transport; /* may be NULL */
    size_t max_body; /* responses larger than this are cut off: error body-too-large */
} cf_http_request;

typedef struct cf_http_response {
    int status;
    cf_kvlist headers; /* in arrival order, names as sent */
    char *body;        /* NUL-terminated for convenience; may hold NULs */
    size_t body_len;
    double seconds; /* total time of the exchange */
} cf_http_response;

/* A transport failure: type is one of connect, timeout, tls, body-too-large,
 * header-too-large (a header line beyond CURL_MAX_HTTP_HEADER), http
 * (protocol), internal; message is one line, at most 511 bytes (cut with
 * "...", a secret split by the cut masked). */
typedef struct cf_http_failure {
    const char *type;
    char message[512];
} cf_http_failure;

int cf_http_global_init(void);
int cf_http_new(cf_http **out);
void cf_http_free(cf_http *h);

/* 0 with resp filled (any status), or -1 with fail filled. resp is cleared
 * first and must be released with cf_http_response_clear either way. */
int cf_http_send(cf_http *h, const cf_http_request *req, cf_http_response *resp,
                 cf_http_failure *fail);
void cf_http_response_clear(cf_http_response *resp);
/* The first header of that name (case-insensitive), or NULL. */
const char *cf_http_header(const cf_http_response *resp, const char *name);

/* The proxy a request to url goes through under tr (see above), without
 * user:password, or NULL for none; caller frees. */
char *cf_http_proxy_for(const char *url, const cf_transport *tr);

/* Percent-encodes s for a path segment or a query component. */
char *cf_http_escape(const char *s);
/* Appends s percent-encoded to b (s NULL: nothing). */
void cf_http_escape_to(cf_buf *b, const char *s);

#endif
