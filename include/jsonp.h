/*
 * A small JSON parser (RFC 8259) for JSON Feed: the whole text into a tree.
 * Hostile input is bounded: nesting depth at most JSONP_MAX_DEPTH, arrays
 * keep at most JSONP_MAX_ELEMS elements and objects JSONP_MAX_MEMBERS
 * members (the rest is checked for syntax and skipped), and the tree holds
 * at most JSONP_MAX_NODES values in all. The input must be valid UTF-8
 * (feed_to_utf8 makes it so); escaped lone surrogates and \u0000 become
 * U+FFFD, so every string is a C string. No I/O.
 */
#ifndef WW_JSONP_H
#define WW_JSONP_H

#include <stddef.h>

#define JSONP_MAX_DEPTH		64
#define JSONP_MAX_ELEMS		10000
#define JSONP_MAX_MEMBERS	1000
#define JSONP_MAX_NODES		1000000

enum jsonp_type {
	JSONP_NULL, JSONP_FALSE, JSONP_TRUE, JSONP_NUMBER, JSONP_STRING,
	JSONP_ARRAY, JSONP_OBJECT
};

struct jsonp {
	enum jsonp_type	 type;
	char		*str;		/* STRING: the text; NUMBER: as written */
	char		*key;		/* member name when inside an object */
	struct jsonp	*kids;		/* ARRAY elements, OBJECT members */
	size_t		 nkids;
};

/* Parse len bytes; NULL and a one-line *cause on a syntax error. */
struct jsonp		*jsonp_parse(const char *s, size_t len, char **cause);
void			 jsonp_free(struct jsonp *);
/* Member key of an object (the first one), or NULL. */
const struct jsonp	*jsonp_get(const struct jsonp *, const char *key);
/* The text of a string value, or NULL for anything else (and NULL). */
const char		*jsonp_str(const struct jsonp *);

#endif
