/*
 * server.h - the libmicrohttpd workers (one event loop thread each, fed
 * by listener.h), limits, routing, security headers and the request log.
 */
#ifndef KB_SERVER_H
#define KB_SERVER_H

struct kbd;
struct server;

/*
 * Start serving kbd (which must outlive the server) on kbd->cfg.listen.
 * Prints the address it listens on. Returns KB_OK or an error (logged).
 */
int server_start(struct kbd *kbd, struct server **out);
/* Stop accepting, finish requests in flight, and free the server. */
void server_stop(struct server *srv);

#endif
