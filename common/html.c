/*
 * html.c - HTML escaping and URL encoding; see html.h.
 */
#include <string.h>

#include "html.h"
#include "banned.h"

void
html_escape_buf(struct buf *out, const char *s, size_t len)
{
	size_t i, start = 0;
	const char *rep;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_append(out, s + start, len - start);
}

/* Left as it is in a URL (RFC 3986 unreserved), and '/' if keep_slash. */
static bool
url_plain(unsigned char c, int keep_slash)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~' || (keep_slash && c == '/');
}

void
url_encode_buf(struct buf *out, const char *s, size_t len, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	char staged[192];	/* appended a block at a time, not a byte */
	unsigned char c;
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (n > sizeof(staged) - 3) {
			buf_append(out, staged, n);
			n = 0;
		}
		c = (unsigned char)s[i];
		if (url_plain(c, keep_slash)) {
			staged[n++] = (char)c;
		} else {
			staged[n++] = '%';
			staged[n++] = hex[c >> 4];
			staged[n++] = hex[c & 15];
		}
	}
	buf_append(out, staged, n);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
url_decode_buf(struct buf *out, const char *s, size_t len)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			if (len - i < 3 || (hi = hexval(s[i + 1])) < 0 ||
			    (lo = hexval(s[i + 2])) < 0)
				return false;
			buf_putc(out, (char)(hi << 4 | lo));
			i += 2;
		} else {
			buf_putc(out, s[i] == '+' ? ' ' : s[i]);
		}
	}
	return true;
}
