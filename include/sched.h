/*
 * Poll scheduling policy: when to poll a feed next, from its interval, its
 * recent failures, and what the server (Retry-After, Cache-Control max-age,
 * Expires) and the feed (RSS ttl, skipHours, skipDays, sy:updatePeriod)
 * asked for. Pure functions: the caller passes the clock and the random
 * state, so every decision can be replayed in a test.
 */
#ifndef WW_SCHED_H
#define WW_SCHED_H

#include <stdint.h>

/* Defaults for the zero fields of struct sched_policy, seconds. */
#define SCHED_INTERVAL		(30 * 60)
#define SCHED_MIN_INTERVAL	(5 * 60)
#define SCHED_MAX_INTERVAL	(24 * 3600)
#define SCHED_FEED_FLOOR	60	/* shortest interval a feed may ask for */

struct sched_policy {
	long	 interval;	/* default poll interval */
	long	 min_interval;	/* never sooner than this, unless the feed's own
				   interval is shorter (down to SCHED_FEED_FLOOR) */
	long	 max_interval;	/* ceiling for hints, backoff and Retry-After */
	int	 jitter;	/* +/- percent of the delay after a success; <0: none */
};

struct sched_feed {
	long	 interval;	/* the feed's own interval, 0: the default */
	int	 failures;	/* consecutive failed polls, this one included; 0 after a success */
};

/* Hints, all optional (0, or -1 for max_age, when absent). */
struct sched_hints {
	int64_t	 retry_after;	/* absolute time (fetch_res.retry_after) */
	long	 max_age;	/* Cache-Control max-age, s */
	int64_t	 expires;	/* absolute time */
	int	 ttl;		/* RSS <ttl>, minutes */
	uint32_t skiphours;	/* bit h: do not poll during hour h (UTC) */
	uint8_t	 skipdays;	/* bit d: do not poll on weekday d (0 = Sunday, UTC) */
	long	 update_period;	/* sy:updatePeriod / sy:updateFrequency, s */
};

/*
 * Next poll time (Unix seconds) after a poll that ended at now:
 *
 *  - after a success, the feed's interval (else the default), lengthened
 *    (never shortened) by ttl, max-age, Expires and updatePeriod, each
 *    capped at max_interval; then +/- jitter percent;
 *  - after the n-th consecutive failure, interval * 2^(n-1) capped at
 *    max_interval, drawn uniformly from the upper half of that ("equal
 *    jitter", so failing feeds do not retry in lockstep);
 *  - never before Retry-After (capped at max_interval from now), never
 *    sooner than the floor (min_interval, or a shorter per-feed interval);
 *  - then moved out of skipped hours and days (ignored when they skip
 *    everything).
 *
 * rng is the random state (see sched_rand); NULL means no jitter. reason,
 * when not NULL, gets a static word saying what decided the delay:
 * "interval", "ttl", "max-age", "expires", "update-period", "backoff",
 * "retry-after", "floor" or "skip".
 */
int64_t		 sched_next(const struct sched_policy *, const struct sched_feed *,
		    const struct sched_hints *, int64_t now, uint64_t *rng,
		    const char **reason);

/* Next number of the state's sequence (splitmix64); seed the state once. */
uint64_t	 sched_rand(uint64_t *state);

/* The hints with nothing in them (max_age -1). */
void		 sched_hints_init(struct sched_hints *);

#endif
