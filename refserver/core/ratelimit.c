#include "core/ratelimit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct bucket {
    char *key; /* client address, space, route */
    double start_ms;
    unsigned long count;
    struct bucket *next;
} bucket;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bucket *buckets;

int ratelimit_parse(rs_config *cfg, const char *arg)
{
    unsigned long calls, ms;
    char tail;
    if (sscanf(arg, "%lu/%lu%c", &calls, &ms, &tail) != 2 || calls < 1 || calls > 1000000 ||
        ms < 1 || ms > 86400000)
        return -1;
    cfg->rl_calls = (unsigned)calls;
    cfg->rl_window_ms = (unsigned)ms;
    return 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void client_of(const http_request *req, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, n, "?");
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out,
                  (socklen_t)n);
}

bool ratelimit_check(const http_request *req, http_reply *reply)
{
    const rs_config *cfg = req->cfg;
    const char *url = req->url ? req->url : "";
    if (!cfg->rl_calls)
        return false;
    char client[64], key[600];
    client_of(req, client, sizeof client);
    /* Rocket.Chat's routes ignore case and a trailing slash. */
    size_t n = (size_t)snprintf(key, sizeof key, "%s %s", client, url);
    if (n >= sizeof key)
        n = sizeof key - 1;
    while (n > 0 && key[n - 1] == '/')
        key[--n] = '\0';
    for (char *p = key; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    double now = now_ms();
    bool over;
    pthread_mutex_lock(&lock);
    bucket *b = buckets;
    while (b && strcmp(b->key, key) != 0)
        b = b->next;
    if (!b) {
        b = calloc(1, sizeof *b);
        if (b && (b->key = strdup(key)) == NULL) {
            free(b);
            b = NULL;
        }
        if (!b) {
            pthread_mutex_unlock(&lock);
            return false; /* out of memory: let it through */
        }
        b->next = buckets;
        buckets = b;
    }
    if (b->start_ms == 0 || now - b->start_ms >= cfg->rl_window_ms) {
        b->start_ms = now;
        b->count = 0;
    }
    b->count++;
    over = b->count > cfg->rl_calls;
    reply->rl = true;
    reply->rl_limit = cfg->rl_calls;
    reply->rl_remaining = over ? 0 : cfg->rl_calls - (unsigned)b->count;
    reply->rl_reset_ms = (long long)(b->start_ms + cfg->rl_window_ms);
    pthread_mutex_unlock(&lock);
    if (over) {
        http_reply_static(reply, 429, CT_JSON,
                          "{\"success\":false,\"error\":\"error-too-many-requests\"}");
        reply->rl = true;
    }
    return over;
}

void ratelimit_shutdown(void)
{
    pthread_mutex_lock(&lock);
    for (bucket *b = buckets, *nb; b; b = nb) {
        nb = b->next;
        free(b->key);
        free(b);
    }
    buckets = NULL;
    pthread_mutex_unlock(&lock);
}
