/*
 * Dates as feeds write them: RFC 822/1123 and the sloppy variants, RFC 3339 /
 * ISO 8601, dc:date. Pure functions, no I/O, no locale.
 */
#ifndef WW_DATE_H
#define WW_DATE_H

#include <stdint.h>

#define DATE_NONE	INT64_MIN	/* unknown or unreadable */

/* Parse a date in any supported form; DATE_NONE when it cannot be read. */
int64_t	date_parse(const char *s);
/* Write t as RFC 3339 in UTC ("2026-11-28T09:30:00Z") into out[32]. */
void	date_format(int64_t t, char out[32]);
/* RFC 7231 IMF-fixdate ("Sat, 28 Nov 2026 09:30:00 GMT") into out[32]. */
void	date_format_http(int64_t t, char out[32]);

#endif
