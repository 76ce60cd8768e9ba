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
#define TOK_UPPER	0x04	/* has letters, none of them lower case */
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
	int		 allcaps;	/* the text has letters and no lower-case ones */
};

#define TEXT_KEEP_MARKS	0x01	/* do not fold diacritics */

void	tokens_init(struct tokens *);
void	tokens_release(struct tokens *);
void	tokens_reset(struct tokens *);
/* Tokenise len bytes of UTF-8 (invalid bytes are skipped) into t. */
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
 * "es", ...); NULL when the language is unknown. Caller frees.
 */
char	*text_stem(const char *key, const char *lang);
/* 1 when lang names a stemmer text_stem knows. */
int	 text_stem_lang_ok(const char *lang);

#endif
