/*
 * snippet.h - which words of a text match a query, and the excerpt of a
 * result around them. Matching is deliberately simple (no stemmer here):
 * a word matches a term equal to it, or, for terms of 3+ characters, one
 * it starts with (stems such as "configur" in "configured"), also where an
 * English stem has 'i' for the word's 'y' ("polici" in "policy"); Arabic words
 * also match a 3+ letter term they contain, because Arabic stems drop
 * prefixes as well. Both sides are normalised first (text.h).
 */
#ifndef KB_SNIPPET_H
#define KB_SNIPPET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The terms to look for; the matcher borrows them (they must outlive it). */
struct matcher {
	char *const *terms;	/* lower-case, normalised */
	size_t nterms;		/* at most 64 are told apart */
	size_t *lens;		/* strlen of each term */
	unsigned char first[32];	/* bit set of the terms' first bytes */
	bool any_non_ascii;	/* a term that is not ASCII (Arabic) */
	struct buf scratch;
};

void matcher_init(struct matcher *m, char *const *terms, size_t nterms);
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
void snippet_release(struct snippet *s);

#ifdef __cplusplus
}
#endif
#endif
