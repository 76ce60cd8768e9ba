/*
 * Match results as text: the evidence object of `rules test --json` and the
 * human explanation of `rules test --explain` (branches that fired, spans
 * with their rule strings, what was suppressed and why). Reads a result and
 * the rule set; no I/O.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "match.h"
#include "rules.h"
#include "util.h"

static const char *const field_names[] = { "title", "summary", "content" };

static int
field_index(unsigned field)
{
	switch (field) {
	case FIELD_TITLE:
		return 0;
	case FIELD_SUMMARY:
		return 1;
	default:
		return 2;
	}
}

char *
mresult_span_text(const struct mresult *r, const struct mspan *s)
{
	const char	*f = r->fields[field_index(s->field)];
	size_t		 len = f != NULL ? strlen(f) : 0;

	if (f == NULL || s->start > len || s->end > len || s->end < s->start)
		return xstrdup("");
	return xstrndup(f + s->start, s->end - s->start);
}

static int
in_array(const struct rterm *t, const struct rterm *v, size_t n)
{
	uintptr_t	p = (uintptr_t)t, b = (uintptr_t)v;

	return n > 0 && p >= b && p < b + n * sizeof(*v);
}

/* The rule that owns term t: sets *kind ('a', 't', 'l') and returns its index. */
static int
term_owner(const struct ruleset *rs, const struct rterm *t, char *kind)
{
	size_t	i;

	for (i = 0; i < rs->nactors; i++)
		if (in_array(t, rs->actors[i].terms, rs->actors[i].nterms)) {
			*kind = 'a';
			return i;
		}
	for (i = 0; i < rs->ntopics; i++)
		if (in_array(t, rs->topics[i].terms, rs->topics[i].nterms)) {
			*kind = 't';
			return i;
		}
	*kind = 'l';
	return -1;
}

void
mresult_evidence_json(const struct mresult *r, struct buf *b)
{
	const struct mspan	*s;
	size_t			 i, j;
	char			*text, *text2;

	buf_addc(b, '{');
	for (i = 0; i < r->nhits; i++) {
		if (i > 0)
			buf_addc(b, ',');
		json_str(b, r->hits[i].name);
		buf_adds(b, ":[");
		for (j = 0; j < r->hits[i].nspans; j++) {
			s = &r->hits[i].spans[j];
			text = mresult_span_text(r, s);
			buf_adds(b, j > 0 ? ",{\"field\":" : "{\"field\":");
			json_str(b, field_names[field_index(s->field)]);
			buf_addf(b, ",\"start\":%u,\"end\":%u,\"text\":",
			    s->start, s->end);
			json_str(b, text);
			buf_adds(b, ",\"term\":");
			if (s->term != NULL && (s->term->flags & TERM_PREFIX)) {
				text2 = xasprintf("%s*", s->term->text);
				json_str(b, text2);
				free(text2);
			} else
				json_str(b, s->term != NULL ? s->term->text : NULL);
			buf_addc(b, '}');
			free(text);
		}
		buf_addc(b, ']');
	}
	buf_addc(b, '}');
}

static const char *
kind_name(enum term_kind k)
{
	static const char *const names[] = { "name", "alias", "demonym",
	    "capital", "body", "person", "term", "literal" };

	return (size_t)k < nitems(names) ? names[k] : "term";
}

/* Text with control characters shown as spaces, for one-line output. */
static void
add_quoted(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++)
		buf_addc(b, (unsigned char)*s < 0x20 ? ' ' : *s);
	buf_addc(b, '"');
}

/* One span: field, offsets, text, and the rule string (with its owner). */
static void
add_span(const struct ruleset *rs, const struct mresult *r,
    const struct mspan *s, int owner, struct buf *b)
{
	const struct rterm	*t = s->term;
	char			*text, kind;
	int			 o;

	text = mresult_span_text(r, s);
	buf_addf(b, "%s %u-%u ", field_names[field_index(s->field)],
	    s->start, s->end);
	add_quoted(b, text);
	free(text);
	if (t == NULL)
		return;
	buf_adds(b, " <- ");
	o = term_owner(rs, t, &kind);
	if (owner && kind == 'a')
		buf_addf(b, "@%s ", rs->actors[o].id);
	else if (owner && kind == 't')
		buf_addf(b, "#%s ", rs->topics[o].id);
	buf_addf(b, "%s ", kind_name(t->kind));
	add_quoted(b, t->text);
	if (t->flags & TERM_PREFIX)
		buf_adds(b, "*");
	if (t->flags & TERM_CASE)
		buf_adds(b, " case");
	if (t->flags & TERM_WEAK)
		buf_adds(b, " weak");
	if (t->flags & TERM_STEM)
		buf_addf(b, " stem=%s", t->lang[0] != '\0' ? t->lang : "en");
	if (t->person >= 0 && kind == 'a' &&
	    (size_t)t->person < rs->actors[o].npersons &&
	    t->kind != TK_PERSON)
		buf_addf(b, " (person %s)", rs->actors[o].persons[t->person].name);
	buf_addf(b, " (%s:%u)", t->loc.file, t->loc.line);
}

void
mresult_explain(const struct matcher *m, const struct mresult *r,
    struct buf *b)
{
	const struct ruleset	*rs = matcher_ruleset(m);
	const struct mhit	*h;
	const struct rwatch	*w;
	const struct rloc	*loc;
	const struct msuppressed *u;
	size_t			 i, j;

	for (i = 0; i < r->nhits; i++) {
		h = &r->hits[i];
		switch (h->kind) {
		case 'a':
			loc = &rs->actors[h->idx].loc;
			buf_addf(b, "actor %s (%s:%u)\n", h->name, loc->file,
			    loc->line);
			break;
		case 't':
			loc = &rs->topics[h->idx].loc;
			buf_addf(b, "topic %s (%s:%u)\n", h->name, loc->file,
			    loc->line);
			break;
		default:
			w = &rs->watches[h->idx];
			loc = &w->match[h->branchno - 1].loc;
			buf_addf(b, "watch %s (%s:%u): branch %d", h->name,
			    w->loc.file, w->loc.line, h->branchno);
			if (h->branch != NULL)
				buf_addf(b, " '%s'", h->branch);
			buf_addf(b, " (%s:%u)\n", loc->file, loc->line);
			break;
		}
		for (j = 0; j < h->nspans; j++) {
			buf_adds(b, "  ");
			add_span(rs, r, &h->spans[j], h->kind == 'w', b);
			buf_addc(b, '\n');
		}
	}
	if (r->nsup == 0)
		return;
	buf_adds(b, "suppressed:\n");
	for (i = 0; i < r->nsup; i++) {
		u = &r->sup[i];
		buf_adds(b, "  ");
		switch (u->kind) {
		case 'a':
			buf_addf(b, "@%s: ", rs->actors[u->idx].id);
			break;
		case 't':
			buf_addf(b, "#%s: ", rs->topics[u->idx].id);
			break;
		default:
			buf_addf(b, "watch %s: %s\n", rs->watches[u->idx].id,
			    u->why);
			continue;
		}
		add_span(rs, r, &u->span, 0, b);
		buf_addf(b, ": %s\n", u->why);
	}
}
