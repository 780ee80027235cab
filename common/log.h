/*
 * log.h - one line per message on standard error, with a level and time.
 *
 * Log once, where the most is known, then return an error code; callers
 * pass the code up without logging again. Thread-safe (one write per line).
 */
#ifndef KB_LOG_H
#define KB_LOG_H

#include <syslog.h>	/* LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG */

#ifdef __cplusplus
extern "C" {
#endif

/* Messages above this level are dropped; default LOG_INFO. */
void kb_log_set_level(int level);
void kb_log(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif
#endif
