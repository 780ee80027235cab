/*
 * feedback.c - see feedback.h.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "feedback.h"
#include "revisions.h"
#include "store.h"
#include "tickets.h"
#include "util.h"
#include "banned.h"

static const struct store_words db_words = {
	"feedback",
	"The store is busy; try again.",
	"The feedback could not be saved.",
};

static atomic_ulong votes_recorded;

unsigned long
feedback_votes_changed(void)
{
	return atomic_load(&votes_recorded);
}

int
feedback_vote(struct store *st, int64_t user_id, const char *slug, bool helpful,
    struct refusal *e)
{
	sqlite3_stmt *q;
	int rc;

	memset(e, 0, sizeof(*e));
	if (sqlite3_prepare_v2(store_db(st), "INSERT INTO article_votes (slug, "
	    "user_id, helpful, at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (slug, "
	    "user_id) DO UPDATE SET helpful = excluded.helpful, at = excluded.at",
	    -1, &q, NULL) != SQLITE_OK)
		return store_refuse(st, &db_words, e);
	sqlite3_bind_text(q, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, user_id);
	sqlite3_bind_int(q, 3, helpful);
	sqlite3_bind_int64(q, 4, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_refuse(st, &db_words, e);
	atomic_fetch_add(&votes_recorded, 1);
	return KB_OK;
}

int
feedback_flag(struct store *st, const char *who, const char *slug, json_t *in,
    int64_t *id, struct refusal *e)
{
	static const char *const kinds[] = { "outdated", "incorrect",
		"missing_step", NULL };
	const char *kind = json_string_value(json_object_get(in, "kind"));
	const char *comment = json_string_value(json_object_get(in, "comment"));
	const char *key;
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q;
	json_t *v;
	size_t i;
	int rc;

	memset(e, 0, sizeof(*e));
	json_object_foreach(in, key, v)
		if (strcmp(key, "kind") != 0 && strcmp(key, "comment") != 0)
			return refuse(e, 400, "unknown_field", "Unknown field '%.100s'. "
			    "Fields: kind, comment.", key);
	for (i = 0; kind && kinds[i] && strcmp(kinds[i], kind) != 0; i++)
		;
	if (!kind || !kinds[i])
		refusal_field(e, "kind", "One of outdated, incorrect, missing_step.");
	if (json_object_get(in, "comment") && (!comment ||
	    strlen(comment) > FLAG_COMMENT_MAX || !utf8_valid(comment, strlen(comment))))
		refusal_field(e, "comment", "Text of at most 2000 bytes.");
	if (e->fields)
		return refuse(e, 422, "invalid", "Some fields are not valid.");
	if ((rc = store_begin_change(st, &db_words, e)))
		return rc;
	if (sqlite3_prepare_v2(db, "INSERT INTO article_flags (slug, kind, comment, "
	    "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)", -1, &q,
	    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(q, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, comment ? comment : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, who, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		goto fail;
	*id = sqlite3_last_insert_rowid(db);
	if (revisions_event(st, slug, who, "flagged", 0, kind))
		goto fail;
	return store_commit_change(st, &db_words, e);
fail:
	rc = store_refuse(st, &db_words, e);
	store_rollback(st);
	return rc;
}

int
feedback_resolve(struct store *st, const char *who, int64_t id, json_t *in,
    struct refusal *e)
{
	const char *note = json_string_value(json_object_get(in, "note"));
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q;
	char *slug = NULL;
	int rc;

	memset(e, 0, sizeof(*e));
	if (json_object_get(in, "note") && (!note || strlen(note) > FLAG_COMMENT_MAX ||
	    !utf8_valid(note, strlen(note)))) {
		refusal_field(e, "note", "Text of at most 2000 bytes.");
		return refuse(e, 422, "invalid", "Some fields are not valid.");
	}
	if ((rc = store_begin_change(st, &db_words, e)))
		return rc;
	if (sqlite3_prepare_v2(db, "SELECT slug, resolved_at FROM article_flags "
	    "WHERE id = ?1", -1, &q, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_type(q, 1) == SQLITE_NULL)
		slug = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	if (!slug) {
		store_rollback(st);
		return rc == SQLITE_DONE ? refuse(e, 404, "not_found", "There is no "
		    "flag %lld.", (long long)id) : refuse(e, 409, "resolved", "Flag "
		    "%lld is already resolved.", (long long)id);
	}
	if (sqlite3_prepare_v2(db, "UPDATE article_flags SET resolved_by = ?1, "
	    "resolved_at = ?2, resolution = ?3 WHERE id = ?4", -1, &q,
	    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(q, 1, who, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(q, 3, note ? note : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, id);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE || revisions_event(st, slug, who,
	    "flag_resolved", 0, note ? note : ""))
		goto fail;
	free(slug);
	return store_commit_change(st, &db_words, e);
fail:
	free(slug);
	rc = store_refuse(st, &db_words, e);
	store_rollback(st);
	return rc;
}

int
feedback_summary(struct store *st, const char *slug, int64_t user_id,
    json_t **out)
{
	sqlite3_stmt *q;
	int64_t yes = 0, no = 0, flags = 0;
	json_t *mine = json_null();
	int rc = KB_EDB;

	*out = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT "
	    "(SELECT count(*) FROM article_votes WHERE slug = ?1 AND helpful = 1), "
	    "(SELECT count(*) FROM article_votes WHERE slug = ?1 AND helpful = 0), "
	    "(SELECT count(*) FROM article_flags WHERE slug = ?1 AND "
	    "  resolved_at IS NULL), "
	    "(SELECT helpful FROM article_votes WHERE slug = ?1 AND user_id = ?2)",
	    -1, &q, NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_text(q, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, user_id);
	if (sqlite3_step(q) == SQLITE_ROW) {
		yes = sqlite3_column_int64(q, 0);
		no = sqlite3_column_int64(q, 1);
		flags = sqlite3_column_int64(q, 2);
		if (sqlite3_column_type(q, 3) != SQLITE_NULL)
			mine = json_boolean(sqlite3_column_int(q, 3));
		rc = KB_OK;
	}
	sqlite3_finalize(q);
	if (rc) {
		json_decref(mine);
		return rc;
	}
	*out = json_pack("{s:I, s:I, s:I, s:o, s:I, s:o}", "helpful",
	    (json_int_t)yes, "not_helpful", (json_int_t)no, "votes",
	    (json_int_t)(yes + no), "ratio", yes + no ?
	    json_real((double)yes / (double)(yes + no)) : json_null(),
	    "open_flags", (json_int_t)flags, "my_vote", mine);
	return KB_OK;
}

int
feedback_flags(struct store *st, const char *slug, bool open_only,
    unsigned limit, json_t **out)
{
	sqlite3_stmt *q;
	json_t *list = json_array(), *o;
	char at[32];
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT id, slug, kind, comment, "
	    "created_by, created_at, resolved_by, resolved_at, resolution FROM "
	    "article_flags WHERE (?1 IS NULL OR slug = ?1) AND (?2 = 0 OR "
	    "resolved_at IS NULL) ORDER BY id DESC LIMIT ?3", -1, &q,
	    NULL) != SQLITE_OK) {
		json_decref(list);
		return KB_EDB;
	}
	if (slug)
		sqlite3_bind_text(q, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, open_only);
	sqlite3_bind_int64(q, 3, limit);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		tickets_iso_time((time_t)sqlite3_column_int64(q, 5), at);
		o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}",
		    "id", (json_int_t)sqlite3_column_int64(q, 0),
		    "slug", (const char *)sqlite3_column_text(q, 1),
		    "kind", (const char *)sqlite3_column_text(q, 2),
		    "comment", (const char *)sqlite3_column_text(q, 3),
		    "created_by", (const char *)sqlite3_column_text(q, 4),
		    "created_at", at);
		if (sqlite3_column_type(q, 7) != SQLITE_NULL) {
			tickets_iso_time((time_t)sqlite3_column_int64(q, 7), at);
			json_object_set_new(o, "resolved_by", json_string(
			    (const char *)sqlite3_column_text(q, 6)));
			json_object_set_new(o, "resolved_at", json_string(at));
			json_object_set_new(o, "resolution", json_string(
			    (const char *)sqlite3_column_text(q, 8)));
		} else {
			json_object_set_new(o, "resolved_by", json_null());
			json_object_set_new(o, "resolved_at", json_null());
		}
		json_array_append_new(list, o);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return KB_EDB;
	}
	*out = list;
	return KB_OK;
}
