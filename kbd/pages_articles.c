/*
 * pages_articles.c - the pages L2/L3 write with: the article editor (form
 * fields, the Markdown body, a live preview through /api/v1/preview), the
 * lifecycle buttons, history with a diff and restore, the article inbox
 * (open flags, articles waiting for review or due for one), canned replies;
 * and what L1 posts from pages: feedback on an article, an FAQ answer sent
 * to a ticket. Every form posts here and redirects (post/redirect/get); a
 * refused save shows the editor again with the writer's text kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "articles.h"
#include "canned.h"
#include "err.h"
#include "faq.h"
#include "feedback.h"
#include "http.h"
#include "kbd.h"
#include "pages.h"
#include "revisions.h"
#include "search.h"
#include "tickets.h"
#include "ui_lang.h"
#include "util.h"
#include "view.h"
#include "widgets.h"
#include "banned.h"

#define FAQ_FORM_ROWS 50	/* faq_q_1 … faq_q_50 */
#define FAQ_BLANK_ROWS 3	/* empty rows the editor offers */
#define INBOX_FLAGS 500

static const char *const langs[] = { "en", "ar", NULL };
static const char *const audiences[] = { "l1", "l2", "l3", NULL };

/* "/articles/slug" etc. into a JSON string. */
static json_t *
url_of(const char *prefix, const char *slug)
{
	char *u = view_url(prefix, slug);
	json_t *o = json_string(u);

	free(u);
	return o;
}

/* The diff of revisions_diff() with flags a template can test. */
static void
mark_diff(json_t *diff)
{
	json_t *line;
	size_t i;

	json_array_foreach(json_object_get(diff, "lines"), i, line) {
		const char *op = json_string_value(json_object_get(line, "op"));
		json_object_set_new(line, "is_add", json_boolean(strcmp(op, "add") == 0));
		json_object_set_new(line, "is_del", json_boolean(strcmp(op, "del") == 0));
	}
}

/* ---- the editor ---- */

/*
 * Render the editor for article (fields, body, revision; consumed) with an
 * optional refusal (a 409's detail becomes "conflict").
 */
static void
editor(struct kbd *kbd, const struct req *r, struct response *resp,
    unsigned status, json_t *article, bool is_new, const struct refusal *e)
{
	const char *slug = json_string_value(json_object_get(article, "slug"));
	json_t *data, *rows = json_array(), *f, *tags, *t, *detail;
	struct buf text;
	size_t i, n = 0;

	data = page_data(kbd, r, req_text(kbd, r, is_new ? "title_write_new" :
	    "title_write"), "");
	buf_init(&text, 4096);
	tags = json_object_get(article, "tags");
	json_array_foreach(tags, i, t)
		buf_printf(&text, "%s%s", i ? ", " : "", json_string_value(t));
	json_object_set_new(article, "tags_text", json_string(buf_str(&text)));
	buf_release(&text);
	json_array_foreach(json_object_get(article, "faq"), i, f)
		json_array_append_new(rows, json_pack("{s:I, s:O, s:O}", "n",
		    (json_int_t)++n, "q", json_object_get(f, "q"), "a",
		    json_object_get(f, "a")));
	for (i = 0; i < FAQ_BLANK_ROWS && n < FAQ_FORM_ROWS; i++)
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s}", "n",
		    (json_int_t)++n, "q", "", "a", ""));
	json_object_set_new(data, "faq_rows", rows);
	json_object_set_new(data, "lang_options", widget_options(kbd, r,
	    "lang_name_", langs, json_string_value(json_object_get(article, "lang"))));
	json_object_set_new(data, "audience_options", widget_options(kbd, r,
	    "audience_", audiences, json_string_value(json_object_get(article,
	    "audience"))));
	json_object_set_new(data, "is_new", json_boolean(is_new));
	json_object_set_new(data, "action_url", is_new ? json_string("/write") :
	    url_of("/write/", slug));
	if (!is_new) {
		json_object_set_new(data, "article_url", url_of("/articles/", slug));
		json_object_set_new(data, "history_url", url_of("/history/", slug));
		json_object_set_new(article, "status_label", widget_label(kbd, r,
		    "article_status_", json_string_value(json_object_get(article,
		    "status"))));
	}
	if (e) {
		widget_errors(kbd, r, data, e, "ed_err_");
		detail = e->detail;
		if (e->status == 409 && json_object_get(detail, "current_revision")) {
			json_t *c = json_object_get(detail, "current"), *diff;
			diff = json_deep_copy(json_object_get(detail, "diff"));
			mark_diff(diff);
			json_object_set_new(data, "conflict", json_pack("{s:O, s:O, s:O, "
			    "s:O, s:o*}", "revision", json_object_get(detail,
			    "current_revision"), "author", json_object_get(c, "author"),
			    "at", json_object_get(c, "at"), "body", json_object_get(detail,
			    "body"), "diff", diff));
		}
	}
	json_object_set_new(data, "article", article);
	resp_page(kbd, resp, status, "editor", data);
}

/* "/write" (a new article) or "/write/{slug}" (edit it). */
void
page_write(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	json_t *article;

	if (strcmp(r->path, "/write") == 0) {
		editor(kbd, r, resp, 200, json_pack("{s:s, s:s, s:s, s:[], s:[], "
		    "s:I, s:s}", "lang", req_lang(kbd, r), "audience", "l1", "body", "",
		    "tags", "faq", "revision", (json_int_t)0, "status", "draft"), true,
		    NULL);
		return;
	}
	if (!valid_slug(kbd, r, resp))
		return;
	if (articles_editable(kbd, r->store, r->rest, &article, &e)) {
		resp_refusal(kbd, r, resp, &e);
		return;
	}
	editor(kbd, r, resp, 200, article, false, NULL);
}

/* The editor's form as the API's JSON input. */
static json_t *
form_article(const struct req *r, bool is_new)
{
	static const char *const fields[] = { "title", "summary", "product",
		"category", "lang", "audience", "body", NULL };
	json_t *in = json_object(), *tags = json_array(), *faq = json_array();
	struct buf v, q, a, name;
	const char *p, *end;
	long rev;
	int i;

	buf_init(&v, 1 << 20);
	buf_init(&q, 8192);
	buf_init(&a, 8192);
	buf_init(&name, 32);
	for (i = 0; fields[i]; i++)
		form_field(r, fields[i], in, fields[i]);
	if (is_new && req_form(r, "slug", &v) && v.len)
		json_object_set_new(in, "slug", json_string(buf_str(&v)));
	if (req_form(r, "tags", &v)) {
		/* "vpn, Remote access" → ["vpn", "Remote access"] */
		for (p = buf_str(&v); *p; p = *end ? end + 1 : end) {
			end = p + strcspn(p, ",");
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			if (end > p)
				json_array_append_new(tags, json_stringn(p, (size_t)(end - p)));
			end += strcspn(end, ",");
		}
	}
	json_object_set_new(in, "tags", tags);
	for (i = 1; i <= FAQ_FORM_ROWS; i++) {
		buf_reset(&name);
		buf_printf(&name, "faq_q_%d", i);
		if (!req_form(r, buf_str(&name), &q))
			buf_reset(&q);
		buf_reset(&name);
		buf_printf(&name, "faq_a_%d", i);
		if (!req_form(r, buf_str(&name), &a))
			buf_reset(&a);
		if (q.len || a.len)	/* a half-filled row is refused, not dropped */
			json_array_append_new(faq, json_pack("{s:s, s:s}", "q",
			    buf_str(&q), "a", buf_str(&a)));
	}
	json_object_set_new(in, "faq", faq);
	if (!is_new && req_form(r, "base_revision", &v) &&
	    kb_strtol_range(buf_str(&v), 0, 999999999L, &rev) == KB_OK)
		json_object_set_new(in, "base_revision", json_integer(rev));
	buf_release(&v);
	buf_release(&q);
	buf_release(&a);
	buf_release(&name);
	return in;
}

/* After a refused save: the editor again, with what was typed. */
static void
editor_again(struct kbd *kbd, const struct req *r, struct response *resp,
    json_t *in, const char *slug, bool is_new, const struct refusal *e)
{
	json_t *article = json_deep_copy(in), *cur = NULL;
	json_t *base = json_object_get(in, "base_revision");
	struct refusal ignore = { 0 };

	if (!is_new) {
		json_object_set_new(article, "slug", json_string(slug));
		/* the status it has now, for the editor's badge */
		if (articles_editable(kbd, r->store, slug, &cur, &ignore) == KB_OK)
			json_object_set(article, "status", json_object_get(cur, "status"));
		json_decref(cur);
		refusal_release(&ignore);
	}
	json_object_set_new(article, "revision", json_integer(base ?
	    json_integer_value(base) : 0));
	if (e->status == 409 && json_object_get(e->detail, "current_revision") &&
	    !is_new)
		/* saving again goes on top of theirs, knowingly */
		json_object_set(article, "revision", json_object_get(e->detail,
		    "current_revision"));
	editor(kbd, r, resp, e->status ? e->status : 500, article, is_new, e);
}

void
page_write_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	bool is_new = strcmp(r->path, "/write") == 0;
	const char *slug = is_new ? "" : r->rest;
	struct buf action, v;
	json_t *in = NULL, *out = NULL;
	char *url;
	long n;
	int rc;

	if (!is_new && !valid_slug(kbd, r, resp))
		return;
	buf_init(&action, 64);
	buf_init(&v, 64);
	if (!req_form(r, "action", &action) || action.len == 0)
		buf_puts(&action, "save");
	if (strcmp(buf_str(&action), "save") == 0) {
		in = form_article(r, is_new);
		rc = is_new ? articles_create(kbd, r->store, &who, in, &out, &e) :
		    articles_update(kbd, r->store, &who, slug, in, &out, &e);
		if (rc) {
			editor_again(kbd, r, resp, in, slug, is_new, &e);
			goto out;
		}
		url = view_article_url(json_string_value(json_object_get(out, "slug")));
	} else if (is_new) {
		rc = refuse(&e, 400, "bad_request", "Save the article first.");
		goto refused;
	} else if (strcmp(buf_str(&action), "restore") == 0) {
		in = json_object();
		if (req_form(r, "revision", &v) &&
		    kb_strtol_range(buf_str(&v), 1, 999999999L, &n) == KB_OK)
			json_object_set_new(in, "revision", json_integer(n));
		if (req_form(r, "base_revision", &v) &&
		    kb_strtol_range(buf_str(&v), 0, 999999999L, &n) == KB_OK)
			json_object_set_new(in, "base_revision", json_integer(n));
		if ((rc = articles_restore(kbd, r->store, &who, slug, in, &out, &e)))
			goto refused;
		url = view_url("/history/", slug);
	} else {
		in = json_object();
		form_field(r, "note", in, "note");
		if ((rc = articles_transition(kbd, r->store, &who, slug,
		    buf_str(&action), in, &out, &e)))
			goto refused;
		url = view_article_url(slug);
	}
	resp_redirect(resp, url);
	free(url);
	goto out;
refused:
	resp_refusal(kbd, r, resp, &e);
out:
	refusal_release(&e);
	json_decref(in);
	json_decref(out);
	buf_release(&action);
	buf_release(&v);
}

/* ---- history ---- */

static int64_t
rev_arg(const struct req *r, const char *name)
{
	const char *s = req_arg(r, name);
	long v;

	return s && kb_strtol_range(s, 1, 999999999L, &v) == KB_OK ? v : 0;
}

void
page_history(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	json_t *hist, *data, *diff = NULL, *rev, *ev, *one = NULL;
	int64_t a = rev_arg(r, "a"), b = rev_arg(r, "b"), show = rev_arg(r, "rev");
	int64_t current;
	size_t i;

	if (!valid_slug(kbd, r, resp))
		return;
	if (articles_history(kbd, r->store, r->rest, &hist, &e)) {
		resp_refusal(kbd, r, resp, &e);
		return;
	}
	current = json_integer_value(json_object_get(hist, "current"));
	/* by default: what the latest save changed */
	if (!a && !b && current > 1) {
		a = current - 1;
		b = current;
	}
	if (a && b && revisions_diff(r->store, r->rest, a, b, &diff, &e) == KB_OK)
		mark_diff(diff);
	refusal_release(&e);
	if (show && revisions_get(r->store, r->rest, show, &one, &e) == KB_OK)
		json_object_set_new(one, "at_text", widget_time(json_object_get(one, "at")));
	refusal_release(&e);
	json_array_foreach(json_object_get(hist, "revisions"), i, rev) {
		int64_t n = json_integer_value(json_object_get(rev, "revision"));
		json_object_set_new(rev, "is_current", json_boolean(n == current));
		json_object_set_new(rev, "is_a", json_boolean(n == a));
		json_object_set_new(rev, "is_b", json_boolean(n == b));
		json_object_set_new(rev, "at_text", widget_time(json_object_get(rev, "at")));
		json_object_set_new(rev, "status_label", widget_label(kbd, r,
		    "article_status_", json_string_value(json_object_get(rev, "status"))));
	}
	json_array_foreach(json_object_get(hist, "events"), i, ev) {
		json_object_set_new(ev, "at_text", widget_time(json_object_get(ev, "at")));
		json_object_set_new(ev, "kind_label", widget_label(kbd, r,
		    "article_event_", json_string_value(json_object_get(ev, "kind"))));
	}
	data = page_data(kbd, r, json_string_value(json_object_get(hist, "title")), "");
	json_object_set_new(hist, "url", url_of("/articles/", r->rest));
	json_object_set_new(hist, "history_url", url_of("/history/", r->rest));
	json_object_set_new(hist, "write_url", url_of("/write/", r->rest));
	json_object_set_new(data, "history", hist);
	if (diff)
		json_object_set_new(data, "diff", diff);
	if (one)
		json_object_set_new(data, "revision", one);
	resp_page(kbd, resp, 200, "history", data);
}

/* ---- the article inbox ---- */

struct inbox_scan {
	struct store *st;
	json_t *titles;		/* slug → {title, author} of every article seen */
	json_t *due;		/* published, not reviewed for review_days */
	json_t *waiting;	/* in review */
	time_t due_before;
	bool collect_due;
};

/* "YYYY-MM-DD" → the time at its midnight UTC, 0 if malformed. */
static time_t
day_time(const char *s)
{
	struct tm tm = { 0 };

	if (!s || sscanf(s, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

static int
inbox_article(void *ctx, json_t *doc)
{
	struct inbox_scan *sc = ctx;
	const char *slug = json_string_value(json_object_get(doc, "slug"));
	const char *updated = json_string_value(json_object_get(doc, "updated"));
	json_t *row;
	time_t reviewed = 0;
	char when[32];

	if (!slug)
		return 0;
	row = json_pack("{s:s, s:O, s:O, s:o, s:O}", "slug", slug, "title",
	    json_object_get(doc, "title"), "author", json_object_get(doc, "author"),
	    "url", url_of("/articles/", slug), "updated",
	    json_object_get(doc, "updated"));
	json_object_set(sc->titles, slug, row);
	if (!sc->collect_due) {
		json_array_append(sc->waiting, row);
	} else {
		revisions_last_review(sc->st, slug, &reviewed, NULL);
		if (!reviewed)
			reviewed = day_time(updated);	/* never reviewed here */
		if (reviewed && reviewed < sc->due_before) {
			tickets_iso_time(reviewed, when);
			json_object_set_new(row, "last_reviewed", json_string(when));
			json_object_set_new(row, "last_reviewed_text", widget_time(
			    json_object_get(row, "last_reviewed")));
			json_array_append(sc->due, row);
		}
	}
	json_decref(row);
	return 0;
}

void
page_inbox(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct inbox_scan sc = { 0 };
	json_t *flags = NULL, *data, *f, *art, *by = json_object(), *counts, *c;
	const char *slug, *author, *mine_arg = req_arg(r, "mine");
	bool mine_only = mine_arg && strcmp(mine_arg, "1") == 0;
	size_t i;

	if (!r->search || !r->store) {
		resp_error(kbd, r, resp, 503, "index_unavailable", "The inbox cannot "
		    "be read right now.");
		json_decref(by);
		return;
	}
	sc.st = r->store;
	sc.titles = json_object();
	sc.due = json_array();
	sc.waiting = json_array();
	sc.due_before = time(NULL) - (time_t)kbd->cfg.review_days * 86400;
	search_each(r->search, "review", false, inbox_article, &sc);
	sc.collect_due = true;
	search_each(r->search, "published", false, inbox_article, &sc);
	if (feedback_flags(r->store, NULL, true, INBOX_FLAGS, &flags))
		flags = json_array();
	counts = json_array();
	json_array_foreach(flags, i, f) {
		slug = json_string_value(json_object_get(f, "slug"));
		art = json_object_get(sc.titles, slug);
		json_object_set_new(f, "title", art ? json_incref(json_object_get(art,
		    "title")) : json_string(slug));
		json_object_set_new(f, "url", url_of("/articles/", slug));
		author = art ? json_string_value(json_object_get(art, "author")) : NULL;
		json_object_set_new(f, "mine", json_boolean(author &&
		    strcmp(author, r->user.name) == 0));
		json_object_set_new(f, "kind_label", widget_label(kbd, r, "flag_kind_",
		    json_string_value(json_object_get(f, "kind"))));
		json_object_set_new(f, "created_text", widget_time(json_object_get(f,
		    "created_at")));
		if (!(c = json_object_get(by, slug))) {
			c = json_pack("{s:s, s:O, s:O, s:i, s:O}", "slug", slug, "title",
			    json_object_get(f, "title"), "url", json_object_get(f, "url"),
			    "count", 0, "mine", json_object_get(f, "mine"));
			json_object_set_new(by, slug, c);
			json_array_append(counts, c);
		}
		json_object_set_new(c, "count", json_integer(
		    json_integer_value(json_object_get(c, "count")) + 1));
	}
	if (mine_only) {
		json_t *kept = json_array();
		json_array_foreach(flags, i, f)
			if (json_is_true(json_object_get(f, "mine")))
				json_array_append(kept, f);
		json_decref(flags);
		flags = kept;
	}
	data = page_data(kbd, r, req_text(kbd, r, "title_inbox"), "");
	json_object_set_new(data, "flags", flags);
	json_object_set_new(data, "flag_counts", counts);
	json_object_set_new(data, "mine_only", json_boolean(mine_only));
	json_object_set_new(data, "waiting", sc.waiting);
	json_object_set_new(data, "due", sc.due);
	json_object_set_new(data, "review_days", json_integer(kbd->cfg.review_days));
	json_decref(sc.titles);
	json_decref(by);
	resp_page(kbd, resp, 200, "inbox", data);
}

void
page_inbox_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	struct buf v;
	json_t *in = json_object();
	long id = 0;

	buf_init(&v, 64);
	if (!req_form(r, "flag", &v) || kb_strtol_range(buf_str(&v), 1, 999999999L,
	    &id) != KB_OK) {
		resp_error(kbd, r, resp, 400, "bad_request", "Which flag?");
		goto out;
	}
	form_field(r, "note", in, "note");
	if (feedback_resolve(r->store, r->user.name, id, in, &e))
		resp_refusal(kbd, r, resp, &e);
	else
		resp_redirect(resp, "/inbox");
out:
	json_decref(in);
	buf_release(&v);
}

/* ---- feedback from the article page ---- */

void
page_feedback_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	struct buf v, url;
	json_t *doc = NULL, *in;
	const char *status;
	const char *thanks = "vote";
	int64_t id;
	int rc;

	if (!valid_slug(kbd, r, resp))
		return;
	if (!r->search || search_find(r->search, r->rest, &doc) != KB_OK ||
	    !(status = json_string_value(json_object_get(doc, "status"))) ||
	    strcmp(status, "published") != 0) {
		json_decref(doc);
		resp_error(kbd, r, resp, 404, "not_found", "There is no published "
		    "article at this address.");
		return;
	}
	buf_init(&v, 64);
	buf_init(&url, 1024);
	if (req_form(r, "vote", &v)) {
		if (strcmp(buf_str(&v), "yes") != 0 && strcmp(buf_str(&v), "no") != 0)
			rc = refuse(&e, 400, "bad_request", "Vote yes or no.");
		else
			rc = feedback_vote(r->store, r->user.id, r->rest,
			    strcmp(buf_str(&v), "yes") == 0, &e);
	} else {
		in = json_object();
		form_field(r, "kind", in, "kind");
		form_field(r, "comment", in, "comment");
		rc = feedback_flag(r->store, r->user.name, r->rest, in, &id, &e);
		if (!rc)
			flag_news(kbd, r, r->rest, json_string_value(json_object_get(doc,
			    "author")), in);
		json_decref(in);
		thanks = "flag";
	}
	if (rc) {
		resp_refusal(kbd, r, resp, &e);
	} else {
		char *u = view_article_url(r->rest);
		buf_printf(&url, "%s?thanks=%s#feedback", u, thanks);
		free(u);
		resp_redirect(resp, buf_str(&url));
	}
	json_decref(doc);
	buf_release(&v);
	buf_release(&url);
}

/* ---- canned replies ---- */

/* The canned replies page; editing (consumed, may be NULL) fills the form. */
static void
canned_page(struct kbd *kbd, const struct req *r, struct response *resp,
    unsigned status, json_t *editing, const struct refusal *e)
{
	json_t *list, *data, *c;
	int64_t edit = rev_arg(r, "edit");
	size_t i;

	if (canned_list(r->store, &list)) {
		json_decref(editing);
		resp_error(kbd, r, resp, 500, "internal", "The canned replies cannot "
		    "be read.");
		return;
	}
	data = page_data(kbd, r, req_text(kbd, r, "title_canned"), "");
	json_array_foreach(list, i, c) {
		if (!editing && json_integer_value(json_object_get(c, "id")) == edit)
			json_object_set(data, "editing", c);
		json_object_set_new(c, "updated_text", widget_time(json_object_get(c,
		    "updated_at")));
	}
	if (editing)
		json_object_set_new(data, "editing", editing);
	if (e)
		widget_errors(kbd, r, data, e, "cn_err_");
	json_object_set_new(data, "replies", list);
	resp_page(kbd, resp, status, "canned", data);
}

void
page_canned(struct kbd *kbd, const struct req *r, struct response *resp)
{
	canned_page(kbd, r, resp, 200, NULL, NULL);
}

void
page_canned_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	struct buf action, v;
	json_t *in = json_object();
	int64_t id = 0;
	long n;
	int rc;

	buf_init(&action, 64);
	buf_init(&v, 64);
	req_form(r, "action", &action);
	if (req_form(r, "id", &v) && kb_strtol_range(buf_str(&v), 1, 999999999L,
	    &n) == KB_OK)
		id = n;
	if (strcmp(buf_str(&action), "delete") == 0) {
		rc = id ? canned_delete(r->store, id, &e) :
		    refuse(&e, 400, "bad_request", "Which reply?");
	} else {
		form_field(r, "name", in, "name");
		form_field(r, "body", in, "body");
		rc = canned_save(r->store, r->user.name, in, &id, &e);
	}
	if (rc && (e.status == 409 || e.status == 422) &&
	    strcmp(buf_str(&action), "delete") != 0) {
		/* the form again, with what was typed and why it was refused */
		json_object_set_new(in, "id", id ? json_integer(id) : json_null());
		canned_page(kbd, r, resp, e.status, json_incref(in), &e);
	} else if (rc) {
		resp_refusal(kbd, r, resp, &e);
	} else {
		resp_redirect(resp, "/canned");
	}
	refusal_release(&e);
	json_decref(in);
	buf_release(&action);
	buf_release(&v);
}

/* ---- an FAQ answer sent to a ticket ---- */

void
page_faq_send(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	json_t *in = json_object(), *out = NULL;
	char url[64];

	form_field(r, "ticket", in, "ticket");
	form_field(r, "slug", in, "slug");
	form_field(r, "q", in, "q");
	if (faq_send(r->store, r->search, &who, in, &out, &e)) {
		resp_refusal(kbd, r, resp, &e);
	} else {
		snprintf(url, sizeof(url), "/tickets/%s#comments",
		    json_string_value(json_object_get(out, "ticket")));
		resp_redirect(resp, url);
	}
	json_decref(in);
	json_decref(out);
}
