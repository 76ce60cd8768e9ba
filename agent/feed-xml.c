/*
 * The XML feed reader: RSS 0.90-0.94, RSS 1.0 (RDF), RSS 2.0, Atom 0.3 and
 * 1.0, with Dublin Core, content:encoded, Media RSS, iTunes, syndication
 * and atom:link in RSS. Input is the clean UTF-8 of feed-enc.c; the items go
 * to the builder of feed.c. This file and html.c are the only users of
 * libxml2 and nothing of it leaves them.
 *
 * How hostile XML is kept harmless:
 *  - A lexical pass (xml_prepare) runs first. It drops the XML declaration
 *    (the bytes are UTF-8 by now) and the whole DOCTYPE, so no entity is
 *    ever declared, no DTD named; it rewrites what real feeds get wrong and
 *    a recovering parser would lose: HTML named entities (&eacute;) become
 *    characters, a bare '&' becomes &amp;, numeric references to forbidden
 *    characters become U+FFFD (0x80-0x9f: windows-1252, as browsers do).
 *    References to entities the dropped DOCTYPE declared are removed.
 *  - libxml2 runs as a SAX2 parser with XML_PARSE_NONET and RECOVER, never
 *    NOENT, DTDLOAD, XINCLUDE or HUGE, with no entity, DTD or resolver
 *    callbacks; its depth limit (256) and text limits stay on.
 *  - Streaming: only the item being read is held besides the finished
 *    items; parsing stops once FEED_MAX_ITEMS items are read. Each captured
 *    field is capped while it is read (raw_max below).
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "buf.h"
#include "date.h"
#include "feed.h"
#include "log.h"
#include "util.h"
#include "utf8.h"

/* Namespaces, identified by URI (or by the usual prefix when undeclared). */
enum ns {
	NS_NONE, NS_RSS, NS_RSS090, NS_RDF, NS_ATOM, NS_ATOM03, NS_DC,
	NS_DCTERMS, NS_CONTENT, NS_MEDIA, NS_SY, NS_ITUNES, NS_XHTML, NS_XML,
	NS_OTHER
};

static const struct {
	const char	*uri;		/* without the scheme */
	enum ns		 ns;
} ns_uris[] = {
	{ "//purl.org/rss/1.0/", NS_RSS },
	{ "//my.netscape.com/rdf/simple/0.9/", NS_RSS090 },
	{ "//backend.userland.com/rss2", NS_RSS },
	{ "//backend.userland.com/rss", NS_RSS },
	{ "//blogs.law.harvard.edu/tech/rss", NS_RSS },
	{ "//www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF },
	{ "//www.w3.org/2005/Atom", NS_ATOM },
	{ "//purl.org/atom/ns#", NS_ATOM03 },
	{ "//purl.org/dc/elements/1.1/", NS_DC },
	{ "//purl.org/dc/elements/1.0/", NS_DC },
	{ "//purl.org/dc/terms/", NS_DCTERMS },
	{ "//purl.org/rss/1.0/modules/content/", NS_CONTENT },
	{ "//search.yahoo.com/mrss/", NS_MEDIA },
	{ "//search.yahoo.com/mrss", NS_MEDIA },
	{ "//purl.org/rss/1.0/modules/syndication/", NS_SY },
	{ "//www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES },
	{ "//www.w3.org/1999/xhtml", NS_XHTML },
	{ "//www.w3.org/XML/1998/namespace", NS_XML },
};

/* Prefixes feeds use without declaring them. Sorted. */
static const struct {
	const char	*prefix;
	enum ns		 ns;
} ns_prefixes[] = {
	{ "atom", NS_ATOM }, { "content", NS_CONTENT }, { "dc", NS_DC },
	{ "dcterms", NS_DCTERMS }, { "itunes", NS_ITUNES }, { "media", NS_MEDIA },
	{ "rdf", NS_RDF }, { "sy", NS_SY }, { "xhtml", NS_XHTML }, { "xml", NS_XML },
};

/* Element local names that mean something somewhere. */
enum tok {
	T_OTHER, T_RDF, T_ABOUT, T_AUTHOR, T_BODY, T_CATEGORY, T_CHANNEL,
	T_CONTENT, T_CREATED, T_CREATOR, T_DATE, T_DAY, T_DESCRIPTION,
	T_EMAIL, T_ENCODED, T_ENTRY, T_FEED, T_GUID, T_HOUR, T_ID,
	T_IDENTIFIER, T_ISSUED, T_ITEM, T_LINK, T_MODIFIED, T_NAME,
	T_PUBDATE, T_PUBLISHED, T_RSS, T_SKIPDAYS, T_SKIPHOURS, T_SUBJECT,
	T_SUMMARY, T_TITLE, T_TTL, T_UPDATED, T_UPDATEFREQUENCY,
	T_UPDATEPERIOD
};

/* Sorted by strcmp for bsearch. */
static const struct tokname {
	const char	*name;
	enum tok	 tok;
} toknames[] = {
	{ "RDF", T_RDF }, { "about", T_ABOUT }, { "author", T_AUTHOR },
	{ "body", T_BODY }, { "category", T_CATEGORY }, { "channel", T_CHANNEL },
	{ "content", T_CONTENT }, { "created", T_CREATED },
	{ "creator", T_CREATOR }, { "date", T_DATE }, { "day", T_DAY },
	{ "description", T_DESCRIPTION }, { "email", T_EMAIL },
	{ "encoded", T_ENCODED }, { "entry", T_ENTRY }, { "feed", T_FEED },
	{ "guid", T_GUID }, { "hour", T_HOUR }, { "id", T_ID },
	{ "identifier", T_IDENTIFIER }, { "issued", T_ISSUED },
	{ "item", T_ITEM }, { "link", T_LINK }, { "modified", T_MODIFIED },
	{ "name", T_NAME }, { "pubDate", T_PUBDATE },
	{ "published", T_PUBLISHED }, { "rss", T_RSS },
	{ "skipDays", T_SKIPDAYS }, { "skipHours", T_SKIPHOURS },
	{ "subject", T_SUBJECT }, { "summary", T_SUMMARY }, { "title", T_TITLE },
	{ "ttl", T_TTL }, { "updateFrequency", T_UPDATEFREQUENCY },
	{ "updatePeriod", T_UPDATEPERIOD }, { "updated", T_UPDATED },
};

/* What a captured element's text is for. */
enum field {
	F_NONE,
	/* item */
	F_TITLE, F_LINK, F_SUMMARY, F_CONTENT, F_GUID, F_ID, F_PUBLISHED,
	F_UPDATED, F_AUTHOR, F_AUTHOR_NAME, F_AUTHOR_EMAIL, F_CATEGORY,
	/* feed */
	F_FTITLE, F_FLINK, F_FAUTHOR_NAME, F_TTL, F_HOUR, F_DAY, F_SYPERIOD,
	F_SYFREQ
};

enum kind { K_NONE, K_RSS, K_ATOM };

struct el {
	const char	*name;		/* local name (libxml2's dictionary) */
	enum tok	 tok;
	enum ns		 ns;
	const char	*base;		/* xml:base in effect (borrowed) */
	char		*own;		/* base set on this element */
};

/* An item being read, with the rank of the source of each field. */
struct cur {
	struct item	 it;
	unsigned char	 rtitle, rlink, rsummary, rcontent, rid, rpub, rupd;
	int		 guid_permalink;
	char		*guid_link;	/* a permalink guid, link fallback */
	char		*aname, *aemail;	/* Atom author being read */
};

/*
 * Lookups by libxml2's dictionary pointers: names and URIs are interned,
 * so a pointer seen before has the same meaning. Direct-mapped.
 */
#define CACHE_SIZE	64

struct cache {
	const void	*key;
	int		 val;
};

struct fx {
	xmlParserCtxtPtr	 ctxt;
	struct cache		 tokc[CACHE_SIZE];
	struct cache		 nsc[CACHE_SIZE];
	struct feed_build	*fb;
	struct feed		*f;
	const char		*url;
	enum kind		 kind;
	char			*root;		/* root element name */
	int			 html;		/* an HTML page */
	int			 stopped;
	struct el		*stack;
	size_t			 n, cap;
	long			 chan;		/* depth of channel/feed, -1 */
	long			 item;		/* depth of the item, -1 */
	struct cur		 cur;
	/* Capture of one element's content. */
	long			 cdepth;	/* -1: not capturing */
	enum field		 cfield;
	unsigned char		 crank;
	enum feed_texttype	 ctype;
	struct buf		 cbuf;
	/* Feed-level pieces. */
	unsigned char		 rftitle, rflink;
	char			*faname, *faemail;
	char			*syperiod;
	long			 syfreq;
	char			*endname;	/* end tag name of a mismatch */
	/* First parser error, for the message when nothing was read. */
	char			*err;
	unsigned		 nerr;
};

/*
 * Once a document is known to be malformed, libxml2 drops every entity
 * reference that follows, even &lt; and &amp;. Errors are counted in
 * sax_error instead, so the flag is set back at each event.
 */
#define WELLFORMED(fx)	do {				\
	if ((fx)->nerr > 0)				\
		(fx)->ctxt->wellFormed = 1;		\
} while (0)

/* Raw bytes kept per captured field (the text is cut again later). */
static size_t
raw_max(enum field f)
{
	switch (f) {
	case F_CONTENT:
		return 4 * FEED_MAX_CONTENT;
	case F_SUMMARY:
		return 4 * FEED_MAX_SUMMARY;
	case F_TITLE:
	case F_FTITLE:
		return 16 * FEED_MAX_TITLE;
	default:
		return 2 * FEED_MAX_URL;
	}
}

static int
tok_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct tokname *)e)->name);
}

static enum tok
tok_find(const char *name)
{
	const struct tokname	*t;

	size_t			 i;

	t = bsearch(name, toknames, nitems(toknames), sizeof toknames[0], tok_cmp);
	if (t != NULL)
		return t->tok;
	/* "pubdate", "Description": feeds written by hand. */
	for (i = 0; i < nitems(toknames); i++)
		if (strcasecmp(name, toknames[i].name) == 0)
			return toknames[i].tok;
	return T_OTHER;
}

static enum ns
ns_find(const char *uri, const char *prefix)
{
	size_t	i;

	if (uri == NULL || *uri == '\0') {
		if (prefix == NULL)
			return NS_NONE;
		for (i = 0; i < nitems(ns_prefixes); i++)
			if (strcmp(prefix, ns_prefixes[i].prefix) == 0)
				return ns_prefixes[i].ns;
		return NS_OTHER;
	}
	if (strncasecmp(uri, "http:", 5) == 0)
		uri += 5;
	else if (strncasecmp(uri, "https:", 6) == 0)
		uri += 6;
	for (i = 0; i < nitems(ns_uris); i++)
		if (strcasecmp(uri, ns_uris[i].uri) == 0)
			return ns_uris[i].ns;
	return NS_OTHER;
}

static size_t
cache_slot(const void *p)
{
	uintptr_t	v = (uintptr_t)p;

	return (size_t)((v >> 3) ^ (v >> 11)) & (CACHE_SIZE - 1);
}

static enum tok
tok_cached(struct fx *fx, const char *name)
{
	struct cache	*c = &fx->tokc[cache_slot(name)];

	if (c->key != name) {
		c->key = name;
		c->val = (int)tok_find(name);
	}
	return (enum tok)c->val;
}

/* URIs are interned; an undeclared prefix is looked up each time. */
static enum ns
ns_cached(struct fx *fx, const char *uri, const char *prefix)
{
	struct cache	*c;

	if (uri == NULL)
		return ns_find(uri, prefix);
	c = &fx->nsc[cache_slot(uri)];
	if (c->key != uri) {
		c->key = uri;
		c->val = (int)ns_find(uri, prefix);
	}
	return (enum ns)c->val;
}

/* The namespace the document's own elements live in. */
static int
ns_main(const struct fx *fx, enum ns ns)
{
	if (ns == NS_NONE)
		return 1;
	if (fx->kind == K_RSS)
		return ns == NS_RSS || ns == NS_RSS090;
	if (fx->kind == K_ATOM)
		return ns == NS_ATOM || ns == NS_ATOM03;
	return 0;
}

/* A copy of attribute name (any namespace, or ns when not NS_NONE). */
static char *
attr_get(const xmlChar **a, int n, const char *name, enum ns ns)
{
	int	i;

	for (i = 0; i < n; i++, a += 5) {
		if (strcmp((const char *)a[0], name) != 0)
			continue;
		if (ns != NS_NONE && ns_find((const char *)a[2],
		    (const char *)a[1]) != ns)
			continue;
		return xstrndup((const char *)a[3], (size_t)(a[4] - a[3]));
	}
	return NULL;
}

/* Atom (and Atom 0.3) text construct type from type= and mode=. */
static enum feed_texttype
atom_type(const xmlChar **a, int n)
{
	enum feed_texttype	 t = FT_TEXT;
	char			*type, *mode;

	type = attr_get(a, n, "type", NS_NONE);
	mode = attr_get(a, n, "mode", NS_NONE);
	if (type != NULL) {
		if (strcasestr(type, "xhtml") != NULL)
			t = FT_XHTML;
		else if (strcasestr(type, "html") != NULL)
			t = FT_HTML;
	}
	if (mode != NULL && strcasecmp(mode, "xml") == 0 && t == FT_HTML)
		t = FT_XHTML;
	free(type);
	free(mode);
	return t;
}

/* The base URI for links read here: xml:base, the document, the channel. */
static const char *
fx_base(const struct fx *fx)
{
	if (fx->n > 0 && fx->stack[fx->n - 1].base != NULL)
		return fx->stack[fx->n - 1].base;
	return fx->f->link;
}

static void
fx_stop(struct fx *fx)
{
	fx->stopped = 1;
	xmlStopParser(fx->ctxt);
}

static void
capture(struct fx *fx, enum field f, unsigned char rank, enum feed_texttype t)
{
	fx->cdepth = (long)fx->n - 1;
	fx->cfield = f;
	fx->crank = rank;
	fx->ctype = t;
	buf_reset(&fx->cbuf);
	fx->cbuf.max = raw_max(f);
}

/* Append to the capture up to its cap, cut on a character boundary. */
static void
cap_add(struct fx *fx, const char *s, size_t len)
{
	struct buf	*b = &fx->cbuf;
	size_t		 room = b->max - b->len;

	if (len > room) {
		len = room;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	if (len > 0)
		buf_add(b, s, len);
}

static void
set_str(char **slot, unsigned char *rank, char *v, unsigned char r)
{
	if (v == NULL)
		return;
	if (r <= *rank) {
		free(v);
		return;
	}
	free(*slot);
	*slot = v;
	*rank = r;
}

static void
set_date(int64_t *slot, unsigned char *rank, const char *s, unsigned char r)
{
	int64_t	t;

	if (r <= *rank || (t = date_parse(s)) == DATE_NONE)
		return;
	*slot = t;
	*rank = r;
}

/* "jane@example.com (Jane Doe)" reads "Jane Doe". */
static void
add_rss_author(struct item *it, char *s)
{
	char	*l, *r;

	if ((l = strchr(s, '(')) != NULL && (r = strrchr(s, ')')) != NULL &&
	    r > l + 1 && memchr(s, '@', (size_t)(l - s)) != NULL) {
		*r = '\0';
		item_add_author(it, l + 1);
	} else
		item_add_author(it, s);
}

static int
skip_hour(const char *s)
{
	char	*end;
	long	 h = strtol(s, &end, 10);

	if (end == s || h < 0 || h > 24)
		return -1;
	return (int)(h % 24);
}

static int
skip_day(const char *s)
{
	static const char *const days[] = { "sunday", "monday", "tuesday",
	    "wednesday", "thursday", "friday", "saturday" };
	size_t	i;

	for (i = 0; i < nitems(days); i++)
		if (strcasecmp(s, days[i]) == 0)
			return (int)i;
	return -1;
}

/* A captured field is complete: convert and store it. */
static void
field_end(struct fx *fx)
{
	struct cur	*c = &fx->cur;
	struct item	*it = &c->it;
	struct feed	*f = fx->f;
	const char	*raw = fx->cbuf.data != NULL ? fx->cbuf.data : "";
	size_t		 len = fx->cbuf.len;
	char		*t = NULL;
	int		 v;

	fx->cdepth = -1;
	switch (fx->cfield) {
	case F_TITLE:
		set_str(&it->title, &c->rtitle,
		    feed_text_title(raw, len, fx->ctype), fx->crank);
		break;
	case F_FTITLE:
		set_str(&f->title, &fx->rftitle,
		    feed_text_title(raw, len, fx->ctype), fx->crank);
		break;
	case F_SUMMARY:
		set_str(&it->summary, &c->rsummary,
		    feed_text_body(raw, len, fx->ctype, FEED_MAX_SUMMARY), fx->crank);
		break;
	case F_CONTENT:
		set_str(&it->content, &c->rcontent,
		    feed_text_body(raw, len, fx->ctype, FEED_MAX_CONTENT), fx->crank);
		break;
	case F_LINK:
		if ((t = feed_text_trim(raw, len)) != NULL)
			set_str(&it->link, &c->rlink, feed_resolve(fx_base(fx), t),
			    fx->crank);
		break;
	case F_FLINK:
		if ((t = feed_text_trim(raw, len)) != NULL)
			set_str(&f->link, &fx->rflink, feed_resolve(fx_base(fx), t),
			    fx->crank);
		break;
	case F_GUID:
		if ((t = feed_text_trim(raw, len)) == NULL)
			break;
		if (c->guid_permalink && c->guid_link == NULL &&
		    strncasecmp(t, "http", 4) == 0)
			c->guid_link = feed_resolve(NULL, t);
		set_str(&it->id, &c->rid, t, fx->crank);
		t = NULL;
		break;
	case F_ID:
		set_str(&it->id, &c->rid, feed_text_trim(raw, len), fx->crank);
		break;
	case F_PUBLISHED:
		if ((t = feed_text_trim(raw, len)) != NULL)
			set_date(&it->published, &c->rpub, t, fx->crank);
		break;
	case F_UPDATED:
		if ((t = feed_text_trim(raw, len)) != NULL)
			set_date(&it->updated, &c->rupd, t, fx->crank);
		break;
	case F_AUTHOR:
		if ((t = feed_text_title(raw, len, FT_HTML)) != NULL)
			add_rss_author(it, t);
		break;
	case F_CATEGORY:
		if ((t = feed_text_title(raw, len, FT_HTML)) != NULL)
			item_add_category(it, t);
		break;
	case F_AUTHOR_NAME:
		free(c->aname);
		c->aname = feed_text_title(raw, len, FT_TEXT);
		break;
	case F_FAUTHOR_NAME:
		t = feed_text_title(raw, len, FT_TEXT);
		if (fx->stack[fx->n - 1].tok == T_CREATOR)
			feed_build_author(fx->fb, t);
		else {
			free(fx->faname);
			fx->faname = t;
			t = NULL;
		}
		break;
	case F_AUTHOR_EMAIL:
		free(c->aemail);
		c->aemail = feed_text_trim(raw, len);
		break;
	case F_TTL:
		if ((t = feed_text_trim(raw, len)) != NULL) {
			v = atoi(t);
			f->ttl = v < 0 ? 0 : v > 43200 ? 43200 : v;
		}
		break;
	case F_HOUR:
		if ((t = feed_text_trim(raw, len)) != NULL &&
		    (v = skip_hour(t)) != -1)
			f->skiphours |= 1u << v;
		break;
	case F_DAY:
		if ((t = feed_text_trim(raw, len)) != NULL &&
		    (v = skip_day(t)) != -1)
			f->skipdays |= (uint8_t)(1u << v);
		break;
	case F_SYPERIOD:
		free(fx->syperiod);
		fx->syperiod = feed_text_trim(raw, len);
		break;
	case F_SYFREQ:
		if ((t = feed_text_trim(raw, len)) != NULL)
			fx->syfreq = atol(t);
		break;
	case F_NONE:
		break;
	}
	free(t);
	buf_reset(&fx->cbuf);
}

static void
item_begin(struct fx *fx, const xmlChar **a, int na)
{
	char	*about;

	item_init(&fx->cur.it);
	fx->item = (long)fx->n - 1;
	/* RSS 1.0: the item's URI is its identity. */
	if ((about = attr_get(a, na, "about", NS_RDF)) != NULL) {
		set_str(&fx->cur.it.id, &fx->cur.rid,
		    feed_text_trim(about, strlen(about)), 1);
		free(about);
	}
}

static void
item_end(struct fx *fx)
{
	struct cur	*c = &fx->cur;

	if (c->it.link == NULL && c->guid_link != NULL) {
		c->it.link = c->guid_link;
		c->guid_link = NULL;
	}
	free(c->guid_link);
	free(c->aname);
	free(c->aemail);
	feed_build_add(fx->fb, &c->it);
	memset(c, 0, sizeof *c);
	fx->item = -1;
}

/* <link> as Atom writes it (also atom:link in RSS): rel and href. */
static void
atom_link(struct fx *fx, const xmlChar **a, int na, int initem,
    unsigned char rank)
{
	char	*rel, *href, *u;

	rel = attr_get(a, na, "rel", NS_NONE);
	href = attr_get(a, na, "href", NS_NONE);
	if (href != NULL && (rel == NULL || strcasecmp(rel, "alternate") == 0)) {
		u = feed_resolve(fx_base(fx), href);
		if (initem)
			set_str(&fx->cur.it.link, &fx->cur.rlink, u, rank);
		else
			set_str(&fx->f->link, &fx->rflink, u, rank);
	}
	free(rel);
	free(href);
}

/* The root element: which format, or why this is no feed. */
static void
root_begin(struct fx *fx, enum tok t, enum ns ns, const char *name,
    const xmlChar **a, int na)
{
	char	*v;

	fx->root = xstrdup(name);
	v = attr_get(a, na, "version", NS_NONE);
	if (t == T_RSS) {
		fx->kind = K_RSS;
		fx->f->format = v != NULL && strncmp(v, "0.9", 3) == 0 ?
		    "rss0.9x" : "rss2.0";
	} else if (t == T_RDF) {
		fx->kind = K_RSS;
		fx->f->format = "rss1.0";
	} else if (t == T_FEED) {
		fx->kind = K_ATOM;
		fx->f->format = ns == NS_ATOM03 || (v != NULL &&
		    strcmp(v, "0.3") == 0) ? "atom0.3" : "atom1.0";
		fx->chan = 0;
	} else if (t == T_CHANNEL) {
		/* A channel without its <rss>: read it as RSS 2.0. */
		fx->kind = K_RSS;
		fx->f->format = "rss2.0";
		fx->chan = 0;
	} else {
		if (strcasecmp(name, "html") == 0)
			fx->html = 1;
		fx_stop(fx);
	}
	free(v);
}

/* A child of the item being read. */
static void
item_child(struct fx *fx, enum tok t, enum ns ns, const xmlChar **a, int na)
{
	struct el	*parent = &fx->stack[fx->n - 2];
	int		 direct = (long)fx->n - 2 == fx->item;
	int		 main = ns_main(fx, ns);
	char		*v;

	if (ns == NS_MEDIA && (t == T_TITLE || t == T_DESCRIPTION)) {
		/* Media RSS, at any depth (media:group, media:content). */
		v = attr_get(a, na, "type", NS_NONE);
		capture(fx, t == T_TITLE ? F_TITLE : F_SUMMARY, 1,
		    v != NULL && strcasecmp(v, "html") == 0 ? FT_HTML : FT_TEXT);
		free(v);
		return;
	}
	if (!direct) {
		if (parent->tok == T_AUTHOR && ns_main(fx, parent->ns) &&
		    fx->kind == K_ATOM && main) {
			if (t == T_NAME)
				capture(fx, F_AUTHOR_NAME, 1, FT_TEXT);
			else if (t == T_EMAIL)
				capture(fx, F_AUTHOR_EMAIL, 1, FT_TEXT);
		}
		return;
	}
	if (fx->kind == K_ATOM && main) {
		switch (t) {
		case T_TITLE:
			capture(fx, F_TITLE, 3, atom_type(a, na));
			break;
		case T_LINK:
			atom_link(fx, a, na, 1, 3);
			break;
		case T_ID:
			capture(fx, F_ID, 3, FT_TEXT);
			break;
		case T_SUMMARY:
			capture(fx, F_SUMMARY, 3, atom_type(a, na));
			break;
		case T_CONTENT:
			if ((v = attr_get(a, na, "mode", NS_NONE)) != NULL &&
			    strcasecmp(v, "base64") == 0) {
				free(v);
				break;
			}
			free(v);
			capture(fx, F_CONTENT, 3, atom_type(a, na));
			break;
		case T_PUBLISHED:
		case T_ISSUED:
			capture(fx, F_PUBLISHED, 3, FT_TEXT);
			break;
		case T_CREATED:
			capture(fx, F_PUBLISHED, 2, FT_TEXT);
			break;
		case T_UPDATED:
		case T_MODIFIED:
			capture(fx, F_UPDATED, 3, FT_TEXT);
			break;
		case T_CATEGORY:
			if ((v = attr_get(a, na, "label", NS_NONE)) == NULL)
				v = attr_get(a, na, "term", NS_NONE);
			item_add_category(&fx->cur.it, v);
			free(v);
			break;
		default:
			break;
		}
		return;
	}
	if (main) {
		switch (t) {
		case T_TITLE:
			capture(fx, F_TITLE, 3, FT_HTML);
			break;
		case T_LINK:
			capture(fx, F_LINK, 3, FT_TEXT);
			break;
		case T_DESCRIPTION:
			capture(fx, F_SUMMARY, 3, FT_HTML);
			break;
		case T_GUID:
			v = attr_get(a, na, "isPermaLink", NS_NONE);
			fx->cur.guid_permalink = v == NULL || strcasecmp(v, "false") != 0;
			free(v);
			capture(fx, F_GUID, 3, FT_TEXT);
			break;
		case T_PUBDATE:
			capture(fx, F_PUBLISHED, 3, FT_TEXT);
			break;
		case T_AUTHOR:
			capture(fx, F_AUTHOR, 0, FT_TEXT);
			break;
		case T_CATEGORY:
			capture(fx, F_CATEGORY, 0, FT_TEXT);
			break;
		default:
			break;
		}
		return;
	}
	switch (ns) {
	case NS_DC:
		if (t == T_TITLE)
			capture(fx, F_TITLE, 2, FT_HTML);
		else if (t == T_DESCRIPTION)
			capture(fx, F_SUMMARY, 2, FT_HTML);
		else if (t == T_DATE)
			capture(fx, F_PUBLISHED, 2, FT_TEXT);
		else if (t == T_CREATOR)
			capture(fx, F_AUTHOR, 0, FT_TEXT);
		else if (t == T_SUBJECT)
			capture(fx, F_CATEGORY, 0, FT_TEXT);
		else if (t == T_IDENTIFIER)
			capture(fx, F_ID, 2, FT_TEXT);
		break;
	case NS_DCTERMS:
		if (t == T_MODIFIED)
			capture(fx, F_UPDATED, 2, FT_TEXT);
		else if (t == T_ISSUED || t == T_CREATED)
			capture(fx, F_PUBLISHED, 1, FT_TEXT);
		break;
	case NS_CONTENT:
		if (t == T_ENCODED)
			capture(fx, F_CONTENT, 3, FT_HTML);
		break;
	case NS_XHTML:
		if (t == T_BODY)
			capture(fx, F_CONTENT, 2, FT_XHTML);
		break;
	case NS_ITUNES:
		if (t == T_SUMMARY)
			capture(fx, F_SUMMARY, 2, FT_HTML);
		else if (t == T_AUTHOR)
			capture(fx, F_AUTHOR, 0, FT_TEXT);
		break;
	case NS_ATOM:
	case NS_ATOM03:
		if (t == T_LINK)
			atom_link(fx, a, na, 1, 2);
		else if (t == T_UPDATED)
			capture(fx, F_UPDATED, 1, FT_TEXT);
		break;
	default:
		break;
	}
}

/* A child of the channel (RSS) or feed (Atom) element, or deeper. */
static void
feed_child(struct fx *fx, enum tok t, enum ns ns, const xmlChar **a, int na)
{
	struct el	*parent = &fx->stack[fx->n - 2];
	int		 main = ns_main(fx, ns);

	if ((long)fx->n - 2 != fx->chan) {
		if (!main || !ns_main(fx, parent->ns))
			return;
		if (parent->tok == T_SKIPHOURS && t == T_HOUR)
			capture(fx, F_HOUR, 0, FT_TEXT);
		else if (parent->tok == T_SKIPDAYS && t == T_DAY)
			capture(fx, F_DAY, 0, FT_TEXT);
		else if (parent->tok == T_AUTHOR && fx->kind == K_ATOM &&
		    t == T_NAME && (long)fx->n - 3 == fx->chan)
			capture(fx, F_FAUTHOR_NAME, 0, FT_TEXT);
		return;
	}
	if (main && t == T_TITLE)
		capture(fx, F_FTITLE, 3, fx->kind == K_ATOM ? atom_type(a, na) :
		    FT_HTML);
	else if (main && t == T_LINK && fx->kind == K_ATOM)
		atom_link(fx, a, na, 0, 3);
	else if (main && t == T_LINK)
		capture(fx, F_FLINK, 3, FT_TEXT);
	else if (main && t == T_TTL)
		capture(fx, F_TTL, 0, FT_TEXT);
	else if ((ns == NS_ATOM || ns == NS_ATOM03) && t == T_LINK)
		atom_link(fx, a, na, 0, 2);
	else if (ns == NS_DC && t == T_TITLE)
		capture(fx, F_FTITLE, 2, FT_HTML);
	else if (ns == NS_SY && t == T_UPDATEPERIOD)
		capture(fx, F_SYPERIOD, 0, FT_TEXT);
	else if (ns == NS_SY && t == T_UPDATEFREQUENCY)
		capture(fx, F_SYFREQ, 0, FT_TEXT);
	else if (ns == NS_DC && t == T_CREATOR)
		capture(fx, F_FAUTHOR_NAME, 0, FT_TEXT);
}

static int
void_element(const char *name)
{
	static const char *const v[] = { "area", "base", "br", "col", "embed",
	    "hr", "img", "input", "link", "meta", "param", "source", "track",
	    "wbr" };
	size_t	i;

	for (i = 0; i < nitems(v); i++)
		if (strcasecmp(name, v[i]) == 0)
			return 1;
	return 0;
}

static int
html_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s))
			return 0;
	return 1;
}

static void
sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **nss, int na, int ndef,
    const xmlChar **a)
{
	struct fx	*fx = ctx;
	const char	*name = (const char *)localname;
	struct el	*e;
	enum tok	 t;
	enum ns		 ns;
	char		*base;

	if (fx->stopped)
		return;
	WELLFORMED(fx);
	if (fx->n == fx->cap) {
		fx->cap = fx->cap == 0 ? 32 : fx->cap * 2;
		fx->stack = xreallocarray(fx->stack, fx->cap, sizeof *fx->stack);
	}
	e = &fx->stack[fx->n++];
	e->own = NULL;
	e->name = name;
	e->base = fx->n > 1 ? fx->stack[fx->n - 2].base : fx->url;
	if (fx->cdepth >= 0) {
		/* Markup inside a captured field is part of its text. */
		e->tok = T_OTHER;
		e->ns = NS_OTHER;
		if (fx->ctype != FT_TEXT && html_name(name)) {
			cap_add(fx, "<", 1);
			cap_add(fx, name, strlen(name));
			cap_add(fx, ">", 1);
		}
		return;
	}
	e->tok = t = tok_cached(fx, name);
	e->ns = ns = ns_cached(fx, (const char *)uri, (const char *)prefix);
	if ((base = attr_get(a, na, "base", NS_XML)) != NULL) {
		e->own = e->base != NULL ? feed_resolve(e->base, base) :
		    feed_resolve(NULL, base);
		if (e->own != NULL)
			e->base = e->own;
		free(base);
	}
	if (fx->n == 1 && fx->root == NULL) {
		root_begin(fx, t, ns, name, a, na);
		return;
	}
	if (fx->item >= 0) {
		item_child(fx, t, ns, a, na);
		return;
	}
	if ((fx->kind == K_RSS && t == T_ITEM && (ns_main(fx, ns))) ||
	    (fx->kind == K_ATOM && t == T_ENTRY && ns_main(fx, ns))) {
		if (feed_build_full(fx->fb)) {
			fx_stop(fx);
			return;
		}
		if (ns == NS_RSS090)
			fx->f->format = "rss0.9x";
		item_begin(fx, a, na);
		return;
	}
	if (fx->kind == K_RSS && t == T_CHANNEL && fx->chan < 0 && ns_main(fx, ns)) {
		fx->chan = (long)fx->n - 1;
		if (ns == NS_RSS090)
			fx->f->format = "rss0.9x";
		return;
	}
	if (fx->chan >= 0 && (long)fx->n - 1 > fx->chan)
		feed_child(fx, t, ns, a, na);
}

/* The innermost open element ends. */
static void
el_end(struct fx *fx)
{
	struct el	*e;
	long		 depth;

	depth = (long)fx->n - 1;
	e = &fx->stack[depth];
	if (fx->cdepth >= 0 && depth > fx->cdepth) {
		if (fx->ctype != FT_TEXT && html_name(e->name) &&
		    !void_element(e->name)) {
			cap_add(fx, "</", 2);
			cap_add(fx, e->name, strlen(e->name));
			cap_add(fx, ">", 1);
		}
	} else if (depth == fx->cdepth)
		field_end(fx);
	else if (depth == fx->item)
		item_end(fx);
	else if (fx->item >= 0 && e->tok == T_AUTHOR && fx->kind == K_ATOM &&
	    depth == fx->item + 1) {
		struct cur *c = &fx->cur;

		item_add_author(&c->it, c->aname != NULL ? c->aname : c->aemail);
		free(c->aname);
		free(c->aemail);
		c->aname = c->aemail = NULL;
	} else if (fx->item < 0 && depth == fx->chan + 1 && e->tok == T_AUTHOR &&
	    fx->kind == K_ATOM) {
		feed_build_author(fx->fb, fx->faname);
		free(fx->faname);
		fx->faname = NULL;
	} else if (depth == fx->chan && fx->kind == K_RSS)
		fx->chan = -1;
	free(e->own);
	fx->n--;
}

/*
 * An end tag. The element it closes is found by the name written in the
 * document, not by libxml2's stack: after a mismatched end tag libxml2
 * pops whatever is innermost, which would shift every later element by
 * one. Here "</description>" closes the open description and whatever was
 * left open inside it, and a stray end tag closes nothing.
 */
static void
sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct fx	*fx = ctx;
	const char	*name;
	size_t		 i;

	WELLFORMED(fx);
	name = fx->endname != NULL ? fx->endname : (const char *)localname;
	if (!fx->stopped) {
		for (i = fx->n; i > 0; i--)
			if (strcmp(fx->stack[i - 1].name, name) == 0)
				break;
		if (i == 0)
			for (i = fx->n; i > 0; i--)
				if (strcasecmp(fx->stack[i - 1].name, name) == 0)
					break;
		while (i > 0 && fx->n >= i)
			el_end(fx);
	}
	free(fx->endname);
	fx->endname = NULL;
}

static void
sax_text(void *ctx, const xmlChar *ch, int len)
{
	struct fx	*fx = ctx;
	const char	*s = (const char *)ch, *p, *end = s + len;

	WELLFORMED(fx);
	if (fx->cdepth < 0 || fx->stopped)
		return;
	if (fx->ctype != FT_XHTML) {
		cap_add(fx, s, (size_t)len);
		return;
	}
	/* XHTML: text is characters, markup must stay markup. */
	for (p = s; p < end; p++) {
		if (*p != '<' && *p != '&' && *p != '>')
			continue;
		cap_add(fx, s, (size_t)(p - s));
		cap_add(fx, *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : "&amp;",
		    *p == '&' ? 5 : 4);
		s = p + 1;
	}
	cap_add(fx, s, (size_t)(end - s));
}

static void
sax_error(void *ctx, xmlErrorPtr e)
{
	struct fx	*fx = ctx;
	size_t		 n;

	if (e == NULL || e->level == XML_ERR_WARNING)
		return;
	if (e->code == XML_ERR_TAG_NAME_MISMATCH) {
		free(fx->endname);
		fx->endname = xstrdup(e->str2 != NULL ? e->str2 : "");
	}
	fx->nerr++;
	if (fx->err == NULL && e->message != NULL) {
		/* One line: some messages go on with a quote of the input. */
		n = strcspn(e->message, "\r\n");
		fx->err = xasprintf("line %d: %.*s", e->line, (int)(n < 200 ? n : 200),
		    e->message);
		n = strlen(fx->err);
		while (n > 0 && fx->err[n - 1] == ' ')
			fx->err[--n] = '\0';
	}
}

/*
 * The lexical pass described at the top. Regions copied untouched:
 * comments, CDATA sections, processing instructions.
 */
struct prep {
	const char	*s, *end;
	struct buf	 out;
	char		**names;	/* entities the DOCTYPE declared */
	size_t		 nnames;
	int		 html;		/* <!DOCTYPE html> */
};

static void
prep_copy_until(struct prep *pp, const char **p, const char *term)
{
	const char	*e;
	size_t		 tl = strlen(term);

	e = memmem(*p, (size_t)(pp->end - *p), term, tl);
	e = e != NULL ? e + tl : pp->end;
	buf_add(&pp->out, *p, (size_t)(e - *p));
	*p = e;
}

/* Skip a DOCTYPE, noting the entities it declares. */
static void
prep_doctype(struct prep *pp, const char **pp_p)
{
	const char	*p = *pp_p + 9, *n;
	int		 depth = 0;
	char		 q = 0;

	while (p < pp->end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (pp->end - p >= 4 && strncasecmp(p, "html", 4) == 0 &&
	    (pp->end - p == 4 || !isalnum((unsigned char)p[4])))
		pp->html = 1;
	for (; p < pp->end; p++) {
		if (q != 0) {
			if (*p == q)
				q = 0;
			continue;
		}
		if (*p == '"' || *p == '\'')
			q = *p;
		else if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		else if (*p == '>' && depth <= 0) {
			p++;
			break;
		} else if (*p == '<' && pp->end - p > 9 &&
		    strncmp(p, "<!ENTITY", 8) == 0 && pp->nnames < 1024) {
			for (n = p + 8; n < pp->end && (*n == ' ' || *n == '\t' ||
			    *n == '\r' || *n == '\n'); n++)
				;
			if (n < pp->end && *n != '%') {
				p = n;
				while (n < pp->end && !isspace((unsigned char)*n) &&
				    *n != '"' && *n != '\'' && *n != '>')
					n++;
				pp->names = xreallocarray(pp->names, pp->nnames + 1,
				    sizeof *pp->names);
				pp->names[pp->nnames++] = xstrndup(p, (size_t)(n - p));
				p = n - 1;
			}
		}
	}
	*pp_p = p;
}

static void
prep_utf8(struct buf *b, unsigned cp)
{
	unsigned char	u[4];

	buf_add(b, u, utf8_encode(cp, u));
}

/* An '&' at *pp_p: copy it fixed. */
static void
prep_amp(struct prep *pp, const char **pp_p)
{
	static const unsigned short cp1252[32] = {
		0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
		0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
		0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
		0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178
	};
	const htmlEntityDesc	*he;
	const char		*p = *pp_p + 1, *q;
	char			 name[40];
	unsigned long		 v = 0;
	size_t			 i, n;
	int			 digits = 0, hex;

	if (p < pp->end && *p == '#') {
		hex = p + 1 < pp->end && (p[1] == 'x' || p[1] == 'X');
		for (q = p + 1 + hex; q < pp->end && digits < 9; q++, digits++) {
			if (isdigit((unsigned char)*q))
				v = v * (hex ? 16 : 10) + (unsigned long)(*q - '0');
			else if (hex && isxdigit((unsigned char)*q))
				v = v * 16 + (unsigned long)(tolower((unsigned char)*q) - 'a' + 10);
			else
				break;
		}
		if (digits == 0 || q >= pp->end || *q != ';')
			goto bare;
		*pp_p = q + 1;
		if (v >= 0x80 && v <= 0x9f)
			prep_utf8(&pp->out, cp1252[v - 0x80]);
		else if (v == 9 || v == 10 || v == 13 || (v >= 0x20 && v < 0xd800) ||
		    (v >= 0xe000 && v <= 0xfffd) || (v >= 0x10000 && v <= 0x10ffff))
			buf_add(&pp->out, p - 1, (size_t)(q + 1 - (p - 1)));
		else if (v < 0x20)
			buf_addc(&pp->out, ' ');
		else
			prep_utf8(&pp->out, 0xfffd);
		return;
	}
	for (q = p, n = 0; q < pp->end && n < sizeof name - 1 &&
	    (isalnum((unsigned char)*q) || *q == '_' || *q == '-' || *q == '.' ||
	    *q == ':'); q++)
		name[n++] = *q;
	name[n] = '\0';
	if (n == 0 || q >= pp->end || *q != ';' || !isalpha((unsigned char)name[0]))
		goto bare;
	*pp_p = q + 1;
	if (strcmp(name, "amp") == 0 || strcmp(name, "lt") == 0 ||
	    strcmp(name, "gt") == 0 || strcmp(name, "quot") == 0 ||
	    strcmp(name, "apos") == 0) {
		buf_add(&pp->out, p - 1, n + 2);
		return;
	}
	if ((he = htmlEntityLookup((const xmlChar *)name)) != NULL) {
		prep_utf8(&pp->out, he->value);
		return;
	}
	for (i = 0; i < pp->nnames; i++)
		if (strcmp(pp->names[i], name) == 0)
			return;		/* declared by the dropped DOCTYPE */
	/* Unknown: keep it as the text it is ("R&D;"). */
	buf_adds(&pp->out, "&amp;");
	buf_add(&pp->out, p, n + 1);
	return;
bare:
	buf_adds(&pp->out, "&amp;");
	*pp_p = p;
}

static char *
xml_prepare(const char *s, size_t len, size_t *outlen, int *html)
{
	struct prep	 pp;
	const char	*p = s, *run;
	size_t		 i;

	memset(&pp, 0, sizeof pp);
	pp.s = s;
	pp.end = s + len;
	buf_init(&pp.out, 0);
	buf_add(&pp.out, "", 0);
	pp.out.data = xreallocarray(pp.out.data, len + len / 16 + 64, 1);
	pp.out.cap = len + len / 16 + 64;
	/* The declaration: the encoding is UTF-8 whatever it says. */
	if (len > 5 && strncmp(s, "<?xml", 5) == 0 && isspace((unsigned char)s[5])) {
		const char *e = memmem(s, len, "?>", 2);

		p = e != NULL ? e + 2 : pp.end;
	}
	while (p < pp.end) {
		for (run = p; p < pp.end && *p != '&' && *p != '<'; p++)
			;
		buf_add(&pp.out, run, (size_t)(p - run));
		if (p == pp.end)
			break;
		if (*p == '&') {
			prep_amp(&pp, &p);
			continue;
		}
		if (pp.end - p >= 4 && strncmp(p, "<!--", 4) == 0)
			prep_copy_until(&pp, &p, "-->");
		else if (pp.end - p >= 9 && strncmp(p, "<![CDATA[", 9) == 0)
			prep_copy_until(&pp, &p, "]]>");
		else if (pp.end - p >= 2 && p[1] == '?')
			prep_copy_until(&pp, &p, "?>");
		else if (pp.end - p >= 9 && strncasecmp(p, "<!DOCTYPE", 9) == 0)
			prep_doctype(&pp, &p);
		else if (pp.end - p < 2 || !(isalpha((unsigned char)p[1]) ||
		    p[1] == '_' || p[1] == ':' || p[1] == '/' || p[1] == '!' ||
		    (unsigned char)p[1] >= 0x80)) {
			/* "a < b": a '<' that starts no markup is text. */
			buf_adds(&pp.out, "&lt;");
			p++;
		} else {
			buf_addc(&pp.out, '<');
			p++;
		}
	}
	for (i = 0; i < pp.nnames; i++)
		free(pp.names[i]);
	free(pp.names);
	*html = pp.html;
	*outlen = pp.out.len;
	return buf_steal(&pp.out);
}

struct feed *
feed_parse_xml(const char *utf8, size_t len, const char *url, char **cause)
{
	xmlSAXHandler	 sax;
	struct fx	 fx;
	struct feed	*f = NULL;
	char		*doc;
	size_t		 doclen, i;
	int		 html;
	long		 per;

	doc = xml_prepare(utf8, len, &doclen, &html);
	memset(&fx, 0, sizeof fx);
	fx.chan = fx.item = fx.cdepth = -1;
	fx.url = url;
	fx.fb = feed_build_new("rss2.0");
	fx.f = feed_build_feed(fx.fb);
	buf_init(&fx.cbuf, 1);
	if (doclen > INT_MAX) {
		*cause = xstrdup("document too large");
		goto out;
	}
	xmlInitParser();
	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = sax_start;
	sax.endElementNs = sax_end;
	sax.characters = sax_text;
	sax.cdataBlock = sax_text;
	sax.serror = sax_error;
	if ((fx.ctxt = xmlCreateMemoryParserCtxt(doc, (int)doclen)) == NULL) {
		*cause = xstrdup("cannot create an XML parser");
		goto out;
	}
	memcpy(fx.ctxt->sax, &sax, sizeof sax);
	fx.ctxt->userData = &fx;
	xmlCtxtUseOptions(fx.ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
	    XML_PARSE_IGNORE_ENC);
	xmlParseDocument(fx.ctxt);
	/* A truncated document: keep what was read of the last item. */
	if (fx.kind != K_NONE) {
		if (fx.cdepth >= 0)
			field_end(&fx);
		if (fx.item >= 0)
			item_end(&fx);
	}
	if (fx.kind == K_NONE) {
		if (html || fx.html)
			*cause = xstrdup("an HTML page, not a feed");
		else if (fx.root != NULL)
			*cause = xasprintf("not a feed: root element <%s>", fx.root);
		else
			*cause = xasprintf("not a feed: %s", fx.err != NULL ?
			    fx.err : "no XML element");
		goto out;
	}
	if (fx.syperiod != NULL || fx.syfreq > 0) {
		static const struct { const char *n; long s; } periods[] = {
			{ "hourly", 3600 }, { "daily", 86400 }, { "weekly", 604800 },
			{ "monthly", 2592000 }, { "yearly", 31536000 } };

		per = 86400;
		for (i = 0; fx.syperiod != NULL && i < nitems(periods); i++)
			if (strcasecmp(fx.syperiod, periods[i].n) == 0)
				per = periods[i].s;
		fx.f->update_period = per / (fx.syfreq >= 1 ? fx.syfreq : 1);
	}
	if (fx.nerr > 0) {
		fx.f->recovered = 1;
		log_info("feed: recovered from malformed XML (%s)", fx.err);
	}
	f = feed_build_finish(fx.fb);
	fx.fb = NULL;
out:
	if (fx.ctxt != NULL)
		xmlFreeParserCtxt(fx.ctxt);
	while (fx.n > 0)
		free(fx.stack[--fx.n].own);
	free(fx.stack);
	item_release(&fx.cur.it);
	free(fx.cur.guid_link);
	free(fx.cur.aname);
	free(fx.cur.aemail);
	free(fx.faname);
	free(fx.faemail);
	free(fx.syperiod);
	free(fx.root);
	free(fx.err);
	free(fx.endname);
	buf_release(&fx.cbuf);
	feed_build_free(fx.fb);
	free(doc);
	return f;
}
