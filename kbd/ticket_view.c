/*
 * ticket_view.c - see ticket_view.h.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "log.h"
#include "store.h"
#include "ticket_view.h"
#include "tickets.h"
#include "banned.h"

static json_t *
iso_or_null(int64_t t)
{
	char buf[32];

	if (!t)
		return json_null();
	tickets_iso_time((time_t)t, buf);
	return json_string(buf);
}

static json_t *
links_json(struct store *st, int64_t id)
{
	sqlite3_stmt *s;
	json_t *a = json_array();

	if (sqlite3_prepare_v2(store_db(st), "SELECT article, relation, at, actor FROM "
	    "ticket_links WHERE ticket_id = ? ORDER BY at, article", -1, &s,
	    NULL) != SQLITE_OK)
		return a;
	sqlite3_bind_int64(s, 1, id);
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:s}", "article",
		    store_text(s, 0), "relation", store_text(s, 1),
		    "at", iso_or_null(sqlite3_column_int64(s, 2)),
		    "actor", store_text(s, 3)));
	sqlite3_finalize(s);
	return a;
}

static json_t *
comments_json(struct store *st, int64_t id)
{
	sqlite3_stmt *s;
	json_t *a = json_array();

	if (sqlite3_prepare_v2(store_db(st), "SELECT id, at, author, body, internal "
	    "FROM comments WHERE ticket_id = ? ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		return a;
	sqlite3_bind_int64(s, 1, id);
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:I, s:o, s:s, s:s, s:b}", "id",
		    (json_int_t)sqlite3_column_int64(s, 0), "at",
		    iso_or_null(sqlite3_column_int64(s, 1)),
		    "author", store_text(s, 2), "body", store_text(s, 3),
		    "internal", sqlite3_column_int(s, 4)));
	sqlite3_finalize(s);
	return a;
}

static json_t *
escalations_json(struct store *st, int64_t id)
{
	sqlite3_stmt *s;
	json_t *a = json_array(), *arts;
	json_error_t jerr;

	if (sqlite3_prepare_v2(store_db(st), "SELECT at, actor, kind, from_tier, "
	    "to_tier, reason, tried, steps, articles FROM escalations "
	    "WHERE ticket_id = ? ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		return a;
	sqlite3_bind_int64(s, 1, id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		arts = json_loads(store_text(s, 8), 0, &jerr);
		json_array_append_new(a, json_pack("{s:o, s:s, s:s, s:s+, s:s+, s:s, "
		    "s:s, s:s, s:o}", "at", iso_or_null(sqlite3_column_int64(s, 0)),
		    "actor", store_text(s, 1), "kind", store_text(s, 2),
		    "from_tier", "L", store_text(s, 3),
		    "to_tier", "L", store_text(s, 4), "reason", store_text(s, 5),
		    "tried", store_text(s, 6), "steps", store_text(s, 7),
		    "articles", json_is_array(arts) ? arts : json_array()));
		if (!json_is_array(arts))
			json_decref(arts);
	}
	sqlite3_finalize(s);
	return a;
}

/* The SLA object of a ticket at time now. */
static json_t *
sla_json(const struct workflow_config *cfg, int64_t created, int priority,
    int64_t response_due, int64_t resolution_due, int64_t first_response,
    int64_t resolved, time_t now)
{
	int64_t span = resolution_due - created, left = resolution_due - now;
	bool open = !resolved;
	bool resolution_breached = resolved ? resolved > resolution_due :
	    now > resolution_due;
	bool response_breached = first_response ? first_response > response_due :
	    now > response_due && open;

	(void)priority;
	return json_pack("{s:o, s:o, s:o, s:o, s:b, s:b, s:b}",
	    "response_due", iso_or_null(response_due),
	    "resolution_due", iso_or_null(resolution_due),
	    "first_response", iso_or_null(first_response),
	    "resolved", iso_or_null(resolved),
	    "response_breached", response_breached,
	    "resolution_breached", resolution_breached,
	    "due_soon", open && !resolution_breached && span > 0 &&
	    (span - left) * 100 >= span * (int64_t)cfg->due_soon_percent);
}

static const char *const ticket_columns =
    "id, title, description, requester_name, requester_contact, category, "
    "impact, urgency, priority, tier, queue, assignee, status, reopened, created, "
    "updated, coalesce(first_response, 0), coalesce(resolved, 0), response_due, "
    "resolution_due, created_by";

/* A ticket row (ticket_columns) as JSON; full adds links, comments, escalations. */
static json_t *
ticket_json(struct store *st, const struct workflow_config *cfg, sqlite3_stmt *s,
    bool full)
{
	char tid[16], prio[4], tier[4];
	int64_t id = sqlite3_column_int64(s, 0);
	json_t *o;

	tickets_format_id(id, tid);
	snprintf(prio, sizeof(prio), "P%d", sqlite3_column_int(s, 8) & 7);
	snprintf(tier, sizeof(tier), "L%d", sqlite3_column_int(s, 9) & 7);
	o = json_pack("{s:s, s:I, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:o, s:s, s:i, s:o, s:o, s:s, s:o}",
	    "id", tid, "number", (json_int_t)id, "title", store_text(s, 1),
	    "description", store_text(s, 2),
	    "requester", "name", store_text(s, 3), "contact", store_text(s, 4),
	    "category", store_text(s, 5), "impact", store_text(s, 6),
	    "urgency", store_text(s, 7), "priority", prio, "tier", tier,
	    "queue", store_text(s, 10),
	    "assignee", sqlite3_column_type(s, 11) == SQLITE_NULL ? json_null() :
	    json_string(store_text(s, 11)), "status", store_text(s, 12),
	    "reopened", sqlite3_column_int(s, 13),
	    "created", iso_or_null(sqlite3_column_int64(s, 14)),
	    "updated", iso_or_null(sqlite3_column_int64(s, 15)),
	    "created_by", store_text(s, 20),
	    "sla", sla_json(cfg, sqlite3_column_int64(s, 14), sqlite3_column_int(s, 8),
	    sqlite3_column_int64(s, 18), sqlite3_column_int64(s, 19),
	    sqlite3_column_int64(s, 16), sqlite3_column_int64(s, 17), time(NULL)));
	if (o && full) {
		json_object_set_new(o, "links", links_json(st, id));
		json_object_set_new(o, "comments", comments_json(st, id));
		json_object_set_new(o, "escalations", escalations_json(st, id));
		/* what an editor sends back as base_event (tickets_update) */
		int64_t last = 0;
		store_int(st, &last, "SELECT coalesce(max(id), 0) FROM events WHERE "
		    "ticket_id = ?", "i", id);
		json_object_set_new(o, "last_event", json_integer(last));
	}
	return o;
}

int
ticket_view_get(struct store *st, const struct workflow_config *cfg, int64_t id,
    json_t **out)
{
	sqlite3_stmt *s;
	struct buf sql;
	int rc = KB_ENOTFOUND;

	*out = NULL;
	buf_init(&sql, 1024);
	buf_printf(&sql, "SELECT %s FROM tickets WHERE id = ?", ticket_columns);
	if (sqlite3_prepare_v2(store_db(st), buf_str(&sql), -1, &s, NULL) != SQLITE_OK) {
		buf_release(&sql);
		return KB_EDB;
	}
	buf_release(&sql);
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*out = ticket_json(st, cfg, s, true);
		rc = *out ? KB_OK : KB_ENOMEM;
	}
	sqlite3_finalize(s);
	return rc;
}

int
ticket_view_list(struct store *st, const struct workflow_config *cfg,
    const struct ticket_filter *f, json_t **out)
{
	sqlite3_stmt *s;
	struct buf sql, like;
	json_t *a;
	const char *order = "updated DESC, id DESC";
	time_t now = time(NULL);
	int rc, i = 1;

	*out = NULL;
	if (f->sort && strcmp(f->sort, "priority") == 0)
		order = "priority, resolution_due, id";
	else if (f->sort && strcmp(f->sort, "due") == 0)
		order = "resolution_due, priority, id";
	else if (f->sort && strcmp(f->sort, "created") == 0)
		order = "created DESC, id DESC";
	buf_init(&sql, 4096);
	buf_init(&like, 1024);
	/* the clauses are fixed text; every value is a bound parameter */
	buf_printf(&sql, "SELECT %s FROM tickets WHERE 1", ticket_columns);
	if (f->tier)
		buf_puts(&sql, " AND tier = ?1");
	if (f->status >= 0)
		buf_puts(&sql, " AND status = ?2");
	if (f->assignee)
		buf_puts(&sql, " AND assignee = ?3");
	if (f->unassigned)
		buf_puts(&sql, " AND assignee IS NULL");
	if (f->open_only || f->breaching)
		buf_puts(&sql, " AND status NOT IN ('resolved', 'closed')");
	if (f->breaching)
		buf_puts(&sql, " AND ?4 >= resolution_due - (resolution_due - created) * "
		    "(100 - ?5) / 100");
	if (f->q && *f->q)
		buf_puts(&sql, " AND (title LIKE ?6 ESCAPE '\\' OR description LIKE ?6 "
		    "ESCAPE '\\' OR requester_name LIKE ?6 ESCAPE '\\')");
	buf_printf(&sql, " ORDER BY %s LIMIT ?7", order);
	if (sql.err || sqlite3_prepare_v2(store_db(st), buf_str(&sql), -1, &s, NULL) !=
	    SQLITE_OK) {
		kb_log(LOG_ERR, "tickets: list: %s", sqlite3_errmsg(store_db(st)));
		buf_release(&sql);
		buf_release(&like);
		return KB_EDB;
	}
	if (f->tier)
		sqlite3_bind_int(s, 1, f->tier);
	if (f->status >= 0)
		sqlite3_bind_text(s, 2, status_name((enum status)f->status), -1,
		    SQLITE_STATIC);
	if (f->assignee)
		sqlite3_bind_text(s, 3, f->assignee, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)now);
	sqlite3_bind_int(s, 5, (int)cfg->due_soon_percent);
	if (f->q && *f->q) {
		buf_putc(&like, '%');
		for (i = 0; f->q[i]; i++) {
			if (f->q[i] == '%' || f->q[i] == '_' || f->q[i] == '\\')
				buf_putc(&like, '\\');
			buf_putc(&like, f->q[i]);
		}
		buf_putc(&like, '%');
		sqlite3_bind_text(s, 6, buf_str(&like), -1, SQLITE_TRANSIENT);
	}
	sqlite3_bind_int(s, 7, (int)(f->limit && f->limit <= 500 ? f->limit : 500));
	a = json_array();
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(a, ticket_json(st, cfg, s, false));
	sqlite3_finalize(s);
	buf_release(&sql);
	buf_release(&like);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return KB_EDB;
	}
	*out = a;
	return KB_OK;
}

int
ticket_view_resolved_by_count(struct store *st, const char *slug, int64_t *n)
{
	sqlite3_stmt *s;
	int rc = KB_EDB;

	*n = 0;
	if (sqlite3_prepare_v2(store_db(st), "SELECT count(DISTINCT ticket_id) FROM "
	    "ticket_links WHERE article = ? AND relation = 'resolved-by'", -1, &s,
	    NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_text(s, 1, slug, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*n = sqlite3_column_int64(s, 0);
		rc = KB_OK;
	}
	sqlite3_finalize(s);
	return rc;
}
