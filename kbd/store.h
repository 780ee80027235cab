/*
 * store.h - kbd's own SQLite database (DATA_DIR/kbd.db): the schema, its
 * migrations, and the connection settings every user of it shares.
 *
 * One connection per thread (SQLite connections are not shared here):
 * worker threads get theirs from store_thread() in server.c, the search
 * log writer opens its own. WAL, foreign keys on, a busy timeout, and
 * synchronous=FULL so that an acknowledged write survives a kill -9.
 *
 * The store also owns the transaction helpers every module that changes
 * things shares: store_begin/commit/rollback, and their _change forms that
 * say in a struct refusal (refusal.h, released by the caller) why the
 * store failed, in the words of the module that asked. Nothing returned
 * here is allocated, except what store_open() hands over.
 */
#ifndef KB_STORE_H
#define KB_STORE_H

#include <stdint.h>

#include <sqlite3.h>

struct refusal;
struct store;

/*
 * Open (creating if needed) the database at path and bring its schema up to
 * date. On failure *errmsg (if given) gets a malloc'd message.
 */
int store_open(const char *path, struct store **out, char **errmsg);
void store_close(struct store *st);
/* The connection, for modules that prepare their own statements. */
sqlite3 *store_db(struct store *st);
/* The schema version after migrations. */
int store_schema_version(struct store *st);

/*
 * Run one statement with its values bound by types: 'i' an int64_t, 's' a
 * string (NULL binds NULL). KB_OK or KB_EDB.
 */
int store_run(struct store *st, const char *sql, const char *types, ...);
/* The first column of the first row into *out; KB_ENOTFOUND if no row. */
int store_int(struct store *st, int64_t *out, const char *sql,
    const char *types, ...);
/*
 * Column i of the current row of s as text, "" for NULL. The string is
 * SQLite's: valid until the next step, reset or finalize of s.
 */
const char *store_text(sqlite3_stmt *s, int i);
/*
 * The statement of sql, a static string, prepared once for this handle
 * (the key is the pointer): for the queries every request makes (API
 * tokens, sessions). NULL if it cannot be prepared. The store owns it:
 * never finalize it, and hand it back with store_cached_done() as soon as
 * its rows are read (a statement left stepping holds a read transaction).
 */
sqlite3_stmt *store_cached(struct store *st, const char *sql);
void store_cached_done(sqlite3_stmt *s);
/* A write transaction (BEGIN IMMEDIATE), its commit, its rollback. */
int store_begin(struct store *st);
int store_commit(struct store *st);	/* rolls back if it fails */
void store_rollback(struct store *st);

/*
 * How a module words the store's failures to a client. The strings are
 * static (the module's own constants).
 */
struct store_words {
	const char *module;	/* the log line's prefix: "tickets" */
	const char *busy;	/* the 503 message when SQLite is busy, or
				   NULL for a 500 then too */
	const char *failed;	/* the 500 message */
};

/*
 * The store failed what a client asked for: log its last error once
 * ("module: message") and fill e: 503 "store_unavailable" with w->busy if
 * SQLite reported SQLITE_BUSY and w->busy is set, else 500 "internal" with
 * w->failed.
 * Returns refuse()'s code, KB_EDB.
 */
int store_refuse(struct store *st, const struct store_words *w,
    struct refusal *e);
/*
 * store_begin() and store_commit() for a change a client asked for: on
 * failure e says why (store_refuse()); a failed commit is rolled back.
 * KB_OK or KB_EDB.
 */
int store_begin_change(struct store *st, const struct store_words *w,
    struct refusal *e);
int store_commit_change(struct store *st, const struct store_words *w,
    struct refusal *e);

#endif
