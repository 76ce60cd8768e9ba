/* Unit tests: text.c (normalisation, tokenisation, stemming). */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "text.h"

/* text_fold(in) must equal want. */
static void
fold_is(const char *in, const char *want, const char *name)
{
	char	*got = text_fold(in, 0);

	is_str(got, want, "%s", name);
	free(got);
}

/* a and b have the same folded keys. */
static void
same_fold(const char *a, const char *b, unsigned opts, const char *name)
{
	char	*x = text_fold(a, opts), *y = text_fold(b, opts);

	is_str(x, y, "%s", name);
	free(x);
	free(y);
}

static size_t
tok(struct tokens *t, const char *s)
{
	text_tokenize(t, s, strlen(s), 0);
	return t->n;
}

/* The original bytes of token i. */
static char *
surface(const struct tokens *t, const char *s, size_t i)
{
	static char	buf[256];
	size_t		n = t->v[i].end - t->v[i].start;

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s + t->v[i].start, n);
	buf[n] = '\0';
	return buf;
}

static void
test_fold(void)
{
	char	*s;

	fold_is("China’s", "china", "curly possessive stripped");
	fold_is("China's", "china", "ASCII possessive stripped");
	fold_is("Belarus' ties", "belarus ties", "s' possessive stripped");
	fold_is("Łukaszenka", "lukaszenka", "ł folds to l");
	fold_is("Lukaszenka", "lukaszenka", "plain spelling has the same key");
	fold_is("Lukašenka", "lukasenka", "š folds by its decomposition");
	fold_is("Ｓｈａｎｇｈａｉ", "shanghai", "full-width letters (NFKC)");
	fold_is("ﬁnance", "finance", "ligature (NFKC)");
	fold_is("Weißrussland", "weissrussland", "ß case-folds to ss");
	fold_is("Biélorussie", "bielorussie", "é folds");
	fold_is("Bie\xcc\x81lorussie", "bielorussie", "decomposed é folds the same");
	fold_is("İstanbul", "istanbul", "dotted capital I");
	fold_is("Søren Ærø Đoković Œuvre Þór", "soren aero dokovic oeuvre thor",
	    "letters without a decomposition");
	fold_is("Xi'an", "xi'an", "Xi'an is one word");
	fold_is("Xi’an", "xi'an", "curly apostrophe inside a word is lumped");
	fold_is("O'Brien", "o'brien", "O'Brien keeps its apostrophe");
	fold_is("Xinjiang", "xinjiang", "Xinjiang is one word");
	fold_is("Sino-Russian", "sino russian", "hyphen separates");
	fold_is("Sino–Russian", "sino russian", "en dash separates");
	fold_is("cease-fire", "cease fire", "cease-fire");
	fold_is("l’Ukraine", "l ukraine", "French elision, curly");
	fold_is("d'Ukraine qu'il", "d ukraine qu il", "French elision, d' and qu'");
	fold_is("jusqu’à l’aube, lorsqu'il", "jusqu a l aube lorsqu il",
	    "French elision after ...qu");
	fold_is("dell'Ucraina, un'altra", "dell ucraina un altra",
	    "Italian elided prepositions");
	fold_is("aujourd'hui, rock'n'roll", "aujourd'hui rock'n'roll",
	    "other apostrophes stay inside");
	fold_is("U.S.", "us", "U.S. is one token");
	fold_is("U.S", "us", "U.S without final dot");
	fold_is("E.U. and U.K.", "eu and uk", "E.U., U.K.");
	fold_is("soft\xc2\xadhyphen", "softhyphen", "soft hyphen vanishes");
	fold_is("zero\xe2\x80\x8bwidth", "zerowidth", "zero-width space vanishes");
	fold_is("non\xc2\xa0" "breaking", "non breaking", "NBSP is a space");
	fold_is("narrow\xe2\x80\xafno-break", "narrow no break", "narrow NBSP is a space");
	fold_is("“lethal aid”", "lethal aid", "curly quotes are not words");
	fold_is("Лукашенко Беларусь", "лукашенко беларусь", "Cyrillic case folds");
	fold_is("Лукашэнка", "лукашэнка", "Belarusian letters kept");
	fold_is("санкций Йошкар", "санкций йошкар", "й keeps its breve");
	fold_is("ёлка", "елка", "ё folds to е");
	fold_is("习近平", "习 近 平", "Han: one token per character");
	fold_is("3.5 per cent, 1,000 troops", "3.5 per cent 1,000 troops",
	    "decimal point and thousands separator stay in numbers");
	fold_is("", "", "empty text");
	fold_is("!!! ... ---", "", "punctuation only");

	/* Precomposed (fast path) and decomposed (full path) forms agree. */
	same_fold("Йошкар-Ола", "И\xcc\x86ошкар-Ола", 0, "й: NFC = NFD");
	same_fold("Йошкар-Ола", "И\xcc\x86ошкар-Ола", TEXT_KEEP_MARKS,
	    "й: NFC = NFD, marks kept");
	same_fold("ΐ Ελλάδα", "ι\xcc\x88\xcc\x81 Ελλα\xcc\x81δα", TEXT_KEEP_MARKS,
	    "Greek: NFC = NFD, marks kept");
	same_fold("Ǆoković Zürich", "DŽoković Zu\xcc\x88rich", 0,
	    "compatibility digraph and umlaut");
	same_fold("Пётр ПЁТР", "петр петр", 0, "ё = е in both cases");

	s = text_fold("Biélorussie", TEXT_KEEP_MARKS);
	is_str(s, "biélorussie", "TEXT_KEEP_MARKS keeps the accent");
	free(s);
	s = text_fold("Bie\xcc\x81lorussie", TEXT_KEEP_MARKS);
	is_str(s, "biélorussie", "TEXT_KEEP_MARKS composes NFD input");
	free(s);
}

static void
test_tokens(void)
{
	struct tokens	 t;
	const char	*s;
	size_t		 n;

	tokens_init(&t);

	s = "China’s Xi'an";
	n = tok(&t, s);
	is_int(n, 2, "China’s Xi'an: two tokens");
	is_str(token_key(&t, 0), "china", "key china");
	is_str(token_orig(&t, 0), "China", "orig keeps case, drops possessive");
	ok(t.v[0].flags & TOK_POSS, "TOK_POSS on China’s");
	is_str(surface(&t, s, 0), "China’s", "span covers the original bytes");
	is_int(t.v[1].start, strlen("China’s "), "second token starts after "
	    "the 3-byte apostrophe");
	ok(strcmp(token_key(&t, 1), "xi") != 0, "Xi'an does not yield xi");

	s = "ＳＨＡＮＧＨＡＩ";
	tok(&t, s);
	is_int(t.v[0].end, strlen(s), "full-width span ends at byte 24");
	is_str(token_orig(&t, 0), "SHANGHAI", "orig is NFKC");
	ok(t.v[0].flags & TOK_UPPER, "TOK_UPPER on SHANGHAI");

	s = "the U.S. said";
	n = tok(&t, s);
	is_int(n, 3, "U.S. is one token");
	is_str(token_key(&t, 1), "us", "U.S. key");
	is_str(token_orig(&t, 1), "US", "U.S. orig without dots");
	ok((t.v[1].flags & (TOK_ABBREV | TOK_UPPER)) == (TOK_ABBREV | TOK_UPPER),
	    "TOK_ABBREV and TOK_UPPER on U.S.");
	is_str(surface(&t, s, 1), "U.S.", "abbreviation span includes the dot");
	is_int(t.v[2].sent, 0, "U.S. does not end the sentence");

	s = "Sino-Russian ties, Sino - Russian, a/b";
	n = tok(&t, s);
	is_int(n, 7, "hyphens and slashes separate");
	ok(!(t.v[0].flags & TOK_JOINED), "first part not joined");
	ok(t.v[1].flags & TOK_JOINED, "Russian joined by hyphen");
	ok(!(t.v[4].flags & TOK_JOINED), "spaced hyphen does not join");
	ok(t.v[6].flags & TOK_JOINED, "slash joins");

	s = "l’Ukraine";
	n = tok(&t, s);
	is_int(n, 2, "l’Ukraine: two tokens");
	is_str(surface(&t, s, 1), "Ukraine", "ukraine span");
	ok(!(t.v[1].flags & TOK_JOINED), "elision is not a join");

	s = "习近平会见";
	n = tok(&t, s);
	is_int(n, 5, "5 Han characters, 5 tokens");
	ok(t.v[0].flags & TOK_CJK, "TOK_CJK");
	is_int(t.v[2].start, 6, "third character at byte 6");
	is_str(token_key(&t, 2), "平", "third key");
	ok(!(t.v[0].flags & TOK_UPPER), "Han is not upper case");

	s = "ｶﾞ";
	n = tok(&t, s);
	is_int(n, 1, "half-width kana with voiced mark: one token");
	is_str(token_key(&t, 0), "ガ", "composed by NFKC");

	s = "Beijing\xc2\xa0said";
	n = tok(&t, s);
	is_int(n, 2, "NBSP separates");
	is_int(t.v[1].start, 9, "offset after the 2-byte NBSP");

	s = "co\xc2\xadoper\xc2\xad" "ation";
	n = tok(&t, s);
	is_int(n, 1, "soft hyphens keep one word");
	is_str(token_key(&t, 0), "cooperation", "soft hyphens dropped from key");
	is_int(t.v[0].end, strlen(s), "span covers the soft hyphens");

	tokens_release(&t);
}

static void
test_sentences(void)
{
	struct tokens	t;
	const char	*s;
	size_t		n;

	tokens_init(&t);
	s = "Mr. Smith met Gen. Lee in the U.S. on Jan. 5. J. Doe said no! "
	    "\"Why?\" he asked. It is 3.5 km…\nNew para. Last";
	n = tok(&t, s);
	/* Mr Smith met Gen Lee in the US on Jan 5 | J Doe said no | Why |
	 * he asked | It is 3.5 km || New para | Last */
	is_int(n, 25, "token count");
	is_int(t.v[10].sent, 0, "5 still in sentence 0 (Mr., Gen., U.S., Jan.)");
	is_int(t.v[11].sent, 1, "J. starts sentence 1");
	is_int(t.v[12].sent, 1, "J. Doe: an initial does not end it");
	is_int(t.v[15].sent, 2, "Why after no!");
	is_int(t.v[16].sent, 3, "?\" ends the sentence");
	is_int(t.v[18].sent, 4, "It starts a sentence after asked.");
	is_int(t.v[21].para, 0, "km in paragraph 0");
	is_int(t.v[22].para, 1, "New in paragraph 1");
	is_int(t.v[22].sent, 5, "newline ends the sentence");
	is_int(t.v[24].sent, 6, "Last after para.");

	s = "他说。然后";
	n = tok(&t, s);
	is_int(n, 4, "CJK tokens");
	is_int(t.v[2].sent, 1, "。 ends a sentence without a space");

	s = "example.com and Node.js";
	n = tok(&t, s);
	is_int(t.v[n - 1].sent, 0, "a dot inside a word does not end a sentence");

	s = "\n\n\nfirst\n\n\nsecond";
	tok(&t, s);
	is_int(t.v[0].para, 0, "leading newlines: paragraph 0");
	is_int(t.v[1].para, 1, "several newlines: one more paragraph");
	tokens_release(&t);
}

static void
test_case(void)
{
	struct tokens	t;

	tokens_init(&t);
	tok(&t, "CHINA AND BELARUS SIGN DEAL");
	ok(t.allcaps, "all-caps headline");
	ok(t.v[0].flags & TOK_UPPER, "TOK_UPPER on CHINA");
	tok(&t, "China and BELARUS");
	ok(!t.allcaps, "mixed case is not all caps");
	ok(!(t.v[0].flags & TOK_UPPER), "China not upper");
	ok(t.v[2].flags & TOK_UPPER, "BELARUS upper");
	tok(&t, "SCO");
	ok(!t.allcaps, "three letters are too few for all caps");
	tok(&t, "ЛУКАШЕНКО ПРИБЫЛ");
	ok(t.allcaps, "Cyrillic all caps");
	tok(&t, "2024 50 1");
	ok(!t.allcaps, "digits only are not all caps");
	ok(!(t.v[0].flags & TOK_UPPER), "digits are not upper");
	tokens_release(&t);
}

static void
test_hostile(void)
{
	struct tokens	 t;
	const char	 bad[] = "Chi\xff" "na \xc3 Bel\xe2\x80" "arus \xed\xa0\x80x";
	const char	 nul[] = "Xi\0Jinping";
	char		*big;
	size_t		 i, n, len = 1 << 20;

	tokens_init(&t);
	n = tok(&t, bad);
	is_int(n, 3, "invalid bytes skipped");
	is_str(token_key(&t, 0), "china", "invalid byte inside a word is skipped");
	is_str(token_key(&t, 1), "belarus", "truncated sequence skipped");
	is_str(token_key(&t, 2), "x", "surrogate encoding skipped");

	text_tokenize(&t, nul, sizeof(nul) - 1, 0);
	is_int(t.n, 2, "NUL separates words");
	is_str(token_key(&t, 1), "jinping", "after NUL");

	big = malloc(5);
	memcpy(big, "pi 3.", 5);	/* no NUL: a number at the very end */
	text_tokenize(&t, big, 5, 0);
	is_int(t.n, 2, "number then dot at the end of unterminated input");
	is_str(token_key(&t, 1), "3", "the dot is not part of the number");
	memcpy(big, "pi 3,", 5);
	text_tokenize(&t, big, 5, 0);
	is_str(token_key(&t, 1), "3", "nor a trailing comma");
	free(big);

	text_tokenize(&t, NULL, 0, 0);
	is_int(t.n, 0, "NULL text, no tokens");

	big = malloc(len);
	for (i = 0; i < len; i++)
		big[i] = "a.\n"[i % 3];
	text_tokenize(&t, big, len, 0);
	ok(t.n == (len + 2) / 3, "many sentences: %zu tokens", t.n);
	is_int(t.v[t.n - 1].sent, 65535, "sentence counter saturates");
	is_int(t.v[t.n - 1].para, 65535, "paragraph counter saturates");
	ok(t.n <= len, "tokens <= bytes");

	memset(big, 'x', len);
	text_tokenize(&t, big, len, 0);
	is_int(t.n, len / 256, "an endless word is cut every 256 characters");
	is_int(strlen(token_key(&t, 0)), 256, "256 bytes per piece");
	for (i = 0; i + 2 <= len; i += 2)
		memcpy(big + i, "\xcc\x81", 2);	/* combining marks only */
	text_tokenize(&t, big, len, 0);
	is_int(t.n, 0, "stray combining marks make no tokens");
	free(big);
	tokens_release(&t);
}

static void
test_stem(void)
{
	char	*s;

	s = text_stem("sanctions", "en");
	is_str(s, "sanction", "english: sanctions");
	free(s);
	s = text_stem("sanctioned", NULL);
	is_str(s, "sanction", "default english: sanctioned");
	free(s);
	s = text_stem("санкций", "ru");
	is_str(s, "санкц", "russian: санкций");
	free(s);
	s = text_stem("санкциями", "russian");
	is_str(s, "санкц", "russian by name: санкциями");
	free(s);
	ok(text_stem_lang_ok("de"), "german known");
	ok(text_stem_lang_ok("fr"), "french known");
	ok(text_stem_lang_ok("es"), "spanish known");
	ok(!text_stem_lang_ok("xx"), "xx unknown");
	ok(text_stem("word", "klingon") == NULL, "unknown language: NULL");
	text_stem_cleanup();
	s = text_stem("cooperation", "en");
	is_str(s, "cooper", "stemmer works again after cleanup");
	free(s);
	text_stem_cleanup();
}

int
main(void)
{
	test_fold();
	test_tokens();
	test_sentences();
	test_case();
	test_hostile();
	test_stem();
	return tap_done();
}
