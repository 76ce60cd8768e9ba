#!/bin/sh
# The agent end to end against tests/server.py on 127.0.0.1: first poll,
# conditional re-poll, story de-duplication, failing and gone feeds,
# signals (TERM, HUP with bad rules), SIGKILL mid-poll and restart.
. "$(dirname "$0")/lib.sh"
start_server --root "$FIX/agent"
CFG="$T_TMP/cfg"
ST="$T_TMP/state"
mkdir -p "$CFG"
ww() { "$WIREWATCH" --config "$CFG" --state "$ST" "$@"; }
# wait_agent: until the agent holds its lock (status says running), 10 s at most
wait_agent() {
	_w=0
	until ww status 2>/dev/null | grep -q "^agent: *pid\|^agent: *running\|another wirewatch"; do
		_w=$((_w + 1)); [ $_w -gt 100 ] && return 1; sleep 0.1
	done
}
cat > "$CFG/feeds" <<EOF2
# test feeds
$BASE/file/world.xml?etag=w1   name="Northgate World"
$BASE/file/wire.xml            name="Eastern Wire"
EOF2
printf 'interval = 1m\njitter = 0\n' > "$CFG/config"

ww run --once 2>"$T_TMP/err1"
is "$?" 0 "run --once polls both feeds and exits 0"
like "$(ww feeds list 2>&1)" "ok" "feeds list shows the feeds healthy"
db="$ST/wirewatch.db"
ok $([ -f "$db" ]; echo $?) "the state database exists"
n=$(sqlite3 "$db" "select count(*) from items")
is "$n" 6 "six items stored"
m=$(sqlite3 "$db" "select rule from matches m join items i on i.id = m.item_id where i.guid = 'ng-2026-1101' order by rule" | tr '\n' ' ')
like "$m" "belarus .*china .*china-belarus " "the Beijing visit matches china, belarus and china-belarus"
m=$(sqlite3 "$db" "select count(*) from matches m join items i on i.id = m.item_id where i.guid in ('ng-2026-1103', 'ng-2026-1104', 'urn:example:eastern-wire:5502') and m.rule in ('china', 'united-states', 'sco')")
is "$m" 0 "fine china, Denzel Washington and Tesco match no actor"
p=$(sqlite3 "$db" "select count(*) from notifications")
is "$p" 0 "the first poll of a new feed queues no notification (backlog)"

# Second poll: conditional GET, nothing new
: > "$SRVLOG"
ww run --once 2>"$T_TMP/err2"
is "$?" 0 "second run --once exits 0"
like "$(cat "$SRVLOG")" '"if-none-match": "w1"' "If-None-Match sent with the stored ETag"
like "$(cat "$SRVLOG")" '"user-agent": "wirewatch/' "User-Agent names wirewatch"
n=$(sqlite3 "$db" "select count(*) from items")
is "$n" 6 "nothing stored twice"

# Digest of what is stored, grouped by watch and story
out=$(ww digest --no-fetch --since 30d --format json)
like "$out" '"watch":"china-belarus"' "digest json has the China–Belarus group"
nstories=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); g=[g for g in d["groups"] if g["watch"]=="china-belarus"][0]; print(len(g["stories"]), len(g["stories"][0]["sources"]))')
is "$nstories" "1 2" "the same story from two feeds is one entry with two sources"
out=$(ww digest --no-fetch --since 30d --format text)
like "$out" "Xi hosts Lukashenko" "text digest lists the headline"
unlike "$out" "Fine china|Denzel" "text digest leaves out the false friends"

# A failing feed and a gone one
cat >> "$CFG/feeds" <<EOF2
$BASE/status/500   name="Broken"
$BASE/status/410   name="Retired"
EOF2
ww run --once 2>"$T_TMP/err3"
is "$?" 1 "run --once exits 1 when a feed failed"
like "$(cat "$T_TMP/err3")" "Broken: failing: .*500" "the failure is logged with its status"
like "$(cat "$T_TMP/err3")" "Retired: gone" "410 is reported as gone"
list=$(ww feeds list 2>&1)
like "$list" "failing" "feeds list shows the failing feed"
like "$list" "gone" "feeds list shows the gone feed"
: > "$SRVLOG"
ww run --once 2>/dev/null
unlike "$(cat "$SRVLOG")" '/status/410' "a gone feed is not polled again"
like "$(cat "$SRVLOG")" '/status/500' "a failing feed keeps being polled"

# Redirects and Retry-After, as the agent sees them
cat > "$CFG/feeds" <<EOF2
$BASE/redirect/301,308/file/world.xml?etag=w1   name="Moved"
$BASE/redirect/302/file/wire.xml                name="Temporary"
$BASE/status/503?h=Retry-After:7200              name="Busy"
EOF2
: > "$SRVLOG"
ww run --once 2>/dev/null
json=$(ww feeds list --json)
moved=$(printf '%s' "$json" | python3 -c 'import json,sys
for f in json.load(sys.stdin):
    print(f.get("name"), f.get("moved_to") or "-", f.get("status"))')
like "$moved" "Moved $BASE/file/world.xml\\?etag=w1 ok" "only permanent hops (301, 308) move the stored URL"
like "$moved" "Temporary - ok" "a temporary redirect (302) keeps the URL"
busy=$(sqlite3 "$db" "select next_poll - last_attempt from feeds where url like '%/status/503%'")
ok $([ "$busy" -ge 7000 ]; echo $?) "503 with Retry-After: 7200 waits that long ($busy s)"
: > "$SRVLOG"
ww run --once 2>/dev/null
unlike "$(cat "$SRVLOG")" '"/redirect/301' "the moved feed is fetched at its new URL"
like "$(cat "$SRVLOG")" '"/file/world.xml\?etag=w1' "directly"

# The agent: SIGHUP with broken rules keeps running, SIGTERM stops it
mkdir -p "$CFG/rules"
cp -r "$WW_SRC/rules/." "$CFG/rules/"
"$WIREWATCH" --config "$CFG" --state "$ST" run >/dev/null 2>"$T_TMP/agent.err" </dev/null &
pid=$!
t_bg $pid
wait_agent
ok $? "the agent starts and takes its lock"
ww run --once 2>"$T_TMP/err4"
r=$?
is "$r" 1 "a second agent on the same state refuses"
like "$(cat "$T_TMP/err4")" "another wirewatch agent" "and says why"
printf 'watch broken "Broken"\n  match @nosuchactor\n' > "$CFG/rules/zz-broken.rules"
kill -HUP $pid
_w=0
until grep -q "keeping the rules" "$T_TMP/agent.err" || [ $_w -gt 50 ]; do sleep 0.1; _w=$((_w + 1)); done
kill -0 $pid 2>/dev/null
ok $? "a bad rule edit does not take the agent down"
like "$(cat "$T_TMP/agent.err")" "keeping the rules loaded before" "the bad edit is reported"
kill -TERM $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 $pid 2>/dev/null
r=$?
[ $r -ne 0 ]
ok $? "SIGTERM stops the agent within five seconds"
wait $pid
is "$?" 0 "the agent exits 0 on SIGTERM"
rm "$CFG/rules/zz-broken.rules"

# SIGKILL in the middle of a poll, then a clean restart
cat > "$CFG/feeds" <<EOF2
$BASE/file/world.xml?etag=w1
$BASE/file/wire.xml
$BASE/drip?bytes=4000&rate=200   name="Slow"
EOF2
before=$(sqlite3 "$db" "select count(*) from items")
"$WIREWATCH" --config "$CFG" --state "$ST" run >/dev/null 2>&1 </dev/null &
pid=$!
t_bg $pid
sleep 1.5
kill -KILL $pid
wait $pid 2>/dev/null
is "$(sqlite3 "$db" 'pragma integrity_check')" "ok" "the database is intact after SIGKILL"
n=$(sqlite3 "$db" "select count(*) from items")
is "$n" "$before" "no committed item lost"
ww run --once 2>/dev/null
is "$(sqlite3 "$db" 'pragma integrity_check')" "ok" "a restart after SIGKILL works"

done_testing
