/*
 * handlers.h - one entry point per API family. Each fills *reply for the
 * request (see http.h); none of them fails.
 */
#ifndef REFSERVER_HANDLERS_H
#define REFSERVER_HANDLERS_H

#include "core/http.h"

#define LIVECHAT_PREFIX "/api/v1/livechat/"
#define RASA_PREFIX "/api/apps/public/"
#define ORACLE_ESTABLISH_PATH "/services/rest/crossChannelServices/latest/establishSessions"
#define ORACLE_CONSUMER_PREFIX "/engagement/api/consumer/"

void livechat_handle(http_request *req, http_reply *reply);
void rasa_handle(http_request *req, http_reply *reply);
void oracle_handle(http_request *req, http_reply *reply);

#endif
