/*
 * Unit tests: store.c against a real SQLite database in a temporary
 * directory. sqlite3.h is used here only to forge files the store must
 * refuse (another program's database, a newer schema).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "date.h"
#include "feed.h"
#include "store.h"
#include "tap.h"
#include "util.h"

static char	tmpdir[] = "/tmp/ww-store-XXXXXX";

static void
set_now(long t)
{
	char	s[32];

	snprintf(s, sizeof s, "%ld", t);
	setenv("WIREWATCH_NOW", s, 1);
}

static char *
subdir(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static void
test_canonical(void)
{
	static const struct {
		const char	*in, *want;
	} c[] = {
		{ "https://WWW.Example.COM/a/b/?utm_source=rss&id=3&utm_medium=x#top",
		  "example.com/a/b?id=3" },
		{ "http://example.com/a/b?id=3", "example.com/a/b?id=3" },
		{ "https://example.com", "example.com/" },
		{ "https://example.com/", "example.com/" },
		{ "https://example.com:443/x", "example.com/x" },
		{ "http://example.com:8080/x", "example.com:8080/x" },
		{ "https://example.com:80/x", "example.com:80/x" },
		{ "https://user:pw@example.com/x", "example.com/x" },
		{ "https://example.com/x?fbclid=abc", "example.com/x" },
		{ "https://example.com/x?GCLID=1&b=2&mc_cid=9", "example.com/x?b=2" },
		{ "https://example.com/x?a=1&&b=2", "example.com/x?a=1&b=2" },
		{ "https://example.com/%e2%80%94/", "example.com/%E2%80%94" },
		{ "https://example.com/Case/Path", "example.com/Case/Path" },
		{ "https://example.com./x", "example.com/x" },
		{ "https://example.com/x?utm_campaign", "example.com/x" },
		{ "https://example.com/x?ref=home", "example.com/x?ref=home" },
		{ "HTTPS://news.example.org/2026/11/28/story.html",
		  "news.example.org/2026/11/28/story.html" },
	};
	static const char *const bad[] = {
		"ftp://example.com/x", "file:///etc/passwd", "/relative/path",
		"https://", "https:///x", "javascript:alert(1)", "",
	};
	char	*s;
	size_t	 i;

	for (i = 0; i < nitems(c); i++) {
		s = store_canonical_link(c[i].in);
		is_str(s, c[i].want, "canonical %s", c[i].in);
		free(s);
	}
	for (i = 0; i < nitems(bad); i++) {
		s = store_canonical_link(bad[i]);
		ok(s == NULL, "no canonical link for '%s'", bad[i]);
		free(s);
	}
	ok(store_canonical_link(NULL) == NULL, "NULL link");

	s = store_canonical_title("  Belarus, China SIGN deal -- \"Minsk\"!  ");
	is_str(s, "belarus china sign deal minsk", "title folded");
	free(s);
	s = store_canonical_title("Łukaszenka: Ж");
	is_str(s, "Łukaszenka Ж", "non-ASCII bytes kept as they are");
	free(s);
	ok(store_canonical_title(" -- ") == NULL, "punctuation-only title");

	s = store_story_key("https://example.com/a?utm_x=1", "T");
	is_str(s, "u:example.com/a", "story key from link");
	free(s);
	s = store_story_key("not a url", "Hello, World");
	is_str(s, "t:hello world", "story key falls back to the title");
	free(s);
	ok(store_story_key(NULL, NULL) == NULL, "no story key without link or title");
}

static struct item
mkitem(const char *id, const char *title, const char *link)
{
	struct item	it;

	memset(&it, 0, sizeof it);
	it.id = (char *)id;
	it.title = (char *)title;
	it.link = (char *)link;
	it.summary = (char *)"summary";
	it.published = 1700000000;
	it.updated = DATE_NONE;
	return it;
}

static void
test_open_and_migrate(void)
{
	struct store		*s;
	struct store_feed	 f;
	struct stat		 st;
	char			*dir, *cause = NULL;
	int64_t			 id;

	dir = subdir("state/nested");
	s = store_open(dir, 0, &cause);
	ok(s != NULL, "open creates the directories and the database");
	if (s == NULL) {
		printf("# %s\n", cause);
		exit(1);
	}
	is_int(store_schema_version(s), STORE_VERSION, "new database at the newest schema");
	ok(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700, "state dir is 0700");
	store_close(s);
	{
		sqlite3		*db;
		sqlite3_stmt	*q;
		char		*path = xasprintf("%s/%s", dir, STORE_DB_NAME);

		sqlite3_open(path, &db);
		sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL);
		sqlite3_step(q);
		is_str((const char *)sqlite3_column_text(q, 0), "wal",
		    "the database is in WAL mode");
		sqlite3_finalize(q);
		sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &q, NULL);
		sqlite3_step(q);
		is_int(sqlite3_column_int(q, 0), 0x57576462, "application_id marks it ours");
		sqlite3_finalize(q);
		sqlite3_close(db);
		free(path);
	}
	free(dir);

	/* A version-1 database with a feed migrates forward, data kept. */
	dir = subdir("v1");
	s = store_open_version(dir, 0, 1, &cause);
	ok(s != NULL && store_schema_version(s) == 1, "opened at schema 1");
	is_int(store_feed_add(s, "https://example.com/feed", "Example", "world",
	    1800, &id, &cause), 1, "feed added at schema 1");
	store_close(s);
	s = store_open(dir, 0, &cause);
	ok(s != NULL, "reopened");
	is_int(store_schema_version(s), STORE_VERSION, "migrated to the newest schema");
	is_int(store_feed_get(s, "https://example.com/feed", &f, &cause), 1,
	    "feed survives the migration");
	is_str(f.name, "Example", "name kept");
	is_int(f.interval, 1800, "interval kept");
	ok(f.moved_to == NULL, "new column moved_to is NULL");
	is_int(f.id, id, "same id");
	store_feed_release(&f);
	store_close(s);
	s = store_open(dir, 0, &cause);
	ok(s != NULL && store_schema_version(s) == STORE_VERSION,
	    "opening a migrated database again is a no-op");
	store_close(s);
	free(dir);
}

/*
 * Processes opening a state directory that does not exist yet, all at once
 * (the agent starting while `status` runs): one creates the schema, the
 * others see either nothing or all of it, never a half-made file that
 * looks like another program's.
 */
static void
test_open_race(void)
{
	struct store	*s;
	char		*dir, *cause = NULL, name[32];
	pid_t		 pids[4];
	int		 round, i, status, failed = 0, opened = 0;

	for (round = 0; round < 40; round++) {
		snprintf(name, sizeof name, "race%d", round);
		dir = subdir(name);
		fflush(stdout);
		for (i = 0; i < 4; i++) {
			if ((pids[i] = fork()) == 0) {
				s = store_open(dir, 0, &cause);
				if (s == NULL) {
					printf("# round %d: %s\n", round, cause);
					fflush(stdout);
					_exit(1);
				}
				store_close(s);
				_exit(0);
			}
		}
		for (i = 0; i < 4; i++) {
			if (pids[i] == -1 || waitpid(pids[i], &status, 0) == -1)
				failed++;
			else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				opened++;
			else
				failed++;
		}
		free(dir);
	}
	ok(failed == 0, "4 processes opening a new state directory at once, "
	    "40 times: %d opened, %d failed", opened, failed);
}

static void
test_refuse_bad_files(void)
{
	struct store	*s;
	sqlite3		*db;
	char		*dir, *path, *cause = NULL, junk[4096];
	size_t		 i;
	int		 fd;

	/* Random bytes. */
	dir = subdir("junk");
	mkdir(dir, 0700);
	path = xasprintf("%s/%s", dir, STORE_DB_NAME);
	srand(42);
	for (i = 0; i < sizeof junk; i++)
		junk[i] = (char)rand();
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ok(fd != -1 && write(fd, junk, sizeof junk) == (ssize_t)sizeof junk,
	    "wrote a random-bytes file");
	close(fd);
	s = store_open(dir, 0, &cause);
	ok(s == NULL, "random bytes refused");
	ok(cause != NULL && strstr(cause, path) != NULL &&
	    strchr(cause, '\n') == NULL, "one-line cause names the file: %s",
	    cause ? cause : "(null)");
	ok(cause != NULL && strstr(cause, "not a database") != NULL,
	    "cause says it is not a database");
	free(cause);
	cause = NULL;
	free(path);
	free(dir);

	/* Another program's SQLite database. */
	dir = subdir("foreign");
	mkdir(dir, 0700);
	path = xasprintf("%s/%s", dir, STORE_DB_NAME);
	ok(sqlite3_open(path, &db) == SQLITE_OK && sqlite3_exec(db,
	    "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');",
	    NULL, NULL, NULL) == SQLITE_OK, "made a foreign database");
	sqlite3_close(db);
	s = store_open(dir, 0, &cause);
	ok(s == NULL, "foreign database refused");
	ok(cause != NULL && strstr(cause, "not a wirewatch database") != NULL,
	    "cause: %s", cause ? cause : "(null)");
	free(cause);
	cause = NULL;
	/* It was not touched: still one table, no WAL switch. */
	sqlite3_open(path, &db);
	{
		sqlite3_stmt	*st;

		sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1,
		    &st, NULL);
		sqlite3_step(st);
		is_int(sqlite3_column_int(st, 0), 1, "foreign database left alone");
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	free(path);
	free(dir);

	/* Ours, but from a newer version. */
	dir = subdir("newer");
	s = store_open(dir, 0, &cause);
	store_close(s);
	path = xasprintf("%s/%s", dir, STORE_DB_NAME);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	s = store_open(dir, 0, &cause);
	ok(s == NULL && cause != NULL && strstr(cause, "newer wirewatch") != NULL,
	    "newer schema refused: %s", cause ? cause : "(null)");
	free(cause);
	free(path);
	free(dir);
}

static void
test_feeds(struct store *s)
{
	struct store_feed	*v, f;
	struct store_poll	 p;
	size_t			 n;
	char			*cause = NULL;
	int64_t			 id, id2;

	set_now(1000);
	is_int(store_feed_add(s, "https://b.example/feed", NULL, NULL, 0, &id,
	    &cause), 1, "add b");
	is_int(store_feed_add(s, "https://a.example/feed", "A", "world,europe",
	    600, NULL, &cause), 1, "add a");
	is_int(store_feed_add(s, "https://b.example/feed", "B", NULL, 0, &id2,
	    &cause), 0, "adding again updates");
	is_int(id2, id, "same id");
	ok(store_feed_list(s, &v, &n, &cause) == 0 && n == 2, "two feeds listed");
	if (n == 2) {
		is_str(v[0].url, "https://a.example/feed", "ordered by url");
		is_str(v[0].tags, "world,europe", "tags");
		is_str(v[1].name, "B", "name updated");
		is_int(v[1].status, STORE_FEED_NEW, "never polled: new");
	}
	store_feed_list_free(v, n);

	memset(&p, 0, sizeof p);
	p.attempt = 2000;
	p.http_status = 200;
	p.etag = "\"abc\"";
	p.last_modified = "Sat, 28 Nov 2026 09:00:00 GMT";
	p.next_poll = 3800;
	is_int(store_feed_update_health(s, id, &p, &cause), 0, "success: 0 failures");
	memset(&p, 0, sizeof p);
	p.attempt = 4000;
	p.http_status = 503;
	p.error = "HTTP 503";
	p.next_poll = 4600;
	is_int(store_feed_update_health(s, id, &p, &cause), 1, "failure 1");
	p.attempt = 5000;
	p.error = "timed out";
	p.http_status = 0;
	is_int(store_feed_update_health(s, id, &p, &cause), 2, "failure 2");
	store_feed_get(s, "https://b.example/feed", &f, &cause);
	is_int(f.status, STORE_FEED_FAILING, "failing");
	is_int(f.last_success, 2000, "last success kept");
	is_int(f.last_attempt, 5000, "last attempt");
	is_str(f.error, "timed out", "error text");
	is_str(f.etag, "\"abc\"", "etag kept through failures");
	is_int(f.next_poll, 4600, "next poll");
	store_feed_release(&f);

	memset(&p, 0, sizeof p);
	p.attempt = 6000;
	p.http_status = 304;
	p.etag = NULL;			/* keep */
	p.last_modified = "";		/* clear */
	p.moved_to = "https://b2.example/feed";
	is_int(store_feed_update_health(s, id, &p, &cause), 0, "recovered");
	store_feed_get(s, "https://b.example/feed", &f, &cause);
	is_int(f.status, STORE_FEED_OK, "ok again");
	ok(f.error == NULL, "error cleared");
	is_str(f.etag, "\"abc\"", "NULL validator keeps the value");
	ok(f.last_modified == NULL, "empty validator clears it");
	is_str(f.moved_to, "https://b2.example/feed", "moved_to recorded");
	store_feed_release(&f);

	p.attempt = 7000;
	p.http_status = 410;
	p.error = "HTTP 410 Gone";
	p.gone = 1;
	store_feed_update_health(s, id, &p, &cause);
	store_feed_get(s, "https://b.example/feed", &f, &cause);
	is_int(f.status, STORE_FEED_GONE, "410 marks the feed gone");
	store_feed_release(&f);

	ok(store_feed_update_health(s, 99999, &p, &cause) == -1 && cause != NULL,
	    "health of an unknown feed is an error");
	free(cause);
	cause = NULL;
	is_int(store_feed_get(s, "https://nope.example/", &f, &cause), 0,
	    "unknown url: 0");
	is_int(store_feed_remove(s, "https://a.example/feed", &cause), 1, "remove a");
	is_int(store_feed_remove(s, "https://a.example/feed", &cause), 0,
	    "remove a again: 0");
}

static void
show(const struct store_matched *m)
{
	printf("# matched %s %s %c %s\n", m->story_key ? m->story_key : "-",
	    m->title ? m->title : "-", m->kind, m->rule);
}

struct seen {
	int	 n;
	char	 titles[8][64];
	char	 rules[8][32];
};

static int
record(const struct store_matched *m, void *arg)
{
	struct seen	*sn = arg;

	show(m);
	if (sn->n < 8) {
		snprintf(sn->titles[sn->n], sizeof sn->titles[0], "%s",
		    m->title ? m->title : "");
		snprintf(sn->rules[sn->n], sizeof sn->rules[0], "%s", m->rule);
	}
	sn->n++;
	return 0;
}

static int
walked(const struct store_stored *it, void *arg)
{
	struct seen	*sn = arg;

	if (sn->n < 8) {
		snprintf(sn->titles[sn->n], sizeof sn->titles[0], "%s",
		    it->title ? it->title : "");
		snprintf(sn->rules[sn->n], sizeof sn->rules[0], "%s",
		    it->summary ? it->summary : "");
	}
	sn->n++;
	return 0;
}

static int
walk_stop(const struct store_stored *it, void *arg)
{
	((struct seen *)arg)->n++;
	return 7;
}

static void
test_items(const char *dir)
{
	struct store	*s;
	struct item	 it;
	struct seen	 sn;
	char		*cause = NULL;
	int64_t		 f1, f2, i1, i2, i3, i4, again;
	long		 pruned = -1, forgotten = -1;

	s = store_open(dir, 0, &cause);
	set_now(10000);
	store_feed_add(s, "https://one.example/rss", "One", NULL, 0, &f1, &cause);
	store_feed_add(s, "https://two.example/rss", NULL, NULL, 0, &f2, &cause);

	ok(store_poll_begin(s, &cause) == 0, "poll transaction begins");
	it = mkitem("g1", "China and Belarus sign pact",
	    "https://news.example/pact?utm_source=rss");
	is_int(store_item_add(s, f1, &it, &i1, &cause), STORE_NEW, "g1 new");
	it = mkitem("g2", "Weather", "https://news.example/weather");
	is_int(store_item_add(s, f1, &it, &i2, &cause), STORE_NEW, "g2 new");
	it = mkitem("g1", "China and Belarus sign pact (updated)",
	    "https://news.example/pact");
	is_int(store_item_add(s, f1, &it, &again, &cause), STORE_KNOWN,
	    "g1 again: known");
	is_int(again, i1, "known item keeps its id");
	ok(store_poll_commit(s, &cause) == 0, "poll committed");
	ok(store_poll_commit(s, &cause) == -1, "commit without transaction refused");
	free(cause);
	cause = NULL;

	/* Same story through another feed, different guid and tracking. */
	it = mkitem("other-guid", "Pact signed",
	    "http://www.news.example/pact/?fbclid=zz#comments");
	is_int(store_item_add(s, f2, &it, &i3, &cause), STORE_NEW_DUP,
	    "same article from another feed: new item, known story");
	/* No link: the title is the story. */
	it = mkitem("g4", "Sanctions: EU adds Belarus firms", NULL);
	is_int(store_item_add(s, f2, &it, &i4, &cause), STORE_NEW, "title-only item new");

	/* A rolled-back poll leaves nothing behind. */
	store_poll_begin(s, &cause);
	it = mkitem("rolled", "Gone", "https://news.example/rolled");
	is_int(store_item_add(s, f1, &it, NULL, &cause), STORE_NEW, "added in a poll");
	store_poll_rollback(s);
	is_int(store_item_seen(s, f1, "rolled", &cause), 0, "rolled back item unknown");
	store_close(s);

	/* Across a reopen, items stay known. */
	s = store_open(dir, 0, &cause);
	is_int(store_item_seen(s, f1, "g1", &cause), 1, "g1 known after reopen");
	is_int(store_item_seen(s, f2, "g1", &cause), 0, "g1 unknown in another feed");
	it = mkitem("g2", "Weather", "https://news.example/weather");
	is_int(store_item_add(s, f1, &it, NULL, &cause), STORE_KNOWN,
	    "g2 known after reopen");

	/* Matches and the digest walk. */
	set_now(10100);
	ok(store_match_add(s, i1, "china", 'a', "{\"china\":[]}", &cause) == 0,
	    "match added");
	store_match_add(s, i1, "china-belarus", 'w', NULL, &cause);
	store_match_add(s, i3, "china-belarus", 'w', NULL, &cause);
	store_match_add(s, i4, "sanctions", 't', NULL, &cause);
	ok(store_match_add(s, i1, "china", 'a', "{}", &cause) == 0,
	    "same match again replaces the evidence");
	memset(&sn, 0, sizeof sn);
	is_int(store_items_matched(s, 0, 0, NULL, record, &sn, &cause), 0,
	    "walk matches");
	is_int(sn.n, 4, "four (item, rule) rows");
	/* The two items of the pact story come first and together. */
	/* Ordered by story key ("t:" before "u:"); one story's items together. */
	is_str(sn.titles[0], "Sanctions: EU adds Belarus firms", "title story first");
	is_str(sn.rules[1], "china", "then the pact story: first item, rule order");
	is_str(sn.rules[2], "china-belarus", "its second rule");
	is_str(sn.titles[3], "Pact signed", "then the same story from the other feed");
	memset(&sn, 0, sizeof sn);
	store_items_matched(s, 0, 0, "china-belarus", record, &sn, &cause);
	is_int(sn.n, 2, "rule filter");
	memset(&sn, 0, sizeof sn);
	store_items_matched(s, 10001, 0, NULL, record, &sn, &cause);
	is_int(sn.n, 0, "since filter excludes older items");

	/* Notifications: one per story and watch. */
	{
		struct store_notification	*nv;
		size_t				 nn;
		int64_t				 n1, n2;

		is_int(store_notification_add(s, i1, "china-belarus",
		    STORE_N_PENDING, &n1, &cause), 1, "notification queued");
		is_int(store_notification_add(s, i3, "china-belarus",
		    STORE_N_PENDING, NULL, &cause), 0,
		    "same story from another feed is not queued again");
		is_int(store_notification_add(s, i1, "china-belarus",
		    STORE_N_PENDING, NULL, &cause), 0, "same item twice: 0");
		is_int(store_notification_add(s, i4, "sanctions-belarus",
		    STORE_N_HELD, &n2, &cause), 1, "held notification queued");
		ok(store_notification_add(s, 424242, "x", STORE_N_PENDING, NULL,
		    &cause) == -1, "unknown item: error");
		free(cause);
		cause = NULL;
		store_notification_list(s, STORE_N_PENDING, 0, 0, &nv, &nn, &cause);
		is_int(nn, 1, "one pending");
		if (nn == 1) {
			is_str(nv[0].title, "China and Belarus sign pact", "with title");
			is_str(nv[0].feed_name, "One", "with feed name");
			is_str(nv[0].story_key, "u:news.example/pact", "with story");
		}
		store_notification_list_free(nv, nn);
		set_now(10200);
		ok(store_notification_set(s, n1, STORE_N_FAILED, 0, 0, &cause) == 0,
		    "failed once");
		store_notification_list(s, STORE_N_FAILED, 0, 1, &nv, &nn, &cause);
		is_int(nn, 0, "over max attempts: not listed for retry");
		store_notification_list_free(nv, nn);
		store_notification_list(s, STORE_N_FAILED, 0, 3, &nv, &nn, &cause);
		is_int(nn, 1, "under max attempts: listed");
		store_notification_list_free(nv, nn);
		ok(store_notification_set(s, n2, STORE_N_SENT, 17, 0, &cause) == 0,
		    "held one sent");
		ok(store_notification_set(s, n1, STORE_N_SENT, 18, n2, &cause) == 0,
		    "failed one sent, replacing the other");
		store_notification_list(s, STORE_N_SENT, 0, 0, &nv, &nn, &cause);
		is_int(nn, 2, "two sent");
		if (nn == 2) {
			/* Oldest first: n1 was queued first. */
			is_int(nv[0].id, n1, "oldest first");
			is_int(nv[0].server_id, 18, "server id kept");
			is_int(nv[0].replaces_id, n2, "replaces id kept");
			is_int(nv[0].sent_at, 10200, "sent_at");
			is_int(nv[0].attempts, 2, "attempts counted (failed, sent)");
		}
		store_notification_list_free(nv, nn);
		ok(store_notification_set(s, 999999, STORE_N_SENT, 0, 0, &cause) == -1,
		    "unknown notification: error");
		free(cause);
		cause = NULL;
	}

	/* Backtesting walks stored items with their text. */
	{
		struct seen	w;

		memset(&w, 0, sizeof w);
		is_int(store_items_walk(s, 0, 0, walked, &w, &cause), 0, "walk items");
		is_int(w.n, 4, "four stored items");
		is_str(w.titles[0], "China and Belarus sign pact", "oldest first");
		is_str(w.rules[0], "summary", "with the summary");
		memset(&w, 0, sizeof w);
		is_int(store_items_walk(s, 0, 0, walk_stop, &w, &cause), 7,
		    "callback stops the walk");
		is_int(w.n, 1, "after one item");
	}

	/* Retention: unmatched old items lose their text, not their identity. */
	set_now(50000);
	ok(store_prune(s, 20000, 0, &pruned, &forgotten, &cause) == 0, "prune");
	is_int(pruned, 1, "only the unmatched item (weather) pruned");
	is_int(forgotten, 0, "nothing forgotten");
	it = mkitem("g2", "Weather", "https://news.example/weather");
	is_int(store_item_add(s, f1, &it, NULL, &cause), STORE_KNOWN,
	    "pruned item is still known");
	{
		struct store_stats	st;

		ok(store_stats(s, &st, &cause) == 0, "stats");
		is_int(st.items, 4, "4 items");
		is_int(st.items_pruned, 1, "1 pruned");
		is_int(st.matches, 4, "4 matches");
		is_int(st.notif_sent, 2, "2 sent");
		is_int(st.feeds, 3, "3 feeds (one from the feed tests)");
		ok(st.db_bytes > 0, "db size");
	}
	{
		struct seen	w;

		memset(&w, 0, sizeof w);
		store_items_walk(s, 0, 0, walked, &w, &cause);
		is_int(w.n, 3, "pruned items are not walked");
	}
	/* Its last_seen is now 50000; forgetting before that keeps it. */
	store_prune(s, 20000, 40000, &pruned, &forgotten, &cause);
	is_int(forgotten, 0, "identity seen recently is kept");
	store_prune(s, 20000, 60000, &pruned, &forgotten, &cause);
	is_int(forgotten, 1, "identity not seen for long is forgotten");
	is_int(store_item_seen(s, f1, "g2", &cause), 0, "forgotten item unknown");
	is_int(store_item_seen(s, f1, "g1", &cause), 1, "matched item kept");

	/* Removing a feed takes its items, matches, notifications along. */
	is_int(store_feed_remove(s, "https://one.example/rss", &cause), 1,
	    "feed removed");
	memset(&sn, 0, sizeof sn);
	store_items_matched(s, 0, 0, NULL, record, &sn, &cause);
	is_int(sn.n, 2, "only the other feed's matches remain");
	store_close(s);
}

/*
 * A reader works while another connection holds the write lock, and a
 * second writer waits (busy_timeout) instead of failing.
 */
static void
test_concurrency(const char *dir)
{
	/* b is static so that the forked child's leak check still reaches it */
	static struct store	*b;
	struct store		*a;
	struct store_feed	*v, f;
	size_t			 n;
	char			*cause = NULL, c;
	int			 fds[2], status;
	pid_t			 pid;

	a = store_open(dir, 0, &cause);
	b = store_open(dir, 0, &cause);
	ok(a != NULL && b != NULL, "two connections");
	ok(store_poll_begin(a, &cause) == 0, "A holds the write lock");
	store_feed_add(a, "https://uncommitted.example/", NULL, NULL, 0, NULL, &cause);
	ok(store_feed_list(b, &v, &n, &cause) == 0, "B reads during A's write");
	ok(n == 2, "B does not see A's uncommitted feed (%zu)", n);
	store_feed_list_free(v, n);
	ok(store_poll_commit(a, &cause) == 0, "A commits");
	store_close(a);

	/* A child holds the write lock for a moment; we wait for it. */
	if (pipe(fds) == -1)
		return;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct store	*cs;

		close(fds[0]);
		cs = store_open(dir, 0, NULL);
		if (cs == NULL || store_poll_begin(cs, NULL) == -1)
			_exit(1);
		store_feed_add(cs, "https://child.example/", NULL, NULL, 0,
		    NULL, NULL);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		usleep(300000);
		if (store_poll_commit(cs, NULL) == -1)
			_exit(1);
		store_close(cs);
		_exit(0);
	}
	close(fds[1]);
	ok(read(fds[0], &c, 1) == 1, "child holds the write lock");
	close(fds[0]);
	ok(store_poll_begin(b, &cause) == 0, "B's write waits for the child, "
	    "no SQLITE_BUSY: %s", cause ? cause : "");
	ok(store_feed_get(b, "https://child.example/", &f, &cause) == 1,
	    "B sees the child's committed feed");
	store_feed_release(&f);
	store_poll_commit(b, &cause);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child done");
	store_close(b);
}

/*
 * SIGKILL in the middle of a poll transaction: every committed poll is
 * there, the one in flight is wholly absent, the file is sound.
 */
static void
test_kill(void)
{
	struct store	*s;
	struct item	 it;
	char		*dir, *cause = NULL, g[32], c;
	int64_t		 fid;
	int		 fds[2], status, i, n, committed = 0, missing = 0, extra = 0;
	pid_t		 pid;

	dir = subdir("kill");
	s = store_open(dir, 0, &cause);
	store_feed_add(s, "https://k.example/", NULL, NULL, 0, &fid, &cause);
	store_close(s);
	if (pipe(fds) == -1)
		return;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		close(fds[0]);
		s = store_open(dir, 0, NULL);
		for (n = 0;; n++) {
			if (store_poll_begin(s, NULL) == -1)
				_exit(1);
			for (i = 0; i < 50; i++) {
				snprintf(g, sizeof g, "p%d-i%d", n, i);
				it = mkitem(g, g, NULL);
				store_item_add(s, fid, &it, NULL, NULL);
			}
			if (store_poll_commit(s, NULL) == -1)
				_exit(1);
			if (write(fds[1], "c", 1) != 1)
				_exit(1);
		}
	}
	close(fds[1]);
	for (n = 0; n < 20 && read(fds[0], &c, 1) == 1; n++)
		committed++;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(fds[0]);
	ok(WIFSIGNALED(status), "writer killed after %d commits", committed);

	s = store_open(dir, 0, &cause);
	ok(s != NULL, "reopens after SIGKILL");
	if (s == NULL)
		return;
	ok(store_check(s, &cause) == 0, "file sound after SIGKILL");
	for (n = 0; n < committed; n++)
		for (i = 0; i < 50; i++) {
			snprintf(g, sizeof g, "p%d-i%d", n, i);
			if (store_item_seen(s, fid, g, &cause) != 1)
				missing++;
		}
	is_int(missing, 0, "every committed item is there");
	/* Polls after the last one reported: whole or absent, never half. */
	for (n = committed; n < committed + 1000; n++) {
		int	got = 0;

		for (i = 0; i < 50; i++) {
			snprintf(g, sizeof g, "p%d-i%d", n, i);
			got += store_item_seen(s, fid, g, &cause) == 1;
		}
		if (got != 0 && got != 50)
			extra++;
		if (got == 0)
			break;
	}
	is_int(extra, 0, "no half-written poll");
	store_close(s);
	free(dir);
}

static void
test_lock(const char *dir)
{
	char	*cause = NULL;
	int	 fd, fd2;

	fd = store_lock_agent(dir, &cause);
	ok(fd >= 0, "first agent takes the lock");
	fd2 = store_lock_agent(dir, &cause);
	ok(fd2 == -1, "second agent refused");
	ok(cause != NULL && strstr(cause, "another wirewatch agent") != NULL,
	    "cause: %s", cause ? cause : "(null)");
	free(cause);
	cause = NULL;
	store_unlock_agent(fd);
	fd2 = store_lock_agent(dir, &cause);
	ok(fd2 >= 0, "lock free again after unlock");
	store_unlock_agent(fd2);
}

/*
 * store_agent_pid() asks without taking the lock: an agent starting while
 * `status` probes is never turned away.
 */
static void
test_agent_pid(const char *dir)
{
	char	*cause = NULL;
	pid_t	 child;
	int	 fd, i, refused = 0, st;

	ok(store_agent_pid(dir) == 0, "no agent: store_agent_pid is 0");
	fd = store_lock_agent(dir, &cause);
	ok(fd >= 0, "an agent takes the lock");
	ok(store_agent_pid(dir) == (long)getpid(), "store_agent_pid names its pid");
	{
		int	fd2 = store_lock_agent(dir, &cause);
		char	want[64];

		snprintf(want, sizeof want, "(pid %ld)", (long)getpid());
		ok(fd2 == -1 && cause != NULL && strstr(cause, want) != NULL,
		    "the refusal names the running agent: %s", cause ? cause : "(null)");
		free(cause);
		cause = NULL;
	}
	store_unlock_agent(fd);
	ok(store_agent_pid(dir) == 0, "a lock file left with a pid but no lock is no agent");

	/* A child probes without pause while we take and drop the lock. */
	if ((child = fork()) == 0) {
		for (i = 0; i < 20000; i++)
			(void)store_agent_pid(dir);
		_exit(0);
	}
	for (i = 0; i < 2000; i++) {
		if ((fd = store_lock_agent(dir, &cause)) == -1) {
			refused++;
			free(cause);
			cause = NULL;
			continue;
		}
		store_unlock_agent(fd);
	}
	waitpid(child, &st, 0);
	ok(refused == 0, "2000 agent starts during constant probing: %d refused", refused);
}

int
main(void)
{
	struct store	*s;
	/* static: still reachable in a forked child's leak check (valgrind) */
	static char	*dir;
	char		*cause = NULL;

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	test_canonical();
	test_open_and_migrate();
	test_refuse_bad_files();
	test_open_race();

	dir = subdir("main");
	s = store_open(dir, 0, &cause);
	test_feeds(s);
	store_close(s);
	test_items(dir);
	free(dir);
	dir = subdir("conc");
	s = store_open(dir, STORE_SYNC_FULL, &cause);
	store_feed_add(s, "https://x.example/", NULL, NULL, 0, NULL, &cause);
	store_feed_add(s, "https://y.example/", NULL, NULL, 0, NULL, &cause);
	store_close(s);
	test_concurrency(dir);
	test_lock(dir);
	test_agent_pid(dir);
	free(dir);
	test_kill();
	store_close(NULL);

	dir = xasprintf("rm -rf '%s'", tmpdir);
	if (system(dir) != 0)
		printf("# could not remove %s\n", tmpdir);
	free(dir);
	return tap_done();
}
