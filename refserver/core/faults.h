/*
 * faults.h - the fault catalogue: named deviations planted on one
 * operation's successful (200) response, on top of the documented profile.
 *
 * A fault never changes what the operation does to the state: the room is
 * closed, the engagement concluded, as usual. Only the response is altered,
 * in two stages:
 *   1. faults_render(): the JSON tree (members dropped, replaced, added,
 *      reordered), its serialization (pretty-printed) and the resulting text
 *      (replaced, truncated, padded);
 *   2. faults_effects(): the status, the Content-Type header, Connection:
 *      close, and how the body travels (chunked, cut by a reset, never sent,
 *      sent late), which http.c carries out.
 * The catalogue is one table in faults.c; tests/refserver/CMakeLists.txt
 * reads the names out of that table to build one test per fault.
 */
#ifndef REFSERVER_FAULTS_H
#define REFSERVER_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "core/refserver.h"

typedef struct faults_effects {
    unsigned status;               /* 0: keep the handler's status */
    bool set_content_type;         /* content_type replaces the handler's value */
    const char *content_type;      /* NULL with set_content_type: no header at all */
    const char *content_type_name; /* NULL: "Content-Type" */
    bool chunked;                  /* body of unknown length: chunked transfer encoding */
    bool connection_close;         /* "Connection: close", then MHD closes */
    bool delay;                    /* sleep --fault-delay-ms before answering */
    bool reset;                    /* send half the announced body, then drop the connection */
    bool no_response;              /* drop the connection without a status line */
} faults_effects;

size_t faults_count(void);
/* Enables the fault called name; 0, or -1 if there is no such fault. */
int faults_enable(rs_faultset *set, const char *name);
/* The operation of the fault called name, RS_OP_NONE if unknown. */
rs_op faults_op_of(const char *name);
/* Prints the catalogue: one line per fault, "NAME  OPERATION  description"
 * (fields separated by exactly two spaces; the description ends with
 * "[expect: ...]", the finding a correct checker reports, or "[expect:
 * pass]" for the harmless- variations). */
void faults_list(FILE *out);

static inline bool faults_touch(const rs_faultset *set, rs_op op)
{
    return (set->ops & (1u << op)) != 0;
}

/* Serializes tree (consumed, even on failure) into a malloc'd *body of *len
 * bytes, applying the active faults of op. 0, or -1 on OOM. */
int faults_render(const rs_faultset *set, rs_op op, cJSON *tree, char **body, size_t *len);
void faults_effects_get(const rs_faultset *set, rs_op op, faults_effects *fx);
/* Whether an enabled fault answers late (the server then gives every
 * connection its own thread, so a sleeping answer stalls only its own). */
bool faults_any_delay(const rs_faultset *set);

#endif
