/*
 * events.h - the incident log: every change to a ticket is an event (who,
 * when, what, from → to, note), append-only (the store refuses updates
 * and deletes) and hash-chained: each event stores the hash of the one
 * before, so an edit anywhere breaks the chain from there on.
 */
#ifndef KB_EVENTS_H
#define KB_EVENTS_H

#include <stdint.h>

#include <jansson.h>

struct store;

struct event {
	int64_t ticket;
	const char *actor;
	const char *kind;	/* created, status, field, comment, escalated, … */
	const char *field;	/* "" if none */
	const char *from;	/* "" if none */
	const char *to;
	const char *note;
};

/*
 * Append e inside the caller's write transaction (BEGIN IMMEDIATE held,
 * so the chain has one order). KB_OK or KB_EDB.
 */
int events_append(struct store *st, const struct event *e);
/*
 * Append e to the log of every ticket that ids_sql (one parameter, bound
 * to id) selects, inside the caller's transaction; e->ticket is set to each.
 */
int events_append_each(struct store *st, const char *ids_sql, int64_t id,
    struct event *e);
/* The events of a ticket, oldest first, as a new JSON array. */
int events_list(struct store *st, int64_t ticket, json_t **out);
/*
 * Check the whole chain. KB_OK if intact; KB_EINVAL with *bad_id set to
 * the first event whose hash or link does not match.
 */
int events_verify(struct store *st, int64_t *bad_id, int64_t *count);

#endif
