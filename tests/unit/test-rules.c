/*
 * Unit tests for the rule parser (rules.c, rules-lex.c, rules-expr.c,
 * diag.c): every key, flag and expression form against the AST it must
 * produce, precedence, diagnostics with exact positions, suggestions,
 * directory loading and the limits.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "rules.h"
#include "tap.h"
#include "util.h"

static char	*diags;		/* what the last load() printed */
static struct diag last;

static struct ruleset *
load(const char *text)
{
	struct ruleset	*rs;
	size_t		 len;
	FILE		*f;

	free(diags);
	diags = NULL;
	if ((f = open_memstream(&diags, &len)) == NULL)
		abort();
	diag_init(&last, f);
	rs = rules_load_string("t.rules", text, &last);
	fclose(f);
	return rs;
}

/* The diagnostics of text, which must fail to load. */
static const char *
errors(const char *text)
{
	struct ruleset	*rs;

	if ((rs = load(text)) != NULL) {
		ruleset_free(rs);
		return "(loaded)";
	}
	return diags;
}

/* An expression as an S-expression, for checking the tree's shape. */
static void
sexpr(const struct ruleset *rs, const struct rexpr *e, struct buf *b)
{
	static const char *const fields[] = {
		"?", "title", "summary", "?", "content", "?", "body", "?", "any"
	};

	switch (e->op) {
	case RX_ACTOR:
		buf_addf(b, "@%s", rs->actors[e->ref].id);
		if (e->facet != FACET_ALL)
			buf_addf(b, ".%s", rfacet_name(e->facet));
		return;
	case RX_TOPIC:
		buf_addf(b, "#%s", rs->topics[e->ref].id);
		return;
	case RX_TERM:
		buf_addf(b, "\"%s\"", rs->literals[e->ref].text);
		return;
	case RX_NOT:
		buf_adds(b, "(not ");
		sexpr(rs, e->a, b);
		buf_adds(b, ")");
		return;
	case RX_FIELD:
		buf_addf(b, "(%s ", e->fields == FIELD_ANY ? "any" :
		    e->fields < nitems(fields) ? fields[e->fields] : "?");
		sexpr(rs, e->a, b);
		buf_adds(b, ")");
		return;
	case RX_AND:
	case RX_OR:
	case RX_NEAR:
		if (e->op == RX_NEAR && e->near == NEAR_SENTENCE)
			buf_adds(b, "(near/s ");
		else if (e->op == RX_NEAR)
			buf_addf(b, "(%snear/%d ", e->ordered ? "o" : "", e->near);
		else
			buf_adds(b, e->op == RX_AND ? "(and " : "(or ");
		sexpr(rs, e->a, b);
		buf_adds(b, " ");
		sexpr(rs, e->b, b);
		buf_adds(b, ")");
		return;
	}
}

static const char *const prelude =
    "actor a \"A\"\n  name \"A\"\n  person \"P Q\" role=head-of-state\n"
    "actor b \"B\"\n  name \"B\"\n"
    "actor c \"C\"\n  name \"C\"\n"
    "topic t \"T\"\n  term \"t\"\n"
    "topic u \"U\"\n  term \"u\"\n";

/* The tree of one `match` line, with the prelude's rules defined. */
static char *
tree(const char *expr)
{
	struct ruleset	*rs;
	struct buf	 b;
	char		*text;

	text = xasprintf("%swatch w \"W\"\n  match %s\n", prelude, expr);
	rs = load(text);
	free(text);
	if (rs == NULL)
		return xasprintf("ERROR %s", diags);
	buf_init(&b, 0);
	sexpr(rs, rs->watches[0].match[0].expr, &b);
	ruleset_free(rs);
	return buf_steal(&b);
}

static void
test_tree(const char *expr, const char *want)
{
	char	*got = tree(expr);

	is_str(got, want, "tree of %s", expr);
	free(got);
}

static void
test_actor(void)
{
	struct ruleset	*rs;
	struct ractor	*a;

	rs = load("# Belarus\n"
	    "actor belarus \"Belarus\"\n"
	    "  name      \"Belarus\"\n"
	    "  name      \"Беларусь\" lang=be\n"
	    "  demonym   \"Belarusian\" case\n"
	    "  capital   \"Minsk\" weak\n"
	    "  body      \"Belarusian Foreign Ministry\"\n"
	    "  person    \"Alexander Lukashenko\"  role=head-of-state\n"
	    "    alias   \"Lukashenko\"\n"
	    "    alias   \"Лукашенк*\" stem=ru\n"
	    "  alias     \"Byelorussia\"\n"
	    "  person    \"Sviatlana Tsikhanouskaya\" role=opposition case\n"
	    "  member    russia @china\n"
	    "  not       \"Minsk agreements\"\n"
	    "actor russia \"Russia\"\n  name \"Russia\"\n"
	    "actor china \"China\"\n  name \"China\"\n");
	ok(rs != NULL, "actor with every key loads");
	is_str(diags, "", "no diagnostics");
	if (rs == NULL)
		return;
	is_int(rs->nactors, 3, "three actors");
	a = &rs->actors[0];
	is_str(a->id, "belarus", "id");
	is_str(a->label, "Belarus", "label");
	is_int(a->loc.line, 2, "actor line");
	is_int(a->nterms, 10, "ten terms");
	is_int(a->terms[0].kind, TK_NAME, "name kind");
	is_int(a->terms[0].loc.line, 3, "term line");
	is_int(a->terms[0].loc.col, 13, "term column (the opening quote)");
	is_int(a->terms[1].loc.col, 13, "term column after Cyrillic name key");
	is_str(a->terms[1].lang, "", "lang= is documentation only");
	is_int(a->terms[2].kind, TK_DEMONYM, "demonym kind");
	is_int(a->terms[2].flags, TERM_CASE, "case flag");
	is_int(a->terms[3].kind, TK_CAPITAL, "capital kind");
	is_int(a->terms[3].flags, TERM_WEAK, "weak flag");
	is_int(a->terms[4].kind, TK_BODY, "body kind");
	is_int(a->terms[5].kind, TK_PERSON, "person kind");
	is_int(a->terms[5].person, 0, "person term points at its person");
	is_int(a->terms[6].kind, TK_ALIAS, "alias kind");
	is_int(a->terms[6].person, 0, "indented alias belongs to the person");
	is_str(a->terms[7].text, "Лукашенк", "prefix text without '*'");
	is_int(a->terms[7].flags, TERM_PREFIX | TERM_STEM, "prefix and stem");
	is_str(a->terms[7].lang, "ru", "stem=ru");
	is_int(a->terms[7].person, 0, "second alias belongs to the person");
	is_int(a->terms[8].person, -1, "alias at key depth is the actor's");
	is_int(a->terms[9].person, 1, "second person");
	is_int(a->terms[9].flags, TERM_CASE, "person flags");
	is_int(a->npersons, 2, "two persons");
	is_str(a->persons[0].name, "Alexander Lukashenko", "person name");
	is_str(a->persons[0].role, "head-of-state", "person role");
	is_str(a->persons[1].role, "opposition", "second role");
	is_int(a->nmembers, 2, "two members on one line");
	is_str(a->members[1], "china", "member sigil stripped");
	is_int(a->member_idx[0], 1, "member resolved");
	is_int(a->member_idx[1], 2, "second member resolved");
	is_int(a->nnots, 1, "one not");
	is_str(a->nots[0].text, "Minsk agreements", "not text");
	is_int(a->nots[0].kind, TK_TERM, "not kind");
	is_str(a->terms[0].fold, "belarus", "folded form");
	ok(rterm_in_facet(a, &a->terms[0], FACET_STRICT), "name in .strict");
	ok(rterm_in_facet(a, &a->terms[8], FACET_STRICT), "actor alias in .strict");
	ok(!rterm_in_facet(a, &a->terms[3], FACET_STRICT), "capital not in .strict");
	ok(rterm_in_facet(a, &a->terms[3], FACET_GOV), "capital in .gov");
	ok(rterm_in_facet(a, &a->terms[6], FACET_LEADER), "person alias in .leader");
	ok(!rterm_in_facet(a, &a->terms[9], FACET_LEADER), "opposition not in .leader");
	ok(!rterm_in_facet(a, &a->terms[9], FACET_GOV), "opposition not in .gov");
	ok(rterm_in_facet(a, &a->terms[9], FACET_PEOPLE), "opposition in .people");
	ok(rterm_in_facet(a, &a->terms[4], FACET_GOV), "body in .gov");
	ruleset_free(rs);
}

static void
test_topic_watch_exclude(void)
{
	struct ruleset	*rs;
	struct rtopic	*t;
	struct rwatch	*w;
	struct rexclude	*x;
	char		 kind;

	rs = load("topic sanctions \"Sanctions\"\n"
	    "  term \"sanction\" stem\n"
	    "  term \"embargo*\"\n"
	    "  include export-controls\n"
	    "  include #trade\n"
	    "  not \"officially sanctioned\"\n"
	    "topic export-controls \"Export controls\"\n  term \"export controls\"\n"
	    "topic trade\n  term \"trade war\"\n"
	    "actor by \"Belarus\"\n  name \"Belarus\"\n"
	    "watch by-sanctions \"Sanctions on Belarus\"\n"
	    "  match #sanctions near/s @by as same-sentence\n"
	    "  match title:#sanctions\n"
	    "  require not \"sport\"\n"
	    "  unless title:\"Olympic*\"\n"
	    "  unless #trade\n"
	    "  priority critical\n"
	    "  notify no\n"
	    "watch quiet \"Quiet\"\n  match @by\n  group \"Europe\"\n"
	    "exclude sport \"Sport\"\n"
	    "  when \"FIFA\" or \"UEFA\"\n"
	    "  scope article\n"
	    "  drop #sanctions @by\n"
	    "  drop by-sanctions\n");
	ok(rs != NULL, "topics, watches and an exclude load");
	is_str(diags, "", "no diagnostics");
	if (rs == NULL)
		return;
	t = &rs->topics[0];
	is_int(t->nterms, 2, "two terms");
	is_int(t->terms[0].flags, TERM_STEM, "stem");
	is_str(t->terms[0].lang, "en", "bare stem is English");
	is_int(t->terms[1].flags, TERM_PREFIX, "prefix");
	is_str(t->terms[1].text, "embargo", "prefix text");
	is_int(t->terms[1].kind, TK_TERM, "term kind");
	is_int(t->nincludes, 2, "two includes");
	is_int(t->includes[0], 1, "include resolved");
	is_int(t->includes[1], 2, "include with '#' resolved");
	is_str(rs->topics[2].label, "trade", "label defaults to the id");
	w = &rs->watches[0];
	is_int(w->nmatch, 2, "two branches");
	is_str(w->match[0].name, "same-sentence", "branch name");
	ok(w->match[1].name == NULL, "unnamed branch");
	is_int(w->match[0].loc.line, 14, "branch line");
	is_int(w->nrequire, 1, "one require");
	is_int(w->require[0]->op, RX_NOT, "require not");
	is_int(w->nunless, 2, "two unless");
	is_int(w->priority, PRIO_CRITICAL, "priority");
	is_int(w->notify, 0, "notify no");
	is_str(w->group, "Sanctions on Belarus", "group defaults to the label");
	is_int(rs->watches[1].priority, PRIO_NORMAL, "default priority");
	is_int(rs->watches[1].notify, 1, "default notify");
	is_str(rs->watches[1].group, "Europe", "group");
	x = &rs->excludes[0];
	ok(x->when != NULL && x->when->op == RX_OR, "when");
	is_int(x->scope, SCOPE_ARTICLE, "scope article");
	is_int(x->ndrops, 3, "three drops");
	is_int(x->drops[0].kind, 't', "drop topic");
	is_int(x->drops[0].idx, 0, "drop topic index");
	is_int(x->drops[1].kind, 'a', "drop actor");
	is_int(x->drops[2].kind, 'w', "drop watch");
	is_int(x->drops[2].idx, 0, "drop watch index");
	is_int(ruleset_find(rs, "trade", &kind), 2, "find topic");
	is_int(kind, 't', "find kind");
	is_int(ruleset_find(rs, "quiet", &kind), 1, "find watch");
	is_int(kind, 'w', "watch kind");
	is_int(ruleset_find(rs, "sport", &kind), -1, "an exclude is not a rule name");
	is_int(ruleset_find(rs, "nope", &kind), -1, "unknown name");
	is_int(rs->nliterals, 4, "four literals: sport, Olympic, FIFA, UEFA");
	ruleset_free(rs);

	rs = load("actor a \"A\"\n  name \"A\"\nexclude x\n  when @a\n  drop @a\n");
	ok(rs != NULL && rs->excludes[0].scope == SCOPE_SENTENCE,
	    "scope defaults to sentence");
	ruleset_free(rs);
}

static void
test_tests(void)
{
	struct ruleset	*rs;
	struct rtest	*t;
	char		 dir[] = "/tmp/ww-rules-XXXXXX", *path, *text;
	FILE		*f;

	rs = load("actor a \"A\"\n  name \"A\"\n"
	    "watch a-watch\n  match @a\n"
	    "test a-watch\n"
	    "  title \"Title\"\n"
	    "  text \"one\"\n  text \"two\"\n  text \"\"\n  text \"three\"\n"
	    "  expect a a-watch\n"
	    "  expect-not @a\n"
	    "test t2\n  title \"x\"\n  expect a\n");
	ok(rs == NULL, "expect and expect-not of the same rule: error");
	rs = load("actor a \"A\"\n  name \"A\"\n"
	    "watch a-watch\n  match @a\n"
	    "test a-watch\n"
	    "  title \"Title\"\n"
	    "  text \"one\"\n  text \"two\"\n  text \"\"\n  text \"three\"\n"
	    "  expect a a-watch\n"
	    "test t2\n  title \"x\"\n  expect-not a\n");
	ok(rs != NULL, "a test may share its id with a watch");
	if (rs == NULL)
		return;
	t = &rs->tests[0];
	is_str(t->id, "a-watch", "test id");
	is_str(t->title, "Title", "test title");
	is_str(t->text, "one two\nthree", "text lines joined, \"\" a paragraph");
	is_int(t->nexpect, 2, "two expects");
	is_int(t->expect_loc[1].col, 12, "expect column");
	is_int(rs->tests[1].nexpect_not, 1, "expect-not");
	ruleset_free(rs);

	if (mkdtemp(dir) == NULL)
		abort();
	path = xasprintf("%s/article.txt", dir);
	f = fopen(path, "w");
	fputs("title: Porcelain sale\r\nFine china at half price.\r\n", f);
	fclose(f);
	free(path);
	path = xasprintf("%s/t.rules", dir);
	text = xasprintf("actor a \"A\"\n  name \"A\"\ntest t\n  file article.txt\n"
	    "  expect-not a\n");
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	free(text);
	{
		const char	*paths[] = { path };
		struct diag	 d;

		diag_init(&d, NULL);
		rs = rules_load(paths, 1, &d);
	}
	ok(rs != NULL, "test file relative to the rules file");
	if (rs != NULL) {
		is_str(rs->tests[0].title, "Porcelain sale", "title from the file");
		is_str(rs->tests[0].text, "Fine china at half price.\n", "body from the file");
	}
	ruleset_free(rs);
	unlink(path);
	free(path);
	path = xasprintf("%s/article.txt", dir);
	unlink(path);
	free(path);
	rmdir(dir);
}

static void
test_trees(void)
{
	test_tree("@a", "@a");
	test_tree("@a.strict", "@a.strict");
	test_tree("@a.leader", "@a.leader");
	test_tree("@a.gov", "@a.gov");
	test_tree("@a.people", "@a.people");
	test_tree("#t", "#t");
	test_tree("\"x y\"", "\"x y\"");
	test_tree("@a and @b", "(and @a @b)");
	test_tree("@a or @b", "(or @a @b)");
	test_tree("@a and @b and @c", "(and (and @a @b) @c)");
	test_tree("@a or @b or @c", "(or (or @a @b) @c)");
	test_tree("(@a or @b) and @c", "(and (or @a @b) @c)");
	test_tree("@a and (@b or @c)", "(and @a (or @b @c))");
	test_tree("not @a", "(not @a)");
	test_tree("not not @a", "(not (not @a))");
	test_tree("not @a and @b", "(and (not @a) @b)");
	test_tree("@a and not @b", "(and @a (not @b))");
	test_tree("not @a or @b", "(or (not @a) @b)");
	test_tree("@a near/3 @b", "(near/3 @a @b)");
	test_tree("@a near/0 @b", "(near/0 @a @b)");
	test_tree("@a near/50 @b", "(near/50 @a @b)");
	test_tree("@a onear/5 @b", "(onear/5 @a @b)");
	test_tree("@a near/s @b", "(near/s @a @b)");
	test_tree("@a near/1 @b near/2 @c", "(near/2 (near/1 @a @b) @c)");
	test_tree("(@a near/s #t) near/10 @c", "(near/10 (near/s @a #t) @c)");
	test_tree("@a near/3 @b and @c", "(and (near/3 @a @b) @c)");
	test_tree("@a and @b near/3 @c", "(and @a (near/3 @b @c))");
	test_tree("not @a near/s @b", "(not (near/s @a @b))");
	test_tree("title:@a", "(title @a)");
	test_tree("summary:@a", "(summary @a)");
	test_tree("content:@a", "(content @a)");
	test_tree("body:@a", "(body @a)");
	test_tree("any:@a", "(any @a)");
	test_tree("title: @a", "(title @a)");
	test_tree("title:@a near/2 @b", "(near/2 (title @a) @b)");
	test_tree("title:(@a or @b) and @c", "(and (title (or @a @b)) @c)");
	test_tree("title:\"x\"", "(title \"x\")");
	test_tree("not title:@a", "(not (title @a))");
	test_tree("@a and @b or @c", "(or (and @a @b) @c)");
	is_str(diags, "t.rules:13:19: warning: 'and' and 'or' mixed without "
	    "parentheses; read as (A and B) or C\n", "mixed and/or: warning");
	test_tree("@a or @b and @c", "(or @a (and @b @c))");
	test_tree("(@a and @b) or @c", "(or (and @a @b) @c)");
	is_str(diags, "", "parentheses: no warning");
	test_tree("((((@a))))", "@a");
	test_tree("\"x\" stem=ru case or @a", "(or \"x\" @a)");
}

static void
test_term_flags_in_expr(void)
{
	struct ruleset	*rs;
	char		*text;

	text = xasprintf("%swatch w\n  match \"summit\" stem case and "
	    "\"meet*\" near/s \"talks\"\n", prelude);
	rs = load(text);
	free(text);
	ok(rs != NULL, "literal flags in an expression");
	if (rs != NULL) {
		is_int(rs->nliterals, 3, "three literals");
		is_int(rs->literals[0].flags, TERM_STEM | TERM_CASE, "stem case");
		is_int(rs->literals[0].kind, TK_LITERAL, "literal kind");
		is_int(rs->literals[1].flags, TERM_PREFIX, "prefix literal");
		is_int(rs->literals[2].loc.col, 47, "literal column");
	}
	ruleset_free(rs);
}

struct dcase {
	const char	*text;
	const char	*want;
};

static void
test_diagnostics(void)
{
	static const struct dcase cases[] = {
		{ "actor a \"A\"\n  nmae \"A\"\n",
		  "t.rules:2:3: error: unknown key 'nmae' in actor (did you mean 'name'?)\n" },
		{ "actor a \"A\"\n  name \"A\" caes\n",
		  "t.rules:2:12: error: unknown flag 'caes' (did you mean 'case'?)\n" },
		{ "actr a \"A\"\n",
		  "t.rules:1:1: error: unknown block kind 'actr' (did you mean 'actor'?)\n" },
		{ "watc a \"A\"\n",
		  "t.rules:1:1: error: unknown block kind 'watc' (did you mean 'watch'?)\n" },
		{ "actor belarus\n  name \"A\"\nwatch w\n  match @belaru\n",
		  "t.rules:4:9: error: unknown actor '@belaru' (did you mean '@belarus'?)\n" },
		{ "actor belarus\n  name \"A\"\nwatch w\n  match @x\n",
		  "t.rules:4:9: error: unknown actor '@x'\n" },
		{ "topic sanctions\n  term \"x\"\nwatch w\n  match #sanctons\n",
		  "t.rules:4:9: error: unknown topic '#sanctons' (did you mean '#sanctions'?)\n" },
		{ "actor a \"A\"\n  name \"A\"\nwatch w\n  match @a.leadr\n",
		  "t.rules:4:11: error: unknown facet '.leadr' (did you mean '.leader'?)\n" },
		{ "actor a \"A\"\n  name \"A\"\nwatch w\n  match titel:@a\n",
		  "t.rules:4:9: error: unknown field 'titel' (did you mean 'title'?)\n" },
		{ "actor a \"A\"\n  name \"A\"\nwatch w\n  match @a\n  priority hihg\n",
		  "t.rules:5:12: error: unknown priority 'hihg' (did you mean 'high'?)\n" },
		{ "actor a \"A\"\n  name \"A\"\nwatch china-belarus\n  match @a\ntest x\n  title \"A\"\n  expect china-belaru\n",
		  "t.rules:7:10: error: unknown rule 'china-belaru' (did you mean 'china-belarus'?)\n" },
		{ "actor a \"A\"\n  person \"P\" role=head-of-stat\n",
		  "t.rules:2:14: error: unknown role 'head-of-stat' (did you mean 'head-of-state'?)\n" },
		/* columns count characters, not bytes */
		{ "actor a \"Ä\"\n  name \"Беларусь\" caes\n",
		  "t.rules:2:19: error: unknown flag 'caes' (did you mean 'case'?)\n" },
		{ "actor a \"A\"\n\tname\t\"A\"\tcaes\n",
		  "t.rules:2:11: error: unknown flag 'caes' (did you mean 'case'?)\n" },
		{ "actor a \"A\"\n  name \"A\n",
		  "t.rules:2:8: error: unterminated string\n" },
		{ "actor a \"A\"\n  name \"A\\n\"\n",
		  "t.rules:2:10: error: unknown escape in string (only \\\" and \\\\ are escapes)\n" },
		{ "actor a \"A\"\n  name \"A\"\nactor a \"B\"\n  name \"B\"\n",
		  "t.rules:3:7: error: duplicate id 'a': already the id of the actor at t.rules:1\n" },
		{ "actor a \"A\"\n  name \"A\"\ntopic a\n  term \"B\"\n",
		  "t.rules:3:7: error: duplicate id 'a': already the id of the actor at t.rules:1\n" },
		{ "actor a \"A\"\n  name \"A\"\nwatch w\n  match @a near/51 @a\n",
		  "t.rules:4:12: error: 'near/51': the distance can be at most 50 words\n" },
		{ "actor a \"A\"\n  name \"A\"\nwatch w\n  match @a near/3 not @a\n",
		  "t.rules:4:19: error: 'not' cannot be an operand of near\n" },
		{ "actor a \"A\"\n  name \"A\"\nwatch w\n  match (not @a) near/3 @a\n",
		  "t.rules:4:10: error: 'not' cannot be an operand of near\n" },
		{ "actor a \"A\"\n  name \"A\"\nwatch w\n  match @a AND @a\n",
		  "t.rules:4:12: error: operators are lower case: write 'and' instead of 'AND'\n" },
		{ "actor a \"A\"\n  name \"A\"\nwatch w\n  match a\n",
		  "t.rules:4:9: error: bare word 'a' in an expression: write '@a' (actor), '#a' (topic) or '\"a\"' (the word itself)\n" },
		{ "topic t\n  term \"x\"\nwatch w\n  match @t\n",
		  "t.rules:4:9: error: 't' is a topic, not an actor: write '#t'\n" },
		{ "topic t\n  term \"x\"\n  include t\n",
		  "t.rules:3:11: error: topic 't' cannot include itself\n" },
		{ "actor a \"A\"\n  name \"A\"\nexclude x\n  drop @a\n",
		  "t.rules:3:1: error: exclude 'x' has no 'when' line\n" },
	};
	static const struct dcase warnings[] = {
		{ "topic t\n  term \"x\"\n  term \"X\"\n",
		  "t.rules:3:8: warning: duplicate term \"X\" (also at line 2)\n" },
		{ "topic t\n  term \"x\"\n  term \"abc*\"\n",
		  "t.rules:3:8: warning: prefix \"abc*\" has fewer than 4 characters before '*': it matches too many words\n" },
		{ "topic t\n  term \"x\"\n  term \"abcd*\"\n", "" },
		{ "topic t\n  term \"x\"\n  term \"—\"\n",
		  "t.rules:3:8: warning: term \"—\" is empty after normalisation: it can never match\n" },
		{ "topic t\n  term \"x\"\n  term \"...\" case\n",
		  "t.rules:3:8: warning: term \"...\" is empty after normalisation: it can never match\n" },
		{ "topic t\n  term \"x\" weak\n",
		  "t.rules:1:1: warning: topic 't' has no strong term (every term is weak or empty): it can never match\n" },
		{ "topic t\n  term \"x\"\n  not \"y z\"\n",
		  "t.rules:3:7: warning: not \"y z\" contains no term of topic 't': it never drops anything\n" },
		{ "topic t\n  term \"sanction\" stem\n  not \"officially sanctioned\"\n", "" },
		{ "topic t\n  term \"x\" stem=xx\n",
		  "t.rules:2:12: warning: unknown stemming language 'xx'; the term is matched without stemming\n" },
		{ "actor a \"A\"\n  name \"A\"\n  member b\n",
		  "t.rules:3:10: warning: unknown actor '@b'\n" },
		{ "actor a \"A\"\n  name \"A\"\nwatch w\n  match @a.leader\n",
		  "t.rules:3:1: warning: watch 'w' can never fire: no 'match' line can ever be true\n"
		  "t.rules:4:9: warning: '@a.leader' is empty: actor 'a' has no person with role head-of-state or head-of-government\n" },
		{ "watch w \"W\"\n  priority low\n",
		  "t.rules:1:1: warning: watch 'w' has no 'match' line: it can never fire\n" },
	};
	struct ruleset	*rs;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++)
		is_str(errors(cases[i].text), cases[i].want, "error %zu: %.*s", i,
		    (int)strcspn(cases[i].want + 8, "\n"), cases[i].want + 8);
	for (i = 0; i < nitems(warnings); i++) {
		rs = load(warnings[i].text);
		ok(rs != NULL, "warning %zu loads", i);
		is_str(diags, warnings[i].want, "warning %zu: %.*s", i,
		    warnings[i].want[0] != '\0' ?
		    (int)strcspn(warnings[i].want + 8, "\n") : 4,
		    warnings[i].want[0] != '\0' ? warnings[i].want + 8 : "none");
		ruleset_free(rs);
	}
}

static void
test_robustness(void)
{
	struct ruleset	*rs;
	struct buf	 b;
	struct diag	 d;
	char		*big;
	size_t		 i;
	static const char nul[] = "actor a \"A\"\n  name \"A\"\n\0\0\0garbage\n  name \"\0\"\n";

	diag_init(&d, NULL);
	rs = rules_load_buf("nul.rules", nul, sizeof nul - 1, &d);
	ok(rs == NULL && d.errors == 2, "NUL bytes: two errors, no crash");

	buf_init(&b, 0);
	buf_adds(&b, "actor a \"A\"\n  name \"A\"\nwatch w\n  match ");
	for (i = 0; i < 100; i++)
		buf_addc(&b, '(');
	buf_adds(&b, "@a");
	for (i = 0; i < 100; i++)
		buf_addc(&b, ')');
	buf_addc(&b, '\n');
	is_str(errors(b.data), "t.rules:4:73: error: expression nested more "
	    "than 64 levels deep\n", "deep nesting: an error at the 65th '('");
	buf_reset(&b);
	buf_adds(&b, "actor a \"A\"\n  name \"A\"\nwatch w\n  match ");
	for (i = 0; i < 63; i++)
		buf_addc(&b, '(');
	buf_adds(&b, "@a");
	for (i = 0; i < 63; i++)
		buf_addc(&b, ')');
	buf_addc(&b, '\n');
	rs = load(b.data);
	ok(rs != NULL, "63 levels are fine");
	ruleset_free(rs);
	buf_reset(&b);
	buf_adds(&b, "actor a \"A\"\n  name \"A\"\nwatch w\n  match ");
	for (i = 0; i < 100; i++)
		buf_adds(&b, "not ");
	buf_adds(&b, "@a\n");
	ok(errors(b.data)[0] == 't', "a long chain of 'not' is capped too");
	buf_reset(&b);
	buf_adds(&b, "actor a \"A\"\n  name \"A\"\nwatch w\n  match @a");
	for (i = 0; i < 1000; i++)
		buf_adds(&b, " or @a");
	buf_addc(&b, '\n');
	rs = load(b.data);
	ok(rs != NULL, "a long flat chain loads");
	ruleset_free(rs);
	buf_release(&b);

	big = xmalloc(RULES_MAX_FILE + 2);
	memset(big, '#', RULES_MAX_FILE + 1);
	big[RULES_MAX_FILE + 1] = '\0';
	is_str(errors(big), "t.rules: error: larger than 4194304 bytes\n",
	    "over 4 MiB: refused");
	for (i = 0; i < 9000; i++)
		big[i] = i % 80 == 79 ? '\n' : 'x';
	big[9000] = '\0';
	{
		char	*out = NULL;
		size_t	 len;
		FILE	*f = open_memstream(&out, &len);

		diag_init(&d, f);
		d.max = 1000;
		rs = rules_load_string("t.rules", big, &d);
		fclose(f);
		ok(rs == NULL && strstr(out, "t.rules:101: error: too many "
		    "errors: the rest of this file is not checked\n") != NULL,
		    "error cap per file");
		is_int(d.errors, 101, "101 errors counted");
		free(out);
	}
	free(big);

	rs = load("\xef\xbb\xbf" "actor a \"A\"\r\n\tname \"A\" caes\r\n");
	is_str(diags, "t.rules:2:11: error: unknown flag 'caes' (did you mean "
	    "'case'?)\n", "BOM and CRLF: columns unchanged");
	rs = load("# only comments\n\n   \n## banner\n#-- x\n");
	ok(rs != NULL && rs->nactors == 0, "comments and blank lines only");
	ruleset_free(rs);
	rs = load("");
	ok(rs != NULL, "empty file");
	ruleset_free(rs);
	rs = load("actor a \"A\"\n  name \"A\"");
	ok(rs != NULL && rs->actors[0].nterms == 1, "no newline at the end");
	ruleset_free(rs);
	is_str(errors("actor a \"A\"\n  name \"A\"\n  name \"A\" #x\n"),
	    "t.rules:3:12: error: unknown flag '#x' (flags: case weak stem "
	    "stem=LANG lang=LANG)\n", "'#x' after white space is not a comment");
}

static void
writefile(const char *dir, const char *name, const char *text)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fputs(text, f);
	fclose(f);
	free(path);
}

static void
test_directories(void)
{
	char		 dir[] = "/tmp/ww-rules-XXXXXX", *sub, *hidden, *out = NULL;
	const char	*paths[1];
	struct ruleset	*rs;
	struct diag	 d;
	size_t		 len;
	FILE		*f;

	if (mkdtemp(dir) == NULL)
		abort();
	sub = xasprintf("%s/b", dir);
	hidden = xasprintf("%s/.git", dir);
	mkdir(sub, 0700);
	mkdir(hidden, 0700);
	writefile(dir, "c.rules", "actor c \"C\"\n  name \"C\"\n");
	writefile(dir, "a.rules", "actor a \"A\"\n  name \"A\"\n");
	writefile(sub, "z.rules", "actor bz \"BZ\"\n  name \"BZ\"\n");
	writefile(sub, "notes.txt", "not rules\n");
	writefile(hidden, "x.rules", "garbage\n");
	writefile(dir, ".#a.rules", "garbage\n");
	paths[0] = dir;
	diag_init(&d, NULL);
	rs = rules_load(paths, 1, &d);
	ok(rs != NULL, "directory loads");
	is_int(d.files, 3, "three files read");
	if (rs != NULL) {
		is_int(rs->nactors, 3, "three actors");
		is_str(rs->actors[0].id, "a", "a.rules first");
		is_str(rs->actors[1].id, "bz", "b/z.rules second (path order)");
		is_str(rs->actors[2].id, "c", "c.rules last");
		ok(strstr(rs->actors[1].loc.file, "/b/z.rules") != NULL, "file name");
	}
	ruleset_free(rs);

	writefile(sub, "dup.rules", "watch a \"dup\"\n  match @c\n");
	f = open_memstream(&out, &len);
	diag_init(&d, f);
	rs = rules_load(paths, 1, &d);
	fclose(f);
	ok(rs == NULL, "a duplicate id across files fails");
	{
		char *want = xasprintf("%s/b/dup.rules:1:7: error: duplicate id "
		    "'a': already the id of the actor at %s/a.rules:1\n", dir, dir);
		is_str(out, want, "duplicate across files: where both are");
		free(want);
	}
	free(out);

	paths[0] = "/nonexistent/wirewatch";
	out = NULL;
	f = open_memstream(&out, &len);
	diag_init(&d, f);
	rs = rules_load(paths, 1, &d);
	fclose(f);
	ok(rs == NULL, "missing path fails");
	is_str(out, "/nonexistent/wirewatch: error: No such file or directory\n",
	    "missing path message");
	free(out);

	{
		char *cmd = xasprintf("rm -rf '%s'", dir);
		if (system(cmd) != 0)
			ok(0, "cleanup");
		free(cmd);
	}
	free(sub);
	free(hidden);
}

static void
test_diag(void)
{
	struct diag	 d;
	char		*out = NULL;
	size_t		 len, i;
	FILE		*f;

	f = open_memstream(&out, &len);
	diag_init(&d, f);
	d.max = 2;
	diag_error(&d, "f", 1, 2, "one");
	diag_warn(&d, "f", 3, 0, "two\x1b[31m");
	for (i = 0; i < 5; i++)
		diag_error(&d, "f", 0, 0, "more");
	fclose(f);
	is_str(out, "f:1:2: error: one\nf:3: warning: two?[31m\n",
	    "format, control characters masked, capped at max");
	is_int(d.errors, 6, "errors counted past max");
	is_int(d.warnings, 1, "warnings counted");
	is_int(d.printed, 2, "printed");
	free(out);
}

int
main(void)
{
	test_actor();
	test_topic_watch_exclude();
	test_tests();
	test_trees();
	test_term_flags_in_expr();
	test_diagnostics();
	test_robustness();
	test_directories();
	test_diag();
	free(diags);
	return tap_done();
}
