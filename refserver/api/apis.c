/* The APIs the reference server speaks, in routing order: adding an API is
 * one file in this folder plus one line here (core/api.h). */
#include "core/api.h"

extern const rs_api rs_api_livechat, rs_api_rasa, rs_api_oracle, rs_api_info, rs_api_toy;

const rs_api *const rs_apis[] = {
    &rs_api_livechat, &rs_api_rasa, &rs_api_oracle, &rs_api_info, &rs_api_toy, NULL,
};
