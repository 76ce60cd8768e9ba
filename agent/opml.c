/*
 * OPML import and export. Reading walks the outline tree with libxml2
 * (no network, no DTD, no entity expansion; a DOCTYPE is refused);
 * writing builds the XML by hand with every value escaped. No file or
 * network I/O: bytes in, records or a buffer out.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "buf.h"
#include "date.h"
#include "opml.h"
#include "util.h"

#define TEXT_MAX	1024	/* bytes kept of a title or category */

/* White space folded, control characters dropped, capped; NULL if empty. */
static char *
fold(const char *s)
{
	struct buf	b;
	int		space = 0;

	if (s == NULL)
		return NULL;
	buf_init(&b, 0);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = b.len > 0;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			continue;
		if (b.len >= TEXT_MAX && (c & 0xc0) != 0x80)
			break;
		if (space)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, c);
	}
	if (b.len == 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* An attribute by name, ASCII case ignored; folded copy or NULL. */
static char *
attr(xmlNode *n, const char *name)
{
	xmlAttr	*a;
	xmlChar	*v;
	char	*s;

	for (a = n->properties; a != NULL; a = a->next) {
		if (a->ns != NULL || strcasecmp((const char *)a->name, name) != 0)
			continue;
		if ((v = xmlNodeListGetString(n->doc, a->children, 1)) == NULL)
			return NULL;
		s = fold((const char *)v);
		xmlFree(v);
		return s;
	}
	return NULL;
}

static void
feed_add_category(struct opml_feed *f, const char *raw)
{
	char	*c, *p, *s;
	size_t	 i, n;

	c = xstrdup(raw);
	for (p = c; *p != '\0'; p++)
		if (*p == ',')
			*p = ' ';
	for (s = c; *s == '/' || *s == ' '; s++)
		;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '/' || s[n - 1] == ' '))
		s[--n] = '\0';
	if (n == 0)
		goto out;
	for (i = 0; i < f->ncategories; i++)
		if (strcmp(f->categories[i], s) == 0)
			goto out;
	f->categories = xreallocarray(f->categories, f->ncategories + 1,
	    sizeof *f->categories);
	f->categories[f->ncategories++] = xstrdup(s);
out:
	free(c);
}

struct walk {
	struct opml	*o;
	const char	*folders[OPML_MAX_DEPTH];
	size_t		 nfolders;
};

static void
walk(struct walk *w, xmlNode *parent, int depth)
{
	struct opml_feed	*f;
	xmlNode			*n;
	char			*url, *name, *cat, *p, *q;
	size_t			 i;

	for (n = parent->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE ||
		    strcasecmp((const char *)n->name, "outline") != 0)
			continue;
		if ((name = attr(n, "title")) == NULL)
			name = attr(n, "text");
		if ((url = attr(n, "xmlUrl")) == NULL) {
			/* A folder. */
			if (depth + 1 >= OPML_MAX_DEPTH) {
				free(name);
				continue;
			}
			if (name != NULL)
				w->folders[w->nfolders++] = name;
			walk(w, n, depth + 1);
			if (name != NULL)
				w->nfolders--;
			free(name);
			continue;
		}
		w->o->feeds = xreallocarray(w->o->feeds, w->o->nfeeds + 1,
		    sizeof *w->o->feeds);
		f = &w->o->feeds[w->o->nfeeds++];
		memset(f, 0, sizeof *f);
		f->xml_url = url;
		f->html_url = attr(n, "htmlUrl");
		f->title = name;
		f->type = attr(n, "type");
		for (i = 0; i < w->nfolders; i++)
			feed_add_category(f, w->folders[i]);
		if ((cat = attr(n, "category")) != NULL) {
			for (p = cat; p != NULL; p = q) {
				if ((q = strchr(p, ',')) != NULL)
					*q++ = '\0';
				feed_add_category(f, p);
			}
			free(cat);
		}
	}
}

static xmlNode *
child(xmlNode *parent, const char *name)
{
	xmlNode	*n;

	for (n = parent->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcasecmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

struct opml *
opml_parse(const char *data, size_t len, char **cause)
{
	struct opml	*o = NULL;
	struct walk	 w;
	const xmlError	*err;
	xmlDoc		*doc;
	xmlNode		*root, *head, *body, *t;
	xmlChar		*v;

	if (len > OPML_MAX_BYTES || len > INT_MAX) {
		*cause = xasprintf("larger than %u bytes", OPML_MAX_BYTES);
		return NULL;
	}
	/* Entities and DTDs have no place in a subscription list. */
	if (memmem(data, len, "<!DOCTYPE", 9) != NULL ||
	    memmem(data, len, "<!doctype", 9) != NULL) {
		*cause = xstrdup("has a DOCTYPE, which OPML does not use; refused");
		return NULL;
	}
	xmlResetLastError();
	doc = xmlReadMemory(data, (int)len, NULL, NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (doc == NULL) {
		err = xmlGetLastError();
		if (err != NULL && err->message != NULL)
			*cause = xasprintf("not well-formed XML (line %d: %.*s)",
			    err->line, (int)strcspn(err->message, "\n"),
			    err->message);
		else
			*cause = xstrdup("not well-formed XML");
		return NULL;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		*cause = xstrdup("has a DOCTYPE, which OPML does not use; refused");
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || strcasecmp((const char *)root->name, "opml") != 0) {
		*cause = xasprintf("not OPML (root element <%s>)", root != NULL ?
		    (const char *)root->name : "none");
		goto out;
	}
	if ((body = child(root, "body")) == NULL) {
		*cause = xstrdup("OPML without a <body>");
		goto out;
	}
	o = xcalloc(1, sizeof *o);
	if ((head = child(root, "head")) != NULL &&
	    (t = child(head, "title")) != NULL &&
	    (v = xmlNodeGetContent(t)) != NULL) {
		o->title = fold((const char *)v);
		xmlFree(v);
	}
	memset(&w, 0, sizeof w);
	w.o = o;
	walk(&w, body, 0);
out:
	xmlFreeDoc(doc);
	return o;
}

void
opml_free(struct opml *o)
{
	size_t	i, j;

	if (o == NULL)
		return;
	for (i = 0; i < o->nfeeds; i++) {
		free(o->feeds[i].xml_url);
		free(o->feeds[i].html_url);
		free(o->feeds[i].title);
		free(o->feeds[i].type);
		for (j = 0; j < o->feeds[i].ncategories; j++)
			free(o->feeds[i].categories[j]);
		free(o->feeds[i].categories);
	}
	free(o->feeds);
	free(o->title);
	free(o);
}

/* Length of the valid UTF-8 XML character at s, or 0 when invalid. */
static size_t
utf8_char(const unsigned char *s)
{
	uint32_t	cp;
	size_t		n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

/* s escaped for an XML attribute value or text. */
static void
xml_escape(struct buf *b, const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 n;

	while (*s != '\0') {
		switch (*s) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\t':
		case '\n':
		case '\r':
			buf_addf(b, "&#%d;", *s);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f)
				break;		/* not allowed in XML 1.0 */
			if ((n = utf8_char(s)) == 0) {
				buf_adds(b, "\xef\xbf\xbd");
				break;
			}
			buf_add(b, s, n);
			s += n;
			continue;
		}
		s++;
	}
}

static void
write_feed(struct buf *b, const struct opml_feed *f, const char *indent)
{
	size_t	i;

	buf_addf(b, "%s<outline type=\"rss\"", indent);
	if (f->title != NULL) {
		buf_adds(b, " text=\"");
		xml_escape(b, f->title);
		buf_adds(b, "\" title=\"");
		xml_escape(b, f->title);
		buf_addc(b, '"');
	} else {
		buf_adds(b, " text=\"");
		xml_escape(b, f->xml_url);
		buf_addc(b, '"');
	}
	buf_adds(b, " xmlUrl=\"");
	xml_escape(b, f->xml_url);
	buf_addc(b, '"');
	if (f->html_url != NULL) {
		buf_adds(b, " htmlUrl=\"");
		xml_escape(b, f->html_url);
		buf_addc(b, '"');
	}
	if (f->ncategories > 0) {
		buf_adds(b, " category=\"");
		for (i = 0; i < f->ncategories; i++) {
			buf_adds(b, i > 0 ? ",/" : "/");
			xml_escape(b, f->categories[i]);
		}
		buf_addc(b, '"');
	}
	buf_adds(b, "/>\n");
}

void
opml_write(struct buf *b, const char *title, const struct opml_feed *feeds,
    size_t n, int64_t created)
{
	char	date[32];
	size_t	i, j;

	date_format_http(created, date);
	buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<opml version=\"2.0\">\n  <head>\n    <title>");
	xml_escape(b, title != NULL ? title : "");
	buf_addf(b, "</title>\n    <dateCreated>%s</dateCreated>\n  </head>\n"
	    "  <body>\n", date);
	for (i = 0; i < n; i++)
		if (feeds[i].ncategories == 0)
			write_feed(b, &feeds[i], "    ");
	/* One folder per first category, in order of first appearance. */
	for (i = 0; i < n; i++) {
		if (feeds[i].ncategories == 0)
			continue;
		for (j = 0; j < i; j++)
			if (feeds[j].ncategories > 0 && strcmp(feeds[j].categories[0],
			    feeds[i].categories[0]) == 0)
				break;
		if (j < i)
			continue;
		buf_adds(b, "    <outline text=\"");
		xml_escape(b, feeds[i].categories[0]);
		buf_adds(b, "\" title=\"");
		xml_escape(b, feeds[i].categories[0]);
		buf_adds(b, "\">\n");
		for (j = i; j < n; j++)
			if (feeds[j].ncategories > 0 && strcmp(feeds[j].categories[0],
			    feeds[i].categories[0]) == 0)
				write_feed(b, &feeds[j], "      ");
		buf_adds(b, "    </outline>\n");
	}
	buf_adds(b, "  </body>\n</opml>\n");
}
