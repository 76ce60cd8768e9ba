/*
 * Dates as feeds write them: RFC 822/1123 and the sloppy variants, RFC 3339 /
 * ISO 8601, dc:date. Pure functions, no I/O, no locale.
 */
#ifndef WW_DATE_H
#define WW_DATE_H

#include <stdint.h>

#define DATE_NONE	INT64_MIN	/* unknown or unreadable */

/*
 * Parse a date in any supported form into Unix seconds; DATE_NONE when it
 * cannot be read or is impossible. Read: RFC 822/1123/2822/850 and asctime
 * with or without weekday, full or short names, two- and three-digit years
 * (RFC 2822), named zones (UT, GMT, UTC, US and common European/Asian
 * abbreviations, military letters with A = UTC+1), numeric offsets, AM/PM,
 * comments; ISO 8601 / RFC 3339 with fractions, without seconds, date only,
 * basic form, a space for the T. No zone means UTC. Unknown or ambiguous
 * zone names (IST), years outside 1000..9999, bare Unix timestamps and
 * day/month orders that need a locale (03/04/2023) are DATE_NONE.
 * A leap second (:60) reads as :59, 24:00:00 as the next midnight.
 */
int64_t	date_parse(const char *s);
/*
 * Write t as RFC 3339 in UTC ("2026-11-28T09:30:00Z") into out[32]. Times
 * outside the years 0..9999 (DATE_NONE among them) are written as the epoch.
 */
void	date_format(int64_t t, char out[32]);
/* RFC 7231 IMF-fixdate ("Sat, 28 Nov 2026 09:30:00 GMT") into out[32]. */
void	date_format_http(int64_t t, char out[32]);

#endif
