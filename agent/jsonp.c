/*
 * JSON parsing into a tree, recursive descent with the bounds of jsonp.h.
 * Used by the JSON Feed reader; no I/O, no global state.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonp.h"
#include "util.h"
#include "utf8.h"

struct jp {
	const char	*p, *end;
	size_t		 nodes;
	char		*err;
};

static int	jp_value(struct jp *, struct jsonp *, int depth, int keep);
static void	jsonp_release(struct jsonp *);

static void
jp_fail(struct jp *jp, const char *what)
{
	if (jp->err == NULL)
		jp->err = xstrdup(what);
}

static void
jp_ws(struct jp *jp)
{
	while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' ||
	    *jp->p == '\n' || *jp->p == '\r'))
		jp->p++;
}

static void
jp_utf8(struct buf *b, unsigned cp)
{
	unsigned char	u[4];

	if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		cp = 0xfffd;
	buf_add(b, u, utf8_encode(cp, u));
}

static int
jp_hex4(const char *p, unsigned *v)
{
	int	i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* A string at jp->p (on the quote); *out gets it when out is not NULL. */
static int
jp_string(struct jp *jp, char **out)
{
	struct buf	 b;
	const char	*run;
	unsigned	 cp, lo;

	jp->p++;
	buf_init(&b, 0);
	for (;;) {
		for (run = jp->p; jp->p < jp->end && *jp->p != '"' &&
		    *jp->p != '\\' && (unsigned char)*jp->p >= 0x20; jp->p++)
			;
		if (out != NULL)
			buf_add(&b, run, (size_t)(jp->p - run));
		if (jp->p >= jp->end || (unsigned char)*jp->p < 0x20) {
			jp_fail(jp, "unterminated string");
			goto fail;
		}
		if (*jp->p++ == '"')
			break;
		if (jp->p >= jp->end)
			goto bad;
		switch (*jp->p++) {
		case '"': buf_addc(&b, '"'); break;
		case '\\': buf_addc(&b, '\\'); break;
		case '/': buf_addc(&b, '/'); break;
		case 'b': buf_addc(&b, '\b'); break;
		case 'f': buf_addc(&b, '\f'); break;
		case 'n': buf_addc(&b, '\n'); break;
		case 'r': buf_addc(&b, '\r'); break;
		case 't': buf_addc(&b, '\t'); break;
		case 'u':
			if (jp->end - jp->p < 4 || jp_hex4(jp->p, &cp) == -1)
				goto bad;
			jp->p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && jp->end - jp->p >= 6 &&
			    jp->p[0] == '\\' && jp->p[1] == 'u' &&
			    jp_hex4(jp->p + 2, &lo) == 0 && lo >= 0xdc00 &&
			    lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				jp->p += 6;
			}
			jp_utf8(&b, cp);
			break;
		default:
			goto bad;
		}
	}
	if (out != NULL)
		*out = buf_steal(&b);
	buf_release(&b);
	return 0;
bad:
	jp_fail(jp, "bad escape in string");
fail:
	buf_release(&b);
	return -1;
}

static int
jp_number(struct jp *jp, struct jsonp *v)
{
	const char	*s = jp->p;

	if (jp->p < jp->end && *jp->p == '-')
		jp->p++;
	if (jp->p >= jp->end || *jp->p < '0' || *jp->p > '9')
		goto bad;
	while (jp->p < jp->end && ((*jp->p >= '0' && *jp->p <= '9') ||
	    *jp->p == '.' || *jp->p == 'e' || *jp->p == 'E' || *jp->p == '+' ||
	    *jp->p == '-'))
		jp->p++;
	if (v != NULL && jp->p - s < 64)
		v->str = xstrndup(s, (size_t)(jp->p - s));
	return 0;
bad:
	jp_fail(jp, "unexpected character");
	return -1;
}

static int
jp_lit(struct jp *jp, const char *w)
{
	size_t	n = strlen(w);

	if ((size_t)(jp->end - jp->p) < n || memcmp(jp->p, w, n) != 0) {
		jp_fail(jp, "unexpected character");
		return -1;
	}
	jp->p += n;
	return 0;
}

/* Elements of an array or members of an object. */
static int
jp_list(struct jp *jp, struct jsonp *v, int depth, int keep, int obj)
{
	struct jsonp	 tmp, *k;
	size_t		 cap = 0, max = obj ? JSONP_MAX_MEMBERS : JSONP_MAX_ELEMS;
	char		*key;
	int		 take;

	jp->p++;
	jp_ws(jp);
	if (jp->p < jp->end && *jp->p == (obj ? '}' : ']')) {
		jp->p++;
		return 0;
	}
	for (;;) {
		key = NULL;
		jp_ws(jp);
		take = keep && v->nkids < max && jp->nodes < JSONP_MAX_NODES;
		if (obj) {
			if (jp->p >= jp->end || *jp->p != '"') {
				jp_fail(jp, "expected a member name");
				return -1;
			}
			if (jp_string(jp, take ? &key : NULL) == -1)
				return -1;
			jp_ws(jp);
			if (jp->p >= jp->end || *jp->p++ != ':') {
				free(key);
				jp_fail(jp, "expected ':'");
				return -1;
			}
		}
		memset(&tmp, 0, sizeof tmp);
		if (jp_value(jp, &tmp, depth + 1, take) == -1) {
			free(key);
			jsonp_release(&tmp);
			return -1;
		}
		if (take) {
			if (v->nkids == cap) {
				cap = cap == 0 ? 4 : cap * 2;
				v->kids = xreallocarray(v->kids, cap, sizeof *v->kids);
			}
			k = &v->kids[v->nkids++];
			*k = tmp;
			k->key = key;
		}
		jp_ws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			continue;
		}
		if (jp->p < jp->end && *jp->p == (obj ? '}' : ']')) {
			jp->p++;
			return 0;
		}
		jp_fail(jp, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		return -1;
	}
}

static int
jp_value(struct jp *jp, struct jsonp *v, int depth, int keep)
{
	if (depth >= JSONP_MAX_DEPTH) {
		jp_fail(jp, "nested too deeply");
		return -1;
	}
	if (keep)
		jp->nodes++;
	jp_ws(jp);
	if (jp->p >= jp->end) {
		jp_fail(jp, "unexpected end of text");
		return -1;
	}
	switch (*jp->p) {
	case '{':
		v->type = JSONP_OBJECT;
		return jp_list(jp, v, depth, keep, 1);
	case '[':
		v->type = JSONP_ARRAY;
		return jp_list(jp, v, depth, keep, 0);
	case '"':
		v->type = JSONP_STRING;
		return jp_string(jp, keep ? &v->str : NULL);
	case 't':
		v->type = JSONP_TRUE;
		return jp_lit(jp, "true");
	case 'f':
		v->type = JSONP_FALSE;
		return jp_lit(jp, "false");
	case 'n':
		v->type = JSONP_NULL;
		return jp_lit(jp, "null");
	default:
		v->type = JSONP_NUMBER;
		return jp_number(jp, keep ? v : NULL);
	}
}

struct jsonp *
jsonp_parse(const char *s, size_t len, char **cause)
{
	struct jp	 jp;
	struct jsonp	*v;

	memset(&jp, 0, sizeof jp);
	jp.p = s;
	jp.end = s + len;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		jp.p += 3;
	v = xcalloc(1, sizeof *v);
	if (jp_value(&jp, v, 0, 1) == 0) {
		jp_ws(&jp);
		if (jp.p == jp.end)
			return v;
		jp_fail(&jp, "text after the value");
	}
	*cause = xasprintf("invalid JSON at byte %zu: %s",
	    (size_t)(jp.p - s), jp.err);
	free(jp.err);
	jsonp_free(v);
	return NULL;
}

/* Free what v holds (not v itself when it is embedded). */
static void
jsonp_release(struct jsonp *v)
{
	size_t	i;

	for (i = 0; i < v->nkids; i++)
		jsonp_release(&v->kids[i]);
	free(v->kids);
	free(v->str);
	free(v->key);
	memset(v, 0, sizeof *v);
}

void
jsonp_free(struct jsonp *v)
{
	if (v == NULL)
		return;
	jsonp_release(v);
	free(v);
}

const struct jsonp *
jsonp_get(const struct jsonp *v, const char *key)
{
	size_t	i;

	if (v == NULL || v->type != JSONP_OBJECT)
		return NULL;
	for (i = 0; i < v->nkids; i++)
		if (v->kids[i].key != NULL && strcmp(v->kids[i].key, key) == 0)
			return &v->kids[i];
	return NULL;
}

const char *
jsonp_str(const struct jsonp *v)
{
	return v != NULL && v->type == JSONP_STRING ? v->str : NULL;
}
