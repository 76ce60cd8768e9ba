/*
 * wirewatch rules check|test|edit: the rule-file command family. `check`
 * loads the rule files (arguments, or the rules directory), prints every
 * diagnostic, runs the test blocks and ends with a one-line summary on
 * stderr; exit 1 on any error. `test` lives in cmd-rules-test.c. Reads
 * rule files only; writes to stdout and stderr.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "rules-int.h"
#include "ruletest.h"
#include "util.h"

#define RULES_USAGE							\
	"usage: wirewatch rules check [-v] [--no-tests] [FILE|DIR...]\n"	\
	"       wirewatch rules test [--json] [--explain] SOURCE\n"		\
	"       wirewatch rules test --stored [--since DURATION|DATE] "	\
	"[--rules PATH]... [--json]\n"					\
	"       wirewatch rules edit [FILE]\n"

static const char *
plural(unsigned n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void
summary(const struct diag *d, const struct ruleset *rs, unsigned tests)
{
	unsigned	shown = d->errors + d->warnings;

	if (shown > d->printed && d->out != NULL)
		fprintf(stderr, "(%u more not shown)\n", shown - d->printed);
	if (d->errors > 0 || rs == NULL) {
		fprintf(stderr, "%u %s, %u %s in %u %s\n", d->errors,
		    plural(d->errors, "error", "errors"), d->warnings,
		    plural(d->warnings, "warning", "warnings"), d->files,
		    plural(d->files, "file", "files"));
		return;
	}
	fprintf(stderr, "ok: %zu %s, %zu %s, %zu %s, %zu %s, %zu %s in %u %s",
	    rs->nactors, plural((unsigned)rs->nactors, "actor", "actors"),
	    rs->ntopics, plural((unsigned)rs->ntopics, "topic", "topics"),
	    rs->nwatches, plural((unsigned)rs->nwatches, "watch", "watches"),
	    rs->nexcludes, plural((unsigned)rs->nexcludes, "exclusion", "exclusions"),
	    rs->ntests, plural((unsigned)rs->ntests, "test", "tests"),
	    d->files, plural(d->files, "file", "files"));
	if (tests > 0)
		fprintf(stderr, "; %u %s passed", tests, plural(tests, "test", "tests"));
	if (d->warnings > 0)
		fprintf(stderr, " (%u %s)", d->warnings,
		    plural(d->warnings, "warning", "warnings"));
	fprintf(stderr, "\n");
}

static int
rules_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "no-tests", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct ruleset	*rs;
	struct diag	 d;
	char		*dir = NULL;
	const char	*const *paths;
	size_t		 npaths;
	unsigned	 passed = 0;
	int		 ch, notests = 0, verbose = 0, failed;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "hnv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(RULES_USAGE, stdout);
			return EXIT_OK;
		case 'n':
			notests = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fputs(RULES_USAGE, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		paths = (const char *const *)argv + optind;
		npaths = (size_t)(argc - optind);
	} else {
		dir = cmd_rules_dir(ctx);
		paths = (const char *const *)&dir;
		npaths = 1;
	}
	diag_init(&d, stderr);
	rs = rules_load(paths, npaths, &d);
	if (d.files == 0 && d.errors == 0) {
		fprintf(stderr, "wirewatch: no *.rules files in %s\n", paths[0]);
		ruleset_free(rs);
		free(dir);
		return EXIT_FAIL;
	}
	if (rs != NULL && rs->ntests > 0 && !notests) {
		failed = ruletest_run(rs, &d, verbose ? stdout : NULL);
		if (failed > 0 && d.errors == 0)
			d.errors = (unsigned)failed;
		if (d.errors == 0)
			passed = (unsigned)rs->ntests;
	}
	summary(&d, d.errors > 0 ? NULL : rs, passed);
	ruleset_free(rs);
	free(dir);
	return d.errors > 0 ? EXIT_FAIL : EXIT_OK;
}

int
cmd_rules(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const subs[] = { "check", "test", "edit" };
	const char	*hint;

	if (argc < 2) {
		fputs(RULES_USAGE, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(RULES_USAGE, stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "check") == 0)
		return rules_check(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "test") == 0)
		return cmd_rules_test(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "edit") == 0)
		return cmd_rules_edit(ctx, argc - 1, argv + 1);
	if ((hint = suggest(argv[1], subs, nitems(subs))) != NULL)
		fprintf(stderr, "wirewatch: unknown rules command '%s' (did you "
		    "mean '%s'?)\n", argv[1], hint);
	else
		fprintf(stderr, "wirewatch: unknown rules command '%s'\n", argv[1]);
	fputs(RULES_USAGE, stderr);
	return EXIT_USAGE;
}
