/*
 * The systemd notify protocol without libsystemd: datagrams of
 * "KEY=VALUE\n" lines to $NOTIFY_SOCKET. Every call is a no-op when the
 * agent is not started by systemd with Type=notify.
 */
#ifndef WW_SDNOTIFY_H
#define WW_SDNOTIFY_H

#include <stdint.h>

/* Read NOTIFY_SOCKET and WATCHDOG_USEC/WATCHDOG_PID from the environment. */
void		sdnotify_init(void);
/* Send one message (several KEY=VALUE lines). 0 on success or when disabled. */
int		sdnotify_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void		sdnotify_ready(const char *status);
void		sdnotify_status(const char *status);
void		sdnotify_reloading(void);
void		sdnotify_stopping(void);
void		sdnotify_watchdog(void);
/* The watchdog interval in microseconds, 0 when there is none. */
uint64_t	sdnotify_watchdog_usec(void);

#endif
