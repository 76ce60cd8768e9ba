/*
 * HTML to plain text with libxml2's HTML parser: entities decoded (HTML named
 * entities too), script/style/head dropped, block elements break words and
 * paragraphs, whitespace folded. Attributes are never part of the text.
 *
 * Input may be anything: invalid UTF-8 reads as U+FFFD, NUL bytes are
 * dropped, other control characters are spaces, U+0080..U+009F are read as
 * the Windows-1252 characters they stand for; past 32 MiB input is cut.
 * Output is always valid UTF-8 without control characters (but '\n').
 * Functions are pure and safe to call from several threads.
 */
#ifndef WW_HTML_H
#define WW_HTML_H

#include <stddef.h>

/*
 * Convert an HTML fragment or document (UTF-8) to text. Paragraph breaks
 * (block elements, <br>) become a single '\n'; every other run of white
 * space becomes one space; no leading or trailing space, no empty
 * paragraph. Inline elements do not break words ("a<b>b</b>" is "ab"),
 * table cells are separated by a space. Images give no text. Input with no
 * tag at all whose entities decode to markup ("&lt;p&gt;x&lt;/p&gt;") is
 * read as that markup. Never NULL; NULL input is "".
 */
char	*html_to_text(const char *html, size_t len);

/*
 * Text that may carry escaped markup or entities, such as a feed title:
 * decodes entities and markup the way a reader sees it ("AT&amp;amp;T"
 * escaped twice reads "AT&T"), folds all white space to single spaces.
 * Decoded text counts as markup only when it holds real tags (a closing tag
 * of an HTML element, or <br>, <hr>, <img>, <wbr>): "5 &lt; 6" reads
 * "5 < 6" and "Why &lt;div&gt; fails" keeps its "<div>". Never NULL.
 */
char	*html_title_text(const char *s, size_t len);

/*
 * Resolve ref against base (RFC 3986 section 5, with a same-scheme
 * "http:g" read as relative, as browsers do). Surrounding white space is
 * trimmed, tabs and line ends removed, spaces and non-ASCII bytes
 * percent-encoded. NULL when the result is unusable: ref NULL or empty,
 * a javascript:, vbscript: or data: URL, a relative ref without an
 * absolute base, or more than 64 KiB. base may be NULL.
 */
char	*html_resolve_url(const char *base, const char *ref);

#endif
