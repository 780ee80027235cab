/*
 * server.c - libmicrohttpd glue; see server.h.
 *
 * One request = one struct req_ctx, allocated on MHD's first call and
 * freed in exactly one place, the completion callback, which also writes
 * the log line. Handlers never see MHD: they fill a struct response that
 * respond() turns into an MHD response, handing over the body buffer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>
#include <sodium.h>

#include "err.h"
#include "html.h"
#include "http.h"
#include "kbd.h"
#include "listener.h"
#include "log.h"
#include "pages.h"
#include "search.h"
#include "access.h"
#include "server.h"
#include "sessions.h"
#include "snapshot.h"
#include "standing.h"
#include "store.h"
#include "hub.h"
#include "telemetry.h"
#include "ui_lang.h"
#include "util.h"
#include "banned.h"

#define CONNECTION_MEMORY_LIMIT (128 * 1024)
#define REQUEST_BODY_MAX (1024 * 1024)

struct server {
	struct listener *listener;
	struct MHD_Daemon **workers;	/* one event loop thread each */
	size_t nworkers;
	struct kbd *kbd;
};

struct req_ctx {
	struct timespec started;
	char *method;		/* copies, for the log line */
	char *path;
	unsigned status;
	struct buf body;	/* request body, capped at REQUEST_BODY_MAX */
};

enum { NEEDS_SEARCH = 1, NEEDS_STORE = 2 };

/*
 * The route table: path (exact, or a prefix whose rest goes to req.rest),
 * method ("GET" also answers HEAD), the permission it needs (access.h),
 * what per-thread state it uses, and the handler.
 */
static const struct route {
	const char *path;
	bool prefix;
	const char *method;
	enum perm perm;
	unsigned needs;
	handler_fn *fn;
} routes[] = {
	{ "/", false, "GET", PERM_READ, NEEDS_SEARCH, page_home },
	{ "/search", false, "GET", PERM_READ, NEEDS_SEARCH, page_search },
	{ "/articles/", true, "GET", PERM_READ, NEEDS_SEARCH | NEEDS_STORE,
	    page_article },
	{ "/faq", false, "GET", PERM_READ, NEEDS_SEARCH | NEEDS_STORE, page_faq },
	{ "/faq/send", false, "POST", PERM_TICKETS, NEEDS_STORE | NEEDS_SEARCH,
	    page_faq_send },
	{ "/write", false, "GET", PERM_KNOWLEDGE, NEEDS_STORE, page_write },
	{ "/write", false, "POST", PERM_KNOWLEDGE, NEEDS_STORE, page_write_post },
	{ "/write/", true, "GET", PERM_KNOWLEDGE, NEEDS_STORE, page_write },
	{ "/write/", true, "POST", PERM_KNOWLEDGE, NEEDS_STORE, page_write_post },
	{ "/history/", true, "GET", PERM_KNOWLEDGE, NEEDS_STORE, page_history },
	{ "/inbox", false, "GET", PERM_KNOWLEDGE, NEEDS_STORE | NEEDS_SEARCH,
	    page_inbox },
	{ "/inbox", false, "POST", PERM_KNOWLEDGE, NEEDS_STORE, page_inbox_post },
	{ "/feedback/", true, "POST", PERM_SIGNED_IN, NEEDS_STORE | NEEDS_SEARCH,
	    page_feedback_post },
	{ "/canned", false, "GET", PERM_KNOWLEDGE, NEEDS_STORE, page_canned },
	{ "/canned", false, "POST", PERM_KNOWLEDGE, NEEDS_STORE, page_canned_post },
	{ "/gaps", false, "GET", PERM_KNOWLEDGE, 0, page_gaps },
	{ "/lang", false, "GET", PERM_PUBLIC, 0, page_lang },
	{ "/login", false, "GET", PERM_PUBLIC, 0, page_login },
	{ "/login", false, "POST", PERM_PUBLIC, 0, page_login_post },
	{ "/logout", false, "POST", PERM_SIGNED_IN, 0, page_logout },
	{ "/admin/users", false, "GET", PERM_ADMIN, 0, page_users },
	{ "/admin/users", false, "POST", PERM_ADMIN, 0, page_users_post },
	{ "/tickets", false, "GET", PERM_TICKETS, NEEDS_STORE, page_tickets },
	{ "/tickets", false, "POST", PERM_TICKETS, NEEDS_STORE, page_ticket_create },
	{ "/tickets/lookup", false, "GET", PERM_TICKETS, 0, page_ticket_lookup },
	{ "/tickets/", true, "GET", PERM_TICKETS, NEEDS_STORE | NEEDS_SEARCH,
	    page_ticket },
	{ "/tickets/", true, "POST", PERM_TICKETS, NEEDS_STORE, page_ticket_post },
	{ "/escalation", false, "GET", PERM_TICKETS, 0, page_escalation },
	{ "/problems", false, "GET", PERM_TICKETS, NEEDS_STORE, page_problems },
	{ "/problems", false, "POST", PERM_KNOWLEDGE, NEEDS_STORE, page_problems_post },
	{ "/problems/", true, "GET", PERM_TICKETS, NEEDS_STORE | NEEDS_SEARCH,
	    page_problem },
	{ "/problems/", true, "POST", PERM_KNOWLEDGE, NEEDS_STORE | NEEDS_SEARCH,
	    page_problem_post },
	{ "/incidents", false, "GET", PERM_TICKETS, NEEDS_STORE, page_incidents },
	{ "/incidents", false, "POST", PERM_KNOWLEDGE, NEEDS_STORE,
	    page_incidents_post },
	{ "/incidents/", true, "GET", PERM_SIGNED_IN, NEEDS_STORE, page_incident },
	{ "/incidents/", true, "POST", PERM_TICKETS, NEEDS_STORE, page_incident_post },
	{ "/static/", true, "GET", PERM_PUBLIC, 0, page_static },
	{ "/api/v1/search", false, "GET", PERM_READ, NEEDS_SEARCH, api_search },
	{ "/api/v1/suggest", false, "GET", PERM_READ, NEEDS_SEARCH, api_suggest },
	{ "/api/v1/articles", false, "POST", PERM_KNOWLEDGE, NEEDS_STORE,
	    api_article_create },
	{ "/api/v1/articles/", true, "GET", PERM_READ, NEEDS_SEARCH | NEEDS_STORE,
	    api_article_get },
	{ "/api/v1/articles/", true, "PUT", PERM_KNOWLEDGE, NEEDS_STORE,
	    api_article_put },
	{ "/api/v1/articles/", true, "POST", PERM_SIGNED_IN,
	    NEEDS_STORE | NEEDS_SEARCH, api_article_post },
	{ "/api/v1/preview", false, "POST", PERM_KNOWLEDGE, 0, api_preview },
	{ "/api/v1/flags", false, "GET", PERM_KNOWLEDGE, NEEDS_STORE, api_flags },
	{ "/api/v1/flags/", true, "POST", PERM_KNOWLEDGE, NEEDS_STORE, api_flag_post },
	{ "/api/v1/faq", false, "GET", PERM_READ, NEEDS_SEARCH | NEEDS_STORE, api_faq },
	{ "/api/v1/faq/use", false, "POST", PERM_SIGNED_IN,
	    NEEDS_STORE | NEEDS_SEARCH, api_faq_post },
	{ "/api/v1/faq/send", false, "POST", PERM_TICKETS,
	    NEEDS_STORE | NEEDS_SEARCH, api_faq_post },
	{ "/api/v1/canned", false, "GET", PERM_TICKETS, NEEDS_STORE, api_canned },
	{ "/api/v1/canned", false, "POST", PERM_KNOWLEDGE, NEEDS_STORE, api_canned },
	{ "/api/v1/canned/", true, "GET", PERM_TICKETS, NEEDS_STORE, api_canned },
	{ "/api/v1/canned/", true, "PUT", PERM_KNOWLEDGE, NEEDS_STORE, api_canned },
	{ "/api/v1/canned/", true, "DELETE", PERM_KNOWLEDGE, NEEDS_STORE, api_canned },
	{ "/api/v1/gaps", false, "GET", PERM_KNOWLEDGE, 0, api_gaps },
	{ "/api/v1/login", false, "POST", PERM_PUBLIC, 0, api_login },
	{ "/api/v1/logout", false, "POST", PERM_SIGNED_IN, 0, api_logout },
	{ "/api/v1/me", false, "GET", PERM_SIGNED_IN, 0, api_me },
	{ "/api/v1/tickets", false, "GET", PERM_TICKETS, NEEDS_STORE, api_tickets },
	{ "/api/v1/tickets", false, "POST", PERM_TICKETS, NEEDS_STORE, api_tickets },
	{ "/api/v1/tickets/", true, "GET", PERM_TICKETS, NEEDS_STORE, api_ticket },
	{ "/api/v1/tickets/", true, "POST", PERM_TICKETS, NEEDS_STORE, api_ticket },
	{ "/api/v1/tickets/", true, "PATCH", PERM_TICKETS, NEEDS_STORE, api_ticket },
	{ "/api/v1/problems", false, "GET", PERM_TICKETS, NEEDS_STORE, api_problems },
	{ "/api/v1/problems", false, "POST", PERM_KNOWLEDGE, NEEDS_STORE, api_problems },
	{ "/api/v1/problems/", true, "GET", PERM_TICKETS, NEEDS_STORE, api_problem },
	{ "/api/v1/problems/", true, "PATCH", PERM_KNOWLEDGE, NEEDS_STORE, api_problem },
	{ "/api/v1/problems/", true, "POST", PERM_KNOWLEDGE, NEEDS_STORE, api_problem },
	{ "/api/v1/known-errors", false, "GET", PERM_TICKETS,
	    NEEDS_STORE | NEEDS_SEARCH, api_known_errors },
	{ "/api/v1/incidents", false, "GET", PERM_SIGNED_IN, NEEDS_STORE,
	    api_incidents },
	{ "/api/v1/incidents", false, "POST", PERM_KNOWLEDGE, NEEDS_STORE,
	    api_incidents },
	{ "/api/v1/incidents/", true, "GET", PERM_SIGNED_IN, NEEDS_STORE, api_incident },
	{ "/api/v1/incidents/", true, "POST", PERM_TICKETS, NEEDS_STORE, api_incident },
	{ "/api/v1/events/stream", false, "GET", PERM_SIGNED_IN, NEEDS_STORE,
	    api_events_stream },
	{ "/api/v1/notifications", false, "GET", PERM_SIGNED_IN, NEEDS_STORE,
	    api_notifications },
	{ "/api/v1/notifications/read", false, "POST", PERM_SIGNED_IN, NEEDS_STORE,
	    api_notifications_read },
	{ "/notifications", false, "GET", PERM_SIGNED_IN, NEEDS_STORE,
	    page_notifications },
	{ "/notifications", false, "POST", PERM_SIGNED_IN, NEEDS_STORE,
	    page_notifications_post },
	{ "/api/v1/escalation-criteria", false, "GET", PERM_TICKETS, 0,
	    api_escalation_criteria },
	{ "/healthz", false, "GET", PERM_PUBLIC, NEEDS_SEARCH, api_healthz },
	{ "/metrics", false, "GET", PERM_ADMIN, NEEDS_SEARCH | NEEDS_STORE,
	    page_metrics },
	{ "/dashboard", false, "GET", PERM_KNOWLEDGE, NEEDS_STORE, page_dashboard },
	{ "/api/v1/metrics", false, "GET", PERM_KNOWLEDGE, NEEDS_STORE, api_metrics },
	{ "/api/v1/metrics/", true, "GET", PERM_KNOWLEDGE, NEEDS_STORE,
	    api_metrics_csv },
};

static const char *const security_headers[][2] = {
	{ "Content-Security-Policy", "default-src 'self'; script-src 'self'; "
	    "style-src 'self'; img-src 'self' data:; object-src 'none'; "
	    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "same-origin" },
};

/* This thread's index reader, opened on first use and refreshed per request. */
static struct search *
thread_search(struct kbd *kbd)
{
	struct search *s = pthread_getspecific(kbd->search_key);
	char *err = NULL;

	if (s) {
		search_refresh(s);
		return s;
	}
	if (search_open_shared(kbd->cfg.index_dir, kbd->snapshots, &s, &err)) {
		kb_log(LOG_ERR, "cannot open index %s: %s", kbd->cfg.index_dir,
		    err ? err : "unknown error");
		free(err);
		return NULL;
	}
	pthread_setspecific(kbd->search_key, s);
	return s;
}

/* This thread's database connection, opened on first use. */
static struct store *
thread_store(struct kbd *kbd)
{
	struct store *st = pthread_getspecific(kbd->store_key);
	char *err = NULL;

	if (st)
		return st;
	if (store_open(kbd->db_path, &st, &err)) {
		kb_log(LOG_ERR, "cannot open %s: %s", kbd->db_path,
		    err ? err : "unknown error");
		free(err);
		return NULL;
	}
	pthread_setspecific(kbd->store_key, st);
	return st;
}

static bool
path_matches(const struct route *rt, const char *path)
{
	size_t n = strlen(rt->path);

	return rt->prefix ? strncmp(path, rt->path, n) == 0 :
	    strcmp(path, rt->path) == 0;
}

static bool
method_matches(const struct route *rt, const char *method)
{
	return strcmp(rt->method, method) == 0 ||
	    (strcmp(rt->method, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

/*
 * Who is asking: an API token (Authorization: Bearer …) on any route, or
 * the session cookie. Leaves r->user.role at ROLE_NONE when neither holds.
 */
static void
identify(struct kbd *kbd, struct req *r)
{
	const char *auth = req_header(r, "Authorization");
	const char *cookie = req_cookie(r, SESSION_COOKIE);

	if (!r->store)
		return;
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		if (users_token_check(r->store, auth + 7, &r->user) == KB_OK)
			r->via_token = true;
		return;	/* a bad token is not rescued by a cookie */
	}
	if (cookie && sessions_check(r->store, cookie, &kbd->cfg.session,
	    &r->user, r->csrf) == KB_OK)
		r->session_cookie = cookie;
}

/*
 * A state-changing request from a browser session must carry the
 * session's CSRF token (form field "csrf" or header X-CSRF-Token) and, if
 * the browser says where it comes from, come from this site. SameSite
 * alone is not enough: another port on the same host is "same-site".
 */
static bool
csrf_ok(const struct req *r)
{
	const char *origin = req_header(r, "Origin");
	const char *fetch_site = req_header(r, "Sec-Fetch-Site");
	const char *host = req_header(r, "Host");
	const char *token = req_header(r, "X-CSRF-Token");
	struct buf field;
	bool ok;

	if (fetch_site && strcmp(fetch_site, "same-origin") != 0 &&
	    strcmp(fetch_site, "none") != 0)
		return false;
	if (origin && (!host || !str_starts_with(origin, "http") ||
	    !strstr(origin, "://") || strcmp(strstr(origin, "://") + 3, host) != 0))
		return false;
	if (r->via_token)
		return true;
	if (!r->csrf[0])
		return false;
	buf_init(&field, 128);
	if (!token && req_form(r, "csrf", &field))
		token = buf_str(&field);
	ok = token && strlen(token) == 64 && sodium_memcmp(token, r->csrf, 64) == 0;
	buf_release(&field);
	return ok;
}

/* "/login?next=<path>" for a page that needs a signed-in user. */
static void
redirect_to_login(const struct req *r, struct response *resp)
{
	struct buf b;
	const char *q = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "q");

	buf_init(&b, 8192);
	buf_puts(&b, "/login?next=");
	url_encode_buf(&b, r->path, strlen(r->path), 1);
	if (q && strcmp(r->path, "/search") == 0) {
		buf_puts(&b, "%3Fq%3D");
		url_encode_buf(&b, q, strlen(q), 0);
	}
	resp_redirect(resp, b.err ? "/login" : buf_str(&b));
	buf_release(&b);
}

static void
route(struct kbd *kbd, struct req *r, struct response *resp)
{
	const struct route *rt = NULL;
	size_t i, n = sizeof(routes) / sizeof(routes[0]);
	bool path_known = false, writes;
	struct buf allow;

	if (!utf8_valid(r->path, strlen(r->path))) {
		resp_error(kbd, r, resp, 400, "bad_encoding",
		    "The address is not valid UTF-8.");
		return;
	}
	buf_init(&allow, 256);
	for (i = 0; i < n; i++) {
		if (!path_matches(&routes[i], r->path))
			continue;
		path_known = true;
		if (!rt && method_matches(&routes[i], r->method))
			rt = &routes[i];
		buf_printf(&allow, "%s%s%s", allow.len ? ", " : "", routes[i].method,
		    strcmp(routes[i].method, "GET") == 0 ? ", HEAD" : "");
	}
	if (!rt) {
		if (path_known) {
			resp->allow = xstrdup(buf_str(&allow));
			resp_error(kbd, r, resp, 405, "method_not_allowed",
			    "This address does not answer that method.");
		} else {
			resp_error(kbd, r, resp, 404, "not_found",
			    "There is nothing at this address.");
		}
		buf_release(&allow);
		return;
	}
	buf_release(&allow);
	r->rest = rt->prefix ? r->path + strlen(rt->path) : "";
	if (rt->perm != PERM_PUBLIC || strcmp(rt->method, "POST") == 0 ||
	    req_header(r, "Authorization") || req_cookie(r, SESSION_COOKIE)) {
		r->store = thread_store(kbd);
		identify(kbd, r);
	}
	if (!access_allows(r->user.role, rt->perm, kbd->cfg.public_articles)) {
		if (r->user.role != ROLE_NONE)
			resp_error(kbd, r, resp, 403, "forbidden",
			    "Your role does not allow this.");
		else if (req_is_api(r))
			resp_error(kbd, r, resp, 401, "unauthenticated",
			    "Sign in first: POST /api/v1/login, or send an API token "
			    "as Authorization: Bearer.");
		else
			redirect_to_login(r, resp);
		return;
	}
	/* sign-in routes are public and check their own form token */
	writes = strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0;
	if (writes && rt->perm != PERM_PUBLIC && !csrf_ok(r)) {
		resp_error(kbd, r, resp, 403, "csrf",
		    "This form has expired or came from another site. Reload the "
		    "page and try again.");
		return;
	}
	if (rt->needs & NEEDS_SEARCH)
		r->search = thread_search(kbd);
	if (!r->store && (rt->needs & NEEDS_STORE))
		r->store = thread_store(kbd);
	rt->fn(kbd, r, resp);
	/* a change may be news for the open event streams: look now */
	if (writes && resp->status < 400)
		hub_kick(kbd->hub);
}

static void
free_body(void *p)
{
	free(p);
}

static enum MHD_Result
respond(struct MHD_Connection *conn, struct response *resp)
{
	struct MHD_Response *mr;
	enum MHD_Result ret;
	size_t len = 0, i;
	char *body;

	if (resp->mhd) {
		mr = resp->mhd;		/* an event stream */
		resp->mhd = NULL;
		MHD_add_response_header(mr, "X-Accel-Buffering", "no");
	} else {
		body = buf_detach(&resp->body, &len);
		if (!body)
			return MHD_NO;	/* out of memory: drop the connection */
		mr = MHD_create_response_from_buffer_with_free_callback(len, body,
		    free_body);
		if (!mr) {
			free(body);
			return MHD_NO;
		}
	}
	MHD_add_response_header(mr, "Content-Type", resp->content_type ?
	    resp->content_type : "text/plain; charset=utf-8");
	MHD_add_response_header(mr, "Cache-Control", resp->cache_control ?
	    resp->cache_control : "no-store");
	for (i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		MHD_add_response_header(mr, security_headers[i][0],
		    security_headers[i][1]);
	if (resp->location)
		MHD_add_response_header(mr, "Location", resp->location);
	if (resp->allow)
		MHD_add_response_header(mr, "Allow", resp->allow);
	if (resp->set_cookie)
		MHD_add_response_header(mr, "Set-Cookie", resp->set_cookie);
	if (resp->download) {
		/* a user's file: saved, never run in our origin */
		MHD_add_response_header(mr, "Content-Disposition", "attachment");
		MHD_add_response_header(mr, "Content-Security-Policy", "sandbox");
	}
	if (resp->retry_after) {
		char secs[16];
		snprintf(secs, sizeof(secs), "%u", resp->retry_after);
		MHD_add_response_header(mr, "Retry-After", secs);
	}
	ret = MHD_queue_response(conn, resp->status, mr);
	MHD_destroy_response(mr);
	return ret;
}

/* The client's address as text (for the audit log and login throttling). */
static const char *
client_addr(struct MHD_Connection *conn, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	out[0] = '\0';
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out,
		    (socklen_t)len);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
		    (socklen_t)len);
	return out[0] ? out : "unknown";
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **req_cls)
{
	struct kbd *kbd = cls;
	struct req_ctx *ctx = *req_cls;
	struct req r = { .conn = conn, .method = method, .path = url, .rest = "" };
	struct response resp = { 0 };
	enum MHD_Result ret;
	char addr[INET6_ADDRSTRLEN];

	(void)version;
	(void)upload_data;
	if (!ctx) {
		ctx = xcalloc(1, sizeof(*ctx));
		clock_gettime(CLOCK_MONOTONIC, &ctx->started);
		ctx->method = xstrdup(method);
		ctx->path = xstrdup(url);
		buf_init(&ctx->body, REQUEST_BODY_MAX);
		*req_cls = ctx;
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* keep the body up to the cap; past it, the answer is 413 */
		buf_append(&ctx->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	r.addr = client_addr(conn, addr, sizeof(addr));
	r.body = buf_str(&ctx->body);
	r.body_len = ctx->body.len;
	buf_init(&resp.body, RESPONSE_MAX_BYTES);
	resp.status = 500;
	if (ctx->body.err)
		resp_error(kbd, &r, &resp, 413, "too_large",
		    "The request body is larger than 1 MiB.");
	else
		route(kbd, &r, &resp);
	if (resp.body.err) {
		kb_log(LOG_ERR, "%s %s: response %s", method, url,
		    kb_strerror(resp.body.err));
		buf_release(&resp.body);
		buf_init(&resp.body, 0);
		resp_error(kbd, &r, &resp, 500, "internal",
		    "The response could not be built.");
	}
	ctx->status = resp.status;
	ret = respond(conn, &resp);
	buf_release(&resp.body);
	free(resp.location_owned);
	free(resp.set_cookie);
	free((char *)resp.allow);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct kbd *kbd = cls;
	struct req_ctx *ctx = *req_cls;
	struct timespec now;
	long us;

	(void)conn;
	if (!ctx)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (now.tv_sec - ctx->started.tv_sec) * 1000000L +
	    (now.tv_nsec - ctx->started.tv_nsec) / 1000L;
	if (ctx->status)
		telemetry_request(ctx->method, ctx->status, us > 0 ? (uint64_t)us : 0);
	if (!kbd->cfg.quiet) {
		/* the path only: query strings can hold what users typed */
		kb_log(LOG_INFO, "%s %s %u %ldus%s", ctx->method, ctx->path,
		    ctx->status, us, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ?
		    "" : " (aborted)");
	}
	free(ctx->method);
	free(ctx->path);
	buf_release(&ctx->body);
	free(ctx);
	*req_cls = NULL;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct buf b;

	(void)cls;
	buf_init(&b, 4096);
	buf_vprintf(&b, fmt, ap);
	while (b.len && b.data[b.len - 1] == '\n')
		buf_truncate(&b, b.len - 1);
	kb_log(LOG_WARNING, "httpd: %s", buf_str(&b));
	buf_release(&b);
}

/* Resolve "host:port" or "[v6]:port" into *ss. */
static int
parse_listen(const char *listen, struct sockaddr_storage *ss, bool *v6)
{
	struct addrinfo hints = { 0 }, *ai = NULL;
	const char *colon = strrchr(listen, ':');
	char *host;
	long port;
	int rc;

	if (!colon || kb_strtol_range(colon + 1, 0, 65535, &port))
		return KB_EINVAL;
	if (listen[0] == '[' && colon > listen && colon[-1] == ']')
		host = xstrndup(listen + 1, (size_t)(colon - listen - 2));
	else
		host = xstrndup(listen, (size_t)(colon - listen));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(*host ? host : NULL, colon + 1, &hints, &ai);
	free(host);
	if (rc || !ai || ai->ai_addrlen > sizeof(*ss)) {
		if (ai)
			freeaddrinfo(ai);
		return KB_EINVAL;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	return KB_OK;
}

static void
close_search(void *p)
{
	search_close(p);
}

static void
close_store(void *p)
{
	store_close(p);
}

/*
 * Stop the workers started so far (their threads' index readers and store
 * handles close as the threads end), then what they shared, and free srv.
 */
static void
stop_workers(struct server *srv)
{
	size_t i;

	for (i = 0; i < srv->nworkers; i++)
		MHD_stop_daemon(srv->workers[i]);
	pthread_key_delete(srv->kbd->search_key);
	pthread_key_delete(srv->kbd->store_key);
	snapshot_cache_free(srv->kbd->snapshots);
	srv->kbd->snapshots = NULL;
	standing_cache_free(srv->kbd->standings);
	srv->kbd->standings = NULL;
	free(srv->workers);
	free(srv);
}

/* At least 1: n shared out over the workers, rounded up. */
static unsigned
share(unsigned n, unsigned workers)
{
	return n / workers + (n % workers != 0) + (n == 0);
}

int
server_start(struct kbd *kbd, struct server **out)
{
	struct sockaddr_storage ss;
	struct server *srv;
	/* suspend/resume: an idle event stream is parked, not holding a thread */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC;
	unsigned nworkers = kbd->cfg.threads ? kbd->cfg.threads : 1;
	char host[INET6_ADDRSTRLEN] = "";
	bool v6 = false;
	size_t i;

	*out = NULL;
	if (parse_listen(kbd->cfg.listen, &ss, &v6)) {
		kb_log(LOG_ERR, "--listen %s: expected HOST:PORT, such as 127.0.0.1:8080",
		    kbd->cfg.listen);
		return KB_EINVAL;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	/*
	 * poll(), not epoll: with libmicrohttpd 0.9.75's epoll loop a worker
	 * with more than about 128 busy connections stopped serving some of
	 * them, their requests unread until the idle timeout (256 connections
	 * on one worker: 62 requests/s, the worker idle; connections.test.mjs).
	 * poll() costs the same here at 64 connections and serves them all.
	 */
	if (MHD_is_feature_supported(MHD_FEATURE_POLL) == MHD_YES)
		flags |= MHD_USE_POLL;
	if (pthread_key_create(&kbd->search_key, close_search) != 0)
		return KB_ENOMEM;
	if (pthread_key_create(&kbd->store_key, close_store) != 0) {
		pthread_key_delete(kbd->search_key);
		return KB_ENOMEM;
	}
	kbd->snapshots = snapshot_cache_new();
	kbd->standings = standing_cache_new();
	srv = xcalloc(1, sizeof(*srv));
	srv->kbd = kbd;
	if (listener_open((struct sockaddr *)&ss, v6 ?
	    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in), 1024,
	    &srv->listener)) {
		kb_log(LOG_ERR, "cannot listen on %s: %s", kbd->cfg.listen,
		    strerror(errno));
		goto fail;
	}
	srv->workers = xcalloc(nworkers, sizeof(*srv->workers));
	for (i = 0; i < nworkers; i++) {
		srv->workers[i] = MHD_start_daemon(flags, 0, NULL, NULL,
		    on_request, kbd,
		    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		    MHD_OPTION_CONNECTION_LIMIT,
		    share(kbd->cfg.max_connections, nworkers),
		    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		    share(kbd->cfg.max_per_addr, nworkers),
		    MHD_OPTION_CONNECTION_TIMEOUT,
		    (unsigned int)kbd->cfg.connection_timeout,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		    (size_t)CONNECTION_MEMORY_LIMIT,
		    MHD_OPTION_NOTIFY_COMPLETED, on_completed, kbd,
		    MHD_OPTION_END);
		if (!srv->workers[i]) {
			kb_log(LOG_ERR, "cannot start worker %zu of %u", i + 1,
			    nworkers);
			goto fail;
		}
		srv->nworkers++;
	}
	if (listener_start(srv->listener, srv->workers, srv->nworkers)) {
		kb_log(LOG_ERR, "cannot start the listener thread");
		goto fail;
	}
	if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    host, sizeof(host));
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host,
		    sizeof(host));
	kb_log(LOG_NOTICE, "listening on http://%s%s%s:%u/", v6 ? "[" : "", host,
	    v6 ? "]" : "", listener_port(srv->listener));
	*out = srv;
	return KB_OK;
fail:
	listener_stop(srv->listener);
	stop_workers(srv);
	return KB_EIO;
}

void
server_stop(struct server *srv)
{
	if (!srv)
		return;
	/* no new connections, then end the event streams: suspended
	 * connections block a stop */
	listener_stop(srv->listener);
	hub_close(srv->kbd->hub);
	stop_workers(srv);
}
