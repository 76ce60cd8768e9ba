/*
 * The poll scheduling policy of sched.h. No clock, no global random state,
 * no I/O: the time and the random state come from the caller.
 */
#include <stddef.h>
#include <stdint.h>

#include "sched.h"

uint64_t
sched_rand(uint64_t *state)
{
	uint64_t	z;

	z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]; the midpoint without a random state. */
static long
uniform(uint64_t *rng, long lo, long hi)
{
	if (hi <= lo)
		return lo;
	if (rng == NULL)
		return lo + (hi - lo) / 2;
	return lo + (long)(sched_rand(rng) % (uint64_t)(hi - lo + 1));
}

void
sched_hints_init(struct sched_hints *h)
{
	*h = (struct sched_hints){ .max_age = -1 };
}

/* Raise *d to v (capped at max) and remember why. */
static void
lengthen(long *d, long v, long max, const char *why, const char **reason)
{
	if (v > max)
		v = max;
	if (v > *d) {
		*d = v;
		*reason = why;
	}
}

/* Move t out of skipped hours and days; t unchanged if everything is skipped. */
static int64_t
skip(int64_t t, uint32_t hours, uint8_t days)
{
	int64_t	u = t, day;
	int	i, hour, wday;

	hours &= 0xffffff;
	days &= 0x7f;
	if (hours == 0xffffff || days == 0x7f || (hours == 0 && days == 0))
		return t;
	for (i = 0; i < 24 * 8; i++) {
		day = (u >= 0 ? u : u - 86399) / 86400;
		hour = (int)((u - day * 86400) / 3600);
		wday = (int)(((day % 7) + 7 + 4) % 7);	/* 1970-01-01 was a Thursday */
		if (!(hours & (1u << hour)) && !(days & (1u << wday)))
			return u;
		u = day * 86400 + (int64_t)(hour + 1) * 3600;	/* next full hour */
	}
	return t;
}

int64_t
sched_next(const struct sched_policy *p, const struct sched_feed *f,
    const struct sched_hints *h, int64_t now, uint64_t *rng, const char **reason)
{
	struct sched_hints	 none;
	const char		*why = "interval", *dummy;
	long			 interval, min, max, least, d, j;
	int			 jitter, n;
	int64_t			 t;

	if (reason == NULL)
		reason = &dummy;
	if (h == NULL) {
		sched_hints_init(&none);
		h = &none;
	}
	interval = p->interval > 0 ? p->interval : SCHED_INTERVAL;
	min = p->min_interval > 0 ? p->min_interval : SCHED_MIN_INTERVAL;
	max = p->max_interval > 0 ? p->max_interval : SCHED_MAX_INTERVAL;
	jitter = p->jitter < 0 ? 0 : p->jitter > 100 ? 100 : p->jitter;
	least = min;
	if (f->interval > 0) {
		interval = f->interval;
		if (interval < least)
			least = interval > SCHED_FEED_FLOOR ? interval : SCHED_FEED_FLOOR;
	}
	if (max < least)
		max = least;
	if (interval > max)
		interval = max;

	d = interval;
	if (f->failures <= 0) {
		if (h->ttl > 0)
			lengthen(&d, h->ttl > max / 60 ? max : (long)h->ttl * 60, max,
			    "ttl", &why);
		if (h->max_age > 0)
			lengthen(&d, h->max_age, max, "max-age", &why);
		if (h->expires > now)
			lengthen(&d, h->expires - now > max ? max : (long)(h->expires - now),
			    max, "expires", &why);
		if (h->update_period > 0)
			lengthen(&d, h->update_period, max, "update-period", &why);
		j = (long)((int64_t)d * jitter / 100);
		d += uniform(rng, -j, j);
	} else {
		why = "backoff";
		for (n = 1; n < f->failures && d < max; n++)
			d = d > max / 2 ? max : d * 2;
		if (d > max)
			d = max;
		d = uniform(rng, d - d / 2, d);
	}
	if (h->retry_after > now)
		lengthen(&d, h->retry_after - now > max ? max : (long)(h->retry_after - now),
		    max, "retry-after", &why);
	if (d < least) {
		d = least;
		why = "floor";
	}
	t = now + d;
	if ((h->skiphours != 0 || h->skipdays != 0) &&
	    (t = skip(now + d, h->skiphours, h->skipdays)) != now + d)
		why = "skip";
	*reason = why;
	return t;
}
