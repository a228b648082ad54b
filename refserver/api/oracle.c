/*
 * oracle.c - the Oracle B2C Service chat consumer calls conform's suites use:
 * establishSessions (site host, Basic auth), requestEngagement (Bearer JWT)
 * and concludeEngagement (SessionId). Same in both profiles.
 *
 * Every response is application/json;charset=utf-8 and every error body is
 * {}, since the documents give error bodies no properties. int64 members are
 * written as exact integer text (cJSON would print doubles) and the ids the
 * server hands out lie above 2^53, so a client that goes through doubles gets
 * them wrong.
 *
 * JWTs are self-verifying (SipHash under a key drawn at start-up), so issuing
 * one costs no memory; engagements live in state.c until concluded.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api.h"
#include "core/state.h"
#include "core/util.h"

#define ORACLE_ESTABLISH_PATH "/services/rest/crossChannelServices/latest/establishSessions"
#define ORACLE_CONSUMER_PREFIX "/engagement/api/consumer/"

#define CONSUMER_OP_REQUEST "requestEngagement"
#define CONSUMER_OP_CONCLUDE "concludeEngagement"
#define APP_CONTEXT_MAX 40 /* OSvC-CREST-Application-Context: at most 40 characters */

static void reply_empty(http_reply *reply, unsigned status)
{
    http_reply_static(reply, status, CT_JSON_ORACLE, "{}");
}

static void reply_method(http_reply *reply)
{
    reply_empty(reply, 405);
    reply->allow = MHD_HTTP_METHOD_POST;
}

static int add_int64(cJSON *o, const char *name, int64_t v, bool with_string)
{
    char text[24], sname[64];

    snprintf(text, sizeof(text), "%" PRId64, v);
    if (!cJSON_AddRawToObject(o, name, text))
        return -1;
    if (with_string) {
        snprintf(sname, sizeof(sname), "%sString", name);
        if (!cJSON_AddStringToObject(o, sname, text))
            return -1;
    }
    return 0;
}

/* --- tokens --- */

static void token_sign(char out[16], const char *input, size_t len)
{
    uint64_t h = util_siphash(state_token_key(), input, len);
    unsigned char raw[8];
    int i;

    for (i = 0; i < 8; i++)
        raw[i] = (unsigned char)(h >> (8 * i));
    util_base64url(out, raw, sizeof(raw));
}

/* header.payload.signature; the payload names the site and a random subject. */
static char *token_issue(void)
{
    static const char header[] = "{\"alg\":\"SipHash-2-4\",\"typ\":\"JWT\"}";
    char payload[160], sub[17], sig[16];
    char *out;
    size_t hl, pl, n;

    util_random_id(sub, 16, UTIL_ALPHABET_LOWER);
    n = (size_t)snprintf(
        payload, sizeof(payload),
        "{\"iss\":\"conform-refserver\",\"sub\":\"%s\",\"site\":\"%s\",\"iat\":%lld}", sub,
        RS_ORACLE_SITE, (long long)time(NULL));
    hl = 4 * ((sizeof(header) - 1 + 2) / 3);
    pl = 4 * ((n + 2) / 3);
    out = malloc(hl + pl + sizeof(sig) + 3);
    if (out == NULL)
        return NULL;
    hl = util_base64url(out, (const unsigned char *)header, sizeof(header) - 1) - 1;
    out[hl] = '.';
    pl = util_base64url(out + hl + 1, (const unsigned char *)payload, n) - 1;
    token_sign(sig, out, hl + 1 + pl);
    out[hl + 1 + pl] = '.';
    strcpy(out + hl + 1 + pl + 1, sig);
    return out;
}

static bool token_valid(const char *token)
{
    const char *dot = token ? strrchr(token, '.') : NULL;
    char sig[16];

    if (dot == NULL || dot == token || strchr(token, '.') == dot)
        return false;
    token_sign(sig, token, (size_t)(dot - token));
    return util_str_equal(sig, dot + 1);
}

/* --- establishSessions --- */

static bool basic_auth_ok(const http_request *req)
{
    char *pass = NULL;
    char *user = MHD_basic_auth_get_username_password(req->conn, &pass);
    bool ok = util_str_equal(user, RS_ORACLE_USER) && util_str_equal(pass, RS_ORACLE_PASSWORD);

    if (user)
        MHD_free(user);
    if (pass)
        MHD_free(pass);
    return ok;
}

/* The chat host a client should use: the Host header of this request, so it
 * stays right behind a proxy or port forward. HTTP/1.0 requests may omit it. */
static const char *chat_domain(const http_request *req, char *buf, size_t size)
{
    const char *host = http_header(req, MHD_HTTP_HEADER_HOST);
    const union MHD_ConnectionInfo *ci;
    const union MHD_DaemonInfo *di;

    if (host && host[0])
        return host;
    ci = MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_DAEMON);
    di = ci ? MHD_get_daemon_info(ci->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    snprintf(buf, size, "127.0.0.1:%u", di ? (unsigned)di->port : 0u);
    return buf;
}

static void establish_sessions(http_request *req, http_reply *reply)
{
    const char *body, *context, *domain;
    char fallback[32];
    size_t len;
    cJSON *root = NULL, *info = NULL, *out = NULL, *ssr = NULL;
    const cJSON *si;
    char *token = NULL, *ssr_text = NULL;

    if (!http_method_is(req, MHD_HTTP_METHOD_POST)) {
        reply_method(reply);
        return;
    }
    if (!basic_auth_ok(req)) {
        reply_empty(reply, 401);
        reply->www_authenticate = "Basic realm=\"conform-refserver\"";
        return;
    }
    context = http_header(req, "OSvC-CREST-Application-Context");
    body = http_body(req, &len);
    root = util_json_parse(body, len);
    si = cJSON_GetObjectItemCaseSensitive(root, "sessionInformation");
    /* sessionInformation is a string holding a JSON object. */
    if ((context && strlen(context) > APP_CONTEXT_MAX) || !cJSON_IsObject(root) ||
        !cJSON_IsString(si) ||
        !cJSON_IsObject(info = util_json_parse(si->valuestring, strlen(si->valuestring)))) {
        reply_empty(reply, 400);
        goto done;
    }

    domain = chat_domain(req, fallback, sizeof(fallback));
    token = token_issue();
    ssr = cJSON_CreateObject();
    if (token == NULL || ssr == NULL || !cJSON_AddStringToObject(ssr, "domain", domain) ||
        !cJSON_AddStringToObject(ssr, "pool", RS_ORACLE_POOL) ||
        (ssr_text = cJSON_PrintUnformatted(ssr)) == NULL)
        goto oom;
    out = cJSON_CreateObject();
    if (out == NULL || !cJSON_AddStringToObject(out, "jwt", token) ||
        !cJSON_AddStringToObject(out, "channelToken", token) ||
        !cJSON_AddStringToObject(out, "siteName", RS_ORACLE_SITE) ||
        !cJSON_AddStringToObject(out, "sessionServerResponse", ssr_text))
        goto oom;
    http_reply_json(reply, req->cfg, RS_OP_ORACLE_ESTABLISH, 200, CT_JSON_ORACLE, out);
    out = NULL;
    goto done;
oom:
    http_reply_oom(reply);
done:
    cJSON_Delete(out);
    cJSON_Delete(ssr);
    cJSON_Delete(info);
    cJSON_Delete(root);
    free(ssr_text);
    free(token);
}

/* --- consumer operations --- */

/* The request fields every consumer request object has (both optional). */
typedef struct base_request {
    cJSON *root;
    const char *client_request_time; /* NULL: not sent, echoed as null */
    int64_t client_transaction_id;   /* 0 when not sent */
} base_request;

/* Parses the body: empty means {}; otherwise a JSON object whose
 * clientRequestTime is a string (or null) and clientTransactionId an int64
 * (or null). Unknown members are ignored. 0, or -1 (400). */
static int base_parse(base_request *out, const http_request *req)
{
    const char *body;
    size_t len, tlen;
    const cJSON *t, *id;
    const char *tok;

    memset(out, 0, sizeof(*out));
    body = http_body(req, &len);
    if (len == 0)
        return 0;
    out->root = util_json_parse(body, len);
    if (!cJSON_IsObject(out->root))
        return -1;
    t = cJSON_GetObjectItemCaseSensitive(out->root, "clientRequestTime");
    if (t && !cJSON_IsNull(t)) {
        if (!cJSON_IsString(t))
            return -1;
        out->client_request_time = t->valuestring;
    }
    id = cJSON_GetObjectItemCaseSensitive(out->root, "clientTransactionId");
    if (id && !cJSON_IsNull(id)) {
        if (!cJSON_IsNumber(id))
            return -1;
        /* The exact digits: cJSON's double is wrong above 2^53. */
        tok = util_json_member_text(body, len, "clientTransactionId", &tlen);
        if (tok && util_parse_int64(&out->client_transaction_id, tok, tlen) < 0)
            return -1;
        if (tok == NULL) {
            double d = id->valuedouble;
            if (d < -9.2e18 || d > 9.2e18 || d != (double)(int64_t)d)
                return -1;
            out->client_transaction_id = (int64_t)d;
        }
    }
    return 0;
}

/* Appends the seven base response fields, in the order of the example. */
static int add_base(cJSON *o, const http_request *req, const base_request *in, int64_t client_id)
{
    char start[UTIL_TIME_LEN], finish[UTIL_TIME_LEN];
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now);
    util_format_time(start, &req->start);
    util_format_time(finish, &now);
    if ((in->client_request_time
             ? !cJSON_AddStringToObject(o, "clientRequestTime", in->client_request_time)
             : !cJSON_AddNullToObject(o, "clientRequestTime")) ||
        !cJSON_AddStringToObject(o, "serviceStartTime", start) ||
        !cJSON_AddStringToObject(o, "serviceFinishTime", finish) ||
        add_int64(o, "clientId", client_id, true) < 0 ||
        add_int64(o, "clientTransactionId", in->client_transaction_id, true) < 0)
        return -1;
    return 0;
}

/* X-Conform-Simulate: 408|409|500 makes the call answer that status with {}
 * (after every other check passed, without touching the state). Returns the
 * status, 0 when the header is absent, or 400 for any other value. */
static unsigned simulated(const http_request *req)
{
    const char *v = http_header(req, "X-Conform-Simulate");

    if (v == NULL)
        return 0;
    if (strcmp(v, "408") == 0 || strcmp(v, "409") == 0 || strcmp(v, "500") == 0)
        return (unsigned)atoi(v);
    return 400;
}

static void request_engagement(http_request *req, http_reply *reply)
{
    const char *auth = http_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
    base_request in;
    state_engagement e;
    cJSON *out = NULL;
    unsigned sim;

    if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0 || !token_valid(auth + 7)) {
        reply_empty(reply, 403);
        return;
    }
    if (base_parse(&in, req) < 0) {
        reply_empty(reply, 400);
        goto done;
    }
    if ((sim = simulated(req)) != 0) {
        reply_empty(reply, sim);
        goto done;
    }
    if (state_engagement_create(&e) < 0)
        goto oom;
    out = cJSON_CreateObject();
    if (out == NULL || add_int64(out, "engagementId", e.engagement_id, true) < 0 ||
        !cJSON_AddStringToObject(out, "sessionId", e.session_id) ||
        !cJSON_AddStringToObject(out, "resultType", "SUCCESS") ||
        !cJSON_AddStringToObject(out, "cancelledSurveyAuth", "") ||
        add_int64(out, "cancelledSurveyId", 0, true) < 0 ||
        add_base(out, req, &in, e.client_id) < 0)
        goto oom;
    http_reply_json(reply, req->cfg, RS_OP_ORACLE_REQUEST, 200, CT_JSON_ORACLE, out);
    out = NULL;
    goto done;
oom:
    http_reply_oom(reply);
done:
    cJSON_Delete(out);
    cJSON_Delete(in.root);
}

static void conclude_engagement(http_request *req, http_reply *reply)
{
    const char *sid = http_header(req, "SessionId");
    base_request in;
    state_engagement e;
    cJSON *out = NULL;
    unsigned sim;

    if (sid == NULL || state_engagement_take(sid, false, NULL) < 0) {
        reply_empty(reply, 403);
        return;
    }
    if (base_parse(&in, req) < 0) {
        reply_empty(reply, 400);
        goto done;
    }
    if ((sim = simulated(req)) != 0) {
        reply_empty(reply, sim);
        goto done;
    }
    /* A concurrent conclude of the same session may have won the race. */
    if (state_engagement_take(sid, true, &e) < 0) {
        reply_empty(reply, 403);
        goto done;
    }
    out = cJSON_CreateObject();
    if (out == NULL || add_base(out, req, &in, e.client_id) < 0) {
        http_reply_oom(reply);
        goto done;
    }
    http_reply_json(reply, req->cfg, RS_OP_ORACLE_CONCLUDE, 200, CT_JSON_ORACLE, out);
    out = NULL;
done:
    cJSON_Delete(out);
    cJSON_Delete(in.root);
}

/* /engagement/api/consumer/{fqSiteName}/v1/{operation}?pool=P */
static void handle(http_request *req, http_reply *reply)
{
    const char *p, *slash, *op, *pool;
    size_t site_len;

    if (strcmp(req->url, ORACLE_ESTABLISH_PATH) == 0) {
        establish_sessions(req, reply);
        return;
    }
    p = req->url + strlen(ORACLE_CONSUMER_PREFIX);
    slash = strchr(p, '/');
    site_len = slash ? (size_t)(slash - p) : 0;
    if (slash == NULL || site_len != strlen(RS_ORACLE_SITE) ||
        strncmp(p, RS_ORACLE_SITE, site_len) != 0 || strncmp(slash, "/v1/", 4) != 0) {
        reply_empty(reply, 404);
        return;
    }
    op = slash + 4;
    /* postMessage, getMessages, activity, getQueueStats: not implemented. */
    if (strcmp(op, CONSUMER_OP_REQUEST) != 0 && strcmp(op, CONSUMER_OP_CONCLUDE) != 0) {
        reply_empty(reply, 404);
        return;
    }
    if (!http_method_is(req, MHD_HTTP_METHOD_POST)) {
        reply_method(reply);
        return;
    }
    pool = http_query(req, "pool");
    if (pool == NULL || strcmp(pool, RS_ORACLE_POOL) != 0) {
        reply_empty(reply, 400);
        return;
    }
    if (strcmp(op, CONSUMER_OP_REQUEST) == 0)
        request_engagement(req, reply);
    else
        conclude_engagement(req, reply);
}

static bool owns(const char *url)
{
    return strncmp(url, ORACLE_CONSUMER_PREFIX, strlen(ORACLE_CONSUMER_PREFIX)) == 0 ||
           strcmp(url, ORACLE_ESTABLISH_PATH) == 0;
}

static void too_large(const http_request *req, http_reply *reply)
{
    (void)req;
    http_reply_static(reply, 413, CT_JSON_ORACLE, "{}");
}

const rs_api rs_api_oracle = {"Oracle B2C Service Chat", owns, handle, too_large, false};
