/*
 * err.c - descriptions of the kb_err codes.
 */
#include "err.h"
#include "banned.h"

const char *
kb_strerror(int err)
{
	switch (err) {
	case KB_OK:		return "success";
	case KB_ENOMEM:		return "out of memory";
	case KB_EINVAL:		return "invalid input";
	case KB_ENOTFOUND:	return "not found";
	case KB_ETOOBIG:	return "too large";
	case KB_EIO:		return "input/output error";
	case KB_EDB:		return "database error";
	case KB_ESEARCH:	return "search index error";
	case KB_EMODIFIED:	return "index modified; retry";
	}
	return "unknown error";
}
