/*
 * Session expiry against the real store: sessions are aged by moving their
 * recorded times back (instead of faking the clock), then checked.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "sessions.h"
#include "store.h"
#include "users.h"

static struct store *st;
static char dir[] = "/tmp/kbd-sessions-XXXXXX";
static const struct session_limits lim = { 30 * 60, 12 * 3600 };

static void
setup(void)
{
	char path[256];
	bool taken;

	cr_assert(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/kbd.db", dir);
	cr_assert_eq(store_open(path, &st, NULL), KB_OK);
	cr_assert_eq(users_init(), KB_OK);
	cr_assert_eq(users_add(st, "sara", ROLE_L1, "correct-horse-battery", &taken),
	    KB_OK);
}

static void
teardown(void)
{
	char cmd[300];

	store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Move the session's sign-in and last use back by the given seconds. */
static void
age(int64_t created_ago, int64_t seen_ago)
{
	char sql[200];

	snprintf(sql, sizeof(sql), "UPDATE sessions SET created = created - %lld, "
	    "last_seen = last_seen - %lld", (long long)created_ago,
	    (long long)seen_ago);
	cr_assert_eq(sqlite3_exec(store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
}

static int
live(const char *cookie)
{
	struct user u;
	char csrf[65];

	return sessions_check(st, cookie, &lim, &u, csrf);
}

static int64_t
rows(void)
{
	sqlite3_stmt *s;
	int64_t n = -1;

	cr_assert_eq(sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM sessions",
	    -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

Test(sessions, idle_expiry_is_exact_to_the_minute, .init = setup, .fini = teardown)
{
	char *cookie, csrf[65];
	int64_t id;
	struct user u;

	cr_assert_eq(users_by_id(st, 1, &u), KB_OK);
	id = u.id;
	cr_assert_eq(sessions_create(st, id, &cookie, csrf), KB_OK);
	cr_assert_eq(live(cookie), KB_OK);
	age(29 * 60, 29 * 60);		/* idle 29 minutes: still signed in */
	cr_assert_eq(live(cookie), KB_OK);	/* ...and that use counts */
	age(0, 31 * 60);		/* then 31 minutes without a request */
	cr_assert_eq(live(cookie), KB_ENOTFOUND);
	cr_assert_eq(rows(), 0, "an expired session is deleted");
	free(cookie);
}

Test(sessions, use_keeps_it_alive_until_the_absolute_limit, .init = setup,
    .fini = teardown)
{
	char *cookie, csrf[65];
	struct user u;

	cr_assert_eq(users_by_id(st, 1, &u), KB_OK);
	cr_assert_eq(sessions_create(st, u.id, &cookie, csrf), KB_OK);
	/* signed in 11 h 58 min ago, used a minute ago: alive */
	age(11 * 3600 + 58 * 60, 60);
	cr_assert_eq(live(cookie), KB_OK);
	/* 12 h 1 min after sign-in, however recently used: ended */
	age(3 * 60, 0);
	cr_assert_eq(live(cookie), KB_ENOTFOUND);
	free(cookie);
}

Test(sessions, ids_are_unique_and_only_hashes_are_stored, .init = setup,
    .fini = teardown)
{
	enum { N = 200 };
	char *cookies[N], csrf[65], sql[200];
	sqlite3_stmt *s;
	struct user u;
	int i, j;

	cr_assert_eq(users_by_id(st, 1, &u), KB_OK);
	for (i = 0; i < N; i++) {
		cr_assert_eq(sessions_create(st, u.id, &cookies[i], csrf), KB_OK);
		cr_assert_eq(strlen(cookies[i]), 64, "256 bits as hex");
		for (j = 0; j < i; j++)
			cr_assert_str_neq(cookies[i], cookies[j]);
	}
	for (i = 0; i < N; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE "
		    "id_hash = '%s' OR csrf = '%s'", cookies[i], cookies[i]);
		cr_assert_eq(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL),
		    SQLITE_OK);
		cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
		cr_assert_eq(sqlite3_column_int(s, 0), 0, "the cookie value is not stored");
		sqlite3_finalize(s);
		free(cookies[i]);
	}
	cr_assert_eq(rows(), N);
}

Test(sessions, a_password_change_ends_every_session, .init = setup,
    .fini = teardown)
{
	char *a, *b, csrf[65];
	struct user u;

	cr_assert_eq(users_by_id(st, 1, &u), KB_OK);
	cr_assert_eq(sessions_create(st, u.id, &a, csrf), KB_OK);
	cr_assert_eq(sessions_create(st, u.id, &b, csrf), KB_OK);
	cr_assert_eq(users_set_password(st, "sara", "another-long-passphrase"), KB_OK);
	cr_assert_eq(live(a), KB_ENOTFOUND);
	cr_assert_eq(live(b), KB_ENOTFOUND);
	free(a);
	free(b);
}
