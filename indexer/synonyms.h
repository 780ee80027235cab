/*
 * synonyms.h - the synonym groups L2/L3 keep in articles/synonyms.txt
 * (mfa, 2fa, two factor, …): read from the file by the indexer, which
 * stores them in the index metadata, and used from there at query time: a
 * query that contains any alternative of a group is widened with the whole
 * group.
 */
#ifndef KB_SYNONYMS_H
#define KB_SYNONYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct synonyms;

/*
 * Read a synonyms file (one group per line, alternatives separated by
 * commas, '#' starts a comment) and append its stored form to out:
 * normalised (text.h), lower-cased, hyphens as spaces, groups separated by
 * '\n' and alternatives by '\t'. A missing file is an empty set; an
 * unreadable one, or a group of one, is reported as path:line on report
 * (may be NULL) and left out. Fails only for out of memory.
 */
int synonyms_read(const char *path, FILE *report, struct buf *out,
    unsigned *groups);

/*
 * Append the alternatives of the stored form that are more than one word
 * ("windows update"), sorted, each once, separated by '\n'.
 */
void synonyms_phrases(const char *stored, struct buf *out);

/*
 * Parse the stored form: groups separated by '\n', alternatives by '\t',
 * each alternative lower-case normalised words separated by single spaces.
 * Never fails (bad lines are skipped); free with synonyms_free().
 */
struct synonyms *synonyms_parse(const char *stored);
void synonyms_free(struct synonyms *s);
size_t synonyms_count(const struct synonyms *s);

/*
 * True if word (normalised, lower-case) is a word of some alternative.
 * Arabic words are compared without the definite article (ال, وال, بال,
 * لل…), here and in synonyms_expand().
 */
bool synonyms_has_word(const struct synonyms *s, const char *word, size_t len);

/*
 * For each group with an alternative that occurs in query (normalised,
 * matched word by word, case-insensitively, Arabic words with or without
 * their article), call fn with the group's
 * alternatives separated by '\n' (at most max groups).
 */
void synonyms_expand(const struct synonyms *s, const char *query, size_t max,
    void (*fn)(void *ctx, const char *alternatives), void *ctx);

#ifdef __cplusplus
}
#endif
#endif
