/*
 * revisions.h - the record of every article: each save kept whole as a
 * revision (article_revisions) and each thing done to an article as an
 * event (article_events: created, saved, restored, the lifecycle moves,
 * reviews, flags, changes found on disk). This module owns both tables.
 *
 * Writers (articles.c for saves and moves, feedback.c for flags) append
 * inside their own write transaction. Readers get the history, one
 * revision, the difference between two, and the last review. Revision
 * numbers count from 1 per slug, and go on from where they were if a slug
 * is used again after its file was deleted.
 *
 * Returned JSON is new (the caller decrefs it); refusals are described in
 * *e (the caller releases it).
 */
#ifndef KB_REVISIONS_H
#define KB_REVISIONS_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "refusal.h"

struct store;
struct store_words;

/*
 * How the article store words its failures (store_refuse(): "articles" in
 * the log, 503 if busy, else 500). articles.c words its transactions with
 * it too.
 */
extern const struct store_words revisions_words;

/*
 * The latest revision of slug: *rev gets its number (0 if none) and, if
 * text is not NULL, its text is appended to text. KB_OK or KB_EDB.
 */
int revisions_latest(struct store *st, const char *slug, int64_t *rev,
    struct buf *text);

/*
 * Record text[0..len) (the whole file) as revision rev of slug, saved by
 * author with status and note (NULL for none), inside the caller's write
 * transaction. KB_OK or KB_EDB.
 */
int revisions_add(struct store *st, const char *slug, int64_t rev,
    const char *author, const char *status, const char *note,
    const char *text, size_t len);

/*
 * Record that actor did kind to slug at revision rev (0 for none, as for
 * flags), with note (NULL for none), inside the caller's write
 * transaction. KB_OK or KB_EDB.
 */
int revisions_event(struct store *st, const char *slug, const char *actor,
    const char *kind, int64_t rev, const char *note);

/*
 * The history of slug, whose latest revision is current and whose status
 * and title are as given (articles_history() brings the record up to date
 * with the file first): {"slug","current","status","title",
 * "revisions":[{revision,at,author,status,note}],
 * "events":[{kind,at,actor,revision,note}]}, newest first.
 */
int revisions_history(struct store *st, const char *slug, int64_t current,
    const char *status, const char *title, json_t **out, struct refusal *e);

/*
 * Revision rev of slug: {"revision","at","author","status","note","text"};
 * 404 if there is none.
 */
int revisions_get(struct store *st, const char *slug, int64_t rev,
    json_t **out, struct refusal *e);

/*
 * The difference between revisions a and b of slug: {"a","b","truncated",
 * "lines":[{op:"same"|"add"|"del", text, a_line, b_line}]}; 413 if they
 * are too long to compare line by line.
 */
int revisions_diff(struct store *st, const char *slug, int64_t a, int64_t b,
    json_t **out, struct refusal *e);

/*
 * When the article was last reviewed or published through kbd and by whom;
 * *at = 0 if never (then its front matter's `updated` date stands in).
 * *who (may be NULL) gets a malloc'd name the caller frees. KB_OK or KB_EDB.
 */
int revisions_last_review(struct store *st, const char *slug, time_t *at,
    char **who);

#endif
