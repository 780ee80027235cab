/*
 * docfx.c - DocFX syntax in an article's body; see docfx.h.
 *
 * The body is read line by line; a line is either copied, rewritten,
 * dropped, or (an include) replaced by the included file's body, read the
 * same way one level deeper.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docfx.h"
#include "err.h"
#include "front_matter.h"
#include "util.h"
#include "banned.h"

#define INCLUDE_MAX_DEPTH 4

/* The article being rewritten and where its problems go. */
struct docfx_reader {
	const char *root;	/* articles directory, or NULL */
	const char *relpath;	/* the article, for messages */
	struct article *a;	/* gets the included files in a->deps */
	struct article_diag *diag;
};

#define DOCFX_WARN(dx, line, ...) \
	article_diag_add(&(dx)->diag->warnings, (dx)->relpath, (line), \
	    __VA_ARGS__)

/* Resolve dir/ref lexically into a root-relative path; NULL if it leaves root. */
static char *
resolve_relative(const char *dir, const char *ref, size_t reflen)
{
	struct buf in, out;
	const char *p, *seg, *end;
	size_t seglen, cut;
	char *res;

	buf_init(&in, PATH_MAX);
	buf_init(&out, PATH_MAX);
	if (reflen && ref[0] == '/') {
		/* site-relative: from the root */
	} else if (*dir) {
		buf_puts(&in, dir);
		buf_putc(&in, '/');
	}
	buf_append(&in, ref, reflen);
	p = buf_str(&in);
	end = p + in.len;
	res = NULL;
	while (p < end) {
		seg = p;
		while (p < end && *p != '/')
			p++;
		seglen = (size_t)(p - seg);
		if (p < end)
			p++;
		if (seglen == 0 || (seglen == 1 && seg[0] == '.'))
			continue;
		if (seglen == 2 && seg[0] == '.' && seg[1] == '.') {
			if (out.len == 0)
				goto out;	/* above the root */
			cut = out.len;
			while (cut > 0 && out.data[cut - 1] != '/')
				cut--;
			buf_truncate(&out, cut ? cut - 1 : 0);
			continue;
		}
		if (out.len)
			buf_putc(&out, '/');
		buf_append(&out, seg, seglen);
	}
	if (!in.err && out.len)
		res = buf_detach(&out, NULL);
out:
	buf_release(&in);
	buf_release(&out);
	return res;
}

static void
deps_add(struct article *a, const char *rel)
{
	size_t i;

	for (i = 0; i < a->ndeps; i++)
		if (strcmp(a->deps[i], rel) == 0)
			return;
	a->deps = xrealloc(a->deps, (a->ndeps + 1) * sizeof(*a->deps));
	a->deps[a->ndeps++] = xstrdup(rel);
}

static void preprocess(struct docfx_reader *dx, const char *relpath,
    const char *s, size_t len, size_t first_line, int depth, struct buf *out);

/* Handle one "[!INCLUDE [x](path)]" line; prefix is what stood before it ("> "). */
static void
include_file(struct docfx_reader *dx, const char *relpath, size_t lineno,
    const char *ref, size_t reflen, int depth, struct buf *out)
{
	struct buf dir, path, src;
	const char *slash;
	char *rel = NULL;
	size_t fm, body_line = 1;
	int rc;

	if (!dx->root)
		return;
	if (depth >= INCLUDE_MAX_DEPTH) {
		DOCFX_WARN(dx, lineno, "includes nested deeper than %d; skipped",
		    INCLUDE_MAX_DEPTH);
		return;
	}
	buf_init(&dir, PATH_MAX);
	buf_init(&path, PATH_MAX * 2);
	buf_init(&src, ARTICLE_MAX_BYTES);
	slash = strrchr(relpath, '/');
	if (slash)
		buf_append(&dir, relpath, (size_t)(slash - relpath));
	rel = resolve_relative(buf_str(&dir), ref, reflen);
	if (!rel) {
		DOCFX_WARN(dx, lineno, "include '%.*s' points outside the articles directory; skipped",
		    (int)reflen, ref);
		goto out;
	}
	buf_printf(&path, "%s/%s", dx->root, rel);
	rc = file_read(buf_str(&path), &src);
	if (rc) {
		DOCFX_WARN(dx, lineno, "include '%s': %s; skipped", rel,
		    rc == KB_ENOTFOUND ? "no such file" : kb_strerror(rc));
		goto out;
	}
	if (!utf8_valid(src.data, src.len)) {
		DOCFX_WARN(dx, lineno, "include '%s' is not valid UTF-8; skipped", rel);
		goto out;
	}
	deps_add(dx->a, rel);
	fm = front_matter_end(src.data, src.len, &body_line);
	if (fm == (size_t)-1)
		fm = 0;
	preprocess(dx, rel, src.data + fm, src.len - fm, body_line, depth + 1, out);
out:
	free(rel);
	buf_release(&dir);
	buf_release(&path);
	buf_release(&src);
}

static const char *
skip_spaces(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* If line is "> [!NOTE] rest", the label ("Note") and where rest starts. */
static const char *
alert_label(const char *p, const char *end, const char **rest)
{
	static const struct { const char *tag, *label; } alerts[] = {
		{ "[!NOTE]", "Note" }, { "[!TIP]", "Tip" },
		{ "[!IMPORTANT]", "Important" }, { "[!WARNING]", "Warning" },
		{ "[!CAUTION]", "Caution" },
	};
	size_t i, n;

	for (i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++) {
		n = strlen(alerts[i].tag);
		if ((size_t)(end - p) >= n && strncasecmp(p, alerts[i].tag, n) == 0) {
			*rest = p + n;
			return alerts[i].label;
		}
	}
	return NULL;
}

/*
 * Copy s[0..len) to out line by line, rewriting DocFX syntax outside fenced
 * code: includes are expanded, alerts get a bold label, ":::" directives and
 * "[!div]" lines are dropped.
 */
static void
preprocess(struct docfx_reader *dx, const char *relpath, const char *s, size_t len,
    size_t first_line, int depth, struct buf *out)
{
	const char *p = s, *end = s + len, *eol, *q, *rest, *label, *ref, *close;
	size_t lineno = first_line, prefix_len;
	char fence = 0;

	for (; p < end; p = eol + (eol < end), lineno++) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		q = skip_spaces(p, eol);
		if ((eol - q >= 3) && (q[0] == '`' || q[0] == '~') &&
		    q[1] == q[0] && q[2] == q[0]) {
			if (!fence)
				fence = q[0];
			else if (fence == q[0])
				fence = 0;
		}
		if (fence)
			goto copy;
		/* blockquote markers before DocFX syntax */
		while (q < eol && *q == '>')
			q = skip_spaces(q + 1, eol);
		prefix_len = (size_t)(q - p);
		if (eol - q >= 3 && memcmp(q, ":::", 3) == 0)
			continue;
		if ((size_t)(eol - q) >= 6 && strncasecmp(q, "[!div", 5) == 0)
			continue;
		if ((size_t)(eol - q) >= 10 && strncasecmp(q, "[!INCLUDE", 9) == 0) {
			ref = memchr(q, '(', (size_t)(eol - q));
			close = ref ? memchr(ref, ')', (size_t)(eol - ref)) : NULL;
			if (ref && close) {
				ref++;
				ref = skip_spaces(ref, close);
				include_file(dx, relpath, lineno, ref,
				    (size_t)(close - ref), depth, out);
			} else {
				DOCFX_WARN(dx, lineno, "malformed [!INCLUDE] line; skipped");
			}
			continue;
		}
		if (prefix_len && (label = alert_label(q, eol, &rest))) {
			buf_append(out, p, prefix_len);
			buf_printf(out, "**%s:**", label);
			buf_append(out, rest, (size_t)(eol - rest));
			buf_putc(out, '\n');
			continue;
		}
copy:
		buf_append(out, p, (size_t)(eol - p));
		buf_putc(out, '\n');
	}
}

void
docfx_rewrite(const char *root, const char *relpath, const char *s,
    size_t len, size_t first_line, struct article *a,
    struct article_diag *diag, struct buf *out)
{
	struct docfx_reader dx = { root, relpath, a, diag };

	preprocess(&dx, relpath, s, len, first_line, 0, out);
}
