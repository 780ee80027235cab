/*
 * listener.c - accepting connections and spreading them over the worker
 * daemons; see listener.h.
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "err.h"
#include "listener.h"
#include "log.h"
#include "util.h"
#include "banned.h"

struct listener {
	int fd;
	unsigned port;
	pthread_t thread;
	bool running;			/* the thread was started */
	atomic_bool stopping;
	struct MHD_Daemon *const *workers;	/* borrowed */
	size_t nworkers;
	size_t next;			/* round robin */
};

int
listener_open(const struct sockaddr *addr, socklen_t len, int backlog,
    struct listener **out)
{
	struct listener *l;
	struct sockaddr_storage bound;
	socklen_t blen = sizeof(bound);
	int one = 1, fd, saved;

	*out = NULL;
	fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return KB_EIO;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (addr->sa_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, addr, len) != 0 || listen(fd, backlog) != 0 ||
	    getsockname(fd, (struct sockaddr *)&bound, &blen) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return KB_EIO;
	}
	l = xcalloc(1, sizeof(*l));
	l->fd = fd;
	if (bound.ss_family == AF_INET6)
		l->port = ntohs(((struct sockaddr_in6 *)&bound)->sin6_port);
	else
		l->port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
	atomic_init(&l->stopping, false);
	*out = l;
	return KB_OK;
}

unsigned
listener_port(const struct listener *l)
{
	return l->port;
}

/*
 * The next worker in turn. Not the one with the fewest connections:
 * libmicrohttpd counts a connection until it has cleaned it up, so right
 * after a burst closes, the counts are stale and would send every new
 * connection to the same worker.
 */
static struct MHD_Daemon *
pick_worker(struct listener *l)
{
	return l->workers[l->next++ % l->nworkers];
}

static void *
accept_loop(void *arg)
{
	struct listener *l = arg;
	struct sockaddr_storage peer;
	socklen_t plen;
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	int fd;

	while (!atomic_load(&l->stopping)) {
		plen = sizeof(peer);
		fd = accept4(l->fd, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
		if (fd < 0) {
			if (atomic_load(&l->stopping))
				break;
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				/* out of descriptors: let connections close */
				kb_log(LOG_WARNING, "accept: %s", strerror(errno));
				nanosleep(&pause, NULL);
			}
			continue;	/* EINTR, ECONNABORTED, EAGAIN… */
		}
		/* on failure (limit reached) MHD closes fd and says why */
		MHD_add_connection(pick_worker(l), fd, (struct sockaddr *)&peer,
		    plen);
	}
	return NULL;
}

int
listener_start(struct listener *l, struct MHD_Daemon *const *workers, size_t n)
{
	l->workers = workers;
	l->nworkers = n;
	if (!n || pthread_create(&l->thread, NULL, accept_loop, l) != 0)
		return KB_ENOMEM;
	l->running = true;
	return KB_OK;
}

void
listener_stop(struct listener *l)
{
	if (!l)
		return;
	atomic_store(&l->stopping, true);
	/* wakes a blocked accept(), which then fails */
	shutdown(l->fd, SHUT_RDWR);
	if (l->running)
		pthread_join(l->thread, NULL);
	close(l->fd);
	free(l);
}
