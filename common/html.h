/*
 * html.h - the one place that escapes text for HTML and encodes URL parts.
 * Everything that reaches a page goes through here (via the template engine).
 */
#ifndef KB_HTML_H
#define KB_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Append s[0..len) with & < > " ' escaped; safe in text and quoted attributes. */
void html_escape_buf(struct buf *out, const char *s, size_t len);
/* Append s[0..len) percent-encoded for a URL path segment or query value
 * (everything but ALPHA / DIGIT / "-._~" is encoded; '/' kept if keep_slash). */
void url_encode_buf(struct buf *out, const char *s, size_t len, int keep_slash);
/*
 * Append s[0..len) with %XX escapes (and '+' as a space) decoded. False
 * for a malformed escape (out then holds what came before it).
 */
bool url_decode_buf(struct buf *out, const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
