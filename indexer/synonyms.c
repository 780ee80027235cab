/*
 * synonyms.c - see synonyms.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "synonyms.h"
#include "text.h"
#include "util.h"
#include "banned.h"

struct group {
	char *joined;		/* alternatives separated by '\n', for the query */
	char **alts;		/* each alternative */
	char **words;		/* word_string() of each alternative */
	size_t nalts;
};

struct synonyms {
	struct group *groups;
	size_t n;
	char *all_words;	/* word_string() of every alternative, joined */
};

static void word_string(const char *s, size_t len, struct buf *out);

/* Fill g->words and append them to all (made once, used by every query). */
static void
group_words(struct group *g, struct buf *all)
{
	struct buf w;
	size_t j;

	g->words = xcalloc(g->nalts, sizeof(*g->words));
	buf_init(&w, 0);
	for (j = 0; j < g->nalts; j++) {
		buf_reset(&w);
		word_string(g->alts[j], strlen(g->alts[j]), &w);
		g->words[j] = xstrdup(buf_str(&w));
		/* " a b " then " c ": one space between words */
		buf_puts(all, buf_str(&w) + (all->len ? 1 : 0));
	}
	buf_release(&w);
}

struct synonyms *
synonyms_parse(const char *stored)
{
	struct synonyms *s = xcalloc(1, sizeof(*s));
	const char *line = stored, *eol, *tab, *a;
	struct group g;
	struct buf all;
	char *p;

	buf_init(&all, 0);

	while (line && *line) {
		eol = strchr(line, '\n');
		if (!eol)
			eol = line + strlen(line);
		memset(&g, 0, sizeof(g));
		for (a = line; a < eol; a = tab + 1) {
			tab = memchr(a, '\t', (size_t)(eol - a));
			if (!tab)
				tab = eol;
			if (tab > a) {
				g.alts = xrealloc(g.alts, (g.nalts + 1) * sizeof(*g.alts));
				g.alts[g.nalts++] = xstrndup(a, (size_t)(tab - a));
			}
			if (tab == eol)
				break;
		}
		if (g.nalts >= 2) {
			g.joined = xstrndup(line, (size_t)(eol - line));
			for (p = g.joined; *p; p++)
				if (*p == '\t')
					*p = '\n';
			group_words(&g, &all);
			s->groups = xrealloc(s->groups, (s->n + 1) * sizeof(*s->groups));
			s->groups[s->n++] = g;
		} else {
			while (g.nalts)
				free(g.alts[--g.nalts]);
			free(g.alts);
		}
		line = *eol ? eol + 1 : NULL;
	}
	s->all_words = buf_detach(&all, NULL);	/* NULL if it failed */
	return s;
}

void
synonyms_free(struct synonyms *s)
{
	size_t i, j;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		for (j = 0; j < s->groups[i].nalts; j++) {
			free(s->groups[i].alts[j]);
			free(s->groups[i].words[j]);
		}
		free(s->groups[i].alts);
		free(s->groups[i].words);
		free(s->groups[i].joined);
	}
	free(s->groups);
	free(s->all_words);
	free(s);
}

size_t
synonyms_count(const struct synonyms *s)
{
	return s ? s->n : 0;
}

/*
 * Arabic words are compared without their article, when three letters or
 * more remain: an agent types البرنتر as often as برنتر, and وال, بال,
 * لل… are written joined to the word.
 */
static size_t
arabic_article(const char *w, size_t len)
{
	return text_arabic_article(w, len, 6);
}

/*
 * Lower-case ASCII copy of the words of s, each followed by one space,
 * Arabic words without their article (both the alternatives and the query
 * go through here, so الطابعة and طابعة are one word).
 */
static void
word_string(const char *s, size_t len, struct buf *out)
{
	size_t p = 0, start, end, i;

	buf_putc(out, ' ');
	while (text_next_word(s, len, &p, &start, &end)) {
		start += arabic_article(s + start, end - start);
		for (i = start; i < end; i++)
			buf_putc(out, (char)(s[i] >= 'A' && s[i] <= 'Z' ?
			    s[i] + 32 : s[i]));
		buf_putc(out, ' ');
	}
}

void
synonyms_expand(const struct synonyms *s, const char *query, size_t max,
    void (*fn)(void *ctx, const char *alternatives), void *ctx)
{
	struct buf q;
	const char *alt;
	size_t i, j, found = 0;

	if (!s || !s->n)
		return;
	buf_init(&q, 0);
	word_string(query, strlen(query), &q);
	for (i = 0; i < s->n && found < max; i++) {
		for (j = 0; j < s->groups[i].nalts; j++) {
			alt = s->groups[i].words[j];
			if (alt[0] && alt[1] && strstr(buf_str(&q), alt)) {
				fn(ctx, s->groups[i].joined);
				found++;
				break;
			}
		}
	}
	buf_release(&q);
}

bool
synonyms_has_word(const struct synonyms *s, const char *word, size_t len)
{
	struct buf needle;
	size_t i;
	bool found;

	/* a word (text_next_word) never holds a space: " word " is one */
	if (!s || !s->all_words || !len || memchr(word, ' ', len) ||
	    memchr(word, '\0', len))
		return false;
	buf_init(&needle, 0);
	buf_putc(&needle, ' ');
	i = arabic_article(word, len);
	for (; i < len; i++)
		buf_putc(&needle, (char)(word[i] >= 'A' && word[i] <= 'Z' ?
		    word[i] + 32 : word[i]));
	buf_putc(&needle, ' ');
	found = !needle.err && strstr(s->all_words, buf_str(&needle)) != NULL;
	buf_release(&needle);
	return found;
}

/*
 * One alternative as stored, into clean: normalised (text.h), trimmed,
 * lower-case, hyphens and runs of spaces as one space ("wi-fi" = "wi fi").
 */
static void
clean_alternative(const char *a, size_t len, struct buf *scratch,
    struct buf *clean)
{
	bool space = false;
	size_t i;
	char c;

	buf_reset(scratch);
	buf_reset(clean);
	text_normalize(scratch, a, len);
	for (i = 0; i < scratch->len; i++) {
		c = scratch->data[i];
		if (c == ' ' || c == '\t' || c == '-' || c == '\r') {
			space = clean->len > 0;
			continue;
		}
		if (space)
			buf_putc(clean, ' ');
		space = false;
		buf_putc(clean, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
	}
}

int
synonyms_read(const char *path, FILE *report, struct buf *out,
    unsigned *groups)
{
	struct buf src, scratch, clean;
	const char *p, *eol, *end, *comma, *a;
	size_t lineno = 0, nalts, group_start;
	int rc;

	*groups = 0;
	buf_init(&src, 1 << 20);
	buf_init(&scratch, 4096);
	buf_init(&clean, 4096);
	rc = file_read(path, &src);
	if (rc == KB_ENOTFOUND) {
		rc = KB_OK;	/* no synonyms: an empty set */
		goto out;
	}
	if (rc || !utf8_valid(src.data, src.len)) {
		if (report)
			fprintf(report, "%s:1: cannot read synonyms (%s); keeping none\n",
			    path, rc ? kb_strerror(rc) : "invalid UTF-8");
		rc = KB_OK;
		goto out;
	}
	for (p = buf_str(&src), end = p + src.len; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		lineno++;
		nalts = 0;
		group_start = out->len;
		for (a = p; a < eol && *a != '#'; a = comma + 1) {
			for (comma = a; comma < eol && *comma != ',' && *comma != '#';)
				comma++;
			clean_alternative(a, (size_t)(comma - a), &scratch, &clean);
			if (clean.len) {
				buf_puts(out, nalts ? "\t" : (out->len ? "\n" : ""));
				buf_append(out, clean.data, clean.len);
				nalts++;
			}
			if (comma >= eol || *comma == '#')
				break;
		}
		if (nalts == 1) {
			if (report)
				fprintf(report, "%s:%zu: a synonym group needs at least two "
				    "alternatives; ignored\n", path, lineno);
			buf_truncate(out, group_start);
		} else if (nalts > 1) {
			(*groups)++;
		}
		if (eol == end)
			break;
	}
	rc = out->err;
out:
	buf_release(&src);
	buf_release(&scratch);
	buf_release(&clean);
	return rc;
}

void
synonyms_phrases(const char *stored, struct buf *out)
{
	char **v = NULL;
	const char *a = stored, *e;
	size_t n = 0, i, len;

	for (; a && *a; a = *e ? e + 1 : e) {
		len = strcspn(a, "\t\n");
		e = a + len;
		if (memchr(a, ' ', len)) {
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = xstrndup(a, len);
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), str_ptr_cmp);
	for (i = 0; i < n; i++) {
		if (!i || strcmp(v[i], v[i - 1]) != 0) {
			buf_puts(out, out->len ? "\n" : "");
			buf_puts(out, v[i]);
		}
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
