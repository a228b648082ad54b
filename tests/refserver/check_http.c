/*
 * check_http.c - see check_http.h.
 */
#include "check_http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int check_port;
int check_failures;

void fail_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    const char *base = strrchr(file, '/');

    check_failures++;
    fprintf(stderr, "FAIL %s:%d: ", base ? base + 1 : file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int grow_append(char **buf, size_t *len, const char *data, size_t n)
{
    char *p = realloc(*buf, *len + n + 1);

    if (p == NULL)
        return -1;
    memcpy(p + *len, data, n);
    *len += n;
    p[*len] = '\0';
    *buf = p;
    return 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *cls)
{
    resp *r = cls;
    return grow_append(&r->body, &r->len, data, size * n) < 0 ? 0 : size * n;
}

/* Keeps only the last response's headers (a 100 Continue comes first). */
static size_t on_header(char *data, size_t size, size_t n, void *cls)
{
    resp *r = cls;

    if (size * n >= 5 && strncmp(data, "HTTP/", 5) == 0)
        r->hlen = 0;
    return grow_append(&r->headers, &r->hlen, data, size * n) < 0 ? 0 : size * n;
}

typedef struct upload {
    const char *data;
    size_t len, pos;
} upload;

static size_t on_read(char *buf, size_t size, size_t n, void *cls)
{
    upload *u = cls;
    size_t k = size * n;

    if (k > u->len - u->pos)
        k = u->len - u->pos;
    if (k > 65536)
        k = 65536;
    memcpy(buf, u->data + u->pos, k);
    u->pos += k;
    return k;
}

int http_do(resp *out, const req *r)
{
    CURL *c = curl_easy_init();
    struct curl_slist *hdrs = NULL;
    char url[2048];
    upload up;
    size_t i, blen = r->body ? (r->body_len ? r->body_len : strlen(r->body)) : 0;

    memset(out, 0, sizeof(*out));
    out->body = calloc(1, 1);
    out->headers = calloc(1, 1);
    if (c == NULL || out->body == NULL || out->headers == NULL) {
        out->code = CURLE_OUT_OF_MEMORY;
        curl_easy_cleanup(c);
        return -1;
    }
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", check_port, r->path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, r->timeout_ms ? r->timeout_ms : 30000L);
    if (r->http10)
        curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_0);
    hdrs = curl_slist_append(hdrs, "Expect:");
    for (i = 0; i < sizeof(r->headers) / sizeof(r->headers[0]) && r->headers[i]; i++)
        hdrs = curl_slist_append(hdrs, r->headers[i]);
    if (r->body && r->chunked_upload) {
        up.data = r->body;
        up.len = blen;
        up.pos = 0;
        hdrs = curl_slist_append(hdrs, "Transfer-Encoding: chunked");
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(c, CURLOPT_READDATA, &up);
    } else if (r->body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)blen);
    }
    if (r->method)
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r->method);
    if (r->method && strcmp(r->method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (r->userpwd) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERPWD, r->userpwd);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    out->code = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    return out->code == CURLE_OK ? 0 : -1;
}

void resp_free(resp *r)
{
    free(r->body);
    free(r->headers);
    memset(r, 0, sizeof(*r));
}

char *resp_header(const resp *r, const char *name)
{
    const char *p = r->headers;
    size_t n = strlen(name);

    while (p && *p) {
        const char *eol = strstr(p, "\r\n");
        size_t l = eol ? (size_t)(eol - p) : strlen(p);
        if (l > n && p[n] == ':' && strncasecmp(p, name, n) == 0) {
            const char *v = p + n + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            return strndup(v, (size_t)(p + l - v));
        }
        p = eol ? eol + 2 : NULL;
    }
    return NULL;
}

bool resp_header_line(const resp *r, const char *prefix)
{
    const char *p = r->headers;
    size_t n = strlen(prefix);

    while (p && *p) {
        if (strncmp(p, prefix, n) == 0)
            return true;
        p = strstr(p, "\r\n");
        if (p)
            p += 2;
    }
    return false;
}

cJSON *resp_json(const resp *r)
{
    return r->len ? cJSON_ParseWithLength(r->body, r->len) : NULL;
}

const char *raw_member(const resp *r, const char *key, char *buf, size_t size)
{
    char pat[128];
    const char *p, *end;
    size_t n;

    snprintf(pat, sizeof(pat), "\"%s\":", key);
    buf[0] = '\0';
    p = r->body ? strstr(r->body, pat) : NULL;
    if (p == NULL)
        return buf;
    p += strlen(pat);
    p += strspn(p, " \t\r\n");
    end = p + strcspn(p, ",} \t\r\n");
    n = (size_t)(end - p);
    if (n >= size)
        n = size - 1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

static void show(const resp *r)
{
    fprintf(stderr, "     got: curl=%d (%s) status=%ld body(%zu)=%.300s\n", (int)r->code,
            curl_easy_strerror(r->code), r->status, r->len, r->body ? r->body : "");
}

bool expect_status_at(const char *file, int line, const resp *r, long status)
{
    if (r->code == CURLE_OK && r->status == status)
        return true;
    fail_at(file, line, "expected status %ld", status);
    show(r);
    return false;
}

bool expect_body_at(const char *file, int line, const resp *r, const char *body)
{
    if (r->len == strlen(body) && memcmp(r->body, body, r->len) == 0)
        return true;
    fail_at(file, line, "expected body %s", body);
    show(r);
    return false;
}

bool expect_header_at(const char *file, int line, const resp *r, const char *name,
                      const char *value)
{
    char *got = resp_header(r, name);
    bool ok = value ? (got && strcmp(got, value) == 0) : got == NULL;

    if (!ok)
        fail_at(file, line, "header %s: expected %s, got %s", name, value ? value : "(absent)",
                got ? got : "(absent)");
    free(got);
    return ok;
}

bool expect_code_at(const char *file, int line, const resp *r, CURLcode code)
{
    if (r->code == code)
        return true;
    fail_at(file, line, "expected transport result %d (%s)", (int)code, curl_easy_strerror(code));
    show(r);
    return false;
}

const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

bool jtrue(const cJSON *o, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}
