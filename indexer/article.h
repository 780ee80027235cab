/*
 * article.h - one knowledge-base article: YAML front matter, DocFX-flavoured
 * Markdown body, and what is derived from it (plain text, HTML).
 *
 * An article file is `---`, YAML front matter, `---`, Markdown. Its slug is
 * its path relative to the articles directory without ".md". Loading
 * resolves `[!INCLUDE [x](path)]` lines, turns `> [!NOTE]` alerts into
 * labelled quotes and drops `:::image …:::` lines, so that neither the index
 * nor the page ever sees raw DocFX syntax. Reading the front matter is
 * front_matter.h's, rewriting the DocFX syntax docfx.h's; this module
 * puts them together, owns the result and renders it.
 *
 * Every string in struct article is owned by it; article_release() frees
 * them all.
 */
#ifndef KB_ARTICLE_H
#define KB_ARTICLE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ARTICLE_MAX_BYTES ((size_t)4 << 20)	/* larger files are refused */

struct faq_entry {
	char *q;	/* the question as L1 hears it */
	char *a;	/* the short answer they give */
};

struct article {
	char *slug;		/* "accounts/password-reset" */
	char *title;
	char *summary;		/* "" if none */
	char *product;		/* "" if none */
	char *category;		/* "" if none */
	char *lang;		/* "en" or "ar" */
	char *audience;		/* "l1", "l2" or "l3" */
	char *status;		/* "draft", "review", "published" or "archived" */
	char *author;		/* "" if none */
	char *updated;		/* "YYYY-MM-DD" */
	char **tags;		/* lowercase, trimmed */
	size_t ntags;
	struct faq_entry *faq;
	size_t nfaq;
	char *markdown;		/* body, DocFX resolved */
	size_t markdown_len;
	char **deps;		/* included files, relative to the root */
	size_t ndeps;
};

/*
 * A problem found while loading. Warnings do not stop the load (a missing
 * include, an unknown date); errors do. Each message reads
 * "path:line: message".
 */
struct article_diag {
	struct buf errors;	/* one message per line, "" if none */
	struct buf warnings;	/* likewise */
};

void article_diag_init(struct article_diag *d);
void article_diag_release(struct article_diag *d);

/*
 * Append "path:line: message" to list, one of a struct article_diag's: for
 * the readers of an article's parts (front_matter.h, docfx.h) as much as
 * for loading.
 */
void article_diag_add(struct buf *list, const char *path, size_t line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Parse a whole file's contents src[0..len), as found at relpath (relative
 * to root; it names the slug and is used in messages). Includes are read
 * relative to root/dirname(relpath) and must stay inside root; root may be
 * NULL to disable includes. mtime supplies `updated` when the front matter
 * has no date.
 *
 * Returns KB_OK and fills *a (release it with article_release()), or
 * KB_EINVAL with the reasons appended to diag->errors (and *a left empty).
 */
int article_parse(const char *root, const char *relpath, const char *src,
    size_t len, time_t mtime, struct article *a, struct article_diag *diag);

/* Read root/relpath and article_parse() it; KB_ENOTFOUND if missing. */
int article_load(const char *root, const char *relpath, struct article *a,
    struct article_diag *diag);

/*
 * Where the Markdown body of a file's text src[0..len) starts: just after
 * the front matter's closing line, 0 if there is no front matter,
 * (size_t)-1 if it is opened but never closed. Lines end in '\n'.
 */
size_t article_body_offset(const char *src, size_t len);

/* Free everything *a owns and zero it. */
void article_release(struct article *a);

/*
 * Plain text of the body, from cmark's AST (no Markdown syntax, no raw
 * HTML), one block per line, appended to out.
 */
void article_text(const struct article *a, struct buf *out);

/*
 * The body rendered to HTML by cmark in safe mode (raw HTML and
 * javascript:/data: links removed). The caller frees *html with free().
 * Returns KB_OK or KB_ENOMEM.
 */
int article_html(const struct article *a, char **html);

/* True if relpath names an include fragment (it lies in an "includes" folder). */
bool article_is_fragment(const char *relpath);

#ifdef __cplusplus
}
#endif
#endif
