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

#endif
