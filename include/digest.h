/*
 * Digests: one in-memory model (groups of stories) rendered by one writer per
 * format (digest-text.c, digest-md.c, digest-html.c, digest-json.c,
 * digest-atom.c). Writers escape every piece of feed data for their format
 * and link only http(s) URLs. No I/O here: callers write the buffer.
 */
#ifndef WW_DIGEST_H
#define WW_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "rules.h"

struct buf;

struct dmark {
	size_t		 start, end;	/* byte range in the snippet to highlight */
};

struct dsource {
	char		*name;		/* feed name */
	char		*link;		/* this source's link to the story, may be NULL */
};

struct dstory {
	char		*title;
	char		*link;		/* may be NULL */
	int64_t		 time;		/* published, else first seen */
	struct dsource	*sources;
	size_t		 nsources;
	char		**actors;
	size_t		 nactors;
	char		**topics;
	size_t		 ntopics;
	char		*snippet;	/* plain text, may be NULL */
	struct dmark	*marks;
	size_t		 nmarks;
};

struct dgroup {
	char		*watch;		/* watch id */
	char		*label;		/* section title */
	enum priority	 priority;
	struct dstory	*stories;	/* newest first */
	size_t		 nstories;
};

struct digest {
	char		*title;
	int64_t		 since, until;	/* the window */
	int64_t		 generated;
	struct dgroup	*groups;
	size_t		 ngroups;
};

enum digest_format { DIGEST_TEXT, DIGEST_MARKDOWN, DIGEST_HTML, DIGEST_JSON, DIGEST_ATOM };

/* Parse a format name ("text", "markdown"/"md", "html", "json", "atom"); -1 if unknown. */
int		 digest_format_parse(const char *);
/* Render d; color: ANSI colour for the text format (only on a terminal). */
void		 digest_render(const struct digest *d, enum digest_format, int color,
		    struct buf *out);

struct digest	*digest_new(const char *title, int64_t since, int64_t until, int64_t generated);
void		 digest_free(struct digest *);
/* Find or append the group of a watch. */
struct dgroup	*digest_group(struct digest *, const char *watch, const char *label,
		    enum priority);
/* Append an empty story to a group and return it (fields are the caller's to fill with heap strings). */
struct dstory	*digest_story_add(struct dgroup *);
void		 digest_story_add_source(struct dstory *, const char *name, const char *link);
/* Sort each group's stories newest first, and groups by priority then label. */
void		 digest_sort(struct digest *);
size_t		 digest_count(const struct digest *);

/*
 * A snippet of text of about width bytes around the first highlighted range,
 * cut at word boundaries with "…" where cut; the ranges (byte offsets into
 * text, any order, may overlap) are mapped into the snippet as marks.
 */
char		*digest_snippet(const char *text, const struct dmark *ranges, size_t n,
		    size_t width, struct dmark **marks, size_t *nmarks);

/* Internal: one writer per format. */
void		 digest_text(const struct digest *, int color, struct buf *);
void		 digest_markdown(const struct digest *, struct buf *);
void		 digest_html(const struct digest *, struct buf *);
void		 digest_json(const struct digest *, struct buf *);
void		 digest_atom(const struct digest *, struct buf *);
/* Shared by the writers: 1 when url is an http(s) URL safe to link. */
int		 digest_link_ok(const char *url);
/* "2026-11-28 08:10 UTC" into out[32]. */
void		 digest_time(int64_t t, char out[32]);
/* Feed text without control characters (C0, C1, DEL, bidi overrides) or invalid UTF-8. */
char		*digest_clean(const char *s);

#endif
