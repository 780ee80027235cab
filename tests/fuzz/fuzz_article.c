/*
 * fuzz_article.c - libFuzzer harness for the article loader: arbitrary
 * bytes go through article_parse() (front matter, DocFX rewriting) with
 * includes disabled, and whatever parses is turned into plain text and
 * safe HTML by cmark. Built and run by `make fuzz`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "buf.h"
#include "err.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A parsed article must have every field its header promises. */
static void
check_article(const struct article *a)
{
	size_t i;

	if (!a->slug || !a->title || !a->summary || !a->product ||
	    !a->category || !a->lang || !a->audience || !a->status ||
	    !a->author || !a->updated || !a->markdown)
		abort();
	if (strcmp(a->lang, "en") != 0 && strcmp(a->lang, "ar") != 0)
		abort();
	if (a->ntags && !a->tags)
		abort();
	for (i = 0; i < a->ntags; i++)
		if (!a->tags[i])
			abort();
	for (i = 0; i < a->nfaq; i++)
		if (!a->faq[i].q || !a->faq[i].a)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct article a;
	struct article_diag diag;
	struct buf text;
	char *html = NULL;

	memset(&a, 0, sizeof(a));
	article_diag_init(&diag);
	/* data is not NUL-terminated: the parser must keep to size bytes */
	if (article_parse(NULL, "fuzz/input.md", (const char *)data, size, 0,
	    &a, &diag) == KB_OK) {
		check_article(&a);
		buf_init(&text, 0);
		article_text(&a, &text);
		buf_release(&text);
		if (article_html(&a, &html) == KB_OK)
			free(html);
	}
	article_release(&a);
	article_diag_release(&diag);
	return 0;
}
