/*
 * HTML to plain text with libxml2's HTML parser: entities decoded (HTML named
 * entities too), script/style/head dropped, block elements break words and
 * paragraphs, whitespace folded. Attributes are never part of the text.
 */
#ifndef WW_HTML_H
#define WW_HTML_H

#include <stddef.h>

/*
 * Convert an HTML fragment or document (UTF-8) to text. Paragraph breaks
 * (block elements, <br>) become a single '\n'; every other run of white
 * space becomes one space; no leading or trailing space. Never NULL.
 */
char	*html_to_text(const char *html, size_t len);

/*
 * Text that may carry escaped markup or entities, such as a feed title:
 * decodes entities and markup the way a reader sees it ("AT&amp;amp;T"
 * escaped twice reads "AT&T"), folds all white space to single spaces.
 */
char	*html_title_text(const char *s, size_t len);

/* Resolve ref against base (RFC 3986); NULL when the result is unusable. */
char	*html_resolve_url(const char *base, const char *ref);

#endif
