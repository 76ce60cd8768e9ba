/*
 * wirewatch parse SOURCE: read one feed and print it as the JSON object of
 * DESIGN.md. SOURCE is a file, "-" (standard input) or an http(s) URL,
 * fetched with fetch_url(); the URL then resolves relative links and the
 * Content-Type charset counts for the encoding. Input is capped at
 * FEED_MAX_BYTES. Exit 0 when a feed was read (also when its XML had to be
 * repaired), 1 with one line on stderr otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cmd.h"
#include "feed.h"
#include "fetch.h"
#include "util.h"

static int
is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

int
cmd_parse(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct feed	*f = NULL;
	struct buf	 out;
	const char	*src;
	char		*data, *ctype = NULL, *cause = NULL;
	size_t		 len;
	int		 rv = EXIT_FAIL;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return cmd_help_of(cmd_find("parse"));
	if (argc != 2)
		return cmd_usage(cmd_find("parse"));
	src = argv[1];
	if (is_url(src))
		data = fetch_url(src, FEED_MAX_BYTES, &len, &ctype, &cause);
	else
		data = util_read_file(src, FEED_MAX_BYTES, &len, &cause);
	if (data == NULL) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		goto out;
	}
	f = feed_parse(data, len, is_url(src) ? src : NULL, ctype, &cause);
	free(data);
	if (f == NULL) {
		fprintf(stderr, "wirewatch: %s: %s\n", src, cause);
		goto out;
	}
	buf_init(&out, 0);
	feed_to_json(f, &out);
	buf_addc(&out, '\n');
	fwrite(out.data, 1, out.len, stdout);
	buf_release(&out);
	rv = fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_FAIL;
out:
	feed_free(f);
	free(ctype);
	free(cause);
	return rv;
}
