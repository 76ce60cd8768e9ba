/*
 * The `test` blocks of a rule set: small articles with the rule names they
 * must and must not match, run through the matcher.
 */
#ifndef WW_RULETEST_H
#define WW_RULETEST_H

#include <stdio.h>

struct diag;
struct ruleset;

/*
 * Run every test block of rs. Each failing expect / expect-not is reported
 * as an error at its line through d. With verbose non-NULL, one line per
 * test ("ok ID" or "FAIL ID") and, for failures, the explanation go there.
 * Returns the number of failed expectations.
 */
int	ruletest_run(const struct ruleset *rs, struct diag *d, FILE *verbose);

#endif
