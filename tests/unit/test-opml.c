/* Unit tests: opml.c against fixtures modelled on real exports. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "opml.h"
#include "tap.h"
#include "util.h"

static struct opml *
load(const char *name, char **cause)
{
	struct opml	*o;
	const char	*src;
	char		*path, *data;
	size_t		 len;

	if ((src = getenv("WW_SRC")) == NULL)
		src = ".";
	path = xasprintf("%s/tests/fixtures/opml/%s", src, name);
	data = util_read_file(path, OPML_MAX_BYTES, &len, cause);
	free(path);
	if (data == NULL)
		return NULL;
	o = opml_parse(data, len, cause);
	free(data);
	return o;
}

static char *
cats(const struct opml_feed *f)
{
	struct buf	b;
	size_t		i;

	buf_init(&b, 0);
	for (i = 0; i < f->ncategories; i++)
		buf_addf(&b, "%s%s", i ? "|" : "", f->categories[i]);
	return buf_steal(&b);
}

static void
test_exports(void)
{
	struct opml	*o;
	char		*cause = NULL, *c;

	o = load("newsboat.opml", &cause);
	ok(o != NULL, "newsboat export reads");
	if (o == NULL)
		return;
	is_str(o->title, "newsboat - Exported Feeds", "head title");
	is_int(o->nfeeds, 4, "four feeds");
	is_str(o->feeds[2].title, "Asia Briefing & Analysis", "entity decoded in title");
	is_str(o->feeds[3].xml_url, "https://policy.example.edu/sanctions.rss?"
	    "format=rss&lang=en", "entity decoded in URL");
	is_str(o->feeds[1].html_url, "https://minsk-wire.example.net", "htmlUrl");
	is_int(o->feeds[0].ncategories, 0, "flat list: no categories");
	opml_free(o);

	o = load("freshrss.opml", &cause);
	ok(o != NULL, "FreshRSS export reads");
	if (o == NULL)
		return;
	is_int(o->nfeeds, 5, "five outlines with xmlUrl");
	is_str(o->feeds[0].title, "Eastern Europe Monitor", "text used as title");
	c = cats(&o->feeds[1]);
	is_str(c, "World", "folder becomes a category");
	free(c);
	c = cats(&o->feeds[3]);
	is_str(c, "Economy & Trade", "folder name decoded");
	free(c);
	is_str(o->feeds[3].title, "Trade Ledger \xe2\x80\x94 Sanctions", "UTF-8 kept");
	is_str(o->feeds[4].type, "HTML+XPath", "type kept (a scraper, not a feed)");
	is_str(o->feeds[1].type, "rss", "type rss");
	opml_free(o);

	o = load("miniflux.opml", &cause);
	ok(o != NULL, "miniflux export reads");
	if (o == NULL)
		return;
	is_int(o->nfeeds, 3, "three feeds");
	c = cats(&o->feeds[2]);
	is_str(c, "Asia", "category Asia");
	free(c);
	is_str(o->feeds[0].title, "Kyiv Evening Report", "title");
	opml_free(o);

	o = load("mixed.opml", &cause);
	ok(o != NULL, "hand-made list reads");
	if (o == NULL)
		return;
	is_int(o->nfeeds, 8, "every outline with a non-blank xmlUrl is listed");
	c = cats(&o->feeds[0]);
	is_str(c, "World/Europe|Belarus", "category attribute split, leading '/' dropped");
	free(c);
	c = cats(&o->feeds[6]);
	is_str(c, "Folder|Nested", "nested folders, outermost first");
	free(c);
	is_str(o->feeds[1].xml_url, "file:///etc/passwd",
	    "URLs are reported as written (the caller checks them)");
	opml_free(o);
}

static void
test_refused(void)
{
	struct opml	*o;
	char		*cause = NULL;

	o = load("doctype.opml", &cause);
	ok(o == NULL && cause != NULL && strstr(cause, "DOCTYPE") != NULL,
	    "DOCTYPE with entities refused: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	o = load("not-opml.xml", &cause);
	ok(o == NULL && cause != NULL && strstr(cause, "not OPML (root element "
	    "<rss>)") != NULL, "an RSS feed is not OPML: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	o = opml_parse("<opml><body><outline", 20, &cause);
	ok(o == NULL && cause != NULL && strncmp(cause, "not well-formed XML",
	    19) == 0 && strchr(cause, '\n') == NULL, "broken XML: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	o = opml_parse("", 0, &cause);
	ok(o == NULL, "empty input refused");
	free(cause);
}

static void
test_write(void)
{
	struct opml_feed	 f[3];
	struct opml		*o, *o2;
	struct buf		 b;
	char			*cause = NULL, *c1[] = { "world", "europe" },
				*c2[] = { "a<b>&\"c\"" };
	size_t			 i, j;

	memset(f, 0, sizeof f);
	f[0].xml_url = "https://a.example/feed?x=1&y=2";
	f[0].title = "Quote \" less < amp & ctl\x01 bad\xff utf8 \xed\xa0\x80";
	f[1].xml_url = "https://b.example/";
	f[1].categories = c1;
	f[1].ncategories = 2;
	f[1].title = "B";
	f[2].xml_url = "https://c.example/";
	f[2].categories = c2;
	f[2].ncategories = 1;
	buf_init(&b, 0);
	opml_write(&b, "wirewatch <feeds>", f, 3, 1795770000);
	ok(strstr(b.data, "<opml version=\"2.0\">") != NULL, "OPML 2.0");
	ok(strstr(b.data, "<dateCreated>") != NULL, "dateCreated");
	o = opml_parse(b.data, b.len, &cause);
	ok(o != NULL, "own output is well-formed OPML: %s", cause ? cause : "");
	if (o != NULL && o->nfeeds == 3) {
		is_str(o->title, "wirewatch <feeds>", "title escaped and back");
		is_str(o->feeds[0].xml_url, f[0].xml_url, "URL with & back");
		is_str(o->feeds[0].title, "Quote \" less < amp & ctl bad\xef\xbf\xbd "
		    "utf8 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
		    "control dropped, each invalid UTF-8 byte replaced");
		is_str(o->feeds[1].categories[0], "world", "folder category back");
		is_int(o->feeds[1].ncategories, 2, "all categories back");
		is_str(o->feeds[2].categories[0], "a<b>&\"c\"", "odd category back");
		is_str(o->feeds[2].title, "https://c.example/",
		    "no title: the text attribute carries the URL");
	} else
		ok(0, "three feeds back");
	buf_release(&b);
	opml_free(o);

	/* Round trip of the FreshRSS fixture through our writer. */
	o = load("freshrss.opml", &cause);
	buf_init(&b, 0);
	opml_write(&b, o->title, o->feeds, o->nfeeds, 0);
	o2 = opml_parse(b.data, b.len, &cause);
	ok(o2 != NULL && o2->nfeeds == o->nfeeds, "round trip keeps every feed");
	for (i = 0; o2 != NULL && i < o->nfeeds; i++) {
		for (j = 0; j < o2->nfeeds; j++)
			if (strcmp(o2->feeds[j].xml_url, o->feeds[i].xml_url) == 0)
				break;
		ok(j < o2->nfeeds && strcmp(o2->feeds[j].title, o->feeds[i].title)
		    == 0 && o2->feeds[j].ncategories == o->feeds[i].ncategories &&
		    strcmp(o2->feeds[j].categories[0], o->feeds[i].categories[0]) == 0,
		    "round trip: %s", o->feeds[i].xml_url);
	}
	buf_release(&b);
	opml_free(o);
	opml_free(o2);
}

int
main(void)
{
	test_exports();
	test_refused();
	test_write();
	return tap_done();
}
