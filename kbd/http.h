/*
 * http.h - what a handler sees of a request and fills in for the response.
 *
 * Handlers have one signature: they read struct req, fill struct response
 * (status, type, body) and return. The server sends it, adds the security
 * headers and logs the request; a handler never talks to libmicrohttpd.
 */
#ifndef KB_HTTP_H
#define KB_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "users.h"

struct kbd;
struct search;
struct store;
struct MHD_Connection;
struct MHD_Response;
struct refusal;

#define RESPONSE_MAX_BYTES ((size_t)16 << 20)

struct req {
	struct MHD_Connection *conn;
	const char *method;	/* "GET", "HEAD", "POST", ... */
	const char *path;	/* decoded path, without the query string */
	const char *rest;	/* for prefix routes: the path after the prefix */
	struct search *search;	/* this thread's index reader, or NULL */
	struct store *store;	/* this thread's database connection, or NULL */
	const char *addr;	/* the client's address, as text */
	const char *body;	/* request body (NUL-terminated), "" if none */
	size_t body_len;
	struct user user;	/* who is asking; role ROLE_NONE if anonymous */
	bool via_token;		/* authenticated by an API token (no CSRF needed) */
	char csrf[65];		/* the session's CSRF token, "" without a session */
	const char *session_cookie;	/* the session cookie's value, or NULL */
};

struct response {
	unsigned status;
	const char *content_type;	/* static string */
	struct buf body;		/* owned; handed to MHD when sent */
	const char *location;		/* for redirects; owned by the response */
	char *location_owned;
	const char *cache_control;	/* static string, or NULL for no-store */
	const char *allow;		/* for 405; owned */
	char *set_cookie;		/* a Set-Cookie header, owned, or NULL */
	unsigned retry_after;		/* seconds, for 429; 0 for none */
	bool download;			/* Content-Disposition: attachment */
	struct MHD_Response *mhd;	/* built by the handler (an event stream):
					   sent instead of body */
};

/* A query-string argument, or NULL. */
const char *req_arg(const struct req *r, const char *name);

/* Render template name with data (which this call consumes: json_decref). */
void resp_page(struct kbd *kbd, struct response *resp, unsigned status,
    const char *name, json_t *data);
/* Serialise data (consumed) as JSON. */
void resp_json(struct response *resp, unsigned status, json_t *data);
/*
 * The JSON the handler wrote into resp->body as the answer (a 500 instead
 * if the body's buf failed).
 */
void resp_json_written(struct response *resp, unsigned status);
/*
 * An error: JSON {"error":{"code","message"}} for API requests, else the
 * error page. code is a stable machine-readable word; message is English.
 */
void resp_error(struct kbd *kbd, const struct req *r, struct response *resp,
    unsigned status, const char *code, const char *message);
/*
 * The same, with the page's message taken from catalogue key (NULL:
 * "error_" + code) with the values of its placeholders in args (or NULL;
 * not consumed). The JSON error keeps the English message.
 */
void resp_error_args(struct kbd *kbd, const struct req *r,
    struct response *resp, unsigned status, const char *code,
    const char *message, const char *key, json_t *args);
/*
 * A form field of an application/x-www-form-urlencoded body, decoded into
 * out (reset first). False if absent or malformed.
 */
bool req_form(const struct req *r, const char *name, struct buf *out);
/*
 * The request body as a JSON object, or NULL with a 415 (not
 * application/json) or 400 (not an object) already in resp. New reference.
 */
json_t *req_json_body(struct kbd *kbd, const struct req *r,
    struct response *resp);
/*
 * A refused change as an error response: the message, plus "fields" and the
 * members of e->detail in the JSON error. Releases e.
 */
void resp_refusal(struct kbd *kbd, const struct req *r, struct response *resp,
    struct refusal *e);
/* A cookie of the request, or NULL. */
const char *req_cookie(const struct req *r, const char *name);
/* A request header, or NULL. */
const char *req_header(const struct req *r, const char *name);

/* A 303 redirect to location (copied). */
void resp_redirect(struct response *resp, const char *location);

/* True if the request is for the JSON API. */
bool req_is_api(const struct req *r);

/*
 * The data every page template gets: page_title, q, the interface language
 * (ui_lang, ui_dir, t, m, langs: see ui_lang.h), and for a signed-in user
 * "user" {name, role, can_write (l2+), is_admin} and "csrf" (the session's
 * form token). title is shown as given: pass req_text(kbd, r, "title_…")
 * for a fixed one.
 */
json_t *page_data(struct kbd *kbd, const struct req *r, const char *title,
    const char *q);

#endif
