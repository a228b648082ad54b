/*
 * escape.c - JSON and HTML escaping (contract in escape.h), on the UTF-8
 * walker of base/utf8.h.
 */
#include "report/escape.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/secrets.h"
#include "base/utf8.h"

/* The rules for cf_utf8_escape: only ASCII is replaced. */
static const char *json_rule(uint32_t c, char tmp[16], void *ctx)
{
    (void)ctx;
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
            snprintf(tmp, 16, "\\u%04x", (unsigned)c);
            return tmp;
        }
        return NULL;
    }
}

const char *cf_markup_escape(uint32_t c, int xml)
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
        return xml ? "&apos;" : "&#39;";
    default:
        return NULL;
    }
}

static const char *html_rule(uint32_t c, char tmp[16], void *ctx)
{
    (void)ctx;
    const char *markup = cf_markup_escape(c, 0);
    if (markup)
        return markup;
    switch (c) {
    case '\n':
    case '\t':
        return NULL;
    default:
        if (c < 0x20 || c == 0x7f) {
            snprintf(tmp, 16, "\\x%02x", (unsigned)c);
            return tmp;
        }
        return NULL;
    }
}

/* Appends s, redacted, escaped as rule says. */
static void put_escaped(cf_buf *b, const char *s, cf_utf8_rule rule)
{
    char *red = cf_secrets_redact(s);
    cf_utf8_escape(b, red, rule, NULL);
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
