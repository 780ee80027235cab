/*
 * widgets.c - see widgets.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "buf.h"
#include "http.h"
#include "i18n.h"
#include "kbd.h"
#include "refusal.h"
#include "ui_lang.h"
#include "widgets.h"
#include "banned.h"

/* The interface's word for a value: the catalogue key prefix + value. */
json_t *
widget_label(struct kbd *kbd, const struct req *r, const char *prefix, const char *value)
{
	struct buf key;
	json_t *out;

	if (!value)
		return json_string("");
	buf_init(&key, 128);
	buf_puts(&key, prefix);
	for (; *value; value++)	/* keys are [a-z0-9_]: resolved-by → resolved_by */
		buf_putc(&key, *value == '-' ? '_' : *value);
	out = json_string(req_text(kbd, r, buf_str(&key)));
	buf_release(&key);
	return out;
}

/*
 * The refusal e in the interface language: "error" from the catalogue's
 * error_<code> (the English message if the code has none) and "errors"
 * [{field, message}] from tk_err_<field>.
 */
void
widget_errors(struct kbd *kbd, const struct req *r, json_t *data,
    const struct refusal *e, const char *field_prefix)
{
	json_t *errors, *f;
	struct buf key;
	const char *text;
	size_t i;

	buf_init(&key, 256);
	buf_printf(&key, "error_%s", e->code ? e->code : "internal");
	text = req_text(kbd, r, buf_str(&key));
	json_object_set_new(data, "error", json_string(strcmp(text, buf_str(&key)) ?
	    text : e->message));
	if (e->fields) {
		errors = json_array();
		json_array_foreach(e->fields, i, f) {
			const char *field = json_string_value(json_object_get(f, "field"));
			buf_reset(&key);
			buf_puts(&key, field_prefix);
			for (; field && *field; field++)
				buf_putc(&key, *field == '.' ? '_' : *field);
			text = req_text(kbd, r, buf_str(&key));
			json_array_append_new(errors, json_pack("{s:O, s:s}", "field",
			    json_object_get(f, "field"), "message",
			    strcmp(text, buf_str(&key)) ? text :
			    json_string_value(json_object_get(f, "message"))));
		}
		json_object_set_new(data, "errors", errors);
	}
	buf_release(&key);
}

/* "2026-11-27T14:05:00Z" → "2026-11-27 14:05 UTC" */
json_t *
widget_time(json_t *iso)
{
	const char *s = json_string_value(iso);
	char out[32];

	if (!s || strlen(s) < 16)
		return json_string("");
	snprintf(out, sizeof(out), "%.10s %.5s UTC", s, s + 11);
	return json_string(out);
}

/* Markdown (from a ticket or comment) rendered by cmark in safe mode. */
json_t *
widget_markdown(const char *md)
{
	struct article a = { 0 };
	char *html = NULL;
	json_t *out;

	a.markdown = (char *)md;
	a.markdown_len = strlen(md);
	if (article_html(&a, &html))
		return json_string("");
	out = json_string(html);
	free(html);
	return out;
}

/* Options of a select: value, its label (prefix + value in the catalogue, or the value), selected. */
json_t *
widget_options(struct kbd *kbd, const struct req *r, const char *prefix,
    const char *const *values, const char *selected)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; values[i]; i++)
		json_array_append_new(a, json_pack("{s:s, s:o, s:b}", "value", values[i],
		    "label", prefix ? widget_label(kbd, r, prefix, values[i]) :
		    json_string(values[i]), "selected", selected &&
		    strcmp(values[i], selected) == 0));
	return a;
}

/* A form field as a JSON string into obj[key] (if present). */
void
form_field(const struct req *r, const char *field, json_t *obj, const char *key)
{
	struct buf v;

	buf_init(&v, 64 * 1024);
	if (req_form(r, field, &v))
		json_object_set_new(obj, key, json_string(buf_str(&v)));
	buf_release(&v);
}

/* Every value of a repeated form field (articles=a&articles=b) as an array. */
json_t *
form_list(const struct req *r, const char *field)
{
	const char *p = r->body, *end = r->body + r->body_len, *amp;
	size_t n = strlen(field);
	json_t *a = json_array();
	struct buf one, tmp;

	buf_init(&tmp, r->body_len + 1);
	buf_init(&one, 4096);
	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (!amp)
			amp = end;
		if ((size_t)(amp - p) > n && memcmp(p, field, n) == 0 && p[n] == '=') {
			/* decode through req_form on a one-field body */
			struct req one_r = *r;
			buf_reset(&tmp);
			buf_append(&tmp, p, (size_t)(amp - p));
			one_r.body = buf_str(&tmp);
			one_r.body_len = tmp.len;
			if (req_form(&one_r, field, &one) && one.len)
				json_array_append_new(a, json_string(buf_str(&one)));
		}
		p = amp + 1;
	}
	buf_release(&tmp);
	buf_release(&one);
	return a;
}

/* n of unit key ("dur_days", …) in the interface language, appended to b. */
static void
unit_text(struct kbd *kbd, const struct req *r, const char *key, long long n,
    struct buf *b)
{
	json_t *segs = i18n_plural(kbd->i18n, req_lang(kbd, r), key, n), *seg;
	size_t i;

	json_array_foreach(segs, i, seg) {
		buf_puts(b, json_string_value(json_object_get(seg, "_text")) ?
		    json_string_value(json_object_get(seg, "_text")) : "");
		if (json_is_true(json_object_get(seg, "_n")))
			i18n_number(kbd->i18n, req_lang(kbd, r), n, b);
	}
	json_decref(segs);
}

json_t *
widget_duration(struct kbd *kbd, const struct req *r, unsigned minutes)
{
	struct buf b;
	json_t *out;

	buf_init(&b, 256);
	if (minutes % 1440 == 0)
		unit_text(kbd, r, "dur_days", minutes / 1440, &b);
	else if (minutes % 60 == 0)
		unit_text(kbd, r, "dur_hours", minutes / 60, &b);
	else
		unit_text(kbd, r, "dur_minutes", minutes, &b);
	out = json_string(buf_str(&b));
	buf_release(&b);
	return out;
}

json_t *
widget_elapsed(struct kbd *kbd, const struct req *r, json_t *seconds)
{
	long long s;
	struct buf b;
	json_t *out;

	if (!json_is_number(seconds))
		return json_string("–");
	s = (long long)json_number_value(seconds);
	buf_init(&b, 256);
	if (s >= 2 * 86400) {
		unit_text(kbd, r, "dur_days", s / 86400, &b);
		if (s % 86400 / 3600) {
			buf_putc(&b, ' ');
			unit_text(kbd, r, "dur_hours", s % 86400 / 3600, &b);
		}
	} else if (s >= 3600) {
		unit_text(kbd, r, "dur_hours", s / 3600, &b);
		if (s % 3600 / 60) {
			buf_putc(&b, ' ');
			unit_text(kbd, r, "dur_minutes", s % 3600 / 60, &b);
		}
	} else {
		unit_text(kbd, r, "dur_minutes", (s + 59) / 60, &b);
	}
	out = json_string(buf_str(&b));
	buf_release(&b);
	return out;
}
