#!/bin/sh
# Hostile servers and hostile feed text, end to end against tests/server.py
# on 127.0.0.1: slow drip, stall after headers, endless and huge bodies,
# decompression bombs, redirect loops and long chains, redirects to
# file:, ftp: and gopher:, XXE to a file and to a URL, entity expansion,
# deep nesting, wrong and mixed encodings, NUL bytes, an HTML page; and
# markup, Markdown, terminal escapes, JSON-breaking and bidi text in
# titles, links and summaries, looked for in every output (notification
# body, every digest format, feeds list, rules test, error messages).
# For each: the agent stays up, the good feeds of the same run are polled
# and stored, time and memory stay bounded (loose sanity caps), each
# failing feed is reported in one line, and stored state is kept.
. "$WW_SRC/tests/e2e/lib.sh"
export TZ=UTC
CFG="$T_TMP/cfg"
ST="$T_TMP/state"
WWW="$T_TMP/www"
HF="$FIX/hostile"
mkdir -p "$CFG" "$WWW"
ww() { "$WIREWATCH" --config "$CFG" --state "$ST" "$@"; }
db="$ST/wirewatch.db"
start_server --root "$WWW"

# The secret an XXE would leak, and the hostile documents.
SECRET="ww-secret-$$-$(date +%s)"
printf '%s\n' "$SECRET" > "$T_TMP/secret.txt"
for f in "$HF"/*; do
	sed -e "s|@SECRET@|$T_TMP/secret.txt|g" -e "s|@BASE@|$BASE|g" "$f" > "$WWW/$(basename "$f")"
done
cp "$FIX/agent/world.xml" "$WWW/good.xml"
python3 - "$WWW" <<'PY'
import sys
d = sys.argv[1]
head = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>T</title>\n'
tail = b'</channel></rss>\n'
def item(i, title):
    return (b'<item><title>' + title + b'</title><guid>g-%d</guid>'
            b'<link>https://enc.example/%d</link></item>\n' % (i, i))
# 200000 nested elements inside an item
with open(d + "/deep.xml", "wb") as f:
    f.write(head + b'<item><title>Lukashenko deep</title><description>' +
            b'<x>' * 200000 + b'</x>' * 200000 + b'</description></item>' + tail)
# said UTF-8, is Latin-1 and CP1252
with open(d + "/wrongenc.xml", "wb") as f:
    f.write(head + item(1, b'Lukashenko caf\xe9 \x93quoted\x94 in Minsk') + tail)
# UTF-8, Latin-1 and UTF-16 bytes mixed in one document declared ISO-8859-2
with open(d + "/mixedenc.xml", "wb") as f:
    f.write(b'<?xml version="1.0" encoding="iso-8859-2"?>\n<rss version="2.0"><channel><title>M</title>\n' +
            item(1, b'Lukashenko \xc5\x81\xc3\xb3d\xc5\xba \xe9t\xe9 in Minsk') +
            item(2, 'Lukashenko ok in Minsk'.encode('utf-16-le')) + tail)
# NUL bytes in the middle of text and markup
with open(d + "/nul.xml", "wb") as f:
    f.write(head + item(1, b'Lukashenko\x00hidden in Minsk') +
            b'<item\x00><title>x</title></item>' + tail)
PY

cat > "$CFG/config" <<'EOF2'
interval = 1m
jitter = 0
timeout = 4s
connect-timeout = 2s
max-body = 2M
notify-backlog = yes
EOF2
chain=302; i=0; while [ $i -lt 30 ]; do chain="$chain,302"; i=$((i + 1)); done
cat > "$CFG/feeds" <<EOF2
$BASE/feed?items=3                     name="Good Wire"
$BASE/file/good.xml                    name="Good World"
$BASE/drip?bytes=100000&rate=50        name="H-drip"
$BASE/stall?bytes=10                   name="H-stall"
$BASE/endless                          name="H-endless"
$BASE/huge?size=40000000               name="H-huge"
$BASE/huge?size=40000000&chunked=1     name="H-huge-chunked"
$BASE/bomb?size=67108864&enc=gzip     name="H-bomb-gzip"
$BASE/bomb?size=67108864&enc=deflate  name="H-bomb-deflate"
$BASE/loop/a                           name="H-loop"
$BASE/redirect/$chain/feed             name="H-chain"
$BASE/to?url=file:///etc/passwd        name="H-to-file"
$BASE/to?url=ftp://127.0.0.1:$PORT/x   name="H-to-ftp"
$BASE/to?url=gopher://127.0.0.1:$PORT/ name="H-to-gopher"
$BASE/file/xxe-file.xml                name="H-xxe-file"
$BASE/file/xxe-url.xml                 name="H-xxe-url"
$BASE/file/laughs.xml                  name="H-laughs"
$BASE/file/deep.xml                    name="H-deep"
$BASE/file/wrongenc.xml                name="H-wrongenc"
$BASE/file/mixedenc.xml                name="H-mixedenc"
$BASE/file/nul.xml                     name="H-nul"
$BASE/file/page.html?ct=text/html      name="H-html"
$BASE/file/text.json?ct=application/feed%2Bjson
$BASE/file/markup.xml
EOF2
nfeeds=$(grep -c . "$CFG/feeds")

# on_bus LOG ERR COMMAND...: COMMAND on a private session bus with a mock
# notification daemon logging to LOG (as in notify-run.t), its standard
# error to ERR.
on_bus() {
	log=$1
	err=$2
	shift 2
	dbus-run-session -- sh -c '
		log=$1; err=$2; shift 2
		/usr/bin/python3 -m dbusmock --template notification_daemon \
		    -p "{\"capabilities\": \"body body-markup actions\"}" -l "$log" >/dev/null 2>&1 &
		i=0
		until gdbus call --session --dest org.freedesktop.DBus \
		    --object-path /org/freedesktop/DBus --method org.freedesktop.DBus.NameHasOwner \
		    org.freedesktop.Notifications 2>/dev/null | grep -q true; do
			i=$((i + 1)); [ $i -gt 100 ] && exit 99; sleep 0.1
		done
		"$@" 2>"$err"
		r=$?
		kill $! 2>/dev/null
		exit $r' sh "$log" "$err" "$@" 2>>"$T_TMP/bus.err"
}
# clean FILE NAME: no raw terminal control (C0 but tab/newline, DEL, C1)
# and no bidi override or isolate in FILE.
clean() {
	python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
bad = re.findall(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", t)
if bad:
    print("# control characters: %r" % sorted(set(bad)))
    sys.exit(1)
PY
	ok $? "$2: no terminal escape, control or bidi override character"
}
nosecret() {
	grep -q -- "$SECRET" "$1"
	[ $? -ne 0 ]
	ok $? "$2: the XXE secret does not appear"
}

# --- one round: run --once, with a notification daemon -------------------
# A first round with the good feeds only, so that there is state to keep.
head -2 "$CFG/feeds" > "$CFG/feeds.good"
cp "$CFG/feeds" "$CFG/feeds.all"
cp "$CFG/feeds.good" "$CFG/feeds"
ww run --once 2>"$T_TMP/pre.err"
is "$?" 0 "a first round with the two good feeds"
before=$(sqlite3 "$db" "select count(*) from items")
ok $([ "$before" -ge 5 ]; echo $?) "the good feeds stored $before items"
cp "$CFG/feeds.all" "$CFG/feeds"

NL="$T_TMP/notify.log"
start=$(date +%s)
on_bus "$NL" "$T_TMP/once.err" /usr/bin/time -v -o "$T_TMP/time1" \
    "$WIREWATCH" --config "$CFG" --state "$ST" run --once
r=$?
secs=$(( $(date +%s) - start ))
ok $([ $r -eq 0 ] || [ $r -eq 1 ]; echo $?) "run --once against $nfeeds feeds ends normally (exit $r, not a crash)"
is "$r" 1 "... and says some feeds failed"
ok $([ $secs -lt 60 ]; echo $?) "... within 60 s (took $secs s)"
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T_TMP/time1")
ok $([ "${rss:-999999}" -lt 204800 ]; echo $?) "... in less than 200 MB (max RSS ${rss:-?} kB)"

after=$(sqlite3 "$db" "select count(*) from items i join feeds f on f.id = i.feed_id where f.name like 'Good%'")
ok $([ "$after" -ge "$before" ]; echo $?) "the good feeds keep their items ($after)"
is "$(sqlite3 "$db" "select count(*) from feeds where name like 'Good%' and error is null")" 2 \
    "the good feeds were polled without error in the hostile round"
is "$(sqlite3 "$db" 'pragma integrity_check')" ok "the database is intact"

# One line per failing feed, naming it.
for h in drip stall endless huge huge-chunked bomb-gzip bomb-deflate loop chain \
    to-file to-ftp to-gopher html; do
	n=$(grep -c "H-$h:" "$T_TMP/once.err")
	is "$n" 1 "H-$h: reported once ($(grep -m1 "H-$h:" "$T_TMP/once.err" | cut -c1-100))"
done
like "$(grep 'H-drip:' "$T_TMP/once.err")" "timed out|too slow" "the drip feed times out"
like "$(grep 'H-stall:' "$T_TMP/once.err")" "timed out|too slow" "the stalled feed times out"
like "$(grep 'H-huge:' "$T_TMP/once.err")" "larger than" "the huge body stops at the cap"
like "$(grep 'H-bomb-gzip:' "$T_TMP/once.err")" "larger than" "the gzip bomb stops at the cap"
like "$(grep 'H-to-file:' "$T_TMP/once.err")" "file:" "the redirect to file: is refused, naming it"
unlike "$(cat "$T_TMP/once.err")" "root:x:0:0" "nothing of /etc/passwd is read"
# Documents that are bad but not fatal may store what they could read;
# either way at most one line each.
for h in xxe-file xxe-url laughs deep wrongenc mixedenc nul; do
	n=$(grep -c "H-$h:" "$T_TMP/once.err")
	ok $([ "$n" -le 1 ]; echo $?) "H-$h: at most one line of error ($n)"
done
n=$(grep -c . "$T_TMP/once.err")
ok $([ "$n" -le 24 ]; echo $?) "at most one line of error output per hostile feed ($n lines)"
clean "$T_TMP/once.err" "run --once error messages"
nosecret "$T_TMP/once.err" "run --once error messages"

# XXE: no entity loaded, no request for it.
sqlite3 "$db" .dump > "$T_TMP/dump.sql"
nosecret "$T_TMP/dump.sql" "the state database"
unlike "$(cat "$SRVLOG")" '/xxe/' "no request for an external entity, parameter entity or DTD"
unlike "$(cat "$SRVLOG")" '"path": "/x"' "no request followed to ftp: or gopher:"
hops=$(grep -c '"path": "/redirect/' "$SRVLOG")
ok $([ "$hops" -le 21 ]; echo $?) "the long redirect chain is cut short ($hops hops)"
loops=$(grep -c '"path": "/loop/' "$SRVLOG")
ok $([ "$loops" -le 21 ]; echo $?) "the redirect loop is cut short ($loops requests)"
x=$(sqlite3 "$db" "select count(*) from items where title like '%hahahahahahaha%' or length(summary) > 100000 or length(title) > 10000")
is "$x" 0 "no expanded entity stored"
x=$(sqlite3 "$db" "select count(*) from items where instr(title, char(0)) or instr(title, char(27))")
is "$x" 0 "no NUL or ESC in a stored title"

# Hostile text reached the store (otherwise the output checks below prove nothing).
x=$(sqlite3 "$db" "select count(*) from items where guid in ('hj-1','hj-2','hj-3','hj-4','hx-1','hx-2','hx-3')")
is "$x" 7 "the seven hostile-text items are stored"
x=$(sqlite3 "$db" "select count(distinct i.guid) from matches m join items i on i.id = m.item_id where i.guid like 'h_-%'")
ok $([ "$x" -ge 6 ]; echo $?) "and match a watch ($x of them)"

# Notification bodies.
ok $(grep -q ' Notify ' "$NL"; echo $?) "notifications were shown"
clean "$NL" "notifications"
unlike "$(cat "$NL")" '<script|<iframe|<img|<b onmouseover|<style' "notifications: no live markup from the feed"
unlike "$(cat "$NL")" 'javascript:|data:text' "notifications: no javascript: or data: link"
nosecret "$NL" "notifications"

# Every digest format.
for fmt in text markdown html json atom; do
	ww digest --no-fetch --since 30d --format $fmt >"$T_TMP/d.$fmt" 2>"$T_TMP/d.$fmt.err"
	is "$?" 0 "digest --format $fmt"
	like "$(cat "$T_TMP/d.$fmt")" 'Lukashenko' "digest $fmt lists the hostile items"
	clean "$T_TMP/d.$fmt" "digest $fmt"
	nosecret "$T_TMP/d.$fmt" "digest $fmt"
done
for fmt in markdown html atom; do
	unlike "$(cat "$T_TMP/d.$fmt")" '<(script|iframe|img|style>body\{display|b onmouseover)' "digest $fmt: no raw tag from the feed"
done
python3 - "$T_TMP" <<'PY' > "$T_TMP/links" 2>&1
import json, re, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
bad = []
def check(fmt, url):
    u = url.strip()
    if not re.match(r"(?i)https?://", u):
        bad.append("%s: %r" % (fmt, u))
html = open(d + "/d.html", encoding="utf-8").read()
for u in re.findall(r'(?i)\b(?:href|src)\s*=\s*"([^"]*)"', html):
    if not u.startswith("#"):
        check("html", u)
md = open(d + "/d.markdown", encoding="utf-8").read()
for u in re.findall(r"\]\(([^)\s]*)", md):
    check("markdown", u)
for u in re.findall(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>", md):
    check("markdown", u)
j = json.load(open(d + "/d.json", encoding="utf-8"))
def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k in ("url", "link", "href") and isinstance(v, str):
                check("json", v)
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(j)
root = ET.parse(d + "/d.atom").getroot()
for el in root.iter():
    if el.tag.endswith("}link") and "href" in el.attrib:
        check("atom", el.attrib["href"])
    if el.tag.endswith("}content") or el.tag.endswith("}summary"):
        if el.get("type") == "html" and re.search(r"(?i)<(script|iframe|img|style)", el.text or ""):
            bad.append("atom: live markup in escaped html content")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
r=$?
ok $r "only http(s) links in every digest, JSON parses, Atom is well-formed"
[ $r -eq 0 ] || head -10 "$T_TMP/links" | sed 's/^/#   /'

# feeds list, text and JSON.
ww feeds list >"$T_TMP/fl.txt" 2>&1
is "$?" 0 "feeds list"
is "$(grep -c 'H-' "$T_TMP/fl.txt")" 20 "feeds list shows every hostile feed"
clean "$T_TMP/fl.txt" "feeds list"
nosecret "$T_TMP/fl.txt" "feeds list"
ww feeds list --json >"$T_TMP/fl.json" 2>&1
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d if isinstance(d, list) else d.get("feeds", [])) >= 24 else 1)' "$T_TMP/fl.json"
ok $? "feeds list --json parses and lists every feed"
clean "$T_TMP/fl.json" "feeds list --json"

# rules test on the hostile documents, text and JSON.
for src in text.json markup.xml xxe-file.xml; do
	ww rules test "$BASE/file/$src" >"$T_TMP/rt.txt" 2>&1
	r=$?
	ok $([ $r -lt 2 ]; echo $?) "rules test $src ends normally (exit $r)"
	clean "$T_TMP/rt.txt" "rules test $src"
	nosecret "$T_TMP/rt.txt" "rules test $src"
	ww rules test --json "$BASE/file/$src" >"$T_TMP/rt.json" 2>"$T_TMP/rt.err"
	python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1]) if l.strip()] if not open(sys.argv[1]).read().lstrip().startswith(("{","[")) or True else 0' "$T_TMP/rt.json" 2>/dev/null ||
	    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T_TMP/rt.json"
	ok $? "rules test --json $src parses"
	clean "$T_TMP/rt.json" "rules test --json $src"
done

# parse prints the hostile document as JSON that parses and keeps no secret.
ww parse "$BASE/file/xxe-url.xml" >"$T_TMP/p.json" 2>"$T_TMP/p.err"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T_TMP/p.json" 2>/dev/null
ok $? "parse of the XXE document prints JSON that parses"
ww parse "$BASE/file/xxe-file.xml" >"$T_TMP/p.json" 2>"$T_TMP/p.err"
cat "$T_TMP/p.err" >> "$T_TMP/p.json"
nosecret "$T_TMP/p.json" "parse of the XXE document"
unlike "$(cat "$SRVLOG")" '/xxe/' "still no request for an external entity"

# --- the agent: a running `wirewatch run` through one hostile round ------
# A state of its own: an error is logged when a feed starts failing or its
# error changes, and in the state above every feed already failed once.
ST2="$T_TMP/state2"
db2="$ST2/wirewatch.db"
: > "$SRVLOG"
"$WIREWATCH" --config "$CFG" --state "$ST2" run >/dev/null 2>"$T_TMP/agent.err" </dev/null &
apid=$!
t_bg $apid
# until every feed had its turn and the two slow ones gave up
i=0
while [ $i -lt 300 ]; do
	n=$(sqlite3 "$db2" "select count(*) from feeds where last_attempt > 0" 2>/dev/null)
	[ "${n:-0}" -ge "$nfeeds" ] && grep -q 'H-drip:' "$T_TMP/agent.err" &&
	    grep -q 'H-stall:' "$T_TMP/agent.err" && break
	kill -0 $apid 2>/dev/null || break
	sleep 0.2; i=$((i + 1))
done
sleep 1
ok $([ -d /proc/$apid ] && ! grep -q '^State:.*Z' /proc/$apid/status; echo $?) \
    "the agent is still running after a round of hostile feeds"
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$apid/status 2>/dev/null)
ok $([ "${hwm:-999999}" -lt 204800 ]; echo $?) "the agent's peak memory stays under 200 MB (${hwm:-?} kB)"
like "$(cat "$SRVLOG")" '"path": "/feed\?items=3"' "the agent polled the good feed"
like "$(cat "$SRVLOG")" '"path": "/file/good.xml"' "and the other good one"
n=$(sqlite3 "$db2" "select count(*) from items i join feeds f on f.id = i.feed_id where f.name like 'Good%'")
ok $([ "$n" -ge 5 ]; echo $?) "the agent stored the good feeds' items ($n)"
for h in drip stall endless huge huge-chunked bomb-gzip bomb-deflate loop chain \
    to-file to-ftp to-gopher html; do
	n=$(grep -c "H-$h:" "$T_TMP/agent.err")
	is "$n" 1 "agent: H-$h reported once in the round"
done
for h in xxe-file xxe-url laughs deep wrongenc mixedenc nul; do
	n=$(grep -c "H-$h:" "$T_TMP/agent.err")
	ok $([ "$n" -le 1 ]; echo $?) "agent: H-$h at most one line ($n)"
done
clean "$T_TMP/agent.err" "agent log"
nosecret "$T_TMP/agent.err" "agent log"
unlike "$(cat "$SRVLOG")" '/xxe/' "the agent asked for no external entity"
kill -TERM $apid
i=0
while kill -0 $apid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
wait $apid
is "$?" 0 "the agent stops cleanly on SIGTERM after the hostile round"
is "$(sqlite3 "$db2" 'pragma integrity_check')" ok "its database is intact"
# The first state still has everything it had.
n=$(sqlite3 "$db" "select count(*) from items i join feeds f on f.id = i.feed_id where f.name like 'Good%'")
ok $([ "$n" -ge "$after" ]; echo $?) "no stored item lost ($n)"

[ -n "${HOSTILE_KEEP:-}" ] && cp -r "$T_TMP" "$HOSTILE_KEEP"
done_testing
