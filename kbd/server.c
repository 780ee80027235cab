/*
 * server.c - libmicrohttpd glue; see server.h.
 *
 * One request = one struct req_ctx, allocated on MHD's first call and
 * freed in exactly one place, the completion callback, which also writes
 * the log line. Handlers never see MHD: they fill a struct response that
 * respond() turns into an MHD response, handing over the body buffer.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "err.h"
#include "http.h"
#include "kbd.h"
#include "log.h"
#include "pages.h"
#include "search.h"
#include "server.h"
#include "store.h"
#include "util.h"
#include "banned.h"

#define CONNECTION_MEMORY_LIMIT (128 * 1024)
#define REQUEST_BODY_MAX (1024 * 1024)

struct server {
	struct MHD_Daemon *daemon;
	struct kbd *kbd;
};

struct req_ctx {
	struct timespec started;
	char *method;		/* copies, for the log line */
	char *path;
	unsigned status;
	size_t body_len;	/* request body bytes seen (refused for now) */
};

enum { NEEDS_SEARCH = 1, NEEDS_STORE = 2 };

static const struct route {
	const char *path;
	bool prefix;		/* path is a prefix; the rest goes to req.rest */
	unsigned needs;		/* NEEDS_*: this thread's index reader, database */
	handler_fn *fn;
} routes[] = {
	{ "/", false, NEEDS_SEARCH, page_home },
	{ "/search", false, NEEDS_SEARCH, page_search },
	{ "/articles/", true, NEEDS_SEARCH, page_article },
	{ "/faq", false, NEEDS_SEARCH, page_faq },
	{ "/gaps", false, NEEDS_STORE, page_gaps },
	{ "/static/", true, 0, page_static },
	{ "/api/v1/search", false, NEEDS_SEARCH, api_search },
	{ "/api/v1/suggest", false, NEEDS_SEARCH, api_suggest },
	{ "/api/v1/articles/", true, NEEDS_SEARCH, api_article },
	{ "/api/v1/gaps", false, NEEDS_STORE, api_gaps },
	{ "/healthz", false, NEEDS_SEARCH, api_healthz },
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
	if (search_open(kbd->cfg.index_dir, &s, &err)) {
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

static void
route(struct kbd *kbd, struct req *r, struct response *resp)
{
	const struct route *rt;
	size_t i, n;

	if (!utf8_valid(r->path, strlen(r->path))) {
		resp_error(kbd, r, resp, 400, "bad_encoding",
		    "The address is not valid UTF-8.");
		return;
	}
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		rt = &routes[i];
		n = strlen(rt->path);
		if (rt->prefix ? strncmp(r->path, rt->path, n) != 0 :
		    strcmp(r->path, rt->path) != 0)
			continue;
		if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
			resp->allow = "GET, HEAD";
			resp_error(kbd, r, resp, 405, "method_not_allowed",
			    "This address only answers GET.");
			return;
		}
		r->rest = rt->prefix ? r->path + n : "";
		if (rt->needs & NEEDS_SEARCH)
			r->search = thread_search(kbd);
		if (rt->needs & NEEDS_STORE)
			r->store = thread_store(kbd);
		rt->fn(kbd, r, resp);
		return;
	}
	resp_error(kbd, r, resp, 404, "not_found",
	    "There is nothing at this address.");
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

	body = buf_detach(&resp->body, &len);
	if (!body)
		return MHD_NO;	/* out of memory: drop the connection */
	mr = MHD_create_response_from_buffer_with_free_callback(len, body,
	    free_body);
	if (!mr) {
		free(body);
		return MHD_NO;
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
	ret = MHD_queue_response(conn, resp->status, mr);
	MHD_destroy_response(mr);
	return ret;
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

	(void)version;
	(void)upload_data;
	if (!ctx) {
		ctx = xcalloc(1, sizeof(*ctx));
		clock_gettime(CLOCK_MONOTONIC, &ctx->started);
		ctx->method = xstrdup(method);
		ctx->path = xstrdup(url);
		*req_cls = ctx;
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* no route takes a body yet: count it, drop it, answer once it ends */
		ctx->body_len += *upload_data_size;
		*upload_data_size = 0;
		return ctx->body_len > REQUEST_BODY_MAX ? MHD_NO : MHD_YES;
	}
	buf_init(&resp.body, RESPONSE_MAX_BYTES);
	resp.status = 500;
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
	if (!kbd->cfg.quiet) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		us = (now.tv_sec - ctx->started.tv_sec) * 1000000L +
		    (now.tv_nsec - ctx->started.tv_nsec) / 1000L;
		/* the path only: query strings can hold what users typed */
		kb_log(LOG_INFO, "%s %s %u %ldus%s", ctx->method, ctx->path,
		    ctx->status, us, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ?
		    "" : " (aborted)");
	}
	free(ctx->method);
	free(ctx->path);
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

int
server_start(struct kbd *kbd, struct server **out)
{
	struct sockaddr_storage ss;
	struct server *srv;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	char host[INET6_ADDRSTRLEN] = "";
	bool v6 = false;

	*out = NULL;
	if (parse_listen(kbd->cfg.listen, &ss, &v6)) {
		kb_log(LOG_ERR, "--listen %s: expected HOST:PORT, such as 127.0.0.1:8080",
		    kbd->cfg.listen);
		return KB_EINVAL;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
		flags |= MHD_USE_EPOLL;
	if (pthread_key_create(&kbd->search_key, close_search) != 0)
		return KB_ENOMEM;
	if (pthread_key_create(&kbd->store_key, close_store) != 0) {
		pthread_key_delete(kbd->search_key);
		return KB_ENOMEM;
	}
	srv = xcalloc(1, sizeof(*srv));
	srv->kbd = kbd;
	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, kbd,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)kbd->cfg.threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)kbd->cfg.max_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)kbd->cfg.connection_timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY_LIMIT,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, kbd,
	    MHD_OPTION_END);
	if (!srv->daemon) {
		kb_log(LOG_ERR, "cannot listen on %s (is the port in use?)",
		    kbd->cfg.listen);
		free(srv);
		pthread_key_delete(kbd->search_key);
		pthread_key_delete(kbd->store_key);
		return KB_EIO;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    host, sizeof(host));
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host,
		    sizeof(host));
	kb_log(LOG_NOTICE, "listening on http://%s%s%s:%u/", v6 ? "[" : "", host,
	    v6 ? "]" : "", info ? (unsigned)info->port : 0);
	*out = srv;
	return KB_OK;
}

void
server_stop(struct server *srv)
{
	if (!srv)
		return;
	MHD_stop_daemon(srv->daemon);
	pthread_key_delete(srv->kbd->search_key);
	pthread_key_delete(srv->kbd->store_key);
	free(srv);
}
