/*
 * Reading the response headers that steer polling: Retry-After,
 * Cache-Control max-age and Expires. Pure functions over header values (no
 * libcurl, no clock of their own); fetch.c hands them the values.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "fetch.h"

/* Anything larger is a server bug; keep arithmetic far from overflow. */
#define HDR_MAX_SECONDS	(10LL * 366 * 24 * 3600)

/* Parse a run of decimal digits (nothing else but blanks around it). */
static int
hdr_seconds(const char *s, long long *out)
{
	const char	*p;
	long long	 v = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	for (p = s; isdigit((unsigned char)*p); p++) {
		if (v < HDR_MAX_SECONDS)
			v = v * 10 + (*p - '0');
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0')
		return -1;
	*out = v < HDR_MAX_SECONDS ? v : HDR_MAX_SECONDS;
	return 0;
}

/*
 * An HTTP date read on the server's clock, moved onto ours: the distance
 * from the server's Date header is what counts (RFC 9111 section 4.2.1).
 */
static int64_t
hdr_date(const char *value, const char *date, int64_t now)
{
	int64_t	t, d;

	if ((t = date_parse(value)) == DATE_NONE)
		return DATE_NONE;
	if (date != NULL && (d = date_parse(date)) != DATE_NONE) {
		if (t - d > HDR_MAX_SECONDS)
			return now + HDR_MAX_SECONDS;
		if (d - t > HDR_MAX_SECONDS)
			return now - HDR_MAX_SECONDS;
		return now + (t - d);
	}
	return t;
}

int64_t
fetch_parse_retry_after(const char *value, const char *date, int64_t now)
{
	long long	secs;
	int64_t		t;

	if (value == NULL)
		return 0;
	if (hdr_seconds(value, &secs) == 0)
		return now + secs;
	if ((t = hdr_date(value, date, now)) == DATE_NONE)
		return 0;
	return t > now ? t : now;
}

int64_t
fetch_parse_expires(const char *value, const char *date, int64_t now)
{
	int64_t	t;

	if (value == NULL || (t = hdr_date(value, date, now)) == DATE_NONE || t <= 0)
		return 0;
	return t;
}

long
fetch_parse_max_age(const char *cc)
{
	const char	*p = cc, *name;
	size_t		 n;
	long long	 v;
	char		 num[24];

	if (cc == NULL)
		return -1;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		name = p;
		while (*p != '\0' && *p != '=' && *p != ',' && *p != ' ' && *p != '\t')
			p++;
		n = (size_t)(p - name);
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"')
			p++;
		for (v = 0; v < (long long)sizeof num - 1 && isdigit((unsigned char)p[v]); v++)
			num[v] = p[v];
		num[v] = '\0';
		if (n == 7 && strncasecmp(name, "max-age", 7) == 0 &&
		    hdr_seconds(num, &v) == 0)
			return (long)v;
		/* Skip the value, quoted or not. */
		if (p > cc && p[-1] == '"') {
			while (*p != '\0' && *p != '"')
				p++;
			if (*p == '"')
				p++;
		}
		while (*p != '\0' && *p != ',')
			p++;
	}
	return -1;
}
