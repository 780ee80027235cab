/* Unit tests for common/: buf, html escaping, integer parsing, UTF-8. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "html.h"
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
