/*
 * search.h - querying the article index: one struct search per thread
 * (Xapian handles are not shared between threads).
 *
 * Queries are normalised like indexed text (text.h), stemmed by the
 * query's script, restricted to published articles unless asked otherwise,
 * and fall back to plain words when the query syntax is broken. Snippets
 * are cut from the bounded text stored in each document, never from the
 * Markdown file.
 */
#ifndef KB_SEARCH_H
#define KB_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SEARCH_QUERY_MAX 1024	/* bytes; longer queries are refused */
#define SEARCH_LIMIT_MAX 50	/* hits per page */

struct search;

/* Open the index at dir for reading. KB_ENOTFOUND if there is none. */
int search_open(const char *dir, struct search **out, char **errmsg);
void search_close(struct search *s);
/* Pick up a newer committed index revision, if any. */
int search_refresh(struct search *s);

struct search_request {
	const char *q;		/* as typed, UTF-8, at most SEARCH_QUERY_MAX */
	unsigned offset;	/* first hit */
	unsigned limit;		/* hits wanted, at most SEARCH_LIMIT_MAX */
	const char *lang;	/* "en", "ar" or NULL for any */
	bool all_statuses;	/* include draft and archived articles */
};

/* A run of a snippet: snippet[off..off+len), highlighted or not. */
struct snippet_seg {
	size_t off, len;
	bool hl;
};

struct search_hit {
	double score;
	json_t *doc;		/* stored fields: slug, title, summary, tags, ... */
	char *snippet;		/* plain-text excerpt around the matches */
	struct snippet_seg *segs;
	size_t nsegs;
	char **matched;		/* words of the hit that matched the query */
	size_t nmatched;
	unsigned fields;	/* where they matched: SEARCH_IN_* bits */
};

#define SEARCH_IN_TITLE		(1u << 0)
#define SEARCH_IN_TAGS		(1u << 1)
#define SEARCH_IN_SUMMARY	(1u << 2)
#define SEARCH_IN_BODY		(1u << 3)

struct search_result {
	unsigned total;		/* estimated matches in all */
	struct search_hit *hits;
	size_t nhits;
	bool plain_fallback;	/* the query had a syntax error: searched as words */
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
 * The stored fields of the article with this slug (see schema.h), which
 * the caller releases with json_decref(). KB_ENOTFOUND if none.
 */
int search_find(struct search *s, const char *slug, json_t **doc);

/*
 * Call fn with the stored fields of every published article that has FAQ
 * entries (fn must not keep doc). Stops early if fn returns non-zero.
 */
int search_each_faq(struct search *s, int (*fn)(void *ctx, json_t *doc),
    void *ctx);

/* Number of articles, and of them how many have FAQ entries. */
int search_counts(struct search *s, unsigned *articles, unsigned *with_faq);

/*
 * Cut a snippet of about max bytes from text, centred on the words that
 * match terms (lowercase; a word matches a term equal to it or, for terms
 * of 3+ characters, starting with it, as stems do). Exposed for tests.
 */
void search_snippet(const char *text, size_t len, char *const *terms,
    size_t nterms, size_t max, struct search_hit *hit);

#ifdef __cplusplus
}
#endif
#endif
