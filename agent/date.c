/*
 * Dates as feeds write them, parsed to Unix seconds (UTC), and the two
 * output forms wirewatch writes. Two readers share one validator:
 *
 *  - ISO 8601 / RFC 3339 / W3C-DTF (dc:date): "2026-11-28T09:30:00.25+01:00",
 *    the basic form "20261128T093000Z", date only, minutes only, a space
 *    instead of the "T", lower-case "t" and "z", no zone (read as UTC),
 *    "2026/11/28 09:30".
 *  - RFC 822/1123/2822/850 and asctime, read token by token so that the
 *    sloppy forms work: no weekday or a full one, no comma, extra spaces,
 *    full month names, "Mar 3, 2023 10:00 PM", two- and three-digit years
 *    (RFC 2822 4.3), named and numeric zones, "UT+0", comments such as
 *    "+0000 (GMT)".
 *
 * Military zone letters: RFC 822 gave them with the wrong sign (RFC 1123
 * 5.2.14). We read them the way the military convention defines them and
 * anyone writing one today means it: A..M (no J) are +1..+12 hours east,
 * N..Y are -1..-12 hours, Z is UTC.
 *
 * Anything unreadable, impossible (31 April, 25:00) or outside the years
 * 1000..9999 is DATE_NONE: an unknown date is better than a wrong one, so
 * unknown words (including ambiguous zone names) reject the whole date
 * (AST is Atlantic or Arabia, IST India, Ireland or Israel). Integer
 * arithmetic only: no libc time functions, locale or TZ. The module does
 * no I/O and keeps no state.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "util.h"

#define YEAR_MIN	1000
#define YEAR_MAX	9999
#define OFFSET_MAX	(18 * 3600)	/* no real zone is further from UTC */

struct dt {
	int	year, mon, day;
	int	hour, min, sec;
	int	off;		/* seconds east of UTC */
};

enum kw_kind { KW_MONTH, KW_WDAY, KW_ZONE, KW_AMPM, KW_NOISE };

struct kw {
	const char	*name;
	enum kw_kind	 kind;
	int		 val;	/* month 1..12, zone minutes east, 0 am / 12 pm */
};

/* Sorted by name (strcmp) for bsearch; names are lower case. */
static const struct kw keywords[] = {
	{ "a",		KW_ZONE,	60 },
	{ "acdt",	KW_ZONE,	630 },
	{ "acst",	KW_ZONE,	570 },
	{ "aedt",	KW_ZONE,	660 },
	{ "aest",	KW_ZONE,	600 },
	{ "akdt",	KW_ZONE,	-480 },
	{ "akst",	KW_ZONE,	-540 },
	{ "am",		KW_AMPM,	0 },
	{ "apr",	KW_MONTH,	4 },
	{ "april",	KW_MONTH,	4 },
	{ "at",		KW_NOISE,	0 },
	{ "aug",	KW_MONTH,	8 },
	{ "august",	KW_MONTH,	8 },
	{ "awst",	KW_ZONE,	480 },
	{ "b",		KW_ZONE,	120 },
	{ "bst",	KW_ZONE,	60 },
	{ "c",		KW_ZONE,	180 },
	{ "cdt",	KW_ZONE,	-300 },
	{ "cest",	KW_ZONE,	120 },
	{ "cet",	KW_ZONE,	60 },
	{ "cst",	KW_ZONE,	-360 },
	{ "d",		KW_ZONE,	240 },
	{ "dec",	KW_MONTH,	12 },
	{ "december",	KW_MONTH,	12 },
	{ "e",		KW_ZONE,	300 },
	{ "edt",	KW_ZONE,	-240 },
	{ "eest",	KW_ZONE,	180 },
	{ "eet",	KW_ZONE,	120 },
	{ "est",	KW_ZONE,	-300 },
	{ "f",		KW_ZONE,	360 },
	{ "feb",	KW_MONTH,	2 },
	{ "february",	KW_MONTH,	2 },
	{ "fri",	KW_WDAY,	5 },
	{ "friday",	KW_WDAY,	5 },
	{ "g",		KW_ZONE,	420 },
	{ "gmt",	KW_ZONE,	0 },
	{ "h",		KW_ZONE,	480 },
	{ "hkt",	KW_ZONE,	480 },
	{ "hst",	KW_ZONE,	-600 },
	{ "i",		KW_ZONE,	540 },
	{ "jan",	KW_MONTH,	1 },
	{ "january",	KW_MONTH,	1 },
	{ "jst",	KW_ZONE,	540 },
	{ "jul",	KW_MONTH,	7 },
	{ "july",	KW_MONTH,	7 },
	{ "jun",	KW_MONTH,	6 },
	{ "june",	KW_MONTH,	6 },
	{ "k",		KW_ZONE,	600 },
	{ "kst",	KW_ZONE,	540 },
	{ "l",		KW_ZONE,	660 },
	{ "m",		KW_ZONE,	720 },
	{ "mar",	KW_MONTH,	3 },
	{ "march",	KW_MONTH,	3 },
	{ "may",	KW_MONTH,	5 },
	{ "mdt",	KW_ZONE,	-360 },
	{ "mon",	KW_WDAY,	1 },
	{ "monday",	KW_WDAY,	1 },
	{ "msk",	KW_ZONE,	180 },
	{ "mst",	KW_ZONE,	-420 },
	{ "n",		KW_ZONE,	-60 },
	{ "ndt",	KW_ZONE,	-150 },
	{ "nov",	KW_MONTH,	11 },
	{ "november",	KW_MONTH,	11 },
	{ "nst",	KW_ZONE,	-210 },
	{ "nzdt",	KW_ZONE,	780 },
	{ "nzst",	KW_ZONE,	720 },
	{ "o",		KW_ZONE,	-120 },
	{ "oct",	KW_MONTH,	10 },
	{ "october",	KW_MONTH,	10 },
	{ "p",		KW_ZONE,	-180 },
	{ "pdt",	KW_ZONE,	-420 },
	{ "pm",		KW_AMPM,	12 },
	{ "pst",	KW_ZONE,	-480 },
	{ "q",		KW_ZONE,	-240 },
	{ "r",		KW_ZONE,	-300 },
	{ "s",		KW_ZONE,	-360 },
	{ "sat",	KW_WDAY,	6 },
	{ "saturday",	KW_WDAY,	6 },
	{ "sep",	KW_MONTH,	9 },
	{ "sept",	KW_MONTH,	9 },
	{ "september",	KW_MONTH,	9 },
	{ "sgt",	KW_ZONE,	480 },
	{ "sun",	KW_WDAY,	0 },
	{ "sunday",	KW_WDAY,	0 },
	{ "t",		KW_ZONE,	-420 },
	{ "thu",	KW_WDAY,	4 },
	{ "thur",	KW_WDAY,	4 },
	{ "thurs",	KW_WDAY,	4 },
	{ "thursday",	KW_WDAY,	4 },
	{ "tue",	KW_WDAY,	2 },
	{ "tues",	KW_WDAY,	2 },
	{ "tuesday",	KW_WDAY,	2 },
	{ "u",		KW_ZONE,	-480 },
	{ "ut",		KW_ZONE,	0 },
	{ "utc",	KW_ZONE,	0 },
	{ "v",		KW_ZONE,	-540 },
	{ "w",		KW_ZONE,	-600 },
	{ "wed",	KW_WDAY,	3 },
	{ "wednesday",	KW_WDAY,	3 },
	{ "weds",	KW_WDAY,	3 },
	{ "west",	KW_ZONE,	60 },
	{ "wet",	KW_ZONE,	0 },
	{ "x",		KW_ZONE,	-660 },
	{ "y",		KW_ZONE,	-720 },
	{ "z",		KW_ZONE,	0 },
};

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static int
kw_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct kw *)elem)->name);
}

/* Look up a word of n letters; NULL when it is not a keyword. */
static const struct kw *
kw_find(const char *w, size_t n)
{
	char	lower[12];
	size_t	i;

	if (n == 0 || n >= sizeof(lower))
		return NULL;
	for (i = 0; i < n; i++)
		lower[i] = (char)(w[i] | 0x20);
	lower[n] = '\0';
	return bsearch(lower, keywords, nitems(keywords), sizeof(keywords[0]),
	    kw_cmp);
}

/*
 * Read exactly n digits (n <= 9) at *pp; -1 if they are not all there.
 */
static int
digits(const char **pp, int n)
{
	const char	*p = *pp;
	int		 v = 0, i;

	for (i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	return v;
}

/* Count the digits at p, at most max + 1. */
static int
ndigits(const char *p, int max)
{
	int	n = 0;

	while (n <= max && is_digit(p[n]))
		n++;
	return n;
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int	len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's method). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * Check every field and turn it into seconds. A leap second is clamped to
 * :59; 24:00:00 is the first instant of the next day.
 */
static int64_t
dt_value(const struct dt *t)
{
	int	sec = t->sec;

	if (t->year < YEAR_MIN || t->year > YEAR_MAX)
		return DATE_NONE;
	if (t->mon < 1 || t->mon > 12)
		return DATE_NONE;
	if (t->day < 1 || t->day > month_days(t->year, t->mon))
		return DATE_NONE;
	if (t->hour == 24) {
		if (t->min != 0 || t->sec != 0)
			return DATE_NONE;
	} else if (t->hour < 0 || t->hour > 23)
		return DATE_NONE;
	if (t->min < 0 || t->min > 59 || sec < 0 || sec > 60)
		return DATE_NONE;
	if (sec == 60)
		sec = 59;
	if (t->off < -OFFSET_MAX || t->off > OFFSET_MAX)
		return DATE_NONE;
	return days_from_civil(t->year, t->mon, t->day) * 86400 +
	    (int64_t)t->hour * 3600 + t->min * 60 + sec - t->off;
}

/* Skip a parenthesised comment, nested ones included; p is at '('. */
static const char *
skip_comment(const char *p)
{
	int	depth = 0;

	for (; *p != '\0'; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
	}
	return p;
}

/* Only white space and comments may follow a complete date. */
static int
rest_is_blank(const char *p)
{
	for (;;) {
		while (is_space(*p))
			p++;
		if (*p == '(')
			p = skip_comment(p);
		else
			return *p == '\0';
	}
}

/*
 * A numeric zone at *pp, which points at '+' or '-': "+03", "+3", "+0300",
 * "+03:00". Stores seconds east in *off.
 */
static int
parse_offset(const char **pp, int *off)
{
	const char	*p = *pp;
	int		 sign = *p == '-' ? -1 : 1, h, m = 0, n;

	p++;
	n = ndigits(p, 4);
	if (n == 1 || n == 2) {
		h = digits(&p, n);
		if (*p == ':') {
			p++;
			if (ndigits(p, 2) != 2)
				return -1;
			m = digits(&p, 2);
		}
	} else if (n == 4) {
		h = digits(&p, 2);
		m = digits(&p, 2);
	} else
		return -1;
	if (h > 18 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	*pp = p;
	return 0;
}

/* Skip a fraction of a second (".5", ",25"); its value is dropped. */
static const char *
skip_fraction(const char *p)
{
	if ((*p == '.' || *p == ',') && is_digit(p[1])) {
		p++;
		while (is_digit(*p))
			p++;
	}
	return p;
}

/*
 * ISO 8601 profile: YYYY-MM-DD or YYYYMMDD, or YYYY-MM (and YYYY/MM/DD,
 * which some sites write and no one reads another way); then optionally
 * [Tt ]hh:mm[:ss[.frac]] (or hhmm[ss] after a basic date) and a zone.
 */
static int64_t
parse_iso(const char *p)
{
	struct dt	 t = { 0 };
	int		 basic, z;
	char		 sep;
	const char	*q;

	t.year = digits(&p, 4);
	sep = *p == '-' || *p == '/' ? *p : '\0';
	basic = sep == '\0';
	if (!basic)
		p++;
	t.mon = digits(&p, 2);
	if (t.mon < 0)
		return DATE_NONE;
	if (!basic && *p != sep) {
		/* W3C-DTF year and month: the first of that month. */
		t.day = 1;
		return rest_is_blank(p) ? dt_value(&t) : DATE_NONE;
	}
	if (!basic)
		p++;
	t.day = digits(&p, 2);
	if (t.day < 0 || is_digit(*p))
		return DATE_NONE;

	q = p;
	if (*q == 'T' || *q == 't')
		q++;
	else
		while (*q == ' ')
			q++;
	if (q == p || !is_digit(*q))
		return rest_is_blank(p) ? dt_value(&t) : DATE_NONE;
	p = q;

	/* "2023-03-01 9:30" */
	if (!basic && ndigits(p, 2) == 1 && p[1] == ':')
		t.hour = digits(&p, 1);
	else if ((t.hour = digits(&p, 2)) < 0)
		return DATE_NONE;
	if (*p == ':')
		p++;
	else if (!basic)
		return DATE_NONE;
	if ((t.min = digits(&p, 2)) < 0)
		return DATE_NONE;
	if (*p == ':' || (basic && is_digit(*p))) {
		if (*p == ':')
			p++;
		if ((t.sec = digits(&p, 2)) < 0)
			return DATE_NONE;
		q = skip_fraction(p);
		/* 24:00:00.5 is not a time. */
		if (t.hour == 24 && q != p)
			return DATE_NONE;
		p = q;
	}

	while (*p == ' ')
		p++;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		if (parse_offset(&p, &t.off) == -1)
			return DATE_NONE;
	} else if (is_alpha(*p)) {
		/* "2023-03-01 10:00:00 GMT": only the names of UTC. */
		for (z = 0; is_alpha(p[z]); z++)
			;
		if (!((z == 3 && (strncasecmp(p, "UTC", 3) == 0 ||
		    strncasecmp(p, "GMT", 3) == 0)) ||
		    (z == 2 && strncasecmp(p, "UT", 2) == 0)))
			return DATE_NONE;
		p += z;
	}
	if (!rest_is_blank(p))
		return DATE_NONE;
	return dt_value(&t);
}

/*
 * One word of a free-form date. Returns -1 when the word makes the date
 * unreadable.
 */
struct free_state {
	struct dt	t;
	int		have_mon, have_day, have_year, have_time, have_wday;
	int		have_zone, numeric_zone, ampm;
};

static int
free_word(struct free_state *st, const char **pp)
{
	const char	*p = *pp, *w = p;
	const struct kw	*k;
	size_t		 n;
	int		 off;

	while (is_alpha(*p))
		p++;
	n = (size_t)(p - w);
	/* "p.m." is not the zone P. */
	if (n == 1 && (*w | 0x20) != 'm' && p[0] == '.' &&
	    (p[1] | 0x20) == 'm' && p[2] == '.') {
		if ((*w | 0x20) == 'a')
			k = kw_find("am", 2);
		else if ((*w | 0x20) == 'p')
			k = kw_find("pm", 2);
		else
			return -1;
		p += 3;
	} else if ((k = kw_find(w, n)) == NULL)
		return -1;
	switch (k->kind) {
	case KW_NOISE:
		break;
	case KW_MONTH:
		if (st->have_mon)
			return -1;
		st->have_mon = 1;
		st->t.mon = k->val;
		if (*p == '.')
			p++;
		break;
	case KW_WDAY:
		if (st->have_wday || st->have_time)
			return -1;
		st->have_wday = 1;
		if (*p == '.')
			p++;
		break;
	case KW_AMPM:
		if (!st->have_time || st->ampm >= 0)
			return -1;
		st->ampm = k->val;
		break;
	case KW_ZONE:
		if (st->numeric_zone)
			break;	/* "+0100 CET": the number decides */
		if (st->have_zone || !st->have_time)
			return -1;
		st->have_zone = 1;
		st->t.off = k->val * 60;
		/* "UT+0", "GMT-05:00": an offset from UTC itself. */
		if (k->val == 0 && (*p == '+' || *p == '-') &&
		    is_digit(p[1])) {
			if (parse_offset(&p, &off) == -1)
				return -1;
			st->t.off = off;
			st->numeric_zone = 1;
		}
		break;
	}
	*pp = p;
	return 0;
}

/* A number of a free-form date: day, year or time of day. */
static int
free_number(struct free_state *st, const char **pp)
{
	const char	*p = *pp;
	int		 n = ndigits(p, 4), v;

	if (n > 4)
		return -1;
	v = digits(&p, n);
	if (*p == ':') {
		if (st->have_time || n > 2)
			return -1;
		st->have_time = 1;
		st->t.hour = v;
		p++;
		if ((st->t.min = digits(&p, 2)) < 0)
			return -1;
		if (*p == ':') {
			p++;
			if ((st->t.sec = digits(&p, 2)) < 0)
				return -1;
			p = skip_fraction(p);
		}
		if (is_digit(*p))
			return -1;
	} else if (n <= 2 && !st->have_day) {
		st->have_day = 1;
		st->t.day = v;
		/* "March 3rd" */
		if (is_alpha(p[0]) && is_alpha(p[1]) &&
		    !is_alpha(p[2])) {
			char	suf[3] = { (char)(p[0] | 0x20), (char)(p[1] | 0x20), 0 };

			if (strcmp(suf, "st") == 0 || strcmp(suf, "nd") == 0 ||
			    strcmp(suf, "rd") == 0 || strcmp(suf, "th") == 0)
				p += 2;
		}
	} else if (!st->have_year) {
		st->have_year = 1;
		/* RFC 2822 4.3: 00-49 are 20xx, 50-99 19xx, 3 digits +1900. */
		if (n == 4)
			st->t.year = v;
		else if (n == 3)
			st->t.year = v + 1900;
		else
			st->t.year = v < 50 ? v + 2000 : v + 1900;
	} else
		return -1;
	*pp = p;
	return 0;
}

static int64_t
parse_free(const char *p)
{
	struct free_state	st;

	memset(&st, 0, sizeof(st));
	st.ampm = -1;
	while (*p != '\0') {
		if (is_space(*p) || *p == ',') {
			p++;
		} else if (*p == '(') {
			p = skip_comment(p);
		} else if (is_alpha(*p)) {
			if (free_word(&st, &p) == -1)
				return DATE_NONE;
		} else if (is_digit(*p)) {
			if (free_number(&st, &p) == -1)
				return DATE_NONE;
		} else if ((*p == '+' || *p == '-') && is_digit(p[1]) &&
		    st.have_time) {
			int	off;

			/* "EST -0500" agrees with itself; "EST +0100" does not. */
			if (st.numeric_zone || parse_offset(&p, &off) == -1)
				return DATE_NONE;
			if (st.have_zone && st.t.off != 0 && st.t.off != off)
				return DATE_NONE;
			st.t.off = off;
			st.numeric_zone = st.have_zone = 1;
		} else if (*p == '-' && !st.have_time) {
			p++;	/* RFC 850 "06-Nov-94" */
		} else
			return DATE_NONE;
	}
	if (!st.have_mon || !st.have_day || !st.have_year)
		return DATE_NONE;
	if (st.ampm >= 0) {
		if (st.t.hour < 1 || st.t.hour > 12)
			return DATE_NONE;
		st.t.hour = st.t.hour % 12 + st.ampm;
	}
	return dt_value(&st.t);
}

int64_t
date_parse(const char *s)
{
	int	n;

	if (s == NULL)
		return DATE_NONE;
	while (is_space(*s))
		s++;
	n = ndigits(s, 8);
	if ((n == 4 && (s[4] == '-' || s[4] == '/')) || n == 8)
		return parse_iso(s);
	return parse_free(s);
}

/* The inverse of days_from_civil. */
static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t	era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/*
 * Split t into fields; times outside the years 0..9999 (DATE_NONE among
 * them) cannot be written in these formats and read as the epoch.
 */
static void
date_split(int64_t t, struct dt *dt, int *wday)
{
	int64_t	days, secs;

	if (t < days_from_civil(0, 1, 1) * 86400 ||
	    t >= days_from_civil(10000, 1, 1) * 86400)
		t = 0;
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &dt->year, &dt->mon, &dt->day);
	dt->hour = (int)(secs / 3600);
	dt->min = (int)(secs / 60 % 60);
	dt->sec = (int)(secs % 60);
	*wday = (int)((days % 7 + 11) % 7);	/* 1970-01-01 was a Thursday */
}

/* Write v as exactly n decimal digits. */
static char *
put_num(char *p, int v, int n)
{
	int	i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

void
date_format(int64_t t, char out[32])
{
	struct dt	 dt;
	char		*p = out;
	int		 wday;

	date_split(t, &dt, &wday);
	p = put_num(p, dt.year, 4);
	*p++ = '-';
	p = put_num(p, dt.mon, 2);
	*p++ = '-';
	p = put_num(p, dt.day, 2);
	*p++ = 'T';
	p = put_num(p, dt.hour, 2);
	*p++ = ':';
	p = put_num(p, dt.min, 2);
	*p++ = ':';
	p = put_num(p, dt.sec, 2);
	*p++ = 'Z';
	*p = '\0';
}

void
date_format_http(int64_t t, char out[32])
{
	static const char	days[] = "SunMonTueWedThuFriSat";
	static const char	mons[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct dt		dt;
	char			*p = out;
	int			 wday;

	date_split(t, &dt, &wday);
	memcpy(p, days + 3 * wday, 3);
	p += 3;
	*p++ = ',';
	*p++ = ' ';
	p = put_num(p, dt.day, 2);
	*p++ = ' ';
	memcpy(p, mons + 3 * (dt.mon - 1), 3);
	p += 3;
	*p++ = ' ';
	p = put_num(p, dt.year, 4);
	*p++ = ' ';
	p = put_num(p, dt.hour, 2);
	*p++ = ':';
	p = put_num(p, dt.min, 2);
	*p++ = ':';
	p = put_num(p, dt.sec, 2);
	memcpy(p, " GMT", 5);
}
