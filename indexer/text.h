/*
 * text.h - language-aware text normalisation shared by indexing and search.
 *
 * The same function runs on article text before indexing and on queries
 * before parsing, so both sides agree on the terms: Arabic diacritics and
 * tatweel are removed, alef forms, alef maqsura and teh marbuta unified,
 * Arabic-Indic digits turned into ASCII digits and zero-width characters
 * dropped. Latin text passes through unchanged (Xapian lowercases).
 */
#ifndef KB_TEXT_H
#define KB_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Append the normalised form of s[0..len) (UTF-8) to out. */
void text_normalize(struct buf *out, const char *s, size_t len);
/*
 * The same into out, which must have room for TEXT_NORMALIZED_MAX(len)
 * bytes (no NUL is added), returning the length written: for short
 * pieces such as one word, without a buffer's bookkeeping per character.
 */
#define TEXT_NORMALIZED_MAX(len) (3 * (len))	/* a bad byte becomes U+FFFD */
size_t text_normalize_to(char *out, const char *s, size_t len);

/* True if cp is an Arabic letter (after normalisation, or before). */
bool text_is_arabic_letter(unsigned cp);

/*
 * Which language's stemmer suits s[0..len): "ar" when Arabic letters are
 * at least min_share of all letters, else "en". Never NULL.
 */
const char *text_detect_lang(const char *s, size_t len, double min_share);

/*
 * Find the next word at or after *p in text[0..len) (letters, digits and
 * '_', as Xapian splits words): its byte range in *start and *end, with *p
 * moved past it. False when there is none.
 */
bool text_next_word(const char *text, size_t len, size_t *p, size_t *start,
    size_t *end);

/*
 * Split text[0..len) at the word boundaries where the script changes
 * between Arabic and anything else, calling fn for each run with "ar" or
 * "en" (the stemmer to use): Latin product names and error codes inside
 * Arabic text are stemmed as English, and Arabic words as Arabic.
 */
void text_script_runs(const char *text, size_t len,
    void (*fn)(void *ctx, const char *run, size_t len, const char *lang),
    void *ctx);

/*
 * A code typed both joined and apart, "KB5034441" and "KB 5034441": if the
 * word text[start..end) is such a prefix (KB, AADSTS; any case) followed,
 * after spaces only, by a number of min_digits to 10 digits, the end of
 * that number (else 0). The indexer and queries (4 digits) join the two,
 * so either spelling finds the other; search-as-you-type (1 digit) joins
 * a number still being typed.
 */
size_t text_spaced_code(const char *text, size_t len, size_t start,
    size_t end, size_t min_digits);

/*
 * If the word w[0..len) is such a code written joined ("KB4092733"), where
 * its number starts (2), else 0: articles also give the number alone
 * ("Original KB number: 4092733").
 */
size_t text_code_number(const char *w, size_t len);

/*
 * The bytes of the Arabic definite article that the (normalised) word
 * w[0..len) starts with: ال, alone or after و, ب, ك or ف, or لل (ل before
 * it); 0 if none, or if fewer than min_rest bytes would remain after it.
 */
size_t text_arabic_article(const char *w, size_t len, size_t min_rest);

/*
 * An Arabic word (normalised) as Snowball's Arabic stemmer reads it best,
 * into out, which needs room for TEXT_ARABIC_STEM_FORM_MAX(len) bytes (no
 * NUL is added); returns the length written. The stemmer does well on a
 * noun after the definite article and badly on the same noun bare: bare,
 * a leading ب, ف, و, ك or ل is cut as a preposition ("بريد" → "ريد") and
 * the plural "ات" only half ("ملفات" → "ملفا"), so "ملفات" never met
 * "الملفات". So a bare word of 3 letters or more is given the article,
 * after a possessive suffix (ك, كم, هم, ها, نا; "حسابك" is "الحساب") and
 * an adverb's final alef ("فورا" is "فوري") are taken off. A final heh is
 * read as teh marbuta, which normalisation folded into it. Words written
 * with the article, alone or after و, ب, ك, ف or ل, are left as they are,
 * but for the article before a word that starts with ال once إ and آ are
 * normalised (الإلغاء, الإلكتروني): that one is dropped, as the stemmer
 * would keep the word's own ال.
 */
#define TEXT_ARABIC_STEM_FORM_MAX(len) ((len) + 4)
size_t text_arabic_stem_form(const char *w, size_t len, char *out);

/* Xapian's stemmer name for a language code ("en" → "english"). */
const char *text_stemmer_name(const char *lang);

#ifdef __cplusplus
}
#endif
#endif
