/*
 * In-process feed parsing throughput for tests/bench/parse.sh: reads every
 * file named on the command line, then times feed_parse() + feed_to_json()
 * over all of them (best of RUNS) and prints "SECONDS ITEMS BYTES".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "buf.h"
#include "feed.h"
#include "util.h"

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	char		**data, *cause = NULL;
	size_t		 *len, items = 0, bytes = 0;
	struct feed	 *f;
	struct buf	  out;
	double		  t0, t, best = -1;
	int		  i, r, runs;

	runs = getenv("RUNS") != NULL ? atoi(getenv("RUNS")) : 3;
	data = xcalloc((size_t)argc, sizeof *data);
	len = xcalloc((size_t)argc, sizeof *len);
	for (i = 1; i < argc; i++) {
		if ((data[i] = util_read_file(argv[i], FEED_MAX_BYTES, &len[i], &cause)) == NULL) {
			fprintf(stderr, "%s\n", cause);
			return 1;
		}
		bytes += len[i];
	}
	buf_init(&out, 0);
	for (r = 0; r < (runs > 0 ? runs : 1); r++) {
		items = 0;
		t0 = now();
		for (i = 1; i < argc; i++) {
			if ((f = feed_parse(data[i], len[i], NULL, NULL, &cause)) == NULL) {
				fprintf(stderr, "%s: %s\n", argv[i], cause);
				return 1;
			}
			buf_reset(&out);
			feed_to_json(f, &out);
			items += f->nitems;
			feed_free(f);
		}
		t = now() - t0;
		if (best < 0 || t < best)
			best = t;
	}
	printf("%.4f %zu %zu\n", best, items, bytes);
	buf_release(&out);
	for (i = 1; i < argc; i++)
		free(data[i]);
	free(data);
	free(len);
	return 0;
}
