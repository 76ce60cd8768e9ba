/*
 * Unit tests: feed.c, feed-enc.c, feed-xml.c, feed-json.c. Fixtures are
 * read from $WW_SRC/tests/fixtures/feeds; the hostile documents (deep,
 * huge, a million items) are built here in memory.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "feed.h"
#include "tap.h"
#include "util.h"

static char *
fixture(const char *name, size_t *len)
{
	const char	*src = getenv("WW_SRC");
	char		*path, *data, *cause = NULL;

	path = xasprintf("%s/tests/fixtures/feeds/%s", src != NULL ? src : ".", name);
	data = util_read_file(path, FEED_MAX_BYTES, len, &cause);
	if (data == NULL) {
		printf("# %s\n", cause);
		free(cause);
	}
	free(path);
	return data;
}

/* Parse a fixture; NULL (and a diagnostic) when it is no feed. */
static struct feed *
parse_fixture(const char *name, const char *url, const char *ct)
{
	struct feed	*f;
	char		*data, *cause = NULL;
	size_t		 len;

	if ((data = fixture(name, &len)) == NULL)
		return NULL;
	f = feed_parse(data, len, url, ct, &cause);
	if (f == NULL) {
		printf("# %s: %s\n", name, cause);
		free(cause);
	}
	free(data);
	return f;
}

static struct feed *
parse_str(const char *s, char **cause)
{
	char	*c = NULL;
	struct feed *f;

	f = feed_parse(s, strlen(s), NULL, NULL, &c);
	if (cause != NULL)
		*cause = c;
	else
		free(c);
	return f;
}

static const char *
fdate(int64_t t)
{
	static char	out[4][32];
	static int	n;

	if (t == DATE_NONE)
		return "null";
	n = (n + 1) % 4;
	date_format(t, out[n]);
	return out[n];
}

static void
test_formats(void)
{
	struct feed	*f;

	f = parse_fixture("rss2-wire.xml", NULL, NULL);
	ok(f != NULL, "rss2-wire parses");
	if (f != NULL) {
		is_str(f->format, "rss2.0", "rss2-wire: format");
		is_str(f->title, "Northwind Wire: World", "rss2-wire: channel title, not the image's");
		is_str(f->link, "https://wire.northwind.example/world/", "rss2-wire: channel link");
		is_int(f->nitems, 3, "rss2-wire: three items");
		is_str(f->items[0].id, "NW-20261128-0412", "guid is the id");
		is_str(fdate(f->items[0].published), "2026-11-28T09:30:00Z", "pubDate");
		is_int(f->items[0].nauthors, 1, "dc:creator is the author");
		is_str(f->items[0].nauthors ? f->items[0].authors[0] : NULL, "Irina Volk", "author name");
		is_int(f->items[0].ncategories, 2, "two categories");
		is_str(f->items[0].summary, "Belarus and China agreed on Friday to extend a "
		    "highway programme, officials said.", "description is the summary");
		is_str(f->items[0].content, "MINSK (Northwind) \xe2\x80\x94 Belarus and China "
		    "agreed on Friday to extend a highway programme.\nThe deal runs to 2030.",
		    "content:encoded as text, paragraphs kept");
		is_str(f->items[1].link, "https://wire.northwind.example/world/2026/11/27/harvest",
		    "a permalink guid gives the link");
		is_str(f->items[1].summary, "Farmers bring in the last wheat of the year.",
		    "media:description (html) when there is no description");
		is_str(f->items[2].title, "Video: talks resume in Istanbul", "media:title as the title");
		is_str(f->items[2].link, "https://wire.northwind.example/video/istanbul-talks",
		    "atom:link in RSS gives the link");
		is_str(fdate(f->items[2].published), "2026-11-27T12:00:00Z", "EST offset applied");
		is_int(f->ttl, 15, "ttl");
		is_int(f->skiphours, (1u << 2) | (1u << 3) | (1u << 4), "skipHours");
		is_int(f->skipdays, (1u << 6) | (1u << 0), "skipDays");
		is_int(f->recovered, 0, "well-formed: not recovered");
	}
	feed_free(f);

	f = parse_fixture("rss091-netscape.xml", NULL, NULL);
	ok(f != NULL && strcmp(f->format, "rss0.9x") == 0, "RSS 0.91 is rss0.9x");
	if (f != NULL) {
		is_str(f->title, "Le Petit Quotidien \xe2\x80\x93 International",
		    "HTML entity in a title without a DTD");
		is_str(f->items[0].title, "Sommet de l\xe2\x80\x99OCS : l\xe2\x80\x99" "Asie "
		    "centrale au c\xc5\x93ur des d\xc3\xa9" "bats", "&rsquo; &oelig; &eacute;");
		is_str(f->items[0].id, "http://quotidien.example.fr/international/sommet-ocs.html",
		    "no guid: the link is the id");
		is_int(f->recovered, 0, "the DTD is not needed for the entities");
	}
	feed_free(f);

	f = parse_fixture("rss092-podcast.xml", NULL, NULL);
	ok(f != NULL && strcmp(f->format, "rss0.9x") == 0, "RSS 0.92 is rss0.9x");
	if (f != NULL && f->nitems == 2) {
		is_str(f->items[0].authors[0], "Dana Reyes", "itunes:author");
		is_str(f->items[1].summary, "How export controls work, and who they hurt.",
		    "itunes:summary when there is no description");
		is_str(f->items[1].link, NULL, "an enclosure is not the link");
	}
	feed_free(f);

	f = parse_fixture("rss090.rdf", NULL, NULL);
	ok(f != NULL && strcmp(f->format, "rss0.9x") == 0, "RSS 0.90 (RDF, Netscape namespace)");
	if (f != NULL) {
		is_str(f->title, "Old Web Bulletin", "0.90: channel title, not image or textinput");
		is_int(f->nitems, 2, "0.90: items beside the channel");
	}
	feed_free(f);

	f = parse_fixture("rss10-rdf.rdf", NULL, NULL);
	ok(f != NULL && strcmp(f->format, "rss1.0") == 0, "RSS 1.0");
	if (f != NULL && f->nitems == 2) {
		is_str(f->items[0].id, "https://techwatch.example.com/story/26/11/28/0912",
		    "rdf:about is the id");
		is_str(f->items[0].link, "https://techwatch.example.com/story/26/11/28/0912?from=rss",
		    "link");
		is_str(fdate(f->items[1].published), "2026-11-28T03:01:00Z", "dc:date with offset");
		is_str(f->items[0].categories[0], "policy", "dc:subject is a category");
		is_str(f->items[0].summary, "Regulators added 40 companies to the entity list. "
		    "Read more", "escaped markup in a description");
		is_int(f->update_period, 1800, "sy:updatePeriod hourly / updateFrequency 2");
	}
	feed_free(f);

	f = parse_fixture("atom10-blogger.xml", NULL, NULL);
	ok(f != NULL && strcmp(f->format, "atom1.0") == 0, "Atom 1.0 (Blogger)");
	if (f != NULL && f->nitems == 2) {
		is_str(f->link, "https://easternborder.blogspot.com/", "alternate link, not self");
		is_str(f->items[0].link, "https://easternborder.blogspot.com/2026/11/"
		    "why-minsk-keeps-looking-east.html", "entry alternate link, not replies");
		is_str(f->items[0].content, "Three visits in a year are not a coincidence.\n"
		    "Trade figures tell the rest.", "html content, script dropped");
		is_str(fdate(f->items[0].published), "2026-11-28T05:00:00Z", "published");
		is_str(fdate(f->items[0].updated), "2026-11-28T05:14:22Z", "updated");
		is_int(f->items[0].ncategories, 2, "category terms");
		is_str(f->items[1].authors[0], "Guest writer", "entry author");
	}
	feed_free(f);

	f = parse_fixture("atom10-xhtml-base.xml", NULL, NULL);
	ok(f != NULL, "Atom with xml:base and xhtml");
	if (f != NULL && f->nitems == 2) {
		is_str(f->title, "Policy <Review>", "type=html title decoded once");
		is_str(f->link, "https://journal.example.org/", "feed link resolved on xml:base");
		is_str(f->items[0].link, "https://journal.example.org/2026/11/sanctions-that-bite",
		    "nested xml:base");
		is_str(f->items[0].summary, "A look at what <works>.", "type=text summary");
		is_str(f->items[0].content, "Export bans on dual-use goods matter most.\n"
		    "Asset freezes & travel bans matter less.", "xhtml content");
		is_str(f->items[0].authors[0], "The Editors", "feed author inherited");
		is_str(f->items[1].title, "Peace talks: round three", "xhtml title");
		is_str(f->items[1].link, "https://journal.example.org/2026/11/peace-talks-round-three",
		    "alternate, not enclosure");
		is_int(f->items[1].nauthors, 1, "contributor is not an author");
		is_str(f->items[1].id, "urn:uuid:3f1e9c2a-0b5d-4d7e-9a11-2b7c0e5d4c11",
		    "source/id does not replace the id");
	}
	feed_free(f);

	f = parse_fixture("atom03.xml", NULL, NULL);
	ok(f != NULL && strcmp(f->format, "atom0.3") == 0, "Atom 0.3");
	if (f != NULL && f->nitems == 2) {
		is_str(f->title, "Harbour & Rail Notes", "mode=escaped title");
		is_str(fdate(f->items[0].published), "2026-11-26T08:00:00Z", "issued");
		is_str(fdate(f->items[0].updated), "2026-11-26T10:00:00Z", "modified");
		is_str(f->items[0].content, "The port handled 1.2 million containers.",
		    "escaped html content");
		is_str(f->items[1].content, "Unions and operator agreed late on Tuesday.",
		    "mode=xml content; base64 ignored");
	}
	feed_free(f);

	f = parse_fixture("jsonfeed-1.1.json", "https://fieldnotes.example.com/feed.json", NULL);
	ok(f != NULL && strcmp(f->format, "jsonfeed") == 0, "JSON Feed 1.1");
	if (f != NULL && f->nitems == 2) {
		is_str(f->items[0].content, "The bazaar opens at six.\nBy seven it is full.",
		    "content_html");
		is_int(f->items[0].ncategories, 2, "tags, duplicates dropped");
		is_str(fdate(f->items[0].published), "2026-11-28T01:30:00Z", "date_published");
		is_str(f->items[0].authors[0], "Mara Lind", "feed authors inherited");
		is_str(f->items[1].id, "20261127", "numeric id");
		is_str(f->items[1].link, "https://fieldnotes.example.com/2026/11/27/notes",
		    "relative url resolved");
		is_str(f->items[1].title, "Short notes \xe2\x80\x94 Friday", "\\u escape");
		is_str(f->items[1].content, "One.\nTwo.", "content_text paragraphs");
	}
	feed_free(f);

	f = parse_str("{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[{\"id\":"
	    "\"1\",\"title\":\"a\\u001b[31mred\",\"content_text\":\"x\\u0007y\"}]}", NULL);
	ok(f != NULL && f->nitems == 1, "JSON Feed with escaped control characters");
	if (f != NULL && f->nitems == 1) {
		is_str(f->items[0].title, "a [31mred", "an escaped ESC is white space");
		is_str(f->items[0].content, "x y", "an escaped BEL too");
	}
	feed_free(f);

	f = parse_fixture("jsonfeed-1.0.json", NULL, NULL);
	ok(f != NULL && f->nitems == 2, "JSON Feed 1.0");
	if (f != NULL && f->nitems == 2) {
		is_str(f->items[0].authors[0], "Brief Desk", "1.0 feed author");
		is_str(f->items[1].authors[0], "Editor", "1.0 item author");
		is_str(f->items[1].link, "https://elsewhere.example.org/story", "external_url");
	}
	feed_free(f);
}

static void
test_encodings(void)
{
	static const struct {
		const char	*file;
		const char	*title;
	} cases[] = {
		{ "enc-iso-8859-1.xml", "Bi\xc3\xa9lorussie et Chine : un partenariat "
		    "\xc2\xab strat\xc3\xa9gique \xc2\xbb" },
		{ "enc-iso-8859-2.xml", "\xc5\x81ukaszenka w Pekinie: rozmowy o wsp\xc3\xb3\xc5\x82pracy" },
		{ "enc-windows-1251.xml", "\xd0\x9c\xd0\xb8\xd0\xbd\xd1\x81\xd0\xba \xd0\xb8 "
		    "\xd0\x9f\xd0\xb5\xd0\xba\xd0\xb8\xd0\xbd \xd0\xbf\xd0\xbe\xd0\xb4\xd0\xbf"
		    "\xd0\xb8\xd1\x81\xd0\xb0\xd0\xbb\xd0\xb8 \xd1\x81\xd0\xbe\xd0\xb3\xd0\xbb"
		    "\xd0\xb0\xd1\x88\xd0\xb5\xd0\xbd\xd0\xb8\xd0\xb5" },
		{ "enc-koi8-r.xml", "\xd0\xa1\xd0\xb0\xd0\xbd\xd0\xba\xd1\x86\xd0\xb8\xd0\xb8 "
		    "\xd0\xbf\xd1\x80\xd0\xbe\xd1\x82\xd0\xb8\xd0\xb2 \xd0\x91\xd0\xb5\xd0\xbb"
		    "\xd0\xbe\xd1\x80\xd1\x83\xd1\x81\xd1\x81\xd0\xb8\xd0\xb8 \xd0\xbf\xd1\x80"
		    "\xd0\xbe\xd0\xb4\xd0\xbb\xd0\xb5\xd0\xbd\xd1\x8b" },
		{ "enc-shift_jis.xml", "\xe4\xb8\x8a\xe6\xb5\xb7\xe5\x8d\x94\xe5\x8a\x9b\xe6\xa9"
		    "\x9f\xe6\xa7\x8b\xe3\x81\xae\xe9\xa6\x96\xe8\x84\xb3\xe4\xbc\x9a\xe8\xad\xb0"
		    "\xe3\x81\x8c\xe9\x96\x8b\xe5\xb9\x95" },
		{ "enc-euc-jp.xml", "\xe3\x82\xa6\xe3\x82\xaf\xe3\x83\xa9\xe3\x82\xa4\xe3\x83\x8a"
		    "\xe5\x92\x8c\xe5\xb9\xb3\xe5\x8d\x94\xe8\xad\xb0\xe3\x81\x8c\xe5\x86\x8d\xe9"
		    "\x96\x8b" },
		{ "enc-gb2312.xml", "\xe4\xb8\xad\xe5\x9b\xbd\xe4\xb8\x8e\xe7\x99\xbd\xe4\xbf\x84"
		    "\xe7\xbd\x97\xe6\x96\xaf\xe7\xad\xbe\xe7\xbd\xb2\xe5\x90\x88\xe4\xbd\x9c\xe5"
		    "\x8d\x8f\xe8\xae\xae" },
		{ "enc-big5.xml", "\xe4\xb8\x8a\xe6\xb5\xb7\xe5\x90\x88\xe4\xbd\x9c\xe7\xb5\x84"
		    "\xe7\xb9\x94\xe5\xb3\xb0\xe6\x9c\x83\xe5\x8f\xac\xe9\x96\x8b" },
		{ "enc-utf-16le-bom.xml", "Gespr\xc3\xa4" "che in Genf \xe2\x80\x93 Tag 2" },
		{ "enc-utf-16be-nobom.xml", "Gespr\xc3\xa4" "che in Genf \xe2\x80\x93 Tag 2" },
		{ "enc-utf-32be-bom.xml", "Gespr\xc3\xa4" "che in Genf \xe2\x80\x93 Tag 2" },
		{ "enc-utf-8-bom.xml", "\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 \xe2\x9c\x93 "
		    "\xe5\x8c\x97\xe4\xba\xac" },
		{ "enc-mislabelled.xml", "Pr\xc3\xa9sident \xe2\x80\x94 d\xc3\xa9" "claration" },
		{ "enc-utf8-stray-cp1252.xml", "\xe2\x80\x9cQuoted\xe2\x80\x9d caf\xc3\xa9 \xe2\x82\xac" "5" },
	};
	struct feed	*f;
	size_t		 i;
	char		 doc[256], *u;
	size_t		 ulen;

	for (i = 0; i < nitems(cases); i++) {
		f = parse_fixture(cases[i].file, NULL, NULL);
		is_str(f != NULL && f->nitems > 0 ? f->items[0].title : NULL,
		    cases[i].title, "%s: item title in UTF-8", cases[i].file);
		feed_free(f);
	}

	/* The HTTP charset counts when the document says nothing. */
	f = parse_fixture("enc-http-charset.xml", NULL, "text/xml; charset=windows-1251");
	is_str(f != NULL ? f->title : NULL, "\xd0\xa3\xd1\x82\xd1\x80\xd0\xb5\xd0\xbd\xd0\xbd"
	    "\xd0\xb8\xd0\xb5 \xd0\xbd\xd0\xbe\xd0\xb2\xd0\xbe\xd1\x81\xd1\x82\xd0\xb8",
	    "charset from Content-Type");
	feed_free(f);
	f = parse_fixture("enc-http-charset.xml", NULL, "text/xml; charset=\"WINDOWS-1251\"; x=y");
	ok(f != NULL && strncmp(f->title, "\xd0\xa3", 2) == 0, "quoted, upper-case charset");
	feed_free(f);
	f = parse_fixture("enc-http-charset.xml", NULL, NULL);
	ok(f != NULL && strncmp(f->title, "\xd0\xa3", 2) != 0 && f->title[0] != '\0',
	    "without it the bytes are read as windows-1252, still UTF-8");
	feed_free(f);
	/* The declaration wins over the HTTP charset. */
	f = parse_fixture("enc-koi8-r.xml", NULL, "text/xml; charset=iso-8859-1");
	ok(f != NULL && strncmp(f->title, "\xd0\x92\xd0\xb5", 4) == 0,
	    "XML declaration beats the HTTP charset");
	feed_free(f);

	/* UTF-32LE with a BOM, built here. */
	{
		const char *src = "<rss><channel><title>\xc3\xa9t\xc3\xa9</title></channel></rss>";
		struct buf b;
		unsigned char q[4];
		size_t k;

		buf_init(&b, 0);
		buf_add(&b, "\xff\xfe\0\0", 4);
		for (k = 0; src[k] != '\0'; k++) {
			unsigned cp = (unsigned char)src[k];

			if (cp == 0xc3) {
				cp = 0xc0 | ((unsigned char)src[++k] & 0x3f);
			}
			q[0] = (unsigned char)cp;
			q[1] = q[2] = q[3] = 0;
			buf_add(&b, q, 4);
		}
		f = feed_parse(b.data, b.len, NULL, NULL, &u);
		is_str(f != NULL ? f->title : NULL, "\xc3\xa9t\xc3\xa9", "UTF-32LE with BOM");
		feed_free(f);
		buf_release(&b);
	}

	/* feed_to_utf8 itself. */
	u = feed_to_utf8("a\x01" "b\0c\xef\xbf\xbe" "d\xff", 10, NULL, &ulen);
	is_int(ulen, strlen(u), "no NUL left inside");
	is_str(u, "a b c\xef\xbf\xbd" "d\xc3\xbf", "controls to spaces, U+FFFE to U+FFFD, "
	    "stray byte as windows-1252");
	free(u);
	{
		static const char bogus[] =
		    "<?xml version='1.0' encoding='bogus-charset-9'?><x>\xe9</x>";

		u = feed_to_utf8(bogus, sizeof bogus - 1, NULL, &ulen);
	}
	ok(strstr(u, "<x>\xc3\xa9</x>") != NULL, "unknown charset: read as UTF-8/windows-1252");
	free(u);
	snprintf(doc, sizeof doc, "%s", "<rss><channel><title>\x81\x8d\x8f\x90\x9d</title></channel></rss>");
	f = parse_str(doc, NULL);
	is_str(f != NULL ? f->title : NULL, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd", "windows-1252 holes become U+FFFD");
	feed_free(f);
}

static uint64_t
fnv(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void
test_identity(void)
{
	struct feed	*f, *g;
	char		 want[64];
	uint64_t	 h;

	f = parse_fixture("ids.xml", NULL, NULL);
	ok(f != NULL, "ids.xml parses");
	if (f == NULL)
		return;
	is_int(f->nitems, 6, "a duplicate story and an empty item are dropped");
	is_str(f->items[0].id, "id-001", "guid trimmed");
	is_str(f->items[1].id, "https://ids.example.com/b", "no guid: the link");
	h = fnv(0xcbf29ce484222325ULL, "No guid, no link");
	h = fnv(h, "\n2026-11-28T10:00:00Z\n");
	snprintf(want, sizeof want, "fnv1a64:%016" PRIx64, h);
	is_str(f->items[2].id, want, "no guid, no link: FNV-1a of title and date");
	is_str(f->items[3].id, "https://ids.example.com/c",
	    "a repeated guid on another story falls back to the link");
	is_str(f->items[3].title, "Repeated guid, other story", "that story is kept");
	is_str(f->items[4].link, "https://ids.example.com/d?x=1&y=2",
	    "relative link resolved against the channel link");
	is_str(f->items[5].link, NULL, "javascript: link dropped");
	is_str(f->items[5].id, "id-unsafe", "its item is kept");
	g = parse_fixture("ids.xml", NULL, NULL);
	ok(g != NULL && g->nitems == f->nitems && strcmp(g->items[2].id, f->items[2].id) == 0,
	    "fallback ids are stable");
	feed_free(g);
	feed_free(f);

	f = parse_fixture("ids.xml", "https://mirror.example.net/feeds/ids.xml", NULL);
	is_str(f != NULL && f->nitems > 4 ? f->items[4].link : NULL,
	    "https://mirror.example.net/d?x=1&y=2", "the document URL comes before the channel link");
	feed_free(f);
}

static void
test_text(void)
{
	struct feed	*f;

	f = parse_fixture("text-escaping.xml", NULL, NULL);
	ok(f != NULL && f->nitems == 3, "text-escaping.xml: three items");
	if (f != NULL && f->nitems == 3) {
		is_str(f->title, "Escapes & Entities", "escaped twice in a channel title");
		is_str(f->items[0].title, "AT&T and T-Mobile settle \"roaming\" dispute",
		    "AT&amp;amp;T reads AT&T");
		is_str(f->items[0].summary, "First paragraph\nSecond\none\ntwo\nTail\nafter "
		    "break \xe2\x80\x94 \xc2\xa9 2026", "script/style dropped, blocks break");
		is_str(f->items[1].title, "Why a < b matters", "a '<' in text, white space folded");
		is_str(f->items[1].summary, "Spaces and tabs fold; bold and \xc3\xa9t\xc3\xa9",
		    "CDATA html");
		is_str(f->items[2].title, "Live: Q&A with the \xe2\x80\x9c" "envoy\xe2\x80\x9d",
		    "markup in a CDATA title");
	}
	feed_free(f);

	f = parse_fixture("wordpress.xml", NULL, NULL);
	ok(f != NULL && f->nitems == 1, "WordPress feed");
	if (f != NULL && f->nitems == 1) {
		is_str(f->title, "Steppe & Sea \xe2\x80\x93 A regional politics blog",
		    "&#038; and &#8211;");
		is_str(f->items[0].id, "https://steppeandsea.example.com/?p=4821",
		    "isPermaLink=false guid is still the id");
		is_str(f->items[0].link, "https://steppeandsea.example.com/2026/11/28/"
		    "astanas-balancing-act/", "not the guid as link");
		is_str(f->items[0].content, "Kazakhstan wants the trade without the alliance.\n"
		    "Astana, November 2026\nCan it have both? The answer depends on "
		    "Moscow\xe2\x80\xa6", "figure caption kept, style and img dropped");
		is_int(f->items[0].ncategories, 3, "CDATA categories");
		is_int(f->update_period, 3600, "sy: hints with white space");
	}
	feed_free(f);

	f = parse_fixture("medium.xml", NULL, NULL);
	ok(f != NULL && f->nitems == 1, "Medium feed");
	if (f != NULL && f->nitems == 1) {
		is_str(f->title, "Geopolitics Weekly - Medium", "CDATA channel title");
		is_str(fdate(f->items[0].updated), "2026-11-27T16:02:33Z", "atom:updated in RSS");
		is_str(f->items[0].content, "The Sanctions Paradox\nWhy do sanctions so often "
		    "strengthen the regimes they target?\nThree reasons.", "Medium content");
	}
	feed_free(f);
}

static void
test_malformed(void)
{
	struct feed	*f;
	char		*cause;
	size_t		 i;
	static const struct {
		const char	*file;
		const char	*cause;
	} bad[] = {
		{ "not-feed-page.html", "an HTML page, not a feed" },
		{ "not-feed-xhtml.xml", "an HTML page, not a feed" },
		{ "empty.xml", "empty document" },
		{ "blank.xml", "empty document" },
		{ "garbage.txt", "not a feed: neither XML nor JSON" },
		{ "garbage.png", "not a feed: neither XML nor JSON" },
		{ "not-feed.json", "not a feed: JSON but not a JSON Feed" },
		{ "other-root.xml", "not a feed: root element <opml>" },
	};

	f = parse_fixture("malformed-entities.xml", NULL, NULL);
	ok(f != NULL && f->nitems == 1, "bare & and unknown entities: read");
	if (f != NULL && f->nitems == 1) {
		is_str(f->title, "Smith & Sons Gazette", "bare &");
		is_str(f->link, "https://gazette.example.com/?a=1&b=2", "bare & in a URL");
		is_str(f->items[0].title, "R&D budget up; caf\xc3\xa9 owners & bakers protest "
		    "&bogus; \xe2\x80\x93 ok", "unknown entity kept as text, &#150; as windows-1252");
		is_str(f->items[0].summary, "Prices > 5 % rose \xe2\x80\xa6 \xef\xbf\xbd "
		    "\xf0\x9f\x98\x80 & done", "forbidden references replaced");
	}
	feed_free(f);

	f = parse_fixture("malformed-tags.xml", NULL, NULL);
	ok(f != NULL && f->nitems == 4, "mismatched tags: all four items read");
	if (f != NULL && f->nitems == 4) {
		ok(f->recovered, "marked recovered");
		is_str(f->items[0].summary, "Talks resumed on Monday", "unclosed <b>");
		is_str(f->items[1].summary, "Shelling continued overnight.", "stray </i>");
		is_str(f->items[2].summary, "Delegates met in Geneva.", "end tag in another case");
		is_str(fdate(f->items[2].published), "2026-11-28T08:00:00Z",
		    "the element after it is still the item's");
		is_str(f->items[3].summary, "Still read.", "later items unharmed");
	}
	feed_free(f);

	f = parse_fixture("malformed-truncated.xml", NULL, NULL);
	ok(f != NULL && f->nitems == 2, "truncated: the items read so far");
	if (f != NULL && f->nitems == 2)
		is_str(f->items[1].summary, "The connection dropped in the middle of this sen",
		    "the cut item keeps what arrived");
	feed_free(f);

	f = parse_str("   \n<?xml version=\"1.0\"?><rss><channel><title>x</title>"
	    "<item><title>a</title></item></channel></rss>", NULL);
	ok(f != NULL && f->nitems == 1, "white space before the XML declaration");
	feed_free(f);
	f = parse_str("Warning: something in /var/www/feed.php on line 3\n"
	    "<?xml version=\"1.0\"?><rss><channel><item><title>a</title></item></channel></rss>",
	    NULL);
	ok(f != NULL && f->nitems == 1, "junk before the document");
	feed_free(f);

	for (i = 0; i < nitems(bad); i++) {
		cause = NULL;
		f = parse_fixture(bad[i].file, NULL, NULL);
		ok(f == NULL, "%s: no feed", bad[i].file);
		feed_free(f);
		{
			char *data;
			size_t len;

			data = fixture(bad[i].file, &len);
			f = feed_parse(data != NULL ? data : "", data != NULL ? len : 0, NULL,
			    NULL, &cause);
			is_str(cause, bad[i].cause, "%s: message", bad[i].file);
			ok(cause != NULL && strchr(cause, '\n') == NULL, "%s: one line",
			    bad[i].file);
			feed_free(f);
			free(data);
			free(cause);
		}
	}
	f = parse_str("{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[{\"id\":", &cause);
	ok(f == NULL && cause != NULL && strncmp(cause, "invalid JSON", 12) == 0,
	    "truncated JSON is an error");
	free(cause);
}

static void
test_safety(void)
{
	struct feed	*f;
	struct buf	 b, out;
	size_t		 i;
	char		*cause = NULL;

	f = parse_fixture("safety-billion-laughs.xml", NULL, NULL);
	ok(f != NULL && f->nitems == 1, "billion laughs: parsed");
	if (f != NULL && f->nitems == 1) {
		is_str(f->title, "Laughs", "declared entities are not expanded");
		is_str(f->items[0].title, "Item end", "not in items either");
	}
	feed_free(f);

	f = parse_fixture("safety-xxe.xml", NULL, NULL);
	ok(f != NULL, "XXE document parsed");
	if (f != NULL) {
		buf_init(&out, 0);
		feed_to_json(f, &out);
		ok(strstr(out.data, "TOP-SECRET") == NULL, "no external entity or XInclude read");
		is_str(f->items[0].summary, "after", "XInclude element is just markup");
		buf_release(&out);
	}
	feed_free(f);

	/* 100,000 nested elements inside an item. */
	buf_init(&b, 0);
	buf_adds(&b, "<rss><channel><title>deep</title><item><title>kept</title><guid>d</guid>");
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "<x>");
	f = feed_parse(b.data, b.len, NULL, NULL, &cause);
	ok(f != NULL && f->nitems == 1, "deep nesting: the item so far, no crash");
	is_str(f != NULL && f->nitems == 1 ? f->items[0].title : NULL, "kept", "its title");
	feed_free(f);
	buf_release(&b);

	/* A 4 MB title. */
	buf_init(&b, 0);
	buf_adds(&b, "<rss><channel><item><title>");
	for (i = 0; i < 400000; i++)
		buf_adds(&b, "Belarus &amp; ");
	buf_adds(&b, "</title><description>");
	for (i = 0; i < 200000; i++)
		buf_adds(&b, "<p>paragraph</p>");
	buf_adds(&b, "</description></item></channel></rss>");
	f = feed_parse(b.data, b.len, NULL, NULL, &cause);
	ok(f != NULL && f->nitems == 1, "huge title and description");
	if (f != NULL && f->nitems == 1) {
		ok(strlen(f->items[0].title) <= FEED_MAX_TITLE &&
		    strlen(f->items[0].title) > FEED_MAX_TITLE - 16, "title cut at FEED_MAX_TITLE");
		ok(strncmp(f->items[0].title, "Belarus & Belarus", 17) == 0, "cut title reads");
		ok(strlen(f->items[0].summary) <= FEED_MAX_SUMMARY, "summary cut");
	}
	feed_free(f);
	buf_release(&b);

	/* A million items: the first FEED_MAX_ITEMS are kept. */
	buf_init(&b, 0);
	buf_adds(&b, "<rss><channel><title>many</title>");
	for (i = 0; i < 1000000; i++)
		buf_addf(&b, "<item><guid>%zu</guid></item>", i);
	buf_adds(&b, "</channel></rss>");
	ok(b.len < FEED_MAX_BYTES, "a million items fit in FEED_MAX_BYTES (%zu bytes)", b.len);
	f = feed_parse(b.data, b.len, NULL, NULL, &cause);
	is_int(f != NULL ? f->nitems : 0, FEED_MAX_ITEMS, "items capped");
	ok(f != NULL && f->truncated, "marked truncated");
	is_str(f != NULL && f->nitems == FEED_MAX_ITEMS ? f->items[FEED_MAX_ITEMS - 1].id : NULL,
	    "9999", "the first ones, in order");
	feed_free(f);
	buf_release(&b);

	buf_init(&b, 0);
	buf_adds(&b, "{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[");
	for (i = 0; i < 1000000; i++)
		buf_addf(&b, "%s{\"id\":\"%zu\"}", i ? "," : "", i);
	buf_adds(&b, "]}");
	f = feed_parse(b.data, b.len, NULL, NULL, &cause);
	is_int(f != NULL ? f->nitems : 0, FEED_MAX_ITEMS, "JSON Feed: items capped");
	ok(f != NULL && f->truncated, "JSON Feed: marked truncated");
	feed_free(f);
	buf_release(&b);

	buf_init(&b, 0);
	for (i = 0; i < 100000; i++)
		buf_addc(&b, '[');
	f = feed_parse(b.data, b.len, NULL, NULL, &cause);
	ok(f == NULL && cause != NULL, "JSON nested 100,000 deep: an error, no crash");
	free(cause);
	cause = NULL;
	buf_release(&b);

	buf_init(&b, 0);
	buf_addc(&b, '<');
	f = feed_parse(b.data, (size_t)FEED_MAX_BYTES + 1, NULL, NULL, &cause);
	ok(f == NULL && cause != NULL && strstr(cause, "larger than") != NULL,
	    "more than FEED_MAX_BYTES is refused");
	free(cause);
	buf_release(&b);
}

static void
test_politeness(void)
{
	struct feed	*f;

	f = parse_fixture("politeness.xml", NULL, NULL);
	ok(f != NULL, "politeness.xml parses");
	if (f == NULL)
		return;
	is_int(f->ttl, 120, "ttl");
	is_int(f->skiphours, (1u << 0) | (1u << 23), "hours 0, 23, 24 (= 0); 99 ignored");
	is_int(f->skipdays, (1u << 0) | (1u << 1), "Sunday, monday; Funday ignored");
	is_int(f->update_period, 86400 / 4, "daily, 4 times");
	feed_free(f);
}

static void
test_json_output(void)
{
	struct feed	*f;
	struct buf	 b;

	f = parse_str("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T \"q\"</title>"
	    "<entry><id>e1</id><title>A\tb</title><updated>2026-11-28T09:30:00Z</updated>"
	    "<author><name>X</name></author><author><email>y@example.com</email></author>"
	    "<category term=\"c1\"/><category term=\"c2\" label=\"Label 2\"/>"
	    "<summary>s</summary></entry></feed>", NULL);
	ok(f != NULL, "small Atom feed");
	if (f == NULL)
		return;
	buf_init(&b, 0);
	feed_to_json(f, &b);
	is_str(b.data, "{\"format\":\"atom1.0\",\"title\":\"T \\\"q\\\"\",\"link\":null,"
	    "\"items\":[\n{\"id\":\"e1\",\"title\":\"A b\",\"link\":null,\"published\":null,"
	    "\"updated\":\"2026-11-28T09:30:00Z\",\"authors\":[\"X\",\"y@example.com\"],"
	    "\"summary\":\"s\",\"content\":null,\"categories\":[\"c1\",\"Label 2\"]}]}",
	    "JSON output, exactly");
	buf_release(&b);
	feed_free(f);
	feed_free(NULL);
}

/* Inputs that once crashed or leaked (fuzz findings): must parse or fail cleanly. */
static void
test_regressions(void)
{
	const char	*src = getenv("WW_SRC");
	struct dirent	*de;
	struct feed	*f;
	struct buf	 b;
	DIR		*d;
	char		*path, *data, *cause;
	size_t		 len;
	int		 n = 0;

	path = xasprintf("%s/tests/fixtures/feeds/regress", src != NULL ? src : ".");
	if ((d = opendir(path)) == NULL) {
		ok(0, "opendir %s", path);
		free(path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("regress/%s", de->d_name);
		cause = NULL;
		data = fixture(p, &len);
		f = data != NULL ? feed_parse(data, len, "https://fuzz.example/a", NULL, &cause) : NULL;
		buf_init(&b, 0);
		if (f != NULL)
			feed_to_json(f, &b);
		ok(data != NULL && (f != NULL || (cause != NULL && strchr(cause, '\n') == NULL)),
		    "regression input %s", de->d_name);
		buf_release(&b);
		feed_free(f);
		free(cause);
		free(data);
		free(p);
		n++;
	}
	closedir(d);
	free(path);
	ok(n > 0, "%d regression inputs", n);
}

int
main(void)
{
	test_formats();
	test_encodings();
	test_identity();
	test_text();
	test_malformed();
	test_safety();
	test_politeness();
	test_json_output();
	test_regressions();
	return tap_done();
}
