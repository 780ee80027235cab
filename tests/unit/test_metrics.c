/*
 * Unit tests for kbd/metrics.c: each test builds a small ticket history by
 * hand in a fresh store and checks every figure against a value worked out
 * by hand from the definitions (metrics_definitions(), metrics.h). The
 * arithmetic is written next to each expectation.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "err.h"
#include "metrics.h"
#include "store.h"

#define F	1700000000LL		/* 2023-11-14T22:13:20Z */
#define DAY	86400LL
#define TO	(F + 10 * DAY)		/* 2023-11-24T22:13:20Z */
#define NONE	INT64_MIN		/* a NULL column */

static const char *const tiers[] = { "L1", "L2", "L3" };

/* ---- a store in a temporary directory ---- */

struct fx {
	char dir[64];
	struct store *st;
};

static void
fx_open(struct fx *fx)
{
	char path[128], *err = NULL;

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/kbd-metrics-XXXXXX");
	cr_assert_not_null(mkdtemp(fx->dir));
	snprintf(path, sizeof(path), "%s/kbd.db", fx->dir);
	cr_assert_eq(store_open(path, &fx->st, &err), KB_OK, "%s", err ? err : "");
}

static void
fx_close(struct fx *fx)
{
	char cmd[128];

	store_close(fx->st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->dir);
	cr_assert_eq(system(cmd), 0);
}

__attribute__((format(printf, 2, 3))) static void
sql(struct store *st, const char *fmt, ...)
{
	char q[2048], *err = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	cr_assert_eq(sqlite3_exec(store_db(st), q, NULL, NULL, &err), SQLITE_OK,
	    "%s: %s", q, err ? err : "");
}

/* An integer or NULL, as SQL text. */
static const char *
num_or_null(int64_t v, char buf[32])
{
	if (v == NONE)
		return "NULL";
	snprintf(buf, 32, "%lld", (long long)v);
	return buf;
}

static void
ticket(struct store *st, int id, int tier, const char *queue,
    const char *assignee, int64_t created, int64_t first_response,
    int64_t resolved, int64_t resolution_due, int reopened)
{
	char fr[32], rs[32], as[64];

	if (assignee)
		snprintf(as, sizeof(as), "'%s'", assignee);
	else
		snprintf(as, sizeof(as), "NULL");
	sql(st, "INSERT INTO tickets (id, title, description, requester_name, "
	    "requester_contact, category, impact, urgency, priority, tier, queue, "
	    "assignee, status, reopened, created, updated, first_response, resolved, "
	    "response_due, resolution_due, created_by) VALUES (%d, 'title %d', "
	    "'desc', 'Requester', 'req@example.org', 'general', 'medium', 'medium', "
	    "3, %d, '%s', %s, '%s', %d, %lld, %lld, %s, %s, %lld, %lld, 'sara')",
	    id, id, tier, queue, as, resolved == NONE ? "open" : "resolved", reopened,
	    (long long)created, (long long)created, num_or_null(first_response, fr),
	    num_or_null(resolved, rs), (long long)created + 3600,
	    (long long)resolution_due);
}

static void
esc(struct store *st, int tid, int64_t at, const char *actor, const char *kind,
    int from, int to, const char *reason)
{
	sql(st, "INSERT INTO escalations (ticket_id, at, actor, kind, from_tier, "
	    "to_tier, reason, tried, steps, articles) VALUES (%d, %lld, '%s', '%s', "
	    "%d, %d, '%s', 'tried', 'steps', '[]')", tid, (long long)at, actor, kind,
	    from, to, reason);
}

static void
event(struct store *st, int tid, int64_t at, const char *kind, const char *field)
{
	sql(st, "INSERT INTO events (ticket_id, at, actor, kind, field, from_value, "
	    "to_value, note, prev_hash, hash) VALUES (%d, %lld, 'omar', '%s', '%s', "
	    "'a', 'b', '', 'x', 'y')", tid, (long long)at, kind, field);
}

static void
link_(struct store *st, int tid, const char *article, const char *relation,
    int64_t at)
{
	sql(st, "INSERT INTO ticket_links (ticket_id, article, relation, at, actor) "
	    "VALUES (%d, '%s', '%s', %lld, 'sara')", tid, article, relation,
	    (long long)at);
}

/* ---- reading the figures ---- */

static json_t *
obj(json_t *o, const char *k)
{
	json_t *x = json_object_get(o, k);

	cr_assert(json_is_object(x), "%s: not an object", k);
	return x;
}

static json_t *
arr(json_t *o, const char *k, size_t n)
{
	json_t *x = json_object_get(o, k);

	cr_assert(json_is_array(x), "%s: not an array", k);
	cr_assert_eq(json_array_size(x), n, "%s: %zu items, expected %zu", k,
	    json_array_size(x), n);
	return x;
}

static void
is_int(json_t *o, const char *k, long long v)
{
	json_t *x = json_object_get(o, k);

	cr_expect(json_is_integer(x), "%s: not an integer (%s)", k,
	    x ? (json_is_null(x) ? "null" : "other type") : "missing");
	if (json_is_integer(x))
		cr_expect_eq(json_integer_value(x), v, "%s: got %lld, expected %lld",
		    k, (long long)json_integer_value(x), v);
}

static void
is_real(json_t *o, const char *k, double v)
{
	json_t *x = json_object_get(o, k);

	cr_expect(json_is_number(x), "%s: not a number (%s)", k,
	    x ? (json_is_null(x) ? "null" : "other type") : "missing");
	if (json_is_number(x))
		cr_expect(fabs(json_number_value(x) - v) < 1e-9,
		    "%s: got %.9g, expected %.9g", k, json_number_value(x), v);
}

static void
is_null(json_t *o, const char *k)
{
	json_t *x = json_object_get(o, k);

	cr_expect_not_null(x, "%s: missing", k);
	cr_expect(json_is_null(x), "%s: expected null", k);
}

static void
is_str(json_t *o, const char *k, const char *v)
{
	json_t *x = json_object_get(o, k);

	cr_assert(json_is_string(x), "%s: not a string", k);
	cr_expect_str_eq(json_string_value(x), v, "%s: got %s, expected %s", k,
	    json_string_value(x), v);
}

static void
buckets(json_t *tier, long long u1, long long d1_3, long long d3_7, long long o7)
{
	json_t *b = obj(tier, "backlog_age");

	is_int(b, "under_1d", u1);
	is_int(b, "1d_3d", d1_3);
	is_int(b, "3d_7d", d3_7);
	is_int(b, "over_7d", o7);
}

/* The row of a queues/agents table whose key field is name, or NULL. */
static json_t *
row_of(json_t *list, const char *keyfield, const char *name)
{
	size_t i;
	json_t *r;

	json_array_foreach(list, i, r)
		if (strcmp(json_string_value(json_object_get(r, keyfield)), name) == 0)
			return r;
	return NULL;
}

static json_t *
compute(struct store *st, int64_t from, int64_t to, int tier, time_t now)
{
	struct metrics_range mr = { from, to, tier };
	json_t *out = NULL;

	cr_assert_eq(metrics_compute(st, &mr, now, &out), KB_OK);
	cr_assert_not_null(out);
	return out;
}

/* Every count 0, every ratio and mean null: a tier that saw nothing. */
static void
tier_is_empty(json_t *t)
{
	is_int(t, "entered", 0);
	is_int(t, "resolved", 0);
	is_int(t, "escalated", 0);
	is_int(t, "escalations", 0);
	is_int(t, "deescalated", 0);
	is_int(t, "deescalations", 0);
	is_int(t, "responded", 0);
	is_int(t, "reopened", 0);
	is_int(t, "backlog", 0);
	is_null(t, "first_contact_resolution");
	is_null(t, "escalation_rate");
	is_null(t, "deescalation_rate");
	is_null(t, "first_response_mean_seconds");
	is_null(t, "first_response_median_seconds");
	is_null(t, "mttr_seconds");
	is_null(t, "resolution_median_seconds");
	is_null(t, "sla_met");
	is_null(t, "reopen_rate");
	is_null(t, "backlog_mean_age_seconds");
	is_null(t, "backlog_oldest_seconds");
	arr(t, "escalation_reasons", 0);
	buckets(t, 0, 0, 0, 0);
}

static void
knowledge_is_empty(json_t *k)
{
	is_int(k, "resolved", 0);
	is_int(k, "linked", 0);
	is_int(k, "links", 0);
	is_int(k, "articles_used", 0);
	is_int(k, "votes_helpful", 0);
	is_int(k, "votes", 0);
	is_int(k, "articles_from_tickets", 0);
	is_int(k, "searches", 0);
	is_int(k, "searches_opened", 0);
	is_int(k, "flags_open", 0);
	is_int(k, "escalated_resolved", 0);
	is_int(k, "missed_deflection", 0);
	is_null(k, "link_rate");
	is_null(k, "reuse");
	is_null(k, "helpfulness");
	is_null(k, "search_success");
	is_null(k, "flags_oldest_age_seconds");
	is_null(k, "missed_deflection_rate");
	arr(k, "top_articles", 0);
	arr(k, "gaps", 0);
	arr(k, "missed_deflection_tickets", 0);
}

/* ---- 1. nothing to count ---- */

Test(metrics, empty_store)
{
	struct fx fx;
	json_t *m;

	fx_open(&fx);
	m = compute(fx.st, F, TO, 0, (time_t)(TO + DAY));
	is_str(m, "from", "2023-11-14T22:13:20Z");
	is_str(m, "to", "2023-11-24T22:13:20Z");
	for (int t = 0; t < 3; t++) {
		is_str(obj(m, tiers[t]), "tier", tiers[t]);
		tier_is_empty(obj(m, tiers[t]));
	}
	knowledge_is_empty(obj(m, "knowledge"));
	arr(m, "queues", 0);
	arr(m, "agents", 0);
	json_decref(m);
	fx_close(&fx);
}

Test(metrics, empty_range)
{
	struct fx fx;
	json_t *m;
	/* the range [F, F + 1d) between a history before and one after it */
	const int64_t from = F, to = F + DAY, before = F - 5 * DAY, after = to + DAY;

	fx_open(&fx);
	/* before the range: created, escalated, responded, resolved */
	ticket(fx.st, 1, 2, "L2", "omar", before, before + 60, before + 4000,
	    before + 9000, 1);
	esc(fx.st, 1, before + 100, "sara", "escalate", 1, 2, "vpn");
	event(fx.st, 1, before + 200, "comment", "public");
	link_(fx.st, 1, "net/vpn", "resolved-by", before + 4000);
	link_(fx.st, 1, "drafts/one", "created-from", before + 4100);
	sql(fx.st, "INSERT INTO article_votes VALUES ('net/vpn', 1, 1, %lld)",
	    (long long)(before + 10));
	sql(fx.st, "INSERT INTO search_log (at, query, results, sid) VALUES "
	    "(%lld, 'nothing', 0, 7)", (long long)(before + 20));
	sql(fx.st, "INSERT INTO search_opens VALUES (7, %lld)", (long long)(before + 21));
	sql(fx.st, "INSERT INTO article_flags (slug, kind, comment, created_by, "
	    "created_at, resolved_by, resolved_at, resolution) VALUES ('net/vpn', "
	    "'outdated', 'c', 'sara', %lld, 'omar', %lld, 'fixed')",
	    (long long)(before + 30), (long long)(before + 40));
	/* after it: created at exactly `to`, and later */
	ticket(fx.st, 2, 1, "L1", NULL, to, to + 5, NONE, to + DAY, 0);
	ticket(fx.st, 3, 3, "L3", "zed", after, after + 5, after + 100, after + 200, 0);
	esc(fx.st, 3, after + 10, "kbd", "auto", 1, 3, "rule:p1");
	event(fx.st, 3, after + 20, "status", "status");
	link_(fx.st, 3, "net/vpn", "resolved-by", after + 100);
	sql(fx.st, "INSERT INTO article_votes VALUES ('net/vpn', 2, 0, %lld)",
	    (long long)to);
	sql(fx.st, "INSERT INTO search_log (at, query, results, sid) VALUES "
	    "(%lld, 'nothing', 0, 8)", (long long)to);
	sql(fx.st, "INSERT INTO article_flags (slug, kind, comment, created_by, "
	    "created_at) VALUES ('net/vpn', 'incorrect', 'c', 'sara', %lld)",
	    (long long)to);

	m = compute(fx.st, from, to, 0, (time_t)(after + DAY));
	for (int t = 0; t < 3; t++)
		tier_is_empty(obj(m, tiers[t]));
	knowledge_is_empty(obj(m, "knowledge"));
	arr(m, "queues", 0);
	arr(m, "agents", 0);
	json_decref(m);
	fx_close(&fx);
}

/* ---- 2. L1 ---- */

/*
 * Range [F, TO). All created in the range.
 *   1: L1, response +600, resolved +3600, due +7200 (met)
 *   2: L1, response +300, resolved +7200, due +86400 (met), reopened twice
 *   3: L1, no response, resolved +10800, due +3600 (late)
 *   4: L1, response +900, escalated to L2 (+1000) and sent back (+2000),
 *      resolved +30000, due exactly +30000 (met: "by" the deadline)
 *   5: auto-escalated to L2 (+500), open at L2
 *   6: L1, response +120, open
 *   8: escalated to L2 (+100), open at L2
 */
static void
l1_history(struct store *st)
{
	ticket(st, 1, 1, "L1", "sara", F, F + 600, F + 3600, F + 7200, 0);
	ticket(st, 2, 1, "L1", "sara", F + 1000, F + 1300, F + 8200, F + 87400, 2);
	ticket(st, 3, 1, "L1", "sara", F + 2000, NONE, F + 12800, F + 5600, 0);
	ticket(st, 4, 1, "L1", "sara", F + 3000, F + 3900, F + 33000, F + 33000, 0);
	esc(st, 4, F + 4000, "sara", "escalate", 1, 2, "vpn-access");
	esc(st, 4, F + 5000, "omar", "deescalate", 2, 1, "deescalate");
	ticket(st, 5, 2, "L2", NULL, F + 4000, NONE, NONE, F + 90000, 0);
	esc(st, 5, F + 4500, "kbd", "auto", 1, 2, "rule:p1");
	ticket(st, 6, 1, "L1", NULL, F + 5000, F + 5120, NONE, F + 90000, 0);
	ticket(st, 8, 2, "L2", NULL, F + 6000, NONE, NONE, F + 90000, 0);
	esc(st, 8, F + 6100, "sara", "escalate", 1, 2, "vpn-access");
}

Test(metrics, l1_first_contact_resolution_and_times)
{
	struct fx fx;
	json_t *m, *l1, *l2, *r;

	fx_open(&fx);
	l1_history(fx.st);
	m = compute(fx.st, F, TO, 0, (time_t)(TO + 5 * DAY));
	l1 = obj(m, "L1");
	is_str(l1, "tier", "L1");
	/* resolved at L1 in range: 1, 2, 3, 4 */
	is_int(l1, "resolved", 4);
	/* 4 was escalated (and came back): 3 of 4 never escalated */
	is_real(l1, "first_contact_resolution", 3.0 / 4);
	/* ttr 3600, 7200, 10800, 30000: mean 51600/4, median (7200+10800)/2 */
	is_int(l1, "mttr_seconds", 12900);
	is_int(l1, "resolution_median_seconds", 9000);
	/* 3 resolved after its deadline; 4 resolved exactly at it */
	is_real(l1, "sla_met", 3.0 / 4);
	is_int(l1, "reopened", 1);
	is_real(l1, "reopen_rate", 1.0 / 4);
	/* entered (created in range): 1, 2, 3, 4, 5, 6, 8; escalated up: 4, 5, 8 */
	is_int(l1, "entered", 7);
	is_int(l1, "escalated", 3);
	is_real(l1, "escalation_rate", 3.0 / 7);
	/* L1 cannot send down */
	is_int(l1, "deescalated", 0);
	is_null(l1, "deescalation_rate");
	is_int(l1, "deescalations", 0);
	/* escalations up from L1 in range: vpn-access ×2 (4, 8), rule:p1 (5) */
	is_int(l1, "escalations", 3);
	r = arr(l1, "escalation_reasons", 2);
	is_str(json_array_get(r, 0), "reason", "vpn-access");
	is_int(json_array_get(r, 0), "count", 2);
	is_str(json_array_get(r, 1), "reason", "rule:p1");
	is_int(json_array_get(r, 1), "count", 1);
	/* first response from creation: 600, 300, 900, 120 (3, 5, 8 none) */
	is_int(l1, "responded", 4);
	is_int(l1, "first_response_mean_seconds", 480);	/* 1920 / 4 */
	is_int(l1, "first_response_median_seconds", 450);	/* (300+600)/2 */
	/* open at L1 at TO: 6 only, age TO - (F+5000) = 859000 (> 7d) */
	is_int(l1, "backlog", 1);
	is_int(l1, "backlog_mean_age_seconds", 859000);
	is_int(l1, "backlog_oldest_seconds", 859000);
	buckets(l1, 0, 0, 0, 1);

	/* L2 saw 4, 5, 8 arrive; 4 went back down */
	l2 = obj(m, "L2");
	is_int(l2, "entered", 3);
	is_int(l2, "escalated", 0);
	is_real(l2, "escalation_rate", 0);
	is_int(l2, "deescalated", 1);
	is_real(l2, "deescalation_rate", 1.0 / 3);
	is_int(l2, "deescalations", 1);
	is_int(l2, "resolved", 0);
	is_null(l2, "first_contact_resolution");
	is_int(l2, "backlog", 2);	/* 5 and 8 */
	json_decref(m);
	fx_close(&fx);
}

/* ---- 3. the edges of the range ---- */

/*
 * Range [F, TO), all at L1:
 *   1: created F-1000, resolved exactly F (in: ttr 1000)
 *   2: created F+100, resolved exactly TO (out; open at TO)
 *   3: created F-5000, resolved F+5000 (resolved in range, not entered; ttr 10000)
 *   4: created F+1000, resolved TO+1000 (open at TO)
 *   5: created exactly TO (not entered, not in the backlog)
 *   6: created exactly F, never resolved (entered, open)
 *   7: created and resolved before F (nothing)
 *   9: created F+2000, resolved F+2400 (ttr 400)
 *  10: created F+200000, never resolved
 */
static void
edge_history(struct store *st)
{
	ticket(st, 1, 1, "L1", NULL, F - 1000, NONE, F, F + DAY, 0);
	ticket(st, 2, 1, "L1", NULL, F + 100, NONE, TO, TO + DAY, 0);
	ticket(st, 3, 1, "L1", NULL, F - 5000, NONE, F + 5000, F + DAY, 0);
	ticket(st, 4, 1, "L1", NULL, F + 1000, NONE, TO + 1000, TO + DAY, 0);
	ticket(st, 5, 1, "L1", NULL, TO, NONE, NONE, TO + DAY, 0);
	ticket(st, 6, 1, "L1", NULL, F, NONE, NONE, F + DAY, 0);
	ticket(st, 7, 1, "L1", NULL, F - 9000, NONE, F - 1, F + DAY, 0);
	ticket(st, 9, 1, "L1", NULL, F + 2000, NONE, F + 2400, F + DAY, 0);
	ticket(st, 10, 1, "L1", NULL, F + 200000, NONE, NONE, F + 300000, 0);
}

Test(metrics, range_edges_and_backlog_age)
{
	struct fx fx;
	json_t *m, *l1;

	fx_open(&fx);
	edge_history(fx.st);

	/* seen after the range: ages at TO */
	m = compute(fx.st, F, TO, 0, (time_t)(TO + 3 * DAY));
	l1 = obj(m, "L1");
	/* resolved in [F, TO): 1 (at F), 3, 9; not 2 (at TO), 4, 7 */
	is_int(l1, "resolved", 3);
	is_int(l1, "mttr_seconds", 3800);		/* (1000+10000+400)/3 */
	is_int(l1, "resolution_median_seconds", 1000);
	is_real(l1, "first_contact_resolution", 1.0);
	/* created in [F, TO): 2, 4, 6 (at F), 9, 10; not 1, 3, 5 (at TO), 7 */
	is_int(l1, "entered", 5);
	is_int(l1, "escalated", 0);
	is_real(l1, "escalation_rate", 0);
	/* open at TO: 2 (resolved at TO), 4, 6, 10; ages TO - created */
	is_int(l1, "backlog", 4);
	/* 863900 + 863000 + 864000 + 664000 = 3254900, / 4 */
	is_int(l1, "backlog_mean_age_seconds", 813725);
	is_int(l1, "backlog_oldest_seconds", 864000);
	buckets(l1, 0, 0, 0, 4);
	is_int(obj(m, "knowledge"), "resolved", 3);
	json_decref(m);

	/* seen during the range (now < TO): ages at now, the same tickets */
	m = compute(fx.st, F, TO, 0, (time_t)(F + 259700));
	l1 = obj(m, "L1");
	is_int(l1, "backlog", 4);
	/* 2: 259600, 4: 258700, 6: 259700, 10: 59700; sum 837700 */
	is_int(l1, "backlog_mean_age_seconds", 209425);
	is_int(l1, "backlog_oldest_seconds", 259700);
	/* <1d: 10; 1d-3d: 4 (258700 < 259200); 3d-7d: 2, 6 */
	buckets(l1, 1, 1, 2, 0);
	json_decref(m);
	fx_close(&fx);
}

Test(metrics, backlog_age_bucket_edges)
{
	struct fx fx;
	json_t *m, *l1;

	fx_open(&fx);
	/* ages at TO: just under 1d, exactly 1d, just under 3d, exactly 3d,
	 * just under 7d */
	ticket(fx.st, 1, 1, "L1", NULL, TO - 86399, NONE, NONE, TO, 0);
	ticket(fx.st, 2, 1, "L1", NULL, TO - 86400, NONE, NONE, TO, 0);
	ticket(fx.st, 3, 1, "L1", NULL, TO - 259199, NONE, NONE, TO, 0);
	ticket(fx.st, 4, 1, "L1", NULL, TO - 259200, NONE, NONE, TO, 0);
	ticket(fx.st, 5, 1, "L1", NULL, TO - 604799, NONE, NONE, TO, 0);
	m = compute(fx.st, F, TO, 1, (time_t)(TO + 7 * DAY));
	l1 = obj(m, "L1");
	is_int(l1, "backlog", 5);
	buckets(l1, 1, 2, 2, 0);
	/* (86399 + 86400 + 259199 + 259200 + 604799) / 5 = 1295997 / 5 = 259199.4 */
	is_int(l1, "backlog_mean_age_seconds", 259199);
	is_int(l1, "backlog_oldest_seconds", 604799);
	json_decref(m);
	fx_close(&fx);
}

/* ---- 4, 5, 6: L2 and L3, the tier filter, queues and agents ---- */

/*
 * Range [F, TO).
 *  11 created F, escalated 1→2 at F+100 (sara, vpn); events: escalated F+100,
 *     field title F+200, field assignee F+400 (response 300), comment F+500;
 *     resolved at L2 F+3700 (due F+100000); queue network, omar
 *  12 created F+1000, escalated 1→2 F+1100 (sara, vpn); status F+1700
 *     (L2 response 600); escalated 2→3 F+2000 (omar, hardware); comment F+3200
 *     (L3 response 1200); resolved at L3 F+5000 (due F+4999: late); vendor, zed
 *  13 created F+2000; comment F+2050 (before the escalation); auto 1→2 F+2100
 *     (kbd, rule:p1); field queue F+2200; deescalated F+3000; escalated 1→2
 *     again F+4000 (sara, vpn); open at L2; network, no assignee
 *  14 created F+5000, escalated 1→2 exactly at TO (sara, vpn): not entered;
 *     open at L2; desk, omar
 *  15 created F-500, escalated 1→2 exactly at F (sara, vpn); field queue F+10,
 *     field assignee F+50 (response 50); escalated 2→3 F+9000 (kim, hardware);
 *     resolved at L3 F+10000 (due F+20000), reopened once; vendor, zed
 *  16 created F-1000, escalated 1→2 before the range F-100 (sara, vpn);
 *     escalated 2→3 F+600 (lina, security); deescalated 3→2 F+7000 (zed);
 *     resolved at L2 F+8000 (due F+7999: late); network, lina
 *  17 created F+3000, auto 1→3 F+3100 (kbd, rule:p1); status F+3200 (L3
 *     response 100); open at L3; vendor, no assignee
 */
static void
upper_history(struct store *st)
{
	ticket(st, 11, 2, "network", "omar", F, F + 30, F + 3700, F + 100000, 0);
	esc(st, 11, F + 100, "sara", "escalate", 1, 2, "vpn");
	event(st, 11, F + 100, "escalated", "tier");
	event(st, 11, F + 200, "field", "title");
	event(st, 11, F + 400, "field", "assignee");
	event(st, 11, F + 500, "comment", "public");

	ticket(st, 12, 3, "vendor", "zed", F + 1000, NONE, F + 5000, F + 4999, 0);
	esc(st, 12, F + 1100, "sara", "escalate", 1, 2, "vpn");
	event(st, 12, F + 1700, "status", "status");
	esc(st, 12, F + 2000, "omar", "escalate", 2, 3, "hardware");
	event(st, 12, F + 3200, "comment", "internal");

	ticket(st, 13, 2, "network", NULL, F + 2000, NONE, NONE, F + 100000, 0);
	event(st, 13, F + 2050, "comment", "public");
	esc(st, 13, F + 2100, "kbd", "auto", 1, 2, "rule:p1");
	event(st, 13, F + 2100, "escalated", "tier");
	event(st, 13, F + 2200, "field", "queue");
	esc(st, 13, F + 3000, "omar", "deescalate", 2, 1, "deescalate");
	event(st, 13, F + 3000, "deescalated", "tier");
	esc(st, 13, F + 4000, "sara", "escalate", 1, 2, "vpn");

	ticket(st, 14, 2, "desk", "omar", F + 5000, NONE, NONE, F + 100000, 0);
	esc(st, 14, TO, "sara", "escalate", 1, 2, "vpn");

	ticket(st, 15, 3, "vendor", "zed", F - 500, NONE, F + 10000, F + 20000, 1);
	esc(st, 15, F, "sara", "escalate", 1, 2, "vpn");
	event(st, 15, F + 10, "field", "queue");
	event(st, 15, F + 50, "field", "assignee");
	esc(st, 15, F + 9000, "kim", "escalate", 2, 3, "hardware");

	ticket(st, 16, 2, "network", "lina", F - 1000, NONE, F + 8000, F + 7999, 0);
	esc(st, 16, F - 100, "sara", "escalate", 1, 2, "vpn");
	esc(st, 16, F + 600, "lina", "escalate", 2, 3, "security");
	esc(st, 16, F + 7000, "zed", "deescalate", 3, 2, "deescalate");

	ticket(st, 17, 3, "vendor", NULL, F + 3000, NONE, NONE, F + 100000, 0);
	esc(st, 17, F + 3100, "kbd", "auto", 1, 3, "rule:p1");
	event(st, 17, F + 3200, "status", "status");
}

static void
check_l2(json_t *l2)
{
	json_t *r;

	is_str(l2, "tier", "L2");
	/* first escalated to L2 in [F, TO): 11, 12, 13 (once), 15 (at F);
	 * not 14 (at TO), not 16 (before F; its 3→2 is a de-escalation) */
	is_int(l2, "entered", 4);
	/* of them escalated up from L2 afterwards: 12, 15 */
	is_int(l2, "escalated", 2);
	is_real(l2, "escalation_rate", 2.0 / 4);
	/* sent back down from L2: 13 */
	is_int(l2, "deescalated", 1);
	is_real(l2, "deescalation_rate", 1.0 / 4);
	is_int(l2, "deescalations", 1);
	/* escalations up from L2 in range: 12 hardware, 15 hardware, 16 security */
	is_int(l2, "escalations", 3);
	r = arr(l2, "escalation_reasons", 2);
	is_str(json_array_get(r, 0), "reason", "hardware");
	is_int(json_array_get(r, 0), "count", 2);
	is_str(json_array_get(r, 1), "reason", "security");
	is_int(json_array_get(r, 1), "count", 1);
	/* resolved at L2: 11 (ttr 3700, met), 16 (ttr 9000, late; escalated up
	 * from L2 at F+600, so not first-contact) */
	is_int(l2, "resolved", 2);
	is_real(l2, "first_contact_resolution", 1.0 / 2);
	is_int(l2, "mttr_seconds", 6350);
	is_int(l2, "resolution_median_seconds", 6350);
	is_real(l2, "sla_met", 1.0 / 2);
	is_int(l2, "reopened", 0);
	is_real(l2, "reopen_rate", 0);
	/* response after entering L2: 11 300, 12 600, 15 50; 13 none */
	is_int(l2, "responded", 3);
	is_int(l2, "first_response_mean_seconds", 317);	/* 950/3 = 316.67 */
	is_int(l2, "first_response_median_seconds", 300);
	/* open at L2 at TO: 13 (TO-(F+2000)), 14 (TO-(F+5000)) */
	is_int(l2, "backlog", 2);
	is_int(l2, "backlog_mean_age_seconds", 860500);	/* (862000+859000)/2 */
	is_int(l2, "backlog_oldest_seconds", 862000);
	buckets(l2, 0, 0, 0, 2);
}

Test(metrics, l2_l3_escalations_and_response)
{
	struct fx fx;
	json_t *m, *l1, *l3;

	fx_open(&fx);
	upper_history(fx.st);
	m = compute(fx.st, F, TO, 0, (time_t)(TO + DAY));
	check_l2(obj(m, "L2"));

	l3 = obj(m, "L3");
	is_str(l3, "tier", "L3");
	/* first escalated to L3 in range: 12 (F+2000), 16 (F+600), 17 (F+3100),
	 * 15 (F+9000) */
	is_int(l3, "entered", 4);
	is_int(l3, "escalated", 0);
	is_real(l3, "escalation_rate", 0);
	is_int(l3, "deescalated", 1);			/* 16 */
	is_real(l3, "deescalation_rate", 1.0 / 4);
	is_int(l3, "deescalations", 1);
	is_int(l3, "escalations", 0);
	arr(l3, "escalation_reasons", 0);
	/* resolved at L3: 12 (ttr 4000, late), 15 (ttr 10500, met, reopened) */
	is_int(l3, "resolved", 2);
	is_real(l3, "first_contact_resolution", 1.0);
	is_int(l3, "mttr_seconds", 7250);
	is_int(l3, "resolution_median_seconds", 7250);
	is_real(l3, "sla_met", 1.0 / 2);
	is_int(l3, "reopened", 1);
	is_real(l3, "reopen_rate", 1.0 / 2);
	/* response after entering L3: 12 1200, 17 100; 16 and 15 none after */
	is_int(l3, "responded", 2);
	is_int(l3, "first_response_mean_seconds", 650);
	is_int(l3, "first_response_median_seconds", 650);
	/* open at L3: 17, TO - (F+3000) */
	is_int(l3, "backlog", 1);
	is_int(l3, "backlog_mean_age_seconds", 861000);
	is_int(l3, "backlog_oldest_seconds", 861000);
	buckets(l3, 0, 0, 0, 1);

	/* L1: escalations up from L1 in range: vpn 11, 12, 13 (F+4000), 15 (at F);
	 * rule:p1 13, 17; not 14 (at TO), not 16 (before F) */
	l1 = obj(m, "L1");
	is_int(l1, "escalations", 6);
	is_str(json_array_get(arr(l1, "escalation_reasons", 2), 0), "reason", "vpn");
	is_int(json_array_get(json_object_get(l1, "escalation_reasons"), 0), "count", 4);
	is_int(json_array_get(json_object_get(l1, "escalation_reasons"), 1), "count", 2);
	json_decref(m);
	fx_close(&fx);
}

Test(metrics, tier_filter)
{
	struct fx fx;
	json_t *m, *q, *a, *r;

	fx_open(&fx);
	upper_history(fx.st);
	m = compute(fx.st, F, TO, 2, (time_t)(TO + DAY));
	cr_expect_null(json_object_get(m, "L1"));
	cr_expect_null(json_object_get(m, "L3"));
	check_l2(obj(m, "L2"));
	cr_expect_not_null(json_object_get(m, "knowledge"));

	/* queues, tier-2 tickets only: resolved 11, 16 (network); open 13
	 * (network), 14 (desk); vendor (L3) absent */
	q = arr(m, "queues", 2);
	r = json_array_get(q, 0);
	is_str(r, "queue", "network");
	is_int(r, "resolved", 2);
	is_int(r, "mttr_seconds", 6350);
	is_real(r, "sla_met", 0.5);
	is_real(r, "reopen_rate", 0);
	is_int(r, "backlog", 1);
	r = json_array_get(q, 1);
	is_str(r, "queue", "desk");
	is_int(r, "resolved", 0);
	is_null(r, "mttr_seconds");
	is_null(r, "sla_met");
	is_null(r, "reopen_rate");
	is_int(r, "backlog", 1);
	cr_expect_null(row_of(q, "queue", "vendor"));

	/* agents: resolved at L2 lina (16), omar (11); omar's open 14;
	 * escalations up from L2: omar (12), lina (16), kim (15); zed resolved only
	 * L3 tickets, sara only escalated from L1 */
	a = arr(m, "agents", 3);
	r = json_array_get(a, 0);
	is_str(r, "agent", "lina");
	is_int(r, "resolved", 1);
	is_int(r, "mttr_seconds", 9000);
	is_real(r, "sla_met", 0);
	is_real(r, "reopen_rate", 0);
	is_int(r, "backlog", 0);
	is_int(r, "escalations", 1);
	r = json_array_get(a, 1);
	is_str(r, "agent", "omar");
	is_int(r, "resolved", 1);
	is_int(r, "mttr_seconds", 3700);
	is_real(r, "sla_met", 1);
	is_int(r, "backlog", 1);
	is_int(r, "escalations", 1);
	r = json_array_get(a, 2);
	is_str(r, "agent", "kim");
	is_int(r, "resolved", 0);
	is_null(r, "mttr_seconds");
	is_null(r, "sla_met");
	is_int(r, "backlog", 0);
	is_int(r, "escalations", 1);
	cr_expect_null(row_of(a, "agent", "zed"));
	cr_expect_null(row_of(a, "agent", "sara"));
	json_decref(m);
	fx_close(&fx);
}

Test(metrics, queues_and_agents_all_tiers)
{
	struct fx fx;
	json_t *m, *q, *a, *r;

	fx_open(&fx);
	upper_history(fx.st);
	m = compute(fx.st, F, TO, 0, (time_t)(TO + DAY));

	/* resolved in range by queue: network 11 (3700, met), 16 (9000, late);
	 * vendor 12 (4000, late), 15 (10500, met, reopened); sorted by queue, then
	 * the queues with only a backlog: desk (14) */
	q = arr(m, "queues", 3);
	r = json_array_get(q, 0);
	is_str(r, "queue", "network");
	is_int(r, "resolved", 2);
	is_int(r, "mttr_seconds", 6350);
	is_real(r, "sla_met", 0.5);
	is_real(r, "reopen_rate", 0);
	is_int(r, "backlog", 1);			/* 13 */
	is_int(r, "escalations", 0);
	r = json_array_get(q, 1);
	is_str(r, "queue", "vendor");
	is_int(r, "resolved", 2);
	is_int(r, "mttr_seconds", 7250);
	is_real(r, "sla_met", 0.5);
	is_real(r, "reopen_rate", 0.5);
	is_int(r, "backlog", 1);			/* 17 */
	r = json_array_get(q, 2);
	is_str(r, "queue", "desk");
	is_int(r, "resolved", 0);
	is_null(r, "mttr_seconds");
	is_int(r, "backlog", 1);			/* 14 */

	/* by assignee, most resolved first: zed 2 (12, 15), then lina 1, omar 1;
	 * escalations (kind escalate only, in range): sara 11, 12, 13, 15 = 4
	 * (14 at TO and 16 before F are out; kbd's are auto); omar 12; lina 16;
	 * kim 15 */
	a = arr(m, "agents", 5);
	r = json_array_get(a, 0);
	is_str(r, "agent", "zed");
	is_int(r, "resolved", 2);
	is_int(r, "mttr_seconds", 7250);
	is_real(r, "sla_met", 0.5);
	is_real(r, "reopen_rate", 0.5);
	is_int(r, "backlog", 0);
	is_int(r, "escalations", 0);
	r = json_array_get(a, 1);
	is_str(r, "agent", "lina");
	is_int(r, "resolved", 1);
	is_int(r, "mttr_seconds", 9000);
	is_real(r, "sla_met", 0);
	is_int(r, "escalations", 1);
	r = json_array_get(a, 2);
	is_str(r, "agent", "omar");
	is_int(r, "resolved", 1);
	is_int(r, "mttr_seconds", 3700);
	is_real(r, "sla_met", 1);
	is_int(r, "backlog", 1);
	is_int(r, "escalations", 1);
	cr_assert_not_null((r = row_of(a, "agent", "sara")));
	is_int(r, "resolved", 0);
	is_null(r, "mttr_seconds");
	is_int(r, "escalations", 4);
	cr_assert_not_null((r = row_of(a, "agent", "kim")));
	is_int(r, "escalations", 1);
	cr_expect_null(row_of(a, "agent", "kbd"));
	json_decref(m);
	fx_close(&fx);
}

/* ---- 7. knowledge ---- */

/*
 * Range [F, TO). Tickets (id: resolved when, escalated when, links):
 *   1: in range; resolved-by net/vpn; created-from drafts/k1 at F
 *   2: in range; escalated F+100; resolved-by net/vpn (created F-1d): missed
 *   3: in range; auto-escalated F+200; resolved-by mail/quota (created F+300,
 *      after the escalation): not missed
 *   4: in range; resolved-by net/vpn and printer/jam
 *   5: in range; escalated F+400; no link
 *   6: before the range; resolved-by net/vpn
 *   7: in range; consulted net/wifi only; created-from drafts/k7 at F+5000
 *   8: open; created-from drafts/a at F-10 and drafts/b at TO
 *   9: in range; escalated F+50; resolved-by disk/full (no created event,
 *      only a 'saved' one after the escalation): missed
 *  11: in range; escalated F+600 and again F+800; resolved-by sw/install
 *      (created F+700, after the first escalation): not missed
 *  12: in range; resolved-by mail/quota
 */
static void
knowledge_history(struct store *st)
{
	ticket(st, 1, 1, "L1", "sara", F, NONE, F + 1000, F + DAY, 0);
	link_(st, 1, "net/vpn", "resolved-by", F + 1000);
	link_(st, 1, "drafts/k1", "created-from", F);
	ticket(st, 2, 2, "L2", "omar", F, NONE, F + 2000, F + DAY, 0);
	esc(st, 2, F + 100, "sara", "escalate", 1, 2, "vpn");
	link_(st, 2, "net/vpn", "resolved-by", F + 2000);
	ticket(st, 3, 2, "L2", "omar", F, NONE, F + 3000, F + DAY, 0);
	esc(st, 3, F + 200, "kbd", "auto", 1, 2, "rule:p1");
	link_(st, 3, "mail/quota", "resolved-by", F + 3000);
	ticket(st, 4, 1, "L1", "sara", F, NONE, F + 4000, F + DAY, 0);
	link_(st, 4, "net/vpn", "resolved-by", F + 4000);
	link_(st, 4, "printer/jam", "resolved-by", F + 4000);
	ticket(st, 5, 2, "L2", "omar", F, NONE, F + 5000, F + DAY, 0);
	esc(st, 5, F + 400, "sara", "escalate", 1, 2, "vpn");
	ticket(st, 6, 1, "L1", "sara", F - 2 * DAY, NONE, F - DAY, F, 0);
	link_(st, 6, "net/vpn", "resolved-by", F - DAY);
	ticket(st, 7, 1, "L1", "sara", F, NONE, F + 6000, F + DAY, 0);
	link_(st, 7, "net/wifi", "consulted", F + 100);
	link_(st, 7, "drafts/k7", "created-from", F + 5000);
	ticket(st, 8, 1, "L1", NULL, F - 100, NONE, NONE, F + DAY, 0);
	link_(st, 8, "drafts/a", "created-from", F - 10);
	link_(st, 8, "drafts/b", "created-from", TO);
	ticket(st, 9, 2, "L2", "omar", F, NONE, F + 9000, F + DAY, 0);
	esc(st, 9, F + 50, "sara", "escalate", 1, 2, "vpn");
	link_(st, 9, "disk/full", "resolved-by", F + 9000);
	ticket(st, 11, 2, "L2", "omar", F, NONE, F + 11000, F + DAY, 0);
	esc(st, 11, F + 600, "sara", "escalate", 1, 2, "vpn");
	esc(st, 11, F + 750, "omar", "deescalate", 2, 1, "deescalate");
	esc(st, 11, F + 800, "sara", "escalate", 1, 2, "vpn");
	link_(st, 11, "sw/install", "resolved-by", F + 11000);
	ticket(st, 12, 1, "L1", "sara", F, NONE, F + 12000, F + DAY, 0);
	link_(st, 12, "mail/quota", "resolved-by", F + 12000);

	sql(st, "INSERT INTO article_events (slug, at, actor, kind, rev, note) VALUES"
	    " ('net/vpn', %lld, 'sara', 'created', 1, ''),"
	    " ('net/vpn', %lld, 'sara', 'saved', 2, ''),"
	    " ('mail/quota', %lld, 'omar', 'created', 1, ''),"
	    " ('disk/full', %lld, 'omar', 'saved', 3, ''),"
	    " ('sw/install', %lld, 'omar', 'created', 1, '')",
	    F - DAY, F + 500, F + 300, F + 60, F + 700);

	/* votes: in range 4 (3 yes); at F-1 and at TO out */
	sql(st, "INSERT INTO article_votes (slug, user_id, helpful, at) VALUES"
	    " ('net/vpn', 1, 1, %lld), ('net/vpn', 2, 0, %lld),"
	    " ('mail/quota', 1, 1, %lld), ('mail/quota', 3, 1, %lld),"
	    " ('printer/jam', 1, 0, %lld), ('printer/jam', 2, 0, %lld)",
	    F + 10, F + 20, F + 30, TO - 1, F - 1, TO);

	/* searches: sid set = the results page (its time << 20 | a number);
	 * NULL = the API */
#define SID(t, n) ((long long)(t) << 20 | (n))
	sql(st, "INSERT INTO search_log (at, query, results, sid) VALUES"
	    " (%lld, 'vpn', 5, %lld),"			/* opened */
	    " (%lld, 'outlook', 3, %lld),"		/* not opened */
	    " (%lld, 'VPN error', 0, %lld),"		/* gap, not opened */
	    " (%lld, 'printer', 2, %lld),"		/* opened */
	    " (%lld, 'mail', 1, %lld),"		/* opened, last second */
	    " (%lld, 'toner', 0, %lld),"		/* gap, not opened */
	    " (%lld, 'vpn error', 0, NULL),"		/* API: gap only */
	    " (%lld, 'Vpn Error', 0, NULL),"
	    " (%lld, 'Wifi', 0, NULL),"
	    " (%lld, 'WIFI', 0, NULL),"
	    " (%lld, 'Printer', 4, NULL),"
	    " (%lld, 'before', 0, %lld),"		/* out of range */
	    " (%lld, 'vpn error', 0, %lld)",		/* at TO: out */
	    F, SID(F, 101), F + 100, SID(F + 100, 102), F + 200, SID(F + 200, 103),
	    F + 300, SID(F + 300, 104), TO - 1, SID(TO - 1, 105), F + 700,
	    SID(F + 700, 108), F + 400, F + 600, F + 800, F + 900, F + 500,
	    F - 1, SID(F - 1, 106), TO, SID(TO, 107));
	sql(st, "INSERT INTO search_opens (sid, at) VALUES (%lld, %lld), (%lld, %lld),"
	    " (%lld, %lld), (%lld, %lld), (%lld, %lld)", SID(F, 101), F + 1,
	    SID(F + 300, 104), F + 301, SID(TO - 1, 105), TO - 1, SID(F - 1, 106), F,
	    SID(TO, 107), TO);

	/* flags: two open (F-1d, F+1000), one resolved, one opened after TO */
	sql(st, "INSERT INTO article_flags (slug, kind, comment, created_by, "
	    "created_at, resolved_by, resolved_at, resolution) VALUES"
	    " ('net/vpn', 'outdated', 'c', 'sara', %lld, NULL, NULL, NULL),"
	    " ('mail/quota', 'missing_step', 'c', 'sara', %lld, NULL, NULL, NULL),"
	    " ('disk/full', 'incorrect', 'c', 'sara', %lld, 'omar', %lld, 'fixed'),"
	    " ('sw/install', 'outdated', 'c', 'sara', %lld, NULL, NULL, NULL)",
	    F - DAY, F + 1000, F + 100, F + 200, TO + 10);
}

Test(metrics, knowledge)
{
	struct fx fx;
	json_t *m, *k, *t, *g;

	fx_open(&fx);
	knowledge_history(fx.st);
	m = compute(fx.st, F, TO, 0, (time_t)(TO + 1000));
	k = obj(m, "knowledge");

	/* resolved in range: 1, 2, 3, 4, 5, 7, 9, 11, 12; with a resolved-by link:
	 * all but 5 and 7 */
	is_int(k, "resolved", 9);
	is_int(k, "linked", 7);
	is_real(k, "link_rate", 7.0 / 9);
	/* links: net/vpn ×3 (1, 2, 4), mail/quota ×2 (3, 12), printer/jam,
	 * disk/full, sw/install: 8 over 5 articles */
	is_int(k, "links", 8);
	is_int(k, "articles_used", 5);
	is_real(k, "reuse", 8.0 / 5);
	t = arr(k, "top_articles", 5);
	is_str(json_array_get(t, 0), "slug", "net/vpn");
	is_int(json_array_get(t, 0), "tickets", 3);
	is_str(json_array_get(t, 1), "slug", "mail/quota");
	is_int(json_array_get(t, 1), "tickets", 2);
	for (size_t i = 2; i < 5; i++) {
		const char *s = json_string_value(json_object_get(json_array_get(t, i),
		    "slug"));

		cr_expect(s && (!strcmp(s, "printer/jam") || !strcmp(s, "disk/full") ||
		    !strcmp(s, "sw/install")), "top_articles[%zu] = %s", i, s);
		is_int(json_array_get(t, i), "tickets", 1);
	}
	/* votes in range: 4, of which 3 yes */
	is_int(k, "votes", 4);
	is_int(k, "votes_helpful", 3);
	is_real(k, "helpfulness", 3.0 / 4);
	/* created-from links in range: drafts/k1 (at F), drafts/k7 */
	is_int(k, "articles_from_tickets", 2);
	/* page searches in range: 101, 102, 103, 104, 105, 108; opened 101, 104, 105 */
	is_int(k, "searches", 6);
	is_int(k, "searches_opened", 3);
	is_real(k, "search_success", 3.0 / 6);
	/* zero-result searches in range, case folded: vpn error ×3, wifi ×2, toner */
	g = arr(k, "gaps", 3);
	cr_expect_eq(strcasecmp(json_string_value(json_object_get(json_array_get(g,
	    0), "query")), "vpn error"), 0);
	is_int(json_array_get(g, 0), "count", 3);
	cr_expect_eq(strcasecmp(json_string_value(json_object_get(json_array_get(g,
	    1), "query")), "wifi"), 0);
	is_int(json_array_get(g, 1), "count", 2);
	cr_expect_eq(strcasecmp(json_string_value(json_object_get(json_array_get(g,
	    2), "query")), "toner"), 0);
	is_int(json_array_get(g, 2), "count", 1);
	/* flags open at TO: net/vpn (F-1d) and mail/quota; oldest TO - (F-1d) */
	is_int(k, "flags_open", 2);
	is_int(k, "flags_oldest_age_seconds", 11 * DAY);
	/* escalated and resolved in range: 2, 3, 5, 9, 11; missed: 2, 9 */
	is_int(k, "escalated_resolved", 5);
	is_int(k, "missed_deflection", 2);
	is_real(k, "missed_deflection_rate", 2.0 / 5);
	t = arr(k, "missed_deflection_tickets", 2);
	cr_expect_str_eq(json_string_value(json_array_get(t, 0)), "T-000002");
	cr_expect_str_eq(json_string_value(json_array_get(t, 1)), "T-000009");
	json_decref(m);
	fx_close(&fx);
}

/* ---- 8. the median ---- */

Test(metrics, median)
{
	double none[1] = { 0 }, one[] = { 7 }, odd[] = { 9, 1, 5 },
	    even[] = { 40, 10, 30, 20 }, two[] = { 3, 4 };

	cr_expect_float_eq(metrics_median(none, 0), 0, 1e-12);
	cr_expect_float_eq(metrics_median(one, 1), 7, 1e-12);
	cr_expect_float_eq(metrics_median(odd, 3), 5, 1e-12);
	cr_expect_float_eq(metrics_median(even, 4), 25, 1e-12);
	cr_expect_float_eq(metrics_median(two, 2), 3.5, 1e-12);
	/* it reorders in place: the same values */
	cr_expect(even[0] + even[1] + even[2] + even[3] == 100 &&
	    even[0] * even[1] * even[2] * even[3] == 240000);
}

static int
cmp_num(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median without a sort is the one a sort gives: odd and even counts,
 * runs of equal values, sorted and reversed input. */
Test(metrics, median_as_sorted)
{
	static const size_t counts[] = { 1, 2, 3, 4, 10, 11, 100, 101, 1000, 1001 };
	double v[1001], sorted[1001];
	size_t c, n, i, shape;

	for (shape = 0; shape < 4; shape++)
		for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
			n = counts[c];
			for (i = 0; i < n; i++)
				v[i] = shape == 0 ? (double)((i * 7919) % 97) :
				    shape == 1 ? (double)i : shape == 2 ? (double)(n - i) :
				    (double)((i * 31) % 5);
			memcpy(sorted, v, n * sizeof(*v));
			qsort(sorted, n, sizeof(*sorted), cmp_num);
			cr_expect(metrics_median(v, n) == (n % 2 ? sorted[n / 2] :
			    (sorted[n / 2 - 1] + sorted[n / 2]) / 2), "shape %zu n %zu",
			    shape, n);
		}
}

Test(metrics, every_figure_has_a_definition)
{
	static const char *const keys[] = { "entered", "resolved",
		"first_contact_resolution", "escalation_rate", "deescalation_rate",
		"first_response", "mttr_seconds", "sla_met", "backlog", "reopen_rate",
		"link_rate", "reuse", "helpfulness", "articles_from_tickets",
		"search_success", "gaps", "missed_deflection", NULL };
	json_t *d = metrics_definitions();

	cr_assert(json_is_object(d));
	for (size_t i = 0; keys[i]; i++) {
		json_t *v = json_object_get(d, keys[i]);

		cr_expect(json_is_string(v) && json_string_length(v) > 0, "%s", keys[i]);
	}
	json_decref(d);
}
