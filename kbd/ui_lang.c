/*
 * ui_lang.c - see ui_lang.h.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "err.h"
#include "html.h"
#include "http.h"
#include "i18n.h"
#include "kbd.h"
#include "log.h"
#include "ui_lang.h"
#include "users.h"
#include "util.h"
#include "banned.h"

#define BACK_MAX 4096		/* longest "back" address of the switch */
#define LANG_COOKIE_AGE "31536000"	/* a year */

/* ---- the request's language ---- */

const char *
req_lang(const struct kbd *kbd, const struct req *r)
{
	const struct i18n *in = kbd->i18n;
	const char *code = NULL, *c;

	if (!r)
		return i18n_default(in);
	if (r->user.lang[0])
		code = i18n_lang(in, r->user.lang);
	if (!code && r->conn && (c = req_cookie(r, I18N_COOKIE)) != NULL)
		code = i18n_lang(in, c);
	if (!code && r->conn && (c = req_header(r, "Accept-Language")) != NULL)
		code = i18n_accept(in, c);
	return code ? code : i18n_default(in);
}

const char *
req_text(const struct kbd *kbd, const struct req *r, const char *key)
{
	return i18n_text(kbd->i18n, req_lang(kbd, r), key);
}

/* ---- what pages get ---- */

struct query_ctx {
	struct buf *b;
	unsigned n;
};

static enum MHD_Result
add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct query_ctx *qc = cls;

	(void)kind;
	buf_putc(qc->b, qc->n++ ? '&' : '?');
	url_encode_buf(qc->b, key, strlen(key), 0);
	if (value) {
		buf_putc(qc->b, '=');
		url_encode_buf(qc->b, value, strlen(value), 0);
	}
	return MHD_YES;
}

/* "/lang?set=CODE&back=" + this request's address, URL-encoded. */
static json_t *
switch_links(const struct kbd *kbd, const struct req *r, const char *cur)
{
	const struct i18n *in = kbd->i18n;
	json_t *list = json_array();
	struct buf here, url;
	struct query_ctx qc;
	const char *code;
	size_t i;

	buf_init(&here, BACK_MAX);
	buf_puts(&here, r && r->path && r->path[0] == '/' ? r->path : "/");
	if (r && r->conn) {
		qc.b = &here;
		qc.n = 0;
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &qc);
	}
	if (here.err || !utf8_valid(buf_str(&here), here.len)) {
		buf_reset(&here);
		buf_puts(&here, "/");
	}
	buf_init(&url, 0);
	for (i = 0; i < i18n_count(in); i++) {
		code = i18n_code(in, i);
		buf_reset(&url);
		buf_printf(&url, "/lang?set=%s&back=", code);
		url_encode_buf(&url, buf_str(&here), here.len, 0);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b}",
		    "code", code,
		    "name", i18n_text_or(in, code, "lang_name", code),
		    "dir", i18n_dir(in, code), "url", buf_str(&url),
		    "current", strcmp(code, cur) == 0));
	}
	buf_release(&url);
	buf_release(&here);
	return list;
}

void
i18n_page_data(const struct kbd *kbd, const struct req *r, json_t *data)
{
	const struct i18n *in = kbd->i18n;
	const char *lang = req_lang(kbd, r);
	json_t *user = json_object_get(data, "user");
	const char *role = json_string_value(json_object_get(user, "role"));
	char key[I18N_KEY_MAX];

	if (role) {
		snprintf(key, sizeof(key), "role_%s", role);
		json_object_set_new(user, "role_label", json_string(i18n_text_or(in,
		    lang, key, role)));
	}

	json_object_set_new(data, "ui_lang", json_string(lang));
	json_object_set_new(data, "ui_dir", json_string(i18n_dir(in, lang)));
	/* shared and never modified: jansson's reference counts are atomic */
	json_object_set(data, "t", i18n_strings(in, lang));
	json_object_set(data, "m", i18n_messages(in, lang));
	json_object_set_new(data, "langs", switch_links(kbd, r, lang));
}

void
i18n_error_data(const struct kbd *kbd, json_t *data, unsigned status,
    const char *code, const char *key, json_t *args, const char *english)
{
	const struct i18n *in = kbd->i18n;
	const char *lang = json_string_value(json_object_get(data, "ui_lang"));
	char k[I18N_KEY_MAX + 16];
	const char *title;

	snprintf(k, sizeof(k), "status_%u", status);
	title = i18n_text_or(in, lang, k, i18n_text_or(in, lang, "status_error",
	    "Error"));
	json_object_set_new(data, "page_title", json_string(title));
	json_object_set_new(data, "title", json_string(title));
	json_object_set_new(data, "status", json_integer(status));
	json_object_set_new(data, "code", json_string(code));
	if (!key) {
		snprintf(k, sizeof(k), "error_%s", code);
		key = k;
	}
	if (i18n_text_or(in, lang, key, NULL))
		json_object_set_new(data, "message", i18n_message(in, lang, key));
	else
		json_object_set_new(data, "message", json_pack("[{s:s}]", "_text",
		    english ? english : ""));
	json_object_set_new(data, "args", args ? json_incref(args) : json_object());
}

void
i18n_render_failed(const struct kbd *kbd, const char *lang, struct buf *out)
{
	const struct i18n *in = kbd->i18n;
	const char *code = i18n_lang(in, lang);
	const char *title, *msg;

	if (!code)
		code = i18n_default(in);
	title = i18n_text_or(in, code, "status_500", "");
	msg = i18n_text_or(in, code, "error_render", "");
	buf_printf(out, "<!doctype html><html lang=\"%s\" dir=\"%s\"><title>",
	    code, i18n_dir(in, code));
	html_escape_buf(out, title, strlen(title));
	buf_puts(out, "</title><h1>");
	html_escape_buf(out, title, strlen(title));
	buf_puts(out, "</h1><p>");
	html_escape_buf(out, msg, strlen(msg));
	buf_puts(out, "</p></html>");
}

/* A path of this site: "/…", not "//host" or "/\host", no control bytes. */
static bool
safe_back(const char *s)
{
	size_t i, len;

	if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return false;
	len = strlen(s);
	if (len > BACK_MAX || !utf8_valid(s, len))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f || s[i] == '\\')
			return false;
	return true;
}

void
page_lang(struct kbd *kbd, const struct req *r, struct response *resp)
{
	const char *set = req_arg(r, "set"), *back = req_arg(r, "back");
	const char *code = i18n_lang(kbd->i18n, set);
	struct buf cookie;

	if (!code) {
		resp_error(kbd, r, resp, 400, "bad_parameter",
		    "'set' must be one of the interface languages.");
		return;
	}
	/*
	 * The cookie is what this browser chose; for a signed-in user the
	 * choice also becomes the stored preference, which follows them to
	 * other browsers (it is only the interface language: harmless if a
	 * link from elsewhere sets it).
	 */
	if (r->store && r->user.role != ROLE_NONE &&
	    users_set_lang(r->store, r->user.name, code) != KB_OK)
		kb_log(LOG_WARNING, "cannot save the language of %s", r->user.name);
	buf_init(&cookie, 256);
	buf_printf(&cookie, "%s=%s; Path=/; Max-Age=%s; SameSite=Lax; HttpOnly%s",
	    I18N_COOKIE, code, LANG_COOKIE_AGE,
	    kbd->cfg.secure_cookies ? "; Secure" : "");
	free(resp->set_cookie);
	resp->set_cookie = buf_detach(&cookie, NULL);
	resp_redirect(resp, safe_back(back) ? back : "/");
}
