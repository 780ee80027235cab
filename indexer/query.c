/*
 * query.c - reading a caller's query; see query.h.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query.h"
#include "schema.h"
#include "search.h"
#include "text.h"
#include "util.h"
#include "banned.h"

/* Fields a query may name, mapped to the prefixes in schema.h. */
static const struct xc_prefix query_prefixes[] = {
	{ "tag", PREFIX_TAG, true },
	{ "product", PREFIX_PRODUCT, true },
	{ "category", PREFIX_CATEGORY, true },
	{ "lang", PREFIX_LANG, true },
	{ "audience", PREFIX_AUDIENCE, true },
	{ "status", PREFIX_STATUS, true },
	{ "title", PREFIX_TITLE, false },
};

/*
 * Words too common to tell articles apart, in the normalised form queries
 * take (text.h). They still count inside "phrases".
 */
static const char *const stopwords[] = {
	"a", "about", "an", "and", "are", "as", "at", "be", "been", "but", "by",
	"can", "could", "do", "does", "for", "from", "had", "has", "have", "how",
	"i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or",
	"our", "so", "that", "the", "their", "them", "then", "there", "these",
	"they", "this", "to", "was", "we", "were", "what", "when", "where",
	"which", "while", "who", "why", "will", "with", "would", "you", "your",
	/* how callers talk: "it keeps asking", "I still get", "please help" */
	"keep", "keeps", "kept", "still", "always", "again", "anymore",
	"suddenly", "randomly", "please", "help", "want", "need", "trying",
	"tried", "getting",
	/* what is left of a contraction split at its apostrophe: can|t, user|s */
	"s", "t", "d", "ll", "re", "ve", "m", "don", "doesn", "didn", "isn",
	"aren", "wasn", "weren", "won", "couldn", "wouldn", "shouldn", "hasn",
	"haven", "hadn",
	/* Arabic */
	"في", "من", "على", "الي", "عن", "مع", "هذا", "هذه", "ذلك", "تلك", "التي",
	"الذي", "او", "ام", "ثم", "قد", "لا", "ما", "لم", "لن", "هل", "كيف",
	"عند", "كل", "بعد", "قبل", "هو", "هي", "انا", "ان", "كان", "يا",
	"اريد", "احتاج", "ممكن", "ارجو", "دائما", "مازال", "لازال",
	NULL,
};

/* ---- term sets ---- */

void
termset_add(void *ctx, const char *term, size_t len)
{
	struct termset *t = ctx;
	size_t i;

	if (!len || t->n >= TERMSET_MAX)
		return;
	for (i = 0; i < t->n; i++)
		if (strlen(t->v[i]) == len && memcmp(t->v[i], term, len) == 0)
			return;
	t->v = xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
	t->v[t->n++] = xstrndup(term, len);
}

void
termset_release(struct termset *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* ---- words ---- */

bool
query_is_stopword(const char *w, size_t len)
{
	const char *const *sw;

	for (sw = stopwords; *sw; sw++)
		if (strlen(*sw) == len && memcmp(*sw, w, len) == 0)
			return true;
	return false;
}

unsigned
query_count_words(const char *q)
{
	size_t p = 0, start, end, len = strlen(q);
	unsigned n = 0;

	while (text_next_word(q, len, &p, &start, &end)) {
		if (end < len && q[end] == ':') {	/* a field: skip it and its value */
			p = end + 1;
			text_next_word(q, len, &p, &start, &end);
			continue;
		}
		n += !query_is_stopword(q + start, end - start);
	}
	return n;
}

/* ---- syntax, filters and alternatives ---- */

bool
query_has_syntax(const char *q)
{
	const char *p;

	if (strchr(q, '"') || strstr(q, " AND ") || strstr(q, " OR ") ||
	    strstr(q, " NOT ") || strncmp(q, "NOT ", 4) == 0)
		return true;
	for (p = q; *p; p++)
		if ((*p == '-' || *p == '+') &&
		    (p == q || p[-1] == ' ' || p[-1] == '('))
			return true;
	return false;	/* brackets alone group nothing: "(Error: 80004005)" */
}

/*
 * Take the field filters (tag:vpn, product:"Microsoft 365", …) out of the
 * normalised query: their terms (lower-cased, as index.c stores them) go to
 * filters, every one required; the rest of the text stays in q. Done here
 * rather than by Xapian's parser so that the synonym and other-script
 * alternatives ORed in later are filtered too.
 */
static void
extract_filters(struct buf *q, struct termset *filters)
{
	const struct xc_prefix *f;
	struct buf rest, term;
	const char *s = buf_str(q), *v;
	size_t i = 0, n = q->len, k, flen, vlen;
	bool quoted, found;

	buf_init(&rest, SEARCH_QUERY_MAX * 4);
	buf_init(&term, SEARCH_QUERY_MAX);
	while (i < n) {
		found = false;
		for (k = 0; (i == 0 || s[i - 1] == ' ') &&
		    k < sizeof(query_prefixes) / sizeof(query_prefixes[0]); k++) {
			f = &query_prefixes[k];
			flen = strlen(f->field);
			if (!f->boolean || n - i <= flen + 1 || s[i + flen] != ':' ||
			    strncasecmp(s + i, f->field, flen) != 0)
				continue;
			v = s + i + flen + 1;
			quoted = *v == '"';
			v += quoted;
			vlen = quoted ? strcspn(v, "\"") : strcspn(v, " ");
			buf_reset(&term);
			buf_puts(&term, f->prefix);
			for (size_t c = 0; c < vlen; c++)
				buf_putc(&term, (char)(v[c] >= 'A' && v[c] <= 'Z' ?
				    v[c] + 32 : v[c]));
			if (vlen && !term.err)
				termset_add(filters, term.data, term.len);
			i = (size_t)(v - s) + vlen + (quoted && v[vlen] == '"');
			found = true;
			break;
		}
		if (!found)
			buf_putc(&rest, s[i++]);
	}
	if (!rest.err) {
		buf_reset(q);
		buf_append(q, buf_str(&rest), rest.len);
	}
	buf_release(&rest);
	buf_release(&term);
}

static void
extra_add(struct query *q, const char *text, size_t len, unsigned group)
{
	struct xc_text *e;

	if (q->nextra >= QUERY_EXTRA_MAX || !len)
		return;
	e = &q->extra[q->nextra++];
	e->text = xstrndup(text, len);
	e->stemmer = text_stemmer_name(text_detect_lang(e->text, len, 0.5));
	e->group = group;
}

/* A synonym group: its alternatives become one OP_SYNONYM. */
static void
add_expansion(void *ctx, const char *alternatives)
{
	struct query *q = ctx;
	const char *p = alternatives, *nl;

	q->groups++;
	for (; *p; p = *nl ? nl + 1 : nl) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		extra_add(q, p, (size_t)(nl - p), q->groups);
	}
}

struct script_split {
	struct buf other;	/* words not of the query's main script */
	const char *main;	/* "ar" or "en" */
};

static void
collect_other_script(void *ctx, const char *run, size_t len, const char *lang)
{
	struct script_split *ss = ctx;

	if (strcmp(lang, ss->main) != 0) {
		buf_append(&ss->other, run, len);
		buf_putc(&ss->other, ' ');
	}
}

/*
 * A query that mixes Arabic and Latin words is parsed with the stemmer of
 * its main script; the words of the other script are parsed again with
 * theirs and ORed in, so "تيمز teams" or "مشكلة Outlook" match both ways.
 * Queries with operators or quotes are left as they are.
 */
static void
add_other_script(struct query *query, const char *q)
{
	struct script_split ss;

	if (strpbrk(q, "\":()") || strstr(q, " AND ") || strstr(q, " OR ") ||
	    strstr(q, " NOT "))
		return;
	buf_init(&ss.other, SEARCH_QUERY_MAX * 2);
	ss.main = text_detect_lang(q, strlen(q), 0.5);
	text_script_runs(q, strlen(q), collect_other_script, &ss);
	if (ss.other.len && ss.other.len < strlen(q))
		extra_add(query, buf_str(&ss.other), ss.other.len, 0);
	buf_release(&ss.other);
}

/*
 * Negative contractions typed without their apostrophe ("outlook cant
 * connect", "vpn doesnt work") are the same words in articles, which
 * write them with one. Left as typed, "cant" is a rare term that matches
 * noise with a high weight.
 */
static const char *const contractions[][2] = {
	{ "cant", "can't" }, { "dont", "don't" }, { "doesnt", "doesn't" },
	{ "didnt", "didn't" }, { "isnt", "isn't" }, { "arent", "aren't" },
	{ "wasnt", "wasn't" }, { "werent", "weren't" }, { "wont", "won't" },
	{ "couldnt", "couldn't" }, { "wouldnt", "wouldn't" },
	{ "shouldnt", "shouldn't" }, { "hasnt", "hasn't" },
	{ "havent", "haven't" }, { "hadnt", "hadn't" },
};

/*
 * Rewrite the words of normalised query q that replace() claims: called on
 * each word text[start..end), it returns 0 to leave it, or the end of the
 * span it replaces with what it wrote to with.
 */
static void
rewrite_words(struct buf *q, size_t (*replace)(const char *text, size_t len,
    size_t start, size_t end, struct buf *with))
{
	size_t p = 0, start, end, done = 0, upto;
	const char *text = buf_str(q);
	struct buf out, with;

	buf_init(&out, q->len + 16);
	buf_init(&with, 64);
	while (text_next_word(text, q->len, &p, &start, &end)) {
		buf_reset(&with);
		upto = replace(text, q->len, start, end, &with);
		if (!upto)
			continue;
		buf_append(&out, text + done, start - done);
		buf_append(&out, with.data, with.len);
		done = p = upto;
	}
	if (with.err)
		out.err = with.err;
	buf_release(&with);
	if (!done || out.err) {
		buf_release(&out);
		return;
	}
	buf_puts(&out, text + done);
	buf_release(q);
	*q = out;
}

/* A contraction typed without its apostrophe, with it. */
static size_t
restore_apostrophe(const char *text, size_t len, size_t start, size_t end,
    struct buf *with)
{
	size_t i, n = end - start;

	(void)len;
	for (i = 0; i < sizeof(contractions) / sizeof(contractions[0]); i++)
		if (strlen(contractions[i][0]) == n &&
		    strncasecmp(text + start, contractions[i][0], n) == 0) {
			buf_puts(with, contractions[i][1]);
			return end;
		}
	return 0;
}

/*
 * "KB 5034441" typed with a space, as the code KB5034441: the indexer also
 * indexes the spaced form joined (text_spaced_code()).
 */
static size_t
join_spaced_code(const char *text, size_t len, size_t start, size_t end,
    struct buf *with)
{
	size_t num_end = text_spaced_code(text, len, start, end, 4), c;

	for (c = start; c < num_end; c++)
		if (text[c] != ' ')
			buf_putc(with, text[c]);
	return num_end;
}

/* A code's number alone, ORed in: "KB4092733" also finds "KB number: 4092733". */
static void
add_code_numbers(struct query *q, const char *text)
{
	size_t p = 0, start, end, len = strlen(text), at;

	while (text_next_word(text, len, &p, &start, &end))
		if ((at = text_code_number(text + start, end - start)))
			extra_add(q, text + start + at, end - start - at, 0);
}

/*
 * An HRESULT is written two ways: 0x80070005 in dialogs and most articles,
 * -2147024891 (the same 32 bits read as a signed number) in script output,
 * event logs and exception text. Callers read out whichever they see, so
 * each is searched as the other too, and the '-' of such a number is its
 * sign, never "NOT". A 9- or 10-digit number is one of them when its
 * 32-bit form has the failure bit set (at most 2^31 in magnitude).
 */
#define HRESULT_DIGITS_MIN 9
#define HRESULT_DIGITS_MAX 10

/* The HRESULT that -w[0..len) (digits only) is as a signed number, or 0. */
static uint32_t
hresult_of_decimal(const char *w, size_t len)
{
	uint64_t v = 0;
	size_t i;

	if (len < HRESULT_DIGITS_MIN || len > HRESULT_DIGITS_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if (w[i] < '0' || w[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(w[i] - '0');
	}
	return v && v <= UINT64_C(0x80000000) ?
	    (uint32_t)(UINT64_C(0x100000000) - v) : 0;
}

/* The HRESULT w[0..len) writes as 0x and 8 hex digits, if a failure; or 0. */
static uint32_t
hresult_of_hex(const char *w, size_t len)
{
	uint32_t v = 0;
	size_t i;
	char c;

	if (len != 10 || w[0] != '0' || (w[1] | 0x20) != 'x')
		return 0;
	for (i = 2; i < len; i++) {
		c = (char)(w[i] | 0x20);
		if (c >= '0' && c <= '9')
			v = v << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint32_t)(c - 'a' + 10);
		else
			return 0;
	}
	return v >= UINT32_C(0x80000000) ? v : 0;
}

/* "-2147024891" is a number, not NOT 2147024891: drop its sign. */
static void
unsign_hresults(struct buf *q)
{
	char *s = q->data;
	size_t i, p, start, end;

	for (i = 0; i < q->len; i++) {
		if (s[i] != '-' || (i > 0 && s[i - 1] != ' '))
			continue;
		p = i + 1;	/* the word right after it, all digits */
		if (text_next_word(s, q->len, &p, &start, &end) &&
		    start == i + 1 && hresult_of_decimal(s + start, end - start))
			s[i] = ' ';
	}
}

/* Each HRESULT of the query in its other form, ORed in. */
static void
add_hresult_forms(struct query *q, const char *text)
{
	size_t p = 0, start, end, len = strlen(text);
	char other[16];
	uint32_t h;

	while (text_next_word(text, len, &p, &start, &end)) {
		if ((h = hresult_of_hex(text + start, end - start)))
			snprintf(other, sizeof(other), "%" PRIu32,
			    (uint32_t)(UINT64_C(0x100000000) - h));
		else if ((h = hresult_of_decimal(text + start, end - start)))
			snprintf(other, sizeof(other), "0x%08" PRIx32, h);
		else
			continue;
		extra_add(q, other, strlen(other), 0);
	}
}

/* ---- what every search shares ---- */

const char *const query_hidden[QUERY_NHIDDEN] = {
	PREFIX_STATUS "draft", PREFIX_STATUS "archived", PREFIX_STATUS "review",
};

void
query_base(struct xc_search *xs, const char *text, bool all_statuses,
    bool drafts)
{
	memset(xs, 0, sizeof(*xs));
	xs->text = text;
	if (text)
		xs->stemmer = text_stemmer_name(text_detect_lang(text,
		    strlen(text), 0.5));
	xs->stopwords = stopwords;
	xs->prefixes = query_prefixes;
	xs->nprefixes = sizeof(query_prefixes) / sizeof(query_prefixes[0]);
	if (drafts && !all_statuses) {
		xs->exclude = query_hidden + 1;	/* the archive only */
		xs->nexclude = 1;
	} else if (!all_statuses) {
		xs->exclude = query_hidden;
		xs->nexclude = QUERY_NHIDDEN;
	}
}


/* ---- reading ---- */

void
query_read(struct query *q, const char *text, const struct synonyms *syn)
{
	memset(q, 0, sizeof(*q));
	buf_init(&q->text, SEARCH_QUERY_MAX * 2);
	text_normalize(&q->text, text, strlen(text));
	rewrite_words(&q->text, restore_apostrophe);
	extract_filters(&q->text, &q->filters);
	rewrite_words(&q->text, join_spaced_code);
	unsign_hresults(&q->text);
	if (query_has_syntax(buf_str(&q->text)))
		return;
	add_other_script(q, buf_str(&q->text));
	add_code_numbers(q, buf_str(&q->text));
	add_hresult_forms(q, buf_str(&q->text));
	synonyms_expand(syn, buf_str(&q->text), 8, add_expansion, q);
}

void
query_release(struct query *q)
{
	size_t i;

	for (i = 0; i < q->nextra; i++)
		free((char *)q->extra[i].text);	/* extra_add()'s copies */
	termset_release(&q->filters);
	buf_release(&q->text);
	memset(q, 0, sizeof(*q));
}
