/*
 * diff.h - a line-based diff of two texts, to show what changed between two
 * revisions of an article.
 *
 * The result is a minimal edit script (Myers' O(ND) algorithm, linear-space
 * variant) listed in order: unchanged lines, and within each changed block
 * the deletions from a before the additions from b.
 *
 * Ownership: the caller owns both texts and must keep them alive and
 * unchanged while the result is used, because every diff_line points into
 * them. struct diff owns only its lines array; diff_release() frees it.
 */
#ifndef KB_DIFF_H
#define KB_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum diff_op {
	DIFF_SAME,	/* in both texts */
	DIFF_ADD,	/* only in b */
	DIFF_DEL,	/* only in a */
};

struct diff_line {
	enum diff_op op;
	const char *text;	/* points into a or b; not NUL-terminated, no '\n' */
	size_t len;		/* bytes at text, without the line ending */
	size_t a_line, b_line;	/* 1-based line numbers in a / b (0 when not in that side) */
};

struct diff {
	struct diff_line *lines;	/* owned; free with diff_release() */
	size_t n;			/* entries in lines */
	bool truncated;	/* the texts differ too much (edit distance > DIFF_MAX_EDITS): shown as all of a deleted, all of b added */
};

/* Past this many added plus deleted lines the script is not worth reading,
 * and finding it would cost O((N+M) * D) time. */
#define DIFF_MAX_EDITS 20000
#define DIFF_MAX_LINES 200000	/* more lines on either side: KB_EINVAL */

/*
 * Diff a[0..alen) against b[0..blen), line by line ("\r\n" and "\n" both end
 * a line; a final line without newline counts). Lines are compared
 * byte-for-byte after stripping one trailing '\r', so CRLF and LF texts are
 * equal and so are texts that differ only in the final newline. An empty
 * text has no lines; a and b may be NULL when their length is 0.
 *
 * DIFF_SAME and DIFF_DEL lines point into a, DIFF_ADD lines into b.
 * Memory is O(alen + blen) whatever the edit distance.
 *
 * Returns KB_OK, KB_EINVAL (more than DIFF_MAX_LINES lines on a side) or
 * KB_ENOMEM. On error *out is empty (lines NULL, n 0), so diff_release() is
 * safe either way.
 */
int diff_lines(const char *a, size_t alen, const char *b, size_t blen,
    struct diff *out);

/* Free the lines of d; d is left empty and reusable. */
void diff_release(struct diff *d);

#ifdef __cplusplus
}
#endif
#endif
