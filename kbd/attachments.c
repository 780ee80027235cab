/*
 * attachments.c - see attachments.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "attachments.h"
#include "buf.h"
#include "err.h"
#include "http.h"
#include "kbd.h"
#include "log.h"
#include "util.h"
#include "banned.h"

#define ATTACHMENT_MAX_BYTES ((size_t)1 << 20)

static const struct kind {
	const char *ext, *type;
	const char *magic;	/* the first bytes every such file has, or NULL */
	size_t magic_len;
	bool download;		/* never shown inline */
} kinds[] = {
	{ "png", "image/png", "\x89PNG\r\n\x1a\n", 8, false },
	{ "jpg", "image/jpeg", "\xff\xd8\xff", 3, false },
	{ "jpeg", "image/jpeg", "\xff\xd8\xff", 3, false },
	{ "gif", "image/gif", "GIF8", 4, false },
	{ "webp", "image/webp", "RIFF", 4, false },
	{ "pdf", "application/pdf", "%PDF-", 5, true },
	{ "txt", "text/plain; charset=utf-8", NULL, 0, true },
};

static const struct kind *
kind_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	if (!dot)
		return NULL;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcasecmp(dot + 1, kinds[i].ext) == 0)
			return &kinds[i];
	return NULL;
}

/* A file name of letters, digits, '.', '-', '_' with a known extension. */
static bool
name_ok(const char *name)
{
	const char *p;

	if (!name || !*name || strlen(name) > ATTACHMENT_NAME_MAX || name[0] == '.')
		return false;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			return false;
	return kind_of(name) != NULL;
}

static bool
content_ok(const struct kind *k, const char *data, size_t len)
{
	if (k->magic)
		return len >= k->magic_len && memcmp(data, k->magic, k->magic_len) == 0 &&
		    (strcmp(k->ext, "webp") != 0 || (len >= 12 &&
		    memcmp(data + 8, "WEBP", 4) == 0));
	return utf8_valid(data, len) && !memchr(data, '\0', len);
}

/* The folder of slug's file: "ARTICLES/net" for "net/vpn", "ARTICLES" for "vpn". */
static void
media_dir(const struct kbd *kbd, const char *slug, struct buf *out)
{
	const char *slash = strrchr(slug, '/');

	buf_printf(out, "%s/", kbd->cfg.articles_dir);
	if (slash)
		buf_printf(out, "%.*s/", (int)(slash - slug), slug);
	buf_puts(out, "media");
}

void
api_attachment_upload(struct kbd *kbd, const struct req *r,
    struct response *resp, const char *slug)
{
	const char *name = req_arg(r, "name"), *replace = req_arg(r, "replace");
	const struct kind *k;
	struct buf path, tmp, url;
	struct stat sb;
	bool ok = false;

	if (!name_ok(name)) {
		resp_error(kbd, r, resp, 422, "invalid", "Give the file a name with "
		    "?name=: letters, digits, '.', '-' and '_', at most 100 bytes, "
		    "ending in .png, .jpg, .jpeg, .gif, .webp, .pdf or .txt.");
		return;
	}
	k = kind_of(name);
	if (r->body_len == 0 || r->body_len > ATTACHMENT_MAX_BYTES ||
	    !content_ok(k, r->body, r->body_len)) {
		resp_error(kbd, r, resp, 415, "unsupported_media_type", "The file "
		    "is empty, larger than 1 MiB, or not what its name says.");
		return;
	}
	buf_init(&path, 8192);
	buf_init(&tmp, 8192);
	buf_init(&url, 8192);
	buf_printf(&path, "%s/%s.md", kbd->cfg.articles_dir, slug);
	if (stat(buf_str(&path), &sb) != 0) {
		resp_error(kbd, r, resp, 404, "not_found", "There is no article at "
		    "this address to attach a file to.");
		goto out;
	}
	buf_reset(&path);
	media_dir(kbd, slug, &path);
	if (mkdir(buf_str(&path), 0755) != 0 && errno != EEXIST) {
		kb_log(LOG_ERR, "attachments: mkdir %s: %s", buf_str(&path),
		    strerror(errno));
		resp_error(kbd, r, resp, 500, "internal", "The file could not be saved.");
		goto out;
	}
	buf_printf(&path, "/%s", name);
	if (stat(buf_str(&path), &sb) == 0 && !(replace && strcmp(replace, "1") == 0)) {
		resp_error(kbd, r, resp, 409, "exists", "A file of that name is "
		    "already attached here; add &replace=1 to replace it.");
		goto out;
	}
	ok = file_write_atomic(buf_str(&path), r->body, r->body_len) == KB_OK;
	if (!ok) {
		kb_log(LOG_ERR, "attachments: cannot write %s: %s", buf_str(&path),
		    strerror(errno));
		resp_error(kbd, r, resp, 500, "internal", "The file could not be saved.");
		goto out;
	}
	buf_puts(&url, "/articles/");
	if (strrchr(slug, '/'))
		buf_printf(&url, "%.*s/", (int)(strrchr(slug, '/') - slug), slug);
	buf_printf(&url, "media/%s", name);
	/* what to paste into the article: relative, as in the file */
	buf_reset(&tmp);
	buf_printf(&tmp, "%s[%s](media/%s)", k->download ? "" : "!", name, name);
	resp_json(resp, 201, json_pack("{s:s, s:s, s:I, s:s, s:s}", "name", name,
	    "url", buf_str(&url), "size", (json_int_t)r->body_len, "type", k->type,
	    "markdown", buf_str(&tmp)));
out:
	buf_release(&path);
	buf_release(&tmp);
	buf_release(&url);
}

bool
attachment_path(const char *path)
{
	const char *base = strrchr(path, '/');

	if (!base)
		return false;
	/* ".../media/{name}" or "media/{name}" */
	return (base - path == 5 && strncmp(path, "media", 5) == 0) ||
	    (base - path > 5 && strncmp(base - 6, "/media", 6) == 0);
}

void
attachment_serve(struct kbd *kbd, const struct req *r, struct response *resp)
{
	const char *name = strrchr(r->rest, '/') + 1, *seg;
	const struct kind *k = kind_of(name);
	struct buf path, data;
	size_t n;

	/* the folders must be plain names: no "..", no empty segment */
	for (seg = r->rest; seg < name; seg += n + 1) {
		n = strcspn(seg, "/");
		if (n == 0 || (n <= 2 && strncmp(seg, "..", n) == 0))
			goto missing;
	}
	if (!name_ok(name) || !k)
		goto missing;
	buf_init(&path, 8192);
	buf_init(&data, ATTACHMENT_MAX_BYTES + 1);
	buf_printf(&path, "%s/%s", kbd->cfg.articles_dir, r->rest);
	if (file_read(buf_str(&path), &data) != KB_OK) {
		buf_release(&path);
		buf_release(&data);
		goto missing;
	}
	buf_reset(&resp->body);
	buf_append(&resp->body, data.data, data.len);
	resp->status = 200;
	resp->content_type = k->type;
	resp->download = k->download;
	resp->cache_control = "private, max-age=300";
	buf_release(&path);
	buf_release(&data);
	return;
missing:
	resp_error(kbd, r, resp, 404, "not_found", "No such file.");
}
