/*
 * Driver for tests/e2e/notify.t: sends notices through the notifier as the
 * agent does and prints one line per call: "ok ID" or "fail REASON".
 *
 *	notify-send KEY PRIORITY SUMMARY HEADLINE [LINK [COUNT]]
 * Several notices: repeat the six-argument group, "--" between groups.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify.h"

int
main(int argc, char **argv)
{
	struct notifier	*nt;
	struct notice	 nc;
	uint32_t	 id;
	char		*cause;
	int		 i = 1, rv = 0;

	nt = notifier_new("wirewatch");
	while (i + 3 < argc) {
		memset(&nc, 0, sizeof nc);
		nc.key = argv[i];
		nc.priority = (enum priority)atoi(argv[i + 1]);
		nc.summary = argv[i + 2];
		nc.headline = argv[i + 3];
		nc.source = "Test Wire";
		nc.matched = "Lukashenko, Beijing";
		nc.count = 1;
		i += 4;
		if (i < argc && strcmp(argv[i], "--") != 0)
			nc.link = argv[i++];
		if (i < argc && strcmp(argv[i], "--") != 0)
			nc.count = (unsigned)atoi(argv[i++]);
		if (i < argc && strcmp(argv[i], "--") == 0)
			i++;
		cause = NULL;
		if (notifier_show(nt, &nc, &id, &cause) == 0)
			printf("ok %u\n", id);
		else {
			printf("fail %s\n", cause);
			free(cause);
			rv = 1;
		}
		fflush(stdout);
	}
	notifier_free(nt);
	return rv;
}
