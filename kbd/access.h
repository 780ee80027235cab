/*
 * access.h - who may do what: the one permission table, enforced in one
 * place (server.c, before any handler runs), and the identity of the
 * request (session cookie or API token).
 *
 *   permission       anonymous   l1   l2   l3   admin
 *   PERM_PUBLIC          yes      yes  yes  yes  yes    sign-in page, static files, /healthz
 *   PERM_READ            no*      yes  yes  yes  yes    search, published articles, FAQ
 *   PERM_SIGNED_IN       no       yes  yes  yes  yes    sign out, own settings,
 *                                                      article feedback and flags
 *   PERM_TICKETS         no       yes  yes  yes  yes    tickets (a ticket at tier N is
 *                                                      changed only by lN and up)
 *   PERM_KNOWLEDGE       no       no   yes  yes  yes    knowledge gaps, drafts, writing,
 *                                                      reviewing and publishing articles,
 *                                                      the article inbox, canned replies
 *   PERM_ADMIN           no       no   no   no   yes    users, tokens, configuration
 *
 *   * yes when kbd runs with --public-articles.
 */
#ifndef KB_ACCESS_H
#define KB_ACCESS_H

#include <stdbool.h>

#include "users.h"

enum perm { PERM_PUBLIC, PERM_READ, PERM_SIGNED_IN, PERM_TICKETS,
	PERM_KNOWLEDGE, PERM_ADMIN };

bool access_allows(enum role role, enum perm perm, bool public_articles);

#endif
