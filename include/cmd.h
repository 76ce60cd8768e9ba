/*
 * The command table: one entry per top-level command, one file per command
 * family (cmd-parse.c, cmd-rules.c, ...). Adding a command is one file and
 * one line in main.c.
 */
#ifndef WW_CMD_H
#define WW_CMD_H

#include <stdint.h>

struct cmd_ctx {
	const char	*config_dir;	/* --config or the XDG default */
	const char	*state_dir;	/* --state or the XDG default */
	int		 config_given;	/* --config was on the command line */
};

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* arguments, for "usage: wirewatch NAME ..." */
	const char	*summary;	/* one line for `wirewatch help` */
	int		(*exec)(struct cmd_ctx *, int argc, char **argv);
};

/* Exit codes (documented in wirewatch(1)). */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* Print "usage: wirewatch ..." for the entry to stderr; returns EXIT_USAGE. */
int	cmd_usage(const struct cmd_entry *);
/* --help: the usage line and summary on stdout; returns EXIT_OK. */
int	cmd_help_of(const struct cmd_entry *);
/* Find an entry by name in the table. */
const struct cmd_entry *cmd_find(const char *name);

/*
 * Directory of the rules to load: DIR/rules under the config directory when
 * it holds any *.rules file, else the installed pack. Caller frees.
 */
char	*cmd_rules_dir(const struct cmd_ctx *);

int	cmd_digest(struct cmd_ctx *, int, char **);
int	cmd_feeds(struct cmd_ctx *, int, char **);
int	cmd_init(struct cmd_ctx *, int, char **);
int	cmd_parse(struct cmd_ctx *, int, char **);
int	cmd_rules(struct cmd_ctx *, int, char **);
int	cmd_run(struct cmd_ctx *, int, char **);
int	cmd_status(struct cmd_ctx *, int, char **);
/* `rules test`: argv[0] is "test". */
int	cmd_rules_test(struct cmd_ctx *, int, char **);
/* `rules edit [FILE]` (cmd-rules-edit.c): argv[0] is "edit". */
int	cmd_rules_edit(struct cmd_ctx *, int, char **);
/*
 * `rules test --stored` (cmd-rules-stored.c): the backtest over stored
 * articles; argv[0] is "test", argv holds "--stored".
 */
int	cmd_rules_stored(struct cmd_ctx *, int, char **);

struct store;
/*
 * Write the digest of [since, until) from an open store (cmd-digest.c):
 * format a digest_format, out a file (strftime and "~/" expanded; written
 * atomically) or NULL for stdout; watch NULL for every watch.
 */
int	cmd_digest_write(const struct cmd_ctx *, struct store *, int64_t since,
	    int64_t until, const char *watch, int format, const char *out, int color,
	    char **cause);

#endif
