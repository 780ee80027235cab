/*
 * search.c - query side of the index; see search.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "log.h"
#include "schema.h"
#include "search.h"
#include "text.h"
#include "util.h"
#include "xapian_c.h"
#include "banned.h"

struct search {
	xc_rdb *db;
};

/* Fields a query may name, mapped to the prefixes in schema.h. */
static const struct xc_prefix query_prefixes[] = {
	{ "tag", PREFIX_TAG, true },
	{ "product", PREFIX_PRODUCT, true },
	{ "category", PREFIX_CATEGORY, true },
	{ "lang", PREFIX_LANG, true },
	{ "audience", PREFIX_AUDIENCE, true },
	{ "status", PREFIX_STATUS, true },
	{ "title", PREFIX_TITLE, false },
};

/*
 * Words too common to tell articles apart, in the normalised form queries
 * take (text.h). They still count inside "phrases".
 */
static const char *const stopwords[] = {
	"a", "about", "an", "and", "are", "as", "at", "be", "been", "but", "by",
	"can", "could", "do", "does", "for", "from", "had", "has", "have", "how",
	"i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or",
	"our", "so", "that", "the", "their", "them", "then", "there", "these",
	"they", "this", "to", "was", "we", "were", "what", "when", "where",
	"which", "while", "who", "why", "will", "with", "would", "you", "your",
	/* Arabic */
	"في", "من", "على", "الي", "عن", "مع", "هذا", "هذه", "ذلك", "تلك", "التي",
	"الذي", "او", "ام", "ثم", "قد", "لا", "ما", "لم", "لن", "هل", "كيف",
	"عند", "كل", "بعد", "قبل", "هو", "هي", "انا", "ان", "كان", "يا",
	NULL,
};

int
search_open(const char *dir, struct search **out, char **errmsg)
{
	struct search *s;
	int rc;

	*out = NULL;
	s = xcalloc(1, sizeof(*s));
	rc = xc_rdb_open(dir, &s->db, errmsg);
	if (rc) {
		free(s);
		return rc;
	}
	*out = s;
	return KB_OK;
}

void
search_close(struct search *s)
{
	if (!s)
		return;
	xc_rdb_close(s->db);
	free(s);
}

int
search_refresh(struct search *s)
{
	int rc = xc_rdb_reopen(s->db, NULL);

	if (rc)
		kb_log(LOG_ERR, "index reopen: %s", xc_rdb_errmsg(s->db));
	return rc;
}

void
search_result_release(struct search_result *res)
{
	size_t i, j;

	for (i = 0; i < res->nhits; i++) {
		json_decref(res->hits[i].doc);
		free(res->hits[i].snippet);
		free(res->hits[i].segs);
		for (j = 0; j < res->hits[i].nmatched; j++)
			free(res->hits[i].matched[j]);
		free(res->hits[i].matched);
	}
	free(res->hits);
	memset(res, 0, sizeof(*res));
}

/* ---- term lists ---- */

struct terms {
	char **v;
	size_t n;
};

static void
terms_add(void *ctx, const char *term, size_t len)
{
	struct terms *t = ctx;
	size_t i;

	if (!len || t->n >= 64)
		return;
	for (i = 0; i < t->n; i++)
		if (strlen(t->v[i]) == len && memcmp(t->v[i], term, len) == 0)
			return;
	t->v = xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
	t->v[t->n++] = xstrndup(term, len);
}

static void
terms_release(struct terms *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* ---- snippets ---- */

struct word {
	size_t start, end;	/* byte range in the text */
	int term;		/* index of the matched term, or -1 */
};

static bool
is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9') || cp == '_';
	if (cp < 0xC0 || (cp >= 0x2000 && cp <= 0x206F) ||
	    (cp >= 0x3000 && cp <= 0x303F) || cp == 0x060C || cp == 0x061B ||
	    cp == 0x061F || (cp >= 0x066A && cp <= 0x066D) || cp == 0xFFFD)
		return false;
	return true;
}

/*
 * Find the next word at or after *p in text[0..len): its byte range in
 * *start and *end. False when there is none.
 */
static bool
next_word(const char *text, size_t len, size_t *p, size_t *start, size_t *end)
{
	size_t next;
	uint32_t cp;

	while (*p < len) {
		next = *p;
		cp = utf8_next(text, len, &next);
		if (is_word_cp(cp))
			break;
		*p = next;
	}
	if (*p >= len)
		return false;
	*start = *p;
	while (*p < len) {
		if ((unsigned char)text[*p] < 0x80) {
			char c = text[*p];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '_'))
				break;
			(*p)++;
			continue;
		}
		next = *p;
		cp = utf8_next(text, len, &next);
		if (!is_word_cp(cp))
			break;
		*p = next;
	}
	*end = *p;
	return true;
}

/* Which term (if any) the word text[start..end) matches. */
static int
match_word(const char *text, size_t start, size_t end, char *const *terms,
    size_t nterms, struct buf *scratch)
{
	size_t i, tl;
	char *w;
	bool arabic;

	buf_reset(scratch);
	for (i = start; i < end && (unsigned char)text[i] < 0x80; i++)
		;
	if (i == end)	/* ASCII: no normalisation needed */
		buf_append(scratch, text + start, end - start);
	else
		text_normalize(scratch, text + start, end - start);
	if (scratch->err || !scratch->len)
		return -1;
	w = scratch->data;
	for (i = 0; i < scratch->len; i++)
		if (w[i] >= 'A' && w[i] <= 'Z')
			w[i] = (char)(w[i] + 32);
	arabic = (unsigned char)w[0] >= 0xD8 && (unsigned char)w[0] <= 0xDB;
	for (i = 0; i < nterms; i++) {
		tl = strlen(terms[i]);
		if (tl == scratch->len && memcmp(w, terms[i], tl) == 0)
			return (int)i;
		if (tl >= 3 && tl < scratch->len && memcmp(w, terms[i], tl) == 0)
			return (int)i;	/* a stem: "password" in "passwords" */
		if (arabic && tl >= 6 && strstr(w, terms[i]))
			return (int)i;	/* Arabic stems drop prefixes too */
	}
	return -1;
}

void
search_snippet(const char *text, size_t len, char *const *terms,
    size_t nterms, size_t max, struct search_hit *hit)
{
	struct word *words = NULL;
	size_t nwords = 0, alloc = 0, i, j, best = 0, wend, p, start, end;
	long best_score = -1, score;
	uint64_t seen;
	struct buf out, scratch;
	bool space = false;

	buf_init(&out, max * 2 + 16);
	buf_init(&scratch, 1024);
	/* split into words, noting which match */
	for (p = 0; next_word(text, len, &p, &start, &end);) {
		if (nwords == alloc) {
			alloc = alloc ? alloc * 2 : 128;
			words = xrealloc(words, alloc * sizeof(*words));
		}
		words[nwords].start = start;
		words[nwords].end = end;
		words[nwords].term = match_word(text, start, end, terms, nterms,
		    &scratch);
		nwords++;
	}
	/* the window (from a few words before a match) with most distinct terms */
	for (i = 0; i < nwords; i++) {
		if (words[i].term < 0)
			continue;
		size_t from = i > 4 ? i - 4 : 0;
		seen = 0;
		score = 0;
		for (j = from; j < nwords && words[j].end - words[from].start <= max; j++) {
			if (words[j].term < 0)
				continue;
			if (!(seen & ((uint64_t)1 << (words[j].term & 63))))
				score += 10;
			seen |= (uint64_t)1 << (words[j].term & 63);
			score++;
		}
		if (score > best_score) {
			best_score = score;
			best = from;
		}
	}
	if (nwords == 0)
		goto out;
	wend = best;
	while (wend + 1 < nwords && words[wend + 1].end - words[best].start <= max)
		wend++;
	if (best > 0)
		buf_puts(&out, "… ");
	/* copy the window, collapsing white space and table pipes */
	for (i = best; i <= wend; i++) {
		if (i > best) {
			for (p = words[i - 1].end; p < words[i].start; p++) {
				char c = text[p];
				if (c == ' ' || c == '\n' || c == '\t' || c == '\r' ||
				    c == '|') {
					space = true;
					continue;
				}
				if (space && out.len)
					buf_putc(&out, ' ');
				space = false;
				buf_putc(&out, c);
			}
			if (space)
				buf_putc(&out, ' ');
			space = false;
		}
		if (words[i].term >= 0) {
			hit->segs = xrealloc(hit->segs,
			    (hit->nsegs + 1) * sizeof(*hit->segs));
			hit->segs[hit->nsegs++] = (struct snippet_seg){ out.len,
			    words[i].end - words[i].start, true };
			buf_append(&out, text + words[i].start,
			    words[i].end - words[i].start);
		} else {
			buf_append(&out, text + words[i].start,
			    words[i].end - words[i].start);
		}
	}
	/* trailing punctuation of the last word, then an ellipsis if cut */
	p = words[wend].end;
	if (p < len && (text[p] == '.' || text[p] == '?' || text[p] == '!'))
		buf_putc(&out, text[p]);
	else if (wend + 1 < nwords || len > words[wend].end + 1)
		buf_puts(&out, " …");
out:
	free(words);
	buf_release(&scratch);
	hit->snippet = buf_detach(&out, NULL);
	if (!hit->snippet)
		hit->snippet = xstrdup("");
	/* fill the gaps between highlights with plain segments */
	{
		struct snippet_seg *segs = NULL;
		size_t n = 0, at = 0, slen = strlen(hit->snippet);

		for (i = 0; i < hit->nsegs; i++) {
			segs = xrealloc(segs, (n + 2) * sizeof(*segs));
			if (hit->segs[i].off > at)
				segs[n++] = (struct snippet_seg){ at,
				    hit->segs[i].off - at, false };
			segs[n++] = hit->segs[i];
			at = hit->segs[i].off + hit->segs[i].len;
		}
		if (at < slen) {
			segs = xrealloc(segs, (n + 1) * sizeof(*segs));
			segs[n++] = (struct snippet_seg){ at, slen - at, false };
		}
		free(hit->segs);
		hit->segs = segs;
		hit->nsegs = n;
	}
}

/*
 * Why h matched: the words of its title, tags, summary and snippet that
 * match a query term (as written in the article, one per term), and the
 * fields they were found in (h->fields). Cheap: the text is at hand.
 */
static void
explain_hit(struct search_hit *h, char *const *terms, size_t nterms,
    struct terms *words)
{
	static const char *const fields[] = { "title", "tags", "summary", NULL };
	struct buf scratch, joined;
	const char *text;
	size_t f, p, start, end, k;
	uint64_t done = 0;
	json_t *tags, *tag;
	int t;

	buf_init(&scratch, 1024);
	buf_init(&joined, 0);
	for (f = 0; f <= 3; f++) {
		buf_reset(&joined);
		if (f == 3) {
			buf_puts(&joined, h->snippet);
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
		for (p = 0; next_word(text, joined.len, &p, &start, &end);) {
			t = match_word(text, start, end, terms, nterms, &scratch);
			if (t < 0)
				continue;
			h->fields |= 1u << f;
			if (done & ((uint64_t)1 << (t & 63)))
				continue;
			done |= (uint64_t)1 << (t & 63);
			terms_add(words, text + start, end - start);
		}
	}
	buf_release(&scratch);
	buf_release(&joined);
}

/* ---- queries ---- */

int
search_run(struct search *s, const struct search_request *req,
    struct search_result *res)
{
	struct xc_search xs = { 0 };
	struct buf norm, langterm;
	struct terms qterms = { 0 };
	xc_mset *m = NULL;
	const char *filters[2], *exclude[2];
	const char *data;
	size_t nfilters = 0, len, i;
	unsigned n;
	int rc, attempt;

	memset(res, 0, sizeof(*res));
	if (!req->q || strlen(req->q) > SEARCH_QUERY_MAX ||
	    !utf8_valid(req->q, strlen(req->q)) || req->limit > SEARCH_LIMIT_MAX)
		return KB_EINVAL;
	buf_init(&norm, SEARCH_QUERY_MAX * 2);
	buf_init(&langterm, 64);
	text_normalize(&norm, req->q, strlen(req->q));

	xs.text = buf_str(&norm);
	xs.stemmer = text_stemmer_name(text_detect_lang(norm.data ? norm.data : "",
	    norm.len, 0.5));
	xs.stopwords = stopwords;
	xs.prefixes = query_prefixes;
	xs.nprefixes = sizeof(query_prefixes) / sizeof(query_prefixes[0]);
	if (req->lang && *req->lang) {
		buf_printf(&langterm, "%s%s", PREFIX_LANG, req->lang);
		filters[nfilters++] = buf_str(&langterm);
	}
	xs.filter_all = filters;
	xs.nfilter_all = nfilters;
	if (!req->all_statuses) {
		exclude[0] = PREFIX_STATUS "draft";
		exclude[1] = PREFIX_STATUS "archived";
		xs.exclude = exclude;
		xs.nexclude = 2;
	}
	xs.offset = req->offset;
	xs.limit = req->limit;
	xs.check_at_least = req->offset + req->limit + 100;

	for (attempt = 0; attempt < 3; attempt++) {
		rc = xc_rdb_search(s->db, &xs, &m);
		if (rc == KB_EINVAL && !xs.plain) {
			xs.plain = true;	/* syntax error: search the words */
			res->plain_fallback = true;
			continue;
		}
		if (rc == KB_EMODIFIED && xc_rdb_reopen(s->db, NULL) == KB_OK)
			continue;
		break;
	}
	if (rc) {
		kb_log(LOG_ERR, "search: %s", xc_rdb_errmsg(s->db));
		goto out;
	}
	xc_mset_query_terms(m, terms_add, &qterms);
	res->total = xc_mset_total(m);
	n = xc_mset_size(m);
	res->hits = xcalloc(n ? n : 1, sizeof(*res->hits));
	for (i = 0; i < n; i++) {
		struct search_hit *h = &res->hits[res->nhits];
		struct terms mt = { 0 };
		json_error_t jerr;
		char *text;
		size_t tlen = 0;

		data = xc_mset_data(m, (unsigned)i, &len);
		if (!data)
			continue;
		h->doc = json_loadb(data, len, 0, &jerr);
		if (!json_is_object(h->doc)) {
			json_decref(h->doc);
			h->doc = NULL;
			continue;
		}
		h->score = xc_mset_weight(m, (unsigned)i);
		if (xc_mset_value(m, (unsigned)i, SLOT_TEXT, &text, &tlen))
			text = NULL;
		search_snippet(text ? text : "", text ? tlen : 0, qterms.v,
		    qterms.n, 240, h);
		free(text);
		explain_hit(h, qterms.v, qterms.n, &mt);
		h->matched = mt.v;
		h->nmatched = mt.n;
		res->nhits++;
	}
out:
	xc_mset_free(m);
	terms_release(&qterms);
	buf_release(&norm);
	buf_release(&langterm);
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

struct each_faq {
	struct search *s;
	int (*fn)(void *ctx, json_t *doc);
	void *ctx;
	int rc;
};

static int
each_faq_posting(void *ctx, unsigned docid)
{
	struct each_faq *e = ctx;
	json_t *doc;
	const char *status;
	int stop = 0;

	e->rc = load_doc(e->s, docid, &doc);
	if (e->rc)
		return 1;
	status = json_string_value(json_object_get(doc, "status"));
	if (status && strcmp(status, "published") == 0)
		stop = e->fn(e->ctx, doc);
	json_decref(doc);
	return stop;
}

int
search_each_faq(struct search *s, int (*fn)(void *ctx, json_t *doc), void *ctx)
{
	struct each_faq e = { s, fn, ctx, KB_OK };
	int rc;

	rc = xc_rdb_each_posting(s->db, TERM_HAS_FAQ, each_faq_posting, &e);
	return rc ? rc : e.rc;
}

int
search_counts(struct search *s, unsigned *articles, unsigned *with_faq)
{
	int rc = xc_rdb_doccount(s->db, articles);

	return rc ? rc : xc_rdb_termfreq(s->db, TERM_HAS_FAQ, with_faq);
}
