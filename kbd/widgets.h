/*
 * widgets.h - the small pieces every HTML page builds its data from: a
 * catalogue label, the options of a select, a refusal in the interface
 * language, a time as shown, Markdown rendered safely, and form fields.
 * Every json_t returned is new (the caller owns it).
 */
#ifndef KB_WIDGETS_H
#define KB_WIDGETS_H

#include <jansson.h>

struct kbd;
struct req;
struct refusal;

/* The catalogue text of prefix + value ('-' read as '_'); "" for NULL. */
json_t *widget_label(struct kbd *kbd, const struct req *r, const char *prefix,
    const char *value);

/*
 * Options of a select: [{value, label, selected}], labels from the catalogue
 * (prefix + value) or, with prefix NULL, the values themselves.
 */
json_t *widget_options(struct kbd *kbd, const struct req *r, const char *prefix,
    const char *const *values, const char *selected);

/*
 * The refusal e in the interface language, into data: "error" from the
 * catalogue's error_<code> (the English message if it has none) and
 * "errors" [{field, message}] from field_prefix + field ("tk_err_title"),
 * the English message for a field the catalogue does not have.
 */
void widget_errors(struct kbd *kbd, const struct req *r, json_t *data,
    const struct refusal *e, const char *field_prefix);

/* "2026-11-27T14:05:00Z" → "2026-11-27 14:05 UTC" ("" if malformed). */
json_t *widget_time(json_t *iso);

/* "4 hours": minutes in the largest exact unit, in the interface language. */
json_t *widget_duration(struct kbd *kbd, const struct req *r, unsigned minutes);
/* "1 day 2 hours", "3 hours 5 minutes", "12 minutes"; "–" for a non-number. */
json_t *widget_elapsed(struct kbd *kbd, const struct req *r, json_t *seconds);

/* Markdown (a ticket, a comment) rendered by cmark in safe mode. */
json_t *widget_markdown(const char *md);

/* A form field as a JSON string into obj[key], if the form has it. */
void form_field(const struct req *r, const char *field, json_t *obj,
    const char *key);

/* Every non-empty value of a repeated form field (a=1&a=2) as an array. */
json_t *form_list(const struct req *r, const char *field);

#endif
