/* Unit tests for common/diff: fixed cases, a randomised check against an
 * LCS table, and the fallback for texts that differ too much. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diff.h"
#include "err.h"

static void
diff_str(const char *a, const char *b, struct diff *d)
{
	cr_assert_eq(diff_lines(a, strlen(a), b, strlen(b), d), KB_OK);
}

/* One line of d, checked field by field. */
static void
expect_line(const struct diff *d, size_t i, enum diff_op op, const char *text,
    size_t a_line, size_t b_line)
{
	const struct diff_line *l;

	cr_assert_lt(i, d->n);
	l = &d->lines[i];
	cr_assert_eq(l->op, op, "line %zu: op %d, want %d", i, l->op, op);
	cr_assert_eq(l->len, strlen(text), "line %zu: len %zu", i, l->len);
	cr_assert(memcmp(l->text, text, l->len) == 0, "line %zu: text", i);
	cr_assert_eq(l->a_line, a_line, "line %zu: a_line %zu", i, l->a_line);
	cr_assert_eq(l->b_line, b_line, "line %zu: b_line %zu", i, l->b_line);
}

/* The text of one side as the diff tells it (SAME + DEL for a, SAME + ADD
 * for b), one "\n" after each line; also checks that side's numbering. */
static void
rebuild(const struct diff *d, enum diff_op skip, struct buf *out)
{
	size_t i, next = 1, no;

	for (i = 0; i < d->n; i++) {
		if (d->lines[i].op == skip)
			continue;
		no = skip == DIFF_ADD ? d->lines[i].a_line : d->lines[i].b_line;
		cr_assert_eq(no, next, "numbering: %zu, want %zu", no, next);
		next++;
		buf_append(out, d->lines[i].text, d->lines[i].len);
		buf_putc(out, '\n');
	}
	cr_assert_eq(out->err, KB_OK);
}

static void
expect_rebuilds(const struct diff *d, const char *a, const char *b)
{
	struct buf s;

	buf_init(&s, 0);
	rebuild(d, DIFF_ADD, &s);
	cr_assert_str_eq(buf_str(&s), a);
	buf_reset(&s);
	rebuild(d, DIFF_DEL, &s);
	cr_assert_str_eq(buf_str(&s), b);
	buf_release(&s);
}

Test(diff, identical_is_all_same)
{
	struct diff d;

	diff_str("one\ntwo\nthree\n", "one\ntwo\nthree\n", &d);
	cr_assert_eq(d.n, 3);
	cr_assert_not(d.truncated);
	expect_line(&d, 0, DIFF_SAME, "one", 1, 1);
	expect_line(&d, 1, DIFF_SAME, "two", 2, 2);
	expect_line(&d, 2, DIFF_SAME, "three", 3, 3);
	diff_release(&d);
	cr_assert_null(d.lines);
	cr_assert_eq(d.n, 0);
}

Test(diff, both_empty)
{
	struct diff d;

	cr_assert_eq(diff_lines(NULL, 0, NULL, 0, &d), KB_OK);
	cr_assert_eq(d.n, 0);
	cr_assert_null(d.lines);
	diff_release(&d);
}

Test(diff, empty_vs_text_is_all_add)
{
	struct diff d;

	diff_str("", "a\nb\n", &d);
	cr_assert_eq(d.n, 2);
	expect_line(&d, 0, DIFF_ADD, "a", 0, 1);
	expect_line(&d, 1, DIFF_ADD, "b", 0, 2);
	diff_release(&d);
}

Test(diff, text_vs_empty_is_all_del)
{
	struct diff d;

	diff_str("a\nb\n", "", &d);
	cr_assert_eq(d.n, 2);
	expect_line(&d, 0, DIFF_DEL, "a", 1, 0);
	expect_line(&d, 1, DIFF_DEL, "b", 2, 0);
	diff_release(&d);
}

Test(diff, change_in_middle_deletes_then_adds)
{
	struct diff d;

	diff_str("1\n2\n3\n4\n5\n", "1\n2\nthree\ntres\n4\n5\n", &d);
	cr_assert_eq(d.n, 7);
	expect_line(&d, 0, DIFF_SAME, "1", 1, 1);
	expect_line(&d, 1, DIFF_SAME, "2", 2, 2);
	expect_line(&d, 2, DIFF_DEL, "3", 3, 0);
	expect_line(&d, 3, DIFF_ADD, "three", 0, 3);
	expect_line(&d, 4, DIFF_ADD, "tres", 0, 4);
	expect_line(&d, 5, DIFF_SAME, "4", 4, 5);
	expect_line(&d, 6, DIFF_SAME, "5", 5, 6);
	diff_release(&d);
}

Test(diff, insert_at_start_and_end)
{
	struct diff d;

	diff_str("b\nc\n", "a\nb\nc\n", &d);
	cr_assert_eq(d.n, 3);
	expect_line(&d, 0, DIFF_ADD, "a", 0, 1);
	expect_line(&d, 1, DIFF_SAME, "b", 1, 2);
	expect_line(&d, 2, DIFF_SAME, "c", 2, 3);
	diff_release(&d);

	diff_str("b\nc\n", "b\nc\nd\n", &d);
	cr_assert_eq(d.n, 3);
	expect_line(&d, 0, DIFF_SAME, "b", 1, 1);
	expect_line(&d, 1, DIFF_SAME, "c", 2, 2);
	expect_line(&d, 2, DIFF_ADD, "d", 0, 3);
	diff_release(&d);
}

Test(diff, missing_final_newline)
{
	struct diff d;

	/* The unterminated last line counts, and equals a terminated one. */
	diff_str("a\nb", "a\nb\n", &d);
	cr_assert_eq(d.n, 2);
	expect_line(&d, 0, DIFF_SAME, "a", 1, 1);
	expect_line(&d, 1, DIFF_SAME, "b", 2, 2);
	diff_release(&d);

	diff_str("a\nb", "a\nc", &d);
	cr_assert_eq(d.n, 3);
	expect_line(&d, 0, DIFF_SAME, "a", 1, 1);
	expect_line(&d, 1, DIFF_DEL, "b", 2, 0);
	expect_line(&d, 2, DIFF_ADD, "c", 0, 2);
	diff_release(&d);

	/* A blank line is a line; the newline after it is not another. */
	diff_str("x\n\n", "x\n", &d);
	cr_assert_eq(d.n, 2);
	expect_line(&d, 0, DIFF_SAME, "x", 1, 1);
	expect_line(&d, 1, DIFF_DEL, "", 2, 0);
	diff_release(&d);
}

Test(diff, crlf_equals_lf)
{
	struct diff d;

	diff_str("a\r\nb\r\nc", "a\nb\nc\r\n", &d);
	cr_assert_eq(d.n, 3);
	expect_line(&d, 0, DIFF_SAME, "a", 1, 1);
	expect_line(&d, 1, DIFF_SAME, "b", 2, 2);
	expect_line(&d, 2, DIFF_SAME, "c", 3, 3);
	diff_release(&d);

	/* Only the '\r' of the line ending goes; one in the line stays. */
	diff_str("a\rb\n", "a\n", &d);
	cr_assert_eq(d.n, 2);
	expect_line(&d, 0, DIFF_DEL, "a\rb", 1, 0);
	expect_line(&d, 1, DIFF_ADD, "a", 0, 1);
	diff_release(&d);
}

Test(diff, too_many_lines_is_einval)
{
	struct diff d;
	size_t len = (size_t)(DIFF_MAX_LINES + 1);
	char *s = malloc(len);

	cr_assert_not_null(s);
	memset(s, '\n', len);
	cr_assert_eq(diff_lines(s, len, "x", 1, &d), KB_EINVAL);
	cr_assert_null(d.lines);
	cr_assert_eq(d.n, 0);
	cr_assert_eq(diff_lines("x", 1, s, len, &d), KB_EINVAL);
	/* Exactly the limit is fine. */
	cr_assert_eq(diff_lines(s, len - 1, s, len - 1, &d), KB_OK);
	cr_assert_eq(d.n, DIFF_MAX_LINES);
	cr_assert_eq(d.lines[d.n - 1].op, DIFF_SAME);
	diff_release(&d);
	free(s);
}

/* xorshift64: the same pairs on every run and platform. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#define RND_MAX_LINES 30

/* Minimal number of added plus deleted lines, by the textbook LCS table. */
static size_t
edit_distance(const int *a, size_t n, const int *b, size_t m)
{
	static size_t t[RND_MAX_LINES + 1][RND_MAX_LINES + 1];
	size_t i, j;

	for (i = n + 1; i-- > 0;)
		for (j = m + 1; j-- > 0;) {
			if (i == n || j == m)
				t[i][j] = 0;
			else if (a[i] == b[j])
				t[i][j] = t[i + 1][j + 1] + 1;
			else
				t[i][j] = t[i + 1][j] > t[i][j + 1] ?
				    t[i + 1][j] : t[i][j + 1];
		}
	return n + m - 2 * t[0][0];
}

/*
 * Write lines l[0..n) from a small vocabulary into text (with random CRLF
 * and a random missing final newline) and into want (plain "\n" after
 * every line: what rebuild() gives back).
 */
static void
random_text(uint64_t *s, int *l, size_t n, int vocab, struct buf *text,
    struct buf *want)
{
	static const char *words[] = { "alpha", "beta", "", "gamma", "delta" };
	size_t i;

	for (i = 0; i < n; i++) {
		l[i] = (int)(rnd(s) % (uint64_t)vocab);
		buf_puts(text, words[l[i]]);
		buf_puts(want, words[l[i]]);
		buf_putc(want, '\n');
		if (i + 1 == n && l[i] != 2 && rnd(s) % 4 == 0)
			break;	/* no final newline (only a blank line needs it) */
		buf_puts(text, rnd(s) % 3 == 0 ? "\r\n" : "\n");
	}
}

Test(diff, random_pairs_are_minimal_and_rebuild)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	int la[RND_MAX_LINES], lb[RND_MAX_LINES];
	struct buf ta, tb, wa, wb;
	struct diff d;
	size_t n, m, i, edits;
	int round, vocab;

	buf_init(&ta, 0);
	buf_init(&tb, 0);
	buf_init(&wa, 0);
	buf_init(&wb, 0);
	for (round = 0; round < 200; round++) {
		vocab = 1 + (int)(rnd(&seed) % 5);
		n = rnd(&seed) % (RND_MAX_LINES + 1);
		m = rnd(&seed) % (RND_MAX_LINES + 1);
		random_text(&seed, la, n, vocab, &ta, &wa);
		random_text(&seed, lb, m, vocab, &tb, &wb);

		cr_assert_eq(diff_lines(ta.data, ta.len, tb.data, tb.len, &d),
		    KB_OK);
		cr_assert_not(d.truncated);
		expect_rebuilds(&d, buf_str(&wa), buf_str(&wb));
		edits = 0;
		for (i = 0; i < d.n; i++) {
			if (d.lines[i].op != DIFF_SAME)
				edits++;
			cr_assert(i == 0 || d.lines[i].op != DIFF_DEL ||
			    d.lines[i - 1].op != DIFF_ADD,
			    "round %d: an addition before a deletion", round);
		}
		cr_assert_eq(edits, edit_distance(la, n, lb, m),
		    "round %d: %zu edits, minimum %zu", round, edits,
		    edit_distance(la, n, lb, m));
		diff_release(&d);
		buf_reset(&ta);
		buf_reset(&tb);
		buf_reset(&wa);
		buf_reset(&wb);
	}
	buf_release(&ta);
	buf_release(&tb);
	buf_release(&wa);
	buf_release(&wb);
}

Test(diff, too_different_is_whole_replacement)
{
	struct buf a, b;
	struct diff d;
	size_t i;

	buf_init(&a, 0);
	buf_init(&b, 0);
	for (i = 0; i < 30000; i++) {
		buf_printf(&a, "old line %zu\n", i);
		buf_printf(&b, "new line %zu\n", i);
	}
	cr_assert_eq(diff_lines(a.data, a.len, b.data, b.len, &d), KB_OK);
	cr_assert(d.truncated);
	cr_assert_eq(d.n, 60000);
	expect_line(&d, 0, DIFF_DEL, "old line 0", 1, 0);
	expect_line(&d, 29999, DIFF_DEL, "old line 29999", 30000, 0);
	expect_line(&d, 30000, DIFF_ADD, "new line 0", 0, 1);
	expect_rebuilds(&d, buf_str(&a), buf_str(&b));
	diff_release(&d);
	buf_release(&a);
	buf_release(&b);
}

/*
 * The same lines in another order: nothing is unmatched, so only the
 * search itself can find the distance too large. x As then x Bs against
 * x Bs then x As is 2x edits.
 */
static void
swapped_halves(size_t x, struct diff *d, struct buf *a, struct buf *b)
{
	size_t i;

	for (i = 0; i < 2 * x; i++) {
		buf_puts(a, i < x ? "A\n" : "B\n");
		buf_puts(b, i < x ? "B\n" : "A\n");
	}
	cr_assert_eq(diff_lines(a->data, a->len, b->data, b->len, d), KB_OK);
}

Test(diff, edit_limit_is_exact)
{
	struct buf a, b;
	struct diff d;

	buf_init(&a, 0);
	buf_init(&b, 0);
	swapped_halves(DIFF_MAX_EDITS / 2, &d, &a, &b);
	cr_assert_not(d.truncated, "exactly DIFF_MAX_EDITS edits");
	cr_assert_eq(d.n, 3 * (DIFF_MAX_EDITS / 2));
	expect_rebuilds(&d, buf_str(&a), buf_str(&b));
	diff_release(&d);
	buf_reset(&a);
	buf_reset(&b);

	swapped_halves(DIFF_MAX_EDITS / 2 + 1, &d, &a, &b);
	cr_assert(d.truncated, "DIFF_MAX_EDITS + 2 edits");
	expect_rebuilds(&d, buf_str(&a), buf_str(&b));
	diff_release(&d);
	buf_release(&a);
	buf_release(&b);
}
