/*
 * pages.c - the HTML pages: home, search results, article, FAQ, and the
 * static files. Every value reaches HTML through the template engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "html.h"
#include "http.h"
#include "i18n.h"
#include "kbd.h"
#include "log.h"
#include "pages.h"
#include "search.h"
#include "tickets.h"
#include "searchlog.h"
#include "statics.h"
#include "util.h"
#include "view.h"
#include "banned.h"

#define PAGE_SIZE 10
#define PAGE_MAX 100	/* deeper than 1,000 results nobody reads */
#define SLUG_MAX 512

bool
valid_slug(struct kbd *kbd, const struct req *r, struct response *resp)
{
	const char *s = r->rest, *seg;
	size_t len = strlen(s), i;

	if (len == 0 || len > SLUG_MAX || !utf8_valid(s, len))
		goto bad;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == '\\' || s[i] == 0x7f)
			goto bad;
	for (seg = s; seg; seg = strchr(seg, '/') ? strchr(seg, '/') + 1 : NULL) {
		size_t n = strcspn(seg, "/");
		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			goto bad;
	}
	return true;
bad:
	resp_error_args(kbd, r, resp, 404, "not_found",
	    "There is no article at this address.", "error_not_found_article", NULL);
	return false;
}

bool
parse_page_arg(struct kbd *kbd, const struct req *r, struct response *resp,
    const char *name, long max, long dflt, long *out)
{
	const char *v = req_arg(r, name);
	struct buf msg;
	json_t *args;

	*out = dflt;
	if (!v || !*v)
		return true;
	if (kb_strtol_range(v, 1, max, out) == KB_OK)
		return true;
	buf_init(&msg, 256);
	buf_printf(&msg, "'%s' must be a whole number from 1 to %ld.", name, max);
	args = json_pack("{s:s, s:i, s:I}", "name", name, "min", 1, "max",
	    (json_int_t)max);
	resp_error_args(kbd, r, resp, 400, "bad_parameter", buf_str(&msg),
	    "error_bad_number", args);
	json_decref(args);
	buf_release(&msg);
	return false;
}

bool
parse_query_arg(struct kbd *kbd, const struct req *r, struct response *resp,
    const char **out)
{
	const char *q = req_arg(r, "q");
	struct buf msg;
	json_t *args;

	*out = q;
	if (!q)
		return true;
	if (strlen(q) > SEARCH_QUERY_MAX) {
		buf_init(&msg, 256);
		buf_printf(&msg, "The query is too long: at most %d bytes.",
		    SEARCH_QUERY_MAX);
		args = json_pack("{s:i}", "max", SEARCH_QUERY_MAX);
		resp_error_args(kbd, r, resp, 400, "query_too_long", buf_str(&msg),
		    NULL, args);
		json_decref(args);
		buf_release(&msg);
		return false;
	}
	if (!utf8_valid(q, strlen(q))) {
		resp_error(kbd, r, resp, 400, "bad_encoding",
		    "The query is not valid UTF-8 text.");
		return false;
	}
	return true;
}

/* The index could not be read: a clear 503, the cause is in the log. */
static void
index_unavailable(struct kbd *kbd, const struct req *r, struct response *resp)
{
	resp_error(kbd, r, resp, 503, "index_unavailable",
	    "The search index is not available right now. Try again shortly.");
}

void
page_home(struct kbd *kbd, const struct req *r, struct response *resp)
{
	unsigned articles = 0, with_faq = 0;
	json_t *data;

	if (!r->search || search_counts(r->search, &articles, &with_faq)) {
		index_unavailable(kbd, r, resp);
		return;
	}
	data = page_data(kbd, r, req_text(kbd, r, "title_home"), "");
	json_object_set_new(data, "article_count", json_integer(articles));
	json_object_set_new(data, "faq_count", json_integer(with_faq));
	resp_page(kbd, resp, 200, "home", data);
}

/*
 * Facet labels and the "matched in" field names of results in the
 * interface language (facet_tag …, field_title …).
 */
static void
label_facets(struct kbd *kbd, const struct req *r, json_t *facets,
    json_t *results)
{
	const char *name;
	json_t *f, *res, *in, *v;
	size_t i, j;
	char key[64];

	json_array_foreach(facets, i, f) {
		name = json_string_value(json_object_get(f, "name"));
		snprintf(key, sizeof(key), "facet_%s", name ? name : "");
		json_object_set_new(f, "label", json_string(req_text(kbd, r, key)));
	}
	json_array_foreach(results, i, res) {
		in = json_object_get(res, "matched_in");
		json_array_foreach(in, j, v) {
			snprintf(key, sizeof(key), "field_%s", json_string_value(v));
			json_array_set_new(in, j, json_string(req_text(kbd, r, key)));
		}
	}
}

void
page_search(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct search_request sr = { 0 };
	struct search_result res;
	const char *q;
	long page, pages;
	json_t *data, *results, *facets;
	char *url;
	size_t i;

	if (!parse_query_arg(kbd, r, resp, &q) ||
	    !parse_page_arg(kbd, r, resp, "page", PAGE_MAX, 1, &page))
		return;
	if (!q || !*q) {
		resp_redirect(resp, "/");
		return;
	}
	if (!r->search) {
		index_unavailable(kbd, r, resp);
		return;
	}
	sr.q = q;
	sr.offset = (unsigned)(page - 1) * PAGE_SIZE;
	sr.limit = PAGE_SIZE;
	sr.facets = true;
	/* "search instead for" the exact words: no correction */
	sr.spelling = !req_arg(r, "exact");
	sr.faq = true;
	if (search_run(r->search, &sr, &res)) {
		search_result_release(&res);
		index_unavailable(kbd, r, resp);
		return;
	}
	data = page_data(kbd, r, q, q);
	results = json_array();
	for (i = 0; i < res.nhits; i++)
		json_array_append_new(results, view_hit(&res.hits[i], true));
	pages = ((long)res.total + PAGE_SIZE - 1) / PAGE_SIZE;
	if (pages > PAGE_MAX)
		pages = PAGE_MAX;
	json_object_set_new(data, "results", results);
	json_object_set_new(data, "total", json_integer(res.total));
	json_object_set_new(data, "page", json_integer(page));
	json_object_set_new(data, "pages", json_integer(pages));
	json_object_set_new(data, "first", json_integer(sr.offset + 1));
	json_object_set_new(data, "last", json_integer(sr.offset + res.nhits));
	json_object_set_new(data, "no_results", json_boolean(res.total == 0));
	json_object_set_new(data, "plain_fallback", json_boolean(res.plain_fallback));
	facets = view_facets(&res, res.corrected ? res.corrected : q, true);
	label_facets(kbd, r, facets, results);
	json_object_set_new(data, "facets", facets);
	view_add_links(res.faq);
	json_object_set_new(data, "faq_answers", json_incref(res.faq));
	if (res.corrected) {
		url = view_search_url(q, 1);
		json_object_set_new(data, "corrected", json_pack("{s:s, s:s+}",
		    "text", res.corrected, "original_url", url, "&exact=1"));
		free(url);
	}
	if (res.suggestion) {
		url = view_search_url(res.suggestion, 1);
		json_object_set_new(data, "suggestion", json_pack("{s:s, s:s}",
		    "text", res.suggestion, "url", url));
		free(url);
	}
	if (page > 1) {
		url = view_search_url(q, page - 1);
		json_object_set_new(data, "prev_url", json_string(url));
		free(url);
	}
	if (page < pages) {
		url = view_search_url(q, page + 1);
		json_object_set_new(data, "next_url", json_string(url));
		free(url);
	}
	if (page == 1)
		searchlog_add(kbd->searchlog, q, res.total);
	search_result_release(&res);
	resp_page(kbd, resp, 200, "search", data);
}

json_t *
find_article(struct kbd *kbd, const struct req *r, struct response *resp)
{
	json_t *doc = NULL, *article = NULL;
	const char *status;
	int rc;

	if (!valid_slug(kbd, r, resp))
		return NULL;
	if (!r->search) {
		index_unavailable(kbd, r, resp);
		return NULL;
	}
	rc = search_find(r->search, r->rest, &doc);
	if (rc == KB_OK) {
		status = json_string_value(json_object_get(doc, "status"));
		if (!status || strcmp(status, "published") != 0)
			rc = KB_ENOTFOUND;
	}
	if (rc == KB_OK)
		rc = view_article(kbd, doc, &article);
	json_decref(doc);
	if (rc == KB_ENOTFOUND)
		resp_error_args(kbd, r, resp, 404, "not_found",
		    "There is no article at this address. It may have been "
		    "renamed or archived: try searching for it.",
		    "error_not_found_article", NULL);
	else if (rc)
		resp_error(kbd, r, resp, 500, "internal",
		    "The article could not be shown.");
	return article;
}

void
page_article(struct kbd *kbd, const struct req *r, struct response *resp)
{
	json_t *article = find_article(kbd, r, resp), *data, *related = NULL;
	int64_t resolved = 0;
	const char *status;
	char key[64];

	if (!article)
		return;
	data = page_data(kbd, r,
	    json_string_value(json_object_get(article, "title")), "");
	status = json_string_value(json_object_get(article, "status"));
	if (status) {
		snprintf(key, sizeof(key), "article_status_%s", status);
		json_object_set_new(article, "status_label", json_string(
		    strlen(status) < 32 ? req_text(kbd, r, key) : status));
	}
	if (search_related(r->search, r->rest, 5, &related) == KB_OK) {
		view_add_links(related);
		json_object_set_new(data, "related", related);
	}
	/* how many tickets this article resolved (resolved-by links) */
	if (r->store && tickets_resolved_by_count(r->store, r->rest, &resolved) == KB_OK)
		json_object_set_new(article, "resolved_count", json_integer(resolved));
	json_object_set_new(data, "article", article);
	resp_page(kbd, resp, 200, "article", data);
}

/* ---- FAQ ---- */

struct faq_collect {
	json_t *by_category;	/* name → array of entries */
	const char *general;	/* the category of articles without one */
};

static int
faq_add(void *ctx, json_t *doc)
{
	struct faq_collect *fc = ctx;
	const char *cat = json_string_value(json_object_get(doc, "category"));
	const char *slug = json_string_value(json_object_get(doc, "slug"));
	const char *lang = json_string_value(json_object_get(doc, "lang"));
	json_t *list, *faq = json_object_get(doc, "faq"), *e;
	char *url;
	size_t i;

	if (!cat || !*cat)
		cat = fc->general;
	list = json_object_get(fc->by_category, cat);
	if (!list) {
		list = json_array();
		json_object_set_new(fc->by_category, cat, list);
	}
	url = view_article_url(slug ? slug : "");
	json_array_foreach(faq, i, e) {
		json_array_append_new(list, json_pack("{s:O, s:O, s:s, s:O, s:s, s:s}",
		    "q", json_object_get(e, "q"), "a", json_object_get(e, "a"),
		    "url", url, "title", json_object_get(doc, "title"),
		    "lang", lang ? lang : "en", "dir", view_dir(lang)));
	}
	free(url);
	return 0;
}

static int
cmp_category(const void *a, const void *b)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "name")),
	    json_string_value(json_object_get(*(json_t *const *)b, "name")));
}

void
page_faq(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct faq_collect fc;
	json_t *data, *cats, *entries, **sorted;
	const char *name;
	size_t n = 0, i;

	if (!r->search) {
		index_unavailable(kbd, r, resp);
		return;
	}
	fc.by_category = json_object();
	fc.general = req_text(kbd, r, "faq_general");
	if (search_each_faq(r->search, faq_add, &fc)) {
		json_decref(fc.by_category);
		index_unavailable(kbd, r, resp);
		return;
	}
	sorted = xcalloc(json_object_size(fc.by_category) + 1, sizeof(*sorted));
	json_object_foreach(fc.by_category, name, entries)
		sorted[n++] = json_pack("{s:s, s:O}", "name", name, "entries", entries);
	qsort(sorted, n, sizeof(*sorted), cmp_category);
	cats = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(cats, sorted[i]);
	free(sorted);
	json_decref(fc.by_category);
	data = page_data(kbd, r, req_text(kbd, r, "title_faq"), "");
	json_object_set_new(data, "categories", cats);
	resp_page(kbd, resp, 200, "faq", data);
}

/* ---- knowledge gaps ---- */

#define GAPS_DAYS_MAX 365
#define GAPS_LIMIT 200

json_t *
gaps_report(struct kbd *kbd, const struct req *r, struct response *resp)
{
	json_t *report = NULL;
	long days;

	if (!parse_page_arg(kbd, r, resp, "days", GAPS_DAYS_MAX, 30, &days))
		return NULL;
	if (!r->store || searchlog_gaps(r->store, (unsigned)days, GAPS_LIMIT,
	    &report)) {
		resp_error(kbd, r, resp, 503, "store_unavailable",
		    "The search log cannot be read right now.");
		return NULL;
	}
	return report;
}

void
page_gaps(struct kbd *kbd, const struct req *r, struct response *resp)
{
	json_t *report = gaps_report(kbd, r, resp), *data, *gap;
	struct buf q;
	const char *text;
	json_int_t days;
	size_t i;

	if (!report)
		return;
	buf_init(&q, 4096);
	json_array_foreach(json_object_get(report, "gaps"), i, gap) {
		text = json_string_value(json_object_get(gap, "query"));
		buf_reset(&q);
		url_encode_buf(&q, text, strlen(text), 0);
		json_object_set_new(gap, "url_q", json_string(buf_str(&q)));
	}
	buf_release(&q);
	data = page_data(kbd, r, req_text(kbd, r, "title_gaps"), "");
	json_object_update(data, report);
	json_decref(report);
	days = json_integer_value(json_object_get(data, "days"));
	json_object_set_new(data, "gaps_lead", i18n_plural(kbd->i18n,
	    req_lang(kbd, r), "gaps_lead", days));
	json_object_set_new(data, "gaps_none", i18n_plural(kbd->i18n,
	    req_lang(kbd, r), "gaps_none", days));
	resp_page(kbd, resp, 200, "gaps", data);
}

/* ---- static files ---- */

void
page_static(struct kbd *kbd, const struct req *r, struct response *resp)
{
	const struct static_file *f = statics_find(kbd->statics, r->rest);

	if (!f) {
		resp_error(kbd, r, resp, 404, "not_found", "No such file.");
		return;
	}
	buf_reset(&resp->body);
	buf_append(&resp->body, f->data, f->len);
	resp->status = 200;
	resp->content_type = f->content_type;
	resp->cache_control = "public, max-age=300";
}
