/*
 * schema.h - the contract between the index writer (index.c) and its
 * readers (search.c): term prefixes, value slots, metadata keys. The README
 * has the same table; change both together and bump INDEX_SCHEMA_VERSION,
 * which makes the next indexer run rebuild from scratch.
 */
#ifndef KB_SCHEMA_H
#define KB_SCHEMA_H

#define INDEX_SCHEMA_VERSION "11"

/* Boolean terms (exact, lowercased values). */
#define PREFIX_ID	"Q"	/* Q + slug: one per article */
#define PREFIX_TAG	"K"	/* tag:vpn */
#define PREFIX_PRODUCT	"XP"	/* product:outlook */
#define PREFIX_CATEGORY	"XC"	/* category:network */
#define PREFIX_LANG	"L"	/* lang:ar */
#define PREFIX_AUDIENCE	"XA"	/* audience:l1 */
#define PREFIX_STATUS	"XS"	/* status:published */
#define TERM_HAS_FAQ	"XFAQ"	/* the article has FAQ entries */

/* Free-text prefixes (positional, stemmed). */
#define PREFIX_TITLE	"S"	/* title:password */

/*
 * A multi-word synonym the article says ("windows update"), as one term:
 * XM + the phrase as META_SYNONYMS has it (xapian_c.h: xc_phrases).
 */
#define PREFIX_PHRASE	"XM"

/* Value slots. */
#define SLOT_UPDATED	0	/* "YYYYMMDD", for sorting and recency */
#define SLOT_SIGNATURE	1	/* file and include mtimes/sizes: incremental runs */
#define SLOT_TEXT	2	/* start of the body text, at most TEXT_MAX bytes: snippets */
#define SLOT_FACETS	3	/* tags, product, category, lang, audience: xapian_c.h */
#define SLOT_ABOUT	4	/* title '\x1f' summary (or the text's first
				   ABOUT_LEAD bytes) and tags: for re-ranking */

/* Facet numbers in SLOT_FACETS (the order of enum search_facet_id). */
enum { FACET_NO_TAG, FACET_NO_PRODUCT, FACET_NO_CATEGORY, FACET_NO_LANG,
	FACET_NO_AUDIENCE };

/* Metadata keys. */
#define META_SCHEMA	"kbd.schema"
#define META_SYNONYMS	"kbd.synonyms"	/* groups, one per line, alternatives by '\t' */
#define META_PHRASES	"kbd.phrases"	/* the multi-word ones the articles were
					   indexed with, one per line */

/* The synonyms file L2/L3 maintain, at the top of the articles directory. */
#define SYNONYMS_FILE	"synonyms.txt"

/*
 * Document data is a JSON object with what result pages and the FAQ need,
 * so search never opens the Markdown: slug, path, title, summary, tags,
 * product, category, lang, audience, status, author, updated, faq [{q,a}].
 * Snippet text lives in SLOT_TEXT, outside the JSON, so that a result
 * page parses only small objects.
 */
#define TEXT_MAX 4096
#define ABOUT_LEAD 1000	/* bytes of text standing in for a missing summary */

#endif
