/*
 * query.h - a caller's words, read for the index: normalised (text.h),
 * contractions given back their apostrophe, field filters (tag:vpn) taken
 * out as required terms, and the alternatives ORed in: synonym groups
 * (synonyms.h) and the words of a second script. search.c runs what this
 * reads. The stopwords, field prefixes and hidden statuses every search
 * shares are here too.
 */
#ifndef KB_QUERY_H
#define KB_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "synonyms.h"
#include "xapian_c.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TERMSET_MAX 64		/* more terms than any query needs */
#define QUERY_EXTRA_MAX 64

/* Distinct strings, in the order added, at most TERMSET_MAX; owns them. */
struct termset {
	char **v;
	size_t n;
};

/* Add s[0..len) unless empty, there already or full (ctx: a termset). */
void termset_add(void *ctx, const char *s, size_t len);
void termset_release(struct termset *t);

struct query {
	struct buf text;	/* normalised, filters taken out */
	struct termset filters;	/* boolean terms, every one required */
	/* ORed in (xapian_c.h): texts owned here; empty for a query with
	 * syntax, where alternatives would escape NOT and -word */
	struct xc_text extra[QUERY_EXTRA_MAX];
	size_t nextra;
	unsigned groups;	/* synonym groups among them */
};

/*
 * Read text (valid UTF-8) into q, expanding with syn (may be NULL). q is
 * freed with query_release(), even if text.err is set (out of memory).
 */
void query_read(struct query *q, const char *text, const struct synonyms *syn);
void query_release(struct query *q);

/* Is w[0..len) (normalised) a word too common to search for? */
bool query_is_stopword(const char *w, size_t len);

/* Does q use query syntax (phrases, operators, +/-)? Brackets without
 * an operator do not count: pasted error text is full of them. */
bool query_has_syntax(const char *q);

/* Words of normalised q that carry meaning: no stopwords, no field:value. */
unsigned query_count_words(const char *q);

/*
 * Statuses L1 searches never see, as status terms: draft, archived,
 * review. Writers looking for drafts skip the first: only the archive is
 * hidden from them.
 */
#define QUERY_NHIDDEN 3
extern const char *const query_hidden[QUERY_NHIDDEN];

/*
 * What every search shares: text (borrowed) with its script's stemmer,
 * the stopwords and field prefixes, and unless all_statuses the hidden
 * statuses excluded (with drafts, only the archive). *xs is reset first.
 */
void query_base(struct xc_search *xs, const char *text, bool all_statuses,
    bool drafts);

#ifdef __cplusplus
}
#endif
#endif
