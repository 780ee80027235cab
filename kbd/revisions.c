/*
 * revisions.c - see revisions.h.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diff.h"
#include "err.h"
#include "revisions.h"
#include "store.h"
#include "tickets.h"
#include "util.h"
#include "banned.h"

const struct store_words revisions_words = {
	"articles",
	"The article store is busy; try again.",
	"The change could not be saved.",
};

/* ---- recording ---- */

int
revisions_latest(struct store *st, const char *slug, int64_t *rev,
    struct buf *text)
{
	sqlite3_stmt *q;
	int rc = KB_OK;

	*rev = 0;
	if (sqlite3_prepare_v2(store_db(st), "SELECT rev, text FROM "
	    "article_revisions WHERE slug = ?1 ORDER BY rev DESC LIMIT 1", -1, &q,
	    NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_text(q, 1, slug, -1, SQLITE_STATIC);
	switch (sqlite3_step(q)) {
	case SQLITE_ROW:
		*rev = sqlite3_column_int64(q, 0);
		if (text)
			buf_append(text, sqlite3_column_text(q, 1),
			    (size_t)sqlite3_column_bytes(q, 1));
		break;
	case SQLITE_DONE:
		break;
	default:
		rc = KB_EDB;
	}
	sqlite3_finalize(q);
	return rc;
}

int
revisions_event(struct store *st, const char *slug, const char *actor,
    const char *kind, int64_t rev, const char *note)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(store_db(st), "INSERT INTO article_events (slug, "
	    "at, actor, kind, rev, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &q,
	    NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_text(q, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(q, 3, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, rev);
	sqlite3_bind_text(q, 6, note ? note : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? KB_OK : KB_EDB;
	sqlite3_finalize(q);
	return rc;
}

int
revisions_add(struct store *st, const char *slug, int64_t rev,
    const char *author, const char *status, const char *note,
    const char *text, size_t len)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(store_db(st), "INSERT INTO article_revisions (slug, "
	    "rev, at, author, status, note, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7)", -1, &q, NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_text(q, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, rev);
	sqlite3_bind_int64(q, 3, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(q, 4, author, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, note ? note : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, text, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? KB_OK : KB_EDB;
	sqlite3_finalize(q);
	return rc;
}

/* ---- reading ---- */

int
revisions_history(struct store *st, const char *slug, int64_t current,
    const char *status, const char *title, json_t **out, struct refusal *e)
{
	sqlite3_stmt *q = NULL;
	json_t *revs = json_array(), *events = json_array();
	char at[32];
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT rev, at, author, status, note "
	    "FROM article_revisions WHERE slug = ?1 ORDER BY rev DESC", -1, &q,
	    NULL) != SQLITE_OK)
		goto db;
	sqlite3_bind_text(q, 1, slug, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		tickets_iso_time((time_t)sqlite3_column_int64(q, 1), at);
		json_array_append_new(revs, json_pack("{s:I, s:s, s:s, s:s, s:s}",
		    "revision", (json_int_t)sqlite3_column_int64(q, 0), "at", at,
		    "author", (const char *)sqlite3_column_text(q, 2),
		    "status", (const char *)sqlite3_column_text(q, 3),
		    "note", (const char *)sqlite3_column_text(q, 4)));
	}
	if (rc != SQLITE_DONE)
		goto db;
	sqlite3_finalize(q);
	if (sqlite3_prepare_v2(store_db(st), "SELECT kind, at, actor, rev, note "
	    "FROM article_events WHERE slug = ?1 ORDER BY id DESC", -1, &q,
	    NULL) != SQLITE_OK)
		goto db;
	sqlite3_bind_text(q, 1, slug, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		tickets_iso_time((time_t)sqlite3_column_int64(q, 1), at);
		json_array_append_new(events, json_pack("{s:s, s:s, s:s, s:I, s:s}",
		    "kind", (const char *)sqlite3_column_text(q, 0), "at", at,
		    "actor", (const char *)sqlite3_column_text(q, 2),
		    "revision", (json_int_t)sqlite3_column_int64(q, 3),
		    "note", (const char *)sqlite3_column_text(q, 4)));
	}
	if (rc != SQLITE_DONE)
		goto db;
	sqlite3_finalize(q);
	*out = json_pack("{s:s, s:I, s:s, s:s, s:o, s:o}", "slug", slug, "current",
	    (json_int_t)current, "status", status, "title", title, "revisions",
	    revs, "events", events);
	return KB_OK;
db:
	sqlite3_finalize(q);
	json_decref(revs);
	json_decref(events);
	return store_refuse(st, &revisions_words, e);
}

int
revisions_get(struct store *st, const char *slug, int64_t rev, json_t **out,
    struct refusal *e)
{
	sqlite3_stmt *q;
	char at[32];
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT at, author, status, note, text "
	    "FROM article_revisions WHERE slug = ?1 AND rev = ?2", -1, &q,
	    NULL) != SQLITE_OK)
		return store_refuse(st, &revisions_words, e);
	sqlite3_bind_text(q, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, rev);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		tickets_iso_time((time_t)sqlite3_column_int64(q, 0), at);
		*out = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s%}", "revision",
		    (json_int_t)rev, "at", at,
		    "author", (const char *)sqlite3_column_text(q, 1),
		    "status", (const char *)sqlite3_column_text(q, 2),
		    "note", (const char *)sqlite3_column_text(q, 3),
		    "text", (const char *)sqlite3_column_text(q, 4),
		    (size_t)sqlite3_column_bytes(q, 4));
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_ROW)
		return *out ? KB_OK : refuse(e, 500, "internal", "The revision "
		    "cannot be shown.");
	if (rc == SQLITE_DONE)
		return refuse(e, 404, "not_found", "Article '%.200s' has no revision "
		    "%lld.", slug, (long long)rev);
	return store_refuse(st, &revisions_words, e);
}

int
revisions_diff(struct store *st, const char *slug, int64_t a, int64_t b,
    json_t **out, struct refusal *e)
{
	static const char *const ops[] = { "same", "add", "del" };
	json_t *ra = NULL, *rb = NULL, *lines;
	const char *ta, *tb;
	struct diff d;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = revisions_get(st, slug, a, &ra, e)) ||
	    (rc = revisions_get(st, slug, b, &rb, e)))
		goto out;
	/* revisions_get() succeeds only with the text */
	ta = json_string_value(json_object_get(ra, "text"));
	tb = json_string_value(json_object_get(rb, "text"));
	if (diff_lines(ta, strlen(ta), tb, strlen(tb), &d)) {
		rc = refuse(e, 413, "too_large", "These revisions are too long to "
		    "compare line by line.");
		goto out;
	}
	lines = json_array();
	for (i = 0; i < d.n; i++)
		json_array_append_new(lines, json_pack("{s:s, s:s%, s:I, s:I}",
		    "op", ops[d.lines[i].op], "text", d.lines[i].text, d.lines[i].len,
		    "a_line", (json_int_t)d.lines[i].a_line,
		    "b_line", (json_int_t)d.lines[i].b_line));
	*out = json_pack("{s:I, s:I, s:b, s:o}", "a", (json_int_t)a, "b",
	    (json_int_t)b, "truncated", d.truncated, "lines", lines);
	diff_release(&d);
out:
	json_decref(ra);
	json_decref(rb);
	return rc;
}

int
revisions_last_review(struct store *st, const char *slug, time_t *at,
    char **who)
{
	sqlite3_stmt *q;
	int rc;

	*at = 0;
	if (who)
		*who = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT at, actor FROM article_events "
	    "WHERE slug = ?1 AND kind IN ('reviewed', 'published') ORDER BY at DESC, "
	    "id DESC LIMIT 1", -1, &q, NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_text(q, 1, slug, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*at = (time_t)sqlite3_column_int64(q, 0);
		if (who)
			*who = xstrdup((const char *)sqlite3_column_text(q, 1));
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KB_OK : KB_EDB;
}
