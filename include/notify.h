/*
 * Desktop notifications over the freedesktop notification spec (libnotify).
 * The only module that talks to D-Bus. It never fails hard: without a
 * session bus or a notification server, notifier_show() returns -1 with a
 * reason and the caller keeps the match for later and for the digest.
 */
#ifndef WW_NOTIFY_H
#define WW_NOTIFY_H

#include <stdint.h>

#include "rules.h"

struct notifier;

struct notice {
	const char	*key;		/* coalescing key (a watch id): a later notice
					   with the same key replaces the shown one */
	const char	*summary;	/* plain text, e.g. the watch label */
	const char	*headline;	/* feed text: escaped here for body markup */
	const char	*source;	/* feed name(s), may be NULL */
	const char	*matched;	/* the words that matched, may be NULL */
	const char	*link;		/* opened by the "Open" action; http(s) only */
	enum priority	 priority;
	unsigned	 count;		/* articles this notice stands for (>= 1) */
};

/* app: the application name and desktop-entry hint. Never NULL. */
struct notifier	*notifier_new(const char *app);
void		 notifier_free(struct notifier *);
/*
 * Show (or update in place) a notification. On success *id is the server's
 * notification id. Returns -1 with *cause on failure (no bus, no server).
 */
int		 notifier_show(struct notifier *, const struct notice *, uint32_t *id,
		    char **cause);
/*
 * The descriptors to watch for D-Bus events (action clicks) while the
 * caller sleeps: at most max into fds, returns how many (0 before the first
 * notification). When one is readable, call notifier_dispatch.
 */
int		 notifier_pollfds(struct notifier *, int *fds, int max);
/* Process pending D-Bus events (action clicks) without blocking. */
void		 notifier_dispatch(struct notifier *);
/* Escape text for notification body markup. Caller frees. */
char		*notify_escape(const char *s);

#endif
