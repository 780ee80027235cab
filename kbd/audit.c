/*
 * audit.c - see audit.h. Counting and recording an attempt happen under
 * the store's write lock (BEGIN IMMEDIATE), so parallel attempts cannot
 * slip past the limit between the count and the insert (the race behind
 * Zammad's CVE-2022-35490).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "buf.h"
#include "log.h"
#include "store.h"
#include "banned.h"

void
audit_log(struct store *st, const char *actor, const char *action,
    const char *detail, const char *addr)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(store_db(st), "INSERT INTO audit_log(at, actor, action, "
	    "detail, addr) VALUES (?, ?, ?, ?, ?)", -1, &s, NULL) != SQLITE_OK) {
		kb_log(LOG_ERR, "audit: %s", sqlite3_errmsg(store_db(st)));
		return;
	}
	sqlite3_bind_int64(s, 1, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(s, 2, actor, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, action, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, detail, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, addr, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_DONE)
		kb_log(LOG_ERR, "audit: %s", sqlite3_errmsg(store_db(st)));
	sqlite3_finalize(s);
}

/* Failures for key since `since`, and the oldest of them. */
static long
failures(struct store *st, const char *key, time_t since, time_t *oldest)
{
	sqlite3_stmt *s;
	long n = 0;

	*oldest = 0;
	if (sqlite3_prepare_v2(store_db(st), "SELECT count(*), min(at) FROM "
	    "login_failures WHERE key = ? AND at >= ?", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)since);
		if (sqlite3_step(s) == SQLITE_ROW) {
			n = (long)sqlite3_column_int64(s, 0);
			*oldest = (time_t)sqlite3_column_int64(s, 1);
		}
	}
	sqlite3_finalize(s);
	return n;
}

/* Seconds until the oldest counted failure of key leaves the window, if over max. */
static unsigned
over_limit(struct store *st, const char *prefix, const char *who, long max,
    time_t now)
{
	struct buf key;
	time_t oldest;
	long n;

	buf_init(&key, 1024);
	buf_printf(&key, "%s:%s", prefix, who);
	n = failures(st, buf_str(&key), now - LOGIN_WINDOW, &oldest);
	buf_release(&key);
	if (n < max)
		return 0;
	return oldest + LOGIN_WINDOW > now ? (unsigned)(oldest + LOGIN_WINDOW - now) : 1;
}

static void
insert_failure(struct store *st, const char *prefix, const char *who, time_t now)
{
	struct buf key;
	sqlite3_stmt *s;

	buf_init(&key, 1024);
	buf_printf(&key, "%s:%s", prefix, who);
	if (sqlite3_prepare_v2(store_db(st), "INSERT INTO login_failures(key, at) "
	    "VALUES (?, ?)", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, buf_str(&key), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)now);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	buf_release(&key);
}

bool
audit_login_begin(struct store *st, const char *name, const char *addr,
    unsigned *retry_after)
{
	sqlite3 *db = store_db(st);
	time_t now = time(NULL);
	unsigned a, b;
	sqlite3_stmt *s;

	*retry_after = 0;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		kb_log(LOG_ERR, "login throttle: %s", sqlite3_errmsg(db));
		*retry_after = 1;
		return false;	/* fail closed */
	}
	a = over_limit(st, "user", name, LOGIN_MAX_PER_USER, now);
	b = over_limit(st, "addr", addr, LOGIN_MAX_PER_ADDR, now);
	if (a || b) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		*retry_after = a > b ? a : b;
		return false;
	}
	insert_failure(st, "user", name, now);
	insert_failure(st, "addr", addr, now);
	/* old failures no longer count: keep the table small */
	if (sqlite3_prepare_v2(db, "DELETE FROM login_failures WHERE at < ?", -1, &s,
	    NULL) == SQLITE_OK) {
		sqlite3_bind_int64(s, 1, (sqlite3_int64)(now - LOGIN_WINDOW));
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		*retry_after = 1;
		return false;
	}
	return true;
}

void
audit_login_succeeded(struct store *st, const char *name, const char *addr)
{
	struct buf key;
	sqlite3_stmt *s;

	buf_init(&key, 1024);
	buf_printf(&key, "user:%s", name);
	if (sqlite3_prepare_v2(store_db(st), "DELETE FROM login_failures WHERE key = ?",
	    -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, buf_str(&key), -1, SQLITE_TRANSIENT);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	buf_reset(&key);
	buf_printf(&key, "addr:%s", addr);
	if (sqlite3_prepare_v2(store_db(st), "DELETE FROM login_failures WHERE rowid = "
	    "(SELECT max(rowid) FROM login_failures WHERE key = ?)", -1, &s,
	    NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, buf_str(&key), -1, SQLITE_TRANSIENT);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	buf_release(&key);
}
