/*
 * wirewatch run [--once]: the agent. Without --once it polls forever from
 * one event loop (what the systemd unit starts); with --once it polls every
 * feed once, shows what is due for notification and exits, 1 when any feed
 * failed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "cmd.h"
#include "log.h"

int
cmd_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, '1' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct agent	*a;
	char		*cause = NULL;
	int		 ch, once = 0, failed, rv;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case '1':
			once = 1;
			break;
		case 'h':
			return cmd_help_of(cmd_find("run"));
		default:
			return cmd_usage(cmd_find("run"));
		}
	}
	if (optind != argc)
		return cmd_usage(cmd_find("run"));
	agent_signals();
	if ((a = agent_new(ctx, 0, &cause)) == NULL) {
		log_err("%s", cause);
		free(cause);
		return AGENT_EXIT_CONFIG;
	}
	if (!once) {
		rv = agent_run(a);
		agent_free(a);
		return rv;
	}
	if (agent_lock(a, &cause) == -1) {
		log_err("%s", cause);
		free(cause);
		agent_free(a);
		return EXIT_FAIL;
	}
	failed = agent_poll(a, AGENT_POLL_ALL);
	agent_notify(a);
	agent_free(a);
	if (failed > 0) {
		log_warn("%d feed(s) failed (see 'wirewatch feeds list')", failed);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
