/*
 * JSON string output. Any input bytes give valid JSON: invalid UTF-8
 * sequences become U+FFFD, control characters and U+2028/9 are escaped.
 */
#include <string.h>

#include "buf.h"
#include "date.h"
#include "json.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned	c = s[0];
	size_t		len, i;
	unsigned	cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

void
json_strn(struct buf *b, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k;

	buf_addc(b, '"');
	while (i < n) {
		unsigned char c = p[i];

		switch (c) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				buf_addf(b, "\\u%04x", c);
				break;
			}
			if (c < 0x80) {
				buf_addc(b, c);
				break;
			}
			if ((k = utf8_seq(p + i, n - i)) == 0) {
				buf_adds(b, "\\ufffd");
				break;
			}
			if (k == 3 && p[i] == 0xe2 && p[i + 1] == 0x80 &&
			    (p[i + 2] == 0xa8 || p[i + 2] == 0xa9))
				buf_addf(b, "\\u%04x", p[i + 2] == 0xa8 ? 0x2028 : 0x2029);
			else
				buf_add(b, p + i, k);
			i += k;
			continue;
		}
		i++;
	}
	buf_addc(b, '"');
}

void
json_str(struct buf *b, const char *s)
{
	if (s == NULL)
		buf_adds(b, "null");
	else
		json_strn(b, s, strlen(s));
}

void
json_date(struct buf *b, int64_t t)
{
	char	tmp[32];

	if (t == DATE_NONE) {
		buf_adds(b, "null");
		return;
	}
	date_format(t, tmp);
	buf_addf(b, "\"%s\"", tmp);
}
