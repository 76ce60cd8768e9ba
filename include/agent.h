/*
 * The agent: the feeds file, the configuration, the rule set, the state
 * store, the fetcher and the notifier put together. One poll of a feed is
 * fetch (or read, for a local file), parse, match, store and queue
 * notifications, in one store transaction. `run` drives it forever from one
 * event loop; `run --once` and `digest` poll once.
 */
#ifndef WW_AGENT_H
#define WW_AGENT_H

#include <stdint.h>

struct cmd_ctx;
struct agent;

#define AGENT_POLL_DUE	0x01	/* only the feeds whose next poll is due */
#define AGENT_POLL_ALL	0x02	/* every feed, due or not (not gone ones) */
#define AGENT_PROGRESS	0x04	/* a progress line when stderr is a terminal */
#define AGENT_NO_NOTIFY	0x08	/* queue nothing for notification */

/* Exit status of `run` for a configuration it cannot start with (EX_CONFIG). */
#define AGENT_EXIT_CONFIG	78

/*
 * Set up from the config directory (config, feeds, rules) and the state
 * directory. Rules or config with errors give NULL and the diagnostics on
 * stderr, as does a store that cannot be opened.
 */
struct agent	*agent_new(const struct cmd_ctx *, unsigned flags, char **cause);
void		 agent_free(struct agent *);
/*
 * Re-read the configuration, the feeds file and the rules. A part with
 * errors is reported and the last good version of it stays active.
 * Returns -1 when anything was kept back.
 */
int		 agent_reload(struct agent *);
/* Poll (flags as above) and wait until every poll has finished; returns the number of feeds that failed. */
int		 agent_poll(struct agent *, unsigned flags);
/* Show what is pending for notification (coalesced, capped, quiet hours). */
void		 agent_notify(struct agent *);
/*
 * Catch SIGTERM, SIGINT (stop) and SIGHUP (reload) from now on; call it
 * first thing so that an early signal is not fatal.
 */
void		 agent_signals(void);
/* Take the state directory's agent lock (one polling agent per state). */
int		 agent_lock(struct agent *, char **cause);
/* The event loop of `run`: returns the exit status. */
int		 agent_run(struct agent *);

/* For one-shot commands: set up, poll, notify nothing, tear down. */
int		 agent_poll_once(const struct cmd_ctx *, unsigned flags, char **cause);

#endif
