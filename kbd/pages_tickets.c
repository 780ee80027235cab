/*
 * pages_tickets.c - the ticket pages: queues (/tickets), a new ticket
 * (/tickets/new, POST /tickets), one ticket (/tickets/{id}, with its forms
 * posting back to it), lookup by id, and the escalation guidelines
 * (/escalation). They use the same tickets.c calls as the JSON API; the
 * forms are turned into the same JSON objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "canned.h"
#include "capture.h"
#include "incidents.h"
#include "problems.h"
#include "hub.h"
#include "store.h"
#include "err.h"
#include "events.h"
#include "html.h"
#include "http.h"
#include "kbd.h"
#include "log.h"
#include "pages.h"
#include "search.h"
#include "ticket_view.h"
#include "tickets.h"
#include "ui_lang.h"
#include "util.h"
#include "view.h"
#include "widgets.h"
#include "banned.h"

static const char *const relation_names[] = { "suggested", "consulted",
	"sent-to-requester", "resolved-by", "created-from", NULL };
static const char *const category_names[] = { "Accounts", "Security", "Network",
	"Printing", "Email", "Collaboration", "Files", "Software", "Hardware",
	"Devices", NULL };

/*
 * The escalation criteria for a page: the built-in ones in the interface
 * language (crit_<id>_label/_description), configured ones as written.
 */
static json_t *
criteria_json(struct kbd *kbd, const struct req *r)
{
	json_t *list = workflow_criteria_json(&kbd->workflow), *c;
	static const char *const parts[] = { "label", "description" };
	struct buf key;
	const char *id, *text;
	size_t i, k;

	if (!kbd->workflow.builtin_criteria)
		return list;
	buf_init(&key, 256);
	json_array_foreach(list, i, c) {
		id = json_string_value(json_object_get(c, "id"));
		for (k = 0; id && k < 2; k++) {
			buf_reset(&key);
			buf_puts(&key, "crit_");
			for (const char *p = id; *p; p++)
				buf_putc(&key, *p == '-' ? '_' : *p);
			buf_printf(&key, "_%s", parts[k]);
			text = req_text(kbd, r, buf_str(&key));
			if (strcmp(text, buf_str(&key)) != 0)
				json_object_set_new(c, parts[k], json_string(text));
		}
	}
	buf_release(&key);
	return list;
}

/*
 * An event's field and values in the interface language for the timeline
 * (the API keeps the codes): field names, statuses and relations.
 */
static void
localise_event(struct kbd *kbd, const struct req *r, json_t *ev)
{
	const char *field = json_string_value(json_object_get(ev, "field"));
	const char *kind = json_string_value(json_object_get(ev, "kind"));

	/* a comment's event names the comment by id: nothing to show */
	if (kind && strcmp(kind, "comment") == 0)
		json_object_set_new(ev, "to", json_string(""));
	if (!field || !*field)
		return;
	/* a ticket's own status, not a problem's or an incident's */
	if (strcmp(field, "status") == 0 && kind && (strcmp(kind, "status") == 0 ||
	    strcmp(kind, "reopened") == 0)) {
		json_object_set_new(ev, "from", widget_label(kbd, r, "tk_st_",
		    json_string_value(json_object_get(ev, "from"))));
		json_object_set_new(ev, "to", widget_label(kbd, r, "tk_st_",
		    json_string_value(json_object_get(ev, "to"))));
	}
	json_object_set_new(ev, "field", widget_label(kbd, r, kind &&
	    strcmp(kind, "link") == 0 ? "tk_rel_" : "tk_field_", field));
}

/* Ticket list JSON (from ticket_view_list) as the queue page shows it. */
static json_t *
queue_rows(struct kbd *kbd, const struct req *r, json_t *list)
{
	json_t *rows = json_array(), *t, *sla;
	const char *id;
	size_t i;

	json_array_foreach(list, i, t) {
		sla = json_object_get(t, "sla");
		id = json_string_value(json_object_get(t, "id"));
		json_array_append_new(rows, json_pack("{s:s, s:s+, s:O, s:O, s:O, s:O, "
		    "s:s, s:O, s:O, s:o, s:o, s:o, s:b, s:b}",
		    "id", id, "url", "/tickets/", id, "title", json_object_get(t, "title"),
		    "status", json_object_get(t, "status"),
		    "tier", json_object_get(t, "tier"),
		    "priority", json_object_get(t, "priority"),
		    "assignee", json_is_string(json_object_get(t, "assignee")) ?
		    json_string_value(json_object_get(t, "assignee")) : "",
		    "requester_name", json_object_get(json_object_get(t, "requester"), "name"),
		    "category", json_object_get(t, "category"),
		    "created_text", widget_time(json_object_get(t, "created")),
		    "updated_text", widget_time(json_object_get(t, "updated")),
		    "resolution_due_text", widget_time(json_object_get(sla, "resolution_due")),
		    "breached", json_is_true(json_object_get(sla, "resolution_breached")) &&
		    !json_is_string(json_object_get(sla, "resolved")),
		    "due_soon", json_is_true(json_object_get(sla, "due_soon"))));
		json_object_set_new(json_array_get(rows, json_array_size(rows) - 1),
		    "status_label", widget_label(kbd, r, "tk_st_",
		    json_string_value(json_object_get(t, "status"))));
	}
	return rows;
}

static char *
queue_url(const char *view, const char *tier, const char *status, const char *sort,
    const char *q)
{
	struct buf b;
	char *s;

	buf_init(&b, 4096);
	buf_printf(&b, "/tickets?view=%s", view);
	if (tier && *tier)
		buf_printf(&b, "&tier=%s", tier);
	if (status && *status)
		buf_printf(&b, "&status=%s", status);
	if (sort && *sort)
		buf_printf(&b, "&sort=%s", sort);
	if (q && *q) {
		buf_puts(&b, "&q=");
		url_encode_buf(&b, q, strlen(q), 0);
	}
	s = buf_detach(&b, NULL);
	return s ? s : xstrdup("/tickets");
}

void
page_tickets(struct kbd *kbd, const struct req *r, struct response *resp)
{
	static const char *const views[][2] = { { "mine", "tk_view_mine" },
		{ "unassigned", "tk_view_unassigned" },
		{ "breaching", "tk_view_breaching" }, { "all", "tk_view_all" } };
	static const char *const tiers[] = { "L1", "L2", "L3", NULL };
	static const char *const statuses[] = { "new", "open", "pending", "escalated",
		"resolved", "closed", NULL };
	static const char *const sorts[] = { "updated", "priority", "due", "created",
		NULL };
	struct ticket_filter f = { 0 };
	const char *view = req_arg(r, "view"), *tier = req_arg(r, "tier"),
	    *status = req_arg(r, "status"), *sort = req_arg(r, "sort"),
	    *q = req_arg(r, "q");
	json_t *list = NULL, *data, *vs;
	char *url;
	size_t i;

	if (!view || !*view)
		view = "all";
	f.status = -1;
	if (tier && *tier) {
		f.tier = (tier[0] == 'L') ? tier[1] - '0' : -1;
		if (f.tier < 1 || f.tier > 3 || tier[2]) {
			resp_error(kbd, r, resp, 400, "bad_parameter", "'tier' is L1, L2 or L3.");
			return;
		}
	}
	if (status && *status && (f.status = status_parse(status)) < 0) {
		resp_error(kbd, r, resp, 400, "bad_parameter", "Unknown status.");
		return;
	}
	if (q && (strlen(q) > 200 || !utf8_valid(q, strlen(q)))) {
		resp_error(kbd, r, resp, 400, "bad_parameter",
		    "The search words are at most 200 bytes.");
		return;
	}
	f.q = q;
	f.sort = sort;
	f.limit = 500;
	if (strcmp(view, "mine") == 0)
		f.assignee = r->user.name;
	else if (strcmp(view, "unassigned") == 0)
		f.unassigned = f.open_only = true;
	else if (strcmp(view, "breaching") == 0)
		f.breaching = true;
	else if (f.status < 0)
		f.open_only = true;
	if (!r->store || ticket_view_list(r->store, &kbd->workflow, &f, &list)) {
		resp_error(kbd, r, resp, 503, "store_unavailable",
		    "The tickets cannot be read right now.");
		return;
	}
	data = page_data(kbd, r, req_text(kbd, r, "title_tickets"), "");
	json_object_set_new(data, "tickets", queue_rows(kbd, r, list));
	json_object_set_new(data, "count", json_integer((json_int_t)json_array_size(list)));
	json_decref(list);
	vs = json_array();
	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		url = queue_url(views[i][0], tier, status, sort, q);
		json_array_append_new(vs, json_pack("{s:s, s:s, s:s, s:b}", "name",
		    views[i][0], "label", req_text(kbd, r, views[i][1]), "url", url, "active",
		    strcmp(view, views[i][0]) == 0));
		free(url);
	}
	json_object_set_new(data, "views", vs);
	json_object_set_new(data, "tier_options", widget_options(kbd, r, NULL, tiers, tier));
	json_object_set_new(data, "status_options", widget_options(kbd, r, "tk_st_", statuses, status));
	json_object_set_new(data, "sort_options", widget_options(kbd, r, NULL, sorts, sort ? sort : "updated"));
	json_object_set_new(data, "filters", json_pack("{s:s, s:s}", "view", view,
	    "q", q && utf8_valid(q, strlen(q)) ? q : ""));
	resp_page(kbd, resp, 200, "tickets", data);
}

/* The new-ticket form, with the values and errors of a refused attempt. */
static void
new_ticket_form(struct kbd *kbd, const struct req *r, struct response *resp,
    unsigned status, json_t *form, struct refusal *e)
{
	static const char *const levels[] = { "low", "medium", "high", NULL };
	json_t *data = page_data(kbd, r, req_text(kbd, r, "title_ticket_new"), "");
	const char *impact = json_string_value(json_object_get(form, "impact"));
	const char *urgency = json_string_value(json_object_get(form, "urgency"));
	const char *category = json_string_value(json_object_get(form, "category"));

	json_object_set_new(data, "impacts", widget_options(kbd, r, NULL, levels, impact ? impact : "medium"));
	json_object_set_new(data, "urgencies", widget_options(kbd, r, NULL, levels, urgency ? urgency : "medium"));
	json_object_set_new(data, "categories", widget_options(kbd, r, NULL, category_names, category));
	json_object_set(data, "form", form ? form : json_object());
	if (e && e->status)
		widget_errors(kbd, r, data, e, "tk_err_");
	resp_page(kbd, resp, status, "ticket_new", data);
}

static void
page_ticket_new(struct kbd *kbd, const struct req *r, struct response *resp)
{
	json_t *form = json_object();

	new_ticket_form(kbd, r, resp, 200, form, NULL);
	json_decref(form);
}

/* "a, b c" → ["a", "b", "c"] */
static json_t *
split_slugs(const char *s)
{
	json_t *a = json_array();
	const char *p = s;
	size_t n;

	while (p && *p) {
		p += strspn(p, " ,\t\r\n");
		n = strcspn(p, " ,\t\r\n");
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		p += n;
	}
	return a;
}

void
page_ticket_create(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	struct actor who = { r->user.name, r->user.role };
	json_t *form = json_object(), *in = json_object(), *req_o = json_object();
	char tid[16], url[32];
	int64_t id;

	form_field(r, "title", form, "title");
	form_field(r, "description", form, "description");
	form_field(r, "requester_name", form, "requester_name");
	form_field(r, "requester_contact", form, "requester_contact");
	form_field(r, "category", form, "category");
	form_field(r, "impact", form, "impact");
	form_field(r, "urgency", form, "urgency");
	form_field(r, "reply", form, "reply");
	json_object_update(in, form);
	json_object_del(in, "requester_name");
	json_object_del(in, "requester_contact");
	if (json_object_get(form, "requester_name"))
		json_object_set(req_o, "name", json_object_get(form, "requester_name"));
	if (json_object_get(form, "requester_contact"))
		json_object_set(req_o, "contact", json_object_get(form, "requester_contact"));
	json_object_set_new(in, "requester", req_o);
	json_object_set_new(in, "articles", form_list(r, "articles"));
	if (!r->store || tickets_create(r->store, &kbd->workflow, &who, in, &id, &e)) {
		new_ticket_form(kbd, r, resp, e.status ? e.status : 503, form, &e);
	} else {
		/* "part of the major incident": linked in one click from the form */
		json_t *incs = form_list(r, "incident"), *v, *link;
		size_t i;
		json_array_foreach(incs, i, v) {
			int64_t mi = incidents_parse_id(json_string_value(v));
			link = json_pack("{s:I}", "ticket", (json_int_t)id);
			if (mi && incidents_link_ticket(r->store, &who, mi, link, &e))
				kb_log(LOG_WARNING, "ticket %lld: not linked to incident "
				    "%lld: %s", (long long)id, (long long)mi, e.message);
			refusal_release(&e);
			json_decref(link);
		}
		json_decref(incs);
		tickets_format_id(id, tid);
		snprintf(url, sizeof(url), "/tickets/%s", tid);
		resp_redirect(resp, url);
	}
	refusal_release(&e);
	json_decref(form);
	json_decref(in);
}

/* The ticket page's data: the ticket and everything around it. */
static void
ticket_page(struct kbd *kbd, const struct req *r, struct response *resp,
    int64_t id, unsigned status, const char *notice, struct refusal *e,
    json_t *form)
{
	static const char *const statuses[] = { "new", "open", "pending", "escalated",
		"resolved", "closed", NULL };
	json_t *t = NULL, *data, *v, *comments, *events = NULL, *links, *esc, *crit, *allowed,
	    *sla, *doc;
	const char *st_name;
	enum status cur;
	size_t i;
	int tier;
	char buf[8];

	if (!r->store || ticket_view_get(r->store, &kbd->workflow, id, &t)) {
		resp_error(kbd, r, resp, 404, "not_found", "There is no such ticket.");
		return;
	}
	st_name = json_string_value(json_object_get(t, "status"));
	json_object_set_new(t, "status_label", widget_label(kbd, r, "tk_st_", st_name));
	cur = (enum status)status_parse(st_name);
	tier = json_string_value(json_object_get(t, "tier"))[1] - '0';
	data = page_data(kbd, r, json_string_value(json_object_get(t, "title")), "");
	json_object_set_new(t, "description_html", widget_markdown(
	    json_string_value(json_object_get(t, "description"))));
	json_object_set_new(t, "created_text", widget_time(json_object_get(t, "created")));
	json_object_set_new(t, "updated_text", widget_time(json_object_get(t, "updated")));
	sla = json_object_get(t, "sla");
	json_object_set_new(sla, "response_due_text",
	    widget_time(json_object_get(sla, "response_due")));
	json_object_set_new(sla, "resolution_due_text",
	    widget_time(json_object_get(sla, "resolution_due")));
	json_object_set_new(sla, "breached", json_boolean(
	    json_is_true(json_object_get(sla, "resolution_breached"))));
	bool may_change = r->user.role == ROLE_ADMIN || (int)r->user.role >= tier;
	allowed = json_array();
	for (i = 0; may_change && statuses[i]; i++)
		if (workflow_can_move(cur, (enum status)i) && i != ST_ESCALATED)
			json_array_append_new(allowed, json_pack("{s:s, s:o}", "value",
			    statuses[i], "label", widget_label(kbd, r, "tk_st_", statuses[i])));
	json_object_set_new(t, "allowed_statuses", allowed);
	bool active = cur != ST_RESOLVED && cur != ST_CLOSED;
	json_object_set_new(t, "can_escalate", json_boolean(may_change && active && tier < 3));
	snprintf(buf, sizeof(buf), "L%d", tier + 1);
	json_object_set_new(t, "next_tier", json_string(buf));
	json_object_set_new(t, "can_deescalate", json_boolean(may_change && tier > 1));
	snprintf(buf, sizeof(buf), "L%d", tier - 1);
	json_object_set_new(t, "prev_tier", json_string(buf));
	json_object_set_new(t, "can_take", json_boolean(may_change && active &&
	    !(json_is_string(json_object_get(t, "assignee")) &&
	    strcmp(json_string_value(json_object_get(t, "assignee")), r->user.name) == 0)));
	if (!json_is_string(json_object_get(t, "assignee")))
		json_object_set_new(t, "assignee", json_string(""));
	{
		/* replies: canned texts to start from, FAQ answers to send */
		json_t *canned = NULL;
		char tid[16], url[64];
		if (canned_list(r->store, &canned) == KB_OK)
			json_object_set_new(data, "canned", canned);
		tickets_format_id(id, tid);
		snprintf(url, sizeof(url), "/faq?ticket=%s", tid);
		json_object_set_new(data, "faq_url", json_string(url));
	}
	{
		/* its problems (with the known error's workaround once published) */
		json_t *probs = NULL, *p, *wa;
		const char *art;
		char purl[40];
		size_t k;
		if (problems_of_ticket(r->store, id, &probs) == KB_OK) {
			json_array_foreach(probs, k, p) {
				snprintf(purl, sizeof(purl), "/problems/%s",
				    json_string_value(json_object_get(p, "id")));
				json_object_set_new(p, "url", json_string(purl));
				json_object_set_new(p, "status_label", widget_label(kbd, r,
				    "problem_status_", json_string_value(json_object_get(p,
				    "status"))));
				art = json_string_value(json_object_get(p, "article"));
				if (art && r->search && search_find(r->search, art, &wa) ==
				    KB_OK) {
					const char *ast = json_string_value(json_object_get(wa,
					    "status"));
					if (ast && strcmp(ast, "published") == 0) {
						char *u = view_article_url(art);
						json_object_set_new(p, "workaround", json_pack(
						    "{s:s, s:O}", "url", u, "title",
						    json_object_get(wa, "title")));
						free(u);
					}
					json_decref(wa);
				}
			}
			json_object_set_new(data, "problems", probs);
		}
		json_object_set_new(data, "can_declare", json_boolean(
		    r->user.role >= ROLE_L2 && json_is_string(json_object_get(t,
		    "priority")) && strcmp(json_string_value(json_object_get(t,
		    "priority")), "P1") == 0));
		json_object_set_new(data, "last_event", json_incref(json_object_get(t,
		    "last_event")));
		/* the active incidents it is already part of; who else is editing */
		json_t *inc;
		int64_t one;
		json_array_foreach(json_object_get(data, "incidents"), k, inc)
			json_object_set_new(inc, "linked", json_boolean(store_int(r->store,
			    &one, "SELECT 1 FROM incident_tickets WHERE incident_id = ? AND "
			    "ticket_id = ?", "ii", incidents_parse_id(json_string_value(
			    json_object_get(inc, "id"))), id) == KB_OK));
		json_object_set_new(data, "editing", hub_editors(kbd->hub, id,
		    r->user.name));
	}
	{
		/* knowledge capture: resolved without a resolved-by article */
		bool has_article = false;
		json_array_foreach(json_object_get(t, "links"), i, v)
			if (strcmp(json_string_value(json_object_get(v, "relation")),
			    "resolved-by") == 0 || strcmp(json_string_value(
			    json_object_get(v, "relation")), "created-from") == 0)
				has_article = true;
		json_object_set_new(t, "can_draft", json_boolean(!active &&
		    !has_article && r->user.role >= ROLE_L2));
	}
	comments = json_object_get(t, "comments");
	json_array_foreach(comments, i, v) {
		json_object_set_new(v, "at_text", widget_time(json_object_get(v, "at")));
		json_object_set_new(v, "body_html", widget_markdown(
		    json_string_value(json_object_get(v, "body"))));
	}
	links = json_object_get(t, "links");
	json_array_foreach(links, i, v) {
		const char *slug = json_string_value(json_object_get(v, "article"));
		char *url = view_article_url(slug ? slug : "");
		json_object_set_new(v, "relation_label", widget_label(kbd, r, "tk_rel_",
		    json_string_value(json_object_get(v, "relation"))));
		json_object_set_new(v, "url", json_string(url));
		free(url);
		json_object_set(v, "title", json_object_get(v, "article"));
		if (r->search && search_find(r->search, slug, &doc) == KB_OK) {
			json_object_set(v, "title", json_object_get(doc, "title"));
			json_decref(doc);
		}
	}
	esc = json_object_get(t, "escalations");
	crit = criteria_json(kbd, r);
	json_array_foreach(esc, i, v) {
		const char *reason = json_string_value(json_object_get(v, "reason"));
		const char *reason_label = reason;
		json_t *c;
		size_t ci;
		json_array_foreach(crit, ci, c)
			if (reason && strcmp(json_string_value(json_object_get(c, "id")),
			    reason) == 0)
				reason_label = json_string_value(json_object_get(c, "label"));
		json_object_set_new(v, "at_text", widget_time(json_object_get(v, "at")));
		json_object_set_new(v, "reason_label", json_string(reason_label ?
		    reason_label : ""));
		{
			/* the slugs consulted, as one line */
			struct buf joined;
			json_t *slug;
			size_t k;
			buf_init(&joined, 64 * 1024);
			json_array_foreach(json_object_get(v, "articles"), k, slug)
				buf_printf(&joined, "%s%s", k ? ", " : "",
				    json_string_value(slug));
			json_object_set_new(v, "articles", json_string(buf_str(&joined)));
			buf_release(&joined);
		}
		if (strcmp(json_string_value(json_object_get(v, "kind")), "deescalate") == 0)
			json_object_set(v, "instructions", json_object_get(v, "tried"));
	}
	if (events_list(r->store, id, &events) == KB_OK) {
		/* events carry unix times */
		json_array_foreach(events, i, v) {
			char iso[32];
			tickets_iso_time((time_t)json_integer_value(json_object_get(v, "at")), iso);
			json_t *s = json_string(iso);
			json_object_set_new(v, "at_text", widget_time(s));
			json_decref(s);
			json_object_set_new(v, "kind_label", widget_label(kbd, r, "tk_ev_",
			    json_string_value(json_object_get(v, "kind"))));
			localise_event(kbd, r, v);
		}
	}
	json_object_set(data, "comments", comments);
	json_object_set(data, "links", links);
	json_object_set(data, "escalations", esc);
	json_object_set_new(data, "events", events ? events : json_array());
	json_object_set_new(data, "criteria", crit);
	json_object_set_new(data, "relations", widget_options(kbd, r, "tk_rel_", relation_names, NULL));
	json_object_set_new(data, "ticket", t);
	if (notice)
		json_object_set_new(data, "notice", json_string(notice));
	if (e && e->status)
		widget_errors(kbd, r, data, e, "tk_err_");
	if (form)
		json_object_set(data, "form", form);	/* what was typed, after an error */
	resp_page(kbd, resp, status, "ticket", data);
}

void
page_ticket(struct kbd *kbd, const struct req *r, struct response *resp)
{
	int64_t id;

	if (strcmp(r->rest, "new") == 0) {
		page_ticket_new(kbd, r, resp);
		return;
	}
	id = tickets_parse_id(r->rest);
	if (!id) {
		resp_error(kbd, r, resp, 404, "not_found", "There is no such ticket.");
		return;
	}
	ticket_page(kbd, r, resp, id, 200, NULL, NULL, NULL);
}

/* GET /tickets/lookup?id=T-000123 from the header box. */
void
page_ticket_lookup(struct kbd *kbd, const struct req *r, struct response *resp)
{
	int64_t id = tickets_parse_id(req_arg(r, "id"));
	char tid[16], url[32];

	if (!id) {
		resp_error(kbd, r, resp, 404, "not_found",
		    "Type a ticket number such as T-000123.");
		return;
	}
	tickets_format_id(id, tid);
	snprintf(url, sizeof(url), "/tickets/%s", tid);
	resp_redirect(resp, url);
}

void
page_ticket_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	struct actor who = { r->user.name, r->user.role };
	int64_t id = tickets_parse_id(r->rest);
	struct buf action, v;
	json_t *in = json_object();
	const char *notice = NULL;
	char url[32], tid[16];
	int rc;

	if (!id || !r->store) {
		resp_error(kbd, r, resp, 404, "not_found", "There is no such ticket.");
		json_decref(in);
		return;
	}
	buf_init(&action, 64);
	buf_init(&v, 64);
	req_form(r, "action", &action);
	if (strcmp(buf_str(&action), "status") == 0) {
		form_field(r, "status", in, "status");
		form_field(r, "note", in, "note");
		if (json_string_length(json_object_get(in, "note")) == 0)
			json_object_del(in, "note");
		/* the last change the page showed: someone else's since is a 409 */
		if (req_form(r, "base_event", &v)) {
			long base;
			if (kb_strtol_range(buf_str(&v), 0, 0x7fffffffL, &base) == KB_OK)
				json_object_set_new(in, "base_event", json_integer(base));
		}
		rc = tickets_update(r->store, &kbd->workflow, &who, id, in, &e);
		notice = "Status changed.";
	} else if (strcmp(buf_str(&action), "comment") == 0) {
		form_field(r, "body", in, "body");
		json_object_set_new(in, "internal", json_boolean(req_form(r, "internal", &v)));
		rc = tickets_comment(r->store, &who, id, in, &e);
		notice = "Comment added.";
	} else if (strcmp(buf_str(&action), "take") == 0) {
		rc = tickets_take(r->store, &who, id, &e);
		notice = "You own this ticket now.";
	} else if (strcmp(buf_str(&action), "escalate") == 0) {
		form_field(r, "reason", in, "reason");
		form_field(r, "tried", in, "tried");
		form_field(r, "steps", in, "steps");
		if (req_form(r, "articles", &v))
			json_object_set_new(in, "articles", split_slugs(buf_str(&v)));
		else
			json_object_set_new(in, "articles", json_array());
		rc = tickets_escalate(r->store, &kbd->workflow, &who, id, in, &e);
		notice = "Escalated with the handoff.";
	} else if (strcmp(buf_str(&action), "deescalate") == 0) {
		form_field(r, "instructions", in, "instructions");
		rc = tickets_deescalate(r->store, &who, id, in, &e);
		notice = "Sent back with your instructions.";
	} else if (strcmp(buf_str(&action), "draft") == 0) {
		char *slug = NULL;
		if (who.role < ROLE_L2) {
			rc = KB_EINVAL;
			e.status = 403;
			e.code = "forbidden";
			snprintf(e.message, sizeof(e.message), "Only L2 and L3 write articles.");
		} else {
			rc = capture_draft(kbd, r->store, &who, id, &slug, &e);
		}
		free(slug);
		notice = "Draft article started.";
	} else if (strcmp(buf_str(&action), "link") == 0) {
		form_field(r, "article", in, "article");
		form_field(r, "relation", in, "relation");
		rc = tickets_link(r->store, &who, id, in, &e);
		notice = "Article linked.";
	} else {
		rc = KB_EINVAL;
		e.status = 400;
		e.code = "bad_request";
		snprintf(e.message, sizeof(e.message), "Unknown action.");
	}
	if (rc && e.status == 404) {
		resp_error(kbd, r, resp, 404, "not_found", "There is no such ticket.");
	} else if (rc) {
		json_t *form = json_object();
		static const char *const fields[] = { "tried", "steps", "articles", "body",
			"note", "instructions", "article", NULL };
		for (size_t k = 0; fields[k]; k++)
			form_field(r, fields[k], form, fields[k]);
		ticket_page(kbd, r, resp, id, e.status ? e.status : 500, NULL, &e, form);
		json_decref(form);
	} else {
		/* post/redirect/get: a reload does not repeat the action */
		tickets_format_id(id, tid);
		snprintf(url, sizeof(url), "/tickets/%s", tid);
		resp_redirect(resp, url);
		(void)notice;
	}
	refusal_release(&e);
	json_decref(in);
	buf_release(&action);
	buf_release(&v);
}

void
page_escalation(struct kbd *kbd, const struct req *r, struct response *resp)
{
	static const char *const levels[] = { "high", "medium", "low" };
	json_t *data = page_data(kbd, r, req_text(kbd, r, "title_escalation"), ""),
	    *sla, *v, *matrix, *cells;
	char prio[4];
	size_t i, j;
	unsigned m;

	sla = workflow_sla_json(&kbd->workflow);
	json_array_foreach(sla, i, v) {
		m = (unsigned)json_integer_value(json_object_get(v, "response_minutes"));
		json_object_set_new(v, "response_text", widget_duration(kbd, r, m));
		m = (unsigned)json_integer_value(json_object_get(v, "resolution_minutes"));
		json_object_set_new(v, "resolution_text", widget_duration(kbd, r, m));
	}
	matrix = json_array();
	for (i = 0; i < 3; i++) {
		cells = json_array();
		for (j = 0; j < 3; j++) {
			snprintf(prio, sizeof(prio), "P%d", workflow_priority(
			    (enum level)level_parse(levels[i]),
			    (enum level)level_parse(levels[j])));
			json_array_append_new(cells, json_pack("{s:s, s:s}", "urgency",
			    levels[j], "priority", prio));
		}
		json_array_append_new(matrix, json_pack("{s:s, s:o}", "impact", levels[i],
		    "cells", cells));
	}
	json_object_set_new(data, "criteria", criteria_json(kbd, r));
	json_object_set_new(data, "sla", sla);
	json_object_set_new(data, "matrix", matrix);
	resp_page(kbd, resp, 200, "escalation", data);
}
