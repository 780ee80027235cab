/*
 * rules.c - see rules.h.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "err.h"
#include "log.h"
#include "rules.h"
#include "store.h"
#include "tickets.h"
#include "util.h"
#include "banned.h"

struct rules {
	struct store *store;
	const struct workflow_config *cfg;
	unsigned interval;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
};

static void *
runner(void *arg)
{
	struct rules *r = arg;
	struct timespec deadline;
	unsigned fired;

	pthread_mutex_lock(&r->lock);
	while (!r->stopping) {
		pthread_mutex_unlock(&r->lock);
		if (tickets_apply_rules(r->store, r->cfg, time(NULL), &fired))
			kb_log(LOG_WARNING, "escalation rules: not all could be applied");
		pthread_mutex_lock(&r->lock);
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += r->interval;
		while (!r->stopping &&
		    pthread_cond_timedwait(&r->wake, &r->lock, &deadline) == 0)
			;
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
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
	r->interval = interval ? interval : 30;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	if (pthread_create(&r->thread, NULL, runner, r) != 0) {
		store_close(r->store);
		free(r);
		return KB_ENOMEM;
	}
	*out = r;
	return KB_OK;
}

void
rules_stop(struct rules *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	store_close(r->store);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->wake);
	free(r);
}
