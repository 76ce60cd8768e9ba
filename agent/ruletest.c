/*
 * Running the `test` blocks of a rule set: each block is an article (title
 * and body text) matched with a fresh matcher; every expectation that does
 * not hold becomes a diagnostic at its own line. No file I/O (the parser has
 * already read `file` bodies into the text).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "match.h"
#include "ruletest.h"
#include "rules.h"
#include "util.h"

static const struct mhit *
hit_find(const struct mresult *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->nhits; i++)
		if (strcmp(r->hits[i].name, name) == 0)
			return &r->hits[i];
	return NULL;
}

static int
test_run(struct matcher *m, const struct rtest *t, struct diag *d,
    FILE *verbose)
{
	struct article		 art;
	struct mresult		*r;
	const struct mhit	*h;
	struct buf		 b;
	char			*text;
	size_t			 i;
	int			 fails = 0;

	memset(&art, 0, sizeof(art));
	art.title = t->title;
	art.content = t->text;
	art.date = DATE_NONE;
	r = match_article(m, &art, verbose != NULL);
	for (i = 0; i < t->nexpect; i++) {
		if (hit_find(r, t->expect[i]) != NULL)
			continue;
		diag_error(d, t->expect_loc[i].file, t->expect_loc[i].line,
		    t->expect_loc[i].col, "test %s: '%s' did not match",
		    t->id, t->expect[i]);
		fails++;
	}
	for (i = 0; i < t->nexpect_not; i++) {
		if ((h = hit_find(r, t->expect_not[i])) == NULL)
			continue;
		text = h->nspans > 0 ? mresult_span_text(r, &h->spans[0]) :
		    xstrdup("");
		diag_error(d, t->expect_not_loc[i].file,
		    t->expect_not_loc[i].line, t->expect_not_loc[i].col,
		    "test %s: '%s' matched (\"%s\") but must not", t->id,
		    t->expect_not[i], text);
		free(text);
		fails++;
	}
	if (verbose != NULL) {
		fprintf(verbose, "%s %s (%s:%u)\n", fails ? "FAIL" : "ok",
		    t->id, t->loc.file, t->loc.line);
		if (fails) {
			buf_init(&b, 0);
			mresult_explain(m, r, &b);
			if (b.len > 0)
				fputs(b.data, verbose);
			buf_release(&b);
		}
	}
	mresult_free(r);
	return fails;
}

int
ruletest_run(const struct ruleset *rs, struct diag *d, FILE *verbose)
{
	struct matcher	*m;
	char		*cause = NULL;
	size_t		 i;
	int		 fails = 0;

	if (rs->ntests == 0)
		return 0;
	if ((m = matcher_new(rs, &cause)) == NULL) {
		diag_error(d, rs->tests[0].loc.file, rs->tests[0].loc.line,
		    rs->tests[0].loc.col, "%s", cause != NULL ? cause :
		    "cannot compile the rules");
		free(cause);
		return 1;
	}
	for (i = 0; i < rs->ntests; i++)
		fails += test_run(m, &rs->tests[i], d, verbose);
	matcher_free(m);
	return fails;
}
