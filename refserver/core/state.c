/*
 * state.c - see state.h. The maps are small chained hash tables keyed by
 * strings owned by the values they index.
 */
#include "core/state.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/util.h"

typedef struct map_entry {
    const char *key; /* owned by value */
    void *value;
    struct map_entry *next;
} map_entry;

typedef struct map {
    map_entry **buckets;
    size_t nbuckets; /* power of two */
    size_t count;
} map;

static const state_department departments[] = {
    {"dept-sales", "Sales"},
    {"dept-support", "Support"},
};

/* Ids handed out by the Oracle side start above 2^53 on purpose: a client
 * that stores them in doubles loses the last digit (docs/REFSERVER.md). */
#define FIRST_CLIENT_ID INT64_C(9007199254740993)
#define FIRST_ENGAGEMENT_ID INT64_C(9007199254841001)

static struct {
    pthread_mutex_t lock;
    map visitors;    /* token -> state_visitor */
    map rooms;       /* id -> state_room */
    map engagements; /* SessionId -> state_engagement */
    unsigned long guest_seq;
    int64_t next_client_id;
    int64_t next_engagement_id;
    unsigned char token_key[16];
} st = {.lock = PTHREAD_MUTEX_INITIALIZER};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 1099511628211ULL;
    }
    return h;
}

static int map_init(map *m)
{
    m->nbuckets = 64;
    m->count = 0;
    m->buckets = calloc(m->nbuckets, sizeof(*m->buckets));
    return m->buckets ? 0 : -1;
}

static map_entry **map_slot(const map *m, const char *key)
{
    map_entry **e = &m->buckets[hash_str(key) & (m->nbuckets - 1)];

    while (*e && strcmp((*e)->key, key) != 0)
        e = &(*e)->next;
    return e;
}

static void *map_get(const map *m, const char *key)
{
    map_entry *e = *map_slot(m, key);
    return e ? e->value : NULL;
}

/* Grows at load factor 1; a failed grow leaves the map usable, only slower. */
static void map_grow(map *m)
{
    size_t n = m->nbuckets * 2, i;
    map_entry **b = calloc(n, sizeof(*b));

    if (b == NULL)
        return;
    for (i = 0; i < m->nbuckets; i++) {
        map_entry *e = m->buckets[i], *next;
        for (; e; e = next) {
            size_t k = hash_str(e->key) & (n - 1);
            next = e->next;
            e->next = b[k];
            b[k] = e;
        }
    }
    free(m->buckets);
    m->buckets = b;
    m->nbuckets = n;
}

/* key must not be present yet. */
static int map_put(map *m, const char *key, void *value)
{
    map_entry *e = malloc(sizeof(*e));
    map_entry **slot;

    if (e == NULL)
        return -1;
    if (m->count >= m->nbuckets)
        map_grow(m);
    slot = &m->buckets[hash_str(key) & (m->nbuckets - 1)];
    e->key = key;
    e->value = value;
    e->next = *slot;
    *slot = e;
    m->count++;
    return 0;
}

static void *map_remove(map *m, const char *key)
{
    map_entry **slot = map_slot(m, key), *e = *slot;
    void *v;

    if (e == NULL)
        return NULL;
    *slot = e->next;
    v = e->value;
    free(e);
    m->count--;
    return v;
}

static void map_free(map *m, void (*free_value)(void *))
{
    size_t i;

    if (m->buckets == NULL)
        return;
    for (i = 0; i < m->nbuckets; i++) {
        map_entry *e = m->buckets[i], *next;
        for (; e; e = next) {
            next = e->next;
            if (free_value)
                free_value(e->value);
            free(e);
        }
    }
    free(m->buckets);
    m->buckets = NULL;
}

static void visitor_free(void *p)
{
    state_visitor *v = p;

    free(v->token);
    free(v->name);
    free(v->email);
    free(v);
}

int state_init(void)
{
    if (map_init(&st.visitors) < 0 || map_init(&st.rooms) < 0 || map_init(&st.engagements) < 0)
        goto fail;
    st.guest_seq = 0;
    st.next_client_id = FIRST_CLIENT_ID;
    st.next_engagement_id = FIRST_ENGAGEMENT_ID;
    if (getrandom(st.token_key, sizeof(st.token_key), 0) != (ssize_t)sizeof(st.token_key)) {
        /* No kernel entropy: tokens stay unforgeable enough for a test server. */
        for (size_t i = 0; i < sizeof(st.token_key); i++)
            st.token_key[i] = (unsigned char)util_random_u64();
    }
    return 0;
fail:
    state_shutdown();
    return -1;
}

void state_shutdown(void)
{
    map_free(&st.rooms, free);
    map_free(&st.visitors, visitor_free);
    map_free(&st.engagements, free);
}

void state_lock(void)
{
    pthread_mutex_lock(&st.lock);
}

void state_unlock(void)
{
    pthread_mutex_unlock(&st.lock);
}

size_t state_department_count(void)
{
    return sizeof(departments) / sizeof(departments[0]);
}

const state_department *state_department_at(int index)
{
    if (index < 0 || (size_t)index >= state_department_count())
        return NULL;
    return &departments[index];
}

int state_department_find(const char *s)
{
    size_t i;

    if (s == NULL)
        return -1;
    for (i = 0; i < state_department_count(); i++)
        if (strcmp(departments[i].id, s) == 0)
            return (int)i;
    for (i = 0; i < state_department_count(); i++)
        if (strcmp(departments[i].name, s) == 0)
            return (int)i;
    return -1;
}

state_visitor *state_visitor_find_locked(const char *token)
{
    return map_get(&st.visitors, token);
}

state_visitor *state_visitor_create_locked(const char *token)
{
    state_visitor *v = calloc(1, sizeof(*v));

    if (v == NULL)
        return NULL;
    v->token = strdup(token);
    if (v->token == NULL)
        goto fail;
    util_random_id(v->id, STATE_ID_LEN, UTIL_ALPHABET_METEOR);
    snprintf(v->username, sizeof(v->username), "guest-%lu", ++st.guest_seq);
    v->department = -1;
    if (map_put(&st.visitors, v->token, v) < 0)
        goto fail;
    return v;
fail:
    visitor_free(v);
    return NULL;
}

int state_visitor_set_locked(char **field, const char *value)
{
    char *copy = strdup(value);

    if (copy == NULL)
        return -1;
    free(*field);
    *field = copy;
    return 0;
}

state_room *state_room_find_locked(const char *id)
{
    return map_get(&st.rooms, id);
}

state_room *state_room_open_locked(state_visitor *visitor)
{
    state_room *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return NULL;
    /* 17 characters from a 55-letter alphabet: a collision is not a concern. */
    util_random_id(r->id, STATE_ID_LEN, UTIL_ALPHABET_METEOR);
    r->visitor = visitor;
    r->department = visitor->department;
    r->open = true;
    if (map_put(&st.rooms, r->id, r) < 0) {
        free(r);
        return NULL;
    }
    visitor->open_room = r;
    return r;
}

void state_room_close_locked(state_room *room)
{
    room->open = false;
    if (room->visitor && room->visitor->open_room == room)
        room->visitor->open_room = NULL;
}

int state_engagement_create(state_engagement *out)
{
    state_engagement *e = malloc(sizeof(*e));
    int rc = -1;

    if (e == NULL)
        return -1;
    util_random_id(e->session_id, STATE_SESSION_ID_LEN, UTIL_ALPHABET_LOWER);
    state_lock();
    e->client_id = st.next_client_id++;
    e->engagement_id = st.next_engagement_id++;
    if (map_put(&st.engagements, e->session_id, e) < 0)
        goto done;
    *out = *e;
    e = NULL;
    rc = 0;
done:
    state_unlock();
    free(e);
    return rc;
}

int state_engagement_take(const char *session_id, bool remove, state_engagement *out)
{
    state_engagement *e;

    state_lock();
    e = remove ? map_remove(&st.engagements, session_id) : map_get(&st.engagements, session_id);
    if (e && out)
        *out = *e;
    state_unlock();
    if (e == NULL)
        return -1;
    if (remove)
        free(e);
    return 0;
}

const unsigned char *state_token_key(void)
{
    return st.token_key;
}
