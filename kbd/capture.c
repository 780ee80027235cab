/*
 * capture.c - see capture.h.
 */
#include <string.h>

#include "articles.h"
#include "buf.h"
#include "capture.h"
#include "err.h"
#include "kbd.h"
#include "ticket_view.h"
#include "util.h"
#include "banned.h"

int
capture_draft(struct kbd *kbd, struct store *st, const struct actor *who,
    int64_t id, char **slug, struct refusal *e)
{
	struct buf md, s;
	json_t *t = NULL, *c, *in, *out = NULL, *link_in;
	const char *title, *desc, *status, *category;
	char tid[16];
	size_t i;
	int rc;

	*slug = NULL;
	memset(e, 0, sizeof(*e));
	if (ticket_view_get(st, &kbd->workflow, id, &t))
		return refuse(e, 404, "not_found", "There is no such ticket.");
	status = json_string_value(json_object_get(t, "status"));
	if (!status || (strcmp(status, "resolved") != 0 && strcmp(status, "closed") != 0)) {
		json_decref(t);
		return refuse(e, 409, "not_resolved", "Resolve the ticket first, then "
		    "write down how.");
	}
	title = json_string_value(json_object_get(t, "title"));
	desc = json_string_value(json_object_get(t, "description"));
	category = json_string_value(json_object_get(t, "category"));
	tickets_format_id(id, tid);
	buf_init(&md, 1 << 20);
	buf_init(&s, 256);
	buf_puts(&s, "drafts/");
	for (i = 0; tid[i]; i++)	/* "T-000123" → "t-000123" */
		buf_putc(&s, tid[i] >= 'A' && tid[i] <= 'Z' ? (char)(tid[i] + 32) : tid[i]);
	buf_putc(&s, '-');
	if (!articles_slugify(&s, title))
		buf_truncate(&s, s.len - 1);	/* no Latin words: the number alone */
	buf_printf(&md, "Drafted from ticket %s. Edit it, then send it for review.\n\n", tid);
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
	in = json_pack("{s:s, s:s, s:s, s:s, s:s}", "slug", buf_str(&s), "title",
	    title, "category", category ? category : "", "audience", "l1",
	    "body", buf_str(&md));
	/* the index learns of it at once: articles_create() reindexes */
	rc = md.err ? refuse(e, 413, "too_large", "The ticket is too long to "
	    "draft from.") : articles_create(kbd, st, who, in, &out, e);
	json_decref(in);
	if (!rc) {
		link_in = json_pack("{s:s, s:s}", "article", json_string_value(
		    json_object_get(out, "slug")), "relation", "created-from");
		rc = tickets_link(st, who, id, link_in, e);
		json_decref(link_in);
		if (!rc)
			*slug = xstrdup(json_string_value(json_object_get(out, "slug")));
	}
	json_decref(out);
	json_decref(t);
	buf_release(&md);
	buf_release(&s);
	return rc;
}
