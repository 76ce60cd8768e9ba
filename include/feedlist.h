/*
 * The feeds file (CONFIG/feeds): the user's list of feeds, hand-editable.
 * One feed a line, a URL followed by options; '#' starts a comment at the
 * start of a line or after white space:
 *
 *	# world news
 *	https://example.com/world.rss  name="Example World" interval=30m tag=world
 *	./samples/local.xml            tag=test,local
 *
 * Options: name="..." (or a bare word), interval=DURATION (90s, 30m, 2h,
 * 1d, or sums such as 1h30m; at least 1m), tag=T (repeatable, commas split
 * several). Quoted values take \" and \\. http:// and https:// URLs are
 * feeds on the web; a local file (file:///abs/path, /abs/path, ./rel,
 * ../rel, ~/rel; relative to the feeds file's directory) is allowed only
 * here, never from an OPML import or a redirect.
 *
 * This module reads and edits that file and nothing else: no network, no
 * state database. Edits keep every other line (comments included) as it
 * was and replace the file atomically.
 */
#ifndef WW_FEEDLIST_H
#define WW_FEEDLIST_H

#include <stddef.h>

#define FEEDLIST_MAX_BYTES	(4u * 1024 * 1024)
#define FEEDLIST_MIN_INTERVAL	60L
#define FEEDLIST_MAX_INTERVAL	(30L * 86400)

struct feedlist_entry {
	char		*url;		/* as written: the feed's identity */
	char		*path;		/* local feeds: the file to read, else NULL */
	char		*name;		/* NULL when none */
	char		**tags;
	size_t		 ntags;
	long		 interval;	/* seconds, 0: the default */
	unsigned	 line;		/* in the file, from 1 */
};

struct feedlist {
	char			*file;		/* the path read, for messages */
	struct feedlist_entry	*v;
	size_t			 n;
	char			**errors;	/* "FILE:LINE: message" */
	size_t			 nerrors;
};

/*
 * Read a feeds file. A missing file is an empty list. Lines with errors
 * are left out and described in ->errors; the rest is used. NULL with a
 * cause only when the file cannot be read.
 */
struct feedlist	*feedlist_load(const char *path, char **cause);
/* Parse text as the feeds file name (for messages and relative paths). */
struct feedlist	*feedlist_parse(const char *name, const char *text, size_t len);
void		 feedlist_free(struct feedlist *);

/*
 * The entry whose URL is key, else the one whose name is key (ASCII case
 * ignored). NULL when none; *ambiguous (may be NULL) is set when several
 * entries have that name.
 */
const struct feedlist_entry *feedlist_find(const struct feedlist *,
		    const char *key, int *ambiguous);

/*
 * Append n feeds (url, name, tags, interval; line and path are ignored) to
 * the file in one atomic write, creating it when missing. Nothing is
 * written when a URL is already listed (in the file or twice in v) or an
 * entry does not validate. 0 or -1 with a cause.
 */
int	 feedlist_add(const char *path, const struct feedlist_entry *v,
	    size_t n, char **cause);
/*
 * Remove the line of the feed whose URL or name is key. Returns 1 and the
 * removed URL in *url (may be NULL; caller frees), 0 when no feed matches,
 * -1 with a cause (also for an ambiguous name).
 */
int	 feedlist_remove(const char *path, const char *key, char **url,
	    char **cause);

/* The line for an entry, without newline, as feedlist_add writes it. */
char	*feedlist_format(const struct feedlist_entry *);

/*
 * Check a feed URL: returns 'h' for http(s), 'l' for a local file (only
 * when allow_local), or 0 with a cause.
 */
int	 feedlist_check_url(const char *url, int allow_local, char **cause);
/* "90s", "30m", "1h30m": seconds, or -1 when unreadable. */
long	 feedlist_parse_interval(const char *s);
/* Seconds as the shortest such duration ("1h30m"). Caller frees. */
char	*feedlist_format_interval(long seconds);
/* The tags joined with ',' or NULL when none. Caller frees. */
char	*feedlist_tags(const struct feedlist_entry *);

#endif
