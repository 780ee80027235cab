/*
 * docfx.h - the DocFX extensions to Markdown in an article's body,
 * rewritten so that neither the index nor the page ever sees raw DocFX
 * syntax: `[!INCLUDE [x](path)]` lines are replaced by the file they name,
 * `> [!NOTE]` alerts become quotes with a bold label, `:::` directives and
 * `[!div]` lines are dropped. Fenced code is copied as it is.
 *
 * Includes are read relative to the including file, must stay inside the
 * articles directory, and nest at most a few deep; an included file's own
 * front matter is skipped.
 */
#ifndef KB_DOCFX_H
#define KB_DOCFX_H

#include <stddef.h>

#include "article.h"
#include "buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Append the body s[0..len) of the file relpath (relative to root), whose
 * first line is line first_line of the file, to out with its DocFX syntax
 * rewritten. root NULL drops include lines unread. Each file included is
 * added to a->deps (root-relative; the article owns the copies). Problems
 * (a missing or unsafe include, a malformed line) are warnings in
 * diag->warnings, never errors: the line is skipped. out's sticky error
 * tells whether it all fitted.
 */
void docfx_rewrite(const char *root, const char *relpath, const char *s,
    size_t len, size_t first_line, struct article *a,
    struct article_diag *diag, struct buf *out);

#ifdef __cplusplus
}
#endif
#endif
