/*
 * util.h - small helpers with no knowledge of HTTP or of the APIs: random
 * ids, timestamps, base64url, a keyed hash for self-verifying tokens, and the
 * JSON corners cJSON does not cover (exact int64 text, JavaScript truthiness).
 */
#ifndef REFSERVER_UTIL_H
#define REFSERVER_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

/* Fills out[0..len-1] with characters drawn from alphabet and NUL-terminates
 * it (out holds len + 1 bytes). Uses a per-thread generator seeded from the
 * kernel, so it needs no lock and ids differ between server runs. */
void util_random_id(char *out, size_t len, const char *alphabet);
uint64_t util_random_u64(void);

/* Meteor's Random.id() alphabet (Rocket.Chat ids) and Oracle-style session
 * ids (lower case and digits). */
#define UTIL_ALPHABET_METEOR "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz"
#define UTIL_ALPHABET_LOWER "abcdefghijklmnopqrstuvwxyz0123456789"

/* "2026-11-23T10:00:00.063Z": UTC with milliseconds. out holds >= 25 bytes. */
#define UTIL_TIME_LEN 25
void util_format_time(char *out, const struct timespec *ts);

/* Base64url without padding. Returns the number of characters written plus
 * the NUL; out must hold 4 * ((len + 2) / 3) + 1 bytes. */
size_t util_base64url(char *out, const unsigned char *in, size_t len);

/* SipHash-2-4 of in under a 16-byte key. */
uint64_t util_siphash(const unsigned char key[16], const void *in, size_t len);

/* Parses a whole request body as one JSON value: text must be NUL-terminated
 * at text[len]; an embedded NUL or anything but whitespace after the value
 * makes it invalid. Returns the tree or NULL. */
cJSON *util_json_parse(const char *text, size_t len);

/* Finds the first top-level member `key` of a JSON object text that
 * util_json_parse() accepted and returns the raw text of its value (pointer
 * into text, length in *vlen), or NULL. Used where cJSON's doubles would lose
 * digits (int64 above 2^53). */
const char *util_json_member_text(const char *text, size_t len, const char *key, size_t *vlen);

/* Parses a JSON integer token (no fraction, no exponent) into *out. Returns
 * 0, or -1 when the token is not an integer or does not fit int64. */
int util_parse_int64(int64_t *out, const char *tok, size_t len);

/* JavaScript truthiness of a JSON value, as `if (x)` in the Rasa app sees
 * it: false for a missing value, null, false, 0 and "". */
bool util_js_truthy(const cJSON *v);

/* Constant-time-ish string comparison for credentials; NULL never equals. */
bool util_str_equal(const char *a, const char *b);

#endif
