/*
 * attachments.h - images and files of articles: uploaded by L2/L3 next to
 * the article (ARTICLES_DIR/{folder of the slug}/media/{name}, the DocFX
 * convention, so `![](media/name.png)` works in the file and on the page),
 * limited in size (the 1 MiB request cap) and type (PNG, JPEG, GIF, WebP
 * by their magic bytes; PDF and plain text as downloads), and served from
 * /articles/{folder}/media/{name} with their own fixed content type.
 */
#ifndef KB_ATTACHMENTS_H
#define KB_ATTACHMENTS_H

#include <stdbool.h>

struct kbd;
struct req;
struct response;

#define ATTACHMENT_NAME_MAX 100

/* POST /api/v1/articles/{slug}/attachments?name=…[&replace=1], raw body. */
void api_attachment_upload(struct kbd *kbd, const struct req *r,
    struct response *resp, const char *slug);

/* True if path (below /articles/) names an attachment, not an article. */
bool attachment_path(const char *path);

/* Serve the attachment at r->rest (attachment_path() was true). */
void attachment_serve(struct kbd *kbd, const struct req *r,
    struct response *resp);

#endif
