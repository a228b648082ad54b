/*
 * check_http.h - the small HTTP client and assertion kit of refserver-check.
 * Every request uses a fresh libcurl handle (no connection reuse) so that one
 * check's connection state never leaks into the next.
 */
#ifndef REFSERVER_CHECK_HTTP_H
#define REFSERVER_CHECK_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

typedef struct resp {
    CURLcode code; /* transport result */
    long status;   /* 0 when no status line came */
    char *body;    /* NUL-terminated, may hold NULs and invalid UTF-8 */
    size_t len;
    char *headers; /* the final response's raw header block */
    size_t hlen;
} resp;

typedef struct req {
    const char *method;     /* default: POST with a body, else GET */
    const char *path;       /* appended to http://127.0.0.1:PORT */
    const char *body;       /* NULL: none */
    size_t body_len;        /* 0: strlen(body) */
    const char *headers[8]; /* "Name: value"; "Name:" removes a curl default */
    const char *userpwd;    /* Basic auth "user:password" */
    long timeout_ms;        /* 0: 30 s */
    bool http10;
    bool chunked_upload; /* send the body with Transfer-Encoding: chunked */
} req;

extern int check_port;
extern int check_failures;

int http_do(resp *out, const req *r);
void resp_free(resp *r);

/* The value of the first header called name (any case), malloc'd, or NULL. */
char *resp_header(const resp *r, const char *name);
/* true when a header line starts exactly (case-sensitive) with prefix. */
bool resp_header_line(const resp *r, const char *prefix);
cJSON *resp_json(const resp *r);
/* The raw text of member key in a compact JSON body ("" if absent), copied
 * into buf: how an int64 really looks on the wire. */
const char *raw_member(const resp *r, const char *key, char *buf, size_t size);

void fail_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define FAIL(...) fail_at(__FILE__, __LINE__, __VA_ARGS__)
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            FAIL(__VA_ARGS__);                                                                     \
    } while (0)

/* Assertions that report what came. They return true when they hold. */
#define EXPECT_STATUS(r, s) expect_status_at(__FILE__, __LINE__, (r), (s))
#define EXPECT_BODY(r, b) expect_body_at(__FILE__, __LINE__, (r), (b))
#define EXPECT_HEADER(r, n, v) expect_header_at(__FILE__, __LINE__, (r), (n), (v))
#define EXPECT_CODE(r, c) expect_code_at(__FILE__, __LINE__, (r), (c))
bool expect_status_at(const char *file, int line, const resp *r, long status);
bool expect_body_at(const char *file, int line, const resp *r, const char *body);
/* value NULL: the header must be absent. */
bool expect_header_at(const char *file, int line, const resp *r, const char *name,
                      const char *value);
bool expect_code_at(const char *file, int line, const resp *r, CURLcode code);

/* Member helpers on parsed JSON; NULL-safe. */
const char *jstr(const cJSON *o, const char *key);
bool jtrue(const cJSON *o, const char *key);

#endif
