/*
 * telemetry.h - what operations watch, in the Prometheus text format at
 * GET /metrics: requests by method class and status class, a latency
 * histogram, the index (documents, revision, bytes on disk) and tickets by
 * status. The request counters are process-wide atomics, updated by every
 * worker thread without a lock.
 */
#ifndef KB_TELEMETRY_H
#define KB_TELEMETRY_H

#include <stdint.h>

struct buf;
struct kbd;
struct req;
struct response;

/* Count one answered request: its status and how long it took. */
void telemetry_request(const char *method, unsigned status, uint64_t usec);

/* GET /metrics (admin: an API token for the scraper). */
void page_metrics(struct kbd *kbd, const struct req *r, struct response *resp);

#endif
