/*
 * libFuzzer target: the rule parser (rules_load_buf) on arbitrary bytes,
 * diagnostics counted but not printed. Besides crashes it checks that a
 * rule set is returned exactly when there was no error and that every
 * resolved reference in it is in range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_expr(const struct ruleset *rs, const struct rexpr *e)
{
	if (e == NULL)
		abort();
	switch (e->op) {
	case RX_ACTOR:
		if (e->ref < 0 || (size_t)e->ref >= rs->nactors)
			abort();
		break;
	case RX_TOPIC:
		if (e->ref < 0 || (size_t)e->ref >= rs->ntopics)
			abort();
		break;
	case RX_TERM:
		if (e->ref < 0 || (size_t)e->ref >= rs->nliterals)
			abort();
		break;
	case RX_NOT:
	case RX_FIELD:
		check_expr(rs, e->a);
		break;
	case RX_NEAR:
		if (e->near > 50 || e->near < NEAR_SENTENCE)
			abort();
		/* FALLTHROUGH */
	case RX_AND:
	case RX_OR:
		check_expr(rs, e->a);
		check_expr(rs, e->b);
		break;
	}
}

static void
check(const struct ruleset *rs)
{
	size_t	i, j;

	for (i = 0; i < rs->nactors; i++)
		for (j = 0; j < rs->actors[i].nterms; j++) {
			if (rs->actors[i].terms[j].text == NULL ||
			    rs->actors[i].terms[j].fold == NULL ||
			    rs->actors[i].terms[j].person >=
			    (int)rs->actors[i].npersons)
				abort();
		}
	for (i = 0; i < rs->ntopics; i++)
		for (j = 0; j < rs->topics[i].nincludes; j++)
			if (rs->topics[i].includes[j] < 0 ||
			    (size_t)rs->topics[i].includes[j] >= rs->ntopics)
				abort();
	for (i = 0; i < rs->nwatches; i++) {
		for (j = 0; j < rs->watches[i].nmatch; j++)
			check_expr(rs, rs->watches[i].match[j].expr);
		for (j = 0; j < rs->watches[i].nrequire; j++)
			check_expr(rs, rs->watches[i].require[j]);
		for (j = 0; j < rs->watches[i].nunless; j++)
			check_expr(rs, rs->watches[i].unless[j]);
		if (rs->watches[i].group == NULL)
			abort();
	}
	for (i = 0; i < rs->nexcludes; i++) {
		check_expr(rs, rs->excludes[i].when);
		for (j = 0; j < rs->excludes[i].ndrops; j++)
			if (rs->excludes[i].drops[j].idx < 0)
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset	*rs;
	struct diag	 d;

	diag_init(&d, NULL);
	rs = rules_load_buf("fuzz.rules", (const char *)data, size, &d);
	if ((rs == NULL) != (d.errors > 0))
		abort();
	if (rs != NULL)
		check(rs);
	ruleset_free(rs);
	return 0;
}
