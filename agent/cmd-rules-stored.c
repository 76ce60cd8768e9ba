/*
 * wirewatch rules test --stored [--since DURATION|DATE] [--rules PATH]...
 * [--json]: the backtest. Runs a rule set (the current one, or the files
 * and directories given by --rules, such as an edited copy) over the
 * articles of the state store that still have their text, and compares
 * what it matches with the matches the active rules recorded when each
 * article arrived: per article what the rules match, marked new (+) or no
 * longer matched (-), then the changes and the totals. --since limits the
 * window by first-seen time. Reads the rule files and the store; writes
 * only to stdout and stderr.
 */
#include <sys/stat.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cmd.h"
#include "config.h"
#include "date.h"
#include "json.h"
#include "match.h"
#include "rules.h"
#include "store.h"
#include "util.h"

#define ST_USAGE "usage: wirewatch rules test --stored [--since DURATION|DATE] " \
	"[--rules PATH]... [--json]\n" \
	"Run the rules (or those of --rules) over the stored articles and\n" \
	"compare with the matches recorded: + newly matched, - no longer.\n"

/* One recorded match, copied out of the store. */
struct recmatch {
	int64_t		 item_id;
	char		 kind;
	char		*rule;
};

/* Counts for one kind of rule. */
struct kcount {
	long	matched, recorded, added, gone;
};

static const char kinds[3] = { 'w', 'a', 't' };
static const char *const kind_names[3] = { "watches", "actors", "topics" };
static const char *const kind_sigils[3] = { "", "@", "#" };
static const char *const kind_labels[3] = { "  watches: ", "  actors:  ", "  topics:  " };

struct backtest {
	struct matcher	*m;
	int		 json;
	struct recmatch	*rec;		/* sorted by item id */
	size_t		 nrec, caprec;
	long		 articles, matched, recorded, shown;
	struct kcount	 k[3];
	struct buf	 changes[3];	/* text: "+ rule  title" lines per kind */
};

static int
kind_index(char kind)
{
	return kind == 'w' ? 0 : kind == 'a' ? 1 : 2;
}

static int
rec_cb(const struct store_matched *sm, void *arg)
{
	struct backtest	*bt = arg;

	if (bt->nrec == bt->caprec) {
		bt->caprec = bt->caprec == 0 ? 64 : bt->caprec * 2;
		bt->rec = xreallocarray(bt->rec, bt->caprec, sizeof(*bt->rec));
	}
	bt->rec[bt->nrec].item_id = sm->item_id;
	bt->rec[bt->nrec].kind = sm->kind;
	bt->rec[bt->nrec].rule = xstrdup(sm->rule);
	bt->nrec++;
	return 0;
}

static int
rec_cmp(const void *a, const void *b)
{
	const struct recmatch	*x = a, *y = b;

	if (x->item_id != y->item_id)
		return x->item_id < y->item_id ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

/* The recorded matches of an item: *n of them from the returned one. */
static const struct recmatch *
rec_find(const struct backtest *bt, int64_t id, size_t *n)
{
	size_t	lo = 0, hi = bt->nrec, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (bt->rec[mid].item_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (*n = 0; lo + *n < bt->nrec && bt->rec[lo + *n].item_id == id; (*n)++)
		;
	return bt->rec + lo;
}

static int
rec_has(const struct recmatch *r, size_t n, char kind, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (r[i].kind == kind && strcmp(r[i].rule, name) == 0)
			return 1;
	return 0;
}

static int
hit_has(const struct mresult *res, char kind, const char *name)
{
	size_t	i;

	for (i = 0; i < res->nhits; i++)
		if (res->hits[i].kind == kind && strcmp(res->hits[i].name, name) == 0)
			return 1;
	return 0;
}

/* One-line text: control characters as spaces, at most max bytes. */
static void
add_line(struct buf *b, const char *s, size_t max)
{
	size_t	n;

	for (n = 0; s != NULL && *s != '\0' && n < max; s++, n++)
		buf_addc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
	if (s != NULL && *s != '\0') {
		/* do not cut a UTF-8 sequence in two */
		while (b->len > 0 && ((unsigned char)b->data[b->len - 1] & 0xc0) == 0x80)
			b->len--;
		if (b->len > 0 && (unsigned char)b->data[b->len - 1] >= 0xc0)
			b->len--;
		buf_adds(b, "...");
	}
}

static void
add_when(struct buf *b, int64_t t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	char		s[32];

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(s, sizeof s, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(s, sizeof s, "%lld", (long long)t);
	buf_adds(b, s);
}

/* JSON {"matched":[..],"new":[..],"gone":[..]} for one kind. */
static void
json_kind(struct buf *b, const struct mresult *res, const struct recmatch *r,
    size_t nr, char kind)
{
	size_t	i;
	int	n;

	buf_adds(b, "{\"matched\":[");
	for (i = 0, n = 0; i < res->nhits; i++)
		if (res->hits[i].kind == kind) {
			if (n++ > 0)
				buf_addc(b, ',');
			json_str(b, res->hits[i].name);
		}
	buf_adds(b, "],\"new\":[");
	for (i = 0, n = 0; i < res->nhits; i++)
		if (res->hits[i].kind == kind &&
		    !rec_has(r, nr, kind, res->hits[i].name)) {
			if (n++ > 0)
				buf_addc(b, ',');
			json_str(b, res->hits[i].name);
		}
	buf_adds(b, "],\"gone\":[");
	for (i = 0, n = 0; i < nr; i++)
		if (r[i].kind == kind && !hit_has(res, kind, r[i].rule)) {
			if (n++ > 0)
				buf_addc(b, ',');
			json_str(b, r[i].rule);
		}
	buf_adds(b, "]}");
}

static int
walk_cb(const struct store_stored *ss, void *arg)
{
	struct backtest		*bt = arg;
	const struct recmatch	*r;
	struct article		 art;
	struct mresult		*res;
	struct buf		 out, *ch;
	const char		*title;
	size_t			 nr, i, j;
	int			 k, n;

	memset(&art, 0, sizeof(art));
	art.title = ss->title;
	art.summary = ss->summary;
	art.content = ss->content;
	art.date = ss->published;
	res = match_article(bt->m, &art, 0);
	r = rec_find(bt, ss->item_id, &nr);
	bt->articles++;
	if (res->nhits > 0)
		bt->matched++;
	if (nr > 0)
		bt->recorded++;
	title = ss->title != NULL && *ss->title != '\0' ? ss->title : ss->link;
	if (title == NULL || *title == '\0')
		title = ss->guid;

	for (i = 0; i < res->nhits; i++) {
		k = kind_index(res->hits[i].kind);
		bt->k[k].matched++;
		if (rec_has(r, nr, res->hits[i].kind, res->hits[i].name))
			continue;
		bt->k[k].added++;
		if (bt->json)
			continue;
		ch = &bt->changes[k];
		buf_addf(ch, "+ %s%s  ", kind_sigils[k], res->hits[i].name);
		add_line(ch, title, 200);
		buf_addc(ch, '\n');
	}
	for (i = 0; i < nr; i++) {
		k = kind_index(r[i].kind);
		bt->k[k].recorded++;
		if (hit_has(res, r[i].kind, r[i].rule))
			continue;
		bt->k[k].gone++;
		if (bt->json)
			continue;
		ch = &bt->changes[k];
		buf_addf(ch, "- %s", kind_sigils[k]);
		add_line(ch, r[i].rule, 200);
		buf_adds(ch, "  ");
		add_line(ch, title, 200);
		buf_addc(ch, '\n');
	}
	if (res->nhits == 0 && nr == 0) {
		mresult_free(res);
		return 0;
	}

	buf_init(&out, 0);
	if (bt->json) {
		buf_adds(&out, bt->shown++ > 0 ? ",\n" : "\n");
		buf_addf(&out, "{\"item\":%lld,\"feed\":", (long long)ss->item_id);
		json_str(&out, ss->feed_name != NULL ? ss->feed_name : ss->feed_url);
		buf_adds(&out, ",\"title\":");
		json_str(&out, ss->title);
		buf_adds(&out, ",\"link\":");
		json_str(&out, ss->link);
		buf_adds(&out, ",\"first_seen\":");
		json_date(&out, ss->first_seen);
		for (k = 0; k < 3; k++) {
			buf_addf(&out, ",\"%s\":", kind_names[k]);
			json_kind(&out, res, r, nr, kinds[k]);
		}
		buf_addc(&out, '}');
	} else {
		if (bt->shown++ > 0)
			buf_addc(&out, '\n');
		add_when(&out, ss->first_seen);
		buf_adds(&out, "  ");
		add_line(&out, title, 300);
		buf_adds(&out, "  (");
		add_line(&out, ss->feed_name != NULL ? ss->feed_name :
		    ss->feed_url, 100);
		buf_adds(&out, ")\n");
		for (k = 0; k < 3; k++) {
			n = 0;
			for (j = 0; j < res->nhits; j++) {
				if (res->hits[j].kind != kinds[k])
					continue;
				buf_adds(&out, n++ == 0 ? kind_labels[k] : " ");
				if (!rec_has(r, nr, kinds[k], res->hits[j].name))
					buf_addc(&out, '+');
				buf_adds(&out, res->hits[j].name);
			}
			for (j = 0; j < nr; j++) {
				if (r[j].kind != kinds[k] ||
				    hit_has(res, kinds[k], r[j].rule))
					continue;
				buf_adds(&out, n++ == 0 ? kind_labels[k] : " ");
				buf_addc(&out, '-');
				add_line(&out, r[j].rule, 200);
			}
			if (n > 0)
				buf_addc(&out, '\n');
		}
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_release(&out);
	mresult_free(res);
	return 0;
}

static void
totals_text(struct backtest *bt, int64_t since)
{
	struct buf	b;
	int		k, any = 0;

	buf_init(&b, 0);
	if (bt->shown > 0)
		buf_addc(&b, '\n');
	buf_adds(&b, "Changes against the recorded matches:\n");
	for (k = 0; k < 3; k++) {
		if (bt->changes[k].len == 0)
			continue;
		buf_add(&b, bt->changes[k].data, bt->changes[k].len);
		any = 1;
	}
	if (!any)
		buf_adds(&b, "(none)\n");
	buf_addf(&b, "\n%ld article%s", bt->articles, bt->articles == 1 ? "" : "s");
	if (since > 0) {
		buf_adds(&b, " first seen since ");
		add_when(&b, since);
	}
	buf_addf(&b, ": %ld matched by these rules, %ld recorded as matched\n",
	    bt->matched, bt->recorded);
	for (k = 0; k < 3; k++)
		buf_addf(&b, "%-8s %ld matched, %ld recorded, %ld new, %ld no "
		    "longer matched\n", kind_names[k], bt->k[k].matched,
		    bt->k[k].recorded, bt->k[k].added, bt->k[k].gone);
	fwrite(b.data, 1, b.len, stdout);
	buf_release(&b);
}

static void
totals_json(struct backtest *bt, int64_t since, const char *const *paths,
    size_t npaths)
{
	struct buf	b;
	size_t		i;
	int		k;

	buf_init(&b, 0);
	buf_adds(&b, "\n],\"since\":");
	if (since > 0)
		json_date(&b, since);
	else
		buf_adds(&b, "null");
	buf_adds(&b, ",\"rules\":[");
	for (i = 0; i < npaths; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		json_str(&b, paths[i]);
	}
	buf_addf(&b, "],\"totals\":{\"articles\":%ld,\"matched\":%ld,"
	    "\"recorded\":%ld", bt->articles, bt->matched, bt->recorded);
	for (k = 0; k < 3; k++)
		buf_addf(&b, ",\"%s\":{\"matched\":%ld,\"recorded\":%ld,"
		    "\"new\":%ld,\"gone\":%ld}", kind_names[k], bt->k[k].matched,
		    bt->k[k].recorded, bt->k[k].added, bt->k[k].gone);
	buf_adds(&b, "}}\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_release(&b);
}

/* --since: a duration back from now or a date; -1 when bad. */
static int
parse_since(const char *s, int64_t *out)
{
	long	dur;
	int64_t	t;

	if ((dur = config_parse_duration(s)) >= 0) {
		*out = util_now() - dur;
		return 0;
	}
	if ((t = date_parse(s)) != DATE_NONE) {
		*out = t;
		return 0;
	}
	return -1;
}

int
cmd_rules_stored(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "stored", no_argument, NULL, 'S' },
		{ "since", required_argument, NULL, 's' },
		{ "rules", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct backtest	 bt;
	struct diag	 d;
	struct ruleset	*rs = NULL;
	struct store	*st = NULL;
	struct stat	 sb;
	const char	**paths = NULL;
	char		*dir = NULL, *cause = NULL, *db;
	int64_t		 since = 0;
	size_t		 npaths = 0, i;
	int		 ch, k, rv = EXIT_FAIL;

	memset(&bt, 0, sizeof(bt));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "s:r:jh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'S':
			break;
		case 's':
			if (parse_since(optarg, &since) == -1) {
				fprintf(stderr, "wirewatch: --since: expected a "
				    "duration (7d, 12h) or a date, not '%s'\n",
				    optarg);
				free(paths);
				return EXIT_USAGE;
			}
			break;
		case 'r':
			paths = xreallocarray(paths, npaths + 1, sizeof(*paths));
			paths[npaths++] = optarg;
			break;
		case 'j':
			bt.json = 1;
			break;
		case 'h':
			fputs(ST_USAGE, stdout);
			free(paths);
			return EXIT_OK;
		default:
			fputs(ST_USAGE, stderr);
			free(paths);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fputs(ST_USAGE, stderr);
		free(paths);
		return EXIT_USAGE;
	}
	if (npaths == 0) {
		dir = cmd_rules_dir(ctx);
		paths = xreallocarray(paths, 1, sizeof(*paths));
		paths[npaths++] = dir;
	}
	for (k = 0; k < 3; k++)
		buf_init(&bt.changes[k], 0);

	diag_init(&d, stderr);
	if ((rs = rules_load(paths, npaths, &d)) == NULL || d.errors > 0) {
		fprintf(stderr, "wirewatch: the rules have errors\n");
		goto out;
	}
	if ((bt.m = matcher_new(rs, &cause)) == NULL) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		goto out;
	}
	db = xasprintf("%s/%s", ctx->state_dir, STORE_DB_NAME);
	if (stat(db, &sb) == -1) {
		fprintf(stderr, "wirewatch: no stored articles: %s does not "
		    "exist (the agent has not run)\n", db);
		free(db);
		goto out;
	}
	free(db);
	if ((st = store_open(ctx->state_dir, 0, &cause)) == NULL ||
	    store_items_matched(st, since, 0, NULL, rec_cb, &bt, &cause) == -1) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		goto out;
	}
	if (bt.nrec > 1)
		qsort(bt.rec, bt.nrec, sizeof(*bt.rec), rec_cmp);
	if (bt.json)
		fputs("{\"articles\":[", stdout);
	if (store_items_walk(st, since, 0, walk_cb, &bt, &cause) == -1) {
		fflush(stdout);
		fprintf(stderr, "wirewatch: %s\n", cause);
		goto out;
	}
	if (bt.json)
		totals_json(&bt, since, paths, npaths);
	else
		totals_text(&bt, since);
	rv = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
out:
	for (i = 0; i < bt.nrec; i++)
		free(bt.rec[i].rule);
	free(bt.rec);
	for (k = 0; k < 3; k++)
		buf_release(&bt.changes[k]);
	store_close(st);
	matcher_free(bt.m);
	ruleset_free(rs);
	free(cause);
	free(paths);
	free(dir);
	return rv;
}
