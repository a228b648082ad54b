#include "doc/shape.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

int cf_shape_error(const cf_doc *doc, const cJSON *node, int at_key, cf_error **err,
                   const char *hint, const char *fmt, ...)
{
    cf_mark m = at_key ? cf_doc_key_mark(doc, node) : cf_doc_mark(doc, node);
    va_list ap;
    va_start(ap, fmt);
    cf_error_setv(err, doc->name, m.line, m.column, hint, fmt, ap);
    va_end(ap);
    return -1;
}

const char *cf_shape_type_name(const cJSON *node)
{
    if (!node || cJSON_IsNull(node))
        return "null";
    if (cJSON_IsObject(node))
        return "mapping";
    if (cJSON_IsArray(node))
        return "list";
    if (cJSON_IsString(node))
        return "string";
    if (cJSON_IsBool(node))
        return "boolean";
    return "number";
}

int cf_shape_keys(const cf_doc *doc, const cJSON *obj, const char *const *allowed, const char *what,
                  cf_error **err)
{
    size_t n = 0;
    while (allowed[n])
        n++;
    for (const cJSON *c = obj->child; c; c = c->next) {
        size_t i;
        for (i = 0; i < n; i++)
            if (strcmp(c->string, allowed[i]) == 0)
                break;
        if (i < n)
            continue;
        const char *near = cf_did_you_mean(c->string, allowed, n);
        char *hint = NULL;
        if (near) {
            hint = cf_asprintf("did you mean '%s'?", near);
        } else {
            cf_buf b = {0};
            cf_buf_puts(&b, "allowed: ");
            for (i = 0; i < n; i++)
                cf_buf_printf(&b, "%s%s", i ? ", " : "", allowed[i]);
            hint = cf_buf_take(&b);
        }
        cf_shape_error(doc, c, 1, err, hint, "unknown key '%s' in %s", c->string, what);
        free(hint);
        return -1;
    }
    return 0;
}

int cf_shape_expect(const cf_doc *doc, const cJSON *node, int cjson_type, const char *type_name,
                    cf_error **err)
{
    if ((node->type & 0xFF) & cjson_type)
        return 0;
    if (node->string)
        return cf_shape_error(doc, node, 0, err, NULL, "'%s' must be a %s, got %s", node->string,
                              type_name, cf_shape_type_name(node));
    return cf_shape_error(doc, node, 0, err, NULL, "expected a %s, got %s", type_name,
                          cf_shape_type_name(node));
}

char *cf_shape_scalar_text(const cf_doc *doc, const cJSON *node)
{
    if (cJSON_IsString(node))
        return cf_strdup(node->valuestring);
    if (cJSON_IsBool(node))
        return cf_strdup(cJSON_IsTrue(node) ? "true" : "false");
    if (cJSON_IsNumber(node)) {
        const char *t = cf_doc_number_text(doc, node);
        if (t)
            return cf_strdup(t);
        double v = node->valuedouble;
        if (v == (double)(long long)v)
            return cf_asprintf("%lld", (long long)v);
        return cf_asprintf("%.17g", v);
    }
    return NULL;
}
