/*
 * wirewatch rules test [--json] [--explain] [--rules PATH]... [--item N] SOURCE
 *
 * Match each item of a feed, or one article, against the rules and print
 * what matched: plain text, JSON Lines (--json) or with the evidence and
 * what was suppressed (--explain). SOURCE is a file, "-" or an http(s) URL;
 * when it is not a feed it is an article, HTML or plain text (first line
 * "title: ..." or simply the title, then the body). Rule errors are printed
 * as `rules check` prints them and exit 1. Reads files and the network
 * (through fetch_url); writes only to stdout and stderr.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cmd.h"
#include "date.h"
#include "digest.h"
#include "feed.h"
#include "fetch.h"
#include "html.h"
#include "json.h"
#include "match.h"
#include "rules.h"
#include "util.h"

#define RT_USAGE "usage: wirewatch rules test [--json] [--explain] " \
	"[--rules PATH]... [--item N] SOURCE\n" \
	"       wirewatch rules test --stored [--since DURATION|DATE] " \
	"[--rules PATH]... [--json]\n"

struct rtopts {
	int	json, explain;
	long	item;		/* 1-based, 0: all */
};

static int
is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0;
}

static char *
source_read(const char *src, size_t *len, char **ctype, char **cause)
{
	*ctype = NULL;
	if (is_url(src))
		return fetch_url(src, FEED_MAX_BYTES, len, ctype, cause);
	return util_read_file(src, FEED_MAX_BYTES, len, cause);
}

/* The text inside the first <title> element, or NULL. */
static char *
html_title(const char *s, size_t len)
{
	const char	*p, *q, *end = s + len;

	for (p = s; p + 7 <= end; p++) {
		if (strncasecmp(p, "<title", 6) != 0 ||
		    (p[6] != '>' && !isspace((unsigned char)p[6])))
			continue;
		if ((p = memchr(p, '>', end - p)) == NULL)
			return NULL;
		p++;
		for (q = p; q + 8 <= end; q++)
			if (strncasecmp(q, "</title>", 8) == 0)
				return html_title_text(p, q - p);
		return NULL;
	}
	return NULL;
}

static int
looks_html(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len && isspace((unsigned char)s[i]); i++)
		;
	return i < len && s[i] == '<';
}

/*
 * An article that is not a feed: one item. HTML takes its title from
 * <title>, else from its first line of text; plain text from a first line
 * "title: ..." or the first line itself.
 */
static struct item *
article_item(const char *src, const char *data, size_t len)
{
	struct item	*it;
	char		*text, *title = NULL, *nl, *p;

	it = xcalloc(1, sizeof(*it));
	it->id = xstrdup(src);
	it->published = it->updated = DATE_NONE;
	if (looks_html(data, len)) {
		title = html_title(data, len);
		text = html_to_text(data, len);
	} else
		text = xstrndup(data, len);
	p = text;
	if (title == NULL || *title == '\0') {
		free(title);
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		title = p;
		if (strncasecmp(title, "title:", 6) == 0)
			title += 6;
		while (*title == ' ' || *title == '\t')
			title++;
		title = xstrdup(title);
		p = nl != NULL ? nl + 1 : p + strlen(p);
	}
	if ((nl = strchr(title, '\r')) != NULL)
		*nl = '\0';
	it->title = title;
	it->content = xstrdup(p);
	free(text);
	return it;
}

static void
names_add(struct buf *b, const struct mresult *r, char kind, const char *label)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < r->nhits; i++) {
		if (r->hits[i].kind != kind)
			continue;
		buf_adds(b, n++ == 0 ? label : " ");
		buf_adds(b, r->hits[i].name);
	}
	if (n > 0)
		buf_addc(b, '\n');
}

/*
 * One line of feed text for a terminal: no control character (C0, DEL,
 * C1), bidi override or invalid UTF-8 (digest_clean), so that a title
 * cannot move the cursor or reorder what is shown.
 */
static void
add_line(struct buf *b, const char *s)
{
	char	*c;

	c = digest_clean(s);
	buf_adds(b, c);
	free(c);
}

/* A JSON string of feed text, cleaned the same way. */
static void
add_json(struct buf *b, const char *s)
{
	char	*c;

	if (s == NULL) {
		json_str(b, NULL);
		return;
	}
	c = digest_clean(s);
	json_str(b, c);
	free(c);
}

static void
item_report(struct matcher *m, const struct item *it,
    const struct rtopts *o, struct buf *out)
{
	struct article	 art;
	struct mresult	*r;
	struct buf	 ex;
	size_t		 i;

	memset(&art, 0, sizeof(art));
	art.title = it->title;
	art.summary = it->summary;
	art.content = it->content;
	art.date = it->published != DATE_NONE ? it->published : it->updated;
	r = match_article(m, &art, o->explain);
	buf_init(&ex, 0);
	if (o->explain)
		mresult_explain(m, r, &ex);
	if (o->json) {
		buf_adds(out, "{\"id\":");
		json_str(out, it->id);
		buf_adds(out, ",\"title\":");
		add_json(out, it->title);
		buf_adds(out, ",\"link\":");
		add_json(out, it->link);
		buf_adds(out, ",\"matched\":[");
		for (i = 0; i < r->nhits; i++) {
			if (i > 0)
				buf_addc(out, ',');
			json_str(out, r->hits[i].name);
		}
		buf_adds(out, "],\"evidence\":");
		mresult_evidence_json(r, out);
		if (o->explain) {
			buf_adds(out, ",\"explain\":");
			json_str(out, ex.len > 0 ? ex.data : "");
		}
		buf_adds(out, "}\n");
	} else {
		add_line(out, it->title != NULL && *it->title != '\0' ?
		    it->title : it->id);
		buf_addc(out, '\n');
		names_add(out, r, 'a', "  actors:  ");
		names_add(out, r, 't', "  topics:  ");
		names_add(out, r, 'w', "  watches: ");
		if (r->nhits == 0)
			buf_adds(out, "  (no match)\n");
		if (o->explain && ex.len > 0) {
			buf_adds(out, "  --\n");
			for (i = 0; i < ex.len; i++) {
				if (i == 0 || ex.data[i - 1] == '\n')
					buf_adds(out, "  ");
				buf_addc(out, ex.data[i]);
			}
		}
	}
	buf_release(&ex);
	mresult_free(r);
}

static void
item_free(struct item *it)
{
	if (it == NULL)
		return;
	free(it->id);
	free(it->title);
	free(it->content);
	free(it);
}

static int
usage(void)
{
	fputs(RT_USAGE, stderr);
	return EXIT_USAGE;
}

int
cmd_rules_test(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "explain", no_argument, NULL, 'e' },
		{ "rules", required_argument, NULL, 'r' },
		{ "item", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct rtopts	 o = { 0, 0, 0 };
	struct diag	 d;
	struct ruleset	*rs = NULL;
	struct matcher	*m = NULL;
	struct feed	*f = NULL;
	struct item	*art = NULL;
	struct buf	 out;
	const char	**paths = NULL, *src;
	char		*data = NULL, *ctype = NULL, *cause = NULL, *dir = NULL;
	char		*end;
	size_t		 npaths = 0, len, i, shown = 0;
	int		 ch, rv = EXIT_FAIL;

	/* the backtest over stored articles (cmd-rules-stored.c) */
	for (i = 1; i < (size_t)argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--stored") == 0)
			return cmd_rules_stored(ctx, argc, argv);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "jer:n:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			o.json = 1;
			break;
		case 'e':
			o.explain = 1;
			break;
		case 'r':
			paths = xreallocarray(paths, npaths + 1, sizeof(*paths));
			paths[npaths++] = optarg;
			break;
		case 'n':
			o.item = strtol(optarg, &end, 10);
			if (*end != '\0' || o.item < 1) {
				fprintf(stderr, "wirewatch: --item: expected a "
				    "number from 1, not '%s'\n", optarg);
				free(paths);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(RT_USAGE, stdout);
			free(paths);
			return EXIT_OK;
		default:
			free(paths);
			return usage();
		}
	}
	if (optind + 1 != argc) {
		free(paths);
		return usage();
	}
	src = argv[optind];

	if (npaths == 0) {
		dir = cmd_rules_dir(ctx);
		paths = xreallocarray(paths, 1, sizeof(*paths));
		paths[npaths++] = dir;
	}
	diag_init(&d, stderr);
	if ((rs = rules_load(paths, npaths, &d)) == NULL || d.errors > 0) {
		fprintf(stderr, "wirewatch: the rules have errors\n");
		goto out;
	}
	if ((m = matcher_new(rs, &cause)) == NULL) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		goto out;
	}
	if ((data = source_read(src, &len, &ctype, &cause)) == NULL) {
		fprintf(stderr, "wirewatch: %s\n", cause);
		goto out;
	}
	f = feed_parse(data, len, is_url(src) ? src : NULL, ctype, &cause);
	free(cause);
	cause = NULL;
	if (f == NULL)
		art = article_item(src, data, len);

	buf_init(&out, 0);
	if (art != NULL) {
		if (o.item <= 1)
			item_report(m, art, &o, &out);
	} else {
		for (i = 0; i < f->nitems; i++) {
			if (o.item != 0 && (size_t)o.item != i + 1)
				continue;
			if (!o.json && shown++ > 0)
				buf_addc(&out, '\n');
			item_report(m, &f->items[i], &o, &out);
			fwrite(out.data, 1, out.len, stdout);
			buf_reset(&out);
		}
	}
	fwrite(out.data != NULL ? out.data : "", 1, out.len, stdout);
	buf_release(&out);
	rv = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
out:
	item_free(art);
	feed_free(f);
	free(data);
	free(ctype);
	free(cause);
	matcher_free(m);
	ruleset_free(rs);
	free(paths);
	free(dir);
	return rv;
}
