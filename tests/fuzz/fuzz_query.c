/*
 * fuzz_query.c - libFuzzer harness for the query side of search: the
 * input, as typed, goes to search_run() (facets, spelling and FAQ
 * answers on) and search_suggest() against a small index built once at
 * start-up from tests/fixtures/articles with the real synonyms file.
 * Queries over SEARCH_QUERY_MAX or not UTF-8 are passed on as well: the
 * library must refuse them itself with KB_EINVAL. Built and run by
 * `make fuzz`.
 */
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "err.h"
#include "index.h"
#include "search.h"
#include "util.h"
#include "banned.h"

#ifndef FIXTURES_DIR
#define FIXTURES_DIR "tests/fixtures"
#endif
#ifndef FUZZ_SYNONYMS
#define FUZZ_SYNONYMS "articles/synonyms.txt"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmpdir[] = "/tmp/kbd-fuzz-query-XXXXXX";
static struct search *search;

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void
cleanup(void)
{
	search_close(search);
	search = NULL;
	nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct index_opts o = { 0 };
	struct index_stats st;
	char idx[sizeof(tmpdir) + 16];
	char *err = NULL;

	(void)argc;
	(void)argv;
	if (!mkdtemp(tmpdir)) {
		perror("fuzz_query: mkdtemp");
		abort();
	}
	atexit(cleanup);
	snprintf(idx, sizeof(idx), "%s/index", tmpdir);
	o.articles_dir = FIXTURES_DIR "/articles";
	o.index_dir = idx;
	o.synonyms_file = FUZZ_SYNONYMS;
	if (index_build(&o, &st) != KB_OK || st.indexed == 0) {
		fprintf(stderr, "fuzz_query: cannot index %s\n", o.articles_dir);
		abort();
	}
	if (search_open(idx, &search, &err) != KB_OK) {
		fprintf(stderr, "fuzz_query: cannot open %s: %s\n", idx,
		    err ? err : "?");
		abort();
	}
	return 0;
}

/* The snippet's segments must tile it exactly: the API sends them to
 * clients as byte ranges to highlight. */
static void
check_hit(const struct search_hit *h)
{
	size_t i, off = 0, len;

	if (!h->doc || !json_is_object(h->doc) || !h->snippet.snippet)
		abort();
	len = strlen(h->snippet.snippet);
	for (i = 0; i < h->snippet.nsegs; i++) {
		if (h->snippet.segs[i].off != off ||
		    h->snippet.segs[i].len > len - off)
			abort();
		off += h->snippet.segs[i].len;
	}
	if (h->snippet.nsegs && off != len)
		abort();
	if (!utf8_valid(h->snippet.snippet, len))
		abort();
	for (i = 0; i < h->nmatched; i++)
		if (!h->matched[i])
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { NULL, "en", "ar" };
	struct search_request req = { 0 };
	struct search_result res;
	json_t *list = NULL;
	char *q = xmalloc(size + 1);
	size_t len, i;
	bool bad;
	int rc;

	memcpy(q, data, size);
	q[size] = '\0';
	len = strlen(q);	/* a NUL ends the query, as in a C string */
	bad = len > SEARCH_QUERY_MAX || !utf8_valid(q, len);

	req.q = q;
	req.limit = 10;
	req.lang = langs[size % 3];
	req.facets = true;
	req.spelling = true;
	req.faq = true;
	rc = search_run(search, &req, &res);
	if (bad && rc != KB_EINVAL)
		abort();	/* must refuse long or malformed queries */
	if (!bad && rc != KB_OK) {
		fprintf(stderr, "fuzz_query: search_run: %s\n", kb_strerror(rc));
		abort();
	}
	if (rc == KB_OK) {
		if (res.nhits > req.limit || (res.nhits && !res.hits))
			abort();
		for (i = 0; i < res.nhits; i++)
			check_hit(&res.hits[i]);
		if (res.corrected && !utf8_valid(res.corrected, strlen(res.corrected)))
			abort();
		if (res.suggestion && !utf8_valid(res.suggestion, strlen(res.suggestion)))
			abort();
	}
	search_result_release(&res);

	rc = search_suggest(search, q, 8, &list);
	if (bad ? rc != KB_EINVAL : (rc != KB_OK || !json_is_array(list)))
		abort();
	json_decref(list);
	free(q);
	return 0;
}
