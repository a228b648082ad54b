/*
 * http.c - see http.h. Owns the MHD daemon, request bodies, routing by path
 * prefix, and the transport side of the fault catalogue.
 */
#include "core/http.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/faults.h"
#include "core/api.h"
#include "core/ratelimit.h"
#include "core/util.h"

const char *http_body(const http_request *req, size_t *len)
{
    *len = req->len;
    return req->body ? req->body : "";
}

const char *http_header(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_query(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

bool http_method_is(const http_request *req, const char *method)
{
    return strcmp(req->method, method) == 0;
}

void http_reply_static(http_reply *r, unsigned status, const char *content_type, const char *body)
{
    r->status = status;
    r->content_type = content_type;
    r->body = (char *)body; /* MHD_RESPMEM_PERSISTENT: never written, never freed */
    r->len = strlen(body);
    r->owned = false;
    r->fault_op = RS_OP_NONE;
}

void http_reply_oom(http_reply *r)
{
    http_reply_static(r, 500, CT_TEXT, "out of memory");
}

int http_reply_json(http_reply *r, const rs_config *cfg, rs_op op, unsigned status,
                    const char *content_type, cJSON *tree)
{
    char *text;

    if (tree == NULL)
        goto oom;
    if (status == 200 && faults_touch(&cfg->faults, op)) {
        size_t len;
        if (faults_render(&cfg->faults, op, tree, &text, &len) < 0)
            goto oom;
        r->len = len;
        r->fault_op = op;
    } else {
        text = cJSON_PrintUnformatted(tree);
        cJSON_Delete(tree);
        if (text == NULL)
            goto oom;
        r->len = strlen(text);
        r->fault_op = RS_OP_NONE;
    }
    r->status = status;
    r->content_type = content_type;
    r->body = text;
    r->owned = true;
    return 0;
oom:
    http_reply_oom(r);
    return -1;
}

/* The API whose path this is, or NULL. */
static const rs_api *api_of(const char *url)
{
    for (size_t i = 0; url && rs_apis[i]; i++)
        if (rs_apis[i]->owns(url))
            return rs_apis[i];
    return NULL;
}

/* 413 in the dialect of the API the request was meant for. */
static void reply_too_large(const http_request *req, http_reply *reply)
{
    const rs_api *api = api_of(req->url);
    if (api && api->too_large)
        api->too_large(req, reply);
    else
        http_reply_static(reply, 413, CT_TEXT, "Payload Too Large");
}

/* --fail-first N: the first N requests of the server's life answer 503, to
 * test clients' reruns. */
static bool fail_first(const http_request *req, http_reply *reply)
{
    static atomic_uint served;
    if (!req->cfg->fail_first || atomic_fetch_add(&served, 1) >= req->cfg->fail_first)
        return false;
    http_reply_static(reply, 503, CT_JSON,
                      "{\"success\":false,\"error\":\"--fail-first: injected failure\"}");
    return true;
}

static void route(http_request *req, http_reply *reply)
{
    const rs_api *api = req->too_large ? NULL : api_of(req->url);
    if (req->too_large)
        reply_too_large(req, reply);
    else if (fail_first(req, reply) || (api && api->rate_limited && ratelimit_check(req, reply)))
        return;
    else if (api)
        api->handle(req, reply);
    else
        http_reply_static(reply, 404, CT_TEXT, "Not Found");
}

/* A body served through MHD's content reader: in small chunks of unknown
 * total size (chunked encoding), or cut off after half of its announced
 * length (reset). */
typedef struct stream {
    char *body;
    size_t len;
    bool owned;
    bool reset;
} stream;

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream *s = cls;
    size_t end = s->reset ? s->len / 2 : s->len, n;

    if (pos >= end)
        return s->reset ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
    n = end - (size_t)pos;
    /* Chunked: several small chunks, so a client must really reassemble. */
    if (!s->reset && n > 16)
        n = 16;
    if (n > max)
        n = max;
    memcpy(buf, s->body + pos, n);
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    stream *s = cls;

    if (s->owned)
        free(s->body);
    free(s);
}

static struct MHD_Response *stream_response(http_reply *r, bool reset)
{
    stream *s = malloc(sizeof(*s));
    struct MHD_Response *resp;

    if (s == NULL)
        return NULL;
    s->body = r->body;
    s->len = r->len;
    s->owned = r->owned;
    s->reset = reset;
    resp = MHD_create_response_from_callback(reset ? (uint64_t)r->len : MHD_SIZE_UNKNOWN, 4096,
                                             stream_read, s, stream_free);
    if (resp == NULL) {
        free(s);
        return NULL;
    }
    r->owned = false; /* the stream owns the body now */
    return resp;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* One line per request, written before the response goes out so that a
 * client that got its answer finds the line already there: "TIME METHOD PATH
 * STATUS" (STATUS "-" when the connection is dropped without a response).
 * One write() on an O_APPEND descriptor keeps lines whole without a lock. */
static void access_log(const rs_config *cfg, const http_request *req, unsigned status)
{
    char line[700], when[UTIL_TIME_LEN];
    const char *method = req->method ? req->method : "-", *url = req->url ? req->url : "-";
    struct timespec now;
    size_t n, i;
    ssize_t w;

    if (cfg->access_log_fd < 0)
        return;
    clock_gettime(CLOCK_REALTIME, &now);
    util_format_time(when, &now);
    n = (size_t)snprintf(line, sizeof(line), "%s %.32s ", when, method);
    /* Control bytes, spaces and non-ASCII (a decoded %0A...) become '?'. */
    for (i = 0; url[i] && n < sizeof(line) - 16; i++) {
        unsigned char c = (unsigned char)url[i];
        line[n++] = (c < 0x21 || c > 0x7e) ? '?' : (char)c;
    }
    if (status)
        n += (size_t)snprintf(line + n, sizeof(line) - n, " %u\n", status);
    else
        n += (size_t)snprintf(line + n, sizeof(line) - n, " -\n");
    w = write(cfg->access_log_fd, line, n);
    (void)w; /* a full disk must not take the server down */
}

static int add_ratelimit_headers(struct MHD_Response *resp, const http_reply *r)
{
    char limit[24], remaining[24], reset[24];
    snprintf(limit, sizeof(limit), "%u", r->rl_limit);
    snprintf(remaining, sizeof(remaining), "%u", r->rl_remaining);
    snprintf(reset, sizeof(reset), "%lld", r->rl_reset_ms);
    return MHD_add_response_header(resp, "X-RateLimit-Limit", limit) == MHD_YES &&
                   MHD_add_response_header(resp, "X-RateLimit-Remaining", remaining) == MHD_YES &&
                   MHD_add_response_header(resp, "X-RateLimit-Reset", reset) == MHD_YES
               ? 0
               : -1;
}

/* Queues the reply, carrying out the fault effects of its operation. The
 * reply's body is released in every path. */
static enum MHD_Result http_send(struct MHD_Connection *conn, const rs_config *cfg,
                                 const http_request *req, http_reply *r)
{
    faults_effects fx;
    struct MHD_Response *resp = NULL;
    const char *ctype = r->content_type, *ctype_name = MHD_HTTP_HEADER_CONTENT_TYPE;
    unsigned status = r->status;
    enum MHD_Result ret = MHD_NO;

    memset(&fx, 0, sizeof(fx));
    if (r->fault_op != RS_OP_NONE) {
        faults_effects_get(&cfg->faults, r->fault_op, &fx);
        if (fx.no_response) {
            access_log(cfg, req, 0);
            goto done; /* MHD_NO: MHD closes the connection, nothing is sent */
        }
        if (fx.delay)
            sleep_ms(cfg->fault_delay_ms);
        if (fx.status)
            status = fx.status;
        if (fx.set_content_type)
            ctype = fx.content_type;
        if (fx.content_type_name)
            ctype_name = fx.content_type_name;
    }

    if (fx.chunked || fx.reset) {
        resp = stream_response(r, fx.reset);
    } else {
        resp = MHD_create_response_from_buffer(
            r->len, r->body, r->owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
        if (resp)
            r->owned = false;
    }
    if (resp == NULL)
        goto done;
    if ((ctype && MHD_add_response_header(resp, ctype_name, ctype) != MHD_YES) ||
        (r->allow && MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow) != MHD_YES) ||
        (r->www_authenticate && MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                                        r->www_authenticate) != MHD_YES) ||
        (fx.connection_close &&
         MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close") != MHD_YES) ||
        (r->rl && add_ratelimit_headers(resp, r) < 0))
        goto done;
    access_log(cfg, req, status);
    ret = MHD_queue_response(conn, status, resp);
done:
    if (resp)
        MHD_destroy_response(resp);
    if (r->owned)
        free(r->body);
    r->owned = false;
    return ret;
}

static int body_append(http_request *req, const char *data, size_t n)
{
    if (req->len + n > RS_BODY_LIMIT)
        return -1;
    if (req->len + n + 1 > req->cap) {
        size_t cap = req->cap ? req->cap : 1024;
        char *p;
        while (cap < req->len + n + 1)
            cap *= 2;
        p = realloc(req->body, cap);
        if (p == NULL)
            return -1;
        req->body = p;
        req->cap = cap;
    }
    memcpy(req->body + req->len, data, n);
    req->len += n;
    req->body[req->len] = '\0';
    return 0;
}

/* MHD calls this once when the headers are in, once per chunk of body, and
 * once more at the end, with the same *con_cls. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    const rs_config *cfg = cls;
    http_request *req = *con_cls;
    http_reply reply;

    memset(&reply, 0, sizeof(reply));
    if (req == NULL) {
        const char *cl;

        req = calloc(1, sizeof(*req));
        if (req == NULL)
            return MHD_NO;
        req->conn = conn;
        req->cfg = cfg;
        req->method = method;
        req->url = url;
        clock_gettime(CLOCK_REALTIME, &req->start);
        *con_cls = req;
        /* Refuse an announced oversized body before reading it: MHD then
         * discards the upload and closes the connection after the 413. */
        cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > RS_BODY_LIMIT) {
            req->too_large = true;
            reply_too_large(req, &reply);
            return http_send(conn, cfg, req, &reply);
        }
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        /* A chunked upload may still grow past the limit: keep reading and
         * dropping it, the 413 goes out once the request is complete. */
        if (!req->too_large && body_append(req, upload_data, *upload_data_size) < 0) {
            req->too_large = true;
            free(req->body);
            req->body = NULL;
            req->len = req->cap = 0;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    req->method = method;
    req->url = url;
    route(req, &reply);
    return http_send(conn, cfg, req, &reply);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    http_request *req = *con_cls;

    if (req == NULL)
        return;
    free(req->body);
    free(req);
    *con_cls = NULL;
}

int http_start(struct MHD_Daemon **out, const rs_config *cfg, int *port)
{
    struct sockaddr_in addr;
    struct rlimit rl;
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD;
    unsigned int limit = 1000;
    const union MHD_DaemonInfo *info;
    struct MHD_Daemon *d;

    /* A delayed answer sleeps in the thread serving it; with a pool, that
     * would stall every other connection of the thread, so slow faults get a
     * thread per connection instead. */
    int per_connection = faults_any_delay(&cfg->faults);
    if (per_connection)
        flags |= MHD_USE_THREAD_PER_CONNECTION;
    else if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
        flags |= MHD_USE_EPOLL;
    else
        flags |= MHD_USE_AUTO;

    /* Benchmarks open many keep-alive connections: use what the fd limit
     * allows, keeping some descriptors for the listen socket and epoll. */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > 128)
        limit = (unsigned int)(rl.rlim_cur - 64 > 100000 ? 100000 : rl.rlim_cur - 64);

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)cfg->port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    d = MHD_start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, on_request, (void *)cfg, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&addr, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_CONNECTION_LIMIT, limit, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
        MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)(cfg->threads > 1 && !per_connection ? cfg->threads : 0), MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "conform-refserver: cannot listen on 127.0.0.1:%d: %s\n", cfg->port,
                errno ? strerror(errno) : "libmicrohttpd refused to start");
        return -1;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    *port = info ? info->port : cfg->port;
    *out = d;
    return 0;
}
