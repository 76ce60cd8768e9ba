/*
 * Feed parsing, the part shared by every format: the entry point that
 * normalises the bytes and picks the XML or JSON reader, the item builder
 * (fallback ids, duplicates, the item cap), the conversion of field text to
 * plain text, and the JSON output of `wirewatch parse`. The readers are in
 * feed-xml.c (libxml2) and feed-json.c; encodings in feed-enc.c. No I/O.
 *
 * Field text: markup in titles, summaries and content is read with the HTML
 * parser (html.c), never stripped with patterns; plain strings without '<'
 * or '&' take a shortcut that gives the same result. Titles are one line
 * and always go through html_title_text(), even Atom type="text" ones:
 * publishers escape titles twice whatever they declare, and a reader shows
 * "AT&T", not "AT&amp;T". Bodies keep paragraph breaks as '\n'; declared
 * plain text (Atom type="text", JSON Feed content_text) is only folded, a
 * blank line being a paragraph break.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "date.h"
#include "feed.h"
#include "html.h"
#include "json.h"
#include "log.h"
#include "util.h"

struct feed_build {
	struct feed	 *f;
	size_t		  cap;		/* items allocated */
	/* Ids seen: open addressing, index + 1 into f->items, 0 empty. */
	uint32_t	 *slots;
	size_t		  nslots;
	char		**authors;	/* feed-level authors */
	size_t		  nauthors;
};

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/* Cut s to at most max bytes on a UTF-8 character boundary. */
static void
utf8_cut(char *s, size_t max)
{
	size_t	n = strlen(s);

	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	while (max > 0 && is_space((unsigned char)s[max - 1]))
		max--;
	s[max] = '\0';
}

/* White space, or a control character (ESC, BEL, DEL...) taken as one. */
static int
is_fold_space(unsigned char c)
{
	return c < 0x20 || c == 0x7f || is_space(c);
}

/*
 * Fold white space: runs become one space, or '\n' when paras is set and
 * the run holds a blank line; no leading or trailing space. Control
 * characters (a JSON feed's "\u001b" decodes to a raw ESC) fold like
 * white space, so plain text never carries a terminal escape.
 */
static char *
text_fold(const char *s, size_t len, int paras)
{
	char	*out, *o;
	size_t	 i = 0, nl;

	o = out = xmalloc(len + 1);
	while (i < len && is_fold_space((unsigned char)s[i]))
		i++;
	while (i < len) {
		if (!is_fold_space((unsigned char)s[i])) {
			*o++ = s[i++];
			continue;
		}
		for (nl = 0; i < len && is_fold_space((unsigned char)s[i]); i++)
			nl += s[i] == '\n';
		if (i < len)
			*o++ = paras && nl >= 2 ? '\n' : ' ';
	}
	*o = '\0';
	return out;
}

static char *
nonempty(char *s)
{
	if (s != NULL && *s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

static int
has_markup(const char *s, size_t len)
{
	return memchr(s, '<', len) != NULL || memchr(s, '&', len) != NULL;
}

char *
feed_text_title(const char *raw, size_t len, enum feed_texttype type)
{
	char	*t, *p;

	if (raw == NULL)
		return NULL;
	if (!has_markup(raw, len))
		t = text_fold(raw, len, 0);
	else if (type == FT_XHTML) {
		t = html_to_text(raw, len);
		for (p = t; (p = strchr(p, '\n')) != NULL; p++)
			*p = ' ';
	} else
		t = html_title_text(raw, len);
	utf8_cut(t, FEED_MAX_TITLE);
	return nonempty(t);
}

char *
feed_text_body(const char *raw, size_t len, enum feed_texttype type, size_t max)
{
	char	*t;

	if (raw == NULL)
		return NULL;
	if (type == FT_TEXT)
		t = text_fold(raw, len, 1);
	else if (!has_markup(raw, len))
		t = text_fold(raw, len, 0);
	else
		t = html_to_text(raw, len);
	utf8_cut(t, max);
	return nonempty(t);
}

char *
feed_text_trim(const char *raw, size_t len)
{
	if (raw == NULL)
		return NULL;
	while (len > 0 && is_space((unsigned char)raw[0]))
		raw++, len--;
	while (len > 0 && is_space((unsigned char)raw[len - 1]))
		len--;
	if (len == 0 || len > FEED_MAX_URL)
		return NULL;
	return xstrndup(raw, len);
}

char *
feed_resolve(const char *base, const char *ref)
{
	char	*r;

	if (ref == NULL || (r = html_resolve_url(base, ref)) == NULL)
		return NULL;
	/* html.c refuses javascript:, data:, vbscript:; a feed has no business linking files. */
	if (strncasecmp(r, "file:", 5) == 0 || strlen(r) > FEED_MAX_URL) {
		free(r);
		return NULL;
	}
	return r;
}

void
item_init(struct item *it)
{
	memset(it, 0, sizeof *it);
	it->published = it->updated = DATE_NONE;
}

void
item_release(struct item *it)
{
	size_t	i;

	free(it->id);
	free(it->title);
	free(it->link);
	free(it->summary);
	free(it->content);
	for (i = 0; i < it->nauthors; i++)
		free(it->authors[i]);
	free(it->authors);
	for (i = 0; i < it->ncategories; i++)
		free(it->categories[i]);
	free(it->categories);
	item_init(it);
}

/* Add a copy of s to a list of names: trimmed, capped, no duplicates. */
static void
names_add(char ***v, size_t *n, const char *s)
{
	char	*t;
	size_t	 i;

	if (s == NULL || *n >= FEED_MAX_NAMES)
		return;
	t = text_fold(s, strlen(s), 0);
	utf8_cut(t, FEED_MAX_NAME);
	if (*t == '\0')
		goto drop;
	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], t) == 0)
			goto drop;
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = t;
	return;
drop:
	free(t);
}

void
item_add_author(struct item *it, const char *s)
{
	names_add(&it->authors, &it->nauthors, s);
}

void
item_add_category(struct item *it, const char *s)
{
	names_add(&it->categories, &it->ncategories, s);
}

struct feed_build *
feed_build_new(const char *format)
{
	struct feed_build	*fb;

	fb = xcalloc(1, sizeof *fb);
	fb->f = xcalloc(1, sizeof *fb->f);
	fb->f->format = format;
	return fb;
}

struct feed *
feed_build_feed(struct feed_build *fb)
{
	return fb->f;
}

void
feed_build_author(struct feed_build *fb, const char *name)
{
	names_add(&fb->authors, &fb->nauthors, name);
}

int
feed_build_full(struct feed_build *fb)
{
	if (fb->f->nitems < FEED_MAX_ITEMS)
		return 0;
	fb->f->truncated = 1;
	return 1;
}

static uint64_t
fnv1a(uint64_t h, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The id of an item that has none of its own: link, else a hash. */
static char *
item_fallback_id(const struct item *it)
{
	char		date[32] = "";
	uint64_t	h = 0xcbf29ce484222325ULL;

	if (it->link != NULL)
		return xstrdup(it->link);
	if (it->published != DATE_NONE)
		date_format(it->published, date);
	h = fnv1a(h, it->title);
	h = fnv1a(h, "\n");
	h = fnv1a(h, date);
	h = fnv1a(h, "\n");
	if (it->title == NULL)
		h = fnv1a(h, it->summary != NULL ? it->summary : it->content);
	return xasprintf("fnv1a64:%016" PRIx64, h);
}

/* Slot for id: where it is, or the empty slot where it would go. */
static size_t
idset_find(const struct feed_build *fb, const char *id)
{
	size_t	mask = fb->nslots - 1, i;

	i = (size_t)fnv1a(0xcbf29ce484222325ULL, id) & mask;
	while (fb->slots[i] != 0 &&
	    strcmp(fb->f->items[fb->slots[i] - 1].id, id) != 0)
		i = (i + 1) & mask;
	return i;
}

static void
idset_grow(struct feed_build *fb)
{
	size_t	 i;

	free(fb->slots);
	fb->nslots = fb->nslots == 0 ? 64 : fb->nslots * 2;
	fb->slots = xcalloc(fb->nslots, sizeof *fb->slots);
	for (i = 0; i < fb->f->nitems; i++)
		fb->slots[idset_find(fb, fb->f->items[i].id)] = (uint32_t)i + 1;
}

static int
str_same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Two items under one id that are one story: same link and title. */
static int
same_story(const struct item *a, const struct item *b)
{
	return str_same(a->link, b->link) && str_same(a->title, b->title);
}

int
feed_build_add(struct feed_build *fb, struct item *it)
{
	struct feed	*f = fb->f;
	char		*fallback;
	size_t		 slot;

	if (it->id == NULL && it->title == NULL && it->link == NULL &&
	    it->summary == NULL && it->content == NULL) {
		item_release(it);
		return 0;
	}
	if (feed_build_full(fb)) {
		item_release(it);
		return -1;
	}
	if ((f->nitems + 1) * 2 > fb->nslots)
		idset_grow(fb);
	fallback = item_fallback_id(it);
	if (it->id == NULL) {
		it->id = fallback;
		fallback = NULL;
	}
	slot = idset_find(fb, it->id);
	if (fb->slots[slot] != 0) {
		/*
		 * A repeated id: the same story again is dropped; another
		 * story under the same id gets its fallback id, if that is
		 * still free.
		 */
		if (fallback == NULL || strcmp(fallback, it->id) == 0 ||
		    same_story(&f->items[fb->slots[slot] - 1], it) ||
		    fb->slots[slot = idset_find(fb, fallback)] != 0) {
			log_debug("feed: duplicate item \"%s\" dropped", it->id);
			free(fallback);
			item_release(it);
			return 0;
		}
		free(it->id);
		it->id = fallback;
		fallback = NULL;
	}
	free(fallback);
	if (f->nitems == fb->cap) {
		fb->cap = fb->cap == 0 ? 16 : fb->cap * 2;
		f->items = xreallocarray(f->items, fb->cap, sizeof *f->items);
	}
	f->items[f->nitems] = *it;
	fb->slots[slot] = (uint32_t)++f->nitems;
	item_init(it);
	return 0;
}

struct feed *
feed_build_finish(struct feed_build *fb)
{
	struct feed	*f = fb->f;
	size_t		 i, j;

	for (i = 0; i < f->nitems; i++) {
		if (f->items[i].nauthors != 0)
			continue;
		for (j = 0; j < fb->nauthors; j++)
			item_add_author(&f->items[i], fb->authors[j]);
	}
	fb->f = NULL;
	feed_build_free(fb);
	return f;
}

void
feed_build_free(struct feed_build *fb)
{
	size_t	i;

	if (fb == NULL)
		return;
	feed_free(fb->f);
	free(fb->slots);
	for (i = 0; i < fb->nauthors; i++)
		free(fb->authors[i]);
	free(fb->authors);
	free(fb);
}

void
feed_free(struct feed *f)
{
	size_t	i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nitems; i++)
		item_release(&f->items[i]);
	free(f->items);
	free(f->title);
	free(f->link);
	free(f);
}

/* Where the document starts: after white space, or at a known start tag. */
static const char *
doc_start(const char *s, size_t len)
{
	static const char *const starts[] = { "<?xml", "<rss", "<feed", "<rdf:RDF" };
	const char	*p, *best = NULL;
	size_t		 i, lim = len < 4096 ? len : 4096;

	for (p = s; p < s + len && is_space((unsigned char)*p); p++)
		;
	if (p == s + len || *p == '<' || *p == '{')
		return p;
	/* Junk before the document (a server warning, say). */
	for (i = 0; i < nitems(starts); i++) {
		p = memmem(s, lim, starts[i], strlen(starts[i]));
		if (p != NULL && (best == NULL || p < best))
			best = p;
	}
	return best;
}

struct feed *
feed_parse(const char *data, size_t len, const char *url,
    const char *content_type, char **cause)
{
	struct feed	*f;
	const char	*p, *in;
	char		*u;
	size_t		 ulen;

	if (len > FEED_MAX_BYTES) {
		*cause = xasprintf("document larger than %u bytes", FEED_MAX_BYTES);
		return NULL;
	}
	if (feed_utf8_clean(data, len)) {
		/* The common case: the bytes are used as they are. */
		u = NULL;
		if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
			data += 3, len -= 3;
		in = data;
		ulen = len;
	} else
		in = u = feed_to_utf8(data, len, content_type, &ulen);
	if ((p = doc_start(in, ulen)) == NULL) {
		*cause = xstrdup("not a feed: neither XML nor JSON");
		f = NULL;
	} else if (p == in + ulen) {
		*cause = xstrdup("empty document");
		f = NULL;
	} else if (*p == '{')
		f = feed_parse_json(p, ulen - (size_t)(p - in), url, cause);
	else
		f = feed_parse_xml(p, ulen - (size_t)(p - in), url, cause);
	free(u);
	return f;
}

static void
json_names(struct buf *b, char *const *v, size_t n)
{
	size_t	i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		json_str(b, v[i]);
	}
	buf_addc(b, ']');
}

void
feed_to_json(const struct feed *f, struct buf *b)
{
	const struct item	*it;
	size_t			 i;

	buf_adds(b, "{\"format\":");
	json_str(b, f->format);
	buf_adds(b, ",\"title\":");
	json_str(b, f->title);
	buf_adds(b, ",\"link\":");
	json_str(b, f->link);
	buf_adds(b, ",\"items\":[");
	for (i = 0; i < f->nitems; i++) {
		it = &f->items[i];
		buf_adds(b, i > 0 ? ",\n{\"id\":" : "\n{\"id\":");
		json_str(b, it->id);
		buf_adds(b, ",\"title\":");
		json_str(b, it->title);
		buf_adds(b, ",\"link\":");
		json_str(b, it->link);
		buf_adds(b, ",\"published\":");
		json_date(b, it->published);
		buf_adds(b, ",\"updated\":");
		json_date(b, it->updated);
		buf_adds(b, ",\"authors\":");
		json_names(b, it->authors, it->nauthors);
		buf_adds(b, ",\"summary\":");
		json_str(b, it->summary);
		buf_adds(b, ",\"content\":");
		json_str(b, it->content);
		buf_adds(b, ",\"categories\":");
		json_names(b, it->categories, it->ncategories);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}");
}
