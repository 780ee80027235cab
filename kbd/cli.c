/*
 * cli.c - see cli.h. Passwords come from standard input (one line, not
 * echoed on a terminal), never from the command line where `ps` shows them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "audit.h"
#include "cli.h"
#include "events.h"
#include "err.h"
#include "store.h"
#include "users.h"
#include "util.h"
#include "banned.h"

/* One line from standard input, without echo on a terminal; malloc'd or NULL. */
static char *
read_password(const char *prompt)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (tty) {
		fputs(prompt, stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static int
user_add(struct store *st, const char *name, const char *role_s)
{
	enum role role = role_parse(role_s);
	const char *problem;
	char *pw;
	bool taken;
	int rc;

	if (!users_valid_name(name)) {
		fprintf(stderr, "kbd: '%s': a user name is 1 to 64 of a-z, 0-9, '.', "
		    "'_' and '-'\n", name);
		return 2;
	}
	if (role == ROLE_NONE) {
		fprintf(stderr, "kbd: '%s': the role is one of l1, l2, l3, admin\n",
		    role_s);
		return 2;
	}
	pw = read_password("Password: ");
	if (!pw) {
		fputs("kbd: no password on standard input\n", stderr);
		return 2;
	}
	if ((problem = users_password_problem(pw))) {
		fprintf(stderr, "kbd: %s\n", problem);
		sodium_memzero(pw, strlen(pw));
		free(pw);
		return 2;
	}
	rc = users_add(st, name, role, pw, &taken);
	sodium_memzero(pw, strlen(pw));
	free(pw);
	if (rc) {
		fprintf(stderr, "kbd: %s\n", taken ? "that user name is taken" :
		    kb_strerror(rc));
		return 1;
	}
	audit_log(st, NULL, "user.add", name, "command line");
	printf("user %s added (%s)\n", name, role_name(role));
	return 0;
}

static int
user_passwd(struct store *st, const char *name)
{
	const char *problem;
	char *pw = read_password("New password: ");
	int rc;

	if (!pw) {
		fputs("kbd: no password on standard input\n", stderr);
		return 2;
	}
	if ((problem = users_password_problem(pw))) {
		fprintf(stderr, "kbd: %s\n", problem);
		rc = 2;
	} else if ((rc = users_set_password(st, name, pw))) {
		fprintf(stderr, "kbd: %s\n", rc == KB_ENOTFOUND ? "no such user" :
		    kb_strerror(rc));
		rc = 1;
	} else {
		audit_log(st, NULL, "user.password", name, "command line");
		printf("password of %s changed; their sessions were ended\n", name);
	}
	sodium_memzero(pw, strlen(pw));
	free(pw);
	return rc;
}

static int
user_list(struct store *st)
{
	json_t *list, *u;
	size_t i;

	if (users_list(st, &list))
		return 1;
	json_array_foreach(list, i, u)
		printf("%s\t%s\n", json_string_value(json_object_get(u, "name")),
		    json_string_value(json_object_get(u, "role")));
	json_decref(list);
	return 0;
}

int
cli_run(const char *db_path, int argc, char **argv)
{
	struct store *st;
	char *err = NULL, *token = NULL;
	int64_t id;
	long v;
	int rc, status = 2;

	if (users_init()) {
		fputs("kbd: cannot initialise libsodium\n", stderr);
		return 1;
	}
	rc = store_open(db_path, &st, &err);
	if (rc) {
		fprintf(stderr, "kbd: %s: %s\n", db_path, err ? err : kb_strerror(rc));
		free(err);
		return 1;
	}
	if (argc == 4 && strcmp(argv[0], "user") == 0 && strcmp(argv[1], "add") == 0) {
		status = user_add(st, argv[2], argv[3]);
	} else if (argc == 3 && strcmp(argv[0], "user") == 0 &&
	    strcmp(argv[1], "passwd") == 0) {
		status = user_passwd(st, argv[2]);
	} else if (argc == 3 && strcmp(argv[0], "user") == 0 &&
	    strcmp(argv[1], "del") == 0) {
		rc = users_delete(st, argv[2]);
		if (!rc) {
			audit_log(st, NULL, "user.delete", argv[2], "command line");
			printf("user %s deleted\n", argv[2]);
		} else {
			fprintf(stderr, "kbd: %s\n", rc == KB_ENOTFOUND ? "no such user" :
			    kb_strerror(rc));
		}
		status = rc ? 1 : 0;
	} else if (argc == 2 && strcmp(argv[0], "user") == 0 &&
	    strcmp(argv[1], "list") == 0) {
		status = user_list(st);
	} else if (argc == 3 && strcmp(argv[0], "token") == 0 &&
	    strcmp(argv[1], "add") == 0) {
		rc = users_token_add(st, argv[2], &token, &id);
		if (!rc) {
			audit_log(st, NULL, "token.add", argv[2], "command line");
			printf("token %lld for %s (shown once; revoke with "
			    "`kbd token revoke %lld`):\n%s\n", (long long)id, argv[2],
			    (long long)id, token);
			sodium_memzero(token, strlen(token));
			free(token);
		} else {
			fprintf(stderr, "kbd: %s\n", rc == KB_ENOTFOUND ? "no such user" :
			    kb_strerror(rc));
		}
		status = rc ? 1 : 0;
	} else if (argc == 3 && strcmp(argv[0], "token") == 0 &&
	    strcmp(argv[1], "revoke") == 0) {
		if (kb_strtol_range(argv[2], 1, 0x7fffffffL, &v) ||
		    users_token_revoke(st, (int64_t)v)) {
			fprintf(stderr, "kbd: no such token\n");
			status = 1;
		} else {
			audit_log(st, NULL, "token.revoke", argv[2], "command line");
			printf("token %ld revoked\n", v);
			status = 0;
		}
	} else if (argc == 1 && strcmp(argv[0], "verify-log") == 0) {
		int64_t bad, count;
		rc = events_verify(st, &bad, &count);
		if (rc == KB_OK) {
			printf("incident log intact: %lld events\n", (long long)count);
			status = 0;
		} else if (rc == KB_EINVAL) {
			printf("incident log broken at event %lld (after %lld good events)\n",
			    (long long)bad, (long long)count);
			status = 1;
		} else {
			fputs("kbd: the incident log cannot be read\n", stderr);
			status = 1;
		}
	} else {
		fputs("kbd: unknown command; see kbd --help\n", stderr);
	}
	store_close(st);
	return status;
}

int
cli_initial_admin(const char *db_path, const char *data_dir)
{
	struct store *st;
	struct buf path, pw;
	char *err = NULL, hex[33];
	int64_t n;
	bool taken;
	int rc, fd;
	ssize_t w;

	rc = store_open(db_path, &st, &err);
	if (rc) {
		fprintf(stderr, "kbd: %s: %s\n", db_path, err ? err : kb_strerror(rc));
		free(err);
		return rc;
	}
	rc = users_count(st, &n);
	if (rc || n > 0) {
		store_close(st);
		return rc;
	}
	users_random_hex(hex, 16);	/* 128 random bits */
	buf_init(&pw, 64);
	buf_printf(&pw, "%.8s-%.8s-%.8s-%.8s", hex, hex + 8, hex + 16, hex + 24);
	rc = users_add(st, "admin", ROLE_ADMIN, buf_str(&pw), &taken);
	if (!rc) {
		audit_log(st, NULL, "user.add", "admin (initial)", "start-up");
		buf_init(&path, 4096);
		buf_printf(&path, "%s/initial-admin-password", data_dir);
		fd = open(buf_str(&path), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0) {
			buf_putc(&pw, '\n');
			w = write(fd, pw.data, pw.len);
			if (w != (ssize_t)pw.len)
				rc = KB_EIO;
			fchmod(fd, 0600);
			close(fd);
			buf_truncate(&pw, pw.len - 1);
		} else {
			rc = KB_EIO;
		}
		fprintf(stdout, "kbd: no users yet: created 'admin' with password %s\n"
		    "kbd: (also written to %s, readable only by you; change it with "
		    "`kbd --data %s user passwd admin`)\n", buf_str(&pw),
		    buf_str(&path), data_dir);
		fflush(stdout);
		if (rc)
			fprintf(stderr, "kbd: cannot write %s: %s\n", buf_str(&path),
			    strerror(errno));
		buf_release(&path);
	}
	sodium_memzero(pw.data, pw.len);
	buf_release(&pw);
	sodium_memzero(hex, sizeof(hex));
	store_close(st);
	return rc;
}
