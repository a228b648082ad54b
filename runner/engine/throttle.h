/*
 * throttle.h - how fast a run talks to each target.
 *
 * Three limits, all per target and shared by every worker of a run:
 *   - pacing: at most `rate` requests per second, spaced evenly (a request
 *     waits for its slot; no bursts, so any one-second window holds at most
 *     rate + 1 requests);
 *   - concurrency: at most `max_concurrency` requests in flight;
 *   - holds learned from the server: after a 429, or an answer saying
 *     X-RateLimit-Remaining: 0, requests to that route (the URL path without
 *     the query) wait until the server's reset time; with Remaining > 0 the
 *     route's requests are spread over what is left of the window.
 * Waits on holds are what a case reports as rate-limit waits; pacing is not.
 * Sleeping stops early when the run is interrupted.
 */
#ifndef CONFORM_THROTTLE_H
#define CONFORM_THROTTLE_H

#include "engine/http.h"
#include "suite/config.h"

typedef struct cf_throttle cf_throttle;

/* The limits of one target, resolved (0: none). */
typedef struct cf_throttle_limits {
    double rate;         /* requests per second */
    int max_concurrency; /* requests in flight */
} cf_throttle_limits;

/* Default policy for a target without a rate or max_concurrency of its own:
 * loopback targets (localhost, 127.0.0.0/8, [::1]) are not limited; any other
 * gets CF_THROTTLE_DEFAULT_RATE requests per second and
 * CF_THROTTLE_DEFAULT_CONCURRENCY in flight (README, "Throttle"). */
#define CF_THROTTLE_DEFAULT_RATE 5.0
#define CF_THROTTLE_DEFAULT_CONCURRENCY 2
/* rate_opt: --rate (< 0: not given). */
cf_throttle_limits cf_throttle_limits_for(const cf_target *t, double rate_opt);
/* Is the host of url a loopback name or address? */
int cf_url_is_loopback(const char *url);

/* url without "user:password@" (for reports); the caller frees it. */
char *cf_url_without_userinfo(const char *url);

/* stop: nonzero when the run is interrupted (waits end early). */
int cf_throttle_new(cf_throttle **out, int (*stop)(void));
void cf_throttle_free(cf_throttle *th);

/* Blocks until a request to route of target t may go, and takes a slot of
 * its concurrency; *held gets the seconds spent waiting on server holds (not
 * pacing). Returns 0, to be followed by one release; or -1, taking nothing,
 * when the route is held longer than budget seconds (*held: how long). */
int cf_throttle_acquire(cf_throttle *th, const cf_target *t, const cf_throttle_limits *lim,
                        const char *route, double budget, double *held);
void cf_throttle_release(cf_throttle *th, const cf_target *t);

/* Learns from an answer's X-RateLimit-Remaining and X-RateLimit-Reset. */
void cf_throttle_learn(cf_throttle *th, const cf_target *t, const char *route,
                       const cf_http_response *resp);
/* Holds route until now + seconds (after a 429). */
void cf_throttle_hold(cf_throttle *th, const cf_target *t, const char *route, double seconds);

/* How long a 429 asks to wait, in seconds from now: Retry-After (seconds or
 * an HTTP date), else X-RateLimit-Reset (epoch milliseconds as Rocket.Chat
 * sends, epoch seconds, or seconds from now), else -1. */
double cf_throttle_retry_after(const cf_http_response *resp);

#endif
