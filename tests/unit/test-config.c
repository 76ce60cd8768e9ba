/* Unit tests: the configuration file and its value parsers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "rules.h"
#include "tap.h"

int
main(void)
{
	struct config	 c;
	struct diag	 d;
	FILE		*f;
	char		*out = NULL;
	size_t		 outlen = 0;

	is_int(config_parse_duration("90s"), 90, "90s");
	is_int(config_parse_duration("30m"), 1800, "30m");
	is_int(config_parse_duration("24h"), 86400, "24h");
	is_int(config_parse_duration("7d"), 604800, "7d");
	is_int(config_parse_duration("2w"), 1209600, "2w");
	is_int(config_parse_duration("45"), 45, "bare number is seconds");
	is_int(config_parse_duration("5x"), -1, "unknown unit refused");
	is_int(config_parse_duration("-5m"), -1, "negative refused");
	is_int(config_parse_duration("99999999999999999999d"), -1, "overflow refused");
	is_int(config_parse_size("16M"), 16 << 20, "16M");
	is_int(config_parse_size("512KiB"), 512 << 10, "512KiB");
	is_int(config_parse_size("lots"), -1, "size word refused");
	is_int(config_parse_clock("07:30"), 450, "07:30");
	is_int(config_parse_clock("24:00"), -1, "24:00 refused");

	config_init(&c);
	diag_init(&d, NULL);
	is_int(config_load_string(&c, "config",
	    "# comment\n"
	    "interval = 15m\n"
	    "  max-per-host=4   # trailing comment\n"
	    "quiet-hours = 22:00-07:00\n"
	    "user-agent = \"my agent # not a comment\"\n"
	    "notify-backlog = yes\n"
	    "jitter = 20%\n"
	    "digest-at = 07:30\n", &d), 0, "a valid file loads");
	is_int(c.interval, 900, "interval read");
	is_int(c.max_per_host, 4, "max-per-host read despite trailing comment");
	is_int(c.quiet_start, 22 * 60, "quiet hours start");
	is_int(c.quiet_end, 7 * 60, "quiet hours end");
	is_str(c.user_agent, "my agent # not a comment", "quoted string keeps '#'");
	is_int(c.notify_backlog, 1, "boolean read");
	is_int(c.jitter, 20, "percent read");
	is_int(c.digest_at, 450, "digest time read");
	config_release(&c);

	config_init(&c);
	f = open_memstream(&out, &outlen);
	diag_init(&d, f);
	is_int(config_load_string(&c, "cfg", "intervall = 5m\ntimeout = soon\nmax-items\n"
	    "max-connections = 0\n", &d), -1, "errors are reported");
	fclose(f);
	ok(strstr(out, "cfg:1:1: error: unknown key 'intervall' (did you mean 'interval'?)") != NULL,
	    "misspelled key: file:line:col and a hint");
	ok(strstr(out, "cfg:2:11: error: timeout: expected a duration") != NULL,
	    "bad value: column of the value");
	ok(strstr(out, "cfg:3:1: error: expected 'key = value'") != NULL, "line without '='");
	ok(strstr(out, "cfg:4:19: error: max-connections: number out of range") != NULL,
	    "out of range");
	is_int(c.timeout, 30, "a bad value leaves the default");
	is_int(d.errors, 4, "four errors counted");
	free(out);
	config_release(&c);
	return tap_done();
}
