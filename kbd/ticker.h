/*
 * ticker.h - a background job run every interval seconds on its own
 * thread (the automatic escalation rules, the articles watcher), so no
 * request waits for it. ticker_stop() wakes it, waits for a run in
 * progress to end, and frees it; ctx stays the caller's.
 */
#ifndef KB_TICKER_H
#define KB_TICKER_H

struct ticker;

/* Run fn(ctx) now and then every interval seconds (> 0). */
int ticker_start(unsigned interval, void (*fn)(void *ctx), void *ctx,
    struct ticker **out);
void ticker_stop(struct ticker *t);

#endif
