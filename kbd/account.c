/*
 * account.c - signing in and out (page and JSON API), and the admin page
 * that manages users. Every sign-in, failure and change goes to the audit
 * log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "err.h"
#include "http.h"
#include "i18n.h"
#include "kbd.h"
#include "log.h"
#include "pages.h"
#include "sessions.h"
#include "store.h"
#include "ui_lang.h"
#include "users.h"
#include "util.h"
#include "banned.h"

#define LOGIN_COOKIE "kbd_login"	/* double-submit token of the sign-in form */

/* A same-site path to go to after signing in; "/" for anything else. */
static const char *
safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
	    strlen(next) > 2048 || !utf8_valid(next, strlen(next)) ||
	    strpbrk(next, "\r\n"))
		return "/";
	return next;
}

static char *
cookie(const struct kbd *kbd, const char *name, const char *value, long max_age)
{
	struct buf b;

	buf_init(&b, 512);
	buf_printf(&b, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%ld%s", name,
	    value, max_age, kbd->cfg.secure_cookies ? "; Secure" : "");
	return buf_detach(&b, NULL);
}

/*
 * The sign-in form; error is a catalogue key (i18n.h), or NULL, and
 * minutes the number it may mention.
 */
static void
login_form(struct kbd *kbd, const struct req *r, struct response *resp,
    unsigned status, const char *username, const char *next,
    const char *error, long minutes)
{
	char token[65];
	json_t *data;

	users_random_hex(token, 32);
	data = page_data(kbd, r, req_text(kbd, r, "title_login"), "");
	json_object_set_new(data, "csrf", json_string(token));
	json_object_set_new(data, "username", json_string(username &&
	    utf8_valid(username, strlen(username)) ? username : ""));
	json_object_set_new(data, "next", json_string(safe_next(next)));
	if (error) {
		json_object_set_new(data, "error", json_true());
		json_object_set_new(data, "error_message", i18n_plural(kbd->i18n,
		    req_lang(kbd, r), error, minutes));
		json_object_set_new(data, "minutes", json_integer(minutes));
	}
	resp_page(kbd, resp, status, "login", data);
	free(resp->set_cookie);
	resp->set_cookie = cookie(kbd, LOGIN_COOKIE, token, 3600);
	(void)r;
}

void
page_login(struct kbd *kbd, const struct req *r, struct response *resp)
{
	login_form(kbd, r, resp, 200, "", req_arg(r, "next"), NULL, 0);
}

/*
 * Check name and password with the throttle: KB_OK fills *u; otherwise a
 * 401/429/503 is already in resp (a wrong name or password get the same
 * answer).
 */
static int
sign_in(struct kbd *kbd, const struct req *r, struct response *resp,
    const char *name, const char *password, struct user *u, bool page,
    const char *next)
{
	unsigned retry;
	char msg[160];
	int rc;

	if (!r->store) {
		resp_error(kbd, r, resp, 503, "store_unavailable",
		    "Sign-in is not available right now.");
		return KB_EDB;
	}
	if (!audit_login_begin(r->store, name, r->addr, &retry)) {
		audit_log(r->store, name, "login.throttled", NULL, r->addr);
		snprintf(msg, sizeof(msg), "Too many failed sign-ins. Try again in "
		    "%u minute%s.", (retry + 59) / 60, (retry + 59) / 60 == 1 ? "" : "s");
		if (page)
			login_form(kbd, r, resp, 429, name, next, "login_throttled",
			    (retry + 59) / 60);
		else
			resp_error(kbd, r, resp, 429, "too_many_attempts", msg);
		resp->retry_after = retry;
		return KB_EINVAL;
	}
	rc = users_check_password(r->store, name, password, u);
	if (rc) {
		audit_log(r->store, name, "login.fail", NULL, r->addr);
		if (page)
			login_form(kbd, r, resp, 401, name, next,
			    "login_bad_credentials", 0);
		else
			resp_error(kbd, r, resp, 401, "bad_credentials",
			    "The user name or password is not right.");
		return rc;
	}
	audit_login_succeeded(r->store, name, r->addr);
	audit_log(r->store, u->name, "login.ok", r->via_token ? "token" : NULL,
	    r->addr);
	return KB_OK;
}

/* A new session for u; its cookie goes on resp. */
static int
start_session(struct kbd *kbd, const struct req *r, struct response *resp,
    const struct user *u, char csrf[65])
{
	char *id = NULL;
	int rc;

	/* a session id planted before sign-in is never kept: always a new one */
	if (r->session_cookie)
		sessions_delete(r->store, r->session_cookie);
	rc = sessions_create(r->store, u->id, &id, csrf);
	if (rc) {
		resp_error(kbd, r, resp, 503, "store_unavailable",
		    "Sign-in is not available right now.");
		return rc;
	}
	free(resp->set_cookie);
	resp->set_cookie = cookie(kbd, SESSION_COOKIE, id,
	    (long)kbd->cfg.session.max);
	sodium_memzero(id, strlen(id));
	free(id);
	return KB_OK;
}

/* A sign-in form must come from this site: Origin (if sent) and the double-submit token. */
static bool
login_form_genuine(const struct req *r, const char *token)
{
	const char *origin = req_header(r, "Origin"), *host = req_header(r, "Host");
	const char *cookie_token = req_cookie(r, LOGIN_COOKIE);

	if (origin && (!host || !strstr(origin, "://") ||
	    strcmp(strstr(origin, "://") + 3, host) != 0))
		return false;
	return cookie_token && token && strlen(token) == 64 &&
	    strlen(cookie_token) == 64 && sodium_memcmp(token, cookie_token, 64) == 0;
}

void
page_login_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct buf name, password, token, next;
	struct user u;
	char csrf[65];

	buf_init(&name, 1024);
	buf_init(&password, 1024);
	buf_init(&token, 256);
	buf_init(&next, 4096);
	req_form(r, "next", &next);
	if (!req_form(r, "csrf", &token) || !login_form_genuine(r, buf_str(&token))) {
		login_form(kbd, r, resp, 403, "", buf_str(&next), "login_expired",
		    0);
		goto out;
	}
	if (!req_form(r, "username", &name) || !req_form(r, "password", &password) ||
	    !name.len || !password.len) {
		login_form(kbd, r, resp, 400, buf_str(&name), buf_str(&next),
		    "login_missing", 0);
		goto out;
	}
	if (sign_in(kbd, r, resp, buf_str(&name), buf_str(&password), &u, true,
	    buf_str(&next)))
		goto out;
	if (start_session(kbd, r, resp, &u, csrf))
		goto out;
	resp_redirect(resp, safe_next(buf_str(&next)));
out:
	if (password.data)
		sodium_memzero(password.data, password.len);
	buf_release(&name);
	buf_release(&password);
	buf_release(&token);
	buf_release(&next);
}

void
page_logout(struct kbd *kbd, const struct req *r, struct response *resp)
{
	if (r->session_cookie)
		sessions_delete(r->store, r->session_cookie);
	audit_log(r->store, r->user.name, "logout", NULL, r->addr);
	resp_redirect(resp, "/login");
	resp->set_cookie = cookie(kbd, SESSION_COOKIE, "", 0);
}

void
api_login(struct kbd *kbd, const struct req *r, struct response *resp)
{
	const char *type = req_header(r, "Content-Type");
	const char *name, *password;
	json_error_t jerr;
	json_t *body;
	struct user u;
	char csrf[65];

	/* JSON only: a cross-site HTML form cannot send it without a preflight */
	if (!type || strncmp(type, "application/json", 16) != 0) {
		resp_error(kbd, r, resp, 415, "unsupported_media_type",
		    "Send the credentials as application/json.");
		return;
	}
	body = json_loadb(r->body, r->body_len, 0, &jerr);
	name = json_string_value(json_object_get(body, "username"));
	password = json_string_value(json_object_get(body, "password"));
	if (!name || !password || !*name || !*password) {
		resp_error(kbd, r, resp, 400, "bad_request",
		    "Send {\"username\": …, \"password\": …}.");
	} else if (sign_in(kbd, r, resp, name, password, &u, false, NULL) == KB_OK &&
	    start_session(kbd, r, resp, &u, csrf) == KB_OK) {
		resp_json(resp, 200, json_pack("{s:{s:s, s:s}, s:s}", "user", "name",
		    u.name, "role", role_name(u.role), "csrf", csrf));
	}
	json_decref(body);
}

void
api_logout(struct kbd *kbd, const struct req *r, struct response *resp)
{
	if (r->session_cookie)
		sessions_delete(r->store, r->session_cookie);
	audit_log(r->store, r->user.name, "logout", NULL, r->addr);
	resp_json(resp, 200, json_pack("{s:b}", "signed_out", 1));
	resp->set_cookie = cookie(kbd, SESSION_COOKIE, "", 0);
}

void
api_me(struct kbd *kbd, const struct req *r, struct response *resp)
{
	(void)kbd;
	resp_json(resp, 200, json_pack("{s:s, s:s, s:s*}", "name", r->user.name,
	    "role", role_name(r->user.role), "csrf", r->csrf[0] ? r->csrf : NULL));
}

/* ---- the admin page for users ---- */

static void
users_page(struct kbd *kbd, const struct req *r, struct response *resp,
    unsigned status, const char *notice, const char *error, const char *token)
{
	json_t *data, *list = NULL, *u;
	char key[64];
	size_t i;

	if (users_list(r->store, &list)) {
		resp_error(kbd, r, resp, 503, "store_unavailable",
		    "The user list cannot be read right now.");
		return;
	}
	data = page_data(kbd, r, req_text(kbd, r, "title_users"), "");
	json_array_foreach(list, i, u) {
		snprintf(key, sizeof(key), "role_%s",
		    json_string_value(json_object_get(u, "role")));
		json_object_set_new(u, "role_label", json_string(req_text(kbd, r,
		    key)));
	}
	json_object_set_new(data, "users", list);
	json_object_set_new(data, "roles", json_pack("[s, s, s, s]", "l1", "l2",
	    "l3", "admin"));
	/* notice and error are catalogue keys (i18n.h) */
	if (notice)
		json_object_set_new(data, "notice", json_string(req_text(kbd, r,
		    notice)));
	if (error)
		json_object_set_new(data, "error", json_string(req_text(kbd, r,
		    error)));
	if (token)
		json_object_set_new(data, "new_token", json_string(token));
	resp_page(kbd, resp, status, "users", data);
}

void
page_users(struct kbd *kbd, const struct req *r, struct response *resp)
{
	users_page(kbd, r, resp, 200, NULL, NULL, NULL);
}

void
page_users_post(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct buf action, name, role, password, detail;
	const char *problem = NULL, *notice = NULL;
	char *token = NULL;
	int64_t token_id;
	bool taken = false;
	int rc;

	buf_init(&action, 64);
	buf_init(&name, 1024);
	buf_init(&role, 64);
	buf_init(&password, 1024);
	buf_init(&detail, 1024);
	req_form(r, "action", &action);
	req_form(r, "name", &name);
	req_form(r, "role", &role);
	req_form(r, "password", &password);
	if (!users_valid_name(buf_str(&name))) {
		problem = "users_err_name";
	} else if (strcmp(buf_str(&action), "add") == 0) {
		if (role_parse(buf_str(&role)) == ROLE_NONE)
			problem = "users_err_role";
		else if (users_password_problem(buf_str(&password)))
			problem = "users_err_password";
		else if ((rc = users_add(r->store, buf_str(&name),
		    role_parse(buf_str(&role)), buf_str(&password), &taken)))
			problem = taken ? "users_err_taken" : "users_err_add";
		else
			notice = "users_added";
	} else if (strcmp(buf_str(&action), "role") == 0) {
		if (strcmp(buf_str(&name), r->user.name) == 0)
			problem = "users_err_own_role";
		else if (users_set_role(r->store, buf_str(&name),
		    role_parse(buf_str(&role))))
			problem = "users_err_no_user_or_role";
		else
			notice = "users_role_changed";
	} else if (strcmp(buf_str(&action), "password") == 0) {
		if (users_password_problem(buf_str(&password)))
			problem = "users_err_password";
		else if (users_set_password(r->store, buf_str(&name),
		    buf_str(&password)))
			problem = "users_err_no_user";
		else
			notice = "users_password_set";
	} else if (strcmp(buf_str(&action), "delete") == 0) {
		if (strcmp(buf_str(&name), r->user.name) == 0)
			problem = "users_err_delete_self";
		else if (users_delete(r->store, buf_str(&name)))
			problem = "users_err_no_user";
		else
			notice = "users_deleted";
	} else if (strcmp(buf_str(&action), "token") == 0) {
		if (users_token_add(r->store, buf_str(&name), &token, &token_id))
			problem = "users_err_no_user";
		else
			notice = "users_token_created";
	} else {
		problem = "users_err_action";
	}
	if (!problem) {
		buf_printf(&detail, "%s %s", buf_str(&name), buf_str(&role));
		buf_reset(&role);
		buf_printf(&role, "user.%s", buf_str(&action));
		audit_log(r->store, r->user.name, buf_str(&role), buf_str(&detail),
		    r->addr);
	}
	users_page(kbd, r, resp, problem ? 400 : 200, notice, problem, token);
	if (password.data)
		sodium_memzero(password.data, password.len);
	free(token);
	buf_release(&action);
	buf_release(&name);
	buf_release(&role);
	buf_release(&password);
	buf_release(&detail);
}
