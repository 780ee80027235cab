/*
 * tickets.h - tickets and everything done to them, in the store: create,
 * change fields and status (the workflow.h state machine), comment,
 * escalate with a handoff, de-escalate, take ownership, link articles, and
 * the automatic escalation rules; also who acts (struct actor) and how a
 * ticket's number and times are written. Reading tickets back, one or a
 * filtered list, as JSON is ticket_view.h's.
 *
 * Every change is one write transaction that also appends its event to the
 * incident log (events.h), so a change and its record are never apart;
 * synchronous=FULL makes an acknowledged change survive a kill -9.
 *
 * Input comes as JSON objects (from the API, or built from a form by the
 * pages); unknown fields, wrong types and oversize text are refused with
 * struct refusal saying which (the caller releases it). Nothing returned
 * here is allocated.
 */
#ifndef KB_TICKETS_H
#define KB_TICKETS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "refusal.h"
#include "users.h"
#include "workflow.h"

struct store;

/* Who acts: the user's name and role (a ticket at tier N needs role >= lN). */
struct actor {
	const char *name;
	enum role role;
};

/* "T-000123" (or "123") → 123; 0 if malformed. */
int64_t tickets_parse_id(const char *s);
/* 123 → "T-000123" into out[16]. */
void tickets_format_id(int64_t id, char out[16]);

/*
 * {"title","description","requester":{"name","contact"},"category","impact",
 *  "urgency"} and optionally "articles": [slugs consulted], "reply": text
 * sent to the requester. *id gets the new ticket's number.
 */
int tickets_create(struct store *st, const struct workflow_config *cfg,
    const struct actor *who, json_t *in, int64_t *id, struct refusal *err);

/*
 * PATCH: any of title, description, category, impact, urgency, queue,
 * assignee (null to clear), status (legal moves only: 409 naming the
 * allowed ones), note (kept with the event), and base_event: the last
 * event id the editor saw; if someone else changed the ticket since, 409
 * "conflict" with their "changes" and nothing is saved.
 */
int tickets_update(struct store *st, const struct workflow_config *cfg,
    const struct actor *who, int64_t id, json_t *in, struct refusal *err);

int tickets_comment(struct store *st, const struct actor *who, int64_t id,
    json_t *in, struct refusal *err);	/* {"body", "internal"} */

/*
 * {"to_tier","reason","tried","steps","articles"}: up one tier only, the
 * reason one of the configured criteria; every part required (422 naming
 * the missing ones).
 */
int tickets_escalate(struct store *st, const struct workflow_config *cfg,
    const struct actor *who, int64_t id, json_t *in, struct refusal *err);
/* {"instructions"}: back down one tier, status open, unassigned. */
int tickets_deescalate(struct store *st, const struct actor *who, int64_t id,
    json_t *in, struct refusal *err);
/* Take ownership: assignee = who, status open if it was new or escalated. */
int tickets_take(struct store *st, const struct actor *who, int64_t id,
    struct refusal *err);
/* {"article","relation"} */
int tickets_link(struct store *st, const struct actor *who, int64_t id,
    json_t *in, struct refusal *err);

/*
 * Apply the automatic escalation rules at time now: P1 opened at L1,
 * resolution SLA breached, reopened too often. Each escalation is logged
 * with the rule that fired. *fired gets how many.
 */
int tickets_apply_rules(struct store *st, const struct workflow_config *cfg,
    time_t now, unsigned *fired);

/* "2026-11-27T14:05:00Z" for t into out[32]. */
void tickets_iso_time(time_t t, char out[32]);

#endif
