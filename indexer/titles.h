/*
 * titles.h - the titles of one index revision, word by word, in memory,
 * so that search-as-you-type completes a partial query without asking
 * Xapian: a keystroke costs a few binary searches and a walk over the
 * postings of the words typed, no database blocks read or inflated.
 *
 * Titles are read as the index reads them: normalised (text.h), lower-
 * cased, split into words (text_next_word), each word stemmed by the
 * stemmer of its script (Arabic or English). A title matches a query when
 * each word typed is in it (same stem); the last word, unless a space
 * follows it, may also be the start of a title word. Stopwords typed are
 * left out, unless every word typed is one. Matches are ranked by BM25 over
 * titles alone (a word's weight falls with the number of titles holding
 * it and with the length of the title), then shorter titles, then lower
 * docids.
 *
 * Build one with titles_new(), titles_add() and titles_seal(); after
 * sealing it is read-only, and any number of threads may complete from it
 * at once, each with its own titles_scratch.
 */
#ifndef KB_TITLES_H
#define KB_TITLES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Words of a query read at most: a longer one completes nothing. */
#define TITLES_QUERY_WORDS 32

struct titles;
struct xc_stemmer;

/* Stemmers for both scripts (xapian_c.h), made when first needed. */
struct titles_stemmers {
	struct xc_stemmer *en, *ar;
};

/* What one thread's completions reuse; zero it before the first, and
 * release it with titles_scratch_release(). */
struct titles_scratch {
	struct titles_stemmers stemmers;	/* not made per keystroke */
	struct titles_acc *acc;	/* by docid */
	size_t nacc;
	uint32_t stamp;		/* of the current completion in acc */
	unsigned *touched;	/* docids matching the first word */
	size_t ntouched, alloc_touched;
};

void titles_scratch_release(struct titles_scratch *sc);

/* An empty set of titles; NULL when out of memory. */
struct titles *titles_new(void);
void titles_free(struct titles *t);

/*
 * Add the title of document docid (UTF-8, as written), each docid once,
 * before titles_seal(). Titles of more than 65,535 words count as that.
 */
void titles_add(struct titles *t, unsigned docid, const char *title);

/* Sort and stem what was added; titles_complete() may run from then on. */
void titles_seal(struct titles *t);

/* Titles added (with at least one word). */
unsigned titles_count(const struct titles *t);

/*
 * The best (at most max) titles for query q (UTF-8): their docids into
 * docids[], best first; returns how many.
 */
size_t titles_complete(const struct titles *t, struct titles_scratch *sc,
    const char *q, unsigned *docids, size_t max);

#ifdef __cplusplus
}
#endif
#endif
