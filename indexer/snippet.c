/*
 * snippet.c - term matching and result excerpts; see snippet.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "snippet.h"
#include "text.h"
#include "util.h"
#include "banned.h"

struct word {
	size_t start, end;	/* byte range in the text */
	int term;		/* index of the matched term, or -1 */
};

/*
 * The bit in matcher.pairs for a word or term starting with bytes c0, c1
 * (c1 0 for a one-byte one). Only ASCII words are looked up: one can only
 * match a term that starts with the same two bytes (lower-cased), or, a
 * single letter, the term that is that letter.
 */
static unsigned
pair_bit(unsigned char c0, unsigned char c1)
{
	return (unsigned)(c0 & 0x3F) << 6 | (c1 & 0x3F);
}

/*
 * The Arabic stemmer writes the hamza carriers as it reads them (ؤ as و, ئ
 * as ي inside a word and as ء at its end: رسائل is "رسايل", ممتلئ is
 * "ممتلء"), which the text does not. Matching compares both with ء, ؤ and
 * ئ folded into their base letters (ء as ي), in place (all are 2 bytes).
 */
static bool
fold_hamza(char *s, size_t len)
{
	bool folded = false;

	for (size_t i = 0; i + 1 < len; i++) {
		/* ء ؤ ئ are U+0621, U+0624, U+0626 */
		unsigned char c = (unsigned char)s[i], d = (unsigned char)s[i + 1];

		if (c != 0xD8 || (d != 0xA1 && d != 0xA4 && d != 0xA6))
			continue;
		s[i] = (char)0xD9;	/* ي U+064A, و U+0648 */
		s[i + 1] = (char)(d == 0xA4 ? 0x88 : 0x8A);
		folded = true;
		i++;
	}
	return folded;
}

/* The letters of s[0..len) (snippet.h: struct letters). */
static void
letters_of(const char *s, size_t len, struct letters *l)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < len; i++) {
		if (u[i] >= 0xD8 && u[i] <= 0xDB && i + 1 < len &&
		    (u[i + 1] & 0xC0) == 0x80) {
			unsigned cp = (unsigned)(u[i] - 0xD8) << 6 | (u[i + 1] & 0x3F);

			l->arabic[cp >> 6] |= (uint64_t)1 << (cp & 63);
			i++;
		} else {
			l->other = true;
		}
	}
}

/* Has a word with letters w every letter of a term with letters t? */
static inline bool
letters_within(const struct letters *t, const struct letters *w)
{
	return !(t->arabic[0] & ~w->arabic[0]) && !(t->arabic[1] & ~w->arabic[1]) &&
	    !(t->arabic[2] & ~w->arabic[2]) && !(t->arabic[3] & ~w->arabic[3]) &&
	    (!t->other || w->other);
}

void
matcher_init(struct matcher *m, char *const *terms, size_t nterms,
    xc_stemmer *english)
{
	size_t i, tl;
	unsigned char c;
	unsigned bit;

	m->terms = terms;
	m->nterms = nterms;
	m->folded = NULL;
	m->lens = xcalloc(nterms ? nterms : 1, sizeof(*m->lens));
	m->y_stem = xcalloc(nterms ? nterms : 1, sizeof(*m->y_stem));
	memset(m->first, 0, sizeof(m->first));
	memset(m->pairs, 0, sizeof(m->pairs));
	m->any_non_ascii = false;
	m->letters = NULL;
	m->english = english;
	for (i = 0; i < nterms; i++) {
		tl = m->lens[i] = strlen(terms[i]);
		m->y_stem[i] = tl >= 3 && terms[i][tl - 1] == 'i';
		c = (unsigned char)terms[i][0];
		m->first[c >> 3] |= (unsigned char)(1u << (c & 7));
		bit = pair_bit(c, tl >= 2 ? (unsigned char)terms[i][1] : 0);
		m->pairs[bit >> 3] |= (unsigned char)(1u << (bit & 7));
		if (c >= 0x80)
			m->any_non_ascii = true;
		if (c >= 0x80) {
			char *f = xstrndup(terms[i], tl);

			if (!m->folded)
				m->folded = xcalloc(nterms, sizeof(*m->folded));
			if (fold_hamza(f, tl))
				m->folded[i] = f;
			else
				free(f);
		}
	}
	if (m->any_non_ascii)	/* only Arabic words need them */
		m->letters = xcalloc(nterms, sizeof(*m->letters));
	for (i = 0; m->letters && i < nterms; i++)
		letters_of(m->folded && m->folded[i] ? m->folded[i] : terms[i],
		    m->lens[i], &m->letters[i]);
	buf_init(&m->scratch, 4096);
}

void
matcher_release(struct matcher *m)
{
	if (m->folded)
		for (size_t i = 0; i < m->nterms; i++)
			free(m->folded[i]);
	free(m->folded);
	free(m->letters);
	free(m->lens);
	free(m->y_stem);
	buf_release(&m->scratch);
}

void
snippet_release(struct snippet *s)
{
	free(s->snippet);
	free(s->segs);
	memset(s, 0, sizeof(*s));
}

/* Does term (lower-case) start with the n bytes of w, case folded? */
static bool
ascii_prefix_eq(const char *w, const char *term, size_t n)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)w[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if (c != (unsigned char)term[i])
			return false;
	}
	return true;
}

/*
 * English stems end in 'i' where the word ends in 'y' ("polici" for
 * "policy", "proxi" for "proxy", "copi" for "copying"): does w, of wl
 * bytes, start with term but for that letter?
 */
static bool
y_stem_eq(const char *w, size_t wl, const char *term, size_t tl)
{
	return tl >= 3 && wl >= tl && term[tl - 1] == 'i' &&
	    (w[tl - 1] == 'y' || w[tl - 1] == 'Y') &&
	    ascii_prefix_eq(w, term, tl - 1);
}

/* Terms this short start too many unrelated words to match by prefix. */
#define SHORT_TERM 3

/*
 * Does the word w[0..wl), which starts with the short term[0..tl) (or
 * with it but for a final 'y'), have that term for its English stem?
 */
static bool
short_term_stems(const struct matcher *m, const char *w, size_t wl,
    const char *term, size_t tl)
{
	char low[32], *stem = NULL;
	size_t i;
	bool same;

	/* no English word of 32 letters stems to 3 */
	if (!m->english || wl >= sizeof(low))
		return false;
	for (i = 0; i < wl; i++)
		low[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
	if (xc_stem(m->english, low, wl, &stem) != KB_OK)
		return false;
	same = strlen(stem) == tl && memcmp(stem, term, tl) == 0;
	free(stem);
	return same;
}

/*
 * Does the ASCII word w[0..wl) match term[0..tl) (lower-case): equal to
 * it, or a longer form of it (snippet.h)?
 */
static inline bool
ascii_word_matches(const struct matcher *m, const char *w, size_t wl,
    const char *term, size_t tl, bool y_stem)
{
	bool longer;

	if (tl == wl && ascii_prefix_eq(w, term, tl))
		return true;
	longer = (tl >= 2 && tl < wl && ascii_prefix_eq(w, term, tl)) ||
	    (y_stem && y_stem_eq(w, wl, term, tl));
	return longer && (tl > SHORT_TERM ||
	    short_term_stems(m, w, wl, term, tl));
}

/*
 * Does the Arabic word w[0..wl) (NUL-terminated) match term[0..tl): equal
 * to it, starting with it, or holding it (3+ letters), since Arabic stems
 * drop prefixes as well as suffixes?
 */
static bool
arabic_word_matches(const char *w, size_t wl, const char *term, size_t tl)
{
	return (tl == wl && memcmp(w, term, tl) == 0) ||
	    (tl >= 3 && tl < wl && memcmp(w, term, tl) == 0) ||
	    (tl >= 6 && strstr(w, term) != NULL);
}

/*
 * Term i matched: the first one found, and one of *all (the first 64) if
 * the caller wants them all. True when the first is all it wants.
 */
static inline bool
note_match(size_t i, int *first, uint64_t *all)
{
	if (*first < 0)
		*first = (int)i;
	if (all && i < 64)
		*all |= (uint64_t)1 << i;
	return !all;
}

/*
 * matcher_match() for an ASCII word w[0..wl), compared in place: the same
 * tests as on the lower-cased copy (the Arabic one never applies), and, as
 * the copy would fail, no match for a word longer than the scratch cap.
 */
static int
match_ascii(const struct matcher *m, const char *w, size_t wl, uint64_t *all)
{
	size_t i, tl;
	unsigned char c0, c1;
	unsigned bit;
	int first = -1;

	if (!wl || wl > m->scratch.cap)
		return -1;
	c0 = (unsigned char)w[0];
	c1 = wl >= 2 ? (unsigned char)w[1] : 0;
	bit = pair_bit((unsigned char)(c0 >= 'A' && c0 <= 'Z' ? c0 + 32 : c0),
	    (unsigned char)(c1 >= 'A' && c1 <= 'Z' ? c1 + 32 : c1));
	if (!(m->pairs[bit >> 3] & (1u << (bit & 7))))
		return -1;
	for (i = 0; i < m->nterms; i++) {
		tl = m->lens[i];
		if (ascii_word_matches(m, w, wl, m->terms[i], tl,
		    m->y_stem[i]) && note_match(i, &first, all))
			return first;
	}
	return first;
}

/* Words up to this long are normalised on the stack, not in scratch. */
#define SHORT_WORD 128

/*
 * The first term the word text[start..end) matches, or -1; with all, also
 * every matching term (the first 64) as bits of *all.
 */
static int
match_terms(struct matcher *m, const char *text, size_t start, size_t end,
    uint64_t *all)
{
	char short_word[TEXT_NORMALIZED_MAX(SHORT_WORD) + 1];
	struct letters has;
	size_t i, tl, wl;
	char *w;
	bool arabic;
	unsigned char c;
	int first = -1;

	c = (unsigned char)text[start];
	if (c < 0x80) {
		/* most words: reject on the first letter without copying */
		c = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		if (!(m->first[c >> 3] & (1u << (c & 7))))
			return -1;
	} else if (!m->any_non_ascii) {
		return -1;
	}
	for (i = start; i < end && (unsigned char)text[i] < 0x80; i++)
		;
	if (i == end)	/* ASCII: no normalisation needed, nor a copy */
		return match_ascii(m, text + start, end - start, all);
	if (end - start <= SHORT_WORD) {
		/* never longer than scratch's cap, which only a long word meets */
		wl = text_normalize_to(short_word, text + start, end - start);
		short_word[wl] = '\0';
		w = short_word;
	} else {
		buf_reset(&m->scratch);
		text_normalize(&m->scratch, text + start, end - start);
		if (m->scratch.err)
			return -1;
		w = m->scratch.data;
		wl = m->scratch.len;
	}
	if (!wl)
		return -1;
	for (i = 0; i < wl; i++)
		if (w[i] >= 'A' && w[i] <= 'Z')
			w[i] = (char)(w[i] + 32);
	arabic = (unsigned char)w[0] >= 0xD8 && (unsigned char)w[0] <= 0xDB;
	if (arabic) {
		fold_hamza(w, wl);
		letters_of(w, wl, &has);
	}
	for (i = 0; i < m->nterms; i++) {
		tl = m->lens[i];
		/* most pairs end here, before any comparison of bytes */
		if (arabic && !letters_within(&m->letters[i], &has))
			continue;
		if ((arabic ? arabic_word_matches(w, wl, m->folded &&
		    m->folded[i] ? m->folded[i] : m->terms[i], tl) :
		    ascii_word_matches(m, w, wl, m->terms[i], tl,
		    m->y_stem[i])) && note_match(i, &first, all))
			return first;
	}
	return first;
}

int
matcher_match(struct matcher *m, const char *text, size_t start, size_t end)
{
	return match_terms(m, text, start, end, NULL);
}

uint64_t
matcher_match_set(struct matcher *m, const char *text, size_t start,
    size_t end)
{
	uint64_t all = 0;

	match_terms(m, text, start, end, &all);
	return all;
}

unsigned
matcher_covered(struct matcher *m, const char *s)
{
	size_t p = 0, start, end, len = strlen(s);
	uint64_t seen = 0;
	unsigned hits = 0;
	int t;

	while (text_next_word(s, len, &p, &start, &end)) {
		t = matcher_match(m, s, start, end);
		if (t >= 0 && !(seen & ((uint64_t)1 << (t & 63)))) {
			seen |= (uint64_t)1 << (t & 63);
			hits++;
		}
	}
	return hits;
}

size_t
snippet_words(const char *text, size_t len, struct word_span **out)
{
	struct word_span *w = NULL;
	size_t n = 0, alloc = 0, p, start, end;

	for (p = 0; text_next_word(text, len, &p, &start, &end);) {
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : len / 5 + 16;
			w = xrealloc(w, alloc * sizeof(*w));
		}
		w[n].start = (uint16_t)start;
		w[n].end = (uint16_t)end;
		n++;
	}
	*out = w;
	return n;
}

static void cut(const char *text, size_t len, struct word *words,
    size_t nwords, size_t max, struct snippet *out);

void
snippet_cut(struct matcher *m, const char *text, size_t len, size_t max,
    struct snippet *out)
{
	struct word *words = NULL;
	size_t nwords = 0, alloc = 0, p, start, end;

	/* split into words, noting which match */
	for (p = 0; text_next_word(text, len, &p, &start, &end);) {
		if (nwords == alloc) {
			/* most text has a word every 5 to 8 bytes: one allocation */
			alloc = alloc ? alloc * 2 : len / 4 + 16;
			words = xrealloc(words, alloc * sizeof(*words));
		}
		words[nwords].start = start;
		words[nwords].end = end;
		words[nwords].term = matcher_match(m, text, start, end);
		nwords++;
	}
	cut(text, len, words, nwords, max, out);
	free(words);
}

void
snippet_cut_words(struct matcher *m, const char *text, size_t len,
    const struct word_span *spans, size_t nspans, size_t max,
    struct snippet *out)
{
	struct word *words = xmalloc((nspans ? nspans : 1) * sizeof(*words));
	size_t i;

	for (i = 0; i < nspans; i++) {
		words[i].start = spans[i].start;
		words[i].end = spans[i].end;
		words[i].term = matcher_match(m, text, spans[i].start, spans[i].end);
	}
	cut(text, len, words, nspans, max, out);
	free(words);
}

/* The snippet of text from its words, the matching ones marked. */
static void
cut(const char *text, size_t len, struct word *words, size_t nwords,
    size_t max, struct snippet *out)
{
	size_t i, j, best = 0, wend, p;
	long best_score = -1, score;
	uint64_t seen;
	struct buf b;
	bool space = false;

	buf_init(&b, max * 2 + 16);
	/* the window (from a few words before a match) with most distinct terms */
	for (i = 0; i < nwords; i++) {
		if (words[i].term < 0)
			continue;
		size_t from = i > 4 ? i - 4 : 0;
		seen = 0;
		score = 0;
		for (j = from; j < nwords && words[j].end - words[from].start <= max; j++) {
			if (words[j].term < 0)
				continue;
			if (!(seen & ((uint64_t)1 << (words[j].term & 63))))
				score += 10;
			seen |= (uint64_t)1 << (words[j].term & 63);
			score++;
		}
		if (score > best_score) {
			best_score = score;
			best = from;
		}
	}
	if (nwords == 0)
		goto done;
	wend = best;
	while (wend + 1 < nwords && words[wend + 1].end - words[best].start <= max)
		wend++;
	if (best > 0)
		buf_puts(&b, "… ");
	/* copy the window, collapsing white space and table pipes */
	for (i = best; i <= wend; i++) {
		if (i > best) {
			for (p = words[i - 1].end; p < words[i].start; p++) {
				char c = text[p];
				if (c == ' ' || c == '\n' || c == '\t' || c == '\r' ||
				    c == '|') {
					space = true;
					continue;
				}
				if (space && b.len)
					buf_putc(&b, ' ');
				space = false;
				buf_putc(&b, c);
			}
			if (space)
				buf_putc(&b, ' ');
			space = false;
		}
		if (words[i].term >= 0) {
			out->segs = xrealloc(out->segs,
			    (out->nsegs + 1) * sizeof(*out->segs));
			out->segs[out->nsegs++] = (struct snippet_seg){ b.len,
			    words[i].end - words[i].start, true };
			buf_append(&b, text + words[i].start,
			    words[i].end - words[i].start);
		} else {
			buf_append(&b, text + words[i].start,
			    words[i].end - words[i].start);
		}
	}
	/* trailing punctuation of the last word, then an ellipsis if cut */
	p = words[wend].end;
	if (p < len && (text[p] == '.' || text[p] == '?' || text[p] == '!'))
		buf_putc(&b, text[p]);
	else if (wend + 1 < nwords || len > words[wend].end + 1)
		buf_puts(&b, " …");
done:
	out->snippet = buf_detach(&b, NULL);
	if (!out->snippet)
		out->snippet = xstrdup("");
	/* fill the gaps between highlights with plain segments */
	{
		struct snippet_seg *segs = NULL;
		size_t n = 0, at = 0, slen = strlen(out->snippet);

		for (i = 0; i < out->nsegs; i++) {
			segs = xrealloc(segs, (n + 2) * sizeof(*segs));
			if (out->segs[i].off > at)
				segs[n++] = (struct snippet_seg){ at,
				    out->segs[i].off - at, false };
			segs[n++] = out->segs[i];
			at = out->segs[i].off + out->segs[i].len;
		}
		if (at < slen) {
			segs = xrealloc(segs, (n + 1) * sizeof(*segs));
			segs[n++] = (struct snippet_seg){ at, slen - at, false };
		}
		free(out->segs);
		out->segs = segs;
		out->nsegs = n;
	}
}

