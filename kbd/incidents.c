/*
 * incidents.c - see incidents.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "articles.h"
#include "buf.h"
#include "err.h"
#include "events.h"
#include "incidents.h"
#include "kbd.h"
#include "problems.h"
#include "store.h"
#include "tickets.h"
#include "util.h"
#include "banned.h"

#define SUMMARY_MAX 500
#define TEXT_MAX 4000

void
incidents_format_id(int64_t id, char out[16])
{
	snprintf(out, 16, "MI-%06lld", (long long)(id % 1000000000));
}

int64_t
incidents_parse_id(const char *s)
{
	long v;

	if (!s)
		return 0;
	if (strncasecmp(s, "MI-", 3) == 0)
		s += 3;
	if (strlen(s) > 9 || kb_strtol_range(s, 1, 999999999L, &v))
		return 0;
	return (int64_t)v;
}

static const struct store_words db_words = {
	"incidents",
	NULL,
	"The incident could not be saved.",
};

static bool
text_ok(json_t *v, size_t max, bool required)
{
	const char *s = json_string_value(v);

	if (!v)
		return !required;
	return s && strlen(s) <= max && utf8_valid(s, strlen(s)) && (!required || *s);
}

/* The event on one ticket's incident log (inside the transaction). */
static int
ticket_event(struct store *st, int64_t ticket, const char *actor,
    const char *field, int64_t id, const char *note)
{
	char mi[16];
	struct event ev = { ticket, actor, "incident", field, "", mi,
		note ? note : "" };

	incidents_format_id(id, mi);
	return events_append(st, &ev);
}

/* The same event on every ticket linked to it. */
static int
tickets_event(struct store *st, int64_t id, const char *actor,
    const char *field, const char *note)
{
	char ref[16];
	struct event ev = { 0, actor, "incident", field, "", ref, note ? note : "" };

	incidents_format_id(id, ref);
	return events_append_each(st, "SELECT ticket_id FROM incident_tickets WHERE "
	    "incident_id = ? ORDER BY ticket_id", id, &ev);
}

static int
link(struct store *st, int64_t id, int64_t ticket, const char *actor,
    const char *note)
{
	return store_run(st, "INSERT INTO incident_tickets (incident_id, ticket_id, "
	    "at, actor) VALUES (?, ?, ?, ?)", "iiis", id, ticket, (int64_t)time(NULL),
	    actor) || ticket_event(st, ticket, actor, "linked", id, note);
}

int
incidents_declare(struct store *st, const struct actor *who, json_t *in,
    int64_t *id, struct refusal *e)
{
	json_t *tv = json_object_get(in, "ticket"), *pv = json_object_get(in, "problem");
	const char *summary = json_string_value(json_object_get(in, "summary"));
	const char *advice = json_string_value(json_object_get(in, "advice"));
	int64_t ticket = 0, problem = 0, prio, now = (int64_t)time(NULL), tid;
	sqlite3_stmt *q;
	const char *key;
	json_t *v;

	memset(e, 0, sizeof(*e));
	json_object_foreach(in, key, v)
		if (strcmp(key, "ticket") != 0 && strcmp(key, "problem") != 0 &&
		    strcmp(key, "summary") != 0 && strcmp(key, "advice") != 0)
			return refuse(e, 400, "unknown_field", "Unknown field '%.100s'. "
			    "Fields: ticket or problem, summary, advice.", key);
	if (tv)
		ticket = json_is_integer(tv) ? json_integer_value(tv) :
		    tickets_parse_id(json_string_value(tv));
	if (pv)
		problem = json_is_integer(pv) ? json_integer_value(pv) :
		    problems_parse_id(json_string_value(pv));
	if ((tv && pv) || (!tv && !pv) || (tv && ticket <= 0) || (pv && problem <= 0))
		refusal_field(e, tv ? "ticket" : "problem", "A P1 ticket or a problem: "
		    "one of them.");
	if (!text_ok(json_object_get(in, "summary"), SUMMARY_MAX, true))
		refusal_field(e, "summary", "What is affected, since when: required, at "
		    "most 500 bytes.");
	if (!text_ok(json_object_get(in, "advice"), TEXT_MAX, false))
		refusal_field(e, "advice", "What to tell users: at most 4000 bytes.");
	if (e->fields)
		return refuse(e, 422, "invalid", "Some fields are not valid.");
	if (store_begin(st))
		return refuse(e, 503, "store_unavailable", "The store is busy; try again.");
	if (ticket) {
		if (store_int(st, &prio, "SELECT priority FROM tickets WHERE id = ?", "i",
		    ticket)) {
			store_rollback(st);
			return refuse(e, 404, "not_found", "There is no such ticket.");
		}
		if (prio != 1) {
			store_rollback(st);
			refusal_field(e, "ticket", "Only a P1 ticket is declared a major "
			    "incident (or a problem).");
			return refuse(e, 422, "invalid", "Only a P1 ticket is declared a "
			    "major incident.");
		}
	} else if (store_int(st, &prio, "SELECT 1 FROM problems WHERE id = ?", "i",
	    problem)) {
		store_rollback(st);
		return refuse(e, 404, "not_found", "There is no such problem.");
	}
	if (store_run(st, "INSERT INTO incidents (ticket_id, problem_id, summary, "
	    "advice, status, since, declared_by) VALUES (nullif(?, 0), nullif(?, 0), "
	    "?, ?, 'active', ?, ?)", "iissis", ticket, problem, summary,
	    advice ? advice : "", now, who->name))
		goto fail;
	*id = sqlite3_last_insert_rowid(store_db(st));
	if (ticket && link(st, *id, ticket, who->name, summary))
		goto fail;
	if (problem) {
		/* the problem's tickets are the incident's too */
		if (sqlite3_prepare_v2(store_db(st), "SELECT ticket_id FROM "
		    "problem_tickets WHERE problem_id = ? ORDER BY ticket_id LIMIT 500",
		    -1, &q, NULL) != SQLITE_OK)
			goto fail;
		sqlite3_bind_int64(q, 1, problem);
		while (sqlite3_step(q) == SQLITE_ROW) {
			tid = sqlite3_column_int64(q, 0);
			if (link(st, *id, tid, who->name, summary)) {
				sqlite3_finalize(q);
				goto fail;
			}
		}
		sqlite3_finalize(q);
	}
	if (store_run(st, "INSERT INTO incident_updates (incident_id, at, actor, "
	    "text) VALUES (?, ?, ?, ?)", "iiss", *id, now, who->name,
	    "Declared a major incident.") || store_commit(st))
		goto fail;
	return KB_OK;
fail:
	store_rollback(st);
	return store_refuse(st, &db_words, e);
}

static json_t *
iso(int64_t t)
{
	char at[32];

	tickets_iso_time((time_t)t, at);
	return json_string(at);
}

int
incidents_get(struct store *st, int64_t id, json_t **out, struct refusal *e)
{
	sqlite3_stmt *q;
	json_t *o = NULL, *updates, *tickets;
	char mi[16], ref[16];
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT ticket_id, problem_id, summary, "
	    "advice, status, since, declared_by, resolved, review_article FROM "
	    "incidents WHERE id = ?", -1, &q, NULL) != SQLITE_OK)
		return store_refuse(st, &db_words, e);
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		incidents_format_id(id, mi);
		o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s}", "id", mi,
		    "summary", (const char *)sqlite3_column_text(q, 2),
		    "advice", (const char *)sqlite3_column_text(q, 3),
		    "status", (const char *)sqlite3_column_text(q, 4),
		    "since", iso(sqlite3_column_int64(q, 5)),
		    "declared_by", (const char *)sqlite3_column_text(q, 6));
		if (sqlite3_column_type(q, 0) != SQLITE_NULL) {
			tickets_format_id(sqlite3_column_int64(q, 0), ref);
			json_object_set_new(o, "ticket", json_string(ref));
		} else {
			json_object_set_new(o, "ticket", json_null());
		}
		if (sqlite3_column_type(q, 1) != SQLITE_NULL) {
			problems_format_id(sqlite3_column_int64(q, 1), ref);
			json_object_set_new(o, "problem", json_string(ref));
		} else {
			json_object_set_new(o, "problem", json_null());
		}
		json_object_set_new(o, "resolved", sqlite3_column_type(q, 7) ==
		    SQLITE_NULL ? json_null() : iso(sqlite3_column_int64(q, 7)));
		json_object_set_new(o, "review_article", sqlite3_column_type(q, 8) ==
		    SQLITE_NULL ? json_null() :
		    json_string((const char *)sqlite3_column_text(q, 8)));
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return refuse(e, 404, "not_found", "There is no such incident.");
	if (!o)
		return store_refuse(st, &db_words, e);
	updates = json_array();
	tickets = json_array();
	if (sqlite3_prepare_v2(store_db(st), "SELECT at, actor, text FROM "
	    "incident_updates WHERE incident_id = ? ORDER BY id", -1, &q,
	    NULL) == SQLITE_OK) {
		sqlite3_bind_int64(q, 1, id);
		while (sqlite3_step(q) == SQLITE_ROW)
			json_array_append_new(updates, json_pack("{s:o, s:s, s:s}", "at",
			    iso(sqlite3_column_int64(q, 0)),
			    "actor", (const char *)sqlite3_column_text(q, 1),
			    "text", (const char *)sqlite3_column_text(q, 2)));
		sqlite3_finalize(q);
	}
	if (sqlite3_prepare_v2(store_db(st), "SELECT t.id, t.title, t.status FROM "
	    "incident_tickets i JOIN tickets t ON t.id = i.ticket_id WHERE "
	    "i.incident_id = ? ORDER BY t.id", -1, &q, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(q, 1, id);
		while (sqlite3_step(q) == SQLITE_ROW) {
			tickets_format_id(sqlite3_column_int64(q, 0), ref);
			json_array_append_new(tickets, json_pack("{s:s, s:s, s:s}", "id", ref,
			    "title", (const char *)sqlite3_column_text(q, 1),
			    "status", (const char *)sqlite3_column_text(q, 2)));
		}
		sqlite3_finalize(q);
	}
	json_object_set_new(o, "updates", updates);
	json_object_set_new(o, "tickets", tickets);
	*out = o;
	return KB_OK;
}

int
incidents_list(struct store *st, const char *status, json_t **out,
    struct refusal *e)
{
	sqlite3_stmt *q;
	json_t *list;
	char mi[16];
	int rc;

	*out = NULL;
	if (status && strcmp(status, "active") != 0 && strcmp(status, "resolved") != 0)
		return refuse(e, 400, "bad_parameter", "'status' is active or resolved.");
	if (sqlite3_prepare_v2(store_db(st), "SELECT i.id, i.status, i.summary, "
	    "i.since, (SELECT count(*) FROM incident_tickets t WHERE t.incident_id = "
	    "i.id) FROM incidents i WHERE ?1 IS NULL OR i.status = ?1 ORDER BY i.id "
	    "DESC LIMIT 200", -1, &q, NULL) != SQLITE_OK)
		return store_refuse(st, &db_words, e);
	if (status)
		sqlite3_bind_text(q, 1, status, -1, SQLITE_STATIC);
	list = json_array();
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		incidents_format_id(sqlite3_column_int64(q, 0), mi);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o, s:I}", "id",
		    mi, "status", (const char *)sqlite3_column_text(q, 1),
		    "summary", (const char *)sqlite3_column_text(q, 2),
		    "since", iso(sqlite3_column_int64(q, 3)),
		    "tickets", (json_int_t)sqlite3_column_int64(q, 4)));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return store_refuse(st, &db_words, e);
	}
	*out = json_pack("{s:o}", "incidents", list);
	return KB_OK;
}

int
incidents_active(struct store *st, json_t **out)
{
	sqlite3_stmt *q;
	char mi[16], url[32];
	int rc;

	*out = json_array();
	if (sqlite3_prepare_v2(store_db(st), "SELECT i.id, i.summary, i.advice, "
	    "i.since, (SELECT u.text FROM incident_updates u WHERE u.incident_id = "
	    "i.id ORDER BY u.id DESC LIMIT 1) FROM incidents i WHERE i.status = "
	    "'active' ORDER BY i.id DESC LIMIT 5", -1, &q, NULL) != SQLITE_OK)
		return KB_EDB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		incidents_format_id(sqlite3_column_int64(q, 0), mi);
		snprintf(url, sizeof(url), "/incidents/%s", mi);
		json_array_append_new(*out, json_pack("{s:s, s:s, s:s, s:o, s:s, s:s}",
		    "id", mi, "summary", (const char *)sqlite3_column_text(q, 1),
		    "advice", (const char *)sqlite3_column_text(q, 2),
		    "since", iso(sqlite3_column_int64(q, 3)), "url", url,
		    "last_update", sqlite3_column_text(q, 4) ?
		    (const char *)sqlite3_column_text(q, 4) : ""));
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? KB_OK : KB_EDB;
}

/* The incident's status into *status (malloc'd); 404 if none. */
static int
status_of(struct store *st, int64_t id, char **status, struct refusal *e)
{
	sqlite3_stmt *q;
	int rc;

	*status = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT status FROM incidents WHERE "
	    "id = ?", -1, &q, NULL) != SQLITE_OK)
		return store_refuse(st, &db_words, e);
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*status = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return *status ? KB_OK : refuse(e, 404, "not_found", "There is no such "
	    "incident.");
}

int
incidents_update(struct store *st, const struct actor *who, int64_t id,
    json_t *in, json_t **out, struct refusal *e)
{
	const char *text = json_string_value(json_object_get(in, "text"));
	int64_t now = (int64_t)time(NULL);
	char *status;
	int rc;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	if (json_object_size(in) != 1 || !text_ok(json_object_get(in, "text"),
	    TEXT_MAX, true)) {
		refusal_field(e, "text", "The update: required, at most 4000 bytes.");
		return refuse(e, 422, "invalid", "Send {\"text\": …}.");
	}
	if (store_begin(st))
		return refuse(e, 503, "store_unavailable", "The store is busy; try again.");
	if ((rc = status_of(st, id, &status, e))) {
		store_rollback(st);
		return rc;
	}
	if (strcmp(status, "active") != 0) {
		free(status);
		store_rollback(st);
		return refuse(e, 409, "resolved", "The incident is resolved.");
	}
	free(status);
	if (store_run(st, "INSERT INTO incident_updates (incident_id, at, actor, "
	    "text) VALUES (?, ?, ?, ?)", "iiss", id, now, who->name, text) ||
	    tickets_event(st, id, who->name, "update", text) || store_commit(st)) {
		store_rollback(st);
		return store_refuse(st, &db_words, e);
	}
	*out = json_pack("{s:o, s:s, s:s}", "at", iso(now), "actor", who->name,
	    "text", text);
	return KB_OK;
}

int
incidents_link_ticket(struct store *st, const struct actor *who, int64_t id,
    json_t *in, struct refusal *e)
{
	json_t *tv = json_object_get(in, "ticket");
	int64_t ticket = json_is_integer(tv) ? json_integer_value(tv) :
	    tickets_parse_id(json_string_value(tv)), one;
	char *status;
	int rc;

	memset(e, 0, sizeof(*e));
	if (ticket <= 0 || json_object_size(in) != 1) {
		refusal_field(e, "ticket", "A ticket number such as T-000123.");
		return refuse(e, 422, "invalid", "Send {\"ticket\": \"T-000123\"}.");
	}
	if (store_begin(st))
		return refuse(e, 503, "store_unavailable", "The store is busy; try again.");
	if ((rc = status_of(st, id, &status, e))) {
		store_rollback(st);
		return rc;
	}
	free(status);
	if (store_int(st, &one, "SELECT 1 FROM tickets WHERE id = ?", "i", ticket)) {
		store_rollback(st);
		return refuse(e, 404, "not_found", "There is no such ticket.");
	}
	if (store_int(st, &one, "SELECT 1 FROM incident_tickets WHERE incident_id = ? "
	    "AND ticket_id = ?", "ii", id, ticket) == KB_OK) {
		store_rollback(st);
		return KB_OK;	/* linked already */
	}
	if (link(st, id, ticket, who->name, "") || store_commit(st)) {
		store_rollback(st);
		return store_refuse(st, &db_words, e);
	}
	return KB_OK;
}

/* The post-incident review, as a draft article; *slug gets its slug. */
static int
review_draft(struct kbd *kbd, struct store *st, const struct actor *who,
    int64_t id, const char *closing, char **slug, struct refusal *e)
{
	json_t *inc = NULL, *u, *in, *out = NULL;
	struct buf body, s;
	char mi[16];
	size_t i;
	int rc;

	*slug = NULL;
	if ((rc = incidents_get(st, id, &inc, e)))
		return rc;
	incidents_format_id(id, mi);
	buf_init(&body, 512 * 1024);
	buf_init(&s, 256);
	buf_puts(&s, "incidents/");
	for (i = 0; mi[i]; i++)
		buf_putc(&s, mi[i] >= 'A' && mi[i] <= 'Z' ? (char)(mi[i] + 32) : mi[i]);
	buf_printf(&body, "Post-incident review of %s, declared %s by %s.\n\n"
	    "## What happened\n\n%s\n\n## What users were told\n\n%s\n\n"
	    "## Timeline\n\n", mi, json_string_value(json_object_get(inc, "since")),
	    json_string_value(json_object_get(inc, "declared_by")),
	    json_string_value(json_object_get(inc, "summary")),
	    *json_string_value(json_object_get(inc, "advice")) ?
	    json_string_value(json_object_get(inc, "advice")) : "(Nothing recorded.)");
	json_array_foreach(json_object_get(inc, "updates"), i, u)
		buf_printf(&body, "- %s, %s: %s\n", json_string_value(json_object_get(u,
		    "at")), json_string_value(json_object_get(u, "actor")),
		    json_string_value(json_object_get(u, "text")));
	buf_printf(&body, "\n## Resolution\n\n%s\n\n## Tickets\n\n%zu linked.\n\n"
	    "## What we change\n\n(Actions, owners, dates.)\n", closing && *closing ?
	    closing : "(How it was resolved.)",
	    json_array_size(json_object_get(inc, "tickets")));
	in = json_pack("{s:s, s:s+, s:s, s:[s], s:s, s:s}", "slug", buf_str(&s),
	    "title", "Post-incident review: ", json_string_value(json_object_get(inc,
	    "summary")), "summary", "What happened, what we told users, what we "
	    "change.", "tags", "post-incident", "audience", "l2", "body",
	    buf_str(&body));
	rc = body.err ? refuse(e, 413, "too_large", "The incident is too long to "
	    "draft from.") : articles_create(kbd, st, who, in, &out, e);
	if (!rc)
		*slug = xstrdup(json_string_value(json_object_get(out, "slug")));
	json_decref(in);
	json_decref(out);
	json_decref(inc);
	buf_release(&body);
	buf_release(&s);
	return rc;
}

int
incidents_close(struct kbd *kbd, struct store *st, const struct actor *who,
    int64_t id, json_t *in, json_t **out, struct refusal *e)
{
	const char *text = json_string_value(json_object_get(in, "text"));
	int64_t now = (int64_t)time(NULL);
	char *status, *slug = NULL, mi[16];
	int rc;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	if (json_object_size(in) > (json_object_get(in, "text") ? 1u : 0u) ||
	    !text_ok(json_object_get(in, "text"), TEXT_MAX, false)) {
		refusal_field(e, "text", "How it was resolved: at most 4000 bytes.");
		return refuse(e, 422, "invalid", "Send {\"text\": …} or nothing.");
	}
	if ((rc = status_of(st, id, &status, e)))
		return rc;
	rc = strcmp(status, "active") == 0 ? KB_OK :
	    refuse(e, 409, "resolved", "The incident is already resolved.");
	free(status);
	if (rc)
		return rc;
	/* the review draft first: it is a file and its own change */
	if ((rc = review_draft(kbd, st, who, id, text, &slug, e)))
		return rc;
	if (store_begin(st)) {
		free(slug);
		return refuse(e, 503, "store_unavailable", "The store is busy; try again.");
	}
	if (store_run(st, "UPDATE incidents SET status = 'resolved', resolved = ?, "
	    "review_article = ? WHERE id = ? AND status = 'active'", "isi", now, slug,
	    id) ||
	    store_run(st, "INSERT INTO incident_updates (incident_id, at, actor, "
	    "text) VALUES (?, ?, ?, ?)", "iiss", id, now, who->name, text && *text ?
	    text : "Resolved.") ||
	    tickets_event(st, id, who->name, "resolved", text) || store_commit(st)) {
		store_rollback(st);
		free(slug);
		return store_refuse(st, &db_words, e);
	}
	incidents_format_id(id, mi);
	*out = json_pack("{s:s, s:s, s:s}", "id", mi, "status", "resolved",
	    "review_article", slug);
	free(slug);
	return KB_OK;
}
