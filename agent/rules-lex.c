/*
 * The lexer of rule files: one line at a time into words, strings,
 * parentheses and colons, with 1-based columns counted in UTF-8 characters
 * (a tab is one column). Also the small helpers every part of the parser
 * uses: id syntax, "did you mean" suggestions and positioned diagnostics.
 * No allocation survives lex_clear() except what callers copy out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "log.h"
#include "rules-int.h"
#include "util.h"
#include "utf8.h"

void
dlist_add(struct dlist *dl, size_t file, unsigned line, unsigned col, int err,
    char *msg)
{
	struct dent	*e;

	if (dl->n == dl->cap) {
		dl->cap = dl->cap == 0 ? 32 : dl->cap * 2;
		dl->v = xreallocarray(dl->v, dl->cap, sizeof *dl->v);
	}
	e = &dl->v[dl->n];
	e->file = file;
	e->line = line;
	e->col = col;
	e->err = err;
	e->seq = dl->n++;
	e->msg = msg;
	if (err)
		dl->errors++;
}

static void __attribute__((format(printf, 4, 0)))
pvdiag(struct parser *p, int err, unsigned col, const char *fmt, va_list ap)
{
	char	*msg;

	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("out of memory");
	dlist_add(p->dl, p->fileno, p->lineno, col, err, msg);
	if (err)
		p->file_errors++;
}

void
perr(struct parser *p, unsigned col, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	pvdiag(p, 1, col, fmt, ap);
	va_end(ap);
}

void
pwarn(struct parser *p, unsigned col, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	pvdiag(p, 0, col, fmt, ap);
	va_end(ap);
}

/*
 * Column of byte offset off in the current line: characters before it + 1.
 * Cached, so that a left-to-right scan of a long line stays linear.
 */
unsigned
lex_col(struct parser *p, size_t off)
{
	size_t	i;

	if (off < p->coloff) {
		p->coloff = 0;
		p->colval = 1;
	}
	for (i = p->coloff; i < off && i < p->linelen; i++)
		if (((unsigned char)p->line[i] & 0xc0) != 0x80)
			p->colval++;
	p->coloff = i;
	return p->colval;
}

void
lex_clear(struct parser *p)
{
	size_t	i;

	for (i = 0; i < p->ntok; i++)
		free(p->tok[i].str);
	p->ntok = 0;
	p->pos = 0;
}

static struct tok *
tok_add(struct parser *p, enum tok_type type, size_t off, size_t len)
{
	struct tok	*t;

	if (p->ntok == p->tokcap) {
		p->tokcap = p->tokcap == 0 ? 16 : p->tokcap * 2;
		p->tok = xreallocarray(p->tok, p->tokcap, sizeof *p->tok);
	}
	t = &p->tok[p->ntok++];
	t->type = type;
	t->s = p->line + off;
	t->len = len;
	t->str = NULL;
	t->col = lex_col(p, off);
	return t;
}

/* A string starting at the '"' at off; returns the offset after it, 0 on error. */
static size_t
lex_string(struct parser *p, size_t off)
{
	struct buf	 b;
	struct tok	*t;
	size_t		 i, n;
	unsigned char	 c;

	buf_init(&b, 0);
	for (i = off + 1; i < p->linelen; i++) {
		c = (unsigned char)p->line[i];
		if (c == '"')
			break;
		if (c == '\\') {
			if (i + 1 < p->linelen && (p->line[i + 1] == '"' ||
			    p->line[i + 1] == '\\')) {
				buf_addc(&b, p->line[++i]);
				continue;
			}
			perr(p, lex_col(p, i), "unknown escape in string "
			    "(only \\\" and \\\\ are escapes)");
			goto fail;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			perr(p, lex_col(p, i), "control character 0x%02x in string", c);
			goto fail;
		}
		if ((n = utf8_decode((const unsigned char *)p->line + i, p->linelen - i, NULL)) == 0) {
			perr(p, lex_col(p, i), "invalid UTF-8 in string");
			goto fail;
		}
		buf_add(&b, p->line + i, n);
		i += n - 1;
	}
	if (i >= p->linelen) {
		perr(p, lex_col(p, off), "unterminated string");
		goto fail;
	}
	t = tok_add(p, T_STRING, off, i + 1 - off);
	t->str = buf_steal(&b);
	return i + 1;
fail:
	buf_release(&b);
	return 0;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_word_end(int c)
{
	return is_space(c) || c == '"' || c == '(' || c == ')' || c == ':' ||
	    (unsigned char)c < 0x20 || c == 0x7f;
}

/*
 * Split line s (len bytes, no '\n') into p->tok, ending with T_END. Returns
 * -1 after a lexical error (reported): the caller skips the line.
 */
int
lex_line(struct parser *p, const char *s, size_t len)
{
	struct tok	*t;
	size_t		 i, j;
	unsigned char	 c;

	lex_clear(p);
	p->line = s;
	p->linelen = len;
	p->coloff = 0;
	p->colval = 1;
	p->indent = 0;
	for (i = 0; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
		p->indent = s[i] == '\t' ? (p->indent / 8 + 1) * 8 : p->indent + 1;
	while (i < len) {
		c = (unsigned char)s[i];
		if (is_space(c)) {
			i++;
			continue;
		}
		if (c == '#' && (i + 1 >= len || !is_alpha(s[i + 1]))) {
			if (i > 0 && !is_space(s[i - 1])) {
				perr(p, lex_col(p, i), "'#' needs white space "
				    "before it to start a comment");
				return -1;
			}
			break;
		}
		if (c == '"') {
			if ((i = lex_string(p, i)) == 0)
				return -1;
			continue;
		}
		if (c == '(' || c == ')' || c == ':') {
			tok_add(p, c == '(' ? T_LPAREN : c == ')' ? T_RPAREN :
			    T_COLON, i, 1);
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			perr(p, lex_col(p, i), "unexpected control character 0x%02x", c);
			return -1;
		}
		for (j = i + 1; j < len && !is_word_end(s[j]); j++)
			;
		t = tok_add(p, T_WORD, i, j - i);
		t->str = xstrndup(s + i, j - i);
		i = j;
	}
	tok_add(p, T_END, len, 0);
	return 0;
}

int
tok_is(const struct tok *t, const char *word)
{
	return t->type == T_WORD && strcmp(t->str, word) == 0;
}

/* A short description of t for messages, in buf. */
const char *
tok_desc(const struct tok *t, char *buf, size_t size)
{
	const char	*s = t->type == T_STRING ? t->str : t->s;
	size_t		 len = t->type == T_STRING ? strlen(t->str) : t->len;
	int		 cut = 0;

	switch (t->type) {
	case T_END:
		return "end of line";
	case T_LPAREN:
		return "'('";
	case T_RPAREN:
		return "')'";
	case T_COLON:
		return "':'";
	default:
		break;
	}
	if (len > 40) {
		len = 40;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		cut = 1;
	}
	snprintf(buf, size, t->type == T_STRING ? "\"%.*s%s\"" : "'%.*s%s'",
	    (int)len, s, cut ? "..." : "");
	return buf;
}

/* Ids: lower-case letters, digits, '-' and '_', starting with a letter. */
int
id_valid(const char *s)
{
	if (*s < 'a' || *s > 'z')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/*
 * Optimal string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions), in bytes; anything above limit is reported as limit + 1.
 */
unsigned
edit_distance(const char *a, const char *b, unsigned limit)
{
	unsigned	 d[3][65], best;
	size_t		 la = strlen(a), lb = strlen(b), i, j;
	unsigned	*prev2 = d[0], *prev = d[1], *cur = d[2], *tmp, v;

	if (la > 64 || lb > 64 || (la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (j = 0; j <= lb; j++)
		prev[j] = (unsigned)j;
	for (i = 1; i <= la; i++) {
		cur[0] = (unsigned)i;
		best = cur[0];
		for (j = 1; j <= lb; j++) {
			v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
		tmp = prev2;
		prev2 = prev;
		prev = cur;
		cur = tmp;
	}
	return prev[lb] > limit ? limit + 1 : prev[lb];
}

/*
 * The candidate closest to word: the same ignoring case, or at most 1 edit
 * away for short words and 2 for longer ones. NULL when none is close.
 */
const char *
suggest(const char *word, const char *const *cands, size_t n)
{
	const char	*best = NULL;
	unsigned	 bestd, dist, limit;
	size_t		 i, len = strlen(word);

	limit = len <= 3 ? 1 : 2;
	bestd = limit + 1;
	for (i = 0; i < n; i++) {
		if (cands[i] == NULL || strcmp(cands[i], word) == 0)
			continue;
		if (strcasecmp(cands[i], word) == 0)
			return cands[i];
		dist = edit_distance(word, cands[i], limit);
		if (dist < bestd && dist < strlen(cands[i])) {
			bestd = dist;
			best = cands[i];
		}
	}
	return best;
}
