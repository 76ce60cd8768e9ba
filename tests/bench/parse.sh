#!/bin/sh
# Feed parsing benchmark: `wirewatch parse` against `xmllint --noout` on the
# same generated feeds, one process per file for both, in one run. Prints
# both times, MB/s and the ratio (goal: wirewatch within 1.5x of xmllint).
# Also in one process (tests/bench/bench-parse.c against xmllint given all
# files), which leaves out the start-up cost of both programs.
# Feeds: FEEDS files of ITEMS items each, written to build/bench/parse/ in
# the shapes publishers send (WordPress-style RSS 2.0 with content:encoded,
# wire-service RSS with media:*, Blogger-style Atom with escaped HTML);
# regenerated when the knobs change, never committed. Knobs (environment):
# FEEDS (200), ITEMS (50), RUNS (3, best of), SEED (1), B (build).
#
#	sh tests/bench/parse.sh
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
B=${B:-build}
FEEDS=${FEEDS:-200}
ITEMS=${ITEMS:-50}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
out=$B/bench/parse
bin=$B/wirewatch
mkdir -p "$out"

command -v xmllint >/dev/null || { echo "parse: xmllint not installed (libxml2-utils)"; exit 0; }
[ -x "$bin" ] || ${MAKE:-make} -s B="$B" "$bin" >/dev/null

params="$FEEDS $ITEMS $SEED $(sed -n '/^gen()/,/^}/p' "$0" | cksum)"
gen() {
	python3 - "$out/feeds" "$FEEDS" "$ITEMS" "$SEED" <<'PY'
import os, random, sys
from email.utils import formatdate
d, nfeeds, nitems, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(seed)
os.makedirs(d, exist_ok=True)
words = ("minister talks border trade sanctions summit delegation export pipeline "
         "agreement parliament vote security council harvest grain railway port "
         "energy prices envoy ceasefire negotiators statement officials capital "
         "region market currency bank inflation drought festival museum league").split()
def sentence(n):
    s = " ".join(rnd.choice(words) for _ in range(n))
    return s[0].upper() + s[1:] + "."
def para():
    return " ".join(sentence(rnd.randint(8, 18)) for _ in range(rnd.randint(2, 4)))
def html_body():
    parts = []
    for i in range(rnd.randint(3, 6)):
        p = para().replace("talks", '<a href="https://example.com/t?a=1&amp;b=2">talks</a>', 1)
        parts.append("<p>%s</p>" % p.replace("trade", "<strong>trade</strong>", 1))
        if i == 1:
            parts.append('<figure><img src="https://cdn.example.com/i/%d.jpg" alt="photo" />'
                         '<figcaption>%s</figcaption></figure>' % (rnd.randint(1, 10**6), sentence(6)))
    return "\n".join(parts)
def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
for n in range(nfeeds):
    t0 = 1795000000 - n * 3600
    kind = n % 4
    out = []
    if kind == 3:
        out.append("<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
                   "<id>tag:blogger.com,1999:blog-%d</id><title type='text'>Blog %d</title>"
                   "<link rel='alternate' type='text/html' href='https://blog%d.example.org/'/>"
                   "<author><name>Author %d</name></author>" % (n, n, n, n))
        for i in range(nitems):
            ts = t0 - i * 600
            out.append("<entry><id>tag:blogger.com,1999:blog-%d.post-%d</id>"
                       "<published>2026-11-%02dT%02d:%02d:00.000+03:00</published>"
                       "<updated>2026-11-%02dT%02d:%02d:00.000+03:00</updated>"
                       "<category scheme='http://www.blogger.com/atom/ns#' term='%s'/>"
                       "<title type='text'>%s</title><content type='html'>%s</content>"
                       "<link rel='alternate' type='text/html' href='https://blog%d.example.org/2026/11/p%d.html'/>"
                       "<author><name>Author %d</name></author></entry>"
                       % (n, i, 1 + i % 28, i % 24, i % 60, 1 + i % 28, i % 24, i % 60,
                          rnd.choice(words), esc(sentence(7)), esc(html_body()), n, i, n))
        out.append("</feed>")
    else:
        out.append('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
                   'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                   'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                   'xmlns:media="http://search.yahoo.com/mrss/" '
                   'xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
                   '<title>News site %d &#8211; World</title><link>https://news%d.example.com/</link>'
                   '<atom:link href="https://news%d.example.com/feed/" rel="self" type="application/rss+xml"/>'
                   '<description>World news</description><language>en-US</language>' % (n, n, n))
        for i in range(nitems):
            ts = t0 - i * 600
            item = ["<item><title>%s</title>" % esc(sentence(8).replace("trade", "trade &amp; aid")),
                    "<link>https://news%d.example.com/2026/11/story-%d/</link>" % (n, i),
                    "<dc:creator><![CDATA[Reporter %d]]></dc:creator>" % rnd.randint(1, 40),
                    "<pubDate>%s</pubDate>" % formatdate(ts, usegmt=True),
                    "<category><![CDATA[%s]]></category><category><![CDATA[%s]]></category>"
                    % (rnd.choice(words), rnd.choice(words)),
                    '<guid isPermaLink="false">https://news%d.example.com/?p=%d</guid>' % (n, 1000 + i),
                    "<description><![CDATA[%s [&#8230;]]]></description>" % sentence(20)]
            if kind == 1:
                item.append('<media:content url="https://cdn.example.com/%d.jpg" medium="image">'
                            '<media:title>%s</media:title><media:description>%s</media:description>'
                            '</media:content>' % (i, esc(sentence(5)), esc(sentence(12))))
            else:
                item.append("<content:encoded><![CDATA[%s]]></content:encoded>" % html_body())
            item.append("</item>")
            out.append("".join(item))
        out.append("</channel></rss>")
    with open(os.path.join(d, "feed%03d.xml" % n), "w") as f:
        f.write("\n".join(out))
PY
}
if [ ! -f "$out/params" ] || [ "$(cat "$out/params")" != "$params" ]; then
	rm -rf "$out/feeds"
	gen
	echo "$params" >"$out/params"
fi
bytes=$(cat "$out"/feeds/*.xml | wc -c)

# Items actually read, as a check that the parser did its work.
n=$("$bin" parse "$out/feeds/feed000.xml" | grep -c '^{"id"')
[ "$n" -eq "$ITEMS" ] || { echo "parse: read $n of $ITEMS items" >&2; exit 1; }

# In-process driver: feed_parse() + feed_to_json() on every file.
pkgs=$(sed -n 's/^PKGS[[:space:]]*=[[:space:]]*//p' Makefile)
${MAKE:-make} -s B="$B" "$B/libwirewatch.a" >/dev/null
# shellcheck disable=SC2046,SC2086
${CC:-cc} -std=c11 -O2 -Iinclude -D_GNU_SOURCE $(pkg-config --cflags $pkgs) \
    -o "$out/bench-parse" tests/bench/bench-parse.c "$B/libwirewatch.a" \
    $(pkg-config --libs $pkgs) -lstemmer -lm

# Timings are CPU seconds (user + system) of the processes, best of RUNS:
# wall time on a shared machine says more about the neighbours.
RUNS=$RUNS python3 - "$bin" "$out" <<'PY'
import glob, os, resource, subprocess, sys
bin, out = sys.argv[1], sys.argv[2]
runs = int(os.environ["RUNS"])
files = sorted(glob.glob(os.path.join(out, "feeds", "*.xml")))
mb = sum(os.path.getsize(f) for f in files) / 1048576.0
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
def best(cmds):
    b = None
    for _ in range(runs):
        t0 = cpu()
        for c in cmds:
            subprocess.run(c, stdout=subprocess.DEVNULL, check=True)
        t = cpu() - t0
        b = t if b is None or t < b else b
    return b
def driver():
    r = subprocess.run([os.path.join(out, "bench-parse")] + files, capture_output=True,
                       text=True, check=True, env=dict(os.environ, RUNS=str(runs)))
    return float(r.stdout.split()[0])
pw = best([[bin, "parse", f] for f in files])
px = best([["xmllint", "--noout", f] for f in files])
iw = driver()
ix = best([["xmllint", "--noout"] + files])
print("parse: %d feeds, %.1f MB; CPU seconds, best of %d" % (len(files), mb, runs))
print("  one process per file:")
print("    wirewatch parse FILE    %7.3f s  %6.1f MB/s" % (pw, mb / pw))
print("    xmllint --noout FILE    %7.3f s  %6.1f MB/s" % (px, mb / px))
print("    ratio                   %7.2fx  (goal: within 1.50x)" % (pw / px))
print("  one process for all files (no start-up cost):")
print("    feed_parse + JSON       %7.3f s  %6.1f MB/s" % (iw, mb / iw))
print("    xmllint --noout FILES   %7.3f s  %6.1f MB/s" % (ix, mb / ix))
print("    ratio                   %7.2fx" % (iw / ix))
PY
