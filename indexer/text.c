/*
 * text.c - normalisation and script detection; see text.h.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "util.h"
#include "banned.h"

bool
text_is_arabic_letter(unsigned cp)
{
	return (cp >= 0x0621 && cp <= 0x064A) || (cp >= 0x066E && cp <= 0x06D3) ||
	    (cp >= 0x0750 && cp <= 0x077F) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
	    (cp >= 0xFE70 && cp <= 0xFEFC);
}

/* The normalised code point, or 0 to drop it. */
static uint32_t
fold(uint32_t cp)
{
	if ((cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || cp == 0x0640)
		return 0;	/* harakat, superscript alef, tatweel */
	if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x200E ||
	    cp == 0x200F || cp == 0xFEFF || cp == 0x00AD)
		return 0;	/* zero-width and soft-hyphen characters */
	switch (cp) {
	case 0x0622: case 0x0623: case 0x0625: case 0x0671:
		return 0x0627;	/* آ أ إ ٱ → ا */
	case 0x0649:
		return 0x064A;	/* ى → ي */
	case 0x0629:
		return 0x0647;	/* ة → ه */
	}
	if (cp >= 0x0660 && cp <= 0x0669)
		return '0' + (cp - 0x0660);	/* Arabic-Indic digits */
	if (cp >= 0x06F0 && cp <= 0x06F9)
		return '0' + (cp - 0x06F0);
	return cp;
}

void
text_normalize(struct buf *out, const char *s, size_t len)
{
	size_t i = 0, start;
	uint32_t cp, f;

	while (i < len) {
		/* Copy ASCII runs in one go: most text is ASCII. */
		start = i;
		while (i < len && (unsigned char)s[i] < 0x80)
			i++;
		buf_append(out, s + start, i - start);
		if (i >= len)
			break;
		cp = utf8_next(s, len, &i);
		f = fold(cp);
		if (f)
			utf8_put(out, f);
	}
}

/* Write cp as UTF-8 at out; the number of bytes. */
static size_t
put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
text_normalize_to(char *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n = 0;
	uint32_t cp, f;

	while (i < len) {
		if (s[i] < 0x80) {
			out[n++] = (char)s[i++];
			continue;
		}
		/* two-byte characters (Arabic) decoded here, as utf8_next() would */
		if (s[i] >= 0xC2 && s[i] <= 0xDF && i + 1 < len &&
		    (s[i + 1] & 0xC0) == 0x80) {
			cp = (uint32_t)(s[i] & 0x1F) << 6 | (s[i + 1] & 0x3F);
			if (cp >= 0x0621 && cp <= 0x064A && cp != 0x0622 &&
			    cp != 0x0623 && cp != 0x0625 && cp != 0x0629 &&
			    cp != 0x0640 && cp != 0x0649) {
				/* most Arabic letters: fold() keeps them as they are */
				out[n++] = (char)s[i];
				out[n++] = (char)s[i + 1];
				i += 2;
				continue;
			}
			i += 2;
		} else {
			cp = utf8_next(str, len, &i);
		}
		f = fold(cp);
		if (f)
			n += put_utf8(out + n, f);
	}
	return n;
}

const char *
text_detect_lang(const char *s, size_t len, double min_share)
{
	size_t i = 0, arabic = 0, letters = 0;
	uint32_t cp;

	while (i < len) {
		cp = utf8_next(s, len, &i);
		if (text_is_arabic_letter(cp)) {
			arabic++;
			letters++;
		} else if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') {
			letters++;
		} else if (cp >= 0xC0 && cp < 0x600) {
			letters++;
		}
	}
	if (arabic && (double)arabic >= min_share * (double)letters)
		return "ar";
	return "en";
}

/* Arabic letters in UTF-8 (all two bytes), as text_arabic_stem_form() uses them. */
#define AR_ALEF		"\xd8\xa7"
#define AR_LAM		"\xd9\x84"
#define AR_TEH		"\xd8\xaa"
#define AR_TEH_MARBUTA	"\xd8\xa9"
#define AR_HEH		"\xd9\x87"
#define AR_KAF		"\xd9\x83"
#define AR_MEEM		"\xd9\x85"
#define AR_NOON		"\xd9\x86"
#define AR_ARTICLE	AR_ALEF AR_LAM

static bool
has_prefix(const char *w, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && memcmp(w, p, n) == 0;
}

static bool
has_suffix(const char *w, size_t len, const char *s)
{
	size_t n = strlen(s);

	return len >= n && memcmp(w + len - n, s, n) == 0;
}

size_t
text_arabic_article(const char *w, size_t len, size_t min_rest)
{
	static const char *const articles[] = {
		AR_ARTICLE, "\xd9\x88" AR_ARTICLE, "\xd8\xa8" AR_ARTICLE,
		AR_KAF AR_ARTICLE, "\xd9\x81" AR_ARTICLE, AR_LAM AR_LAM,
	};

	for (size_t i = 0; i < sizeof(articles) / sizeof(articles[0]); i++) {
		size_t n = strlen(articles[i]);

		if (len >= n + min_rest && memcmp(w, articles[i], n) == 0)
			return n;
	}
	return 0;
}

/*
 * The length of w without its possessive suffix, if it has one: 3 letters
 * or more must remain, 4 before ك, which ends many nouns of 4 letters
 * (مالك, محرك) and, after alef, the verbal nouns like اشتراك.
 */
static size_t
without_possessive(const char *w, size_t len)
{
	static const char *const suffixes[] = {	/* كم هم ها نا */
		AR_KAF AR_MEEM, AR_HEH AR_MEEM, AR_HEH AR_ALEF, AR_NOON AR_ALEF,
	};

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		if (len >= 4 + 6 && has_suffix(w, len, suffixes[i]))
			return len - 4;
	}
	if (len >= 2 + 8 && has_suffix(w, len, AR_KAF) &&
	    !has_suffix(w, len - 2, AR_ALEF))
		return len - 2;
	return len;
}

size_t
text_arabic_stem_form(const char *w, size_t len, char *out)
{
	size_t n = 0, stem_len = len;
	bool possessive = false;

	/* Arabic letters are U+0600..U+06FF: lead bytes 0xD8..0xDB */
	bool arabic = len >= 6 && (unsigned char)w[0] >= 0xD8 &&
	    (unsigned char)w[0] <= 0xDB;

	size_t article = arabic ? text_arabic_article(w, len, 0) : 0;

	if (article && len - article >= 6 &&
	    has_prefix(w + article, len - article, AR_ARTICLE)) {
		/*
		 * الإلغاء, الإلكتروني: with إ and آ normalised to ا, an article
		 * before a word that starts إل or آل reads as two, and the
		 * stemmer keeps one. Without it, the word stems as it does bare.
		 */
		w += article;
		len -= article;
		stem_len = len;
	} else if (arabic && !article) {
		stem_len = without_possessive(w, len);
		possessive = stem_len < len;
		if (!possessive && len >= 8 && has_suffix(w, len, AR_ALEF))
			stem_len -= 2;	/* فورا: an adverb's alef */
		memcpy(out, AR_ARTICLE, 4);
		n = 4;
	}
	memcpy(out + n, w, stem_len);
	n += stem_len;
	/* before a suffix teh marbuta is written teh: مؤسستك, مؤسسة (not ملفاتك) */
	if ((possessive && has_suffix(out, n, AR_TEH) &&
	    !has_suffix(out, n - 2, AR_ALEF)) ||
	    (n > 4 && has_suffix(out, n, AR_HEH)))
		memcpy(out + n - 2, AR_TEH_MARBUTA, 2);
	return n;
}

const char *
text_stemmer_name(const char *lang)
{
	return lang && strcmp(lang, "ar") == 0 ? "arabic" : "english";
}

static inline bool
is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9') || cp == '_';
	if (cp < 0xC0 || (cp >= 0x2000 && cp <= 0x206F) ||
	    (cp >= 0x3000 && cp <= 0x303F) || cp == 0x060C || cp == 0x061B ||
	    cp == 0x061F || (cp >= 0x066A && cp <= 0x066D) || cp == 0xFFFD)
		return false;
	return true;
}

/*
 * Bytes by class: 0 not part of a word, 1 part of one (ASCII letters,
 * digits, '_'), 2 the lead of a multi-byte character, which
 * word_char_at() decides. The hot loop of snippets and re-ranking runs
 * through ASCII by this table alone.
 */
static const unsigned char byte_class[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['_'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	[0x80] = 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

/*
 * Is the character at s[i] (i < len) part of a word? *next gets the index
 * after it. ASCII goes by table and two-byte sequences (Arabic) are decoded
 * here, as utf8_next() would; the rest goes through utf8_next().
 */
static inline bool
word_char_at(const char *text, size_t len, size_t i, size_t *next)
{
	const unsigned char *s = (const unsigned char *)text;
	uint32_t cp;

	if (s[i] < 0x80) {
		*next = i + 1;
		return byte_class[s[i]] == 1;
	}
	if (s[i] >= 0xC2 && s[i] <= 0xDF && i + 1 < len &&
	    (s[i + 1] & 0xC0) == 0x80) {
		*next = i + 2;
		cp = (uint32_t)(s[i] & 0x1F) << 6 | (s[i + 1] & 0x3F);
		return is_word_cp(cp);
	}
	*next = i;
	cp = utf8_next(text, len, next);
	return is_word_cp(cp);
}

bool
text_next_word(const char *text, size_t len, size_t *p, size_t *start, size_t *end)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = *p, next;

	for (;;) {
		while (i < len && byte_class[s[i]] == 0)
			i++;
		if (i >= len) {
			*p = i;
			return false;
		}
		if (byte_class[s[i]] == 1 || word_char_at(text, len, i, &next))
			break;
		i = next;
	}
	*start = i;
	for (;;) {
		while (i < len && byte_class[s[i]] == 1)
			i++;
		if (i >= len || byte_class[s[i]] == 0 ||
		    !word_char_at(text, len, i, &next))
			break;
		i = next;
	}
	*p = i;
	*end = i;
	return true;
}

/* Prefixes of codes written both joined to their number and apart. */
static const char *const code_prefixes[] = { "kb", "aadsts", NULL };

/* Is w[0..n) one of code_prefixes, in any case? */
static bool
is_code_prefix(const char *w, size_t n)
{
	int k;

	for (k = 0; code_prefixes[k]; k++)
		if (strlen(code_prefixes[k]) == n &&
		    strncasecmp(w, code_prefixes[k], n) == 0)
			return true;
	return false;
}

/* The end of a run of min to 10 digits at s[i..len) standing alone, or 0. */
static size_t
code_number_end(const char *s, size_t len, size_t i, size_t min)
{
	size_t digits = 0;

	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (digits < min || digits > 10 ||
	    (i < len && byte_class[(unsigned char)s[i]] == 1))
		return 0;	/* not a number alone: "KB 12345abc" */
	return i;
}

size_t
text_spaced_code(const char *text, size_t len, size_t start, size_t end,
    size_t min_digits)
{
	size_t i;

	if (!is_code_prefix(text + start, end - start) || end >= len ||
	    text[end] != ' ')
		return 0;
	for (i = end; i < len && text[i] == ' '; i++)
		;
	return code_number_end(text, len, i, min_digits);
}

size_t
text_code_number(const char *w, size_t len)
{
	size_t n;

	for (n = 0; n < len && byte_class[(unsigned char)w[n]] == 1 &&
	    !(w[n] >= '0' && w[n] <= '9'); n++)
		;
	return n && is_code_prefix(w, n) && code_number_end(w, len, n, 4) == len ?
	    n : 0;
}

/* Is the word text[start..end) Arabic (its first letter is)? */
static bool
word_is_arabic(const char *text, size_t start, size_t end)
{
	size_t i = start;

	while (i < end) {
		uint32_t cp = utf8_next(text, end, &i);
		if (text_is_arabic_letter(cp))
			return true;
		if (cp >= 0x80 || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'))
			return false;
	}
	return false;
}

void
text_script_runs(const char *text, size_t len,
    void (*fn)(void *ctx, const char *run, size_t len, const char *lang),
    void *ctx)
{
	size_t p = 0, start, end, run_start = 0;
	int run_arabic = -1, a;

	while (text_next_word(text, len, &p, &start, &end)) {
		a = word_is_arabic(text, start, end);
		if (run_arabic >= 0 && a != run_arabic) {
			fn(ctx, text + run_start, start - run_start,
			    run_arabic ? "ar" : "en");
			run_start = start;
		}
		run_arabic = a;
	}
	if (run_arabic >= 0 && len > run_start)
		fn(ctx, text + run_start, len - run_start, run_arabic ? "ar" : "en");
}

