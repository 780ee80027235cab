/*
 * refusal.h - why a change was refused: the HTTP status, a stable code, an
 * English message and, for 422, which fields were wrong. Filled by the
 * modules that change things (tickets, articles, feedback, ...), or from a
 * store failure by store_refuse() (store.h), and turned into a response by
 * resp_refusal() (http.h). The message is bounded and held inline; fields
 * is owned by the refusal: refusal_release() drops it.
 */
#ifndef KB_REFUSAL_H
#define KB_REFUSAL_H

#include <jansson.h>

struct refusal {
	unsigned status;	/* 400, 403, 404, 409, 413, 415, 422, 500 */
	const char *code;	/* bad_request, unknown_field, forbidden, not_found,
				   conflict, missing_handoff, internal, ... */
	char message[512];
	json_t *fields;		/* [{field, message}] for 422, or NULL */
	json_t *detail;		/* extra members for the JSON error (e.g. a 409's
				   current state), or NULL */
};

/*
 * Fill e and return the matching error code: KB_ENOTFOUND for 404, KB_EDB
 * for 5xx, KB_EINVAL otherwise.
 */
int refuse(struct refusal *e, unsigned status, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Add {field, message} to e->fields (for a 422). */
void refusal_field(struct refusal *e, const char *field, const char *message);

void refusal_release(struct refusal *e);

#endif
