/*
 * statics.h - the CSS, JavaScript and images under templates/static,
 * read into memory at start-up and served by name. No path is ever built
 * from a URL: a request names an entry of this table or gets a 404.
 */
#ifndef KB_STATICS_H
#define KB_STATICS_H

#include <stddef.h>

struct statics;

struct static_file {
	const char *name;		/* "style.css" */
	const char *content_type;
	const char *data;
	size_t len;
};

/* Load every regular file directly in dir. KB_OK with an empty set if dir is missing. */
int statics_load(const char *dir, struct statics **out);
void statics_free(struct statics *s);
/* The file called name, or NULL. */
const struct static_file *statics_find(const struct statics *s, const char *name);

#endif
