/*
 * wirewatch feeds add|remove|list|import|export: the user's feed list.
 * The feeds file in the config directory is the one source of truth for
 * which feeds are polled (add, remove and import edit it atomically,
 * keeping comments); the state database only keeps each feed's health,
 * read here for `list`. Removing a feed leaves its history in the
 * database, so adding it back announces nothing old again.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "date.h"
#include "feedlist.h"
#include "json.h"
#include "opml.h"
#include "store.h"
#include "util.h"

#define ERROR_SHOWN	200	/* bytes of a feed's error text in the table */

static char *
feeds_path(const struct cmd_ctx *ctx)
{
	return xasprintf("%s/feeds", ctx->config_dir);
}

static void
warn_errors(const struct feedlist *fl)
{
	size_t	i;

	for (i = 0; i < fl->nerrors; i++)
		fprintf(stderr, "wirewatch: %s\n", fl->errors[i]);
}

/* The feeds file, its line errors reported; NULL (reported) when unreadable. */
static struct feedlist *
load_list(const struct cmd_ctx *ctx)
{
	struct feedlist	*fl;
	char		*path, *cause = NULL;

	path = feeds_path(ctx);
	if ((fl = feedlist_load(path, &cause)) == NULL) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		free(cause);
	} else
		warn_errors(fl);
	free(path);
	return fl;
}

/*
 * A copy safe to print on a terminal: C0 and C1 controls and bytes that
 * are not UTF-8 become '?', so feed data cannot send escape sequences.
 * At most max bytes of input are shown (0: all), then "...".
 */
static char *
term_safe(const char *s, size_t max)
{
	const unsigned char	*p = (const unsigned char *)s;
	struct buf		 b;
	size_t			 n, i, done = 0;
	unsigned		 cp;

	buf_init(&b, 0);
	while (*p != '\0') {
		if (max != 0 && done >= max) {
			buf_adds(&b, "...");
			break;
		}
		if (*p < 0x80) {
			buf_addc(&b, *p < 0x20 || *p == 0x7f ? '?' : *p);
			p++;
			done++;
			continue;
		}
		n = *p >= 0xf0 && *p <= 0xf4 ? 4 : *p >= 0xe0 && *p <= 0xef ? 3 :
		    *p >= 0xc2 && *p <= 0xdf ? 2 : 0;
		cp = n == 2 ? *p & 0x1f : n == 3 ? *p & 0x0f : *p & 0x07;
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				break;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if (n == 0 || i < n) {
			buf_addc(&b, '?');
			p++;
			done++;
			continue;
		}
		if (cp >= 0x80 && cp <= 0x9f) {
			buf_addc(&b, '?');	/* a C1 control such as CSI */
			p += n;
			done += n;
			continue;
		}
		buf_add(&b, p, n);
		p += n;
		done += n;
	}
	return buf_steal(&b);
}

static int
make_dirs(const char *dir)
{
	char	*p, *q;
	int	 rv = 0, end;

	p = xstrdup(dir);
	for (q = p + 1;; q++) {
		if (*q != '/' && *q != '\0')
			continue;
		end = *q == '\0';
		*q = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST) {
			fprintf(stderr, "wirewatch: %s: %s\n", p, strerror(errno));
			rv = -1;
			break;
		}
		if (end)
			break;
		*q = '/';
	}
	free(p);
	return rv;
}

/* ---- add / remove ------------------------------------------------------- */

static int
feeds_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "interval", required_argument, NULL, 'i' },
		{ "tag", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct feedlist_entry	 e;
	char			*path = NULL, *cause = NULL, *url = NULL;
	int			 ch, rv = EXIT_FAIL;

	memset(&e, 0, sizeof e);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "n:i:t:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			free(e.name);
			e.name = xstrdup(optarg);
			break;
		case 'i':
			e.interval = feedlist_parse_interval(optarg);
			if (e.interval < FEEDLIST_MIN_INTERVAL ||
			    e.interval > FEEDLIST_MAX_INTERVAL) {
				fprintf(stderr, "wirewatch: --interval: '%s' is not "
				    "a duration from 1m to 30d (30m, 2h, 1h30m)\n",
				    optarg);
				rv = EXIT_USAGE;
				goto out;
			}
			break;
		case 't':
			e.tags = xreallocarray(e.tags, e.ntags + 1, sizeof *e.tags);
			e.tags[e.ntags++] = xstrdup(optarg);
			break;
		default:
			rv = EXIT_USAGE;
			goto out;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: wirewatch feeds add URL [--name NAME] "
		    "[--interval DURATION] [--tag TAG]...\n");
		rv = EXIT_USAGE;
		goto out;
	}
	url = xstrdup(argv[optind]);
	switch (feedlist_check_url(url, 1, &cause)) {
	case 0:
		fprintf(stderr, "wirewatch: %s\n", cause);
		goto out;
	case 'l':
		/* A path from the shell is relative to here, not the file. */
		if (url[0] != '/' && url[0] != '~' &&
		    strncasecmp(url, "file:", 5) != 0) {
			char *abs = realpath(url, NULL);

			if (abs == NULL) {
				fprintf(stderr, "wirewatch: %s: %s\n", url,
				    strerror(errno));
				goto out;
			}
			free(url);
			url = abs;
		}
		break;
	}
	e.url = url;
	path = feeds_path(ctx);
	if (make_dirs(ctx->config_dir) == -1)
		goto out;
	if (feedlist_add(path, &e, 1, &cause) == -1) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		goto out;
	}
	rv = EXIT_OK;
out:
	e.url = NULL;
	free(url);
	free(e.name);
	while (e.ntags > 0)
		free(e.tags[--e.ntags]);
	free(e.tags);
	free(path);
	free(cause);
	return rv;
}

static int
feeds_remove(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*path, *cause = NULL, *safe;
	int	 rv;

	if (argc != 2) {
		fprintf(stderr, "usage: wirewatch feeds remove URL|NAME\n");
		return EXIT_USAGE;
	}
	path = feeds_path(ctx);
	rv = feedlist_remove(path, argv[1], NULL, &cause);
	if (rv == -1)
		fprintf(stderr, "wirewatch: %s\n", cause);
	else if (rv == 0) {
		safe = term_safe(argv[1], 0);
		fprintf(stderr, "wirewatch: no feed '%s' in %s\n", safe, path);
		free(safe);
	}
	free(cause);
	free(path);
	return rv == 1 ? EXIT_OK : EXIT_FAIL;
}

/* ---- list ----------------------------------------------------------------- */

static void
fmt_ago(char *out, size_t len, int64_t t, int64_t now)
{
	int64_t	d = now - t;

	if (t == 0)
		snprintf(out, len, "never");
	else if (d < 60)
		snprintf(out, len, "%llds ago", (long long)(d < 0 ? 0 : d));
	else if (d < 3600)
		snprintf(out, len, "%lldm ago", (long long)d / 60);
	else if (d < 86400)
		snprintf(out, len, "%lldh ago", (long long)d / 3600);
	else
		snprintf(out, len, "%lldd ago", (long long)d / 86400);
}

static void
fmt_next(char *out, size_t len, const struct store_feed *f, int64_t now)
{
	int64_t	d;

	if (f == NULL || f->gone) {
		snprintf(out, len, f == NULL ? "due" : "-");
		return;
	}
	d = f->next_poll - now;
	if (d <= 0)
		snprintf(out, len, "due");
	else if (d < 3600)
		snprintf(out, len, "in %lldm", (long long)(d + 59) / 60);
	else if (d < 86400)
		snprintf(out, len, "in %lldh", (long long)d / 3600);
	else
		snprintf(out, len, "in %lldd", (long long)d / 86400);
}

static const struct store_feed *
health_of(const struct store_feed *v, size_t n, const char *url)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].url, url) == 0)
			return &v[i];
	return NULL;
}

static void
list_json(const struct feedlist *fl, const struct store_feed *h, size_t nh,
    struct buf *b)
{
	const struct feedlist_entry	*e;
	const struct store_feed		*f;
	size_t				 i, j;

	buf_addc(b, '[');
	for (i = 0; i < fl->n; i++) {
		e = &fl->v[i];
		f = health_of(h, nh, e->url);
		buf_adds(b, i ? ",\n{\"url\":" : "\n{\"url\":");
		json_str(b, e->url);
		buf_adds(b, ",\"name\":");
		json_str(b, e->name);
		buf_adds(b, ",\"tags\":[");
		for (j = 0; j < e->ntags; j++) {
			if (j > 0)
				buf_addc(b, ',');
			json_str(b, e->tags[j]);
		}
		buf_addf(b, "],\"interval\":%ld,\"local\":%s,\"status\":\"%s\"",
		    e->interval, e->path != NULL ? "true" : "false",
		    store_feed_status_name(f != NULL ? f->status : STORE_FEED_NEW));
		buf_adds(b, ",\"last_attempt\":");
		json_date(b, f != NULL && f->last_attempt ? f->last_attempt : DATE_NONE);
		buf_adds(b, ",\"last_success\":");
		json_date(b, f != NULL && f->last_success ? f->last_success : DATE_NONE);
		buf_adds(b, ",\"next_poll\":");
		json_date(b, f != NULL && f->next_poll ? f->next_poll : DATE_NONE);
		buf_addf(b, ",\"http_status\":%d,\"failures\":%d,\"error\":",
		    f != NULL ? f->http_status : 0, f != NULL ? f->failures : 0);
		json_str(b, f != NULL ? f->error : NULL);
		buf_adds(b, ",\"moved_to\":");
		json_str(b, f != NULL ? f->moved_to : NULL);
		buf_addf(b, ",\"items\":%lld}", f != NULL ? (long long)f->nitems : 0LL);
	}
	buf_adds(b, fl->n ? "\n]\n" : "]\n");
}

static void
list_table(const struct feedlist *fl, const struct store_feed *h, size_t nh,
    struct buf *b)
{
	const struct feedlist_entry	*e;
	const struct store_feed		*f;
	char				 ago[32], next[32], *name, *url, *s;
	int64_t				 now = util_now();
	size_t				 i;

	buf_addf(b, "%-8s %-9s %5s %-8s %s\n", "STATUS", "LAST OK", "FAILS",
	    "NEXT", "FEED");
	for (i = 0; i < fl->n; i++) {
		e = &fl->v[i];
		f = health_of(h, nh, e->url);
		fmt_ago(ago, sizeof ago, f != NULL ? f->last_success : 0, now);
		fmt_next(next, sizeof next, f, now);
		url = term_safe(e->url, 0);
		buf_addf(b, "%-8s %-9s %5d %-8s ", store_feed_status_name(f != NULL ?
		    f->status : STORE_FEED_NEW), ago, f != NULL ? f->failures : 0,
		    next);
		if (e->name != NULL) {
			name = term_safe(e->name, 0);
			buf_addf(b, "%s <%s>\n", name, url);
			free(name);
		} else
			buf_addf(b, "%s\n", url);
		free(url);
		if (f != NULL && f->error != NULL) {
			s = term_safe(f->error, ERROR_SHOWN);
			buf_addf(b, "%34s error: %s\n", "", s);
			free(s);
		}
		if (f != NULL && f->moved_to != NULL) {
			s = term_safe(f->moved_to, 0);
			buf_addf(b, "%34s moved to: %s\n", "", s);
			free(s);
		}
	}
}

static int
feeds_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct feedlist		*fl;
	struct store		*st = NULL;
	struct store_feed	*h = NULL;
	struct buf		 out;
	size_t			 nh = 0;
	char			*db, *cause = NULL;
	int			 json = 0, rv = EXIT_FAIL;

	if (argc == 2 && strcmp(argv[1], "--json") == 0)
		json = 1;
	else if (argc != 1) {
		fprintf(stderr, "usage: wirewatch feeds list [--json]\n");
		return EXIT_USAGE;
	}
	if ((fl = load_list(ctx)) == NULL)
		return EXIT_FAIL;
	/* Health, when there is a state database; listing never creates one. */
	db = xasprintf("%s/%s", ctx->state_dir, STORE_DB_NAME);
	if (access(db, F_OK) == 0) {
		if ((st = store_open(ctx->state_dir, 0, &cause)) == NULL ||
		    store_feed_list(st, &h, &nh, &cause) == -1) {
			fprintf(stderr, "wirewatch: %s\n", cause);
			goto out;
		}
	}
	buf_init(&out, 0);
	if (json)
		list_json(fl, h, nh, &out);
	else
		list_table(fl, h, nh, &out);
	fwrite(out.data, 1, out.len, stdout);
	buf_release(&out);
	rv = fflush(stdout) == 0 && fl->nerrors == 0 ? EXIT_OK : EXIT_FAIL;
out:
	store_feed_list_free(h, nh);
	store_close(st);
	feedlist_free(fl);
	free(cause);
	free(db);
	return rv;
}

/* ---- import / export ---------------------------------------------------- */

static void
skipped(const char *url, const char *why)
{
	char	*s = term_safe(url, 300);

	fprintf(stderr, "wirewatch: skipped %s: %s\n", s, why);
	free(s);
}

/* Is this outline a feed? FreshRSS also exports scrapers ("HTML+XPath"). */
static int
feed_type_ok(const char *type)
{
	return type == NULL || *type == '\0' || strcasecmp(type, "rss") == 0 ||
	    strcasecmp(type, "atom") == 0 || strcasecmp(type, "feed") == 0;
}

static int
feeds_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct opml		*o = NULL;
	struct feedlist		*fl = NULL;
	struct feedlist_entry	*v = NULL, *e;
	const struct opml_feed	*of;
	char			*data = NULL, *path, *cause = NULL;
	size_t			 len, i, j, n = 0, nskip = 0;
	int			 rv = EXIT_FAIL;

	if (argc != 2) {
		fprintf(stderr, "usage: wirewatch feeds import FILE.opml\n");
		return EXIT_USAGE;
	}
	path = feeds_path(ctx);
	if ((data = util_read_file(argv[1], OPML_MAX_BYTES, &len, &cause)) == NULL)
		goto fail;
	if ((o = opml_parse(data, len, &cause)) == NULL) {
		char *c = xasprintf("%s: %s", argv[1], cause);

		free(cause);
		cause = c;
		goto fail;
	}
	if ((fl = feedlist_load(path, &cause)) == NULL)
		goto fail;
	warn_errors(fl);
	v = xcalloc(o->nfeeds ? o->nfeeds : 1, sizeof *v);
	for (i = 0; i < o->nfeeds; i++) {
		of = &o->feeds[i];
		if (!feed_type_ok(of->type)) {
			cause = xasprintf("not a feed (type '%s')", of->type);
			skipped(of->xml_url, cause);
			free(cause);
			cause = NULL;
			nskip++;
			continue;
		}
		if (feedlist_check_url(of->xml_url, 0, &cause) != 'h') {
			if (strncasecmp(of->xml_url, "http://", 7) != 0 &&
			    strncasecmp(of->xml_url, "https://", 8) != 0) {
				free(cause);
				cause = xstrdup("only http:// and https:// feeds "
				    "are imported");
			}
			skipped(of->xml_url, cause);
			free(cause);
			cause = NULL;
			nskip++;
			continue;
		}
		for (j = 0; j < n; j++)
			if (strcmp(v[j].url, of->xml_url) == 0)
				break;
		if (j < n || feedlist_find(fl, of->xml_url, NULL) != NULL) {
			skipped(of->xml_url, "already listed");
			nskip++;
			continue;
		}
		e = &v[n++];
		e->url = of->xml_url;
		if (of->title != NULL && strcmp(of->title, of->xml_url) != 0 &&
		    strlen(of->title) <= 512)
			e->name = of->title;
		e->tags = xcalloc(of->ncategories ? of->ncategories : 1,
		    sizeof *e->tags);
		for (j = 0; j < of->ncategories; j++)
			if (strlen(of->categories[j]) <= 128)
				e->tags[e->ntags++] = of->categories[j];
	}
	if (n > 0) {
		if (make_dirs(ctx->config_dir) == -1)
			goto out;
		if (feedlist_add(path, v, n, &cause) == -1)
			goto fail;
	}
	printf("imported %zu feed%s, skipped %zu\n", n, n == 1 ? "" : "s", nskip);
	rv = EXIT_OK;
	goto out;
fail:
	fprintf(stderr, "wirewatch: %s\n", cause);
out:
	for (i = 0; v != NULL && i < n; i++)
		free(v[i].tags);
	free(v);
	feedlist_free(fl);
	opml_free(o);
	free(data);
	free(cause);
	free(path);
	return rv;
}

static int
feeds_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct feedlist		*fl;
	struct opml_feed	*v;
	struct buf		 out;
	size_t			 i, n = 0;
	int			 rv;

	if (argc != 1) {
		fprintf(stderr, "usage: wirewatch feeds export\n");
		return EXIT_USAGE;
	}
	if ((fl = load_list(ctx)) == NULL)
		return EXIT_FAIL;
	v = xcalloc(fl->n ? fl->n : 1, sizeof *v);
	for (i = 0; i < fl->n; i++) {
		if (fl->v[i].path != NULL) {
			skipped(fl->v[i].url, "a local file, not exported");
			continue;
		}
		v[n].xml_url = fl->v[i].url;
		v[n].title = fl->v[i].name;
		v[n].categories = fl->v[i].tags;
		v[n].ncategories = fl->v[i].ntags;
		n++;
	}
	buf_init(&out, 0);
	opml_write(&out, "wirewatch feeds", v, n, util_now());
	fwrite(out.data, 1, out.len, stdout);
	buf_release(&out);
	rv = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
	free(v);
	feedlist_free(fl);
	return rv;
}

int
cmd_feeds(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct {
		const char	*name;
		const char	*usage;
		int		(*fn)(struct cmd_ctx *, int, char **);
	} sub[] = {
		{ "add", "URL [--name NAME] [--interval DURATION] [--tag TAG]...",
		    feeds_add },
		{ "export", "", feeds_export },
		{ "import", "FILE.opml", feeds_import },
		{ "list", "[--json]", feeds_list },
		{ "remove", "URL|NAME", feeds_remove },
	};
	size_t	i;

	if (argc < 2)
		return cmd_usage(cmd_find("feeds"));
	if (strcmp(argv[1], "--help") == 0) {
		for (i = 0; i < nitems(sub); i++)
			printf("usage: wirewatch feeds %s%s%s\n", sub[i].name,
			    *sub[i].usage ? " " : "", sub[i].usage);
		return EXIT_OK;
	}
	for (i = 0; i < nitems(sub); i++) {
		if (strcmp(argv[1], sub[i].name) != 0)
			continue;
		if (argc == 3 && strcmp(argv[2], "--help") == 0) {
			printf("usage: wirewatch feeds %s%s%s\n", sub[i].name,
			    *sub[i].usage ? " " : "", sub[i].usage);
			return EXIT_OK;
		}
		return sub[i].fn(ctx, argc - 1, argv + 1);
	}
	fprintf(stderr, "wirewatch: feeds: unknown subcommand '%s'\n", argv[1]);
	return cmd_usage(cmd_find("feeds"));
}
