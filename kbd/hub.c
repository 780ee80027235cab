/*
 * hub.c - see hub.h.
 *
 * Locking: one mutex guards the ring, the subscribers and the editing
 * list. A subscriber is suspended and resumed only under it, so an event
 * published between "nothing to send" and the suspension cannot be lost.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "buf.h"
#include "json_out.h"
#include "err.h"
#include "hub.h"
#include "log.h"
#include "notifications.h"
#include "store.h"
#include "tickets.h"
#include "util.h"
#include "banned.h"

#define STREAM_BLOCK 16384	/* bytes MHD asks for at most per call */
#define TAIL_BATCH 200
#define EDITORS_MAX 1024

struct hub_event {
	uint64_t id;		/* 0: empty slot */
	char *name;
	char *data;		/* JSON text, one line */
	enum hub_audience aud;
	int tier;
	char *user;
};

struct sub {
	struct hub *hub;
	struct MHD_Connection *conn;
	uint64_t next;		/* the id of the next event to consider */
	enum role role;
	char name[USERNAME_MAX + 1];
	char *hello;		/* the first event, until sent */
	bool suspended;
	time_t last_write;
	struct sub *prev, *nxt;
};

struct editor {
	int64_t ticket;
	char name[USERNAME_MAX + 1];
	time_t until;
};

struct hub {
	pthread_mutex_t lock;
	struct hub_event ring[HUB_RING];
	uint64_t next_id;	/* the id the next event gets (from 1) */
	struct sub *subs;
	unsigned nsubs;
	bool closing;
	struct editor editors[EDITORS_MAX];
	size_t neditors;
	/* the log tailer */
	struct store *store;
	pthread_t thread;
	pthread_cond_t wake;
	bool kicked, stopping, started;
	int64_t last_event;	/* the incident log's last id seen */
};

/* ---- publishing ---- */

static bool
wants(const struct sub *s, const struct hub_event *ev)
{
	switch (ev->aud) {
	case HUB_SIGNED_IN:
		return true;
	case HUB_AGENTS:
		return s->role >= ROLE_L1;
	case HUB_TIER:
		return s->role == ROLE_ADMIN || (int)s->role == ev->tier;
	case HUB_USER:
		return ev->user && strcmp(ev->user, s->name) == 0;
	}
	return false;
}

/* Wake every suspended stream (under the lock). */
static void
resume_all(struct hub *h)
{
	struct sub *s;

	for (s = h->subs; s; s = s->nxt)
		if (s->suspended) {
			s->suspended = false;
			MHD_resume_connection(s->conn);
		}
}

void
hub_publish(struct hub *h, const char *name, json_t *data,
    enum hub_audience aud, int tier, const char *user)
{
	struct hub_event *ev;
	char *text;

	if (!h) {
		json_decref(data);
		return;
	}
	text = json_out_dup(data);
	json_decref(data);
	if (!text)
		return;
	pthread_mutex_lock(&h->lock);
	ev = &h->ring[h->next_id % HUB_RING];
	free(ev->name);
	free(ev->data);
	free(ev->user);
	ev->id = h->next_id++;
	ev->name = xstrdup(name);
	ev->data = text;
	ev->aud = aud;
	ev->tier = tier;
	ev->user = user ? xstrdup(user) : NULL;
	resume_all(h);
	pthread_mutex_unlock(&h->lock);
}

/* ---- streams ---- */

static ssize_t
stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct sub *s = cls;
	struct hub *h = s->hub;
	struct hub_event *ev;
	struct buf b;
	size_t mark;
	time_t now = time(NULL);
	ssize_t n;

	(void)pos;
	buf_init(&b, max);
	pthread_mutex_lock(&h->lock);
	if (h->closing) {
		pthread_mutex_unlock(&h->lock);
		buf_release(&b);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	if (s->hello) {
		buf_printf(&b, "retry: 3000\nevent: hello\ndata: %s\n\n", s->hello);
		free(s->hello);
		s->hello = NULL;
	}
	/* fell behind the ring: say so, the page reloads what it shows */
	if (h->next_id > HUB_RING && s->next < h->next_id - HUB_RING) {
		buf_puts(&b, "event: reset\ndata: {}\n\n");
		s->next = h->next_id - HUB_RING;
	}
	for (; s->next < h->next_id; s->next++) {
		ev = &h->ring[s->next % HUB_RING];
		if (ev->id != s->next || !wants(s, ev))
			continue;
		mark = b.len;
		buf_printf(&b, "id: %llu\nevent: %s\ndata: %s\n\n",
		    (unsigned long long)ev->id, ev->name, ev->data);
		if (b.err) {
			buf_truncate(&b, mark);
			b.err = 0;
			if (mark > 0)
				break;	/* the rest next time */
			/* bigger than a whole block: cannot be sent, skip it */
			kb_log(LOG_WARNING, "event stream: event %llu too large",
			    (unsigned long long)ev->id);
		}
	}
	if (b.len == 0 && now - s->last_write >= HUB_PING_S)
		buf_puts(&b, ": ping\n\n");
	if (b.len == 0) {
		/* nothing to say: park the connection until hub_publish() */
		s->suspended = true;
		MHD_suspend_connection(s->conn);
		pthread_mutex_unlock(&h->lock);
		buf_release(&b);
		return 0;
	}
	s->last_write = now;
	pthread_mutex_unlock(&h->lock);
	memcpy(out, b.data, b.len);
	n = (ssize_t)b.len;
	buf_release(&b);
	return n;
}

static void
stream_free(void *cls)
{
	struct sub *s = cls;
	struct hub *h = s->hub;

	pthread_mutex_lock(&h->lock);
	if (s->prev)
		s->prev->nxt = s->nxt;
	else
		h->subs = s->nxt;
	if (s->nxt)
		s->nxt->prev = s->prev;
	h->nsubs--;
	pthread_mutex_unlock(&h->lock);
	free(s->hello);
	free(s);
}

struct MHD_Response *
hub_stream(struct hub *h, struct MHD_Connection *conn, const struct user *u,
    uint64_t last_id, json_t *hello)
{
	struct MHD_Response *resp;
	struct sub *s = xcalloc(1, sizeof(*s));

	s->hub = h;
	s->conn = conn;
	s->role = u->role;
	snprintf(s->name, sizeof(s->name), "%s", u->name);
	s->hello = json_out_dup(hello);
	s->last_write = time(NULL);
	pthread_mutex_lock(&h->lock);
	if (h->closing) {
		pthread_mutex_unlock(&h->lock);
		free(s->hello);
		free(s);
		return NULL;
	}
	/* resume after what the browser saw, if the ring still has it */
	s->next = last_id && last_id < h->next_id ? last_id + 1 : h->next_id;
	s->nxt = h->subs;
	if (h->subs)
		h->subs->prev = s;
	h->subs = s;
	h->nsubs++;
	pthread_mutex_unlock(&h->lock);
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK,
	    stream_read, s, stream_free);
	if (!resp)
		stream_free(s);
	return resp;
}

unsigned
hub_streams(struct hub *h)
{
	unsigned n;

	pthread_mutex_lock(&h->lock);
	n = h->nsubs;
	pthread_mutex_unlock(&h->lock);
	return n;
}

/* ---- who is editing ---- */

static json_t *
editors_of(struct hub *h, int64_t ticket, const char *except)
{
	json_t *names = json_array();
	size_t i;

	for (i = 0; i < h->neditors; i++)
		if (h->editors[i].ticket == ticket &&
		    (!except || strcmp(h->editors[i].name, except) != 0))
			json_array_append_new(names, json_string(h->editors[i].name));
	return names;
}

static void
publish_presence(struct hub *h, int64_t ticket)
{
	json_t *names;
	char tid[16];

	tickets_format_id(ticket, tid);
	pthread_mutex_lock(&h->lock);
	names = editors_of(h, ticket, NULL);
	pthread_mutex_unlock(&h->lock);
	hub_publish(h, "presence", json_pack("{s:s, s:o}", "ticket", tid, "editing",
	    names), HUB_AGENTS, 0, NULL);
}

void
hub_editing(struct hub *h, int64_t ticket, const char *user, bool editing,
    json_t **others)
{
	size_t i;
	bool changed = false;

	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->neditors; i++)
		if (h->editors[i].ticket == ticket &&
		    strcmp(h->editors[i].name, user) == 0)
			break;
	if (editing) {
		if (i == h->neditors && h->neditors < EDITORS_MAX) {
			h->editors[i].ticket = ticket;
			snprintf(h->editors[i].name, sizeof(h->editors[i].name), "%s",
			    user);
			h->neditors++;
			changed = true;
		}
		if (i < h->neditors)
			h->editors[i].until = time(NULL) + HUB_EDIT_S;
	} else if (i < h->neditors) {
		h->editors[i] = h->editors[--h->neditors];
		changed = true;
	}
	*others = editors_of(h, ticket, user);
	pthread_mutex_unlock(&h->lock);
	if (changed)
		publish_presence(h, ticket);
}

json_t *
hub_editors(struct hub *h, int64_t ticket, const char *except)
{
	json_t *names;

	pthread_mutex_lock(&h->lock);
	names = editors_of(h, ticket, except);
	pthread_mutex_unlock(&h->lock);
	return names;
}

/* Forget editors who stopped renewing (their page closed). */
static void
expire_editors(struct hub *h)
{
	int64_t gone[16];
	size_t i, n = 0;
	time_t now = time(NULL);

	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->neditors && n < 16;) {
		if (h->editors[i].until < now) {
			gone[n++] = h->editors[i].ticket;
			h->editors[i] = h->editors[--h->neditors];
		} else {
			i++;
		}
	}
	pthread_mutex_unlock(&h->lock);
	for (i = 0; i < n; i++)
		publish_presence(h, gone[i]);
}

/* ---- the incident log tailer ---- */

static int64_t
max_event(struct store *st)
{
	sqlite3_stmt *q;
	int64_t id = 0;

	if (sqlite3_prepare_v2(store_db(st), "SELECT coalesce(max(id), 0) FROM "
	    "events", -1, &q, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(q) == SQLITE_ROW)
		id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return id;
}

/* The body of comment cid (the id a comment event names) of ticket. */
static char *
comment_body(struct store *st, int64_t ticket, const char *cid)
{
	sqlite3_stmt *q;
	char *body = NULL;
	long id;

	if (kb_strtol_range(cid, 1, LONG_MAX, &id) ||
	    sqlite3_prepare_v2(store_db(st), "SELECT body FROM comments WHERE "
	    "id = ?1 AND ticket_id = ?2", -1, &q, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, ticket);
	if (sqlite3_step(q) == SQLITE_ROW)
		body = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return body;
}

void
hub_notify(struct hub *h, struct store *st, const char *user, int tier,
    const char *kind, int64_t ticket, const char *url, const char *actor,
    const char *text)
{
	json_t *n = NULL;

	if (notifications_add(st, user, tier, kind, ticket, url, actor, text, &n))
		return;
	hub_publish(h, "notification", n, user ? HUB_USER : HUB_TIER, tier, user);
}

static void
notify(struct hub *h, const char *user, int tier, const char *kind,
    int64_t ticket, const char *actor, const char *text)
{
	hub_notify(h, h->store, user, tier, kind, ticket, NULL, actor, text);
}

/* "@sara please check" → a mention notification for each real user named. */
static void
mentions(struct hub *h, int64_t ticket, const char *actor, const char *body)
{
	char name[USERNAME_MAX + 1], seen[8][USERNAME_MAX + 1];
	const char *p;
	size_t n, nseen = 0, i;

	for (p = strchr(body, '@'); p && nseen < 8; p = strchr(p + 1, '@')) {
		/* not an e-mail address: nothing word-like right before '@' */
		if (p > body && (p[-1] == '.' || p[-1] == '_' || p[-1] == '-' ||
		    (p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z') ||
		    (p[-1] >= '0' && p[-1] <= '9')))
			continue;
		n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz0123456789._-");
		while (n && (p[n] == '.' || p[n] == '-'))
			n--;	/* "@sara." ends a sentence */
		if (n == 0 || n > USERNAME_MAX)
			continue;
		memcpy(name, p + 1, n);
		name[n] = '\0';
		for (i = 0; i < nseen && strcmp(seen[i], name) != 0; i++)
			;
		if (i < nseen || strcmp(name, actor) == 0 ||
		    !notifications_user_exists(h->store, name))
			continue;
		memcpy(seen[nseen++], name, n + 1);
		notify(h, name, 0, "mention", ticket, actor, body);
	}
}

/* Publish what the incident log gained since last time. */
static void
tail(struct hub *h)
{
	sqlite3_stmt *q;
	char tid[16], at[32];
	const char *kind, *field, *from, *to, *actor, *title;
	int64_t id, ticket, when;
	char *body;

	if (sqlite3_prepare_v2(store_db(h->store), "SELECT e.id, e.ticket_id, e.at, "
	    "e.actor, e.kind, e.field, e.from_value, e.to_value, e.note, t.title "
	    "FROM events e JOIN tickets t ON t.id = e.ticket_id WHERE e.id > ?1 "
	    "ORDER BY e.id LIMIT ?2", -1, &q, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(q, 1, h->last_event);
	sqlite3_bind_int(q, 2, TAIL_BATCH);
	while (sqlite3_step(q) == SQLITE_ROW) {
		id = sqlite3_column_int64(q, 0);
		ticket = sqlite3_column_int64(q, 1);
		when = sqlite3_column_int64(q, 2);
		actor = (const char *)sqlite3_column_text(q, 3);
		kind = (const char *)sqlite3_column_text(q, 4);
		field = (const char *)sqlite3_column_text(q, 5);
		from = (const char *)sqlite3_column_text(q, 6);
		to = (const char *)sqlite3_column_text(q, 7);
		title = (const char *)sqlite3_column_text(q, 9);
		h->last_event = id;
		tickets_format_id(ticket, tid);
		tickets_iso_time((time_t)when, at);
		hub_publish(h, "ticket", json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s,"
		    " s:s}", "ticket", tid, "event", (json_int_t)id, "kind", kind,
		    "actor", actor, "field", field, "from", from, "to", to, "at", at),
		    HUB_AGENTS, 0, NULL);
		if (strcmp(kind, "escalated") == 0 && to[0] == 'L' &&
		    to[1] >= '1' && to[1] <= '3') {
			hub_publish(h, "escalation", json_pack("{s:s, s:s, s:s, s:s, s:s,"
			    " s:s}", "ticket", tid, "from_tier", from, "to_tier", to,
			    "reason", (const char *)sqlite3_column_text(q, 8), "actor",
			    actor, "title", title), HUB_TIER, to[1] - '0', NULL);
			notify(h, NULL, to[1] - '0', "escalation", ticket, actor, title);
		} else if (strcmp(kind, "comment") == 0) {
			hub_publish(h, "comment", json_pack("{s:s, s:s, s:b}", "ticket",
			    tid, "actor", actor, "internal", strcmp(field, "internal") == 0),
			    HUB_AGENTS, 0, NULL);
			if (strcmp(field, "internal") == 0 &&
			    (body = comment_body(h->store, ticket, to))) {
				mentions(h, ticket, actor, body);
				free(body);
			}
		}
	}
	sqlite3_finalize(q);
}

static void *
tailer(void *arg)
{
	struct hub *h = arg;
	struct timespec deadline;
	time_t last_ping = time(NULL);

	pthread_mutex_lock(&h->lock);
	while (!h->stopping) {
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += HUB_POLL_MS * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		while (!h->stopping && !h->kicked &&
		    pthread_cond_timedwait(&h->wake, &h->lock, &deadline) == 0)
			;
		h->kicked = false;
		if (h->stopping)
			break;
		/* every so often, let silent streams send a ping */
		if (time(NULL) - last_ping >= HUB_PING_S) {
			last_ping = time(NULL);
			resume_all(h);
		}
		pthread_mutex_unlock(&h->lock);
		tail(h);
		expire_editors(h);
		pthread_mutex_lock(&h->lock);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

void
hub_kick(struct hub *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->kicked = true;
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->lock);
}

int
hub_start(const char *db_path, struct hub **out, char **errmsg)
{
	struct hub *h = xcalloc(1, sizeof(*h));
	int rc;

	*out = NULL;
	if ((rc = store_open(db_path, &h->store, errmsg))) {
		free(h);
		return rc;
	}
	h->next_id = 1;
	h->last_event = max_event(h->store);	/* news from now on, not history */
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->wake, NULL);
	if (pthread_create(&h->thread, NULL, tailer, h) != 0) {
		store_close(h->store);
		free(h);
		return KB_ENOMEM;
	}
	h->started = true;
	*out = h;
	return KB_OK;
}

void
hub_close(struct hub *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->closing = true;
	h->stopping = true;
	resume_all(h);
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->lock);
	if (h->started)
		pthread_join(h->thread, NULL);
	h->started = false;
}

void
hub_free(struct hub *h)
{
	size_t i;

	if (!h)
		return;
	hub_close(h);
	for (i = 0; i < HUB_RING; i++) {
		free(h->ring[i].name);
		free(h->ring[i].data);
		free(h->ring[i].user);
	}
	store_close(h->store);
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->wake);
	free(h);
}
