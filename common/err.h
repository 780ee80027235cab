/*
 * err.h - the one status type used across kbd, the indexer and common code.
 *
 * Zero means success; every failing function returns one of these codes and
 * passes it up unchanged. The HTTP layer maps them to status codes.
 */
#ifndef KB_ERR_H
#define KB_ERR_H

#ifdef __cplusplus
extern "C" {
#endif

enum kb_err {
	KB_OK = 0,
	KB_ENOMEM,	/* allocation failed */
	KB_EINVAL,	/* bad input (syntax, range, encoding) */
	KB_ENOTFOUND,	/* no such article, file or key */
	KB_ETOOBIG,	/* input or output over its cap */
	KB_EIO,		/* file system error */
	KB_EDB,		/* SQLite error */
	KB_ESEARCH,	/* Xapian error */
	KB_EMODIFIED,	/* index changed under a reader; reopen and retry */
};

/* A static English description of err; never NULL. */
const char *kb_strerror(int err);

#ifdef __cplusplus
}
#endif
#endif
