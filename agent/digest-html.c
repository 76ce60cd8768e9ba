/*
 * Digest as one self-contained HTML page: inline CSS that reads well on a
 * phone, no JavaScript, no external resources, every piece of feed text
 * escaped, only http(s) links (opened without referrer).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "digest.h"
#include "util.h"

static const char html_css[] =
	"body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
	"margin:0 auto;max-width:46rem;padding:1rem;color:#1b1b1b;background:#fdfdfc}"
	"h1{font-size:1.5rem;margin:.5rem 0 0}"
	".window{color:#555;margin:0 0 1.5rem}"
	"h2{font-size:1.15rem;border-bottom:2px solid #d8d4c8;padding-bottom:.2rem;"
	"margin:2rem 0 .5rem}"
	"h2 .n{color:#777;font-weight:normal}"
	"article{margin:0 0 1.25rem}"
	"h3{font-size:1.05rem;margin:0 0 .2rem}"
	"a{color:#0b4f8a;text-decoration:none}a:hover{text-decoration:underline}"
	".meta{font-size:.85rem;color:#555;margin:0 0 .3rem}"
	".tag{display:inline-block;background:#eef2f6;border-radius:.6rem;"
	"padding:0 .45rem;margin:0 .2rem .2rem 0;font-size:.8rem}"
	".tag.t{background:#f4efe2}"
	"p.snip{margin:0;color:#333}mark{background:#fff0a8;padding:0 .1rem}"
	".prio-critical h2{border-color:#b3261e}.prio-high h2{border-color:#d9822b}"
	".empty{color:#555;font-style:italic}"
	"@media (prefers-color-scheme:dark){body{background:#151515;color:#e6e6e6}"
	"a{color:#8cc4ff}.meta,.window,h2 .n{color:#aaa}.tag{background:#2a3440}"
	".tag.t{background:#3a3426}p.snip{color:#ccc}mark{background:#6b5b00;color:#fff}}";

static void
h_esc_n(struct buf *b, const char *s, size_t n)
{
	buf_add_xml(b, s, n);
}

static void
h_esc(struct buf *b, const char *s)
{
	char	*c = digest_clean(s);

	h_esc_n(b, c, strlen(c));
	free(c);
}

static void
h_time(struct buf *b, int64_t t)
{
	char	iso[32], shown[32];

	date_format(t, iso);
	memcpy(shown, iso, sizeof shown);
	shown[10] = ' ';
	shown[16] = '\0';
	buf_addf(b, "<time datetime=\"%s\">%s UTC</time>", iso, shown);
}

static void
h_link(struct buf *b, const char *url, const char *text)
{
	if (digest_link_ok(url)) {
		buf_adds(b, "<a href=\"");
		h_esc(b, url);
		buf_adds(b, "\" rel=\"noopener noreferrer\">");
		h_esc(b, text);
		buf_adds(b, "</a>");
	} else
		h_esc(b, text);
}

static void
h_story(struct buf *b, const struct dstory *s)
{
	size_t	i, pos;

	buf_adds(b, "<article>\n<h3>");
	h_link(b, s->link, s->title != NULL ? s->title : "(no title)");
	buf_adds(b, "</h3>\n<p class=\"meta\">");
	for (i = 0; i < s->nsources; i++) {
		if (i)
			buf_adds(b, ", ");
		h_link(b, s->sources[i].link, s->sources[i].name);
	}
	if (s->nsources)
		buf_adds(b, " · ");
	h_time(b, s->time);
	buf_adds(b, "<br>");
	for (i = 0; i < s->nactors; i++) {
		buf_adds(b, "<span class=\"tag\">");
		h_esc(b, s->actors[i]);
		buf_adds(b, "</span>");
	}
	for (i = 0; i < s->ntopics; i++) {
		buf_adds(b, "<span class=\"tag t\">");
		h_esc(b, s->topics[i]);
		buf_adds(b, "</span>");
	}
	buf_adds(b, "</p>\n");
	if (s->snippet != NULL && *s->snippet != '\0') {
		buf_adds(b, "<p class=\"snip\">");
		pos = 0;
		for (i = 0; i < s->nmarks; i++) {
			h_esc_n(b, s->snippet + pos, s->marks[i].start - pos);
			buf_adds(b, "<mark>");
			h_esc_n(b, s->snippet + s->marks[i].start,
			    s->marks[i].end - s->marks[i].start);
			buf_adds(b, "</mark>");
			pos = s->marks[i].end;
		}
		h_esc_n(b, s->snippet + pos, strlen(s->snippet + pos));
		buf_adds(b, "</p>\n");
	}
	buf_adds(b, "</article>\n");
}

static const char *
prio_name(enum priority p)
{
	static const char *const names[] = { "low", "normal", "high", "critical" };

	return (unsigned)p < nitems(names) ? names[p] : "normal";
}

void
digest_html(const struct digest *d, struct buf *b)
{
	size_t	i, j, n = digest_count(d);

	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<meta name=\"referrer\" content=\"no-referrer\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	    "style-src 'unsafe-inline'\">\n<title>");
	h_esc(b, d->title);
	buf_addf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>", html_css);
	h_esc(b, d->title);
	buf_adds(b, "</h1>\n<p class=\"window\">");
	h_time(b, d->since);
	buf_adds(b, " to ");
	h_time(b, d->until);
	buf_addf(b, " · %zu %s</p>\n</header>\n<main>\n", n, n == 1 ? "story" : "stories");
	if (n == 0)
		buf_adds(b, "<p class=\"empty\">No matching articles in this window.</p>\n");
	for (i = 0; i < d->ngroups; i++) {
		const struct dgroup *g = &d->groups[i];

		if (g->nstories == 0)
			continue;
		buf_addf(b, "<section class=\"prio-%s\">\n<h2>", prio_name(g->priority));
		h_esc(b, g->label);
		buf_addf(b, " <span class=\"n\">(%zu)</span></h2>\n", g->nstories);
		for (j = 0; j < g->nstories; j++)
			h_story(b, &g->stories[j]);
		buf_adds(b, "</section>\n");
	}
	buf_adds(b, "</main>\n</body>\n</html>\n");
}
