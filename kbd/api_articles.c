/*
 * api_articles.c - the JSON API of publishing, feedback, FAQ and canned
 * replies:
 *
 *   POST  /api/v1/articles                         create a draft (201)
 *   PUT   /api/v1/articles/{slug}                  save (base_revision; 409)
 *   POST  /api/v1/articles/{slug}/review | publish | archive | draft | restore
 *   GET   /api/v1/articles/{slug}/revisions        history
 *   GET   /api/v1/articles/{slug}/revisions/{n}    one revision's text
 *   GET   /api/v1/articles/{slug}/diff?a=&b=       compare two revisions
 *   GET   /api/v1/articles/{slug}/source           what the editor starts from
 *   POST  /api/v1/articles/{slug}/feedback         {"helpful": true|false}
 *   POST  /api/v1/articles/{slug}/flags            {"kind","comment"} (201)
 *   GET   /api/v1/articles/{slug}/flags
 *   POST  /api/v1/articles/{slug}/attachments?name=  raw body (201)
 *   POST  /api/v1/preview                          render without saving
 *   GET   /api/v1/flags?status=open|all            the article inbox
 *   POST  /api/v1/flags/{id}/resolve               {"note"}
 *   GET   /api/v1/faq                              FAQ entries with usage
 *   POST  /api/v1/faq/use                          {"slug","q"}
 *   POST  /api/v1/faq/send                         {"ticket","slug","q"}
 *   GET   /api/v1/canned[/{id}?ticket=]            list / one, filled in
 *   POST  /api/v1/canned, PUT|DELETE /api/v1/canned/{id}
 *
 * Writing and the lifecycle need PERM_KNOWLEDGE (l2 and up): the routes
 * that share a prefix with reading check it here, through access_allows().
 */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "articles.h"
#include "attachments.h"
#include "canned.h"
#include "err.h"
#include "faq.h"
#include "feedback.h"
#include "http.h"
#include "hub.h"
#include "kbd.h"
#include "notifications.h"
#include "pages.h"
#include "revisions.h"
#include "search.h"
#include "tickets.h"
#include "util.h"
#include "view.h"
#include "banned.h"

#define FLAGS_LIMIT 500

static bool
may_write(struct kbd *kbd, const struct req *r, struct response *resp)
{
	if (access_allows(r->user.role, PERM_KNOWLEDGE, false))
		return true;
	resp_error(kbd, r, resp, 403, "forbidden", "Only L2, L3 and admins write, "
	    "review and publish articles.");
	return false;
}

static const char *
action_named(const char *s, size_t n)
{
	static const char *const actions[] = { "review", "publish", "archive",
		"draft", "restore", "revisions", "diff", "source", "feedback",
		"flags", "attachments", NULL };
	size_t i;

	for (i = 0; actions[i]; i++)
		if (strlen(actions[i]) == n && memcmp(actions[i], s, n) == 0)
			return actions[i];
	return NULL;
}

/*
 * Split r->rest "{slug}/{action}" or "{slug}/revisions/{n}" (*arg = "n");
 * the slug is copied into slug. NULL (and the whole rest as the slug) if
 * there is no action word: then it names an article.
 */
static const char *
split_action(const char *rest, struct buf *slug, const char **arg)
{
	const char *last = strrchr(rest, '/'), *prev, *action;

	*arg = NULL;
	buf_reset(slug);
	if (last && (action = action_named(last + 1, strlen(last + 1)))) {
		buf_append(slug, rest, (size_t)(last - rest));
		return action;
	}
	for (prev = last; prev && prev > rest && prev[-1] != '/'; prev--)
		;
	if (last && prev && prev > rest + 1 &&
	    (action = action_named(prev, (size_t)(last - prev))) &&
	    strcmp(action, "revisions") == 0) {
		buf_append(slug, rest, (size_t)(prev - 1 - rest));
		*arg = last + 1;
		return action;
	}
	buf_puts(slug, rest);
	return NULL;
}

static bool
slug_valid(struct kbd *kbd, const struct req *r, struct response *resp,
    const char *slug)
{
	struct req sub = *r;

	sub.rest = slug;
	return valid_slug(kbd, &sub, resp);
}

static int64_t
int_arg(const char *s)
{
	long v;

	return s && kb_strtol_range(s, 1, 999999999L, &v) == KB_OK ? v : 0;
}

void
api_article_create(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	json_t *in = req_json_body(kbd, r, resp), *out;

	if (!in)
		return;
	if (articles_create(kbd, r->store, &who, in, &out, &e))
		resp_refusal(kbd, r, resp, &e);
	else
		resp_json(resp, 201, out);
	json_decref(in);
}

void
api_article_put(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	json_t *in, *out;

	if (!valid_slug(kbd, r, resp) || !(in = req_json_body(kbd, r, resp)))
		return;
	if (articles_update(kbd, r->store, &who, r->rest, in, &out, &e))
		resp_refusal(kbd, r, resp, &e);
	else
		resp_json(resp, 200, out);
	json_decref(in);
}

/* GET {slug}/revisions[/{n}], {slug}/diff, {slug}/source, {slug}/flags, or the article. */
void
api_article_get(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	struct buf slug;
	const char *action, *arg;
	json_t *out = NULL;
	int rc;

	buf_init(&slug, 4096);
	action = split_action(r->rest, &slug, &arg);
	if (!action) {
		api_article(kbd, r, resp);
		goto out;
	}
	if (!slug_valid(kbd, r, resp, buf_str(&slug)))
		goto out;
	if (strcmp(action, "flags") == 0 && !arg) {
		if (!may_write(kbd, r, resp))
			goto out;
		if (feedback_flags(r->store, buf_str(&slug), false, FLAGS_LIMIT, &out))
			resp_error(kbd, r, resp, 500, "internal", "The flags cannot be read.");
		else
			resp_json(resp, 200, json_pack("{s:s, s:o}", "slug",
			    buf_str(&slug), "flags", out));
		goto out;
	}
	if (!may_write(kbd, r, resp))
		goto out;
	if (strcmp(action, "revisions") == 0 && !arg)
		rc = articles_history(kbd, r->store, buf_str(&slug), &out, &e);
	else if (strcmp(action, "revisions") == 0 && int_arg(arg))
		rc = revisions_get(r->store, buf_str(&slug), int_arg(arg), &out,
		    &e);
	else if (strcmp(action, "diff") == 0 && !arg && int_arg(req_arg(r, "a")) &&
	    int_arg(req_arg(r, "b")))
		rc = revisions_diff(r->store, buf_str(&slug),
		    int_arg(req_arg(r, "a")), int_arg(req_arg(r, "b")), &out, &e);
	else if (strcmp(action, "diff") == 0 && !arg)
		rc = refuse(&e, 400, "bad_parameter", "Give the two revisions to "
		    "compare as ?a=N&b=M.");
	else if (strcmp(action, "source") == 0 && !arg)
		rc = articles_editable(kbd, r->store, buf_str(&slug), &out, &e);
	else
		rc = refuse(&e, 404, "not_found", "No such resource.");
	if (rc)
		resp_refusal(kbd, r, resp, &e);
	else
		resp_json(resp, 200, out);
out:
	buf_release(&slug);
}

static void
feedback_post(struct kbd *kbd, const struct req *r, struct response *resp,
    const char *slug, const char *action, json_t *in)
{
	struct refusal e = { 0 };
	json_t *doc = NULL, *v, *summary = NULL;
	int64_t id = 0;
	int rc;

	/* feedback is about articles L1 can see: published ones */
	if (!r->search || search_find(r->search, slug, &doc) != KB_OK ||
	    !json_string_value(json_object_get(doc, "status")) ||
	    strcmp(json_string_value(json_object_get(doc, "status")), "published")) {
		json_decref(doc);
		resp_error(kbd, r, resp, 404, "not_found", "There is no published "
		    "article at this address.");
		return;
	}
	if (strcmp(action, "feedback") == 0) {
		v = json_object_get(in, "helpful");
		if (!json_is_boolean(v) || json_object_size(in) != 1) {
			refusal_field(&e, "helpful", "true or false.");
			rc = refuse(&e, 422, "invalid", "Send {\"helpful\": true} or "
			    "{\"helpful\": false}.");
		} else {
			rc = feedback_vote(r->store, r->user.id, slug, json_is_true(v), &e);
		}
		if (!rc && feedback_summary(r->store, slug, r->user.id, &summary))
			rc = refuse(&e, 500, "internal", "The vote is saved but the "
			    "totals cannot be read.");
		if (rc)
			resp_refusal(kbd, r, resp, &e);
		else
			resp_json(resp, 200, summary);
		json_decref(doc);
		return;
	}
	if (feedback_flag(r->store, r->user.name, slug, in, &id, &e)) {
		resp_refusal(kbd, r, resp, &e);
	} else {
		flag_news(kbd, r, slug, json_string_value(json_object_get(doc,
		    "author")), in);
		resp_json(resp, 201, json_pack("{s:I, s:s, s:O, s:s}", "id",
		    (json_int_t)id, "slug", slug, "kind", json_object_get(in, "kind"),
		    "status", "open"));
	}
	json_decref(doc);
}

void
flag_news(struct kbd *kbd, const struct req *r, const char *slug,
    const char *author, json_t *in)
{
	const char *kind = json_string_value(json_object_get(in, "kind"));
	const char *comment = json_string_value(json_object_get(in, "comment"));
	struct buf text;
	char *url;

	/* the author hears of it, if they are a user here and not the flagger */
	if (!author || !*author || strcmp(author, r->user.name) == 0 ||
	    !notifications_user_exists(r->store, author))
		return;
	buf_init(&text, 4096);
	buf_printf(&text, "%s: %s%s%s", slug, kind ? kind : "", comment && *comment ?
	    " — " : "", comment ? comment : "");
	url = view_article_url(slug);
	hub_notify(kbd->hub, r->store, author, 0, "flag", 0, url, r->user.name,
	    buf_str(&text));
	free(url);
	buf_release(&text);
}

/* POST {slug}/{action}: lifecycle, restore, feedback, flags, attachments. */
void
api_article_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	struct buf slug;
	const char *action, *arg;
	json_t *in = NULL, *out = NULL;
	int rc;

	buf_init(&slug, 4096);
	action = split_action(r->rest, &slug, &arg);
	if (!action || arg) {
		resp_error(kbd, r, resp, 404, "not_found", "No such resource. POST "
		    "to /api/v1/articles/{slug}/review, publish, archive, draft, "
		    "restore, feedback, flags or attachments.");
		goto out;
	}
	if (!slug_valid(kbd, r, resp, buf_str(&slug)))
		goto out;
	if (strcmp(action, "attachments") == 0) {
		if (may_write(kbd, r, resp))
			api_attachment_upload(kbd, r, resp, buf_str(&slug));
		goto out;
	}
	/* lifecycle moves may come with an empty body */
	if (r->body_len || strcmp(action, "feedback") == 0 ||
	    strcmp(action, "flags") == 0 || strcmp(action, "restore") == 0) {
		if (!(in = req_json_body(kbd, r, resp)))
			goto out;
	}
	if (strcmp(action, "feedback") == 0 || strcmp(action, "flags") == 0) {
		feedback_post(kbd, r, resp, buf_str(&slug), action, in);
		goto out;
	}
	if (!may_write(kbd, r, resp))
		goto out;
	if (strcmp(action, "restore") == 0)
		rc = articles_restore(kbd, r->store, &who, buf_str(&slug), in, &out, &e);
	else if (strcmp(action, "revisions") == 0 || strcmp(action, "diff") == 0 ||
	    strcmp(action, "source") == 0)
		rc = refuse(&e, 405, "method_not_allowed", "Use GET for %s.", action);
	else
		rc = articles_transition(kbd, r->store, &who, buf_str(&slug), action,
		    in, &out, &e);
	if (rc)
		resp_refusal(kbd, r, resp, &e);
	else
		resp_json(resp, 200, out);
out:
	json_decref(in);
	buf_release(&slug);
}

void
api_preview(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	json_t *in = req_json_body(kbd, r, resp), *out;

	if (!in)
		return;
	if (articles_preview(kbd, in, &out, &e))
		resp_refusal(kbd, r, resp, &e);
	else
		resp_json(resp, 200, out);
	json_decref(in);
}

/* ---- the article inbox ---- */

void
api_flags(struct kbd *kbd, const struct req *r, struct response *resp)
{
	const char *status = req_arg(r, "status");
	json_t *list;

	if (status && strcmp(status, "open") != 0 && strcmp(status, "all") != 0) {
		resp_error(kbd, r, resp, 400, "bad_parameter", "'status' is open or all.");
		return;
	}
	if (feedback_flags(r->store, NULL, !status || strcmp(status, "open") == 0,
	    FLAGS_LIMIT, &list)) {
		resp_error(kbd, r, resp, 500, "internal", "The flags cannot be read.");
		return;
	}
	resp_json(resp, 200, json_pack("{s:o}", "flags", list));
}

void
api_flag_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	const char *slash = strchr(r->rest, '/');
	char idtext[16];
	int64_t id = 0;
	json_t *in;

	if (slash && strcmp(slash, "/resolve") == 0 &&
	    (size_t)(slash - r->rest) < sizeof(idtext)) {
		memcpy(idtext, r->rest, (size_t)(slash - r->rest));
		idtext[slash - r->rest] = '\0';
		id = int_arg(idtext);
	}
	if (!id) {
		resp_error(kbd, r, resp, 404, "not_found", "POST to "
		    "/api/v1/flags/{id}/resolve.");
		return;
	}
	if (!(in = r->body_len ? req_json_body(kbd, r, resp) : json_object()))
		return;
	if (feedback_resolve(r->store, r->user.name, id, in, &e))
		resp_refusal(kbd, r, resp, &e);
	else
		resp_json(resp, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id,
		    "status", "resolved"));
	json_decref(in);
}

/* ---- FAQ ---- */

void
api_faq_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct actor who = { r->user.name, r->user.role };
	struct refusal e = { 0 };
	json_t *in, *out = NULL;
	const char *slug, *q;

	if (!(in = req_json_body(kbd, r, resp)))
		return;
	if (strcmp(r->path, "/api/v1/faq/send") == 0) {
		if (faq_send(r->store, r->search, &who, in, &out, &e))
			resp_refusal(kbd, r, resp, &e);
		else
			resp_json(resp, 200, out);
		json_decref(in);
		return;
	}
	slug = json_string_value(json_object_get(in, "slug"));
	q = json_string_value(json_object_get(in, "q"));
	if (!slug || !q || strlen(slug) > 512 || strlen(q) > FAQ_QUESTION_MAX ||
	    json_object_size(in) != 2)
		resp_error(kbd, r, resp, 422, "invalid", "Send {\"slug\", \"q\"}.");
	else if (!faq_exists(r->search, slug, q))
		resp_error(kbd, r, resp, 404, "not_found", "No published article has "
		    "that FAQ question.");
	else if (faq_use(r->store, slug, q))
		resp_error(kbd, r, resp, 500, "internal", "The use was not counted.");
	else
		resp_json(resp, 200, json_pack("{s:s, s:s}", "slug", slug, "q", q));
	json_decref(in);
}

/* ---- canned replies ---- */

static int64_t
canned_id(const struct req *r)
{
	const char *rest = r->path + strlen("/api/v1/canned");

	if (*rest == '\0')
		return 0;
	return rest[0] == '/' ? int_arg(rest + 1) : -1;
}

void
api_canned(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct refusal e = { 0 };
	int64_t id = canned_id(r), ticket = 0;
	json_t *in = NULL, *out = NULL;
	const char *t;
	int rc;

	if (id < 0 || (id == 0 && r->path[strlen("/api/v1/canned")] == '/')) {
		resp_error(kbd, r, resp, 404, "not_found", "There is no such canned reply.");
		return;
	}
	if (strcmp(r->method, "GET") == 0) {
		if (!id) {
			if (canned_list(r->store, &out))
				resp_error(kbd, r, resp, 500, "internal", "The canned "
				    "replies cannot be read.");
			else
				resp_json(resp, 200, json_pack("{s:o}", "replies", out));
			return;
		}
		if ((t = req_arg(r, "ticket")) && !(ticket = tickets_parse_id(t))) {
			resp_error(kbd, r, resp, 400, "bad_parameter", "'ticket' is a "
			    "ticket number such as T-000123.");
			return;
		}
		if (canned_render(r->store, &kbd->workflow, id, ticket, r->user.name,
		    &out, &e))
			resp_refusal(kbd, r, resp, &e);
		else
			resp_json(resp, 200, out);
		return;
	}
	if (strcmp(r->method, "DELETE") == 0) {
		if (!id)
			rc = refuse(&e, 405, "method_not_allowed", "DELETE one reply: "
			    "/api/v1/canned/{id}.");
		else
			rc = canned_delete(r->store, id, &e);
		if (rc)
			resp_refusal(kbd, r, resp, &e);
		else
			resp_json(resp, 200, json_pack("{s:I, s:b}", "id",
			    (json_int_t)id, "deleted", 1));
		return;
	}
	if ((strcmp(r->method, "POST") == 0) != (id == 0)) {
		resp_error(kbd, r, resp, 405, "method_not_allowed", "POST "
		    "/api/v1/canned to add a reply, PUT /api/v1/canned/{id} to change one.");
		return;
	}
	if (!(in = req_json_body(kbd, r, resp)))
		return;
	if (canned_save(r->store, r->user.name, in, &id, &e))
		resp_refusal(kbd, r, resp, &e);
	else if (canned_render(r->store, &kbd->workflow, id, 0, r->user.name, &out, &e))
		resp_refusal(kbd, r, resp, &e);
	else
		resp_json(resp, strcmp(r->method, "POST") == 0 ? 201 : 200, out);
	json_decref(in);
}
