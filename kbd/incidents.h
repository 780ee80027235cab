/*
 * incidents.h - major incidents: a P1 ticket or a problem declared major
 * by L2/L3, with what is affected and what to tell users (the banner on
 * every page while it is active), a timeline of status updates, the
 * tickets linked to it (one click from a new ticket), and a closing review
 * (a draft post-incident article). Every change is an event on the
 * incident log of each ticket it touches. Results are new JSON.
 */
#ifndef KB_INCIDENTS_H
#define KB_INCIDENTS_H

#include <stdint.h>

#include <jansson.h>

#include "refusal.h"

struct kbd;
struct store;
struct actor;

/* 123 → "MI-000123"; "MI-000123" or "123" → 123 (0 if malformed). */
void incidents_format_id(int64_t id, char out[16]);
int64_t incidents_parse_id(const char *s);

/*
 * {"ticket" (a P1) | "problem", "summary", "advice"}: *id gets the new
 * incident's number. 422 for a ticket that is not P1 or missing parts.
 */
int incidents_declare(struct store *st, const struct actor *who, json_t *in,
    int64_t *id, struct refusal *e);

/*
 * {id, status, summary, advice, since, declared_by, ticket, problem,
 *  resolved, review_article, updates:[{at, actor, text}], tickets:[…]}
 */
int incidents_get(struct store *st, int64_t id, json_t **out,
    struct refusal *e);

/* {"incidents":[{id, status, summary, since, tickets}]}; status may be NULL. */
int incidents_list(struct store *st, const char *status, json_t **out,
    struct refusal *e);

/* The active ones for the banner: [{id, summary, advice, since, url,
 * last_update}]. */
int incidents_active(struct store *st, json_t **out);

/* {"text"}: a status update L1 sees. *out is the update. */
int incidents_update(struct store *st, const struct actor *who, int64_t id,
    json_t *in, json_t **out, struct refusal *e);

/* {"ticket"}: link a ticket to the incident (any agent). */
int incidents_link_ticket(struct store *st, const struct actor *who,
    int64_t id, json_t *in, struct refusal *e);

/*
 * {"text"} (optional): resolve the incident and write the closing review
 * as a draft article. *out: {"id","status","review_article"}.
 */
int incidents_close(struct kbd *kbd, struct store *st, const struct actor *who,
    int64_t id, json_t *in, json_t **out, struct refusal *e);

#endif
