/*
 * The configuration file ($XDG_CONFIG_HOME/wirewatch/config): "key = value"
 * lines, '#' comments, every key optional. Errors are reported as
 * FILE:LINE:COL and leave the defaults in place. No other I/O.
 */
#ifndef WW_CONFIG_H
#define WW_CONFIG_H

#include <stddef.h>
#include <stdint.h>

struct diag;

struct config {
	/* polling */
	long	 interval;		/* default poll interval, s */
	long	 min_interval;		/* floor for per-feed hints (ttl, max-age), s */
	long	 max_interval;		/* ceiling for hints and error backoff, s */
	int	 jitter;		/* percent of the interval */
	long	 timeout;		/* whole transfer, s */
	long	 connect_timeout;	/* s */
	size_t	 max_body;		/* bytes, after decompression */
	int	 max_items;		/* items read per feed and poll */
	int	 max_connections;	/* transfers at once */
	int	 max_per_host;
	char	*user_agent;		/* NULL: the built-in one */
	/* state */
	long	 retention;		/* unmatched items lose their text after this, s */
	long	 forget;		/* pruned identities are forgotten after this, s */
	/* notifications */
	int	 notify;		/* 0: never notify */
	int	 notify_backlog;	/* notify about a new feed's first items */
	int	 max_per_hour;		/* notifications shown per hour */
	int	 quiet_start;		/* minutes after midnight (local), -1: none */
	int	 quiet_end;
	/* the agent's scheduled digest */
	int	 digest_at;		/* minutes after midnight (local), -1: none */
	char	*digest_format;
	char	*digest_output;		/* strftime pattern, ~ expanded */
	long	 digest_since;		/* window, s */
};

/* Defaults (documented in wirewatch.conf(5)). */
void	config_init(struct config *);
void	config_release(struct config *);
/*
 * Read path into c (a missing file is not an error: the defaults stay).
 * Problems go to d as FILE:LINE:COL; returns -1 when there was an error.
 */
int	config_load(struct config *, const char *path, struct diag *d);
/* The same from memory (name is used in diagnostics). */
int	config_load_string(struct config *, const char *name, const char *text,
	    struct diag *d);

/* "90s", "30m", "24h", "7d", "2w", a bare number is seconds; -1 if bad. */
long	config_parse_duration(const char *);
/* "8M", "512k", "1G", bytes; (size_t)-1 if bad. */
size_t	config_parse_size(const char *);
/* "07:30" -> 450; -1 if bad. */
int	config_parse_clock(const char *);

#endif
