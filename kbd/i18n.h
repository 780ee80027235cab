/*
 * i18n.h - interface languages. Every string of the interface comes from a
 * message catalogue, one per language: TEMPLATES/i18n/CODE.json, a flat
 * JSON object of key → string, where CODE (the file name) is the language
 * code. Adding a language is adding a file. en.json is the fallback: a key
 * missing from another catalogue shows in English (and is logged at
 * start-up; tests/e2e/i18n.test.mjs fails on it).
 *
 * Keys are [a-z0-9_]+ (the template engine splits names on '.'), so a
 * template says {{t.search_button}}. A string may hold placeholders,
 * "{name}": templates get those split into segments under m (see
 * i18n_page_data()), so the template, not the catalogue, decides the markup
 * around each value and everything stays escaped.
 *
 * Some keys describe the locale rather than a phrase: lang_name (the
 * language's own name, for the switch), lang_dir ("ltr"/"rtl"),
 * number_digits (the ten digits, "0123456789" or "٠١٢٣٤٥٦٧٨٩"),
 * number_group (thousands separator), date_format ("{day} {month} {year}"),
 * month_1 … month_12, and plural_rule (en, fr, ar or none: which of
 * KEY_zero/_one/_two/_few/_many/_other a count picks).
 *
 * The interface language of a request: the signed-in user's preference
 * (r->user.lang), else the kbd_lang cookie set by the switch in the page
 * header (GET /lang?set=CODE&back=PATH), else Accept-Language, else the
 * configured default (--lang). All of it is read-only after i18n_load().
 */
#ifndef KB_I18N_H
#define KB_I18N_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"

struct i18n;
struct kbd;
struct req;
struct response;
struct tmpl_set;

#define I18N_FALLBACK "en"
#define I18N_COOKIE "kbd_lang"

/*
 * Load every .json file of dir. default_lang must be one of them, and en.json must
 * exist. On failure *err (malloc'd) says why.
 */
int i18n_load(const char *dir, const char *default_lang, struct i18n **out,
    char **err);
void i18n_free(struct i18n *in);

/* The loaded language called code (any case), as its canonical code, or NULL. */
const char *i18n_lang(const struct i18n *in, const char *code);
/* The best loaded language for an Accept-Language header, or NULL. */
const char *i18n_accept(const struct i18n *in, const char *header);
/* The configured default language. */
const char *i18n_default(const struct i18n *in);
/* Number of strings of en.json that lang's catalogue lacks. */
size_t i18n_missing(const struct i18n *in, const char *lang);

/* String key in lang (English if lang lacks it; the key itself if no
 * catalogue has it). Valid as long as in. */
const char *i18n_text(const struct i18n *in, const char *lang, const char *key);
/* "ltr" or "rtl". */
const char *i18n_dir(const struct i18n *in, const char *lang);
/*
 * Message key as a new array of segments for a template section: each is
 * {"_text": literal} or, for a placeholder {x}, {"_text": "", "_x": true};
 * every segment has every "_x" of the message (false where it is not that
 * placeholder) so template lookups never fall through to outer data.
 */
json_t *i18n_message(const struct i18n *in, const char *lang, const char *key);
/* The same for the plural form of key that n takes in lang (KEY_one …). */
json_t *i18n_plural(const struct i18n *in, const char *lang, const char *key,
    long long n);

/* n with the locale's digits and grouping ("1,234"). */
void i18n_number(const struct i18n *in, const char *lang, long long n,
    struct buf *out);
/* "YYYY-MM-DD…" as the locale writes a date ("27 Nov 2026", "27 نوفمبر
 * 2026"); anything else is copied with the locale's digits. */
void i18n_date(const struct i18n *in, const char *lang, const char *iso,
    struct buf *out);

/*
 * Template filters, all reading the language from the data's ui_lang:
 * {{n|num}} a number, {{d|date}} a date, {{s|digits}} a text with the
 * locale's digits. Call before the templates are loaded.
 */
void i18n_register_filters(struct i18n *in, struct tmpl_set *set);

/* ---- per request ---- */

/* The interface language of the request (see above). */
const char *req_lang(const struct kbd *kbd, const struct req *r);
/* i18n_text() in the request's language. */
const char *req_text(const struct kbd *kbd, const struct req *r,
    const char *key);

/*
 * Add to a page's data: ui_lang, ui_dir, t (the catalogue, English filled
 * in), m (its messages with placeholders, as segments) and langs (the
 * switch: [{code, name, dir, url, current}]).
 */
void i18n_page_data(const struct kbd *kbd, const struct req *r, json_t *data);

/*
 * The error page's data: title (status_NNN), status, code, message (the
 * segments of message key, by default error_CODE, with its values in
 * args; english if no catalogue has the key).
 */
void i18n_error_data(const struct kbd *kbd, json_t *data, unsigned status,
    const char *code, const char *key, json_t *args, const char *english);

/* A last-resort page for when a template cannot be rendered. */
void i18n_render_failed(const struct kbd *kbd, const char *lang,
    struct buf *out);

/* GET /lang?set=CODE&back=PATH: remember the choice in a cookie, go back. */
void page_lang(struct kbd *kbd, const struct req *r, struct response *resp);

#endif
