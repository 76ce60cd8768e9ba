#!/usr/bin/env python3
"""Score the default rule pack against a labelled corpus.

Each corpus line is  lang<TAB>title<TAB>summary<TAB>labels  where labels is
a comma-separated subset of the eight core names (empty: none of them);
lines starting with '#' are comments. The lines become the items of an
RSS 2.0 file (guid = FILE:LINE), which `wirewatch rules test --json` matches
against the pack. Precision, recall and F1 are computed per core name over
all items, and the misclassified items are listed with the evidence for
every wrong label.

    WIREWATCH=./wirewatch WW_SRC=. tests/pack-score.py [--threshold 0.95]
        [--rules DIR] [--quiet] [FILE.tsv ...]

Exit status: 0 when every name reaches the threshold in both precision and
recall, 1 when one does not, 2 on a usage or run error.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape

CORE = ["china", "belarus", "russia", "ukraine", "united-states",
        "european-union", "sco", "sanctions"]


def read_corpus(paths):
    items = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                fields = line.split("\t")
                if len(fields) != 4:
                    sys.exit("%s:%d: want 4 tab-separated fields, got %d"
                             % (path, n, len(fields)))
                lang, title, summary, labels = fields
                want = set(x.strip() for x in labels.split(",") if x.strip())
                bad = want - set(CORE)
                if bad:
                    sys.exit("%s:%d: unknown label %s" % (path, n, ", ".join(sorted(bad))))
                items.append({"id": "%s:%d" % (os.path.basename(path), n),
                              "lang": lang, "title": title,
                              "summary": summary, "want": want})
    return items


def write_rss(items, path):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0"><channel>',
           "<title>labelled corpus</title>",
           "<link>http://127.0.0.1/</link>",
           "<description>pack scoring</description>"]
    for it in items:
        out.append("<item><title>%s</title><description>%s</description>"
                   '<guid isPermaLink="false">%s</guid></item>'
                   % (escape(it["title"]), escape(it["summary"]), escape(it["id"])))
    out.append("</channel></rss>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def run_rules_test(wirewatch, rules, feed):
    cmd = [wirewatch, "rules", "test", "--json", "--rules", rules, feed]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        sys.exit("pack-score: %s exited %d" % (" ".join(cmd), p.returncode))
    got = {}
    for line in p.stdout.decode("utf-8").splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        got[obj.get("id")] = obj
    return got


def evidence_text(obj, name):
    ev = (obj or {}).get("evidence") or {}
    spans = ev.get(name) if isinstance(ev, dict) else None
    if not spans:
        return ""
    texts = []
    for s in spans:
        if isinstance(s, dict):
            texts.append("%s:%s" % (s.get("field", "?"), s.get("text", "?")))
    return " ".join(texts[:4])


def main():
    ap = argparse.ArgumentParser(description="score the rule pack on a labelled corpus")
    ap.add_argument("files", nargs="*")
    ap.add_argument("--threshold", type=float, default=0.90)
    ap.add_argument("--rules")
    ap.add_argument("--quiet", action="store_true", help="no list of misclassified lines")
    args = ap.parse_args()

    src = os.environ.get("WW_SRC", ".")
    wirewatch = os.environ.get("WIREWATCH", os.path.join(src, "wirewatch"))
    rules = args.rules or os.path.join(src, "rules")
    files = args.files or [os.path.join(src, "tests/fixtures/pack/corpus.tsv")]

    items = read_corpus(files)
    if not items:
        sys.exit("pack-score: no items")
    with tempfile.TemporaryDirectory() as tmp:
        feed = os.path.join(tmp, "corpus.xml")
        write_rss(items, feed)
        got = run_rules_test(wirewatch, rules, feed)

    stats = {n: [0, 0, 0] for n in CORE}	# tp, fp, fn
    wrong = []
    for it in items:
        obj = got.get(it["id"])
        if obj is None:
            sys.exit("pack-score: no result for item %s" % it["id"])
        have = set(obj.get("matched", [])) & set(CORE)
        for n in CORE:
            if n in have and n in it["want"]:
                stats[n][0] += 1
            elif n in have:
                stats[n][1] += 1
            elif n in it["want"]:
                stats[n][2] += 1
        if have != it["want"]:
            wrong.append((it, obj, it["want"] - have, have - it["want"]))

    print("%-16s %5s %5s %5s %9s %7s %6s" % ("name", "tp", "fp", "fn",
                                              "precision", "recall", "F1"))
    failed = []
    for n in CORE:
        tp, fp, fn = stats[n]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print("%-16s %5d %5d %5d %9.3f %7.3f %6.3f" % (n, tp, fp, fn, p, r, f1))
        if p < args.threshold or r < args.threshold:
            failed.append(n)
    print("%d items, %d with a wrong label set; threshold %.2f"
          % (len(items), len(wrong), args.threshold))

    if not args.quiet and wrong:
        print("\nmisclassified:")
        for it, obj, missing, extra in wrong:
            print("%s [%s] %s | %s" % (it["id"], it["lang"], it["title"], it["summary"]))
            if missing:
                print("    missing: %s" % ", ".join(sorted(missing)))
            for n in sorted(extra):
                print("    extra:   %s  (%s)" % (n, evidence_text(obj, n)))
    if failed:
        print("below threshold: %s" % ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
