/*
 * i18n.c - message catalogues and the locale formatting of numbers and
 * dates; see i18n.h.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "i18n.h"
#include "log.h"
#include "tmpl.h"
#include "util.h"
#include "banned.h"

#define LANG_MAX 16		/* "en", "ar", "pt-BR" … */
#define PLACEHOLDER_MAX 32
#define ACCEPT_ITEMS_MAX 64

enum plural_rule { PLURAL_EN, PLURAL_FR, PLURAL_AR, PLURAL_NONE };

struct lang {
	char code[LANG_MAX];
	json_t *t;		/* key → string, English filled in */
	json_t *m;		/* key → segments, for strings with placeholders */
	const char *dir;	/* "ltr" or "rtl" */
	const char *group;	/* thousands separator */
	char digits[10][8];	/* UTF-8 of 0 … 9 */
	enum plural_rule plural;
	size_t missing;		/* keys of en.json this catalogue lacks */
};

struct i18n {
	struct lang *langs;	/* sorted by code */
	size_t n;
	const struct lang *dflt;
};

/* ---- loading ---- */

static bool
valid_code(const char *s, size_t len)
{
	size_t i, part = 0;

	if (len < 2 || len >= LANG_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '-' || s[i] == '_') {
			if (part == 0 || i < 2)
				return false;
			part = 0;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9')))
			return false;
		if (i < 2 && !((s[i] >= 'a' && s[i] <= 'z')))
			return false;
		part++;
	}
	return part > 0;
}

static bool
valid_key(const char *k)
{
	size_t n = strlen(k), i;

	if (n == 0 || n > I18N_KEY_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') ||
		    k[i] == '_'))
			return false;
	return true;
}

/* Length of the placeholder "{name}" at s, or 0 if s does not start one. */
static size_t
placeholder_at(const char *s)
{
	size_t i;

	if (s[0] != '{' || !(s[1] >= 'a' && s[1] <= 'z'))
		return 0;
	for (i = 2; i < PLACEHOLDER_MAX + 2; i++) {
		if (s[i] == '}')
			return i + 1;
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_'))
			return 0;
	}
	return 0;
}

static void
add_segment(json_t *segs, json_t *names, const char *text, size_t len,
    const char *ph, size_t phlen)
{
	json_t *seg = json_object(), *v;
	const char *name;
	char flag[PLACEHOLDER_MAX + 2];

	json_object_set_new(seg, "_text", json_stringn(text, len));
	json_object_foreach(names, name, v) {
		snprintf(flag, sizeof(flag), "_%s", name);
		json_object_set_new(seg, flag, json_boolean(ph &&
		    strlen(name) == phlen && memcmp(name, ph, phlen) == 0));
	}
	json_array_append_new(segs, seg);
}

/* s split at its placeholders (see i18n_message()), or NULL if it has none. */
static json_t *
split_message(const char *s)
{
	json_t *names = json_object(), *segs;
	const char *p, *lit;
	size_t n;

	for (p = s; *p; p++)
		if ((n = placeholder_at(p)) != 0)
			json_object_setn_new(names, p + 1, n - 2, json_true());
	if (json_object_size(names) == 0) {
		json_decref(names);
		return NULL;
	}
	segs = json_array();
	for (p = lit = s; *p;) {
		n = placeholder_at(p);
		if (!n) {
			p++;
			continue;
		}
		if (p > lit)
			add_segment(segs, names, lit, (size_t)(p - lit), NULL, 0);
		add_segment(segs, names, "", 0, p + 1, n - 2);
		p += n;
		lit = p;
	}
	if (p > lit)
		add_segment(segs, names, lit, (size_t)(p - lit), NULL, 0);
	json_decref(names);
	return segs;
}

static int
load_error(char **err, const char *fmt, const char *a, const char *b)
{
	struct buf e;

	buf_init(&e, 4096);
	buf_printf(&e, fmt, a, b);
	if (err)
		*err = buf_detach(&e, NULL);
	else
		buf_release(&e);
	return KB_EINVAL;
}

/* Read dir/name into a checked catalogue object. */
static int
read_catalogue(const char *dir, const char *name, json_t **out, char **err)
{
	struct buf path;
	json_error_t jerr;
	json_t *cat, *v;
	const char *key;
	int rc = KB_OK;

	buf_init(&path, 4096);
	buf_printf(&path, "%s/%s", dir, name);
	cat = json_load_file(buf_str(&path), JSON_REJECT_DUPLICATES, &jerr);
	if (!cat) {
		buf_printf(&path, ":%d: %s", jerr.line, jerr.text);
		rc = load_error(err, "%s%s", buf_str(&path), "");
	} else if (!json_is_object(cat)) {
		rc = load_error(err, "%s: %s", buf_str(&path),
		    "expected an object of key → string");
	} else {
		json_object_foreach(cat, key, v) {
			if (!valid_key(key)) {
				rc = load_error(err, "%s: key '%s' is not [a-z0-9_]+",
				    buf_str(&path), key);
				break;
			}
			if (!json_is_string(v)) {
				rc = load_error(err, "%s: '%s' is not a string",
				    buf_str(&path), key);
				break;
			}
		}
	}
	buf_release(&path);
	if (rc) {
		json_decref(cat);
		return rc;
	}
	*out = cat;
	return KB_OK;
}

static const char *
str_of(json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : dflt;
}

/* Locale settings and messages of l from its merged catalogue. */
static int
finish_lang(struct lang *l, char **err)
{
	const char *digits = str_of(l->t, "number_digits", "0123456789");
	const char *rule = str_of(l->t, "plural_rule", "en");
	const char *key;
	json_t *v, *segs;
	size_t i = 0, d, n;

	for (d = 0; d < 10; d++) {
		n = i;
		if (!digits[i])
			break;
		utf8_next(digits, strlen(digits), &i);
		if (i - n >= sizeof(l->digits[d]))
			break;
		memcpy(l->digits[d], digits + n, i - n);
		l->digits[d][i - n] = '\0';
	}
	if (d < 10 || digits[i])
		return load_error(err, "i18n/%s.json: number_digits must be %s",
		    l->code, "ten characters, 0 to 9");
	l->dir = strcmp(str_of(l->t, "lang_dir", "ltr"), "rtl") == 0 ? "rtl" : "ltr";
	l->group = str_of(l->t, "number_group", ",");
	if (strcmp(rule, "ar") == 0)
		l->plural = PLURAL_AR;
	else if (strcmp(rule, "fr") == 0)
		l->plural = PLURAL_FR;
	else if (strcmp(rule, "none") == 0)
		l->plural = PLURAL_NONE;
	else
		l->plural = PLURAL_EN;
	l->m = json_object();
	json_object_foreach(l->t, key, v) {
		segs = split_message(json_string_value(v));
		if (segs)
			json_object_set_new(l->m, key, segs);
	}
	return KB_OK;
}

static int
cmp_lang(const void *a, const void *b)
{
	return strcmp(((const struct lang *)a)->code, ((const struct lang *)b)->code);
}

/* Log the keys of en that raw lacks (the first few); return how many. */
static size_t
report_missing(const char *code, json_t *en, json_t *raw)
{
	struct buf list;
	const char *key;
	json_t *v;
	size_t missing = 0;

	buf_init(&list, 4096);
	json_object_foreach(en, key, v) {
		if (json_object_get(raw, key))
			continue;
		if (missing++ < 8)
			buf_printf(&list, "%s%s", missing > 1 ? ", " : "", key);
	}
	if (missing)
		kb_log(LOG_WARNING, "i18n: %s.json lacks %zu string%s of en.json "
		    "(shown in English): %s%s", code, missing, missing == 1 ? "" : "s",
		    buf_str(&list), missing > 8 ? ", …" : "");
	buf_release(&list);
	return missing;
}

int
i18n_load(const char *dir, const char *default_lang, struct i18n **out,
    char **err)
{
	struct i18n *in = xcalloc(1, sizeof(*in));
	const struct lang *en = NULL;
	struct dirent *de;
	json_t *merged;
	DIR *d;
	size_t len, cap = 0, i;
	int rc = KB_OK;

	*out = NULL;
	if (err)
		*err = NULL;
	d = opendir(dir);
	if (!d) {
		free(in);
		return load_error(err, "%s: %s", dir, "cannot open the directory");
	}
	/* each lang's t holds its own catalogue until all are read */
	while ((de = readdir(d)) != NULL && !rc) {
		len = strlen(de->d_name);
		if (len < 6 || !str_ends_with(de->d_name, ".json"))
			continue;
		if (!valid_code(de->d_name, len - 5)) {
			kb_log(LOG_WARNING, "i18n: %s/%s: not a language code, skipped",
			    dir, de->d_name);
			continue;
		}
		if (in->n == cap) {
			cap = cap ? cap * 2 : 4;
			in->langs = xrealloc(in->langs, cap * sizeof(*in->langs));
		}
		memset(&in->langs[in->n], 0, sizeof(in->langs[0]));
		memcpy(in->langs[in->n].code, de->d_name, len - 5);
		rc = read_catalogue(dir, de->d_name, &in->langs[in->n].t, err);
		if (!rc)
			in->n++;
	}
	closedir(d);
	if (!rc && in->n)
		qsort(in->langs, in->n, sizeof(*in->langs), cmp_lang);
	for (i = 0; !rc && i < in->n; i++)
		if (strcmp(in->langs[i].code, I18N_FALLBACK) == 0)
			en = &in->langs[i];
	if (!rc && !en)
		rc = load_error(err, "%s/%s.json is missing (it is the fallback)",
		    dir, I18N_FALLBACK);
	/* every other catalogue over a copy of English; English last */
	for (i = 0; !rc && i < in->n; i++) {
		struct lang *l = &in->langs[i];

		if (l == en)
			continue;
		l->missing = report_missing(l->code, en->t, l->t);
		merged = json_deep_copy(en->t);
		json_object_update(merged, l->t);
		json_decref(l->t);
		l->t = merged;
	}
	for (i = 0; !rc && i < in->n; i++)
		rc = finish_lang(&in->langs[i], err);
	for (i = 0; !rc && i < in->n; i++)
		if (strcasecmp(in->langs[i].code, default_lang) == 0)
			in->dflt = &in->langs[i];
	if (!rc && !in->dflt)
		rc = load_error(err, "--lang %s: there is no %s.json", default_lang,
		    default_lang);
	if (rc) {
		i18n_free(in);
		return rc;
	}
	*out = in;
	return KB_OK;
}

void
i18n_free(struct i18n *in)
{
	size_t i;

	if (!in)
		return;
	for (i = 0; i < in->n; i++) {
		json_decref(in->langs[i].t);
		json_decref(in->langs[i].m);
	}
	free(in->langs);
	free(in);
}

/* ---- lookups ---- */

static const struct lang *
find_lang(const struct i18n *in, const char *code, size_t len)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		if (strlen(in->langs[i].code) == len &&
		    strncasecmp(in->langs[i].code, code, len) == 0)
			return &in->langs[i];
	return NULL;
}

/* lang, or the default for an unknown code. */
static const struct lang *
lang_or_default(const struct i18n *in, const char *code)
{
	const struct lang *l = code ? find_lang(in, code, strlen(code)) : NULL;

	return l ? l : in->dflt;
}

const char *
i18n_lang(const struct i18n *in, const char *code)
{
	const struct lang *l = code ? find_lang(in, code, strlen(code)) : NULL;

	return l ? l->code : NULL;
}

const char *
i18n_default(const struct i18n *in)
{
	return in->dflt->code;
}

size_t
i18n_missing(const struct i18n *in, const char *lang)
{
	const struct lang *l = lang ? find_lang(in, lang, strlen(lang)) : NULL;

	return l ? l->missing : 0;
}

const char *
i18n_text(const struct i18n *in, const char *lang, const char *key)
{
	return str_of(lang_or_default(in, lang)->t, key, key);
}

const char *
i18n_text_or(const struct i18n *in, const char *lang, const char *key,
    const char *dflt)
{
	return str_of(lang_or_default(in, lang)->t, key, dflt);
}

const char *
i18n_dir(const struct i18n *in, const char *lang)
{
	return lang_or_default(in, lang)->dir;
}

json_t *
i18n_strings(const struct i18n *in, const char *lang)
{
	return lang_or_default(in, lang)->t;
}

json_t *
i18n_messages(const struct i18n *in, const char *lang)
{
	return lang_or_default(in, lang)->m;
}

size_t
i18n_count(const struct i18n *in)
{
	return in->n;
}

const char *
i18n_code(const struct i18n *in, size_t i)
{
	return in->langs[i].code;
}

static json_t *
message_of(const struct lang *l, const char *key)
{
	json_t *segs = json_object_get(l->m, key);
	const char *s;

	if (segs)
		return json_incref(segs);
	s = json_string_value(json_object_get(l->t, key));
	return json_pack("[{s:s}]", "_text", s ? s : key);
}

json_t *
i18n_message(const struct i18n *in, const char *lang, const char *key)
{
	return message_of(lang_or_default(in, lang), key);
}

/* The CLDR plural category of n (integers only). */
static const char *
plural_category(enum plural_rule rule, long long n)
{
	long long n100 = (n < 0 ? -n : n) % 100;

	switch (rule) {
	case PLURAL_AR:
		if (n == 0)
			return "zero";
		if (n == 1)
			return "one";
		if (n == 2)
			return "two";
		if (n100 >= 3 && n100 <= 10)
			return "few";
		if (n100 >= 11 && n100 <= 99)
			return "many";
		return "other";
	case PLURAL_FR:
		return n == 0 || n == 1 ? "one" : "other";
	case PLURAL_NONE:
		return "other";
	case PLURAL_EN:
	default:
		return n == 1 ? "one" : "other";
	}
}

json_t *
i18n_plural(const struct i18n *in, const char *lang, const char *key,
    long long n)
{
	const struct lang *l = lang_or_default(in, lang);
	char k[I18N_KEY_MAX + 16];

	snprintf(k, sizeof(k), "%s_%s", key, plural_category(l->plural, n));
	if (json_object_get(l->t, k))
		return message_of(l, k);
	snprintf(k, sizeof(k), "%s_other", key);
	if (json_object_get(l->t, k))
		return message_of(l, k);
	return message_of(l, key);
}

/* ---- numbers and dates ---- */

static void
put_digits(const struct lang *l, const char *s, size_t len, struct buf *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			buf_puts(out, l->digits[s[i] - '0']);
		else
			buf_putc(out, s[i]);
	}
}

static void
number(const struct lang *l, long long n, struct buf *out)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%lld", n), i, start = 0;

	if (tmp[0] == '-') {
		buf_putc(out, '-');
		start = 1;
	}
	for (i = start; i < len; i++) {
		/* group from four digits on: 1234 → 1,234 */
		if (i > start && len - start >= 4 && (len - i) % 3 == 0)
			buf_puts(out, l->group);
		buf_puts(out, l->digits[tmp[i] - '0']);
	}
}

void
i18n_number(const struct i18n *in, const char *lang, long long n,
    struct buf *out)
{
	number(lang_or_default(in, lang), n, out);
}

static bool
two_digits(const char *s, int *out)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return true;
}

static void
date(const struct lang *l, const char *s, struct buf *out)
{
	const char *fmt = str_of(l->t, "date_format", "{year}-{mm}-{dd}"), *p;
	char key[16], num[8];
	int y1, y2, mon, day;
	size_t n;

	if (strlen(s) < 10 || !two_digits(s, &y1) || !two_digits(s + 2, &y2) ||
	    s[4] != '-' || !two_digits(s + 5, &mon) || s[7] != '-' ||
	    !two_digits(s + 8, &day) || mon < 1 || mon > 12 || day < 1 || day > 31) {
		put_digits(l, s, strlen(s), out);
		return;
	}
	for (p = fmt; *p;) {
		n = placeholder_at(p);
		if (!n) {
			buf_putc(out, *p++);
			continue;
		}
		if (n == 6 && memcmp(p, "{year}", 6) == 0) {
			put_digits(l, s, 4, out);
		} else if (n == 7 && memcmp(p, "{month}", 7) == 0) {
			snprintf(key, sizeof(key), "month_%d", mon);
			buf_puts(out, str_of(l->t, key, key));
		} else if (n == 5 && memcmp(p, "{day}", 5) == 0) {
			snprintf(num, sizeof(num), "%d", day);
			put_digits(l, num, strlen(num), out);
		} else if (n == 4 && memcmp(p, "{mm}", 4) == 0) {
			put_digits(l, s + 5, 2, out);
		} else if (n == 4 && memcmp(p, "{dd}", 4) == 0) {
			put_digits(l, s + 8, 2, out);
		}
		p += n;
	}
}

void
i18n_date(const struct i18n *in, const char *lang, const char *iso,
    struct buf *out)
{
	date(lang_or_default(in, lang), iso, out);
}

/* ---- template filters ---- */

static const struct lang *
data_lang(const struct i18n *in, json_t *root)
{
	return lang_or_default(in, json_string_value(json_object_get(root,
	    "ui_lang")));
}

static void
filter_num(void *ctx, json_t *root, const json_t *v, struct buf *out)
{
	const struct lang *l = data_lang(ctx, root);
	char tmp[64];
	int n;

	if (json_is_integer(v)) {
		number(l, json_integer_value(v), out);
	} else if (json_is_real(v)) {
		n = snprintf(tmp, sizeof(tmp), "%g", json_real_value(v));
		put_digits(l, tmp, (size_t)n, out);
	} else if (json_is_string(v)) {
		put_digits(l, json_string_value(v), json_string_length(v), out);
	}
}

static void
filter_date(void *ctx, json_t *root, const json_t *v, struct buf *out)
{
	if (json_is_string(v))
		date(data_lang(ctx, root), json_string_value(v), out);
	else
		filter_num(ctx, root, v, out);
}

static void
filter_digits(void *ctx, json_t *root, const json_t *v, struct buf *out)
{
	const struct lang *l = data_lang(ctx, root);
	char tmp[32];
	int n;

	if (json_is_integer(v)) {
		n = snprintf(tmp, sizeof(tmp), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		put_digits(l, tmp, (size_t)n, out);
	} else {
		filter_num(ctx, root, v, out);
	}
}

void
i18n_register_filters(struct i18n *in, struct tmpl_set *set)
{
	tmpl_set_filter(set, "num", filter_num, in);
	tmpl_set_filter(set, "date", filter_date, in);
	tmpl_set_filter(set, "digits", filter_digits, in);
}

/* ---- Accept-Language ---- */

/* A qvalue ("0", "0.5", "1.000") in thousandths, or -1 if malformed. */
static int
parse_q(const char *s, size_t len)
{
	int q, scale = 100;
	size_t i;

	if (len == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	q = (s[0] - '0') * 1000;
	if (len == 1)
		return q;
	if (s[1] != '.' || len > 5)
		return -1;
	for (i = 2; i < len; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

const char *
i18n_accept(const struct i18n *in, const char *h)
{
	const struct lang *best = NULL, *l;
	const char *item, *end, *tag_end, *p, *pe;
	int bestq = 0, q, items = 0;
	size_t tag_len, primary;

	for (item = h; item && *item && items < ACCEPT_ITEMS_MAX; items++) {
		end = strchr(item, ',');
		if (!end)
			end = item + strlen(item);
		while (item < end && is_space(*item))
			item++;
		for (tag_end = item; tag_end < end && *tag_end != ';' &&
		    !is_space(*tag_end); tag_end++)
			;
		tag_len = (size_t)(tag_end - item);
		q = 1000;
		/* parameters: ;q=0.8 (others are ignored) */
		for (p = tag_end; p < end; p = pe) {
			while (p < end && (is_space(*p) || *p == ';'))
				p++;
			for (pe = p; pe < end && *pe != ';'; pe++)
				;
			if (pe - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
				const char *v = p + 2, *ve = pe;
				while (ve > v && is_space(ve[-1]))
					ve--;
				q = parse_q(v, (size_t)(ve - v));
			}
		}
		l = NULL;
		if (q > 0 && tag_len == 1 && item[0] == '*') {
			l = in->dflt;
		} else if (q > 0 && tag_len > 0) {
			l = find_lang(in, item, tag_len);
			for (primary = 0; !l && primary < tag_len && item[primary] != '-';
			    primary++)
				;
			if (!l && primary < tag_len)
				l = find_lang(in, item, primary);
		}
		if (l && q > bestq) {
			best = l;
			bestq = q;
		}
		item = *end ? end + 1 : NULL;
	}
	return best ? best->code : NULL;
}
