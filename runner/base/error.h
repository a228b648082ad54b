/*
 * error.h - the error object every fallible conform function hands back.
 *
 * Contract (libgit2 style): a fallible function returns int, 0 on success and
 * a negative value on failure; on failure, and only then, it stores a freshly
 * allocated cf_error in *err (when err is not NULL). The caller owns it and
 * releases it with cf_error_free(). Out parameters come first.
 *
 * An error renders as one line, the way compilers do:
 *     FILE:LINE:COLUMN: MESSAGE (hint: HINT)
 * with the position parts left out when unknown (line 0) and the hint part
 * left out when there is none. Lines and columns are 1-based.
 */
#ifndef CONFORM_ERROR_H
#define CONFORM_ERROR_H

#include <stdarg.h>
#include <stdio.h>

typedef struct cf_error {
    char *file;    /* source file or label, may be NULL */
    int line;      /* 1-based, 0 when unknown */
    int column;    /* 1-based, 0 when unknown */
    char *message; /* what went wrong, no trailing period or newline */
    char *hint;    /* how to fix it, may be NULL */
} cf_error;

/* Sets *err (if err is not NULL and *err is NULL) and returns -1, so callers
 * can write `return cf_error_set(err, ...)`. An error already in *err is kept:
 * the first, most precise error wins. */
int cf_error_set(cf_error **err, const char *file, int line, int column, const char *hint,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int cf_error_setv(cf_error **err, const char *file, int line, int column, const char *hint,
                  const char *fmt, va_list ap);

/* The one-line rendering described above; the caller frees the string. */
char *cf_error_format(const cf_error *e);
/* Prints the rendering plus "\n" to out, through the secret redactor. */
void cf_error_print(const cf_error *e, FILE *out);
void cf_error_free(cf_error *e);

#endif
