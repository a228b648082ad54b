/*
 * escape.h - strings as the report formats need them. Whatever bytes a
 * string holds (a server's answer, invalid UTF-8, control characters), the
 * output stays well-formed: ill-formed UTF-8 becomes U+FFFD (one per maximal
 * subpart, as Unicode recommends: base/utf8.h) and every string is passed through
 * cf_secrets_redact() first.
 */
#ifndef CONFORM_ESCAPE_H
#define CONFORM_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/* The entity for one of the characters markup reserves (& < > " '), or
 * NULL: the one table of HTML (xml 0: ' as &#39;) and XML (&apos;). */
const char *cf_markup_escape(uint32_t c, int xml);
/* Appends s as a JSON string, quotes included; NULL appends null. */
void cf_put_json(cf_buf *b, const char *s);
/* Appends s escaped for HTML text or a double-quoted attribute; C0 controls
 * other than tab and newline become visible "\x01". NULL appends nothing. */
void cf_put_html(cf_buf *b, const char *s);

#endif
