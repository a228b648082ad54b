/*
 * schema_format.c - the string formats conform checks: date-time and date
 * (RFC 3339 section 5.6), byte (RFC 4648 base64), uuid (RFC 4122 text form),
 * email (RFC 5322 addr-spec, with RFC 6532 UTF-8). The numeric formats
 * (int32, int64, float, double) are range checks on exact decimals and live
 * in schema.c. Unknown formats are ignored, as OpenAPI 3.0 says.
 */
#include <stdio.h>
#include <string.h>

#include "schema/schema_internal.h"

static const struct {
    const char *name;
    cf_format id;
    const char *describe;
} formats[] = {
    {"date-time", CF_FORMAT_DATE_TIME, "an RFC 3339 date-time"},
    {"date", CF_FORMAT_DATE, "an RFC 3339 full-date"},
    {"int32", CF_FORMAT_INT32, "a signed 32-bit integer"},
    {"int64", CF_FORMAT_INT64, "a signed 64-bit integer"},
    {"float", CF_FORMAT_FLOAT, "a number within the range of a 32-bit float"},
    {"double", CF_FORMAT_DOUBLE, "a number within the range of a 64-bit double"},
    {"byte", CF_FORMAT_BYTE, "base64-encoded data (RFC 4648)"},
    {"uuid", CF_FORMAT_UUID, "a UUID"},
    {"email", CF_FORMAT_EMAIL, "an email address (RFC 5322 addr-spec)"},
};

cf_format cf_format_lookup(const char *name)
{
    for (size_t i = 0; name && i < sizeof formats / sizeof *formats; i++)
        if (!strcmp(formats[i].name, name))
            return formats[i].id;
    return CF_FORMAT_NONE;
}

const char *cf_format_describe(cf_format f)
{
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (formats[i].id == f)
            return formats[i].describe;
    return "?";
}

static int fail(char *why, size_t n, const char *msg)
{
    snprintf(why, n, "%s", msg);
    return 0;
}

/* n ASCII digits at s (no signs, no other scripts' digits); -1 if not. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap_year(y) ? 29 : d[m - 1];
}

/* full-date = YYYY-MM-DD; *end gets the byte after it. */
static int check_date(const char *s, const char **end, char *why, size_t n)
{
    int y = digits(s, 4), m = -1, d = -1;
    if (y >= 0 && s[4] == '-')
        m = digits(s + 5, 2);
    if (m >= 0 && s[7] == '-')
        d = digits(s + 8, 2);
    if (d < 0)
        return fail(why, n, "expected a date as YYYY-MM-DD");
    if (m < 1 || m > 12) {
        snprintf(why, n, "month %02d is out of range (01-12)", m);
        return 0;
    }
    if (d < 1 || d > days_in_month(y, m)) {
        snprintf(why, n, "day %02d does not exist in %04d-%02d", d, y, m);
        return 0;
    }
    *end = s + 10;
    return 1;
}

static int check_date_time(const char *s, int date_only, char *why, size_t n)
{
    const char *p;
    if (!check_date(s, &p, why, n))
        return 0;
    if (date_only) {
        if (*p)
            return fail(why, n, "unexpected characters after the date");
        return 1;
    }
    if (*p != 'T' && *p != 't')
        return fail(why, n, "expected 'T' between date and time");
    p++;
    int hh = digits(p, 2), mm = -1, ss = -1;
    if (hh >= 0 && p[2] == ':')
        mm = digits(p + 3, 2);
    if (mm >= 0 && p[5] == ':')
        ss = digits(p + 6, 2);
    if (ss < 0)
        return fail(why, n, "expected a time as hh:mm:ss");
    if (hh > 23) {
        snprintf(why, n, "hour %02d is out of range (00-23)", hh);
        return 0;
    }
    if (mm > 59) {
        snprintf(why, n, "minute %02d is out of range (00-59)", mm);
        return 0;
    }
    if (ss > 60) {
        snprintf(why, n, "second %02d is out of range (00-60)", ss);
        return 0;
    }
    p += 8;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return fail(why, n, "expected digits after the decimal point of the seconds");
        while (*p >= '0' && *p <= '9')
            p++;
    }
    int off_min = 0; /* local time - UTC, in minutes */
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        int oh = digits(p + 1, 2), om = -1;
        if (oh >= 0 && p[3] == ':')
            om = digits(p + 4, 2);
        if (om < 0)
            return fail(why, n, "expected a time zone offset as +hh:mm or -hh:mm");
        if (oh > 23 || om > 59) {
            snprintf(why, n, "time zone offset %c%02d:%02d is out of range", p[0], oh, om);
            return 0;
        }
        off_min = sign * (oh * 60 + om);
        p += 6;
    } else {
        return fail(why, n, "expected a time zone: Z, +hh:mm or -hh:mm");
    }
    if (*p)
        return fail(why, n, "unexpected characters after the time zone");
    if (ss == 60) {
        /* A leap second is inserted at 23:59:60 UTC only. */
        int utc = ((hh * 60 + mm - off_min) % 1440 + 1440) % 1440;
        if (utc != 23 * 60 + 59)
            return fail(why, n, "second 60 (a leap second) occurs only at 23:59 UTC");
    }
    return 1;
}

static int b64(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

static int check_byte(const char *s, char *why, size_t n)
{
    size_t len = strlen(s), pad = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '=') {
            pad++;
            continue;
        }
        if (pad) {
            snprintf(why, n, "'=' padding at offset %zu is followed by data", i - pad);
            return 0;
        }
        if (!b64(c)) {
            if (c == '-' || c == '_')
                snprintf(why, n, "'%c' at offset %zu is base64url, not base64", c, i);
            else if (c >= 0x21 && c < 0x7F)
                snprintf(why, n, "'%c' at offset %zu is not a base64 character", c, i);
            else
                snprintf(why, n, "byte 0x%02X at offset %zu is not a base64 character", c, i);
            return 0;
        }
    }
    if (pad > 2) {
        snprintf(why, n, "%zu padding characters (at most 2)", pad);
        return 0;
    }
    if (len % 4) {
        snprintf(why, n, "length %zu is not a multiple of 4 (missing '=' padding?)", len);
        return 0;
    }
    return 1;
}

static int check_uuid(const char *s, char *why, size_t n)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    const char *p = s;
    for (int g = 0; g < 5; g++) {
        for (int i = 0; i < groups[g]; i++, p++)
            if (!*p || !strchr("0123456789abcdefABCDEF", *p))
                return fail(why, n, "expected 8-4-4-4-12 hexadecimal digits");
        if (g < 4 && *p++ != '-')
            return fail(why, n, "expected 8-4-4-4-12 hexadecimal digits");
    }
    if (*p)
        return fail(why, n, "expected 8-4-4-4-12 hexadecimal digits");
    return 1;
}

/* RFC 5322 atext, plus RFC 6532 UTF-8 (any byte >= 0x80). */
static int atext(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80 || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* dot-atom-text over s[0..len): atoms separated by single dots. */
static int dot_atom(const char *s, size_t len)
{
    if (!len || s[0] == '.' || s[len - 1] == '.')
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            if (s[i + 1] == '.')
                return 0;
        } else if (!atext((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

static int check_email(const char *s, char *why, size_t n)
{
    const char *at;
    if (s[0] == '"') { /* quoted-string local part */
        const char *p = s + 1;
        while (*p && *p != '"') {
            if (*p == '\\' && p[1])
                p++;
            else if ((unsigned char)*p < 0x20 && *p != '\t')
                return fail(why, n, "control character in the quoted local part");
            p++;
        }
        if (*p != '"')
            return fail(why, n, "unterminated quoted local part");
        at = p + 1;
        if (*at != '@')
            return fail(why, n, "expected '@' after the quoted local part");
    } else {
        at = strchr(s, '@');
        if (!at)
            return fail(why, n, "no '@'");
        if (at == s)
            return fail(why, n, "the local part before '@' is empty");
        if (!dot_atom(s, (size_t)(at - s)))
            return fail(why, n, "the local part is not a dot-atom (RFC 5322 3.4.1)");
    }
    const char *dom = at + 1;
    size_t dlen = strlen(dom);
    if (!dlen)
        return fail(why, n, "the domain after '@' is empty");
    if (dom[0] == '[') {
        if (dom[dlen - 1] != ']')
            return fail(why, n, "unterminated domain literal");
        for (size_t i = 1; i + 1 < dlen; i++) {
            unsigned char c = (unsigned char)dom[i];
            if (c == '[' || c == ']' || c == '\\' || c <= 0x20)
                return fail(why, n, "invalid character in the domain literal");
        }
        return 1;
    }
    if (!dot_atom(dom, dlen))
        return fail(why, n, "the domain is not a dot-atom (RFC 5322 3.4.1)");
    return 1;
}

int cf_format_check_string(cf_format f, const char *s, char *why, size_t whylen)
{
    if (!s)
        s = "";
    switch (f) {
    case CF_FORMAT_DATE_TIME:
        return check_date_time(s, 0, why, whylen);
    case CF_FORMAT_DATE:
        return check_date_time(s, 1, why, whylen);
    case CF_FORMAT_BYTE:
        return check_byte(s, why, whylen);
    case CF_FORMAT_UUID:
        return check_uuid(s, why, whylen);
    case CF_FORMAT_EMAIL:
        return check_email(s, why, whylen);
    default:
        return 1;
    }
}
