/*
 * live.c - what keeps a page current without reloading: the event stream
 * (GET /api/v1/events/stream, Server-Sent Events through hub.h) and the
 * notification list (/notifications, /api/v1/notifications[/read]).
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "http.h"
#include "hub.h"
#include "kbd.h"
#include "notifications.h"
#include "pages.h"
#include "ui_lang.h"
#include "util.h"
#include "widgets.h"
#include "banned.h"

#define NOTIFICATIONS_SHOWN 50

void
api_events_stream(struct kbd *kbd, const struct req *r, struct response *resp)
{
	const char *last = req_header(r, "Last-Event-ID");
	int64_t unread = 0;
	json_t *hello;
	long id = 0;

	if (last && kb_strtol_range(last, 0, 0x7fffffffL, &id))
		id = 0;
	if (r->store)
		notifications_unread(r->store, &r->user, &unread);
	hello = json_pack("{s:s, s:s, s:I}", "user", r->user.name, "role",
	    role_name(r->user.role), "unread", (json_int_t)unread);
	resp->mhd = hub_stream(kbd->hub, r->conn, &r->user, (uint64_t)id, hello);
	json_decref(hello);
	if (!resp->mhd) {
		resp_error(kbd, r, resp, 503, "shutting_down", "The server is "
		    "stopping; the page reconnects by itself.");
		return;
	}
	resp->status = 200;
	resp->content_type = "text/event-stream; charset=utf-8";
}

void
api_notifications(struct kbd *kbd, const struct req *r, struct response *resp)
{
	json_t *out;

	if (notifications_list(r->store, &r->user, NOTIFICATIONS_SHOWN, &out)) {
		resp_error(kbd, r, resp, 500, "internal", "The notifications cannot be "
		    "read.");
		return;
	}
	resp_json(resp, 200, out);
}

void
api_notifications_read(struct kbd *kbd, const struct req *r,
    struct response *resp)
{
	json_t *in = NULL, *v;
	int64_t up_to = 0;

	if (r->body_len) {
		if (!(in = req_json_body(kbd, r, resp)))
			return;
		v = json_object_get(in, "up_to");
		if ((v && !json_is_integer(v)) || json_object_size(in) > (v ? 1u : 0u)) {
			json_decref(in);
			resp_error(kbd, r, resp, 422, "invalid", "Send {\"up_to\": ID} or "
			    "nothing (all read).");
			return;
		}
		up_to = json_integer_value(v);
		json_decref(in);
	}
	if (notifications_read(r->store, &r->user, up_to)) {
		resp_error(kbd, r, resp, 500, "internal", "The notifications could "
		    "not be marked read.");
		return;
	}
	resp_json(resp, 200, json_pack("{s:b}", "read", 1));
}

void
page_notifications(struct kbd *kbd, const struct req *r, struct response *resp)
{
	json_t *out, *data, *n;
	size_t i;

	if (notifications_list(r->store, &r->user, NOTIFICATIONS_SHOWN, &out)) {
		resp_error(kbd, r, resp, 500, "internal", "The notifications cannot be "
		    "read.");
		return;
	}
	json_array_foreach(json_object_get(out, "notifications"), i, n) {
		json_object_set_new(n, "at_text", widget_time(json_object_get(n, "at")));
		json_object_set_new(n, "kind_label", widget_label(kbd, r,
		    "notification_kind_", json_string_value(json_object_get(n, "kind"))));
	}
	data = page_data(kbd, r, req_text(kbd, r, "title_notifications"), "");
	json_object_update(data, out);
	json_decref(out);
	resp_page(kbd, resp, 200, "notifications", data);
}

/* POST /notifications: "mark all read" from the page's form (no script needed). */
void
page_notifications_post(struct kbd *kbd, const struct req *r,
    struct response *resp)
{
	struct buf v;
	long up_to = 0;

	buf_init(&v, 64);
	if (req_form(r, "up_to", &v) && v.len &&
	    kb_strtol_range(buf_str(&v), 1, 0x7fffffffL, &up_to) != KB_OK)
		up_to = 0;
	buf_release(&v);
	if (notifications_read(r->store, &r->user, up_to)) {
		resp_error(kbd, r, resp, 500, "internal", "The notifications could "
		    "not be marked read.");
		return;
	}
	resp_redirect(resp, "/notifications");
}
