/*
 * view.c - see view.h.
 */
#include <string.h>

#include "article.h"
#include "err.h"
#include "html.h"
#include "kbd.h"
#include "log.h"
#include "util.h"
#include "view.h"
#include "banned.h"

char *
view_article_url(const char *slug)
{
	struct buf b;
	char *s;

	buf_init(&b, 0);
	buf_puts(&b, "/articles/");
	url_encode_buf(&b, slug, strlen(slug), 1);
	s = buf_detach(&b, NULL);
	return s ? s : xstrdup("/");
}

const char *
view_dir(const char *lang)
{
	return lang && strcmp(lang, "ar") == 0 ? "rtl" : "ltr";
}

static void
copy_fields(json_t *dst, json_t *src, const char *const *keys)
{
	json_t *v;

	for (; *keys; keys++) {
		v = json_object_get(src, *keys);
		json_object_set_new(dst, *keys, v ? json_incref(v) : json_string(""));
	}
}

json_t *
view_hit(const struct search_hit *h, bool for_page)
{
	static const char *const keys[] = { "slug", "title", "summary", "tags",
		"lang", "updated", "product", "category", NULL };
	static const char *const field_names[] = { "title", "tags", "summary",
		"body" };
	json_t *o = json_object(), *segs, *in, *matched = json_array();
	const char *slug = json_string_value(json_object_get(h->doc, "slug"));
	const char *lang = json_string_value(json_object_get(h->doc, "lang"));
	char *url = view_article_url(slug ? slug : "");
	size_t i;

	copy_fields(o, h->doc, keys);
	json_object_set_new(o, "dir", json_string(view_dir(lang)));
	json_object_set_new(o, "url", json_string(url));
	json_object_set_new(o, "score", json_real(h->score));
	for (i = 0; i < h->nmatched; i++)
		json_array_append_new(matched, json_string(h->matched[i]));
	json_object_set_new(o, "matched", matched);
	in = json_array();
	for (i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (h->fields & (1u << i))
			json_array_append_new(in, json_string(field_names[i]));
	json_object_set_new(o, "matched_in", in);
	segs = json_array();
	for (i = 0; i < h->nsegs; i++) {
		if (for_page)
			json_array_append_new(segs, json_pack("{s:s%, s:b}",
			    "text", h->snippet + h->segs[i].off, h->segs[i].len,
			    "hl", h->segs[i].hl));
		else if (h->segs[i].hl)
			json_array_append_new(segs, json_pack("[I, I]",
			    (json_int_t)h->segs[i].off, (json_int_t)h->segs[i].len));
	}
	if (for_page) {
		json_object_set_new(o, "snippet", segs);
	} else {
		json_object_set_new(o, "snippet", json_string(h->snippet));
		json_object_set_new(o, "highlights", segs);
	}
	free(url);
	return o;
}

int
view_article(const struct kbd *kbd, json_t *doc, json_t **out)
{
	static const char *const keys[] = { "slug", "title", "summary", "tags",
		"product", "category", "lang", "audience", "status", "author",
		"updated", "faq", NULL };
	struct article_diag diag;
	struct article a;
	const char *path = json_string_value(json_object_get(doc, "path"));
	char *html = NULL, *url;
	json_t *o;
	int rc;

	*out = NULL;
	if (!path)
		return KB_ENOTFOUND;
	article_diag_init(&diag);
	/* the path comes from the index, never from the URL */
	rc = article_load(kbd->cfg.articles_dir, path, &a, &diag);
	if (rc) {
		if (rc != KB_ENOTFOUND)
			kb_log(LOG_WARNING, "article %s: %s%s", path, kb_strerror(rc),
			    buf_str(&diag.errors));
		article_diag_release(&diag);
		return rc == KB_ENOTFOUND ? rc : KB_EIO;
	}
	article_diag_release(&diag);
	rc = article_html(&a, &html);
	if (rc) {
		article_release(&a);
		return rc;
	}
	o = json_object();
	copy_fields(o, doc, keys);
	/* the file is the source of truth: show what it says now */
	json_object_set_new(o, "title", json_string(a.title));
	json_object_set_new(o, "summary", json_string(a.summary));
	json_object_set_new(o, "dir", json_string(view_dir(a.lang)));
	url = view_article_url(a.slug);
	json_object_set_new(o, "url", json_string(url));
	free(url);
	json_object_set_new(o, "html", json_string(html));
	free(html);
	article_release(&a);
	*out = o;
	return KB_OK;
}
