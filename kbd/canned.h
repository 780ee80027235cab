/*
 * canned.h - canned replies: short texts L1 pastes into ticket replies
 * (a greeting, "we are looking into it", a closing), managed by L2/L3.
 * Placeholders {requester}, {ticket} and {agent} are filled in for a ticket
 * by canned_render(). Results are new JSON the caller releases.
 */
#ifndef KB_CANNED_H
#define KB_CANNED_H

#include <stdint.h>

#include <jansson.h>

#include "refusal.h"

struct store;
struct workflow_config;

#define CANNED_NAME_MAX 100
#define CANNED_BODY_MAX 8000

/* [{id, name, body, updated_by, updated_at}] by name. */
int canned_list(struct store *st, json_t **out);

/* {"name","body"}: a new reply (*id = 0) or a change to reply *id. 409 on a taken name. */
int canned_save(struct store *st, const char *who, json_t *in, int64_t *id,
    struct refusal *e);

int canned_delete(struct store *st, int64_t id, struct refusal *e);

/*
 * Reply id with its placeholders filled in for ticket (0: left as they
 * are) and agent: {id, name, body, text}.
 */
int canned_render(struct store *st, const struct workflow_config *cfg,
    int64_t id, int64_t ticket, const char *agent, json_t **out,
    struct refusal *e);

#endif
