#!/usr/bin/env python3
"""Generate the matcher benchmark's inputs: a rule set and a news corpus.

    genrules.py [--watches 500] [--terms 5000] [--articles 5000] [--seed 1] OUT

writes
    OUT/rules/bench.rules   actors, topics and watches in the rule language
                            (docs/rules.md), about --terms strings in all
    OUT/corpus/NNNNN.txt    one article a file: the title on the first line,
                            then paragraphs, 2-5 KB each
    OUT/feed.xml            the same articles as one RSS 2.0 feed

The output is a pure function of the arguments. Names are invented from
syllables (countries, demonyms, capitals, ministries, officials) so that the
terms have the length and shape of real ones without being real; a fifth of
the actors also carry a Cyrillic spelling. Articles are filler sentences
with actor and topic mentions mixed in (possessives, plurals, all-caps
headlines, hyphenated compounds), so that some watches fire and most terms
are absent from most articles, as in a real news stream.
"""

import argparse
import os
import random
from xml.sax.saxutils import escape

SYL = ("ta lor ven ka mir dov sel ra bin tor ges lan mo ri zan pe ko vis dal "
       "nor fe gu sha lek oth ar bre cin us vel dro ka ni sa tem bor il "
       "ma ste ru quin hal ze po fa ron ly").split()
ENDS = ("ia", "ia", "ia", "stan", "land", "ova", "ar", "ea", "is")
FIRST = ("Anton Mira Pavel Lena Tomas Ilse Omar Nadia Viktor Sana Jonas Aiko "
         "Marek Elena Farid Greta Ivo Katya Luis Noor Arvid Bianca Cyril Dana "
         "Emil Frida Goran Hana Igor Jana Karim Lidia Milan Nora Oskar Petra "
         "Rafael Selma Taras Ursula Vera Walid Yusuf Zofia").split()
SURN = ("ov", "enko", "ski", "escu", "ez", "son", "ani", "berg", "ić", "ová",
        "ides", "oglu", "ner")
ROLES = ("head-of-state", "head-of-government", "foreign-minister",
         "defence-minister", "minister", "spokesperson", "opposition")
NOUNS = ("grain steel gas oil rail port bank chip satellite drone border "
         "fishing water power cable wheat fertilizer cobalt lithium shipping "
         "nickel timber cotton pipeline airspace tanker reactor vaccine "
         "currency bond refinery copper uranium potash corridor visa "
         "highway dam telecom mining").split()
MODS = ("export import transit tariff quota licence embargo subsidy "
        "inspection ban deal pact talks dispute summit exercise agreement "
        "deliveries sanctions loan investment consortium protocol "
        "memorandum tender blockade freeze audit partnership").split()
FILLER = (
    "the a of and to in on for with at by from as that this it was were "
    "has have had will would could said says officials government minister "
    "week year month day talks meeting statement report reports sources "
    "according new first last after before during while over under about "
    "more than most some other several many two three four five percent "
    "million billion people country countries region regional local world "
    "international economic political security military trade energy "
    "market markets prices growth plan plans project projects agency "
    "council committee parliament party leader leaders president prime "
    "election vote law court police army navy forces troops border city "
    "capital province state states union bloc alliance treaty visit "
    "visited announced agreed signed rejected warned called urged expected "
    "planned confirmed denied reported told added noted described expanded "
    "increased reduced raised cut remain remained continue continued "
    "support supported oppose opposed cooperation relations ties partners "
    "partner deal deals agreement issue issues concern concerns crisis "
    "conflict war peace ceasefire aid talks negotiations delegation "
    "foreign domestic national public private joint further also however "
    "still already only just even again because although since until "
    "between among against within without across toward through into "
    "analysts experts observers diplomats critics residents workers "
    "companies firms investors banks exporters importers farmers "
    "producers consumers supply demand shortage surplus output production "
    "infrastructure network networks system systems technology industry "
    "industrial sector sectors funding budget spending revenue debt "
    "inflation currency exchange rate rates policy policies reform "
    "reforms measure measures step steps proposal proposals framework "
    "decision decisions move moves effort efforts progress delay delays "
    "deadline schedule phase stage round session briefing interview "
    "conference forum summit outcome result results impact effect "
    "pressure tension tensions dispute disputes risk risks threat").split()


def cyr(s):
    """A rough Latin-to-Cyrillic spelling for a name (one letter at a time)."""
    table = {"a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф",
             "g": "г", "h": "х", "i": "и", "j": "й", "k": "к", "l": "л",
             "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р",
             "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "кс",
             "y": "ы", "z": "з"}
    out = "".join(table.get(ch, ch) for ch in s.lower())
    return out[:1].upper() + out[1:]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.used = set()
        self.terms = 0

    def word(self, n, end=""):
        while True:
            w = "".join(self.r.choice(SYL) for _ in range(n)) + end
            w = w[:1].upper() + w[1:]
            if w.lower() not in self.used and len(w) >= 4:
                self.used.add(w.lower())
                return w

    def actor(self, i):
        r = self.r
        name = self.word(r.choice((2, 2, 3)), r.choice(ENDS))
        dem = name + "n" if name.endswith(("ia", "ea")) else name + "i"
        cap = self.word(2)
        a = {"id": "a%03d-%s" % (i, name.lower()), "name": name,
             "demonym": dem, "capital": cap, "persons": [], "lines": []}
        ln = a["lines"]
        ln.append('  name      "%s"' % name)
        ln.append('  name      "Republic of %s"' % name)
        ln.append('  demonym   "%s"' % dem)
        ln.append('  capital   "%s"' % cap)
        ln.append('  body      "%s Foreign Ministry"' % dem)
        ln.append('  body      "%s Armed Forces"' % dem)
        n = 6
        lead = r.choice(ROLES[:2])
        for role in (lead, r.choice([x for x in ROLES if x != lead])):
            first = r.choice(FIRST)
            last = self.word(2, r.choice(SURN))
            a["persons"].append((first, last, role))
            ln.append('  person    "%s %s"  role=%s' % (first, last, role))
            ln.append('    alias   "%s"' % last)
            n += 2
        if i % 5 == 0:
            ln.append('  name      "%s"  lang=ru' % cyr(name))
            ln.append('  capital   "%s"  lang=ru' % cyr(cap))
            n += 2
        if i % 7 == 0:
            acr = "".join(w[0] for w in ("Republic", "of", name)).upper()
            ln.append('  name      "%s%s"  case' % (acr, name[1].upper()))
            n += 1
        self.terms += n
        return a

    def topic(self, i, nterms):
        r = self.r
        lines, phrases = [], []
        noun = NOUNS[i % len(NOUNS)]
        tid = "t%03d-%s" % (i, noun)
        while len(lines) < nterms:
            k = r.random()
            n2, m = r.choice(NOUNS), r.choice(MODS)
            if k < 0.55:
                s, fl = "%s %s" % (n2, m), ""
            elif k < 0.75:
                s, fl = "%s %s %s" % (self.word(2).lower(), n2, m), ""
            elif k < 0.85:
                s, fl = "%s %s" % (n2, m), "stem"
            elif k < 0.92 and len(m) >= 6:
                s, fl = "%s %s*" % (n2, m[:len(m) - 2]), ""
            else:
                s, fl = "%s-%s" % (n2, m), ""
            key = s.lower() + "|" + fl
            if key in self.used:
                continue
            self.used.add(key)
            phrases.append(s.rstrip("*"))
            lines.append('  term      "%s"%s' % (s, ("  " + fl) if fl else ""))
        self.terms += len(lines)
        return {"id": tid, "noun": noun, "lines": lines, "phrases": phrases}

    def watch(self, i, actors, topics):
        r = self.r
        a, b = r.sample(actors, 2)
        t, u = r.sample(topics, 2)
        forms = [
            "@%s and #%s" % (a["id"], t["id"]),
            "@%s near/s @%s" % (a["id"], b["id"]),
            "title:(@%s or @%s)" % (a["id"], b["id"]),
            "@%s.leader near/20 #%s" % (a["id"], t["id"]),
            "(@%s or @%s) and #%s and not #%s" % (a["id"], b["id"],
                                                   t["id"], u["id"]),
            '"%s" near/5 @%s' % (r.choice(t["phrases"]), a["id"]),
            "@%s.gov onear/8 @%s.strict" % (a["id"], b["id"]),
        ]
        out = ['watch w%03d "Watch %d: %s and %s"' % (i, i, a["name"],
                                                     b["name"])]
        for k, f in enumerate(r.sample(forms, r.choice((1, 1, 2, 3)))):
            out.append("  match     %s  as b%d" % (f, k + 1))
        if r.random() < 0.2:
            out.append("  require   not #%s" % u["id"])
        out.append("  priority  %s" % r.choice(("low", "normal", "normal",
                                                 "high", "critical")))
        out.append('  group     "Region %d"' % (i % 12))
        return out


def mention(r, actors, topics, focus, ftopics):
    """One actor or topic mention as it might appear in running text."""
    if ftopics and r.random() < 0.35:
        return r.choice(r.choice(ftopics)["phrases"])
    a = r.choice(focus) if focus and r.random() < 0.8 else r.choice(actors)
    k = r.random()
    if k < 0.25:
        return a["name"] + r.choice(("", "", "'s", "’s"))
    if k < 0.45:
        return a["demonym"] + r.choice(("", "s"))
    if k < 0.6:
        return a["capital"] + " said"
    if k < 0.85:
        first, last, _ = r.choice(a["persons"])
        return r.choice(("%s %s" % (first, last), last, last + "'s"))
    return "the %s Foreign Ministry" % a["demonym"]


def sentence(r, actors, topics, focus, ftopics, rate, compounds=True):
    n = r.randint(8, 24)
    words = [r.choice(FILLER) for _ in range(n)]
    for _ in range(3):
        if r.random() < rate:
            words.insert(r.randint(0, len(words)),
                         mention(r, actors, topics, focus, ftopics))
    if compounds and r.random() < 0.1:
        words.insert(r.randint(0, len(words)), "%s-%s" % (
            r.choice(actors)["name"], r.choice(actors)["demonym"]))
    s = " ".join(words)
    s = s[:1].upper() + s[1:]
    return s + r.choice((".", ".", ".", ".", "?", "!"))


def article(r, actors, topics):
    # Half the stream is about nothing the rules know (sport, weather,
    # business): filler only, so that most terms are absent most of the time.
    quiet = r.random() < 0.5
    focus = [] if quiet else r.sample(actors, r.choice((1, 1, 2, 2, 3)))
    ftopics = [] if quiet else r.sample(topics, r.choice((0, 1, 1, 2)))
    rate = 0.0 if quiet else 0.25
    title = sentence(r, actors, topics, focus, ftopics, 0.0 if quiet else 0.6,
                     not quiet).rstrip(".?!")
    if r.random() < 0.05:
        title = title.upper()
    size = r.randint(2000, 5000)
    paras, total = [], 0
    while total < size:
        p = " ".join(sentence(r, actors, topics, focus, ftopics, rate,
                              not quiet)
                     for _ in range(r.randint(2, 6)))
        paras.append(p)
        total += len(p) + 1
    return title, "\n".join(paras)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--watches", type=int, default=500)
    ap.add_argument("--terms", type=int, default=5000)
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("out")
    o = ap.parse_args()

    g = Gen(o.seed)
    actors = []
    while g.terms < o.terms * 3 // 5:
        actors.append(g.actor(len(actors)))
    topics = []
    per = 20
    while g.terms < o.terms:
        topics.append(g.topic(len(topics), min(per, o.terms - g.terms)))

    os.makedirs(os.path.join(o.out, "rules"), exist_ok=True)
    os.makedirs(os.path.join(o.out, "corpus"), exist_ok=True)
    with open(os.path.join(o.out, "rules", "bench.rules"), "w") as f:
        f.write("# Generated by tests/bench/genrules.py: %d actors, %d topics,"
                " %d watches, %d strings.\n\n" % (len(actors), len(topics),
                                                   o.watches, g.terms))
        for a in actors:
            f.write('actor %s "%s"\n' % (a["id"], a["name"]))
            f.write("\n".join(a["lines"]) + "\n\n")
        for t in topics:
            f.write('topic %s "%s"\n' % (t["id"], t["noun"].capitalize()))
            f.write("\n".join(t["lines"]) + "\n\n")
        for i in range(o.watches):
            f.write("\n".join(g.watch(i, actors, topics)) + "\n\n")

    r = random.Random(o.seed + 1)
    items = []
    for i in range(o.articles):
        title, body = article(r, actors, topics)
        with open(os.path.join(o.out, "corpus", "%05d.txt" % i), "w") as f:
            f.write(title + "\n" + body + "\n")
        items.append((i, title, body))
    with open(os.path.join(o.out, "feed.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">'
                "<channel><title>Bench wire</title>"
                "<link>http://127.0.0.1/</link><description>generated"
                "</description>\n")
        for i, title, body in items:
            f.write("<item><title>%s</title><guid>bench-%05d</guid>"
                    "<link>http://127.0.0.1/a/%05d</link>"
                    "<description>%s</description></item>\n" % (
                        escape(title), i, i,
                        escape("".join("<p>%s</p>" % p
                                       for p in body.split("\n")))))
        f.write("</channel></rss>\n")
    print("actors=%d topics=%d watches=%d strings=%d articles=%d" % (
        len(actors), len(topics), o.watches, g.terms, o.articles))


if __name__ == "__main__":
    main()
