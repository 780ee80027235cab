/*
 * sessions.h - browser sessions: a random 256-bit id in an HttpOnly
 * cookie, only its hash in the store, a CSRF token per session, idle and
 * absolute expiry. A new id is issued at every sign-in (no fixation).
 */
#ifndef KB_SESSIONS_H
#define KB_SESSIONS_H

#include <stdint.h>

#include "users.h"

struct store;

struct session_limits {
	unsigned idle;		/* seconds without a request before it ends */
	unsigned max;		/* seconds after sign-in before it ends */
};

/*
 * Start a session for user id: *cookie_value gets the new id (64 hex
 * digits, malloc'd, for the cookie only) and csrf its token (65 bytes).
 */
int sessions_create(struct store *st, int64_t user_id, char **cookie_value,
    char csrf[65]);
/*
 * The user of a live session (touching its last use), and its CSRF token.
 * KB_ENOTFOUND for an unknown, expired or ended session (expired ones are
 * deleted).
 */
int sessions_check(struct store *st, const char *cookie_value,
    const struct session_limits *lim, struct user *u, char csrf[65]);
/* End the session (sign out). */
int sessions_delete(struct store *st, const char *cookie_value);

#endif
