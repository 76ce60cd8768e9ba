/*
 * wirewatch parse SOURCE: read one feed and print it as the JSON object of
 * DESIGN.md. SOURCE is a file or "-" (an http(s) URL once fetch.c exists).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "feed.h"
#include "util.h"

int
cmd_parse(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct feed	*f;
	struct buf	 out;
	char		*data, *cause = NULL;
	size_t		 len;

	if (argc != 2 || strcmp(argv[1], "--help") == 0)
		return cmd_usage(cmd_find("parse"));
	if ((data = util_read_file(argv[1], FEED_MAX_BYTES, &len, &cause)) == NULL) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		free(cause);
		return EXIT_FAIL;
	}
	f = feed_parse(data, len, NULL, NULL, &cause);
	free(data);
	if (f == NULL) {
		fprintf(stderr, "wirewatch: %s: %s\n", argv[1], cause);
		free(cause);
		return EXIT_FAIL;
	}
	buf_init(&out, 0);
	feed_to_json(f, &out);
	buf_addc(&out, '\n');
	fwrite(out.data, 1, out.len, stdout);
	buf_release(&out);
	feed_free(f);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}
