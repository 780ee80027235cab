/* Unit tests for article loading: front matter, DocFX syntax, rendering. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "err.h"

#define ROOT FIXTURES_DIR "/articles"

static struct article_diag diag;

static void setup(void) { article_diag_init(&diag); }
static void teardown(void) { article_diag_release(&diag); }

TestSuite(article, .init = setup, .fini = teardown);

Test(article, loads_every_field)
{
	struct article a;

	cr_assert_eq(article_load(ROOT, "net/vpn-error-809.md", &a, &diag), KB_OK,
	    "%s", buf_str(&diag.errors));
	cr_assert_str_eq(a.slug, "net/vpn-error-809");
	cr_assert_str_eq(a.title, "VPN fails with error 809");
	cr_assert(strstr(a.summary, "blocked port") != NULL);
	cr_assert_eq(a.ntags, 3);
	cr_assert_str_eq(a.tags[1], "remote access");
	cr_assert_str_eq(a.tags[2], "error 809", "tags are lowercased");
	cr_assert_str_eq(a.product, "GlobalConnect");
	cr_assert_str_eq(a.category, "Network");
	cr_assert_str_eq(a.lang, "en");
	cr_assert_str_eq(a.audience, "l1");
	cr_assert_str_eq(a.status, "published");
	cr_assert_str_eq(a.author, "Test Writer");
	cr_assert_str_eq(a.updated, "2026-03-04");
	cr_assert_eq(a.nfaq, 1);
	cr_assert_str_eq(a.faq[0].q, "Why does the VPN say error 809?");
	cr_assert_eq(a.ndeps, 1);
	cr_assert_str_eq(a.deps[0], "includes/restart-steps.md");
	article_release(&a);
}

Test(article, docfx_syntax_never_reaches_text_or_html)
{
	struct article a;
	struct buf text;
	char *html;

	cr_assert_eq(article_load(ROOT, "net/vpn-error-809.md", &a, &diag), KB_OK);
	buf_init(&text, 0);
	article_text(&a, &text);
	cr_assert(strstr(buf_str(&text), "Quit the client from the tray") != NULL,
	    "the include is resolved");
	cr_assert(strstr(buf_str(&text), "Note:") != NULL);
	cr_assert_null(strstr(buf_str(&text), "[!NOTE]"));
	cr_assert_null(strstr(buf_str(&text), "[!INCLUDE"));
	cr_assert_null(strstr(buf_str(&text), ":::"));
	cr_assert_null(strstr(buf_str(&text), "<div>"), "raw HTML is not text");
	cr_assert(strstr(buf_str(&text), "Get-VpnConnection") != NULL, "code is text");
	cr_assert_eq(article_html(&a, &html), KB_OK);
	cr_assert(strstr(html, "<strong>Note:</strong>") != NULL);
	cr_assert(strstr(html, "<h2>Restart the client</h2>") != NULL);
	cr_assert_null(strstr(html, "<div>"), "cmark safe mode drops raw HTML");
	cr_assert_null(strstr(html, ":::image"));
	free(html);
	buf_release(&text);
	article_release(&a);
}

Test(article, unsafe_links_are_removed)
{
	struct article a;
	const char *src = "---\ntitle: Links\n---\n[click](javascript:alert(1)) "
	    "[ok](https://example.com) <img src=x onerror=alert(1)>\n";
	char *html;

	cr_assert_eq(article_parse(NULL, "links.md", src, strlen(src), 0, &a, &diag),
	    KB_OK);
	cr_assert_eq(article_html(&a, &html), KB_OK);
	cr_assert_null(strstr(html, "javascript:"));
	cr_assert_null(strstr(html, "onerror"));
	cr_assert(strstr(html, "href=\"https://example.com\"") != NULL);
	free(html);
	article_release(&a);
	src = "---\ntitle: Schemes\n---\n[a](ms-settings:network) [b](mailto:desk@example.com) "
	    "[c](/articles/x) [d](ftp://x/y) [e](JaVaScRiPt:alert(1)) ![i](data:text/html,x)\n";
	cr_assert_eq(article_parse(NULL, "s.md", src, strlen(src), 0, &a, &diag), KB_OK);
	cr_assert_eq(article_html(&a, &html), KB_OK);
	cr_assert_null(strstr(html, "ms-settings"));
	cr_assert_null(strstr(html, "ftp:"));
	cr_assert_null(strstr(html, "avaScRiPt"));
	cr_assert_null(strstr(html, "data:"));
	cr_assert(strstr(html, "href=\"mailto:desk@example.com\"") != NULL);
	cr_assert(strstr(html, "href=\"/articles/x\"") != NULL);
	free(html);
	article_release(&a);
}

Test(article, docfx_front_matter_crlf_and_bom)
{
	struct article a;

	cr_assert_eq(article_load(ROOT, "net/crlf-bom.md", &a, &diag), KB_OK,
	    "%s", buf_str(&diag.errors));
	cr_assert_str_eq(a.title, "Wi-Fi drops every few minutes");
	cr_assert_str_eq(a.summary, "DocFX-style description used as the summary.");
	cr_assert_str_eq(a.updated, "2023-01-13", "ms.date is the fallback date");
	cr_assert_str_eq(a.audience, "l2", "DocFX ITPro maps to L2");
	cr_assert_str_eq(a.status, "published");
	cr_assert_str_eq(a.lang, "en");
	article_release(&a);
}

Test(article, title_falls_back_to_first_heading)
{
	struct article a;

	cr_assert_eq(article_load(ROOT, "no-front-matter.md", &a, &diag), KB_OK);
	cr_assert_str_eq(a.title, "Printer shows offline");
	cr_assert_str_eq(a.slug, "no-front-matter");
	cr_assert_eq(strlen(a.updated), 10, "mtime gives a date");
	article_release(&a);
}

Test(article, arabic_is_kept_as_written)
{
	struct article a;

	cr_assert_eq(article_load(ROOT, "ar/password.md", &a, &diag), KB_OK);
	cr_assert_str_eq(a.lang, "ar");
	cr_assert_str_eq(a.title, "إعادة تعيين كلمة المرور");
	cr_assert(strstr(a.summary, "كلمةِ") != NULL, "display text keeps diacritics");
	article_release(&a);
}

/* Each broken file is refused with "path:line: message". */
static void
expect_error(const char *rel, const char *where, const char *what)
{
	struct article a;

	buf_reset(&diag.errors);
	cr_assert_eq(article_load(ROOT, rel, &a, &diag), KB_EINVAL, "%s loaded", rel);
	cr_assert(strstr(buf_str(&diag.errors), where) != NULL,
	    "%s: expected '%s' in: %s", rel, where, buf_str(&diag.errors));
	cr_assert(strstr(buf_str(&diag.errors), what) != NULL,
	    "%s: expected '%s' in: %s", rel, what, buf_str(&diag.errors));
	cr_assert_null(a.title, "nothing is left allocated");
}

Test(article, broken_files_are_reported_with_a_line)
{
	expect_error("bad/broken-yaml.md", "bad/broken-yaml.md:", "not valid YAML");
	expect_error("bad/unknown-lang.md", "bad/unknown-lang.md:3:", "unknown lang 'fr'");
	expect_error("bad/no-title.md", "bad/no-title.md:1:", "no title");
	expect_error("bad/unclosed.md", "bad/unclosed.md:1:", "never closed");
	expect_error("bad/invalid-utf8.md", "bad/invalid-utf8.md:4:", "invalid UTF-8");
	expect_error("bad/bad-status.md", "bad/bad-status.md:3:", "unknown status 'publishd'");
	cr_assert(strstr(buf_str(&diag.errors), "bad-status.md:4: 'updated' must be a date") != NULL,
	    "all problems of a file are reported: %s", buf_str(&diag.errors));
}

Test(article, missing_file_is_not_found)
{
	struct article a;

	cr_assert_eq(article_load(ROOT, "nope.md", &a, &diag), KB_ENOTFOUND);
}

Test(article, includes_cannot_leave_the_root)
{
	struct article a;
	const char *src = "---\ntitle: Escape\n---\n[!INCLUDE [x](../../../../etc/passwd)]\n";
	struct buf text;

	cr_assert_eq(article_parse(ROOT, "net/escape.md", src, strlen(src), 0, &a,
	    &diag), KB_OK);
	cr_assert(strstr(buf_str(&diag.warnings), "outside the articles directory") != NULL);
	buf_init(&text, 0);
	article_text(&a, &text);
	cr_assert_null(strstr(buf_str(&text), "root:"));
	buf_release(&text);
	article_release(&a);
}

Test(article, fragments_are_recognised)
{
	cr_assert(article_is_fragment("includes/x.md"));
	cr_assert(article_is_fragment("support/windows/includes/x.md"));
	cr_assert_not(article_is_fragment("network/includes-not.md"));
}
