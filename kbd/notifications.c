/*
 * notifications.c - see notifications.h.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "notifications.h"
#include "store.h"
#include "tickets.h"
#include "util.h"
#include "banned.h"

/* The notifications u sees: theirs, and their tier's (admins: every tier's). */
#define MINE \
	"(user = ?1 OR (tier IS NOT NULL AND (?5 OR tier = ?2)))"

/* Columns: id, at, kind, ticket_id, actor, text, url. */
static json_t *
row_json(sqlite3_stmt *q)
{
	char at[32], tid[16], turl[40];
	int64_t ticket = sqlite3_column_int64(q, 3);
	const char *url = (const char *)sqlite3_column_text(q, 6);

	tickets_iso_time((time_t)sqlite3_column_int64(q, 1), at);
	tickets_format_id(ticket, tid);
	snprintf(turl, sizeof(turl), "/tickets/%s", tid);
	return json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s, s:s}",
	    "id", (json_int_t)sqlite3_column_int64(q, 0), "at", at,
	    "kind", (const char *)sqlite3_column_text(q, 2),
	    "ticket", ticket ? tid : NULL,
	    "actor", (const char *)sqlite3_column_text(q, 4),
	    "text", (const char *)sqlite3_column_text(q, 5),
	    "url", url ? url : turl);
}

int
notifications_add(struct store *st, const char *user, int tier,
    const char *kind, int64_t ticket, const char *url, const char *actor,
    const char *text, json_t **out)
{
	sqlite3_stmt *q;
	size_t len = strlen(text);
	int rc;

	*out = NULL;
	if (len > NOTIFICATION_TEXT_MAX) {
		len = NOTIFICATION_TEXT_MAX;
		while (len && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;	/* keep UTF-8 whole */
	}
	if (sqlite3_prepare_v2(store_db(st), "INSERT INTO notifications (at, user, "
	    "tier, kind, ticket_id, actor, text, url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8) RETURNING id, at, kind, ticket_id, actor, text, url", -1, &q,
	    NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_int64(q, 1, (sqlite3_int64)time(NULL));
	if (user)
		sqlite3_bind_text(q, 2, user, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int(q, 3, tier);
	sqlite3_bind_text(q, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, ticket);
	sqlite3_bind_text(q, 6, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, text, (int)len, SQLITE_STATIC);
	if (url)
		sqlite3_bind_text(q, 8, url, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*out = row_json(q);
	sqlite3_finalize(q);
	return *out ? KB_OK : KB_EDB;
}

bool
notifications_user_exists(struct store *st, const char *name)
{
	sqlite3_stmt *q;
	bool found = false;

	if (sqlite3_prepare_v2(store_db(st), "SELECT 1 FROM users WHERE name = ?1",
	    -1, &q, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return found;
}

static void
bind_user(sqlite3_stmt *q, const struct user *u)
{
	sqlite3_bind_text(q, 1, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, (int)u->role);
	sqlite3_bind_int64(q, 3, u->id);
	sqlite3_bind_int(q, 5, u->role == ROLE_ADMIN);
}

int
notifications_unread(struct store *st, const struct user *u, int64_t *n)
{
	sqlite3_stmt *q;
	int rc;

	*n = 0;
	if (sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM notifications "
	    "WHERE " MINE " AND actor != ?1 AND id > (SELECT notifications_seen FROM "
	    "users WHERE id = ?3)", -1, &q, NULL) != SQLITE_OK)
		return KB_EDB;
	bind_user(q, u);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? KB_OK : KB_EDB;
}

int
notifications_list(struct store *st, const struct user *u, unsigned limit,
    json_t **out)
{
	sqlite3_stmt *q;
	json_t *list = json_array(), *o;
	int64_t unread = 0;
	int rc;

	*out = NULL;
	if (notifications_unread(st, u, &unread) ||
	    sqlite3_prepare_v2(store_db(st), "SELECT id, at, kind, ticket_id, actor, "
	    "text, url, id > (SELECT notifications_seen FROM users WHERE id = ?3) FROM "
	    "notifications WHERE " MINE " AND actor != ?1 ORDER BY id DESC LIMIT ?4",
	    -1, &q, NULL) != SQLITE_OK) {
		json_decref(list);
		return KB_EDB;
	}
	bind_user(q, u);
	sqlite3_bind_int(q, 4, (int)limit);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		o = row_json(q);
		json_object_set_new(o, "unread", json_boolean(sqlite3_column_int(q, 7)));
		json_array_append_new(list, o);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return KB_EDB;
	}
	*out = json_pack("{s:I, s:o}", "unread", (json_int_t)unread,
	    "notifications", list);
	return KB_OK;
}

int
notifications_read(struct store *st, const struct user *u, int64_t up_to)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(store_db(st), up_to > 0 ?
	    "UPDATE users SET notifications_seen = max(notifications_seen, ?2) "
	    "WHERE id = ?1" :
	    "UPDATE users SET notifications_seen = (SELECT coalesce(max(id), 0) "
	    "FROM notifications) WHERE id = ?1", -1, &q, NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_int64(q, 1, u->id);
	if (up_to > 0)
		sqlite3_bind_int64(q, 2, up_to);
	rc = sqlite3_step(q) == SQLITE_DONE ? KB_OK : KB_EDB;
	sqlite3_finalize(q);
	return rc;
}
