/*
 * spelling.c - query spelling correction, remembered per reader; see
 * spelling.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "search.h"
#include "spelling.h"
#include "text.h"
#include "util.h"
#include "banned.h"

static size_t
slot_of(const char *w)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *w; w++)
		h = (h ^ (unsigned char)*w) * 16777619u;
	return h % SPELLING_REMEMBERED;
}

/*
 * The correction of lower-cased word w, or NULL to leave it: a word db has
 * is left alone; for one it has not, the answer is remembered, or asked
 * of db (which may have no better word) and remembered. The string
 * belongs to sp.
 */
static const char *
correction_of(struct spelling *sp, xc_rdb *db, const char *w)
{
	size_t k = slot_of(w);
	unsigned freq;
	char *sugg = NULL;

	if (sp->seen[k].word && strcmp(sp->seen[k].word, w) == 0)
		return sp->seen[k].correction;
	/* a word the index has is cheap to look up: only unknown ones are kept */
	if (xc_rdb_termfreq(db, w, &freq) != KB_OK || freq)
		return NULL;
	if (xc_rdb_spelling(db, w, 2, &sugg) != KB_OK || !*sugg ||
	    strcmp(sugg, w) == 0) {
		free(sugg);	/* nothing better than the word itself */
		sugg = NULL;
	}
	free(sp->seen[k].word);
	free(sp->seen[k].correction);
	sp->seen[k].word = xstrdup(w);
	sp->seen[k].correction = sugg;
	return sugg;
}

enum correction
spelling_correct(struct spelling *sp, xc_rdb *db, const struct synonyms *syn,
    bool (*is_stopword)(const char *w, size_t len), const char *q, char **out)
{
	enum correction kind = CORRECTION_NONE;
	size_t p = 0, start, end, done = 0, len = strlen(q), i;
	struct buf b, word;
	const char *sugg;
	bool quoted = false, skip;

	*out = NULL;
	buf_init(&b, SEARCH_QUERY_MAX * 4);
	buf_init(&word, SEARCH_QUERY_MAX);
	while (text_next_word(q, len, &p, &start, &end)) {
		for (i = done; i < start; i++)
			quoted ^= q[i] == '"';
		skip = quoted || end - start < 4 || (end < len && q[end] == ':') ||
		    (start > 0 && q[start - 1] == ':') ||
		    is_stopword(q + start, end - start) ||
		    synonyms_has_word(syn, q + start, end - start);
		for (i = start; i < end && !skip; i++)
			skip = q[i] >= '0' && q[i] <= '9';
		buf_append(&b, q + done, start - done);
		done = end;
		buf_reset(&word);
		for (i = start; i < end; i++)
			buf_putc(&word, (char)(q[i] >= 'A' && q[i] <= 'Z' ? q[i] + 32 : q[i]));
		sugg = !skip && !word.err ? correction_of(sp, db, buf_str(&word)) :
		    NULL;
		if (sugg) {
			buf_puts(&b, sugg);
			if (strcmp(text_detect_lang(sugg, strlen(sugg), 0.5), "ar") == 0)
				kind = CORRECTION_OFFER;
			else if (kind == CORRECTION_NONE)
				kind = CORRECTION_RUN;
		} else {
			buf_append(&b, q + start, end - start);
		}
	}
	buf_puts(&b, q + done);
	if (kind != CORRECTION_NONE && !b.err)
		*out = buf_detach(&b, NULL);
	if (!*out)
		kind = CORRECTION_NONE;
	buf_release(&b);
	buf_release(&word);
	return kind;
}

void
spelling_forget(struct spelling *sp)
{
	size_t k;

	for (k = 0; k < SPELLING_REMEMBERED; k++) {
		free(sp->seen[k].word);
		free(sp->seen[k].correction);
		sp->seen[k].word = NULL;
		sp->seen[k].correction = NULL;
	}
}
