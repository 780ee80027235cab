/*
 * metrics.h - how each tier and the knowledge base perform over a range of
 * time, computed from the store (tickets, escalations, events, links,
 * votes, flags, the search log). Every figure has its definition in
 * metrics_definitions(), which the dashboard prints next to it; ratios are
 * null when nothing was counted (never a made-up 0).
 *
 * A ticket belongs to a tier for resolution figures by the tier it was
 * resolved at (its tier now); it "entered" L1 when it was created and
 * L2/L3 when it was first escalated there in the range. Times are unix
 * seconds; the range is [from, to).
 */
#ifndef KB_METRICS_H
#define KB_METRICS_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

struct store;

struct metrics_range {
	int64_t from, to;	/* [from, to) */
	int tier;		/* 1..3, or 0 for all tiers */
};

/*
 * Compute the metrics for mr as seen at time now (backlog ages):
 * {"from","to","L1":{…},"L2":{…},"L3":{…} (only mr->tier if set),
 *  "knowledge":{…},"queues":[…],"agents":[…]}, see README. *out is new.
 */
int metrics_compute(struct store *st, const struct metrics_range *mr,
    time_t now, json_t **out);

/* {"first_contact_resolution": "…", …}: the definition of every figure. */
json_t *metrics_definitions(void);

/* The median of v[0..n) (reorders v); 0 if n is 0. */
double metrics_median(double *v, size_t n);

#endif
