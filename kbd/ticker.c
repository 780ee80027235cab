/*
 * ticker.c - see ticker.h.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "err.h"
#include "ticker.h"
#include "util.h"
#include "banned.h"

struct ticker {
	void (*fn)(void *ctx);
	void *ctx;
	unsigned interval;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
};

static void *
run(void *arg)
{
	struct ticker *t = arg;
	struct timespec deadline;

	pthread_mutex_lock(&t->lock);
	while (!t->stopping) {
		pthread_mutex_unlock(&t->lock);
		t->fn(t->ctx);
		pthread_mutex_lock(&t->lock);
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += t->interval;
		while (!t->stopping &&
		    pthread_cond_timedwait(&t->wake, &t->lock, &deadline) == 0)
			;
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

int
ticker_start(unsigned interval, void (*fn)(void *ctx), void *ctx,
    struct ticker **out)
{
	struct ticker *t = xcalloc(1, sizeof(*t));

	*out = NULL;
	t->fn = fn;
	t->ctx = ctx;
	t->interval = interval ? interval : 30;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->wake, NULL);
	if (pthread_create(&t->thread, NULL, run, t) != 0) {
		pthread_mutex_destroy(&t->lock);
		pthread_cond_destroy(&t->wake);
		free(t);
		return KB_ENOMEM;
	}
	*out = t;
	return KB_OK;
}

void
ticker_stop(struct ticker *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stopping = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->wake);
	free(t);
}
