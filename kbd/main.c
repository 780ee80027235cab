/*
 * main.c - the kbd daemon: options, start-up checks, signals.
 *
 * Start-up is the only place that may exit: everything is checked before
 * the server starts (index readable, templates parse, data directory
 * writable), so a running kbd never dies on a request.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "i18n.h"
#include "index.h"
#include "kbd.h"
#include "log.h"
#include "articles.h"
#include "cli.h"
#include "hub.h"
#include "ticker.h"
#include "rules.h"
#include "search.h"
#include "searchlog.h"
#include "server.h"
#include "statics.h"
#include "store.h"
#include "tmpl.h"
#include "users.h"
#include "util.h"
#include "banned.h"

static const char *const template_names[] = {
	"header", "footer", "home", "search", "article", "faq", "gaps", "error",
	"login", "users", "tickets", "ticket", "ticket_new", "escalation",
	"editor", "history", "inbox", "canned", "dashboard", "notifications",
	"problems", "problem", "incidents", "incident", NULL,
};

/* The articles watcher: files changed on disk (a git pull) reach the index. */
static void
watch_articles(void *ctx)
{
	articles_reindex(ctx);
}

static void
usage(FILE *f)
{
	fputs("usage: kbd [OPTIONS]\n"
	    "       kbd --data DIR user add NAME ROLE   (password on standard input)\n"
	    "       kbd --data DIR user passwd NAME\n"
	    "       kbd --data DIR user del NAME\n"
	    "       kbd --data DIR user list\n"
	    "       kbd --data DIR token add NAME       (prints the token last)\n"
	    "       kbd --data DIR token revoke ID\n"
	    "       kbd --data DIR verify-log          (check the incident log's hash chain)\n"
	    "\n"
	    "Serve the knowledge base: search, articles and FAQ for agents in a\n"
	    "browser, and a JSON API for scripts.\n"
	    "\n"
	    "  --listen HOST:PORT   address to listen on (default 127.0.0.1:8080;\n"
	    "                       port 0 picks a free one and logs it)\n"
	    "  --index DIR          Xapian index built by `indexer` (default var/index)\n"
	    "  --articles DIR       Markdown articles (default articles)\n"
	    "  --data DIR           kbd's own data (default var/)\n"
	    "  --templates DIR      HTML templates and static/ (default templates)\n"
	    "  --threads N          worker threads (default: one per CPU, at least 2)\n"
	    "  --max-connections N  concurrent connections (default 1024)\n"
	    "  --timeout SECONDS    idle connection timeout (default 30)\n"
	    "  --max-per-address N  concurrent connections from one address (default 512)\n"
	    "  --quiet              no per-request log lines\n"
	    "  --escalation FILE    escalation criteria and SLA targets (JSON; see\n"
	    "                       docs/tickets.md; default: built-in)\n"
	    "  --rules-interval S   seconds between automatic escalation runs (default 30)\n"
	    "  --review-days N      published articles not reviewed for N days are\n"
	    "                       listed as due for review (default 180)\n"
	    "  --watch S            look for article files added, changed or removed\n"
	    "                       on disk every S seconds and index them (default 30;\n"
	    "                       0: only at start and when kbd saves an article)\n"
	    "  --lang CODE          interface language when neither the user nor the\n"
	    "                       browser asks for one (default en; see templates/i18n)\n"
	    "  --public-articles    anonymous readers may search and read articles\n"
	    "  --secure-cookies     mark cookies Secure (serving behind TLS)\n"
	    "  --session-idle MIN   sign out after this many idle minutes (default 60)\n"
	    "  --session-max HOURS  sign out this long after sign-in (default 12)\n"
	    "  --help               this text\n"
	    "\n"
	    "Each request is logged on standard error as: method path status\n"
	    "microseconds. Stop with SIGINT or SIGTERM.\n", f);
}

static int
parse_args(int argc, char **argv, struct kbd_config *cfg)
{
	static const struct {
		const char *name;
		long max;	/* for numbers; 0 for strings */
	} opts[] = {
		{ "--listen", 0 },
		{ "--index", 0 },
		{ "--articles", 0 },
		{ "--data", 0 },
		{ "--templates", 0 },
		{ "--threads", 256 },
		{ "--max-connections", 100000 },
		{ "--timeout", 3600 },
		{ "--max-per-address", 100000 },
		{ "--session-idle", 24 * 60 },
		{ "--session-max", 24 * 30 },
		{ "--escalation", 0 },
		{ "--rules-interval", 86400 },
		{ "--review-days", 3650 },
		{ "--watch", 86400 },
	};
	const char **strs[] = { &cfg->listen, &cfg->index_dir, &cfg->articles_dir,
		&cfg->data_dir, &cfg->templates_dir, NULL, NULL, NULL, NULL, NULL,
		NULL, &cfg->workflow_file, NULL, NULL, NULL };
	unsigned *nums[] = { NULL, NULL, NULL, NULL, NULL, &cfg->threads,
		&cfg->max_connections, &cfg->connection_timeout, &cfg->max_per_addr,
		&cfg->session.idle, &cfg->session.max, NULL, &cfg->rules_interval,
		&cfg->review_days, &cfg->watch_interval };
	size_t k;
	long v;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			exit(0);
		}
		if (strcmp(argv[i], "--quiet") == 0) {
			cfg->quiet = true;
			continue;
		}
		if (strcmp(argv[i], "--lang") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "kbd: --lang needs a value\n");
				return -1;
			}
			cfg->lang = argv[++i];
			continue;
		}
		if (strcmp(argv[i], "--public-articles") == 0) {
			cfg->public_articles = true;
			continue;
		}
		if (strcmp(argv[i], "--secure-cookies") == 0) {
			cfg->secure_cookies = true;
			continue;
		}
		if (argv[i][0] != '-')
			return i;	/* a command: user …, token … */
		for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
			if (strcmp(argv[i], opts[k].name) == 0)
				break;
		if (k == sizeof(opts) / sizeof(opts[0])) {
			fprintf(stderr, "kbd: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return -1;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "kbd: %s needs a value\n", argv[i]);
			return -1;
		}
		i++;
		if (strs[k]) {
			*strs[k] = argv[i];
		} else if (kb_strtol_range(argv[i], nums[k] == &cfg->watch_interval ?
		    0 : 1, opts[k].max, &v)) {
			fprintf(stderr, "kbd: %s: expected a number from %d to %ld\n",
			    opts[k].name, nums[k] == &cfg->watch_interval ? 0 : 1,
			    opts[k].max);
			return -1;
		} else {
			*nums[k] = (unsigned)v;
		}
	}
	return 0;
}

/* The path of the database in the data directory; the caller frees it. */
static char *
db_path_in(const char *data_dir)
{
	struct buf path;

	buf_init(&path, 4096);
	buf_printf(&path, "%s/kbd.db", data_dir);
	return buf_detach(&path, NULL);
}

/* Is path a directory we can list? errno says why not (0: not a directory). */
static bool
is_directory(const char *path)
{
	struct stat st;

	errno = 0;
	if (stat(path, &st) != 0)
		return false;
	if (!S_ISDIR(st.st_mode))
		return false;
	return access(path, R_OK | X_OK) == 0;
}

int
main(int argc, char **argv)
{
	struct kbd kbd = { 0 };
	struct ticker *watcher = NULL;
	struct server *srv = NULL;
	struct search *probe = NULL;
	struct store *probe_store = NULL;
	struct buf path;
	char *err = NULL;
	sigset_t sigs;
	long ncpu;
	int sig, rc, cmd, status = 1;

	index_init();
	kbd.cfg.listen = "127.0.0.1:8080";
	kbd.cfg.index_dir = "var/index";
	kbd.cfg.articles_dir = "articles";
	kbd.cfg.data_dir = "var/";
	kbd.cfg.templates_dir = "templates";
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	kbd.cfg.threads = ncpu < 2 ? 2 : (unsigned)(ncpu > 64 ? 64 : ncpu);
	kbd.cfg.max_connections = 1024;
	kbd.cfg.max_per_addr = 512;
	kbd.cfg.rules_interval = 30;
	kbd.cfg.review_days = 180;
	kbd.cfg.watch_interval = 30;
	kbd.cfg.connection_timeout = 30;
	kbd.cfg.lang = I18N_FALLBACK;
	kbd.cfg.session.idle = 60;		/* minutes until converted below */
	kbd.cfg.session.max = 12;		/* hours */
	cmd = parse_args(argc, argv, &kbd.cfg);
	if (cmd < 0)
		return 2;
	kbd.cfg.session.idle *= 60;
	kbd.cfg.session.max *= 3600;
	signal(SIGPIPE, SIG_IGN);
	if (cmd > 0) {
		if (mkdir(kbd.cfg.data_dir, 0750) != 0 && errno != EEXIST) {
			fprintf(stderr, "kbd: cannot create data directory %s: %s\n",
			    kbd.cfg.data_dir, strerror(errno));
			return 1;
		}
		kbd.db_path = db_path_in(kbd.cfg.data_dir);
		status = cli_run(kbd.db_path, argc - cmd, argv + cmd);
		free(kbd.db_path);
		return status;
	}
	if (users_init()) {
		fputs("kbd: cannot initialise libsodium\n", stderr);
		return 1;
	}

	/* fail now, with a clear message, rather than on the first request */
	rc = search_open(kbd.cfg.index_dir, &probe, &err);
	if (rc) {
		fprintf(stderr, "kbd: cannot open the index %s: %s\n"
		    "kbd: build it with: indexer/indexer %s %s\n",
		    kbd.cfg.index_dir, err ? err : kb_strerror(rc),
		    kbd.cfg.articles_dir, kbd.cfg.index_dir);
		free(err);
		return 1;
	}
	search_close(probe);
	/* a mistyped --articles would otherwise read as "every article removed" */
	if (!is_directory(kbd.cfg.articles_dir)) {
		fprintf(stderr, "kbd: --articles %s: %s\n"
		    "kbd: give the directory of the Markdown articles the index "
		    "was built from\n", kbd.cfg.articles_dir,
		    errno ? strerror(errno) : "not a directory");
		return 1;
	}
	if (mkdir(kbd.cfg.data_dir, 0750) != 0 && errno != EEXIST) {
		fprintf(stderr, "kbd: cannot create data directory %s: %s\n",
		    kbd.cfg.data_dir, strerror(errno));
		return 1;
	}
	kbd.db_path = db_path_in(kbd.cfg.data_dir);
	rc = store_open(kbd.db_path, &probe_store, &err);	/* migrates */
	store_close(probe_store);
	if (!rc)
		rc = cli_initial_admin(kbd.db_path, kbd.cfg.data_dir);
	if (!rc)
		rc = searchlog_start(kbd.db_path, &kbd.searchlog, &err);
	if (!rc)
		rc = hub_start(kbd.db_path, &kbd.hub, &err);
	if (!rc && (rc = workflow_config_load(kbd.cfg.workflow_file, &kbd.workflow,
	    &err)) == KB_OK)
		rc = rules_start(kbd.db_path, &kbd.workflow, kbd.cfg.rules_interval,
		    &kbd.rules, &err);
	if (rc) {
		fprintf(stderr, "kbd: cannot open the database %s: %s\n",
		    kbd.db_path, err ? err : kb_strerror(rc));
		free(err);
		goto out;
	}
	buf_init(&path, 4096);
	buf_printf(&path, "%s/i18n", kbd.cfg.templates_dir);
	rc = i18n_load(buf_str(&path), kbd.cfg.lang, &kbd.i18n, &err);
	buf_release(&path);
	if (rc) {
		fprintf(stderr, "kbd: interface languages: %s\n",
		    err ? err : "cannot load");
		free(err);
		goto out;
	}
	kbd.tmpl = tmpl_set_new();
	i18n_register_filters(kbd.i18n, kbd.tmpl);
	if (tmpl_set_load_dir(kbd.tmpl, kbd.cfg.templates_dir, template_names, &err)) {
		fprintf(stderr, "kbd: templates: %s\n", err ? err : "cannot load");
		free(err);
		goto out;
	}
	buf_init(&path, 4096);
	buf_printf(&path, "%s/static", kbd.cfg.templates_dir);
	rc = statics_load(buf_str(&path), &kbd.statics);
	buf_release(&path);
	if (rc)
		goto out;

	/* the articles may have changed since the index was built (or a save
	 * was cut short by a crash): catch up before serving */
	pthread_mutex_init(&kbd.index_lock, NULL);
	if (articles_reindex(&kbd) != KB_OK)
		kb_log(LOG_WARNING, "serving the index as it is");
	if (kbd.cfg.watch_interval &&
	    ticker_start(kbd.cfg.watch_interval, watch_articles, &kbd, &watcher))
		goto out;

	/* signals are taken by sigwait() below, never by the worker threads */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	if (server_start(&kbd, &srv))
		goto out;
	if (sigwait(&sigs, &sig) == 0)
		kb_log(LOG_NOTICE, "signal %d: shutting down", sig);
	server_stop(srv);
	status = 0;
out:
	hub_free(kbd.hub);
	ticker_stop(watcher);
	rules_stop(kbd.rules);
	workflow_config_release(&kbd.workflow);
	searchlog_stop(kbd.searchlog);
	free(kbd.db_path);
	tmpl_set_free(kbd.tmpl);
	i18n_free(kbd.i18n);
	statics_free(kbd.statics);
	return status;
}
