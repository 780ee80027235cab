/*
 * main.c - the `indexer` command: index a directory of Markdown articles
 * into a Xapian database.
 *
 * Exit status: 0 all files indexed, 1 some files failed (each reported as
 * path:line: message), 2 usage error or the index could not be written.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "index.h"
#include "banned.h"

static void
usage(FILE *f)
{
	fputs("usage: indexer [--rebuild] [--quiet] [--synonyms FILE] ARTICLES_DIR INDEX_DIR\n"
	    "\n"
	    "Index the Markdown articles under ARTICLES_DIR into the Xapian\n"
	    "database INDEX_DIR (created if missing). Only files changed since\n"
	    "the last run are re-indexed; articles whose files are gone are\n"
	    "removed. The run is one transaction: if it is interrupted, the\n"
	    "previous index stays as it was.\n"
	    "\n"
	    "  --rebuild         re-index every file\n"
	    "  --quiet           no progress line and no summary\n"
	    "  --synonyms FILE   synonym groups (default ARTICLES_DIR/synonyms.txt)\n"
	    "  --help            this text\n"
	    "\n"
	    "Exit status: 0 all indexed, 1 some files failed (see the\n"
	    "path:line: messages), 2 the index could not be written.\n", f);
}

int
main(int argc, char **argv)
{
	struct index_opts o = { 0 };
	struct index_stats st;
	bool quiet = false;
	int i, rc;

	index_init();
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--rebuild") == 0) {
			o.rebuild = true;
		} else if (strcmp(argv[i], "--quiet") == 0) {
			quiet = true;
		} else if (strcmp(argv[i], "--synonyms") == 0 && i + 1 < argc) {
			o.synonyms_file = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			fprintf(stderr, "indexer: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (argc - i != 2) {
		usage(stderr);
		return 2;
	}
	o.articles_dir = argv[i];
	o.index_dir = argv[i + 1];
	o.report = stderr;
	o.progress = !quiet && isatty(STDERR_FILENO);
	if (access(o.articles_dir, R_OK | X_OK) != 0) {
		fprintf(stderr, "indexer: %s: cannot read directory\n", o.articles_dir);
		return 2;
	}
	rc = index_build(&o, &st);
	if (rc)
		return 2;
	if (!quiet)
		fprintf(stderr, "indexer: indexed=%u unchanged=%u removed=%u "
		    "failed=%u fragments=%u warnings=%u synonyms=%u\n", st.indexed,
		    st.unchanged, st.removed, st.failed, st.fragments, st.warnings,
		    st.synonym_groups);
	return st.failed ? 1 : 0;
}
