/*
 * The agent: polls the feeds of the feeds file through the fetcher (or reads
 * them, when the feeds file lists a local file), parses, matches and stores
 * each feed in one store transaction, queues notifications for the watches
 * that ask for them, and shows those notifications coalesced per watch, under
 * the hourly cap and outside quiet hours. It owns no library: every outside
 * thing is behind its module (fetch, feed, match, store, notify).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "agent.h"
#include "buf.h"
#include "cmd.h"
#include "config.h"
#include "date.h"
#include "digest.h"
#include "feed.h"
#include "feedlist.h"
#include "fetch.h"
#include "log.h"
#include "match.h"
#include "notify.h"
#include "sched.h"
#include "sdnotify.h"
#include "rules.h"
#include "store.h"
#include "util.h"

#define NOTIFY_ATTEMPTS		5	/* tries before a notification is left to the digest */
#define NOTIFY_RETRY		300	/* seconds after a failed show */
#define WORDS_MAX		6	/* matched words named in a notification */
#define ACTION_WINDOW		300	/* s after a notification when clicks are polled */
#define NOTIFY_COALESCE		3	/* s a round may hold new notifications back */

/* A poll in flight. */
struct poll {
	struct agent	*a;
	int64_t		 feed_id;
	char		*url;
	char		*name;		/* name, else the feed's title, else url */
	int		 named;		/* the feeds file gives the name */
	char		*tags;		/* comma-separated, or NULL */
	int		 first;		/* never polled before: no notifications */
	int		 failures;	/* consecutive failures before this poll */
	long		 interval;
	int64_t		 started;
};

/* What a notification needs that the store does not keep. */
struct noteinfo {
	int64_t		 item_id;
	char		*words;		/* the words that matched, "Lukashenko, Beijing" */
	char		*sources;	/* every feed that carried the story this cycle */
	char		*story;		/* story key, or NULL */
};

struct agent {
	char			*config_dir;
	char			*state_dir;
	char			*config_path;
	char			*feeds_path;
	char			*rules_dir;
	unsigned		 flags;
	struct config		 cfg;
	struct feedlist		*fl;
	struct ruleset		*rs;
	struct matcher		*m;
	struct store		*st;
	struct fetcher		*f;
	struct notifier		*nt;
	int			 lockfd;
	int			 inflight;
	int			 failed;	/* feeds failed since agent_poll began */
	int			 polled;
	int			 total;		/* feeds started by this agent_poll */
	int64_t			*busy;		/* feed ids in flight */
	size_t			 nbusy;
	struct noteinfo		*notes;
	size_t			 nnotes;
	int64_t			 sent[256];	/* times of recent notifications (ring) */
	unsigned		 nsent;
	int64_t			 notify_retry;	/* no show before this time */
	int64_t			 last_prune;
	int			 last_digest_yday;
	int64_t			 last_poll;
	uint64_t		 rng;		/* scheduling jitter */
	int64_t			 last_shown;	/* when a notification was last shown */
	int64_t			 first_note;	/* when this batch's first was queued */
};

static volatile sig_atomic_t	agent_sig_term, agent_sig_hup;
static int			agent_pipe[2] = { -1, -1 };

/* ---- set-up --------------------------------------------------------------- */

static int
load_config(struct agent *a, struct config *out)
{
	struct diag	d;

	config_init(out);
	diag_init(&d, stderr);
	if (config_load(out, a->config_path, &d) == -1) {
		config_release(out);
		return -1;
	}
	return 0;
}

static int
load_rules(struct agent *a, struct ruleset **rsp, struct matcher **mp)
{
	struct diag	 d;
	const char	*paths[1] = { a->rules_dir };
	char		*cause = NULL;

	diag_init(&d, stderr);
	if ((*rsp = rules_load(paths, 1, &d)) == NULL) {
		log_warn("%s: %u error(s) in the rules", a->rules_dir, d.errors);
		return -1;
	}
	if ((*mp = matcher_new(*rsp, &cause)) == NULL) {
		log_warn("%s: %s", a->rules_dir, cause);
		free(cause);
		ruleset_free(*rsp);
		*rsp = NULL;
		return -1;
	}
	return 0;
}

static int
load_feeds(struct agent *a, struct feedlist **out)
{
	char	*cause = NULL;
	size_t	 i;

	if ((*out = feedlist_load(a->feeds_path, &cause)) == NULL) {
		log_warn("%s", cause);
		free(cause);
		return -1;
	}
	for (i = 0; i < (*out)->nerrors; i++)
		log_warn("%s", (*out)->errors[i]);
	return (*out)->nerrors > 0 ? -1 : 0;
}

static void	poll_free(struct poll *);

/* A fetch the fetcher abandons (the agent stops with polls in flight). */
static void
poll_drop(void *udata)
{
	poll_free(udata);
}

static struct fetcher *
make_fetcher(const struct config *c)
{
	struct fetch_opts	o;

	memset(&o, 0, sizeof o);
	o.max_total = c->max_connections;
	o.max_host = c->max_per_host;
	o.connect_timeout_ms = c->connect_timeout * 1000;
	o.timeout_ms = c->timeout * 1000;
	o.max_body = c->max_body;
	o.user_agent = c->user_agent;
	o.drop = poll_drop;
	return fetcher_new(&o);
}

struct agent *
agent_new(const struct cmd_ctx *ctx, unsigned flags, char **cause)
{
	struct agent	*a;

	a = xcalloc(1, sizeof *a);
	a->lockfd = -1;
	a->flags = flags;
	a->config_dir = xstrdup(ctx->config_dir);
	a->state_dir = xstrdup(ctx->state_dir);
	a->config_path = xasprintf("%s/config", ctx->config_dir);
	a->feeds_path = xasprintf("%s/feeds", ctx->config_dir);
	a->rules_dir = cmd_rules_dir(ctx);
	a->last_digest_yday = -1;
	a->rng = ((uint64_t)getpid() << 32) ^ (uint64_t)util_now();
	if (load_config(a, &a->cfg) == -1) {
		*cause = xasprintf("%s has errors", a->config_path);
		config_init(&a->cfg);
		goto fail;
	}
	if (load_rules(a, &a->rs, &a->m) == -1) {
		*cause = xasprintf("the rules in %s have errors (see 'wirewatch rules check')",
		    a->rules_dir);
		goto fail;
	}
	if (load_feeds(a, &a->fl) == -1 && a->fl == NULL) {
		*cause = xasprintf("cannot read %s", a->feeds_path);
		goto fail;
	}
	if ((a->st = store_open(a->state_dir, 0, cause)) == NULL)
		goto fail;
	a->f = make_fetcher(&a->cfg);
	return a;
fail:
	agent_free(a);
	return NULL;
}

static void
notes_clear(struct agent *a)
{
	size_t	i;

	for (i = 0; i < a->nnotes; i++) {
		free(a->notes[i].words);
		free(a->notes[i].sources);
		free(a->notes[i].story);
	}
	free(a->notes);
	a->notes = NULL;
	a->nnotes = 0;
}

void
agent_free(struct agent *a)
{
	if (a == NULL)
		return;
	fetcher_free(a->f);
	notifier_free(a->nt);
	store_close(a->st);
	if (a->lockfd != -1)
		store_unlock_agent(a->lockfd);
	matcher_free(a->m);
	ruleset_free(a->rs);
	feedlist_free(a->fl);
	config_release(&a->cfg);
	notes_clear(a);
	free(a->busy);
	free(a->config_dir);
	free(a->state_dir);
	free(a->config_path);
	free(a->feeds_path);
	free(a->rules_dir);
	free(a);
}

int
agent_reload(struct agent *a)
{
	struct config	 c;
	struct ruleset	*rs;
	struct matcher	*m;
	struct feedlist	*fl;
	int		 rv = 0;

	if (load_config(a, &c) == 0) {
		config_release(&a->cfg);
		a->cfg = c;
	} else {
		log_warn("%s has errors: keeping the configuration loaded before", a->config_path);
		rv = -1;
	}
	/* `rules edit` or `init` may have made CONFIG/rules since the start */
	{
		struct cmd_ctx	ctx = { 0 };

		ctx.config_dir = a->config_dir;
		ctx.state_dir = a->state_dir;
		free(a->rules_dir);
		a->rules_dir = cmd_rules_dir(&ctx);
	}
	if (load_rules(a, &rs, &m) == 0) {
		matcher_free(a->m);
		ruleset_free(a->rs);
		a->rs = rs;
		a->m = m;
		log_info("rules reloaded: %zu actors, %zu topics, %zu watches",
		    rs->nactors, rs->ntopics, rs->nwatches);
	} else {
		log_warn("the new rules have errors: keeping the rules loaded before");
		rv = -1;
	}
	if (load_feeds(a, &fl) == -1)
		rv = -1;
	if (fl != NULL) {
		feedlist_free(a->fl);
		a->fl = fl;
	}
	if (a->inflight == 0) {
		fetcher_free(a->f);
		a->f = make_fetcher(&a->cfg);
		if (agent_pipe[0] != -1)
			fetcher_watch_fd(a->f, agent_pipe[0]);
	}
	return rv;
}

/* ---- scheduling ----------------------------------------------------------- */

/* When to poll next, by the configured policy (sched.h). */
static int64_t
next_poll_time(struct agent *a, long interval, int failures,
    const struct sched_hints *h, int64_t now)
{
	struct sched_policy	pol;
	struct sched_feed	sf;
	const char		*reason = NULL;
	int64_t			 t;

	pol.interval = a->cfg.interval;
	pol.min_interval = a->cfg.min_interval;
	pol.max_interval = a->cfg.max_interval;
	pol.jitter = a->cfg.jitter;
	sf.interval = interval;
	sf.failures = failures;
	t = sched_next(&pol, &sf, h, now, &a->rng, &reason);
	log_debug("next poll in %lds (%s)", (long)(t - now), reason);
	return t;
}

/* ---- polling -------------------------------------------------------------- */

static int
busy_has(const struct agent *a, int64_t id)
{
	size_t	i;

	for (i = 0; i < a->nbusy; i++)
		if (a->busy[i] == id)
			return 1;
	return 0;
}

static void
busy_del(struct agent *a, int64_t id)
{
	size_t	i;

	for (i = 0; i < a->nbusy; i++)
		if (a->busy[i] == id) {
			a->busy[i] = a->busy[--a->nbusy];
			return;
		}
}

static void
poll_free(struct poll *p)
{
	free(p->url);
	free(p->name);
	free(p->tags);
	free(p);
}

static void
progress(struct agent *a)
{
	if (!(a->flags & AGENT_PROGRESS) || !isatty(STDERR_FILENO) || a->total == 0)
		return;
	fprintf(stderr, "\rpolling feeds: %d/%d done%s", a->polled, a->total,
	    a->failed ? "" : "   ");
	if (a->failed)
		fprintf(stderr, ", %d failed ", a->failed);
	if (a->polled == a->total)
		fputc('\n', stderr);
}

static const char *
noteinfo_words(struct agent *a, int64_t item_id, const char **sources)
{
	size_t	i;

	for (i = 0; i < a->nnotes; i++)
		if (a->notes[i].item_id == item_id) {
			*sources = a->notes[i].sources;
			return a->notes[i].words;
		}
	*sources = NULL;
	return NULL;
}

/* The words of a watch's spans, unique, joined by ", ". */
static char *
hit_words(const struct mresult *r, const struct mhit *h)
{
	struct buf	 b;
	char		*w, *seen[WORDS_MAX];
	size_t		 i, j, n = 0;

	buf_init(&b, 0);
	for (i = 0; i < h->nspans && n < WORDS_MAX; i++) {
		w = mresult_span_text(r, &h->spans[i]);
		for (j = 0; j < n; j++)
			if (strcmp(seen[j], w) == 0)
				break;
		if (j < n || *w == '\0') {
			free(w);
			continue;
		}
		buf_addf(&b, "%s%s", n ? ", " : "", w);
		seen[n++] = w;
	}
	for (j = 0; j < n; j++)
		free(seen[j]);
	return buf_steal(&b);
}

/*
 * Another feed carried a story already queued for notification: name it
 * among the sources (the queue itself announces a story once per watch).
 */
static void
note_story_source(struct agent *a, const char *story, const char *feed)
{
	struct noteinfo	*n;
	char		*s;
	size_t		 i;

	for (i = 0; story != NULL && i < a->nnotes; i++) {
		n = &a->notes[i];
		if (n->story == NULL || strcmp(n->story, story) != 0)
			continue;
		if (strstr(n->sources, feed) != NULL)
			return;
		s = xasprintf("%s, %s", n->sources, feed);
		free(n->sources);
		n->sources = s;
		return;
	}
}

static int
in_quiet_hours(const struct config *c, int64_t now)
{
	struct tm	tm;
	time_t		t = (time_t)now;
	int		min;

	if (c->quiet_start < 0 || c->quiet_end < 0 || c->quiet_start == c->quiet_end)
		return 0;
	localtime_r(&t, &tm);
	min = tm.tm_hour * 60 + tm.tm_min;
	if (c->quiet_start < c->quiet_end)
		return min >= c->quiet_start && min < c->quiet_end;
	return min >= c->quiet_start || min < c->quiet_end;
}

/* Match one new item, record its matches and queue its notifications. */
static int
item_match(struct agent *a, struct poll *p, int64_t item_id, const struct item *it,
    int64_t now, char **cause)
{
	struct article	 art = { it->title, it->summary, it->content,
	    it->published != DATE_NONE ? it->published : it->updated };
	struct mresult	*r;
	struct buf	 ev;
	const struct rwatch *w;
	size_t		 i;
	int64_t		 nid;
	int		 rv = 0, q;

	if ((r = match_article(a->m, &art, 0)) == NULL)
		return 0;
	buf_init(&ev, 0);
	mresult_evidence_json(r, &ev);
	for (i = 0; i < r->nhits && rv == 0; i++) {
		const struct mhit *h = &r->hits[i];

		if (store_match_add(a->st, item_id, h->name, h->kind,
		    h->kind == 'w' ? ev.data : NULL, cause) == -1) {
			rv = -1;
			break;
		}
		if (h->kind != 'w')
			continue;
		w = &a->rs->watches[h->idx];
		if (!w->notify || !a->cfg.notify || (a->flags & AGENT_NO_NOTIFY) ||
		    (p->first && !a->cfg.notify_backlog))
			continue;
		q = store_notification_add(a->st, item_id, h->name,
		    in_quiet_hours(&a->cfg, now) ? STORE_N_HELD : STORE_N_PENDING, &nid, cause);
		if (q == -1) {
			rv = -1;
			break;
		}
		if (q == 1) {
			if (a->nnotes == 0)
				a->first_note = util_now();
			a->notes = xreallocarray(a->notes, a->nnotes + 1, sizeof *a->notes);
			a->notes[a->nnotes].item_id = item_id;
			a->notes[a->nnotes].words = hit_words(r, h);
			a->notes[a->nnotes].sources = xstrdup(p->name);
			a->notes[a->nnotes].story = store_story_key(it->link, it->title);
			a->nnotes++;
		} else {
			char *story = store_story_key(it->link, it->title);

			note_story_source(a, story, p->name);
			free(story);
		}
	}
	buf_release(&ev);
	mresult_free(r);
	return rv;
}

/* Store a parsed feed: one transaction with the feed's health. */
static int
feed_store(struct agent *a, struct poll *p, const struct feed *fd, struct store_poll *sp,
    int64_t now, char **cause)
{
	size_t		 i, n;
	int64_t		 item_id;
	int		 r, fresh = 0;

	if (store_poll_begin(a->st, cause) == -1)
		return -1;
	n = fd->nitems < (size_t)a->cfg.max_items ? fd->nitems : (size_t)a->cfg.max_items;
	for (i = 0; i < n; i++) {
		const struct item *it = &fd->items[i];

		if ((r = store_item_add(a->st, p->feed_id, it, &item_id, cause)) == -1)
			goto fail;
		if (r == STORE_KNOWN)
			continue;
		fresh++;
		if (item_match(a, p, item_id, it, now, cause) == -1)
			goto fail;
	}
	if (store_feed_update_health(a->st, p->feed_id, sp, cause) == -1)
		goto fail;
	if (store_poll_commit(a->st, cause) == -1)
		goto fail;
	if (fresh > 0)
		log_info("%s: %d new item(s)", p->name, fresh);
	return 0;
fail:
	store_poll_rollback(a->st);
	return -1;
}

static char *
body_hash(const char *body, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)body[i];
		h *= 0x100000001b3ULL;
	}
	return xasprintf("%016llx-%zu", (unsigned long long)h, len);
}

static void
log_notice_recovered(const char *name)
{
	log_warn("%s: working again", name);
}

/* Record a failed poll; log only when the feed's state changes. */
static void
poll_failed(struct agent *a, struct poll *p, int status, const char *error,
    const struct sched_hints *hints, int gone, int64_t now)
{
	struct store_poll	 sp;
	char			*cause = NULL;
	int			 n;

	memset(&sp, 0, sizeof sp);
	sp.attempt = p->started;
	sp.http_status = status;
	sp.error = error;
	sp.gone = gone;
	sp.next_poll = next_poll_time(a, p->interval, p->failures + 1, hints, now);
	if ((n = store_feed_update_health(a->st, p->feed_id, &sp, &cause)) == -1) {
		log_warn("%s: %s", p->name, cause);
		free(cause);
	}
	a->failed++;
	if (gone)
		log_warn("%s: gone (HTTP 410): no longer polled; remove it from the feeds file",
		    p->name);
	else if (p->failures == 0)
		log_warn("%s: failing: %s", p->name, error);
	else
		log_debug("%s: still failing (%d): %s", p->name, p->failures + 1, error);
}

/* A body arrived (or a local file was read): parse and store it. */
static void
poll_body(struct agent *a, struct poll *p, const char *body, size_t len,
    const char *content_type, const char *base, struct store_poll *sp,
    struct sched_hints *hints, int64_t now)
{
	struct store_feed	 sf;
	struct feed		*fd;
	char			*hash, *cause = NULL;
	int			 unchanged = 0;

	hash = body_hash(body, len);
	memset(&sf, 0, sizeof sf);
	if (store_feed_get(a->st, p->url, &sf, &cause) == 1 && sf.body_hash != NULL &&
	    strcmp(sf.body_hash, hash) == 0)
		unchanged = 1;
	store_feed_release(&sf);
	free(cause);
	cause = NULL;
	if (unchanged) {
		sp->body_hash = hash;
		sp->next_poll = next_poll_time(a, p->interval, 0, hints, now);
		if (store_feed_update_health(a->st, p->feed_id, sp, &cause) == -1) {
			log_warn("%s: %s", p->name, cause);
			free(cause);
		}
		log_debug("%s: unchanged", p->name);
		free(hash);
		return;
	}
	if ((fd = feed_parse(body, len, base, content_type, &cause)) == NULL) {
		poll_failed(a, p, sp->http_status, cause, hints, 0, now);
		free(cause);
		free(hash);
		return;
	}
	if (!p->named && fd->title != NULL && *fd->title != '\0' &&
	    strcmp(fd->title, p->name) != 0) {
		/* no name in the feeds file: the feed's own title names it */
		if (store_feed_add(a->st, p->url, fd->title, p->tags, p->interval, NULL,
		    &cause) == -1) {
			free(cause);
			cause = NULL;
		}
		free(p->name);
		p->name = xstrdup(fd->title);
	}
	hints->ttl = fd->ttl;
	hints->skiphours = fd->skiphours;
	hints->skipdays = fd->skipdays;
	hints->update_period = fd->update_period;
	sp->body_hash = hash;
	sp->next_poll = next_poll_time(a, p->interval, 0, hints, now);
	if (feed_store(a, p, fd, sp, now, &cause) == -1) {
		log_warn("%s: not stored: %s", p->name, cause);
		free(cause);
		a->failed++;
	} else if (p->failures > 0)
		log_notice_recovered(p->name);
	feed_free(fd);
	free(hash);
}

static void
poll_done(struct fetch_res *res, void *udata)
{
	struct poll		*p = udata;
	struct agent		*a = p->a;
	struct store_poll	 sp;
	struct sched_hints	 hints;
	int64_t			 now = util_now();
	char			*err;

	a->inflight--;
	a->polled++;
	busy_del(a, p->feed_id);
	memset(&sp, 0, sizeof sp);
	sched_hints_init(&hints);
	sp.attempt = p->started;
	sp.http_status = res->status;
	hints.retry_after = res->retry_after;
	hints.max_age = res->max_age;
	hints.expires = res->expires;
	if (res->error != FETCH_OK) {
		poll_failed(a, p, 0, res->error_text, &hints, 0, now);
	} else if (res->status == 410) {
		poll_failed(a, p, 410, "410 Gone", &hints, 1, now);
	} else if (res->not_modified) {
		sp.moved_to = res->moved_url;
		sp.next_poll = next_poll_time(a, p->interval, 0, &hints, now);
		if (store_feed_update_health(a->st, p->feed_id, &sp, &err) == -1) {
			log_warn("%s: %s", p->name, err);
			free(err);
		} else if (p->failures > 0)
			log_notice_recovered(p->name);
		log_debug("%s: not modified", p->name);
	} else if (res->status < 200 || res->status > 299 || res->body == NULL) {
		err = xasprintf("HTTP %d", res->status);
		poll_failed(a, p, res->status, err, &hints, 0, now);
		free(err);
	} else {
		sp.etag = res->etag != NULL ? res->etag : "";
		sp.last_modified = res->last_modified != NULL ? res->last_modified : "";
		sp.moved_to = res->moved_url;
		if (res->moved_url != NULL)
			log_info("%s: moved permanently to %s", p->name, res->moved_url);
		poll_body(a, p, res->body, res->len, res->content_type,
		    res->final_url != NULL ? res->final_url : p->url, &sp, &hints, now);
	}
	a->last_poll = now;
	progress(a);
	poll_free(p);
}

/* A feed the feeds file lists as a local file: read it now. */
static void
poll_local(struct agent *a, struct poll *p, const char *path)
{
	struct store_poll	 sp;
	struct sched_hints	 hints;
	char			*body, *cause = NULL;
	size_t			 len;
	int64_t			 now = util_now();

	memset(&sp, 0, sizeof sp);
	sched_hints_init(&hints);
	sp.attempt = p->started;
	a->polled++;
	if ((body = util_read_file(path, a->cfg.max_body, &len, &cause)) == NULL) {
		poll_failed(a, p, 0, cause, &hints, 0, now);
		free(cause);
	} else {
		poll_body(a, p, body, len, NULL, NULL, &sp, &hints, now);
		free(body);
	}
	a->last_poll = now;
	progress(a);
	poll_free(p);
}

/* Start polling one feed of the feeds file when it is due (or always). */
static void
poll_start(struct agent *a, const struct feedlist_entry *e, unsigned flags, int64_t now)
{
	struct store_feed	 sf;
	struct fetch_req	 req;
	struct poll		*p;
	char			*tags, *name, *cause = NULL;
	int64_t			 id;

	tags = feedlist_tags(e);
	memset(&sf, 0, sizeof sf);
	/* without a name in the feeds file, keep the one taken from the feed */
	if (e->name == NULL && store_feed_get(a->st, e->url, &sf, &cause) == 1 &&
	    sf.name != NULL)
		name = xstrdup(sf.name);
	else
		name = e->name != NULL ? xstrdup(e->name) : NULL;
	store_feed_release(&sf);
	free(cause);
	cause = NULL;
	if (store_feed_add(a->st, e->url, name, tags, e->interval, &id, &cause) == -1 ||
	    store_feed_get(a->st, e->url, &sf, &cause) != 1) {
		log_warn("%s: %s", e->url, cause != NULL ? cause : "not in the store");
		free(cause);
		free(tags);
		free(name);
		return;
	}
	if (sf.gone || busy_has(a, id) || ((flags & AGENT_POLL_DUE) && !(flags & AGENT_POLL_ALL) &&
	    sf.next_poll > now)) {
		store_feed_release(&sf);
		free(tags);
		free(name);
		return;
	}
	p = xcalloc(1, sizeof *p);
	p->a = a;
	p->feed_id = id;
	p->url = xstrdup(e->url);
	p->name = name != NULL ? name : xstrdup(e->url);
	p->named = e->name != NULL;
	p->tags = tags;
	p->first = sf.last_success == 0 && sf.nitems == 0;
	p->failures = sf.failures;
	p->interval = e->interval;
	p->started = now;
	a->total++;
	if (e->path != NULL) {
		store_feed_release(&sf);
		poll_local(a, p, e->path);
		return;
	}
	memset(&req, 0, sizeof req);
	req.url = sf.moved_to != NULL ? sf.moved_to : e->url;
	req.etag = sf.etag;
	req.last_modified = sf.last_modified;
	if (fetcher_add(a->f, &req, p, &cause) == -1) {
		struct sched_hints none;

		sched_hints_init(&none);
		poll_failed(a, p, 0, cause, &none, 0, now);
		free(cause);
		a->polled++;
		poll_free(p);
	} else {
		a->inflight++;
		a->busy = xreallocarray(a->busy, a->nbusy + 1, sizeof *a->busy);
		a->busy[a->nbusy++] = id;
	}
	store_feed_release(&sf);
}

/*
 * Registering the feeds (store_feed_add, store_feed_get) runs in one write
 * transaction, not one per feed: with 1000 feeds that is one commit instead
 * of 1000. A local file is polled at once and stores in a transaction of its
 * own, so the batch is committed before it and reopened after it.
 */
static void
poll_start_all(struct agent *a, unsigned flags)
{
	int64_t	now = util_now();
	size_t	i;
	int	tx = 0;
	char	*cause = NULL;

	for (i = 0; a->fl != NULL && i < a->fl->n; i++) {
		if (a->fl->v[i].path != NULL && tx) {
			if (store_poll_commit(a->st, &cause) == -1) {
				log_warn("%s", cause);
				free(cause);
				cause = NULL;
			}
			tx = 0;
		} else if (a->fl->v[i].path == NULL && !tx) {
			if (store_poll_begin(a->st, &cause) == 0)
				tx = 1;
			else {
				log_warn("%s", cause);
				free(cause);
				cause = NULL;
			}
		}
		poll_start(a, &a->fl->v[i], flags, now);
	}
	if (tx && store_poll_commit(a->st, &cause) == -1) {
		log_warn("%s", cause);
		free(cause);
	}
}

int
agent_poll(struct agent *a, unsigned flags)
{
	a->failed = a->polled = a->total = 0;
	poll_start_all(a, flags);
	progress(a);
	while (a->inflight > 0 && !agent_sig_term)
		fetcher_run(a->f, 1000, poll_done);
	return a->failed;
}

/* ---- notifications -------------------------------------------------------- */

static unsigned
sent_last_hour(const struct agent *a, int64_t now)
{
	unsigned	i, n = 0;

	for (i = 0; i < a->nsent && i < nitems(a->sent); i++)
		if (a->sent[i] > now - 3600)
			n++;
	return n;
}

static void
note_sent(struct agent *a, int64_t now)
{
	a->sent[a->nsent++ % nitems(a->sent)] = now;
}

/* Show one coalesced notification for the queued notifications of one watch. */
static void
notify_watch(struct agent *a, struct store_notification *v, size_t n, int64_t now)
{
	const struct rwatch	*w = NULL;
	struct notice		 nc;
	const char		*words, *sources;
	char			*summary, *cause = NULL;
	uint32_t		 sid = 0;
	size_t			 i, newest = 0;
	char			 kind;
	int			 idx;

	if ((idx = ruleset_find(a->rs, v[0].watch, &kind)) >= 0 && kind == 'w')
		w = &a->rs->watches[idx];
	for (i = 1; i < n; i++)
		if (v[i].created >= v[newest].created)
			newest = i;
	words = noteinfo_words(a, v[newest].item_id, &sources);
	if (n == 1)
		summary = xstrdup(w != NULL ? w->label : v[0].watch);
	else
		summary = xasprintf("%s: %zu new articles", w != NULL ? w->label : v[0].watch, n);
	memset(&nc, 0, sizeof nc);
	nc.key = v[0].watch;
	nc.summary = summary;
	nc.headline = v[newest].title != NULL ? v[newest].title : "(no title)";
	nc.source = sources != NULL ? sources : v[newest].feed_name;
	nc.matched = words;
	nc.link = v[newest].link;
	nc.priority = w != NULL ? w->priority : PRIO_NORMAL;
	nc.count = (unsigned)n;
	/* Mark first: a crash between marking and showing loses one popup (the
	 * digest still has the article) rather than showing it twice. */
	for (i = 0; i < n; i++)
		store_notification_set(a->st, v[i].id, STORE_N_SENT, 0, 0, NULL);
	if (a->nt == NULL)
		a->nt = notifier_new("wirewatch");
	if (notifier_show(a->nt, &nc, &sid, &cause) == -1) {
		for (i = 0; i < n; i++)
			store_notification_set(a->st, v[i].id, STORE_N_FAILED, 0, 0, NULL);
		a->notify_retry = now + NOTIFY_RETRY;
		free(cause);
	} else {
		for (i = 0; i < n; i++)
			store_notification_set(a->st, v[i].id, STORE_N_SENT, sid, 0, NULL);
		note_sent(a, now);
		a->last_shown = now;
	}
	free(summary);
}

static int
notification_cmp(const void *x, const void *y)
{
	const struct store_notification	*a = x, *b = y;
	int				 c;

	if ((c = strcmp(a->watch, b->watch)) != 0)
		return c;
	return (a->created > b->created) - (a->created < b->created);
}

void
agent_notify(struct agent *a)
{
	struct store_notification	*v = NULL, *all = NULL;
	size_t				 n, nall = 0, i, j;
	enum store_nstate		 states[] = { STORE_N_PENDING, STORE_N_HELD, STORE_N_FAILED };
	int64_t				 now = util_now();
	char				*cause = NULL;
	unsigned			 s;

	if (!a->cfg.notify || in_quiet_hours(&a->cfg, now) || now < a->notify_retry)
		return;
	for (s = 0; s < nitems(states); s++) {
		if (store_notification_list(a->st, states[s], 0,
		    states[s] == STORE_N_FAILED ? NOTIFY_ATTEMPTS : 0, &v, &n, &cause) == -1) {
			log_warn("notifications: %s", cause);
			free(cause);
			cause = NULL;
			continue;
		}
		if (n == 0)
			continue;
		all = xreallocarray(all, nall + n, sizeof *all);
		memcpy(all + nall, v, n * sizeof *v);
		nall += n;
		free(v);	/* the records moved into all */
	}
	if (nall == 0)
		return;
	qsort(all, nall, sizeof *all, notification_cmp);
	for (i = 0; i < nall; i = j) {
		for (j = i + 1; j < nall && strcmp(all[j].watch, all[i].watch) == 0; j++)
			;
		if (a->cfg.max_per_hour > 0 && sent_last_hour(a, now) >= (unsigned)a->cfg.max_per_hour) {
			log_debug("notification cap reached: %zu held for later", j - i);
			continue;
		}
		notify_watch(a, all + i, j - i, now);
		if (now < a->notify_retry)
			break;
	}
	store_notification_list_free(all, nall);
	notes_clear(a);
}

/* ---- the event loop ------------------------------------------------------- */

static void
agent_signal(int sig)
{
	int	saved = errno;
	char	c = (char)sig;

	if (sig == SIGHUP)
		agent_sig_hup = 1;
	else
		agent_sig_term = 1;
	if (agent_pipe[1] != -1)
		(void)!write(agent_pipe[1], &c, 1);
	errno = saved;
}

static void
fcntl_nonblock(int fd)
{
	int	fl;

	if ((fl = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	if ((fl = fcntl(fd, F_GETFD)) != -1)
		fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

void
agent_signals(void)
{
	struct sigaction	sa;

	if (agent_pipe[0] == -1 && pipe(agent_pipe) == 0) {
		fcntl_nonblock(agent_pipe[0]);
		fcntl_nonblock(agent_pipe[1]);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = agent_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static void
drain_pipe(void)
{
	char	buf[64];

	while (agent_pipe[0] != -1 && read(agent_pipe[0], buf, sizeof buf) > 0)
		;
}

/* The earliest next poll of a listed feed that is not gone, or 0. */
static int64_t
next_due(struct agent *a)
{
	struct store_feed	sf;
	int64_t			t = 0;
	char			*cause = NULL;
	size_t			i;

	for (i = 0; a->fl != NULL && i < a->fl->n; i++) {
		if (store_feed_get(a->st, a->fl->v[i].url, &sf, &cause) != 1) {
			free(cause);
			cause = NULL;
			return util_now();	/* not yet known: due now */
		}
		if (!sf.gone && !busy_has(a, sf.id) && (t == 0 || sf.next_poll < t))
			t = sf.next_poll;
		store_feed_release(&sf);
	}
	return t;
}

static void
status_line(struct agent *a)
{
	struct store_stats	st;
	char			*cause = NULL, when[32] = "never";
	char			 line[256];
	struct tm		 tm;
	time_t			 t;

	if (store_stats(a->st, &st, &cause) == -1) {
		free(cause);
		return;
	}
	if (a->last_poll != 0) {
		t = (time_t)a->last_poll;
		localtime_r(&t, &tm);
		strftime(when, sizeof when, "%H:%M", &tm);
	}
	snprintf(line, sizeof line, "%zu feeds, %ld failing, last poll %s, %ld matches, "
	    "%ld notifications pending", a->fl != NULL ? a->fl->n : 0, st.feeds_failing,
	    when, st.matches, st.notif_pending + st.notif_held);
	sdnotify_status(line);
}

static void
maybe_prune(struct agent *a, int64_t now)
{
	long	pruned = 0, forgotten = 0;
	char	*cause = NULL;

	if (now - a->last_prune < 86400)
		return;
	a->last_prune = now;
	if (store_prune(a->st, now - a->cfg.retention, now - a->cfg.forget, &pruned,
	    &forgotten, &cause) == -1) {
		log_warn("prune: %s", cause);
		free(cause);
	} else if (pruned || forgotten)
		log_info("pruned %ld old items, forgot %ld identities", pruned, forgotten);
}

int
agent_lock(struct agent *a, char **cause)
{
	if (a->lockfd == -1 && (a->lockfd = store_lock_agent(a->state_dir, cause)) == -1)
		return -1;
	return 0;
}

/* The digest of the configuration, once a day at digest-at (local time). */
static void
maybe_digest(struct agent *a, int64_t now)
{
	struct cmd_ctx	 ctx = { 0 };
	struct tm	 tm;
	time_t		 t = (time_t)now;
	char		*cause = NULL;
	int		 fmt;

	if (a->cfg.digest_at < 0)
		return;
	localtime_r(&t, &tm);
	if (tm.tm_hour * 60 + tm.tm_min < a->cfg.digest_at || tm.tm_yday == a->last_digest_yday)
		return;
	a->last_digest_yday = tm.tm_yday;
	if ((fmt = digest_format_parse(a->cfg.digest_format)) == -1)
		fmt = DIGEST_HTML;
	ctx.config_dir = a->config_dir;
	ctx.state_dir = a->state_dir;
	if (cmd_digest_write(&ctx, a->st, now - a->cfg.digest_since, now, NULL, fmt,
	    a->cfg.digest_output, 0, &cause) == -1) {
		log_warn("scheduled digest: %s", cause);
		free(cause);
	}
}

/* Seconds until the next scheduled digest, or a day. */
static int64_t
digest_wait(const struct agent *a, int64_t now)
{
	struct tm	tm;
	time_t		t = (time_t)now;
	int		min;

	if (a->cfg.digest_at < 0)
		return 86400;
	localtime_r(&t, &tm);
	min = tm.tm_hour * 60 + tm.tm_min;
	if (tm.tm_yday != a->last_digest_yday && min >= a->cfg.digest_at)
		return 0;
	if (min < a->cfg.digest_at)
		return (int64_t)(a->cfg.digest_at - min) * 60 - tm.tm_sec;
	return (int64_t)(1440 - min + a->cfg.digest_at) * 60 - tm.tm_sec;
}

int
agent_run(struct agent *a)
{
	char	*cause = NULL;
	int64_t	 now, due, wake;
	long	 wd;
	int	 timeout;

	if (agent_lock(a, &cause) == -1) {
		log_err("%s", cause);
		free(cause);
		return EXIT_FAIL;
	}
	{
		struct tm	tm;
		time_t		t = (time_t)util_now();

		/* a digest already due today is written at start only if missed */
		localtime_r(&t, &tm);
		if (a->cfg.digest_at >= 0 && tm.tm_hour * 60 + tm.tm_min >= a->cfg.digest_at)
			a->last_digest_yday = -1;
	}
	agent_signals();
	fetcher_watch_fd(a->f, agent_pipe[0]);
	sdnotify_init();
	wd = (long)(sdnotify_watchdog_usec() / 2000000);	/* half, in seconds */
	log_info("running: %zu feeds, %zu watches, state in %s",
	    a->fl != NULL ? a->fl->n : 0, a->rs->nwatches, a->state_dir);
	sdnotify_ready("starting");
	/* what a killed agent had queued but not shown yet */
	agent_notify(a);
	while (!agent_sig_term) {
		if (agent_sig_hup) {
			agent_sig_hup = 0;
			sdnotify_reloading();
			agent_reload(a);
			sdnotify_ready("reloaded");
		}
		now = util_now();
		a->failed = a->polled = a->total = 0;
		poll_start_all(a, AGENT_POLL_DUE);
		while (a->inflight > 0 && !agent_sig_term && !agent_sig_hup) {
			timeout = wd > 0 ? (int)(wd * 1000) : 5000;
			if (a->nnotes > 0 && timeout > 1000)
				timeout = 1000;
			fetcher_run(a->f, timeout, poll_done);
			drain_pipe();
			sdnotify_watchdog();
			/*
			 * A slow feed does not hold back what the others found: a
			 * round's notifications go out at its end, or once the
			 * first of them has waited NOTIFY_COALESCE seconds.
			 */
			if (a->nnotes > 0 && util_now() - a->first_note >= NOTIFY_COALESCE)
				agent_notify(a);
		}
		agent_notify(a);
		if (a->nt != NULL)
			notifier_dispatch(a->nt);
		maybe_prune(a, now);
		maybe_digest(a, now);
#ifdef __GLIBC__
		/* hand the round's freed parse buffers back before sleeping */
		malloc_trim(0);
#endif
		status_line(a);
		sdnotify_watchdog();
		if (agent_sig_term || agent_sig_hup)
			continue;
		/* sleep until the next feed is due, a signal, or the watchdog */
		now = util_now();
		due = next_due(a);
		wake = due == 0 ? now + 3600 : due;
		if (a->notify_retry > now && a->notify_retry < wake)
			wake = a->notify_retry;
		if (wd > 0 && now + wd < wake)
			wake = now + wd;
		if (now + digest_wait(a, now) < wake)
			wake = now + digest_wait(a, now);
		if (wake - now > 3600)
			wake = now + 3600;
		timeout = wake > now ? (int)(wake - now) * 1000 : 0;
		if (timeout > 0) {
			int	fds[6], nfds, i;

			/* sleep on the signal pipe and the notification bus */
			fetcher_watch_fd(a->f, -1);
			fetcher_watch_fd(a->f, agent_pipe[0]);
			nfds = notifier_pollfds(a->nt, fds, 6);
			for (i = 0; i < nfds; i++)
				fetcher_watch_fd(a->f, fds[i]);
			/*
			 * For a while after notifications were shown, wake every
			 * second to handle their "Open" clicks (the bus does not
			 * always wake the loop by itself); nothing else runs then.
			 */
			while (timeout > 1000 && a->last_shown != 0 &&
			    util_now() - a->last_shown < ACTION_WINDOW &&
			    !agent_sig_term && !agent_sig_hup) {
				struct timespec	t0, t1;
				long		ms;

				clock_gettime(CLOCK_MONOTONIC, &t0);
				fetcher_run(a->f, 1000, poll_done);
				drain_pipe();
				if (a->nt != NULL)
					notifier_dispatch(a->nt);
				clock_gettime(CLOCK_MONOTONIC, &t1);
				ms = (t1.tv_sec - t0.tv_sec) * 1000 +
				    (t1.tv_nsec - t0.tv_nsec) / 1000000;
				timeout -= ms > 0 ? (int)ms : 1;
				if (a->inflight > 0)
					break;
			}
			if (timeout > 0 && !agent_sig_term && !agent_sig_hup) {
				fetcher_run(a->f, timeout, poll_done);
				drain_pipe();
			}
			if (a->nt != NULL)
				notifier_dispatch(a->nt);
		}
	}
	sdnotify_stopping();
	log_info("stopping");
	return EXIT_OK;
}

int
agent_poll_once(const struct cmd_ctx *ctx, unsigned flags, char **cause)
{
	struct agent	*a;
	int		 failed;

	if ((a = agent_new(ctx, flags | AGENT_NO_NOTIFY, cause)) == NULL)
		return -1;
	if (a->fl == NULL || a->fl->n == 0) {
		agent_free(a);
		return 0;
	}
	failed = agent_poll(a, flags);
	agent_free(a);
	if (failed > 0) {
		*cause = xasprintf("%d feed(s) failed (see 'wirewatch feeds list')", failed);
		return -1;
	}
	return 0;
}
