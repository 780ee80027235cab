/*
 * rank.c - re-ranking the top matches of a search by what their titles,
 * summaries and tags say about the query.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rank.h"
#include "text.h"

#include "banned.h"

/* Every term the words of s[0..len) match, as bits. */
static uint64_t
terms_of(struct matcher *m, const char *s, size_t len)
{
	size_t p = 0, start, end;
	uint64_t all = 0;

	while (text_next_word(s, len, &p, &start, &end))
		all |= matcher_match_set(m, s, start, end);
	return all;
}

void
rank_query_init(struct rank_query *q, struct matcher *m, const char *text,
    const char *known, unsigned words,
    bool (*is_stopword)(const char *w, size_t len),
    const struct xc_text *extra, size_t nextra)
{
	size_t p = 0, start, end, len, i, k;
	uint64_t word_terms[RANK_SEQ_MAX] = { 0 }, group;
	uint32_t brought;
	int t;

	q->matcher = m;
	q->text = text;
	text = known ? known : text;	/* the words to cover */
	len = strlen(text);
	q->words = words;
	q->nseq = 0;
	memset(q->stands_for, 0, sizeof(q->stands_for));
	while (q->nseq < RANK_SEQ_MAX &&
	    text_next_word(text, len, &p, &start, &end)) {
		if (is_stopword(text + start, end - start))
			continue;	/* "test and enable": the pair is test, enable */
		t = matcher_match(m, text, start, end);
		word_terms[q->nseq] = matcher_match_set(m, text, start, end);
		q->seq[q->nseq++] = t >= 0 ? t : -2;	/* a word no term matches */
	}
	for (i = 0; i < q->nseq; i++)
		for (k = 0; k < 64; k++)
			if (word_terms[i] >> k & 1)
				q->stands_for[k] |= (uint32_t)1 << i;
	/* a synonym group stands for the words that brought it in */
	for (i = 0; i < nextra;) {
		unsigned g = extra[i].group;

		group = 0;
		do {
			group |= terms_of(m, extra[i].text, strlen(extra[i].text));
			i++;
		} while (g && i < nextra && extra[i].group == g);
		if (!g)
			continue;	/* the query's own words in another script */
		brought = 0;
		for (k = 0; k < q->nseq; k++)
			if (word_terms[k] & group)
				brought |= (uint32_t)1 << k;
		for (k = 0; k < 64; k++)
			if (group >> k & 1)
				q->stands_for[k] |= brought;
	}
	q->sayable = 0;
	for (k = 0; k < 64; k++)
		q->sayable |= q->stands_for[k];
}

/*
 * The words of a text, from the spans the snapshot split it into once
 * (rank_candidate) or, without them, split here.
 */
struct words {
	const char *s;
	size_t len, p;		/* len: only without spans */
	const struct word_span *spans;
	size_t n, i;
};

static struct words
words_of(const char *s, const struct word_span *spans, size_t n)
{
	struct words w = { s, spans ? 0 : strlen(s), 0, spans, n, 0 };

	return w;
}

static bool
next_word(struct words *w, size_t *start, size_t *end)
{
	if (!w->spans)
		return text_next_word(w->s, w->len, &w->p, start, end);
	if (w->i == w->n)
		return false;
	*start = w->spans[w->i].start;
	*end = w->spans[w->i++].end;
	return true;
}

/* How many of the query's words the words of s (NUL-terminated) say. */
static unsigned
words_covered(const struct rank_query *q, const char *s,
    const struct word_span *spans, size_t nspans)
{
	struct words w = words_of(s, spans, nspans);
	size_t start, end;
	uint64_t terms;
	uint32_t said = 0;

	/* a long summary (or lead) stops being read once it has said it all */
	while (said != q->sayable && next_word(&w, &start, &end)) {
		terms = matcher_match_set(q->matcher, s, start, end);
		while (terms) {
			said |= q->stands_for[__builtin_ctzll(terms)];
			terms &= terms - 1;
		}
	}
	return (unsigned)__builtin_popcount(said);
}

/*
 * Re-ranking weights, tuned with `make quality` on the dev queries (see
 * README), each added to a BM25 score scaled to the best hit's: a title,
 * and a summary with tags, that cover all the query's words; a title with
 * all its adjacent word pairs; a guide's title (times its coverage); a
 * title in the query's script; the query's words one after another
 * anywhere in the article; and less for a platform not asked about.
 */
#define COVERAGE_TITLE 0.2
#define COVERAGE_ABOUT 0.4
#define PAIRS_TITLE 0.1
#define GUIDE_TITLE 0.2
#define LANG_MATCH 0.1
#define PLATFORM_PENALTY 0.15
#define HOWTO_PENALTY 0.1
#define PHRASE_FOUND 0.5
/* a phrase of fewer words that carry meaning says less ("your account has
 * been locked" is two): its share of PHRASE_FOUND */
#define PHRASE_FULL_WORDS 4

/* A word of the lists below, with its length to compare that first. */
struct keyword {
	const char *s;
	size_t len;
};
#define KW(s) { s, sizeof(s) - 1 }

/*
 * Platforms a title may be about. An article for one the caller did not
 * name ("Outlook for Mac crashes" for "outlook crashes") is less likely the
 * answer: most desks support Windows first, and a caller on a Mac says so.
 */
static const struct keyword platforms[] = {
	KW("mac"), KW("macos"), KW("ios"), KW("iphone"), KW("ipad"),
	KW("android"), KW("linux"), { NULL, 0 }
};

/*
 * Words that make a title a guide to a whole area ("Troubleshoot Start
 * menu errors", "Issues with meeting recordings", "Intune app installation
 * error codes") rather than one case of it. A caller describing a symptom
 * is best sent to the guide first; a caller quoting an error code is not
 * (query_names_code).
 */
static const struct keyword guide_words[] = {
	KW("troubleshoot"), KW("troubleshooting"), KW("troubleshooter"),
	KW("issues"), KW("problems"), KW("guidance"), KW("guide"),
	KW("checklist"), KW("codes"), KW("استكشاف"), KW("مشاكل"),
	KW("مشكلات"), { NULL, 0 }
};

/*
 * Words that make a title (or query) about something going wrong. A caller
 * asking how to do something ("how to check which .net version is
 * installed") wants the procedure, not an article about its errors; one
 * asking how to fix something has a problem (query_asks_howto).
 */
static const struct keyword problem_words[] = {
	KW("error"), KW("errors"), KW("fail"), KW("fails"), KW("failed"),
	KW("failure"), KW("failures"), KW("cannot"), KW("unable"), KW("not"),
	KW("crash"), KW("crashes"), KW("fix"), KW("broken"), KW("issue"),
	KW("issues"), KW("problem"), KW("problems"), KW("troubleshoot"),
	KW("troubleshooting"), KW("resolve"), KW("خطأ"), KW("خطا"),
	KW("تعذر"), KW("يتعذر"), KW("مشكلة"), KW("مشكله"), KW("مشاكل"),
	KW("مشكلات"), { NULL, 0 }
};

/* Is text[end..len) the tail of a negative contraction: "'t" (can't, won't)? */
static bool
negation_tail(const char *s, size_t len, size_t end)
{
	if (end + 2 <= len && s[end] == '\'' && (s[end + 1] | 0x20) == 't')
		return true;
	/* U+2019 RIGHT SINGLE QUOTATION MARK, as word processors write it */
	return end + 4 <= len && memcmp(s + end, "\xe2\x80\x99", 3) == 0 &&
	    (s[end + 3] | 0x20) == 't';
}

/* The index in list of word w[0..n), case-insensitively, or -1. */
static int
word_in(const struct keyword *list, const char *w, size_t n)
{
	unsigned char c = n ? (unsigned char)w[0] : 0;
	int i;

	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';		/* the lists are in lower case */
	for (i = 0; list[i].s; i++)
		if (list[i].len == n && (unsigned char)list[i].s[0] == c &&
		    strncasecmp(list[i].s, w, n) == 0)
			return i;
	return -1;
}

_Static_assert(sizeof(platforms) / sizeof(platforms[0]) - 1 <= 8,
    "struct rank_traits has a bit for each platform");

/* One pass over the words of s: a title's, or the query's alike. */
struct rank_traits
rank_traits_of(const char *s)
{
	struct rank_traits t = { 0, false, false, false };
	size_t p = 0, start, end, len = strlen(s);
	int i;

	while (text_next_word(s, len, &p, &start, &end)) {
		if ((i = word_in(platforms, s + start, end - start)) >= 0)
			t.platforms |= (uint8_t)(1u << i);
		else if (word_in(guide_words, s + start, end - start) >= 0)
			t.guide = true;
		if (word_in(problem_words, s + start, end - start) >= 0 ||
		    negation_tail(s, len, end))
			t.problem = true;
	}
	t.arabic = strcmp(text_detect_lang(s, len, 0.5), "ar") == 0;
	return t;
}

/*
 * The share of the query's adjacent word pairs ("proxy settings", "start
 * menu") that s has in the same order, at most one word apart: a title
 * that says what the caller said, not just the same words scattered.
 */
static double
pair_coverage(struct matcher *m, struct words w, const int *seq, size_t nseq)
{
	size_t start, end, i, pairs = 0, found = 0;
	int prev[2] = { -1, -1 }, t;
	bool seen[RANK_SEQ_MAX] = { false };	/* seen[i]: pair i, i + 1 */
	const char *s = w.s;

	while (next_word(&w, &start, &end)) {
		t = matcher_match(m, s, start, end);
		for (i = 0; t >= 0 && i + 1 < nseq; i++)
			if (seq[i + 1] == t &&
			    (prev[0] == seq[i] || prev[1] == seq[i]))
				seen[i] = true;
		prev[1] = prev[0];
		prev[0] = t;
	}
	for (i = 0; i + 1 < nseq; i++) {
		if (seq[i] < 0 || seq[i + 1] < 0 || seq[i] == seq[i + 1])
			continue;
		pairs++;
		found += seen[i];
	}
	return pairs ? (double)found / (double)pairs : 0;
}

/* Does the query quote an identifier: a word of 4+ characters with a digit or '_'? */
static bool
query_names_code(const char *q)
{
	size_t p = 0, start, end, len = strlen(q), i;

	while (text_next_word(q, len, &p, &start, &end)) {
		if (end - start < 4)
			continue;
		for (i = start; i < end; i++)
			if ((q[i] >= '0' && q[i] <= '9') || q[i] == '_')
				return true;
	}
	return false;
}

/* Does the query ask how to do something (and not how to fix it)? */
static bool
query_asks_howto(const char *q, struct rank_traits asked)
{
	static const char *const openings[] = { "how to ", "how do i ",
		"how do you ", "how can i ", "how can we ", "steps to ", "كيف ",
		NULL };
	int i;

	if (asked.problem)
		return false;
	for (i = 0; openings[i]; i++)
		if (strncasecmp(q, openings[i], strlen(openings[i])) == 0)
			return true;
	return false;
}

static int
cmp_candidates(const void *a, const void *b)
{
	const struct rank_candidate *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/*
 * Re-rank the top candidates: BM25 (scaled to the best) plus what the
 * title and the summary with tags say about the query (the weights above).
 * An article whose title names most of what the caller said, in their
 * words and order, is usually the answer, even when a longer article
 * mentions a rare word more often.
 */
void
rank_candidates(struct rank_candidate *c, size_t n, const struct rank_query *q)
{
	struct matcher *mt = q->matcher;
	const char *query = q->text;
	unsigned qwords = q->words;
	double top = n ? c[0].score : 0, cov;
	const char *title;
	size_t i;
	bool symptom, howto;
	struct rank_traits asked, traits;

	if (!n || !qwords || top <= 0)
		return;
	symptom = !query_names_code(query);
	asked = rank_traits_of(query);
	howto = query_asks_howto(query, asked);
	for (i = 0; i < n; i++) {
		c[i].score /= top;
		if (c[i].standing > 0)
			c[i].score += RANK_STANDING_NUDGE *
			    (c[i].standing < 1 ? c[i].standing : 1);
		title = c[i].title;
		if (!title)
			continue;
		cov = (double)words_covered(q, title, c[i].title_words,
		    c[i].ntitle_words) / qwords;
		c[i].score += COVERAGE_TITLE * (cov > 1 ? 1 : cov);
		c[i].score += PAIRS_TITLE * pair_coverage(mt, words_of(title,
		    c[i].title_words, c[i].ntitle_words), q->seq, q->nseq);
		traits = c[i].has_traits ? c[i].traits : rank_traits_of(title);
		if (symptom && traits.guide)
			c[i].score += GUIDE_TITLE * (cov > 1 ? 1 : cov);
		if (traits.arabic == asked.arabic)	/* the query's script */
			c[i].score += LANG_MATCH;
		if (traits.platforms & ~asked.platforms)
			c[i].score -= PLATFORM_PENALTY;
		if (howto && traits.problem)
			c[i].score -= HOWTO_PENALTY;
		cov = c[i].about ? (double)words_covered(q, c[i].about,
		    c[i].about_words, c[i].nabout_words) / qwords : 0;
		c[i].score += COVERAGE_ABOUT * (cov > 1 ? 1 : cov);
		if (c[i].has_phrase)
			c[i].score += PHRASE_FOUND * (qwords >= PHRASE_FULL_WORDS ?
			    1 : (double)qwords / PHRASE_FULL_WORDS);
	}
	qsort(c, n, sizeof(*c), cmp_candidates);
}
