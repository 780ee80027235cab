/*
 * snapshot.h - what every search reads of each document, held in memory
 * for one revision of the index and shared, read-only, between the readers
 * of all threads.
 *
 * Xapian keeps values and document data compressed in 8 KiB blocks, so a
 * search used to read and inflate a block for each of the 30 titles it
 * re-ranks (SLOT_ABOUT), each of the ~450 documents whose facets it counts
 * (SLOT_FACETS), and the data and text of each of its 10 hits. A snapshot
 * streams the two small slots once per revision, working out what each
 * title says for re-ranking (rank.h) once rather than in every search (2.6
 * MB for 11,205 articles, loaded in some 13 ms, most of it those traits),
 * and keeps each hit's text (SLOT_TEXT) and parsed data the first time a
 * search reads them, so that memory grows only with the articles searches
 * actually return.
 *
 * A snapshot belongs to one revision: the docids it is indexed by are that
 * revision's. Readers take theirs from a snapshot_cache shared by the
 * process, which loads a new snapshot when a reader first sees a new
 * revision and drops the old one when its last reader lets go.
 */
#ifndef KB_SNAPSHOT_H
#define KB_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "snippet.h"
#include "xapian_c.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Documents a snapshot covers at most (by last docid): beyond, none is made. */
#define SNAPSHOT_DOCS_MAX (1u << 22)
/*
 * Bytes of hit texts and parsed data a snapshot keeps at most (a text
 * counted as four times its length, for its word list; parsed data as
 * twice its stored JSON): past it, hits are read from the index each
 * time, as without a snapshot.
 */
#define SNAPSHOT_KEEP_MAX ((size_t)64 << 20)

struct rank_candidate;
struct snapshot;
struct titles;
struct snapshot_cache;

/* A cache for the readers of one index; free it after the last of them. */
struct snapshot_cache *snapshot_cache_new(void);
void snapshot_cache_free(struct snapshot_cache *c);

/*
 * The snapshot of the revision db reads now, loaded from db unless the
 * cache has it. *out gets a reference the caller drops with
 * snapshot_unref(). KB_ETOOBIG for an index too large (SNAPSHOT_DOCS_MAX),
 * or the reader's error code (logged); *out is then NULL and the caller
 * reads through Xapian as before.
 */
int snapshot_cache_get(struct snapshot_cache *c, xc_rdb *db,
    struct snapshot **out);

struct snapshot *snapshot_ref(struct snapshot *s);
void snapshot_unref(struct snapshot *s);

/*
 * Document docid's title, and its summary with tags (NULL if SLOT_ABOUT
 * has no '\x1f'), as rank.h reads them, into c's title and about: "" and
 * NULL for a document without the value. With them their words and the
 * title's rank_traits_of(), worked out when the revision was loaded
 * (has_traits). All stay valid as long as the snapshot.
 */
void snapshot_about(const struct snapshot *s, unsigned docid,
    struct rank_candidate *c);

/* A document's SLOT_TEXT as kept, with its words when it has few enough bytes. */
struct snapshot_text {
	const char *text;
	size_t len;
	const struct word_span *words;	/* snippet_words(), or NULL: */
	size_t nwords;
	bool has_words;			/* false: too long to have them */
};

/*
 * Document docid's SLOT_TEXT into *out, or false if no search has read it
 * yet: read it then and hand it over with snapshot_keep_text(). What *out
 * points to stays valid as long as the snapshot.
 */
bool snapshot_text(const struct snapshot *s, unsigned docid,
    struct snapshot_text *out);
/*
 * Keep a copy of text[0..len), and its words, as docid's text and put the
 * one kept (another thread's, if it got there first) in *out; false for a
 * docid out of range or when SNAPSHOT_KEEP_MAX is reached.
 */
bool snapshot_keep_text(struct snapshot *s, unsigned docid, const char *text,
    size_t len, struct snapshot_text *out);

/*
 * Document docid's parsed data, or NULL if not parsed yet: parse it then
 * and hand it over with snapshot_keep_doc(). The object is shared between
 * threads: read it, json_incref() it, never change it.
 */
json_t *snapshot_doc(const struct snapshot *s, unsigned docid);
/*
 * Keep doc, parsed from len bytes of JSON (taking a reference of the
 * snapshot's own), as docid's data, unless another thread kept one first,
 * and return the one kept; for a docid out of range or when
 * SNAPSHOT_KEEP_MAX is reached, doc itself. The caller's reference to doc
 * is untouched: it takes one to the result if it needs it.
 */
json_t *snapshot_keep_doc(struct snapshot *s, unsigned docid, json_t *doc,
    size_t len);

/*
 * Count the facets (xapian_c.h: SLOT_FACETS records) of the documents
 * docids[0..n) and call fn for each value counted, facet by facet in
 * order, most frequent first, then by value (bytewise), as
 * xc_mset_facet() orders them.
 */
void snapshot_facets(const struct snapshot *s, const unsigned *docids,
    size_t n, void (*fn)(void *ctx, size_t facet, const char *value,
    size_t len, unsigned count), void *ctx);

/* Docids of the snapshot run below this. */
unsigned snapshot_ndocs(const struct snapshot *s);

/*
 * The titles for search-as-you-type (titles.h), or NULL if no search has
 * built them yet: build them then and hand them over with
 * snapshot_keep_titles(), which takes t (freeing it if another thread's
 * were kept first) and returns the ones kept. They stay valid, read-only,
 * as long as the snapshot.
 */
const struct titles *snapshot_titles(const struct snapshot *s);
const struct titles *snapshot_keep_titles(struct snapshot *s, struct titles *t);

#ifdef __cplusplus
}
#endif
#endif
