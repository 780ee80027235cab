/*
 * telemetry.c - see telemetry.h.
 */
#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "err.h"
#include "http.h"
#include "hub.h"
#include "kbd.h"
#include "search.h"
#include "store.h"
#include "telemetry.h"
#include "banned.h"

/* Upper bounds of the latency buckets, in seconds (le="…"). */
static const double bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
	0.25, 0.5, 1, 2.5 };
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))

static const char *const classes[] = { "1xx", "2xx", "3xx", "4xx", "5xx" };
static const char *const methods[] = { "read", "write" };	/* GET/HEAD, other */

static _Atomic uint64_t requests[2][5];
static _Atomic uint64_t buckets[NBOUNDS + 1];	/* the last is +Inf */
static _Atomic uint64_t usec_sum;
static _Atomic uint64_t count;

void
telemetry_request(const char *method, unsigned status, uint64_t usec)
{
	int m = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ? 0 : 1;
	int c = status >= 100 && status < 600 ? (int)(status / 100) - 1 : 4;
	size_t b;

	atomic_fetch_add_explicit(&requests[m][c], 1, memory_order_relaxed);
	for (b = 0; b < NBOUNDS && (double)usec / 1e6 > bounds[b]; b++)
		;
	atomic_fetch_add_explicit(&buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&usec_sum, usec, memory_order_relaxed);
	atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
}

/* Bytes of the files in dir (a Xapian database is one flat folder). */
static uint64_t
dir_bytes(const char *dir)
{
	struct buf path;
	struct dirent *de;
	struct stat sb;
	uint64_t total = 0;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	buf_init(&path, 8192);
	while ((de = readdir(d))) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, de->d_name);
		if (stat(buf_str(&path), &sb) == 0 && S_ISREG(sb.st_mode))
			total += (uint64_t)sb.st_size;
	}
	closedir(d);
	buf_release(&path);
	return total;
}

void
page_metrics(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct buf *b = &resp->body;
	unsigned docs = 0, with_faq = 0;
	uint64_t cum = 0, rev = 0;
	sqlite3_stmt *q;
	size_t i, m, c;

	buf_reset(b);
	buf_puts(b, "# HELP kbd_http_requests_total Requests answered, by method "
	    "(read: GET/HEAD) and status class.\n# TYPE kbd_http_requests_total "
	    "counter\n");
	for (m = 0; m < 2; m++)
		for (c = 0; c < 5; c++)
			buf_printf(b, "kbd_http_requests_total{method=\"%s\",status=\"%s\"} "
			    "%llu\n", methods[m], classes[c], (unsigned long long)
			    atomic_load_explicit(&requests[m][c], memory_order_relaxed));
	buf_puts(b, "# HELP kbd_http_request_duration_seconds Time from the "
	    "request to the response being queued.\n# TYPE "
	    "kbd_http_request_duration_seconds histogram\n");
	for (i = 0; i <= NBOUNDS; i++) {
		cum += atomic_load_explicit(&buckets[i], memory_order_relaxed);
		if (i < NBOUNDS)
			buf_printf(b, "kbd_http_request_duration_seconds_bucket{le=\"%g\"} "
			    "%llu\n", bounds[i], (unsigned long long)cum);
		else
			buf_printf(b, "kbd_http_request_duration_seconds_bucket{le=\"+Inf\"}"
			    " %llu\n", (unsigned long long)cum);
	}
	buf_printf(b, "kbd_http_request_duration_seconds_sum %.6f\n"
	    "kbd_http_request_duration_seconds_count %llu\n",
	    (double)atomic_load(&usec_sum) / 1e6,
	    (unsigned long long)atomic_load(&count));
	if (r->search && search_stats(r->search, &docs, &with_faq, &rev) == KB_OK)
		buf_printf(b, "# HELP kbd_index_documents Articles in the index.\n"
		    "# TYPE kbd_index_documents gauge\nkbd_index_documents %u\n"
		    "# HELP kbd_index_revision The index's committed revision.\n"
		    "# TYPE kbd_index_revision gauge\nkbd_index_revision %llu\n",
		    docs, (unsigned long long)rev);
	buf_printf(b, "# HELP kbd_event_streams Open live-update streams.\n"
	    "# TYPE kbd_event_streams gauge\nkbd_event_streams %u\n",
	    kbd->hub ? hub_streams(kbd->hub) : 0);
	buf_printf(b, "# HELP kbd_index_bytes Size of the index on disk.\n"
	    "# TYPE kbd_index_bytes gauge\nkbd_index_bytes %llu\n",
	    (unsigned long long)dir_bytes(kbd->cfg.index_dir));
	if (r->store && sqlite3_prepare_v2(store_db(r->store), "SELECT status, "
	    "count(*) FROM tickets GROUP BY status ORDER BY status", -1, &q,
	    NULL) == SQLITE_OK) {
		buf_puts(b, "# HELP kbd_tickets Tickets by status.\n"
		    "# TYPE kbd_tickets gauge\n");
		while (sqlite3_step(q) == SQLITE_ROW)
			buf_printf(b, "kbd_tickets{status=\"%s\"} %lld\n",
			    (const char *)sqlite3_column_text(q, 0),
			    (long long)sqlite3_column_int64(q, 1));
		sqlite3_finalize(q);
	}
	resp->status = 200;
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
