/*
 * Rule files: blocks and keys (docs/rules.md) into a struct ruleset, then
 * every reference resolved and the whole set checked. Every problem is
 * collected with its FILE:LINE:COL and printed sorted through the caller's
 * struct diag; parsing goes on after errors. The only I/O is reading rule
 * files, directories of them and the files named by test blocks. The
 * lexer is rules-lex.c, the expression parser rules-expr.c.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "rules-int.h"
#include "text.h"
#include "util.h"

#define RULES_MAX_DIR_DEPTH	16
#define RULES_MAX_FILES		10000

enum key {
	K_NAME, K_ALIAS, K_DEMONYM, K_CAPITAL, K_BODY, K_PERSON, K_MEMBER,
	K_NOT, K_TERM, K_INCLUDE, K_MATCH, K_REQUIRE, K_UNLESS, K_PRIORITY,
	K_NOTIFY, K_GROUP, K_WHEN, K_SCOPE, K_DROP, K_TITLE, K_TEXT, K_FILE,
	K_EXPECT, K_EXPECT_NOT
};

static const struct keydef {
	char		 kind;
	const char	*name;
	enum key	 key;
} keydefs[] = {
	{ 'a', "name", K_NAME },
	{ 'a', "alias", K_ALIAS },
	{ 'a', "demonym", K_DEMONYM },
	{ 'a', "capital", K_CAPITAL },
	{ 'a', "body", K_BODY },
	{ 'a', "person", K_PERSON },
	{ 'a', "member", K_MEMBER },
	{ 'a', "not", K_NOT },
	{ 't', "term", K_TERM },
	{ 't', "include", K_INCLUDE },
	{ 't', "not", K_NOT },
	{ 'w', "match", K_MATCH },
	{ 'w', "require", K_REQUIRE },
	{ 'w', "unless", K_UNLESS },
	{ 'w', "priority", K_PRIORITY },
	{ 'w', "notify", K_NOTIFY },
	{ 'w', "group", K_GROUP },
	{ 'x', "when", K_WHEN },
	{ 'x', "scope", K_SCOPE },
	{ 'x', "drop", K_DROP },
	{ 'T', "title", K_TITLE },
	{ 'T', "text", K_TEXT },
	{ 'T', "file", K_FILE },
	{ 'T', "expect", K_EXPECT },
	{ 'T', "expect-not", K_EXPECT_NOT },
};

static const struct {
	const char	*name;
	char		 kind;
} kinds[] = {
	{ "actor", 'a' },
	{ "topic", 't' },
	{ "watch", 'w' },
	{ "exclude", 'x' },
	{ "test", 'T' },
};

static const char *const roles[] = {
	"head-of-state", "head-of-government", "foreign-minister",
	"defence-minister", "minister", "official", "spokesperson", "opposition"
};

static const char *const priorities[] = { "low", "normal", "high", "critical" };
static const char *const yesno[] = { "no", "yes" };
static const char *const scopes[] = { "sentence", "article" };

static const char *
kind_name(char kind)
{
	size_t	i;

	for (i = 0; i < nitems(kinds); i++)
		if (kinds[i].kind == kind)
			return kinds[i].name;
	return "rule";
}

const char *
term_kind_name(enum term_kind k)
{
	static const char *const names[] = {
		"name", "alias", "demonym", "capital", "body", "person", "term",
		"literal"
	};

	return (size_t)k < nitems(names) ? names[k] : "?";
}

/* ------------------------------------------------------------ id index */

static size_t
hash_str(const char *s)
{
	size_t	h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct rname *
rindex_get(const struct rindex *ix, const char *name)
{
	size_t	h;

	if (ix == NULL || ix->cap == 0)
		return NULL;
	for (h = hash_str(name) & (ix->cap - 1); ix->v[h].name != NULL;
	    h = (h + 1) & (ix->cap - 1))
		if (strcmp(ix->v[h].name, name) == 0)
			return &ix->v[h];
	return NULL;
}

/* Insert name; returns the entry already there, or NULL when inserted. */
struct rname *
rindex_put(struct rindex *ix, const char *name, char kind, int idx,
    const struct rloc *loc)
{
	struct rname	*old, *e;
	size_t		 oldcap, i, h;

	if ((e = rindex_get(ix, name)) != NULL)
		return e;
	if (2 * (ix->n + 1) > ix->cap) {
		old = ix->v;
		oldcap = ix->cap;
		ix->cap = oldcap == 0 ? 64 : oldcap * 2;
		ix->v = xcalloc(ix->cap, sizeof *ix->v);
		for (i = 0; i < oldcap; i++) {
			if (old[i].name == NULL)
				continue;
			for (h = hash_str(old[i].name) & (ix->cap - 1);
			    ix->v[h].name != NULL; h = (h + 1) & (ix->cap - 1))
				;
			ix->v[h] = old[i];
		}
		free(old);
	}
	for (h = hash_str(name) & (ix->cap - 1); ix->v[h].name != NULL;
	    h = (h + 1) & (ix->cap - 1))
		;
	ix->v[h].name = name;
	ix->v[h].kind = kind;
	ix->v[h].idx = idx;
	ix->v[h].loc = *loc;
	ix->n++;
	return NULL;
}

void
rindex_free(struct rindex *ix)
{
	if (ix == NULL)
		return;
	free(ix->v);
	free(ix);
}

int
ruleset_find(const struct ruleset *rs, const char *name, char *kind)
{
	const struct rname	*e;

	if (rs == NULL || (e = rindex_get(rs->index, name)) == NULL ||
	    (e->kind != 'a' && e->kind != 't' && e->kind != 'w'))
		return -1;
	if (kind != NULL)
		*kind = e->kind;
	return e->idx;
}

/* ------------------------------------------------------------- freeing */

void
rterm_release(struct rterm *t)
{
	free(t->text);
	free(t->fold);
	t->text = t->fold = NULL;
}

static void
terms_free(struct rterm *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		rterm_release(&v[i]);
	free(v);
}

static void
strv_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
exprv_free(struct rexpr **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		rexpr_free(v[i]);
	free(v);
}

void
ruleset_free(struct ruleset *rs)
{
	size_t	i, j;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->nactors; i++) {
		struct ractor *a = &rs->actors[i];

		free(a->id);
		free(a->label);
		terms_free(a->terms, a->nterms);
		terms_free(a->nots, a->nnots);
		for (j = 0; j < a->npersons; j++) {
			free(a->persons[j].name);
			free(a->persons[j].role);
		}
		free(a->persons);
		strv_free(a->members, a->nmembers);
		free(a->member_idx);
		free(a->member_loc);
	}
	free(rs->actors);
	for (i = 0; i < rs->ntopics; i++) {
		struct rtopic *t = &rs->topics[i];

		free(t->id);
		free(t->label);
		terms_free(t->terms, t->nterms);
		terms_free(t->nots, t->nnots);
		free(t->includes);
		strv_free(t->include_names, t->nincludes);
		free(t->include_loc);
	}
	free(rs->topics);
	for (i = 0; i < rs->nwatches; i++) {
		struct rwatch *w = &rs->watches[i];

		free(w->id);
		free(w->label);
		free(w->group);
		for (j = 0; j < w->nmatch; j++) {
			free(w->match[j].name);
			rexpr_free(w->match[j].expr);
		}
		free(w->match);
		exprv_free(w->require, w->nrequire);
		exprv_free(w->unless, w->nunless);
	}
	free(rs->watches);
	for (i = 0; i < rs->nexcludes; i++) {
		struct rexclude *x = &rs->excludes[i];

		free(x->id);
		free(x->label);
		rexpr_free(x->when);
		for (j = 0; j < x->ndrops; j++)
			free(x->drops[j].name);
		free(x->drops);
	}
	free(rs->excludes);
	for (i = 0; i < rs->ntests; i++) {
		struct rtest *t = &rs->tests[i];

		free(t->id);
		free(t->title);
		free(t->text);
		strv_free(t->expect, t->nexpect);
		free(t->expect_loc);
		strv_free(t->expect_not, t->nexpect_not);
		free(t->expect_not_loc);
	}
	free(rs->tests);
	terms_free(rs->literals, rs->nliterals);
	strv_free(rs->files, rs->nfiles);
	rindex_free(rs->index);
	free(rs);
}

/* --------------------------------------------------------------- terms */

static struct tok *
cur(struct parser *p)
{
	return &p->tok[p->pos];
}

static struct rloc
here(struct parser *p, unsigned col)
{
	struct rloc	loc;

	loc.file = p->file;
	loc.line = p->lineno;
	loc.col = col;
	return loc;
}

/* Stemming languages: lower-case letters, as libstemmer names them. */
static int
lang_syntax_ok(const char *s, size_t max)
{
	size_t	n;

	for (n = 0; s[n] != '\0'; n++)
		if (s[n] < 'a' || s[n] > 'z')
			return 0;
	return n >= 2 && n < max;
}

static int
term_flag(struct parser *p, struct rterm *t, struct tok *tk, char **role,
    unsigned *seen)
{
	static const char *const names[] = { "case", "weak", "stem", "lang", "role" };
	const char	*val, *hint;
	char		*name;
	size_t		 i, nnames = role != NULL ? 5 : 4;
	int		 rv = -1;

	name = tk->str;
	if ((val = strchr(name, '=')) != NULL)
		name = xstrndup(tk->str, (size_t)(val++ - tk->str));
	for (i = 0; i < nnames; i++)
		if (strcmp(name, names[i]) == 0)
			break;
	if (i == nnames) {
		if ((hint = suggest(name, names, nnames)) != NULL)
			perr(p, tk->col, "unknown flag '%.40s' (did you mean '%s'?)",
			    name, hint);
		else
			perr(p, tk->col, "unknown flag '%.40s' (flags: case weak "
			    "stem stem=LANG lang=LANG%s)", name,
			    role != NULL ? " role=ROLE" : "");
		goto done;
	}
	if (*seen & (1u << i))
		pwarn(p, tk->col, "flag '%s' given twice", names[i]);
	*seen |= 1u << i;
	if (i <= 1 && val != NULL) {
		perr(p, tk->col, "flag '%s' takes no value", names[i]);
		goto done;
	}
	if (i >= 3 && (val == NULL || *val == '\0')) {
		perr(p, tk->col, "flag '%s' needs a value: %s=%s", names[i],
		    names[i], i == 3 ? "en" : "head-of-state");
		goto done;
	}
	switch (i) {
	case 0:
		t->flags |= TERM_CASE;
		break;
	case 1:
		t->flags |= TERM_WEAK;
		break;
	case 2:
		if (val == NULL)
			val = "en";
		if (!lang_syntax_ok(val, sizeof t->lang) || !text_stem_lang_ok(val)) {
			pwarn(p, tk->col, "unknown stemming language '%.20s'; the "
			    "term is matched without stemming", val);
			break;
		}
		t->flags |= TERM_STEM;
		snprintf(t->lang, sizeof t->lang, "%s", val);
		break;
	case 3:
		/* documentation only */
		break;
	case 4:
		for (i = 0; i < nitems(roles); i++)
			if (strcmp(val, roles[i]) == 0)
				break;
		if (i == nitems(roles)) {
			if ((hint = suggest(val, roles, nitems(roles))) != NULL)
				perr(p, tk->col, "unknown role '%.40s' (did you mean "
				    "'%s'?)", val, hint);
			else
				perr(p, tk->col, "unknown role '%.40s' (roles: "
				    "head-of-state head-of-government foreign-minister "
				    "defence-minister minister official spokesperson "
				    "opposition)", val);
			goto done;
		}
		free(*role);
		*role = xstrdup(val);
		break;
	}
	rv = 0;
done:
	if (name != tk->str)
		free(name);
	return rv;
}

/* Number of UTF-8 characters in the last word of a folded string. */
static size_t
last_word_chars(const char *fold)
{
	const char	*s;
	size_t		 n = 0;

	if ((s = strrchr(fold, ' ')) == NULL)
		s = fold;
	else
		s++;
	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* text_fold() with the parser's token buffer reused across terms. */
static char *
fold(struct parser *p, const char *s)
{
	struct tokens	*t = &p->tk;
	char		*out, *o;
	size_t		 i, n;

	text_tokenize(t, s, strlen(s), 0);
	o = out = xmalloc(t->keyslen + 1);
	for (i = 0; i < t->n; i++) {
		if (i > 0)
			*o++ = ' ';
		n = strlen(token_key(t, i));
		memcpy(o, token_key(t, i), n);
		o += n;
	}
	*o = '\0';
	return out;
}

/*
 * A quoted term at the current token and its flags (role= only when role
 * is not NULL). In an expression (in_expr) the flags end at an operator,
 * otherwise at the end of the line. Fills t; -1 after an error (reported).
 */
int
term_parse(struct parser *p, struct rterm *t, enum term_kind kind, char **role,
    int in_expr)
{
	struct tok	*tk = cur(p);
	char		*star, desc[64];
	unsigned	 seen = 0;
	size_t		 len, stok;
	int		 bad = 0;

	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->person = -1;
	t->loc = here(p, tk->col);
	if (tk->type != T_STRING) {
		if (tk->type == T_WORD && tk->str[0] != '@' && tk->str[0] != '#')
			perr(p, tk->col, "expected a quoted string, found %s "
			    "(write \"%.40s\")", tok_desc(tk, desc, sizeof desc),
			    tk->str);
		else
			perr(p, tk->col, "expected a quoted string, found %s",
			    tok_desc(tk, desc, sizeof desc));
		return -1;
	}
	len = strlen(tk->str);
	if ((star = strchr(tk->str, '*')) != NULL) {
		if (star != tk->str + len - 1) {
			perr(p, tk->col, "'*' is allowed only at the end of a term");
			bad = 1;
		} else if (len == 1 || star[-1] == ' ') {
			perr(p, tk->col, "'*' must follow a word");
			bad = 1;
		} else {
			t->flags |= TERM_PREFIX;
			len--;
		}
	}
	t->text = xstrndup(tk->str, len);
	stok = p->pos++;
	while ((tk = cur(p))->type == T_WORD) {
		if (in_expr && (tok_is(tk, "and") || tok_is(tk, "or") ||
		    tok_is(tk, "not") || tok_is(tk, "as") ||
		    strncmp(tk->str, "near", 4) == 0 ||
		    strncmp(tk->str, "onear", 5) == 0))
			break;
		if (term_flag(p, t, tk, role, &seen) == -1)
			bad = 1;
		p->pos++;
	}
	if (!in_expr && tk->type != T_END) {
		if (tk->type == T_STRING)
			perr(p, tk->col, "one string per line: repeat the key for "
			    "another");
		else
			perr(p, tk->col, "unexpected %s after the term",
			    tok_desc(tk, desc, sizeof desc));
		bad = 1;
	}
	t->fold = fold(p, t->text);
	if (bad)
		return -1;
	if (t->fold[0] == '\0')
		pwarn(p, t->loc.col, "term %s is empty after normalisation: it can "
		    "never match", tok_desc(&p->tok[stok], desc, sizeof desc));
	else if ((t->flags & TERM_PREFIX) && last_word_chars(t->fold) < 4)
		pwarn(p, t->loc.col, "prefix \"%.40s*\" has fewer than 4 "
		    "characters before '*': it matches too many words", t->text);
	if (in_expr && (t->flags & TERM_WEAK))
		pwarn(p, t->loc.col, "'weak' has no effect on a string in an "
		    "expression");
	return 0;
}

/* A `not` phrase: one string, no flags. */
static int
not_parse(struct parser *p, struct rterm *t)
{
	if (term_parse(p, t, TK_TERM, NULL, 0) == -1)
		return -1;
	if (t->flags & TERM_PREFIX) {
		perr(p, t->loc.col, "'*' has no meaning in a 'not' phrase");
		return -1;
	}
	if (t->flags != 0) {
		perr(p, t->loc.col, "'not' takes one quoted phrase and no flags");
		return -1;
	}
	return 0;
}

/* -------------------------------------------------------------- blocks */

static void
id_error(struct parser *p, struct tok *t, const char *what)
{
	char	lower[72];
	size_t	i;

	for (i = 0; t->str[i] != '\0' && i < sizeof lower - 1; i++)
		lower[i] = t->str[i] >= 'A' && t->str[i] <= 'Z' ?
		    t->str[i] - 'A' + 'a' : t->str[i];
	lower[i] = '\0';
	if (t->str[i] == '\0' && id_valid(lower))
		perr(p, t->col, "ids are lower case: write '%s'", lower);
	else
		perr(p, t->col, "bad %s '%.40s' (ids are lower-case letters, digits, "
		    "'-' and '_', starting with a letter)", what, t->str);
}

static int
is_key(const char *w)
{
	size_t	i;

	for (i = 0; i < nitems(keydefs); i++)
		if (strcmp(keydefs[i].name, w) == 0)
			return 1;
	return 0;
}

static void
register_id(struct parser *p, struct rindex *ix, const char *id, char kind,
    size_t idx, unsigned col)
{
	struct rloc	 loc = here(p, 1);
	struct rname	*e;

	if ((e = rindex_put(ix, id, kind, (int)idx, &loc)) == NULL)
		return;
	if (kind == 'T')
		perr(p, col, "duplicate test id '%s' (first at %s:%u)", id,
		    e->loc.file, e->loc.line);
	else
		perr(p, col, "duplicate id '%s': already the id of the %s at %s:%u",
		    id, kind_name(e->kind), e->loc.file, e->loc.line);
}

static void
block_new(struct parser *p, char kind, const char *id, const char *label,
    unsigned idcol)
{
	struct ruleset	*rs = p->rs;
	struct rloc	 loc = here(p, 1);
	size_t		 idx = 0;

	if (label == NULL)
		label = id;
	switch (kind) {
	case 'a':
		GROW(rs->actors, rs->nactors);
		idx = rs->nactors++;
		memset(&rs->actors[idx], 0, sizeof rs->actors[idx]);
		rs->actors[idx].id = xstrdup(id);
		rs->actors[idx].label = xstrdup(label);
		rs->actors[idx].loc = loc;
		id = rs->actors[idx].id;
		break;
	case 't':
		GROW(rs->topics, rs->ntopics);
		idx = rs->ntopics++;
		memset(&rs->topics[idx], 0, sizeof rs->topics[idx]);
		rs->topics[idx].id = xstrdup(id);
		rs->topics[idx].label = xstrdup(label);
		rs->topics[idx].loc = loc;
		id = rs->topics[idx].id;
		break;
	case 'w':
		GROW(rs->watches, rs->nwatches);
		idx = rs->nwatches++;
		memset(&rs->watches[idx], 0, sizeof rs->watches[idx]);
		rs->watches[idx].id = xstrdup(id);
		rs->watches[idx].label = xstrdup(label);
		rs->watches[idx].loc = loc;
		rs->watches[idx].priority = PRIO_NORMAL;
		rs->watches[idx].notify = 1;
		id = rs->watches[idx].id;
		break;
	case 'x':
		GROW(rs->excludes, rs->nexcludes);
		idx = rs->nexcludes++;
		memset(&rs->excludes[idx], 0, sizeof rs->excludes[idx]);
		rs->excludes[idx].id = xstrdup(id);
		rs->excludes[idx].label = xstrdup(label);
		rs->excludes[idx].loc = loc;
		rs->excludes[idx].scope = SCOPE_SENTENCE;
		id = rs->excludes[idx].id;
		break;
	case 'T':
		GROW(rs->tests, rs->ntests);
		idx = rs->ntests++;
		memset(&rs->tests[idx], 0, sizeof rs->tests[idx]);
		rs->tests[idx].id = xstrdup(id);
		rs->tests[idx].loc = loc;
		id = rs->tests[idx].id;
		break;
	}
	register_id(p, kind == 'T' ? p->tests : rs->index, id, kind, idx, idcol);
	p->kind = kind;
	p->idx = idx;
	p->block_errors = p->dl->errors;
}

/* Checks of one block that need its keys' lines, when the block ends. */
static void
block_end(struct parser *p)
{
	struct rexclude	*x;
	struct rtest	*t;
	unsigned	 line = p->lineno;

	if ((p->kind == 'a' || p->kind == 't' || p->kind == 'w') &&
	    p->dl->errors > p->block_errors) {
		GROW(p->bkind, p->nbroken);
		GROW(p->bidx, p->nbroken);
		p->bkind[p->nbroken] = p->kind;
		p->bidx[p->nbroken++] = p->idx;
	}
	if (p->kind == 'w' && p->seen[K_MATCH] == 0) {
		p->lineno = p->rs->watches[p->idx].loc.line;
		pwarn(p, 1, "watch '%s' has no 'match' line: it can never fire",
		    p->rs->watches[p->idx].id);
	} else if (p->kind == 'x') {
		x = &p->rs->excludes[p->idx];
		p->lineno = x->loc.line;
		if (p->seen[K_WHEN] == 0)
			perr(p, 1, "exclude '%s' has no 'when' line", x->id);
		if (x->ndrops == 0 && p->seen[K_DROP] == 0)
			pwarn(p, 1, "exclude '%s' has no 'drop' line: it drops "
			    "nothing", x->id);
	} else if (p->kind == 'T') {
		t = &p->rs->tests[p->idx];
		p->lineno = t->loc.line;
		if (t->title == NULL && t->text == NULL && p->seen[K_FILE] == 0)
			pwarn(p, 1, "test '%s' has no article: add 'title', 'text' "
			    "or 'file'", t->id);
		if (t->nexpect == 0 && t->nexpect_not == 0)
			pwarn(p, 1, "test '%s' expects nothing: add 'expect' or "
			    "'expect-not'", t->id);
	}
	p->lineno = line;
	p->kind = 0;
}

static void
header(struct parser *p)
{
	struct tok	*t = &p->tok[0], *idt;
	const char	*hint, *names[nitems(kinds)], *label = NULL;
	char		 kind = 0, desc[64];
	size_t		 i;

	block_end(p);
	p->kind = '?';
	p->person = -1;
	p->person_indent = 0;
	memset(p->seen, 0, sizeof p->seen);
	if (t->type != T_WORD) {
		perr(p, t->col, "expected a block kind (actor, topic, watch, "
		    "exclude or test), found %s", tok_desc(t, desc, sizeof desc));
		return;
	}
	for (i = 0; i < nitems(kinds); i++) {
		names[i] = kinds[i].name;
		if (strcmp(t->str, names[i]) == 0)
			kind = kinds[i].kind;
	}
	if (kind == 0) {
		if (t->str[0] == '#')
			perr(p, t->col, "'#' followed by a letter is a topic "
			    "reference, not a comment: write '# %.40s'", t->str + 1);
		else if (is_key(t->str))
			perr(p, t->col, "'%s' must be indented: body lines start "
			    "with a space or a tab", t->str);
		else if ((hint = suggest(t->str, names, nitems(names))) != NULL)
			perr(p, t->col, "unknown block kind '%.40s' (did you mean "
			    "'%s'?)", t->str, hint);
		else
			perr(p, t->col, "unknown block kind '%.40s' (kinds: actor "
			    "topic watch exclude test)", t->str);
		return;
	}
	idt = &p->tok[1];
	if (idt->type != T_WORD) {
		perr(p, idt->col, "expected an id after '%s', found %s", t->str,
		    tok_desc(idt, desc, sizeof desc));
		return;
	}
	if (!id_valid(idt->str)) {
		id_error(p, idt, "id");
		return;
	}
	p->pos = 2;
	if (cur(p)->type == T_STRING) {
		label = cur(p)->str;
		p->pos++;
	} else if (cur(p)->type != T_END) {
		perr(p, cur(p)->col, "expected a quoted label after the id, found "
		    "%s", tok_desc(cur(p), desc, sizeof desc));
		return;
	}
	if (cur(p)->type != T_END) {
		perr(p, cur(p)->col, "unexpected %s after the label",
		    tok_desc(cur(p), desc, sizeof desc));
		return;
	}
	block_new(p, kind, idt->str, label, idt->col);
}

static int
expect_end(struct parser *p)
{
	char	desc[64];

	if (cur(p)->type == T_END)
		return 0;
	perr(p, cur(p)->col, "unexpected %s", tok_desc(cur(p), desc, sizeof desc));
	return -1;
}

/* One of a fixed set of words; -1 after an error (reported). */
static int
choice(struct parser *p, const char *key, const char *const *v, size_t n)
{
	struct tok	*t = cur(p);
	const char	*hint;
	char		 desc[64];
	size_t		 i;

	if (t->type == T_WORD) {
		for (i = 0; i < n; i++)
			if (strcmp(t->str, v[i]) == 0) {
				p->pos++;
				return expect_end(p) == 0 ? (int)i : -1;
			}
		if ((hint = suggest(t->str, v, n)) != NULL) {
			perr(p, t->col, "unknown %s '%.40s' (did you mean '%s'?)",
			    key, t->str, hint);
			return -1;
		}
	}
	if (n == 2 && v == yesno)
		perr(p, t->col, "expected 'yes' or 'no' after '%s', found %s", key,
		    tok_desc(t, desc, sizeof desc));
	else if (n == 2)
		perr(p, t->col, "expected '%s' or '%s' after '%s', found %s", v[0],
		    v[1], key, tok_desc(t, desc, sizeof desc));
	else
		perr(p, t->col, "expected %s, %s, %s or %s after '%s', found %s",
		    v[0], v[1], v[2], v[3], key, tok_desc(t, desc, sizeof desc));
	return -1;
}

/* A quoted string and nothing else; NULL after an error (reported). */
static const char *
string_arg(struct parser *p, const char *key)
{
	struct tok	*t = cur(p);
	char		 desc[64];

	if (t->type != T_STRING) {
		perr(p, t->col, "expected a quoted string after '%s', found %s",
		    key, tok_desc(t, desc, sizeof desc));
		return NULL;
	}
	p->pos++;
	if (expect_end(p) == -1)
		return NULL;
	return t->str;
}

/*
 * One or more ids, each with an optional sigil ('@', '#' or none as sigils
 * allows); calls add() for each. -1 after an error (reported).
 */
static int
ids_arg(struct parser *p, const char *key, const char *sigils,
    void (*add)(struct parser *, const char *, char, unsigned))
{
	struct tok	*t;
	char		 desc[64], sig;
	int		 n = 0;

	while ((t = cur(p))->type == T_WORD) {
		sig = t->str[0] == '@' || t->str[0] == '#' ? t->str[0] : 0;
		if (sig != 0 && strchr(sigils, sig) == NULL) {
			perr(p, t->col, "'%s' takes %s, not '%c'", key,
			    strchr(sigils, '@') ? "actor ids" : "topic ids", sig);
			return -1;
		}
		if (sig == '@' && strchr(t->str, '.') != NULL) {
			perr(p, t->col, "'%s' takes whole rules, not a facet", key);
			return -1;
		}
		if (!id_valid(t->str + (sig != 0))) {
			id_error(p, t, "id");
			return -1;
		}
		add(p, t->str + (sig != 0), sig, t->col);
		p->pos++;
		n++;
	}
	if (t->type != T_END || n == 0) {
		perr(p, t->col, "expected %s after '%s', found %s", n == 0 ?
		    "an id" : "ids", key, tok_desc(t, desc, sizeof desc));
		return -1;
	}
	return 0;
}

static void
add_member(struct parser *p, const char *id, char sig, unsigned col)
{
	struct ractor	*a = &p->rs->actors[p->idx];

	GROW(a->members, a->nmembers);
	GROW(a->member_idx, a->nmembers);
	GROW(a->member_loc, a->nmembers);
	a->members[a->nmembers] = xstrdup(id);
	a->member_idx[a->nmembers] = -1;
	a->member_loc[a->nmembers++] = here(p, col);
}

static void
add_include(struct parser *p, const char *id, char sig, unsigned col)
{
	struct rtopic	*t = &p->rs->topics[p->idx];

	GROW(t->includes, t->nincludes);
	GROW(t->include_names, t->nincludes);
	GROW(t->include_loc, t->nincludes);
	t->includes[t->nincludes] = -1;
	t->include_names[t->nincludes] = xstrdup(id);
	t->include_loc[t->nincludes++] = here(p, col);
}

static void
add_drop(struct parser *p, const char *id, char sig, unsigned col)
{
	struct rexclude	*x = &p->rs->excludes[p->idx];

	GROW(x->drops, x->ndrops);
	x->drops[x->ndrops].kind = sig == '@' ? 'a' : sig == '#' ? 't' : 'w';
	x->drops[x->ndrops].idx = -1;
	x->drops[x->ndrops].name = xstrdup(id);
	x->drops[x->ndrops++].loc = here(p, col);
}

static void
add_expect(struct parser *p, const char *id, char sig, unsigned col)
{
	struct rtest	*t = &p->rs->tests[p->idx];

	GROW(t->expect, t->nexpect);
	GROW(t->expect_loc, t->nexpect);
	t->expect[t->nexpect] = xstrdup(id);
	t->expect_loc[t->nexpect++] = here(p, col);
}

static void
add_expect_not(struct parser *p, const char *id, char sig, unsigned col)
{
	struct rtest	*t = &p->rs->tests[p->idx];

	GROW(t->expect_not, t->nexpect_not);
	GROW(t->expect_not_loc, t->nexpect_not);
	t->expect_not[t->nexpect_not] = xstrdup(id);
	t->expect_not_loc[t->nexpect_not++] = here(p, col);
}

static void
actor_term(struct parser *p, enum key key)
{
	static const enum term_kind tk[] = {
		TK_NAME, TK_ALIAS, TK_DEMONYM, TK_CAPITAL, TK_BODY, TK_PERSON
	};
	struct ractor	*a = &p->rs->actors[p->idx];
	struct rterm	*t;
	struct rperson	*pr;
	char		*role = NULL;

	GROW(a->terms, a->nterms);
	t = &a->terms[a->nterms];
	if (term_parse(p, t, tk[key], key == K_PERSON ? &role : NULL, 0) == -1) {
		rterm_release(t);
		free(role);
		if (key == K_PERSON)
			p->person = -1;
		return;
	}
	if (key == K_ALIAS && p->person >= 0 && p->indent > p->person_indent)
		t->person = p->person;
	if (key == K_PERSON) {
		GROW(a->persons, a->npersons);
		pr = &a->persons[a->npersons];
		pr->name = xstrdup(t->text);
		pr->role = role;
		pr->loc = t->loc;
		t->person = (int)a->npersons++;
		p->person = t->person;
		p->person_indent = p->indent;
	}
	a->nterms++;
}

static void
add_not(struct parser *p, struct rterm **v, size_t *n)
{
	GROW(*v, *n);
	if (not_parse(p, &(*v)[*n]) == -1)
		rterm_release(&(*v)[*n]);
	else
		(*n)++;
}

static struct rexpr *
expr_arg(struct parser *p, const char *key)
{
	struct rexpr	*e;

	if ((e = expr_parse(p)) == NULL)
		return NULL;
	if (tok_is(cur(p), "as")) {
		perr(p, cur(p)->col, "'as' names a 'match' branch; it cannot "
		    "follow '%s'", key);
		rexpr_free(e);
		return NULL;
	}
	return e;
}

static void
watch_match(struct parser *p)
{
	struct rwatch	*w = &p->rs->watches[p->idx];
	struct rexpr	*e;
	struct tok	*t;
	char		*name = NULL, desc[64];
	unsigned	 col = cur(p)->col;
	size_t		 i;

	if ((e = expr_parse(p)) == NULL)
		return;
	if (tok_is(cur(p), "as")) {
		p->pos++;
		t = cur(p);
		if (t->type != T_WORD || !id_valid(t->str)) {
			perr(p, t->col, "expected a branch name after 'as' (lower-case "
			    "letters, digits, '-' and '_'), found %s",
			    tok_desc(t, desc, sizeof desc));
			rexpr_free(e);
			return;
		}
		for (i = 0; i < w->nmatch; i++)
			if (w->match[i].name != NULL &&
			    strcmp(w->match[i].name, t->str) == 0)
				pwarn(p, t->col, "branch name '%s' is used twice in "
				    "this watch", t->str);
		name = xstrdup(t->str);
		p->pos++;
		if (expect_end(p) == -1) {
			free(name);
			rexpr_free(e);
			return;
		}
	}
	GROW(w->match, w->nmatch);
	w->match[w->nmatch].name = name;
	w->match[w->nmatch].expr = e;
	w->match[w->nmatch++].loc = here(p, col);
}

/* The article of a test from a file: a first line "title: ..." is the title. */
static void
test_file(struct parser *p, struct rtest *t, const char *path, unsigned col)
{
	struct stat	 st;
	const char	*slash, *s, *nl;
	char		*full, *data, *cause = NULL;
	size_t		 len, i, j;

	if (path[0] == '/')
		full = xstrdup(path);
	else if ((slash = strrchr(p->file, '/')) != NULL)
		full = xasprintf("%.*s/%s", (int)(slash - p->file), p->file, path);
	else
		full = xasprintf("./%s", path);
	if (stat(full, &st) == 0 && !S_ISREG(st.st_mode)) {
		perr(p, col, "cannot read the test article '%.60s': not a "
		    "regular file", path);
		free(full);
		return;
	}
	data = util_read_file(full, RULES_MAX_TEST_FILE, &len, &cause);
	if (data == NULL) {
		/* cause starts with "full: " */
		len = strlen(full);
		perr(p, col, "cannot read the test article '%.60s': %s", path,
		    strncmp(cause, full, len) == 0 && cause[len] == ':' ?
		    cause + len + 2 : cause);
		free(cause);
		free(full);
		return;
	}
	free(full);
	/* CRLF and CR line ends become LF; NUL bytes become spaces */
	for (i = j = 0; i < len; i++) {
		if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')
			continue;
		data[j++] = data[i] == '\r' ? '\n' : data[i] == '\0' ? ' ' :
		    data[i];
	}
	data[j] = '\0';
	s = data;
	if (strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	if (strncmp(s, "title:", 6) == 0) {
		s += 6;
		nl = strchr(s, '\n');
		if (t->title == NULL) {
			t->title = nl != NULL ? xstrndup(s, (size_t)(nl - s)) :
			    xstrdup(s);
			for (i = 0; t->title[i] == ' ' || t->title[i] == '\t'; i++)
				;
			memmove(t->title, t->title + i, strlen(t->title + i) + 1);
		}
		s = nl != NULL ? nl + 1 : s + strlen(s);
	}
	t->text = xstrdup(s);
	free(data);
}

static void
test_text(struct rtest *t, const char *s)
{
	size_t	len = t->text != NULL ? strlen(t->text) : 0;
	int	para = *s == '\0';

	if (para && (len == 0 || t->text[len - 1] == '\n'))
		return;
	t->text = xreallocarray(t->text, len + strlen(s) + 2, 1);
	if (len > 0 && !para && t->text[len - 1] != '\n')
		t->text[len++] = ' ';
	if (para)
		t->text[len++] = '\n';
	strcpy(t->text + len, s);
}

static void
test_key(struct parser *p, enum key key)
{
	struct rtest	*t = &p->rs->tests[p->idx];
	struct tok	*tk;
	const char	*s;
	char		 desc[64];

	switch (key) {
	case K_TITLE:
		if ((s = string_arg(p, "title")) != NULL) {
			free(t->title);
			t->title = xstrdup(s);
		}
		break;
	case K_TEXT:
		if ((s = string_arg(p, "text")) == NULL)
			break;
		if (p->seen[K_FILE] != 0) {
			perr(p, p->tok[0].col, "a test takes 'text' lines or a "
			    "'file', not both");
			break;
		}
		p->seen[K_TEXT] = p->lineno;
		test_text(t, s);
		break;
	case K_FILE:
		tk = cur(p);
		if (tk->type != T_STRING && tk->type != T_WORD) {
			perr(p, tk->col, "expected a file name after 'file', found "
			    "%s", tok_desc(tk, desc, sizeof desc));
			break;
		}
		p->pos++;
		if (expect_end(p) == -1)
			break;
		if (p->seen[K_TEXT] != 0) {
			perr(p, p->tok[0].col, "a test takes 'text' lines or a "
			    "'file', not both");
			break;
		}
		test_file(p, t, tk->str, tk->col);
		break;
	case K_EXPECT:
		ids_arg(p, "expect", "@#", add_expect);
		break;
	case K_EXPECT_NOT:
		ids_arg(p, "expect-not", "@#", add_expect_not);
		break;
	default:
		break;
	}
}

static void
body(struct parser *p)
{
	struct tok		*t = &p->tok[0];
	const struct keydef	*kd = NULL;
	const char		*names[nitems(keydefs)], *hint, *s;
	char			 desc[64], other = 0;
	size_t			 i, n = 0;
	struct rexpr		*e;
	int			 c;

	if (p->kind == 0) {
		perr(p, t->col, "indented line outside a block: a block starts "
		    "with a header such as 'actor ID \"Label\"' in column 1");
		p->kind = '?';
		return;
	}
	if (p->kind == '?')
		return;
	if (t->type != T_WORD) {
		perr(p, t->col, "expected a key, found %s", tok_desc(t, desc,
		    sizeof desc));
		return;
	}
	for (i = 0; i < nitems(keydefs); i++) {
		if (keydefs[i].kind != p->kind) {
			if (strcmp(keydefs[i].name, t->str) == 0)
				other = keydefs[i].kind;
			continue;
		}
		names[n++] = keydefs[i].name;
		if (strcmp(keydefs[i].name, t->str) == 0)
			kd = &keydefs[i];
	}
	if (kd == NULL) {
		if (other != 0)
			perr(p, t->col, "'%s' is a key of %s blocks, not of %s "
			    "blocks", t->str, kind_name(other), kind_name(p->kind));
		else if ((hint = suggest(t->str, names, n)) != NULL)
			perr(p, t->col, "unknown key '%.40s' in %s (did you mean "
			    "'%s'?)", t->str, kind_name(p->kind), hint);
		else
			perr(p, t->col, "unknown key '%.40s' in %s", t->str,
			    kind_name(p->kind));
		return;
	}
	p->pos = 1;
	if (kd->key != K_ALIAS && p->indent <= p->person_indent)
		p->person = -1;
	switch (kd->key) {
	case K_PRIORITY: case K_NOTIFY: case K_GROUP: case K_WHEN:
	case K_SCOPE: case K_TITLE: case K_FILE:
		if (p->seen[kd->key] != 0) {
			perr(p, t->col, "'%s' given twice in this %s (first at line "
			    "%u)", kd->name, kind_name(p->kind), p->seen[kd->key]);
			return;
		}
		p->seen[kd->key] = p->lineno;
		break;
	default:
		break;
	}
	switch (kd->key) {
	case K_NAME: case K_ALIAS: case K_DEMONYM: case K_CAPITAL:
	case K_BODY: case K_PERSON:
		actor_term(p, kd->key);
		break;
	case K_MEMBER:
		ids_arg(p, "member", "@", add_member);
		break;
	case K_NOT:
		if (p->kind == 'a')
			add_not(p, &p->rs->actors[p->idx].nots,
			    &p->rs->actors[p->idx].nnots);
		else
			add_not(p, &p->rs->topics[p->idx].nots,
			    &p->rs->topics[p->idx].nnots);
		break;
	case K_TERM: {
		struct rtopic *tp = &p->rs->topics[p->idx];

		GROW(tp->terms, tp->nterms);
		if (term_parse(p, &tp->terms[tp->nterms], TK_TERM, NULL, 0) == -1)
			rterm_release(&tp->terms[tp->nterms]);
		else
			tp->nterms++;
		break;
	}
	case K_INCLUDE:
		ids_arg(p, "include", "#", add_include);
		break;
	case K_MATCH:
		p->seen[K_MATCH] = p->lineno;
		watch_match(p);
		break;
	case K_REQUIRE: case K_UNLESS: {
		struct rwatch *w = &p->rs->watches[p->idx];

		if ((e = expr_arg(p, kd->name)) == NULL)
			break;
		if (kd->key == K_REQUIRE) {
			GROW(w->require, w->nrequire);
			w->require[w->nrequire++] = e;
		} else {
			GROW(w->unless, w->nunless);
			w->unless[w->nunless++] = e;
		}
		break;
	}
	case K_PRIORITY:
		if ((c = choice(p, "priority", priorities, nitems(priorities))) >= 0)
			p->rs->watches[p->idx].priority = (enum priority)c;
		break;
	case K_NOTIFY:
		if ((c = choice(p, "notify", yesno, nitems(yesno))) >= 0)
			p->rs->watches[p->idx].notify = c;
		break;
	case K_GROUP:
		if ((s = string_arg(p, "group")) != NULL)
			p->rs->watches[p->idx].group = xstrdup(s);
		break;
	case K_WHEN:
		p->rs->excludes[p->idx].when = expr_arg(p, "when");
		break;
	case K_SCOPE:
		if ((c = choice(p, "scope", scopes, nitems(scopes))) >= 0)
			p->rs->excludes[p->idx].scope = (enum rscope)c;
		break;
	case K_DROP:
		p->seen[K_DROP] = p->lineno;
		ids_arg(p, "drop", "@#", add_drop);
		break;
	default:
		test_key(p, kd->key);
		break;
	}
}

static void
parse_line(struct parser *p, const char *s, size_t len)
{
	int	col1 = len > 0 && s[0] != ' ' && s[0] != '\t';

	if (lex_line(p, s, len) == -1) {
		if (col1) {
			block_end(p);
			p->kind = '?';
		}
		return;
	}
	if (p->ntok == 1)
		return;		/* blank or comment */
	if (col1)
		header(p);
	else
		body(p);
}

static void
parse_text(struct parser *p, const char *data, size_t len)
{
	const char	*nl;
	size_t		 off = 0, n;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	p->lineno = 0;
	p->kind = 0;
	p->file_errors = 0;
	while (off < len) {
		p->lineno++;
		nl = memchr(data + off, '\n', len - off);
		n = nl != NULL ? (size_t)(nl - (data + off)) : len - off;
		if (p->file_errors >= RULES_MAX_FILE_ERRORS) {
			perr(p, 0, "too many errors: the rest of this file is not "
			    "checked");
			break;
		}
		if (n > RULES_MAX_LINE) {
			perr(p, 0, "line longer than %d bytes", RULES_MAX_LINE);
			if (data[off] != ' ' && data[off] != '\t')
				p->kind = '?';
		} else {
			if (n > 0 && data[off + n - 1] == '\r')
				n--;
			parse_line(p, data + off, n);
		}
		off = nl != NULL ? (size_t)(nl - data) + 1 : len;
	}
	block_end(p);
	lex_clear(p);
}

/* ---------------------------------------------------------- resolution */

struct loader {
	struct ruleset	*rs;
	unsigned char	*broken[3];	/* actors, topics, watches with body errors */
	signed char	*adead;		/* actor_dead() memo: [actor * 6 + facet] */
	unsigned char	*tstrong;	/* topic has a strong term (closure) */
	unsigned	*tseen;		/* topic_terms() visit marks */
	unsigned	 gen;
	struct dlist	 dl;
	struct rindex	 tests;
	struct parser	 p;
	size_t		 lastfile;
	unsigned	 hints;		/* suggestions computed so far */
	unsigned	 nread;		/* files read */
};

#define MAX_HINTS	100

static size_t
file_index(struct loader *L, const char *file)
{
	size_t	i;

	if (L->lastfile < L->rs->nfiles && L->rs->files[L->lastfile] == file)
		return L->lastfile;
	for (i = 0; i < L->rs->nfiles; i++)
		if (L->rs->files[i] == file)
			return L->lastfile = i;
	return 0;
}

static void __attribute__((format(printf, 4, 5)))
rdiag(struct loader *L, int err, const struct rloc *loc, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("out of memory");
	va_end(ap);
	dlist_add(&L->dl, file_index(L, loc->file), loc->line, loc->col, err, msg);
}

/* The id closest to name among the rules of kind (a string of kinds). */
static const char *
suggest_id(struct loader *L, const char *name, const char *kindset)
{
	const struct rindex	*ix = L->rs->index;
	const char		**cands, *hint;
	size_t			 i, n = 0;

	if (ix == NULL || L->hints++ >= MAX_HINTS)
		return NULL;
	cands = xcalloc(ix->n + 1, sizeof *cands);
	for (i = 0; i < ix->cap; i++)
		if (ix->v[i].name != NULL && strchr(kindset, ix->v[i].kind) != NULL)
			cands[n++] = ix->v[i].name;
	hint = suggest(name, cands, n);
	free(cands);
	return hint;
}

static const char *
kind_sigil(char kind)
{
	return kind == 'a' ? "@" : kind == 't' ? "#" : "";
}

/* Index of rule name of kind want, or -1 (reported with severity err). */
static int
resolve(struct loader *L, const char *name, char want, const struct rloc *loc,
    int err)
{
	const struct rname	*e;
	const char		*hint;

	if ((e = rindex_get(L->rs->index, name)) != NULL && e->kind == want)
		return e->idx;
	if (e != NULL && (e->kind == 'a' || e->kind == 't') && want == 'w')
		rdiag(L, err, loc, "'%s' is %s, not a watch: write '%s%s'", name,
		    e->kind == 'a' ? "an actor" : "a topic", kind_sigil(e->kind),
		    name);
	else if (e != NULL && (e->kind == 'a' || e->kind == 't') &&
	    (want == 'a' || want == 't'))
		rdiag(L, err, loc, "'%s' is %s, not %s: write '%s%s'", name,
		    e->kind == 'a' ? "an actor" : "a topic",
		    want == 'a' ? "an actor" : "a topic", kind_sigil(e->kind), name);
	else if (e != NULL)
		rdiag(L, err, loc, "'%s' is the id of %s %s, not of %s %s", name,
		    e->kind == 'a' || e->kind == 'x' ? "an" : "a",
		    kind_name(e->kind), want == 'a' ? "an" : "a", kind_name(want));
	else if ((hint = suggest_id(L, name, (char[]){ want, '\0' })) != NULL)
		rdiag(L, err, loc, "unknown %s '%s%s' (did you mean '%s%s'?)",
		    kind_name(want), kind_sigil(want), name, kind_sigil(want), hint);
	else
		rdiag(L, err, loc, "unknown %s '%s%s'", kind_name(want),
		    kind_sigil(want), name);
	return -1;
}

int
rterm_in_facet(const struct ractor *a, const struct rterm *t, enum rfacet f)
{
	const char	*role = NULL;
	int		 person;

	person = t->person >= 0 && (size_t)t->person < a->npersons;
	if (person)
		role = a->persons[t->person].role;
	switch (f) {
	case FACET_ALL:
		return 1;
	case FACET_STRICT:
		return t->kind == TK_NAME || t->kind == TK_DEMONYM ||
		    (t->kind == TK_ALIAS && !person);
	case FACET_LEADER:
		return person && role != NULL &&
		    (strcmp(role, "head-of-state") == 0 ||
		    strcmp(role, "head-of-government") == 0);
	case FACET_GOV:
		return t->kind == TK_CAPITAL || t->kind == TK_BODY ||
		    (person && (role == NULL || strcmp(role, "opposition") != 0));
	case FACET_PEOPLE:
		return person;
	case FACET_MEMBERS:
		return 0;
	}
	return 0;
}

/* 1 when @a.f can never have a span: no term in the facet, or only weak ones. */
static int
actor_dead(struct loader *L, size_t ai, enum rfacet f)
{
	const struct ractor	*a = &L->rs->actors[ai];
	signed char		*memo = &L->adead[ai * 6 + f];
	size_t			 i;
	int			 any = 0, strong = 0;

	if (*memo != 0)
		return *memo > 0;
	if (f == FACET_MEMBERS) {
		*memo = 1;
		for (i = 0; i < a->nmembers; i++)
			if (a->member_idx[i] >= 0 &&
			    !actor_dead(L, (size_t)a->member_idx[i], FACET_ALL))
				*memo = -1;
		return *memo > 0;
	}
	for (i = 0; i < a->nterms; i++) {
		if (a->terms[i].fold == NULL || a->terms[i].fold[0] == '\0')
			continue;
		if (rterm_in_facet(a, &a->terms[i], f))
			any = 1;
		if (!(a->terms[i].flags & TERM_WEAK))
			strong = 1;
	}
	*memo = !any || !strong ? 1 : -1;
	return *memo > 0;
}

struct tlist {
	const struct rterm	**v;
	size_t			  n;
};

#define MAX_CLOSURE	100000	/* terms collected for one topic's checks */

/*
 * The terms of topic ti and of every topic it includes (iterative: include
 * chains may be long). Stops after MAX_CLOSURE terms; returns -1 then.
 */
static int
topic_terms(struct loader *L, size_t ti, struct tlist *l)
{
	const struct rtopic	*t;
	size_t			*stack, n = 0, i, cur;
	int			 rv = 0;

	stack = xcalloc(L->rs->ntopics + 1, sizeof *stack);
	L->gen++;
	stack[n++] = ti;
	L->tseen[ti] = L->gen;
	while (n > 0 && rv == 0) {
		cur = stack[--n];
		t = &L->rs->topics[cur];
		for (i = 0; i < t->nterms; i++) {
			if (l->n >= MAX_CLOSURE) {
				rv = -1;
				break;
			}
			GROW(l->v, l->n);
			l->v[l->n++] = &t->terms[i];
		}
		for (i = 0; i < t->nincludes; i++)
			if (t->includes[i] >= 0 &&
			    L->tseen[t->includes[i]] != L->gen) {
				L->tseen[t->includes[i]] = L->gen;
				stack[n++] = (size_t)t->includes[i];
			}
	}
	free(stack);
	return rv;
}

static int
topic_dead(struct loader *L, size_t ti)
{
	return !L->tstrong[ti];
}

static int
expr_dead(struct loader *L, const struct rexpr *e)
{
	const struct ruleset	*rs = L->rs;

	switch (e->op) {
	case RX_ACTOR:
		return e->ref >= 0 && actor_dead(L, (size_t)e->ref, e->facet);
	case RX_TOPIC:
		return e->ref >= 0 && topic_dead(L, (size_t)e->ref);
	case RX_TERM:
		return rs->literals[e->ref].fold == NULL ||
		    rs->literals[e->ref].fold[0] == '\0';
	case RX_AND:
	case RX_NEAR:
		return expr_dead(L, e->a) || expr_dead(L, e->b);
	case RX_OR:
		return expr_dead(L, e->a) && expr_dead(L, e->b);
	case RX_NOT:
		return 0;
	case RX_FIELD:
		return expr_dead(L, e->a);
	}
	return 0;
}

static void
facet_warn(struct loader *L, const struct rexpr *e)
{
	const struct ractor	*a = &L->rs->actors[e->ref];
	static const char *const why[] = {
		"",
		"has no name, demonym or alias",
		"has no person with role head-of-state or head-of-government",
		"has no capital, body or person outside the opposition",
		"has no person",
		"has no member that can match",
	};

	if (e->facet == FACET_ALL || actor_dead(L, (size_t)e->ref, FACET_ALL) ||
	    !actor_dead(L, (size_t)e->ref, e->facet))
		return;
	if (e->facet == FACET_MEMBERS && a->nmembers == 0)
		rdiag(L, 0, &e->loc, "'@%s.members' is empty: actor '%s' has no "
		    "'member' lines", a->id, a->id);
	else
		rdiag(L, 0, &e->loc, "'@%s.%s' is empty: actor '%s' %s", a->id,
		    rfacet_name(e->facet), a->id, why[e->facet]);
}

static void
expr_resolve(struct loader *L, struct rexpr *e)
{
	if (e == NULL)
		return;
	switch (e->op) {
	case RX_ACTOR:
		if ((e->ref = resolve(L, e->name, 'a', &e->loc, 1)) >= 0)
			facet_warn(L, e);
		break;
	case RX_TOPIC:
		e->ref = resolve(L, e->name, 't', &e->loc, 1);
		break;
	default:
		expr_resolve(L, e->a);
		expr_resolve(L, e->b);
		break;
	}
}

/*
 * Include cycles, found by an iterative depth-first walk (colour 1 while on
 * the path, 2 when done); the include closing a cycle is reported and cut.
 * order receives the topics in post-order: included before including.
 */
static void
include_order(struct loader *L, size_t *order)
{
	struct ruleset	*rs = L->rs;
	struct rtopic	*t;
	unsigned char	*colour;
	size_t		*st, *next, n, k = 0, r;
	int		 j;

	colour = xcalloc(rs->ntopics + 1, 1);
	st = xcalloc(rs->ntopics + 1, sizeof *st);
	next = xcalloc(rs->ntopics + 1, sizeof *next);
	for (r = 0; r < rs->ntopics; r++) {
		if (colour[r] != 0)
			continue;
		n = 0;
		st[n++] = r;
		colour[r] = 1;
		while (n > 0) {
			t = &rs->topics[st[n - 1]];
			if (next[st[n - 1]] == t->nincludes) {
				colour[st[n - 1]] = 2;
				order[k++] = st[--n];
				continue;
			}
			if ((j = t->includes[next[st[n - 1]]++]) < 0)
				continue;
			if (colour[j] == 1) {
				rdiag(L, 1, &t->include_loc[next[st[n - 1]] - 1],
				    "include cycle: topic '%s' includes '%s', which "
				    "leads back to '%s'", t->id, rs->topics[j].id, t->id);
				t->includes[next[st[n - 1]] - 1] = -1;
			} else if (colour[j] == 0) {
				colour[j] = 1;
				st[n++] = (size_t)j;
			}
		}
	}
	free(colour);
	free(st);
	free(next);
}

/* Words of a folded string: pointers into it, NUL-terminated in place. */
static size_t
split_words(char *s, char **w, size_t max)
{
	size_t	n = 0;

	while (*s != '\0' && n < max) {
		w[n++] = s;
		if ((s = strchr(s, ' ')) == NULL)
			break;
		*s++ = '\0';
	}
	return n;
}

static int
word_eq(const char *w, const char *nw, const struct rterm *t, int last)
{
	char	*a, *b;
	int	 eq;

	if (strcmp(w, nw) == 0)
		return 1;
	if (last && (t->flags & TERM_PREFIX) && strncmp(nw, w, strlen(w)) == 0)
		return 1;
	if (last && t->kind == TK_DEMONYM && strncmp(nw, w, strlen(w)) == 0 &&
	    strcmp(nw + strlen(w), "s") == 0)
		return 1;
	if (!(t->flags & TERM_STEM))
		return 0;
	a = text_stem(w, t->lang);
	b = text_stem(nw, t->lang);
	eq = a != NULL && b != NULL && strcmp(a, b) == 0;
	free(a);
	free(b);
	return eq;
}

#define MAX_PHRASE_WORDS	64
#define MAX_NOT_PAIRS	4000000	/* not phrases x terms checked per rule */

/* 1 when some term of l occurs inside the not phrase n (or cannot tell). */
static int
not_used(const struct rterm *n, const struct tlist *l)
{
	char	*ncopy, *tcopy, *nw[MAX_PHRASE_WORDS], *tw[MAX_PHRASE_WORDS];
	size_t	 nn, nt, i, s, j;
	int	 used = 0;

	if (n->fold == NULL || n->fold[0] == '\0')
		return 1;
	ncopy = xstrdup(n->fold);
	nn = split_words(ncopy, nw, MAX_PHRASE_WORDS);
	if (nn == MAX_PHRASE_WORDS)
		used = 1;
	for (i = 0; i < l->n && !used; i++) {
		if (l->v[i]->fold == NULL || l->v[i]->fold[0] == '\0')
			continue;
		tcopy = xstrdup(l->v[i]->fold);
		nt = split_words(tcopy, tw, MAX_PHRASE_WORDS);
		for (s = 0; s + nt <= nn && !used; s++) {
			for (j = 0; j < nt; j++)
				if (!word_eq(tw[j], nw[s + j], l->v[i], j + 1 == nt))
					break;
			used = j == nt;
		}
		free(tcopy);
	}
	free(ncopy);
	return used;
}

static void
check_nots(struct loader *L, const struct rterm *nots, size_t nnots,
    const struct tlist *l, const char *kind, const char *id)
{
	size_t	i;

	if (nnots > 0 && l->n > MAX_NOT_PAIRS / nnots)
		return;		/* too big to check; never seen in real rules */
	for (i = 0; i < nnots; i++)
		if (!not_used(&nots[i], l))
			rdiag(L, 0, &nots[i].loc, "not \"%.40s\" contains no term "
			    "of %s '%s': it never drops anything", nots[i].text,
			    kind, id);
}

struct dupkey {
	char	*key;
	size_t	 i;
};

static int
dupkey_cmp(const void *a, const void *b)
{
	const struct dupkey	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void
check_dups(struct loader *L, const struct rterm *v, size_t n)
{
	struct dupkey	*k;
	size_t		*first, i, m = 0;

	if (n < 2)
		return;
	k = xcalloc(n, sizeof *k);
	first = xcalloc(n, sizeof *first);
	for (i = 0; i < n; i++) {
		first[i] = i;
		if (v[i].fold == NULL || v[i].fold[0] == '\0')
			continue;
		k[m].key = xasprintf("%s\x1f%u\x1f%s", (v[i].flags & TERM_CASE) ?
		    v[i].text : v[i].fold, v[i].flags & (TERM_CASE | TERM_STEM |
		    TERM_PREFIX), v[i].lang);
		k[m++].i = i;
	}
	qsort(k, m, sizeof *k, dupkey_cmp);
	for (i = 1; i < m; i++)
		if (strcmp(k[i].key, k[i - 1].key) == 0)
			first[k[i].i] = first[k[i - 1].i];
	for (i = 0; i < n; i++)
		if (first[i] != i)
			rdiag(L, 0, &v[i].loc, "duplicate term \"%.40s\" (also at "
			    "line %u)", v[i].text, v[first[i]].loc.line);
	for (i = 0; i < m; i++)
		free(k[i].key);
	free(k);
	free(first);
}

static void
resolve_actors(struct loader *L)
{
	struct ruleset	*rs = L->rs;
	struct ractor	*a;
	struct tlist	 l;
	size_t		 i, j;

	for (i = 0; i < rs->nactors; i++) {
		a = &rs->actors[i];
		for (j = 0; j < a->nmembers; j++) {
			a->member_idx[j] = resolve(L, a->members[j], 'a',
			    &a->member_loc[j], 0);
			if (a->member_idx[j] == (int)i) {
				rdiag(L, 1, &a->member_loc[j], "actor '%s' cannot be "
				    "a member of itself", a->id);
				a->member_idx[j] = -1;
			}
		}
	}
	for (i = 0; i < rs->nactors; i++) {
		a = &rs->actors[i];
		if (L->broken[0][i])
			;	/* its body had errors: not worth a warning */
		else if (a->nterms == 0 && a->nmembers == 0)
			rdiag(L, 0, &a->loc, "actor '%s' has no names: it can never "
			    "match", a->id);
		else if (a->nterms > 0 && actor_dead(L, i, FACET_ALL))
			rdiag(L, 0, &a->loc, "actor '%s' has no strong term (every "
			    "term is weak or empty): it can never match", a->id);
		check_dups(L, a->terms, a->nterms);
		l.n = a->nterms;
		l.v = xcalloc(a->nterms + 1, sizeof *l.v);
		for (j = 0; j < a->nterms; j++)
			l.v[j] = &a->terms[j];
		check_nots(L, a->nots, a->nnots, &l, "actor", a->id);
		free(l.v);
	}
}

static void
resolve_topics(struct loader *L)
{
	struct ruleset	*rs = L->rs;
	struct rtopic	*t;
	struct tlist	 l;
	unsigned char	*any;
	size_t		*order, i, j, k;

	for (i = 0; i < rs->ntopics; i++) {
		t = &rs->topics[i];
		for (j = 0; j < t->nincludes; j++) {
			t->includes[j] = resolve(L, t->include_names[j], 't',
			    &t->include_loc[j], 1);
			if (t->includes[j] == (int)i) {
				rdiag(L, 1, &t->include_loc[j], "topic '%s' cannot "
				    "include itself", t->id);
				t->includes[j] = -1;
			}
		}
	}
	order = xcalloc(rs->ntopics + 1, sizeof *order);
	include_order(L, order);
	any = xcalloc(rs->ntopics + 1, 1);
	for (k = 0; k < rs->ntopics; k++) {
		i = order[k];
		t = &rs->topics[i];
		for (j = 0; j < t->nterms; j++) {
			if (t->terms[j].fold == NULL || t->terms[j].fold[0] == '\0')
				continue;
			any[i] = 1;
			if (!(t->terms[j].flags & TERM_WEAK))
				L->tstrong[i] = 1;
		}
		for (j = 0; j < t->nincludes; j++)
			if (t->includes[j] >= 0) {
				any[i] |= any[t->includes[j]];
				L->tstrong[i] |= L->tstrong[t->includes[j]];
			}
	}
	for (i = 0; i < rs->ntopics; i++) {
		t = &rs->topics[i];
		if (L->broken[1][i])
			;	/* its body had errors: not worth a warning */
		else if (!any[i] && t->nterms == 0)
			rdiag(L, 0, &t->loc, "topic '%s' has no terms: it can never "
			    "match", t->id);
		else if (!L->tstrong[i])
			rdiag(L, 0, &t->loc, "topic '%s' has no strong term (every "
			    "term is weak or empty): it can never match", t->id);
		check_dups(L, t->terms, t->nterms);
		if (t->nnots == 0)
			continue;
		l.v = NULL;
		l.n = 0;
		if (topic_terms(L, i, &l) == 0)
			check_nots(L, t->nots, t->nnots, &l, "topic", t->id);
		free(l.v);
	}
	free(any);
	free(order);
}

static void
resolve_watches(struct loader *L)
{
	struct ruleset	*rs = L->rs;
	struct rwatch	*w;
	size_t		 i, j;
	int		 dead, reqdead;

	for (i = 0; i < rs->nwatches; i++) {
		w = &rs->watches[i];
		if (w->group == NULL)
			w->group = xstrdup(w->label);
		for (j = 0; j < w->nmatch; j++)
			expr_resolve(L, w->match[j].expr);
		for (j = 0; j < w->nrequire; j++)
			expr_resolve(L, w->require[j]);
		for (j = 0; j < w->nunless; j++)
			expr_resolve(L, w->unless[j]);
		if (w->nmatch == 0 || L->broken[2][i])
			continue;	/* reported by block_end(), or has errors */
		for (dead = 1, j = 0; j < w->nmatch && dead; j++)
			dead = expr_dead(L, w->match[j].expr);
		for (reqdead = 0, j = 0; j < w->nrequire && !reqdead; j++)
			reqdead = expr_dead(L, w->require[j]);
		if (dead || reqdead)
			rdiag(L, 0, &w->loc, "watch '%s' can never fire: %s", w->id,
			    reqdead ? "a 'require' line can never be true" :
			    "no 'match' line can ever be true");
	}
}

/* The leftmost node: where the expression starts on its line. */
static const struct rexpr *
expr_start(const struct rexpr *e)
{
	while (e->op == RX_AND || e->op == RX_OR || e->op == RX_NEAR)
		e = e->a;
	return e;
}

static void
resolve_excludes(struct loader *L)
{
	struct ruleset	*rs = L->rs;
	struct rexclude	*x;
	size_t		 i, j, k;

	for (i = 0; i < rs->nexcludes; i++) {
		x = &rs->excludes[i];
		expr_resolve(L, x->when);
		if (x->when != NULL && expr_dead(L, x->when))
			rdiag(L, 0, &expr_start(x->when)->loc, "the 'when' of "
			    "exclude '%s' can never be true", x->id);
		for (j = 0; j < x->ndrops; j++) {
			x->drops[j].idx = resolve(L, x->drops[j].name,
			    x->drops[j].kind, &x->drops[j].loc, 1);
			for (k = 0; k < j; k++)
				if (x->drops[k].kind == x->drops[j].kind &&
				    strcmp(x->drops[k].name, x->drops[j].name) == 0) {
					rdiag(L, 0, &x->drops[j].loc, "'%s%s' is "
					    "dropped twice", kind_sigil(x->drops[j].kind),
					    x->drops[j].name);
					break;
				}
		}
	}
}

static void
resolve_names(struct loader *L, char **v, struct rloc *loc, size_t n)
{
	const struct rname	*e;
	const char		*hint;
	size_t			 i;

	for (i = 0; i < n; i++) {
		e = rindex_get(L->rs->index, v[i]);
		if (e != NULL && (e->kind == 'a' || e->kind == 't' || e->kind == 'w'))
			continue;
		if (e != NULL)
			rdiag(L, 1, &loc[i], "'%s' is an exclude: a test expects "
			    "actor, topic or watch names", v[i]);
		else if ((hint = suggest_id(L, v[i], "atw")) != NULL)
			rdiag(L, 1, &loc[i], "unknown rule '%s' (did you mean "
			    "'%s'?)", v[i], hint);
		else
			rdiag(L, 1, &loc[i], "unknown rule '%s'", v[i]);
	}
}

static void
resolve_tests(struct loader *L)
{
	struct rtest	*t;
	size_t		 i, j, k;

	for (i = 0; i < L->rs->ntests; i++) {
		t = &L->rs->tests[i];
		resolve_names(L, t->expect, t->expect_loc, t->nexpect);
		resolve_names(L, t->expect_not, t->expect_not_loc, t->nexpect_not);
		for (j = 0; j < t->nexpect_not; j++)
			for (k = 0; k < t->nexpect; k++)
				if (strcmp(t->expect_not[j], t->expect[k]) == 0) {
					rdiag(L, 1, &t->expect_not_loc[j], "'%s' is "
					    "both expected and not expected",
					    t->expect[k]);
					break;
				}
	}
}

/* --------------------------------------------------------------- loading */

static void
loader_init(struct loader *L)
{
	memset(L, 0, sizeof *L);
	L->rs = xcalloc(1, sizeof *L->rs);
	L->rs->index = xcalloc(1, sizeof *L->rs->index);
	L->p.rs = L->rs;
	L->p.dl = &L->dl;
	L->p.tests = &L->tests;
	L->p.person = -1;
	tokens_init(&L->p.tk);
}

static size_t
add_file(struct loader *L, const char *path)
{
	GROW(L->rs->files, L->rs->nfiles);
	L->rs->files[L->rs->nfiles] = xstrdup(path);
	return L->rs->nfiles++;
}

/* An error about a whole file or directory; takes msg. */
static void
file_error(struct loader *L, const char *path, char *msg)
{
	dlist_add(&L->dl, add_file(L, path), 0, 0, 1, msg);
}

static void
load_data(struct loader *L, size_t fileno, const char *data, size_t len)
{
	struct parser	*p = &L->p;

	p->file = L->rs->files[fileno];
	p->fileno = fileno;
	L->nread++;
	if (len > RULES_MAX_FILE) {
		dlist_add(&L->dl, fileno, 0, 0, 1, xasprintf("larger than %u "
		    "bytes", RULES_MAX_FILE));
		return;
	}
	parse_text(p, data, len);
}

static int
dent_cmp(const void *a, const void *b)
{
	const struct dent	*x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Resolve, check, print the diagnostics; the rule set, or NULL on errors. */
static struct ruleset *
loader_finish(struct loader *L, struct diag *d)
{
	struct ruleset	*rs = L->rs;
	struct dent	*e;
	size_t		 i;

	L->broken[0] = xcalloc(rs->nactors + 1, 1);
	L->broken[1] = xcalloc(rs->ntopics + 1, 1);
	L->broken[2] = xcalloc(rs->nwatches + 1, 1);
	L->adead = xcalloc(rs->nactors * 6 + 1, 1);
	L->tstrong = xcalloc(rs->ntopics + 1, 1);
	L->tseen = xcalloc(rs->ntopics + 1, sizeof *L->tseen);
	for (i = 0; i < L->p.nbroken; i++)
		L->broken[L->p.bkind[i] == 'a' ? 0 : L->p.bkind[i] == 't' ? 1 : 2]
		    [L->p.bidx[i]] = 1;
	resolve_actors(L);
	resolve_topics(L);
	resolve_watches(L);
	resolve_excludes(L);
	resolve_tests(L);
	if (L->dl.n > 0)
		qsort(L->dl.v, L->dl.n, sizeof *L->dl.v, dent_cmp);
	for (i = 0; i < L->dl.n; i++) {
		e = &L->dl.v[i];
		if (d != NULL && e->err)
			diag_error(d, rs->files[e->file], e->line, e->col, "%s",
			    e->msg);
		else if (d != NULL)
			diag_warn(d, rs->files[e->file], e->line, e->col, "%s",
			    e->msg);
		free(e->msg);
	}
	free(L->dl.v);
	free(L->tests.v);
	tokens_release(&L->p.tk);
	free(L->p.bkind);
	free(L->p.bidx);
	for (i = 0; i < nitems(L->broken); i++)
		free(L->broken[i]);
	free(L->adead);
	free(L->tstrong);
	free(L->tseen);
	lex_clear(&L->p);
	free(L->p.tok);
	if (d != NULL)
		d->files += L->nread;
	if (L->dl.errors > 0) {
		ruleset_free(rs);
		return NULL;
	}
	return rs;
}

struct ruleset *
rules_load_buf(const char *name, const char *data, size_t len, struct diag *d)
{
	struct loader	L;

	loader_init(&L);
	load_data(&L, add_file(&L, name), data, len);
	return loader_finish(&L, d);
}

struct ruleset *
rules_load_string(const char *name, const char *text, struct diag *d)
{
	return rules_load_buf(name, text, strlen(text), d);
}

struct flist {
	char	**v;
	size_t	  n;
	int	  full;
};

static int
has_suffix(const char *s, const char *suffix)
{
	size_t	n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

static void
flist_add(struct loader *L, struct flist *fl, char *path)
{
	if (fl->n >= RULES_MAX_FILES) {
		if (!fl->full)
			file_error(L, path, xasprintf("more than %d rule files; "
			    "the rest are not read", RULES_MAX_FILES));
		fl->full = 1;
		free(path);
		return;
	}
	GROW(fl->v, fl->n);
	fl->v[fl->n++] = path;
}

/* Every *.rules under dir; names starting with '.' are skipped. */
static void
walk(struct loader *L, struct flist *fl, const char *dir, int depth)
{
	DIR		*dp;
	struct dirent	*de;
	struct stat	 st;
	char		*path;

	if (depth > RULES_MAX_DIR_DEPTH) {
		file_error(L, dir, xasprintf("directories nested more than "
		    "%d deep; not searched", RULES_MAX_DIR_DEPTH));
		return;
	}
	if ((dp = opendir(dir)) == NULL) {
		file_error(L, dir, xstrdup(strerror(errno)));
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &st) == -1) {
			if (has_suffix(path, ".rules"))
				file_error(L, path, xstrdup(strerror(errno)));
			free(path);
		} else if (S_ISDIR(st.st_mode)) {
			walk(L, fl, path, depth + 1);
			free(path);
		} else if (S_ISREG(st.st_mode) && has_suffix(path, ".rules"))
			flist_add(L, fl, path);
		else
			free(path);
	}
	closedir(dp);
}

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct ruleset *
rules_load(const char *const *paths, size_t npaths, struct diag *d)
{
	struct loader	 L;
	struct flist	 fl = { NULL, 0, 0 };
	struct stat	 st;
	char		*path, *data, *cause = NULL;
	size_t		 i, len, n, fileno;

	loader_init(&L);
	for (i = 0; i < npaths; i++) {
		path = xstrdup(paths[i]);
		for (n = strlen(path); n > 1 && path[n - 1] == '/'; n--)
			path[n - 1] = '\0';
		if (strcmp(path, "-") != 0 && stat(path, &st) == -1) {
			file_error(&L, path, xstrdup(strerror(errno)));
			free(path);
		} else if (strcmp(path, "-") != 0 && S_ISDIR(st.st_mode)) {
			walk(&L, &fl, path, 0);
			free(path);
		} else
			flist_add(&L, &fl, path);
	}
	if (fl.n > 0)
		qsort(fl.v, fl.n, sizeof *fl.v, path_cmp);
	for (i = 0; i < fl.n; i++) {
		if (i > 0 && strcmp(fl.v[i], fl.v[i - 1]) == 0)
			continue;
		fileno = add_file(&L, fl.v[i]);
		data = util_read_file(fl.v[i], RULES_MAX_FILE, &len, &cause);
		if (data == NULL) {
			/* util_read_file's message starts with the path */
			n = strlen(fl.v[i]);
			dlist_add(&L.dl, fileno, 0, 0, 1, xstrdup(strncmp(cause,
			    fl.v[i], n) == 0 && cause[n] == ':' ? cause + n + 2 :
			    cause));
			free(cause);
			cause = NULL;
			L.nread++;
			continue;
		}
		load_data(&L, fileno, data, len);
		free(data);
	}
	for (i = 0; i < fl.n; i++)
		free(fl.v[i]);
	free(fl.v);
	return loader_finish(&L, d);
}
