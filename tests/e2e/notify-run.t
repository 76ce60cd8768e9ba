#!/bin/sh
# Notifications from the agent on a private session bus with python3-dbusmock:
# one notification per watch per poll (a burst is coalesced), the same story
# from two feeds notifies once naming both, escaping, urgency from the watch
# priority, quiet hours held then summed up, digest-only watches, and no
# notification server at all (never fatal, everything still in the digest).
. "$(dirname "$0")/lib.sh"
export TZ=UTC
CFG="$T_TMP/cfg"
ST="$T_TMP/state"
mkdir -p "$CFG"
ww() { "$WIREWATCH" --config "$CFG" --state "$ST" "$@"; }
cat > "$CFG/feeds" <<EOF2
$FIX/agent/world.xml   name="Northgate World"
$FIX/agent/wire.xml    name="Eastern Wire"
$FIX/agent/burst.xml   name="Sanctions Monitor"
EOF2

# on_bus LOG COMMAND...: COMMAND on a fresh bus with a mock notification daemon
on_bus() {
	log=$1
	shift
	dbus-run-session -- sh -c '
		log=$1; shift
		/usr/bin/python3 -m dbusmock --template notification_daemon \
		    -p "{\"capabilities\": \"body body-markup actions\"}" -l "$log" >/dev/null 2>&1 &
		i=0
		until gdbus call --session --dest org.freedesktop.DBus \
		    --object-path /org/freedesktop/DBus --method org.freedesktop.DBus.NameHasOwner \
		    org.freedesktop.Notifications 2>/dev/null | grep -q true; do
			i=$((i + 1)); [ $i -gt 100 ] && exit 99; sleep 0.1
		done
		"$@"
		r=$?
		kill $! 2>/dev/null
		exit $r' sh "$log" "$@" 2>"$T_TMP/bus.err"
}

printf 'notify-backlog = yes\nquiet-hours = 22:00-07:00\n' > "$CFG/config"
L1="$T_TMP/quiet.log"
WIREWATCH_NOW=2026-11-28T23:30:00Z on_bus "$L1" "$WIREWATCH" --config "$CFG" --state "$ST" run --once
is "$?" 0 "run --once during quiet hours exits 0"
unlike "$(cat "$L1")" "Notify" "quiet hours: nothing is shown"
held=$(sqlite3 "$ST/wirewatch.db" "select count(*) from notifications where state = 'held'")
ok $([ "$held" -gt 0 ]; echo $?) "quiet hours: notifications are held ($held)"

L2="$T_TMP/after.log"
WIREWATCH_NOW=2026-11-29T08:00:00Z on_bus "$L2" "$WIREWATCH" --config "$CFG" --state "$ST" run --once
is "$?" 0 "run --once after quiet hours exits 0"
log=$(cat "$L2")
db="$ST/wirewatch.db"
n=$(grep -c ' Notify ' "$L2")
w=$(sqlite3 "$db" "select count(distinct watch) from notifications")
is "$n" "$w" "after quiet hours: one notification per watch ($w watches)"
k=$(sqlite3 "$db" "select count(*) from notifications where watch = 'sanctions-belarus-russia'")
ok $([ "$k" -ge 4 ]; echo $?) "the sanctions burst queued $k notifications"
like "$log" "\"Sanctions involving Belarus or Russia: $k new articles\"" "a burst is one notification that counts its articles"
like "$log" '"China–Belarus ties: 2 new articles"' "the China–Belarus watch sums up its two stories"
like "$log" 'Lukashenko &amp; Xi agree a &lt; b deals' "feed text is escaped in the body markup"
like "$log" '"urgency": 1' "a high or normal watch gives normal urgency"
unlike "$log" 'colour-revolution|Colour-revolution' "a digest-only watch never notifies"
sent=$(sqlite3 "$ST/wirewatch.db" "select count(*) from notifications where state = 'sent'")
ok $([ "$sent" -ge 6 ]; echo $?) "every delivered notification is recorded as sent ($sent)"

L3="$T_TMP/again.log"
WIREWATCH_NOW=2026-11-29T09:00:00Z on_bus "$L3" "$WIREWATCH" --config "$CFG" --state "$ST" run --once
unlike "$(cat "$L3")" " Notify " "nothing is announced twice"

# A fresh state: the story carried by two feeds notifies once and names both
rm -rf "$ST"
printf 'notify-backlog = yes\n' > "$CFG/config"
cat > "$CFG/feeds" <<EOF2
$FIX/agent/world.xml   name="Northgate World"
$FIX/agent/wire.xml    name="Eastern Wire"
EOF2
L4="$T_TMP/story.log"
on_bus "$L4" "$WIREWATCH" --config "$CFG" --state "$ST" run --once
log=$(cat "$L4")
is "$(grep -c '"China–Belarus ties"' "$L4")" 1 "the same story from two feeds is announced once"
like "$log" 'Northgate World, Eastern Wire' "and the notification names both sources"
like "$log" 'matched: ' "the body names the words that matched"

# The hourly cap: the rest waits (pending) for a later round
rm -rf "$ST"
printf 'notify-backlog = yes\nmax-per-hour = 1\n' > "$CFG/config"
cat > "$CFG/feeds" <<EOF2
$FIX/agent/world.xml   name="Northgate World"
$FIX/agent/burst.xml   name="Sanctions Monitor"
EOF2
L5="$T_TMP/cap.log"
on_bus "$L5" "$WIREWATCH" --config "$CFG" --state "$ST" run --once
is "$(grep -c ' Notify ' "$L5")" 1 "max-per-hour = 1: one notification shown"
pending=$(sqlite3 "$ST/wirewatch.db" "select count(*) from notifications where state = 'pending'")
ok $([ "$pending" -gt 0 ]; echo $?) "the others stay pending for later ($pending)"

# Clicking "Open" on a notification of the running agent opens the link at
# once, although the agent sleeps until its next poll (fake xdg-open on PATH).
rm -rf "$ST"
mkdir -p "$T_TMP/bin"
printf '#!/bin/sh\nprintf "%%s\\n" "$1" >> "%s/opened"\n' "$T_TMP" > "$T_TMP/bin/xdg-open"
chmod +x "$T_TMP/bin/xdg-open"
printf 'notify-backlog = yes\ninterval = 1h\n' > "$CFG/config"
printf '%s   name="Northgate World"\n' "$FIX/agent/world.xml" > "$CFG/feeds"
L6="$T_TMP/click.log"
PATH="$T_TMP/bin:$PATH" on_bus "$L6" sh -c '
	"$1" --config "$2" --state "$3" run >/dev/null 2>&1 </dev/null &
	pid=$!
	i=0
	until grep -q " Notify " "$4" 2>/dev/null || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
	# let the agent show everything and fall asleep until its next poll
	n=0
	while [ "$n" != "$(grep -c " Notify " "$4")" ]; do n=$(grep -c " Notify " "$4"); sleep 2; done
	id=$n
	gdbus call --session --dest org.freedesktop.Notifications \
	    --object-path /org/freedesktop/Notifications \
	    --method org.freedesktop.DBus.Mock.EmitSignal org.freedesktop.Notifications \
	    ActionInvoked us "[<uint32 $id>, <\"default\">]" >/dev/null
	i=0
	until [ -s "$5/opened" ] || [ $i -gt 150 ]; do sleep 0.1; i=$((i + 1)); done
	cp "$5/opened" "$5/opened-asleep" 2>/dev/null
	kill -TERM $pid; wait $pid' sh "$WIREWATCH" "$CFG" "$ST" "$L6" "$T_TMP"
like "$(cat "$T_TMP/opened-asleep" 2>/dev/null)" "^https://northgate.example/world/" "a click on Open opens the article's link while the agent sleeps"

# A slow feed does not hold back what the other feeds found: the round's
# notifications go out while that feed is still downloading.
rm -rf "$ST"
start_server --root "$FIX/agent"
printf 'notify-backlog = yes\ninterval = 1h\n' > "$CFG/config"
cat > "$CFG/feeds" <<EOF2
$FIX/agent/world.xml                  name="Northgate World"
$BASE/file/burst.xml?delay=8000       name="Slow Monitor"
EOF2
L7="$T_TMP/slow.log"
on_bus "$L7" sh -c '
	"$1" --config "$2" --state "$3" run >/dev/null 2>&1 </dev/null &
	pid=$!
	i=0
	until grep -q " Notify " "$4" 2>/dev/null || [ $i -gt 300 ]; do sleep 0.1; i=$((i + 1)); done
	# how many items the slow feed had stored when the first one was shown
	sqlite3 "$3/wirewatch.db" "select count(*) from items i join feeds f on f.id = i.feed_id where f.name = '"'Slow Monitor'"'" > "$5/slow-items"
	kill -TERM $pid; wait $pid' sh "$WIREWATCH" "$CFG" "$ST" "$L7" "$T_TMP"
like "$(cat "$L7")" '"China–Belarus ties' "with a feed that answers after 8 s, the other feed's story is shown"
is "$(cat "$T_TMP/slow-items")" 0 "... before the slow feed has finished"

# No notification server at all: never fatal, kept for later and for the digest
rm -rf "$ST"
DBUS_SESSION_BUS_ADDRESS="unix:path=$T_TMP/no-bus" ww run --once 2>"$T_TMP/nobus.err"
is "$?" 0 "no session bus: run --once still succeeds"
like "$(cat "$T_TMP/nobus.err")" "notifications unavailable" "the missing server is logged"
is "$(grep -c 'notifications unavailable' "$T_TMP/nobus.err")" 1 "and logged once"
failed=$(sqlite3 "$ST/wirewatch.db" "select count(*) from notifications where state = 'failed'")
ok $([ "$failed" -gt 0 ]; echo $?) "undelivered notifications are kept as failed ($failed)"
like "$(ww digest --no-fetch --since 3650d)" "Xi hosts Lukashenko" "the matches still reach the digest"

done_testing
