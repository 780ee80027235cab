/*
 * article.c - front matter, DocFX preprocessing and cmark rendering of one
 * article; see article.h.
 *
 * Loading happens in three steps: the raw bytes are checked and normalised
 * (UTF-8, BOM, CRLF), the front matter is parsed with libyaml's document
 * API and mapped onto struct article, and the body is preprocessed line by
 * line for the DocFX extensions. cmark only ever sees the result.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cmark.h>
#include <yaml.h>

#include "article.h"
#include "err.h"
#include "text.h"
#include "util.h"
#include "banned.h"

#define INCLUDE_MAX_DEPTH 4
#define FIELD_MAX_BYTES 4096	/* a front matter value longer than this is an error */

/* Parsing state for one file. */
struct loader {
	const char *root;	/* articles directory, or NULL */
	const char *relpath;	/* file being loaded, relative to root */
	struct article *a;
	struct article_diag *diag;
	int failed;		/* an error was reported */
};

void
article_diag_init(struct article_diag *d)
{
	buf_init(&d->errors, 1 << 20);
	buf_init(&d->warnings, 1 << 20);
}

void
article_diag_release(struct article_diag *d)
{
	buf_release(&d->errors);
	buf_release(&d->warnings);
}

static void
diag_add(struct buf *b, const char *path, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
diag_add(struct buf *b, const char *path, size_t line, const char *fmt, ...)
{
	va_list ap;

	buf_printf(b, "%s:%zu: ", path, line);
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
	buf_putc(b, '\n');
}

#define LOAD_ERROR(ld, line, ...) \
	do { \
		diag_add(&(ld)->diag->errors, (ld)->relpath, (line), __VA_ARGS__); \
		(ld)->failed = 1; \
	} while (0)
#define LOAD_WARN(ld, line, ...) \
	diag_add(&(ld)->diag->warnings, (ld)->relpath, (line), __VA_ARGS__)

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
article_release(struct article *a)
{
	size_t i;

	free(a->slug);
	free(a->title);
	free(a->summary);
	free(a->product);
	free(a->category);
	free(a->lang);
	free(a->audience);
	free(a->status);
	free(a->author);
	free(a->updated);
	free_strv(a->tags, a->ntags);
	for (i = 0; i < a->nfaq; i++) {
		free(a->faq[i].q);
		free(a->faq[i].a);
	}
	free(a->faq);
	free(a->markdown);
	free_strv(a->deps, a->ndeps);
	memset(a, 0, sizeof(*a));
}

bool
article_is_fragment(const char *relpath)
{
	return str_starts_with(relpath, "includes/") ||
	    strstr(relpath, "/includes/") != NULL;
}

/* Trimmed, whitespace-collapsed copy of s[0..len). */
static char *
clean_string(const char *s, size_t len)
{
	struct buf b;
	size_t i;
	int space = 0;
	char *out;

	buf_init(&b, 0);
	for (i = 0; i < len; i++) {
		if (isspace((unsigned char)s[i])) {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = 0;
		buf_putc(&b, s[i]);
	}
	out = buf_detach(&b, NULL);
	return out ? out : xstrdup("");
}

static void
lowercase_ascii(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* ---- dates ---- */

static bool
valid_ymd(long y, long m, long d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return y >= 1970 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= mdays[m - 1];
}

/* "2026-10-14", "2026-10-14T09:00:00Z" or "10/14/2026" → "2026-10-14". */
static char *
parse_date(const char *s)
{
	int y, m, d, n = 0;
	struct buf b;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 &&
	    (s[10] == '\0' || s[10] == 'T' || s[10] == ' ')) {
		/* ISO date, optionally with a time */
	} else if (sscanf(s, "%2d/%2d/%4d%n", &m, &d, &y, &n) == 3 &&
	    s[n] == '\0') {
		/* US date, as DocFX's ms.date */
	} else {
		return NULL;
	}
	if (!valid_ymd(y, m, d))
		return NULL;
	buf_init(&b, 32);
	buf_printf(&b, "%04d-%02d-%02d", y, m, d);
	return buf_detach(&b, NULL);
}

static char *
date_from_mtime(time_t t)
{
	struct tm tm;
	struct buf b;

	gmtime_r(&t, &tm);
	buf_init(&b, 32);
	buf_printf(&b, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
	return buf_detach(&b, NULL);
}

/* ---- front matter ---- */

static size_t
node_line(const yaml_node_t *n, size_t fm_line)
{
	return fm_line + n->start_mark.line;
}

/* The scalar's text, or NULL if the node is not a scalar. */
static char *
scalar_dup(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	return clean_string((const char *)n->data.scalar.value,
	    n->data.scalar.length);
}

/* A scalar field; reports and returns NULL if it is not one or too long. */
static char *
field_string(struct loader *ld, const yaml_node_t *n, const char *key,
    size_t fm_line)
{
	char *s;

	if (n->type != YAML_SCALAR_NODE) {
		LOAD_ERROR(ld, node_line(n, fm_line),
		    "'%s' must be a single value, not a list or mapping", key);
		return NULL;
	}
	if (n->data.scalar.length > FIELD_MAX_BYTES) {
		LOAD_ERROR(ld, node_line(n, fm_line), "'%s' is longer than %d bytes",
		    key, FIELD_MAX_BYTES);
		return NULL;
	}
	s = scalar_dup(n);
	return s;
}

static void
tags_add(struct article *a, const char *s, size_t len)
{
	char *t = clean_string(s, len);
	size_t i;

	lowercase_ascii(t);
	if (!*t || a->ntags >= 64) {
		free(t);
		return;
	}
	for (i = 0; i < a->ntags; i++) {
		if (strcmp(a->tags[i], t) == 0) {
			free(t);
			return;
		}
	}
	a->tags = xrealloc(a->tags, (a->ntags + 1) * sizeof(*a->tags));
	a->tags[a->ntags++] = t;
}

/* tags: a YAML list, or a comma-separated string. */
static void
field_tags(struct loader *ld, yaml_document_t *doc, const yaml_node_t *n,
    size_t fm_line)
{
	yaml_node_item_t *it;
	const yaml_node_t *item;
	const char *s, *comma;
	size_t len;

	if (n->type == YAML_SEQUENCE_NODE) {
		for (it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top; it++) {
			item = yaml_document_get_node(doc, *it);
			if (!item || item->type != YAML_SCALAR_NODE) {
				LOAD_ERROR(ld, node_line(n, fm_line),
				    "each tag must be a single word or phrase");
				return;
			}
			tags_add(ld->a, (const char *)item->data.scalar.value,
			    item->data.scalar.length);
		}
		return;
	}
	if (n->type != YAML_SCALAR_NODE) {
		LOAD_ERROR(ld, node_line(n, fm_line),
		    "'tags' must be a list or a comma-separated string");
		return;
	}
	s = (const char *)n->data.scalar.value;
	len = n->data.scalar.length;
	while (len) {
		comma = memchr(s, ',', len);
		if (!comma)
			comma = s + len;
		tags_add(ld->a, s, (size_t)(comma - s));
		len -= (size_t)(comma - s) + (comma < s + len);
		s = comma + 1;
	}
}

static void
field_faq(struct loader *ld, yaml_document_t *doc, const yaml_node_t *n,
    size_t fm_line)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *p;
	const yaml_node_t *item, *k, *v;
	char *q, *ans;
	const char *key;

	if (n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0)
		return;	/* "faq:" with nothing after it */
	if (n->type != YAML_SEQUENCE_NODE) {
		LOAD_ERROR(ld, node_line(n, fm_line),
		    "'faq' must be a list of {q, a} entries");
		return;
	}
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	    it++) {
		item = yaml_document_get_node(doc, *it);
		if (!item || item->type != YAML_MAPPING_NODE) {
			LOAD_ERROR(ld, item ? node_line(item, fm_line) : fm_line,
			    "each faq entry must have 'q' and 'a'");
			return;
		}
		q = ans = NULL;
		for (p = item->data.mapping.pairs.start;
		    p < item->data.mapping.pairs.top; p++) {
			k = yaml_document_get_node(doc, p->key);
			v = yaml_document_get_node(doc, p->value);
			if (!k || !v || k->type != YAML_SCALAR_NODE)
				continue;
			key = (const char *)k->data.scalar.value;
			if (strcmp(key, "q") == 0 && !q)
				q = scalar_dup(v);
			else if (strcmp(key, "a") == 0 && !ans)
				ans = scalar_dup(v);
		}
		if (!q || !*q || !ans || !*ans) {
			LOAD_ERROR(ld, node_line(item, fm_line),
			    "faq entry needs a non-empty 'q' and 'a'");
			free(q);
			free(ans);
			return;
		}
		ld->a->faq = xrealloc(ld->a->faq,
		    (ld->a->nfaq + 1) * sizeof(*ld->a->faq));
		ld->a->faq[ld->a->nfaq].q = q;
		ld->a->faq[ld->a->nfaq].a = ans;
		ld->a->nfaq++;
	}
}

/* Value of a closed vocabulary field, lowercased; NULL (reported) if not allowed. */
static char *
field_enum(struct loader *ld, const yaml_node_t *n, const char *key,
    size_t fm_line, const char *const *allowed)
{
	char *s = field_string(ld, n, key, fm_line);
	size_t i;
	struct buf list;

	if (!s)
		return NULL;
	lowercase_ascii(s);
	for (i = 0; allowed[i]; i++)
		if (strcmp(s, allowed[i]) == 0)
			return s;
	buf_init(&list, 256);
	for (i = 0; allowed[i]; i++)
		buf_printf(&list, "%s%s", i ? ", " : "", allowed[i]);
	LOAD_ERROR(ld, node_line(n, fm_line), "unknown %s '%s' (allowed: %s)",
	    key, s, buf_str(&list));
	buf_release(&list);
	free(s);
	return NULL;
}

/*
 * DocFX articles use their own audience vocabulary; map it onto tiers so
 * that such corpora index without edits. Returns NULL if s is not part of it.
 */
static const char *
docfx_audience(const char *s)
{
	if (strcasecmp(s, "application user") == 0 || strcasecmp(s, "end-user") == 0 ||
	    strcasecmp(s, "enduser") == 0)
		return "l1";
	if (strcasestr(s, "itpro") || strcasestr(s, "admin") ||
	    strcasestr(s, "developer"))
		return "l2";
	return NULL;
}

static void
set_once(char **dst, char *val)
{
	if (!val)
		return;
	if (*dst || !*val) {
		free(val);
		return;
	}
	*dst = val;
}

/* Map the front matter mapping onto ld->a. Unknown keys are ignored. */
static void
apply_front_matter(struct loader *ld, yaml_document_t *doc, size_t fm_line)
{
	static const char *const langs[] = { "en", "ar", NULL };
	static const char *const audiences[] = { "l1", "l2", "l3", NULL };
	static const char *const statuses[] = { "draft", "review", "published",
		"archived", NULL };
	struct article *a = ld->a;
	yaml_node_t *root = yaml_document_get_root_node(doc);
	yaml_node_pair_t *p;
	yaml_node_t *k, *v;
	const char *key;
	char *s, *date = NULL, *msdate = NULL, *locale = NULL;
	const char *mapped;

	if (!root)
		return;	/* empty front matter */
	if (root->type != YAML_MAPPING_NODE) {
		LOAD_ERROR(ld, fm_line, "front matter must be a mapping of fields");
		return;
	}
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
	    p++) {
		k = yaml_document_get_node(doc, p->key);
		v = yaml_document_get_node(doc, p->value);
		if (!k || !v || k->type != YAML_SCALAR_NODE)
			continue;
		key = (const char *)k->data.scalar.value;
		if (strcmp(key, "title") == 0) {
			set_once(&a->title, field_string(ld, v, key, fm_line));
		} else if (strcmp(key, "summary") == 0 ||
		    strcmp(key, "description") == 0) {
			set_once(&a->summary, field_string(ld, v, key, fm_line));
		} else if (strcmp(key, "tags") == 0 || strcmp(key, "keywords") == 0) {
			field_tags(ld, doc, v, fm_line);
		} else if (strcmp(key, "product") == 0) {
			set_once(&a->product, field_string(ld, v, key, fm_line));
		} else if (strcmp(key, "category") == 0) {
			set_once(&a->category, field_string(ld, v, key, fm_line));
		} else if (strcmp(key, "lang") == 0) {
			set_once(&a->lang, field_enum(ld, v, key, fm_line, langs));
		} else if (strcmp(key, "audience") == 0) {
			s = field_string(ld, v, key, fm_line);
			if (s && (mapped = docfx_audience(s))) {
				free(s);
				set_once(&a->audience, xstrdup(mapped));
			} else {
				free(s);
				set_once(&a->audience,
				    field_enum(ld, v, key, fm_line, audiences));
			}
		} else if (strcmp(key, "status") == 0) {
			set_once(&a->status, field_enum(ld, v, key, fm_line, statuses));
		} else if (strcmp(key, "author") == 0) {
			set_once(&a->author, field_string(ld, v, key, fm_line));
		} else if (strcmp(key, "updated") == 0) {
			char *d = NULL;

			s = field_string(ld, v, key, fm_line);
			if (s && !(d = parse_date(s)))
				LOAD_ERROR(ld, node_line(v, fm_line),
				    "'updated' must be a date like 2026-01-31, not '%s'", s);
			set_once(&date, d);	/* a repeated key: the first counts */
			free(s);
		} else if (strcmp(key, "faq") == 0) {
			field_faq(ld, doc, v, fm_line);
		} else if (strcmp(key, "ms.date") == 0) {
			/* DocFX: a fallback for 'updated' */
			s = scalar_dup(v);
			if (s && !msdate)
				msdate = parse_date(s);
			free(s);
		} else if (strcmp(key, "ms.contentlocale") == 0) {
			free(locale);
			locale = scalar_dup(v);
		} else if (strcmp(key, "ms.prod") == 0 || strcmp(key, "ms.service") == 0) {
			set_once(&a->product, scalar_dup(v));
		}
	}
	if (date) {
		free(msdate);
		set_once(&a->updated, date);
	} else {
		set_once(&a->updated, msdate);
	}
	if (!a->lang && locale && strncasecmp(locale, "ar", 2) == 0)
		a->lang = xstrdup("ar");
	free(locale);
}

/* ---- DocFX body preprocessing ---- */

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

/* Length of the front matter block at the start of s, including both '---' lines; 0 if none. */
static size_t
front_matter_end(const char *s, size_t len, size_t *body_line)
{
	size_t i, line = 2;

	if (len < 4 || memcmp(s, "---\n", 4) != 0)
		return 0;
	for (i = 4; i < len;) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t linelen = nl ? (size_t)(nl - (s + i)) : len - i;

		while (linelen > 3 && (s[i + linelen - 1] == ' ' ||
		    s[i + linelen - 1] == '\t'))
			linelen--;	/* "--- " closes too */
		if (linelen == 3 && (memcmp(s + i, "---", 3) == 0 ||
		    memcmp(s + i, "...", 3) == 0)) {
			*body_line = line + 1;
			return nl ? (size_t)(nl - s) + 1 : len;
		}
		line++;
		if (!nl)
			break;
		i = (size_t)(nl - s) + 1;
	}
	return (size_t)-1;	/* opened but never closed */
}

size_t
article_body_offset(const char *src, size_t len)
{
	size_t line;

	return front_matter_end(src, len, &line);
}

static void preprocess(struct loader *ld, const char *relpath, const char *s,
    size_t len, size_t first_line, int depth, struct buf *out);

/* Handle one "[!INCLUDE [x](path)]" line; prefix is what stood before it ("> "). */
static void
include_file(struct loader *ld, const char *relpath, size_t lineno,
    const char *ref, size_t reflen, int depth, struct buf *out)
{
	struct buf dir, path, src;
	const char *slash;
	char *rel = NULL;
	size_t fm, body_line = 1;
	int rc;

	if (!ld->root)
		return;
	if (depth >= INCLUDE_MAX_DEPTH) {
		LOAD_WARN(ld, lineno, "includes nested deeper than %d; skipped",
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
		LOAD_WARN(ld, lineno, "include '%.*s' points outside the articles directory; skipped",
		    (int)reflen, ref);
		goto out;
	}
	buf_printf(&path, "%s/%s", ld->root, rel);
	rc = file_read(buf_str(&path), &src);
	if (rc) {
		LOAD_WARN(ld, lineno, "include '%s': %s; skipped", rel,
		    rc == KB_ENOTFOUND ? "no such file" : kb_strerror(rc));
		goto out;
	}
	if (!utf8_valid(src.data, src.len)) {
		LOAD_WARN(ld, lineno, "include '%s' is not valid UTF-8; skipped", rel);
		goto out;
	}
	deps_add(ld->a, rel);
	fm = front_matter_end(src.data, src.len, &body_line);
	if (fm == (size_t)-1)
		fm = 0;
	preprocess(ld, rel, src.data + fm, src.len - fm, body_line, depth + 1, out);
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
preprocess(struct loader *ld, const char *relpath, const char *s, size_t len,
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
				include_file(ld, relpath, lineno, ref,
				    (size_t)(close - ref), depth, out);
			} else {
				LOAD_WARN(ld, lineno, "malformed [!INCLUDE] line; skipped");
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

/* The text of the first "# " heading in the Markdown, or NULL. */
static char *
first_heading(const char *md, size_t len)
{
	cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node *n, *h = NULL;
	struct buf b;
	char *res = NULL;

	if (!doc)
		return NULL;
	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(n) == 1) {
			h = n;
			break;
		}
	}
	if (h) {
		buf_init(&b, FIELD_MAX_BYTES);
		it = cmark_iter_new(h);
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			n = cmark_iter_get_node(it);
			if (ev == CMARK_EVENT_ENTER &&
			    (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
			    cmark_node_get_type(n) == CMARK_NODE_CODE))
				buf_puts(&b, cmark_node_get_literal(n));
		}
		cmark_iter_free(it);
		if (!b.err && b.len)
			res = clean_string(b.data, b.len);
		buf_release(&b);
	}
	cmark_node_free(doc);
	return res;
}

/* ---- loading ---- */

/* Copy src without a BOM and with CRLF turned into LF. */
static void
normalise_newlines(const char *src, size_t len, struct buf *out)
{
	size_t i, start = 0;

	if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
		start = 3;
	for (i = start; i < len; i++) {
		if (src[i] == '\r' && i + 1 < len && src[i + 1] == '\n') {
			buf_append(out, src + start, i - start);
			start = i + 1;
		}
	}
	buf_append(out, src + start, len - start);
}

/* 1-based line of the first invalid UTF-8 byte, or 0 if all is valid. */
static size_t
invalid_utf8_line(const char *s, size_t len)
{
	size_t i = 0, at, line = 1;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			line += s[i] == '\n';
			i++;
			continue;
		}
		at = i;
		if (utf8_next(s, len, &i) == 0xFFFD && i == at + 1)
			return line;
	}
	return 0;
}

int
article_parse(const char *root, const char *relpath, const char *src,
    size_t len, time_t mtime, struct article *a, struct article_diag *diag)
{
	struct loader ld = { root, relpath, a, diag, 0 };
	struct buf text, body;
	yaml_parser_t parser;
	yaml_document_t doc;
	size_t fm_end, body_line = 1, bad;
	const char *slug_end;

	memset(a, 0, sizeof(*a));
	buf_init(&text, ARTICLE_MAX_BYTES);
	buf_init(&body, ARTICLE_MAX_BYTES * 4);
	if (len > ARTICLE_MAX_BYTES) {
		LOAD_ERROR(&ld, 1, "file is larger than %zu bytes", ARTICLE_MAX_BYTES);
		goto out;
	}
	if ((bad = invalid_utf8_line(src, len))) {
		LOAD_ERROR(&ld, bad, "invalid UTF-8");
		goto out;
	}
	normalise_newlines(src, len, &text);
	if (text.err) {
		LOAD_ERROR(&ld, 1, "%s", kb_strerror(text.err));
		goto out;
	}
	fm_end = front_matter_end(buf_str(&text), text.len, &body_line);
	if (fm_end == (size_t)-1) {
		LOAD_ERROR(&ld, 1, "front matter opened with '---' is never closed");
		goto out;
	}
	if (fm_end) {
		yaml_parser_initialize(&parser);
		/* the YAML between the two '---' lines, starting on line 2 */
		yaml_parser_set_input_string(&parser,
		    (const unsigned char *)text.data + 4, fm_end - 4);
		if (!yaml_parser_load(&parser, &doc)) {
			LOAD_ERROR(&ld, 2 + parser.problem_mark.line,
			    "front matter is not valid YAML: %s%s%s",
			    parser.problem ? parser.problem : "syntax error",
			    parser.context ? " " : "",
			    parser.context ? parser.context : "");
			yaml_parser_delete(&parser);
			goto out;
		}
		apply_front_matter(&ld, &doc, 2);
		yaml_document_delete(&doc);
		yaml_parser_delete(&parser);
	}
	preprocess(&ld, relpath, text.data + fm_end, text.len - fm_end, body_line,
	    0, &body);
	if (body.err) {
		LOAD_ERROR(&ld, 1, "body after includes is %s", kb_strerror(body.err));
		goto out;
	}
	if (!a->title)
		a->title = first_heading(buf_str(&body), body.len);
	if (!a->title || !*a->title)
		LOAD_ERROR(&ld, 1, "no title: add 'title:' to the front matter");
	if (ld.failed)
		goto out;

	slug_end = str_ends_with(relpath, ".md") ? relpath + strlen(relpath) - 3 :
	    relpath + strlen(relpath);
	a->slug = xstrndup(relpath, (size_t)(slug_end - relpath));
	if (!a->lang)
		a->lang = xstrdup(text_detect_lang(a->title, strlen(a->title), 0.3)[0] == 'a' ||
		    text_detect_lang(buf_str(&body), body.len, 0.3)[0] == 'a' ? "ar" : "en");
	if (!a->audience)
		a->audience = xstrdup("l1");
	if (!a->status)
		a->status = xstrdup("published");
	if (!a->updated)
		a->updated = date_from_mtime(mtime);
	if (!a->summary)
		a->summary = xstrdup("");
	if (!a->product)
		a->product = xstrdup("");
	if (!a->category)
		a->category = xstrdup("");
	if (!a->author)
		a->author = xstrdup("");
	a->markdown = buf_detach(&body, &a->markdown_len);
out:
	buf_release(&text);
	buf_release(&body);
	if (ld.failed) {
		article_release(a);
		return KB_EINVAL;
	}
	return KB_OK;
}

int
article_load(const char *root, const char *relpath, struct article *a,
    struct article_diag *diag)
{
	struct buf path, src;
	struct stat st;
	int rc;

	memset(a, 0, sizeof(*a));
	buf_init(&path, PATH_MAX * 2);
	buf_init(&src, ARTICLE_MAX_BYTES + 1);
	buf_printf(&path, "%s/%s", root, relpath);
	if (path.err) {
		rc = KB_ETOOBIG;
		goto out;
	}
	if (stat(path.data, &st) != 0) {
		rc = errno == ENOENT ? KB_ENOTFOUND : KB_EIO;
		goto out;
	}
	rc = file_read(path.data, &src);
	if (rc == KB_ETOOBIG) {
		diag_add(&diag->errors, relpath, 1, "file is larger than %zu bytes",
		    ARTICLE_MAX_BYTES);
		rc = KB_EINVAL;
		goto out;
	}
	if (rc) {
		diag_add(&diag->errors, relpath, 1, "cannot read: %s", strerror(errno));
		goto out;
	}
	rc = article_parse(root, relpath, buf_str(&src), src.len, st.st_mtime, a,
	    diag);
out:
	buf_release(&path);
	buf_release(&src);
	return rc;
}

/* ---- rendering ---- */

static bool
is_block(cmark_node_type t)
{
	return t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
	    t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_ITEM ||
	    t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_THEMATIC_BREAK;
}

void
article_text(const struct article *a, struct buf *out)
{
	cmark_node *doc, *n;
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node_type t;
	const char *lit;

	doc = cmark_parse_document(a->markdown, a->markdown_len, CMARK_OPT_DEFAULT);
	if (!doc)
		return;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_EXIT) {
			if (is_block(t) && out->len && out->data[out->len - 1] != '\n')
				buf_putc(out, '\n');
			continue;
		}
		switch (t) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			lit = cmark_node_get_literal(n);
			if (lit)
				buf_puts(out, lit);
			if (t == CMARK_NODE_CODE_BLOCK)
				buf_putc(out, '\n');
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
}

/*
 * Links and images may point only at http, https, mailto or a relative
 * address; cmark's safe mode already drops javascript:, vbscript:, file:
 * and data:, this also drops every other scheme (ms-settings:, ftp:, …).
 */
static bool
url_allowed(const char *url)
{
	const char *p;

	if (!url)
		return true;
	for (p = url; *p && *p != ':' && *p != '/' && *p != '?' && *p != '#'; p++)
		;
	if (*p != ':')
		return true;	/* no scheme: relative */
	return (p - url == 4 && strncasecmp(url, "http", 4) == 0) ||
	    (p - url == 5 && strncasecmp(url, "https", 5) == 0) ||
	    (p - url == 6 && strncasecmp(url, "mailto", 6) == 0);
}

static void
drop_unsafe_urls(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *n;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    (cmark_node_get_type(n) == CMARK_NODE_LINK ||
		    cmark_node_get_type(n) == CMARK_NODE_IMAGE) &&
		    !url_allowed(cmark_node_get_url(n)))
			cmark_node_set_url(n, "");
	}
	cmark_iter_free(it);
}

int
article_html(const struct article *a, char **html)
{
	cmark_node *doc;

	*html = NULL;
	doc = cmark_parse_document(a->markdown, a->markdown_len, CMARK_OPT_DEFAULT);
	if (!doc)
		return KB_ENOMEM;
	drop_unsafe_urls(doc);
	/* CMARK_OPT_DEFAULT is safe mode: raw HTML and unsafe links are removed. */
	*html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	cmark_node_free(doc);
	return *html ? KB_OK : KB_ENOMEM;
}
