/*
 * The state store on SQLite: schema and forward migrations, feeds and their
 * health, item identities and stories, matches, the notification queue,
 * retention. The only file that includes sqlite3.h. It does no network or
 * feed-file I/O; the only files it touches are DIR/wirewatch.db (with its
 * -wal and -shm companions) and DIR/agent.lock.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "date.h"
#include "feed.h"
#include "log.h"
#include "store.h"
#include "util.h"

/* PRAGMA application_id: "WWdb", tells our files from other programs'. */
#define STORE_APP_ID	0x57576462

/*
 * Forward migrations: migrations[v - 1] takes the schema from version v - 1
 * to v. Never edit a released step; add a new one.
 */
static const char *const migrations[STORE_VERSION] = {
	/* 1: the initial schema. */
	"CREATE TABLE feeds ("
	"  id INTEGER PRIMARY KEY,"
	"  url TEXT NOT NULL UNIQUE,"
	"  name TEXT,"
	"  tags TEXT,"
	"  interval INTEGER NOT NULL DEFAULT 0,"
	"  etag TEXT,"
	"  last_modified TEXT,"
	"  body_hash TEXT,"
	"  last_attempt INTEGER NOT NULL DEFAULT 0,"
	"  last_success INTEGER NOT NULL DEFAULT 0,"
	"  http_status INTEGER NOT NULL DEFAULT 0,"
	"  error TEXT,"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  next_poll INTEGER NOT NULL DEFAULT 0,"
	"  gone INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE items ("
	"  id INTEGER PRIMARY KEY,"
	"  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	"  guid TEXT NOT NULL,"
	"  story_key TEXT,"
	"  title TEXT,"
	"  link TEXT,"
	"  summary TEXT,"
	"  content TEXT,"
	"  published INTEGER,"
	"  updated INTEGER,"
	"  first_seen INTEGER NOT NULL,"
	"  pruned INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (feed_id, guid));"
	"CREATE INDEX items_story ON items(story_key) WHERE story_key IS NOT NULL;"
	"CREATE INDEX items_first_seen ON items(first_seen);"
	"CREATE TABLE matches ("
	"  id INTEGER PRIMARY KEY,"
	"  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
	"  rule TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  evidence TEXT,"
	"  created INTEGER NOT NULL,"
	"  UNIQUE (item_id, rule));"
	"CREATE TABLE notifications ("
	"  id INTEGER PRIMARY KEY,"
	"  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
	"  story_key TEXT,"
	"  watch TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending', 'sent', 'failed', 'held')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL,"
	"  sent_at INTEGER NOT NULL DEFAULT 0,"
	"  replaces_id INTEGER REFERENCES notifications(id) ON DELETE SET NULL,"
	"  UNIQUE (item_id, watch),"
	"  UNIQUE (story_key, watch));",

	/*
	 * 2: where a feed moved to (permanent redirects), when an item was last
	 * in its feed (so identities can be forgotten safely), the notification
	 * server's id, and an index for the queue.
	 */
	"ALTER TABLE feeds ADD COLUMN moved_to TEXT;"
	"ALTER TABLE items ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;"
	"UPDATE items SET last_seen = first_seen;"
	"ALTER TABLE notifications ADD COLUMN server_id INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX notifications_state ON notifications(state, created);"
	"CREATE INDEX matches_item ON matches(item_id);",
};

enum {
	ST_FEED_ID,
	ST_FEED_INSERT,
	ST_FEED_UPDATE,
	ST_FEED_DELETE,
	ST_FEED_GET,
	ST_FEED_LIST,
	ST_FEED_OK,
	ST_FEED_FAIL,
	ST_FEED_FAILURES,
	ST_ITEM_SEEN,
	ST_ITEM_FIND,
	ST_ITEM_TOUCH,
	ST_ITEM_STORY,
	ST_ITEM_INSERT,
	ST_MATCH_ADD,
	ST_MATCHED,
	ST_NOTIF_ADD,
	ST_NOTIF_SET,
	ST_NOTIF_LIST,
	ST_ITEM_EXISTS,
	ST_ITEMS_WALK,
	ST__COUNT
};

#define FEED_COLUMNS \
	"SELECT f.id, f.url, f.name, f.tags, f.interval, f.moved_to, f.etag," \
	" f.last_modified, f.body_hash, f.last_attempt, f.last_success," \
	" f.next_poll, f.http_status, f.error, f.failures, f.gone, f.created," \
	" (SELECT count(*) FROM items i WHERE i.feed_id = f.id) FROM feeds f "

/* ?3 NULL keeps the column, '' clears it, anything else replaces it. */
#define KEEP_OR_SET(col, n) \
	col " = CASE WHEN ?" #n " IS NULL THEN " col \
	" WHEN ?" #n " = '' THEN NULL ELSE ?" #n " END"

static const char *const stmt_sql[ST__COUNT] = {
	[ST_FEED_ID] = "SELECT id FROM feeds WHERE url = ?1",
	[ST_FEED_INSERT] = "INSERT INTO feeds (url, name, tags, interval, created)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_FEED_UPDATE] = "UPDATE feeds SET name = ?2, tags = ?3, interval = ?4"
	    " WHERE id = ?1",
	[ST_FEED_DELETE] = "DELETE FROM feeds WHERE url = ?1",
	[ST_FEED_GET] = FEED_COLUMNS "WHERE f.url = ?1",
	[ST_FEED_LIST] = FEED_COLUMNS "ORDER BY f.url",
	[ST_FEED_OK] = "UPDATE feeds SET last_attempt = ?2, last_success = ?2,"
	    " http_status = ?3, error = NULL, failures = 0, next_poll = ?4,"
	    " gone = ?5, " KEEP_OR_SET("moved_to", 6) ", "
	    KEEP_OR_SET("etag", 7) ", " KEEP_OR_SET("last_modified", 8) ", "
	    KEEP_OR_SET("body_hash", 9)
	    " WHERE id = ?1",
	[ST_FEED_FAIL] = "UPDATE feeds SET last_attempt = ?2, http_status = ?3,"
	    " error = ?10, failures = failures + 1, next_poll = ?4, gone = ?5, "
	    KEEP_OR_SET("moved_to", 6)
	    " WHERE id = ?1",
	[ST_FEED_FAILURES] = "SELECT failures FROM feeds WHERE id = ?1",
	[ST_ITEM_SEEN] = "SELECT 1 FROM items WHERE feed_id = ?1 AND guid = ?2",
	[ST_ITEM_FIND] = "SELECT id, last_seen FROM items"
	    " WHERE feed_id = ?1 AND guid = ?2",
	[ST_ITEM_TOUCH] = "UPDATE items SET last_seen = ?2 WHERE id = ?1",
	[ST_ITEM_STORY] = "SELECT 1 FROM items WHERE story_key = ?1 LIMIT 1",
	[ST_ITEM_INSERT] = "INSERT INTO items (feed_id, guid, story_key, title,"
	    " link, summary, content, published, updated, first_seen, last_seen)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
	[ST_MATCH_ADD] = "INSERT INTO matches (item_id, rule, kind, evidence,"
	    " created) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (item_id, rule)"
	    " DO UPDATE SET kind = excluded.kind, evidence = excluded.evidence",
	[ST_MATCHED] = "SELECT i.id, f.id, f.url, f.name, i.story_key, i.guid,"
	    " i.title, i.link, i.summary, i.published, i.first_seen, m.rule,"
	    " m.kind, m.evidence, m.created"
	    " FROM matches m JOIN items i ON i.id = m.item_id"
	    " JOIN feeds f ON f.id = i.feed_id"
	    " WHERE i.first_seen >= ?1 AND (?2 = 0 OR i.first_seen < ?2)"
	    " AND (?3 IS NULL OR m.rule = ?3)"
	    " ORDER BY i.story_key IS NULL, i.story_key, i.first_seen, i.id, m.rule",
	[ST_NOTIF_ADD] = "INSERT INTO notifications (item_id, story_key, watch,"
	    " state, created) SELECT id, story_key, ?2, ?3, ?4 FROM items"
	    " WHERE id = ?1 ON CONFLICT DO NOTHING",
	[ST_NOTIF_SET] = "UPDATE notifications SET state = ?2,"
	    " sent_at = CASE WHEN ?2 = 'sent' THEN ?3 ELSE sent_at END,"
	    " server_id = CASE WHEN ?2 = 'sent' THEN ?4 ELSE server_id END,"
	    " replaces_id = CASE WHEN ?2 = 'sent' AND ?5 != 0 THEN ?5"
	    "   ELSE replaces_id END,"
	    " attempts = attempts + (?2 IN ('sent', 'failed'))"
	    " WHERE id = ?1",
	[ST_NOTIF_LIST] = "SELECT n.id, n.item_id, n.watch, n.story_key, n.state,"
	    " n.attempts, n.created, n.sent_at, coalesce(n.replaces_id, 0),"
	    " n.server_id, i.title, i.link, coalesce(f.name, f.url)"
	    " FROM notifications n JOIN items i ON i.id = n.item_id"
	    " JOIN feeds f ON f.id = i.feed_id"
	    " WHERE n.state = ?1 AND (?2 = 0 OR n.attempts < ?2)"
	    " ORDER BY n.created, n.id LIMIT ?3",
	[ST_ITEM_EXISTS] = "SELECT 1 FROM items WHERE id = ?1",
	[ST_ITEMS_WALK] = "SELECT i.id, f.id, f.url, f.name, i.guid, i.story_key,"
	    " i.title, i.link, i.summary, i.content, i.published, i.first_seen"
	    " FROM items i JOIN feeds f ON f.id = i.feed_id"
	    " WHERE i.pruned = 0 AND i.first_seen >= ?1"
	    " AND (?2 = 0 OR i.first_seen < ?2) ORDER BY i.first_seen, i.id",
};

struct store {
	sqlite3		*db;
	char		*path;
	int		 in_tx;
	int		 version;
	sqlite3_stmt	*st[ST__COUNT];
};

static const char *const nstate_names[] = {
	[STORE_N_PENDING] = "pending",
	[STORE_N_SENT] = "sent",
	[STORE_N_FAILED] = "failed",
	[STORE_N_HELD] = "held",
};

static const char *const feed_status_names[] = {
	[STORE_FEED_NEW] = "new",
	[STORE_FEED_OK] = "ok",
	[STORE_FEED_FAILING] = "failing",
	[STORE_FEED_GONE] = "gone",
};

static void
set_cause(char **cause, char *msg)
{
	if (cause != NULL)
		*cause = msg;
	else
		free(msg);
}

/* The database's last error as a cause: "PATH: what: message". */
static void
db_cause(struct store *s, char **cause, const char *what)
{
	set_cause(cause, xasprintf("%s: %s: %s", s->path, what,
	    sqlite3_errmsg(s->db)));
}

static int
db_exec(struct store *s, const char *sql, char **cause)
{
	char	*err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		set_cause(cause, xasprintf("%s: %s", s->path,
		    err != NULL ? err : sqlite3_errmsg(s->db)));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* A cached statement, reset and with its bindings cleared; NULL on error. */
static sqlite3_stmt *
stmt(struct store *s, int which, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = s->st[which]) != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	if (sqlite3_prepare_v3(s->db, stmt_sql[which], -1,
	    SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		db_cause(s, cause, "prepare");
		return NULL;
	}
	s->st[which] = st;
	return st;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

static void
bind_date(sqlite3_stmt *st, int i, int64_t t)
{
	if (t == DATE_NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, t);
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char	*t;

	if ((t = sqlite3_column_text(st, i)) == NULL)
		return NULL;
	return xstrdup((const char *)t);
}

static const char *
col_str(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Step a statement that returns no row; reset it afterwards. */
static int
step_done(struct store *s, sqlite3_stmt *st, char **cause, const char *what)
{
	int	rc;

	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_cause(s, cause, what);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

/* One integer from a query; -1 on error. */
static int
query_int(struct store *s, const char *sql, int64_t *out, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_cause(s, cause, "read");
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		*out = 0;
	else {
		db_cause(s, cause, "read");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/* mkdir -p, the directories created with mode 0700. */
static int
make_dirs(const char *dir, char **cause)
{
	struct stat	 st;
	char		*p, *q;

	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		set_cause(cause, xasprintf("%s: not a directory", dir));
		return -1;
	}
	p = xstrdup(dir);
	for (q = p + 1; *q != '\0'; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST) {
			set_cause(cause, xasprintf("%s: %s", p, strerror(errno)));
			free(p);
			return -1;
		}
		*q = '/';
	}
	free(p);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		set_cause(cause, xasprintf("%s: %s", dir, strerror(errno)));
		return -1;
	}
	return 0;
}

static int
migrate(struct store *s, int max, char **cause)
{
	char	*sql;
	int64_t	 v;
	int	 i;

	if (db_exec(s, "BEGIN IMMEDIATE", cause) == -1)
		return -1;
	/* Read again under the lock: another process may have migrated. */
	if (query_int(s, "PRAGMA user_version", &v, cause) == -1)
		goto fail;
	for (i = (int)v; i < max; i++) {
		if (db_exec(s, migrations[i], cause) == -1)
			goto fail;
		log_debug("%s: schema migrated to version %d", s->path, i + 1);
	}
	if (v < max) {
		sql = xasprintf("PRAGMA user_version = %d;"
		    " PRAGMA application_id = %d", max, STORE_APP_ID);
		i = db_exec(s, sql, cause);
		free(sql);
		if (i == -1)
			goto fail;
	}
	if (db_exec(s, "COMMIT", cause) == -1)
		goto fail;
	s->version = v < max ? max : (int)v;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Refuse files that are not ours before anything is written to them. */
static int
check_file(struct store *s, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 app = 0, version = 0, tables = 0;
	int		 rc;

	/*
	 * One statement, so one snapshot: read one by one, the three could
	 * straddle the commit of another process creating the schema, and
	 * a file with tables but no application id yet looks foreign.
	 */
	rc = sqlite3_prepare_v2(s->db, "SELECT"
	    " (SELECT application_id FROM pragma_application_id),"
	    " (SELECT user_version FROM pragma_user_version),"
	    " (SELECT count(*) FROM sqlite_schema)", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		app = sqlite3_column_int64(st, 0);
		version = sqlite3_column_int64(st, 1);
		tables = sqlite3_column_int64(st, 2);
	}
	if (rc != SQLITE_ROW) {
		set_cause(cause, xasprintf("%s: cannot read the state database: %s",
		    s->path, sqlite3_errmsg(s->db)));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	if (app != STORE_APP_ID && (app != 0 || tables != 0 || version != 0)) {
		set_cause(cause, xasprintf("%s: not a wirewatch database "
		    "(a SQLite file of another program)", s->path));
		return -1;
	}
	if (version > STORE_VERSION) {
		set_cause(cause, xasprintf("%s: written by a newer wirewatch "
		    "(schema %d, this one knows up to %d)", s->path, (int)version,
		    STORE_VERSION));
		return -1;
	}
	return 0;
}

/*
 * WAL lets readers run beside the agent's writes. The pragma answers with
 * the mode in force: a file system without shared memory keeps the old
 * one, which still works, with readers and the writer taking turns.
 */
static int
set_wal(struct store *s, char **cause)
{
	sqlite3_stmt		*st;
	const unsigned char	*mode;
	int			 rc, waited = 0;

	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st,
	    NULL) != SQLITE_OK) {
		db_cause(s, cause, "journal mode");
		return -1;
	}
	/*
	 * Switching a new file to WAL needs it alone, and SQLite does not
	 * call the busy handler for it: while another process creates the
	 * same file, wait here as the busy timeout would.
	 */
	while (((rc = sqlite3_step(st)) & 0xff) == SQLITE_BUSY && waited < STORE_BUSY_MS) {
		sqlite3_reset(st);
		usleep(10000);
		waited += 10;
	}
	if (rc == SQLITE_ROW) {
		mode = sqlite3_column_text(st, 0);
		if (mode == NULL || strcmp((const char *)mode, "wal") != 0)
			log_warn("%s: journal mode '%s', not WAL: readers will "
			    "wait for the agent", s->path, mode != NULL ?
			    (const char *)mode : "?");
	} else if (rc != SQLITE_DONE) {
		db_cause(s, cause, "journal mode");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

struct store *
store_open_version(const char *dir, unsigned flags, int max, char **cause)
{
	struct store	*s;
	char		*sql;
	int		 rc;

	if (max < 1 || max > STORE_VERSION)
		max = STORE_VERSION;
	if (make_dirs(dir, cause) == -1)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->path = xasprintf("%s/%s", dir, STORE_DB_NAME);
	rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (s->db == NULL)
			set_cause(cause, xasprintf("%s: out of memory", s->path));
		else
			db_cause(s, cause, "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	if (check_file(s, cause) == -1)
		goto fail;
	if (set_wal(s, cause) == -1)
		goto fail;
	sql = xasprintf("PRAGMA foreign_keys = ON; PRAGMA synchronous = %s;",
	    (flags & STORE_SYNC_FULL) ? "FULL" : "NORMAL");
	rc = db_exec(s, sql, cause);
	free(sql);
	if (rc == -1 || migrate(s, max, cause) == -1)
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}

struct store *
store_open(const char *dir, unsigned flags, char **cause)
{
	return store_open_version(dir, flags, STORE_VERSION, cause);
}

void
store_close(struct store *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(s->st[i]);
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int
store_schema_version(struct store *s)
{
	return s->version;
}

/* fcntl(fd, CMD, FL) with FL set to a lock of TYPE over the whole file. */
static int
lock_whole(int fd, int cmd, struct flock *fl, short type)
{
	memset(fl, 0, sizeof *fl);
	fl->l_type = type;
	fl->l_whence = SEEK_SET;
	return fcntl(fd, cmd, fl);
}

/* The pid an agent wrote into its lock file, or -1. */
static long
lock_pid(int fd)
{
	char	buf[32];
	ssize_t	n;
	long	pid;

	n = pread(fd, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	pid = strtol(buf, NULL, 10);
	return pid > 1 ? pid : -1;
}

int
store_lock_agent(const char *dir, char **cause)
{
	struct flock	 fl;
	char		*path, pid[32];
	ssize_t		 n;
	int		 fd;

	if (make_dirs(dir, cause) == -1)
		return -1;
	path = xasprintf("%s/%s", dir, STORE_LOCK_NAME);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		set_cause(cause, xasprintf("%s: %s", path, strerror(errno)));
		free(path);
		return -1;
	}
	if (lock_whole(fd, F_OFD_SETLK, &fl, F_WRLCK) == -1) {
		if (errno == EAGAIN || errno == EACCES) {
			long	held = lock_pid(fd);

			if (held > 0)
				set_cause(cause, xasprintf("another wirewatch agent "
				    "(pid %ld) is running on %s", held, dir));
			else
				set_cause(cause, xasprintf("another wirewatch agent "
				    "is running on %s", dir));
		} else
			set_cause(cause, xasprintf("%s: %s", path, strerror(errno)));
		close(fd);
		free(path);
		return -1;
	}
	free(path);
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, pid, (size_t)n, 0) != n)
		log_warn("%s/%s: cannot write the pid", dir, STORE_LOCK_NAME);
	return fd;
}

void
store_unlock_agent(int fd)
{
	if (fd >= 0)
		close(fd);
}

long
store_agent_pid(const char *dir)
{
	struct flock	fl;
	char		*path;
	long		 pid = 0;
	int		 fd;

	path = xasprintf("%s/%s", dir, STORE_LOCK_NAME);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd == -1)
		return 0;
	if (lock_whole(fd, F_OFD_GETLK, &fl, F_WRLCK) == 0 && fl.l_type != F_UNLCK)
		pid = lock_pid(fd);
	close(fd);
	return pid;
}

int
store_poll_begin(struct store *s, char **cause)
{
	if (s->in_tx) {
		set_cause(cause, xasprintf("%s: a transaction is already open",
		    s->path));
		return -1;
	}
	if (db_exec(s, "BEGIN IMMEDIATE", cause) == -1)
		return -1;
	s->in_tx = 1;
	return 0;
}

int
store_poll_commit(struct store *s, char **cause)
{
	if (!s->in_tx) {
		set_cause(cause, xasprintf("%s: no transaction is open", s->path));
		return -1;
	}
	if (db_exec(s, "COMMIT", cause) == -1) {
		store_poll_rollback(s);
		return -1;
	}
	s->in_tx = 0;
	return 0;
}

void
store_poll_rollback(struct store *s)
{
	if (!s->in_tx)
		return;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
}

/* ---- Feeds ---------------------------------------------------------------- */

const char *
store_feed_status_name(enum store_feed_status st)
{
	return feed_status_names[st];
}

void
store_feed_release(struct store_feed *f)
{
	if (f == NULL)
		return;
	free(f->url);
	free(f->name);
	free(f->tags);
	free(f->moved_to);
	free(f->etag);
	free(f->last_modified);
	free(f->body_hash);
	free(f->error);
	memset(f, 0, sizeof *f);
}

void
store_feed_list_free(struct store_feed *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		store_feed_release(&v[i]);
	free(v);
}

static void
feed_from_row(sqlite3_stmt *st, struct store_feed *f)
{
	f->id = sqlite3_column_int64(st, 0);
	f->url = col_dup(st, 1);
	f->name = col_dup(st, 2);
	f->tags = col_dup(st, 3);
	f->interval = (long)sqlite3_column_int64(st, 4);
	f->moved_to = col_dup(st, 5);
	f->etag = col_dup(st, 6);
	f->last_modified = col_dup(st, 7);
	f->body_hash = col_dup(st, 8);
	f->last_attempt = sqlite3_column_int64(st, 9);
	f->last_success = sqlite3_column_int64(st, 10);
	f->next_poll = sqlite3_column_int64(st, 11);
	f->http_status = sqlite3_column_int(st, 12);
	f->error = col_dup(st, 13);
	f->failures = sqlite3_column_int(st, 14);
	f->gone = sqlite3_column_int(st, 15);
	f->created = sqlite3_column_int64(st, 16);
	f->nitems = sqlite3_column_int64(st, 17);
	if (f->gone)
		f->status = STORE_FEED_GONE;
	else if (f->failures > 0)
		f->status = STORE_FEED_FAILING;
	else if (f->last_attempt == 0)
		f->status = STORE_FEED_NEW;
	else
		f->status = STORE_FEED_OK;
}

int
store_feed_add(struct store *s, const char *url, const char *name,
    const char *tags, long interval, int64_t *idp, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;
	int		 rc, created = 0;

	if ((st = stmt(s, ST_FEED_ID, cause)) == NULL)
		return -1;
	bind_text(st, 1, url);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_cause(s, cause, "read feed");
		return -1;
	}
	if (id == 0) {
		if ((st = stmt(s, ST_FEED_INSERT, cause)) == NULL)
			return -1;
		bind_text(st, 1, url);
		bind_text(st, 2, name);
		bind_text(st, 3, tags);
		sqlite3_bind_int64(st, 4, interval);
		sqlite3_bind_int64(st, 5, util_now());
		if (step_done(s, st, cause, "add feed") == -1)
			return -1;
		id = sqlite3_last_insert_rowid(s->db);
		created = 1;
	} else {
		if ((st = stmt(s, ST_FEED_UPDATE, cause)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		bind_text(st, 2, name);
		bind_text(st, 3, tags);
		sqlite3_bind_int64(st, 4, interval);
		if (step_done(s, st, cause, "update feed") == -1)
			return -1;
	}
	if (idp != NULL)
		*idp = id;
	return created;
}

int
store_feed_remove(struct store *s, const char *url, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = stmt(s, ST_FEED_DELETE, cause)) == NULL)
		return -1;
	bind_text(st, 1, url);
	if (step_done(s, st, cause, "remove feed") == -1)
		return -1;
	return sqlite3_changes(s->db) > 0;
}

int
store_feed_get(struct store *s, const char *url, struct store_feed *out,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof *out);
	if ((st = stmt(s, ST_FEED_GET, cause)) == NULL)
		return -1;
	bind_text(st, 1, url);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		feed_from_row(st, out);
	else if (rc != SQLITE_DONE)
		db_cause(s, cause, "read feed");
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
store_feed_list(struct store *s, struct store_feed **out, size_t *n,
    char **cause)
{
	sqlite3_stmt	*st;
	struct store_feed *v = NULL;
	size_t		 len = 0, cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((st = stmt(s, ST_FEED_LIST, cause)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof *v);
		}
		memset(&v[len], 0, sizeof *v);
		feed_from_row(st, &v[len++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_cause(s, cause, "list feeds");
		store_feed_list_free(v, len);
		return -1;
	}
	*out = v;
	*n = len;
	return 0;
}

int
store_feed_update_health(struct store *s, int64_t feed_id,
    const struct store_poll *p, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc, failures = -1;

	st = stmt(s, p->error == NULL ? ST_FEED_OK : ST_FEED_FAIL, cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_int64(st, 2, p->attempt);
	sqlite3_bind_int(st, 3, p->http_status);
	sqlite3_bind_int64(st, 4, p->next_poll);
	sqlite3_bind_int(st, 5, p->gone != 0);
	bind_text(st, 6, p->moved_to);
	if (p->error == NULL) {
		bind_text(st, 7, p->etag);
		bind_text(st, 8, p->last_modified);
		bind_text(st, 9, p->body_hash);
	} else
		bind_text(st, 10, p->error);
	/*
	 * No RETURNING here or below: in SQLite 3.40 it costs a temporary
	 * table per execution, which dominated a re-poll of 1000 feeds.
	 */
	if (step_done(s, st, cause, "update feed health") == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0) {
		set_cause(cause, xasprintf("%s: no feed with id %lld", s->path,
		    (long long)feed_id));
		return -1;
	}
	if ((st = stmt(s, ST_FEED_FAILURES, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, feed_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		failures = sqlite3_column_int(st, 0);
	else
		db_cause(s, cause, "read feed health");
	sqlite3_reset(st);
	return failures;
}

/* ---- Items ---------------------------------------------------------------- */

static const char *
item_guid(const struct item *it)
{
	if (it->id != NULL && *it->id != '\0')
		return it->id;
	if (it->link != NULL && *it->link != '\0')
		return it->link;
	return it->title != NULL ? it->title : "";
}

/* Find an item: 1 with *id and *last_seen, 0 when unknown, -1. */
static int
item_find(struct store *s, int64_t feed_id, const char *guid, int64_t *id,
    int64_t *last_seen, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = stmt(s, ST_ITEM_FIND, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, feed_id);
	bind_text(st, 2, guid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*last_seen = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_cause(s, cause, "read item");
		return -1;
	}
	return rc == SQLITE_ROW;
}

int
store_item_seen(struct store *s, int64_t feed_id, const char *guid,
    char **cause)
{
	int64_t	id, last;

	return item_find(s, feed_id, guid, &id, &last, cause);
}

int
store_item_add(struct store *s, int64_t feed_id, const struct item *it,
    int64_t *item_id, char **cause)
{
	sqlite3_stmt	*st;
	const char	*guid = item_guid(it);
	char		*key = NULL;
	int64_t		 id = 0, last = 0, now = util_now();
	int		 rc, result = -1;

	/*
	 * Known: say so, refreshing last_seen at most once per
	 * STORE_SEEN_RESOLUTION, so re-polls of unchanged items write nothing.
	 */
	if ((rc = item_find(s, feed_id, guid, &id, &last, cause)) == -1)
		return -1;
	if (rc == 1) {
		if (now - last >= STORE_SEEN_RESOLUTION) {
			if ((st = stmt(s, ST_ITEM_TOUCH, cause)) == NULL)
				return -1;
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, now);
			if (step_done(s, st, cause, "update item") == -1)
				return -1;
		}
		if (item_id != NULL)
			*item_id = id;
		return STORE_KNOWN;
	}

	result = STORE_NEW;
	if ((key = store_story_key(it->link, it->title)) != NULL) {
		if ((st = stmt(s, ST_ITEM_STORY, cause)) == NULL) {
			result = -1;
			goto out;
		}
		bind_text(st, 1, key);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_ROW)
			result = STORE_NEW_DUP;
		else if (rc != SQLITE_DONE) {
			db_cause(s, cause, "read story");
			result = -1;
			goto out;
		}
	}
	if ((st = stmt(s, ST_ITEM_INSERT, cause)) == NULL) {
		result = -1;
		goto out;
	}
	sqlite3_bind_int64(st, 1, feed_id);
	bind_text(st, 2, guid);
	bind_text(st, 3, key);
	bind_text(st, 4, it->title);
	bind_text(st, 5, it->link);
	bind_text(st, 6, it->summary);
	bind_text(st, 7, it->content);
	bind_date(st, 8, it->published);
	bind_date(st, 9, it->updated);
	sqlite3_bind_int64(st, 10, now);
	if (step_done(s, st, cause, "add item") == -1) {
		result = -1;
		goto out;
	}
	if (item_id != NULL)
		*item_id = sqlite3_last_insert_rowid(s->db);
out:
	free(key);
	return result;
}

/*
 * Query parameters that only say where a click came from. Sorted for
 * bsearch; names starting with "utm_" are tracking too.
 */
static const char *const tracking_params[] = {
	"_ga", "_gl", "_hsenc", "_hsmi", "dclid", "fbclid", "gclid", "gclsrc",
	"igshid", "mc_cid", "mc_eid", "mkt_tok", "msclkid", "oly_anon_id",
	"oly_enc_id", "rb_clickid", "s_cid", "twclid", "wickedid", "yclid",
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
is_tracking(const char *name, size_t len)
{
	char		 tmp[32];
	const char	*key = tmp;
	size_t		 i;

	if (len >= sizeof tmp)
		return 0;
	for (i = 0; i < len; i++)
		tmp[i] = (char)tolower((unsigned char)name[i]);
	tmp[len] = '\0';
	if (strncmp(tmp, "utm_", 4) == 0)
		return 1;
	return bsearch(&key, tracking_params, nitems(tracking_params),
	    sizeof tracking_params[0], cmp_str) != NULL;
}

/* Append s[0..len) with percent escapes' hex digits upper-cased. */
static void
add_escaped(struct buf *b, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			buf_addc(b, '%');
			buf_addc(b, toupper((unsigned char)s[i + 1]));
			buf_addc(b, toupper((unsigned char)s[i + 2]));
			i += 2;
		} else
			buf_addc(b, (unsigned char)s[i]);
	}
}

char *
store_canonical_link(const char *link)
{
	struct buf	 b;
	const char	*p, *host, *hend, *port, *path, *pend, *q, *qend, *at;
	size_t		 n, hlen;
	int		 https, first;

	if (link == NULL)
		return NULL;
	while (*link == ' ' || *link == '\t')
		link++;
	if (strncasecmp(link, "http://", 7) == 0) {
		https = 0;
		host = link + 7;
	} else if (strncasecmp(link, "https://", 8) == 0) {
		https = 1;
		host = link + 8;
	} else
		return NULL;
	hend = host + strcspn(host, "/?# \t\r\n");
	/* User info goes. */
	for (at = NULL, p = host; p < hend; p++)
		if (*p == '@')
			at = p;
	if (at != NULL)
		host = at + 1;
	port = NULL;
	for (p = hend; p > host; p--)
		if (p[-1] == ':') {
			port = p - 1;
			break;
		} else if (p[-1] == ']')
			break;
	hlen = (port != NULL ? port : hend) - host;
	if (hlen >= 4 && strncasecmp(host, "www.", 4) == 0) {
		host += 4;
		hlen -= 4;
	}
	while (hlen > 0 && host[hlen - 1] == '.')
		hlen--;		/* "example.com." is example.com */
	if (hlen == 0)
		return NULL;

	buf_init(&b, 0);
	for (n = 0; n < hlen; n++)
		buf_addc(&b, tolower((unsigned char)host[n]));
	if (port != NULL && port + 1 < hend) {
		n = (size_t)(hend - port - 1);
		if (!((!https && n == 2 && strncmp(port + 1, "80", 2) == 0) ||
		    (https && n == 3 && strncmp(port + 1, "443", 3) == 0))) {
			buf_addc(&b, ':');
			buf_add(&b, port + 1, n);
		}
	}

	path = hend;
	pend = path + strcspn(path, "?# \t\r\n");
	if (pend - path > 1 && pend[-1] == '/')
		pend--;
	if (pend == path)
		buf_addc(&b, '/');
	else
		add_escaped(&b, path, (size_t)(pend - path));

	if (*pend == '/')
		pend++;
	if (*pend == '?') {
		q = pend + 1;
		qend = q + strcspn(q, "# \t\r\n");
		first = 1;
		while (q < qend) {
			p = memchr(q, '&', (size_t)(qend - q));
			if (p == NULL)
				p = qend;
			n = strcspn(q, "=&#");
			if (n > (size_t)(p - q))
				n = (size_t)(p - q);
			if (p > q && !is_tracking(q, n)) {
				buf_addc(&b, first ? '?' : '&');
				add_escaped(&b, q, (size_t)(p - q));
				first = 0;
			}
			q = p < qend ? p + 1 : qend;
		}
	}
	return buf_steal(&b);
}

char *
store_canonical_title(const char *title)
{
	struct buf	 b;
	const unsigned char *p;
	int		 space = 0;

	if (title == NULL)
		return NULL;
	buf_init(&b, 0);
	for (p = (const unsigned char *)title; *p != '\0'; p++) {
		if (*p >= 0x80 || isalnum(*p)) {
			if (space && b.len > 0)
				buf_addc(&b, ' ');
			space = 0;
			buf_addc(&b, *p < 0x80 ? tolower(*p) : *p);
		} else
			space = 1;
	}
	if (b.len == 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_steal(&b);
}

char *
store_story_key(const char *link, const char *title)
{
	char	*c, *k;

	if ((c = store_canonical_link(link)) != NULL) {
		k = xasprintf("u:%s", c);
		free(c);
		return k;
	}
	if ((c = store_canonical_title(title)) != NULL) {
		k = xasprintf("t:%s", c);
		free(c);
		return k;
	}
	return NULL;
}

int
store_prune(struct store *s, int64_t older_than, int64_t forget_before,
    long *pruned, long *forgotten, char **cause)
{
	sqlite3_stmt	*st;
	long		 np = 0, nf = 0;
	int		 own = !s->in_tx, rc = -1;

	if (own && store_poll_begin(s, cause) == -1)
		return -1;
	if (sqlite3_prepare_v2(s->db, "UPDATE items SET title = NULL,"
	    " link = NULL, summary = NULL, content = NULL, pruned = 1"
	    " WHERE pruned = 0 AND first_seen < ?1 AND NOT EXISTS"
	    " (SELECT 1 FROM matches m WHERE m.item_id = items.id)",
	    -1, &st, NULL) != SQLITE_OK) {
		db_cause(s, cause, "prune");
		goto out;
	}
	sqlite3_bind_int64(st, 1, older_than);
	rc = step_done(s, st, cause, "prune");
	sqlite3_finalize(st);
	if (rc == -1)
		goto out;
	np = sqlite3_changes(s->db);
	if (forget_before > 0) {
		rc = -1;
		if (sqlite3_prepare_v2(s->db, "DELETE FROM items WHERE pruned = 1"
		    " AND last_seen < ?1", -1, &st, NULL) != SQLITE_OK) {
			db_cause(s, cause, "prune");
			goto out;
		}
		sqlite3_bind_int64(st, 1, forget_before);
		rc = step_done(s, st, cause, "prune");
		sqlite3_finalize(st);
		if (rc == -1)
			goto out;
		nf = sqlite3_changes(s->db);
	}
	rc = 0;
out:
	if (own) {
		if (rc == 0)
			rc = store_poll_commit(s, cause);
		else
			store_poll_rollback(s);
	}
	if (rc == 0) {
		if (pruned != NULL)
			*pruned = np;
		if (forgotten != NULL)
			*forgotten = nf;
	}
	return rc;
}

int
store_items_walk(struct store *s, int64_t since, int64_t until,
    int (*cb)(const struct store_stored *, void *), void *arg, char **cause)
{
	sqlite3_stmt		*st;
	struct store_stored	 it;
	int			 rc, stop = 0;

	if ((st = stmt(s, ST_ITEMS_WALK, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, until);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&it, 0, sizeof it);
		it.item_id = sqlite3_column_int64(st, 0);
		it.feed_id = sqlite3_column_int64(st, 1);
		it.feed_url = col_str(st, 2);
		it.feed_name = col_str(st, 3);
		it.guid = col_str(st, 4);
		it.story_key = col_str(st, 5);
		it.title = col_str(st, 6);
		it.link = col_str(st, 7);
		it.summary = col_str(st, 8);
		it.content = col_str(st, 9);
		it.published = sqlite3_column_type(st, 10) == SQLITE_NULL ?
		    DATE_NONE : sqlite3_column_int64(st, 10);
		it.first_seen = sqlite3_column_int64(st, 11);
		if ((stop = cb(&it, arg)) != 0)
			break;
	}
	if (stop == 0 && rc != SQLITE_DONE) {
		db_cause(s, cause, "read items");
		stop = -1;
	}
	sqlite3_reset(st);
	return stop;
}

/* ---- Matches and digests ------------------------------------------------ */

int
store_match_add(struct store *s, int64_t item_id, const char *rule, char kind,
    const char *evidence, char **cause)
{
	sqlite3_stmt	*st;
	char		 k[2] = { kind, '\0' };

	if ((st = stmt(s, ST_MATCH_ADD, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, item_id);
	bind_text(st, 2, rule);
	bind_text(st, 3, k);
	bind_text(st, 4, evidence);
	sqlite3_bind_int64(st, 5, util_now());
	return step_done(s, st, cause, "add match");
}

int
store_items_matched(struct store *s, int64_t since, int64_t until,
    const char *rule, int (*cb)(const struct store_matched *, void *),
    void *arg, char **cause)
{
	sqlite3_stmt		*st;
	struct store_matched	 m;
	const char		*k;
	int			 rc, stop = 0;

	if ((st = stmt(s, ST_MATCHED, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, until);
	bind_text(st, 3, rule);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&m, 0, sizeof m);
		m.item_id = sqlite3_column_int64(st, 0);
		m.feed_id = sqlite3_column_int64(st, 1);
		m.feed_url = col_str(st, 2);
		m.feed_name = col_str(st, 3);
		m.story_key = col_str(st, 4);
		m.guid = col_str(st, 5);
		m.title = col_str(st, 6);
		m.link = col_str(st, 7);
		m.summary = col_str(st, 8);
		m.published = sqlite3_column_type(st, 9) == SQLITE_NULL ?
		    DATE_NONE : sqlite3_column_int64(st, 9);
		m.first_seen = sqlite3_column_int64(st, 10);
		m.rule = col_str(st, 11);
		k = col_str(st, 12);
		m.kind = k != NULL ? k[0] : '?';
		m.evidence = col_str(st, 13);
		m.matched = sqlite3_column_int64(st, 14);
		if ((stop = cb(&m, arg)) != 0)
			break;
	}
	if (stop == 0 && rc != SQLITE_DONE) {
		db_cause(s, cause, "read matches");
		stop = -1;
	}
	sqlite3_reset(st);
	return stop;
}

/* ---- Notifications ------------------------------------------------------ */

const char *
store_nstate_name(enum store_nstate st)
{
	return nstate_names[st];
}

void
store_notification_release(struct store_notification *n)
{
	if (n == NULL)
		return;
	free(n->watch);
	free(n->story_key);
	free(n->title);
	free(n->link);
	free(n->feed_name);
	memset(n, 0, sizeof *n);
}

void
store_notification_list_free(struct store_notification *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		store_notification_release(&v[i]);
	free(v);
}

int
store_notification_add(struct store *s, int64_t item_id, const char *watch,
    enum store_nstate state, int64_t *id, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = stmt(s, ST_NOTIF_ADD, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, item_id);
	bind_text(st, 2, watch);
	bind_text(st, 3, nstate_names[state]);
	sqlite3_bind_int64(st, 4, util_now());
	if (step_done(s, st, cause, "queue notification") == -1)
		return -1;
	if (sqlite3_changes(s->db) > 0) {
		if (id != NULL)
			*id = sqlite3_last_insert_rowid(s->db);
		return 1;
	}
	/* Nothing inserted: a duplicate, or no such item. */
	if ((st = stmt(s, ST_ITEM_EXISTS, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, item_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		set_cause(cause, xasprintf("%s: no item with id %lld", s->path,
		    (long long)item_id));
	else
		db_cause(s, cause, "read item");
	return -1;
}

int
store_notification_set(struct store *s, int64_t id, enum store_nstate state,
    uint32_t server_id, int64_t replaces_id, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = stmt(s, ST_NOTIF_SET, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, nstate_names[state]);
	sqlite3_bind_int64(st, 3, util_now());
	sqlite3_bind_int64(st, 4, server_id);
	sqlite3_bind_int64(st, 5, replaces_id);
	if (step_done(s, st, cause, "update notification") == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0) {
		set_cause(cause, xasprintf("%s: no notification with id %lld",
		    s->path, (long long)id));
		return -1;
	}
	return 0;
}

static enum store_nstate
nstate_from(const char *s)
{
	size_t	i;

	for (i = 0; s != NULL && i < nitems(nstate_names); i++)
		if (strcmp(s, nstate_names[i]) == 0)
			return (enum store_nstate)i;
	return STORE_N_HELD;
}

int
store_notification_list(struct store *s, enum store_nstate state, size_t max,
    int max_attempts, struct store_notification **out, size_t *n, char **cause)
{
	sqlite3_stmt		 *st;
	struct store_notification *v = NULL, *e;
	size_t			  len = 0, cap = 0;
	int			  rc;

	*out = NULL;
	*n = 0;
	if ((st = stmt(s, ST_NOTIF_LIST, cause)) == NULL)
		return -1;
	bind_text(st, 1, nstate_names[state]);
	sqlite3_bind_int(st, 2, state == STORE_N_FAILED ? max_attempts : 0);
	sqlite3_bind_int64(st, 3, max == 0 ? -1 : (int64_t)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof *v);
		}
		e = &v[len++];
		memset(e, 0, sizeof *e);
		e->id = sqlite3_column_int64(st, 0);
		e->item_id = sqlite3_column_int64(st, 1);
		e->watch = col_dup(st, 2);
		e->story_key = col_dup(st, 3);
		e->state = nstate_from(col_str(st, 4));
		e->attempts = sqlite3_column_int(st, 5);
		e->created = sqlite3_column_int64(st, 6);
		e->sent_at = sqlite3_column_int64(st, 7);
		e->replaces_id = sqlite3_column_int64(st, 8);
		e->server_id = (uint32_t)sqlite3_column_int64(st, 9);
		e->title = col_dup(st, 10);
		e->link = col_dup(st, 11);
		e->feed_name = col_dup(st, 12);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_cause(s, cause, "list notifications");
		store_notification_list_free(v, len);
		return -1;
	}
	*out = v;
	*n = len;
	return 0;
}

/* ---- Status --------------------------------------------------------------- */

int
store_stats(struct store *s, struct store_stats *out, char **cause)
{
	static const struct {
		const char	*sql;
		size_t		 off;
	} q[] = {
#define STAT(f, sql) { sql, offsetof(struct store_stats, f) }
		STAT(feeds, "SELECT count(*) FROM feeds"),
		STAT(feeds_failing, "SELECT count(*) FROM feeds WHERE failures > 0"
		    " AND gone = 0"),
		STAT(feeds_gone, "SELECT count(*) FROM feeds WHERE gone != 0"),
		STAT(items, "SELECT count(*) FROM items"),
		STAT(items_pruned, "SELECT count(*) FROM items WHERE pruned != 0"),
		STAT(matches, "SELECT count(*) FROM matches"),
		STAT(notif_pending, "SELECT count(*) FROM notifications"
		    " WHERE state = 'pending'"),
		STAT(notif_sent, "SELECT count(*) FROM notifications"
		    " WHERE state = 'sent'"),
		STAT(notif_failed, "SELECT count(*) FROM notifications"
		    " WHERE state = 'failed'"),
		STAT(notif_held, "SELECT count(*) FROM notifications"
		    " WHERE state = 'held'"),
#undef STAT
	};
	int64_t	 v, pages, psize;
	size_t	 i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < nitems(q); i++) {
		if (query_int(s, q[i].sql, &v, cause) == -1)
			return -1;
		*(long *)((char *)out + q[i].off) = (long)v;
	}
	if (query_int(s, "SELECT coalesce(max(last_attempt), 0) FROM feeds",
	    &out->last_poll, cause) == -1 ||
	    query_int(s, "PRAGMA page_count", &pages, cause) == -1 ||
	    query_int(s, "PRAGMA page_size", &psize, cause) == -1)
		return -1;
	out->db_bytes = pages * psize;
	out->schema = s->version;
	return 0;
}

int
store_check(struct store *s, char **cause)
{
	sqlite3_stmt	*st;
	const char	*r;
	int		 rc, bad = 0;

	if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st,
	    NULL) != SQLITE_OK) {
		db_cause(s, cause, "check");
		return -1;
	}
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = col_str(st, 0);
		if (r == NULL || strcmp(r, "ok") != 0) {
			set_cause(cause, xasprintf("%s: damaged: %s", s->path,
			    r != NULL ? r : "?"));
			bad = 1;
		}
	} else {
		db_cause(s, cause, "check");
		bad = 1;
	}
	sqlite3_finalize(st);
	return bad ? -1 : 0;
}
