/*
 * livechat.c - the two Rocket.Chat Livechat calls the Rasa suites need to
 * get an open room: register a visitor, open (or fetch) its room. Same in
 * both profiles. Errors are 400 {"success":false,"error":"..."} as the
 * Rocket.Chat REST API writes them.
 */
#include <string.h>

#include "core/api.h"
#include "core/state.h"
#include "core/util.h"

#define LIVECHAT_PREFIX "/api/v1/livechat/"

#define VISITOR_PATH LIVECHAT_PREFIX "visitor"
#define ROOM_PATH LIVECHAT_PREFIX "room"

static void reply_error(http_request *req, http_reply *reply, unsigned status, const char *error)
{
    cJSON *o = cJSON_CreateObject();

    if (o && cJSON_AddFalseToObject(o, "success") && cJSON_AddStringToObject(o, "error", error)) {
        http_reply_json(reply, req->cfg, RS_OP_NONE, status, CT_JSON, o);
        return;
    }
    cJSON_Delete(o);
    http_reply_oom(reply);
}

/* An optional string member: 0 with *out NULL when absent or null, -1 when
 * it has another type. */
static int optional_string(const cJSON *obj, const char *name, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

    *out = NULL;
    if (v == NULL || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v))
        return -1;
    *out = v->valuestring;
    return 0;
}

/* Builds {"_id","token","name"?,"username","visitorEmails"?,"department"?}. */
static cJSON *visitor_json(const state_visitor *v)
{
    cJSON *o = cJSON_CreateObject();
    const state_department *dept = state_department_at(v->department);

    if (o == NULL || !cJSON_AddStringToObject(o, "_id", v->id) ||
        !cJSON_AddStringToObject(o, "token", v->token) ||
        (v->name && !cJSON_AddStringToObject(o, "name", v->name)) ||
        !cJSON_AddStringToObject(o, "username", v->username))
        goto fail;
    if (v->email) {
        cJSON *emails = cJSON_AddArrayToObject(o, "visitorEmails"), *e = cJSON_CreateObject();
        if (emails == NULL || e == NULL) {
            cJSON_Delete(e);
            goto fail;
        }
        cJSON_AddItemToArray(emails, e);
        if (!cJSON_AddStringToObject(e, "address", v->email))
            goto fail;
    }
    if (dept && !cJSON_AddStringToObject(o, "department", dept->id))
        goto fail;
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

static void handle_visitor(http_request *req, http_reply *reply)
{
    const char *token, *name, *email, *department, *body;
    const cJSON *visitor;
    cJSON *root = NULL, *out = NULL, *v;
    state_visitor *vis;
    size_t len;
    int dept = -1;

    if (!http_method_is(req, MHD_HTTP_METHOD_POST)) {
        reply_error(req, reply, 405, "Method Not Allowed");
        reply->allow = MHD_HTTP_METHOD_POST;
        return;
    }
    body = http_body(req, &len);
    root = util_json_parse(body, len);
    visitor = cJSON_GetObjectItemCaseSensitive(root, "visitor");
    if (!cJSON_IsObject(root) || !cJSON_IsObject(visitor)) {
        reply_error(req, reply, 400, "Match error: body must be {\"visitor\":{\"token\":...}}");
        goto done;
    }
    if (optional_string(visitor, "token", &token) < 0 || token == NULL || token[0] == '\0') {
        reply_error(req, reply, 400, "Match error: Missing key 'token'");
        goto done;
    }
    if (optional_string(visitor, "name", &name) < 0 ||
        optional_string(visitor, "email", &email) < 0 ||
        optional_string(visitor, "department", &department) < 0) {
        reply_error(req, reply, 400, "Match error: name, email and department must be strings");
        goto done;
    }
    if (department && (dept = state_department_find(department)) < 0) {
        reply_error(req, reply, 400, "error-invalid-department");
        goto done;
    }

    out = cJSON_CreateObject();
    if (out == NULL)
        goto oom;
    state_lock();
    vis = state_visitor_find_locked(token);
    if (vis == NULL)
        vis = state_visitor_create_locked(token);
    /* Registering an existing token updates the fields given this time. */
    if (vis == NULL || (name && state_visitor_set_locked(&vis->name, name) < 0) ||
        (email && state_visitor_set_locked(&vis->email, email) < 0)) {
        state_unlock();
        goto oom;
    }
    if (department)
        vis->department = dept;
    v = visitor_json(vis);
    state_unlock();
    if (v == NULL)
        goto oom;
    cJSON_AddItemToObject(out, "visitor", v);
    if (!cJSON_AddTrueToObject(out, "success"))
        goto oom;
    http_reply_json(reply, req->cfg, RS_OP_LIVECHAT_VISITOR, 200, CT_JSON, out);
    out = NULL;
    goto done;
oom:
    http_reply_oom(reply);
done:
    cJSON_Delete(out);
    cJSON_Delete(root);
}

static cJSON *room_json(const state_room *room)
{
    cJSON *o = cJSON_CreateObject(), *v;
    const state_department *dept = state_department_at(room->department);

    if (o == NULL || !cJSON_AddStringToObject(o, "_id", room->id) ||
        !cJSON_AddNumberToObject(o, "msgs", 0) || !cJSON_AddBoolToObject(o, "open", room->open) ||
        !cJSON_AddStringToObject(o, "t", "l") || (v = cJSON_AddObjectToObject(o, "v")) == NULL ||
        !cJSON_AddStringToObject(v, "_id", room->visitor->id) ||
        !cJSON_AddStringToObject(v, "token", room->visitor->token) ||
        !cJSON_AddStringToObject(v, "username", room->visitor->username) ||
        (dept && !cJSON_AddStringToObject(o, "departmentId", dept->id))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static void handle_room(http_request *req, http_reply *reply)
{
    const char *token = http_query(req, "token");
    state_visitor *vis;
    state_room *room;
    bool created = false;
    cJSON *out, *r;

    if (!http_method_is(req, MHD_HTTP_METHOD_GET) && !http_method_is(req, MHD_HTTP_METHOD_HEAD)) {
        reply_error(req, reply, 405, "Method Not Allowed");
        reply->allow = MHD_HTTP_METHOD_GET;
        return;
    }
    if (token == NULL || token[0] == '\0') {
        reply_error(req, reply, 400, "invalid-token");
        return;
    }
    out = cJSON_CreateObject();
    if (out == NULL)
        goto oom;
    state_lock();
    vis = state_visitor_find_locked(token);
    if (vis == NULL) {
        state_unlock();
        cJSON_Delete(out);
        reply_error(req, reply, 400, "invalid-token");
        return;
    }
    room = vis->open_room;
    if (room == NULL) {
        room = state_room_open_locked(vis);
        created = true;
    }
    r = room ? room_json(room) : NULL;
    state_unlock();
    if (r == NULL)
        goto oom;
    cJSON_AddItemToObject(out, "room", r);
    if (!cJSON_AddBoolToObject(out, "newRoom", created) || !cJSON_AddTrueToObject(out, "success"))
        goto oom;
    http_reply_json(reply, req->cfg, RS_OP_LIVECHAT_ROOM, 200, CT_JSON, out);
    return;
oom:
    cJSON_Delete(out);
    http_reply_oom(reply);
}

static void handle(http_request *req, http_reply *reply)
{
    if (strcmp(req->url, VISITOR_PATH) == 0)
        handle_visitor(req, reply);
    else if (strcmp(req->url, ROOM_PATH) == 0)
        handle_room(req, reply);
    else
        http_reply_static(reply, 404, CT_JSON, "{\"success\":false,\"error\":\"Not Found\"}");
}

static bool owns(const char *url)
{
    return strncmp(url, LIVECHAT_PREFIX, strlen(LIVECHAT_PREFIX)) == 0;
}

static void too_large(const http_request *req, http_reply *reply)
{
    (void)req;
    http_reply_static(reply, 413, CT_JSON,
                      "{\"success\":false,\"error\":\"request body larger than 1 MiB\"}");
}

const rs_api rs_api_livechat = {"Rocket.Chat Livechat", owns, handle, too_large, true};
