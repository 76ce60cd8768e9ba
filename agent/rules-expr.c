/*
 * The expression parser of rule files (watch match/require/unless, exclude
 * when): recursive descent over the tokens of one line, producing struct
 * rexpr trees whose references are resolved later by rules.c. Precedence,
 * tightest first: field scope, near, not, and, or. Nesting is capped at
 * RULES_MAX_DEPTH. The first syntax error abandons the expression.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules-int.h"
#include "util.h"

static struct rexpr	*parse_or(struct parser *, int *);

static const char *const facet_names[] = {
	"all", "strict", "leader", "gov", "people", "members"
};

static const struct {
	const char	*name;
	unsigned	 fields;
} field_names[] = {
	{ "title",	FIELD_TITLE },
	{ "summary",	FIELD_SUMMARY },
	{ "content",	FIELD_CONTENT },
	{ "body",	FIELD_BODY },
	{ "any",	FIELD_ANY },
};

const char *
rfacet_name(enum rfacet f)
{
	return (size_t)f < nitems(facet_names) ? facet_names[f] : "?";
}

void
rexpr_free(struct rexpr *e)
{
	if (e == NULL)
		return;
	rexpr_free(e->a);
	rexpr_free(e->b);
	free(e->name);
	free(e);
}

const struct rexpr *
expr_find_not(const struct rexpr *e)
{
	const struct rexpr	*n;

	if (e == NULL)
		return NULL;
	if (e->op == RX_NOT)
		return e;
	if ((n = expr_find_not(e->a)) != NULL)
		return n;
	return expr_find_not(e->b);
}

static struct rexpr *
node_new(struct parser *p, enum rexpr_op op, unsigned col)
{
	struct rexpr	*e;

	e = xcalloc(1, sizeof *e);
	e->op = op;
	e->loc.file = p->file;
	e->loc.line = p->lineno;
	e->loc.col = col;
	e->ref = -1;
	return e;
}

static struct rexpr *
node_bin(struct parser *p, enum rexpr_op op, unsigned col, struct rexpr *a,
    struct rexpr *b)
{
	struct rexpr	*e;

	e = node_new(p, op, col);
	e->a = a;
	e->b = b;
	return e;
}

static struct tok *
cur(struct parser *p)
{
	return &p->tok[p->pos];
}

static void
syntax(struct parser *p, unsigned col, const char *what)
{
	if (!p->expr_failed)
		perr(p, col, "%s", what);
	p->expr_failed = 1;
}

static int
is_near_word(const char *w)
{
	return strncmp(w, "near", 4) == 0 || strncmp(w, "onear", 5) == 0;
}

static int
is_op_word(const char *w)
{
	return strcmp(w, "and") == 0 || strcmp(w, "or") == 0 ||
	    strcmp(w, "not") == 0 || is_near_word(w);
}

/* "AND", "Or", "NEAR/3": an operator in the wrong case. */
static const char *
wrong_case_op(const struct tok *t)
{
	static const char *const ops[] = { "and", "or", "not" };
	size_t	i;

	if (t->type != T_WORD)
		return NULL;
	for (i = 0; i < nitems(ops); i++)
		if (strcasecmp(t->str, ops[i]) == 0 && strcmp(t->str, ops[i]) != 0)
			return ops[i];
	if ((strncasecmp(t->str, "near", 4) == 0 && strncmp(t->str, "near", 4) != 0) ||
	    (strncasecmp(t->str, "onear", 5) == 0 && strncmp(t->str, "onear", 5) != 0))
		return "near";
	return NULL;
}

/* Report what is wrong with the token where an operator or the end was due. */
static void
unexpected(struct parser *p)
{
	struct tok	*t = cur(p);
	const char	*op;
	char		 desc[64], msg[200], lower[48];
	size_t		 i;

	if ((op = wrong_case_op(t)) != NULL) {
		for (i = 0; i < sizeof lower - 1 && t->str[i] != '\0'; i++)
			lower[i] = t->str[i] >= 'A' && t->str[i] <= 'Z' ?
			    t->str[i] - 'A' + 'a' : t->str[i];
		lower[i] = '\0';
		snprintf(msg, sizeof msg, "operators are lower case: write "
		    "'%s' instead of %s", lower, tok_desc(t, desc, sizeof desc));
	}
	else if (t->type == T_RPAREN)
		snprintf(msg, sizeof msg, "')' without a matching '('");
	else
		snprintf(msg, sizeof msg, "expected an operator ('and', 'or', "
		    "'near/N') before %s", tok_desc(t, desc, sizeof desc));
	syntax(p, t->col, msg);
}

static int
descend(struct parser *p, unsigned col)
{
	if (++p->depth > RULES_MAX_DEPTH) {
		if (!p->expr_failed)
			perr(p, col, "expression nested more than %d levels deep",
			    RULES_MAX_DEPTH);
		p->expr_failed = 1;
		return -1;
	}
	return 0;
}

static struct rexpr *
parse_ref(struct parser *p, struct tok *t)
{
	struct rexpr	*e;
	const char	*dot, *hint;
	char		*name, lower[72];
	size_t		 i, len;
	int		 actor = t->str[0] == '@', f = FACET_ALL;

	dot = actor ? strchr(t->str, '.') : NULL;
	len = dot != NULL ? (size_t)(dot - t->str) - 1 : strlen(t->str) - 1;
	name = xstrndup(t->str + 1, len);
	if (!id_valid(name)) {
		for (i = 0; i < len && i < sizeof lower - 1; i++)
			lower[i] = name[i] >= 'A' && name[i] <= 'Z' ?
			    name[i] - 'A' + 'a' : name[i];
		lower[i] = '\0';
		if (len < sizeof lower && id_valid(lower))
			perr(p, t->col, "ids are lower case: write '%c%s'",
			    t->str[0], lower);
		else if (len == 0)
			perr(p, t->col, "'%c' must be followed by an id", t->str[0]);
		else
			perr(p, t->col, "bad %s reference '%c%.40s' (ids are lower-case "
			    "letters, digits, '-' and '_', starting with a letter)",
			    actor ? "actor" : "topic", t->str[0], name);
		free(name);
		p->expr_failed = 1;
		return NULL;
	}
	if (dot != NULL) {
		for (f = 1; f < (int)nitems(facet_names); f++)
			if (strcmp(dot + 1, facet_names[f]) == 0)
				break;
		if (f == (int)nitems(facet_names)) {
			hint = suggest(dot + 1, facet_names + 1,
			    nitems(facet_names) - 1);
			if (hint != NULL)
				perr(p, t->col + 1 + (unsigned)len, "unknown facet "
				    "'.%s' (did you mean '.%s'?)", dot + 1, hint);
			else
				perr(p, t->col + 1 + (unsigned)len, "unknown facet "
				    "'.%s' (facets: .strict .leader .gov .people "
				    ".members)", dot + 1);
			f = FACET_ALL;
		}
	}
	e = node_new(p, actor ? RX_ACTOR : RX_TOPIC, t->col);
	e->name = name;
	e->facet = (enum rfacet)f;
	p->pos++;
	return e;
}

static struct rexpr *
parse_literal(struct parser *p)
{
	struct ruleset	*rs = p->rs;
	struct rexpr	*e;
	unsigned	 col = cur(p)->col;

	GROW(rs->literals, rs->nliterals);
	if (term_parse(p, &rs->literals[rs->nliterals], TK_LITERAL, NULL, 1) == -1) {
		rterm_release(&rs->literals[rs->nliterals]);
		p->expr_failed = 1;
		return NULL;
	}
	e = node_new(p, RX_TERM, col);
	e->ref = (int)rs->nliterals++;
	return e;
}

static struct rexpr *
parse_prim(struct parser *p, int in_near)
{
	struct tok	*t = cur(p);
	struct rexpr	*e, *sub;
	const char	*hint, *names[nitems(field_names)];
	char		 desc[64], msg[200];
	size_t		 i;
	unsigned	 col = t->col;
	int		 bare;

	switch (t->type) {
	case T_LPAREN:
		p->pos++;
		if (descend(p, col) == -1)
			return NULL;
		e = parse_or(p, &bare);
		p->depth--;
		if (e == NULL)
			return NULL;
		if (cur(p)->type != T_RPAREN) {
			if (cur(p)->type == T_END) {
				snprintf(msg, sizeof msg, "missing ')' for the '(' "
				    "at column %u", col);
				syntax(p, cur(p)->col, msg);
			} else
				unexpected(p);
			rexpr_free(e);
			return NULL;
		}
		p->pos++;
		return e;
	case T_STRING:
		return parse_literal(p);
	case T_WORD:
		break;
	case T_RPAREN:
		syntax(p, col, "expected an operand before ')'");
		return NULL;
	case T_COLON:
		syntax(p, col, "expected a field name before ':'");
		return NULL;
	case T_END:
		syntax(p, col, "expected an operand at the end of the line");
		return NULL;
	}
	if ((t->str[0] == '@' || t->str[0] == '#') && t->len > 0)
		return parse_ref(p, t);
	if (p->tok[p->pos + 1].type == T_COLON) {
		for (i = 0; i < nitems(field_names); i++) {
			names[i] = field_names[i].name;
			if (strcmp(t->str, names[i]) == 0)
				break;
		}
		if (i == nitems(field_names)) {
			if ((hint = suggest(t->str, names, nitems(names))) != NULL)
				snprintf(msg, sizeof msg, "unknown field %s (did you "
				    "mean '%s'?)", tok_desc(t, desc, sizeof desc), hint);
			else
				snprintf(msg, sizeof msg, "unknown field %s (fields: "
				    "title summary content body any)",
				    tok_desc(t, desc, sizeof desc));
			syntax(p, col, msg);
			return NULL;
		}
		p->pos += 2;
		if (descend(p, col) == -1)
			return NULL;
		sub = parse_prim(p, 0);
		p->depth--;
		if (sub == NULL)
			return NULL;
		e = node_new(p, RX_FIELD, col);
		e->fields = field_names[i].fields;
		e->a = sub;
		return e;
	}
	if (tok_is(t, "not")) {
		syntax(p, col, in_near ? "'not' cannot be an operand of near" :
		    "put 'not' in parentheses here: (not ...)");
		return NULL;
	}
	if (is_op_word(t->str) || wrong_case_op(t) != NULL) {
		snprintf(msg, sizeof msg, "expected an operand before %s",
		    tok_desc(t, desc, sizeof desc));
		syntax(p, col, msg);
		return NULL;
	}
	if (id_valid(t->str))
		snprintf(msg, sizeof msg, "bare word '%s' in an expression: write "
		    "'@%s' (actor), '#%s' (topic) or '\"%s\"' (the word itself)",
		    t->str, t->str, t->str, t->str);
	else
		snprintf(msg, sizeof msg, "unexpected %s: expected '@actor', "
		    "'#topic', a quoted string or '('", tok_desc(t, desc, sizeof desc));
	syntax(p, col, msg);
	return NULL;
}

/* The N of near/N, or NEAR_SENTENCE; -2 after an error (reported). */
static int
parse_near_word(struct parser *p, struct tok *t, int *ordered)
{
	const char	*arg;
	char		*end;
	long		 n;

	*ordered = t->str[0] == 'o';
	arg = t->str + (*ordered ? 5 : 4);
	if (*arg != '/' || arg[1] == '\0') {
		syntax(p, t->col, *ordered ? "write 'onear/N': at most N words "
		    "between, in order" : "write 'near/N' (at most N words "
		    "between) or 'near/s' (same sentence)");
		return -2;
	}
	arg++;
	if (strcmp(arg, "s") == 0) {
		if (*ordered) {
			syntax(p, t->col, "'onear/s' is not supported: use 'near/s'");
			return -2;
		}
		return NEAR_SENTENCE;
	}
	if (*arg < '0' || *arg > '9' || (n = strtol(arg, &end, 10), *end != '\0')) {
		syntax(p, t->col, "bad distance: write 'near/N' with a number "
		    "N, or 'near/s'");
		return -2;
	}
	if (n > 50 || strlen(arg) > 3) {
		perr(p, t->col, "'%s': the distance can be at most 50 words",
		    strlen(t->str) > 12 ? "near/..." : t->str);
		return 50;
	}
	return (int)n;
}

static void
check_near_operand(struct parser *p, const struct rexpr *e)
{
	const struct rexpr	*n;

	if ((n = expr_find_not(e)) != NULL)
		perr(p, n->loc.col, "'not' cannot be an operand of near");
}

static struct rexpr *
parse_near(struct parser *p)
{
	struct rexpr	*left, *right, *e;
	struct tok	*t;
	int		 n, ordered, first = 1;

	if ((left = parse_prim(p, 0)) == NULL)
		return NULL;
	while ((t = cur(p))->type == T_WORD && is_near_word(t->str)) {
		if ((n = parse_near_word(p, t, &ordered)) == -2)
			goto fail;
		p->pos++;
		if ((right = parse_prim(p, 1)) == NULL)
			goto fail;
		if (first)
			check_near_operand(p, left);
		check_near_operand(p, right);
		first = 0;
		e = node_bin(p, RX_NEAR, t->col, left, right);
		e->near = n;
		e->ordered = ordered;
		left = e;
	}
	return left;
fail:
	rexpr_free(left);
	return NULL;
}

static struct rexpr *
parse_not(struct parser *p)
{
	struct rexpr	*e, *sub;
	unsigned	 col;

	if (!tok_is(cur(p), "not"))
		return parse_near(p);
	col = cur(p)->col;
	p->pos++;
	if (descend(p, col) == -1)
		return NULL;
	sub = parse_not(p);
	p->depth--;
	if (sub == NULL)
		return NULL;
	e = node_new(p, RX_NOT, col);
	e->a = sub;
	return e;
}

static struct rexpr *
parse_and(struct parser *p, int *bare)
{
	struct rexpr	*left, *right;
	unsigned	 col;

	*bare = 0;
	if ((left = parse_not(p)) == NULL)
		return NULL;
	while (tok_is(cur(p), "and")) {
		col = cur(p)->col;
		p->pos++;
		if ((right = parse_not(p)) == NULL) {
			rexpr_free(left);
			return NULL;
		}
		left = node_bin(p, RX_AND, col, left, right);
		*bare = 1;
	}
	return left;
}

static struct rexpr *
parse_or(struct parser *p, int *bare)
{
	struct rexpr	*left, *right;
	unsigned	 col, orcol = 0;
	int		 mixed, b;

	if ((left = parse_and(p, &mixed)) == NULL)
		return NULL;
	*bare = 0;
	while (tok_is(cur(p), "or")) {
		col = cur(p)->col;
		if (orcol == 0)
			orcol = col;
		p->pos++;
		if ((right = parse_and(p, &b)) == NULL) {
			rexpr_free(left);
			return NULL;
		}
		mixed |= b;
		left = node_bin(p, RX_OR, col, left, right);
		*bare = 1;
	}
	if (*bare && mixed)
		pwarn(p, orcol, "'and' and 'or' mixed without parentheses; "
		    "read as (A and B) or C");
	if (wrong_case_op(cur(p)) != NULL || cur(p)->type == T_STRING ||
	    cur(p)->type == T_LPAREN || (cur(p)->type == T_WORD &&
	    !tok_is(cur(p), "as"))) {
		unexpected(p);
		rexpr_free(left);
		return NULL;
	}
	return left;
}

/*
 * Parse an expression starting at the current token. Stops at the end of
 * the line or at the word "as" (the caller decides whether that is
 * allowed). NULL after an error (reported).
 */
struct rexpr *
expr_parse(struct parser *p)
{
	struct rexpr	*e;
	int		 bare;

	p->depth = 0;
	p->expr_failed = 0;
	e = parse_or(p, &bare);
	if (e != NULL && cur(p)->type == T_RPAREN) {
		unexpected(p);
		rexpr_free(e);
		return NULL;
	}
	if (e == NULL && !p->expr_failed)
		syntax(p, cur(p)->col, "bad expression");
	return e;
}
