#include "base/error.h"

#include <stdlib.h>

#include "base/secrets.h"
#include "base/util.h"

int cf_error_setv(cf_error **err, const char *file, int line, int column, const char *hint,
                  const char *fmt, va_list ap)
{
    if (!err || *err)
        return -1;
    cf_error *e = cf_xcalloc(1, sizeof *e);
    if (!e)
        return -1;
    e->file = cf_strdup(file);
    e->line = line;
    e->column = column;
    e->hint = cf_strdup(hint);
    e->message = cf_vasprintf(fmt, ap);
    *err = e;
    return -1;
}

int cf_error_set(cf_error **err, const char *file, int line, int column, const char *hint,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cf_error_setv(err, file, line, column, hint, fmt, ap);
    va_end(ap);
    return -1;
}

char *cf_error_format(const cf_error *e)
{
    cf_buf b = {0};
    if (e->file && *e->file) {
        cf_buf_puts(&b, e->file);
        if (e->line > 0) {
            cf_buf_printf(&b, ":%d", e->line);
            if (e->column > 0)
                cf_buf_printf(&b, ":%d", e->column);
        }
        cf_buf_puts(&b, ": ");
    }
    cf_buf_puts(&b, e->message ? e->message : "out of memory");
    if (e->hint && *e->hint)
        cf_buf_printf(&b, " (hint: %s)", e->hint);
    return cf_buf_take(&b);
}

void cf_error_print(const cf_error *e, FILE *out)
{
    char *s = cf_error_format(e);
    char *r = s ? cf_secrets_redact(s) : NULL;
    /* Located errors read like a compiler's; others say who is speaking. */
    fprintf(out, "%s%s\n", (e->file && *e->file) ? "" : "conform: ", r ? r : "out of memory");
    free(r);
    free(s);
}

void cf_error_free(cf_error *e)
{
    if (!e)
        return;
    free(e->file);
    free(e->message);
    free(e->hint);
    free(e);
}
