/*
 * api.c - the JSON API for scripts: /api/v1/search, /api/v1/articles/{slug}
 * and /healthz. Errors are {"error": {"code", "message"}} (http.c).
 */
#include <string.h>

#include "err.h"
#include "http.h"
#include "kbd.h"
#include "pages.h"
#include "search.h"
#include "ticket_view.h"
#include "tickets.h"
#include "searchlog.h"
#include "standing.h"
#include "view.h"
#include "banned.h"

#define API_PER_PAGE_DEFAULT 10
#define API_PAGE_MAX 1000

void
api_search(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct search_request sr = { 0 };
	struct search_result res;
	struct standing *votes = NULL;
	const char *q, *lang;
	long page, per_page;

	if (!parse_query_arg(kbd, r, resp, &q) ||
	    !parse_page_arg(kbd, r, resp, "page", API_PAGE_MAX, 1, &page) ||
	    !parse_page_arg(kbd, r, resp, "per_page", SEARCH_LIMIT_MAX,
	    API_PER_PAGE_DEFAULT, &per_page))
		return;
	if (!q || !*q) {
		resp_error(kbd, r, resp, 400, "missing_query",
		    "Give the words to search for in 'q'.");
		return;
	}
	lang = req_arg(r, "lang");
	if (lang && *lang && strcmp(lang, "en") != 0 && strcmp(lang, "ar") != 0) {
		resp_error(kbd, r, resp, 400, "bad_parameter",
		    "'lang' must be 'en' or 'ar'.");
		return;
	}
	if (!r->search) {
		resp_error(kbd, r, resp, 503, "index_unavailable",
		    "The search index is not available right now.");
		return;
	}
	sr.q = q;
	sr.lang = lang && *lang ? lang : NULL;
	sr.facets = true;
	sr.spelling = !req_arg(r, "exact");
	sr.faq = true;
	search_scope(r, q, &sr);
	sr.offset = (unsigned)((page - 1) * per_page);
	sr.limit = (unsigned)per_page;
	if (search_agent(kbd, r, &sr, &res, &votes)) {
		search_result_release(&res);
		standing_unref(votes);
		resp_error(kbd, r, resp, 503, "index_unavailable",
		    "The search index is not available right now.");
		return;
	}
	if (page == 1)
		searchlog_add(kbd->searchlog, q, res.total, 0);
	buf_reset(&resp->body);
	view_search_write(&res, q, page, per_page, votes, &resp->body);
	search_result_release(&res);
	standing_unref(votes);
	resp_json_written(resp, 200);
}

void
api_article(struct kbd *kbd, const struct req *r, struct response *resp)
{
	json_t *article = find_article(kbd, r, resp), *related = NULL;
	int64_t resolved = 0;

	if (!article)
		return;
	if (search_related(r->search, r->rest, 5, &related) == KB_OK) {
		view_add_links(related);
		json_object_set_new(article, "related", related);
	}
	if (r->store && ticket_view_resolved_by_count(r->store, r->rest,
	    &resolved) == KB_OK)
		json_object_set_new(article, "resolved_count", json_integer(resolved));
	resp_json(resp, 200, article);
}

#define SUGGEST_MAX 8

void
api_suggest(struct kbd *kbd, const struct req *r, struct response *resp)
{
	const char *q;
	json_t *list = NULL;

	if (!parse_query_arg(kbd, r, resp, &q))
		return;
	if (!r->search) {
		resp_error(kbd, r, resp, 503, "index_unavailable",
		    "The search index is not available right now.");
		return;
	}
	if (!q)
		q = "";
	if (search_suggest(r->search, q, SUGGEST_MAX, &list)) {
		resp_error(kbd, r, resp, 503, "index_unavailable",
		    "The search index is not available right now.");
		return;
	}
	view_add_links(list);
	resp_json(resp, 200, json_pack("{s:s, s:o}", "query", q, "suggestions",
	    list));
}

void
api_gaps(struct kbd *kbd, const struct req *r, struct response *resp)
{
	json_t *report = gaps_report(kbd, r, resp);

	if (report)
		resp_json(resp, 200, report);
}

void
api_healthz(struct kbd *kbd, const struct req *r, struct response *resp)
{
	unsigned articles = 0, with_faq = 0;

	if (!r->search || search_counts(r->search, &articles, &with_faq)) {
		resp_error(kbd, r, resp, 503, "index_unavailable",
		    "The search index cannot be read.");
		return;
	}
	resp_json(resp, 200, json_pack("{s:s, s:I}", "status", "ok", "articles",
	    (json_int_t)articles));
}
