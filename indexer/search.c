/*
 * search.c - query side of the index; see search.h.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "log.h"
#include "query.h"
#include "rank.h"
#include "schema.h"
#include "search.h"
#include "snapshot.h"
#include "spelling.h"
#include "snippet.h"
#include "synonyms.h"
#include "text.h"
#include "titles.h"
#include "util.h"
#include "xapian_c.h"
#include "banned.h"

struct search {
	xc_rdb *db;
	struct synonyms *synonyms;	/* of the open revision */
	struct snapshot_cache *cache;	/* shared, or owned if own_cache */
	bool own_cache;
	struct snapshot *snap;	/* of the open revision, or NULL: read Xapian */
	struct spelling spelling;	/* corrections of the open revision */
	struct titles_scratch completing;	/* for titles_complete() */
	xc_stemmer *english;	/* for matching short terms (snippet.h), or NULL */
	char *version_path;	/* the index's version file (owned) */
	struct stat version;	/* as it was when the open revision was read */
	bool version_known;	/* false: search_refresh() asks Xapian */
	bool synonyms_stale;	/* a search reopened a newer revision */
};

const char *const search_facet_fields[SEARCH_NFACETS] = {
	"tag", "product", "category", "lang", "audience",
};

_Static_assert((int)FACET_TAG == (int)FACET_NO_TAG &&
    (int)FACET_AUDIENCE == (int)FACET_NO_AUDIENCE,
    "search.h and schema.h number the facets alike");

static int load_doc(struct search *s, unsigned docid, json_t **doc);
static void load_synonyms(struct search *s);

/*
 * Take the snapshot of the revision s->db reads now. Without one (too
 * many documents, or the index changed while loading) searches read
 * Xapian as before, until the next revision.
 */
static void
attach_snapshot(struct search *s)
{
	snapshot_unref(s->snap);
	s->snap = NULL;
	snapshot_cache_get(s->cache, s->db, &s->snap);
	spelling_forget(&s->spelling);	/* the dictionary may have changed */
}

/*
 * Xapian's glass backend commits a revision by renaming a new version file
 * (iamglass) over the old one, so its inode, size or time tell whether
 * the index may have changed: one stat() per request instead of Xapian's
 * reopen(), which opens and reads the file (4 % of a search in-process).
 */
static char *
version_path(const char *dir)
{
	struct buf b;

	buf_init(&b, PATH_MAX);
	buf_printf(&b, "%s/iamglass", dir);
	return b.err ? (buf_release(&b), NULL) : buf_detach(&b, NULL);
}

/* Remember the version file as it is now (before reading the revision). */
static void
note_version(struct search *s)
{
	s->version_known = s->version_path &&
	    stat(s->version_path, &s->version) == 0;
}

static bool
version_unchanged(const struct search *s)
{
	struct stat st;

	return s->version_known && stat(s->version_path, &st) == 0 &&
	    st.st_ino == s->version.st_ino && st.st_dev == s->version.st_dev &&
	    st.st_size == s->version.st_size &&
	    st.st_mtim.tv_sec == s->version.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == s->version.st_mtim.tv_nsec;
}

int
search_open(const char *dir, struct search **out, char **errmsg)
{
	return search_open_shared(dir, NULL, out, errmsg);
}

int
search_open_shared(const char *dir, struct snapshot_cache *cache,
    struct search **out, char **errmsg)
{
	struct search *s;
	int rc;

	*out = NULL;
	s = xcalloc(1, sizeof(*s));
	s->version_path = version_path(dir);
	note_version(s);	/* before the revision is read, as in refresh */
	rc = xc_rdb_open(dir, &s->db, errmsg);
	if (rc) {
		free(s->version_path);
		free(s);
		return rc;
	}
	s->own_cache = !cache;
	s->cache = cache ? cache : snapshot_cache_new();
	load_synonyms(s);
	attach_snapshot(s);
	s->english = xc_stemmer_new("english");
	*out = s;
	return KB_OK;
}

void
search_close(struct search *s)
{
	if (!s)
		return;
	snapshot_unref(s->snap);
	spelling_forget(&s->spelling);
	titles_scratch_release(&s->completing);
	xc_stemmer_free(s->english);
	free(s->version_path);
	if (s->own_cache)
		snapshot_cache_free(s->cache);
	synonyms_free(s->synonyms);
	xc_rdb_close(s->db);
	free(s);
}

int
search_refresh(struct search *s)
{
	bool changed = false;
	int rc;

	if (version_unchanged(s))
		return KB_OK;
	/* noted first: a commit after it is seen by the next refresh */
	note_version(s);
	rc = xc_rdb_reopen(s->db, &changed);
	if (rc) {
		kb_log(LOG_ERR, "index reopen: %s", xc_rdb_errmsg(s->db));
		s->version_known = false;	/* try again next time */
	} else if (changed || s->synonyms_stale) {
		load_synonyms(s);
		attach_snapshot(s);
		s->synonyms_stale = false;
	}
	return rc;
}

void
search_result_release(struct search_result *res)
{
	size_t i, j;

	for (i = 0; i < res->nhits; i++) {
		json_decref(res->hits[i].doc);
		snippet_release(&res->hits[i].snippet);
		for (j = 0; j < res->hits[i].nmatched; j++)
			free(res->hits[i].matched[j]);
		free(res->hits[i].matched);
	}
	free(res->hits);
	for (i = 0; i < SEARCH_NFACETS; i++) {
		for (j = 0; j < res->facets[i].n; j++)
			free(res->facets[i].values[j].value);
		free(res->facets[i].values);
	}
	free(res->corrected);
	free(res->suggestion);
	json_decref(res->faq);
	memset(res, 0, sizeof(*res));
}

static void
load_synonyms(struct search *s)
{
	char *stored = NULL;

	synonyms_free(s->synonyms);
	s->synonyms = NULL;
	if (xc_rdb_metadata(s->db, META_SYNONYMS, &stored) == KB_OK)
		s->synonyms = synonyms_parse(stored);
	free(stored);
}

/*
 * A term of the query to highlight and to re-rank by, unless a stopword:
 * those only reach the query inside phrases (a synonym such as "unable
 * to"), and "to" is no word to mark in every snippet or to count as
 * saying "cant" in a title.
 */
static void
add_word_term(void *ctx, const char *term, size_t len)
{
	if (!query_is_stopword(term, len))
		termset_add(ctx, term, len);
}

/* ---- explaining hits ---- */

/*
 * Why h matched: the words of its title, tags, summary and snippet that
 * match a query term (as written in the article, one per term), and the
 * fields they were found in (h->fields). Cheap: the text is at hand.
 */
static void
explain_hit(struct search_hit *h, struct matcher *m, struct termset *words)
{
	static const char *const fields[] = { "title", "tags", "summary", NULL };
	struct buf joined;
	const char *text;
	size_t f, p, start, end, k;
	uint64_t done = 0;
	json_t *tags, *tag;
	int t;

	buf_init(&joined, 0);
	for (f = 0; f <= 3; f++) {
		buf_reset(&joined);
		if (f == 3) {
			buf_puts(&joined, h->snippet.snippet);
		} else if (f == 1) {
			tags = json_object_get(h->doc, "tags");
			json_array_foreach(tags, k, tag) {
				buf_puts(&joined, json_string_value(tag));
				buf_putc(&joined, ' ');
			}
		} else {
			text = json_string_value(json_object_get(h->doc, fields[f]));
			buf_puts(&joined, text ? text : "");
		}
		text = buf_str(&joined);
		for (p = 0; text_next_word(text, joined.len, &p, &start, &end);) {
			t = matcher_match(m, text, start, end);
			if (t < 0)
				continue;
			h->fields |= 1u << f;
			if (done & ((uint64_t)1 << (t & 63)))
				continue;
			done |= (uint64_t)1 << (t & 63);
			termset_add(words, text + start, end - start);
		}
	}
	buf_release(&joined);
}


/*
 * FAQ entries of the top hits whose question covers most of the query's
 * words: the answer an agent can read out at once. Best first, at most 2.
 */
static json_t *
find_faq_answers(struct search_result *res, struct matcher *m, unsigned qwords)
{
	json_t *out = json_array(), *faq, *e, *cand[2] = { NULL, NULL };
	double best[2] = { 0, 0 }, score;
	const char *q;
	size_t i, k;
	unsigned hits;

	for (i = 0; i < res->nhits && i < 3 && qwords; i++) {
		faq = json_object_get(res->hits[i].doc, "faq");
		json_array_foreach(faq, k, e) {
			q = json_string_value(json_object_get(e, "q"));
			hits = q ? matcher_covered(m, q) : 0;
			if (!hits || (double)hits / qwords < 0.6)
				continue;
			/* coverage first, then the higher-ranked article */
			score = (double)hits / qwords - 0.01 * (double)i;
			if (score <= best[1])
				continue;
			json_t *entry = json_pack("{s:O, s:O, s:O, s:O, s:O}",
			    "q", json_object_get(e, "q"), "a", json_object_get(e, "a"),
			    "slug", json_object_get(res->hits[i].doc, "slug"),
			    "title", json_object_get(res->hits[i].doc, "title"),
			    "lang", json_object_get(res->hits[i].doc, "lang"));
			json_decref(cand[1]);
			if (score > best[0]) {
				cand[1] = cand[0];
				best[1] = best[0];
				cand[0] = entry;
				best[0] = score;
			} else {
				cand[1] = entry;
				best[1] = score;
			}
		}
	}
	for (i = 0; i < 2; i++)
		if (cand[i])
			json_array_append_new(out, cand[i]);
	return out;
}

static void
add_facet_value(void *ctx, const char *value, size_t len, unsigned count)
{
	struct search_facet *f = ctx;

	if (f->n >= 50)
		return;
	f->values = xrealloc(f->values, (f->n + 1) * sizeof(*f->values));
	f->values[f->n].value = xstrndup(value, len);
	f->values[f->n].count = count;
	f->n++;
}

/* add_facet_value() for snapshot_facets(), which counts them all at once. */
static void
add_snapshot_facet(void *ctx, size_t facet, const char *value, size_t len,
    unsigned count)
{
	struct search_result *res = ctx;

	if (facet < SEARCH_NFACETS)
		add_facet_value(&res->facets[facet], value, len, count);
}

/*
 * The candidates' SLOT_ABOUT for rank_candidates(): the snapshot's, with
 * its titles' traits, or read from m into *copies (which the caller frees,
 * each and the array), rank_candidates() then working the traits out.
 */
static void
candidates_about(struct search *s, xc_mset *m, struct rank_candidate *c,
    size_t n, char ***copies)
{
	char *about, *sep;
	size_t i;

	*copies = NULL;
	if (s->snap) {
		for (i = 0; i < n; i++)
			snapshot_about(s->snap, xc_mset_docid(m, c[i].rank),
			    &c[i]);
		return;
	}
	*copies = xcalloc(n ? n : 1, sizeof(**copies));
	for (i = 0; i < n; i++) {
		if (xc_mset_value(m, c[i].rank, SLOT_ABOUT, &about, NULL))
			continue;
		(*copies)[i] = about;
		sep = strchr(about, '\x1f');	/* title, then summary and tags */
		if (sep)
			*sep = '\0';
		c[i].title = about;
		c[i].about = sep ? sep + 1 : NULL;
	}
}

static void
add_unknown(void *ctx, const char *word, size_t len)
{
	termset_add(ctx, word, len);
}

/*
 * said with the words no article has (into *unknown, as the index writes
 * them) blanked out, a copy to free: the caller's own server or mailbox
 * name is covered by no title, so it must not dilute what the other
 * words cover, nor break their pairs, nor the phrase (candidates_phrase).
 */
static char *
words_known(xc_mset *m, const char *said, struct termset *unknown)
{
	size_t p = 0, start, end, len = strlen(said), i;
	char *known = xstrdup(said);

	if (xc_mset_unknown_words(m, said, add_unknown, unknown))
		while (text_next_word(known, len, &p, &start, &end))
			for (i = 0; i < unknown->n; i++)
				if (strlen(unknown->v[i]) == end - start &&
				    strncasecmp(known + start, unknown->v[i],
				    end - start) == 0)
					memset(known + start, ' ', end - start);
	return known;
}

/*
 * Mark the candidates that have the words of the query as run one after
 * another (rank.h: RANK_PHRASE_MIN of them or more): their positions are
 * read from the index for these documents only.
 */
static void
candidates_phrase(xc_mset *m, const char *said, const struct termset *unknown,
    struct rank_candidate *c, size_t n)
{
	unsigned ranks[RANK_DEPTH];
	bool found[RANK_DEPTH];
	size_t p = 0, start, end, len = strlen(said), words = 0, i;

	while (words < RANK_PHRASE_MIN &&
	    text_next_word(said, len, &p, &start, &end))
		words++;
	if (words < RANK_PHRASE_MIN || n > RANK_DEPTH || query_has_syntax(said))
		return;
	for (i = 0; i < n; i++)
		ranks[i] = c[i].rank;
	if (xc_mset_phrase_in(m, said, unknown->v, unknown->n, ranks, n,
	    found) == KB_OK)
		for (i = 0; i < n; i++)
			c[i].has_phrase = found[i];
}

/*
 * Document docid's stored fields parsed from data[0..len) (NULL if none), a
 * new reference or NULL, handed to the snapshot to keep.
 */
static json_t *
keep_parsed(struct search *s, unsigned docid, const char *data, size_t len)
{
	json_error_t jerr;
	json_t *doc, *kept;

	doc = data ? json_loadb(data, len, 0, &jerr) : NULL;
	if (!json_is_object(doc)) {
		json_decref(doc);
		return NULL;
	}
	if (!s->snap)
		return doc;
	kept = json_incref(snapshot_keep_doc(s->snap, docid, doc, len));
	json_decref(doc);
	return kept;
}

/*
 * Hit i's stored fields, parsed (a new reference), or NULL: kept in the
 * snapshot once parsed, so that a popular article is parsed once.
 */
static json_t *
hit_doc(struct search *s, xc_mset *m, unsigned i)
{
	unsigned docid = xc_mset_docid(m, i);
	const char *data;
	json_t *doc;
	size_t len;

	if (s->snap && (doc = snapshot_doc(s->snap, docid)))
		return json_incref(doc);
	data = xc_mset_data(m, i, &len);
	return keep_parsed(s, docid, data, len);
}

/*
 * Each candidate's standing from prior, by its slug. Their stored fields
 * are parsed for it (kept in the snapshot, like those of hits).
 */
static void
candidates_standing(struct search *s, xc_mset *m, struct rank_candidate *c,
    size_t n, const struct search_prior *prior)
{
	const char *slug;
	json_t *doc;
	size_t i;

	for (i = 0; i < n; i++) {
		doc = hit_doc(s, m, c[i].rank);
		slug = json_string_value(json_object_get(doc, "slug"));
		c[i].standing = slug ? prior->standing(prior->ctx, slug) : 0;
		json_decref(doc);
	}
}

/* The same for document docid, read from the index unless kept. */
static json_t *
docid_doc(struct search *s, unsigned docid)
{
	json_t *doc;
	char *data;
	size_t len;

	if (s->snap && (doc = snapshot_doc(s->snap, docid)))
		return json_incref(doc);
	if (xc_rdb_data(s->db, docid, &data, &len))
		return NULL;
	doc = keep_parsed(s, docid, data, len);
	free(data);
	return doc;
}

/*
 * Cut hit i's snippet from its SLOT_TEXT, kept in the snapshot, with its
 * words, once read.
 */
static void
hit_snippet(struct search *s, xc_mset *m, unsigned i, struct matcher *matcher,
    struct snippet *out)
{
	unsigned docid = xc_mset_docid(m, i);
	struct snapshot_text kept;
	bool have = false;
	char *text = NULL;
	size_t tlen = 0;

	if (s->snap)
		have = snapshot_text(s->snap, docid, &kept);
	if (!have && xc_mset_value(m, i, SLOT_TEXT, &text, &tlen))
		text = NULL;
	if (!have && text && s->snap)
		have = snapshot_keep_text(s->snap, docid, text, tlen, &kept);
	if (have && kept.has_words)
		snippet_cut_words(matcher, kept.text, kept.len, kept.words,
		    kept.nwords, 240, out);
	else if (have)
		snippet_cut(matcher, kept.text, kept.len, 240, out);
	else
		snippet_cut(matcher, text ? text : "", text ? tlen : 0, 240, out);
	free(text);
}

/* Run xs, falling back to plain words on a syntax error and reopening
 * once if the index changed underneath. */
static int
run_query(struct search *s, struct xc_search *xs, xc_mset **m, bool *fallback)
{
	int rc, attempt;

	for (attempt = 0; attempt < 3; attempt++) {
		rc = xc_rdb_search(s->db, xs, m);
		if (rc == KB_EINVAL && !xs->plain) {
			xs->plain = true;
			*fallback = true;
			continue;
		}
		if (rc == KB_EMODIFIED && xc_rdb_reopen(s->db, NULL) == KB_OK) {
			/* xs was built with the old synonyms: load the new ones next time */
			s->synonyms_stale = true;
			attach_snapshot(s);
			continue;
		}
		break;
	}
	if (rc)
		kb_log(LOG_ERR, "search: %s", xc_rdb_errmsg(s->db));
	return rc;
}

int
search_run(struct search *s, const struct search_request *req,
    struct search_result *res)
{
	struct xc_search xs;
	struct query query;
	struct buf langterm;
	struct termset qterms = { 0 };
	struct rank_candidate *cands = NULL;
	struct rank_query rq;
	const char *said;	/* the query as run: corrected, or as typed */
	char *known = NULL;	/* said without the words no article has */
	struct termset unknown = { 0 };	/* those words */
	unsigned qwords;
	size_t ncands = 0, nranked;
	struct matcher matcher;
	xc_mset *m = NULL, *m2 = NULL;
	char *corrected = NULL, **about;
	const unsigned *examined;
	size_t nexamined;
	enum correction kind;
	size_t i;
	unsigned n;
	int rc;

	memset(res, 0, sizeof(*res));
	res->faq = json_array();
	if (!req->q || strlen(req->q) > SEARCH_QUERY_MAX ||
	    !utf8_valid(req->q, strlen(req->q)) || req->limit > SEARCH_LIMIT_MAX)
		return KB_EINVAL;
	buf_init(&langterm, 64);
	query_read(&query, req->q, s->synonyms);
	query_base(&xs, buf_str(&query.text), req->all_statuses, req->drafts);
	xs.extra = query.extra;
	xs.nextra = query.nextra;
	if (req->lang && *req->lang) {
		buf_printf(&langterm, "%s%s", PREFIX_LANG, req->lang);
		termset_add(&query.filters, langterm.data, langterm.len);
	}
	xs.filter_all = (const char *const *)query.filters.v;
	xs.nfilter_all = query.filters.n;
	/* Xapian's best RANK_DEPTH are re-ranked (rank.h) and the rest follow
	 * in its order, so a hit's place does not depend on the page size */
	xs.offset = 0;
	xs.limit = req->offset + req->limit;
	if (xs.limit < RANK_DEPTH)
		xs.limit = RANK_DEPTH;
	xs.check_at_least = req->facets ? SEARCH_FACET_DEPTH :
	    req->offset + req->limit;
	xs.sort_slot_ties = SLOT_UPDATED + 1;	/* equal scores: newest first */
	xs.phrase_prefix = PREFIX_PHRASE;	/* multi-word synonyms: index.c */
	/* with a snapshot, facets are counted from it (snapshot.h) */
	if (req->facets && s->snap)
		xs.examined = true;
	else if (req->facets)
		xs.facet_slot = SLOT_FACETS + 1;
	rc = run_query(s, &xs, &m, &res->plain_fallback);
	if (rc)
		goto out;

	/* unknown words match nothing: run the corrected query unless it finds less */
	kind = req->spelling ? spelling_correct(&s->spelling, s->db,
	    s->synonyms, query_is_stopword, buf_str(&query.text), &corrected) :
	    CORRECTION_NONE;
	if (kind == CORRECTION_OFFER) {
		res->suggestion = corrected;
		corrected = NULL;
	} else if (kind == CORRECTION_RUN) {
		xs.text = corrected;
		if (run_query(s, &xs, &m2, &res->plain_fallback) == KB_OK &&
		    xc_mset_total(m2) >= xc_mset_total(m)) {
			res->corrected = xstrdup(corrected);
			xc_mset_free(m);
			m = m2;
		} else {
			res->suggestion = xstrdup(corrected);
			xc_mset_free(m2);
		}
	}

	xc_mset_query_terms(m, add_word_term, &qterms);
	matcher_init(&matcher, qterms.v, qterms.n, s->english);
	res->total = xc_mset_total(m);
	n = xc_mset_size(m);
	ncands = n;
	cands = xcalloc(n ? n : 1, sizeof(*cands));
	for (i = 0; i < n; i++) {
		cands[i].rank = (unsigned)i;
		cands[i].score = xc_mset_weight(m, (unsigned)i);
	}
	said = res->corrected ? res->corrected : buf_str(&query.text);
	known = words_known(m, said, &unknown);
	qwords = query_count_words(known);
	nranked = ncands < RANK_DEPTH ? ncands : RANK_DEPTH;
	if (req->offset < nranked) {
		rank_query_init(&rq, &matcher, said, known, qwords,
		    query_is_stopword, query.extra, query.nextra);
		candidates_about(s, m, cands, nranked, &about);
		candidates_phrase(m, said, &unknown, cands, nranked);
		if (req->prior && req->prior->standing)
			candidates_standing(s, m, cands, nranked, req->prior);
		rank_candidates(cands, nranked, &rq);
		for (i = 0; about && i < nranked; i++)
			free(about[i]);
		free(about);
	}
	res->hits = xcalloc(req->limit ? req->limit : 1, sizeof(*res->hits));
	for (i = req->offset; i < ncands && res->nhits < req->limit; i++) {
		struct search_hit *h = &res->hits[res->nhits];
		struct termset mt = { 0 };

		h->doc = hit_doc(s, m, cands[i].rank);
		if (!h->doc)
			continue;
		h->score = cands[i].score;
		h->quoted = cands[i].has_phrase;
		hit_snippet(s, m, cands[i].rank, &matcher, &h->snippet);
		explain_hit(h, &matcher, &mt);
		h->matched = mt.v;
		h->nmatched = mt.n;
		res->nhits++;
	}
	if (req->facets && xs.examined && s->snap) {
		xc_mset_examined(m, &examined, &nexamined);
		snapshot_facets(s->snap, examined, nexamined, add_snapshot_facet, res);
	}
	for (i = 0; req->facets && !xs.examined && i < SEARCH_NFACETS; i++)
		xc_mset_facet(m, i, add_facet_value, &res->facets[i]);
	if (req->faq && req->offset == 0) {
		json_decref(res->faq);
		res->faq = find_faq_answers(res, &matcher, qwords);
	}
	matcher_release(&matcher);
out:
	free(cands);
	free(known);
	termset_release(&unknown);
	xc_mset_free(m);
	free(corrected);
	termset_release(&qterms);
	query_release(&query);
	buf_release(&langterm);
	return rc;
}

/* Append doc's {slug, title, lang} to list, dropping the reference to doc. */
static void
add_brief(json_t *list, json_t *doc)
{
	if (doc)
		json_array_append_new(list, json_pack("{s:O, s:O, s:O}",
		    "slug", json_object_get(doc, "slug"),
		    "title", json_object_get(doc, "title"),
		    "lang", json_object_get(doc, "lang")));
	json_decref(doc);
}

/* {slug, title, lang} of each hit of m (parsed once: hit_doc()). */
static json_t *
brief_list(struct search *s, xc_mset *m)
{
	json_t *out = json_array();
	unsigned i;

	for (i = 0; i < xc_mset_size(m); i++)
		add_brief(out, hit_doc(s, m, i));
	return out;
}

/* Documents marked by docid, one byte each. */
struct marks {
	unsigned char *bits;
	unsigned n;
};

static int
mark_hidden(void *ctx, unsigned docid)
{
	struct marks *h = ctx;

	if (docid < h->n)
		h->bits[docid] = 1;
	return 0;
}

/*
 * The titles of the snapshot's published articles, built by the first
 * search that asks for them in this revision (some tens of ms for 10,000
 * articles), or NULL if there is no snapshot or the index cannot be read.
 */
static const struct titles *
published_titles(struct search *s)
{
	struct marks hidden;
	const struct titles *kept;
	struct rank_candidate about;
	struct titles *t;
	unsigned d;
	size_t i;

	if (!s->snap)
		return NULL;
	if ((kept = snapshot_titles(s->snap)))
		return kept;
	hidden.n = snapshot_ndocs(s->snap);
	hidden.bits = xcalloc(hidden.n ? hidden.n : 1, 1);
	for (i = 0; i < QUERY_NHIDDEN; i++)
		if (xc_rdb_each_posting(s->db, query_hidden[i], mark_hidden,
		    &hidden)) {
			free(hidden.bits);
			return NULL;
		}
	if (!(t = titles_new())) {
		free(hidden.bits);
		return NULL;
	}
	for (d = 1; d < hidden.n; d++) {
		if (hidden.bits[d])
			continue;
		snapshot_about(s->snap, d, &about);
		titles_add(t, d, about.title);
	}
	free(hidden.bits);
	titles_seal(t);
	return snapshot_keep_titles(s->snap, t);
}

int
search_suggest(struct search *s, const char *q, unsigned limit, json_t **out)
{
	const struct titles *titles;
	struct xc_search xs;
	struct buf norm;
	xc_mset *m = NULL;
	unsigned *docids;
	size_t i, n;
	bool fallback = false;
	int rc = KB_OK;

	*out = NULL;
	if (!q || strlen(q) > SEARCH_QUERY_MAX || !utf8_valid(q, strlen(q)) ||
	    limit > SEARCH_LIMIT_MAX)
		return KB_EINVAL;
	/* plain words, the usual case, are completed from the titles held */
	if (!strchr(q, ':') && !query_has_syntax(q) &&
	    (titles = published_titles(s))) {
		docids = xcalloc(limit ? limit : 1, sizeof(*docids));
		n = titles_complete(titles, &s->completing, q, docids, limit);
		*out = json_array();
		for (i = 0; i < n; i++)
			add_brief(*out, docid_doc(s, docids[i]));
		free(docids);
		return KB_OK;
	}
	buf_init(&norm, SEARCH_QUERY_MAX * 2);
	text_normalize(&norm, q, strlen(q));
	query_base(&xs, buf_str(&norm), false, false);
	xs.default_prefix = PREFIX_TITLE;
	xs.partial = true;
	xs.match_all = true;	/* every word typed so far is in the title */
	xs.limit = limit;
	if (norm.len)
		rc = run_query(s, &xs, &m, &fallback);
	if (!rc)
		*out = m ? brief_list(s, m) : json_array();
	xc_mset_free(m);
	buf_release(&norm);
	return rc;
}

/* Collect index terms as they are (prefixes kept). */
static void
add_raw_term(void *ctx, const char *term, size_t len)
{
	struct termset *t = ctx;

	if (t->n < 64) {
		t->v = xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
		t->v[t->n++] = xstrndup(term, len);
	}
}

int
search_related(struct search *s, const char *slug, unsigned limit,
    json_t **out)
{
	struct xc_search xs;
	struct termset terms = { 0 };
	struct buf id, langterm;
	const char *exclude[QUERY_NHIDDEN + 1], *filters[1], *lang, *title;
	struct buf about;
	json_t *doc = NULL, *tag;
	size_t i;
	xc_mset *m = NULL;
	unsigned docid;
	bool fallback = false;
	int rc;

	*out = NULL;
	buf_init(&id, 1024);
	buf_init(&langterm, 64);
	buf_init(&about, 16384);
	buf_printf(&id, "%s%s", PREFIX_ID, slug);
	rc = id.err ? KB_ENOTFOUND : xc_rdb_find(s->db, buf_str(&id), &docid);
	if (!rc)
		rc = load_doc(s, docid, &doc);
	if (!rc)
		rc = xc_rdb_expand(s->db, docid, 24, add_raw_term, &terms);
	if (rc)
		goto out;
	/* its title and tags too: the expand set is thin in a small collection */
	title = json_string_value(json_object_get(doc, "title"));
	text_normalize(&about, title ? title : "", title ? strlen(title) : 0);
	json_array_foreach(json_object_get(doc, "tags"), i, tag) {
		buf_putc(&about, ' ');
		text_normalize(&about, json_string_value(tag),
		    strlen(json_string_value(tag)));
	}
	query_base(&xs, buf_str(&about), true, false);
	xs.plain = true;
	memcpy(exclude, query_hidden, sizeof(query_hidden));
	exclude[QUERY_NHIDDEN] = buf_str(&id);
	xs.exclude = exclude;
	xs.nexclude = QUERY_NHIDDEN + 1;
	lang = json_string_value(json_object_get(doc, "lang"));
	buf_printf(&langterm, "%s%s", PREFIX_LANG, lang ? lang : "en");
	filters[0] = buf_str(&langterm);
	xs.filter_all = filters;
	xs.nfilter_all = 1;
	xs.raw_terms = (const char *const *)terms.v;
	xs.nraw_terms = terms.n;
	xs.limit = limit;
	rc = run_query(s, &xs, &m, &fallback);
	if (!rc)
		*out = brief_list(s, m);
out:
	xc_mset_free(m);
	json_decref(doc);
	termset_release(&terms);
	buf_release(&id);
	buf_release(&langterm);
	buf_release(&about);
	return rc;
}

/* ---- lookups ---- */

static int
load_doc(struct search *s, unsigned docid, json_t **doc)
{
	json_error_t jerr;
	char *data;
	size_t len;
	int rc;

	rc = xc_rdb_data(s->db, docid, &data, &len);
	if (rc)
		return rc;
	*doc = json_loadb(data, len, 0, &jerr);
	free(data);
	if (!json_is_object(*doc)) {
		json_decref(*doc);
		*doc = NULL;
		return KB_ESEARCH;
	}
	return KB_OK;
}

int
search_find(struct search *s, const char *slug, json_t **doc)
{
	struct buf id;
	unsigned docid;
	int rc;

	*doc = NULL;
	buf_init(&id, 1024);
	buf_printf(&id, "%s%s", PREFIX_ID, slug);
	rc = id.err ? KB_ENOTFOUND : xc_rdb_find(s->db, buf_str(&id), &docid);
	if (!rc)
		rc = load_doc(s, docid, doc);
	buf_release(&id);
	return rc;
}

struct each_status {
	struct search *s;
	const char *status;
	int (*fn)(void *ctx, json_t *doc);
	void *ctx;
	int rc;
};

static int
each_status_posting(void *ctx, unsigned docid)
{
	struct each_status *e = ctx;
	json_t *doc;
	const char *status;
	int stop = 0;

	e->rc = load_doc(e->s, docid, &doc);
	if (e->rc)
		return 1;
	status = json_string_value(json_object_get(doc, "status"));
	if (status && strcmp(status, e->status) == 0)
		stop = e->fn(e->ctx, doc);
	json_decref(doc);
	return stop;
}

int
search_each(struct search *s, const char *status, bool faq_only,
    int (*fn)(void *ctx, json_t *doc), void *ctx)
{
	struct each_status e = { s, status, fn, ctx, KB_OK };
	struct buf term;
	int rc;

	buf_init(&term, 256);
	buf_printf(&term, "%s%s", PREFIX_STATUS, status);
	rc = term.err ? KB_EINVAL : xc_rdb_each_posting(s->db, faq_only ?
	    TERM_HAS_FAQ : buf_str(&term), each_status_posting, &e);
	buf_release(&term);
	return rc ? rc : e.rc;
}

int
search_counts(struct search *s, unsigned *articles, unsigned *with_faq)
{
	int rc = xc_rdb_doccount(s->db, articles);

	return rc ? rc : xc_rdb_termfreq(s->db, TERM_HAS_FAQ, with_faq);
}

int
search_stats(struct search *s, unsigned *articles, unsigned *with_faq,
    uint64_t *revision)
{
	int rc = search_counts(s, articles, with_faq);

	return rc ? rc : xc_rdb_revision(s->db, revision);
}
