/*
 * article_file.c - see article_file.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "article.h"
#include "article_file.h"
#include "buf.h"
#include "err.h"
#include "json_out.h"
#include "kbd.h"
#include "util.h"
#include "banned.h"

/* ---- the file ---- */

void
article_file_path(const struct kbd *kbd, const char *slug, struct buf *out)
{
	buf_reset(out);
	buf_printf(out, "%s/%s.md", kbd->cfg.articles_dir, slug);
}

/* Create the folders of path below the articles directory. */
static int
make_parents(const char *path)
{
	char *dir = xstrdup(path), *p;
	int rc = KB_OK;

	for (p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
			rc = KB_EIO;
			break;
		}
		*p = '/';
	}
	free(dir);
	return rc;
}

int
article_file_read(const char *path, struct buf *out)
{
	struct buf raw;
	size_t i;
	int rc;

	buf_init(&raw, ARTICLE_MAX_BYTES);
	rc = file_read(path, &raw);
	if (!rc)
		for (i = 0; i < raw.len; i++)
			if (!(raw.data[i] == '\r' && i + 1 < raw.len &&
			    raw.data[i + 1] == '\n'))
				buf_putc(out, raw.data[i]);
	buf_release(&raw);
	return rc;
}

int
article_file_write(const char *path, const char *text, size_t len)
{
	if (make_parents(path))
		return KB_EIO;
	return file_write_atomic(path, text, len);
}

/* ---- front matter ---- */

/* A YAML scalar: a JSON string is valid YAML and escapes everything. */
static void
yaml_string(struct buf *b, const char *s)
{
	json_t *j = json_string(s ? s : "");
	char *enc = j ? json_out_dup(j) : NULL;

	buf_puts(b, enc ? enc : "\"\"");
	free(enc);
	json_decref(j);
}

const char *
article_field(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

/*
 * Browsers send a textarea's lines ending in "\r\n": files kbd writes end
 * them in "\n" only, as it reads them back (a stray "\r" would look like a
 * change on disk at the next save).
 */
static void
unix_newlines(struct buf *b)
{
	size_t i, o = 0;

	for (i = 0; i < b->len; i++) {
		if (b->data[i] == '\r') {
			if (i + 1 < b->len && b->data[i + 1] == '\n')
				continue;
			b->data[o++] = '\n';
		} else {
			b->data[o++] = b->data[i];
		}
	}
	buf_truncate(b, o);
}

void
article_file_compose(struct buf *md, json_t *f, const char *status,
    const char *body)
{
	static const char *const plain[] = { "title", "summary", "product",
		"category", NULL };
	json_t *v;
	size_t i;
	char day[16];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	buf_puts(md, "---\n");
	for (i = 0; plain[i]; i++) {
		buf_printf(md, "%s: ", plain[i]);
		yaml_string(md, article_field(f, plain[i]));
		buf_putc(md, '\n');
	}
	buf_puts(md, "tags: [");
	json_array_foreach(json_object_get(f, "tags"), i, v) {
		if (i)
			buf_puts(md, ", ");
		yaml_string(md, json_string_value(v));
	}
	buf_puts(md, "]\n");
	buf_printf(md, "lang: %s\naudience: %s\nstatus: %s\nauthor: ",
	    article_field(f, "lang"), article_field(f, "audience"), status);
	yaml_string(md, article_field(f, "author"));
	buf_printf(md, "\nupdated: %s\n", day);
	if (json_array_size(json_object_get(f, "faq"))) {
		buf_puts(md, "faq:\n");
		json_array_foreach(json_object_get(f, "faq"), i, v) {
			buf_puts(md, "  - q: ");
			yaml_string(md, article_field(v, "q"));
			buf_puts(md, "\n    a: ");
			yaml_string(md, article_field(v, "a"));
			buf_putc(md, '\n');
		}
	}
	buf_puts(md, "---\n");
	buf_puts(md, body);
	if (md->len && md->data[md->len - 1] != '\n')
		buf_putc(md, '\n');
	unix_newlines(md);
}

/*
 * The fields of a parsed article, as JSON (what the editor gets and
 * article_file_compose() takes).
 */
static json_t *
fields_of(const struct article *a)
{
	json_t *f, *tags = json_array(), *faq = json_array();
	size_t i;

	for (i = 0; i < a->ntags; i++)
		json_array_append_new(tags, json_string(a->tags[i]));
	for (i = 0; i < a->nfaq; i++)
		json_array_append_new(faq, json_pack("{s:s, s:s}", "q", a->faq[i].q,
		    "a", a->faq[i].a));
	f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}",
	    "title", a->title, "summary", a->summary, "product", a->product,
	    "category", a->category, "lang", a->lang, "audience", a->audience,
	    "author", a->author, "status", a->status, "tags", tags, "faq", faq);
	return f;
}

int
article_file_parse(const struct kbd *kbd, const char *slug, const char *text,
    size_t len, json_t **fields, size_t *body_off, struct buf *errors)
{
	struct article_diag diag;
	struct article a;
	struct buf rel;
	int rc;

	buf_init(&rel, 4096);
	buf_printf(&rel, "%s.md", slug);
	article_diag_init(&diag);
	rc = article_parse(kbd->cfg.articles_dir, buf_str(&rel), text, len,
	    time(NULL), &a, &diag);
	if (rc == KB_OK) {
		*fields = fields_of(&a);
		*body_off = article_body_offset(text, len);
		if (*body_off == (size_t)-1)
			*body_off = 0;
		article_release(&a);
	} else if (errors) {
		buf_puts(errors, buf_str(&diag.errors));
	}
	article_diag_release(&diag);
	buf_release(&rel);
	return rc;
}
