/*
 * util.h - small helpers shared by the runner modules.
 *
 * Out of memory (one rule for all of conform): every allocation goes through
 * cf_xmalloc, cf_xcalloc, cf_xrealloc or a helper built on them (cf_strdup,
 * cf_asprintf, cf_buf ...). None of them returns NULL: on exhaustion conform
 * prints "conform: out of memory" on stderr and exits 1 at once. A failed
 * check therefore can never turn into a pass because memory ran out, and
 * callers need no NULL checks after these calls.
 */
#ifndef CONFORM_UTIL_H
#define CONFORM_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Print "conform: out of memory" and _exit(1). */
_Noreturn void cf_oom(void);
void *cf_xmalloc(size_t n);
void *cf_xcalloc(size_t n, size_t size);
void *cf_xrealloc(void *p, size_t n);
/* Grows an array of *cap elements of size bytes so that it holds at least
 * need elements (doubling, at least 8); returns the (possibly moved) array. */
void *cf_xgrow(void *array, size_t *cap, size_t need, size_t size);

/* A growable byte buffer; data is always NUL-terminated when non-NULL. */
typedef struct cf_buf {
    char *data;
    size_t len;
    size_t cap;
} cf_buf;

/* 0; cf_buf_vprintf and cf_buf_printf -1 when vsnprintf fails (a format it
 * cannot render), b unchanged. */
int cf_buf_append(cf_buf *b, const char *s, size_t n);
int cf_buf_puts(cf_buf *b, const char *s);
int cf_buf_printf(cf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cf_buf_vprintf(cf_buf *b, const char *fmt, va_list ap);
/* Hands the data to the caller ("" when nothing was added; never NULL) and
 * resets b. */
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
/* path with "." and "name/.." removed lexically: cf_path_join(NULL, path). */
char *cf_path_normalize(const char *path);

/* The largest file conform reads whole (documents, suites, configs,
 * ledgers, reports, bodies): 256 MiB. */
#define CF_READ_MAX (256u * 1024 * 1024)
/* Reads a whole file of at most CF_READ_MAX bytes; *len gets its size.
 * Regular files and pipes only: a device (/dev/zero, a tty) could block or
 * never end. NULL with errno set on failure: EFBIG beyond the limit, ENODEV
 * for a device or socket, EISDIR for a directory, fopen's and fread's. */
char *cf_read_file(const char *path, size_t *len);
/* Reads stream f to its end, as cf_read_file; f stays open. */
char *cf_read_stream(FILE *f, size_t *len);
/* cf_read_file's errno in words: strerror, but for EFBIG the limit. */
const char *cf_read_strerror(int errnum);

/* Prepares the heap for a load that allocates about bytes in small blocks
 * (a large suite or spec: a tree of millions of cJSON nodes). The heap grows
 * once by that much and the kernel is asked for huge pages there: on this
 * project's VMs a page fault costs microseconds, and faulting 4 KiB at a time
 * was half of the load time of a 15 MB suite. Untouched pages stay unmapped,
 * so an overestimate costs address space, not memory. Keeps the reservation
 * (malloc's top pad) until cf_heap_expect(0). Best effort: does nothing
 * where the heap cannot grow in place. Not thread-safe: load time only. */
void cf_heap_expect(size_t bytes);

/* Levenshtein distance, for "did you mean" hints. */
size_t cf_edit_distance(const char *a, const char *b);
/* The candidate closest to word, or NULL when none is close enough. */
const char *cf_did_you_mean(const char *word, const char *const *candidates, size_t n);

/* The value of a hexadecimal digit, or -1. */
int cf_hexval(char c);
/* The value of the four hexadecimal digits at p (as in "\\u00e9"), or -1;
 * stops at a NUL. */
long cf_hex4(const char *p);
/* Percent-decodes s[0..n) (RFC 3986) into a new string. An escape that is
 * not "%" and two hexadecimal digits, or that would decode to NUL, is kept
 * as written and counted in *bad (when bad is not NULL). */
char *cf_percent_decode(const char *s, size_t n, size_t *bad);

/* FNV-1a of a NUL-terminated string. */
size_t cf_str_hash(const char *s);

/* A set of strings (borrowed: they must outlive the set), O(1) a lookup, for
 * uniqueness checks over large inputs. Zero-initialise; cf_strset_free. */
typedef struct cf_strset {
    const char **slots;
    size_t cap, used;
} cf_strset;
/* 1 when s was already in the set, 0 when it was added. */
int cf_strset_add(cf_strset *set, const char *s);
/* The set's string equal to s, or NULL. */
const char *cf_strset_find(const cf_strset *set, const char *s);
void cf_strset_free(cf_strset *set);

/* Monotonic seconds. */
double cf_now(void);

#endif
