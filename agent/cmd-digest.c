/*
 * wirewatch digest: poll the due feeds (unless --no-fetch), then write the
 * articles matched in a time window, grouped by watch and then by story
 * (one entry per story, listing every source), newest first, in one of the
 * digest formats. Highlights come from running the current rules over the
 * stored text again, so they point at exact words.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "buf.h"
#include "cmd.h"
#include "config.h"
#include "date.h"
#include "digest.h"
#include "log.h"
#include "match.h"
#include "rules.h"
#include "store.h"
#include "util.h"

#define DIGEST_SNIPPET	280

/* One matched item, gathered from the store's walk. */
struct ditem {
	int64_t		 id;
	char		*feed;
	char		*story;		/* story key, or NULL */
	char		*title;
	char		*link;
	char		*summary;
	int64_t		 time;
	char		**rules;	/* "a:china", "w:china-belarus", ... */
	size_t		 nrules;
};

struct gather {
	struct ditem	*v;
	size_t		 n;
};

static int
gather_cb(const struct store_matched *m, void *arg)
{
	struct gather	*g = arg;
	struct ditem	*it;

	if (g->n == 0 || g->v[g->n - 1].id != m->item_id) {
		g->v = xreallocarray(g->v, g->n + 1, sizeof *g->v);
		it = &g->v[g->n++];
		memset(it, 0, sizeof *it);
		it->id = m->item_id;
		it->feed = xstrdup(m->feed_name != NULL ? m->feed_name : m->feed_url);
		it->story = m->story_key != NULL ? xstrdup(m->story_key) : NULL;
		it->title = xstrdup(m->title != NULL ? m->title : "");
		it->link = m->link != NULL ? xstrdup(m->link) : NULL;
		it->summary = m->summary != NULL ? xstrdup(m->summary) : NULL;
		it->time = m->published != DATE_NONE ? m->published : m->first_seen;
	} else
		it = &g->v[g->n - 1];
	it->rules = xreallocarray(it->rules, it->nrules + 1, sizeof *it->rules);
	it->rules[it->nrules++] = xasprintf("%c:%s", m->kind, m->rule);
	return 0;
}

static void
gather_free(struct gather *g)
{
	size_t	i, j;

	for (i = 0; i < g->n; i++) {
		free(g->v[i].feed);
		free(g->v[i].story);
		free(g->v[i].title);
		free(g->v[i].link);
		free(g->v[i].summary);
		for (j = 0; j < g->v[i].nrules; j++)
			free(g->v[i].rules[j]);
		free(g->v[i].rules);
	}
	free(g->v);
}

static void
strv_add_unique(char ***v, size_t *n, const char *s)
{
	size_t	i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return;
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

/* The snippet of an item with the words that matched highlighted. */
static void
item_snippet(struct matcher *m, const struct ditem *it, struct dstory *s)
{
	struct article	 a = { it->title, it->summary, NULL, it->time };
	struct mresult	*r;
	struct dmark	*ranges = NULL;
	size_t		 n = 0, i, j;

	if (it->summary == NULL || *it->summary == '\0')
		return;
	if (m != NULL && (r = match_article(m, &a, 0)) != NULL) {
		for (i = 0; i < r->nhits; i++)
			for (j = 0; j < r->hits[i].nspans; j++) {
				const struct mspan *sp = &r->hits[i].spans[j];

				if (sp->field != FIELD_SUMMARY)
					continue;
				ranges = xreallocarray(ranges, n + 1, sizeof *ranges);
				ranges[n].start = sp->start;
				ranges[n].end = sp->end;
				n++;
			}
		mresult_free(r);
	}
	s->snippet = digest_snippet(it->summary, ranges, n, DIGEST_SNIPPET,
	    &s->marks, &s->nmarks);
	free(ranges);
}

struct dkeys {
	char	**keys;		/* story key of each story of a group */
	size_t	  n;
};

static struct digest *
digest_build(struct gather *g, const struct ruleset *rs, struct matcher *m,
    const char *only, int64_t since, int64_t until)
{
	struct digest	*d;
	struct dgroup	*grp;
	struct dstory	*s;
	struct dkeys	*keys = NULL;
	size_t		 nkeys = 0, i, j, k, gi;
	char		*skey;
	char		 kind;
	int		 idx;

	d = digest_new("wirewatch digest", since, until, util_now());
	for (i = 0; i < g->n; i++) {
		struct ditem *it = &g->v[i];

		for (j = 0; j < it->nrules; j++) {
			const char	*watch = it->rules[j] + 2;
			const char	*label = watch;
			enum priority	 prio = PRIO_NORMAL;

			if (it->rules[j][0] != 'w' || (only != NULL && strcmp(only, watch) != 0))
				continue;
			char		*title = NULL;

			if (rs != NULL && (idx = ruleset_find(rs, watch, &kind)) >= 0 &&
			    kind == 'w') {
				const struct rwatch *w = &rs->watches[idx];

				if (w->label != NULL)
					label = w->label;
				/* a watch's group names the part of the digest it is in */
				if (w->group != NULL && (w->label == NULL ||
				    strcmp(w->group, w->label) != 0))
					label = title = xasprintf("%s · %s", w->group, label);
				prio = w->priority;
			}
			grp = digest_group(d, watch, label, prio);
			free(title);
			gi = (size_t)(grp - d->groups);
			if (gi >= nkeys) {
				keys = xreallocarray(keys, gi + 1, sizeof *keys);
				memset(keys + nkeys, 0, (gi + 1 - nkeys) * sizeof *keys);
				nkeys = gi + 1;
			}
			/* the same story from another feed joins its entry */
			s = NULL;
			skey = it->story != NULL ? xstrdup(it->story) :
			    xasprintf("i:%lld", (long long)it->id);
			for (k = 0; k < keys[gi].n; k++)
				if (strcmp(keys[gi].keys[k], skey) == 0) {
					s = &grp->stories[k];
					break;
				}
			if (s == NULL) {
				s = digest_story_add(grp);
				keys[gi].keys = xreallocarray(keys[gi].keys, keys[gi].n + 1,
				    sizeof *keys[gi].keys);
				keys[gi].keys[keys[gi].n++] = skey;
				skey = NULL;
				s->title = xstrdup(it->title);
				s->link = it->link != NULL ? xstrdup(it->link) : NULL;
				s->time = it->time;
				item_snippet(m, it, s);
			} else if (it->time < s->time)
				s->time = it->time;	/* when the story first appeared */
			free(skey);
			digest_story_add_source(s, it->feed, it->link);
			for (k = 0; k < it->nrules; k++) {
				if (it->rules[k][0] == 'a')
					strv_add_unique(&s->actors, &s->nactors, it->rules[k] + 2);
				else if (it->rules[k][0] == 't')
					strv_add_unique(&s->topics, &s->ntopics, it->rules[k] + 2);
			}
		}
	}
	for (i = 0; i < nkeys; i++) {
		for (k = 0; k < keys[i].n; k++)
			free(keys[i].keys[k]);
		free(keys[i].keys);
	}
	free(keys);
	digest_sort(d);
	return d;
}

/*
 * A --since/--until value: a duration back from now ("24h", "7d"), or a
 * date ("2026-11-01" is local midnight) or RFC 3339 time. -1 when bad.
 */
static int
parse_when(const char *s, int64_t now, int64_t *out)
{
	long		 dur;
	struct tm	 tm;
	int		 y, mo, dd;
	char		 tail;

	if ((dur = config_parse_duration(s)) >= 0) {
		*out = now - dur;
		return 0;
	}
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &mo, &dd, &tail) == 3 && strlen(s) == 10) {
		memset(&tm, 0, sizeof tm);
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = dd;
		tm.tm_isdst = -1;
		if (mo < 1 || mo > 12 || dd < 1 || dd > 31)
			return -1;
		*out = (int64_t)mktime(&tm);
		return 0;
	}
	if ((*out = date_parse(s)) != DATE_NONE)
		return 0;
	return -1;
}

/* Expand a leading "~/" and strftime conversions in an output path. */
static char *
output_path(const char *pattern, int64_t now)
{
	char		 buf[4096], *p;
	const char	*home;
	struct tm	 tm;
	time_t		 t = (time_t)now;

	localtime_r(&t, &tm);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, sizeof buf, pattern, &tm) == 0)
		return xstrdup(pattern);
#pragma GCC diagnostic pop
	if (buf[0] == '~' && buf[1] == '/' && (home = getenv("HOME")) != NULL)
		p = xasprintf("%s%s", home, buf + 1);
	else
		p = xstrdup(buf);
	return p;
}

int
cmd_digest_write(const struct cmd_ctx *ctx, struct store *st, int64_t since, int64_t until,
    const char *watch, int fmt, const char *out, int color, char **cause)
{
	struct gather	 g = { 0 };
	struct ruleset	*rs = NULL;
	struct matcher	*m = NULL;
	struct digest	*d;
	struct diag	 dg;
	struct buf	 b;
	char		*dir, *path, *mcause = NULL;
	const char	*paths[1];
	int		 rv = 0;

	/* "until now" includes what was matched in this very second */
	if (store_items_matched(st, since, until >= util_now() ? 0 : until, NULL,
	    gather_cb, &g, cause) == -1) {
		gather_free(&g);
		return -1;
	}
	dir = cmd_rules_dir(ctx);
	paths[0] = dir;
	diag_init(&dg, NULL);
	if ((rs = rules_load(paths, 1, &dg)) == NULL)
		log_warn("rules in %s have errors: watch labels and highlights left out "
		    "(see 'wirewatch rules check')", dir);
	else if ((m = matcher_new(rs, &mcause)) == NULL) {
		log_warn("%s", mcause);
		free(mcause);
	}
	free(dir);
	d = digest_build(&g, rs, m, watch, since, until);
	buf_init(&b, 0);
	digest_render(d, (enum digest_format)fmt, color, &b);
	if (out != NULL) {
		path = output_path(out, util_now());
		if (util_write_atomic(path, b.data, b.len, cause) == -1)
			rv = -1;
		else
			log_info("wrote %s (%zu stories)", path, digest_count(d));
		free(path);
	} else if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
		*cause = xasprintf("writing the digest: %s", strerror(errno));
		rv = -1;
	}
	buf_release(&b);
	digest_free(d);
	matcher_free(m);
	ruleset_free(rs);
	gather_free(&g);
	return rv;
}

int
cmd_digest(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "no-fetch", no_argument, NULL, 'n' },
		{ "watch", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store	*st;
	const char	*out = NULL, *watch = NULL;
	char		*cause = NULL;
	int64_t		 now = util_now(), since = now - 86400, until = now;
	int		 ch, fmt = DIGEST_TEXT, fetch = 1, color, rv = EXIT_OK;

	while ((ch = getopt_long(argc, argv, "s:u:f:o:nw:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (parse_when(optarg, now, &since) == -1) {
				fprintf(stderr, "wirewatch: --since: expected a duration "
				    "(90m, 24h, 7d, 2w) or a date (2026-11-01), not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'u':
			if (parse_when(optarg, now, &until) == -1) {
				fprintf(stderr, "wirewatch: --until: expected a duration "
				    "or a date, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'f':
			if ((fmt = digest_format_parse(optarg)) == -1) {
				fprintf(stderr, "wirewatch: --format: expected text, markdown, "
				    "html, json or atom, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o':
			out = optarg;
			break;
		case 'n':
			fetch = 0;
			break;
		case 'w':
			watch = optarg;
			break;
		case 'h':
			return cmd_help_of(cmd_find("digest"));
		default:
			return cmd_usage(cmd_find("digest"));
		}
	}
	if (optind != argc)
		return cmd_usage(cmd_find("digest"));
	if (until <= since) {
		fprintf(stderr, "wirewatch: the window is empty: --until is not after --since\n");
		return EXIT_USAGE;
	}
	if (fetch && agent_poll_once(ctx, AGENT_POLL_DUE | AGENT_PROGRESS, &cause) == -1) {
		/* a failed poll still leaves what is stored: say so, go on */
		log_warn("%s", cause);
		free(cause);
		cause = NULL;
	}
	if ((st = store_open(ctx->state_dir, 0, &cause)) == NULL) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		free(cause);
		return EXIT_FAIL;
	}
	color = out == NULL && fmt == DIGEST_TEXT && isatty(STDOUT_FILENO) &&
	    getenv("NO_COLOR") == NULL;
	if (cmd_digest_write(ctx, st, since, until, watch, fmt, out, color, &cause) == -1) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		free(cause);
		rv = EXIT_FAIL;
	}
	store_close(st);
	return rv;
}
