/*
 * metrics.c - see metrics.h.
 *
 * One pass over what a range needs instead of a query per figure: the
 * tickets created before the range ends, every escalation, the resolved-by
 * links and the article creations are read once into memory, and each
 * figure is a loop over them. The first answer after each escalation in
 * the range (time to first response at L2/L3) is read with the
 * escalations, not by a query per ticket; the search log and votes stay
 * aggregate queries.
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
#define NTIERS 3

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

static void
swap_double(double *a, double *b)
{
	double t = *a;

	*a = *b;
	*b = t;
}

/*
 * Reorder v[0..n) so that v[k] is the value a sort would put there, with
 * nothing larger before it and nothing smaller after it (quickselect: a
 * median in linear time instead of a sort). Three-way partitions, so a run
 * of equal values (many tickets answered in the same second) ends a round.
 */
static void
select_nth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n, lt, gt, i;
	double a, mid, b, pivot;

	while (hi - lo > 1) {
		/* the median of the first, middle and last: sorted input stays linear */
		a = v[lo];
		mid = v[lo + (hi - lo) / 2];
		b = v[hi - 1];
		pivot = a < mid ? (mid < b ? mid : a < b ? b : a) :
		    (a < b ? a : mid < b ? b : mid);
		/* v[lo..lt) < pivot, v[lt..i) == pivot, v(gt..hi) > pivot */
		lt = lo;
		i = lo;
		gt = hi;
		while (i < gt) {
			if (v[i] < pivot)
				swap_double(&v[lt++], &v[i++]);
			else if (v[i] > pivot)
				swap_double(&v[i], &v[--gt]);
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return;
	}
}

double
metrics_median(double *v, size_t n)
{
	double below;
	size_t i;

	if (n == 0)
		return 0;
	select_nth(v, n, n / 2);
	if (n % 2)
		return v[n / 2];
	/* the other middle value: the largest of those before v[n / 2] */
	below = v[0];
	for (i = 1; i < n / 2; i++)
		below = v[i] > below ? v[i] : below;
	return (below + v[n / 2]) / 2;
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

/* ---- what the range needs, in memory ---- */

struct tkt {
	int64_t id, created, resolved, due;	/* resolved 0: not resolved */
	int64_t first_response;			/* -1: none */
	int tier, reopened;
	const char *queue, *assignee;	/* in data.names; assignee NULL if none */
	bool linked;			/* has a resolved-by link */
	bool up_any;			/* ever escalated up; then: */
	int64_t first_up;		/* its first escalation up */
	bool up_from[NTIERS + 1];	/* escalated up from tier N; then: */
	int64_t last_up_from[NTIERS + 1];	/* the latest time */
	bool down_from[NTIERS + 1];	/* sent down from tier N; then: */
	int64_t last_down_from[NTIERS + 1];	/* the latest time */
	bool entered[NTIERS + 1];	/* escalated to N in the range; then: */
	int64_t entered_at[NTIERS + 1];	/* the first time in it */
	bool answered[NTIERS + 1];	/* N > 1 entered and answered; then: */
	int64_t answered_at[NTIERS + 1];	/* the first answer since entering */
};

struct data {
	struct tkt *t;
	size_t n;
	json_t *reasons[NTIERS + 1];	/* reason → escalations up from N in range */
	int64_t down_in_range[NTIERS + 1];	/* sent down from N in the range */
	json_t *escalated_by;		/* actor → escalations in range (kind escalate) */
	struct link { size_t ticket; const char *article; } *links;
	size_t nlinks;			/* resolved-by links of tickets resolved in range */
	json_t *created_at;		/* slug → its latest 'created' article event */
	json_t *names;			/* queue, agent and article names, once each */
};

/* s kept once in d->names (few distinct queues, agents, articles). */
static const char *
intern(struct data *d, const char *s)
{
	void *it;

	if (!s)
		return NULL;
	if (!(it = json_object_iter_at(d->names, s))) {
		json_object_set_new(d->names, s, json_true());
		it = json_object_iter_at(d->names, s);
	}
	/* the object's own copy of the key lives as long as d->names */
	return it ? json_object_iter_key(it) : NULL;
}

static void
data_release(struct data *d)
{
	size_t i;

	free(d->t);
	free(d->links);
	for (i = 0; i <= NTIERS; i++)
		json_decref(d->reasons[i]);
	json_decref(d->escalated_by);
	json_decref(d->created_at);
	json_decref(d->names);
	memset(d, 0, sizeof(*d));
}

static struct tkt *
find(struct data *d, int64_t id)
{
	size_t lo = 0, hi = d->n, mid;

	/* ids are mostly consecutive: where it would be without gaps, first */
	if (d->n && id >= d->t[0].id && (uint64_t)(id - d->t[0].id) < d->n &&
	    d->t[id - d->t[0].id].id == id)
		return &d->t[id - d->t[0].id];
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (d->t[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->n && d->t[lo].id == id ? &d->t[lo] : NULL;
}

static void
count(json_t *map, const char *key, json_int_t by)
{
	json_object_set_new(map, key, json_integer(json_integer_value(
	    json_object_get(map, key)) + by));
}

static bool
resolved_in(const struct tkt *t, const struct params *p)
{
	return t->resolved && t->resolved >= p->from && t->resolved < p->to;
}

/*
 * The tickets t that can count in the range: created before its end and
 * resolved in it or after it or not at all (which covers those created in
 * it and those open at its end), or escalated in it.
 */
#define RELEVANT \
	"t.created < ?2 AND (t.resolved IS NULL OR t.resolved >= ?1 OR t.id IN " \
	"(SELECT ticket_id FROM escalations WHERE at >= ?1 AND at < ?2))"

static int
load(struct store *st, const struct params *p, int tier_filter, struct data *d)
{
	struct params wanted = *p;
	sqlite3_stmt *q;
	struct tkt *t;
	size_t cap = 0, lcap = 0;
	int64_t at, id;
	int rc, from, to;
	const char *kind;
	bool up, in_range;

	memset(d, 0, sizeof(*d));
	for (from = 0; from <= NTIERS; from++)
		d->reasons[from] = json_object();
	d->escalated_by = json_object();
	d->created_at = json_object();
	d->names = json_object();
	if (prepare(st, "SELECT id, tier, created, coalesce(resolved, 0), "
	    "resolution_due, coalesce(first_response, -1), reopened, queue, assignee "
	    "FROM tickets t WHERE " RELEVANT " ORDER BY id", p, &q))
		return KB_EDB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (d->n == cap) {
			cap = cap ? cap * 2 : 1024;
			d->t = xrealloc(d->t, cap * sizeof(*d->t));
		}
		t = &d->t[d->n++];
		memset(t, 0, sizeof(*t));
		t->id = sqlite3_column_int64(q, 0);
		t->tier = sqlite3_column_int(q, 1);
		if (t->tier < 1 || t->tier > NTIERS)
			t->tier = 1;
		t->created = sqlite3_column_int64(q, 2);
		t->resolved = sqlite3_column_int64(q, 3);
		t->due = sqlite3_column_int64(q, 4);
		t->first_response = sqlite3_column_int64(q, 5);
		t->reopened = sqlite3_column_int(q, 6);
		t->queue = intern(d, (const char *)sqlite3_column_text(q, 7));
		t->assignee = intern(d, (const char *)sqlite3_column_text(q, 8));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return KB_EDB;
	/*
	 * every escalation (few): whether and when each ticket went up or down.
	 * In table order: what is kept is a count, a first or a latest time,
	 * which no order changes, and sorting them by ticket cost more than
	 * reading them. An escalation up to L2/L3 in the range comes with the
	 * first answer since (a comment, a status change, taking the ticket),
	 * found in the events index (ticket_id, at, kind, field) by the same
	 * statement rather than by a query per ticket; only the tiers asked
	 * for (?3).
	 */
	wanted.tier = tier_filter;
	if (prepare(st, "SELECT ticket_id, kind, from_tier, to_tier, at, reason, "
	    "actor, CASE WHEN kind IN ('escalate', 'auto') AND at >= ?1 AND "
	    "at < ?2 AND to_tier BETWEEN 2 AND 3 AND (?3 = 0 OR to_tier = ?3) THEN "
	    "(SELECT min(v.at) FROM events v WHERE v.ticket_id = e.ticket_id AND "
	    "v.at >= e.at AND (v.kind IN ('comment', 'status') OR (v.kind = "
	    "'field' AND v.field = 'assignee'))) END FROM escalations e", &wanted,
	    &q))
		return KB_EDB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		id = sqlite3_column_int64(q, 0);
		kind = (const char *)sqlite3_column_text(q, 1);
		from = sqlite3_column_int(q, 2);
		to = sqlite3_column_int(q, 3);
		at = sqlite3_column_int64(q, 4);
		up = strcmp(kind, "escalate") == 0 || strcmp(kind, "auto") == 0;
		in_range = at >= p->from && at < p->to;
		if (from < 1 || from > NTIERS || to < 1 || to > NTIERS)
			continue;
		if (up && in_range)
			count(d->reasons[from], (const char *)sqlite3_column_text(q, 5), 1);
		if (!up && strcmp(kind, "deescalate") == 0 && in_range)
			d->down_in_range[from]++;
		if (strcmp(kind, "escalate") == 0 && in_range && (!tier_filter ||
		    tier_filter == from))
			count(d->escalated_by, (const char *)sqlite3_column_text(q, 6), 1);
		if (!(t = find(d, id)))
			continue;
		if (up) {
			if (!t->up_any || at < t->first_up)
				t->first_up = at;
			t->up_any = true;
			if (!t->up_from[from] || at > t->last_up_from[from])
				t->last_up_from[from] = at;
			t->up_from[from] = true;
			if (in_range && (!t->entered[to] || at < t->entered_at[to])) {
				t->entered_at[to] = at;
				t->answered[to] = sqlite3_column_type(q, 7) !=
				    SQLITE_NULL;
				t->answered_at[to] = sqlite3_column_int64(q, 7);
			}
			t->entered[to] |= in_range;
		} else if (strcmp(kind, "deescalate") == 0) {
			if (!t->down_from[from] || at > t->last_down_from[from])
				t->last_down_from[from] = at;
			t->down_from[from] = true;
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return KB_EDB;
	/*
	 * the articles that resolved the tickets resolved in the range, which
	 * are in memory: the resolution time is checked there. Most links are
	 * resolved-by ones, so reading the table in order beats its relation
	 * index and a lookup per row.
	 */
	if (prepare(st, "SELECT ticket_id, article FROM ticket_links NOT INDEXED "
	    "WHERE relation = 'resolved-by'", p, &q))
		return KB_EDB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (!(t = find(d, sqlite3_column_int64(q, 0))) || !resolved_in(t, p))
			continue;
		t->linked = true;
		if (d->nlinks == lcap) {
			lcap = lcap ? lcap * 2 : 1024;
			d->links = xrealloc(d->links, lcap * sizeof(*d->links));
		}
		d->links[d->nlinks].ticket = (size_t)(t - d->t);
		d->links[d->nlinks++].article = intern(d, (const char *)
		    sqlite3_column_text(q, 1));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return KB_EDB;
	if (prepare(st, "SELECT slug, max(at) FROM article_events WHERE kind = "
	    "'created' GROUP BY slug", p, &q))
		return KB_EDB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		json_object_set_new(d->created_at, (const char *)sqlite3_column_text(q,
		    0), json_integer(sqlite3_column_int64(q, 1)));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? KB_OK : KB_EDB;
}

/* Created before the end of the range and not resolved by then. */
static bool
open_at_end(const struct tkt *t, const struct params *p)
{
	return t->created < p->to && (!t->resolved || t->resolved >= p->to);
}

/* ---- one tier ---- */

static int
cmp_reason(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t cx = json_integer_value(json_object_get(x, "count"));
	json_int_t cy = json_integer_value(json_object_get(y, "count"));

	if (cx != cy)
		return cx < cy ? 1 : -1;
	return strcmp(json_string_value(json_object_get(x, "reason")),
	    json_string_value(json_object_get(y, "reason")));
}

/* {key: n} → [{k0: key, k1: n}], ordered by cmp. */
static json_t *
ranked(json_t *map, const char *k0, const char *k1,
    int (*cmp)(const void *, const void *), size_t limit)
{
	json_t **v, *out = json_array(), *n;
	const char *key;
	size_t i = 0, len = json_object_size(map);

	v = xcalloc(len + 1, sizeof(*v));
	json_object_foreach(map, key, n)
		v[i++] = json_pack("{s:s, s:O}", k0, key, k1, n);
	qsort(v, len, sizeof(*v), cmp);
	for (i = 0; i < len; i++) {
		if (i < limit)
			json_array_append(out, v[i]);
		json_decref(v[i]);
	}
	free(v);
	return out;
}

static json_t *
tier_figures(const struct params *p, struct data *d)
{
	struct series ttr = { 0 }, resp = { 0 }, age = { 0 };
	double resolved = 0, fcr = 0, met = 0, reopened = 0, esc_n = 0;
	double entered = 0, went_up = 0, went_down = 0, oldest = 0;
	double buckets[4] = { 0, 0, 0, 0 };
	json_t *o, *reasons, *n;
	const struct tkt *t;
	const char *key;
	int T = p->tier;
	char name[16];
	int64_t since;
	size_t i;

	for (i = 0; i < d->n; i++) {
		t = &d->t[i];
		/* resolved at this tier in the range */
		if (t->tier == T && resolved_in(t, p)) {
			resolved++;
			series_add(&ttr, (double)(t->resolved - t->created));
			met += t->resolved <= t->due;
			reopened += t->reopened > 0;
			fcr += T == 1 ? !t->up_any : !t->up_from[T];
		}
		/* entered this tier in the range; later went up, or back down */
		if (T == 1 ? t->created >= p->from : t->entered[T]) {
			since = T == 1 ? t->created : t->entered_at[T];
			entered++;
			went_up += t->up_from[T] && t->last_up_from[T] >= since;
			went_down += T > 1 && t->down_from[T] &&
			    t->last_down_from[T] >= since;
			if (T == 1 && t->first_response >= 0)
				series_add(&resp, (double)(t->first_response - t->created));
			else if (T > 1 && t->answered[T])
				series_add(&resp, (double)(t->answered_at[T] - since));
		}
		/* open at the end of the range */
		if (t->tier == T && open_at_end(t, p)) {
			double a = (double)(p->at - t->created);
			series_add(&age, a);
			buckets[a < 86400 ? 0 : a < 3 * 86400 ? 1 : a < 7 * 86400 ? 2 : 3]++;
			oldest = a > oldest ? a : oldest;
		}
	}
	json_object_foreach(d->reasons[T], key, n)
		esc_n += (double)json_integer_value(n);
	reasons = ranked(d->reasons[T], "reason", "count", cmp_reason, (size_t)-1);
	snprintf(name, sizeof(name), "L%d", T);
	o = json_pack("{s:s, s:I, s:I, s:o, s:I, s:o, s:I, s:o, s:I, s:o, s:I, s:o,"
	    " s:o, s:I, s:o, s:o, s:o, s:I, s:o}",
	    "tier", name,
	    "entered", (json_int_t)entered,
	    "resolved", (json_int_t)resolved,
	    "first_contact_resolution", ratio(fcr, resolved),
	    "escalated", (json_int_t)went_up,
	    "escalation_rate", ratio(went_up, entered),
	    "escalations", (json_int_t)esc_n,
	    "escalation_reasons", reasons,
	    "deescalated", (json_int_t)went_down,
	    "deescalation_rate", T == 1 ? json_null() : ratio(went_down, entered),
	    "deescalations", (json_int_t)d->down_in_range[T],
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
	json_object_set_new(o, "backlog_oldest_seconds", age.n ?
	    json_integer((json_int_t)oldest) : json_null());
	json_object_set_new(o, "backlog_age", json_pack("{s:I, s:I, s:I, s:I}",
	    "under_1d", (json_int_t)buckets[0], "1d_3d", (json_int_t)buckets[1],
	    "3d_7d", (json_int_t)buckets[2], "over_7d", (json_int_t)buckets[3]));
	free(ttr.v);
	free(resp.v);
	free(age.v);
	return o;
}

/* ---- per queue and per agent ---- */

struct group {
	double resolved, ttr, met, reopened, backlog, escalations;
	bool has_resolved, has_backlog;
};

static struct group *
group_of(json_t *map, const char *key)
{
	json_t *v = json_object_get(map, key);
	struct group *g;

	if (v)
		return (struct group *)(uintptr_t)json_integer_value(v);
	g = xcalloc(1, sizeof(*g));
	json_object_set_new(map, key, json_integer((json_int_t)(uintptr_t)g));
	return g;
}

/* Rows with resolved tickets first, then those with a backlog, then the rest. */
static int
group_class(const struct group *g)
{
	return g->has_resolved ? 0 : g->has_backlog ? 1 : 2;
}

struct row_ref {
	const char *key;
	struct group *g;
};

static int
cmp_by_name(const void *a, const void *b)
{
	const struct row_ref *x = a, *y = b;

	if (group_class(x->g) != group_class(y->g))
		return group_class(x->g) - group_class(y->g);
	return strcmp(x->key, y->key);
}

static int
cmp_by_resolved(const void *a, const void *b)
{
	const struct row_ref *x = a, *y = b;

	if (group_class(x->g) != group_class(y->g))
		return group_class(x->g) - group_class(y->g);
	if (x->g->resolved != y->g->resolved)
		return x->g->resolved < y->g->resolved ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* The rows of a grouping, freeing its groups. */
static json_t *
group_rows(json_t *map, const char *keyname, bool agents)
{
	size_t n = json_object_size(map), i = 0;
	struct row_ref *rows = xcalloc(n + 1, sizeof(*rows));
	json_t *out = json_array(), *v, *o;
	const char *key;
	struct group *g;

	json_object_foreach(map, key, v) {
		rows[i].key = key;
		rows[i++].g = (struct group *)(uintptr_t)json_integer_value(v);
	}
	qsort(rows, n, sizeof(*rows), agents ? cmp_by_resolved : cmp_by_name);
	for (i = 0; i < n; i++) {
		g = rows[i].g;
		o = json_pack("{s:s, s:I}", keyname, rows[i].key, "resolved",
		    (json_int_t)g->resolved);
		if (g->has_resolved) {
			json_object_set_new(o, "mttr_seconds", json_integer(
			    (json_int_t)llround(g->ttr / g->resolved)));
			json_object_set_new(o, "sla_met", json_real(g->met / g->resolved));
			json_object_set_new(o, "reopen_rate", json_real(g->reopened /
			    g->resolved));
		} else {
			json_object_set_new(o, "mttr_seconds", json_null());
			json_object_set_new(o, "sla_met", json_null());
			json_object_set_new(o, "reopen_rate", json_null());
		}
		json_object_set_new(o, "backlog", json_integer((json_int_t)g->backlog));
		json_object_set_new(o, "escalations", json_integer(
		    (json_int_t)g->escalations));
		json_array_append_new(out, o);
		free(g);
	}
	free(rows);
	return out;
}

static void
tables(const struct params *p, struct data *d, json_t *out)
{
	json_t *by_q = json_object(), *by_a = json_object(), *n;
	struct group *g;
	const struct tkt *t;
	const char *key;
	size_t i, k;

	for (i = 0; i < d->n; i++) {
		t = &d->t[i];
		if ((p->tier && t->tier != p->tier) ||
		    (!resolved_in(t, p) && !open_at_end(t, p)))
			continue;
		for (k = 0; k < 2; k++) {
			/* by queue, then by assignee */
			if (k == 1 && !t->assignee)
				break;
			g = group_of(k ? by_a : by_q, k ? t->assignee : t->queue);
			if (resolved_in(t, p)) {
				g->has_resolved = true;
				g->resolved++;
				g->ttr += (double)(t->resolved - t->created);
				g->met += t->resolved <= t->due;
				g->reopened += t->reopened > 0;
			}
			if (open_at_end(t, p)) {
				g->has_backlog = true;
				g->backlog++;
			}
		}
	}
	json_object_foreach(d->escalated_by, key, n)
		group_of(by_a, key)->escalations += (double)json_integer_value(n);
	json_object_set_new(out, "queues", group_rows(by_q, "queue", false));
	json_object_set_new(out, "agents", group_rows(by_a, "agent", true));
	json_decref(by_q);
	json_decref(by_a);
}

/* ---- knowledge ---- */

static int
cmp_top(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t cx = json_integer_value(json_object_get(x, "tickets"));
	json_int_t cy = json_integer_value(json_object_get(y, "tickets"));

	if (cx != cy)
		return cx < cy ? 1 : -1;
	return strcmp(json_string_value(json_object_get(x, "slug")),
	    json_string_value(json_object_get(y, "slug")));
}

static int
knowledge(struct store *st, const struct params *p, struct data *d,
    json_t **out)
{
	double votes[2], from_tickets[1], searches[2], flags[2];
	double resolved = 0, linked = 0, escalated = 0, links = 0, missed = 0;
	json_t *per_article = json_object(), *gaps = json_array(), *top;
	json_t *missed_list = json_array(), *created;
	const struct tkt *t;
	char *missed_seen;
	sqlite3_stmt *q;
	char tid[16];
	size_t i;
	int rc;

	*out = NULL;
	for (i = 0; i < d->n; i++) {
		t = &d->t[i];
		if (!resolved_in(t, p))
			continue;
		resolved++;
		linked += t->linked;
		escalated += t->up_any;
	}
	/* links of tickets resolved in the range; missed deflection among them */
	missed_seen = xcalloc(d->n + 1, 1);
	for (i = 0; i < d->nlinks; i++) {
		t = &d->t[d->links[i].ticket];
		if (!resolved_in(t, p))
			continue;
		links++;
		count(per_article, d->links[i].article, 1);
		/* the article was there at the first escalation: not created after it */
		created = json_object_get(d->created_at, d->links[i].article);
		if (t->up_any && !missed_seen[t - d->t] &&
		    (!created || json_integer_value(created) <= t->first_up)) {
			missed_seen[t - d->t] = 1;
			missed++;
		}
	}
	for (i = 0; i < d->n && json_array_size(missed_list) < MISSED_LIST; i++)
		if (missed_seen[i]) {
			tickets_format_id(d->t[i].id, tid);
			json_array_append_new(missed_list, json_string(tid));
		}
	free(missed_seen);
	top = ranked(per_article, "slug", "tickets", cmp_top, TOP_N);
	rc = row(st, "SELECT coalesce(sum(helpful), 0), count(*) FROM article_votes "
	    "WHERE at >= ?1 AND at < ?2", p, votes, 2) ||
	    row(st, "SELECT count(*) FROM ticket_links WHERE relation = "
	    "'created-from' AND at >= ?1 AND at < ?2", p, from_tickets, 1) ||
	    row(st, "SELECT count(*), (SELECT count(*) FROM search_opens WHERE "
	    "sid >= ?1 << 20 AND sid < ?2 << 20) FROM search_log WHERE at >= ?1 AND "
	    "at < ?2 AND sid IS NOT NULL", p, searches, 2) ||
	    row(st, "SELECT count(*), coalesce(?4 - min(created_at), 0) FROM "
	    "article_flags WHERE resolved_at IS NULL AND created_at < ?2", p, flags, 2);
	if (!rc && !(rc = prepare(st, "SELECT lower(query), count(*) FROM search_log "
	    "WHERE results = 0 AND at >= ?1 AND at < ?2 GROUP BY lower(query) "
	    "ORDER BY count(*) DESC, lower(query) LIMIT 10", p, &q))) {
		while ((rc = sqlite3_step(q)) == SQLITE_ROW)
			json_array_append_new(gaps, json_pack("{s:s, s:I}", "query",
			    (const char *)sqlite3_column_text(q, 0), "count",
			    (json_int_t)sqlite3_column_int64(q, 1)));
		sqlite3_finalize(q);
		rc = rc == SQLITE_DONE ? KB_OK : KB_EDB;
	}
	if (rc) {
		json_decref(per_article);
		json_decref(gaps);
		json_decref(top);
		json_decref(missed_list);
		return KB_EDB;
	}
	*out = json_pack("{s:I, s:I, s:o, s:I, s:I, s:o, s:o, s:I, s:I, s:o, s:I,"
	    " s:I, s:I, s:o, s:o, s:I, s:o, s:I, s:I, s:o, s:o}",
	    "resolved", (json_int_t)resolved,
	    "linked", (json_int_t)linked,
	    "link_rate", ratio(linked, resolved),
	    "links", (json_int_t)links,
	    "articles_used", (json_int_t)json_object_size(per_article),
	    "reuse", ratio(links, (double)json_object_size(per_article)),
	    "top_articles", top,
	    "votes_helpful", (json_int_t)votes[0],
	    "votes", (json_int_t)votes[1],
	    "helpfulness", ratio(votes[0], votes[1]),
	    "articles_from_tickets", (json_int_t)from_tickets[0],
	    "searches", (json_int_t)searches[0],
	    "searches_opened", (json_int_t)searches[1],
	    "search_success", ratio(fmin(searches[1], searches[0]), searches[0]),
	    "gaps", gaps,
	    "flags_open", (json_int_t)flags[0],
	    "flags_oldest_age_seconds", flags[0] > 0 ?
	    json_integer((json_int_t)flags[1]) : json_null(),
	    "escalated_resolved", (json_int_t)escalated,
	    "missed_deflection", (json_int_t)missed,
	    "missed_deflection_rate", ratio(missed, escalated),
	    "missed_deflection_tickets", missed_list);
	json_decref(per_article);
	return KB_OK;
}

int
metrics_compute(struct store *st, const struct metrics_range *mr, time_t now,
    json_t **out)
{
	struct params p = { mr->from, mr->to, 0, mr->to < (int64_t)now ? mr->to :
	    (int64_t)now };
	struct data d;
	json_t *o, *k = NULL;
	char from[32], to[32], name[16];
	int tier, rc;

	*out = NULL;
	tickets_iso_time((time_t)mr->from, from);
	tickets_iso_time((time_t)mr->to, to);
	o = json_pack("{s:s, s:s}", "from", from, "to", to);
	/* one read transaction: every figure sees the same data */
	sqlite3_exec(store_db(st), "BEGIN", NULL, NULL, NULL);
	rc = load(st, &p, mr->tier, &d);
	for (tier = 1; tier <= NTIERS && !rc; tier++) {
		if (mr->tier && mr->tier != tier)
			continue;
		p.tier = tier;
		snprintf(name, sizeof(name), "L%d", tier);
		json_object_set_new(o, name, tier_figures(&p, &d));
	}
	p.tier = mr->tier;
	if (!rc)
		tables(&p, &d, o);
	if (!rc && !(rc = knowledge(st, &p, &d, &k)))
		json_object_set_new(o, "knowledge", k);
	sqlite3_exec(store_db(st), "COMMIT", NULL, NULL, NULL);
	data_release(&d);
	if (rc) {
		kb_log(LOG_ERR, "metrics: %s", sqlite3_errmsg(store_db(st)));
		json_decref(o);
		return KB_EDB;
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
