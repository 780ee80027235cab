/*
 * view.h - turning index documents and search results into the JSON that
 * both the pages (through templates) and the API serve, so the two never
 * disagree on a field. A search result's views are written once, against
 * a sink (view.c) that either builds jansson values, which templates
 * need, or writes JSON text straight onto a buf, which is all the API
 * needs: the answer of /api/v1/search costs half as much that way.
 */
#ifndef KB_VIEW_H
#define KB_VIEW_H

#include <stdbool.h>

#include <jansson.h>

#include "buf.h"
#include "search.h"

struct kbd;
struct standing;

/* "/articles/" + the URL-encoded slug; the caller frees it. */
char *view_article_url(const char *slug);
/* prefix + the URL-encoded slug ("/history/" …); the caller frees it. */
char *view_url(const char *prefix, const char *slug);

/* "rtl" for Arabic, else "ltr". */
const char *view_dir(const char *lang);

/*
 * A search hit as a new JSON object: slug, title, summary, tags, lang, dir,
 * url, score, updated, product, category, matched, helpful and votes (its
 * "did this solve it?" votes in votes, standing.h: 0 and 0 without a
 * helpful one, or votes NULL), and the snippet as a string with
 * "highlights" [[start, length], …] in bytes (for_page: as "snippet":
 * [{text, hl}] segments instead).
 */
json_t *view_hit(const struct search_hit *h, bool for_page,
    const struct standing *votes);

/*
 * The article of index document doc, loaded from its Markdown file and
 * rendered, as a new object: the stored fields plus url, dir and html.
 * KB_ENOTFOUND if the file is gone; other errors are logged.
 */
int view_article(const struct kbd *kbd, json_t *doc, json_t **out);

/* Give each {slug, lang, …} of list its url and dir (in place). */
void view_add_links(json_t *list);

/* "/search?q=…&page=N", q URL-encoded; the caller frees it. */
char *view_search_url(const char *q, long page);

/*
 * The facet counts of res: for a page an array of {name, label, values:
 * [{value, count, filter, url, active}]} (empty facets left out), for the
 * API an object field → [{value, count, filter, url, active}]. url toggles
 * the filter in q.
 */
json_t *view_facets(const struct search_result *res, const char *q,
    bool for_page);

/*
 * The answer of GET /api/v1/search for res, page `page` of `per_page` hits
 * of q, written as JSON onto out: query, total, page, per_page,
 * plain_fallback, results (as view_hit), facets (as view_facets),
 * faq_answers (res->faq's objects, given their links in place),
 * corrected, suggestion. Written straight from res, without building
 * jansson values first; errors are out's (checked by the caller).
 */
void view_search_write(const struct search_result *res, const char *q,
    long page, long per_page, const struct standing *votes, struct buf *out);

#endif
