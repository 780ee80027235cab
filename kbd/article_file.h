/*
 * article_file.h - the Markdown file of an article as kbd writes it and
 * reads it back: ARTICLES_DIR/{slug}.md, front matter made from the
 * editor's fields (a JSON object) followed by the body. It is parsed with
 * the indexer's own parser (article.h), so what kbd writes is what the
 * index reads. Nothing here knows about revisions, the store or the
 * lifecycle: that is articles.h, the only user.
 *
 * The fields are the JSON object the API takes (see README): "title",
 * "summary", "product", "category", "lang", "audience", "author", "status",
 * "tags" (array of strings) and "faq" (array of {"q","a"}).
 *
 * Text goes into the caller's struct buf (the caller releases it); the
 * fields parsed from a file are a new JSON object the caller decrefs.
 */
#ifndef KB_ARTICLE_FILE_H
#define KB_ARTICLE_FILE_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"

struct kbd;

/* The string field key of fields object o, or "" if it has none. */
const char *article_field(json_t *o, const char *key);

/* Reset out to the path of slug's file: ARTICLES_DIR/{slug}.md. */
void article_file_path(const struct kbd *kbd, const char *slug,
    struct buf *out);

/*
 * Append the file's text to out with "\n" line ends (kbd writes them;
 * others may not). KB_ENOTFOUND if there is no file, KB_ETOOBIG if it is
 * larger than ARTICLE_MAX_BYTES, KB_EIO for other errors (errno kept).
 */
int article_file_read(const char *path, struct buf *out);

/*
 * Write text as the file at path, creating its folders below the articles
 * directory, atomically (file_write_atomic()). KB_EIO (errno kept) on
 * failure.
 */
int article_file_write(const char *path, const char *text, size_t len);

/*
 * Append to md the whole file for fields f (validated by the caller), with
 * status and today's date as "updated", then body; line ends are "\n".
 * Past md's cap md->err is set, as for any buf.
 */
void article_file_compose(struct buf *md, json_t *f, const char *status,
    const char *body);

/*
 * Parse text[0..len) (a whole file) as slug's file. KB_OK: *fields is a
 * new object of the fields above (the caller decrefs it) and *body_off is
 * where the body starts. Otherwise the parser's error code, with its
 * reasons appended to errors if errors is not NULL.
 */
int article_file_parse(const struct kbd *kbd, const char *slug,
    const char *text, size_t len, json_t **fields, size_t *body_off,
    struct buf *errors);

#endif
