#include "suite/template.h"

#include <stdlib.h>
#include <string.h>

#include "doc/json.h"
#include "base/util.h"

static int name_char(char c, int first)
{
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (!first && ((c >= '0' && c <= '9') || c == '.' || c == '-'));
}

/* Parses a reference at s ("{{"): on success sets name span and total length. */
static int parse_ref(const char *s, const char **name, size_t *name_len, size_t *total)
{
    if (s[0] != '{' || s[1] != '{')
        return 0;
    const char *p = s + 2;
    while (*p == ' ')
        p++;
    const char *n = p;
    while (name_char(*p, p == n))
        p++;
    if (p == n)
        return 0;
    size_t nl = (size_t)(p - n);
    while (*p == ' ')
        p++;
    if (p[0] != '}' || p[1] != '}')
        return 0;
    *name = n;
    *name_len = nl;
    *total = (size_t)(p + 2 - s);
    return 1;
}

int cf_template_each(const char *s, int (*fn)(void *ctx, const char *name, size_t offset),
                     void *ctx)
{
    for (const char *p = s; *p; p++) {
        const char *n;
        size_t nl, total;
        if (!parse_ref(p, &n, &nl, &total))
            continue;
        char *name = cf_strndup(n, nl);
        int rc = name ? fn(ctx, name, (size_t)(p - s)) : -1;
        free(name);
        if (rc)
            return rc;
        p += total - 1;
    }
    return 0;
}

int cf_template_has_refs(const char *s)
{
    for (const char *p = s; (p = strstr(p, "{{")) != NULL; p++) {
        const char *n;
        size_t nl, total;
        if (parse_ref(p, &n, &nl, &total))
            return 1;
    }
    return 0;
}

char *cf_template_expand(const char *s, cf_template_lookup lookup, void *ctx, char **missing)
{
    cf_buf b = {0};
    const char *plain = s;
    for (const char *p = s; *p; p++) {
        const char *n;
        size_t nl, total;
        if (!parse_ref(p, &n, &nl, &total))
            continue;
        char name[128];
        if (nl >= sizeof name)
            nl = sizeof name - 1;
        memcpy(name, n, nl);
        name[nl] = '\0';
        const char *v = lookup(ctx, name);
        if (!v) {
            if (missing && !*missing) /* the first undefined name is the one to report */
                *missing = cf_strdup(name);
            cf_buf_free(&b);
            return NULL;
        }
        cf_buf_append(&b, plain, (size_t)(p - plain));
        cf_buf_puts(&b, v);
        p += total - 1;
        plain = p + 1;
    }
    cf_buf_puts(&b, plain);
    return cf_buf_take(&b);
}

typedef struct expansion {
    cf_template_lookup lookup;
    void *ctx;
    char **missing;
} expansion;

static cJSON *expand_leaf(void *ud, const cJSON *leaf)
{
    const expansion *x = ud;
    if (!cJSON_IsString(leaf) || !cf_template_has_refs(leaf->valuestring))
        return cJSON_Duplicate(leaf, 0);
    char *s = cf_template_expand(leaf->valuestring, x->lookup, x->ctx, x->missing);
    if (!s)
        return NULL;
    cJSON *out = cJSON_CreateString(s);
    free(s);
    return out;
}

cJSON *cf_template_expand_json(const cJSON *node, cf_template_lookup lookup, void *ctx,
                               char **missing)
{
    expansion x = {lookup, ctx, missing};
    return cf_json_copy_map(node, expand_leaf, &x);
}
