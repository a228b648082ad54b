/*
 * examples.c - named examples of an operation's responses, as the suite
 * loader (is an example documented?) and the example check need them.
 */
#include "spec/examples.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Is an example called name listed in r (with or without a value)? */
int cf_response_lists_example(const cf_response *r, const char *name)
{
    for (size_t i = 0; i < cf_response_media_count(r); i++) {
        const cf_media *m = cf_response_media_at(r, i);
        for (size_t k = 0; k < cf_media_example_count(m); k++)
            if (!strcmp(cf_media_example_name(m, k), name))
                return 1;
    }
    return 0;
}

/* The response keys that list an example called name: "200, 201"; NULL if none. */
char *cf_operation_statuses_with_example(const cf_operation *op, const char *name)
{
    cf_buf b = {0};
    for (size_t i = 0; i < cf_operation_response_count(op); i++) {
        const cf_response *r = cf_operation_response_at(op, i);
        if (cf_response_lists_example(r, name))
            cf_buf_printf(&b, "%s%s", b.len ? ", " : "", cf_response_key(r));
    }
    if (!b.len) {
        cf_buf_free(&b);
        return NULL;
    }
    return cf_buf_take(&b);
}

/* The responses of op that status_key selects (see examples.h) into rs
 * (room for every response of op); returns their number. */
static size_t responses_for(const cf_operation *op, const char *status_key, const cf_response **rs)
{
    size_t n = 0;
    int code = 0, klass = 0;
    if (status_key) {
        size_t len = strlen(status_key);
        if (len == 3 && status_key[0] >= '1' && status_key[0] <= '5' &&
            (status_key[1] == 'X' || status_key[1] == 'x') &&
            (status_key[2] == 'X' || status_key[2] == 'x'))
            klass = status_key[0] - '0';
        else
            code = atoi(status_key);
    }
    const cf_response *dflt = NULL;
    for (size_t i = 0; i < cf_operation_response_count(op); i++) {
        const cf_response *r = cf_operation_response_at(op, i);
        const char *k = cf_response_key(r);
        if (!strcmp(k, "default"))
            dflt = r;
        if (!status_key)
            rs[n++] = r;
        else if (klass && k[0] == '0' + klass)
            rs[n++] = r;
    }
    if (code) {
        const cf_response *r = cf_operation_response(op, code, NULL);
        if (r)
            rs[n++] = r;
    } else if (klass && n == 0 && dflt) {
        rs[n++] = dflt;
    }
    return n;
}

/* The hint for an example name that is not there: a near name, the
 * statuses that have it, or the names there are. */
static char *missing_hint(const cf_operation *op, const char *status_key, const char *name,
                          const char *const *names, size_t nn)
{
    const char *near = cf_did_you_mean(name, names, nn);
    char *elsewhere = cf_operation_statuses_with_example(op, name);
    cf_buf hint = {0};
    if (near) {
        cf_buf_printf(&hint, "did you mean '%s'?", near);
    } else if (elsewhere) {
        cf_buf_printf(&hint, "'%s' is an example of status %s", name, elsewhere);
    } else if (nn) {
        cf_buf_puts(&hint, "examples: ");
        for (size_t i = 0; i < nn; i++)
            cf_buf_printf(&hint, "%s'%s'", i ? ", " : "", names[i]);
    } else {
        cf_buf_printf(&hint, "status %s documents no named examples",
                      status_key ? status_key : "of any");
    }
    free(elsewhere);
    return cf_buf_take(&hint);
}

int cf_spec_example_exists(const cf_operation *op, const char *status_key, const char *name,
                           const cf_doc *doc, const cJSON *node, cf_error **err)
{
    cf_mark mk = cf_doc_mark(doc, node);
    const char *file = doc ? doc->name : NULL;
    size_t nr = cf_operation_response_count(op);
    const cf_response **rs = cf_xcalloc(nr + 1, sizeof *rs);
    size_t n = responses_for(op, status_key, rs);
    int rc = -1;
    if (n == 0) {
        char *hint = cf_asprintf("documented: %s", cf_operation_status_list(op));
        cf_error_set(err, file, mk.line, mk.column, hint,
                     "status %s is not documented for %s, so it has no examples", status_key,
                     cf_operation_label(op));
        free(hint);
        goto done;
    }
    const char *names[128];
    size_t nn = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < cf_response_media_count(rs[i]); k++) {
            const cf_media *m = cf_response_media_at(rs[i], k);
            if (cf_media_example(m, name, NULL)) {
                rc = 0;
                goto done;
            }
            for (size_t e = 0; e < cf_media_example_count(m) && nn < 128; e++)
                names[nn++] = cf_media_example_name(m, e);
        }
    }
    for (size_t i = 0; i < nn; i++) {
        if (!strcmp(names[i], name)) {
            cf_error_set(
                err, file, mk.line, mk.column, "give the example a value: NAME: {value: ...}",
                "example '%s' has no inline value (an externalValue is not fetched)", name);
            goto done;
        }
    }
    char *h = missing_hint(op, status_key, name, names, nn);
    if (status_key)
        cf_error_set(err, file, mk.line, mk.column, h, "no example '%s' for status %s of %s", name,
                     status_key, cf_operation_label(op));
    else
        cf_error_set(err, file, mk.line, mk.column, h, "no example '%s' in %s", name,
                     cf_operation_label(op));
    free(h);
done:
    free(rs);
    return rc;
}
