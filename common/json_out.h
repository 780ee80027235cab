/*
 * json_out.h - a jansson value written as compact JSON onto a buf: the
 * bytes json_dumps(v, JSON_COMPACT) gives, without its callback for every
 * few characters and the copy of the result into the response body. The
 * API builds its answers with jansson and writes them here, as every
 * other JSON text kbd and the indexer make.
 *
 * Strings are copied as they are but for '"', '\\' and control characters
 * (jansson holds only valid UTF-8); reals are written as jansson writes
 * them (%.17g, with ".0" if that looks like an integer). Keys come in the
 * object's order. Errors are buf's (sticky, checked once by the caller).
 */
#ifndef KB_JSON_OUT_H
#define KB_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"

void json_out(struct buf *b, const json_t *v);
/* The same as a new string (the caller frees it), or NULL if out of memory. */
char *json_out_dup(const json_t *v);

/*
 * Writing JSON text value by value, without building jansson values
 * first, in the bytes json_out() gives for the same values: a writer puts
 * the commas and colons. Inside an object give jw_key() before each value.
 * The caller makes sure strings are valid UTF-8 (jansson's own strings
 * are) and that every container begun is ended; nesting deeper than
 * JW_DEPTH_MAX sets the buf's error.
 */
#define JW_DEPTH_MAX 32

struct json_writer {
	struct buf *b;
	unsigned depth;
	uint32_t started;	/* bit d: the container at depth d has an item */
	bool after_key;		/* a key was written: its value comes next */
};

void jw_init(struct json_writer *w, struct buf *b);
void jw_begin_object(struct json_writer *w);
void jw_end_object(struct json_writer *w);
void jw_begin_array(struct json_writer *w);
void jw_end_array(struct json_writer *w);
void jw_key(struct json_writer *w, const char *key);
void jw_string(struct json_writer *w, const char *s, size_t len);
void jw_integer(struct json_writer *w, json_int_t v);
void jw_real(struct json_writer *w, double d);
/*
 * d rounded to places decimals (at most 9), trailing zeros dropped but one
 * ("2.0"): for figures that need no more, without printf's %.17g. Past
 * 1e9, or not finite, as jw_real().
 */
void jw_fixed(struct json_writer *w, double d, unsigned places);
void jw_bool(struct json_writer *w, bool v);
void jw_null(struct json_writer *w);
/* A jansson value as json_out() writes it. */
void jw_value(struct json_writer *w, const json_t *v);

#endif
