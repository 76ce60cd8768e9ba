/*
 * Digest as an Atom 1.0 feed, so that any feed reader can subscribe to the
 * filtered stream: one entry per story and watch, categories for the watch,
 * actors and topics. Text is XML-escaped; characters XML 1.0 forbids never
 * reach the output.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "digest.h"
#include "util.h"

/* Feed text for XML: cleaned (no character XML 1.0 forbids), escaped. */
static void
x_esc(struct buf *b, const char *s)
{
	char	*c = digest_clean(s != NULL ? s : "");

	buf_add_xml(b, c, strlen(c));
	free(c);
}

static void
x_date(struct buf *b, const char *tag, int64_t t)
{
	char	s[32];

	date_format(t, s);
	buf_addf(b, "<%s>%s</%s>\n", tag, s, tag);
}

static uint64_t
fnv1a(const char *s, uint64_t h)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void
x_entry(struct buf *b, const struct dgroup *g, const struct dstory *s)
{
	uint64_t	h;
	size_t		i;

	buf_adds(b, "<entry>\n<title type=\"text\">");
	x_esc(b, s->title != NULL ? s->title : "(no title)");
	buf_adds(b, "</title>\n");
	h = fnv1a(g->watch, 0xcbf29ce484222325ULL);
	h = fnv1a(s->link != NULL ? s->link : (s->title != NULL ? s->title : ""), h);
	buf_addf(b, "<id>urn:wirewatch:story:%016llx</id>\n", (unsigned long long)h);
	if (digest_link_ok(s->link)) {
		buf_adds(b, "<link rel=\"alternate\" href=\"");
		x_esc(b, s->link);
		buf_adds(b, "\"/>\n");
	}
	x_date(b, "updated", s->time);
	x_date(b, "published", s->time);
	for (i = 0; i < s->nsources; i++) {
		buf_adds(b, "<author><name>");
		x_esc(b, s->sources[i].name);
		buf_adds(b, "</name></author>\n");
	}
	if (s->nsources == 0)
		buf_adds(b, "<author><name>unknown</name></author>\n");
	buf_adds(b, "<category term=\"");
	x_esc(b, g->watch);
	buf_adds(b, "\" label=\"");
	x_esc(b, g->label);
	buf_adds(b, "\" scheme=\"urn:wirewatch:watch\"/>\n");
	for (i = 0; i < s->nactors; i++) {
		buf_adds(b, "<category term=\"");
		x_esc(b, s->actors[i]);
		buf_adds(b, "\" scheme=\"urn:wirewatch:actor\"/>\n");
	}
	for (i = 0; i < s->ntopics; i++) {
		buf_adds(b, "<category term=\"");
		x_esc(b, s->topics[i]);
		buf_adds(b, "\" scheme=\"urn:wirewatch:topic\"/>\n");
	}
	if (s->snippet != NULL && *s->snippet != '\0') {
		buf_adds(b, "<summary type=\"text\">");
		x_esc(b, s->snippet);
		buf_adds(b, "</summary>\n");
	}
	buf_adds(b, "</entry>\n");
}

void
digest_atom(const struct digest *d, struct buf *b)
{
	size_t	i, j;

	buf_adds(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title type=\"text\">");
	x_esc(b, d->title);
	buf_adds(b, "</title>\n<id>urn:wirewatch:digest</id>\n");
	x_date(b, "updated", d->generated);
	buf_addf(b, "<generator version=\"%s\">wirewatch</generator>\n", WW_VERSION);
	for (i = 0; i < d->ngroups; i++)
		for (j = 0; j < d->groups[i].nstories; j++)
			x_entry(b, &d->groups[i], &d->groups[i].stories[j]);
	buf_adds(b, "</feed>\n");
}
