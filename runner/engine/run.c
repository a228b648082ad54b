#include "engine/run.h"

#include <fnmatch.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "engine/checks.h"
#include "engine/checks_spec.h"
#include "engine/guard.h"
#include "engine/http.h"
#include "engine/throttle.h"
#include "doc/json.h"
#include "doc/jsonptr.h"
#include "base/secrets.h"
#include "suite/template.h"
#include "base/util.h"

enum { TRANSCRIPT_BODY_MAX = 4096, DEFAULT_TIMEOUT_MS = 10000, EXCERPT_MAX = 300 };
/* --max-wait when not given: five windows of a stock Rocket.Chat (60 s). */
#define DEFAULT_MAX_WAIT 300.0

int cf_run_selected(const cf_case *c, const cf_run_opts *opts)
{
    if (opts->filter && fnmatch(opts->filter, c->id, 0) != 0)
        return 0;
    if (opts->ntags == 0)
        return 1;
    for (size_t i = 0; i < opts->ntags; i++)
        for (size_t k = 0; k < c->ntags; k++)
            if (strcmp(opts->tags[i], c->tags[k]) == 0)
                return 1;
    return 0;
}

int cf_run_shard_of(const cf_suite *su, const cf_case *c, int n)
{
    /* The suite's title, not its path: a path differs between CI machines'
     * checkouts and between --builtin and a path given, and every shard of a
     * run must compute the same split. */
    const char *name = su->name ? su->name : "";
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    h = (h ^ 0) * 1099511628211ULL; /* separator: ("ab","c") differs from ("a","bc") */
    for (const unsigned char *p = (const unsigned char *)c->id; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return n > 0 ? (int)(h % (uint64_t)n) + 1 : 1;
}

int cf_run_selected_in(const cf_suite *su, const cf_case *c, const cf_run_opts *opts)
{
    if (!cf_run_selected(c, opts))
        return 0;
    return opts->shard_n <= 1 || cf_run_shard_of(su, c, opts->shard_n) == opts->shard_k;
}

/* ---- one case ---- */

typedef struct job {
    const cf_suite *suite;
    const cf_case *c;
    int rep; /* 1-based; 0 when --repeat is 1 */
    cf_case_result *res;
} job;

typedef struct casectx {
    const cf_run_opts *opts;
    const cf_suite *suite;
    cf_http *http;
    cf_throttle *throttle;
    double waited;       /* seconds this case waited on rate limits, against --max-wait */
    cf_kvlist vars;      /* captures; looked up before the built-ins and suite vars */
    const char *case_id; /* the built-in variables (run_id is the process's) */
    char unique[48];
    cf_kvlist origins;    /* capture var -> the step and place it came from (guard.h) */
    struct exchange *log; /* what each step sent and got, for the transcript */
    size_t nlog, caplog;
    cf_observed *obs; /* every request sent, for coverage: moved into the result */
    size_t nobs;
} casectx;

/* One step's exchange, kept by moving the step's own buffers here; it is
 * rendered as text only when the case needs a transcript (a failure, or -v),
 * so passing cases pay no formatting. */
typedef struct exchange {
    const char *name, *method; /* borrowed from the suite */
    char *url;
    cf_kvlist headers;
    int basic_auth;
    char *body;
    size_t body_len;
    cf_http_response resp;
    int answered;
    const char *fail_type;
    char *note; /* a failure message, or a teardown note */
} exchange;

static exchange *log_push(casectx *cx)
{
    if (cx->nlog == cx->caplog) {
        size_t cap = cx->caplog ? cx->caplog * 2 : 4;
        exchange *g = cf_xrealloc(cx->log, cap * sizeof *g);
        if (!g)
            return NULL;
        cx->log = g;
        cx->caplog = cap;
    }
    exchange *e = &cx->log[cx->nlog++];
    memset(e, 0, sizeof *e);
    return e;
}

static char run_id[17];

static const char *lookup_var(void *ud, const char *name)
{
    const casectx *cx = ud;
    const char *v = cf_kvlist_get(&cx->vars, name);
    if (v)
        return v;
    if (!strcmp(name, "case_id"))
        return cx->case_id;
    if (!strcmp(name, "run_id"))
        return run_id;
    if (!strcmp(name, "unique"))
        return cx->unique;
    return cf_kvlist_get(&cx->suite->vars, name);
}

static const char *var_origin(void *ud, const char *name)
{
    const casectx *cx = ud;
    return cf_kvlist_get(&cx->origins, name);
}

/* Records where a captured value came from, for injection messages. */
static void note_origin(casectx *cx, const cf_step *st, const cf_capture *cap)
{
    char *o =
        cap->from == CF_CAPTURE_HEADER
            ? cf_asprintf("captured by step '%s' from response header %s", st->name, cap->header)
            : cf_asprintf("captured by step '%s' from %s%s%s", st->name, cap->pointer,
                          cap->inner ? " then " : "", cap->inner ? cap->inner : "");
    cf_kvlist_set(&cx->origins, cap->var, o);
    free(o);
}

/* A line of its own in the transcript, between exchanges. */
static void log_note(casectx *cx, char *note)
{
    exchange *e = log_push(cx);
    if (e)
        e->note = note;
    else
        free(note);
}

static int given_by_user(void *ud, const char *name, size_t offset)
{
    const casectx *cx = ud;
    (void)offset;
    return cf_kvlist_get(&cx->suite->given, name) ? 0 : 1;
}

/* A step base_url built only from values the user gave (config vars,
 * --var) names a host the user chose, not one a server named. */
static int user_chosen_host(casectx *cx, const cf_step *st)
{
    return st->base_url && cf_template_has_refs(st->base_url) &&
           cf_template_each(st->base_url, given_by_user, cx) == 0;
}

/* guard.h's two rules, just before a request is sent: a CR or LF that
 * reached the method, URL or a header stops the step (error finding, -1);
 * a host that is not the target's gets the request without credentials. */
static int guard_step(casectx *cx, cf_case_result *res, int stepno, const cf_step *st,
                      const cJSON *req, cf_http_request *hr, cf_kvlist *headers)
{
    const cf_target *t = cx->suite->target;
    cf_guard_request gr = {
        .method = hr->method,
        .url = hr->url,
        .url_template = st->base_url,
        .headers = headers,
        .header_templates = cJSON_GetObjectItemCaseSensitive(st->request, "headers"),
        .target = t,
    };
    (void)req;
    cf_guard_vars gv = {lookup_var, var_origin, cx};
    char *why = NULL;
    if (cf_guard_injection(&why, &gr, &gv) < 0) {
        cf_case_add_finding(res, CF_FINDING_ERROR, stepno, "unsafe-value", NULL, "%s: %s", st->name,
                            why);
        log_note(cx, cf_asprintf("== %s: %s %s\n!! unsafe-value: %s\n", st->name, hr->method,
                                 "(not sent)", why));
        free(why);
        return -1;
    }
    char *host = NULL;
    if (cf_guard_host_trusted(t, hr->url, &host) || user_chosen_host(cx, st)) {
        free(host);
        return 0;
    }
    char *names = cf_guard_strip_credentials(headers, t);
    int basic = hr->user != NULL;
    hr->user = hr->password = NULL;
    if (*names || basic)
        log_note(cx, cf_asprintf("-- %s: %s is not the host of target '%s' nor in its "
                                 "allow_hosts: sent without %s%s%s\n",
                                 st->name, host ? host : "the host", t->name, names,
                                 *names && basic ? ", " : "", basic ? "Basic auth" : ""));
    free(names);
    free(host);
    return 0;
}

static int truthy(const char *v)
{
    return v && (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1"));
}

/* Appends a header block to the transcript, masking credential headers. */
static void transcript_headers(cf_buf *t, const char *prefix, const cf_kvlist *h)
{
    for (size_t i = 0; i < h->count; i++)
        cf_buf_printf(t, "%s%s: %s\n", prefix, h->items[i].name,
                      cf_secrets_header_masked(h->items[i].name) ? "***" : h->items[i].value);
}

/* A body in the transcript: at most TRANSCRIPT_BODY_MAX bytes, masked before
 * the cap cuts it (a secret the cap splits is masked too), and NUL bytes
 * shown as "\x00" so that the transcript, a C string, is not cut there. */
static void transcript_body(cf_buf *t, const char *prefix, const char *body, size_t len)
{
    if (!body || !len)
        return;
    size_t shown = len > TRANSCRIPT_BODY_MAX ? TRANSCRIPT_BODY_MAX : len;
    cf_buf vis = {0};
    for (size_t i = 0, plain = 0; i <= shown; i++) {
        if (i < shown && body[i])
            continue;
        cf_buf_append(&vis, body + plain, i - plain);
        if (i < shown)
            cf_buf_puts(&vis, "\\x00");
        plain = i + 1;
    }
    char *masked = cf_secrets_redact_cut(vis.data, vis.len, 0, shown < len);
    cf_buf_free(&vis);
    cf_buf_puts(t, prefix);
    for (const char *p = masked; *p; p++) {
        cf_buf_append(t, p, 1);
        if (*p == '\n' && p[1])
            cf_buf_puts(t, prefix);
    }
    free(masked);
    if (shown < len)
        cf_buf_printf(t, "\n%s... (%zu more bytes)", prefix, len - shown);
    cf_buf_puts(t, "\n");
}

/* The transcript of a case: every exchange in order, credentials masked,
 * secrets redacted. */
static char *render_transcript(const casectx *cx)
{
    cf_buf t = {0};
    for (size_t i = 0; i < cx->nlog; i++) {
        const exchange *e = &cx->log[i];
        if (!e->url) {
            if (e->note)
                cf_buf_puts(&t, e->note);
            continue;
        }
        cf_buf_printf(&t, "== %s: %s %s\n", e->name, e->method, e->url);
        transcript_headers(&t, "> ", &e->headers);
        if (e->basic_auth)
            cf_buf_puts(&t, "> Authorization: Basic ***\n");
        transcript_body(&t, "> ", e->body, e->body_len);
        if (!e->answered) {
            cf_buf_printf(&t, "!! %s: %s\n", e->fail_type ? e->fail_type : "error",
                          e->note ? e->note : "");
            continue;
        }
        cf_buf_printf(&t, "< HTTP %d (%.1f ms)\n", e->resp.status, e->resp.seconds * 1000.0);
        transcript_headers(&t, "< ", &e->resp.headers);
        transcript_body(&t, "< ", e->resp.body, e->resp.body_len);
    }
    char *text = t.data ? cf_secrets_redact_n(t.data, t.len) : NULL;
    cf_buf_free(&t);
    return text;
}

static void log_free(casectx *cx)
{
    for (size_t i = 0; i < cx->nlog; i++) {
        exchange *e = &cx->log[i];
        free(e->url);
        cf_kvlist_clear(&e->headers);
        free(e->body);
        cf_http_response_clear(&e->resp);
        free(e->note);
    }
    free(cx->log);
    cx->log = NULL;
    cx->nlog = cx->caplog = 0;
}

/* The step's request is expanded leaf by leaf as it is read, not copied
 * whole: every leaf the loader keeps (check_request, check_path_params) is
 * read once while the request is built. */
typedef struct leafx {
    casectx *cx;
    int refs;       /* the request holds {{variables}} (cf_step.request_has_refs) */
    int unresolved; /* a variable had no value: the request is not sent */
} leafx;

/* The text of string leaf v with its variables expanded: v's own text, or
 * an expansion left in *tmp for the caller to free. NULL when v is not a
 * string, or when a variable in it has no value (x->unresolved). */
static const char *leaf_text(leafx *x, const cJSON *v, char **tmp)
{
    *tmp = NULL;
    if (!cJSON_IsString(v))
        return NULL;
    if (!x->refs || !cf_template_has_refs(v->valuestring))
        return v->valuestring;
    *tmp = cf_template_expand(v->valuestring, lookup_var, x->cx, NULL);
    x->unresolved |= *tmp == NULL;
    return *tmp;
}

/* obj's member named by the n bytes at name (a {name} of a path template,
 * any length), or NULL. */
static const cJSON *member_n(const cJSON *obj, const char *name, size_t n)
{
    for (const cJSON *c = obj ? obj->child : NULL; c; c = c->next)
        if (!strncmp(c->string, name, n) && c->string[n] == '\0')
            return c;
    return NULL;
}

/* Builds the URL: base + path template with URL-encoded values + query. */
static char *build_url(const char *base, const cf_step *st, leafx *x)
{
    cf_buf b = {0};
    cf_buf_puts(&b, base);
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(st->request, "path");
    for (const char *p = st->path; *p;) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            cf_buf_puts(&b, p);
            break;
        }
        cf_buf_append(&b, p, (size_t)(open - p));
        char *tmp = NULL;
        const cJSON *v = member_n(path, open + 1, (size_t)(close - open - 1));
        cf_http_escape_to(&b, leaf_text(x, v, &tmp));
        free(tmp);
        p = close + 1;
    }
    const cJSON *query = cJSON_GetObjectItemCaseSensitive(st->request, "query");
    char sep = strchr(st->path, '?') ? '&' : '?';
    for (const cJSON *q = query ? query->child : NULL; q; q = q->next) {
        if (!cJSON_IsString(q))
            continue;
        char *tmp = NULL;
        cf_buf_append(&b, &sep, 1);
        cf_http_escape_to(&b, q->string);
        cf_buf_append(&b, "=", 1);
        cf_http_escape_to(&b, leaf_text(x, q, &tmp));
        free(tmp);
        sep = '&';
    }
    return cf_buf_take(&b);
}

/* Target headers, then the request's (case-insensitive override). */
static void build_headers(cf_kvlist *out, const cf_target *t, const cJSON *req, leafx *x,
                          int json_body)
{
    for (size_t i = 0; i < t->headers.count; i++)
        cf_kvlist_set(out, t->headers.items[i].name, t->headers.items[i].value);
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(req, "headers");
    for (const cJSON *c = h ? h->child : NULL; c; c = c->next) {
        char *tmp = NULL;
        const char *value = leaf_text(x, c, &tmp);
        if (!value)
            continue;
        int i = cf_kvlist_get_ci_index(out, c->string);
        if (i >= 0) {
            free(out->items[i].value);
            out->items[i].value = tmp ? tmp : cf_strdup(value);
            continue;
        }
        cf_kvlist_set(out, c->string, value);
        free(tmp);
    }
    if (json_body && cf_kvlist_get_ci_index(out, "Content-Type") < 0)
        cf_kvlist_set(out, "Content-Type", "application/json");
}

/* Sets a captured variable unless the config or --var gave it a value,
 * which then outranks the capture (the capture must still match). */
static void set_captured(casectx *cx, const cf_step *st, const cf_capture *cap, const char *value)
{
    if (cf_kvlist_get(&cx->suite->given, cap->var))
        return;
    cf_kvlist_set(&cx->vars, cap->var, value);
    note_origin(cx, st, cap);
}

/* Takes the step's captures into cx->vars; a miss is an error finding. */
static void take_captures(casectx *cx, cf_case_result *res, int step, const cf_step *st,
                          const cf_http_response *resp, const cf_doc *body)
{
    for (size_t i = 0; i < st->ncaptures; i++) {
        const cf_capture *cap = &st->captures[i];
        if (cap->from == CF_CAPTURE_HEADER) {
            const char *v = cf_http_header(resp, cap->header);
            if (v)
                set_captured(cx, st, cap, v);
            else
                cf_case_add_finding(res, CF_FINDING_ERROR, step, "capture", NULL,
                                    "capture %s: the response has no header %s", cap->var,
                                    cap->header);
            continue;
        }
        const cJSON *node = body ? cf_jsonptr_get(body->root, cap->pointer) : NULL;
        cf_doc *inner = NULL;
        const cf_doc *from = body;
        if (node && cap->inner) {
            cf_error *e = NULL;
            if (!cJSON_IsString(node) ||
                cf_json_parse(&inner, node->valuestring, strlen(node->valuestring),
                              "captured string", &e) < 0) {
                cf_case_add_finding(res, CF_FINDING_ERROR, step, "capture", NULL,
                                    "capture %s: %s in the body is not a string holding JSON",
                                    cap->var, cap->pointer);
                cf_error_free(e);
                continue;
            }
            node = cf_jsonptr_get(inner->root, cap->inner);
            from = inner;
        }
        char *text = NULL;
        if (node && cJSON_IsString(node))
            text = cf_strdup(node->valuestring);
        else if (node && cJSON_IsNumber(node)) {
            const char *lit = cf_doc_number_text(from, node);
            text = lit ? cf_strdup(lit) : cf_asprintf("%.17g", node->valuedouble);
        } else if (node && cJSON_IsBool(node))
            text = cf_strdup(cJSON_IsTrue(node) ? "true" : "false");
        if (text)
            set_captured(cx, st, cap, text);
        else
            cf_case_add_finding(res, CF_FINDING_ERROR, step, "capture", NULL,
                                "capture %s: %s%s%s %s", cap->var, cap->pointer,
                                cap->inner ? " then " : "", cap->inner ? cap->inner : "",
                                !body  ? "cannot apply: the body is not JSON"
                                : node ? "is not a string, number or boolean"
                                       : "matches nothing in the response");
        free(text);
        cf_doc_free(inner);
    }
}

/* ---- the throttle: pacing, concurrency and servers' rate limits ---- */

static double max_wait_of(const cf_run_opts *o)
{
    return o->max_wait >= 0 ? o->max_wait : DEFAULT_MAX_WAIT;
}

static int asks_for_429(const cf_step *st)
{
    for (size_t i = 0; i < st->expect.nstatus; i++)
        if (st->expect.status[i].code == 429)
            return 1;
    return 0;
}

/* The URL path without the query: what rate limiters count per route. */
static char *route_of(const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : NULL;
    return cf_strndup(p ? p : "/", p ? strcspn(p, "?#") : 1);
}

/* Waits for the throttle's slot; -1 with fail filled when the route is held
 * beyond what is left of --max-wait. A step that asks for a 429 wants to run
 * into the limit: the server's holds do not apply to it (--rate still does). */
static int acquire_slot(casectx *cx, cf_case_result *res, const cf_step *st, const char *route,
                        const cf_throttle_limits *lim, cf_http_failure *fail)
{
    double held = 0, budget = max_wait_of(cx->opts) - cx->waited;
    if (cf_throttle_acquire(cx->throttle, cx->suite->target, lim, asks_for_429(st) ? NULL : route,
                            budget, &held) < 0) {
        fail->type = "rate-limited";
        snprintf(fail->message, sizeof fail->message,
                 "not sent: the server's rate limit holds this route for %.1f s more, beyond "
                 "the --max-wait budget of %g s (waited %.1f s)",
                 held, max_wait_of(cx->opts), cx->waited);
        return -1;
    }
    if (held > 0) {
        res->rate_waits++;
        res->rate_wait_seconds += held;
        cx->waited += held;
    }
    return 0;
}

/* Sends hr under the target's throttle. A 429 the step does not expect
 * means the request was not processed: it is sent again after the wait the
 * server asks for (Retry-After, X-RateLimit-Reset), but never sooner than
 * the backoff (1 s, doubling to 60 s), while the case's waits stay within
 * --max-wait. When the next wait would
 * exceed it, *over is set to that wait and the 429 is returned. */
static int send_paced(casectx *cx, cf_case_result *res, const cf_step *st,
                      const cf_http_request *hr, cf_http_response *resp, cf_http_failure *fail,
                      double *over)
{
    const cf_target *t = cx->suite->target;
    cf_throttle_limits lim = cf_throttle_limits_for(t, cx->opts->rate);
    char *route = route_of(hr->url);
    double backoff = 1.0;
    int sent;
    for (;;) {
        if ((sent = acquire_slot(cx, res, st, route, &lim, fail)) < 0)
            break;
        sent = cf_http_send(cx->http, hr, resp, fail);
        cf_throttle_release(cx->throttle, t);
        if (sent < 0)
            break;
        cf_throttle_learn(cx->throttle, t, route, resp);
        if (resp->status != 429 || asks_for_429(st) || cf_run_interrupted())
            break;
        /* Every resend waits at least the backoff: a server asking for no
         * wait (Retry-After: 0, a reset already past) or a tiny one would
         * otherwise get the request resent without end, as such waits
         * hardly count against --max-wait. */
        double wait = cf_throttle_retry_after(resp);
        if (wait < backoff)
            wait = backoff;
        backoff = backoff * 2 > 60 ? 60 : backoff * 2;
        if (cx->waited + wait > max_wait_of(cx->opts)) {
            *over = wait > 0 ? wait : 0.001;
            break;
        }
        cf_throttle_hold(cx->throttle, t, route, wait);
        cf_http_response_clear(resp);
    }
    free(route);
    return sent;
}

/* ---- where a finding happened, for reports without the transcript ---- */

/* The first bytes of a body, cut at a character boundary, redacted. */
static char *excerpt(const char *body, size_t len)
{
    if (!body || !len)
        return NULL;
    size_t n = len > EXCERPT_MAX ? EXCERPT_MAX : len;
    while (n < len && n > 0 && ((unsigned char)body[n] & 0xC0) == 0x80)
        n--;
    char *cut = cf_strndup(body, n);
    char *text = cf_asprintf("%s%s", cut, n < len ? " ..." : "");
    char *r = cf_secrets_redact(text);
    free(cut);
    free(text);
    return r;
}

/* Gives the findings res got since index `from` the request line, the
 * status and a body excerpt (resp may be NULL: nothing came). */
static void annotate(cf_case_result *res, size_t from, const char *method, const char *url,
                     const cf_http_response *resp)
{
    for (size_t i = from; i < res->nfindings; i++) {
        cf_finding *f = &res->findings[i];
        if (f->request)
            continue;
        char *bare = cf_url_without_userinfo(url ? url : "?");
        char *line = cf_asprintf("%s %s", method, bare);
        f->request = cf_secrets_redact(line);
        free(bare);
        free(line);
        if (resp) {
            f->status = resp->status;
            f->body_excerpt = excerpt(resp->body, resp->body_len);
        }
    }
}

/* ---- one step, by phase: request, send, record, check ---- */

/* What one step owns while it runs (step_free releases it). */
typedef struct stepctx {
    char *missing, *url, *base, *body;
    char *user, *password; /* auth, when expanded */
    cf_kvlist headers;
    cf_http_request hr;
    cf_http_response resp;
    cf_doc *json;
    char *json_error;
    exchange *ex; /* the transcript's record, once sent */
} stepctx;

/* Expands the step's request into sc->hr; -1 after a capture finding. */
static int build_request(casectx *cx, cf_case_result *res, int stepno, const cf_step *st,
                         stepctx *sc)
{
    const cf_target *t = cx->suite->target;
    char *base_missing = NULL;
    sc->base = st->base_url ? cf_template_expand(st->base_url, lookup_var, cx, &base_missing)
                            : cf_strdup(t->base_url);
    leafx x = {cx, st->request_has_refs, 0};
    const char *user = NULL, *pass = NULL;
    if (sc->base) {
        size_t bl = strlen(sc->base);
        while (bl && sc->base[bl - 1] == '/')
            sc->base[--bl] = '\0';
        sc->url = build_url(sc->base, st, &x);
        const cJSON *jb = cJSON_GetObjectItemCaseSensitive(st->request, "body");
        const cJSON *raw = cJSON_GetObjectItemCaseSensitive(st->request, "body_raw");
        if (jb && st->body_text) {
            sc->body = cf_strdup(st->body_text);
        } else if (jb) {
            cJSON *e = x.refs ? cf_template_expand_json(jb, lookup_var, cx, NULL) : NULL;
            x.unresolved |= x.refs && !e;
            sc->body = x.unresolved ? NULL : cJSON_PrintUnformatted(e ? e : jb);
            cJSON_Delete(e);
        } else if (raw) {
            char *tmp = NULL;
            const char *text = leaf_text(&x, raw, &tmp);
            sc->body = tmp ? tmp : cf_strdup(text);
        }
        build_headers(&sc->headers, t, st->request, &x, jb != NULL);
        const cJSON *auth = cJSON_GetObjectItemCaseSensitive(st->request, "auth");
        user = leaf_text(&x, cJSON_GetObjectItemCaseSensitive(auth, "user"), &sc->user);
        pass = leaf_text(&x, cJSON_GetObjectItemCaseSensitive(auth, "password"), &sc->password);
    }
    if (!sc->base || x.unresolved) {
        /* The first variable without a value in the request's order, then
         * in the step's base_url: expanding the request whole finds it. */
        cJSON *whole = st->request_has_refs
                           ? cf_template_expand_json(st->request, lookup_var, cx, &sc->missing)
                           : NULL;
        cJSON_Delete(whole);
        if (!sc->missing) {
            sc->missing = base_missing;
            base_missing = NULL;
        }
        free(base_missing);
        cf_case_add_finding(res, CF_FINDING_ERROR, stepno, "capture", NULL,
                            "%s: variable '%s' has no value (an earlier capture failed?)", st->name,
                            sc->missing ? sc->missing : "?");
        return -1;
    }
    sc->hr = (cf_http_request){
        .method = st->method,
        .url = sc->url,
        .headers = &sc->headers,
        .body = sc->body,
        .body_len = sc->body ? strlen(sc->body) : 0,
        .user = user,
        .password = pass,
        .timeout_ms = cx->opts->timeout_ms ? cx->opts->timeout_ms
                      : t->timeout_ms      ? t->timeout_ms
                                           : DEFAULT_TIMEOUT_MS,
        .tls = &t->tls,
        .transport = &t->transport,
        .max_body = cx->opts->max_body,
    };
    return 0;
}

/* Records the request for coverage and the transcript: the exchange takes
 * over the URL, body and headers (sc->hr still points at them). */
static void log_exchange(casectx *cx, const cf_step *st, stepctx *sc, int sent,
                         const cf_http_failure *fail)
{
    cf_observed *og = cf_xrealloc(cx->obs, (cx->nobs + 1) * sizeof *og);
    if (og) {
        cx->obs = og;
        og[cx->nobs++] = (cf_observed){st, sent == 0 ? sc->resp.status : 0};
    }
    exchange *ex = log_push(cx);
    if (!ex)
        return;
    ex->name = st->name;
    ex->method = st->method;
    ex->url = sc->url;
    ex->headers = sc->headers;
    ex->basic_auth = sc->hr.user != NULL;
    ex->body = sc->body;
    ex->body_len = sc->hr.body_len;
    ex->answered = sent == 0;
    if (sent < 0) {
        ex->fail_type = fail->type;
        ex->note = cf_strdup(fail->message);
    }
    sc->url = NULL;
    sc->body = NULL;
    sc->headers = (cf_kvlist){0};
    sc->ex = ex;
}

/* The step's expect, then the documented contract of its operation, then
 * its captures when nothing was found. */
static void check_response(casectx *cx, cf_case_result *res, int stepno, const cf_step *st,
                           stepctx *sc, size_t before)
{
    const cf_http_response *resp = &sc->resp;
    if (resp->body_len == 0) {
        sc->json_error = cf_strdup("an empty body");
    } else {
        cf_error *e = NULL;
        if (cf_json_parse(&sc->json, resp->body, resp->body_len, "response body", &e) < 0) {
            char *m = e ? cf_error_format(e) : NULL;
            sc->json_error = cf_asprintf("invalid JSON (%s)", m ? m : "parse error");
            free(m);
            cf_error_free(e);
        }
    }
    cf_checks_expect(res, stepno, st, resp, sc->json, sc->json_error, lookup_var, cx);
    if (st->op) {
        /* The example belongs to the status the step expects: when another
         * came, the status finding already says so. */
        static const cf_status_pat any_2xx = {0, 2};
        int status_ok = st->expect.nstatus
                            ? cf_status_match(st->expect.status, st->expect.nstatus, resp->status)
                            : cf_status_match(&any_2xx, 1, resp->status);
        cf_spec_check_opts so = {
            .example = status_ok ? st->expect.example : NULL,
            .match = st->expect.example_match,
            .ignore = (const char *const *)st->expect.example_ignore,
            .nignore = st->expect.nexample_ignore,
        };
        for (int k = 0; k < CF_AUTO_COUNT; k++)
            so.off[k] = st->expect.checks_off[k] != NULL;
        cf_checks_spec(res, stepno, st->op, resp->status, cf_http_header(resp, "Content-Type"),
                       sc->json, resp->body, resp->body_len, &so);
    }
    if (res->nfindings == before)
        take_captures(cx, res, stepno, st, resp, sc->json);
}

static void step_free(stepctx *sc)
{
    free(sc->missing);
    free(sc->url);
    free(sc->base);
    free(sc->body);
    free(sc->user);
    free(sc->password);
    cf_kvlist_clear(&sc->headers);
    cf_http_response_clear(&sc->resp);
    cf_doc_free(sc->json);
    free(sc->json_error);
}

/* Runs one step; adds its findings to res. Returns 0 when the step passed. */
static int run_step(casectx *cx, cf_case_result *res, int stepno, const cf_step *st)
{
    stepctx sc = {0};
    size_t before = res->nfindings;
    if (build_request(cx, res, stepno, st, &sc) < 0 ||
        guard_step(cx, res, stepno, st, st->request, &sc.hr, &sc.headers) < 0) {
        step_free(&sc);
        return -1;
    }
    cf_http_failure fail;
    double over = 0;
    int sent = send_paced(cx, res, st, &sc.hr, &sc.resp, &fail, &over);
    log_exchange(cx, st, &sc, sent, &fail);
    if (sent < 0)
        cf_case_add_finding(res, CF_FINDING_ERROR, stepno, fail.type, NULL, "%s: %s", st->name,
                            fail.message);
    else if (over > 0)
        cf_case_add_finding(res, CF_FINDING_ERROR, stepno, "rate-limited", NULL,
                            "%s: 429 Too Many Requests, and waiting %.1f s more would exceed "
                            "the --max-wait budget of %g s (waited %.1f s)",
                            st->name, over, max_wait_of(cx->opts), cx->waited);
    else
        check_response(cx, res, stepno, st, &sc, before);
    annotate(res, before, st->method, sc.ex ? sc.ex->url : sc.url, sent == 0 ? &sc.resp : NULL);
    if (sc.ex && sent == 0) {
        sc.ex->resp = sc.resp; /* moved: the exchange owns the response now */
        memset(&sc.resp, 0, sizeof sc.resp);
    }
    step_free(&sc);
    return res->nfindings == before ? 0 : -1;
}

/* Setup steps do not test the contract of the case: anything wrong with
 * them means the case could not be checked (an error). */
static int run_setup_step(casectx *cx, cf_case_result *res, const cf_step *st)
{
    cf_case_result tmp = {0};
    int rc = run_step(cx, &tmp, 0, st);
    res->rate_waits += tmp.rate_waits;
    res->rate_wait_seconds += tmp.rate_wait_seconds;
    if (rc < 0) {
        cf_buf detail = {0};
        for (size_t k = 0; k < tmp.nfindings; k++)
            cf_buf_printf(&detail, "%s: %s\n", tmp.findings[k].type, tmp.findings[k].message);
        cf_case_add_finding(res, CF_FINDING_ERROR, 0, "setup", detail.data, "%s failed: %s",
                            st->name, tmp.nfindings ? tmp.findings[0].message : "unknown");
        cf_buf_free(&detail);
        if (tmp.nfindings) { /* where the setup went wrong, moved over */
            cf_finding *f = &res->findings[res->nfindings - 1], *first = &tmp.findings[0];
            f->request = first->request;
            f->status = first->status;
            f->body_excerpt = first->body_excerpt;
            first->request = first->body_excerpt = NULL;
        }
    }
    cf_case_result_clear(&tmp);
    return rc;
}

/* Teardown is cleanup, best effort: what goes wrong there is noted in the
 * transcript and never changes the case's verdict (the case already said
 * what it found about the contract). */
static void run_teardown_step(casectx *cx, cf_case_result *res, const cf_step *st)
{
    cf_case_result tmp = {0};
    int rc = run_step(cx, &tmp, 0, st);
    res->rate_waits += tmp.rate_waits;
    res->rate_wait_seconds += tmp.rate_wait_seconds;
    if (rc < 0) {
        cf_buf note = {0};
        for (size_t k = 0; k < tmp.nfindings; k++)
            cf_buf_printf(&note, "!! %s did not succeed (ignored): %s: %s\n", st->name,
                          tmp.findings[k].type, tmp.findings[k].message);
        exchange *ex = log_push(cx);
        if (ex)
            ex->note = cf_buf_take(&note);
        cf_buf_free(&note);
    }
    cf_case_result_clear(&tmp);
}

/* One attempt at a case: setup, steps, teardown, into res. */
static void run_attempt(cf_http *http, cf_throttle *th, const cf_run_opts *opts, job *j)
{
    const cf_case *c = j->c;
    cf_case_result *res = j->res;
    casectx cx = {
        .opts = opts, .suite = j->suite, .http = http, .throttle = th, .case_id = res->id};
    double t0 = cf_now();
    /* unique: distinct for every case run of this process, across suites and
     * repetitions, for names the server must not confuse (visitor tokens). */
    static atomic_ulong serial;
    snprintf(cx.unique, sizeof cx.unique, "%s-%lu", run_id,
             (unsigned long)atomic_fetch_add(&serial, 1));

    int ok = 0;
    for (size_t i = 0; i < j->suite->nsetup; i++)
        if (run_setup_step(&cx, res, &j->suite->setup[i]) < 0)
            goto teardown;
    for (size_t i = 0; i < c->nsteps; i++)
        if (run_step(&cx, res, c->nsteps > 1 ? (int)i + 1 : 0, &c->steps[i]) < 0)
            goto teardown;
    ok = 1;
teardown:
    for (size_t i = 0; i < j->suite->nteardown; i++)
        run_teardown_step(&cx, res, &j->suite->teardown[i]);
    res->seconds += cf_now() - t0;
    if (ok && res->nfindings == 0)
        res->outcome = CF_OUTCOME_PASS;
    if (res->outcome != CF_OUTCOME_PASS || opts->transcripts)
        res->transcript = render_transcript(&cx);
    log_free(&cx);
    /* Every attempt's requests count for coverage (--rerun appends). */
    if (cx.nobs) {
        res->observed =
            cf_xrealloc(res->observed, (res->nobserved + cx.nobs) * sizeof *res->observed);
        memcpy(res->observed + res->nobserved, cx.obs, cx.nobs * sizeof *cx.obs);
        res->nobserved += cx.nobs;
    }
    free(cx.obs);
    cf_kvlist_clear(&cx.vars);
    cf_kvlist_clear(&cx.origins);
}

/* --rerun: a failed or errored case runs again from its setup (a fresh
 * attempt: new variables, new visitor tokens); no single request is ever
 * sent twice by this. The last attempt's findings are the verdict; a pass
 * after a failure is a pass marked flaky. A case whose findings are all
 * known deviations (opts->all_known) is not run again. */
static void run_case(cf_http *http, cf_throttle *th, const cf_run_opts *opts, job *j)
{
    cf_case_result *res = j->res;
    int max = 1 + (opts->rerun > 0 ? opts->rerun : 0);
    char *first = NULL;
    for (int a = 1; a <= max; a++) {
        res->attempts = a;
        run_attempt(http, th, opts, j);
        cf_outcome o = cf_case_outcome(res);
        if ((o != CF_OUTCOME_FAIL && o != CF_OUTCOME_ERROR) || a == max || cf_run_interrupted() ||
            (opts->all_known && opts->all_known(opts->judge_ctx, j->suite, j->c, res)))
            break;
        if (!first && res->nfindings)
            first = cf_asprintf("%s: %s", res->findings[0].type, res->findings[0].message);
        for (size_t i = 0; i < res->nfindings; i++)
            cf_finding_clear(&res->findings[i]);
        res->nfindings = 0;
        free(res->transcript);
        res->transcript = NULL;
        res->outcome = CF_OUTCOME_PASS;
    }
    if (res->attempts > 1 && res->outcome == CF_OUTCOME_PASS) {
        res->flaky = 1;
        res->flaky_note = first;
        first = NULL;
    }
    free(first);
}

/* ---- the pool ---- */

/* What one job number means: job i is repetition i % repeat + 1 of the
 * (i / repeat)-th selected case. Only the selected cases are listed (O(loaded
 * cases)); results live in a ring of `window` slots that the reporting thread
 * empties in job order, so memory does not grow with cases x repeats. */
typedef struct picked {
    size_t suite; /* index into the run's suites */
    const cf_case *c;
} picked;

struct cf_run_state {
    const cf_run_opts *opts;
    cf_throttle *throttle; /* shared by the workers: limits are per target */
    cf_suite *const *suites;
    picked *cases;
    size_t ncases;
    size_t repeat;
    size_t total; /* ncases * repeat */
    cf_case_result *ring;
    size_t window;
    atomic_size_t next;
    atomic_int stop;      /* --fail-fast tripped */
    pthread_mutex_t lock; /* guards every slot's `finished`, consumed, blocked */
    pthread_cond_t done;  /* a result became final, or a worker waits for room */
    pthread_cond_t room;  /* the reporter freed slots */
    size_t consumed;      /* jobs reported and forgotten */
    size_t blocked;       /* workers waiting for room */
    size_t ndone;         /* jobs finished */
    double last_wake;     /* cf_now() of the last broadcast of done */
};
typedef struct cf_run_state pool;

/* The reporter is woken every WAKE_EVERY results and when WAKE_AFTER seconds
 * have passed, not after each one: a wake-up is a system call on the
 * worker's path (8 % of a fast run). It also wakes by itself every WAKE_AFTER
 * (a timed wait), so it never trails the run by much more. */
enum { WAKE_EVERY = 16 };
#define WAKE_AFTER 0.05

static void mark_finished(pool *p, cf_case_result *r)
{
    double now = cf_now();
    pthread_mutex_lock(&p->lock);
    r->finished = 1;
    p->ndone++;
    if (p->ndone % WAKE_EVERY == 0 || p->ndone == p->total || now - p->last_wake > WAKE_AFTER) {
        p->last_wake = now;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
}

static volatile sig_atomic_t interrupted;

void cf_run_interrupt(void)
{
    interrupted = 1;
}

int cf_run_interrupted(void)
{
    return interrupted != 0;
}

/* A case outside the version range of its suite or its own is skipped,
 * naming the required and the actual version; when the target's version
 * could not be read (version_from), such a case is an error: it cannot be
 * decided whether it applies. A range the target states no version for does
 * not gate (the case runs). */
static int version_gate(const cf_suite *su, const cf_range *range, cf_case_result *r)
{
    if (!range->n || !su->target)
        return 0;
    if (su->target->version_error) {
        cf_case_add_finding(r, CF_FINDING_ERROR, 0, "version", NULL,
                            "cannot decide whether the case applies: %s",
                            su->target->version_error);
        return 1;
    }
    char *why = NULL;
    if (cf_range_check(range, &su->target->versions, &why) == 0) {
        r->outcome = CF_OUTCOME_SKIP;
        r->skip_reason = cf_asprintf("skipped: %s", why ? why : "version out of range");
        free(why);
        return 1;
    }
    free(why);
    return 0;
}

/* Pre-decided outcomes (skips) need no request. */
static int prejudge(const cf_suite *su, const cf_case *c, cf_case_result *r)
{
    if (c->skip) {
        r->outcome = CF_OUTCOME_SKIP;
        r->skip_reason = cf_strdup(c->skip);
        return 1;
    }
    if (version_gate(su, &su->range, r) || version_gate(su, &c->range, r))
        return 1;
    if (c->skip_unless && !truthy(cf_kvlist_get(&su->vars, c->skip_unless))) {
        r->outcome = CF_OUTCOME_SKIP;
        r->skip_reason = cf_asprintf("skipped: variable %s is not true", c->skip_unless);
        return 1;
    }
    return 0;
}

static void run_job(pool *p, cf_http *http, size_t i, cf_case_result *res)
{
    const picked *pk = &p->cases[i / p->repeat];
    int rep = p->repeat > 1 ? (int)(i % p->repeat) + 1 : 0;
    const cf_suite *su = p->suites[pk->suite];
    res->id = rep ? cf_asprintf("%s#%d", pk->c->id, rep) : cf_strdup(pk->c->id);
    res->title = cf_strdup(pk->c->title);
    res->line = pk->c->mark.line;
    if (prejudge(su, pk->c, res))
        return;
    if (!http) {
        cf_case_add_finding(res, CF_FINDING_ERROR, 0, "internal", NULL,
                            "could not create an HTTP client (out of memory?)");
        return;
    }
    if (interrupted) {
        res->outcome = CF_OUTCOME_SKIP;
        res->skip_reason = cf_strdup("not run: the run was interrupted");
        return;
    }
    if (atomic_load(&p->stop)) {
        res->outcome = CF_OUTCOME_SKIP;
        res->skip_reason = cf_strdup("not run: --fail-fast stopped the run after a failure");
        return;
    }
    job j = {su, pk->c, rep, res};
    run_case(http, p->throttle, p->opts, &j);
    if (p->opts->judge)
        p->opts->judge(p->opts->judge_ctx, su, pk->c, res);
    if (p->opts->fail_fast && (res->outcome == CF_OUTCOME_FAIL || res->outcome == CF_OUTCOME_ERROR))
        atomic_store(&p->stop, 1);
}

static void *worker(void *ud)
{
    pool *p = ud;
    cf_http *http = NULL;
    if (cf_http_new(&http) < 0)
        http = NULL;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->total)
            break;
        /* Wait for room: job i goes in the slot job i - window left. */
        pthread_mutex_lock(&p->lock);
        while (i >= p->consumed + p->window) {
            p->blocked++;
            pthread_cond_broadcast(&p->done); /* the reporter may be asleep on a finished slot */
            pthread_cond_wait(&p->room, &p->lock);
            p->blocked--;
        }
        pthread_mutex_unlock(&p->lock);
        cf_case_result *res = &p->ring[i % p->window];
        run_job(p, http, i, res);
        mark_finished(p, res);
    }
    cf_http_free(http);
    return NULL;
}

static void make_run_id(void)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    unsigned long long x = (unsigned long long)time(NULL) * 6364136223846793005ULL ^
                           (unsigned long long)getpid() * 1442695040888963407ULL ^
                           (unsigned long long)(cf_now() * 1e9);
    for (size_t i = 0; i < 12; i++) {
        run_id[i] = digits[x % 36];
        x = x / 36 ^ (x << 7);
    }
    run_id[12] = '\0';
}

/* ---- reporting, on the calling thread ---- */

typedef struct feed {
    pool *p;
    cf_sink *const *sinks;
    size_t nsinks;
    cf_run_end end;
} feed;

/* Waits until slot r is final; ticks the sinks while it waits. */
static void wait_final(feed *f, const cf_case_result *r)
{
    pool *p = f->p;
    pthread_mutex_lock(&p->lock);
    while (!r->finished) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        long ns = ts.tv_nsec + (long)(WAKE_AFTER * 1e9);
        ts.tv_sec += ns / 1000000000L;
        ts.tv_nsec = ns % 1000000000L;
        if (pthread_cond_timedwait(&p->done, &p->lock, &ts) != 0 && !r->finished) {
            size_t done = p->consumed;
            pthread_mutex_unlock(&p->lock);
            for (size_t k = 0; k < f->nsinks; k++)
                if (f->sinks[k]->tick)
                    f->sinks[k]->tick(f->sinks[k], done);
            pthread_mutex_lock(&p->lock);
        }
    }
    pthread_mutex_unlock(&p->lock);
}

/* Hands every result to the sinks in job order and forgets it; returns the
 * number of suites reported. */
static size_t report_all(feed *f, int threaded, cf_http *inline_http)
{
    pool *p = f->p;
    size_t suite = (size_t)-1, nreported = 0;
    cf_suite_info si = {0};
    cf_totals st = {0};
    double secs = 0;
    for (size_t i = 0; i < p->total; i++) {
        const picked *pk = &p->cases[i / p->repeat];
        if (pk->suite != suite) {
            if (suite != (size_t)-1)
                for (size_t k = 0; k < f->nsinks; k++)
                    f->sinks[k]->suite_end(f->sinks[k], &si, &st, secs);
            suite = pk->suite;
            const cf_suite *su = p->suites[suite];
            size_t n = 0;
            for (size_t c = i / p->repeat; c < p->ncases && p->cases[c].suite == suite; c++)
                n += p->repeat;
            si = (cf_suite_info){su->name, su->path, su->target_name, n, nreported++};
            st = (cf_totals){0};
            secs = 0;
            for (size_t k = 0; k < f->nsinks; k++)
                f->sinks[k]->suite_begin(f->sinks[k], &si);
        }
        cf_case_result *r = &p->ring[i % p->window];
        if (threaded) {
            wait_final(f, r);
        } else {
            atomic_fetch_add(&p->next, 1);
            run_job(p, inline_http, i, r);
        }
        cf_totals_add(&st, r);
        cf_totals_add(&f->end.totals, r);
        secs += r->seconds;
        f->end.rate_waits += r->rate_waits;
        f->end.rate_wait_seconds += r->rate_wait_seconds;
        for (size_t k = 0; k < f->nsinks; k++)
            f->sinks[k]->case_done(f->sinks[k], &si, r);
        cf_case_result_clear(r);
        pthread_mutex_lock(&p->lock);
        p->consumed++;
        if (p->blocked)
            pthread_cond_broadcast(&p->room);
        pthread_mutex_unlock(&p->lock);
    }
    if (suite != (size_t)-1)
        for (size_t k = 0; k < f->nsinks; k++)
            f->sinks[k]->suite_end(f->sinks[k], &si, &st, secs);
    return nreported;
}

/* The results known only after the last case (cf_run_opts.conclude), as
 * suites after the run's own. */
static void report_extra(feed *f, size_t index)
{
    const cf_run_opts *o = f->p->opts;
    if (!o->conclude)
        return;
    cf_report extra = {0};
    o->conclude(o->judge_ctx, &extra);
    for (size_t s = 0; s < extra.nsuites; s++)
        cf_sink_feed_suite(f->sinks, f->nsinks, &extra.suites[s], index + s, &f->end.totals);
    for (size_t s = 0; s < extra.nsuites; s++)
        cf_suite_result_clear(&extra.suites[s]);
    free(extra.suites);
}

/* The selected cases in report order, and the targets they talk to. */
static int pick(pool *p, cf_suite *const *suites, size_t n, const cf_run_opts *opts,
                size_t *nsuites)
{
    size_t cnt = 0;
    for (size_t s = 0; s < n; s++)
        for (size_t i = 0; i < suites[s]->ncases; i++)
            cnt += cf_run_selected_in(suites[s], &suites[s]->cases[i], opts) ? 1 : 0;
    p->cases = cf_xcalloc(cnt ? cnt : 1, sizeof *p->cases);
    if (!p->cases)
        return -1;
    *nsuites = 0;
    for (size_t s = 0; s < n; s++) {
        size_t before = p->ncases;
        for (size_t i = 0; i < suites[s]->ncases; i++)
            if (cf_run_selected_in(suites[s], &suites[s]->cases[i], opts))
                p->cases[p->ncases++] = (picked){s, &suites[s]->cases[i]};
        *nsuites += p->ncases > before;
    }
    return 0;
}

/* The targets the selected cases talk to, in suite order, each once; base
 * URLs without userinfo (reports never show credentials). */
static cf_run_target *run_targets(const pool *p, size_t *count)
{
    cf_run_target *t = cf_xcalloc(p->ncases ? p->ncases : 1, sizeof *t);
    *count = 0;
    for (size_t i = 0; t && i < p->ncases; i++) {
        const cf_target *tg = p->suites[p->cases[i].suite]->target;
        size_t k = 0;
        while (tg && k < *count && strcmp(t[k].name, tg->name) != 0)
            k++;
        if (tg && k == *count)
            t[(*count)++] = (cf_run_target){tg->name, cf_url_without_userinfo(tg->base_url),
                                            &tg->versions, tg->version_error};
    }
    return t;
}

static void run_targets_free(cf_run_target *t, size_t n)
{
    for (size_t i = 0; t && i < n; i++)
        free((char *)t[i].base_url);
    free(t);
}

/* The run's header for the sinks; stamp and host are the caller's buffers. */
static cf_run_info run_info(const pool *p, const cf_run_opts *opts, int jobs, size_t nsuites,
                            const cf_run_target *targets, size_t ntargets, char stamp[32],
                            char host[256])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    host[0] = '\0';
    if (gethostname(host, 256) == 0)
        host[255] = '\0';
    return (cf_run_info){.version = CONFORM_VERSION,
                         .timestamp = stamp,
                         .hostname = host[0] ? host : NULL,
                         .total = p->total + (opts->conclude ? opts->extra_cases : 0),
                         .nsuites = nsuites + (opts->conclude ? opts->extra_suites : 0),
                         .jobs = jobs,
                         .repeat = (int)p->repeat,
                         .filter = opts->filter,
                         .tags = opts->tags,
                         .ntags = opts->ntags,
                         .shard_k = opts->shard_n > 0 ? opts->shard_k : 0,
                         .shard_n = opts->shard_n,
                         .rerun = opts->rerun,
                         .targets = targets,
                         .ntargets = ntargets};
}

/* Runs every job on up to `jobs` workers (inline when no thread starts)
 * while this thread reports; fills f->end. */
static void run_jobs(feed *f, int jobs)
{
    pool *p = f->p;
    double t0 = cf_now();
    if ((size_t)jobs > p->total)
        jobs = p->total ? (int)p->total : 1;
    pthread_t *tids = cf_xcalloc((size_t)jobs, sizeof *tids);
    int started = 0;
    for (int i = 0; tids && i < jobs; i++)
        if (pthread_create(&tids[i], NULL, worker, p) == 0)
            started++;
    cf_http *inline_http = NULL;
    if (!started && cf_http_new(&inline_http) < 0)
        inline_http = NULL; /* each case becomes an "internal" error */
    report_extra(f, report_all(f, started > 0, inline_http));
    cf_http_free(inline_http);
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    free(tids);
    f->end.seconds = cf_now() - t0;
    f->end.interrupted = interrupted != 0;
    f->end.started = 1;
}

static void pool_free(pool *p)
{
    free(p->ring);
    free(p->cases);
    cf_throttle_free(p->throttle);
}

int cf_run(cf_suite *const *suites, size_t n, const cf_run_opts *opts, cf_sink *const *sinks,
           size_t nsinks, cf_run_end *out, cf_error **err)
{
    pool p = {.opts = opts,
              .suites = suites,
              .lock = PTHREAD_MUTEX_INITIALIZER,
              .done = PTHREAD_COND_INITIALIZER,
              .room = PTHREAD_COND_INITIALIZER};
    feed f = {.p = &p, .sinks = sinks, .nsinks = nsinks};
    *out = (cf_run_end){0};
    if (!run_id[0])
        make_run_id();
    size_t nsuites = 0, ntargets = 0;
    cf_run_target *targets = NULL;
    p.repeat = opts->repeat > 0 ? (size_t)opts->repeat : 1;
    int jobs = opts->jobs > 0 ? opts->jobs : 1;
    p.window = (size_t)jobs * 16 < 64 ? 64 : (size_t)jobs * 16;
    p.ring = cf_xcalloc(p.window, sizeof *p.ring);
    if (!p.ring || pick(&p, suites, n, opts, &nsuites) < 0 ||
        !(targets = run_targets(&p, &ntargets)) ||
        cf_throttle_new(&p.throttle, cf_run_interrupted) < 0) {
        run_targets_free(targets, ntargets);
        pool_free(&p);
        return cf_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    p.total = p.ncases * p.repeat;
    char stamp[32], host[256];
    cf_run_info info = run_info(&p, opts, jobs, nsuites, targets, ntargets, stamp, host);
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < nsinks; k++)
        rc = sinks[k]->begin(sinks[k], &info, err);
    if (rc == 0) { /* else nothing was sent; the caller frees the sinks, dropping their files */
        run_jobs(&f, jobs);
        for (size_t k = 0; k < nsinks; k++)
            if (sinks[k]->end(sinks[k], &f.end, err) < 0)
                rc = -1;
        *out = f.end;
    }
    run_targets_free(targets, ntargets);
    pool_free(&p);
    return rc;
}
