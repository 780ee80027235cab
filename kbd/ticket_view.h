/*
 * ticket_view.h - tickets as the API and the pages read them: one ticket
 * with its links, comments, escalations, SLA and last event, a filtered
 * and sorted list of them (the queues), and how many tickets an article
 * helped resolve. Read-only: every change goes through tickets.h.
 *
 * Returned JSON is new (the caller decrefs it); a store error is KB_EDB.
 */
#ifndef KB_TICKET_VIEW_H
#define KB_TICKET_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "workflow.h"

struct store;

/* The ticket as the API shows it (see README); KB_ENOTFOUND if none. */
int ticket_view_get(struct store *st, const struct workflow_config *cfg,
    int64_t id, json_t **out);

struct ticket_filter {
	int tier;		/* 1..3, 0 for any */
	int status;		/* enum status, -1 for any */
	const char *assignee;	/* only these, or NULL */
	bool unassigned;	/* only tickets without an assignee */
	bool breaching;		/* resolution due within the due-soon margin, or past */
	bool open_only;		/* not resolved or closed */
	const char *q;		/* words in the title or description, or NULL */
	const char *sort;	/* "updated" (default), "priority", "due", "created" */
	unsigned limit;		/* at most 500 */
};

/*
 * The tickets f selects, as a new array of ticket objects without their
 * links, comments and escalations.
 */
int ticket_view_list(struct store *st, const struct workflow_config *cfg,
    const struct ticket_filter *f, json_t **out);

/* How many tickets an article helped resolve (resolved-by links). */
int ticket_view_resolved_by_count(struct store *st, const char *slug,
    int64_t *n);

#endif
