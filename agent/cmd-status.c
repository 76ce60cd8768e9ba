/*
 * wirewatch status: is the agent running, how are the feeds, when was the
 * last poll, what matched today, what waits to be notified. Reads the state
 * store only; never polls.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cmd.h"
#include "feedlist.h"
#include "json.h"
#include "store.h"
#include "util.h"

/* Health of the feeds the feeds file lists (removed ones no longer count). */
struct health {
	long	 feeds, ok, failing, gone, fresh;
};

static void
feeds_health(const struct cmd_ctx *ctx, struct store *st, struct health *h)
{
	struct feedlist		*fl;
	struct store_feed	 sf;
	char			*path, *cause = NULL;
	size_t			 i;

	memset(h, 0, sizeof *h);
	path = xasprintf("%s/feeds", ctx->config_dir);
	fl = feedlist_load(path, &cause);
	free(path);
	free(cause);
	for (i = 0; fl != NULL && i < fl->n; i++) {
		h->feeds++;
		cause = NULL;
		if (store_feed_get(st, fl->v[i].url, &sf, &cause) != 1) {
			free(cause);
			h->fresh++;
			continue;
		}
		switch (sf.status) {
		case STORE_FEED_OK:
			h->ok++;
			break;
		case STORE_FEED_FAILING:
			h->failing++;
			break;
		case STORE_FEED_GONE:
			h->gone++;
			break;
		default:
			h->fresh++;
		}
		store_feed_release(&sf);
	}
	feedlist_free(fl);
}

struct today {
	long	 matched;	/* items that matched a watch */
	int64_t	 last;
};

static int
today_cb(const struct store_matched *m, void *arg)
{
	struct today	*t = arg;

	if (m->kind == 'w' && m->item_id != t->last) {
		t->matched++;
		t->last = m->item_id;
	}
	return 0;
}

static int64_t
local_midnight(int64_t now)
{
	struct tm	tm;
	time_t		t = (time_t)now;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

static void
fmt_when(int64_t t, char out[32])
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (t == 0) {
		snprintf(out, 32, "never");
		return;
	}
	localtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}

int
cmd_status(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store		*st;
	struct store_stats	 s;
	struct health		 h;
	struct today		 td = { 0, -1 };
	struct buf		 b;
	char			*cause = NULL, when[32];
	long			 pid;
	int			 ch, json = 0, running;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'h':
			return cmd_help_of(cmd_find("status"));
		default:
			return cmd_usage(cmd_find("status"));
		}
	}
	if (optind != argc)
		return cmd_usage(cmd_find("status"));
	if ((st = store_open(ctx->state_dir, 0, &cause)) == NULL) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		free(cause);
		return EXIT_FAIL;
	}
	/* The agent holds the lock while it runs. */
	pid = store_agent_pid(ctx->state_dir);
	running = pid != 0;
	if (store_stats(st, &s, &cause) == -1 ||
	    store_items_matched(st, local_midnight(util_now()), 0, NULL, today_cb, &td,
	    &cause) == -1) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		free(cause);
		store_close(st);
		return EXIT_FAIL;
	}
	feeds_health(ctx, st, &h);
	store_close(st);
	fmt_when(s.last_poll, when);
	buf_init(&b, 0);
	if (json) {
		buf_addf(&b, "{\"agent\":%s,\"feeds\":%ld,\"healthy\":%ld,\"failing\":%ld,"
		    "\"gone\":%ld,\"not_polled\":%ld,\"last_poll\":", running ? "true" : "false",
		    h.feeds, h.ok, h.failing, h.gone, h.fresh);
		if (s.last_poll == 0)
			buf_adds(&b, "null");
		else
			json_date(&b, s.last_poll);
		buf_addf(&b, ",\"items\":%ld,\"matched_today\":%ld,\"notifications\":"
		    "{\"pending\":%ld,\"held\":%ld,\"failed\":%ld,\"sent\":%ld},\"state\":",
		    s.items, td.matched, s.notif_pending, s.notif_held, s.notif_failed,
		    s.notif_sent);
		json_str(&b, ctx->state_dir);
		buf_adds(&b, "}\n");
	} else {
		if (!running)
			buf_adds(&b, "agent:          not running\n");
		else if (pid > 0)
			buf_addf(&b, "agent:          running (pid %ld)\n", pid);
		else
			buf_adds(&b, "agent:          running\n");
		buf_addf(&b, "feeds:          %ld (%ld healthy, %ld failing, %ld gone",
		    h.feeds, h.ok, h.failing, h.gone);
		if (h.fresh > 0)
			buf_addf(&b, ", %ld not polled yet", h.fresh);
		buf_adds(&b, ")\n");
		buf_addf(&b, "last poll:      %s\n", when);
		buf_addf(&b, "items stored:   %ld\n", s.items);
		buf_addf(&b, "matched today:  %ld\n", td.matched);
		buf_addf(&b, "notifications:  %ld pending, %ld held, %ld failed, %ld sent\n",
		    s.notif_pending, s.notif_held, s.notif_failed, s.notif_sent);
		buf_addf(&b, "state:          %s\n", ctx->state_dir);
	}
	fwrite(b.data, 1, b.len, stdout);
	buf_release(&b);
	return EXIT_OK;
}
