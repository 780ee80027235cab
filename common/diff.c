/*
 * diff.c - line diff of two texts; see diff.h.
 *
 * Lines are first interned to small integer ids, so that the search compares
 * ints rather than strings. The search is Myers' linear-space variant ("An
 * O(ND) Difference Algorithm and Its Variations", 1986, section 4b), laid out
 * as in GNU diff and git's xdiff: find the middle snake of an optimal path
 * by searching from both corners at once, then recurse on the two halves.
 * It marks each line changed or not, and the script is read off the marks.
 * Keeping a V array per d instead would need O(D^2) memory, which at
 * DIFF_MAX_EDITS is over a gigabyte.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "err.h"
#include "banned.h"

/* Diagonals and coordinates are ints; make sure they cannot overflow. */
_Static_assert(DIFF_MAX_LINES <= INT_MAX / 4, "DIFF_MAX_LINES too big");

struct line {
	const char *p;	/* start of the line in its text */
	size_t len;	/* without "\n" or "\r\n" */
	uint64_t hash;	/* of p[0..len) */
};

struct diffctx {
	const int *a, *b;	/* line ids of each text */
	char *ca, *cb;		/* 1 where that line is deleted / added */
	int *fv, *bv;		/* furthest x per diagonal k = x - y, forward
				 * and backward; valid for k in [-M-1, N+1] */
};

/* Count the lines of s, stopping once past DIFF_MAX_LINES. */
static size_t
count_lines(const char *s, size_t len)
{
	const char *nl;
	size_t i = 0, n = 0;

	while (i < len && n <= DIFF_MAX_LINES) {
		n++;
		nl = memchr(s + i, '\n', len - i);
		if (!nl)
			break;
		i = (size_t)(nl - s) + 1;
	}
	return n;
}

static uint64_t
hash_bytes(const char *p, size_t len)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Fill l[] with the lines of s; count_lines() said how many there are. */
static void
split_lines(const char *s, size_t len, struct line *l)
{
	const char *nl;
	size_t i = 0, end, n;

	while (i < len) {
		nl = memchr(s + i, '\n', len - i);
		end = nl ? (size_t)(nl - s) : len;
		n = end - i;
		if (n > 0 && s[end - 1] == '\r')
			n--;
		l->p = s + i;
		l->len = n;
		l->hash = hash_bytes(l->p, n);
		l++;
		i = end + 1;
	}
}

/*
 * Give every line an id, equal ids for equal lines, and store it in ids[].
 * Ids are dense from 0; *nids gets how many there are.
 */
static int
intern_lines(const struct line *l, int n, int *ids, int *nids)
{
	size_t size = 16, mask, h;
	int *slots, i, next = 0;
	const struct line *o;

	while (size < (size_t)n * 2)
		size *= 2;
	mask = size - 1;
	/* Slot holds 1 + the index of the first line with that text. */
	slots = calloc(size, sizeof(*slots));
	if (!slots)
		return KB_ENOMEM;
	for (i = 0; i < n; i++) {
		for (h = (size_t)l[i].hash & mask;; h = (h + 1) & mask) {
			if (slots[h] == 0) {
				slots[h] = i + 1;
				ids[i] = next++;
				break;
			}
			o = &l[slots[h] - 1];
			if (o->hash == l[i].hash && o->len == l[i].len &&
			    memcmp(o->p, l[i].p, l[i].len) == 0) {
				ids[i] = ids[slots[h] - 1];
				break;
			}
		}
	}
	free(slots);
	*nids = next;
	return KB_OK;
}

/*
 * A lower bound on the edit distance, cheap to get: every copy of a line
 * that one side has more of than the other must be added or deleted. It
 * lets a wholesale rewrite skip the search.
 */
static int
count_unmatched(const int *a, int n, const int *b, int m, int nids,
    long *out)
{
	int *cnt, i;
	long sum = 0;

	cnt = calloc(nids ? (size_t)nids : 1, sizeof(*cnt));
	if (!cnt)
		return KB_ENOMEM;
	for (i = 0; i < n; i++)
		cnt[a[i]]++;
	for (i = 0; i < m; i++)
		cnt[b[i]]--;
	for (i = 0; i < nids; i++)
		sum += labs((long)cnt[i]);
	free(cnt);
	*out = sum;
	return KB_OK;
}

/*
 * Find a point (*xmid, *ymid) on an optimal path through the box
 * [xoff, xlim) x [yoff, ylim), about halfway along it in edits, by running
 * the greedy search forward from the top left and backward from the bottom
 * right until they overlap on a diagonal. The caller has trimmed the common
 * prefix and suffix, so both ranges are non-empty, the corners are not on a
 * snake, and the point found is strictly inside: both halves are smaller.
 * Returns false, without a point, if the edit distance is over maxd.
 */
static bool
diff_split(struct diffctx *c, int xoff, int xlim, int yoff, int ylim,
    int maxd, int *xmid, int *ymid)
{
	const int *a = c->a, *b = c->b;
	int *fv = c->fv, *bv = c->bv;
	int dmin = xoff - ylim, dmax = xlim - yoff;
	int fmid = xoff - yoff, bmid = xlim - ylim;
	int fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	bool odd = (fmid - bmid) % 2 != 0;
	int d, k, x, y;

	fv[fmid] = xoff;
	bv[bmid] = xlim;
	for (d = 1;; d++) {
		/* A forward overlap at this d means an edit distance of
		 * 2d - 1, a backward one 2d. */
		if (2 * d - 1 > maxd)
			return false;
		/* Widen the range of diagonals by one each side, or narrow
		 * it to keep the parity where it hits the box's edge; the
		 * -1 next to it makes the edge diagonal take the inner
		 * neighbour. */
		if (fmin > dmin)
			fv[--fmin - 1] = -1;
		else
			fmin++;
		if (fmax < dmax)
			fv[++fmax + 1] = -1;
		else
			fmax--;
		for (k = fmax; k >= fmin; k -= 2) {
			if (fv[k - 1] >= fv[k + 1])
				x = fv[k - 1] + 1;
			else
				x = fv[k + 1];
			y = x - k;
			while (x < xlim && y < ylim && a[x] == b[y]) {
				x++;
				y++;
			}
			fv[k] = x;
			if (odd && bmin <= k && k <= bmax && bv[k] <= x) {
				*xmid = x;
				*ymid = y;
				return true;
			}
		}

		if (2 * d > maxd)
			return false;
		if (bmin > dmin)
			bv[--bmin - 1] = INT_MAX;
		else
			bmin++;
		if (bmax < dmax)
			bv[++bmax + 1] = INT_MAX;
		else
			bmax--;
		for (k = bmax; k >= bmin; k -= 2) {
			if (bv[k - 1] < bv[k + 1])
				x = bv[k - 1];
			else
				x = bv[k + 1] - 1;
			y = x - k;
			while (x > xoff && y > yoff && a[x - 1] == b[y - 1]) {
				x--;
				y--;
			}
			bv[k] = x;
			if (!odd && fmin <= k && k <= fmax && x <= fv[k]) {
				*xmid = x;
				*ymid = y;
				return true;
			}
		}
	}
}

/*
 * Mark the lines of a[xoff, xlim) and b[yoff, ylim) that a minimal script
 * deletes or adds. Returns false, marking nothing, if that script has more
 * than maxd edits; only the top call passes a limit, because each half of a
 * split costs less than the whole.
 *
 * The recursion is O(log D) deep: each half has at most ceil(D/2) edits.
 */
static bool
diff_compare(struct diffctx *c, int xoff, int xlim, int yoff, int ylim,
    int maxd)
{
	int xmid, ymid;

	while (xoff < xlim && yoff < ylim && c->a[xoff] == c->b[yoff]) {
		xoff++;
		yoff++;
	}
	while (xlim > xoff && ylim > yoff &&
	    c->a[xlim - 1] == c->b[ylim - 1]) {
		xlim--;
		ylim--;
	}
	if (xoff == xlim || yoff == ylim) {
		if ((xlim - xoff) + (ylim - yoff) > maxd)
			return false;
		memset(c->ca + xoff, 1, (size_t)(xlim - xoff));
		memset(c->cb + yoff, 1, (size_t)(ylim - yoff));
		return true;
	}
	if (!diff_split(c, xoff, xlim, yoff, ylim, maxd, &xmid, &ymid))
		return false;
	(void)diff_compare(c, xoff, xmid, yoff, ymid, INT_MAX);
	(void)diff_compare(c, xmid, xlim, ymid, ylim, INT_MAX);
	return true;
}

static void
put_line(struct diff_line *dl, enum diff_op op, const struct line *l,
    size_t a_line, size_t b_line)
{
	dl->op = op;
	dl->text = l->p;
	dl->len = l->len;
	dl->a_line = a_line;
	dl->b_line = b_line;
}

/* Read the script off the marks: per changed block, deletions first. */
static int
diff_emit(const struct line *la, int n, const char *ca,
    const struct line *lb, int m, const char *cb, struct diff *out)
{
	struct diff_line *dl;
	size_t count = (size_t)n;
	int i, j;

	for (j = 0; j < m; j++)
		count += cb[j] != 0;
	if (count == 0)
		return KB_OK;
	dl = calloc(count, sizeof(*dl));
	if (!dl)
		return KB_ENOMEM;
	out->lines = dl;
	out->n = count;
	i = j = 0;
	while (i < n || j < m) {
		if (i < n && ca[i]) {
			put_line(dl++, DIFF_DEL, &la[i], (size_t)i + 1, 0);
			i++;
		} else if (j < m && cb[j]) {
			put_line(dl++, DIFF_ADD, &lb[j], 0, (size_t)j + 1);
			j++;
		} else {
			/* Unmarked lines pair up in order, so both remain. */
			put_line(dl++, DIFF_SAME, &la[i], (size_t)i + 1,
			    (size_t)j + 1);
			i++;
			j++;
		}
	}
	return KB_OK;
}

int
diff_lines(const char *a, size_t alen, const char *b, size_t blen,
    struct diff *out)
{
	struct diffctx c;
	struct line *lines = NULL;
	int *ids = NULL, *v = NULL;
	char *marks = NULL;
	size_t an, bn;
	long unmatched;
	int n, m, nids, result;

	out->lines = NULL;
	out->n = 0;
	out->truncated = false;

	an = count_lines(a, alen);
	bn = count_lines(b, blen);
	if (an > DIFF_MAX_LINES || bn > DIFF_MAX_LINES)
		return KB_EINVAL;
	n = (int)an;
	m = (int)bn;
	if (n + m == 0)
		return KB_OK;

	result = KB_ENOMEM;
	lines = calloc((size_t)(n + m), sizeof(*lines));
	ids = calloc((size_t)(n + m), sizeof(*ids));
	/* Both change marks, and V arrays for diagonals -M-1 .. N+1. */
	marks = calloc((size_t)(n + m), 1);
	v = calloc(2 * (size_t)(n + m + 3), sizeof(*v));
	if (!lines || !ids || !marks || !v)
		goto out_free;
	split_lines(a, alen, lines);
	split_lines(b, blen, lines + n);
	if ((result = intern_lines(lines, n + m, ids, &nids)) != KB_OK)
		goto out_free;

	c.a = ids;
	c.b = ids + n;
	c.ca = marks;
	c.cb = marks + n;
	c.fv = v + m + 1;
	c.bv = v + (n + m + 3) + m + 1;

	if ((result = count_unmatched(c.a, n, c.b, m, nids, &unmatched)) !=
	    KB_OK)
		goto out_free;
	if (unmatched > DIFF_MAX_EDITS ||
	    !diff_compare(&c, 0, n, 0, m, DIFF_MAX_EDITS)) {
		/* Too different to be worth a script: replace it all. */
		out->truncated = true;
		memset(marks, 1, (size_t)(n + m));
	}
	result = diff_emit(lines, n, c.ca, lines + n, m, c.cb, out);

out_free:
	free(v);
	free(marks);
	free(ids);
	free(lines);
	if (result != KB_OK)
		out->truncated = false;
	return result;
}

void
diff_release(struct diff *d)
{
	free(d->lines);
	d->lines = NULL;
	d->n = 0;
	d->truncated = false;
}
