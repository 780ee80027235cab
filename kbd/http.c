/*
 * http.c - request accessors and response builders; see http.h.
 */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "err.h"
#include "json_out.h"
#include "html.h"
#include "http.h"
#include "refusal.h"
#include "incidents.h"
#include "notifications.h"
#include "kbd.h"
#include "log.h"
#include "tmpl.h"
#include "ui_lang.h"
#include "util.h"
#include "widgets.h"
#include "banned.h"

const char *
req_arg(const struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
req_cookie(const struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *
req_header(const struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* Decode a form-encoded value ('+' is a space); false if malformed. */
static bool
form_decode(const char *s, size_t len, struct buf *out)
{
	if (!url_decode_buf(out, s, len))
		return false;
	return !out->err && utf8_valid(buf_str(out), out->len) &&
	    strlen(buf_str(out)) == out->len;
}

bool
req_form(const struct req *r, const char *name, struct buf *out)
{
	const char *p = r->body, *end = r->body + r->body_len, *amp, *eq;
	size_t n = strlen(name);

	buf_reset(out);
	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (!amp)
			amp = end;
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq && (size_t)(eq - p) == n && memcmp(p, name, n) == 0)
			return form_decode(eq + 1, (size_t)(amp - eq - 1), out);
		p = amp + 1;
	}
	return false;
}

bool
req_is_api(const struct req *r)
{
	/* /metrics is for a scraper: a 401, not the sign-in page */
	return str_starts_with(r->path, "/api/") || strcmp(r->path, "/healthz") == 0 ||
	    strcmp(r->path, "/metrics") == 0;
}

/*
 * What every page of a signed-in user shows: the banner of each active major
 * incident ("incidents") and the count of unread notifications ("unread").
 */
static void
page_news(const struct req *r, json_t *data)
{
	json_t *incidents = NULL;
	int64_t unread = 0;

	if (!r->store)
		return;
	if (incidents_active(r->store, &incidents) == KB_OK &&
	    json_array_size(incidents)) {
		json_t *inc;
		size_t i;
		json_array_foreach(incidents, i, inc)
			json_object_set_new(inc, "since_text", widget_time(
			    json_object_get(inc, "since")));
		json_object_set_new(data, "incidents", incidents);
	} else {
		json_decref(incidents);
	}
	if (r->user.role >= ROLE_L1 &&
	    notifications_unread(r->store, &r->user, &unread) == KB_OK && unread)
		json_object_set_new(data, "unread", json_integer(unread));
}

json_t *
page_data(struct kbd *kbd, const struct req *r, const char *title,
    const char *q)
{
	json_t *data;

	/* only valid UTF-8 reaches a page: jansson refuses anything else */
	if (!q || !utf8_valid(q, strlen(q)))
		q = "";
	if (!title || !utf8_valid(title, strlen(title)))
		title = "kbd";
	data = json_pack("{s:s, s:s}", "page_title", title, "q", q);
	if (data && r && r->user.role != ROLE_NONE) {
		json_object_set_new(data, "user", json_pack("{s:s, s:s, s:b, s:b}",
		    "name", r->user.name, "role", role_name(r->user.role),
		    "can_write", r->user.role >= ROLE_L2,
		    "is_admin", r->user.role == ROLE_ADMIN));
		json_object_set_new(data, "csrf", json_string(r->csrf));
		page_news(r, data);
	}
	if (data)
		i18n_page_data(kbd, r, data);	/* after "user": labels its role */
	return data;
}

void
resp_page(struct kbd *kbd, struct response *resp, unsigned status,
    const char *name, json_t *data)
{
	char lang[16] = "";
	int rc;

	buf_reset(&resp->body);
	rc = data ? tmpl_render(kbd->tmpl, name, data, &resp->body) : KB_ENOMEM;
	if (data && json_is_string(json_object_get(data, "ui_lang")))
		snprintf(lang, sizeof(lang), "%s",
		    json_string_value(json_object_get(data, "ui_lang")));
	json_decref(data);
	if (rc) {
		kb_log(LOG_ERR, "render %s: %s", name, kb_strerror(rc));
		buf_reset(&resp->body);
		i18n_render_failed(kbd, lang, &resp->body);
		status = 500;
	}
	resp->status = status;
	resp->content_type = "text/html; charset=utf-8";
}

void
resp_json(struct response *resp, unsigned status, json_t *data)
{
	buf_reset(&resp->body);
	if (data)
		json_out(&resp->body, data);
	else if (!resp->body.err)
		resp->body.err = KB_ENOMEM;	/* the answer was not built */
	json_decref(data);
	resp_json_written(resp, status);
}

void
resp_json_written(struct response *resp, unsigned status)
{
	if (resp->body.err) {
		buf_release(&resp->body);
		buf_init(&resp->body, 0);
		buf_puts(&resp->body, "{\"error\":{\"code\":\"internal\","
		    "\"message\":\"out of memory\"}}");
		status = 500;
	}
	buf_putc(&resp->body, '\n');
	resp->status = status;
	resp->content_type = "application/json";
}

void
resp_error(struct kbd *kbd, const struct req *r, struct response *resp,
    unsigned status, const char *code, const char *message)
{
	resp_error_args(kbd, r, resp, status, code, message, NULL, NULL);
}

void
resp_error_args(struct kbd *kbd, const struct req *r, struct response *resp,
    unsigned status, const char *code, const char *message, const char *key,
    json_t *args)
{
	json_t *data;

	if (req_is_api(r)) {
		resp_json(resp, status, json_pack("{s:{s:s, s:s}}", "error",
		    "code", code, "message", message));
		return;
	}
	/* the page: the status and message in the interface language */
	data = page_data(kbd, r, NULL, req_arg(r, "q"));
	if (data)
		i18n_error_data(kbd, data, status, code, key, args, message);
	resp_page(kbd, resp, status, "error", data);
}

void
resp_refusal(struct kbd *kbd, const struct req *r, struct response *resp,
    struct refusal *e)
{
	json_t *err;

	if (!req_is_api(r)) {
		resp_error(kbd, r, resp, e->status ? e->status : 500,
		    e->code ? e->code : "internal", e->message[0] ? e->message :
		    "The change could not be made.");
		refusal_release(e);
		return;
	}
	err = json_pack("{s:s, s:s}", "code", e->code ? e->code : "internal",
	    "message", e->message[0] ? e->message : "The change could not be made.");
	if (e->fields)
		json_object_set(err, "fields", e->fields);
	if (json_is_object(e->detail))
		json_object_update(err, e->detail);
	resp_json(resp, e->status ? e->status : 500, json_pack("{s:o}", "error", err));
	refusal_release(e);
}

json_t *
req_json_body(struct kbd *kbd, const struct req *r, struct response *resp)
{
	const char *type = req_header(r, "Content-Type");
	json_error_t jerr;
	json_t *in;

	if (!type || strncmp(type, "application/json", 16) != 0) {
		resp_error(kbd, r, resp, 415, "unsupported_media_type",
		    "Send the body as application/json.");
		return NULL;
	}
	in = json_loadb(r->body, r->body_len, 0, &jerr);
	if (!json_is_object(in)) {
		json_decref(in);
		resp_error(kbd, r, resp, 400, "bad_json",
		    "The body is not a JSON object.");
		return NULL;
	}
	return in;
}

void
resp_redirect(struct response *resp, const char *location)
{
	free(resp->location_owned);
	resp->location_owned = xstrdup(location);
	resp->location = resp->location_owned;
	resp->status = 303;
	resp->content_type = "text/plain; charset=utf-8";
	buf_reset(&resp->body);
}
