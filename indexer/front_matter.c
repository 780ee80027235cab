/*
 * front_matter.c - the YAML front matter of an article file; see
 * front_matter.h.
 *
 * The block is parsed with libyaml's document API and its mapping walked
 * key by key; each field has its own reader that checks the value's shape
 * and reports where it is wrong, with the file's line numbers.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "buf.h"
#include "err.h"
#include "front_matter.h"
#include "util.h"
#include "banned.h"

/* The article being read and where its problems go. */
struct fm_reader {
	const char *relpath;	/* for messages */
	struct article *a;
	struct article_diag *diag;
	bool failed;		/* an error was reported */
};

#define FIELD_ERROR(fr, line, ...) \
	(article_diag_add(&(fr)->diag->errors, (fr)->relpath, (line), \
	    __VA_ARGS__), (fr)->failed = true)

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

/* ---- fields ---- */

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
	return str_dup_collapsed((const char *)n->data.scalar.value,
	    n->data.scalar.length);
}

/* A scalar field; reports and returns NULL if it is not one or too long. */
static char *
field_string(struct fm_reader *fr, const yaml_node_t *n, const char *key,
    size_t fm_line)
{
	char *s;

	if (n->type != YAML_SCALAR_NODE) {
		FIELD_ERROR(fr, node_line(n, fm_line),
		    "'%s' must be a single value, not a list or mapping", key);
		return NULL;
	}
	if (n->data.scalar.length > FRONT_MATTER_FIELD_MAX) {
		FIELD_ERROR(fr, node_line(n, fm_line), "'%s' is longer than %d bytes",
		    key, FRONT_MATTER_FIELD_MAX);
		return NULL;
	}
	s = scalar_dup(n);
	return s;
}

static void
tags_add(struct article *a, const char *s, size_t len)
{
	char *t = str_dup_collapsed(s, len);
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
field_tags(struct fm_reader *fr, yaml_document_t *doc, const yaml_node_t *n,
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
				FIELD_ERROR(fr, node_line(n, fm_line),
				    "each tag must be a single word or phrase");
				return;
			}
			tags_add(fr->a, (const char *)item->data.scalar.value,
			    item->data.scalar.length);
		}
		return;
	}
	if (n->type != YAML_SCALAR_NODE) {
		FIELD_ERROR(fr, node_line(n, fm_line),
		    "'tags' must be a list or a comma-separated string");
		return;
	}
	s = (const char *)n->data.scalar.value;
	len = n->data.scalar.length;
	while (len) {
		comma = memchr(s, ',', len);
		if (!comma)
			comma = s + len;
		tags_add(fr->a, s, (size_t)(comma - s));
		len -= (size_t)(comma - s) + (comma < s + len);
		s = comma + 1;
	}
}

static void
field_faq(struct fm_reader *fr, yaml_document_t *doc, const yaml_node_t *n,
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
		FIELD_ERROR(fr, node_line(n, fm_line),
		    "'faq' must be a list of {q, a} entries");
		return;
	}
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	    it++) {
		item = yaml_document_get_node(doc, *it);
		if (!item || item->type != YAML_MAPPING_NODE) {
			FIELD_ERROR(fr, item ? node_line(item, fm_line) : fm_line,
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
			FIELD_ERROR(fr, node_line(item, fm_line),
			    "faq entry needs a non-empty 'q' and 'a'");
			free(q);
			free(ans);
			return;
		}
		fr->a->faq = xrealloc(fr->a->faq,
		    (fr->a->nfaq + 1) * sizeof(*fr->a->faq));
		fr->a->faq[fr->a->nfaq].q = q;
		fr->a->faq[fr->a->nfaq].a = ans;
		fr->a->nfaq++;
	}
}

/* Value of a closed vocabulary field, lowercased; NULL (reported) if not allowed. */
static char *
field_enum(struct fm_reader *fr, const yaml_node_t *n, const char *key,
    size_t fm_line, const char *const *allowed)
{
	char *s = field_string(fr, n, key, fm_line);
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
	FIELD_ERROR(fr, node_line(n, fm_line), "unknown %s '%s' (allowed: %s)",
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

/* Map the front matter mapping onto fr->a. Unknown keys are ignored. */
static void
apply_front_matter(struct fm_reader *fr, yaml_document_t *doc, size_t fm_line)
{
	static const char *const langs[] = { "en", "ar", NULL };
	static const char *const audiences[] = { "l1", "l2", "l3", NULL };
	static const char *const statuses[] = { "draft", "review", "published",
		"archived", NULL };
	struct article *a = fr->a;
	yaml_node_t *root = yaml_document_get_root_node(doc);
	yaml_node_pair_t *p;
	yaml_node_t *k, *v;
	const char *key;
	char *s, *date = NULL, *msdate = NULL, *locale = NULL;
	const char *mapped;

	if (!root)
		return;	/* empty front matter */
	if (root->type != YAML_MAPPING_NODE) {
		FIELD_ERROR(fr, fm_line, "front matter must be a mapping of fields");
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
			set_once(&a->title, field_string(fr, v, key, fm_line));
		} else if (strcmp(key, "summary") == 0 ||
		    strcmp(key, "description") == 0) {
			set_once(&a->summary, field_string(fr, v, key, fm_line));
		} else if (strcmp(key, "tags") == 0 || strcmp(key, "keywords") == 0) {
			field_tags(fr, doc, v, fm_line);
		} else if (strcmp(key, "product") == 0) {
			set_once(&a->product, field_string(fr, v, key, fm_line));
		} else if (strcmp(key, "category") == 0) {
			set_once(&a->category, field_string(fr, v, key, fm_line));
		} else if (strcmp(key, "lang") == 0) {
			set_once(&a->lang, field_enum(fr, v, key, fm_line, langs));
		} else if (strcmp(key, "audience") == 0) {
			s = field_string(fr, v, key, fm_line);
			if (s && (mapped = docfx_audience(s))) {
				free(s);
				set_once(&a->audience, xstrdup(mapped));
			} else {
				free(s);
				set_once(&a->audience,
				    field_enum(fr, v, key, fm_line, audiences));
			}
		} else if (strcmp(key, "status") == 0) {
			set_once(&a->status, field_enum(fr, v, key, fm_line, statuses));
		} else if (strcmp(key, "author") == 0) {
			set_once(&a->author, field_string(fr, v, key, fm_line));
		} else if (strcmp(key, "updated") == 0) {
			char *d = NULL;

			s = field_string(fr, v, key, fm_line);
			if (s && !(d = parse_date(s)))
				FIELD_ERROR(fr, node_line(v, fm_line),
				    "'updated' must be a date like 2026-01-31, not '%s'", s);
			set_once(&date, d);	/* a repeated key: the first counts */
			free(s);
		} else if (strcmp(key, "faq") == 0) {
			field_faq(fr, doc, v, fm_line);
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

/* ---- where it ends ---- */

size_t
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


/* ---- reading ---- */

int
front_matter_read(const char *src, size_t end, const char *relpath,
    struct article *a, struct article_diag *diag, bool *failed)
{
	struct fm_reader fr = { relpath, a, diag, false };
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc = KB_OK;

	yaml_parser_initialize(&parser);
	/* the YAML between the two '---' lines, starting on line 2 */
	yaml_parser_set_input_string(&parser, (const unsigned char *)src + 4,
	    end - 4);
	if (!yaml_parser_load(&parser, &doc)) {
		FIELD_ERROR(&fr, 2 + parser.problem_mark.line,
		    "front matter is not valid YAML: %s%s%s",
		    parser.problem ? parser.problem : "syntax error",
		    parser.context ? " " : "",
		    parser.context ? parser.context : "");
		rc = KB_EINVAL;
	} else {
		apply_front_matter(&fr, &doc, 2);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	if (fr.failed)
		*failed = true;
	return rc;
}
