/*
 * secrets.c - secret values and their masking (contract in secrets.h).
 *
 * Each secret is kept as a set of byte patterns: the value itself and the
 * base64 cores of its three alignments (two alphabets). The encodings that
 * can wrap any byte of a pattern (percent, JSON escapes) are not stored as
 * patterns: the matcher decodes them from the text as it compares, so any
 * mix of encoded and plain bytes matches, and a literal '%' or '\' in a
 * secret still matches as itself (both readings are tried).
 */
#include "base/secrets.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "base/util.h"

enum {
    MIN_PARTIAL = 3,       /* bytes of a secret that count as a partial at a cut */
    MIN_BASE64_SECRET = 6, /* below this, base64 cores are too short to mask */
    MATCH_BUDGET = 4096,   /* steps per match attempt: bounds the two readings */
    MAX_UNIT = 12,         /* longest encoded unit: a surrogate pair "\uXXXX\uXXXX" */
};

typedef struct pattern {
    unsigned char *bytes;
    size_t len;
} pattern;

static char **secrets; /* the values, to skip duplicates */
static size_t nsecrets;
static pattern *patterns;
static size_t npatterns, maxlen;

static int add_pattern(const unsigned char *bytes, size_t len)
{
    for (size_t i = 0; i < npatterns; i++)
        if (patterns[i].len == len && !memcmp(patterns[i].bytes, bytes, len))
            return 0;
    patterns = cf_xrealloc(patterns, (npatterns + 1) * sizeof *patterns);
    unsigned char *copy = cf_xmalloc(len ? len : 1);
    memcpy(copy, bytes, len);
    patterns[npatterns++] = (pattern){copy, len};
    if (len > maxlen)
        maxlen = len;
    return 0;
}

/* The base64 characters of (align zero bytes + s) that depend on s's bytes
 * alone: they appear in the encoding of any value holding s at that
 * alignment, whatever surrounds it. */
static int add_base64_cores(const unsigned char *s, size_t len)
{
    static const char std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static const char url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if (len < MIN_BASE64_SECRET)
        return 0;
    unsigned char *core = cf_xmalloc(len * 2 + 8), *urlcore = cf_xmalloc(len * 2 + 8);
    int rc = 0;
    for (size_t align = 0; rc == 0 && align < 3; align++) {
        size_t total = align + len, n = 0;
        /* Character j covers bits [6j, 6j + 6) of the input. */
        for (size_t j = (8 * align + 5) / 6; 6 * j + 5 < 8 * total; j++) {
            size_t bit = 6 * j, v = 0;
            for (size_t b = 0; b < 6; b++, bit++) {
                size_t byte = bit / 8;
                unsigned char c = byte < align ? 0 : s[byte - align];
                v = (v << 1) | ((c >> (7 - bit % 8)) & 1);
            }
            core[n] = (unsigned char)std[v];
            urlcore[n++] = (unsigned char)url[v];
        }
        if (n >= 4 && (add_pattern(core, n) < 0 || add_pattern(urlcore, n) < 0))
            rc = -1;
    }
    free(core);
    free(urlcore);
    return rc;
}

int cf_secrets_add(const char *value)
{
    if (!value || !*value)
        return 0;
    for (size_t i = 0; i < nsecrets; i++)
        if (strcmp(secrets[i], value) == 0)
            return 0;
    char **grown = cf_xrealloc(secrets, (nsecrets + 1) * sizeof *grown);
    if (!grown)
        return -1;
    secrets = grown;
    char *copy = cf_strdup(value);
    if (!copy)
        return -1;
    secrets[nsecrets++] = copy;
    size_t len = strlen(value);
    if (add_pattern((const unsigned char *)value, len) < 0)
        return -1;
    return add_base64_cores((const unsigned char *)value, len);
}

/* Decodes the escape at t (n bytes left; t[0] is '%' or '\') into out.
 * Returns the bytes of text it takes, 0 when it is not a complete escape. */
static size_t decode_escape(const unsigned char *t, size_t n, unsigned char *out, size_t *outlen)
{
    *outlen = 1;
    if (t[0] == '%') {
        int hi = n >= 3 ? cf_hexval((char)t[1]) : -1, lo = n >= 3 ? cf_hexval((char)t[2]) : -1;
        if (hi < 0 || lo < 0)
            return 0;
        out[0] = (unsigned char)(hi << 4 | lo);
        return 3;
    }
    if (n < 2)
        return 0;
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k = t[1] ? strchr(from, t[1]) : NULL;
    if (k) {
        out[0] = (unsigned char)to[k - from];
        return 2;
    }
    long cp, lo;
    if (t[1] != 'u' || n < 6 || (cp = cf_hex4((const char *)t + 2)) < 0)
        return 0;
    size_t used = 6;
    if (cp >= 0xD800 && cp < 0xDC00 && n >= 12 && t[6] == '\\' && t[7] == 'u' &&
        (lo = cf_hex4((const char *)t + 8)) >= 0 && lo >= 0xDC00 && lo < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        used = 12;
    }
    *outlen = cf_utf8_encode((uint32_t)cp, out);
    return used;
}

typedef struct matcher {
    const unsigned char *t;
    size_t n;
    const pattern *p;
    size_t pstart; /* where in the pattern the match began */
    int partial;   /* the end of the text may come before the pattern's */
    int budget;
} matcher;

/* Matches p[pi..) against t[ti..); returns the text offset where the match
 * ends, or -1. */
static long match_from(matcher *m, size_t ti, size_t pi)
{
    if (pi == m->p->len)
        return (long)ti;
    if (ti == m->n)
        return m->partial && pi - m->pstart >= MIN_PARTIAL ? (long)ti : -1;
    if (--m->budget < 0)
        return -1;
    unsigned char c = m->t[ti], want = m->p->bytes[pi];
    if (c == '%' || c == '\\') {
        unsigned char out[4];
        size_t ol, used = decode_escape(m->t + ti, m->n - ti, out, &ol);
        if (used && pi + ol <= m->p->len && !memcmp(out, m->p->bytes + pi, ol)) {
            long r = match_from(m, ti + used, pi + ol);
            if (r >= 0)
                return r;
        }
        /* An escape cut off by the end of the piece. */
        if (!used && m->partial && m->n - ti < MAX_UNIT && pi - m->pstart >= MIN_PARTIAL)
            return (long)m->n;
    }
    if (c == want || (c == '+' && want == ' '))
        return match_from(m, ti + 1, pi + 1);
    return -1;
}

/* Could a pattern starting with byte want begin at text byte c? */
static int may_start(unsigned char c, unsigned char want)
{
    return c == want || c == '%' || c == '\\' || (c == '+' && want == ' ');
}

/* The length of the longest secret occurrence starting at t[i], 0 if none. */
static size_t hit_at(const unsigned char *t, size_t n, size_t i)
{
    size_t best = 0;
    for (size_t k = 0; k < npatterns; k++) {
        if (!may_start(t[i], patterns[k].bytes[0]))
            continue;
        matcher m = {t, n, &patterns[k], 0, 0, MATCH_BUDGET};
        long r = match_from(&m, i, 0);
        if (r > 0 && (size_t)r - i > best)
            best = (size_t)r - i;
    }
    return best;
}

static void redact_into(cf_buf *b, const unsigned char *t, size_t len)
{
    size_t i = 0, plain = 0;
    while (i < len) {
        size_t hit = npatterns ? hit_at(t, len, i) : 0;
        if (hit) {
            cf_buf_append(b, (const char *)t + plain, i - plain);
            cf_buf_puts(b, "***");
            i += hit;
            plain = i;
        } else {
            i++;
        }
    }
    cf_buf_append(b, (const char *)t + plain, len - plain);
}

char *cf_secrets_redact_n(const char *text, size_t len)
{
    if (!text)
        return NULL;
    cf_buf b = {0};
    redact_into(&b, (const unsigned char *)text, len);
    if (!b.data)
        return cf_strdup("");
    return cf_buf_take(&b);
}

char *cf_secrets_redact(const char *text)
{
    return text ? cf_secrets_redact_n(text, strlen(text)) : NULL;
}

/* Where a partial secret that runs into the end of t begins (len if none). */
static size_t partial_tail(const unsigned char *t, size_t len)
{
    size_t reach = maxlen * MAX_UNIT;
    for (size_t i = len > reach ? len - reach : 0; i < len; i++) {
        for (size_t k = 0; k < npatterns; k++) {
            if (!may_start(t[i], patterns[k].bytes[0]))
                continue;
            matcher m = {t, len, &patterns[k], 0, 1, MATCH_BUDGET};
            if (match_from(&m, i, 0) == (long)len)
                return i;
        }
    }
    return len;
}

/* Where the end of a secret that t begins with ends (0 if none). */
static size_t partial_head(const unsigned char *t, size_t len)
{
    size_t best = 0;
    for (size_t k = 0; k < npatterns; k++) {
        for (size_t s = 1; s + MIN_PARTIAL <= patterns[k].len; s++) {
            if (!may_start(t[0], patterns[k].bytes[s]))
                continue;
            matcher m = {t, len, &patterns[k], s, 1, MATCH_BUDGET};
            long r = match_from(&m, 0, s);
            if (r > 0 && (size_t)r > best)
                best = (size_t)r;
        }
    }
    return best;
}

char *cf_secrets_redact_cut(const char *piece, size_t len, int cut_start, int cut_end)
{
    if (!piece)
        return NULL;
    const unsigned char *t = (const unsigned char *)piece;
    size_t head = cut_start && len && npatterns ? partial_head(t, len) : 0;
    size_t tail = cut_end && len && npatterns ? partial_tail(t, len) : len;
    cf_buf b = {0};
    if (head)
        cf_buf_puts(&b, "***");
    if (head < tail)
        redact_into(&b, t + head, tail - head);
    if (tail < len && tail >= head)
        cf_buf_puts(&b, "***");
    if (!b.data)
        return cf_strdup("");
    return cf_buf_take(&b);
}

int cf_secrets_contains(const char *text)
{
    size_t len = text ? strlen(text) : 0;
    for (size_t i = 0; npatterns && i < len; i++)
        if (hit_at((const unsigned char *)text, len, i))
            return 1;
    return 0;
}

int cf_secrets_header_masked(const char *name)
{
    static const char *const masked[] = {"Authorization", "Proxy-Authorization", "X-Auth-Token",
                                         "Cookie",        "Set-Cookie",          "SessionId"};
    for (size_t i = 0; i < sizeof masked / sizeof *masked; i++)
        if (strcasecmp(name, masked[i]) == 0)
            return 1;
    return 0;
}

void cf_secrets_reset(void)
{
    for (size_t i = 0; i < nsecrets; i++)
        free(secrets[i]);
    free(secrets);
    secrets = NULL;
    nsecrets = 0;
    for (size_t i = 0; i < npatterns; i++)
        free(patterns[i].bytes);
    free(patterns);
    patterns = NULL;
    npatterns = maxlen = 0;
}
