/*
 * listener.h - the listening socket, and the thread that accepts on it and
 * hands the connections to the worker daemons in turn.
 *
 * libmicrohttpd's own thread pool lets its workers race for the listening
 * socket: a burst of connections (wrk, a browser opening six, a proxy
 * reconnecting) often lands on one worker while the others idle, and a
 * keep-alive connection stays where it landed, so one core did all the
 * work (measured when the workers still used epoll, server.c: all 8
 * connections of a suggest run on one worker in 2 runs of 5). Handing
 * connections out here keeps the workers evenly loaded.
 *
 * The listener owns its socket and thread; the workers are borrowed and
 * must outlive listener_stop(). Each accepted socket is owned by the
 * worker it is handed to (libmicrohttpd closes it).
 */
#ifndef KB_LISTENER_H
#define KB_LISTENER_H

#include <stddef.h>
#include <sys/socket.h>

struct MHD_Daemon;
struct listener;

/*
 * Bind and listen on addr (SO_REUSEADDR; IPv6 sockets IPv6 only). Returns
 * KB_OK, or KB_EIO with errno set.
 */
int listener_open(const struct sockaddr *addr, socklen_t len, int backlog,
    struct listener **out);
/* The port bound (useful when asked for port 0). */
unsigned listener_port(const struct listener *l);
/*
 * Start accepting, handing connections to workers[0..n) (daemons started
 * with MHD_USE_NO_LISTEN_SOCKET and MHD_USE_ITC). KB_OK or KB_ENOMEM.
 */
int listener_start(struct listener *l, struct MHD_Daemon *const *workers,
    size_t n);
/* Stop accepting, wait for the thread, close the socket and free l. */
void listener_stop(struct listener *l);

#endif
