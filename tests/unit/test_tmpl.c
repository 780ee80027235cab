/* Unit tests for the template engine: escaping by default, sections, partials. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "tmpl.h"

static struct tmpl_set *set;

static void
setup(void)
{
	set = tmpl_set_new();
}

static void
teardown(void)
{
	tmpl_set_free(set);
}

static char *
render(const char *src, const char *json)
{
	json_error_t jerr;
	json_t *data = json_loads(json, 0, &jerr);
	struct buf out;
	char *err = NULL;

	cr_assert_not_null(data, "bad test JSON: %s", jerr.text);
	cr_assert_eq(tmpl_set_add(set, "t", src, strlen(src), &err), KB_OK,
	    "parse: %s", err ? err : "");
	buf_init(&out, 0);
	cr_assert_eq(tmpl_render(set, "t", data, &out), KB_OK);
	json_decref(data);
	return buf_detach(&out, NULL);
}

TestSuite(tmpl, .init = setup, .fini = teardown);

Test(tmpl, escapes_by_default)
{
	char *s = render("<p>{{q}}</p>", "{\"q\": \"<script>alert(1)</script>&'\\\"\"}");

	cr_assert_str_eq(s, "<p>&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;&quot;</p>");
	free(s);
}

Test(tmpl, triple_braces_are_raw)
{
	char *s = render("{{{html}}}", "{\"html\": \"<b>x</b>\"}");

	cr_assert_str_eq(s, "<b>x</b>");
	free(s);
}

Test(tmpl, sections_iterate_and_nest)
{
	char *s = render("{{#items}}[{{name}}:{{#tags}}{{.}},{{/tags}}]{{/items}}",
	    "{\"items\": [{\"name\": \"a\", \"tags\": [\"x\", \"y\"]},"
	    " {\"name\": \"b\", \"tags\": []}]}");

	cr_assert_str_eq(s, "[a:x,y,][b:]");
	free(s);
}

Test(tmpl, inverted_and_truthiness)
{
	char *s = render("{{#t}}T{{/t}}{{^f}}F{{/f}}{{^e}}E{{/e}}{{^missing}}M{{/missing}}"
	    "{{#zero}}Z{{/zero}}{{#s}}{{s}}{{/s}}",
	    "{\"t\": true, \"f\": false, \"e\": [], \"zero\": 0, \"s\": \"str\"}");

	cr_assert_str_eq(s, "TFEMstr");
	free(s);
}

Test(tmpl, dotted_names_and_outer_lookup)
{
	char *s = render("{{a.b.c}} {{#list}}{{x}}-{{outer}} {{/list}}{{n}}",
	    "{\"a\": {\"b\": {\"c\": \"deep\"}}, \"outer\": \"o\","
	    " \"list\": [{\"x\": 1}, {\"x\": 2.5}], \"n\": 7}");

	cr_assert_str_eq(s, "deep 1-o 2.5-o 7");
	free(s);
}

Test(tmpl, partials_and_comments)
{
	char *err = NULL;
	char *s;

	cr_assert_eq(tmpl_set_add(set, "head", "<h1>{{title}}</h1>", 18, &err), KB_OK);
	s = render("{{! a comment }}{{>head}}body", "{\"title\": \"<T>\"}");
	cr_assert_str_eq(s, "<h1>&lt;T&gt;</h1>body");
	free(s);
}

Test(tmpl, syntax_errors_name_the_line)
{
	char *err = NULL;
	const char *src = "ok\n{{#a}}\nnever closed";

	cr_assert_eq(tmpl_set_add(set, "bad", src, strlen(src), &err), KB_EINVAL);
	cr_assert_not_null(err);
	cr_assert(strstr(err, "bad:3:") != NULL, "got %s", err);
	free(err);
	src = "{{#a}}x{{/b}}";
	cr_assert_eq(tmpl_set_add(set, "bad", src, strlen(src), &err), KB_EINVAL);
	free(err);
	src = "{{oops";
	cr_assert_eq(tmpl_set_add(set, "bad", src, strlen(src), &err), KB_EINVAL);
	free(err);
}

Test(tmpl, unknown_partial_is_an_error)
{
	struct buf out;
	char *err = NULL;
	json_t *data = json_object();

	cr_assert_eq(tmpl_set_add(set, "p", "{{>nope}}", 9, &err), KB_OK);
	buf_init(&out, 0);
	cr_assert_eq(tmpl_render(set, "p", data, &out), KB_ENOTFOUND);
	buf_release(&out);
	json_decref(data);
}

/* Only the article template may insert raw HTML, and only the rendered body. */
Test(tmpl, shipped_templates_use_raw_output_once)
{
	static const char *const names[] = { "header", "footer", "home",
		"search", "article", "faq", "error" };
	char path[256], *text;
	size_t i, raw = 0;
	FILE *f;
	long n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.html", TEMPLATES_DIR, names[i]);
		f = fopen(path, "rb");
		cr_assert_not_null(f, "missing %s", path);
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		text = calloc(1, (size_t)n + 1);
		cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
		fclose(f);
		for (const char *p = text; (p = strstr(p, "{{{")); p += 3) {
			raw++;
			cr_assert_eq(strcmp(names[i], "article"), 0,
			    "raw output in %s", names[i]);
			cr_assert(strncmp(p, "{{{article.html}}}", 18) == 0,
			    "raw output of something else than the body");
		}
		free(text);
	}
	cr_assert_eq(raw, 1);
}
