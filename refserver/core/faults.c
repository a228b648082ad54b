/*
 * faults.c - the fault catalogue and how each fault alters a response.
 * See faults.h for the contract and docs/REFSERVER.md for the table.
 *
 * Each entry targets exactly one operation and names the finding a correct
 * checker reports (`expect`): a failed check (status, documented-status,
 * content-type, schema, example) or a transport error (timeout, connect,
 * http, body-too-large, invalid-json, capture). "a|b" means either is
 * right, "a, b" that both are expected. Harmless entries must pass.
 *
 * Keep `.name = "..."` first on each entry's line: the CTest matrix is read
 * out of this file with a regular expression.
 */
#include "core/faults.h"

#include <stdlib.h>
#include <string.h>

typedef enum fault_action {
    FA_STATUS,       /* send .ival instead of 200, body unchanged */
    FA_DROP,         /* remove .member */
    FA_SET,          /* .member (and .member2) become the raw JSON .text (.text2) */
    FA_STRINGIFY,    /* .member's value is sent as a string of the same digits */
    FA_REVERSE,      /* members serialized in reverse order */
    FA_PRETTY,       /* indented, with whitespace around the value */
    FA_BODY,         /* the whole body is .text */
    FA_TRUNCATE,     /* the body is cut to half its length (Content-Length agrees) */
    FA_HUGE,         /* padded with an extra string member to .ival bytes */
    FA_CONTENT_TYPE, /* Content-Type is .text, or absent when .text is NULL */
    FA_HEADER_NAME,  /* Content-Type's name is written as .text */
    FA_CHUNKED,
    FA_CLOSE,
    FA_DELAY,
    FA_RESET,
    FA_NO_RESPONSE,
} fault_action;

typedef struct fault_def {
    const char *name;
    rs_op op;
    fault_action action;
    const char *member;
    const char *text;
    const char *member2;
    const char *text2;
    unsigned ival;
    const char *expect; /* NULL for harmless entries */
    const char *description;
} fault_def;

#define RASA RS_OP_RASA_CLOSE
#define CONCLUDE RS_OP_ORACLE_CONCLUDE
#define HUGE_SIZE (9u * 1024u * 1024u)

static const fault_def catalogue[] = {
    /* Rasa close-chat: documented 200 {"msg":" Close chat request handled successfully"} */
    {.name = "rasa-status-202",
     .op = RASA,
     .action = FA_STATUS,
     .ival = 202,
     .expect = "status, documented-status",
     .description = "status 202, not documented for the operation, with the documented body"},
    {.name = "rasa-status-401",
     .op = RASA,
     .action = FA_STATUS,
     .ival = 401,
     .expect = "status",
     .description = "status 401 (documented, as the authorization error) with the success body"},
    {.name = "rasa-missing-msg",
     .op = RASA,
     .action = FA_DROP,
     .member = "msg",
     .expect = "example",
     .description = "body {}: the example's key msg is missing (the schema requires nothing)"},
    {.name = "rasa-msg-number",
     .op = RASA,
     .action = FA_SET,
     .member = "msg",
     .text = "42",
     .expect = "schema",
     .description = "msg is the number 42, the schema says string"},
    {.name = "rasa-msg-null",
     .op = RASA,
     .action = FA_SET,
     .member = "msg",
     .text = "null",
     .expect = "schema",
     .description = "msg is null, the schema does not allow null"},
    {.name = "rasa-msg-text",
     .op = RASA,
     .action = FA_SET,
     .member = "msg",
     .text = "\" Chat closed\"",
     .expect = "example",
     .description = "msg is \" Chat closed\", not the example text"},
    {.name = "rasa-msg-no-leading-space",
     .op = RASA,
     .action = FA_SET,
     .member = "msg",
     .text = "\"Close chat request handled successfully\"",
     .expect = "example",
     .description = "msg lacks only the example's leading space"},
    {.name = "rasa-content-type-html",
     .op = RASA,
     .action = FA_CONTENT_TYPE,
     .text = "text/html; charset=utf-8",
     .expect = "content-type",
     .description = "Content-Type text/html, the body is unchanged JSON"},
    {.name = "rasa-content-type-missing",
     .op = RASA,
     .action = FA_CONTENT_TYPE,
     .text = NULL,
     .expect = "content-type",
     .description = "no Content-Type header at all"},
    {.name = "rasa-invalid-json",
     .op = RASA,
     .action = FA_BODY,
     .text = "{msg: ' Close chat request handled successfully'}",
     .expect = "invalid-json",
     .description = "the body is not JSON (unquoted key, single quotes)"},
    {.name = "rasa-truncated",
     .op = RASA,
     .action = FA_TRUNCATE,
     .expect = "invalid-json",
     .description = "the body is the first half of the documented one; Content-Length agrees"},
    {.name = "rasa-empty-body",
     .op = RASA,
     .action = FA_BODY,
     .text = "",
     .expect = "invalid-json|schema",
     .description = "200 application/json with an empty body (Content-Length: 0)"},
    {.name = "rasa-body-9mib",
     .op = RASA,
     .action = FA_HUGE,
     .ival = HUGE_SIZE,
     .expect = "body-too-large",
     .description = "valid JSON of 9 MiB (msg plus a padding member), above the 8 MiB cap"},
    {.name = "rasa-slow",
     .op = RASA,
     .action = FA_DELAY,
     .expect = "timeout",
     .description = "the documented response, sent after --fault-delay-ms (default 3000)"},
    {.name = "rasa-reset",
     .op = RASA,
     .action = FA_RESET,
     .expect = "connection",
     .description = "status and headers, half the announced body, then the connection drops"},
    {.name = "rasa-no-response",
     .op = RASA,
     .action = FA_NO_RESPONSE,
     .expect = "connection",
     .description = "the connection is closed without any response"},
    {.name = "rasa-invalid-utf8",
     .op = RASA,
     .action = FA_SET,
     .member = "msg",
     .text = "\" Close chat request handled successfully \xC3\x28\xFF\"",
     .expect = "invalid-json|example",
     .description = "msg holds the bytes C3 28 FF (invalid UTF-8); the report must stay valid"},
    {.name = "rasa-xml-hostile",
     .op = RASA,
     .action = FA_SET,
     .member = "msg",
     .text = "\" Close chat request handled successfully ]]> <b>&amp; & \\u0001\\u001b\"",
     .expect = "example",
     .description = "msg holds ]]>, <, &, and U+0001/U+001B via \\u escapes; JUnit must stay "
                    "well-formed"},

    /* Oracle concludeEngagement: the seven base fields */
    {.name = "oracle-status-500",
     .op = CONCLUDE,
     .action = FA_STATUS,
     .ival = 500,
     .expect = "status",
     .description = "status 500 (documented, as a server error) with the success body"},
    {.name = "oracle-status-202",
     .op = CONCLUDE,
     .action = FA_STATUS,
     .ival = 202,
     .expect = "status, documented-status",
     .description = "status 202, not documented for the operation, with the success body"},
    {.name = "oracle-missing-clientid",
     .op = CONCLUDE,
     .action = FA_DROP,
     .member = "clientId",
     .expect = "example",
     .description = "clientId is missing (schema too, if the spec requires it)"},
    {.name = "oracle-clientid-string",
     .op = CONCLUDE,
     .action = FA_STRINGIFY,
     .member = "clientId",
     .expect = "schema",
     .description = "clientId is a string of the same digits, the schema says integer"},
    {.name = "oracle-clientid-null",
     .op = CONCLUDE,
     .action = FA_SET,
     .member = "clientId",
     .text = "null",
     .expect = "schema",
     .description = "clientId is null, not nullable"},
    {.name = "oracle-clientid-fraction",
     .op = CONCLUDE,
     .action = FA_SET,
     .member = "clientId",
     .text = "34.5",
     .expect = "schema",
     .description = "clientId is 34.5, not an integer"},
    {.name = "oracle-bad-date",
     .op = CONCLUDE,
     .action = FA_SET,
     .member = "serviceStartTime",
     .text = "\"yesterday\"",
     .expect = "schema",
     .description = "serviceStartTime is \"yesterday\", not a date-time"},
    {.name = "oracle-content-type-html",
     .op = CONCLUDE,
     .action = FA_CONTENT_TYPE,
     .text = "text/html;charset=utf-8",
     .expect = "content-type",
     .description = "Content-Type text/html, the body is unchanged JSON"},
    {.name = "oracle-content-type-missing",
     .op = CONCLUDE,
     .action = FA_CONTENT_TYPE,
     .text = NULL,
     .expect = "content-type",
     .description = "no Content-Type header at all"},
    {.name = "oracle-invalid-json",
     .op = CONCLUDE,
     .action = FA_BODY,
     .text = "{\"clientRequestTime\":null,,\"clientId\":34,\"clientIdString\":\"34\"}",
     .expect = "invalid-json",
     .description = "the body is not JSON (two commas in a row)"},
    {.name = "oracle-truncated",
     .op = CONCLUDE,
     .action = FA_TRUNCATE,
     .expect = "invalid-json",
     .description = "the body is the first half of the real one; Content-Length agrees"},
    {.name = "oracle-empty-body",
     .op = CONCLUDE,
     .action = FA_BODY,
     .text = "",
     .expect = "invalid-json|schema",
     .description = "200 application/json with an empty body (Content-Length: 0)"},
    {.name = "oracle-body-9mib",
     .op = CONCLUDE,
     .action = FA_HUGE,
     .ival = HUGE_SIZE,
     .expect = "body-too-large",
     .description = "valid JSON of 9 MiB (the fields plus a padding member), above the 8 MiB cap"},
    {.name = "oracle-slow",
     .op = CONCLUDE,
     .action = FA_DELAY,
     .expect = "timeout",
     .description = "the normal response, sent after --fault-delay-ms (default 3000)"},
    {.name = "oracle-reset",
     .op = CONCLUDE,
     .action = FA_RESET,
     .expect = "connection",
     .description = "status and headers, half the announced body, then the connection drops"},
    {.name = "oracle-no-response",
     .op = CONCLUDE,
     .action = FA_NO_RESPONSE,
     .expect = "connection",
     .description = "the connection is closed without any response"},

    /* Oracle requestEngagement */
    {.name = "oracle-request-no-sessionid",
     .op = RS_OP_ORACLE_REQUEST,
     .action = FA_DROP,
     .member = "sessionId",
     .expect = "capture",
     .description = "requestEngagement omits sessionId: the case cannot capture it (an error, "
                    "not a failure)"},

    /* Harmless variations: a correct checker reports nothing */
    {.name = "harmless-rasa-unicode-escape",
     .op = RASA,
     .action = FA_SET,
     .member = "msg",
     .text = "\"\\u0020Close\\u0020chat request handled successfully\"",
     .description = "msg written with \\u0020 escapes for its spaces; the same string"},
    {.name = "harmless-rasa-charset",
     .op = RASA,
     .action = FA_CONTENT_TYPE,
     .text = "application/json; charset=UTF-8",
     .description = "Content-Type application/json; charset=UTF-8"},
    {.name = "harmless-rasa-header-case",
     .op = RASA,
     .action = FA_HEADER_NAME,
     .text = "content-type",
     .description = "the header name is sent as content-type"},
    {.name = "harmless-rasa-pretty",
     .op = RASA,
     .action = FA_PRETTY,
     .description = "the body is indented, with newlines around it"},
    {.name = "harmless-rasa-chunked",
     .op = RASA,
     .action = FA_CHUNKED,
     .description = "chunked transfer encoding, no Content-Length"},
    {.name = "harmless-rasa-connection-close",
     .op = RASA,
     .action = FA_CLOSE,
     .description = "Connection: close, then the server closes the connection"},
    {.name = "harmless-rasa-extra-field",
     .op = RASA,
     .action = FA_SET,
     .member = "success",
     .text = "true",
     .description = "an extra member success:true, which the schema allows"},
    {.name = "harmless-oracle-key-order",
     .op = CONCLUDE,
     .action = FA_REVERSE,
     .description = "the members in reverse order"},
    {.name = "harmless-oracle-pretty",
     .op = CONCLUDE,
     .action = FA_PRETTY,
     .description = "the body is indented, with newlines around it"},
    {.name = "harmless-oracle-charset",
     .op = CONCLUDE,
     .action = FA_CONTENT_TYPE,
     .text = "application/json; charset=UTF-8",
     .description = "Content-Type application/json; charset=UTF-8 (space, upper case)"},
    {.name = "harmless-oracle-header-case",
     .op = CONCLUDE,
     .action = FA_HEADER_NAME,
     .text = "CONTENT-TYPE",
     .description = "the header name is sent as CONTENT-TYPE"},
    {.name = "harmless-oracle-chunked",
     .op = CONCLUDE,
     .action = FA_CHUNKED,
     .description = "chunked transfer encoding, no Content-Length"},
    {.name = "harmless-oracle-connection-close",
     .op = CONCLUDE,
     .action = FA_CLOSE,
     .description = "Connection: close, then the server closes the connection"},
    {.name = "harmless-oracle-extra-field",
     .op = CONCLUDE,
     .action = FA_SET,
     .member = "conformNote",
     .text = "\"an extra member the schema allows\"",
     .description = "an extra string member, which the schema allows"},
    {.name = "harmless-oracle-int64-max",
     .op = CONCLUDE,
     .action = FA_SET,
     .member = "clientId",
     .text = "9223372036854775807",
     .member2 = "clientIdString",
     .text2 = "\"9223372036854775807\"",
     .description = "clientId is 9223372036854775807 (INT64_MAX), clientIdString agrees"},
};

#define NFAULTS (sizeof(catalogue) / sizeof(catalogue[0]))
_Static_assert(NFAULTS <= RS_FAULTS_MAX, "raise RS_FAULTS_MAX");

const char *rs_op_name(rs_op op)
{
    switch (op) {
    case RS_OP_LIVECHAT_VISITOR:
        return "livechat-visitor";
    case RS_OP_LIVECHAT_ROOM:
        return "livechat-room";
    case RS_OP_RASA_CLOSE:
        return "rasa-close-chat";
    case RS_OP_RASA_HANDOVER:
        return "rasa-handover";
    case RS_OP_ORACLE_ESTABLISH:
        return "oracle-establish-sessions";
    case RS_OP_ORACLE_REQUEST:
        return "oracle-request-engagement";
    case RS_OP_ORACLE_CONCLUDE:
        return "oracle-conclude-engagement";
    default:
        return "none";
    }
}

size_t faults_count(void)
{
    return NFAULTS;
}

static int find(const char *name)
{
    size_t i;

    for (i = 0; i < NFAULTS; i++)
        if (strcmp(catalogue[i].name, name) == 0)
            return (int)i;
    return -1;
}

int faults_enable(rs_faultset *set, const char *name)
{
    int i = find(name);

    if (i < 0)
        return -1;
    set->on[i] = true;
    set->ops |= 1u << catalogue[i].op;
    return 0;
}

rs_op faults_op_of(const char *name)
{
    int i = find(name);
    return i < 0 ? RS_OP_NONE : catalogue[i].op;
}

void faults_list(FILE *out)
{
    size_t i;

    for (i = 0; i < NFAULTS; i++)
        fprintf(out, "%s  %s  %s [expect: %s]\n", catalogue[i].name, rs_op_name(catalogue[i].op),
                catalogue[i].description, catalogue[i].expect ? catalogue[i].expect : "pass");
}

/* Replaces member (or adds it) with the raw JSON text. */
static int set_raw(cJSON *obj, const char *member, const char *text)
{
    cJSON *v = cJSON_CreateRaw(text);

    if (v == NULL)
        return -1;
    if (cJSON_GetObjectItemCaseSensitive(obj, member))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, member, v);
    else
        cJSON_AddItemToObject(obj, member, v);
    return 0;
}

static int stringify(cJSON *obj, const char *member)
{
    cJSON *old = cJSON_GetObjectItemCaseSensitive(obj, member), *v;
    char *text;

    if (old == NULL)
        return 0;
    text = cJSON_IsRaw(old) ? strdup(old->valuestring) : cJSON_PrintUnformatted(old);
    if (text == NULL)
        return -1;
    v = cJSON_CreateString(text);
    free(text);
    if (v == NULL)
        return -1;
    cJSON_ReplaceItemInObjectCaseSensitive(obj, member, v);
    return 0;
}

static void reverse(cJSON *obj)
{
    cJSON *head = obj->child, *prev = NULL, *cur = head, *next;

    /* cJSON keeps child->prev pointing at the last child. */
    while (cur) {
        next = cur->next;
        cur->next = prev;
        cur->prev = next;
        prev = cur;
        cur = next;
    }
    obj->child = prev;
    if (prev)
        prev->prev = head;
}

/* body is an object text ending in '}': insert a padding member so the text
 * is exactly size bytes (or a little more when it is already that long). */
static int pad(char **body, size_t *len, size_t size)
{
    static const char member[] = "\"padding\":\"";
    size_t end = *len, fixed, fill;
    bool empty;
    char *out, *p;

    while (end > 0 && (*body)[end - 1] != '}')
        end--;
    if (end == 0)
        return 0;
    end--; /* position of the closing brace */
    p = *body + end;
    while (p > *body && (p[-1] == ' ' || p[-1] == '\n' || p[-1] == '\t'))
        p--;
    empty = p > *body && p[-1] == '{';
    fixed = end + (empty ? 0 : 1) + sizeof(member) - 1 + 2;
    fill = size > fixed ? size - fixed : 1;
    out = malloc(fixed + fill + 1);
    if (out == NULL)
        return -1;
    p = out;
    memcpy(p, *body, end);
    p += end;
    if (!empty)
        *p++ = ',';
    memcpy(p, member, sizeof(member) - 1);
    p += sizeof(member) - 1;
    memset(p, 'x', fill);
    p += fill;
    *p++ = '"';
    *p++ = '}';
    *p = '\0';
    free(*body);
    *body = out;
    *len = (size_t)(p - out);
    return 0;
}

/* Stage 1: the faults of op that edit the reply's tree; *pretty when one
 * asks for indented output. */
static int tree_faults(const rs_faultset *set, rs_op op, cJSON *tree, bool *pretty)
{
    for (size_t i = 0; i < NFAULTS; i++) {
        const fault_def *f = &catalogue[i];
        if (!set->on[i] || f->op != op)
            continue;
        switch (f->action) {
        case FA_DROP:
            cJSON_Delete(cJSON_DetachItemFromObjectCaseSensitive(tree, f->member));
            break;
        case FA_SET:
            if (set_raw(tree, f->member, f->text) < 0 ||
                (f->member2 && set_raw(tree, f->member2, f->text2) < 0))
                return -1;
            break;
        case FA_STRINGIFY:
            if (stringify(tree, f->member) < 0)
                return -1;
            break;
        case FA_REVERSE:
            reverse(tree);
            break;
        case FA_PRETTY:
            *pretty = true;
            break;
        default:
            break;
        }
    }
    return 0;
}

/* Stage 2: the tree as text (indented and padded with white space when
 * pretty), or NULL when out of memory. */
static char *print_tree(const cJSON *tree, bool pretty)
{
    if (!pretty)
        return cJSON_PrintUnformatted(tree);
    char *inner = cJSON_Print(tree);
    if (inner == NULL)
        return NULL;
    size_t n = strlen(inner);
    char *text = malloc(n + 6);
    if (text != NULL) {
        memcpy(text, "\n  ", 3);
        memcpy(text + 3, inner, n);
        memcpy(text + 3 + n, " \n", 3);
    }
    free(inner);
    return text;
}

/* Stage 3: the faults of op that edit the text (*text of *n bytes). */
static int text_faults(const rs_faultset *set, rs_op op, char **text, size_t *n)
{
    for (size_t i = 0; i < NFAULTS; i++) {
        const fault_def *f = &catalogue[i];
        if (!set->on[i] || f->op != op)
            continue;
        if (f->action == FA_BODY) {
            char *copy = strdup(f->text);
            if (copy == NULL)
                return -1;
            free(*text);
            *text = copy;
            *n = strlen(*text);
        } else if (f->action == FA_TRUNCATE) {
            *n /= 2;
            (*text)[*n] = '\0';
        } else if (f->action == FA_HUGE) {
            if (pad(text, n, f->ival) < 0)
                return -1;
        }
    }
    return 0;
}

int faults_render(const rs_faultset *set, rs_op op, cJSON *tree, char **body, size_t *len)
{
    bool pretty = false;
    char *text = NULL;
    size_t n = 0;
    int rc = -1;

    *body = NULL;
    *len = 0;
    if (tree_faults(set, op, tree, &pretty) == 0 && (text = print_tree(tree, pretty)) != NULL) {
        n = strlen(text);
        if (text_faults(set, op, &text, &n) == 0) {
            *body = text;
            *len = n;
            text = NULL;
            rc = 0;
        }
    }
    free(text);
    cJSON_Delete(tree);
    return rc;
}

bool faults_any_delay(const rs_faultset *set)
{
    for (size_t i = 0; i < NFAULTS; i++)
        if (set->on[i] && catalogue[i].action == FA_DELAY)
            return true;
    return false;
}

void faults_effects_get(const rs_faultset *set, rs_op op, faults_effects *fx)
{
    size_t i;

    memset(fx, 0, sizeof(*fx));
    for (i = 0; i < NFAULTS; i++) {
        const fault_def *f = &catalogue[i];
        if (!set->on[i] || f->op != op)
            continue;
        switch (f->action) {
        case FA_STATUS:
            fx->status = f->ival;
            break;
        case FA_CONTENT_TYPE:
            fx->set_content_type = true;
            fx->content_type = f->text;
            break;
        case FA_HEADER_NAME:
            fx->content_type_name = f->text;
            break;
        case FA_CHUNKED:
            fx->chunked = true;
            break;
        case FA_CLOSE:
            fx->connection_close = true;
            break;
        case FA_DELAY:
            fx->delay = true;
            break;
        case FA_RESET:
            fx->reset = true;
            break;
        case FA_NO_RESPONSE:
            fx->no_response = true;
            break;
        default:
            break;
        }
    }
}
