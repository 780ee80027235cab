/*
 * ui_lang.h - the interface language of a request, and what its pages take
 * from that language's catalogue (i18n.h).
 *
 * The interface language of a request: the signed-in user's preference
 * (r->user.lang), else the kbd_lang cookie set by the switch in the page
 * header (GET /lang?set=CODE&back=PATH), else Accept-Language, else the
 * configured default (--lang).
 *
 * Nothing here is kept between requests: every call reads the request and
 * kbd->i18n, which is read-only after start-up. Strings returned are the
 * catalogue's (valid as long as kbd->i18n); data is added to the caller's
 * JSON objects, which the caller still owns.
 */
#ifndef KB_UI_LANG_H
#define KB_UI_LANG_H

#include <jansson.h>

#include "buf.h"

struct kbd;
struct req;
struct response;

#define I18N_COOKIE "kbd_lang"

/* The interface language of the request (see above), as its code. */
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
