/*
 * refserver_check.c - behaviour tests for conform-refserver, run by CTest
 * (tests/refserver/CMakeLists.txt) against servers started with the fixture
 * scripts in tests/lib.
 *
 *   refserver-check api STATE_DIR documented|rasa-1.2.1   every endpoint's responses
 *   refserver-check stateless STATE_DIR                   a --stateless server
 *   refserver-check fault STATE_DIR NAME                  a server started with --fault NAME
 *   refserver-check robust STATE_DIR                      hostile input, then still serving
 *   refserver-check list BINARY                           the --list-faults catalogue
 *   refserver-check cli BINARY                            usage errors and exit codes
 *
 * STATE_DIR/port holds the server's port. Each check asserts concrete
 * statuses, headers and bodies; nothing depends on how long anything takes
 * (the *-slow faults use a client timeout far below the server's delay).
 * Servers may be shared with other tests, so tokens are unique per run and
 * no check assumes a fresh state. Exit 0 when every check held, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_http.h"

#define APP "646b8e7d-f1e1-419e-9478-10d0f5bc74d9"
#define INCOMING "/api/apps/public/" APP "/incoming"
#define AUTH_T "X-Auth-Token: demo-auth-token"
#define AUTH_U "X-User-Id: demo-user-id"
#define JSON_CT "Content-Type: application/json"
#define DOC_CLOSE "{\"msg\":\" Close chat request handled successfully\"}"
#define DOC_HANDOVER "{\"msg\":\" Perform Handover request handled successfully\"}"
#define DOC_401 "{\"status\":\"error\",\"message\":\"You must be logged in to do this.\"}"
#define RASA121_OK "{\"result\":\"Your request was processed successfully\"}"
#define CT_EXPRESS "application/json; charset=utf-8"
#define CT_ORACLE "application/json;charset=utf-8"
#define SITE "day119_181100_sql_238h"
#define CONSUMER "/engagement/api/consumer/" SITE "/v1/"
#define ESTABLISH "/services/rest/crossChannelServices/latest/establishSessions"
#define REQUEST_PATH CONSUMER "requestEngagement?pool=297:1"
#define CONCLUDE_PATH CONSUMER "concludeEngagement?pool=297:1"
#define TWO_POW_53 "9007199254740992"

static int seq;

static void unique(char *buf, size_t n, const char *tag)
{
    snprintf(buf, n, "check-%s-%ld-%d", tag, (long)getpid(), ++seq);
}

/* --- Livechat / Rasa helpers --- */

/* Registers a fresh visitor (in dept when not NULL) and opens its room. */
static int open_room(char room[64], const char *dept)
{
    char token[96], body[256];
    resp r;
    cJSON *j;
    const char *id;
    int rc = -1;

    unique(token, sizeof(token), "visitor");
    if (dept)
        snprintf(body, sizeof(body), "{\"visitor\":{\"token\":\"%s\",\"department\":\"%s\"}}",
                 token, dept);
    else
        snprintf(body, sizeof(body), "{\"visitor\":{\"token\":\"%s\"}}", token);
    http_do(&r, &(req){.path = "/api/v1/livechat/visitor", .body = body, .headers = {JSON_CT}});
    if (!EXPECT_STATUS(&r, 200)) {
        resp_free(&r);
        return -1;
    }
    resp_free(&r);
    snprintf(body, sizeof(body), "/api/v1/livechat/room?token=%s", token);
    http_do(&r, &(req){.path = body});
    j = resp_json(&r);
    id = jstr(cJSON_GetObjectItemCaseSensitive(j, "room"), "_id");
    if (EXPECT_STATUS(&r, 200) && id && strlen(id) < 64) {
        strcpy(room, id);
        rc = 0;
    } else {
        FAIL("no room id");
    }
    cJSON_Delete(j);
    resp_free(&r);
    return rc;
}

static void rasa_raw(resp *out, bool auth, const char *body)
{
    req q = {.path = INCOMING, .body = body, .headers = {JSON_CT}};

    if (auth) {
        q.headers[1] = AUTH_T;
        q.headers[2] = AUTH_U;
    }
    http_do(out, &q);
}

/* action and sid are put in as JSON strings; target NULL leaves out actionData. */
static void rasa(resp *out, bool auth, const char *action, const char *sid, const char *target)
{
    char body[512];

    if (target)
        snprintf(body, sizeof(body),
                 "{\"action\":\"%s\",\"sessionId\":\"%s\",\"actionData\":{\"targetDepartment\":"
                 "\"%s\"}}",
                 action, sid, target);
    else
        snprintf(body, sizeof(body), "{\"action\":\"%s\",\"sessionId\":\"%s\"}", action, sid);
    rasa_raw(out, auth, body);
}

/* status plus exact body in one go; frees r. */
static void expect_and_free(resp *r, long status, const char *body, const char *ctype)
{
    EXPECT_STATUS(r, status);
    if (body)
        EXPECT_BODY(r, body);
    if (ctype)
        EXPECT_HEADER(r, "Content-Type", ctype);
    resp_free(r);
}

/* A documented-profile Rasa error: 400 {"status":"error","message":...}. */
static void expect_rasa_400(resp *r, const char *what)
{
    cJSON *j = resp_json(r);

    if (!EXPECT_STATUS(r, 400) || !jstr(j, "status") || strcmp(jstr(j, "status"), "error") != 0 ||
        !jstr(j, "message") || !jstr(j, "message")[0])
        FAIL("%s: expected 400 {\"status\":\"error\",\"message\":...}", what);
    EXPECT_HEADER(r, "Content-Type", "application/json");
    cJSON_Delete(j);
    resp_free(r);
}

static void expect_121_error(resp *r, const char *message)
{
    char want[512];

    snprintf(want, sizeof(want), "{\"error\":\"%s\"}", message);
    expect_and_free(r, 500, want, CT_EXPRESS);
}

/* --- Oracle helpers --- */

static int establish(char *jwt, size_t n)
{
    resp r;
    cJSON *j;
    const char *t;
    int rc = -1;

    http_do(&r, &(req){.path = ESTABLISH,
                       .userpwd = "demo:demo-password",
                       .body = "{\"sessionInformation\":\"{\\\"firstName\\\":\\\"Ann\\\"}\"}",
                       .headers = {JSON_CT}});
    j = resp_json(&r);
    t = jstr(j, "jwt");
    if (EXPECT_STATUS(&r, 200) && t && strlen(t) < n) {
        strcpy(jwt, t);
        rc = 0;
    }
    cJSON_Delete(j);
    resp_free(&r);
    return rc;
}

static void request_engagement(resp *out, const char *jwt, const char *body, const char *extra)
{
    char auth[1100];

    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", jwt);
    http_do(out, &(req){.path = REQUEST_PATH,
                        .body = body ? body : "{}",
                        .headers = {JSON_CT, auth, extra}});
}

static void conclude_at(resp *out, const char *path, const char *sid, const char *body,
                        const char *extra)
{
    char h[256];

    snprintf(h, sizeof(h), "SessionId: %s", sid);
    http_do(out, &(req){.path = path,
                        .body = body ? body : "{}",
                        .headers = {JSON_CT, sid ? h : NULL, sid ? extra : NULL}});
}

static void conclude(resp *out, const char *sid, const char *body, const char *extra)
{
    conclude_at(out, CONCLUDE_PATH, sid, body, extra);
}

/* Opens an engagement: its SessionId and the raw clientId text. */
static int new_session(char sid[64], char client_id[32])
{
    char jwt[1024];
    resp r;
    cJSON *j;
    const char *s;
    int rc = -1;

    if (establish(jwt, sizeof(jwt)) < 0)
        return -1;
    request_engagement(&r, jwt, NULL, NULL);
    j = resp_json(&r);
    s = jstr(j, "sessionId");
    if (EXPECT_STATUS(&r, 200) && s && strlen(s) < 64) {
        strcpy(sid, s);
        raw_member(&r, "clientId", client_id, 32);
        rc = 0;
    } else {
        FAIL("requestEngagement gave no sessionId");
    }
    cJSON_Delete(j);
    resp_free(&r);
    return rc;
}

static void expect_empty(resp *r, long status)
{
    expect_and_free(r, status, "{}", CT_ORACLE);
}

static bool is_time(const char *s)
{
    regex_t re;
    bool ok;

    if (s == NULL)
        return false;
    regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$",
            REG_EXTENDED | REG_NOSUB);
    ok = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

/* Is the decimal text a > the decimal text b (both non-negative, no sign)? */
static bool dec_greater(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    return la != lb ? la > lb : strcmp(a, b) > 0;
}

static bool all_digits(const char *s)
{
    if (s == NULL || *s == '\0')
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* The seven base fields, as the server writes them: clientId above 2^53 as
 * exact integer text equal to clientIdString, the echoes, the two times. */
static void check_base(const resp *r, const char *want_time, const char *want_txn,
                       const char *want_client_id)
{
    char buf[64], txn[64];
    cJSON *j = resp_json(r);
    const cJSON *crt = cJSON_GetObjectItemCaseSensitive(j, "clientRequestTime");

    CHECK(cJSON_IsObject(j), "body is not a JSON object: %s", r->body);
    if (want_time)
        CHECK(cJSON_IsString(crt) && strcmp(crt->valuestring, want_time) == 0,
              "clientRequestTime should echo %s", want_time);
    else
        CHECK(cJSON_IsNull(crt), "clientRequestTime should be null when not sent");
    CHECK(is_time(jstr(j, "serviceStartTime")), "serviceStartTime %s",
          jstr(j, "serviceStartTime") ? jstr(j, "serviceStartTime") : "(missing)");
    CHECK(is_time(jstr(j, "serviceFinishTime")), "serviceFinishTime %s",
          jstr(j, "serviceFinishTime") ? jstr(j, "serviceFinishTime") : "(missing)");
    CHECK(jstr(j, "serviceStartTime") && jstr(j, "serviceFinishTime") &&
              strcmp(jstr(j, "serviceStartTime"), jstr(j, "serviceFinishTime")) <= 0,
          "serviceStartTime after serviceFinishTime");
    raw_member(r, "clientId", buf, sizeof(buf));
    CHECK(all_digits(buf) && dec_greater(buf, TWO_POW_53), "clientId %s is not above 2^53", buf);
    CHECK(jstr(j, "clientIdString") && strcmp(jstr(j, "clientIdString"), buf) == 0,
          "clientIdString %s differs from clientId %s", jstr(j, "clientIdString"), buf);
    if (want_client_id)
        CHECK(strcmp(buf, want_client_id) == 0, "clientId %s, expected %s", buf, want_client_id);
    raw_member(r, "clientTransactionId", txn, sizeof(txn));
    CHECK(strcmp(txn, want_txn) == 0, "clientTransactionId %s, expected %s", txn, want_txn);
    CHECK(jstr(j, "clientTransactionIdString") &&
              strcmp(jstr(j, "clientTransactionIdString"), want_txn) == 0,
          "clientTransactionIdString should be \"%s\"", want_txn);
    cJSON_Delete(j);
}

static int count_members(const cJSON *o)
{
    return cJSON_IsObject(o) ? cJSON_GetArraySize(o) : -1;
}

/* ===================================================================== */
/* api: Livechat                                                          */

static void api_livechat(void)
{
    char token[96], body[512], path[256], vid[64] = "", rid[64] = "";
    resp r;
    cJSON *j, *v, *room;

    unique(token, sizeof(token), "lc");
    snprintf(body, sizeof(body),
             "{\"visitor\":{\"token\":\"%s\",\"name\":\"Ann\",\"email\":\"ann@example.test\","
             "\"department\":\"Sales\"}}",
             token);
    http_do(&r, &(req){.path = "/api/v1/livechat/visitor", .body = body, .headers = {JSON_CT}});
    EXPECT_STATUS(&r, 200);
    EXPECT_HEADER(&r, "Content-Type", "application/json");
    j = resp_json(&r);
    v = cJSON_GetObjectItemCaseSensitive(j, "visitor");
    CHECK(jtrue(j, "success"), "visitor: success should be true");
    CHECK(jstr(v, "_id") && strlen(jstr(v, "_id")) == 17, "visitor._id should be 17 characters");
    if (jstr(v, "_id"))
        snprintf(vid, sizeof(vid), "%s", jstr(v, "_id"));
    CHECK(jstr(v, "token") && strcmp(jstr(v, "token"), token) == 0, "visitor.token echo");
    CHECK(jstr(v, "name") && strcmp(jstr(v, "name"), "Ann") == 0, "visitor.name");
    CHECK(jstr(v, "username") && strncmp(jstr(v, "username"), "guest-", 6) == 0,
          "visitor.username should be guest-N");
    CHECK(jstr(v, "department") && strcmp(jstr(v, "department"), "dept-sales") == 0,
          "visitor.department should be the id of Sales");
    cJSON_Delete(j);
    resp_free(&r);

    /* Registering the same token again updates it: same id, new department by id. */
    snprintf(body, sizeof(body), "{\"visitor\":{\"token\":\"%s\",\"department\":\"dept-support\"}}",
             token);
    http_do(&r, &(req){.path = "/api/v1/livechat/visitor", .body = body, .headers = {JSON_CT}});
    EXPECT_STATUS(&r, 200);
    j = resp_json(&r);
    v = cJSON_GetObjectItemCaseSensitive(j, "visitor");
    CHECK(jstr(v, "_id") && strcmp(jstr(v, "_id"), vid) == 0, "re-registering changed _id");
    CHECK(jstr(v, "department") && strcmp(jstr(v, "department"), "dept-support") == 0,
          "re-registering did not move the visitor to dept-support");
    CHECK(jstr(v, "name") && strcmp(jstr(v, "name"), "Ann") == 0, "re-registering lost name");
    cJSON_Delete(j);
    resp_free(&r);

    /* Bad registrations. */
    {
        static const char *const bad[] = {
            "{\"visitor\":{}}",
            "{\"visitor\":{\"token\":\"\"}}",
            "{\"visitor\":{\"token\":5}}",
            "{\"token\":\"x\"}",
            "not json",
            "",
            "[]",
            "{\"visitor\":{\"token\":\"x\",\"department\":\"Nope\"}}",
            "{\"visitor\":{\"token\":\"x\",\"name\":7}}",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            http_do(
                &r,
                &(req){.path = "/api/v1/livechat/visitor", .body = bad[i], .headers = {JSON_CT}});
            j = resp_json(&r);
            if (!EXPECT_STATUS(&r, 400) || cJSON_IsFalse(cJSON_GetObjectItem(j, "success")) == 0 ||
                !jstr(j, "error"))
                FAIL("visitor body %s: expected 400 {\"success\":false,\"error\":...}", bad[i]);
            cJSON_Delete(j);
            resp_free(&r);
        }
    }
    http_do(&r, &(req){.path = "/api/v1/livechat/visitor",
                       .body = "{\"visitor\":{\"token\":\"x\",\"department\":\"Nope\"}}"});
    expect_and_free(&r, 400, "{\"success\":false,\"error\":\"error-invalid-department\"}", NULL);
    http_do(&r, &(req){.path = "/api/v1/livechat/visitor"});
    EXPECT_STATUS(&r, 405);
    EXPECT_HEADER(&r, "Allow", "POST");
    resp_free(&r);

    /* The room: created once, then returned again. */
    snprintf(path, sizeof(path), "/api/v1/livechat/room?token=%s", token);
    http_do(&r, &(req){.path = path});
    EXPECT_STATUS(&r, 200);
    EXPECT_HEADER(&r, "Content-Type", "application/json");
    j = resp_json(&r);
    room = cJSON_GetObjectItemCaseSensitive(j, "room");
    CHECK(jtrue(j, "newRoom") && jtrue(j, "success"), "first room: newRoom and success true");
    CHECK(jstr(room, "_id") && strlen(jstr(room, "_id")) == 17, "room._id: 17 characters");
    if (jstr(room, "_id"))
        snprintf(rid, sizeof(rid), "%s", jstr(room, "_id"));
    CHECK(jtrue(room, "open"), "room.open");
    CHECK(jstr(room, "t") && strcmp(jstr(room, "t"), "l") == 0, "room.t should be l");
    CHECK(cJSON_IsNumber(cJSON_GetObjectItem(room, "msgs")), "room.msgs");
    CHECK(jstr(room, "departmentId") && strcmp(jstr(room, "departmentId"), "dept-support") == 0,
          "room.departmentId should be the visitor's department");
    v = cJSON_GetObjectItemCaseSensitive(room, "v");
    CHECK(jstr(v, "token") && strcmp(jstr(v, "token"), token) == 0, "room.v.token");
    CHECK(jstr(v, "_id") && strcmp(jstr(v, "_id"), vid) == 0, "room.v._id is the visitor id");
    cJSON_Delete(j);
    resp_free(&r);

    http_do(&r, &(req){.path = path});
    EXPECT_STATUS(&r, 200);
    j = resp_json(&r);
    room = cJSON_GetObjectItemCaseSensitive(j, "room");
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(j, "newRoom")), "second room call: newRoom false");
    CHECK(jstr(room, "_id") && strcmp(jstr(room, "_id"), rid) == 0, "second room call: same id");
    cJSON_Delete(j);
    resp_free(&r);

    http_do(&r, &(req){.path = "/api/v1/livechat/room?token=check-no-such-token"});
    expect_and_free(&r, 400, "{\"success\":false,\"error\":\"invalid-token\"}", "application/json");
    http_do(&r, &(req){.path = "/api/v1/livechat/room"});
    expect_and_free(&r, 400, "{\"success\":false,\"error\":\"invalid-token\"}", NULL);
    http_do(&r, &(req){.path = path, .body = "{}"});
    EXPECT_STATUS(&r, 405);
    resp_free(&r);
}

/* ===================================================================== */
/* api: Rasa, documented profile                                          */

static void api_rasa_documented(void)
{
    char room[64], room2[64];
    resp r;
    char *big;

    if (open_room(room, "Support") < 0)
        return;

    /* 401 without or with wrong credentials; the room stays open. */
    rasa(&r, false, "close-chat", room, NULL);
    expect_and_free(&r, 401, DOC_401, "application/json");
    http_do(&r, &(req){.path = INCOMING, .body = "{}", .headers = {"X-Auth-Token: wrong", AUTH_U}});
    expect_and_free(&r, 401, DOC_401, NULL);
    http_do(&r, &(req){.path = INCOMING, .body = "{}", .headers = {AUTH_T}});
    expect_and_free(&r, 401, DOC_401, NULL);

    /* Handover: by name, again to the same (400), by id, without a target. */
    rasa(&r, true, "handover", room, "Sales");
    expect_and_free(&r, 200, DOC_HANDOVER, "application/json");
    rasa(&r, true, "handover", room, "Sales");
    expect_rasa_400(&r, "handover to the room's department");
    rasa(&r, true, "handover", room, "dept-sales");
    expect_rasa_400(&r, "handover to the room's department by id");
    rasa(&r, true, "handover", room, "dept-support");
    expect_and_free(&r, 200, DOC_HANDOVER, NULL);
    rasa(&r, true, "handover", room, NULL);
    expect_and_free(&r, 200, DOC_HANDOVER, NULL);
    rasa(&r, true, "handover", room, "Nope");
    expect_rasa_400(&r, "handover to an unknown department");
    rasa_raw(&r, true,
             "{\"action\":\"handover\",\"sessionId\":\"x\",\"actionData\":{"
             "\"targetDepartment\":5}}");
    expect_rasa_400(&r, "targetDepartment a number");

    /* Close: 200 once, then the room is closed. */
    rasa(&r, true, "close-chat", room, NULL);
    expect_and_free(&r, 200, DOC_CLOSE, "application/json");
    rasa(&r, true, "close-chat", room, NULL);
    expect_rasa_400(&r, "close-chat twice");
    rasa(&r, true, "handover", room, "Sales");
    expect_rasa_400(&r, "handover on a closed room");
    rasa(&r, true, "close-chat", "NoSuchRoomId12345", NULL);
    expect_rasa_400(&r, "close-chat on an unknown room");
    rasa(&r, true, "handover", "NoSuchRoomId12345", "Sales");
    expect_rasa_400(&r, "handover on an unknown room");

    /* Malformed requests. */
    {
        static const char *const bad[] = {
            "",
            "not json",
            "[]",
            "\"close-chat\"",
            "{}",
            "{\"action\":\"close-chat\"}",
            "{\"action\":\"close-chat\",\"sessionId\":\"\"}",
            "{\"action\":\"close-chat\",\"sessionId\":5}",
            "{\"action\":\"explode\",\"sessionId\":\"x\"}",
            "{\"sessionId\":\"x\"}",
            "{\"action\":\"handover\",\"sessionId\":\"x\",\"actionData\":[]}",
            "{\"action\":\"close-chat\",\"sessionId\":\"x\"} trailing",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            rasa_raw(&r, true, bad[i]);
            expect_rasa_400(&r, bad[i]);
        }
    }

    /* A new room for the visitor after a close comes with newRoom true. */
    if (open_room(room2, NULL) == 0)
        CHECK(strcmp(room, room2) != 0, "a new room reused a closed room's id");

    http_do(&r, &(req){.path = INCOMING});
    EXPECT_STATUS(&r, 405);
    EXPECT_HEADER(&r, "Allow", "POST");
    resp_free(&r);
    http_do(&r, &(req){.path = INCOMING, .method = "PUT", .body = "{}"});
    EXPECT_STATUS(&r, 405);
    resp_free(&r);
    http_do(&r, &(req){.path = "/api/apps/public/00000000-0000-0000-0000-000000000000/incoming",
                       .body = "{}",
                       .headers = {AUTH_T, AUTH_U}});
    expect_and_free(&r, 404, "Not Found", "text/plain; charset=utf-8");
    http_do(&r, &(req){.path = "/api/apps/public/" APP "/callback", .body = "{}"});
    expect_and_free(&r, 404, "Not Found", NULL);

    /* Bodies over 1 MiB: 413, announced or chunked; the server keeps serving. */
    big = malloc(2u << 20);
    if (big) {
        memset(big, ' ', 2u << 20);
        big[0] = '{';
        big[(2u << 20) - 1] = '}';
        http_do(&r, &(req){.path = INCOMING,
                           .body = big,
                           .body_len = 2u << 20,
                           .headers = {AUTH_T, AUTH_U}});
        EXPECT_STATUS(&r, 413);
        resp_free(&r);
        http_do(&r, &(req){.path = INCOMING,
                           .body = big,
                           .body_len = 2u << 20,
                           .headers = {AUTH_T, AUTH_U},
                           .chunked_upload = true});
        EXPECT_STATUS(&r, 413);
        resp_free(&r);
        free(big);
    }
    if (open_room(room, NULL) == 0) {
        rasa(&r, true, "close-chat", room, NULL);
        expect_and_free(&r, 200, DOC_CLOSE, NULL);
    }
}

/* ===================================================================== */
/* api: Rasa, rasa-1.2.1 profile (apis.md A.3)                            */

#define E_SESSION "Error! Session Id not valid"
#define E_ACTION "Error!! Invalid Action type"
#define E_ROOM "Error! Room Id not valid"
#define E_SAME "Error! Invalid request. User is already present in the specified department"
#define E_EMPTY                                                                                    \
    "Error: Department Name cannot be empty. Please provide a department name either in App "      \
    "Setting or in the handover Request"
#define E_DEPT "Error: Department Name is not valid"

static void api_rasa_121(void)
{
    char room[64];
    resp r;

    if (open_room(room, "Sales") < 0)
        return;
    /* No credential check at all. */
    rasa(&r, false, "handover", room, NULL);
    expect_121_error(&r, E_EMPTY);
    rasa(&r, false, "handover", room, "Sales");
    expect_121_error(&r, E_SAME);
    rasa(&r, false, "handover", room, "dept-sales"); /* the app compares names only */
    expect_and_free(&r, 200, RASA121_OK, CT_EXPRESS);
    rasa(&r, false, "handover", room, "Nope");
    expect_121_error(&r, E_DEPT);
    rasa(&r, false, "handover", room, "Support");
    expect_and_free(&r, 200, RASA121_OK, CT_EXPRESS);
    rasa(&r, false, "handover", room, "Support");
    expect_121_error(&r, E_SAME);
    rasa_raw(&r, false, "{\"action\":\"handover\",\"sessionId\":\"x\"}");
    expect_121_error(&r, E_SESSION);

    http_do(&r, &(req){.path = INCOMING,
                       .body = "{\"action\":\"close-chat\",\"sessionId\":\"nope\"}",
                       .headers = {"X-Auth-Token: wrong", "X-User-Id: wrong"}});
    expect_121_error(&r, E_ROOM);
    rasa(&r, false, "close-chat", room, NULL);
    expect_and_free(&r, 200, RASA121_OK, CT_EXPRESS);
    /* The profile behaves as Rocket.Chat 6.4 (GET /api/info): a closed room
     * is closed or transferred again quietly, so the app answers 200
     * (apis.md A.8; since 7.0 it is a 500, tests/data/test313). */
    rasa(&r, false, "close-chat", room, NULL);
    expect_and_free(&r, 200, RASA121_OK, CT_EXPRESS);
    rasa(&r, false, "handover", room, "Sales");
    expect_and_free(&r, 200, RASA121_OK, CT_EXPRESS);

    rasa_raw(&r, false, "{}");
    expect_121_error(&r, E_SESSION);
    rasa_raw(&r, false, "");
    expect_121_error(&r, E_SESSION);
    rasa_raw(&r, false, "[]");
    expect_121_error(&r, E_SESSION);
    rasa_raw(&r, false, "{\"action\":\"close-chat\",\"sessionId\":\"\"}");
    expect_121_error(&r, E_SESSION);
    rasa_raw(&r, false, "{\"action\":\"close-chat\",\"sessionId\":0}");
    expect_121_error(&r, E_SESSION);
    rasa_raw(&r, false, "{\"action\":\"close-chat\",\"sessionId\":null}");
    expect_121_error(&r, E_SESSION);
    rasa_raw(&r, false, "{\"sessionId\":\"x\"}");
    expect_121_error(&r, E_ACTION);
    rasa_raw(&r, false, "{\"action\":\"explode\",\"sessionId\":\"x\"}");
    expect_121_error(&r, E_ACTION);
    rasa_raw(&r, false, "{\"action\":\"close-chat\",\"sessionId\":12345}");
    expect_121_error(&r, E_ROOM);
    rasa_raw(&r, false, "not json");
    expect_and_free(&r, 400, NULL, "text/html; charset=utf-8");

    http_do(&r, &(req){.path = INCOMING});
    expect_and_free(&r, 500, "incoming's get not exists", "text/html; charset=utf-8");
    http_do(&r, &(req){.path = "/api/apps/public/nope/incoming", .body = "{}"});
    expect_and_free(&r, 404, "Not Found", NULL);
}

/* ===================================================================== */
/* api: Oracle (both profiles)                                            */

static void api_oracle(void)
{
    char jwt[1024], auth[1100], sid[64], cid[32], sid2[64], cid2[32], buf[64];
    resp r;
    cJSON *j, *ssr;

    /* establishSessions */
    http_do(&r, &(req){.path = ESTABLISH, .body = "{\"sessionInformation\":\"{}\"}"});
    expect_empty(&r, 401);
    http_do(&r, &(req){.path = ESTABLISH,
                       .body = "{\"sessionInformation\":\"{}\"}",
                       .userpwd = "demo:wrong"});
    expect_empty(&r, 401);
    http_do(&r, &(req){.path = ESTABLISH,
                       .userpwd = "demo:demo-password",
                       .body = "{\"sessionInformation\":\"{\\\"firstName\\\":\\\"Ann\\\","
                               "\\\"queueId\\\":1}\"}",
                       .headers = {JSON_CT, "Host: chat.example.test:8443",
                                   "OSvC-CREST-Application-Context: conform"}});
    EXPECT_STATUS(&r, 200);
    EXPECT_HEADER(&r, "Content-Type", CT_ORACLE);
    j = resp_json(&r);
    CHECK(jstr(j, "jwt") && strchr(jstr(j, "jwt"), '.'), "establishSessions: jwt");
    CHECK(jstr(j, "channelToken") && jstr(j, "jwt") &&
              strcmp(jstr(j, "channelToken"), jstr(j, "jwt")) == 0,
          "establishSessions: channelToken");
    CHECK(jstr(j, "siteName") && strcmp(jstr(j, "siteName"), SITE) == 0, "siteName");
    ssr = jstr(j, "sessionServerResponse") ? cJSON_Parse(jstr(j, "sessionServerResponse")) : NULL;
    CHECK(jstr(ssr, "domain") && strcmp(jstr(ssr, "domain"), "chat.example.test:8443") == 0,
          "sessionServerResponse.domain should echo the Host header: %s",
          jstr(j, "sessionServerResponse"));
    CHECK(jstr(ssr, "pool") && strcmp(jstr(ssr, "pool"), "297:1") == 0, "pool");
    cJSON_Delete(ssr);
    cJSON_Delete(j);
    resp_free(&r);

    /* HTTP/1.0 without Host: the server's own address. */
    http_do(&r, &(req){.path = ESTABLISH,
                       .userpwd = "demo:demo-password",
                       .http10 = true,
                       .body = "{\"sessionInformation\":\"{}\"}",
                       .headers = {"Host:"}});
    EXPECT_STATUS(&r, 200);
    j = resp_json(&r);
    ssr = jstr(j, "sessionServerResponse") ? cJSON_Parse(jstr(j, "sessionServerResponse")) : NULL;
    snprintf(buf, sizeof(buf), "127.0.0.1:%d", check_port);
    CHECK(jstr(ssr, "domain") && strcmp(jstr(ssr, "domain"), buf) == 0,
          "without Host the domain should be %s", buf);
    cJSON_Delete(ssr);
    cJSON_Delete(j);
    resp_free(&r);

    {
        static const char *const bad[] = {
            "",
            "nope",
            "{}",
            "{\"sessionInformation\":{}}",
            "{\"sessionInformation\":\"nope\"}",
            "{\"sessionInformation\":\"[]\"}",
            "[]",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            http_do(&r, &(req){.path = ESTABLISH, .body = bad[i], .userpwd = "demo:demo-password"});
            expect_empty(&r, 400);
        }
    }
    http_do(&r, &(req){.path = ESTABLISH,
                       .body = "{\"sessionInformation\":\"{}\"}",
                       .userpwd = "demo:demo-password",
                       .headers = {"OSvC-CREST-Application-Context: "
                                   "01234567890123456789012345678901234567890"}});
    expect_empty(&r, 400);
    http_do(&r, &(req){.path = ESTABLISH, .userpwd = "demo:demo-password"});
    EXPECT_STATUS(&r, 405);
    resp_free(&r);

    if (establish(jwt, sizeof(jwt)) < 0)
        return;
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", jwt);

    /* requestEngagement: the errors... */
    http_do(&r, &(req){.path = REQUEST_PATH, .body = "{}"});
    expect_empty(&r, 403);
    request_engagement(&r, "not-a-jwt", NULL, NULL);
    expect_empty(&r, 403);
    {
        char forged[1100];
        snprintf(forged, sizeof(forged), "%.*sAAAAAAAAAAA", (int)(strrchr(jwt, '.') - jwt + 1),
                 jwt);
        request_engagement(&r, forged, NULL, NULL);
        expect_empty(&r, 403);
    }
    http_do(&r,
            &(req){.path = "/engagement/api/consumer/other_site/v1/requestEngagement?pool=297:1",
                   .body = "{}",
                   .headers = {auth}});
    expect_empty(&r, 404);
    http_do(&r, &(req){.path = CONSUMER "requestEngagement", .body = "{}", .headers = {auth}});
    expect_empty(&r, 400);
    http_do(&r,
            &(req){.path = CONSUMER "requestEngagement?pool=1:1", .body = "{}", .headers = {auth}});
    expect_empty(&r, 400);
    {
        static const char *const bad[] = {
            "nope",
            "[]",
            "{\"clientTransactionId\":\"5\"}",
            "{\"clientTransactionId\":1.5}",
            "{\"clientTransactionId\":99999999999999999999}",
            "{\"clientRequestTime\":5}",
            "{\"clientRequestTime\":{}}",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            request_engagement(&r, jwt, bad[i], NULL);
            expect_empty(&r, 400);
        }
    }
    request_engagement(&r, jwt, NULL, "X-Conform-Simulate: 408");
    expect_empty(&r, 408);
    request_engagement(&r, jwt, NULL, "X-Conform-Simulate: 409");
    expect_empty(&r, 409);
    request_engagement(&r, jwt, NULL, "X-Conform-Simulate: 500");
    expect_empty(&r, 500);
    request_engagement(&r, jwt, NULL, "X-Conform-Simulate: 418");
    expect_empty(&r, 400);
    http_do(&r, &(req){.path = REQUEST_PATH, .headers = {auth}});
    EXPECT_STATUS(&r, 405);
    resp_free(&r);

    /* ...and the 200, with echoes above 2^53 kept exact. */
    request_engagement(&r, jwt,
                       "{\"clientRequestTime\":\"2026-11-23T10:00:00+01:00\","
                       "\"clientTransactionId\":9007199254740995}",
                       NULL);
    EXPECT_STATUS(&r, 200);
    EXPECT_HEADER(&r, "Content-Type", CT_ORACLE);
    check_base(&r, "2026-11-23T10:00:00+01:00", "9007199254740995", NULL);
    j = resp_json(&r);
    CHECK(jstr(j, "sessionId") && strlen(jstr(j, "sessionId")) == 25, "sessionId: 25 characters");
    raw_member(&r, "engagementId", buf, sizeof(buf));
    CHECK(all_digits(buf) && jstr(j, "engagementIdString") &&
              strcmp(buf, jstr(j, "engagementIdString")) == 0,
          "engagementId %s and engagementIdString", buf);
    CHECK(jstr(j, "resultType") != NULL, "resultType");
    CHECK(jstr(j, "cancelledSurveyAuth") &&
              cJSON_IsNumber(cJSON_GetObjectItem(j, "cancelledSurveyId")) &&
              jstr(j, "cancelledSurveyIdString"),
          "cancelledSurvey* fields");
    cJSON_Delete(j);
    resp_free(&r);
    /* The same JWT serves again, with a different client. */
    request_engagement(&r, jwt, "{\"clientTransactionId\":-7,\"clientRequestTime\":null}", NULL);
    EXPECT_STATUS(&r, 200);
    check_base(&r, NULL, "-7", NULL);
    resp_free(&r);

    /* concludeEngagement */
    if (new_session(sid, cid) < 0 || new_session(sid2, cid2) < 0)
        return;
    CHECK(strcmp(cid, cid2) != 0, "two engagements got the same clientId %s", cid);
    conclude(&r, NULL, NULL, NULL);
    expect_empty(&r, 403);
    conclude(&r, "unknownsessionid000000000", NULL, NULL);
    expect_empty(&r, 403);
    conclude_at(&r, "/engagement/api/consumer/other_site/v1/concludeEngagement?pool=297:1", sid,
                NULL, NULL);
    expect_empty(&r, 404);
    conclude_at(&r, CONSUMER "concludeEngagement", sid, NULL, NULL);
    expect_empty(&r, 400);
    conclude_at(&r, CONSUMER "postMessage?pool=297:1", sid, NULL, NULL);
    expect_empty(&r, 404);
    conclude(&r, sid, "{\"clientTransactionId\":\"x\"}", NULL);
    expect_empty(&r, 400);
    conclude(&r, sid, "{", NULL);
    expect_empty(&r, 400);
    conclude(&r, sid, NULL, "X-Conform-Simulate: 500");
    expect_empty(&r, 500);
    /* None of these concluded it. */
    conclude(&r, sid, NULL, NULL);
    EXPECT_STATUS(&r, 200);
    EXPECT_HEADER(&r, "Content-Type", CT_ORACLE);
    check_base(&r, NULL, "0", cid);
    j = resp_json(&r);
    CHECK(count_members(j) == 7, "concludeEngagement: exactly the seven base fields, got %d",
          count_members(j));
    cJSON_Delete(j);
    resp_free(&r);
    conclude(&r, sid, NULL, NULL);
    expect_empty(&r, 403);
    /* An empty body is {}; the echoes come back. */
    http_do(&r, &(req){.path = CONCLUDE_PATH, .method = "POST", .headers = {"SessionId: x"}});
    expect_empty(&r, 403);
    conclude(&r, sid2,
             "{\"clientRequestTime\":\"2026-11-23T10:00:00Z\",\"clientTransactionId\":42}", NULL);
    EXPECT_STATUS(&r, 200);
    check_base(&r, "2026-11-23T10:00:00Z", "42", cid2);
    resp_free(&r);
    http_do(&r, &(req){.path = CONCLUDE_PATH, .headers = {"SessionId: x"}});
    EXPECT_STATUS(&r, 405);
    resp_free(&r);
    http_do(&r, &(req){.path = "/no/such/path"});
    expect_and_free(&r, 404, "Not Found", NULL);
}

/* ===================================================================== */
/* stateless                                                              */

static void check_stateless(void)
{
    resp r;

    rasa(&r, true, "close-chat", "bench-room", NULL);
    expect_and_free(&r, 200, DOC_CLOSE, NULL);
    rasa(&r, true, "close-chat", "bench-room", NULL);
    expect_and_free(&r, 200, DOC_CLOSE, NULL);
    rasa(&r, true, "handover", "any-room", "Support");
    expect_and_free(&r, 200, DOC_HANDOVER, NULL);
    rasa(&r, true, "handover", "any-room", "Nope");
    expect_rasa_400(&r, "stateless handover to an unknown department");
    rasa(&r, false, "close-chat", "bench-room", NULL);
    expect_and_free(&r, 401, DOC_401, NULL);
    rasa_raw(&r, true, "{\"action\":\"close-chat\"}");
    expect_rasa_400(&r, "stateless close-chat without sessionId");
}

/* ===================================================================== */
/* faults                                                                 */

typedef enum scenario { SC_RASA, SC_CONCLUDE, SC_REQUEST } scenario;

typedef struct fault_ctx {
    resp r;        /* the faulted response */
    char room[64]; /* SC_RASA */
    char sid[64];  /* SC_CONCLUDE */
    char cid[32];  /* the clientId the engagement got */
} fault_ctx;

typedef void (*fault_check)(fault_ctx *c);

typedef struct fault_test {
    const char *name;
    scenario sc;
    fault_check check;
    long timeout_ms; /* client timeout for the faulted request, 0: default */
} fault_test;

static void run_scenario(fault_ctx *c, scenario sc, long timeout_ms)
{
    char jwt[1024];

    memset(c, 0, sizeof(*c));
    if (sc == SC_RASA) {
        char body[256];
        if (open_room(c->room, NULL) < 0)
            return;
        snprintf(body, sizeof(body), "{\"action\":\"close-chat\",\"sessionId\":\"%s\"}", c->room);
        http_do(&c->r, &(req){.path = INCOMING,
                              .body = body,
                              .headers = {JSON_CT, AUTH_T, AUTH_U},
                              .timeout_ms = timeout_ms});
    } else if (sc == SC_CONCLUDE) {
        char h[128];
        if (new_session(c->sid, c->cid) < 0)
            return;
        snprintf(h, sizeof(h), "SessionId: %s", c->sid);
        http_do(&c->r, &(req){.path = CONCLUDE_PATH,
                              .body = "{}",
                              .headers = {JSON_CT, h},
                              .timeout_ms = timeout_ms});
    } else {
        if (establish(jwt, sizeof(jwt)) < 0)
            return;
        request_engagement(&c->r, jwt, NULL, NULL);
    }
}

/* The operation still did its work: the room is closed, the session gone
 * (and the error that says so is not faulted). */
static void check_state_after(fault_ctx *c, scenario sc)
{
    resp r;

    if (sc == SC_RASA && c->room[0]) {
        rasa(&r, true, "close-chat", c->room, NULL);
        expect_rasa_400(&r, "close-chat after the faulted one");
    } else if (sc == SC_CONCLUDE && c->sid[0]) {
        conclude(&r, c->sid, NULL, NULL);
        expect_empty(&r, 403);
    }
}

static void doc_rasa_ok(fault_ctx *c) /* status 200, documented body and type */
{
    EXPECT_STATUS(&c->r, 200);
    EXPECT_BODY(&c->r, DOC_CLOSE);
    EXPECT_HEADER(&c->r, "Content-Type", "application/json");
}

/* A conclude body that parses to the seven fields of this engagement. */
static void conclude_fields_ok(fault_ctx *c)
{
    cJSON *j = resp_json(&c->r);
    char buf[64];

    CHECK(count_members(j) == 7, "expected the seven base fields: %s", c->r.body);
    raw_member(&c->r, "clientId", buf, sizeof(buf));
    CHECK(strcmp(buf, c->cid) == 0, "clientId %s, expected %s", buf, c->cid);
    cJSON_Delete(j);
}

static void doc_conclude_ok(fault_ctx *c)
{
    EXPECT_STATUS(&c->r, 200);
    EXPECT_HEADER(&c->r, "Content-Type", CT_ORACLE);
    conclude_fields_ok(c);
}

static void fc_rasa_202(fault_ctx *c)
{
    EXPECT_STATUS(&c->r, 202);
    EXPECT_BODY(&c->r, DOC_CLOSE);
}
static void fc_rasa_401(fault_ctx *c)
{
    EXPECT_STATUS(&c->r, 401);
    EXPECT_BODY(&c->r, DOC_CLOSE);
}
static void fc_rasa_missing(fault_ctx *c)
{
    EXPECT_STATUS(&c->r, 200);
    EXPECT_BODY(&c->r, "{}");
}
static void fc_rasa_number(fault_ctx *c)
{
    EXPECT_BODY(&c->r, "{\"msg\":42}");
}
static void fc_rasa_null(fault_ctx *c)
{
    EXPECT_BODY(&c->r, "{\"msg\":null}");
}
static void fc_rasa_text(fault_ctx *c)
{
    EXPECT_BODY(&c->r, "{\"msg\":\" Chat closed\"}");
}
static void fc_rasa_nospace(fault_ctx *c)
{
    EXPECT_BODY(&c->r, "{\"msg\":\"Close chat request handled successfully\"}");
}
static void fc_rasa_html(fault_ctx *c)
{
    EXPECT_STATUS(&c->r, 200);
    EXPECT_BODY(&c->r, DOC_CLOSE);
    EXPECT_HEADER(&c->r, "Content-Type", "text/html; charset=utf-8");
}
static void fc_rasa_no_ct(fault_ctx *c)
{
    EXPECT_BODY(&c->r, DOC_CLOSE);
    EXPECT_HEADER(&c->r, "Content-Type", NULL);
}
static void fc_rasa_invalid(fault_ctx *c)
{
    cJSON *j = resp_json(&c->r);

    EXPECT_BODY(&c->r, "{msg: ' Close chat request handled successfully'}");
    CHECK(j == NULL, "the body parses as JSON");
    cJSON_Delete(j);
}
static void fc_truncated(fault_ctx *c, const char *prefix)
{
    cJSON *j = resp_json(&c->r);
    char *cl = resp_header(&c->r, "Content-Length");
    char len[32];

    EXPECT_STATUS(&c->r, 200);
    snprintf(len, sizeof(len), "%zu", c->r.len);
    CHECK(cl && strcmp(cl, len) == 0, "Content-Length %s for a body of %zu bytes", cl, c->r.len);
    CHECK(j == NULL, "the truncated body parses as JSON: %s", c->r.body);
    CHECK(c->r.len > 0 && strncmp(c->r.body, prefix,
                                  c->r.len < strlen(prefix) ? c->r.len : strlen(prefix)) == 0,
          "the body is not a prefix of %s: %s", prefix, c->r.body);
    free(cl);
    cJSON_Delete(j);
}
static void fc_rasa_truncated(fault_ctx *c)
{
    fc_truncated(c, DOC_CLOSE);
    CHECK(c->r.len == strlen(DOC_CLOSE) / 2, "expected half the body, got %zu bytes", c->r.len);
}
static void fc_empty(fault_ctx *c, const char *ctype)
{
    EXPECT_STATUS(&c->r, 200);
    CHECK(c->r.len == 0, "expected an empty body, got %zu bytes", c->r.len);
    EXPECT_HEADER(&c->r, "Content-Length", "0");
    EXPECT_HEADER(&c->r, "Content-Type", ctype);
}
static void fc_rasa_empty(fault_ctx *c)
{
    fc_empty(c, "application/json");
}
static void fc_huge(fault_ctx *c)
{
    cJSON *j;

    EXPECT_STATUS(&c->r, 200);
    CHECK(c->r.len == 9u * 1024u * 1024u, "expected 9 MiB, got %zu bytes", c->r.len);
    j = resp_json(&c->r);
    CHECK(cJSON_IsObject(j) && jstr(j, "padding"), "the 9 MiB body is not a JSON object");
    cJSON_Delete(j);
}
static void fc_rasa_huge(fault_ctx *c)
{
    cJSON *j = resp_json(&c->r);

    fc_huge(c);
    CHECK(jstr(j, "msg") && strcmp(jstr(j, "msg"), " Close chat request handled successfully") == 0,
          "msg changed in the 9 MiB body");
    cJSON_Delete(j);
}
/* The client gives up long before the server answers; a second room, waited
 * for, gets the documented answer late. */
static void fc_slow(fault_ctx *c, scenario sc)
{
    fault_ctx late;

    EXPECT_CODE(&c->r, CURLE_OPERATION_TIMEDOUT);
    run_scenario(&late, sc, 0);
    if (sc == SC_RASA)
        doc_rasa_ok(&late);
    else
        doc_conclude_ok(&late);
    resp_free(&late.r);
}
static void fc_rasa_slow(fault_ctx *c)
{
    fc_slow(c, SC_RASA);
}
static void fc_reset(fault_ctx *c, size_t full)
{
    CHECK(c->r.code == CURLE_PARTIAL_FILE || c->r.code == CURLE_RECV_ERROR,
          "expected a transfer cut short, got curl %d (%s)", (int)c->r.code,
          curl_easy_strerror(c->r.code));
    CHECK(c->r.status == 200, "the status line should have arrived: %ld", c->r.status);
    CHECK(c->r.len < full, "got the whole body (%zu bytes)", c->r.len);
}
static void fc_rasa_reset(fault_ctx *c)
{
    fc_reset(c, strlen(DOC_CLOSE));
    CHECK(c->r.len == strlen(DOC_CLOSE) / 2, "expected half the body, got %zu", c->r.len);
}
static void fc_no_response(fault_ctx *c)
{
    EXPECT_CODE(&c->r, CURLE_GOT_NOTHING);
    CHECK(c->r.status == 0, "a status line came: %ld", c->r.status);
}
static void fc_rasa_utf8(fault_ctx *c)
{
    EXPECT_STATUS(&c->r, 200);
    EXPECT_BODY(&c->r, "{\"msg\":\" Close chat request handled successfully \xC3\x28\xFF\"}");
}
static void fc_rasa_xml(fault_ctx *c)
{
    cJSON *j = resp_json(&c->r);
    const char *m = jstr(j, "msg");

    EXPECT_STATUS(&c->r, 200);
    CHECK(m && strstr(m, "]]>") && strchr(m, '<') && strchr(m, '&') && strchr(m, '\x01') &&
              strchr(m, '\x1b'),
          "msg should hold ]]>, <, &, U+0001 and U+001B: %s", c->r.body);
    CHECK(strstr(c->r.body, "\\u0001") != NULL, "U+0001 should travel as a \\u escape");
    cJSON_Delete(j);
}
static void fc_h_rasa_escape(fault_ctx *c)
{
    cJSON *j = resp_json(&c->r);

    EXPECT_STATUS(&c->r, 200);
    CHECK(strstr(c->r.body, "\"\\u0020Close\\u0020chat") != NULL, "no \\u0020 in %s", c->r.body);
    CHECK(jstr(j, "msg") && strcmp(jstr(j, "msg"), " Close chat request handled successfully") == 0,
          "the escaped msg decodes to something else");
    cJSON_Delete(j);
}
static void fc_h_rasa_charset(fault_ctx *c)
{
    EXPECT_BODY(&c->r, DOC_CLOSE);
    EXPECT_HEADER(&c->r, "Content-Type", "application/json; charset=UTF-8");
}
static void fc_h_rasa_case(fault_ctx *c)
{
    EXPECT_BODY(&c->r, DOC_CLOSE);
    CHECK(resp_header_line(&c->r, "content-type: application/json\r\n"),
          "no lower-case content-type line in:\n%s", c->r.headers);
}
static void fc_pretty(fault_ctx *c)
{
    EXPECT_STATUS(&c->r, 200);
    CHECK(c->r.body[0] == '\n' && strchr(c->r.body + 1, '\n'), "the body is not pretty-printed");
}
static void fc_h_rasa_pretty(fault_ctx *c)
{
    cJSON *j = resp_json(&c->r), *want = cJSON_Parse(DOC_CLOSE);

    fc_pretty(c);
    CHECK(cJSON_Compare(j, want, 1), "the pretty body is not the documented one: %s", c->r.body);
    cJSON_Delete(j);
    cJSON_Delete(want);
}
static void fc_chunked(fault_ctx *c)
{
    EXPECT_STATUS(&c->r, 200);
    EXPECT_HEADER(&c->r, "Transfer-Encoding", "chunked");
    EXPECT_HEADER(&c->r, "Content-Length", NULL);
}
static void fc_h_rasa_chunked(fault_ctx *c)
{
    fc_chunked(c);
    EXPECT_BODY(&c->r, DOC_CLOSE);
}
static void fc_h_rasa_close(fault_ctx *c)
{
    doc_rasa_ok(c);
    EXPECT_HEADER(&c->r, "Connection", "close");
}
static void fc_h_rasa_extra(fault_ctx *c)
{
    cJSON *j = resp_json(&c->r);

    EXPECT_STATUS(&c->r, 200);
    CHECK(jstr(j, "msg") &&
              strcmp(jstr(j, "msg"), " Close chat request handled successfully") == 0 &&
              jtrue(j, "success") && count_members(j) == 2,
          "expected msg plus success:true: %s", c->r.body);
    cJSON_Delete(j);
}

static void fc_or_500(fault_ctx *c)
{
    EXPECT_STATUS(&c->r, 500);
    conclude_fields_ok(c);
}
static void fc_or_202(fault_ctx *c)
{
    EXPECT_STATUS(&c->r, 202);
    conclude_fields_ok(c);
}
static void fc_or_missing(fault_ctx *c)
{
    cJSON *j = resp_json(&c->r);

    EXPECT_STATUS(&c->r, 200);
    CHECK(count_members(j) == 6 && !cJSON_GetObjectItem(j, "clientId") && jstr(j, "clientIdString"),
          "expected the base fields but clientId: %s", c->r.body);
    cJSON_Delete(j);
}
static void fc_or_string(fault_ctx *c)
{
    cJSON *j = resp_json(&c->r);

    CHECK(jstr(j, "clientId") && strcmp(jstr(j, "clientId"), c->cid) == 0,
          "clientId should be the string \"%s\": %s", c->cid, c->r.body);
    cJSON_Delete(j);
}
static void fc_or_member_raw(fault_ctx *c, const char *key, const char *raw)
{
    char buf[64];

    EXPECT_STATUS(&c->r, 200);
    raw_member(&c->r, key, buf, sizeof(buf));
    CHECK(strcmp(buf, raw) == 0, "%s should be %s: %s", key, raw, c->r.body);
}
static void fc_or_null(fault_ctx *c)
{
    fc_or_member_raw(c, "clientId", "null");
}
static void fc_or_fraction(fault_ctx *c)
{
    fc_or_member_raw(c, "clientId", "34.5");
}
static void fc_or_date(fault_ctx *c)
{
    fc_or_member_raw(c, "serviceStartTime", "\"yesterday\"");
}
static void fc_or_html(fault_ctx *c)
{
    EXPECT_STATUS(&c->r, 200);
    conclude_fields_ok(c);
    EXPECT_HEADER(&c->r, "Content-Type", "text/html;charset=utf-8");
}
static void fc_or_no_ct(fault_ctx *c)
{
    conclude_fields_ok(c);
    EXPECT_HEADER(&c->r, "Content-Type", NULL);
}
static void fc_or_invalid(fault_ctx *c)
{
    cJSON *j = resp_json(&c->r);

    EXPECT_BODY(&c->r, "{\"clientRequestTime\":null,,\"clientId\":34,\"clientIdString\":\"34\"}");
    CHECK(j == NULL, "the body parses as JSON");
    cJSON_Delete(j);
}
static void fc_or_truncated(fault_ctx *c)
{
    fc_truncated(c, "{\"clientRequestTime\":null,\"serviceStartTime\":\"");
    CHECK(c->r.len > 60 && c->r.len < 150, "expected about half of a ~240 byte body, got %zu",
          c->r.len);
}
static void fc_or_empty(fault_ctx *c)
{
    fc_empty(c, CT_ORACLE);
}
static void fc_or_huge(fault_ctx *c)
{
    char buf[64];

    fc_huge(c);
    raw_member(&c->r, "clientId", buf, sizeof(buf));
    CHECK(strcmp(buf, c->cid) == 0, "clientId changed in the 9 MiB body");
}
static void fc_or_slow(fault_ctx *c)
{
    fc_slow(c, SC_CONCLUDE);
}
static void fc_or_reset(fault_ctx *c)
{
    fc_reset(c, 200);
}
static void fc_or_no_sid(fault_ctx *c)
{
    cJSON *j = resp_json(&c->r);

    EXPECT_STATUS(&c->r, 200);
    CHECK(j && !cJSON_GetObjectItem(j, "sessionId") && jstr(j, "engagementIdString") &&
              jstr(j, "clientIdString"),
          "expected requestEngagement without sessionId: %s", c->r.body);
    cJSON_Delete(j);
}
static void fc_h_or_order(fault_ctx *c)
{
    EXPECT_STATUS(&c->r, 200);
    CHECK(strncmp(c->r.body, "{\"clientTransactionIdString\":", 29) == 0 &&
              strstr(c->r.body, "\"clientRequestTime\":null}") != NULL,
          "members not in reverse order: %s", c->r.body);
    conclude_fields_ok(c);
}
static void fc_h_or_pretty(fault_ctx *c)
{
    fc_pretty(c);
    conclude_fields_ok(c);
}
static void fc_h_or_charset(fault_ctx *c)
{
    conclude_fields_ok(c);
    EXPECT_HEADER(&c->r, "Content-Type", "application/json; charset=UTF-8");
}
static void fc_h_or_case(fault_ctx *c)
{
    conclude_fields_ok(c);
    CHECK(resp_header_line(&c->r, "CONTENT-TYPE: application/json;charset=utf-8\r\n"),
          "no upper-case CONTENT-TYPE line in:\n%s", c->r.headers);
}
static void fc_h_or_chunked(fault_ctx *c)
{
    fc_chunked(c);
    conclude_fields_ok(c);
}
static void fc_h_or_close(fault_ctx *c)
{
    doc_conclude_ok(c);
    EXPECT_HEADER(&c->r, "Connection", "close");
}
static void fc_h_or_extra(fault_ctx *c)
{
    cJSON *j = resp_json(&c->r);

    EXPECT_STATUS(&c->r, 200);
    CHECK(count_members(j) == 8 && jstr(j, "conformNote"), "expected one extra member: %s",
          c->r.body);
    cJSON_Delete(j);
}
static void fc_h_or_max(fault_ctx *c)
{
    cJSON *j = resp_json(&c->r);

    fc_or_member_raw(c, "clientId", "9223372036854775807");
    CHECK(jstr(j, "clientIdString") &&
              strcmp(jstr(j, "clientIdString"), "9223372036854775807") == 0,
          "clientIdString should agree");
    cJSON_Delete(j);
}

/* Every fault of the catalogue, with what it must do to the response. The
 * `list` mode fails when this table and --list-faults disagree. */
static const fault_test fault_tests[] = {
    {"rasa-status-202", SC_RASA, fc_rasa_202, 0},
    {"rasa-status-401", SC_RASA, fc_rasa_401, 0},
    {"rasa-missing-msg", SC_RASA, fc_rasa_missing, 0},
    {"rasa-msg-number", SC_RASA, fc_rasa_number, 0},
    {"rasa-msg-null", SC_RASA, fc_rasa_null, 0},
    {"rasa-msg-text", SC_RASA, fc_rasa_text, 0},
    {"rasa-msg-no-leading-space", SC_RASA, fc_rasa_nospace, 0},
    {"rasa-content-type-html", SC_RASA, fc_rasa_html, 0},
    {"rasa-content-type-missing", SC_RASA, fc_rasa_no_ct, 0},
    {"rasa-invalid-json", SC_RASA, fc_rasa_invalid, 0},
    {"rasa-truncated", SC_RASA, fc_rasa_truncated, 0},
    {"rasa-empty-body", SC_RASA, fc_rasa_empty, 0},
    {"rasa-body-9mib", SC_RASA, fc_rasa_huge, 0},
    {"rasa-slow", SC_RASA, fc_rasa_slow, 200},
    {"rasa-reset", SC_RASA, fc_rasa_reset, 0},
    {"rasa-no-response", SC_RASA, fc_no_response, 0},
    {"rasa-invalid-utf8", SC_RASA, fc_rasa_utf8, 0},
    {"rasa-xml-hostile", SC_RASA, fc_rasa_xml, 0},
    {"oracle-status-500", SC_CONCLUDE, fc_or_500, 0},
    {"oracle-status-202", SC_CONCLUDE, fc_or_202, 0},
    {"oracle-missing-clientid", SC_CONCLUDE, fc_or_missing, 0},
    {"oracle-clientid-string", SC_CONCLUDE, fc_or_string, 0},
    {"oracle-clientid-null", SC_CONCLUDE, fc_or_null, 0},
    {"oracle-clientid-fraction", SC_CONCLUDE, fc_or_fraction, 0},
    {"oracle-bad-date", SC_CONCLUDE, fc_or_date, 0},
    {"oracle-content-type-html", SC_CONCLUDE, fc_or_html, 0},
    {"oracle-content-type-missing", SC_CONCLUDE, fc_or_no_ct, 0},
    {"oracle-invalid-json", SC_CONCLUDE, fc_or_invalid, 0},
    {"oracle-truncated", SC_CONCLUDE, fc_or_truncated, 0},
    {"oracle-empty-body", SC_CONCLUDE, fc_or_empty, 0},
    {"oracle-body-9mib", SC_CONCLUDE, fc_or_huge, 0},
    {"oracle-slow", SC_CONCLUDE, fc_or_slow, 200},
    {"oracle-reset", SC_CONCLUDE, fc_or_reset, 0},
    {"oracle-no-response", SC_CONCLUDE, fc_no_response, 0},
    {"oracle-request-no-sessionid", SC_REQUEST, fc_or_no_sid, 0},
    {"harmless-rasa-unicode-escape", SC_RASA, fc_h_rasa_escape, 0},
    {"harmless-rasa-charset", SC_RASA, fc_h_rasa_charset, 0},
    {"harmless-rasa-header-case", SC_RASA, fc_h_rasa_case, 0},
    {"harmless-rasa-pretty", SC_RASA, fc_h_rasa_pretty, 0},
    {"harmless-rasa-chunked", SC_RASA, fc_h_rasa_chunked, 0},
    {"harmless-rasa-connection-close", SC_RASA, fc_h_rasa_close, 0},
    {"harmless-rasa-extra-field", SC_RASA, fc_h_rasa_extra, 0},
    {"harmless-oracle-key-order", SC_CONCLUDE, fc_h_or_order, 0},
    {"harmless-oracle-pretty", SC_CONCLUDE, fc_h_or_pretty, 0},
    {"harmless-oracle-charset", SC_CONCLUDE, fc_h_or_charset, 0},
    {"harmless-oracle-header-case", SC_CONCLUDE, fc_h_or_case, 0},
    {"harmless-oracle-chunked", SC_CONCLUDE, fc_h_or_chunked, 0},
    {"harmless-oracle-connection-close", SC_CONCLUDE, fc_h_or_close, 0},
    {"harmless-oracle-extra-field", SC_CONCLUDE, fc_h_or_extra, 0},
    {"harmless-oracle-int64-max", SC_CONCLUDE, fc_h_or_max, 0},
};
#define NFAULT_TESTS (sizeof(fault_tests) / sizeof(fault_tests[0]))

static void check_fault(const char *name)
{
    const fault_test *t = NULL;
    fault_ctx c;
    resp r;
    size_t i;

    for (i = 0; i < NFAULT_TESTS; i++)
        if (strcmp(fault_tests[i].name, name) == 0)
            t = &fault_tests[i];
    if (t == NULL) {
        FAIL("no check for fault %s: add one to fault_tests[]", name);
        return;
    }
    run_scenario(&c, t->sc, t->timeout_ms);
    t->check(&c);
    resp_free(&c.r);
    check_state_after(&c, t->sc);

    /* The other operations are untouched. */
    if (t->sc != SC_RASA) {
        char room[64];
        if (open_room(room, NULL) == 0) {
            rasa(&r, true, "close-chat", room, NULL);
            expect_and_free(&r, 200, DOC_CLOSE, "application/json");
        }
    } else {
        char sid[64], cid[32];
        if (new_session(sid, cid) == 0) {
            conclude(&r, sid, NULL, NULL);
            EXPECT_STATUS(&r, 200);
            check_base(&r, NULL, "0", cid);
            resp_free(&r);
        }
    }
}

/* ===================================================================== */
/* robust: hostile input must never take the server down                  */

/* Sends raw bytes on a fresh connection and reads until the server closes
 * or 2 s pass; the answer does not matter, only that the server survives. */
static void raw_send(const char *data, size_t len)
{
    struct sockaddr_in a;
    struct timeval tv = {.tv_sec = 2};
    char buf[4096];
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)check_port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
        if (send(fd, data, len, MSG_NOSIGNAL) >= 0) {
            shutdown(fd, SHUT_WR);
            while (recv(fd, buf, sizeof(buf), 0) > 0)
                ;
        }
    }
    close(fd);
}

static void check_robust(void)
{
    static const char *const paths[] = {
        INCOMING,
        "/api/v1/livechat/visitor",
        "/api/v1/livechat/room?token=x",
        ESTABLISH,
        REQUEST_PATH,
        CONCLUDE_PATH,
        "/",
        "/api/apps/public/",
        "/engagement/api/consumer/",
        "/engagement/api/consumer/" SITE,
        "/engagement/api/consumer/" SITE "/v1/",
    };
    static const char *const bodies[] = {
        "",
        "{",
        "}",
        "null",
        "0",
        "\"x\"",
        "[[[[[[[[[[",
        "{\"a\":",
        "\xff\xfe\xfd",
        "{\"action\":null,\"sessionId\":{},\"actionData\":\"x\"}",
        "{\"visitor\":{\"token\":{\"x\":1},\"department\":[]}}",
        "{\"sessionInformation\":\"{\\\"a\\\":\"}",
        "{\"clientTransactionId\":-0}",
        "{\"clientTransactionId\":1e400}",
        "{\"clientRequestTime\":\"\\u0000\"}",
        "{\"action\":\"close-chat\",\"sessionId\":\"\\u0000\"}",
        "{\"\\u0063lientTransactionId\":9007199254740995}",
    };
    static const char *const methods[] = {"GET",   "POST",    "PUT",  "DELETE",
                                          "PATCH", "OPTIONS", "HEAD", "BREW"};
    static const char *const raw[] = {
        "garbage\r\n\r\n",
        "GET\r\n\r\n",
        "POST /api/v1/livechat/visitor HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{",
        "POST /api/v1/livechat/visitor HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "zz\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",
        "GET /%00%0a%ff HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /api/v1/livechat/room?token=%00 HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST " ESTABLISH " HTTP/1.1\r\nHost: x\r\nAuthorization: Basic !!!!\r\n"
        "Content-Length: 2\r\n\r\n{}",
        "POST " REQUEST_PATH " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer .\r\n"
        "Content-Length: 2\r\n\r\n{}",
        "POST " REQUEST_PATH " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n\r\n",
        "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    };
    char *deep, *hdr;
    size_t i, k, n;
    resp r;
    char room[64];

    for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
        for (k = 0; k < sizeof(methods) / sizeof(methods[0]); k++)
            for (n = 0; n < sizeof(bodies) / sizeof(bodies[0]); n++) {
                http_do(&r, &(req){.path = paths[i],
                                   .method = methods[k],
                                   .body = bodies[n],
                                   .body_len = strlen(bodies[n]),
                                   .headers = {AUTH_T, AUTH_U, "SessionId: x",
                                               "Authorization: Basic ZGVtbzpkZW1vLXBhc3N3b3Jk",
                                               "X-Conform-Simulate: 500"}});
                CHECK(r.code == CURLE_OK || (strcmp(methods[k], "HEAD") == 0), "%s %s %s: curl %d",
                      methods[k], paths[i], bodies[n], (int)r.code);
                resp_free(&r);
            }
    /* A body of NULs and one nesting a million levels deep (under 1 MiB). */
    n = 1000000;
    deep = malloc(n);
    if (deep) {
        memset(deep, '[', n);
        for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
            http_do(
                &r,
                &(req){.path = paths[i], .body = deep, .body_len = n, .headers = {AUTH_T, AUTH_U}});
            CHECK(r.code == CURLE_OK && r.status >= 400, "deep nesting to %s: %ld", paths[i],
                  r.status);
            resp_free(&r);
        }
        memset(deep, 0, n);
        http_do(&r,
                &(req){.path = INCOMING, .body = deep, .body_len = n, .headers = {AUTH_T, AUTH_U}});
        CHECK(r.code == CURLE_OK && r.status == 400, "NUL body: %ld", r.status);
        resp_free(&r);
        free(deep);
    }
    /* A header too large for a connection's memory. */
    hdr = malloc(70000);
    if (hdr) {
        memcpy(hdr, "X-Big: ", 7);
        memset(hdr + 7, 'a', 70000 - 8);
        hdr[70000 - 1] = '\0';
        http_do(&r, &(req){.path = INCOMING, .body = "{}", .headers = {hdr}});
        CHECK(r.code != CURLE_OK || r.status >= 400, "a 70 kB header was accepted");
        resp_free(&r);
        free(hdr);
    }
    for (i = 0; i < sizeof(raw) / sizeof(raw[0]); i++)
        raw_send(raw[i], strlen(raw[i]));

    /* Still serving, state intact. */
    if (open_room(room, NULL) == 0) {
        rasa(&r, true, "close-chat", room, NULL);
        expect_and_free(&r, 200, DOC_CLOSE, NULL);
    }
}

/* ===================================================================== */
/* list and cli                                                           */

static const char *const required_faults[] = {
    /* one per category issue 5 asks for */
    "rasa-status-202",
    "oracle-status-500",
    "rasa-missing-msg",
    "oracle-clientid-string",
    "rasa-msg-null",
    "oracle-bad-date",
    "rasa-msg-text",
    "rasa-msg-no-leading-space",
    "rasa-content-type-html",
    "rasa-content-type-missing",
    "rasa-invalid-json",
    "rasa-truncated",
    "rasa-empty-body",
    "rasa-body-9mib",
    "rasa-slow",
    "rasa-reset",
    "rasa-no-response",
    "rasa-invalid-utf8",
    "rasa-xml-hostile",
    "harmless-oracle-key-order",
    "harmless-rasa-pretty",
    "harmless-rasa-unicode-escape",
    "harmless-rasa-charset",
    "harmless-rasa-header-case",
    "harmless-rasa-chunked",
    "harmless-rasa-connection-close",
    "harmless-oracle-extra-field",
};

static void check_list(const char *binary)
{
    char cmd[4096], line[1024], seen[NFAULT_TESTS];
    FILE *p;
    int lines = 0, status;
    size_t i;

    memset(seen, 0, sizeof(seen));
    snprintf(cmd, sizeof(cmd), "'%s' --list-faults", binary);
    p = popen(cmd, "r");
    if (p == NULL) {
        FAIL("cannot run %s", cmd);
        return;
    }
    while (fgets(line, sizeof(line), p)) {
        char *name = line, *op, *desc, *nl = strchr(line, '\n');
        bool harmless, pass;

        lines++;
        if (nl)
            *nl = '\0';
        op = strstr(name, "  ");
        desc = op ? strstr(op + 2, "  ") : NULL;
        if (op == NULL || desc == NULL) {
            FAIL("line %d is not NAME  OPERATION  description: %s", lines, line);
            continue;
        }
        *op = '\0';
        op += 2;
        *desc = '\0';
        desc += 2;
        CHECK(strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(name) && *name,
              "bad fault name '%s'", name);
        CHECK(strchr(op, ' ') == NULL && *op && *desc != ' ', "bad columns on line %d", lines);
        CHECK(strcmp(op, "rasa-close-chat") == 0 || strcmp(op, "oracle-conclude-engagement") == 0 ||
                  strcmp(op, "oracle-request-engagement") == 0,
              "%s: unexpected operation %s", name, op);
        harmless = strncmp(name, "harmless-", 9) == 0;
        pass = strstr(desc, "[expect: pass]") != NULL;
        CHECK(strstr(desc, "[expect: ") && desc[strlen(desc) - 1] == ']',
              "%s: the description should end in [expect: ...]", name);
        CHECK(harmless == pass, "%s: harmless faults, and only they, expect pass", name);
        for (i = 0; i < NFAULT_TESTS; i++)
            if (strcmp(fault_tests[i].name, name) == 0) {
                CHECK(!seen[i], "fault %s listed twice", name);
                seen[i] = 1;
                break;
            }
        CHECK(i < NFAULT_TESTS, "fault %s has no check in refserver_check.c", name);
    }
    status = pclose(p);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "--list-faults exit status %d", status);
    for (i = 0; i < NFAULT_TESTS; i++)
        CHECK(seen[i], "fault %s is checked but not listed", fault_tests[i].name);
    for (i = 0; i < sizeof(required_faults) / sizeof(required_faults[0]); i++) {
        size_t k;
        for (k = 0; k < NFAULT_TESTS && strcmp(fault_tests[k].name, required_faults[i]); k++)
            ;
        CHECK(k < NFAULT_TESTS && seen[k], "required fault %s missing", required_faults[i]);
    }
}

/* Runs binary with args; returns the exit status and its stdout in out. */
static int run(const char *binary, const char *const *args, char *out, size_t size)
{
    int pfd[2], status;
    pid_t pid;
    size_t n = 0;
    ssize_t k;
    const char *argv[16];
    size_t i;

    argv[0] = binary;
    for (i = 0; args[i] && i < 14; i++)
        argv[i + 1] = args[i];
    argv[i + 1] = NULL;
    if (pipe(pfd) < 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(pfd[1], 1);
        dup2(devnull, 2);
        close(pfd[0]);
        execv(binary, (char *const *)argv);
        _exit(127);
    }
    close(pfd[1]);
    while (n + 1 < size && (k = read(pfd[0], out + n, size - n - 1)) > 0)
        n += (size_t)k;
    out[n] = '\0';
    close(pfd[0]);
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static void check_cli(const char *binary)
{
    static const char *const bad[][6] = {
        {"--bogus"},
        {"--port"},
        {"--port", "x"},
        {"--port", "65536"},
        {"--port", "-1"},
        {"--profile", "nope"},
        {"--fault", "nope"},
        {"--threads", "0"},
        {"--fault-delay-ms", "x"},
        {"stray"},
        {"--profile", "rasa-1.2.1", "--fault", "rasa-status-202"},
    };
    char out[65536], portarg[16];
    struct sockaddr_in a;
    socklen_t alen = sizeof(a);
    int fd, rc;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        rc = run(binary, bad[i], out, sizeof(out));
        CHECK(rc == 2, "%s %s: exit %d, expected 2", bad[i][0], bad[i][1] ? bad[i][1] : "", rc);
    }
    rc = run(binary, (const char *const[]){"--help", NULL}, out, sizeof(out));
    CHECK(rc == 0 && strstr(out, "usage: conform-refserver") && strstr(out, "--fault"),
          "--help: exit %d", rc);
    rc = run(binary, (const char *const[]){"--version", NULL}, out, sizeof(out));
    CHECK(rc == 0 && strncmp(out, "conform-refserver ", 18) == 0, "--version: %s", out);
    /* Oracle faults are allowed with the rasa-1.2.1 profile. */
    rc = run(binary,
             (const char *const[]){"--profile", "rasa-1.2.1", "--fault", "oracle-status-500",
                                   "--list-faults", NULL},
             out, sizeof(out));
    CHECK(rc == 0, "--profile rasa-1.2.1 --fault oracle-status-500: exit %d", rc);

    /* A port that is taken: exit 1. */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(fd, 1) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &alen) == 0) {
        snprintf(portarg, sizeof(portarg), "%d", ntohs(a.sin_port));
        rc = run(binary, (const char *const[]){"--port", portarg, NULL}, out, sizeof(out));
        CHECK(rc == 1, "a taken port: exit %d, expected 1", rc);
    }
    if (fd >= 0)
        close(fd);
}

/* ===================================================================== */

static int read_port(const char *state_dir)
{
    char path[4096];
    FILE *f;
    int port = 0;

    snprintf(path, sizeof(path), "%s/port", state_dir);
    f = fopen(path, "r");
    if (f == NULL || fscanf(f, "%d", &port) != 1) {
        fprintf(stderr, "refserver-check: no port in %s: %s\n", path, strerror(errno));
        port = 0;
    }
    if (f)
        fclose(f);
    return port;
}

static int usage(void)
{
    fprintf(stderr, "usage: refserver-check api STATE_DIR documented|rasa-1.2.1\n"
                    "       refserver-check stateless|robust STATE_DIR\n"
                    "       refserver-check fault STATE_DIR NAME\n"
                    "       refserver-check list|cli BINARY\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    if (argc < 3)
        return usage();
    curl_global_init(CURL_GLOBAL_ALL);
    if (strcmp(mode, "list") == 0) {
        check_list(argv[2]);
    } else if (strcmp(mode, "cli") == 0) {
        check_cli(argv[2]);
    } else {
        if ((check_port = read_port(argv[2])) == 0)
            return 1;
        if (strcmp(mode, "api") == 0 && argc == 4 && strcmp(argv[3], "documented") == 0) {
            api_livechat();
            api_rasa_documented();
            api_oracle();
        } else if (strcmp(mode, "api") == 0 && argc == 4 && strcmp(argv[3], "rasa-1.2.1") == 0) {
            api_livechat();
            api_rasa_121();
            api_oracle();
        } else if (strcmp(mode, "stateless") == 0) {
            check_stateless();
        } else if (strcmp(mode, "robust") == 0) {
            check_robust();
        } else if (strcmp(mode, "fault") == 0 && argc == 4) {
            check_fault(argv[3]);
        } else {
            return usage();
        }
    }
    curl_global_cleanup();
    if (check_failures) {
        fprintf(stderr, "%d check(s) failed\n", check_failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
