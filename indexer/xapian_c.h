/*
 * xapian_c.h - a plain C API over the parts of Xapian kbd uses.
 *
 * Handles are opaque. Every call returns a kb_err code (KB_OK on success);
 * no C++ exception ever crosses this header. After a failure on a handle,
 * xc_*_errmsg() gives Xapian's message (valid until the next call on that
 * handle). A reader that fails with KB_EMODIFIED should xc_rdb_reopen() and
 * retry. Strings handed out are malloc'd copies that the caller frees,
 * unless a comment says otherwise.
 *
 * Handles are not thread-safe: use one per thread.
 */
#ifndef KB_XAPIAN_C_H
#define KB_XAPIAN_C_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "err.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xc_rdb xc_rdb;	/* a database opened for reading */
typedef struct xc_wdb xc_wdb;	/* a database opened for writing */
typedef struct xc_doc xc_doc;	/* a document being built */
typedef struct xc_mset xc_mset;	/* one page of search results */
typedef struct xc_stemmer xc_stemmer;	/* one thread's stemmer */

/*
 * Call once at program start, before any thread: a writer then flushes
 * its changes to disk every XC_FLUSH_DOCS documents unless the
 * environment's XAPIAN_FLUSH_THRESHOLD says otherwise. Xapian's 10,000
 * keeps the whole shared corpus in memory (peak 361 MiB) and is no faster:
 * 1,000 peaks at 103 MiB and indexed it in a median 27.2 s against 34.5 s.
 */
#define XC_FLUSH_DOCS "1000"
void xc_init(void);

/* ---- reading ---- */

/* Open path for reading. On failure *errmsg (if given) gets a malloc'd message. */
int xc_rdb_open(const char *path, xc_rdb **out, char **errmsg);
void xc_rdb_close(xc_rdb *db);
const char *xc_rdb_errmsg(const xc_rdb *db);
/* Move to the latest committed revision; *changed says whether it moved. */
int xc_rdb_reopen(xc_rdb *db, bool *changed);
int xc_rdb_doccount(xc_rdb *db, unsigned *count);
/* The committed revision this reader sees. */
int xc_rdb_revision(xc_rdb *db, uint64_t *rev);
/*
 * The database's UUID (malloc'd; the caller frees it): a database made
 * anew at the same path has another, and may count revisions from 1 again.
 */
int xc_rdb_uuid(xc_rdb *db, char **uuid);
/* The highest document id in use (0 if none). */
int xc_rdb_lastdocid(xc_rdb *db, unsigned *docid);
/*
 * Call fn with the value in slot of each document that has one, in docid
 * order: a value stream, read sequentially, far cheaper than one lookup per
 * document.
 */
int xc_rdb_each_value(xc_rdb *db, unsigned slot,
    void (*fn)(void *ctx, unsigned docid, const char *value, size_t len),
    void *ctx);
/* Metadata value for key ("" if unset). */
int xc_rdb_metadata(xc_rdb *db, const char *key, char **value);
/* Number of documents indexed by term (0 if none). */
int xc_rdb_termfreq(xc_rdb *db, const char *term, unsigned *freq);
/*
 * The spelling dictionary's closest word to word (at most max_edits
 * edits away), or "" if none. The caller frees *suggestion.
 */
int xc_rdb_spelling(xc_rdb *db, const char *word, unsigned max_edits,
    char **suggestion);
/* The document whose unique id term is idterm; KB_ENOTFOUND if none. */
int xc_rdb_find(xc_rdb *db, const char *idterm, unsigned *docid);
/* Document data; *len gets its length. */
int xc_rdb_data(xc_rdb *db, unsigned docid, char **data, size_t *len);
/*
 * The n terms that best describe document docid (Xapian's expand set from
 * it alone), for "related articles"; fn gets each term with its prefix.
 */
int xc_rdb_expand(xc_rdb *db, unsigned docid, unsigned n,
    void (*fn)(void *ctx, const char *term, size_t len), void *ctx);
/* Call fn for each document indexed by term, in docid order; stop if fn returns non-zero. */
int xc_rdb_each_posting(xc_rdb *db, const char *term,
    int (*fn)(void *ctx, unsigned docid), void *ctx);

/* A query: parsed user text combined with boolean filters. */
struct xc_prefix {
	const char *field;	/* as typed: "tag" */
	const char *prefix;	/* term prefix: "K" */
	bool boolean;		/* a filter (true) or free text (false) */
};

/*
 * Extra query text: group 0 is ORed in as it parses (the words of a second
 * script, with that script's stemmer); texts sharing a group > 0 are
 * alternatives of one synonym group, ORed in as a single OP_SYNONYM.
 * A multi-word alternative matches as the one term the indexer made of it
 * (xc_phrases), under phrase_prefix; without one it is left out.
 */
struct xc_text {
	const char *text;
	const char *stemmer;	/* "english", "arabic" or NULL */
	unsigned group;
};

/*
 * Facets: one value slot holds every facet of a document, as records
 * separated by '\x1e', each "F\x1fvalue" where F is the facet's number
 * ('0' + index, at most XC_MAX_FACETS); a facet may have several records.
 * The match counts them over the documents it examines (check_at_least).
 */
#define XC_MAX_FACETS 8

struct xc_search {
	const char *text;		/* user query, normalised; "" matches all */
	const char *const *raw_terms;	/* index terms ORed in (as they are) */
	size_t nraw_terms;
	const struct xc_text *extra;	/* more text ORed in, each with its stemmer */
	size_t nextra;
	bool partial;			/* the last word is a prefix (search-as-you-type) */
	unsigned facet_slot;		/* +1: count the facets in this slot */
	bool examined;			/* instead, note the documents examined
					   (xc_mset_examined) */
	unsigned sort_slot_ties;	/* +1: break relevance ties by this slot, newest first */
	const char *stemmer;		/* "english", "arabic" or NULL for none */
	const char *default_prefix;	/* NULL for unprefixed terms */
	const char *const *stopwords;	/* NULL-terminated; dropped outside phrases;
				   a static list: each reader builds its
				   stopper once per list it is given */
	const struct xc_prefix *prefixes;	/* field prefixes */
	size_t nprefixes;
	bool plain;			/* parse as plain words: no operators */
	bool match_all;			/* words are ANDed (default: ORed, ranked) */
	const char *const *filter_all;	/* boolean terms all required (may be NULL) */
	size_t nfilter_all;
	const char *const *exclude;	/* boolean terms none allowed */
	size_t nexclude;
	unsigned offset;		/* first hit to return */
	unsigned limit;			/* hits to return */
	unsigned check_at_least;	/* for better total estimates */
	const char *phrase_prefix;	/* multi-word synonyms are terms under
					   it (xc_phrases) */
};

/*
 * Run a search. KB_EINVAL (with errmsg) for a query syntax error: the
 * caller may retry with plain set. *out is freed with xc_mset_free().
 */
int xc_rdb_search(xc_rdb *db, const struct xc_search *s, xc_mset **out);

void xc_mset_free(xc_mset *m);
/*
 * The words of text (normalised) that no document has, as m's search
 * found: the caller's own names where an article has a placeholder, or
 * typing no article shares. fn gets each (lower-cased, not NUL-
 * terminated); returns how many. Reads nothing; 0 if it cannot tell.
 */
unsigned xc_mset_unknown_words(const xc_mset *m, const char *text,
    void (*fn)(void *ctx, const char *word, size_t len), void *ctx);
/*
 * Which of the hits ranks[0..n) of m have the words of text (normalised)
 * one after another in one field, anywhere in it: found[i] for ranks[i].
 * The words unknown[0..nunknown) (as xc_mset_unknown_words() gave them)
 * are left out, and the rest found in order within the text's length.
 * Only the hits' positions are read. Fewer than two words are no phrase:
 * none found.
 */
int xc_mset_phrase_in(xc_mset *m, const char *text, char *const *unknown,
    size_t nunknown, const unsigned *ranks, size_t n, bool *found);
/*
 * Facet f's counted values, most frequent first, one call of fn each
 * (among the documents examined: at least check_at_least).
 */
int xc_mset_facet(xc_mset *m, size_t f,
    void (*fn)(void *ctx, const char *value, size_t len, unsigned count),
    void *ctx);
/*
 * With examined set in the search: the ids of the documents the match
 * examined (at least check_at_least), the ones whose facets
 * xc_mset_facet() would count. *docids stays valid until xc_mset_free().
 */
void xc_mset_examined(const xc_mset *m, const unsigned **docids, size_t *n);
unsigned xc_mset_size(const xc_mset *m);
/* Estimated number of matches in all, and the bounds of that estimate. */
unsigned xc_mset_total(const xc_mset *m);
unsigned xc_mset_docid(const xc_mset *m, unsigned i);
double xc_mset_weight(const xc_mset *m, unsigned i);
int xc_mset_percent(const xc_mset *m, unsigned i);
/* Document data of hit i; the pointer stays valid until xc_mset_free(). */
const char *xc_mset_data(xc_mset *m, unsigned i, size_t *len);
/* Value in slot of hit i, malloc'd (the caller frees it); "" if unset. */
int xc_mset_value(xc_mset *m, unsigned i, unsigned slot, char **value,
    size_t *len);
/*
 * The query's words to highlight, one call of fn per term: without field
 * prefixes, stems without their 'Z'; boolean filter terms are left out.
 */
int xc_mset_query_terms(xc_mset *m,
    void (*fn)(void *ctx, const char *term, size_t len), void *ctx);

/* ---- writing ---- */

/* Open (creating if missing) path for writing; one writer at a time. */
int xc_wdb_open(const char *path, xc_wdb **out, char **errmsg);
/* Close, discarding anything not committed. */
void xc_wdb_close(xc_wdb *db);
const char *xc_wdb_errmsg(const xc_wdb *db);
/* Start a transaction: nothing is visible to readers until xc_wdb_commit(). */
int xc_wdb_begin(xc_wdb *db);
int xc_wdb_commit(xc_wdb *db);
/* Store doc under its unique id term, replacing the document that has it. */
int xc_wdb_replace(xc_wdb *db, const char *idterm, xc_doc *doc);
/* The same for an id term no document has yet: no lookup of the old one. */
int xc_wdb_add(xc_wdb *db, const char *idterm, xc_doc *doc);
int xc_wdb_delete(xc_wdb *db, const char *idterm);
int xc_wdb_set_metadata(xc_wdb *db, const char *key, const char *value);
int xc_wdb_metadata(xc_wdb *db, const char *key, char **value);
/* Add a word to the spelling dictionary (frequency +1). */
int xc_wdb_add_spelling(xc_wdb *db, const char *word);
/*
 * For each term starting with prefix, call fn with the term (without
 * prefix) and the value in slot of the first document it indexes.
 */
int xc_wdb_each_term_value(xc_wdb *db, const char *prefix, unsigned slot,
    void (*fn)(void *ctx, const char *term, const char *value, size_t len),
    void *ctx);

/* ---- documents ---- */

/* NULL on out of memory. With db, words indexed with spelling=true feed
 * db's spelling dictionary. */
xc_doc *xc_doc_new(xc_wdb *db);
void xc_doc_free(xc_doc *doc);
/*
 * Index free text: words (with positions) weighted wdf_inc each, stemmed
 * with stemmer ("english", "arabic", or NULL), under prefix ("" for none).
 * Successive calls continue the positions.
 */
int xc_doc_index_text(xc_doc *doc, const char *text, size_t len,
    unsigned wdf_inc, const char *prefix, const char *stemmer, bool spelling);
/* Leave a gap in positions so that phrases do not match across fields. */
int xc_doc_next_field(xc_doc *doc);
int xc_doc_add_term(xc_doc *doc, const char *term);	/* boolean term */

/* The longest term to add: Xapian refuses a document with one over 245 bytes. */
#define XC_TERM_MAX 240

/*
 * Phrases indexed as single terms. A synonym such as "windows update" or
 * "unable to" matched as a phrase query costs a read of the positions of
 * every document that has all its words; as one term it costs a posting
 * list. xc_doc_add_phrases() adds prefix + phrase to a document whose
 * text (indexed so far) has the phrase's words at adjacent positions, with
 * the wdf a phrase query gives it (the smallest of its words'), so that
 * scores stay as they were. Build one set per indexing run.
 */
typedef struct xc_phrases xc_phrases;
/* From phrases separated by '\n' (NULL on out of memory); owns no argument. */
xc_phrases *xc_phrases_new(const char *list, const char *prefix);
void xc_phrases_free(xc_phrases *p);
int xc_doc_add_phrases(xc_doc *doc, const xc_phrases *p);
int xc_doc_set_value(xc_doc *doc, unsigned slot, const char *value, size_t len);
int xc_doc_set_data(xc_doc *doc, const char *data, size_t len);

/* ---- words, outside any database ---- */

/*
 * A stemmer for a language name ("english", "arabic" as text_stemmer_name()
 * gives; "" or NULL: none, words stay as they are), used by one thread at a
 * time. NULL when out of memory; freed with xc_stemmer_free().
 */
xc_stemmer *xc_stemmer_new(const char *name);
void xc_stemmer_free(xc_stemmer *st);
/* The stem of word[0..len), as the index has it, into *out (the caller frees). */
int xc_stem(xc_stemmer *st, const char *word, size_t len, char **out);
/*
 * s[0..len) lower-cased as Xapian's term generator lower-cases (Unicode),
 * into *out (the caller frees).
 */
int xc_lowercase(const char *s, size_t len, char **out);

#ifdef __cplusplus
}
#endif
#endif
