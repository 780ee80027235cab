/*
 * search.h - querying the article index: one struct search per thread
 * (Xapian handles are not shared between threads).
 *
 * Queries are normalised like indexed text (text.h), stemmed by the
 * query's script, widened with the synonym groups stored in the index,
 * restricted to published articles unless asked otherwise, spell-corrected
 * when they contain unknown words, and fall back to plain words when the
 * query syntax is broken. Snippets are cut from the bounded text stored in
 * each document, never from the Markdown file.
 */
#ifndef KB_SEARCH_H
#define KB_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "snippet.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SEARCH_QUERY_MAX 1024	/* bytes; longer queries are refused */
#define SEARCH_LIMIT_MAX 50	/* hits per page */
#define SEARCH_FACET_DEPTH 300	/* facets count among this many top matches */

struct search;
struct snapshot_cache;

/*
 * Open the index at dir for reading. KB_ENOTFOUND if there is none. The
 * reader keeps what every search reads of the documents in memory
 * (snapshot.h), in a cache of its own.
 */
int search_open(const char *dir, struct search **out, char **errmsg);
/*
 * The same, the readers of all threads sharing cache (snapshot.h), which
 * must outlive them: one copy of the documents in memory, not one a thread.
 */
int search_open_shared(const char *dir, struct snapshot_cache *cache,
    struct search **out, char **errmsg);
void search_close(struct search *s);
/* Pick up a newer committed index revision (and its synonyms), if any. */
int search_refresh(struct search *s);

/*
 * What readers think of articles: standing(ctx, slug) in [0, 1], 0 for
 * nothing known. It nudges near-ties among the re-ranked hits (rank.h:
 * RANK_STANDING_NUDGE at most), never more. Borrowed for the search.
 */
struct search_prior {
	double (*standing)(void *ctx, const char *slug);
	void *ctx;
};

struct search_request {
	const char *q;		/* as typed, UTF-8, at most SEARCH_QUERY_MAX */
	unsigned offset;	/* first hit */
	unsigned limit;		/* hits wanted, at most SEARCH_LIMIT_MAX */
	const char *lang;	/* "en", "ar" or NULL for any */
	bool all_statuses;	/* include draft, review and archived articles */
	bool drafts;		/* include draft and review ones (not archived) */
	bool facets;		/* count facet values */
	bool spelling;		/* correct unknown words ("did you mean") */
	bool faq;		/* find FAQ entries that answer the query */
	const struct search_prior *prior;	/* or NULL (or its standing
				   NULL): Xapian's order breaks ties alone */
};

#define SEARCH_IN_TITLE		(1u << 0)
#define SEARCH_IN_TAGS		(1u << 1)
#define SEARCH_IN_SUMMARY	(1u << 2)
#define SEARCH_IN_BODY		(1u << 3)

struct search_hit {
	double score;
	json_t *doc;		/* stored fields: slug, title, summary, tags, ...;
				   shared with other threads' results: never
				   change it (json_incref() it to keep it) */
	struct snippet snippet;	/* excerpt around the matches */
	char **matched;		/* words of the hit that matched the query */
	size_t nmatched;
	unsigned fields;	/* where they matched: SEARCH_IN_* bits */
	bool quoted;		/* has the query word for word (rank.h:
				   RANK_PHRASE_MIN words or more) */
};

enum search_facet_id {
	FACET_TAG, FACET_PRODUCT, FACET_CATEGORY, FACET_LANG, FACET_AUDIENCE,
	SEARCH_NFACETS
};
/* The query field of each facet ("tag", "product", …), by enum search_facet_id. */
extern const char *const search_facet_fields[SEARCH_NFACETS];

struct facet_value {
	char *value;		/* as written in the articles */
	unsigned count;
};

struct search_facet {
	struct facet_value *values;	/* most frequent first */
	size_t n;
};

struct search_result {
	unsigned total;		/* estimated matches in all */
	struct search_hit *hits;
	size_t nhits;
	bool plain_fallback;	/* the query had a syntax error: searched as words */
	char *corrected;	/* unknown words corrected: this query was run (or NULL) */
	char *suggestion;	/* a correction offered but not run (or NULL) */
	struct search_facet facets[SEARCH_NFACETS];	/* if asked for */
	json_t *faq;		/* [{q, a, slug, title, lang}] answering the query */
};

/*
 * Run a search. KB_EINVAL for a request out of bounds (query too long or not
 * UTF-8, limit too big). *res is released with search_result_release(),
 * also after a failure.
 */
int search_run(struct search *s, const struct search_request *req,
    struct search_result *res);
void search_result_release(struct search_result *res);

/*
 * Titles for search-as-you-type: published articles whose title matches q,
 * its last word taken as a prefix. *out is a new array of {slug, title, lang}.
 */
int search_suggest(struct search *s, const char *q, unsigned limit,
    json_t **out);

/*
 * Articles like the one with this slug (same language, published), from
 * the terms that best describe it. *out is a new array of {slug, title, lang}.
 */
int search_related(struct search *s, const char *slug, unsigned limit,
    json_t **out);

/*
 * The stored fields of the article with this slug (see schema.h), which
 * the caller releases with json_decref(). KB_ENOTFOUND if none.
 */
int search_find(struct search *s, const char *slug, json_t **doc);

/*
 * Call fn with the stored fields of every article in status ("published",
 * "review", ...), only those with FAQ entries if faq_only; fn must not keep
 * doc. Stops early if fn returns non-zero.
 */
int search_each(struct search *s, const char *status, bool faq_only,
    int (*fn)(void *ctx, json_t *doc), void *ctx);

/* Number of articles, and of them how many have FAQ entries. */
int search_counts(struct search *s, unsigned *articles, unsigned *with_faq);
/* The same and the index revision this reader sees. */
int search_stats(struct search *s, unsigned *articles, unsigned *with_faq,
    uint64_t *revision);

#ifdef __cplusplus
}
#endif
#endif
