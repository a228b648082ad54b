/*
 * secrets.h - values that must never reach stdout, stderr or a report.
 *
 * Every value conform takes from the environment (${NAME} in the config) is
 * registered here at load time; cf_secrets_redact() replaces each occurrence
 * of any registered value with "***". Registration happens before any worker
 * thread starts; redaction is then read-only and thread-safe.
 *
 * An occurrence is found in every form conform itself produces and a server
 * may echo, mixed freely within one occurrence:
 *   - as is;
 *   - percent-encoded (query and path values, "%2B" or "%2b", "+" for a
 *     space), as curl_easy_escape and form encoding write it;
 *   - JSON-escaped ("\"", "\\", "\/", "\n" and the like, "\u00e9" and
 *     surrogate pairs "\ud83d\ude00" in any case), as a request body or a
 *     server's echo writes it;
 *   - base64 (standard and URL alphabets) at any of the three alignments a
 *     secret can have inside a longer encoded value such as Basic auth's
 *     base64("user:password"): the characters that depend on the secret's
 *     bytes only are masked (secrets shorter than 6 bytes have too few such
 *     characters to be told from chance, and are matched in the other forms
 *     only).
 * Text that was cut out of a longer one (a diff window, a capped transcript
 * body, a bounded message) goes through cf_secrets_redact_cut(), which also
 * masks a partial secret (at least 3 of its bytes, in any form above) at the
 * cut edges.
 *
 * Header masking (Authorization, X-Auth-Token, Cookie, SessionId, ...) is a
 * separate rule applied when transcripts are built: cf_secrets_header_masked().
 */
#ifndef CONFORM_SECRETS_H
#define CONFORM_SECRETS_H

#include <stddef.h>

/* Registers value as secret (copied). Empty values are ignored. */
int cf_secrets_add(const char *value);
/* A newly allocated copy of text with every secret replaced by "***". */
char *cf_secrets_redact(const char *text);
/* Same for a byte buffer that may hold NULs; returns a NUL-terminated copy. */
char *cf_secrets_redact_n(const char *text, size_t len);
/* Redacts piece, a part cut out of a longer text, and also masks a partial
 * secret that ends the piece (cut_end) or starts it (cut_start): call it on
 * the part that will be shown, whatever the cut. */
char *cf_secrets_redact_cut(const char *piece, size_t len, int cut_start, int cut_end);
/* Nonzero when text holds a secret in any of the forms above. */
int cf_secrets_contains(const char *text);
/* Nonzero when a header of this name has its value masked in transcripts. */
int cf_secrets_header_masked(const char *name);
/* Forgets every secret (tests). */
void cf_secrets_reset(void);

#endif
