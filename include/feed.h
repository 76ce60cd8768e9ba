/*
 * Feed documents: RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1 read into
 * one in-memory form. Parsing does no I/O: the caller hands over the bytes,
 * the URL they came from and the HTTP Content-Type, if any.
 */
#ifndef WW_FEED_H
#define WW_FEED_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* Largest document feed_parse accepts. */
#define FEED_MAX_BYTES	(32u * 1024 * 1024)

struct item {
	char	 *id;		/* guid / Atom id / JSON Feed id, or the fallback */
	char	 *title;	/* plain text */
	char	 *link;		/* absolute URL or NULL */
	char	 *summary;	/* plain text or NULL */
	char	 *content;	/* plain text or NULL */
	char	**authors;
	size_t	  nauthors;
	char	**categories;
	size_t	  ncategories;
	int64_t	  published;	/* DATE_NONE when unknown */
	int64_t	  updated;	/* DATE_NONE when unknown */
};

struct feed {
	const char	*format;	/* "rss2.0", "rss1.0", "rss0.9x", "atom1.0", "atom0.3", "jsonfeed" */
	char		*title;
	char		*link;
	struct item	*items;
	size_t		 nitems;
	/* Politeness hints, 0 when absent. */
	int		 ttl;		/* RSS <ttl>, minutes */
	uint32_t	 skiphours;	/* bit h set: skip hour h (UTC) */
	uint8_t		 skipdays;	/* bit d set: skip weekday d (0 = Sunday) */
	long		 update_period;	/* sy:updatePeriod/Frequency, seconds */
};

/*
 * Parse a feed. url resolves relative links (may be NULL); content_type is
 * the HTTP header value for its charset (may be NULL). Returns NULL and a
 * one-line message in *cause when the bytes are no feed (an HTML page, empty,
 * garbage). Malformed XML is recovered where possible.
 */
struct feed	*feed_parse(const char *data, size_t len, const char *url,
		    const char *content_type, char **cause);
void		 feed_free(struct feed *);
/* The JSON object of `wirewatch parse` (DESIGN.md). */
void		 feed_to_json(const struct feed *, struct buf *);

#endif
