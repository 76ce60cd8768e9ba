/*
 * wirewatch rules edit [FILE]: edit one rule file the way visudo and
 * `crontab -e` edit theirs. The whole rules directory is mirrored into a
 * private temporary directory and the editor ($VISUAL, else $EDITOR, else
 * vi) opens the copy of FILE there; on save the mirror is loaded and its
 * test blocks run, diagnostics shown with the real file names. A valid
 * edit replaces FILE atomically (the previous version kept as FILE~) and a
 * running agent on the state directory gets SIGHUP; an invalid one is
 * offered for editing again on a terminal and dropped otherwise.
 *
 * FILE is relative to the rules directory (CONFIG/rules), or a path that
 * lies inside it; ".rules" may be left out; a new *.rules file may be
 * named. Without FILE: the first *.rules file of CONFIG/rules/watches.
 * When CONFIG/rules does not exist, the installed pack is copied there
 * first, as `wirewatch init` does. Touches the rules directory, a
 * temporary directory (removed) and the agent's lock file (read only).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "rules.h"
#include "store.h"
#include "ruletest.h"
#include "util.h"

#define EDIT_USAGE	"usage: wirewatch rules edit [FILE]\n"			\
	"Edit a copy of FILE (relative to CONFIG/rules; default: the first\n" \
	"*.rules file of CONFIG/rules/watches) with $VISUAL, $EDITOR or vi;\n" \
	"install it only when the whole rule set and its tests pass, keep\n" \
	"FILE~, and send SIGHUP to a running agent.\n"
#define EDIT_MAX_FILE	(16u << 20)	/* bytes of any file copied */

static int
is_dir(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/*
 * Copy the regular files of from into to, recursively, skipping dot files
 * and editor backups (NAME~). Existing files in to are kept when keep.
 * Returns the number of files copied, -1 with a message on stderr.
 */
static int
tree_copy(const char *from, const char *to, int keep)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		*src, *dst, *data, *cause = NULL;
	size_t		 len;
	int		 n = 0, r;

	if ((d = opendir(from)) == NULL) {
		fprintf(stderr, "wirewatch: %s: %s\n", from, strerror(errno));
		return -1;
	}
	if (mkdir(to, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "wirewatch: %s: %s\n", to, strerror(errno));
		closedir(d);
		return -1;
	}
	while (n >= 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || ends_with(e->d_name, "~"))
			continue;
		src = xasprintf("%s/%s", from, e->d_name);
		dst = xasprintf("%s/%s", to, e->d_name);
		if (stat(src, &st) == -1)
			;
		else if (S_ISDIR(st.st_mode)) {
			if ((r = tree_copy(src, dst, keep)) == -1)
				n = -1;
			else
				n += r;
		} else if (S_ISREG(st.st_mode) && (!keep || access(dst, F_OK) == -1)) {
			if ((data = util_read_file(src, EDIT_MAX_FILE, &len,
			    &cause)) == NULL ||
			    util_write_atomic(dst, data, len, &cause) == -1) {
				fprintf(stderr, "wirewatch: %s\n", cause);
				free(cause);
				cause = NULL;
				n = -1;
			} else
				n++;
			free(data);
		}
		free(src);
		free(dst);
	}
	closedir(d);
	return n;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void
tree_remove(const char *dir)
{
	if (dir != NULL)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The first *.rules file in byte order under dir, recursively; NULL. */
static char *
first_rules(const char *dir, const char *rel)
{
	DIR		*d;
	struct dirent	*e;
	char		*path, *best = NULL, *sub, *r;

	path = rel != NULL ? xasprintf("%s/%s", dir, rel) : xstrdup(dir);
	if ((d = opendir(path)) == NULL) {
		free(path);
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		r = rel != NULL ? xasprintf("%s/%s", rel, e->d_name) :
		    xstrdup(e->d_name);
		sub = xasprintf("%s/%s", dir, r);
		if (is_dir(sub)) {
			char *inner = first_rules(dir, r);

			free(r);
			r = inner;
		} else if (!ends_with(r, ".rules")) {
			free(r);
			r = NULL;
		}
		free(sub);
		if (r != NULL && (best == NULL || strcmp(r, best) < 0)) {
			free(best);
			best = r;
		} else
			free(r);
	}
	closedir(d);
	free(path);
	return best;
}

/*
 * FILE as a path relative to the rules directory; NULL with a message.
 * A path starting with '/', "./" or "../" must lie inside rules.
 */
static char *
target_rel(const char *rules, const char *file)
{
	char	 realr[PATH_MAX], realf[PATH_MAX], *rel, *dir, *slash, *p;
	size_t	 n;

	if (file[0] == '/' || strncmp(file, "./", 2) == 0 ||
	    strncmp(file, "../", 3) == 0) {
		if (realpath(rules, realr) == NULL) {
			fprintf(stderr, "wirewatch: %s: %s\n", rules, strerror(errno));
			return NULL;
		}
		/* the file may be new: resolve its directory */
		dir = xstrdup(file);
		slash = strrchr(dir, '/');
		*slash = '\0';
		if (realpath(*dir != '\0' ? dir : "/", realf) == NULL) {
			fprintf(stderr, "wirewatch: %s: %s\n", file, strerror(errno));
			free(dir);
			return NULL;
		}
		free(dir);
		n = strlen(realr);
		if (strncmp(realf, realr, n) != 0 ||
		    (realf[n] != '/' && realf[n] != '\0')) {
			fprintf(stderr, "wirewatch: %s is not in the rules "
			    "directory %s\n", file, rules);
			return NULL;
		}
		rel = realf[n] == '\0' ? xstrdup(strrchr(file, '/') + 1) :
		    xasprintf("%s/%s", realf + n + 1, strrchr(file, '/') + 1);
	} else
		rel = xstrdup(file);
	for (p = rel; *p != '\0'; p = slash + 1) {
		if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0')) {
			fprintf(stderr, "wirewatch: %s is not in the rules "
			    "directory %s\n", file, rules);
			free(rel);
			return NULL;
		}
		if ((slash = strchr(p, '/')) == NULL)
			break;
	}
	if (*rel == '\0' || ends_with(rel, "/")) {
		fprintf(stderr, "wirewatch: %s: not a file\n", file);
		free(rel);
		return NULL;
	}
	return rel;
}

/*
 * $VISUAL, else $EDITOR, else vi; NULL when that would be vi without a
 * terminal to run in.
 */
static const char *
editor_name(void)
{
	const char	*ed;

	if ((ed = getenv("VISUAL")) != NULL && *ed != '\0')
		return ed;
	if ((ed = getenv("EDITOR")) != NULL && *ed != '\0')
		return ed;
	return isatty(STDIN_FILENO) ? "vi" : NULL;
}

/* Run the editor on path and wait. 0 when it exited with status 0. */
static int
editor_run(const char *path)
{
	const char	*ed;
	char		*cmd;
	pid_t		 pid;
	int		 status;

	if ((ed = editor_name()) == NULL)
		return -1;
	/* as git does: the variable may carry arguments */
	cmd = xasprintf("%s \"$@\"", ed);
	fflush(stdout);
	fflush(stderr);
	switch ((pid = fork())) {
	case -1:
		fprintf(stderr, "wirewatch: fork: %s\n", strerror(errno));
		free(cmd);
		return -1;
	case 0:
		execl("/bin/sh", "sh", "-c", cmd, ed, path, (char *)NULL);
		fprintf(stderr, "wirewatch: /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	free(cmd);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		fprintf(stderr, "wirewatch: the editor (%s) exited with status %d\n",
		    ed, WEXITSTATUS(status));
	else
		fprintf(stderr, "wirewatch: the editor (%s) was killed by signal %d\n",
		    ed, WTERMSIG(status));
	return -1;
}

/* Copy s to out with every "from/" replaced by "to/". */
static void
replace_prefix(struct buf *out, const char *s, size_t len, const char *from,
    const char *to)
{
	size_t	 lf = strlen(from), i = 0;

	while (i < len) {
		if (len - i > lf && memcmp(s + i, from, lf) == 0 &&
		    s[i + lf] == '/') {
			buf_adds(out, to);
			i += lf;
		} else
			buf_addc(out, s[i++]);
	}
}

/*
 * Load the mirror in tmp and run its tests; print the diagnostics with tmp
 * replaced by rules. Returns the number of errors (failed tests count).
 */
static unsigned
mirror_check(const char *tmp, const char *rules, int quiet_ok)
{
	struct ruleset	*rs;
	struct diag	 d;
	struct buf	 out;
	FILE		*fp;
	char		*text = NULL;
	size_t		 len = 0;
	const char	*paths[1] = { tmp };
	int		 failed;

	if ((fp = open_memstream(&text, &len)) == NULL) {
		fprintf(stderr, "wirewatch: open_memstream: %s\n", strerror(errno));
		return 1;
	}
	diag_init(&d, fp);
	rs = rules_load(paths, 1, &d);
	if (rs != NULL && d.errors == 0 && rs->ntests > 0) {
		failed = ruletest_run(rs, &d, NULL);
		if (failed > 0 && d.errors == 0)
			d.errors = (unsigned)failed;
	}
	if (d.files == 0 && d.errors == 0) {
		fprintf(fp, "%s: no *.rules files left\n", tmp);
		d.errors = 1;
	}
	fclose(fp);
	buf_init(&out, 0);
	replace_prefix(&out, text, len, tmp, rules);
	if (out.len > 0)
		fwrite(out.data, 1, out.len, stderr);
	buf_release(&out);
	free(text);
	if (d.errors > 0)
		fprintf(stderr, "%u error%s, %u warning%s\n", d.errors,
		    d.errors == 1 ? "" : "s", d.warnings, d.warnings == 1 ? "" : "s");
	else if (!quiet_ok && rs != NULL)
		printf("ok: %zu actors, %zu topics, %zu watches, %zu tests passed%s\n",
		    rs->nactors, rs->ntopics, rs->nwatches, rs->ntests,
		    d.warnings > 0 ? " (with warnings)" : "");
	ruleset_free(rs);
	return d.errors;
}

/*
 * SIGHUP to the agent holding the lock in state: 1 when sent, 0 when no
 * agent runs, -1 when one runs but cannot be signalled.
 */
static int
agent_signal(const char *state, long *pidp)
{
	long	pid;

	*pidp = 0;
	if ((pid = store_agent_pid(state)) == 0)
		return 0;
	if (pid < 0)
		return -1;
	*pidp = pid;
	return kill((pid_t)pid, SIGHUP) == 0 ? 1 : -1;
}

/* "e", "d" or "q" from the terminal; EOF is "q". */
static int
ask(void)
{
	char	line[64];

	for (;;) {
		fputs("What now? (e)dit again, (d)iscard changes and start over, "
		    "(q)uit keeping nothing [e]: ", stderr);
		fflush(stderr);
		if (fgets(line, sizeof line, stdin) == NULL)
			return 'q';
		if (line[0] == '\n' || line[0] == 'e' || line[0] == 'E')
			return 'e';
		if (line[0] == 'd' || line[0] == 'D')
			return 'd';
		if (line[0] == 'q' || line[0] == 'Q' || line[0] == 'x')
			return 'q';
	}
}

/* The rules directory to edit, copying the pack there when missing. */
static char *
rules_prepare(const struct cmd_ctx *ctx, int *copied)
{
	char	*rules, *pack;
	int	 n;

	*copied = 0;
	rules = xasprintf("%s/rules", ctx->config_dir);
	if (is_dir(rules))
		return rules;
	pack = cmd_rules_dir(ctx);
	if (!is_dir(pack)) {
		fprintf(stderr, "wirewatch: no rules to edit: neither %s nor the "
		    "installed pack %s exists\n", rules, pack);
		goto fail;
	}
	if (mkdir(ctx->config_dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "wirewatch: %s: %s\n", ctx->config_dir,
		    strerror(errno));
		goto fail;
	}
	if ((n = tree_copy(pack, rules, 1)) == -1)
		goto fail;
	printf("copied the rule pack %s to %s (as 'wirewatch init' does); "
	    "the copy is the one to edit\n", pack, rules);
	*copied = 1;
	free(pack);
	return rules;
fail:
	free(pack);
	free(rules);
	return NULL;
}

int
cmd_rules_edit(struct cmd_ctx *ctx, int argc, char **argv)
{
	char		*rules = NULL, *rel = NULL, *path = NULL, *bak = NULL;
	char		*tmp = NULL, *copy = NULL, *orig = NULL, *cur = NULL;
	char		*cause = NULL, *slash, tmpl[PATH_MAX];
	const char	*tdir;
	size_t		 olen = 0, clen;
	long		 pid;
	int		 rv = EXIT_FAIL, copied, isnew = 0, r;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		fputs(EDIT_USAGE, stdout);
		return EXIT_OK;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fputs(EDIT_USAGE, stderr);
		return EXIT_USAGE;
	}
	if (editor_name() == NULL) {
		fprintf(stderr, "wirewatch: rules edit: no terminal for vi; set "
		    "VISUAL or EDITOR\n");
		return EXIT_FAIL;
	}
	if ((rules = rules_prepare(ctx, &copied)) == NULL)
		return EXIT_FAIL;
	if (argc == 2)
		rel = target_rel(rules, argv[1]);
	else if ((rel = first_rules(rules, "watches")) == NULL)
		fprintf(stderr, "wirewatch: %s/watches has no *.rules file: name "
		    "the file to edit\n", rules);
	if (rel == NULL)
		goto out;
	path = xasprintf("%s/%s", rules, rel);
	if (access(path, F_OK) == -1 && !ends_with(rel, ".rules")) {
		slash = xasprintf("%s.rules", rel);
		free(rel);
		rel = slash;
		free(path);
		path = xasprintf("%s/%s", rules, rel);
	}
	if (access(path, F_OK) == 0) {
		if ((orig = util_read_file(path, EDIT_MAX_FILE, &olen,
		    &cause)) == NULL) {
			fprintf(stderr, "wirewatch: %s\n", cause);
			goto out;
		}
	} else if (ends_with(rel, ".rules")) {
		slash = strrchr(path, '/');
		*slash = '\0';
		r = is_dir(path);
		*slash = '/';
		if (!r) {
			fprintf(stderr, "wirewatch: %s: no such directory\n", path);
			goto out;
		}
		isnew = 1;
		orig = xstrdup("");
		printf("%s is a new rule file\n", path);
	} else {
		fprintf(stderr, "wirewatch: %s: no such rule file\n", path);
		goto out;
	}

	if ((tdir = getenv("TMPDIR")) == NULL || *tdir == '\0')
		tdir = "/tmp";
	snprintf(tmpl, sizeof tmpl, "%s/wirewatch-edit.XXXXXX", tdir);
	if (mkdtemp(tmpl) == NULL) {
		fprintf(stderr, "wirewatch: %s: %s\n", tmpl, strerror(errno));
		goto out;
	}
	tmp = xstrdup(tmpl);
	if (tree_copy(rules, tmp, 0) == -1)
		goto out;
	copy = xasprintf("%s/%s", tmp, rel);
	if (isnew && util_write_atomic(copy, "", 0, &cause) == -1) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		goto out;
	}

	for (;;) {
		if (editor_run(copy) == -1) {
			fprintf(stderr, "wirewatch: nothing installed\n");
			goto out;
		}
		free(cur);
		if ((cur = util_read_file(copy, EDIT_MAX_FILE, &clen,
		    &cause)) == NULL) {
			fprintf(stderr, "wirewatch: %s\n", cause);
			goto out;
		}
		if (clen == olen && memcmp(cur, orig, olen) == 0) {
			printf("no changes\n");
			rv = EXIT_OK;
			goto out;
		}
		if (mirror_check(tmp, rules, 0) == 0)
			break;
		if (!isatty(STDIN_FILENO)) {
			fprintf(stderr, "wirewatch: %s: the edit has errors; "
			    "nothing installed\n", path);
			goto out;
		}
		switch (ask()) {
		case 'd':
			if (util_write_atomic(copy, orig, olen, &cause) == -1) {
				fprintf(stderr, "wirewatch: %s\n", cause);
				goto out;
			}
			break;
		case 'q':
			fprintf(stderr, "wirewatch: nothing installed\n");
			goto out;
		}
	}

	/* valid: keep the previous version, then replace */
	bak = xasprintf("%s~", path);
	if (!isnew && util_write_atomic(bak, orig, olen, &cause) == -1) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		goto out;
	}
	if (util_write_atomic(path, cur, clen, &cause) == -1) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		goto out;
	}
	if (isnew)
		printf("installed %s\n", path);
	else
		printf("installed %s (the previous version is %s)\n", path, bak);
	rv = EXIT_OK;
	switch (agent_signal(ctx->state_dir, &pid)) {
	case 0:
		printf("no agent running\n");
		break;
	case 1:
		printf("reloaded the running agent (pid %ld)\n", pid);
		if (copied)
			printf("note: that agent was started before %s existed and "
			    "reads the installed pack; restart it to use the "
			    "copy\n", rules);
		break;
	default:
		fprintf(stderr, "wirewatch: an agent runs on %s but cannot be "
		    "signalled (pid %ld); reload it by hand\n", ctx->state_dir,
		    pid);
		rv = EXIT_FAIL;
		break;
	}
out:
	tree_remove(tmp);
	free(cause);
	free(tmp);
	free(copy);
	free(orig);
	free(cur);
	free(bak);
	free(path);
	free(rel);
	free(rules);
	return rv;
}
