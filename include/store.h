/*
 * The state store: one SQLite database (WAL) in the --state directory,
 * DIR/wirewatch.db. It keeps per-feed health and HTTP validators, the
 * identity and text of every item seen, the rule matches, and the queue of
 * notifications. It is the only module that talks to SQLite; no SQLite type
 * appears here. It never reads the feeds file or the network.
 *
 * Concurrency: the agent is the only writer that polls (store_lock_agent);
 * other commands (digest, feeds list, rules test) open the same database
 * alongside it. WAL lets readers run during a write transaction, and every
 * connection waits up to STORE_BUSY_MS for a lock instead of failing.
 *
 * Durability: by default synchronous=NORMAL. A committed transaction
 * survives the process being killed at any moment (SIGKILL, crash); after a
 * power loss or kernel crash the last transactions since the previous WAL
 * sync may be rolled back, never corrupted. STORE_SYNC_FULL makes every
 * commit durable against power loss too, at the cost of one fsync per
 * commit.
 *
 * Unless stated otherwise, functions return 0 on success and -1 with an
 * allocated one-line message in *cause on failure. Times are Unix seconds;
 * "now" is util_now(), so WIREWATCH_NOW fixes it in tests.
 */
#ifndef WW_STORE_H
#define WW_STORE_H

#include <stddef.h>
#include <stdint.h>

struct item;
struct store;

#define STORE_DB_NAME	"wirewatch.db"
#define STORE_LOCK_NAME	"agent.lock"
#define STORE_BUSY_MS	10000		/* wait this long for a lock */
#define STORE_VERSION	2		/* newest schema (PRAGMA user_version) */

#define STORE_SYNC_FULL	0x01		/* store_open flag: fsync every commit */

/*
 * Open (creating DIR with mode 0700 and the database when missing) and
 * migrate the schema forward to STORE_VERSION, all migrations in one
 * transaction. A file that is not a SQLite database, a SQLite database of
 * another program, or one written by a newer wirewatch is refused with a
 * one-line cause naming the file; nothing is written to it.
 */
struct store	*store_open(const char *dir, unsigned flags, char **cause);
/* For tests of migrations: the same, stopping at schema version max. */
struct store	*store_open_version(const char *dir, unsigned flags, int max,
		    char **cause);
/* Close; pending statements are finalised. store_close(NULL) is a no-op. */
void		 store_close(struct store *);
/* The schema version of an open store (PRAGMA user_version). */
int		 store_schema_version(struct store *);

/*
 * Exclusive lock for the polling agent: an open-file-description write lock
 * (fcntl F_OFD_SETLK) on DIR/agent.lock, which holds the agent's pid.
 * Returns the descriptor to keep open for the agent's lifetime (closing it
 * releases the lock), or -1 with a cause ("another wirewatch agent (pid N)
 * is running on DIR") without waiting.
 */
int		 store_lock_agent(const char *dir, char **cause);
void		 store_unlock_agent(int fd);
/*
 * Whether an agent holds the lock of DIR, asked without taking the lock (so
 * an agent starting at that moment is never turned away): 0 when none does,
 * its pid when one does, -1 when one does but its pid is not known.
 */
long		 store_agent_pid(const char *dir);

/*
 * Transactions. A poll of one feed (health, validators, items, matches,
 * notifications) is one transaction: store_poll_begin takes the write lock
 * (BEGIN IMMEDIATE, waiting up to STORE_BUSY_MS), commit makes it all
 * durable at once, rollback drops it all. Outside a transaction every
 * write is its own transaction. Nesting is refused.
 */
int	 store_poll_begin(struct store *, char **cause);
int	 store_poll_commit(struct store *, char **cause);
void	 store_poll_rollback(struct store *);

/* ---- Feeds ---------------------------------------------------------------- */

/* Health of a feed as shown by `feeds list`. */
enum store_feed_status {
	STORE_FEED_NEW,		/* never polled */
	STORE_FEED_OK,		/* last poll succeeded */
	STORE_FEED_FAILING,	/* consecutive_failures > 0 */
	STORE_FEED_GONE		/* 410 Gone: no longer polled */
};

struct store_feed {
	int64_t		 id;
	char		*url;		/* identity: as written in the feeds file */
	char		*name;		/* NULL when none */
	char		*tags;		/* comma-separated, NULL when none */
	long		 interval;	/* seconds, 0: the default */
	char		*moved_to;	/* URL after permanent redirects, or NULL */
	char		*etag;		/* validators, NULL when none */
	char		*last_modified;
	char		*body_hash;
	int64_t		 last_attempt;	/* 0: never */
	int64_t		 last_success;	/* 0: never */
	int64_t		 next_poll;	/* 0: as soon as possible */
	int		 http_status;	/* of the last attempt, 0: none */
	char		*error;		/* of the last attempt, NULL when it succeeded */
	int		 failures;	/* consecutive failed attempts */
	int		 gone;
	int64_t		 created;
	int64_t		 nitems;	/* items known (pruned ones included) */
	enum store_feed_status status;
};

/* Release the strings of a record filled by the store; the record stays. */
void	 store_feed_release(struct store_feed *);
/* Free an array from store_feed_list. */
void	 store_feed_list_free(struct store_feed *, size_t);
/* "new", "ok", "failing", "gone". */
const char *store_feed_status_name(enum store_feed_status);

/*
 * Make sure a feed row exists for url and set its name, tags and interval
 * (the feeds file's view; NULL name/tags clear them). Health is untouched.
 * *id (may be NULL) receives the row id. Returns 1 when the row was
 * created, 0 when it existed, -1 on error.
 */
int	 store_feed_add(struct store *, const char *url, const char *name,
	    const char *tags, long interval, int64_t *id, char **cause);
/*
 * Delete a feed with its items, matches and notifications. Returns 1 when
 * it existed, 0 when not, -1 on error.
 */
int	 store_feed_remove(struct store *, const char *url, char **cause);
/* Find a feed by url. Returns 1 and fills *out, 0 when unknown, -1. */
int	 store_feed_get(struct store *, const char *url, struct store_feed *out,
	    char **cause);
/* Every feed ordered by url; *out is NULL when there are none. */
int	 store_feed_list(struct store *, struct store_feed **out, size_t *n,
	    char **cause);

/* The outcome of one poll, for store_feed_update_health. */
struct store_poll {
	int64_t		 attempt;	/* when the poll started */
	int		 http_status;	/* 0 when there was no HTTP reply */
	const char	*error;		/* NULL: success */
	/*
	 * Validators, replaced on success only: NULL keeps the stored value,
	 * "" clears it.
	 */
	const char	*etag;
	const char	*last_modified;
	const char	*body_hash;
	int64_t		 next_poll;
	int		 gone;		/* 410: stop polling */
	const char	*moved_to;	/* NULL keeps, "" clears */
};

/*
 * Record a poll. Success resets consecutive failures and the error and sets
 * last_success; a failure increments the failures and keeps last_success and
 * the validators. Returns the new consecutive failure count (>= 0), or -1.
 */
int	 store_feed_update_health(struct store *, int64_t feed_id,
	    const struct store_poll *, char **cause);

/* ---- Items ---------------------------------------------------------------- */

#define STORE_KNOWN	0	/* the item was seen before in this feed */
#define STORE_NEW	1	/* new item, new story */
#define STORE_NEW_DUP	2	/* new item of a story already known from
				   another item (the same canonical link) */

/* An item's last_seen is refreshed at most this often (seconds). */
#define STORE_SEEN_RESOLUTION	(6 * 3600)

/*
 * Is guid known in the feed (pruned items included)? 1 yes, 0 no, -1 error.
 */
int	 store_item_seen(struct store *, int64_t feed_id, const char *guid,
	    char **cause);
/*
 * Record an item of a poll. A known item (same feed, same it->id) only has
 * its last_seen time refreshed (every STORE_SEEN_RESOLUTION at most): it is
 * never new again, even after it was pruned. A new one is stored with its text and story key. Returns
 * STORE_KNOWN, STORE_NEW or STORE_NEW_DUP, or -1; *item_id (may be NULL)
 * receives the row id in every case.
 */
int	 store_item_add(struct store *, int64_t feed_id, const struct item *it,
	    int64_t *item_id, char **cause);

/*
 * The story key of an article: "u:" and the canonical link when the link is
 * an http(s) URL, otherwise "t:" and the normalised title, otherwise NULL.
 * Caller frees.
 */
char	*store_story_key(const char *link, const char *title);
/*
 * Canonical form of an http(s) link, for telling that two links name the
 * same article: scheme dropped (http and https are one), host lower-cased
 * without "www." or a default port, user info and fragment removed,
 * tracking parameters (utm_*, fbclid, gclid, ...) removed from the query,
 * percent escapes upper-cased, one trailing '/' of a non-root path removed.
 * "https://WWW.Example.com/a/?utm_source=x&id=3#top" -> "example.com/a?id=3".
 * NULL when link is not an http(s) URL with a host. Caller frees.
 */
char	*store_canonical_link(const char *link);
/*
 * Title fallback: ASCII letters lower-cased, every run of characters that
 * are not letters or digits (bytes >= 0x80 count as letters) one space,
 * trimmed. NULL when nothing remains. Caller frees.
 */
char	*store_canonical_title(const char *title);

/*
 * Retention. Items first seen before older_than that have no match lose
 * their text (title, link, summary, content) but keep their identity, so
 * they never come back as new. Identities of pruned items no longer seen in
 * their feed since forget_before are deleted (choose it well past the
 * oldest item a feed still carries; 0 keeps them all). *pruned and
 * *forgotten (may be NULL) receive the counts.
 */
int	 store_prune(struct store *, int64_t older_than, int64_t forget_before,
	    long *pruned, long *forgotten, char **cause);

/* One stored item, borrowed for the duration of a callback. */
struct store_stored {
	int64_t		 item_id;
	int64_t		 feed_id;
	const char	*feed_url;
	const char	*feed_name;	/* may be NULL */
	const char	*guid;
	const char	*story_key;	/* may be NULL */
	const char	*title;		/* may be NULL */
	const char	*link;
	const char	*summary;
	const char	*content;
	int64_t		 published;	/* DATE_NONE when unknown */
	int64_t		 first_seen;
};

/*
 * Call cb for every item that still has its text (not pruned), first seen
 * in [since, until) (until 0: no end), oldest first: for backtesting rules
 * against what was stored. cb returning non-zero stops the walk and is
 * returned.
 */
int	 store_items_walk(struct store *, int64_t since, int64_t until,
	    int (*cb)(const struct store_stored *, void *), void *arg,
	    char **cause);

/* ---- Matches and digests ------------------------------------------------ */

/*
 * Record that an item matched a rule (kind 'a' actor, 't' topic, 'w'
 * watch) with its evidence (a JSON value as text, may be NULL). A second
 * match of the same item and rule replaces the evidence.
 */
int	 store_match_add(struct store *, int64_t item_id, const char *rule,
	    char kind, const char *evidence, char **cause);

/* One matched item and rule, borrowed for the duration of a callback. */
struct store_matched {
	int64_t		 item_id;
	int64_t		 feed_id;
	const char	*feed_url;
	const char	*feed_name;	/* may be NULL */
	const char	*story_key;	/* may be NULL */
	const char	*guid;
	const char	*title;		/* may be NULL */
	const char	*link;
	const char	*summary;
	int64_t		 published;	/* DATE_NONE when unknown */
	int64_t		 first_seen;
	const char	*rule;
	char		 kind;
	const char	*evidence;	/* JSON text or NULL */
	int64_t		 matched;	/* when the match was recorded */
};

/*
 * Call cb for every match of an item first seen in [since, until) (until
 * 0: no end; the window is about when articles arrived, not when a rule
 * was run), restricted to rule when not NULL, ordered by story key (items
 * without one last), then first_seen,
 * then item and rule, so items of one story come together. cb returning
 * non-zero stops the walk (store_items_matched then returns that value).
 */
int	 store_items_matched(struct store *, int64_t since, int64_t until,
	    const char *rule, int (*cb)(const struct store_matched *, void *),
	    void *arg, char **cause);

/* ---- Notifications ------------------------------------------------------ */

enum store_nstate {
	STORE_N_PENDING,	/* to be shown */
	STORE_N_SENT,		/* shown */
	STORE_N_FAILED,		/* showing failed; retried while attempts allow */
	STORE_N_HELD		/* kept back (quiet hours, rate limit, backlog) */
};

struct store_notification {
	int64_t		 id;
	int64_t		 item_id;
	char		*watch;
	char		*story_key;	/* may be NULL */
	enum store_nstate state;
	int		 attempts;
	int64_t		 created;
	int64_t		 sent_at;	/* 0: not sent */
	int64_t		 replaces_id;	/* the notification this one replaced, 0 */
	uint32_t	 server_id;	/* the notification server's id, 0 */
	char		*title;		/* the item's, may be NULL */
	char		*link;		/* may be NULL */
	char		*feed_name;	/* name, else url of the feed */
};

void	 store_notification_release(struct store_notification *);
void	 store_notification_list_free(struct store_notification *, size_t);
const char *store_nstate_name(enum store_nstate);

/*
 * Queue a notification about an item for a watch, in state (PENDING or
 * HELD). A story is announced once per watch: when a notification for the
 * same story key (or the same item) and watch exists, nothing is added and
 * 0 is returned. Returns 1 and *id (may be NULL) when queued, -1 on error.
 */
int	 store_notification_add(struct store *, int64_t item_id,
	    const char *watch, enum store_nstate state, int64_t *id,
	    char **cause);
/*
 * Move a notification to a state. SENT sets sent_at to now and records the
 * server's id and the notification it replaced (0: none); FAILED counts an
 * attempt; PENDING and HELD only change the state.
 */
int	 store_notification_set(struct store *, int64_t id,
	    enum store_nstate state, uint32_t server_id, int64_t replaces_id,
	    char **cause);
/*
 * Notifications in state, oldest first, at most max (0: all); for FAILED
 * only those with fewer than max_attempts attempts (0: any).
 */
int	 store_notification_list(struct store *, enum store_nstate state,
	    size_t max, int max_attempts, struct store_notification **out,
	    size_t *n, char **cause);

/* ---- Status --------------------------------------------------------------- */

/*
 * Consistency check of the whole file (PRAGMA quick_check; reads every
 * page, so not for every start). 0 when sound, -1 with the first problem.
 */
int	 store_check(struct store *, char **cause);

struct store_stats {
	long	 feeds, feeds_failing, feeds_gone;
	long	 items, items_pruned;
	long	 matches;
	long	 notif_pending, notif_sent, notif_failed, notif_held;
	int64_t	 last_poll;	/* newest last_attempt, 0 */
	int64_t	 db_bytes;	/* size of the database file */
	int	 schema;
};

int	 store_stats(struct store *, struct store_stats *, char **cause);

#endif
