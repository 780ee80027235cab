/*
 * fuzz_tmpl.c - libFuzzer harness for the template engine: the input is
 * parsed as a template and, if it parses, rendered with a fixed data
 * object full of characters that must be escaped, nested arrays and
 * objects, and a partial. Checks that {{name}} output never carries a raw
 * < > " ' or a bare & from the data. Built and run by `make fuzz`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "err.h"
#include "tmpl.h"
#include "banned.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *fixed;

/*
 * Every string value that needs escaping is wrapped in MARK … KRAM. In the
 * output, what lies between them came from {{name}} and must be escaped:
 * no raw < > " ', and every & starts an entity.
 */
static const char data_json[] =
    "{"
    " \"title\": \"MARK<script>alert('x')</script> & \\\"q\\\"KRAM\","
    " \"empty\": \"\", \"zero\": 0, \"one\": 1, \"pi\": 3.25, \"yes\": true,"
    " \"no\": false, \"nothing\": null, \"none\": [],"
    " \"html\": \"<b>trusted</b>\","
    " \"ar\": \"MARK<\\u0643\\u0644\\u0645\\u0629 \\u0633\\u0631 &>KRAM\","
    " \"tags\": [\"MARK<a>KRAM\", \"MARK\\\"b\\\"KRAM\", \"MARK'c'KRAM\", \"MARK&dKRAM\"],"
    " \"items\": ["
    "  {\"name\": \"MARK<i>KRAM\", \"url\": \"MARK/articles/a?b=<c>&d='e'KRAM\","
    "   \"tags\": [\"x\", \"MARK<y>KRAM\"], \"sub\": {\"deep\": \"MARK>&<KRAM\"}},"
    "  {\"name\": \"MARK&amp;KRAM\", \"tags\": [],"
    "   \"sub\": {\"deep\": [1, [2, [\"MARK<3>KRAM\"]]]}},"
    "  [\"MARK<nested>KRAM\", {\"name\": \"MARK'n'KRAM\"}]"
    " ],"
    " \"a\": {\"b\": {\"c\": \"MARK\\\"abc\\\"KRAM\", \"list\": [{\"c\": \"MARK<>KRAM\"}]}}"
    "}";

/* A partial that the input may pull in with {{>p}}. */
static const char partial[] =
    "<li>{{name}} {{#tags}}[{{.}}]{{/tags}}{{^tags}}none{{/tags}}</li>";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	json_error_t jerr;

	(void)argc;
	(void)argv;
	fixed = json_loads(data_json, 0, &jerr);
	if (!fixed)
		abort();
	return 0;
}

/* True if the input may itself produce MARK/KRAM text or raw output
 * ({{{name}}}): the escaping check is then skipped. */
static int
raw_expected(const uint8_t *data, size_t size)
{
	return memmem(data, size, "MARK", 4) != NULL ||
	    memmem(data, size, "KRAM", 4) != NULL ||
	    memmem(data, size, "{{{", 3) != NULL;
}

/* Abort if s[0..len), escaped data, has a raw special character. */
static void
check_escaped(const char *s, size_t len)
{
	static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;",
		"&#39;" };
	size_t i, k;

	for (i = 0; i < len; i++) {
		if (s[i] == '<' || s[i] == '>' || s[i] == '"' || s[i] == '\'')
			abort();
		if (s[i] != '&')
			continue;
		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++)
			if (len - i >= strlen(ents[k]) &&
			    memcmp(s + i, ents[k], strlen(ents[k])) == 0)
				break;
		if (k == sizeof(ents) / sizeof(ents[0]))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out;
	char *err = NULL;
	const char *p, *q;
	int rc;

	if (tmpl_set_add(set, "p", partial, sizeof(partial) - 1, NULL) != KB_OK)
		abort();
	rc = tmpl_set_add(set, "t", (const char *)data, size, &err);
	if (rc != KB_OK) {
		if (rc != KB_EINVAL || !err)
			abort();	/* a syntax error must say where */
		free(err);
		tmpl_set_free(set);
		return 0;
	}
	if (err)
		abort();
	buf_init(&out, 1 << 20);
	rc = tmpl_render(set, "t", fixed, &out);
	if (rc == KB_OK && out.len && !raw_expected(data, size)) {
		for (p = buf_str(&out); (p = strstr(p, "MARK")) != NULL; p = q + 4) {
			q = strstr(p + 4, "KRAM");
			if (!q)
				abort();	/* a value was cut */
			check_escaped(p + 4, (size_t)(q - p - 4));
		}
	}
	buf_release(&out);
	tmpl_set_free(set);
	return 0;
}
