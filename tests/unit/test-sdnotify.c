/*
 * Unit tests: the notify protocol, received on our own datagram sockets
 * (a path socket and an abstract one) standing in for systemd.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sdnotify.h"
#include "tap.h"

static int
listen_at(const char *path, int abstract)
{
	struct sockaddr_un	sa;
	socklen_t		len;
	int			fd;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	strncpy(sa.sun_path + (abstract ? 1 : 0), path, sizeof sa.sun_path - 2);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sa, len) == -1)
		return -1;
	return fd;
}

static const char *
recv_msg(int fd)
{
	static char	msg[4096];
	ssize_t		n;

	n = recv(fd, msg, sizeof msg - 1, MSG_DONTWAIT);
	msg[n > 0 ? n : 0] = '\0';
	return msg;
}

int
main(void)
{
	char	dir[] = "/tmp/ww-sdnotify-XXXXXX", path[256], pid[32], abs[64];
	int	fd;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof path, "%s/notify", dir);
	fd = listen_at(path, 0);
	ok(fd != -1, "test socket bound");

	unsetenv("NOTIFY_SOCKET");
	sdnotify_init();
	is_int(sdnotify_send("READY=1"), 0, "no NOTIFY_SOCKET: a silent no-op");
	is_str(recv_msg(fd), "", "nothing sent without NOTIFY_SOCKET");

	setenv("NOTIFY_SOCKET", path, 1);
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("WATCHDOG_USEC", "4000000", 1);
	setenv("WATCHDOG_PID", pid, 1);
	sdnotify_init();
	is_int(sdnotify_watchdog_usec(), 4000000, "watchdog interval read for our pid");
	sdnotify_ready("polling 3 feeds\nsecond line");
	{
		char want[128];

		snprintf(want, sizeof want, "READY=1\nSTATUS=polling 3 feeds second line\nMAINPID=%s", pid);
		is_str(recv_msg(fd), want, "READY with a one-line STATUS and MAINPID");
	}
	sdnotify_status("3 feeds, last poll 09:30, 1 failing");
	is_str(recv_msg(fd), "STATUS=3 feeds, last poll 09:30, 1 failing", "STATUS");
	sdnotify_watchdog();
	is_str(recv_msg(fd), "WATCHDOG=1", "WATCHDOG ping");
	sdnotify_reloading();
	ok(strncmp(recv_msg(fd), "RELOADING=1\nMONOTONIC_USEC=", 27) == 0, "RELOADING with MONOTONIC_USEC");
	sdnotify_stopping();
	is_str(recv_msg(fd), "STOPPING=1\nSTATUS=stopping", "STOPPING");

	setenv("WATCHDOG_PID", "1", 1);
	sdnotify_init();
	is_int(sdnotify_watchdog_usec(), 0, "a watchdog meant for another pid is ignored");
	close(fd);
	unlink(path);
	rmdir(dir);

	snprintf(abs, sizeof abs, "ww-sdnotify-test-%ld", (long)getpid());
	fd = listen_at(abs, 1);
	ok(fd != -1, "abstract test socket bound");
	snprintf(path, sizeof path, "@%s", abs);
	setenv("NOTIFY_SOCKET", path, 1);
	sdnotify_init();
	sdnotify_status("abstract");
	is_str(recv_msg(fd), "STATUS=abstract", "abstract-namespace socket ('@') works");
	close(fd);
	return tap_done();
}
