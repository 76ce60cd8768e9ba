/*
 * Unit tests: the digest model, snippets, and every output format against
 * golden files (tests/fixtures/digest/), with hostile feed text. The Atom
 * output must be well-formed XML (xmllint) and the JSON valid (python3).
 * WW_UPDATE_GOLDEN=1 rewrites the golden files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "digest.h"
#include "util.h"
#include "tap.h"

static const char *
golden_path(const char *name)
{
	static char	path[4096];
	const char	*src = getenv("WW_SRC");

	snprintf(path, sizeof path, "%s/tests/fixtures/digest/%s", src ? src : ".", name);
	return path;
}

static void
check_golden(const char *name, const struct buf *got)
{
	char	*want, *cause = NULL;
	size_t	 len;

	if (getenv("WW_UPDATE_GOLDEN") != NULL) {
		if (util_write_atomic(golden_path(name), got->data, got->len, &cause) == -1)
			printf("# %s\n", cause);
	}
	want = util_read_file(golden_path(name), 1 << 20, &len, &cause);
	ok(want != NULL && len == got->len && memcmp(want, got->data, len) == 0,
	    "%s matches its golden file", name);
	if (want == NULL)
		printf("# %s\n", cause);
	else if (len != got->len || memcmp(want, got->data, len) != 0)
		printf("# got:\n%s\n", got->data);
	free(want);
	free(cause);
}

static int
run_on(const char *cmd, const struct buf *b)
{
	char	path[] = "/tmp/ww-digest-XXXXXX", *c;
	int	fd, rv;

	if ((fd = mkstemp(path)) == -1)
		return -1;
	if (write(fd, b->data, b->len) != (ssize_t)b->len) {
		close(fd);
		return -1;
	}
	close(fd);
	c = xasprintf("%s %s >/dev/null 2>&1", cmd, path);
	rv = system(c);
	free(c);
	unlink(path);
	return rv;
}

static char **
strv(const char *a, const char *b)
{
	char	**v = xcalloc(3, sizeof *v);

	v[0] = xstrdup(a);
	if (b != NULL)
		v[1] = xstrdup(b);
	return v;
}

static struct digest *
sample(void)
{
	struct digest	*d;
	struct dgroup	*g;
	struct dstory	*s;
	struct dmark	 r[2];
	const char	*text = "Chinese leader Xi Jinping welcomed Belarusian President "
	    "Alexander Lukashenko in Beijing on Wednesday, and both sides pledged "
	    "to deepen defence and security ties amid the war in Ukraine.";

	d = digest_new("wirewatch digest", 1764230400, 1764316800, 1764316800);
	g = digest_group(d, "china-belarus", "China–Belarus ties", PRIO_HIGH);
	s = digest_story_add(g);
	s->title = xstrdup("Xi & Lukashenko <b>pledge</b> closer ties");
	s->link = xstrdup("https://news.example.org/world/xi-lukashenko?id=1&x=(2)");
	s->time = 1764300000;
	digest_story_add_source(s, "Example Wire", "https://news.example.org/world/xi-lukashenko?id=1&x=(2)");
	digest_story_add_source(s, "Daily *Example*", NULL);
	s->actors = strv("china", "belarus");
	s->nactors = 2;
	s->topics = strv("military-cooperation", NULL);
	s->ntopics = 1;
	r[0].start = strstr(text, "Xi Jinping") - text;
	r[0].end = r[0].start + 10;
	r[1].start = strstr(text, "Lukashenko") - text;
	r[1].end = r[1].start + 10;
	s->snippet = digest_snippet(text, r, 2, 400, &s->marks, &s->nmarks);

	g = digest_group(d, "sanctions-belarus-russia", "Sanctions on Belarus or Russia", PRIO_NORMAL);
	s = digest_story_add(g);
	s->title = xstrdup("Hostile \x1b[31mred\x1b[0m title ](javascript:x) <script>alert(1)</script> `code` \xe2\x80\xae""evil");
	s->link = xstrdup("javascript:alert(1)");
	s->time = 1764290000;
	digest_story_add_source(s, "Feed \"quoted\" & <b>", "file:///etc/passwd");
	s = digest_story_add(g);
	s->title = xstrdup("Older story");
	s->link = xstrdup("http://example.net/old");
	s->time = 1764240000;
	digest_story_add_source(s, "Other", NULL);
	digest_sort(d);
	return d;
}

int
main(void)
{
	struct digest	*d;
	struct buf	 b;
	struct dmark	*m, r;
	size_t		 nm;
	char		*snip;
	const char	*long_text = "one two three four five six seven eight nine ten "
	    "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen";

	/* snippets */
	r.start = strstr(long_text, "twelve") - long_text;
	r.end = r.start + 6;
	snip = digest_snippet(long_text, &r, 1, 40, &m, &nm);
	ok(strncmp(snip, "…", 3) == 0, "a snippet cut at the front starts with an ellipsis");
	ok(nm == 1 && strncmp(snip + m[0].start, "twelve", 6) == 0,
	    "the mark is moved with the cut: '%s'", snip);
	ok(strlen(snip) <= 40 + 6, "the snippet stays near its width (%zu)", strlen(snip));
	free(snip);
	free(m);
	r.start = 0;
	r.end = 3;
	snip = digest_snippet("ab\x01\x7f" "c\xff" "d", &r, 1, 100, &m, &nm);
	is_str(snip, "ab  c?d", "control and invalid bytes are blanked in place");
	is_int(m[0].end, 3, "marks keep their offsets after cleaning");
	free(snip);
	free(m);

	d = sample();
	is_int(digest_count(d), 3, "three stories");
	is_str(d->groups[0].watch, "china-belarus", "groups sorted by priority");
	ok(d->groups[1].stories[0].time > d->groups[1].stories[1].time, "stories newest first");

	buf_init(&b, 0);
	digest_render(d, DIGEST_TEXT, 0, &b);
	check_golden("digest.txt", &b);
	ok(strchr(b.data, '\x1b') == NULL, "no escape character reaches plain text");
	ok(strstr(b.data, "\xe2\x80\xae") == NULL, "no bidi override reaches plain text");
	ok(strstr(b.data, "javascript:") == NULL || strstr(b.data, "  javascript:") == NULL,
	    "a javascript: link is not printed as a link");
	buf_reset(&b);
	digest_render(d, DIGEST_TEXT, 1, &b);
	ok(strstr(b.data, "\033[1;33mXi Jinping\033[0m") != NULL, "colour highlights the match");

	buf_reset(&b);
	digest_render(d, DIGEST_MARKDOWN, 0, &b);
	check_golden("digest.md", &b);
	ok(strstr(b.data, "<script>") == NULL, "markdown escapes HTML");
	ok(strstr(b.data, "](javascript") == NULL, "markdown never links javascript:");

	buf_reset(&b);
	digest_render(d, DIGEST_HTML, 0, &b);
	check_golden("digest.html", &b);
	ok(strstr(b.data, "<script") == NULL, "html has no script element");
	ok(strstr(b.data, "href=\"javascript") == NULL && strstr(b.data, "href=\"file") == NULL,
	    "html links only http(s)");
	ok(strstr(b.data, "<mark>Lukashenko</mark>") != NULL, "html highlights the match");
	is_int(run_on("xmllint --html --noout", &b), 0, "html parses cleanly");

	buf_reset(&b);
	digest_render(d, DIGEST_JSON, 0, &b);
	check_golden("digest.json", &b);
	is_int(run_on("python3 -m json.tool", &b), 0, "json is valid");

	buf_reset(&b);
	digest_render(d, DIGEST_ATOM, 0, &b);
	check_golden("digest.atom", &b);
	is_int(run_on("xmllint --noout", &b), 0, "atom is well-formed XML");
	ok(strstr(b.data, "<category term=\"china-belarus\"") != NULL, "atom entries carry the watch");
	digest_free(d);

	d = digest_new("empty", 0, 3600, 3600);
	buf_reset(&b);
	digest_render(d, DIGEST_TEXT, 0, &b);
	ok(strstr(b.data, "No matching articles") != NULL, "an empty window says so");
	digest_free(d);
	is_int(digest_format_parse("md"), DIGEST_MARKDOWN, "md is markdown");
	is_int(digest_format_parse("pdf"), -1, "unknown format refused");
	buf_release(&b);
	return tap_done();
}
