/*
 * Digest as plain text for a terminal or a mail body. Colour (ANSI) only
 * when asked for; feed text never carries control characters through.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "digest.h"
#include "util.h"

#define C_BOLD	"\033[1m"
#define C_DIM	"\033[2m"
#define C_MARK	"\033[1;33m"
#define C_HEAD	"\033[1;36m"
#define C_OFF	"\033[0m"

static void
list(struct buf *b, char **v, size_t n)
{
	size_t	i;
	char	*s;

	for (i = 0; i < n; i++) {
		s = digest_clean(v[i]);
		buf_addf(b, "%s%s", i ? ", " : "", s);
		free(s);
	}
}

static void
story(struct buf *b, const struct dstory *s, int color)
{
	char	*t, when[32];
	size_t	 i, pos;

	t = digest_clean(s->title != NULL ? s->title : "(no title)");
	buf_addf(b, "* %s%s%s\n", color ? C_BOLD : "", t, color ? C_OFF : "");
	free(t);
	buf_addf(b, "  %s", color ? C_DIM : "");
	for (i = 0; i < s->nsources; i++) {
		t = digest_clean(s->sources[i].name);
		buf_addf(b, "%s%s", i ? ", " : "", t);
		free(t);
	}
	digest_time(s->time, when);
	buf_addf(b, "%s%s", s->nsources ? " · " : "", when);
	if (s->nactors) {
		buf_adds(b, " · ");
		list(b, s->actors, s->nactors);
	}
	if (s->ntopics) {
		buf_adds(b, " · ");
		list(b, s->topics, s->ntopics);
	}
	buf_addf(b, "%s\n", color ? C_OFF : "");
	if (s->snippet != NULL && *s->snippet != '\0') {
		buf_adds(b, "  ");
		pos = 0;
		for (i = 0; i < s->nmarks; i++) {
			buf_add(b, s->snippet + pos, s->marks[i].start - pos);
			buf_adds(b, color ? C_MARK : "*");
			buf_add(b, s->snippet + s->marks[i].start,
			    s->marks[i].end - s->marks[i].start);
			buf_adds(b, color ? C_OFF : "*");
			pos = s->marks[i].end;
		}
		buf_addf(b, "%s\n", s->snippet + pos);
	}
	if (digest_link_ok(s->link))
		buf_addf(b, "  %s\n", s->link);
	buf_addc(b, '\n');
}

void
digest_text(const struct digest *d, int color, struct buf *b)
{
	char	 since[32], until[32], *t;
	size_t	 i, j, n = digest_count(d);

	digest_time(d->since, since);
	digest_time(d->until, until);
	t = digest_clean(d->title);
	buf_addf(b, "%s%s%s — %s to %s — %zu %s\n\n", color ? C_BOLD : "", t,
	    color ? C_OFF : "", since, until, n, n == 1 ? "story" : "stories");
	free(t);
	if (n == 0) {
		buf_adds(b, "No matching articles in this window.\n");
		return;
	}
	for (i = 0; i < d->ngroups; i++) {
		const struct dgroup *g = &d->groups[i];

		if (g->nstories == 0)
			continue;
		t = digest_clean(g->label);
		buf_addf(b, "%s== %s (%zu) ==%s\n\n", color ? C_HEAD : "", t,
		    g->nstories, color ? C_OFF : "");
		free(t);
		for (j = 0; j < g->nstories; j++)
			story(b, &g->stories[j], color);
	}
}
