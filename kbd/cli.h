/*
 * cli.h - managing users and API tokens from the command line:
 *
 *   kbd --data DIR user add NAME ROLE     password read from standard input
 *   kbd --data DIR user passwd NAME       likewise; ends the user's sessions
 *   kbd --data DIR user del NAME
 *   kbd --data DIR user list
 *   kbd --data DIR token add NAME         prints the new token as its last line
 *   kbd --data DIR token revoke ID
 *   kbd --data DIR verify-log             checks the incident log's hash chain
 */
#ifndef KB_CLI_H
#define KB_CLI_H

/* Run the command argv[0..argc) on the database at db_path; the exit status. */
int cli_run(const char *db_path, int argc, char **argv);

/*
 * On a database without users, create "admin" with a random password,
 * print it once and write it to DATA_DIR/initial-admin-password (0600).
 * KB_OK also when users exist (nothing done).
 */
int cli_initial_admin(const char *db_path, const char *data_dir);

#endif
