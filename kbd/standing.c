/*
 * standing.c - see standing.h.
 */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "feedback.h"
#include "log.h"
#include "standing.h"
#include "store.h"
#include "util.h"
#include "banned.h"

/* Articles with helpful votes read at most (more are left out, logged). */
#define STANDING_ROWS_MAX (1u << 20)

struct standing_row {
	char *slug;
	double standing;
	int64_t helpful, votes;
};

/* One read of the votes: rows sorted by slug (bytewise), never changed. */
struct standing {
	atomic_uint refs;
	struct standing_row *rows;
	size_t n;
};

struct standing_cache {
	pthread_mutex_t lock;
	struct standing *table;		/* the last read, or NULL: none */
	unsigned long read_at;		/* feedback_votes_changed() then, or
					   NEVER_READ */
};

#define NEVER_READ ULONG_MAX

double
standing_score(int64_t helpful, int64_t not_helpful)
{
	const double z = 1.96, z2 = z * z;	/* 95 % */
	double n = (double)helpful + (double)not_helpful, p;

	if (helpful <= 0 || n <= 0)
		return 0;
	p = (double)helpful / n;
	return (p + z2 / (2 * n) -
	    z * sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

void
standing_unref(struct standing *t)
{
	size_t i;

	if (!t || atomic_fetch_sub(&t->refs, 1) != 1)
		return;
	for (i = 0; i < t->n; i++)
		free(t->rows[i].slug);
	free(t->rows);
	free(t);
}

struct standing_cache *
standing_cache_new(void)
{
	struct standing_cache *c = xcalloc(1, sizeof(*c));

	pthread_mutex_init(&c->lock, NULL);
	c->read_at = NEVER_READ;
	return c;
}

void
standing_cache_free(struct standing_cache *c)
{
	if (!c)
		return;
	standing_unref(c->table);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/*
 * The articles with a helpful vote in st, as a new table (refs 1), or NULL
 * with *ok true if there are none, false if the votes could not be read.
 */
static struct standing *
read_votes(struct store *st, bool *ok)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q;
	struct standing *t;
	const char *slug;
	size_t alloc = 0;
	int rc;

	*ok = false;
	/* ORDER BY slug is bytewise (BINARY), as strcmp() searches it */
	if (sqlite3_prepare_v2(db, "SELECT slug, sum(helpful), "
	    "count(*) - sum(helpful) FROM article_votes GROUP BY slug "
	    "HAVING sum(helpful) > 0 ORDER BY slug", -1, &q, NULL) != SQLITE_OK) {
		kb_log(LOG_ERR, "article standings: %s", sqlite3_errmsg(db));
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	atomic_init(&t->refs, 1);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (t->n == STANDING_ROWS_MAX) {
			kb_log(LOG_WARNING, "article standings: more than %u "
			    "articles with helpful votes; the rest are left out",
			    STANDING_ROWS_MAX);
			rc = SQLITE_DONE;
			break;
		}
		slug = (const char *)sqlite3_column_text(q, 0);
		if (!slug)
			continue;
		if (t->n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			t->rows = xrealloc(t->rows, alloc * sizeof(*t->rows));
		}
		t->rows[t->n].slug = xstrdup(slug);
		t->rows[t->n].helpful = sqlite3_column_int64(q, 1);
		t->rows[t->n].votes = t->rows[t->n].helpful +
		    sqlite3_column_int64(q, 2);
		t->rows[t->n].standing = standing_score(t->rows[t->n].helpful,
		    t->rows[t->n].votes - t->rows[t->n].helpful);
		t->n++;
	}
	if (rc != SQLITE_DONE)
		kb_log(LOG_ERR, "article standings: %s", sqlite3_errmsg(db));
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE || !t->n) {
		standing_unref(t);
		*ok = rc == SQLITE_DONE;
		return NULL;
	}
	*ok = true;
	return t;
}

static int
cmp_row(const void *key, const void *row)
{
	return strcmp(key, ((const struct standing_row *)row)->slug);
}

static const struct standing_row *
find_row(const struct standing *t, const char *slug)
{
	return t && slug ? bsearch(slug, t->rows, t->n, sizeof(*t->rows),
	    cmp_row) : NULL;
}

/* search_prior.standing over a struct standing */
static double
standing_of(void *ctx, const char *slug)
{
	const struct standing_row *r = find_row(ctx, slug);

	return r ? r->standing : 0;
}

void
standing_votes(const struct standing *t, const char *slug, int64_t *helpful,
    int64_t *votes)
{
	const struct standing_row *r = find_row(t, slug);

	*helpful = r ? r->helpful : 0;
	*votes = r ? r->votes : 0;
}

struct standing *
standing_prior(struct standing_cache *c, struct store *st,
    struct search_prior *prior)
{
	struct standing *t, *fresh;
	unsigned long now;
	bool ok;

	memset(prior, 0, sizeof(*prior));
	if (!c)
		return NULL;
	pthread_mutex_lock(&c->lock);
	now = feedback_votes_changed();
	if (st && now != c->read_at) {
		/* once a vote: the read is one GROUP BY over the votes */
		fresh = read_votes(st, &ok);
		if (ok) {
			standing_unref(c->table);
			c->table = fresh;
		}
		/* a failed read is not retried before the next vote */
		c->read_at = now;
	}
	t = c->table;
	if (t)
		atomic_fetch_add(&t->refs, 1);
	pthread_mutex_unlock(&c->lock);
	if (t) {
		prior->standing = standing_of;
		prior->ctx = t;
	}
	return t;
}
