/*
 * problems.h - problem management (L2/L3): a problem record gathers the
 * tickets with one root cause, carries its analysis (timeline, cause,
 * contributing factors, the "why" chain, workaround, permanent fix, owner)
 * and moves investigating → known_error → resolved.
 *
 * A known error needs its workaround article: an existing one, or a new
 * draft pre-filled from the problem. Once that article is published, the
 * problem's tickets show it, and a new ticket whose text matches the
 * symptoms gets it first at triage (problems_matching()). Resolving a
 * problem can resolve its open tickets with one message.
 *
 * Every change is on the problem's own log and, as an event, on the
 * incident log of each ticket it touches. Results are new JSON; refusals
 * are described in *e.
 */
#ifndef KB_PROBLEMS_H
#define KB_PROBLEMS_H

#include <stdint.h>

#include <jansson.h>

#include "refusal.h"

struct kbd;
struct store;
struct actor;

/* 123 → "PRB-000123"; "PRB-000123" or "123" → 123 (0 if malformed). */
void problems_format_id(int64_t id, char out[16]);
int64_t problems_parse_id(const char *s);

/* {"title","symptoms","tickets":[ids]}: *id gets the new problem's number. */
int problems_create(struct store *st, const struct actor *who, json_t *in,
    int64_t *id, struct refusal *e);

/*
 * The problem: {id, title, symptoms, status, timeline, cause, factors,
 * whys, workaround, fix, owner, article, created, created_by, updated,
 * resolved, tickets:[{id, title, status, tier}], log:[{at, actor, kind,
 * note}]}.
 */
int problems_get(struct store *st, int64_t id, json_t **out, struct refusal *e);

/* {"problems":[{id, title, status, owner, tickets, updated}]}, newest first. */
int problems_list(struct store *st, const char *status, json_t **out,
    struct refusal *e);

/*
 * Any of title, symptoms, timeline, cause, factors, whys (a list of text),
 * workaround, fix, owner (null to clear), status ("investigating" or
 * "resolved"; known_error only through problems_known_error()), and with
 * status resolved: "resolve_tickets": true and "message", the reply each
 * open ticket gets as it is resolved. *out lists what happened to them.
 */
int problems_update(struct kbd *kbd, struct store *st, const struct actor *who,
    int64_t id, json_t *in, json_t **out, struct refusal *e);

/* {"ticket"}: link one more ticket. */
int problems_link_ticket(struct store *st, const struct actor *who, int64_t id,
    json_t *in, struct refusal *e);

/*
 * {"article": slug} of an existing article, or {"draft": true} for a new
 * draft written from the problem: the problem becomes a known error. 422
 * without either. *out: {"id","status","article","article_status"}.
 */
int problems_known_error(struct kbd *kbd, struct store *st,
    const struct actor *who, int64_t id, json_t *in, json_t **out,
    struct refusal *e);

/* The problems ticket is linked to: [{id, title, status, article}]. */
int problems_of_ticket(struct store *st, int64_t ticket, json_t **out);

/*
 * Known errors whose title and symptoms share the most words with text
 * (a new ticket's title and description), best first, at most limit:
 * [{id, title, symptoms, article, score}].
 */
int problems_matching(struct store *st, const char *text, unsigned limit,
    json_t **out);

#endif
