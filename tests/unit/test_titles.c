/* Unit tests for indexer/titles: completing a partial query from titles
 * held in memory (search-as-you-type), without Xapian's matcher. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "titles.h"

static const char *const sample[] = {
	[1] = "Outlook keeps asking for a password",
	[2] = "Outlook crashes on start",
	[3] = "Reset your password",
	[4] = "VPN error 809 when connecting",
	[5] = "Passwords expire after 90 days",
	[6] = "The printer is offline",
	[7] = "لا يمكن الاتصال بالشبكة الافتراضية",
	[9] = "Error 0x80070005 when installing KB5034441",
};

static struct titles *
sample_titles_added(bool backwards)
{
	struct titles *t = titles_new();
	unsigned i, d, n = sizeof(sample) / sizeof(sample[0]);

	cr_assert_not_null(t);
	for (i = 0; i < n; i++) {
		d = backwards ? n - 1 - i : i;
		if (sample[d])
			titles_add(t, d, sample[d]);
	}
	titles_seal(t);
	return t;
}

static struct titles *
sample_titles(void)
{
	return sample_titles_added(false);
}

/* The docids completing q, as "1 5 3" (best first). */
static const char *
complete(const struct titles *t, struct titles_scratch *sc, const char *q)
{
	static char out[256];
	unsigned docids[8];
	size_t n, i, at = 0;

	n = titles_complete(t, sc, q, docids, 8);
	out[0] = '\0';
	for (i = 0; i < n; i++)
		at += (size_t)snprintf(out + at, sizeof(out) - at, "%s%u",
		    i ? " " : "", docids[i]);
	return out;
}

Test(titles, the_last_word_is_a_prefix_until_a_space_follows)
{
	struct titles_scratch sc = { 0 };
	struct titles *t = sample_titles();

	cr_assert_eq(titles_count(t), 8);
	cr_assert_str_eq(complete(t, &sc, "outlook ke"), "1");
	cr_assert_str_eq(complete(t, &sc, "outl"), "2 1", "shorter title first");
	cr_assert_str_eq(complete(t, &sc, "pass"), "3 5 1");
	/* "pass " is a word typed in full: no title has it */
	cr_assert_str_eq(complete(t, &sc, "pass "), "");
	titles_scratch_release(&sc);
	titles_free(t);
}

Test(titles, every_word_typed_must_be_in_the_title)
{
	struct titles_scratch sc = { 0 };
	struct titles *t = sample_titles();

	cr_assert_str_eq(complete(t, &sc, "outlook password"), "1");
	cr_assert_str_eq(complete(t, &sc, "outlook printer"), "");
	cr_assert_str_eq(complete(t, &sc, "vpn 809 conn"), "4");
	titles_scratch_release(&sc);
	titles_free(t);
}

Test(titles, words_match_by_stem_and_case_and_stopwords_are_left_out)
{
	struct titles_scratch sc = { 0 };
	struct titles *t = sample_titles();

	/* "passwords" and "password" share a stem; "the" and "is" are stopwords */
	cr_assert_str_eq(complete(t, &sc, "PASSWORDS outlook"), "1");
	cr_assert_str_eq(complete(t, &sc, "the printer is "), "6");
	cr_assert_str_eq(complete(t, &sc, "the "), "6", "only stopwords: kept");
	cr_assert_str_eq(complete(t, &sc, "crash "), "2");
	titles_scratch_release(&sc);
	titles_free(t);
}

Test(titles, error_codes_and_kb_numbers_stay_whole)
{
	struct titles_scratch sc = { 0 };
	struct titles *t = sample_titles();

	cr_assert_str_eq(complete(t, &sc, "0x8007"), "9");
	cr_assert_str_eq(complete(t, &sc, "error 0X80070005 "), "9");
	cr_assert_str_eq(complete(t, &sc, "kb503444"), "9");
	/* typed apart from its prefix, as agents often do */
	cr_assert_str_eq(complete(t, &sc, "KB 50"), "9");
	cr_assert_str_eq(complete(t, &sc, "error kb  5034441 "), "9");
	cr_assert_str_eq(complete(t, &sc, "kb 6"), "", "another number");
	titles_scratch_release(&sc);
	titles_free(t);
}

Test(titles, arabic_is_normalised_and_stemmed)
{
	struct titles_scratch sc = { 0 };
	struct titles *t = sample_titles();

	cr_assert_str_eq(complete(t, &sc, "الاتص"), "7");
	/* with diacritics, and "الافتراضيه" with teh marbuta as heh */
	cr_assert_str_eq(complete(t, &sc, "الشَّبكة الافتراضيه "), "7");
	titles_scratch_release(&sc);
	titles_free(t);
}

Test(titles, bounds_and_empty_queries)
{
	struct titles_scratch sc = { 0 };
	struct titles *t = sample_titles(), *empty = titles_new();
	char many[TITLES_QUERY_WORDS * 2 + 8] = "";
	unsigned one[1];
	int i;

	cr_assert_str_eq(complete(t, &sc, ""), "");
	cr_assert_str_eq(complete(t, &sc, "  ,, "), "");
	cr_assert_eq(titles_complete(t, &sc, "pass", one, 1), 1);
	cr_assert_eq(one[0], 3u, "the best of three");
	for (i = 0; i < TITLES_QUERY_WORDS + 1; i++)
		strcat(many, "a ");
	cr_assert_str_eq(complete(t, &sc, many), "");
	titles_seal(empty);
	cr_assert_str_eq(complete(empty, &sc, "outlook"), "");
	/* the same scratch serves a set of titles with more documents */
	titles_free(empty);
	empty = titles_new();
	titles_add(empty, 5000, "Outlook search is slow");
	titles_seal(empty);
	cr_assert_str_eq(complete(empty, &sc, "outlook s"), "5000");
	cr_assert_str_eq(complete(t, &sc, "outlook s"), "2");
	titles_scratch_release(&sc);
	titles_free(empty);
	titles_free(t);
}

Test(titles, the_order_titles_are_added_in_does_not_matter)
{
	struct titles_scratch sc = { 0 };
	struct titles *t = sample_titles_added(true);

	cr_assert_str_eq(complete(t, &sc, "pass"), "3 5 1");
	cr_assert_str_eq(complete(t, &sc, "outl"), "2 1");
	cr_assert_str_eq(complete(t, &sc, "e"), "4 5 9", "equal: lower docid first");
	titles_scratch_release(&sc);
	titles_free(t);
}
