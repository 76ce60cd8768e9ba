/*
 * wirewatch: global options, then one command from the table.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "log.h"
#include "util.h"

static int	cmd_help(struct cmd_ctx *, int, char **);
static int	cmd_version(struct cmd_ctx *, int, char **);

static const struct cmd_entry cmd_table[] = {
	{ "digest", "[--since D] [--until D] [--format text|markdown|html|json|atom] [-o FILE] [--no-fetch] [--watch NAME]",
	    "poll due feeds, then write what matched in a window", cmd_digest },
	{ "feeds", "add|remove|list|import|export ...", "edit the feed list, show each feed's health", cmd_feeds },
	{ "help", "[COMMAND]", "show commands or one command's usage", cmd_help },
	{ "init", "", "make a configuration to edit (config, feeds, rules)", cmd_init },
	{ "parse", "SOURCE", "read a feed (file, - or URL) and print it as JSON", cmd_parse },
	{ "rules", "check|test|edit ...", "check rule files, try them on articles", cmd_rules },
	{ "run", "[--once]", "the agent: poll, match, notify (--once: one round)", cmd_run },
	{ "status", "[--json]", "agent, feeds, last poll, matches today, pending notifications", cmd_status },
	{ "version", "", "print the version", cmd_version },
};

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nitems(cmd_table); i++)
		if (strcmp(cmd_table[i].name, name) == 0)
			return &cmd_table[i];
	return NULL;
}

int
cmd_usage(const struct cmd_entry *e)
{
	fprintf(stderr, "usage: wirewatch [--config DIR] [--state DIR] %s %s\n",
	    e->name, e->usage);
	return EXIT_USAGE;
}

int
cmd_help_of(const struct cmd_entry *e)
{
	printf("usage: wirewatch [--config DIR] [--state DIR] %s %s\n%s\n",
	    e->name, e->usage, e->summary);
	return EXIT_OK;
}

static void
usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: wirewatch [--config DIR] [--state DIR] [-v] COMMAND [ARGS]\n\n"
	    "commands:\n");
	for (i = 0; i < nitems(cmd_table); i++)
		fprintf(f, "  %-10s %s\n", cmd_table[i].name, cmd_table[i].summary);
	fprintf(f, "\n'wirewatch help COMMAND' or 'wirewatch COMMAND --help' for more.\n");
}

static int
cmd_help(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*e;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		argv[1] = "help";
	if (argc > 1) {
		if ((e = cmd_find(argv[1])) == NULL) {
			fprintf(stderr, "wirewatch: unknown command '%s'\n", argv[1]);
			return EXIT_USAGE;
		}
		printf("usage: wirewatch %s %s\n%s\n", e->name, e->usage, e->summary);
		return EXIT_OK;
	}
	usage(stdout);
	return EXIT_OK;
}

static int
cmd_version(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: wirewatch version\n%s\n", cmd_find("version")->summary);
		return EXIT_OK;
	}
	printf("wirewatch %s\n", WW_VERSION);
	return EXIT_OK;
}

static char *
xdg_dir(const char *var, const char *fallback)
{
	const char	*v, *home;

	if ((v = getenv(var)) != NULL && v[0] == '/')
		return xasprintf("%s/wirewatch", v);
	if ((home = getenv("HOME")) == NULL || *home == '\0')
		home = ".";
	return xasprintf("%s/%s/wirewatch", home, fallback);
}

static int
has_rules(const char *dir)
{
	struct stat	st;

	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

char *
cmd_rules_dir(const struct cmd_ctx *ctx)
{
	char	*d;

	d = xasprintf("%s/rules", ctx->config_dir);
	if (has_rules(d))
		return d;
	free(d);
	return xstrdup(getenv("WIREWATCH_DATADIR") != NULL ?
	    getenv("WIREWATCH_DATADIR") : WW_DATADIR "/rules");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "state", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_ctx		 ctx = { 0 };
	const struct cmd_entry	*e;
	char			*config = NULL, *state = NULL;
	int			 ch, level = LOG_NOTICE, rv;

	/* "+": stop at the command name; its options are its own. */
	while ((ch = getopt_long(argc, argv, "+c:s:vqhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			free(config);
			config = xstrdup(optarg);
			ctx.config_given = 1;
			break;
		case 's':
			free(state);
			state = xstrdup(optarg);
			break;
		case 'v':
			level = level < LOG_INFO ? LOG_INFO : LOG_DEBUG;
			break;
		case 'q':
			level = LOG_WARNING;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			return cmd_version(&ctx, 0, NULL);
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	log_init("wirewatch", level);
	if (argc == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if ((e = cmd_find(argv[0])) == NULL) {
		fprintf(stderr, "wirewatch: unknown command '%s' (see 'wirewatch help')\n", argv[0]);
		return EXIT_USAGE;
	}
	if (config == NULL)
		config = xdg_dir("XDG_CONFIG_HOME", ".config");
	if (state == NULL)
		state = xdg_dir("XDG_STATE_HOME", ".local/state");
	ctx.config_dir = config;
	ctx.state_dir = state;
	optind = 0;	/* reset getopt for the command */
	rv = e->exec(&ctx, argc, argv);
	free(config);
	free(state);
	return rv;
}
