/*
 * OPML subscription lists: reading the outlines of an OPML 1.0/2.0 file
 * (nested folders, titles, categories) and writing an OPML 2.0 document.
 * Reading uses libxml2 with network access, DTDs and entity expansion off;
 * a document with a DOCTYPE is refused. No file or network I/O here: the
 * caller hands over the bytes and takes the output buffer.
 */
#ifndef WW_OPML_H
#define WW_OPML_H

#include <stddef.h>
#include <stdint.h>

struct buf;

#define OPML_MAX_BYTES	(16u * 1024 * 1024)
#define OPML_MAX_DEPTH	32

struct opml_feed {
	char	 *xml_url;	/* the feed, as written (not checked here) */
	char	 *html_url;	/* the site, or NULL */
	char	 *title;	/* title, else text; NULL when neither */
	char	 *type;		/* the type attribute ("rss", ...) or NULL */
	char	**categories;	/* enclosing folders (outermost first), then
				   the category attribute's entries; no
				   duplicates, no commas, no leading '/' */
	size_t	  ncategories;
};

struct opml {
	char		*title;		/* head/title or NULL */
	struct opml_feed *feeds;	/* every outline with an xmlUrl, in order */
	size_t		 nfeeds;
};

/*
 * Parse an OPML document. Text is folded (white space runs become one
 * space, control characters dropped). NULL with a one-line cause when the
 * bytes are not OPML.
 */
struct opml	*opml_parse(const char *data, size_t len, char **cause);
void		 opml_free(struct opml *);

/*
 * Append an OPML 2.0 document listing feeds to b: feeds whose first
 * category is C go in a folder outline "C"; all categories also go in the
 * category attribute ("/a,/b"). Everything is escaped, invalid UTF-8
 * replaced, so the output is well-formed XML whatever the input. created
 * is the dateCreated (Unix seconds).
 */
void	 opml_write(struct buf *b, const char *title,
	    const struct opml_feed *feeds, size_t n, int64_t created);

#endif
