/*
 * inproc.c - the in-process search rate: kbd's own search code
 * (search_run(), as /api/v1/search calls it) on N threads, no HTTP, so that
 * scripts/bench.sh can set the wrk figures against what the search code
 * alone does on the same index and queries.
 *
 *   bench-search --index DIR --threads N --seconds S [--limit 10] [--answer] FILE
 *
 * FILE has one query per line: plain UTF-8 text, not URL-encoded; empty
 * lines are skipped. A line that is a wrk request path of scripts/bench.sh
 * ("/api/v1/search?q=outlook%20crash") is taken as its decoded q parameter,
 * so the paths file works too.
 *
 * Each thread opens its own index reader (Xapian handles are per thread),
 * then, once all are open, cycles through the queries from its own starting
 * point, calling search_run() with offset 0 and the limit (10, the API's
 * default page) and search_result_release(), until S seconds have passed.
 * With --answer each search also writes the API's JSON answer into a
 * buffer, as /api/v1/search does after search_run()
 * (view_search_write(), kbd/view.c): all of a request's
 * work but HTTP. Each call is timed with CLOCK_MONOTONIC. Prints one line:
 *
 *   inproc_threads=N inproc_queries=TOTAL inproc_rps=X inproc_p50_ms=X
 *   inproc_p99_ms=X inproc_failures=N
 *
 * where TOTAL counts every call made (failed ones too, as wrk counts non-2xx
 * answers) and rps is TOTAL over the wall time of the timed part.
 * Exit: 0 done, 1 some search_run() failed (counted and shown), 2 usage
 * error, unreadable query file or index that cannot be opened.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "html.h"
#include "search.h"
#include "snapshot.h"
#include "util.h"
#include "view.h"
#include "banned.h"

#define THREADS_MAX 256
#define SECONDS_MAX 86400
#define FAILURES_SHOWN 5	/* distinct failing queries kept per thread */
#define QUERY_SHOWN 80		/* bytes of a failing query shown */

struct queries {
	char **v;
	size_t n;
};

struct worker {
	pthread_t tid;
	const char *index;
	struct snapshot_cache *cache;	/* shared by the threads, as in kbd */
	const struct queries *qs;
	size_t start;		/* first query */
	unsigned limit;
	bool answer;		/* also build and write the API's answer */
	pthread_barrier_t *ready;
	atomic_bool *stop;

	/* results */
	int open_rc;		/* search_open() status */
	char *open_err;
	double *lat_ms;		/* one per call */
	size_t nlat, alloc;
	unsigned long calls, failures;
	bool nomem;
	size_t shown[FAILURES_SHOWN];	/* query indexes of failures shown */
	int shown_rc[FAILURES_SHOWN];
	size_t nshown;
};

static void
usage(void)
{
	fputs("usage: bench-search --index DIR --threads N --seconds S "
	    "[--limit 10] [--answer] PATHS_OR_QUERIES_FILE\n", stderr);
}

/*
 * If line is a request path with a q parameter, replace it (in place; the
 * result is never longer) by the URL-decoded value of q.
 */
static void
path_to_query(char *line)
{
	struct buf decoded;
	char *q;
	size_t n;

	if (line[0] != '/' || strchr(line, ' '))
		return;
	q = strstr(line, "?q=");
	if (!q) {
		q = strstr(line, "&q=");
		if (!q || !strchr(line, '?') || strchr(line, '?') > q)
			return;
	}
	q += 3;
	n = strcspn(q, "&");
	buf_init(&decoded, n + 1);
	if (url_decode_buf(&decoded, q, n) && !decoded.err)
		memcpy(line, buf_str(&decoded), decoded.len + 1);	/* never longer */
	buf_release(&decoded);
}

/* Read the non-empty lines of path into qs. Returns 0, or -1 (reported). */
static int
load_queries(const char *path, struct queries *qs)
{
	FILE *f;
	char *line = NULL, **v;
	size_t cap = 0, alloc = 0;
	ssize_t len;
	int rc = 0;

	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "bench-search: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		path_to_query(line);
		if (!line[0])
			continue;
		if (qs->n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			v = realloc(qs->v, alloc * sizeof(*v));
			if (!v) {
				fputs("bench-search: out of memory\n", stderr);
				rc = -1;
				break;
			}
			qs->v = v;
		}
		qs->v[qs->n] = strdup(line);
		if (!qs->v[qs->n]) {
			fputs("bench-search: out of memory\n", stderr);
			rc = -1;
			break;
		}
		qs->n++;
	}
	if (rc == 0 && ferror(f)) {
		fprintf(stderr, "bench-search: %s: read error\n", path);
		rc = -1;
	}
	free(line);
	if (fclose(f) != 0 && rc == 0) {
		fprintf(stderr, "bench-search: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && qs->n == 0) {
		fprintf(stderr, "bench-search: no queries in %s\n", path);
		rc = -1;
	}
	return rc;
}

static void
queries_release(struct queries *qs)
{
	size_t i;

	for (i = 0; i < qs->n; i++)
		free(qs->v[i]);
	free(qs->v);
	memset(qs, 0, sizeof(*qs));
}

static double
elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static bool
lat_add(struct worker *w, double ms)
{
	double *v;

	if (w->nlat == w->alloc) {
		size_t alloc = w->alloc ? w->alloc * 2 : 4096;

		v = realloc(w->lat_ms, alloc * sizeof(*v));
		if (!v)
			return false;
		w->lat_ms = v;
		w->alloc = alloc;
	}
	w->lat_ms[w->nlat++] = ms;
	return true;
}

static void
note_failure(struct worker *w, size_t qi, int rc)
{
	size_t i;

	w->failures++;
	for (i = 0; i < w->nshown; i++)
		if (w->shown[i] == qi)
			return;
	if (w->nshown < FAILURES_SHOWN) {
		w->shown[w->nshown] = qi;
		w->shown_rc[w->nshown++] = rc;
	}
}

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	struct search *s = NULL;
	struct search_request req = { 0 };
	struct search_result res;
	struct timespec t0, t1;
	struct buf body;
	size_t qi = w->start;
	int rc;

	w->open_rc = search_open_shared(w->index, w->cache, &s, &w->open_err);
	/* all threads open their reader before any starts searching */
	rc = pthread_barrier_wait(w->ready);
	if (rc != 0 && rc != PTHREAD_BARRIER_SERIAL_THREAD)
		atomic_store(w->stop, true);	/* main reports it */
	if (w->open_rc) {
		search_close(s);
		return NULL;
	}
	req.offset = 0;
	req.limit = w->limit;
	/* what GET /api/v1/search asks for (kbd/api.c) */
	req.facets = !getenv("NOFACETS");
	req.spelling = !getenv("NOSPELL");
	req.faq = !getenv("NOFAQ");
	buf_init(&body, 0);
	while (!atomic_load_explicit(w->stop, memory_order_relaxed)) {
		req.q = w->qs->v[qi];
		if (clock_gettime(CLOCK_MONOTONIC, &t0) != 0)
			break;
		rc = search_run(s, &req, &res);
		if (!rc && w->answer) {
			buf_reset(&body);
			view_search_write(&res, req.q, 1, w->limit, NULL, &body);
			if (body.err)
				rc = body.err;
		}
		search_result_release(&res);
		if (clock_gettime(CLOCK_MONOTONIC, &t1) != 0)
			break;
		w->calls++;
		if (rc)
			note_failure(w, qi, rc);
		if (!lat_add(w, elapsed_ms(&t0, &t1))) {
			w->nomem = true;
			break;
		}
		if (++qi == w->qs->n)
			qi = 0;
	}
	buf_release(&body);
	search_close(s);
	return NULL;
}

/* True if query qi was already shown for a worker before ws[n]. */
static bool
shown_before(const struct worker *ws, size_t n, size_t qi)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < ws[i].nshown; j++)
			if (ws[i].shown[j] == qi)
				return true;
	return false;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile p (0..100) of the sorted v[0..n). */
static double
percentile(const double *v, size_t n, double p)
{
	size_t rank;

	if (!n)
		return 0;
	rank = (size_t)((p / 100.0) * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

int
main(int argc, char **argv)
{
	const char *index = NULL, *file = NULL;
	long threads = 0, seconds = 0, limit = 10;
	struct queries qs = { 0 };
	struct worker *ws;
	struct snapshot_cache *cache;
	pthread_barrier_t ready;
	atomic_bool stop = false;
	struct timespec t0, t1, until;
	double *all = NULL, wall_s;
	size_t nall = 0, started = 0, i;
	unsigned long calls = 0, failures = 0;
	bool open_failed = false, nomem = false, answer = false;
	int k, rc, status = 0;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--index") == 0 && k + 1 < argc) {
			index = argv[++k];
		} else if (strcmp(argv[k], "--threads") == 0 && k + 1 < argc) {
			if (kb_strtol_range(argv[++k], 1, THREADS_MAX, &threads)) {
				fprintf(stderr, "bench-search: --threads must be 1..%d\n",
				    THREADS_MAX);
				return 2;
			}
		} else if (strcmp(argv[k], "--seconds") == 0 && k + 1 < argc) {
			if (kb_strtol_range(argv[++k], 1, SECONDS_MAX, &seconds)) {
				fprintf(stderr, "bench-search: --seconds must be 1..%d\n",
				    SECONDS_MAX);
				return 2;
			}
		} else if (strcmp(argv[k], "--limit") == 0 && k + 1 < argc) {
			if (kb_strtol_range(argv[++k], 1, SEARCH_LIMIT_MAX, &limit)) {
				fprintf(stderr, "bench-search: --limit must be 1..%d\n",
				    SEARCH_LIMIT_MAX);
				return 2;
			}
		} else if (strcmp(argv[k], "--answer") == 0) {
			answer = true;
		} else if (argv[k][0] == '-' && argv[k][1] != '\0') {
			fprintf(stderr, "bench-search: unknown or incomplete option '%s'\n",
			    argv[k]);
			usage();
			return 2;
		} else if (!file) {
			file = argv[k];
		} else {
			fprintf(stderr, "bench-search: more than one queries file\n");
			usage();
			return 2;
		}
	}
	if (!index || !file || !threads || !seconds) {
		usage();
		return 2;
	}
	if (load_queries(file, &qs))
		return 2;

	ws = calloc((size_t)threads, sizeof(*ws));
	if (!ws) {
		fputs("bench-search: out of memory\n", stderr);
		queries_release(&qs);
		return 2;
	}
	cache = snapshot_cache_new();
	rc = pthread_barrier_init(&ready, NULL, (unsigned)threads + 1);
	if (rc) {
		fprintf(stderr, "bench-search: pthread_barrier_init: %s\n",
		    strerror(rc));
		snapshot_cache_free(cache);
		free(ws);
		queries_release(&qs);
		return 2;
	}
	for (i = 0; i < (size_t)threads; i++) {
		ws[i].index = index;
		ws[i].cache = cache;
		ws[i].qs = &qs;
		ws[i].start = i * qs.n / (size_t)threads;
		ws[i].limit = (unsigned)limit;
		ws[i].answer = answer;
		ws[i].ready = &ready;
		ws[i].stop = &stop;
		rc = pthread_create(&ws[i].tid, NULL, worker_run, &ws[i]);
		if (rc) {
			fprintf(stderr, "bench-search: pthread_create: %s\n",
			    strerror(rc));
			/* returning ends the threads waiting at the barrier */
			return 2;
		}
		started++;
	}
	rc = pthread_barrier_wait(&ready);
	if (rc != 0 && rc != PTHREAD_BARRIER_SERIAL_THREAD) {
		fprintf(stderr, "bench-search: pthread_barrier_wait: %s\n",
		    strerror(rc));
		status = 2;
	}
	for (i = 0; i < started; i++) {
		if (ws[i].open_rc && !open_failed)	/* the same for all */
			fprintf(stderr, "bench-search: cannot open index %s: %s\n",
			    index, ws[i].open_err ? ws[i].open_err :
			    kb_strerror(ws[i].open_rc));
		if (ws[i].open_rc)
			open_failed = true;
	}
	if (open_failed)
		status = 2;
	if (status == 0 && clock_gettime(CLOCK_MONOTONIC, &t0) != 0) {
		fprintf(stderr, "bench-search: clock_gettime: %s\n", strerror(errno));
		status = 2;
	}
	if (status) {
		atomic_store(&stop, true);
	} else {
		until = t0;
		until.tv_sec += seconds;
		while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until,
		    NULL)) == EINTR)
			;
		if (rc) {
			fprintf(stderr, "bench-search: clock_nanosleep: %s\n",
			    strerror(rc));
			status = 2;
		}
		atomic_store(&stop, true);
	}
	for (i = 0; i < started; i++) {
		rc = pthread_join(ws[i].tid, NULL);
		if (rc)
			fprintf(stderr, "bench-search: pthread_join: %s\n",
			    strerror(rc));
	}
	if (status == 0 && clock_gettime(CLOCK_MONOTONIC, &t1) != 0) {
		fprintf(stderr, "bench-search: clock_gettime: %s\n", strerror(errno));
		status = 2;
	}
	pthread_barrier_destroy(&ready);
	snapshot_cache_free(cache);

	for (i = 0; i < started; i++) {
		nall += ws[i].nlat;
		calls += ws[i].calls;
		failures += ws[i].failures;
		nomem |= ws[i].nomem;
	}
	if (nomem) {
		fputs("bench-search: out of memory for latencies\n", stderr);
		status = 2;
	}
	if (status == 0 && nall) {
		all = malloc(nall * sizeof(*all));
		if (!all) {
			fputs("bench-search: out of memory\n", stderr);
			status = 2;
		}
	}
	if (status == 0) {
		nall = 0;
		for (i = 0; i < started; i++) {
			if (ws[i].nlat)
				memcpy(all + nall, ws[i].lat_ms,
				    ws[i].nlat * sizeof(*all));
			nall += ws[i].nlat;
		}
		if (nall)
			qsort(all, nall, sizeof(*all), cmp_double);
		wall_s = elapsed_ms(&t0, &t1) / 1e3;
		printf("inproc_threads=%ld inproc_queries=%lu inproc_rps=%.1f "
		    "inproc_p50_ms=%.3f inproc_p99_ms=%.3f inproc_failures=%lu\n",
		    threads, calls, wall_s > 0 ? (double)calls / wall_s : 0.0,
		    percentile(all, nall, 50), percentile(all, nall, 99),
		    failures);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fputs("bench-search: cannot write the results\n", stderr);
			status = 2;
		}
	}
	if (failures) {
		fprintf(stderr, "bench-search: %lu of %lu searches failed\n",
		    failures, calls);
		for (i = 0; i < started; i++)
			for (k = 0; k < (int)ws[i].nshown; k++)
				if (!shown_before(ws, i, ws[i].shown[k]))
					fprintf(stderr, "bench-search:   %s: \"%.*s\"%s\n",
					    kb_strerror(ws[i].shown_rc[k]), QUERY_SHOWN,
					    qs.v[ws[i].shown[k]],
					    strlen(qs.v[ws[i].shown[k]]) > QUERY_SHOWN ?
					    "…" : "");
		if (status == 0)
			status = 1;
	}

	free(all);
	for (i = 0; i < started; i++) {
		free(ws[i].lat_ms);
		free(ws[i].open_err);
	}
	free(ws);
	queries_release(&qs);
	return status;
}
