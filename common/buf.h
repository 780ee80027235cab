/*
 * buf.h - a growable, capped, NUL-terminated byte buffer with a sticky error.
 *
 * Appending past the cap or failing to allocate sets buf->err (KB_ETOOBIG or
 * KB_ENOMEM) and turns every later append into a no-op, so a caller can
 * append many times and check once at the end (as sqlite3_str does).
 * The buffer owns its memory: buf_release() frees it, buf_detach() hands it
 * to the caller, who then frees it with free().
 */
#ifndef KB_BUF_H
#define KB_BUF_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct buf {
	char *data;	/* NUL-terminated; NULL until the first append */
	size_t len;	/* bytes used, excluding the NUL */
	size_t alloc;	/* bytes allocated */
	size_t cap;	/* most bytes it may hold (excluding the NUL) */
	int err;	/* sticky: KB_OK, KB_ENOMEM or KB_ETOOBIG */
};

#define BUF_DEFAULT_CAP ((size_t)64 << 20)	/* 64 MiB */

/* Initialise an empty buffer that holds at most cap bytes (0: default). */
void buf_init(struct buf *b, size_t cap);
/* Free the contents; the buffer is empty and reusable afterwards. */
void buf_release(struct buf *b);
/* Forget the contents but keep the allocation and the cap; clears err. */
void buf_reset(struct buf *b);

void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Shorten to len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);

/*
 * Hand the contents to the caller (never NULL on success: an empty buffer
 * gives ""), storing the length in *len if len is not NULL. The buffer is
 * left empty. Returns NULL if the buffer is in error; the contents are then
 * freed. The caller frees the result with free().
 */
char *buf_detach(struct buf *b, size_t *len);

/* The contents as a C string, "" when empty. Valid until the next append. */
const char *buf_str(const struct buf *b);

#ifdef __cplusplus
}
#endif
#endif
