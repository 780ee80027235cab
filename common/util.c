/*
 * util.c - see util.h.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "util.h"
#include "banned.h"

static void
oom(size_t n)
{
	fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

int
kb_strtol_range(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return KB_EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		return KB_EINVAL;
	*out = v;
	return KB_OK;
}

uint32_t
utf8_next(const char *str, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t p = *i, n, k;
	uint32_t cp, min;

	if (s[p] < 0x80) {
		*i = p + 1;
		return s[p];
	}
	if ((s[p] & 0xE0) == 0xC0) {
		n = 1; cp = s[p] & 0x1F; min = 0x80;
	} else if ((s[p] & 0xF0) == 0xE0) {
		n = 2; cp = s[p] & 0x0F; min = 0x800;
	} else if ((s[p] & 0xF8) == 0xF0) {
		n = 3; cp = s[p] & 0x07; min = 0x10000;
	} else {
		goto bad;
	}
	if (n >= len - p)
		goto bad;
	for (k = 1; k <= n; k++) {
		if ((s[p + k] & 0xC0) != 0x80)
			goto bad;
		cp = (cp << 6) | (s[p + k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		goto bad;
	*i = p + n + 1;
	return cp;
bad:
	*i = p + 1;
	return 0xFFFD;
}

bool
utf8_valid(const char *s, size_t len)
{
	size_t i = 0, at;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		at = i;
		if (utf8_next(s, len, &i) == 0xFFFD && i == at + 1)
			return false;
	}
	return true;
}

void
utf8_put(struct buf *b, uint32_t cp)
{
	char c[4];

	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		c[0] = (char)(0xC0 | (cp >> 6));
		c[1] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, c, 2);
	} else if (cp < 0x10000) {
		c[0] = (char)(0xE0 | (cp >> 12));
		c[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		c[2] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, c, 3);
	} else {
		c[0] = (char)(0xF0 | (cp >> 18));
		c[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		c[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		c[3] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, c, 4);
	}
}

int
file_read(const char *path, struct buf *out)
{
	char chunk[65536];
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? KB_ENOTFOUND : KB_EIO;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_append(out, chunk, (size_t)n);
		if (out->err)
			break;
	}
	saved = errno;
	close(fd);
	errno = saved;
	if (n < 0)
		return KB_EIO;
	return out->err;
}

char *
str_dup_collapsed(const char *s, size_t len)
{
	struct buf b;
	size_t i;
	int space = 0;
	char *out;

	buf_init(&b, 0);
	for (i = 0; i < len; i++) {
		if (isspace((unsigned char)s[i])) {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = 0;
		buf_putc(&b, s[i]);
	}
	out = buf_detach(&b, NULL);
	return out ? out : xstrdup("");
}

bool
str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

int
str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
file_write_atomic(const char *path, const void *data, size_t len)
{
	struct buf tmp;
	const char *p = data;
	ssize_t n;
	int fd, rc = KB_EIO, saved;

	buf_init(&tmp, 0);
	buf_printf(&tmp, "%s.tmp.XXXXXX", path);
	if (tmp.err) {
		buf_release(&tmp);
		return KB_ENOMEM;
	}
	/* a name of its own: two writers of one path never share a temp file */
	fd = mkostemp(tmp.data, O_CLOEXEC);
	if (fd < 0) {
		buf_release(&tmp);
		return KB_EIO;
	}
	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		len -= (size_t)n;
	}
	if (len == 0 && fchmod(fd, 0644) == 0 && fsync(fd) == 0) {
		if (close(fd) == 0 && rename(tmp.data, path) == 0)
			rc = KB_OK;
		fd = -1;
	}
	saved = errno;
	if (fd >= 0)
		close(fd);
	if (rc)
		unlink(tmp.data);
	buf_release(&tmp);
	errno = saved;
	return rc;
}
