/*
 * buf.c - capped string buffer with a sticky error; see buf.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "banned.h"

void
buf_init(struct buf *b, size_t cap)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap ? cap : BUF_DEFAULT_CAP;
	b->err = KB_OK;
}

void
buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b, b->cap);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
	b->err = KB_OK;
}

/* Make room for extra more bytes plus the NUL; false (and err set) if not. */
static int
buf_grow(struct buf *b, size_t extra)
{
	size_t need, alloc;
	char *p;

	if (b->err)
		return 0;
	if (extra > b->cap - b->len) {
		b->err = KB_ETOOBIG;
		return 0;
	}
	need = b->len + extra + 1;
	if (need <= b->alloc)
		return 1;
	alloc = b->alloc ? b->alloc : 64;
	while (alloc < need)
		alloc = alloc < ((size_t)1 << 40) ? alloc * 2 : need;
	p = realloc(b->data, alloc);
	if (!p) {
		b->err = KB_ENOMEM;
		return 0;
	}
	b->data = p;
	b->alloc = alloc;
	return 1;
}

void
buf_append(struct buf *b, const void *data, size_t len)
{
	if (!buf_grow(b, len))
		return;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	/* JSON and HTML are written a character at a time: no call for room */
	if (b->len + 1 < b->alloc && b->len < b->cap && !b->err) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return;
	}
	buf_append(b, &c, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int n;

	if (b->err)
		return;
	/* one pass when it fits in what is allocated: the common case */
	room = b->alloc > b->len ? b->alloc - b->len : 0;
	va_copy(ap2, ap);
	n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->err = KB_ENOMEM;
		if (room)
			b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n < room && (size_t)n <= b->cap - b->len) {
		b->len += (size_t)n;
		return;
	}
	if (room)
		b->data[b->len] = '\0';	/* undo a cut-off write */
	if (!buf_grow(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (b->err) {
		buf_release(b);
		return NULL;
	}
	if (!b->data) {
		if (!buf_grow(b, 0))
			return NULL;	/* out of memory for an empty string */
		b->data[0] = '\0';
	}
	p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	return p;
}

const char *
buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}
