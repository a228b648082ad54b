/*
 * http.h - the glue between libmicrohttpd and the API handlers.
 *
 * A request's body is accumulated across MHD's upload calls (capped at
 * RS_BODY_LIMIT, beyond which the client gets 413) and handed to the handler
 * NUL-terminated. A handler fills one http_reply and never talks to MHD
 * itself; http.c then applies the fault effects of the reply's operation and
 * queues the response. Handlers must always leave a valid reply behind, even
 * when memory runs out (http_reply_oom()).
 */
#ifndef REFSERVER_HTTP_H
#define REFSERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "core/refserver.h"

/* Media types as each vendor writes them on the wire. */
#define CT_JSON "application/json"
#define CT_JSON_EXPRESS "application/json; charset=utf-8" /* Express res.send(object) */
#define CT_JSON_ORACLE "application/json;charset=utf-8"   /* the Oracle example header */
#define CT_TEXT "text/plain; charset=utf-8"
#define CT_HTML "text/html; charset=utf-8"

typedef struct http_request {
    struct MHD_Connection *conn;
    const rs_config *cfg;
    const char *method; /* borrowed from MHD for the request's lifetime */
    const char *url;    /* path only, percent-decoded by MHD */
    char *body;         /* NUL-terminated; NULL while empty */
    size_t len, cap;
    bool too_large;
    struct timespec start; /* when the headers were complete: serviceStartTime */
} http_request;

typedef struct http_reply {
    unsigned status;
    const char *content_type; /* static string; NULL sends no Content-Type */
    char *body;
    size_t len;
    bool owned;        /* body is malloc'd and freed by MHD */
    const char *allow; /* Allow header value for 405, or NULL */
    const char *www_authenticate;
    rs_op fault_op; /* the operation whose fault effects apply, or RS_OP_NONE */
    bool rl;        /* send X-RateLimit-Limit/-Remaining/-Reset (ratelimit.h) */
    unsigned rl_limit, rl_remaining;
    long long rl_reset_ms;
} http_reply;

/* The body (never NULL: "" when empty) and its length. */
const char *http_body(const http_request *req, size_t *len);
const char *http_header(const http_request *req, const char *name);
const char *http_query(const http_request *req, const char *name);
bool http_method_is(const http_request *req, const char *method);

void http_reply_static(http_reply *r, unsigned status, const char *content_type, const char *body);
/* Serializes tree (consumed) as the reply; faults of op apply when status is
 * 200. On OOM the reply becomes a 500 and -1 is returned. */
int http_reply_json(http_reply *r, const rs_config *cfg, rs_op op, unsigned status,
                    const char *content_type, cJSON *tree);
void http_reply_oom(http_reply *r);

/* Starts the daemon on 127.0.0.1:cfg->port and stores the bound port in
 * *port. 0, or -1 with a message on stderr. */
int http_start(struct MHD_Daemon **out, const rs_config *cfg, int *port);

#endif
