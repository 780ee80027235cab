/*
 * standing.h - what agents' "did this solve it?" votes say of each article,
 * for search to nudge near-ties towards the articles that helped
 * (search.h: struct search_prior).
 *
 * An article's standing is the lower bound of the 95 % Wilson interval of
 * its share of helpful votes: 0 without a helpful vote, 0.21 for one vote
 * of one, 0.72 for ten of ten, 0.24 for five of ten. Not-helpful votes only
 * lower it: an article is never pushed down for them (its flags go to
 * L2/L3 instead). The votes are read into one immutable table, shared by
 * all threads and read again after a vote (feedback_votes_changed()).
 */
#ifndef KB_STANDING_H
#define KB_STANDING_H

#include <stdint.h>

#include "search.h"

struct store;
struct standing;
struct standing_cache;

struct standing_cache *standing_cache_new(void);
/* After the last search that used one of its tables. */
void standing_cache_free(struct standing_cache *c);

/*
 * The standings now, read from st if a vote was recorded since the last
 * read, as a reference the caller drops with standing_unref() after the
 * search; NULL if no article has a helpful vote (or the votes cannot be
 * read: logged, and searched without them). *prior is set to read it,
 * or to all zero for NULL: give it to search_request.prior either way.
 */
struct standing *standing_prior(struct standing_cache *c, struct store *st,
    struct search_prior *prior);
void standing_unref(struct standing *t);
/*
 * slug's helpful votes and all its votes in t, for showing: 0 and 0 for an
 * article without a helpful vote, or t NULL.
 */
void standing_votes(const struct standing *t, const char *slug,
    int64_t *helpful, int64_t *votes);

/* Helpful votes of helpful + not_helpful, as a standing in [0, 1). */
double standing_score(int64_t helpful, int64_t not_helpful);

#endif
