/*
 * The matcher: a rule set compiled into one token automaton, run over an
 * article to find which actors, topics and watches it matches, with the
 * evidence (spans) for each and, on request, what was suppressed and why.
 * No I/O.
 */
#ifndef WW_MATCH_H
#define WW_MATCH_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct matcher;
struct ruleset;
struct rterm;

struct article {
	const char	*title;
	const char	*summary;
	const char	*content;
	int64_t		 date;		/* DATE_NONE when unknown */
};

struct mspan {
	unsigned		 field;		/* one FIELD_* bit */
	uint32_t		 start, end;	/* byte offsets in that field's text */
	uint16_t		 sent;
	const struct rterm	*term;		/* the rule string that matched */
};

struct mhit {
	char		 kind;		/* 'a' actor, 't' topic, 'w' watch */
	int		 idx;		/* index in the rule set */
	const char	*name;		/* rule id */
	const char	*branch;	/* watch: name of the branch that fired, or NULL */
	int		 branchno;	/* watch: 1-based number of that branch */
	struct mspan	*spans;
	size_t		 nspans;
};

struct msuppressed {
	struct mspan	 span;		/* kind 'w': no span (term NULL) */
	char		 kind;		/* owner: 'a' or 't'; 'w' a watch that did not fire */
	int		 idx;
	char		*why;		/* "inside 'fine china' (not, china.rules:30)" ... */
};

struct mresult {
	struct mhit		*hits;	/* actors, then topics, then watches, each in rule order */
	size_t			 nhits;
	/*
	 * Filled only when explaining: spans dropped by a `not` phrase, as
	 * weak, or by an exclusion; case mismatches and terms found inside a
	 * longer word (both capped per article); watches with a true branch
	 * that a require, an unless or an exclusion stopped.
	 */
	struct msuppressed	*sup;
	size_t			 nsup;
	char			*fields[3];	/* copies of title, summary, content */
};

/*
 * Compile a rule set; it must outlive the matcher. A matcher keeps scratch
 * space for one article: use it from one thread at a time.
 */
struct matcher	*matcher_new(const struct ruleset *, char **cause);
void		 matcher_free(struct matcher *);
const struct ruleset *matcher_ruleset(const struct matcher *);
/*
 * Match one article; never NULL. Spans are byte offsets in the article's
 * fields (content offsets count from the start of the content even when
 * its first part repeats the summary and is skipped). explain != 0 also
 * records what was suppressed and why.
 */
struct mresult	*match_article(struct matcher *, const struct article *, int explain);
void		 mresult_free(struct mresult *);
/* The "evidence" value of `rules test --json`: {rule: [{field, start, end, text, term}]}. */
void		 mresult_evidence_json(const struct mresult *, struct buf *);
/* Human explanation: branches that fired, spans, suppressions. */
void		 mresult_explain(const struct matcher *, const struct mresult *, struct buf *);
/* The surface text of a span. Caller frees. */
char		*mresult_span_text(const struct mresult *, const struct mspan *);

#endif
