/*
 * kbd.h - the daemon's state, built once at start-up and read-only while
 * serving (nothing here changes after server_start()), passed to every
 * handler (but for index_lock). Per-thread state (the index reader) hangs off search_key.
 */
#ifndef KB_KBD_H
#define KB_KBD_H

#include <pthread.h>
#include <stdbool.h>

#include "sessions.h"

#include "workflow.h"

struct tmpl_set;
struct statics;
struct searchlog;
struct i18n;
struct standing_cache;

struct kbd_config {
	const char *listen;		/* "127.0.0.1:8080" */
	const char *index_dir;		/* Xapian database */
	const char *articles_dir;	/* Markdown sources */
	const char *data_dir;		/* kbd's own data (SQLite, uploads) */
	const char *templates_dir;	/* HTML templates and static/ */
	unsigned threads;		/* worker threads */
	unsigned max_connections;
	unsigned max_per_addr;		/* connections from one address */
	unsigned connection_timeout;	/* seconds */
	bool quiet;			/* no per-request log lines */
	const char *lang;		/* default interface language ("en") */
	bool public_articles;		/* anonymous readers may search and read */
	bool secure_cookies;		/* behind TLS: Secure cookies */
	struct session_limits session;	/* idle and absolute expiry */
	const char *workflow_file;	/* --escalation FILE, or NULL: defaults */
	unsigned rules_interval;	/* seconds between escalation rule runs */
	unsigned watch_interval;	/* seconds between looks at the articles
					   folder (0: never) */
	unsigned review_days;		/* published articles not reviewed for
					   this long are due for review */
};

#define SESSION_COOKIE "kbd_session"

struct kbd {
	struct kbd_config cfg;
	struct tmpl_set *tmpl;		/* parsed templates */
	struct statics *statics;	/* files under templates/static */
	struct i18n *i18n;		/* interface languages (i18n.h) */
	char *db_path;			/* DATA_DIR/kbd.db */
	struct searchlog *searchlog;	/* the search log writer */
	struct workflow_config workflow;	/* SLA targets, escalation criteria */
	struct rules *rules;		/* the automatic escalation runner */
	struct hub *hub;		/* live updates to event streams (hub.h) */
	pthread_key_t search_key;	/* this thread's struct search */
	struct snapshot_cache *snapshots;	/* what those readers share of
					   the index in memory (snapshot.h;
					   locks its own) */
	struct standing_cache *standings;	/* articles' votes for search
					   (standing.h; locks its own) */
	pthread_key_t store_key;	/* this thread's struct store */
	pthread_mutex_t index_lock;	/* one index writer at a time (the only
					   mutable member: articles_reindex()) */
};

#endif
