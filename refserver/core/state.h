/*
 * state.h - everything the server remembers between requests: visitors,
 * livechat rooms, departments, Oracle engagements, and the key that signs the
 * JWTs it issues.
 *
 * Locking contract: one mutex guards the whole store. Functions whose names
 * end in _locked must be called between state_lock() and state_unlock(), and
 * pointers they return are valid only until state_unlock(); copy what the
 * response needs before unlocking. Everything else is thread-safe on its own.
 * Handlers keep the critical sections to lookups and flag flips: no I/O and
 * no JSON serialization under the lock.
 *
 * Lifetimes: visitors and rooms live as long as the server (a closed room is
 * kept, so closing it again is a detectable error); an engagement is removed
 * when it is concluded (its SessionId is then unknown, 403).
 */
#ifndef REFSERVER_STATE_H
#define REFSERVER_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STATE_ID_LEN 17         /* Meteor ids: visitors, rooms */
#define STATE_SESSION_ID_LEN 25 /* Oracle SessionId, like 192hyto5qomm8r8rpzzmuzsa6 */

typedef struct state_department {
    const char *id;
    const char *name;
} state_department;

typedef struct state_room state_room;

typedef struct state_visitor {
    char id[STATE_ID_LEN + 1];
    char username[32]; /* guest-N */
    char *token;
    char *name;            /* NULL when never given */
    char *email;           /* NULL when never given */
    int department;        /* index into the departments, -1 for none */
    state_room *open_room; /* the visitor's open room, NULL if none */
} state_visitor;

struct state_room {
    char id[STATE_ID_LEN + 1];
    state_visitor *visitor;
    int department; /* -1 for none */
    bool open;
};

typedef struct state_engagement {
    char session_id[STATE_SESSION_ID_LEN + 1];
    int64_t client_id;
    int64_t engagement_id;
} state_engagement;

/* Creates the store (departments, empty maps, a fresh token key). 0 or -1. */
int state_init(void);
void state_shutdown(void);

void state_lock(void);
void state_unlock(void);

/* Departments are fixed demo data: no lock needed. */
size_t state_department_count(void);
const state_department *state_department_at(int index);
/* Index of the department whose id or name is s (ids first), or -1. */
int state_department_find(const char *s);

state_visitor *state_visitor_find_locked(const char *token);
/* Creates a visitor for token with a fresh id and username; NULL on OOM. */
state_visitor *state_visitor_create_locked(const char *token);
/* Replaces a string field (name, email); 0 or -1 on OOM (field unchanged). */
int state_visitor_set_locked(char **field, const char *value);

state_room *state_room_find_locked(const char *id);
/* Opens a new room for the visitor in its current department. NULL on OOM. */
state_room *state_room_open_locked(state_visitor *visitor);
void state_room_close_locked(state_room *room);

/* Creates an engagement with a fresh SessionId and ids above 2^53 and copies
 * it to *out. Takes the lock itself. 0 or -1 on OOM. */
int state_engagement_create(state_engagement *out);
/* Copies the engagement to *out (if out is not NULL) and, when remove is
 * true, forgets it. Takes the lock itself. 0, or -1 if unknown. */
int state_engagement_take(const char *session_id, bool remove, state_engagement *out);

/* The 16-byte key that signs issued JWTs; set once by state_init(). */
const unsigned char *state_token_key(void);

#endif
