/*
 * fuzz_response.c - a hostile server under test: the input is what a
 * loopback libmicrohttpd server (started once, on a free port) answers,
 * and each input runs a fixed suite through the real engine with the
 * reports `conform run -v --jobs 1` writes (console with transcripts,
 * JUnit, JSON). The server is untrusted (engine/guard.h): nothing it
 * answers may change where conform connects or what it sends beyond the
 * documented captures, leak a secret, hang the run or crash it.
 *
 * Input layout: responses one after another, each
 *   STATUS LF                 decimal; mapped into 200..599 (no 1xx: curl
 *                             would wait for a final answer until timeout)
 *   Name: value LF ...        headers up to an empty line (those MHD
 *                             refuses are skipped; Connection is always
 *                             "close", see below)
 *   body                      up to a NUL byte or the end
 * Request K of a run gets response K mod N (N = 0: "200", no body), at most
 * 16 responses from the first MAX_INPUT bytes.
 *
 * The suite (written by LLVMFuzzerInitialize): a config whose target is the
 * server, with a secret header X-Api-Key and a Basic auth password, both
 * from ${ENV} (so secrets, secrets.h); a spec documenting one 200 JSON
 * answer with a schema and a named example; a case of three steps (POST
 * /login captures a body member and a header; two GETs use the captures in
 * path, query and headers) and a one-step case. Expect blocks use status,
 * headers, body_has, body_equals and example; timeouts are short, max_body
 * small (4 KiB) and max_wait 0, so a 429 with Retry-After never sleeps.
 *
 * What is asserted (abort() is a finding):
 *  1. every connect() goes to the server's address (the harness wraps
 *     connect(2); redirects are not followed, so a Location elsewhere must
 *     not be), and every request it receives carries its Host;
 *  2. the requests are the suite's: POST /login or GET /items/..., with
 *     X-Api-Key exactly the secret, Authorization exactly the configured
 *     Basic credentials on /login only, and no header the suite does not
 *     send (a response must not add cookies, auth schemes or headers);
 *  3. neither secret appears, as is, percent-encoded, JSON-escaped or in
 *     base64 (at any alignment), in the console output, the JUnit or the
 *     JSON report, nor anywhere in a request but its own header (unless the
 *     input itself carries it in one of those forms, JSON escapes decoded
 *     or not: a server may send back what it was given, and captures then
 *     forward it to the same server);
 *  4. the run returns (libFuzzer's -timeout catches a hang), the JUnit
 *     report has no raw '<' outside markup and the JSON report parses;
 *  5. the console output (colour off) holds no control byte but newline and
 *     tab: an answer must not reach the terminal as escape sequences.
 *
 * FUZZ_RESPONSE_SHOW=1 prints the console output and the requests of each
 * input (e.g. fuzz_response -runs=1 INPUT).
 *
 * Determinism: the gate's verdict is repeatable, its `DONE cov: ft:` line is
 * not, and cannot be while real sockets and clocks are in the loop. Thread
 * scheduling is kept out of the coverage: the engine runs inline (no worker
 * thread, see __wrap_pthread_create), the server's code is not instrumented,
 * every answer closes its connection (no race between curl reusing it and
 * the server closing it) and the Date header is suppressed. What remains
 * moves hit counts only (seeds alone: same `cov` every run, `ft` within
 * +-0.3 %; with -use_counters=0 the same `ft` too): the response times
 * conform prints ("(9.5 ms)", "(10.2 ms)") change how long transcripts and
 * reports are, hence how often their buffers grow and scanners loop, and
 * the kernel may split an answer over several of curl's reads. From there
 * the 4,000 mutations diverge; a finding is still a finding (the input is
 * saved), and a run without one passes every time.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "fuzz_util.h"
#include "base/secrets.h"
#include "coverage/coverage.h"
#include "engine/http.h"
#include "engine/run.h"
#include "report/console.h"
#include "report/covsink.h"
#include "report/jsonreport.h"
#include "report/junit.h"

#define SECRET_KEY "Zq7-K3y/S3cr3t+w9"
#define SECRET_PASS "Pw5~Hidd3n/P4ss+x8"
#define USER "fuzzuser"
/* Bytes of an input used: redacting every report scales with what the
 * server sent, and under the sanitizers a 64 KiB answer costs ~200 ms; 8 KiB
 * still passes --max-body (4 KiB) and makes headers larger than most
 * servers accept. */
#define MAX_INPUT 8192

/* ---- what the server received ---- */

/* The server's code is not instrumented: it runs on libmicrohttpd's thread,
 * partly after an input ends (a connection closes when the next run has
 * begun), and its coverage would differ from run to run; what it does is
 * the harness's, not conform's. */
#define SERVER_SIDE __attribute__((no_sanitize("coverage")))

typedef struct request {
    char *method, *uri, *host, *body;
    size_t body_len;
    char **names, **values;
    size_t nheaders;
} request;

typedef struct response {
    unsigned status;
    const char *head; /* header lines, not NUL-terminated */
    size_t head_len;
    const char *body;
    size_t body_len;
} response;

static struct {
    pthread_mutex_t lock;
    uint16_t port;
    char host[32]; /* "127.0.0.1:PORT" */
    response *resp;
    size_t nresp;
    request *req;
    size_t nreq;
} srv = {.lock = PTHREAD_MUTEX_INITIALIZER};

SERVER_SIDE static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        abort();
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

SERVER_SIDE static enum MHD_Result on_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                             const char *value)
{
    request *r = cls;
    (void)kind;
    r->names = realloc(r->names, (r->nheaders + 1) * sizeof *r->names);
    r->values = realloc(r->values, (r->nheaders + 1) * sizeof *r->values);
    if (!r->names || !r->values)
        abort();
    r->names[r->nheaders] = strdup(key);
    r->values[r->nheaders] = strdup(value ? value : "");
    r->nheaders++;
    return MHD_YES;
}

/* The raw request target (path and query, as sent), before MHD parses it. */
SERVER_SIDE static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    request *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->uri = strdup(uri);
    return r;
}

/* Adds the header lines of head that MHD accepts. */
SERVER_SIDE static void add_headers(struct MHD_Response *mr, const char *head, size_t len)
{
    if (!head)
        return;
    const char *p = head, *end = head + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *colon = memchr(p, ':', (size_t)(le - p));
        if (colon && colon > p) {
            char *name = dup_n(p, (size_t)(colon - p));
            const char *v = colon + 1;
            while (v < le && *v == ' ')
                v++;
            char *value = dup_n(v, (size_t)(le - v));
            if (!strchr(name, '\r') && !strchr(value, '\r') && strcasecmp(name, "Connection"))
                (void)MHD_add_response_header(mr, name, value);
            free(name);
            free(value);
        }
        p = nl ? nl + 1 : end;
    }
}

SERVER_SIDE static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                              const char *url, const char *method,
                                              const char *version, const char *upload,
                                              size_t *upload_size, void **state)
{
    (void)cls;
    (void)url;
    (void)version;
    request *r = *state;
    if (!r)
        abort();
    if (!r->method) { /* first call: the headers; the body follows */
        r->method = strdup(method);
        MHD_get_connection_values(conn, MHD_HEADER_KIND, on_header, r);
        const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
        r->host = strdup(host ? host : "");
        return MHD_YES;
    }
    if (*upload_size) {
        r->body = realloc(r->body, r->body_len + *upload_size + 1);
        if (!r->body)
            abort();
        memcpy(r->body + r->body_len, upload, *upload_size);
        r->body_len += *upload_size;
        r->body[r->body_len] = '\0';
        *upload_size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&srv.lock);
    size_t k = srv.nreq;
    srv.req = realloc(srv.req, (k + 1) * sizeof *srv.req);
    if (!srv.req)
        abort();
    srv.req[k] = *r;
    srv.nreq++;
    response a = srv.nresp ? srv.resp[k % srv.nresp] : (response){.status = 200};
    pthread_mutex_unlock(&srv.lock);
    memset(r, 0, sizeof *r); /* moved into srv.req; freed by request_completed */
    struct MHD_Response *mr = MHD_create_response_from_buffer(
        a.body_len, a.body ? (void *)a.body : "", MHD_RESPMEM_MUST_COPY);
    /* A new connection for every request: whether curl finds a kept one
     * closed before or after it sends is a race. */
    MHD_add_response_header(mr, "Connection", "close");
    add_headers(mr, a.head, a.head_len);
    enum MHD_Result rc = MHD_queue_response(conn, a.status, mr);
    MHD_destroy_response(mr);
    return rc;
}

SERVER_SIDE static void request_free(request *r)
{
    free(r->method);
    free(r->uri);
    free(r->host);
    free(r->body);
    for (size_t i = 0; i < r->nheaders; i++) {
        free(r->names[i]);
        free(r->values[i]);
    }
    free(r->names);
    free(r->values);
}

SERVER_SIDE static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                                     enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)conn;
    (void)why;
    request *r = *state;
    if (r) {
        request_free(r);
        free(r);
    }
    *state = NULL;
}

/* Answers leave at once (no Nagle wait on the delayed ACK of the client). */
SERVER_SIDE static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                                      enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)socket_context;
    if (code != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    int one = 1;
    if (ci)
        (void)setsockopt(ci->connect_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* ---- nothing connects elsewhere ---- */

/* Every connect(2) of the process (libcurl's included) comes here. Only the
 * server's address is allowed; AF_UNIX is left alone (no network). */
int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    if (addr && addr->sa_family != AF_UNIX) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        if (addr->sa_family != AF_INET || in->sin_addr.s_addr != htonl(INADDR_LOOPBACK) ||
            (srv.port && ntohs(in->sin_port) != srv.port)) {
            fprintf(stderr, "fuzz_response: connect to another address than the server\n");
            abort();
        }
    }
    return (int)syscall(SYS_connect, fd, addr, len);
}

/* ---- the engine runs inline ---- */

/* The runner's pthread_create (linked with --wrap=pthread_create) fails, so
 * cf_run takes its fallback and runs every case on the calling thread
 * (run.c, run_jobs). With a worker thread, how often the reporter waits for
 * it depends on scheduling, and so would the coverage of an input. */
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
    (void)t;
    (void)a;
    (void)fn;
    (void)arg;
    return EAGAIN;
}

/* ---- the secrets in every form conform must catch ---- */

#define MAX_FORMS 16
typedef struct forms {
    char *f[MAX_FORMS];
    size_t n;
} forms;

static void form_add(forms *fs, char *s)
{
    if (fs->n == MAX_FORMS || strlen(s) < 6) {
        free(s);
        return;
    }
    fs->f[fs->n++] = s;
}

static char *percent(const char *s, int lower)
{
    char *o = malloc(strlen(s) * 3 + 1), *p = o;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~", c))
            *p++ = (char)c;
        else
            p += sprintf(p, lower ? "%%%02x" : "%%%02X", c);
    }
    *p = '\0';
    return o;
}

static char *json_slash(const char *s)
{
    char *o = malloc(strlen(s) * 2 + 1), *p = o;
    for (; *s; s++) {
        if (*s == '/')
            *p++ = '\\';
        *p++ = *s;
    }
    *p = '\0';
    return o;
}

/* The base64 characters that depend on the secret's bytes only (secrets.h),
 * when it follows `shift` other bytes (0..2) inside a longer encoded value:
 * character j covers bits [6j, 6j + 6) of the bytes. */
static char *b64_core(const char *s, int shift, int url)
{
    const char *abc = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                          : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t len = strlen(s), n = len + (size_t)shift;
    unsigned char *in = calloc(n + 3, 1);
    memcpy(in + shift, s, len);
    char *out = malloc(n / 3 * 4 + 8), *p = out;
    for (size_t j = 0; 6 * j + 6 <= 8 * n; j++) {
        size_t bit = 6 * j, byte = bit / 8, off = bit % 8;
        unsigned v = ((unsigned)in[byte] << 8 | in[byte + 1]) >> (10 - off);
        if (bit >= 8 * (size_t)shift)
            *p++ = abc[v & 63];
    }
    *p = '\0';
    free(in);
    return out;
}

static void forms_of(forms *fs, const char *secret)
{
    form_add(fs, strdup(secret));
    form_add(fs, percent(secret, 0));
    form_add(fs, percent(secret, 1));
    form_add(fs, json_slash(secret));
    for (int shift = 0; shift < 3; shift++)
        for (int url = 0; url < 2; url++)
            form_add(fs, b64_core(secret, shift, url));
}

static forms secret_forms;

/* Where text holds a secret in a form above, or NULL. */
static const char *find_secret(const char *text, size_t len)
{
    for (size_t i = 0; i < secret_forms.n; i++) {
        const char *at = memmem(text, len, secret_forms.f[i], strlen(secret_forms.f[i]));
        if (at)
            return at;
    }
    return NULL;
}

static int has_secret(const char *text, size_t len)
{
    return find_secret(text, len) != NULL;
}

/* data with JSON escapes of ASCII characters decoded ("\u005a", "\/"), as
 * a capture decodes a string: what the server can hand back as is. */
static char *json_unescaped(const uint8_t *data, size_t size, size_t *len)
{
    char *o = malloc(size + 1), *p = o;
    for (size_t i = 0; i < size; i++) {
        unsigned v = 0;
        int hex = data[i] == '\\' && i + 5 < size && data[i + 1] == 'u';
        for (size_t k = i + 2; hex && k < i + 6; k++) {
            int c = data[k], d = c >= '0' && c <= '9'   ? c - '0'
                                 : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                 : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                        : -1;
            hex = d >= 0;
            v = v * 16 + (unsigned)(d >= 0 ? d : 0);
        }
        if (hex && v > 0 && v < 0x80) {
            *p++ = (char)v;
            i += 5;
        } else if (data[i] == '\\' && i + 1 < size && data[i + 1] != 'u')
            *p++ = (char)data[++i];
        else
            *p++ = (char)data[i];
    }
    *p = '\0';
    *len = (size_t)(p - o);
    return o;
}

/* ---- the suite ---- */

static cf_config *config;
static cf_spec_cache *specs;
static cf_suite *suite;
static char junit_path[256], json_path[256];
static char basic_auth[128];

static const char spec_yaml[] =
    "openapi: 3.0.3\n"
    "info: {title: fuzz, version: \"1\"}\n"
    "paths:\n"
    "  /items/{item-id}:\n"
    "    parameters:\n"
    "      - {name: item-id, in: path, required: true, schema: {type: string}}\n"
    "    get:\n"
    "      operationId: getItem\n"
    "      responses:\n"
    "        \"200\":\n"
    "          description: OK\n"
    "          content:\n"
    "            application/json:\n"
    "              schema:\n"
    "                type: object\n"
    "                required: [id]\n"
    "                properties:\n"
    "                  id: {type: string, maxLength: 64}\n"
    "                  n: {type: integer, minimum: 0}\n"
    "                  tags: {type: array, items: {type: string}}\n"
    "              examples:\n"
    "                Found: {value: {id: abc, n: 1, tags: [x]}}\n";

static const char suite_yaml[] =
    "suite: fuzz response\n"
    "spec: spec.yaml\n"
    "target: srv\n"
    "cases:\n"
    "  - id: chain\n"
    "    steps:\n"
    "      - name: login\n"
    "        method: POST\n"
    "        path: /login\n"
    "        request:\n"
    "          auth: {user: " USER ", password: \"{{password}}\"}\n"
    "          body: {user: " USER "}\n"
    "        expect:\n"
    "          status: 200\n"
    "          headers: {Content-Type: {regex: json}}\n"
    "          body_has: [/token]\n"
    "        capture: {token: /token, session: {header: X-Session}}\n"
    "      - name: item\n"
    "        operation: getItem\n"
    "        request:\n"
    "          path: {item-id: \"{{token}}\"}\n"
    "          query: {s: \"{{session}}\", k: fixed}\n"
    "          headers: {X-Session: \"{{session}}\"}\n"
    "        expect: {status: 200, example: Found, body_has: [/id]}\n"
    "        capture: {id: /id, inner: {body: /doc, json: /x}}\n"
    "      - name: again\n"
    "        operation: getItem\n"
    "        request:\n"
    "          path: {item-id: \"{{id}}\"}\n"
    "          headers: {X-Token: \"{{inner}}\"}\n"
    "        expect:\n"
    "          status: 200\n"
    "          headers: {X-Session: \"{{session}}\"}\n"
    "          body_equals: {id: \"{{id}}\", n: 1, tags: [x]}\n"
    "  - id: exact\n"
    "    operation: getItem\n"
    "    request: {path: {item-id: abc}}\n"
    "    expect: {status: 200, example: {name: Found, match: exact}}\n";

static void b64(const char *s, char *out)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)u[i] << 16 | (i + 1 < n ? (unsigned)u[i + 1] << 8 : 0) |
                     (i + 2 < n ? u[i + 2] : 0);
        *out++ = abc[(v >> 18) & 63];
        *out++ = abc[(v >> 12) & 63];
        *out++ = i + 1 < n ? abc[(v >> 6) & 63] : '=';
        *out++ = i + 2 < n ? abc[v & 63] : '=';
    }
    *out = '\0';
}

static char shm[] = "/dev/shm/conform-fuzz-XXXXXX";

/* The reports go with the process (on tmpfs they are memory). */
static void remove_reports(void)
{
    unlink(junit_path);
    unlink(json_path);
    if (strcmp(shm + strlen(shm) - 6, "XXXXXX"))
        rmdir(shm);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_SUPPRESS_DATE_NO_CLOCK, 0, NULL, NULL, on_request,
        NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
        NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 << 10,
        MHD_OPTION_END); /* > MAX_INPUT; MHD zeroes it per connection */
    const union MHD_DaemonInfo *info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info || !info->port) {
        fprintf(stderr, "fuzz_response: cannot start the server\n");
        abort();
    }
    srv.port = info->port; /* the daemon lives as long as the process */
    snprintf(srv.host, sizeof srv.host, "127.0.0.1:%u", (unsigned)srv.port);

    setenv("CONFORM_FUZZ_KEY", SECRET_KEY, 1);
    setenv("CONFORM_FUZZ_PASS", SECRET_PASS, 1);
    forms_of(&secret_forms, SECRET_KEY);
    forms_of(&secret_forms, SECRET_PASS);
    char pair[128];
    snprintf(pair, sizeof pair, "%s:%s", USER, SECRET_PASS);
    strcpy(basic_auth, "Basic ");
    b64(pair, basic_auth + 6);

    char cfg[1024];
    int n = snprintf(cfg, sizeof cfg,
                     "targets:\n"
                     "  srv:\n"
                     "    base_url: http://%s\n"
                     "    headers: {X-Api-Key: \"${CONFORM_FUZZ_KEY}\"}\n"
                     "    vars: {password: \"${CONFORM_FUZZ_PASS}\"}\n"
                     "    timeout_ms: 2000\n"
                     "    connect_timeout_ms: 1000\n",
                     srv.host);
    if (n < 0 || (size_t)n >= sizeof cfg)
        abort();
    fuzz_file("spec.yaml", (const uint8_t *)spec_yaml, sizeof spec_yaml - 1);
    config = fuzz_config(cfg);
    cf_error *err = NULL;
    if (cf_spec_cache_new(&specs) < 0)
        abort();
    const char *spath = fuzz_file("suite.yaml", (const uint8_t *)suite_yaml, sizeof suite_yaml - 1);
    cf_load_ctx ctx = {.config = config, .cli_vars = NULL, .specs = specs};
    if (cf_suite_load(&suite, spath, &ctx, &err) < 0) {
        char *m = cf_error_format(err);
        fprintf(stderr, "fuzz_response: %s\n", m);
        abort();
    }
    /* Reports are written as conform writes them (fsync'd): on tmpfs when
     * there is one, so that the disk does not set the pace. */
    if (mkdtemp(shm)) {
        snprintf(junit_path, sizeof junit_path, "%s/junit.xml", shm);
        snprintf(json_path, sizeof json_path, "%s/results.json", shm);
    } else {
        snprintf(junit_path, sizeof junit_path, "%s", fuzz_file("junit.xml", NULL, 0));
        snprintf(json_path, sizeof json_path, "%s", fuzz_file("results.json", NULL, 0));
    }
    atexit(remove_reports);
    for (size_t i = 0; i < secret_forms.n; i++)
        if (!cf_secrets_contains(secret_forms.f[i])) {
            fprintf(stderr, "fuzz_response: conform does not see %s as a secret\n",
                    secret_forms.f[i]);
            abort();
        }
    if (cf_http_global_init() < 0)
        abort();
    return 0;
}

/* ---- one input ---- */

static size_t parse_responses(const uint8_t *data, size_t size, response *out, size_t max)
{
    const char *p = (const char *)data, *end = p + size;
    size_t n = 0;
    while (p < end && n < max) {
        response *r = &out[n++];
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        unsigned v = 0;
        for (const char *q = p; q < le && *q >= '0' && *q <= '9' && v < 100000; q++)
            v = v * 10 + (unsigned)(*q - '0');
        r->status = 200 + (v >= 200 ? v - 200 : v) % 400;
        p = nl ? nl + 1 : end;
        r->head = p;
        while (p < end && *p != '\n') { /* header lines up to an empty one */
            const char *e = memchr(p, '\n', (size_t)(end - p));
            p = e ? e + 1 : end;
        }
        r->head_len = (size_t)(p - r->head);
        if (p < end)
            p++; /* the empty line */
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        r->body = p;
        r->body_len = (size_t)((nul ? nul : end) - p);
        p = nul ? nul + 1 : end;
    }
    return n;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        abort();
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len + 4096 + 1 > cap) {
            cap = (*len + 4096 + 1) * 2;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        size_t got = fread(buf + *len, 1, 4096, f);
        *len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

static void check_report(const char *what, const char *text, size_t len)
{
    const char *at = find_secret(text, len);
    if (at) {
        size_t from = (size_t)(at - text) > 80 ? (size_t)(at - text) - 80 : 0;
        size_t n = len - from < 160 ? len - from : 160;
        fprintf(stderr, "fuzz_response: a secret in the %s: ...%.*s...\n", what, (int)n,
                text + from);
        abort();
    }
}

static const char *header_of(const request *r, const char *name)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->names[i], name))
            return r->values[i];
    return NULL;
}

/* The headers conform sends for this suite; a response may add none. */
static const char *const allowed_headers[] = {
    "Host",       "User-Agent",    "Accept",    "Content-Type", "Content-Length",
    "X-Api-Key",  "Authorization", "X-Session", "X-Token",      "Accept-Encoding",
    "Connection", "Expect",        NULL};

static void check_request(const request *r, int input_has_secret)
{
    const char *why = NULL;
    if (strcmp(r->host, srv.host))
        why = "a request with another Host";
    else if (!(!strcmp(r->method, "POST") && !strcmp(r->uri, "/login")) &&
             !(!strcmp(r->method, "GET") && !strncmp(r->uri, "/items/", 7)))
        why = "a request the suite does not send";
    else if (!header_of(r, "X-Api-Key") || strcmp(header_of(r, "X-Api-Key"), SECRET_KEY))
        why = "X-Api-Key is not the configured secret";
    else if (!strcmp(r->uri, "/login") ? !header_of(r, "Authorization") ||
                                             strcmp(header_of(r, "Authorization"), basic_auth)
                                       : header_of(r, "Authorization") != NULL)
        why = "Authorization is not the configured Basic credentials on /login only";
    for (size_t i = 0; !why && i < r->nheaders; i++) {
        size_t k = 0;
        while (allowed_headers[k] && strcasecmp(allowed_headers[k], r->names[i]))
            k++;
        if (!allowed_headers[k])
            why = "a header the suite does not send";
        else if (!input_has_secret && strcasecmp(r->names[i], "X-Api-Key") &&
                 strcasecmp(r->names[i], "Authorization") &&
                 has_secret(r->values[i], strlen(r->values[i])))
            why = "a secret in another header";
    }
    if (!why && !input_has_secret &&
        (has_secret(r->uri, strlen(r->uri)) || (r->body && has_secret(r->body, r->body_len))))
        why = "a secret in the URL or body";
    if (why) {
        fprintf(stderr, "fuzz_response: %s: %s %s\n", why, r->method, r->uri);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        size = MAX_INPUT;
    response resp[16];
    size_t nresp = parse_responses(data, size, resp, 16);
    pthread_mutex_lock(&srv.lock);
    srv.resp = resp;
    srv.nresp = nresp;
    pthread_mutex_unlock(&srv.lock);

    char *console = NULL;
    size_t console_len = 0;
    FILE *out = open_memstream(&console, &console_len);
    if (!out)
        abort();
    cf_coverage *cov = cf_coverage_build(&suite, 1);
    cf_console_opts co = {.verbose = 1, .color = CF_COLOR_NEVER, .out = out};
    cf_junit_opts jo = {0};
    cf_sink *sinks[4] = {cf_coverage_sink(cov), cf_console_sink(&co),
                         cf_junit_sink(junit_path, cov, &jo), cf_json_sink(json_path, NULL)};
    cf_run_opts ro = {.jobs = 1,
                      .repeat = 1,
                      .timeout_ms = 2000,
                      .max_body = 4096,
                      .transcripts = 1,
                      .rate = 0,
                      .max_wait = 0};
    cf_run_end end;
    cf_error *err = NULL;
    if (cf_run(&suite, 1, &ro, sinks, 4, &end, &err) < 0) {
        char *m = cf_error_format(err);
        fprintf(stderr, "fuzz_response: the run failed: %s\n", m);
        abort();
    }
    cf_console_summary(&end, out, 0);
    for (size_t i = 0; i < 4; i++)
        cf_sink_free(sinks[i]);
    cf_coverage_free(cov);
    fclose(out);

    pthread_mutex_lock(&srv.lock);
    srv.resp = NULL;
    srv.nresp = 0;
    pthread_mutex_unlock(&srv.lock);

    if (getenv("FUZZ_RESPONSE_SHOW")) { /* to see what an input does */
        fwrite(console, 1, console_len, stderr);
        for (size_t i = 0; i < srv.nreq; i++) {
            fprintf(stderr, "server got: %s %s\n", srv.req[i].method, srv.req[i].uri);
            for (size_t j = 0; j < srv.req[i].nheaders; j++)
                fprintf(stderr, "  %s: %s\n", srv.req[i].names[j], srv.req[i].values[j]);
        }
    }
    check_report("console output", console, console_len);
    for (size_t i = 0; i < console_len; i++) { /* colour is off: no byte may drive a terminal */
        unsigned char ch = (unsigned char)console[i];
        if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f) {
            fprintf(stderr, "fuzz_response: control byte 0x%02x in the console output\n", ch);
            abort();
        }
    }
    size_t len;
    char *junit = slurp(junit_path, &len);
    check_report("JUnit report", junit, len);
    for (const char *p = junit; (p = strchr(p, '<')); p++)
        if (!(p[1] == '/' || p[1] == '?' || p[1] == '!' || (p[1] >= 'a' && p[1] <= 'z')))
            abort();
    free(junit);
    char *json = slurp(json_path, &len);
    check_report("JSON report", json, len);
    cJSON *doc = cJSON_ParseWithLength(json, len);
    if (!doc) {
        fprintf(stderr, "fuzz_response: the JSON report does not parse\n");
        abort();
    }
    cJSON_Delete(doc);
    free(json);
    free(console);

    size_t plain_len;
    char *plain = json_unescaped(data, size, &plain_len);
    int input_has_secret = has_secret((const char *)data, size) || has_secret(plain, plain_len);
    free(plain);
    for (size_t i = 0; i < srv.nreq; i++) {
        check_request(&srv.req[i], input_has_secret);
        request_free(&srv.req[i]);
    }
    free(srv.req);
    srv.req = NULL;
    srv.nreq = 0;
    return 0;
}
