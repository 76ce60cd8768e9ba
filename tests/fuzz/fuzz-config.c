/*
 * libFuzzer target: the configuration file parser (config_load_string) on
 * arbitrary bytes, diagnostics counted but printed nowhere. Besides
 * crashes it checks that an error is counted exactly when -1 comes back,
 * and that the values a loaded configuration holds are inside the ranges
 * the agent relies on (positive intervals and timeouts, clock times within
 * a day, percentages within 0..100).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "rules.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct config *c)
{
	if (c->interval <= 0 || c->min_interval <= 0 || c->max_interval <= 0 ||
	    c->timeout <= 0 || c->connect_timeout <= 0)
		abort();
	if (c->jitter < 0 || c->jitter > 100)
		abort();
	if (c->max_body == 0 || c->max_items <= 0 ||
	    c->max_connections <= 0 || c->max_per_host <= 0)
		abort();
	if (c->quiet_start < -1 || c->quiet_start >= 24 * 60 ||
	    c->quiet_end < -1 || c->quiet_end >= 24 * 60 ||
	    c->digest_at < -1 || c->digest_at >= 24 * 60)
		abort();
	if (c->max_per_hour < 0 || c->retention <= 0 || c->forget <= 0 ||
	    c->digest_since <= 0)
		abort();
	if (c->digest_format == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 c;
	struct diag	 d;
	char		*text;
	int		 rc;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	diag_init(&d, NULL);
	config_init(&c);
	rc = config_load_string(&c, "fuzz.conf", text, &d);
	if ((rc == -1) != (d.errors > 0))
		abort();
	check(&c);
	config_release(&c);
	free(text);
	return 0;
}
