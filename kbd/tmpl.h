/*
 * tmpl.h - the template engine: a small Mustache subset rendered from a
 * jansson value, escaping by default.
 *
 *   {{name}} {{a.b}} {{.}}   value, HTML-escaped (the only way text reaches a page)
 *   {{name|filter}}           value passed through a filter of the set (such as
 *                             "num" or "date", i18n.c), then escaped
 *   {{{name}}}                value, raw: used once, for the cmark-rendered article
 *   {{#name}}…{{/name}}       section: each array element, an object, or a truthy value
 *   {{^name}}…{{/name}}       inverted section: false, null, missing, "" or []
 *   {{>name}}                 another template of the same set
 *   {{! comment }}
 *
 * A set is parsed once at start-up and is read-only afterwards, so any
 * number of threads may render from it at once.
 */
#ifndef KB_TMPL_H
#define KB_TMPL_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"

struct tmpl_set;

struct tmpl_set *tmpl_set_new(void);
void tmpl_set_free(struct tmpl_set *set);

/*
 * A filter appends its rendering of value to out (unescaped: the engine
 * escapes it). root is the data the render started from (for settings such
 * as the interface language); ctx is what was given to tmpl_set_filter().
 */
typedef void tmpl_filter_fn(void *ctx, json_t *root, const json_t *value,
    struct buf *out);

/*
 * Register filter name (copied) for {{value|name}}. Filters must be
 * registered before the templates that use them are added: an unknown
 * filter is a syntax error.
 */
void tmpl_set_filter(struct tmpl_set *set, const char *name, tmpl_filter_fn *fn,
    void *ctx);

/*
 * Parse src[0..len) as template name (the set keeps its own copy).
 * KB_EINVAL for a syntax error, with "name:line: message" in *err (malloc'd,
 * the caller frees it).
 */
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *src,
    size_t len, char **err);

/* Load dir/NAME.html for each name of the NULL-terminated list. */
int tmpl_set_load_dir(struct tmpl_set *set, const char *dir,
    const char *const *names, char **err);

/*
 * Render template name with data into out. KB_ENOTFOUND for an unknown
 * template (or partial); otherwise out's own error, if any.
 */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *data,
    struct buf *out);

#endif
