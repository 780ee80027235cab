/*
 * store.c - see store.h. Migrations are an append-only list: the schema
 * version (PRAGMA user_version) is the number applied; each runs in its
 * own transaction at start-up.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "log.h"
#include "refusal.h"
#include "store.h"
#include "util.h"
#include "banned.h"

#define BUSY_TIMEOUT_MS 5000

/* Statements of the hottest queries, prepared once per handle. */
#define STORE_CACHED 8

struct store {
	sqlite3 *db;
	struct {
		const char *sql;	/* the caller's static string: the key */
		sqlite3_stmt *stmt;
	} cached[STORE_CACHED];
};

static const char *const migrations[] = {
	/* 1: the search log, for knowledge gaps (no personal data) */
	"CREATE TABLE search_log ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"		/* unix seconds */
	"  query TEXT NOT NULL,"		/* as typed, trimmed */
	"  results INTEGER NOT NULL"
	");"
	"CREATE INDEX search_log_at ON search_log(at);"
	"CREATE INDEX search_log_zero ON search_log(results, at);",

	/* 2: accounts, sessions, API tokens, the audit log, login throttling */
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('l1', 'l2', 'l3', 'admin')),"
	"  pw_hash TEXT NOT NULL,"		/* Argon2id, libsodium's encoding */
	"  lang TEXT,"				/* interface language, NULL: browser's */
	"  created INTEGER NOT NULL"
	");"
	"CREATE TABLE sessions ("
	"  id_hash TEXT PRIMARY KEY,"		/* BLAKE2b of the cookie value */
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  csrf TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL"
	");"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE api_tokens ("
	"  id INTEGER PRIMARY KEY,"
	"  hash TEXT NOT NULL UNIQUE,"		/* BLAKE2b of the token */
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created INTEGER NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE audit_log ("		/* append-only: no UPDATE or DELETE */
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT,"				/* user name, or NULL */
	"  action TEXT NOT NULL,"		/* login.ok, login.fail, user.add, ... */
	"  detail TEXT,"
	"  addr TEXT"
	");"
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TABLE login_failures ("
	"  key TEXT NOT NULL,"			/* 'user:NAME' or 'addr:ADDRESS' */
	"  at INTEGER NOT NULL"
	");"
	"CREATE INDEX login_failures_key ON login_failures(key, at);",

	/* 3: tickets, their comments, escalations, article links, and events */
	"CREATE TABLE tickets ("
	"  id INTEGER PRIMARY KEY,"		/* shown as T-000123 */
	"  title TEXT NOT NULL,"
	"  description TEXT NOT NULL,"		/* Markdown */
	"  requester_name TEXT NOT NULL,"
	"  requester_contact TEXT NOT NULL,"
	"  category TEXT NOT NULL,"
	"  impact TEXT NOT NULL,"
	"  urgency TEXT NOT NULL,"
	"  priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 4),"
	"  tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 3),"
	"  queue TEXT NOT NULL,"
	"  assignee TEXT,"
	"  status TEXT NOT NULL,"
	"  reopened INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL,"
	"  first_response INTEGER,"		/* first public comment or status change */
	"  resolved INTEGER,"
	"  response_due INTEGER NOT NULL,"
	"  resolution_due INTEGER NOT NULL,"
	"  created_by TEXT NOT NULL"
	");"
	"CREATE INDEX tickets_queue ON tickets(tier, status);"
	"CREATE TABLE comments ("
	"  id INTEGER PRIMARY KEY,"
	"  ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	"  at INTEGER NOT NULL,"
	"  author TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  internal INTEGER NOT NULL"		/* 1: agents only; 0: the requester sees it */
	");"
	"CREATE INDEX comments_ticket ON comments(ticket_id);"
	"CREATE TABLE escalations ("
	"  id INTEGER PRIMARY KEY,"
	"  ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"			/* escalate, auto, deescalate */
	"  from_tier INTEGER NOT NULL,"
	"  to_tier INTEGER NOT NULL,"
	"  reason TEXT NOT NULL,"		/* criterion id, rule, or 'deescalate' */
	"  tried TEXT NOT NULL,"
	"  steps TEXT NOT NULL,"
	"  articles TEXT NOT NULL"		/* JSON array of slugs */
	");"
	"CREATE INDEX escalations_ticket ON escalations(ticket_id);"
	"CREATE TABLE ticket_links ("
	"  ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	"  article TEXT NOT NULL,"
	"  relation TEXT NOT NULL CHECK (relation IN ('suggested', 'consulted',"
	"    'sent-to-requester', 'resolved-by', 'created-from')),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  PRIMARY KEY (ticket_id, article, relation)"
	");"
	"CREATE INDEX ticket_links_article ON ticket_links(article, relation);"
	"CREATE TABLE events ("			/* append-only, hash-chained */
	"  id INTEGER PRIMARY KEY,"
	"  ticket_id INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"			/* created, field, status, escalated, … */
	"  field TEXT NOT NULL,"
	"  from_value TEXT NOT NULL,"
	"  to_value TEXT NOT NULL,"
	"  note TEXT NOT NULL,"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL"
	");"
	"CREATE INDEX events_ticket ON events(ticket_id);"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;",
	/* 4: publishing, feedback, FAQ usage, canned replies */
	"CREATE TABLE article_revisions ("
	"  slug TEXT NOT NULL,"
	"  rev INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  author TEXT NOT NULL,"		/* who saved it ("disk" if found there) */
	"  status TEXT NOT NULL,"
	"  note TEXT NOT NULL,"
	"  text TEXT NOT NULL,"			/* the whole file */
	"  PRIMARY KEY (slug, rev)"
	");"
	"CREATE TABLE article_events ("		/* append-only */
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"			/* created, saved, review, reviewed, … */
	"  rev INTEGER NOT NULL,"
	"  note TEXT NOT NULL"
	");"
	"CREATE INDEX article_events_slug ON article_events(slug, kind, at);"
	"CREATE TRIGGER article_events_no_update BEFORE UPDATE ON article_events "
	"  BEGIN SELECT RAISE(ABORT, 'article events are append-only'); END;"
	"CREATE TRIGGER article_events_no_delete BEFORE DELETE ON article_events "
	"  BEGIN SELECT RAISE(ABORT, 'article events are append-only'); END;"
	"CREATE TABLE article_votes ("
	"  slug TEXT NOT NULL,"
	"  user_id INTEGER NOT NULL,"
	"  helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (slug, user_id)"
	");"
	"CREATE TABLE article_flags ("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('outdated', 'incorrect',"
	"    'missing_step')),"
	"  comment TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  resolved_by TEXT,"
	"  resolved_at INTEGER,"
	"  resolution TEXT"
	");"
	"CREATE INDEX article_flags_open ON article_flags(resolved_at, slug);"
	"CREATE TABLE faq_usage ("
	"  slug TEXT NOT NULL,"
	"  question TEXT NOT NULL,"
	"  uses INTEGER NOT NULL,"
	"  PRIMARY KEY (slug, question)"
	");"
	"CREATE TABLE canned_replies ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  body TEXT NOT NULL,"
	"  updated_by TEXT NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"INSERT INTO canned_replies (name, body, updated_by, updated_at) VALUES"
	"  ('Greeting', 'Hello {requester},\n\nThank you for contacting the "
	"service desk about {ticket}.', 'kbd', 0),"
	"  ('Looking into it', 'Hello {requester},\n\nWe are looking into "
	"{ticket} and will update you as soon as we know more.\n\n{agent}', "
	"'kbd', 0),"
	"  ('Closing', 'Hello {requester},\n\n{ticket} is resolved. If the "
	"problem comes back, reply to this message and we will reopen it.\n\n"
	"{agent}', 'kbd', 0);",
	/* 5: metrics: searches followed by an article, and the range indexes */
	"ALTER TABLE search_log ADD COLUMN sid INTEGER;"	/* page searches */
	"CREATE TABLE search_opens ("		/* a result of search sid was opened */
	"  sid INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL"
	");"
	"CREATE INDEX search_log_sid ON search_log(at, sid);"
	"CREATE INDEX tickets_resolved ON tickets(resolved);"
	"CREATE INDEX tickets_created ON tickets(created);"
	"CREATE INDEX escalations_at ON escalations(at);"
	"CREATE INDEX ticket_links_relation ON ticket_links(relation, at);"
	"CREATE INDEX article_votes_at ON article_votes(at);",
	/* 6: notifications, problems, major incidents */
	"CREATE TABLE notifications ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  user TEXT,"				/* for one user, or */
	"  tier INTEGER,"			/* for everyone at a tier */
	"  kind TEXT NOT NULL,"			/* mention, escalation */
	"  ticket_id INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  text TEXT NOT NULL"
	");"
	"CREATE INDEX notifications_user ON notifications(user, id);"
	"CREATE INDEX notifications_tier ON notifications(tier, id);"
	"ALTER TABLE users ADD COLUMN notifications_seen INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE problems ("
	"  id INTEGER PRIMARY KEY,"		/* shown as PRB-000123 */
	"  title TEXT NOT NULL,"
	"  symptoms TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('investigating', 'known_error',"
	"    'resolved')),"
	"  timeline TEXT NOT NULL DEFAULT '',"
	"  cause TEXT NOT NULL DEFAULT '',"
	"  factors TEXT NOT NULL DEFAULT '',"	/* contributing factors */
	"  whys TEXT NOT NULL DEFAULT '[]',"	/* the \"why\" chain, JSON array */
	"  workaround TEXT NOT NULL DEFAULT '',"
	"  fix TEXT NOT NULL DEFAULT '',"
	"  owner TEXT,"
	"  article TEXT,"			/* the known error's workaround article */
	"  created INTEGER NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  updated INTEGER NOT NULL,"
	"  resolved INTEGER"
	");"
	"CREATE TABLE problem_tickets ("
	"  problem_id INTEGER NOT NULL REFERENCES problems(id),"
	"  ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  PRIMARY KEY (problem_id, ticket_id)"
	");"
	"CREATE INDEX problem_tickets_ticket ON problem_tickets(ticket_id);"
	"CREATE TABLE problem_log ("		/* append-only */
	"  id INTEGER PRIMARY KEY,"
	"  problem_id INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  note TEXT NOT NULL"
	");"
	"CREATE INDEX problem_log_problem ON problem_log(problem_id);"
	"CREATE TRIGGER problem_log_no_update BEFORE UPDATE ON problem_log "
	"  BEGIN SELECT RAISE(ABORT, 'the problem log is append-only'); END;"
	"CREATE TRIGGER problem_log_no_delete BEFORE DELETE ON problem_log "
	"  BEGIN SELECT RAISE(ABORT, 'the problem log is append-only'); END;"
	"CREATE TABLE incidents ("		/* major incidents, MI-000123 */
	"  id INTEGER PRIMARY KEY,"
	"  ticket_id INTEGER REFERENCES tickets(id),"
	"  problem_id INTEGER REFERENCES problems(id),"
	"  summary TEXT NOT NULL,"		/* what is affected */
	"  advice TEXT NOT NULL,"		/* what to tell users */
	"  status TEXT NOT NULL CHECK (status IN ('active', 'resolved')),"
	"  since INTEGER NOT NULL,"
	"  declared_by TEXT NOT NULL,"
	"  resolved INTEGER,"
	"  review_article TEXT"		/* the post-incident review draft */
	");"
	"CREATE INDEX incidents_status ON incidents(status);"
	"CREATE TABLE incident_updates ("	/* append-only */
	"  id INTEGER PRIMARY KEY,"
	"  incident_id INTEGER NOT NULL REFERENCES incidents(id),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  text TEXT NOT NULL"
	");"
	"CREATE TRIGGER incident_updates_no_update BEFORE UPDATE ON incident_updates "
	"  BEGIN SELECT RAISE(ABORT, 'incident updates are append-only'); END;"
	"CREATE TABLE incident_tickets ("
	"  incident_id INTEGER NOT NULL REFERENCES incidents(id),"
	"  ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  PRIMARY KEY (incident_id, ticket_id)"
	");"
	"CREATE INDEX incident_tickets_ticket ON incident_tickets(ticket_id);",
	/* 7: the first answer after an escalation (metrics) without a scan */
	"CREATE INDEX events_ticket_at ON events(ticket_id, at, kind, field);",
	/* 8: notifications about other things than tickets (a flagged article) */
	"ALTER TABLE notifications ADD COLUMN url TEXT;",
};

static int
exec(sqlite3 *db, const char *sql, char **errmsg)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
		return KB_OK;
	if (errmsg)
		*errmsg = xstrdup(err ? err : sqlite3_errmsg(db));
	sqlite3_free(err);
	return KB_EDB;
}

static int
user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
migrate(sqlite3 *db, char **errmsg)
{
	size_t n = sizeof(migrations) / sizeof(migrations[0]);
	char pragma[64];
	int v, rc;

	/* IMMEDIATE: two processes starting at once migrate one after the other */
	for (;;) {
		rc = exec(db, "BEGIN IMMEDIATE", errmsg);
		if (rc)
			return rc;
		v = user_version(db);
		if (v < 0 || (size_t)v > n) {
			exec(db, "ROLLBACK", NULL);
			if (errmsg)
				*errmsg = xstrdup(v < 0 ? "cannot read the schema version" :
				    "the database is newer than this kbd");
			return KB_EDB;
		}
		if ((size_t)v == n)
			return exec(db, "COMMIT", errmsg);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if ((rc = exec(db, migrations[v], errmsg)) ||
		    (rc = exec(db, pragma, errmsg)) || (rc = exec(db, "COMMIT", errmsg))) {
			exec(db, "ROLLBACK", NULL);
			return rc;
		}
		kb_log(LOG_INFO, "store: schema migrated to version %d", v + 1);
	}
}

int
store_open(const char *path, struct store **out, char **errmsg)
{
	struct store *st;
	int rc;

	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	st = xcalloc(1, sizeof(*st));
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		if (errmsg)
			*errmsg = xstrdup(st->db ? sqlite3_errmsg(st->db) : "out of memory");
		sqlite3_close(st->db);
		free(st);
		return KB_EDB;
	}
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	/* mmap: reads come from the page cache without a copy per page */
	rc = exec(st->db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA mmap_size = 268435456;", errmsg);
	if (!rc)
		rc = migrate(st->db, errmsg);
	if (rc) {
		store_close(st);
		return rc;
	}
	*out = st;
	return KB_OK;
}

void
store_close(struct store *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < STORE_CACHED; i++)
		sqlite3_finalize(st->cached[i].stmt);
	sqlite3_close(st->db);
	free(st);
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

sqlite3_stmt *
store_cached(struct store *st, const char *sql)
{
	size_t i;

	for (i = 0; i < STORE_CACHED && st->cached[i].sql; i++)
		if (st->cached[i].sql == sql)
			return st->cached[i].stmt;
	if (i == STORE_CACHED)
		return NULL;	/* full: a programming error, seen in tests */
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st->cached[i].stmt, NULL) != SQLITE_OK) {
		st->cached[i].stmt = NULL;
		return NULL;
	}
	st->cached[i].sql = sql;
	return st->cached[i].stmt;
}

void
store_cached_done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

int
store_schema_version(struct store *st)
{
	return user_version(st->db);
}

/* Bind the values of ap to s by types: 'i' int64, 's' text (NULL binds NULL). */
static void
bind_va(sqlite3_stmt *s, const char *types, va_list ap)
{
	const char *text;
	int i;

	for (i = 0; types[i]; i++) {
		if (types[i] == 'i') {
			sqlite3_bind_int64(s, i + 1, va_arg(ap, int64_t));
		} else {
			text = va_arg(ap, const char *);
			if (text)
				sqlite3_bind_text(s, i + 1, text, -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(s, i + 1);
		}
	}
}

/*
 * Run sql with the values of ap bound by types, one step; *out (if not
 * NULL) gets the first column of a first row. SQLite's code: SQLITE_ROW or
 * SQLITE_DONE, or the error of the prepare or the step.
 */
static int
step_va(struct store *st, int64_t *out, const char *sql, const char *types,
    va_list ap)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL)) != SQLITE_OK)
		return rc;
	bind_va(s, types, ap);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && out)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc;
}

int
store_run(struct store *st, const char *sql, const char *types, ...)
{
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = step_va(st, NULL, sql, types, ap);
	va_end(ap);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? KB_OK : KB_EDB;
}

int
store_int(struct store *st, int64_t *out, const char *sql, const char *types, ...)
{
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = step_va(st, out, sql, types, ap);
	va_end(ap);
	return rc == SQLITE_ROW ? KB_OK : rc == SQLITE_DONE ? KB_ENOTFOUND : KB_EDB;
}

const char *
store_text(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);

	return v ? v : "";
}

int
store_begin(struct store *st)
{
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK)
		return KB_OK;
	kb_log(LOG_ERR, "store: begin: %s", sqlite3_errmsg(st->db));
	return KB_EDB;
}

int
store_commit(struct store *st)
{
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return KB_OK;
	kb_log(LOG_ERR, "store: commit: %s", sqlite3_errmsg(st->db));
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return KB_EDB;
}

void
store_rollback(struct store *st)
{
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int
store_refuse(struct store *st, const struct store_words *w, struct refusal *e)
{
	kb_log(LOG_ERR, "%s: %s", w->module, sqlite3_errmsg(st->db));
	if (w->busy && sqlite3_errcode(st->db) == SQLITE_BUSY)
		return refuse(e, 503, "store_unavailable", "%s", w->busy);
	return refuse(e, 500, "internal", "%s", w->failed);
}

int
store_begin_change(struct store *st, const struct store_words *w,
    struct refusal *e)
{
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL) == SQLITE_OK)
		return KB_OK;
	return store_refuse(st, w, e);
}

int
store_commit_change(struct store *st, const struct store_words *w,
    struct refusal *e)
{
	int rc;

	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return KB_OK;
	/* before the rollback clears the error */
	rc = store_refuse(st, w, e);
	store_rollback(st);
	return rc;
}
