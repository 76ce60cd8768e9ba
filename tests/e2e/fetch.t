#!/bin/sh
# End to end: `wirewatch parse URL` goes through the fetcher (fetch_url).
# The loopback server's request log shows what was sent.
. "$WW_SRC/tests/e2e/lib.sh"
start_server --root "$FIX/fetch"

out=$("$WIREWATCH" parse "$BASE/redirect/301,302/feed?items=2&enc=gzip" 2>"$T_TMP/err"); r=$?
is "$r" 0 "parse URL: redirects followed, gzip decoded"
like "$out" '"format":"rss2.0"' "parse URL: RSS read"
like "$out" '"title":"Dispatch 0.1: ' "parse URL: second item read"
line=$(grep '"path": "/feed?items=2&enc=gzip"' "$SRVLOG")
like "$line" '"user-agent": "wirewatch/[0-9.]+ \(\+' "User-Agent names wirewatch and its version"
like "$line" '"accept-encoding": "[^"]*gzip' "gzip offered"
like "$line" '"accept": "application/atom\+xml' "feed types accepted"

out=$("$WIREWATCH" parse "$BASE/file/static.atom" 2>"$T_TMP/err"); r=$?
is "$r" 0 "parse URL: a file served by the test server"
like "$out" '"format":"atom1.0"' "... read as Atom"

"$WIREWATCH" parse "$BASE/to?code=302&url=file:///etc/passwd" >"$T_TMP/out" 2>"$T_TMP/err"; r=$?
ok $([ "$r" -ne 0 ]; echo $?) "redirect to file:///etc/passwd fails"
like "$(cat "$T_TMP/err")" 'forbidden URL: file:///etc/passwd' "... saying why"
is "$(wc -l <"$T_TMP/err" | tr -d ' ')" 1 "... in one line"
is "$(wc -c <"$T_TMP/out" | tr -d ' ')" 0 "... and prints nothing"

"$WIREWATCH" parse "$BASE/status/410" >"$T_TMP/out" 2>"$T_TMP/err"; r=$?
ok $([ "$r" -ne 0 ]; echo $?) "410 fails"
like "$(cat "$T_TMP/err")" '410' "... naming the status"

"$WIREWATCH" parse "$BASE/endless" >"$T_TMP/out" 2>"$T_TMP/err"; r=$?
ok $([ "$r" -ne 0 ]; echo $?) "endless body fails"
like "$(cat "$T_TMP/err")" 'larger than' "... at the size cap"

"$WIREWATCH" parse "gopher://127.0.0.1:$PORT/" >"$T_TMP/out" 2>"$T_TMP/err"; r=$?
ok $([ "$r" -ne 0 ]; echo $?) "gopher: URL is not fetched"
n=$(grep -c . "$SRVLOG")
is "$n" 7 "the server saw only the expected requests (3 hops, 4 single ones)"

done_testing
