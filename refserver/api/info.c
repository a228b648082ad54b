/*
 * info.c - GET /api/info, Rocket.Chat's server information: the version the
 * reference server behaves as (rs_rocketchat_version), so that conform's
 * version_from can read it like a real deployment's.
 */
#include <stdlib.h>
#include <string.h>

#include "core/api.h"

#define INFO_PATH "/api/info"

const char *rs_rocketchat_version(const rs_config *cfg)
{
    if (cfg->version_string)
        return cfg->version_string;
    return cfg->profile == RS_PROFILE_RASA_121 ? "6.4.0" : "7.0.0";
}

bool rs_closed_room_quiet(const rs_config *cfg)
{
    return strtol(rs_rocketchat_version(cfg), NULL, 10) < 7;
}

static bool owns(const char *url)
{
    return strcmp(url, INFO_PATH) == 0;
}

static void handle(http_request *req, http_reply *reply)
{
    cJSON *o = cJSON_CreateObject();

    if (strcmp(req->method, "GET") != 0) {
        cJSON_Delete(o);
        http_reply_static(reply, 405, CT_TEXT, "Method Not Allowed");
        return;
    }
    if (o == NULL || !cJSON_AddStringToObject(o, "version", rs_rocketchat_version(req->cfg)) ||
        !cJSON_AddTrueToObject(o, "success")) {
        cJSON_Delete(o);
        http_reply_oom(reply);
        return;
    }
    http_reply_json(reply, req->cfg, RS_OP_NONE, 200, CT_JSON, o);
}

/* GET /api/info is not an /api/v1 route: no rate limit. */
const rs_api rs_api_info = {"Rocket.Chat server info", owns, handle, NULL, false};
