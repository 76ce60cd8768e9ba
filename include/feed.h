/*
 * Feed documents: RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1 read into
 * one in-memory form. Parsing does no I/O: the caller hands over the bytes,
 * the URL they came from and the HTTP Content-Type, if any.
 *
 * Limits (hostile input): a document larger than FEED_MAX_BYTES is refused;
 * at most FEED_MAX_ITEMS items are read from one document (the rest is not
 * parsed at all); text fields are cut at the FEED_MAX_* sizes below, on a
 * UTF-8 character boundary. All text is valid UTF-8.
 *
 * Identity: item.id is the RSS guid, Atom id, RSS 1.0 rdf:about or JSON
 * Feed id, trimmed. Without one it is the item's link; without a link,
 * "fnv1a64:" and the 16 hex digits of the FNV-1a hash of title, published
 * date and (when there is no title) summary. When an id repeats in one
 * document, the first item keeps it; a later item with the same link and
 * title is the same story and dropped, any other gets its fallback id (and
 * is dropped when that is taken too). Items with no id, title, link,
 * summary or content are dropped.
 */
#ifndef WW_FEED_H
#define WW_FEED_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* Largest document feed_parse accepts. */
#define FEED_MAX_BYTES	(32u * 1024 * 1024)

#define FEED_MAX_ITEMS		10000		/* items kept per document */
#define FEED_MAX_TITLE		1024		/* bytes of title text */
#define FEED_MAX_SUMMARY	(64 * 1024)	/* bytes of summary text */
#define FEED_MAX_CONTENT	(256 * 1024)	/* bytes of content text */
#define FEED_MAX_URL		4096		/* links and ids; longer ones are dropped/hashed */
#define FEED_MAX_NAMES		32		/* authors, categories per item */
#define FEED_MAX_NAME		256		/* bytes per author or category */

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
	/* What the parser had to do. */
	int		 recovered;	/* the XML was malformed and was repaired */
	int		 truncated;	/* items past FEED_MAX_ITEMS were not read */
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

/*
 * Bytes in any supported encoding to clean UTF-8: the encoding comes from
 * the BOM, else the XML declaration, else the charset of content_type, else
 * UTF-8. Invalid UTF-8 bytes are read as windows-1252, characters XML
 * forbids (C0 controls, U+FFFE/F) become spaces or U+FFFD, a BOM is
 * removed. Never NULL; caller frees.
 */
char		*feed_to_utf8(const char *data, size_t len, const char *content_type,
		    size_t *outlen);

/* 1 when feed_to_utf8 would return the same bytes (less a UTF-8 BOM). */
int		 feed_utf8_clean(const char *data, size_t len);

/*
 * Internals shared by agent/feed*.c (the XML and JSON readers build items
 * through these).
 */
enum feed_texttype { FT_TEXT, FT_HTML, FT_XHTML };

struct feed_build;

struct feed_build *feed_build_new(const char *format);
/* The builder's feed, for the feed-level fields. */
struct feed	*feed_build_feed(struct feed_build *);
/* Feed-level authors, given to items that name none (Atom, JSON Feed). */
void		 feed_build_author(struct feed_build *, const char *name);
/*
 * Hand over an item (all fields heap or NULL): fills in the fallback id,
 * drops duplicates. Returns 0 when more items may follow, -1 when the item
 * cap is reached.
 */
int		 feed_build_add(struct feed_build *, struct item *);
/* 1 (and the feed marked truncated) when FEED_MAX_ITEMS items are in. */
int		 feed_build_full(struct feed_build *);
struct feed	*feed_build_finish(struct feed_build *);
void		 feed_build_free(struct feed_build *);

void		 item_init(struct item *);
void		 item_release(struct item *);
/* Add an author/category (trimmed, capped, duplicates ignored). */
void		 item_add_author(struct item *, const char *);
void		 item_add_category(struct item *, const char *);

/* Raw field text to plain text (see feed.c); caller frees, NULL if empty. */
char		*feed_text_title(const char *raw, size_t len, enum feed_texttype);
char		*feed_text_body(const char *raw, size_t len, enum feed_texttype,
		    size_t max);
/* Trimmed copy of a URL/id, NULL when empty or longer than FEED_MAX_URL. */
char		*feed_text_trim(const char *raw, size_t len);
/* Resolve a link against base (may be NULL); NULL when unusable. */
char		*feed_resolve(const char *base, const char *ref);

/* feed-xml.c, feed-json.c */
struct feed	*feed_parse_xml(const char *utf8, size_t len, const char *url,
		    char **cause);
struct feed	*feed_parse_json(const char *utf8, size_t len, const char *url,
		    char **cause);

#endif
