/*
 * events.c - see events.h. hash = BLAKE2b-256 over the previous hash and
 * every field of the event, each field prefixed with its length so that no
 * two different events can serialise alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "err.h"
#include "events.h"
#include "log.h"
#include "store.h"
#include "util.h"
#include "banned.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static void
hash_part(crypto_generichash_state *h, const char *s)
{
	char len[24];

	snprintf(len, sizeof(len), "%zu:", strlen(s));
	crypto_generichash_update(h, (const unsigned char *)len, strlen(len));
	crypto_generichash_update(h, (const unsigned char *)s, strlen(s));
}

static void
event_hash(const char *prev, int64_t id, int64_t ticket, int64_t at,
    const char *actor, const char *kind, const char *field, const char *from,
    const char *to, const char *note, char out[65])
{
	crypto_generichash_state h;
	unsigned char digest[32];
	char num[64];

	crypto_generichash_init(&h, NULL, 0, sizeof(digest));
	hash_part(&h, prev);
	snprintf(num, sizeof(num), "%lld/%lld/%lld", (long long)id,
	    (long long)ticket, (long long)at);
	hash_part(&h, num);
	hash_part(&h, actor);
	hash_part(&h, kind);
	hash_part(&h, field);
	hash_part(&h, from);
	hash_part(&h, to);
	hash_part(&h, note);
	crypto_generichash_final(&h, digest, sizeof(digest));
	sodium_bin2hex(out, 65, digest, sizeof(digest));
}

int
events_append(struct store *st, const struct event *e)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s;
	char prev[65] = GENESIS, hash[65];
	int64_t id = 1, at = (int64_t)time(NULL);
	int rc = KB_EDB;

	if (sqlite3_prepare_v2(db, "SELECT id, hash FROM events ORDER BY id DESC "
	    "LIMIT 1", -1, &s, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(s) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0) + 1;
		if (sqlite3_column_bytes(s, 1) == 64)
			memcpy(prev, sqlite3_column_text(s, 1), 65);
	}
	sqlite3_finalize(s);
	event_hash(prev, id, e->ticket, at, e->actor, e->kind, e->field, e->from,
	    e->to, e->note, hash);
	if (sqlite3_prepare_v2(db, "INSERT INTO events(id, ticket_id, at, actor, kind, "
	    "field, from_value, to_value, note, prev_hash, hash) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &s, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, e->ticket);
	sqlite3_bind_int64(s, 3, at);
	sqlite3_bind_text(s, 4, e->actor, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, e->kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, e->field, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 7, e->from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 8, e->to, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 9, e->note, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 10, prev, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 11, hash, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_DONE)
		rc = KB_OK;
	sqlite3_finalize(s);
	if (!rc)
		return KB_OK;
fail:
	kb_log(LOG_ERR, "events: %s", sqlite3_errmsg(db));
	return KB_EDB;
}

int
events_list(struct store *st, int64_t ticket, json_t **out)
{
	sqlite3_stmt *s;
	json_t *a = json_array();
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT id, at, actor, kind, field, "
	    "from_value, to_value, note FROM events WHERE ticket_id = ? ORDER BY id",
	    -1, &s, NULL) != SQLITE_OK) {
		json_decref(a);
		return KB_EDB;
	}
	sqlite3_bind_int64(s, 1, ticket);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
		    "id", (json_int_t)sqlite3_column_int64(s, 0),
		    "at", (json_int_t)sqlite3_column_int64(s, 1),
		    "actor", store_text(s, 2), "kind", store_text(s, 3),
		    "field", store_text(s, 4), "from", store_text(s, 5),
		    "to", store_text(s, 6), "note", store_text(s, 7)));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return KB_EDB;
	}
	*out = a;
	return KB_OK;
}

int
events_verify(struct store *st, int64_t *bad_id, int64_t *count)
{
	sqlite3_stmt *s;
	char prev[65] = GENESIS, hash[65];
	int rc;

	*bad_id = 0;
	*count = 0;
	if (sqlite3_prepare_v2(store_db(st), "SELECT id, ticket_id, at, actor, kind, "
	    "field, from_value, to_value, note, prev_hash, hash FROM events ORDER BY id",
	    -1, &s, NULL) != SQLITE_OK)
		return KB_EDB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		event_hash(prev, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
		    sqlite3_column_int64(s, 2), store_text(s, 3),
		    store_text(s, 4), store_text(s, 5), store_text(s, 6),
		    store_text(s, 7), store_text(s, 8), hash);
		if (strcmp(store_text(s, 9), prev) != 0 ||
		    strcmp(store_text(s, 10), hash) != 0) {
			*bad_id = sqlite3_column_int64(s, 0);
			sqlite3_finalize(s);
			return KB_EINVAL;
		}
		memcpy(prev, hash, sizeof(prev));
		(*count)++;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? KB_OK : KB_EDB;
}

int
events_append_each(struct store *st, const char *ids_sql, int64_t id,
    struct event *e)
{
	sqlite3_stmt *q;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, i;
	int rc = KB_OK;

	/* read them all first: no insert while the select is open */
	if (sqlite3_prepare_v2(store_db(st), ids_sql, -1, &q, NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_int64(q, 1, id);
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[n++] = sqlite3_column_int64(q, 0);
	}
	sqlite3_finalize(q);
	for (i = 0; i < n && !rc; i++) {
		e->ticket = ids[i];
		rc = events_append(st, e);
	}
	free(ids);
	return rc;
}
