/*
 * articles.h - writing the knowledge base: create and edit articles, move
 * them through their lifecycle, restore an earlier revision, preview with
 * the real renderer, keep the index up to date. The record every save and
 * move leaves (revisions, events, diffs, the last review) is revisions.h's.
 *
 * Lifecycle (KCS): draft (work in progress) → review (not yet validated) →
 * published (validated) → archived, and back to draft from review,
 * published or archived. "review" on a published article records that it
 * was checked and is still right (its last review).
 *
 * The Markdown file ARTICLES_DIR/{slug}.md stays the source of truth
 * (article_file.h writes and parses it). A save is one write transaction
 * of the store: it first records the file as found on disk if it changed
 * there (a git pull, an editor), then checks the caller's base revision
 * (409 with the current text if someone saved since), writes the file
 * atomically (temporary file, fsync, rename), records the revision and its
 * event (revisions.h), commits, and brings the index up to date so readers
 * see it at once. A crash between rename and commit leaves the new file,
 * which the next access records as found on disk; kbd brings the index up
 * to date when it starts.
 *
 * Input is JSON as the API takes it (see README); every result is a new
 * JSON object the caller releases; refusals are described in *e.
 */
#ifndef KB_ARTICLES_H
#define KB_ARTICLES_H

#include <stdbool.h>

#include <jansson.h>

#include "buf.h"
#include "refusal.h"

struct kbd;
struct store;
struct actor;

#define ARTICLE_SLUG_MAX 200

/*
 * {"slug","title","summary","tags","product","category","lang","audience",
 *  "faq","body"}: a new draft. slug may be left out (made from the title).
 * *out: {"slug","revision","status","url","title","updated","indexed"}.
 */
int articles_create(struct kbd *kbd, struct store *st, const struct actor *who,
    json_t *in, json_t **out, struct refusal *e);

/*
 * The same fields (any left out keep their value) and "base_revision", the
 * revision the editor started from; 409 "conflict" with the current
 * revision, its author and text, and the diff from base to current, if it
 * is not the latest. *out as for create.
 */
int articles_update(struct kbd *kbd, struct store *st, const struct actor *who,
    const char *slug, json_t *in, json_t **out, struct refusal *e);

/*
 * action "review", "publish", "archive" or "draft" (see the lifecycle
 * above); in may be NULL or {"note"}. 409 naming the legal actions if the
 * move is not one. *out as for create.
 */
int articles_transition(struct kbd *kbd, struct store *st,
    const struct actor *who, const char *slug, const char *action, json_t *in,
    json_t **out, struct refusal *e);

/*
 * {"revision","base_revision"}: save revision's text again as the newest
 * revision (keeping the current status). *out as for create.
 */
int articles_restore(struct kbd *kbd, struct store *st, const struct actor *who,
    const char *slug, json_t *in, json_t **out, struct refusal *e);

/*
 * The history of the article as revisions_history() gives it, after
 * recording the file as found on disk if it changed there (so the latest
 * revision is what the file holds); 404 if there is no file.
 */
int articles_history(struct kbd *kbd, struct store *st, const char *slug,
    json_t **out, struct refusal *e);

/*
 * What the editor starts from: the fields, the raw Markdown body (includes
 * unresolved), "status", "revision" and "author".
 */
int articles_editable(struct kbd *kbd, struct store *st, const char *slug,
    json_t **out, struct refusal *e);

/*
 * Render in (the create fields; all optional but body) as the article page
 * would: {"html","title","dir","errors"}.
 */
int articles_preview(struct kbd *kbd, json_t *in, json_t **out,
    struct refusal *e);

/*
 * Bring the index up to date with the articles directory (incremental, one
 * at a time across threads). Logs and returns an error if it could not.
 */
int articles_reindex(struct kbd *kbd);

/*
 * Append to b the Latin words of title, lowercased and joined by '-' (at
 * most about 60 bytes): "Outlook keeps asking" → "outlook-keeps-asking".
 * False if title has none (an Arabic title): then nothing was added.
 */
bool articles_slugify(struct buf *b, const char *title);

/* True if slug may name a new article (lowercase words, '/', '-'). */
bool articles_slug_ok(const char *slug);

#endif
