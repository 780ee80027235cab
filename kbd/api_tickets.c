/*
 * api_tickets.c - the JSON API of the ticket workflow:
 *
 *   POST  /api/v1/tickets                    create (201)
 *   GET   /api/v1/tickets?tier=&status=&q=&view=&sort=
 *   GET   /api/v1/tickets/{id}               PATCH the same (409 on an illegal move)
 *   POST  /api/v1/tickets/{id}/comments | escalate | deescalate | take | links
 *   GET   /api/v1/tickets/{id}/events
 *   GET   /api/v1/escalation-criteria
 *
 * Bodies are application/json (415 otherwise); errors are the usual
 * {"error": {"code", "message"}} plus "fields" for 422.
 */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "capture.h"
#include "err.h"
#include "events.h"
#include "http.h"
#include "hub.h"
#include "kbd.h"
#include "pages.h"
#include "ticket_view.h"
#include "tickets.h"
#include "util.h"
#include "view.h"
#include "banned.h"

/* The ticket number in r->rest up to the next '/', and what follows it. */
static int64_t
path_ticket(const struct req *r, const char **action)
{
	const char *slash = strchr(r->rest, '/');
	char id[16];
	size_t n = slash ? (size_t)(slash - r->rest) : strlen(r->rest);

	*action = slash ? slash + 1 : "";
	if (n == 0 || n >= sizeof(id))
		return 0;
	memcpy(id, r->rest, n);
	id[n] = '\0';
	return tickets_parse_id(id);
}

static void
send_ticket(struct kbd *kbd, const struct req *r, struct response *resp,
    int64_t id, unsigned status)
{
	json_t *t = NULL;

	if (ticket_view_get(r->store, &kbd->workflow, id, &t)) {
		resp_error(kbd, r, resp, 404, "not_found", "There is no such ticket.");
		return;
	}
	resp_json(resp, status, t);
}

void
api_tickets(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	struct actor who = { r->user.name, r->user.role };
	json_t *in, *list = NULL;
	int64_t id;

	if (!r->store) {
		resp_error(kbd, r, resp, 503, "store_unavailable",
		    "The ticket store is not available.");
		return;
	}
	if (strcmp(r->method, "POST") == 0) {
		if (!(in = req_json_body(kbd, r, resp)))
			return;
		if (tickets_create(r->store, &kbd->workflow, &who, in, &id, &e))
			resp_refusal(kbd, r, resp, &e);
		else
			send_ticket(kbd, r, resp, id, 201);
		json_decref(in);
		return;
	}
	{
		struct ticket_filter f = { 0 };
		const char *tier = req_arg(r, "tier"), *status = req_arg(r, "status");
		const char *view = req_arg(r, "view");

		f.status = -1;
		f.q = req_arg(r, "q");
		f.sort = req_arg(r, "sort");
		if (tier && *tier) {
			f.tier = (tier[0] == 'L' || tier[0] == 'l') ? tier[1] - '0' : -1;
			if (f.tier < 1 || f.tier > 3 || tier[2]) {
				resp_error(kbd, r, resp, 400, "bad_parameter",
				    "'tier' is L1, L2 or L3.");
				return;
			}
		}
		if (status && *status && (f.status = status_parse(status)) < 0) {
			resp_error(kbd, r, resp, 400, "bad_parameter",
			    "'status' is new, open, pending, escalated, resolved or closed.");
			return;
		}
		if (f.q && (strlen(f.q) > 200 || !utf8_valid(f.q, strlen(f.q)))) {
			resp_error(kbd, r, resp, 400, "bad_parameter",
			    "'q' is at most 200 bytes of UTF-8.");
			return;
		}
		if (view && strcmp(view, "mine") == 0)
			f.assignee = r->user.name;
		else if (view && strcmp(view, "unassigned") == 0)
			f.unassigned = f.open_only = true;
		else if (view && strcmp(view, "breaching") == 0)
			f.breaching = true;
		f.limit = 500;
		if (ticket_view_list(r->store, &kbd->workflow, &f, &list)) {
			resp_error(kbd, r, resp, 500, "internal",
			    "The tickets could not be listed.");
			return;
		}
		resp_json(resp, 200, json_pack("{s:I, s:o}", "count",
		    (json_int_t)json_array_size(list), "tickets", list));
	}
}

void
api_ticket(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	struct actor who = { r->user.name, r->user.role };
	const char *action;
	int64_t id = path_ticket(r, &action);
	json_t *in = NULL, *events;
	char tid[16];
	bool post = strcmp(r->method, "POST") == 0;
	bool patch = strcmp(r->method, "PATCH") == 0;
	int rc;

	if (!id) {
		resp_error(kbd, r, resp, 404, "not_found", "There is no such ticket.");
		return;
	}
	if (!r->store) {
		resp_error(kbd, r, resp, 503, "store_unavailable",
		    "The ticket store is not available.");
		return;
	}
	if (!*action && !post) {
		if (patch) {
			if (!(in = req_json_body(kbd, r, resp)))
				return;
			if (tickets_update(r->store, &kbd->workflow, &who, id, in, &e))
				resp_refusal(kbd, r, resp, &e);
			else
				send_ticket(kbd, r, resp, id, 200);
			json_decref(in);
		} else {
			send_ticket(kbd, r, resp, id, 200);
		}
		return;
	}
	if (strcmp(action, "events") == 0 && !post && !patch) {
		if (ticket_view_get(r->store, &kbd->workflow, id, &in)) {
			resp_error(kbd, r, resp, 404, "not_found", "There is no such ticket.");
			return;
		}
		json_decref(in);
		if (events_list(r->store, id, &events)) {
			resp_error(kbd, r, resp, 500, "internal", "The events could not be read.");
			return;
		}
		tickets_format_id(id, tid);
		resp_json(resp, 200, json_pack("{s:s, s:o}", "ticket", tid, "events",
		    events));
		return;
	}
	if (!post) {
		resp->allow = xstrdup("POST");
		resp_error(kbd, r, resp, 405, "method_not_allowed",
		    "This address only answers POST.");
		return;
	}
	if (strcmp(action, "draft-article") == 0) {
		char *slug = NULL;
		if (who.role < ROLE_L2) {
			resp_error(kbd, r, resp, 403, "forbidden",
			    "Only L2 and L3 write articles.");
		} else if (capture_draft(kbd, r->store, &who, id, &slug, &e)) {
			resp_refusal(kbd, r, resp, &e);
		} else {
			char *url = view_article_url(slug);
			resp_json(resp, 201, json_pack("{s:s, s:s, s:s}", "slug", slug,
			    "status", "draft", "url", url));
			free(url);
		}
		free(slug);
		return;
	}
	if (strcmp(action, "take") != 0 && !(in = req_json_body(kbd, r, resp)))
		return;
	if (strcmp(action, "editing") == 0) {
		/* "Sara is editing": announce, and hear who else is */
		json_t *others = NULL, *v = json_object_get(in, "editing");
		if (!json_is_boolean(v) || json_object_size(in) != 1) {
			resp_error(kbd, r, resp, 422, "invalid", "Send {\"editing\": "
			    "true} or {\"editing\": false}.");
		} else if (ticket_view_get(r->store, &kbd->workflow, id,
		    &events)) {
			resp_error(kbd, r, resp, 404, "not_found", "There is no such ticket.");
		} else {
			json_decref(events);
			hub_editing(kbd->hub, id, r->user.name, json_is_true(v), &others);
			resp_json(resp, 200, json_pack("{s:o}", "editing", others));
		}
		json_decref(in);
		return;
	}
	if (strcmp(action, "comments") == 0)
		rc = tickets_comment(r->store, &who, id, in, &e);
	else if (strcmp(action, "escalate") == 0)
		rc = tickets_escalate(r->store, &kbd->workflow, &who, id, in, &e);
	else if (strcmp(action, "deescalate") == 0)
		rc = tickets_deescalate(r->store, &who, id, in, &e);
	else if (strcmp(action, "take") == 0)
		rc = tickets_take(r->store, &who, id, &e);
	else if (strcmp(action, "links") == 0)
		rc = tickets_link(r->store, &who, id, in, &e);
	else {
		rc = KB_ENOTFOUND;
		e.status = 404;
		e.code = "not_found";
		snprintf(e.message, sizeof(e.message), "There is nothing at this address.");
	}
	json_decref(in);
	if (rc)
		resp_refusal(kbd, r, resp, &e);
	else
		send_ticket(kbd, r, resp, id, strcmp(action, "comments") == 0 ||
		    strcmp(action, "links") == 0 ? 201 : 200);
}

void
api_escalation_criteria(struct kbd *kbd, const struct req *r,
    struct response *resp)
{
	(void)r;
	resp_json(resp, 200, workflow_criteria_json(&kbd->workflow));
}
