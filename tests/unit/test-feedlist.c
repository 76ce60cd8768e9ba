/* Unit tests: feedlist.c, the feeds file. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feedlist.h"
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
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	free(cmd);
	return tap_done();
}
