/*
 * toy.c - a fourth, made-up API that shows (and tests) how an API plugs in:
 * this file plus one line in apis.c, nothing else (core/api.h).
 *
 *   GET  /toy/v1/counter        {"count": N}   the number of POSTs so far
 *   POST /toy/v1/counter        {"count": N}   adds one; 415 unless JSON
 *   anything else under /toy/   404 {"error": "not found"}
 *
 * Its state is its own: a counter behind its own lock.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/api.h"

#define TOY_PREFIX "/toy/"
#define TOY_COUNTER "/toy/v1/counter"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static bool owns(const char *url)
{
    return strncmp(url, TOY_PREFIX, strlen(TOY_PREFIX)) == 0;
}

static void reply_count(http_request *req, http_reply *reply, unsigned status, long n)
{
    cJSON *out = cJSON_CreateObject();
    if (!out || !cJSON_AddNumberToObject(out, "count", (double)n)) {
        cJSON_Delete(out);
        http_reply_oom(reply);
        return;
    }
    http_reply_json(reply, req->cfg, RS_OP_NONE, status, CT_JSON, out);
}

static void handle(http_request *req, http_reply *reply)
{
    if (strcmp(req->url, TOY_COUNTER) != 0) {
        http_reply_static(reply, 404, CT_JSON, "{\"error\":\"not found\"}");
        return;
    }
    if (http_method_is(req, MHD_HTTP_METHOD_GET)) {
        pthread_mutex_lock(&lock);
        long n = counter;
        pthread_mutex_unlock(&lock);
        reply_count(req, reply, 200, n);
        return;
    }
    if (!http_method_is(req, MHD_HTTP_METHOD_POST)) {
        http_reply_static(reply, 405, CT_JSON, "{\"error\":\"method not allowed\"}");
        reply->allow = "GET, POST";
        return;
    }
    const char *ct = http_header(req, "Content-Type");
    if (!ct || strncmp(ct, CT_JSON, strlen(CT_JSON)) != 0) {
        http_reply_static(reply, 415, CT_JSON, "{\"error\":\"JSON only\"}");
        return;
    }
    pthread_mutex_lock(&lock);
    long n = ++counter;
    pthread_mutex_unlock(&lock);
    reply_count(req, reply, 201, n);
}

const rs_api rs_api_toy = {"toy counter", owns, handle, NULL, false};
