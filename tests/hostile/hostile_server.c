/*
 * hostile_server.c - conform-hostile-server, a tiny libmicrohttpd server that
 * answers whatever a test asks for, so tests can play a hostile server under
 * test (tests/data/test55x, docs/tests/FILEFORMAT.md <server kind="hostile">).
 *
 *   conform-hostile-server --port N --portfile FILE [--access-log FILE]
 *                          [--memory BYTES]   (per connection, default 1 MiB:
 *                                              what bounds hs= below)
 *
 * Every path answers from its query:
 *   b=TEXT     the body (default "{}"); with nul=1 every '~' in it becomes a
 *              NUL byte
 *   s=N        the status (default 200)
 *   hs=N       adds a header "X-Big" whose value is N bytes long
 *   h=NAME:VALUE  adds that header (e.g. h=Retry-After:0 with s=429)
 * except /echo, which answers {"method":..., "url":..., "headers":{...}} with
 * every character that is not a letter or digit written as a JSON escape
 * ("\/" for '/', "\u00XX" otherwise), the way a server may echo a secret.
 *
 * The access log has one line per request: METHOD URL, then " | NAME: VALUE"
 * for each request header, CR, LF and other control bytes written as \r, \n,
 * \xNN, so a test can see which headers arrived (and that an injected one
 * did not).
 */
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

static FILE *access_log;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->data = realloc(t->data, t->cap);
        if (!t->data)
            abort();
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

static void puts_visible(text *t, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char buf[8];
        if (c == '\r')
            put(t, "\\r", 2);
        else if (c == '\n')
            put(t, "\\n", 2);
        else if (c < 0x20 || c == 0x7f) {
            snprintf(buf, sizeof buf, "\\x%02x", c);
            put(t, buf, 4);
        } else
            put(t, (const char *)&c, 1);
    }
}

static void puts_escaped(text *t, const char *s)
{
    put(t, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char buf[8];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80)
            put(t, (const char *)&c, 1);
        else if (c == '/')
            put(t, "\\/", 2);
        else {
            snprintf(buf, sizeof buf, "\\u%04x", c);
            put(t, buf, 6);
        }
    }
    put(t, "\"", 1);
}

typedef struct walk {
    text *t;
    int first;
    int json;
} walk;

static enum MHD_Result on_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    walk *w = cls;
    (void)kind;
    if (w->json) {
        put(w->t, w->first ? "" : ",", w->first ? 0 : 1);
        puts_escaped(w->t, key);
        put(w->t, ":", 1);
        puts_escaped(w->t, value ? value : "");
    } else {
        put(w->t, " | ", 3);
        puts_visible(w->t, key);
        put(w->t, ": ", 2);
        puts_visible(w->t, value ? value : "");
    }
    w->first = 0;
    return MHD_YES;
}

static void log_request(struct MHD_Connection *conn, const char *method, const char *url)
{
    if (!access_log)
        return;
    text t = {0};
    puts_visible(&t, method);
    put(&t, " ", 1);
    puts_visible(&t, url);
    walk w = {&t, 1, 0};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, on_header, &w);
    put(&t, "\n", 1);
    pthread_mutex_lock(&log_lock);
    fputs(t.data, access_log);
    fflush(access_log);
    pthread_mutex_unlock(&log_lock);
    free(t.data);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
    (void)cls;
    (void)version;
    (void)upload;
    if (!*state) { /* first call: headers only; the body (ignored) follows */
        *state = conn;
        log_request(conn, method, url);
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0;
        return MHD_YES;
    }
    text body = {0};
    const char *b = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "b");
    const char *s = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "s");
    const char *hs = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "hs");
    const char *nul = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "nul");
    const char *h = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "h");
    if (!strcmp(url, "/echo")) {
        put(&body, "{\"method\":", 10);
        puts_escaped(&body, method);
        put(&body, ",\"url\":", 7);
        puts_escaped(&body, url);
        put(&body, ",\"headers\":{", 12);
        walk w = {&body, 1, 1};
        MHD_get_connection_values(conn, MHD_HEADER_KIND, on_header, &w);
        put(&body, "}}", 2);
    } else {
        b = b ? b : "{}";
        put(&body, b, strlen(b));
        if (nul && !strcmp(nul, "1"))
            for (size_t i = 0; i < body.len; i++)
                if (body.data[i] == '~')
                    body.data[i] = '\0';
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(body.len, body.data, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "application/json");
    const char *colon = h ? strchr(h, ':') : NULL;
    if (colon) {
        char *name = strndup(h, (size_t)(colon - h));
        if (!name)
            abort();
        MHD_add_response_header(r, name, colon + 1);
        free(name);
    }
    if (hs) {
        size_t n = strtoul(hs, NULL, 10);
        char *big = malloc(n + 1);
        if (!big)
            abort();
        memset(big, 'a', n);
        big[n] = '\0';
        MHD_add_response_header(r, "X-Big", big);
        free(big);
    }
    enum MHD_Result rc = MHD_queue_response(conn, s ? (unsigned)atoi(s) : 200u, r);
    MHD_destroy_response(r);
    return rc;
}

int main(int argc, char **argv)
{
    int port = 0;
    size_t memory = (size_t)1 << 20; /* per connection: bounds hs= (a larger pool is slow) */
    const char *portfile = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port"))
            port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--portfile"))
            portfile = argv[i + 1];
        else if (!strcmp(argv[i], "--memory"))
            memory = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--access-log"))
            access_log = fopen(argv[i + 1], "a");
        else {
            fprintf(stderr, "conform-hostile-server: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, (uint16_t)port, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "conform-hostile-server: cannot listen\n");
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (portfile) {
        FILE *f = fopen(portfile, "w");
        if (!f)
            return 1;
        fprintf(f, "%u\n", info ? info->port : (unsigned)port);
        fclose(f);
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    int sig;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    return 0;
}
