/*
 * articles.c - see articles.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "article.h"
#include "article_file.h"
#include "articles.h"
#include "buf.h"
#include "err.h"
#include "index.h"
#include "kbd.h"
#include "log.h"
#include "revisions.h"
#include "store.h"
#include "text.h"
#include "tickets.h"
#include "util.h"
#include "view.h"
#include "banned.h"

#define TITLE_MAX 300
#define SUMMARY_MAX 1000
#define NAME_MAX_LEN 100	/* product, category */
#define TAGS_MAX 30
#define TAG_MAX 60
#define FAQ_MAX 50
#define FAQ_TEXT_MAX 2000
#define NOTE_MAX 1000
#define BODY_MAX (ARTICLE_MAX_BYTES - 64 * 1024)	/* room for front matter */

/* Path segments that name API actions (api_articles.c), never articles. */
static const char *const reserved[] = { "revisions", "review", "publish",
	"archive", "draft", "restore", "feedback", "flags", "attachments",
	"history", "diff", "source", NULL };

bool
articles_slug_ok(const char *slug)
{
	const char *seg, *p;
	size_t len = strlen(slug), n;
	int i;

	if (len == 0 || len > ARTICLE_SLUG_MAX)
		return false;
	for (seg = slug; seg; seg = strchr(seg, '/') ? strchr(seg, '/') + 1 : NULL) {
		n = strcspn(seg, "/");
		if (n == 0 || seg[0] == '-' || seg[n - 1] == '-')
			return false;
		for (p = seg; p < seg + n; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			    *p == '-'))
				return false;
		/* folders kbd gives other meanings: fragments, attachments */
		if ((n == 8 && memcmp(seg, "includes", 8) == 0) ||
		    (n == 5 && memcmp(seg, "media", 5) == 0))
			return false;
		for (i = 0; reserved[i]; i++)
			if (strlen(reserved[i]) == n && memcmp(seg, reserved[i], n) == 0)
				return false;
	}
	return true;
}

bool
articles_slugify(struct buf *b, const char *title)
{
	size_t start = b->len;
	bool dash = false;

	for (; *title && b->len - start < 60; title++) {
		char c = *title;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && b->len > start)
				buf_putc(b, '-');
			dash = false;
			buf_putc(b, c);
		} else {
			dash = true;
		}
	}
	return b->len > start;
}

/* ---- input ---- */

static bool
check_string(json_t *in, const char *key, size_t max, bool required,
    struct refusal *e)
{
	json_t *v = json_object_get(in, key);
	const char *s;
	char msg[128];

	if (!v) {
		if (required)
			refusal_field(e, key, "This field is required.");
		return !required;
	}
	s = json_string_value(v);
	if (!s || !utf8_valid(s, strlen(s))) {
		refusal_field(e, key, "Must be text.");
		return false;
	}
	if (strlen(s) > max) {
		snprintf(msg, sizeof(msg), "At most %zu bytes.", max);
		refusal_field(e, key, msg);
		return false;
	}
	if (required && !*s) {
		refusal_field(e, key, "This field is required.");
		return false;
	}
	return true;
}

static bool
check_choice(json_t *in, const char *key, const char *const *choices,
    const char *msg, struct refusal *e)
{
	json_t *v = json_object_get(in, key);
	const char *s;
	size_t i;

	if (!v)
		return true;
	s = json_string_value(v);
	for (i = 0; s && choices[i]; i++)
		if (strcmp(s, choices[i]) == 0)
			return true;
	refusal_field(e, key, msg);
	return false;
}

/* One line of text: no line breaks (they would break the front matter's meaning). */
static bool
one_line(json_t *in, const char *key, struct refusal *e)
{
	const char *s = json_string_value(json_object_get(in, key));

	if (s && strpbrk(s, "\r\n")) {
		refusal_field(e, key, "Must be a single line.");
		return false;
	}
	return true;
}

/*
 * Check in's fields (types, sizes, choices); unknown keys are a 400.
 * create: slug may be given, title required.
 */
static int
check_input(json_t *in, bool create, struct refusal *e)
{
	static const char *const known[] = { "slug", "title", "summary", "tags",
		"product", "category", "lang", "audience", "faq", "body",
		"base_revision", "note", NULL };
	static const char *const langs[] = { "en", "ar", NULL };
	static const char *const audiences[] = { "l1", "l2", "l3", NULL };
	const char *key;
	json_t *v, *x;
	size_t i, k;

	json_object_foreach(in, key, v) {
		for (k = 0; known[k] && strcmp(known[k], key) != 0; k++)
			;
		if (!known[k])
			return refuse(e, 400, "unknown_field", "Unknown field '%.100s'. "
			    "Fields: slug, title, summary, tags, product, category, "
			    "lang, audience, faq, body, base_revision, note.", key);
	}
	if (json_object_get(in, "slug") && !create)
		return refuse(e, 400, "unknown_field", "The slug of an article "
		    "cannot be changed; create a new article instead.");
	check_string(in, "title", TITLE_MAX, create, e);
	one_line(in, "title", e);
	check_string(in, "summary", SUMMARY_MAX, false, e);
	check_string(in, "product", NAME_MAX_LEN, false, e);
	one_line(in, "product", e);
	check_string(in, "category", NAME_MAX_LEN, false, e);
	one_line(in, "category", e);
	check_string(in, "body", BODY_MAX, false, e);
	check_string(in, "note", NOTE_MAX, false, e);
	check_choice(in, "lang", langs, "Must be \"en\" or \"ar\".", e);
	check_choice(in, "audience", audiences, "Must be \"l1\", \"l2\" or \"l3\".", e);
	if ((v = json_object_get(in, "slug")) && (!json_is_string(v) ||
	    !articles_slug_ok(json_string_value(v))))
		refusal_field(e, "slug", "Lowercase letters, digits and '-', in "
		    "words separated by '/', at most 200 bytes; not ending in an "
		    "API word such as 'history'.");
	if ((v = json_object_get(in, "tags"))) {
		bool ok = json_is_array(v) && json_array_size(v) <= TAGS_MAX;
		json_array_foreach(v, i, x)
			if (!json_is_string(x) || !*json_string_value(x) ||
			    strlen(json_string_value(x)) > TAG_MAX ||
			    strpbrk(json_string_value(x), "\r\n,") ||
			    !utf8_valid(json_string_value(x), strlen(json_string_value(x))))
				ok = false;
		if (!ok)
			refusal_field(e, "tags", "A list of at most 30 words or short "
			    "phrases (no commas), each at most 60 bytes.");
	}
	if ((v = json_object_get(in, "faq"))) {
		bool ok = json_is_array(v) && json_array_size(v) <= FAQ_MAX;
		json_array_foreach(v, i, x) {
			const char *q = json_string_value(json_object_get(x, "q"));
			const char *a = json_string_value(json_object_get(x, "a"));
			if (!json_is_object(x) || json_object_size(x) != 2 || !q || !a ||
			    !*q || !*a || strlen(q) > FAQ_TEXT_MAX ||
			    strlen(a) > FAQ_TEXT_MAX || !utf8_valid(q, strlen(q)) ||
			    !utf8_valid(a, strlen(a)))
				ok = false;
		}
		if (!ok)
			refusal_field(e, "faq", "A list of at most 50 {\"q\", \"a\"} "
			    "pairs, both non-empty text of at most 2000 bytes.");
	}
	if ((v = json_object_get(in, "base_revision")) && (!json_is_integer(v) ||
	    json_integer_value(v) < 0))
		refusal_field(e, "base_revision", "Must be a revision number.");
	if (e->fields)
		return refuse(e, 422, "invalid", "Some fields are not valid.");
	return KB_OK;
}

/* ---- the article as it is now ---- */

/*
 * What an article is now, inside a write transaction: the file's text into
 * cur->text, recorded as a revision if it is not the latest one (changed on
 * disk), its fields and body offset. KB_ENOTFOUND if there is no file.
 */
struct current {
	struct buf text;
	int64_t rev;
	json_t *fields;
	size_t body_off;
};

static void
current_release(struct current *c)
{
	buf_release(&c->text);
	json_decref(c->fields);
	memset(c, 0, sizeof(*c));
}

static int
load_current(struct kbd *kbd, struct store *st, const char *slug,
    struct current *cur, struct refusal *e)
{
	struct buf path, last;
	int rc;

	memset(cur, 0, sizeof(*cur));
	buf_init(&cur->text, ARTICLE_MAX_BYTES);
	buf_init(&path, 4096);
	buf_init(&last, ARTICLE_MAX_BYTES);
	article_file_path(kbd, slug, &path);
	rc = article_file_read(buf_str(&path), &cur->text);
	if (rc == KB_ENOTFOUND) {
		rc = refuse(e, 404, "not_found", "There is no article '%.200s'.", slug);
		goto out;
	}
	if (rc) {
		kb_log(LOG_ERR, "articles: cannot read %s", buf_str(&path));
		rc = refuse(e, 500, "internal", "The article file cannot be read.");
		goto out;
	}
	if (article_file_parse(kbd, slug, buf_str(&cur->text), cur->text.len,
	    &cur->fields, &cur->body_off, &last)) {
		rc = refuse(e, 409, "unreadable", "The article file has errors; fix "
		    "it in the articles folder first: %.300s", buf_str(&last));
		goto out;
	}
	buf_reset(&last);
	if (revisions_latest(st, slug, &cur->rev, &last)) {
		rc = store_refuse(st, &revisions_words, e);
		goto out;
	}
	if (cur->rev == 0 || last.len != cur->text.len ||
	    memcmp(last.data, cur->text.data, last.len) != 0) {
		/* changed on disk since kbd last saw it: that is a revision too */
		cur->rev++;
		if (revisions_add(st, slug, cur->rev, "disk",
		    article_field(cur->fields, "status"),
		    cur->rev == 1 ? "found on disk" : "changed on disk",
		    cur->text.data, cur->text.len) ||
		    revisions_event(st, slug, "disk", "disk", cur->rev, ""))
			rc = store_refuse(st, &revisions_words, e);
	}
out:
	buf_release(&path);
	buf_release(&last);
	if (rc)
		current_release(cur);
	return rc;
}

/*
 * Start a change of slug (or a read that records a change on disk): the
 * write transaction and the article as it is now. On failure *e says why
 * and nothing is left open.
 */
static int
begin_current(struct kbd *kbd, struct store *st, const char *slug,
    struct current *cur, struct refusal *e)
{
	int rc;

	if ((rc = store_begin_change(st, &revisions_words, e)))
		return rc;
	if ((rc = load_current(kbd, st, slug, cur, e)))
		store_rollback(st);
	return rc;
}

/* ---- the index ---- */

int
articles_reindex(struct kbd *kbd)
{
	struct index_opts io = { 0 };
	struct index_stats ist;
	int rc, tries;

	io.articles_dir = kbd->cfg.articles_dir;
	io.index_dir = kbd->cfg.index_dir;
	pthread_mutex_lock(&kbd->index_lock);
	/* the indexer command may hold the index for a moment */
	for (tries = 0; (rc = index_build(&io, &ist)) != KB_OK && tries < 20; tries++)
		usleep(100 * 1000);
	pthread_mutex_unlock(&kbd->index_lock);
	if (rc)
		kb_log(LOG_WARNING, "articles: the index could not be updated; run "
		    "the indexer");
	return rc;
}

/* ---- saving ---- */

static json_t *
saved(const char *slug, int64_t rev, const char *status, json_t *fields,
    bool indexed)
{
	char *url = view_article_url(slug);
	json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:b}", "slug", slug,
	    "revision", (json_int_t)rev, "status", status, "url", url, "title",
	    article_field(fields, "title"), "indexed", indexed);

	free(url);
	return o;
}

/*
 * Write fields + body with status as revision cur_rev + 1 of slug, inside
 * the caller's transaction, and commit. Reindexes after the commit.
 */
static int
save(struct kbd *kbd, struct store *st, const struct actor *who, const char *slug,
    int64_t cur_rev, json_t *fields, const char *status, const char *body,
    const char *kind, const char *note, json_t **out, struct refusal *e)
{
	struct buf md, path, errors;
	json_t *check = NULL;
	size_t off;
	int rc;

	buf_init(&md, ARTICLE_MAX_BYTES);
	buf_init(&path, 4096);
	buf_init(&errors, 8192);
	article_file_compose(&md, fields, status, body);
	if (md.err) {
		rc = refuse(e, 413, "too_large", "The article is larger than %zu bytes.",
		    (size_t)ARTICLE_MAX_BYTES);
		goto fail;
	}
	/* what is written must read back: the same parser as the indexer */
	if (article_file_parse(kbd, slug, buf_str(&md), md.len, &check, &off,
	    &errors)) {
		rc = refuse(e, 422, "invalid", "The article does not read back: %.400s",
		    buf_str(&errors));
		goto fail;
	}
	article_file_path(kbd, slug, &path);
	if (article_file_write(buf_str(&path), md.data, md.len)) {
		kb_log(LOG_ERR, "articles: cannot write %s: %s", buf_str(&path),
		    strerror(errno));
		rc = refuse(e, 500, "internal", "The article file could not be written.");
		goto fail;
	}
	/* the file is written: if this fails, it is found on disk next time */
	if (revisions_add(st, slug, cur_rev + 1, who->name, status, note,
	    md.data, md.len) || revisions_event(st, slug, who->name, kind,
	    cur_rev + 1, note)) {
		rc = store_refuse(st, &revisions_words, e);
		goto fail;
	}
	/* a commit that fails is rolled back there */
	if ((rc = store_commit_change(st, &revisions_words, e)) == KB_OK)
		*out = saved(slug, cur_rev + 1, status, check,
		    articles_reindex(kbd) == KB_OK);
	goto out;
fail:
	store_rollback(st);
out:
	json_decref(check);
	buf_release(&md);
	buf_release(&path);
	buf_release(&errors);
	return rc;
}

/* Overlay the editable fields of in onto f. */
static void
overlay(json_t *f, json_t *in)
{
	static const char *const editable[] = { "title", "summary", "tags",
		"product", "category", "lang", "audience", "faq", NULL };
	size_t i;
	json_t *v;

	for (i = 0; editable[i]; i++)
		if ((v = json_object_get(in, editable[i])))
			json_object_set(f, editable[i], v);
}

/* Tags as the indexer keeps them: trimmed, lowercase ASCII. */
static void
normalise_tags(json_t *f)
{
	json_t *tags = json_array(), *v;
	size_t i;

	json_array_foreach(json_object_get(f, "tags"), i, v) {
		char *t = xstrdup(json_string_value(v)), *p;
		for (p = t; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p + 32);
		json_array_append_new(tags, json_string(t));
		free(t);
	}
	json_object_set_new(f, "tags", tags);
}

int
articles_create(struct kbd *kbd, struct store *st, const struct actor *who,
    json_t *in, json_t **out, struct refusal *e)
{
	struct buf slug, path;
	json_t *f = NULL;
	int64_t rev;
	const char *body = json_string_value(json_object_get(in, "body"));
	struct stat sb;
	int rc;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	if ((rc = check_input(in, true, e)))
		return rc;
	buf_init(&slug, ARTICLE_SLUG_MAX + 64);
	buf_init(&path, 4096);
	if (json_object_get(in, "slug"))
		buf_puts(&slug, json_string_value(json_object_get(in, "slug")));
	else if (!articles_slugify(&slug, json_string_value(json_object_get(in,
	    "title")))) {
		/* an Arabic title: a random name that will not collide */
		unsigned char rnd[4];
		randombytes_buf(rnd, sizeof(rnd));
		buf_printf(&slug, "article-%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
		    rnd[3]);
	}
	f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[], s:[]}", "title", "",
	    "summary", "", "product", "", "category", "", "audience", "l1",
	    "author", who->name, "tags", "faq");
	overlay(f, in);
	normalise_tags(f);
	if (!json_object_get(in, "lang")) {
		const char *t = article_field(f, "title");
		json_object_set_new(f, "lang", json_string(text_detect_lang(t,
		    strlen(t), 0.3)));
	}
	if ((rc = store_begin_change(st, &revisions_words, e)))
		goto out;
	article_file_path(kbd, buf_str(&slug), &path);
	if (stat(buf_str(&path), &sb) == 0) {
		store_rollback(st);
		rc = refuse(e, 409, "exists", "There is already an article at "
		    "'%.200s'; edit it, or choose another slug.", buf_str(&slug));
		goto out;
	}
	/* a slug used before (since deleted) continues its revision numbers */
	if (revisions_latest(st, buf_str(&slug), &rev, NULL)) {
		rc = store_refuse(st, &revisions_words, e);
		store_rollback(st);
		goto out;
	}
	rc = save(kbd, st, who, buf_str(&slug), rev, f, "draft", body ? body : "",
	    "created", article_field(in, "note"), out, e);
out:
	json_decref(f);
	buf_release(&slug);
	buf_release(&path);
	return rc;
}

/* 409 for an edit that started from base but rev is the latest. */
static int
conflict(struct store *st, const char *slug, int64_t base,
    struct current *cur, struct refusal *e)
{
	json_t *rev = NULL, *diff = NULL;
	struct refusal ignore = { 0 };

	revisions_get(st, slug, cur->rev, &rev, &ignore);
	refusal_release(&ignore);
	if (base > 0 && base < cur->rev)
		revisions_diff(st, slug, base, cur->rev, &diff, &ignore);
	refusal_release(&ignore);
	e->detail = json_pack("{s:I, s:I, s:o*, s:o*, s:o, s:s%}",
	    "base_revision", (json_int_t)base, "current_revision",
	    (json_int_t)cur->rev, "current", rev, "diff", diff,
	    "fields", json_deep_copy(cur->fields), "body",
	    cur->text.data + cur->body_off, cur->text.len - cur->body_off);
	return refuse(e, 409, "conflict", "%s saved revision %lld after the "
	    "revision %lld you started from. Your text is not saved: compare it "
	    "with theirs below, then save again on top of revision %lld.",
	    rev ? article_field(rev, "author") : "Someone", (long long)cur->rev,
	    (long long)base, (long long)cur->rev);
}

int
articles_update(struct kbd *kbd, struct store *st, const struct actor *who,
    const char *slug, json_t *in, json_t **out, struct refusal *e)
{
	struct current cur;
	json_t *f, *base;
	const char *body;
	int rc;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	if ((rc = check_input(in, false, e)))
		return rc;
	base = json_object_get(in, "base_revision");
	if (!base) {
		refusal_field(e, "base_revision", "The revision you started from is "
		    "required, so that nobody's changes are overwritten.");
		return refuse(e, 422, "invalid", "Some fields are not valid.");
	}
	if ((rc = begin_current(kbd, st, slug, &cur, e)))
		return rc;
	if (json_integer_value(base) != cur.rev) {
		rc = conflict(st, slug, json_integer_value(base), &cur, e);
		/* keep the record of a change found on disk */
		store_commit(st);
		current_release(&cur);
		return rc;
	}
	f = json_deep_copy(cur.fields);
	overlay(f, in);
	normalise_tags(f);
	if (!*article_field(f, "author"))
		json_object_set_new(f, "author", json_string(who->name));
	body = json_string_value(json_object_get(in, "body"));
	if (!body)
		body = cur.text.data + cur.body_off;
	rc = save(kbd, st, who, slug, cur.rev, f,
	    article_field(cur.fields, "status"), body, "saved",
	    article_field(in, "note"), out, e);
	json_decref(f);
	current_release(&cur);
	return rc;
}

static const struct move {
	const char *action, *from, *to, *event;
} moves[] = {
	{ "review", "draft", "review", "submitted" },
	{ "review", "published", "published", "reviewed" },
	{ "publish", "review", "published", "published" },
	{ "archive", "published", "archived", "archived" },
	{ "archive", "draft", "archived", "archived" },
	{ "draft", "review", "draft", "returned" },
	{ "draft", "published", "draft", "unpublished" },
	{ "draft", "archived", "draft", "reopened" },
};
#define NMOVES (sizeof(moves) / sizeof(moves[0]))

int
articles_transition(struct kbd *kbd, struct store *st, const struct actor *who,
    const char *slug, const char *action, json_t *in, json_t **out,
    struct refusal *e)
{
	struct current cur;
	const struct move *m = NULL;
	const char *from, *note = in ? json_string_value(json_object_get(in, "note")) : NULL;
	struct buf legal;
	size_t i;
	int rc;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	if (note && strlen(note) > NOTE_MAX)
		return refuse(e, 422, "invalid", "The note is longer than %d bytes.",
		    NOTE_MAX);
	if ((rc = begin_current(kbd, st, slug, &cur, e)))
		return rc;
	from = article_field(cur.fields, "status");
	for (i = 0; i < NMOVES && !m; i++)
		if (strcmp(moves[i].action, action) == 0 &&
		    strcmp(moves[i].from, from) == 0)
			m = &moves[i];
	if (!m) {
		buf_init(&legal, 256);
		for (i = 0; i < NMOVES; i++)
			if (strcmp(moves[i].from, from) == 0)
				buf_printf(&legal, "%s%s", legal.len ? ", " : "",
				    moves[i].action);
		e->detail = json_pack("{s:s, s:s}", "status", from, "allowed",
		    buf_str(&legal));
		rc = refuse(e, 409, "illegal_move", "An article in status '%s' "
		    "cannot be sent to '%s'. From here: %s.", from, action,
		    buf_str(&legal));
		buf_release(&legal);
		store_commit(st);
		current_release(&cur);
		return rc;
	}
	if (strcmp(m->from, m->to) == 0) {
		/* a review of a published article: nothing in the file changes */
		if (revisions_event(st, slug, who->name, m->event, cur.rev,
		    note)) {
			rc = store_refuse(st, &revisions_words, e);
			store_rollback(st);
		} else if ((rc = store_commit_change(st, &revisions_words,
		    e)) == KB_OK) {
			*out = saved(slug, cur.rev, from, cur.fields, true);
		}
		current_release(&cur);
		return rc;
	}
	rc = save(kbd, st, who, slug, cur.rev, cur.fields, m->to,
	    cur.text.data + cur.body_off, m->event, note, out, e);
	current_release(&cur);
	return rc;
}

int
articles_restore(struct kbd *kbd, struct store *st, const struct actor *who,
    const char *slug, json_t *in, json_t **out, struct refusal *e)
{
	struct current cur;
	json_t *old = NULL, *oldf = NULL, *v = json_object_get(in, "revision");
	json_t *base = json_object_get(in, "base_revision");
	const char *text;
	char note[64];
	size_t off;
	int rc;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		refusal_field(e, "revision", "The revision to restore is required.");
	if (!json_is_integer(base))
		refusal_field(e, "base_revision", "The revision you are looking at is "
		    "required, so that nobody's changes are overwritten.");
	if (e->fields)
		return refuse(e, 422, "invalid", "Some fields are not valid.");
	if ((rc = begin_current(kbd, st, slug, &cur, e)))
		return rc;
	if (json_integer_value(base) != cur.rev) {
		rc = conflict(st, slug, json_integer_value(base), &cur, e);
		store_commit(st);
		goto out;
	}
	if ((rc = revisions_get(st, slug, json_integer_value(v), &old, e))) {
		store_rollback(st);
		goto out;
	}
	text = article_field(old, "text");
	if (article_file_parse(kbd, slug, text, strlen(text), &oldf, &off, NULL)) {
		store_rollback(st);
		rc = refuse(e, 409, "unreadable", "Revision %lld cannot be read as an "
		    "article any more.", (long long)json_integer_value(v));
		goto out;
	}
	/* the content of then, the status of now: restoring does not publish */
	snprintf(note, sizeof(note), "restored revision %lld",
	    (long long)json_integer_value(v));
	rc = save(kbd, st, who, slug, cur.rev, oldf,
	    article_field(cur.fields, "status"), text + off, "restored", note,
	    out, e);
out:
	json_decref(old);
	json_decref(oldf);
	current_release(&cur);
	return rc;
}

/* ---- reading ---- */

/*
 * The article as it is now, for a reader: begin_current() and commit at
 * once (keeping the record of a change found on disk). *e is cleared first.
 */
static int
read_current(struct kbd *kbd, struct store *st, const char *slug,
    struct current *cur, struct refusal *e)
{
	int rc;

	memset(e, 0, sizeof(*e));
	if ((rc = begin_current(kbd, st, slug, cur, e)))
		return rc;
	store_commit(st);
	return KB_OK;
}

int
articles_history(struct kbd *kbd, struct store *st, const char *slug,
    json_t **out, struct refusal *e)
{
	struct current cur;
	int rc;

	*out = NULL;
	if ((rc = read_current(kbd, st, slug, &cur, e)))
		return rc;
	rc = revisions_history(st, slug, cur.rev, article_field(cur.fields, "status"),
	    article_field(cur.fields, "title"), out, e);
	current_release(&cur);
	return rc;
}

int
articles_editable(struct kbd *kbd, struct store *st, const char *slug,
    json_t **out, struct refusal *e)
{
	struct current cur;
	int rc;

	*out = NULL;
	if ((rc = read_current(kbd, st, slug, &cur, e)))
		return rc;
	*out = json_deep_copy(cur.fields);
	json_object_set_new(*out, "slug", json_string(slug));
	json_object_set_new(*out, "revision", json_integer(cur.rev));
	json_object_set_new(*out, "body", json_stringn(cur.text.data + cur.body_off,
	    cur.text.len - cur.body_off));
	current_release(&cur);
	return KB_OK;
}

int
articles_preview(struct kbd *kbd, json_t *in, json_t **out, struct refusal *e)
{
	struct buf md, errors, rel;
	struct article_diag diag;
	struct article a;
	json_t *f;
	char *html = NULL;
	const char *body;
	int rc;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	json_object_del(in, "base_revision");
	json_object_del(in, "note");
	if ((rc = check_input(in, true, e)) && e->status != 422)
		return rc;
	if (rc) {
		/* a half-written form still previews: only the body must be text */
		refusal_release(e);
		memset(e, 0, sizeof(*e));
		if (!json_is_string(json_object_get(in, "body")))
			return refuse(e, 422, "invalid", "The body must be text.");
	}
	body = json_string_value(json_object_get(in, "body"));
	f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[], s:[]}", "title",
	    "Preview", "summary", "", "product", "", "category", "", "audience",
	    "l1", "author", "", "lang", "en", "tags", "faq");
	if (!rc)
		overlay(f, in);
	if (!*article_field(f, "title"))
		json_object_set_new(f, "title", json_string("Preview"));
	buf_init(&md, ARTICLE_MAX_BYTES);
	buf_init(&errors, 8192);
	buf_init(&rel, 64);
	article_file_compose(&md, f, "draft", body ? body : "");
	article_diag_init(&diag);
	buf_puts(&rel, "preview.md");
	rc = article_parse(kbd->cfg.articles_dir, buf_str(&rel), buf_str(&md),
	    md.len, time(NULL), &a, &diag);
	if (rc == KB_OK) {
		rc = article_html(&a, &html);
		if (rc == KB_OK)
			*out = json_pack("{s:s, s:s, s:s, s:s}", "html", html, "title",
			    a.title, "dir", view_dir(a.lang), "warnings",
			    buf_str(&diag.warnings));
		free(html);
		article_release(&a);
		if (rc)
			rc = refuse(e, 500, "internal", "The preview could not be made.");
	} else {
		*out = json_pack("{s:s, s:s, s:s, s:s}", "html", "", "title", article_field(f,
		    "title"), "dir", "ltr", "errors", buf_str(&diag.errors));
		rc = KB_OK;
	}
	article_diag_release(&diag);
	buf_release(&md);
	buf_release(&errors);
	buf_release(&rel);
	json_decref(f);
	return rc;
}
