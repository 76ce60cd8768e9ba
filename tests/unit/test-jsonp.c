/* Unit tests: jsonp.c. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonp.h"
#include "tap.h"

static struct jsonp *
parse(const char *s, char **cause)
{
	*cause = NULL;
	return jsonp_parse(s, strlen(s), cause);
}

static void
bad(const char *s, const char *name)
{
	struct jsonp	*v;
	char		*cause;

	v = parse(s, &cause);
	ok(v == NULL && cause != NULL && strncmp(cause, "invalid JSON at byte ", 21) == 0,
	    "rejects %s", name);
	jsonp_free(v);
	free(cause);
}

int
main(void)
{
	struct jsonp		*v;
	const struct jsonp	*x;
	struct buf		 b;
	char			*cause;
	size_t			 i;

	v = parse(" {\"a\": [1, -2.5e3, true, false, null, \"s\"], \"b\": {\"c\": \"d\"},"
	    " \"a\": 9}\n", &cause);
	ok(v != NULL && v->type == JSONP_OBJECT, "an object");
	x = jsonp_get(v, "a");
	ok(x != NULL && x->type == JSONP_ARRAY && x->nkids == 6, "first member wins, six elements");
	if (x != NULL && x->nkids == 6) {
		is_str(x->kids[1].str, "-2.5e3", "number as written");
		is_int(x->kids[2].type, JSONP_TRUE, "true");
		is_int(x->kids[4].type, JSONP_NULL, "null");
		is_str(jsonp_str(&x->kids[5]), "s", "string");
		is_str(jsonp_str(&x->kids[0]), NULL, "jsonp_str of a number is NULL");
	}
	is_str(jsonp_str(jsonp_get(jsonp_get(v, "b"), "c")), "d", "nested member");
	is_str(jsonp_str(jsonp_get(v, "zz")), NULL, "missing member");
	jsonp_free(v);

	v = parse("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\\ud83d\\ude00\\ud800x\\u0000\"",
	    &cause);
	is_str(jsonp_str(v), "a\"\\/\b\f\n\r\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
	    "\xef\xbf\xbdx\xef\xbf\xbd", "escapes, surrogate pair, lone surrogate and NUL");
	jsonp_free(v);

	bad("", "empty text");
	bad("{\"a\":1,}", "a trailing comma");
	bad("[1 2]", "a missing comma");
	bad("{\"a\" 1}", "a missing colon");
	bad("\"abc", "an unterminated string");
	bad("\"a\nb\"", "a raw newline in a string");
	bad("\"\\x\"", "an unknown escape");
	bad("\"\\u12\"", "a short \\u escape");
	bad("tru", "a cut literal");
	bad("{} {}", "text after the value");
	bad("-", "a lone minus");

	buf_init(&b, 0);
	for (i = 0; i < JSONP_MAX_DEPTH + 1; i++)
		buf_addc(&b, '[');
	for (i = 0; i < JSONP_MAX_DEPTH + 1; i++)
		buf_addc(&b, ']');
	v = jsonp_parse(b.data, b.len, &cause);
	ok(v == NULL && cause != NULL && strstr(cause, "nested too deeply") != NULL,
	    "depth limit");
	free(cause);
	buf_release(&b);

	buf_init(&b, 0);
	buf_addc(&b, '[');
	for (i = 0; i < JSONP_MAX_ELEMS + 5; i++)
		buf_addf(&b, "%s%zu", i ? "," : "", i);
	buf_addc(&b, ']');
	v = jsonp_parse(b.data, b.len, &cause);
	ok(v != NULL && v->nkids == JSONP_MAX_ELEMS, "arrays keep JSONP_MAX_ELEMS elements");
	is_str(v != NULL && v->nkids > 0 ? v->kids[v->nkids - 1].str : NULL, "9999",
	    "the first ones");
	jsonp_free(v);
	buf_reset(&b);
	buf_adds(&b, "[1,");
	v = jsonp_parse(b.data, b.len, &cause);
	ok(v == NULL, "a syntax error after the cap is still an error");
	free(cause);
	buf_release(&b);
	jsonp_free(NULL);
	return tap_done();
}
