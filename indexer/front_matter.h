/*
 * front_matter.h - the YAML block at the top of an article file: where it
 * ends, and its fields read onto struct article.
 *
 * Reading checks every field as it goes: closed vocabularies (lang,
 * audience, status), dates, tags, faq entries, a cap on each value; and
 * it maps DocFX's own fields (description, keywords, ms.date, ms.prod,
 * ms.contentlocale, its audience names) onto ours, so that DocFX corpora
 * index without edits. Fields the block does not give are left NULL for
 * article_parse() to default.
 *
 * The strings set in struct article are the article's: article_release()
 * frees them. Nothing returned here is allocated.
 */
#ifndef KB_FRONT_MATTER_H
#define KB_FRONT_MATTER_H

#include <stdbool.h>
#include <stddef.h>

#include "article.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FRONT_MATTER_FIELD_MAX 4096	/* a longer value is an error */

/*
 * Length of the front matter block at the start of s[0..len), both '---'
 * lines included (a closing "..." or "--- " counts too): 0 if s has none,
 * (size_t)-1 if it is opened but never closed. *body_line gets the line
 * the body starts on, when the block is closed.
 */
size_t front_matter_end(const char *s, size_t len, size_t *body_line);

/*
 * Read the front matter block src[0..end) (end from front_matter_end(),
 * not 0 nor (size_t)-1) of the file relpath onto *a; unknown keys are
 * ignored, and of a repeated key the first counts. Each problem goes to
 * diag->errors as "relpath:line: message" and sets *failed (never
 * cleared).
 *
 * Returns KB_EINVAL if the block is not YAML at all (nothing is set; the
 * article cannot be read further), else KB_OK: fields that were refused
 * are reported and left out, the others set, so that the caller can go on
 * and report more.
 */
int front_matter_read(const char *src, size_t end, const char *relpath,
    struct article *a, struct article_diag *diag, bool *failed);

#ifdef __cplusplus
}
#endif
#endif
