/*
 * libFuzzer target: OPML import (opml_parse) on arbitrary bytes, and
 * export of what it read (opml_write). Besides crashes it checks what an
 * import promises: every feed has a URL, categories have no comma, no
 * leading '/' and no duplicates, text has no control character; and that
 * the document opml_write makes from the feeds parses again with the same
 * feeds (as a set: the writer groups feeds by folder).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "opml.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_text(const char *s)
{
	const unsigned char *p;

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
}

static void
check(const struct opml *o)
{
	const struct opml_feed *f;
	size_t		 i, j, k;

	check_text(o->title);
	for (i = 0; i < o->nfeeds; i++) {
		f = &o->feeds[i];
		if (f->xml_url == NULL)
			abort();
		check_text(f->xml_url);
		check_text(f->html_url);
		check_text(f->title);
		check_text(f->type);
		for (j = 0; j < f->ncategories; j++) {
			if (f->categories[j] == NULL ||
			    f->categories[j][0] == '/' ||
			    strchr(f->categories[j], ',') != NULL)
				abort();
			check_text(f->categories[j]);
			for (k = 0; k < j; k++)
				if (strcmp(f->categories[k],
				    f->categories[j]) == 0)
					abort();
		}
	}
}

static int
cmp_url(const void *a, const void *b)
{
	const struct opml_feed *fa = a, *fb = b;

	return strcmp(fa->xml_url, fb->xml_url);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opml	*o, *back;
	struct buf	 b;
	char		*cause = NULL;
	size_t		 i;

	o = opml_parse((const char *)data, size, &cause);
	if (o == NULL) {
		if (cause == NULL || strchr(cause, '\n') != NULL)
			abort();
		free(cause);
		return 0;
	}
	check(o);

	buf_init(&b, 0);
	opml_write(&b, o->title, o->feeds, o->nfeeds, 1700000000);
	back = opml_parse(b.data, b.len, &cause);
	if (back == NULL || back->nfeeds != o->nfeeds)
		abort();
	if (o->nfeeds > 1) {
		qsort(o->feeds, o->nfeeds, sizeof o->feeds[0], cmp_url);
		qsort(back->feeds, back->nfeeds, sizeof back->feeds[0],
		    cmp_url);
	}
	for (i = 0; i < o->nfeeds; i++)
		if (strcmp(back->feeds[i].xml_url, o->feeds[i].xml_url) != 0)
			abort();
	opml_free(back);
	buf_release(&b);
	opml_free(o);
	return 0;
}
