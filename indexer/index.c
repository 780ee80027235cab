/*
 * index.c - the indexer's engine: walk the articles directory, parse each
 * changed article and write it to Xapian; see index.h.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "article.h"
#include "json_out.h"
#include "err.h"
#include "index.h"
#include "schema.h"
#include "synonyms.h"
#include "text.h"
#include "util.h"
#include "xapian_c.h"
#include "banned.h"

#define WALK_MAX_DEPTH 32

/* A sorted list of strings (file paths, slugs). */
struct strlist {
	char **v;
	size_t n, alloc;
};

static void
strlist_add(struct strlist *l, char *s)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 256;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	l->v[l->n++] = s;
}

static void
strlist_release(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static bool
strlist_has(const struct strlist *l, const char *s)
{
	return l->n && bsearch(&s, l->v, l->n, sizeof(*l->v), str_ptr_cmp) != NULL;
}

/* A slug → signature map of what the index holds, sorted by slug. */
struct known {
	char *slug;
	char *sig;
};

struct known_list {
	struct known *v;
	size_t n, alloc;
};

static void
known_add(void *ctx, const char *term, const char *value, size_t len)
{
	struct known_list *k = ctx;

	if (k->n == k->alloc) {
		k->alloc = k->alloc ? k->alloc * 2 : 256;
		k->v = xrealloc(k->v, k->alloc * sizeof(*k->v));
	}
	k->v[k->n].slug = xstrdup(term);
	k->v[k->n].sig = xstrndup(value, len);
	k->n++;
}

static int
cmp_known(const void *a, const void *b)
{
	return strcmp(((const struct known *)a)->slug,
	    ((const struct known *)b)->slug);
}

static const struct known *
known_find(const struct known_list *k, const char *slug)
{
	struct known key = { (char *)slug, NULL };

	if (!k->n)
		return NULL;
	return bsearch(&key, k->v, k->n, sizeof(*k->v), cmp_known);
}

static void
known_release(struct known_list *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		free(k->v[i].slug);
		free(k->v[i].sig);
	}
	free(k->v);
	memset(k, 0, sizeof(*k));
}

/* Collect every *.md below root/rel (relative paths), skipping dot-files. */
static void
walk(const char *root, const char *rel, int depth, struct strlist *out,
    FILE *report)
{
	struct buf path, child;
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (depth > WALK_MAX_DEPTH)
		return;
	buf_init(&path, PATH_MAX * 2);
	buf_printf(&path, "%s%s%s", root, *rel ? "/" : "", rel);
	d = opendir(buf_str(&path));
	if (!d) {
		if (report)
			fprintf(report, "%s: cannot open directory: %s\n",
			    buf_str(&path), strerror(errno));
		buf_release(&path);
		return;
	}
	buf_init(&child, PATH_MAX * 2);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		buf_reset(&child);
		buf_printf(&child, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		buf_reset(&path);
		buf_printf(&path, "%s/%s", root, buf_str(&child));
		if (child.err || path.err || stat(buf_str(&path), &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(root, buf_str(&child), depth + 1, out, report);
		else if (S_ISREG(st.st_mode) && str_ends_with(de->d_name, ".md"))
			strlist_add(out, xstrdup(buf_str(&child)));
	}
	closedir(d);
	buf_release(&path);
	buf_release(&child);
}

/* "size:mtime_ns" of root/rel, or "-" if it cannot be read. */
static void
file_signature(const char *root, const char *rel, struct buf *out)
{
	struct buf path;
	struct stat st;

	buf_init(&path, PATH_MAX * 2);
	buf_printf(&path, "%s/%s", root, rel);
	if (!path.err && stat(path.data, &st) == 0)
		buf_printf(out, "%lld:%lld.%09ld", (long long)st.st_size,
		    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	else
		buf_putc(out, '-');
	buf_release(&path);
}

/*
 * The signature of an article: its own file signature, then "\n"-separated
 * "path\tsignature" for each include. Recomputed from the same include list
 * that was recorded, so a changed include makes the signature differ.
 */
static void
signature_with_deps(const char *root, const char *rel, char *const *deps,
    size_t ndeps, struct buf *out)
{
	size_t i;

	file_signature(root, rel, out);
	for (i = 0; i < ndeps; i++) {
		buf_printf(out, "\n%s\t", deps[i]);
		file_signature(root, deps[i], out);
	}
}

/* Recompute a recorded signature's include list against the disk now. */
static void
signature_now(const char *root, const char *rel, const char *old,
    struct buf *out)
{
	const char *line = strchr(old, '\n'), *tab;
	struct strlist deps = { 0 };

	while (line) {
		line++;
		tab = strchr(line, '\t');
		if (!tab)
			break;
		strlist_add(&deps, xstrndup(line, (size_t)(tab - line)));
		line = strchr(tab, '\n');
	}
	signature_with_deps(root, rel, deps.v, deps.n, out);
	strlist_release(&deps);
}

static json_t *
json_strv(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* The JSON stored as document data: what pages need without the file. */
static char *
document_data(const struct article *a, const char *relpath)
{
	json_t *o = json_object(), *faq = json_array();
	size_t i;
	char *s;

	for (i = 0; i < a->nfaq; i++)
		json_array_append_new(faq, json_pack("{s:s, s:s}", "q",
		    a->faq[i].q, "a", a->faq[i].a));
	json_object_set_new(o, "slug", json_string(a->slug));
	json_object_set_new(o, "path", json_string(relpath));
	json_object_set_new(o, "title", json_string(a->title));
	json_object_set_new(o, "summary", json_string(a->summary));
	json_object_set_new(o, "tags", json_strv(a->tags, a->ntags));
	json_object_set_new(o, "product", json_string(a->product));
	json_object_set_new(o, "category", json_string(a->category));
	json_object_set_new(o, "lang", json_string(a->lang));
	json_object_set_new(o, "audience", json_string(a->audience));
	json_object_set_new(o, "status", json_string(a->status));
	json_object_set_new(o, "author", json_string(a->author));
	json_object_set_new(o, "updated", json_string(a->updated));
	json_object_set_new(o, "faq", faq);
	s = json_out_dup(o);
	json_decref(o);
	return s;
}

/*
 * The start of the body text, as stored for snippets, into out: white
 * space runs and table pipes folded to one space; *cut is where it stops,
 * at most TEXT_MAX bytes, on a character boundary.
 */
static void
fold_text(const struct buf *text, struct buf *out, size_t *cut)
{
	const char *p = buf_str(text);
	size_t i;
	bool space = false;

	for (i = 0; i < text->len && out->len < TEXT_MAX + 8; i++) {
		if (p[i] == ' ' || p[i] == '\n' || p[i] == '\t' || p[i] == '|') {
			space = out->len > 0;
			continue;
		}
		if (space)
			buf_putc(out, ' ');
		space = false;
		buf_putc(out, p[i]);
	}
	*cut = out->len;
	if (*cut > TEXT_MAX) {
		*cut = TEXT_MAX;
		while (*cut > 0 && ((unsigned char)out->data[*cut] & 0xC0) == 0x80)
			(*cut)--;	/* do not split a UTF-8 sequence */
	}
}

/*
 * Title, then summary and tags, for re-ranking without parsing the data.
 * An article without a summary is summed up by the start of its text
 * (lead: fold_text()'s, as stored for snippets): its first ABOUT_LEAD bytes,
 * cut at a space.
 */
static int
set_about(xc_doc *doc, const struct article *a, const char *lead,
    size_t lead_len)
{
	struct buf b;
	size_t i, cut = lead_len;
	int rc;

	buf_init(&b, 1 << 16);
	buf_puts(&b, a->title);
	buf_putc(&b, '\x1f');
	if (*a->summary) {
		buf_puts(&b, a->summary);
	} else {
		if (cut > ABOUT_LEAD) {
			cut = ABOUT_LEAD;
			while (cut > 0 && lead[cut] != ' ')
				cut--;
		}
		buf_append(&b, lead, cut);
	}
	for (i = 0; i < a->ntags; i++) {
		buf_putc(&b, ' ');
		buf_puts(&b, a->tags[i]);
	}
	rc = b.err ? b.err : xc_doc_set_value(doc, SLOT_ABOUT, b.data, b.len);
	buf_release(&b);
	return rc;
}

/* Add prefix + lowercased value as a boolean term, if value is not empty. */
static int
add_filter_term(xc_doc *doc, const char *prefix, const char *value)
{
	struct buf t;
	size_t i;
	int rc;

	if (!*value)
		return KB_OK;
	buf_init(&t, XC_TERM_MAX);
	buf_puts(&t, prefix);
	for (i = 0; value[i]; i++)
		buf_putc(&t, (char)(value[i] >= 'A' && value[i] <= 'Z' ?
		    value[i] + 32 : value[i]));
	rc = t.err ? KB_OK : xc_doc_add_term(doc, t.data);	/* skip overlong */
	buf_release(&t);
	return rc;
}

/*
 * Index normalised text, each run of a script with its own stemmer
 * (Arabic words as Arabic, the rest as English, whatever the article's
 * language); spelling: its words feed the "did you mean" dictionary.
 */
struct field_run {
	xc_doc *doc;
	unsigned weight;
	const char *prefix;
	bool spelling;
	int rc;
};

static void
index_run(void *ctx, const char *run, size_t len, const char *lang)
{
	struct field_run *f = ctx;

	if (!f->rc)
		f->rc = xc_doc_index_text(f->doc, run, len, f->weight, f->prefix,
		    text_stemmer_name(lang), f->spelling);
}

static int
index_field(xc_doc *doc, const char *s, size_t len, unsigned weight,
    const char *prefix, bool spelling)
{
	struct field_run f = { doc, weight, prefix, spelling, KB_OK };
	struct buf norm;

	buf_init(&norm, 0);
	text_normalize(&norm, s, len);
	f.rc = norm.err ? norm.err : xc_doc_next_field(doc);
	if (!f.rc)
		text_script_runs(buf_str(&norm), norm.len, index_run, &f);
	buf_release(&norm);
	return f.rc;
}

/*
 * Codes are typed more than one way; add to words the other ways s[0..len)
 * writes its codes: 0x80070005 also as 80070005, and "KB 5034441" also as
 * kb5034441, which is how queries read it (query.c).
 */
static void
code_variants(const char *s, size_t len, struct buf *words)
{
	size_t i, j, p = 0, start, end, num_end, c;

	for (i = 0; i + 3 < len; i++) {
		if (s[i] != '0' || (s[i + 1] != 'x' && s[i + 1] != 'X') ||
		    (i > 0 && isalnum((unsigned char)s[i - 1])))
			continue;
		for (j = i + 2; j < len && isxdigit((unsigned char)s[j]); j++)
			;
		if (j - i - 2 >= 4 && (j == len || !isalnum((unsigned char)s[j]))) {
			buf_append(words, s + i + 2, j - i - 2);
			buf_putc(words, ' ');
		}
		i = j;
	}
	while (text_next_word(s, len, &p, &start, &end)) {
		num_end = text_spaced_code(s, len, start, end, 4);
		if (!num_end)
			continue;
		for (c = start; c < num_end; c++)
			if (s[c] != ' ')
				buf_putc(words, (char)tolower((unsigned char)s[c]));
		buf_putc(words, ' ');
		p = num_end;
	}
}

/* The code_variants() of the title and the text, as body words. */
static int
index_code_variants(xc_doc *doc, const char *title, const char *text,
    size_t len)
{
	struct buf words;
	int rc;

	buf_init(&words, 1 << 16);
	code_variants(title, strlen(title), &words);
	code_variants(text, len, &words);
	/* stemmed too, as the body is: a query's "kb5034441" is looked up
	 * by its stem, "KB5034441" as written */
	rc = words.err ? words.err : words.len ? xc_doc_index_text(doc,
	    buf_str(&words), words.len, 1, "", "english", false) : KB_OK;
	buf_release(&words);
	return rc;
}

static void
facet_record(struct buf *b, int facet, const char *value)
{
	if (!*value)
		return;
	if (b->len)
		buf_putc(b, '\x1e');
	buf_putc(b, (char)('0' + facet));
	buf_putc(b, '\x1f');
	buf_puts(b, value);
}

/* Facet values (as written): what the result page counts and offers as filters. */
static int
set_facets(xc_doc *doc, const struct article *a)
{
	struct buf b;
	size_t i;
	int rc;

	buf_init(&b, 1 << 16);
	for (i = 0; i < a->ntags; i++)
		facet_record(&b, FACET_NO_TAG, a->tags[i]);
	facet_record(&b, FACET_NO_PRODUCT, a->product);
	facet_record(&b, FACET_NO_CATEGORY, a->category);
	facet_record(&b, FACET_NO_LANG, a->lang);
	facet_record(&b, FACET_NO_AUDIENCE, a->audience);
	rc = b.err ? b.err : xc_doc_set_value(doc, SLOT_FACETS, buf_str(&b), b.len);
	buf_release(&b);
	return rc;
}

/* Field weights: what a match in each field is worth against the body. */
enum {
	WEIGHT_TITLE = 6,
	WEIGHT_SUMMARY = 3,
	WEIGHT_TAGS = 4,
	WEIGHT_FAQ_Q = 3,
	WEIGHT_FAQ_A = 1,
	WEIGHT_BODY = 1,
};

static int
index_article(xc_wdb *db, const struct article *a, const char *relpath,
    const char *signature, bool is_new, const xc_phrases *phrases)
{
	struct buf text, folded, idterm, updated;
	xc_doc *doc;
	char *data = NULL;
	size_t i, cut;
	int rc = KB_ENOMEM;

	buf_init(&text, 0);
	buf_init(&folded, 0);
	buf_init(&idterm, 0);
	buf_init(&updated, 16);
	doc = xc_doc_new(db);
	if (!doc)
		goto out;
	article_text(a, &text);
	if (text.err) {
		rc = text.err;
		goto out;
	}
	rc = index_field(doc, a->title, strlen(a->title), WEIGHT_TITLE, "", true);
	if (!rc)
		rc = index_field(doc, a->title, strlen(a->title), 1, PREFIX_TITLE,
		    false);
	if (!rc)
		rc = index_field(doc, a->summary, strlen(a->summary),
		    WEIGHT_SUMMARY, "", false);	/* long in DocFX corpora: no spelling */
	for (i = 0; !rc && i < a->ntags; i++) {
		rc = index_field(doc, a->tags[i], strlen(a->tags[i]),
		    WEIGHT_TAGS, "", true);
		if (!rc)
			rc = add_filter_term(doc, PREFIX_TAG, a->tags[i]);
	}
	for (i = 0; !rc && i < a->nfaq; i++) {
		rc = index_field(doc, a->faq[i].q, strlen(a->faq[i].q),
		    WEIGHT_FAQ_Q, "", true);
		if (!rc)
			rc = index_field(doc, a->faq[i].a, strlen(a->faq[i].a),
			    WEIGHT_FAQ_A, "", false);
	}
	if (!rc)
		rc = index_field(doc, buf_str(&text), text.len, WEIGHT_BODY, "",
		    false);
	if (!rc)
		rc = index_code_variants(doc, a->title, buf_str(&text), text.len);
	if (!rc && phrases)
		rc = xc_doc_add_phrases(doc, phrases);
	if (!rc)
		rc = set_facets(doc, a);
	if (!rc)
		rc = add_filter_term(doc, PREFIX_PRODUCT, a->product);
	if (!rc)
		rc = add_filter_term(doc, PREFIX_CATEGORY, a->category);
	if (!rc)
		rc = add_filter_term(doc, PREFIX_LANG, a->lang);
	if (!rc)
		rc = add_filter_term(doc, PREFIX_AUDIENCE, a->audience);
	if (!rc)
		rc = add_filter_term(doc, PREFIX_STATUS, a->status);
	if (!rc && a->nfaq)
		rc = xc_doc_add_term(doc, TERM_HAS_FAQ);
	if (rc)
		goto out;

	for (i = 0; a->updated[i]; i++)
		if (a->updated[i] != '-')
			buf_putc(&updated, a->updated[i]);
	rc = xc_doc_set_value(doc, SLOT_UPDATED, buf_str(&updated), updated.len);
	if (!rc)
		rc = xc_doc_set_value(doc, SLOT_SIGNATURE, signature,
		    strlen(signature));
	fold_text(&text, &folded, &cut);
	if (!rc)
		rc = folded.err ? folded.err : xc_doc_set_value(doc, SLOT_TEXT,
		    buf_str(&folded), cut);
	if (!rc)
		rc = set_about(doc, a, buf_str(&folded), cut);
	data = document_data(a, relpath);
	if (!rc && !data)
		rc = KB_ENOMEM;
	if (!rc)
		rc = xc_doc_set_data(doc, data, strlen(data));
	buf_printf(&idterm, "%s%s", PREFIX_ID, a->slug);
	if (!rc && idterm.err)
		rc = idterm.err;
	if (!rc)
		/* a slug the index has never had needs no lookup of an old copy */
		rc = is_new ? xc_wdb_add(db, idterm.data, doc) :
		    xc_wdb_replace(db, idterm.data, doc);
out:
	free(data);
	xc_doc_free(doc);
	buf_release(&text);
	buf_release(&folded);
	buf_release(&idterm);
	buf_release(&updated);
	return rc;
}

/*
 * Set metadata key to value unless it already holds it: a run that changes
 * nothing must not make a new revision, or every reader would reload its
 * snapshot (kbd's watcher runs the indexer every 30 seconds).
 */
static int
set_metadata_changed(xc_wdb *db, const char *key, const char *value)
{
	char *old = NULL;
	int rc = xc_wdb_metadata(db, key, &old);

	if (!rc && strcmp(old, value) != 0)
		rc = xc_wdb_set_metadata(db, key, value);
	free(old);
	return rc;
}

/* Print "path:line: message" lines from diag to report; count them. */
static unsigned
report_lines(FILE *report, const struct buf *b)
{
	const char *p = buf_str(b);
	unsigned n = 0;

	for (; *p; p++)
		n += *p == '\n';
	if (report && b->len)
		fputs(buf_str(b), report);
	return n;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
draw_progress(const struct index_opts *o, size_t done, size_t total,
    double started, bool final)
{
	double el = now_seconds() - started;

	fprintf(o->report, "\rindexer: %zu/%zu files (%.0f%%), %.0f files/s   %s",
	    done, total, total ? 100.0 * (double)done / (double)total : 100.0,
	    el > 0 ? (double)done / el : 0.0, final ? "\n" : "");
	fflush(o->report);
}

/*
 * Read the synonyms file (ARTICLES_DIR/synonyms.txt unless o names one) in
 * its stored form, with its multi-word alternatives, which the articles
 * are indexed with as terms (xc_phrases): if those are not the ones the
 * index was built with, every article is indexed again (*rebuild). The
 * caller stores both in the metadata, so that readers pick them up with
 * the index revision.
 */
static int
read_synonyms(const struct index_opts *o, xc_wdb *db, struct buf *stored,
    struct buf *phrase_list, xc_phrases **phrases, unsigned *groups,
    bool *rebuild)
{
	struct buf path;
	char *before = NULL;
	int rc;

	buf_init(&path, 0);
	if (o->synonyms_file)
		buf_puts(&path, o->synonyms_file);
	else
		buf_printf(&path, "%s/%s", o->articles_dir, SYNONYMS_FILE);
	rc = path.err ? path.err :
	    synonyms_read(buf_str(&path), o->report, stored, groups);
	buf_release(&path);
	if (rc)
		return rc;
	synonyms_phrases(buf_str(stored), phrase_list);
	if (phrase_list->err)
		return phrase_list->err;
	rc = xc_wdb_metadata(db, META_PHRASES, &before);
	if (rc)
		return rc;
	if (strcmp(before, buf_str(phrase_list)) != 0)
		*rebuild = true;
	free(before);
	*phrases = xc_phrases_new(buf_str(phrase_list), PREFIX_PHRASE);
	return *phrases ? KB_OK : KB_ENOMEM;
}

void
index_init(void)
{
	xc_init();
}

int
index_build(const struct index_opts *o, struct index_stats *st)
{
	struct strlist files = { 0 }, slugs = { 0 };
	struct known_list known = { 0 };
	const struct known *k;
	struct article_diag diag;
	struct article a;
	struct buf sig, idterm, synonyms, phrase_list;
	xc_wdb *db = NULL;
	xc_phrases *phrases = NULL;
	char *errmsg = NULL, *schema = NULL, *slug;
	double started = now_seconds(), last_draw = 0;
	size_t i;
	bool rebuild = o->rebuild;
	int rc;

	memset(st, 0, sizeof(*st));
	buf_init(&sig, 1 << 20);
	buf_init(&idterm, 0);
	buf_init(&synonyms, 2 << 20);	/* from a file of at most 1 MiB */
	buf_init(&phrase_list, 2 << 20);
	article_diag_init(&diag);

	rc = xc_wdb_open(o->index_dir, &db, &errmsg);
	if (rc) {
		if (o->report)
			fprintf(o->report, "%s: cannot open index for writing: %s\n",
			    o->index_dir, errmsg ? errmsg : kb_strerror(rc));
		goto out;
	}
	rc = xc_wdb_metadata(db, META_SCHEMA, &schema);
	if (rc)
		goto out_db_error;
	if (strcmp(schema, INDEX_SCHEMA_VERSION) != 0)
		rebuild = true;	/* a new layout: nothing old can be trusted */
	rc = read_synonyms(o, db, &synonyms, &phrase_list, &phrases,
	    &st->synonym_groups, &rebuild);
	if (rc)
		goto out_db_error;
	rc = xc_wdb_each_term_value(db, PREFIX_ID, SLOT_SIGNATURE, known_add, &known);
	if (rc)
		goto out_db_error;
	if (known.n)
		qsort(known.v, known.n, sizeof(*known.v), cmp_known);

	walk(o->articles_dir, "", 0, &files, o->report);
	if (files.n)
		qsort(files.v, files.n, sizeof(*files.v), str_ptr_cmp);

	rc = xc_wdb_begin(db);
	if (rc)
		goto out_db_error;
	for (i = 0; i < files.n; i++) {
		const char *rel = files.v[i];

		if (o->progress && o->report && now_seconds() - last_draw > 0.2) {
			draw_progress(o, i, files.n, started, false);
			last_draw = now_seconds();
		}
		if (article_is_fragment(rel)) {
			st->fragments++;
			continue;
		}
		slug = xstrndup(rel, strlen(rel) - 3);
		strlist_add(&slugs, slug);
		k = known_find(&known, slug);
		if (k && !rebuild) {
			buf_reset(&sig);
			signature_now(o->articles_dir, rel, k->sig, &sig);
			if (!sig.err && strcmp(buf_str(&sig), k->sig) == 0) {
				st->unchanged++;
				continue;
			}
		}
		buf_reset(&diag.errors);
		buf_reset(&diag.warnings);
		rc = article_load(o->articles_dir, rel, &a, &diag);
		st->warnings += report_lines(o->report, &diag.warnings);
		if (rc) {
			if (!report_lines(o->report, &diag.errors) && o->report)
				fprintf(o->report, "%s:1: %s\n", rel, kb_strerror(rc));
			st->failed++;
			/* a broken file must not leave its old version searchable */
			buf_reset(&idterm);
			buf_printf(&idterm, "%s%s", PREFIX_ID, slug);
			if (k && (rc = xc_wdb_delete(db, buf_str(&idterm))))
				goto out_db_error;
			continue;
		}
		buf_reset(&sig);
		signature_with_deps(o->articles_dir, rel, a.deps, a.ndeps, &sig);
		rc = sig.err ? sig.err : index_article(db, &a, rel, buf_str(&sig),
		    k == NULL, phrases);
		article_release(&a);
		if (rc == KB_ESEARCH || rc == KB_EMODIFIED)
			goto out_db_error;
		if (rc) {
			if (o->report)
				fprintf(o->report, "%s:1: cannot index: %s\n", rel,
				    kb_strerror(rc));
			st->failed++;
			continue;
		}
		st->indexed++;
	}
	if (o->progress && o->report)
		draw_progress(o, files.n, files.n, started, true);

	if (slugs.n)
		qsort(slugs.v, slugs.n, sizeof(*slugs.v), str_ptr_cmp);
	for (i = 0; i < known.n; i++) {
		if (strlist_has(&slugs, known.v[i].slug))
			continue;
		buf_reset(&idterm);
		buf_printf(&idterm, "%s%s", PREFIX_ID, known.v[i].slug);
		rc = xc_wdb_delete(db, buf_str(&idterm));
		if (rc)
			goto out_db_error;
		st->removed++;
	}
	rc = set_metadata_changed(db, META_SYNONYMS, buf_str(&synonyms));
	if (!rc)
		rc = set_metadata_changed(db, META_PHRASES, buf_str(&phrase_list));
	if (!rc)
		rc = set_metadata_changed(db, META_SCHEMA, INDEX_SCHEMA_VERSION);
	if (!rc)
		rc = xc_wdb_commit(db);
	if (rc)
		goto out_db_error;
	goto out;

out_db_error:
	if (o->report)
		fprintf(o->report, "%s: index error: %s\n", o->index_dir,
		    xc_wdb_errmsg(db));
out:
	xc_wdb_close(db);
	free(errmsg);
	free(schema);
	strlist_release(&files);
	strlist_release(&slugs);
	known_release(&known);
	article_diag_release(&diag);
	buf_release(&sig);
	buf_release(&idterm);
	buf_release(&synonyms);
	buf_release(&phrase_list);
	xc_phrases_free(phrases);
	return rc;
}
