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
 * i18n_page_data() in ui_lang.h), so the template, not the catalogue,
 * decides the markup around each value and everything stays escaped.
 *
 * Some keys describe the locale rather than a phrase: lang_name (the
 * language's own name, for the switch), lang_dir ("ltr"/"rtl"),
 * number_digits (the ten digits, "0123456789" or "٠١٢٣٤٥٦٧٨٩"),
 * number_group (thousands separator), date_format ("{day} {month} {year}"),
 * month_1 … month_12, and plural_rule (en, fr, ar or none: which of
 * KEY_zero/_one/_two/_few/_many/_other a count picks).
 *
 * All of it is read-only after i18n_load(), so threads share it. Which
 * language a request gets, and what its pages take from the catalogue, is
 * ui_lang.h's.
 */
#ifndef KB_I18N_H
#define KB_I18N_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"

struct i18n;
struct tmpl_set;

#define I18N_FALLBACK "en"
#define I18N_KEY_MAX 64		/* longest key of a catalogue */

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
/* The same, but dflt if no catalogue has key. */
const char *i18n_text_or(const struct i18n *in, const char *lang,
    const char *key, const char *dflt);
/* "ltr" or "rtl". */
const char *i18n_dir(const struct i18n *in, const char *lang);
/*
 * lang's catalogue as key → string (English filled in), and its strings
 * with placeholders as key → segments (see i18n_message()). Borrowed:
 * valid as long as in and never modified, so pages may share them.
 */
json_t *i18n_strings(const struct i18n *in, const char *lang);
json_t *i18n_messages(const struct i18n *in, const char *lang);
/* The number of loaded languages, and the code of the i-th (by code). */
size_t i18n_count(const struct i18n *in);
const char *i18n_code(const struct i18n *in, size_t i);
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

#endif
