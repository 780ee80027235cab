/*
 * statics.c - see statics.h.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "err.h"
#include "log.h"
#include "statics.h"
#include "util.h"
#include "banned.h"

#define STATIC_MAX_BYTES ((size_t)4 << 20)

struct statics {
	struct static_file *files;
	size_t n;
};

static const char *
content_type_for(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".woff2", "font/woff2" },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (str_ends_with(name, types[i].ext))
			return types[i].type;
	return NULL;
}

int
statics_load(const char *dir, struct statics **out)
{
	struct statics *s = xcalloc(1, sizeof(*s));
	struct buf path, data;
	struct dirent *de;
	struct stat st;
	const char *type;
	DIR *d;
	int rc = KB_OK;

	*out = s;
	d = opendir(dir);
	if (!d)
		return KB_OK;
	buf_init(&path, 4096);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !(type = content_type_for(de->d_name)))
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, de->d_name);
		if (path.err || stat(path.data, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		buf_init(&data, STATIC_MAX_BYTES);
		rc = file_read(path.data, &data);
		if (rc) {
			kb_log(LOG_ERR, "%s: %s", path.data, kb_strerror(rc));
			buf_release(&data);
			break;
		}
		s->files = xrealloc(s->files, (s->n + 1) * sizeof(*s->files));
		s->files[s->n].name = xstrdup(de->d_name);
		s->files[s->n].content_type = type;
		s->files[s->n].len = data.len;
		s->files[s->n].data = buf_detach(&data, NULL);
		s->n++;
	}
	closedir(d);
	buf_release(&path);
	return rc;
}

void
statics_free(struct statics *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free((char *)s->files[i].name);
		free((char *)s->files[i].data);
	}
	free(s->files);
	free(s);
}

const struct static_file *
statics_find(const struct statics *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->files[i].name, name) == 0)
			return &s->files[i];
	return NULL;
}
