/*
 * index.h - build or update the Xapian index from an articles directory.
 *
 * Incremental by default: a file whose size and mtime (and those of the
 * files it includes) match what the index recorded is skipped; a file
 * that is gone is removed. The whole run is one transaction, so a crash or
 * kill leaves the previous index intact and searchable.
 */
#ifndef KB_INDEX_H
#define KB_INDEX_H

#include <stdbool.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct index_opts {
	const char *articles_dir;	/* root of the Markdown files */
	const char *index_dir;		/* Xapian database (created if missing) */
	const char *synonyms_file;	/* NULL: articles_dir/synonyms.txt */
	bool rebuild;			/* re-index every file */
	bool progress;			/* draw progress on report (a terminal) */
	FILE *report;			/* per-file problems and the summary; may be NULL */
};

struct index_stats {
	unsigned indexed;	/* added or re-indexed */
	unsigned unchanged;	/* skipped, same as indexed before */
	unsigned removed;	/* deleted because the file is gone */
	unsigned failed;	/* rejected (reported as path:line: message) */
	unsigned fragments;	/* include fragments, not articles */
	unsigned warnings;	/* problems that did not stop a file */
	unsigned synonym_groups;	/* read from synonyms.txt */
};

/* Call once at program start, before any thread (xc_init: write batching). */
void index_init(void);

/*
 * Bring the index at opts->index_dir up to date with opts->articles_dir.
 * Files that fail are counted, not fatal. Returns KB_OK if the index was
 * committed (even with failed files), else an error (already reported).
 */
int index_build(const struct index_opts *opts, struct index_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
