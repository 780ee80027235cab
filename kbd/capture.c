/*
 * capture.c - see capture.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "capture.h"
#include "err.h"
#include "index.h"
#include "kbd.h"
#include "log.h"
#include "text.h"
#include "util.h"
#include "banned.h"

/* A YAML scalar: a JSON string is valid YAML and escapes everything. */
static void
yaml_string(struct buf *b, const char *s)
{
	json_t *j = json_string(s);
	char *enc = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;

	buf_puts(b, enc ? enc : "\"\"");
	free(enc);
	json_decref(j);
}

/* "T-000123 Outlook keeps asking" → "t-000123-outlook-keeps-asking" */
static void
slugify(struct buf *b, const char *tid, const char *title)
{
	size_t i, start = b->len;
	bool dash = false;

	buf_puts(b, tid);
	for (i = 0; title[i] && b->len - start < 60; i++) {
		char c = title[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash || b->len == start + strlen(tid))
				buf_putc(b, '-');
			dash = false;
			buf_putc(b, c);
		} else {
			dash = true;
		}
	}
	for (i = start; i < b->len; i++)
		if (b->data[i] >= 'A' && b->data[i] <= 'Z')
			b->data[i] = (char)(b->data[i] + 32);
}

/* Write path atomically: a temporary file beside it, fsync, rename. */
static int
write_atomically(const char *path, const char *data, size_t len)
{
	struct buf tmp;
	int fd, rc = KB_EIO;
	ssize_t n;

	buf_init(&tmp, 8192);
	buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(buf_str(&tmp), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		goto out;
	n = write(fd, data, len);
	if (n == (ssize_t)len && fsync(fd) == 0 && close(fd) == 0) {
		fd = -1;
		if (rename(buf_str(&tmp), path) == 0)
			rc = KB_OK;
	}
	if (fd >= 0)
		close(fd);
	if (rc)
		unlink(buf_str(&tmp));
out:
	if (rc)
		kb_log(LOG_ERR, "capture: cannot write %s: %s", path, strerror(errno));
	buf_release(&tmp);
	return rc;
}

int
capture_draft(struct kbd *kbd, struct store *st, const struct actor *who,
    int64_t id, char **slug, struct refusal *e)
{
	struct index_opts io = { 0 };
	struct index_stats ist;
	struct buf md, path, s;
	json_t *t = NULL, *c, *link_in;
	const char *title, *desc, *status, *category;
	char tid[16], day[16];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int rc = KB_EINVAL;

	*slug = NULL;
	memset(e, 0, sizeof(*e));
	if (tickets_get(st, &kbd->workflow, id, &t)) {
		e->status = 404;
		e->code = "not_found";
		snprintf(e->message, sizeof(e->message), "There is no such ticket.");
		return KB_ENOTFOUND;
	}
	status = json_string_value(json_object_get(t, "status"));
	if (!status || (strcmp(status, "resolved") != 0 && strcmp(status, "closed") != 0)) {
		e->status = 409;
		e->code = "not_resolved";
		snprintf(e->message, sizeof(e->message), "Resolve the ticket first, then "
		    "write down how.");
		json_decref(t);
		return KB_EINVAL;
	}
	title = json_string_value(json_object_get(t, "title"));
	desc = json_string_value(json_object_get(t, "description"));
	category = json_string_value(json_object_get(t, "category"));
	tickets_format_id(id, tid);
	gmtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	buf_init(&md, 1 << 20);
	buf_init(&path, 8192);
	buf_init(&s, 256);
	buf_puts(&s, "drafts/");
	slugify(&s, tid, title);
	buf_puts(&md, "---\ntitle: ");
	yaml_string(&md, title);
	buf_puts(&md, "\nsummary: ");
	yaml_string(&md, "");
	buf_puts(&md, "\ntags: []\nproduct: \"\"\ncategory: ");
	yaml_string(&md, category ? category : "");
	buf_printf(&md, "\nlang: %s\naudience: l1\nstatus: draft\nauthor: ",
	    text_detect_lang(title, strlen(title), 0.3));
	yaml_string(&md, who->name);
	buf_printf(&md, "\nupdated: %s\n---\n", day);
	buf_printf(&md, "Drafted from ticket %s. Edit it, then ask for a review.\n\n", tid);
	buf_puts(&md, "## Problem\n\n");
	buf_puts(&md, desc && *desc ? desc : title);
	buf_puts(&md, "\n\n## Cause\n\n(What caused it: write it down for the next agent.)\n\n");
	buf_puts(&md, "## Resolution\n\n");
	json_array_foreach(json_object_get(t, "comments"), i, c) {
		buf_puts(&md, "- ");
		buf_puts(&md, json_string_value(json_object_get(c, "body")));
		buf_putc(&md, '\n');
	}
	buf_puts(&md, "\n## When to escalate\n\n(Which signs mean L1 should hand this to L2.)\n");
	buf_printf(&path, "%s/drafts", kbd->cfg.articles_dir);
	if (mkdir(buf_str(&path), 0755) != 0 && errno != EEXIST)
		goto io_error;
	buf_reset(&path);
	buf_printf(&path, "%s/%s.md", kbd->cfg.articles_dir, buf_str(&s));
	if (md.err || path.err || s.err || write_atomically(buf_str(&path), md.data, md.len))
		goto io_error;
	/* the index learns of it at once (incremental: only this file is new) */
	io.articles_dir = kbd->cfg.articles_dir;
	io.index_dir = kbd->cfg.index_dir;
	if (index_build(&io, &ist) != KB_OK)
		kb_log(LOG_WARNING, "capture: %s written but the index was not updated; "
		    "run the indexer", buf_str(&path));
	link_in = json_pack("{s:s, s:s}", "article", buf_str(&s), "relation",
	    "created-from");
	rc = tickets_link(st, who, id, link_in, e);
	json_decref(link_in);
	if (!rc)
		*slug = xstrdup(buf_str(&s));
	goto out;
io_error:
	e->status = 500;
	e->code = "internal";
	snprintf(e->message, sizeof(e->message), "The draft article could not be "
	    "written.");
	rc = KB_EIO;
out:
	json_decref(t);
	buf_release(&md);
	buf_release(&path);
	buf_release(&s);
	return rc;
}
