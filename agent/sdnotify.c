/*
 * sd_notify(3) by hand: one AF_UNIX datagram per message to $NOTIFY_SOCKET
 * (a leading '@' names the abstract namespace). The protocol is stable, so
 * no library is needed. Touches nothing but that socket.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "sdnotify.h"

static struct sockaddr_un	sd_addr;
static socklen_t		sd_addrlen;
static uint64_t			sd_watchdog_usec;

void
sdnotify_init(void)
{
	const char	*path, *usec, *pid;
	size_t		 len;

	sd_addrlen = 0;
	sd_watchdog_usec = 0;
	if ((path = getenv("NOTIFY_SOCKET")) != NULL && (path[0] == '/' || path[0] == '@')) {
		len = strlen(path);
		if (len < sizeof sd_addr.sun_path) {
			memset(&sd_addr, 0, sizeof sd_addr);
			sd_addr.sun_family = AF_UNIX;
			memcpy(sd_addr.sun_path, path, len);
			if (path[0] == '@')
				sd_addr.sun_path[0] = '\0';
			sd_addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
			    (path[0] == '/' ? 1 : 0));
		}
	}
	if ((usec = getenv("WATCHDOG_USEC")) != NULL) {
		pid = getenv("WATCHDOG_PID");
		if (pid == NULL || strtol(pid, NULL, 10) == (long)getpid())
			sd_watchdog_usec = strtoull(usec, NULL, 10);
	}
}

uint64_t
sdnotify_watchdog_usec(void)
{
	return sd_watchdog_usec;
}

int
sdnotify_send(const char *fmt, ...)
{
	struct buf	b;
	va_list		ap;
	int		fd, rv = 0;

	if (sd_addrlen == 0)
		return 0;
	buf_init(&b, 4096);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    sendto(fd, b.data, b.len, MSG_NOSIGNAL, (struct sockaddr *)&sd_addr,
	    sd_addrlen) == -1) {
		log_debug("sd_notify: %s", strerror(errno));
		rv = -1;
	}
	if (fd != -1)
		close(fd);
	buf_release(&b);
	return rv;
}

/* Status lines come from feed data at times: keep them to one line. */
static void
one_line(char *dst, size_t size, const char *src)
{
	size_t	i;

	for (i = 0; i + 1 < size && src[i] != '\0'; i++)
		dst[i] = (src[i] == '\n' || src[i] == '\r') ? ' ' : src[i];
	dst[i] = '\0';
}

void
sdnotify_ready(const char *status)
{
	char	s[256];

	one_line(s, sizeof s, status);
	sdnotify_send("READY=1\nSTATUS=%s\nMAINPID=%ld", s, (long)getpid());
}

void
sdnotify_status(const char *status)
{
	char	s[256];

	one_line(s, sizeof s, status);
	sdnotify_send("STATUS=%s", s);
}

void
sdnotify_reloading(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sdnotify_send("RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading",
	    (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
}

void
sdnotify_stopping(void)
{
	sdnotify_send("STOPPING=1\nSTATUS=stopping");
}

void
sdnotify_watchdog(void)
{
	if (sd_watchdog_usec != 0)
		sdnotify_send("WATCHDOG=1");
}
