/*
 * json.c - JSON text to cf_doc (cJSON plus a lockstep scan for marks and
 * number literals), exact decimal arithmetic on number literals, deep
 * equality and brief renderings.
 *
 * The scan runs after cJSON accepted the text and walks the same text in
 * step with a pre-order walk of the tree, so it needs no grammar of its own:
 * the tree says what comes next. On the way it holds the text to RFC 8259
 * where cJSON 1.7.15 is lenient (leading zeros, "1.", raw control characters
 * in strings, invalid UTF-8, whitespace other than the four JSON ones, data
 * after the value): a server that sends such a body does not send JSON, and
 * conform says so.
 *
 * Nothing here keeps state between calls. cJSON's parser writes its global
 * error slot on failure, which conform never reads (return_parse_end gives
 * the position instead).
 */
#include "doc/json.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/secrets.h"
#include "base/utf8.h"
#include "base/util.h"

/* ------------------------------------------------------------------------ */
/* UTF-8 and positions                                                       */

/* Line and column (1-based, columns in code points, like the YAML loader's
 * marks) of byte offset off. */
static void position_of(const char *text, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static int is_json_ws(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t bom_length(const char *text, size_t len)
{
    /* RFC 8259 8.1: a parser MAY ignore a byte order mark; cJSON does. */
    return (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
            (unsigned char)text[2] == 0xBF)
               ? 3
               : 0;
}

/* ------------------------------------------------------------------------ */
/* The lockstep scan                                                         */

typedef struct scan {
    const char *text;
    size_t len;
    size_t pos;
    int line, col;
    cf_doc *doc;
    const char *name;
    cf_error **err;
    int failed; /* an error was set */
    int lost;   /* text and tree disagree: stop noting (defensive; not expected) */
} scan;

static int sc_peek(const scan *s)
{
    return s->pos < s->len ? (unsigned char)s->text[s->pos] : -1;
}

static void sc_advance(scan *s, size_t n)
{
    for (size_t i = 0; i < n && s->pos < s->len; i++) {
        unsigned char ch = (unsigned char)s->text[s->pos++];
        if (ch == '\n') {
            s->line++;
            s->col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            s->col++;
        }
    }
}

static int sc_fail(scan *s, const char *fmt, const char *detail)
{
    s->failed = 1;
    cf_error_set(s->err, s->name, s->line, s->col, NULL, fmt, detail);
    return -1;
}

static int sc_skip_ws(scan *s)
{
    for (;;) {
        int c = sc_peek(s);
        if (c >= 0 && is_json_ws(c)) {
            sc_advance(s, 1);
            continue;
        }
        if (c >= 0 && c < 0x20) {
            char what[16];
            snprintf(what, sizeof what, "U+%04X", (unsigned)c);
            return sc_fail(s, "invalid whitespace character %s (JSON allows space, tab, CR, LF)",
                           what);
        }
        return 0;
    }
}

static int sc_expect(scan *s, char ch)
{
    if (sc_skip_ws(s) < 0)
        return -1;
    if (sc_peek(s) != (unsigned char)ch) {
        s->lost = 1;
        return -1;
    }
    sc_advance(s, 1);
    return 0;
}

/* Skips the string at the opening quote, enforcing what cJSON does not: no
 * raw control characters, valid UTF-8. */
static int sc_skip_string(scan *s)
{
    if (sc_peek(s) != '"') {
        s->lost = 1;
        return -1;
    }
    sc_advance(s, 1);
    while (s->pos < s->len) {
        unsigned char c = (unsigned char)s->text[s->pos];
        if (c == '"') {
            sc_advance(s, 1);
            return 0;
        }
        if (c == '\\') {
            sc_advance(s, 2);
            continue;
        }
        if (c < 0x20) {
            char what[16];
            snprintf(what, sizeof what, "U+%04X", (unsigned)c);
            return sc_fail(s, "control character %s must be escaped in a JSON string", what);
        }
        uint32_t cp;
        size_t n = cf_utf8_decode_n((const unsigned char *)s->text + s->pos, s->len - s->pos, &cp);
        if (n == 0) {
            char what[16];
            snprintf(what, sizeof what, "0x%02X", (unsigned)c);
            return sc_fail(s, "invalid UTF-8 byte %s in a JSON string", what);
        }
        sc_advance(s, n);
    }
    s->lost = 1;
    return -1;
}

/* RFC 8259 number grammar; NULL when p[0..n) is a valid number, else why not. */
static const char *number_grammar(const char *p, size_t n)
{
    size_t i = 0;
    if (i < n && p[i] == '-')
        i++;
    if (i >= n || p[i] < '0' || p[i] > '9')
        return "a digit must follow the minus sign";
    if (p[i] == '0') {
        i++;
        if (i < n && p[i] >= '0' && p[i] <= '9')
            return "leading zeros are not allowed";
    } else {
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
    }
    if (i < n && p[i] == '.') {
        i++;
        if (i >= n || p[i] < '0' || p[i] > '9')
            return "digits must follow the decimal point";
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-'))
            i++;
        if (i >= n || p[i] < '0' || p[i] > '9')
            return "digits must follow the exponent";
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
    }
    return i == n ? NULL : "unexpected character in number";
}

static int sc_visit_number(scan *s, const cJSON *node)
{
    size_t start = s->pos, end = s->pos;
    while (end < s->len && s->text[end] && strchr("0123456789+-.eE", s->text[end]))
        end++;
    size_t n = end - start;
    const char *why = number_grammar(s->text + start, n);
    if (why) {
        char *lit = cf_strndup(s->text + start, n);
        cf_error_set(s->err, s->name, s->line, s->col, NULL, "invalid number %s: %s",
                     lit ? lit : "", why);
        free(lit);
        s->failed = 1;
        return -1;
    }
    char small[72];
    char *lit = small;
    if (n >= sizeof small) {
        lit = cf_strndup(s->text + start, n);
    } else {
        memcpy(small, s->text + start, n);
        small[n] = '\0';
    }
    cf_doc_note(s->doc, node, s->line, s->col, lit);
    if (lit != small)
        free(lit);
    sc_advance(s, n);
    return 0;
}

static int sc_visit(scan *s, const cJSON *node)
{
    if (sc_skip_ws(s) < 0)
        return -1;
    if (s->pos >= s->len) {
        s->lost = 1;
        return -1;
    }
    if (cJSON_IsNumber(node))
        return sc_visit_number(s, node);
    cf_doc_note(s->doc, node, s->line, s->col, NULL);
    if (cJSON_IsString(node))
        return sc_skip_string(s);
    if (cJSON_IsTrue(node) || cJSON_IsNull(node)) {
        sc_advance(s, 4);
        return 0;
    }
    if (cJSON_IsFalse(node)) {
        sc_advance(s, 5);
        return 0;
    }
    int is_object = cJSON_IsObject(node);
    if (!is_object && !cJSON_IsArray(node)) {
        s->lost = 1;
        return -1;
    }
    sc_advance(s, 1); /* { or [ */
    int first = 1;
    for (const cJSON *child = node->child; child; child = child->next) {
        if (!first && sc_expect(s, ',') < 0)
            return -1;
        first = 0;
        if (is_object) {
            if (sc_skip_ws(s) < 0)
                return -1;
            cf_doc_note_key(s->doc, child, s->line, s->col);
            if (sc_skip_string(s) < 0 || sc_expect(s, ':') < 0)
                return -1;
        }
        if (sc_visit(s, child) < 0)
            return -1;
    }
    return sc_expect(s, is_object ? '}' : ']');
}

/* ------------------------------------------------------------------------ */
/* Parse errors                                                              */

/* cJSON reports every fault in a string at the string's first content byte;
 * this finds the actual fault. *p in: the content start; out: the fault. */
static const char *string_fault(const char *text, size_t len, size_t *p)
{
    size_t i = *p;
    while (i < len && text[i] != '"') {
        if (text[i] != '\\') {
            i++;
            continue;
        }
        *p = i;
        if (i + 1 >= len)
            break;
        char e = text[i + 1];
        if (e == 'u') {
            long cp = i + 6 <= len ? cf_hex4(text + i + 2) : -1;
            if (cp < 0)
                return "invalid \\u escape: four hex digits must follow";
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return "invalid \\u escape: a low surrogate without a high surrogate before it";
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long lo = (i + 7 < len && text[i + 6] == '\\' && text[i + 7] == 'u')
                              ? (i + 12 <= len ? cf_hex4(text + i + 8) : -1)
                              : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return "invalid \\u escape: a high surrogate must be followed by a low "
                           "surrogate escape";
                i += 12;
                continue;
            }
            i += 6;
            continue;
        }
        if (!e || !strchr("\"\\/bfnrt", e))
            return "invalid escape sequence (JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
                   "\\uXXXX)";
        i += 2;
    }
    if (i >= len)
        return "unterminated string";
    return NULL;
}

/* Whether byte offset off lies inside a string (after its opening quote). */
static int inside_string(const char *text, size_t off, size_t *open)
{
    int in = 0;
    for (size_t i = 0; i < off; i++) {
        if (in && text[i] == '\\') {
            i++;
            continue;
        }
        if (text[i] == '"') {
            in = !in;
            if (in)
                *open = i;
        }
    }
    return in;
}

/* Whether the byte at pos is where an object key was expected (after '{' or
 * ',' in an object). cJSON reports such a fault one byte further on, as it
 * reports every string fault at the string's first content byte. */
static int key_expected_at(const char *text, size_t pos)
{
    char stack[64];
    size_t depth = 0, overflow = 0;
    char last = 0;
    for (size_t i = 0; i < pos; i++) {
        char c = text[i];
        if (c == '"') {
            for (i++; i < pos && text[i] != '"'; i++)
                if (text[i] == '\\')
                    i++;
            last = '"';
            continue;
        }
        if (is_json_ws((unsigned char)c))
            continue;
        if (c == '{' || c == '[') {
            if (depth < sizeof stack)
                stack[depth++] = c;
            else
                overflow++;
        } else if ((c == '}' || c == ']') && (overflow ? overflow-- : depth ? depth-- : 0)) {
        }
        last = c;
    }
    return !overflow && depth && stack[depth - 1] == '{' && (last == '{' || last == ',');
}

/* How many arrays and objects are open at byte offset pos. */
static size_t nesting_at(const char *text, size_t pos)
{
    size_t depth = 0;
    for (size_t i = 0; i < pos; i++) {
        char c = text[i];
        if (c == '"') {
            for (i++; i < pos && text[i] != '"'; i++)
                if (text[i] == '\\')
                    i++;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    return depth;
}

static int parse_error(const char *text, size_t len, const char *end, const char *name,
                       cf_error **err)
{
    size_t off = end && end >= text ? (size_t)(end - text) : 0;
    if (off > len)
        off = len;
    int line, col;
    /* cJSON clamps an offset at or past the end to the last byte: parse
     * again with one byte more that can never be valid, whose offset is then
     * exact; an offset at that byte means the input ended too soon. */
    int at_eof = 0;
    if (len > 0 && off == len - 1) {
        char *copy = cf_xmalloc(len + 2);
        memcpy(copy, text, len);
        copy[len] = '\x01';
        copy[len + 1] = '\0';
        const char *end2 = NULL;
        cJSON *again = cJSON_ParseWithLengthOpts(copy, len + 1, &end2, 0);
        size_t off2 = end2 && end2 >= copy ? (size_t)(end2 - copy) : off;
        if (off2 > 0 && off2 <= len && copy[off2 - 1] != '"' && key_expected_at(copy, off2 - 1))
            off2--;
        if (off2 >= len)
            at_eof = 1;
        else
            off = off2;
        cJSON_Delete(again);
        free(copy);
    } else if (off > 0 && off < len && text[off - 1] != '"' && key_expected_at(text, off - 1)) {
        off--;
    }
    size_t open = 0;
    if (inside_string(text, at_eof ? len : off, &open)) {
        size_t p = open + 1;
        const char *why = string_fault(text, len, &p);
        if (why) {
            if (!strcmp(why, "unterminated string"))
                p = open;
            position_of(text, len, p, &line, &col);
            return cf_error_set(err, name, line, col, NULL, "%s", why);
        }
    }
    if (at_eof) {
        position_of(text, len, len, &line, &col);
        return cf_error_set(err, name, line, col, NULL, "unexpected end of input");
    }
    position_of(text, len, off, &line, &col);
    unsigned char c = (unsigned char)text[off];
    /* cJSON stops at CJSON_NESTING_LIMIT open arrays and objects and reports
     * it like any bad character: say what it is. */
    if ((c == '[' || c == '{') && nesting_at(text, off) >= CJSON_NESTING_LIMIT)
        return cf_error_set(err, name, line, col,
                            "conform parses JSON up to that depth; flatten the document",
                            "JSON nested deeper than %d arrays and objects", CJSON_NESTING_LIMIT);
    const char *hint = NULL;
    if (c == '}' || c == ']') {
        size_t k = off;
        while (k > 0 && is_json_ws((unsigned char)text[k - 1]))
            k--;
        if (k > 0 && text[k - 1] == ',')
            hint = "JSON allows no comma before a closing bracket";
    } else if (c == '\'') {
        hint = "JSON strings use double quotes";
    }
    if (c >= 0x21 && c < 0x7F)
        return cf_error_set(err, name, line, col, hint, "unexpected character '%c'", c);
    uint32_t cp;
    if (c >= 0x80 && cf_utf8_decode_n((const unsigned char *)text + off, len - off, &cp))
        return cf_error_set(err, name, line, col, hint, "unexpected character U+%04X", cp);
    return cf_error_set(err, name, line, col, hint, "unexpected byte 0x%02X", c);
}

int cf_json_parse(cf_doc **out, const char *text, size_t len, const char *name, cf_error **err)
{
    const char *label = name ? name : "JSON";
    *out = NULL;
    if (!text)
        len = 0;
    size_t start = bom_length(text, len);
    size_t i = start;
    while (i < len && is_json_ws((unsigned char)text[i]))
        i++;
    if (i == len) {
        int line, col;
        position_of(text, len, len, &line, &col);
        return cf_error_set(err, label, line, col, NULL, "empty document: expected a JSON value");
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root)
        return parse_error(text, len, end, label, err);
    cf_doc *doc = cf_doc_new(label);
    doc->root = root;
    scan s = {.text = text,
              .len = len,
              .pos = start,
              .line = 1,
              .col = 1,
              .doc = doc,
              .name = label,
              .err = err};
    if (sc_visit(&s, root) == 0 && sc_skip_ws(&s) == 0 && s.pos < s.len) {
        unsigned char c = (unsigned char)text[s.pos];
        if (c >= 0x21 && c < 0x7F)
            cf_error_set(err, label, s.line, s.col, "a JSON text holds exactly one value",
                         "unexpected '%c' after the JSON value", c);
        else
            cf_error_set(err, label, s.line, s.col, "a JSON text holds exactly one value",
                         "unexpected byte 0x%02X after the JSON value", c);
        s.failed = 1;
    }
    if (s.failed) {
        cf_doc_free(doc);
        return -1;
    }
    /* s.lost: marks stay incomplete; the tree itself is cJSON's and sound. */
    *out = doc;
    return 0;
}

int cf_json_load_file(cf_doc **out, const char *path, cf_error **err)
{
    *out = NULL;
    size_t len = 0;
    char *text = cf_read_file(path, &len);
    if (!text)
        return cf_error_set(err, path, 0, 0, NULL, "cannot read: %s", cf_read_strerror(errno));
    int rc = cf_json_parse(out, text, len, path, err);
    free(text);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Decimal numbers                                                           */

/* A finite number as sign, significant digits and exponent:
 * value = (-1)^neg * D * 10^exp, where D is the digit string s1 s2 with no
 * leading or trailing zeros (empty for zero). The digits point into the
 * literal text or into buf, so a dec must not be copied. */
typedef struct dec {
    int neg;
    const char *s1, *s2;
    size_t n1, n2;
    long long exp;
    char buf[40];
} dec;

#define DEC_EXP_CLAMP 1000000000000000LL /* beyond any real literal; keeps sums in range */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Parses [+-]? digits? (. digits?)? ([eE][+-]?digits)? with at least one
 * mantissa digit: JSON numbers and YAML 1.2 decimal floats and integers. */
static int dec_parse(dec *d, const char *t)
{
    const char *p = t;
    d->neg = 0;
    if (*p == '+' || *p == '-')
        d->neg = *p++ == '-';
    const char *ip = p;
    while (is_digit(*p))
        p++;
    size_t in = (size_t)(p - ip);
    const char *fp = p;
    size_t fn = 0;
    if (*p == '.') {
        fp = ++p;
        while (is_digit(*p))
            p++;
        fn = (size_t)(p - fp);
    }
    if (in + fn == 0)
        return -1;
    long long e = 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        int eneg = 0;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        if (!is_digit(*p))
            return -1;
        while (is_digit(*p)) {
            if (e < DEC_EXP_CLAMP)
                e = e * 10 + (*p - '0');
            p++;
        }
        if (eneg)
            e = -e;
    }
    if (*p)
        return -1;
    long long exp = e - (long long)fn;
    while (in && *ip == '0') {
        ip++;
        in--;
    }
    if (!in) {
        while (fn && *fp == '0') {
            fp++;
            fn--;
        }
    }
    while (fn && fp[fn - 1] == '0') {
        fn--;
        exp++;
    }
    if (!fn) {
        while (in && ip[in - 1] == '0') {
            in--;
            exp++;
        }
    }
    d->s1 = ip;
    d->n1 = in;
    d->s2 = fp;
    d->n2 = fn;
    d->exp = exp;
    if (in + fn == 0) {
        d->neg = 0;
        d->exp = 0;
    }
    return 0;
}

static size_t dec_ndigits(const dec *d)
{
    return d->n1 + d->n2;
}

static int dec_digit(const dec *d, size_t i)
{
    return i < d->n1 ? d->s1[i] - '0' : d->s2[i - d->n1] - '0';
}

/* The shortest "%.Ne" rendering of v that reads back as v. */
static void shortest_double(char *buf, size_t n, double v)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, n, "%.*e", prec - 1, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    for (char *p = buf; *p; p++) /* a locale with a decimal comma */
        if (*p == ',')
            *p = '.';
}

static const char *number_text(const cf_doc *doc, const cJSON *node)
{
    return doc ? cf_doc_number_text(doc, node) : NULL;
}

/* The decimal value of a number node: its literal text when the doc has one
 * in decimal notation, else its double. -1 when neither is finite decimal
 * (YAML's .inf and .nan). */
static int dec_of(dec *d, const cf_doc *doc, const cJSON *node)
{
    const char *t = number_text(doc, node);
    if (t && dec_parse(d, t) == 0)
        return 0;
    if (!isfinite(node->valuedouble))
        return -1;
    shortest_double(d->buf, sizeof d->buf, node->valuedouble);
    return dec_parse(d, d->buf);
}

static int dec_cmp_abs(const dec *a, const dec *b)
{
    size_t na = dec_ndigits(a), nb = dec_ndigits(b);
    if (!na || !nb)
        return (na ? 1 : 0) - (nb ? 1 : 0);
    long long adj_a = a->exp + (long long)na, adj_b = b->exp + (long long)nb;
    if (adj_a != adj_b)
        return adj_a < adj_b ? -1 : 1;
    size_t n = na > nb ? na : nb;
    for (size_t i = 0; i < n; i++) {
        int da = i < na ? dec_digit(a, i) : 0;
        int db = i < nb ? dec_digit(b, i) : 0;
        if (da != db)
            return da < db ? -1 : 1;
    }
    return 0;
}

static int dec_cmp(const dec *a, const dec *b)
{
    int za = dec_ndigits(a) == 0, zb = dec_ndigits(b) == 0;
    if (za && zb)
        return 0;
    int sa = za ? 0 : (a->neg ? -1 : 1), sb = zb ? 0 : (b->neg ? -1 : 1);
    if (sa != sb)
        return sa < sb ? -1 : 1;
    int c = dec_cmp_abs(a, b);
    return sa < 0 ? -c : c;
}

static int double_cmp(double x, double y)
{
    if (x < y)
        return -1;
    if (x > y)
        return 1;
    return 0;
}

int cf_json_number_cmp(const cf_doc *da, const cJSON *a, const cf_doc *db, const cJSON *b)
{
    dec x, y;
    if (dec_of(&x, da, a) == 0 && dec_of(&y, db, b) == 0)
        return dec_cmp(&x, &y);
    return double_cmp(a->valuedouble, b->valuedouble);
}

int cf_json_number_cmp_text(const cf_doc *doc, const cJSON *node, const char *text)
{
    dec x, y;
    if (dec_of(&x, doc, node) == 0 && dec_parse(&y, text) == 0)
        return dec_cmp(&x, &y);
    return double_cmp(node->valuedouble, strtod(text, NULL));
}

int cf_json_number_is_integer(const cf_doc *doc, const cJSON *node)
{
    const char *t = number_text(doc, node);
    if (t) {
        dec d;
        if (dec_parse(&d, t) == 0)
            return strpbrk(t, ".eE") == NULL;
        const char *p = t + (*t == '+' || *t == '-');
        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X' || p[1] == 'o' || p[1] == 'O'))
            return 1; /* YAML 1.2 hexadecimal and octal integers */
    }
    double v = node->valuedouble;
    return isfinite(v) && v == floor(v);
}

int cf_json_number_is_integral(const cf_doc *doc, const cJSON *node)
{
    dec d;
    if (dec_of(&d, doc, node) == 0)
        return dec_ndigits(&d) == 0 || d.exp >= 0;
    return 0;
}

/* Big unsigned integers as decimal digit values (0..9), most significant
 * first: just enough for exact divisibility of literals. */
typedef struct big {
    unsigned char *d;
    size_t n;
} big;

static void big_from_dec(big *b, const dec *x)
{
    b->n = dec_ndigits(x);
    b->d = cf_xmalloc(b->n ? b->n : 1);
    for (size_t i = 0; i < b->n; i++)
        b->d[i] = (unsigned char)dec_digit(x, i);
}

static unsigned big_mod_small(const big *b, unsigned k)
{
    unsigned r = 0;
    for (size_t i = 0; i < b->n; i++)
        r = (r * 10 + b->d[i]) % k;
    return r;
}

static void big_div_small(big *b, unsigned k)
{
    unsigned r = 0;
    for (size_t i = 0; i < b->n; i++) {
        unsigned cur = r * 10 + b->d[i];
        b->d[i] = (unsigned char)(cur / k);
        r = cur % k;
    }
    size_t lead = 0;
    while (lead < b->n && b->d[lead] == 0)
        lead++;
    memmove(b->d, b->d + lead, b->n - lead);
    b->n -= lead;
}

/* 1 when divisor (nonzero) divides a, 0 when not, -1 on OOM. Schoolbook long
 * division keeping only the remainder (bn + 1 digits). */
static int big_divides(const big *divisor, const big *a)
{
    size_t bn = divisor->n, rn = bn + 1;
    unsigned char *rem = cf_xcalloc(rn, 1);
    if (!rem)
        return -1;
    for (size_t i = 0; i < a->n; i++) {
        memmove(rem, rem + 1, rn - 1);
        rem[rn - 1] = a->d[i];
        for (;;) {
            /* rem >= divisor? (divisor padded to rn digits with one leading 0) */
            int ge = rem[0] != 0;
            if (!ge) {
                ge = 1;
                for (size_t k = 0; k < bn; k++) {
                    if (rem[k + 1] != divisor->d[k]) {
                        ge = rem[k + 1] > divisor->d[k];
                        break;
                    }
                }
            }
            if (!ge)
                break;
            int borrow = 0;
            for (size_t k = rn; k-- > 0;) {
                int sub = (k >= 1 ? divisor->d[k - 1] : 0) + borrow;
                int v = rem[k] - sub;
                borrow = v < 0;
                rem[k] = (unsigned char)(v < 0 ? v + 10 : v);
            }
        }
    }
    int zero = 1;
    for (size_t k = 0; k < rn; k++)
        zero &= rem[k] == 0;
    free(rem);
    return zero;
}

int cf_json_number_multiple(const cf_doc *da, const cJSON *a, const cf_doc *db, const cJSON *b)
{
    dec x, y;
    if (dec_of(&x, da, a) < 0 || dec_of(&y, db, b) < 0)
        return 0; /* infinities and NaN are nobody's multiples */
    if (!dec_ndigits(&y))
        return 0;
    if (!dec_ndigits(&x))
        return 1;
    /* x/y = (Dx/Dy) * 10^d. With d < 0 Dy * 10^-d would have to divide Dx,
     * which has no trailing zeros. With d >= 0, Dy divides Dx * 2^d * 5^d
     * exactly when Dy without (at most d of each of) its factors 2 and 5
     * divides Dx. No 10^d is ever built, so 1e308 against 1e-8 is cheap. */
    long long d = x.exp - y.exp;
    if (d < 0)
        return 0;
    big bx, by;
    big_from_dec(&bx, &x);
    big_from_dec(&by, &y);
    for (long long k = 0; k < d && by.n && big_mod_small(&by, 2) == 0; k++)
        big_div_small(&by, 2);
    for (long long k = 0; k < d && by.n && big_mod_small(&by, 5) == 0; k++)
        big_div_small(&by, 5);
    int rc = big_divides(&by, &bx);
    free(bx.d);
    free(by.d);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Types and equality                                                        */

const char *cf_json_type_name(const cf_doc *doc, const cJSON *node)
{
    if (!node)
        return "nothing";
    if (cJSON_IsNull(node))
        return "null";
    if (cJSON_IsBool(node))
        return "boolean";
    if (cJSON_IsString(node))
        return "string";
    if (cJSON_IsArray(node))
        return "array";
    if (cJSON_IsObject(node))
        return "object";
    if (cJSON_IsNumber(node))
        return cf_json_number_is_integer(doc, node) ? "integer" : "number";
    return "invalid";
}

int cf_json_equal(const cf_doc *da, const cJSON *a, const cf_doc *db, const cJSON *b)
{
    if (!a || !b)
        return a == b;
    int ta = a->type & 0xFF, tb = b->type & 0xFF;
    if (ta != tb)
        return 0;
    switch (ta) {
    case cJSON_NULL:
    case cJSON_True:
    case cJSON_False:
        return 1;
    case cJSON_Number:
        return cf_json_number_cmp(da, a, db, b) == 0;
    case cJSON_String:
    case cJSON_Raw:
        return strcmp(a->valuestring ? a->valuestring : "", b->valuestring ? b->valuestring : "") ==
               0;
    case cJSON_Array: {
        const cJSON *x = a->child, *y = b->child;
        for (; x && y; x = x->next, y = y->next)
            if (!cf_json_equal(da, x, db, y))
                return 0;
        return !x && !y;
    }
    case cJSON_Object: {
        size_t na = 0, nb = 0;
        for (const cJSON *x = a->child; x; x = x->next)
            na++;
        for (const cJSON *y = b->child; y; y = y->next)
            nb++;
        if (na != nb)
            return 0;
        for (const cJSON *x = a->child; x; x = x->next) {
            const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
            if (!y || !cf_json_equal(da, x, db, y))
                return 0;
        }
        return 1;
    }
    default:
        return 0;
    }
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 29);
}

static uint64_t hash_bytes(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return mix(h, n);
}

size_t cf_json_hash(const cf_doc *doc, const cJSON *node)
{
    if (!node)
        return 0;
    int t = node->type & 0xFF;
    uint64_t h = mix(14695981039346656037ULL, (uint64_t)t);
    switch (t) {
    case cJSON_Number: {
        dec d;
        if (dec_of(&d, doc, node) == 0) { /* the normalized value, as cf_json_equal compares */
            h = mix(h, (uint64_t)d.neg);
            h = mix(h, (uint64_t)d.exp);
            h = hash_bytes(h, d.s1, d.n1);
            h = hash_bytes(h, d.s2, d.n2);
        } else {
            double v = node->valuedouble;
            uint64_t bits;
            memcpy(&bits, &v, sizeof bits);
            h = mix(h, isnan(v) ? 1 : bits);
        }
        break;
    }
    case cJSON_String:
    case cJSON_Raw:
        h = hash_bytes(h, node->valuestring ? node->valuestring : "",
                       node->valuestring ? strlen(node->valuestring) : 0);
        break;
    case cJSON_Array:
        for (const cJSON *c = node->child; c; c = c->next)
            h = mix(h, cf_json_hash(doc, c));
        break;
    case cJSON_Object: {
        uint64_t sum = 0; /* member order does not matter */
        for (const cJSON *c = node->child; c; c = c->next)
            sum += mix(hash_bytes(7, c->string ? c->string : "", c->string ? strlen(c->string) : 0),
                       cf_json_hash(doc, c));
        h = mix(h, sum);
        break;
    }
    default:
        break;
    }
    return (size_t)h;
}

/* ------------------------------------------------------------------------ */
/* Brief renderings                                                          */

/* Characters that look like a space or like nothing: shown as \uXXXX so a
 * message makes the difference visible. */
static int invisible(unsigned cp)
{
    return cp == 0x7F || cp == 0xA0 || cp == 0xAD || cp == 0x1680 || cp == 0x180E ||
           (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
           (cp >= 0x205F && cp <= 0x2064) || cp == 0x3000 || cp == 0xFEFF;
}

int cf_json_quote(cf_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    cf_buf_puts(b, "\"");
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        switch (c) {
        case '"':
            cf_buf_puts(b, "\\\"");
            i++;
            continue;
        case '\\':
            cf_buf_puts(b, "\\\\");
            i++;
            continue;
        case '\n':
            cf_buf_puts(b, "\\n");
            i++;
            continue;
        case '\r':
            cf_buf_puts(b, "\\r");
            i++;
            continue;
        case '\t':
            cf_buf_puts(b, "\\t");
            i++;
            continue;
        case '\b':
            cf_buf_puts(b, "\\b");
            i++;
            continue;
        case '\f':
            cf_buf_puts(b, "\\f");
            i++;
            continue;
        default:
            break;
        }
        if (c < 0x20) {
            cf_buf_printf(b, "\\u%04x", c);
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = cf_utf8_decode_n(p + i, n - i, &cp);
        if (len == 0) {
            cf_buf_printf(b, "\\x%02x", c); /* not UTF-8: show the byte */
            i++;
            continue;
        }
        if (invisible(cp))
            cf_buf_printf(b, "\\u%04x", cp);
        else
            cf_buf_append(b, (const char *)p + i, len);
        i += len;
    }
    return cf_buf_puts(b, "\"");
}

int cf_json_number_render(cf_buf *b, const cf_doc *doc, const cJSON *node)
{
    const char *t = number_text(doc, node);
    if (t)
        return cf_buf_puts(b, t);
    double v = node->valuedouble;
    if (!isfinite(v))
        return cf_buf_puts(b, isnan(v) ? "NaN" : (v < 0 ? "-Infinity" : "Infinity"));
    if (v == floor(v) && fabs(v) < 1e17)
        return cf_buf_printf(b, "%.0f", v);
    char buf[40];
    snprintf(buf, sizeof buf, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, sizeof buf, "%.17g", v);
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.';
    return cf_buf_puts(b, buf);
}

static void render(cf_buf *b, const cf_doc *doc, const cJSON *node, size_t stop)
{
    if (b->len > stop)
        return;
    if (!node) {
        cf_buf_puts(b, "nothing");
        return;
    }
    switch (node->type & 0xFF) {
    case cJSON_NULL:
        cf_buf_puts(b, "null");
        return;
    case cJSON_True:
        cf_buf_puts(b, "true");
        return;
    case cJSON_False:
        cf_buf_puts(b, "false");
        return;
    case cJSON_Number:
        cf_json_number_render(b, doc, node);
        return;
    case cJSON_String:
        cf_json_quote(b, node->valuestring);
        return;
    case cJSON_Raw:
        cf_buf_puts(b, node->valuestring ? node->valuestring : "");
        return;
    case cJSON_Array:
        cf_buf_puts(b, "[");
        for (const cJSON *c = node->child; c && b->len <= stop; c = c->next) {
            render(b, doc, c, stop);
            if (c->next)
                cf_buf_puts(b, ", ");
        }
        cf_buf_puts(b, "]");
        return;
    case cJSON_Object:
        cf_buf_puts(b, "{");
        for (const cJSON *c = node->child; c && b->len <= stop; c = c->next) {
            cf_json_quote(b, c->string);
            cf_buf_puts(b, ": ");
            render(b, doc, c, stop);
            if (c->next)
                cf_buf_puts(b, ", ");
        }
        cf_buf_puts(b, "}");
        return;
    default:
        cf_buf_puts(b, "(invalid)");
        return;
    }
}

/* Cuts s (length *len) to at most max bytes ending in "...", on a UTF-8
 * character boundary. */
static void truncate_utf8(char *s, size_t *len, size_t max)
{
    if (*len <= max)
        return;
    size_t keep = max > 3 ? max - 3 : 0;
    while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
        keep--;
    memcpy(s + keep, "...", 4);
    *len = keep + 3;
}

char *cf_json_brief(const cf_doc *doc, const cJSON *node, size_t max)
{
    cf_buf b = {0};
    render(&b, doc, node, max);
    if (!b.data)
        return cf_strdup("");
    /* Masked before the cut, and a secret the cut splits is masked too. */
    size_t full = b.len;
    truncate_utf8(b.data, &b.len, max);
    int cut = b.len < full;
    char *shown = cf_secrets_redact_cut(b.data, cut ? b.len - 3 : b.len, 0, cut);
    cf_buf_free(&b);
    if (!cut)
        return shown;
    char *out = cf_asprintf("%s...", shown);
    free(shown);
    return out;
}

size_t cf_utf8_length(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

cJSON *cf_json_copy_map(const cJSON *node, cf_json_leaf_fn leaf, void *ctx)
{
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
        return leaf(ctx, node);
    cJSON *out = cJSON_IsObject(node) ? cJSON_CreateObject() : cJSON_CreateArray();
    for (const cJSON *c = node->child; out && c; c = c->next) {
        cJSON *cc = cf_json_copy_map(c, leaf, ctx);
        if (!cc) {
            cJSON_Delete(out);
            return NULL;
        }
        if (cJSON_IsObject(node))
            cJSON_AddItemToObject(out, c->string, cc);
        else
            cJSON_AddItemToArray(out, cc);
    }
    return out;
}
