/*
 * audit.h - the append-only audit log (sign-ins, failures, account and
 * configuration changes: who, what, when, from where) and the login
 * throttle built on recorded failures.
 */
#ifndef KB_AUDIT_H
#define KB_AUDIT_H

#include <stdbool.h>

struct store;

/* Append one entry; actor and detail may be NULL. Failures are logged, not returned. */
void audit_log(struct store *st, const char *actor, const char *action,
    const char *detail, const char *addr);

#define LOGIN_WINDOW 900	/* seconds failures are counted over */
#define LOGIN_MAX_PER_USER 5	/* failures in the window before an account waits */
#define LOGIN_MAX_PER_ADDR 20	/* failures from one address before it waits */

/*
 * Before checking a password: false (with *retry_after in seconds) if name
 * or addr had too many recent failures; else the attempt is recorded as a
 * failure for both, in one write transaction, so that parallel attempts
 * all count before any password is checked.
 */
bool audit_login_begin(struct store *st, const char *name, const char *addr,
    unsigned *retry_after);
/* The attempt succeeded: forget name's failures and this attempt's. */
void audit_login_succeeded(struct store *st, const char *name,
    const char *addr);

#endif
