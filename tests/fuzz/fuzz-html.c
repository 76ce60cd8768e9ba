/*
 * libFuzzer target: html_to_text and html_title_text on arbitrary bytes
 * (NUL bytes and broken UTF-8 included), and html_resolve_url with the
 * input split in two at the first newline. Besides crashes it checks that
 * the text is clean: valid UTF-8, no NUL, no control character but the
 * paragraph break, no space at the edges, no empty paragraph.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const char *s, int newlines)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s);
	int			 n;

	if (len > 0 && (s[0] == ' ' || s[0] == '\n' || s[len - 1] == ' ' ||
	    s[len - 1] == '\n'))
		abort();
	if (strstr(s, "  ") != NULL || strstr(s, "\n\n") != NULL ||
	    strstr(s, " \n") != NULL || strstr(s, "\n ") != NULL)
		abort();
	while (*p != '\0') {
		if (*p < 0x80) {
			if (*p < 0x20 && !(newlines && *p == '\n'))
				abort();
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			n = 1;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 2;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 3;
		else
			abort();
		for (p++; n > 0; n--, p++)
			if ((*p & 0xc0) != 0x80)
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, *t, *nl;

	t = html_to_text((const char *)data, size);
	check(t, 1);
	free(t);
	t = html_title_text((const char *)data, size);
	check(t, 0);
	free(t);

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		free(html_resolve_url(s, nl + 1));
	}
	free(s);
	return 0;
}
