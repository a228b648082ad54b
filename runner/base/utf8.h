/*
 * utf8.h - the one UTF-8 decoder, encoder and escaping walker of conform.
 * Every format that writes strings (JSON, HTML, JUnit XML) walks them with
 * cf_utf8_escape and a rule of its own; every reader that needs code points
 * decodes with cf_utf8_decode. Well-formed means RFC 3629: no overlongs, no
 * UTF-16 surrogates, nothing above U+10FFFF.
 */
#ifndef CONFORM_UTF8_H
#define CONFORM_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/* Decodes the UTF-8 sequence that starts at p (p[0] >= 0x80). Returns its
 * length (2..4) and stores the code point in *cp when it is well-formed;
 * otherwise returns 0 and stores in *bad the length of its maximal subpart
 * (>= 1), the bytes that one U+FFFD replaces. Never reads past a NUL. */
size_t cf_utf8_decode(const unsigned char *p, uint32_t *cp, size_t *bad);
/* The same for p[0..n) of a buffer that need not end in NUL, ASCII
 * included (length 1): the sequence's length, or 0 when it is ill-formed
 * or cut off by n. */
size_t cf_utf8_decode_n(const unsigned char *p, size_t n, uint32_t *cp);
/* Writes cp (at most U+10FFFF) as 1..4 bytes to out; returns the count. */
size_t cf_utf8_encode(uint32_t cp, unsigned char out[4]);

/* What a format writes for code point cp (ASCII included), or NULL to copy
 * its bytes as they are; tmp (16 bytes) is there for a formatted reply. */
typedef const char *(*cf_utf8_rule)(uint32_t cp, char tmp[16], void *ctx);
/* Appends s to b, each well-formed code point as rule says and each
 * ill-formed maximal subpart as U+FFFD (as Unicode recommends). */
void cf_utf8_escape(cf_buf *b, const char *s, cf_utf8_rule rule, void *ctx);

#endif
