/*
 * pages.h - the HTML pages and the JSON API handlers. Each reads struct
 * req and fills struct response; see http.h. The route table is in server.c.
 */
#ifndef KB_PAGES_H
#define KB_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct kbd;
struct req;
struct response;

typedef void handler_fn(struct kbd *kbd, const struct req *r,
    struct response *resp);

/* pages.c */
handler_fn page_home, page_search, page_article, page_faq, page_gaps,
    page_static;
/* api.c */
handler_fn api_search, api_suggest, api_article, api_gaps, api_healthz,
    api_faq;
/* account.c */
handler_fn page_login, page_login_post, page_logout, page_users, page_users_post;
handler_fn api_login, api_logout, api_me;
/* pages_tickets.c */
handler_fn page_tickets, page_ticket, page_ticket_create, page_ticket_post,
    page_ticket_lookup, page_escalation;
/* api_tickets.c */
handler_fn api_tickets, api_ticket, api_escalation_criteria;
/* api_articles.c */
handler_fn api_article_create, api_article_put, api_article_get,
    api_article_post, api_preview, api_flags, api_flag_post, api_faq_post,
    api_canned;
/* api_problems.c */
handler_fn api_problems, api_problem, api_known_errors, api_incidents,
    api_incident;
/* pages_problems.c */
handler_fn page_problems, page_problems_post, page_problem, page_problem_post,
    page_incidents, page_incidents_post, page_incident, page_incident_post;
/* Tell every open page that incident id changed (the banner), with update. */
void incident_news(struct kbd *kbd, const struct req *r, int64_t id,
    const char *update);
/* live.c */
handler_fn api_events_stream, api_notifications, api_notifications_read,
    page_notifications, page_notifications_post;
/* dashboard.c */
handler_fn page_dashboard, api_metrics, api_metrics_csv;
/* A flag on slug (flag input in) reaches the article's author (api_articles.c). */
void flag_news(struct kbd *kbd, const struct req *r, const char *slug,
    const char *author, json_t *in);
/* pages_articles.c */
handler_fn page_write, page_write_post, page_history, page_inbox,
    page_inbox_post, page_feedback_post, page_canned, page_canned_post,
    page_faq_send;

struct search_request;
struct search_result;
struct standing;
/* L2/L3 search drafts and articles in review too (and all with status:). */
void search_scope(const struct req *r, const char *q, struct search_request *sr);
/*
 * search_run() for an agent's search (the results page and the API): near
 * ties go to the articles agents voted helpful (standing.h). *votes gets
 * the votes it used, to show with the hits: standing_unref() it after.
 */
int search_agent(struct kbd *kbd, const struct req *r,
    struct search_request *sr, struct search_result *res,
    struct standing **votes);

/* The knowledge gaps report for the days argument (pages.c); NULL with an
 * error in resp if it cannot be made. */
json_t *gaps_report(struct kbd *kbd, const struct req *r,
    struct response *resp);

/*
 * Shared request validation (pages.c): the slug in r->rest (UTF-8, no
 * "..", no empty segment, at most 512 bytes) and the page number.
 * They fill resp with a 4xx and return false when the input is bad.
 */
bool valid_slug(struct kbd *kbd, const struct req *r, struct response *resp);
bool parse_page_arg(struct kbd *kbd, const struct req *r,
    struct response *resp, const char *name, long max, long dflt, long *out);
/* The q argument, validated (NULL if absent); false with a 400 if bad. */
bool parse_query_arg(struct kbd *kbd, const struct req *r,
    struct response *resp, const char **out);

/*
 * The article named by r->rest, loaded and rendered (see view_article()),
 * or NULL with a 404/500 already in resp. Only published articles are
 * shown: until accounts exist every reader counts as an L1 agent.
 */
json_t *find_article(struct kbd *kbd, const struct req *r,
    struct response *resp);

#endif
