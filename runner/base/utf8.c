/*
 * utf8.c - UTF-8 decoding, encoding and the escaping walker (contract in
 * utf8.h).
 */
#include "base/utf8.h"

#include <string.h>

size_t cf_utf8_decode(const unsigned char *p, uint32_t *cp, size_t *bad)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xBF;
    size_t need;
    uint32_t v;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* below: overlong */
        else if (c == 0xED)
            hi = 0x9F; /* above: UTF-16 surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90; /* below: overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above: beyond U+10FFFF */
    } else {
        *bad = 1; /* continuation byte, C0/C1 (always overlong) or F5..FF */
        return 0;
    }
    for (size_t i = 1; i <= need; i++) {
        if (p[i] < lo || p[i] > hi) {
            *bad = i;
            return 0;
        }
        v = (v << 6) | (p[i] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    return need + 1;
}

size_t cf_utf8_decode_n(const unsigned char *p, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    unsigned char seq[5] = {0}; /* NUL-ended: cf_utf8_decode stops there */
    memcpy(seq, p, n < 4 ? n : 4);
    size_t bad = 0;
    return cf_utf8_decode(seq, cp, &bad);
}

size_t cf_utf8_encode(uint32_t cp, unsigned char out[4])
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

void cf_utf8_escape(cf_buf *b, const char *s, cf_utf8_rule rule, void *ctx)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *plain = p; /* start of bytes not yet copied */
    char tmp[16];
    while (*p) {
        const char *rep = NULL;
        size_t used = 1;
        uint32_t cp = *p;
        if (*p >= 0x80) {
            size_t bad = 0;
            used = cf_utf8_decode(p, &cp, &bad);
            if (used == 0) {
                used = bad;
                rep = "\xEF\xBF\xBD"; /* U+FFFD */
            }
        }
        if (!rep)
            rep = rule(cp, tmp, ctx);
        if (rep) {
            cf_buf_append(b, (const char *)plain, (size_t)(p - plain));
            cf_buf_puts(b, rep);
            plain = p + used;
        }
        p += used;
    }
    cf_buf_append(b, (const char *)plain, (size_t)(p - plain));
}
