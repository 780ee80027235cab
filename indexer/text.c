/*
 * text.c - normalisation and script detection; see text.h.
 */
#include <stdint.h>
#include <string.h>

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

const char *
text_stemmer_name(const char *lang)
{
	return lang && strcmp(lang, "ar") == 0 ? "arabic" : "english";
}
