/*
 * util.h - small helpers shared by the indexer and kbd: allocation that
 * aborts on out-of-memory for small fixed sizes, range-checked integer
 * parsing, UTF-8 validation, and whole-file reading.
 */
#ifndef KB_UTIL_H
#define KB_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Abort on failure: for small, fixed-size allocations only (never for sizes
 * a user controls; those go through a capped struct buf). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * Parse all of s as a base-10 integer in [min, max] into *out.
 * Returns KB_OK, or KB_EINVAL for empty, trailing garbage or out of range.
 */
int kb_strtol_range(const char *s, long min, long max, long *out);

/* True if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t len);

/*
 * Decode one code point at s[*i] (s has len bytes), advancing *i.
 * Returns the code point, or 0xFFFD for a malformed byte (advancing by 1).
 */
uint32_t utf8_next(const char *s, size_t len, size_t *i);
/* Append code point cp as UTF-8. */
void utf8_put(struct buf *b, uint32_t cp);

/*
 * Read the whole file at path into out (appending), failing with
 * KB_ETOOBIG if it is larger than out's cap. KB_ENOTFOUND if it does not
 * exist, KB_EIO for other errors (errno is kept).
 */
int file_read(const char *path, struct buf *out);

/*
 * Replace the file at path with data, atomically: a temporary file of its
 * own beside it (path.tmp.XXXXXX), fsync, rename. Readers see the old file
 * or the new one, never a mix; after a crash at most a stray temporary
 * file is left. KB_EIO (errno kept) on failure.
 */
int file_write_atomic(const char *path, const void *data, size_t len);

/*
 * A copy of s[0..len) with the white space at either end dropped and each
 * run inside made one space; never NULL ("" for none). The caller frees it.
 */
char *str_dup_collapsed(const char *s, size_t len);

/* True if s starts with prefix / ends with suffix. */
bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);
/* qsort()/bsearch() order of two char * elements, by strcmp(). */
int str_ptr_cmp(const void *a, const void *b);

#ifdef __cplusplus
}
#endif
#endif
