/*
 * faq.c - see faq.h.
 */
#include <string.h>

#include "err.h"
#include "faq.h"
#include "log.h"
#include "search.h"
#include "store.h"
#include "tickets.h"
#include "util.h"
#include "banned.h"

int
faq_use(struct store *st, const char *slug, const char *q)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(store_db(st), "INSERT INTO faq_usage (slug, "
	    "question, uses) VALUES (?1, ?2, 1) ON CONFLICT (slug, question) DO "
	    "UPDATE SET uses = uses + 1", -1, &stmt, NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_text(stmt, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, q, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt) == SQLITE_DONE ? KB_OK : KB_EDB;
	sqlite3_finalize(stmt);
	return rc;
}

int
faq_uses(struct store *st, json_t **out)
{
	sqlite3_stmt *stmt;
	json_t *map = json_object(), *per;
	const char *slug;
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT slug, question, uses FROM "
	    "faq_usage", -1, &stmt, NULL) != SQLITE_OK) {
		json_decref(map);
		return KB_EDB;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		slug = (const char *)sqlite3_column_text(stmt, 0);
		if (!(per = json_object_get(map, slug))) {
			per = json_object();
			json_object_set_new(map, slug, per);
		}
		json_object_set_new(per, (const char *)sqlite3_column_text(stmt, 1),
		    json_integer(sqlite3_column_int64(stmt, 2)));
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		json_decref(map);
		return KB_EDB;
	}
	*out = map;
	return KB_OK;
}

/* The answer to question q of published article slug, from doc; NULL if none. */
static const char *
answer_in(json_t *doc, const char *q)
{
	const char *status = json_string_value(json_object_get(doc, "status"));
	json_t *entry;
	size_t i;

	if (!status || strcmp(status, "published") != 0)
		return NULL;
	json_array_foreach(json_object_get(doc, "faq"), i, entry)
		if (strcmp(json_string_value(json_object_get(entry, "q")), q) == 0)
			return json_string_value(json_object_get(entry, "a"));
	return NULL;
}

bool
faq_exists(struct search *s, const char *slug, const char *q)
{
	json_t *doc = NULL;
	bool found;

	if (!s || search_find(s, slug, &doc) != KB_OK)
		return false;
	found = answer_in(doc, q) != NULL;
	json_decref(doc);
	return found;
}

int
faq_send(struct store *st, struct search *s,
    const struct actor *who, json_t *in, json_t **out, struct refusal *e)
{
	const char *slug = json_string_value(json_object_get(in, "slug"));
	const char *q = json_string_value(json_object_get(in, "q"));
	const char *a;
	int64_t ticket = tickets_parse_id(json_string_value(json_object_get(in,
	    "ticket")));
	json_t *doc = NULL, *body, *link;
	char tid[16];
	int rc;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	if (json_is_integer(json_object_get(in, "ticket")))
		ticket = json_integer_value(json_object_get(in, "ticket"));
	if (!ticket)
		refusal_field(e, "ticket", "A ticket number such as T-000123.");
	if (!slug || !*slug || strlen(slug) > 512)
		refusal_field(e, "slug", "The article the answer is from.");
	if (!q || !*q || strlen(q) > FAQ_QUESTION_MAX)
		refusal_field(e, "q", "The question, as the article has it.");
	if (e->fields)
		return refuse(e, 422, "invalid", "Some fields are not valid.");
	if (!s || search_find(s, slug, &doc) != KB_OK)
		return refuse(e, 404, "not_found", "There is no article '%.200s'.", slug);
	if (!(a = answer_in(doc, q))) {
		json_decref(doc);
		return refuse(e, 404, "not_found", "That article has no such FAQ "
		    "question.");
	}
	body = json_pack("{s:s, s:b}", "body", a, "internal", 0);
	rc = tickets_comment(st, who, ticket, body, e);
	json_decref(body);
	if (!rc) {
		link = json_pack("{s:s, s:s}", "article", slug, "relation",
		    "sent-to-requester");
		rc = tickets_link(st, who, ticket, link, e);
		json_decref(link);
	}
	if (!rc) {
		if (faq_use(st, slug, q))
			kb_log(LOG_WARNING, "faq: usage of %s not counted", slug);
		tickets_format_id(ticket, tid);
		*out = json_pack("{s:s, s:s, s:s, s:s}", "ticket", tid, "slug", slug,
		    "q", q, "a", a);
	}
	json_decref(doc);
	return rc;
}
