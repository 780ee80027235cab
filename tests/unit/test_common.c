/* Unit tests for common/: buf, html escaping, integer parsing, UTF-8. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "html.h"
#include "json_out.h"
#include "util.h"

Test(buf, appends_and_detaches)
{
	struct buf b;
	size_t len;
	char *s;

	buf_init(&b, 0);
	buf_puts(&b, "abc");
	buf_printf(&b, "-%d-", 42);
	buf_putc(&b, 'z');
	cr_assert_str_eq(buf_str(&b), "abc-42-z");
	s = buf_detach(&b, &len);
	cr_assert_str_eq(s, "abc-42-z");
	cr_assert_eq(len, 8);
	cr_assert_eq(b.len, 0);
	free(s);
}

Test(buf, cap_is_sticky)
{
	struct buf b;

	buf_init(&b, 5);
	buf_puts(&b, "1234");
	cr_assert_eq(b.err, KB_OK);
	buf_puts(&b, "56");
	cr_assert_eq(b.err, KB_ETOOBIG);
	buf_puts(&b, "7");
	cr_assert_str_eq(buf_str(&b), "1234", "appends after an error are dropped");
	cr_assert_null(buf_detach(&b, NULL));
	buf_release(&b);
}

Test(buf, printf_fills_room_then_grows)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_printf(&b, "%s", "");
	cr_assert_str_eq(buf_str(&b), "");
	for (i = 0; i < 200; i++)	/* each fits, or is cut off and grown */
		buf_printf(&b, "<%zu:%s>", i, "abcdefghij");
	cr_assert_eq(b.len, strlen(buf_str(&b)));
	cr_assert(strncmp(buf_str(&b), "<0:abcdefghij><1:abcdefghij>", 28) == 0);
	cr_assert(strstr(buf_str(&b), "<199:abcdefghij>") != NULL);
	buf_release(&b);

	buf_init(&b, 10);
	buf_puts(&b, "12345");
	buf_printf(&b, "%s", "abcdef");	/* one too many: refused whole */
	cr_assert_eq(b.err, KB_ETOOBIG);
	cr_assert_str_eq(buf_str(&b), "12345");
	buf_release(&b);

	buf_init(&b, 3);
	buf_putc(&b, 'a');
	buf_putc(&b, 'b');
	buf_putc(&b, 'c');
	cr_assert_eq(b.err, KB_OK);
	buf_putc(&b, 'd');
	cr_assert_eq(b.err, KB_ETOOBIG);
	cr_assert_str_eq(buf_str(&b), "abc");
	buf_release(&b);
}

Test(buf, empty_detach_is_empty_string)
{
	struct buf b;
	char *s;

	buf_init(&b, 0);
	s = buf_detach(&b, NULL);
	cr_assert_str_eq(s, "");
	free(s);
}

Test(html, escapes_every_special_character)
{
	struct buf b;
	const char *in = "<script>alert('x\"y')</script> & more";

	buf_init(&b, 0);
	html_escape_buf(&b, in, strlen(in));
	cr_assert_str_eq(buf_str(&b),
	    "&lt;script&gt;alert(&#39;x&quot;y&#39;)&lt;/script&gt; &amp; more");
	buf_release(&b);
}

Test(html, url_encodes_parts)
{
	struct buf b;

	buf_init(&b, 0);
	url_encode_buf(&b, "a b/c?d=é", strlen("a b/c?d=é"), 0);
	cr_assert_str_eq(buf_str(&b), "a%20b%2Fc%3Fd%3D%C3%A9");
	buf_reset(&b);
	url_encode_buf(&b, "ar/password-reset", 17, 1);
	cr_assert_str_eq(buf_str(&b), "ar/password-reset");
	buf_release(&b);
}

/* Long input, plain and escaped bytes mixed, across the blocks it is written in. */
Test(html, url_encodes_long_input)
{
	static const char hex[] = "0123456789ABCDEF";
	char in[1000], want[3001];
	struct buf b;
	size_t i, n = 0;

	for (i = 0; i < sizeof(in); i++) {
		in[i] = (char)(i % 7 == 0 ? 'a' + i % 26 : 0x80 + i % 100);
		if (i % 7 == 0) {
			want[n++] = in[i];
		} else {
			want[n++] = '%';
			want[n++] = hex[(unsigned char)in[i] >> 4];
			want[n++] = hex[(unsigned char)in[i] & 15];
		}
	}
	want[n] = '\0';
	buf_init(&b, 0);
	url_encode_buf(&b, in, sizeof(in), 0);
	cr_assert_eq(b.len, n);
	cr_assert_str_eq(buf_str(&b), want);
	buf_release(&b);
}

Test(util, strtol_range)
{
	long v;

	cr_assert_eq(kb_strtol_range("12", 1, 50, &v), KB_OK);
	cr_assert_eq(v, 12);
	cr_assert_eq(kb_strtol_range("0", 1, 50, &v), KB_EINVAL);
	cr_assert_eq(kb_strtol_range("51", 1, 50, &v), KB_EINVAL);
	cr_assert_eq(kb_strtol_range("3x", 1, 50, &v), KB_EINVAL);
	cr_assert_eq(kb_strtol_range("", 1, 50, &v), KB_EINVAL);
	cr_assert_eq(kb_strtol_range("99999999999999999999", 1, 50, &v), KB_EINVAL);
}

Test(util, utf8_validation)
{
	cr_assert(utf8_valid("plain", 5));
	cr_assert(utf8_valid("كلمة", strlen("كلمة")));
	cr_assert_not(utf8_valid("\xff", 1));
	cr_assert_not(utf8_valid("\xc0\xaf", 2), "overlong /");
	cr_assert_not(utf8_valid("\xed\xa0\x80", 3), "surrogate");
	cr_assert_not(utf8_valid("\xe2\x82", 2), "truncated");
}

Test(html, url_decode)
{
	struct buf b;

	buf_init(&b, 0);
	cr_assert(url_decode_buf(&b, "a+b%20c%C3%A9", 13));
	cr_assert_str_eq(buf_str(&b), "a b cé");
	buf_reset(&b);
	cr_assert_not(url_decode_buf(&b, "bad%2", 5), "truncated escape");
	buf_reset(&b);
	cr_assert_not(url_decode_buf(&b, "%zz", 3), "not hex");
	buf_release(&b);
}

/* json_out() writes what json_dumps(JSON_COMPACT) writes, byte for byte. */
static void
expect_same_json(json_t *v)
{
	struct buf b;
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	buf_init(&b, 0);
	json_out(&b, v);
	cr_assert_not_null(want);
	cr_expect_str_eq(buf_str(&b), want);
	free(want);
	buf_release(&b);
	json_decref(v);
}

Test(json_out, writes_what_jansson_writes)
{
	static const double reals[] = { 0.0, -0.0, 1.0, 1.5333333333333334,
		-2.5, 1e20, 1e-5, 123456789012345678.0, 1e300, 5e-324, 0.1,
		1.0 / 3.0, 100.0, 1e17, 1.25e-10 };
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		expect_same_json(json_real(reals[i]));
		json_array_append_new(a, json_real(reals[i]));
	}
	expect_same_json(a);
	expect_same_json(json_pack("[I, I, I, I, I, I]", (json_int_t)0,
	    (json_int_t)7, (json_int_t)-1, (json_int_t)1234567890123,
	    (json_int_t)INT64_MAX, (json_int_t)INT64_MIN));
	expect_same_json(json_pack("{s:s, s:s, s:I, s:I, s:b, s:b, s:n, s:[], s:{}}",
	    "quote \" and \\ back", "tab\there\nnew \r\b\f \x01\x1f\x7f end",
	    "عربي ✓ 𝄞", "ltr / slash </script>", "int", (json_int_t)-42,
	    "big", (json_int_t)9007199254740993LL, "t", 1, "f", 0, "null",
	    "empty array", "empty object"));
	expect_same_json(json_pack("[s, {s:[i, f, {s:s}]}, []]", "",
	    "k\"ey", 1, 2.5, "nested", "x"));
	expect_same_json(json_string("plain"));
}

/* The writer gives, value by value, the bytes json_out() gives for a tree. */
Test(json_out, the_writer_writes_what_json_out_writes)
{
	json_t *tree = json_pack("{s:s, s:I, s:f, s:b, s:n, s:[], s:{}, "
	    "s:[[i, i], [], {s:s}], s:{s:{s:[s]}}}", "q", "tab\t \"quoted\" عربي",
	    "total", (json_int_t)-9007199254740993LL, "score", 1.5333333333333334,
	    "plain_fallback", 0, "corrected", "results", "facets",
	    "pairs", 3, 4, "k", "v", "deep", "a", "b", "end");
	struct json_writer w;
	struct buf want, got;
	int depth;

	buf_init(&want, 0);
	buf_init(&got, 0);
	json_out(&want, tree);
	jw_init(&w, &got);
	jw_begin_object(&w);
	jw_key(&w, "q");
	jw_string(&w, "tab\t \"quoted\" عربي", strlen("tab\t \"quoted\" عربي"));
	jw_key(&w, "total");
	jw_integer(&w, -9007199254740993LL);
	jw_key(&w, "score");
	jw_real(&w, 1.5333333333333334);
	jw_key(&w, "plain_fallback");
	jw_bool(&w, false);
	jw_key(&w, "corrected");
	jw_null(&w);
	jw_key(&w, "results");
	jw_begin_array(&w);
	jw_end_array(&w);
	jw_key(&w, "facets");
	jw_begin_object(&w);
	jw_end_object(&w);
	jw_key(&w, "pairs");
	jw_begin_array(&w);
	jw_value(&w, json_array_get(json_object_get(tree, "pairs"), 0));
	jw_begin_array(&w);
	jw_end_array(&w);
	jw_begin_object(&w);
	jw_key(&w, "k");
	jw_string(&w, "v", 1);
	jw_end_object(&w);
	jw_end_array(&w);
	jw_key(&w, "deep");
	jw_value(&w, json_object_get(tree, "deep"));
	jw_end_object(&w);
	cr_assert_eq(got.err, 0);
	cr_expect_str_eq(buf_str(&got), buf_str(&want));
	/* too deep: the buf's error, not a write past the stack */
	buf_reset(&got);
	jw_init(&w, &got);
	for (depth = 0; depth < JW_DEPTH_MAX + 2; depth++)
		jw_begin_array(&w);
	cr_assert_neq(got.err, 0);
	buf_release(&want);
	buf_release(&got);
	json_decref(tree);
}

/* Fixed decimals: rounded, trailing zeros dropped but one, the sign kept. */
Test(json_out, fixed_decimals)
{
	static const struct {
		double d;
		unsigned places;
		const char *want;
	} cases[] = {
		{ 1.5333333333333334, 6, "1.533333" },
		{ 2.0, 6, "2.0" },
		{ 0.1, 6, "0.1" },
		{ 0.0000004, 6, "0.0" },
		{ 0.0000005, 6, "0.000001" },
		{ 1.9999996, 6, "2.0" },
		{ -0.25, 6, "-0.25" },
		{ -0.0000001, 6, "0.0" },
		{ 123456.5, 0, "123457.0" },
		{ 0.123456789, 9, "0.123456789" },
		{ 3.5, 12, "3.5" },
		{ 2e9, 6, "2000000000.0" },	/* past 1e9: as jw_real() */
	};
	struct json_writer w;
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		jw_init(&w, &b);
		jw_fixed(&w, cases[i].d, cases[i].places);
		cr_expect_str_eq(buf_str(&b), cases[i].want, "%.17g to %u places",
		    cases[i].d, cases[i].places);
	}
	/* in an array, with the commas of any value */
	buf_reset(&b);
	jw_init(&w, &b);
	jw_begin_array(&w);
	jw_fixed(&w, 1.25, 6);
	jw_fixed(&w, 7, 6);
	jw_end_array(&w);
	cr_expect_str_eq(buf_str(&b), "[1.25,7.0]");
	buf_release(&b);
}
