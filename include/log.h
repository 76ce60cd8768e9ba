/*
 * Logging to stderr. Under systemd ($JOURNAL_STREAM set) each line carries a
 * journald priority prefix such as "<3>". fatal() is for the impossible.
 */
#ifndef WW_LOG_H
#define WW_LOG_H

enum log_level { LOG_ERR = 3, LOG_WARNING = 4, LOG_NOTICE = 5, LOG_INFO = 6, LOG_DEBUG = 7 };

void	log_init(const char *progname, int level);
int	log_get_level(void);
void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
