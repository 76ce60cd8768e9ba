#!/bin/sh
# Crash safety: `wirewatch run` against feeds that change between polls
# (some slow) is SIGKILLed at a random moment, again and again. After each
# kill the database passes PRAGMA integrity_check, every item committed
# before it is still there, and no notification is shown twice (a mock
# notification daemon on a private bus logs what is shown); the agent
# restarts cleanly. Also: a corrupt database file and a foreign SQLite
# database give a one-line error and a non-zero exit, never a crash, and a
# second agent on the same state refuses.
. "$WW_SRC/tests/e2e/lib.sh"
export TZ=UTC
CFG="$T_TMP/cfg"
ST="$T_TMP/state"
db="$ST/wirewatch.db"
mkdir -p "$CFG"
ww() { "$WIREWATCH" --config "$CFG" --state "$ST" "$@"; }
start_server --root "$FIX/agent"
ITER=${CRASH_ITERATIONS:-15}

# A private session bus with a mock notification daemon for the whole test.
eval "$(dbus-launch --sh-syntax 2>/dev/null)"
if [ -n "${DBUS_SESSION_BUS_PID:-}" ]; then
	t_bg "$DBUS_SESSION_BUS_PID"
	NL="$T_TMP/notify.log"
	/usr/bin/python3 -m dbusmock --template notification_daemon \
	    -p '{"capabilities": "body body-markup actions"}' -l "$NL" >/dev/null 2>&1 &
	MOCK=$!
	t_bg $MOCK
	i=0
	until gdbus call --session --dest org.freedesktop.DBus \
	    --object-path /org/freedesktop/DBus --method org.freedesktop.DBus.NameHasOwner \
	    org.freedesktop.Notifications 2>/dev/null | grep -q true; do
		i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.1
	done
fi
ok $([ -n "${NL:-}" ] && [ $i -le 100 ]; echo $?) "a mock notification daemon on a private bus"

cat > "$CFG/feeds" <<EOF2
$BASE/changing?every=1&f=1&text=EU+adopts+new+sanctions+on+Russia+and+Belarus  name="Changing One"
$BASE/changing?every=1&f=2&delay=400       name="Changing Slow"
$BASE/changing?every=2&f=3                 name="Changing Two"
$BASE/changing?every=1&f=4&delay=900&text=Xi+hosts+Lukashenko+pledging+deeper+security+ties  name="Changing Slower"
$BASE/file/world.xml                       name="Northgate World"
$BASE/file/wire.xml?delay=300              name="Eastern Wire"
$BASE/drip?bytes=3000&rate=1500            name="Drip"
EOF2
printf 'interval = 1m\njitter = 0\nnotify-backlog = yes\nmax-per-hour = 10000\n' > "$CFG/config"

snap="$T_TMP/snap"
: > "$snap"
bad_integrity=0 lost=0 dups=0 crashed=0
k=1
while [ $k -le "$ITER" ]; do
	# Every feed due again: the changing ones have a new version each time.
	[ -f "$db" ] && sqlite3 "$db" "update feeds set next_poll = 0" 2>/dev/null
	"$WIREWATCH" --config "$CFG" --state "$ST" run >/dev/null 2>>"$T_TMP/agent.err" </dev/null &
	pid=$!
	# 0.1 to 5 s: before, during and after a round's notifications
	ms=$(awk -v s="$k$$" 'BEGIN { srand(s); print int(100 + rand() * 4900) }')
	sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
	if ! kill -0 $pid 2>/dev/null; then
		wait $pid
		crashed=$((crashed + 1))
		echo "# iteration $k: the agent was gone before the kill (exit $?)"
	fi
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	if [ -f "$db" ]; then
		r=$(sqlite3 "$db" 'pragma integrity_check' 2>&1)
		[ "$r" = ok ] || { bad_integrity=$((bad_integrity + 1)); echo "# iteration $k: $r"; }
		sqlite3 "$db" "select guid || ' ' || feed_id from items" | sort > "$T_TMP/now"
		missing=$(comm -23 "$snap" "$T_TMP/now" | wc -l)
		[ "$missing" -eq 0 ] || { lost=$((lost + missing)); echo "# iteration $k: $missing items lost"; }
		cp "$T_TMP/now" "$snap"
	fi
	k=$((k + 1))
done
is "$crashed" 0 "the agent was running at every kill ($ITER kills)"
is "$bad_integrity" 0 "integrity_check is ok after every SIGKILL"
is "$lost" 0 "no committed item is lost after a SIGKILL"
n=$(wc -l < "$snap")
ok $([ "$n" -gt 10 ]; echo $?) "items were committed between kills ($n)"
v=$(sqlite3 "$db" "select count(distinct substr(guid, 1, instr(substr(guid, 28), '/') + 27)) from items i join feeds f on f.id = i.feed_id where f.name = 'Changing One'")
ok $([ "$v" -gt 2 ]; echo $?) "the changing feed's versions were stored in several rounds ($v)"

# No (story, watch) or (item, watch) twice, each shown at most once.
d=$(sqlite3 "$db" "select count(*) from (select story_key, watch from notifications where story_key is not null group by 1, 2 having count(*) > 1)")
is "$d" 0 "at most one notification per story and watch"
d=$(sqlite3 "$db" "select count(*) from (select item_id, watch from notifications group by 1, 2 having count(*) > 1)")
is "$d" 0 "at most one notification per item and watch"
if [ -n "${NL:-}" ]; then
	# The mock writes its log out when it stops: end its bus.
	kill -TERM "$DBUS_SESSION_BUS_PID" 2>/dev/null
	i=0
	while kill -0 $MOCK 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	kill -INT $MOCK 2>/dev/null
	wait $MOCK 2>/dev/null
	unset DBUS_SESSION_BUS_ADDRESS
	# Each article in at most one notification of a watch: the log has one
	# Notify call per entry, its summary names the watch, the body lists
	# headlines in <b>.
	python3 - "$NL" > "$T_TMP/dups" <<'PY'
import re, sys
log = open(sys.argv[1], encoding="utf-8", errors="replace").read()
calls = re.split(r"(?m)^[0-9.]+ (?=[A-Z])", log)
seen, dups, n = set(), [], 0
for c in calls:
    if not c.startswith("Notify "):
        continue
    n += 1
    m = re.match(r'Notify "[^"]*" \d+ "[^"]*" "([^"]*)" "(.*)', c, re.S)
    if not m:
        continue
    for h in set(re.findall(r"<b>(.*?)</b>", m.group(2))):
        if (m.group(1), h) in seen:
            dups.append("%s: %s" % (m.group(1), h))
        seen.add((m.group(1), h))
print("shown %d" % n)
print("\n".join(dups))
PY
	shown=$(sed -n 's/^shown //p' "$T_TMP/dups")
	sent=$(sqlite3 "$db" "select count(*) from notifications where state = 'sent'")
	ok $([ "${shown:-0}" -gt 0 ]; echo $?) "notifications were shown between the kills (${shown:-0})"
	ok $([ "${shown:-0}" -le "$sent" ]; echo $?) "no more notifications shown (${shown:-0}) than recorded as sent ($sent)"
	is "$(sed 1d "$T_TMP/dups" | grep -c .)" 0 "no article announced twice for a watch across the kills"
	sed 1d "$T_TMP/dups" | grep . | head -5 | sed 's/^/#   /'
fi

# A clean restart after the last kill.
sqlite3 "$db" "update feeds set next_poll = 0"
ww run --once >/dev/null 2>"$T_TMP/last.err"
r=$?
ok $([ $r -eq 0 ] || [ $r -eq 1 ]; echo $?) "run --once after the last SIGKILL ends normally (exit $r)"
unlike "$(cat "$T_TMP/last.err")" 'database|locked|corrupt|journal' "and has no complaint about the state"
is "$(sqlite3 "$db" 'pragma integrity_check')" ok "the database is intact at the end"
unlike "$(cat "$T_TMP/agent.err")" 'Sanitizer|runtime error|corrupt|malformed' "no agent reported a sanitizer error or a damaged database"

# Two agents on the same state: the second refuses, in one line.
"$WIREWATCH" --config "$CFG" --state "$ST" run >/dev/null 2>"$T_TMP/a1.err" </dev/null &
pid=$!
t_bg $pid
i=0
until ww status 2>/dev/null | grep -q "^agent: *pid\|^agent: *running"; do
	i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.1
done
for mode in run "run --once"; do
	# (bounded: an agent that wrongly starts must not hang the test)
	timeout 30 "$WIREWATCH" --config "$CFG" --state "$ST" $mode >/dev/null 2>"$T_TMP/a2.err" </dev/null
	r=$?
	ok $([ $r -ne 0 ] && [ $r -lt 128 ]; echo $?) "a second agent ($mode) refuses with an exit status ($r)"
	like "$(cat "$T_TMP/a2.err")" 'another wirewatch agent' "... saying another agent runs"
	is "$(grep -c . "$T_TMP/a2.err")" 1 "... in one line"
done
kill -0 $pid 2>/dev/null
ok $? "the first agent keeps running"
kill -TERM $pid
wait $pid
is "$?" 0 "and stops on SIGTERM"

# A corrupt database file and a foreign SQLite database.
check_bad_state() {	# DIR WHAT
	for cmd in "run --once" status "feeds list" "digest --no-fetch"; do
		"$WIREWATCH" --config "$CFG" --state "$1" $cmd >/dev/null 2>"$T_TMP/bad.err" </dev/null
		r=$?
		ok $([ $r -ne 0 ] && [ $r -lt 128 ]; echo $?) "$2: $cmd fails without a crash (exit $r)"
		is "$(grep -c . "$T_TMP/bad.err")" 1 "$2: $cmd says so in one line"
		like "$(cat "$T_TMP/bad.err")" 'wirewatch.db' "$2: $cmd names the database ($(head -c 120 "$T_TMP/bad.err"))"
		unlike "$(cat "$T_TMP/bad.err")" 'Sanitizer|runtime error' "$2: $cmd: no sanitizer report"
	done
}
mkdir -p "$T_TMP/corrupt"
head -c 65536 /dev/urandom > "$T_TMP/corrupt/wirewatch.db"
check_bad_state "$T_TMP/corrupt" "random bytes"
# A real SQLite file whose pages were overwritten in the middle.
mkdir -p "$T_TMP/torn"
cp "$db" "$T_TMP/torn/wirewatch.db"
sz=$(wc -c < "$T_TMP/torn/wirewatch.db")
head -c 8192 /dev/urandom | dd of="$T_TMP/torn/wirewatch.db" bs=1 seek=$((sz / 2)) conv=notrunc 2>/dev/null
"$WIREWATCH" --config "$CFG" --state "$T_TMP/torn" run --once >/dev/null 2>"$T_TMP/bad.err" </dev/null
r=$?
ok $([ $r -lt 128 ]; echo $?) "a database damaged in the middle: run --once does not crash (exit $r)"
mkdir -p "$T_TMP/foreign"
sqlite3 "$T_TMP/foreign/wirewatch.db" "create table recipes (id integer primary key, name text); insert into recipes (name) values ('soup');"
check_bad_state "$T_TMP/foreign" "a foreign SQLite database"
is "$(sqlite3 "$T_TMP/foreign/wirewatch.db" 'select name from recipes')" soup "the foreign database is left as it was"

[ -n "${CRASH_KEEP:-}" ] && cp -r "$T_TMP" "$CRASH_KEEP"
done_testing
