/*
 * pages_problems.c - the pages of problem management and major incidents:
 * the problem list and record (analysis, linked tickets, known error,
 * resolution), the incident page (timeline, linked tickets, updates and
 * closing for L2/L3). Forms post here and redirect (post/redirect/get).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "err.h"
#include "http.h"
#include "hub.h"
#include "incidents.h"
#include "kbd.h"
#include "pages.h"
#include "problems.h"
#include "search.h"
#include "tickets.h"
#include "ui_lang.h"
#include "util.h"
#include "view.h"
#include "widgets.h"
#include "banned.h"

static json_t *
ticket_url(const char *tid)
{
	return json_pack("s+", "/tickets/", tid);
}

/* "T-1, T-2 T-3" → ["T-1", "T-2", "T-3"] */
static json_t *
split_ids(const char *s)
{
	json_t *a = json_array();
	size_t n;

	while (*s) {
		s += strspn(s, " ,\t\r\n");
		n = strcspn(s, " ,\t\r\n");
		if (n)
			json_array_append_new(a, json_stringn(s, n));
		s += n;
	}
	return a;
}

static bool
may_write(const struct req *r)
{
	return access_allows(r->user.role, PERM_KNOWLEDGE, false);
}

/* ---- problems ---- */

/* The list; form and err (or NULL) bring back a refused new problem. */
static void
problems_page(struct kbd *kbd, const struct req *r, struct response *resp,
    unsigned code, json_t *form, const struct refusal *err)
{
	struct refusal e = { 0 };
	const char *status = req_arg(r, "status");
	json_t *out, *data, *p;
	size_t i;
	char url[40];

	if (status && !*status)
		status = NULL;
	if (problems_list(r->store, status, &out, &e)) {
		resp_refusal(kbd, r, resp, &e);
		return;
	}
	json_array_foreach(json_object_get(out, "problems"), i, p) {
		snprintf(url, sizeof(url), "/problems/%s",
		    json_string_value(json_object_get(p, "id")));
		json_object_set_new(p, "url", json_string(url));
		json_object_set_new(p, "status_label", widget_label(kbd, r,
		    "problem_status_", json_string_value(json_object_get(p, "status"))));
		json_object_set_new(p, "updated_text", widget_time(json_object_get(p,
		    "updated")));
	}
	data = page_data(kbd, r, req_text(kbd, r, "title_problems"), "");
	json_object_update(data, out);
	json_decref(out);
	json_object_set_new(data, "can_write", json_boolean(may_write(r)));
	json_object_set_new(data, "status_filter", json_string(status ? status : ""));
	{
		/* the filter tabs, the current one marked (no script needed) */
		static const char *const views[] = { "", "investigating",
			"known_error", "resolved", NULL };
		json_t *tabs = json_array();
		for (i = 0; views[i]; i++) {
			snprintf(url, sizeof(url), "/problems%s%s", *views[i] ?
			    "?status=" : "", views[i]);
			json_array_append_new(tabs, json_pack("{s:s, s:o, s:s, s:b}",
			    "value", views[i], "label", *views[i] ? widget_label(kbd, r,
			    "problem_status_", views[i]) : json_string(req_text(kbd, r,
			    "pr_filter_all")), "url", url, "active",
			    strcmp(views[i], status ? status : "") == 0));
		}
		json_object_set_new(data, "status_views", tabs);
	}
	json_object_set_new(data, "ticket", json_string(req_arg(r, "ticket") &&
	    tickets_parse_id(req_arg(r, "ticket")) ? req_arg(r, "ticket") : ""));
	if (form)
		json_object_set(data, "form", form);
	if (err)
		widget_errors(kbd, r, data, err, "pr_err_");
	resp_page(kbd, resp, code, "problems", data);
}

void
page_problems(struct kbd *kbd, const struct req *r, struct response *resp)
{
	problems_page(kbd, r, resp, 200, NULL, NULL);
}

/* POST /problems: open one from the form (title, symptoms, tickets). */
void
page_problems_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	json_t *in = json_object();
	struct buf v;
	int64_t id;
	char pid[16], url[40];

	buf_init(&v, 64 * 1024);
	form_field(r, "title", in, "title");
	form_field(r, "symptoms", in, "symptoms");
	if (req_form(r, "tickets", &v))
		json_object_set_new(in, "tickets", split_ids(buf_str(&v)));
	if (problems_create(r->store, &who, in, &id, &e)) {
		if (e.status == 422 || e.status == 400) {
			/* the form again, with what was typed */
			json_t *form = json_object();
			form_field(r, "title", form, "title");
			form_field(r, "symptoms", form, "symptoms");
			form_field(r, "tickets", form, "tickets");
			problems_page(kbd, r, resp, e.status, form, &e);
			json_decref(form);
			refusal_release(&e);
		} else {
			resp_refusal(kbd, r, resp, &e);
		}
	} else {
		problems_format_id(id, pid);
		snprintf(url, sizeof(url), "/problems/%s", pid);
		resp_redirect(resp, url);
	}
	json_decref(in);
	buf_release(&v);
}

static void
problem_page(struct kbd *kbd, const struct req *r, struct response *resp,
    int64_t id, unsigned status, const struct refusal *err)
{
	struct refusal e = { 0 };
	json_t *p, *data, *t, *l, *doc = NULL;
	const char *article;
	struct buf whys;
	size_t i;

	if (problems_get(r->store, id, &p, &e)) {
		resp_refusal(kbd, r, resp, &e);
		return;
	}
	json_object_set_new(p, "status_label", widget_label(kbd, r,
	    "problem_status_", json_string_value(json_object_get(p, "status"))));
	json_object_set_new(p, "created_text", widget_time(json_object_get(p,
	    "created")));
	buf_init(&whys, 64 * 1024);
	json_array_foreach(json_object_get(p, "whys"), i, l)
		buf_printf(&whys, "%s%s", i ? "\n" : "", json_string_value(l));
	json_object_set_new(p, "whys_text", json_string(buf_str(&whys)));
	buf_release(&whys);
	json_array_foreach(json_object_get(p, "tickets"), i, t) {
		json_object_set_new(t, "url", ticket_url(json_string_value(
		    json_object_get(t, "id"))));
		json_object_set_new(t, "status_label", widget_label(kbd, r, "tk_st_",
		    json_string_value(json_object_get(t, "status"))));
	}
	json_array_foreach(json_object_get(p, "log"), i, l) {
		json_object_set_new(l, "at_text", widget_time(json_object_get(l, "at")));
		json_object_set_new(l, "kind_label", widget_label(kbd, r, "problem_log_",
		    json_string_value(json_object_get(l, "kind"))));
	}
	if ((article = json_string_value(json_object_get(p, "article")))) {
		char *u = view_article_url(article);
		json_object_set_new(p, "article_url", json_string(u));
		free(u);
		if (r->search && search_find(r->search, article, &doc) == KB_OK) {
			json_object_set_new(p, "article_title", json_incref(
			    json_object_get(doc, "title")));
			json_object_set_new(p, "article_published", json_boolean(
			    json_is_string(json_object_get(doc, "status")) &&
			    strcmp(json_string_value(json_object_get(doc, "status")),
			    "published") == 0));
			json_decref(doc);
		}
	}
	data = page_data(kbd, r, json_string_value(json_object_get(p, "title")), "");
	json_object_set_new(data, "problem", p);
	json_object_set_new(data, "can_write", json_boolean(may_write(r)));
	if (err)
		widget_errors(kbd, r, data, err, "pr_err_");
	resp_page(kbd, resp, status, "problem", data);
}

void
page_problem(struct kbd *kbd, const struct req *r, struct response *resp)
{
	int64_t id = problems_parse_id(r->rest);

	if (!id) {
		resp_error(kbd, r, resp, 404, "not_found", "There is no such problem.");
		return;
	}
	problem_page(kbd, r, resp, id, 200, NULL);
}

/* POST /problems/{id}: action save | link | known_error | resolve | reopen. */
void
page_problem_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	static const char *const texts[] = { "title", "symptoms", "timeline",
		"cause", "factors", "workaround", "fix", NULL };
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	int64_t id = problems_parse_id(r->rest);
	json_t *in = json_object(), *out = NULL;
	struct buf action, v;
	char pid[16], url[40];
	size_t i;
	int rc;

	if (!id) {
		json_decref(in);
		resp_error(kbd, r, resp, 404, "not_found", "There is no such problem.");
		return;
	}
	buf_init(&action, 64);
	buf_init(&v, 64 * 1024);
	req_form(r, "action", &action);
	if (strcmp(buf_str(&action), "save") == 0) {
		for (i = 0; texts[i]; i++)
			form_field(r, texts[i], in, texts[i]);
		if (req_form(r, "owner", &v))
			json_object_set_new(in, "owner", v.len ? json_string(buf_str(&v)) :
			    json_null());
		if (req_form(r, "whys", &v)) {
			/* one answer to "why?" per line */
			json_t *whys = json_array();
			const char *p = buf_str(&v);
			while (*p) {
				size_t n = strcspn(p, "\r\n");
				if (n)
					json_array_append_new(whys, json_stringn(p, n));
				p += n;
				p += strspn(p, "\r\n");
			}
			json_object_set_new(in, "whys", whys);
		}
		rc = problems_update(kbd, r->store, &who, id, in, &out, &e);
	} else if (strcmp(buf_str(&action), "link") == 0) {
		form_field(r, "ticket", in, "ticket");
		rc = problems_link_ticket(r->store, &who, id, in, &e);
	} else if (strcmp(buf_str(&action), "known_error") == 0) {
		if (req_form(r, "draft", &v) && strcmp(buf_str(&v), "1") == 0)
			json_object_set_new(in, "draft", json_true());
		else if (req_form(r, "article", &v) && v.len)
			json_object_set_new(in, "article", json_string(buf_str(&v)));
		rc = problems_known_error(kbd, r->store, &who, id, in, &out, &e);
	} else if (strcmp(buf_str(&action), "resolve") == 0) {
		json_object_set_new(in, "status", json_string("resolved"));
		if (req_form(r, "resolve_tickets", &v) && strcmp(buf_str(&v), "1") == 0) {
			json_object_set_new(in, "resolve_tickets", json_true());
			form_field(r, "message", in, "message");
		}
		rc = problems_update(kbd, r->store, &who, id, in, &out, &e);
	} else if (strcmp(buf_str(&action), "reopen") == 0) {
		json_object_set_new(in, "status", json_string("investigating"));
		rc = problems_update(kbd, r->store, &who, id, in, &out, &e);
	} else {
		rc = refuse(&e, 400, "bad_request", "Unknown action.");
	}
	if (rc == KB_OK) {
		problems_format_id(id, pid);
		snprintf(url, sizeof(url), "/problems/%s", pid);
		resp_redirect(resp, url);
	} else if (e.status == 422 || e.status == 409) {
		problem_page(kbd, r, resp, id, e.status, &e);
	} else {
		resp_refusal(kbd, r, resp, &e);
	}
	refusal_release(&e);
	json_decref(in);
	json_decref(out);
	buf_release(&action);
	buf_release(&v);
}

/* ---- major incidents ---- */

void
incident_news(struct kbd *kbd, const struct req *r, int64_t id,
    const char *update)
{
	struct refusal e = { 0 };
	json_t *inc = NULL;

	if (incidents_get(r->store, id, &inc, &e)) {
		refusal_release(&e);
		return;
	}
	hub_publish(kbd->hub, "incident", json_pack("{s:O, s:O, s:O, s:O, s:O, s:s}",
	    "id", json_object_get(inc, "id"), "status", json_object_get(inc,
	    "status"), "summary", json_object_get(inc, "summary"), "advice",
	    json_object_get(inc, "advice"), "since", json_object_get(inc, "since"),
	    "update", update ? update : ""), HUB_SIGNED_IN, 0, NULL);
	json_decref(inc);
}

void
page_incidents(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	json_t *out, *data, *inc;
	size_t i;
	char url[40];

	if (incidents_list(r->store, NULL, &out, &e)) {
		resp_refusal(kbd, r, resp, &e);
		return;
	}
	json_array_foreach(json_object_get(out, "incidents"), i, inc) {
		snprintf(url, sizeof(url), "/incidents/%s",
		    json_string_value(json_object_get(inc, "id")));
		json_object_set_new(inc, "url", json_string(url));
		json_object_set_new(inc, "since_text", widget_time(json_object_get(inc,
		    "since")));
		json_object_set_new(inc, "active", json_boolean(strcmp(
		    json_string_value(json_object_get(inc, "status")), "active") == 0));
	}
	data = page_data(kbd, r, req_text(kbd, r, "title_incidents"), "");
	json_object_set(data, "list", json_object_get(out, "incidents"));
	json_decref(out);
	resp_page(kbd, resp, 200, "incidents", data);
}

/* POST /incidents: declare one (ticket or problem, summary, advice). */
void
page_incidents_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	json_t *in = json_object();
	struct buf v;
	int64_t id;
	char mi[16], url[40];

	buf_init(&v, 256);
	if (req_form(r, "ticket", &v) && v.len)
		json_object_set_new(in, "ticket", json_string(buf_str(&v)));
	if (req_form(r, "problem", &v) && v.len)
		json_object_set_new(in, "problem", json_string(buf_str(&v)));
	form_field(r, "summary", in, "summary");
	form_field(r, "advice", in, "advice");
	if (incidents_declare(r->store, &who, in, &id, &e)) {
		resp_refusal(kbd, r, resp, &e);
	} else {
		incident_news(kbd, r, id, NULL);
		incidents_format_id(id, mi);
		snprintf(url, sizeof(url), "/incidents/%s", mi);
		resp_redirect(resp, url);
	}
	json_decref(in);
	buf_release(&v);
}

void
page_incident(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	int64_t id = incidents_parse_id(r->rest);
	json_t *inc, *data, *x;
	const char *review;
	size_t i;

	if (!id) {
		resp_error(kbd, r, resp, 404, "not_found", "There is no such incident.");
		return;
	}
	if (incidents_get(r->store, id, &inc, &e)) {
		resp_refusal(kbd, r, resp, &e);
		return;
	}
	json_object_set_new(inc, "since_text", widget_time(json_object_get(inc,
	    "since")));
	json_object_set_new(inc, "active", json_boolean(strcmp(json_string_value(
	    json_object_get(inc, "status")), "active") == 0));
	json_array_foreach(json_object_get(inc, "updates"), i, x)
		json_object_set_new(x, "at_text", widget_time(json_object_get(x, "at")));
	json_array_foreach(json_object_get(inc, "tickets"), i, x) {
		json_object_set_new(x, "url", ticket_url(json_string_value(
		    json_object_get(x, "id"))));
		json_object_set_new(x, "status_label", widget_label(kbd, r, "tk_st_",
		    json_string_value(json_object_get(x, "status"))));
	}
	if (json_is_string(json_object_get(inc, "ticket")))
		json_object_set_new(inc, "ticket_url", ticket_url(json_string_value(
		    json_object_get(inc, "ticket"))));
	if (json_is_string(json_object_get(inc, "problem")))
		json_object_set_new(inc, "problem_url", json_pack("s+", "/problems/",
		    json_string_value(json_object_get(inc, "problem"))));
	if ((review = json_string_value(json_object_get(inc, "review_article")))) {
		char *u = view_article_url(review);
		json_object_set_new(inc, "review_url", json_string(u));
		free(u);
	}
	data = page_data(kbd, r, json_string_value(json_object_get(inc, "summary")),
	    "");
	json_object_set_new(data, "incident", inc);
	json_object_set_new(data, "can_write", json_boolean(may_write(r)));
	resp_page(kbd, resp, 200, "incident", data);
}

/* POST /incidents/{id}: action update | link | close. */
void
page_incident_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	int64_t id = incidents_parse_id(r->rest);
	json_t *in = json_object(), *out = NULL;
	struct buf action;
	char mi[16], url[64];
	int rc;

	buf_init(&action, 64);
	req_form(r, "action", &action);
	if (!id) {
		rc = refuse(&e, 404, "not_found", "There is no such incident.");
	} else if (strcmp(buf_str(&action), "link") == 0) {
		form_field(r, "ticket", in, "ticket");
		rc = incidents_link_ticket(r->store, &who, id, in, &e);
	} else if (!may_write(r)) {
		rc = refuse(&e, 403, "forbidden", "L2 and L3 post updates and close "
		    "major incidents.");
	} else if (strcmp(buf_str(&action), "update") == 0) {
		form_field(r, "text", in, "text");
		if ((rc = incidents_update(r->store, &who, id, in, &out, &e)) == KB_OK)
			incident_news(kbd, r, id, json_string_value(json_object_get(out, "text")));
	} else if (strcmp(buf_str(&action), "close") == 0) {
		form_field(r, "text", in, "text");
		if ((rc = incidents_close(kbd, r->store, &who, id, in, &out, &e)) == KB_OK)
			incident_news(kbd, r, id, NULL);
	} else {
		rc = refuse(&e, 400, "bad_request", "Unknown action.");
	}
	if (rc) {
		resp_refusal(kbd, r, resp, &e);
	} else {
		/* linking from a ticket's page goes back to that ticket */
		struct buf back;
		buf_init(&back, 64);
		if (strcmp(buf_str(&action), "link") == 0 && req_form(r, "back", &back) &&
		    tickets_parse_id(buf_str(&back))) {
			char tid[16];
			tickets_format_id(tickets_parse_id(buf_str(&back)), tid);
			snprintf(url, sizeof(url), "/tickets/%s", tid);
		} else {
			incidents_format_id(id, mi);
			snprintf(url, sizeof(url), "/incidents/%s", mi);
		}
		buf_release(&back);
		resp_redirect(resp, url);
	}
	json_decref(in);
	json_decref(out);
	buf_release(&action);
}
