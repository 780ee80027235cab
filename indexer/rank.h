/*
 * rank.h - re-ranking the top matches of a search by what their titles,
 * summaries and tags say about the query. BM25 alone puts a long article
 * that repeats a rare word above the one whose title is the caller's
 * problem; the signals and their weights are in rank.c and the README
 * ("Ranking"), measured with `make quality`.
 */
#ifndef KB_RANK_H
#define KB_RANK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snippet.h"
#include "xapian_c.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RANK_DEPTH 30		/* how many of Xapian's best are re-ranked */
#define RANK_SEQ_MAX 32		/* query words looked at for word pairs */
/*
 * Words, stopwords too, that make a query worth finding as a phrase: an
 * article with them all one after another says what the caller read out
 * ("not allowed to connect to the Microsoft Update service").
 */
#define RANK_PHRASE_MIN 3
/*
 * Most a candidate's standing (search.h: search_prior) adds to its score:
 * half the smallest signal (LANG_MATCH, in rank.c), so it reorders near
 * ties only, never an article that answers the query better.
 */
#define RANK_STANDING_NUDGE 0.05

/*
 * What a title (or a query) says about itself: the platforms it names, and
 * whether it is a guide, about a problem, in Arabic. A title's never change,
 * so the snapshot (snapshot.h) works them out once per revision instead of
 * every search re-reading 30 titles word by word.
 */
struct rank_traits {
	uint8_t platforms;	/* bit i: names the i-th platform (rank.c) */
	bool guide;		/* a guide to a whole area ("Troubleshoot ...") */
	bool problem;		/* about something going wrong */
	bool arabic;		/* text_detect_lang(s, len, 0.5) says "ar" */
};

/* The traits of s (NUL-terminated); "" has none, all zero. */
struct rank_traits rank_traits_of(const char *s);

struct rank_candidate {
	unsigned rank;		/* position in the mset (Xapian's order) */
	double score;		/* Xapian's weight in, the new score out */
	const char *title;	/* borrowed: SLOT_ABOUT up to its '\x1f', or
				   NULL if it could not be read */
	const char *about;	/* borrowed: the summary and tags after it, or
				   NULL if the value has no '\x1f' */
	/* borrowed: the words of title and about (snippet_words()), split
	 * once by the snapshot; NULL: rank_candidates() splits them */
	const struct word_span *title_words, *about_words;
	size_t ntitle_words, nabout_words;
	struct rank_traits traits;	/* title's, if has_traits */
	bool has_traits;	/* false: rank_candidates() works them out */
	double standing;	/* readers' votes, 0..1 (search_prior); 0 none */
	bool has_phrase;	/* has the query's words one after another
				   (RANK_PHRASE_MIN or more of them) */
};

/* What re-ranking needs to know of the query, worked out once. */
struct rank_query {
	struct matcher *matcher;	/* borrowed: the query's terms */
	const char *text;	/* borrowed: the normalised query */
	unsigned words;		/* words that carry meaning */
	int seq[RANK_SEQ_MAX];	/* each word's term number in matcher, in
				   order, stopwords left out; -2 a word no
				   term matches */
	size_t nseq;
	/*
	 * For each term (of the first 64), the words of seq it stands for, as
	 * bits: its own word's, and a synonym's for the word that brought
	 * its group in ("licence" for "license").
	 */
	uint32_t stands_for[64];
	uint32_t sayable;	/* all of stands_for: what a text can cover */
};

/*
 * Fill q for text (normalised), the matcher of its terms and the extra
 * texts the query was widened with (synonym groups: xapian_c.h). The
 * words titles and summaries are to cover are those of known (text with
 * the words no article has blanked out; NULL: text), words of them
 * carrying meaning; the query's script, codes and kind are text's.
 */
void rank_query_init(struct rank_query *q, struct matcher *m, const char *text,
    const char *known, unsigned words,
    bool (*is_stopword)(const char *w, size_t len),
    const struct xc_text *extra, size_t nextra);

/*
 * Re-score c[0..n), whose scores are Xapian's weights, from each
 * candidate's title, summary and tags (SLOT_ABOUT, which the caller
 * reads), its title's traits (worked out here unless has_traits), its
 * standing and whether it has the query as a phrase, and sort them best
 * first (ties keep Xapian's order).
 */
void rank_candidates(struct rank_candidate *c, size_t n,
    const struct rank_query *q);

#ifdef __cplusplus
}
#endif
#endif
