/*
 * json_out.c - compact JSON onto a buf; see json_out.h.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "json_out.h"
#include "banned.h"

static void
out_string(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[6] = { '\\', 'u', '0', '0', 0, 0 };
	size_t i, run = 0;
	unsigned char c;

	buf_putc(b, '"');
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': buf_append(b, "\\\"", 2); break;
		case '\\': buf_append(b, "\\\\", 2); break;
		case '\b': buf_append(b, "\\b", 2); break;
		case '\f': buf_append(b, "\\f", 2); break;
		case '\n': buf_append(b, "\\n", 2); break;
		case '\r': buf_append(b, "\\r", 2); break;
		case '\t': buf_append(b, "\\t", 2); break;
		default:
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			buf_append(b, esc, sizeof(esc));
		}
	}
	buf_append(b, s + run, len - run);
	buf_putc(b, '"');
}

/*
 * As jansson's jsonp_dtostr(): %.17g; ".0" when that reads as an integer;
 * no '+' nor leading zeros in the exponent.
 */
static void
out_real(struct buf *b, double d)
{
	char s[64], *start, *end, *p;
	int n = snprintf(s, sizeof(s), "%.17g", d);

	if (n < 0 || (size_t)n >= sizeof(s) - 2)
		return;
	for (p = s; *p; p++)
		if (*p == ',')
			*p = '.';	/* a locale's decimal comma */
	if (!strchr(s, '.') && !strchr(s, 'e'))
		memcpy(s + n, ".0", 3);
	start = strchr(s, 'e');
	if (start) {
		start++;
		end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start)
			memmove(start, end, strlen(end) + 1);
	}
	buf_puts(b, s);
}

/* As "%" JSON_INTEGER_FORMAT, without printf's parsing for each number. */
static void
out_integer(struct buf *b, json_int_t v)
{
	char s[24], *p = s + sizeof(s);	/* 20 digits and a sign at most */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		*--p = '-';
	buf_append(b, p, (size_t)(s + sizeof(s) - p));
}

void
json_out(struct buf *b, const json_t *v)
{
	const char *key;
	json_t *item;
	size_t i, n;
	bool first = true;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		buf_putc(b, '{');
		json_object_foreach((json_t *)v, key, item) {
			if (!first)
				buf_putc(b, ',');
			first = false;
			out_string(b, key, strlen(key));
			buf_putc(b, ':');
			json_out(b, item);
		}
		buf_putc(b, '}');
		break;
	case JSON_ARRAY:
		buf_putc(b, '[');
		n = json_array_size(v);
		for (i = 0; i < n; i++) {
			if (i)
				buf_putc(b, ',');
			json_out(b, json_array_get(v, i));
		}
		buf_putc(b, ']');
		break;
	case JSON_STRING:
		out_string(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		out_integer(b, json_integer_value(v));
		break;
	case JSON_REAL:
		out_real(b, json_real_value(v));
		break;
	case JSON_TRUE:
		buf_append(b, "true", 4);
		break;
	case JSON_FALSE:
		buf_append(b, "false", 5);
		break;
	case JSON_NULL:
		buf_append(b, "null", 4);
		break;
	}
}

char *
json_out_dup(const json_t *v)
{
	struct buf b;
	char *s;

	buf_init(&b, 0);
	json_out(&b, v);
	s = b.err ? NULL : buf_detach(&b, NULL);
	buf_release(&b);
	return s;
}

/* ---- value by value ---- */

void
jw_init(struct json_writer *w, struct buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
}

/* Before any value: the comma after the container's previous item. */
static void
item(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth && (w->started & (1u << w->depth)))
		buf_putc(w->b, ',');
	w->started |= 1u << w->depth;
}

static void
begin(struct json_writer *w, char open)
{
	item(w);
	if (w->depth + 1 >= JW_DEPTH_MAX) {
		if (!w->b->err)
			w->b->err = KB_ETOOBIG;
		return;
	}
	buf_putc(w->b, open);
	w->depth++;
	w->started &= ~(1u << w->depth);
}

static void
end(struct json_writer *w, char close)
{
	if (!w->depth)
		return;
	buf_putc(w->b, close);
	w->depth--;
}

void
jw_begin_object(struct json_writer *w)
{
	begin(w, '{');
}

void
jw_end_object(struct json_writer *w)
{
	end(w, '}');
}

void
jw_begin_array(struct json_writer *w)
{
	begin(w, '[');
}

void
jw_end_array(struct json_writer *w)
{
	end(w, ']');
}

void
jw_key(struct json_writer *w, const char *key)
{
	item(w);
	out_string(w->b, key, strlen(key));
	buf_putc(w->b, ':');
	w->after_key = true;
}

void
jw_string(struct json_writer *w, const char *s, size_t len)
{
	item(w);
	out_string(w->b, s, len);
}

void
jw_integer(struct json_writer *w, json_int_t v)
{
	item(w);
	out_integer(w->b, v);
}

void
jw_real(struct json_writer *w, double d)
{
	item(w);
	out_real(w->b, d);
}

void
jw_fixed(struct json_writer *w, double d, unsigned places)
{
	static const unsigned long long tens[] = { 1, 10, 100, 1000, 10000,
		100000, 1000000, 10000000, 100000000, 1000000000 };
	char s[32], *p = s + sizeof(s);	/* 10 + 1 + 9 digits and a sign */
	unsigned long long u, whole, frac;
	unsigned i;
	bool trailing = true;

	if (places > 9)
		places = 9;
	if (!isfinite(d) || fabs(d) >= 1e9) {
		jw_real(w, d);
		return;
	}
	item(w);
	u = (unsigned long long)llround(fabs(d) * (double)tens[places]);
	whole = u / tens[places];
	frac = u % tens[places];
	for (i = 0; i < places; i++, frac /= 10) {
		if (trailing && frac % 10 == 0 && i + 1 < places)
			continue;	/* a zero after the last digit */
		trailing = false;
		*--p = (char)('0' + frac % 10);
	}
	if (!places)
		*--p = '0';
	*--p = '.';
	do
		*--p = (char)('0' + whole % 10);
	while ((whole /= 10));
	if (d < 0 && u)
		*--p = '-';
	buf_append(w->b, p, (size_t)(s + sizeof(s) - p));
}

void
jw_bool(struct json_writer *w, bool v)
{
	item(w);
	if (v)
		buf_append(w->b, "true", 4);
	else
		buf_append(w->b, "false", 5);
}

void
jw_null(struct json_writer *w)
{
	item(w);
	buf_append(w->b, "null", 4);
}

void
jw_value(struct json_writer *w, const json_t *v)
{
	item(w);
	json_out(w->b, v);
}
