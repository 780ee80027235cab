/*
 * Unit tests for the index: the Xapian wrapper, the indexer (incremental,
 * removal, failures) and the search code, on a copy of the fixtures.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "index.h"
#include "schema.h"
#include "search.h"
#include "text.h"
#include "xapian_c.h"

static char tmp[] = "/tmp/kbd-unit-XXXXXX";
static char articles[300], idx[300];

static void
run(const char *cmd)
{
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void
setup(void)
{
	char cmd[1024];

	cr_assert_not_null(mkdtemp(tmp));
	snprintf(articles, sizeof(articles), "%s/articles", tmp);
	snprintf(idx, sizeof(idx), "%s/index", tmp);
	snprintf(cmd, sizeof(cmd), "cp -r %s/articles %s", FIXTURES_DIR, articles);
	run(cmd);
}

static void
teardown(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	run(cmd);
}

static struct index_stats
build(bool rebuild)
{
	struct index_opts o = { articles, idx, rebuild, false, NULL };
	struct index_stats st;

	cr_assert_eq(index_build(&o, &st), KB_OK);
	return st;
}

static unsigned
count_hits(const char *q, const char *first_slug)
{
	struct search *s;
	struct search_request req = { q, 0, 10, NULL, false };
	struct search_result res;
	unsigned total;

	cr_assert_eq(search_open(idx, &s, NULL), KB_OK);
	cr_assert_eq(search_run(s, &req, &res), KB_OK, "query %s", q);
	total = res.total;
	if (first_slug) {
		cr_assert_gt(res.nhits, 0, "no hits for %s", q);
		cr_assert_str_eq(json_string_value(json_object_get(res.hits[0].doc,
		    "slug")), first_slug, "query %s", q);
	}
	search_result_release(&res);
	search_close(s);
	return total;
}

TestSuite(index, .init = setup, .fini = teardown);

Test(index, builds_counts_and_skips_bad_files)
{
	struct index_stats st = build(false);

	cr_assert_eq(st.indexed, 5, "vpn, crlf, draft, arabic, no-front-matter");
	cr_assert_eq(st.failed, 6, "the six files under bad/");
	cr_assert_eq(st.fragments, 1);
	st = build(false);
	cr_assert_eq(st.indexed, 0, "nothing changed");
	cr_assert_eq(st.unchanged, 5);
	st = build(true);
	cr_assert_eq(st.indexed, 5, "--rebuild re-indexes everything");
}

Test(index, incremental_update_and_removal)
{
	char path[400];
	struct index_stats st;
	FILE *f;

	build(false);
	cr_assert_eq(count_hits("spooler", "no-front-matter"), 1);
	snprintf(path, sizeof(path), "%s/no-front-matter.md", articles);
	cr_assert_eq(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/net/new-article.md", articles);
	f = fopen(path, "w");
	fputs("---\ntitle: Teams camera is black\n---\nAllow camera access.\n", f);
	fclose(f);
	st = build(false);
	cr_assert_eq(st.indexed, 1);
	cr_assert_eq(st.removed, 1);
	cr_assert_eq(count_hits("spooler", NULL), 0);
	cr_assert_eq(count_hits("camera", "net/new-article"), 1);
}

Test(index, a_changed_include_reindexes_its_article)
{
	char path[400];
	struct index_stats st;
	FILE *f;

	build(false);
	snprintf(path, sizeof(path), "%s/includes/restart-steps.md", articles);
	sleep(0);
	f = fopen(path, "a");
	fputs("\nAlso clear the credential cache with cmdkey.\n", f);
	fclose(f);
	st = build(false);
	cr_assert_eq(st.indexed, 1, "only the article that includes it");
	cr_assert_eq(count_hits("cmdkey", "net/vpn-error-809"), 1);
}

Test(index, search_finds_fields_codes_and_filters)
{
	build(false);
	cr_assert_eq(count_hits("error 809", "net/vpn-error-809"), 1);
	cr_assert_eq(count_hits("Get-VpnConnection", "net/vpn-error-809"), 1);
	cr_assert_eq(count_hits("gateway tag:vpn", "net/vpn-error-809"), 1);
	cr_assert_eq(count_hits("gateway tag:printer", NULL), 0);
	cr_assert_eq(count_hits("proxy", NULL), 0, "drafts are hidden");
	cr_assert_geq(count_hits("restart the client", "net/vpn-error-809"), 1,
	    "included text is searchable");
	cr_assert_geq(count_hits("printer not", "no-front-matter"), 1,
	    "lower-case 'not' is a word, not an operator");
	cr_assert_eq(count_hits("printer NOT spooler", NULL), 0,
	    "upper-case NOT is the operator");
	cr_assert_eq(count_hits("vpn -gateway", NULL), 0, "-word excludes");
	cr_assert_eq(count_hits("\"never closed", NULL), 0,
	    "a syntax error still searches");
}

Test(index, arabic_with_and_without_diacritics)
{
	build(false);
	cr_assert_eq(count_hits("كلمة المرور", "ar/password"), 1);
	cr_assert_eq(count_hits("كلمةُ المرورِ", "ar/password"), 1, "diacritics");
	cr_assert_eq(count_hits("كلمه المرور", "ar/password"), 1, "ة typed as ه");
	cr_assert_eq(count_hits("اعادة تعيين", "ar/password"), 1, "إ typed as ا");
}

Test(index, wrapper_reports_errors_without_throwing)
{
	xc_rdb *db;
	char *err = NULL;

	cr_assert_eq(xc_rdb_open("/nonexistent/index", &db, &err), KB_ENOTFOUND);
	cr_assert_not_null(err);
	cr_assert_gt(strlen(err), 0);
	free(err);
}

Test(index, wrapper_reads_back_documents)
{
	xc_rdb *db;
	unsigned docid, n;
	char *data;
	size_t len;

	build(false);
	cr_assert_eq(xc_rdb_open(idx, &db, NULL), KB_OK);
	cr_assert_eq(xc_rdb_doccount(db, &n), KB_OK);
	cr_assert_eq(n, 5);
	cr_assert_eq(xc_rdb_find(db, PREFIX_ID "net/vpn-error-809", &docid), KB_OK);
	cr_assert_eq(xc_rdb_find(db, PREFIX_ID "nope", &docid), KB_ENOTFOUND);
	cr_assert_eq(xc_rdb_data(db, docid, &data, &len), KB_OK);
	cr_assert(strstr(data, "\"title\":\"VPN fails with error 809\"") != NULL);
	free(data);
	cr_assert_eq(xc_rdb_termfreq(db, TERM_HAS_FAQ, &n), KB_OK);
	cr_assert_eq(n, 2);
	xc_rdb_close(db);
}

Test(index, snippets_highlight_matches)
{
	struct search_hit h = { 0 };
	const char *text = "Start here. Then reset the password from the portal; "
	    "passwords expire every 90 days.";
	char *terms[] = { "password" };
	size_t i, hl = 0;

	search_snippet(text, strlen(text), terms, 1, 240, &h);
	cr_assert(strstr(h.snippet, "reset the password") != NULL);
	for (i = 0; i < h.nsegs; i++) {
		if (!h.segs[i].hl)
			continue;
		hl++;
		cr_assert(strncmp(h.snippet + h.segs[i].off, "password", 8) == 0);
	}
	cr_assert_eq(hl, 2, "password and passwords");
	free(h.snippet);
	free(h.segs);
}

Test(index, text_normalisation)
{
	struct buf b;
	const char *in = "أَإِآ ى ة ـــ ٤٠٤";

	buf_init(&b, 0);
	text_normalize(&b, in, strlen(in));
	cr_assert_str_eq(buf_str(&b), "ااا ي ه  404");
	buf_release(&b);
	cr_assert_str_eq(text_detect_lang("كلمة المرور outlook", 26, 0.5), "ar");
	cr_assert_str_eq(text_detect_lang("outlook password", 16, 0.5), "en");
}
