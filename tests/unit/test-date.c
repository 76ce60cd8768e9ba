/*
 * Unit tests: date.c. Each case is an input as some publisher writes it and
 * the instant it means, written as RFC 3339 UTC (NULL: must be DATE_NONE).
 */
#include <stdint.h>
#include <stdlib.h>

#include "date.h"
#include "util.h"
#include "tap.h"

static const struct {
	const char	*in;
	const char	*want;
} cases[] = {
	/* RFC 822 / 1123 / 2822 */
	{ "Tue, 03 Mar 2023 10:00:00 GMT",		"2023-03-03T10:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 +0000",		"2023-03-03T10:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 +0300",		"2023-03-03T07:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 -0530",		"2023-03-03T15:30:00Z" },
	{ "03 Mar 2023 10:00:00 GMT",			"2023-03-03T10:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00 GMT",			"2023-03-03T10:00:00Z" },
	{ "Sat, 29 Feb 2020 23:59:59 +0000",		"2020-02-29T23:59:59Z" },
	{ "Thu, 31 Dec 2026 23:30:00 -0100",		"2027-01-01T00:30:00Z" },
	{ "Fri, 01 Jan 2027 00:30:00 +0100",		"2026-12-31T23:30:00Z" },
	/* two- and three-digit years, RFC 2822 4.3 */
	{ "Tue, 03 Mar 23 10:00:00 GMT",		"2023-03-03T10:00:00Z" },
	{ "Sun, 06 Nov 94 08:49:37 GMT",		"1994-11-06T08:49:37Z" },
	{ "01 Jan 49 00:00:00 GMT",			"2049-01-01T00:00:00Z" },
	{ "01 Jan 50 00:00:00 GMT",			"1950-01-01T00:00:00Z" },
	{ "01 Jan 123 00:00:00 GMT",			"2023-01-01T00:00:00Z" },
	/* named zones */
	{ "Tue, 03 Mar 2023 10:00:00 UT",		"2023-03-03T10:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 UTC",		"2023-03-03T10:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 EST",		"2023-03-03T15:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 EDT",		"2023-03-03T14:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 CST",		"2023-03-03T16:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 CDT",		"2023-03-03T15:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 MST",		"2023-03-03T17:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 MDT",		"2023-03-03T16:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 PST",		"2023-03-03T18:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 pdt",		"2023-03-03T17:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 CET",		"2023-03-03T09:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 JST",		"2023-03-03T01:00:00Z" },
	/* military letters: A is one hour east, N one hour west */
	{ "Tue, 03 Mar 2023 10:00:00 Z",		"2023-03-03T10:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 A",		"2023-03-03T09:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 M",		"2023-03-02T22:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 N",		"2023-03-03T11:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 Y",		"2023-03-03T22:00:00Z" },
	/* numeric offsets */
	{ "Tue, 03 Mar 2023 10:00:00 +03:00",		"2023-03-03T07:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 -05",		"2023-03-03T15:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 UT+0",		"2023-03-03T10:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 GMT+0200",		"2023-03-03T08:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 GMT-5",		"2023-03-03T15:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 +0000 (GMT)",	"2023-03-03T10:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 +0100 CET",	"2023-03-03T09:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 EST -0500",	"2023-03-03T15:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 (UTC)",		"2023-03-03T10:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00 GMT (Coordinated (Universal) Time)",
							"2023-03-03T10:00:00Z" },
	/* sloppy forms */
	{ "Tue 03 Mar 2023 10:00:00 GMT",		"2023-03-03T10:00:00Z" },
	{ "  Tue,  3  Mar  2023  10:00:00  GMT  ",	"2023-03-03T10:00:00Z" },
	{ "Tue, 3 Mar 2023 9:05:00 GMT",		"2023-03-03T09:05:00Z" },
	{ "Tuesday, 3 March 2023 10:00:00 GMT",		"2023-03-03T10:00:00Z" },
	{ "Tuesday, 3 March 2023",			"2023-03-03T00:00:00Z" },
	{ "Mar 3, 2023 10:00:00 GMT",			"2023-03-03T10:00:00Z" },
	{ "March 3rd, 2023 at 10:00 PM EST",		"2023-03-04T03:00:00Z" },
	{ "Mar. 3, 2023 12:15 a.m.",			"2023-03-03T00:15:00Z" },
	{ "Mar 3, 2023 12:15 PM",			"2023-03-03T12:15:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00",			"2023-03-03T10:00:00Z" },
	{ "Tue, 03 Mar 2023 10:00:00.250 GMT",		"2023-03-03T10:00:00Z" },
	{ "Tue,03 Mar 2023 10:00:00 GMT",		"2023-03-03T10:00:00Z" },
	{ "Thurs, 02 Mar 2023 10:00:00 GMT",		"2023-03-02T10:00:00Z" },
	{ "Sept 3 2023 10:00:00 GMT",			"2023-09-03T10:00:00Z" },
	{ "2023 Mar 3 10:00:00 GMT",			"2023-03-03T10:00:00Z" },
	{ "Sunday, 06-Nov-94 08:49:37 GMT",		"1994-11-06T08:49:37Z" },
	{ "Sun Nov  6 08:49:37 1994",			"1994-11-06T08:49:37Z" },
	{ "Tue Mar 3 10:00:00 2023 +0100",		"2023-03-03T09:00:00Z" },
	/* a wrong weekday does not make the date wrong */
	{ "Mon, 03 Mar 2023 10:00:00 GMT",		"2023-03-03T10:00:00Z" },
	/* RFC 3339 / ISO 8601 / W3C-DTF */
	{ "2023-03-01T10:00:00Z",			"2023-03-01T10:00:00Z" },
	{ "2023-03-01T10:00:00+01:00",			"2023-03-01T09:00:00Z" },
	{ "2023-03-01T10:00:00-08:00",			"2023-03-01T18:00:00Z" },
	{ "2023-03-01T10:00:00.123456Z",		"2023-03-01T10:00:00Z" },
	{ "2023-03-01T10:00:00,5+00:00",		"2023-03-01T10:00:00Z" },
	{ "2023-03-01T10:00Z",				"2023-03-01T10:00:00Z" },
	{ "2023-03-01T10:00:00+0100",			"2023-03-01T09:00:00Z" },
	{ "2023-03-01T10:00:00+01",			"2023-03-01T09:00:00Z" },
	{ "2023-03-01t10:00:00z",			"2023-03-01T10:00:00Z" },
	{ "2023-03-01",					"2023-03-01T00:00:00Z" },
	{ "2023-03",					"2023-03-01T00:00:00Z" },
	{ "2023-03-01 10:00:00",			"2023-03-01T10:00:00Z" },
	{ "2023-03-01 10:00:00 +0200",			"2023-03-01T08:00:00Z" },
	{ "2023-03-01 10:00:00 UTC",			"2023-03-01T10:00:00Z" },
	{ "2023-03-01 9:30",				"2023-03-01T09:30:00Z" },
	{ "20261128T093000Z",				"2026-11-28T09:30:00Z" },
	{ "20261128T0930Z",				"2026-11-28T09:30:00Z" },
	{ "20261128T093000+0100",			"2026-11-28T08:30:00Z" },
	{ "20261128",					"2026-11-28T00:00:00Z" },
	{ "2023/03/01 10:00:00 +0100",			"2023-03-01T09:00:00Z" },
	{ "2023/03/01",					"2023-03-01T00:00:00Z" },
	{ "\n\t2023-03-01T10:00:00Z\n",			"2023-03-01T10:00:00Z" },
	{ "2023-03-01T10:00:00Z (UTC)",			"2023-03-01T10:00:00Z" },
	/* edges */
	{ "2023-12-31T24:00:00Z",			"2024-01-01T00:00:00Z" },
	{ "2016-12-31T23:59:60Z",			"2016-12-31T23:59:59Z" },
	{ "2000-02-29T00:00:00Z",			"2000-02-29T00:00:00Z" },
	{ "1970-01-01T00:00:00Z",			"1970-01-01T00:00:00Z" },
	{ "1969-12-31T23:59:59Z",			"1969-12-31T23:59:59Z" },
	{ "1000-01-01T00:00:00Z",			"1000-01-01T00:00:00Z" },
	{ "9999-12-31T23:59:59Z",			"9999-12-31T23:59:59Z" },

	/* rejections: unreadable or impossible is DATE_NONE */
	{ "",						NULL },
	{ "   ",					NULL },
	{ "yesterday",					NULL },
	{ "not a date",					NULL },
	{ "2023-02-29T10:00:00Z",			NULL },
	{ "1900-02-29",					NULL },
	{ "2023-04-31",					NULL },
	{ "2023-13-01",					NULL },
	{ "2023-00-10",					NULL },
	{ "2023-01-00",					NULL },
	{ "2023-01-32",					NULL },
	{ "2023-03-01T25:00:00Z",			NULL },
	{ "2023-03-01T24:00:01Z",			NULL },
	{ "2023-03-01T24:30:00Z",			NULL },
	{ "2023-03-01T10:60:00Z",			NULL },
	{ "2023-03-01T10:00:61Z",			NULL },
	{ "2023-03-01T10:00:00+25:00",			NULL },
	{ "2023-03-01T10:00:00+01:60",			NULL },
	{ "2023-03-01T10:00:00 EST",			NULL },
	{ "2023-03-01T10:00:00Zjunk",			NULL },
	{ "2023-03-01T",				NULL },
	{ "2023-03-01T10",				NULL },
	{ "2023-3-1",					NULL },
	{ "2023/03-01",					NULL },
	{ "2023-03/01",					NULL },
	{ "2023-060",					NULL },
	{ "2023-W09-2",					NULL },
	{ "-2023-03-01",				NULL },
	{ "0999-12-31T00:00:00Z",			NULL },
	{ "99999-01-01T00:00:00Z",			NULL },
	{ "Tue, 31 Apr 2023 10:00:00 GMT",		NULL },
	{ "Tue, 03 Foo 2023 10:00:00 GMT",		NULL },
	{ "Tue, 03 Mar 2023 10:00:00 IST",		NULL },
	{ "Tue, 03 Mar 2023 10:00:00 AST",		NULL },
	{ "Tue, 03 Mar 2023 10:00:00 XYZ",		NULL },
	{ "Tue, 03 Mar 2023 10:00:00 +9900",		NULL },
	{ "Tue, 03 Mar 2023 10:00:00 +030",		NULL },
	{ "Tue, 03 Mar 2023 10:00:00 EST +0100",	NULL },
	{ "Tue, 03 Mar 2023 10:00:00 GMT PST",		NULL },
	{ "Tue, 03 Mar 2023 24:00:01 GMT",		NULL },
	{ "Tue, 03 Mar 2023 10:61:00 GMT",		NULL },
	{ "Tue, 03 Mar 2023 13:00 PM",			NULL },
	{ "Tue, 03 Mar 10:00:00 GMT",			NULL },
	{ "Tue, Mar 2023 10:00:00 GMT",			NULL },
	{ "Tue, 03 Mar Apr 2023 10:00:00 GMT",		NULL },
	{ "Tue, 03 Mar 2023 10:00:00 11:00:00 GMT",	NULL },
	{ "Tue, 03 Mar 2023 2024 10:00:00 GMT",		NULL },
	{ "Tue, 03 Mar 12345 10:00:00 GMT",		NULL },
	{ "03/03/2023 10:00",				NULL },
	{ "3. März 2023",				NULL },
	{ "Tue, 03 Mar 2023 10:00:00 GMT; junk",	NULL },
	{ "Tue, 03 Mar 2023 10:00:00 GMT (unclosed",	"2023-03-03T10:00:00Z" },
	{ "1677628800",					NULL },
};

/* The input as a test name: control characters would break TAP lines. */
static const char *
shown(const char *s)
{
	static char	name[128];
	size_t		i;

	for (i = 0; s[i] != '\0' && i < sizeof(name) - 1; i++)
		name[i] = (unsigned char)s[i] < 0x20 ? '.' : s[i];
	name[i] = '\0';
	return name;
}

int
main(void)
{
	char	out[32];
	int64_t	t;
	size_t	i;

	for (i = 0; i < nitems(cases); i++) {
		t = date_parse(cases[i].in);
		if (cases[i].want == NULL) {
			ok(t == DATE_NONE, "rejects \"%s\"", shown(cases[i].in));
			continue;
		}
		if (t == DATE_NONE) {
			ok(0, "reads \"%s\"", shown(cases[i].in));
			continue;
		}
		date_format(t, out);
		is_str(out, cases[i].want, "reads \"%s\"", shown(cases[i].in));
	}

	ok(date_parse(NULL) == DATE_NONE, "NULL is DATE_NONE");
	is_int(date_parse("1970-01-01T00:00:00Z"), 0, "the epoch is 0");
	is_int(date_parse("2026-11-28T09:30:00Z"), 1795858200, "a known instant");
	is_int(date_parse("1000-01-01T00:00:00Z"), -30610224000LL,
	    "the year 1000 without overflow");

	date_format(1795858200, out);
	is_str(out, "2026-11-28T09:30:00Z", "date_format");
	date_format_http(1795858200, out);
	is_str(out, "Sat, 28 Nov 2026 09:30:00 GMT", "date_format_http");
	date_format(-1, out);
	is_str(out, "1969-12-31T23:59:59Z", "date_format before the epoch");
	date_format_http(-86400 * 3, out);
	is_str(out, "Mon, 29 Dec 1969 00:00:00 GMT", "weekday before the epoch");
	date_format(DATE_NONE, out);
	is_str(out, "1970-01-01T00:00:00Z", "date_format of DATE_NONE is the epoch");
	date_format_http(INT64_MAX, out);
	is_str(out, "Thu, 01 Jan 1970 00:00:00 GMT", "date_format_http out of range");

	/* Every second of a day near a leap day survives a round trip. */
	for (t = date_parse("2024-02-28T00:00:00Z");
	    t < date_parse("2024-03-02T00:00:00Z"); t += 997) {
		date_format(t, out);
		if (date_parse(out) != t)
			break;
	}
	ok(t >= date_parse("2024-03-02T00:00:00Z"), "format/parse round trip");
	/* And the HTTP form of every day of four centuries. */
	for (t = date_parse("1800-01-01T12:34:56Z");
	    t < date_parse("2200-01-01T00:00:00Z"); t += 86400) {
		date_format_http(t, out);
		if (date_parse(out) != t)
			break;
	}
	ok(t >= date_parse("2200-01-01T00:00:00Z"), "HTTP date round trip");
	return tap_done();
}
