/*
 * snapshot.c - per-revision documents in memory; see snapshot.h.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "log.h"
#include "rank.h"
#include "schema.h"
#include "snapshot.h"
#include "titles.h"
#include "util.h"
#include "banned.h"

/* A text kept once read: its words, its length, then the bytes and a NUL. */
struct kept_text {
	struct word_span *words;	/* malloc'd */
	size_t nwords;
	bool has_words;
	size_t len;
	char data[];
};

struct snap_doc {
	char *title;		/* SLOT_ABOUT up to '\x1f' (or NUL); NULL: none */
	const char *rest;	/* after the '\x1f', in title's block; or NULL */
	struct rank_traits traits;	/* title's, from loading (of the fixed
					   part, not SNAPSHOT_KEEP_MAX); all
					   zero, as "", if none */
	struct word_span *title_words, *rest_words;	/* their words, split
					   at loading; NULL if none or too long */
	uint32_t ntitle_words, nrest_words;
	uint32_t facet0;	/* first of its records in facet_recs */
	uint32_t nfacets;
	_Atomic(struct kept_text *) text;	/* NULL until read */
	_Atomic(json_t *) doc;			/* NULL until parsed */
};

/* One distinct facet value: facet number and the value as written. */
struct facet_value_entry {
	unsigned facet;
	char *value;
	size_t len;
};

struct snapshot {
	atomic_uint refs;
	atomic_size_t kept;	/* bytes of texts and data kept: SNAPSHOT_KEEP_MAX */
	char *uuid;		/* of the database: with rev, which revision */
	uint64_t rev;
	unsigned ndocs;		/* last docid + 1: docs is indexed by docid */
	struct snap_doc *docs;
	uint32_t *facet_recs;	/* value numbers, documents' records in turn */
	size_t nrecs, alloc_recs;
	struct facet_value_entry *values;	/* by value number */
	size_t nvalues, alloc_values;
	_Atomic(struct titles *) titles;	/* NULL until a suggestion */
	uint32_t *table;	/* open addressing: value number + 1, 0 empty */
	size_t table_size;	/* a power of two */
};

struct snapshot_cache {
	pthread_mutex_t lock;
	struct snapshot *cur;	/* the latest revision loaded, or NULL */
};

static const char no_title[] = "";
static const struct rank_traits no_traits;	/* rank_traits_of(no_title) */

/* ---- loading ---- */

static uint32_t
hash_value(unsigned facet, const char *v, size_t len)
{
	uint32_t h = 2166136261u ^ facet;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)v[i]) * 16777619u;
	return h;
}

static void
table_put(struct snapshot *s, uint32_t id)
{
	const struct facet_value_entry *e = &s->values[id];
	size_t i = hash_value(e->facet, e->value, e->len) & (s->table_size - 1);

	while (s->table[i])
		i = (i + 1) & (s->table_size - 1);
	s->table[i] = id + 1;
}

/* The number of facet value (facet, v[0..len)), added if new. */
static uint32_t
intern_value(struct snapshot *s, unsigned facet, const char *v, size_t len)
{
	const struct facet_value_entry *e;
	size_t i, k;
	uint32_t id;

	if ((s->nvalues + 1) * 2 > s->table_size) {
		free(s->table);
		s->table_size = s->table_size ? s->table_size * 2 : 1024;
		s->table = xcalloc(s->table_size, sizeof(*s->table));
		for (k = 0; k < s->nvalues; k++)
			table_put(s, (uint32_t)k);
	}
	i = hash_value(facet, v, len) & (s->table_size - 1);
	for (; s->table[i]; i = (i + 1) & (s->table_size - 1)) {
		e = &s->values[s->table[i] - 1];
		if (e->facet == facet && e->len == len && memcmp(e->value, v, len) == 0)
			return s->table[i] - 1;
	}
	if (s->nvalues == s->alloc_values) {
		s->alloc_values = s->alloc_values ? s->alloc_values * 2 : 256;
		s->values = xrealloc(s->values, s->alloc_values * sizeof(*s->values));
	}
	id = (uint32_t)s->nvalues++;
	s->values[id].facet = facet;
	s->values[id].value = xstrndup(v, len);
	s->values[id].len = len;
	s->table[i] = id + 1;
	return id;
}

/* snippet_words() of s, a C string, if its spans can hold it; else none. */
static uint32_t
split_words(const char *s, struct word_span **out)
{
	size_t len = strlen(s);

	*out = NULL;
	if (!len || len > UINT16_MAX)
		return 0;
	return (uint32_t)snippet_words(s, len, out);
}

static void
load_about(void *ctx, unsigned docid, const char *value, size_t len)
{
	struct snapshot *s = ctx;
	struct snap_doc *d;
	char *sep;

	if (docid >= s->ndocs)
		return;
	d = &s->docs[docid];
	/* read as rank.c did the malloc'd copy: a C string up to any NUL */
	d->title = xstrndup(value, len);
	sep = strchr(d->title, '\x1f');
	if (sep) {
		*sep = '\0';
		d->rest = sep + 1;
	}
	d->traits = rank_traits_of(d->title);	/* once, not per search */
	d->ntitle_words = split_words(d->title, &d->title_words);
	if (d->rest)
		d->nrest_words = split_words(d->rest, &d->rest_words);
}

/* The records of one document's SLOT_FACETS, parsed as FacetSpy does. */
static void
load_facets(void *ctx, unsigned docid, const char *v, size_t len)
{
	struct snapshot *s = ctx;
	struct snap_doc *d;
	const char *sep;
	size_t start = 0, end;
	unsigned f;

	if (docid >= s->ndocs)
		return;
	d = &s->docs[docid];
	d->facet0 = (uint32_t)s->nrecs;
	while (start + 2 <= len) {
		sep = memchr(v + start, '\x1e', len - start);
		end = sep ? (size_t)(sep - v) : len;
		f = (unsigned)((unsigned char)v[start] - '0');
		if (f < XC_MAX_FACETS && end > start + 2 && v[start + 1] == '\x1f') {
			if (s->nrecs == s->alloc_recs) {
				s->alloc_recs = s->alloc_recs ? s->alloc_recs * 2 : 4096;
				s->facet_recs = xrealloc(s->facet_recs,
				    s->alloc_recs * sizeof(*s->facet_recs));
			}
			s->facet_recs[s->nrecs++] = intern_value(s, f, v + start + 2,
			    end - start - 2);
		}
		start = end + 1;
	}
	d->nfacets = (uint32_t)(s->nrecs - d->facet0);
}

static void
snapshot_free(struct snapshot *s)
{
	struct kept_text *t;
	json_t *doc;
	size_t i;

	if (!s)
		return;
	for (i = 0; s->docs && i < s->ndocs; i++) {
		free(s->docs[i].title);
		free(s->docs[i].title_words);
		free(s->docs[i].rest_words);
		t = atomic_load_explicit(&s->docs[i].text, memory_order_acquire);
		if (t)
			free(t->words);
		free(t);
		doc = atomic_load_explicit(&s->docs[i].doc, memory_order_acquire);
		json_decref(doc);
	}
	titles_free(atomic_load_explicit(&s->titles, memory_order_acquire));
	for (i = 0; i < s->nvalues; i++)
		free(s->values[i].value);
	free(s->values);
	free(s->table);
	free(s->facet_recs);
	free(s->docs);
	free(s->uuid);
	free(s);
}

/* A snapshot of the revision db reads, uuid and rev being its identity. */
static int
snapshot_load(xc_rdb *db, char *uuid, uint64_t rev, struct snapshot **out)
{
	struct snapshot *s;
	unsigned last;
	size_t i;
	int rc;

	*out = NULL;
	rc = xc_rdb_lastdocid(db, &last);
	if (rc)
		return rc;
	if (last >= SNAPSHOT_DOCS_MAX)
		return KB_ETOOBIG;
	s = xcalloc(1, sizeof(*s));
	atomic_init(&s->refs, 1);
	atomic_init(&s->kept, 0);
	atomic_init(&s->titles, NULL);
	s->uuid = uuid;
	s->rev = rev;
	s->ndocs = last + 1;
	s->docs = xcalloc(s->ndocs, sizeof(*s->docs));
	for (i = 0; i < s->ndocs; i++) {
		atomic_init(&s->docs[i].text, NULL);
		atomic_init(&s->docs[i].doc, NULL);
	}
	rc = xc_rdb_each_value(db, SLOT_ABOUT, load_about, s);
	if (!rc)
		rc = xc_rdb_each_value(db, SLOT_FACETS, load_facets, s);
	if (rc) {
		snapshot_free(s);
		return rc;
	}
	/* the table only served loading */
	free(s->table);
	s->table = NULL;
	s->table_size = 0;
	*out = s;
	return KB_OK;
}

/* ---- sharing ---- */

struct snapshot *
snapshot_ref(struct snapshot *s)
{
	if (s)
		atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
	return s;
}

void
snapshot_unref(struct snapshot *s)
{
	if (s && atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1)
		snapshot_free(s);
}

struct snapshot_cache *
snapshot_cache_new(void)
{
	struct snapshot_cache *c = xcalloc(1, sizeof(*c));

	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void
snapshot_cache_free(struct snapshot_cache *c)
{
	if (!c)
		return;
	snapshot_unref(c->cur);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

int
snapshot_cache_get(struct snapshot_cache *c, xc_rdb *db, struct snapshot **out)
{
	struct snapshot *s = NULL;
	char *uuid = NULL;
	uint64_t rev;
	int rc;

	*out = NULL;
	rc = xc_rdb_revision(db, &rev);
	if (!rc)
		rc = xc_rdb_uuid(db, &uuid);
	if (rc) {
		kb_log(LOG_ERR, "index snapshot: %s", xc_rdb_errmsg(db));
		return rc;
	}
	/* loaded under the lock: the other readers want the same one, and wait */
	pthread_mutex_lock(&c->lock);
	if (c->cur && c->cur->rev == rev && strcmp(c->cur->uuid, uuid) == 0) {
		*out = snapshot_ref(c->cur);
		pthread_mutex_unlock(&c->lock);
		free(uuid);
		return KB_OK;
	}
	rc = snapshot_load(db, uuid, rev, &s);
	if (rc) {
		pthread_mutex_unlock(&c->lock);
		if (rc == KB_ETOOBIG)
			kb_log(LOG_WARNING, "index snapshot: too many documents; "
			    "searches read them from the index");
		else
			kb_log(LOG_ERR, "index snapshot: %s", xc_rdb_errmsg(db));
		free(uuid);
		return rc;
	}
	/* a reader still on an older revision does not displace the newer */
	if (!c->cur || strcmp(c->cur->uuid, s->uuid) != 0 || c->cur->rev < rev) {
		snapshot_unref(c->cur);
		c->cur = snapshot_ref(s);
	}
	pthread_mutex_unlock(&c->lock);
	*out = s;
	return KB_OK;
}

/* ---- reading ---- */

void
snapshot_about(const struct snapshot *s, unsigned docid,
    struct rank_candidate *c)
{
	const struct snap_doc *d = docid < s->ndocs ? &s->docs[docid] : NULL;

	if (!d || !d->title) {
		c->title = no_title;
		c->about = NULL;
		c->traits = no_traits;
		c->title_words = c->about_words = NULL;
		c->ntitle_words = c->nabout_words = 0;
	} else {
		c->title = d->title;
		c->about = d->rest;
		c->traits = d->traits;
		c->title_words = d->title_words;
		c->ntitle_words = d->ntitle_words;
		c->about_words = d->rest_words;
		c->nabout_words = d->nrest_words;
	}
	c->has_traits = true;
}

static void
text_out(const struct kept_text *t, struct snapshot_text *out)
{
	out->text = t->data;
	out->len = t->len;
	out->words = t->words;
	out->nwords = t->nwords;
	out->has_words = t->has_words;
}

bool
snapshot_text(const struct snapshot *s, unsigned docid,
    struct snapshot_text *out)
{
	struct kept_text *t;

	if (docid >= s->ndocs)
		return false;
	t = atomic_load_explicit(&((struct snapshot *)s)->docs[docid].text,
	    memory_order_acquire);
	if (!t)
		return false;
	text_out(t, out);
	return true;
}

/*
 * Count bytes against SNAPSHOT_KEEP_MAX: false, and nothing counted, if
 * they do not fit. (A text kept twice by racing threads is counted twice;
 * the budget is a bound, not an account.)
 */
static bool
charge(struct snapshot *s, size_t bytes)
{
	size_t kept = atomic_load_explicit(&s->kept, memory_order_relaxed);

	do {
		if (bytes > SNAPSHOT_KEEP_MAX - kept || kept > SNAPSHOT_KEEP_MAX)
			return false;
	} while (!atomic_compare_exchange_weak_explicit(&s->kept, &kept,
	    kept + bytes, memory_order_relaxed, memory_order_relaxed));
	return true;
}

bool
snapshot_keep_text(struct snapshot *s, unsigned docid, const char *text,
    size_t len, struct snapshot_text *out)
{
	struct kept_text *t, *prev = NULL;

	if (docid >= s->ndocs || !charge(s, sizeof(*t) + 4 * (len + 1)))
		return false;
	t = xmalloc(sizeof(*t) + len + 1);
	t->len = len;
	memcpy(t->data, text, len);
	t->data[len] = '\0';
	t->has_words = len <= WORD_SPAN_MAX;
	t->words = NULL;
	t->nwords = t->has_words ? snippet_words(t->data, len, &t->words) : 0;
	if (!atomic_compare_exchange_strong_explicit(&s->docs[docid].text, &prev,
	    t, memory_order_acq_rel, memory_order_acquire)) {
		free(t->words);	/* another thread kept the same text first */
		free(t);
		t = prev;
	}
	text_out(t, out);
	return true;
}

json_t *
snapshot_doc(const struct snapshot *s, unsigned docid)
{
	if (docid >= s->ndocs)
		return NULL;
	return atomic_load_explicit(&((struct snapshot *)s)->docs[docid].doc,
	    memory_order_acquire);
}

json_t *
snapshot_keep_doc(struct snapshot *s, unsigned docid, json_t *doc, size_t len)
{
	json_t *prev = NULL;

	if (docid >= s->ndocs || !charge(s, 2 * len))
		return doc;
	json_incref(doc);
	if (!atomic_compare_exchange_strong_explicit(&s->docs[docid].doc, &prev,
	    doc, memory_order_acq_rel, memory_order_acquire)) {
		json_decref(doc);	/* another thread kept its parse first */
		return prev;
	}
	return doc;
}

/* A counted value, for sorting. */
struct counted {
	unsigned facet;
	unsigned count;
	const struct facet_value_entry *e;
};

static int
cmp_counted(const void *a, const void *b)
{
	const struct counted *x = a, *y = b;
	size_t n;
	int c;

	if (x->facet != y->facet)
		return x->facet < y->facet ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	/* as std::string's operator<: bytes, then the shorter first */
	n = x->e->len < y->e->len ? x->e->len : y->e->len;
	c = memcmp(x->e->value, y->e->value, n);
	if (c)
		return c;
	return x->e->len < y->e->len ? -1 : x->e->len > y->e->len;
}

void
snapshot_facets(const struct snapshot *s, const unsigned *docids, size_t n,
    void (*fn)(void *ctx, size_t facet, const char *value, size_t len,
    unsigned count), void *ctx)
{
	unsigned *counts;
	struct counted *out;
	size_t i, k, nout = 0;
	const struct snap_doc *d;
	uint32_t id;

	if (!s->nvalues)
		return;
	counts = xcalloc(s->nvalues, sizeof(*counts));
	out = xmalloc(s->nvalues * sizeof(*out));
	for (i = 0; i < n; i++) {
		if (docids[i] >= s->ndocs)
			continue;
		d = &s->docs[docids[i]];
		for (k = 0; k < d->nfacets; k++) {
			id = s->facet_recs[d->facet0 + k];
			if (counts[id]++ == 0)
				out[nout++].e = &s->values[id];
		}
	}
	for (i = 0; i < nout; i++) {
		out[i].facet = out[i].e->facet;
		out[i].count = counts[out[i].e - s->values];
	}
	qsort(out, nout, sizeof(*out), cmp_counted);
	for (i = 0; i < nout; i++)
		fn(ctx, out[i].facet, out[i].e->value, out[i].e->len, out[i].count);
	free(counts);
	free(out);
}

unsigned
snapshot_ndocs(const struct snapshot *s)
{
	return s->ndocs;
}

const struct titles *
snapshot_titles(const struct snapshot *s)
{
	return atomic_load_explicit(&((struct snapshot *)s)->titles,
	    memory_order_acquire);
}

const struct titles *
snapshot_keep_titles(struct snapshot *s, struct titles *t)
{
	struct titles *none = NULL;

	if (atomic_compare_exchange_strong_explicit(&s->titles, &none, t,
	    memory_order_acq_rel, memory_order_acquire))
		return t;
	titles_free(t);
	return none;	/* the other thread's, which won */
}
