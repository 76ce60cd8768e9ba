/*
 * The matcher. matcher_new() runs every string of every actor, topic and
 * expression literal (and every `not` phrase) through the article tokenizer
 * and stores the token sequences in one trie whose edges live in a single
 * hash table keyed on (parent node, label). A label is a token key, a
 * Snowball stem ("\1lang\1stem") or a key prefix ("\2prefix"); a node lists
 * the terms that end there. match_article() tokenizes title, summary and
 * content once, walks the trie from every token, and turns the spans found
 * into actor and topic hits (after `not` phrases, weak terms and exclusions)
 * and watch hits (expressions over span sets). Watches none of whose rules
 * had a span are not evaluated.
 *
 * No I/O. A matcher keeps scratch space for one article at a time, so one
 * matcher is used by one thread at a time; the rule set must outlive it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "match.h"
#include "rules.h"
#include "text.h"
#include "util.h"

#define NONE		UINT32_MAX
#define MAX_TERM_TOKENS	64
#define MAX_SPANS	(1u << 16)	/* per article, terms and `not` phrases */
#define MAX_CASE_SUP	50		/* explain: case mismatches recorded */
#define MAX_BOUND_SUP	50		/* explain: word-boundary notes recorded */
#define MAX_PER_TERM	3		/* explain: notes per term */
#define MAX_LANGS	8

#define EDGE_STEM	'\001'
#define EDGE_PREFIX	'\002'

#define NODE_STEM	0x01		/* has stem children */
#define NODE_PREFIX	0x02		/* has prefix children */

/* Why a span does not count (struct sp.dead). */
enum {
	LIVE, DEAD_DUP, DEAD_NOT, DEAD_WEAK, DEAD_EXCL, DEAD_CASE, DEAD_BOUND
};

/* One term (or `not` phrase) of one owner, ending at a trie node. */
struct mentry {
	uint32_t		 oid;		/* owner: actor, topic or literal */
	uint32_t		 next;		/* next entry at the same node */
	const struct rterm	*term;
	char			**orig;		/* case terms: orig of each token */
	uint16_t		 ntok;
	uint8_t			 isnot;
	uint8_t			 prefix;	/* last token is a prefix */
	uint8_t			 plural;	/* demonym with "s" added */
};

struct mnode {
	uint32_t	first;			/* entries ending here */
	uint8_t		flags;			/* NODE_* */
};

struct medge {
	uint32_t	parent, child;
	uint32_t	label, len;		/* in labels */
	uint32_t	hash;
};

/* Expression metadata for the presearcher. */
struct eref {
	uint32_t	*oids;			/* owners referenced */
	size_t		 n;
	int		 always;		/* true on an article without spans */
};

/* A span found in an article. */
struct sp {
	uint32_t	tstart, tend;		/* token range in the field */
	uint32_t	start, end;		/* bytes in the field's text */
	uint32_t	ent;			/* entry */
	uint32_t	oid;
	uint32_t	mark;
	uint32_t	why;			/* DEAD_NOT: not span; DEAD_EXCL: exclude */
	uint16_t	sent;
	uint8_t		field;			/* 0 title, 1 summary, 2 content */
	uint8_t		isnot;
	uint8_t		dead;
};

/* Set of spans: a slice of the pool. */
struct sset {
	uint32_t	off, n;
	int		truth;
};

/* A sentence of a field dropped for a watch or by an exclusion. */
struct xsent {
	uint32_t	who;			/* watch index or exclude index */
	uint32_t	by;			/* watch sentences: the exclude */
	uint16_t	sent;
	uint8_t		field;
};

struct ectx {
	unsigned		 fields;	/* FIELD_* visible */
	int			 sfield;	/* >= 0: only this sentence */
	unsigned		 ssent;
	const struct xsent	*xs;		/* sentences hidden from a watch */
	size_t			 nxs;
};

struct matcher {
	const struct ruleset	*rs;
	size_t			 na, nt, nl, nown;

	struct mentry		*ent;
	size_t			 nent, entcap;
	struct mnode		*node;
	size_t			 nnode, nodecap;
	struct medge		*edge;
	size_t			 nedge, edgecap;
	uint32_t		*htab;		/* edge index + 1, 0 empty */
	size_t			 hsize;
	char			*labels;
	size_t			 labelslen, labelscap;
	char			 langs[MAX_LANGS][8];
	int			 nlangs;
	unsigned		 minprefix;	/* characters */
	uint64_t		 plens;		/* bit n: a prefix of n characters (63: more) */
	uint32_t		*oid_members;	/* actor: member oids, flattened */
	size_t			*mem_off, *mem_n;
	struct eref		*wref;		/* per watch (branches) */
	struct eref		*xref;		/* per exclude (when) */

	/* Scratch for the article being matched. */
	struct tokens		 tok[3];
	const char		*text[3];
	uint32_t		 base[3];	/* bytes skipped (content) */
	uint32_t		*stems[3];	/* [token * nlangs + lang]: in scache */
	uint32_t		*sctab;		/* stem cache: entry offset + 1 */
	size_t			 scsize, scn;
	char			*scpool;	/* lang byte, key, NUL, stem, NUL */
	size_t			 scpoollen, scpoolcap;
	struct sp		*sp;
	size_t			 nsp, spcap;
	struct sp		*dsp;		/* explain: case, boundary */
	size_t			 ndsp, dspcap;
	size_t			 ncase;
	uint32_t		*ofirst, *on;	/* per owner: term spans in sp */
	uint32_t		*pool;
	size_t			 npool, poolcap;
	uint32_t		 gen;
	struct xsent		*xs;		/* exclusion sentences */
	size_t			 nxs, xscap;
	struct xsent		*wxs;		/* watch sentences dropped */
	size_t			 nwxs, wxscap;
	char			*lbuf;
	size_t			 lbufcap;
	int			 explain;
};

static void	stem_cache_reset(struct matcher *, int);

static uint32_t
oid_of(const struct matcher *m, char kind, size_t idx)
{
	switch (kind) {
	case 'a':
		return idx;
	case 't':
		return m->na + idx;
	default:
		return m->na + m->nt + idx;
	}
}

/* ---------------------------------------------------------------- trie */

static uint32_t
label_hash(uint32_t parent, const char *s, size_t len)
{
	uint32_t	h = 2166136261u;
	size_t		i;

	for (i = 0; i < 4; i++) {
		h ^= (parent >> (i * 8)) & 0xff;
		h *= 16777619u;
	}
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static uint32_t
edge_find_h(const struct matcher *m, uint32_t parent, const char *s,
    size_t len, uint32_t h)
{
	uint32_t		 slot, e;
	const struct medge	*ed;

	for (slot = h & (m->hsize - 1); (e = m->htab[slot]) != 0;
	    slot = (slot + 1) & (m->hsize - 1)) {
		ed = &m->edge[e - 1];
		if (ed->hash == h && ed->parent == parent && ed->len == len &&
		    memcmp(m->labels + ed->label, s, len) == 0)
			return ed->child;
	}
	return NONE;
}

static uint32_t
edge_find(const struct matcher *m, uint32_t parent, const char *s, size_t len)
{
	return edge_find_h(m, parent, s, len, label_hash(parent, s, len));
}

static void
htab_grow(struct matcher *m)
{
	size_t		 i, slot;
	uint32_t	*old = m->htab;
	size_t		 oldsize = m->hsize;

	m->hsize = oldsize == 0 ? 1024 : oldsize * 2;
	m->htab = xcalloc(m->hsize, sizeof(*m->htab));
	for (i = 0; i < m->nedge; i++) {
		slot = m->edge[i].hash & (m->hsize - 1);
		while (m->htab[slot] != 0)
			slot = (slot + 1) & (m->hsize - 1);
		m->htab[slot] = i + 1;
	}
	free(old);
}

static uint32_t
node_add(struct matcher *m)
{
	if (m->nnode == m->nodecap) {
		m->nodecap = m->nodecap == 0 ? 256 : m->nodecap * 2;
		m->node = xreallocarray(m->node, m->nodecap, sizeof(*m->node));
	}
	m->node[m->nnode].first = NONE;
	m->node[m->nnode].flags = 0;
	return m->nnode++;
}

static uint32_t
edge_get(struct matcher *m, uint32_t parent, const char *s, size_t len)
{
	struct medge	*ed;
	uint32_t	 child, slot;

	if ((child = edge_find(m, parent, s, len)) != NONE)
		return child;
	if ((m->nedge + 1) * 2 > m->hsize)
		htab_grow(m);
	if (m->nedge == m->edgecap) {
		m->edgecap = m->edgecap == 0 ? 256 : m->edgecap * 2;
		m->edge = xreallocarray(m->edge, m->edgecap, sizeof(*m->edge));
	}
	if (m->labelslen + len + 1 > m->labelscap) {
		while (m->labelslen + len + 1 > m->labelscap)
			m->labelscap = m->labelscap == 0 ? 4096 : m->labelscap * 2;
		m->labels = xreallocarray(m->labels, m->labelscap, 1);
	}
	memcpy(m->labels + m->labelslen, s, len);
	m->labels[m->labelslen + len] = '\0';
	child = node_add(m);
	ed = &m->edge[m->nedge];
	ed->parent = parent;
	ed->child = child;
	ed->label = m->labelslen;
	ed->len = len;
	ed->hash = label_hash(parent, s, len);
	m->labelslen += len + 1;
	slot = ed->hash & (m->hsize - 1);
	while (m->htab[slot] != 0)
		slot = (slot + 1) & (m->hsize - 1);
	m->htab[slot] = ++m->nedge;
	return child;
}

/* Label into m->lbuf: tag (0 for none), then up to two strings. */
static size_t
label_make(struct matcher *m, char tag, const char *a, size_t alen,
    const char *b)
{
	size_t	need, blen = b != NULL ? strlen(b) : 0, n = 0;

	need = 3 + alen + blen;
	if (need > m->lbufcap) {
		m->lbufcap = need * 2;
		m->lbuf = xreallocarray(m->lbuf, m->lbufcap, 1);
	}
	if (tag != 0)
		m->lbuf[n++] = tag;
	memcpy(m->lbuf + n, a, alen);
	n += alen;
	if (b != NULL) {
		m->lbuf[n++] = tag;
		memcpy(m->lbuf + n, b, blen);
		n += blen;
	}
	m->lbuf[n] = '\0';
	return n;
}

static int
lang_index(struct matcher *m, const char *lang)
{
	int	i;

	for (i = 0; i < m->nlangs; i++)
		if (strcmp(m->langs[i], lang) == 0)
			return i;
	if (m->nlangs == MAX_LANGS)
		return -1;
	snprintf(m->langs[m->nlangs], sizeof(m->langs[0]), "%s", lang);
	return m->nlangs++;
}

static unsigned
utf8_chars(const char *s)
{
	unsigned	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void
entry_add(struct matcher *m, uint32_t node, uint32_t oid,
    const struct rterm *t, int isnot, const struct tokens *tk, int plural,
    int prefix)
{
	struct mentry	*e;
	size_t		 i;

	if (m->nent == m->entcap) {
		m->entcap = m->entcap == 0 ? 256 : m->entcap * 2;
		m->ent = xreallocarray(m->ent, m->entcap, sizeof(*m->ent));
	}
	e = &m->ent[m->nent];
	memset(e, 0, sizeof(*e));
	e->oid = oid;
	e->term = t;
	e->isnot = isnot;
	e->prefix = prefix;
	e->plural = plural;
	e->ntok = tk->n;
	if (t->flags & TERM_CASE) {
		e->orig = xcalloc(tk->n, sizeof(*e->orig));
		for (i = 0; i < tk->n; i++)
			e->orig[i] = i + 1 == tk->n && plural ?
			    xasprintf("%ss", token_orig(tk, i)) :
			    xstrdup(token_orig(tk, i));
	}
	e->next = m->node[node].first;
	m->node[node].first = m->nent++;
}

/*
 * Put one term into the trie. Demonyms get a second path with an "s"
 * appended to their last word.
 */
static void
compile_term(struct matcher *m, uint32_t oid, const struct rterm *t, int isnot)
{
	struct tokens	 tk;
	const char	*key, *lang = NULL;
	char		*stem, *pl;
	uint32_t	 node;
	size_t		 i, len;
	int		 prefix, dostem, plural;

	tokens_init(&tk);
	text_tokenize(&tk, t->text, strlen(t->text), 0);
	if (tk.n == 0 || tk.n > MAX_TERM_TOKENS)
		goto out;
	prefix = (t->flags & TERM_PREFIX) != 0;
	dostem = (t->flags & TERM_STEM) != 0;
	if (dostem) {
		lang = t->lang[0] != '\0' ? t->lang : "en";
		if (!text_stem_lang_ok(lang) || lang_index(m, lang) < 0)
			dostem = 0;
	}
	for (plural = 0; plural < 2; plural++) {
		if (plural && (isnot || t->kind != TK_DEMONYM || prefix ||
		    dostem || (tk.v[tk.n - 1].flags & TOK_CJK)))
			break;
		node = 0;
		for (i = 0; i < tk.n; i++) {
			key = token_key(&tk, i);
			if (prefix && i + 1 == tk.n) {
				m->node[node].flags |= NODE_PREFIX;
				if (utf8_chars(key) < m->minprefix)
					m->minprefix = utf8_chars(key);
				m->plens |= (uint64_t)1 << (utf8_chars(key) < 63 ?
				    utf8_chars(key) : 63);
				len = label_make(m, EDGE_PREFIX, key, strlen(key),
				    NULL);
			} else if (dostem && (stem = text_stem(key, lang)) != NULL) {
				m->node[node].flags |= NODE_STEM;
				len = label_make(m, EDGE_STEM, lang, strlen(lang),
				    stem);
				free(stem);
			} else if (plural && i + 1 == tk.n) {
				pl = xasprintf("%ss", key);
				len = label_make(m, 0, pl, strlen(pl), NULL);
				free(pl);
			} else
				len = label_make(m, 0, key, strlen(key), NULL);
			node = edge_get(m, node, m->lbuf, len);
		}
		entry_add(m, node, oid, t, isnot, &tk, plural, prefix);
	}
out:
	tokens_release(&tk);
}

/* ----------------------------------------------------- compile rules */

static void
eref_add(struct eref *r, uint32_t oid)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		if (r->oids[i] == oid)
			return;
	r->oids = xreallocarray(r->oids, r->n + 1, sizeof(*r->oids));
	r->oids[r->n++] = oid;
}

static void
eref_collect(const struct matcher *m, const struct rexpr *e, struct eref *r)
{
	size_t	i, a;

	if (e == NULL)
		return;
	switch (e->op) {
	case RX_ACTOR:
		a = (size_t)e->ref;
		if (e->facet == FACET_MEMBERS) {
			for (i = 0; i < m->mem_n[a]; i++)
				eref_add(r, m->oid_members[m->mem_off[a] + i]);
		} else
			eref_add(r, oid_of(m, 'a', a));
		break;
	case RX_TOPIC:
		eref_add(r, oid_of(m, 't', e->ref));
		break;
	case RX_TERM:
		eref_add(r, oid_of(m, 'l', e->ref));
		break;
	default:
		eref_collect(m, e->a, r);
		eref_collect(m, e->b, r);
		break;
	}
}

/* The value of e on an article where nothing matched. */
static int
true_on_empty(const struct rexpr *e)
{
	switch (e->op) {
	case RX_AND:
		return true_on_empty(e->a) && true_on_empty(e->b);
	case RX_OR:
		return true_on_empty(e->a) || true_on_empty(e->b);
	case RX_NOT:
		return !true_on_empty(e->a);
	case RX_FIELD:
		return true_on_empty(e->a);
	default:
		return 0;
	}
}

/* Topic t with every topic it includes, directly or not. */
static void
topic_closure(const struct ruleset *rs, size_t t, unsigned char *seen)
{
	size_t	i;

	if (seen[t])
		return;
	seen[t] = 1;
	for (i = 0; i < rs->topics[t].nincludes; i++)
		if (rs->topics[t].includes[i] >= 0 &&
		    (size_t)rs->topics[t].includes[i] < rs->ntopics)
			topic_closure(rs, rs->topics[t].includes[i], seen);
}

struct matcher *
matcher_new(const struct ruleset *rs, char **cause)
{
	struct matcher		*m;
	const struct ractor	*a;
	const struct rtopic	*t;
	unsigned char		*seen;
	size_t			 i, j, k, nmem = 0;

	m = xcalloc(1, sizeof(*m));
	m->rs = rs;
	m->na = rs->nactors;
	m->nt = rs->ntopics;
	m->nl = rs->nliterals;
	m->nown = m->na + m->nt + m->nl;
	m->minprefix = UINT32_MAX;
	node_add(m);
	htab_grow(m);
	for (i = 0; i < 3; i++)
		tokens_init(&m->tok[i]);

	for (i = 0; i < m->na; i++) {
		a = &rs->actors[i];
		for (j = 0; j < a->nterms; j++)
			compile_term(m, oid_of(m, 'a', i), &a->terms[j], 0);
		for (j = 0; j < a->nnots; j++)
			compile_term(m, oid_of(m, 'a', i), &a->nots[j], 1);
		nmem += a->nmembers;
	}
	m->oid_members = xcalloc(nmem + 1, sizeof(*m->oid_members));
	m->mem_off = xcalloc(m->na + 1, sizeof(*m->mem_off));
	m->mem_n = xcalloc(m->na + 1, sizeof(*m->mem_n));
	for (i = 0, k = 0; i < m->na; i++) {
		a = &rs->actors[i];
		m->mem_off[i] = k;
		for (j = 0; j < a->nmembers; j++)
			if (a->member_idx != NULL && a->member_idx[j] >= 0 &&
			    (size_t)a->member_idx[j] < m->na)
				m->oid_members[k++] = a->member_idx[j];
		m->mem_n[i] = k - m->mem_off[i];
	}

	/* A topic owns its terms and those of the topics it includes. */
	seen = xcalloc(m->nt + 1, 1);
	for (i = 0; i < m->nt; i++) {
		memset(seen, 0, m->nt);
		topic_closure(rs, i, seen);
		for (k = 0; k < m->nt; k++) {
			if (!seen[k])
				continue;
			t = &rs->topics[k];
			for (j = 0; j < t->nterms; j++)
				compile_term(m, oid_of(m, 't', i), &t->terms[j], 0);
		}
		t = &rs->topics[i];
		for (j = 0; j < t->nnots; j++)
			compile_term(m, oid_of(m, 't', i), &t->nots[j], 1);
	}
	free(seen);
	for (i = 0; i < m->nl; i++)
		compile_term(m, oid_of(m, 'l', i), &rs->literals[i], 0);
	if (m->minprefix == UINT32_MAX || m->minprefix == 0)
		m->minprefix = 1;
	if (m->nlangs > 0)
		stem_cache_reset(m, 1);

	m->wref = xcalloc(rs->nwatches + 1, sizeof(*m->wref));
	for (i = 0; i < rs->nwatches; i++)
		for (j = 0; j < rs->watches[i].nmatch; j++) {
			eref_collect(m, rs->watches[i].match[j].expr, &m->wref[i]);
			if (true_on_empty(rs->watches[i].match[j].expr))
				m->wref[i].always = 1;
		}
	m->xref = xcalloc(rs->nexcludes + 1, sizeof(*m->xref));
	for (i = 0; i < rs->nexcludes; i++) {
		eref_collect(m, rs->excludes[i].when, &m->xref[i]);
		m->xref[i].always = rs->excludes[i].when != NULL &&
		    true_on_empty(rs->excludes[i].when);
	}
	m->ofirst = xcalloc(m->nown + 1, sizeof(*m->ofirst));
	m->on = xcalloc(m->nown + 1, sizeof(*m->on));
	log_debug("matcher: %zu terms, %zu trie nodes, %zu owners",
	    m->nent, m->nnode, m->nown);
	(void)cause;
	return m;
}

static void
eref_free(struct eref *r, size_t n)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < n; i++)
		free(r[i].oids);
	free(r);
}

void
matcher_free(struct matcher *m)
{
	size_t	i, j;

	if (m == NULL)
		return;
	for (i = 0; i < m->nent; i++) {
		if (m->ent[i].orig == NULL)
			continue;
		for (j = 0; j < m->ent[i].ntok; j++)
			free(m->ent[i].orig[j]);
		free(m->ent[i].orig);
	}
	free(m->ent);
	free(m->node);
	free(m->edge);
	free(m->htab);
	free(m->labels);
	free(m->oid_members);
	free(m->mem_off);
	free(m->mem_n);
	eref_free(m->wref, m->rs->nwatches);
	eref_free(m->xref, m->rs->nexcludes);
	for (i = 0; i < 3; i++)
		tokens_release(&m->tok[i]);
	free(m->sp);
	free(m->dsp);
	free(m->ofirst);
	free(m->on);
	free(m->pool);
	free(m->xs);
	free(m->wxs);
	free(m->lbuf);
	free(m->sctab);
	free(m->scpool);
	free(m);
}

const struct ruleset *
matcher_ruleset(const struct matcher *m)
{
	return m->rs;
}

/* ----------------------------------------------------------- scanning */

static void
sp_push(struct sp **v, size_t *n, size_t *cap, const struct sp *s)
{
	if (*n == *cap) {
		*cap = *cap == 0 ? 64 : *cap * 2;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = *s;
}

#define SC_MAX		65536		/* stem cache entries before a reset */
/* The table has 2 * SC_MAX slots and is never more than half full. */

/*
 * Stems are cached across articles (news repeats its words): a hash of
 * (language, key) to an offset in scpool. The cache is emptied between
 * articles when it is full, so offsets hold for the whole article.
 */
static uint32_t
stem_cached(struct matcher *m, int li, const char *key)
{
	uint32_t	 h = 2166136261u ^ (uint32_t)li, off, slot, e;
	const char	*p;
	char		*st;
	size_t		 kl = strlen(key), sl, need;

	for (p = key; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 16777619u;
	}
	for (slot = h & (m->scsize - 1); (e = m->sctab[slot]) != 0;
	    slot = (slot + 1) & (m->scsize - 1)) {
		p = m->scpool + e - 1;
		if (*p == li && strcmp(p + 1, key) == 0)
			return e - 1 + 1 + kl + 1;
	}
	st = text_stem(key, m->langs[li]);
	sl = st != NULL ? strlen(st) : 0;
	need = 1 + kl + 1 + sl + 1;
	if (m->scpoollen + need > m->scpoolcap) {
		while (m->scpoollen + need > m->scpoolcap)
			m->scpoolcap = m->scpoolcap == 0 ? 65536 : m->scpoolcap * 2;
		m->scpool = xreallocarray(m->scpool, m->scpoolcap, 1);
	}
	off = m->scpoollen;
	m->scpool[off] = (char)li;
	memcpy(m->scpool + off + 1, key, kl + 1);
	if (st != NULL)
		memcpy(m->scpool + off + 1 + kl + 1, st, sl + 1);
	else
		m->scpool[off + 1 + kl + 1] = '\0';
	free(st);
	m->scpoollen += need;
	if (m->scn < m->scsize / 2) {		/* else kept for this article only */
		m->sctab[slot] = off + 1;
		m->scn++;
	}
	return off + 1 + kl + 1;
}

static void
stem_cache_reset(struct matcher *m, int force)
{
	if (!force && m->scn < SC_MAX)
		return;
	if (m->sctab == NULL) {
		m->scsize = SC_MAX * 2;
		m->sctab = xcalloc(m->scsize, sizeof(*m->sctab));
	} else
		memset(m->sctab, 0, m->scsize * sizeof(*m->sctab));
	m->scn = 0;
	m->scpoollen = 0;
}

static const char *
stem_of(struct matcher *m, int f, size_t j, int li)
{
	const struct tokens	*tk = &m->tok[f];
	size_t			 k = j * m->nlangs + li;

	if (m->stems[f] == NULL)
		m->stems[f] = xcalloc(tk->n * m->nlangs + 1, sizeof(uint32_t));
	if (m->stems[f][k] == 0)
		m->stems[f][k] = stem_cached(m, li, token_key(tk, j)) + 1;
	return m->scpool + m->stems[f][k] - 1;
}

/* The token's case-kept form against the term's, word by word. */
static int
case_ok(const struct tokens *tk, uint32_t i0, const struct mentry *e)
{
	const char	*o, *w;
	size_t		 k, wl;

	for (k = 0; k < e->ntok; k++) {
		o = token_orig(tk, i0 + k);
		w = e->orig[k];
		wl = strlen(w);
		if (strncmp(o, w, wl) != 0)
			return 0;
		if (o[wl] == '\0' || (e->prefix && k + 1 == e->ntok))
			continue;
		/* A possessive the tokenizer left in orig. */
		if ((tk->v[i0 + k].flags & TOK_POSS) && o[wl] == '\'')
			continue;
		return 0;
	}
	return 1;
}

/* Explain notes recorded for entry ei so far. */
static size_t
dsp_count(const struct matcher *m, uint32_t ei)
{
	size_t	i, n = 0;

	for (i = 0; i < m->ndsp; i++)
		n += m->dsp[i].ent == ei;
	return n;
}

static void
emit(struct matcher *m, int f, uint32_t i0, uint32_t j1, uint32_t node)
{
	const struct tokens	*tk = &m->tok[f];
	const struct mentry	*e;
	struct sp		 s;
	uint32_t		 ei;

	for (ei = m->node[node].first; ei != NONE; ei = e->next) {
		e = &m->ent[ei];
		memset(&s, 0, sizeof(s));
		s.tstart = i0;
		s.tend = j1;
		s.start = tk->v[i0].start + m->base[f];
		s.end = tk->v[j1 - 1].end + m->base[f];
		s.sent = tk->v[i0].sent;
		s.field = f;
		s.ent = ei;
		s.oid = e->oid;
		s.isnot = e->isnot;
		if (e->orig != NULL && !tk->allcaps && !case_ok(tk, i0, e)) {
			if (m->explain && !e->isnot && m->ncase < MAX_CASE_SUP &&
			    e->oid < m->na + m->nt && dsp_count(m, ei) < MAX_PER_TERM) {
				s.dead = DEAD_CASE;
				sp_push(&m->dsp, &m->ndsp, &m->dspcap, &s);
				m->ncase++;
			}
			continue;
		}
		if (m->nsp >= MAX_SPANS)
			return;
		sp_push(&m->sp, &m->nsp, &m->spcap, &s);
	}
}

static void
walk(struct matcher *m, int f, uint32_t i0, uint32_t j, uint32_t node)
{
	const struct tokens	*tk = &m->tok[f];
	const char		*key, *st;
	uint32_t		 c, h;
	size_t			 klen, len, p;
	unsigned		 chars;
	int			 li;

	if (j >= tk->n)
		return;
	key = token_key(tk, j);
	klen = strlen(key);
	if ((c = edge_find(m, node, key, klen)) != NONE) {
		emit(m, f, i0, j + 1, c);
		walk(m, f, i0, j + 1, c);
	}
	if (m->node[node].flags & NODE_STEM) {
		for (li = 0; li < m->nlangs; li++) {
			st = stem_of(m, f, j, li);
			len = label_make(m, EDGE_STEM, m->langs[li],
			    strlen(m->langs[li]), st);
			if ((c = edge_find(m, node, m->lbuf, len)) != NONE) {
				emit(m, f, i0, j + 1, c);
				walk(m, f, i0, j + 1, c);
			}
		}
	}
	if (m->node[node].flags & NODE_PREFIX) {
		/* Every prefix at a character boundary; the hash grows with it. */
		len = label_make(m, EDGE_PREFIX, key, klen, NULL);
		h = label_hash(node, m->lbuf, 1);
		for (p = 1, chars = 1; p <= klen; p++) {
			h = (h ^ (unsigned char)key[p - 1]) * 16777619u;
			if (p < klen && ((unsigned char)key[p] & 0xc0) == 0x80)
				continue;
			if (chars < 63 && !(m->plens & ((uint64_t)1 << chars))) {
				chars++;
				continue;
			}
			if (chars++ < m->minprefix)
				continue;
			if ((c = edge_find_h(m, node, m->lbuf, p + 1, h)) != NONE)
				emit(m, f, i0, j + 1, c);
		}
	}
}

/*
 * Bytes of content already read as the summary: the summary (without a
 * trailing ellipsis) when the content begins with it, backed up to a word
 * start when the summary was cut inside a word.
 */
static size_t
content_skip(const char *sum, const char *con)
{
	static const char *const ell[] = { "[\xe2\x80\xa6]", "[...]",
	    "\xe2\x80\xa6", "..." };
	size_t		 len, i, el;
	int		 cut = 0;

	if (sum == NULL || con == NULL)
		return 0;
	len = strlen(sum);
	while (len > 0 && (sum[len - 1] == ' ' || sum[len - 1] == '\n'))
		len--;
	for (i = 0; i < nitems(ell); i++) {
		el = strlen(ell[i]);
		if (len >= el && memcmp(sum + len - el, ell[i], el) == 0) {
			len -= el;
			cut = 1;
			break;
		}
	}
	while (len > 0 && (sum[len - 1] == ' ' || sum[len - 1] == '\n'))
		len--;
	if (len == 0 || strncmp(sum, con, len) != 0)
		return 0;
	if (cut && con[len] != ' ' && con[len] != '\n' && con[len] != '\0') {
		while (len > 0 && con[len - 1] != ' ' && con[len - 1] != '\n')
			len--;
	}
	return len;
}

static void
fields_tokenize(struct matcher *m, const struct article *art)
{
	size_t	i, skip;

	m->text[0] = art->title != NULL ? art->title : "";
	m->text[1] = art->summary != NULL ? art->summary : "";
	m->text[2] = art->content != NULL ? art->content : "";
	skip = content_skip(art->summary, art->content);
	m->base[0] = m->base[1] = 0;
	m->base[2] = skip;
	for (i = 0; i < 3; i++) {
		tokens_reset(&m->tok[i]);
		text_tokenize(&m->tok[i], m->text[i] + m->base[i],
		    strlen(m->text[i] + m->base[i]), 0);
	}
}

/* ------------------------------------------------- spans per owner */

static int
sp_cmp(const void *pa, const void *pb)
{
	const struct sp	*a = pa, *b = pb;

	if (a->oid != b->oid)
		return a->oid < b->oid ? -1 : 1;
	if (a->isnot != b->isnot)
		return a->isnot > b->isnot ? -1 : 1;	/* `not` first */
	if (a->field != b->field)
		return a->field < b->field ? -1 : 1;
	if (a->tstart != b->tstart)
		return a->tstart < b->tstart ? -1 : 1;
	if (a->tend != b->tend)
		return a->tend > b->tend ? -1 : 1;	/* longer first */
	return a->ent < b->ent ? -1 : a->ent > b->ent;
}

/*
 * One owner: nots are sp[n0, t0), terms sp[t0, t1). Drop terms inside a
 * `not` phrase, weak terms without a strong one, and spans contained in a
 * longer (or equal) span of the same owner.
 */
static void
owner_filter(struct matcher *m, size_t n0, size_t t0, size_t t1)
{
	struct sp	*s, *n;
	size_t		 i, k, best = 0;
	uint32_t	 maxend = 0;
	int		 strong = 0, field = -1, isrule, nfield = -1;

	/*
	 * Both runs are sorted by (field, start): walk them together, keeping
	 * the `not` span reaching furthest among those starting at or before
	 * the term; the term is inside a `not` phrase iff it is inside that one.
	 */
	for (i = t0, k = n0; i < t1; i++) {
		s = &m->sp[i];
		for (; k < t0; k++) {
			n = &m->sp[k];
			if (n->field > s->field || (n->field == s->field &&
			    n->tstart > s->tstart))
				break;
			if (n->field != nfield || n->tend > maxend) {
				nfield = n->field;
				maxend = n->tend;
				best = k;
			}
		}
		if (nfield == s->field && maxend >= s->tend) {
			s->dead = DEAD_NOT;
			s->why = best;
		}
	}
	maxend = 0;
	isrule = m->sp[t0].oid < m->na + m->nt;
	for (i = t0; i < t1 && isrule; i++)
		if (m->sp[i].dead == LIVE &&
		    !(m->ent[m->sp[i].ent].term->flags & TERM_WEAK))
			strong = 1;
	for (i = t0; i < t1 && isrule && !strong; i++)
		if (m->sp[i].dead == LIVE)
			m->sp[i].dead = DEAD_WEAK;
	for (i = t0; i < t1; i++) {
		s = &m->sp[i];
		if (s->dead != LIVE)
			continue;
		if (s->field == field && s->tend <= maxend) {
			s->dead = DEAD_DUP;
			continue;
		}
		if (s->field != field || s->tend > maxend) {
			field = s->field;
			maxend = s->tend;
		}
	}
}

static void
owners_build(struct matcher *m)
{
	struct sp	*tmp;
	size_t		 i, j, k;
	uint32_t	 oid;

	/* Bucket by owner (counting sort), then sort each owner's few spans. */
	memset(m->on, 0, m->nown * sizeof(*m->on));
	for (i = 0; i < m->nsp; i++)
		m->on[m->sp[i].oid]++;
	for (i = 0, k = 0; i < m->nown; i++) {
		m->ofirst[i] = k;
		k += m->on[i];
	}
	tmp = xreallocarray(NULL, m->nsp + 1, sizeof(*tmp));
	for (i = 0; i < m->nsp; i++)
		tmp[m->ofirst[m->sp[i].oid]++] = m->sp[i];
	free(m->sp);
	m->sp = tmp;
	m->spcap = m->nsp + 1;
	for (i = 0; i < m->nsp; i = j) {
		for (j = i; j < m->nsp && m->sp[j].oid == m->sp[i].oid; j++)
			;
		if (j - i > 1)
			qsort(m->sp + i, j - i, sizeof(*m->sp), sp_cmp);
	}
	memset(m->on, 0, m->nown * sizeof(*m->on));
	for (i = 0; i < m->nsp; i = k) {
		oid = m->sp[i].oid;
		for (j = i; j < m->nsp && m->sp[j].oid == oid && m->sp[j].isnot; j++)
			;
		for (k = j; k < m->nsp && m->sp[k].oid == oid; k++)
			;
		m->ofirst[oid] = j;
		m->on[oid] = k - j;
		if (k > j)
			owner_filter(m, i, j, k);
	}
}

static int
owner_live(const struct matcher *m, uint32_t oid)
{
	size_t	i;

	for (i = m->ofirst[oid]; i < m->ofirst[oid] + m->on[oid]; i++)
		if (m->sp[i].dead == LIVE)
			return 1;
	return 0;
}

static int
eref_live(const struct matcher *m, const struct eref *r)
{
	size_t	i;

	if (r->always)
		return 1;
	for (i = 0; i < r->n; i++)
		if (owner_live(m, r->oids[i]))
			return 1;
	return 0;
}

/* --------------------------------------------------------- expressions */

static void
pool_push(struct matcher *m, uint32_t v)
{
	if (m->npool == m->poolcap) {
		m->poolcap = m->poolcap == 0 ? 256 : m->poolcap * 2;
		m->pool = xreallocarray(m->pool, m->poolcap, sizeof(*m->pool));
	}
	m->pool[m->npool++] = v;
}

/* Push span i unless this generation has it already. */
static void
pool_push_once(struct matcher *m, uint32_t i)
{
	if (m->sp[i].mark == m->gen)
		return;
	m->sp[i].mark = m->gen;
	pool_push(m, i);
}

static int
facet_ok(const struct ractor *a, const struct rterm *t, enum rfacet f)
{
	const char	*role = NULL;
	int		 person;

	person = t->person >= 0 && (size_t)t->person < a->npersons;
	if (person)
		role = a->persons[t->person].role;
	switch (f) {
	case FACET_STRICT:
		return t->kind == TK_NAME || t->kind == TK_DEMONYM ||
		    (t->kind == TK_ALIAS && !person);
	case FACET_LEADER:
		return person && role != NULL &&
		    (strcmp(role, "head-of-state") == 0 ||
		    strcmp(role, "head-of-government") == 0);
	case FACET_GOV:
		if (t->kind == TK_CAPITAL || t->kind == TK_BODY)
			return 1;
		return person && (role == NULL || strcmp(role, "opposition") != 0);
	case FACET_PEOPLE:
		return person || t->kind == TK_PERSON;
	default:
		return 1;
	}
}

static int
span_visible(const struct sp *s, const struct ectx *c)
{
	const struct xsent	*x;
	size_t			 lo, hi, mid;

	if (s->dead != LIVE || !(c->fields & (1u << s->field)))
		return 0;
	if (c->sfield >= 0 && (s->field != c->sfield || s->sent != c->ssent))
		return 0;
	/* c->xs is sorted by (field, sent): binary search. */
	for (lo = 0, hi = c->nxs; lo < hi; ) {
		mid = (lo + hi) / 2;
		x = &c->xs[mid];
		if (x->field == s->field && x->sent == s->sent)
			return 0;
		if (x->field < s->field || (x->field == s->field &&
		    x->sent < s->sent))
			lo = mid + 1;
		else
			hi = mid;
	}
	return 1;
}

/*
 * The first of owner oid's spans in sentence sent of field, or where it
 * would be: an owner's spans are sorted by (field, start), so sentence
 * numbers never decrease along them within a field.
 */
static size_t
sentence_first(const struct matcher *m, uint32_t oid, unsigned field,
    unsigned sent)
{
	const struct sp	*s;
	size_t		 lo = m->ofirst[oid], hi = lo + m->on[oid], mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		s = &m->sp[mid];
		if (s->field < field || (s->field == field && s->sent < sent))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
atom_push(struct matcher *m, uint32_t oid, const struct ractor *a,
    enum rfacet facet, const struct ectx *c)
{
	size_t	i, end = m->ofirst[oid] + m->on[oid];

	i = c->sfield >= 0 ? sentence_first(m, oid, c->sfield, c->ssent) :
	    m->ofirst[oid];
	for (; i < end; i++) {
		if (c->sfield >= 0 && (m->sp[i].field != c->sfield ||
		    m->sp[i].sent != c->ssent))
			break;
		if (!span_visible(&m->sp[i], c))
			continue;
		if (a != NULL && facet != FACET_ALL &&
		    !facet_ok(a, m->ent[m->sp[i].ent].term, facet))
			continue;
		pool_push_once(m, i);
	}
}

static int
near_ok(const struct sp *a, const struct sp *b, const struct rexpr *e)
{
	uint32_t	gap;

	if (a == b || a->field != b->field)
		return 0;
	if (a->tstart < b->tend && b->tstart < a->tend)
		return 0;			/* overlap */
	if (e->ordered && a->tend > b->tstart)
		return 0;
	if (e->near == NEAR_SENTENCE)
		return a->sent == b->sent;
	gap = a->tend <= b->tstart ? b->tstart - a->tend : a->tstart - b->tend;
	return gap <= (uint32_t)e->near;
}

static int
sp_pos_cmp(const void *pa, const void *pb, void *arg)
{
	const struct matcher	*m = arg;
	const struct sp		*a = &m->sp[*(const uint32_t *)pa];
	const struct sp		*b = &m->sp[*(const uint32_t *)pb];

	if (a->field != b->field)
		return a->field < b->field ? -1 : 1;
	if (a->tstart != b->tstart)
		return a->tstart < b->tstart ? -1 : 1;
	return a->tend < b->tend ? -1 : a->tend > b->tend;
}

/*
 * a near b: y's spans sorted by position, then for each span of x only the
 * window of y that can be close enough (same field; same sentence, or
 * starting at most N + MAX_TERM_TOKENS words before it and N after). At
 * most NEAR_SCAN candidates per span bound the work on absurd articles.
 */
#define NEAR_SCAN	4096

static void
near_merge(struct matcher *m, const struct rexpr *e, struct sset x,
    struct sset y)
{
	const struct sp	*a, *b;
	size_t		 i, lo, hi, mid, k, n;
	uint32_t	 from;
	int		 sentence = e->near == NEAR_SENTENCE;

	qsort_r(m->pool + y.off, y.n, sizeof(*m->pool), sp_pos_cmp, m);
	m->gen++;
	for (i = 0; i < x.n; i++) {
		a = &m->sp[m->pool[x.off + i]];
		from = sentence || a->tstart < (uint32_t)e->near + MAX_TERM_TOKENS ?
		    0 : a->tstart - e->near - MAX_TERM_TOKENS;
		for (lo = 0, hi = y.n; lo < hi; ) {	/* first b at or after */
			mid = (lo + hi) / 2;
			b = &m->sp[m->pool[y.off + mid]];
			if (b->field < a->field || (b->field == a->field &&
			    (sentence ? b->sent < a->sent : b->tstart < from)))
				lo = mid + 1;
			else
				hi = mid;
		}
		for (k = lo, n = 0; k < y.n && n < NEAR_SCAN; k++, n++) {
			b = &m->sp[m->pool[y.off + k]];
			if (b->field != a->field || (sentence ? b->sent != a->sent :
			    b->tstart > a->tend + (uint32_t)e->near))
				break;
			if (near_ok(a, b, e)) {
				pool_push_once(m, m->pool[x.off + i]);
				pool_push_once(m, m->pool[y.off + k]);
			}
		}
	}
}

static struct sset
eval(struct matcher *m, const struct rexpr *e, const struct ectx *c)
{
	struct sset	 r = { 0, 0, 0 }, x, y;
	struct ectx	 c2;
	const struct ractor *a;
	size_t		 i;

	r.off = m->npool;
	switch (e->op) {
	case RX_ACTOR:
		a = &m->rs->actors[e->ref];
		m->gen++;
		if (e->facet == FACET_MEMBERS) {
			for (i = 0; i < m->mem_n[e->ref]; i++)
				atom_push(m, m->oid_members[m->mem_off[e->ref] + i],
				    NULL, FACET_ALL, c);
		} else
			atom_push(m, oid_of(m, 'a', e->ref), a, e->facet, c);
		break;
	case RX_TOPIC:
		m->gen++;
		atom_push(m, oid_of(m, 't', e->ref), NULL, FACET_ALL, c);
		break;
	case RX_TERM:
		m->gen++;
		atom_push(m, oid_of(m, 'l', e->ref), NULL, FACET_ALL, c);
		break;
	case RX_FIELD:
		c2 = *c;
		c2.fields &= e->fields;
		return eval(m, e->a, &c2);
	case RX_NOT:
		x = eval(m, e->a, c);
		r.off = m->npool;
		r.truth = !x.truth;
		return r;
	case RX_AND:
	case RX_OR:
		x = eval(m, e->a, c);
		if (e->op == RX_AND && !x.truth)
			return r;
		y = eval(m, e->b, c);
		if (e->op == RX_AND && !y.truth)
			return r;
		r.truth = x.truth || y.truth;
		r.off = m->npool;
		m->gen++;
		for (i = 0; x.truth && i < x.n; i++)
			pool_push_once(m, m->pool[x.off + i]);
		for (i = 0; y.truth && i < y.n; i++)
			pool_push_once(m, m->pool[y.off + i]);
		r.n = m->npool - r.off;
		return r;
	case RX_NEAR:
		x = eval(m, e->a, c);
		if (x.n == 0)
			return r;
		y = eval(m, e->b, c);
		r.off = m->npool;
		if (y.n > 0)
			near_merge(m, e, x, y);
		r.n = m->npool - r.off;
		r.truth = r.n > 0;
		return r;
	}
	r.n = m->npool - r.off;
	r.truth = r.n > 0;
	return r;
}

/* ---------------------------------------------------------- exclusions */

static void
xs_push(struct xsent **v, size_t *n, size_t *cap, uint32_t who, int field,
    unsigned sent)
{
	if (*n == *cap) {
		*cap = *cap == 0 ? 16 : *cap * 2;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[*n].who = who;
	(*v)[*n].by = 0;
	(*v)[*n].field = field;
	(*v)[*n].sent = sent;
	(*n)++;
}

static int
xs_cmp(const void *pa, const void *pb)
{
	const struct xsent	*a = pa, *b = pb;

	if (a->who != b->who)
		return a->who < b->who ? -1 : 1;
	if (a->field != b->field)
		return a->field < b->field ? -1 : 1;
	return a->sent < b->sent ? -1 : a->sent > b->sent;
}

#define WHOLE	0xff		/* xsent.field: the whole article */

/* Which sentences (or the article) each exclusion's `when` is true in. */
static void
excludes_eval(struct matcher *m)
{
	const struct rexclude	*x;
	const struct eref	*r;
	struct ectx		 c = { FIELD_ANY, -1, 0, NULL, 0 };
	struct xsent		*cand = NULL;
	size_t			 ncand = 0, candcap = 0, i, k, s;
	uint32_t		 oid;

	m->nxs = 0;
	for (i = 0; i < m->rs->nexcludes; i++) {
		x = &m->rs->excludes[i];
		r = &m->xref[i];
		if (x->when == NULL || !eref_live(m, r))
			continue;
		if (x->scope == SCOPE_ARTICLE) {
			c.sfield = -1;
			m->npool = 0;
			if (eval(m, x->when, &c).truth)
				xs_push(&m->xs, &m->nxs, &m->xscap, i, WHOLE, 0);
			continue;
		}
		ncand = 0;
		for (k = 0; k < r->n; k++) {
			oid = r->oids[k];
			for (s = m->ofirst[oid]; s < m->ofirst[oid] + m->on[oid]; s++)
				if (m->sp[s].dead == LIVE)
					xs_push(&cand, &ncand, &candcap, 0,
					    m->sp[s].field, m->sp[s].sent);
		}
		if (ncand > 1)
			qsort(cand, ncand, sizeof(*cand), xs_cmp);
		for (k = 0; k < ncand; k++) {
			if (k > 0 && xs_cmp(&cand[k], &cand[k - 1]) == 0)
				continue;
			c.sfield = cand[k].field;
			c.ssent = cand[k].sent;
			m->npool = 0;
			if (eval(m, x->when, &c).truth)
				xs_push(&m->xs, &m->nxs, &m->xscap, i,
				    cand[k].field, cand[k].sent);
		}
	}
	free(cand);
}

/* Drop what the exclusions found: owner spans now, watches for later. */
static void
excludes_apply(struct matcher *m)
{
	const struct rexclude	*x;
	const struct xsent	*xs;
	struct sp		*s;
	size_t			 i, d, k;
	uint32_t		 oid;

	m->nwxs = 0;
	for (i = 0; i < m->nxs; i++) {
		xs = &m->xs[i];
		x = &m->rs->excludes[xs->who];
		for (d = 0; d < x->ndrops; d++) {
			if (x->drops[d].kind == 'w') {
				xs_push(&m->wxs, &m->nwxs, &m->wxscap,
				    x->drops[d].idx, xs->field, xs->sent);
				m->wxs[m->nwxs - 1].by = xs->who;
				continue;
			}
			oid = oid_of(m, x->drops[d].kind, x->drops[d].idx);
			k = xs->field == WHOLE ? m->ofirst[oid] :
			    sentence_first(m, oid, xs->field, xs->sent);
			for (; k < m->ofirst[oid] + m->on[oid]; k++) {
				s = &m->sp[k];
				if (xs->field != WHOLE && (s->field != xs->field ||
				    s->sent != xs->sent))
					break;
				if (s->dead != LIVE)
					continue;
				s->dead = DEAD_EXCL;
				s->why = xs->who;
			}
		}
	}
	if (m->nwxs > 1)
		qsort(m->wxs, m->nwxs, sizeof(*m->wxs), xs_cmp);
}

/* -------------------------------------------------------------- results */

static void
mspan_set(const struct matcher *m, struct mspan *o, const struct sp *s)
{
	o->field = 1u << s->field;
	o->start = s->start;
	o->end = s->end;
	o->sent = s->sent;
	o->term = m->ent[s->ent].term;
}

static struct mhit *
hit_add(struct mresult *r, size_t *cap, char kind, int idx, const char *name)
{
	struct mhit	*h;

	if (r->nhits == *cap) {
		*cap = *cap == 0 ? 8 : *cap * 2;
		r->hits = xreallocarray(r->hits, *cap, sizeof(*r->hits));
	}
	h = &r->hits[r->nhits++];
	memset(h, 0, sizeof(*h));
	h->kind = kind;
	h->idx = idx;
	h->name = name;
	return h;
}

static void
sup_add(struct mresult *r, size_t *cap, char kind, int idx, char *why)
{
	struct msuppressed	*u;

	if (r->nsup == *cap) {
		*cap = *cap == 0 ? 8 : *cap * 2;
		r->sup = xreallocarray(r->sup, *cap, sizeof(*r->sup));
	}
	u = &r->sup[r->nsup++];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	u->idx = idx;
	u->why = why;
}

static void
owner_hits(const struct matcher *m, struct mresult *r, size_t *cap,
    size_t o0, size_t o1, char kind)
{
	const struct ruleset	*rs = m->rs;
	struct mhit		*h;
	size_t			 o, i, n;

	for (o = o0; o < o1; o++) {
		for (n = 0, i = m->ofirst[o]; i < m->ofirst[o] + m->on[o]; i++)
			n += m->sp[i].dead == LIVE;
		if (n == 0)
			continue;
		h = hit_add(r, cap, kind, o - o0, kind == 'a' ?
		    rs->actors[o - o0].id : rs->topics[o - o0].id);
		h->spans = xcalloc(n, sizeof(*h->spans));
		for (i = m->ofirst[o]; i < m->ofirst[o] + m->on[o]; i++)
			if (m->sp[i].dead == LIVE)
				mspan_set(m, &h->spans[h->nspans++], &m->sp[i]);
	}
}

static char *
why_text(const struct matcher *m, const struct sp *s)
{
	const struct rterm	*t = m->ent[s->ent].term, *n;
	const struct rexclude	*x;
	const char		*tok;

	switch (s->dead) {
	case DEAD_NOT:
		n = m->ent[m->sp[s->why].ent].term;
		return xasprintf("inside '%s' (not, %s:%u)", n->text,
		    n->loc.file, n->loc.line);
	case DEAD_WEAK:
		return xstrdup("weak, and no strong term of its rule matched");
	case DEAD_EXCL:
		x = &m->rs->excludes[s->why];
		return xasprintf("excluded by %s (scope %s, %s:%u)", x->id,
		    x->scope == SCOPE_ARTICLE ? "article" : "sentence",
		    x->loc.file, x->loc.line);
	case DEAD_CASE:
		return xasprintf("case: written '%s', the term wants '%s'",
		    token_orig(&m->tok[s->field], s->tstart), t->text);
	case DEAD_BOUND:
		tok = token_orig(&m->tok[s->field], s->tstart);
		return xasprintf("word boundary: '%s' is inside the word '%s'",
		    t->text, tok);
	default:
		return xstrdup("dropped");
	}
}

static void
sup_span(const struct matcher *m, struct mresult *r, size_t *cap,
    const struct sp *s)
{
	uint32_t	oid = s->oid;

	if (oid >= m->na + m->nt)
		return;
	sup_add(r, cap, oid < m->na ? 'a' : 't',
	    oid < m->na ? oid : oid - m->na, why_text(m, s));
	mspan_set(m, &r->sup[r->nsup - 1].span, s);
}

/*
 * Explain only: single-word terms found inside a longer word, at its start
 * or end ("Xi" in "Xinjiang", "SCO" in "Tesco"). Two-letter terms count
 * only when they carry `case` and the case agrees there; other `case`
 * terms only inside a capitalised word (a name, not "PLA" in "plans").
 */
static void
boundary_scan(struct matcher *m)
{
	const struct tokens	*tk;
	const struct mentry	*e;
	const char		*key, *tkey, *p, *o;
	struct tokens		 tt;
	struct sp		 s;
	size_t			 ei, f, j, k, kl, tl, n = 0;
	int			 covered;

	tokens_init(&tt);
	for (ei = 0; ei < m->nent && n < MAX_BOUND_SUP; ei++) {
		e = &m->ent[ei];
		if (e->isnot || e->prefix || e->plural || e->ntok != 1 ||
		    e->oid >= m->na + m->nt ||
		    (e->term->flags & TERM_STEM))
			continue;
		tokens_reset(&tt);
		text_tokenize(&tt, e->term->text, strlen(e->term->text), 0);
		if (tt.n != 1 || (tt.v[0].flags & TOK_CJK))
			continue;
		key = token_key(&tt, 0);
		kl = strlen(key);
		if (utf8_chars(key) < 2 || (utf8_chars(key) < 3 &&
		    !(e->term->flags & TERM_CASE)))
			continue;
		for (f = 0; f < 3 && n < MAX_BOUND_SUP; f++) {
			tk = &m->tok[f];
			for (j = 0; j < tk->n && n < MAX_BOUND_SUP; j++) {
				tkey = token_key(tk, j);
				tl = strlen(tkey);
				if (tl <= kl || (tk->v[j].flags & TOK_CJK))
					continue;
				if (strncmp(tkey, key, kl) == 0)
					p = tkey;
				else if (strcmp(tkey + tl - kl, key) == 0)
					p = tkey + tl - kl;
				else
					continue;
				o = token_orig(tk, j);
				if (utf8_chars(key) < 3 && (strlen(o) != tl ||
				    strncmp(o + (p - tkey), e->orig[0], kl) != 0))
					continue;
				if (e->orig != NULL && !tk->allcaps &&
				    *o >= 'a' && *o <= 'z')
					continue;	/* "PLA" in "plans" */
				covered = 0;
				for (k = m->ofirst[e->oid]; k < m->ofirst[e->oid] +
				    m->on[e->oid]; k++)
					if (m->sp[k].dead == LIVE &&
					    m->sp[k].field == f &&
					    m->sp[k].tstart <= j && j < m->sp[k].tend)
						covered = 1;
				if (covered || dsp_count(m, ei) >= MAX_PER_TERM)
					continue;
				memset(&s, 0, sizeof(s));
				s.tstart = j;
				s.tend = j + 1;
				s.start = tk->v[j].start + m->base[f];
				s.end = tk->v[j].end + m->base[f];
				s.sent = tk->v[j].sent;
				s.field = f;
				s.ent = ei;
				s.oid = e->oid;
				s.dead = DEAD_BOUND;
				sp_push(&m->dsp, &m->ndsp, &m->dspcap, &s);
				n++;
			}
		}
	}
	tokens_release(&tt);
}

/* Evaluate watch w; adds a hit when it fires. */
static void
watch_eval(struct matcher *m, size_t w, struct mresult *r, size_t *hcap,
    size_t *scap)
{
	const struct rwatch	*wt = &m->rs->watches[w];
	struct ectx		 c = { FIELD_ANY, -1, 0, NULL, 0 };
	struct sset		 s, q;
	struct mhit		*h;
	uint32_t		*keep = NULL;
	size_t			 i, nkeep = 0;
	int			 fired = -1;

	for (i = 0; i < m->nwxs; i++) {
		if (m->wxs[i].who != w)
			continue;
		if (m->wxs[i].field == WHOLE) {
			if (m->explain)
				sup_add(r, scap, 'w', w, xasprintf("excluded by "
				    "%s (scope article, %s:%u)",
				    m->rs->excludes[m->wxs[i].by].id,
				    m->rs->excludes[m->wxs[i].by].loc.file,
				    m->rs->excludes[m->wxs[i].by].loc.line));
			return;
		}
		if (c.xs == NULL)
			c.xs = &m->wxs[i];
		c.nxs++;
	}
	m->npool = 0;
	for (i = 0; i < wt->nmatch; i++) {
		s = eval(m, wt->match[i].expr, &c);
		if (s.truth) {
			fired = i;
			break;
		}
	}
	if (fired < 0)
		return;
	keep = xcalloc(s.n + 1, sizeof(*keep));
	if (s.n > 0)
		memcpy(keep, m->pool + s.off, s.n * sizeof(*keep));
	nkeep = s.n;
	for (i = 0; i < wt->nrequire; i++) {
		q = eval(m, wt->require[i], &c);
		if (!q.truth) {
			if (m->explain)
				sup_add(r, scap, 'w', w, xasprintf("branch %d "
				    "true but require (%s:%u) false", fired + 1,
				    wt->require[i]->loc.file,
				    wt->require[i]->loc.line));
			goto out;
		}
		keep = xreallocarray(keep, nkeep + q.n + 1, sizeof(*keep));
		if (q.n > 0)
			memcpy(keep + nkeep, m->pool + q.off, q.n * sizeof(*keep));
		nkeep += q.n;
	}
	for (i = 0; i < wt->nunless; i++) {
		if (eval(m, wt->unless[i], &c).truth) {
			if (m->explain)
				sup_add(r, scap, 'w', w, xasprintf("branch %d "
				    "true but vetoed by unless (%s:%u)", fired + 1,
				    wt->unless[i]->loc.file,
				    wt->unless[i]->loc.line));
			goto out;
		}
	}
	h = hit_add(r, hcap, 'w', w, wt->id);
	h->branch = wt->match[fired].name;
	h->branchno = fired + 1;
	h->spans = xcalloc(nkeep + 1, sizeof(*h->spans));
	m->gen++;
	for (i = 0; i < nkeep; i++) {
		if (m->sp[keep[i]].mark == m->gen)
			continue;
		m->sp[keep[i]].mark = m->gen;
		mspan_set(m, &h->spans[h->nspans++], &m->sp[keep[i]]);
	}
out:
	free(keep);
}

static int
mspan_cmp(const void *pa, const void *pb)
{
	const struct mspan	*a = pa, *b = pb;

	if (a->field != b->field)
		return a->field < b->field ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->end < b->end ? -1 : a->end > b->end;
}

static void
article_release(struct matcher *m)
{
	size_t	f;

	for (f = 0; f < 3; f++) {
		if (m->stems[f] == NULL)
			continue;
		free(m->stems[f]);
		m->stems[f] = NULL;
	}
	m->nsp = m->ndsp = m->ncase = 0;
	m->npool = m->nxs = m->nwxs = 0;
}

struct mresult *
match_article(struct matcher *m, const struct article *art, int explain)
{
	const struct ruleset	*rs = m->rs;
	struct mresult		*r;
	size_t			 f, i, hcap = 0, scap = 0;

	r = xcalloc(1, sizeof(*r));
	r->fields[0] = xstrdup(art->title != NULL ? art->title : "");
	r->fields[1] = xstrdup(art->summary != NULL ? art->summary : "");
	r->fields[2] = xstrdup(art->content != NULL ? art->content : "");
	m->explain = explain;
	if (m->nlangs > 0)
		stem_cache_reset(m, 0);
	fields_tokenize(m, art);
	for (f = 0; f < 3; f++)
		for (i = 0; i < m->tok[f].n; i++)
			walk(m, f, i, i, 0);
	if (m->nsp >= MAX_SPANS)
		log_debug("match: span limit reached, rest of article ignored");
	owners_build(m);
	excludes_eval(m);
	excludes_apply(m);

	owner_hits(m, r, &hcap, 0, m->na, 'a');
	owner_hits(m, r, &hcap, m->na, m->na + m->nt, 't');
	for (i = 0; i < rs->nwatches; i++)
		if (eref_live(m, &m->wref[i]))
			watch_eval(m, i, r, &hcap, &scap);
	for (i = 0; i < r->nhits; i++)
		if (r->hits[i].nspans > 1)
			qsort(r->hits[i].spans, r->hits[i].nspans,
			    sizeof(*r->hits[i].spans), mspan_cmp);

	if (explain) {
		for (i = 0; i < m->nsp; i++)
			if (m->sp[i].dead != LIVE && m->sp[i].dead != DEAD_DUP)
				sup_span(m, r, &scap, &m->sp[i]);
		boundary_scan(m);
		for (i = 0; i < m->ndsp; i++)
			sup_span(m, r, &scap, &m->dsp[i]);
	}
	article_release(m);
	return r;
}

void
mresult_free(struct mresult *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nhits; i++)
		free(r->hits[i].spans);
	free(r->hits);
	for (i = 0; i < r->nsup; i++)
		free(r->sup[i].why);
	free(r->sup);
	for (i = 0; i < 3; i++)
		free(r->fields[i]);
	free(r);
}
