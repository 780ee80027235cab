/*
 * api_problems.c - the JSON API of problem management and major incidents:
 *
 *   POST  /api/v1/problems                    {"title","symptoms","tickets"} (201)
 *   GET   /api/v1/problems?status=
 *   GET   /api/v1/problems/{id}               PATCH the same
 *   POST  /api/v1/problems/{id}/tickets       {"ticket"}
 *   POST  /api/v1/problems/{id}/known-error   {"article"} | {"draft": true}
 *   GET   /api/v1/known-errors?q=             known errors matching a new ticket
 *   POST  /api/v1/incidents                   {"ticket"|"problem","summary","advice"} (201)
 *   GET   /api/v1/incidents?status=
 *   GET   /api/v1/incidents/{id}
 *   POST  /api/v1/incidents/{id}/updates      {"text"} (201)
 *   POST  /api/v1/incidents/{id}/tickets      {"ticket"} (any agent)
 *   POST  /api/v1/incidents/{id}/close        {"text"}
 *
 * Problems are opened and worked by L2/L3 (the route table says so);
 * incident updates and closing too, checked here since linking a ticket to
 * an incident is for every agent.
 */
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
#include "util.h"
#include "banned.h"

#define MATCH_TEXT_MAX 8192

/* "{id}" or "{id}/{action}" after prefix in the path; *action "" if none. */
static int64_t
path_id(const struct req *r, int64_t (*parse)(const char *), const char **action)
{
	const char *slash = strchr(r->rest, '/');
	char id[24];
	size_t n = slash ? (size_t)(slash - r->rest) : strlen(r->rest);

	*action = slash ? slash + 1 : "";
	if (n == 0 || n >= sizeof(id))
		return 0;
	memcpy(id, r->rest, n);
	id[n] = '\0';
	return parse(id);
}

void
api_problems(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	json_t *in, *out = NULL;
	int64_t id;

	if (strcmp(r->method, "GET") == 0) {
		if (problems_list(r->store, req_arg(r, "status"), &out, &e))
			resp_refusal(kbd, r, resp, &e);
		else
			resp_json(resp, 200, out);
		return;
	}
	if (!(in = req_json_body(kbd, r, resp)))
		return;
	if (problems_create(r->store, &who, in, &id, &e) ||
	    problems_get(r->store, id, &out, &e))
		resp_refusal(kbd, r, resp, &e);
	else
		resp_json(resp, 201, out);
	json_decref(in);
}

void
api_problem(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	const char *action;
	int64_t id = path_id(r, problems_parse_id, &action);
	json_t *in = NULL, *out = NULL, *extra = NULL;
	bool get = strcmp(r->method, "GET") == 0;
	int rc;

	if (!id) {
		resp_error(kbd, r, resp, 404, "not_found", "There is no such problem.");
		return;
	}
	if (get && !*action) {
		if (problems_get(r->store, id, &out, &e))
			resp_refusal(kbd, r, resp, &e);
		else
			resp_json(resp, 200, out);
		return;
	}
	if (get || (strcmp(r->method, "PATCH") == 0) != !*action ||
	    (*action && strcmp(action, "tickets") != 0 &&
	    strcmp(action, "known-error") != 0)) {
		resp_error(kbd, r, resp, 404, "not_found", "No such resource: PATCH "
		    "/api/v1/problems/{id}, POST …/tickets or …/known-error.");
		return;
	}
	if (!(in = req_json_body(kbd, r, resp)))
		return;
	if (!*action)
		rc = problems_update(kbd, r->store, &who, id, in, &extra, &e);
	else if (strcmp(action, "tickets") == 0)
		rc = problems_link_ticket(r->store, &who, id, in, &e);
	else
		rc = problems_known_error(kbd, r->store, &who, id, in, &extra, &e);
	if (!rc)
		rc = problems_get(r->store, id, &out, &e);
	if (rc) {
		resp_refusal(kbd, r, resp, &e);
	} else {
		if (extra)
			json_object_update(out, extra);
		resp_json(resp, 200, out);
	}
	json_decref(extra);
	json_decref(in);
}

void
api_known_errors(struct kbd *kbd, const struct req *r, struct response *resp)
{
	const char *q = req_arg(r, "q");
	json_t *list;
	size_t i;

	if (!q || strlen(q) > MATCH_TEXT_MAX || !utf8_valid(q, strlen(q))) {
		resp_error(kbd, r, resp, 400, "bad_parameter", "Give the new ticket's "
		    "words as ?q= (at most 8 KiB).");
		return;
	}
	if (problems_matching(r->store, q, 10, &list)) {
		resp_error(kbd, r, resp, 500, "internal", "The known errors cannot be "
		    "read.");
		return;
	}
	/* offered at triage once their workaround is published, not before */
	for (i = 0; i < json_array_size(list);) {
		json_t *doc = NULL;
		const char *st;
		bool published = r->search && search_find(r->search, json_string_value(
		    json_object_get(json_array_get(list, i), "article")), &doc) == KB_OK &&
		    (st = json_string_value(json_object_get(doc, "status"))) &&
		    strcmp(st, "published") == 0;
		json_decref(doc);
		if (published && i < 3)
			i++;
		else
			json_array_remove(list, i);
	}
	resp_json(resp, 200, json_pack("{s:s, s:o}", "query", q, "known_errors",
	    list));
}

void
api_incidents(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	json_t *in, *out = NULL;
	int64_t id;

	if (strcmp(r->method, "GET") == 0) {
		if (incidents_list(r->store, req_arg(r, "status"), &out, &e))
			resp_refusal(kbd, r, resp, &e);
		else
			resp_json(resp, 200, out);
		return;
	}
	if (!(in = req_json_body(kbd, r, resp)))
		return;
	if (incidents_declare(r->store, &who, in, &id, &e) ||
	    incidents_get(r->store, id, &out, &e)) {
		resp_refusal(kbd, r, resp, &e);
	} else {
		incident_news(kbd, r, id, NULL);
		resp_json(resp, 201, out);
	}
	json_decref(in);
}

void
api_incident(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	const char *action;
	int64_t id = path_id(r, incidents_parse_id, &action);
	json_t *in = NULL, *out = NULL;
	int rc;

	if (!id) {
		resp_error(kbd, r, resp, 404, "not_found", "There is no such incident.");
		return;
	}
	if (strcmp(r->method, "GET") == 0) {
		if (*action)
			rc = refuse(&e, 404, "not_found", "No such resource.");
		else
			rc = incidents_get(r->store, id, &out, &e);
		if (rc)
			resp_refusal(kbd, r, resp, &e);
		else
			resp_json(resp, 200, out);
		return;
	}
	if (strcmp(action, "updates") != 0 && strcmp(action, "tickets") != 0 &&
	    strcmp(action, "close") != 0) {
		resp_error(kbd, r, resp, 404, "not_found", "POST to …/updates, "
		    "…/tickets or …/close.");
		return;
	}
	if (strcmp(action, "tickets") != 0 &&
	    !access_allows(r->user.role, PERM_KNOWLEDGE, false)) {
		resp_error(kbd, r, resp, 403, "forbidden", "L2 and L3 post updates and "
		    "close major incidents.");
		return;
	}
	if (!(in = r->body_len || strcmp(action, "close") != 0 ?
	    req_json_body(kbd, r, resp) : json_object()))
		return;
	if (strcmp(action, "updates") == 0) {
		if ((rc = incidents_update(r->store, &who, id, in, &out, &e)) == KB_OK) {
			incident_news(kbd, r, id, json_string_value(json_object_get(out,
			    "text")));
			resp_json(resp, 201, out);
		}
	} else if (strcmp(action, "tickets") == 0) {
		if ((rc = incidents_link_ticket(r->store, &who, id, in, &e)) == KB_OK &&
		    (rc = incidents_get(r->store, id, &out, &e)) == KB_OK)
			resp_json(resp, 200, out);
	} else if ((rc = incidents_close(kbd, r->store, &who, id, in, &out, &e)) ==
	    KB_OK) {
		incident_news(kbd, r, id, NULL);
		resp_json(resp, 200, out);
	}
	if (rc)
		resp_refusal(kbd, r, resp, &e);
	json_decref(in);
}
