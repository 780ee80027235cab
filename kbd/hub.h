/*
 * hub.h - live updates: what happens (ticket changes, escalations,
 * comments, notifications, incident updates, who is editing what) fanned
 * out to every open event stream (GET /api/v1/events/stream, Server-Sent
 * Events), each event to the people it is for.
 *
 * A stream never holds a worker thread: when it has nothing to send, its
 * connection is suspended (MHD_suspend_connection) and costs a socket and a
 * small struct; hub_publish() resumes the streams, whose content reader
 * then writes the new events. A ring of the last HUB_RING events lets a
 * reconnecting EventSource catch up from Last-Event-ID.
 *
 * The hub's own thread tails the incident log (the events table) of the
 * store, so every committed ticket change reaches the streams, whoever
 * made it (a page, the API, the escalation rules); hub_kick() makes it
 * look at once after a write instead of within HUB_POLL_MS. It also turns
 * @mentions in comments and escalations into stored notifications.
 *
 * Event names (the `event:` field), data is JSON:
 *   hello         {user, unread}                       on connecting
 *   ticket        {ticket, event, kind, actor, field, from, to, at}
 *   escalation    {ticket, from_tier, to_tier, reason, actor, title}  to that tier
 *   comment       {ticket, actor, internal}
 *   notification  {id, at, kind, ticket, url, actor, text}  to its user or tier
 *   incident      {id, status, summary, affected, advice, update}
 *   presence      {ticket, editing: [names]}
 * and a ": ping" comment every HUB_PING_S seconds of silence.
 */
#ifndef KB_HUB_H
#define KB_HUB_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "users.h"

struct hub;
struct store;
struct MHD_Connection;
struct MHD_Response;

#define HUB_RING 1024
#define HUB_POLL_MS 250
#define HUB_PING_S 25
#define HUB_EDIT_S 45	/* "is editing" lasts this long without a renewal */

/* Who an event is for. */
enum hub_audience {
	HUB_SIGNED_IN,		/* everyone signed in */
	HUB_AGENTS,		/* roles that work tickets */
	HUB_TIER,		/* role lN (and admin) for tier N */
	HUB_USER,		/* one user, by name */
};

/* Start the hub and its log tailer on the database at db_path. */
int hub_start(const char *db_path, struct hub **out, char **errmsg);
/* End every stream (their readers finish) and stop; before MHD_stop_daemon. */
void hub_close(struct hub *h);
/* Free the hub; after MHD_stop_daemon. */
void hub_free(struct hub *h);

/* Queue an event (data is consumed) for the audience (tier or user as it needs). */
void hub_publish(struct hub *h, const char *name, json_t *data,
    enum hub_audience aud, int tier, const char *user);

/*
 * Store a notification for user (or everyone at tier) through st (the
 * caller's connection) and push it to their streams. url: what it is about
 * when not ticket's page.
 */
void hub_notify(struct hub *h, struct store *st, const char *user, int tier,
    const char *kind, int64_t ticket, const char *url, const char *actor,
    const char *text);

/* Something was written: look at the incident log now. */
void hub_kick(struct hub *h);

/*
 * A response that streams events to user u on connection conn: first a
 * hello event with data hello (not consumed), then every event after
 * last_id (the Last-Event-ID header's value; 0: from now on). NULL when the
 * hub is closing. The response owns the subscription.
 */
struct MHD_Response *hub_stream(struct hub *h, struct MHD_Connection *conn,
    const struct user *u, uint64_t last_id, json_t *hello);

/* Open streams now (for /metrics and tests). */
unsigned hub_streams(struct hub *h);

/*
 * user is editing ticket (renewed by the page while the form is in use;
 * editing false when they stop): publishes presence for the ticket.
 * *others gets a new array of the other names editing it.
 */
void hub_editing(struct hub *h, int64_t ticket, const char *user, bool editing,
    json_t **others);
/* Who is editing ticket now, but except (a new array of names). */
json_t *hub_editors(struct hub *h, int64_t ticket, const char *except);

#endif
