/*
 * ratelimit.h - an optional rate limiter that behaves like Rocket.Chat's
 * (../shared/reference/apis.md, A.8): every route of an API marked
 * rate_limited (core/api.h: Rocket.Chat's /api/v1) allows `calls` requests
 * per `window_ms` per client address and route, in fixed windows
 * that start with the first call; beyond that, 429
 * {"success":false,"error":"error-too-many-requests"}, and the request is
 * not processed. Every answer of a limited route carries X-RateLimit-Limit,
 * X-RateLimit-Remaining and X-RateLimit-Reset (epoch milliseconds of the
 * window's end, as Rocket.Chat sends). A stock Rocket.Chat is 10/60000;
 * tests scale the window down (--rate-limit 10/500).
 */
#ifndef REFSERVER_RATELIMIT_H
#define REFSERVER_RATELIMIT_H

#include <stdbool.h>

#include "core/http.h"

/* Parses "CALLS/WINDOW_MS" into cfg; 0, or -1. */
int ratelimit_parse(rs_config *cfg, const char *arg);

/* Applies the limiter to req (a rate-limited API's) when it is on: fills
 * the reply's X-RateLimit-* values and returns true when the request is over
 * the limit (reply then holds the 429). */
bool ratelimit_check(const http_request *req, http_reply *reply);

void ratelimit_shutdown(void);

#endif
