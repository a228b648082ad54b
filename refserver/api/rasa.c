/*
 * rasa.c - POST /api/apps/public/{app-id}/incoming, the Rasa app's
 * close-chat / handover endpoint, in two profiles:
 *
 *   documented  what the vendor document says: 401 JSON without the
 *               X-Auth-Token/X-User-Id pair, 200 {"msg":" ..."} (leading
 *               space included), and 400 {"status":"error",...} for the
 *               failures the document leaves out;
 *   rasa-1.2.1  what Apps.Rasa 1.2.1 really does (apis.md A.2/A.3): no
 *               credential check, 200 {"result":"Your request was processed
 *               successfully"}, 500 {"error":MESSAGE} for every failure, in
 *               the order the app's code checks things.
 *
 * With --stateless any sessionId is an open room without a department and
 * nothing is remembered, so one request can be replayed by a benchmark; that
 * path takes no lock.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/api.h"
#include "core/state.h"
#include "core/util.h"

#define RASA_PREFIX "/api/apps/public/"

#define INCOMING_SUFFIX "/incoming"

#define MSG_CLOSE " Close chat request handled successfully"
#define MSG_HANDOVER " Perform Handover request handled successfully"
#define BODY_401 "{\"status\":\"error\",\"message\":\"You must be logged in to do this.\"}"
#define BODY_121_OK "{\"result\":\"Your request was processed successfully\"}"

/* Apps.Rasa 1.2.1 messages (enum/Logs.ts), exactly. */
#define E_SESSION "Error! Session Id not valid"
#define E_ACTION "Error!! Invalid Action type"
#define E_ROOM "Error! Room Id not valid"
#define E_CLOSED "error-room-closed"
#define E_SAME_DEPT "Error! Invalid request. User is already present in the specified department"
#define E_DEPT_EMPTY                                                                               \
    "Error: Department Name cannot be empty. Please provide a department name either in App "      \
    "Setting or in the handover Request"
#define E_DEPT_INVALID "Error: Department Name is not valid"
/* Transferring a closed room: the Rocket.Chat side is not in the sources we
 * read; this is our rendering of the app's "Details ${error}" wrapper. */
#define E_TRANSFER_CLOSED                                                                          \
    "Error occurred while processing handover. Details Error: error-room-closed"

typedef enum action { ACTION_OTHER, ACTION_CLOSE, ACTION_HANDOVER } action;

typedef struct incoming {
    const cJSON *session; /* the sessionId value as sent, may be NULL */
    const char *room_id;  /* sessionId when it is a string, else NULL */
    action action;
    const cJSON *target; /* actionData.targetDepartment as sent, may be NULL */
} incoming;

static bool documented(const http_request *req)
{
    return req->cfg->profile == RS_PROFILE_DOCUMENTED;
}

/* Failure in the profile's dialect: documented 400 {"status":"error",
 * "message":doc_msg}, rasa-1.2.1 500 {"error":app_msg}. */
static void reply_fail(http_request *req, http_reply *reply, const char *doc_msg,
                       const char *app_msg)
{
    cJSON *o = cJSON_CreateObject();

    if (documented(req)) {
        if (o && cJSON_AddStringToObject(o, "status", "error") &&
            cJSON_AddStringToObject(o, "message", doc_msg)) {
            http_reply_json(reply, req->cfg, RS_OP_NONE, 400, CT_JSON, o);
            return;
        }
    } else if (o && cJSON_AddStringToObject(o, "error", app_msg)) {
        http_reply_json(reply, req->cfg, RS_OP_NONE, 500, CT_JSON_EXPRESS, o);
        return;
    }
    cJSON_Delete(o);
    http_reply_oom(reply);
}

static void reply_ok(http_request *req, http_reply *reply, action a)
{
    cJSON *o;

    if (!documented(req)) {
        http_reply_static(reply, 200, CT_JSON_EXPRESS, BODY_121_OK);
        return;
    }
    o = cJSON_CreateObject();
    if (o == NULL ||
        !cJSON_AddStringToObject(o, "msg", a == ACTION_CLOSE ? MSG_CLOSE : MSG_HANDOVER)) {
        cJSON_Delete(o);
        http_reply_oom(reply);
        return;
    }
    http_reply_json(reply, req->cfg, a == ACTION_CLOSE ? RS_OP_RASA_CLOSE : RS_OP_RASA_HANDOVER,
                    200, CT_JSON, o);
}

static void close_chat(http_request *req, http_reply *reply, const incoming *in)
{
    state_room *room;
    const char *doc = NULL, *app = NULL;

    if (req->cfg->stateless) {
        reply_ok(req, reply, ACTION_CLOSE);
        return;
    }
    state_lock();
    room = in->room_id ? state_room_find_locked(in->room_id) : NULL;
    if (room == NULL) {
        doc = "room not found";
        app = E_ROOM;
    } else if (!room->open && !rs_closed_room_quiet(req->cfg)) {
        doc = "room is closed";
        app = E_CLOSED;
    } else {
        state_room_close_locked(room);
    }
    state_unlock();
    if (doc)
        reply_fail(req, reply, doc, app);
    else
        reply_ok(req, reply, ACTION_CLOSE);
}

/* The documented profile: the room must exist and be open; a given
 * targetDepartment must be a string naming a department (id or name) other
 * than the room's; without one the room stays where it is. */
static void handover_documented(http_request *req, http_reply *reply, const incoming *in)
{
    const char *fail = NULL;
    int dept = -1;
    state_room *room;

    if (in->target && !cJSON_IsNull(in->target)) {
        if (!cJSON_IsString(in->target)) {
            reply_fail(req, reply, "actionData.targetDepartment must be a string", NULL);
            return;
        }
        dept = state_department_find(in->target->valuestring);
        if (dept < 0) {
            reply_fail(req, reply, "department not found", NULL);
            return;
        }
    }
    if (req->cfg->stateless) {
        reply_ok(req, reply, ACTION_HANDOVER);
        return;
    }
    state_lock();
    room = in->room_id ? state_room_find_locked(in->room_id) : NULL;
    if (room == NULL)
        fail = "room not found";
    else if (!room->open && !rs_closed_room_quiet(req->cfg))
        fail = "room is closed";
    else if (!room->open)
        ; /* Rocket.Chat 6.x: the transfer of a closed room returns false quietly */
    else if (dept >= 0 && room->department == dept)
        fail = "the room is already in that department";
    else if (dept >= 0)
        room->department = dept;
    state_unlock();
    if (fail)
        reply_fail(req, reply, fail, NULL);
    else
        reply_ok(req, reply, ACTION_HANDOVER);
}

/* Apps.Rasa 1.2.1 IncomingEndpoint + performHandover, in the code's order.
 * The app setting for the default department is empty, so a handover
 * without targetDepartment fails. */
static void handover_121(http_request *req, http_reply *reply, const incoming *in)
{
    const char *fail = NULL;
    const char *target = cJSON_IsString(in->target) ? in->target->valuestring : NULL;
    bool target_given = util_js_truthy(in->target);
    int dept = target ? state_department_find(target) : -1;
    state_room *room;

    if (req->cfg->stateless) {
        if (!target_given)
            fail = E_DEPT_EMPTY;
        else if (dept < 0)
            fail = E_DEPT_INVALID;
        goto done;
    }
    state_lock();
    room = in->room_id ? state_room_find_locked(in->room_id) : NULL;
    if (room == NULL) {
        fail = E_SESSION;
    } else {
        const state_department *cur = state_department_at(room->department);
        /* The app compares the request's value with the room's department
         * name only, strictly. */
        if (target && cur && strcmp(target, cur->name) == 0)
            fail = E_SAME_DEPT;
        else if (!target_given)
            fail = E_DEPT_EMPTY;
        else if (dept < 0)
            fail = E_DEPT_INVALID;
        else if (!room->open && !rs_closed_room_quiet(req->cfg))
            fail = E_TRANSFER_CLOSED;
        else if (!room->open)
            ; /* 6.x: the transfer returns false; the app answers 200 (A.2 step 7) */
        else
            room->department = dept;
    }
    state_unlock();
done:
    if (fail)
        reply_fail(req, reply, NULL, fail);
    else
        reply_ok(req, reply, ACTION_HANDOVER);
}

static action parse_action(const cJSON *v)
{
    if (!cJSON_IsString(v))
        return ACTION_OTHER;
    if (strcmp(v->valuestring, "close-chat") == 0)
        return ACTION_CLOSE;
    if (strcmp(v->valuestring, "handover") == 0)
        return ACTION_HANDOVER;
    return ACTION_OTHER;
}

/* The request after the app id and method checks. */
static void incoming_post(http_request *req, http_reply *reply)
{
    const char *body;
    size_t len;
    cJSON *root;
    const cJSON *data;
    incoming in;

    body = http_body(req, &len);
    root = util_json_parse(body, len);
    if (documented(req)) {
        if (!cJSON_IsObject(root)) {
            reply_fail(req, reply, "the body must be a JSON object", NULL);
            goto done;
        }
    } else if (len == 0) {
        /* Express leaves request.content {} for an empty body. */
    } else if (!cJSON_IsObject(root) && !cJSON_IsArray(root)) {
        /* body-parser's strict JSON: 400 from Express's error handler. */
        http_reply_static(reply, 400, CT_HTML, "Bad Request");
        goto done;
    }

    memset(&in, 0, sizeof(in));
    in.session = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "sessionId") : NULL;
    in.room_id = cJSON_IsString(in.session) ? in.session->valuestring : NULL;
    in.action = parse_action(cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "action")
                                                  : NULL);
    data = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "actionData") : NULL;
    in.target =
        cJSON_IsObject(data) ? cJSON_GetObjectItemCaseSensitive(data, "targetDepartment") : NULL;

    if (documented(req)) {
        if (in.room_id == NULL || in.room_id[0] == '\0') {
            reply_fail(req, reply, "sessionId is required and must be a non-empty string", NULL);
            goto done;
        }
        if (in.action == ACTION_OTHER) {
            reply_fail(req, reply, "action must be close-chat or handover", NULL);
            goto done;
        }
        if (data && !cJSON_IsObject(data) && !cJSON_IsNull(data)) {
            reply_fail(req, reply, "actionData must be an object", NULL);
            goto done;
        }
    } else {
        /* sessionId is checked for truthiness only, before the action. */
        if (!util_js_truthy(in.session)) {
            reply_fail(req, reply, NULL, E_SESSION);
            goto done;
        }
        if (in.action == ACTION_OTHER) {
            reply_fail(req, reply, NULL, E_ACTION);
            goto done;
        }
    }

    if (in.action == ACTION_CLOSE)
        close_chat(req, reply, &in);
    else if (documented(req))
        handover_documented(req, reply, &in);
    else
        handover_121(req, reply, &in);
done:
    cJSON_Delete(root);
}

/* Is url RASA_PREFIX + the demo app id + "/incoming"? Anything else under
 * the prefix is Rocket.Chat's plain 404. */
static bool is_incoming(const char *url)
{
    const char *p = url + strlen(RASA_PREFIX);
    size_t n = strlen(RS_RASA_APP_ID);

    return strncmp(p, RS_RASA_APP_ID, n) == 0 && strcmp(p + n, INCOMING_SUFFIX) == 0;
}

static void handle(http_request *req, http_reply *reply)
{
    if (!is_incoming(req->url)) {
        http_reply_static(reply, 404, CT_TEXT, "Not Found");
        return;
    }
    if (!http_method_is(req, MHD_HTTP_METHOD_POST)) {
        if (documented(req)) {
            http_reply_static(reply, 405, CT_JSON,
                              "{\"status\":\"error\",\"message\":\"Method Not Allowed\"}");
            reply->allow = MHD_HTTP_METHOD_POST;
        } else {
            /* The apps-engine bridge: the endpoint has no handler for the
             * method, the rejection text goes out as a 500. */
            char *text = malloc(strlen(req->method) + 32);
            size_t i;
            if (text == NULL) {
                http_reply_oom(reply);
                return;
            }
            strcpy(text, "incoming's ");
            for (i = 0; req->method[i]; i++)
                text[11 + i] = (char)tolower((unsigned char)req->method[i]);
            strcpy(text + 11 + i, " not exists");
            reply->status = 500;
            reply->content_type = CT_HTML;
            reply->body = text;
            reply->len = strlen(text);
            reply->owned = true;
        }
        return;
    }
    if (documented(req) && (!util_str_equal(http_header(req, "X-Auth-Token"), RS_RC_AUTH_TOKEN) ||
                            !util_str_equal(http_header(req, "X-User-Id"), RS_RC_USER_ID))) {
        http_reply_static(reply, 401, CT_JSON, BODY_401);
        return;
    }
    incoming_post(req, reply);
}

static bool owns(const char *url)
{
    return strncmp(url, RASA_PREFIX, strlen(RASA_PREFIX)) == 0;
}

/* Express's body parser answers in HTML when the real app runs. */
static void too_large(const http_request *req, http_reply *reply)
{
    if (req->cfg->profile == RS_PROFILE_RASA_121)
        http_reply_static(reply, 413, CT_HTML, "request entity too large");
    else
        http_reply_static(reply, 413, CT_JSON,
                          "{\"status\":\"error\",\"message\":\"request body larger than 1 MiB\"}");
}

const rs_api rs_api_rasa = {"Rocket.Chat Apps.Rasa", owns, handle, too_large, false};
