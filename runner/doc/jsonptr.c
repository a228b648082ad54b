/*
 * jsonptr.c - RFC 6901 JSON Pointer over cJSON trees, and the URI fragment
 * form of RFC 6901 section 6 ("#/a%20b").
 */
#include "doc/jsonptr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

int cf_jsonptr_check(const char *ptr, size_t *where)
{
    if (!ptr) {
        if (where)
            *where = 0;
        return -1;
    }
    if (!*ptr)
        return 0;
    if (*ptr != '/') {
        if (where)
            *where = 0;
        return -1;
    }
    for (size_t i = 0; ptr[i]; i++) {
        if (ptr[i] == '~' && ptr[i + 1] != '0' && ptr[i + 1] != '1') {
            if (where)
                *where = i;
            return -1;
        }
    }
    return 0;
}

char *cf_jsonptr_token_decode(const char *p, size_t n)
{
    char *t = cf_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '~' && i + 1 < n && (p[i + 1] == '0' || p[i + 1] == '1')) {
            t[k++] = p[i + 1] == '0' ? '~' : '/';
            i++;
        } else {
            t[k++] = p[i];
        }
    }
    t[k] = '\0';
    return t;
}

int cf_jsonptr_token_index(const char *t, size_t *out)
{
    if (!*t || (t[0] == '0' && t[1]))
        return -1;
    size_t v = 0;
    for (const char *p = t; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        size_t d = (size_t)(*p - '0');
        if (v > ((size_t)-1 - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

cJSON *cf_jsonptr_get(const cJSON *root, const char *ptr)
{
    return cf_jsonptr_get_in(NULL, root, ptr);
}

cJSON *cf_jsonptr_get_in(const cf_doc *doc, const cJSON *root, const char *ptr)
{
    if (!root || cf_jsonptr_check(ptr, NULL) < 0)
        return NULL;
    const cJSON *cur = root;
    const char *p = ptr;
    while (*p) {
        p++; /* the '/' */
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *tok = cf_jsonptr_token_decode(p, n);
        if (!tok)
            return NULL;
        const cJSON *next = NULL;
        if (cJSON_IsObject(cur) && doc) {
            next = cf_doc_member(doc, cur, tok);
        } else if (cJSON_IsObject(cur)) {
            /* cJSON_GetObjectItemCaseSensitive would match any member when
             * tok is "" only if keys could be NULL; compare exactly. */
            for (const cJSON *c = cur->child; c; c = c->next) {
                if (c->string && strcmp(c->string, tok) == 0) {
                    next = c;
                    break;
                }
            }
        } else if (cJSON_IsArray(cur)) {
            size_t idx;
            if (cf_jsonptr_token_index(tok, &idx) == 0) {
                const cJSON *c = cur->child;
                for (size_t i = 0; c && i < idx; i++)
                    c = c->next;
                next = c;
            }
        }
        free(tok);
        if (!next)
            return NULL;
        cur = next;
        p += n;
    }
    return (cJSON *)cur;
}

int cf_jsonptr_push(cf_buf *b, const char *token)
{
    cf_buf_puts(b, "/");
    for (const char *p = token ? token : ""; *p; p++) {
        if (*p == '~')
            cf_buf_puts(b, "~0");
        else if (*p == '/')
            cf_buf_puts(b, "~1");
        else
            cf_buf_append(b, p, 1);
    }
    return 0;
}

char *cf_jsonptr_append(const char *base, const char *token)
{
    cf_buf b = {0};
    cf_buf_puts(&b, base ? base : "");
    cf_jsonptr_push(&b, token);
    return cf_buf_take(&b);
}

char *cf_jsonptr_append_index(const char *base, size_t index)
{
    return cf_asprintf("%s/%zu", base ? base : "", index);
}

char *cf_jsonptr_from_fragment(const char *fragment)
{
    if (!fragment || fragment[0] != '#')
        return NULL;
    size_t bad = 0;
    char *out = cf_percent_decode(fragment + 1, strlen(fragment + 1), &bad);
    if (bad || cf_jsonptr_check(out, NULL) < 0) { /* a bad escape, %00, or not a pointer */
        free(out);
        return NULL;
    }
    return out;
}

const char *cf_jsonptr_last_token(const char *ptr, char **decoded)
{
    *decoded = NULL;
    const char *slash = ptr ? strrchr(ptr, '/') : NULL;
    if (!slash)
        return NULL;
    *decoded = cf_jsonptr_token_decode(slash + 1, strlen(slash + 1));
    return *decoded;
}
