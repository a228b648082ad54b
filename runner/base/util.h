/*
 * util.h - small helpers shared by the runner modules: allocation that
 * aborts on exhaustion is NOT used; these return NULL and callers report OOM.
 */
#ifndef CONFORM_UTIL_H
#define CONFORM_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* A growable byte buffer; data is always NUL-terminated when non-NULL. */
typedef struct cf_buf {
    char *data;
    size_t len;
    size_t cap;
    int oom; /* set once an append failed; later appends are no-ops */
} cf_buf;

int cf_buf_append(cf_buf *b, const char *s, size_t n);
int cf_buf_puts(cf_buf *b, const char *s);
int cf_buf_printf(cf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cf_buf_vprintf(cf_buf *b, const char *fmt, va_list ap);
/* Hands the data to the caller (never NULL unless OOM) and resets b. */
char *cf_buf_take(cf_buf *b);
void cf_buf_free(cf_buf *b);

char *cf_strdup(const char *s); /* NULL-safe */
char *cf_strndup(const char *s, size_t n);
char *cf_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *cf_vasprintf(const char *fmt, va_list ap);

/* dir + "/" + rel with "." and "name/.." removed lexically (no file system
 * access, symlinks not followed), so messages show "specs/x.yaml" rather
 * than "suites/a/../../specs/x.yaml". An absolute rel is returned as is. */
char *cf_path_join(const char *dir, const char *rel);

/* Reads a whole file; *len gets its size. NULL with errno set on failure. */
char *cf_read_file(const char *path, size_t *len);

/* Levenshtein distance, for "did you mean" hints. */
size_t cf_edit_distance(const char *a, const char *b);
/* The candidate closest to word, or NULL when none is close enough. */
const char *cf_did_you_mean(const char *word, const char *const *candidates, size_t n);

/* The value of a hexadecimal digit, or -1. */
int cf_hexval(char c);

/* Monotonic seconds. */
double cf_now(void);

#endif
