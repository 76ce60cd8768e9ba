/*
 * Internals shared by rules.c, rules-lex.c and rules-expr.c: the tokens of
 * one line, the parser state of one file and the id index. Not a public
 * header: nothing outside the rule parser includes it.
 */
#ifndef WW_RULES_INT_H
#define WW_RULES_INT_H

#include <stddef.h>

#include "rules.h"
#include "text.h"

enum tok_type { T_WORD, T_STRING, T_LPAREN, T_RPAREN, T_COLON, T_END };

struct tok {
	enum tok_type	 type;
	const char	*s;		/* WORD: bytes in the line (not terminated) */
	size_t		 len;
	char		*str;		/* WORD and STRING: terminated copy/value */
	unsigned	 col;
};

struct rname {
	const char	*name;		/* borrowed from the rule */
	char		 kind;		/* 'a' 't' 'w' 'x' (exclude), 'T' (test) */
	int		 idx;
	struct rloc	 loc;
};

struct rindex {
	struct rname	*v;		/* open addressing, cap a power of two */
	size_t		 n, cap;
};

/* Diagnostics are collected, then printed sorted by file, line, column. */
struct dent {
	size_t		 file;		/* index in rs->files */
	unsigned	 line, col;
	int		 err;
	size_t		 seq;
	char		*msg;
};

struct dlist {
	struct dent	*v;
	size_t		 n, cap;
	size_t		 errors;
};

void		 dlist_add(struct dlist *, size_t file, unsigned line,
		    unsigned col, int err, char *msg);

struct parser {
	struct ruleset	*rs;
	struct dlist	*dl;
	struct rindex	*tests;		/* test ids: their own name space */
	const char	*file;		/* owned by rs */
	size_t		 fileno;	/* index of file in rs->files */
	unsigned	 seen[32];	/* line of single-valued keys in this block */
	unsigned	 lineno;
	unsigned	 file_errors;	/* errors in this file so far */
	unsigned	 errors_at_line;/* d->errors when the line started */
	/* the current line */
	const char	*line;
	size_t		 linelen;
	unsigned	 indent;	/* visual column of the first non-blank, 0-based */
	size_t		 coloff;	/* lex_col() cache: column colval at coloff */
	unsigned	 colval;
	struct tok	*tok;
	size_t		 ntok, tokcap, pos;
	/* the current block */
	char		 kind;		/* 'a' 't' 'w' 'x' 'T', 0: none, '?': skip */
	size_t		 idx;
	int		 person;	/* actor: person that alias lines attach to */
	unsigned	 person_indent;
	struct tokens	 tk;		/* reused by fold() */
	size_t		 block_errors;	/* errors before the block's body */
	char		*bkind;		/* blocks whose body had errors */
	size_t		*bidx, nbroken;
	int		 depth;		/* expression nesting */
	int		 expr_failed;	/* a syntax error ended this expression */
};

/* Append room for one more element to v holding n (capacity doubles). */
#define GROW(v, n) do {							\
	if (((n) & ((n) - 1)) == 0)					\
		(v) = xreallocarray((v), (n) != 0 ? 2 * (n) : 1, sizeof *(v)); \
} while (0)

/* rules-lex.c */
int		 lex_line(struct parser *, const char *, size_t);
void		 lex_clear(struct parser *);
unsigned	 lex_col(struct parser *, size_t off);
const char	*tok_desc(const struct tok *, char *, size_t);
int		 tok_is(const struct tok *, const char *word);
int		 id_valid(const char *);
const char	*suggest(const char *word, const char *const *cands, size_t n);
unsigned	 edit_distance(const char *, const char *, unsigned limit);
void		 perr(struct parser *, unsigned col, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 pwarn(struct parser *, unsigned col, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* rules-expr.c */
struct rexpr	*expr_parse(struct parser *);
void		 rexpr_free(struct rexpr *);
const struct rexpr *expr_find_not(const struct rexpr *);

/* rules.c */
int		 term_parse(struct parser *, struct rterm *, enum term_kind,
		    char **role, int in_expr);
void		 rterm_release(struct rterm *);

/* rindex (rules.c) */
struct rname	*rindex_get(const struct rindex *, const char *);
struct rname	*rindex_put(struct rindex *, const char *, char, int,
		    const struct rloc *);
void		 rindex_free(struct rindex *);

#endif
