/*
 * Text normalisation and tokenisation: the single path that rule terms and
 * article text both take, so that a term matches text exactly when their
 * token keys are equal. One pass over the input, no allocation per
 * character; the only memory is the token array and the key arena of the
 * struct tokens being filled.
 *
 * Per token two strings are kept: orig is NFKC with typographic
 * punctuation lumped to ASCII (case kept, for `case` terms), key is orig
 * case folded with diacritics stripped and a few letters without a
 * decomposition folded to ASCII (ł, ø, đ, æ, œ, þ, ı ...). Cyrillic letters
 * keep their marks (й stays й, ї stays ї, ў stays ў: folding й to и would
 * change what the Russian stemmer removes) except ё, which is folded to е
 * as the press usually writes it. CJK characters are one token each and
 * are not folded beyond NFKC.
 *
 * Uses utf8proc for Unicode data and libstemmer for stems; does no I/O.
 * The stemmer cache is process-wide and not thread-safe.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <utf8proc.h>

#include "text.h"
#include "util.h"

#define MAXWORD		256	/* code points of input per token; longer runs split */
#define MAXDEC		1024	/* code points of a token after decomposition */
#define TEXT_MAXLEN	(1U << 27) /* input beyond this is ignored: offsets stay 32-bit */

enum cls {
	C_SPACE,	/* 0: the default of ascii_cls[] */
	C_SKIP,		/* invalid byte or default-ignorable: transparent */
	C_NL,		/* paragraph separator */
	C_WORD,		/* letter or digit */
	C_MARK,		/* combining mark */
	C_CJK,
	C_APOS,
	C_DOT,
	C_TERM,		/* ! ? */
	C_CJKTERM,	/* 。！？: ends a sentence without a following space */
	C_JOIN,		/* hyphen, dash, slash */
	C_QUOTE,	/* quotes and closing brackets */
	C_COMMA,
	C_OTHER
};

struct ch {
	int32_t		cp;	/* as decoded from the input */
	size_t		next;	/* byte offset after it */
	uint8_t		cls;
	uint8_t		letter;	/* C_WORD and a letter (not a digit) */
	uint8_t		digit;
};

struct word {
	int32_t		cp[MAXWORD];
	size_t		n;
	int		ascii;
};

struct scan {
	const unsigned char	*s;
	size_t			 len;
	struct tokens		*t;
	unsigned		 opts;
	int			 pend_sent, pend_para;
	uint16_t		 sent, para;
	size_t			 adj;		/* just after the last token */
	size_t			 joinpos;	/* a token starting here is TOK_JOINED */
	size_t			 nupper, nlower;
};

static const uint8_t ascii_cls[128] = {
	['\n'] = C_NL,
	['\''] = C_APOS, ['`'] = C_APOS,
	['.'] = C_DOT, ['!'] = C_TERM, ['?'] = C_TERM,
	['-'] = C_JOIN, ['/'] = C_JOIN,
	['"'] = C_QUOTE, [')'] = C_QUOTE, [']'] = C_QUOTE, ['}'] = C_QUOTE,
	[','] = C_COMMA,
	['#'] = C_OTHER, ['$'] = C_OTHER, ['%'] = C_OTHER, ['&'] = C_OTHER,
	['('] = C_OTHER, ['*'] = C_OTHER, ['+'] = C_OTHER, [':'] = C_OTHER,
	[';'] = C_OTHER, ['<'] = C_OTHER, ['='] = C_OTHER, ['>'] = C_OTHER,
	['@'] = C_OTHER, ['['] = C_OTHER, ['\\'] = C_OTHER, ['^'] = C_OTHER,
	['_'] = C_OTHER, ['{'] = C_OTHER, ['|'] = C_OTHER, ['~'] = C_OTHER,
	['0'] = C_WORD, ['1'] = C_WORD, ['2'] = C_WORD, ['3'] = C_WORD,
	['4'] = C_WORD, ['5'] = C_WORD, ['6'] = C_WORD, ['7'] = C_WORD,
	['8'] = C_WORD, ['9'] = C_WORD,
	/* Letters are set in ascii_class(); everything else is C_SPACE (0 here). */
};

/* Letters without a decomposition, folded after case folding. Sorted. */
static const struct fold {
	int32_t		cp;
	const char	*to;
} folds[] = {
	{ 0x00e6, "ae" },	/* æ */
	{ 0x00f0, "d" },	/* ð */
	{ 0x00f8, "o" },	/* ø */
	{ 0x00fe, "th" },	/* þ */
	{ 0x0111, "d" },	/* đ */
	{ 0x0127, "h" },	/* ħ */
	{ 0x0131, "i" },	/* ı */
	{ 0x0142, "l" },	/* ł */
	{ 0x014b, "n" },	/* ŋ */
	{ 0x0153, "oe" },	/* œ */
	{ 0x0167, "t" },	/* ŧ */
	{ 0x0180, "b" },	/* ƀ */
	{ 0x0183, "b" },	/* ƃ */
	{ 0x0188, "c" },	/* ƈ */
	{ 0x018c, "d" },	/* ƌ */
	{ 0x0192, "f" },	/* ƒ */
	{ 0x0199, "k" },	/* ƙ */
	{ 0x019a, "l" },	/* ƚ */
	{ 0x01a5, "p" },	/* ƥ */
	{ 0x01ab, "t" },	/* ƫ */
	{ 0x01ad, "t" },	/* ƭ */
	{ 0x01b4, "y" },	/* ƴ */
	{ 0x01b6, "z" },	/* ƶ */
	{ 0x01e5, "g" },	/* ǥ */
	{ 0x0237, "j" },	/* ȷ */
	{ 0x023c, "c" },	/* ȼ */
	{ 0x0247, "e" },	/* ɇ */
	{ 0x0249, "j" },	/* ɉ */
	{ 0x024d, "r" },	/* ɍ */
	{ 0x024f, "y" },	/* ɏ */
	{ 0x0253, "b" },	/* ɓ */
	{ 0x0256, "d" },	/* ɖ */
	{ 0x0257, "d" },	/* ɗ */
	{ 0x0260, "g" },	/* ɠ */
	{ 0x0268, "i" },	/* ɨ */
	{ 0x0272, "n" },	/* ɲ */
	{ 0x1d7d, "p" },	/* ᵽ */
	{ 0x2c65, "a" },	/* ⱥ */
	{ 0x2c66, "t" },	/* ⱦ */
};

static const char *const sent_abbrevs[] = {
	"Adm", "Aug", "Capt", "Co", "Col", "Corp", "Dec", "Dr", "Feb", "Gen",
	"Gov", "Inc", "Jan", "Jr", "Lt", "Ltd", "Maj", "Mr", "Mrs", "Ms",
	"No", "Nov", "Oct", "Prof", "Rep", "Sen", "Sept", "Sgt", "Sr", "St",
	"etc", "vs",
};

static inline int
ascii_letter(unsigned c)
{
	return (c | 0x20) - 'a' < 26;
}

static inline int
ascii_digit(unsigned c)
{
	return c - '0' < 10;
}

static int
fold_cmp(const void *k, const void *e)
{
	int32_t	cp = *(const int32_t *)k;

	return cp - ((const struct fold *)e)->cp;
}

static int
str_cmp(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

static int
is_cjk(int32_t c)
{
	return (c >= 0x1100 && c <= 0x11ff) || (c >= 0x2e80 && c <= 0x2fdf) ||
	    (c >= 0x3005 && c <= 0x3007) || (c >= 0x3021 && c <= 0x3029) ||
	    (c >= 0x3031 && c <= 0x3035) || (c >= 0x3040 && c <= 0x30ff) ||
	    (c >= 0x3130 && c <= 0x318f) || (c >= 0x31f0 && c <= 0x31ff) ||
	    (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
	    (c >= 0xa960 && c <= 0xa97f) || (c >= 0xac00 && c <= 0xd7ff) ||
	    (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f);
}

static int
is_cyrillic(int32_t c)
{
	return c >= 0x0400 && c <= 0x052f;
}

/* Set c's class when category cat is a letter, number or mark. */
static int
word_class(int32_t cp, int cat, struct ch *c)
{
	switch (cat) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		c->cls = is_cjk(cp) ? C_CJK : C_WORD;
		c->letter = c->cls == C_WORD;
		return 1;
	case UTF8PROC_CATEGORY_ND:
		c->cls = C_WORD;
		c->digit = 1;
		return 1;
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		c->cls = is_cjk(cp) ? C_CJK : C_WORD;
		return 1;
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		c->cls = C_MARK;
		return 1;
	default:
		return 0;
	}
}

/* Classify a non-ASCII code point by its NFKC + lumped form. */
static void
class_uni(int32_t cp, struct ch *c)
{
	const utf8proc_property_t	*p;
	utf8proc_int32_t		 d[32];
	utf8proc_ssize_t		 n;
	int				 bc = 0, cat;
	int32_t				 f;

	switch (cp) {
	case 0x0085: case 0x2028: case 0x2029:
		c->cls = C_NL;
		return;
	case 0x00b4: case 0x2032:
		c->cls = C_APOS;
		return;
	case 0x00b7:
		c->cls = C_SKIP;
		return;
	case 0x3002: case 0xff01: case 0xff1f: case 0xff61:
		c->cls = C_CJKTERM;
		return;
	}
	/*
	 * Letters, digits and marks without a compatibility decomposition
	 * are what they are (canonical decompositions start with the same
	 * kind of character); the spacing modifier letters are lumped.
	 */
	p = utf8proc_get_property(cp);
	if (p->ignorable) {
		c->cls = C_SKIP;
		return;
	}
	if (p->decomp_type == 0 && (cp < 0x2b0 || cp > 0x2ff) &&
	    word_class(cp, p->category, c))
		return;
	n = utf8proc_decompose_char(cp, d, (utf8proc_ssize_t)nitems(d),
	    UTF8PROC_COMPAT | UTF8PROC_LUMP | UTF8PROC_IGNORE |
	    UTF8PROC_DECOMPOSE, &bc);
	if (n == 0) {
		c->cls = C_SKIP;
		return;
	}
	if (n < 0 || n > (utf8proc_ssize_t)nitems(d)) {
		c->cls = C_OTHER;
		return;
	}
	f = d[0];
	if (f < 0x80) {
		c->cls = ascii_cls[f];
		if (ascii_letter((unsigned)f)) {
			c->cls = C_WORD;
			c->letter = 1;
		} else if (ascii_digit((unsigned)f))
			c->digit = 1;
		return;
	}
	cat = utf8proc_category(f);
	if (word_class(f, cat, c))
		return;
	switch (cat) {
	case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_CC:
		c->cls = C_SPACE;
		break;
	case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
		c->cls = C_NL;
		break;
	case UTF8PROC_CATEGORY_PD:
		c->cls = C_JOIN;
		break;
	case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PE:
		c->cls = C_QUOTE;
		break;
	default:
		c->cls = C_OTHER;
		break;
	}
}

/* Decode and classify the character at pos (pos < len). */
static void
peek1(const struct scan *sc, size_t pos, struct ch *c)
{
	utf8proc_int32_t	cp;
	utf8proc_ssize_t	n;
	unsigned char		b = sc->s[pos];

	c->letter = c->digit = 0;
	if (b < 0x80) {
		c->cp = b;
		c->next = pos + 1;
		c->cls = ascii_cls[b];
		if (ascii_letter(b)) {
			c->cls = C_WORD;
			c->letter = 1;
		} else if (ascii_digit(b))
			c->digit = 1;
		return;
	}
	n = utf8proc_iterate(sc->s + pos, (utf8proc_ssize_t)(sc->len - pos), &cp);
	if (n <= 0) {
		c->cp = -1;
		c->next = pos + 1;
		c->cls = C_SKIP;
		return;
	}
	c->cp = cp;
	c->next = pos + (size_t)n;
	class_uni(cp, c);
}

/* The character at pos, skipping C_SKIP ones; C_SPACE at the end of input. */
static void
peek(const struct scan *sc, size_t pos, struct ch *c)
{
	while (pos < sc->len) {
		peek1(sc, pos, c);
		if (c->cls != C_SKIP)
			return;
		pos = c->next;
	}
	c->cp = -1;
	c->next = sc->len;
	c->cls = C_SPACE;
	c->letter = c->digit = 0;
}

static void
reorder(int32_t *v, size_t n)
{
	size_t		i, j;
	int32_t		x;
	uint16_t	cc;

	for (i = 1; i < n; i++) {
		if (v[i] < 0x300)
			continue;
		cc = utf8proc_get_property(v[i])->combining_class;
		if (cc == 0)
			continue;
		x = v[i];
		for (j = i; j > 0 &&
		    utf8proc_get_property(v[j - 1])->combining_class > cc; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Decompose the word's code points into out; returns the composed length. */
static size_t
normalise(const struct word *w, int32_t *out, utf8proc_option_t opt)
{
	utf8proc_ssize_t	r;
	size_t			i, o = 0;
	int			bc = 0;

	opt |= UTF8PROC_COMPAT | UTF8PROC_LUMP | UTF8PROC_IGNORE |
	    UTF8PROC_DECOMPOSE;
	for (i = 0; i < w->n; i++) {
		r = utf8proc_decompose_char(w->cp[i], out + o,
		    (utf8proc_ssize_t)(MAXDEC - o), opt, &bc);
		if (r < 0 || (size_t)r > MAXDEC - o)
			break;
		o += (size_t)r;
	}
	reorder(out, o);
	r = utf8proc_normalize_utf32(out, (utf8proc_ssize_t)o,
	    UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	if (r < 0)
		return 0;
	/* ŀ decomposes to l + middle dot: drop the dot. */
	for (i = o = 0; i < (size_t)r; i++)
		if (out[i] != 0xb7)
			out[o++] = out[i];
	return o;
}

/* Strip marks (outside Cyrillic) and fold letters; in place is not possible. */
static size_t
strip_fold(const int32_t *in, size_t n, int32_t *out)
{
	utf8proc_int32_t	 d[8];
	utf8proc_ssize_t	 r, k;
	const struct fold	*f;
	const char		*p;
	size_t			 i, o = 0;
	int			 bc = 0;

	for (i = 0; i < n && o + 8 <= MAXDEC; i++) {
		if (in[i] < 0x80) {
			out[o++] = in[i];
			continue;
		}
		if (is_cyrillic(in[i])) {
			out[o++] = in[i] == 0x0451 ? 0x0435 : in[i];
			continue;
		}
		r = utf8proc_decompose_char(in[i], d, (utf8proc_ssize_t)nitems(d),
		    UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK, &bc);
		if (r < 0 || r > (utf8proc_ssize_t)nitems(d))
			continue;
		for (k = 0; k < r; k++) {
			f = bsearch(&d[k], folds, nitems(folds), sizeof(folds[0]),
			    fold_cmp);
			if (f == NULL) {
				out[o++] = d[k];
				continue;
			}
			for (p = f->to; *p != '\0'; p++)
				out[o++] = (unsigned char)*p;
		}
	}
	return o;
}

/*
 * 1 when NFKC leaves cp alone and cannot combine it with a neighbour that
 * passes the same test: no decomposition (or a canonical one that
 * recomposes, for the Latin and Cyrillic blocks), combining class 0, not a
 * second element of a composition, not lumped. Checked against utf8proc
 * for every letter, number and mark.
 */
static int
nfkc_stable(int32_t cp)
{
	const utf8proc_property_t	*p = utf8proc_get_property(cp);

	if (p->ignorable || p->combining_class != 0 ||
	    (p->comb_index != UINT16_MAX && p->comb_index >= 0x8000) ||
	    (cp >= 0x2b0 && cp <= 0x2ff))
		return 0;
	if (p->decomp_seqindex == UINT16_MAX)
		return 1;
	return ((cp >= 0xc0 && cp < 0x250) || (cp >= 0x400 && cp < 0x530)) &&
	    p->decomp_type == 0 && !p->comp_exclusion;
}

/*
 * The common case of a word that NFKC does not change and whose characters
 * case fold one to one: the case-folded code points into key without
 * decomposing and composing the word. 0 when the word needs the full path.
 */
static int
fold_fast(const struct word *w, int32_t *key)
{
	const utf8proc_property_t	*p;
	utf8proc_int32_t		 d[4];
	size_t				 i;
	int32_t				 cp;
	int				 bc = 0;

	for (i = 0; i < w->n; i++) {
		cp = w->cp[i];
		if (cp < 0x80) {
			key[i] = ascii_letter((unsigned)cp) ? (cp | 0x20) : cp;
			continue;
		}
		if (!nfkc_stable(cp))
			return 0;
		p = utf8proc_get_property(cp);
		if (p->casefold_seqindex == UINT16_MAX) {
			key[i] = cp;
			continue;
		}
		if (utf8proc_decompose_char(cp, d, (utf8proc_ssize_t)nitems(d),
		    UTF8PROC_CASEFOLD, &bc) != 1 || !nfkc_stable(d[0]))
			return 0;
		key[i] = d[0];
	}
	return 1;
}

static void
keys_grow(struct tokens *t, size_t more)
{
	size_t	need = t->keyslen + more;

	if (need <= t->keyscap)
		return;
	if (t->keyscap == 0)
		t->keyscap = 4096;
	while (t->keyscap < need)
		t->keyscap *= 2;
	t->keys = xreallocarray(t->keys, t->keyscap, 1);
}

/* Append code points as UTF-8 plus NUL; returns the offset. */
static uint32_t
keys_add(struct tokens *t, const int32_t *v, size_t n)
{
	size_t	i, off = t->keyslen;

	keys_grow(t, 4 * n + 1);
	for (i = 0; i < n; i++)
		t->keyslen += (size_t)utf8proc_encode_char(v[i],
		    (utf8proc_uint8_t *)t->keys + t->keyslen);
	t->keys[t->keyslen++] = '\0';
	return (uint32_t)off;
}

/* Drop the string just added at off when it equals the one at prev. */
static uint32_t
keys_share(struct tokens *t, uint32_t prev, uint32_t off)
{
	if (strcmp(t->keys + prev, t->keys + off) != 0)
		return off;
	t->keyslen = off;
	return prev;
}

static void
count_case(const int32_t *v, size_t n, size_t *up, size_t *lo)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (v[i] < 0x80) {
			if (v[i] >= 'A' && v[i] <= 'Z')
				(*up)++;
			else if (v[i] >= 'a' && v[i] <= 'z')
				(*lo)++;
			continue;
		}
		switch (utf8proc_category(v[i])) {
		case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT:
			(*up)++;
			break;
		case UTF8PROC_CATEGORY_LL:
			(*lo)++;
			break;
		default:
			break;
		}
	}
}

static void
emit(struct scan *sc, const struct word *w, size_t start, size_t end,
    unsigned flags)
{
	struct tokens	*t = sc->t;
	struct token	*tok;
	int32_t		 a[MAXDEC], b[MAXDEC];
	size_t		 i, n, m, up = 0, lo = 0;
	unsigned	 c;
	char		*k;

	if (w->n == 0)
		return;
	if (t->n > 0) {
		if (sc->pend_para && sc->para < UINT16_MAX)
			sc->para++;
		if ((sc->pend_sent || sc->pend_para) && sc->sent < UINT16_MAX)
			sc->sent++;
	}
	sc->pend_sent = sc->pend_para = 0;
	if (start == sc->joinpos)
		flags |= TOK_JOINED;
	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 256 : t->cap * 2;
		t->v = xreallocarray(t->v, t->cap, sizeof(*t->v));
	}
	tok = &t->v[t->n++];
	tok->start = (uint32_t)start;
	tok->end = (uint32_t)end;
	tok->sent = sc->sent;
	tok->para = sc->para;

	if (w->ascii) {
		keys_grow(t, 2 * (w->n + 1));
		k = t->keys + t->keyslen;
		for (i = 0; i < w->n; i++) {
			c = (unsigned)w->cp[i];
			if (c - 'A' < 26) {
				up++;
				c |= 0x20;
			} else if (c - 'a' < 26)
				lo++;
			k[i] = (char)c;
		}
		k[i] = '\0';
		tok->key = (uint32_t)t->keyslen;
		t->keyslen += w->n + 1;
		tok->orig = tok->key;
		if (up > 0) {
			k = t->keys + t->keyslen;
			for (i = 0; i < w->n; i++)
				k[i] = (char)w->cp[i];
			k[i] = '\0';
			tok->orig = (uint32_t)t->keyslen;
			t->keyslen += w->n + 1;
		}
	} else if ((flags & TOK_CJK) && w->n == 1 &&
	    utf8proc_get_property(w->cp[0])->decomp_seqindex == UINT16_MAX) {
		/* A Han, Kana or Hangul character that NFKC keeps. */
		tok->orig = tok->key = keys_add(t, w->cp, 1);
	} else if (!(flags & TOK_CJK) && fold_fast(w, a)) {
		count_case(w->cp, w->n, &up, &lo);
		tok->orig = keys_add(t, w->cp, w->n);
		if (!(sc->opts & TEXT_KEEP_MARKS)) {
			m = strip_fold(a, w->n, b);
			tok->key = keys_add(t, b, m);
		} else
			tok->key = keys_add(t, a, w->n);
		tok->key = keys_share(t, tok->orig, tok->key);
	} else {
		n = normalise(w, a, 0);
		count_case(a, n, &up, &lo);
		tok->orig = keys_add(t, a, n);
		if (flags & TOK_CJK)
			tok->key = tok->orig;
		else {
			n = normalise(w, a, UTF8PROC_CASEFOLD);
			if (!(sc->opts & TEXT_KEEP_MARKS)) {
				m = strip_fold(a, n, b);
				tok->key = keys_add(t, b, m);
			} else
				tok->key = keys_add(t, a, n);
			tok->key = keys_share(t, tok->orig, tok->key);
		}
	}
	if (up > 0 && lo == 0)
		flags |= TOK_UPPER;
	tok->flags = (uint8_t)flags;
	sc->nupper += up;
	sc->nlower += lo;
	sc->adj = end;
}

static int
word_add(struct word *w, int32_t cp)
{
	if (w->n == MAXWORD)
		return -1;
	if (cp >= 0x80)
		w->ascii = 0;
	w->cp[w->n++] = cp;
	return 0;
}

static int
is_single(const struct scan *sc, const struct ch *c)
{
	struct ch	n;

	if (c->cls != C_WORD || !c->letter)
		return 0;
	peek(sc, c->next, &n);
	return n.cls != C_WORD && n.cls != C_MARK && n.cls != C_CJK;
}

/*
 * Single letters separated by dots ("U.S.", "U.S", "e.g."): one token
 * without the dots, the final dot included in the span. Returns the end, or
 * 0 when the text at c is not such an abbreviation.
 */
static size_t
scan_abbrev(struct scan *sc, const struct ch *first, size_t start)
{
	struct word	w;
	struct ch	c, d, e;

	w.n = 0;
	w.ascii = 1;
	c = *first;
	peek(sc, c.next, &d);
	if (d.cls != C_DOT || !is_single(sc, &c))
		return 0;
	peek(sc, d.next, &e);
	if (!is_single(sc, &e))
		return 0;
	for (;;) {
		word_add(&w, c.cp);
		peek(sc, c.next, &d);
		if (d.cls != C_DOT) {
			emit(sc, &w, start, c.next, TOK_ABBREV);
			return c.next;
		}
		peek(sc, d.next, &e);
		if (!is_single(sc, &e) || w.n == MAXWORD) {
			emit(sc, &w, start, d.next, TOK_ABBREV);
			return d.next;
		}
		c = e;
	}
}

/*
 * Is the word before an apostrophe an elided article, pronoun or
 * preposition ("l'", "d'", "qu'", "jusqu'", Italian "dell'", "un'")?
 */
static int
is_elision(const struct word *w)
{
	static const char *const it[] = {
		"all", "coll", "dall", "dell", "nell", "quell", "quest",
		"sull", "un",
	};
	char	 s[8];
	size_t	 i;

	if (w->n == 0 || w->n >= sizeof(s))
		return 0;
	for (i = 0; i < w->n; i++) {
		if (w->cp[i] >= 0x80)
			return 0;
		s[i] = (char)tolower((unsigned char)w->cp[i]);
	}
	s[i] = '\0';
	if (w->n == 1)
		return strchr("cdjlmnst", s[0]) != NULL;
	if (w->n >= 2 && s[w->n - 2] == 'q' && s[w->n - 1] == 'u')
		return 1;		/* qu', jusqu', lorsqu', puisqu' */
	return bsearch(s, it, nitems(it), sizeof(it[0]), str_cmp) != NULL;
}

/* A run of letters, digits and marks starting at pos; returns where it ends. */
static size_t
scan_word(struct scan *sc, size_t pos)
{
	struct word	w;
	struct ch	c, n1, n2;
	size_t		p = pos, end = pos, r;
	int		lastdigit = 0;
	unsigned	b;

	peek1(sc, pos, &c);
	if ((r = scan_abbrev(sc, &c, pos)) != 0)
		return r;
	w.n = 0;
	w.ascii = 1;
	while (p < sc->len) {
		b = sc->s[p];
		if (ascii_letter(b) || ascii_digit(b)) {
			if (w.n == MAXWORD)
				goto done;
			w.cp[w.n++] = b;
			lastdigit = ascii_digit(b);
			p = end = p + 1;
			continue;
		}
		peek1(sc, p, &c);
		switch (c.cls) {
		case C_SKIP:
			p = c.next;
			continue;
		case C_WORD:
		case C_MARK:
			if (word_add(&w, c.cp) == -1)
				goto done;
			if (c.cls == C_WORD)
				lastdigit = c.digit;
			p = end = c.next;
			continue;
		case C_APOS:
			peek(sc, c.next, &n1);
			if (n1.cls == C_WORD && n1.letter) {
				peek(sc, n1.next, &n2);
				if ((n1.cp == 's' || n1.cp == 'S') &&
				    n2.cls != C_WORD && n2.cls != C_MARK) {
					emit(sc, &w, pos, n1.next, TOK_POSS);
					return n1.next;
				}
				if (is_elision(&w)) {
					emit(sc, &w, pos, c.next, 0);
					return c.next;
				}
				if (word_add(&w, '\'') == -1)
					goto done;
				p = c.next;
				continue;
			}
			if (w.n >= 2 && (w.cp[w.n - 1] == 's' ||
			    w.cp[w.n - 1] == 'S')) {
				emit(sc, &w, pos, c.next, TOK_POSS);
				return c.next;
			}
			goto done;
		case C_DOT:
		case C_COMMA:
			if (!lastdigit || c.next >= sc->len)
				goto done;
			peek1(sc, c.next, &n1);
			if (!n1.digit)
				goto done;
			if (word_add(&w, c.cp) == -1)
				goto done;
			p = c.next;
			continue;
		default:
			goto done;
		}
	}
 done:
	emit(sc, &w, pos, end, 0);
	return end;
}

/* One CJK character and the marks that follow it. */
static size_t
scan_cjk(struct scan *sc, size_t pos)
{
	struct word	w;
	struct ch	c;
	size_t		p, end;

	w.n = 0;
	w.ascii = 0;
	peek1(sc, pos, &c);
	word_add(&w, c.cp);
	p = end = c.next;
	while (p < sc->len) {
		peek1(sc, p, &c);
		if (c.cls == C_SKIP) {
			p = c.next;
			continue;
		}
		if (c.cls != C_MARK || word_add(&w, c.cp) == -1)
			break;
		p = end = c.next;
	}
	emit(sc, &w, pos, end, TOK_CJK);
	return end;
}

/* Does the last token, just before a '.', keep the sentence open? */
static int
keeps_sentence(const struct scan *sc, size_t dot)
{
	const struct tokens	*t = sc->t;
	const struct token	*tok;
	const char		*o;
	int32_t			 cp;
	utf8proc_ssize_t	 n;

	if (t->n == 0 || sc->adj != dot)
		return 0;
	tok = &t->v[t->n - 1];
	if (tok->flags & (TOK_ABBREV | TOK_CJK))
		return 1;
	o = t->keys + tok->orig;
	n = utf8proc_iterate((const utf8proc_uint8_t *)o, -1, &cp);
	if (n > 0 && o[n] == '\0' && utf8proc_category(cp) == UTF8PROC_CATEGORY_LU)
		return 1;
	return bsearch(o, sent_abbrevs, nitems(sent_abbrevs),
	    sizeof(sent_abbrevs[0]), str_cmp) != NULL;
}

/* A run of . ! ? and friends at pos; returns where it ends. */
static size_t
scan_stop(struct scan *sc, size_t pos)
{
	struct ch	c;
	size_t		p = pos;
	int		dots = 0, other = 0, cjk = 0;

	for (;;) {
		peek(sc, p, &c);
		if (c.cls == C_DOT)
			dots++;
		else if (c.cls == C_TERM)
			other++;
		else if (c.cls == C_CJKTERM)
			cjk++;
		else
			break;
		p = c.next;
	}
	if (cjk) {
		sc->pend_sent = 1;
		return p;
	}
	if (p < sc->len && c.cls != C_SPACE && c.cls != C_NL &&
	    c.cls != C_QUOTE && c.cls != C_APOS && c.cls != C_CJK)
		return p;
	if (dots == 1 && other == 0 && keeps_sentence(sc, pos))
		return p;
	sc->pend_sent = 1;
	return p;
}

void
tokens_init(struct tokens *t)
{
	memset(t, 0, sizeof(*t));
}

void
tokens_release(struct tokens *t)
{
	free(t->v);
	free(t->keys);
	memset(t, 0, sizeof(*t));
}

void
tokens_reset(struct tokens *t)
{
	t->n = 0;
	t->keyslen = 0;
	t->allcaps = 0;
}

void
text_tokenize(struct tokens *t, const char *s, size_t len, unsigned opts)
{
	struct scan	sc;
	struct ch	c;
	size_t		pos = 0;

	tokens_reset(t);
	if (len > TEXT_MAXLEN)
		len = TEXT_MAXLEN;
	memset(&sc, 0, sizeof(sc));
	sc.s = (const unsigned char *)s;
	sc.len = s == NULL ? 0 : len;
	sc.t = t;
	sc.opts = opts;
	sc.adj = sc.joinpos = SIZE_MAX;
	while (pos < sc.len) {
		if (sc.s[pos] == ' ') {
			pos++;
			continue;
		}
		peek1(&sc, pos, &c);
		switch (c.cls) {
		case C_SKIP:
			if (sc.adj == pos)
				sc.adj = c.next;
			if (sc.joinpos == pos)
				sc.joinpos = c.next;
			pos = c.next;
			break;
		case C_NL:
			sc.pend_para = sc.pend_sent = 1;
			pos = c.next;
			break;
		case C_JOIN:
			if (sc.adj == pos)
				sc.joinpos = c.next;
			pos = c.next;
			break;
		case C_DOT:
		case C_TERM:
		case C_CJKTERM:
			pos = scan_stop(&sc, pos);
			break;
		case C_WORD:
			pos = scan_word(&sc, pos);
			break;
		case C_CJK:
			pos = scan_cjk(&sc, pos);
			break;
		default:
			pos = c.next;
			break;
		}
	}
	t->allcaps = sc.nupper >= 4 && sc.nlower == 0;
}

char *
text_fold(const char *s, unsigned opts)
{
	struct tokens	t;
	char		*out, *p;
	size_t		i, n;

	tokens_init(&t);
	text_tokenize(&t, s, s == NULL ? 0 : strlen(s), opts);
	out = p = xmalloc(t.keyslen + 1);
	for (i = 0; i < t.n; i++) {
		if (i > 0)
			*p++ = ' ';
		n = strlen(token_key(&t, i));
		memcpy(p, token_key(&t, i), n);
		p += n;
	}
	*p = '\0';
	tokens_release(&t);
	return out;
}

/* Stemmers by language, created on first use and kept for the process. */
static struct stemmer {
	char			 lang[16];
	struct sb_stemmer	*st;
} stemmers[64];

static struct sb_stemmer *
stemmer_get(const char *lang)
{
	struct sb_stemmer	*st;
	size_t			 i;

	if (lang == NULL || *lang == '\0')
		lang = "en";
	if (strlen(lang) >= sizeof(stemmers[0].lang))
		return NULL;
	for (i = 0; i < nitems(stemmers) && stemmers[i].lang[0] != '\0'; i++)
		if (strcmp(stemmers[i].lang, lang) == 0)
			return stemmers[i].st;
	/*
	 * libstemmer knows ISO 639-1/-2 codes and English names. Only a
	 * language it knows takes a slot: unknown names (from rule files)
	 * can never use up the cache.
	 */
	if ((st = sb_stemmer_new(lang, "UTF_8")) == NULL)
		return NULL;
	if (i == nitems(stemmers)) {
		sb_stemmer_delete(st);	/* more languages than slots: rare */
		return NULL;
	}
	stemmers[i].st = st;
	memcpy(stemmers[i].lang, lang, strlen(lang) + 1);
	return st;
}

char *
text_stem(const char *key, const char *lang)
{
	struct sb_stemmer	*st;
	const sb_symbol		*r;

	if ((st = stemmer_get(lang)) == NULL)
		return NULL;
	r = sb_stemmer_stem(st, (const sb_symbol *)key, (int)strlen(key));
	if (r == NULL)
		return xstrdup(key);
	return xstrndup((const char *)r, (size_t)sb_stemmer_length(st));
}

int
text_stem_lang_ok(const char *lang)
{
	return stemmer_get(lang) != NULL;
}

void
text_stem_cleanup(void)
{
	size_t	i;

	for (i = 0; i < nitems(stemmers); i++) {
		if (stemmers[i].st != NULL)
			sb_stemmer_delete(stemmers[i].st);
		stemmers[i].st = NULL;
		stemmers[i].lang[0] = '\0';
	}
}
