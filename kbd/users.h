/*
 * users.h - accounts, their roles and passwords, and API tokens, in the
 * store (store.h). Passwords are hashed with Argon2id (libsodium
 * crypto_pwhash_str); API tokens and session ids are random 256-bit
 * values of which only a hash is stored, so a copy of the database gives
 * no way in.
 */
#ifndef KB_USERS_H
#define KB_USERS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct store;

enum role { ROLE_NONE = 0, ROLE_L1, ROLE_L2, ROLE_L3, ROLE_ADMIN };

#define PASSWORD_MIN 12		/* characters (bytes of UTF-8) */
#define PASSWORD_MAX 128
#define USERNAME_MAX 64

struct user {
	int64_t id;
	char name[USERNAME_MAX + 1];	/* validated: [a-z0-9._-], bounded */
	enum role role;
	char lang[8];			/* interface language preference, "" if none */
};

/* "l1" → ROLE_L1 …; ROLE_NONE for anything else. */
enum role role_parse(const char *s);
const char *role_name(enum role r);

/* Must be called once before any other function here (libsodium). */
int users_init(void);

/* A valid user name: 1–64 of a-z 0-9 . _ - (lower case). */
bool users_valid_name(const char *name);
/* NULL if acceptable, else why not (English, static). */
const char *users_password_problem(const char *password);

/*
 * Create a user. KB_EINVAL for a bad name, role or password (see
 * users_password_problem), KB_EEXIST-like KB_EINVAL if the name is taken
 * (*taken set), KB_EDB on database errors.
 */
int users_add(struct store *st, const char *name, enum role role,
    const char *password, bool *taken);
/* Set a new password and end every session of the user. KB_ENOTFOUND if no such user. */
int users_set_password(struct store *st, const char *name, const char *password);
/* Delete a user (sessions and tokens go with it). KB_ENOTFOUND if none. */
int users_delete(struct store *st, const char *name);
/* Change a user's role. KB_ENOTFOUND if none. */
int users_set_role(struct store *st, const char *name, enum role role);
/* Store the user's interface language (a catalogue's code, at most 7 bytes). */
int users_set_lang(struct store *st, const char *name, const char *lang);
/* How many users exist. */
int users_count(struct store *st, int64_t *n);
/* All users as [{name, role, created, sessions, tokens}] (a new array). */
int users_list(struct store *st, json_t **out);

/*
 * Check name and password. KB_OK fills *u; KB_ENOTFOUND for a wrong name
 * or password alike (the same work is done either way, so timing does not
 * tell which).
 */
int users_check_password(struct store *st, const char *name,
    const char *password, struct user *u);
int users_by_id(struct store *st, int64_t id, struct user *u);

/*
 * A new API token for the user: *token (malloc'd, shown once, "kbd_" + 64
 * hex digits) and its id. Only its hash is stored.
 */
int users_token_add(struct store *st, const char *name, char **token,
    int64_t *id);
/* The user a token belongs to (not revoked); KB_ENOTFOUND otherwise. */
int users_token_check(struct store *st, const char *token, struct user *u);
int users_token_revoke(struct store *st, int64_t id);

/* Hash a secret for storage (hex BLAKE2b-256 into out[65]). */
void users_hash_secret(const char *secret, char out[65]);
/* n random bytes as hex into out (2n+1 bytes). */
void users_random_hex(char *out, size_t n);

#endif
