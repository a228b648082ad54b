#include "engine/http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/secrets.h"
#include "base/util.h"

struct cf_http {
    CURL *curl;
    char errbuf[CURL_ERROR_SIZE];
    const cf_tls *tls; /* the TLS settings the handle is configured for */
    const cf_transport *transport;
    int configured;
    /* The proxy decision for the last origin (scheme://host:port). */
    char *proxy_origin;
    const cf_transport *proxy_transport;
    char *proxy;   /* NULL: none */
    int proxy_set; /* CURLOPT_PROXY holds the decision above */
    /* The header list of the last request, kept while the next one sends
     * the same headers (the usual case: every repetition of a step), and
     * what it was built from: "name\0value\0" per header. */
    struct curl_slist *hdrs;
    cf_buf hdr_key;
    /* The URL and method CURLOPT_URL and CURLOPT_CUSTOMREQUEST hold ("" none). */
    cf_buf url;
    char method[16];
};

typedef struct sink {
    cf_http_response *resp;
    size_t max_body;
    int too_large;
    int attempts;     /* times the request was about to be sent */
    int no_resend;    /* POST, PATCH: never sent twice */
    int headers_done; /* the blank line after the response headers arrived */
    cf_buf body;
} sink;

/* libcurl re-sends a request, whatever its method, when a reused connection
 * closes before any response. A conformance check must not send a POST
 * twice behind the user's back (the first may have changed the server's
 * state), so a second attempt of a non-idempotent request is refused and
 * reported as a transport error. */
static int on_prereq(void *ud, char *conn_primary_ip, char *conn_local_ip, int conn_primary_port,
                     int conn_local_port)
{
    sink *s = ud;
    (void)conn_primary_ip;
    (void)conn_local_ip;
    (void)conn_primary_port;
    (void)conn_local_port;
    s->attempts++;
    return (s->attempts > 1 && s->no_resend) ? CURL_PREREQFUNC_ABORT : CURL_PREREQFUNC_OK;
}

int cf_http_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

int cf_http_new(cf_http **out)
{
    cf_http *h = cf_xcalloc(1, sizeof *h);
    if (!h)
        return -1;
    h->curl = curl_easy_init();
    if (!h->curl) {
        free(h);
        return -1;
    }
    *out = h;
    return 0;
}

void cf_http_free(cf_http *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->curl);
    curl_slist_free_all(h->hdrs);
    cf_buf_free(&h->hdr_key);
    cf_buf_free(&h->url);
    free(h->proxy_origin);
    free(h->proxy);
    free(h);
}

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    sink *s = ud;
    size_t len = size * n;
    if (s->body.len + len > s->max_body) {
        s->too_large = 1;
        return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
    }
    cf_buf_append(&s->body, data, len);
    return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
    sink *s = ud;
    size_t len = size * n;
    /* A new status line (after 100 Continue, say) starts a new header set. */
    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        cf_kvlist_clear(&s->resp->headers);
        s->headers_done = 0;
        return len;
    }
    if (len <= 2 && (data[0] == '\r' || data[0] == '\n')) {
        s->headers_done = 1;
        return len;
    }
    const char *colon = memchr(data, ':', len);
    if (!colon)
        return len;
    char *name = cf_strndup(data, (size_t)(colon - data));
    const char *v = colon + 1, *end = data + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
    char *value = cf_strndup(v, (size_t)(end - v));
    if (name && value) {
        /* Keep duplicates: append rather than set. */
        cf_kv *grown =
            cf_xrealloc(s->resp->headers.items, (s->resp->headers.count + 1) * sizeof *grown);
        if (grown) {
            s->resp->headers.items = grown;
            grown[s->resp->headers.count++] = (cf_kv){name, value};
            return len;
        }
    }
    free(name);
    free(value);
    return 0;
}

/* fail->message is bounded: a longer message is cut, and a secret the cut
 * splits is masked (whole secrets are masked wherever messages are shown). */
static void set_message(cf_http_failure *fail, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_message(cf_http_failure *fail, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *full = cf_vasprintf(fmt, ap);
    va_end(ap);
    size_t n = strlen(full), room = sizeof fail->message - 4; /* "..." and NUL */
    char *shown = cf_secrets_redact_cut(full, n > room ? room : n, 0, n > room);
    snprintf(fail->message, sizeof fail->message, "%s%s", shown, n > room ? "..." : "");
    free(shown);
    free(full);
}

static const char *failure_type(CURLcode rc)
{
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        return "timeout";
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return "connect";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
        return "tls";
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        return "connection";
    default:
        return "http";
    }
}

static const char *failure_hint(CURLcode rc, const cf_tls *tls)
{
    if (rc == CURLE_PEER_FAILED_VERIFICATION)
        return " (hint: --cacert FILE or tls.ca_file names the CA that signed the server's "
               "certificate)";
    if (rc == CURLE_SSL_CERTPROBLEM && tls && tls->key_file && !tls->key_password)
        return " (hint: an encrypted key needs its passphrase in $CONFORM_KEY_PASSWORD or "
               "tls.key_password)";
    return "";
}

/* Options that stay the same from one request to the next are set once per
 * handle, and again only when the TLS settings change (another target):
 * curl_easy_reset() keeps the live connections. */
static void configure(cf_http *h, const cf_tls *tls, const cf_transport *tr)
{
    CURL *c = h->curl;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, on_prereq);
    curl_easy_setopt(c, CURLOPT_USERAGENT,
                     tr && tr->user_agent ? tr->user_agent : "conform/" CONFORM_VERSION);
    if (tr && tr->connect_timeout_ms)
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, tr->connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    /* Decoding is the server's business to get right; we check what it sent. */
    curl_easy_setopt(c, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    if (tls) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, tls->verify ? 1L : 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, tls->verify ? 2L : 0L);
        if (tls->ca_file)
            curl_easy_setopt(c, CURLOPT_CAINFO, tls->ca_file);
        if (tls->cert_file)
            curl_easy_setopt(c, CURLOPT_SSLCERT, tls->cert_file);
        if (tls->key_file)
            curl_easy_setopt(c, CURLOPT_SSLKEY, tls->key_file);
        /* Never NULL: OpenSSL would ask for a passphrase on the terminal. */
        curl_easy_setopt(c, CURLOPT_KEYPASSWD, tls->key_password ? tls->key_password : "");
    }
    /* The proxy is chosen per request (use_proxy); libcurl must not apply
     * no_proxy from the environment a second time. */
    curl_easy_setopt(c, CURLOPT_NOPROXY, "");
    h->proxy_set = 0;
    h->url.len = 0;
    h->method[0] = '\0';
    h->tls = tls;
    h->transport = tr;
    h->configured = 1;
}

static char *env2(const char *a, const char *b)
{
    const char *v = getenv(a);
    if ((!v || !*v) && b)
        v = getenv(b);
    return v && *v ? cf_strdup(v) : NULL;
}

/* Does host (lower case, no brackets) match the no-proxy list? The rules are
 * libcurl's: "*" matches every host; an entry matches the host itself and,
 * with or without a leading dot, every name under it; an IPv4 entry may be
 * a CIDR block (10.0.0.0/8). */
static int noproxy_match(const char *host, const char *list)
{
    size_t hl = strlen(host);
    struct in_addr hip;
    int host_is_ip = inet_pton(AF_INET, host, &hip) == 1;
    const char *p = list;
    while (*p) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ' && *e != '\t')
            e++;
        size_t n = (size_t)(e - p);
        if (n == 1 && *p == '*')
            return 1;
        if (n && (*p == '.' || *p == '[')) { /* ".internal", "[::1]" */
            n -= *p == '[' && p[n - 1] == ']' ? 2 : 1;
            p++;
        }
        char entry[256];
        if (n && n < sizeof entry) {
            for (size_t i = 0; i < n; i++)
                entry[i] = (char)tolower((unsigned char)p[i]);
            entry[n] = '\0';
            char *slash = strchr(entry, '/');
            struct in_addr net;
            if (host_is_ip && slash) {
                *slash = '\0';
                long bits = strtol(slash + 1, NULL, 10);
                uint32_t mask = bits <= 0 ? 0 : bits >= 32 ? 0xffffffffu : ~0u << (32 - bits);
                if (inet_pton(AF_INET, entry, &net) == 1 &&
                    (ntohl(hip.s_addr) & mask) == (ntohl(net.s_addr) & mask))
                    return 1;
            } else if (hl == n
                           ? !strcmp(host, entry)
                           : hl > n && host[hl - n - 1] == '.' && !strcmp(host + hl - n, entry)) {
                return 1;
            }
        }
        p = e;
    }
    return 0;
}

char *cf_http_proxy_for(const char *url, const cf_transport *tr)
{
    char *scheme = NULL, *host = NULL, *proxy = NULL, *noproxy = NULL;
    CURLU *u = curl_url();
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        goto done;
    if (tr && tr->proxy)
        proxy = cf_strdup(tr->proxy);
    else if (!strcmp(scheme, "http"))
        proxy = env2("http_proxy", NULL); /* never HTTP_PROXY: CGI sets it from a header */
    else
        proxy = env2("https_proxy", "HTTPS_PROXY");
    if (!proxy && !(tr && tr->proxy))
        proxy = env2("all_proxy", "ALL_PROXY");
    if (proxy && !*proxy) {
        free(proxy);
        proxy = NULL;
    }
    noproxy = tr && tr->noproxy ? cf_strdup(tr->noproxy) : env2("no_proxy", "NO_PROXY");
    if (proxy && noproxy) {
        char *h = host;
        size_t n = strlen(h);
        if (n > 1 && h[0] == '[' && h[n - 1] == ']') {
            h[n - 1] = '\0';
            h++;
        }
        for (char *q = h; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        if (noproxy_match(h, noproxy)) {
            free(proxy);
            proxy = NULL;
        }
    }
done:
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    free(noproxy);
    return proxy;
}

/* The proxy URL as shown in messages: without user and password. */
static char *proxy_display(const char *proxy)
{
    char *out = NULL, *shown = NULL;
    CURLU *u = curl_url();
    if (u && curl_url_set(u, CURLUPART_URL, proxy, CURLU_DEFAULT_SCHEME) == CURLUE_OK) {
        curl_url_set(u, CURLUPART_USER, NULL, 0);
        curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
        if (curl_url_get(u, CURLUPART_URL, &shown, 0) == CURLUE_OK) {
            size_t n = strlen(shown);
            out = cf_strndup(shown, n && shown[n - 1] == '/' ? n - 1 : n);
        }
        curl_free(shown);
    }
    curl_url_cleanup(u);
    return out ? out : cf_strdup("(a proxy URL conform cannot parse)");
}

/* Sets the request's proxy ("" for none) and returns it, or NULL. The
 * decision is kept per origin: requests of a run go to few origins. */
static const char *use_proxy(cf_http *h, const cf_http_request *req)
{
    const char *url = req->url, *sep = strstr(url, "://");
    const char *end = sep ? strchr(sep + 3, '/') : NULL;
    size_t olen = end ? (size_t)(end - url) : strlen(url);
    if (!h->proxy_origin || h->proxy_transport != req->transport ||
        strlen(h->proxy_origin) != olen || strncmp(h->proxy_origin, url, olen) != 0) {
        free(h->proxy_origin);
        free(h->proxy);
        h->proxy_origin = cf_strndup(url, olen);
        h->proxy_transport = req->transport;
        h->proxy = cf_http_proxy_for(url, req->transport);
        h->proxy_set = 0;
    }
    if (!h->proxy_set)
        curl_easy_setopt(h->curl, CURLOPT_PROXY, h->proxy ? h->proxy : "");
    h->proxy_set = 1;
    return h->proxy;
}

/* Sets every per-request option, so that nothing of the previous request's
 * (a body, credentials, HEAD) carries over. The URL and the method are set
 * only when they differ from what the handle holds (libcurl copies them). */
static void set_request(cf_http *h, const cf_http_request *req, sink *s)
{
    CURL *c = h->curl;
    if (!h->url.data || h->url.len == 0 || strcmp(h->url.data, req->url) != 0) {
        curl_easy_setopt(c, CURLOPT_URL, req->url);
        h->url.len = 0;
        cf_buf_puts(&h->url, req->url);
    }
    curl_easy_setopt(c, CURLOPT_NOBODY, strcmp(req->method, "HEAD") == 0 ? 1L : 0L);
    if (req->body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    if (!h->method[0] || strcmp(h->method, req->method) != 0) {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
        size_t n = strlen(req->method);
        if (n < sizeof h->method)
            memcpy(h->method, req->method, n + 1);
        else
            h->method[0] = '\0'; /* not kept: set again next time */
    }
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms > 0 ? req->timeout_ms : 30000L);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(c, CURLOPT_PREREQDATA, s);
    curl_easy_setopt(c, CURLOPT_USERNAME, req->user);
    curl_easy_setopt(c, CURLOPT_PASSWORD, req->user ? (req->password ? req->password : "") : NULL);
}

/* Does the list h->hdrs was built from equal req's headers? */
static int same_headers(const cf_http *h, const cf_http_request *req)
{
    if (!h->hdrs || !h->hdr_key.data) /* NULL + 0 is undefined (clang's UBSan) */
        return 0;
    const char *k = h->hdr_key.data, *end = k + h->hdr_key.len;
    for (size_t i = 0; req->headers && i < req->headers->count; i++) {
        const cf_kv *kv = &req->headers->items[i];
        if (k >= end || strcmp(k, kv->name) != 0)
            return 0;
        k += strlen(k) + 1;
        if (strcmp(k, kv->value) != 0)
            return 0;
        k += strlen(k) + 1;
    }
    return k == end;
}

/* The request's header lines for libcurl; 0, or -1 when libcurl's own
 * allocation failed (*hdrs then holds what was built, to free). */
static int header_lines(const cf_http_request *req, struct curl_slist **hdrs)
{
    /* No "Expect: 100-continue" round trip: it only adds latency. */
    struct curl_slist *n = curl_slist_append(*hdrs, "Expect:");
    if (!n)
        return -1;
    *hdrs = n;
    for (size_t i = 0; req->headers && i < req->headers->count; i++) {
        const cf_kv *kv = &req->headers->items[i];
        char *line = *kv->value ? cf_asprintf("%s: %s", kv->name, kv->value)
                                : cf_asprintf("%s;", kv->name); /* curl's empty-value form */
        n = curl_slist_append(*hdrs, line);
        free(line);
        if (!n)
            return -1;
        *hdrs = n;
    }
    return 0;
}

/* Says in fail why the exchange failed (res, with what the sink saw). */
static void describe_failure(cf_http_failure *fail, const cf_http_request *req, const sink *s,
                             CURLcode res, const char *via, const char *errbuf)
{
    if (s->attempts > 1 && res == CURLE_ABORTED_BY_CALLBACK) {
        fail->type = "connection";
        set_message(fail,
                    "%s %s%s: the server closed the connection without a response (the "
                    "request was sent; conform does not send a %s twice)",
                    req->method, req->url, via, req->method);
    } else if (s->too_large) {
        fail->type = "body-too-large";
        set_message(fail, "response body larger than %zu bytes (the cap; raise it with --max-body)",
                    s->max_body);
    } else if (res == CURLE_OUT_OF_MEMORY && !s->headers_done) {
        /* libcurl 7.88 reports a header line beyond its fixed limit as
         * "Out of memory"; say what it is. */
        fail->type = "header-too-large";
        set_message(fail,
                    "%s %s: a response header is longer than libcurl accepts (%d bytes per "
                    "header line, CURL_MAX_HTTP_HEADER); the response was not read further",
                    req->method, req->url, CURL_MAX_HTTP_HEADER);
    } else {
        fail->type = failure_type(res);
        set_message(fail, "%s %s%s: %s%s", req->method, req->url, via,
                    errbuf[0] ? errbuf : curl_easy_strerror(res), failure_hint(res, req->tls));
    }
}

int cf_http_send(cf_http *h, const cf_http_request *req, cf_http_response *resp,
                 cf_http_failure *fail)
{
    CURL *c = h->curl;
    struct curl_slist *hdrs = NULL;
    int rc = -1;
    sink s = {.resp = resp,
              .max_body = req->max_body ? req->max_body : (size_t)8 << 20,
              .no_resend = !strcmp(req->method, "POST") || !strcmp(req->method, "PATCH")};
    memset(resp, 0, sizeof *resp);
    fail->type = NULL;
    fail->message[0] = '\0';

    if (!h->configured || h->tls != req->tls || h->transport != req->transport)
        configure(h, req->tls, req->transport);
    const char *proxy = use_proxy(h, req);
    /* Proxies may close an idle client connection without a word (tinyproxy
     * does after every request); a POST on such a connection would be lost
     * and never re-sent (on_prereq). Through a proxy, such requests take a
     * new connection. */
    curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, proxy && s.no_resend ? 1L : 0L);
    char *via = NULL;
    if (proxy) {
        char *shown = proxy_display(proxy);
        via = cf_asprintf(" (via proxy %s)", shown);
        free(shown);
    }
    h->errbuf[0] = '\0';
    set_request(h, req, &s);
    if (!same_headers(h, req)) {
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
        curl_slist_free_all(h->hdrs);
        h->hdrs = NULL;
        h->hdr_key.len = 0;
        if (header_lines(req, &hdrs) < 0) {
            fail->type = "internal";
            snprintf(fail->message, sizeof fail->message, "out of memory");
            curl_slist_free_all(hdrs);
            goto done;
        }
        for (size_t i = 0; req->headers && i < req->headers->count; i++) {
            const cf_kv *kv = &req->headers->items[i];
            cf_buf_append(&h->hdr_key, kv->name, strlen(kv->name) + 1);
            cf_buf_append(&h->hdr_key, kv->value, strlen(kv->value) + 1);
        }
        h->hdrs = hdrs;
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->hdrs);

    CURLcode res = curl_easy_perform(c);
    curl_off_t total_us = 0;
    curl_easy_getinfo(c, CURLINFO_TOTAL_TIME_T, &total_us);
    resp->seconds = (double)total_us / 1e6;
    if (res != CURLE_OK) {
        describe_failure(fail, req, &s, res, via ? via : "", h->errbuf);
        goto done;
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    resp->status = (int)status;
    resp->body_len = s.body.len;
    resp->body = cf_buf_take(&s.body);
    rc = 0;
done:
    free(via);
    cf_buf_free(&s.body);
    return rc;
}

void cf_http_response_clear(cf_http_response *resp)
{
    cf_kvlist_clear(&resp->headers);
    free(resp->body);
    memset(resp, 0, sizeof *resp);
}

const char *cf_http_header(const cf_http_response *resp, const char *name)
{
    int i = cf_kvlist_get_ci_index(&resp->headers, name);
    return i < 0 ? NULL : resp->headers.items[i].value;
}

/* The characters libcurl leaves as they are (RFC 3986 "unreserved"). */
static const char unreserved[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

void cf_http_escape_to(cf_buf *b, const char *s)
{
    if (!s)
        return;
    /* A value made of unreserved characters only (ids, UUIDs, tokens) is
     * its own encoding: no round through libcurl's allocations. */
    if (!s[strspn(s, unreserved)]) {
        cf_buf_puts(b, s);
        return;
    }
    char *e = curl_easy_escape(NULL, s, 0);
    cf_buf_puts(b, e ? e : "");
    curl_free(e);
}

char *cf_http_escape(const char *s)
{
    char *e = curl_easy_escape(NULL, s, 0);
    char *copy = cf_strdup(e);
    curl_free(e);
    return copy;
}
