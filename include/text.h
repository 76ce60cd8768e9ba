/*
 * Text normalisation and tokenisation: the one code path that both rule
 * terms and article text go through. NFKC, case folding, typographic
 * quotes/apostrophes/dashes lumped, possessives stripped, diacritics folded
 * (including letters without a decomposition: ł, ø, đ, æ ...), CJK split per
 * character. Pure functions, no I/O.
 */
#ifndef WW_TEXT_H
#define WW_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TOK_CJK		0x01	/* one Han/Kana/Hangul character */
#define TOK_JOINED	0x02	/* glued to the previous token by '-' or '/' without space */
#define TOK_UPPER	0x04	/* has upper-case letters, none lower case */
#define TOK_POSS	0x08	/* a possessive 's / s' was removed */
#define TOK_ABBREV	0x10	/* dotted abbreviation ("U.S."), dots removed */

struct token {
	uint32_t	start, end;	/* byte span in the original text */
	uint32_t	key;		/* offset in keys: folded form, NUL-terminated */
	uint32_t	orig;		/* offset in keys: NFKC + lumped, case kept */
	uint16_t	sent;		/* sentence number in the text, from 0 */
	uint16_t	para;		/* paragraph number ('\n' separated), from 0 */
	uint8_t		flags;		/* TOK_* */
};

struct tokens {
	struct token	*v;
	size_t		 n, cap;
	char		*keys;
	size_t		 keyslen, keyscap;
	int		 allcaps;	/* >= 4 cased letters, none lower case */
};

#define TEXT_KEEP_MARKS	0x01	/* do not fold diacritics */

void	tokens_init(struct tokens *);
void	tokens_release(struct tokens *);
void	tokens_reset(struct tokens *);
/*
 * Tokenise len bytes of UTF-8 into t, which is reset first (its memory is
 * reused). Invalid bytes and default-ignorable characters (soft hyphen,
 * zero-width space/joiners, BOM) are skipped; NUL bytes are spaces. Token
 * spans include a removed possessive ("China's") and an abbreviation's
 * final dot ("U.S."). A word longer than 256 code points is cut into
 * several tokens. Sentences end at . ! ? ... followed by a space, a quote
 * or the end (not after "U.S.", a capital initial or "Mr", "Gen", "etc"
 * and the like), and at 。！？; '\n' starts a new paragraph and sentence.
 * sent and para stop at 65535. Input past 128 MiB is ignored.
 */
void	text_tokenize(struct tokens *t, const char *s, size_t len, unsigned opts);

static inline const char *
token_key(const struct tokens *t, size_t i)
{
	return t->keys + t->v[i].key;
}

static inline const char *
token_orig(const struct tokens *t, size_t i)
{
	return t->keys + t->v[i].orig;
}

/* The folded keys of s joined by single spaces (for display and tests). */
char	*text_fold(const char *s, unsigned opts);
/*
 * Snowball stem of a folded key in language lang ("en", "ru", "de", "fr",
 * "es", "it", "pt", "nl", "sv", "tr", ...: the ISO codes and English names
 * libstemmer knows; NULL or "" is English); NULL when the language is
 * unknown (libstemmer 2.2 has no Ukrainian, Belarusian or Polish).
 * Caller frees.
 */
char	*text_stem(const char *key, const char *lang);
/* 1 when lang names a stemmer text_stem knows. */
int	 text_stem_lang_ok(const char *lang);
/* Free the cached stemmers (they are process-wide, not thread-safe). */
void	 text_stem_cleanup(void);

#endif
