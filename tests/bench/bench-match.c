/*
 * Matcher benchmark driver: loads a rule set, compiles it, reads a corpus of
 * plain-text articles (first line the title, the rest the body) and times
 * tokenisation alone and full matching over every article, one thread.
 * It also writes what `grep -F -i -w -f` needs to do the same search: the
 * rule strings and the articles, both normalised by text_fold(), one per
 * line. Figures are printed as key=value lines for tests/bench/match.sh.
 *
 *	bench-match [-r runs] RULES CORPUSDIR TERMS_OUT TEXT_OUT
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "match.h"
#include "rules.h"
#include "text.h"
#include "util.h"

struct art {
	char	*data;		/* title '\0' body */
	char	*body;
	size_t	 len;
};

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct art *
corpus_read(const char *dir, size_t *n, size_t *bytes)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL, *path, *cause, *nl;
	struct art	*v;
	size_t		 i, nn = 0, cap = 0, len;

	if ((d = opendir(dir)) == NULL) {
		perror(dir);
		exit(1);
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".txt") != 0)
			continue;
		if (nn == cap) {
			cap = cap == 0 ? 1024 : cap * 2;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[nn++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, nn, sizeof(*names), name_cmp);
	v = xcalloc(nn == 0 ? 1 : nn, sizeof(*v));
	*bytes = 0;
	for (i = 0; i < nn; i++) {
		path = xasprintf("%s/%s", dir, names[i]);
		v[i].data = util_read_file(path, 1 << 24, &v[i].len, &cause);
		if (v[i].data == NULL) {
			fprintf(stderr, "%s\n", cause);
			exit(1);
		}
		if ((nl = memchr(v[i].data, '\n', v[i].len)) != NULL) {
			*nl = '\0';
			v[i].body = nl + 1;
		} else
			v[i].body = v[i].data + v[i].len;
		*bytes += v[i].len;
		free(path);
		free(names[i]);
	}
	free(names);
	*n = nn;
	return v;
}

static void
term_put(FILE *f, const struct rterm *t, size_t *n)
{
	char	*s = text_fold(t->text, 0);

	if (*s != '\0') {
		fprintf(f, "%s\n", s);
		(*n)++;
	}
	free(s);
}

static size_t
terms_write(const struct ruleset *rs, const char *path)
{
	FILE	*f;
	size_t	 i, j, n = 0;

	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	for (i = 0; i < rs->nactors; i++)
		for (j = 0; j < rs->actors[i].nterms; j++)
			term_put(f, &rs->actors[i].terms[j], &n);
	for (i = 0; i < rs->ntopics; i++)
		for (j = 0; j < rs->topics[i].nterms; j++)
			term_put(f, &rs->topics[i].terms[j], &n);
	for (i = 0; i < rs->nliterals; i++)
		term_put(f, &rs->literals[i], &n);
	fclose(f);
	return n;
}

static void
text_write(const struct art *v, size_t n, const char *path)
{
	FILE	*f;
	char	*a, *b;
	size_t	 i;

	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	for (i = 0; i < n; i++) {
		a = text_fold(v[i].data, 0);
		b = text_fold(v[i].body, 0);
		fprintf(f, "%s %s\n", a, b);
		free(a);
		free(b);
	}
	fclose(f);
}

int
main(int argc, char **argv)
{
	struct diag	 d;
	struct ruleset	*rs;
	struct matcher	*m;
	struct mresult	*res;
	struct article	 a;
	struct tokens	 tk;
	struct art	*v;
	char		*cause;
	const char	*paths[1];
	double		 t0, t1, t2, best = 0, tbest = 0, dt;
	size_t		 i, j, n, bytes, ntok = 0, hits = 0, matched = 0, nterms;
	size_t		 watchhits = 0;
	int		 ch, r, runs = 3;

	while ((ch = getopt(argc, argv, "r:")) != -1) {
		switch (ch) {
		case 'r':
			runs = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 4 || runs < 1)
		goto usage;

	paths[0] = argv[0];
	diag_init(&d, stderr);
	t0 = now();
	rs = rules_load(paths, 1, &d);
	t1 = now();
	if (rs == NULL) {
		fprintf(stderr, "bench-match: %u errors in the rules\n", d.errors);
		return 1;
	}
	if ((m = matcher_new(rs, &cause)) == NULL) {
		fprintf(stderr, "bench-match: %s\n", cause);
		return 1;
	}
	t2 = now();
	printf("actors=%zu\ntopics=%zu\nwatches=%zu\nliterals=%zu\n",
	    rs->nactors, rs->ntopics, rs->nwatches, rs->nliterals);
	printf("warnings=%u\n", d.warnings);
	printf("load_ms=%.1f\ncompile_ms=%.1f\n", (t1 - t0) * 1e3,
	    (t2 - t1) * 1e3);

	v = corpus_read(argv[1], &n, &bytes);
	printf("articles=%zu\nbytes=%zu\n", n, bytes);

	tokens_init(&tk);
	for (r = 0; r < runs; r++) {
		ntok = 0;
		t0 = now();
		for (i = 0; i < n; i++) {
			text_tokenize(&tk, v[i].data, strlen(v[i].data), 0);
			ntok += tk.n;
			text_tokenize(&tk, v[i].body,
			    v[i].len - (size_t)(v[i].body - v[i].data), 0);
			ntok += tk.n;
		}
		dt = now() - t0;
		if (r == 0 || dt < tbest)
			tbest = dt;
	}
	tokens_release(&tk);
	printf("tokens=%zu\ntokenize_s=%.4f\n", ntok, tbest);

	for (r = 0; r < runs; r++) {
		hits = matched = watchhits = 0;
		t0 = now();
		for (i = 0; i < n; i++) {
			a.title = v[i].data;
			a.summary = NULL;
			a.content = v[i].body;
			a.date = DATE_NONE;
			res = match_article(m, &a, 0);
			if (res->nhits > 0)
				matched++;
			hits += res->nhits;
			for (j = 0; j < res->nhits; j++)
				if (res->hits[j].kind == 'w')
					watchhits++;
			mresult_free(res);
		}
		dt = now() - t0;
		if (r == 0 || dt < best)
			best = dt;
	}
	printf("match_s=%.4f\nmatched_articles=%zu\nhits=%zu\nwatch_hits=%zu\n",
	    best, matched, hits, watchhits);

	nterms = terms_write(rs, argv[2]);
	printf("terms=%zu\n", nterms);
	text_write(v, n, argv[3]);

	for (i = 0; i < n; i++)
		free(v[i].data);
	free(v);
	matcher_free(m);
	ruleset_free(rs);
	return 0;

 usage:
	fprintf(stderr,
	    "usage: bench-match [-r runs] RULES CORPUSDIR TERMS_OUT TEXT_OUT\n");
	return 2;
}
