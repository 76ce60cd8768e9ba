/*
 * HTML as a reader sees it: feed summaries, contents and titles turned into
 * plain UTF-8 text, and links resolved against a base. libxml2's HTML
 * parser does the tokenising and entity decoding (HTML 4 named entities
 * included); this module walks the tree without recursion, keeps text nodes
 * only (attributes never reach the text), drops the content of script,
 * style and other non-text elements, turns block elements into paragraph
 * breaks and folds white space.
 *
 * Input is first copied into well-formed UTF-8: invalid bytes become
 * U+FFFD, NUL bytes are dropped and other control characters become
 * spaces, so that libxml2 never falls back to guessing an encoding. Inputs
 * longer than HTML_MAX_INPUT are cut there. The module does no I/O, loads
 * nothing from the network and keeps no state between calls.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>

#include "buf.h"
#include "html.h"
#include "log.h"
#include "util.h"

#define HTML_MAX_INPUT	(32u * 1024 * 1024)
#define URL_MAX		(64 * 1024)	/* longer references are not links */
#define TITLE_ROUNDS	4	/* "&amp;amp;amp;lt;" is as deep as it gets */

#define HTML_OPTIONS	(HTML_PARSE_RECOVER | HTML_PARSE_NONET |	\
	HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT |	\
	HTML_PARSE_IGNORE_ENC)

enum el_kind { EL_BLOCK, EL_CELL, EL_SKIP };

struct el {
	const char	*name;
	enum el_kind	 kind;
};

/*
 * Elements that are not inline, sorted by name for bsearch. EL_SKIP drops
 * the element with everything in it; EL_CELL separates words; EL_BLOCK
 * ends a paragraph. Every other element is inline.
 */
static const struct el elements[] = {
	{ "address",	EL_BLOCK },
	{ "applet",	EL_SKIP },
	{ "article",	EL_BLOCK },
	{ "aside",	EL_BLOCK },
	{ "audio",	EL_SKIP },
	{ "blockquote",	EL_BLOCK },
	{ "body",	EL_BLOCK },
	{ "br",		EL_BLOCK },
	{ "button",	EL_SKIP },
	{ "canvas",	EL_SKIP },
	{ "caption",	EL_BLOCK },
	{ "center",	EL_BLOCK },
	{ "dd",		EL_BLOCK },
	{ "details",	EL_BLOCK },
	{ "dialog",	EL_BLOCK },
	{ "dir",	EL_BLOCK },
	{ "div",	EL_BLOCK },
	{ "dl",		EL_BLOCK },
	{ "dt",		EL_BLOCK },
	{ "embed",	EL_SKIP },
	{ "fieldset",	EL_BLOCK },
	{ "figcaption",	EL_BLOCK },
	{ "figure",	EL_BLOCK },
	{ "footer",	EL_BLOCK },
	{ "form",	EL_BLOCK },
	{ "frame",	EL_SKIP },
	{ "frameset",	EL_SKIP },
	{ "h1",		EL_BLOCK },
	{ "h2",		EL_BLOCK },
	{ "h3",		EL_BLOCK },
	{ "h4",		EL_BLOCK },
	{ "h5",		EL_BLOCK },
	{ "h6",		EL_BLOCK },
	{ "head",	EL_SKIP },
	{ "header",	EL_BLOCK },
	{ "hgroup",	EL_BLOCK },
	{ "hr",		EL_BLOCK },
	{ "html",	EL_BLOCK },
	{ "iframe",	EL_SKIP },
	{ "legend",	EL_BLOCK },
	{ "li",		EL_BLOCK },
	{ "main",	EL_BLOCK },
	{ "map",	EL_SKIP },
	{ "math",	EL_SKIP },
	{ "menu",	EL_BLOCK },
	{ "nav",	EL_BLOCK },
	{ "noembed",	EL_SKIP },
	{ "noframes",	EL_SKIP },
	{ "noscript",	EL_SKIP },
	{ "object",	EL_SKIP },
	{ "ol",		EL_BLOCK },
	{ "optgroup",	EL_SKIP },
	{ "option",	EL_SKIP },
	{ "p",		EL_BLOCK },
	{ "picture",	EL_SKIP },
	{ "pre",	EL_BLOCK },
	{ "script",	EL_SKIP },
	{ "section",	EL_BLOCK },
	{ "select",	EL_SKIP },
	{ "style",	EL_SKIP },
	{ "summary",	EL_BLOCK },
	{ "svg",	EL_SKIP },
	{ "table",	EL_BLOCK },
	{ "tbody",	EL_BLOCK },
	{ "td",		EL_CELL },
	{ "template",	EL_SKIP },
	{ "textarea",	EL_SKIP },
	{ "tfoot",	EL_BLOCK },
	{ "th",		EL_CELL },
	{ "thead",	EL_BLOCK },
	{ "title",	EL_SKIP },
	{ "tr",		EL_BLOCK },
	{ "ul",		EL_BLOCK },
	{ "video",	EL_SKIP },
	{ "xmp",	EL_BLOCK },
};

/* Text being written: separators are held back until the next word. */
struct out {
	struct buf	b;
	int		flat;	/* paragraph breaks are spaces (titles) */
	int		space;	/* a space is due before the next word */
	int		brk;	/* a paragraph break is due */
};

static int
el_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct el *)elem)->name);
}

static const struct el *
el_find(const char *name)
{
	return bsearch(name, elements, nitems(elements), sizeof(elements[0]),
	    el_cmp);
}

static int
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * Length of the valid UTF-8 sequence at p (n bytes left), 0 if invalid.
 * Surrogates, overlong forms and code points past U+10FFFF are invalid.
 */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	unsigned char	c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

/*
 * Copy s into out as text libxml2 accepts without complaint: valid UTF-8,
 * no NUL, no control characters but tab and line ends, no U+FFFE/U+FFFF.
 */
static void
utf8_clean(struct buf *out, const char *s, size_t len)
{
	static const char	 repl[] = "\xef\xbf\xbd";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, run = 0, n;

	buf_init(out, 0);
	if (len > HTML_MAX_INPUT)
		len = HTML_MAX_INPUT;
	while (i < len) {
		n = utf8_len(p + i, len - i);
		if (n == 1 && (p[i] >= 0x20 || p[i] == '\t' || p[i] == '\n' ||
		    p[i] == '\r') && p[i] != 0x7f) {
			i++;
			continue;
		}
		if (n == 3 && p[i] == 0xef && p[i + 1] == 0xbf &&
		    p[i + 2] >= 0xbe) {
			buf_add(out, s + run, i - run);
			buf_add(out, repl, 3);
		} else if (n > 1) {
			i += n;
			continue;
		} else {
			buf_add(out, s + run, i - run);
			if (n == 0)
				buf_add(out, repl, 3);
			else if (p[i] != '\0')
				buf_addc(out, ' ');
			n = 1;
		}
		i += n;
		run = i;
	}
	buf_add(out, s + run, i - run);
}

static void
out_init(struct out *o, int flat)
{
	buf_init(&o->b, 0);
	o->flat = flat;
	o->space = o->brk = 0;
}

/*
 * U+0080..U+009F in text are Windows-1252 bytes that were decoded as
 * Latin-1 somewhere (or "&#146;" from such a tool); they are read as the
 * characters meant, as browsers do. NULL: no character, dropped.
 */
static const char *const cp1252[32] = {
	"\u20ac", NULL, "\u201a", "\u0192", "\u201e", "\u2026", "\u2020",
	"\u2021", "\u02c6", "\u2030", "\u0160", "\u2039", "\u0152", NULL,
	"\u017d", NULL, NULL, "\u2018", "\u2019", "\u201c", "\u201d",
	"\u2022", "\u2013", "\u2014", "\u02dc", "\u2122", "\u0161", "\u203a",
	"\u0153", NULL, "\u017e", "\u0178",
};

/* Write the held separator, if any, before a word. */
static void
out_sep(struct out *o)
{
	if (o->b.len > 0) {
		if (o->brk && !o->flat)
			buf_addc(&o->b, '\n');
		else if (o->brk || o->space)
			buf_addc(&o->b, ' ');
	}
	o->brk = o->space = 0;
}

/* U+0080..U+00A0 (a C1 control or NBSP) at p, i.e. 0xc2 0x80..0xa0. */
static int
is_c1_or_nbsp(const unsigned char *p, size_t left)
{
	return p[0] == 0xc2 && left > 1 && p[1] >= 0x80 && p[1] <= 0xa0;
}

/*
 * Add n bytes of clean UTF-8 text: white space (NBSP included) becomes a
 * held separator, C1 controls their Windows-1252 characters.
 */
static void
out_text(struct out *o, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	const char		*rep;
	size_t			 i = 0, start;

	while (i < n) {
		if (is_ws(p[i])) {
			o->space = 1;
			i++;
			continue;
		}
		if (is_c1_or_nbsp(p + i, n - i)) {
			if (p[i + 1] == 0xa0)
				o->space = 1;
			else if ((rep = cp1252[p[i + 1] - 0x80]) != NULL) {
				out_sep(o);
				buf_adds(&o->b, rep);
			}
			i += 2;
			continue;
		}
		start = i;
		while (i < n && !is_ws(p[i]) && !is_c1_or_nbsp(p + i, n - i))
			i++;
		out_sep(o);
		buf_add(&o->b, s + start, i - start);
	}
}

static char *
out_finish(struct out *o)
{
	return buf_steal(&o->b);
}

/* Enter (or leave) an element: what it means for the text around it. */
static void
out_element(struct out *o, const struct el *e)
{
	if (e == NULL)
		return;
	if (e->kind == EL_BLOCK)
		o->brk = 1;
	else if (e->kind == EL_CELL)
		o->space = 1;
}

/*
 * Walk the tree in document order without recursion, so that any depth of
 * nesting the parser builds is fine.
 */
static void
walk(struct out *o, xmlNodePtr n)
{
	const struct el	*e;

	while (n != NULL) {
		e = NULL;
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content != NULL)
				out_text(o, (const char *)n->content,
				    strlen((const char *)n->content));
		} else if (n->type == XML_ELEMENT_NODE && n->name != NULL) {
			e = el_find((const char *)n->name);
			out_element(o, e);
			if ((e == NULL || e->kind != EL_SKIP) &&
			    n->children != NULL) {
				n = n->children;
				continue;
			}
		}
		/* Leave n and every ancestor that has no next sibling. */
		while (n->next == NULL) {
			n = n->parent;
			if (n == NULL || n->type != XML_ELEMENT_NODE)
				return;
			out_element(o, el_find((const char *)n->name));
		}
		n = n->next;
	}
}

static void	html_flat(struct out *, const char *, size_t);

/*
 * Remove CDATA markers ("<![CDATA[" and its "]]>") that an escaped feed
 * leaves in its HTML: what they wrap is the content.
 */
static void
cdata_unwrap(struct buf *out, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *m;

	buf_init(out, 0);
	while ((m = memmem(p, (size_t)(end - p), "<![CDATA[", 9)) != NULL) {
		buf_add(out, p, (size_t)(m - p));
		p = m + 9;
		if ((m = memmem(p, (size_t)(end - p), "]]>", 3)) == NULL)
			break;
		buf_add(out, p, (size_t)(m - p));
		p = m + 3;
	}
	buf_add(out, p, (size_t)(end - p));
}

/*
 * Parse clean UTF-8 as HTML and write its text into o. libxml2 gives up on
 * documents nested deeper than its limit (256) and returns almost nothing;
 * those are read by the flat scanner instead.
 */
static void
html_render(struct out *o, const char *s, size_t len)
{
	htmlParserCtxtPtr	 ctxt;
	htmlDocPtr		 doc;
	xmlErrorPtr		 err;
	struct buf		 unwrapped;

	if (len == 0)
		return;
	if (memchr(s, '<', len) == NULL && memchr(s, '&', len) == NULL) {
		out_text(o, s, len);
		return;
	}
	buf_init(&unwrapped, 0);
	if (memmem(s, len, "<![CDATA[", 9) != NULL) {
		cdata_unwrap(&unwrapped, s, len);
		s = unwrapped.data;
		len = unwrapped.len;
	}
	if ((ctxt = htmlNewParserCtxt()) == NULL)
		fatal("htmlNewParserCtxt: out of memory");
	doc = htmlCtxtReadMemory(ctxt, s, (int)len, NULL, "UTF-8", HTML_OPTIONS);
	err = xmlCtxtGetLastError(ctxt);
	if (err != NULL && err->code == XML_ERR_INTERNAL_ERROR)
		html_flat(o, s, len);
	else if (doc != NULL)
		walk(o, doc->children);
	xmlFreeDoc(doc);
	htmlFreeParserCtxt(ctxt);
	buf_release(&unwrapped);
}

/* Append code point c as UTF-8; invalid ones as U+FFFD. */
static void
put_utf8(struct buf *b, uint32_t c)
{
	unsigned char	u[4];

	if (c == 0 || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff ||
	    c == 0xfffe || c == 0xffff)
		c = 0xfffd;
	else if (c < 0x20 || c == 0x7f)
		c = ' ';
	if (c < 0x80) {
		buf_addc(b, (int)c);
	} else if (c < 0x800) {
		u[0] = (unsigned char)(0xc0 | c >> 6);
		u[1] = (unsigned char)(0x80 | (c & 0x3f));
		buf_add(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (unsigned char)(0xe0 | c >> 12);
		u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (c & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (unsigned char)(0xf0 | c >> 18);
		u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (c & 0x3f));
		buf_add(b, u, 4);
	}
}

/*
 * The entity reference at s ("&amp;", "&#233;", "&#xE9;"), n bytes left:
 * its length, with the character appended to b, or 0 when s is not one.
 * The semicolon is required.
 */
static size_t
entity_decode(struct buf *b, const char *s, size_t n)
{
	const htmlEntityDesc	*ent;
	char			 name[33];
	uint32_t		 c = 0;
	size_t			 i = 1, start;
	int			 hex = 0;

	if (n < 3 || s[0] != '&')
		return 0;
	if (s[1] == '#') {
		i = 2;
		if (s[i] == 'x' || s[i] == 'X') {
			hex = 1;
			i++;
		}
		start = i;
		for (; i < n && i - start < 8; i++) {
			if (s[i] >= '0' && s[i] <= '9')
				c = c * (hex ? 16 : 10) + (uint32_t)(s[i] - '0');
			else if (hex && (s[i] | 0x20) >= 'a' &&
			    (s[i] | 0x20) <= 'f')
				c = c * 16 + (uint32_t)((s[i] | 0x20) - 'a' + 10);
			else
				break;
		}
		if (i == start || i >= n || s[i] != ';')
			return 0;
		put_utf8(b, c);
		return i + 1;
	}
	for (; i < n && i - 1 < sizeof(name) - 1; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (i > 1 && s[i] >= '0' && s[i] <= '9')))
			break;
		name[i - 1] = s[i];
	}
	if (i == 1 || i >= n || s[i] != ';')
		return 0;
	name[i - 1] = '\0';
	if (strcmp(name, "apos") == 0)
		c = '\'';
	else if ((ent = htmlEntityLookup((const xmlChar *)name)) != NULL)
		c = ent->value;
	else
		return 0;
	put_utf8(b, c);
	return i + 1;
}

/* Decode every entity reference in s; 0 when there was none. */
static int
entities_decode(struct buf *out, const char *s, size_t len)
{
	const char	*amp;
	size_t		 i = 0, n;
	int		 found = 0;

	buf_init(out, 0);
	while ((amp = memchr(s + i, '&', len - i)) != NULL) {
		buf_add(out, s + i, (size_t)(amp - (s + i)));
		i = (size_t)(amp - s);
		if ((n = entity_decode(out, amp, len - i)) == 0) {
			buf_addc(out, '&');
			n = 1;
		} else
			found = 1;
		i += n;
	}
	buf_add(out, s + i, len - i);
	return found;
}

static int
is_name_char(char c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (!first && c >= '0' && c <= '9');
}

/*
 * The fallback reader for what the tree parser refuses: tags are read one
 * by one without a tree (so any depth is fine), with the same element
 * table, comments and declarations skipped, entities decoded.
 */
static void
html_flat(struct out *o, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *q, *gt;
	const struct el	*e;
	struct buf	 ent;
	char		 name[16];
	size_t		 n;

	buf_init(&ent, 0);
	while (p < end) {
		if (*p == '&') {
			buf_reset(&ent);
			if ((n = entity_decode(&ent, p, (size_t)(end - p))) > 0) {
				out_text(o, ent.data, ent.len);
				p += n;
			} else {
				out_text(o, p, 1);
				p++;
			}
			continue;
		}
		if (*p != '<') {
			for (q = p; q < end && *q != '<' && *q != '&'; q++)
				;
			out_text(o, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			q = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
			p = q != NULL ? q + 3 : end;
			continue;
		}
		q = p + 1;
		if (q < end && *q == '/')
			q++;
		if (q >= end || (!is_name_char(*q, 1) && *q != '!' && *q != '?')) {
			out_text(o, p, 1);	/* "a < b" */
			p++;
			continue;
		}
		for (n = 0; q + n < end && n < sizeof(name) - 1 &&
		    is_name_char(q[n], 0); n++)
			name[n] = (char)(q[n] | 0x20);
		name[n] = '\0';
		if ((gt = memchr(q, '>', (size_t)(end - q))) == NULL)
			break;
		p = gt + 1;
		e = n > 0 ? el_find(name) : NULL;
		if (e != NULL && e->kind == EL_SKIP && q[-1] != '/') {
			/* Skip to the end tag, if there is one. */
			for (q = p; (q = memmem(q, (size_t)(end - q), "</", 2)) != NULL;
			    q += 2)
				if ((size_t)(end - q - 2) >= n &&
				    strncasecmp(q + 2, name, n) == 0 &&
				    (q + 2 + n == end || !is_name_char(q[2 + n], 0)))
					break;
			if (q == NULL)
				break;
			gt = memchr(q, '>', (size_t)(end - q));
			p = gt != NULL ? gt + 1 : end;
			continue;
		}
		out_element(o, e);
	}
	buf_release(&ent);
}

/*
 * Whether s holds markup rather than text that mentions a tag: a closing
 * tag of an HTML element ("</b>"), or an element that never has one
 * ("<br>", "<img src=x>"). "a < b" and "Why <div> is bad" are text.
 */
static int
has_markup(const char *s, size_t len)
{
	const char	*lt, *end = s + len, *p, *gt = NULL;
	char		 name[16];
	size_t		 n;
	int		 closing;

	for (p = s; (lt = memchr(p, '<', (size_t)(end - p))) != NULL; p = lt + 1) {
		p = lt + 1;
		closing = p < end && *p == '/';
		if (closing)
			p++;
		for (n = 0; p + n < end && n < sizeof(name) - 1 &&
		    is_name_char(p[n], n == 0); n++)
			name[n] = (char)(p[n] | 0x20);
		if (n == 0 || p + n >= end || (is_name_char(p[n], 0)))
			continue;
		name[n] = '\0';
		p += n;
		if (closing) {
			while (p < end && is_ws((unsigned char)*p))
				p++;
			if (p < end && *p == '>' &&
			    htmlTagLookup((const xmlChar *)name) != NULL)
				return 1;
			continue;
		}
		if (*p != '>' && *p != '/' && !is_ws((unsigned char)*p))
			continue;
		if (strcmp(name, "br") != 0 && strcmp(name, "img") != 0 &&
		    strcmp(name, "hr") != 0 && strcmp(name, "wbr") != 0)
			continue;
		/* The next '>' is looked up once per '>', not per '<'. */
		if (gt == NULL || gt < p)
			gt = memchr(p, '>', (size_t)(end - p));
		if (gt == NULL)
			return 0;
		if (memchr(p, '<', (size_t)(gt - p)) == NULL)
			return 1;
	}
	return 0;
}

/*
 * HTML escaped once more than it should be arrives without a single '<':
 * "&lt;p&gt;Hello&lt;/p&gt;". When that decodes to real markup, the
 * decoded form is what the publisher meant.
 */
char *
html_to_text(const char *html, size_t len)
{
	struct buf	clean, decoded;
	struct out	o;

	out_init(&o, 0);
	if (html == NULL)
		return out_finish(&o);
	utf8_clean(&clean, html, len);
	buf_init(&decoded, 0);
	if (memchr(clean.data, '<', clean.len) == NULL &&
	    memchr(clean.data, '&', clean.len) != NULL &&
	    entities_decode(&decoded, clean.data, clean.len) &&
	    has_markup(decoded.data, decoded.len))
		html_render(&o, decoded.data, decoded.len);
	else
		html_render(&o, clean.data, clean.len);
	buf_release(&decoded);
	buf_release(&clean);
	return out_finish(&o);
}

char *
html_title_text(const char *s, size_t len)
{
	struct buf	cur, next;
	struct out	o;
	int		round;

	out_init(&o, 1);
	if (s == NULL)
		return out_finish(&o);
	utf8_clean(&cur, s, len);
	/*
	 * Each round peels one layer: markup is rendered (which decodes the
	 * entities inside it), otherwise entities alone are decoded. Text
	 * that decodes to something without tags stops there.
	 */
	for (round = 0; round < TITLE_ROUNDS && cur.len > 0; round++) {
		if (has_markup(cur.data, cur.len)) {
			struct out	r;

			out_init(&r, 1);
			html_render(&r, cur.data, cur.len);
			buf_release(&cur);
			buf_init(&cur, 0);
			cur.data = out_finish(&r);
			cur.len = cur.cap = strlen(cur.data);
			continue;
		}
		if (!entities_decode(&next, cur.data, cur.len)) {
			buf_release(&next);
			break;
		}
		buf_release(&cur);
		cur = next;
	}
	if (cur.len > 0)
		out_text(&o, cur.data, cur.len);
	buf_release(&cur);
	return out_finish(&o);
}

static int
has_scheme(const char *s, const char *scheme)
{
	size_t	n = strlen(scheme);

	return strncasecmp(s, scheme, n) == 0 && s[n] == ':';
}

/*
 * A URL as browsers take it from an attribute: surrounding white space
 * trimmed, tabs and line ends removed, spaces, controls and non-ASCII
 * bytes percent-encoded so that the URI parser accepts it.
 */
static char *
url_clean(const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	struct buf		 b;
	const unsigned char	*p = (const unsigned char *)s, *e;

	while (*p != '\0' && (*p <= ' '))
		p++;
	e = p + strlen((const char *)p);
	while (e > p && e[-1] <= ' ')
		e--;
	buf_init(&b, 0);
	for (; p < e; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (*p <= ' ' || *p >= 0x7f || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '\\' || *p == '^' || *p == '`' ||
		    *p == '{' || *p == '|' || *p == '}') {
			buf_addc(&b, '%');
			buf_addc(&b, hex[*p >> 4]);
			buf_addc(&b, hex[*p & 15]);
		} else
			buf_addc(&b, *p);
	}
	return buf_steal(&b);
}

/* A URI reference split as in RFC 3986 appendix B; pointers into the string. */
struct uri {
	const char	*scheme, *auth, *path, *query, *frag;
	size_t		 scheme_len, auth_len, path_len, query_len, frag_len;
};

static void
uri_split(struct uri *u, const char *s)
{
	const char	*p = s;

	memset(u, 0, sizeof(*u));
	if (is_name_char(*p, 1)) {
		while (is_name_char(*p, 0) || *p == '+' || *p == '-' ||
		    *p == '.')
			p++;
		if (*p == ':') {
			u->scheme = s;
			u->scheme_len = (size_t)(p - s);
			s = p + 1;
		}
	}
	if (s[0] == '/' && s[1] == '/') {
		u->auth = s + 2;
		u->auth_len = strcspn(u->auth, "/?#");
		s = u->auth + u->auth_len;
	}
	u->path = s;
	u->path_len = strcspn(s, "?#");
	s += u->path_len;
	if (*s == '?') {
		u->query = s + 1;
		u->query_len = strcspn(u->query, "#");
		s = u->query + u->query_len;
	}
	if (*s == '#') {
		u->frag = s + 1;
		u->frag_len = strlen(u->frag);
	}
}

/* RFC 3986 5.2.4: append path p (n bytes) to out without "." and ".." segments. */
static void
path_add_clean(struct buf *out, const char *p, size_t n)
{
	const char	*end = p + n, *seg;
	char		*slash;
	size_t		 len;

	while (p < end) {
		if (end - p >= 3 && strncmp(p, "../", 3) == 0)
			p += 3;
		else if (end - p >= 2 && strncmp(p, "./", 2) == 0)
			p += 2;
		else if (end - p >= 3 && strncmp(p, "/./", 3) == 0)
			p += 2;
		else if (end - p == 2 && strncmp(p, "/.", 2) == 0) {
			buf_addc(out, '/');
			p = end;
		} else if ((end - p >= 4 && strncmp(p, "/../", 4) == 0) ||
		    (end - p == 3 && strncmp(p, "/..", 3) == 0)) {
			/* Drop the last segment written, keep the slash coming. */
			slash = memrchr(out->data, '/', out->len);
			out->len = slash != NULL ? (size_t)(slash - out->data) : 0;
			out->data[out->len] = '\0';
			if (end - p == 3) {
				buf_addc(out, '/');
				p = end;
			} else
				p += 3;
		} else if ((end - p == 1 && *p == '.') ||
		    (end - p == 2 && strncmp(p, "..", 2) == 0)) {
			p = end;
		} else {
			seg = p;
			len = 1;
			while (seg + len < end && seg[len] != '/')
				len++;
			buf_add(out, seg, len);
			p += len;
		}
	}
}

/*
 * RFC 3986 5.2: resolve r against the absolute base b. A reference with the
 * base's own scheme and no authority ("http:g") is read as relative, as
 * browsers do.
 */
static char *
uri_resolve(const char *bs, const char *rs)
{
	struct uri	 b, r;
	struct buf	 out, path;
	const char	*q;
	size_t		 ql, slash;
	int		 hasq;

	uri_split(&b, bs);
	uri_split(&r, rs);
	if (b.scheme == NULL)
		return NULL;
	if (r.scheme != NULL && r.auth == NULL &&
	    r.scheme_len == b.scheme_len &&
	    strncasecmp(r.scheme, b.scheme, b.scheme_len) == 0)
		r.scheme = NULL;
	buf_init(&out, 0);
	buf_init(&path, 0);
	buf_add(&path, "", 0);
	if (r.scheme != NULL) {
		buf_add(&out, r.scheme, r.scheme_len);
		buf_addc(&out, ':');
		if (r.auth != NULL) {
			buf_adds(&out, "//");
			buf_add(&out, r.auth, r.auth_len);
		}
		path_add_clean(&path, r.path, r.path_len);
		q = r.query, ql = r.query_len;
	} else {
		buf_add(&out, b.scheme, b.scheme_len);
		buf_addc(&out, ':');
		if (r.auth != NULL || b.auth != NULL) {
			buf_adds(&out, "//");
			if (r.auth != NULL)
				buf_add(&out, r.auth, r.auth_len);
			else
				buf_add(&out, b.auth, b.auth_len);
		}
		if (r.auth != NULL) {
			path_add_clean(&path, r.path, r.path_len);
			q = r.query, ql = r.query_len;
		} else if (r.path_len == 0) {
			buf_add(&path, b.path, b.path_len);
			hasq = r.query != NULL;
			q = hasq ? r.query : b.query;
			ql = hasq ? r.query_len : b.query_len;
		} else {
			struct buf	merged;

			buf_init(&merged, 0);
			if (r.path[0] == '/')
				buf_add(&merged, r.path, r.path_len);
			else {
				if (b.auth != NULL && b.path_len == 0)
					buf_addc(&merged, '/');
				for (slash = b.path_len; slash > 0 &&
				    b.path[slash - 1] != '/'; slash--)
					;
				buf_add(&merged, b.path, slash);
				buf_add(&merged, r.path, r.path_len);
			}
			path_add_clean(&path, merged.data, merged.len);
			buf_release(&merged);
			q = r.query, ql = r.query_len;
		}
	}
	buf_add(&out, path.data, path.len);
	buf_release(&path);
	if (q != NULL) {
		buf_addc(&out, '?');
		buf_add(&out, q, ql);
	}
	if (r.frag != NULL) {
		buf_addc(&out, '#');
		buf_add(&out, r.frag, r.frag_len);
	}
	return buf_steal(&out);
}

/* Whether s starts with a URI scheme ("http:"). */
static int
url_is_absolute(const char *s)
{
	const char	*p = s;

	if (!is_name_char(*p, 1))
		return 0;
	while (is_name_char(*p, 0) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

static int
url_is_unsafe(const char *s)
{
	return has_scheme(s, "javascript") || has_scheme(s, "data") ||
	    has_scheme(s, "vbscript");
}

char *
html_resolve_url(const char *base, const char *ref)
{
	char	*r = NULL, *b = NULL, *res = NULL;

	if (ref == NULL || strlen(ref) > URL_MAX)
		return NULL;
	r = url_clean(ref);
	if (*r == '\0' || url_is_unsafe(r))
		goto out;
	if (base != NULL && strlen(base) <= URL_MAX)
		b = url_clean(base);
	if (b == NULL || !url_is_absolute(b)) {
		if (url_is_absolute(r)) {
			res = r;
			r = NULL;
		}
		goto out;
	}
	res = uri_resolve(b, r);
	if (res != NULL && (!url_is_absolute(res) || url_is_unsafe(res))) {
		free(res);
		res = NULL;
	}
out:
	free(r);
	free(b);
	return res;
}
