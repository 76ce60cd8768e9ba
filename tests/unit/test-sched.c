/* Unit tests: sched.c, with a fixed clock and seeded random state. */
#include <stdint.h>
#include <string.h>

#include "sched.h"
#include "tap.h"

#define FRI0900	1795770000LL	/* Fri 2026-11-27 09:00:00 UTC */
#define SAT0900	1795856400LL	/* Sat 2026-11-28 09:00:00 UTC */
#define MON0000	1795996800LL	/* Mon 2026-11-30 00:00:00 UTC */

static const struct sched_policy	P = { .interval = 1800, .min_interval = 300,
					  .max_interval = 86400, .jitter = 10 };

/* Delay after now for a feed, no jitter. */
static long
delay(const struct sched_feed *f, const struct sched_hints *h, const char **why)
{
	return (long)(sched_next(&P, f, h, FRI0900, NULL, why) - FRI0900);
}

static void
test_success(void)
{
	struct sched_feed	f = { 0 };
	struct sched_hints	h;
	const char		*why;

	sched_hints_init(&h);
	is_int(delay(&f, &h, &why), 1800, "default interval");
	is_str(why, "interval", "... because of the interval");
	is_int(delay(&f, NULL, NULL), 1800, "no hints, no reason wanted");
	is_int(sched_next(&(struct sched_policy){ 0 }, &f, NULL, FRI0900, NULL, NULL) - FRI0900,
	    SCHED_INTERVAL, "zero policy means the defaults");
	f.interval = 600;
	is_int(delay(&f, &h, NULL), 600, "per-feed interval");
	f.interval = 120;
	is_int(delay(&f, &h, NULL), 120, "per-feed interval below min_interval is honoured");
	f.interval = 10;
	is_int(delay(&f, &h, &why), SCHED_FEED_FLOOR, "... down to the feed floor");
	is_str(why, "floor", "... because of the floor");
	f.interval = 7 * 86400;
	is_int(delay(&f, &h, NULL), 86400, "per-feed interval capped at max_interval");
	f.interval = 0;

	h.ttl = 60;
	is_int(delay(&f, &h, &why), 3600, "RSS ttl lengthens the interval");
	is_str(why, "ttl", "... because of ttl");
	h.ttl = 5;
	is_int(delay(&f, &h, NULL), 1800, "a shorter ttl does not shorten it");
	h.ttl = 1 << 30;
	is_int(delay(&f, &h, NULL), 86400, "a huge ttl is capped");
	sched_hints_init(&h);
	h.max_age = 7200;
	is_int(delay(&f, &h, &why), 7200, "Cache-Control max-age");
	is_str(why, "max-age", "... because of max-age");
	h.max_age = 30 * 86400;
	is_int(delay(&f, &h, NULL), 86400, "max-age capped at max_interval");
	h.max_age = 0;
	is_int(delay(&f, &h, NULL), 1800, "max-age=0 changes nothing");
	sched_hints_init(&h);
	h.expires = FRI0900 + 5000;
	is_int(delay(&f, &h, &why), 5000, "Expires");
	is_str(why, "expires", "... because of Expires");
	h.expires = FRI0900 - 5000;
	is_int(delay(&f, &h, NULL), 1800, "Expires in the past ignored");
	sched_hints_init(&h);
	h.update_period = 6 * 3600;
	is_int(delay(&f, &h, &why), 6 * 3600, "sy:updatePeriod");
	is_str(why, "update-period", "... because of updatePeriod");
	h.ttl = 600;
	h.max_age = 900;
	is_int(delay(&f, &h, &why), 36000, "the longest hint wins");
	is_str(why, "ttl", "... and is named");
}

static void
test_backoff(void)
{
	struct sched_feed	f = { 0 };
	const char		*why;
	uint64_t		 rng = 42;
	long			 d, lo, hi;
	int			 n, i, ok_all;

	f.failures = 1;
	is_int(delay(&f, NULL, &why), 1350, "first failure: middle of [interval/2, interval]");
	is_str(why, "backoff", "... because of backoff");
	f.failures = 2;
	is_int(delay(&f, NULL, NULL), 2700, "second failure doubles");
	f.failures = 3;
	is_int(delay(&f, NULL, NULL), 5400, "third failure doubles again");
	f.failures = 1000;
	is_int(delay(&f, NULL, NULL), 64800, "many failures: capped at max_interval");
	for (n = 1; n <= 12; n++) {
		f.failures = n;
		hi = 1800L << (n - 1);
		if (hi > 86400)
			hi = 86400;
		lo = hi - hi / 2;
		ok_all = 1;
		for (i = 0; i < 200; i++) {
			d = (long)(sched_next(&P, &f, NULL, FRI0900, &rng, NULL) - FRI0900);
			if (d < lo || d > hi)
				ok_all = 0;
		}
		ok(ok_all, "failure %d: every delay in [%ld, %ld]", n, lo, hi);
	}
	f.failures = 0;
	is_int(delay(&f, NULL, &why), 1800, "a success resets the backoff");
	f.interval = 60;
	f.failures = 1;
	is_int(delay(&f, NULL, &why), 60, "backoff never below the floor");
}

static void
test_retry_after(void)
{
	struct sched_feed	f = { .failures = 1 };
	struct sched_hints	h;
	const char		*why;
	uint64_t		 rng = 7;
	int			 i, ok_all;

	sched_hints_init(&h);
	h.retry_after = FRI0900 + 7200;
	is_int(delay(&f, &h, &why), 7200, "Retry-After beats a shorter backoff");
	is_str(why, "retry-after", "... because of Retry-After");
	h.retry_after = 2145916800LL;	/* 2038: a broken server */
	is_int(delay(&f, &h, NULL), 86400, "Retry-After capped at max_interval");
	h.retry_after = FRI0900 - 10;
	is_int(delay(&f, &h, NULL), 1350, "Retry-After in the past ignored");
	h.retry_after = FRI0900 + 60;
	is_int(delay(&f, &h, NULL), 1350, "a short Retry-After does not shorten the backoff");
	f.failures = 0;
	h.retry_after = FRI0900 + 1900;
	for (ok_all = 1, i = 0; i < 500; i++)
		if (sched_next(&P, &f, &h, FRI0900, &rng, NULL) < FRI0900 + 1900)
			ok_all = 0;
	ok(ok_all, "jitter never brings a poll before Retry-After");
}

static void
test_jitter(void)
{
	struct sched_feed	f = { 0 };
	uint64_t		 a = 1, b = 1, c = 2;
	long			 d, min = 1L << 30, max = 0;
	double			 sum = 0;
	int			 i, same = 1, differ = 0;

	for (i = 0; i < 2000; i++) {
		d = (long)(sched_next(&P, &f, NULL, FRI0900, &a, NULL) - FRI0900);
		sum += d;
		if (d < min)
			min = d;
		if (d > max)
			max = d;
		if (sched_next(&P, &f, NULL, FRI0900, &b, NULL) - FRI0900 != d)
			same = 0;
		if (sched_next(&P, &f, NULL, FRI0900, &c, NULL) - FRI0900 != d)
			differ = 1;
	}
	ok(min >= 1620 && max <= 1980, "jitter within +/-10%% (%ld..%ld)", min, max);
	ok(min < 1650 && max > 1950, "jitter uses the whole range (%ld..%ld)", min, max);
	ok(sum / 2000 > 1780 && sum / 2000 < 1820, "jitter centred (mean %.1f)", sum / 2000);
	ok(same, "same seed, same schedule");
	ok(differ, "another seed, another schedule");
	d = (long)(sched_next(&(struct sched_policy){ .interval = 1800, .jitter = -1 }, &f,
	    NULL, FRI0900, &a, NULL) - FRI0900);
	is_int(d, 1800, "negative jitter: none");
	a = 0;
	ok(sched_rand(&a) == 0xe220a8397b1dcdafULL, "sched_rand is splitmix64");
}

static void
test_skip(void)
{
	struct sched_feed	f = { 0 };
	struct sched_hints	h;
	const char		*why;
	int64_t			 t;

	sched_hints_init(&h);
	h.skiphours = 1u << 9 | 1u << 10;
	t = sched_next(&P, &f, &h, FRI0900, NULL, &why);
	is_int(t, FRI0900 + 2 * 3600, "skipHours 9 and 10: moved to 11:00");
	is_str(why, "skip", "... because of skipHours");
	h.skiphours = 1u << 14;
	is_int(sched_next(&P, &f, &h, FRI0900, NULL, NULL), FRI0900 + 1800,
	    "an hour not skipped: unchanged");
	h.skiphours = 0xffffff;
	is_int(sched_next(&P, &f, &h, FRI0900, NULL, NULL), FRI0900 + 1800,
	    "every hour skipped: ignored");
	sched_hints_init(&h);
	h.skipdays = 1u << 6 | 1u << 0;
	is_int(sched_next(&P, &f, &h, SAT0900, NULL, NULL), MON0000,
	    "skipDays Saturday and Sunday: Monday 00:00");
	is_int(sched_next(&P, &f, &h, FRI0900, NULL, NULL), FRI0900 + 1800,
	    "a Friday is not skipped");
	h.skiphours = 1u << 0;
	is_int(sched_next(&P, &f, &h, SAT0900, NULL, NULL), MON0000 + 3600,
	    "skipDays and skipHours together: Monday 01:00");
	h.skiphours = 0;
	h.skipdays = 0x7f;
	is_int(sched_next(&P, &f, &h, SAT0900, NULL, NULL), SAT0900 + 1800,
	    "every day skipped: ignored");
	h.skipdays = 1u << 6;
	f.failures = 1;
	is_int(sched_next(&P, &f, &h, SAT0900, NULL, NULL), SAT0900 + 15 * 3600,
	    "a failing feed also waits out skipDays");
}

int
main(void)
{
	test_success();
	test_backoff();
	test_retry_after();
	test_jitter();
	test_skip();
	return tap_done();
}
