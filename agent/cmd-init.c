/*
 * wirewatch init: a configuration directory to edit, made from the installed
 * defaults: a commented config, a feeds file with a handful of world-news
 * feeds that suit the default rule pack, and a copy of the rule pack. Files
 * that exist are left alone.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "util.h"

static const char init_config[] =
"# wirewatch configuration: \"key = value\", '#' starts a comment.\n"
"# Every key is optional; the values shown are the defaults, except where a\n"
"# line says \"example\" (those settings are off unless you set them).\n"
"# See wirewatch.conf(5). Reload a running agent: systemctl --user reload wirewatch\n"
"\n"
"# How often a feed is polled, unless the feeds file says otherwise.\n"
"#interval = 30m\n"
"# Bounds for what servers and feeds ask for (ttl, Cache-Control, Retry-After)\n"
"# and for the backoff after errors.\n"
"#min-interval = 5m\n"
"#max-interval = 24h\n"
"# Random spread of each interval, in percent.\n"
"#jitter = 10\n"
"\n"
"# Network limits.\n"
"#timeout = 30s\n"
"#connect-timeout = 10s\n"
"#max-body = 16M\n"
"#max-connections = 16\n"
"#max-per-host = 2\n"
"#max-items = 1000\n"
"# example (the default names wirewatch and its version):\n"
"#user-agent = \"wirewatch (my desk)\"\n"
"\n"
"# Unmatched articles lose their text after this; their identities are kept\n"
"# (so they never come back as new) for `forget`.\n"
"#retention = 90d\n"
"#forget = 365d\n"
"\n"
"# Desktop notifications.\n"
"#notify = yes\n"
"# Notify about the articles a feed already has when it is added.\n"
"#notify-backlog = no\n"
"#max-per-hour = 20\n"
"# Held during these hours (local time), then summed up in one notification\n"
"# per watch. Example (the default is none):\n"
"#quiet-hours = 22:00-07:00\n"
"\n"
"# A digest written by the running agent every day at this time (local).\n"
"# Example (the default is none; the digest timer of the systemd units is\n"
"# the other way to get one):\n"
"#digest-at = 07:30\n"
"#digest-format = html\n"
"#digest-output = ~/.local/share/wirewatch/digests/digest-%Y-%m-%d.html\n"
"#digest-since = 24h\n";

/*
 * World-news feeds that carry the stories of the default pack. Publishers
 * move their feeds now and then: `wirewatch feeds list` shows one that fails.
 */
static const char init_feeds[] =
"# wirewatch feeds: one feed a line, a URL and options:\n"
"#   URL [name=\"Name\"] [interval=30m] [tag=world]\n"
"# A local file may be listed too (a path or file:// URL).\n"
"# Add with `wirewatch feeds add URL`, import OPML with `wirewatch feeds import FILE`.\n"
"\n"
"https://feeds.bbci.co.uk/news/world/rss.xml          name=\"BBC World\" tag=world\n"
"https://www.theguardian.com/world/rss                name=\"The Guardian: World\" tag=world\n"
"https://www.aljazeera.com/xml/rss/all.xml            name=\"Al Jazeera\" tag=world\n"
"https://rss.dw.com/rdf/rss-en-world                  name=\"DW World\" tag=world\n"
"https://www.france24.com/en/rss                      name=\"France 24\" tag=world\n"
"https://feeds.npr.org/1004/rss.xml                   name=\"NPR World\" tag=world\n"
"https://www.rferl.org/api/zrqiteuuir                 name=\"RFE/RL\" tag=region\n"
"https://tass.com/rss/v2.xml                          name=\"TASS\" tag=region\n"
"https://www.globaltimes.cn/rss/outbrain.xml          name=\"Global Times\" tag=region\n";

static int
write_new(const char *path, const char *text, int *created)
{
	char		*cause = NULL;
	struct stat	 st;

	if (stat(path, &st) == 0) {
		printf("kept     %s (exists)\n", path);
		return 0;
	}
	if (util_write_atomic(path, text, strlen(text), &cause) == -1) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		free(cause);
		return -1;
	}
	printf("created  %s\n", path);
	(*created)++;
	return 0;
}

static int
mkdir_p(const char *path, mode_t mode)
{
	char	*p, *s;

	s = xstrdup(path);
	for (p = s + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(s, mode) == -1 && errno != EEXIST) {
			free(s);
			return -1;
		}
		*p = '/';
	}
	free(s);
	if (mkdir(path, mode) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

/* Copy the rule pack: *.rules files and the test fixtures, recursively. */
static int
copy_tree(const char *from, const char *to, int *created)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		*src, *dst, *data, *cause = NULL;
	size_t		 len;
	int		 rv = 0;

	if ((d = opendir(from)) == NULL) {
		fprintf(stderr, "wirewatch: %s: %s\n", from, strerror(errno));
		return -1;
	}
	if (mkdir_p(to, 0700) == -1) {
		fprintf(stderr, "wirewatch: %s: %s\n", to, strerror(errno));
		closedir(d);
		return -1;
	}
	while (rv == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		src = xasprintf("%s/%s", from, e->d_name);
		dst = xasprintf("%s/%s", to, e->d_name);
		if (stat(src, &st) == 0 && S_ISDIR(st.st_mode))
			rv = copy_tree(src, dst, created);
		else if (stat(src, &st) == 0 && S_ISREG(st.st_mode)) {
			if ((data = util_read_file(src, 4u << 20, &len, &cause)) == NULL) {
				fprintf(stderr, "wirewatch: %s\n", cause);
				free(cause);
				rv = -1;
			} else {
				if (stat(dst, &st) != 0) {
					if (util_write_atomic(dst, data, len, &cause) == -1) {
						fprintf(stderr, "wirewatch: %s\n", cause);
						free(cause);
						rv = -1;
					} else
						(*created)++;
				}
				free(data);
			}
		}
		free(src);
		free(dst);
	}
	closedir(d);
	return rv;
}

int
cmd_init(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct stat	 st;
	char		*path, *pack, *rules;
	int		 ch, created = 0, rv = EXIT_OK;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (ch == 'h') {
			return cmd_help_of(cmd_find("init"));
		}
		return cmd_usage(cmd_find("init"));
	}
	if (optind != argc)
		return cmd_usage(cmd_find("init"));
	if (mkdir_p(ctx->config_dir, 0700) == -1) {
		fprintf(stderr, "wirewatch: %s: %s\n", ctx->config_dir, strerror(errno));
		return EXIT_FAIL;
	}
	/* the pack to copy: the installed one (rules/ does not exist yet) */
	pack = cmd_rules_dir(ctx);
	rules = xasprintf("%s/rules", ctx->config_dir);
	path = xasprintf("%s/config", ctx->config_dir);
	if (write_new(path, init_config, &created) == -1)
		rv = EXIT_FAIL;
	free(path);
	path = xasprintf("%s/feeds", ctx->config_dir);
	if (write_new(path, init_feeds, &created) == -1)
		rv = EXIT_FAIL;
	free(path);
	if (stat(rules, &st) == 0)
		printf("kept     %s/ (exists)\n", rules);
	else if (strcmp(pack, rules) != 0) {
		if (copy_tree(pack, rules, &created) == -1)
			rv = EXIT_FAIL;
		else
			printf("created  %s/ (the default rule pack, to edit)\n", rules);
	}
	if (rv == EXIT_OK)
		printf("\nNext:\n"
		    "  wirewatch rules check            check the rules\n"
		    "  wirewatch run --once             poll the feeds once\n"
		    "  wirewatch digest --no-fetch      what matched\n"
		    "  systemctl --user enable --now wirewatch.service\n");
	free(pack);
	free(rules);
	return rv;
}
