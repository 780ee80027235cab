/*
 * metrics.c - see metrics.h. Each figure is one query over the range;
 * medians are taken in C from the values the query returns.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "log.h"
#include "metrics.h"
#include "store.h"
#include "tickets.h"
#include "util.h"
#include "banned.h"

#define TOP_N 10
#define MISSED_LIST 20

/* Query parameters: ?1 from, ?2 to, ?3 tier, ?4 the time ages are measured at. */
struct params {
	int64_t from, to;
	int tier;
	int64_t at;
};

static int
prepare(struct store *st, const char *sql, const struct params *p,
    sqlite3_stmt **q)
{
	if (sqlite3_prepare_v2(store_db(st), sql, -1, q, NULL) != SQLITE_OK) {
		kb_log(LOG_ERR, "metrics: %s", sqlite3_errmsg(store_db(st)));
		return KB_EDB;
	}
	/* not every query uses every parameter: SQLITE_RANGE is fine */
	sqlite3_bind_int64(*q, 1, p->from);
	sqlite3_bind_int64(*q, 2, p->to);
	sqlite3_bind_int(*q, 3, p->tier);
	sqlite3_bind_int64(*q, 4, p->at);
	return KB_OK;
}

/* The first row's columns as numbers (NULL → 0). */
static int
row(struct store *st, const char *sql, const struct params *p, double *out,
    int ncols)
{
	sqlite3_stmt *q;
	int i, rc;

	for (i = 0; i < ncols; i++)
		out[i] = 0;
	if (prepare(st, sql, p, &q))
		return KB_EDB;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		for (i = 0; i < ncols; i++)
			out[i] = sqlite3_column_double(q, i);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KB_OK : KB_EDB;
}

/* A growing list of numbers, for means and medians. */
struct series {
	double *v;
	size_t n, cap;
};

static void
series_add(struct series *s, double x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = x;
}

/* Column 0 of every row (NULLs skipped). */
static int
collect(struct store *st, const char *sql, const struct params *p,
    struct series *s)
{
	sqlite3_stmt *q;
	int rc;

	if (prepare(st, sql, p, &q))
		return KB_EDB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (sqlite3_column_type(q, 0) != SQLITE_NULL)
			series_add(s, sqlite3_column_double(q, 0));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? KB_OK : KB_EDB;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
metrics_median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static json_t *
ratio(double num, double den)
{
	return den > 0 ? json_real(num / den) : json_null();
}

static json_t *
mean_of(const struct series *s)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		sum += s->v[i];
	return s->n ? json_integer((json_int_t)llround(sum / (double)s->n)) :
	    json_null();
}

static json_t *
median_of(struct series *s)
{
	return s->n ? json_integer((json_int_t)llround(metrics_median(s->v, s->n))) :
	    json_null();
}

/* ---- one tier ---- */

/* The tickets that entered tier ?3 in the range: (tid, at). */
#define ENTERED_L1 \
	"(SELECT id AS tid, created AS at FROM tickets WHERE created >= ?1 AND " \
	"created < ?2)"
#define ENTERED_UP \
	"(SELECT ticket_id AS tid, min(at) AS at FROM escalations WHERE kind IN " \
	"('escalate', 'auto') AND to_tier = ?3 AND at >= ?1 AND at < ?2 " \
	"GROUP BY ticket_id)"
#define UP "kind IN ('escalate', 'auto')"

static int
tier_figures(struct store *st, const struct params *p, json_t **out)
{
	struct series ttr = { 0 }, resp = { 0 }, age = { 0 };
	double oldest = 0, resolved = 0, fcr = 0, met = 0, reopened = 0, esc_n = 0;
	double entered[3], deesc[1];
	double buckets[4] = { 0, 0, 0, 0 };
	json_t *o, *reasons = json_array();
	sqlite3_stmt *q;
	char name[16];
	size_t i;
	int rc;

	/* resolved at this tier in the range */
	if (prepare(st, "SELECT t.resolved - t.created, t.resolved <= "
	    "t.resolution_due, t.reopened > 0, NOT EXISTS (SELECT 1 FROM "
	    "escalations e WHERE e.ticket_id = t.id AND e." UP " AND (?3 = 1 OR "
	    "e.from_tier = ?3)) FROM tickets t WHERE t.resolved >= ?1 AND "
	    "t.resolved < ?2 AND t.tier = ?3", p, &q))
		goto db;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		resolved++;
		series_add(&ttr, sqlite3_column_double(q, 0));
		met += sqlite3_column_int(q, 1);
		reopened += sqlite3_column_int(q, 2);
		fcr += sqlite3_column_int(q, 3);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		goto db;
	/* entered this tier in the range; of them escalated up, sent back down */
	if (row(st, p->tier == 1 ?
	    "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM escalations u "
	    "WHERE u.ticket_id = x.tid AND u." UP " AND u.from_tier = ?3 AND "
	    "u.at >= x.at)), 0), 0 FROM " ENTERED_L1 " x" :
	    "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM escalations u "
	    "WHERE u.ticket_id = x.tid AND u." UP " AND u.from_tier = ?3 AND "
	    "u.at >= x.at)), 0), coalesce(sum(EXISTS (SELECT 1 FROM escalations d "
	    "WHERE d.ticket_id = x.tid AND d.kind = 'deescalate' AND d.from_tier = "
	    "?3 AND d.at >= x.at)), 0) FROM " ENTERED_UP " x", p, entered, 3))
		goto db;
	/* time to first response: L1 from creation, L2/L3 from the escalation */
	if (collect(st, p->tier == 1 ?
	    "SELECT first_response - created FROM tickets WHERE created >= ?1 AND "
	    "created < ?2 AND first_response IS NOT NULL" :
	    "SELECT (SELECT min(ev.at) FROM events ev WHERE ev.ticket_id = x.tid "
	    "AND ev.at >= x.at AND (ev.kind IN ('comment', 'status') OR "
	    "(ev.kind = 'field' AND ev.field = 'assignee'))) - x.at FROM "
	    ENTERED_UP " x", p, &resp))
		goto db;
	/* open at the end of the range, and for how long */
	if (collect(st, "SELECT ?4 - created FROM tickets WHERE tier = ?3 AND "
	    "created < ?2 AND (resolved IS NULL OR resolved >= ?2)", p, &age))
		goto db;
	for (i = 0; i < age.n; i++)
		buckets[age.v[i] < 86400 ? 0 : age.v[i] < 3 * 86400 ? 1 :
		    age.v[i] < 7 * 86400 ? 2 : 3]++;
	/* why it escalated up, and how often it was sent back down */
	if (prepare(st, "SELECT reason, count(*) FROM escalations WHERE " UP
	    " AND from_tier = ?3 AND at >= ?1 AND at < ?2 GROUP BY reason ORDER "
	    "BY count(*) DESC, reason", p, &q))
		goto db;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		esc_n += sqlite3_column_int64(q, 1);
		json_array_append_new(reasons, json_pack("{s:s, s:I}", "reason",
		    (const char *)sqlite3_column_text(q, 0), "count",
		    (json_int_t)sqlite3_column_int64(q, 1)));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		goto db;
	if (row(st, "SELECT count(*) FROM escalations WHERE kind = 'deescalate' "
	    "AND from_tier = ?3 AND at >= ?1 AND at < ?2", p, deesc, 1))
		goto db;
	snprintf(name, sizeof(name), "L%d", p->tier);
	o = json_pack("{s:s, s:I, s:I, s:o, s:I, s:o, s:I, s:o, s:I, s:o, s:I, s:o,"
	    " s:o, s:I, s:o, s:o, s:o, s:I, s:o}",
	    "tier", name,
	    "entered", (json_int_t)entered[0],
	    "resolved", (json_int_t)resolved,
	    "first_contact_resolution", ratio(fcr, resolved),
	    "escalated", (json_int_t)entered[1],
	    "escalation_rate", ratio(entered[1], entered[0]),
	    "escalations", (json_int_t)esc_n,
	    "escalation_reasons", reasons,
	    "deescalated", (json_int_t)entered[2],
	    "deescalation_rate", p->tier == 1 ? json_null() :
	    ratio(entered[2], entered[0]),
	    "deescalations", (json_int_t)deesc[0],
	    "first_response_mean_seconds", mean_of(&resp),
	    "first_response_median_seconds", median_of(&resp),
	    "responded", (json_int_t)resp.n,
	    "mttr_seconds", mean_of(&ttr),
	    "resolution_median_seconds", median_of(&ttr),
	    "sla_met", ratio(met, resolved),
	    "reopened", (json_int_t)reopened,
	    "reopen_rate", ratio(reopened, resolved));
	json_object_set_new(o, "backlog", json_integer((json_int_t)age.n));
	json_object_set_new(o, "backlog_mean_age_seconds", mean_of(&age));
	for (i = 0; i < age.n; i++)
		oldest = age.v[i] > oldest ? age.v[i] : oldest;
	json_object_set_new(o, "backlog_oldest_seconds", age.n ?
	    json_integer((json_int_t)oldest) : json_null());
	json_object_set_new(o, "backlog_age", json_pack("{s:I, s:I, s:I, s:I}",
	    "under_1d", (json_int_t)buckets[0], "1d_3d", (json_int_t)buckets[1],
	    "3d_7d", (json_int_t)buckets[2], "over_7d", (json_int_t)buckets[3]));
	free(ttr.v);
	free(resp.v);
	free(age.v);
	*out = o;
	return KB_OK;
db:
	json_decref(reasons);
	free(ttr.v);
	free(resp.v);
	free(age.v);
	return KB_EDB;
}

/* ---- per queue and per agent ---- */

/* Rows of (key, resolved, mean ttr, sla met, reopen rate) into by[key]. */
static int
group_resolved(struct store *st, const struct params *p, const char *sql,
    const char *keyname, json_t *by, json_t *list)
{
	sqlite3_stmt *q;
	const char *key;
	json_t *o;
	int rc;

	if (prepare(st, sql, p, &q))
		return KB_EDB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		key = (const char *)sqlite3_column_text(q, 0);
		o = json_pack("{s:s, s:I, s:I, s:f, s:f, s:I, s:I}", keyname, key,
		    "resolved", (json_int_t)sqlite3_column_int64(q, 1),
		    "mttr_seconds", (json_int_t)llround(sqlite3_column_double(q, 2)),
		    "sla_met", sqlite3_column_double(q, 3),
		    "reopen_rate", sqlite3_column_double(q, 4),
		    "backlog", (json_int_t)0, "escalations", (json_int_t)0);
		json_object_set_new(by, key, o);
		json_array_append(list, o);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? KB_OK : KB_EDB;
}

/* Add a count column (key, n) to the rows of by, making rows as needed. */
static int
group_count(struct store *st, const struct params *p, const char *sql,
    const char *keyname, const char *field, json_t *by, json_t *list)
{
	sqlite3_stmt *q;
	const char *key;
	json_t *o;
	int rc;

	if (prepare(st, sql, p, &q))
		return KB_EDB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		key = (const char *)sqlite3_column_text(q, 0);
		if (!(o = json_object_get(by, key))) {
			o = json_pack("{s:s, s:I, s:n, s:n, s:n, s:I, s:I}", keyname, key,
			    "resolved", (json_int_t)0, "mttr_seconds", "sla_met",
			    "reopen_rate", "backlog", (json_int_t)0, "escalations",
			    (json_int_t)0);
			json_object_set_new(by, key, o);
			json_array_append(list, o);
		}
		json_object_set_new(o, field, json_integer(sqlite3_column_int64(q, 1)));
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? KB_OK : KB_EDB;
}

#define RESOLVED_IN_RANGE \
	"resolved >= ?1 AND resolved < ?2 AND (?3 = 0 OR tier = ?3)"
#define OPEN_AT_END \
	"created < ?2 AND (resolved IS NULL OR resolved >= ?2) AND (?3 = 0 OR tier = ?3)"

static int
tables(struct store *st, const struct params *p, json_t *out)
{
	json_t *by_q = json_object(), *by_a = json_object();
	json_t *queues = json_array(), *agents = json_array();
	int rc;

	rc = group_resolved(st, p, "SELECT queue, count(*), avg(resolved - created), "
	    "avg(resolved <= resolution_due), avg(reopened > 0) FROM tickets WHERE "
	    RESOLVED_IN_RANGE " GROUP BY queue ORDER BY queue", "queue", by_q, queues);
	if (!rc)
		rc = group_count(st, p, "SELECT queue, count(*) FROM tickets WHERE "
		    OPEN_AT_END " GROUP BY queue", "queue", "backlog", by_q, queues);
	if (!rc)
		rc = group_resolved(st, p, "SELECT assignee, count(*), avg(resolved - "
		    "created), avg(resolved <= resolution_due), avg(reopened > 0) FROM "
		    "tickets WHERE assignee IS NOT NULL AND " RESOLVED_IN_RANGE
		    " GROUP BY assignee ORDER BY count(*) DESC, assignee", "agent", by_a,
		    agents);
	if (!rc)
		rc = group_count(st, p, "SELECT assignee, count(*) FROM tickets WHERE "
		    "assignee IS NOT NULL AND " OPEN_AT_END " GROUP BY assignee",
		    "agent", "backlog", by_a, agents);
	if (!rc)
		rc = group_count(st, p, "SELECT actor, count(*) FROM escalations WHERE "
		    "kind = 'escalate' AND at >= ?1 AND at < ?2 AND (?3 = 0 OR "
		    "from_tier = ?3) GROUP BY actor", "agent", "escalations", by_a,
		    agents);
	json_decref(by_q);
	json_decref(by_a);
	json_object_set_new(out, "queues", queues);
	json_object_set_new(out, "agents", agents);
	return rc;
}

/* ---- knowledge ---- */

static int
top_list(struct store *st, const struct params *p, const char *sql,
    const char *k0, const char *k1, json_t **out)
{
	sqlite3_stmt *q;
	int rc;

	*out = json_array();
	if (prepare(st, sql, p, &q))
		return KB_EDB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		json_array_append_new(*out, json_pack("{s:s, s:I}", k0,
		    (const char *)sqlite3_column_text(q, 0), k1,
		    (json_int_t)sqlite3_column_int64(q, 1)));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? KB_OK : KB_EDB;
}

/* Resolved in the range after an escalation, by an article that was already there. */
#define MISSED \
	"FROM tickets t JOIN ticket_links l ON l.ticket_id = t.id AND l.relation = " \
	"'resolved-by' WHERE t.resolved >= ?1 AND t.resolved < ?2 AND EXISTS " \
	"(SELECT 1 FROM escalations e WHERE e.ticket_id = t.id AND e." UP ") AND " \
	"NOT EXISTS (SELECT 1 FROM article_events a WHERE a.slug = l.article AND " \
	"a.kind = 'created' AND a.at > (SELECT min(e.at) FROM escalations e WHERE " \
	"e.ticket_id = t.id AND e." UP "))"

static int
knowledge(struct store *st, const struct params *p, json_t **out)
{
	double res[2], reuse[2], votes[2], from_tickets[1], searches[2], flags[2];
	double escalated[1], missed[1];
	json_t *top = NULL, *gaps = NULL, *missed_list = NULL;
	sqlite3_stmt *q;
	char tid[16];
	int rc;

	*out = NULL;
	if (row(st, "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM "
	    "ticket_links l WHERE l.ticket_id = t.id AND l.relation = "
	    "'resolved-by')), 0) FROM tickets t WHERE t.resolved >= ?1 AND "
	    "t.resolved < ?2", p, res, 2) ||
	    row(st, "SELECT count(*), count(DISTINCT l.article) FROM ticket_links l "
	    "JOIN tickets t ON t.id = l.ticket_id WHERE l.relation = 'resolved-by' "
	    "AND t.resolved >= ?1 AND t.resolved < ?2", p, reuse, 2) ||
	    row(st, "SELECT coalesce(sum(helpful), 0), count(*) FROM article_votes "
	    "WHERE at >= ?1 AND at < ?2", p, votes, 2) ||
	    row(st, "SELECT count(*) FROM ticket_links WHERE relation = "
	    "'created-from' AND at >= ?1 AND at < ?2", p, from_tickets, 1) ||
	    row(st, "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM "
	    "search_opens o WHERE o.sid = s.sid)), 0) FROM search_log s WHERE "
	    "s.at >= ?1 AND s.at < ?2 AND s.sid IS NOT NULL", p, searches, 2) ||
	    row(st, "SELECT count(*), coalesce(?4 - min(created_at), 0) FROM "
	    "article_flags WHERE resolved_at IS NULL AND created_at < ?2", p, flags, 2) ||
	    row(st, "SELECT count(*) FROM tickets t WHERE t.resolved >= ?1 AND "
	    "t.resolved < ?2 AND EXISTS (SELECT 1 FROM escalations e WHERE "
	    "e.ticket_id = t.id AND e." UP ")", p, escalated, 1) ||
	    row(st, "SELECT count(DISTINCT t.id) " MISSED, p, missed, 1))
		return KB_EDB;
	rc = top_list(st, p, "SELECT l.article, count(*) FROM ticket_links l JOIN "
	    "tickets t ON t.id = l.ticket_id WHERE l.relation = 'resolved-by' AND "
	    "t.resolved >= ?1 AND t.resolved < ?2 GROUP BY l.article ORDER BY "
	    "count(*) DESC, l.article LIMIT 10", "slug", "tickets", &top);
	if (!rc)
		rc = top_list(st, p, "SELECT lower(query), count(*) FROM search_log "
		    "WHERE results = 0 AND at >= ?1 AND at < ?2 GROUP BY lower(query) "
		    "ORDER BY count(*) DESC, lower(query) LIMIT 10", "query", "count",
		    &gaps);
	missed_list = json_array();
	if (!rc && !prepare(st, "SELECT DISTINCT t.id " MISSED " ORDER BY t.id LIMIT 20",
	    p, &q)) {
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			tickets_format_id(sqlite3_column_int64(q, 0), tid);
			json_array_append_new(missed_list, json_string(tid));
		}
		sqlite3_finalize(q);
		rc = rc == SQLITE_DONE ? KB_OK : KB_EDB;
	}
	if (rc) {
		json_decref(top);
		json_decref(gaps);
		json_decref(missed_list);
		return KB_EDB;
	}
	*out = json_pack("{s:I, s:I, s:o, s:I, s:I, s:o, s:o, s:I, s:I, s:o, s:I,"
	    " s:I, s:I, s:o, s:o, s:I, s:o, s:I, s:I, s:o, s:o}",
	    "resolved", (json_int_t)res[0],
	    "linked", (json_int_t)res[1],
	    "link_rate", ratio(res[1], res[0]),
	    "links", (json_int_t)reuse[0],
	    "articles_used", (json_int_t)reuse[1],
	    "reuse", ratio(reuse[0], reuse[1]),
	    "top_articles", top,
	    "votes_helpful", (json_int_t)votes[0],
	    "votes", (json_int_t)votes[1],
	    "helpfulness", ratio(votes[0], votes[1]),
	    "articles_from_tickets", (json_int_t)from_tickets[0],
	    "searches", (json_int_t)searches[0],
	    "searches_opened", (json_int_t)searches[1],
	    "search_success", ratio(searches[1], searches[0]),
	    "gaps", gaps,
	    "flags_open", (json_int_t)flags[0],
	    "flags_oldest_age_seconds", flags[0] > 0 ?
	    json_integer((json_int_t)flags[1]) : json_null(),
	    "escalated_resolved", (json_int_t)escalated[0],
	    "missed_deflection", (json_int_t)missed[0],
	    "missed_deflection_rate", ratio(missed[0], escalated[0]),
	    "missed_deflection_tickets", missed_list);
	return KB_OK;
}

int
metrics_compute(struct store *st, const struct metrics_range *mr, time_t now,
    json_t **out)
{
	struct params p = { mr->from, mr->to, 0, mr->to < (int64_t)now ? mr->to :
	    (int64_t)now };
	json_t *o, *t, *k = NULL;
	char from[32], to[32], name[16];
	int tier, rc = KB_OK;

	*out = NULL;
	tickets_iso_time((time_t)mr->from, from);
	tickets_iso_time((time_t)mr->to, to);
	o = json_pack("{s:s, s:s}", "from", from, "to", to);
	/* one read transaction: every figure sees the same data */
	sqlite3_exec(store_db(st), "BEGIN", NULL, NULL, NULL);
	for (tier = 1; tier <= 3 && !rc; tier++) {
		if (mr->tier && mr->tier != tier)
			continue;
		p.tier = tier;
		if (!(rc = tier_figures(st, &p, &t))) {
			snprintf(name, sizeof(name), "L%d", tier);
			json_object_set_new(o, name, t);
		}
	}
	p.tier = mr->tier;
	if (!rc)
		rc = tables(st, &p, o);
	if (!rc && !(rc = knowledge(st, &p, &k)))
		json_object_set_new(o, "knowledge", k);
	sqlite3_exec(store_db(st), "COMMIT", NULL, NULL, NULL);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return KB_OK;
}

json_t *
metrics_definitions(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "entered", "Tickets that reached the tier in the range: created (L1), "
	    "or first escalated to it (L2, L3).",
	    "resolved", "Tickets whose resolution falls in the range, counted at "
	    "the tier that resolved them.",
	    "first_contact_resolution", "Of the tickets resolved at the tier, the "
	    "share never escalated up from it (at L1: never escalated at all).",
	    "escalation_rate", "Of the tickets that entered the tier, the share "
	    "later escalated up from it. Reasons: escalations up from the tier in "
	    "the range, by criterion.",
	    "deescalation_rate", "Of the tickets that entered the tier, the share "
	    "later sent back down from it.",
	    "first_response", "L1: from creation to the first public reply or "
	    "status change. L2/L3: from the escalation to the first comment, "
	    "status change or taking of the ticket. Mean and median.",
	    "mttr_seconds", "Mean time from creation to resolution of the tickets "
	    "resolved at the tier (median beside it).",
	    "sla_met", "Of the tickets resolved at the tier, the share resolved by "
	    "their resolution deadline.",
	    "backlog", "Tickets at the tier created before the end of the range and "
	    "not resolved by then; age measured at the end of the range (or now). "
	    "Tier and resolution are the ticket's as they are now: for a past "
	    "range, a ticket escalated or reopened since counts where it is now.",
	    "reopen_rate", "Of the tickets resolved at the tier, the share reopened "
	    "at least once.",
	    "link_rate", "Of the tickets resolved in the range, the share with a "
	    "resolved-by article.",
	    "reuse", "Resolved-by links of the tickets resolved in the range, per "
	    "distinct article: how many tickets each article resolved.",
	    "helpfulness", "Of the \"Did this solve it?\" votes cast in the range, "
	    "the share of yes.",
	    "articles_from_tickets", "Draft articles created from a resolved ticket "
	    "in the range (created-from links).",
	    "search_success", "Of the searches made on the results page in the "
	    "range, the share after which a result was opened (the API's searches "
	    "are not counted).",
	    "gaps", "The most frequent searches in the range that found nothing.",
	    "flags_open", "Flags raised on articles before the end of the range and "
	    "not resolved yet; age of the oldest.",
	    "missed_deflection", "Tickets resolved in the range that had been "
	    "escalated and were resolved by an article that already existed at "
	    "their first escalation (not created in kbd after it): L1 search or "
	    "the article failed. Rate: of the escalated tickets resolved in the "
	    "range.");
}
