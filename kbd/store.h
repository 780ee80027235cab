/*
 * store.h - kbd's own SQLite database (DATA_DIR/kbd.db): the schema, its
 * migrations, and the connection settings every user of it shares.
 *
 * One connection per thread (SQLite connections are not shared here):
 * worker threads get theirs from store_thread() in server.c, the search
 * log writer opens its own. WAL, foreign keys on, a busy timeout, and
 * synchronous=FULL so that an acknowledged write survives a kill -9.
 */
#ifndef KB_STORE_H
#define KB_STORE_H

#include <stdint.h>

#include <sqlite3.h>

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
/* A write transaction (BEGIN IMMEDIATE), its commit, its rollback. */
int store_begin(struct store *st);
int store_commit(struct store *st);	/* rolls back if it fails */
void store_rollback(struct store *st);

#endif
