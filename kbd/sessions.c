/*
 * sessions.c - see sessions.h.
 */
#include <string.h>
#include <time.h>

#include "err.h"
#include "log.h"
#include "sessions.h"
#include "store.h"
#include "util.h"
#include "banned.h"

int
sessions_create(struct store *st, int64_t user_id, char **cookie_value,
    char csrf[65])
{
	sqlite3_stmt *s;
	char id[65], hash[65];
	time_t now = time(NULL);
	int rc;

	*cookie_value = NULL;
	users_random_hex(id, 32);
	users_random_hex(csrf, 32);
	users_hash_secret(id, hash);
	if (sqlite3_prepare_v2(store_db(st), "INSERT INTO sessions(id_hash, user_id, "
	    "csrf, created, last_seen) VALUES (?, ?, ?, ?, ?)", -1, &s, NULL) !=
	    SQLITE_OK) {
		kb_log(LOG_ERR, "sessions: %s", sqlite3_errmsg(store_db(st)));
		return KB_EDB;
	}
	sqlite3_bind_text(s, 1, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, user_id);
	sqlite3_bind_text(s, 3, csrf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)now);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)now);
	rc = sqlite3_step(s) == SQLITE_DONE ? KB_OK : KB_EDB;
	if (rc)
		kb_log(LOG_ERR, "sessions: %s", sqlite3_errmsg(store_db(st)));
	sqlite3_finalize(s);
	if (!rc)
		*cookie_value = xstrdup(id);
	return rc;
}

static void
delete_hash(struct store *st, const char *hash)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(store_db(st), "DELETE FROM sessions WHERE id_hash = ?",
	    -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, hash, -1, SQLITE_TRANSIENT);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
}

int
sessions_check(struct store *st, const char *cookie_value,
    const struct session_limits *lim, struct user *u, char csrf[65])
{
	sqlite3_stmt *s;
	char hash[65];
	time_t now = time(NULL);
	int64_t user_id = 0, created = 0, last = 0;
	const char *token;
	int rc = KB_ENOTFOUND;
	static const char sql[] = "SELECT user_id, csrf, created, last_seen "
	    "FROM sessions WHERE id_hash = ?";

	if (strlen(cookie_value) != 64)
		return KB_ENOTFOUND;
	users_hash_secret(cookie_value, hash);
	if (!(s = store_cached(st, sql)))	/* every page request asks */
		return KB_EDB;
	sqlite3_bind_text(s, 1, hash, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW) {
		user_id = sqlite3_column_int64(s, 0);
		token = (const char *)sqlite3_column_text(s, 1);
		created = sqlite3_column_int64(s, 2);
		last = sqlite3_column_int64(s, 3);
		if (token && strlen(token) == 64) {
			memcpy(csrf, token, 65);
			rc = KB_OK;
		}
	}
	store_cached_done(s);
	if (rc)
		return rc;
	if (now - last > (time_t)lim->idle || now - created > (time_t)lim->max) {
		delete_hash(st, hash);
		return KB_ENOTFOUND;
	}
	rc = users_by_id(st, user_id, u);
	if (rc)
		return rc;
	/* touch at most once a minute: most requests then only read */
	if (now - last >= 60 && sqlite3_prepare_v2(store_db(st), "UPDATE sessions "
	    "SET last_seen = ? WHERE id_hash = ?", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(s, 1, (sqlite3_int64)now);
		sqlite3_bind_text(s, 2, hash, -1, SQLITE_TRANSIENT);
		sqlite3_step(s);
		sqlite3_finalize(s);
	}
	return KB_OK;
}

int
sessions_delete(struct store *st, const char *cookie_value)
{
	char hash[65];

	if (strlen(cookie_value) != 64)
		return KB_ENOTFOUND;
	users_hash_secret(cookie_value, hash);
	delete_hash(st, hash);
	return KB_OK;
}
