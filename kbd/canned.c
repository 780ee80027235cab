/*
 * canned.c - see canned.h.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "canned.h"
#include "err.h"
#include "store.h"
#include "ticket_view.h"
#include "tickets.h"
#include "util.h"
#include "banned.h"

static const struct store_words db_words = {
	"canned",
	NULL,
	"The canned replies could not be read or saved.",
};

int
canned_list(struct store *st, json_t **out)
{
	sqlite3_stmt *q;
	json_t *list = json_array();
	char at[32];
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT id, name, body, updated_by, "
	    "updated_at FROM canned_replies ORDER BY name", -1, &q,
	    NULL) != SQLITE_OK) {
		json_decref(list);
		return KB_EDB;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		tickets_iso_time((time_t)sqlite3_column_int64(q, 4), at);
		/* the replies kbd starts with have no time: null, not 1970 */
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:o}",
		    "id", (json_int_t)sqlite3_column_int64(q, 0),
		    "name", (const char *)sqlite3_column_text(q, 1),
		    "body", (const char *)sqlite3_column_text(q, 2),
		    "updated_by", (const char *)sqlite3_column_text(q, 3),
		    "updated_at", sqlite3_column_int64(q, 4) ? json_string(at) :
		    json_null()));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return KB_EDB;
	}
	*out = list;
	return KB_OK;
}

int
canned_save(struct store *st, const char *who, json_t *in, int64_t *id,
    struct refusal *e)
{
	const char *name = json_string_value(json_object_get(in, "name"));
	const char *body = json_string_value(json_object_get(in, "body"));
	const char *key;
	sqlite3_stmt *q;
	json_t *v;
	int rc;

	memset(e, 0, sizeof(*e));
	json_object_foreach(in, key, v)
		if (strcmp(key, "name") != 0 && strcmp(key, "body") != 0)
			return refuse(e, 400, "unknown_field", "Unknown field '%.100s'. "
			    "Fields: name, body.", key);
	if (!name || !*name || strlen(name) > CANNED_NAME_MAX ||
	    !utf8_valid(name, strlen(name)) || strpbrk(name, "\r\n"))
		refusal_field(e, "name", "A name of one line, at most 100 bytes.");
	if (!body || !*body || strlen(body) > CANNED_BODY_MAX ||
	    !utf8_valid(body, strlen(body)))
		refusal_field(e, "body", "Text of at most 8000 bytes.");
	if (e->fields)
		return refuse(e, 422, "invalid", "Some fields are not valid.");
	if (sqlite3_prepare_v2(store_db(st), *id ?
	    "UPDATE canned_replies SET name = ?1, body = ?2, updated_by = ?3, "
	    "updated_at = ?4 WHERE id = ?5" :
	    "INSERT INTO canned_replies (name, body, updated_by, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4)", -1, &q, NULL) != SQLITE_OK)
		return store_refuse(st, &db_words, e);
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, who, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, (sqlite3_int64)time(NULL));
	if (*id)
		sqlite3_bind_int64(q, 5, *id);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc == SQLITE_CONSTRAINT)
		return refuse(e, 409, "exists", "There is already a canned reply "
		    "called '%.100s'.", name);
	if (rc != SQLITE_DONE)
		return store_refuse(st, &db_words, e);
	if (*id && sqlite3_changes(store_db(st)) == 0)
		return refuse(e, 404, "not_found", "There is no canned reply %lld.",
		    (long long)*id);
	if (!*id)
		*id = sqlite3_last_insert_rowid(store_db(st));
	return KB_OK;
}

int
canned_delete(struct store *st, int64_t id, struct refusal *e)
{
	sqlite3_stmt *q;
	int rc;

	memset(e, 0, sizeof(*e));
	if (sqlite3_prepare_v2(store_db(st), "DELETE FROM canned_replies WHERE "
	    "id = ?1", -1, &q, NULL) != SQLITE_OK)
		return store_refuse(st, &db_words, e);
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_refuse(st, &db_words, e);
	if (sqlite3_changes(store_db(st)) == 0)
		return refuse(e, 404, "not_found", "There is no canned reply %lld.",
		    (long long)id);
	return KB_OK;
}

/* body with each {name} of names replaced by its value. */
static void
fill(struct buf *out, const char *body, const char *const *names,
    const char *const *values)
{
	const char *p = body;
	size_t i, n;

	while (*p) {
		if (*p == '{') {
			for (i = 0; names[i]; i++) {
				n = strlen(names[i]);
				if (strncmp(p + 1, names[i], n) == 0 && p[1 + n] == '}')
					break;
			}
			if (names[i] && values[i]) {
				buf_puts(out, values[i]);
				p += n + 2;
				continue;
			}
		}
		buf_putc(out, *p++);
	}
}

int
canned_render(struct store *st, const struct workflow_config *cfg, int64_t id,
    int64_t ticket, const char *agent, json_t **out, struct refusal *e)
{
	static const char *const names[] = { "requester", "ticket", "agent", NULL };
	const char *values[4] = { NULL, NULL, agent, NULL };
	sqlite3_stmt *q;
	json_t *t = NULL;
	struct buf text;
	char *name = NULL, *body = NULL, tid[16];
	int rc;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	if (sqlite3_prepare_v2(store_db(st), "SELECT name, body FROM "
	    "canned_replies WHERE id = ?1", -1, &q, NULL) != SQLITE_OK)
		return store_refuse(st, &db_words, e);
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		name = xstrdup((const char *)sqlite3_column_text(q, 0));
		body = xstrdup((const char *)sqlite3_column_text(q, 1));
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return refuse(e, 404, "not_found", "There is no canned reply %lld.",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return store_refuse(st, &db_words, e);
	if (ticket) {
		if (ticket_view_get(st, cfg, ticket, &t)) {
			free(name);
			free(body);
			return refuse(e, 404, "not_found", "There is no such ticket.");
		}
		tickets_format_id(ticket, tid);
		values[0] = json_string_value(json_object_get(json_object_get(t,
		    "requester"), "name"));
		values[1] = tid;
	}
	buf_init(&text, CANNED_BODY_MAX * 4);
	fill(&text, body, names, values);
	*out = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "name", name,
	    "body", body, "text", buf_str(&text));
	buf_release(&text);
	json_decref(t);
	free(name);
	free(body);
	return KB_OK;
}
