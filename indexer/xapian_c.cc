/*
 * xapian_c.cc - the only C++ in kbd: a thin C API over Xapian; see
 * xapian_c.h. Every exported function catches everything; Xapian errors
 * become kb_err codes with the message kept on the handle.
 */
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include <xapian.h>

#include "text.h"
#include "xapian_c.h"

struct xc_rdb {
	Xapian::Database db;
	std::string err;
	/* the stopper of the last stopword list searched with, built once */
	const char *const *stopwords = nullptr;
	std::unique_ptr<Xapian::SimpleStopper> stopper;
};

struct xc_wdb {
	Xapian::WritableDatabase db;
	std::string err;
	bool in_txn = false;
};

struct xc_doc {
	Xapian::Document doc;
	Xapian::TermGenerator tg;
	bool has_db = false;
};

/*
 * Snowball's Arabic stemmer, given each word in the form it reads best
 * (text_arabic_stem_form(): the article added to a bare noun, a final heh
 * read as teh marbuta), on the index and query sides alike.
 */
class ArabicStem : public Xapian::StemImplementation {
public:
	std::string operator()(const std::string &word) override
	{
		std::string form(TEXT_ARABIC_STEM_FORM_MAX(word.size()), '\0');

		form.resize(text_arabic_stem_form(word.data(), word.size(),
		    &form[0]));
		return stem(form);
	}
	std::string get_description() const override
	{
		return "arabic (bare nouns read with the article)";
	}
private:
	Xapian::Stem stem{"arabic"};
};

/* The stemmer for a language name ("english", "arabic"; "" or NULL: none). */
static Xapian::Stem
make_stem(const char *name)
{
	if (!name || !*name)
		return Xapian::Stem();
	if (strcmp(name, "arabic") == 0)
		return Xapian::Stem(new ArabicStem);
	return Xapian::Stem(name);
}

/*
 * Counts the values of one slot over the documents the match examines;
 * a value may hold several items separated by '\n' (tags).
 */
class FacetSpy : public Xapian::MatchSpy {
public:
	explicit FacetSpy(Xapian::valueno s) : slot(s) {}
	void operator()(const Xapian::Document &doc, double) override
	{
		const std::string v = doc.get_value(slot);
		size_t start = 0, end;

		while (start + 2 <= v.size()) {
			end = v.find('\x1e', start);
			if (end == std::string::npos)
				end = v.size();
			unsigned f = (unsigned char)v[start] - '0';
			if (f < XC_MAX_FACETS && end > start + 2 && v[start + 1] == '\x1f') {
				/* reused: a string is made only for a new value */
				key.assign(v, start + 2, end - start - 2);
				counts[f][key]++;
			}
			start = end + 1;
		}
	}
	Xapian::valueno slot;
	std::unordered_map<std::string, unsigned> counts[XC_MAX_FACETS];
private:
	std::string key;
};

/* Notes the documents the match examines, for facets counted elsewhere. */
class DocidSpy : public Xapian::MatchSpy {
public:
	void operator()(const Xapian::Document &doc, double) override
	{
		docids.push_back(doc.get_docid());
	}
	std::vector<unsigned> docids;
};

/*
 * The documents of a given list, as a posting list: ANDed with a phrase,
 * Xapian reads the phrase's positions in those documents only.
 */
class DocidSource : public Xapian::PostingSource {
public:
	explicit DocidSource(std::vector<Xapian::docid> v) : ids(std::move(v))
	{
		std::sort(ids.begin(), ids.end());
		ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
	}
	Xapian::doccount get_termfreq_min() const override { return 0; }
	Xapian::doccount get_termfreq_est() const override { return ids.size(); }
	Xapian::doccount get_termfreq_max() const override { return ids.size(); }
	void init(const Xapian::Database &) override { at = 0; started = false; }
	void next(double) override
	{
		if (started)
			at++;
		started = true;
	}
	void skip_to(Xapian::docid did, double) override
	{
		started = true;
		while (at < ids.size() && ids[at] < did)
			at++;
	}
	bool at_end() const override { return started && at >= ids.size(); }
	Xapian::docid get_docid() const override { return ids[at]; }
private:
	std::vector<Xapian::docid> ids;
	size_t at = 0;
	bool started = false;
};

struct xc_mset {
	Xapian::MSet mset;
	Xapian::Database db;
	Xapian::Enquire enquire;
	std::unique_ptr<FacetSpy> spy;
	std::unique_ptr<DocidSpy> docid_spy;
	std::vector<std::string> data;	/* fetched lazily */
	std::vector<bool> have;
	std::string phrase_prefix;	/* xc_search's, "" if none */
	Xapian::Stem stem;		/* the query's stemmer (xc_search's) */
	explicit xc_mset(const Xapian::Database &d) : db(d), enquire(d) {}
};

namespace {

char *
dup(const std::string &s)
{
	char *p = static_cast<char *>(std::malloc(s.size() + 1));

	if (p) {
		std::memcpy(p, s.data(), s.size());
		p[s.size()] = '\0';
	}
	return p;
}

/* Map the exception being handled onto a code, keeping its message. */
int
map_error(std::string &msg)
{
	try {
		throw;
	} catch (const Xapian::DatabaseModifiedError &e) {
		msg = e.get_description();
		return KB_EMODIFIED;
	} catch (const Xapian::DocNotFoundError &e) {
		msg = e.get_description();
		return KB_ENOTFOUND;
	} catch (const Xapian::DatabaseOpeningError &e) {
		msg = e.get_description();
		return KB_ENOTFOUND;
	} catch (const Xapian::QueryParserError &e) {
		msg = e.get_description();
		return KB_EINVAL;
	} catch (const Xapian::Error &e) {
		msg = e.get_description();
		return KB_ESEARCH;
	} catch (const std::bad_alloc &) {
		msg = "out of memory";
		return KB_ENOMEM;
	} catch (const std::exception &e) {
		msg = e.what();
		return KB_ESEARCH;
	} catch (...) {
		msg = "unknown error";
		return KB_ESEARCH;
	}
}

/* Term without its prefix: uppercase letters lead, 'Z' marks a stem. */
void
strip_prefix(const std::string &t, const char *&p, size_t &len)
{
	size_t i = 0;

	while (i < t.size() && t[i] >= 'A' && t[i] <= 'Z')
		i++;
	p = t.data() + i;
	len = t.size() - i;
}

} /* namespace */

#define GUARD_BEGIN try {
#define GUARD_END(handle_err) \
	} catch (...) { \
		return map_error(handle_err); \
	}

/* ---- reading ---- */

/*
 * Create a handle with make() (which opens the database and may throw),
 * turning any exception into a code and a malloc'd message.
 */
template <typename Handle, typename Make>
int
open_handle(Handle **out, char **errmsg, Make make)
{
	std::string msg;

	*out = nullptr;
	if (errmsg)
		*errmsg = nullptr;
	try {
		std::unique_ptr<Handle> h(new Handle);
		make(*h);
		*out = h.release();
		return KB_OK;
	} catch (...) {
		int rc = map_error(msg);
		if (errmsg)
			*errmsg = dup(msg);
		return rc;
	}
}

extern "C" int
xc_rdb_open(const char *path, xc_rdb **out, char **errmsg)
{
	return open_handle(out, errmsg, [path](xc_rdb &h) {
		h.db = Xapian::Database(path);
	});
}

extern "C" void
xc_rdb_close(xc_rdb *db)
{
	try {
		delete db;
	} catch (...) {
	}
}

extern "C" const char *
xc_rdb_errmsg(const xc_rdb *db)
{
	return db->err.c_str();
}

extern "C" int
xc_rdb_reopen(xc_rdb *db, bool *changed)
{
	GUARD_BEGIN
	bool c = db->db.reopen();
	if (changed)
		*changed = c;
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_rdb_doccount(xc_rdb *db, unsigned *count)
{
	GUARD_BEGIN
	*count = db->db.get_doccount();
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_rdb_revision(xc_rdb *db, uint64_t *rev)
{
	GUARD_BEGIN
	*rev = db->db.get_revision();
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_rdb_uuid(xc_rdb *db, char **uuid)
{
	*uuid = nullptr;
	GUARD_BEGIN
	*uuid = dup(db->db.get_uuid());
	return *uuid ? KB_OK : KB_ENOMEM;
	GUARD_END(db->err)
}

extern "C" int
xc_rdb_lastdocid(xc_rdb *db, unsigned *docid)
{
	GUARD_BEGIN
	*docid = db->db.get_lastdocid();
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_rdb_each_value(xc_rdb *db, unsigned slot,
    void (*fn)(void *ctx, unsigned docid, const char *value, size_t len),
    void *ctx)
{
	GUARD_BEGIN
	for (Xapian::ValueIterator v = db->db.valuestream_begin(slot);
	    v != db->db.valuestream_end(slot); ++v) {
		const std::string value = *v;
		fn(ctx, v.get_docid(), value.data(), value.size());
	}
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_rdb_metadata(xc_rdb *db, const char *key, char **value)
{
	GUARD_BEGIN
	*value = dup(db->db.get_metadata(key));
	return *value ? KB_OK : KB_ENOMEM;
	GUARD_END(db->err)
}

extern "C" int
xc_rdb_termfreq(xc_rdb *db, const char *term, unsigned *freq)
{
	GUARD_BEGIN
	*freq = db->db.get_termfreq(term);
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_rdb_spelling(xc_rdb *db, const char *word, unsigned max_edits,
    char **suggestion)
{
	*suggestion = nullptr;
	GUARD_BEGIN
	*suggestion = dup(db->db.get_spelling_suggestion(word, max_edits));
	return *suggestion ? KB_OK : KB_ENOMEM;
	GUARD_END(db->err)
}

extern "C" int
xc_rdb_find(xc_rdb *db, const char *idterm, unsigned *docid)
{
	GUARD_BEGIN
	Xapian::PostingIterator p = db->db.postlist_begin(idterm);
	if (p == db->db.postlist_end(idterm))
		return KB_ENOTFOUND;
	*docid = *p;
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_rdb_data(xc_rdb *db, unsigned docid, char **data, size_t *len)
{
	GUARD_BEGIN
	std::string d = db->db.get_document(docid).get_data();
	*data = dup(d);
	if (!*data)
		return KB_ENOMEM;
	if (len)
		*len = d.size();
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_rdb_expand(xc_rdb *db, unsigned docid, unsigned n,
    void (*fn)(void *ctx, const char *term, size_t len), void *ctx)
{
	GUARD_BEGIN
	Xapian::Enquire enquire(db->db);
	Xapian::RSet rset;
	rset.add_document(docid);
	/* words only: no boolean filter terms, no unique ids */
	struct WordsOnly : public Xapian::ExpandDecider {
		bool operator()(const std::string &t) const override
		{
			return !t.empty() && ((t[0] >= 'a' && t[0] <= 'z') ||
			    (unsigned char)t[0] >= 0x80 || t[0] == 'Z');
		}
	} decider;
	Xapian::ESet eset = enquire.get_eset(n, rset, &decider);
	for (Xapian::ESetIterator t = eset.begin(); t != eset.end(); ++t) {
		const std::string term = *t;
		fn(ctx, term.data(), term.size());
	}
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_rdb_each_posting(xc_rdb *db, const char *term,
    int (*fn)(void *ctx, unsigned docid), void *ctx)
{
	GUARD_BEGIN
	for (Xapian::PostingIterator p = db->db.postlist_begin(term);
	    p != db->db.postlist_end(term); ++p) {
		if (fn(ctx, *p))
			break;
	}
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_rdb_search(xc_rdb *db, const struct xc_search *s, xc_mset **out)
{
	*out = nullptr;
	GUARD_BEGIN
	Xapian::QueryParser qp;
	Xapian::Query query;
	unsigned flags;

	qp.set_database(db->db);
	if (s->stopwords) {
		if (db->stopwords != s->stopwords || !db->stopper) {
			db->stopper.reset(new Xapian::SimpleStopper());
			for (const char *const *w = s->stopwords; *w; w++)
				db->stopper->add(*w);
			db->stopwords = s->stopwords;
		}
		qp.set_stopper(db->stopper.get());
	}
	if (s->stemmer && *s->stemmer) {
		qp.set_stemmer(make_stem(s->stemmer));
		qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
	}
	qp.set_default_op(s->match_all ? Xapian::Query::OP_AND :
	    Xapian::Query::OP_OR);
	for (size_t i = 0; i < s->nprefixes; i++) {
		if (s->prefixes[i].boolean)
			qp.add_boolean_prefix(s->prefixes[i].field,
			    s->prefixes[i].prefix);
		else
			qp.add_prefix(s->prefixes[i].field, s->prefixes[i].prefix);
	}
	/* only upper-case AND/OR/NOT are operators: "printer not working" is words */
	flags = s->plain ? 0 :
	    (Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
	    Xapian::QueryParser::FLAG_LOVEHATE);
	if (s->partial)
		flags |= Xapian::QueryParser::FLAG_PARTIAL;
	const std::string prefix = s->default_prefix ? s->default_prefix : "";
	if (s->text && *s->text) {
		query = qp.parse_query(s->text, flags, prefix);
	} else if (!s->nraw_terms) {
		query = Xapian::Query::MatchAll;
	}
	if (s->nraw_terms) {
		std::vector<Xapian::Query> t;
		for (size_t i = 0; i < s->nraw_terms; i++)
			t.emplace_back(s->raw_terms[i]);
		t.push_back(query);
		query = Xapian::Query(Xapian::Query::OP_OR, t.begin(), t.end());
	}
	for (size_t i = 0; i < s->nextra;) {
		/* a run of texts of one group; each parsed with its own stemmer */
		std::vector<Xapian::Query> alts;
		unsigned group = s->extra[i].group;
		do {
			std::string t = s->extra[i].text;
			qp.set_stemmer(make_stem(s->extra[i].stemmer));
			if (group && t.find(' ') != std::string::npos) {
				/* the indexer's term for it (xc_phrases) */
				if (s->phrase_prefix)
					alts.emplace_back(s->phrase_prefix + t);
				i++;
				continue;
			}
			if (!t.empty())
				alts.push_back(qp.parse_query(t, group ?
				    unsigned(Xapian::QueryParser::FLAG_PHRASE) : flags,
				    prefix));
			i++;
		} while (group && i < s->nextra && s->extra[i].group == group);
		if (!alts.empty())
			query = Xapian::Query(Xapian::Query::OP_OR, query,
			    Xapian::Query(group ? Xapian::Query::op(Xapian::Query::OP_SYNONYM) :
			    Xapian::Query::op(Xapian::Query::OP_OR), alts.begin(),
			    alts.end()));
	}

	if (s->nfilter_all) {
		std::vector<Xapian::Query> f;
		for (size_t i = 0; i < s->nfilter_all; i++)
			f.emplace_back(s->filter_all[i]);
		query = Xapian::Query(Xapian::Query::OP_FILTER, query,
		    Xapian::Query(Xapian::Query::OP_AND, f.begin(), f.end()));
	}
	if (s->nexclude) {
		std::vector<Xapian::Query> f;
		for (size_t i = 0; i < s->nexclude; i++)
			f.emplace_back(s->exclude[i]);
		query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
		    Xapian::Query(Xapian::Query::OP_OR, f.begin(), f.end()));
	}

	std::unique_ptr<xc_mset> m(new xc_mset(db->db));
	if (s->phrase_prefix)
		m->phrase_prefix = s->phrase_prefix;
	m->stem = make_stem(s->stemmer);
	m->enquire.set_query(query);
	if (s->sort_slot_ties)
		m->enquire.set_sort_by_relevance_then_value(s->sort_slot_ties - 1,
		    true);
	if (s->examined) {
		m->docid_spy.reset(new DocidSpy);
		m->enquire.add_matchspy(m->docid_spy.get());
	} else if (s->facet_slot) {
		m->spy.reset(new FacetSpy(s->facet_slot - 1));
		m->enquire.add_matchspy(m->spy.get());
	}
	m->mset = m->enquire.get_mset(s->offset, s->limit, s->check_at_least);
	m->data.resize(m->mset.size());
	m->have.assign(m->mset.size(), false);
	*out = m.release();
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_mset_facet(xc_mset *m, size_t f,
    void (*fn)(void *ctx, const char *value, size_t len, unsigned count),
    void *ctx)
{
	std::string err;

	GUARD_BEGIN
	if (!m->spy || f >= XC_MAX_FACETS)
		return KB_EINVAL;
	std::vector<std::pair<unsigned, std::string>> v;
	for (const auto &kv : m->spy->counts[f])
		v.emplace_back(kv.second, kv.first);
	/* most frequent first, then by value, so the order is stable */
	std::sort(v.begin(), v.end(),
	    [](const std::pair<unsigned, std::string> &a,
	    const std::pair<unsigned, std::string> &b) {
		    return a.first != b.first ? a.first > b.first : a.second < b.second;
	    });
	for (const auto &p : v)
		fn(ctx, p.second.data(), p.second.size(), p.first);
	return KB_OK;
	GUARD_END(err)
}

extern "C" void
xc_mset_free(xc_mset *m)
{
	try {
		delete m;
	} catch (...) {
	}
}

extern "C" void
xc_mset_examined(const xc_mset *m, const unsigned **docids, size_t *n)
{
	static const unsigned none[1] = { 0 };

	if (!m->docid_spy || m->docid_spy->docids.empty()) {
		*docids = none;
		*n = 0;
		return;
	}
	*docids = m->docid_spy->docids.data();
	*n = m->docid_spy->docids.size();
}

extern "C" unsigned
xc_mset_size(const xc_mset *m)
{
	return m->mset.size();
}

extern "C" unsigned
xc_mset_total(const xc_mset *m)
{
	return m->mset.get_matches_estimated();
}

extern "C" unsigned
xc_mset_docid(const xc_mset *m, unsigned i)
{
	return *(m->mset[i]);
}

extern "C" double
xc_mset_weight(const xc_mset *m, unsigned i)
{
	return m->mset[i].get_weight();
}

extern "C" int
xc_mset_percent(const xc_mset *m, unsigned i)
{
	return m->mset[i].get_percent();
}

extern "C" const char *
xc_mset_data(xc_mset *m, unsigned i, size_t *len)
{
	try {
		if (!m->have[i]) {
			m->data[i] = m->mset[i].get_document().get_data();
			m->have[i] = true;
		}
		*len = m->data[i].size();
		return m->data[i].c_str();
	} catch (...) {
		*len = 0;
		return nullptr;
	}
}

namespace {

/*
 * The words of text (normalised) as a phrase query, each as typed; the
 * query that matched nothing if text has fewer than two.
 */
Xapian::Query
words_as_phrase(const char *text)
{
	Xapian::QueryParser qp;

	return qp.parse_query(std::string("\"") + text + "\"",
	    Xapian::QueryParser::FLAG_PHRASE);
}

} // namespace

/*
 * A word no document has is one whose term, stemmed or as typed, the
 * search looked up and found nowhere: its own statistics say so, with
 * no more reading.
 */
extern "C" unsigned
xc_mset_unknown_words(const xc_mset *m, const char *text,
    void (*fn)(void *ctx, const char *word, size_t len), void *ctx)
{
	unsigned n = 0;

	try {
		const Xapian::Query q = m->enquire.get_query();
		const std::unordered_set<std::string> asked(
		    q.get_unique_terms_begin(), q.get_unique_terms_end());
		auto none_have = [&](const std::string &term) {
			return asked.count(term) && m->mset.get_termfreq(term) == 0;
		};
		Xapian::Query words = words_as_phrase(text);
		for (Xapian::TermIterator t = words.get_terms_begin();
		    t != words.get_terms_end(); ++t) {
			const std::string w = *t;
			if (none_have("Z" + m->stem(w)) || none_have(w)) {
				fn(ctx, w.data(), w.size());
				n++;
			}
		}
	} catch (...) {
		return 0;	/* then every word counts, as before */
	}
	return n;
}

extern "C" int
xc_mset_phrase_in(xc_mset *m, const char *text, char *const *unknown,
    size_t nunknown, const unsigned *ranks, size_t n, bool *found)
{
	std::string err;

	GUARD_BEGIN
	std::vector<Xapian::docid> ids;
	for (size_t i = 0; i < n; i++) {
		found[i] = false;
		if (ranks[i] < m->mset.size())
			ids.push_back(*(m->mset[ranks[i]]));
	}
	Xapian::Query phrase = words_as_phrase(text);
	if (ids.empty() || phrase.get_type() != Xapian::Query::OP_PHRASE)
		return KB_OK;
	/*
	 * A word no article has is the caller's own (a server, a mailbox,
	 * a path where the article says <Mailbox Name>): the others are
	 * looked for in order, within the phrase's length.
	 */
	std::vector<std::string> kept;
	Xapian::termcount span = 0;
	for (Xapian::TermIterator t = phrase.get_terms_begin();
	    t != phrase.get_terms_end(); ++t) {
		span++;
		if (std::find(unknown, unknown + nunknown, *t) ==
		    unknown + nunknown)
			kept.push_back(*t);
	}
	if (kept.size() < 2)
		return KB_OK;
	if (kept.size() < span)
		phrase = Xapian::Query(Xapian::Query::OP_PHRASE, kept.begin(),
		    kept.end(), span);
	DocidSource src(std::move(ids));
	Xapian::Enquire e(m->db);
	e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, phrase,
	    Xapian::Query(&src)));
	e.set_weighting_scheme(Xapian::BoolWeight());
	Xapian::MSet hits = e.get_mset(0, (Xapian::doccount)n);
	for (Xapian::MSetIterator h = hits.begin(); h != hits.end(); ++h)
		for (size_t i = 0; i < n; i++)	/* a few dozen at most */
			if (ranks[i] < m->mset.size() && *(m->mset[ranks[i]]) == *h)
				found[i] = true;
	return KB_OK;
	GUARD_END(err)
}

extern "C" int
xc_mset_value(xc_mset *m, unsigned i, unsigned slot, char **value, size_t *len)
{
	std::string err;

	*value = nullptr;
	GUARD_BEGIN
	std::string v = m->mset[i].get_document().get_value(slot);
	*value = dup(v);
	if (!*value)
		return KB_ENOMEM;
	if (len)
		*len = v.size();
	return KB_OK;
	GUARD_END(err)
}

extern "C" int
xc_mset_query_terms(xc_mset *m,
    void (*fn)(void *ctx, const char *term, size_t len), void *ctx)
{
	std::string err;

	GUARD_BEGIN
	Xapian::Query q = m->enquire.get_query();
	for (Xapian::TermIterator t = q.get_unique_terms_begin();
	    t != q.get_unique_terms_end(); ++t) {
		const char *p;
		size_t len;
		const std::string term = *t;
		/* a phrase's term (xc_phrases) stands for its words */
		if (!m->phrase_prefix.empty() &&
		    term.compare(0, m->phrase_prefix.size(), m->phrase_prefix) == 0) {
			size_t at = m->phrase_prefix.size(), end;
			for (; at < term.size(); at = end + 1) {
				end = term.find(' ', at);
				if (end == std::string::npos)
					end = term.size();
				fn(ctx, term.data() + at, end - at);
			}
			continue;
		}
		/* boolean filter terms are not words to highlight */
		if (!term.empty() && term[0] >= 'A' && term[0] <= 'Z' &&
		    term[0] != 'Z' && term[0] != 'S')
			continue;
		strip_prefix(term, p, len);
		fn(ctx, p, len);
	}
	return KB_OK;
	GUARD_END(err)
}

/* ---- writing ---- */

extern "C" void
xc_init(void)
{
	setenv("XAPIAN_FLUSH_THRESHOLD", XC_FLUSH_DOCS, 0);
}

extern "C" int
xc_wdb_open(const char *path, xc_wdb **out, char **errmsg)
{
	return open_handle(out, errmsg, [path](xc_wdb &h) {
		h.db = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
	});
}

extern "C" void
xc_wdb_close(xc_wdb *db)
{
	try {
		if (db && db->in_txn)
			db->db.cancel_transaction();
	} catch (...) {
	}
	try {
		delete db;
	} catch (...) {
	}
}

extern "C" const char *
xc_wdb_errmsg(const xc_wdb *db)
{
	return db->err.c_str();
}

extern "C" int
xc_wdb_begin(xc_wdb *db)
{
	GUARD_BEGIN
	db->db.begin_transaction(true);
	db->in_txn = true;
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_wdb_commit(xc_wdb *db)
{
	GUARD_BEGIN
	if (db->in_txn) {
		db->in_txn = false;
		db->db.commit_transaction();
	} else {
		db->db.commit();
	}
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_wdb_replace(xc_wdb *db, const char *idterm, xc_doc *doc)
{
	GUARD_BEGIN
	doc->doc.add_boolean_term(idterm);
	db->db.replace_document(idterm, doc->doc);
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_wdb_add(xc_wdb *db, const char *idterm, xc_doc *doc)
{
	GUARD_BEGIN
	doc->doc.add_boolean_term(idterm);
	db->db.add_document(doc->doc);
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_wdb_delete(xc_wdb *db, const char *idterm)
{
	GUARD_BEGIN
	db->db.delete_document(idterm);
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_wdb_set_metadata(xc_wdb *db, const char *key, const char *value)
{
	GUARD_BEGIN
	db->db.set_metadata(key, value);
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_wdb_metadata(xc_wdb *db, const char *key, char **value)
{
	GUARD_BEGIN
	*value = dup(db->db.get_metadata(key));
	return *value ? KB_OK : KB_ENOMEM;
	GUARD_END(db->err)
}

extern "C" int
xc_wdb_add_spelling(xc_wdb *db, const char *word)
{
	GUARD_BEGIN
	db->db.add_spelling(word);
	return KB_OK;
	GUARD_END(db->err)
}

extern "C" int
xc_wdb_each_term_value(xc_wdb *db, const char *prefix, unsigned slot,
    void (*fn)(void *ctx, const char *term, const char *value, size_t len),
    void *ctx)
{
	GUARD_BEGIN
	size_t plen = std::strlen(prefix);
	for (Xapian::TermIterator t = db->db.allterms_begin(prefix);
	    t != db->db.allterms_end(prefix); ++t) {
		const std::string term = *t;
		Xapian::PostingIterator p = db->db.postlist_begin(term);
		if (p == db->db.postlist_end(term))
			continue;
		std::string v = db->db.get_document(*p).get_value(slot);
		fn(ctx, term.c_str() + plen, v.data(), v.size());
	}
	return KB_OK;
	GUARD_END(db->err)
}

/* ---- documents ---- */

extern "C" xc_doc *
xc_doc_new(xc_wdb *db)
{
	try {
		xc_doc *d = new xc_doc;
		d->tg.set_document(d->doc);
		if (db) {
			d->tg.set_database(db->db);
			d->has_db = true;
		}
		d->tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
		return d;
	} catch (...) {
		return nullptr;
	}
}

extern "C" void
xc_doc_free(xc_doc *doc)
{
	try {
		delete doc;
	} catch (...) {
	}
}

extern "C" int
xc_doc_index_text(xc_doc *doc, const char *text, size_t len,
    unsigned wdf_inc, const char *prefix, const char *stemmer, bool spelling)
{
	std::string err;

	GUARD_BEGIN
	doc->tg.set_flags(spelling && doc->has_db ?
	    Xapian::TermGenerator::FLAG_SPELLING : 0);
	doc->tg.set_stemmer(make_stem(stemmer));
	doc->tg.index_text(Xapian::Utf8Iterator(text, len), wdf_inc,
	    prefix ? prefix : "");
	return KB_OK;
	GUARD_END(err)
}

extern "C" int
xc_doc_next_field(xc_doc *doc)
{
	std::string err;

	GUARD_BEGIN
	doc->tg.increase_termpos(100);
	return KB_OK;
	GUARD_END(err)
}

extern "C" int
xc_doc_add_term(xc_doc *doc, const char *term)
{
	std::string err;

	GUARD_BEGIN
	doc->doc.add_boolean_term(term);
	return KB_OK;
	GUARD_END(err)
}

struct xc_phrases {
	struct phrase {
		std::string term;	/* prefix + the phrase as given */
		std::vector<std::string> words;	/* as the query parser reads them */
	};
	std::vector<phrase> phrases;
	std::unordered_set<std::string> words;	/* of any phrase */
};

extern "C" xc_phrases *
xc_phrases_new(const char *list, const char *prefix)
{
	try {
		std::unique_ptr<xc_phrases> p(new xc_phrases);
		Xapian::QueryParser qp;
		const char *at = list, *nl;

		for (; at && *at; at = *nl ? nl + 1 : nl) {
			nl = std::strchr(at, '\n');
			if (!nl)
				nl = at + std::strlen(at);
			if (nl == at)
				continue;
			xc_phrases::phrase ph;
			ph.term = std::string(prefix) + std::string(at, nl);
			if (ph.term.size() > XC_TERM_MAX)
				continue;	/* Xapian refuses the document */
			/* the words the phrase query "..." would have looked for */
			Xapian::Query q;
			try {
				q = qp.parse_query("\"" + std::string(at, nl) + "\"",
				    Xapian::QueryParser::FLAG_PHRASE);
			} catch (const Xapian::QueryParserError &) {
				continue;	/* never matched as a phrase either */
			}
			for (Xapian::TermIterator t = q.get_terms_begin();
			    t != q.get_terms_end(); ++t) {
				ph.words.push_back(*t);
				p->words.insert(*t);
			}
			if (!ph.words.empty())
				p->phrases.push_back(std::move(ph));
		}
		return p.release();
	} catch (...) {
		return nullptr;
	}
}

extern "C" void
xc_phrases_free(xc_phrases *p)
{
	delete p;
}

extern "C" int
xc_doc_add_phrases(xc_doc *doc, const xc_phrases *p)
{
	std::string err;

	GUARD_BEGIN
	struct found {
		Xapian::termcount wdf;
		std::vector<Xapian::termpos> pos;	/* ascending */
	};
	std::unordered_map<std::string, found> seen;

	/* one pass over the document's terms, keeping the phrases' words */
	for (Xapian::TermIterator t = doc->doc.termlist_begin();
	    t != doc->doc.termlist_end(); ++t) {
		if (!p->words.count(*t))
			continue;
		found &f = seen[*t];
		f.wdf = t.get_wdf();
		f.pos.assign(t.positionlist_begin(), t.positionlist_end());
	}
	for (const xc_phrases::phrase &ph : p->phrases) {
		Xapian::termcount wdf = 0;
		bool all = true;
		for (const std::string &w : ph.words) {
			auto f = seen.find(w);
			if (f == seen.end()) {
				all = false;
				break;
			}
			wdf = wdf ? std::min(wdf, f->second.wdf) : f->second.wdf;
		}
		if (!all || !wdf)
			continue;
		/* somewhere, word k at the first word's position + k */
		const std::vector<Xapian::termpos> &first = seen[ph.words[0]].pos;
		bool occurs = false;
		for (size_t i = 0; i < first.size() && !occurs; i++) {
			occurs = true;
			for (size_t k = 1; k < ph.words.size() && occurs; k++) {
				const std::vector<Xapian::termpos> &pk =
				    seen[ph.words[k]].pos;
				occurs = std::binary_search(pk.begin(), pk.end(),
				    first[i] + Xapian::termpos(k));
			}
		}
		if (occurs)
			doc->doc.add_term(ph.term, wdf);
	}
	return KB_OK;
	GUARD_END(err)
}

extern "C" int
xc_doc_set_value(xc_doc *doc, unsigned slot, const char *value, size_t len)
{
	std::string err;

	GUARD_BEGIN
	doc->doc.add_value(slot, std::string(value, len));
	return KB_OK;
	GUARD_END(err)
}

extern "C" int
xc_doc_set_data(xc_doc *doc, const char *data, size_t len)
{
	std::string err;

	GUARD_BEGIN
	doc->doc.set_data(std::string(data, len));
	return KB_OK;
	GUARD_END(err)
}

/* ---- words, outside any database ---- */

struct xc_stemmer {
	Xapian::Stem stem;
};

extern "C" xc_stemmer *
xc_stemmer_new(const char *name)
{
	try {
		return new xc_stemmer{make_stem(name)};
	} catch (...) {
		return nullptr;
	}
}

extern "C" void
xc_stemmer_free(xc_stemmer *st)
{
	delete st;
}

extern "C" int
xc_stem(xc_stemmer *st, const char *word, size_t len, char **out)
{
	std::string err;

	*out = nullptr;
	GUARD_BEGIN
	*out = dup(st->stem(std::string(word, len)));
	return *out ? KB_OK : KB_ENOMEM;
	GUARD_END(err)
}

extern "C" int
xc_lowercase(const char *s, size_t len, char **out)
{
	std::string err;

	*out = nullptr;
	GUARD_BEGIN
	*out = dup(Xapian::Unicode::tolower(std::string(s, len)));
	return *out ? KB_OK : KB_ENOMEM;
	GUARD_END(err)
}
