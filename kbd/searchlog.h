/*
 * searchlog.h - every search is logged (the query as typed, the number of
 * results, the time; no user, no address) so that queries that find
 * nothing can be shown to L2/L3 as knowledge gaps.
 *
 * Logging never slows a search down: searchlog_add() copies the entry into
 * a bounded in-memory queue and a writer thread stores the queue in one
 * transaction about once a second (and at shutdown). If the queue is full
 * the entry is dropped and counted. A kill -9 may lose the last second of
 * log entries, never a ticket or an article.
 */
#ifndef KB_SEARCHLOG_H
#define KB_SEARCHLOG_H

#include <stdint.h>

#include <jansson.h>

struct searchlog;
struct store;

/* Start the writer on the database at path (opened with store_open()). */
int searchlog_start(const char *path, struct searchlog **out, char **errmsg);
/* Write what is queued and stop the writer. */
void searchlog_stop(struct searchlog *log);
/*
 * Queue one search (thread-safe). sid is the random id of a results page
 * (its links carry ?from=sid), 0 for an API search.
 */
void searchlog_add(struct searchlog *log, const char *query, unsigned results,
    int64_t sid);
/*
 * A result of the results page sid was opened (once per page counts): the
 * numerator of "search success" (metrics.h). A sid is the page's time
 * shifted left 20 bits plus 20 random bits; one older than a week or from
 * the future is refused. No user, no address.
 */
int searchlog_opened(struct store *st, int64_t sid);
/* Block until everything queued so far is stored (for tests and shutdown). */
void searchlog_flush(struct searchlog *log);

/*
 * Knowledge gaps from the store: queries with no results in the last days
 * (grouped case-insensitively, most frequent first, at most limit), as
 * {"days","total_searches","zero_result_searches","gaps":[{query,count,
 * last_seen}]}; *out is a new object.
 */
int searchlog_gaps(struct store *st, unsigned days, unsigned limit,
    json_t **out);

#endif
