/*
 * Digest as JSON, schema documented in docs/digest-json.md (version 1):
 * stable keys, dates in RFC 3339 UTC, highlights as byte ranges of the
 * snippet.
 */
#include <stdlib.h>

#include "buf.h"
#include "digest.h"
#include "json.h"
#include "util.h"

static void
j_clean(struct buf *b, const char *s)
{
	char	*c;

	if (s == NULL) {
		buf_adds(b, "null");
		return;
	}
	c = digest_clean(s);
	json_str(b, c);
	free(c);
}

static void
j_list(struct buf *b, char **v, size_t n)
{
	size_t	i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(b, ',');
		j_clean(b, v[i]);
	}
	buf_addc(b, ']');
}

static void
j_story(struct buf *b, const struct dstory *s)
{
	size_t	i;

	buf_adds(b, "{\"title\":");
	j_clean(b, s->title);
	buf_adds(b, ",\"link\":");
	j_clean(b, digest_link_ok(s->link) ? s->link : NULL);
	buf_adds(b, ",\"time\":");
	json_date(b, s->time);
	buf_adds(b, ",\"sources\":[");
	for (i = 0; i < s->nsources; i++) {
		buf_adds(b, i ? ",{\"name\":" : "{\"name\":");
		j_clean(b, s->sources[i].name);
		buf_adds(b, ",\"link\":");
		j_clean(b, digest_link_ok(s->sources[i].link) ? s->sources[i].link : NULL);
		buf_addc(b, '}');
	}
	buf_adds(b, "],\"actors\":");
	j_list(b, s->actors, s->nactors);
	buf_adds(b, ",\"topics\":");
	j_list(b, s->topics, s->ntopics);
	buf_adds(b, ",\"snippet\":");
	json_str(b, s->snippet);
	buf_adds(b, ",\"highlights\":[");
	for (i = 0; i < s->nmarks; i++)
		buf_addf(b, "%s[%zu,%zu]", i ? "," : "", s->marks[i].start, s->marks[i].end);
	buf_adds(b, "]}");
}

void
digest_json(const struct digest *d, struct buf *b)
{
	static const char *const prio[] = { "low", "normal", "high", "critical" };
	size_t	i, j;

	buf_adds(b, "{\"version\":1,\"title\":");
	j_clean(b, d->title);
	buf_adds(b, ",\"generated\":");
	json_date(b, d->generated);
	buf_adds(b, ",\"since\":");
	json_date(b, d->since);
	buf_adds(b, ",\"until\":");
	json_date(b, d->until);
	buf_addf(b, ",\"count\":%zu,\"groups\":[", digest_count(d));
	for (i = 0; i < d->ngroups; i++) {
		const struct dgroup *g = &d->groups[i];

		buf_adds(b, i ? ",{\"watch\":" : "{\"watch\":");
		j_clean(b, g->watch);
		buf_adds(b, ",\"label\":");
		j_clean(b, g->label);
		buf_addf(b, ",\"priority\":\"%s\",\"stories\":[",
		    (unsigned)g->priority < nitems(prio) ? prio[g->priority] : "normal");
		for (j = 0; j < g->nstories; j++) {
			if (j)
				buf_addc(b, ',');
			j_story(b, &g->stories[j]);
		}
		buf_adds(b, "]}");
	}
	buf_adds(b, "]}\n");
}
