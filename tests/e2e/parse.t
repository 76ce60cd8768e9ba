#!/bin/sh
# End-to-end: wirewatch parse on files, standard input and URLs from a
# loopback server. Each fixture in tests/fixtures/feeds/ that has a golden
# file in expected/ must give exactly that JSON.
. "$WW_SRC/tests/e2e/lib.sh"
F="$FIX/feeds"

for want in "$F"/expected/*.json; do
	name=$(basename "$want" .json)
	src=$(ls "$F/$name".* 2>/dev/null | head -1)
	"$WIREWATCH" parse "$src" >"$T_TMP/got" 2>"$T_TMP/err"
	r=$?
	ok $r "parse $(basename "$src") exits 0"
	cmp -s "$T_TMP/got" "$want"
	r=$?
	ok $r "parse $(basename "$src") gives expected/$name.json"
	[ $r -eq 0 ] || diff "$want" "$T_TMP/got" | head -10 | sed 's/^/#   /'
done

# Not feeds: exit 1, one line on stderr naming the source, nothing on stdout.
for case in "not-feed-page.html:an HTML page, not a feed" \
    "not-feed-xhtml.xml:an HTML page, not a feed" \
    "empty.xml:empty document" "blank.xml:empty document" \
    "garbage.png:not a feed: neither XML nor JSON" \
    "not-feed.json:not a feed: JSON but not a JSON Feed" \
    "other-root.xml:not a feed: root element <opml>" \
    "malformed.json:invalid JSON at byte 83: expected a member name"; do
	file=${case%%:*}
	msg=${case#*:}
	"$WIREWATCH" parse "$F/$file" >"$T_TMP/out" 2>"$T_TMP/err"
	is "$?" 1 "$file: exit 1"
	is "$(cat "$T_TMP/err")" "wirewatch: $F/$file: $msg" "$file: the message"
	is "$(wc -l <"$T_TMP/err" | tr -d ' ')" 1 "$file: one line"
	is "$(wc -c <"$T_TMP/out" | tr -d ' ')" 0 "$file: no output"
done

"$WIREWATCH" parse "$F/no-such-file.xml" >/dev/null 2>"$T_TMP/err"
is "$?" 1 "missing file: exit 1"
like "$(cat "$T_TMP/err")" "no-such-file.xml: No such file" "missing file: says so"
"$WIREWATCH" parse >/dev/null 2>"$T_TMP/err"
is "$?" 2 "no SOURCE: usage, exit 2"
like "$(cat "$T_TMP/err")" "^usage: wirewatch .*parse SOURCE" "usage line"

# Standard input.
"$WIREWATCH" parse - <"$F/rss2-wire.xml" >"$T_TMP/got" 2>"$T_TMP/err"
is "$?" 0 "parse - exits 0"
cmp -s "$T_TMP/got" "$F/expected/rss2-wire.json"
ok $? "parse - reads standard input"

# The output is JSON that a JSON parser accepts, for every fixture.
bad=0
for src in "$F"/*.xml "$F"/*.rdf "$F"/*.json; do
	"$WIREWATCH" parse "$src" 2>/dev/null | python3 -c 'import json,sys; d=sys.stdin.read(); d and json.loads(d)' || bad=$((bad + 1))
done
is "$bad" 0 "every output parses as JSON"

# URLs: links resolve against the URL, the HTTP charset is used.
start_server --root "$F"
out=$("$WIREWATCH" parse "$BASE/file/ids.xml" 2>"$T_TMP/err")
is "$?" 0 "parse URL exits 0"
like "$out" "\"link\":\"$BASE/d\\?x=1&y=2\"" "relative link resolved against the URL"
out=$("$WIREWATCH" parse "$BASE/file/enc-http-charset.xml?ct=text/xml%3B%20charset%3Dwindows-1251")
like "$out" '"title":"Утренние новости"' "charset from the Content-Type header"
out=$("$WIREWATCH" parse "$BASE/file/enc-koi8-r.xml?ct=text/xml%3B%20charset%3Diso-8859-1")
like "$out" '"title":"Вечерние известия"' "the XML declaration beats the header"
"$WIREWATCH" parse "$BASE/status/404" >/dev/null 2>"$T_TMP/err"
is "$?" 1 "HTTP 404: exit 1"
is "$(wc -l <"$T_TMP/err" | tr -d ' ')" 1 "HTTP 404: one line"
"$WIREWATCH" parse "$BASE/file/not-feed-page.html?ct=text/html" >/dev/null 2>"$T_TMP/err"
like "$(cat "$T_TMP/err")" "an HTML page, not a feed" "an HTML page by URL"
grep -q '"path": "/file/ids.xml"' "$SRVLOG"
ok $? "the server saw the request"

done_testing
