/* Unit tests for interface languages: the shipped catalogues, Accept-Language,
 * numbers, dates, plurals, messages with placeholders and the template
 * filters. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "i18n.h"
#include "tmpl.h"

static struct i18n *in;

static void
setup(void)
{
	char *err = NULL;

	cr_assert_eq(i18n_load(TEMPLATES_DIR "/i18n", "en", &in, &err), KB_OK,
	    "load: %s", err ? err : "");
}

static void
teardown(void)
{
	i18n_free(in);
}

TestSuite(i18n, .init = setup, .fini = teardown);

Test(i18n, shipped_catalogues_are_complete)
{
	cr_assert_str_eq(i18n_lang(in, "AR"), "ar");
	cr_assert_str_eq(i18n_lang(in, "en"), "en");
	cr_assert_null(i18n_lang(in, "xx"));
	cr_assert_eq(i18n_missing(in, "ar"), 0, "ar.json lacks %zu strings",
	    i18n_missing(in, "ar"));
	cr_assert_str_eq(i18n_dir(in, "ar"), "rtl");
	cr_assert_str_eq(i18n_dir(in, "en"), "ltr");
	cr_assert_str_eq(i18n_text(in, "en", "search_button"), "Search");
	cr_assert_str_eq(i18n_text(in, "ar", "search_button"), "بحث");
	/* unknown language: the default; unknown key: the key */
	cr_assert_str_eq(i18n_text(in, "xx", "search_button"), "Search");
	cr_assert_str_eq(i18n_text(in, "ar", "no_such_key"), "no_such_key");
}

Test(i18n, accept_language_follows_q_values)
{
	static const struct { const char *h, *want; } cases[] = {
		{ "ar", "ar" },
		{ "ar-SA,ar;q=0.9,en;q=0.8", "ar" },
		{ "en-GB,en;q=0.9,ar;q=0.8", "en" },
		{ "fr, ar;q=0.5, en;q=0.4", "ar" },
		{ "en;q=0.2, ar;q=0.7", "ar" },
		{ "ar;q=0.7, en;q=0.7", "ar" },		/* a tie: the first */
		{ "ar;q=0, en;q=0.1", "en" },
		{ "ar;q=1.5, en;q=0.1", "en" },		/* malformed q: ignored */
		{ "ar;q=abc", NULL },
		{ "ar ; q = 0.5", "ar" },
		{ "de, fr", NULL },
		{ "*", "en" },
		{ "", NULL },
		{ ",,,;;;q=", NULL },
		{ "ar-Arab-EG;q=0.5", "ar" },
	};
	const char *got;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = i18n_accept(in, cases[i].h);
		if (!cases[i].want)
			cr_assert_null(got, "'%s' gave %s", cases[i].h, got);
		else
			cr_assert(got && strcmp(got, cases[i].want) == 0,
			    "'%s' gave %s, not %s", cases[i].h, got ? got : "NULL",
			    cases[i].want);
	}
}

static char *
fmt_number(const char *lang, long long n)
{
	struct buf b;

	buf_init(&b, 0);
	i18n_number(in, lang, n, &b);
	return buf_detach(&b, NULL);
}

static char *
fmt_date(const char *lang, const char *iso)
{
	struct buf b;

	buf_init(&b, 0);
	i18n_date(in, lang, iso, &b);
	return buf_detach(&b, NULL);
}

Test(i18n, numbers_and_dates)
{
	static const struct { const char *lang; long long n; const char *want; } nums[] = {
		{ "en", 0, "0" }, { "en", 999, "999" }, { "en", 1234, "1,234" },
		{ "en", -1234567, "-1,234,567" }, { "ar", 12345, "12,345" },
	};
	static const struct { const char *lang, *iso, *want; } dates[] = {
		{ "en", "2026-11-27", "27 Nov 2026" },
		{ "ar", "2026-11-27", "27 نوفمبر 2026" },
		{ "en", "2026-01-05 14:03", "5 Jan 2026" },
		{ "en", "2026-13-01", "2026-13-01" },	/* not a date: as is */
		{ "en", "soon", "soon" },
	};
	char *s;
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		s = fmt_number(nums[i].lang, nums[i].n);
		cr_assert_str_eq(s, nums[i].want);
		free(s);
	}
	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		s = fmt_date(dates[i].lang, dates[i].iso);
		cr_assert_str_eq(s, dates[i].want);
		free(s);
	}
}

/* The segments of a message, written back as text with [name] for each
 * placeholder. */
static char *
flatten(json_t *segs)
{
	struct buf b;
	const char *k;
	json_t *seg, *v;
	size_t i;

	buf_init(&b, 0);
	json_array_foreach(segs, i, seg) {
		buf_puts(&b, json_string_value(json_object_get(seg, "_text")));
		json_object_foreach(seg, k, v)
			if (strcmp(k, "_text") != 0 && json_is_true(v))
				buf_printf(&b, "[%s]", k + 1);
	}
	json_decref(segs);
	return buf_detach(&b, NULL);
}

Test(i18n, messages_and_plurals)
{
	json_t *segs = i18n_message(in, "en", "results_range");
	json_t *seg;
	size_t i;
	char *s;

	/* every segment carries every placeholder flag */
	json_array_foreach(segs, i, seg) {
		cr_assert_not_null(json_object_get(seg, "_first"));
		cr_assert_not_null(json_object_get(seg, "_last"));
		cr_assert_not_null(json_object_get(seg, "_total"));
	}
	s = flatten(segs);
	cr_assert_str_eq(s, "Results [first]–[last] of [total]");
	free(s);
	s = flatten(i18n_message(in, "en", "search_button"));
	cr_assert_str_eq(s, "Search");
	free(s);
	s = flatten(i18n_plural(in, "en", "gaps_none", 1));
	cr_assert_str_eq(s, "No search came back empty in the last day.");
	free(s);
	s = flatten(i18n_plural(in, "en", "gaps_none", 30));
	cr_assert_str_eq(s, "No search came back empty in the last [days] days.");
	free(s);
	/* Arabic: 2 → two, 3–10 → few, 11–99 → many, 100 → other */
	s = flatten(i18n_plural(in, "ar", "gaps_none", 2));
	cr_assert(strstr(s, "اليومين") != NULL, "%s", s);
	free(s);
	s = flatten(i18n_plural(in, "ar", "gaps_none", 7));
	cr_assert(strstr(s, "[days] أيام") != NULL, "%s", s);
	free(s);
	s = flatten(i18n_plural(in, "ar", "gaps_none", 30));
	cr_assert(strstr(s, "[days] يومًا") != NULL, "%s", s);
	free(s);
	s = flatten(i18n_plural(in, "ar", "gaps_none", 100));
	cr_assert(strstr(s, "[days] يوم.") != NULL, "%s", s);
	free(s);
}

Test(i18n, template_filters_use_the_page_language)
{
	struct tmpl_set *set = tmpl_set_new();
	json_t *data;
	struct buf out;
	char *err = NULL;
	const char *src = "{{n|num}} {{d|date}} {{s|digits}} {{n}}";

	i18n_register_filters(in, set);
	cr_assert_eq(tmpl_set_add(set, "t", src, strlen(src), &err), KB_OK,
	    "%s", err ? err : "");
	data = json_pack("{s:s, s:i, s:s, s:s}", "ui_lang", "ar", "n", 1234,
	    "d", "2026-11-27", "s", "<2026>");
	buf_init(&out, 0);
	cr_assert_eq(tmpl_render(set, "t", data, &out), KB_OK);
	cr_assert_str_eq(buf_str(&out), "1,234 27 نوفمبر 2026 &lt;2026&gt; 1234");
	json_decref(data);
	buf_release(&out);
	/* an unknown filter, or a filter on a section, does not parse */
	cr_assert_eq(tmpl_set_add(set, "bad", "{{n|nope}}", 10, &err), KB_EINVAL);
	free(err);
	cr_assert_eq(tmpl_set_add(set, "bad", "{{#n|num}}x{{/n|num}}", 21, &err),
	    KB_EINVAL);
	free(err);
	tmpl_set_free(set);
}

Test(i18n, load_errors_are_clear)
{
	struct i18n *other = NULL;
	char *err = NULL;

	cr_assert_eq(i18n_load(TEMPLATES_DIR "/i18n", "xx", &other, &err),
	    KB_EINVAL);
	cr_assert(err && strstr(err, "--lang xx") != NULL, "%s", err ? err : "");
	free(err);
	err = NULL;
	cr_assert_neq(i18n_load("/nonexistent", "en", &other, &err), KB_OK);
	cr_assert_not_null(err);
	free(err);
	cr_assert_null(other);
}
