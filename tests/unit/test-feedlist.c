/* Unit tests: feedlist.c, the feeds file. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "feedlist.h"
#include "store.h"
#include "tap.h"
#include "util.h"

static char	tmpdir[] = "/tmp/ww-feedlist-XXXXXX";

static char *
slurp(const char *path)
{
	char	*cause = NULL, *s;
	size_t	 len;

	if ((s = util_read_file(path, 1 << 20, &len, &cause)) == NULL) {
		free(cause);
		return xstrdup("(missing)");
	}
	return s;
}

static void
test_parse(void)
{
	static const char text[] =
	    "# my feeds\n"
	    "\n"
	    "https://example.com/world.rss name=\"Example \\\"World\\\"\" "
	    "interval=1h30m tag=world tag=europe,asia   # trailing comment\n"
	    "   http://example.org/feed#section   tags=\"World News\"\n"
	    "./samples/local.xml name=Local\n"
	    "file:///srv/feeds/a%20b.xml\n"
	    "~/feeds/home.xml\n"
	    "ftp://example.com/feed\n"
	    "example.com/feed\n"
	    "https://example.com/x interval=5\n"
	    "https://example.com/y colour=red\n"
	    "https://example.com/z name=\"unterminated\n"
	    "https://example.com/world.rss\n"
	    "https://example.com/w interval=10s\n"
	    "https://example.com/v name\n"
	    "https:///nohost\n"
	    "https://example.com/last name=Last";
	struct feedlist			*fl;
	const struct feedlist_entry	*e;
	const char			*s;
	char				*t;
	int				 amb;

	setenv("HOME", "/home/u", 1);
	fl = feedlist_parse("conf/feeds", text, sizeof text - 1);
	is_int(fl->n, 6, "six good feeds");
	is_int(fl->nerrors, 9, "nine errors");
	if (fl->n == 6) {
		e = &fl->v[0];
		is_str(e->url, "https://example.com/world.rss", "url");
		is_str(e->name, "Example \"World\"", "quoted name with escapes");
		is_int(e->interval, 5400, "interval 1h30m");
		is_int(e->ntags, 3, "three tags");
		t = feedlist_tags(e);
		is_str(t, "world,europe,asia", "tags joined");
		free(t);
		ok(e->path == NULL, "web feed has no path");
		is_int(e->line, 3, "line number");
		is_str(fl->v[1].url, "http://example.org/feed#section",
		    "'#' inside a URL is no comment");
		is_str(fl->v[1].tags[0], "World News", "quoted tag");
		is_str(fl->v[2].path, "conf/./samples/local.xml",
		    "relative path against the file's directory");
		is_str(fl->v[3].path, "/srv/feeds/a b.xml", "file URL decoded");
		is_str(fl->v[4].path, "/home/u/feeds/home.xml", "~ is HOME");
		is_str(fl->v[5].name, "Last", "last line without newline");
	}
	if (fl->nerrors == 9) {
		is_str(fl->errors[0], "conf/feeds:8: unsupported scheme 'ftp' "
		    "(http, https or a local file)", "ftp refused");
		ok(strncmp(fl->errors[1], "conf/feeds:9: 'example.com/feed' is "
		    "not a URL", 33) == 0, "bare host refused: %s", fl->errors[1]);
		ok(strncmp(fl->errors[2], "conf/feeds:10: interval: '5'", 28) == 0,
		    "interval needs a unit: %s", fl->errors[2]);
		is_str(fl->errors[3], "conf/feeds:11: unknown option 'colour' "
		    "(name, interval, tag)", "unknown option");
		is_str(fl->errors[4], "conf/feeds:12: name: unterminated quoted "
		    "value", "unterminated quote");
		is_str(fl->errors[5], "conf/feeds:13: 'https://example.com/world.rss'"
		    " is already listed at line 3", "duplicate");
		ok(strstr(fl->errors[6], ":14: interval") != NULL,
		    "interval below a minute: %s", fl->errors[6]);
		ok(strstr(fl->errors[7], ":15: expected KEY=VALUE") != NULL,
		    "option without value: %s", fl->errors[7]);
		ok(strstr(fl->errors[8], ":16: no host") != NULL,
		    "URL without host: %s", fl->errors[8]);
	}
	e = feedlist_find(fl, "local", &amb);
	ok(e != NULL && strcmp(e->url, "./samples/local.xml") == 0,
	    "find by name, case ignored");
	e = feedlist_find(fl, "http://example.org/feed#section", NULL);
	ok(e != NULL && e->line == 4, "find by url");
	ok(feedlist_find(fl, "nothing", &amb) == NULL && !amb, "find: none");
	feedlist_free(fl);
	feedlist_free(NULL);

	s = "https://a.example/ name=X\nhttps://b.example/ name=x\n";
	fl = feedlist_parse("f", s, strlen(s));
	ok(feedlist_find(fl, "x", &amb) == NULL && amb, "ambiguous name");
	feedlist_free(fl);

	s = "https://a.example/\x01 name=X\n";
	fl = feedlist_parse("f", s, strlen(s));
	is_int(fl->n, 0, "control character in URL refused");
	feedlist_free(fl);
}

static void
test_interval(void)
{
	static const struct {
		const char	*in;
		long		 want;
	} c[] = {
		{ "90s", 90 }, { "30m", 1800 }, { "2h", 7200 }, { "1d", 86400 },
		{ "1h30m", 5400 }, { "1w", 604800 }, { "5", -1 }, { "", -1 },
		{ "m", -1 }, { "-5m", -1 }, { "5x", -1 }, { "1h 30m", -1 },
		{ "999999999999h", -1 },
	};
	char	*s;
	size_t	 i;

	for (i = 0; i < nitems(c); i++)
		is_int(feedlist_parse_interval(c[i].in), c[i].want,
		    "interval '%s'", c[i].in);
	s = feedlist_format_interval(5400);
	is_str(s, "1h30m", "format 5400");
	free(s);
	s = feedlist_format_interval(90061);
	is_str(s, "1d1h1m1s", "format 90061");
	free(s);
	s = feedlist_format_interval(1800);
	is_str(s, "30m", "format 1800");
	free(s);
}

static void
test_format_roundtrip(void)
{
	struct feedlist_entry	 e;
	struct feedlist		*fl;
	char			*line, *tags[] = { "world", "two words", "a\"b" };

	memset(&e, 0, sizeof e);
	e.url = "https://example.com/feed?x=1&y=2";
	e.name = "Quote \" and \\ backslash # hash";
	e.interval = 2700;
	e.tags = tags;
	e.ntags = 3;
	line = feedlist_format(&e);
	is_str(line, "https://example.com/feed?x=1&y=2 name=\"Quote \\\" and "
	    "\\\\ backslash # hash\" interval=45m tag=world tag=\"two words\" "
	    "tag=\"a\\\"b\"", "formatted line");
	fl = feedlist_parse("f", line, strlen(line));
	ok(fl->n == 1 && fl->nerrors == 0, "formatted line parses");
	if (fl->n == 1) {
		is_str(fl->v[0].name, e.name, "name round-trips");
		is_int(fl->v[0].interval, 2700, "interval round-trips");
		is_int(fl->v[0].ntags, 3, "tags round-trip");
		is_str(fl->v[0].tags[2], "a\"b", "tag with a quote");
	}
	feedlist_free(fl);
	free(line);
}

static void
test_edit(void)
{
	struct feedlist_entry	 e;
	char			*path, *s, *cause = NULL, *url = NULL;
	char			*tags[] = { "world" };
	FILE			*f;

	path = xasprintf("%s/feeds", tmpdir);
	memset(&e, 0, sizeof e);
	e.url = "https://one.example/rss";
	e.name = "One";
	ok(feedlist_add(path, &e, 1, &cause) == 0, "add creates the file");
	s = slurp(path);
	is_str(s, "https://one.example/rss name=\"One\"\n", "first line");
	free(s);

	/* A hand-edited file without a final newline. */
	f = fopen(path, "a");
	fputs("# keep this comment\n\n  https://two.example/atom tag=x # note", f);
	fclose(f);
	e.url = "https://three.example/feed";
	e.name = NULL;
	e.interval = 3600;
	e.tags = tags;
	e.ntags = 1;
	ok(feedlist_add(path, &e, 1, &cause) == 0, "append");
	s = slurp(path);
	is_str(s, "https://one.example/rss name=\"One\"\n# keep this comment\n\n"
	    "  https://two.example/atom tag=x # note\n"
	    "https://three.example/feed interval=1h tag=world\n",
	    "appended after a newline, the rest untouched");
	free(s);
	ok(feedlist_add(path, &e, 1, &cause) == -1 && cause != NULL &&
	    strstr(cause, ":5: 'https://three.example/feed' is already listed")
	    != NULL, "duplicate refused: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	{
		struct feedlist_entry	two[2];

		memset(two, 0, sizeof two);
		two[0].url = "https://dup.example/";
		two[1].url = "https://dup.example/";
		ok(feedlist_add(path, two, 2, &cause) == -1 && cause != NULL &&
		    strstr(cause, "already listed at line 1") != NULL,
		    "duplicate within a batch refused: %s", cause ? cause : "");
		free(cause);
		cause = NULL;
	}
	e.url = "ftp://x.example/";
	ok(feedlist_add(path, &e, 1, &cause) == -1, "bad URL refused");
	free(cause);
	cause = NULL;
	e.url = "https://four.example/";
	e.ntags = 0;
	e.interval = 5;
	ok(feedlist_add(path, &e, 1, &cause) == -1 && cause != NULL &&
	    strstr(cause, "interval") != NULL, "too short interval refused: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;

	is_int(feedlist_remove(path, "ONE", &url, &cause), 1, "remove by name");
	is_str(url, "https://one.example/rss", "removed url reported");
	free(url);
	is_int(feedlist_remove(path, "https://two.example/atom", NULL, &cause), 1,
	    "remove by url");
	is_int(feedlist_remove(path, "https://nope.example/", NULL, &cause), 0,
	    "remove unknown: 0");
	s = slurp(path);
	is_str(s, "# keep this comment\n\nhttps://three.example/feed interval=1h "
	    "tag=world\n", "comments and blank lines kept");
	free(s);
	is_int(feedlist_remove(path, "https://three.example/feed", NULL, &cause),
	    1, "remove the last line");
	s = slurp(path);
	is_str(s, "# keep this comment\n\n", "only comments left");
	free(s);
	unlink(path);
	free(path);
}

/* The command table lives in main.c, outside the library. */
const struct cmd_entry *
cmd_find(const char *name)
{
	return NULL;
}

int
cmd_usage(const struct cmd_entry *e)
{
	return EXIT_USAGE;
}

/* Run `wirewatch feeds ARGS` in-process with stdout sent to a file. */
static char *
run_feeds(struct cmd_ctx *ctx, int argc, char **argv, int *rv)
{
	char	*out, *s;
	int	 fd, saved;

	out = xasprintf("%s/stdout", tmpdir);
	fflush(stdout);
	saved = dup(1);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 1);
	close(fd);
	*rv = cmd_feeds(ctx, argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	s = slurp(out);
	free(out);
	return s;
}

/* `feeds list` shows the store's health and never lets feed data reach the terminal raw. */
static void
test_list_health(void)
{
	struct cmd_ctx		 ctx;
	struct store		*st;
	struct store_poll	 p;
	char			*conf, *state, *path, *cause = NULL, *out;
	char			*list[] = { "feeds", "list", NULL };
	char			*json[] = { "feeds", "list", "--json", NULL };
	int64_t			 id;
	int			 rv;
	FILE			*f;

	conf = xasprintf("%s/conf", tmpdir);
	state = xasprintf("%s/state", tmpdir);
	path = xasprintf("%s/feeds", conf);
	memset(&ctx, 0, sizeof ctx);
	ctx.config_dir = conf;
	ctx.state_dir = state;
	{
		char *mk = xasprintf("mkdir -p '%s'", conf);

		if (system(mk) != 0)
			printf("# mkdir failed\n");
		free(mk);
	}
	f = fopen(path, "w");
	fputs("https://bad.example/rss name=Bad\nhttps://good.example/rss\n"
	    "https://fresh.example/rss\n", f);
	fclose(f);

	setenv("WIREWATCH_NOW", "100000", 1);
	st = store_open(state, 0, &cause);
	ok(st != NULL, "store for the list test");
	if (st == NULL)
		return;
	store_feed_add(st, "https://bad.example/rss", "Bad", NULL, 0, &id, &cause);
	memset(&p, 0, sizeof p);
	p.attempt = 90000;
	p.http_status = 200;
	p.next_poll = 91000;
	store_feed_update_health(st, id, &p, &cause);
	p.attempt = 99000;
	p.http_status = 502;
	p.error = "HTTP 502 \x1b[2Jwiped\xc2\x9b" "31m \xff";
	p.next_poll = 100600;
	store_feed_update_health(st, id, &p, &cause);
	store_feed_update_health(st, id, &p, &cause);
	store_feed_add(st, "https://good.example/rss", NULL, NULL, 0, &id, &cause);
	memset(&p, 0, sizeof p);
	p.attempt = 99700;
	p.http_status = 304;
	p.next_poll = 101500;
	p.moved_to = "https://good.example/new-rss";
	store_feed_update_health(st, id, &p, &cause);
	store_close(st);

	out = run_feeds(&ctx, 2, list, &rv);
	is_int(rv, 0, "feeds list");
	ok(strstr(out, "failing  2h ago        2 in 10m   Bad <https://bad.example/rss>\n")
	    != NULL, "failing feed: last success, failures, next poll");
	ok(strstr(out, "error: HTTP 502 ?[2Jwiped?31m ?\n") != NULL,
	    "error text with escapes made harmless");
	ok(strchr(out, '\x1b') == NULL && strstr(out, "\xc2\x9b") == NULL,
	    "no ESC or C1 control reaches the terminal");
	ok(strstr(out, "ok       5m ago        0 in 25m   https://good.example/rss\n")
	    != NULL, "ok feed");
	ok(strstr(out, "moved to: https://good.example/new-rss") != NULL,
	    "permanent move shown");
	ok(strstr(out, "new      never         0 due      https://fresh.example/rss")
	    != NULL, "feed not yet in the store: new");
	free(out);

	out = run_feeds(&ctx, 3, json, &rv);
	is_int(rv, 0, "feeds list --json");
	ok(strstr(out, "\"status\":\"failing\",\"last_attempt\":"
	    "\"1970-01-02T03:30:00Z\",\"last_success\":\"1970-01-02T01:00:00Z\"")
	    != NULL, "JSON dates");
	ok(strstr(out, "\"error\":\"HTTP 502 \\u001b[2Jwiped") != NULL,
	    "JSON escapes the error text");
	ok(strstr(out, "\"failures\":2") != NULL, "JSON failures");
	free(out);
	unsetenv("WIREWATCH_NOW");
	free(conf);
	free(state);
	free(path);
}

int
main(void)
{
	char	*cmd;

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	test_parse();
	test_interval();
	test_format_roundtrip();
	test_edit();
	test_list_health();
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	free(cmd);
	return tap_done();
}
