/*
 * schema_regex.c - ECMA-262 patterns (as OpenAPI and JSON Schema use them)
 * compiled and matched by PCRE2 (Debian's libpcre2-8).
 *
 * PCRE2 already speaks most of ECMA-262 with the options chosen here (UTF,
 * no UCP so \d \w \b stay ASCII, DOLLAR_ENDONLY, ALT_BSUX + EXTRA_ALT_BSUX
 * for \uHHHH and \u{H..}, ALLOW_EMPTY_CLASS for [] and [^]). A short
 * rewrite pass (ecma_prepare) covers the few places where the same text
 * means something else in PCRE2: \s and \S (ECMA's set is Unicode), \v (one
 * character in ECMA, a class in PCRE2), "." (ECMA excludes \r, U+2028 and
 * U+2029 too), "[" inside a class (PCRE2 reads [: as a POSIX class), UTF-16
 * surrogate pairs written as two \u escapes, and escapes that exist only in
 * PCRE2 (\A \z \h \R \Q ...), which are refused. docs/REGEX.md lists what
 * still differs.
 *
 * Every match runs under a step budget over the whole search (count_step),
 * a depth limit and a heap limit (schema_internal.h), so no pattern or
 * subject can make a match unbounded; compiling is bounded by PCRE2's
 * compiled-size limit and nesting limit.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "schema/schema_internal.h"

struct cf_rx {
    pcre2_code *code;
};

/* ECMA-262 WhiteSpace and LineTerminator, and their complement, as class
 * bodies (no brackets; \u{..} is how PCRE2 reads a code point under
 * ALT_BSUX). */
#define ECMA_SPACE                                                                                 \
    "\\t\\n\\x0b\\f\\r \\u{a0}\\u{1680}\\u{2000}-\\u{200a}\\u{2028}\\u{2029}\\u{202f}\\u{205f}"    \
    "\\u{3000}\\u{feff}"
#define ECMA_NONSPACE                                                                              \
    "\\x00-\\x08\\x0e-\\x1f\\x21-\\u{9f}\\u{a1}-\\u{167f}\\u{1681}-\\u{1fff}"                      \
    "\\u{200b}-\\u{2027}\\u{202a}-\\u{202e}\\u{2030}-\\u{205e}\\u{2060}-\\u{2fff}"                 \
    "\\u{3001}-\\u{d7ff}\\u{e000}-\\u{fefe}\\u{ff00}-\\u{10ffff}"
#define ECMA_DOT "[^\\n\\r\\u{2028}\\u{2029}]"

/* ECMA's long General_Category names (and their aliases) that PCRE2 10.42
 * knows only by the short name. */
static const char *const gc_long[][2] = {
    {"Letter", "L"},
    {"Cased_Letter", "L&"},
    {"Uppercase_Letter", "Lu"},
    {"Lowercase_Letter", "Ll"},
    {"Titlecase_Letter", "Lt"},
    {"Modifier_Letter", "Lm"},
    {"Other_Letter", "Lo"},
    {"Mark", "M"},
    {"Combining_Mark", "M"},
    {"Nonspacing_Mark", "Mn"},
    {"Spacing_Mark", "Mc"},
    {"Enclosing_Mark", "Me"},
    {"Number", "N"},
    {"Decimal_Number", "Nd"},
    {"digit", "Nd"},
    {"Letter_Number", "Nl"},
    {"Other_Number", "No"},
    {"Punctuation", "P"},
    {"punct", "P"},
    {"Connector_Punctuation", "Pc"},
    {"Dash_Punctuation", "Pd"},
    {"Open_Punctuation", "Ps"},
    {"Close_Punctuation", "Pe"},
    {"Initial_Punctuation", "Pi"},
    {"Final_Punctuation", "Pf"},
    {"Other_Punctuation", "Po"},
    {"Symbol", "S"},
    {"Math_Symbol", "Sm"},
    {"Currency_Symbol", "Sc"},
    {"Modifier_Symbol", "Sk"},
    {"Other_Symbol", "So"},
    {"Separator", "Z"},
    {"Space_Separator", "Zs"},
    {"Line_Separator", "Zl"},
    {"Paragraph_Separator", "Zp"},
    {"Other", "C"},
    {"Control", "Cc"},
    {"cntrl", "Cc"},
    {"Format", "Cf"},
    {"Surrogate", "Cs"},
    {"Private_Use", "Co"},
    {"Unassigned", "Cn"},
};

/* Rewrites \p{NAME} or \P{NAME} at p (p[1] is 'p' or 'P') when NAME is a
 * General_Category in a form PCRE2 10.42 lacks (gc=X, General_Category=X, a
 * long name, Assigned). Returns the bytes consumed, 0 to copy as written. */
static size_t rewrite_property(cf_buf *b, const char *p)
{
    if (p[2] != '{')
        return 0;
    const char *name = p + 3, *end = strchr(name, '}');
    if (!end)
        return 0;
    size_t len = (size_t)(end - name);
    int neg = p[1] == 'P';
    if (len > 3 && !strncmp(name, "gc=", 3)) {
        name += 3;
        len -= 3;
    } else if (len > 17 && !strncmp(name, "General_Category=", 17)) {
        name += 17;
        len -= 17;
    }
    const char *to = NULL;
    if (len == 8 && !strncmp(name, "Assigned", 8)) {
        to = "Cn";
        neg = !neg;
    }
    for (size_t i = 0; !to && i < sizeof gc_long / sizeof *gc_long; i++)
        if (strlen(gc_long[i][0]) == len && !strncmp(name, gc_long[i][0], len))
            to = gc_long[i][1];
    if (!to && name == p + 3)
        return 0;
    cf_buf_printf(b, "\\%c{%s%.*s}", neg ? 'P' : 'p', to ? to : "", to ? 0 : (int)len, name);
    return (size_t)(end - p) + 1;
}

/* Letters that are escapes in PCRE2 but not in ECMA-262 (where they are an
 * error under the u flag, which JSON Schema patterns follow). */
static int pcre2_only_escape(char c)
{
    return c && strchr("AzZGQEKhHVRXNCgoeaULlO", c) != NULL;
}

/* The PCRE2 pattern for ECMA pattern src; NULL with *why and *offset when
 * src uses what PCRE2 would read differently, NULL with *why NULL on OOM.
 * (*map)[i] is where src[i] begins in the result, for error offsets. */
static char *ecma_prepare(const char *src, char **why, size_t *offset, size_t **map)
{
    cf_buf b = {0};
    size_t n = strlen(src);
    *map = cf_xmalloc((n + 1) * sizeof **map);
    int in_class = 0;
    for (size_t i = 0; src[i]; i++) {
        char c = src[i];
        (*map)[i] = b.len;
        if (c == '\\' && src[i + 1]) {
            char e = src[i + 1];
            long hi, lo;
            size_t used;
            (*map)[i + 1] = b.len;
            if (e == 's' || e == 'S') {
                const char *set = e == 's' ? ECMA_SPACE : ECMA_NONSPACE;
                cf_buf_printf(&b, in_class ? "%s" : "[%s]", set);
            } else if (e == 'v') {
                cf_buf_puts(&b, "\\x0b");
            } else if (e == 'u' && (hi = cf_hex4(src + i + 2)) >= 0xD800 && hi <= 0xDBFF &&
                       src[i + 6] == '\\' && src[i + 7] == 'u' &&
                       (lo = cf_hex4(src + i + 8)) >= 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
                for (size_t k = i + 2; k < i + 12; k++)
                    (*map)[k] = b.len;
                cf_buf_printf(&b, "\\u{%lx}", 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
                i += 10;
            } else if ((e == 'p' || e == 'P') && (used = rewrite_property(&b, src + i))) {
                for (size_t k = i + 2; k < i + used; k++)
                    (*map)[k] = b.len;
                i += used - 2;
            } else if (pcre2_only_escape(e)) {
                *why = cf_asprintf("\\%c is not an ECMA-262 escape", e);
                *offset = i;
                cf_buf_free(&b);
                return NULL;
            } else {
                cf_buf_puts(&b, (char[3]){c, e, 0});
            }
            i++;
            continue;
        }
        if (in_class) {
            if (c == ']')
                in_class = 0;
            cf_buf_puts(&b, c == '[' ? "\\[" : (char[2]){c, 0});
        } else if (c == '[') {
            in_class = 1;
            cf_buf_puts(&b, "[");
            /* ECMA: "]" right after "[" or "[^" closes the class ([] and [^]). */
            if (src[i + 1] == '^') {
                (*map)[++i] = b.len;
                cf_buf_puts(&b, "^");
            }
            if (src[i + 1] == ']') {
                (*map)[++i] = b.len;
                cf_buf_puts(&b, "]");
                in_class = 0;
            }
        } else if (c == '.') {
            cf_buf_puts(&b, ECMA_DOT);
        } else if (c == '(' && src[i + 1] == '*') {
            *why = cf_strdup("(* is not ECMA-262 syntax (PCRE2 would read a control verb)");
            *offset = i;
            cf_buf_free(&b);
            return NULL;
        } else {
            cf_buf_puts(&b, (char[2]){c, 0});
        }
    }
    (*map)[n] = b.len;
    return cf_buf_take(&b);
}

int cf_rx_compile(cf_rx **out, const char *ecma, char **why, size_t *offset)
{
    *out = NULL;
    *why = NULL;
    *offset = 0;
    size_t *map = NULL;
    char *pat = ecma_prepare(ecma, why, offset, &map);
    if (!pat) {
        free(map);
        return -1;
    }
    cf_rx *rx = cf_xcalloc(1, sizeof *rx);
    pcre2_compile_context *cctx = pcre2_compile_context_create(NULL);
    if (!cctx)
        cf_oom();
    pcre2_set_parens_nest_limit(cctx, CF_RX_NEST_LIMIT);
    pcre2_set_compile_extra_options(cctx, PCRE2_EXTRA_ALT_BSUX);
    int code = 0;
    PCRE2_SIZE at = 0;
    rx->code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                             PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_AUTO_CALLOUT |
                                 PCRE2_NEVER_UCP | PCRE2_NEVER_BACKSLASH_C | PCRE2_DOLLAR_ENDONLY |
                                 PCRE2_ALT_BSUX | PCRE2_ALLOW_EMPTY_CLASS,
                             &code, &at, cctx);
    pcre2_compile_context_free(cctx);
    cctx = NULL;
    if (!rx->code) {
        if (code == PCRE2_ERROR_HEAP_FAILED)
            cf_oom();
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "error %d", code);
        *why = cf_strdup((const char *)msg);
        /* PCRE2's offset is in the rewritten text: map it back. */
        size_t len = strlen(ecma), i = 0;
        while (i < len && map[i + 1] <= at)
            i++;
        *offset = i;
        free(map);
        free(pat);
        free(rx);
        return -1;
    }
    free(pat);
    pat = NULL;
    free(map);
    *out = rx;
    return 0;
}

/* PCRE2's match limit restarts at every start position, so an unanchored
 * search may cost (subject length) x (limit). The step budget is counted
 * here instead, over the whole search: PCRE2_AUTO_CALLOUT calls this before
 * every pattern item it tries (start-of-match optimisations still skip
 * hopeless positions without a call). */
static int count_step(pcre2_callout_block *block, void *data)
{
    (void)block;
    unsigned long *steps = data;
    return ++*steps > CF_RX_MATCH_LIMIT ? PCRE2_ERROR_MATCHLIMIT : 0;
}

int cf_rx_match(const cf_rx *rx, const char *s, char *why, size_t whylen)
{
    unsigned long steps = 0;
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    pcre2_match_context *mctx = pcre2_match_context_create(NULL);
    if (!md || !mctx)
        cf_oom();
    pcre2_set_match_limit(mctx, CF_RX_MATCH_LIMIT);
    pcre2_set_depth_limit(mctx, CF_RX_DEPTH_LIMIT);
    pcre2_set_heap_limit(mctx, CF_RX_HEAP_LIMIT_KIB);
    pcre2_set_callout(mctx, count_step, &steps);
    int rc = pcre2_match(rx->code, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0, md, mctx);
    pcre2_match_data_free(md);
    pcre2_match_context_free(mctx);
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc == PCRE2_ERROR_NOMEMORY)
        cf_oom();
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT:
        snprintf(why, whylen, "the match limit (%lu steps) was hit",
                 (unsigned long)CF_RX_MATCH_LIMIT);
        break;
    case PCRE2_ERROR_DEPTHLIMIT:
        snprintf(why, whylen, "the depth limit (%lu nested backtracking points) was hit",
                 (unsigned long)CF_RX_DEPTH_LIMIT);
        break;
    case PCRE2_ERROR_HEAPLIMIT:
        snprintf(why, whylen, "the heap limit (%lu KiB) was hit",
                 (unsigned long)CF_RX_HEAP_LIMIT_KIB);
        break;
    default: {
        PCRE2_UCHAR msg[160];
        if (pcre2_get_error_message(rc, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "error %d", rc);
        snprintf(why, whylen, "matching failed: %s", (const char *)msg);
    }
    }
    return -1;
}

void cf_rx_free(cf_rx *rx)
{
    if (!rx)
        return;
    pcre2_code_free(rx->code);
    free(rx);
}
