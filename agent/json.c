/*
 * JSON string output. Any input bytes give valid JSON: invalid UTF-8
 * sequences become U+FFFD, control characters and U+2028/9 are escaped.
 */
#include <string.h>

#include "buf.h"
#include "date.h"
#include "json.h"
#include "utf8.h"

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
			if ((k = utf8_decode(p + i, n - i, NULL)) == 0) {
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
