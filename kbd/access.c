/*
 * access.c - the permission table; see access.h.
 */
#include "access.h"
#include "banned.h"

/* The lowest role that has each permission (roles are ordered l1 < l2 < l3 < admin). */
static const enum role lowest[] = {
	[PERM_PUBLIC] = ROLE_NONE,
	[PERM_READ] = ROLE_L1,
	[PERM_SIGNED_IN] = ROLE_L1,
	[PERM_TICKETS] = ROLE_L1,
	[PERM_KNOWLEDGE] = ROLE_L2,
	[PERM_ADMIN] = ROLE_ADMIN,
};

bool
access_allows(enum role role, enum perm perm, bool public_articles)
{
	if ((unsigned)perm >= sizeof(lowest) / sizeof(lowest[0]))
		return false;	/* deny by default */
	if (perm == PERM_READ && public_articles)
		return true;
	return role >= lowest[perm];
}
