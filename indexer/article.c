/*
 * article.c - one article: loading it from its file, what it owns, and
 * its body as plain text and as HTML; see article.h.
 *
 * Loading happens in three steps: the raw bytes are checked and normalised
 * (UTF-8, BOM, CRLF), the front matter is read onto struct article
 * (front_matter.h), and the body is rewritten line by line for the DocFX
 * extensions (docfx.h). cmark only ever sees the result.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cmark.h>

#include "article.h"
#include "docfx.h"
#include "err.h"
#include "front_matter.h"
#include "text.h"
#include "util.h"
#include "banned.h"

/* Parsing state for one file. */
struct loader {
	const char *relpath;	/* file being loaded, relative to the root */
	struct article_diag *diag;
	bool failed;		/* an error was reported */
};

void
article_diag_init(struct article_diag *d)
{
	buf_init(&d->errors, 1 << 20);
	buf_init(&d->warnings, 1 << 20);
}

void
article_diag_release(struct article_diag *d)
{
	buf_release(&d->errors);
	buf_release(&d->warnings);
}

void
article_diag_add(struct buf *list, const char *path, size_t line,
    const char *fmt, ...)
{
	va_list ap;

	buf_printf(list, "%s:%zu: ", path, line);
	va_start(ap, fmt);
	buf_vprintf(list, fmt, ap);
	va_end(ap);
	buf_putc(list, '\n');
}

#define LOAD_ERROR(ld, line, ...) \
	do { \
		article_diag_add(&(ld)->diag->errors, (ld)->relpath, (line), \
		    __VA_ARGS__); \
		(ld)->failed = true; \
	} while (0)

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
article_release(struct article *a)
{
	size_t i;

	free(a->slug);
	free(a->title);
	free(a->summary);
	free(a->product);
	free(a->category);
	free(a->lang);
	free(a->audience);
	free(a->status);
	free(a->author);
	free(a->updated);
	free_strv(a->tags, a->ntags);
	for (i = 0; i < a->nfaq; i++) {
		free(a->faq[i].q);
		free(a->faq[i].a);
	}
	free(a->faq);
	free(a->markdown);
	free_strv(a->deps, a->ndeps);
	memset(a, 0, sizeof(*a));
}

bool
article_is_fragment(const char *relpath)
{
	return str_starts_with(relpath, "includes/") ||
	    strstr(relpath, "/includes/") != NULL;
}

/* 'updated' when the front matter gives none: the file's mtime, in UTC. */
static char *
date_from_mtime(time_t t)
{
	struct tm tm;
	struct buf b;

	gmtime_r(&t, &tm);
	buf_init(&b, 32);
	buf_printf(&b, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
	return buf_detach(&b, NULL);
}

size_t
article_body_offset(const char *src, size_t len)
{
	size_t line;

	return front_matter_end(src, len, &line);
}

/* The text of the first "# " heading in the Markdown, or NULL. */
static char *
first_heading(const char *md, size_t len)
{
	cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node *n, *h = NULL;
	struct buf b;
	char *res = NULL;

	if (!doc)
		return NULL;
	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(n) == 1) {
			h = n;
			break;
		}
	}
	if (h) {
		buf_init(&b, FRONT_MATTER_FIELD_MAX);
		it = cmark_iter_new(h);
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			n = cmark_iter_get_node(it);
			if (ev == CMARK_EVENT_ENTER &&
			    (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
			    cmark_node_get_type(n) == CMARK_NODE_CODE))
				buf_puts(&b, cmark_node_get_literal(n));
		}
		cmark_iter_free(it);
		if (!b.err && b.len)
			res = str_dup_collapsed(b.data, b.len);
		buf_release(&b);
	}
	cmark_node_free(doc);
	return res;
}

/* ---- loading ---- */

/* Copy src without a BOM and with CRLF turned into LF. */
static void
normalise_newlines(const char *src, size_t len, struct buf *out)
{
	size_t i, start = 0;

	if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
		start = 3;
	for (i = start; i < len; i++) {
		if (src[i] == '\r' && i + 1 < len && src[i + 1] == '\n') {
			buf_append(out, src + start, i - start);
			start = i + 1;
		}
	}
	buf_append(out, src + start, len - start);
}

/* 1-based line of the first invalid UTF-8 byte, or 0 if all is valid. */
static size_t
invalid_utf8_line(const char *s, size_t len)
{
	size_t i = 0, at, line = 1;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			line += s[i] == '\n';
			i++;
			continue;
		}
		at = i;
		if (utf8_next(s, len, &i) == 0xFFFD && i == at + 1)
			return line;
	}
	return 0;
}

int
article_parse(const char *root, const char *relpath, const char *src,
    size_t len, time_t mtime, struct article *a, struct article_diag *diag)
{
	struct loader ld = { relpath, diag, false };
	struct buf text, body;
	size_t fm_end, body_line = 1, bad;
	const char *slug_end;

	memset(a, 0, sizeof(*a));
	buf_init(&text, ARTICLE_MAX_BYTES);
	buf_init(&body, ARTICLE_MAX_BYTES * 4);
	if (len > ARTICLE_MAX_BYTES) {
		LOAD_ERROR(&ld, 1, "file is larger than %zu bytes", ARTICLE_MAX_BYTES);
		goto out;
	}
	if ((bad = invalid_utf8_line(src, len))) {
		LOAD_ERROR(&ld, bad, "invalid UTF-8");
		goto out;
	}
	normalise_newlines(src, len, &text);
	if (text.err) {
		LOAD_ERROR(&ld, 1, "%s", kb_strerror(text.err));
		goto out;
	}
	fm_end = front_matter_end(buf_str(&text), text.len, &body_line);
	if (fm_end == (size_t)-1) {
		LOAD_ERROR(&ld, 1, "front matter opened with '---' is never closed");
		goto out;
	}
	if (fm_end && front_matter_read(text.data, fm_end, relpath, a, diag,
	    &ld.failed))
		goto out;
	docfx_rewrite(root, relpath, text.data + fm_end, text.len - fm_end,
	    body_line, a, diag, &body);
	if (body.err) {
		LOAD_ERROR(&ld, 1, "body after includes is %s", kb_strerror(body.err));
		goto out;
	}
	if (!a->title)
		a->title = first_heading(buf_str(&body), body.len);
	if (!a->title || !*a->title)
		LOAD_ERROR(&ld, 1, "no title: add 'title:' to the front matter");
	if (ld.failed)
		goto out;

	slug_end = str_ends_with(relpath, ".md") ? relpath + strlen(relpath) - 3 :
	    relpath + strlen(relpath);
	a->slug = xstrndup(relpath, (size_t)(slug_end - relpath));
	if (!a->lang)
		a->lang = xstrdup(text_detect_lang(a->title, strlen(a->title), 0.3)[0] == 'a' ||
		    text_detect_lang(buf_str(&body), body.len, 0.3)[0] == 'a' ? "ar" : "en");
	if (!a->audience)
		a->audience = xstrdup("l1");
	if (!a->status)
		a->status = xstrdup("published");
	if (!a->updated)
		a->updated = date_from_mtime(mtime);
	if (!a->summary)
		a->summary = xstrdup("");
	if (!a->product)
		a->product = xstrdup("");
	if (!a->category)
		a->category = xstrdup("");
	if (!a->author)
		a->author = xstrdup("");
	a->markdown = buf_detach(&body, &a->markdown_len);
out:
	buf_release(&text);
	buf_release(&body);
	if (ld.failed) {
		article_release(a);
		return KB_EINVAL;
	}
	return KB_OK;
}

int
article_load(const char *root, const char *relpath, struct article *a,
    struct article_diag *diag)
{
	struct buf path, src;
	struct stat st;
	int rc;

	memset(a, 0, sizeof(*a));
	buf_init(&path, PATH_MAX * 2);
	buf_init(&src, ARTICLE_MAX_BYTES + 1);
	buf_printf(&path, "%s/%s", root, relpath);
	if (path.err) {
		rc = KB_ETOOBIG;
		goto out;
	}
	if (stat(path.data, &st) != 0) {
		rc = errno == ENOENT ? KB_ENOTFOUND : KB_EIO;
		goto out;
	}
	rc = file_read(path.data, &src);
	if (rc == KB_ETOOBIG) {
		article_diag_add(&diag->errors, relpath, 1,
		    "file is larger than %zu bytes", ARTICLE_MAX_BYTES);
		rc = KB_EINVAL;
		goto out;
	}
	if (rc) {
		article_diag_add(&diag->errors, relpath, 1, "cannot read: %s",
		    strerror(errno));
		goto out;
	}
	rc = article_parse(root, relpath, buf_str(&src), src.len, st.st_mtime, a,
	    diag);
out:
	buf_release(&path);
	buf_release(&src);
	return rc;
}

/* ---- rendering ---- */

static bool
is_block(cmark_node_type t)
{
	return t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
	    t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_ITEM ||
	    t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_THEMATIC_BREAK;
}

void
article_text(const struct article *a, struct buf *out)
{
	cmark_node *doc, *n;
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node_type t;
	const char *lit;

	doc = cmark_parse_document(a->markdown, a->markdown_len, CMARK_OPT_DEFAULT);
	if (!doc)
		return;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_EXIT) {
			if (is_block(t) && out->len && out->data[out->len - 1] != '\n')
				buf_putc(out, '\n');
			continue;
		}
		switch (t) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			lit = cmark_node_get_literal(n);
			if (lit)
				buf_puts(out, lit);
			if (t == CMARK_NODE_CODE_BLOCK)
				buf_putc(out, '\n');
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
}

/*
 * Links and images may point only at http, https, mailto or a relative
 * address; cmark's safe mode already drops javascript:, vbscript:, file:
 * and data:, this also drops every other scheme (ms-settings:, ftp:, …).
 */
static bool
url_allowed(const char *url)
{
	const char *p;

	if (!url)
		return true;
	for (p = url; *p && *p != ':' && *p != '/' && *p != '?' && *p != '#'; p++)
		;
	if (*p != ':')
		return true;	/* no scheme: relative */
	return (p - url == 4 && strncasecmp(url, "http", 4) == 0) ||
	    (p - url == 5 && strncasecmp(url, "https", 5) == 0) ||
	    (p - url == 6 && strncasecmp(url, "mailto", 6) == 0);
}

static void
drop_unsafe_urls(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *n;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    (cmark_node_get_type(n) == CMARK_NODE_LINK ||
		    cmark_node_get_type(n) == CMARK_NODE_IMAGE) &&
		    !url_allowed(cmark_node_get_url(n)))
			cmark_node_set_url(n, "");
	}
	cmark_iter_free(it);
}

int
article_html(const struct article *a, char **html)
{
	cmark_node *doc;

	*html = NULL;
	doc = cmark_parse_document(a->markdown, a->markdown_len, CMARK_OPT_DEFAULT);
	if (!doc)
		return KB_ENOMEM;
	drop_unsafe_urls(doc);
	/* CMARK_OPT_DEFAULT is safe mode: raw HTML and unsafe links are removed. */
	*html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	cmark_node_free(doc);
	return *html ? KB_OK : KB_ENOMEM;
}
