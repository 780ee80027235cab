/*
 * fuzz_url.c - libFuzzer harness for the byte-level helpers that see
 * untrusted text first: UTF-8 decoding (common/util.c), URL encoding and
 * HTML escaping (common/html.c), normalisation, word splitting and script
 * runs (indexer/text.c), and synonym parsing and expansion
 * (indexer/synonyms.c). Besides the sanitizers it checks what callers rely
 * on: decoding always advances, valid text round-trips, encoded and
 * escaped output holds only safe bytes, and word and run ranges stay
 * inside the input. Built and run by `make fuzz`.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "synonyms.h"
#include "text.h"
#include "util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_utf8(const char *s, size_t len)
{
	struct buf re;
	size_t i = 0, at;
	uint32_t cp;
	bool valid = utf8_valid(s, len);

	buf_init(&re, 0);
	while (i < len) {
		at = i;
		cp = utf8_next(s, len, &i);
		if (i <= at || i > len || i - at > 4 || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			abort();
		utf8_put(&re, cp);
	}
	/* valid input decodes and re-encodes to itself */
	if (valid && (re.err || re.len != len || memcmp(buf_str(&re), s, len) != 0))
		abort();
	/* whatever utf8_next produced is valid */
	if (!re.err && !utf8_valid(buf_str(&re), re.len))
		abort();
	buf_release(&re);
}

static bool
is_unreserved(char c, bool slash)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~' || (slash && c == '/');
}

static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

static void
check_url_encode(const char *s, size_t len, bool slash)
{
	struct buf out;
	size_t i, n = 0;
	const char *o;

	buf_init(&out, 0);
	url_encode_buf(&out, s, len, slash);
	if (out.err)
		abort();
	o = buf_str(&out);
	for (i = 0; i < out.len; i++, n++) {
		if (o[i] == '%') {
			if (i + 2 >= out.len || !is_hex(o[i + 1]) ||
			    !is_hex(o[i + 2]))
				abort();
			i += 2;
		} else if (!is_unreserved(o[i], slash)) {
			abort();
		}
	}
	if (n != len)
		abort();	/* one unit of output per input byte */
	buf_release(&out);
}

static void
check_html_escape(const char *s, size_t len)
{
	struct buf out;
	size_t i;
	const char *o;

	buf_init(&out, 0);
	html_escape_buf(&out, s, len);
	if (out.err || out.len < len)
		abort();
	o = buf_str(&out);
	for (i = 0; i < out.len; i++)
		if (o[i] == '<' || o[i] == '>' || o[i] == '"' || o[i] == '\'')
			abort();
	buf_release(&out);
}

struct runs {
	const char *text;
	size_t len;
	const char *last_end;	/* runs come in order, without overlap */
};

static void
on_run(void *ctx, const char *run, size_t len, const char *lang)
{
	struct runs *r = ctx;

	if (run < r->last_end || run + len > r->text + r->len || !len)
		abort();
	if (strcmp(lang, "ar") != 0 && strcmp(lang, "en") != 0)
		abort();
	r->last_end = run + len;
}

static void
check_text(const char *s, size_t len)
{
	struct buf norm;
	struct runs r = { s, len, s };
	size_t p = 0, start, end, last = 0;
	const char *lang;

	buf_init(&norm, 0);
	text_normalize(&norm, s, len);
	if (norm.err)
		abort();
	/* normalised valid text is still valid */
	if (utf8_valid(s, len) && !utf8_valid(buf_str(&norm), norm.len))
		abort();
	buf_release(&norm);

	while (text_next_word(s, len, &p, &start, &end)) {
		if (start < last || start >= end || end > len || p != end)
			abort();
		last = end;
	}
	text_script_runs(s, len, on_run, &r);
	lang = text_detect_lang(s, len, 0.3);
	if (strcmp(lang, "ar") != 0 && strcmp(lang, "en") != 0)
		abort();
}

static void
on_expansion(void *ctx, const char *alternatives)
{
	size_t *n = ctx;

	if (!alternatives || !*alternatives)
		abort();
	(*n)++;
}

static void
check_synonyms(const char *s, size_t len)
{
	struct synonyms *syn = synonyms_parse(s);
	struct buf norm;
	size_t n = 0, p = 0, start, end;

	buf_init(&norm, 0);
	text_normalize(&norm, s, len);
	synonyms_expand(syn, buf_str(&norm), 8, on_expansion, &n);
	if (n > 8 || n > synonyms_count(syn))
		abort();
	/* every word of the input against the groups */
	while (text_next_word(s, len, &p, &start, &end))
		synonyms_has_word(syn, s + start, end - start);
	buf_release(&norm);
	synonyms_free(syn);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a private copy without a terminator, so over-reads are caught */
	char *s = xmalloc(size ? size : 1);
	char *z = xmalloc(size + 1);

	memcpy(s, data, size);
	memcpy(z, data, size);
	z[size] = '\0';

	check_utf8(s, size);
	check_url_encode(s, size, false);
	check_url_encode(s, size, true);
	check_html_escape(s, size);
	check_text(s, size);
	check_synonyms(z, strlen(z));

	free(s);
	free(z);
	return 0;
}
