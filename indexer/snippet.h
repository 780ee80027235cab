/*
 * snippet.h - which words of a text match a query, and the excerpt of a
 * result around them. Matching is cheap and mostly without a stemmer: a
 * word matches a term equal to it, or, for terms of 4+ characters, one it
 * starts with (stems such as "configur" in "configured", and forms the
 * stemmer does not join, "shown" for "show"), also where an English stem
 * has 'i' for the word's 'y' ("polici" in "policy"). A term of 2 or 3
 * characters starts too many unrelated words ("not" in "notice", "app" in
 * "apply", "use" in "user"), so a longer word matches it only if the
 * English stemmer gives that word the term ("apps", "logged", "settings",
 * "IIS" for "ii").
 * Arabic words also match a 3+ letter term they contain, because Arabic
 * stems drop prefixes as well. Both sides are normalised first (text.h),
 * and Arabic ones have ء, ؤ and ئ folded as the Arabic stemmer reads them.
 */
#ifndef KB_SNIPPET_H
#define KB_SNIPPET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "xapian_c.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The Arabic letters (U+0600 to U+06FF) a string has, as bits, and whether
 * it has any other byte: a term can only be part of a word whose letters
 * include its own.
 */
struct letters {
	uint64_t arabic[4];
	bool other;
};

/* The terms to look for; the matcher borrows them (they must outlive it). */
struct matcher {
	char *const *terms;	/* lower-case, normalised */
	size_t nterms;		/* at most 64 are told apart */
	char **folded;		/* owned: each Arabic term with its hamza
				   folded (matcher_init), NULL if the same;
				   NULL if there are none */
	size_t *lens;		/* strlen of each term */
	unsigned char first[32];	/* bit set of the terms' first bytes */
	unsigned char pairs[512];	/* bit set of their first two bytes,
					   hashed (matcher_match) */
	bool *y_stem;		/* of each term: 3+ bytes ending in 'i' */
	bool any_non_ascii;	/* a term that is not ASCII (Arabic) */
	struct letters *letters;	/* owned: of each term (folded), the
					   letters an Arabic word needs to
					   hold it; NULL if no term is Arabic */
	xc_stemmer *english;	/* borrowed; NULL: short terms match only
				   words equal to them */
	struct buf scratch;
};

/*
 * Start matching terms, with the English stemmer english (may be NULL) for
 * the words that start with a short term; both are borrowed.
 */
void matcher_init(struct matcher *m, char *const *terms, size_t nterms,
    xc_stemmer *english);
void matcher_release(struct matcher *m);
/* The index of the term the word text[start..end) matches, or -1. */
int matcher_match(struct matcher *m, const char *text, size_t start,
    size_t end);
/* Every term (of the first 64) that word matches, as bits. */
uint64_t matcher_match_set(struct matcher *m, const char *text, size_t start,
    size_t end);
/* How many distinct terms the words of s (NUL-terminated) match. */
unsigned matcher_covered(struct matcher *m, const char *s);

/* A run of a snippet: snippet[off..off+len), highlighted or not. */
struct snippet_seg {
	size_t off, len;
	bool hl;
};

struct snippet {
	char *snippet;		/* plain text; "" if the text was empty */
	struct snippet_seg *segs;	/* covering all of snippet, in order */
	size_t nsegs;
};

/*
 * Cut about max bytes of text[0..len) around the window with the most
 * distinct matching words (the start if none match), white space folded,
 * "…" where cut. Fills *out, which the caller frees with snippet_release().
 */
void snippet_cut(struct matcher *m, const char *text, size_t len, size_t max,
    struct snippet *out);

/* A word of a text by byte offsets, for texts of up to WORD_SPAN_MAX bytes. */
#define WORD_SPAN_MAX UINT16_MAX
struct word_span {
	uint16_t start, end;
};

/*
 * The words of text[0..len), as text_next_word() finds them, for a text
 * that is cut again and again (snapshot.h): finding them is half the work
 * of a snippet. len is at most WORD_SPAN_MAX. Returns their number; *out
 * is malloc'd (the caller frees it), NULL if there are none.
 */
size_t snippet_words(const char *text, size_t len, struct word_span **out);
/* snippet_cut() of a text whose words snippet_words() found. */
void snippet_cut_words(struct matcher *m, const char *text, size_t len,
    const struct word_span *words, size_t nwords, size_t max,
    struct snippet *out);
void snippet_release(struct snippet *s);

#ifdef __cplusplus
}
#endif
#endif
