/*
 * The digest model shared by every output format: groups of stories, each
 * with its sources, matched rules and a highlighted snippet; plus the
 * helpers every writer needs (cleaning feed text, checking links, cutting
 * snippets). No I/O.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "digest.h"
#include "utf8.h"
#include "util.h"

static const struct {
	const char		*name;
	enum digest_format	 format;
} digest_formats[] = {
	{ "atom", DIGEST_ATOM },
	{ "html", DIGEST_HTML },
	{ "json", DIGEST_JSON },
	{ "markdown", DIGEST_MARKDOWN },
	{ "md", DIGEST_MARKDOWN },
	{ "text", DIGEST_TEXT },
	{ "txt", DIGEST_TEXT },
};

int
digest_format_parse(const char *s)
{
	size_t	i;

	for (i = 0; i < nitems(digest_formats); i++)
		if (strcmp(digest_formats[i].name, s) == 0)
			return (int)digest_formats[i].format;
	return -1;
}

void
digest_render(const struct digest *d, enum digest_format f, int color, struct buf *out)
{
	switch (f) {
	case DIGEST_TEXT:
		digest_text(d, color, out);
		break;
	case DIGEST_MARKDOWN:
		digest_markdown(d, out);
		break;
	case DIGEST_HTML:
		digest_html(d, out);
		break;
	case DIGEST_JSON:
		digest_json(d, out);
		break;
	case DIGEST_ATOM:
		digest_atom(d, out);
		break;
	}
}

struct digest *
digest_new(const char *title, int64_t since, int64_t until, int64_t generated)
{
	struct digest	*d;

	d = xcalloc(1, sizeof *d);
	d->title = xstrdup(title);
	d->since = since;
	d->until = until;
	d->generated = generated;
	return d;
}

static void
story_release(struct dstory *s)
{
	size_t	i;

	free(s->title);
	free(s->link);
	for (i = 0; i < s->nsources; i++) {
		free(s->sources[i].name);
		free(s->sources[i].link);
	}
	free(s->sources);
	for (i = 0; i < s->nactors; i++)
		free(s->actors[i]);
	free(s->actors);
	for (i = 0; i < s->ntopics; i++)
		free(s->topics[i]);
	free(s->topics);
	free(s->snippet);
	free(s->marks);
}

void
digest_free(struct digest *d)
{
	size_t	i, j;

	if (d == NULL)
		return;
	for (i = 0; i < d->ngroups; i++) {
		for (j = 0; j < d->groups[i].nstories; j++)
			story_release(&d->groups[i].stories[j]);
		free(d->groups[i].stories);
		free(d->groups[i].watch);
		free(d->groups[i].label);
	}
	free(d->groups);
	free(d->title);
	free(d);
}

struct dgroup *
digest_group(struct digest *d, const char *watch, const char *label, enum priority prio)
{
	struct dgroup	*g;
	size_t		 i;

	for (i = 0; i < d->ngroups; i++)
		if (strcmp(d->groups[i].watch, watch) == 0)
			return &d->groups[i];
	d->groups = xreallocarray(d->groups, d->ngroups + 1, sizeof *d->groups);
	g = &d->groups[d->ngroups++];
	memset(g, 0, sizeof *g);
	g->watch = xstrdup(watch);
	g->label = xstrdup(label != NULL ? label : watch);
	g->priority = prio;
	return g;
}

struct dstory *
digest_story_add(struct dgroup *g)
{
	struct dstory	*s;

	g->stories = xreallocarray(g->stories, g->nstories + 1, sizeof *g->stories);
	s = &g->stories[g->nstories++];
	memset(s, 0, sizeof *s);
	return s;
}

void
digest_story_add_source(struct dstory *s, const char *name, const char *link)
{
	size_t	i;

	for (i = 0; i < s->nsources; i++)
		if (strcmp(s->sources[i].name, name) == 0)
			return;
	s->sources = xreallocarray(s->sources, s->nsources + 1, sizeof *s->sources);
	s->sources[s->nsources].name = xstrdup(name);
	s->sources[s->nsources].link = link != NULL ? xstrdup(link) : NULL;
	s->nsources++;
}

static int
story_cmp(const void *a, const void *b)
{
	const struct dstory	*x = a, *y = b;

	if (x->time != y->time)
		return x->time > y->time ? -1 : 1;
	return strcmp(x->title != NULL ? x->title : "", y->title != NULL ? y->title : "");
}

static int
group_cmp(const void *a, const void *b)
{
	const struct dgroup	*x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return strcmp(x->label, y->label);
}

void
digest_sort(struct digest *d)
{
	size_t	i;

	for (i = 0; i < d->ngroups; i++)
		if (d->groups[i].nstories > 1)
			qsort(d->groups[i].stories, d->groups[i].nstories,
			    sizeof *d->groups[i].stories, story_cmp);
	if (d->ngroups > 1)
		qsort(d->groups, d->ngroups, sizeof *d->groups, group_cmp);
}

size_t
digest_count(const struct digest *d)
{
	size_t	i, n = 0;

	for (i = 0; i < d->ngroups; i++)
		n += d->groups[i].nstories;
	return n;
}

void
digest_time(int64_t t, char out[32])
{
	date_format(t, out);
	out[10] = ' ';
	out[16] = '\0';
	strcat(out, " UTC");
}

int
digest_link_ok(const char *url)
{
	const char	*p;

	if (url == NULL || (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0))
		return 0;
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/*
 * Length of the valid UTF-8 sequence at s (NUL-terminated), 0 when invalid
 * or a character no output should carry: C1 controls, bidi embeddings,
 * overrides and isolates, line and paragraph separators, the
 * noncharacters U+FFFE and U+FFFF (not XML characters).
 */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned	cp;
	size_t		n;

	if ((n = utf8_decode(s, strnlen((const char *)s, 4), &cp)) == 0)
		return 0;
	if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

char *
digest_clean(const char *s)
{
	const unsigned char	*p = (const unsigned char *)(s != NULL ? s : "");
	struct buf		 b;
	size_t			 n;

	buf_init(&b, 0);
	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f) {
			if (b.len > 0 && b.data[b.len - 1] != ' ')
				buf_addc(&b, ' ');
			p++;
			continue;
		}
		if ((n = utf8_len(p)) == 0) {
			p++;
			while ((*p & 0xc0) == 0x80)
				p++;
			continue;
		}
		buf_add(&b, p, n);
		p += n;
	}
	return buf_steal(&b);
}

/*
 * The same cleaning as digest_clean, in place and keeping every byte offset:
 * what is removed becomes spaces ('?' for an invalid byte).
 */
static void
clean_inplace(char *s, size_t len)
{
	unsigned char	*p = (unsigned char *)s;
	size_t		 i = 0, n, k;

	while (i < len) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			p[i++] = ' ';
			continue;
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		{
			unsigned char tmp[5] = { 0 };

			memcpy(tmp, p + i, len - i < 4 ? len - i : 4);
			n = utf8_len(tmp);
		}
		if (n != 0) {
			i += n;
			continue;
		}
		/* invalid, or a valid control sequence: blank all its bytes */
		k = 1;
		while (i + k < len && k < 4 && (p[i + k] & 0xc0) == 0x80)
			k++;
		if (p[i] >= 0xc2 && p[i] <= 0xf4) {
			memset(p + i, ' ', k);
			i += k;
		} else
			p[i++] = '?';
	}
}

static int
mark_cmp(const void *a, const void *b)
{
	const struct dmark	*x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

/* Move i back to the start of a UTF-8 character. */
static size_t
utf8_back(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

char *
digest_snippet(const char *text, const struct dmark *ranges, size_t n, size_t width,
    struct dmark **marks, size_t *nmarks)
{
	struct dmark	*r = NULL, *out = NULL;
	struct buf	 b;
	size_t		 len, from, to, i, nout = 0, off;

	*marks = NULL;
	*nmarks = 0;
	if (text == NULL)
		return NULL;
	len = strlen(text);
	if (n > 0) {
		r = xreallocarray(NULL, n, sizeof *r);
		memcpy(r, ranges, n * sizeof *r);
		qsort(r, n, sizeof *r, mark_cmp);
	}
	/* Window: start a third of the width before the first mark. */
	from = 0;
	if (n > 0 && r[0].start < len && r[0].start > width / 3)
		from = r[0].start - width / 3;
	if (len - from < width && len > width)
		from = len - width;
	from = utf8_back(text, from);
	if (from > 0) {
		while (from < len && text[from] != ' ' && from < (n > 0 ? r[0].start : len))
			from++;
		while (from < len && text[from] == ' ')
			from++;
	}
	to = from + width < len ? from + width : len;
	to = utf8_back(text, to);
	if (to < len) {
		size_t back = to;

		while (back > from && text[back] != ' ')
			back--;
		if (back > from + width / 2)
			to = back;
	}
	buf_init(&b, 0);
	if (from > 0)
		buf_adds(&b, "…");
	off = b.len;
	buf_add(&b, text + from, to - from);
	clean_inplace(b.data + off, b.len - off);
	while (b.len > off && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	if (to < len)
		buf_adds(&b, "…");
	for (i = 0; i < n; i++) {
		size_t s = r[i].start, e = r[i].end;

		if (e > len)
			e = len;
		if (s < from || e > to || s >= e)
			continue;
		if (nout > 0 && s - from + off < out[nout - 1].end)
			continue;	/* overlaps the previous mark */
		out = xreallocarray(out, nout + 1, sizeof *out);
		out[nout].start = s - from + off;
		out[nout].end = e - from + off;
		nout++;
	}
	free(r);
	*marks = out;
	*nmarks = nout;
	return buf_steal(&b);
}
