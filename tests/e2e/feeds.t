#!/bin/sh
# wirewatch feeds: add, remove, list, import, export against the feeds
# file in a throwaway HOME; a broken state database gives one clear line.
. "$(dirname "$0")/lib.sh"
W="$WIREWATCH"
CONF="$XDG_CONFIG_HOME/wirewatch"
FEEDS="$CONF/feeds"
STATE="$XDG_STATE_HOME/wirewatch"
OPML="$FIX/opml"

t "add creates the config dir and the feeds file" \
    "$W" feeds add https://world.example.org/rss --name 'World "Desk"' \
    --interval 45m --tag world --tag europe
is "$(cat "$FEEDS")" 'https://world.example.org/rss name="World \"Desk\"" interval=45m tag=world tag=europe' \
    "the line written"

"$W" feeds add https://world.example.org/rss >/dev/null 2>"$T_TMP/err"; r=$?
is "$r" 1 "adding the same URL again fails"
like "$(cat "$T_TMP/err")" "feeds:1: 'https://world.example.org/rss' is already listed" \
    "and says where it is listed"

"$W" feeds add ftp://example.org/feed >/dev/null 2>"$T_TMP/err"; r=$?
is "$r" 1 "ftp refused"
like "$(cat "$T_TMP/err")" "unsupported scheme 'ftp'" "with the reason"
"$W" feeds add https://x.example/ --interval 5 >/dev/null 2>&1; r=$?
is "$r" 2 "an interval without a unit is a usage error"
like "$("$W" feeds add --help)" "^usage: wirewatch feeds add URL \\[--name NAME\\]" \
    "feeds add --help"
like "$("$W" feeds --help)" "feeds import FILE.opml" "feeds --help lists the subcommands"
"$W" feeds frobnicate >/dev/null 2>&1; r=$?
is "$r" 2 "unknown subcommand is a usage error"

# A hand edit with comments and an error; add and remove keep the comments.
cat >>"$FEEDS" <<'XX'
# Belarus and neighbours
https://minsk.example.net/feed name=Minsk tag=belarus   # state media
https://broken.example.net/feed colour=red
XX
mkdir -p "$T_TMP/here"
printf '<rss version="2.0"><channel><title>x</title></channel></rss>\n' >"$T_TMP/here/local.xml"
(cd "$T_TMP/here" && "$W" feeds add ./local.xml --name Local) 2>"$T_TMP/err"
ok $? "a local file can be added from the command line"
like "$(tail -1 "$FEEDS")" "^$T_TMP/here/local.xml name=\"Local\"$" \
    "stored as an absolute path"

out=$("$W" feeds list 2>"$T_TMP/err"); r=$?
is "$r" 1 "list exits 1 when the feeds file has errors"
like "$(cat "$T_TMP/err")" "feeds:4: unknown option 'colour'" "the error names file and line"
like "$out" "^STATUS +LAST OK +FAILS +NEXT +FEED" "table header"
like "$out" "new +never +0 +due +World \"Desk\" <https://world.example.org/rss>" \
    "a never-polled feed is new"
like "$out" "Minsk <https://minsk.example.net/feed>" "hand-added feed listed"
unlike "$out" "broken.example.net" "the broken line is not listed"
[ ! -e "$STATE/wirewatch.db" ]
ok $? "listing does not create a state database"

sed -i '/colour=red/d' "$FEEDS"
out=$("$W" feeds list --json); r=$?
is "$r" 0 "list --json"
printf '%s' "$out" | python3 -c '
import json, sys
v = json.load(sys.stdin)
assert [f["url"] for f in v] == ["https://world.example.org/rss",
    "https://minsk.example.net/feed", sys.argv[1]], v
assert v[0]["name"] == "World \"Desk\"" and v[0]["tags"] == ["world", "europe"]
assert v[0]["interval"] == 2700 and v[0]["status"] == "new"
assert v[0]["last_success"] is None and v[2]["local"] is True
' "$T_TMP/here/local.xml"
ok $? "JSON has url, name, tags, interval, status"

t "remove by name (case ignored)" "$W" feeds remove minsk
unlike "$(cat "$FEEDS")" "minsk.example.net" "the line is gone"
like "$(cat "$FEEDS")" "# Belarus and neighbours" "the comment stays"
"$W" feeds remove https://nope.example/ 2>"$T_TMP/err"; r=$?
is "$r" 1 "removing an unknown feed fails"
like "$(cat "$T_TMP/err")" "no feed 'https://nope.example/'" "and says so"

# Import: only http(s), duplicates and scrapers skipped, folders become tags.
out=$("$W" feeds import "$OPML/mixed.opml" 2>"$T_TMP/err"); r=$?
is "$r" 0 "import of a hand-made list"
is "$out" "imported 2 feeds, skipped 6" "summary"
like "$(cat "$T_TMP/err")" "skipped file:///etc/passwd: only http:// and https://" \
    "file: URL skipped"
like "$(cat "$T_TMP/err")" "skipped javascript:alert\(1\)" "javascript: skipped"
like "$(cat "$T_TMP/err")" "skipped https://good.example.org/feed: already listed" \
    "duplicate skipped"
unlike "$(cat "$FEEDS")" "passwd|ftp:|javascript" "nothing unsafe reached the feeds file"
like "$(cat "$FEEDS")" "https://good.example.org/feed name=\"Good one\" tag=World/Europe tag=Belarus" \
    "categories became tags"

out=$("$W" feeds import "$OPML/freshrss.opml" 2>"$T_TMP/err")
is "$out" "imported 4 feeds, skipped 1" "FreshRSS export: four feeds"
like "$(cat "$T_TMP/err")" "not a feed \(type 'HTML\+XPath'\)" "the scraper is skipped"
out=$("$W" feeds import "$OPML/doctype.opml" 2>"$T_TMP/err"); r=$?
is "$r" 1 "OPML with a DOCTYPE refused"
like "$(cat "$T_TMP/err")" "DOCTYPE" "and says why"

# Export is valid XML and imports back into an empty config to the same list.
"$W" feeds export >"$T_TMP/out.opml" 2>"$T_TMP/err"
ok $? "export"
like "$(cat "$T_TMP/err")" "local.xml: a local file, not exported" "local feeds are not exported"
python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$T_TMP/out.opml"
ok $? "export is well-formed XML"
"$W" --config "$T_TMP/conf2" feeds import "$T_TMP/out.opml" >/dev/null 2>&1
ok $? "export imports into a fresh config"
# OPML has no place for the poll interval; everything else comes back.
grep -v -e '^#' -e '^$' -e 'local.xml' "$FEEDS" | sed 's/ interval=[^ ]*//' |
    sort >"$T_TMP/a"
sort "$T_TMP/conf2/feeds" >"$T_TMP/b"
cmp -s "$T_TMP/a" "$T_TMP/b"
ok $? "round trip: same URLs, names and tags"
[ $? -eq 0 ] || diff "$T_TMP/a" "$T_TMP/b" | sed 's/^/#   /'

# Round trips of the other readers' exports.
for f in newsboat freshrss miniflux; do
	"$W" --config "$T_TMP/$f" feeds import "$OPML/$f.opml" >/dev/null 2>&1
	"$W" --config "$T_TMP/$f" feeds export >"$T_TMP/$f.out" 2>/dev/null
	"$W" --config "$T_TMP/$f.2" feeds import "$T_TMP/$f.out" >/dev/null 2>&1
	cmp -s "$T_TMP/$f/feeds" "$T_TMP/$f.2/feeds"
	ok $? "$f export: import, export, import gives the same feeds file"
done
like "$(cat "$T_TMP/miniflux/feeds")" 'https://dispatch.example.cn/feeds/world.xml name="Beijing Dispatch" tag=Asia' \
    "miniflux folder became a tag"

# Twenty adds at once: the edits are serialised, none is lost.
i=0
while [ $i -lt 20 ]; do
	"$W" --config "$T_TMP/par" feeds add "https://p$i.example/feed" --tag par &
	i=$((i + 1))
done
wait
is "$(grep -c '^https://p[0-9]*\.example/feed tag=par$' "$T_TMP/par/feeds")" 20 \
    "twenty concurrent adds, twenty lines"

# Health after a real poll of a loopback server: ok, failing, gone.
start_server
H="$T_TMP/health"
mkdir -p "$H"
cat >"$H/feeds" <<XX
$BASE/feed?items=3 name=Good
$BASE/status/500 name=Broken
$BASE/status/410 name=Retired
XX
"$W" --config "$H" --state "$H/state" run --once >/dev/null 2>&1
is "$?" 1 "run --once fails when a feed fails"
out=$("$W" --config "$H" --state "$H/state" feeds list)
like "$out" "^ok +[0-9]+s ago +0 +in [0-9]+m +Good <$BASE/feed\\?items=3>" \
    "the good feed is ok, polled seconds ago"
like "$out" "failing +never +1 +in [0-9]+[mh] +Broken <" "the 500 is failing, once"
like "$out" "error: .*500" "with its error"
like "$out" "gone +never +1 +- +Retired <" "the 410 is gone, not polled again"
"$W" --config "$H" --state "$H/state" feeds list --json | python3 -c '
import json, sys
v = {f["name"]: f for f in json.load(sys.stdin)}
assert v["Good"]["status"] == "ok" and v["Good"]["items"] == 3, v["Good"]
assert v["Good"]["last_success"] is not None and v["Good"]["http_status"] == 200
assert v["Broken"]["http_status"] == 500 and v["Broken"]["failures"] == 1
assert v["Retired"]["status"] == "gone" and v["Retired"]["http_status"] == 410
'
ok $? "JSON health: status, items, http_status, failures"

# A broken state database: one clear line, no crash.
mkdir -p "$STATE"
head -c 8192 /dev/urandom >"$STATE/wirewatch.db"
out=$("$W" feeds list 2>"$T_TMP/err"); r=$?
is "$r" 1 "random bytes as the database: failure"
is "$(wc -l <"$T_TMP/err" | tr -d ' ')" 1 "one line on stderr"
like "$(cat "$T_TMP/err")" "wirewatch.db: cannot read the state database: file is not a database" \
    "it names the file and the problem"
if command -v sqlite3 >/dev/null 2>&1; then
	rm -f "$STATE/wirewatch.db"
	sqlite3 "$STATE/wirewatch.db" 'CREATE TABLE notes (t TEXT);'
	"$W" feeds list >/dev/null 2>"$T_TMP/err"; r=$?
	is "$r" 1 "another program's SQLite file: failure"
	like "$(cat "$T_TMP/err")" "not a wirewatch database" "and says so"
	is "$(sqlite3 "$STATE/wirewatch.db" 'PRAGMA journal_mode')" "delete" \
	    "the foreign file was not touched"
fi

done_testing
