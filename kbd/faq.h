/*
 * faq.h - FAQ answers in use: how often each answer was copied or sent
 * (which orders the FAQ page), and sending an answer to a ticket's
 * requester (a public reply on the ticket, the article linked as
 * sent-to-requester, both on the ticket's incident log).
 */
#ifndef KB_FAQ_H
#define KB_FAQ_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "refusal.h"

struct store;
struct search;
struct actor;

#define FAQ_QUESTION_MAX 2000

/* Does published article slug have FAQ question q (as the index has it)? */
bool faq_exists(struct search *s, const char *slug, const char *q);

/* One more use of the answer to question q of article slug. */
int faq_use(struct store *st, const char *slug, const char *q);

/* {slug: {question: uses}} for every answer used at least once. */
int faq_uses(struct store *st, json_t **out);

/*
 * {"ticket","slug","q"}: send that FAQ answer (as the index has it) to the
 * ticket's requester. *out: {"ticket","slug","q","a"}.
 */
int faq_send(struct store *st, struct search *s,
    const struct actor *who, json_t *in, json_t **out, struct refusal *e);

#endif
