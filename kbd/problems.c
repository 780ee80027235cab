/*
 * problems.c - see problems.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "article.h"
#include "json_out.h"
#include "articles.h"
#include "buf.h"
#include "err.h"
#include "events.h"
#include "kbd.h"
#include "problems.h"
#include "store.h"
#include "text.h"
#include "tickets.h"
#include "util.h"
#include "banned.h"

#define TITLE_MAX 300
#define TEXT_MAX 20000
#define WHYS_MAX 10
#define LIST_MAX 500

void
problems_format_id(int64_t id, char out[16])
{
	snprintf(out, 16, "PRB-%06lld", (long long)(id % 1000000000));
}

int64_t
problems_parse_id(const char *s)
{
	long v;

	if (!s)
		return 0;
	if (strncasecmp(s, "PRB-", 4) == 0)
		s += 4;
	if (strlen(s) > 9 || kb_strtol_range(s, 1, 999999999L, &v))
		return 0;
	return (int64_t)v;
}

static const struct store_words db_words = {
	"problems",
	NULL,
	"The problem could not be saved.",
};

/* A ticket number from a JSON string ("T-000123") or integer; 0 if neither. */
static int64_t
ticket_id_of(json_t *v)
{
	if (json_is_integer(v))
		return json_integer_value(v) > 0 ? json_integer_value(v) : 0;
	return tickets_parse_id(json_string_value(v));
}

static bool
ticket_exists(struct store *st, int64_t id)
{
	int64_t one;

	return store_int(st, &one, "SELECT 1 FROM tickets WHERE id = ?", "i",
	    id) == KB_OK;
}

static int
log_problem(struct store *st, int64_t id, const char *actor, const char *kind,
    const char *note)
{
	return store_run(st, "INSERT INTO problem_log (problem_id, at, actor, kind, "
	    "note) VALUES (?, ?, ?, ?, ?)", "iisss", id, (int64_t)time(NULL), actor,
	    kind, note ? note : "");
}

/* The event on one ticket's incident log (inside the transaction). */
static int
ticket_event(struct store *st, int64_t ticket, const char *actor,
    const char *field, int64_t problem, const char *note)
{
	char prb[16];
	struct event ev = { ticket, actor, "problem", field, "", prb,
		note ? note : "" };

	problems_format_id(problem, prb);
	return events_append(st, &ev);
}

/* The same event on every ticket linked to it. */
static int
tickets_event(struct store *st, int64_t id, const char *actor,
    const char *field, const char *note)
{
	char ref[16];
	struct event ev = { 0, actor, "problem", field, "", ref, note ? note : "" };

	problems_format_id(id, ref);
	return events_append_each(st, "SELECT ticket_id FROM problem_tickets WHERE "
	    "problem_id = ? ORDER BY ticket_id", id, &ev);
}

static bool
text_ok(json_t *v, size_t max)
{
	const char *s = json_string_value(v);

	return s && strlen(s) <= max && utf8_valid(s, strlen(s));
}

int
problems_create(struct store *st, const struct actor *who, json_t *in,
    int64_t *id, struct refusal *e)
{
	json_t *tickets = json_object_get(in, "tickets"), *v;
	const char *key;
	int64_t tid, now = (int64_t)time(NULL);
	size_t i;

	memset(e, 0, sizeof(*e));
	json_object_foreach(in, key, v)
		if (strcmp(key, "title") != 0 && strcmp(key, "symptoms") != 0 &&
		    strcmp(key, "tickets") != 0)
			return refuse(e, 400, "unknown_field", "Unknown field '%.100s'. "
			    "Fields: title, symptoms, tickets.", key);
	if (!text_ok(json_object_get(in, "title"), TITLE_MAX) ||
	    !*json_string_value(json_object_get(in, "title")))
		refusal_field(e, "title", "A title of at most 300 bytes is required.");
	if (!text_ok(json_object_get(in, "symptoms"), TEXT_MAX) ||
	    !*json_string_value(json_object_get(in, "symptoms")))
		refusal_field(e, "symptoms", "What users see: required, at most 20000 "
		    "bytes.");
	if (tickets && (!json_is_array(tickets) || json_array_size(tickets) > LIST_MAX))
		refusal_field(e, "tickets", "A list of ticket numbers.");
	json_array_foreach(tickets, i, v)
		if (!ticket_id_of(v) || !ticket_exists(st, ticket_id_of(v))) {
			refusal_field(e, "tickets", "Every ticket must exist.");
			break;
		}
	if (e->fields)
		return refuse(e, 422, "invalid", "Some fields are not valid.");
	if (store_begin(st))
		return refuse(e, 503, "store_unavailable", "The store is busy; try again.");
	if (store_run(st, "INSERT INTO problems (title, symptoms, status, created, "
	    "created_by, updated, owner) VALUES (?, ?, 'investigating', ?, ?, ?, ?)",
	    "ssisis", json_string_value(json_object_get(in, "title")),
	    json_string_value(json_object_get(in, "symptoms")), now, who->name, now,
	    who->name))
		goto fail;
	*id = sqlite3_last_insert_rowid(store_db(st));
	if (log_problem(st, *id, who->name, "created", ""))
		goto fail;
	json_array_foreach(tickets, i, v) {
		tid = ticket_id_of(v);
		if (store_run(st, "INSERT OR IGNORE INTO problem_tickets (problem_id, "
		    "ticket_id, at, actor) VALUES (?, ?, ?, ?)", "iiis", *id, tid, now,
		    who->name) || ticket_event(st, tid, who->name, "linked", *id,
		    json_string_value(json_object_get(in, "title"))))
			goto fail;
	}
	if (store_commit(st))
		return store_refuse(st, &db_words, e);
	return KB_OK;
fail:
	store_rollback(st);
	return store_refuse(st, &db_words, e);
}

static json_t *
iso_or_null(sqlite3_stmt *q, int col)
{
	char at[32];

	if (sqlite3_column_type(q, col) == SQLITE_NULL)
		return json_null();
	tickets_iso_time((time_t)sqlite3_column_int64(q, col), at);
	return json_string(at);
}

static json_t *
text_or_null(sqlite3_stmt *q, int col)
{
	return sqlite3_column_type(q, col) == SQLITE_NULL ? json_null() :
	    json_string((const char *)sqlite3_column_text(q, col));
}

int
problems_get(struct store *st, int64_t id, json_t **out, struct refusal *e)
{
	sqlite3_stmt *q;
	json_t *p = NULL, *tickets, *log, *whys;
	char pid[16], tid[16];
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT title, symptoms, status, "
	    "timeline, cause, factors, whys, workaround, fix, owner, article, "
	    "created, created_by, updated, resolved FROM problems WHERE id = ?", -1,
	    &q, NULL) != SQLITE_OK)
		return store_refuse(st, &db_words, e);
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		problems_format_id(id, pid);
		whys = json_loads((const char *)sqlite3_column_text(q, 6), 0, NULL);
		p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:o,"
		    " s:o, s:o, s:s, s:o, s:o}",
		    "id", pid, "title", (const char *)sqlite3_column_text(q, 0),
		    "symptoms", (const char *)sqlite3_column_text(q, 1),
		    "status", (const char *)sqlite3_column_text(q, 2),
		    "timeline", (const char *)sqlite3_column_text(q, 3),
		    "cause", (const char *)sqlite3_column_text(q, 4),
		    "factors", (const char *)sqlite3_column_text(q, 5),
		    "whys", json_is_array(whys) ? whys : json_array(),
		    "workaround", (const char *)sqlite3_column_text(q, 7),
		    "fix", (const char *)sqlite3_column_text(q, 8),
		    "owner", text_or_null(q, 9), "article", text_or_null(q, 10),
		    "created", iso_or_null(q, 11),
		    "created_by", (const char *)sqlite3_column_text(q, 12),
		    "updated", iso_or_null(q, 13), "resolved", iso_or_null(q, 14));
		if (!json_is_array(whys))
			json_decref(whys);
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return refuse(e, 404, "not_found", "There is no such problem.");
	if (!p)
		return store_refuse(st, &db_words, e);
	tickets = json_array();
	log = json_array();
	if (sqlite3_prepare_v2(store_db(st), "SELECT t.id, t.title, t.status, t.tier "
	    "FROM problem_tickets p JOIN tickets t ON t.id = p.ticket_id WHERE "
	    "p.problem_id = ? ORDER BY t.id", -1, &q, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(q, 1, id);
		while (sqlite3_step(q) == SQLITE_ROW) {
			char tier[4];
			tickets_format_id(sqlite3_column_int64(q, 0), tid);
			snprintf(tier, sizeof(tier), "L%d", sqlite3_column_int(q, 3) & 7);
			json_array_append_new(tickets, json_pack("{s:s, s:s, s:s, s:s}",
			    "id", tid, "title", (const char *)sqlite3_column_text(q, 1),
			    "status", (const char *)sqlite3_column_text(q, 2), "tier", tier));
		}
		sqlite3_finalize(q);
	}
	if (sqlite3_prepare_v2(store_db(st), "SELECT at, actor, kind, note FROM "
	    "problem_log WHERE problem_id = ? ORDER BY id", -1, &q, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(q, 1, id);
		while (sqlite3_step(q) == SQLITE_ROW)
			json_array_append_new(log, json_pack("{s:o, s:s, s:s, s:s}", "at",
			    iso_or_null(q, 0), "actor", (const char *)sqlite3_column_text(q, 1),
			    "kind", (const char *)sqlite3_column_text(q, 2),
			    "note", (const char *)sqlite3_column_text(q, 3)));
		sqlite3_finalize(q);
	}
	json_object_set_new(p, "tickets", tickets);
	json_object_set_new(p, "log", log);
	*out = p;
	return KB_OK;
}

int
problems_list(struct store *st, const char *status, json_t **out,
    struct refusal *e)
{
	sqlite3_stmt *q;
	json_t *list;
	char pid[16];
	int rc;

	*out = NULL;
	if (status && strcmp(status, "investigating") != 0 &&
	    strcmp(status, "known_error") != 0 && strcmp(status, "resolved") != 0)
		return refuse(e, 400, "bad_parameter", "'status' is investigating, "
		    "known_error or resolved.");
	if (sqlite3_prepare_v2(store_db(st), "SELECT p.id, p.title, p.status, "
	    "p.owner, p.updated, p.article, (SELECT count(*) FROM problem_tickets t "
	    "WHERE t.problem_id = p.id) FROM problems p WHERE ?1 IS NULL OR "
	    "p.status = ?1 ORDER BY p.id DESC LIMIT 500", -1, &q, NULL) != SQLITE_OK)
		return store_refuse(st, &db_words, e);
	if (status)
		sqlite3_bind_text(q, 1, status, -1, SQLITE_STATIC);
	list = json_array();
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		problems_format_id(sqlite3_column_int64(q, 0), pid);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o,"
		    " s:I}", "id", pid, "title", (const char *)sqlite3_column_text(q, 1),
		    "status", (const char *)sqlite3_column_text(q, 2),
		    "owner", text_or_null(q, 3), "updated", iso_or_null(q, 4),
		    "article", text_or_null(q, 5),
		    "tickets", (json_int_t)sqlite3_column_int64(q, 6)));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return store_refuse(st, &db_words, e);
	}
	*out = json_pack("{s:o}", "problems", list);
	return KB_OK;
}

/* Resolve the problem's open tickets with message, one by one (each its own change). */
static json_t *
resolve_tickets(struct kbd *kbd, struct store *st, const struct actor *who,
    int64_t id, const char *message)
{
	sqlite3_stmt *q;
	json_t *done = json_array(), *in;
	struct refusal e;
	int64_t ids[LIST_MAX];
	size_t n = 0, i;
	char tid[16];
	int rc;

	if (sqlite3_prepare_v2(store_db(st), "SELECT t.id FROM problem_tickets p "
	    "JOIN tickets t ON t.id = p.ticket_id WHERE p.problem_id = ? AND "
	    "t.status NOT IN ('resolved', 'closed') ORDER BY t.id", -1, &q,
	    NULL) != SQLITE_OK)
		return done;
	sqlite3_bind_int64(q, 1, id);
	while (n < LIST_MAX && sqlite3_step(q) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof(e));
		in = json_pack("{s:s, s:b}", "body", message, "internal", 0);
		rc = tickets_comment(st, who, ids[i], in, &e);
		json_decref(in);
		if (!rc) {
			in = json_pack("{s:s, s:s}", "status", "resolved", "note",
			    "resolved with its problem");
			rc = tickets_update(st, &kbd->workflow, who, ids[i], in, &e);
			json_decref(in);
		}
		tickets_format_id(ids[i], tid);
		json_array_append_new(done, json_pack("{s:s, s:b, s:s}", "ticket", tid,
		    "resolved", rc == KB_OK, "message", rc ? e.message : ""));
		refusal_release(&e);
	}
	return done;
}

int
problems_update(struct kbd *kbd, struct store *st, const struct actor *who,
    int64_t id, json_t *in, json_t **out, struct refusal *e)
{
	static const char *const texts[] = { "title", "symptoms", "timeline",
		"cause", "factors", "workaround", "fix", NULL };
	const char *key, *status = json_string_value(json_object_get(in, "status"));
	const char *message = json_string_value(json_object_get(in, "message"));
	json_t *v, *whys = json_object_get(in, "whys"), *x;
	int64_t exists, now = (int64_t)time(NULL);
	char *whys_text = NULL, sql[128];
	bool resolve = json_is_true(json_object_get(in, "resolve_tickets"));
	struct buf changed;
	size_t i, k;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	json_object_foreach(in, key, v) {
		for (k = 0; texts[k] && strcmp(texts[k], key) != 0; k++)
			;
		if (texts[k]) {
			if (!text_ok(v, strcmp(key, "title") == 0 ? TITLE_MAX : TEXT_MAX) ||
			    (strcmp(key, "title") == 0 && !*json_string_value(v)))
				refusal_field(e, key, "Text (a title: 1 to 300 bytes; else at "
				    "most 20000).");
		} else if (strcmp(key, "owner") == 0) {
			if (!json_is_null(v) && !text_ok(v, 64))
				refusal_field(e, key, "A user name, or null.");
		} else if (strcmp(key, "whys") == 0) {
			bool ok = json_is_array(v) && json_array_size(v) <= WHYS_MAX;
			json_array_foreach(v, i, x)
				ok = ok && text_ok(x, 2000);
			if (!ok)
				refusal_field(e, key, "A list of at most 10 answers to "
				    "\"why?\", each at most 2000 bytes.");
		} else if (strcmp(key, "status") == 0) {
			if (!status || (strcmp(status, "investigating") != 0 &&
			    strcmp(status, "resolved") != 0))
				refusal_field(e, key, "investigating or resolved (a known "
				    "error is declared with its workaround article).");
		} else if (strcmp(key, "resolve_tickets") == 0) {
			if (!json_is_boolean(v))
				refusal_field(e, key, "true or false.");
		} else if (strcmp(key, "message") == 0) {
			if (!text_ok(v, TEXT_MAX))
				refusal_field(e, key, "Text of at most 20000 bytes.");
		} else {
			return refuse(e, 400, "unknown_field", "Unknown field '%.100s'.", key);
		}
	}
	if (resolve && (!status || strcmp(status, "resolved") != 0))
		refusal_field(e, "resolve_tickets", "Only when resolving the problem.");
	if (resolve && (!message || !*message))
		refusal_field(e, "message", "The reply the tickets get as they are "
		    "resolved.");
	if (e->fields)
		return refuse(e, 422, "invalid", "Some fields are not valid.");
	if (store_begin(st))
		return refuse(e, 503, "store_unavailable", "The store is busy; try again.");
	if (store_int(st, &exists, "SELECT 1 FROM problems WHERE id = ?", "i", id)) {
		store_rollback(st);
		return refuse(e, 404, "not_found", "There is no such problem.");
	}
	for (k = 0; texts[k]; k++) {
		if (!(v = json_object_get(in, texts[k])))
			continue;
		/* the column name comes from the fixed list above, never from input */
		snprintf(sql, sizeof(sql), "UPDATE problems SET %s = ? WHERE id = ?",
		    texts[k]);
		if (store_run(st, sql, "si", json_string_value(v), id))
			goto fail;
	}
	if (whys) {
		whys_text = json_out_dup(whys);
		if (!whys_text || store_run(st, "UPDATE problems SET whys = ? WHERE "
		    "id = ?", "si", whys_text, id))
			goto fail;
	}
	if ((v = json_object_get(in, "owner")) && store_run(st, "UPDATE problems SET "
	    "owner = ? WHERE id = ?", "si", json_string_value(v), id))
		goto fail;
	/* which parts changed, for the problem's log and its tickets' */
	buf_init(&changed, 512);
	json_object_foreach(in, key, v)
		if (strcmp(key, "status") != 0 && strcmp(key, "resolve_tickets") != 0 &&
		    strcmp(key, "message") != 0)
			buf_printf(&changed, "%s%s", changed.len ? ", " : "", key);
	if (store_run(st, "UPDATE problems SET updated = ? WHERE id = ?", "ii", now,
	    id) || (changed.len && (log_problem(st, id, who->name, "edited",
	    buf_str(&changed)) || tickets_event(st, id, who->name, "edited",
	    buf_str(&changed))))) {
		buf_release(&changed);
		goto fail;
	}
	buf_release(&changed);
	if (status) {
		if (store_run(st, "UPDATE problems SET status = ?1, resolved = CASE "
		    "WHEN ?1 = 'resolved' THEN ?2 END WHERE id = ?3", "sii", status,
		    now, id) ||
		    log_problem(st, id, who->name, status, message) ||
		    tickets_event(st, id, who->name, "status", status))
			goto fail;
	}
	free(whys_text);
	if (store_commit(st))
		return store_refuse(st, &db_words, e);
	*out = json_object();
	if (resolve)
		json_object_set_new(*out, "tickets_resolved", resolve_tickets(kbd, st,
		    who, id, message));
	return KB_OK;
fail:
	free(whys_text);
	store_rollback(st);
	return store_refuse(st, &db_words, e);
}

int
problems_link_ticket(struct store *st, const struct actor *who, int64_t id,
    json_t *in, struct refusal *e)
{
	int64_t tid = ticket_id_of(json_object_get(in, "ticket")), exists;
	int64_t now = (int64_t)time(NULL);

	memset(e, 0, sizeof(*e));
	if (!tid || json_object_size(in) != 1) {
		refusal_field(e, "ticket", "A ticket number such as T-000123.");
		return refuse(e, 422, "invalid", "Send {\"ticket\": \"T-000123\"}.");
	}
	if (store_begin(st))
		return refuse(e, 503, "store_unavailable", "The store is busy; try again.");
	if (store_int(st, &exists, "SELECT 1 FROM problems WHERE id = ?", "i", id)) {
		store_rollback(st);
		return refuse(e, 404, "not_found", "There is no such problem.");
	}
	if (!ticket_exists(st, tid)) {
		store_rollback(st);
		return refuse(e, 404, "not_found", "There is no such ticket.");
	}
	if (store_int(st, &exists, "SELECT 1 FROM problem_tickets WHERE problem_id = ? "
	    "AND ticket_id = ?", "ii", id, tid) == KB_OK) {
		store_rollback(st);
		return KB_OK;	/* linked already: nothing to record */
	}
	if (store_run(st, "INSERT INTO problem_tickets (problem_id, ticket_id, at, "
	    "actor) VALUES (?, ?, ?, ?)", "iiis", id, tid, now, who->name) ||
	    store_run(st, "UPDATE problems SET updated = ? WHERE id = ?", "ii", now, id) ||
	    log_problem(st, id, who->name, "ticket", "") ||
	    ticket_event(st, tid, who->name, "linked", id, "") ||
	    store_commit(st)) {
		store_rollback(st);
		return store_refuse(st, &db_words, e);
	}
	return KB_OK;
}

/* Create the workaround draft from the problem; *slug gets its slug. */
static int
workaround_draft(struct kbd *kbd, struct store *st, const struct actor *who,
    int64_t id, char **slug, struct refusal *e)
{
	json_t *p = NULL, *in, *out = NULL;
	struct buf body, s;
	char pid[16];
	size_t i;
	int rc;

	*slug = NULL;
	if ((rc = problems_get(st, id, &p, e)))
		return rc;
	problems_format_id(id, pid);
	buf_init(&body, 256 * 1024);
	buf_init(&s, 256);
	buf_puts(&s, "problems/");
	for (i = 0; pid[i]; i++)
		buf_putc(&s, pid[i] >= 'A' && pid[i] <= 'Z' ? (char)(pid[i] + 32) : pid[i]);
	buf_putc(&s, '-');
	if (!articles_slugify(&s, json_string_value(json_object_get(p, "title"))))
		buf_truncate(&s, s.len - 1);
	buf_printf(&body, "Known error %s. Send it for review when the workaround "
	    "is right.\n\n## Symptoms\n\n%s\n\n## Workaround\n\n%s\n\n## Cause\n\n%s\n\n"
	    "## When to escalate\n\n(Which signs mean this is not the known error.)\n",
	    pid, json_string_value(json_object_get(p, "symptoms")),
	    *json_string_value(json_object_get(p, "workaround")) ?
	    json_string_value(json_object_get(p, "workaround")) :
	    "(What L1 does until the fix is in.)",
	    *json_string_value(json_object_get(p, "cause")) ?
	    json_string_value(json_object_get(p, "cause")) : "(Under investigation.)");
	in = json_pack("{s:s, s:s+, s:s, s:[s], s:s}", "slug", buf_str(&s), "title",
	    "Known error: ", json_string_value(json_object_get(p, "title")),
	    "summary", "The workaround while the cause is being fixed.", "tags",
	    "known-error", "body", buf_str(&body));
	rc = body.err ? refuse(e, 413, "too_large", "The problem is too long to "
	    "draft from.") : articles_create(kbd, st, who, in, &out, e);
	if (!rc)
		*slug = xstrdup(json_string_value(json_object_get(out, "slug")));
	json_decref(in);
	json_decref(out);
	json_decref(p);
	buf_release(&body);
	buf_release(&s);
	return rc;
}

int
problems_known_error(struct kbd *kbd, struct store *st, const struct actor *who,
    int64_t id, json_t *in, json_t **out, struct refusal *e)
{
	const char *article = json_string_value(json_object_get(in, "article"));
	bool draft = json_is_true(json_object_get(in, "draft"));
	struct article_diag diag;
	struct article a;
	struct buf path;
	char *slug = NULL;
	int64_t exists;
	int rc;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	if ((!article && !draft) || (article && draft) || json_object_size(in) != 1) {
		refusal_field(e, "article", "A known error needs its workaround "
		    "article: {\"article\": slug} or {\"draft\": true}.");
		return refuse(e, 422, "invalid", "A known error needs its workaround "
		    "article.");
	}
	if (store_int(st, &exists, "SELECT 1 FROM problems WHERE id = ?", "i", id))
		return refuse(e, 404, "not_found", "There is no such problem.");
	if (draft) {
		if ((rc = workaround_draft(kbd, st, who, id, &slug, e)))
			return rc;
	} else {
		if (strlen(article) > 512 || !*article || article[0] == '/' ||
		    strstr(article, "..") || !utf8_valid(article, strlen(article)))
			return refuse(e, 422, "invalid", "That is not an article's slug.");
		slug = xstrdup(article);
	}
	/* the article must exist; say whether L1 can see it yet */
	buf_init(&path, 4096);
	buf_printf(&path, "%s.md", slug);
	article_diag_init(&diag);
	rc = article_load(kbd->cfg.articles_dir, buf_str(&path), &a, &diag);
	article_diag_release(&diag);
	buf_release(&path);
	if (rc) {
		free(slug);
		return refuse(e, 422, "invalid", "There is no readable article at that "
		    "slug.");
	}
	*out = json_pack("{s:s, s:s, s:s}", "status", "known_error", "article", slug,
	    "article_status", a.status);
	article_release(&a);
	if (store_begin(st)) {
		free(slug);
		json_decref(*out);
		*out = NULL;
		return refuse(e, 503, "store_unavailable", "The store is busy; try again.");
	}
	if (store_run(st, "UPDATE problems SET status = 'known_error', article = ?, "
	    "updated = ?, resolved = NULL WHERE id = ?", "sii", slug,
	    (int64_t)time(NULL), id) ||
	    log_problem(st, id, who->name, "known_error", slug) ||
	    tickets_event(st, id, who->name, "known_error", slug) ||
	    store_commit(st)) {
		store_rollback(st);
		free(slug);
		json_decref(*out);
		*out = NULL;
		return store_refuse(st, &db_words, e);
	}
	free(slug);
	return KB_OK;
}

int
problems_of_ticket(struct store *st, int64_t ticket, json_t **out)
{
	sqlite3_stmt *q;
	char pid[16];
	int rc;

	*out = json_array();
	if (sqlite3_prepare_v2(store_db(st), "SELECT p.id, p.title, p.status, "
	    "p.article FROM problem_tickets t JOIN problems p ON p.id = t.problem_id "
	    "WHERE t.ticket_id = ? ORDER BY p.id", -1, &q, NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_int64(q, 1, ticket);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		problems_format_id(sqlite3_column_int64(q, 0), pid);
		json_array_append_new(*out, json_pack("{s:s, s:s, s:s, s:o}", "id", pid,
		    "title", (const char *)sqlite3_column_text(q, 1),
		    "status", (const char *)sqlite3_column_text(q, 2),
		    "article", text_or_null(q, 3)));
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? KB_OK : KB_EDB;
}

/* ---- matching a new ticket to known errors ---- */

/* The distinct normalised words of s (of 3 bytes or more) into words. */
static void
words_of(const char *s, json_t *words)
{
	struct buf norm;
	size_t p = 0, a, b;

	buf_init(&norm, 64 * 1024);
	text_normalize(&norm, s, strlen(s));
	while (text_next_word(norm.data ? norm.data : "", norm.len, &p, &a, &b))
		if (b - a >= 3) {
			char *w = xstrndup(norm.data + a, b - a);
			json_object_set_new(words, w, json_true());
			free(w);
		}
	buf_release(&norm);
}

static int
cmp_score(const void *x, const void *y)
{
	double a = json_real_value(json_object_get(*(json_t *const *)x, "score"));
	double b = json_real_value(json_object_get(*(json_t *const *)y, "score"));

	return a < b ? 1 : a > b ? -1 : 0;
}

int
problems_matching(struct store *st, const char *text, unsigned limit,
    json_t **out)
{
	sqlite3_stmt *q;
	json_t *mine = json_object(), *theirs, *hits = json_array(), **v, *h;
	const char *w;
	json_t *dummy;
	char pid[16];
	size_t shared, n, i;

	*out = NULL;
	words_of(text, mine);
	if (sqlite3_prepare_v2(store_db(st), "SELECT id, title, symptoms, article "
	    "FROM problems WHERE status = 'known_error' AND article IS NOT NULL "
	    "ORDER BY id DESC LIMIT 500", -1, &q, NULL) != SQLITE_OK) {
		json_decref(mine);
		json_decref(hits);
		return KB_EDB;
	}
	while (json_object_size(mine) && sqlite3_step(q) == SQLITE_ROW) {
		theirs = json_object();
		words_of((const char *)sqlite3_column_text(q, 1), theirs);
		words_of((const char *)sqlite3_column_text(q, 2), theirs);
		shared = 0;
		json_object_foreach(theirs, w, dummy)
			shared += json_object_get(mine, w) != NULL;
		/* two words in common at least, and a fair share of the shorter */
		if (shared >= 2 && (double)shared >= 0.25 * (double)(json_object_size(
		    mine) < json_object_size(theirs) ? json_object_size(mine) :
		    json_object_size(theirs))) {
			problems_format_id(sqlite3_column_int64(q, 0), pid);
			json_array_append_new(hits, json_pack("{s:s, s:s, s:s, s:s, s:f}",
			    "id", pid, "title", (const char *)sqlite3_column_text(q, 1),
			    "symptoms", (const char *)sqlite3_column_text(q, 2),
			    "article", (const char *)sqlite3_column_text(q, 3), "score",
			    (double)shared / sqrt((double)json_object_size(theirs))));
		}
		json_decref(theirs);
	}
	sqlite3_finalize(q);
	json_decref(mine);
	n = json_array_size(hits);
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(hits, i));
	qsort(v, n, sizeof(*v), cmp_score);
	json_decref(hits);
	*out = json_array();
	for (i = 0; i < n; i++) {
		h = v[i];
		if (i < limit)
			json_array_append(*out, h);
		json_decref(h);
	}
	free(v);
	return KB_OK;
}
