/* Unit tests: buf.c and json.c. */
#include <stdlib.h>

#include "buf.h"
#include "json.h"
#include "tap.h"

int
main(void)
{
	struct buf	b;
	char		*s;

	buf_init(&b, 8);
	ok(buf_adds(&b, "12345678") == 0, "fills up to the cap");
	ok(buf_addc(&b, 'x') == -1, "refuses a byte past the cap");
	is_int(b.len, 8, "length unchanged after refusal");
	buf_release(&b);

	buf_init(&b, 0);
	buf_addf(&b, "%d-%s", 42, "x");
	s = buf_steal(&b);
	is_str(s, "42-x", "buf_addf formats");
	free(s);

	buf_init(&b, 0);
	json_str(&b, "a\"b\\c\n\x01<\xe2\x80\xa8>");
	is_str(b.data, "\"a\\\"b\\\\c\\n\\u0001<\\u2028>\"", "json escapes quotes, controls, U+2028");
	buf_reset(&b);
	json_strn(&b, "ok\xff\xc3", 4);
	is_str(b.data, "\"ok\\ufffd\\ufffd\"", "invalid UTF-8 becomes U+FFFD");
	buf_reset(&b);
	json_str(&b, NULL);
	is_str(b.data, "null", "NULL is null");
	buf_release(&b);
	return tap_done();
}
