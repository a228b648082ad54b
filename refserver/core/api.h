/*
 * api.h - how an API plugs into the reference server.
 *
 * Each vendor API is one file in refserver/api/ that defines one rs_api and
 * one line in the table of api/apis.c. The router (core/http.c) asks each
 * API in table order whether a request path is its own, then lets it answer;
 * core/ never names an API. An API keeps whatever state it needs in its own
 * file (behind its own lock: handlers run on MHD's thread pool).
 */
#ifndef REFSERVER_API_H
#define REFSERVER_API_H

#include <stdbool.h>

#include "core/http.h"

typedef struct rs_api {
    const char *name; /* for messages and docs/REFSERVER.md */
    /* Is url (path only, percent-decoded) one of this API's? */
    bool (*owns)(const char *url);
    /* Fills reply for req; must always leave a valid reply (http.h). */
    void (*handle)(http_request *req, http_reply *reply);
    /* Fills reply with the API's own 413 answer for a body over
     * RS_BODY_LIMIT, or NULL for the server's plain-text one. */
    void (*too_large)(const http_request *req, http_reply *reply);
    /* Its routes fall under --rate-limit (core/ratelimit.h): Rocket.Chat
     * limits every /api/v1 route, not the apps' or other vendors' routes. */
    bool rate_limited;
} rs_api;

/* The table (api/apis.c), NULL-terminated, in routing order. */
extern const rs_api *const rs_apis[];

#endif
