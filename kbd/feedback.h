/*
 * feedback.h - what L1 tells L2/L3 about articles: "did this solve it?"
 * votes (one per user and article, the latest counts) and flags (outdated,
 * incorrect, missing step, with a comment) that stay open in the article
 * inbox until someone resolves them. Flagging and resolving are logged on
 * the article's event log (article_events). Results are new JSON.
 */
#ifndef KB_FEEDBACK_H
#define KB_FEEDBACK_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "refusal.h"

struct store;

#define FLAG_COMMENT_MAX 2000

/* Record user_id's vote on slug (helpful or not), replacing an earlier one. */
int feedback_vote(struct store *st, int64_t user_id, const char *slug,
    bool helpful, struct refusal *e);

/*
 * How many votes this process has recorded so far: standing.h reads the
 * votes again when it moves.
 */
unsigned long feedback_votes_changed(void);
/*
 * {"kind","comment"}: a new open flag by who on slug. kind is "outdated",
 * "incorrect" or "missing_step"; *id gets its number.
 */
int feedback_flag(struct store *st, const char *who, const char *slug,
    json_t *in, int64_t *id, struct refusal *e);

/* {"note"}: close flag id as resolved by who. 409 if already resolved. */
int feedback_resolve(struct store *st, const char *who, int64_t id, json_t *in,
    struct refusal *e);

/*
 * For the article page: {"helpful","not_helpful","votes","ratio" (0..1, or null
 * with no votes),"open_flags"} and "my_vote" (true/false/null) for user_id.
 */
int feedback_summary(struct store *st, const char *slug, int64_t user_id,
    json_t **out);

/*
 * Flags, newest first: open ones only if open_only, of one article if slug.
 * [{id, slug, kind, comment, created_by, created_at, resolved_by,
 *   resolved_at, resolution}]
 */
int feedback_flags(struct store *st, const char *slug, bool open_only,
    unsigned limit, json_t **out);

#endif
