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

#include <jansson.h>

#include "buf.h"

void json_out(struct buf *b, const json_t *v);
/* The same as a new string (the caller frees it), or NULL if out of memory. */
char *json_out_dup(const json_t *v);

#endif
