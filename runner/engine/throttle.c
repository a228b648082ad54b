#include "engine/throttle.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "base/util.h"

typedef struct hold {
    char *route;
    double until; /* cf_now() time before which no request to the route goes */
    struct hold *next;
} hold;

typedef struct tstate {
    const cf_target *target;
    int inflight;
    double next_slot; /* cf_now() time of the next paced slot */
    hold *holds;
    struct tstate *next;
} tstate;

struct cf_throttle {
    pthread_mutex_t lock; /* guards everything below and every tstate */
    pthread_cond_t freed; /* a concurrency slot was released */
    int (*stop)(void);    /* nonzero: the run is interrupted, stop waiting */
    tstate *targets;
};

int cf_url_is_loopback(const char *url)
{
    const char *h = strstr(url ? url : "", "://");
    if (!h)
        return 0;
    h += 3;
    const char *at = strchr(h, '@'), *slash = strchr(h, '/');
    if (at && (!slash || at < slash))
        h = at + 1;
    size_t n = strcspn(h, ":/?#");
    if (h[0] == '[')
        return !strncmp(h, "[::1]", 5);
    if (n == 9 && !strncasecmp(h, "localhost", 9))
        return 1;
    /* 127.0.0.0/8 written as an address, not a name such as 127.example.com */
    return n > 4 && !strncmp(h, "127.", 4) && strspn(h, "0123456789.") == n;
}

cf_throttle_limits cf_throttle_limits_for(const cf_target *t, double rate_opt)
{
    int remote = !cf_url_is_loopback(t->base_url);
    cf_throttle_limits l;
    l.rate = rate_opt >= 0  ? rate_opt
             : t->rate >= 0 ? t->rate
             : remote       ? CF_THROTTLE_DEFAULT_RATE
                            : 0;
    l.max_concurrency = t->max_concurrency >= 0 ? t->max_concurrency
                        : remote                ? CF_THROTTLE_DEFAULT_CONCURRENCY
                                                : 0;
    return l;
}

char *cf_url_without_userinfo(const char *url)
{
    const char *host = url ? strstr(url, "://") : NULL;
    if (!host)
        return cf_strdup(url);
    host += 3;
    const char *at = strchr(host, '@'), *end = host + strcspn(host, "/?#");
    if (!at || at > end)
        return cf_strdup(url);
    return cf_asprintf("%.*s%s", (int)(host - url), url, at + 1);
}

int cf_throttle_new(cf_throttle **out, int (*stop)(void))
{
    cf_throttle *th = cf_xcalloc(1, sizeof *th);
    *out = th;
    th->stop = stop;
    pthread_mutex_init(&th->lock, NULL);
    pthread_cond_init(&th->freed, NULL);
    return 0;
}

void cf_throttle_free(cf_throttle *th)
{
    if (!th)
        return;
    for (tstate *s = th->targets, *ns; s; s = ns) {
        ns = s->next;
        for (hold *h = s->holds, *nh; h; h = nh) {
            nh = h->next;
            free(h->route);
            free(h);
        }
        free(s);
    }
    pthread_mutex_destroy(&th->lock);
    pthread_cond_destroy(&th->freed);
    free(th);
}

/* Under th->lock. */
static tstate *state_of(cf_throttle *th, const cf_target *t)
{
    for (tstate *s = th->targets; s; s = s->next)
        if (s->target == t)
            return s;
    tstate *s = cf_xcalloc(1, sizeof *s);
    s->target = t;
    s->next = th->targets;
    th->targets = s;
    return s;
}

/* Under th->lock. */
static hold *hold_of(tstate *s, const char *route, int create)
{
    for (hold *h = s->holds; h; h = h->next)
        if (!strcmp(h->route, route))
            return h;
    if (!create)
        return NULL;
    hold *h = cf_xcalloc(1, sizeof *h);
    h->route = cf_strdup(route);
    h->next = s->holds;
    s->holds = h;
    return h;
}

/* Sleeps until cf_now() reaches when, in short naps so an interrupted run
 * does not wait out a long hold. */
static void sleep_until(const cf_throttle *th, double when)
{
    for (;;) {
        double left = when - cf_now();
        if (left <= 0 || th->stop())
            return;
        if (left > 0.2)
            left = 0.2;
        struct timespec ts = {(time_t)left, (long)((left - (double)(time_t)left) * 1e9)};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !th->stop())
            ;
    }
}

int cf_throttle_acquire(cf_throttle *th, const cf_target *t, const cf_throttle_limits *lim,
                        const char *route, double budget, double *held)
{
    pthread_mutex_lock(&th->lock);
    tstate *s = state_of(th, t);
    hold *h = route ? hold_of(s, route, 0) : NULL;
    double now = cf_now();
    *held = h && h->until > now ? h->until - now : 0;
    if (*held > budget) {
        pthread_mutex_unlock(&th->lock);
        return -1;
    }
    while (lim->max_concurrency > 0 && s->inflight >= lim->max_concurrency && !th->stop())
        pthread_cond_wait(&th->freed, &th->lock);
    s->inflight++;
    double slot = cf_now();
    *held = 0;
    if (h && h->until > slot) {
        *held = h->until - slot;
        slot = h->until;
    }
    if (lim->rate > 0) {
        if (s->next_slot > slot)
            slot = s->next_slot;
        s->next_slot = slot + 1.0 / lim->rate;
    }
    pthread_mutex_unlock(&th->lock);
    sleep_until(th, slot);
    return 0;
}

void cf_throttle_release(cf_throttle *th, const cf_target *t)
{
    pthread_mutex_lock(&th->lock);
    tstate *s = state_of(th, t);
    if (s && s->inflight > 0)
        s->inflight--;
    pthread_cond_broadcast(&th->freed);
    pthread_mutex_unlock(&th->lock);
}

void cf_throttle_hold(cf_throttle *th, const cf_target *t, const char *route, double seconds)
{
    pthread_mutex_lock(&th->lock);
    tstate *s = state_of(th, t);
    hold *h = s && route ? hold_of(s, route, 1) : NULL;
    double until = cf_now() + seconds;
    if (h && until > h->until)
        h->until = until;
    pthread_mutex_unlock(&th->lock);
}

/* A header's value as a finite non-negative number, or -1. */
static double header_number(const cf_http_response *resp, const char *name)
{
    const char *v = cf_http_header(resp, name);
    if (!v)
        return -1;
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    while (*end == ' ')
        end++;
    if (errno || end == v || *end || !(d >= 0) || d > 1e16)
        return -1;
    return d;
}

/* X-RateLimit-Reset as seconds from now. Rocket.Chat sends epoch
 * milliseconds; others send epoch seconds or a delta in seconds. */
static double reset_in(const cf_http_response *resp)
{
    double v = header_number(resp, "X-RateLimit-Reset");
    if (v < 0)
        return -1;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    double epoch = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    double d = v > 1e11 ? v / 1000.0 - epoch : v > 1e9 ? v - epoch : v;
    return d < 0 ? 0 : d;
}

double cf_throttle_retry_after(const cf_http_response *resp)
{
    double d = header_number(resp, "Retry-After");
    if (d >= 0)
        return d;
    const char *v = cf_http_header(resp, "Retry-After");
    if (v) {
        time_t when = curl_getdate(v, NULL);
        if (when != (time_t)-1) {
            double left = difftime(when, time(NULL));
            return left < 0 ? 0 : left;
        }
    }
    return reset_in(resp);
}

void cf_throttle_learn(cf_throttle *th, const cf_target *t, const char *route,
                       const cf_http_response *resp)
{
    double remaining = header_number(resp, "X-RateLimit-Remaining");
    double left = remaining >= 0 ? reset_in(resp) : -1;
    if (left < 0 || !route)
        return;
    /* Nothing left: wait for the reset. Some left: spread those calls over
     * the rest of the window, so concurrent workers do not run into a 429. */
    double wait = remaining < 1 ? left : left / (remaining + 1);
    if (wait > 0)
        cf_throttle_hold(th, t, route, wait);
}
