/*
 * store.c - see store.h. Migrations are an append-only list: the schema
 * version (PRAGMA user_version) is the number applied; each runs in its
 * own transaction at start-up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "log.h"
#include "store.h"
#include "util.h"
#include "banned.h"

#define BUSY_TIMEOUT_MS 5000

struct store {
	sqlite3 *db;
};

static const char *const migrations[] = {
	/* 1: the search log, for knowledge gaps (no personal data) */
	"CREATE TABLE search_log ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"		/* unix seconds */
	"  query TEXT NOT NULL,"		/* as typed, trimmed */
	"  results INTEGER NOT NULL"
	");"
	"CREATE INDEX search_log_at ON search_log(at);"
	"CREATE INDEX search_log_zero ON search_log(results, at);",

	/* 2: accounts, sessions, API tokens, the audit log, login throttling */
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('l1', 'l2', 'l3', 'admin')),"
	"  pw_hash TEXT NOT NULL,"		/* Argon2id, libsodium's encoding */
	"  lang TEXT,"				/* interface language, NULL: browser's */
	"  created INTEGER NOT NULL"
	");"
	"CREATE TABLE sessions ("
	"  id_hash TEXT PRIMARY KEY,"		/* BLAKE2b of the cookie value */
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  csrf TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL"
	");"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE api_tokens ("
	"  id INTEGER PRIMARY KEY,"
	"  hash TEXT NOT NULL UNIQUE,"		/* BLAKE2b of the token */
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created INTEGER NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE audit_log ("		/* append-only: no UPDATE or DELETE */
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT,"				/* user name, or NULL */
	"  action TEXT NOT NULL,"		/* login.ok, login.fail, user.add, ... */
	"  detail TEXT,"
	"  addr TEXT"
	");"
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TABLE login_failures ("
	"  key TEXT NOT NULL,"			/* 'user:NAME' or 'addr:ADDRESS' */
	"  at INTEGER NOT NULL"
	");"
	"CREATE INDEX login_failures_key ON login_failures(key, at);",
};

static int
exec(sqlite3 *db, const char *sql, char **errmsg)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
		return KB_OK;
	if (errmsg)
		*errmsg = xstrdup(err ? err : sqlite3_errmsg(db));
	sqlite3_free(err);
	return KB_EDB;
}

static int
user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
migrate(sqlite3 *db, char **errmsg)
{
	size_t n = sizeof(migrations) / sizeof(migrations[0]);
	char pragma[64];
	int v, rc;

	/* IMMEDIATE: two processes starting at once migrate one after the other */
	for (;;) {
		rc = exec(db, "BEGIN IMMEDIATE", errmsg);
		if (rc)
			return rc;
		v = user_version(db);
		if (v < 0 || (size_t)v > n) {
			exec(db, "ROLLBACK", NULL);
			if (errmsg)
				*errmsg = xstrdup(v < 0 ? "cannot read the schema version" :
				    "the database is newer than this kbd");
			return KB_EDB;
		}
		if ((size_t)v == n)
			return exec(db, "COMMIT", errmsg);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if ((rc = exec(db, migrations[v], errmsg)) ||
		    (rc = exec(db, pragma, errmsg)) || (rc = exec(db, "COMMIT", errmsg))) {
			exec(db, "ROLLBACK", NULL);
			return rc;
		}
		kb_log(LOG_INFO, "store: schema migrated to version %d", v + 1);
	}
}

int
store_open(const char *path, struct store **out, char **errmsg)
{
	struct store *st;
	int rc;

	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	st = xcalloc(1, sizeof(*st));
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		if (errmsg)
			*errmsg = xstrdup(st->db ? sqlite3_errmsg(st->db) : "out of memory");
		sqlite3_close(st->db);
		free(st);
		return KB_EDB;
	}
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	rc = exec(st->db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA foreign_keys = ON;", errmsg);
	if (!rc)
		rc = migrate(st->db, errmsg);
	if (rc) {
		store_close(st);
		return rc;
	}
	*out = st;
	return KB_OK;
}

void
store_close(struct store *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	free(st);
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

int
store_schema_version(struct store *st)
{
	return user_version(st->db);
}
