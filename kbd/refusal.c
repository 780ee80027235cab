/*
 * refusal.c - see refusal.h.
 */
#include <stdarg.h>
#include <stdio.h>

#include "err.h"
#include "refusal.h"
#include "banned.h"

int
refuse(struct refusal *e, unsigned status, const char *code, const char *fmt, ...)
{
	va_list ap;

	e->status = status;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return status == 404 ? KB_ENOTFOUND : status >= 500 ? KB_EDB : KB_EINVAL;
}

void
refusal_field(struct refusal *e, const char *field, const char *message)
{
	if (!e->fields)
		e->fields = json_array();
	json_array_append_new(e->fields, json_pack("{s:s, s:s}", "field", field,
	    "message", message));
}

void
refusal_release(struct refusal *e)
{
	json_decref(e->fields);
	json_decref(e->detail);
	e->fields = NULL;
	e->detail = NULL;
}
