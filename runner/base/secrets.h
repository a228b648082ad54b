/*
 * secrets.h - values that must never reach stdout, stderr or a report.
 *
 * Every value conform takes from the environment (${NAME} in the config) is
 * registered here at load time; cf_secrets_redact() replaces each occurrence
 * of any registered value with "***". Registration happens before any worker
 * thread starts; redaction is then read-only and thread-safe.
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
/* Nonzero when a header of this name has its value masked in transcripts. */
int cf_secrets_header_masked(const char *name);
/* Forgets every secret (tests). */
void cf_secrets_reset(void);

#endif
