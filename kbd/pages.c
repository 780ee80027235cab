/*
 * pages.c - the HTML pages: home, search results, article, FAQ, and the
 * static files. Every value reaches HTML through the template engine.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "access.h"
#include "attachments.h"
#include "err.h"
#include "faq.h"
#include "feedback.h"
#include "html.h"
#include "http.h"
#include "i18n.h"
#include "kbd.h"
#include "log.h"
#include "pages.h"
#include "revisions.h"
#include "search.h"
#include "ticket_view.h"
#include "tickets.h"
#include "searchlog.h"
#include "standing.h"
#include "statics.h"
#include "ui_lang.h"
#include "util.h"
#include "view.h"
#include "widgets.h"
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

void
search_scope(const struct req *r, const char *q, struct search_request *sr)
{
	if (!access_allows(r->user.role, PERM_KNOWLEDGE, false))
		return;
	sr->drafts = true;
	/* "status:archived" asks for the archive by name */
	sr->all_statuses = q && strstr(q, "status:") != NULL;
}

int
search_agent(struct kbd *kbd, const struct req *r, struct search_request *sr,
    struct search_result *res, struct standing **votes)
{
	struct search_prior prior;
	struct standing *held;
	int rc;

	held = standing_prior(kbd->standings, r->store, &prior);
	sr->prior = &prior;
	rc = search_run(r->search, sr, res);
	sr->prior = NULL;
	*votes = held;
	return rc;
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
	struct standing *votes = NULL;
	const char *q;
	long page, pages;
	json_t *data, *results, *facets;
	int64_t sid;
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
	search_scope(r, q, &sr);
	if (search_agent(kbd, r, &sr, &res, &votes)) {
		search_result_release(&res);
		standing_unref(votes);
		index_unavailable(kbd, r, resp);
		return;
	}
	data = page_data(kbd, r, q, q);
	results = json_array();
	/*
	 * An id for this results page, which its links carry: the time in the
	 * high bits (search success counts a range's opens from them alone),
	 * 20 random bits below
	 */
	sid = ((int64_t)time(NULL) << 20) | (int64_t)(randombytes_random() & 0xfffff);
	for (i = 0; i < res.nhits; i++) {
		json_t *hit = view_hit(&res.hits[i], true, votes);
		const char *hs = json_string_value(json_object_get(hit, "status"));

		/* "3 of 4 found it helpful": what colleagues said of it */
		if (json_integer_value(json_object_get(hit, "helpful")) > 0)
			json_object_set_new(hit, "helpful_text", i18n_message(
			    kbd->i18n, req_lang(kbd, r), "result_helpful"));
		/* writers see drafts too: say which */
		if (hs && strcmp(hs, "published") != 0)
			json_object_set_new(hit, "status_label", widget_label(kbd, r,
			    "article_status_", hs));
		if (page == 1) {
			char from[64];
			snprintf(from, sizeof(from), "?from=%lld", (long long)sid);
			json_object_set_new(hit, "url", json_pack("s++", json_string_value(
			    json_object_get(hit, "url")), from, ""));
		}
		json_array_append_new(results, hit);
	}
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
		searchlog_add(kbd->searchlog, q, res.total, sid);
	search_result_release(&res);
	standing_unref(votes);
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
		/* drafts, reviews and the archive are for those who write */
		status = json_string_value(json_object_get(doc, "status"));
		if (!status || (strcmp(status, "published") != 0 &&
		    !access_allows(r->user.role, PERM_KNOWLEDGE, false)))
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

/* What L2/L3 may do to an article in status: [{action, label}]. */
static json_t *
lifecycle_actions(struct kbd *kbd, const struct req *r, const char *status)
{
	static const struct { const char *status, *action; } moves[] = {
		{ "draft", "review" }, { "draft", "archive" },
		{ "review", "publish" }, { "review", "draft" },
		{ "published", "review" }, { "published", "draft" },
		{ "published", "archive" }, { "archived", "draft" },
	};
	json_t *list = json_array();
	char key[64];
	size_t i;

	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (strcmp(moves[i].status, status) != 0)
			continue;
		snprintf(key, sizeof(key), "article_action_%s%s", moves[i].action,
		    strcmp(status, "published") == 0 &&
		    strcmp(moves[i].action, "review") == 0 ? "ed" : "");
		json_array_append_new(list, json_pack("{s:s, s:s}", "action",
		    moves[i].action, "label", req_text(kbd, r, key)));
	}
	return list;
}

void
page_article(struct kbd *kbd, const struct req *r, struct response *resp)
{
	json_t *article, *data, *related = NULL, *fb = NULL;
	int64_t resolved = 0;
	const char *status, *thanks = req_arg(r, "thanks"), *from;
	long sid;
	bool writer = access_allows(r->user.role, PERM_KNOWLEDGE, false);
	time_t reviewed = 0;
	char key[64], *reviewer = NULL, *url;

	if (attachment_path(r->rest)) {
		attachment_serve(kbd, r, resp);
		return;
	}
	if (!(article = find_article(kbd, r, resp)))
		return;
	/* opened from a results page: that search succeeded (metrics.h) */
	if ((from = req_arg(r, "from")) && r->store &&
	    kb_strtol_range(from, 1, LONG_MAX, &sid) == KB_OK)
		searchlog_opened(r->store, sid);
	data = page_data(kbd, r,
	    json_string_value(json_object_get(article, "title")), "");
	status = json_string_value(json_object_get(article, "status"));
	if (!status)
		status = "published";
	snprintf(key, sizeof(key), "article_status_%s", status);
	json_object_set_new(article, "status_label", json_string(
	    strlen(status) < 32 ? req_text(kbd, r, key) : status));
	json_object_set_new(article, "is_published",
	    json_boolean(strcmp(status, "published") == 0));
	json_object_set_new(article, "audience_label", widget_label(kbd, r,
	    "audience_", json_string_value(json_object_get(article, "audience"))));
	if (search_related(r->search, r->rest, 5, &related) == KB_OK) {
		view_add_links(related);
		json_object_set_new(data, "related", related);
	}
	if (r->store) {
		/* how many tickets this article resolved (resolved-by links) */
		if (ticket_view_resolved_by_count(r->store, r->rest,
		    &resolved) == KB_OK)
			json_object_set_new(article, "resolved_count",
			    json_integer(resolved));
		if (r->user.role != ROLE_NONE &&
		    feedback_summary(r->store, r->rest, r->user.id, &fb) == KB_OK) {
			json_t *ratio = json_object_get(fb, "ratio");
			if (json_is_real(ratio))
				json_object_set_new(fb, "ratio_pct", json_integer(
				    (json_int_t)(json_real_value(ratio) * 100 + 0.5)));
			json_object_set_new(fb, "voted_yes", json_boolean(
			    json_is_true(json_object_get(fb, "my_vote"))));
			json_object_set_new(fb, "voted_no", json_boolean(
			    json_is_false(json_object_get(fb, "my_vote"))));
			json_object_set_new(data, "feedback", fb);
		}
		if (revisions_last_review(r->store, r->rest, &reviewed, &reviewer) ==
		    KB_OK && reviewed) {
			char at[32];
			tickets_iso_time(reviewed, at);
			json_object_set_new(article, "last_reviewed", json_string(at));
			json_object_set_new(article, "last_reviewed_by",
			    json_string(reviewer));
		}
		free(reviewer);
	}
	if (writer) {
		url = view_url("/write/", r->rest);
		json_object_set_new(data, "edit_url", json_string(url));
		free(url);
		url = view_url("/history/", r->rest);
		json_object_set_new(data, "history_url", json_string(url));
		free(url);
		json_object_set_new(data, "actions", lifecycle_actions(kbd, r, status));
	}
	if (thanks && (strcmp(thanks, "vote") == 0 || strcmp(thanks, "flag") == 0)) {
		snprintf(key, sizeof(key), "feedback_thanks_%s", thanks);
		json_object_set_new(data, "thanks", json_string(req_text(kbd, r, key)));
	}
	json_object_set_new(data, "can_vote", json_boolean(r->user.role != ROLE_NONE &&
	    strcmp(status, "published") == 0));
	json_object_set_new(data, "article", article);
	resp_page(kbd, resp, 200, "article", data);
}

/* ---- FAQ ---- */

#define FAQ_SEARCH_HITS 50

struct faq_collect {
	json_t *by_category;	/* name → array of entries */
	const char *general;	/* the category of articles without one */
	json_t *uses;		/* faq_uses(): {slug: {q: uses}} */
	json_t *flat;		/* or, when searching: one list in rank order */
};

static int
faq_add(void *ctx, json_t *doc)
{
	struct faq_collect *fc = ctx;
	const char *cat = json_string_value(json_object_get(doc, "category"));
	const char *slug = json_string_value(json_object_get(doc, "slug"));
	const char *lang = json_string_value(json_object_get(doc, "lang"));
	json_t *list, *faq = json_object_get(doc, "faq"), *e, *used;
	char *url;
	size_t i;

	if (!slug)
		return 0;
	if (!cat || !*cat)
		cat = fc->general;
	list = fc->flat ? fc->flat : json_object_get(fc->by_category, cat);
	if (!list) {
		list = json_array();
		json_object_set_new(fc->by_category, cat, list);
	}
	url = view_article_url(slug);
	used = json_object_get(fc->uses, slug);
	json_array_foreach(faq, i, e) {
		const char *q = json_string_value(json_object_get(e, "q"));
		json_array_append_new(list, json_pack("{s:O, s:O, s:s, s:s, s:O, s:s, "
		    "s:s, s:s, s:I}", "q", json_object_get(e, "q"), "a",
		    json_object_get(e, "a"), "url", url, "slug", slug, "title",
		    json_object_get(doc, "title"), "lang", lang ? lang : "en", "dir",
		    view_dir(lang), "category", cat, "uses", (json_int_t)
		    json_integer_value(json_object_get(used, q ? q : ""))));
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

/* Most used first; the order of the articles otherwise ("_pos"). */
static int
cmp_uses(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t ux = json_integer_value(json_object_get(x, "uses"));
	json_int_t uy = json_integer_value(json_object_get(y, "uses"));
	json_int_t px = json_integer_value(json_object_get(x, "_pos"));
	json_int_t py = json_integer_value(json_object_get(y, "_pos"));

	if (ux != uy)
		return ux < uy ? 1 : -1;
	return px < py ? -1 : px > py;
}

static void
sort_by_uses(json_t *list)
{
	size_t n = json_array_size(list), i;
	json_t **v = xcalloc(n + 1, sizeof(*v));

	for (i = 0; i < n; i++) {
		v[i] = json_incref(json_array_get(list, i));
		json_object_set_new(v[i], "_pos", json_integer((json_int_t)i));
	}
	qsort(v, n, sizeof(*v), cmp_uses);
	json_array_clear(list);
	for (i = 0; i < n; i++) {
		json_object_del(v[i], "_pos");
		json_array_append_new(list, v[i]);
	}
	free(v);
}

/*
 * The FAQ: {"categories":[{name, entries}]} with each category's entries
 * most used first or, for a query q, {"results":[entries]} of the articles
 * that match it, best first. NULL with an error in resp.
 */
static json_t *
faq_catalogue(struct kbd *kbd, const struct req *r, struct response *resp,
    const char *q)
{
	struct faq_collect fc = { 0 };
	struct search_request sr = { 0 };
	struct search_result res = { 0 };
	json_t *cats, *entries, **sorted, *out;
	const char *name;
	size_t n = 0, i;
	int rc;

	if (!r->search) {
		index_unavailable(kbd, r, resp);
		return NULL;
	}
	fc.general = req_text(kbd, r, "faq_general");
	if (!r->store || faq_uses(r->store, &fc.uses))
		fc.uses = json_object();	/* no counts: still the answers */
	if (q && *q) {
		fc.flat = json_array();
		sr.q = q;
		sr.limit = FAQ_SEARCH_HITS;
		rc = search_run(r->search, &sr, &res);
		for (i = 0; rc == KB_OK && i < res.nhits; i++)
			if (json_array_size(json_object_get(res.hits[i].doc, "faq")))
				faq_add(&fc, res.hits[i].doc);
		search_result_release(&res);
		json_decref(fc.uses);
		if (rc && rc != KB_EINVAL) {
			json_decref(fc.flat);
			index_unavailable(kbd, r, resp);
			return NULL;
		}
		return json_pack("{s:s, s:o}", "query", q, "results", fc.flat);
	}
	fc.by_category = json_object();
	if (search_each(r->search, "published", true, faq_add, &fc)) {
		json_decref(fc.by_category);
		json_decref(fc.uses);
		index_unavailable(kbd, r, resp);
		return NULL;
	}
	json_decref(fc.uses);
	sorted = xcalloc(json_object_size(fc.by_category) + 1, sizeof(*sorted));
	json_object_foreach(fc.by_category, name, entries) {
		sort_by_uses(entries);
		sorted[n++] = json_pack("{s:s, s:O}", "name", name, "entries", entries);
	}
	qsort(sorted, n, sizeof(*sorted), cmp_category);
	cats = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(cats, sorted[i]);
	free(sorted);
	json_decref(fc.by_category);
	out = json_pack("{s:o}", "categories", cats);
	return out;
}

void
page_faq(struct kbd *kbd, const struct req *r, struct response *resp)
{
	json_t *data, *cat;
	const char *q, *ticket = req_arg(r, "ticket");

	if (!parse_query_arg(kbd, r, resp, &q) || !(cat = faq_catalogue(kbd, r, resp, q)))
		return;
	data = page_data(kbd, r, req_text(kbd, r, "title_faq"), "");
	json_object_set_new(data, "faq_q", json_string(q ? q : ""));
	json_object_update(data, cat);
	json_decref(cat);
	json_object_set_new(data, "searching", json_boolean(q && *q));
	json_object_set_new(data, "can_send", json_boolean(
	    access_allows(r->user.role, PERM_TICKETS, false)));
	/* arrived from a ticket: its number fills the send forms */
	if (ticket && tickets_parse_id(ticket)) {
		char tid[16];
		tickets_format_id(tickets_parse_id(ticket), tid);
		json_object_set_new(data, "ticket", json_string(tid));
	}
	resp_page(kbd, resp, 200, "faq", data);
}

void
api_faq(struct kbd *kbd, const struct req *r, struct response *resp)
{
	json_t *cat;
	const char *q;

	if (!parse_query_arg(kbd, r, resp, &q) || !(cat = faq_catalogue(kbd, r, resp, q)))
		return;
	resp_json(resp, 200, cat);
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
