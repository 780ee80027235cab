/*
 * notifications.h - the in-app notification list: @mentions in internal
 * comments (for one user) and escalations to a tier (for everyone at that
 * tier), and flags raised on an article (for its author). Each user keeps
 * one "seen up to" mark, so the unread count is one
 * query and marking all read one update. Results are new JSON.
 */
#ifndef KB_NOTIFICATIONS_H
#define KB_NOTIFICATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "users.h"

struct store;

#define NOTIFICATION_TEXT_MAX 240	/* bytes of the text kept */

/*
 * For user (by name; NULL for a tier) or tier (1..3), about ticket (0 for
 * none) or what url shows (NULL: the ticket's page): *out gets the
 * notification as the API shows it ({id, at, kind, ticket, url, actor,
 * text}).
 */
int notifications_add(struct store *st, const char *user, int tier,
    const char *kind, int64_t ticket, const char *url, const char *actor,
    const char *text, json_t **out);

bool notifications_user_exists(struct store *st, const char *name);

/* {"unread", "notifications":[{…, "unread"}]}: the latest limit for u. */
int notifications_list(struct store *st, const struct user *u, unsigned limit,
    json_t **out);

int notifications_unread(struct store *st, const struct user *u, int64_t *n);

/* Mark u's notifications up to id (0: all so far) read. */
int notifications_read(struct store *st, const struct user *u, int64_t up_to);

#endif
