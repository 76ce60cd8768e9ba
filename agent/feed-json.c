/*
 * The JSON Feed reader (versions 1.0 and 1.1, https://jsonfeed.org/): the
 * tree of jsonp.c to the items of feed.c. Plain-text fields (title,
 * summary, content_text) are read as text, content_html as HTML; 1.0's
 * "author" and 1.1's "authors" are both read, at feed and item level. No
 * I/O and no libxml2 here.
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "feed.h"
#include "jsonp.h"
#include "util.h"

static void
json_authors(const struct jsonp *v, void (*add)(void *, const char *), void *arg)
{
	const struct jsonp	*a;
	size_t			 i;

	if ((a = jsonp_get(v, "authors")) != NULL && a->type == JSONP_ARRAY) {
		for (i = 0; i < a->nkids; i++)
			add(arg, jsonp_str(jsonp_get(&a->kids[i], "name")));
	}
	if ((a = jsonp_get(v, "author")) != NULL)
		add(arg, jsonp_str(jsonp_get(a, "name")));
}

static void
add_feed_author(void *arg, const char *name)
{
	if (name != NULL)
		feed_build_author(arg, name);
}

static void
add_item_author(void *arg, const char *name)
{
	item_add_author(arg, name);
}

static char *
json_text(const struct jsonp *v, const char *key, int title, size_t max)
{
	const char	*s = jsonp_str(jsonp_get(v, key));

	if (s == NULL)
		return NULL;
	if (title)
		return feed_text_title(s, strlen(s), FT_TEXT);
	return feed_text_body(s, strlen(s), FT_TEXT, max);
}

static int64_t
json_when(const struct jsonp *v, const char *key)
{
	const char	*s = jsonp_str(jsonp_get(v, key));

	return s != NULL ? date_parse(s) : DATE_NONE;
}

static void
json_item(struct feed_build *fb, const struct jsonp *v, const char *base)
{
	const struct jsonp	*x;
	struct item		 it;
	const char		*s;
	size_t			 i;

	if (v->type != JSONP_OBJECT)
		return;
	item_init(&it);
	if ((x = jsonp_get(v, "id")) != NULL &&
	    (x->type == JSONP_STRING || x->type == JSONP_NUMBER) && x->str != NULL)
		it.id = feed_text_trim(x->str, strlen(x->str));
	if ((s = jsonp_str(jsonp_get(v, "url"))) == NULL)
		s = jsonp_str(jsonp_get(v, "external_url"));
	it.link = feed_resolve(base, s);
	it.title = json_text(v, "title", 1, 0);
	it.summary = json_text(v, "summary", 0, FEED_MAX_SUMMARY);
	if ((s = jsonp_str(jsonp_get(v, "content_html"))) != NULL)
		it.content = feed_text_body(s, strlen(s), FT_HTML, FEED_MAX_CONTENT);
	if (it.content == NULL)
		it.content = json_text(v, "content_text", 0, FEED_MAX_CONTENT);
	it.published = json_when(v, "date_published");
	it.updated = json_when(v, "date_modified");
	json_authors(v, add_item_author, &it);
	if ((x = jsonp_get(v, "tags")) != NULL && x->type == JSONP_ARRAY)
		for (i = 0; i < x->nkids; i++)
			item_add_category(&it, jsonp_str(&x->kids[i]));
	feed_build_add(fb, &it);
}

struct feed *
feed_parse_json(const char *utf8, size_t len, const char *url, char **cause)
{
	struct feed_build	*fb;
	struct feed		*f;
	struct jsonp		*doc;
	const struct jsonp	*items;
	const char		*version, *base;
	size_t			 i;

	if ((doc = jsonp_parse(utf8, len, cause)) == NULL)
		return NULL;
	version = jsonp_str(jsonp_get(doc, "version"));
	if (version == NULL || strstr(version, "jsonfeed.org/version/") == NULL) {
		*cause = xstrdup("not a feed: JSON but not a JSON Feed");
		jsonp_free(doc);
		return NULL;
	}
	fb = feed_build_new("jsonfeed");
	f = feed_build_feed(fb);
	f->title = json_text(doc, "title", 1, 0);
	f->link = feed_resolve(url, jsonp_str(jsonp_get(doc, "home_page_url")));
	json_authors(doc, add_feed_author, fb);
	base = url != NULL ? url : f->link;
	if ((items = jsonp_get(doc, "items")) != NULL && items->type == JSONP_ARRAY) {
		for (i = 0; i < items->nkids; i++) {
			if (feed_build_full(fb))
				break;
			json_item(fb, &items->kids[i], base);
		}
		/* jsonp keeps JSONP_MAX_ELEMS (== FEED_MAX_ITEMS) elements. */
		if (items->nkids >= FEED_MAX_ITEMS)
			feed_build_full(fb);
	}
	jsonp_free(doc);
	return feed_build_finish(fb);
}
