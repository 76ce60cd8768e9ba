/*
 * Digest as Markdown (CommonMark). Feed text is backslash-escaped so that it
 * can never open emphasis, links, HTML or code; links are http(s) only, with
 * the characters that could end a link destination percent-encoded.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "digest.h"
#include "util.h"

static void
md_escape_n(struct buf *b, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] != '\0' && strchr("\\`*_[]<>&|~!(){}#", s[i]) != NULL)
			buf_addc(b, '\\');
		buf_addc(b, s[i]);
	}
}

static void
md_escape(struct buf *b, const char *s)
{
	char	*c = digest_clean(s);

	md_escape_n(b, c, strlen(c));
	free(c);
}

static void
md_url(struct buf *b, const char *u)
{
	for (; *u != '\0'; u++) {
		if (strchr("()<>\\`", *u) != NULL)
			buf_addf(b, "%%%02X", (unsigned char)*u);
		else
			buf_addc(b, *u);
	}
}

static void
md_list(struct buf *b, const char *what, char **v, size_t n)
{
	size_t	i;

	buf_addf(b, " · **%s:** ", what);
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(b, ", ");
		md_escape(b, v[i]);
	}
}

static void
md_story(struct buf *b, const struct dstory *s)
{
	char	when[32];
	size_t	i, pos;

	buf_adds(b, "### ");
	if (digest_link_ok(s->link)) {
		buf_addc(b, '[');
		md_escape(b, s->title != NULL ? s->title : "(no title)");
		buf_adds(b, "](");
		md_url(b, s->link);
		buf_addc(b, ')');
	} else
		md_escape(b, s->title != NULL ? s->title : "(no title)");
	buf_adds(b, "\n\n");
	for (i = 0; i < s->nsources; i++) {
		if (i)
			buf_adds(b, ", ");
		if (digest_link_ok(s->sources[i].link)) {
			buf_addc(b, '[');
			md_escape(b, s->sources[i].name);
			buf_adds(b, "](");
			md_url(b, s->sources[i].link);
			buf_addc(b, ')');
		} else
			md_escape(b, s->sources[i].name);
	}
	digest_time(s->time, when);
	buf_addf(b, "%s%s", s->nsources ? " · " : "", when);
	if (s->nactors)
		md_list(b, "Actors", s->actors, s->nactors);
	if (s->ntopics)
		md_list(b, "Topics", s->topics, s->ntopics);
	buf_adds(b, "\n\n");
	if (s->snippet != NULL && *s->snippet != '\0') {
		buf_adds(b, "> ");
		pos = 0;
		for (i = 0; i < s->nmarks; i++) {
			md_escape_n(b, s->snippet + pos, s->marks[i].start - pos);
			buf_adds(b, "**");
			md_escape_n(b, s->snippet + s->marks[i].start,
			    s->marks[i].end - s->marks[i].start);
			buf_adds(b, "**");
			pos = s->marks[i].end;
		}
		md_escape_n(b, s->snippet + pos, strlen(s->snippet + pos));
		buf_adds(b, "\n\n");
	}
}

void
digest_markdown(const struct digest *d, struct buf *b)
{
	char	since[32], until[32];
	size_t	i, j, n = digest_count(d);

	digest_time(d->since, since);
	digest_time(d->until, until);
	buf_adds(b, "# ");
	md_escape(b, d->title);
	buf_addf(b, "\n\n%s to %s · %zu %s\n\n", since, until, n,
	    n == 1 ? "story" : "stories");
	if (n == 0) {
		buf_adds(b, "No matching articles in this window.\n");
		return;
	}
	for (i = 0; i < d->ngroups; i++) {
		if (d->groups[i].nstories == 0)
			continue;
		buf_adds(b, "## ");
		md_escape(b, d->groups[i].label);
		buf_addf(b, " (%zu)\n\n", d->groups[i].nstories);
		for (j = 0; j < d->groups[i].nstories; j++)
			md_story(b, &d->groups[i].stories[j]);
	}
}
