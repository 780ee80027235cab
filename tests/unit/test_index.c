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
#include "rank.h"
#include "schema.h"
#include "search.h"
#include "snippet.h"
#include "synonyms.h"
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
	struct index_opts o = { .articles_dir = articles, .index_dir = idx,
		.rebuild = rebuild };
	struct index_stats st;

	cr_assert_eq(index_build(&o, &st), KB_OK);
	return st;
}

static unsigned
count_hits(const char *q, const char *first_slug)
{
	struct search *s;
	struct search_request req = { .q = q, .limit = 10 };
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

static void
write_file(const char *rel, const char *text)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", articles, rel);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(index, an_hresult_is_found_in_hex_and_as_a_negative_number)
{
	write_file("net/backup-hex.md", "---\ntitle: Backup job stops\n---\n"
	    "The backup agent logs error 0x80070057.\n");
	write_file("net/script-decimal.md", "---\ntitle: Logon script stops\n"
	    "---\nThe logon script exits with -2147024891.\n");
	build(false);
	/* a caller reads out whichever form they see */
	cr_assert_eq(count_hits("-2147024809", "net/backup-hex"), 1,
	    "decimal finds hex");
	cr_assert_eq(count_hits("2147024809", "net/backup-hex"), 1,
	    "typed without its sign");
	cr_assert_eq(count_hits("0x80070005", "net/script-decimal"), 1,
	    "hex finds decimal");
	cr_assert_eq(count_hits("script -2147024891", "net/script-decimal"), 1,
	    "the sign of a code is not NOT");
	/* a short number after '-' is still excluded */
	cr_assert_eq(count_hits("vpn -809", NULL), 0, "-809 excludes");
}

Test(index, arabic_with_and_without_diacritics)
{
	build(false);
	cr_assert_eq(count_hits("كلمة المرور", "ar/password"), 1);
	cr_assert_eq(count_hits("كلمةُ المرورِ", "ar/password"), 1, "diacritics");
	cr_assert_eq(count_hits("كلمه المرور", "ar/password"), 1, "ة typed as ه");
	cr_assert_eq(count_hits("اعادة تعيين", "ar/password"), 1, "إ typed as ا");
	/* the stemmer still sees feminine endings after ة is folded into ه */
	cr_assert_eq(count_hits("الافتراضي", "ar/password"), 1,
	    "masculine finds feminine");
	cr_assert_eq(count_hits("سياسات افتراضيه", "ar/password"), 1,
	    "plural and ه for ة");
}

/* The Arabic stem of a word as typed (normalised first, as everywhere). */
static char *
arabic_stem(xc_stemmer *st, const char *word)
{
	char form[256], *out = NULL;
	size_t n = text_normalize_to(form, word, strlen(word));

	cr_assert_eq(xc_stem(st, form, n, &out), KB_OK);
	return out;
}

static void
assert_same_stem(xc_stemmer *st, const char *a, const char *b, bool same)
{
	char *sa = arabic_stem(st, a), *sb = arabic_stem(st, b);

	if (same)
		cr_expect_str_eq(sa, sb, "%s and %s", a, b);
	else
		cr_expect_str_neq(sa, sb, "%s and %s", a, b);
	free(sa);
	free(sb);
}

Test(index, arabic_nouns_stem_alike_with_and_without_the_article)
{
	xc_stemmer *ar = xc_stemmer_new("arabic");

	cr_assert_not_null(ar);
	/* Snowball alone: "ريد", "ملفا", "اشتر", "مجا" for the bare words */
	assert_same_stem(ar, "بريد", "البريد", true);
	assert_same_stem(ar, "ملفات", "الملفات", true);
	assert_same_stem(ar, "ملفات", "ملف", true);
	assert_same_stem(ar, "اشتراك", "الاشتراك", true);
	assert_same_stem(ar, "مجاني", "المجاني", true);
	assert_same_stem(ar, "فواتير", "بالفواتير", true);
	/* a possessive suffix, also after teh marbuta written teh */
	assert_same_stem(ar, "حسابك", "الحساب", true);
	assert_same_stem(ar, "اشتراكك", "الاشتراك", true);
	assert_same_stem(ar, "مؤسستك", "المؤسسة", true);
	assert_same_stem(ar, "جهازهم", "الجهاز", true);
	/* but not the kaf that ends the noun itself */
	assert_same_stem(ar, "محرك", "المحرك", true);
	assert_same_stem(ar, "مالك", "المالك", true);
	/* an adverb's alef, and feminine endings (ة typed as ه) */
	assert_same_stem(ar, "فوراً", "فوري", true);
	assert_same_stem(ar, "افتراضيه", "الافتراضية", true);
	/* an article before إل or آل, which normalisation makes ال */
	assert_same_stem(ar, "إلغاء", "الإلغاء", true);
	assert_same_stem(ar, "إلكتروني", "الإلكتروني", true);
	assert_same_stem(ar, "إلغاء", "للإلغاء", true);
	/* different words stay apart */
	assert_same_stem(ar, "بريد", "يريد", false);
	assert_same_stem(ar, "ملفات", "ملفاتك", true);
	assert_same_stem(ar, "مال", "مالك", false);
	xc_stemmer_free(ar);
}

Test(index, arabic_words_with_hamza_match_their_stems)
{
	xc_stemmer *ar = xc_stemmer_new("arabic");
	char *terms[3];
	struct matcher m;
	char form[64];
	const char *text;
	size_t n;

	cr_assert_not_null(ar);
	/* the stems as a query gives them: "ممتلء", "رسايل", "مسوول" */
	terms[0] = arabic_stem(ar, "ممتلئة");
	terms[1] = arabic_stem(ar, "رسائل");
	terms[2] = arabic_stem(ar, "مسؤول");
	matcher_init(&m, terms, 3, NULL);
	n = text_normalize_to(form, "المجلد ممتلئ", strlen("المجلد ممتلئ"));
	form[n] = '\0';
	cr_expect_eq(matcher_covered(&m, form), 1, "ممتلئ");
	text = "الرسائل";
	n = text_normalize_to(form, text, strlen(text));
	form[n] = '\0';
	cr_expect_eq(matcher_match(&m, form, 0, n), 1, "الرسائل");
	text = "للمسؤولين";
	n = text_normalize_to(form, text, strlen(text));
	form[n] = '\0';
	cr_expect_eq(matcher_match(&m, form, 0, n), 2, "للمسؤولين");
	/* folding is for matching only: the terms are left as they were */
	char *again = arabic_stem(ar, "الرسائل");

	cr_expect_str_eq(terms[1], again);
	free(again);
	cr_expect_eq(matcher_covered(&m, "رسالة مسار"), 0);
	matcher_release(&m);
	for (size_t i = 0; i < 3; i++)
		free(terms[i]);
	xc_stemmer_free(ar);
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
	struct snippet sn = { 0 };
	struct matcher m;
	const char *text = "Start here. Then reset the password from the portal; "
	    "passwords expire every 90 days.";
	char *terms[] = { "password" };
	size_t i, hl = 0, covered = 0;

	matcher_init(&m, terms, 1, NULL);
	snippet_cut(&m, text, strlen(text), 240, &sn);
	cr_assert(strstr(sn.snippet, "reset the password") != NULL);
	for (i = 0; i < sn.nsegs; i++) {
		cr_assert_eq(sn.segs[i].off, covered, "segments are contiguous");
		covered += sn.segs[i].len;
		if (!sn.segs[i].hl)
			continue;
		hl++;
		cr_assert(strncmp(sn.snippet + sn.segs[i].off, "password", 8) == 0);
	}
	cr_assert_eq(covered, strlen(sn.snippet));
	cr_assert_eq(hl, 2, "password and passwords");
	snippet_release(&sn);
	matcher_release(&m);
}

Test(index, snippets_are_cut_around_the_best_window)
{
	struct snippet sn = { 0 };
	struct matcher m;
	char *terms[] = { "spooler", "restart" };
	struct buf text;
	int i;

	buf_init(&text, 0);
	for (i = 0; i < 200; i++)
		buf_puts(&text, "filler words here ");
	buf_puts(&text, "restart the print spooler service now. ");
	for (i = 0; i < 200; i++)
		buf_puts(&text, "more filler ");
	matcher_init(&m, terms, 2, NULL);
	snippet_cut(&m, text.data, text.len, 120, &sn);
	cr_assert(strstr(sn.snippet, "restart the print spooler") != NULL, "%s", sn.snippet);
	cr_assert(strncmp(sn.snippet, "…", strlen("…")) == 0, "cut at the start");
	cr_assert_leq(strlen(sn.snippet), 140);
	snippet_release(&sn);
	matcher_release(&m);
	buf_release(&text);
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

/* ---- issue 3: spelling, synonyms, facets, suggest, related, FAQ-first ---- */

static struct search *
open_search(void)
{
	struct search *s;

	cr_assert_eq(search_open(idx, &s, NULL), KB_OK);
	return s;
}

Test(index, misspelt_words_are_corrected)
{
	struct search *s;
	struct search_request req = { .q = "vpn fials", .limit = 10, .spelling = true };
	struct search_result res;

	build(false);
	s = open_search();
	cr_assert_eq(search_run(s, &req, &res), KB_OK);
	cr_assert_not_null(res.corrected, "an unknown word is corrected");
	cr_assert_str_eq(res.corrected, "vpn fails");
	cr_assert_gt(res.nhits, 0);
	search_result_release(&res);
	req.q = "error 808";	/* a code is never corrected into another */
	cr_assert_eq(search_run(s, &req, &res), KB_OK);
	cr_assert_null(res.corrected);
	cr_assert_null(res.suggestion);
	search_result_release(&res);
	search_close(s);
}

Test(index, corrections_are_remembered_until_the_index_changes)
{
	struct search *s;
	struct search_request req = { .q = "vpn fials", .limit = 10, .spelling = true };
	struct search_result res;
	int round;

	build(false);
	s = open_search();
	for (round = 0; round < 2; round++) {	/* asked, then remembered */
		cr_assert_eq(search_run(s, &req, &res), KB_OK);
		cr_assert_str_eq(res.corrected ? res.corrected : "(none)",
		    "vpn fails", "round %d", round);
		search_result_release(&res);
	}
	write_file("net/fials.md", "---\ntitle: The FIALS tool\n---\nFIALS "
	    "checks the VPN client.\n");
	build(false);
	cr_assert_eq(search_refresh(s), KB_OK);
	cr_assert_eq(search_run(s, &req, &res), KB_OK);
	cr_assert_null(res.corrected, "a word the index now has is left alone");
	search_result_release(&res);
	search_close(s);
}

Test(index, synonyms_widen_the_query)
{
	struct index_stats st;

	write_file("synonyms.txt", "# comment\nvpn, remote access, tunnel\nlonely\n"
	    "teams, تيمز\n");
	write_file("net/teams.md", "---\ntitle: Teams meetings drop\n---\nTeams calls end.\n");
	st = build(false);
	cr_assert_eq(st.synonym_groups, 2, "a one-word line is not a group");
	cr_assert_eq(count_hits("tunnel", "net/vpn-error-809"), 1,
	    "tunnel finds the VPN article through its group");
	cr_assert_geq(count_hits("remote access", "net/vpn-error-809"), 1);
	cr_assert_eq(count_hits("تيمز", "net/teams"), 1,
	    "an Arabic-script product name finds the English article");
}

Test(index, multiword_synonyms_match_as_phrases_and_follow_edits)
{
	struct index_stats st, first;

	write_file("synonyms.txt", "patch, windows update\n");
	write_file("net/monthly.md", "---\ntitle: Monthly maintenance\n---\n"
	    "Windows Update failed with a download error.\n");
	write_file("net/scattered.md", "---\ntitle: Scattered words\n---\n"
	    "Install the device software again. Windows shows a prompt "
	    "before the update.\n");
	first = build(false);
	cr_assert_eq(count_hits("patch", "net/monthly"), 1,
	    "the phrase is found, the same words apart are not");
	cr_assert_eq(count_hits("firmware", NULL), 0);

	/* a new multi-word alternative: the unchanged articles get its term too */
	write_file("synonyms.txt", "patch, windows update\nfirmware, device software\n");
	st = build(false);
	cr_assert_eq(st.indexed, first.indexed, "every article is indexed again");
	cr_assert_eq(count_hits("firmware", "net/scattered"), 1);
	cr_assert_eq(count_hits("patch", "net/monthly"), 1);
	st = build(false);
	cr_assert_eq(st.indexed, 0, "and only once");
	cr_assert_gt(st.unchanged, 0);
}

/* The revision a reader of idx sees now. */
static uint64_t
revision_now(void)
{
	xc_rdb *db;
	uint64_t rev = 0;

	cr_assert_eq(xc_rdb_open(idx, &db, NULL), KB_OK);
	cr_assert_eq(xc_rdb_revision(db, &rev), KB_OK);
	xc_rdb_close(db);
	return rev;
}

Test(index, a_run_that_changes_nothing_makes_no_new_revision)
{
	uint64_t first;

	write_file("synonyms.txt", "vpn, remote access\n");
	build(false);
	first = revision_now();
	build(false);
	build(false);
	cr_assert_eq(revision_now(), first,
	    "readers keep their snapshot while nothing changed");
	write_file("synonyms.txt", "vpn, remote access, tunnel\n");
	build(false);
	cr_assert_gt(revision_now(), first, "a synonyms edit is a change");
	cr_assert_eq(count_hits("tunnel", "net/vpn-error-809"), 1,
	    "and is searched with at once");
}

Test(index, facets_count_values_of_the_matches)
{
	struct search *s;
	struct search_request req = { .q = "vpn OR wi-fi OR password", .limit = 10,
		.facets = true };
	struct search_result res;
	size_t i;
	bool network = false;

	build(false);
	s = open_search();
	cr_assert_eq(search_run(s, &req, &res), KB_OK);
	for (i = 0; i < res.facets[FACET_CATEGORY].n; i++)
		if (strcmp(res.facets[FACET_CATEGORY].values[i].value, "Network") == 0) {
			network = true;
			cr_assert_eq(res.facets[FACET_CATEGORY].values[i].count, 1);
		}
	cr_assert(network);
	cr_assert_gt(res.facets[FACET_LANG].n, 1, "en and ar");
	search_result_release(&res);
	req.q = "password category:accounts";	/* filter values ignore case */
	cr_assert_eq(search_run(s, &req, &res), KB_OK);
	cr_assert_eq(res.nhits, 1);
	search_result_release(&res);
	req.q = "gateway TAG:VPN";
	cr_assert_eq(search_run(s, &req, &res), KB_OK);
	cr_assert_eq(res.nhits, 1);
	search_result_release(&res);
	search_close(s);
}

Test(index, suggest_completes_the_last_word_from_titles)
{
	struct search *s;
	json_t *list;

	build(false);
	s = open_search();
	cr_assert_eq(search_suggest(s, "vpn fa", 8, &list), KB_OK);
	cr_assert_eq(json_array_size(list), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0),
	    "slug")), "net/vpn-error-809");
	json_decref(list);
	cr_assert_eq(search_suggest(s, "prox", 8, &list), KB_OK);
	cr_assert_eq(json_array_size(list), 0, "drafts are not suggested");
	json_decref(list);
	search_close(s);
}

/* The first slug suggested for q, or "" (a static copy). */
static const char *
first_suggested(struct search *s, const char *q)
{
	static char slug[256];
	json_t *list;
	const char *v;

	cr_assert_eq(search_suggest(s, q, 8, &list), KB_OK, "%s", q);
	v = json_string_value(json_object_get(json_array_get(list, 0), "slug"));
	snprintf(slug, sizeof(slug), "%s", v ? v : "");
	json_decref(list);
	return slug;
}

Test(index, suggestions_follow_the_index_and_keep_query_syntax)
{
	struct search *s;

	build(false);
	s = open_search();
	cr_assert_str_eq(first_suggested(s, "vpn fa"), "net/vpn-error-809");
	cr_assert_str_eq(first_suggested(s, "fials"), "");
	/* field filters and operators are read by Xapian's parser, as in search */
	cr_assert_str_eq(first_suggested(s, "title:vpn fa"), "net/vpn-error-809");
	cr_assert_str_eq(first_suggested(s, "-proxy vpn fa"), "net/vpn-error-809");
	cr_assert_str_eq(first_suggested(s, "-error vpn fa"), "");
	/* a new revision's titles are the ones completed */
	write_file("net/fials.md", "---\ntitle: The FIALS tool\n---\nFIALS "
	    "checks the VPN client.\n");
	build(false);
	cr_assert_eq(search_refresh(s), KB_OK);
	cr_assert_str_eq(first_suggested(s, "fial"), "net/fials");
	cr_assert_str_eq(first_suggested(s, "the fials t"), "net/fials");
	search_close(s);
}

Test(index, faq_answers_come_first_when_the_question_matches)
{
	struct search *s;
	struct search_request req = { .q = "why does the vpn say error 809",
		.limit = 10, .faq = true };
	struct search_result res;

	build(false);
	s = open_search();
	cr_assert_eq(search_run(s, &req, &res), KB_OK);
	cr_assert_eq(json_array_size(res.faq), 1);
	cr_assert(strstr(json_string_value(json_object_get(json_array_get(res.faq, 0),
	    "a")), "phone hotspot") != NULL);
	search_result_release(&res);
	req.q = "spooler";
	cr_assert_eq(search_run(s, &req, &res), KB_OK);
	cr_assert_eq(json_array_size(res.faq), 0, "no FAQ question matches");
	search_result_release(&res);
	search_close(s);
}

Test(index, related_articles_share_language_and_skip_the_article)
{
	struct search *s;
	json_t *list, *e;
	size_t i;

	write_file("net/vpn-slow.md", "---\ntitle: VPN is slow\nlang: en\n---\n"
	    "The VPN gateway is far away; pick the nearest gateway in the client.\n");
	build(false);
	s = open_search();
	cr_assert_eq(search_related(s, "net/vpn-error-809", 5, &list), KB_OK);
	cr_assert_gt(json_array_size(list), 0);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0),
	    "slug")), "net/vpn-slow");
	json_array_foreach(list, i, e) {
		cr_assert_str_neq(json_string_value(json_object_get(e, "slug")),
		    "net/vpn-error-809");
		cr_assert_str_eq(json_string_value(json_object_get(e, "lang")), "en");
	}
	json_decref(list);
	search_close(s);
}

Test(index, error_codes_stay_whole_in_any_case)
{
	write_file("net/codes.md", "---\ntitle: Codes\n---\nSeen: 0x800CCC0E, "
	    "KB5034441, ERR_CONNECTION_RESET, AADSTS50076 and event ID 4625.\n");
	build(false);
	cr_assert_eq(count_hits("0x800ccc0e", "net/codes"), 1);
	cr_assert_eq(count_hits("800CCC0E", "net/codes"), 1, "without 0x");
	cr_assert_eq(count_hits("kb5034441", "net/codes"), 1);
	cr_assert_eq(count_hits("err_connection_reset", "net/codes"), 1);
	cr_assert_eq(count_hits("AADSTS50076", "net/codes"), 1);
	cr_assert_eq(count_hits("aadsts5007", NULL), 0, "no partial code matches");
	cr_assert_geq(count_hits("\"event id 4625\"", "net/codes"), 1);
}

Test(index, codes_typed_with_a_space_are_the_same_codes)
{
	write_file("net/joined.md", "---\ntitle: Update KB5034441 fails\n---\n"
	    "Resize the partition.\n");
	write_file("net/spaced.md", "---\ntitle: Sign-in error AADSTS 50076\n---\n"
	    "Also listed as KB 1234567.\n");
	build(false);
	cr_assert_eq(count_hits("KB 5034441", "net/joined"), 1,
	    "typed apart, found joined");
	cr_assert_eq(count_hits("kb  5034441", "net/joined"), 1, "two spaces");
	cr_assert_eq(count_hits("aadsts50076", "net/spaced"), 1,
	    "typed joined, found apart (in the title)");
	cr_assert_eq(count_hits("kb1234567", "net/spaced"), 1, "and in the body");
	cr_assert_eq(count_hits("kb12345678901", NULL), 0);
	/* a KB number the article gives alone, as Microsoft's articles do */
	write_file("net/numbered.md", "---\ntitle: Mail stops\n---\n"
	    "Original KB number: 4092733\n");
	build(false);
	cr_assert_eq(count_hits("KB4092733", "net/numbered"), 1, "joined");
	cr_assert_eq(count_hits("kb 4092733", "net/numbered"), 1, "apart");
	cr_assert_eq(text_code_number("KB4092733", 9), 2);
	cr_assert_eq(text_code_number("aadsts50076", 11), 6);
	cr_assert_eq(text_code_number("KB40927x3", 9), 0);
	cr_assert_eq(text_code_number("KB123", 5), 0, "too short a number");
	cr_assert_eq(text_code_number("XKB4092733", 10), 0);
	/* not a code: a number too short, or letters after it */
	cr_assert_eq(text_spaced_code("KB 123", 6, 0, 2, 4), 0);
	cr_assert_eq(text_spaced_code("KB 12345abc", 11, 0, 2, 4), 0);
	cr_assert_eq(text_spaced_code("KB 12345 x", 10, 0, 2, 4), 8);
	cr_assert_eq(text_spaced_code("KB 123", 6, 0, 2, 1), 6, "a number being typed");
	cr_assert_eq(text_spaced_code("MS 12345", 8, 0, 2, 4), 0, "not a prefix");
}

Test(index, mixed_script_queries_match_both_ways)
{
	write_file("ar/outlook.md", "---\ntitle: مشكلة في Outlook\nlang: ar\n---\n"
	    "يطلب Outlook كلمة المرور مرارا.\n");
	build(false);
	cr_assert_eq(count_hits("مرارا outlook", "ar/outlook"), 1);
	cr_assert_geq(count_hits("outlooks", NULL), 1,
	    "Latin words in Arabic articles are stemmed as English");
}

Test(index, synonym_groups_parse_and_expand)
{
	struct synonyms *syn = synonyms_parse("mfa\t2fa\ttwo factor\nwifi\twi fi\nbad");
	char got[256] = "";

	cr_assert_eq(synonyms_count(syn), 2);
	cr_assert(synonyms_has_word(syn, "factor", 6));
	cr_assert_not(synonyms_has_word(syn, "fact", 4));
	void collect(void *ctx, const char *alts);
	synonyms_expand(syn, "my Two-Factor code", 8, collect, got);
	cr_assert_str_eq(got, "mfa\n2fa\ntwo factor;");
	synonyms_free(syn);
}

Test(index, arabic_synonyms_match_with_or_without_the_article)
{
	struct synonyms *syn = synonyms_parse("printer\tالطابعه\tبرنتر\n"
	    "laptop\tلابتوب");
	char got[256] = "";
	void collect(void *ctx, const char *alts);

	synonyms_expand(syn, "البرنتر لا يطبع", 8, collect, got);
	cr_assert_str_eq(got, "printer\nالطابعه\nبرنتر;", "the article on the query's word");
	got[0] = '\0';
	synonyms_expand(syn, "طابعه مكتب", 8, collect, got);
	cr_assert_str_eq(got, "printer\nالطابعه\nبرنتر;", "the article on the alternative");
	got[0] = '\0';
	synonyms_expand(syn, "واللابتوب بطيء", 8, collect, got);
	cr_assert_str_eq(got, "laptop\nلابتوب;", "and after a conjunction");
	cr_assert(synonyms_has_word(syn, "بالطابعه", strlen("بالطابعه")));
	synonyms_free(syn);
}

void
collect(void *ctx, const char *alts)
{
	strcat((char *)ctx, alts);
	strcat((char *)ctx, ";");
}

/* first hit's slug for q, on an index already built */
static char *
first_hit(const char *q)
{
	struct search *s;
	struct search_request req = { .q = q, .limit = 10 };
	struct search_result res;
	char *slug;

	cr_assert_eq(search_open(idx, &s, NULL), KB_OK);
	cr_assert_eq(search_run(s, &req, &res), KB_OK, "query %s", q);
	cr_assert_gt(res.nhits, 0, "no hits for %s", q);
	slug = strdup(json_string_value(json_object_get(res.hits[0].doc, "slug")));
	search_result_release(&res);
	search_close(s);
	return slug;
}

static void
expect_first(const char *q, const char *slug, const char *why)
{
	char *got = first_hit(q);

	cr_expect_str_eq(got, slug, "%s: '%s'", why, q);
	free(got);
}

Test(index, an_article_quoting_the_query_as_said_comes_first)
{
	/* the words of the message, not as the message */
	write_file("net/staging-title.md", "---\ntitle: Staging volume "
	    "snapshots\n---\nThe agent is not ready until the staging volume "
	    "is mounted; snapshots follow.\n");
	/* the message as the agent shows it, deep in the body */
	write_file("net/backup-notes.md", "---\ntitle: Backup agent notes\n---\n"
	    "Install the agent on every server. Schedule jobs at night. Keep "
	    "thirty days of copies. When a job fails the agent shows: The "
	    "staging volume is not ready for snapshots. Restart the agent "
	    "service.\n");
	build(false);
	expect_first("The staging volume is not ready for snapshots",
	    "net/backup-notes", "the message as the agent shows it");
	/* the same words out of order are no phrase: the title wins */
	expect_first("snapshots not ready staging volume", "net/staging-title",
	    "no phrase");
	/* a word no article has is the caller's own, not the message's */
	expect_first("The staging volume qz81 is not ready for snapshots",
	    "net/backup-notes", "a volume's own name in the message");
}

Test(index, a_symptom_finds_the_guide_first_an_error_code_the_case)
{
	write_file("net/crash-addin.md", "---\ntitle: Outlook crashes when an "
	    "add-in loads\n---\nOutlook crashes when the add-in loads. Outlook "
	    "crashes again after a restart. Disable the add-in and Outlook "
	    "crashes stop. Error 0x80004005 is logged.\n");
	write_file("net/troubleshoot-crashes.md", "---\ntitle: Troubleshoot "
	    "Outlook crashes\n---\nWork through these checks when Outlook stops "
	    "responding or closes: start it in safe mode, repair the profile, "
	    "update Office, turn add-ins off one by one, repair the data file "
	    "and send the crash event to L2 with the ticket.\n");
	build(false);
	expect_first("outlook crashes", "net/troubleshoot-crashes",
	    "a symptom: the guide");
	expect_first("outlook crashes 0x80004005", "net/crash-addin",
	    "an error code: the case");
}

Test(index, titles_that_say_the_words_in_order_come_first)
{
	write_file("net/reset-proxy.md", "---\ntitle: Reset proxy settings in "
	    "the browser\n---\nOpen the browser options, choose reset, confirm "
	    "and restart the browser.\n");
	write_file("net/mail-proxy.md", "---\ntitle: Settings of the mail "
	    "proxy\n---\nAsk L2 first.\n");
	build(false);
	expect_first("proxy settings", "net/reset-proxy", "the pair in order");
}

Test(index, a_query_in_arabic_prefers_arabic_articles)
{
	write_file("net/outlook-en.md", "---\ntitle: Outlook\nlang: en\n---\n"
	    "Outlook, the Outlook client, Outlook for Windows.\n");
	write_file("ar/outlook-ar.md", "---\ntitle: دليل برنامج البريد Outlook\nlang: ar\n---\n"
	    "دليل استخدام Outlook للموظفين الجدد في المكتب.\n");
	build(false);
	expect_first("outlook", "net/outlook-en", "Latin query");
	expect_first("لا يعمل عندي Outlook", "ar/outlook-ar", "Arabic query");
}

Test(index, short_terms_match_only_words_of_their_stem)
{
	struct matcher m;
	xc_stemmer *english = xc_stemmer_new("english");
	char *terms[] = { "not", "app", "set", "show" };
	const char *text = "Not notice notes Apps apply settings setup shown "
	    "showing Showcase";
	size_t p = 0, start, end;
	/* "show" is long enough to match what starts with it */
	int want[] = { 0, -1, -1, 1, -1, 2, -1, 3, 3, 3 }, k = 0;

	cr_assert_not_null(english);
	matcher_init(&m, terms, 4, english);
	while (text_next_word(text, strlen(text), &p, &start, &end)) {
		cr_assert_eq(matcher_match(&m, text, start, end), want[k],
		    "word %d", k);
		k++;
	}
	cr_assert_eq(k, 10);
	cr_assert_eq(matcher_covered(&m, "Notifications for the application"), 0);
	cr_assert_eq(matcher_covered(&m, "Apps not shown"), 3);
	matcher_release(&m);

	/* two-letter stems alike: "IIS" is "ii"; "iisreset", "VMs" (stem
	 * "vms") and "vmware" are not "ii" or "vm" */
	char *two[] = { "vm", "ii" };
	matcher_init(&m, two, 2, english);
	cr_assert_eq(matcher_covered(&m, "Sites on IIS"), 1);
	cr_assert_eq(matcher_covered(&m, "iisreset VMs vmware"), 0);
	matcher_release(&m);

	/* without a stemmer a short term matches only itself */
	matcher_init(&m, terms, 4, NULL);
	cr_assert_eq(matcher_covered(&m, "apps settings"), 0);
	cr_assert_eq(matcher_covered(&m, "app set"), 2);
	matcher_release(&m);
	xc_stemmer_free(english);
}

Test(index, words_match_stems_that_end_in_i_for_y)
{
	struct matcher m;
	char *terms[] = { "polici", "proxi" };
	const char *text = "Policy policies police Proxy proxies";
	size_t p = 0, start, end;
	int want[] = { 0, 0, -1, 1, 1 }, k = 0;

	matcher_init(&m, terms, 2, NULL);
	while (text_next_word(text, strlen(text), &p, &start, &end)) {
		cr_assert_eq(matcher_match(&m, text, start, end), want[k],
		    "word %d", k);
		k++;
	}
	cr_assert_eq(k, 5);
	cr_assert_eq(matcher_covered(&m, "Group Policy and the proxy"), 2);
	matcher_release(&m);
}

Test(index, a_howto_question_prefers_the_procedure_to_its_errors)
{
	char *got;

	write_file("net/vpn-client-errors.md", "---\ntitle: VPN client errors\n"
	    "---\nThe VPN client shows errors. Install the VPN client again, or "
	    "install it from the portal.\n");
	write_file("net/vpn-client-setup.md", "---\ntitle: VPN client setup\n"
	    "---\nThe VPN client setup. Install the VPN client from the "
	    "portal.\n");
	build(false);
	expect_first("how to install the vpn client", "net/vpn-client-setup",
	    "a how-to question: the procedure");
	expect_first("install vpn client", "net/vpn-client-errors",
	    "no question: words and BM25 decide");
	got = first_hit("how to fix vpn client errors");
	cr_expect_str_neq(got, "net/vpn-client-setup", "how to fix: a problem");
	free(got);
}

Test(index, contractions_typed_without_apostrophe_match_the_articles)
{
	write_file("net/outlook-cant-reach.md", "---\ntitle: Outlook can't "
	    "reach the server\n---\nOutlook says it can't reach the server. "
	    "Check the network cable.\n");
	write_file("net/server-room-roof.md", "---\ntitle: Server room roof\n"
	    "---\nThe cant of the roof over the server room is steep; the cant "
	    "lets rain run off.\n");
	build(false);
	expect_first("outlook cant reach server", "net/outlook-cant-reach",
	    "cant is can't");
	expect_first("cant reach", "net/outlook-cant-reach", "cant is can't");
}

Test(index, synonyms_of_one_word_cover_that_word_once)
{
	/* summaries that say nothing of the query: titles decide, not leads */
	write_file("synonyms.txt", "outlook, email, mail\n");
	write_file("net/mail-in-outlook.md", "---\ntitle: Email and mail in "
	    "Outlook\nsummary: Notes.\n---\nOutlook sends email and mail with a signature: the "
	    "Outlook signature editor keeps one signature per account, and "
	    "the signature shows in each Outlook email and reply.\n");
	write_file("net/outlook-signature.md", "---\ntitle: Outlook signature "
	    "missing\nsummary: Notes.\n---\nNothing is added under new messages. Check the "
	    "account options, the profile and the add-ins, then restart the "
	    "computer and send a test message to a colleague. If nothing "
	    "changes, collect the version number, the build, the update "
	    "channel, the time it started, what changed on the device that "
	    "week, and any recent installs, and hand all of it over to the "
	    "second tier in the ticket with screenshots of every step. Keep "
	    "the caller informed by phone until the case is closed, note the "
	    "time spent, and link the ticket to this article so that the "
	    "next agent sees what was tried before and by whom.\n");
	build(false);
	expect_first("signature outlook", "net/outlook-signature",
	    "a title that says both words");
}

/*
 * An article without a summary is summed up by the start of its text: the
 * one that opens with the caller's problem comes before one that repeats
 * the words further down (and scores higher in BM25 for it).
 */
Test(index, without_a_summary_the_lead_stands_for_it)
{
	struct buf body;
	char *md;
	int i;

	write_file("net/jam-first.md", "---\ntitle: Printer notes\n---\n"
	    "A paper jam in the tray: open the back door and pull the sheet "
	    "out slowly.\n");
	buf_init(&body, 0);
	buf_puts(&body, "---\ntitle: Printer notes\n---\n");
	for (i = 0; i < 40; i++)
		buf_puts(&body, "Toner, drums and the fuser wear out with use. ");
	for (i = 0; i < 6; i++)
		buf_puts(&body, "A paper jam clears when the tray is reseated. ");
	md = buf_detach(&body, NULL);
	write_file("net/jam-later.md", md);
	free(md);
	build(false);
	expect_first("printer paper jam", "net/jam-first",
	    "the lead says it, the other article only later");
}

static bool
is_how_to(const char *w, size_t len)
{
	return (len == 3 && strncmp(w, "how", 3) == 0) ||
	    (len == 2 && strncmp(w, "to", 2) == 0);
}

/*
 * Rank titles[0..n) for query into c, best first: their traits worked out
 * by rank_candidates(), or given (as the snapshot gives them), the one of
 * title odd (if < n) given as those of "Mac".
 */
static void
rank_titles(const char *query, const char *const *titles, size_t n,
    bool given, size_t odd, struct rank_candidate *c)
{
	char *terms[] = { "instal", "outlook", "mac", "تثبيت" };
	struct rank_query q;
	struct matcher m;
	size_t i;

	matcher_init(&m, terms, 4, NULL);
	rank_query_init(&q, &m, query, NULL, 2, is_how_to, NULL, 0);
	for (i = 0; i < n; i++) {
		c[i] = (struct rank_candidate){ .rank = (unsigned)i,
			.score = 10.0 - (double)i, .title = titles[i] };
		if (given && titles[i]) {
			c[i].traits = rank_traits_of(i == odd ? "Mac" : titles[i]);
			c[i].has_traits = true;
		}
	}
	rank_candidates(c, n, &q);
	matcher_release(&m);
}

Test(index, title_traits_given_or_worked_out_rank_alike)
{
	static const char *const titles[] = {
		"Install Outlook for Mac", "Troubleshoot Outlook install issues",
		"Outlook can't install the add-in", "تثبيت برنامج Outlook",
		"Install the Outlook add-in", "", NULL,
	};
	static const char *const queries[] = {
		"how to install outlook", "outlook install mac",
		"تثبيت برنامج outlook",
	};
	struct rank_candidate a[7], b[7];
	struct rank_traits t;
	size_t i, k;

	t = rank_traits_of("Outlook for Mac can't start");
	cr_assert(t.platforms && t.problem && !t.guide && !t.arabic);
	t = rank_traits_of("Troubleshoot Outlook");
	cr_assert(!t.platforms && t.guide && t.problem && !t.arabic);
	cr_assert(rank_traits_of("تثبيت برنامج Outlook").arabic);
	t = rank_traits_of("");
	cr_assert(!t.platforms && !t.guide && !t.problem && !t.arabic);

	/* with a snapshot (traits given) and without, the same scores and order */
	for (k = 0; k < sizeof(queries) / sizeof(queries[0]); k++) {
		rank_titles(queries[k], titles, 7, false, 7, a);
		rank_titles(queries[k], titles, 7, true, 7, b);
		for (i = 0; i < 7; i++) {
			cr_assert_eq(a[i].rank, b[i].rank, "%s: #%zu", queries[k], i);
			cr_assert_eq(a[i].score, b[i].score, "%s: #%zu", queries[k], i);
		}
	}
	/* the traits given are the ones used: the procedure said to be for Mac */
	rank_titles("how to install outlook", titles, 7, true, 7, a);
	rank_titles("how to install outlook", titles, 7, true, 4, b);
	for (i = 0; a[i].rank != 4; i++)
		;
	for (k = 0; b[k].rank != 4; k++)
		;
	cr_assert_gt(a[i].score, b[k].score);
}
