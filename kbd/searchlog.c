/*
 * searchlog.c - see searchlog.h.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "log.h"
#include "searchlog.h"
#include "store.h"
#include "util.h"
#include "banned.h"

#define QUEUE_MAX 4096		/* entries waiting to be written */
#define QUERY_LOG_MAX 256	/* bytes of a query kept */

struct entry {
	time_t at;
	char *query;
	unsigned results;
	int64_t sid;		/* a results page's id, 0 for the API */
};

struct searchlog {
	struct store *store;		/* the writer thread's own connection */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* to the writer: stop or flush */
	pthread_cond_t written;		/* from the writer: a batch is stored */
	struct entry queue[QUEUE_MAX];
	size_t n;			/* queued, under lock */
	unsigned long dropped;		/* queue full */
	unsigned long batches;		/* batches written, under lock */
	bool stopping;
	bool flush_wanted;
};

static void
write_batch(struct searchlog *log, struct entry *batch, size_t n)
{
	sqlite3 *db = store_db(log->store);
	sqlite3_stmt *st = NULL;
	size_t i;

	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO search_log(at, query, results, sid) "
	    "VALUES (?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK) {
		kb_log(LOG_ERR, "search log: %s", sqlite3_errmsg(db));
		goto out;
	}
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)batch[i].at);
		sqlite3_bind_text(st, 2, batch[i].query, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, (int)batch[i].results);
		if (batch[i].sid)
			sqlite3_bind_int64(st, 4, batch[i].sid);
		else
			sqlite3_bind_null(st, 4);
		if (sqlite3_step(st) != SQLITE_DONE)
			kb_log(LOG_ERR, "search log: %s", sqlite3_errmsg(db));
		sqlite3_reset(st);
	}
out:
	sqlite3_finalize(st);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	for (i = 0; i < n; i++)
		free(batch[i].query);
}

static void *
writer(void *arg)
{
	struct searchlog *log = arg;
	struct entry *batch = xcalloc(QUEUE_MAX, sizeof(*batch));
	struct timespec deadline;
	size_t n;
	bool stop;

	pthread_mutex_lock(&log->lock);
	for (;;) {
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += 1;
		while (!log->stopping && !log->flush_wanted &&
		    pthread_cond_timedwait(&log->wake, &log->lock, &deadline) == 0)
			;
		n = log->n;
		memcpy(batch, log->queue, n * sizeof(*batch));
		log->n = 0;
		log->flush_wanted = false;
		stop = log->stopping;
		pthread_mutex_unlock(&log->lock);
		if (n)
			write_batch(log, batch, n);
		pthread_mutex_lock(&log->lock);
		log->batches++;
		pthread_cond_broadcast(&log->written);
		if (stop && !log->n)
			break;
	}
	pthread_mutex_unlock(&log->lock);
	free(batch);
	return NULL;
}

int
searchlog_start(const char *path, struct searchlog **out, char **errmsg)
{
	struct searchlog *log = xcalloc(1, sizeof(*log));
	int rc;

	*out = NULL;
	rc = store_open(path, &log->store, errmsg);
	if (rc) {
		free(log);
		return rc;
	}
	pthread_mutex_init(&log->lock, NULL);
	pthread_cond_init(&log->wake, NULL);
	pthread_cond_init(&log->written, NULL);
	if (pthread_create(&log->thread, NULL, writer, log) != 0) {
		store_close(log->store);
		free(log);
		return KB_ENOMEM;
	}
	*out = log;
	return KB_OK;
}

void
searchlog_stop(struct searchlog *log)
{
	if (!log)
		return;
	pthread_mutex_lock(&log->lock);
	log->stopping = true;
	pthread_cond_signal(&log->wake);
	pthread_mutex_unlock(&log->lock);
	pthread_join(log->thread, NULL);
	if (log->dropped)
		kb_log(LOG_WARNING, "search log: %lu entries dropped (queue full)",
		    log->dropped);
	store_close(log->store);
	pthread_mutex_destroy(&log->lock);
	pthread_cond_destroy(&log->wake);
	pthread_cond_destroy(&log->written);
	free(log);
}

void
searchlog_add(struct searchlog *log, const char *query, unsigned results,
    int64_t sid)
{
	size_t len = strlen(query);

	while (len && (query[len - 1] == ' ' || query[len - 1] == '\t'))
		len--;
	while (len && (*query == ' ' || *query == '\t')) {
		query++;
		len--;
	}
	if (!log || !len)
		return;
	if (len > QUERY_LOG_MAX) {
		len = QUERY_LOG_MAX;
		while (len && ((unsigned char)query[len] & 0xC0) == 0x80)
			len--;	/* keep UTF-8 whole */
	}
	pthread_mutex_lock(&log->lock);
	if (log->n < QUEUE_MAX) {
		log->queue[log->n].at = time(NULL);
		log->queue[log->n].query = xstrndup(query, len);
		log->queue[log->n].results = results;
		log->queue[log->n].sid = sid;
		log->n++;
	} else {
		log->dropped++;
	}
	pthread_mutex_unlock(&log->lock);
}

void
searchlog_flush(struct searchlog *log)
{
	unsigned long target;

	if (!log)
		return;
	pthread_mutex_lock(&log->lock);
	target = log->batches + 1;
	log->flush_wanted = true;
	pthread_cond_signal(&log->wake);
	while (log->batches < target)
		pthread_cond_wait(&log->written, &log->lock);
	pthread_mutex_unlock(&log->lock);
}

int
searchlog_gaps(struct store *st, unsigned days, unsigned limit, json_t **out)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q = NULL, *totals = NULL;
	sqlite3_int64 since = (sqlite3_int64)time(NULL) - (sqlite3_int64)days * 86400;
	json_t *gaps = json_array();
	time_t last;
	struct tm tm;
	char when[32];
	int rc = KB_EDB;

	*out = NULL;
	if (sqlite3_prepare_v2(db, "SELECT count(*), coalesce(sum(results = 0), 0) "
	    "FROM search_log WHERE at >= ?", -1, &totals, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT min(query), count(*), max(at) "
	    "FROM search_log WHERE results = 0 AND at >= ? "
	    "GROUP BY lower(query) ORDER BY count(*) DESC, max(at) DESC LIMIT ?",
	    -1, &q, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(totals, 1, since);
	sqlite3_bind_int64(q, 1, since);
	sqlite3_bind_int(q, 2, (int)limit);
	if (sqlite3_step(totals) != SQLITE_ROW)
		goto out;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		last = (time_t)sqlite3_column_int64(q, 2);
		gmtime_r(&last, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		json_array_append_new(gaps, json_pack("{s:s, s:i, s:s}",
		    "query", (const char *)sqlite3_column_text(q, 0),
		    "count", sqlite3_column_int(q, 1), "last_seen", when));
	}
	if (rc != SQLITE_DONE) {
		rc = KB_EDB;
		goto out;
	}
	*out = json_pack("{s:i, s:I, s:I, s:O}", "days", (int)days,
	    "total_searches", (json_int_t)sqlite3_column_int64(totals, 0),
	    "zero_result_searches", (json_int_t)sqlite3_column_int64(totals, 1),
	    "gaps", gaps);
	rc = KB_OK;
out:
	if (rc)
		kb_log(LOG_ERR, "gaps: %s", sqlite3_errmsg(db));
	json_decref(gaps);
	sqlite3_finalize(q);
	sqlite3_finalize(totals);
	return rc;
}

int
searchlog_opened(struct store *st, int64_t sid)
{
	sqlite3_stmt *q;
	int rc;

	/* only the id of a results page of the last week (see page_search()) */
	if (sid <= 0 || (sid >> 20) > (int64_t)time(NULL) + 60 ||
	    (sid >> 20) < (int64_t)time(NULL) - 7 * 86400)
		return KB_EINVAL;
	if (sqlite3_prepare_v2(store_db(st), "INSERT OR IGNORE INTO search_opens "
	    "(sid, at) VALUES (?1, ?2)", -1, &q, NULL) != SQLITE_OK)
		return KB_EDB;
	sqlite3_bind_int64(q, 1, sid);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(q) == SQLITE_DONE ? KB_OK : KB_EDB;
	sqlite3_finalize(q);
	return rc;
}
