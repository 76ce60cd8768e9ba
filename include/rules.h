/*
 * Rule files (*.rules): parsing into a checked, resolved rule set, with every
 * problem reported as FILE:LINE:COL through a diagnostics collector. No
 * matching here (see match.h); the only I/O is reading the rule files.
 * The language is documented in docs/rules.md and wirewatch.rules(5).
 */
#ifndef WW_RULES_H
#define WW_RULES_H

#include <stddef.h>
#include <stdio.h>

struct rindex;

/* Diagnostics collector: prints "file:line:col: error: msg" and counts. */
struct diag {
	FILE		*out;		/* NULL: count only */
	unsigned	 errors;
	unsigned	 warnings;
	unsigned	 max;		/* stop printing after this many (0: 100) */
	unsigned	 printed;
	unsigned	 files;		/* rule files read (rules_load adds) */
};

void	diag_init(struct diag *, FILE *out);
void	diag_error(struct diag *, const char *file, unsigned line,
	    unsigned col, const char *, ...) __attribute__((format(printf, 5, 6)));
void	diag_warn(struct diag *, const char *file, unsigned line,
	    unsigned col, const char *, ...) __attribute__((format(printf, 5, 6)));
/* 1 when the next diagnostic would be printed (worth computing hints for). */
int	diag_printing(const struct diag *);

/* Limits; going past one is an error, never a crash. */
#define RULES_MAX_FILE	(4u << 20)	/* bytes in one rule file */
#define RULES_MAX_LINE	8192		/* bytes in one line */
#define RULES_MAX_DEPTH	64		/* nesting in an expression */
#define RULES_MAX_FILE_ERRORS 100	/* errors before the rest of a file is skipped */
#define RULES_MAX_TEST_FILE (1u << 20)	/* bytes of a test's `file` */

struct rloc {
	const char	*file;		/* owned by the rule set */
	unsigned	 line, col;
};

/* A `not` phrase (ractor.nots, rtopic.nots) has kind TK_TERM and no flags. */
enum term_kind {
	TK_NAME, TK_ALIAS, TK_DEMONYM, TK_CAPITAL, TK_BODY, TK_PERSON,
	TK_TERM, TK_LITERAL
};

#define TERM_CASE	0x01	/* match the case as written */
#define TERM_WEAK	0x02	/* counts only beside a strong term of its owner */
#define TERM_STEM	0x04	/* compare Snowball stems (lang) */
#define TERM_PREFIX	0x08	/* last token is a prefix (written with '*') */

struct rterm {
	char		*text;		/* as written, without the '*' */
	char		*fold;		/* text_fold(text): folded words, ' ' between */
	enum term_kind	 kind;
	unsigned	 flags;		/* TERM_* */
	char		 lang[8];	/* stem language, "" when none */
	int		 person;	/* index in the actor's persons, -1 */
	struct rloc	 loc;
};

struct rperson {
	char		*name;
	char		*role;		/* "head-of-state", ... or NULL */
	struct rloc	 loc;
};

struct ractor {
	char		*id;
	char		*label;
	struct rloc	 loc;
	struct rterm	*terms;		/* every string that names the actor */
	size_t		 nterms;
	struct rterm	*nots;		/* phrases inside which its spans are dropped */
	size_t		 nnots;
	struct rperson	*persons;
	size_t		 npersons;
	char		**members;	/* member actor ids (organisations) */
	int		*member_idx;	/* resolved index, -1 when not defined */
	struct rloc	*member_loc;
	size_t		 nmembers;
};

struct rtopic {
	char		*id;
	char		*label;
	struct rloc	 loc;
	struct rterm	*terms;
	size_t		 nterms;
	struct rterm	*nots;
	size_t		 nnots;
	int		*includes;	/* resolved topic indices */
	char		**include_names;
	struct rloc	*include_loc;
	size_t		 nincludes;
};

enum rexpr_op {
	RX_ACTOR, RX_TOPIC, RX_TERM, RX_AND, RX_OR, RX_NOT, RX_NEAR, RX_FIELD
};

enum rfacet {
	FACET_ALL,		/* names, demonyms, capitals, bodies, persons */
	FACET_STRICT,		/* names and demonyms only */
	FACET_LEADER,		/* persons whose role is head-of-state/-government */
	FACET_GOV,		/* capitals, bodies, persons except opposition */
	FACET_PEOPLE,		/* persons */
	FACET_MEMBERS		/* the members' spans (organisations) */
};

#define FIELD_TITLE	0x01
#define FIELD_SUMMARY	0x02
#define FIELD_CONTENT	0x04
#define FIELD_BODY	(FIELD_SUMMARY | FIELD_CONTENT)
#define FIELD_ANY	(FIELD_TITLE | FIELD_BODY)

#define NEAR_SENTENCE	(-1)

struct rexpr {
	enum rexpr_op	 op;
	struct rloc	 loc;
	int		 ref;		/* ACTOR/TOPIC: index; TERM: index in literals */
	enum rfacet	 facet;		/* ACTOR */
	int		 near;		/* NEAR: max words between, or NEAR_SENTENCE */
	int		 ordered;	/* NEAR: a must come before b */
	unsigned	 fields;	/* FIELD: FIELD_* mask applied to a */
	struct rexpr	*a, *b;
	char		*name;		/* ACTOR/TOPIC: the id as written */
};

struct rbranch {
	char		*name;		/* "as NAME", or NULL */
	struct rexpr	*expr;
	struct rloc	 loc;
};

enum priority { PRIO_LOW, PRIO_NORMAL, PRIO_HIGH, PRIO_CRITICAL };

struct rwatch {
	char		*id;
	char		*label;
	char		*group;		/* digest section, defaults to the label */
	struct rloc	 loc;
	enum priority	 priority;
	int		 notify;	/* 0: digest only */
	struct rbranch	*match;		/* OR-ed */
	size_t		 nmatch;
	struct rexpr	**require;	/* AND-ed into every branch */
	size_t		 nrequire;
	struct rexpr	**unless;	/* any true vetoes the watch */
	size_t		 nunless;
};

enum rscope { SCOPE_SENTENCE, SCOPE_ARTICLE };

struct rdrop {
	char		 kind;		/* 'a' actor, 't' topic, 'w' watch */
	int		 idx;
	char		*name;		/* the id as written */
	struct rloc	 loc;
};

struct rexclude {
	char		*id;
	char		*label;
	struct rloc	 loc;
	struct rexpr	*when;
	enum rscope	 scope;
	struct rdrop	*drops;
	size_t		 ndrops;
};

struct rtest {
	char		*id;
	struct rloc	 loc;
	char		*title;		/* may be NULL */
	char		*text;		/* body text, may be NULL */
	char		**expect;	/* rule names that must match */
	struct rloc	*expect_loc;
	size_t		 nexpect;
	char		**expect_not;	/* rule names that must not match */
	struct rloc	*expect_not_loc;
	size_t		 nexpect_not;
};

struct ruleset {
	struct ractor	*actors;
	size_t		 nactors;
	struct rtopic	*topics;
	size_t		 ntopics;
	struct rwatch	*watches;
	size_t		 nwatches;
	struct rexclude	*excludes;
	size_t		 nexcludes;
	struct rtest	*tests;
	size_t		 ntests;
	struct rterm	*literals;	/* quoted strings used in expressions */
	size_t		 nliterals;
	char		**files;	/* every file read, owns rloc.file */
	size_t		 nfiles;
	struct rindex	*index;		/* id -> rule, private */
};

/*
 * Load rule files; a path that is a directory is searched recursively for
 * *.rules, read in byte order of their paths. Diagnostics go to d. Returns
 * NULL when there was any error.
 */
struct ruleset	*rules_load(const char *const *paths, size_t npaths, struct diag *d);
/* The same for one in-memory file named name. */
struct ruleset	*rules_load_string(const char *name, const char *text, struct diag *d);
/* The same for len bytes that may hold NUL bytes (fuzzing, stdin). */
struct ruleset	*rules_load_buf(const char *name, const char *data, size_t len,
		    struct diag *d);
void		 ruleset_free(struct ruleset *);
/* Find a rule by name: sets *kind to 'a', 't' or 'w'; -1 when unknown. */
int		 ruleset_find(const struct ruleset *, const char *name, char *kind);
/*
 * 1 when term t of actor a belongs to facet f (FACET_MEMBERS: never; the
 * members' own terms are theirs). `alias` lines outside a person are names.
 */
int		 rterm_in_facet(const struct ractor *a, const struct rterm *t,
		    enum rfacet f);
/* Short name of a facet ("strict") and of a term kind ("demonym"). */
const char	*rfacet_name(enum rfacet);
const char	*term_kind_name(enum term_kind);

#endif
