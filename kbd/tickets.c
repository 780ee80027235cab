/*
 * tickets.c - see tickets.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "json_out.h"
#include "events.h"
#include "log.h"
#include "store.h"
#include "tickets.h"
#include "util.h"
#include "banned.h"

#define TITLE_MAX 200
#define TEXT_MAX 20000		/* description, comment, handoff parts */
#define NAME_MAX_LEN 200	/* requester name, contact, category, queue */

/* ---- small helpers ---- */

int64_t
tickets_parse_id(const char *s)
{
	long v;

	if (!s)
		return 0;
	if ((s[0] == 'T' || s[0] == 't') && s[1] == '-')
		s += 2;
	if (strlen(s) > 9 || kb_strtol_range(s, 1, 999999999L, &v))
		return 0;
	return (int64_t)v;
}

void
tickets_format_id(int64_t id, char out[16])
{
	snprintf(out, 16, "T-%06lld", (long long)id);
}

void
tickets_iso_time(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const struct store_words db_words = {
	"tickets",
	"The ticket store is busy; try again.",
	"The change could not be saved.",
};

static int
log_event(struct store *st, int64_t ticket, const char *actor, const char *kind,
    const char *field, const char *from, const char *to, const char *note)
{
	struct event ev = { ticket, actor, kind, field ? field : "", from ? from : "",
		to ? to : "", note ? note : "" };

	return events_append(st, &ev);
}

/* ---- input validation ---- */

/* Only these keys may appear in obj; else a 400 naming the first other one. */
static bool
only_fields(json_t *obj, const char *const *allowed, struct refusal *e)
{
	const char *key;
	json_t *v;
	size_t i;

	if (!json_is_object(obj)) {
		refuse(e, 400, "bad_request", "Send a JSON object.");
		return false;
	}
	json_object_foreach(obj, key, v) {
		for (i = 0; allowed[i]; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (!allowed[i]) {
			refuse(e, 400, "unknown_field", "Unknown field '%.100s'.", key);
			return false;
		}
	}
	return true;
}

/*
 * The string at key: NULL if absent; refuses (400) a wrong type, invalid
 * UTF-8 or more than max bytes. *ok is false on refusal.
 */
static const char *
text_field(json_t *obj, const char *key, size_t max, bool *ok,
    struct refusal *e)
{
	json_t *v = json_object_get(obj, key);
	const char *s;

	if (!v || !*ok)
		return NULL;
	if (!json_is_string(v)) {
		*ok = false;
		refuse(e, 400, "bad_request", "'%s' must be a string.", key);
		return NULL;
	}
	s = json_string_value(v);
	if (json_string_length(v) > max) {
		*ok = false;
		refuse(e, 400, "too_large", "'%s' is longer than %zu bytes.", key, max);
		return NULL;
	}
	if (strlen(s) != json_string_length(v)) {
		*ok = false;
		refuse(e, 400, "bad_request", "'%s' must not contain NUL characters.", key);
		return NULL;
	}
	return s;
}

static bool
blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* Are all elements of the array at key article slugs? NULL array if absent. */
static json_t *
slug_list(json_t *obj, const char *key, bool *ok, struct refusal *e)
{
	json_t *a = json_object_get(obj, key), *v;
	size_t i;

	if (!a || !*ok)
		return NULL;
	if (!json_is_array(a) || json_array_size(a) > 50) {
		*ok = false;
		refuse(e, 400, "bad_request", "'%s' must be a list of at most 50 "
		    "article slugs.", key);
		return NULL;
	}
	json_array_foreach(a, i, v) {
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > 512 || strstr(json_string_value(v), "..")) {
			*ok = false;
			refuse(e, 400, "bad_request", "'%s' must hold article slugs.", key);
			return NULL;
		}
	}
	return a;
}

/* ---- the ticket a change starts from ---- */

struct row {
	int64_t id;
	char *title, *category, *assignee, *queue;
	enum status status;
	int tier, priority, reopened;
	enum level impact, urgency;
	int64_t created, first_response, resolved;
};

static void
row_release(struct row *r)
{
	free(r->title);
	free(r->category);
	free(r->assignee);
	free(r->queue);
	memset(r, 0, sizeof(*r));
}

static int
load_row(struct store *st, int64_t id, struct row *r)
{
	sqlite3_stmt *s;
	int rc = KB_ENOTFOUND;

	memset(r, 0, sizeof(*r));
	if (sqlite3_prepare_v2(store_db(st), "SELECT id, title, category, assignee, "
	    "queue, status, tier, priority, reopened, impact, urgency, created, "
	    "coalesce(first_response, 0), coalesce(resolved, 0) FROM tickets "
	    "WHERE id = ?", -1, &s, NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		r->id = sqlite3_column_int64(s, 0);
		r->title = xstrdup(store_text(s, 1));
		r->category = xstrdup(store_text(s, 2));
		r->assignee = sqlite3_column_type(s, 3) == SQLITE_NULL ? NULL :
		    xstrdup(store_text(s, 3));
		r->queue = xstrdup(store_text(s, 4));
		r->status = (enum status)status_parse(store_text(s, 5));
		r->tier = sqlite3_column_int(s, 6);
		r->priority = sqlite3_column_int(s, 7);
		r->reopened = sqlite3_column_int(s, 8);
		r->impact = (enum level)level_parse(store_text(s, 9));
		r->urgency = (enum level)level_parse(store_text(s, 10));
		r->created = sqlite3_column_int64(s, 11);
		r->first_response = sqlite3_column_int64(s, 12);
		r->resolved = sqlite3_column_int64(s, 13);
		rc = KB_OK;
	}
	sqlite3_finalize(s);
	return rc;
}

/* Load a ticket for a change by who: 404 if none, 403 if above who's tier. */
static int
load_for_change(struct store *st, const struct actor *who, int64_t id,
    struct row *r, struct refusal *e)
{
	int rc = load_row(st, id, r);

	if (rc == KB_ENOTFOUND)
		return refuse(e, 404, "not_found", "There is no ticket %lld.", (long long)id);
	if (rc)
		return store_refuse(st, &db_words, e);
	if (who->role != ROLE_ADMIN && (int)who->role < r->tier) {
		refuse(e, 403, "forbidden", "This ticket is at L%d; your role cannot "
		    "change it.", r->tier);
		row_release(r);
		return KB_EINVAL;
	}
	return KB_OK;
}

/*
 * Start a change: the write transaction and the ticket, checked for who.
 * On failure the transaction is rolled back and *e says why (404, 403,
 * 503 or 500); the code is KB_EDB for store errors, else KB_EINVAL.
 */
static int
begin_change(struct store *st, const struct actor *who, int64_t id,
    struct row *r, struct refusal *e)
{
	if (store_begin_change(st, &db_words, e))
		return KB_EDB;
	if (load_for_change(st, who, id, r, e)) {
		store_rollback(st);
		return e->status >= 500 ? KB_EDB : KB_EINVAL;
	}
	return KB_OK;
}

/*
 * Give up a change begun with begin_change(): roll the transaction back,
 * release r, and return rc (the caller has filled the refusal).
 */
static int
abandon(struct store *st, struct row *r, int rc)
{
	store_rollback(st);
	row_release(r);
	return rc;
}

/* ---- changes ---- */

static const char *const relations[] = { "suggested", "consulted",
	"sent-to-requester", "resolved-by", "created-from", NULL };

static bool
valid_relation(const char *r)
{
	size_t i;

	for (i = 0; r && relations[i]; i++)
		if (strcmp(r, relations[i]) == 0)
			return true;
	return false;
}

static int
add_link(struct store *st, int64_t id, const char *article, const char *relation,
    const char *actor)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(store_db(st), "INSERT OR IGNORE INTO ticket_links"
	    "(ticket_id, article, relation, at, actor) VALUES (?, ?, ?, ?, ?)", -1, &s,
	    NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, article, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, relation, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(s, 5, actor, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return KB_EDB;
	return sqlite3_changes(store_db(st)) ? KB_OK : KB_ENOTFOUND;	/* already */
}

/*
 * Add a comment and its event on the incident log, which names the
 * comment's id (to_value): what the live stream looks @mentions up by.
 */
static int
add_comment(struct store *st, int64_t id, const char *author, const char *body,
    bool internal)
{
	char cid[24];

	if (store_run(st, "INSERT INTO comments(ticket_id, at, author, body, internal) "
	    "VALUES (?, ?, ?, ?, ?)", "iissi", id, (int64_t)time(NULL), author, body,
	    (int64_t)internal))
		return KB_EDB;
	snprintf(cid, sizeof(cid), "%lld",
	    (long long)sqlite3_last_insert_rowid(store_db(st)));
	return log_event(st, id, author, "comment", internal ? "internal" : "public",
	    "", cid, "");
}

/* Mark the ticket updated now, and its first response if it had none. */
static int
touch(struct store *st, int64_t id, bool responds)
{
	int64_t now = (int64_t)time(NULL);

	if (responds && store_run(st, "UPDATE tickets SET first_response = ? WHERE id = ? "
	    "AND first_response IS NULL", "ii", now, id))
		return KB_EDB;
	return store_run(st, "UPDATE tickets SET updated = ? WHERE id = ?", "ii", now, id);
}

int
tickets_create(struct store *st, const struct workflow_config *cfg,
    const struct actor *who, json_t *in, int64_t *id, struct refusal *e)
{
	static const char *const allowed[] = { "title", "description", "requester",
		"category", "impact", "urgency", "articles", "reply", NULL };
	static const char *const req_allowed[] = { "name", "contact", NULL };
	const char *title, *desc, *rname, *rcontact, *category, *impact_s, *urgency_s,
	    *reply;
	json_t *requester, *articles, *v;
	int impact, urgency, priority;
	int64_t now = (int64_t)time(NULL);
	char tid[16];
	size_t i;
	bool ok = true;

	*id = 0;
	if (!only_fields(in, allowed, e))
		return KB_EINVAL;
	requester = json_object_get(in, "requester");
	if (requester && !only_fields(requester, req_allowed, e))
		return KB_EINVAL;
	title = text_field(in, "title", TITLE_MAX, &ok, e);
	desc = text_field(in, "description", TEXT_MAX, &ok, e);
	category = text_field(in, "category", NAME_MAX_LEN, &ok, e);
	impact_s = text_field(in, "impact", 16, &ok, e);
	urgency_s = text_field(in, "urgency", 16, &ok, e);
	reply = text_field(in, "reply", TEXT_MAX, &ok, e);
	rname = requester ? text_field(requester, "name", NAME_MAX_LEN, &ok, e) : NULL;
	rcontact = requester ? text_field(requester, "contact", NAME_MAX_LEN, &ok, e) :
	    NULL;
	articles = slug_list(in, "articles", &ok, e);
	if (!ok)
		return KB_EINVAL;
	impact = impact_s ? level_parse(impact_s) : LEVEL_MEDIUM;
	urgency = urgency_s ? level_parse(urgency_s) : LEVEL_MEDIUM;
	if (blank(title))
		refusal_field(e, "title", "Give the ticket a title.");
	if (blank(rname))
		refusal_field(e, "requester.name", "Who asked for help?");
	if (impact < 0)
		refusal_field(e, "impact", "Impact is low, medium or high.");
	if (urgency < 0)
		refusal_field(e, "urgency", "Urgency is low, medium or high.");
	if (e->fields)
		return refuse(e, 422, "invalid_ticket", "Some fields are missing or wrong.");
	priority = workflow_priority((enum level)impact, (enum level)urgency);
	if (store_begin_change(st, &db_words, e))
		return KB_EDB;
	if (store_run(st, "INSERT INTO tickets(title, description, requester_name, "
	    "requester_contact, category, impact, urgency, priority, tier, queue, "
	    "status, created, updated, response_due, resolution_due, created_by) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 'L1', 'new', ?, ?, ?, ?, ?)",
	    "sssssssiiiiis", title, desc ? desc : "", rname, rcontact ? rcontact : "",
	    category ? category : "", level_name((enum level)impact),
	    level_name((enum level)urgency), (int64_t)priority, now, now,
	    (int64_t)workflow_response_due(cfg, priority, (time_t)now),
	    (int64_t)workflow_resolution_due(cfg, priority, (time_t)now), who->name))
		goto db_error;
	*id = sqlite3_last_insert_rowid(store_db(st));
	tickets_format_id(*id, tid);
	if (log_event(st, *id, who->name, "created", "", "", "new", title))
		goto db_error;
	json_array_foreach(articles, i, v) {
		if (add_link(st, *id, json_string_value(v), "consulted", who->name) ==
		    KB_EDB || log_event(st, *id, who->name, "link", "consulted", "",
		    json_string_value(v), ""))
			goto db_error;
	}
	if (!blank(reply) && (add_comment(st, *id, who->name, reply, false) ||
	    touch(st, *id, true)))
		goto db_error;
	return store_commit_change(st, &db_words, e);
db_error:
	store_rollback(st);
	*id = 0;
	return store_refuse(st, &db_words, e);
}

/* Change status from r->status to to, with its side effects, logged. */
static int
move_status(struct store *st, const struct actor *who, struct row *r,
    enum status to, const char *note)
{
	int64_t now = (int64_t)time(NULL);

	if (to == ST_RESOLVED) {
		if (store_run(st, "UPDATE tickets SET status = ?, resolved = ? WHERE id = ?",
		    "sii", status_name(to), now, r->id))
			return KB_EDB;
	} else if (to == ST_OPEN && (r->status == ST_RESOLVED || r->status == ST_CLOSED)) {
		if (store_run(st, "UPDATE tickets SET status = 'open', resolved = NULL, "
		    "reopened = reopened + 1 WHERE id = ?", "i", r->id))
			return KB_EDB;
		r->reopened++;
	} else if (store_run(st, "UPDATE tickets SET status = ? WHERE id = ?", "si",
	    status_name(to), r->id)) {
		return KB_EDB;
	}
	if (log_event(st, r->id, who->name, (to == ST_OPEN && (r->status == ST_RESOLVED ||
	    r->status == ST_CLOSED)) ? "reopened" : "status", "status",
	    status_name(r->status), status_name(to), note))
		return KB_EDB;
	r->status = to;
	return touch(st, r->id, true);
}

/* Set a text column (from a fixed list) and log the change. */
static int
change_field(struct store *st, const struct actor *who, int64_t id,
    const char *column, const char *from, const char *to)
{
	static const char *const sql[][2] = {
		{ "title", "UPDATE tickets SET title = ? WHERE id = ?" },
		{ "description", "UPDATE tickets SET description = ? WHERE id = ?" },
		{ "category", "UPDATE tickets SET category = ? WHERE id = ?" },
		{ "queue", "UPDATE tickets SET queue = ? WHERE id = ?" },
		{ "assignee", "UPDATE tickets SET assignee = ? WHERE id = ?" },
	};
	size_t i;

	if (from && to && strcmp(from, to) == 0)
		return KB_OK;
	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		if (strcmp(sql[i][0], column) == 0)
			break;
	if (i == sizeof(sql) / sizeof(sql[0]))
		return KB_EINVAL;
	if (store_run(st, sql[i][1], "si", to, id))
		return KB_EDB;
	return log_event(st, id, who->name, "field", column, from ? from : "",
	    to ? to : "", strcmp(column, "description") == 0 ? "description edited" : "");
}

/*
 * The events of ticket id after base by others than actor, as a new array
 * [{id, at, actor, kind, field, from, to}], or NULL if there are none.
 */
static json_t *
changes_since(struct store *st, int64_t id, int64_t base, const char *actor)
{
	sqlite3_stmt *q;
	json_t *list = NULL;
	char at[32];

	if (sqlite3_prepare_v2(store_db(st), "SELECT id, at, actor, kind, field, "
	    "from_value, to_value FROM events WHERE ticket_id = ? AND id > ? AND "
	    "actor != ? ORDER BY id LIMIT 50", -1, &q, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, base);
	sqlite3_bind_text(q, 3, actor, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (!list)
			list = json_array();
		tickets_iso_time((time_t)sqlite3_column_int64(q, 1), at);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, "
		    "s:s}", "id", (json_int_t)sqlite3_column_int64(q, 0), "at", at,
		    "actor", (const char *)sqlite3_column_text(q, 2),
		    "kind", (const char *)sqlite3_column_text(q, 3),
		    "field", (const char *)sqlite3_column_text(q, 4),
		    "from", (const char *)sqlite3_column_text(q, 5),
		    "to", (const char *)sqlite3_column_text(q, 6)));
	}
	sqlite3_finalize(q);
	return list;
}

int
tickets_update(struct store *st, const struct workflow_config *cfg,
    const struct actor *who, int64_t id, json_t *in, struct refusal *e)
{
	static const char *const allowed[] = { "title", "description", "category",
		"impact", "urgency", "queue", "assignee", "status", "note",
		"base_event", NULL };
	const char *title, *desc, *category, *queue, *assignee = NULL, *status_s,
	    *note, *impact_s, *urgency_s;
	json_t *assignee_v, *base = json_object_get(in, "base_event"), *theirs;
	struct row r;
	int rc;
	int status = -1, impact, urgency, priority;
	bool ok = true, assignee_set;
	int64_t now = (int64_t)time(NULL);
	char from[8], to[8];

	if (!only_fields(in, allowed, e))
		return KB_EINVAL;
	title = text_field(in, "title", TITLE_MAX, &ok, e);
	desc = text_field(in, "description", TEXT_MAX, &ok, e);
	category = text_field(in, "category", NAME_MAX_LEN, &ok, e);
	queue = text_field(in, "queue", NAME_MAX_LEN, &ok, e);
	status_s = text_field(in, "status", 16, &ok, e);
	note = text_field(in, "note", TEXT_MAX, &ok, e);
	impact_s = text_field(in, "impact", 16, &ok, e);
	urgency_s = text_field(in, "urgency", 16, &ok, e);
	assignee_v = json_object_get(in, "assignee");
	assignee_set = assignee_v != NULL;
	if (assignee_v && !json_is_null(assignee_v))
		assignee = text_field(in, "assignee", USERNAME_MAX, &ok, e);
	if (!ok)
		return KB_EINVAL;
	if (assignee_v && !json_is_null(assignee_v) && !users_valid_name(assignee))
		return refuse(e, 400, "bad_request", "'assignee' must be a user name or null.");
	if (status_s && (status = status_parse(status_s)) < 0)
		return refuse(e, 400, "bad_request", "Unknown status '%.20s'.", status_s);
	if (title && blank(title))
		return refuse(e, 400, "bad_request", "The title cannot be empty.");
	if ((impact_s && level_parse(impact_s) < 0) ||
	    (urgency_s && level_parse(urgency_s) < 0))
		return refuse(e, 400, "bad_request", "Impact and urgency are low, medium or high.");
	if (base && (!json_is_integer(base) || json_integer_value(base) < 0))
		return refuse(e, 400, "bad_request", "'base_event' is the id of the last "
		    "event the editor saw.");
	if ((rc = begin_change(st, who, id, &r, e)))
		return rc;
	/* someone else changed it since the editor opened it: never overwrite */
	if (base && (theirs = changes_since(st, id, json_integer_value(base),
	    who->name))) {
		store_rollback(st);
		row_release(&r);
		e->detail = json_pack("{s:o}", "changes", theirs);
		return refuse(e, 409, "conflict", "%s changed this ticket after you "
		    "opened it; your change is not saved. Their changes are below: "
		    "reload and apply yours again.", json_string_value(json_object_get(
		    json_array_get(theirs, 0), "actor")));
	}
	if (status >= 0 && (enum status)status != r.status) {
		if (!workflow_can_move(r.status, (enum status)status)) {
			refuse(e, 409, "illegal_transition", "A %s ticket cannot become %s. "
			    "Allowed: %s.", status_name(r.status), status_name((enum status)status),
			    workflow_allowed(r.status));
			goto refused;
		}
		if (status == ST_ESCALATED) {
			refuse(e, 409, "illegal_transition", "Escalate with POST "
			    "/api/v1/tickets/%lld/escalate and a handoff.", (long long)id);
			goto refused;
		}
	}
	if ((title && change_field(st, who, id, "title", r.title, title)) ||
	    (desc && change_field(st, who, id, "description", "", desc)) ||
	    (category && change_field(st, who, id, "category", r.category, category)) ||
	    (queue && change_field(st, who, id, "queue", r.queue, queue)) ||
	    (assignee_set && change_field(st, who, id, "assignee", r.assignee, assignee)))
		goto db_error;
	if (impact_s || urgency_s) {
		impact = impact_s ? level_parse(impact_s) : (int)r.impact;
		urgency = urgency_s ? level_parse(urgency_s) : (int)r.urgency;
		priority = workflow_priority((enum level)impact, (enum level)urgency);
		snprintf(from, sizeof(from), "P%d", r.priority);
		snprintf(to, sizeof(to), "P%d", priority);
		if (store_run(st, "UPDATE tickets SET impact = ?, urgency = ?, priority = ?, "
		    "response_due = created + ?, resolution_due = created + ? WHERE id = ?",
		    "ssiiii", level_name((enum level)impact), level_name((enum level)urgency),
		    (int64_t)priority,
		    (int64_t)cfg->response_minutes[priority] * 60,
		    (int64_t)cfg->resolution_minutes[priority] * 60, id) ||
		    log_event(st, id, who->name, "field", "priority", from, to, ""))
			goto db_error;
	}
	if (status >= 0 && (enum status)status != r.status &&
	    move_status(st, who, &r, (enum status)status, note))
		goto db_error;
	if (store_run(st, "UPDATE tickets SET updated = ? WHERE id = ?", "ii", now, id))
		goto db_error;
	row_release(&r);
	return store_commit_change(st, &db_words, e);
refused:
	return abandon(st, &r, KB_EINVAL);
db_error:
	return abandon(st, &r, store_refuse(st, &db_words, e));
}

int
tickets_comment(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct refusal *e)
{
	static const char *const allowed[] = { "body", "internal", NULL };
	json_t *internal_v;
	const char *body;
	struct row r;
	int rc;
	bool ok = true, internal = true;

	if (!only_fields(in, allowed, e))
		return KB_EINVAL;
	body = text_field(in, "body", TEXT_MAX, &ok, e);
	if (!ok)
		return KB_EINVAL;
	internal_v = json_object_get(in, "internal");
	if (internal_v && !json_is_boolean(internal_v))
		return refuse(e, 400, "bad_request", "'internal' must be true or false.");
	if (internal_v)
		internal = json_is_true(internal_v);
	if (blank(body)) {
		refusal_field(e, "body", "Write the comment.");
		return refuse(e, 422, "missing_body", "The comment is empty.");
	}
	if ((rc = begin_change(st, who, id, &r, e)))
		return rc;
	row_release(&r);
	if (add_comment(st, id, who->name, body, internal) ||
	    touch(st, id, !internal)) {
		store_rollback(st);
		return store_refuse(st, &db_words, e);
	}
	return store_commit_change(st, &db_words, e);
}

/* Record an escalation (or de-escalation) and move the ticket. */
static int
do_escalate(struct store *st, const struct actor *who, struct row *r,
    const char *kind, int to_tier, const char *reason, const char *tried,
    const char *steps, const char *articles_json)
{
	char from[4], to[4];

	snprintf(from, sizeof(from), "L%d", r->tier & 7);
	snprintf(to, sizeof(to), "L%d", to_tier & 7);
	if (store_run(st, "INSERT INTO escalations(ticket_id, at, actor, kind, from_tier, "
	    "to_tier, reason, tried, steps, articles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "iissiissss", r->id, (int64_t)time(NULL), who->name, kind, (int64_t)r->tier,
	    (int64_t)to_tier, reason, tried, steps, articles_json))
		return KB_EDB;
	if (store_run(st, "UPDATE tickets SET tier = ?, queue = ?, assignee = NULL, "
	    "status = ? WHERE id = ?", "issi", (int64_t)to_tier, to,
	    strcmp(kind, "deescalate") == 0 ? "open" : "escalated", r->id))
		return KB_EDB;
	if (log_event(st, r->id, who->name, strcmp(kind, "deescalate") == 0 ?
	    "deescalated" : "escalated", "tier", from, to,
	    strcmp(kind, "deescalate") == 0 ? tried : reason))
		return KB_EDB;
	return touch(st, r->id, strcmp(kind, "auto") != 0);
}

int
tickets_escalate(struct store *st, const struct workflow_config *cfg,
    const struct actor *who, int64_t id, json_t *in, struct refusal *e)
{
	static const char *const allowed[] = { "to_tier", "reason", "tried", "steps",
		"articles", NULL };
	const char *to_s, *reason, *tried, *steps;
	json_t *articles;
	struct row r;
	int rc;
	char *arts = NULL;
	bool ok = true;
	int to;

	if (!only_fields(in, allowed, e))
		return KB_EINVAL;
	to_s = text_field(in, "to_tier", 4, &ok, e);
	reason = text_field(in, "reason", 100, &ok, e);
	tried = text_field(in, "tried", TEXT_MAX, &ok, e);
	steps = text_field(in, "steps", TEXT_MAX, &ok, e);
	articles = slug_list(in, "articles", &ok, e);
	if (!ok)
		return KB_EINVAL;
	if (blank(reason))
		refusal_field(e, "reason", "Choose the escalation criterion that applies.");
	else if (!workflow_criterion(cfg, reason))
		refusal_field(e, "reason", "Not one of the configured criteria.");
	if (blank(tried))
		refusal_field(e, "tried", "Say what was already tried.");
	if (blank(steps))
		refusal_field(e, "steps", "Give the steps to reproduce the problem.");
	if (!json_object_get(in, "articles"))
		refusal_field(e, "articles", "List the articles consulted (an empty list if none).");
	if (e->fields)
		return refuse(e, 422, "missing_handoff", "The handoff is incomplete: %s.",
		    json_string_value(json_object_get(json_array_get(e->fields, 0), "field")));
	if ((rc = begin_change(st, who, id, &r, e)))
		return rc;
	to = to_s ? (to_s[0] == 'L' || to_s[0] == 'l' ? to_s[1] - '0' : to_s[0] - '0') :
	    r.tier + 1;
	if (to != r.tier + 1 || to > 3) {
		refuse(e, 409, "illegal_escalation", "A ticket at L%d can only be "
		    "escalated to L%d.", r.tier, r.tier + 1);
		goto refused;
	}
	if (r.status == ST_RESOLVED || r.status == ST_CLOSED) {
		refuse(e, 409, "illegal_transition", "A %s ticket cannot be escalated; "
		    "reopen it first.", status_name(r.status));
		goto refused;
	}
	arts = json_out_dup(articles);
	if (do_escalate(st, who, &r, "escalate", to, reason, tried, steps,
	    arts ? arts : "[]"))
		goto db_error;
	{
		size_t i;
		json_t *v;
		json_array_foreach(articles, i, v)
			if (add_link(st, id, json_string_value(v), "consulted",
			    who->name) == KB_EDB)
				goto db_error;
	}
	free(arts);
	row_release(&r);
	return store_commit_change(st, &db_words, e);
refused:
	return abandon(st, &r, KB_EINVAL);
db_error:
	free(arts);
	return abandon(st, &r, store_refuse(st, &db_words, e));
}

int
tickets_deescalate(struct store *st, const struct actor *who, int64_t id,
    json_t *in, struct refusal *e)
{
	static const char *const allowed[] = { "instructions", NULL };
	const char *instructions;
	struct row r;
	int rc;
	bool ok = true;

	if (!only_fields(in, allowed, e))
		return KB_EINVAL;
	instructions = text_field(in, "instructions", TEXT_MAX, &ok, e);
	if (!ok)
		return KB_EINVAL;
	if (blank(instructions)) {
		refusal_field(e, "instructions", "Tell the lower tier what to do.");
		return refuse(e, 422, "missing_instructions", "Give instructions for the "
		    "lower tier.");
	}
	if ((rc = begin_change(st, who, id, &r, e)))
		return rc;
	if (r.tier <= 1) {
		refuse(e, 409, "illegal_escalation", "The ticket is already at L1.");
		return abandon(st, &r, KB_EINVAL);
	}
	if (do_escalate(st, who, &r, "deescalate", r.tier - 1, "deescalate",
	    instructions, "", "[]") ||
	    add_comment(st, id, who->name, instructions, true)) {
		return abandon(st, &r, store_refuse(st, &db_words, e));
	}
	row_release(&r);
	return store_commit_change(st, &db_words, e);
}

int
tickets_take(struct store *st, const struct actor *who, int64_t id,
    struct refusal *e)
{
	struct row r;
	int rc;

	if ((rc = begin_change(st, who, id, &r, e)))
		return rc;
	if (r.status == ST_RESOLVED || r.status == ST_CLOSED) {
		refuse(e, 409, "illegal_transition", "A %s ticket cannot be taken; reopen "
		    "it first.", status_name(r.status));
		return abandon(st, &r, KB_EINVAL);
	}
	if (change_field(st, who, id, "assignee", r.assignee, who->name) ||
	    ((r.status == ST_NEW || r.status == ST_ESCALATED) &&
	    move_status(st, who, &r, ST_OPEN, "taken"))) {
		return abandon(st, &r, store_refuse(st, &db_words, e));
	}
	row_release(&r);
	return store_commit_change(st, &db_words, e);
}

int
tickets_link(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct refusal *e)
{
	static const char *const allowed[] = { "article", "relation", NULL };
	const char *article, *relation;
	struct row r;
	bool ok = true;
	int rc;

	if (!only_fields(in, allowed, e))
		return KB_EINVAL;
	article = text_field(in, "article", 512, &ok, e);
	relation = text_field(in, "relation", 32, &ok, e);
	if (!ok)
		return KB_EINVAL;
	if (blank(article) || strstr(article, ".."))
		refusal_field(e, "article", "Give the article's slug.");
	if (!valid_relation(relation))
		refusal_field(e, "relation", "One of suggested, consulted, sent-to-requester, "
		    "resolved-by, created-from.");
	if (e->fields)
		return refuse(e, 422, "invalid_link", "The link needs an article and a "
		    "relation.");
	if ((rc = begin_change(st, who, id, &r, e)))
		return rc;
	row_release(&r);
	rc = add_link(st, id, article, relation, who->name);
	if (rc == KB_ENOTFOUND) {	/* already linked so: nothing to record */
		store_rollback(st);
		return KB_OK;
	}
	if (rc || log_event(st, id, who->name, "link", relation, "", article, "") ||
	    touch(st, id, false)) {
		store_rollback(st);
		return store_refuse(st, &db_words, e);
	}
	return store_commit_change(st, &db_words, e);
}

/* ---- automatic escalation ---- */

int
tickets_apply_rules(struct store *st, const struct workflow_config *cfg,
    time_t now, unsigned *fired)
{
	static const struct {
		const char *rule;
		const char *where;
	} rules[] = {
		{ "p1-at-l1", "priority = 1 AND tier = 1 AND status IN ('new', 'open', "
		    "'pending')" },
		{ "sla-breached", "tier = 1 AND status IN ('new', 'open', 'pending') "
		    "AND resolution_due < ?1" },
		{ "reopened", "tier = 1 AND status = 'open' AND reopened >= ?2" },
	};
	const struct actor system = { "system", ROLE_ADMIN };
	struct refusal e = { 0 };
	struct buf sql;
	sqlite3_stmt *s;
	int64_t ids[64];
	size_t k, n, i;
	struct row r;
	int rc = KB_OK;

	*fired = 0;
	buf_init(&sql, 1024);
	for (k = 0; k < sizeof(rules) / sizeof(rules[0]); k++) {
		buf_reset(&sql);
		buf_printf(&sql, "SELECT id FROM tickets WHERE %s ORDER BY id LIMIT 64",
		    rules[k].where);
		if (sqlite3_prepare_v2(store_db(st), buf_str(&sql), -1, &s, NULL) !=
		    SQLITE_OK) {
			rc = KB_EDB;
			break;
		}
		if (strstr(rules[k].where, "?1"))
			sqlite3_bind_int64(s, 1, (sqlite3_int64)now);
		if (strstr(rules[k].where, "?2"))
			sqlite3_bind_int(s, 2, (int)cfg->reopen_limit);
		for (n = 0; n < 64 && sqlite3_step(s) == SQLITE_ROW; n++)
			ids[n] = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
		for (i = 0; i < n; i++) {
			if (store_begin_change(st, &db_words, &e))
				continue;
			if (load_row(st, ids[i], &r) || r.tier >= 3) {
				row_release(&r);
				store_rollback(st);
				continue;
			}
			if (do_escalate(st, &system, &r, "auto", r.tier + 1, rules[k].rule,
			    "automatic escalation", "", "[]") ||
			    store_commit_change(st, &db_words, &e)) {
				store_rollback(st);
				rc = KB_EDB;
			} else {
				kb_log(LOG_INFO, "rule %s escalated T-%06lld to L%d",
				    rules[k].rule, (long long)ids[i], r.tier + 1);
				(*fired)++;
			}
			row_release(&r);
		}
	}
	buf_release(&sql);
	return rc;
}
