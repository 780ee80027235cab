/*
 * rules.c - see rules.h.
 */
#include <stdlib.h>
#include <time.h>

#include "err.h"
#include "log.h"
#include "rules.h"
#include "store.h"
#include "ticker.h"
#include "tickets.h"
#include "util.h"
#include "banned.h"

struct rules {
	struct store *store;	/* this thread's own connection */
	const struct workflow_config *cfg;
	struct ticker *ticker;
};

static void
apply(void *ctx)
{
	struct rules *r = ctx;
	unsigned fired;

	if (tickets_apply_rules(r->store, r->cfg, time(NULL), &fired))
		kb_log(LOG_WARNING, "escalation rules: not all could be applied");
}

int
rules_start(const char *db_path, const struct workflow_config *cfg,
    unsigned interval, struct rules **out, char **errmsg)
{
	struct rules *r = xcalloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	rc = store_open(db_path, &r->store, errmsg);
	if (rc) {
		free(r);
		return rc;
	}
	r->cfg = cfg;
	if ((rc = ticker_start(interval, apply, r, &r->ticker))) {
		store_close(r->store);
		free(r);
		return rc;
	}
	*out = r;
	return KB_OK;
}

void
rules_stop(struct rules *r)
{
	if (!r)
		return;
	ticker_stop(r->ticker);
	store_close(r->store);
	free(r);
}
