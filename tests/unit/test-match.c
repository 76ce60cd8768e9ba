/*
 * Unit tests of the matcher: every rule semantic of docs/rules.md on small
 * articles, through rules_load_string and match_article.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "match.h"
#include "rules.h"
#include "ruletest.h"
#include "tap.h"
#include "util.h"

static const char rules_src[] =
"actor china \"China\"\n"
"  name     \"China\"\n"
"  name     \"中国\"\n"
"  demonym  \"Chinese\"\n"
"  capital  \"Beijing\"\n"
"  person   \"Xi Jinping\" role=head-of-state\n"
"    alias  \"Xi\" case weak\n"
"    alias  \"习近平\"\n"
"  person   \"Wang Yi\" role=foreign-minister\n"
"  not      \"fine china\"\n"
"  not      \"bone china\"\n"
"\n"
"actor belarus \"Belarus\"\n"
"  name     \"Belarus\"\n"
"  name     \"Беларусь\"\n"
"  demonym  \"Belarusian\"\n"
"  capital  \"Minsk\"\n"
"  person   \"Alexander Lukashenko\" role=head-of-state\n"
"    alias  \"Lukashenko\"\n"
"    alias  \"Лукашенк*\"\n"
"  person   \"Sviatlana Tsikhanouskaya\" role=opposition\n"
"\n"
"actor russia \"Russia\"\n"
"  name     \"Russia\"\n"
"  demonym  \"Russian\"\n"
"  capital  \"Moscow\"\n"
"  body     \"Kremlin\"\n"
"\n"
"actor united-states \"United States\"\n"
"  name     \"United States\"\n"
"  name     \"US\" case\n"
"\n"
"actor sco \"Shanghai Cooperation Organisation\"\n"
"  name     \"Shanghai Cooperation Organisation\"\n"
"  name     \"SCO\" case\n"
"  member   china\n"
"  member   russia\n"
"\n"
"topic export-controls \"Export controls\"\n"
"  term     \"export controls\"\n"
"\n"
"topic sanctions \"Sanctions\"\n"
"  term     \"sanction\" stem\n"
"  term     \"embargo*\"\n"
"  term     \"санкции\" stem=ru\n"
"  include  export-controls\n"
"  not      \"officially sanctioned\"\n"
"\n"
"topic sport \"Sport\"\n"
"  term     \"FIFA\"\n"
"  term     \"doping\"\n"
"\n"
"watch china-belarus \"China and Belarus\"\n"
"  match    @china near/s @belarus as same-sentence\n"
"  match    title:(@china and @belarus) as headline\n"
"\n"
"watch near3 \"near\"\n"
"  match    @china near/3 @russia\n"
"\n"
"watch onear3 \"onear\"\n"
"  match    @china onear/3 @russia\n"
"\n"
"watch in-title \"title only\"\n"
"  match    title:@china\n"
"\n"
"watch in-body \"body only\"\n"
"  match    body:@russia\n"
"\n"
"watch leaders \"leaders\"\n"
"  match    @china.leader and @belarus.leader\n"
"\n"
"watch bel-gov \"government\"\n"
"  match    @belarus.gov\n"
"\n"
"watch bel-people \"people\"\n"
"  match    @belarus.people\n"
"\n"
"watch china-strict \"strict\"\n"
"  match    @china.strict\n"
"\n"
"watch sco-sanctions \"members\"\n"
"  match    @sco.members near/s #sanctions\n"
"\n"
"watch bel-sanctions \"sanctions on Belarus\"\n"
"  match    #sanctions and @belarus\n"
"  require  not #sport\n"
"  unless   title:\"opinion\"\n"
"\n"
"watch either \"or\"\n"
"  match    title:(@china and (@belarus or \"war\"))\n"
"\n"
"watch summit \"summit\"\n"
"  match    \"summit\" near/2 \"Minsk\"\n"
"\n"
"exclude sport-sanctions \"Sanctions in sport\"\n"
"  when     \"FIFA\" or \"doping\"\n"
"  scope    sentence\n"
"  drop     #sanctions\n"
"\n"
"exclude minsk-accords \"The Minsk accords\"\n"
"  when     \"Minsk\" near/3 (\"agreement*\" or \"protocol\")\n"
"  scope    sentence\n"
"  drop     @belarus\n"
"\n"
"exclude quiz \"Quiz pages\"\n"
"  when     title:\"quiz\"\n"
"  scope    article\n"
"  drop     @china china-belarus\n"
"\n"
"exclude trivia \"Trivia sentences\"\n"
"  when     \"trivia\"\n"
"  scope    sentence\n"
"  drop     china-belarus\n";

static struct ruleset	*rs;
static struct matcher	*m;

/* The names matched, space separated. Caller frees. */
static char *
names3(const char *title, const char *summary, const char *content)
{
	struct article	 a = { title, summary, content, DATE_NONE };
	struct mresult	*r;
	struct buf	 b;
	size_t		 i;

	r = match_article(m, &a, 0);
	buf_init(&b, 0);
	for (i = 0; i < r->nhits; i++) {
		if (i > 0)
			buf_addc(&b, ' ');
		buf_adds(&b, r->hits[i].name);
	}
	mresult_free(r);
	return buf_steal(&b);
}

static char *
names(const char *title, const char *content)
{
	return names3(title, NULL, content);
}

/* 1 when the space-separated list has the name. */
static int
has(const char *list, const char *name)
{
	size_t		 n = strlen(name);
	const char	*p;

	for (p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

#define HAS(title, content, name, want, msg) do {			\
	char *l_ = names((title), (content));				\
	if (!ok(has(l_, (name)) == (want), "%s", (msg)))		\
		printf("#   matched: %s\n", l_);				\
	free(l_);							\
} while (0)

static const struct mhit *
hit_of(const struct mresult *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->nhits; i++)
		if (strcmp(r->hits[i].name, name) == 0)
			return &r->hits[i];
	return NULL;
}

/* The surface texts of one hit's spans, joined by '|'. Caller frees. */
static char *
spans_of(const char *title, const char *summary, const char *content,
    const char *name)
{
	struct article		 a = { title, summary, content, DATE_NONE };
	struct mresult		*r;
	const struct mhit	*h;
	struct buf		 b;
	char			*t;
	size_t			 i;

	r = match_article(m, &a, 0);
	buf_init(&b, 0);
	buf_adds(&b, "");
	if ((h = hit_of(r, name)) != NULL)
		for (i = 0; i < h->nspans; i++) {
			t = mresult_span_text(r, &h->spans[i]);
			buf_addf(&b, "%s%s", i > 0 ? "|" : "", t);
			free(t);
		}
	mresult_free(r);
	return buf_steal(&b);
}

static void
t_phrase_case(void)
{
	HAS("Shanghai Cooperation Organisation meets", NULL, "sco", 1, "phrase");
	HAS("Shanghai hosts a meeting", NULL, "sco", 0, "half a phrase is nothing");
	HAS("SCO summit opens", NULL, "sco", 1, "SCO with case");
	HAS("Tesco profits rise", NULL, "sco", 0, "SCO never inside Tesco");
	HAS("the sco of things", NULL, "sco", 0, "sco in lower case is not SCO");
	HAS("Talks", "The US said so.", "united-states", 1, "US");
	HAS("Talks", "The U.S. said so.", "united-states", 1, "U.S. is US");
	HAS("Let us talk", "Join us.", "united-states", 0, "us is not US");
	HAS("SCO SUMMIT OPENS IN ASTANA", NULL, "sco", 1,
	    "case terms match in an all-caps headline");
	HAS("LET US TALK ABOUT THE UNITED STATES", NULL, "united-states", 1,
	    "all-caps headline with a name");
}

static void
t_weak(void)
{
	HAS("Xi meets Putin", NULL, "china", 0, "weak alias alone does not count");
	HAS("Xi meets Putin in Beijing", NULL, "china", 1,
	    "weak alias with a strong term");
	HAS("Super Bowl XI memories", "Xi Jinping was not there.", "china", 1,
	    "Xi Jinping matches china");
	{
		char *s = spans_of("Super Bowl XI memories", NULL,
		    "Xi Jinping was not there.", "china");
		is_str(s, "Xi Jinping", "XI (case) is not a span of Xi");
		free(s);
	}
	{
		char *s = spans_of("Xi hosts Lukashenko in Beijing", NULL, NULL,
		    "china");
		is_str(s, "Xi|Beijing", "weak span kept beside a strong one");
		free(s);
	}
}

static void
t_boundaries(void)
{
	HAS("Xinjiang cotton ban widens", "Officials in Xinjiang spoke.", "china",
	    0, "Xi never inside Xinjiang");
	HAS("Flights to Xi'an resume", "Beijing approved.", "china", 1,
	    "Beijing counts");
	{
		char *s = spans_of("Flights to Xi'an resume", NULL,
		    "Beijing approved.", "china");
		is_str(s, "Beijing", "Xi does not match Xi'an");
		free(s);
	}
	HAS("China's envoy arrives", NULL, "china", 1, "possessive 's");
	HAS("China\xe2\x80\x99s envoy arrives", NULL, "china", 1,
	    "possessive with a curly apostrophe");
	HAS("Belarus' leader speaks", NULL, "belarus", 1, "possessive s'");
	HAS("Chinatown festival", NULL, "china", 0, "no match inside Chinatown");
}

static void
t_stem_prefix(void)
{
	HAS("EU sanctioned two banks", NULL, "sanctions", 1, "stem: sanctioned");
	HAS("Sanctioning works, says study", NULL, "sanctions", 1,
	    "stem: sanctioning");
	HAS("New embargoes announced", NULL, "sanctions", 1,
	    "prefix: embargoes");
	HAS("An officially sanctioned race", NULL, "sanctions", 0,
	    "not phrase of a topic");
	HAS("Новые санкций против Минска", NULL, "sanctions", 1,
	    "stem=ru: санкций");
	HAS("Лукашенко встретился с Си", NULL, "belarus", 1,
	    "prefix on Cyrillic: Лукашенко");
	HAS("Встреча с Лукашенку", NULL, "belarus", 1,
	    "prefix on Cyrillic: an inflected form");
	HAS("Tighter export controls", NULL, "sanctions", 1,
	    "an included topic's term counts");
	HAS("Tighter export controls", NULL, "export-controls", 1,
	    "and for the included topic itself");
}

static void
t_not(void)
{
	char	*s;

	HAS("A set of fine china", "Fine china and bone china on sale.",
	    "china", 0, "fine china is not China");
	HAS("Fine china prices", "Buyers of fine china worry. China said no.",
	    "china", 1, "China elsewhere still counts");
	s = spans_of("Fine china prices", NULL,
	    "Buyers of fine china worry. China said no.", "china");
	is_str(s, "China", "only the real China is evidence");
	free(s);
}

static void
t_demonym_cjk(void)
{
	HAS("Belarusians protest", NULL, "belarus", 1, "demonym plural");
	HAS("Belarusian's view", NULL, "belarus", 1, "demonym possessive");
	HAS("习近平会见卢卡申科", NULL, "china", 1, "CJK name in a run of CJK");
	HAS("中国人民", NULL, "china", 1, "中国 inside a longer CJK run");
	HAS("中", NULL, "china", 0, "half a CJK name");
}

static void
t_near(void)
{
	HAS("China and Russia sign a deal", NULL, "near3", 1, "near/3 a b");
	HAS("Russia, backed by China, signs", NULL, "near3", 1, "near/3 b a");
	HAS("China and Russia sign a deal", NULL, "onear3", 1, "onear/3 a b");
	HAS("Russia, backed by China, signs", NULL, "onear3", 0,
	    "onear/3 b a is false");
	HAS("China said on Tuesday that it would never ever help Russia", NULL,
	    "near3", 0, "too far apart for near/3");
	HAS("China on trade", "Russia on energy.", "near3", 0,
	    "near never across fields");
	HAS("Talks", "China and Belarus signed a pact.", "china-belarus", 1,
	    "near/s in one sentence");
	HAS("Talks", "China signed a pact. Belarus agreed.", "china-belarus", 0,
	    "near/s not across sentences");
	HAS("Minsk summit", NULL, "summit", 1, "literal near literal");
	{
		struct buf	 b;
		int		 i;

		buf_init(&b, 0);
		for (i = 0; i < 5000; i++)
			buf_adds(&b, "China and Russia said. ");
		buf_adds(&b, "Belarus agreed.");
		HAS("Long", b.data, "china-belarus", 0,
		    "10,000 spans, none in Belarus' sentence");
		buf_adds(&b, " Then China and Belarus.");
		HAS("Long", b.data, "china-belarus", 1,
		    "10,000 spans, the last sentence has both");
		buf_release(&b);
	}
	HAS("China hosts talks", NULL, "either", 0, "or: both sides false");
	HAS("China at war", NULL, "either", 1, "or: right side true");
	HAS("China and Belarus", NULL, "either", 1, "or: left side true");
}

static void
t_fields_branches(void)
{
	struct article		 a = { "China, Belarus: a headline", NULL,
	    "Nothing here.", DATE_NONE };
	struct article		 b = { "A headline", NULL,
	    "Beijing and Minsk agree.", DATE_NONE };
	struct mresult		*r;
	const struct mhit	*h;

	HAS("China today", NULL, "in-title", 1, "title: scope, in the title");
	HAS("Today", "China spoke.", "in-title", 0,
	    "title: scope, not in the body");
	HAS("Russia today", NULL, "in-body", 0, "body: scope, not in the title");
	HAS("Today", "Russia spoke.", "in-body", 1, "body: scope, in the body");
	r = match_article(m, &a, 0);
	h = hit_of(r, "china-belarus");
	ok(h != NULL && h->branchno == 1 && h->branch != NULL &&
	    strcmp(h->branch, "same-sentence") == 0,
	    "the first true branch is reported");
	mresult_free(r);
	r = match_article(m, &b, 0);
	h = hit_of(r, "china-belarus");
	ok(h != NULL && h->branchno == 1, "branch 1 on body text");
	ok(h != NULL && h->nspans == 2, "near returns the spans that took part");
	mresult_free(r);
}

static void
t_require_unless(void)
{
	HAS("Belarus faces new sanctions", NULL, "bel-sanctions", 1,
	    "match and require");
	HAS("Belarus faces new sanctions", "A doping case was opened.",
	    "bel-sanctions", 0, "require not #sport");
	HAS("Opinion: Belarus sanctions fail", NULL, "bel-sanctions", 0,
	    "unless title:\"opinion\"");
}

/* Explain: why watch name did not fire (a static buffer, "" if no reason). */
static const char *
watch_why(const char *title, const char *content, const char *name)
{
	static char	 why[256];
	struct article	 a = { title, NULL, content, DATE_NONE };
	struct mresult	*r;
	size_t		 i;

	why[0] = '\0';
	r = match_article(m, &a, 1);
	for (i = 0; i < r->nsup; i++)
		if (r->sup[i].kind == 'w' &&
		    strcmp(rs->watches[r->sup[i].idx].id, name) == 0)
			snprintf(why, sizeof(why), "%s", r->sup[i].why);
	mresult_free(r);
	return why;
}

static void
t_exclusions(void)
{
	char	*s;

	HAS("FIFA sanctions the club", NULL, "sanctions", 0,
	    "sentence exclusion drops the topic");
	HAS("Club news", "FIFA imposed sanctions on the club. The EU adopted "
	    "sanctions on Belarus.", "sanctions", 1,
	    "sentence exclusion keeps other sentences");
	s = spans_of("Club news", NULL, "FIFA imposed sanctions on the club. "
	    "The EU adopted sanctions on Belarus.", "sanctions");
	is_str(s, "sanctions", "only the second sentence's span is left");
	free(s);
	{
		struct buf	 b;
		int		 i;

		buf_init(&b, 0);
		for (i = 0; i < 3000; i++)
			buf_adds(&b, "FIFA sanctions a club. ");
		HAS("Club news", b.data, "sanctions", 0,
		    "3,000 excluded sentences");
		buf_adds(&b, "The EU adopted sanctions.");
		s = spans_of("Club news", NULL, b.data, "sanctions");
		is_str(s, "sanctions", "the one sentence left after 3,000 "
		    "excluded ones");
		free(s);
		buf_release(&b);
	}
	HAS("Talks", "The Minsk agreements were signed in 2015.", "belarus", 0,
	    "Minsk agreements are not Belarus");
	HAS("Talks", "The Minsk agreements failed. Minsk blamed Kyiv.",
	    "belarus", 1, "Minsk in another sentence counts");
	HAS("Quiz: China and Belarus", "China and Belarus, a quiz.", "china", 0,
	    "article exclusion drops an actor");
	HAS("Quiz: China and Belarus", "China and Belarus, a quiz.",
	    "china-belarus", 0, "article exclusion drops a watch");
	HAS("Quiz: China and Belarus", NULL, "belarus", 1,
	    "article exclusion leaves other rules");
	HAS("Night", "China and Belarus trivia night.", "china-belarus", 0,
	    "sentence exclusion of a watch");
	HAS("Night", "China and Belarus trivia night.", "belarus", 1,
	    "sentence exclusion of a watch keeps the actors");
	s = spans_of("Night", NULL, "China and Belarus trivia night. Then "
	    "China and Belarus signed.", "china-belarus");
	is_str(s, "China|Belarus", "the watch fires on the other sentence");
	free(s);
	is_str(watch_why("Quiz: China and Belarus", NULL, "china-belarus"),
	    "excluded by quiz (scope article, t.rules:105)",
	    "explain: a watch dropped by an exclusion");
	is_str(watch_why("Opinion: Belarus sanctions fail", NULL,
	    "bel-sanctions"), "branch 1 true but vetoed by unless (t.rules:87)",
	    "explain: a watch vetoed by unless");
	is_str(watch_why("Belarus faces sanctions", "The doping case.",
	    "bel-sanctions"), "branch 1 true but require (t.rules:86) false",
	    "explain: a watch whose require is false");
}

static void
t_members_facets(void)
{
	HAS("Russia faces new sanctions", NULL, "sco-sanctions", 1,
	    "@sco.members holds its members' spans");
	HAS("Russia faces new sanctions", NULL, "sco", 0,
	    "a member does not match the organisation");
	HAS("Xi Jinping meets Lukashenko", NULL, "leaders", 1, "leader facet");
	HAS("Wang Yi meets Lukashenko", NULL, "leaders", 0,
	    "a foreign minister is no leader");
	HAS("Minsk says no", NULL, "bel-gov", 1, "gov facet: capital");
	HAS("Minsk says no", NULL, "bel-people", 0, "people facet: no capital");
	HAS("Sviatlana Tsikhanouskaya speaks", NULL, "bel-people", 1,
	    "people facet: a person");
	HAS("Sviatlana Tsikhanouskaya speaks", NULL, "bel-gov", 0,
	    "gov facet: not the opposition");
	HAS("Beijing says no", NULL, "china-strict", 0, "strict: no capitals");
	HAS("Chinese officials say no", NULL, "china-strict", 1,
	    "strict: demonyms");
}

static void
t_summary_dedupe(void)
{
	struct article		 a = { "News", "China and Belarus agree.",
	    "China and Belarus agree. More follows.", DATE_NONE };
	struct article		 b = { "News", "China and Bela\xe2\x80\xa6",
	    "China and Belarus agree.", DATE_NONE };
	struct mresult		*r;
	const struct mhit	*h;

	r = match_article(m, &a, 0);
	h = hit_of(r, "china");
	ok(h != NULL && h->nspans == 1 && h->spans[0].field == FIELD_SUMMARY,
	    "content repeating the summary is read once");
	mresult_free(r);
	r = match_article(m, &b, 0);
	h = hit_of(r, "belarus");
	ok(h != NULL && h->nspans == 1 && h->spans[0].field == FIELD_CONTENT &&
	    h->spans[0].start == 10, "a cut summary: the cut word is read in "
	    "the content");
	h = hit_of(r, "china");
	ok(h != NULL && h->nspans == 1, "the repeated part is still read once");
	mresult_free(r);
}

static void
t_explain(void)
{
	struct article	 a = { "Xinjiang and fine china", NULL,
	    "Tesco sells fine china. China and Belarus agree. Let us see.",
	    DATE_NONE };
	struct mresult	*r;
	struct buf	 b;
	size_t		 i;
	int		 notp = 0, bound = 0, cse = 0, sco = 0;

	r = match_article(m, &a, 1);
	for (i = 0; i < r->nsup; i++) {
		if (strstr(r->sup[i].why, "inside 'fine china' (not, t.rules:10)"))
			notp++;
		if (strstr(r->sup[i].why, "word boundary") &&
		    strstr(r->sup[i].why, "'Xinjiang'"))
			bound++;
		if (strstr(r->sup[i].why, "word boundary") &&
		    strstr(r->sup[i].why, "'Tesco'"))
			sco++;
		if (strstr(r->sup[i].why, "case") && r->sup[i].kind == 'a' &&
		    strcmp(rs->actors[r->sup[i].idx].id, "united-states") == 0)
			cse++;
	}
	is_int(notp, 2, "explain: both fine china spans, with the not line");
	is_int(bound, 1, "explain: Xi inside Xinjiang");
	is_int(sco, 1, "explain: SCO inside Tesco");
	is_int(cse, 1, "explain: us is not US (case)");
	{
		struct article	 a2 = { "Tell us", NULL, "Give us a call, "
		    "tell us more, let us know, ask us, join us.", DATE_NONE };
		struct mresult	*r2 = match_article(m, &a2, 1);

		is_int(r2->nsup, 3, "explain: at most three notes per term");
		mresult_free(r2);
		a2.title = "Night out";
		a2.content = "A disco in Tesco's car park.";
		r2 = match_article(m, &a2, 1);
		is_int(r2->nsup, 1, "explain: a case term inside a name (Tesco), "
		    "not inside a common word (disco)");
		mresult_free(r2);
	}
	buf_init(&b, 0);
	mresult_explain(m, r, &b);
	ok(strstr(b.data, "watch china-belarus (t.rules:53): branch 1 "
	    "'same-sentence' (t.rules:54)") != NULL, "explain: the branch");
	ok(strstr(b.data, "content 24-29 \"China\" <- @china name \"China\" "
	    "(t.rules:2)") != NULL, "explain: a span with its rule string");
	ok(strstr(b.data, "suppressed:\n") != NULL, "explain: suppressions");
	if (tap_failed)
		printf("# %s", b.data);
	buf_reset(&b);
	mresult_evidence_json(r, &b);
	ok(strstr(b.data, "\"china\":[{\"field\":\"content\",\"start\":24,"
	    "\"end\":29,\"text\":\"China\",\"term\":\"China\"}]") != NULL,
	    "evidence JSON");
	buf_release(&b);
	mresult_free(r);
}

static void
t_ruletest(void)
{
	static const char src[] =
	    "actor china \"China\"\n"
	    "  name \"China\"\n"
	    "  not \"fine china\"\n"
	    "test good\n"
	    "  title \"China speaks\"\n"
	    "  expect china\n"
	    "test bad\n"
	    "  title \"Fine china\"\n"
	    "  text \"A set of fine china.\"\n"
	    "  expect china\n"
	    "test worse\n"
	    "  text \"China again\"\n"
	    "  expect-not china\n";
	struct ruleset	*r2;
	struct diag	 d;
	FILE		*f;
	char		*out = NULL;
	size_t		 len = 0;
	int		 n;

	f = open_memstream(&out, &len);
	diag_init(&d, f);
	r2 = rules_load_string("rt.rules", src, &d);
	ok(r2 != NULL, "test rules load");
	if (r2 == NULL) {
		fclose(f);
		free(out);
		return;
	}
	n = ruletest_run(r2, &d, NULL);
	fclose(f);
	is_int(n, 2, "two failing expectations");
	ok(strstr(out, "rt.rules:10:") != NULL && strstr(out, "'china' did not "
	    "match") != NULL, "expect failure at its line");
	ok(strstr(out, "rt.rules:13:") != NULL && strstr(out, "must not") !=
	    NULL, "expect-not failure at its line");
	if (tap_failed)
		printf("# %s", out);
	free(out);
	ruleset_free(r2);
}

static void
t_many_terms(void)
{
	struct buf	 b;
	struct ruleset	*big;
	struct matcher	*bm;
	struct diag	 d;
	char		*l;
	int		 i;

	buf_init(&b, 0);
	for (i = 0; i < 500; i++) {
		buf_addf(&b, "actor a%d \"A%d\"\n", i, i);
		buf_addf(&b, "  name \"name%d alpha\"\n  name \"Name%d\" case\n"
		    "  name \"nm%dx*\"\n", i, i, i);
	}
	diag_init(&d, stderr);
	big = rules_load_string("big.rules", b.data, &d);
	ok(big != NULL, "1,500 terms load");
	if (big == NULL) {
		buf_release(&b);
		return;
	}
	bm = matcher_new(big, NULL);
	{
		struct article a = { "name17 alpha and Name23 and nm499xyz",
		    NULL, "name5 Name6 name6", DATE_NONE };
		struct mresult *r = match_article(bm, &a, 0);
		struct buf nb;
		size_t k;

		buf_init(&nb, 0);
		for (k = 0; k < r->nhits; k++)
			buf_addf(&nb, "%s%s", k ? " " : "", r->hits[k].name);
		l = buf_steal(&nb);
		is_str(l, "a6 a17 a23 a499", "the right actors among 500");
		free(l);
		mresult_free(r);
	}
	matcher_free(bm);
	ruleset_free(big);
	buf_release(&b);
}

int
main(void)
{
	struct diag	 d;
	char		*cause = NULL;

	diag_init(&d, stderr);
	rs = rules_load_string("t.rules", rules_src, &d);
	if (!ok(rs != NULL && d.errors == 0, "test rules load"))
		return tap_done();
	m = matcher_new(rs, &cause);
	ok(m != NULL, "matcher_new");
	t_phrase_case();
	t_weak();
	t_boundaries();
	t_stem_prefix();
	t_not();
	t_demonym_cjk();
	t_near();
	t_fields_branches();
	t_require_unless();
	t_exclusions();
	t_members_facets();
	t_summary_dedupe();
	t_explain();
	t_ruletest();
	t_many_terms();
	matcher_free(m);
	ruleset_free(rs);
	matcher_free(NULL);
	mresult_free(NULL);
	return tap_done();
}
