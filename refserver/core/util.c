/*
 * util.c - see util.h.
 */
#include "core/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static _Thread_local uint64_t rng_state;
static _Thread_local bool rng_seeded;

/* splitmix64: fast, good enough for ids that only need to be unique and not
 * guessable by accident. Not for secrets (the token key comes straight from
 * getrandom, see state.c). */
uint64_t util_random_u64(void)
{
    uint64_t z;

    if (!rng_seeded) {
        if (getrandom(&rng_state, sizeof(rng_state), 0) != (ssize_t)sizeof(rng_state)) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            rng_state = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^
                        (uint64_t)(uintptr_t)&rng_state;
        }
        rng_seeded = true;
    }
    z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void util_random_id(char *out, size_t len, const char *alphabet)
{
    size_t n = strlen(alphabet);
    size_t i;

    for (i = 0; i < len; i++)
        out[i] = alphabet[util_random_u64() % n];
    out[len] = '\0';
}

void util_format_time(char *out, const struct timespec *ts)
{
    struct tm tm;
    time_t secs = ts->tv_sec;
    long ms = ts->tv_nsec / 1000000;

    gmtime_r(&secs, &tm);
    /* "YYYY-MM-DDTHH:MM:SS" is 19 characters for years 1000-9999. */
    strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &tm);
    out[19] = '.';
    out[20] = (char)('0' + ms / 100);
    out[21] = (char)('0' + ms / 10 % 10);
    out[22] = (char)('0' + ms % 10);
    out[23] = 'Z';
    out[24] = '\0';
}

size_t util_base64url(char *out, const unsigned char *in, size_t len)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t i, o = 0;

    for (i = 0; i + 2 < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = tab[v >> 6 & 63];
        out[o++] = tab[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = tab[v >> 6 & 63];
    }
    out[o] = '\0';
    return o + 1;
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
    do {                                                                                           \
        v0 += v1;                                                                                  \
        v1 = ROTL(v1, 13);                                                                         \
        v1 ^= v0;                                                                                  \
        v0 = ROTL(v0, 32);                                                                         \
        v2 += v3;                                                                                  \
        v3 = ROTL(v3, 16);                                                                         \
        v3 ^= v2;                                                                                  \
        v0 += v3;                                                                                  \
        v3 = ROTL(v3, 21);                                                                         \
        v3 ^= v0;                                                                                  \
        v2 += v1;                                                                                  \
        v1 = ROTL(v1, 17);                                                                         \
        v1 ^= v2;                                                                                  \
        v2 = ROTL(v2, 32);                                                                         \
    } while (0)

static uint64_t load_le64(const unsigned char *p)
{
    uint64_t v = 0;
    int i;

    for (i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

uint64_t util_siphash(const unsigned char key[16], const void *in, size_t len)
{
    const unsigned char *p = in;
    uint64_t k0 = load_le64(key), k1 = load_le64(key + 8);
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
    uint64_t b = (uint64_t)len << 56, m;
    size_t i, left = len & 7;

    for (i = 0; i + 8 <= len; i += 8) {
        m = load_le64(p + i);
        v3 ^= m;
        SIPROUND;
        SIPROUND;
        v0 ^= m;
    }
    for (size_t j = 0; j < left; j++)
        b |= (uint64_t)p[i + j] << (8 * j);
    v3 ^= b;
    SIPROUND;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

cJSON *util_json_parse(const char *text, size_t len)
{
    if (len == 0 || memchr(text, '\0', len) != NULL)
        return NULL;
    /* With require_null_terminated, cJSON wants the NUL inside the length. */
    return cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1);
}

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* p is at an opening quote; returns the position after the closing one. */
static const char *skip_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return end;
}

static const char *skip_value(const char *p, const char *end)
{
    int depth = 0;

    if (p < end && *p == '"')
        return skip_string(p, end);
    while (p < end) {
        char c = *p;
        if (c == '"') {
            p = skip_string(p, end);
            continue;
        }
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return p;
            if (--depth == 0)
                return p + 1;
        } else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            return p;
        }
        p++;
    }
    return p;
}

const char *util_json_member_text(const char *text, size_t len, const char *key, size_t *vlen)
{
    const char *p = text, *end = text + len;
    size_t klen = strlen(key);

    p = skip_ws(p, end);
    if (p >= end || *p != '{')
        return NULL;
    p++;
    for (;;) {
        const char *kstart, *kend, *vstart;

        p = skip_ws(p, end);
        if (p >= end || *p != '"')
            return NULL;
        kstart = p;
        kend = p = skip_string(p, end);
        p = skip_ws(p, end);
        if (p >= end || *p != ':')
            return NULL;
        p = skip_ws(p + 1, end);
        vstart = p;
        p = skip_value(p, end);
        /* A key written with escapes does not match; the caller then falls
         * back to cJSON's value, which is only inexact above 2^53. */
        if ((size_t)(kend - kstart) == klen + 2 && memcmp(kstart + 1, key, klen) == 0) {
            *vlen = (size_t)(p - vstart);
            return vstart;
        }
        p = skip_ws(p, end);
        if (p >= end || *p != ',')
            return NULL;
        p++;
    }
}

int util_parse_int64(int64_t *out, const char *tok, size_t len)
{
    char buf[32];
    char *endp;
    long long v;
    size_t i = 0;

    if (len == 0 || len >= sizeof(buf))
        return -1;
    if (tok[0] == '-')
        i = 1;
    if (i == len)
        return -1;
    for (; i < len; i++)
        if (tok[i] < '0' || tok[i] > '9')
            return -1;
    memcpy(buf, tok, len);
    buf[len] = '\0';
    errno = 0;
    v = strtoll(buf, &endp, 10);
    if (errno == ERANGE || *endp != '\0')
        return -1;
    *out = (int64_t)v;
    return 0;
}

bool util_js_truthy(const cJSON *v)
{
    if (v == NULL || cJSON_IsNull(v) || cJSON_IsFalse(v))
        return false;
    if (cJSON_IsNumber(v))
        return v->valuedouble != 0.0;
    if (cJSON_IsString(v))
        return v->valuestring[0] != '\0';
    return true;
}

bool util_str_equal(const char *a, const char *b)
{
    size_t la, lb, i;
    unsigned char diff = 0;

    if (a == NULL || b == NULL)
        return false;
    la = strlen(a);
    lb = strlen(b);
    if (la != lb)
        return false;
    for (i = 0; i < la; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}
