/*
 * workflow.h - the rules of the ticket workflow, with no storage: the
 * status state machine, the impact × urgency priority matrix, SLA deadline
 * arithmetic, and the escalation criteria and SLA targets read from the
 * configuration file (or the built-in defaults).
 *
 * Statuses:  new → open → pending → escalated → resolved → closed, reopen.
 * `new` is only ever the first status; `closed` is reached only from
 * `resolved`; a resolved or closed ticket is reopened to `open`.
 */
#ifndef KB_WORKFLOW_H
#define KB_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

enum status { ST_NEW, ST_OPEN, ST_PENDING, ST_ESCALATED, ST_RESOLVED, ST_CLOSED,
	ST_COUNT };
enum level { LEVEL_LOW, LEVEL_MEDIUM, LEVEL_HIGH, LEVEL_COUNT };

/* "open" → ST_OPEN; -1 for anything else. */
int status_parse(const char *s);
const char *status_name(enum status s);
/* "low" → LEVEL_LOW; -1 for anything else. */
int level_parse(const char *s);
const char *level_name(enum level l);

/* May a ticket go from one status to another? */
bool workflow_can_move(enum status from, enum status to);
/* The statuses reachable from `from`, as "open, pending, …" (static). */
const char *workflow_allowed(enum status from);

/*
 * Priority from impact and urgency (ITIL style):
 *                 urgency high  medium  low
 *   impact high         P1      P2      P3
 *   impact medium       P2      P3      P4
 *   impact low          P3      P4      P4
 * Returns 1..4.
 */
int workflow_priority(enum level impact, enum level urgency);

struct criterion {
	char *id;		/* "needs-admin-rights" */
	char *label;		/* short, for a select list */
	char *description;	/* when it applies */
};

struct workflow_config {
	unsigned response_minutes[5];	/* by priority 1..4: first response */
	unsigned resolution_minutes[5];	/* by priority 1..4: resolution */
	unsigned due_soon_percent;	/* "breaching soon" when this much of the time is used */
	unsigned reopen_limit;		/* automatic escalation after this many reopens */
	struct criterion *criteria;
	size_t ncriteria;
	bool builtin_criteria;		/* the defaults: pages may translate them */
};

/*
 * Load the configuration from path (JSON, see docs/tickets.md), or the
 * built-in defaults when path is NULL. KB_EINVAL with *err (malloc'd)
 * saying what is wrong. Release with workflow_config_release().
 */
int workflow_config_load(const char *path, struct workflow_config *cfg,
    char **err);
void workflow_config_release(struct workflow_config *cfg);
const struct criterion *workflow_criterion(const struct workflow_config *cfg,
    const char *id);
/* The criteria as [{id, label, description}] and the SLA table, new objects. */
json_t *workflow_criteria_json(const struct workflow_config *cfg);
json_t *workflow_sla_json(const struct workflow_config *cfg);

/* Deadline for a priority from a start time (wall-clock minutes). */
time_t workflow_response_due(const struct workflow_config *cfg, int priority,
    time_t created);
time_t workflow_resolution_due(const struct workflow_config *cfg, int priority,
    time_t created);

#endif
