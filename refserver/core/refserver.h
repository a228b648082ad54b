/*
 * refserver.h - what every module of conform-refserver shares: the server
 * configuration, the operations the fault catalogue can target and the
 * demo data of docs/REFSERVER.md.
 *
 * The configuration is filled once by main.c before the HTTP daemon starts
 * and is read-only afterwards, so handlers read it without locking. Mutable
 * state lives in state.h behind its mutex.
 */
#ifndef REFSERVER_H
#define REFSERVER_H

#include <stdbool.h>
#include <stddef.h>

#ifndef RS_VERSION
#define RS_VERSION "0.0.0"
#endif

/* Demo data (docs/REFSERVER.md, "Demo data"). Suites are written against
 * these exact values. */
#define RS_RASA_APP_ID "646b8e7d-f1e1-419e-9478-10d0f5bc74d9"
#define RS_RC_AUTH_TOKEN "demo-auth-token"
#define RS_RC_USER_ID "demo-user-id"
#define RS_ORACLE_USER "demo"
#define RS_ORACLE_PASSWORD "demo-password"
#define RS_ORACLE_SITE "day119_181100_sql_238h"
#define RS_ORACLE_POOL "297:1"

/* Request bodies above this size are refused with 413. */
#define RS_BODY_LIMIT (1024 * 1024)

typedef enum rs_profile {
    RS_PROFILE_DOCUMENTED = 0, /* answers as the vendor documents say */
    RS_PROFILE_RASA_121,       /* Rasa endpoint as Apps.Rasa 1.2.1 really answers */
} rs_profile;

/* The operations a fault can target; RS_OP_NONE marks replies no fault may
 * touch (errors, 404s). The names are the OPERATION column of --list-faults. */
typedef enum rs_op {
    RS_OP_NONE = 0,
    RS_OP_LIVECHAT_VISITOR,
    RS_OP_LIVECHAT_ROOM,
    RS_OP_RASA_CLOSE,
    RS_OP_RASA_HANDOVER,
    RS_OP_ORACLE_ESTABLISH,
    RS_OP_ORACLE_REQUEST,
    RS_OP_ORACLE_CONCLUDE,
    RS_OP_COUNT
} rs_op;

const char *rs_op_name(rs_op op);

/* The set of active faults: one flag per entry of the catalogue in faults.c.
 * `ops` has a bit per rs_op that has at least one active fault, so a reply of
 * an untouched operation costs one test. */
#define RS_FAULTS_MAX 96
typedef struct rs_faultset {
    bool on[RS_FAULTS_MAX];
    unsigned ops;
} rs_faultset;

typedef struct rs_config {
    int port;             /* 0: any free port */
    const char *portfile; /* may be NULL */
    rs_profile profile;
    bool stateless;   /* Rasa: any sessionId is an open room */
    unsigned threads; /* MHD thread pool size */
    unsigned fault_delay_ms;
    int access_log_fd;     /* -1: no access log; else one line per request */
    unsigned rl_calls;     /* --rate-limit: calls per window per client and route; 0: off */
    unsigned rl_window_ms; /* the window (Rocket.Chat: 60000) */
    unsigned fail_first;   /* --fail-first: the first N requests get 503 */
    rs_faultset faults;
    const char *version_string; /* --version-string, or NULL: the profile's version */
} rs_config;

/* The Rocket.Chat version the server reports (GET /api/info) and behaves as:
 * --version-string, else 7.0.0 for documented and 6.4.0 (the release the
 * real app was observed against, apis.md A.8) for rasa-1.2.1. */
const char *rs_rocketchat_version(const rs_config *cfg);
/* Before 7.0 Rocket.Chat closes or transfers an already closed room quietly
 * (the app answers 200); since then it throws (500). apis.md A.8. */
bool rs_closed_room_quiet(const rs_config *cfg);

#endif
