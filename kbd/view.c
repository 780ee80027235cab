/*
 * view.c - see view.h.
 */
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "err.h"
#include "html.h"
#include "json_out.h"
#include "kbd.h"
#include "log.h"
#include "standing.h"
#include "util.h"
#include "view.h"
#include "banned.h"

char *
view_url(const char *prefix, const char *slug)
{
	struct buf b;
	char *s;

	buf_init(&b, 0);
	buf_puts(&b, prefix);
	url_encode_buf(&b, slug, strlen(slug), 1);
	s = buf_detach(&b, NULL);
	return s ? s : xstrdup("/");
}

char *
view_article_url(const char *slug)
{
	return view_url("/articles/", slug);
}

const char *
view_dir(const char *lang)
{
	return lang && strcmp(lang, "ar") == 0 ? "rtl" : "ltr";
}

static void
copy_fields(json_t *dst, json_t *src, const char *const *keys)
{
	json_t *v;

	for (; *keys; keys++) {
		v = json_object_get(src, *keys);
		json_object_set_new(dst, *keys, v ? json_incref(v) :
		    json_string_nocheck(""));
	}
}

/* ---- one view, two ways out ---- */

#define SINK_DEPTH 8

/*
 * Where a view goes: written straight as JSON text (the API, w set), or
 * built as jansson values (pages, for their templates): the same calls
 * make both, so the two cannot disagree. Strings marked checked are
 * dropped, as jansson drops them, unless they are valid UTF-8; the others
 * are constants or URL-encoded, ASCII.
 */
struct sink {
	struct json_writer *w;
	json_t *open[SINK_DEPTH];	/* building: the containers open */
	int depth;
	int too_deep;		/* begun past SINK_DEPTH: their values dropped */
	json_t *root;
};

/* Building: attach v (a new reference, or NULL: nothing) under key. */
static void
attach(struct sink *s, const char *key, json_t *v)
{
	json_t *in = s->depth ? s->open[s->depth - 1] : NULL;

	if (!v)
		return;
	if (s->too_deep) {
		json_decref(v);
		return;
	}
	if (!in) {
		json_decref(s->root);
		s->root = v;
	} else if (json_is_array(in)) {
		json_array_append_new(in, v);
	} else {
		json_object_set_new(in, key, v);
	}
}

static void
sink_begin(struct sink *s, const char *key, bool array)
{
	json_t *c;

	if (s->w) {
		if (key)
			jw_key(s->w, key);
		if (array)
			jw_begin_array(s->w);
		else
			jw_begin_object(s->w);
		return;
	}
	if (s->too_deep || s->depth == SINK_DEPTH) {
		s->too_deep++;
		return;
	}
	c = array ? json_array() : json_object();
	attach(s, key, json_incref(c));
	s->open[s->depth++] = c;
	json_decref(c);	/* held by its parent (or root) */
}

static void
sink_end(struct sink *s, bool array)
{
	if (s->w) {
		if (array)
			jw_end_array(s->w);
		else
			jw_end_object(s->w);
	} else if (s->too_deep) {
		s->too_deep--;
	} else if (s->depth) {
		s->depth--;
	}
}

static void
sink_string(struct sink *s, const char *key, const char *v, size_t len,
    bool checked)
{
	if (!v || (checked && !utf8_valid(v, len)))
		return;
	if (s->w) {
		if (key)
			jw_key(s->w, key);
		jw_string(s->w, v, len);
	} else {
		attach(s, key, json_stringn_nocheck(v, len));
	}
}

static void
sink_str(struct sink *s, const char *key, const char *v, bool checked)
{
	sink_string(s, key, v, v ? strlen(v) : 0, checked);
}

static void
sink_integer(struct sink *s, const char *key, json_int_t v)
{
	if (s->w) {
		if (key)
			jw_key(s->w, key);
		jw_integer(s->w, v);
	} else {
		attach(s, key, json_integer(v));
	}
}

/* A score or a ratio: six decimals say all there is to say. */
static void
sink_real(struct sink *s, const char *key, double v)
{
	if (s->w) {
		if (key)
			jw_key(s->w, key);
		jw_fixed(s->w, v, 6);
	} else {
		attach(s, key, json_real(v));
	}
}

static void
sink_bool(struct sink *s, const char *key, bool v)
{
	if (s->w) {
		if (key)
			jw_key(s->w, key);
		jw_bool(s->w, v);
	} else {
		attach(s, key, json_boolean(v));
	}
}

/* A jansson value as it is (shared when building); NULL: json null. */
static void
sink_value(struct sink *s, const char *key, json_t *v)
{
	if (s->w) {
		if (key)
			jw_key(s->w, key);
		if (v)
			jw_value(s->w, v);
		else
			jw_null(s->w);
	} else {
		attach(s, key, v ? json_incref(v) : json_null());
	}
}

/* The value built (a new reference), or NULL. */
static json_t *
sink_built(struct sink *s)
{
	json_t *v = s->root;

	s->root = NULL;
	return v;
}

/* ---- search results ---- */

static void
hit_out(struct sink *s, const struct search_hit *h, bool for_page,
    const struct standing *votes)
{
	static const char *const keys[] = { "slug", "title", "summary", "tags",
		"lang", "updated", "product", "category", "status", NULL };
	static const char *const field_names[] = { "title", "tags", "summary",
		"body" };
	const char *slug = json_string_value(json_object_get(h->doc, "slug"));
	const char *lang = json_string_value(json_object_get(h->doc, "lang"));
	const struct snippet *sn = &h->snippet;
	const char *const *k;
	int64_t helpful, cast;
	json_t *v;
	char *url;
	size_t i;

	sink_begin(s, NULL, false);
	for (k = keys; *k; k++) {
		v = json_object_get(h->doc, *k);
		if (v)
			sink_value(s, *k, v);
		else
			sink_string(s, *k, "", 0, false);
	}
	sink_str(s, "dir", view_dir(lang), false);
	url = view_article_url(slug ? slug : "");
	sink_str(s, "url", url, false);	/* URL-encoding left it ASCII */
	free(url);
	sink_real(s, "score", h->score);
	standing_votes(votes, slug, &helpful, &cast);
	sink_integer(s, "helpful", helpful);
	sink_integer(s, "votes", cast);
	sink_begin(s, "matched", true);
	for (i = 0; i < h->nmatched; i++)
		sink_str(s, NULL, h->matched[i], true);
	sink_end(s, true);
	sink_begin(s, "matched_in", true);
	for (i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (h->fields & (1u << i))
			sink_str(s, NULL, field_names[i], false);
	sink_end(s, true);
	sink_bool(s, "quoted", h->quoted);
	if (for_page) {
		sink_begin(s, "snippet", true);
		for (i = 0; i < sn->nsegs; i++) {
			if (!utf8_valid(sn->snippet + sn->segs[i].off,
			    sn->segs[i].len))
				continue;
			sink_begin(s, NULL, false);
			sink_string(s, "text", sn->snippet + sn->segs[i].off,
			    sn->segs[i].len, false);
			sink_bool(s, "hl", sn->segs[i].hl);
			sink_end(s, false);
		}
		sink_end(s, true);
	} else {
		sink_str(s, "snippet", sn->snippet, true);
		sink_begin(s, "highlights", true);
		for (i = 0; i < sn->nsegs; i++) {
			if (!sn->segs[i].hl)
				continue;
			sink_begin(s, NULL, true);
			sink_integer(s, NULL, (json_int_t)sn->segs[i].off);
			sink_integer(s, NULL, (json_int_t)sn->segs[i].len);
			sink_end(s, true);
		}
		sink_end(s, true);
	}
	sink_end(s, false);
}

json_t *
view_hit(const struct search_hit *h, bool for_page,
    const struct standing *votes)
{
	struct sink s = { 0 };

	hit_out(&s, h, for_page, votes);
	return sink_built(&s);
}

int
view_article(const struct kbd *kbd, json_t *doc, json_t **out)
{
	static const char *const keys[] = { "slug", "title", "summary", "tags",
		"product", "category", "lang", "audience", "status", "author",
		"updated", "faq", NULL };
	struct article_diag diag;
	struct article a;
	const char *path = json_string_value(json_object_get(doc, "path"));
	char *html = NULL, *url;
	json_t *o;
	int rc;

	*out = NULL;
	if (!path)
		return KB_ENOTFOUND;
	article_diag_init(&diag);
	/* the path comes from the index, never from the URL */
	rc = article_load(kbd->cfg.articles_dir, path, &a, &diag);
	if (rc) {
		if (rc != KB_ENOTFOUND)
			kb_log(LOG_WARNING, "article %s: %s%s", path, kb_strerror(rc),
			    buf_str(&diag.errors));
		article_diag_release(&diag);
		return rc == KB_ENOTFOUND ? rc : KB_EIO;
	}
	article_diag_release(&diag);
	rc = article_html(&a, &html);
	if (rc) {
		article_release(&a);
		return rc;
	}
	o = json_object();
	copy_fields(o, doc, keys);
	/* the file is the source of truth: show what it says now */
	json_object_set_new(o, "title", json_string(a.title));
	json_object_set_new(o, "summary", json_string(a.summary));
	json_object_set_new(o, "dir", json_string(view_dir(a.lang)));
	url = view_article_url(a.slug);
	json_object_set_new(o, "url", json_string(url));
	free(url);
	json_object_set_new(o, "html", json_string(html));
	free(html);
	article_release(&a);
	*out = o;
	return KB_OK;
}

void
view_add_links(json_t *list)
{
	const char *slug, *lang;
	json_t *e;
	size_t i;
	char *url;

	json_array_foreach(list, i, e) {
		slug = json_string_value(json_object_get(e, "slug"));
		lang = json_string_value(json_object_get(e, "lang"));
		url = view_article_url(slug ? slug : "");
		json_object_set_new(e, "url", json_string(url));
		json_object_set_new(e, "dir", json_string(view_dir(lang)));
		free(url);
	}
}

/* Is "field:value" (any case, optionally quoted) one of the words of q? */
static bool
has_filter(const char *q, const char *filter)
{
	size_t n = strlen(filter);
	const char *p;

	for (p = q; (p = strcasestr(p, filter)); p += n)
		if ((p == q || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return true;
	return false;
}

/* Into out (emptied first): q without filter (an active one), spaces trimmed. */
static void
remove_filter(struct buf *out, const char *q, const char *filter)
{
	size_t n = strlen(filter);
	const char *p, *start = q;

	buf_reset(out);
	for (p = q; (p = strcasestr(p, filter)); p += n) {
		if ((p == q || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ')) {
			buf_append(out, start, (size_t)(p - start));
			start = p + n + (p[n] == ' ');
		}
	}
	buf_puts(out, start);
	while (out->len && out->data[out->len - 1] == ' ')
		buf_truncate(out, out->len - 1);
}

/* Append the results page's address for q (and page, past the first). */
static void
search_url_into(struct buf *b, const char *q, long page)
{
	buf_puts(b, "/search?q=");
	url_encode_buf(b, q, strlen(q), 0);
	if (page > 1)
		buf_printf(b, "&page=%ld", page);
}

char *
view_search_url(const char *q, long page)
{
	struct buf b;
	char *s;

	buf_init(&b, 8192);
	search_url_into(&b, q, page);
	s = buf_detach(&b, NULL);
	return s ? s : xstrdup("/search");
}

/* Into b (emptied first): "field:value", lower-cased, quoted if it has a space. */
static void
facet_filter(struct buf *b, const char *field, const char *value)
{
	bool quote = strchr(value, ' ') != NULL;
	const char *c;

	buf_reset(b);
	buf_puts(b, field);
	buf_putc(b, ':');
	if (quote)
		buf_putc(b, '"');
	for (c = value; *c; c++)
		buf_putc(b, (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c));
	if (quote)
		buf_putc(b, '"');
}

/*
 * The facet counts of res under key: for a page an array of {name, label,
 * values} (empty facets left out), for the API an object field → values.
 */
static void
facets_out(struct sink *s, const char *key, const struct search_result *res,
    const char *q, bool for_page)
{
	struct buf filter, without, url, here;
	const struct facet_value *v;
	size_t f, i;
	bool active;

	buf_init(&filter, 4096);
	buf_init(&without, 0);
	buf_init(&url, 8192);
	buf_init(&here, 8192);
	search_url_into(&here, q, 1);
	sink_begin(s, key, for_page);
	for (f = 0; f < SEARCH_NFACETS; f++) {
		if (for_page) {
			if (!res->facets[f].n)
				continue;
			sink_begin(s, NULL, false);
			sink_str(s, "name", search_facet_fields[f], false);
			/* pages.c translates the label */
			sink_str(s, "label", search_facet_fields[f], false);
			sink_begin(s, "values", true);
		} else {
			sink_begin(s, search_facet_fields[f], true);
		}
		for (i = 0; i < res->facets[f].n; i++) {
			v = &res->facets[f].values[i];
			facet_filter(&filter, search_facet_fields[f], v->value);
			active = has_filter(q, buf_str(&filter));
			buf_reset(&url);
			if (active) {	/* the link takes the filter off */
				remove_filter(&without, q, buf_str(&filter));
				search_url_into(&url, buf_str(&without), 1);
			} else {	/* q and the filter: q's part made once */
				buf_append(&url, here.data, here.len);
				if (*q)
					buf_puts(&url, "%20");
				url_encode_buf(&url, filter.data, filter.len, 0);
			}
			sink_begin(s, NULL, false);
			sink_str(s, "value", v->value, true);
			sink_integer(s, "count", v->count);
			sink_string(s, "filter", filter.data, filter.len, true);
			sink_string(s, "url", url.err ? "/search" : buf_str(&url),
			    url.err ? strlen("/search") : url.len, false);
			sink_bool(s, "active", active);
			sink_end(s, false);
		}
		sink_end(s, true);
		if (for_page)
			sink_end(s, false);
	}
	sink_end(s, for_page);
	buf_release(&filter);
	buf_release(&without);
	buf_release(&url);
	buf_release(&here);
}

json_t *
view_facets(const struct search_result *res, const char *q, bool for_page)
{
	struct sink s = { 0 };

	facets_out(&s, NULL, res, q, for_page);
	return sink_built(&s);
}

void
view_search_write(const struct search_result *res, const char *q, long page,
    long per_page, const struct standing *votes, struct buf *out)
{
	struct json_writer w;
	struct sink s = { .w = &w };
	size_t i;

	jw_init(&w, out);
	sink_begin(&s, NULL, false);
	sink_str(&s, "query", q, true);
	sink_integer(&s, "total", (json_int_t)res->total);
	sink_integer(&s, "page", (json_int_t)page);
	sink_integer(&s, "per_page", (json_int_t)per_page);
	sink_bool(&s, "plain_fallback", res->plain_fallback);
	sink_begin(&s, "results", true);
	for (i = 0; i < res->nhits; i++)
		hit_out(&s, &res->hits[i], false, votes);
	sink_end(&s, true);
	facets_out(&s, "facets", res, res->corrected ? res->corrected : q,
	    false);
	view_add_links(res->faq);
	sink_value(&s, "faq_answers", res->faq);
	if (res->corrected)
		sink_str(&s, "corrected", res->corrected, true);
	else
		sink_value(&s, "corrected", NULL);
	if (res->suggestion)
		sink_str(&s, "suggestion", res->suggestion, true);
	else
		sink_value(&s, "suggestion", NULL);
	sink_end(&s, false);
}
