/*
 * Logging to stderr, with journald priority prefixes when stderr is the
 * journal ($JOURNAL_STREAM set).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

static const char	*log_name = "wirewatch";
static int		 log_level = LOG_NOTICE;
static int		 log_journal;

void
log_init(const char *progname, int level)
{
	if (progname != NULL)
		log_name = progname;
	log_level = level;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

int
log_get_level(void)
{
	return log_level;
}

static void	log_vlog(int, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

static void
log_vlog(int level, const char *fmt, va_list ap)
{
	if (level > log_level)
		return;
	if (log_journal)
		fprintf(stderr, "<%d>", level);
	else
		fprintf(stderr, "%s: ", log_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOG_FN(name, level)			\
void						\
name(const char *fmt, ...)			\
{						\
	va_list	ap;				\
	va_start(ap, fmt);			\
	log_vlog(level, fmt, ap);		\
	va_end(ap);				\
}
LOG_FN(log_err, LOG_ERR)
LOG_FN(log_warn, LOG_WARNING)
LOG_FN(log_info, LOG_INFO)
LOG_FN(log_debug, LOG_DEBUG)

void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vlog(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
