/*
 * JSON output: string escaping that always yields valid JSON from any bytes
 * (invalid UTF-8 becomes U+FFFD, control characters are escaped).
 */
#ifndef WW_JSON_H
#define WW_JSON_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* Append s as a quoted JSON string; NULL appends null. */
void	json_str(struct buf *, const char *s);
void	json_strn(struct buf *, const char *s, size_t len);
/* Append an RFC 3339 UTC date string, or null for DATE_NONE. */
void	json_date(struct buf *, int64_t t);

#endif
