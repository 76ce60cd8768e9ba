/*
 * libFuzzer target: date_parse on arbitrary bytes. Besides crashes it checks
 * one property: every date that is read formats to RFC 3339 and both output
 * forms read back as the same instant.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, out[32];
	int64_t	 t;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	t = date_parse(s);
	if (t != DATE_NONE) {
		date_format(t, out);
		if (date_parse(out) != t)
			abort();
		date_format_http(t, out);
		if (date_parse(out) != t)
			abort();
	}
	free(s);
	return 0;
}
