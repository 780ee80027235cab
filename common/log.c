/*
 * log.c - see log.h. Each message is formatted into one buffer and written
 * with a single write(2) so that lines from threads never interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "banned.h"

static int log_level = LOG_INFO;	/* set once at start-up */

void
kb_log_set_level(int level)
{
	log_level = level;
}

void
kb_log(int level, const char *fmt, ...)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "error", "warning", "notice", "info",
		"debug",
	};
	struct buf b;
	struct timespec ts;
	struct tm tm;
	va_list ap;
	ssize_t n;

	if (level > log_level)
		return;
	buf_init(&b, 16384);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	buf_printf(&b, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000L,
	    names[level & 7]);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_putc(&b, '\n');
	if (!b.err) {
		n = write(STDERR_FILENO, b.data, b.len);
		(void)n;
	}
	buf_release(&b);
}
