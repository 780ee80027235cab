/*
 * quality.c - search quality on labelled queries: kbd's own search code
 * (search_run(), exactly what the API calls) against an SQLite FTS5 BM25
 * baseline over the same articles.
 *
 *   quality --index DIR --corpus DIR --fts FILE [--verbose]
 *           [--pasted N [--own-names]] QUERIES.tsv...
 *
 * A queries file has lines "query<TAB>slug,slug…<TAB>kind"; the first line is
 * a header. A query succeeds at k if one of its slugs is in the top k.
 * --pasted N adds N queries of the kind agents paste: a quoted line of an
 * article (a "> " block quote of 6 to 40 words that says something failed)
 * labelled with that article, from articles picked by a fixed-seed
 * shuffle of the corpus, so every run draws the same ones. With
 * --own-names the middle word of 4+ letters of each (if it has three
 * such) becomes a name no article has, as the caller's own server or
 * mailbox stands where the article has a placeholder.
 * The FTS5 table (tokenizer "porter unicode61 remove_diacritics 2") is built
 * into FILE from the corpus with the same article parser when FILE is missing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "article.h"
#include "buf.h"
#include "err.h"
#include "search.h"
#include "util.h"

struct query {
	char *text;
	char **relevant;
	size_t nrelevant;
	char *kind;
	bool arabic;
};

struct score {
	unsigned n, at1, at5;
	double rr;	/* sum of reciprocal ranks within the top 10 */
};

static void
score_add(struct score *s, int rank)
{
	s->n++;
	if (rank == 1)
		s->at1++;
	if (rank >= 1 && rank <= 5)
		s->at5++;
	if (rank >= 1 && rank <= 10)
		s->rr += 1.0 / rank;
}

static void
score_print(const char *engine, const char *set, const struct score *s)
{
	if (!s->n)
		return;
	printf("engine=%s%s%s n=%u success@1=%.3f success@5=%.3f mrr@10=%.3f\n",
	    engine, *set ? " set=" : "", set, s->n, (double)s->at1 / s->n,
	    (double)s->at5 / s->n, s->rr / s->n);
}

static int
rank_of(const struct query *q, char *const *slugs, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < q->nrelevant; j++)
			if (strcmp(slugs[i], q->relevant[j]) == 0)
				return (int)i + 1;
	return 0;
}

static size_t
load_queries(const char *path, struct query **out, size_t n)
{
	struct buf src;
	char *line, *save = NULL, *tab1, *tab2, *rel, *tok, *save2 = NULL;
	bool header = true;

	buf_init(&src, 16 << 20);
	if (file_read(path, &src)) {
		fprintf(stderr, "quality: cannot read %s\n", path);
		exit(2);
	}
	for (line = strtok_r(src.data, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		if (header) {
			header = false;
			continue;
		}
		tab1 = strchr(line, '\t');
		if (!tab1)
			continue;
		*tab1 = '\0';
		tab2 = strchr(tab1 + 1, '\t');
		if (tab2)
			*tab2 = '\0';
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		memset(&(*out)[n], 0, sizeof(**out));
		(*out)[n].text = xstrdup(line);
		(*out)[n].kind = xstrdup(tab2 ? tab2 + 1 : "");
		(*out)[n].arabic = strstr((*out)[n].kind, "ar") != NULL;
		rel = tab1 + 1;
		for (tok = strtok_r(rel, ",", &save2); tok;
		    tok = strtok_r(NULL, ",", &save2)) {
			(*out)[n].relevant = xrealloc((*out)[n].relevant,
			    ((*out)[n].nrelevant + 1) * sizeof(char *));
			(*out)[n].relevant[(*out)[n].nrelevant++] = xstrdup(tok);
		}
		n++;
	}
	buf_release(&src);
	return n;
}

/* ---- the corpus ---- */

/* The articles of corpus (paths relative to it, no fragments), sorted; *n of them. */
static char **
corpus_articles(const char *corpus, size_t *n)
{
	char cmd[8192], line[4096], **files = NULL;
	FILE *p;

	*n = 0;
	snprintf(cmd, sizeof(cmd), "cd '%s' && find . -name '*.md' -type f | "
	    "LC_ALL=C sort", corpus);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (strlen(line) > 5 && !article_is_fragment(line + 2)) {
			files = xrealloc(files, (*n + 1) * sizeof(*files));
			files[(*n)++] = xstrdup(line + 2);
		}
	}
	if (p)
		pclose(p);
	return files;
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- pasted messages ---- */

/* The next number of a fixed-seed xorshift: the same sample every run. */
static uint64_t
next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* Does line (NUL-terminated) read like a message about something failing? */
static bool
says_failure(const char *line)
{
	static const char *const words[] = { "error", "fail", "cannot", "can't",
		"unable", "denied", "not ", NULL };
	size_t i, n = 0;
	const char *p;

	for (p = line; *p; p++)
		n += (p == line || p[-1] == ' ') && *p != ' ';
	if (n < 6 || n > 40 || strncmp(line, "[!", 2) == 0)
		return false;
	for (i = 0; words[i]; i++)
		if (strcasestr(line, words[i]))
			return true;
	return false;
}

/*
 * One quoted line of the article at path that says_failure(), picked with
 * state, or NULL.
 */
static char *
pasted_line(const char *path, uint64_t *state)
{
	struct buf src;
	char *line, *save = NULL, *body, *picked = NULL, **lines = NULL;
	size_t n = 0;

	buf_init(&src, 8 << 20);
	if (file_read(path, &src) || !src.data) {
		buf_release(&src);
		return NULL;
	}
	body = strncmp(src.data, "---", 3) == 0 ? strstr(src.data + 3, "\n---") :
	    src.data;
	for (line = body ? strtok_r(body, "\n", &save) : NULL; line;
	    line = strtok_r(NULL, "\n", &save)) {
		line += strspn(line, " \t");
		if (*line != '>')
			continue;
		line += strspn(line, "> \t");
		line[strcspn(line, "\r\t")] = '\0';
		if (says_failure(line)) {
			lines = xrealloc(lines, (n + 1) * sizeof(*lines));
			lines[n++] = line;
		}
	}
	if (n)
		picked = xstrdup(lines[next_random(state) % n]);
	free(lines);
	buf_release(&src);
	return picked;
}

/*
 * The middle word of 4+ ASCII letters of text (if it has three) replaced
 * by a name no article has ("Qzname" and a number); text is freed.
 */
static char *
own_name(char *text, uint64_t *state)
{
	size_t start[64], len[64], n = 0, i = 0, k;
	struct buf out;

	while (text[i] && n < 64) {
		for (k = i; (text[k] | 0x20) >= 'a' && (text[k] | 0x20) <= 'z'; k++)
			;
		if (k - i >= 4 && (!text[k] || text[k] == ' ') &&
		    (i == 0 || text[i - 1] == ' ')) {
			start[n] = i;
			len[n++] = k - i;
		}
		i = k > i ? k : i + 1;
	}
	if (n < 3)
		return text;
	k = n / 2;
	buf_init(&out, 0);
	buf_append(&out, text, start[k]);
	buf_printf(&out, "Qzname%u", (unsigned)(next_random(state) % 90 + 10));
	buf_puts(&out, text + start[k] + len[k]);
	free(text);
	return buf_detach(&out, NULL);
}

/* Add up to want pasted-message queries from the corpus to *out. */
static size_t
add_pasted(const char *corpus, size_t want, bool own_names, struct query **out,
    size_t n)
{
	char path[8192], **files, *text, *tmp;
	uint64_t state = 0x9E3779B97F4A7C15u;
	size_t nfiles, i, j, added = 0;

	files = corpus_articles(corpus, &nfiles);
	for (i = nfiles; i > 1; i--) {		/* Fisher-Yates */
		j = next_random(&state) % i;
		tmp = files[i - 1];
		files[i - 1] = files[j];
		files[j] = tmp;
	}
	for (i = 0; i < nfiles && added < want; i++) {
		snprintf(path, sizeof(path), "%s/%s", corpus, files[i]);
		if (!(text = pasted_line(path, &state)))
			continue;
		if (own_names)
			text = own_name(text, &state);
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		memset(&(*out)[n], 0, sizeof(**out));
		(*out)[n].text = text;
		(*out)[n].kind = xstrdup("pasted");
		(*out)[n].relevant = xcalloc(1, sizeof(char *));
		(*out)[n].relevant[0] = xstrndup(files[i], strlen(files[i]) - 3);
		(*out)[n].nrelevant = 1;
		n++;
		added++;
	}
	free_list(files, nfiles);
	return n;
}

/* ---- the FTS5 baseline ---- */

static void
fts_add_all(sqlite3_stmt *ins, const char *corpus)
{
	struct article_diag diag;
	struct article a;
	struct buf text;
	size_t n, i;
	char **files = corpus_articles(corpus, &n);

	for (i = 0; i < n; i++) {
		article_diag_init(&diag);
		if (article_load(corpus, files[i], &a, &diag) == KB_OK &&
		    strcmp(a.status, "published") == 0) {
			buf_init(&text, 0);
			article_text(&a, &text);
			sqlite3_bind_text(ins, 1, a.slug, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 2, a.title, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 3, buf_str(&text), -1, SQLITE_TRANSIENT);
			sqlite3_step(ins);
			sqlite3_reset(ins);
			buf_release(&text);
			article_release(&a);
		}
		article_diag_release(&diag);
	}
	free_list(files, n);
}

static sqlite3 *
fts_open(const char *path, const char *corpus)
{
	sqlite3 *db;
	sqlite3_stmt *ins;
	FILE *f = fopen(path, "r");
	bool exists = f != NULL;

	if (f)
		fclose(f);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		fprintf(stderr, "quality: %s: %s\n", path, sqlite3_errmsg(db));
		exit(2);
	}
	if (exists)
		return db;
	fprintf(stderr, "quality: building the FTS5 baseline in %s\n", path);
	sqlite3_exec(db, "CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, "
	    "title, body, tokenize = 'porter unicode61 remove_diacritics 2');"
	    "BEGIN;", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO docs(slug, title, body) VALUES (?, ?, ?)",
	    -1, &ins, NULL);
	fts_add_all(ins, corpus);
	sqlite3_finalize(ins);
	sqlite3_exec(db, "COMMIT;", NULL, NULL, NULL);
	return db;
}

/* FTS5 query: every word of the query as a quoted term, ORed. */
static void
fts_query(const char *q, struct buf *out)
{
	const char *p = q;
	size_t len;

	while (*p) {
		while (*p && strchr(" \t\"'()*:^-+,.?!/\\", *p))
			p++;
		len = strcspn(p, " \t\"'()*:^-+,.?!/\\");
		if (!len)
			break;
		if (out->len)
			buf_puts(out, " OR ");
		buf_putc(out, '"');
		buf_append(out, p, len);
		buf_putc(out, '"');
		p += len;
	}
}

static size_t
fts_search(sqlite3 *db, const char *q, char **slugs)
{
	sqlite3_stmt *st;
	struct buf fq;
	size_t n = 0;

	buf_init(&fq, 0);
	fts_query(q, &fq);
	if (sqlite3_prepare_v2(db, "SELECT slug FROM docs WHERE docs MATCH ? "
	    "ORDER BY bm25(docs) LIMIT 10", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, buf_str(&fq), -1, SQLITE_TRANSIENT);
		while (n < 10 && sqlite3_step(st) == SQLITE_ROW)
			slugs[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	buf_release(&fq);
	return n;
}

int
main(int argc, char **argv)
{
	const char *index = NULL, *corpus = NULL, *fts = NULL;
	struct query *qs = NULL;
	size_t nq = 0, i, j, n;
	struct search *s;
	struct score kbd_all = { 0 }, kbd_en = { 0 }, kbd_ar = { 0 };
	struct score fts_all = { 0 }, fts_en = { 0 }, fts_ar = { 0 };
	struct search_request req = { 0 };
	struct search_result res;
	bool verbose = false, own_names = false;
	size_t pasted = 0;
	char *slugs[10], *err = NULL;
	sqlite3 *db;
	int r1, r2, k;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--index") == 0 && k + 1 < argc)
			index = argv[++k];
		else if (strcmp(argv[k], "--corpus") == 0 && k + 1 < argc)
			corpus = argv[++k];
		else if (strcmp(argv[k], "--fts") == 0 && k + 1 < argc)
			fts = argv[++k];
		else if (strcmp(argv[k], "--verbose") == 0)
			verbose = true;
		else if (strcmp(argv[k], "--pasted") == 0 && k + 1 < argc)
			pasted = strtoul(argv[++k], NULL, 10);
		else if (strcmp(argv[k], "--own-names") == 0)
			own_names = true;
		else
			nq = load_queries(argv[k], &qs, nq);
	}
	if (corpus && pasted)
		nq = add_pasted(corpus, pasted, own_names, &qs, nq);
	if (!index || !corpus || !fts || !nq) {
		fputs("usage: quality --index DIR --corpus DIR --fts FILE [--verbose] "
		    "[--pasted N [--own-names]] QUERIES.tsv...\n", stderr);
		return 2;
	}
	if (search_open(index, &s, &err)) {
		fprintf(stderr, "quality: %s: %s\n", index, err ? err : "cannot open");
		return 2;
	}
	db = fts_open(fts, corpus);
	for (i = 0; i < nq; i++) {
		req.q = qs[i].text;
		req.limit = 10;
		req.spelling = true;	/* as the API and the page search */
		req.faq = true;
		if (search_run(s, &req, &res)) {
			fprintf(stderr, "quality: search failed for %s\n", qs[i].text);
			return 2;
		}
		n = 0;
		for (j = 0; j < res.nhits; j++)
			slugs[n++] = xstrdup(json_string_value(json_object_get(
			    res.hits[j].doc, "slug")));
		r1 = rank_of(&qs[i], slugs, n);
		if (verbose)
			printf("kbd  rank=%d %s\t%s\t-> %s\n", r1, qs[i].kind, qs[i].text,
			    n ? slugs[0] : "(none)");
		for (j = 0; j < n; j++)
			free(slugs[j]);
		search_result_release(&res);
		n = fts_search(db, qs[i].text, slugs);
		r2 = rank_of(&qs[i], slugs, n);
		if (verbose && r2 != r1)
			printf("fts5 rank=%d %s\t%s\n", r2, qs[i].kind, qs[i].text);
		for (j = 0; j < n; j++)
			free(slugs[j]);
		score_add(&kbd_all, r1);
		score_add(qs[i].arabic ? &kbd_ar : &kbd_en, r1);
		score_add(&fts_all, r2);
		score_add(qs[i].arabic ? &fts_ar : &fts_en, r2);
	}
	score_print("kbd", "", &kbd_all);
	score_print("fts5", "", &fts_all);
	score_print("kbd", "en", &kbd_en);
	score_print("fts5", "en", &fts_en);
	score_print("kbd", "ar", &kbd_ar);
	score_print("fts5", "ar", &fts_ar);
	sqlite3_close(db);
	search_close(s);
	return 0;
}
