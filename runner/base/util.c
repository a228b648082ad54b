#include "base/util.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

_Noreturn void cf_oom(void)
{
    static const char msg[] = "conform: out of memory\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    _exit(1);
}

void *cf_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        cf_oom();
    return p;
}

void *cf_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        cf_oom();
    return p;
}

void *cf_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        cf_oom();
    return q;
}

void *cf_xgrow(void *array, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return array;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > ((size_t)-1 / 2) / size)
            cf_oom();
        c *= 2;
    }
    array = cf_xrealloc(array, c * size);
    *cap = c;
    return array;
}

static void buf_reserve(cf_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = cf_xrealloc(b->data, cap);
    b->cap = cap;
}

int cf_buf_append(cf_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int cf_buf_puts(cf_buf *b, const char *s)
{
    return cf_buf_append(b, s, strlen(s));
}

int cf_buf_vprintf(cf_buf *b, const char *fmt, va_list ap)
{
    /* Format straight into the spare room; only a too-long result pays for
     * a second pass. */
    va_list ap2;
    va_copy(ap2, ap);
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return -1;
    if ((size_t)n >= room) {
        buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
    return 0;
}

int cf_buf_printf(cf_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = cf_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *cf_buf_take(cf_buf *b)
{
    char *d = b->data ? b->data : cf_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void cf_buf_free(cf_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *cf_strdup(const char *s)
{
    return s ? cf_strndup(s, strlen(s)) : NULL;
}

char *cf_strndup(const char *s, size_t n)
{
    char *p = cf_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *cf_vasprintf(const char *fmt, va_list ap)
{
    cf_buf b = {0};
    if (cf_buf_vprintf(&b, fmt, ap) < 0) {
        cf_buf_free(&b);
        return NULL;
    }
    return cf_buf_take(&b);
}

char *cf_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = cf_vasprintf(fmt, ap);
    va_end(ap);
    return s;
}

char *cf_path_join(const char *dir, const char *rel)
{
    char *joined = rel[0] == '/' || !dir || !*dir || !strcmp(dir, ".")
                       ? cf_strdup(rel)
                       : cf_asprintf("%s/%s", dir, rel);
    int absolute = joined[0] == '/';
    /* Split into segments in place, keep a stack of kept segments. */
    size_t n = strlen(joined);
    char **seg = cf_xcalloc(n / 2 + 2, sizeof *seg);
    size_t nseg = 0;
    char *save = NULL;
    for (char *tok = strtok_r(joined, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (!strcmp(tok, "."))
            continue;
        if (!strcmp(tok, "..") && nseg > 0 && strcmp(seg[nseg - 1], "..") != 0) {
            nseg--;
            continue;
        }
        if (!strcmp(tok, "..") && absolute)
            continue; /* "/.." is "/" */
        seg[nseg++] = tok;
    }
    cf_buf b = {0};
    if (absolute)
        cf_buf_puts(&b, "/");
    for (size_t i = 0; i < nseg; i++)
        cf_buf_printf(&b, "%s%s", i ? "/" : "", seg[i]);
    if (!absolute && nseg == 0)
        cf_buf_puts(&b, ".");
    free(seg);
    free(joined);
    return cf_buf_take(&b);
}

char *cf_path_normalize(const char *path)
{
    return cf_path_join(NULL, path);
}

char *cf_read_stream(FILE *f, size_t *len)
{
    cf_buf b = {0};
    char chunk[65536];
    size_t n;
    errno = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (n > CF_READ_MAX - b.len) {
            cf_buf_free(&b);
            errno = EFBIG;
            return NULL;
        }
        cf_buf_append(&b, chunk, n);
    }
    if (ferror(f)) {
        int e = errno ? errno : EIO;
        cf_buf_free(&b);
        errno = e;
        return NULL;
    }
    if (len)
        *len = b.len;
    return cf_buf_take(&b);
}

char *cf_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    int e = fstat(fileno(f), &st) < 0                                ? errno
            : S_ISDIR(st.st_mode)                                    ? EISDIR
            : !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)          ? ENODEV
            : S_ISREG(st.st_mode) && st.st_size > (off_t)CF_READ_MAX ? EFBIG
                                                                     : 0;
    if (e) {
        fclose(f);
        errno = e;
        return NULL;
    }
    char *text = cf_read_stream(f, len);
    e = errno;
    fclose(f);
    errno = e;
    return text;
}

const char *cf_read_strerror(int errnum)
{
    if (errnum == EFBIG)
        return "larger than 268435456 bytes, the limit of a file conform reads (256 MiB)";
    if (errnum == ENODEV)
        return "a device, not a file (conform reads regular files and pipes)";
    if (errnum == EISDIR)
        return "a directory, not a file";
    return strerror(errnum);
}

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and transpositions of neighbours ("rnu" is one step from "run"). */
size_t cf_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return (size_t)-1;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const char *cf_did_you_mean(const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = cf_edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    size_t len = strlen(word);
    size_t limit = len <= 3 ? 1 : (len <= 6 ? 2 : 3);
    return best_d <= limit ? best : NULL;
}

double cf_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cf_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long cf_hex4(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int d = cf_hexval(p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

char *cf_percent_decode(const char *s, size_t n, size_t *bad)
{
    char *out = cf_xmalloc(n + 1);
    size_t k = 0, nbad = 0;
    for (size_t i = 0; i < n; i++) {
        int hi = s[i] == '%' && i + 2 < n ? cf_hexval(s[i + 1]) : -1;
        int lo = hi >= 0 ? cf_hexval(s[i + 2]) : -1;
        if (lo >= 0 && (hi | lo) != 0) {
            out[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            nbad += s[i] == '%';
            out[k++] = s[i];
        }
    }
    out[k] = '\0';
    if (bad)
        *bad = nbad;
    return out;
}

size_t cf_str_hash(const char *s)
{
    size_t h = (size_t)1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
    return h;
}

int cf_strset_add(cf_strset *set, const char *s)
{
    if (set->cap) {
        for (size_t j = cf_str_hash(s) & (set->cap - 1); set->slots[j];
             j = (j + 1) & (set->cap - 1))
            if (strcmp(set->slots[j], s) == 0)
                return 1;
    }
    if ((set->used + 1) * 2 > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        const char **slots = cf_xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < set->cap; i++) {
            if (!set->slots[i])
                continue;
            size_t j = cf_str_hash(set->slots[i]) & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = set->slots[i];
        }
        free(set->slots);
        set->slots = slots;
        set->cap = cap;
    }
    size_t j = cf_str_hash(s) & (set->cap - 1);
    while (set->slots[j])
        j = (j + 1) & (set->cap - 1);
    set->slots[j] = s;
    set->used++;
    return 0;
}

const char *cf_strset_find(const cf_strset *set, const char *s)
{
    for (size_t j = set->cap ? cf_str_hash(s) & (set->cap - 1) : 0; set->cap && set->slots[j];
         j = (j + 1) & (set->cap - 1))
        if (strcmp(set->slots[j], s) == 0)
            return set->slots[j];
    return NULL;
}

void cf_strset_free(cf_strset *set)
{
    free(set->slots);
    *set = (cf_strset){0};
}

void cf_heap_expect(size_t bytes)
{
    enum { HUGE = 2 << 20, DEFAULT_TOP_PAD = 128 * 1024 };
    if (!bytes) {
        mallopt(M_TOP_PAD, DEFAULT_TOP_PAD);
        return;
    }
    if (bytes > ((size_t)1 << 40) ||
        mallopt(M_TOP_PAD, (int)(bytes > INT32_MAX ? INT32_MAX : bytes)) != 1)
        return;
    /* One allocation larger than all free memory together (so no free chunk
     * and not the top can hold it) makes malloc extend the heap by the new
     * top pad; freed, it joins that top again. It must not be mapped apart
     * (the mmap threshold; both settings end malloc's dynamic threshold,
     * which is what MALLOC_TOP_PAD_ does too). */
    struct mallinfo2 mi = mallinfo2();
    if (mi.fordblks > 16 << 20)
        return;
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    char *before = sbrk(0);
    void *p = malloc(mi.fordblks + 4096);
    char *after = sbrk(0);
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    if (p && before != (char *)-1 && after > before + 2 * HUGE) {
        uintptr_t from = ((uintptr_t)before + HUGE - 1) & ~(uintptr_t)(HUGE - 1);
        uintptr_t to = (uintptr_t)after & ~(uintptr_t)(HUGE - 1);
        if (to > from)
            madvise((void *)from, to - from, MADV_HUGEPAGE);
    }
    free(p);
}
