/*
 * users.c - see users.h. Every SQL value goes through a bound parameter.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "err.h"
#include "log.h"
#include "store.h"
#include "users.h"
#include "util.h"
#include "banned.h"

static const char *const role_names[] = { "", "l1", "l2", "l3", "admin" };

enum role
role_parse(const char *s)
{
	size_t i;

	for (i = 1; s && i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (strcmp(s, role_names[i]) == 0)
			return (enum role)i;
	return ROLE_NONE;
}

const char *
role_name(enum role r)
{
	return (unsigned)r < sizeof(role_names) / sizeof(role_names[0]) ?
	    role_names[r] : "";
}

int
users_init(void)
{
	return sodium_init() < 0 ? KB_ENOMEM : KB_OK;
}

bool
users_valid_name(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > USERNAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '.' ||
		    name[i] == '_' || name[i] == '-'))
			return false;
	return true;
}

const char *
users_password_problem(const char *password)
{
	size_t n = strlen(password);

	if (n < PASSWORD_MIN)
		return "a password needs at least 12 characters";
	if (n > PASSWORD_MAX)
		return "a password has at most 128 characters";
	if (!utf8_valid(password, n))
		return "a password must be UTF-8 text";
	return NULL;
}

void
users_hash_secret(const char *secret, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)secret,
	    strlen(secret), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

void
users_random_hex(char *out, size_t n)
{
	unsigned char *b = xmalloc(n);

	randombytes_buf(b, n);
	sodium_bin2hex(out, 2 * n + 1, b, n);
	sodium_memzero(b, n);
	free(b);
}

static int
db_error(struct store *st, const char *what)
{
	kb_log(LOG_ERR, "users: %s: %s", what, sqlite3_errmsg(store_db(st)));
	return KB_EDB;
}

/* Prepare sql, bind the text arguments in order, step once. */
static int
exec_text(struct store *st, const char *sql, int *changes, int nargs, ...)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s;
	va_list ap;
	int i, rc;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_error(st, "prepare");
	va_start(ap, nargs);
	for (i = 1; i <= nargs; i++)
		sqlite3_bind_text(s, i, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
	va_end(ap);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return rc == SQLITE_CONSTRAINT ? KB_EINVAL : db_error(st, "step");
	if (changes)
		*changes = sqlite3_changes(db);
	return KB_OK;
}

static int
hash_password(const char *password, char out[crypto_pwhash_STRBYTES])
{
	if (crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		kb_log(LOG_ERR, "users: password hashing ran out of memory");
		return KB_ENOMEM;
	}
	return KB_OK;
}

int
users_add(struct store *st, const char *name, enum role role,
    const char *password, bool *taken)
{
	char hash[crypto_pwhash_STRBYTES], now[32];
	int rc;

	*taken = false;
	if (!users_valid_name(name) || role == ROLE_NONE ||
	    users_password_problem(password))
		return KB_EINVAL;
	if ((rc = hash_password(password, hash)))
		return rc;
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	rc = exec_text(st, "INSERT INTO users(name, role, pw_hash, created) "
	    "VALUES (?, ?, ?, ?)", NULL, 4, name, role_name(role), hash, now);
	sodium_memzero(hash, sizeof(hash));
	if (rc == KB_EINVAL)
		*taken = true;
	return rc;
}

int
users_set_password(struct store *st, const char *name, const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc, changes = 0;

	if (users_password_problem(password))
		return KB_EINVAL;
	if ((rc = hash_password(password, hash)))
		return rc;
	rc = exec_text(st, "UPDATE users SET pw_hash = ? WHERE name = ?", &changes,
	    2, hash, name);
	sodium_memzero(hash, sizeof(hash));
	if (!rc && !changes)
		return KB_ENOTFOUND;
	/* a new password ends every session: whoever had the old one is out */
	return rc ? rc : exec_text(st, "DELETE FROM sessions WHERE user_id = "
	    "(SELECT id FROM users WHERE name = ?)", NULL, 1, name);
}

int
users_delete(struct store *st, const char *name)
{
	int rc, changes = 0;

	rc = exec_text(st, "DELETE FROM users WHERE name = ?", &changes, 1, name);
	return !rc && !changes ? KB_ENOTFOUND : rc;
}

int
users_set_role(struct store *st, const char *name, enum role role)
{
	int rc, changes = 0;

	if (role == ROLE_NONE)
		return KB_EINVAL;
	rc = exec_text(st, "UPDATE users SET role = ? WHERE name = ?", &changes, 2,
	    role_name(role), name);
	return !rc && !changes ? KB_ENOTFOUND : rc;
}

int
users_set_lang(struct store *st, const char *name, const char *lang)
{
	int rc, changes = 0;

	if (strlen(lang) >= sizeof(((struct user *)0)->lang))
		return KB_EINVAL;
	rc = exec_text(st, "UPDATE users SET lang = ? WHERE name = ?", &changes, 2,
	    lang, name);
	return !rc && !changes ? KB_ENOTFOUND : rc;
}

int
users_count(struct store *st, int64_t *n)
{
	sqlite3_stmt *s;
	int rc = KB_EDB;

	*n = 0;
	if (sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM users", -1, &s,
	    NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
		*n = sqlite3_column_int64(s, 0);
		rc = KB_OK;
	}
	sqlite3_finalize(s);
	return rc ? db_error(st, "count") : KB_OK;
}

int
users_list(struct store *st, json_t **out)
{
	sqlite3_stmt *s;
	json_t *list = json_array();
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT u.name, u.role, u.created, "
	    "(SELECT count(*) FROM sessions WHERE user_id = u.id), "
	    "(SELECT count(*) FROM api_tokens WHERE user_id = u.id AND NOT revoked) "
	    "FROM users u ORDER BY u.name", -1, &s, NULL) != SQLITE_OK) {
		json_decref(list);
		return db_error(st, "list");
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:I, s:I}",
		    "name", (const char *)sqlite3_column_text(s, 0),
		    "role", (const char *)sqlite3_column_text(s, 1),
		    "created", (json_int_t)sqlite3_column_int64(s, 2),
		    "sessions", (json_int_t)sqlite3_column_int64(s, 3),
		    "tokens", (json_int_t)sqlite3_column_int64(s, 4)));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return db_error(st, "list");
	}
	*out = list;
	return KB_OK;
}

/* Fill *u from a row of (id, name, role, lang). */
static void
user_from_row(sqlite3_stmt *s, struct user *u)
{
	const char *name = (const char *)sqlite3_column_text(s, 1);
	const char *lang = (const char *)sqlite3_column_text(s, 3);

	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(s, 0);
	if (name && strlen(name) <= USERNAME_MAX)
		memcpy(u->name, name, strlen(name) + 1);
	u->role = role_parse((const char *)sqlite3_column_text(s, 2));
	if (lang && strlen(lang) < sizeof(u->lang))
		memcpy(u->lang, lang, strlen(lang) + 1);
}

int
users_check_password(struct store *st, const char *name, const char *password,
    struct user *u)
{
	/* a real hash of a random password: wrong names cost as much as wrong passwords */
	static char dummy[crypto_pwhash_STRBYTES];
	static int dummy_ready;
	sqlite3_stmt *s;
	const char *hash;
	int rc = KB_ENOTFOUND, ok;

	if (!dummy_ready) {
		char pw[33];
		users_random_hex(pw, 16);
		if (hash_password(pw, dummy) == KB_OK)
			dummy_ready = 1;
	}
	if (sqlite3_prepare_v2(store_db(st), "SELECT id, name, role, lang, pw_hash "
	    "FROM users WHERE name = ?", -1, &s, NULL) != SQLITE_OK)
		return db_error(st, "check");
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW) {
		hash = (const char *)sqlite3_column_text(s, 4);
		ok = hash && crypto_pwhash_str_verify(hash, password,
		    strlen(password)) == 0;
		if (ok) {
			user_from_row(s, u);
			rc = KB_OK;
		}
	} else if (crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0) {
		rc = KB_ENOTFOUND;	/* cannot happen: the dummy's password is random */
	}
	sqlite3_finalize(s);
	return rc;
}

int
users_by_id(struct store *st, int64_t id, struct user *u)
{
	sqlite3_stmt *s;
	int rc = KB_ENOTFOUND;
	static const char sql[] = "SELECT id, name, role, lang FROM users "
	    "WHERE id = ?";

	if (!(s = store_cached(st, sql)))	/* every signed-in page asks */
		return db_error(st, "by id");
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		user_from_row(s, u);
		rc = KB_OK;
	}
	store_cached_done(s);
	return rc;
}

int
users_token_add(struct store *st, const char *name, char **token, int64_t *id)
{
	char secret[65], hash[65], now[32];
	struct buf b;
	int rc, changes = 0;

	*token = NULL;
	users_random_hex(secret, 32);
	buf_init(&b, 128);
	buf_printf(&b, "kbd_%s", secret);
	users_hash_secret(buf_str(&b), hash);
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	rc = exec_text(st, "INSERT INTO api_tokens(hash, user_id, created) "
	    "SELECT ?, id, ? FROM users WHERE name = ?", &changes, 3, hash, now, name);
	sodium_memzero(secret, sizeof(secret));
	if (!rc && !changes)
		rc = KB_ENOTFOUND;
	if (rc) {
		buf_release(&b);
		return rc;
	}
	*id = sqlite3_last_insert_rowid(store_db(st));
	*token = buf_detach(&b, NULL);
	return *token ? KB_OK : KB_ENOMEM;
}

int
users_token_check(struct store *st, const char *token, struct user *u)
{
	sqlite3_stmt *s;
	char hash[65];
	int rc = KB_ENOTFOUND;
	static const char sql[] = "SELECT u.id, u.name, u.role, u.lang "
	    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
	    "WHERE t.hash = ? AND NOT t.revoked";

	if (strlen(token) != 68 || strncmp(token, "kbd_", 4) != 0)
		return KB_ENOTFOUND;
	users_hash_secret(token, hash);
	if (!(s = store_cached(st, sql)))	/* every API request asks */
		return db_error(st, "token");
	sqlite3_bind_text(s, 1, hash, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW) {
		user_from_row(s, u);
		rc = KB_OK;
	}
	store_cached_done(s);
	return rc;
}

int
users_token_revoke(struct store *st, int64_t id)
{
	char ids[32];
	int rc, changes = 0;

	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	rc = exec_text(st, "UPDATE api_tokens SET revoked = 1 WHERE id = ?",
	    &changes, 1, ids);
	return !rc && !changes ? KB_ENOTFOUND : rc;
}
