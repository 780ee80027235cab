/*
 * titles.c - titles word by word, for search-as-you-type; see titles.h.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "query.h"
#include "text.h"
#include "titles.h"
#include "util.h"
#include "xapian_c.h"
#include "banned.h"

/* BM25's usual constants: titles are short, so their length counts. */
#define K1 1.2
#define B 0.75

#define STRINGS_MAX ((size_t)UINT32_MAX)	/* offsets are 32-bit */

/* One word of one title while building: which word, and whose it is. */
struct token {
	uint32_t word;		/* in vocab */
	uint32_t docid;
};

struct posting {
	uint32_t docid;
	uint32_t tf;		/* times in the title */
};

/* A distinct word or stem, and the titles holding it, by docid. */
struct term {
	uint32_t text;		/* offset in strings */
	uint32_t first, n;	/* postings[first .. first + n) */
};

struct titles {
	char *strings;		/* NUL-terminated words and stems */
	size_t nstrings, alloc_strings;
	/* until sealed: the distinct words met, by number, found through a
	 * hash table (open addressing, word number + 1, 0 empty), and the
	 * words of the titles in the order added */
	uint32_t *vocab;	/* offsets in strings */
	size_t nvocab, alloc_vocab;
	uint32_t *table;
	size_t table_size;	/* a power of two, or 0 */
	struct token *tokens;
	size_t ntokens, alloc_tokens;
	unsigned last_docid;	/* the highest added */
	bool out_of_order;	/* a docid added below it */
	uint16_t *len;		/* words in each docid's title; 0: none */
	unsigned ndocs;		/* len's size */
	unsigned ntitles;
	double avglen;
	struct term *words;	/* sorted by text, bytewise */
	size_t nwords;
	struct term *stems;	/* likewise */
	size_t nstems;
	struct posting *postings;
	size_t npostings, alloc_postings;
	bool sealed;
};

/* A document's standing in the completion stamped so. */
struct titles_acc {
	uint32_t stamp;
	uint32_t matched;	/* words of the query it holds so far */
	double score;
	double last;		/* the current word's weight in it */
};

/* A text to sort by, with what it stands for. */
struct keyed {
	const char *key;
	uint32_t a, b;
};

static int
cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	return (a->a > b->a) - (a->a < b->a);
}

static int
cmp_posting(const void *pa, const void *pb)
{
	const struct posting *a = pa, *b = pb;

	return (a->docid > b->docid) - (a->docid < b->docid);
}

/* ---- words ---- */

/*
 * s[0..*len) lower-cased: in place when it is ASCII, else into a copy by
 * Xapian's rules, left in *copy for the caller to free.
 */
static char *
lower_case(char *s, size_t *len, char **copy)
{
	bool ascii = true;
	size_t i;

	*copy = NULL;
	for (i = 0; i < *len; i++) {
		if ((unsigned char)s[i] >= 0x80)
			ascii = false;
		else if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	}
	if (ascii || xc_lowercase(s, *len, copy) != KB_OK)
		return s;
	*len = strlen(*copy);
	return *copy;
}

/*
 * "kb 503", typed so far, is the start of a code such as KB5034441, which
 * titles hold joined: remove the spaces between a code prefix and the
 * digits after it, in place (from one digit: the number may be partial).
 * Returns the new length.
 */
static size_t
join_code_digits(char *s, size_t len)
{
	size_t p = 0, start, end, num_end, digits;

	while (text_next_word(s, len, &p, &start, &end)) {
		num_end = text_spaced_code(s, len, start, end, 1);
		if (!num_end)
			continue;
		for (digits = end; s[digits] == ' '; digits++)
			;
		memmove(s + end, s + digits, len - digits);
		len -= digits - end;
		p = num_end - (digits - end);
	}
	return len;
}

static bool
is_arabic_word(const char *w, size_t len)
{
	size_t i = 0;

	return text_is_arabic_letter(utf8_next(w, len, &i));
}

/* The stem of w[0..len), or NULL (out of memory); the caller frees it. */
static char *
stem_of(struct titles_stemmers *st, const char *w, size_t len)
{
	xc_stemmer **one = is_arabic_word(w, len) ? &st->ar : &st->en;
	char *out = NULL;

	if (!*one)
		*one = xc_stemmer_new(one == &st->ar ? "arabic" : "english");
	if (*one && xc_stem(*one, w, len, &out) == KB_OK)
		return out;
	free(out);
	return NULL;
}

static void
stemmers_release(struct titles_stemmers *st)
{
	xc_stemmer_free(st->en);
	xc_stemmer_free(st->ar);
}

/* ---- building ---- */

struct titles *
titles_new(void)
{
	return calloc(1, sizeof(struct titles));
}

void
titles_free(struct titles *t)
{
	if (!t)
		return;
	free(t->strings);
	free(t->vocab);
	free(t->table);
	free(t->tokens);
	free(t->len);
	free(t->words);
	free(t->stems);
	free(t->postings);
	free(t);
}

/* Keep s[0..len) and a NUL; its offset, or false when full. */
static bool
add_string(struct titles *t, const char *s, size_t len, uint32_t *off)
{
	if (t->nstrings + len + 1 > STRINGS_MAX)
		return false;
	if (t->nstrings + len + 1 > t->alloc_strings) {
		t->alloc_strings = (t->nstrings + len + 1) * 2;
		if (t->alloc_strings > STRINGS_MAX)
			t->alloc_strings = STRINGS_MAX;
		t->strings = xrealloc(t->strings, t->alloc_strings);
	}
	memcpy(t->strings + t->nstrings, s, len);
	t->strings[t->nstrings + len] = '\0';
	*off = (uint32_t)t->nstrings;
	t->nstrings += len + 1;
	return true;
}

static void
add_posting(struct titles *t, uint32_t docid, uint32_t tf)
{
	if (t->npostings == t->alloc_postings) {
		t->alloc_postings = t->alloc_postings ? t->alloc_postings * 2 : 4096;
		t->postings = xrealloc(t->postings,
		    t->alloc_postings * sizeof(*t->postings));
	}
	t->postings[t->npostings].docid = docid;
	t->postings[t->npostings].tf = tf;
	t->npostings++;
}

static uint32_t
hash_word(const char *w, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	return h;
}

/* Put word number id, whose text is at strings + vocab[id], in the table. */
static void
table_put(struct titles *t, uint32_t id)
{
	const char *w = t->strings + t->vocab[id];
	size_t i = hash_word(w, strlen(w)) & (t->table_size - 1);

	while (t->table[i])
		i = (i + 1) & (t->table_size - 1);
	t->table[i] = id + 1;
}

/* The number of word w[0..len), added if new; false when full. */
static bool
intern_word(struct titles *t, const char *w, size_t len, uint32_t *id)
{
	size_t i, n;
	const char *s;
	uint32_t off;

	if ((t->nvocab + 1) * 2 > t->table_size) {
		free(t->table);
		t->table_size = t->table_size ? t->table_size * 2 : 16384;
		t->table = xcalloc(t->table_size, sizeof(*t->table));
		for (n = 0; n < t->nvocab; n++)
			table_put(t, (uint32_t)n);
	}
	for (i = hash_word(w, len) & (t->table_size - 1); t->table[i];
	    i = (i + 1) & (t->table_size - 1)) {
		s = t->strings + t->vocab[t->table[i] - 1];
		if (strncmp(s, w, len) == 0 && s[len] == '\0') {
			*id = t->table[i] - 1;
			return true;
		}
	}
	if (t->nvocab >= UINT32_MAX - 1 || !add_string(t, w, len, &off))
		return false;
	if (t->nvocab == t->alloc_vocab) {
		t->alloc_vocab = t->alloc_vocab ? t->alloc_vocab * 2 : 8192;
		t->vocab = xrealloc(t->vocab, t->alloc_vocab * sizeof(*t->vocab));
	}
	t->vocab[t->nvocab] = off;
	*id = (uint32_t)t->nvocab++;
	t->table[i] = *id + 1;
	return true;
}

void
titles_add(struct titles *t, unsigned docid, const char *title)
{
	struct buf norm;
	char *copy, *text;
	size_t len, p = 0, start, end, n = 0;
	uint32_t id;

	if (!t || t->sealed || !title || docid >= UINT32_MAX - 1)
		return;
	buf_init(&norm, 0);
	text_normalize(&norm, title, strlen(title));
	if (norm.err || !norm.len) {
		buf_release(&norm);
		return;
	}
	len = norm.len;
	text = lower_case(norm.data, &len, &copy);
	while (text_next_word(text, len, &p, &start, &end)) {
		if (!intern_word(t, text + start, end - start, &id))
			break;
		if (t->ntokens == t->alloc_tokens) {
			t->alloc_tokens = t->alloc_tokens ? t->alloc_tokens * 2 : 16384;
			t->tokens = xrealloc(t->tokens,
			    t->alloc_tokens * sizeof(*t->tokens));
		}
		t->tokens[t->ntokens].word = id;
		t->tokens[t->ntokens].docid = docid;
		t->ntokens++;
		n++;
	}
	if (n) {
		if (docid < t->last_docid)
			t->out_of_order = true;
		else
			t->last_docid = docid;
		if (docid >= t->ndocs) {
			size_t grown = (size_t)docid + 1 > (size_t)t->ndocs * 2 ?
			    (size_t)docid + 1 : (size_t)t->ndocs * 2;

			t->len = xrealloc(t->len, grown * sizeof(*t->len));
			memset(t->len + t->ndocs, 0,
			    (grown - t->ndocs) * sizeof(*t->len));
			t->ndocs = (unsigned)grown;
		}
		if (!t->len[docid])
			t->ntitles++;
		t->len[docid] = n > UINT16_MAX ? UINT16_MAX : (uint16_t)n;
	}
	free(copy);
	buf_release(&norm);
}

static int
cmp_docid(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return (a > b) - (a < b);
}

/*
 * The distinct words, sorted, each with its postings: the tokens counted
 * into word order (stable, so docids stay in the order added).
 */
static void
seal_words(struct titles *t)
{
	uint32_t *start = xcalloc(t->nvocab + 1, sizeof(*start));
	uint32_t *docids = xcalloc(t->ntokens ? t->ntokens : 1, sizeof(*docids));
	struct term *by_number = xcalloc(t->nvocab ? t->nvocab : 1,
	    sizeof(*by_number));
	struct keyed *k = xcalloc(t->nvocab ? t->nvocab : 1, sizeof(*k));
	size_t i, j, w;

	for (i = 0; i < t->ntokens; i++)
		start[t->tokens[i].word + 1]++;
	for (w = 0; w < t->nvocab; w++)
		start[w + 1] += start[w];
	for (i = 0; i < t->ntokens; i++)	/* start[w]: w's next slot */
		docids[start[t->tokens[i].word]++] = t->tokens[i].docid;
	for (w = 0, i = 0; w < t->nvocab; w++) {	/* now w's end */
		if (t->out_of_order)
			qsort(docids + i, start[w] - i, sizeof(*docids), cmp_docid);
		by_number[w].text = t->vocab[w];
		by_number[w].first = (uint32_t)t->npostings;
		for (; i < start[w]; i = j) {
			for (j = i; j < start[w] && docids[j] == docids[i]; j++)
				;
			add_posting(t, docids[i], (uint32_t)(j - i));
		}
		by_number[w].n = (uint32_t)(t->npostings - by_number[w].first);
		k[w].key = t->strings + t->vocab[w];
		k[w].a = (uint32_t)w;
	}
	qsort(k, t->nvocab, sizeof(*k), cmp_keyed);
	t->words = xcalloc(t->nvocab ? t->nvocab : 1, sizeof(*t->words));
	for (w = 0; w < t->nvocab; w++)
		t->words[w] = by_number[k[w].a];
	t->nwords = t->nvocab;
	free(k);
	free(by_number);
	free(docids);
	free(start);
}

/* The distinct stems of the words, each with the postings of its words. */
static void
seal_stems(struct titles *t)
{
	struct titles_stemmers st = { 0 };
	struct keyed *k = xcalloc(t->nwords ? t->nwords : 1, sizeof(*k));
	uint32_t *stem_at = xcalloc(t->nwords ? t->nwords : 1, sizeof(*stem_at));
	struct posting *merged = NULL;
	size_t i, j, m, nk = 0, alloc_merged = 0, nmerged;
	char *stem;
	const char *w;

	for (i = 0; i < t->nwords; i++) {
		w = t->strings + t->words[i].text;
		stem = stem_of(&st, w, strlen(w));
		if (stem && add_string(t, stem, strlen(stem), &stem_at[nk])) {
			k[nk].a = (uint32_t)i;
			nk++;
		}
		free(stem);
	}
	stemmers_release(&st);
	for (i = 0; i < nk; i++) {	/* strings has stopped moving */
		k[i].key = t->strings + stem_at[i];
		k[i].b = stem_at[i];
	}
	qsort(k, nk, sizeof(*k), cmp_keyed);
	t->stems = xcalloc(nk ? nk : 1, sizeof(*t->stems));
	for (i = 0; i < nk; i = j) {
		struct term *s = &t->stems[t->nstems++];

		for (j = i + 1; j < nk && strcmp(k[j].key, k[i].key) == 0; j++)
			;
		s->text = k[i].b;
		if (j == i + 1) {	/* one word: the same postings */
			s->first = t->words[k[i].a].first;
			s->n = t->words[k[i].a].n;
			continue;
		}
		nmerged = 0;
		for (m = i; m < j; m++) {
			const struct term *wt = &t->words[k[m].a];

			if (nmerged + wt->n > alloc_merged) {
				alloc_merged = (nmerged + wt->n) * 2;
				merged = xrealloc(merged, alloc_merged * sizeof(*merged));
			}
			memcpy(merged + nmerged, t->postings + wt->first,
			    wt->n * sizeof(*merged));
			nmerged += wt->n;
		}
		qsort(merged, nmerged, sizeof(*merged), cmp_posting);
		s->first = (uint32_t)t->npostings;
		for (m = 0; m < nmerged; m++) {
			if (m && merged[m].docid == merged[m - 1].docid)
				t->postings[t->npostings - 1].tf += merged[m].tf;
			else
				add_posting(t, merged[m].docid, merged[m].tf);
		}
		s->n = (uint32_t)(t->npostings - s->first);
	}
	free(merged);
	free(stem_at);
	free(k);
}

void
titles_seal(struct titles *t)
{
	uint64_t words = 0;
	unsigned d;

	if (!t || t->sealed)
		return;
	seal_words(t);
	seal_stems(t);
	free(t->tokens);
	free(t->vocab);
	free(t->table);
	t->tokens = NULL;
	t->vocab = t->table = NULL;
	t->ntokens = t->alloc_tokens = t->nvocab = t->alloc_vocab = 0;
	t->table_size = 0;
	for (d = 0; d < t->ndocs; d++)
		words += t->len[d];
	t->avglen = t->ntitles ? (double)words / t->ntitles : 1.0;
	t->sealed = true;
}

unsigned
titles_count(const struct titles *t)
{
	return t ? t->ntitles : 0;
}

/* ---- completing ---- */

void
titles_scratch_release(struct titles_scratch *sc)
{
	free(sc->acc);
	free(sc->touched);
	stemmers_release(&sc->stemmers);
	memset(sc, 0, sizeof(*sc));
}

/* First of the sorted terms whose text is not below key[0..len). */
static size_t
lower_bound(const struct titles *t, const struct term *terms, size_t n,
    const char *key, size_t len)
{
	size_t lo = 0, hi = n, mid;
	const char *s;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		s = t->strings + terms[mid].text;
		c = strncmp(s, key, len);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A word of the query, and the terms it matches. */
struct qword {
	const char *text;
	size_t len;
	bool stop;
	size_t stem;		/* index in stems, or SIZE_MAX */
	size_t lo, hi;		/* words[lo .. hi) start with it (partial) */
	uint64_t npostings;
	double idf;
};

static void
find_terms(const struct titles *t, struct titles_stemmers *st,
    struct qword *w, bool partial)
{
	char *stem = stem_of(st, w->text, w->len);
	size_t i, slen;

	w->stem = SIZE_MAX;
	w->lo = w->hi = 0;
	w->npostings = 0;
	if (stem) {
		slen = strlen(stem);
		i = lower_bound(t, t->stems, t->nstems, stem, slen);
		if (i < t->nstems && strcmp(t->strings + t->stems[i].text,
		    stem) == 0) {
			w->stem = i;
			w->npostings += t->stems[i].n;
		}
		free(stem);
	}
	if (partial) {
		w->lo = lower_bound(t, t->words, t->nwords, w->text, w->len);
		for (i = w->lo; i < t->nwords && strncmp(t->strings +
		    t->words[i].text, w->text, w->len) == 0; i++)
			w->npostings += t->words[i].n;
		w->hi = i;
	}
	/* as one term, as Xapian weighs a partial word's expansion */
	w->idf = log(1.0 + ((double)t->ntitles - (double)w->npostings + 0.5) /
	    ((double)w->npostings + 0.5));
	if (w->idf < 0.0)
		w->idf = 0.0;
}

/* Room in sc for t's documents, and a fresh stamp. */
static void
scratch_ready(const struct titles *t, struct titles_scratch *sc)
{
	if (sc->nacc < t->ndocs) {
		free(sc->acc);
		sc->acc = xcalloc(t->ndocs, sizeof(*sc->acc));
		sc->nacc = t->ndocs;
		sc->stamp = 0;
	}
	if (++sc->stamp == 0) {	/* wrapped: no stale stamp may match */
		memset(sc->acc, 0, sc->nacc * sizeof(*sc->acc));
		sc->stamp = 1;
	}
	sc->ntouched = 0;
}

/* Count the postings of one term for the i-th word of the query. */
static void
apply_term(const struct titles *t, struct titles_scratch *sc,
    const struct term *term, const struct qword *w, uint32_t i)
{
	const struct posting *p = t->postings + term->first;
	const struct posting *end = p + term->n;
	struct titles_acc *a;
	double tf, weight;

	for (; p < end; p++) {
		a = &sc->acc[p->docid];
		if (i > 0 && (a->stamp != sc->stamp || a->matched < i))
			continue;	/* misses an earlier word */
		tf = p->tf;
		weight = w->idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B +
		    B * t->len[p->docid] / t->avglen));
		if (a->stamp != sc->stamp) {	/* first word, first term */
			a->stamp = sc->stamp;
			a->matched = 1;
			a->score = a->last = weight;
			if (sc->ntouched == sc->alloc_touched) {
				sc->alloc_touched = sc->alloc_touched ?
				    sc->alloc_touched * 2 : 1024;
				sc->touched = xrealloc(sc->touched,
				    sc->alloc_touched * sizeof(*sc->touched));
			}
			sc->touched[sc->ntouched++] = p->docid;
		} else if (a->matched == i) {	/* this word, first term */
			a->matched = i + 1;
			a->score += weight;
			a->last = weight;
		} else if (weight > a->last) {	/* this word again: its best */
			a->score += weight - a->last;
			a->last = weight;
		}
	}
}

static int
cmp_qword_postings(const void *pa, const void *pb)
{
	const struct qword *a = pa, *b = pb;

	return (a->npostings > b->npostings) - (a->npostings < b->npostings);
}

/* Does document a rank before document b? */
static bool
ranks_before(const struct titles *t, const struct titles_scratch *sc,
    unsigned a, unsigned b)
{
	if (sc->acc[a].score != sc->acc[b].score)
		return sc->acc[a].score > sc->acc[b].score;
	if (t->len[a] != t->len[b])
		return t->len[a] < t->len[b];
	return a < b;
}

size_t
titles_complete(const struct titles *t, struct titles_scratch *sc,
    const char *q, unsigned *docids, size_t max)
{
	struct qword words[TITLES_QUERY_WORDS];
	struct buf norm;
	char *copy = NULL, *text;
	size_t len, p = 0, start, end = 0, n = 0, kept, i, j, found = 0;
	bool all_stop = true, partial;
	unsigned d;

	if (!t || !t->sealed || !q || !max || !t->ntitles)
		return 0;
	buf_init(&norm, 0);
	text_normalize(&norm, q, strlen(q));
	if (norm.err || !norm.len)
		goto out;
	len = norm.len;
	text = lower_case(norm.data, &len, &copy);
	len = join_code_digits(text, len);
	while (text_next_word(text, len, &p, &start, &end)) {
		if (n == TITLES_QUERY_WORDS)
			goto out;	/* no title is that long a match */
		words[n].text = text + start;
		words[n].len = end - start;
		words[n].stop = query_is_stopword(text + start, end - start);
		all_stop = all_stop && words[n].stop;
		n++;
	}
	if (!n)
		goto out;
	partial = end == len;	/* nothing after the last word yet */
	for (i = kept = 0; i < n; i++) {
		/* a partial word is kept: it may be the start of another */
		if (words[i].stop && !all_stop && !(partial && i == n - 1))
			continue;
		words[kept] = words[i];
		find_terms(t, &sc->stemmers, &words[kept],
		    partial && i == n - 1);
		if (!words[kept].npostings)
			goto out;
		kept++;
	}
	/* the rarest word first: only its titles are walked for the rest */
	qsort(words, kept, sizeof(*words), cmp_qword_postings);
	scratch_ready(t, sc);
	for (i = 0; i < kept; i++) {
		if (words[i].stem != SIZE_MAX)
			apply_term(t, sc, &t->stems[words[i].stem], &words[i],
			    (uint32_t)i);
		for (j = words[i].lo; j < words[i].hi; j++)
			apply_term(t, sc, &t->words[j], &words[i], (uint32_t)i);
	}
	for (i = 0; i < sc->ntouched; i++) {
		d = sc->touched[i];
		if (sc->acc[d].matched != kept)
			continue;
		if (found == max && !ranks_before(t, sc, d, docids[max - 1]))
			continue;
		j = found < max ? found++ : max - 1;
		for (; j > 0 && ranks_before(t, sc, d, docids[j - 1]); j--)
			docids[j] = docids[j - 1];
		docids[j] = d;
	}
out:
	free(copy);
	buf_release(&norm);
	return found;
}
