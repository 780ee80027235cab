/*
 * view.c - see view.h.
 */
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "err.h"
#include "html.h"
#include "kbd.h"
#include "log.h"
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

static json_t *
int_pair(size_t a, size_t b)
{
	json_t *pair = json_array();

	json_array_append_new(pair, json_integer((json_int_t)a));
	json_array_append_new(pair, json_integer((json_int_t)b));
	return pair;
}

json_t *
view_hit(const struct search_hit *h, bool for_page)
{
	static const char *const keys[] = { "slug", "title", "summary", "tags",
		"lang", "updated", "product", "category", "status", NULL };
	static const char *const field_names[] = { "title", "tags", "summary",
		"body" };
	json_t *o = json_object(), *segs, *in, *matched = json_array();
	const char *slug = json_string_value(json_object_get(h->doc, "slug"));
	const char *lang = json_string_value(json_object_get(h->doc, "lang"));
	char *url = view_article_url(slug ? slug : "");
	const struct snippet *sn = &h->snippet;
	size_t i;

	/* _nocheck: constants, and URLs that url-encoding left ASCII */
	copy_fields(o, h->doc, keys);
	json_object_set_new(o, "dir", json_string_nocheck(view_dir(lang)));
	json_object_set_new(o, "url", json_string_nocheck(url));
	json_object_set_new(o, "score", json_real(h->score));
	for (i = 0; i < h->nmatched; i++)
		json_array_append_new(matched, json_string(h->matched[i]));
	json_object_set_new(o, "matched", matched);
	in = json_array();
	for (i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (h->fields & (1u << i))
			json_array_append_new(in, json_string_nocheck(field_names[i]));
	json_object_set_new(o, "matched_in", in);
	segs = json_array();
	for (i = 0; i < sn->nsegs; i++) {
		if (for_page)
			json_array_append_new(segs, json_pack("{s:s%, s:b}",
			    "text", sn->snippet + sn->segs[i].off, sn->segs[i].len,
			    "hl", sn->segs[i].hl));
		else if (sn->segs[i].hl)
			json_array_append_new(segs, int_pair(sn->segs[i].off,
			    sn->segs[i].len));
	}
	if (for_page) {
		json_object_set_new(o, "snippet", segs);
	} else {
		json_object_set_new(o, "snippet", json_string(sn->snippet));
		json_object_set_new(o, "highlights", segs);
	}
	free(url);
	return o;
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

/* q with filter removed (if there) or appended. */
static char *
toggle_filter(const char *q, const char *filter)
{
	struct buf b;
	size_t n = strlen(filter);
	const char *p, *start = q;
	char *s;

	buf_init(&b, 0);
	if (!has_filter(q, filter)) {
		buf_printf(&b, "%s%s%s", q, *q ? " " : "", filter);
	} else {
		for (p = q; (p = strcasestr(p, filter)); p += n) {
			if ((p == q || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ')) {
				buf_append(&b, start, (size_t)(p - start));
				start = p + n + (p[n] == ' ');
			}
		}
		buf_puts(&b, start);
		while (b.len && b.data[b.len - 1] == ' ')
			buf_truncate(&b, b.len - 1);
	}
	s = buf_detach(&b, NULL);
	return s ? s : xstrdup("");
}

char *
view_search_url(const char *q, long page)
{
	struct buf b;
	char *s;

	buf_init(&b, 8192);
	buf_puts(&b, "/search?q=");
	url_encode_buf(&b, q, strlen(q), 0);
	if (page > 1)
		buf_printf(&b, "&page=%ld", page);
	s = buf_detach(&b, NULL);
	return s ? s : xstrdup("/search");
}

json_t *
view_facets(const struct search_result *res, const char *q, bool for_page)
{
	json_t *out = for_page ? json_array() : json_object(), *values, *o;
	struct buf filter;
	const struct facet_value *v;
	bool active;
	size_t f, i;
	char *toggled, *url, *lower;

	buf_init(&filter, 4096);
	for (f = 0; f < SEARCH_NFACETS; f++) {
		values = json_array();
		for (i = 0; i < res->facets[f].n; i++) {
			v = &res->facets[f].values[i];
			lower = xstrdup(v->value);
			for (char *c = lower; *c; c++)
				*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
			buf_reset(&filter);
			buf_printf(&filter, strchr(lower, ' ') ? "%s:\"%s\"" : "%s:%s",
			    search_facet_fields[f], lower);
			free(lower);
			active = has_filter(q, buf_str(&filter));
			toggled = toggle_filter(q, buf_str(&filter));
			url = view_search_url(toggled, 1);
			o = json_object();
			json_object_set_new(o, "value", json_string(v->value));
			json_object_set_new(o, "count", json_integer(v->count));
			json_object_set_new(o, "filter", json_string(buf_str(&filter)));
			json_object_set_new(o, "url", json_string_nocheck(url));
			json_object_set_new(o, "active", json_boolean(active));
			json_array_append_new(values, o);
			free(toggled);
			free(url);
		}
		if (for_page) {
			if (json_array_size(values))
				json_array_append_new(out, json_pack("{s:s, s:s, s:o}",
				    "name", search_facet_fields[f],
				    "label", search_facet_fields[f],	/* pages.c translates it */
				    "values", values));
			else
				json_decref(values);
		} else {
			json_object_set_new(out, search_facet_fields[f], values);
		}
	}
	buf_release(&filter);
	return out;
}


json_t *
view_search_answer(const struct search_result *res, const char *q, long page,
    long per_page)
{
	json_t *out, *results = json_array();
	size_t i;

	for (i = 0; i < res->nhits; i++)
		json_array_append_new(results, view_hit(&res->hits[i], false));
	out = json_pack("{s:s, s:I, s:I, s:I, s:b, s:o, s:o, s:O}", "query", q,
	    "total", (json_int_t)res->total, "page", (json_int_t)page,
	    "per_page", (json_int_t)per_page, "plain_fallback", res->plain_fallback,
	    "results", results, "facets", view_facets(res,
	    res->corrected ? res->corrected : q, false),
	    "faq_answers", res->faq);
	view_add_links(json_object_get(out, "faq_answers"));
	json_object_set_new(out, "corrected", res->corrected ?
	    json_string(res->corrected) : json_null());
	json_object_set_new(out, "suggestion", res->suggestion ?
	    json_string(res->suggestion) : json_null());
	return out;
}
