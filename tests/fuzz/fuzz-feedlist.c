/*
 * libFuzzer target: the feeds-file parser (feedlist_parse) on arbitrary
 * bytes, handed over without a terminating NUL so that any read past the
 * length shows. Besides crashes it checks every entry it keeps: a URL that
 * feedlist_check_url accepts, an interval of 0 or within the limits, tags
 * and names without NUL, a line number inside the input; and that the line
 * feedlist_format writes for an entry reads back as the same entry.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feedlist.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
check_entry(const struct feedlist_entry *e, unsigned nlines)
{
	struct feedlist	*back;
	const struct feedlist_entry *f;
	char		*line, *cause = NULL;
	size_t		 i;
	int		 kind;

	if (e->url == NULL || e->line == 0 || e->line > nlines)
		abort();
	kind = feedlist_check_url(e->url, 1, &cause);
	free(cause);
	if (kind == 0 || (kind == 'l') != (e->path != NULL))
		abort();
	if (e->interval != 0 && (e->interval < FEEDLIST_MIN_INTERVAL ||
	    e->interval > FEEDLIST_MAX_INTERVAL))
		abort();
	for (i = 0; i < e->ntags; i++)
		if (e->tags[i] == NULL || e->tags[i][0] == '\0' ||
		    strchr(e->tags[i], ',') != NULL)
			abort();

	/* What feedlist_add would write reads back as the same feed. */
	line = feedlist_format(e);
	if (strchr(line, '\n') != NULL)
		abort();
	back = feedlist_parse("/fuzz/feeds", line, strlen(line));
	if (back->n != 1 || back->nerrors != 0)
		abort();
	f = &back->v[0];
	if (!same_str(f->url, e->url) || !same_str(f->name, e->name) ||
	    f->interval != e->interval || f->ntags != e->ntags)
		abort();
	for (i = 0; i < e->ntags; i++)
		if (strcmp(f->tags[i], e->tags[i]) != 0)
			abort();
	feedlist_free(back);
	free(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feedlist	*fl;
	char		*copy;
	unsigned	 nlines = 1;
	size_t		 i;

	/* An exact-size copy: no NUL after the last byte. */
	copy = malloc(size == 0 ? 1 : size);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	for (i = 0; i < size; i++)
		if (data[i] == '\n')
			nlines++;
	fl = feedlist_parse("/fuzz/feeds", copy, size);
	if (fl == NULL)
		abort();
	for (i = 0; i < fl->n; i++)
		check_entry(&fl->v[i], nlines);
	for (i = 0; i < fl->nerrors; i++)
		if (fl->errors[i] == NULL || strchr(fl->errors[i], '\n') != NULL)
			abort();
	feedlist_free(fl);
	free(copy);
	return 0;
}
