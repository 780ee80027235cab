/*
 * spelling.h - correcting the words of a query that the index has never
 * seen, from its spelling dictionary (titles, tags and FAQ questions:
 * index.c), and remembering the answers: Xapian's suggestion costs more
 * than the rest of a short search, and agents type the same misspellings
 * again and again.
 *
 * A struct spelling belongs to one reader (one thread) and to the index
 * revision it reads: spelling_forget() when the reader moves to another.
 * It owns its remembered words; spelling_forget() frees them.
 */
#ifndef KB_SPELLING_H
#define KB_SPELLING_H

#include <stdbool.h>
#include <stddef.h>

#include "synonyms.h"
#include "xapian_c.h"

#define SPELLING_REMEMBERED 256	/* unknown words remembered per reader */

struct spelling {
	struct {
		char *word;
		char *correction;	/* NULL: leave the word as it is */
	} seen[SPELLING_REMEMBERED];
};

enum correction { CORRECTION_NONE, CORRECTION_OFFER, CORRECTION_RUN };

/*
 * Correct the words of normalised query q that db has never seen. Left
 * alone: quoted phrases, field values, stopwords, short words, words with
 * a digit (an error code is never "corrected" into another one) and words
 * of syn's groups (a product nickname is not a typo). A correction that
 * touches an Arabic word is only offered (CORRECTION_OFFER): with Arabic
 * morphology a valid form may simply not be indexed; others are to be run
 * (CORRECTION_RUN). *out gets the corrected query (malloc'd) unless the
 * kind is CORRECTION_NONE.
 */
enum correction spelling_correct(struct spelling *sp, xc_rdb *db,
    const struct synonyms *syn, bool (*is_stopword)(const char *w, size_t len),
    const char *q, char **out);

/*
 * Forget, and free, what was remembered: when the reader moves to another
 * revision, and when it closes.
 */
void spelling_forget(struct spelling *sp);

#endif
