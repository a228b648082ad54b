/*
 * escape.c - JSON and HTML escaping, and the UTF-8 decoder every report
 * format shares (contract in escape.h).
 */
#include "report/escape.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/secrets.h"

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

/* The replacement for one ASCII byte, or NULL to copy it. */
typedef const char *(*ascii_rule)(unsigned char c, char tmp[16]);

static const char *json_rule(unsigned char c, char tmp[16])
{
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    case '<': /* so a JSON text embedded in HTML cannot close a <script> */
        return "\\u003c";
    default:
        if (c < 0x20 || c == 0x7f) {
            snprintf(tmp, 16, "\\u%04x", c);
            return tmp;
        }
        return NULL;
    }
}

static const char *html_rule(unsigned char c, char tmp[16])
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    case '\n':
    case '\t':
        return NULL;
    default:
        if (c < 0x20 || c == 0x7f) {
            snprintf(tmp, 16, "\\x%02x", c);
            return tmp;
        }
        return NULL;
    }
}

/* Appends s (redacted) with rule applied to ASCII and ill-formed UTF-8
 * replaced. */
static void put_escaped(cf_buf *b, const char *s, ascii_rule rule)
{
    char *red = cf_secrets_redact(s);
    const unsigned char *p = (const unsigned char *)red, *plain = p;
    char tmp[16];
    while (*p) {
        const char *rep = NULL;
        size_t used = 1;
        if (*p < 0x80) {
            rep = rule(*p, tmp);
        } else {
            uint32_t cp;
            size_t bad = 0, n = cf_utf8_decode(p, &cp, &bad);
            if (n == 0) {
                rep = "\xEF\xBF\xBD"; /* U+FFFD */
                used = bad;
            } else {
                used = n;
            }
        }
        if (rep) {
            cf_buf_append(b, (const char *)plain, (size_t)(p - plain));
            cf_buf_puts(b, rep);
            plain = p + used;
        }
        p += used;
    }
    cf_buf_append(b, (const char *)plain, (size_t)(p - plain));
    free(red);
}

void cf_put_json(cf_buf *b, const char *s)
{
    if (!s) {
        cf_buf_puts(b, "null");
        return;
    }
    cf_buf_puts(b, "\"");
    put_escaped(b, s, json_rule);
    cf_buf_puts(b, "\"");
}

void cf_put_html(cf_buf *b, const char *s)
{
    if (s)
        put_escaped(b, s, html_rule);
}
