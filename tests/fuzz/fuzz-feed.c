/*
 * libFuzzer target for the feed parser: any bytes through feed_parse() and
 * feed_to_json(), as a document fetched from a URL (so links resolve), and
 * again with an HTTP charset when the input is small. The JSON output must
 * be NUL-free; everything else is left to the sanitizers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "feed.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
one(const uint8_t *data, size_t size, const char *ct)
{
	struct feed	*f;
	struct buf	 b;
	char		*cause = NULL;

	f = feed_parse((const char *)data, size, "https://fuzz.example/news/feed.xml",
	    ct, &cause);
	if (f == NULL) {
		if (cause == NULL || strchr(cause, '\n') != NULL)
			abort();
		free(cause);
		return;
	}
	buf_init(&b, 0);
	feed_to_json(f, &b);
	if (strlen(b.data) != b.len)
		abort();
	buf_release(&b);
	feed_free(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, NULL);
	if (size < 2048)
		one(data, size, "application/rss+xml; charset=shift_jis");
	return 0;
}
