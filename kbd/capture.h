/*
 * capture.h - knowledge capture: turn a resolved ticket into a draft
 * article in the articles directory (status: draft, pre-filled with the
 * problem, the cause to write and the resolution from the ticket), link it
 * to the ticket as created-from, and bring the index up to date so the
 * draft is found at once. The Markdown file stays the source of truth.
 */
#ifndef KB_CAPTURE_H
#define KB_CAPTURE_H

#include <stdint.h>

#include "tickets.h"

struct kbd;
struct store;

/*
 * Write the draft for ticket id as who; *slug gets its slug (malloc'd).
 * Errors are described in *e (404, 409 if the ticket is not resolved,
 * 500 for a file or index error).
 */
int capture_draft(struct kbd *kbd, struct store *st, const struct actor *who,
    int64_t id, char **slug, struct refusal *e);

#endif
